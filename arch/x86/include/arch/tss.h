#ifndef ARCH_TSS_H
#define ARCH_TSS_H

#include <stdint.h>

struct tss {
	uint32_t prev_task;
	uint32_t esp0, ss0, esp1, ss1, esp2, ss2;
	uint32_t cr3, eip, eflags;
	uint32_t eax, ecx, edx, ebx, esp, ebp, esi, edi;
	uint32_t es, cs, ss, ds, fs, gs;
	uint32_t ldt;
	uint16_t trap, iomap_base;
} __attribute__((packed));

extern struct tss tss_main;
extern struct tss tss_double_fault;

/* The double-fault task's own stack, so a backtrace taken there can walk it. */
#define DOUBLE_FAULT_STACK_SIZE 8192
extern uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE];

/* Loads the task register and prepares the double-fault task. */
void tss_init(void);
/* Where the CPU puts the trap frame on a trap from ring 3: the top of the
 * running process's kernel stack, set on every switch. */
void tss_set_kernel_stack(uint32_t esp0);
/* The double-fault task runs with this page directory. */
void tss_set_double_fault_cr3(uint32_t cr3);

#endif
