/* Shared between the model's files (model_core.c, model_vm_ops.c,
 * model_heap_ops.c); nothing outside them includes it. */
#ifndef TESTS_HOST_MODEL_INTERNAL_H
#define TESTS_HOST_MODEL_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/mmu.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "model_mm.h"
#include "model_trace.h"

/* A small machine, so that running out of frames is an everyday event. */
#define MODEL_RAM_BYTES	 (24u << 20)
#define MODEL_FRAMES	 (MODEL_RAM_BYTES / PAGE_SIZE)
#define MODEL_HEAP_PAGES 4u

/* The scratch window the VMM operations work in: a few page tables' worth,
 * so tables are created and freed all the time. */
#define WINDOW_BASE    LAYOUT_TEST_SCRATCH
#define WINDOW_REGIONS 3u
#define REGION_PAGES   PT_ENTRIES
#define REGION_BYTES   (REGION_PAGES * PAGE_SIZE)
#define WINDOW_PAGES   (WINDOW_REGIONS * REGION_PAGES)

#define MAX_BLOCKS 768u /* live heap blocks (heap_get_stats walks them all) */
#define FREED_KEPT 32u	/* freed frames / pointers remembered for double frees */

/* Every status as one bit of a set of accepted results: VMM, PMM and heap
 * statuses are 0 or small negative numbers. */
#define ST(status) (1u << (uint32_t)(-(status)))

enum op_kind {
	OP_MAP,
	OP_UNMAP,
	OP_PROTECT,
	OP_TRANSLATE,
	OP_QUERY,
	OP_MAP_RANGE,
	OP_UNMAP_RANGE,
	OP_ALLOC_RANGE,
	OP_FREE_RANGE,
	OP_PMM_ALLOC,
	OP_PMM_FREE,
	OP_PMM_PIN,
	OP_KMALLOC,
	OP_KCALLOC,
	OP_KFREE,
	OP_KFREE_BAD,
	OP_INJECT,
	OP_KINDS
};

/* The operation mix.  A run drifts between moods so the system sees long
 * stretches of growth (until frames or heap run out) and of draining, not
 * just a steady state with a little of everything. */
enum mood { MOOD_BALANCED, MOOD_GROW, MOOD_SHRINK, MOODS };

struct window_page {
	paddr_t pa;
	uint32_t flags;	   /* as passed, without PTE_PRESENT */
	uint32_t list_pos; /* index in model.mapped_list while mapped */
	bool mapped;
};

struct block {
	uint8_t *ptr;
	uint32_t size;
	uint32_t id;
};

struct model {
	struct model_trace trace;
	uint32_t mood;

	/* The window: what each page maps, and a list of the mapped ones. */
	struct window_page page[WINDOW_PAGES];
	uint32_t mapped_list[WINDOW_PAGES];
	uint32_t window_mapped;
	uint32_t region_maps[WINDOW_REGIONS];

	/* Frames: who owns each (0, FRAME_ALLOCATED or FRAME_HEAP) and how many
	 * window PTEs point at it, for every frame of RAM. */
	uint8_t owner[MODEL_FRAMES];
	uint32_t maps[MODEL_FRAMES];
	pfn_t owned[MODEL_FRAMES];
	uint32_t owned_pos[MODEL_FRAMES];
	uint32_t owned_count;
	pfn_t freed[FREED_KEPT];
	uint32_t freed_total;

	/* The heap: live blocks, and pointers given back. */
	struct block block[MAX_BLOCKS];
	uint32_t block_count;
	uint32_t next_id;
	uint8_t *stale[FREED_KEPT]; /* freed some time ago */
	uint32_t stale_total;
	uint8_t *just_freed[FREED_KEPT]; /* freed since the last kmalloc */
	uint32_t just_freed_count;

	/* Counts right after boot, before the first operation. */
	uint32_t free0, mapped0, tables0, heap_pages0;
};

/* --- model_core.c ------------------------------------------------------ */

/* Checks a status against the accepted set; counts refusals. */
void expect_status(struct model *m, const char *what, int got, uint32_t accepted);

/* The heap's mapped pages, from its page tables' counts. */
uint32_t heap_pages_now(void);
uint32_t expected_free(const struct model *m);
uint32_t expected_mapped(const struct model *m);
uint32_t expected_tables(const struct model *m);

vaddr_t window_va(uint32_t page);
uint32_t region_of(uint32_t page);

/* Bookkeeping of the model itself (no calls into mm/). */
void model_note_map(struct model *m, uint32_t page, paddr_t pa, uint32_t flags);
void model_note_unmap(struct model *m, uint32_t page);
void model_own(struct model *m, paddr_t pa, uint8_t owner);
void model_disown(struct model *m, paddr_t pa);
bool model_owns(const struct model *m, paddr_t pa);
/* Whether pa is the frame of a present PDE other than the recursive slot
 * (read from the fake directory). */
bool model_is_table_frame(paddr_t pa);
/* Compares window pages [first, first + pages) with the fake MMU's walk. */
void check_window_pages(struct model *m, uint32_t first, uint32_t pages);

/* --- model_vm_ops.c ------------------------------------------------------ */

void op_map(struct model *m);
void op_unmap(struct model *m);
void op_protect(struct model *m);
void op_translate(struct model *m);
void op_query(struct model *m);
void op_map_range(struct model *m);
void op_unmap_range(struct model *m);
void op_alloc_range(struct model *m);
void op_free_range(struct model *m);
void op_pmm_alloc(struct model *m);
void op_pmm_free(struct model *m);
void op_pmm_pin(struct model *m);
void op_inject_vm(struct model *m);
/* Unmaps every window page and frees every owned frame (the final phase). */
void release_all_frames(struct model *m);

/* --- model_heap_ops.c ---------------------------------------------------- */

void op_kmalloc(struct model *m);
void op_kcalloc(struct model *m);
void op_kfree(struct model *m);
void op_kfree_bad(struct model *m);
void op_inject_heap(struct model *m);
/* Every live block still holds its pattern. */
void check_blocks(struct model *m);
void release_all_blocks(struct model *m);

#endif
