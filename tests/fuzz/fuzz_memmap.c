/* libFuzzer target: the Multiboot memory-map parser on raw bytes.
 *
 * The input is the mmap buffer as a boot loader would hand it over.  After
 * memmap_parse() the output must be a sorted list of page-aligned,
 * non-overlapping ranges below 4 GiB, each inside RAM the map calls
 * available and touching no byte any other entry claims; and it must be
 * exactly what a second, deliberately different computation (elementary
 * intervals between all entry boundaries) finds.  Any disagreement aborts,
 * and libFuzzer keeps the input.  See docs/reliability.md. */
// FUZZ_LINK: mm/memmap.c
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mm/memmap.h"

#define ENTRY_MIN_SIZE 20u /* base, length, type after the size field */
#define AVAILABLE      1u
#define LIMIT	       MEMMAP_LIMIT
#define PAGE_MASK      ((uint64_t)PAGE_OFFSET_MASK)
#define MAX_POINTS     (4 * MEMMAP_MAX_ENTRIES + 2)

struct reference {
	struct memmap_entry entry[MEMMAP_MAX_ENTRIES];
	uint32_t count, dropped;
	struct phys_range range[MAX_POINTS];
	uint32_t ranges;
};

__attribute__((noreturn, format(printf, 1, 2))) static void broken(const char *fmt, ...);

static void broken(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_memmap: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

/* The walk over the raw entries, as the Multiboot spec lays them out. */
static void read_entries(const uint8_t *data, size_t size, struct reference *ref)
{
	size_t off = 0;
	while (size - off >= 4) {
		uint32_t entry_size;
		memcpy(&entry_size, data + off, 4);
		if (entry_size < ENTRY_MIN_SIZE || entry_size > size - off - 4)
			break;
		struct memmap_entry e;
		memcpy(&e.base, data + off + 4, 8);
		memcpy(&e.length, data + off + 12, 8);
		memcpy(&e.type, data + off + 20, 4);
		if (ref->count < MEMMAP_MAX_ENTRIES)
			ref->entry[ref->count++] = e;
		else
			ref->dropped++;
		off += (size_t)entry_size + 4;
	}
}

/* [start, end) of an entry, clipped to 4 GiB; false when it is empty. */
static bool span(const struct memmap_entry *e, uint64_t *start, uint64_t *end)
{
	if (e->length == 0 || e->base >= LIMIT)
		return false;
	*start = e->base;
	*end = e->length > LIMIT - e->base ? LIMIT : e->base + e->length;
	return true;
}

static uint64_t round_up_clipped(uint64_t a)
{
	uint64_t up = (a + PAGE_MASK) & ~PAGE_MASK;
	return up > LIMIT ? LIMIT : up;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Whether [lo, hi) lies inside the rounded span of some entry: available
 * entries count whole pages inside them, other entries every page they
 * touch.  Between two neighbouring boundaries an interval is inside or
 * outside each span as a whole, so "inside" is also "overlaps". */
static bool covered(const struct reference *ref, uint64_t lo, uint64_t hi, bool available)
{
	for (uint32_t i = 0; i < ref->count; i++) {
		uint64_t s, e;
		if ((ref->entry[i].type == AVAILABLE) != available || !span(&ref->entry[i], &s, &e))
			continue;
		if (available) {
			s = (s + PAGE_MASK) & ~PAGE_MASK;
			e &= ~PAGE_MASK;
		} else {
			s &= ~PAGE_MASK;
			e = round_up_clipped(e);
		}
		if (s <= lo && hi <= e)
			return true;
	}
	return false;
}

/* The usable ranges, from elementary intervals between all boundaries. */
static void expected_ranges(struct reference *ref)
{
	uint64_t point[MAX_POINTS];
	uint32_t n = 0;
	for (uint32_t i = 0; i < ref->count; i++) {
		uint64_t s, e;
		if (!span(&ref->entry[i], &s, &e))
			continue;
		point[n++] = s & ~PAGE_MASK;
		point[n++] = (s + PAGE_MASK) & ~PAGE_MASK;
		point[n++] = e & ~PAGE_MASK;
		point[n++] = round_up_clipped(e);
	}
	qsort(point, n, sizeof(point[0]), cmp_u64);
	ref->ranges = 0;
	for (uint32_t k = 0; k + 1 < n; k++) {
		uint64_t lo = point[k], hi = point[k + 1];
		if (lo == hi || !covered(ref, lo, hi, true) || covered(ref, lo, hi, false))
			continue;
		if (ref->ranges && ref->range[ref->ranges - 1].end == lo)
			ref->range[ref->ranges - 1].end = hi;
		else
			ref->range[ref->ranges++] = (struct phys_range){lo, hi};
	}
}

/* Every byte of [start, end) lies in some available entry, unrounded. */
static bool inside_available(const struct reference *ref, uint64_t start, uint64_t end)
{
	uint64_t pos = start;
	while (pos < end) {
		uint64_t next = pos;
		for (uint32_t i = 0; i < ref->count; i++) {
			uint64_t s, e;
			if (ref->entry[i].type == AVAILABLE && span(&ref->entry[i], &s, &e) &&
			    s <= pos && pos < e && e > next)
				next = e;
		}
		if (next == pos)
			return false;
		pos = next;
	}
	return true;
}

static bool touches_reserved(const struct reference *ref, uint64_t start, uint64_t end)
{
	for (uint32_t i = 0; i < ref->count; i++) {
		uint64_t s, e;
		if (ref->entry[i].type != AVAILABLE && span(&ref->entry[i], &s, &e) && s < end &&
		    start < e)
			return true;
	}
	return false;
}

static void check_ranges(const struct memmap *out, const struct reference *ref)
{
	uint64_t total = 0;
	for (uint32_t i = 0; i < out->range_count; i++) {
		const struct phys_range *r = &out->ranges[i];
		if (r->start >= r->end || (r->start & PAGE_MASK) || (r->end & PAGE_MASK) ||
		    r->end > LIMIT)
			broken("range %u [0x%llx, 0x%llx) empty, unaligned or past 4 GiB", i,
			       (unsigned long long)r->start, (unsigned long long)r->end);
		if (i && out->ranges[i - 1].end >= r->start)
			broken("range %u not after range %u (unsorted, overlapping or unmerged)", i,
			       i - 1);
		if (!inside_available(ref, r->start, r->end))
			broken("range %u [0x%llx, 0x%llx) is not all available RAM", i,
			       (unsigned long long)r->start, (unsigned long long)r->end);
		if (touches_reserved(ref, r->start, r->end))
			broken("range %u [0x%llx, 0x%llx) holds a reserved byte", i,
			       (unsigned long long)r->start, (unsigned long long)r->end);
		total += r->end - r->start;
	}
	if (total != out->usable_bytes)
		broken("usable_bytes %llu, ranges add up to %llu",
		       (unsigned long long)out->usable_bytes, (unsigned long long)total);
}

/* The ranges are exactly the reference's. */
static void check_exact(const struct memmap *out, const struct reference *ref)
{
	if (out->range_count != ref->ranges)
		broken("%u ranges, the reference finds %u", out->range_count, ref->ranges);
	for (uint32_t i = 0; i < ref->ranges; i++)
		if (out->ranges[i].start != ref->range[i].start ||
		    out->ranges[i].end != ref->range[i].end)
			broken("range %u is [0x%llx, 0x%llx), the reference says [0x%llx, 0x%llx)",
			       i, (unsigned long long)out->ranges[i].start,
			       (unsigned long long)out->ranges[i].end,
			       (unsigned long long)ref->range[i].start,
			       (unsigned long long)ref->range[i].end);
}

/* The most ranges resolution could hold at once: the available union, plus
 * one more for every reservation that splits one. */
static uint32_t worst_case_ranges(const struct reference *ref)
{
	uint32_t available = 0, reserved = 0;
	for (uint32_t i = 0; i < ref->count; i++) {
		uint64_t s, e;
		if (span(&ref->entry[i], &s, &e))
			*(ref->entry[i].type == AVAILABLE ? &available : &reserved) += 1;
	}
	return available + reserved;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct memmap out;
	static struct reference ref;
	if (size > UINT32_MAX)
		return 0;
	memset(&ref, 0, sizeof(ref));
	read_entries(data, size, &ref);
	expected_ranges(&ref);
	int rc = memmap_parse(data, (uint32_t)size, &out);

	if (out.entry_count != ref.count || out.entries_dropped != ref.dropped)
		broken("%u entries kept and %u dropped, the walk finds %u and %u", out.entry_count,
		       out.entries_dropped, ref.count, ref.dropped);
	for (uint32_t i = 0; i < ref.count; i++)
		if (memcmp(&out.entries[i], &ref.entry[i], sizeof(ref.entry[i])) != 0)
			broken("entry %u differs from the raw bytes", i);
	switch (rc) {
	case MEMMAP_OK:
		if (ref.dropped)
			broken("entries were dropped, yet the map was accepted");
		if (!out.range_count)
			broken("accepted with no ranges");
		check_ranges(&out, &ref);
		check_exact(&out, &ref);
		break;
	case MEMMAP_ERR_NO_MEMORY:
		if (out.range_count || ref.ranges)
			broken("no memory, with %u ranges out and %u in the reference",
			       out.range_count, ref.ranges);
		break;
	case MEMMAP_ERR_TOO_MANY:
		if (out.range_count)
			broken("too many, yet %u ranges out", out.range_count);
		if (!ref.dropped && ref.ranges <= MEMMAP_MAX_RANGES &&
		    worst_case_ranges(&ref) <= MEMMAP_MAX_RANGES)
			broken("too many with %u ranges, at worst %u while resolving", ref.ranges,
			       worst_case_ranges(&ref));
		break;
	default: broken("status %d for a buffer that is not NULL", rc);
	}
	return 0;
}
