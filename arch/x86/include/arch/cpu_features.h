/* What this CPU can do, found out once at boot, so the kernel runs on a 486
 * or a Pentium as well as on anything newer.  The kernel is compiled for the
 * 486 instruction set (no cmov); everything later is used only when the CPU
 * says it has it:
 *
 *   CPUID  absent on a 386 and on early 486s (EFLAGS.ID cannot be toggled)
 *   TSC    rdtsc (Pentium and later): boot timing and the benchmarks
 *   PGE    global pages (Pentium Pro and later): the identity map stays in
 *          the TLB across CR3 reloads
 *   CR4    exists from the Pentium on (and on 486s that have CPUID and
 *          report one of its features); reading it elsewhere is #UD */
#ifndef ARCH_CPU_FEATURES_H
#define ARCH_CPU_FEATURES_H

#include <stdbool.h>
#include <stdint.h>

struct cpu_features {
	bool cpuid, tsc, pge, cr4;
	uint32_t family, model;
};

extern struct cpu_features cpu_features;

/* Fills cpu_features; call before anything that depends on them. */
void cpu_features_detect(void);
/* One boot line: the CPU, and what the kernel does without each missing
 * feature. */
void cpu_features_print(void);

#endif
