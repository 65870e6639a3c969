/* The kernel heap: kmalloc/kcalloc/kfree over the virtual region
 * [LAYOUT_HEAP_START, LAYOUT_HEAP_END), grown page by page with frames mapped
 * through the VMM and shrunk, a few pages per call, when whole free pages sit
 * at its end. */
#ifndef MM_HEAP_H
#define MM_HEAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/status.h"

#define HEAP_ALIGN 16u

/* The heap's names for the kernel's statuses (lib/status.h). */
enum heap_status {
	HEAP_OK = ST_OK,
	HEAP_ERR_INVALID = ST_INVALID, /* not a pointer the heap gave out */
	HEAP_ERR_DOUBLE_FREE = ST_DOUBLE_FREE,
	HEAP_ERR_CORRUPT = ST_CORRUPT, /* a header or footer was overwritten */
	HEAP_ERR_NO_MEMORY = ST_NO_MEMORY,
};

struct heap_stats {
	uint32_t mapped_pages;
	uint32_t used_bytes; /* payload bytes of live blocks */
	uint32_t free_bytes; /* whole blocks in the free lists */
	uint32_t live_blocks;
	uint32_t free_blocks;
	uint32_t cached_blocks;	  /* freed, parked in the free cache: neither live nor free */
	uint32_t cached_bytes;	  /* whole blocks in the cache */
	uint32_t errors_detected; /* bad frees and corruption reported so far */
};

/* What a block is, for heap_for_each_block. */
enum heap_block_state {
	HEAP_BLOCK_USED,
	HEAP_BLOCK_FREE,
	HEAP_BLOCK_CACHED,  /* freed into the free cache, handed out again first */
	HEAP_BLOCK_DAMAGED, /* its header matches none of the above: overwritten */
};

/* Maps the first `pages` pages and starts an empty heap; called once at boot
 * (host tests call it again on a freshly booted VMM).  HEAP_OK or a status. */
int heap_init(uint32_t pages);
void *kmalloc(size_t size);
void *kcalloc(size_t count, size_t size);
void kfree(void *ptr);
/* kfree with a status instead of a console report. */
int kfree_checked(void *ptr);
/* The usable size of a live block, or 0 for anything else. */
size_t ksize(const void *ptr);

void heap_get_stats(struct heap_stats *out);
/* Moves every block the free cache holds back to the free lists, where it
 * merges with free neighbours, then gives every whole free page at the end
 * back to the PMM.  kmalloc and kfree do the same a few blocks and pages at
 * a time, so that none of them takes long; this does it all at once. */
void heap_drain_cache(void);
/* Walks every block, checking headers, footers, lists and counters. */
bool heap_check(void);
/* Calls fn for every block in address order (the monitor's `heap`). */
void heap_for_each_block(void (*fn)(void *payload, size_t size, enum heap_block_state state,
				    void *ctx),
			 void *ctx);
const char *heap_block_state_name(enum heap_block_state state);
/* Fault injection: the n-th heap growth from now fails; 0 turns it off. */
void heap_fail_nth_grow(uint32_t n);
/* Fault injection: the n-th kmalloc (or kcalloc) from now returns NULL,
 * whether or not the heap had room; 0 turns it off.  heap_fail_pending():
 * calls still to come before it (0: none armed, or it happened). */
void heap_fail_nth_alloc(uint32_t n);
uint32_t heap_fail_pending(void);

/* The boot self-test; returns false on failure. */
bool heap_test_once(void);

#endif
