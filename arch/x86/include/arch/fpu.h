/* The x87/SSE state of ring-3 code.  The kernel itself never touches the FPU
 * (it is built without x87 and SSE code), so a process's FPU state only has
 * to be saved when another process is about to run, and restored before it
 * runs again. */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdint.h>

/* fxsave's 512-byte image (fnsave's 108 bytes fit too); 16-byte aligned. */
#define FPU_STATE_SIZE	512u
#define FPU_STATE_ALIGN 16u

struct fpu_state {
	uint8_t bytes[FPU_STATE_SIZE];
} __attribute__((aligned(FPU_STATE_ALIGN)));

/* Turns the FPU on for ring 3 (CR0.EM clear, MP and NE set; CR4.OSFXSR and
 * OSXMMEXCPT when the CPU has fxsave and SSE, which glibc's string functions
 * use) and records the state a new process starts with. */
void fpu_init(void);
/* The state after fninit, with SSE exceptions masked: what a new process gets. */
void fpu_initial_state(struct fpu_state *st);
void fpu_save(struct fpu_state *st);
void fpu_restore(const struct fpu_state *st);
/* Makes a state read from user memory (a signal frame) safe to restore:
 * bits the CPU would refuse with a fault in the kernel are cleared. */
void fpu_sanitize(struct fpu_state *st);

#endif
