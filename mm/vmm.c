/* The virtual memory manager for the one kernel address space.
 *
 * Page tables are reached through the recursive slot, so they may sit in any
 * frame (the seed's "below 16 MiB" rule is gone):
 *
 *   PDE 1023 -> the page directory itself, therefore
 *   0xFFC00000 + i * 4 KiB  is page table i   (for every present PDE i)
 *   0xFFFFF000              is the directory
 *
 * The VMM manages [LAYOUT_IDENTITY_END, LAYOUT_RECURSIVE_BASE): the identity
 * map below belongs to paging, the window above to the recursion.  Each of
 * its tables counts its present entries; when the last one goes, the table's
 * frame goes back to the PMM.  Every mapping holds a reference on its frame
 * (pmm_ref), so a mapped frame cannot be freed under the mapping.
 */
#include "mm/vmm.h"

#include <stddef.h>

#include "drivers/console.h"
#include "lib/string.h"
#include "mm/pmm.h"

#define PDE_TABLE_FLAGS (PTE_PRESENT | PTE_WRITABLE | PTE_USER) /* PTEs decide */

/* vmm_table_used[pdi]: present PTEs in VMM table pdi (declared in vmm.h for
 * the inline paths).  The number of mapped pages is their sum, so the hot
 * paths keep one counter, not two. */
uint32_t vmm_table_used[PT_ENTRIES];
static uint32_t tables;

static bool flags_valid(uint32_t flags)
{
	return (flags & ~VMM_ALLOWED_FLAGS) == 0;
}

/* The PTE for virt, or NULL when its table does not exist. */
static inline pte_t *pte_lookup(vaddr_t virt)
{
	if (!(arch_page_directory()[pde_index(virt)] & PTE_PRESENT))
		return NULL;
	return arch_pte(virt);
}

static int table_create(uint32_t pdi)
{
	paddr_t frame = pmm_alloc_as(FRAME_PAGE_TABLE);
	if (frame == PMM_INVALID_PAGE)
		return VMM_ERR_NO_MEMORY;
	arch_page_directory()[pdi] = frame | PDE_TABLE_FLAGS;
	arch_pde_changed(pdi);
	memset32(arch_page_table(pdi), 0, PT_ENTRIES);
	vmm_table_used[pdi] = 0;
	tables++;
	return VMM_OK;
}

static __attribute__((noinline)) void table_destroy(uint32_t pdi)
{
	pte_t *pde = &arch_page_directory()[pdi];
	paddr_t frame = *pde & PTE_FRAME_MASK;
	*pde = 0;
	arch_pde_changed(pdi);
	pmm_free_as(frame, FRAME_PAGE_TABLE);
	tables--;
}

void vmm_init(void)
{
	memset(vmm_table_used, 0, sizeof(vmm_table_used));
	tables = 0;
	console_writeln("VMM: initialized kernel address-space mapper");
}

/* The general paths of map and unmap (the common case is inline in vmm.h):
 * every error, table creation and freeing, and the PMM's slow reference
 * paths.  They check everything from the start. */

int vmm_map_general(vaddr_t virt, paddr_t phys, uint32_t flags)
{
	if (!page_aligned(virt | phys) || !flags_valid(flags) || !vmm_managed(virt))
		return VMM_ERR_INVALID;
	uint32_t pdi = pde_index(virt);
	bool have_table = arch_page_directory()[pdi] & PTE_PRESENT;
	if (have_table && (*arch_pte(virt) & PTE_PRESENT))
		return VMM_ERR_ALREADY_MAPPED;
	/* Free frames and page tables may not be mapped: the first would be
	 * handed out again under the mapping, the second scribbled on. */
	if (pmm_ref(phys) != PMM_OK)
		return VMM_ERR_INVALID;
	if (!have_table) {
		int rc = table_create(pdi);
		if (rc != VMM_OK) {
			pmm_unref(phys);
			return rc;
		}
	}
	*arch_pte(virt) = phys | flags | PTE_PRESENT;
	arch_tlb_flush_page(virt);
	vmm_table_used[pdi]++;
	return VMM_OK;
}

int vmm_unmap_general(vaddr_t virt)
{
	if (!page_aligned(virt) || !vmm_managed(virt))
		return VMM_ERR_INVALID;
	pte_t *pte = pte_lookup(virt);
	if (!pte || !(*pte & PTE_PRESENT))
		return VMM_ERR_NOT_MAPPED;
	pte_t old = *pte;
	uint32_t pdi = pde_index(virt);
	*pte = 0;
	arch_tlb_flush_page(virt);
	pmm_unref(old & PTE_FRAME_MASK);
	if (--vmm_table_used[pdi] == 0)
		table_destroy(pdi);
	return VMM_OK;
}

int vmm_query(vaddr_t virt, paddr_t *phys, uint32_t *flags)
{
	pte_t *pte = pte_lookup(virt);
	if (!pte || !(*pte & PTE_PRESENT))
		return VMM_ERR_NOT_MAPPED;
	if (phys)
		*phys = (*pte & PTE_FRAME_MASK) | (virt & PAGE_OFFSET_MASK);
	if (flags)
		*flags = *pte & PTE_FLAGS_MASK;
	return VMM_OK;
}

int vmm_translate(vaddr_t virt, paddr_t *phys)
{
	if (!phys)
		return VMM_ERR_INVALID;
	return vmm_query(virt, phys, NULL);
}

int vmm_protect(vaddr_t virt, uint32_t flags)
{
	if (!page_aligned(virt) || !flags_valid(flags) || !vmm_managed(virt))
		return VMM_ERR_INVALID;
	pte_t *pte = pte_lookup(virt);
	if (!pte || !(*pte & PTE_PRESENT))
		return VMM_ERR_NOT_MAPPED;
	*pte = (*pte & PTE_FRAME_MASK) | flags | PTE_PRESENT;
	arch_tlb_flush_page(virt);
	return VMM_OK;
}

/* ---- ranges ------------------------------------------------------------- */

/* [virt, virt + pages pages) is non-empty, aligned and inside the managed
 * region without wrapping. */
static bool range_valid(vaddr_t virt, uint32_t pages)
{
	const uint32_t managed_pages = (LAYOUT_RECURSIVE_BASE - LAYOUT_IDENTITY_END) / PAGE_SIZE;
	return pages && pages <= managed_pages && page_aligned(virt) && vmm_managed(virt) &&
	       (LAYOUT_RECURSIVE_BASE - virt) / PAGE_SIZE >= pages;
}

static void unmap_first(vaddr_t virt, uint32_t done)
{
	while (done--)
		vmm_unmap_page(virt + done * PAGE_SIZE);
}

int vmm_map_range(vaddr_t virt, paddr_t phys, uint32_t pages, uint32_t flags)
{
	if (!range_valid(virt, pages) || !page_aligned(phys) ||
	    (uint64_t)phys + (uint64_t)pages * PAGE_SIZE > PHYS_LIMIT)
		return VMM_ERR_INVALID;
	for (uint32_t i = 0; i < pages; i++) {
		int rc = vmm_map_page(virt + i * PAGE_SIZE, phys + i * PAGE_SIZE, flags);
		if (rc != VMM_OK) {
			unmap_first(virt, i);
			return rc;
		}
	}
	return VMM_OK;
}

int vmm_unmap_range(vaddr_t virt, uint32_t pages)
{
	if (!range_valid(virt, pages))
		return VMM_ERR_INVALID;
	for (uint32_t i = 0; i < pages; i++)
		if (vmm_query(virt + i * PAGE_SIZE, NULL, NULL) != VMM_OK)
			return VMM_ERR_NOT_MAPPED;
	unmap_first(virt, pages);
	return VMM_OK;
}

/* Unmaps the first `done` pages of an allocated range and frees their frames. */
static void free_first(vaddr_t virt, uint32_t done)
{
	while (done--) {
		vaddr_t va = virt + done * PAGE_SIZE;
		paddr_t pa = vmm_get_physical(va);
		vmm_unmap_page(va);
		pmm_free_page(pa);
	}
}

int vmm_alloc_range(vaddr_t virt, uint32_t pages, uint32_t flags)
{
	if (!range_valid(virt, pages) || !flags_valid(flags))
		return VMM_ERR_INVALID;
	for (uint32_t i = 0; i < pages; i++) {
		paddr_t pa = pmm_alloc_page();
		int rc = pa == PMM_INVALID_PAGE ? VMM_ERR_NO_MEMORY
						: vmm_map_page(virt + i * PAGE_SIZE, pa, flags);
		if (rc != VMM_OK) {
			if (pa != PMM_INVALID_PAGE)
				pmm_free_page(pa);
			free_first(virt, i);
			return rc;
		}
	}
	return VMM_OK;
}

int vmm_free_range(vaddr_t virt, uint32_t pages)
{
	if (!range_valid(virt, pages))
		return VMM_ERR_INVALID;
	/* Check every page first, so a refusal changes nothing: each must be
	 * mapped once, to a frame the PMM handed out. */
	for (uint32_t i = 0; i < pages; i++) {
		paddr_t pa;
		if (vmm_query(virt + i * PAGE_SIZE, &pa, NULL) != VMM_OK)
			return VMM_ERR_NOT_MAPPED;
		if (pmm_frame_state(pa) != FRAME_ALLOCATED || pmm_frame_refs(pa) != 1)
			return VMM_ERR_INVALID;
	}
	free_first(virt, pages);
	return VMM_OK;
}

/* ---- statistics ---------------------------------------------------------- */

uint32_t vmm_mapped_count(void)
{
	uint32_t pages = 0;
	for (uint32_t pdi = 0; pdi < PT_ENTRIES; pdi++)
		pages += vmm_table_used[pdi];
	return pages;
}

uint32_t vmm_table_count(void)
{
	return tables;
}

uint32_t vmm_table_entries(uint32_t pdi)
{
	return pdi < PT_ENTRIES ? vmm_table_used[pdi] : 0;
}

const char *vmm_status_name(int status)
{
	switch (status) {
	case VMM_OK: return "ok";
	case VMM_ERR_INVALID: return "invalid argument";
	case VMM_ERR_NO_MEMORY: return "out of memory";
	case VMM_ERR_ALREADY_MAPPED: return "already mapped";
	case VMM_ERR_NOT_MAPPED: return "not mapped";
	default: return "unknown status";
	}
}

/* ---- boot self-test --------------------------------------------------------- */

static bool vmm_test_fail(const char *what, uint32_t got, uint32_t want)
{
	kprintf("VMM test: FAILED: %s (got 0x%08X, want 0x%08X)\n", what, got, want);
	return false;
}

bool vmm_test_once(void)
{
	console_writeln("VMM test: starting");
	const vaddr_t va = LAYOUT_VMM_TEST_PAGE;
	uint32_t free_before = pmm_free_count();
	paddr_t pa = pmm_alloc_page();
	if (pa == PMM_INVALID_PAGE)
		return vmm_test_fail("no frame for the test page", 0, 0);

	int rc = vmm_map_page(va, pa, PTE_WRITABLE);
	if (rc != VMM_OK)
		return vmm_test_fail("map", (uint32_t)rc, VMM_OK);
	if (vmm_get_physical(va + 0x123) != pa + 0x123)
		return vmm_test_fail("translate", vmm_get_physical(va + 0x123), pa + 0x123);
	if (vmm_map_page(va, pa, PTE_WRITABLE) != VMM_ERR_ALREADY_MAPPED)
		return vmm_test_fail("second map accepted", 0, (uint32_t)VMM_ERR_ALREADY_MAPPED);
	if (vmm_map_page(va + 1, pa, 0) != VMM_ERR_INVALID)
		return vmm_test_fail("unaligned map accepted", 0, (uint32_t)VMM_ERR_INVALID);

	volatile uint32_t *mapped = (volatile uint32_t *)(uintptr_t)va;
	mapped[0] = 0x11223344u;
	mapped[1] = 0x55667788u;
	if (mapped[0] != 0x11223344u || mapped[1] != 0x55667788u)
		return vmm_test_fail("read back through the mapping", mapped[0], 0x11223344u);

	if ((rc = vmm_unmap_page(va)) != VMM_OK)
		return vmm_test_fail("unmap", (uint32_t)rc, VMM_OK);
	if (vmm_unmap_page(va) != VMM_ERR_NOT_MAPPED)
		return vmm_test_fail("second unmap accepted", 0, (uint32_t)VMM_ERR_NOT_MAPPED);
	paddr_t after;
	if (vmm_translate(va, &after) != VMM_ERR_NOT_MAPPED)
		return vmm_test_fail("translate after unmap", after, 0);
	if ((rc = pmm_free_page(pa)) != PMM_OK)
		return vmm_test_fail("free the test frame", (uint32_t)rc, PMM_OK);
	if (pmm_free_count() != free_before)
		return vmm_test_fail("frames leaked (free count)", pmm_free_count(), free_before);
	console_writeln("VMM test: map/translate/write/unmap sanity check passed");
	return true;
}
