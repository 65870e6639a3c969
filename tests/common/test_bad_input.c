/* Bad input to every public memory function, from ONE table, run in the
 * kernel (test=ktest) and on the host (test_mm_contracts).
 *
 * Each row is a call with one thing wrong (unaligned, NULL, out of range, the
 * kernel's own region, a double free or unmap, a foreign pointer, a size that
 * overflows, an unknown flag or owner ...) and the result it must give.  The
 * runner takes a snapshot before every row (free and total frames, mapped
 * pages and tables, all 1024 page-directory entries, the heap's statistics)
 * and checks that the row changed none of it; a refused kfree may only add
 * one to the heap's error count.  A failing row is reported by name.
 *
 * Every row runs in the kernel too, pmm_init's included: it checks all of
 * its arguments before it touches the live PMM. */
#include <stddef.h>
#include <stdint.h>

#include "kernel/ktest.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/memmap.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "mm/vmm.h"
#include "mm_snapshot.h"
#include "test_env.h"

#define SCRATCH		  LAYOUT_TEST_SCRATCH
#define REGION		  (PT_ENTRIES * PAGE_SIZE)
#define FRESH_REGION	  (SCRATCH + 5 * REGION) /* no table there, ever */
#define FAR_REGION	  (SCRATCH + 8 * REGION) /* room for an over-long range */
#define HEAP_BYTES	  (LAYOUT_HEAP_END - LAYOUT_HEAP_START)
#define BIG_BLOCK	  10000u /* beyond the heap's free cache: freed the general way */
#define SMALL_BLOCK	  64u
#define FILL_BYTE	  0x5A
#define MMAP_ENTRY_BYTES  24u /* the size field and the 20 bytes it counts */
#define MMAP_ENTRY_SIZE	  20u
#define TOO_MANY_ENTRIES  (MEMMAP_MAX_ENTRIES + 1)
#define ROW_NOTE_MAX	  160
#define CACHE_FILL_BLOCKS 15u	/* freed blocks of ... */
#define CACHE_FILL_BYTES  4000u /* ... this size spend most of the cache's 64 KiB */

enum row_flags {
	ROW_HEAP_ERROR = 1u << 0, /* a refused kfree: the heap counts one error */
};

/* What the rows work on, set up once per run of the table. */
struct bad_ctx {
	paddr_t allocated;    /* FRAME_ALLOCATED, unmapped */
	paddr_t heap_frame;   /* FRAME_HEAP, the test's own */
	paddr_t freed;	      /* allocated, then freed */
	paddr_t mapped_frame; /* allocated and mapped at mapped_va */
	paddr_t table;	      /* the page table behind mapped_va */
	vaddr_t mapped_va;    /* SCRATCH: mapped, the page after it is not */
	vaddr_t alias_va;     /* maps a kernel frame */
	uint8_t *live;	      /* a live small block, filled with FILL_BYTE */
	uint8_t *freed_ptr;   /* a big block freed the general way, neighbours live */
	uint8_t *cached_ptr;  /* a small block freed into the cache */
	uint8_t *merged_ptr;  /* a big block freed after (and merged into) its predecessor */
	uint8_t *clobbered;   /* a live block whose header magic was overwritten */
	uint32_t clobbered_magic;
	bool magic_broken;		    /* clobbered's header differs from clobbered_magic */
	uint8_t *parked[CACHE_FILL_BLOCKS]; /* blocks that spend the cache's budget */
	uint8_t *guards[3];
	paddr_t scratch_pa; /* outputs of the lookup rows */
	uint32_t scratch_flags;
};

static uint32_t not_heap[4]; /* a static object: no heap pointer */

/* --- memory maps for the parser rows ------------------------------------- */

static uint8_t raw[TOO_MANY_ENTRIES * MMAP_ENTRY_BYTES];
static struct memmap_entry entries[TOO_MANY_ENTRIES];
static struct memmap map_out;

/* Writes one Multiboot mmap entry at raw + i * MMAP_ENTRY_BYTES. */
static void raw_entry(uint32_t i, uint32_t size, uint64_t base, uint64_t length, uint32_t type)
{
	uint8_t *p = raw + i * MMAP_ENTRY_BYTES;
	memcpy(p, &size, 4);
	memcpy(p + 4, &base, 8);
	memcpy(p + 12, &length, 8);
	memcpy(p + 20, &type, 4);
}

static int parse_one(uint32_t size, uint64_t base, uint64_t length, uint32_t type, uint32_t bytes)
{
	raw_entry(0, size, base, length, type);
	return memmap_parse(raw, bytes, &map_out);
}

/* More entries than the parser keeps: it cannot know what the rest reserve. */
static int parse_too_many(void)
{
	for (uint32_t i = 0; i < TOO_MANY_ENTRIES; i++)
		raw_entry(i, MMAP_ENTRY_SIZE, (uint64_t)i * 2 * 0x100000u, 0x100000u, 1);
	return memmap_parse(raw, sizeof(raw), &map_out);
}

/* More disjoint ranges than the result has room for. */
static int entries_too_many_ranges(void)
{
	for (uint32_t i = 0; i < TOO_MANY_ENTRIES; i++)
		entries[i] = (struct memmap_entry){(uint64_t)i * 2 * 0x100000u, 0x100000u, 1};
	return memmap_from_entries(entries, TOO_MANY_ENTRIES, &map_out);
}

/* A split that does not fit fails and leaves the list as it was: the status,
 * or 1 when the list changed. */
static int subtract_overflow(void)
{
	struct phys_range r[1] = {{0, 16 * PAGE_SIZE}};
	uint32_t count = 1;
	int rc = ranges_subtract(r, &count, 1, 4 * PAGE_SIZE, 8 * PAGE_SIZE);
	bool same = count == 1 && r[0].start == 0 && r[0].end == 16 * PAGE_SIZE;
	return same ? rc : 1;
}

/* vmm_alloc_range of one page more than there are free frames.  Where RAM
 * outgrows the room left in the window (above about 470 MiB), the shortage is
 * made by failing the first frame allocation instead. */
static int alloc_more_than_ram(void)
{
	uint32_t pages = pmm_free_count() + 1;
	if (pages <= (LAYOUT_RECURSIVE_BASE - FAR_REGION) / PAGE_SIZE)
		return vmm_alloc_range(FAR_REGION, pages, 0);
	pmm_fail_nth_alloc(1);
	int rc = vmm_alloc_range(FAR_REGION, 1, 0);
	pmm_fail_nth_alloc(0);
	return rc;
}

static int pmm_init_empty_map(void)
{
	map_out.range_count = 0;
	return pmm_init(&map_out, NULL, 0, LAYOUT_IDENTITY_END);
}

static int pmm_init_too_many_ranges(void)
{
	map_out.range_count = MEMMAP_MAX_RANGES + 1;
	return pmm_init(&map_out, NULL, 0, LAYOUT_IDENTITY_END);
}

static int pmm_init_reservations(const struct pmm_reservation *res, uint32_t count)
{
	map_out.range_count = 1;
	map_out.ranges[0] = (struct phys_range){LAYOUT_LOW_MEMORY_END, LAYOUT_IDENTITY_END};
	return pmm_init(&map_out, res, count, LAYOUT_IDENTITY_END);
}

static int pmm_init_bad_state(void)
{
	static const struct pmm_reservation res = {0, PAGE_SIZE, FRAME_ALLOCATED, "bad state"};
	return pmm_init_reservations(&res, 1);
}

/* --- the table --------------------------------------------------------------
 * X(name, call, want, flags): call is an expression over `c` (struct bad_ctx)
 * whose value must equal want. */
#define P(x) ((int64_t)(uintptr_t)(x)) /* a pointer as a result */

#define BAD_INPUTS(X)                                                                              \
	/* PMM: freeing what may not be freed */                                                   \
	X(pmm_free_page_unaligned, pmm_free_page(c->allocated + 4), PMM_ERR_INVALID, 0)            \
	X(pmm_free_page_beyond_ram, pmm_free_page(test_env_beyond_ram()), PMM_ERR_INVALID, 0)      \
	X(pmm_free_page_top_of_memory, pmm_free_page(0xFFFFF000u), PMM_ERR_INVALID, 0)             \
	X(pmm_free_page_invalid_marker, pmm_free_page(PMM_INVALID_PAGE), PMM_ERR_INVALID, 0)       \
	X(pmm_free_page_low_memory, pmm_free_page(test_env_low_reserved_frame()),                  \
	  PMM_ERR_RESERVED, 0)                                                                     \
	X(pmm_free_page_kernel_image, pmm_free_page(test_env_kernel_frame()), PMM_ERR_RESERVED, 0) \
	X(pmm_free_page_double_free, pmm_free_page(c->freed), PMM_ERR_NOT_ALLOCATED, 0)            \
	X(pmm_free_page_heap_owned, pmm_free_page(c->heap_frame), PMM_ERR_IN_USE, 0)               \
	X(pmm_free_page_page_table, pmm_free_page(c->table), PMM_ERR_IN_USE, 0)                    \
	X(pmm_free_page_still_mapped, pmm_free_page(c->mapped_frame), PMM_ERR_IN_USE, 0)           \
	X(pmm_free_as_wrong_owner, pmm_free_as(c->allocated, FRAME_HEAP), PMM_ERR_IN_USE, 0)       \
	X(pmm_free_as_owner_free, pmm_free_as(c->allocated, FRAME_FREE), PMM_ERR_IN_USE, 0)        \
	X(pmm_free_as_unknown_owner, pmm_free_as(c->allocated, (enum frame_state)99),              \
	  PMM_ERR_IN_USE, 0)                                                                       \
	X(pmm_free_as_kernel_owner, pmm_free_as(test_env_kernel_frame(), FRAME_KERNEL),            \
	  PMM_ERR_RESERVED, 0)                                                                     \
	/* PMM: allocating as no one may */                                                        \
	X(pmm_alloc_as_free, pmm_alloc_as(FRAME_FREE), PMM_INVALID_PAGE, 0)                        \
	X(pmm_alloc_as_reserved, pmm_alloc_as(FRAME_RESERVED), PMM_INVALID_PAGE, 0)                \
	X(pmm_alloc_as_kernel, pmm_alloc_as(FRAME_KERNEL), PMM_INVALID_PAGE, 0)                    \
	X(pmm_alloc_as_none, pmm_alloc_as(FRAME_NONE), PMM_INVALID_PAGE, 0)                        \
	X(pmm_alloc_as_unknown, pmm_alloc_as((enum frame_state)99), PMM_INVALID_PAGE, 0)           \
	X(pmm_alloc_page_below_zero, pmm_alloc_page_below(0), PMM_INVALID_PAGE, 0)                 \
	X(pmm_alloc_page_below_first_frame, pmm_alloc_page_below(PAGE_SIZE), PMM_INVALID_PAGE, 0)  \
	/* PMM: references */                                                                      \
	X(pmm_ref_free_frame, pmm_ref(c->freed), PMM_ERR_NOT_ALLOCATED, 0)                         \
	X(pmm_ref_page_table, pmm_ref(c->table), PMM_ERR_IN_USE, 0)                                \
	X(pmm_unref_unreferenced, pmm_unref(c->allocated), PMM_ERR_NOT_ALLOCATED, 0)               \
	/* PMM: init (it would reset the live PMM if it got past its checks) */                    \
	X(pmm_init_null_map, pmm_init(NULL, NULL, 0, LAYOUT_IDENTITY_END), PMM_ERR_NO_MEMORY, 0)   \
	X(pmm_init_no_ranges, pmm_init_empty_map(), PMM_ERR_NO_MEMORY, 0)                          \
	X(pmm_init_too_many_ranges, pmm_init_too_many_ranges(), PMM_ERR_INVALID, 0)                \
	X(pmm_init_null_reservations, pmm_init_reservations(NULL, 1), PMM_ERR_INVALID, 0)          \
	X(pmm_init_too_many_reservations, pmm_init_reservations(NULL, PMM_MAX_RESERVATIONS + 1),   \
	  PMM_ERR_INVALID, 0)                                                                      \
	X(pmm_init_reservation_of_unknown_state, pmm_init_bad_state(), PMM_ERR_INVALID, 0)         \
	/* VMM: mapping a page */                                                                  \
	X(vmm_map_page_unaligned_virt, vmm_map_page(FRESH_REGION + 1, c->allocated, 0),            \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_unaligned_phys, vmm_map_page(FRESH_REGION, c->allocated + 0x10, 0),         \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_accessed_flag, vmm_map_page(FRESH_REGION, c->allocated, PTE_ACCESSED),      \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_dirty_flag, vmm_map_page(FRESH_REGION, c->allocated, PTE_DIRTY),            \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_avl_flag, vmm_map_page(FRESH_REGION, c->allocated, 0x400u),                 \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_frame_bits_as_flags, vmm_map_page(FRESH_REGION, c->allocated, 0x1000u),     \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_null_page, vmm_map_page(0, c->allocated, 0), VMM_ERR_INVALID, 0)            \
	X(vmm_map_page_identity_map,                                                               \
	  vmm_map_page(LAYOUT_IDENTITY_END - PAGE_SIZE, c->allocated, 0), VMM_ERR_INVALID, 0)      \
	X(vmm_map_page_kernel_image, vmm_map_page(test_env_kernel_frame(), c->allocated, 0),       \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_recursive_window, vmm_map_page(LAYOUT_RECURSIVE_BASE, c->allocated, 0),     \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_directory_slot, vmm_map_page(0xFFFFF000u, c->allocated, 0),                 \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_already_mapped, vmm_map_page(c->mapped_va, c->allocated, 0),                \
	  VMM_ERR_ALREADY_MAPPED, 0)                                                               \
	X(vmm_map_page_free_frame, vmm_map_page(c->mapped_va + PAGE_SIZE, c->freed, 0),            \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_free_frame_new_table, vmm_map_page(FRESH_REGION, c->freed, 0),              \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_page_page_table, vmm_map_page(c->mapped_va + PAGE_SIZE, c->table, 0),            \
	  VMM_ERR_INVALID, 0)                                                                      \
	/* VMM: unmapping, looking up, protecting a page */                                        \
	X(vmm_unmap_page_not_mapped, vmm_unmap_page(c->mapped_va + PAGE_SIZE), VMM_ERR_NOT_MAPPED, \
	  0)                                                                                       \
	X(vmm_unmap_page_no_table, vmm_unmap_page(FRESH_REGION), VMM_ERR_NOT_MAPPED, 0)            \
	X(vmm_unmap_page_unaligned, vmm_unmap_page(c->mapped_va + 8), VMM_ERR_INVALID, 0)          \
	X(vmm_unmap_page_kernel_image, vmm_unmap_page(test_env_kernel_frame()), VMM_ERR_INVALID,   \
	  0)                                                                                       \
	X(vmm_unmap_page_recursive_window, vmm_unmap_page(LAYOUT_RECURSIVE_BASE), VMM_ERR_INVALID, \
	  0)                                                                                       \
	X(vmm_translate_null_out, vmm_translate(c->mapped_va, NULL), VMM_ERR_INVALID, 0)           \
	X(vmm_translate_unmapped, vmm_translate(c->mapped_va + PAGE_SIZE, &c->scratch_pa),         \
	  VMM_ERR_NOT_MAPPED, 0)                                                                   \
	X(vmm_query_unmapped, vmm_query(FRESH_REGION, &c->scratch_pa, &c->scratch_flags),          \
	  VMM_ERR_NOT_MAPPED, 0)                                                                   \
	X(vmm_get_physical_unmapped, vmm_get_physical(FRESH_REGION + 0x123), 0, 0)                 \
	X(vmm_protect_unaligned, vmm_protect(c->mapped_va + 4, 0), VMM_ERR_INVALID, 0)             \
	X(vmm_protect_unknown_flags, vmm_protect(c->mapped_va, 0x800u), VMM_ERR_INVALID, 0)        \
	X(vmm_protect_unmapped, vmm_protect(c->mapped_va + PAGE_SIZE, 0), VMM_ERR_NOT_MAPPED, 0)   \
	X(vmm_protect_kernel_image, vmm_protect(test_env_kernel_frame(), 0), VMM_ERR_INVALID, 0)   \
	/* VMM: ranges */                                                                          \
	X(vmm_map_range_no_pages, vmm_map_range(FRESH_REGION, test_env_kernel_frame(), 0, 0),      \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_range_past_the_recursive_window,                                                 \
	  vmm_map_range(LAYOUT_RECURSIVE_BASE - PAGE_SIZE, test_env_kernel_frame(), 2, 0),         \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_range_phys_past_4_gib, vmm_map_range(FRESH_REGION, 0xFFFFF000u, 2, 0),           \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_range_count_overflows, vmm_map_range(FRESH_REGION, 0, 0xFFFFFFFFu, 0),           \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_map_range_unaligned_phys,                                                            \
	  vmm_map_range(FRESH_REGION, test_env_kernel_frame() + 8, 2, 0), VMM_ERR_INVALID, 0)      \
	X(vmm_map_range_unknown_flags,                                                             \
	  vmm_map_range(FRESH_REGION, test_env_kernel_frame(), 2, PTE_DIRTY), VMM_ERR_INVALID, 0)  \
	X(vmm_map_range_over_a_mapped_page,                                                        \
	  vmm_map_range(c->mapped_va - 2 * PAGE_SIZE, test_env_kernel_frame(), 4, 0),              \
	  VMM_ERR_ALREADY_MAPPED, 0)                                                               \
	X(vmm_map_range_onto_a_free_frame, vmm_map_range(FRESH_REGION, c->freed, 1, 0),            \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_unmap_range_no_pages, vmm_unmap_range(c->mapped_va, 0), VMM_ERR_INVALID, 0)          \
	X(vmm_unmap_range_with_a_hole, vmm_unmap_range(c->mapped_va, 2), VMM_ERR_NOT_MAPPED, 0)    \
	X(vmm_unmap_range_unaligned, vmm_unmap_range(c->mapped_va + 1, 1), VMM_ERR_INVALID, 0)     \
	X(vmm_unmap_range_identity_map, vmm_unmap_range(0, 16), VMM_ERR_INVALID, 0)                \
	X(vmm_alloc_range_no_pages, vmm_alloc_range(FRESH_REGION, 0, 0), VMM_ERR_INVALID, 0)       \
	X(vmm_alloc_range_unknown_flags, vmm_alloc_range(FRESH_REGION, 1, 0x200u),                 \
	  VMM_ERR_INVALID, 0)                                                                      \
	X(vmm_alloc_range_unaligned, vmm_alloc_range(FRESH_REGION + 0x800, 1, 0), VMM_ERR_INVALID, \
	  0)                                                                                       \
	X(vmm_alloc_range_over_a_mapped_page, vmm_alloc_range(c->mapped_va - PAGE_SIZE, 3, 0),     \
	  VMM_ERR_ALREADY_MAPPED, 0)                                                               \
	X(vmm_alloc_range_more_than_ram, alloc_more_than_ram(), VMM_ERR_NO_MEMORY, 0)              \
	X(vmm_free_range_not_mapped, vmm_free_range(FRESH_REGION, 2), VMM_ERR_NOT_MAPPED, 0)       \
	X(vmm_free_range_no_pages, vmm_free_range(c->mapped_va, 0), VMM_ERR_INVALID, 0)            \
	X(vmm_free_range_kernel_frame, vmm_free_range(c->alias_va, 1), VMM_ERR_INVALID, 0)         \
	/* heap: sizes */                                                                          \
	X(kmalloc_zero, P(kmalloc(0)), 0, 0)                                                       \
	X(kmalloc_the_whole_heap, P(kmalloc(HEAP_BYTES)), 0, 0)                                    \
	X(kmalloc_size_max, P(kmalloc(SIZE_MAX)), 0, 0)                                            \
	X(kmalloc_rounding_wraps, P(kmalloc(0xFFFFFFF9u)), 0, 0)                                   \
	X(kcalloc_product_overflows, P(kcalloc(0x10000u, 0x10001u)), 0, 0)                         \
	X(kcalloc_half_the_address_space, P(kcalloc(2, 0x80000000u)), 0, 0)                        \
	X(kcalloc_zero_count, P(kcalloc(0, 16)), 0, 0)                                             \
	X(kcalloc_zero_size, P(kcalloc(16, 0)), 0, 0)                                              \
	/* heap: frees */                                                                          \
	X(kfree_checked_double_free, kfree_checked(c->freed_ptr), HEAP_ERR_DOUBLE_FREE,            \
	  ROW_HEAP_ERROR)                                                                          \
	X(kfree_checked_double_free_of_a_cached_block, kfree_checked(c->cached_ptr),               \
	  HEAP_ERR_DOUBLE_FREE, ROW_HEAP_ERROR)                                                    \
	X(kfree_checked_double_free_after_a_merge, kfree_checked(c->merged_ptr),                   \
	  HEAP_ERR_DOUBLE_FREE, ROW_HEAP_ERROR)                                                    \
	X(kfree_checked_static_object, kfree_checked(&not_heap), HEAP_ERR_INVALID, ROW_HEAP_ERROR) \
	X(kfree_checked_misaligned, kfree_checked(c->live + 1), HEAP_ERR_INVALID, ROW_HEAP_ERROR)  \
	X(kfree_checked_inside_a_block, kfree_checked(c->live + 16), HEAP_ERR_INVALID,             \
	  ROW_HEAP_ERROR)                                                                          \
	X(kfree_checked_overwritten_header, kfree_checked(c->clobbered), HEAP_ERR_CORRUPT,         \
	  ROW_HEAP_ERROR)                                                                          \
	X(kfree_checked_heap_start, kfree_checked((void *)(uintptr_t)LAYOUT_HEAP_START),           \
	  HEAP_ERR_INVALID, ROW_HEAP_ERROR)                                                        \
	X(kfree_checked_heap_end, kfree_checked((void *)(uintptr_t)LAYOUT_HEAP_END),               \
	  HEAP_ERR_INVALID, ROW_HEAP_ERROR)                                                        \
	X(kfree_checked_null, kfree_checked(NULL), HEAP_OK, 0)                                     \
	X(ksize_foreign_pointer, (int64_t)ksize(&not_heap), 0, 0)                                  \
	X(ksize_freed_block, (int64_t)ksize(c->freed_ptr), 0, 0)                                   \
	X(heap_init_no_pages, heap_init(0), HEAP_ERR_INVALID, 0)                                   \
	X(heap_init_more_than_the_region, heap_init(HEAP_BYTES / PAGE_SIZE + 1), HEAP_ERR_INVALID, \
	  0)                                                                                       \
	/* memory map: no global state, but the same contract */                                   \
	X(memmap_parse_null_buffer, memmap_parse(NULL, 24, &map_out), MEMMAP_ERR_INVALID, 0)       \
	X(memmap_parse_null_out, memmap_parse(raw, 24, NULL), MEMMAP_ERR_INVALID, 0)               \
	X(memmap_parse_empty, memmap_parse(raw, 0, &map_out), MEMMAP_ERR_NO_MEMORY, 0)             \
	X(memmap_parse_truncated_entry, parse_one(MMAP_ENTRY_SIZE, 0x100000u, 0x100000u, 1, 12),   \
	  MEMMAP_ERR_NO_MEMORY, 0)                                                                 \
	X(memmap_parse_size_field_too_small, parse_one(4, 0x100000u, 0x100000u, 1, 24),            \
	  MEMMAP_ERR_NO_MEMORY, 0)                                                                 \
	X(memmap_parse_size_field_past_the_end,                                                    \
	  parse_one(0xFFFFFFF0u, 0x100000u, 0x100000u, 1, 24), MEMMAP_ERR_NO_MEMORY, 0)            \
	X(memmap_parse_only_reserved, parse_one(MMAP_ENTRY_SIZE, 0x100000u, 0x100000u, 2, 24),     \
	  MEMMAP_ERR_NO_MEMORY, 0)                                                                 \
	X(memmap_parse_only_above_4_gib,                                                           \
	  parse_one(MMAP_ENTRY_SIZE, 0x100000000ull, 0x40000000u, 1, 24), MEMMAP_ERR_NO_MEMORY, 0) \
	X(memmap_parse_less_than_a_page, parse_one(MMAP_ENTRY_SIZE, 0x100800u, 0x800u, 1, 24),     \
	  MEMMAP_ERR_NO_MEMORY, 0)                                                                 \
	X(memmap_parse_too_many_entries, parse_too_many(), MEMMAP_ERR_TOO_MANY, 0)                 \
	X(memmap_from_entries_null_entries, memmap_from_entries(NULL, 3, &map_out),                \
	  MEMMAP_ERR_INVALID, 0)                                                                   \
	X(memmap_from_entries_null_out, memmap_from_entries(entries, 1, NULL), MEMMAP_ERR_INVALID, \
	  0)                                                                                       \
	X(memmap_from_entries_no_entries, memmap_from_entries(entries, 0, &map_out),               \
	  MEMMAP_ERR_NO_MEMORY, 0)                                                                 \
	X(memmap_from_entries_too_many_ranges, entries_too_many_ranges(), MEMMAP_ERR_TOO_MANY, 0)  \
	X(ranges_subtract_split_that_does_not_fit, subtract_overflow(), MEMMAP_ERR_TOO_MANY, 0)

struct bad_row {
	const char *name;
	int64_t (*call)(struct bad_ctx *c);
	int64_t want;
	uint32_t flags;
};

#define ROW_FUNCTION(name, call_, want_, flags_)                                                   \
	static int64_t row_##name(struct bad_ctx *c)                                               \
	{                                                                                          \
		(void)c;                                                                           \
		return (int64_t)(call_);                                                           \
	}
#define ROW_ENTRY(name, call_, want_, flags_) {#name, row_##name, (int64_t)(want_), (flags_)},

BAD_INPUTS(ROW_FUNCTION)

static const struct bad_row rows[] = {BAD_INPUTS(ROW_ENTRY)};
#define ROW_COUNT (sizeof(rows) / sizeof(rows[0]))

/* --- setting up and tearing down what the rows work on --------------------- */

/* Two big blocks freed in order: the second merges into the first. */
static uint8_t *merged_block(struct bad_ctx *c)
{
	uint8_t *first = kmalloc(BIG_BLOCK), *second = kmalloc(BIG_BLOCK);
	c->guards[2] = kmalloc(BIG_BLOCK);
	kfree(first);
	kfree(second);
	return second;
}

/* Blocks freed into the heap's cache until its budget is spent, so the
 * refused frees below run where a free would drain it. */
static void spend_cache_budget(struct bad_ctx *c)
{
	for (uint32_t i = 0; i < CACHE_FILL_BLOCKS; i++)
		c->parked[i] = kmalloc(CACHE_FILL_BYTES);
	for (uint32_t i = 0; i < CACHE_FILL_BLOCKS; i++)
		kfree(c->parked[i]);
}

static void teardown(void *ctx)
{
	struct bad_ctx *c = ctx;
	if (c->magic_broken)
		*(uint32_t *)(c->clobbered - HEAP_ALIGN) = c->clobbered_magic;
	c->magic_broken = false;
	kfree(c->clobbered);
	for (uint32_t i = 0; i < 3; i++)
		kfree(c->guards[i]);
	kfree(c->live);
	heap_drain_cache();
	vmm_unmap_page(c->alias_va);
	vmm_unmap_page(c->mapped_va);
	pmm_free_page(c->mapped_frame);
	pmm_free_as(c->heap_frame, FRAME_HEAP);
	pmm_free_page(c->allocated);
	*c = (struct bad_ctx){0};
}

/* Builds what the rows work on; returns false when the case cannot run.  The
 * teardown is registered first, so it runs however this ends (a small
 * machine runs out of frames half-way, after the heap header is broken). */
static bool setup(struct ktest *t, struct bad_ctx *c)
{
	*c = (struct bad_ctx){.mapped_va = SCRATCH,
			      .alias_va = SCRATCH + 16 * PAGE_SIZE,
			      .allocated = PMM_INVALID_PAGE,
			      .heap_frame = PMM_INVALID_PAGE,
			      .mapped_frame = PMM_INVALID_PAGE};
	ktest_defer(t, teardown, c);
	c->allocated = pmm_alloc_page();
	c->heap_frame = pmm_alloc_as(FRAME_HEAP);
	c->mapped_frame = pmm_alloc_page();
	if (c->allocated == PMM_INVALID_PAGE || c->heap_frame == PMM_INVALID_PAGE ||
	    c->mapped_frame == PMM_INVALID_PAGE)
		goto too_small;
	t->checks++;
	if (vmm_map_page(c->mapped_va, c->mapped_frame, PTE_WRITABLE) != VMM_OK ||
	    vmm_map_page(c->alias_va, test_env_kernel_frame(), 0) != VMM_OK)
		goto too_small; /* a page table for the scratch region: no frame left */
	c->table = arch_pd_view(arch_active_pd())[pde_index(c->mapped_va)] & PTE_FRAME_MASK;

	c->guards[0] = kmalloc(BIG_BLOCK);
	c->freed_ptr = kmalloc(BIG_BLOCK);
	c->guards[1] = kmalloc(BIG_BLOCK);
	c->live = kmalloc(SMALL_BLOCK);
	c->cached_ptr = kmalloc(SMALL_BLOCK);
	c->clobbered = kmalloc(SMALL_BLOCK);
	if (!(c->guards[0] && c->freed_ptr && c->guards[1] && c->live && c->cached_ptr &&
	      c->clobbered))
		goto too_small;
	memset(c->live, FILL_BYTE, SMALL_BLOCK);
	kfree(c->freed_ptr); /* its neighbours are live: it stays a block of its own */
	kfree(c->cached_ptr);
	c->merged_ptr = merged_block(c);
	/* An overrun of the block before it wrote over its header's magic. */
	uint32_t *magic = (uint32_t *)(c->clobbered - HEAP_ALIGN);
	c->clobbered_magic = *magic;
	*magic ^= 0x5A5A5A5Au;
	c->magic_broken = true;
	/* With the cache's budget spent, a refused kfree would be the one to
	 * drain it, if it were allowed to change anything. */
	spend_cache_budget(c);

	/* Last, so nothing allocated after it takes this frame again. */
	c->freed = pmm_alloc_page();
	if (c->freed == PMM_INVALID_PAGE)
		goto too_small;
	pmm_free_page(c->freed);
	return true;

too_small:
	ktest_skip(t, "too little free memory to set up the rows");
	return false;
}

/* --- the runner ----------------------------------------------------------- */

static struct mm_snapshot row_before;

static void run_row(struct ktest *t, struct bad_ctx *c, const struct bad_row *row)
{
	mm_snapshot_take(&row_before);
	int64_t got = row->call(c);
	t->checks++;
	if (got != row->want) {
		char msg[ROW_NOTE_MAX];
		ksnprintf(msg, sizeof(msg), "row %s: got 0x%llX, want 0x%llX", row->name,
			  (unsigned long long)got, (unsigned long long)row->want);
		ktest_report_msg(t, __FILE__, __LINE__, msg);
	}
	mm_snapshot_expect_same(t, &row_before, (row->flags & ROW_HEAP_ERROR) ? 1 : 0, row->name);
}

KTEST(bad_input, every_row_is_refused_and_changes_nothing)
{
	static struct bad_ctx ctx;
	if (!setup(t, &ctx))
		return;
	for (uint32_t i = 0; i < ROW_COUNT; i++)
		run_row(t, &ctx, &rows[i]);
	teardown(&ctx);
	KT_EXPECT_TRUE(t, vm_check());
	KT_EXPECT_TRUE(t, heap_check());
	mm_note("bad_input: %u rows, each refused with nothing changed", (uint32_t)ROW_COUNT);
}
