/* What the PMM can say about frames and about itself: the state and the
 * mapping count of a frame, the counts, the statistics the monitor prints,
 * and a walk over mapped frames for vm_check. */
#include <stddef.h>

#include "mm/pmm.h"
#include "pmm_internal.h"

enum frame_state pmm_frame_state(paddr_t page)
{
	pfn_t pfn = paddr_to_pfn(page);
	if (pfn >= pmm_frames.limit)
		return FRAME_NONE;
	if (!chunk_is_ready(pfn))
		return pmm_untouched_state(pfn);
	return (enum frame_state)rec_state(pmm_frames.records[pfn]);
}

/* The mappings a record counts: a free frame's count is its stack link, a
 * page table's its present entries (pmm_table_record), neither a mapping. */
static uint32_t mapping_count(uint32_t rec)
{
	return rec_state(rec) == FRAME_FREE || rec_state(rec) == FRAME_PAGE_TABLE ? 0
										  : rec_count(rec);
}

uint32_t pmm_frame_refs(paddr_t page)
{
	pfn_t pfn = paddr_to_pfn(page);
	if (pfn >= pmm_frames.limit || !chunk_is_ready(pfn))
		return 0;
	uint32_t rec = pmm_frames.records[pfn];
	return mapping_count(rec);
}

bool pmm_frame_tracked(paddr_t page)
{
	return pmm_frame_state(page) != FRAME_NONE;
}

uint32_t pmm_free_count(void)
{
	return pmm_st.free_frames;
}

uint32_t pmm_total_count(void)
{
	return pmm_st.total_frames;
}

uint32_t pmm_count_owned(enum frame_state owner)
{
	if (!ownable(owner))
		return 0;
	/* Owned frames were handed out, so their chunks are ready. */
	uint32_t n = 0;
	for (pfn_t pfn = 0; pfn < pmm_frames.limit; pfn += PMM_CHUNK_FRAMES) {
		if (!chunk_is_ready(pfn))
			continue;
		pfn_t end = min_pfn(pfn + PMM_CHUNK_FRAMES, pmm_frames.limit);
		for (pfn_t f = pfn; f < end; f++)
			n += rec_state(pmm_frames.records[f]) == (uint32_t)owner;
	}
	return n;
}

void pmm_get_stats(struct pmm_stats *out)
{
	*out = (struct pmm_stats){
		.total_frames = pmm_st.total_frames,
		.free_frames = pmm_st.free_frames,
		.reserved_frames = pmm_st.reserved_at_boot,
		.record_bytes = pmm_records_size(pmm_frames.limit),
		.highest_frame = pmm_frames.limit,
	};
}

void pmm_for_each_mapped(void (*fn)(pfn_t pfn, uint32_t refs, void *ctx), void *ctx)
{
	for (pfn_t pfn = 0; pfn < pmm_frames.limit; pfn += PMM_CHUNK_FRAMES) {
		if (!chunk_is_ready(pfn))
			continue;
		pfn_t end = min_pfn(pfn + PMM_CHUNK_FRAMES, pmm_frames.limit);
		for (pfn_t f = pfn; f < end; f++)
			if (mapping_count(pmm_frames.records[f]))
				fn(f, mapping_count(pmm_frames.records[f]), ctx);
	}
}
