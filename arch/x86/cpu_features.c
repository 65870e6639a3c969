#include "arch/cpu_features.h"

#include "arch/cpu.h"
#include "drivers/console.h"

#define EFLAGS_ID     (1u << 21)
#define CPUID_EDX_VME (1u << 1)
#define CPUID_EDX_DE  (1u << 2)
#define CPUID_EDX_PSE (1u << 3)
#define CPUID_EDX_TSC (1u << 4)
#define CPUID_EDX_PAE (1u << 6)
#define CPUID_EDX_MCE (1u << 7)
#define CPUID_EDX_PGE (1u << 13)
/* Any of these is controlled through a CR4 bit, so the register is there. */
#define CPUID_EDX_NEEDS_CR4                                                                        \
	(CPUID_EDX_VME | CPUID_EDX_DE | CPUID_EDX_PSE | CPUID_EDX_TSC | CPUID_EDX_PAE |            \
	 CPUID_EDX_MCE | CPUID_EDX_PGE)

struct cpu_features cpu_features;

static void write_eflags(uint32_t v)
{
	__asm__ volatile("pushl %0; popfl" : : "r"(v) : "cc", "memory");
}

/* CPUID exists when software can flip EFLAGS.ID. */
static bool have_cpuid(void)
{
	uint32_t old = read_eflags();
	write_eflags(old ^ EFLAGS_ID);
	uint32_t flipped = read_eflags();
	write_eflags(old);
	return ((old ^ flipped) & EFLAGS_ID) != 0;
}

void cpu_features_detect(void)
{
	cpu_features = (struct cpu_features){0};
	if (!have_cpuid())
		return;
	cpu_features.cpuid = true;
	uint32_t max, b, c, d;
	cpuid(0, &max, &b, &c, &d);
	if (max < 1)
		return;
	uint32_t sig;
	cpuid(1, &sig, &b, &c, &d);
	cpu_features.family = (sig >> 8) & 0xFu;
	cpu_features.model = (sig >> 4) & 0xFu;
	cpu_features.tsc = (d & CPUID_EDX_TSC) != 0;
	cpu_features.pge = (d & CPUID_EDX_PGE) != 0;
	cpu_features.cr4 = (d & CPUID_EDX_NEEDS_CR4) != 0;
}

void cpu_features_print(void)
{
	const struct cpu_features *f = &cpu_features;
	if (f->cpuid)
		kprintf("CPU: family %u model %u", f->family, f->model);
	else
		kprintf("CPU: no CPUID (a 386 or an early 486)");
	if (f->tsc && f->pge) {
		kprintf(", TSC and global pages\n");
		return;
	}
	kprintf("; without");
	if (!f->tsc)
		kprintf(" TSC (no boot timing, no benchmarks)%s", f->pge ? "" : ",");
	if (!f->pge)
		kprintf(" PGE (no global pages: the identity map is refetched after CR3 loads)");
	kprintf("\n");
}
