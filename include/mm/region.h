/* Regions: what the user part of an address space may hold.  A region says
 * what a page may be (protection, private or shared, anonymous or a file and
 * a page of it, growing down or not); the page tables say what it is now.  A
 * page fault is resolved by asking the region (mm/fault.c).
 *
 * A space keeps its regions in one array sorted by address, so finding the
 * region of an address is a binary search (plus a one-entry cache: faults
 * come in runs), and splitting or merging moves the entries above. */
#ifndef MM_REGION_H
#define MM_REGION_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/types.h"

#define REGION_READ	 0x1u /* the values of Linux's PROT_* */
#define REGION_WRITE	 0x2u
#define REGION_EXEC	 0x4u
#define REGION_PROT_MASK 0x7u

#define REGION_SHARED	 0x010u /* writes reach the backing, and other sharers */
#define REGION_GROWSDOWN 0x020u /* the stack: faults below it extend it */
#define REGION_BSS_TAIL	 0x040u /* file bytes past file_end read as zero, no SIGBUS */
#define REGION_NO_WRITE	 0x080u /* shared, of a read-only fd: mprotect refuses PROT_WRITE */

struct file_backing; /* kernel/fs: reads the pages of a file */
struct vm_object;    /* mm/vm_object.h: the pages of a shared mapping */

struct region {
	vaddr_t start, end;	   /* [start, end), page-aligned */
	uint32_t flags;		   /* REGION_* */
	struct file_backing *file; /* NULL: anonymous */
	struct vm_object *object;  /* the pages every sharer sees (shared mappings,
				      and private ones of a file that can change) */
	/* The page index in the file (or object) of start, as mmap2 takes it:
	 * a byte offset would not fit 32 bits from 4 GiB on.  mm_mmap refuses
	 * a mapping when pgoff plus its pages passes 2^32 - 1, and a region
	 * only narrows after that, so that sum never wraps. */
	uint32_t pgoff;
	uint32_t file_end; /* file offset where the file's bytes end (files stay below 4 GiB) */
};

/* The page index in r's file (or object) of the page holding va; at r->end,
 * of the page that would follow r. */
static inline uint32_t region_page_index(const struct region *r, vaddr_t va)
{
	return r->pgoff + ((va - r->start) >> PAGE_SHIFT);
}

struct region_set {
	struct region *v; /* kmalloc'd, sorted by start, never overlapping */
	uint32_t count, capacity;
	uint32_t last; /* index of the last region found */
};

struct region *region_find(struct region_set *set, vaddr_t va);
/* The first region that ends above va, or NULL. */
struct region *region_next(struct region_set *set, vaddr_t va);
/* Makes room for `extra` more regions, so the edits that follow cannot fail
 * for want of memory.  VMM_ERR_NO_MEMORY when the array cannot grow. */
int region_reserve(struct region_set *set, uint32_t extra);
/* Inserts r, which must not overlap any region.  VMM_ERR_NO_MEMORY when the
 * array cannot grow; merges with equal neighbours. */
int region_insert(struct region_set *set, const struct region *r);
/* Removes [start, end) from every region it touches, splitting at the edges.
 * VMM_ERR_NO_MEMORY (nothing changed) when a split finds no room. */
int region_remove(struct region_set *set, vaddr_t start, vaddr_t end);
/* Sets the protection of [start, end), splitting and merging. */
int region_protect(struct region_set *set, vaddr_t start, vaddr_t end, uint32_t prot);
/* Whether [start, end) is covered by regions without a gap. */
bool region_covered(struct region_set *set, vaddr_t start, vaddr_t end);
int region_copy(struct region_set *dst, const struct region_set *src);
void region_clear(struct region_set *set);

#endif
