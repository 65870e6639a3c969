#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdint.h>

#include "mm/memmap.h"

/* As Linux on x86 (COMMAND_LINE_SIZE): 2,047 characters and the NUL. */
#define CMDLINE_MAX 2048

/* What kernel_main learnt from the boot loader, kept for later readers
 * (the monitor's `mem`, tests). */
struct boot_info {
	char cmdline[CMDLINE_MAX];
	struct memmap memmap;
	uint32_t module_count;
	uint32_t module_start, module_end; /* the first module, if any */
};

extern struct boot_info boot_info;
extern uint64_t boot_tsc; /* TSC at kernel entry (boot.asm) */
extern uint64_t boot_tsc_before_timer_wait;

void kernel_idle(void) __attribute__((noreturn));
/* Called by kernel_idle for every character typed (keyboard or COM1). */
void kernel_handle_input(char c, int source);

#endif
