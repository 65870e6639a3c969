/* The small contract between mm/ and the x86 MMU: the PDE/PTE bit layout and
 * the handful of functions mm/ uses to reach page tables and the TLB.  The
 * kernel gets the real ones (inline, they sit on hot paths); the host tests
 * get a fake whose "physical memory" is an array, through the same names.
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

#include "arch/layout.h"
#include "arch/types.h"

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
/* An "available to software" bit: set on the page-directory entries arch
 * owns (the identity map, the recursive slot, the windows above
 * LAYOUT_KMAP_BASE), so the VMM's fast paths tell its own tables from
 * those with the same test that checks presence. */
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

/* ---- the contract: every directory, current or not ------------------------
 *
 * A directory is named by its frame (pd).  mm/ edits any address space
 * through these views; it never assumes a frame is reachable at its physical
 * address.  On x86 the active directory is seen through its own recursive
 * slot, and one other directory at a time through the foreign slot:
 *
 *   PDE 1023 of every directory -> itself:  tables at 0xFFC00000 + i*4K,
 *                                            the directory at 0xFFFFF000
 *   PDE 1022 of the active one  -> another: its tables at 0xFF800000 + i*4K,
 *                                            that directory at 0xFFFFE000
 *
 * A view stays valid until the next view of another non-active directory or
 * the next activation. */
paddr_t arch_active_pd(void);
/* Loads pd into the MMU (CR3). */
void arch_activate_pd(paddr_t pd);
/* pd is about to be freed: no view may keep pointing at it. */
void arch_forget_pd(paddr_t pd);
/* The 1024 entries of directory pd. */
static inline pte_t *arch_pd_view(paddr_t pd);
/* Table pdi of directory pd; only while that PDE is present. */
static inline pte_t *arch_pt_view(paddr_t pd, uint32_t pdi);
/* The PTE of va in directory pd; only while va's PDE is present.  Through a
 * window all of a directory's tables form one array indexed by page number. */
static inline pte_t *arch_pte_view(paddr_t pd, vaddr_t va);
/* The same two views of the active directory, for hot paths that know the
 * space they edit is the active one. */
static inline pte_t *arch_active_pd_view(void);
static inline pte_t *arch_active_pte_view(vaddr_t va);
/* The active directory's TLB entry for va (kernel entries are the same in all). */
static inline void arch_tlb_flush_page(vaddr_t va);
/* Every TLB entry of the active space's user part at once: cheaper than a
 * flush per page when fork has just write-protected a whole table's worth. */
static inline void arch_tlb_flush_user(void);
/* A page table by its frame, whichever directory holds it (or none yet):
 * fork reads the parent's table through it while the child's directory
 * occupies the foreign view.  Valid until the next call. */
pte_t *arch_table_window(paddr_t table);
/* PDE pdi of directory pd changed: cached walks through it must go. */
void arch_pde_changed(paddr_t pd, uint32_t pdi);
/* Only for memory below LAYOUT_IDENTITY_END, which every space maps 1:1. */
static inline void *arch_phys_to_virt(paddr_t pa);
/* The address a page fault was taken on (CR2). */
uint32_t arch_fault_address(void);
/* Copies n bytes between kernel and user memory; returns the bytes not copied
 * when a fault could not be resolved (see arch/x86/uaccess.asm).  A fault in
 * it is recognised by arch_uaccess_fault_fixup(). */
uint32_t arch_copy_user(void *dst, const void *src, uint32_t n);
/* Where a fault at eip resumes when it cannot be resolved: the fixup of the
 * user-copy routine, or 0 for any other instruction. */
uint32_t arch_uaccess_fault_fixup(uint32_t eip);
/* Copies or clears a whole frame anywhere in RAM (through a kernel window). */
void arch_copy_frame(paddr_t dst, paddr_t src);
void arch_zero_frame(paddr_t dst);
/* Copies n bytes (offset + n <= PAGE_SIZE) out of or into a frame anywhere in
 * RAM, from or to kernel memory: never user memory, whose fault could reuse
 * the window mid-copy. */
void arch_frame_read(paddr_t frame, uint32_t offset, void *dst, uint32_t n);
void arch_frame_write(paddr_t frame, uint32_t offset, const void *src, uint32_t n);

/* The inline parts: arch/x86's own (arch/x86/include/arch/mmu_impl.h) in the
 * kernel, the fake machine's (tests/host/include/arch/mmu_impl.h) in host
 * builds, which put their include folder first. */
#include "arch/mmu_impl.h"

#endif
