#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "arch/trap.h"

/* Prints `KERNEL PANIC: <reason>` and a backtrace, ends a QEMU test with the
 * fail code, and halts with interrupts off.  Never returns. */
__attribute__((noreturn, format(printf, 1, 2))) void kernel_panic(const char *fmt, ...);

/* The default trap handler: `CPU EXCEPTION`, the decoded exception, every
 * register, then a panic. */
__attribute__((noreturn)) void panic_on_exception(struct trap_frame *frame);

/* KASSERT(expr): panics with the expression, file and line when expr is false. */
#define KASSERT(expr)                                                                   \
	do {                                                                            \
		if (!(expr))                                                            \
			kernel_panic("assertion failed: %s at %s:%d", #expr, __FILE__, \
				     __LINE__);                                         \
	} while (0)

#endif
