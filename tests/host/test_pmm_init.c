/* pmm_init on the fake machine: what it counts, and that a refused call
 * leaves a running PMM as it was. */
// HOST_LINK: tests/host/mm_fixture.c mm/memmap.c mm/pmm.c mm/vmm.c mm/heap.c mm/vm_check.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "mm/heap.h"
#include "mm/layout.h"
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failed_init_changes_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
