/* Contract tests of the VMM, run in the kernel and on the host.  They work in
 * LAYOUT_TEST_SCRATCH and leave it empty; the runner calls vm_check() after
 * each case. */
#include <stddef.h>

#include "kernel/ktest.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "mm/vmm.h"
#include "test_env.h"

#define SCRATCH LAYOUT_TEST_SCRATCH
#define REGION	(PT_ENTRIES * PAGE_SIZE) /* what one page table covers */

/* A snapshot of everything a failed call must leave alone. */
struct vm_snapshot {
	uint32_t free_frames, mapped, tables;
	pte_t pde;
};

static struct vm_snapshot snapshot(vaddr_t va)
{
	return (struct vm_snapshot){pmm_free_count(), vmm_mapped_count(), vmm_table_count(),
				    arch_pd_view(arch_active_pd())[pde_index(va)]};
}

#define EXPECT_UNCHANGED(t, s, va)                                                                 \
	do {                                                                                       \
		struct vm_snapshot now_ = snapshot(va);                                            \
		KT_EXPECT_EQ(t, now_.free_frames, (s).free_frames);                                \
		KT_EXPECT_EQ(t, now_.mapped, (s).mapped);                                          \
		KT_EXPECT_EQ(t, now_.tables, (s).tables);                                          \
		KT_EXPECT_EQ(t, now_.pde, (s).pde);                                                \
	} while (0)

KTEST(vmm, map_translate_unmap)
{
	paddr_t pa = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH, pa, PTE_WRITABLE), VMM_OK);
	KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH), pa);
	KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH + 0xABC), pa + 0xABC);
	paddr_t out = 0;
	uint32_t flags = 0;
	KT_EXPECT_EQ(t, vmm_query(SCRATCH + 4, &out, &flags), VMM_OK);
	KT_EXPECT_EQ(t, out, pa + 4);
	KT_EXPECT_EQ(t, flags & (PTE_PRESENT | PTE_WRITABLE | PTE_USER),
		     PTE_PRESENT | PTE_WRITABLE);
	KT_EXPECT_EQ(t, pmm_frame_refs(pa), 1);
	KT_EXPECT_TRUE(t, vm_check());
	KT_EXPECT_EQ(t, vmm_unmap_page(SCRATCH), VMM_OK);
	KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH), 0);
	KT_EXPECT_EQ(t, vmm_translate(SCRATCH, &out), VMM_ERR_NOT_MAPPED);
	KT_EXPECT_EQ(t, pmm_frame_refs(pa), 0);
	KT_EXPECT_EQ(t, pmm_free_page(pa), PMM_OK);
}

KTEST(vmm, map_rejects_bad_arguments)
{
	paddr_t pa = pmm_alloc_page();
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH + 1, pa, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH, pa + 0x10, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH, pa, 0x200), VMM_ERR_INVALID); /* AVL bit */
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH, pa, PTE_DIRTY), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH, pa, 0x1000), VMM_ERR_INVALID); /* frame bits */
	KT_EXPECT_EQ(t, vmm_map_page(0, pa, 0), VMM_ERR_INVALID);	     /* NULL page */
	KT_EXPECT_EQ(t, vmm_map_page(LAYOUT_IDENTITY_END - PAGE_SIZE, pa, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_page(LAYOUT_RECURSIVE_BASE, pa, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_page(0xFFFFF000u, pa, 0), VMM_ERR_INVALID);
	EXPECT_UNCHANGED(t, s, SCRATCH);
	KT_EXPECT_EQ(t, pmm_frame_refs(pa), 0);
	pmm_free_page(pa);
}

KTEST(vmm, map_rejects_free_frames_and_page_tables)
{
	paddr_t pa = pmm_alloc_page();
	pmm_free_page(pa);
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH, pa, PTE_WRITABLE), VMM_ERR_INVALID);
	EXPECT_UNCHANGED(t, s, SCRATCH);

	paddr_t data = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH, data, PTE_WRITABLE), VMM_OK);
	paddr_t table = arch_pd_view(arch_active_pd())[pde_index(SCRATCH)] & PTE_FRAME_MASK;
	KT_EXPECT_EQ(t, pmm_frame_state(table), FRAME_PAGE_TABLE);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH + PAGE_SIZE, table, PTE_WRITABLE), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, pmm_free_page(table), PMM_ERR_IN_USE);
	KT_EXPECT_EQ(t, pmm_free_page(data), PMM_ERR_IN_USE); /* still mapped */
	vmm_unmap_page(SCRATCH);
	KT_EXPECT_EQ(t, pmm_free_page(data), PMM_OK);
}

KTEST(vmm, second_map_is_already_mapped)
{
	paddr_t a = pmm_alloc_page(), b = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH, a, 0), VMM_OK);
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH, b, PTE_WRITABLE), VMM_ERR_ALREADY_MAPPED);
	EXPECT_UNCHANGED(t, s, SCRATCH);
	KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH), a);
	KT_EXPECT_EQ(t, pmm_frame_refs(b), 0);
	vmm_unmap_page(SCRATCH);
	pmm_free_page(a);
	pmm_free_page(b);
}

KTEST(vmm, unmap_rejects_bad_arguments)
{
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_unmap_page(SCRATCH), VMM_ERR_NOT_MAPPED);
	KT_EXPECT_EQ(t, vmm_unmap_page(SCRATCH + 8), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_unmap_page(0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_unmap_page(0x00100000u), VMM_ERR_INVALID); /* the kernel */
	KT_EXPECT_EQ(t, vmm_unmap_page(0xB8000u), VMM_ERR_INVALID);    /* VGA */
	KT_EXPECT_EQ(t, vmm_unmap_page(LAYOUT_RECURSIVE_BASE), VMM_ERR_INVALID);
	EXPECT_UNCHANGED(t, s, SCRATCH);
}

KTEST(vmm, physical_zero_is_not_ambiguous)
{
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH, 0, 0), VMM_OK); /* reserved frame: allowed */
	paddr_t pa = 0xDEAD;
	KT_EXPECT_EQ(t, vmm_translate(SCRATCH, &pa), VMM_OK);
	KT_EXPECT_EQ(t, pa, 0);
	KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH), 0);
	KT_EXPECT_EQ(t, vmm_translate(SCRATCH, NULL), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_unmap_page(SCRATCH), VMM_OK);
	KT_EXPECT_EQ(t, vmm_translate(SCRATCH, &pa), VMM_ERR_NOT_MAPPED);
}

KTEST(vmm, empty_table_is_freed)
{
	struct vm_snapshot s = snapshot(SCRATCH);
	paddr_t pa = pmm_alloc_page();
	for (int round = 0; round < 3; round++) {
		KT_ASSERT_EQ(t, vmm_map_page(SCRATCH + REGION - PAGE_SIZE, pa, 0), VMM_OK);
		KT_EXPECT_EQ(t, vmm_table_count(), s.tables + 1);
		KT_EXPECT_EQ(t, vmm_table_entries(pde_index(SCRATCH)), 1);
		KT_ASSERT_EQ(t, vmm_unmap_page(SCRATCH + REGION - PAGE_SIZE), VMM_OK);
	}
	pmm_free_page(pa);
	EXPECT_UNCHANGED(t, s, SCRATCH);
}

KTEST(vmm, no_memory_for_table_writes_nothing)
{
	paddr_t pa = pmm_alloc_page();
	struct vm_snapshot s = snapshot(SCRATCH);
	pmm_fail_nth_alloc(1);
	KT_EXPECT_EQ(t, vmm_map_page(SCRATCH, pa, PTE_WRITABLE), VMM_ERR_NO_MEMORY);
	pmm_fail_nth_alloc(0);
	EXPECT_UNCHANGED(t, s, SCRATCH);
	KT_EXPECT_EQ(t, pmm_frame_refs(pa), 0);
	pmm_free_page(pa);
}

KTEST(vmm, protect_changes_flags)
{
	paddr_t pa = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH, pa, PTE_WRITABLE), VMM_OK);
	KT_EXPECT_EQ(t, vmm_protect(SCRATCH, 0), VMM_OK);
	uint32_t flags = 0;
	vmm_query(SCRATCH, NULL, &flags);
	KT_EXPECT_EQ(t, flags & PTE_WRITABLE, 0);
	KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH), pa);
	KT_EXPECT_EQ(t, vmm_protect(SCRATCH, 0x800), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_protect(SCRATCH + PAGE_SIZE, 0), VMM_ERR_NOT_MAPPED);
	KT_EXPECT_EQ(t, vmm_protect(0x00100000u, 0), VMM_ERR_INVALID);
	vmm_unmap_page(SCRATCH);
	pmm_free_page(pa);
}

KTEST(vmm, map_range_is_all_or_nothing)
{
	paddr_t base = 0x00100000u; /* kernel frames: mappable aliases, never freed */
	paddr_t blocker = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH + 5 * PAGE_SIZE, blocker, 0), VMM_OK);
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_map_range(SCRATCH, base, 8, 0), VMM_ERR_ALREADY_MAPPED);
	EXPECT_UNCHANGED(t, s, SCRATCH);
	for (uint32_t i = 0; i < 5; i++)
		KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH + i * PAGE_SIZE), 0);
	vmm_unmap_page(SCRATCH + 5 * PAGE_SIZE);
	pmm_free_page(blocker);

	/* Across a table boundary, with the second table failing to appear. */
	s = snapshot(SCRATCH);
	pmm_fail_nth_alloc(2);
	KT_EXPECT_EQ(t, vmm_map_range(SCRATCH + REGION - 2 * PAGE_SIZE, base, 4, 0),
		     VMM_ERR_NO_MEMORY);
	pmm_fail_nth_alloc(0);
	EXPECT_UNCHANGED(t, s, SCRATCH);
	KT_EXPECT_EQ(t, vmm_map_range(SCRATCH + REGION - 2 * PAGE_SIZE, base, 4, 0), VMM_OK);
	KT_EXPECT_EQ(t, vmm_get_physical(SCRATCH + REGION + PAGE_SIZE), base + 3 * PAGE_SIZE);
	KT_EXPECT_EQ(t, vmm_unmap_range(SCRATCH + REGION - 2 * PAGE_SIZE, 4), VMM_OK);
	EXPECT_UNCHANGED(t, s, SCRATCH);
}

KTEST(vmm, range_arguments_are_checked)
{
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_map_range(SCRATCH, 0x00100000u, 0, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_range(LAYOUT_RECURSIVE_BASE - PAGE_SIZE, 0x00100000u, 2, 0),
		     VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_range(SCRATCH, 0xFFFFF000u, 2, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_map_range(SCRATCH, 0x00100000u, 0xFFFFFFFFu, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_alloc_range(SCRATCH, 0, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_alloc_range(SCRATCH + 1, 1, 0), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_alloc_range(SCRATCH, 1, 0x400), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_unmap_range(SCRATCH, 3), VMM_ERR_NOT_MAPPED);
	KT_EXPECT_EQ(t, vmm_free_range(SCRATCH, 3), VMM_ERR_NOT_MAPPED);
	EXPECT_UNCHANGED(t, s, SCRATCH);
}

KTEST(vmm, unmap_range_with_a_hole_changes_nothing)
{
	KT_ASSERT_EQ(t, vmm_map_range(SCRATCH, 0x00100000u, 3, 0), VMM_OK);
	KT_ASSERT_EQ(t, vmm_unmap_page(SCRATCH + PAGE_SIZE), VMM_OK);
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_unmap_range(SCRATCH, 3), VMM_ERR_NOT_MAPPED);
	EXPECT_UNCHANGED(t, s, SCRATCH);
	vmm_unmap_page(SCRATCH);
	vmm_unmap_page(SCRATCH + 2 * PAGE_SIZE);
}

/* Walks the injected failure over every frame allocation vmm_alloc_range
 * makes (its frames and both page tables): each failure undoes everything. */
KTEST(vmm, alloc_range_survives_every_failure_point)
{
	const vaddr_t va = SCRATCH + REGION - 3 * PAGE_SIZE;
	const uint32_t pages = 6; /* 3 pages in each of two tables */
	struct vm_snapshot s = snapshot(SCRATCH);
	uint32_t points = 0;
	for (uint32_t n = 1;; n++) {
		pmm_fail_nth_alloc(n);
		int rc = vmm_alloc_range(va, pages, PTE_WRITABLE);
		pmm_fail_nth_alloc(0);
		if (rc == VMM_OK) {
			KT_EXPECT_EQ(t, vmm_free_range(va, pages), VMM_OK);
			break;
		}
		points++;
		KT_EXPECT_EQ(t, rc, VMM_ERR_NO_MEMORY);
		EXPECT_UNCHANGED(t, s, SCRATCH);
		KT_ASSERT_TRUE(t, vm_check());
		KT_ASSERT_TRUE(t, n < 100);
	}
	KT_EXPECT_EQ(t, points, pages + 2);
	EXPECT_UNCHANGED(t, s, SCRATCH);
}

KTEST(vmm, free_range_refuses_shared_frames)
{
	KT_ASSERT_EQ(t, vmm_alloc_range(SCRATCH, 2, PTE_WRITABLE), VMM_OK);
	paddr_t pa = vmm_get_physical(SCRATCH);
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH + 8 * PAGE_SIZE, pa, 0), VMM_OK);
	struct vm_snapshot s = snapshot(SCRATCH);
	KT_EXPECT_EQ(t, vmm_free_range(SCRATCH, 2), VMM_ERR_INVALID);
	EXPECT_UNCHANGED(t, s, SCRATCH);
	vmm_unmap_page(SCRATCH + 8 * PAGE_SIZE);
	KT_EXPECT_EQ(t, vmm_free_range(SCRATCH, 2), VMM_OK);
}

/* Page tables may come from any frame: with every frame below 16 MiB taken,
 * a new table still appears, above 16 MiB. */
KTEST(vmm, tables_come_from_any_frame)
{
	const paddr_t low = 0x01000000u;
	if (test_env_beyond_ram() <= low + PAGE_SIZE) {
		ktest_skip(t, "no RAM above 16 MiB");
		return;
	}
	if (!test_env_low_frames_free()) {
		ktest_skip(t, "boot modules fill the first 16 MiB");
		return;
	}
	uint32_t before = pmm_free_count();
	paddr_t first = PMM_INVALID_PAGE;
	uint32_t taken = 0;
	/* The taken frames are identity-mapped, so they can hold their own list. */
	for (paddr_t a; (a = pmm_alloc_page_below(low)) != PMM_INVALID_PAGE; taken++) {
		*(paddr_t *)arch_phys_to_virt(a) = first;
		first = a;
	}
	paddr_t data = pmm_alloc_page();
	int rc = vmm_map_page(SCRATCH + 7 * REGION, data, PTE_WRITABLE);
	KT_EXPECT_EQ(t, rc, VMM_OK);
	paddr_t table =
		arch_pd_view(arch_active_pd())[pde_index(SCRATCH + 7 * REGION)] & PTE_FRAME_MASK;
	KT_EXPECT_TRUE(t, table >= low);
	if (rc == VMM_OK)
		vmm_unmap_page(SCRATCH + 7 * REGION);
	pmm_free_page(data);
	while (first != PMM_INVALID_PAGE) {
		paddr_t next = *(paddr_t *)arch_phys_to_virt(first);
		pmm_free_page(first);
		first = next;
	}
	KT_EXPECT_TRUE(t, taken > 0);
	KT_EXPECT_EQ(t, pmm_free_count(), before);
}

/* A heap frame is mapped once, by the heap: a second mapping would keep the
 * frame past the heap's shrink, when the heap can no longer free it. */
KTEST(vmm, heap_frame_takes_no_second_mapping)
{
	paddr_t heap_pa = vmm_get_physical(LAYOUT_HEAP_START);
	KT_ASSERT_EQ(t, pmm_frame_state(heap_pa), FRAME_HEAP);
	struct vm_snapshot before = snapshot(SCRATCH);
	int rc = vmm_map_page(SCRATCH, heap_pa, PTE_WRITABLE);
	KT_EXPECT_EQ(t, rc, VMM_ERR_INVALID);
	if (rc == VMM_OK)
		vmm_unmap_page(SCRATCH);
	KT_EXPECT_EQ(t, vmm_map_range(SCRATCH, heap_pa, 1, 0), VMM_ERR_INVALID);
	EXPECT_UNCHANGED(t, before, SCRATCH);
	KT_EXPECT_EQ(t, pmm_frame_refs(heap_pa), 1);
}

/* vm_check knows every heap frame's owner: a heap frame no heap page maps
 * is lost for good, and must be reported. */
KTEST(vmm, check_catches_a_heap_frame_with_no_owner)
{
	paddr_t lost = pmm_alloc_as(FRAME_HEAP);
	KT_ASSERT_TRUE(t, lost != PMM_INVALID_PAGE);
	KT_EXPECT_TRUE(t, !vm_check());
	KT_EXPECT_EQ(t, pmm_free_as(lost, FRAME_HEAP), PMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
}
