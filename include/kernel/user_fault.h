/* CPU exceptions raised in ring 3 become the signal Linux would send
 * (kernel/user_fault.c); in ring 0 they still panic. */
#ifndef KERNEL_USER_FAULT_H
#define KERNEL_USER_FAULT_H

#include <stdint.h>

/* Installs the default exception handler and a page-fault handler for ring
 * 3 faults; mm's fault handler, when registered for vector 14, takes the
 * page fault's place and calls proc_fault_signal for what it cannot fix. */
void user_fault_init(void);
/* Why a page fault with this error code at addr could not be served, in
 * words, for the fault line. */
const char *user_page_fault_reason(uint32_t error_code, uint32_t addr);

#endif
