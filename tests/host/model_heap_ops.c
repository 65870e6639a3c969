/* The model's heap operations.  Every live block is filled with a pattern
 * derived from its id; the pattern is verified when the block is freed and
 * (edges plus a sample of whole blocks) at every full check, so a block the
 * heap hands out twice, or a header written over a live payload, shows up as
 * a changed byte.
 *
 * Pattern bytes keep bit 7 clear.  The heap's header magics, xor-ed with a
 * host heap address (0x51......), have it set in their top byte, so a live
 * payload never passes for a header: a pointer into one must be refused,
 * never accepted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "model_internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define HEAP_BYTES	   (LAYOUT_HEAP_END - LAYOUT_HEAP_START)
#define HEAP_MAX_PAGES	   (HEAP_BYTES / PAGE_SIZE)
#define HEADER_BYTES	   16u	 /* what the heap puts before a payload, at most */
#define PATTERN_WHOLE	   1024u /* blocks up to this size are patterned whole */
#define PATTERN_EDGE	   256u	 /* larger: both ends, and ... */
#define PATTERN_STRIPE	   16u	 /* ... this much at every page offset */
#define EDGE_CHECK	   16u	 /* bytes at each end verified at every full check */
#define SAMPLED_BLOCKS	   32u	 /* blocks verified whole at every full check */
#define PATTERN_MASK	   0x7Fu
#define SHRINK_NUDGE_BYTES (64u * 1024u) /* larger than any block the free cache keeps */

static uint8_t pattern(uint32_t id, uint32_t offset)
{
	uint32_t x = id * 0x9E3779B1u + offset * 0x85EBCA77u;
	x ^= x >> 13;
	x *= 0xC2B2AE35u;
	x ^= x >> 16;
	return (uint8_t)(x & PATTERN_MASK);
}

/* --- patterned segments of a block ------------------------------------------ */

typedef bool (*segment_fn)(struct model *m, const struct block *b, uint32_t from, uint32_t to);

/* Calls fn on each patterned segment of b until one says stop. */
static bool for_each_segment(struct model *m, const struct block *b, segment_fn fn)
{
	if (b->size <= PATTERN_WHOLE)
		return fn(m, b, 0, b->size);
	if (!fn(m, b, 0, PATTERN_EDGE))
		return false;
	for (uint32_t off = PAGE_SIZE; off + PATTERN_STRIPE <= b->size - PATTERN_EDGE;
	     off += PAGE_SIZE)
		if (!fn(m, b, off, off + PATTERN_STRIPE))
			return false;
	return fn(m, b, b->size - PATTERN_EDGE, b->size);
}

static bool fill_segment(struct model *m, const struct block *b, uint32_t from, uint32_t to)
{
	(void)m;
	for (uint32_t i = from; i < to; i++)
		b->ptr[i] = pattern(b->id, i);
	return true;
}

static bool verify_segment(struct model *m, const struct block *b, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		if (b->ptr[i] != pattern(b->id, i)) {
			MFAIL(m, "block %u at %p (%u bytes): byte %u is 0x%02X, want 0x%02X", b->id,
			      (void *)b->ptr, b->size, i, b->ptr[i], pattern(b->id, i));
			return false;
		}
	}
	return true;
}

static bool zero_segment(struct model *m, const struct block *b, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to; i++) {
		if (b->ptr[i]) {
			MFAIL(m, "kcalloc block at %p (%u bytes): byte %u is 0x%02X, not 0",
			      (void *)b->ptr, b->size, i, b->ptr[i]);
			return false;
		}
	}
	return true;
}

static bool verify_edges(struct model *m, const struct block *b)
{
	uint32_t n = b->size < EDGE_CHECK ? b->size : EDGE_CHECK;
	return verify_segment(m, b, 0, n) && verify_segment(m, b, b->size - n, b->size);
}

void check_blocks(struct model *m)
{
	for (uint32_t i = 0; i < m->block_count && !m->trace.failed; i++)
		verify_edges(m, &m->block[i]);
	for (uint32_t i = 0; i < SAMPLED_BLOCKS && m->block_count && !m->trace.failed; i++)
		for_each_segment(m, &m->block[rng_below(&m->trace, m->block_count)],
				 verify_segment);
}

/* --- bookkeeping ------------------------------------------------------------ */

static uintptr_t heap_break(void)
{
	return LAYOUT_HEAP_START + heap_pages_now() * PAGE_SIZE;
}

static void forget_stale(struct model *m, const uint8_t *p)
{
	for (uint32_t i = 0; i < FREED_KEPT; i++)
		if (m->stale[i] == p)
			m->stale[i] = NULL;
	m->just_freed_count = 0; /* an allocation may reuse any freed memory */
}

/* Whether kmalloc(size) must succeed: the heap can grow by the pages it
 * needs, tables included, both in virtual space and in free frames. */
static bool must_fit(size_t size)
{
	uint32_t pages = (uint32_t)((size + 2 * HEADER_BYTES + PAGE_SIZE - 1) / PAGE_SIZE);
	uint32_t tables = pages / PT_ENTRIES + 1;
	return heap_pages_now() + pages <= HEAP_MAX_PAGES && pmm_free_count() >= pages + tables;
}

/* A block the heap just returned: checks where it is, patterns it. */
static void adopt_block(struct model *m, uint8_t *p, size_t size, bool zeroed)
{
	uintptr_t a = (uintptr_t)p;
	MCHECK(m,
	       a % HEAP_ALIGN == 0 && a >= LAYOUT_HEAP_START + HEADER_BYTES &&
		       a + size <= heap_break(),
	       "block %p of %zu bytes not aligned or outside the heap [0x%08X, 0x%08lX)", (void *)p,
	       size, LAYOUT_HEAP_START, (unsigned long)heap_break());
	MCHECK(m, ksize(p) >= size, "ksize(%p) = %zu for a block of %zu bytes", (void *)p, ksize(p),
	       size);
	if (m->trace.failed)
		return;
	struct block *b = &m->block[m->block_count];
	*b = (struct block){.ptr = p, .size = (uint32_t)size, .id = m->next_id++};
	if (zeroed && !for_each_segment(m, b, zero_segment))
		return;
	for_each_segment(m, b, fill_segment);
	m->block_count++;
	forget_stale(m, p);
}

static void forget_block(struct model *m, uint32_t i)
{
	uint8_t *p = m->block[i].ptr;
	m->block[i] = m->block[--m->block_count];
	m->stale[m->stale_total++ % FREED_KEPT] = p;
	if (m->just_freed_count < FREED_KEPT)
		m->just_freed[m->just_freed_count++] = p;
}

/* What a refused allocation must leave: the heap as it was. */
static void check_heap_unchanged(struct model *m, const struct heap_stats *before)
{
	struct heap_stats now;
	heap_get_stats(&now);
	/* free_bytes may move: a kmalloc drains the free cache into the free
	 * lists before it gives up. */
	MCHECK(m,
	       now.mapped_pages == before->mapped_pages && now.used_bytes == before->used_bytes &&
		       now.live_blocks == before->live_blocks,
	       "a refused call changed the heap: pages %u->%u, used bytes %u->%u, live %u->%u",
	       before->mapped_pages, now.mapped_pages, before->used_bytes, now.used_bytes,
	       before->live_blocks, now.live_blocks);
}

/* --- allocation ---------------------------------------------------------- */

static size_t pick_size(struct model *m, bool *valid)
{
	static const size_t bad[] = {
		0, HEAP_BYTES, HEAP_BYTES + 1, SIZE_MAX, SIZE_MAX - 15, 0x80000000u, 0xFFFFFFF9u,
	};
	uint32_t r = rng_below(&m->trace, 100);
	*valid = r >= 5;
	if (r < 5)
		return bad[rng_below(&m->trace, ARRAY_LEN(bad))];
	if (r < 50)
		return 1 + rng_below(&m->trace, 256);
	if (r < 75)
		return 257 + rng_below(&m->trace, 4096 - 256);
	if (r < 90)
		return 4097 + rng_below(&m->trace, 65536 - 4096);
	if (r < 97)
		return 65537 + rng_below(&m->trace, (1u << 20) - 65536);
	return (1u << 20) + rng_below(&m->trace, 3u << 20);
}

/* The common end of kmalloc and kcalloc: size is what was asked for. */
static void allocated(struct model *m, const char *call, uint8_t *p, size_t size, bool valid,
		      bool zeroed, const struct heap_stats *before, uint32_t free_before, bool fits)
{
	op_result(&m->trace, (int64_t)(uintptr_t)p);
	if (!p) {
		m->trace.report->coverage.refused++;
		if (valid) {
			m->trace.report->coverage.heap_exhausted++;
			MCHECK(m, !fits,
			       "%s(%zu) returned NULL with %u frames free and %u of %u heap pages "
			       "mapped",
			       call, size, free_before, before->mapped_pages, HEAP_MAX_PAGES);
		}
		check_heap_unchanged(m, before);
		return;
	}
	MCHECK(m, valid, "%s(%zu) returned %p for a size it must refuse", call, size, (void *)p);
	if (!m->trace.failed)
		adopt_block(m, p, size, zeroed);
}

void op_kmalloc(struct model *m)
{
	if (m->block_count == MAX_BLOCKS) {
		op_kfree(m);
		return;
	}
	bool valid;
	size_t size = pick_size(m, &valid);
	struct heap_stats before;
	heap_get_stats(&before);
	uint32_t free_before = pmm_free_count();
	bool fits = valid && must_fit(size);
	op_begin(&m->trace, "kmalloc(%llu)", size, 0, 0, 0);
	uint8_t *p = kmalloc(size);
	m->just_freed_count = 0;
	allocated(m, "kmalloc", p, size, valid, false, &before, free_before, fits);
}

void op_kcalloc(struct model *m)
{
	static const size_t bad[][2] = {
		{0x10000u, 0x10001u}, {2, 0x80000000u},	    {SIZE_MAX, 2}, {0, 8}, {8, 0},
		{HEAP_BYTES, 1},      {1, HEAP_BYTES + 16},
	};
	if (m->block_count == MAX_BLOCKS) {
		op_kfree(m);
		return;
	}
	size_t count, size;
	bool valid = !rng_percent(&m->trace, 8);
	if (valid) {
		count = 1 + rng_below(&m->trace, 64);
		size = 1 + rng_below(&m->trace, rng_percent(&m->trace, 90) ? 512 : 16384);
	} else {
		uint32_t i = rng_below(&m->trace, ARRAY_LEN(bad));
		count = bad[i][0];
		size = bad[i][1];
	}
	struct heap_stats before;
	heap_get_stats(&before);
	uint32_t free_before = pmm_free_count();
	bool fits = valid && must_fit(count * size);
	op_begin(&m->trace, "kcalloc(%llu, %llu)", count, size, 0, 0);
	uint8_t *p = kcalloc(count, size);
	m->just_freed_count = 0;
	allocated(m, "kcalloc", p, valid ? count * size : size, valid, true, &before, free_before,
		  fits);
}

/* --- freeing -------------------------------------------------------------- */

void op_kfree(struct model *m)
{
	struct heap_stats before;
	heap_get_stats(&before);
	if (!m->block_count || rng_percent(&m->trace, 3)) {
		op_begin(&m->trace, "kfree_checked(NULL)", 0, 0, 0, 0);
		int rc = kfree_checked(NULL);
		op_result(&m->trace, rc);
		expect_status(m, "kfree_checked(NULL)", rc, ST(HEAP_OK));
		struct heap_stats now;
		heap_get_stats(&now);
		MCHECK(m, now.errors_detected == before.errors_detected,
		       "kfree(NULL) counted an error");
		check_heap_unchanged(m, &before);
		return;
	}
	uint32_t i = rng_below(&m->trace, m->block_count);
	const struct block *b = &m->block[i];
	if (!for_each_segment(m, b, verify_segment))
		return;
	op_begin(&m->trace, "kfree_checked(0x%llX) (block %llu, %llu bytes)", (uintptr_t)b->ptr,
		 b->id, b->size, 0);
	int rc = kfree_checked(b->ptr);
	op_result(&m->trace, rc);
	expect_status(m, "kfree_checked", rc, ST(HEAP_OK));
	if (rc == HEAP_OK)
		forget_block(m, i);
}

/* A bad pointer to free: what it is, and which statuses may come back. */
struct bad_free {
	uint8_t *ptr;
	const char *what;
	const char *call; /* the trace's format */
	uint32_t accept;
};

#define BAD_FREE(ptr, what, accept)                                                                \
	((struct bad_free){(ptr), what, "kfree_checked(0x%llX) (" what ")", (accept)})

static bool is_live(const struct model *m, const uint8_t *p)
{
	for (uint32_t i = 0; i < m->block_count; i++)
		if (m->block[i].ptr == p)
			return true;
	return false;
}

static struct bad_free pick_bad_free(struct model *m)
{
	static uint32_t not_heap[4];
	const uint32_t any = ST(HEAP_ERR_INVALID) | ST(HEAP_ERR_DOUBLE_FREE) | ST(HEAP_ERR_CORRUPT);
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 30 && m->just_freed_count) {
		/* Freed, and nothing allocated since: its header still says so,
		 * unless the heap shrank below it. */
		uint8_t *p = m->just_freed[rng_below(&m->trace, m->just_freed_count)];
		return BAD_FREE(p, "double free",
				(uintptr_t)p >= heap_break() ? ST(HEAP_ERR_INVALID)
							     : ST(HEAP_ERR_DOUBLE_FREE));
	}
	if (r < 45 && m->stale_total) {
		uint8_t *p = m->stale[rng_below(
			&m->trace, m->stale_total < FREED_KEPT ? m->stale_total : FREED_KEPT)];
		if (p && !is_live(m, p))
			return BAD_FREE(p, "stale pointer", any);
	}
	if (r < 75 && m->block_count) {
		const struct block *b = &m->block[rng_below(&m->trace, m->block_count)];
		if (rng_percent(&m->trace, 40))
			return BAD_FREE(b->ptr + 1 + rng_below(&m->trace, HEAP_ALIGN - 1),
					"misaligned", ST(HEAP_ERR_INVALID));
		/* Inside a live payload: not where any block starts.  Where the
		 * model wrote its pattern that is all the heap can see; past it,
		 * an old free header may still lie there and read as a double free. */
		uint32_t head = b->size <= PATTERN_WHOLE ? b->size : PATTERN_EDGE;
		if (b->size > HEAP_ALIGN) {
			uint32_t off =
				HEAP_ALIGN * (1 + rng_below(&m->trace, (b->size - 1) / HEAP_ALIGN));
			return off + 8 <= head
				       ? BAD_FREE(b->ptr + off, "inside a live block",
						  ST(HEAP_ERR_INVALID))
				       : BAD_FREE(b->ptr + off,
						  "inside a live block, past its pattern",
						  ST(HEAP_ERR_INVALID) | ST(HEAP_ERR_DOUBLE_FREE));
		}
	}
	switch (rng_below(&m->trace, 5)) {
	case 0: return BAD_FREE((uint8_t *)not_heap, "static object", ST(HEAP_ERR_INVALID));
	case 1: return BAD_FREE((uint8_t *)LAYOUT_HEAP_START, "heap start", ST(HEAP_ERR_INVALID));
	case 2: return BAD_FREE((uint8_t *)LAYOUT_HEAP_END, "heap end", ST(HEAP_ERR_INVALID));
	case 3: return BAD_FREE((uint8_t *)heap_break(), "the break", ST(HEAP_ERR_INVALID));
	default:
		return BAD_FREE((uint8_t *)(LAYOUT_HEAP_START - HEAP_ALIGN), "below the heap",
				ST(HEAP_ERR_INVALID));
	}
}

void op_kfree_bad(struct model *m)
{
	struct bad_free bad = pick_bad_free(m);
	struct heap_stats before;
	heap_get_stats(&before);
	op_begin(&m->trace, bad.call, (uintptr_t)bad.ptr, 0, 0, 0);
	int rc = kfree_checked(bad.ptr);
	op_result(&m->trace, rc);
	if (rc > 0 || !(bad.accept & ST(rc)))
		MFAIL(m, "kfree_checked(%p) (%s) returned %d (%s), accepted set 0x%X",
		      (void *)bad.ptr, bad.what, rc, status_name(rc), bad.accept);
	m->trace.report->coverage.refused++;
	struct heap_stats now;
	heap_get_stats(&now);
	MCHECK(m, now.errors_detected == before.errors_detected + 1,
	       "bad free (%s) counted %u errors, want one", bad.what,
	       now.errors_detected - before.errors_detected);
	check_heap_unchanged(m, &before);
	MCHECK(m, ksize(bad.ptr) == 0 || is_live(m, bad.ptr), "ksize(%p) (%s) = %zu, want 0",
	       (void *)bad.ptr, bad.what, ksize(bad.ptr));
}

/* --- injected failures ------------------------------------------------------ */

/* A growth, or a frame inside one, fails: kmalloc returns NULL and the heap
 * is as before, or the block fitted without growing. */
void op_inject_heap(struct model *m)
{
	if (m->block_count == MAX_BLOCKS)
		return;
	size_t size = 16384 + rng_below(&m->trace, 256 * 1024);
	bool grow = rng_percent(&m->trace, 50);
	uint32_t n = grow ? 1 : 1 + rng_below(&m->trace, 4);
	if (grow)
		heap_fail_nth_grow(n);
	else
		pmm_fail_nth_alloc(n);
	struct heap_stats before;
	heap_get_stats(&before);
	op_begin(&m->trace,
		 grow ? "kmalloc(%llu) with growth %llu failing"
		      : "kmalloc(%llu) with frame allocation %llu failing",
		 size, n, 0, 0);
	uint8_t *p = kmalloc(size);
	m->just_freed_count = 0;
	heap_fail_nth_grow(0);
	pmm_fail_nth_alloc(0);
	op_result(&m->trace, (int64_t)(uintptr_t)p);
	if (p) {
		adopt_block(m, p, size, false);
	} else {
		m->trace.report->coverage.refused++;
		check_heap_unchanged(m, &before);
	}
}

/* --- the final phase -------------------------------------------------------- */

/* With every block freed the heap must give back every page it grew by.  A
 * free gives back only a few pages at a time (no kfree may take long), so
 * after one general free at the end (a block too big for the cache),
 * heap_drain_cache() merges the cached blocks and gives back the rest. */
static void give_pages_back(struct model *m)
{
	op_begin(&m->trace, "kmalloc(%llu) + kfree (final: a free the cache does not take)",
		 SHRINK_NUDGE_BYTES, 0, 0, 0);
	void *p = kmalloc(SHRINK_NUDGE_BYTES);
	op_result(&m->trace, (int64_t)(uintptr_t)p);
	MCHECK(m, p != NULL, "kmalloc(%u) failed on an empty heap", SHRINK_NUDGE_BYTES);
	if (p)
		expect_status(m, "kfree_checked", kfree_checked(p), ST(HEAP_OK));
	heap_drain_cache();
}

void release_all_blocks(struct model *m)
{
	while (m->block_count && !m->trace.failed) {
		const struct block *b = &m->block[m->block_count - 1];
		if (!for_each_segment(m, b, verify_segment))
			return;
		op_begin(&m->trace, "kfree_checked(0x%llX) (final, block %llu)", (uintptr_t)b->ptr,
			 b->id, 0, 0);
		int rc = kfree_checked(b->ptr);
		op_result(&m->trace, rc);
		expect_status(m, "kfree_checked", rc, ST(HEAP_OK));
		forget_block(m, m->block_count - 1);
	}
	if (!m->trace.failed)
		give_pages_back(m);
}
