/* The physical memory manager.
 *
 * Free frames live in two places, both O(1) to take from:
 *
 *   extents    frames never handed out since boot, as [lo, hi) runs of usable
 *              RAM minus reservations; allocation takes extents[top].hi - 1
 *              (high memory first, keeping low memory for whoever needs it).
 *   free stack frames given back, linked through their records.
 *
 * Frame records (4 bytes a frame, 0.1% of RAM; layout in mm/pmm.h) are written a 4 MiB chunk (1024
 * records) at a time, the first time a frame of the chunk is handed out or referenced.  Until then
 * the chunk is known to be untouched, so boot never walks all of RAM.
 */
#include "mm/pmm.h"

#include <stddef.h>

#include "arch/mmu.h"
#include "drivers/console.h"
#include "lib/string.h"

#define STATE_BITS   4u
#define MAX_EXTENTS  (MEMMAP_MAX_RANGES + 2 * PMM_MAX_RESERVATIONS)
#define MAX_RESERVED (PMM_MAX_RESERVATIONS + 1) /* + the records themselves */

struct extent {
	pfn_t lo, hi;
};

struct pmm_frame_table pmm_frames;
static struct extent extents[MAX_EXTENTS];
static uint32_t extent_count;
static uint32_t top_extent; /* extents above this index are empty */
static uint32_t free_head;  /* pfn + 1 of the top of the free stack; 0: empty */
static uint32_t free_frames, total_frames;
static uint32_t fail_countdown;

/* Kept for writing chunks of records lazily. */
static struct phys_range usable[MEMMAP_MAX_RANGES];
static uint32_t usable_count;
/* Reservations as frame numbers: [lo, hi) may end at 4 GiB, which a paddr_t
 * cannot say. */
struct reserved_frames {
	pfn_t lo, hi;
	enum frame_state state;
};
static struct reserved_frames reserved[MAX_RESERVED];
static uint32_t reserved_count;

static inline uint32_t rec_state(uint32_t rec)
{
	return rec & PMM_STATE_MASK;
}

static inline uint32_t rec_count(uint32_t rec)
{
	return rec >> STATE_BITS;
}

static inline uint32_t rec_make(uint32_t state, uint32_t count)
{
	return state | count << STATE_BITS;
}

/* What every chunk's records read as until they are written. */
static const uint32_t untouched_chunk[PMM_CHUNK_FRAMES]; /* all FRAME_NONE */

static inline bool chunk_is_ready(pfn_t pfn)
{
	return pmm_frames.chunk[pfn >> PMM_CHUNK_SHIFT] != untouched_chunk;
}

static void fill_records(pfn_t lo, pfn_t hi, uint32_t rec)
{
	if (lo < hi)
		memset32(&pmm_frames.records[lo], rec, hi - lo);
}

static pfn_t max_pfn(pfn_t a, pfn_t b)
{
	return a > b ? a : b;
}

static pfn_t min_pfn(pfn_t a, pfn_t b)
{
	return a < b ? a : b;
}

/* Writes the records of one untouched chunk: not-RAM, then usable RAM as
 * free, then the reservations that fall inside usable RAM. */
static __attribute__((noinline)) void chunk_prepare(pfn_t pfn)
{
	uint32_t c = pfn >> PMM_CHUNK_SHIFT;
	pfn_t lo = c << PMM_CHUNK_SHIFT;
	pfn_t hi = lo + PMM_CHUNK_FRAMES; /* records exist for whole chunks */

	fill_records(lo, hi, rec_make(FRAME_NONE, 0));
	for (uint32_t u = 0; u < usable_count; u++) {
		pfn_t ulo = max_pfn(lo, (pfn_t)(usable[u].start >> PAGE_SHIFT));
		pfn_t uhi = min_pfn(hi, (pfn_t)(usable[u].end >> PAGE_SHIFT));
		if (ulo >= uhi)
			continue;
		fill_records(ulo, uhi, rec_make(FRAME_FREE, 0));
		for (uint32_t r = 0; r < reserved_count; r++) {
			pfn_t rlo = max_pfn(ulo, reserved[r].lo);
			pfn_t rhi = min_pfn(uhi, reserved[r].hi);
			fill_records(rlo, rhi, rec_make(reserved[r].state, 0));
		}
	}
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
		pmm_frames.chunk[c] = (uint32_t *)untouched_chunk; /* never written: see pmm.h */
	extent_count = top_extent = 0;
	free_head = free_frames = total_frames = 0;
	fail_countdown = 0;
	usable_count = reserved_count = 0;
}

static uint64_t round_up(uint64_t a)
{
	return (a + PAGE_OFFSET_MASK) & ~(uint64_t)PAGE_OFFSET_MASK;
}

/* Bytes of frame records: whole chunks up to the last usable frame, so a
 * ready chunk never needs a limit check (frames past the limit in the last
 * chunk are FRAME_NONE).  Holes below the limit cost records too. */
static uint32_t records_size(void)
{
	pfn_t frames = (pmm_frames.limit + PMM_CHUNK_FRAMES - 1) & ~(PMM_CHUNK_FRAMES - 1);
	return frames * (uint32_t)sizeof(uint32_t);
}

/* The lowest free run that holds `bytes` below `limit`, or 0. */
static paddr_t find_record_space(const struct phys_range *free, uint32_t n, uint32_t bytes,
				 paddr_t limit)
{
	for (uint32_t i = 0; i < n; i++)
		if (free[i].end - free[i].start >= bytes && free[i].start + bytes <= limit)
			return (paddr_t)free[i].start;
	return 0;
}

int pmm_init(const struct memmap *map, const struct pmm_reservation *res, uint32_t count,
	     paddr_t records_limit)
{
	/* Arguments first: a refused call leaves a running PMM as it was. */
	if (!map || map->range_count == 0)
		return PMM_ERR_NO_MEMORY;
	if ((!res && count) || count > PMM_MAX_RESERVATIONS || map->range_count > MEMMAP_MAX_RANGES)
		return PMM_ERR_INVALID;
	for (uint32_t i = 0; i < count; i++)
		if (res[i].end < res[i].start ||
		    (res[i].state != FRAME_RESERVED && res[i].state != FRAME_KERNEL))
			return PMM_ERR_INVALID;
	pmm_reset();

	struct phys_range free[MAX_EXTENTS];
	uint32_t nfree = map->range_count;
	for (uint32_t i = 0; i < nfree; i++) {
		usable[i] = free[i] = map->ranges[i];
		total_frames += (uint32_t)((free[i].end - free[i].start) >> PAGE_SHIFT);
	}
	usable_count = nfree;
	pmm_frames.limit = (pfn_t)(usable[usable_count - 1].end >> PAGE_SHIFT);

	for (uint32_t i = 0; i < count; i++) {
		pfn_t lo = paddr_to_pfn(res[i].start);
		pfn_t hi = min_pfn((pfn_t)(round_up(res[i].end) >> PAGE_SHIFT), pmm_frames.limit);
		reserved[i] = (struct reserved_frames){lo, hi > lo ? hi : lo, res[i].state};
		if (ranges_subtract(free, &nfree, MAX_EXTENTS, (uint64_t)lo << PAGE_SHIFT,
				    (uint64_t)hi << PAGE_SHIFT) != MEMMAP_OK) {
			pmm_reset();
			return PMM_ERR_TOO_MANY;
		}
	}
	reserved_count = count;

	uint32_t record_bytes = records_size();
	paddr_t at = find_record_space(free, nfree, record_bytes, records_limit);
	if (!at) {
		pmm_reset();
		return PMM_ERR_NO_MEMORY;
	}
	reserved[reserved_count++] = (struct reserved_frames){
		paddr_to_pfn(at), paddr_to_pfn(at + record_bytes), FRAME_KERNEL};
	ranges_subtract(free, &nfree, MAX_EXTENTS, at, at + record_bytes); /* never splits */
	pmm_frames.records = arch_phys_to_virt(at);

	for (uint32_t i = 0; i < nfree; i++) {
		extents[extent_count++] = (struct extent){(pfn_t)(free[i].start >> PAGE_SHIFT),
							  (pfn_t)(free[i].end >> PAGE_SHIFT)};
		free_frames += (pfn_t)((free[i].end - free[i].start) >> PAGE_SHIFT);
	}
	top_extent = extent_count;
	return PMM_OK;
}

/* ---- allocation ------------------------------------------------------------ */

/* The states a caller may allocate and free frames as. */
static bool ownable(enum frame_state owner)
{
	return owner == FRAME_PAGE_TABLE || owner == FRAME_HEAP || owner == FRAME_ALLOCATED ||
	       owner == FRAME_USER;
}

static inline bool injected_failure(void)
{
	return fail_countdown && --fail_countdown == 0;
}

static bool take_from_extents(pfn_t *pfn)
{
	while (top_extent && extents[top_extent - 1].lo == extents[top_extent - 1].hi)
		top_extent--;
	if (!top_extent)
		return false;
	*pfn = --extents[top_extent - 1].hi;
	return true;
}

/* The allocation path, inlined into each public entry: pmm_alloc_page is on
 * every hot path that needs a frame. */
static inline __attribute__((always_inline)) paddr_t alloc_frame(enum frame_state owner)
{
	if (injected_failure())
		return PMM_INVALID_PAGE;
	pfn_t pfn;
	if (free_head) {
		pfn = free_head - 1;
		free_head = rec_count(pmm_frames.records[pfn]);
	} else {
		if (!take_from_extents(&pfn))
			return PMM_INVALID_PAGE;
		record_prepared(pfn); /* prepares its chunk on first use */
	}
	pmm_frames.records[pfn] = rec_make(owner, 0);
	free_frames--;
	return pfn_to_paddr(pfn);
}

paddr_t pmm_alloc_as(enum frame_state owner)
{
	return ownable(owner) ? alloc_frame(owner) : PMM_INVALID_PAGE;
}

paddr_t pmm_alloc_page(void)
{
	return alloc_frame(FRAME_ALLOCATED);
}

/* Rare (page tables no longer need it), so it may walk: first the bottoms of
 * the extents, then the free stack. */
paddr_t pmm_alloc_page_below(paddr_t limit)
{
	pfn_t lim = paddr_to_pfn(limit);
	if (injected_failure())
		return PMM_INVALID_PAGE;
	for (uint32_t i = 0; i < extent_count; i++) {
		if (extents[i].lo < extents[i].hi && extents[i].lo < lim) {
			pfn_t pfn = extents[i].lo++;
			*record_prepared(pfn) = rec_make(FRAME_ALLOCATED, 0);
			free_frames--;
			return pfn_to_paddr(pfn);
		}
	}
	uint32_t prev = 0; /* pfn + 1 of the previous stacked frame; 0: none */
	for (uint32_t link = free_head; link; link = rec_count(pmm_frames.records[link - 1])) {
		pfn_t pfn = link - 1;
		if (pfn >= lim) {
			prev = link;
			continue;
		}
		uint32_t next = rec_count(pmm_frames.records[pfn]);
		if (prev)
			pmm_frames.records[prev - 1] = rec_make(FRAME_FREE, next);
		else
			free_head = next;
		pmm_frames.records[pfn] = rec_make(FRAME_ALLOCATED, 0);
		free_frames--;
		return pfn_to_paddr(pfn);
	}
	return PMM_INVALID_PAGE;
}

/* ---- free -------------------------------------------------------------- */

/* The state of a frame whose chunk has no records yet, from the ranges that
 * chunk_prepare() would write (later reservations win, as there). */
static enum frame_state untouched_state(pfn_t pfn)
{
	for (uint32_t u = 0; u < usable_count; u++) {
		if (pfn < (usable[u].start >> PAGE_SHIFT) || pfn >= (usable[u].end >> PAGE_SHIFT))
			continue;
		for (uint32_t r = reserved_count; r-- > 0;)
			if (pfn >= reserved[r].lo && pfn < reserved[r].hi)
				return reserved[r].state;
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
		return refuse(untouched_state(pfn));
	uint32_t rec = pmm_frames.records[pfn];
	if (rec_state(rec) != (uint32_t)owner || owner == FRAME_FREE)
		return refuse(rec_state(rec));
	return PMM_ERR_IN_USE; /* still mapped somewhere */
}

static inline __attribute__((always_inline)) int free_frame(paddr_t page, enum frame_state owner)
{
	pfn_t pfn = paddr_to_pfn(page);
	uint32_t *rec = pmm_record(pfn); /* untouched chunks read as FRAME_NONE */
	/* The accepted case: aligned, owned by `owner` and no mapping left
	 * (state and a zero count in one compare). */
	if (!page_aligned(page) || *rec != rec_make(owner, 0) || owner == FRAME_FREE)
		return free_refusal(page, owner);
	*rec = rec_make(FRAME_FREE, free_head);
	free_head = pfn + 1;
	free_frames++;
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

/* ---- queries ----------------------------------------------------------- */

enum frame_state pmm_frame_state(paddr_t page)
{
	pfn_t pfn = paddr_to_pfn(page);
	if (pfn >= pmm_frames.limit)
		return FRAME_NONE;
	if (!chunk_is_ready(pfn))
		return untouched_state(pfn);
	return (enum frame_state)rec_state(pmm_frames.records[pfn]);
}

uint32_t pmm_frame_refs(paddr_t page)
{
	pfn_t pfn = paddr_to_pfn(page);
	if (pfn >= pmm_frames.limit || !chunk_is_ready(pfn))
		return 0;
	uint32_t rec = pmm_frames.records[pfn];
	return rec_state(rec) == FRAME_FREE ? 0 : rec_count(rec);
}

bool pmm_frame_tracked(paddr_t page)
{
	return pmm_frame_state(page) != FRAME_NONE;
}

uint32_t pmm_free_count(void)
{
	return free_frames;
}

uint32_t pmm_total_count(void)
{
	return total_frames;
}

void pmm_get_stats(struct pmm_stats *out)
{
	*out = (struct pmm_stats){
		.total_frames = total_frames,
		.free_frames = free_frames,
		.record_bytes = records_size(),
		.highest_frame = pmm_frames.limit,
	};
	for (uint32_t r = 0; r < reserved_count; r++)
		out->reserved_frames += reserved[r].hi - reserved[r].lo;
}

const char *pmm_state_name(enum frame_state state)
{
	static const char *const names[] = {"not RAM", "free", "page table", "reserved",
					    "kernel",  "heap", "allocated",  "user"};
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *pmm_status_name(int status)
{
	switch (status) {
	case PMM_OK: return "ok";
	case PMM_ERR_INVALID: return "invalid address";
	case PMM_ERR_RESERVED: return "reserved frame";
	case PMM_ERR_NOT_ALLOCATED: return "frame not allocated";
	case PMM_ERR_IN_USE: return "frame in use";
	case PMM_ERR_NO_MEMORY: return "out of memory";
	case PMM_ERR_TOO_MANY: return "too many ranges";
	default: return "unknown status";
	}
}

void pmm_fail_nth_alloc(uint32_t n)
{
	fail_countdown = n;
}

void pmm_for_each_mapped(void (*fn)(pfn_t pfn, uint32_t refs, void *ctx), void *ctx)
{
	for (pfn_t pfn = 0; pfn < pmm_frames.limit; pfn += PMM_CHUNK_FRAMES) {
		if (!chunk_is_ready(pfn))
			continue;
		pfn_t end = min_pfn(pfn + PMM_CHUNK_FRAMES, pmm_frames.limit);
		for (pfn_t f = pfn; f < end; f++)
			if (rec_state(pmm_frames.records[f]) != FRAME_FREE &&
			    rec_count(pmm_frames.records[f]))
				fn(f, rec_count(pmm_frames.records[f]), ctx);
	}
}

/* ---- self-checks ------------------------------------------------------- */

bool pmm_check(void)
{
	uint32_t stacked = 0;
	for (uint32_t link = free_head; link; link = rec_count(pmm_frames.records[link - 1])) {
		pfn_t pfn = link - 1;
		if (pfn >= pmm_frames.limit || !chunk_is_ready(pfn) ||
		    rec_state(pmm_frames.records[pfn]) != FRAME_FREE ||
		    untouched_state(pfn) != FRAME_FREE) {
			kprintf("pmm_check: stacked frame 0x%08X is not a free frame of usable "
				"RAM\n",
				pfn_to_paddr(pfn));
			return false;
		}
		if (++stacked > free_frames) {
			kprintf("pmm_check: free stack longer than the free count (%u): a loop?\n",
				free_frames);
			return false;
		}
	}
	uint32_t in_extents = 0, free_records = 0;
	for (uint32_t i = 0; i < extent_count; i++)
		in_extents += extents[i].hi - extents[i].lo;
	for (pfn_t pfn = 0; pfn < pmm_frames.limit; pfn++) {
		if (chunk_is_ready(pfn)) {
			free_records += rec_state(pmm_frames.records[pfn]) == FRAME_FREE;
		} else {
			pfn_t end = min_pfn(((pfn >> PMM_CHUNK_SHIFT) + 1) << PMM_CHUNK_SHIFT,
					    pmm_frames.limit);
			for (uint32_t i = 0; i < extent_count; i++)
				free_records += min_pfn(end, max_pfn(pfn, extents[i].hi)) -
						min_pfn(end, max_pfn(pfn, extents[i].lo));
			pfn = end - 1;
		}
	}
	if (stacked + in_extents != free_frames || free_records != free_frames) {
		kprintf("pmm_check: free count %u, but %u stacked + %u never used, %u free "
			"records\n",
			free_frames, stacked, in_extents, free_records);
		return false;
	}
	return true;
}

bool pmm_test_once(void)
{
	uint32_t before = pmm_free_count();
	paddr_t a = pmm_alloc_page(), b = pmm_alloc_page();
	bool ok = a != PMM_INVALID_PAGE && b != PMM_INVALID_PAGE && a != b && page_aligned(a) &&
		  page_aligned(b) && pmm_free_count() == before - 2 &&
		  pmm_frame_state(a) == FRAME_ALLOCATED;
	ok = ok && pmm_free_page(a) == PMM_OK && pmm_free_page(a) == PMM_ERR_NOT_ALLOCATED;
	ok = ok && pmm_free_page(b) == PMM_OK && pmm_free_count() == before;
	ok = ok && pmm_alloc_page() == b && pmm_free_page(b) == PMM_OK; /* LIFO reuse */
	if (!ok) {
		kprintf("PMM test: FAILED (a=0x%08X b=0x%08X free %u, was %u)\n", a, b,
			pmm_free_count(), before);
		return false;
	}
	console_writeln("PMM test: allocation/free sanity check passed");
	return true;
}
