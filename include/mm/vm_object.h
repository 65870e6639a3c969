/* Memory objects: pages that every mapping of them sees as one memory.
 *
 * A MAP_SHARED mapping is not a range of frames of one space but a window
 * onto an object: the memory of one shared anonymous mmap (whatever forks,
 * splits or partial munmaps follow), or a file's data pages.  The object
 * holds its frames by page index, one reference on each, so a fault in any
 * space that maps page i finds the same frame, and a frame outlives every
 * PTE that maps it for as long as the object keeps it.
 *
 * Counted references (each region that maps the object, and an owner such
 * as the file whose pages these are) keep it alive; the last put returns
 * every frame.  Frames are kept in leaves of 1024 entries (4 MiB of pages
 * each) made on first use, so a large, sparsely touched mapping costs only
 * the leaves it touches. */
#ifndef MM_VM_OBJECT_H
#define MM_VM_OBJECT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/types.h"

struct vm_object;
/* Fills a page the object never had (frame is new, not yet mapped); without
 * it new pages are zero. */
typedef void (*vm_object_fill_fn)(void *owner, uint32_t index, paddr_t frame);

struct vm_object {
	uint32_t refs;
	uint32_t pages;	 /* frames held now */
	uint32_t leaves; /* length of leaf[] */
	paddr_t **leaf;	 /* leaf[i / 1024][i % 1024]: the frame of page i, 0 for none */
	vm_object_fill_fn fill;
	void *owner;
	struct vm_object *next, *prev; /* every live object, for vm_check */
};

/* Forgets every object (boot, and the host tests' fresh machines). */
void vm_object_init(void);
/* A new empty object with one reference (the caller's); NULL when no memory. */
struct vm_object *vm_object_create(vm_object_fill_fn fill, void *owner);
void vm_object_get(struct vm_object *o);
/* Drops a reference; the last one frees every frame and the object. */
void vm_object_put(struct vm_object *o);
/* The frame of page index, or 0 when the object has none there. */
paddr_t vm_object_lookup(const struct vm_object *o, uint32_t index);
/* The frame of page index, made (zeroed or filled) when there was none:
 * VMM_OK, VMM_ERR_INVALID, VMM_ERR_NO_MEMORY (nothing changed). */
int vm_object_page(struct vm_object *o, uint32_t index, paddr_t *out);
/* Drops every page from index `first` on.  PTEs that map them keep their
 * frames: mm_object_truncate (mm/mmap.h) unmaps those first. */
void vm_object_truncate(struct vm_object *o, uint32_t first);

/* Every frame every live object holds, in a fixed order; fn returning false
 * stops the walk.  For vm_check, which counts these references. */
typedef bool (*vm_object_frame_fn)(paddr_t frame, void *ctx);
void vm_object_for_each_frame(vm_object_frame_fn fn, void *ctx);
/* Live objects (tests: the last region going frees its object). */
uint32_t vm_object_count(void);

#endif
