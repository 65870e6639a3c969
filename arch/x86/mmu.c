/* The x86 side of arch/mmu.h: which directory is active, the foreign view of
 * one other directory, and a window onto single frames for copying. */
#include "arch/mmu.h"

#include "arch/cpu.h"
#include "lib/string.h"

#define NO_DIRECTORY 0xFFFFFFFFu
#define KMAP_SLOTS   4u /* a source and a destination frame, a page table, bytes */
#define KMAP_TABLE   2u
/* The bytes window is its own: a fault resolved while a caller holds bytes
 * it read there cannot have moved the copy windows or the table window
 * under it, nor the reverse. */
#define KMAP_BYTES 3u

paddr_t arch_cr3 = NO_DIRECTORY;
paddr_t arch_foreign_pd = NO_DIRECTORY;

/* The table behind PDE pde_index(LAYOUT_KMAP_BASE): part of the kernel image,
 * so every directory shares it from boot and it is never freed. */
pte_t kmap_table[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));

static pte_t *active_directory(void)
{
	return (pte_t *)(LAYOUT_RECURSIVE_BASE + LAYOUT_RECURSIVE_SLOT * PAGE_SIZE);
}

paddr_t arch_active_pd(void)
{
	return arch_cr3;
}

/* Every window of the foreign slot may be cached in the TLB: reloading CR3
 * drops them (kernel pages are global and stay). */
static void foreign_flush(void)
{
	reload_cr3();
}

void arch_activate_pd(paddr_t pd)
{
	if (pd == arch_cr3)
		return;
	arch_cr3 = pd;
	arch_foreign_pd = NO_DIRECTORY;
	write_cr3(pd);
}

void arch_foreign_load(paddr_t pd)
{
	/* PDE_FIXED: the window is arch's, never one of the VMM's tables. */
	active_directory()[LAYOUT_FOREIGN_SLOT] = pd | PTE_PRESENT | PTE_WRITABLE | PDE_FIXED;
	arch_foreign_pd = pd;
	foreign_flush();
}

void arch_forget_pd(paddr_t pd)
{
	if (pd != arch_foreign_pd)
		return;
	active_directory()[LAYOUT_FOREIGN_SLOT] = 0;
	arch_foreign_pd = NO_DIRECTORY;
	foreign_flush();
}

void arch_pde_changed(paddr_t pd, uint32_t pdi)
{
	if (pd == arch_cr3) {
		invlpg(LAYOUT_RECURSIVE_BASE + pdi * PAGE_SIZE);
		invlpg(pde_base(pdi));
	} else if (pd == arch_foreign_pd) {
		invlpg(LAYOUT_FOREIGN_BASE + pdi * PAGE_SIZE);
	}
}

static void *kmap(uint32_t slot, paddr_t frame)
{
	vaddr_t va = LAYOUT_KMAP_BASE + slot * PAGE_SIZE;
	kmap_table[slot] = frame | PTE_PRESENT | PTE_WRITABLE;
	invlpg(va);
	return (void *)(uintptr_t)va;
}

void arch_copy_frame(paddr_t dst, paddr_t src)
{
	memcpy(kmap(0, dst), kmap(1, src), PAGE_SIZE);
}

void arch_zero_frame(paddr_t dst)
{
	memset32(kmap(0, dst), 0, PT_ENTRIES);
}

/* A slot of its own: a frame copy or clear between two uses of the window
 * (a new table for the child) must not move it. */
pte_t *arch_table_window(paddr_t table)
{
	return kmap(KMAP_TABLE, table);
}

void arch_frame_read(paddr_t frame, uint32_t offset, void *dst, uint32_t n)
{
	memcpy(dst, (const uint8_t *)kmap(KMAP_BYTES, frame) + offset, n);
}

void arch_frame_write(paddr_t frame, uint32_t offset, const void *src, uint32_t n)
{
	memcpy((uint8_t *)kmap(KMAP_BYTES, frame) + offset, src, n);
}

uint32_t arch_fault_address(void)
{
	return read_cr2();
}

extern const char arch_uaccess_copy[], arch_uaccess_fixup[];

uint32_t arch_uaccess_fault_fixup(uint32_t eip)
{
	return eip == (uint32_t)(uintptr_t)arch_uaccess_copy
		       ? (uint32_t)(uintptr_t)arch_uaccess_fixup
		       : 0;
}
