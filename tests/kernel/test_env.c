#include "test_env.h"

#include "arch/layout.h"
#include "mm/pmm.h"

extern const char __kernel_start[];

paddr_t test_env_low_reserved_frame(void)
{
	return 0x1000u; /* real-mode memory: usable per the BIOS, reserved by Toyix */
}

paddr_t test_env_kernel_frame(void)
{
	return (paddr_t)__kernel_start;
}

paddr_t test_env_beyond_ram(void)
{
	struct pmm_stats st;
	pmm_get_stats(&st);
	return pfn_to_paddr(st.highest_frame);
}

bool test_env_low_frames_free(void)
{
	paddr_t records = 0;
	uint32_t bytes;
	pmm_records_region(&records, &bytes);
	return records < LAYOUT_IDENTITY_END;
}
