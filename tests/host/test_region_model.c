/* Model-based random tests of regions, demand paging and copy on write.
 *
 * Each cmocka test is one seed: a fresh memory system on the fake machine,
 * up to MAX_SPACES address spaces, OPS_PER_SEED random operations on them --
 * mmap (anonymous, private or shared, fixed, with a hint or without), munmap,
 * mprotect, brk, fork (aspace_clone), exit (aspace_destroy), a new space, a
 * read and a write of a user page -- good and bad arguments alike, some with
 * a frame allocation made to fail.  Every result is compared with a model of
 * what each page of each space must be: in a region or not, its protection,
 * private or shared, and what it holds.  What a page holds is a "cell": a
 * value and the pages that share it.  A fork shares every cell, a write to a
 * private page whose cell is shared takes a cell of its own (copy on write),
 * and a write to a shared page changes the cell for every sharer.  A shared
 * mapping is an object: its pages' cells by page index, held (one frame
 * reference each) until the last page that maps the object goes, so a page
 * first touched after a fork, in any space, finds the cell another made.
 *
 * There is no MMU on the host: an access looks at the PTE as the CPU would
 * (present, user, writable for a write), and where the CPU would fault it
 * calls mm_resolve_fault() as the page-fault handler does, then reads or
 * writes the frame through the fake machine's RAM.
 *
 * Every FULL_CHECK_EVERY operations vm_check() runs and every page of every
 * space is compared with the model: its region, its PTE, its frame (one per
 * cell, holding the cell's value), the frame's reference count (the pages
 * sharing the cell).  At the end every space is destroyed and every user
 * frame must be back.
 *
 * Not modelled: file mappings (mm/fault.c fills a file page through its user
 * address, which only the real MMU can reach) and stack growth.
 *
 * Reproducing: TOYIX_SEED=N [TOYIX_OPS=M] [TOYIX_TRACE=1]
 * build/host/test_region_model replays seed N; a failing seed is cut down to
 * its shortest failing prefix (tests/host/model_runner.c, docs/reliability.md).
 */
// HOST_LINK: mm/pmm_stats.c mm/pmm_names.c mm/pmm_inject.c mm/pmm_check.c mm/pmm_selftest.c
// HOST_LINK: tests/host/mm_fixture.c tests/host/model_runner.c tests/host/model_trace.c
// HOST_LINK: mm/memmap.c mm/pmm.c mm/vmm.c mm/aspace.c mm/region.c mm/heap.c mm/vm_check.c mm/vm_object.c
// HOST_LINK: mm/fault.c mm/mmap.c
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "mm/aspace.h"
#include "mm/fault.h"
#include "mm/heap.h"
#include "mm/mmap.h"
#include "mm/pmm.h"
#include "mm/region.h"
#include "mm/vm_check.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"
#include "mm_fixture.h"
#include "model_trace.h"
#include "model_runner.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"

#define OPS_PER_SEED	 125000u
#define FULL_CHECK_EVERY 100u
#define RAM_BYTES	 (16u << 20)
#define RAM_FRAMES	 (RAM_BYTES / PAGE_SIZE)
#define HEAP_PAGES	 8u

/* The pages the model follows: 2 MiB across a page-table boundary, so
 * tables come and go.  A PROT_NONE region below it in every space keeps
 * mmap's search inside it (mmap_base is its top). */
#define WIN_BASE      (LAYOUT_USER_START + (3u << 20))
#define WIN_PAGES     512u
#define WIN_END	      (WIN_BASE + WIN_PAGES * PAGE_SIZE)
#define IMAGE_END     (WIN_BASE + 384u * PAGE_SIZE + 123u) /* the break starts above it */
#define MAX_SPACES    5u
#define MAX_CELLS     (RAM_FRAMES + 1u)		    /* one per user frame; cell 0: none */
#define MAX_OBJECTS   (MAX_SPACES * WIN_PAGES + 1u) /* each mapped by a page; 0: none */
#define MAX_OBJ_PAGES 96u			    /* the largest mmap the model makes */
#define LAST_WORD     (PAGE_SIZE / 4u - 1u)

#define ACCESS_STILL_FAULTS 99 /* resolved, yet the PTE still refuses the access */

struct cell {
	uint32_t value; /* at the first and the last word of its frame */
	uint32_t refs;	/* pages holding it, in all spaces */
	bool held;	/* a shared object's page: one more reference, the object's */
	paddr_t frame;
};

struct mpage {
	uint8_t mapped; /* inside a region */
	uint8_t prot;	/* REGION_READ | REGION_WRITE | REGION_EXEC */
	uint8_t shared;
	uint32_t cell;	 /* 0: not present (never touched here), no frame */
	uint32_t object; /* shared: the object, and the page's index in it */
	uint32_t index;
};

/* A shared anonymous mapping's memory: alive while a mapped page names it. */
struct mobject {
	uint32_t pages; /* mapped model pages naming it, in all spaces */
	uint32_t cell[MAX_OBJ_PAGES];
};

struct mspace {
	struct aspace *as;
	uint32_t id; /* for the trace */
	vaddr_t brk;
	struct mpage page[WIN_PAGES];
};

struct region_coverage {
	uint64_t ops, reads, writes, refused, cow_copies, forks, exits, injected_failures,
		full_checks;
};

struct rmodel {
	struct model_trace trace;
	bool armed;
	struct region_coverage cov;

	struct mspace space[MAX_SPACES];
	uint32_t live, next_id;
	struct cell cell[MAX_CELLS];
	uint32_t free_cell[MAX_CELLS];
	uint32_t free_cells;
	struct mobject object[MAX_OBJECTS];
	uint32_t free_object[MAX_OBJECTS];
	uint32_t free_objects;
	uint32_t frame_cell[RAM_FRAMES]; /* full check: the cell seen in each frame */
	uint32_t frames0;		 /* free + page tables + heap frames at boot */
};

static struct region_coverage last_run, total;

/* --- the model's bookkeeping ----------------------------------------------- */

static vaddr_t page_va(uint32_t p)
{
	return WIN_BASE + p * PAGE_SIZE;
}

static uint32_t new_cell(struct rmodel *m, uint32_t value, paddr_t frame)
{
	uint32_t c = m->free_cell[--m->free_cells];
	m->cell[c] = (struct cell){.value = value, .refs = 1, .frame = frame};
	return c;
}

static void drop_cell(struct rmodel *m, struct mpage *pg)
{
	if (pg->cell && --m->cell[pg->cell].refs == 0 && !m->cell[pg->cell].held)
		m->free_cell[m->free_cells++] = pg->cell;
	pg->cell = 0;
}

static uint32_t new_object(struct rmodel *m, uint32_t pages)
{
	uint32_t o = m->free_object[--m->free_objects];
	memset(&m->object[o], 0, sizeof(m->object[o]));
	m->object[o].pages = pages;
	return o;
}

/* A page no longer names its object; the last one frees the object and
 * every cell it held that no page maps. */
static void drop_object(struct rmodel *m, struct mpage *pg)
{
	struct mobject *o = &m->object[pg->object];
	if (!pg->object || --o->pages)
		return;
	for (uint32_t i = 0; i < MAX_OBJ_PAGES; i++) {
		struct cell *c = &m->cell[o->cell[i]];
		if (!o->cell[i])
			continue;
		c->held = false;
		if (!c->refs)
			m->free_cell[m->free_cells++] = o->cell[i];
	}
	m->free_object[m->free_objects++] = pg->object;
}

static void unmap_model(struct rmodel *m, struct mspace *s, uint32_t first, uint32_t pages)
{
	for (uint32_t p = first; p < first + pages; p++) {
		drop_cell(m, &s->page[p]);
		drop_object(m, &s->page[p]);
		s->page[p] = (struct mpage){0};
	}
}

/* The cell a shared page's first touch in this space finds: the one its
 * object holds, or a new one the object now holds. */
static uint32_t object_cell(struct rmodel *m, const struct mpage *pg, uint32_t value, paddr_t frame)
{
	uint32_t *slot = &m->object[pg->object].cell[pg->index];
	if (*slot) {
		m->cell[*slot].refs++;
	} else {
		*slot = new_cell(m, value, frame);
		m->cell[*slot].held = true;
	}
	return *slot;
}

/* A shared page's fault that failed for want of memory may still have
 * given the object its page (the frame came, the page table did not): a
 * zero page the object keeps, which the model takes in as it finds it. */
static void object_kept_page(struct rmodel *m, struct mspace *s, uint32_t p)
{
	const struct mpage *pg = &s->page[p];
	uint32_t *slot = &m->object[pg->object].cell[pg->index];
	const struct region *r = region_find(&s->as->regions, page_va(p));
	paddr_t frame = r && r->object ? vm_object_lookup(r->object, pg->index) : 0;
	if (!*slot && frame) {
		*slot = new_cell(m, 0, frame);
		m->cell[*slot].refs = 0;
		m->cell[*slot].held = true;
	}
}

static bool range_free(const struct mspace *s, uint32_t first, uint32_t pages)
{
	for (uint32_t p = first; p < first + pages; p++)
		if (s->page[p].mapped)
			return false;
	return true;
}

/* Where mmap without a usable hint must put `pages`: the highest free run
 * below the top of the window, or -1. */
static int64_t highest_gap(const struct mspace *s, uint32_t pages)
{
	for (uint32_t first = WIN_PAGES - pages + 1; first-- > 0;)
		if (range_free(s, first, pages))
			return first;
	return -1;
}

/* Arms a frame allocation failure for the next call, now and then: its
 * failure is then acceptable, and must change nothing. */
static void maybe_inject(struct rmodel *m)
{
	m->armed = rng_percent(&m->trace, 4);
	if (m->armed)
		pmm_fail_nth_alloc(1 + rng_below(&m->trace, 3));
}

static bool refused_by_injection(struct rmodel *m)
{
	if (m->armed)
		m->cov.injected_failures++;
	return m->armed;
}

static struct mspace *pick_space(struct rmodel *m)
{
	return &m->space[rng_below(&m->trace, m->live)];
}

/* Mostly a page in a region, so accesses reach the interesting cases. */
static uint32_t pick_page(struct rmodel *m, const struct mspace *s)
{
	uint32_t p = rng_below(&m->trace, WIN_PAGES);
	for (int tries = 0; tries < 8 && !s->page[p].mapped && rng_percent(&m->trace, 90); tries++)
		p = rng_below(&m->trace, WIN_PAGES);
	return p;
}

static uint32_t *frame_words(paddr_t frame)
{
	return fake_phys(frame, PAGE_SIZE);
}

/* --- accesses as the CPU and the page-fault handler make them -------------- */

static bool pte_allows(struct aspace *as, vaddr_t va, bool write, paddr_t *frame)
{
	paddr_t pa;
	uint32_t flags;
	if (vmm_query_in(as, va, &pa, &flags) != VMM_OK)
		return false;
	if (!(flags & PTE_USER) || (write && !(flags & PTE_WRITABLE)))
		return false;
	*frame = pa & PTE_FRAME_MASK;
	return true;
}

static int user_access(struct aspace *as, vaddr_t va, bool write, paddr_t *frame)
{
	for (int i = 0; i < 3; i++) {
		if (pte_allows(as, va, write, frame))
			return FAULT_RESOLVED;
		enum fault_result r = mm_resolve_fault(as, va, write ? FAULT_WRITE : 0);
		if (r != FAULT_RESOLVED)
			return r;
	}
	return ACCESS_STILL_FAULTS;
}

static void op_read(struct rmodel *m)
{
	struct mspace *s = pick_space(m);
	uint32_t p = pick_page(m, s);
	vaddr_t va = page_va(p) + (rng_below(&m->trace, PAGE_SIZE) & ~3u);
	struct mpage *pg = &s->page[p];
	maybe_inject(m);
	op_begin(&m->trace, "read space %llu at 0x%08llX", s->id, va, 0, 0);
	paddr_t frame = 0;
	int r = user_access(s->as, va, false, &frame);
	op_result(&m->trace, r);
	m->cov.reads++;
	if (!pg->mapped || !pg->prot) {
		int want = pg->mapped ? FAULT_SIGSEGV_ACCESS : FAULT_SIGSEGV;
		MCHECK(m, r == want, "a read outside every readable region gave %d, not %d", r,
		       want);
		m->cov.refused++;
		return;
	}
	if (r == FAULT_NO_MEMORY && !pg->cell && refused_by_injection(m)) {
		if (pg->object)
			object_kept_page(m, s, p);
		return;
	}
	MCHECK(m, r == FAULT_RESOLVED, "a read of a readable page gave %d", r);
	if (r != FAULT_RESOLVED)
		return;
	if (!pg->cell)
		pg->cell = pg->object ? object_cell(m, pg, 0, frame) : new_cell(m, 0, frame);
	const struct cell *c = &m->cell[pg->cell];
	uint32_t *w = frame_words(frame);
	MCHECK(m, frame == c->frame, "page 0x%08X reads frame 0x%08X, its content is in 0x%08X", va,
	       frame, c->frame);
	MCHECK(m, w[0] == c->value && w[LAST_WORD] == c->value,
	       "page 0x%08X holds 0x%08X/0x%08X, the model 0x%08X", va, w[0], w[LAST_WORD],
	       c->value);
}

static void op_write(struct rmodel *m)
{
	struct mspace *s = pick_space(m);
	uint32_t p = pick_page(m, s);
	vaddr_t va = page_va(p) + (rng_below(&m->trace, PAGE_SIZE) & ~3u);
	uint32_t value = (uint32_t)rng_next(&m->trace) | 1u;
	struct mpage *pg = &s->page[p];
	maybe_inject(m);
	op_begin(&m->trace, "write 0x%08llX to space %llu at 0x%08llX", value, s->id, va, 0);
	paddr_t frame = 0;
	int r = user_access(s->as, va, true, &frame);
	op_result(&m->trace, r);
	m->cov.writes++;
	if (!pg->mapped || !(pg->prot & REGION_WRITE)) {
		int want = pg->mapped ? FAULT_SIGSEGV_ACCESS : FAULT_SIGSEGV;
		MCHECK(m, r == want, "a write outside every writable region gave %d, not %d", r,
		       want);
		m->cov.refused++;
		return;
	}
	bool needs_frame = !pg->cell || (!pg->shared && m->cell[pg->cell].refs > 1);
	if (r == FAULT_NO_MEMORY && needs_frame && refused_by_injection(m)) {
		if (pg->object)
			object_kept_page(m, s, p);
		return;
	}
	MCHECK(m, r == FAULT_RESOLVED, "a write to a writable page gave %d", r);
	if (r != FAULT_RESOLVED)
		return;
	if (needs_frame && pg->object) {
		pg->cell = object_cell(m, pg, value, frame);
		MCHECK(m, frame == m->cell[pg->cell].frame,
		       "a first write to shared 0x%08X went to frame 0x%08X, its object's is "
		       "0x%08X",
		       va, frame, m->cell[pg->cell].frame);
		m->cell[pg->cell].value = value;
	} else if (needs_frame) {
		if (pg->cell) {
			m->cov.cow_copies++;
			MCHECK(m, frame != m->cell[pg->cell].frame,
			       "a write to a private page shared with %u others went to the "
			       "shared frame 0x%08X",
			       m->cell[pg->cell].refs - 1, frame);
			drop_cell(m, pg);
		}
		pg->cell = new_cell(m, value, frame);
	} else {
		MCHECK(m, frame == m->cell[pg->cell].frame,
		       "a write to 0x%08X went to frame 0x%08X, its content is in 0x%08X", va,
		       frame, m->cell[pg->cell].frame);
		m->cell[pg->cell].value = value;
	}
	uint32_t *w = frame_words(frame);
	w[0] = w[LAST_WORD] = value;
}

/* --- region operations ------------------------------------------------------ */

static const uint32_t prots[] = {LINUX_PROT_NONE,
				 LINUX_PROT_READ,
				 LINUX_PROT_READ | LINUX_PROT_WRITE,
				 LINUX_PROT_READ | LINUX_PROT_WRITE,
				 LINUX_PROT_WRITE,
				 LINUX_PROT_READ | LINUX_PROT_EXEC};

static uint32_t pick_prot(struct rmodel *m)
{
	return prots[rng_below(&m->trace, sizeof(prots) / sizeof(prots[0]))];
}

static void op_mmap(struct rmodel *m)
{
	struct mspace *s = pick_space(m);
	uint32_t pages = 1 + rng_below(&m->trace, rng_percent(&m->trace, 80) ? 16 : 96);
	uint32_t len = pages * PAGE_SIZE -
		       (rng_percent(&m->trace, 30) ? rng_below(&m->trace, PAGE_SIZE) : 0);
	uint32_t prot = pick_prot(m);
	bool shared = rng_percent(&m->trace, 30);
	uint32_t kind = rng_below(&m->trace, 10); /* 0-4 fixed, 5-7 a hint, 8-9 no address */
	uint32_t first = rng_below(&m->trace, WIN_PAGES - pages);
	vaddr_t addr = kind >= 8 ? 0 : page_va(first);
	if (kind >= 5 && kind < 8 && rng_percent(&m->trace, 20))
		addr += 1 + rng_below(&m->trace, PAGE_SIZE - 1); /* an unaligned hint: rounded up */
	uint32_t flags = LINUX_MAP_ANONYMOUS | (shared ? LINUX_MAP_SHARED : LINUX_MAP_PRIVATE) |
			 (kind < 5 ? LINUX_MAP_FIXED : 0);
	long want_error = 0;
	switch (rng_percent(&m->trace, 4) ? rng_below(&m->trace, 3) : 3) {
	case 0: len = 0, want_error = -LINUX_EINVAL; break;
	case 1: flags &= ~LINUX_MAP_TYPE, want_error = -LINUX_EINVAL; break;
	case 2:
		if (kind < 5)
			addr += 8, want_error = -LINUX_EINVAL;
		break;
	}
	maybe_inject(m);
	op_begin(&m->trace, "mmap(space %llu, 0x%08llX, 0x%llX, prot|flags<<8 0x%llX)", s->id, addr,
		 len, prot | flags << 8);
	long r = mm_mmap(s->as, addr, len, prot, flags, NULL, 0);
	op_result(&m->trace, r);
	if (want_error) {
		MCHECK(m, r == want_error, "mmap with a bad argument returned %ld, not %ld", r,
		       want_error);
		m->cov.refused++;
		return;
	}
	int64_t at = kind < 5 ? (int64_t)first : -1;
	if (kind >= 5) {
		vaddr_t hint = (addr + PAGE_OFFSET_MASK) & ~PAGE_OFFSET_MASK;
		uint32_t hint_page = hint ? (hint - WIN_BASE) / PAGE_SIZE : 0;
		at = hint && range_free(s, hint_page, pages) ? hint_page : highest_gap(s, pages);
	}
	if (r == -LINUX_ENOMEM && refused_by_injection(m))
		return;
	if (at < 0) {
		MCHECK(m, r == -LINUX_ENOMEM, "mmap with no room left returned 0x%lX", r);
		m->cov.refused++;
		return;
	}
	MCHECK(m, r == (long)page_va((uint32_t)at), "mmap returned 0x%lX, the model 0x%08X", r,
	       page_va((uint32_t)at));
	unmap_model(m, s, (uint32_t)at, pages);
	uint32_t object = shared ? new_object(m, pages) : 0;
	for (uint32_t p = (uint32_t)at; p < (uint32_t)at + pages; p++)
		s->page[p] = (struct mpage){.mapped = 1,
					    .prot = (uint8_t)prot,
					    .shared = shared,
					    .object = object,
					    .index = p - (uint32_t)at};
}

static void op_munmap(struct rmodel *m)
{
	struct mspace *s = pick_space(m);
	uint32_t first = rng_below(&m->trace, WIN_PAGES);
	uint32_t pages = 1 + rng_below(&m->trace, WIN_PAGES - first < 64 ? WIN_PAGES - first : 64);
	vaddr_t addr = page_va(first);
	uint32_t len = pages * PAGE_SIZE -
		       (rng_percent(&m->trace, 30) ? rng_below(&m->trace, PAGE_SIZE) : 0);
	long want_error = 0;
	if (rng_percent(&m->trace, 3))
		addr += 4, want_error = -LINUX_EINVAL;
	else if (rng_percent(&m->trace, 2))
		len = 0, want_error = -LINUX_EINVAL;
	maybe_inject(m);
	op_begin(&m->trace, "munmap(space %llu, 0x%08llX, 0x%llX)", s->id, addr, len, 0);
	long r = mm_munmap(s->as, addr, len);
	op_result(&m->trace, r);
	if (want_error) {
		MCHECK(m, r == want_error, "munmap with a bad argument returned %ld", r);
		m->cov.refused++;
		return;
	}
	if (r == -LINUX_ENOMEM && refused_by_injection(m))
		return;
	MCHECK(m, r == 0, "munmap returned %ld", r);
	unmap_model(m, s, first, pages);
}

/* Region by region from the start; the first hole ends the call with
 * ENOMEM, keeping what it changed (Linux's behaviour). */
static void op_mprotect(struct rmodel *m)
{
	struct mspace *s = pick_space(m);
	uint32_t first = rng_below(&m->trace, WIN_PAGES);
	uint32_t pages = 1 + rng_below(&m->trace, WIN_PAGES - first < 64 ? WIN_PAGES - first : 64);
	uint32_t prot = pick_prot(m);
	vaddr_t addr = page_va(first);
	uint32_t len = pages * PAGE_SIZE -
		       (rng_percent(&m->trace, 30) ? rng_below(&m->trace, PAGE_SIZE) : 0);
	bool unaligned = rng_percent(&m->trace, 3);
	addr += unaligned ? 4 : 0;
	op_begin(&m->trace, "mprotect(space %llu, 0x%08llX, 0x%llX, %llu)", s->id, addr, len, prot);
	long r = mm_mprotect(s->as, addr, len, prot);
	op_result(&m->trace, r);
	if (unaligned) {
		MCHECK(m, r == -LINUX_EINVAL, "mprotect of an unaligned address returned %ld", r);
		m->cov.refused++;
		return;
	}
	long want = 0;
	for (uint32_t p = first; p < first + pages; p++) {
		if (!s->page[p].mapped) {
			want = -LINUX_ENOMEM;
			break;
		}
		s->page[p].prot = (uint8_t)prot;
	}
	MCHECK(m, r == want, "mprotect returned %ld, the model %ld", r, want);
}

static void op_brk(struct rmodel *m)
{
	struct mspace *s = pick_space(m);
	vaddr_t start = s->as->brk_start;
	int32_t step = (int32_t)rng_below(&m->trace, 64 * PAGE_SIZE) - 24 * (int32_t)PAGE_SIZE;
	vaddr_t want_brk = (vaddr_t)((int64_t)s->brk + step);
	if (want_brk > WIN_END - PAGE_SIZE)
		want_brk = WIN_END - PAGE_SIZE;
	if (rng_percent(&m->trace, 3))
		want_brk =
			start - 1 - rng_below(&m->trace, PAGE_SIZE); /* below the start: refused */
	maybe_inject(m);
	op_begin(&m->trace, "brk(space %llu, 0x%08llX) from 0x%08llX", s->id, want_brk, s->brk, 0);
	long r = mm_brk(s->as, want_brk);
	op_result(&m->trace, r);
	vaddr_t old = s->brk, old_top = (old + PAGE_OFFSET_MASK) & ~PAGE_OFFSET_MASK;
	vaddr_t new_top = (want_brk + PAGE_OFFSET_MASK) & ~PAGE_OFFSET_MASK;
	uint32_t old_page = (old_top - WIN_BASE) / PAGE_SIZE;
	uint32_t new_page = (new_top - WIN_BASE) / PAGE_SIZE;
	bool moves = want_brk >= start;
	/* Growing needs the pages up to the new top and one more free. */
	if (moves && new_top > old_top && !range_free(s, old_page, new_page - old_page + 1))
		moves = false;
	if (!moves) {
		MCHECK(m, r == (long)old, "brk that cannot move returned 0x%lX, not 0x%08X", r,
		       old);
		m->cov.refused++;
		return;
	}
	if (r == (long)old && want_brk != old && refused_by_injection(m))
		return;
	MCHECK(m, r == (long)want_brk, "brk returned 0x%lX, the model 0x%08X", r, want_brk);
	if (new_top > old_top)
		for (uint32_t p = old_page; p < new_page; p++)
			s->page[p] =
				(struct mpage){.mapped = 1, .prot = REGION_READ | REGION_WRITE};
	else
		unmap_model(m, s, new_page, old_page - new_page);
	s->brk = want_brk;
}

/* --- spaces --------------------------------------------------------------- */

static void op_spawn(struct rmodel *m)
{
	if (m->live == MAX_SPACES)
		return;
	maybe_inject(m);
	op_begin(&m->trace, "new space %llu", m->next_id, 0, 0, 0);
	struct aspace *as = aspace_create();
	long guard = -1;
	if (as) {
		as->mmap_base = WIN_END;
		mm_brk_init(as, IMAGE_END);
		guard = mm_mmap(as, LAYOUT_USER_START, WIN_BASE - LAYOUT_USER_START,
				LINUX_PROT_NONE,
				LINUX_MAP_ANONYMOUS | LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, NULL, 0);
	}
	op_result(&m->trace, guard);
	if (guard != (long)LAYOUT_USER_START) {
		aspace_destroy(as);
		MCHECK(m, refused_by_injection(m), "a new space failed (%ld)", guard);
		return;
	}
	struct mspace *s = &m->space[m->live++];
	memset(s, 0, sizeof(*s));
	s->as = as;
	s->id = m->next_id++;
	s->brk = as->brk;
}

static void op_fork(struct rmodel *m)
{
	if (m->live == MAX_SPACES || !m->live)
		return;
	struct mspace *parent = pick_space(m);
	maybe_inject(m);
	op_begin(&m->trace, "fork space %llu into %llu", parent->id, m->next_id, 0, 0);
	struct aspace *as = aspace_clone(parent->as);
	op_result(&m->trace, as != NULL);
	if (!as) {
		MCHECK(m, refused_by_injection(m), "aspace_clone failed with no failure injected");
		return;
	}
	m->cov.forks++;
	struct mspace *child = &m->space[m->live++];
	*child = *parent;
	child->as = as;
	child->id = m->next_id++;
	for (uint32_t p = 0; p < WIN_PAGES; p++) {
		if (child->page[p].cell)
			m->cell[child->page[p].cell].refs++;
		if (child->page[p].object)
			m->object[child->page[p].object].pages++;
	}
}

static void destroy_space(struct rmodel *m, uint32_t i)
{
	struct mspace *s = &m->space[i];
	aspace_destroy(s->as);
	unmap_model(m, s, 0, WIN_PAGES);
	m->space[i] = m->space[--m->live];
	m->cov.exits++;
}

static void op_exit(struct rmodel *m)
{
	if (!m->live)
		return;
	uint32_t i = rng_below(&m->trace, m->live);
	op_begin(&m->trace, "exit space %llu", m->space[i].id, 0, 0, 0);
	op_result(&m->trace, 0);
	destroy_space(m, i);
}

/* --- the whole comparison ----------------------------------------------------- */

/* The PTE of va in as, 0 when its table is absent: read straight from the
 * table, one view per table rather than a walk per page (the check's cost
 * is most of the run's). */
static pte_t window_pte(struct aspace *as, vaddr_t va, uint32_t *pdi_seen, const pte_t **pt)
{
	if (pde_index(va) != *pdi_seen) {
		*pdi_seen = pde_index(va);
		*pt = (arch_pd_view(as->pd)[*pdi_seen] & PTE_PRESENT)
			      ? arch_pt_view(as->pd, *pdi_seen)
			      : NULL;
	}
	return *pt ? (*pt)[pte_index(va)] : 0;
}

static void check_space(struct rmodel *m, struct mspace *s)
{
	uint32_t present = 0, pdi_seen = PT_ENTRIES;
	const pte_t *pt = NULL;
	for (uint32_t p = 0; p < WIN_PAGES && !m->trace.failed; p++) {
		const struct mpage *pg = &s->page[p];
		vaddr_t va = page_va(p);
		const struct region *r = region_find(&s->as->regions, va);
		MCHECK(m, !r == !pg->mapped, "space %u: 0x%08X is %sin a region, the model says %s",
		       s->id, va, r ? "" : "not ", pg->mapped ? "it is" : "not");
		if (r && pg->mapped)
			MCHECK(m,
			       (r->flags & REGION_PROT_MASK) == pg->prot &&
				       !(r->flags & REGION_SHARED) == !pg->shared && !r->file,
			       "space %u: region of 0x%08X has flags 0x%X, the model prot %u%s",
			       s->id, va, r->flags, pg->prot, pg->shared ? " shared" : "");
		pte_t pte = window_pte(s->as, va, &pdi_seen, &pt);
		bool mapped = pte & PTE_PRESENT;
		paddr_t pa = pte & PTE_FRAME_MASK;
		uint32_t flags = pte & PTE_FLAGS_MASK;
		MCHECK(m, mapped == (pg->cell != 0), "space %u: 0x%08X is %smapped, the model %s",
		       s->id, va, mapped ? "" : "not ", pg->cell ? "has its content" : "not");
		if (!mapped || !pg->cell)
			continue;
		present++;
		const struct cell *c = &m->cell[pg->cell];
		const uint32_t *w = frame_words(pa);
		MCHECK(m, pa == c->frame && w[0] == c->value,
		       "space %u: 0x%08X maps 0x%08X holding 0x%08X, the model 0x%08X holding "
		       "0x%08X",
		       s->id, va, pa, w[0], c->frame, c->value);
		MCHECK(m, pmm_frame_refs(pa) == c->refs + c->held,
		       "space %u: frame 0x%08X of 0x%08X has %u references, the model %u sharers%s",
		       s->id, pa, va, pmm_frame_refs(pa), c->refs,
		       c->held ? " and its object" : "");
		MCHECK(m, !(flags & PTE_USER) == !pg->prot,
		       "space %u: 0x%08X has PTE flags 0x%03X with protection %u", s->id, va, flags,
		       pg->prot);
		uint32_t pfn = paddr_to_pfn(pa);
		MCHECK(m,
		       pfn < RAM_FRAMES && (!m->frame_cell[pfn] || m->frame_cell[pfn] == pg->cell),
		       "frame 0x%08X holds two different contents of the model", pa);
		if (pfn < RAM_FRAMES)
			m->frame_cell[pfn] = pg->cell;
	}
	MCHECK(m, aspace_resident(s->as) == present,
	       "space %u has %u pages present, the model %u (none outside the window)", s->id,
	       aspace_resident(s->as), present);
}

static uint32_t frames_accounted(void)
{
	return pmm_free_count() + pmm_count_owned(FRAME_PAGE_TABLE) + pmm_count_owned(FRAME_HEAP);
}

static void full_check(struct rmodel *m)
{
	m->cov.full_checks++;
	MCHECK(m, vm_check(), "vm_check() failed");
	MCHECK(m, heap_check(), "heap_check() failed");
	memset(m->frame_cell, 0, sizeof(m->frame_cell));
	for (uint32_t i = 0; i < m->live && !m->trace.failed; i++)
		check_space(m, &m->space[i]);
	uint32_t cells = MAX_CELLS - 1 - m->free_cells;
	uint32_t objects = MAX_OBJECTS - 1 - m->free_objects;
	MCHECK(m, vm_object_count() == objects, "%u memory objects, the model has %u",
	       vm_object_count(), objects);
	MCHECK(m, pmm_count_owned(FRAME_USER) == cells, "%u user frames, the model has %u contents",
	       pmm_count_owned(FRAME_USER), cells);
	MCHECK(m, frames_accounted() + cells == m->frames0,
	       "frames: %u free, tables or heap and %u user, %u at boot", frames_accounted(), cells,
	       m->frames0);
}

/* --- the run ------------------------------------------------------------------ */

enum op_kind {
	OP_READ,
	OP_WRITE,
	OP_MMAP,
	OP_MUNMAP,
	OP_MPROTECT,
	OP_BRK,
	OP_FORK,
	OP_EXIT,
	OP_SPAWN,
	OP_KINDS
};

static const uint8_t weights[OP_KINDS] = {22, 22, 16, 5, 7, 6, 4, 3, 2};
static void (*const op_fn[OP_KINDS])(struct rmodel *) = {
	op_read, op_write, op_mmap, op_munmap, op_mprotect, op_brk, op_fork, op_exit, op_spawn};

static void run_one(struct rmodel *m)
{
	if (!m->live) {
		op_spawn(m);
	} else {
		uint32_t sum = 0, k = 0;
		for (uint32_t i = 0; i < OP_KINDS; i++)
			sum += weights[i];
		uint32_t r = rng_below(&m->trace, sum);
		while (r >= weights[k])
			r -= weights[k++];
		op_fn[k](m);
	}
	/* An injection the call did not use must not hit a later one. */
	pmm_fail_nth_alloc(0);
	m->armed = false;
	m->cov.ops++;
}

static bool region_model_run(uint64_t seed, uint32_t ops, struct model_report *report)
{
	struct rmodel *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	trace_start(&m->trace, seed, report);
	for (uint32_t c = MAX_CELLS - 1; c > 0; c--)
		m->free_cell[m->free_cells++] = c;
	for (uint32_t o = MAX_OBJECTS - 1; o > 0; o--)
		m->free_object[m->free_objects++] = o;
	mm_fixture_boot(RAM_BYTES, HEAP_PAGES);
	m->frames0 = frames_accounted();

	for (m->trace.op_index = 0; m->trace.op_index < ops && !m->trace.failed;
	     m->trace.op_index++) {
		run_one(m);
		if (!m->trace.failed && (m->trace.op_index + 1) % FULL_CHECK_EVERY == 0)
			full_check(m);
	}
	if (!m->trace.failed) {
		m->trace.final_phase = true;
		op_begin(&m->trace, "final phase: every space exits", 0, 0, 0, 0);
		full_check(m);
		while (m->live)
			destroy_space(m, m->live - 1);
		full_check(m);
		MCHECK(m, pmm_count_owned(FRAME_USER) == 0, "%u user frames left after every exit",
		       pmm_count_owned(FRAME_USER));
	}
	trace_finish(&m->trace);
	last_run = m->cov;
	mm_fixture_shutdown();
	free(m);
	return !report->failed;
}

static void add_coverage(const struct model_report *r)
{
	(void)r; /* the counts of the run just made are in last_run */
	total.ops += last_run.ops;
	total.reads += last_run.reads;
	total.writes += last_run.writes;
	total.refused += last_run.refused;
	total.cow_copies += last_run.cow_copies;
	total.forks += last_run.forks;
	total.exits += last_run.exits;
	total.injected_failures += last_run.injected_failures;
	total.full_checks += last_run.full_checks;
}

static void print_totals(size_t seeds)
{
	printf("region model: %llu operations over %zu seed(s): %llu reads, %llu writes, %llu "
	       "copies on write, %llu forks, %llu exits, %llu refused as they must be, %llu "
	       "injected failures, %llu full checks\n",
	       (unsigned long long)total.ops, seeds, (unsigned long long)total.reads,
	       (unsigned long long)total.writes, (unsigned long long)total.cow_copies,
	       (unsigned long long)total.forks, (unsigned long long)total.exits,
	       (unsigned long long)total.refused, (unsigned long long)total.injected_failures,
	       (unsigned long long)total.full_checks);
}

static const uint64_t fixed_seeds[] = {1, 2, 3, 42, 1234, 0xC0FFEE, 0x5EED5EED, 20240601};

int main(void)
{
	static const struct model_suite suite = {
		.group = "region_model",
		.binary = "build/host/test_region_model",
		.ops_per_seed = OPS_PER_SEED,
		.seeds = fixed_seeds,
		.seed_count = sizeof(fixed_seeds) / sizeof(fixed_seeds[0]),
		.run = region_model_run,
		.add_coverage = add_coverage,
		.print_totals = print_totals,
	};
	return model_suite_main(&suite);
}
