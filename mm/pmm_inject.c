/* Fault injection for tests: the allocator's paths ask injected_failure()
 * (mm/pmm_internal.h) before they take a frame. */
#include "mm/pmm.h"
#include "pmm_internal.h"

void pmm_fail_nth_alloc(uint32_t n)
{
	pmm_st.fail_countdown = n;
}

uint32_t pmm_fail_pending(void)
{
	return pmm_st.fail_countdown;
}
