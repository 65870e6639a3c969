#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdbool.h>

/* Builds the kernel page directory: the first 16 MiB identity-mapped (page 0
 * and the stack guard page left out, kernel text and rodata read-only, global
 * where the CPU supports it), the recursive slot, then turns on paging with
 * CR0.WP so the kernel itself cannot write read-only pages. */
void paging_init(void);
bool paging_is_enabled(void);
bool paging_global_pages(void); /* whether CR4.PGE is in use */
/* Checks that kernel data is reachable and writable through the new map;
 * returns false (after printing why) when it is not. */
bool paging_test_identity_mapping(void);

#endif
