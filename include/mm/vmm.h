/* The virtual memory manager: maps 4 KiB pages of the kernel address space.
 *
 * Page tables live in any frame and are reached through the recursive page-
 * directory slot (see arch/layout.h); a table whose last entry goes is freed.
 * Every call validates its arguments, changes nothing when it fails, and
 * invalidates the TLB entry of every page it changes. */
#ifndef MM_VMM_H
#define MM_VMM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/mmu.h"
#include "lib/status.h"
#include "mm/pmm.h"
#include "arch/types.h"

/* SPEC section 1 names these and their values; they are the kernel's one
 * status type (lib/status.h) under the VMM's names. */
#define VMM_OK		       ST_OK		 /* 0 */
#define VMM_ERR_INVALID	       ST_INVALID	 /* -1 */
#define VMM_ERR_NO_MEMORY      ST_NO_MEMORY	 /* -2 */
#define VMM_ERR_ALREADY_MAPPED ST_ALREADY_MAPPED /* -3 */
#define VMM_ERR_NOT_MAPPED     ST_NOT_MAPPED	 /* -4 */

/* Flags a caller may pass; PTE_PRESENT is implied. */
#define VMM_ALLOWED_FLAGS                                                                          \
	(PTE_PRESENT | PTE_WRITABLE | PTE_USER | PTE_WRITETHROUGH | PTE_NOCACHE | PTE_GLOBAL)

struct aspace;

void vmm_init(void);

/* ---- any address space ------------------------------------------------------
 * The same contracts as the active-space calls below, in space `as`, active or not.
 * Addresses in the kernel part reach the shared kernel tables whatever `as`
 * is; PTE_USER is refused there. */
int vmm_map_in(struct aspace *as, vaddr_t virt, paddr_t phys, uint32_t flags);
int vmm_unmap_in(struct aspace *as, vaddr_t virt);
int vmm_query_in(struct aspace *as, vaddr_t virt, paddr_t *phys, uint32_t *flags);
int vmm_protect_in(struct aspace *as, vaddr_t virt, uint32_t flags);
/* Points a mapped page at another frame (copy on write): the new frame gains a
 * reference, the old one loses it (and is freed if it was a user frame's last). */
int vmm_replace_in(struct aspace *as, vaddr_t virt, paddr_t phys, uint32_t flags);

/* Maps the frame behind every present page of the user range [start, end)
 * of `from` at the same address in `to` too (fork), a page table at a time,
 * with one TLB flush for the parent at the end.  With copy_on_write, a
 * writable page becomes read-only in both, to be copied on the first write.
 * `to` may not be the active space.  VMM_ERR_INVALID for a bad range or a
 * frame that may not be mapped twice, VMM_ERR_ALREADY_MAPPED,
 * VMM_ERR_NO_MEMORY: the pages shared so far stay shared. */
int vmm_share_range(struct aspace *from, vaddr_t start, vaddr_t end, struct aspace *to,
		    bool copy_on_write);
/* Unmaps every present page of the user range [start, end) of as, a page
 * table at a time: each frame loses a reference, each table that empties
 * goes.  When as is active its TLB loses each page, or, past a few dozen
 * pages, the whole user part at once.  munmap, brk, truncation and exit. */
void vmm_drop_range(struct aspace *as, vaddr_t start, vaddr_t end);

/* The one page-table walker: the PTE of va in as, creating its table when
 * create is true.  NULL when there is no table and create is false, when va
 * is outside the VMM's region, or when no frame is left for the table.  The
 * pointer is valid until the next view of another space (arch/mmu.h).
 * Inline: every translation starts here.  Its common case, a present table
 * of the active space, is two loads at fixed addresses; a present table of
 * another space goes through the foreign view; pte_walk_create makes a
 * missing table, out of line. */
static inline pte_t *pte_walk(struct aspace *as, vaddr_t va, bool create);
pte_t *pte_walk_create(struct aspace *as, vaddr_t va);

/* The one way to iterate mappings: fn(va, pte, pde) for every present PTE of
 * as in [from, to) (to == 0: the end of the 4 GiB), in address order, until
 * fn returns false; the foreign slot is skipped, the recursive one is not.  The PTE may be
 * changed through the pointer only with the VMM's bookkeeping in mind. */
typedef bool (*vmm_visitor_t)(vaddr_t va, pte_t *pte, pte_t pde, void *ctx);
void vmm_walk(struct aspace *as, vaddr_t from, vaddr_t to, vmm_visitor_t fn, void *ctx);

/* ---- the active space: chapter 7's interface (SPEC section 1) -------------- */

/* Maps the page at virt to the frame at phys.  VMM_ERR_INVALID for an
 * unaligned address, unknown flags, an address outside the VMM's region, a
 * free frame or a page table; VMM_ERR_ALREADY_MAPPED; VMM_ERR_NO_MEMORY when
 * no frame can hold a new page table (then nothing was written anywhere). */
int vmm_map_page(vaddr_t virt, paddr_t phys, uint32_t flags);
/* Unmaps virt; frees its page table when that was the table's last entry.
 * VMM_ERR_INVALID outside the VMM's region or unaligned; VMM_ERR_NOT_MAPPED. */
int vmm_unmap_page(vaddr_t virt);
/* The physical address behind virt, or 0 when unmapped; vmm_translate tells
 * an unmapped page from physical address 0.  Inline: callers translate in
 * loops. */
static inline paddr_t vmm_get_physical(vaddr_t virt);
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
/* Allocates `pages` frames and maps them at virt; all or nothing.  An occupied
 * range is VMM_ERR_ALREADY_MAPPED before any frame is taken. */
int vmm_alloc_range(vaddr_t virt, uint32_t pages, uint32_t flags);
/* Unmaps the range and frees frames that vmm_alloc_range gave it. */
int vmm_free_range(vaddr_t virt, uint32_t pages);

/* Whether virt may be mapped/unmapped through this API at all: not the
 * identity map below, not arch's windows above. */
static inline bool vmm_managed(vaddr_t virt)
{
	return virt - LAYOUT_IDENTITY_END < LAYOUT_KMAP_BASE - LAYOUT_IDENTITY_END;
}
uint32_t vmm_mapped_count(void); /* pages mapped: kernel part + the active user part */
uint32_t vmm_table_count(void);	 /* page tables: kernel part + the active user part */
/* Present entries in the table behind PDE pdi of the active space, or of as;
 * 0 without a table or outside the VMM's region. */
uint32_t vmm_table_entries(uint32_t pdi);
uint32_t vmm_table_entries_in(const struct aspace *as, uint32_t pdi);

/* The boot self-test at LAYOUT_VMM_TEST_PAGE; returns false on failure. */
bool vmm_test_once(void);

/* ---- inline parts -------------------------------------------------------- */

#include "mm/aspace.h"

/* pte_walk, also storing the PDE it went through in *pde (map and unmap
 * count entries in the table's record and need both). */
static inline pte_t *pte_walk_pde(struct aspace *as, vaddr_t va, bool create, pte_t *pde)
{
	if (as == aspace_active) {
		*pde = arch_active_pd_view()[pde_index(va)];
		if (__builtin_expect(*pde & PTE_PRESENT, 1))
			return arch_active_pte_view(va);
	} else {
		*pde = arch_pd_view(as->pd)[pde_index(va)];
		if (*pde & PTE_PRESENT)
			return arch_pte_view(as->pd, va); /* fork and exit edit a space this way */
	}
	if (!create)
		return NULL;
	pte_t *pte = pte_walk_create(as, va);
	if (pte) /* a table was made: the view is as's */
		*pde = arch_pd_view(as->pd)[pde_index(va)];
	return pte;
}

static inline pte_t *pte_walk(struct aspace *as, vaddr_t va, bool create)
{
	pte_t pde;
	return pte_walk_pde(as, va, create, &pde);
}

static inline paddr_t vmm_get_physical(vaddr_t virt)
{
	pte_t *pte = pte_walk(aspace_active, virt, false);
	return pte && (*pte & PTE_PRESENT) ? (*pte & PTE_FRAME_MASK) | (virt & PAGE_OFFSET_MASK)
					   : 0;
}

#endif
