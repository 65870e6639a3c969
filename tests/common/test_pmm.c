/* Contract tests of the PMM, run in the kernel and on the host. */
#include "kernel/ktest.h"
#include <stddef.h>

#include "mm/heap.h"
#include "mm/pmm.h"
#include "test_env.h"

KTEST(pmm, alloc_returns_aligned_distinct_frames)
{
	uint32_t before = pmm_free_count();
	paddr_t a = pmm_alloc_page(), b = pmm_alloc_page();
	KT_EXPECT_NE(t, a, PMM_INVALID_PAGE);
	KT_EXPECT_NE(t, b, PMM_INVALID_PAGE);
	KT_EXPECT_NE(t, a, b);
	KT_EXPECT_EQ(t, a & PAGE_OFFSET_MASK, 0);
	KT_EXPECT_EQ(t, pmm_free_count(), before - 2);
	KT_EXPECT_EQ(t, pmm_frame_state(a), FRAME_ALLOCATED);
	KT_EXPECT_EQ(t, pmm_free_page(a), PMM_OK);
	KT_EXPECT_EQ(t, pmm_free_page(b), PMM_OK);
	KT_EXPECT_EQ(t, pmm_free_count(), before);
}

KTEST(pmm, free_rejects_unaligned)
{
	paddr_t a = pmm_alloc_page();
	uint32_t free_before = pmm_free_count();
	KT_EXPECT_EQ(t, pmm_free_page(a + 4), PMM_ERR_INVALID);
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
	KT_EXPECT_EQ(t, pmm_frame_state(a), FRAME_ALLOCATED);
	KT_EXPECT_EQ(t, pmm_free_page(a), PMM_OK);
}

KTEST(pmm, free_rejects_beyond_ram)
{
	uint32_t before = pmm_free_count();
	KT_EXPECT_EQ(t, pmm_free_page(test_env_beyond_ram()), PMM_ERR_INVALID);
	KT_EXPECT_EQ(t, pmm_free_page(0xFFFFF000u), PMM_ERR_INVALID);
	KT_EXPECT_EQ(t, pmm_free_page(PMM_INVALID_PAGE), PMM_ERR_INVALID);
	KT_EXPECT_EQ(t, pmm_free_count(), before);
}

KTEST(pmm, free_rejects_reserved_and_kernel_frames)
{
	uint32_t before = pmm_free_count();
	KT_EXPECT_EQ(t, pmm_free_page(test_env_low_reserved_frame()), PMM_ERR_RESERVED);
	KT_EXPECT_EQ(t, pmm_free_page(test_env_kernel_frame()), PMM_ERR_RESERVED);
	KT_EXPECT_EQ(t, pmm_frame_state(test_env_kernel_frame()), FRAME_KERNEL);
	KT_EXPECT_EQ(t, pmm_free_count(), before);
}

KTEST(pmm, double_free_is_rejected)
{
	paddr_t a = pmm_alloc_page();
	KT_ASSERT_EQ(t, pmm_free_page(a), PMM_OK);
	uint32_t before = pmm_free_count();
	KT_EXPECT_EQ(t, pmm_free_page(a), PMM_ERR_NOT_ALLOCATED);
	KT_EXPECT_EQ(t, pmm_free_count(), before);
	KT_EXPECT_TRUE(t, pmm_check());
}

KTEST(pmm, never_allocated_frame_cannot_be_freed)
{
	/* Take the frame the allocator would hand out next, give it back, and it
	 * is free: freeing it again must fail whichever path it sits on. */
	paddr_t a = pmm_alloc_page();
	pmm_free_page(a);
	KT_EXPECT_EQ(t, pmm_free_page(a), PMM_ERR_NOT_ALLOCATED);
}

KTEST(pmm, freed_frame_is_reused_first)
{
	paddr_t a = pmm_alloc_page();
	pmm_free_page(a);
	paddr_t b = pmm_alloc_page();
	KT_EXPECT_EQ(t, b, a);
	pmm_free_page(b);
}

KTEST(pmm, owner_must_match_on_free)
{
	paddr_t heap_frame = pmm_alloc_as(FRAME_HEAP);
	KT_ASSERT_TRUE(t, heap_frame != PMM_INVALID_PAGE);
	KT_EXPECT_EQ(t, pmm_free_page(heap_frame), PMM_ERR_IN_USE);
	KT_EXPECT_EQ(t, pmm_free_as(heap_frame, FRAME_PAGE_TABLE), PMM_ERR_IN_USE);
	KT_EXPECT_EQ(t, pmm_free_as(heap_frame, FRAME_HEAP), PMM_OK);
	KT_EXPECT_EQ(t, pmm_alloc_as(FRAME_FREE), PMM_INVALID_PAGE);
	KT_EXPECT_EQ(t, pmm_alloc_as(FRAME_KERNEL), PMM_INVALID_PAGE);
}

KTEST(pmm, referenced_frame_cannot_be_freed)
{
	paddr_t a = pmm_alloc_page();
	KT_ASSERT_EQ(t, pmm_ref(a), PMM_OK);
	KT_EXPECT_EQ(t, pmm_frame_refs(a), 1);
	KT_EXPECT_EQ(t, pmm_free_page(a), PMM_ERR_IN_USE);
	KT_EXPECT_EQ(t, pmm_unref(a), PMM_OK);
	KT_EXPECT_EQ(t, pmm_unref(a), PMM_ERR_NOT_ALLOCATED);
	KT_EXPECT_EQ(t, pmm_free_page(a), PMM_OK);
	KT_EXPECT_EQ(t, pmm_ref(a), PMM_ERR_NOT_ALLOCATED); /* free frames take no refs */
}

KTEST(pmm, alloc_below_respects_limit)
{
	paddr_t limit = 0x01000000u;
	if (!test_env_low_frames_free()) {
		ktest_skip(t, "boot modules fill the first 16 MiB");
		return;
	}
	paddr_t a = pmm_alloc_page_below(limit);
	KT_ASSERT_TRUE(t, a != PMM_INVALID_PAGE);
	KT_EXPECT_TRUE(t, a < limit);
	KT_EXPECT_EQ(t, pmm_frame_state(a), FRAME_ALLOCATED);
	KT_EXPECT_EQ(t, pmm_free_page(a), PMM_OK);
	/* Also from the free stack: free a low frame and ask again. */
	paddr_t b = pmm_alloc_page_below(limit);
	KT_EXPECT_EQ(t, pmm_alloc_page_below(0), PMM_INVALID_PAGE);
	KT_EXPECT_EQ(t, pmm_free_page(b), PMM_OK);
}

KTEST(pmm, injected_failure_hits_exactly_the_nth_alloc)
{
	uint32_t before = pmm_free_count();
	pmm_fail_nth_alloc(2);
	paddr_t a = pmm_alloc_page();
	paddr_t b = pmm_alloc_page();
	paddr_t c = pmm_alloc_page();
	pmm_fail_nth_alloc(0);
	KT_EXPECT_NE(t, a, PMM_INVALID_PAGE);
	KT_EXPECT_EQ(t, b, PMM_INVALID_PAGE);
	KT_EXPECT_NE(t, c, PMM_INVALID_PAGE);
	pmm_free_page(a);
	pmm_free_page(c);
	KT_EXPECT_EQ(t, pmm_free_count(), before);
}

/* Every frame can be taken and given back, and the counts come out even. */
KTEST(pmm, exhaust_and_return_everything)
{
	/* The list of taken frames lives on the heap, sized before measuring. */
	uint32_t capacity = pmm_free_count();
	paddr_t *taken = kmalloc(capacity * sizeof(paddr_t));
	KT_ASSERT_TRUE(t, taken != NULL);
	uint32_t before = pmm_free_count();
	uint32_t n = 0;
	for (paddr_t a; n < capacity && (a = pmm_alloc_page()) != PMM_INVALID_PAGE;)
		taken[n++] = a;
	KT_EXPECT_EQ(t, n, before);
	KT_EXPECT_EQ(t, pmm_free_count(), 0);
	KT_EXPECT_EQ(t, pmm_alloc_page(), PMM_INVALID_PAGE);
	KT_EXPECT_EQ(t, pmm_alloc_page_below(0x01000000u), PMM_INVALID_PAGE);
	uint32_t freed = 0;
	for (uint32_t i = 0; i < n; i++)
		freed += pmm_free_page(taken[i]) == PMM_OK;
	KT_EXPECT_EQ(t, freed, n);
	KT_EXPECT_EQ(t, pmm_free_count(), before);
	kfree(taken);
}
