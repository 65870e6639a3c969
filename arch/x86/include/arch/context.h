/* Switching kernel stacks (arch/x86/switch.asm). */
#ifndef ARCH_CONTEXT_H
#define ARCH_CONTEXT_H

#include <stdint.h>

#include "arch/cpu.h"

/* What context_switch pops from a stack it switches to, lowest address
 * first; a new stack is built with one of these under its first trap frame. */
struct switch_frame {
	uint32_t edi, esi, ebx, ebp;
	uint32_t ret; /* where context_switch returns to */
};

/* Saves the callee-saved registers and ESP into *save_esp, continues on
 * next_esp.  Returns when someone switches back to *save_esp. */
asmlinkage void context_switch(uint32_t *save_esp, uint32_t next_esp);

/* The common trap exit (isr.asm): pops a struct trap_frame and irets. */
extern const char trap_return[];

#endif
