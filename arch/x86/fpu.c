/* Eager FPU switching: every switch to a process restores its state, every
 * switch away saves it.  Lazy switching (CR0.TS and #NM) would save the
 * copies for processes that never use the FPU; it can come with the speed
 * work, this is the simple, always-correct version. */
#include "arch/fpu.h"

#include <stdbool.h>

#include "arch/cpu.h"
#include "lib/string.h"

#define CR0_MP	       (1u << 1) /* wait/fwait honours TS */
#define CR0_EM	       (1u << 2) /* set: every x87 instruction traps */
#define CR0_TS	       (1u << 3)
#define CR0_NE	       (1u << 5) /* x87 errors as #MF, not the legacy IRQ 13 */
#define CR4_OSFXSR     (1u << 9)
#define CR4_OSXMMEXCPT (1u << 10)
#define CPUID_EDX_FXSR (1u << 24)
#define CPUID_EDX_SSE  (1u << 25)
#define MXCSR_DEFAULT  0x1F80u /* all SIMD exceptions masked, round to nearest */
#define FXSAVE_MXCSR   24u     /* offset of MXCSR in the fxsave image */

static bool have_fxsr;
static struct fpu_state initial;

void fpu_init(void)
{
	uint32_t a, b, c, d;
	cpuid(1, &a, &b, &c, &d);
	have_fxsr = (d & CPUID_EDX_FXSR) != 0;
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE);
	if (have_fxsr)
		write_cr4(read_cr4() | CR4_OSFXSR | ((d & CPUID_EDX_SSE) ? CR4_OSXMMEXCPT : 0));
	__asm__ volatile("fninit");
	fpu_save(&initial);
	if (have_fxsr)
		memcpy(&initial.bytes[FXSAVE_MXCSR], &(uint32_t){MXCSR_DEFAULT}, sizeof(uint32_t));
}

void fpu_initial_state(struct fpu_state *st)
{
	*st = initial;
}

void fpu_save(struct fpu_state *st)
{
	if (have_fxsr)
		__asm__ volatile("fxsave %0" : "=m"(*st));
	else
		__asm__ volatile("fnsave %0" : "=m"(*st));
}

void fpu_restore(const struct fpu_state *st)
{
	if (have_fxsr)
		__asm__ volatile("fxrstor %0" : : "m"(*st));
	else
		__asm__ volatile("frstor %0" : : "m"(*st));
}

/* MXCSR bits that must be zero: fxrstor raises #GP in ring 0 on any of
 * them, so a state that came from user memory loses them first.  Bit 6
 * (DAZ) is left out too: not every SSE CPU has it. */
#define MXCSR_VALID 0xFFBFu

void fpu_sanitize(struct fpu_state *st)
{
	if (!have_fxsr || !st)
		return;
	uint32_t mxcsr;
	memcpy(&mxcsr, &st->bytes[FXSAVE_MXCSR], sizeof(mxcsr));
	mxcsr &= MXCSR_VALID;
	memcpy(&st->bytes[FXSAVE_MXCSR], &mxcsr, sizeof(mxcsr));
}
