/* Every vector lands in trap_dispatch.  IRQs are acknowledged here; all else
 * goes to whoever registered the vector, or to the default handler. */
#include "arch/trap.h"

#include <stddef.h>

#include "arch/cpu.h"
#include "arch/pic.h"

static trap_handler_t handlers[TRAP_VECTORS];
static trap_handler_t default_handler;
static trap_handler_t user_return_hook;

static const char *const exception_names[TRAP_EXCEPTIONS] = {
	"Divide Error",
	"Debug",
	"Non-Maskable Interrupt",
	"Breakpoint",
	"Overflow",
	"BOUND Range Exceeded",
	"Invalid Opcode",
	"Device Not Available",
	"Double Fault",
	"Coprocessor Segment Overrun",
	"Invalid TSS",
	"Segment Not Present",
	"Stack-Segment Fault",
	"General Protection Fault",
	"Page Fault",
	"Reserved (15)",
	"x87 Floating-Point Error",
	"Alignment Check",
	"Machine Check",
	"SIMD Floating-Point Exception",
	"Virtualization Exception",
	"Control Protection Exception",
	"Reserved (22)",
	"Reserved (23)",
	"Reserved (24)",
	"Reserved (25)",
	"Reserved (26)",
	"Reserved (27)",
	"Hypervisor Injection Exception",
	"VMM Communication Exception",
	"Security Exception",
	"Reserved (31)",
};

const char *trap_exception_name(unsigned vector)
{
	return vector < TRAP_EXCEPTIONS ? exception_names[vector] : "Interrupt";
}

int trap_has_error_code(unsigned vector)
{
	return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17 || vector == 21 ||
	       vector == 29 || vector == 30;
}

void trap_register(unsigned vector, trap_handler_t handler)
{
	if (vector < TRAP_VECTORS)
		handlers[vector] = handler;
}

void trap_register_irq(unsigned irq, trap_handler_t handler)
{
	if (irq >= TRAP_IRQS)
		return;
	handlers[TRAP_IRQ_BASE + irq] = handler;
	pic_unmask(irq);
}

void trap_set_default_handler(trap_handler_t handler)
{
	default_handler = handler;
}

void trap_set_user_return_hook(trap_handler_t hook)
{
	user_return_hook = hook;
}

void trap_unhandled(struct trap_frame *frame)
{
	if (default_handler)
		default_handler(frame);
	else
		cpu_halt_forever();
}

static void dispatch_irq(struct trap_frame *frame)
{
	unsigned irq = frame->vector - TRAP_IRQ_BASE;
	if (pic_is_spurious(irq))
		return; /* no EOI for a ghost */
	if (handlers[frame->vector])
		handlers[frame->vector](frame);
	pic_eoi(irq);
}

asmlinkage void trap_dispatch(struct trap_frame *frame)
{
	if (frame->vector >= TRAP_IRQ_BASE && frame->vector < TRAP_IRQ_BASE + TRAP_IRQS) {
		dispatch_irq(frame); /* acknowledged before any switch away */
	} else {
		trap_handler_t handler = handlers[frame->vector];
		if (!handler)
			handler = default_handler;
		/* Nobody to report to: stop rather than return into the fault. */
		if (!handler)
			cpu_halt_forever();
		handler(frame);
	}
	if (user_return_hook && trap_from_user(frame))
		user_return_hook(frame);
}
