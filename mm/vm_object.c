/* Memory objects: the frames of shared mappings, by page index
 * (include/mm/vm_object.h). */
#include "mm/vm_object.h"

#include <stddef.h>

#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define LEAF_SHIFT   10u
#define LEAF_ENTRIES (1u << LEAF_SHIFT)

static struct vm_object *live; /* circular list of every live object */
static uint32_t live_count;

void vm_object_init(void)
{
	live = NULL;
	live_count = 0;
}

struct vm_object *vm_object_create(vm_object_fill_fn fill, void *owner)
{
	struct vm_object *o = kcalloc(1, sizeof(*o));
	if (!o)
		return NULL;
	o->refs = 1;
	o->fill = fill;
	o->owner = owner;
	if (live) {
		o->next = live;
		o->prev = live->prev;
		live->prev->next = o;
		live->prev = o;
	} else {
		live = o->next = o->prev = o;
	}
	live_count++;
	return o;
}

void vm_object_get(struct vm_object *o)
{
	if (o)
		o->refs++;
}

/* The object's reference on a frame; a user frame goes with its last. */
static void drop_frame(paddr_t frame)
{
	if (pmm_unref(frame) == PMM_OK && pmm_frame_state(frame) == FRAME_USER &&
	    pmm_frame_refs(frame) == 0)
		pmm_free_as(frame, FRAME_USER);
}

static void drop_from(struct vm_object *o, uint32_t first)
{
	for (uint32_t l = first >> LEAF_SHIFT; l < o->leaves; l++) {
		paddr_t *leaf = o->leaf[l];
		if (!leaf)
			continue;
		uint32_t i = l == first >> LEAF_SHIFT ? first & (LEAF_ENTRIES - 1) : 0;
		for (; i < LEAF_ENTRIES; i++) {
			if (leaf[i]) {
				drop_frame(leaf[i]);
				leaf[i] = 0;
				o->pages--;
			}
		}
		if (!(first & (LEAF_ENTRIES - 1)) || l > first >> LEAF_SHIFT) {
			kfree(leaf);
			o->leaf[l] = NULL;
		}
	}
}

void vm_object_put(struct vm_object *o)
{
	if (!o || o->refs == 0 || --o->refs)
		return;
	drop_from(o, 0);
	kfree(o->leaf);
	if (o->next == o) {
		live = NULL;
	} else {
		o->prev->next = o->next;
		o->next->prev = o->prev;
		if (live == o)
			live = o->next;
	}
	live_count--;
	kfree(o);
}

paddr_t vm_object_lookup(const struct vm_object *o, uint32_t index)
{
	uint32_t l = index >> LEAF_SHIFT;
	if (!o || l >= o->leaves || !o->leaf[l])
		return 0;
	return o->leaf[l][index & (LEAF_ENTRIES - 1)];
}

/* The slot of page index, its leaf made when missing; NULL when no memory. */
static paddr_t *slot_of(struct vm_object *o, uint32_t index)
{
	uint32_t l = index >> LEAF_SHIFT;
	if (l >= o->leaves) {
		uint32_t n = l + 1;
		paddr_t **v = kcalloc(n, sizeof(*v));
		if (!v)
			return NULL;
		if (o->leaves)
			memcpy(v, o->leaf, o->leaves * sizeof(*v));
		kfree(o->leaf);
		o->leaf = v;
		o->leaves = n;
	}
	if (!o->leaf[l] && !(o->leaf[l] = kcalloc(LEAF_ENTRIES, sizeof(paddr_t))))
		return NULL;
	return &o->leaf[l][index & (LEAF_ENTRIES - 1)];
}

int vm_object_page(struct vm_object *o, uint32_t index, paddr_t *out)
{
	if (!o || !out || o->refs == 0)
		return VMM_ERR_INVALID;
	paddr_t *slot = slot_of(o, index);
	if (!slot)
		return VMM_ERR_NO_MEMORY;
	if (!*slot) {
		paddr_t frame = pmm_alloc_as(FRAME_USER);
		if (frame == PMM_INVALID_PAGE)
			return VMM_ERR_NO_MEMORY;
		if (o->fill)
			o->fill(o->owner, index, frame);
		else
			arch_zero_frame(frame);
		pmm_ref(frame);
		*slot = frame;
		o->pages++;
	}
	*out = *slot;
	return VMM_OK;
}

void vm_object_truncate(struct vm_object *o, uint32_t first)
{
	if (o)
		drop_from(o, first);
}

void vm_object_for_each_frame(vm_object_frame_fn fn, void *ctx)
{
	struct vm_object *o = live;
	if (!o)
		return;
	do {
		for (uint32_t l = 0; l < o->leaves; l++) {
			if (!o->leaf[l])
				continue;
			for (uint32_t i = 0; i < LEAF_ENTRIES; i++)
				if (o->leaf[l][i] && !fn(o->leaf[l][i], ctx))
					return;
		}
		o = o->next;
	} while (o != live);
}

uint32_t vm_object_count(void)
{
	return live_count;
}
