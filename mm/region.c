/* The regions of an address space, kept sorted in one growable array. */
#include "mm/region.h"

#include <stddef.h>

#include "lib/string.h"
#include "mm/file_backing.h"
#include "mm/heap.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"

#define MIN_CAPACITY 8u

/* Index of the first region whose end lies above va (count if none). */
static uint32_t first_ending_above(const struct region_set *set, vaddr_t va)
{
	uint32_t lo = 0, hi = set->count;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (set->v[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct region *region_find(struct region_set *set, vaddr_t va)
{
	if (set->last < set->count) {
		struct region *r = &set->v[set->last];
		if (va >= r->start && va < r->end)
			return r;
	}
	uint32_t i = first_ending_above(set, va);
	if (i == set->count || set->v[i].start > va)
		return NULL;
	set->last = i;
	return &set->v[i];
}

struct region *region_next(struct region_set *set, vaddr_t va)
{
	uint32_t i = first_ending_above(set, va);
	return i < set->count ? &set->v[i] : NULL;
}

static bool reserve(struct region_set *set, uint32_t extra)
{
	if (set->count + extra <= set->capacity)
		return true;
	uint32_t cap = set->capacity ? set->capacity : MIN_CAPACITY;
	while (cap < set->count + extra)
		cap *= 2;
	struct region *v = kmalloc(cap * sizeof(*v));
	if (!v)
		return false;
	if (set->count)
		memcpy(v, set->v, set->count * sizeof(*v));
	if (set->v)
		kfree(set->v);
	set->v = v;
	set->capacity = cap;
	return true;
}

int region_reserve(struct region_set *set, uint32_t extra)
{
	return reserve(set, extra) ? VMM_OK : VMM_ERR_NO_MEMORY;
}

/* a then b (adjacent) describe one region when joined. */
static bool mergeable(const struct region *a, const struct region *b)
{
	if (a->end != b->start || a->flags != b->flags || a->file != b->file ||
	    a->object != b->object)
		return false;
	return (!a->file && !a->object) ||
	       (region_page_index(a, a->end) == b->pgoff && a->file_end == b->file_end);
}

/* Every entry holds one reference on its file and one on its object. */
static void hold(const struct region *r)
{
	file_backing_get(r->file);
	vm_object_get(r->object);
}

static void release(const struct region *r)
{
	file_backing_put(r->file);
	vm_object_put(r->object);
}

static void remove_at(struct region_set *set, uint32_t i)
{
	release(&set->v[i]);
	memmove(&set->v[i], &set->v[i + 1], (set->count - i - 1) * sizeof(*set->v));
	set->count--;
}

/* Joins region i with its neighbours where they describe one region. */
static void merge_around(struct region_set *set, uint32_t i)
{
	if (i + 1 < set->count && mergeable(&set->v[i], &set->v[i + 1])) {
		set->v[i].end = set->v[i + 1].end;
		remove_at(set, i + 1);
	}
	if (i > 0 && mergeable(&set->v[i - 1], &set->v[i])) {
		set->v[i - 1].end = set->v[i].end;
		remove_at(set, i);
	}
	set->last = 0;
}

int region_insert(struct region_set *set, const struct region *r)
{
	if (r->start >= r->end || !page_aligned(r->start | r->end))
		return VMM_ERR_INVALID;
	uint32_t i = first_ending_above(set, r->start);
	if (i < set->count && set->v[i].start < r->end)
		return VMM_ERR_ALREADY_MAPPED;
	if (!reserve(set, 1))
		return VMM_ERR_NO_MEMORY;
	memmove(&set->v[i + 1], &set->v[i], (set->count - i) * sizeof(*set->v));
	set->v[i] = *r;
	hold(r);
	set->count++;
	merge_around(set, i);
	return VMM_OK;
}

/* Cuts region i in two at va (strictly inside it); needs one free slot. */
static void split_at(struct region_set *set, uint32_t i, vaddr_t va)
{
	memmove(&set->v[i + 1], &set->v[i], (set->count - i) * sizeof(*set->v));
	set->count++;
	struct region *lo = &set->v[i], *hi = &set->v[i + 1];
	hold(hi);
	lo->end = va;
	if (hi->file || hi->object)
		hi->pgoff = region_page_index(hi, va);
	hi->start = va;
}

/* Splits so that start and end fall on region boundaries.  All or nothing. */
static int split_edges(struct region_set *set, vaddr_t start, vaddr_t end)
{
	if (!reserve(set, 2))
		return VMM_ERR_NO_MEMORY;
	struct region *r = region_find(set, start);
	if (r && r->start < start)
		split_at(set, (uint32_t)(r - set->v), start);
	r = region_find(set, end - 1);
	if (r && r->end > end)
		split_at(set, (uint32_t)(r - set->v), end);
	set->last = 0;
	return VMM_OK;
}

/* The regions [*i, *j) that meet [start, end). */
static void regions_within(const struct region_set *set, vaddr_t start, vaddr_t end, uint32_t *i,
			   uint32_t *j)
{
	*i = *j = first_ending_above(set, start);
	while (*j < set->count && set->v[*j].start < end)
		++*j;
}

int region_remove(struct region_set *set, vaddr_t start, vaddr_t end)
{
	if (start >= end)
		return VMM_OK;
	uint32_t i, j;
	regions_within(set, start, end, &i, &j);
	/* Only a region across an edge needs splitting, and room for it:
	 * munmap of whole regions (the usual one) searches once. */
	if (j > i && (set->v[i].start < start || set->v[j - 1].end > end)) {
		int rc = split_edges(set, start, end);
		if (rc != VMM_OK)
			return rc;
		regions_within(set, start, end, &i, &j);
	}
	for (uint32_t k = i; k < j; k++)
		release(&set->v[k]);
	memmove(&set->v[i], &set->v[j], (set->count - j) * sizeof(*set->v));
	set->count -= j - i;
	set->last = 0;
	return VMM_OK;
}

int region_protect(struct region_set *set, vaddr_t start, vaddr_t end, uint32_t prot)
{
	int rc = split_edges(set, start, end);
	if (rc != VMM_OK)
		return rc;
	for (uint32_t i = first_ending_above(set, start); i < set->count && set->v[i].start < end;
	     i++)
		set->v[i].flags = (set->v[i].flags & ~REGION_PROT_MASK) | (prot & REGION_PROT_MASK);
	/* Merge from the top so indices below stay valid. */
	for (uint32_t i = set->count; i-- > 0;)
		if (set->v[i].start < end + PAGE_SIZE && set->v[i].end + PAGE_SIZE > start)
			merge_around(set, i < set->count ? i : set->count - 1);
	return VMM_OK;
}

bool region_covered(struct region_set *set, vaddr_t start, vaddr_t end)
{
	vaddr_t at = start;
	for (uint32_t i = first_ending_above(set, start); at < end; i++) {
		if (i == set->count || set->v[i].start > at)
			return false;
		at = set->v[i].end;
	}
	return true;
}

int region_copy(struct region_set *dst, const struct region_set *src)
{
	region_clear(dst);
	if (!src->count)
		return VMM_OK;
	if (!reserve(dst, src->count))
		return VMM_ERR_NO_MEMORY;
	memcpy(dst->v, src->v, src->count * sizeof(*src->v));
	dst->count = src->count;
	for (uint32_t i = 0; i < dst->count; i++)
		hold(&dst->v[i]);
	return VMM_OK;
}

void region_clear(struct region_set *set)
{
	for (uint32_t i = 0; i < set->count; i++)
		release(&set->v[i]);
	if (set->v)
		kfree(set->v);
	*set = (struct region_set){0};
}
