/* The virtual memory manager: maps 4 KiB pages of the kernel address space.
 *
 * Page tables live in any frame and are reached through the recursive page-
 * directory slot (see mm/layout.h); a table whose last entry goes is freed.
 * Every call validates its arguments, changes nothing when it fails, and
 * invalidates the TLB entry of every page it changes. */
#ifndef MM_VMM_H
#define MM_VMM_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/mmu.h"
#include "mm/types.h"

#define VMM_OK 0
#define VMM_ERR_INVALID -1
#define VMM_ERR_NO_MEMORY -2
#define VMM_ERR_ALREADY_MAPPED -3
#define VMM_ERR_NOT_MAPPED -4

/* Flags a caller may pass; PTE_PRESENT is implied. */
#define VMM_ALLOWED_FLAGS (PTE_PRESENT | PTE_WRITABLE | PTE_USER | PTE_WRITETHROUGH | \
			   PTE_NOCACHE | PTE_GLOBAL)

void vmm_init(void);

int vmm_map_page(vaddr_t virt, paddr_t phys, uint32_t flags);
int vmm_unmap_page(vaddr_t virt);
/* The physical address behind virt, or 0 when unmapped (the seed's form).
 * Inline: two loads, and callers translate in loops. */
static inline paddr_t vmm_get_physical(vaddr_t virt)
{
	if (!(arch_page_directory()[pde_index(virt)] & PTE_PRESENT))
		return 0;
	pte_t pte = *arch_pte(virt);
	return (pte & PTE_PRESENT) ? (pte & PTE_FRAME_MASK) | (virt & PAGE_OFFSET_MASK) : 0;
}
/* The same with a status, so physical 0 is not ambiguous. */
int vmm_translate(vaddr_t virt, paddr_t *phys);
/* Physical frame and flags of virt's PTE. */
int vmm_query(vaddr_t virt, paddr_t *phys, uint32_t *flags);
/* Replaces the flags of a mapped page. */
int vmm_protect(vaddr_t virt, uint32_t flags);

/* All or nothing: on failure every page this call mapped is unmapped again. */
int vmm_map_range(vaddr_t virt, paddr_t phys, uint32_t pages, uint32_t flags);
/* All or nothing: fails with VMM_ERR_NOT_MAPPED, changing nothing, when any
 * page of the range is unmapped. */
int vmm_unmap_range(vaddr_t virt, uint32_t pages);
/* Allocates `pages` frames and maps them at virt; all or nothing. */
int vmm_alloc_range(vaddr_t virt, uint32_t pages, uint32_t flags);
/* Unmaps the range and frees frames that vmm_alloc_range gave it. */
int vmm_free_range(vaddr_t virt, uint32_t pages);

/* Whether virt may be mapped/unmapped through this API at all: not the
 * identity map below, not the recursive window above. */
static inline bool vmm_managed(vaddr_t virt)
{
	return virt - LAYOUT_IDENTITY_END < LAYOUT_RECURSIVE_BASE - LAYOUT_IDENTITY_END;
}
bool vmm_addr_managed(vaddr_t virt);
uint32_t vmm_mapped_count(void);  /* pages mapped through the VMM */
uint32_t vmm_table_count(void);   /* page tables the VMM allocated */
/* Present entries in the table behind PDE pdi (as the VMM counts them). */
uint32_t vmm_table_entries(uint32_t pdi);
const char *vmm_status_name(int status);

/* The boot self-test at LAYOUT_VMM_TEST_PAGE; returns false on failure. */
bool vmm_test_once(void);

#endif
