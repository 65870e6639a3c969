/* Contract tests of the kernel heap, run in the kernel and on the host. */
#include <stddef.h>

#include "kernel/ktest.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/pmm.h"

static struct heap_stats stats_now(void)
{
	struct heap_stats s;
	heap_get_stats(&s);
	return s;
}

KTEST(heap, kmalloc_rejects_zero_and_overflowing_sizes)
{
	struct heap_stats before = stats_now();
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(0), 0);
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(0xFFFFFFF9u), 0);
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(0xFFFFFFFFu), 0);
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(LAYOUT_HEAP_END - LAYOUT_HEAP_START), 0);
	KT_EXPECT_EQ(t, (uintptr_t)kcalloc(0x10000u, 0x10001u), 0); /* product overflows */
	KT_EXPECT_EQ(t, (uintptr_t)kcalloc(2, 0x80000000u), 0);
	KT_EXPECT_EQ(t, stats_now().live_blocks, before.live_blocks);
	KT_EXPECT_EQ(t, stats_now().mapped_pages, before.mapped_pages);
}

KTEST(heap, blocks_are_aligned_and_disjoint)
{
	uint8_t *p[8];
	for (int i = 0; i < 8; i++) {
		p[i] = kmalloc((size_t)(1 + i * 37));
		KT_ASSERT_TRUE(t, p[i] != NULL);
		KT_EXPECT_EQ(t, (uintptr_t)p[i] % HEAP_ALIGN, 0);
		KT_EXPECT_TRUE(t, ksize(p[i]) >= (size_t)(1 + i * 37));
		memset(p[i], 0x40 + i, (size_t)(1 + i * 37));
	}
	for (int i = 0; i < 8; i++) {
		KT_EXPECT_EQ(t, p[i][0], 0x40 + i);
		KT_EXPECT_EQ(t, p[i][i * 37], 0x40 + i);
		kfree(p[i]);
	}
}

KTEST(heap, kcalloc_zeroes)
{
	uint8_t *dirty = kmalloc(256);
	KT_ASSERT_TRUE(t, dirty != NULL);
	memset(dirty, 0xFF, 256);
	kfree(dirty);
	uint32_t *z = kcalloc(64, sizeof(uint32_t));
	KT_ASSERT_TRUE(t, z != NULL);
	uint32_t sum = 0;
	for (int i = 0; i < 64; i++)
		sum |= z[i];
	KT_EXPECT_EQ(t, sum, 0);
	kfree(z);
}

KTEST(heap, free_coalesces_neighbours)
{
	heap_drain_cache();
	struct heap_stats before = stats_now();
	void *a = kmalloc(64), *b = kmalloc(64), *c = kmalloc(64);
	KT_ASSERT_TRUE(t, a && b && c);
	kfree(a);
	kfree(c);
	kfree(b);
	/* Small blocks wait in the free cache; draining it merges a, b, c and
	 * the free space after c into one block again. */
	heap_drain_cache();
	struct heap_stats after = stats_now();
	KT_EXPECT_EQ(t, after.free_blocks, before.free_blocks);
	KT_EXPECT_EQ(t, after.free_bytes, before.free_bytes);
	KT_EXPECT_EQ(t, after.live_blocks, before.live_blocks);
	/* And a block as large as all three is had without growing the heap.
	 * Not necessarily where a was: the fit comes from the first block of
	 * its size class, and earlier tests may have left another one there. */
	void *big = kmalloc(3 * 64 + 2 * 16);
	KT_ASSERT_TRUE(t, big != NULL);
	KT_EXPECT_EQ(t, stats_now().mapped_pages, after.mapped_pages);
	kfree(big);
}

KTEST(heap, cached_blocks_are_reused_and_merge_when_drained)
{
	heap_drain_cache();
	struct heap_stats before = stats_now();
	void *a = kmalloc(100);
	KT_ASSERT_TRUE(t, a != NULL);
	kfree(a);
	KT_EXPECT_EQ(t, stats_now().live_blocks, before.live_blocks);
	KT_EXPECT_EQ(t, stats_now().cached_blocks, before.cached_blocks + 1);
	KT_EXPECT_EQ(t, stats_now().cached_bytes,
		     before.cached_bytes + 128);		/* 100 + header, rounded */
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(100), (uintptr_t)a); /* straight from the cache */
	KT_EXPECT_EQ(t, kfree_checked(a), HEAP_OK);
	KT_EXPECT_EQ(t, kfree_checked(a), HEAP_ERR_DOUBLE_FREE); /* a cached block is not live */
	KT_EXPECT_TRUE(t, heap_check());
	heap_drain_cache();
	KT_EXPECT_EQ(t, stats_now().free_blocks, before.free_blocks);
	KT_EXPECT_EQ(t, stats_now().free_bytes, before.free_bytes);
}

KTEST(heap, kfree_null_does_nothing)
{
	struct heap_stats before = stats_now();
	kfree(NULL);
	KT_EXPECT_EQ(t, kfree_checked(NULL), HEAP_OK);
	KT_EXPECT_EQ(t, stats_now().errors_detected, before.errors_detected);
}

KTEST(heap, double_free_is_detected)
{
	void *p = kmalloc(40);
	KT_ASSERT_EQ(t, kfree_checked(p), HEAP_OK);
	struct heap_stats before = stats_now();
	KT_EXPECT_EQ(t, kfree_checked(p), HEAP_ERR_DOUBLE_FREE);
	KT_EXPECT_EQ(t, stats_now().free_blocks, before.free_blocks);
	KT_EXPECT_EQ(t, stats_now().errors_detected, before.errors_detected + 1);
	KT_EXPECT_TRUE(t, heap_check());
}

KTEST(heap, foreign_pointers_are_refused)
{
	uint8_t *p = kmalloc(64);
	KT_ASSERT_TRUE(t, p != NULL);
	/* Old headers may linger in reused memory and would look like a block
	 * to a pointer into the middle of this one: wipe the payload first. */
	memset(p, 0, 64);
	static uint32_t not_heap[4];
	KT_EXPECT_EQ(t, kfree_checked(not_heap), HEAP_ERR_INVALID);
	KT_EXPECT_EQ(t, kfree_checked(p + 16), HEAP_ERR_INVALID); /* inside a block */
	KT_EXPECT_EQ(t, kfree_checked(p + 1), HEAP_ERR_INVALID);  /* misaligned */
	KT_EXPECT_EQ(t, kfree_checked((void *)(uintptr_t)LAYOUT_HEAP_END), HEAP_ERR_INVALID);
	KT_EXPECT_EQ(t, kfree_checked((void *)(uintptr_t)LAYOUT_HEAP_START), HEAP_ERR_INVALID);
	KT_EXPECT_EQ(t, ksize(not_heap), 0);
	KT_EXPECT_TRUE(t, heap_check());
	KT_EXPECT_EQ(t, kfree_checked(p), HEAP_OK);
}

KTEST(heap, corrupted_header_is_detected_and_heap_stays_usable)
{
	uint8_t *p = kmalloc(32);
	uint8_t *q = kmalloc(32);
	KT_ASSERT_TRUE(t, p && q);
	uint32_t *header = (uint32_t *)(q - 16);
	uint32_t saved = header[0];
	header[0] ^= 0x5A5A5A5Au; /* an overrun of p scribbled on q's header */
	KT_EXPECT_EQ(t, kfree_checked(q), HEAP_ERR_CORRUPT);
	KT_EXPECT_TRUE(t, !heap_check());
	header[0] = saved;
	KT_EXPECT_TRUE(t, heap_check());
	void *r = kmalloc(100);
	KT_EXPECT_TRUE(t, r != NULL);
	kfree(r);
	kfree(q);
	kfree(p);
}

/* Blocks too large for the free cache merge at once; freeing one again after
 * it was merged into its neighbour must still be seen as a double free. */
KTEST(heap, double_free_after_a_merge_is_detected)
{
	uint8_t *a = kmalloc(9000), *b = kmalloc(9000), *c = kmalloc(9000);
	KT_ASSERT_TRUE(t, a && b && c); /* c keeps the merged block off the heap's end */
	KT_EXPECT_EQ(t, kfree_checked(a), HEAP_OK);
	KT_EXPECT_EQ(t, kfree_checked(b), HEAP_OK); /* merges into a's block */
	KT_EXPECT_EQ(t, kfree_checked(b), HEAP_ERR_DOUBLE_FREE);
	KT_EXPECT_EQ(t, kfree_checked(a), HEAP_ERR_DOUBLE_FREE);
	KT_EXPECT_TRUE(t, heap_check());
	KT_EXPECT_EQ(t, kfree_checked(c), HEAP_OK);
}

KTEST(heap, clobbered_size_or_footer_is_refused_not_trusted)
{
	uint8_t *a = kmalloc(32), *b = kmalloc(32), *c = kmalloc(32);
	KT_ASSERT_TRUE(t, a && b && c);
	uint32_t *b_header = (uint32_t *)(b - 16);
	uint32_t saved = b_header[1];
	/* A size running past the heap's end.  (A plausible wrong size under an
	 * intact magic is not caught by kfree; heap_check() finds it.) */
	b_header[1] = (saved & 0xFu) | 0x01000000u;
	KT_EXPECT_EQ(t, kfree_checked(b), HEAP_ERR_CORRUPT);
	b_header[1] = saved;
	KT_EXPECT_TRUE(t, heap_check());
	/* A free block's footer pointing outside the heap must not be followed. */
	uint8_t *big = kmalloc(9000), *after = kmalloc(9000);
	KT_ASSERT_TRUE(t, big && after);
	kfree(big);
	uint32_t *footer = (uint32_t *)(after - 16) - 1;
	uint32_t saved_footer = *footer;
	*footer = 0x7FFFFFF0u;
	KT_EXPECT_EQ(t, kfree_checked(after), HEAP_ERR_CORRUPT); /* left live, reported */
	*footer = saved_footer;
	KT_EXPECT_TRUE(t, heap_check());
	KT_EXPECT_EQ(t, kfree_checked(after), HEAP_OK);
	kfree(a);
	kfree(b);
	kfree(c);
	heap_drain_cache();
}

/* kfree parks a small block only when its size word is sane: the used flag
 * set, a size the cache takes (32 bytes to 8 KiB) and an end at or below the
 * heap's break.  Each clobbered size word below is refused (the general path
 * reports it) and nothing is parked; the last one is the end test's own
 * boundary, a block that would end at the break, over the epilogue. */
KTEST(heap, cache_refuses_a_clobbered_size_word)
{
	static uint8_t *keep[1024];
	uint32_t n = 0;
	uint8_t *near_end = NULL;
	uintptr_t brk = 0;
	heap_drain_cache(); /* the free tail is then a page or two */
	/* Blocks of 1 KiB until one lies within the cache's largest size of the
	 * break: the holes fill first, then the tail. */
	while (n < sizeof(keep) / sizeof(keep[0]) && !near_end) {
		keep[n] = kmalloc(1024 - 16);
		if (!keep[n])
			break;
		brk = LAYOUT_HEAP_START + stats_now().mapped_pages * PAGE_SIZE;
		if (brk - (uintptr_t)(keep[n] - 16) <= 8192 - 16)
			near_end = keep[n];
		n++;
	}
	if (near_end) {
		uint32_t *header = (uint32_t *)(near_end - 16);
		uint32_t saved = header[1];
		const uint32_t bad[] = {
			saved & ~1u,	      /* the used flag cleared */
			(saved & 0xFu) | 16u, /* below the smallest block */
			saved & 0xFu,	      /* size 0 */
			/* over the epilogue, which the block must end below */
			(saved & 0xFu) | (uint32_t)(brk - (uintptr_t)header),
		};
		for (uint32_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			uint32_t cached = stats_now().cached_blocks;
			header[1] = bad[i];
			KT_EXPECT_TRUE(t, kfree_checked(near_end) != HEAP_OK);
			KT_EXPECT_EQ(t, stats_now().cached_blocks, cached);
			header[1] = saved;
		}
		KT_EXPECT_TRUE(t, heap_check());
	}
	while (n--)
		KT_EXPECT_EQ(t, kfree_checked(keep[n]), HEAP_OK);
	heap_drain_cache();
	if (!near_end)
		ktest_skip(t, "no 1 KiB block near the heap's end within 1 MiB of blocks");
}

/* After a growth is freed again and the heap settled (heap_drain_cache gives
 * back what the frees left for later), the heap is no larger than before,
 * and every page it gave back is a free frame again (it may end smaller
 * than it started, when pages left over before came back too). */
static void expect_pages_returned(struct ktest *t, const struct heap_stats *before,
				  uint32_t frames_before)
{
	heap_drain_cache();
	uint32_t pages = stats_now().mapped_pages;
	KT_EXPECT_TRUE(t, pages <= before->mapped_pages);
	KT_EXPECT_EQ(t, pmm_free_count(), frames_before + (before->mapped_pages - pages));
}

KTEST(heap, grows_on_demand_and_shrinks_back)
{
	heap_drain_cache(); /* a baseline without parked blocks */
	struct heap_stats before = stats_now();
	uint32_t frames = pmm_free_count();
	const size_t big = 64 * 1024;
	if (pmm_free_count() < big / PAGE_SIZE + 2) { /* + a page table, + slack */
		ktest_skip(t, "too little free memory to grow the heap by 64 KiB");
		return;
	}
	void *p = kmalloc(big);
	KT_ASSERT_TRUE(t, p != NULL);
	/* The free tail is used first; the rest comes as new pages. */
	KT_EXPECT_TRUE(t, stats_now().mapped_pages >= before.mapped_pages + big / PAGE_SIZE -
							      before.free_bytes / PAGE_SIZE - 1);
	KT_EXPECT_TRUE(t, stats_now().mapped_pages > before.mapped_pages);
	memset(p, 0xC3, big);
	KT_EXPECT_EQ(t, ((uint8_t *)p)[big - 1], 0xC3);
	kfree(p);
	expect_pages_returned(t, &before, frames);
}

KTEST(heap, exhaustion_returns_null_and_recovers)
{
	heap_drain_cache(); /* a baseline without parked blocks */
	struct heap_stats before = stats_now();
	uint32_t frames = pmm_free_count();
	void *chunks[64];
	int n = 0;
	while (n < 64 && (chunks[n] = kmalloc(256 * 1024)) != NULL)
		n++;
	KT_EXPECT_TRUE(t, n < 64); /* 16 MiB of heap (or RAM) runs out first */
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(256 * 1024), 0);
	KT_EXPECT_TRUE(t, heap_check());
	while (n--)
		kfree(chunks[n]);
	expect_pages_returned(t, &before, frames);
}

KTEST(heap, failed_growth_changes_nothing)
{
	heap_drain_cache(); /* a baseline without parked blocks */
	struct heap_stats before = stats_now();
	uint32_t frames = pmm_free_count();
	heap_fail_nth_grow(1);
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(128 * 1024), 0);
	heap_fail_nth_grow(0);
	KT_EXPECT_EQ(t, stats_now().mapped_pages, before.mapped_pages);
	KT_EXPECT_EQ(t, pmm_free_count(), frames);
	/* A frame shortage in the middle of a growth unmaps what it had mapped. */
	for (uint32_t n = 1; n <= 4; n++) {
		pmm_fail_nth_alloc(n);
		void *p = kmalloc(3 * PAGE_SIZE + before.free_bytes);
		pmm_fail_nth_alloc(0);
		KT_EXPECT_EQ(t, (uintptr_t)p, 0);
		KT_EXPECT_EQ(t, stats_now().mapped_pages, before.mapped_pages);
		KT_EXPECT_EQ(t, pmm_free_count(), frames);
	}
}

/* Two free blocks of one class, kept apart by live guards so they do not
 * merge; the second freed heads its class's list and links to the first. */
struct two_free {
	uint8_t *first, *second, *guard[2];
};

static bool make_two_free(struct ktest *t, struct two_free *f)
{
	heap_drain_cache();
	f->first = kmalloc(9000); /* too large for the cache: freed the general way */
	f->guard[0] = kmalloc(9000);
	f->second = kmalloc(9000);
	f->guard[1] = kmalloc(9000);
	KT_EXPECT_TRUE(t, f->first && f->guard[0] && f->second && f->guard[1]);
	if (!(f->first && f->guard[0] && f->second && f->guard[1]))
		return false;
	kfree(f->first);
	kfree(f->second);
	return true;
}

static void free_two_free(struct two_free *f)
{
	kfree(f->guard[0]);
	kfree(f->guard[1]);
	heap_drain_cache();
}

/* A free or cached block's list links: after its magic and size words come
 * prev_free and next_free (pointers: wider on a 64-bit host). */
#define LINK_PREV 0
#define LINK_NEXT 1
static uintptr_t *link_of(void *payload, int which)
{
	return (uintptr_t *)((uint8_t *)payload - HEAP_ALIGN + 2 * sizeof(uint32_t)) + which;
}

KTEST(heap, check_survives_a_free_list_link_outside_the_heap)
{
	struct two_free f;
	if (!make_two_free(t, &f))
		return;
	uintptr_t *link = link_of(f.second, LINK_NEXT);
	uintptr_t saved = *link;
	*link = 0x00000FF0u; /* the NULL page: following it would fault */
	KT_EXPECT_TRUE(t, !heap_check());
	*link = LAYOUT_HEAP_END + 0x100u; /* just past the heap's region */
	KT_EXPECT_TRUE(t, !heap_check());
	*link = saved;
	KT_EXPECT_TRUE(t, heap_check());
	free_two_free(&f);
}

KTEST(heap, check_survives_a_cache_link_outside_the_heap)
{
	heap_drain_cache();
	uint8_t *a = kmalloc(48), *b = kmalloc(48);
	KT_ASSERT_TRUE(t, a && b);
	kfree(a);
	kfree(b); /* both parked: b's link points at a */
	uintptr_t *link = link_of(b, LINK_NEXT);
	uintptr_t saved = *link;
	*link = 0x00000FF0u;
	KT_EXPECT_TRUE(t, !heap_check());
	*link = saved;
	KT_EXPECT_TRUE(t, heap_check());
	heap_drain_cache();
}

/* kmalloc of the damaged blocks' size: the allocator must neither follow nor
 * hand out the damaged block; it reports it and serves the call elsewhere.
 * Returns the block, to be freed once the damage is repaired. */
static uint8_t *expect_served_around_damage(struct ktest *t, const struct two_free *f)
{
	uint32_t errors = stats_now().errors_detected;
	uint8_t *p = kmalloc(9000);
	KT_EXPECT_TRUE(t, p != NULL);
	KT_EXPECT_TRUE(t, p != f->first && p != f->second);
	KT_EXPECT_TRUE(t, stats_now().errors_detected > errors);
	KT_EXPECT_TRUE(t, !heap_check());
	return p;
}

KTEST(heap, kmalloc_survives_a_free_block_link_outside_the_heap)
{
	struct two_free f;
	if (!make_two_free(t, &f))
		return;
	for (int which = LINK_PREV; which <= LINK_NEXT; which++) {
		uintptr_t *link = link_of(f.second, which);
		uintptr_t saved = *link;
		*link = 0x00000FF0u; /* the NULL page */
		uint8_t *p = expect_served_around_damage(t, &f);
		*link = saved;
		KT_EXPECT_TRUE(t, heap_check());
		KT_EXPECT_EQ(t, kfree_checked(p), HEAP_OK);
	}
	free_two_free(&f);
}

KTEST(heap, kmalloc_skips_a_free_block_with_an_overwritten_header)
{
	struct two_free f;
	if (!make_two_free(t, &f))
		return;
	uint32_t *magic = (uint32_t *)(f.second - HEAP_ALIGN);
	uint32_t saved = *magic;
	*magic ^= 0x5A5A5A5Au;
	uint8_t *p = expect_served_around_damage(t, &f);
	*magic = saved;
	KT_EXPECT_TRUE(t, heap_check());
	KT_EXPECT_EQ(t, kfree_checked(p), HEAP_OK);
	uint32_t *size = magic + 1;
	saved = *size;
	*size = 0x00FFFFF0u; /* runs past the heap's end */
	p = expect_served_around_damage(t, &f);
	*size = saved;
	KT_EXPECT_TRUE(t, heap_check());
	KT_EXPECT_EQ(t, kfree_checked(p), HEAP_OK);
	free_two_free(&f);
}

KTEST(heap, free_next_to_a_damaged_free_block_is_refused)
{
	struct two_free f;
	if (!make_two_free(t, &f))
		return;
	uintptr_t *link = link_of(f.second, LINK_NEXT);
	uintptr_t saved = *link;
	*link = 0x00000FF0u;
	/* guard[0] sits between first and second: freeing it would merge with
	 * both and unlink second through its bad link. */
	KT_EXPECT_EQ(t, kfree_checked(f.guard[0]), HEAP_ERR_CORRUPT);
	*link = saved;
	KT_EXPECT_TRUE(t, heap_check());
	free_two_free(&f);
}

KTEST(heap, kmalloc_survives_a_cache_link_outside_the_heap)
{
	heap_drain_cache();
	uint8_t *a = kmalloc(48), *b = kmalloc(48);
	KT_ASSERT_TRUE(t, a && b);
	kfree(a);
	kfree(b); /* both parked: b heads the list and links to a */
	uintptr_t *link = link_of(b, LINK_NEXT);
	uintptr_t saved = *link;
	*link = 0x00000FF0u;
	uint32_t errors = stats_now().errors_detected;
	uint8_t *p = kmalloc(48);
	KT_EXPECT_TRUE(t, p != NULL && p != b);
	KT_EXPECT_TRUE(t, stats_now().errors_detected > errors);
	heap_drain_cache(); /* must stop at the damaged list, not follow it */
	*link = saved;
	KT_EXPECT_TRUE(t, heap_check());
	kfree(p);
	heap_drain_cache();
}

KTEST(heap, growth_next_to_a_damaged_tail_block_fails_cleanly)
{
	heap_drain_cache();
	struct heap_stats before = stats_now();
	uint32_t frames = pmm_free_count();
	uint8_t *live = kmalloc(64), *tail = kmalloc(9000);
	KT_ASSERT_TRUE(t, live && tail);
	kfree(tail); /* merges into the free block at the heap's end */
	uintptr_t *link = link_of(tail, LINK_PREV);
	uintptr_t saved = *link;
	*link = 0x00000FF0u;
	/* Too large for any free block: the heap must grow, and growing merges
	 * the damaged tail block. */
	KT_EXPECT_EQ(t, (uintptr_t)kmalloc(64 * 1024), 0);
	KT_EXPECT_EQ(t, pmm_free_count(), frames);
	*link = saved;
	KT_EXPECT_TRUE(t, heap_check());
	kfree(live);
	heap_drain_cache();
	expect_pages_returned(t, &before, frames);
}

#define LAST_FREE_FRAMES_NEEDED 300u /* 1 MiB of heap and what it takes */

/* The last live block freed the general way, while a small block waits in
 * the free cache: the grown pages must go back all the same. */
KTEST(heap, last_free_through_the_general_path_shrinks_the_heap)
{
	heap_drain_cache();
	if (pmm_free_count() < LAST_FREE_FRAMES_NEEDED) {
		ktest_skip(t, "too little free memory to grow the heap by 1 MiB");
		return;
	}
	struct heap_stats before = stats_now();
	uint32_t frames = pmm_free_count();
	uint8_t *big = kmalloc(1024 * 1024), *small = kmalloc(16);
	KT_ASSERT_TRUE(t, big && small);
	KT_EXPECT_TRUE(t, stats_now().mapped_pages > before.mapped_pages + 200);
	kfree(small); /* parked in the cache, right after big */
	kfree(big);   /* too large for the cache: the general free */
	KT_EXPECT_EQ(t, stats_now().live_blocks, before.live_blocks);
	expect_pages_returned(t, &before, frames);
}

#define BOUNDED_SHRINK_PAGES 8u /* more than one free may give back */

/* No single free gives back the whole growth (megabytes would make one
 * kfree take millions of instructions): pages go back a few at a time over
 * the following calls, and all at once with heap_drain_cache. */
KTEST(heap, a_free_gives_back_few_pages_and_later_calls_the_rest)
{
	heap_drain_cache();
	if (pmm_free_count() < LAST_FREE_FRAMES_NEEDED) {
		ktest_skip(t, "too little free memory to grow the heap by 1 MiB");
		return;
	}
	struct heap_stats before = stats_now();
	uint32_t frames = pmm_free_count();
	uint8_t *big = kmalloc(1024 * 1024);
	KT_ASSERT_TRUE(t, big != NULL);
	uint32_t grown = stats_now().mapped_pages;
	kfree(big);
	uint32_t after_free = stats_now().mapped_pages;
	KT_EXPECT_TRUE(t, after_free < grown);
	KT_EXPECT_TRUE(t, grown - after_free <= BOUNDED_SHRINK_PAGES);
	/* A later general free (a block too big for the free cache) gives back
	 * a few more. */
	kfree(kmalloc(16 * 1024));
	KT_EXPECT_TRUE(t, stats_now().mapped_pages < after_free);
	expect_pages_returned(t, &before, frames);
}

struct state_probe {
	const void *payload;
	enum heap_block_state state;
	bool found;
};

static void probe_state(void *payload, size_t size, enum heap_block_state state, void *ctx)
{
	(void)size;
	struct state_probe *p = ctx;
	if (payload == p->payload) {
		p->state = state;
		p->found = true;
	}
}

static enum heap_block_state state_of(const void *payload)
{
	struct state_probe p = {payload, HEAP_BLOCK_DAMAGED, false};
	heap_for_each_block(probe_state, &p);
	return p.found ? p.state : (enum heap_block_state) - 1;
}

/* The walk names what each block is, a damaged header included. */
KTEST(heap, block_walk_tells_used_cached_free_and_damaged_apart)
{
	heap_drain_cache();
	uint8_t *live = kmalloc(64), *cached = kmalloc(64), *big = kmalloc(9000),
		*guard = kmalloc(64);
	KT_ASSERT_TRUE(t, live && cached && big && guard);
	kfree(cached);
	kfree(big);
	KT_EXPECT_EQ(t, state_of(live), HEAP_BLOCK_USED);
	KT_EXPECT_EQ(t, state_of(cached), HEAP_BLOCK_CACHED);
	KT_EXPECT_EQ(t, state_of(big), HEAP_BLOCK_FREE);
	uint32_t *magic = (uint32_t *)(live - HEAP_ALIGN);
	uint32_t saved = *magic;
	*magic ^= 0x5A5A5A5Au;
	KT_EXPECT_EQ(t, state_of(live), HEAP_BLOCK_DAMAGED);
	*magic = saved;
	KT_EXPECT_EQ(t, state_of(live), HEAP_BLOCK_USED);
	kfree(live);
	kfree(guard);
	heap_drain_cache();
}
