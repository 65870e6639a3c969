/* The inline half of arch/mmu.h for the real MMU: the active directory seen
 * through its recursive slot, another one through the foreign slot, and the
 * identity map for low memory.  Included by arch/mmu.h only. */
#ifndef ARCH_MMU_IMPL_H
#define ARCH_MMU_IMPL_H

#include "arch/cpu.h"

extern pte_t kernel_page_directory[PT_ENTRIES];
extern paddr_t arch_cr3;	/* what CR3 holds: kept in memory, read on hot paths */
extern paddr_t arch_foreign_pd; /* what the active directory's foreign slot shows */
void arch_foreign_load(paddr_t pd);

static inline pte_t *arch_pd_view(paddr_t pd)
{
	if (pd == arch_cr3)
		return (pte_t *)(LAYOUT_RECURSIVE_BASE + LAYOUT_RECURSIVE_SLOT * PAGE_SIZE);
	if (pd != arch_foreign_pd)
		arch_foreign_load(pd);
	return (pte_t *)(LAYOUT_RECURSIVE_BASE + LAYOUT_FOREIGN_SLOT * PAGE_SIZE);
}

static inline pte_t *arch_pt_view(paddr_t pd, uint32_t pdi)
{
	if (pd == arch_cr3)
		return (pte_t *)(LAYOUT_RECURSIVE_BASE + pdi * PAGE_SIZE);
	if (pd != arch_foreign_pd)
		arch_foreign_load(pd);
	return (pte_t *)(LAYOUT_FOREIGN_BASE + pdi * PAGE_SIZE);
}

static inline pte_t *arch_pte_view(paddr_t pd, vaddr_t va)
{
	if (pd == arch_cr3)
		return (pte_t *)LAYOUT_RECURSIVE_BASE + (va >> PAGE_SHIFT);
	if (pd != arch_foreign_pd)
		arch_foreign_load(pd);
	return (pte_t *)LAYOUT_FOREIGN_BASE + (va >> PAGE_SHIFT);
}

static inline pte_t *arch_active_pd_view(void)
{
	return (pte_t *)(LAYOUT_RECURSIVE_BASE + LAYOUT_RECURSIVE_SLOT * PAGE_SIZE);
}

/* The PTE's address as an integer sum, not as an index off a constant
 * pointer: clang keeps a constant pointer that is indexed in a register
 * (one more instruction, and a register, wherever a walk also reads the
 * directory), while both compilers fold a constant added to an integer into
 * the load's displacement. */
static inline pte_t *arch_active_pte_view(vaddr_t va)
{
	return (pte_t *)(LAYOUT_RECURSIVE_BASE + (va >> PAGE_SHIFT) * (uint32_t)sizeof(pte_t));
}

static inline void arch_tlb_flush_page(vaddr_t va)
{
	invlpg(va);
}

/* User pages are never global, so reloading CR3 drops all of them (and the
 * foreign view's windows) and keeps the kernel's. */
static inline void arch_tlb_flush_user(void)
{
	reload_cr3();
}

static inline void *arch_phys_to_virt(paddr_t pa)
{
	return (void *)(uintptr_t)pa;
}

#endif
