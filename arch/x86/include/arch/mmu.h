/* The small contract between mm/ and the x86 MMU: the PDE/PTE bit layout and
 * the handful of functions mm/ uses to reach page tables and the TLB.  The
 * kernel gets the real ones (inline, they sit on hot paths); the host tests
 * (TOYIX_HOST) link a fake whose "physical memory" is an array.
 *
 *  31                      12 11  9 8 7 6 5 4 3 2 1 0
 * +--------------------------+-----+-+-+-+-+-+-+-+-+-+
 * |  frame address           | avl |G|0|D|A|C|W|U|W|P|
 * +--------------------------+-----+-+-+-+-+-+-+-+-+-+
 *                             bit 9: PDE_FIXED   PCD PWT U/S R/W Present
 */
#ifndef ARCH_MMU_H
#define ARCH_MMU_H

#include <stdint.h>

#include "mm/layout.h"
#include "mm/types.h"

typedef uint32_t pte_t;

#define PT_ENTRIES 1024u
#define PDE_SHIFT  22u

#define PTE_PRESENT	 0x001u
#define PTE_WRITABLE	 0x002u
#define PTE_USER	 0x004u
#define PTE_WRITETHROUGH 0x008u
#define PTE_NOCACHE	 0x010u
#define PTE_ACCESSED	 0x020u
#define PTE_DIRTY	 0x040u
#define PTE_GLOBAL	 0x100u
/* An "available to software" bit: set on the page-directory entries paging
 * owns (the identity map, the recursive slot), so the VMM's fast paths tell
 * its own tables from those with the same test that checks presence. */
#define PDE_FIXED      0x200u
#define PTE_FRAME_MASK 0xFFFFF000u
#define PTE_FLAGS_MASK 0x00000FFFu

static inline uint32_t pde_index(vaddr_t va)
{
	return va >> PDE_SHIFT;
}

static inline uint32_t pte_index(vaddr_t va)
{
	return (va >> PAGE_SHIFT) & (PT_ENTRIES - 1u);
}

static inline vaddr_t pde_base(uint32_t pdi)
{
	return pdi << PDE_SHIFT;
}

#ifdef TOYIX_HOST
pte_t *arch_page_directory(void);
pte_t *arch_page_table(uint32_t pdi);
/* The PTE of va; valid only while va's PDE is present. */
static inline pte_t *arch_pte(vaddr_t va)
{
	return &arch_page_table(pde_index(va))[pte_index(va)];
}
void arch_tlb_flush_page(vaddr_t va);
void arch_pde_changed(uint32_t pdi);
void *arch_phys_to_virt(paddr_t pa);
#else
#include "arch/cpu.h"

extern pte_t kernel_page_directory[PT_ENTRIES];

/* The one kernel page directory (statically allocated, identity-mapped). */
static inline pte_t *arch_page_directory(void)
{
	return kernel_page_directory;
}

/* The page table behind PDE pdi, seen through the recursive slot; valid only
 * while that PDE is present. */
static inline pte_t *arch_page_table(uint32_t pdi)
{
	return (pte_t *)(LAYOUT_RECURSIVE_BASE + pdi * PAGE_SIZE);
}

/* The PTE of va; valid only while va's PDE is present.  Through the recursive
 * slot all page tables form one array of PTEs indexed by page number. */
static inline pte_t *arch_pte(vaddr_t va)
{
	return (pte_t *)LAYOUT_RECURSIVE_BASE + (va >> PAGE_SHIFT);
}

static inline void arch_tlb_flush_page(vaddr_t va)
{
	invlpg(va);
}

/* After PDE pdi changed: the recursive window onto its table and any cached
 * walk through the old entry must go. */
static inline void arch_pde_changed(uint32_t pdi)
{
	invlpg((vaddr_t)arch_page_table(pdi));
	invlpg(pde_base(pdi));
}

/* Only for memory below LAYOUT_IDENTITY_END, which is identity-mapped. */
static inline void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}
#endif

#endif
