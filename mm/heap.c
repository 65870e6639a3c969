/* The kernel heap: segregated free lists with boundary tags.
 *
 * The heap is one run of virtual pages starting at LAYOUT_HEAP_START, backed by
 * frames the heap maps itself.  It is cut into blocks, each a multiple of 16
 * bytes, ending in a zero-size "epilogue" header just below the break:
 *
 *   block:  +--------+-------+-----------+-----------+- - - - - -+--------+
 *           | magic  | size  | prev_free | next_free |  payload  | size   |
 *           |        | flags |  (free blocks only)    |           | (free) |
 *           +--------+-------+-----------+-----------+- - - - - -+--------+
 *           ^ 16-byte header; payload starts at +16     footer: last word
 *
 * magic = MAGIC_USED or MAGIC_FREE xor the block's address, so a double
 * free, a pointer the heap never returned and an overwritten header are each
 * told apart.  A free block's size is repeated in its last word and the next
 * block carries PREV_FREE, so a freed block merges with both neighbours in
 * O(1).  Free blocks sit in 128 size classes (exact 16-byte steps below
 * 1 KiB, four per power of two above) with a bitmap of non-empty classes, so
 * finding a fit is a few bit operations, not a walk.
 *
 * In front of all that sits a small cache, as in glibc's tcache: a freed
 * block of up to QUICK_MAX_BLOCK bytes is parked on a LIFO list for its
 * exact size (magic MAGIC_QUICK, still marked used, so nothing merges with
 * it; the magic also seals the block's size and cache link, see
 * parked_magic_of) and handed straight back by the next kmalloc of its
 * class.  That makes the
 * common free-then-allocate-again pattern a few dozen instructions.  The
 * cache holds at most QUICK_MAX_BYTES in all.
 * It is drained into the free lists, where its blocks merge, a few blocks
 * per call (DRAIN_BATCH), so that no kmalloc or kfree takes long:
 *   - before the heap would grow (parked memory may make it grow, by at most
 *     the budget; only a growth that fails drains the whole cache, so
 *     parked memory never makes a kmalloc fail);
 *   - when a free finds the budget spent, so the cache keeps taking blocks;
 *   - when the last live block goes while the heap is above its first size
 *     (parked blocks would pin the pages at the end).
 * Whole free pages at the heap's end go back to the PMM a few per general
 * free (SHRINK_BATCH), and all at once in heap_drain_cache().
 *
 * Headers, footers and links are data in memory any overrun can reach.  No
 * pointer read from them is followed, and no damaged block is unlinked,
 * handed out or written, before it is checked (block_address_ok, unlinkable,
 * cached_head_ok).  Damage is counted and reported; the call is served
 * around it or refused, and nothing is changed near it, so a header put
 * right again leaves a heap that checks clean.
 */
#include "mm/heap.h"

#include "arch/mmu.h"
#include "drivers/console.h"
#include "lib/string.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define HEADER_SIZE	   16u
#define MIN_BLOCK	   32u
#define MAGIC_USED	   0xA110C8EDu
#define MAGIC_FREE	   0xF4EEB10Cu
#define FLAG_USED	   0x1u
#define FLAG_PREV_FREE	   0x2u
#define SIZE_MASK	   (~0xFu)
#define EXACT_CLASSES	   64u /* blocks below 1 KiB: one class per 16 bytes */
#define EXACT_LIMIT	   (EXACT_CLASSES * 16u)
#define CLASSES		   128u
#define SUBCLASS_BITS	   2u
#define HEAP_MAX_BYTES	   (LAYOUT_HEAP_END - LAYOUT_HEAP_START)
#define SHRINK_SLACK_PAGES 1u /* keep one free page mapped: no grow/shrink ping-pong */
#define MAGIC_QUICK	   0xCAC4EB10u
#define QUICK_MAX_BLOCK	   8192u
#define QUICK_MAX_BYTES	   (64u * 1024u)
#define QUICK_SLOTS	   (QUICK_MAX_BLOCK / 16u + 1u) /* one list per block size */
/* The most work one kmalloc or kfree does for housekeeping, so that no single
 * call takes long: cached blocks moved to the free lists, cache lists looked
 * at for them, and pages given back at the end. */
#define DRAIN_BATCH  1u
#define DRAIN_SCAN   16u
#define SHRINK_BATCH 2u

struct block {
	uint32_t magic;
	uint32_t size_flags;
	struct block *prev_free;
	struct block *next_free;
};

static struct block *free_lists[CLASSES];
static uint32_t class_bitmap[CLASSES / 32];
static uintptr_t heap_break; /* end of mapped heap memory */
static uint32_t initial_pages;
/* An empty heap gives pages back only while it maps more than this:
 * initial_pages + SHRINK_SLACK_PAGES, kept summed for kfree's test. */
static uint32_t shrink_above_pages;
static struct heap_stats stats;
static uint32_t grow_fail_countdown;
static uint32_t alloc_fail_countdown;
/* Requests of 1..quick_limit bytes may take kmalloc's cache path: the
 * largest cacheable payload, or 0 while an allocation failure is armed, so
 * that one comparison sends n == 0, large sizes and injected failures alike
 * to kmalloc_slow. */
#define QUICK_MAX_REQUEST (QUICK_MAX_BLOCK - HEADER_SIZE)
static uint32_t quick_limit = QUICK_MAX_REQUEST;
static struct block *quick[QUICK_SLOTS]; /* by block size / 16, linked through next_free */
/* What an empty cache list holds and every list ends in, instead of NULL: a
 * block whose magic says slot 0, which no list uses, so kmalloc's check of
 * a list's first block fails on it without a separate test for "empty".
 * Never part of the heap, never written but by heap_init. */
static struct block quick_end;
#define QUICK_END (&quick_end)
/* Whole block sizes parked in the cache, in 16-byte units like the slots:
 * kmalloc's cache path then needs only the slot number, not the size too. */
static uint32_t quick_units;
static uint32_t drain_cursor; /* the cache list a bounded drain looks at next */

static inline uint32_t block_size(const struct block *b)
{
	return b->size_flags & SIZE_MASK;
}

static inline uint32_t magic_for(const struct block *b, uint32_t base)
{
	return base ^ (uint32_t)(uintptr_t)b;
}

static inline struct block *next_block(struct block *b)
{
	return (struct block *)((uintptr_t)b + block_size(b));
}

static inline struct block *epilogue(void)
{
	return (struct block *)(heap_break - HEADER_SIZE);
}

/* Whether p may be read as a block header: 16-byte aligned, inside the mapped
 * heap and below the epilogue.  A list link, a cache link or a footer is only
 * data in heap memory, which any overrun can overwrite; each one goes through
 * this before it is read through, so a stray value is reported instead of
 * taking the kernel down with a page fault. */
static inline bool block_address_ok(const struct block *p)
{
	uintptr_t a = (uintptr_t)p;
	return !(a & 15u) && a - LAYOUT_HEAP_START < (uintptr_t)epilogue() - LAYOUT_HEAP_START;
}

/* Writes the zero-size used header that ends the heap below the break. */
static inline void set_epilogue(void)
{
	struct block *end = epilogue();
	end->magic = magic_for(end, MAGIC_USED);
	end->size_flags = FLAG_USED;
}

static inline void set_footer(struct block *b)
{
	((uint32_t *)next_block(b))[-1] = block_size(b);
}

static inline uint32_t fls32(uint32_t x) /* index of the highest set bit; x != 0 */
{
	return 31u - (uint32_t)__builtin_clz(x);
}

static inline uint32_t class_of(uint32_t size)
{
	if (size < EXACT_LIMIT)
		return size >> 4;
	uint32_t top = fls32(size);
	uint32_t sub = (size >> (top - SUBCLASS_BITS)) & ((1u << SUBCLASS_BITS) - 1u);
	uint32_t c = EXACT_CLASSES + ((top - 10u) << SUBCLASS_BITS) + sub;
	return c < CLASSES ? c : CLASSES - 1;
}

static inline void list_insert(struct block *b)
{
	uint32_t c = class_of(block_size(b));
	b->prev_free = NULL;
	b->next_free = free_lists[c];
	if (free_lists[c])
		free_lists[c]->prev_free = b;
	free_lists[c] = b;
	class_bitmap[c / 32] |= 1u << (c % 32);
}

static inline void list_remove(struct block *b)
{
	uint32_t c = class_of(block_size(b));
	if (b->prev_free)
		b->prev_free->next_free = b->next_free;
	else if (!(free_lists[c] = b->next_free))
		class_bitmap[c / 32] &= ~(1u << (c % 32));
	if (b->next_free)
		b->next_free->prev_free = b->prev_free;
}

/* Marks b free (size includes the header) and tells its successor, without
 * filing it in a list. */
static inline void mark_free(struct block *b, uint32_t size, uint32_t prev_free_flag)
{
	b->magic = magic_for(b, MAGIC_FREE);
	b->size_flags = size | prev_free_flag;
	set_footer(b);
	next_block(b)->size_flags |= FLAG_PREV_FREE;
}

/* Marks b free and files it. */
static inline void make_free(struct block *b, uint32_t size, uint32_t prev_free_flag)
{
	mark_free(b, size, prev_free_flag);
	list_insert(b);
}

static bool looks_free(const struct block *b)
{
	return b->magic == magic_for(b, MAGIC_FREE);
}

/* Whether b may be taken off its list: a free header whose size stays
 * inside the heap and matches its footer, and list neighbours that are
 * block addresses pointing back at b.  b itself is checked first. */
static bool unlinkable(const struct block *b)
{
	if (!block_address_ok(b) || !looks_free(b) || (b->size_flags & FLAG_USED))
		return false;
	uint32_t size = block_size(b);
	if (size < MIN_BLOCK || size > (uintptr_t)epilogue() - (uintptr_t)b ||
	    ((const uint32_t *)((uintptr_t)b + size))[-1] != size)
		return false;
	const struct block *prev = b->prev_free, *next = b->next_free;
	if (prev ? !block_address_ok(prev) || prev->next_free != b
		 : free_lists[class_of(size)] != b)
		return false;
	return !next || (block_address_ok(next) && next->prev_free == b);
}

/* Whether a block may be filed in class c: filing writes the back link of
 * the list's first block, which must not land in a damaged header. */
static bool class_head_ok(uint32_t c)
{
	const struct block *head = free_lists[c];
	return !head || (block_address_ok(head) && looks_free(head) && !head->prev_free);
}

/* A cached block's magic also covers its size and its cache link.  A block
 * is parked only on a list of its size whose first block (or NULL) was
 * checked, so a header that still matches its magic holds a size kmalloc
 * may hand out and a link that needs no range check of its own: one
 * comparison on kmalloc's cache path.  (A 64-bit host folds the link's
 * upper half in.) */
static inline uint32_t parked_magic_of(const struct block *b, uint32_t slot,
				       const struct block *link)
{
	uint64_t v = (uintptr_t)link;
	return magic_for(b, MAGIC_QUICK) ^ slot ^ (uint32_t)(v ^ (v >> 32));
}

static inline bool is_parked(const struct block *b)
{
	return b->magic == parked_magic_of(b, block_size(b) >> 4, b->next_free);
}

/* Whether the first cached block of list `slot`, b, may be handed out: its
 * header is as parking left it.  b's own address needs no check: the
 * cache's list heads only ever hold addresses checked before they were
 * stored. */
static inline bool cached_head_ok(const struct block *b, uint32_t slot)
{
	return b->magic == parked_magic_of(b, slot, b->next_free);
}

static __attribute__((noinline)) void report_damage(const void *at, const char *what)
{
	stats.errors_detected++;
	kprintf("heap: %s at 0x%08X; left alone\n", what, (uint32_t)(uintptr_t)at);
}

/* The first non-empty class at or above c, or CLASSES. */
static inline uint32_t first_class_from(uint32_t c)
{
	for (uint32_t w = c / 32; w < CLASSES / 32; w++) {
		uint32_t bits = class_bitmap[w];
		if (w == c / 32)
			bits &= ~0u << (c % 32);
		if (bits)
			return w * 32 + (uint32_t)__builtin_ctz(bits);
	}
	return CLASSES;
}

#define FIT_WALK_LIMIT 8u /* blocks looked at in a class before a larger one */

/* The first block of at least `size` bytes among the first `limit` of class
 * c's list, or NULL.  The walk ends at a damaged block: its link is not
 * trusted. */
static struct block *first_fit_in(uint32_t c, uint32_t size, uint32_t limit)
{
	for (struct block *b = free_lists[c]; b && limit; b = b->next_free, limit--) {
		if (!unlinkable(b)) {
			report_damage(b, "damaged free block or list link");
			return NULL;
		}
		if (block_size(b) >= size)
			return b;
	}
	return NULL;
}

/* A free block of at least `size` bytes.  Every block of a class above c is
 * large enough (but for the open-ended last class), so the first sound one
 * will do; c's own list spans sizes above the exact classes, so a few of its
 * blocks are tried first, and all of them only when nothing larger is free
 * and `exhaustive` (the heap could not grow): a walk of a whole list would
 * make one kmalloc as slow as the list is long. */
static struct block *find_fit(uint32_t size, bool exhaustive)
{
	uint32_t c = class_of(size);
	struct block *b = first_fit_in(c, size, FIT_WALK_LIMIT);
	if (b)
		return b;
	for (uint32_t k = c + 1; k < CLASSES && (k = first_class_from(k)) < CLASSES; k++)
		if ((b = first_fit_in(k, size, k < CLASSES - 1 ? 1 : UINT32_MAX)))
			return b;
	return exhaustive ? first_fit_in(c, size, UINT32_MAX) : NULL;
}

/* ---- growing and shrinking ------------------------------------------------ */

/* Unmaps heap pages and frees their frames.  The VMM maps a heap frame only
 * once, so both always succeed; if one ever did not, the frame would be
 * lost, which is said here and which vm_check reports. */
static void unmap_heap_pages(uintptr_t from, uintptr_t to)
{
	for (uintptr_t va = from; va < to; va += PAGE_SIZE) {
		paddr_t pa = vmm_get_physical(va);
		int vrc = vmm_unmap_page(va);
		int prc = vrc == VMM_OK ? pmm_free_as(pa, FRAME_HEAP) : PMM_OK;
		if (vrc != VMM_OK || prc != PMM_OK) {
			stats.errors_detected++;
			kprintf("heap: page 0x%08X, frame 0x%08X not given back: %s\n",
				(uint32_t)va, pa,
				vrc != VMM_OK ? status_name(vrc) : status_name(prc));
		}
	}
}

/* Maps `pages` more pages at the break; all or nothing. */
static int map_heap_pages(uint32_t pages)
{
	if (grow_fail_countdown && --grow_fail_countdown == 0)
		return HEAP_ERR_NO_MEMORY;
	if (pages > (LAYOUT_HEAP_END - heap_break) / PAGE_SIZE)
		return HEAP_ERR_NO_MEMORY;
	for (uint32_t i = 0; i < pages; i++) {
		uintptr_t va = heap_break + i * PAGE_SIZE;
		paddr_t pa = pmm_alloc_as(FRAME_HEAP);
		if (pa == PMM_INVALID_PAGE || vmm_map_page(va, pa, PTE_WRITABLE) != VMM_OK) {
			if (pa != PMM_INVALID_PAGE)
				pmm_free_as(pa, FRAME_HEAP);
			unmap_heap_pages(heap_break, va);
			return HEAP_ERR_NO_MEMORY;
		}
	}
	stats.mapped_pages += pages;
	return HEAP_OK;
}

/* The free block just below the epilogue in *tail (NULL when the last block
 * is in use).  False, with *tail where the block would start, when its
 * footer or header is damaged: then it must not be touched. */
static bool tail_block(struct block **tail)
{
	struct block *end = epilogue();
	*tail = NULL;
	if (!(end->size_flags & FLAG_PREV_FREE))
		return true;
	uint32_t size = ((uint32_t *)end)[-1];
	*tail = (struct block *)((uintptr_t)end - size);
	return !(size & 15u) && size <= (uintptr_t)end - LAYOUT_HEAP_START && unlinkable(*tail) &&
	       block_size(*tail) == size;
}

/* Extends the heap so a block of `size` fits at its end, and returns that
 * free block (merged with a free block before it), not filed in a list: the
 * caller takes it at once.  NULL when the heap cannot grow, or when the free
 * block at its end is damaged (then nothing was mapped). */
static struct block *grow(uint32_t size)
{
	struct block *old_end = epilogue();
	struct block *tail = NULL;
	if (!tail_block(&tail)) {
		report_damage(tail, "damaged free block at the heap's end");
		return NULL;
	}
	uint32_t tail_free = tail ? block_size(tail) : 0;
	uint32_t need = size > tail_free ? size - tail_free : 0;
	uint32_t pages = (need + PAGE_SIZE - 1) / PAGE_SIZE;
	if (map_heap_pages(pages) != HEAP_OK)
		return NULL;
	heap_break += pages * PAGE_SIZE;

	/* The old epilogue becomes the header of the new space. */
	struct block *b = old_end;
	uint32_t bsize = pages * PAGE_SIZE;
	uint32_t prev_flag = 0;
	if (tail) {
		list_remove(tail);
		b = tail;
		bsize += tail_free;
		prev_flag = tail->size_flags & FLAG_PREV_FREE;
		stats.free_blocks--;
	}
	set_epilogue();
	mark_free(b, bsize, prev_flag);
	stats.free_blocks++;
	stats.free_bytes += pages * PAGE_SIZE;
	return b;
}

/* Gives back whole pages at the end, at most max_pages of them, when b is a
 * large free block (filed in its list) that sits there. */
static void maybe_shrink(struct block *b, uint32_t max_pages)
{
	if (next_block(b) != epilogue())
		return;
	uintptr_t floor = LAYOUT_HEAP_START + initial_pages * PAGE_SIZE;
	/* Keep b's header and a minimal block plus the epilogue, and some slack. */
	uintptr_t keep = ((uintptr_t)b + MIN_BLOCK + HEADER_SIZE + PAGE_SIZE - 1) &
			 ~(uintptr_t)PAGE_OFFSET_MASK;
	keep += SHRINK_SLACK_PAGES * PAGE_SIZE;
	if (keep < floor)
		keep = floor;
	if (keep >= heap_break)
		return;
	if ((heap_break - keep) / PAGE_SIZE > max_pages)
		keep = heap_break - max_pages * PAGE_SIZE;
	uint32_t smaller = (uint32_t)(keep - HEADER_SIZE - (uintptr_t)b);
	if (class_of(smaller) != class_of(block_size(b)) && !class_head_ok(class_of(smaller)))
		return; /* b could not be filed again */
	uint32_t release = (uint32_t)(heap_break - keep) / PAGE_SIZE;
	list_remove(b);
	uint32_t prev_flag = b->size_flags & FLAG_PREV_FREE;
	unmap_heap_pages(keep, heap_break);
	heap_break = keep;
	stats.mapped_pages -= release;
	stats.free_bytes -= release * PAGE_SIZE;
	set_epilogue();
	make_free(b, (uint32_t)((uintptr_t)epilogue() - (uintptr_t)b), prev_flag);
}

/* ---- public interface ---------------------------------------------------- */

int heap_init(uint32_t pages)
{
	if (pages == 0 || pages > HEAP_MAX_BYTES / PAGE_SIZE)
		return HEAP_ERR_INVALID;
	memset(free_lists, 0, sizeof(free_lists));
	memset(class_bitmap, 0, sizeof(class_bitmap));
	quick_end.next_free = NULL;
	quick_end.magic = parked_magic_of(QUICK_END, 0, NULL);
	for (uint32_t c = 0; c < QUICK_SLOTS; c++)
		quick[c] = QUICK_END;
	quick_units = 0;
	memset(&stats, 0, sizeof(stats));
	grow_fail_countdown = 0;
	alloc_fail_countdown = 0;
	quick_limit = QUICK_MAX_REQUEST;
	heap_break = LAYOUT_HEAP_START;
	int rc = map_heap_pages(pages);
	if (rc != HEAP_OK)
		return rc;
	heap_break += pages * PAGE_SIZE;
	initial_pages = pages;
	shrink_above_pages = pages + SHRINK_SLACK_PAGES;
	set_epilogue();
	struct block *first = (struct block *)LAYOUT_HEAP_START;
	make_free(first, pages * PAGE_SIZE - HEADER_SIZE, 0);
	stats.free_blocks = 1;
	stats.free_bytes = block_size(first);
	kprintf("Heap: initialized with %u page(s)\n", pages);
	return HEAP_OK;
}

static int release_block(void *ptr);

/* Parks b on cache list `slot`, its size / 16.  The list's head and the
 * budget are written first: slot is then no longer needed, and the magic is
 * computed in its register instead of in a copy of b. */
static inline void park(struct block *b, uint32_t slot)
{
	struct block *link = quick[slot];
	quick[slot] = b;
	quick_units += slot;
	b->next_free = link;
	b->magic = parked_magic_of(b, slot, link);
}

/* Moves blocks of cache list c back to the free lists, where they merge,
 * and looks at no more than max of them.  The list stops at a damaged block; a
 * block whose neighbour is damaged stays cached. */
static void drain_list(uint32_t c, uint32_t max)
{
	struct block *kept = NULL;
	for (; quick[c] != QUICK_END && max; max--) {
		struct block *b = quick[c];
		if (!cached_head_ok(b, c)) {
			report_damage(b, "damaged cached block or cache link");
			break;
		}
		quick[c] = b->next_free;
		quick_units -= c;
		/* Back to a live block for a moment, so the one free path does
		 * the merging and the accounting. */
		b->magic = magic_for(b, MAGIC_USED);
		stats.live_blocks++;
		if (release_block((uint8_t *)b + HEADER_SIZE) != HEAP_OK) {
			stats.live_blocks--;
			b->next_free = kept; /* parked again below */
			kept = b;
		}
	}
	while (kept) {
		struct block *b = kept;
		kept = b->next_free;
		park(b, block_size(b) >> 4);
	}
}

/* Returns every cached block to the free lists. */
static void drain(void)
{
	for (uint32_t c = 0; c < QUICK_SLOTS; c++)
		drain_list(c, UINT32_MAX);
}

/* A bounded share of drain(): DRAIN_BATCH blocks at most, from the
 * DRAIN_SCAN lists after the last ones looked at, so the cache empties over
 * several calls instead of all at once in one. */
static void drain_some(void)
{
	for (uint32_t n = 0; n < DRAIN_SCAN && quick_units; n++) {
		uint32_t c = drain_cursor;
		drain_cursor = (drain_cursor + 1) % QUICK_SLOTS;
		if (quick[c] != QUICK_END) {
			drain_list(c, DRAIN_BATCH);
			return;
		}
	}
}

/* Gives back at most max_pages whole free pages at the heap's end.  A
 * damaged block there is left alone (and reported by the next growth). */
static void trim(uint32_t max_pages)
{
	struct block *tail;
	if (heap_break - LAYOUT_HEAP_START > shrink_above_pages * PAGE_SIZE && tail_block(&tail) &&
	    tail)
		maybe_shrink(tail, max_pages);
}

void heap_drain_cache(void)
{
	drain();
	trim(UINT32_MAX);
}

static __attribute__((noinline)) void *alloc_general(uint32_t size)
{
	/* Before the heap grows, a few cached blocks go back to the free lists
	 * where they may merge into a fit; a few, so the call stays short:
	 * parked memory can make the heap grow, by at most the cache's budget.
	 * Only when growing fails are the whole cache drained and whole lists
	 * searched, so a kmalloc never fails while free or parked memory could
	 * serve it. */
	struct block *b = find_fit(size, false);
	if (!b && quick_units) {
		drain_some();
		b = find_fit(size, false);
	}
	if (b) {
		list_remove(b);
	} else if (!(b = grow(size))) { /* grow's block is not in a list */
		drain(); /* merges only: a kmalloc that then fails leaves the PMM alone */
		if (!(b = find_fit(size, true)))
			return NULL;
		list_remove(b);
	}
	uint32_t have = block_size(b);
	uint32_t prev_flag = b->size_flags & FLAG_PREV_FREE;
	/* The rest becomes a free block of its own, unless its list's first
	 * block is damaged: then the caller gets the whole block. */
	if (have - size >= MIN_BLOCK && class_head_ok(class_of(have - size))) {
		b->size_flags = size | prev_flag;
		make_free(next_block(b), have - size, 0);
	} else {
		size = have;
		b->size_flags = size | prev_flag;
		stats.free_blocks--;
		next_block(b)->size_flags &= ~FLAG_PREV_FREE;
	}
	b->size_flags |= FLAG_USED;
	b->magic = magic_for(b, MAGIC_USED);
	stats.free_bytes -= size;
	stats.live_blocks++;
	return (uint8_t *)b + HEADER_SIZE;
}

/* Hands out b, the first block of cache list `slot`, checked by the caller.
 * The link is read again last, after the counters: the compiler must then
 * reload it instead of keeping it in a register since the check, and the
 * cache path fits the registers a call may use freely (no stack frame). */
static inline __attribute__((always_inline)) void *unpark(struct block *b, uint32_t slot)
{
	quick_units -= slot;
	stats.live_blocks++;
	quick[slot] = b->next_free;
	b->magic = magic_for(b, MAGIC_USED);
	return (uint8_t *)b + HEADER_SIZE;
}

/* kmalloc of a cacheable size when its cache list is empty (b is QUICK_END)
 * or its first block is damaged. */
static __attribute__((noinline)) void *alloc_cache_miss(struct block *b, uint32_t slot)
{
	if (b != QUICK_END)
		report_damage(b, "damaged cached block or cache link");
	return alloc_general(slot << 4);
}

/* Everything kmalloc's cache path does not serve: n == 0, sizes above the
 * cache's, and every call while an allocation failure is armed. */
static __attribute__((noinline)) void *kmalloc_slow(size_t n)
{
	/* n - 1 wraps for n == 0: one comparison refuses both ends, and keeps
	 * the rounding below from overflowing. */
	if ((uint32_t)n - 1u >= HEAP_MAX_BYTES)
		return NULL;
	if (alloc_fail_countdown && --alloc_fail_countdown == 0) {
		quick_limit = QUICK_MAX_REQUEST;
		return NULL;
	}
	uint32_t size = ((uint32_t)n + HEADER_SIZE + 15u) & SIZE_MASK;
	if (size > QUICK_MAX_BLOCK)
		return alloc_general(size);
	uint32_t slot = size >> 4;
	struct block *b = quick[slot];
	if (!cached_head_ok(b, slot)) /* also an empty list: see quick_end */
		return alloc_cache_miss(b, slot);
	return unpark(b, slot);
}

void *kmalloc(size_t n)
{
	if ((uint32_t)n - 1u >= quick_limit)
		return kmalloc_slow(n);
	/* n >= 1, so size >= MIN_BLOCK. */
	uint32_t size = ((uint32_t)n + HEADER_SIZE + 15u) & SIZE_MASK;
	uint32_t slot = size >> 4;
	struct block *b = quick[slot];
	if (!cached_head_ok(b, slot)) /* also an empty list: see quick_end */
		return alloc_cache_miss(b, slot);
	return unpark(b, slot);
}

void *kcalloc(size_t count, size_t size)
{
	if (size && count > HEAP_MAX_BYTES / size)
		return NULL;
	void *p = kmalloc(count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

/* Whether a block starts at b, found by walking the heap from its start:
 * a bad header there is corruption, anywhere else the pointer is foreign.
 * Only error paths walk.  A broken size on the way counts as corruption. */
static bool is_block_start(const struct block *b)
{
	const struct block *at = (const struct block *)LAYOUT_HEAP_START;
	while (at < b) {
		uint32_t size = block_size(at);
		if (size < MIN_BLOCK || (uintptr_t)at + size > heap_break - HEADER_SIZE)
			return true;
		at = (const struct block *)((uintptr_t)at + size);
	}
	return at == b;
}

/* The block header behind a payload pointer, after checking it could be one. */
static int block_of(const void *ptr, struct block **out)
{
	uintptr_t p = (uintptr_t)ptr;
	if ((p & 15u) || p < LAYOUT_HEAP_START + HEADER_SIZE || p >= heap_break)
		return HEAP_ERR_INVALID;
	struct block *b = (struct block *)(p - HEADER_SIZE);
	if (b->magic == magic_for(b, MAGIC_FREE) || is_parked(b))
		return HEAP_ERR_DOUBLE_FREE;
	if (b->magic != magic_for(b, MAGIC_USED) || !(b->size_flags & FLAG_USED) ||
	    block_size(b) < MIN_BLOCK || block_size(b) > heap_break - HEADER_SIZE - (uintptr_t)b)
		return is_block_start(b) && b != epilogue() ? HEAP_ERR_CORRUPT : HEAP_ERR_INVALID;
	*out = b;
	return HEAP_OK;
}

/* The general free: checks the pointer, merges with free neighbours and files
 * the result (whole pages at the end go back through trim). */
static __attribute__((noinline)) int release_block(void *ptr)
{
	if (!ptr)
		return HEAP_OK;
	struct block *b;
	int rc = block_of(ptr, &b);
	if (rc != HEAP_OK) {
		stats.errors_detected++;
		return rc;
	}
	/* A free block before b is found through its footer, which is only
	 * trusted when it points at a free block inside the heap whose own size
	 * agrees.  If it does not, b is left live and the damage reported. */
	struct block *prev = NULL;
	if (b->size_flags & FLAG_PREV_FREE) {
		uint32_t back = ((uint32_t *)b)[-1];
		prev = (struct block *)((uintptr_t)b - back);
		if ((back & 15u) || back < MIN_BLOCK || back > (uintptr_t)b - LAYOUT_HEAP_START ||
		    !unlinkable(prev) || block_size(prev) != back) {
			stats.errors_detected++;
			return HEAP_ERR_CORRUPT;
		}
	}
	/* The same for a free block after b, and for the list the merged
	 * block goes to: all checked before anything changes. */
	struct block *next = next_block(b);
	bool merge_next = looks_free(next);
	uint32_t size = block_size(b);
	uint32_t merged =
		size + (merge_next ? block_size(next) : 0) + (prev ? block_size(prev) : 0);
	if ((merge_next && !unlinkable(next)) || !class_head_ok(class_of(merged))) {
		stats.errors_detected++;
		return HEAP_ERR_CORRUPT;
	}
	stats.free_bytes += size;
	stats.live_blocks--;
	stats.free_blocks++;

	if (merge_next) {
		list_remove(next);
		size += block_size(next);
		stats.free_blocks--;
	}
	uint32_t prev_flag = 0;
	if (prev) {
		list_remove(prev);
		size += block_size(prev);
		prev_flag = prev->size_flags & FLAG_PREV_FREE;
		b->magic = magic_for(b, MAGIC_FREE); /* a second kfree(ptr) is a double free */
		b = prev;
		stats.free_blocks--;
	}
	make_free(b, size, prev_flag);
	return HEAP_OK;
}

/* After the last live block went, while the heap is above its first size:
 * parked blocks would pin every page below them, so a few go back to the
 * free lists and a few pages at the end go back to the PMM.  The rest follows
 * over the next calls (or at once with heap_drain_cache): no single kfree
 * gives back megabytes. */
static __attribute__((noinline)) void heap_emptied(void)
{
	drain_some();
	trim(SHRINK_BATCH);
}

static inline bool grown_and_empty(void)
{
	return stats.live_blocks == 0 && stats.mapped_pages > shrink_above_pages;
}

static __attribute__((noinline)) int free_general(void *ptr)
{
	/* When the budget is spent, a few cached blocks make room for the next
	 * ones, but only for a pointer that will be freed: a refused free
	 * changes nothing. */
	struct block *b;
	if (ptr && (quick_units << 4) + QUICK_MAX_BLOCK > QUICK_MAX_BYTES &&
	    block_of(ptr, &b) == HEAP_OK)
		drain_some();
	int rc = release_block(ptr);
	if (rc == HEAP_OK && ptr) {
		if (quick_units && grown_and_empty())
			drain_some();
		trim(SHRINK_BATCH);
	}
	return rc;
}

/* The cache's side of kfree: parks a live block of a cacheable size whose
 * list has room, and says whether it did.  Anything else (every error too)
 * is left to the general path, which checks everything. */
static inline __attribute__((always_inline)) bool park_block(void *ptr)
{
	uintptr_t p = (uintptr_t)ptr;
	struct block *b = (struct block *)(p - HEADER_SIZE);
	if (p - (LAYOUT_HEAP_START + HEADER_SIZE) >=
		    heap_break - (LAYOUT_HEAP_START + HEADER_SIZE) ||
	    (p & 15u) || b->magic != magic_for(b, MAGIC_USED))
		return false;
	/* The size must be sane too: a block parked with a clobbered size would
	 * be handed out overlapping its neighbour.  One comparison checks the
	 * used flag and the size range: size_flags - (MIN_BLOCK | FLAG_USED) is
	 * even exactly when the flag is set, and rotated right by one its low
	 * bit lands on top, so a block without the flag compares as huge (as
	 * does one below MIN_BLOCK, whose difference wraps). */
	uint32_t used_from_min = b->size_flags - (MIN_BLOCK | FLAG_USED);
	if (((used_from_min >> 1) | (used_from_min << 31)) >
	    (QUICK_MAX_BLOCK + 15u - (MIN_BLOCK | FLAG_USED)) / 2u)
		return false;
	/* The block must end at or below the epilogue, 16 bytes under the
	 * break: b + size_flags is its end plus the flags (below 16), so with
	 * the break a multiple of 16 it is below the break exactly then (and
	 * it cannot wrap: the size was checked). */
	if (p - HEADER_SIZE + b->size_flags >= heap_break)
		return false;
	/* The flags sit below the 16-byte size, so this is the size / 16. */
	uint32_t slot = b->size_flags >> 4;
	if (quick_units + slot > QUICK_MAX_BYTES / 16u)
		return false;
	park(b, slot);
	if (--stats.live_blocks == 0 && grown_and_empty())
		heap_emptied();
	return true;
}

int kfree_checked(void *ptr)
{
	return park_block(ptr) ? HEAP_OK : free_general(ptr);
}

static __attribute__((noinline)) void free_and_report(void *ptr)
{
	int rc = free_general(ptr);
	if (rc != HEAP_OK)
		kprintf("heap: kfree(%p) refused: %s\n", ptr, status_name(rc));
}

void kfree(void *ptr)
{
	if (!park_block(ptr))
		free_and_report(ptr);
}

size_t ksize(const void *ptr)
{
	struct block *b;
	if (!ptr || block_of(ptr, &b) != HEAP_OK)
		return 0;
	return block_size(b) - HEADER_SIZE;
}

/* used_bytes and the cache's totals are counted here, not kept on every
 * kmalloc and kfree: the statistics are read rarely, the hot paths run all
 * the time. */
static void add_block(void *payload, size_t size, enum heap_block_state state, void *ctx)
{
	(void)payload;
	struct heap_stats *out = ctx;
	if (state == HEAP_BLOCK_USED)
		out->used_bytes += (uint32_t)size;
	if (state == HEAP_BLOCK_CACHED) {
		out->cached_blocks++;
		out->cached_bytes += (uint32_t)size + HEADER_SIZE;
	}
}

void heap_get_stats(struct heap_stats *out)
{
	*out = stats;
	out->used_bytes = out->cached_blocks = out->cached_bytes = 0;
	heap_for_each_block(add_block, out);
}

void heap_fail_nth_grow(uint32_t n)
{
	grow_fail_countdown = n;
}

void heap_fail_nth_alloc(uint32_t n)
{
	alloc_fail_countdown = n;
	quick_limit = n ? 0 : QUICK_MAX_REQUEST;
}

uint32_t heap_fail_pending(void)
{
	return alloc_fail_countdown;
}

const char *heap_block_state_name(enum heap_block_state state)
{
	switch (state) {
	case HEAP_BLOCK_USED: return "used";
	case HEAP_BLOCK_FREE: return "free";
	case HEAP_BLOCK_CACHED: return "cached";
	case HEAP_BLOCK_DAMAGED: return "damaged";
	default: return "?";
	}
}

void heap_for_each_block(void (*fn)(void *payload, size_t size, enum heap_block_state state,
				    void *ctx),
			 void *ctx)
{
	for (struct block *b = (struct block *)LAYOUT_HEAP_START; b != epilogue();
	     b = next_block(b)) {
		if (block_size(b) < MIN_BLOCK ||
		    (uintptr_t)b + block_size(b) > (uintptr_t)epilogue()) {
			kprintf("heap: block 0x%08X has a broken size; stopping the walk\n",
				(uint32_t)(uintptr_t)b);
			return;
		}
		enum heap_block_state state = HEAP_BLOCK_DAMAGED;
		if (looks_free(b))
			state = HEAP_BLOCK_FREE;
		else if (is_parked(b))
			state = HEAP_BLOCK_CACHED;
		else if (b->magic == magic_for(b, MAGIC_USED))
			state = HEAP_BLOCK_USED;
		fn((uint8_t *)b + HEADER_SIZE, block_size(b) - HEADER_SIZE, state, ctx);
	}
}

static bool check_fail(const char *what, const struct block *b)
{
	kprintf("heap_check: %s at block 0x%08X\n", what, (uint32_t)(uintptr_t)b);
	return false;
}

bool heap_check(void)
{
	uint32_t free_blocks = 0, live = 0, free_bytes = 0, cached = 0, cached_bytes = 0;
	bool prev_free = false;
	struct block *b = (struct block *)LAYOUT_HEAP_START;
	while (b != epilogue()) {
		uint32_t size = block_size(b);
		bool used = b->size_flags & FLAG_USED;
		bool parked = used && is_parked(b);
		if (b->magic != magic_for(b, used ? MAGIC_USED : MAGIC_FREE) && !parked)
			return check_fail("bad magic", b);
		if (size < MIN_BLOCK || (uintptr_t)b + size > (uintptr_t)epilogue())
			return check_fail("bad size", b);
		if (!!(b->size_flags & FLAG_PREV_FREE) != prev_free)
			return check_fail("PREV_FREE flag disagrees with the previous block", b);
		if (!used) {
			if (prev_free)
				return check_fail("two adjacent free blocks", b);
			if (((uint32_t *)next_block(b))[-1] != size)
				return check_fail("footer differs from header", b);
			free_blocks++;
			free_bytes += size;
		} else if (parked) {
			cached++;
			cached_bytes += size;
		} else {
			live++;
		}
		prev_free = !used;
		b = next_block(b);
	}
	if (!!(b->size_flags & FLAG_PREV_FREE) != prev_free)
		return check_fail("epilogue PREV_FREE flag wrong", b);
	/* The lists are followed link by link; each link is checked before it
	 * is read through (a bad one is reported at the block that holds it). */
	uint32_t listed = 0;
	for (uint32_t c = 0; c < CLASSES; c++) {
		bool bit = class_bitmap[c / 32] & (1u << (c % 32));
		if (bit != (free_lists[c] != NULL))
			return check_fail("class bitmap disagrees with its list", free_lists[c]);
		struct block *prev = NULL;
		for (struct block *f = free_lists[c]; f; prev = f, f = f->next_free) {
			if (!block_address_ok(f))
				return check_fail("free-list link points outside the heap's blocks",
						  prev);
			if (!looks_free(f) || class_of(block_size(f)) != c)
				return check_fail("listed block not free or in the wrong class", f);
			if (f->prev_free != prev)
				return check_fail("free-list back link wrong", f);
			if (++listed > free_blocks)
				return check_fail("more listed blocks than free blocks", f);
		}
	}
	uint32_t parked_listed = 0;
	for (uint32_t c = 0; c < QUICK_SLOTS; c++) {
		struct block *prev = NULL;
		for (struct block *q = quick[c]; q != QUICK_END; prev = q, q = q->next_free) {
			if (!block_address_ok(q))
				return check_fail("cache link points outside the heap's blocks",
						  prev);
			if (!is_parked(q) || block_size(q) >> 4 != c)
				return check_fail("cached block damaged or misfiled", q);
			/* Also ends the walk of a list that loops. */
			if (++parked_listed > cached)
				return check_fail("more cached blocks listed than the heap holds",
						  q);
		}
	}
	if (parked_listed != cached || cached_bytes != quick_units << 4) {
		kprintf("heap_check: %u cached blocks (%u bytes) in the heap, %u listed (%u "
			"bytes)\n",
			cached, cached_bytes, parked_listed, quick_units << 4);
		return false;
	}
	if (listed != free_blocks || free_blocks != stats.free_blocks ||
	    live != stats.live_blocks || free_bytes != stats.free_bytes) {
		kprintf("heap_check: counters: %u/%u free blocks, %u/%u free bytes, %u/%u live, %u "
			"listed\n",
			free_blocks, stats.free_blocks, free_bytes, stats.free_bytes, live,
			stats.live_blocks, listed);
		return false;
	}
	return true;
}

bool heap_test_once(void)
{
	struct heap_stats before;
	heap_get_stats(&before);
	uint8_t *a = kmalloc(24), *b = kmalloc(100), *c = kcalloc(16, 8);
	bool ok =
		a && b && c && ((uintptr_t)a & 15u) == 0 && b >= a + 24 && c[0] == 0 && c[127] == 0;
	if (ok) {
		memset(a, 0xAA, 24);
		memset(b, 0xBB, 100);
		ok = a[23] == 0xAA && b[0] == 0xBB;
	}
	kfree(b);
	kfree(a);
	kfree(c);
	ok = ok && kmalloc(0) == NULL && heap_check();
	struct heap_stats after;
	heap_get_stats(&after);
	ok = ok && after.free_blocks == before.free_blocks &&
	     after.live_blocks == before.live_blocks;
	if (!ok) {
		kprintf("Heap test: FAILED (a=%p b=%p c=%p)\n", a, b, c);
		return false;
	}
	console_writeln("Heap test: allocation/free sanity check passed");
	return true;
}
