#ifndef ARCH_PAGING_H
#define ARCH_PAGING_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/types.h"

/* Builds the kernel page directory: the first 16 MiB identity-mapped (page 0
 * and the stack guard page left out, kernel text and rodata read-only, global
 * where the CPU supports it), the recursive slot, then turns on paging with
 * CR0.WP so the kernel itself cannot write read-only pages. */
void paging_init(void);
bool paging_is_enabled(void);
/* Before paging_init: also map [start, start + bytes) (at most 4 MiB of RAM
 * above the identity map) at its own address, so memory the kernel reached
 * before paging (the PMM's frame records, when they had to go above 16 MiB)
 * stays reachable until the VMM maps it where it belongs.  The page tables
 * go in the frames `tables` names (any RAM; the caller frees them after
 * paging_drop_early_window).  False when the range is not such RAM or
 * paging is already on. */
#define PAGING_EARLY_TABLES 2 /* 4 MiB may straddle a table boundary */
bool paging_set_early_window(paddr_t start, uint32_t bytes,
			     const paddr_t tables[PAGING_EARLY_TABLES]);
/* Removes that mapping; the VMM's checks expect no table of paging's own in
 * its region, so this comes before anything else uses the VMM. */
void paging_drop_early_window(void);
bool paging_global_pages(void); /* whether CR4.PGE is in use */
/* Checks that kernel data is reachable and writable through the new map;
 * returns false (after printing why) when it is not. */
bool paging_test_identity_mapping(void);

#endif
