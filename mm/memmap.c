/* Turns the boot loader's memory map, which may be unsorted, overlapping,
 * reach past 4 GiB or hold empty entries, into sorted usable frame ranges. */
#include "mm/memmap.h"

#include <stddef.h>

#include "arch/types.h"

#define MULTIBOOT_AVAILABLE 1u
#define MMAP_ENTRY_MIN_SIZE 20u /* base, length, type after the size field */

const char *memmap_type_name(uint32_t type)
{
	switch (type) {
	case 1: return "available";
	case 2: return "reserved";
	case 3: return "ACPI reclaimable";
	case 4: return "ACPI NVS";
	case 5: return "bad RAM";
	default: return "unknown (reserved)";
	}
}

static uint64_t clip(uint64_t a)
{
	return a > MEMMAP_LIMIT ? MEMMAP_LIMIT : a;
}

/* Inserts [start, end) into the sorted list, merging with neighbours. */
static int ranges_add(struct phys_range *r, uint32_t *count, uint32_t capacity, uint64_t start,
		      uint64_t end)
{
	if (start >= end)
		return MEMMAP_OK;
	uint32_t i = 0;
	while (i < *count && r[i].end < start)
		i++;
	/* Merge every range that touches [start, end). */
	uint32_t j = i;
	while (j < *count && r[j].start <= end) {
		if (r[j].start < start)
			start = r[j].start;
		if (r[j].end > end)
			end = r[j].end;
		j++;
	}
	uint32_t merged = j - i;
	if (merged == 0) {
		if (*count == capacity)
			return MEMMAP_ERR_TOO_MANY;
		for (uint32_t k = *count; k > i; k--)
			r[k] = r[k - 1];
		(*count)++;
	} else {
		for (uint32_t k = i + 1; k + merged - 1 < *count; k++)
			r[k] = r[k + merged - 1];
		*count -= merged - 1;
	}
	r[i] = (struct phys_range){start, end};
	return MEMMAP_OK;
}

int ranges_subtract(struct phys_range *r, uint32_t *count, uint32_t capacity, uint64_t start,
		    uint64_t end)
{
	if (start >= end)
		return MEMMAP_OK;
	for (uint32_t i = 0; i < *count; i++) {
		if (r[i].end <= start || r[i].start >= end)
			continue;
		if (r[i].start < start && r[i].end > end) { /* split in two */
			if (*count == capacity)
				return MEMMAP_ERR_TOO_MANY;
			for (uint32_t k = *count; k > i + 1; k--)
				r[k] = r[k - 1];
			(*count)++;
			r[i + 1] = (struct phys_range){end, r[i].end};
			r[i].end = start;
			return MEMMAP_OK;
		}
		if (r[i].start < start) {
			r[i].end = start;
		} else if (r[i].end > end) {
			r[i].start = end;
		} else { /* swallowed whole */
			for (uint32_t k = i; k + 1 < *count; k++)
				r[k] = r[k + 1];
			(*count)--;
			i--;
		}
	}
	return MEMMAP_OK;
}

int memmap_from_entries(const struct memmap_entry *entries, uint32_t count, struct memmap *out)
{
	if (!out || (!entries && count))
		return MEMMAP_ERR_INVALID;
	out->entry_count = 0;
	out->entries_dropped = 0;
	out->range_count = 0;
	out->usable_bytes = 0;
	for (uint32_t i = 0; i < count; i++) {
		if (out->entry_count < MEMMAP_MAX_ENTRIES)
			out->entries[out->entry_count++] = entries[i];
		else
			out->entries_dropped++;
	}

	/* Union of available RAM (pages fully inside), then remove everything
	 * any other entry claims: reserved wins over available. */
	int rc = MEMMAP_OK;
	for (uint32_t i = 0; i < count && rc == MEMMAP_OK; i++) {
		const struct memmap_entry *e = &entries[i];
		if (e->type != MULTIBOOT_AVAILABLE || e->length == 0 || e->base >= MEMMAP_LIMIT)
			continue;
		uint64_t end =
			e->length > MEMMAP_LIMIT - e->base ? MEMMAP_LIMIT : e->base + e->length;
		uint64_t start = (e->base + PAGE_OFFSET_MASK) & ~(uint64_t)PAGE_OFFSET_MASK;
		end &= ~(uint64_t)PAGE_OFFSET_MASK;
		rc = ranges_add(out->ranges, &out->range_count, MEMMAP_MAX_RANGES, start, end);
	}
	for (uint32_t i = 0; i < count && rc == MEMMAP_OK; i++) {
		const struct memmap_entry *e = &entries[i];
		if (e->type == MULTIBOOT_AVAILABLE || e->length == 0 || e->base >= MEMMAP_LIMIT)
			continue;
		uint64_t start = e->base & ~(uint64_t)PAGE_OFFSET_MASK;
		uint64_t end = clip(e->length > MEMMAP_LIMIT - e->base ? MEMMAP_LIMIT
								       : e->base + e->length);
		end = clip((end + PAGE_OFFSET_MASK) & ~(uint64_t)PAGE_OFFSET_MASK);
		rc = ranges_subtract(out->ranges, &out->range_count, MEMMAP_MAX_RANGES, start, end);
	}
	if (rc != MEMMAP_OK) {
		out->range_count = 0;
		return rc;
	}
	for (uint32_t i = 0; i < out->range_count; i++)
		out->usable_bytes += out->ranges[i].end - out->ranges[i].start;
	return out->range_count ? MEMMAP_OK : MEMMAP_ERR_NO_MEMORY;
}

int memmap_parse(const void *buf, uint32_t length, struct memmap *out)
{
	if (!buf || !out)
		return MEMMAP_ERR_INVALID;
	/* Entries are staged in a fixed array; more than that cannot be resolved
	 * exactly, so they are counted and reported instead of guessed at. */
	struct memmap_entry staged[MEMMAP_MAX_ENTRIES] = {0};
	uint32_t n = 0, dropped = 0;
	const uint8_t *p = buf;
	uint32_t off = 0;
	while (length - off >= 4u) {
		uint32_t size;
		__builtin_memcpy(&size, p + off, sizeof(size));
		/* A size field that is too small or runs past the buffer means the
		 * rest cannot even be located: the walk ends, and the entries read
		 * so far, each complete, are used.  Entries past MEMMAP_MAX_ENTRIES
		 * are different: they are well-formed and could be reservations,
		 * so ignoring them would be a guess (see below). */
		if (size < MMAP_ENTRY_MIN_SIZE || size > length - off - 4u)
			break;
		struct memmap_entry e;
		__builtin_memcpy(&e.base, p + off + 4, 8);
		__builtin_memcpy(&e.length, p + off + 12, 8);
		__builtin_memcpy(&e.type, p + off + 20, 4);
		if (n < MEMMAP_MAX_ENTRIES)
			staged[n++] = e;
		else
			dropped++;
		off += size + 4u;
	}
	int rc = memmap_from_entries(staged, n, out);
	out->entries_dropped += dropped;
	if (dropped && rc == MEMMAP_OK) {
		/* A dropped entry may have been a reservation: using RAM it
		 * claimed would be a guess, so refuse the whole map instead. */
		out->range_count = 0;
		out->usable_bytes = 0;
		return MEMMAP_ERR_TOO_MANY;
	}
	return rc;
}
