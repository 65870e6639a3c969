/* libFuzzer target: the kernel heap driven by bytes.
 *
 * The input is a program: each operation is one byte of opcode and up to
 * three bytes of argument (kmalloc, kcalloc, kfree, a bad free, a cache
 * drain).  A model keeps the live blocks, each filled with a pattern from
 * its id, and checks after every operation that heap_check() passes, that
 * the heap's live count is the model's, and on every free that the block's
 * bytes are intact.  At the end everything is freed and the heap and the PMM
 * must be back where the first input found them, so every input starts from
 * the same heap.  The memory system boots once, on the fake machine of the
 * host tests (tests/host/mm_fixture.c).  See docs/reliability.md. */
// FUZZ_LINK: mm/pmm_stats.c mm/pmm_names.c mm/pmm_inject.c mm/pmm_check.c mm/pmm_selftest.c
// FUZZ_LINK: tests/host/mm_fixture.c mm/memmap.c mm/pmm.c mm/vmm.c mm/aspace.c mm/region.c
// FUZZ_LINK: mm/heap.c mm/vm_check.c mm/vm_object.c
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm_fixture.h"

#define FUZZ_RAM	   (24u << 20)
#define FUZZ_HEAP_PAGES	   4u
#define MAX_LIVE	   256u
#define PATTERN_MASK	   0x7Fu /* never a header magic's top byte (see model_heap_ops.c) */
#define CHECKED_BYTES	   4096u /* bytes of a block patterned and verified */
#define BIG_SHIFT	   12u	 /* "big" sizes are an argument times a page */
#define SHRINK_NUDGE_BYTES (64u * 1024u) /* larger than any block the free cache keeps */
#define HEAP_BYTES	   (LAYOUT_HEAP_END - LAYOUT_HEAP_START)

enum opcode { OP_MALLOC, OP_MALLOC_BIG, OP_CALLOC, OP_FREE, OP_FREE_BAD, OP_DRAIN, OPCODES };

struct live {
	uint8_t *p;
	size_t size;
	uint32_t id;
};

static struct live live[MAX_LIVE];
static uint32_t live_count, next_id;
static uint32_t boot_free_frames, boot_heap_pages;
static uint8_t *last_freed; /* freed, and nothing allocated since */

__attribute__((noreturn, format(printf, 1, 2))) static void broken(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_heap: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n%s\n", fake_console_output());
	va_end(ap);
	abort();
}

static uint8_t pattern(uint32_t id, size_t i)
{
	return (uint8_t)((id * 0x9E3779B1u + (uint32_t)i * 0x85EBCA77u) >> 24) & PATTERN_MASK;
}

static size_t checked(size_t size)
{
	return size < CHECKED_BYTES ? size : CHECKED_BYTES;
}

static struct heap_stats stats(void)
{
	struct heap_stats s;
	heap_get_stats(&s);
	return s;
}

static void adopt(uint8_t *p, size_t size, bool zeroed)
{
	if ((uintptr_t)p % HEAP_ALIGN || (uintptr_t)p < LAYOUT_HEAP_START ||
	    (uintptr_t)p + size > LAYOUT_HEAP_END || ksize(p) < size)
		broken("block %p of %zu bytes: misaligned, outside the heap or short", (void *)p,
		       size);
	for (size_t i = 0; zeroed && i < checked(size); i++)
		if (p[i])
			broken("kcalloc block %p byte %zu is 0x%02X", (void *)p, i, p[i]);
	struct live *l = &live[live_count++];
	*l = (struct live){p, size, next_id++};
	for (size_t i = 0; i < checked(size); i++)
		p[i] = pattern(l->id, i);
}

static void release(uint32_t index)
{
	struct live *l = &live[index];
	for (size_t i = 0; i < checked(l->size); i++)
		if (l->p[i] != pattern(l->id, i))
			broken("block %u at %p: byte %zu changed", l->id, (void *)l->p, i);
	int rc = kfree_checked(l->p);
	if (rc != HEAP_OK)
		broken("kfree_checked(%p) of a live block: %d", (void *)l->p, rc);
	last_freed = l->p;
	*l = live[--live_count];
}

/* A refused free: the status must be an error and nothing may move. */
static void bad_free(uint8_t arg)
{
	static uint32_t not_heap[4];
	uint8_t *p;
	int want = HEAP_ERR_INVALID;
	if (arg % 4 == 0 && last_freed) {
		p = last_freed;
		want = HEAP_ERR_DOUBLE_FREE;
		heap_drain_cache(); /* a spent cache budget drains first (see the report) */
		if ((uintptr_t)p >= LAYOUT_HEAP_START + stats().mapped_pages * PAGE_SIZE)
			want = HEAP_ERR_INVALID; /* the heap shrank below it */
	} else if (arg % 4 == 1 && live_count) {
		p = live[arg % live_count].p + 1 + arg % (HEAP_ALIGN - 1);
	} else if (arg % 4 == 2 && live_count && live[arg % live_count].size > HEAP_ALIGN + 8) {
		p = live[arg % live_count].p + HEAP_ALIGN; /* inside a block, on its pattern */
	} else {
		p = (uint8_t *)not_heap;
	}
	heap_drain_cache();
	struct heap_stats before = stats();
	uint32_t free_frames = pmm_free_count();
	int rc = kfree_checked(p);
	struct heap_stats after = stats();
	if (rc != want)
		broken("kfree_checked(%p) returned %d, want %d", (void *)p, rc, want);
	if (after.errors_detected != before.errors_detected + 1 ||
	    after.live_blocks != before.live_blocks || after.mapped_pages != before.mapped_pages ||
	    after.free_bytes != before.free_bytes || pmm_free_count() != free_frames)
		broken("a refused free of %p changed the heap or the PMM", (void *)p);
}

static void allocate(enum opcode op, uint8_t a, uint8_t b, uint8_t c)
{
	if (live_count == MAX_LIVE)
		return;
	size_t size = (size_t)a | (size_t)b << 8;
	bool zeroed = op == OP_CALLOC;
	uint8_t *p;
	if (op == OP_MALLOC_BIG)
		size = c == 0xFF ? HEAP_BYTES + a : ((size_t)a << BIG_SHIFT) + b;
	if (zeroed) {
		size_t count = c ? c : SIZE_MAX / 2; /* 0: a product that overflows */
		p = kcalloc(count, (size_t)a + 1);
		size = count * ((size_t)a + 1);
	} else {
		p = kmalloc(size);
	}
	last_freed = NULL; /* the allocation may have reused that memory */
	bool must_fail = size == 0 || size >= HEAP_BYTES || (zeroed && c == 0);
	if (p && must_fail)
		broken("an allocation of %zu bytes that must fail returned %p", size, (void *)p);
	if (p)
		adopt(p, size, zeroed);
}

static void run_op(const uint8_t *op)
{
	switch (op[0] % OPCODES) {
	case OP_MALLOC:
	case OP_MALLOC_BIG:
	case OP_CALLOC: allocate((enum opcode)(op[0] % OPCODES), op[1], op[2], op[3]); break;
	case OP_FREE:
		if (live_count)
			release(op[1] % live_count);
		break;
	case OP_FREE_BAD: bad_free(op[1]); break;
	default: heap_drain_cache(); break;
	}
	if (!heap_check())
		broken("heap_check() failed after opcode %u", op[0] % OPCODES);
	if (stats().live_blocks != live_count)
		broken("the heap counts %u live blocks, the model %u", stats().live_blocks,
		       live_count);
}

/* Frees everything; the heap must give back every page it grew by.  A free
 * gives back only a few pages at a time, so after one general free (a block
 * the cache does not take) heap_drain_cache() gives back the rest. */
static void settle(void)
{
	while (live_count)
		release(live_count - 1);
	void *nudge = kmalloc(SHRINK_NUDGE_BYTES); /* a free the cache does not take */
	kfree(nudge);
	heap_drain_cache();
	last_freed = NULL;
	if (stats().mapped_pages != boot_heap_pages || pmm_free_count() != boot_free_frames)
		broken("after freeing everything: %u heap pages (booted with %u), %u free frames "
		       "(%u)",
		       stats().mapped_pages, boot_heap_pages, pmm_free_count(), boot_free_frames);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool booted;
	if (!booted) {
		mm_fixture_boot(FUZZ_RAM, FUZZ_HEAP_PAGES);
		boot_free_frames = pmm_free_count();
		boot_heap_pages = stats().mapped_pages;
		booted = true;
	}
	uint8_t op[4];
	for (size_t i = 0; i < size; i += sizeof(op)) {
		memset(op, 0, sizeof(op));
		memcpy(op, data + i, size - i < sizeof(op) ? size - i : sizeof(op));
		run_op(op);
	}
	settle();
	return 0;
}
