/* The Multiboot memory map, made safe to use: entries above 4 GiB are clipped,
 * overlaps resolved (reserved wins), zero-length entries dropped, and the
 * result is a sorted list of page-aligned usable ranges below 4 GiB. */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <stdint.h>

#include "lib/status.h"

#include "arch/types.h"

#define MEMMAP_MAX_ENTRIES 64 /* raw entries kept (for printing) */
#define MEMMAP_MAX_RANGES  64 /* usable ranges after resolution */
#define MEMMAP_LIMIT	   PHYS_LIMIT

/* The memory map's names for the kernel's statuses (lib/status.h). */
enum memmap_status {
	MEMMAP_OK = ST_OK,
	MEMMAP_ERR_INVALID = ST_INVALID,     /* NULL or malformed input */
	MEMMAP_ERR_NO_MEMORY = ST_NO_MEMORY, /* no usable RAM at all */
	MEMMAP_ERR_TOO_MANY = ST_TOO_MANY,   /* more ranges than MEMMAP_MAX_RANGES */
};

struct memmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* Multiboot type: 1 is available RAM */
};

/* A half-open range of whole frames, [start, end) in bytes. */
struct phys_range {
	uint64_t start;
	uint64_t end;
};

struct memmap {
	uint32_t entry_count; /* raw entries as given (first MEMMAP_MAX_ENTRIES) */
	uint32_t entries_dropped;
	struct memmap_entry entries[MEMMAP_MAX_ENTRIES];
	uint32_t range_count;
	struct phys_range ranges[MEMMAP_MAX_RANGES];
	uint64_t usable_bytes;
};

/* Parses `length` bytes of Multiboot mmap entries at `buf`.  Bounds-checked:
 * an entry whose size field runs past the buffer ends the walk. */
int memmap_parse(const void *buf, uint32_t length, struct memmap *out);

/* Builds from already-split entries (tests and the legacy mem_* fields). */
int memmap_from_entries(const struct memmap_entry *entries, uint32_t count, struct memmap *out);

/* Removes [start, end) from a sorted range list; splits a range when needed.
 * Returns MEMMAP_ERR_TOO_MANY (and changes nothing) when a split overflows. */
int ranges_subtract(struct phys_range *ranges, uint32_t *count, uint32_t capacity, uint64_t start,
		    uint64_t end);

const char *memmap_type_name(uint32_t type);

#endif
