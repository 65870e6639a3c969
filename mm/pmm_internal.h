/* What the files of the PMM share, and nothing outside mm/pmm*.c includes:
 * the allocator's state (mm/pmm.c owns and writes it; the statistics, the
 * checker and fault injection read or set it) and the record helpers. */
#ifndef MM_PMM_INTERNAL_H
#define MM_PMM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/memmap.h"
#include "mm/pmm.h"

#define PMM_STATE_BITS	 4u
#define PMM_MAX_EXTENTS	 (MEMMAP_MAX_RANGES + 2 * PMM_MAX_RESERVATIONS)
#define PMM_MAX_RESERVED (PMM_MAX_RESERVATIONS + 1) /* + the records themselves */
/* The free stack's top record when the stack is empty: FRAME_FREE, link 0. */
#define PMM_STACK_EMPTY FRAME_FREE
/* stack_gate's values: alloc_frame pops inline only a top above the gate. */
#define PMM_GATE_OPEN	PMM_STACK_EMPTY
#define PMM_GATE_CLOSED 0xFFFFFFFFu /* while a failure is armed: nothing is above */

/* Frames never handed out since boot: [lo, hi). */
struct pmm_extent {
	pfn_t lo, hi;
};

/* Reservations as frame numbers: [lo, hi) may end at 4 GiB, which a paddr_t
 * cannot say. */
struct pmm_reserved {
	pfn_t lo, hi;
	enum frame_state state;
};

struct pmm_state {
	struct pmm_extent extents[PMM_MAX_EXTENTS];
	uint32_t extent_count;
	uint32_t top_extent; /* extents above this index are empty */
	/* The record the next frame pushed on the free stack gets: FRAME_FREE
	 * with the link (pfn + 1) of the top, 0 when the stack is empty.  Kept
	 * as a record, a push and a pop copy it without shifting. */
	uint32_t free_top;
	uint32_t free_frames, total_frames;
	uint32_t reserved_at_boot; /* usable frames reservations took, each once */
	uint32_t fail_countdown;   /* fault injection: see pmm_fail_nth_alloc */
	uint32_t stack_gate;	   /* PMM_GATE_OPEN or _CLOSED: see alloc_frame */
	paddr_t records_phys;	   /* where pmm_init put the frame records */
	/* Kept for writing chunks of records lazily. */
	struct phys_range usable[MEMMAP_MAX_RANGES];
	uint32_t usable_count;
	struct pmm_reserved reserved[PMM_MAX_RESERVED];
	uint32_t reserved_count;
};
extern struct pmm_state pmm_st;

/* What every chunk's records read as until they are written. */
extern const uint32_t pmm_untouched_chunk[PMM_CHUNK_FRAMES]; /* all FRAME_NONE */

static inline uint32_t rec_state(uint32_t rec)
{
	return rec & PMM_STATE_MASK;
}

static inline uint32_t rec_count(uint32_t rec)
{
	return rec >> PMM_STATE_BITS;
}

static inline uint32_t rec_make(uint32_t state, uint32_t count)
{
	return state | count << PMM_STATE_BITS;
}

static inline bool chunk_is_ready(pfn_t pfn)
{
	return pmm_frames.chunk[pfn >> PMM_CHUNK_SHIFT] != pmm_untouched_chunk;
}

static inline pfn_t max_pfn(pfn_t a, pfn_t b)
{
	return a > b ? a : b;
}

static inline pfn_t min_pfn(pfn_t a, pfn_t b)
{
	return a < b ? a : b;
}

/* The states a caller may allocate and free frames as. */
static inline bool ownable(enum frame_state owner)
{
	return owner == FRAME_PAGE_TABLE || owner == FRAME_HEAP || owner == FRAME_ALLOCATED ||
	       owner == FRAME_USER;
}

/* Whether this allocation is the one fault injection makes fail.  Only the
 * slow paths ask: while a failure is armed the stack gate sends every
 * allocation there, and the failure opens the gate again. */
static inline bool injected_failure(void)
{
	if (!pmm_st.fail_countdown || --pmm_st.fail_countdown)
		return false;
	pmm_st.stack_gate = PMM_GATE_OPEN;
	return true;
}

/* Bytes of frame records for frames below `limit`: whole chunks, so a ready
 * chunk never needs a limit check (frames past the limit in the last chunk
 * are FRAME_NONE).  Holes below the limit cost records too. */
static inline uint32_t pmm_records_size(pfn_t limit)
{
	pfn_t frames = (limit + PMM_CHUNK_FRAMES - 1) & ~(PMM_CHUNK_FRAMES - 1);
	return frames * (uint32_t)sizeof(uint32_t);
}

/* The state of a frame whose chunk has no records yet (mm/pmm.c). */
enum frame_state pmm_untouched_state(pfn_t pfn);

#endif
