/* The physical memory manager: 4 KiB frames of usable RAM below 4 GiB.
 *
 * Allocation and free are O(1): freed frames sit on a stack linked through
 * the frame records; frames never handed out are taken from the top of the
 * free extents.  Every frame has a 4-byte record (state + a count: the free-
 * stack link while free, the number of mappings otherwise), written only
 * when its 4 MiB chunk is first used, so boot cost does not grow with RAM. */
#ifndef MM_PMM_H
#define MM_PMM_H

#include <stdbool.h>
#include <stdint.h>

#include "lib/status.h"
#include "mm/memmap.h"
#include "arch/types.h"

#define PMM_INVALID_PAGE     0xFFFFFFFFu
#define PMM_MAX_RESERVATIONS 32

/* The PMM's names for the kernel's statuses (lib/status.h). */
enum pmm_status {
	PMM_OK = ST_OK,
	PMM_ERR_INVALID = ST_INVALID,		  /* unaligned, or outside usable RAM */
	PMM_ERR_RESERVED = ST_RESERVED,		  /* reserved, kernel, boot data: never freed */
	PMM_ERR_NOT_ALLOCATED = ST_NOT_ALLOCATED, /* already free (double free) */
	PMM_ERR_IN_USE = ST_IN_USE, /* a page table, another owner's, or still mapped */
	PMM_ERR_NO_MEMORY = ST_NO_MEMORY,
	PMM_ERR_TOO_MANY = ST_TOO_MANY, /* reservation table full */
};

/* The states from FRAME_RESERVED on may be mapped any number of times and
 * count their mappings; the order lets the VMM's fast path test that with
 * one comparison.  A heap frame is mapped once, by the heap (a second
 * mapping would outlive the heap's shrink and lose the frame), so it sits
 * below and takes the slow path, which refuses a second reference. */
enum frame_state {
	FRAME_NONE = 0, /* not RAM: a hole in the map, or past the last usable frame */
	FRAME_FREE,
	FRAME_PAGE_TABLE, /* owned by the VMM */
	FRAME_HEAP,	  /* owned by the kernel heap: mapped once, in the heap */
	FRAME_RESERVED,	  /* firmware, first MiB, Multiboot data, modules */
	FRAME_KERNEL,	  /* kernel image and the PMM's own records */
	FRAME_ALLOCATED,  /* handed out by pmm_alloc_page */
	FRAME_USER,	  /* a page of user memory: freed with its last mapping */
};

struct pmm_reservation {
	paddr_t start;		/* rounded down to a frame */
	paddr_t end;		/* rounded up to a frame */
	enum frame_state state; /* FRAME_RESERVED or FRAME_KERNEL */
	const char *what;
};

struct pmm_stats {
	uint32_t total_frames; /* usable RAM frames */
	uint32_t free_frames;
	uint32_t reserved_frames; /* usable frames reservations took at boot (each once,
				     the frame records included) */
	uint32_t record_bytes;	  /* memory spent on frame records */
	uint32_t highest_frame;	  /* one past the last usable frame */
};

/* Takes the usable RAM from map, removes the reservations, and places its
 * frame records in free memory below `records_limit` (memory the kernel can
 * reach before the VMM exists).  Returns PMM_OK or a status (PMM_ERR_INVALID
 * also for a range that is not whole frames); on error nothing changes (a
 * PMM already running goes on as it was). */
int pmm_init(const struct memmap *map, const struct pmm_reservation *res, uint32_t count,
	     paddr_t records_limit);
/* A records_limit that accepts any free run below 4 GiB. */
#define PMM_RECORDS_ANYWHERE 0xFFFFFFFFu

/* Where the frame records are: their physical start and size in bytes.
 * PMM_ERR_INVALID for a NULL pointer. */
int pmm_records_region(paddr_t *start, uint32_t *bytes);
/* The records are now reached at `records` (the same frames, mapped at
 * another page-aligned virtual address): for a kernel that had to put them
 * above the memory it reaches through the identity map.  PMM_ERR_INVALID
 * for NULL, an unaligned address, or no PMM. */
int pmm_records_moved(void *records);

paddr_t pmm_alloc_page(void);		     /* FRAME_ALLOCATED, or PMM_INVALID_PAGE */
paddr_t pmm_alloc_page_below(paddr_t limit); /* the same, below limit */
int pmm_free_page(paddr_t page);	     /* only FRAME_ALLOCATED, unmapped */

/* For the VMM and heap: allocate and free with an owner state. */
paddr_t pmm_alloc_as(enum frame_state owner);
int pmm_free_as(paddr_t page, enum frame_state owner);

/* Mapping references, kept by the VMM; frames the PMM does not track (not
 * RAM, or past the last usable frame) are ignored.  pmm_ref refuses free
 * frames (PMM_ERR_NOT_ALLOCATED), page tables and a second reference to a
 * heap frame (PMM_ERR_IN_USE); pmm_unref
 * says PMM_ERR_NOT_ALLOCATED when the count is already 0.  Both are inline
 * below: the VMM takes one on every map and drops one on every unmap. */
static inline int pmm_ref(paddr_t page);
static inline int pmm_unref(paddr_t page);
int pmm_ref_slow(paddr_t page);
int pmm_unref_slow(paddr_t page);

enum frame_state pmm_frame_state(paddr_t page);
uint32_t pmm_frame_refs(paddr_t page);
bool pmm_frame_tracked(paddr_t page);

uint32_t pmm_free_count(void);
uint32_t pmm_total_count(void);
/* Frames in an owner's state (FRAME_PAGE_TABLE, FRAME_HEAP, FRAME_ALLOCATED,
 * FRAME_USER),
 * or 0 for any other state: vm_check counts the heap's. */
uint32_t pmm_count_owned(enum frame_state owner);
void pmm_get_stats(struct pmm_stats *out);
const char *pmm_state_name(enum frame_state state);

/* Checks the PMM's own invariants (free count = stack + extents, every stacked
 * frame free, no loop).  Prints the first disagreement and returns false. */
bool pmm_check(void);

/* Fault injection: the n-th frame allocation from now fails (n >= 1); 0 turns
 * it off.  For tests of every caller's failure path. */
void pmm_fail_nth_alloc(uint32_t n);
/* Allocations still to come before the injected failure (0: none armed, or
 * it happened): a walk over a whole scenario ends when one is left. */
uint32_t pmm_fail_pending(void);

/* Walks every tracked frame with a non-zero mapping count (vm_check). */
void pmm_for_each_mapped(void (*fn)(pfn_t pfn, uint32_t refs, void *ctx), void *ctx);

/* The boot self-test: prints its line and returns true, or says what failed. */
bool pmm_test_once(void);

/* ---- the record layout, for the inline reference counting ------------------
 * Only pmm.c and the functions below touch these.  A record is
 *
 *    31                                 4 3      0
 *   +-------------------------------------+--------+
 *   | count: free-stack link (pfn + 1),   | state  |
 *   |        number of mappings, or a     |        |
 *   |        page table's present entries |        |
 *   +-------------------------------------+--------+
 *
 * and exists only once its 4 MiB chunk is ready (written on first use). */
#define PMM_STATE_MASK	0xFu
#define PMM_COUNT_ONE	0x10u
#define PMM_CHUNK_SHIFT 10u
#define PMM_MAX_CHUNKS	1024u

#define PMM_CHUNK_FRAMES (1u << PMM_CHUNK_SHIFT)

/* chunk[c] points at the 1024 records of 4 MiB chunk c once they are
 * written; until then (and for every chunk past the last usable frame) at
 * one shared read-only chunk of zeros, which reads as FRAME_NONE.  Every
 * chunk is page-aligned (see pmm_page_record).  So any
 * frame's record can be read without a limit or readiness check, and a
 * fast path that acts only on mappable states never writes the shared one. */
struct pmm_frame_table {
	uint32_t *chunk[PMM_MAX_CHUNKS];
	uint32_t *records; /* the records of all chunks below the limit, in order */
	pfn_t limit;	   /* one past the last usable frame */
};
extern struct pmm_frame_table pmm_frames;

static inline uint32_t *pmm_record(pfn_t pfn)
{
	return &pmm_frames.chunk[pfn >> PMM_CHUNK_SHIFT][pfn & (PMM_CHUNK_FRAMES - 1u)];
}

/* The same record from a physical address, by byte offset within its chunk:
 * it keeps no page number in a register, which lets a short caller fit in
 * the registers a call may use freely (pmm_free_page needs no stack frame).
 * A chunk's records fill one page and start on a page boundary (pmm_init
 * places them so), so the offset is OR-ed in: the compilers then keep the
 * record's address in one register, where an addition would be folded into
 * each access and hold the chunk and the offset in two. */
static inline uint32_t *pmm_page_record(paddr_t page)
{
	return (uint32_t *)((uintptr_t)pmm_frames.chunk[page >> (PAGE_SHIFT + PMM_CHUNK_SHIFT)] |
			    ((page >> (PAGE_SHIFT - 2)) & (PMM_CHUNK_FRAMES * 4u - 4u)));
}

/* A page table's record, whose count field holds the table's present
 * entries: a table is never mapped, so the field is free, and the VMM reaches
 * the record from the PDE it reads anyway, whichever space owns the table.
 * Only for a frame allocated as FRAME_PAGE_TABLE (its chunk is ready, so the
 * flat array holds it); low flag bits of a PDE are ignored. */
static inline uint32_t *pmm_table_record(paddr_t table)
{
	return &pmm_frames.records[paddr_to_pfn(table)];
}

/* The record of a frame that may be mapped any number of times
 * (FRAME_RESERVED and up), else NULL: the slow paths decide about everything
 * else, heap frames (one mapping) included. */
static inline uint32_t *pmm_mappable_record(paddr_t page)
{
	uint32_t *rec = pmm_page_record(page);
	return (*rec & PMM_STATE_MASK) >= FRAME_RESERVED ? rec : 0;
}

static inline int pmm_ref(paddr_t page)
{
	uint32_t *rec = pmm_mappable_record(page);
	if (rec) {
		*rec += PMM_COUNT_ONE;
		return PMM_OK;
	}
	return pmm_ref_slow(page);
}

static inline int pmm_unref(paddr_t page)
{
	uint32_t *rec = pmm_mappable_record(page);
	if (rec && *rec >= PMM_COUNT_ONE) {
		*rec -= PMM_COUNT_ONE;
		return PMM_OK;
	}
	return pmm_unref_slow(page);
}

#endif
