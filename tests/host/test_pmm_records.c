/* The PMM's frame records when boot modules fill the first 16 MiB: they go
 * above it (PMM_RECORDS_ANYWHERE), and once the kernel maps them elsewhere
 * (pmm_records_moved) every record is read and written there. */
// HOST_LINK: mm/pmm.c mm/memmap.c mm/pmm_stats.c mm/pmm_names.c mm/pmm_inject.c mm/pmm_check.c
// HOST_LINK: mm/pmm_selftest.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "arch/layout.h"
#include "mm/memmap.h"
#include "mm/pmm.h"

#define RAM	   (64u << 20)
#define MODULE_END (40u << 20) /* a module from 1 MiB to 40 MiB */

static struct memmap map;

static int boot_with_module(paddr_t records_limit)
{
	fake_machine_init(RAM);
	/* The kernel reaches records above 16 MiB at their own address: before
	 * paging, and through paging's early window until they are moved. */
	fake_set_direct_map_limit(RAM);
	fake_console_quiet(true);
	const struct memmap_entry entries[] = {
		{0, 0x9F000, 1},
		{0x9F000, 0x100000 - 0x9F000, 2},
		{0x100000, RAM - 0x100000, 1},
	};
	assert_int_equal(memmap_from_entries(entries, 3, &map), MEMMAP_OK);
	const struct pmm_reservation res[] = {
		{0, LAYOUT_LOW_MEMORY_END, FRAME_RESERVED, "first MiB"},
		{LAYOUT_LOW_MEMORY_END, MODULE_END, FRAME_RESERVED, "module"},
	};
	return pmm_init(&map, res, 2, records_limit);
}

static void records_need_not_fit_below_16_mib(void **state)
{
	(void)state;
	assert_int_equal(boot_with_module(LAYOUT_IDENTITY_END), PMM_ERR_NO_MEMORY);
	assert_int_equal(boot_with_module(PMM_RECORDS_ANYWHERE), PMM_OK);
	paddr_t at;
	uint32_t bytes;
	assert_int_equal(pmm_records_region(&at, &bytes), PMM_OK);
	assert_int_equal(pmm_records_region(NULL, &bytes), PMM_ERR_INVALID);
	assert_true(at >= MODULE_END);
	assert_int_equal(bytes, RAM / PAGE_SIZE * 4);
	assert_int_equal(pmm_frame_state(at), FRAME_KERNEL);
	assert_int_equal(pmm_frame_state(MODULE_END - PAGE_SIZE), FRAME_RESERVED);
	assert_true(pmm_check());
	fake_machine_free();
}

/* After the move, the old copy is scribbled over: any record still read or
 * written there would break pmm_check or the allocations below. */
static void moved_records_are_the_ones_used(void **state)
{
	(void)state;
	assert_int_equal(boot_with_module(PMM_RECORDS_ANYWHERE), PMM_OK);
	paddr_t kept[4];
	for (int i = 0; i < 4; i++)
		assert_int_not_equal(kept[i] = pmm_alloc_page(), PMM_INVALID_PAGE);
	assert_int_equal(pmm_free_page(kept[3]), PMM_OK);

	paddr_t at;
	uint32_t bytes;
	pmm_records_region(&at, &bytes);
	uint32_t *copy = aligned_alloc(PAGE_SIZE, bytes);
	assert_non_null(copy);
	uint32_t *old = fake_phys(at, bytes);
	memcpy(copy, old, bytes);
	assert_int_equal(pmm_records_moved(NULL), PMM_ERR_INVALID);
	assert_int_equal(pmm_records_moved((uint8_t *)copy + 4), PMM_ERR_INVALID);
	assert_true(pmm_check()); /* the refused calls changed nothing */
	assert_int_equal(pmm_records_moved(copy), PMM_OK);
	memset(old, 0xA5, bytes);

	assert_true(pmm_check());
	assert_int_equal(pmm_frame_state(kept[0]), FRAME_ALLOCATED);
	assert_int_equal(pmm_alloc_page(), kept[3]); /* the free stack survived the move */
	for (int i = 0; i < 4; i++)
		assert_int_equal(pmm_free_page(kept[i]), PMM_OK);
	assert_int_equal(pmm_free_page(kept[0]), PMM_ERR_NOT_ALLOCATED);
	assert_true(pmm_check());
	assert_int_equal(pmm_records_moved(old),
			 PMM_OK); /* back, so nothing points into freed memory */
	free(copy);
	fake_machine_free();
}

/* pmm_page_record ORs a record's offset into its chunk's address, which is
 * right only for a page-aligned chunk: pmm_check says when one is not. */
static void unaligned_chunk_fails_the_check(void **state)
{
	(void)state;
	assert_int_equal(boot_with_module(PMM_RECORDS_ANYWHERE), PMM_OK);
	paddr_t page = pmm_alloc_page(); /* its chunk's records are written */
	assert_int_not_equal(page, PMM_INVALID_PAGE);
	uint32_t c = page >> (PAGE_SHIFT + PMM_CHUNK_SHIFT);
	uint32_t *chunk = pmm_frames.chunk[c];
	assert_true(pmm_check());
	pmm_frames.chunk[c] = chunk + 1;
	assert_false(pmm_check());
	pmm_frames.chunk[c] = chunk;
	assert_true(pmm_check());
	assert_int_equal(pmm_free_page(page), PMM_OK);
	fake_machine_free();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(records_need_not_fit_below_16_mib),
		cmocka_unit_test(moved_records_are_the_ones_used),
		cmocka_unit_test(unaligned_chunk_fails_the_check),
	};
	return cmocka_run_group_tests_name("pmm_records", tests, NULL, NULL);
}
