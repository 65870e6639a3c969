/* Memory objects on the fake machine: pages by index across leaves, the
 * object's reference on each frame, truncation inside and across leaves,
 * and every frame and heap block back with the last put. */
// HOST_LINK: mm/pmm_stats.c mm/pmm_names.c mm/pmm_inject.c mm/pmm_check.c mm/pmm_selftest.c
// HOST_LINK: tests/host/mm_fixture.c mm/memmap.c mm/pmm.c mm/vmm.c mm/aspace.c mm/region.c
// HOST_LINK: mm/heap.c mm/vm_check.c mm/vm_object.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"
#include "mm_fixture.h"

#define RAM (16u << 20)

/* Indices in the first leaf (128 pages), at its end, in the second, and far
 * away. */
static const uint32_t indices[] = {0, 5, 127, 128, 200, 5000};
#define COUNT (sizeof(indices) / sizeof(indices[0]))

static void pages_by_index_across_leaves(void **state)
{
	(void)state;
	mm_fixture_boot(RAM, 16);
	struct heap_stats hs;
	heap_get_stats(&hs);
	uint32_t blocks_start = hs.live_blocks;
	struct vm_object *o = vm_object_create(NULL, NULL);
	assert_non_null(o);
	assert_int_equal(vm_object_count(), 1);
	paddr_t frame[COUNT];
	for (uint32_t i = 0; i < COUNT; i++) {
		assert_int_equal(vm_object_page(o, indices[i], &frame[i]), VMM_OK);
		assert_int_equal(pmm_frame_state(frame[i]), FRAME_USER);
		assert_int_equal(pmm_frame_refs(frame[i]), 1);
		uint32_t *words = fake_phys(frame[i], PAGE_SIZE);
		assert_int_equal(words[0] | words[PAGE_SIZE / 4 - 1], 0); /* a zero page */
		words[0] = indices[i] + 1;
	}
	assert_int_equal(o->pages, COUNT);
	for (uint32_t i = 0; i < COUNT; i++) {
		paddr_t again;
		assert_int_equal(vm_object_page(o, indices[i], &again), VMM_OK);
		assert_int_equal(again, frame[i]); /* the same page, not a new one */
		assert_int_equal(vm_object_lookup(o, indices[i]), frame[i]);
	}
	assert_int_equal(vm_object_lookup(o, 6), 0);
	assert_int_equal(vm_object_lookup(o, 1u << 30), 0);
	assert_true(vm_check());

	/* At a leaf boundary: 128 and up go, the first leaf stays whole. */
	vm_object_truncate(o, 128);
	assert_int_equal(o->pages, 3);
	assert_int_equal(vm_object_lookup(o, 127), frame[2]);
	assert_int_equal(vm_object_lookup(o, 128), 0);
	assert_int_equal(vm_object_lookup(o, 200), 0);
	assert_int_equal(pmm_frame_state(frame[5]), FRAME_FREE);
	/* Inside a leaf. */
	vm_object_truncate(o, 3);
	assert_int_equal(o->pages, 1);
	assert_int_equal(vm_object_lookup(o, 5), 0);
	assert_int_equal(vm_object_lookup(o, 127), 0);
	assert_int_equal(pmm_frame_state(frame[2]), FRAME_FREE);
	assert_int_equal(*(uint32_t *)fake_phys(vm_object_lookup(o, 0), PAGE_SIZE), 1);
	assert_true(vm_check());

	/* A frame someone else also holds outlives the object's reference. */
	paddr_t kept = vm_object_lookup(o, 0);
	assert_int_equal(pmm_ref(kept), PMM_OK);
	vm_object_get(o);
	vm_object_put(o);
	assert_int_equal(vm_object_count(), 1);
	vm_object_put(o);
	assert_int_equal(vm_object_count(), 0);
	assert_int_equal(pmm_frame_state(kept), FRAME_USER);
	assert_int_equal(pmm_frame_refs(kept), 1);
	assert_int_equal(pmm_unref(kept), PMM_OK);
	assert_int_equal(pmm_free_as(kept, FRAME_USER), PMM_OK);
	assert_int_equal(pmm_count_owned(FRAME_USER), 0);
	assert_true(heap_check());
	heap_get_stats(&hs);
	assert_int_equal(hs.live_blocks, blocks_start); /* the leaves and the object */
	mm_fixture_shutdown();
}

/* With no frame to be had, nothing changes; a bad call is refused. */
static void no_memory_changes_nothing(void **state)
{
	(void)state;
	mm_fixture_boot(RAM, 16);
	struct vm_object *o = vm_object_create(NULL, NULL);
	assert_non_null(o);
	paddr_t frame = 0;
	pmm_fail_nth_alloc(1);
	assert_int_equal(vm_object_page(o, 7, &frame), VMM_ERR_NO_MEMORY);
	pmm_fail_nth_alloc(0);
	assert_int_equal(vm_object_lookup(o, 7), 0);
	assert_int_equal(o->pages, 0);
	assert_int_equal(vm_object_page(NULL, 7, &frame), VMM_ERR_INVALID);
	assert_int_equal(vm_object_page(o, 7, NULL), VMM_ERR_INVALID);
	assert_int_equal(pmm_count_owned(FRAME_USER), 0);
	vm_object_put(o);
	assert_int_equal(vm_object_count(), 0);
	assert_true(vm_check());
	mm_fixture_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_by_index_across_leaves),
		cmocka_unit_test(no_memory_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
