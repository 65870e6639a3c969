/* The physical memory manager's allocator: boot-time setup, allocation,
 * free and mapping references.  (Its statistics and queries are in
 * pmm_stats.c, names in pmm_names.c, fault injection in pmm_inject.c, the
 * checker in pmm_check.c, the boot self-test in pmm_selftest.c; the state
 * they share is declared in pmm_internal.h.)
 *
 * Free frames live in two places, both O(1) to take from:
 *
 *   extents    frames never handed out since boot, as [lo, hi) runs of usable
 *              RAM minus reservations; allocation takes extents[top].hi - 1
 *              (high memory first, keeping low memory for whoever needs it).
 *   free stack frames given back, linked through their records.
 *
 * Frame records (4 bytes a frame, 0.1% of RAM; layout in mm/pmm.h) are
 * written a 4 MiB chunk (1024 records) at a time, the first time a frame of
 * the chunk is handed out or referenced.  Until then the chunk is known to
 * be untouched, so boot never walks all of RAM.
 */
#include "mm/pmm.h"

#include <stddef.h>

#include "arch/mmu.h"
#include "lib/string.h"
#include "pmm_internal.h"

struct pmm_frame_table pmm_frames;
struct pmm_state pmm_st;
const uint32_t pmm_untouched_chunk[PMM_CHUNK_FRAMES] __attribute__((aligned(PAGE_SIZE)));

static void fill_records(pfn_t lo, pfn_t hi, uint32_t rec)
{
	if (lo < hi)
		memset32(&pmm_frames.records[lo], rec, hi - lo);
}

/* Writes the records of one untouched chunk: usable RAM as free, the holes
 * between as not-RAM, then the reservations that fall inside usable RAM.
 * The usable ranges are sorted and disjoint, so each record is written about
 * once: this runs inside the allocation that first touches the chunk. */
static __attribute__((noinline)) void chunk_prepare(pfn_t pfn)
{
	uint32_t c = pfn >> PMM_CHUNK_SHIFT;
	pfn_t lo = c << PMM_CHUNK_SHIFT;
	pfn_t hi = lo + PMM_CHUNK_FRAMES; /* records exist for whole chunks */
	pfn_t written = lo;		  /* records [lo, written) are done */

	for (uint32_t u = 0; u < pmm_st.usable_count; u++) {
		pfn_t ulo = max_pfn(lo, (pfn_t)(pmm_st.usable[u].start >> PAGE_SHIFT));
		pfn_t uhi = min_pfn(hi, (pfn_t)(pmm_st.usable[u].end >> PAGE_SHIFT));
		if (ulo >= uhi)
			continue;
		fill_records(written, ulo, rec_make(FRAME_NONE, 0));
		fill_records(ulo, uhi, rec_make(FRAME_FREE, 0));
		written = uhi;
		for (uint32_t r = 0; r < pmm_st.reserved_count; r++) {
			pfn_t rlo = max_pfn(ulo, pmm_st.reserved[r].lo);
			pfn_t rhi = min_pfn(uhi, pmm_st.reserved[r].hi);
			fill_records(rlo, rhi, rec_make(pmm_st.reserved[r].state, 0));
		}
	}
	fill_records(written, hi, rec_make(FRAME_NONE, 0));
	pmm_frames.chunk[c] = &pmm_frames.records[lo];
}

/* pfn's record, writing its chunk's records first if need be. */
static inline uint32_t *record_prepared(pfn_t pfn)
{
	if (!chunk_is_ready(pfn))
		chunk_prepare(pfn);
	return &pmm_frames.records[pfn];
}

/* ---- initialisation ------------------------------------------------------ */

static void pmm_reset(void)
{
	pmm_frames.records = NULL;
	pmm_frames.limit = 0;
	for (uint32_t c = 0; c < PMM_MAX_CHUNKS; c++)
		pmm_frames.chunk[c] =
			(uint32_t *)pmm_untouched_chunk; /* never written: see pmm.h */
	pmm_st.extent_count = pmm_st.top_extent = 0;
	pmm_st.free_frames = pmm_st.total_frames = pmm_st.reserved_at_boot = 0;
	pmm_st.free_top = PMM_STACK_EMPTY;
	pmm_st.fail_countdown = 0;
	pmm_st.stack_gate = PMM_GATE_OPEN;
	pmm_st.usable_count = pmm_st.reserved_count = 0;
	pmm_st.records_phys = 0;
}

static uint64_t round_up(uint64_t a)
{
	return (a + PAGE_OFFSET_MASK) & ~(uint64_t)PAGE_OFFSET_MASK;
}

/* The lowest free run that holds `bytes` below `limit`: its start in *at. */
static bool find_record_space(const struct phys_range *free, uint32_t n, uint32_t bytes,
			      paddr_t limit, paddr_t *at)
{
	for (uint32_t i = 0; i < n; i++) {
		if (free[i].end - free[i].start >= bytes && free[i].start + bytes <= limit) {
			*at = (paddr_t)free[i].start;
			return true;
		}
	}
	return false;
}

int pmm_init(const struct memmap *map, const struct pmm_reservation *res, uint32_t count,
	     paddr_t records_limit)
{
	/* Arguments first, then everything is worked out in locals: the PMM's
	 * own state is written only once nothing can fail, so a refused call
	 * leaves a running PMM as it was. */
	if (!map || map->range_count == 0)
		return PMM_ERR_NO_MEMORY;
	if ((!res && count) || count > PMM_MAX_RESERVATIONS || map->range_count > MEMMAP_MAX_RANGES)
		return PMM_ERR_INVALID;
	/* Whole frames (struct phys_range's promise), which also puts the
	 * records, at a range's start, on the page boundary pmm_page_record
	 * needs. */
	for (uint32_t i = 0; i < map->range_count; i++)
		if (((map->ranges[i].start | map->ranges[i].end) & PAGE_OFFSET_MASK) ||
		    map->ranges[i].start >= map->ranges[i].end)
			return PMM_ERR_INVALID;
	for (uint32_t i = 0; i < count; i++)
		if (res[i].end < res[i].start ||
		    (res[i].state != FRAME_RESERVED && res[i].state != FRAME_KERNEL))
			return PMM_ERR_INVALID;

	struct phys_range free[PMM_MAX_EXTENTS];
	struct pmm_reserved taken[PMM_MAX_RESERVED];
	uint32_t nfree = map->range_count, total = 0;
	for (uint32_t i = 0; i < nfree; i++) {
		free[i] = map->ranges[i];
		total += (uint32_t)((free[i].end - free[i].start) >> PAGE_SHIFT);
	}
	pfn_t limit = (pfn_t)(map->ranges[nfree - 1].end >> PAGE_SHIFT);

	for (uint32_t i = 0; i < count; i++) {
		pfn_t lo = paddr_to_pfn(res[i].start);
		pfn_t hi = min_pfn((pfn_t)(round_up(res[i].end) >> PAGE_SHIFT), limit);
		taken[i] = (struct pmm_reserved){lo, hi > lo ? hi : lo, res[i].state};
		if (ranges_subtract(free, &nfree, PMM_MAX_EXTENTS, (uint64_t)lo << PAGE_SHIFT,
				    (uint64_t)hi << PAGE_SHIFT) != MEMMAP_OK)
			return PMM_ERR_TOO_MANY;
	}
	uint32_t record_bytes = pmm_records_size(limit);
	paddr_t at;
	if (!find_record_space(free, nfree, record_bytes, records_limit, &at))
		return PMM_ERR_NO_MEMORY;
	taken[count] = (struct pmm_reserved){paddr_to_pfn(at), paddr_to_pfn(at + record_bytes),
					     FRAME_KERNEL};
	ranges_subtract(free, &nfree, PMM_MAX_EXTENTS, at, at + record_bytes); /* never splits */

	pmm_reset();
	for (uint32_t i = 0; i < map->range_count; i++)
		pmm_st.usable[i] = map->ranges[i];
	pmm_st.usable_count = map->range_count;
	for (uint32_t i = 0; i <= count; i++)
		pmm_st.reserved[i] = taken[i];
	pmm_st.reserved_count = count + 1;
	pmm_frames.limit = limit;
	pmm_frames.records = arch_phys_to_virt(at);
	pmm_st.records_phys = at;
	pmm_st.total_frames = total;
	for (uint32_t i = 0; i < nfree; i++) {
		pmm_st.extents[pmm_st.extent_count++] = (struct pmm_extent){
			(pfn_t)(free[i].start >> PAGE_SHIFT), (pfn_t)(free[i].end >> PAGE_SHIFT)};
		pmm_st.free_frames += (pfn_t)((free[i].end - free[i].start) >> PAGE_SHIFT);
	}
	pmm_st.top_extent = pmm_st.extent_count;
	/* Every usable frame not free now is taken by a reservation (or the
	 * records): each counted once, and only where there is RAM. */
	pmm_st.reserved_at_boot = pmm_st.total_frames - pmm_st.free_frames;
	return PMM_OK;
}

int pmm_records_region(paddr_t *start, uint32_t *bytes)
{
	if (!start || !bytes)
		return PMM_ERR_INVALID;
	*start = pmm_st.records_phys;
	*bytes = pmm_records_size(pmm_frames.limit);
	return PMM_OK;
}

int pmm_records_moved(void *records)
{
	if (!records || !page_aligned((uint32_t)(uintptr_t)records) || !pmm_frames.records)
		return PMM_ERR_INVALID;
	uint32_t *now = records;
	for (uint32_t c = 0; c < PMM_MAX_CHUNKS; c++)
		if (pmm_frames.chunk[c] != pmm_untouched_chunk)
			pmm_frames.chunk[c] = now + (pmm_frames.chunk[c] - pmm_frames.records);
	pmm_frames.records = now;
	return PMM_OK;
}

/* ---- allocation ------------------------------------------------------------ */

static bool take_from_extents(pfn_t *pfn)
{
	while (pmm_st.top_extent &&
	       pmm_st.extents[pmm_st.top_extent - 1].lo == pmm_st.extents[pmm_st.top_extent - 1].hi)
		pmm_st.top_extent--;
	if (!pmm_st.top_extent)
		return false;
	*pfn = --pmm_st.extents[pmm_st.top_extent - 1].hi;
	return true;
}

/* Takes the top of the free stack, whose record `top` (pmm_st.free_top, not
 * empty) names. */
static inline __attribute__((always_inline)) paddr_t pop_free_stack(uint32_t top,
								    enum frame_state owner)
{
	uint32_t link = rec_count(top);
	uint32_t *rec = &pmm_frames.records[link - 1];
	pmm_st.free_top = *rec; /* FRAME_FREE and the next link */
	*rec = rec_make(owner, 0);
	pmm_st.free_frames--;
	/* link - 1's page, from link: no fourth register holds the pfn. */
	return pfn_to_paddr(link) - PAGE_SIZE;
}

/* Everything but a pop from an open free stack: fault injection, then the
 * stack, then the extents. */
static __attribute__((noinline)) paddr_t alloc_slow(enum frame_state owner)
{
	if (injected_failure())
		return PMM_INVALID_PAGE;
	if (rec_count(pmm_st.free_top))
		return pop_free_stack(pmm_st.free_top, owner);
	pfn_t pfn;
	if (!take_from_extents(&pfn))
		return PMM_INVALID_PAGE;
	*record_prepared(pfn) = rec_make(owner, 0); /* prepares its chunk on first use */
	pmm_st.free_frames--;
	return pfn_to_paddr(pfn);
}

/* The allocation path, inlined into each public entry: pmm_alloc_page is on
 * every hot path that needs a frame.  One comparison decides: a non-empty
 * stack while no failure is armed (its top record is then above the open
 * gate, the empty stack's) is popped here; everything else, an armed failure
 * included (the gate is then closed: all ones), is alloc_slow's. */
static inline __attribute__((always_inline)) paddr_t alloc_frame(enum frame_state owner)
{
	uint32_t top = pmm_st.free_top;
	if (__builtin_expect(top <= pmm_st.stack_gate, 0))
		return alloc_slow(owner);
	return pop_free_stack(top, owner);
}

paddr_t pmm_alloc_as(enum frame_state owner)
{
	return ownable(owner) ? alloc_frame(owner) : PMM_INVALID_PAGE;
}

paddr_t pmm_alloc_page(void)
{
	return alloc_frame(FRAME_ALLOCATED);
}

/* For a caller that needs a frame below a limit (SPEC section 1 names it;
 * page tables come from any frame).  Rare, so it may walk: first the bottoms
 * of the extents, then the free stack. */
paddr_t pmm_alloc_page_below(paddr_t limit)
{
	pfn_t lim = paddr_to_pfn(limit);
	if (injected_failure())
		return PMM_INVALID_PAGE;
	for (uint32_t i = 0; i < pmm_st.extent_count; i++) {
		if (pmm_st.extents[i].lo < pmm_st.extents[i].hi && pmm_st.extents[i].lo < lim) {
			pfn_t pfn = pmm_st.extents[i].lo++;
			*record_prepared(pfn) = rec_make(FRAME_ALLOCATED, 0);
			pmm_st.free_frames--;
			return pfn_to_paddr(pfn);
		}
	}
	uint32_t prev = 0; /* pfn + 1 of the previous stacked frame; 0: none */
	for (uint32_t link = rec_count(pmm_st.free_top); link;
	     link = rec_count(pmm_frames.records[link - 1])) {
		pfn_t pfn = link - 1;
		if (pfn >= lim) {
			prev = link;
			continue;
		}
		uint32_t next = rec_count(pmm_frames.records[pfn]);
		if (prev)
			pmm_frames.records[prev - 1] = rec_make(FRAME_FREE, next);
		else
			pmm_st.free_top = rec_make(FRAME_FREE, next);
		pmm_frames.records[pfn] = rec_make(FRAME_ALLOCATED, 0);
		pmm_st.free_frames--;
		return pfn_to_paddr(pfn);
	}
	return PMM_INVALID_PAGE;
}

/* ---- free -------------------------------------------------------------- */

/* The state of a frame whose chunk has no records yet, from the ranges that
 * chunk_prepare() would write (later reservations win, as there). */
enum frame_state pmm_untouched_state(pfn_t pfn)
{
	for (uint32_t u = 0; u < pmm_st.usable_count; u++) {
		if (pfn < (pmm_st.usable[u].start >> PAGE_SHIFT) ||
		    pfn >= (pmm_st.usable[u].end >> PAGE_SHIFT))
			continue;
		for (uint32_t r = pmm_st.reserved_count; r-- > 0;)
			if (pfn >= pmm_st.reserved[r].lo && pfn < pmm_st.reserved[r].hi)
				return pmm_st.reserved[r].state;
		return FRAME_FREE;
	}
	return FRAME_NONE;
}

static int refuse(uint32_t state)
{
	switch (state) {
	case FRAME_FREE: return PMM_ERR_NOT_ALLOCATED;
	case FRAME_RESERVED:
	case FRAME_KERNEL: return PMM_ERR_RESERVED;
	case FRAME_NONE: return PMM_ERR_INVALID;
	default: return PMM_ERR_IN_USE;
	}
}

/* Why `page` cannot be freed as `owner`: kept out of line, the accepted case
 * is the one that must be short. */
static __attribute__((noinline)) int free_refusal(paddr_t page, enum frame_state owner)
{
	pfn_t pfn = paddr_to_pfn(page);
	if (!page_aligned(page))
		return PMM_ERR_INVALID;
	if (!chunk_is_ready(pfn)) /* also every frame past the last usable one */
		return refuse(pmm_untouched_state(pfn));
	uint32_t rec = pmm_frames.records[pfn];
	if (rec_state(rec) != (uint32_t)owner || owner == FRAME_FREE)
		return refuse(rec_state(rec));
	return PMM_ERR_IN_USE; /* still mapped somewhere */
}

static inline __attribute__((always_inline)) int free_frame(paddr_t page, enum frame_state owner)
{
	if (!page_aligned(page) || owner == FRAME_FREE)
		return free_refusal(page, owner);
	/* The new top record is computed from `page` afresh below, not from a
	 * page number kept from here: see pmm_page_record. */
	uint32_t *rec = pmm_page_record(page);
	/* The accepted case: owned by `owner` and no mapping left (state and a
	 * zero count in one compare; untouched chunks read as FRAME_NONE). */
	if (*rec != rec_make(owner, 0))
		return free_refusal(page, owner);
	*rec = pmm_st.free_top;
	/* rec_make(FRAME_FREE, pfn + 1), from the aligned page in two steps. */
	pmm_st.free_top = (page >> (PAGE_SHIFT - PMM_STATE_BITS)) + rec_make(FRAME_FREE, 1);
	pmm_st.free_frames++;
	return PMM_OK;
}

int pmm_free_as(paddr_t page, enum frame_state owner)
{
	if (!ownable(owner))
		return free_refusal(page, FRAME_FREE); /* nobody may free as that: say why */
	return free_frame(page, owner);
}

int pmm_free_page(paddr_t page)
{
	return free_frame(page, FRAME_ALLOCATED);
}

/* ---- mapping references -------------------------------------------------- */

int pmm_ref_slow(paddr_t page)
{
	pfn_t pfn = paddr_to_pfn(page);
	if (pfn >= pmm_frames.limit)
		return PMM_OK; /* device memory or beyond RAM: not tracked */
	uint32_t *rec = record_prepared(pfn);
	switch (rec_state(*rec)) {
	case FRAME_FREE: return PMM_ERR_NOT_ALLOCATED;
	case FRAME_PAGE_TABLE: return PMM_ERR_IN_USE;
	case FRAME_HEAP:
		if (rec_count(*rec))
			return PMM_ERR_IN_USE;
		*rec += PMM_COUNT_ONE;
		return PMM_OK;
	case FRAME_NONE: return PMM_OK;
	default: *rec += PMM_COUNT_ONE; return PMM_OK;
	}
}

int pmm_unref_slow(paddr_t page)
{
	pfn_t pfn = paddr_to_pfn(page);
	if (pfn >= pmm_frames.limit)
		return PMM_OK;
	uint32_t *rec = record_prepared(pfn);
	if (rec_state(*rec) == FRAME_NONE)
		return PMM_OK;
	if (rec_count(*rec) == 0 || rec_state(*rec) == FRAME_FREE)
		return PMM_ERR_NOT_ALLOCATED;
	*rec -= PMM_COUNT_ONE;
	return PMM_OK;
}
