/* The PMM's own invariants: every chunk of records is page-aligned (see
 * pmm_page_record), the free count equals the free stack plus the frames
 * never handed out, every stacked frame is a free frame of usable RAM, and
 * the stack has no loop. */
#include "drivers/console.h"
#include "mm/pmm.h"
#include "pmm_internal.h"

bool pmm_check(void)
{
	for (uint32_t c = 0; c < PMM_MAX_CHUNKS; c++) {
		if ((uintptr_t)pmm_frames.chunk[c] & PAGE_OFFSET_MASK) {
			kprintf("pmm_check: the records of chunk %u are not page-aligned\n", c);
			return false;
		}
	}
	uint32_t stacked = 0;
	if (rec_state(pmm_st.free_top) != FRAME_FREE) {
		kprintf("pmm_check: the free stack's top record 0x%08X is not a free one\n",
			pmm_st.free_top);
		return false;
	}
	for (uint32_t link = rec_count(pmm_st.free_top); link;
	     link = rec_count(pmm_frames.records[link - 1])) {
		pfn_t pfn = link - 1;
		if (pfn >= pmm_frames.limit || !chunk_is_ready(pfn) ||
		    rec_state(pmm_frames.records[pfn]) != FRAME_FREE ||
		    pmm_untouched_state(pfn) != FRAME_FREE) {
			kprintf("pmm_check: stacked frame 0x%08X is not a free frame of usable "
				"RAM\n",
				pfn_to_paddr(pfn));
			return false;
		}
		if (++stacked > pmm_st.free_frames) {
			kprintf("pmm_check: free stack longer than the free count (%u): a loop?\n",
				pmm_st.free_frames);
			return false;
		}
	}
	uint32_t in_extents = 0, free_records = 0;
	for (uint32_t i = 0; i < pmm_st.extent_count; i++)
		in_extents += pmm_st.extents[i].hi - pmm_st.extents[i].lo;
	for (pfn_t pfn = 0; pfn < pmm_frames.limit; pfn++) {
		if (chunk_is_ready(pfn)) {
			free_records += rec_state(pmm_frames.records[pfn]) == FRAME_FREE;
		} else {
			pfn_t end = min_pfn(((pfn >> PMM_CHUNK_SHIFT) + 1) << PMM_CHUNK_SHIFT,
					    pmm_frames.limit);
			for (uint32_t i = 0; i < pmm_st.extent_count; i++)
				free_records += min_pfn(end, max_pfn(pfn, pmm_st.extents[i].hi)) -
						min_pfn(end, max_pfn(pfn, pmm_st.extents[i].lo));
			pfn = end - 1;
		}
	}
	if (stacked + in_extents != pmm_st.free_frames || free_records != pmm_st.free_frames) {
		kprintf("pmm_check: free count %u, but %u stacked + %u never used, %u free "
			"records\n",
			pmm_st.free_frames, stacked, in_extents, free_records);
		return false;
	}
	return true;
}
