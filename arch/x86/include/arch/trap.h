/* Interrupts and exceptions: one frame layout for every vector, and handlers
 * that higher layers register, so faults flow up without arch/ calling up. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdint.h>

#include "arch/cpu.h"

#define TRAP_EXCEPTIONS 32
#define TRAP_IRQ_BASE	0x20
#define TRAP_IRQS	16
#define TRAP_VECTORS	256

#define VEC_DIVIDE_ERROR       0
#define VEC_INVALID_OPCODE     6
#define VEC_DOUBLE_FAULT       8
#define VEC_GENERAL_PROTECTION 13
#define VEC_PAGE_FAULT	       14

/* Pushed by isr.asm, lowest address first.  `esp_at_pusha` is what pusha
 * saved; the stack pointer at the fault itself is esp_at_pusha + 20 for
 * kernel-mode traps (vector, error code, eip, cs, eflags). */
struct trap_frame {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags;
};

typedef void (*trap_handler_t)(struct trap_frame *frame);

void idt_init(void);
/* For tests: whether gate `vector` is present and points at a stub. */
int idt_gate_present(unsigned vector);

void trap_register(unsigned vector, trap_handler_t handler);
void trap_register_irq(unsigned irq, trap_handler_t handler); /* also unmasks it */
/* Called for any exception nobody registered; the kernel's panics. */
void trap_set_default_handler(trap_handler_t handler);

/* Hands a trap its handler could not deal with to the default handler. */
void trap_unhandled(struct trap_frame *frame);
/* Whether the trap interrupted ring 3. */
static inline int trap_from_user(const struct trap_frame *frame)
{
	return (frame->cs & 3) == 3;
}

const char *trap_exception_name(unsigned vector);
/* Whether the CPU pushes an error code for this exception vector. */
int trap_has_error_code(unsigned vector);

asmlinkage void trap_dispatch(struct trap_frame *frame);

/* The kernel stack pointer at the moment of a kernel-mode trap. */
static inline uint32_t trap_fault_esp(const struct trap_frame *f)
{
	return f->esp_at_pusha + 5 * 4;
}

#endif
