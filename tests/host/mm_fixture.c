#include "mm_fixture.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "fake_arch.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/memmap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"
#include "test_env.h"

static struct memmap map;
static uint64_t ram_size;
static void *heap_region;

static void map_heap_region(void)
{
	if (heap_region)
		return;
	heap_region =
		mmap((void *)(uintptr_t)LAYOUT_HEAP_START, LAYOUT_HEAP_END - LAYOUT_HEAP_START,
		     PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE | MAP_NORESERVE, -1, 0);
	if (heap_region != (void *)(uintptr_t)LAYOUT_HEAP_START)
		fail_msg("mm_fixture: cannot map the heap range at 0x%08X", LAYOUT_HEAP_START);
}

void mm_fixture_boot(uint64_t ram_bytes, uint32_t heap_pages)
{
	ram_size = ram_bytes;
	fake_machine_init(ram_bytes);
	fake_console_quiet(true);
	const struct memmap_entry entries[] = {
		{0, 0x9F000, 1},
		{0x9F000, 0x100000 - 0x9F000, 2},
		{0x100000, ram_bytes - 0x100000, 1},
	};
	assert_int_equal(memmap_from_entries(entries, 3, &map), MEMMAP_OK);
	const struct pmm_reservation res[] = {
		{0, LAYOUT_LOW_MEMORY_END, FRAME_RESERVED, "first MiB"},
		{FIXTURE_KERNEL_START, FIXTURE_KERNEL_END, FRAME_KERNEL, "kernel image"},
		{FIXTURE_DIRECTORY, FIXTURE_DIRECTORY + PAGE_SIZE, FRAME_KERNEL, "directory"},
	};
	assert_int_equal(pmm_init(&map, res, 3, LAYOUT_IDENTITY_END), PMM_OK);
	fake_set_page_directory(FIXTURE_DIRECTORY, true);
	vmm_init();
	if (heap_pages) {
		map_heap_region();
		/* Fresh bytes for every test: a stale header must not look valid. */
		memset(heap_region, 0, LAYOUT_HEAP_END - LAYOUT_HEAP_START);
		assert_int_equal(heap_init(heap_pages), HEAP_OK);
	}
}

void mm_fixture_shutdown(void)
{
	fake_machine_free();
}

paddr_t test_env_low_reserved_frame(void)
{
	return 0x1000u;
}

paddr_t test_env_kernel_frame(void)
{
	return FIXTURE_KERNEL_START;
}

bool test_env_low_frames_free(void)
{
	return true; /* the fixture loads no modules */
}

paddr_t test_env_beyond_ram(void)
{
	return (paddr_t)ram_size;
}
