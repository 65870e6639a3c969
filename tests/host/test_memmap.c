/* mm/memmap.c: turning a boot loader's memory map into usable frame ranges,
 * with every awkward map a firmware can produce. */
// HOST_LINK: mm/memmap.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mm/memmap.h"

#define AVAILABLE 1
#define RESERVED  2
#define ACPI	  3
#define MiB	  (1ull << 20)
#define GiB	  (1ull << 30)

static struct memmap map;

/* Resolves entries and checks the result is exactly the given ranges. */
#define EXPECT_RANGES(entries, ...)                                                                \
	do {                                                                                       \
		const struct phys_range want_[] = {__VA_ARGS__};                                   \
		assert_int_equal(                                                                  \
			memmap_from_entries(entries, sizeof(entries) / sizeof(entries[0]), &map),  \
			MEMMAP_OK);                                                                \
		expect_ranges(want_, sizeof(want_) / sizeof(want_[0]));                            \
	} while (0)

static void expect_ranges(const struct phys_range *want, uint32_t n)
{
	assert_int_equal(map.range_count, n);
	uint64_t total = 0;
	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(map.ranges[i].start, want[i].start);
		assert_int_equal(map.ranges[i].end, want[i].end);
		total += want[i].end - want[i].start;
	}
	assert_int_equal(map.usable_bytes, total);
}

static void test_qemu_like_map(void **state)
{
	(void)state;
	const struct memmap_entry e[] = {
		{0, 0x9FC00, AVAILABLE},	 {0x9FC00, 0x400, RESERVED},
		{0xF0000, 0x10000, RESERVED},	 {0x100000, 127 * MiB - 0x20000, AVAILABLE},
		{0xFFFC0000, 0x40000, RESERVED},
	};
	/* The partial page below 0x9FC00 is not usable: ranges are whole frames. */
	EXPECT_RANGES(e, {0, 0x9F000}, {0x100000, 0x100000 + 127 * MiB - 0x20000});
	assert_int_equal(map.entry_count, 5);
}

static void test_entries_above_4g_are_ignored_or_clipped(void **state)
{
	(void)state;
	const struct memmap_entry e[] = {
		{1 * MiB, 3 * GiB - 1 * MiB, AVAILABLE},
		{4 * GiB, 2 * GiB, AVAILABLE},		    /* wholly above: ignored */
		{4 * GiB - 16 * MiB, 32 * MiB, AVAILABLE},  /* crosses 4 GiB: clipped */
		{0xFFFFFFFFFFFFF000ull, 0x2000, AVAILABLE}, /* base + length wraps */
	};
	EXPECT_RANGES(e, {1 * MiB, 3 * GiB}, {4 * GiB - 16 * MiB, 4 * GiB});
	assert_int_equal(map.entries[1].base, 4 * GiB); /* kept, with 64 bits, for printing */
}

static void test_overlaps_reserved_wins(void **state)
{
	(void)state;
	const struct memmap_entry e[] = {
		{1 * MiB, 63 * MiB, AVAILABLE},
		{8 * MiB, 1 * MiB, RESERVED},	     /* a hole in the middle */
		{62 * MiB, 4 * MiB, ACPI},	     /* overlaps the end */
		{16 * MiB, 8 * MiB, AVAILABLE},	     /* available inside available */
		{0x500000 + 0x800, 0x100, RESERVED}, /* a partial page: the whole page goes */
	};
	EXPECT_RANGES(e, {1 * MiB, 0x500000}, {0x501000, 8 * MiB}, {9 * MiB, 62 * MiB});
}

static void test_unsorted_and_adjacent_entries_merge(void **state)
{
	(void)state;
	const struct memmap_entry e[] = {
		{32 * MiB, 32 * MiB, AVAILABLE},
		{1 * MiB, 15 * MiB, AVAILABLE},
		{16 * MiB, 16 * MiB, AVAILABLE},
	};
	EXPECT_RANGES(e, {1 * MiB, 64 * MiB});
}

static void test_zero_length_and_sub_page_entries_are_dropped(void **state)
{
	(void)state;
	const struct memmap_entry e[] = {
		{1 * MiB, 0, AVAILABLE},
		{2 * MiB, 0, RESERVED},		 /* removes nothing */
		{3 * MiB + 16, 4000, AVAILABLE}, /* no whole page inside */
		{4 * MiB, 4 * MiB, AVAILABLE},
	};
	EXPECT_RANGES(e, {4 * MiB, 8 * MiB});
}

static void test_holes_between_ranges(void **state)
{
	(void)state;
	const struct memmap_entry e[] = {
		{1 * MiB, 1 * MiB, AVAILABLE},
		{10 * MiB, 1 * MiB, AVAILABLE},
		{100 * MiB, 1 * MiB, AVAILABLE},
	};
	EXPECT_RANGES(e, {1 * MiB, 2 * MiB}, {10 * MiB, 11 * MiB}, {100 * MiB, 101 * MiB});
}

static void test_no_usable_memory_is_an_error(void **state)
{
	(void)state;
	const struct memmap_entry only_reserved[] = {{0, 16 * MiB, RESERVED}};
	assert_int_equal(memmap_from_entries(only_reserved, 1, &map), MEMMAP_ERR_NO_MEMORY);
	const struct memmap_entry only_high[] = {{4 * GiB, 1 * GiB, AVAILABLE}};
	assert_int_equal(memmap_from_entries(only_high, 1, &map), MEMMAP_ERR_NO_MEMORY);
	assert_int_equal(memmap_from_entries(NULL, 0, &map), MEMMAP_ERR_NO_MEMORY);
	assert_int_equal(memmap_from_entries(NULL, 3, &map), MEMMAP_ERR_INVALID);
	assert_int_equal(memmap_from_entries(only_reserved, 1, NULL), MEMMAP_ERR_INVALID);
}

/* ---- the raw Multiboot form: size-prefixed entries ---------------------------- */

static uint8_t raw[2048];

/* Appends one entry whose size field says `size` (20 is the normal one). */
static uint32_t put(uint32_t off, uint32_t size, uint64_t base, uint64_t len, uint32_t type)
{
	memcpy(raw + off, &size, 4);
	memcpy(raw + off + 4, &base, 8);
	memcpy(raw + off + 12, &len, 8);
	memcpy(raw + off + 20, &type, 4);
	return off + 4 + size;
}

static void test_parse_walks_size_fields(void **state)
{
	(void)state;
	uint32_t off = put(0, 20, 1 * MiB, 7 * MiB, AVAILABLE);
	off = put(off, 24, 16 * MiB, 16 * MiB, AVAILABLE); /* a larger entry: skip the extra */
	off = put(off, 20, 20 * MiB, 1 * MiB, RESERVED);
	assert_int_equal(memmap_parse(raw, off, &map), MEMMAP_OK);
	const struct phys_range want[] = {
		{1 * MiB, 8 * MiB}, {16 * MiB, 20 * MiB}, {21 * MiB, 32 * MiB}};
	expect_ranges(want, 3);
	assert_int_equal(map.entry_count, 3);
}

static void test_parse_stops_at_a_malformed_entry(void **state)
{
	(void)state;
	uint32_t off = put(0, 20, 1 * MiB, 7 * MiB, AVAILABLE);
	uint32_t bad = put(off, 8, 64 * MiB, 64 * MiB, AVAILABLE); /* size too small */
	assert_int_equal(memmap_parse(raw, bad, &map), MEMMAP_OK);
	assert_int_equal(map.entry_count, 1);
	/* A size running past the buffer ends the walk too. */
	put(off, 4000, 64 * MiB, 64 * MiB, AVAILABLE);
	assert_int_equal(memmap_parse(raw, off + 24, &map), MEMMAP_OK);
	assert_int_equal(map.entry_count, 1);
	/* A truncated last entry is not read. */
	assert_int_equal(memmap_parse(raw, off + 10, &map), MEMMAP_OK);
	assert_int_equal(map.entry_count, 1);
	assert_int_equal(memmap_parse(NULL, 24, &map), MEMMAP_ERR_INVALID);
	assert_int_equal(memmap_parse(raw, 0, &map), MEMMAP_ERR_NO_MEMORY);
}

static void test_parse_refuses_more_entries_than_it_can_resolve(void **state)
{
	(void)state;
	uint32_t off = 0;
	for (uint32_t i = 0; i <= MEMMAP_MAX_ENTRIES; i++)
		off = put(off, 20, (uint64_t)(i + 1) * 2 * MiB, 1 * MiB, AVAILABLE);
	assert_true(off <= sizeof(raw));
	/* A dropped entry might have been a reservation: refuse, don't guess. */
	assert_int_equal(memmap_parse(raw, off, &map), MEMMAP_ERR_TOO_MANY);
	assert_int_equal(map.range_count, 0);
	assert_int_equal(map.entries_dropped, 1);
}

static void test_subtract_splits_and_swallows(void **state)
{
	(void)state;
	struct phys_range r[4] = {{0, 100}, {200, 300}};
	uint32_t n = 2;
	assert_int_equal(ranges_subtract(r, &n, 4, 40, 60), MEMMAP_OK); /* split */
	assert_int_equal(n, 3);
	assert_int_equal(r[0].end, 40);
	assert_int_equal(r[1].start, 60);
	assert_int_equal(ranges_subtract(r, &n, 4, 50, 250), MEMMAP_OK); /* trims two */
	assert_int_equal(n, 2);
	assert_int_equal(r[1].start, 250);
	assert_int_equal(ranges_subtract(r, &n, 4, 0, 1000), MEMMAP_OK); /* swallows all */
	assert_int_equal(n, 0);
	struct phys_range full[2] = {{0, 100}, {200, 300}};
	n = 2;
	assert_int_equal(ranges_subtract(full, &n, 2, 40, 60), MEMMAP_ERR_TOO_MANY);
	assert_int_equal(n, 2); /* unchanged */
	assert_int_equal(full[0].end, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_like_map),
		cmocka_unit_test(test_entries_above_4g_are_ignored_or_clipped),
		cmocka_unit_test(test_overlaps_reserved_wins),
		cmocka_unit_test(test_unsorted_and_adjacent_entries_merge),
		cmocka_unit_test(test_zero_length_and_sub_page_entries_are_dropped),
		cmocka_unit_test(test_holes_between_ranges),
		cmocka_unit_test(test_no_usable_memory_is_an_error),
		cmocka_unit_test(test_parse_walks_size_fields),
		cmocka_unit_test(test_parse_stops_at_a_malformed_entry),
		cmocka_unit_test(test_parse_refuses_more_entries_than_it_can_resolve),
		cmocka_unit_test(test_subtract_splits_and_swallows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
