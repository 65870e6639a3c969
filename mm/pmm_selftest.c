/* The PMM's boot self-test. */
#include "drivers/console.h"
#include "mm/pmm.h"

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
