/* Allocation-failure injection, run in the kernel (test=ktest) and on the
 * host (test_mm_contracts).
 *
 * Each case walks an injected failure over EVERY allocation one call makes:
 * with pmm_fail_nth_alloc(n) (or heap_fail_nth_grow(n)) for n = 1, 2, ...
 * the call must fail with its status and leave the free counts, the VMM's
 * counts, every page-directory entry and the heap's statistics exactly as
 * they were, and vm_check()/heap_check() must pass; the first n at which the
 * call succeeds ends the walk, so the number of failures seen is the number
 * of allocations the call makes, which each case also predicts.  Every case
 * prints its count and the running total of injection points walked.
 *
 * tests/common/test_vmm.c (alloc_range_survives_every_failure_point) walks a
 * 6-page range over two fresh tables; these add the other shapes. */
#include <stddef.h>

#include "kernel/ktest.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "mm/vmm.h"
#include "mm_snapshot.h"
#include "test_env.h"

#define SCRATCH		      LAYOUT_TEST_SCRATCH
#define REGION_PAGES	      PT_ENTRIES
#define REGION		      (REGION_PAGES * PAGE_SIZE) /* what one page table covers */
#define WALK_LIMIT	      2048u			 /* no call here makes more allocations */
#define SPAN_TWO_BOUNDARIES   (REGION_PAGES + 4u)	 /* 2 + a whole table + 2 pages */
#define GROWTH_PAGES	      5u
#define BOUNDARY_GROWTH_PAGES 16u
#define FOUR_GIB	      0x100000000ull

static uint32_t points_total;
static struct mm_snapshot before;

/* One call to walk: attempt makes it (0 on success, else its status), undo
 * takes a success back, arm injects (pmm_fail_nth_alloc or
 * heap_fail_nth_grow). */
struct walk {
	const char *name;
	int (*attempt)(void *ctx);
	void (*undo)(void *ctx);
	void (*arm)(uint32_t n);
	int failure;
	bool restores; /* undo brings back the exact snapshot (not the heap) */
	void *ctx;
	uint32_t grown; /* out: frames the heap's growth took on the success */
};

/* The frames a growth of the heap took: its pages and any new table. */
static uint32_t growth_allocations(const struct mm_snapshot *from)
{
	struct heap_stats now;
	heap_get_stats(&now);
	return now.mapped_pages - from->heap.mapped_pages + vmm_table_count() - from->tables;
}

/* The failures seen before the call succeeded: its allocations. */
static uint32_t walk_failures(struct ktest *t, struct walk *w)
{
	mm_snapshot_take(&before);
	uint32_t points = 0;
	for (uint32_t n = 1; n <= WALK_LIMIT; n++) {
		w->arm(n);
		int rc = w->attempt(w->ctx);
		w->arm(0);
		if (rc == 0) {
			w->grown = growth_allocations(&before);
			w->undo(w->ctx);
			if (w->restores)
				mm_snapshot_expect_same(t, &before, 0, w->name);
			KT_EXPECT_TRUE(t, vm_check());
			KT_EXPECT_TRUE(t, heap_check());
			points_total += points;
			mm_note("injection: %s: %u failure points walked (%u in all so far)",
				w->name, points, points_total);
			return points;
		}
		KT_EXPECT_EQ(t, rc, w->failure);
		mm_snapshot_expect_same(t, &before, 0, w->name);
		KT_EXPECT_TRUE(t, vm_check());
		KT_EXPECT_TRUE(t, heap_check());
		if (t->failed) {
			mm_note("injection: %s: failed at allocation %u", w->name, n);
			return points;
		}
		points++;
	}
	ktest_report_msg(t, __FILE__, __LINE__, "the call never succeeded");
	return points;
}

/* --- the VMM ------------------------------------------------------------ */

struct vm_call {
	vaddr_t va;
	paddr_t pa;
	uint32_t pages;
};

static int map_page(void *ctx)
{
	struct vm_call *c = ctx;
	return vmm_map_page(c->va, c->pa, PTE_WRITABLE);
}

static int map_range(void *ctx)
{
	struct vm_call *c = ctx;
	return vmm_map_range(c->va, c->pa, c->pages, PTE_WRITABLE);
}

static void unmap_range(void *ctx)
{
	struct vm_call *c = ctx;
	vmm_unmap_range(c->va, c->pages);
}

static int alloc_range(void *ctx)
{
	struct vm_call *c = ctx;
	return vmm_alloc_range(c->va, c->pages, PTE_WRITABLE);
}

static void free_range(void *ctx)
{
	struct vm_call *c = ctx;
	vmm_free_range(c->va, c->pages);
}

static uint32_t walk_vm(struct ktest *t, const char *name, int (*attempt)(void *),
			void (*undo)(void *), struct vm_call *c)
{
	struct walk w = {name, attempt, undo, pmm_fail_nth_alloc, VMM_ERR_NO_MEMORY, true, c, 0};
	return walk_failures(t, &w);
}

/* Device memory past RAM: mappable, never accessed, never freed. */
static bool beyond_ram(struct ktest *t, uint32_t pages, paddr_t *pa)
{
	*pa = test_env_beyond_ram();
	if ((uint64_t)*pa + (uint64_t)pages * PAGE_SIZE > FOUR_GIB) {
		ktest_skip(t, "RAM reaches 4 GiB: no room for a device range");
		return false;
	}
	return true;
}

KTEST(injection, map_page_in_a_fresh_region)
{
	struct vm_call c = {SCRATCH + 3 * REGION, test_env_kernel_frame(), 1};
	KT_EXPECT_EQ(t, walk_vm(t, "vmm_map_page, new table", map_page, unmap_range, &c), 1);
}

KTEST(injection, map_range_across_two_table_boundaries)
{
	struct vm_call c = {SCRATCH + REGION - 2 * PAGE_SIZE, 0, SPAN_TWO_BOUNDARIES};
	if (!beyond_ram(t, c.pages, &c.pa))
		return;
	/* Three new tables: the first, the whole middle one, the last. */
	KT_EXPECT_EQ(t, walk_vm(t, "vmm_map_range, 3 new tables", map_range, unmap_range, &c), 3);
}

KTEST(injection, map_range_next_to_an_existing_table)
{
	paddr_t pa;
	if (!beyond_ram(t, 8, &pa))
		return;
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH, test_env_kernel_frame(), 0), VMM_OK);
	struct vm_call c = {SCRATCH + REGION - 4 * PAGE_SIZE, pa, 8};
	KT_EXPECT_EQ(t, walk_vm(t, "vmm_map_range, 1 of 2 tables new", map_range, unmap_range, &c),
		     1);
	KT_EXPECT_EQ(t, vmm_unmap_page(SCRATCH), VMM_OK);
}

KTEST(injection, alloc_range_of_one_page_in_a_fresh_region)
{
	struct vm_call c = {SCRATCH + 2 * REGION + 7 * PAGE_SIZE, 0, 1};
	/* Its frame, then its table. */
	KT_EXPECT_EQ(t, walk_vm(t, "vmm_alloc_range, 1 page", alloc_range, free_range, &c), 2);
}

KTEST(injection, alloc_range_into_an_existing_and_a_new_table)
{
	if (pmm_free_count() < 2 * (8 + 2)) { /* 8 frames, 2 tables, twice for slack */
		ktest_skip(t, "not enough free frames");
		return;
	}
	KT_ASSERT_EQ(t, vmm_map_page(SCRATCH, test_env_kernel_frame(), 0), VMM_OK);
	struct vm_call c = {SCRATCH + REGION - 4 * PAGE_SIZE, 0, 8};
	KT_EXPECT_EQ(
		t, walk_vm(t, "vmm_alloc_range, 8 pages, 1 new table", alloc_range, free_range, &c),
		8 + 1);
	KT_EXPECT_EQ(t, vmm_unmap_page(SCRATCH), VMM_OK);
}

KTEST(injection, alloc_range_across_two_table_boundaries)
{
	struct vm_call c = {SCRATCH + REGION - 2 * PAGE_SIZE, 0, SPAN_TWO_BOUNDARIES};
	if (pmm_free_count() < 2 * (c.pages + 3)) {
		ktest_skip(t, "not enough free frames");
		return;
	}
	KT_EXPECT_EQ(t,
		     walk_vm(t, "vmm_alloc_range, 1028 pages, 3 new tables", alloc_range,
			     free_range, &c),
		     SPAN_TWO_BOUNDARIES + 3);
}

/* --- the heap ------------------------------------------------------------- */

struct heap_call {
	size_t count, size; /* kcalloc(count, size), or kmalloc(size) when count is 0 */
	void *p;
};

static int heap_alloc(void *ctx)
{
	struct heap_call *c = ctx;
	c->p = c->count ? kcalloc(c->count, c->size) : kmalloc(c->size);
	return c->p ? 0 : HEAP_ERR_NO_MEMORY;
}

static void heap_undo(void *ctx)
{
	struct heap_call *c = ctx;
	kfree(c->p);
	heap_drain_cache();
}

/* Walks a pmm failure over a kmalloc/kcalloc that must grow the heap; the
 * number of points must be what its growth took. */
static void walk_heap_frames(struct ktest *t, const char *name, struct heap_call *c,
			     uint32_t min_allocations)
{
	heap_drain_cache(); /* a cached block must not satisfy it, nor drain mid-walk */
	struct walk w = {name,	heap_alloc, heap_undo, pmm_fail_nth_alloc, HEAP_ERR_NO_MEMORY,
			 false, c,	    0};
	uint32_t points = walk_failures(t, &w);
	/* Every frame the successful growth took was one failure point. */
	KT_EXPECT_EQ(t, points, w.grown);
	KT_EXPECT_TRUE(t, points >= min_allocations);
}

/* A size no free block holds: the heap must grow by at least `pages`. */
static size_t size_needing_growth(uint32_t pages)
{
	heap_drain_cache();
	struct heap_stats s;
	heap_get_stats(&s);
	return s.free_bytes + pages * PAGE_SIZE;
}

KTEST(injection, kmalloc_growth_survives_every_frame_failure)
{
	struct heap_call c = {0, size_needing_growth(GROWTH_PAGES), NULL};
	walk_heap_frames(t, "kmalloc growing the heap", &c, GROWTH_PAGES);
}

KTEST(injection, kcalloc_growth_survives_every_frame_failure)
{
	size_t bytes = size_needing_growth(GROWTH_PAGES);
	struct heap_call c = {bytes / 16 + 1, 16, NULL};
	walk_heap_frames(t, "kcalloc growing the heap", &c, GROWTH_PAGES);
}

KTEST(injection, heap_growth_failure_changes_nothing)
{
	struct heap_call c = {0, size_needing_growth(GROWTH_PAGES), NULL};
	struct walk w = {"kmalloc with its growth failing",
			 heap_alloc,
			 heap_undo,
			 heap_fail_nth_grow,
			 HEAP_ERR_NO_MEMORY,
			 false,
			 &c,
			 0};
	KT_EXPECT_EQ(t, walk_failures(t, &w), 1); /* one kmalloc grows once */
	c.count = c.size / 16 + 1;
	c.size = 16;
	w.name = "kcalloc with its growth failing";
	KT_EXPECT_EQ(t, walk_failures(t, &w), 1);
}

/* A growth that crosses a 4 MiB boundary of the heap's region needs a new
 * page table too: fill the heap to just below one, then walk the growth. */
KTEST(injection, heap_growth_across_a_table_boundary)
{
	heap_drain_cache();
	struct heap_stats s;
	heap_get_stats(&s);
	const uint32_t below_boundary = REGION_PAGES - 2;
	if (s.mapped_pages >= below_boundary ||
	    pmm_free_count() < REGION_PAGES + 2 * BOUNDARY_GROWTH_PAGES) {
		ktest_skip(t, "the heap is past its first table, or RAM is short");
		return;
	}
	void *filler = kmalloc(s.free_bytes + (below_boundary - s.mapped_pages) * PAGE_SIZE);
	KT_ASSERT_TRUE(t, filler != NULL);
	struct heap_call c = {0, size_needing_growth(BOUNDARY_GROWTH_PAGES), NULL};
	heap_get_stats(&s);
	KT_EXPECT_TRUE(t, s.mapped_pages + BOUNDARY_GROWTH_PAGES > REGION_PAGES);
	walk_heap_frames(t, "kmalloc growing across a table boundary", &c,
			 BOUNDARY_GROWTH_PAGES + 1);
	kfree(filler);
	heap_drain_cache();
}
