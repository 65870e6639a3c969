/* CPU exceptions raised in ring 3 become the signal Linux would send
 * (kernel/user_fault.c); in ring 0 they still panic. */
#ifndef KERNEL_USER_FAULT_H
#define KERNEL_USER_FAULT_H

#include <stdint.h>

/* Installs the default exception handler (ring 3: a signal; ring 0: a
 * panic) and gives mm's page-fault handler the signal for the user faults
 * it cannot resolve. */
void user_fault_init(void);

#endif
