#ifndef KERNEL_FAULT_DECODE_H
#define KERNEL_FAULT_DECODE_H

#include <stdbool.h>

#include "arch/trap.h"

/* Prints, in words, what the exception in f means (one or more lines). */
void exception_explain(const struct trap_frame *f);

#endif
