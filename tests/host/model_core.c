/* The model's core: the counts the model predicts, the periodic
 * whole-system comparison, and the run loop.  The operations themselves are
 * in model_vm_ops.c and model_heap_ops.c, the random numbers and the trace
 * in model_trace.c. */
#include <setjmp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "mm/heap.h"
#include "mm/vm_check.h"
#include "mm/vmm.h"
#include "mm_fixture.h"
#include "model_internal.h"

#define FULL_CHECK_EVERY 100u  /* operations between whole-system comparisons */
#define MOOD_OPS	 3000u /* operations between changes of the operation mix */

/* Relative weights of the operations in each mood (model_internal.h). */
static const uint8_t weights[MOODS][OP_KINDS] = {
	/*               map unm pro tra qry mr  ur  ar  fr  pa  pf  pin km  kc  kf  kfb inj */
	[MOOD_BALANCED] = {12, 10, 5, 6, 4, 4, 4, 3, 3, 8, 8, 2, 12, 4, 14, 3, 2},
	[MOOD_GROW] = {14, 4, 3, 4, 2, 6, 2, 6, 1, 16, 3, 1, 18, 6, 6, 2, 2},
	[MOOD_SHRINK] = {4, 16, 3, 4, 2, 2, 8, 1, 6, 3, 16, 1, 5, 2, 22, 2, 2},
};

static void (*const op_fn[OP_KINDS])(struct model *) = {
	[OP_MAP] = op_map,
	[OP_UNMAP] = op_unmap,
	[OP_PROTECT] = op_protect,
	[OP_TRANSLATE] = op_translate,
	[OP_QUERY] = op_query,
	[OP_MAP_RANGE] = op_map_range,
	[OP_UNMAP_RANGE] = op_unmap_range,
	[OP_ALLOC_RANGE] = op_alloc_range,
	[OP_FREE_RANGE] = op_free_range,
	[OP_PMM_ALLOC] = op_pmm_alloc,
	[OP_PMM_FREE] = op_pmm_free,
	[OP_PMM_PIN] = op_pmm_pin,
	[OP_KMALLOC] = op_kmalloc,
	[OP_KCALLOC] = op_kcalloc,
	[OP_KFREE] = op_kfree,
	[OP_KFREE_BAD] = op_kfree_bad,
	[OP_INJECT] = NULL, /* split between the VM and the heap below */
};

void expect_status(struct model *m, const char *what, int got, uint32_t accepted)
{
	if (got > 0 || got < -31 || !(accepted & ST(got)))
		MFAIL(m, "%s returned %d, the model accepts the set 0x%X (bit n: status -n)", what,
		      got, accepted);
	if (got != 0)
		m->trace.report->coverage.refused++;
}

/* --- what the counts must be ------------------------------------------- */

/* The heap's pages as its page tables count them: cheap, where
 * heap_get_stats() walks every block.  check_heap_mapping() holds the two
 * to agreeing. */
uint32_t heap_pages_now(void)
{
	uint32_t pages = 0;
	for (uint32_t pdi = pde_index(LAYOUT_HEAP_START); pdi < pde_index(LAYOUT_HEAP_END); pdi++)
		pages += vmm_table_entries(pdi);
	return pages;
}

/* Page tables behind the heap's first `pages` pages. */
static uint32_t heap_tables(uint32_t pages)
{
	if (!pages)
		return 0;
	return pde_index(LAYOUT_HEAP_START + pages * PAGE_SIZE - 1) - pde_index(LAYOUT_HEAP_START) +
	       1;
}

static uint32_t window_tables(const struct model *m)
{
	uint32_t n = 0;
	for (uint32_t r = 0; r < WINDOW_REGIONS; r++)
		n += m->region_maps[r] != 0;
	return n;
}

/* Everything not the model's or the heap's stays as it was at boot; the
 * heap's share is what it reports, checked against the page tables in
 * check_heap_mapping(). */
uint32_t expected_tables(const struct model *m)
{
	return m->tables0 - heap_tables(m->heap_pages0) + heap_tables(heap_pages_now()) +
	       window_tables(m);
}

uint32_t expected_mapped(const struct model *m)
{
	return m->mapped0 - m->heap_pages0 + heap_pages_now() + m->window_mapped;
}

uint32_t expected_free(const struct model *m)
{
	uint32_t heap = heap_pages_now();
	return m->free0 + m->heap_pages0 + heap_tables(m->heap_pages0) - heap - heap_tables(heap) -
	       m->owned_count - window_tables(m);
}

/* --- the model's own bookkeeping ------------------------------------------ */

vaddr_t window_va(uint32_t page)
{
	return WINDOW_BASE + page * PAGE_SIZE;
}

uint32_t region_of(uint32_t page)
{
	return page / REGION_PAGES;
}

void model_note_map(struct model *m, uint32_t page, paddr_t pa, uint32_t flags)
{
	struct window_page *p = &m->page[page];
	*p = (struct window_page){
		.pa = pa, .flags = flags, .list_pos = m->window_mapped, .mapped = true};
	m->mapped_list[m->window_mapped++] = page;
	if (m->region_maps[region_of(page)]++ == 0)
		m->trace.report->coverage.tables_created++;
	if (pa < MODEL_RAM_BYTES)
		m->maps[paddr_to_pfn(pa)]++;
}

void model_note_unmap(struct model *m, uint32_t page)
{
	struct window_page *p = &m->page[page];
	uint32_t last = m->mapped_list[--m->window_mapped];
	m->mapped_list[p->list_pos] = last;
	m->page[last].list_pos = p->list_pos;
	m->region_maps[region_of(page)]--;
	if (p->pa < MODEL_RAM_BYTES)
		m->maps[paddr_to_pfn(p->pa)]--;
	p->mapped = false;
}

void model_own(struct model *m, paddr_t pa, uint8_t owner)
{
	pfn_t pfn = paddr_to_pfn(pa);
	m->owner[pfn] = owner;
	m->owned_pos[pfn] = m->owned_count;
	m->owned[m->owned_count++] = pfn;
}

void model_disown(struct model *m, paddr_t pa)
{
	pfn_t pfn = paddr_to_pfn(pa);
	pfn_t last = m->owned[--m->owned_count];
	m->owned[m->owned_pos[pfn]] = last;
	m->owned_pos[last] = m->owned_pos[pfn];
	m->owner[pfn] = 0;
	m->freed[m->freed_total++ % FREED_KEPT] = pfn;
}

bool model_owns(const struct model *m, paddr_t pa)
{
	return pa < MODEL_RAM_BYTES && m->owner[paddr_to_pfn(pa)] != 0;
}

bool model_is_table_frame(paddr_t pa)
{
	const pte_t *pd = fake_phys(fake_page_directory_pa(), PAGE_SIZE);
	for (uint32_t i = 0; i < PT_ENTRIES; i++)
		if (i != LAYOUT_RECURSIVE_SLOT && (pd[i] & PTE_PRESENT) &&
		    (pd[i] & PTE_FRAME_MASK) == pa)
			return true;
	return false;
}

/* --- comparisons ------------------------------------------------------------ */

/* After every operation: the counts the model predicts (this is also the
 * "a refused call changed nothing" check, as the model did not move). */
static void check_counts(struct model *m, bool with_mapped)
{
	uint32_t free_want = expected_free(m), tables_want = expected_tables(m);
	MCHECK(m, pmm_free_count() == free_want, "pmm_free_count() %u, model expects %u",
	       pmm_free_count(), free_want);
	MCHECK(m, vmm_table_count() == tables_want, "vmm_table_count() %u, model expects %u",
	       vmm_table_count(), tables_want);
	/* vmm_mapped_count() sums every table's count: after VM operations and
	 * at full checks, not after every heap or PMM operation. */
	if (!with_mapped)
		return;
	uint32_t mapped_want = expected_mapped(m);
	MCHECK(m, vmm_mapped_count() == mapped_want, "vmm_mapped_count() %u, model expects %u",
	       vmm_mapped_count(), mapped_want);
}

/* The heap's own counts (a walk of every block: not after every operation). */
static void check_heap_counts(struct model *m)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	MCHECK(m, hs.live_blocks == m->block_count, "heap live_blocks %u, model has %u",
	       hs.live_blocks, m->block_count);
}

void check_window_pages(struct model *m, uint32_t first, uint32_t pages)
{
	for (uint32_t i = first; i < first + pages && !m->trace.failed; i++) {
		paddr_t pa;
		uint32_t flags;
		bool mapped = fake_walk(window_va(i), &pa, &flags);
		const struct window_page *p = &m->page[i];
		if (mapped != p->mapped) {
			MFAIL(m, "window page 0x%08X: the MMU %s it, the model %s", window_va(i),
			      mapped ? "maps" : "does not map", p->mapped ? "does" : "does not");
		} else if (mapped && (pa != p->pa || flags != (p->flags | PTE_PRESENT))) {
			MFAIL(m,
			      "window page 0x%08X maps 0x%08X flags 0x%03X, model 0x%08X flags "
			      "0x%03X",
			      window_va(i), pa, flags, p->pa, p->flags | PTE_PRESENT);
		}
	}
}

/* The heap's pages are exactly [start, start + mapped_pages) of its region. */
static void check_heap_mapping(struct model *m)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	uint32_t entries = heap_pages_now();
	MCHECK(m, entries == hs.mapped_pages, "heap reports %u pages, its tables hold %u entries",
	       hs.mapped_pages, entries);
	MCHECK(m, entries && fake_walk(LAYOUT_HEAP_START + (entries - 1) * PAGE_SIZE, NULL, NULL),
	       "heap page %u of %u not mapped", entries - 1, entries);
}

/* Every frame the model owns or maps: state and reference count. */
static void check_frames(struct model *m)
{
	for (pfn_t pfn = 0; pfn < MODEL_FRAMES && !m->trace.failed; pfn++) {
		if (!m->owner[pfn] && !m->maps[pfn])
			continue;
		paddr_t pa = pfn_to_paddr(pfn);
		enum frame_state st = pmm_frame_state(pa);
		if (m->owner[pfn])
			MCHECK(m, st == (enum frame_state)m->owner[pfn],
			       "owned frame 0x%08X is %s, model says %s", pa, pmm_state_name(st),
			       pmm_state_name((enum frame_state)m->owner[pfn]));
		uint32_t want = st == FRAME_NONE ? 0 : m->maps[pfn];
		MCHECK(m, pmm_frame_refs(pa) == want, "frame 0x%08X has %u references, model %u",
		       pa, pmm_frame_refs(pa), want);
	}
}

static void check_window_tables(struct model *m)
{
	for (uint32_t r = 0; r < WINDOW_REGIONS; r++) {
		uint32_t pdi = pde_index(window_va(r * REGION_PAGES));
		MCHECK(m, vmm_table_entries(pdi) == m->region_maps[r],
		       "table %u counts %u entries, model %u", pdi, vmm_table_entries(pdi),
		       m->region_maps[r]);
		const pte_t *pd = fake_phys(fake_page_directory_pa(), PAGE_SIZE);
		bool present = pd[pdi] & PTE_PRESENT;
		MCHECK(m, present == (m->region_maps[r] != 0),
		       "PDE %u is %s but the model maps %u pages there", pdi,
		       present ? "present" : "absent", m->region_maps[r]);
	}
}

static void full_check(struct model *m)
{
	m->trace.report->coverage.full_checks++;
	MCHECK(m, vm_check(), "vm_check() failed");
	MCHECK(m, heap_check(), "heap_check() failed");
	check_counts(m, true);
	check_heap_counts(m);
	check_window_tables(m);
	check_window_pages(m, 0, WINDOW_PAGES);
	check_heap_mapping(m);
	check_frames(m);
	check_blocks(m);
}

/* --- the run -------------------------------------------------------------- */

static enum op_kind pick_op(struct model *m)
{
	const uint8_t *w = weights[m->mood];
	uint32_t total = 0;
	for (uint32_t k = 0; k < OP_KINDS; k++)
		total += w[k];
	uint32_t r = rng_below(&m->trace, total);
	for (uint32_t k = 0; k < OP_KINDS; k++) {
		if (r < w[k])
			return (enum op_kind)k;
		r -= w[k];
	}
	return OP_TRANSLATE;
}

static void run_one(struct model *m)
{
	if (m->trace.op_index % MOOD_OPS == 0)
		m->mood = rng_below(&m->trace, MOODS);
	enum op_kind k = pick_op(m);
	if (k == OP_INJECT) {
		m->trace.report->coverage.injections++;
		if (rng_percent(&m->trace, 50))
			op_inject_vm(m);
		else
			op_inject_heap(m);
	} else {
		op_fn[k](m);
	}
	/* An injection the operation did not use must not hit a later one. */
	pmm_fail_nth_alloc(0);
	heap_fail_nth_grow(0);
	check_counts(m, k <= OP_FREE_RANGE || k == OP_INJECT);
	m->trace.report->coverage.ops++;
}

static void final_phase(struct model *m)
{
	m->trace.final_phase = true;
	op_begin(&m->trace, "final phase: free every block, unmap every page, free every frame", 0,
		 0, 0, 0);
	release_all_blocks(m);
	release_all_frames(m);
	full_check(m);
	struct heap_stats hs;
	heap_get_stats(&hs);
	MCHECK(m, hs.mapped_pages == m->heap_pages0, "heap pages %u at the end, %u at the start",
	       hs.mapped_pages, m->heap_pages0);
	MCHECK(m, pmm_free_count() == m->free0, "free frames %u at the end, %u at the start",
	       pmm_free_count(), m->free0);
	MCHECK(m, vmm_mapped_count() == m->mapped0, "mapped pages %u at the end, %u at the start",
	       vmm_mapped_count(), m->mapped0);
	MCHECK(m, vmm_table_count() == m->tables0, "page tables %u at the end, %u at the start",
	       vmm_table_count(), m->tables0);
	MCHECK(m, hs.live_blocks == 0 && hs.used_bytes == 0,
	       "heap holds %u blocks (%u bytes) after every block was freed", hs.live_blocks,
	       hs.used_bytes);
}

bool model_run(uint64_t seed, uint32_t ops, struct model_report *report)
{
	struct model *m = calloc(1, sizeof(*m));
	assert_non_null(m);
	trace_start(&m->trace, seed, report);
	mm_fixture_boot(MODEL_RAM_BYTES, MODEL_HEAP_PAGES);
	m->free0 = pmm_free_count();
	m->mapped0 = vmm_mapped_count();
	m->tables0 = vmm_table_count();
	m->heap_pages0 = heap_pages_now();
	struct heap_stats hs;
	heap_get_stats(&hs);
	assert_int_equal(hs.mapped_pages, m->heap_pages0);

	for (m->trace.op_index = 0; m->trace.op_index < ops && !m->trace.failed;
	     m->trace.op_index++) {
		run_one(m);
		if (!m->trace.failed && (m->trace.op_index + 1) % FULL_CHECK_EVERY == 0)
			full_check(m);
	}
	if (!m->trace.failed)
		final_phase(m);
	trace_finish(&m->trace);
	mm_fixture_shutdown();
	free(m);
	return !report->failed;
}
