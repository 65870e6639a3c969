#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stdint.h>

#include "mm/memmap.h"
#include "arch/types.h"

/* As Linux on x86 (COMMAND_LINE_SIZE): 2,047 characters and the NUL. */
#define CMDLINE_MAX 2048

/* Modules the kernel keeps track of; a loader's further ones stay reserved
 * but unused. */
#define BOOT_MAX_MODULES 8

/* A boot module (GRUB `module`, QEMU -initrd), where the loader put it and
 * where the kernel reads it: `data` is a kernel-virtual pointer valid for
 * `size` bytes wherever the module lies in RAM (the identity map below
 * 16 MiB, LAYOUT_MODULES above), read-only; NULL when it could not be
 * mapped (then size is 0 too). */
struct boot_module {
	paddr_t phys;
	uint32_t size;
	const uint8_t *data;
};

/* What kernel_main learnt from the boot loader, kept for later readers
 * (the monitor's `mem`, tests, the root file system). */
struct boot_info {
	char cmdline[CMDLINE_MAX];
	struct memmap memmap;
	uint32_t module_count; /* kept in modules[], at most BOOT_MAX_MODULES */
	struct boot_module modules[BOOT_MAX_MODULES];
};

extern struct boot_info boot_info;
extern uint64_t boot_tsc; /* TSC at kernel entry (boot.asm) */
extern uint64_t boot_tsc_before_timer_wait;

void kernel_idle(void) __attribute__((noreturn));
/* Called by kernel_idle for every character typed (keyboard or COM1) while
 * the monitor has the console (else the terminal takes them, kernel/tty.c). */
void kernel_handle_input(char c, int source);

#endif
