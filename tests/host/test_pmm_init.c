/* pmm_init on the fake machine: what it counts, and that a refused call
 * leaves a running PMM as it was. */
// HOST_LINK: mm/pmm_stats.c mm/pmm_names.c mm/pmm_inject.c mm/pmm_check.c mm/pmm_selftest.c
// HOST_LINK: tests/host/mm_fixture.c mm/memmap.c mm/pmm.c mm/vmm.c mm/aspace.c mm/region.c
// HOST_LINK: mm/heap.c mm/vm_check.c mm/vm_object.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/memmap.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "mm_fixture.h"

#define MiB (1ull << 20)

static struct memmap map;

static const struct memmap_entry fixture_entries[] = {
	{0, 0x9F000, 1},
	{0x9F000, 0x100000 - 0x9F000, 2},
	{0x100000, 64 * MiB - 0x100000, 1},
};

/* No room for the frame records below the limit: refused, and the PMM that
 * was running (with a frame handed out and the heap's frames) goes on. */
static void failed_init_changes_nothing(void **state)
{
	(void)state;
	mm_fixture_boot(64 * MiB, 4);
	paddr_t held = pmm_alloc_page();
	assert_int_not_equal(held, PMM_INVALID_PAGE);
	struct pmm_stats before;
	pmm_get_stats(&before);
	assert_int_equal(memmap_from_entries(fixture_entries, 3, &map), MEMMAP_OK);

	assert_int_equal(pmm_init(&map, NULL, 0, PAGE_SIZE), PMM_ERR_NO_MEMORY);

	struct pmm_stats after;
	pmm_get_stats(&after);
	assert_memory_equal(&after, &before, sizeof(before));
	assert_int_equal(pmm_frame_state(held), FRAME_ALLOCATED);
	assert_true(pmm_check());
	assert_true(vm_check());
	assert_true(heap_check());
	assert_int_equal(pmm_free_page(held), PMM_OK);
	assert_int_equal(pmm_free_count(), before.free_frames + 1);
	mm_fixture_shutdown();
}

/* A range that is not whole frames (struct phys_range's promise, which the
 * records' placement relies on) is refused, and the running PMM goes on. */
static void partial_frames_refused(void **state)
{
	(void)state;
	mm_fixture_boot(64 * MiB, 4);
	struct pmm_stats before;
	pmm_get_stats(&before);
	assert_int_equal(memmap_from_entries(fixture_entries, 3, &map), MEMMAP_OK);
	map.ranges[map.range_count - 1].start += 0x800; /* the records would go here */
	assert_int_equal(pmm_init(&map, NULL, 0, PMM_RECORDS_ANYWHERE), PMM_ERR_INVALID);
	map.ranges[map.range_count - 1].start -= 0x800;
	map.ranges[0].end -= 4; /* a frame's end */
	assert_int_equal(pmm_init(&map, NULL, 0, PMM_RECORDS_ANYWHERE), PMM_ERR_INVALID);
	map.ranges[0].end = map.ranges[0].start; /* empty */
	assert_int_equal(pmm_init(&map, NULL, 0, PMM_RECORDS_ANYWHERE), PMM_ERR_INVALID);

	struct pmm_stats after;
	pmm_get_stats(&after);
	assert_memory_equal(&after, &before, sizeof(before));
	assert_true(pmm_check());
	mm_fixture_shutdown();
}

/* reserved_frames counts usable frames that reservations take, each once:
 * not the non-RAM part of a reservation, not an overlap twice. */
static void reserved_frames_counts_usable_frames_once(void **state)
{
	(void)state;
	mm_fixture_boot(64 * MiB, 0);
	assert_int_equal(memmap_from_entries(fixture_entries, 3, &map), MEMMAP_OK);
	const struct pmm_reservation res[] = {
		/* 256 frames, of which 0x9F (159) are RAM */
		{0, LAYOUT_LOW_MEMORY_END, FRAME_RESERVED, "first MiB"},
		/* 64 frames */
		{FIXTURE_KERNEL_START, FIXTURE_KERNEL_END, FRAME_KERNEL, "kernel image"},
		/* 64 frames, half of them inside the kernel's: 32 new */
		{FIXTURE_KERNEL_END - 128 * 1024, FIXTURE_KERNEL_END + 128 * 1024, FRAME_RESERVED,
		 "module"},
		/* past RAM: none */
		{128 * MiB, 129 * MiB, FRAME_RESERVED, "beyond RAM"},
	};
	assert_int_equal(pmm_init(&map, res, 4, LAYOUT_IDENTITY_END), PMM_OK);
	struct pmm_stats st;
	pmm_get_stats(&st);
	uint32_t records = 64 * MiB / PAGE_SIZE * 4 / PAGE_SIZE; /* 4 bytes a frame */
	assert_int_equal(st.reserved_frames, 0x9F + 64 + 32 + records);
	assert_int_equal(st.reserved_frames + st.free_frames, st.total_frames);
	mm_fixture_shutdown();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_init_changes_nothing),
		cmocka_unit_test(reserved_frames_counts_usable_frames_once),
		cmocka_unit_test(partial_frames_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
