/* Turns a CPU exception into words for the panic report: what the error code
 * says, where the faulting address lives, and a best guess at the cause. */
#ifndef KERNEL_FAULT_DECODE_H
#define KERNEL_FAULT_DECODE_H

#include <stdint.h>

#include "arch/trap.h"

/* Prints the decoded exception, one or more lines, ending with `  hint: ...`
 * when there is a likely cause.  cr2 is the page-fault address, read by the
 * caller once, before anything else could fault and overwrite it. */
void exception_explain(const struct trap_frame *f, uint32_t cr2);

/* A few words naming the likely cause ("NULL pointer dereference", "kernel
 * stack overflow", ...) for the panic's last line; NULL when the exception's
 * name already says all that is known. */
const char *exception_diagnosis(const struct trap_frame *f, uint32_t cr2);

#endif
