/* Interrupts and exceptions: one frame layout for every vector, and handlers
 * that higher layers register, so faults flow up without arch/ calling up. */
#ifndef ARCH_TRAP_H
#define ARCH_TRAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/cpu.h"

#define TRAP_EXCEPTIONS 32
#define TRAP_IRQ_BASE	0x20
#define TRAP_IRQS	16
#define TRAP_VECTORS	256

#define VEC_DIVIDE_ERROR       0
#define VEC_BREAKPOINT	       3
#define VEC_OVERFLOW	       4
#define VEC_INVALID_OPCODE     6
#define VEC_DOUBLE_FAULT       8
#define VEC_GENERAL_PROTECTION 13
#define VEC_PAGE_FAULT	       14
#define VEC_SYSCALL	       0x80 /* int $0x80: Linux i386 system calls */

/* Pushed by isr.asm, lowest address first.  `esp_at_pusha` is what pusha
 * saved; the stack pointer at the fault itself is esp_at_pusha + 20 for
 * kernel-mode traps (vector, error code, eip, cs, eflags).  `user_esp` and
 * `user_ss` exist only when the trap came from ring 3: the CPU pushes them
 * on a privilege change and never otherwise. */
struct trap_frame {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t vector, error_code;
	uint32_t eip, cs, eflags;
	uint32_t user_esp, user_ss;
};

typedef void (*trap_handler_t)(struct trap_frame *frame);

void idt_init(void);
/* For tests: whether gate `vector` is present and points at a stub. */
int idt_gate_present(unsigned vector);

void trap_register(unsigned vector, trap_handler_t handler);
void trap_register_irq(unsigned irq, trap_handler_t handler); /* also unmasks it */
/* Called for any exception nobody registered; the kernel's panics. */
void trap_set_default_handler(trap_handler_t handler);
/* Called last, after the vector's handler, for every trap that came from
 * ring 3 and is about to return there: the scheduler preempts here, and
 * nowhere else (kernel code is not preemptible). */
void trap_set_user_return_hook(trap_handler_t hook);

/* Hands a trap its handler could not deal with to the default handler. */
void trap_unhandled(struct trap_frame *frame);
const char *trap_exception_name(unsigned vector);
/* Whether the CPU pushes an error code for this exception vector. */
int trap_has_error_code(unsigned vector);

asmlinkage void trap_dispatch(struct trap_frame *frame);

/* Whether the trapped code ran in ring 3 (the CPL is the low bits of CS). */
static inline bool trap_from_user(const struct trap_frame *f)
{
	return (f->cs & 3u) != 0;
}

/* The kernel stack pointer at the moment of a kernel-mode trap. */
static inline uint32_t trap_fault_esp(const struct trap_frame *f)
{
	return f->esp_at_pusha + 5 * 4;
}

#endif
