#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include "arch/trap.h"

/* Prints `KERNEL PANIC: <reason>`, the registers and a backtrace, ends a QEMU
 * test with the fail code, and halts with interrupts off.  Never returns.
 * A panic inside a panic prints one line and stops. */
__attribute__((noreturn, format(printf, 1, 2))) void kernel_panic(const char *fmt, ...);

/* The default trap handler, also for the double-fault task: `CPU EXCEPTION`,
 * the decoded exception, every register, a backtrace, then a last
 * `KERNEL PANIC:` line naming the exception, where and the likely cause. */
__attribute__((noreturn)) void panic_on_exception(struct trap_frame *frame);

/* KASSERT(expr): when expr is false, panics naming the expression, the file,
 * the line and the function.  Always compiled in: a teaching kernel would
 * rather stop loudly than run on with a broken invariant. */
#define KASSERT(expr)                                                                              \
	do {                                                                                       \
		if (__builtin_expect(!(expr), 0))                                                  \
			kernel_panic("assertion failed: %s\n  at %s:%d in %s()", #expr, __FILE__,  \
				     __LINE__, __func__);                                          \
	} while (0)

#endif
