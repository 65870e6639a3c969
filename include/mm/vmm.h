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
#include "mm/pmm.h"
#include "mm/types.h"

#define VMM_OK		       0
#define VMM_ERR_INVALID	       -1
#define VMM_ERR_NO_MEMORY      -2
#define VMM_ERR_ALREADY_MAPPED -3
#define VMM_ERR_NOT_MAPPED     -4

/* Flags a caller may pass; PTE_PRESENT is implied. */
#define VMM_ALLOWED_FLAGS                                                                          \
	(PTE_PRESENT | PTE_WRITABLE | PTE_USER | PTE_WRITETHROUGH | PTE_NOCACHE | PTE_GLOBAL)

void vmm_init(void);

/* Maps the page at virt to the frame at phys.  VMM_ERR_INVALID for an
 * unaligned address, unknown flags, an address outside the VMM's region, a
 * free frame or a page table; VMM_ERR_ALREADY_MAPPED; VMM_ERR_NO_MEMORY when
 * no frame can hold a new page table (then nothing was written anywhere). */
static inline int vmm_map_page(vaddr_t virt, paddr_t phys, uint32_t flags);
/* Unmaps virt; frees its page table when that was the table's last entry.
 * VMM_ERR_INVALID outside the VMM's region or unaligned; VMM_ERR_NOT_MAPPED. */
static inline int vmm_unmap_page(vaddr_t virt);
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
uint32_t vmm_mapped_count(void); /* pages mapped through the VMM */
uint32_t vmm_table_count(void);	 /* page tables the VMM allocated */
/* Present entries in the table behind PDE pdi (as the VMM counts them). */
uint32_t vmm_table_entries(uint32_t pdi);
const char *vmm_status_name(int status);

/* The boot self-test at LAYOUT_VMM_TEST_PAGE; returns false on failure. */
bool vmm_test_once(void);

/* ---- the inline fast paths --------------------------------------------------
 * Mapping and unmapping a page in a table that exists is the VMM's hot path
 * (make bench: vmm_map_unmap).  Its common case is inline here: valid
 * arguments, a VMM table present, a frame whose record counts mappings.
 * Anything else, every error included, goes to the general path in vmm.c,
 * which checks everything from the start: the fast path only declines.
 * Out of line, the same code costs half as much again: a call, and a
 * prologue saving the registers 32-bit x86 has too few of. */
int vmm_map_general(vaddr_t virt, paddr_t phys, uint32_t flags);
int vmm_unmap_general(vaddr_t virt);
extern uint32_t vmm_table_used[PT_ENTRIES]; /* present entries per VMM table */

/* A present table of the VMM's own: one test covers presence and excludes
 * the entries paging keeps (PDE_FIXED: the identity map, the recursion). */
static inline bool vmm_in_own_table(vaddr_t virt)
{
	return (arch_page_directory()[pde_index(virt)] & (PTE_PRESENT | PDE_FIXED)) == PTE_PRESENT;
}

static inline int vmm_map_page(vaddr_t virt, paddr_t phys, uint32_t flags)
{
	if (((virt | phys) & PAGE_OFFSET_MASK) | (flags & ~VMM_ALLOWED_FLAGS) ||
	    !vmm_in_own_table(virt) || (*arch_pte(virt) & PTE_PRESENT))
		return vmm_map_general(virt, phys, flags);
	uint32_t *rec = pmm_mappable_record(phys);
	if (!rec)
		return vmm_map_general(virt, phys, flags);
	*rec += PMM_COUNT_ONE;
	*arch_pte(virt) = phys | flags | PTE_PRESENT;
	arch_tlb_flush_page(virt);
	vmm_table_used[pde_index(virt)]++;
	return VMM_OK;
}

static inline int vmm_unmap_page(vaddr_t virt)
{
	if (!page_aligned(virt) || !vmm_in_own_table(virt))
		return vmm_unmap_general(virt);
	pte_t pte = *arch_pte(virt);
	/* A table's last entry takes the general path: the table goes too. */
	if (!(pte & PTE_PRESENT) || vmm_table_used[pde_index(virt)] == 1)
		return vmm_unmap_general(virt);
	uint32_t *rec = pmm_mappable_record(pte & PTE_FRAME_MASK);
	if (!rec || *rec < PMM_COUNT_ONE)
		return vmm_unmap_general(virt);
	*rec -= PMM_COUNT_ONE;
	*arch_pte(virt) = 0;
	arch_tlb_flush_page(virt);
	vmm_table_used[pde_index(virt)]--;
	return VMM_OK;
}

#endif
