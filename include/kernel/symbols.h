/* The kernel's own function names, generated at link time (a second link
 * pass reads the first one's symbols), for backtraces. */
#ifndef KERNEL_SYMBOLS_H
#define KERNEL_SYMBOLS_H

#include <stdint.h>

struct ksym {
	uint32_t addr;
	const char *name;
};

/* The function containing addr, and addr's offset into it; NULL when addr
 * lies outside the kernel's text. */
const char *ksym_lookup(uint32_t addr, uint32_t *offset);

#endif
