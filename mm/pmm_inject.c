/* Fault injection for tests: the allocator's slow paths ask
 * injected_failure() (mm/pmm_internal.h) before they take a frame, and an
 * armed failure closes the stack gate so that every allocation takes one. */
#include "mm/pmm.h"
#include "pmm_internal.h"

void pmm_fail_nth_alloc(uint32_t n)
{
	pmm_st.fail_countdown = n;
	pmm_st.stack_gate =
		n ? PMM_GATE_CLOSED : PMM_GATE_OPEN; /* the countdown is on the slow path */
}

uint32_t pmm_fail_pending(void)
{
	return pmm_st.fail_countdown;
}
