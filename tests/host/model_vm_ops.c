/* The model's PMM and VMM operations.  Each one picks its arguments (mostly
 * good, sometimes bad on purpose), works out from the model which results
 * are acceptable, makes the call, checks the result, and on success moves
 * the model.  A refused call moves nothing, so the count check after every
 * operation (model_core.c) doubles as "a failure changed nothing". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "fake_arch.h"
#include "mm/heap.h"
#include "mm/vmm.h"
#include "mm_fixture.h"
#include "model_internal.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#define KERNEL_FRAMES	  ((FIXTURE_KERNEL_END - FIXTURE_KERNEL_START) / PAGE_SIZE)
#define LOW_FRAMES	  (LAYOUT_LOW_MEMORY_END / PAGE_SIZE)
#define FIRST_LOW_HOLE	  0x9F000u /* the fixture's map: [0x9F000, 1 MiB) is reserved */
#define BEYOND_RAM_FRAMES 4096u	   /* device-memory frames past RAM used as targets */
#define OWNED_SOFT_CAP	  1500u	   /* outside the growth mood, frames are given back past this */
#define BURST_MAX	  32u	   /* allocations in one growth-mood PMM operation */
#define TLB_CHECKED_PAGES 32u	   /* range pages whose flush is looked up one by one */
#define FOUR_GIB	  0x100000000ull
#define HOT_PAGES	  48u /* pages at the start of each region picked most */

/* Addresses no mapping call may touch: the NULL page, the identity map and
 * the kernel in it, and the recursive window. */
static const vaddr_t bad_vas[] = {
	0,
	LAYOUT_NULL_PAGE_END,
	LAYOUT_IDENTITY_END - PAGE_SIZE,
	FIXTURE_KERNEL_START,
	LAYOUT_RECURSIVE_BASE,
	LAYOUT_RECURSIVE_BASE + 5 * PAGE_SIZE,
	0xFFFFF000u,
};
/* PTE bits a caller may not pass: accessed, dirty, PAT/PS, the three AVL
 * bits, frame bits, and user access (the window is in the kernel part). */
static const uint32_t bad_flags[] = {
	PTE_USER, PTE_ACCESSED, PTE_DIRTY, 0x080u, 0x200u, 0x400u, 0x800u, 0x1000u, 0x80000000u,
};
static const uint32_t good_flags[] = {
	PTE_PRESENT, PTE_WRITABLE, PTE_WRITETHROUGH, PTE_NOCACHE, PTE_GLOBAL,
};
/* Owners pmm_alloc_as/pmm_free_as must refuse. */
static const uint32_t bad_owners[] = {
	FRAME_FREE, FRAME_RESERVED, FRAME_KERNEL, FRAME_NONE, 8u, 0xFFu,
};
/* Every refusal pmm_free_* may give. */
#define PMM_ANY_ERROR                                                                              \
	(ST(PMM_ERR_INVALID) | ST(PMM_ERR_RESERVED) | ST(PMM_ERR_NOT_ALLOCATED) |                  \
	 ST(PMM_ERR_IN_USE))

/* --- picking arguments ---------------------------------------------------- */

/* A window page: often a mapped one, often one next to a table boundary. */
static uint32_t pick_page(struct model *m)
{
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 40 && m->window_mapped)
		return m->mapped_list[rng_below(&m->trace, m->window_mapped)];
	if (r < 55)
		return (1 + rng_below(&m->trace, WINDOW_REGIONS - 1)) * REGION_PAGES - 4 +
		       rng_below(&m->trace, 8);
	if (r < 85) /* a few hot pages per region keep tables small enough to empty */
		return rng_below(&m->trace, WINDOW_REGIONS) * REGION_PAGES +
		       rng_below(&m->trace, HOT_PAGES);
	return rng_below(&m->trace, WINDOW_PAGES);
}

/* A virtual address; page is its window page, or -1 when the address is one
 * every mapping call must refuse (unaligned or outside the managed range). */
struct va_pick {
	vaddr_t va;
	int32_t page;
};

static struct va_pick pick_va(struct model *m)
{
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 4)
		return (struct va_pick){
			window_va(pick_page(m)) + 1 + rng_below(&m->trace, PAGE_SIZE - 1), -1};
	if (r < 10)
		return (struct va_pick){bad_vas[rng_below(&m->trace, ARRAY_LEN(bad_vas))], -1};
	uint32_t page = pick_page(m);
	return (struct va_pick){window_va(page), (int32_t)page};
}

static uint32_t pick_flags(struct model *m, bool *valid)
{
	uint32_t flags = 0;
	for (uint32_t i = 0; i < ARRAY_LEN(good_flags); i++)
		if (rng_percent(&m->trace, 35))
			flags |= good_flags[i];
	*valid = !rng_percent(&m->trace, 8);
	if (!*valid)
		flags |= bad_flags[rng_below(&m->trace, ARRAY_LEN(bad_flags))];
	return flags;
}

static paddr_t kernel_frame(struct model *m)
{
	return FIXTURE_KERNEL_START + rng_below(&m->trace, KERNEL_FRAMES) * PAGE_SIZE;
}

static paddr_t freed_frame(struct model *m)
{
	uint32_t kept = m->freed_total < FREED_KEPT ? m->freed_total : FREED_KEPT;
	return pfn_to_paddr(m->freed[rng_below(&m->trace, kept)]);
}

/* The frame of a present PDE of the window or the heap, or 0. */
static paddr_t table_frame(struct model *m)
{
	const pte_t *pd = fake_phys(fake_page_directory_pa(), PAGE_SIZE);
	uint32_t pdi =
		rng_percent(&m->trace, 30)
			? pde_index(LAYOUT_HEAP_START)
			: pde_index(window_va(rng_below(&m->trace, WINDOW_REGIONS) * REGION_PAGES));
	return (pd[pdi] & PTE_PRESENT) ? pd[pdi] & PTE_FRAME_MASK : 0;
}

/* A frame of the heap's (always mapped, so never freeable by anyone else). */
static paddr_t heap_frame(struct model *m)
{
	paddr_t pa = 0;
	fake_walk(LAYOUT_HEAP_START + rng_below(&m->trace, heap_pages_now()) * PAGE_SIZE, &pa,
		  NULL);
	return pa & PTE_FRAME_MASK;
}

/* A frame to map: the model's own, kernel and low memory (mappable aliases
 * the PMM never frees), device memory past RAM, frames just freed and page
 * tables (both refused), any frame of RAM, or an unaligned address. */
static paddr_t pick_frame(struct model *m)
{
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 45 && m->owned_count)
		return pfn_to_paddr(m->owned[rng_below(&m->trace, m->owned_count)]);
	if (r < 55)
		return kernel_frame(m);
	if (r < 60)
		return rng_below(&m->trace, LOW_FRAMES) * PAGE_SIZE;
	if (r < 65)
		return MODEL_RAM_BYTES + rng_below(&m->trace, BEYOND_RAM_FRAMES) * PAGE_SIZE;
	if (r < 75 && m->freed_total)
		return freed_frame(m);
	if (r < 80 && table_frame(m))
		return table_frame(m);
	if (r < 92)
		return rng_below(&m->trace, MODEL_FRAMES) * PAGE_SIZE;
	return kernel_frame(m) + 4 * (1 + rng_below(&m->trace, PAGE_SIZE / 4 - 1));
}

/* Whether the VMM must accept a mapping of pa (an aligned frame).  The model
 * knows its own frames; for the others the PMM's own state is the oracle,
 * cross-checked: every FRAME_ALLOCATED frame is the model's, and a frame is
 * a page table exactly when a PDE points at it. */
enum frame_class { FC_MAPPABLE, FC_REFUSED, FC_HEAP };

static enum frame_class classify(struct model *m, paddr_t pa, bool cross_check_tables)
{
	if (pa >= MODEL_RAM_BYTES)
		return FC_MAPPABLE; /* past RAM: device memory, not tracked */
	enum frame_state st = pmm_frame_state(pa);
	pfn_t pfn = paddr_to_pfn(pa);
	if (m->owner[pfn]) {
		MCHECK(m, st == (enum frame_state)m->owner[pfn], "owned frame 0x%08X is %s", pa,
		       pmm_state_name(st));
		return FC_MAPPABLE;
	}
	MCHECK(m, st != FRAME_ALLOCATED, "frame 0x%08X is allocated, but not by the model", pa);
	if (cross_check_tables)
		MCHECK(m, (st == FRAME_PAGE_TABLE) == model_is_table_frame(pa),
		       "frame 0x%08X is %s, a PDE %s it", pa, pmm_state_name(st),
		       model_is_table_frame(pa) ? "points at" : "does not point at");
	if (st == FRAME_FREE || st == FRAME_PAGE_TABLE)
		return FC_REFUSED;
	/* The heap's frames are mappable, but an alias would keep one alive
	 * past the heap's shrink; the model leaves them alone. */
	return st == FRAME_HEAP ? FC_HEAP : FC_MAPPABLE;
}

/* A range of pages; first is its first window page, or -1 when every range
 * call must refuse it (empty, unaligned, outside the managed range, wrapping,
 * absurdly long). */
struct range {
	vaddr_t va;
	uint32_t pages;
	int32_t first;
};

static uint32_t mapped_run(const struct model *m, uint32_t first)
{
	uint32_t n = 0;
	while (first + n < WINDOW_PAGES && m->page[first + n].mapped)
		n++;
	return n;
}

static uint32_t unmapped_run(const struct model *m, uint32_t first, uint32_t max)
{
	uint32_t n = 0;
	while (n < max && first + n < WINDOW_PAGES && !m->page[first + n].mapped)
		n++;
	return n;
}

static struct range pick_range(struct model *m, bool prefer_mapped)
{
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 3)
		return (struct range){window_va(pick_page(m)), 0, -1};
	if (r < 6)
		return (struct range){window_va(pick_page(m)) + 0x10, 1 + rng_below(&m->trace, 8),
				      -1};
	if (r < 9)
		return (struct range){LAYOUT_RECURSIVE_BASE - 2 * PAGE_SIZE,
				      3 + rng_below(&m->trace, 4), -1};
	if (r < 11)
		return (struct range){window_va(pick_page(m)),
				      0xFFFFFFFFu - rng_below(&m->trace, 4), -1};
	if (r < 13)
		return (struct range){
			LAYOUT_IDENTITY_END - (1 + rng_below(&m->trace, 4)) * PAGE_SIZE, 8, -1};
	if (prefer_mapped && r < 60 && m->window_mapped) {
		uint32_t first = m->mapped_list[rng_below(&m->trace, m->window_mapped)];
		uint32_t run = mapped_run(m, first);
		uint32_t n = rng_percent(&m->trace, 70) ? run : 1 + rng_below(&m->trace, run + 2);
		if (first + n > WINDOW_PAGES)
			n = WINDOW_PAGES - first;
		return (struct range){window_va(first), n, (int32_t)first};
	}
	uint32_t first = pick_page(m), n;
	r = rng_below(&m->trace, 100);
	if (r < 70)
		n = 1 + rng_below(&m->trace, 16);
	else if (r < 92)
		n = 17 + rng_below(&m->trace, 300);
	else
		n = REGION_PAGES - 24 + rng_below(&m->trace, 100);
	if (first + n > WINDOW_PAGES)
		n = WINDOW_PAGES - first;
	return (struct range){window_va(first), n, (int32_t)first};
}

/* Window regions of the range that have no page table yet. */
static uint32_t new_tables(const struct model *m, uint32_t first, uint32_t pages)
{
	uint32_t n = 0;
	for (uint32_t r = region_of(first); r <= region_of(first + pages - 1); r++)
		n += m->region_maps[r] == 0;
	return n;
}

static bool any_mapped(const struct model *m, uint32_t first, uint32_t pages)
{
	for (uint32_t i = first; i < first + pages; i++)
		if (m->page[i].mapped)
			return true;
	return false;
}

/* --- TLB and PDE bookkeeping of the fake MMU ------------------------------- */

/* Each mutating call starts with a clean record, so "was flushed" means
 * "flushed by this call". */
static void tlb_begin(void)
{
	fake_tlb_reset();
}

static void check_flushed(struct model *m, uint32_t first, uint32_t pages)
{
	MCHECK(m, fake_tlb_flush_count() >= pages, "%u TLB flushes for %u changed pages",
	       fake_tlb_flush_count(), pages);
	if (pages <= TLB_CHECKED_PAGES)
		for (uint32_t i = first; i < first + pages; i++)
			MCHECK(m, fake_tlb_was_flushed(window_va(i)),
			       "page 0x%08X changed without a TLB flush", window_va(i));
}

/* Every window region whose table appeared or went must have told the MMU. */
static void check_pde_changes(struct model *m, const uint32_t before[WINDOW_REGIONS])
{
	for (uint32_t r = 0; r < WINDOW_REGIONS; r++) {
		uint32_t pdi = pde_index(window_va(r * REGION_PAGES));
		if ((before[r] == 0) != (m->region_maps[r] == 0))
			MCHECK(m, fake_pde_was_changed(pdi),
			       "table %u %s without arch_pde_changed()", pdi,
			       before[r] ? "freed" : "created");
	}
}

static void save_regions(const struct model *m, uint32_t out[WINDOW_REGIONS])
{
	for (uint32_t r = 0; r < WINDOW_REGIONS; r++)
		out[r] = m->region_maps[r];
}

/* --- single pages ------------------------------------------------------------ */

void op_map(struct model *m)
{
	struct va_pick v = pick_va(m);
	bool flags_ok;
	uint32_t flags = pick_flags(m, &flags_ok);
	paddr_t pa = pick_frame(m);
	enum frame_class fc = page_aligned(pa) ? classify(m, pa, true) : FC_MAPPABLE;
	if (fc == FC_HEAP) {
		pa = kernel_frame(m);
		fc = FC_MAPPABLE;
	}
	uint32_t accept = 0;
	if (v.page < 0 || !flags_ok || !page_aligned(pa)) {
		accept = ST(VMM_ERR_INVALID);
	} else {
		if (m->page[v.page].mapped)
			accept |= ST(VMM_ERR_ALREADY_MAPPED);
		if (fc == FC_REFUSED)
			accept |= ST(VMM_ERR_INVALID);
		if (!m->region_maps[region_of((uint32_t)v.page)] && pmm_free_count() == 0)
			accept |= ST(VMM_ERR_NO_MEMORY);
		if (!accept)
			accept = ST(VMM_OK);
	}
	uint32_t regions[WINDOW_REGIONS];
	save_regions(m, regions);
	tlb_begin();
	op_begin(&m->trace, "vmm_map_page(0x%llX, 0x%llX, 0x%llX)", v.va, pa, flags, 0);
	int rc = vmm_map_page(v.va, pa, flags);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_map_page", rc, accept);
	if (rc == VMM_OK && !m->trace.failed) {
		model_note_map(m, (uint32_t)v.page, pa, flags & ~PTE_PRESENT);
		check_flushed(m, (uint32_t)v.page, 1);
		check_pde_changes(m, regions);
	}
	if (rc == VMM_ERR_NO_MEMORY)
		m->trace.report->coverage.frames_exhausted++;
	if (v.page >= 0)
		check_window_pages(m, (uint32_t)v.page, 1);
}

void op_unmap(struct model *m)
{
	struct va_pick v = pick_va(m);
	uint32_t accept = v.page < 0		    ? ST(VMM_ERR_INVALID)
			  : !m->page[v.page].mapped ? ST(VMM_ERR_NOT_MAPPED)
						    : ST(VMM_OK);
	uint32_t regions[WINDOW_REGIONS];
	save_regions(m, regions);
	tlb_begin();
	op_begin(&m->trace, "vmm_unmap_page(0x%llX)", v.va, 0, 0, 0);
	int rc = vmm_unmap_page(v.va);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_unmap_page", rc, accept);
	if (rc == VMM_OK && !m->trace.failed) {
		model_note_unmap(m, (uint32_t)v.page);
		check_flushed(m, (uint32_t)v.page, 1);
		check_pde_changes(m, regions);
	}
	if (v.page >= 0)
		check_window_pages(m, (uint32_t)v.page, 1);
}

void op_protect(struct model *m)
{
	struct va_pick v = pick_va(m);
	bool flags_ok;
	uint32_t flags = pick_flags(m, &flags_ok);
	uint32_t accept = v.page < 0 || !flags_ok   ? ST(VMM_ERR_INVALID)
			  : !m->page[v.page].mapped ? ST(VMM_ERR_NOT_MAPPED)
						    : ST(VMM_OK);
	tlb_begin();
	op_begin(&m->trace, "vmm_protect(0x%llX, 0x%llX)", v.va, flags, 0, 0);
	int rc = vmm_protect(v.va, flags);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_protect", rc, accept);
	if (rc == VMM_OK && !m->trace.failed) {
		m->page[v.page].flags = flags & ~PTE_PRESENT;
		check_flushed(m, (uint32_t)v.page, 1);
	}
	if (v.page >= 0)
		check_window_pages(m, (uint32_t)v.page, 1);
}

/* An address to look up: window pages (the model knows them), heap pages,
 * the identity map, the recursive window (the fake MMU's walk knows those). */
static vaddr_t pick_lookup_va(struct model *m, int32_t *page)
{
	uint32_t r = rng_below(&m->trace, 100);
	uint32_t offset = rng_percent(&m->trace, 50) ? 0 : rng_below(&m->trace, PAGE_SIZE);
	*page = -1;
	if (r < 65) {
		*page = (int32_t)pick_page(m);
		return window_va((uint32_t)*page) + offset;
	}
	if (r < 85)
		return LAYOUT_HEAP_START + rng_below(&m->trace, heap_pages_now() + 2) * PAGE_SIZE +
		       offset;
	if (r < 93)
		return rng_below(&m->trace, LAYOUT_IDENTITY_END / PAGE_SIZE) * PAGE_SIZE + offset;
	return LAYOUT_RECURSIVE_BASE + rng_below(&m->trace, PT_ENTRIES) * PAGE_SIZE + offset;
}

/* What va must translate to: from the model in the window, else the walk. */
static bool lookup_truth(const struct model *m, vaddr_t va, int32_t page, paddr_t *pa,
			 uint32_t *flags)
{
	if (page < 0)
		return fake_walk(va, pa, flags);
	const struct window_page *p = &m->page[page];
	*pa = p->pa | (va & PAGE_OFFSET_MASK);
	*flags = p->flags | PTE_PRESENT;
	return p->mapped;
}

void op_translate(struct model *m)
{
	int32_t page;
	vaddr_t va = pick_lookup_va(m, &page);
	paddr_t want = 0;
	uint32_t want_flags = 0;
	bool mapped = lookup_truth(m, va, page, &want, &want_flags);
	if (rng_percent(&m->trace, 10)) {
		op_begin(&m->trace, "vmm_translate(0x%llX, NULL)", va, 0, 0, 0);
		int rc = vmm_translate(va, NULL);
		op_result(&m->trace, rc);
		expect_status(m, "vmm_translate(NULL)", rc, ST(VMM_ERR_INVALID));
		return;
	}
	paddr_t got = 0xDEADBEEFu;
	op_begin(&m->trace, "vmm_translate(0x%llX, &pa)", va, 0, 0, 0);
	int rc = vmm_translate(va, &got);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_translate", rc, mapped ? ST(VMM_OK) : ST(VMM_ERR_NOT_MAPPED));
	if (rc == VMM_OK)
		MCHECK(m, got == want, "vmm_translate(0x%08X) gave 0x%08X, want 0x%08X", va, got,
		       want);
	op_begin(&m->trace, "vmm_get_physical(0x%llX)", va, 0, 0, 0);
	paddr_t phys = vmm_get_physical(va);
	op_result(&m->trace, phys);
	MCHECK(m, phys == (mapped ? want : 0), "vmm_get_physical(0x%08X) = 0x%08X, want 0x%08X", va,
	       phys, mapped ? want : 0);
}

void op_query(struct model *m)
{
	int32_t page;
	vaddr_t va = pick_lookup_va(m, &page);
	paddr_t want = 0;
	uint32_t want_flags = 0;
	bool mapped = lookup_truth(m, va, page, &want, &want_flags);
	paddr_t pa = 0xDEADBEEFu;
	uint32_t flags = 0xDEADBEEFu;
	uint32_t variant = rng_below(&m->trace, 4); /* which outputs are asked for */
	static const char *const calls[] = {
		"vmm_query(0x%llX, &pa, &flags)",
		"vmm_query(0x%llX, NULL, &flags)",
		"vmm_query(0x%llX, &pa, NULL)",
		"vmm_query(0x%llX, NULL, NULL)",
	};
	op_begin(&m->trace, calls[variant], va, 0, 0, 0);
	int rc = vmm_query(va, variant & 1 ? NULL : &pa, variant & 2 ? NULL : &flags);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_query", rc, mapped ? ST(VMM_OK) : ST(VMM_ERR_NOT_MAPPED));
	if (rc != VMM_OK)
		return;
	if (!(variant & 1))
		MCHECK(m, pa == want, "vmm_query(0x%08X) pa 0x%08X, want 0x%08X", va, pa, want);
	if (!(variant & 2))
		MCHECK(m, flags == want_flags, "vmm_query(0x%08X) flags 0x%03X, want 0x%03X", va,
		       flags, want_flags);
}

/* --- ranges ------------------------------------------------------------- */

/* A physical base for vmm_map_range: low memory, the kernel, device memory
 * past RAM, the top of the address space (overflow), any frame, unaligned. */
static paddr_t pick_range_phys(struct model *m)
{
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 25)
		return rng_below(&m->trace, LOW_FRAMES) * PAGE_SIZE;
	if (r < 40)
		return kernel_frame(m);
	if (r < 70)
		return MODEL_RAM_BYTES + rng_below(&m->trace, BEYOND_RAM_FRAMES) * PAGE_SIZE;
	if (r < 75)
		return (paddr_t)(FOUR_GIB - (1 + rng_below(&m->trace, 8)) * PAGE_SIZE);
	if (r < 88)
		return rng_below(&m->trace, MODEL_FRAMES) * PAGE_SIZE;
	if (r < 95 && m->owned_count)
		return pfn_to_paddr(m->owned[rng_below(&m->trace, m->owned_count)]);
	return kernel_frame(m) + 0x800;
}

static bool range_touches_heap(struct model *m, paddr_t phys, uint32_t pages)
{
	for (uint32_t i = 0; i < pages; i++)
		if (classify(m, phys + i * PAGE_SIZE, false) == FC_HEAP)
			return true;
	return false;
}

void op_map_range(struct model *m)
{
	struct range rg = pick_range(m, false);
	bool flags_ok;
	uint32_t flags = pick_flags(m, &flags_ok);
	paddr_t phys = pick_range_phys(m);
	bool args_ok = rg.first >= 0 && page_aligned(phys) &&
		       (uint64_t)phys + (uint64_t)rg.pages * PAGE_SIZE <= FOUR_GIB;
	uint32_t accept = 0;
	if (!args_ok) {
		accept = ST(VMM_ERR_INVALID);
	} else {
		uint32_t first = (uint32_t)rg.first;
		if (!flags_ok)
			accept |= ST(VMM_ERR_INVALID);
		if (range_touches_heap(m, phys, rg.pages)) /* see classify() */
			phys = MODEL_RAM_BYTES +
			       rng_below(&m->trace, BEYOND_RAM_FRAMES) * PAGE_SIZE;
		for (uint32_t i = 0; i < rg.pages; i++)
			if (classify(m, phys + i * PAGE_SIZE, false) == FC_REFUSED)
				accept |= ST(VMM_ERR_INVALID);
		if (any_mapped(m, first, rg.pages))
			accept |= ST(VMM_ERR_ALREADY_MAPPED);
		if (new_tables(m, first, rg.pages) > pmm_free_count())
			accept |= ST(VMM_ERR_NO_MEMORY);
		if (!accept)
			accept = ST(VMM_OK);
	}
	uint32_t regions[WINDOW_REGIONS];
	save_regions(m, regions);
	tlb_begin();
	op_begin(&m->trace, "vmm_map_range(0x%llX, 0x%llX, %llu pages, 0x%llX)", rg.va, phys,
		 rg.pages, flags);
	int rc = vmm_map_range(rg.va, phys, rg.pages, flags);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_map_range", rc, accept);
	if (rg.first < 0 || m->trace.failed)
		return;
	if (rc == VMM_OK) {
		for (uint32_t i = 0; i < rg.pages; i++)
			model_note_map(m, (uint32_t)rg.first + i, phys + i * PAGE_SIZE,
				       flags & ~PTE_PRESENT);
		check_flushed(m, (uint32_t)rg.first, rg.pages);
		check_pde_changes(m, regions);
	}
	check_window_pages(m, (uint32_t)rg.first, rg.pages);
}

/* Unmaps every page of one window region, run by run, so its table goes and
 * a later map makes it again: the draining mood's way to churn tables. */
static void empty_region(struct model *m)
{
	uint32_t r = rng_below(&m->trace, WINDOW_REGIONS);
	uint32_t regions[WINDOW_REGIONS];
	save_regions(m, regions);
	tlb_begin();
	for (uint32_t page = r * REGION_PAGES; page < (r + 1) * REGION_PAGES && !m->trace.failed;) {
		uint32_t run = mapped_run(m, page);
		if (page + run > (r + 1) * REGION_PAGES)
			run = (r + 1) * REGION_PAGES - page;
		if (!run) {
			page++;
			continue;
		}
		op_begin(&m->trace, "vmm_unmap_range(0x%llX, %llu pages) (emptying a region)",
			 window_va(page), run, 0, 0);
		int rc = vmm_unmap_range(window_va(page), run);
		op_result(&m->trace, rc);
		expect_status(m, "vmm_unmap_range", rc, ST(VMM_OK));
		for (uint32_t i = page; i < page + run && !m->trace.failed; i++)
			model_note_unmap(m, i);
		page += run;
	}
	if (!m->trace.failed)
		check_pde_changes(m, regions);
}

void op_unmap_range(struct model *m)
{
	if (m->mood == MOOD_SHRINK && rng_percent(&m->trace, 20)) {
		empty_region(m);
		return;
	}
	struct range rg = pick_range(m, true);
	uint32_t accept = rg.first < 0					 ? ST(VMM_ERR_INVALID)
			  : mapped_run(m, (uint32_t)rg.first) < rg.pages ? ST(VMM_ERR_NOT_MAPPED)
									 : ST(VMM_OK);
	uint32_t regions[WINDOW_REGIONS];
	save_regions(m, regions);
	tlb_begin();
	op_begin(&m->trace, "vmm_unmap_range(0x%llX, %llu pages)", rg.va, rg.pages, 0, 0);
	int rc = vmm_unmap_range(rg.va, rg.pages);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_unmap_range", rc, accept);
	if (rg.first < 0 || m->trace.failed)
		return;
	if (rc == VMM_OK) {
		for (uint32_t i = 0; i < rg.pages; i++)
			model_note_unmap(m, (uint32_t)rg.first + i);
		check_flushed(m, (uint32_t)rg.first, rg.pages);
		check_pde_changes(m, regions);
	}
	check_window_pages(m, (uint32_t)rg.first, rg.pages);
}

/* After a successful vmm_alloc_range: the new frames become the model's. */
static void adopt_range(struct model *m, uint32_t first, uint32_t pages, uint32_t flags)
{
	for (uint32_t i = first; i < first + pages && !m->trace.failed; i++) {
		paddr_t pa;
		if (!fake_walk(window_va(i), &pa, NULL)) {
			MFAIL(m, "vmm_alloc_range left 0x%08X unmapped", window_va(i));
			return;
		}
		pa &= PTE_FRAME_MASK;
		MCHECK(m,
		       pa < MODEL_RAM_BYTES && !model_owns(m, pa) && m->maps[paddr_to_pfn(pa)] == 0,
		       "vmm_alloc_range gave 0x%08X frame 0x%08X, which was not free", window_va(i),
		       pa);
		if (m->trace.failed)
			return;
		model_own(m, pa, FRAME_ALLOCATED);
		model_note_map(m, i, pa, flags & ~PTE_PRESENT);
	}
}

void op_alloc_range(struct model *m)
{
	struct range rg = pick_range(m, false);
	bool flags_ok;
	uint32_t flags = pick_flags(m, &flags_ok);
	uint32_t accept = 0;
	if (rg.first < 0 || !flags_ok) {
		accept = ST(VMM_ERR_INVALID);
	} else {
		uint32_t first = (uint32_t)rg.first;
		if (any_mapped(m, first, rg.pages))
			accept |= ST(VMM_ERR_ALREADY_MAPPED);
		if (rg.pages + new_tables(m, first, rg.pages) > pmm_free_count())
			accept |= ST(VMM_ERR_NO_MEMORY);
		if (!accept)
			accept = ST(VMM_OK);
	}
	uint32_t regions[WINDOW_REGIONS];
	save_regions(m, regions);
	tlb_begin();
	op_begin(&m->trace, "vmm_alloc_range(0x%llX, %llu pages, 0x%llX)", rg.va, rg.pages, flags,
		 0);
	int rc = vmm_alloc_range(rg.va, rg.pages, flags);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_alloc_range", rc, accept);
	if (rc == VMM_ERR_NO_MEMORY)
		m->trace.report->coverage.frames_exhausted++;
	if (rg.first < 0 || m->trace.failed)
		return;
	if (rc == VMM_OK) {
		adopt_range(m, (uint32_t)rg.first, rg.pages, flags);
		check_flushed(m, (uint32_t)rg.first, rg.pages);
		check_pde_changes(m, regions);
	}
	check_window_pages(m, (uint32_t)rg.first, rg.pages);
}

void op_free_range(struct model *m)
{
	struct range rg = pick_range(m, true);
	uint32_t accept = 0;
	if (rg.first < 0) {
		accept = ST(VMM_ERR_INVALID);
	} else {
		for (uint32_t i = (uint32_t)rg.first; i < (uint32_t)rg.first + rg.pages; i++) {
			const struct window_page *p = &m->page[i];
			if (!p->mapped) {
				accept |= ST(VMM_ERR_NOT_MAPPED);
				continue;
			}
			/* Only frames vmm_alloc_range could have given: allocated, mapped once. */
			pfn_t pfn = paddr_to_pfn(p->pa);
			if (p->pa >= MODEL_RAM_BYTES || m->owner[pfn] != FRAME_ALLOCATED ||
			    m->maps[pfn] != 1)
				accept |= ST(VMM_ERR_INVALID);
		}
		if (!accept)
			accept = ST(VMM_OK);
	}
	uint32_t regions[WINDOW_REGIONS];
	save_regions(m, regions);
	tlb_begin();
	op_begin(&m->trace, "vmm_free_range(0x%llX, %llu pages)", rg.va, rg.pages, 0, 0);
	int rc = vmm_free_range(rg.va, rg.pages);
	op_result(&m->trace, rc);
	expect_status(m, "vmm_free_range", rc, accept);
	if (rg.first < 0 || m->trace.failed)
		return;
	if (rc == VMM_OK) {
		for (uint32_t i = (uint32_t)rg.first; i < (uint32_t)rg.first + rg.pages; i++) {
			paddr_t pa = m->page[i].pa;
			model_note_unmap(m, i);
			model_disown(m, pa);
		}
		check_flushed(m, (uint32_t)rg.first, rg.pages);
		check_pde_changes(m, regions);
	}
	check_window_pages(m, (uint32_t)rg.first, rg.pages);
}

/* --- the PMM -------------------------------------------------------------- */

/* pmm_alloc_page_below(limit) found nothing: then no frame below limit is free. */
static void check_none_free_below(struct model *m, paddr_t limit)
{
	uint64_t end = limit < MODEL_RAM_BYTES ? limit : MODEL_RAM_BYTES;
	for (paddr_t pa = 0; pa + PAGE_SIZE <= end && !m->trace.failed; pa += PAGE_SIZE)
		MCHECK(m, pmm_frame_state(pa) != FRAME_FREE,
		       "pmm_alloc_page_below(0x%08X) failed, but frame 0x%08X is free", limit, pa);
}

/* A frame the PMM just handed out: aligned, in RAM, neither the model's nor
 * mapped, in its owner's state with no references. */
static void adopt_frame(struct model *m, paddr_t pa, enum frame_state owner)
{
	MCHECK(m, page_aligned(pa) && pa < MODEL_RAM_BYTES, "allocated frame 0x%08X out of RAM",
	       pa);
	if (m->trace.failed)
		return;
	pfn_t pfn = paddr_to_pfn(pa);
	MCHECK(m, !m->owner[pfn] && !m->maps[pfn], "frame 0x%08X handed out while the model %s it",
	       pa, m->owner[pfn] ? "owns" : "maps");
	MCHECK(m, pmm_frame_state(pa) == owner && pmm_frame_refs(pa) == 0,
	       "new frame 0x%08X is %s with %u references", pa, pmm_state_name(pmm_frame_state(pa)),
	       pmm_frame_refs(pa));
	if (!m->trace.failed)
		model_own(m, pa, (uint8_t)owner);
}

static paddr_t pick_limit(struct model *m)
{
	static const paddr_t limits[] = {
		0,
		PAGE_SIZE,
		LAYOUT_LOW_MEMORY_END,
		FIXTURE_KERNEL_END,
		FIXTURE_KERNEL_END + 0x10000u,
		LAYOUT_IDENTITY_END,
		0xFFFFF000u,
	};
	if (rng_percent(&m->trace, 40))
		return rng_below(&m->trace, MODEL_FRAMES) * PAGE_SIZE;
	return limits[rng_below(&m->trace, ARRAY_LEN(limits))];
}

/* One allocation; false when it was refused. */
static bool alloc_one(struct model *m, uint32_t variant, paddr_t limit, uint32_t bad_owner)
{
	uint32_t free_before = pmm_free_count();
	paddr_t pa;
	/* Heap frames belong to the heap alone (vm_check wants each mapped
	 * once, in the heap), so the model owns allocated frames only. */
	enum frame_state owner = FRAME_ALLOCATED;
	switch (variant) {
	case 0:
		op_begin(&m->trace, "pmm_alloc_page()", 0, 0, 0, 0);
		pa = pmm_alloc_page();
		break;
	case 1:
	case 2:
		op_begin(&m->trace, "pmm_alloc_as(%llu)", owner, 0, 0, 0);
		pa = pmm_alloc_as(owner);
		break;
	case 3:
		op_begin(&m->trace, "pmm_alloc_as(%llu) (not an owner)", bad_owner, 0, 0, 0);
		pa = pmm_alloc_as((enum frame_state)bad_owner);
		op_result(&m->trace, pa);
		MCHECK(m, pa == PMM_INVALID_PAGE, "pmm_alloc_as(%u) gave 0x%08X", bad_owner, pa);
		m->trace.report->coverage.refused++;
		return false;
	default:
		op_begin(&m->trace, "pmm_alloc_page_below(0x%llX)", limit, 0, 0, 0);
		pa = pmm_alloc_page_below(limit);
		op_result(&m->trace, pa);
		if (pa == PMM_INVALID_PAGE) {
			m->trace.report->coverage.refused++;
			check_none_free_below(m, limit);
			return false;
		}
		MCHECK(m, pa < limit, "pmm_alloc_page_below(0x%08X) gave 0x%08X", limit, pa);
		adopt_frame(m, pa, FRAME_ALLOCATED);
		return true;
	}
	op_result(&m->trace, pa);
	MCHECK(m, (pa != PMM_INVALID_PAGE) == (free_before > 0),
	       "allocation gave 0x%08X with %u frames free", pa, free_before);
	if (pa == PMM_INVALID_PAGE) {
		m->trace.report->coverage.frames_exhausted++;
		m->trace.report->coverage.refused++;
		return false;
	}
	adopt_frame(m, pa, owner);
	return true;
}

void op_pmm_alloc(struct model *m)
{
	if (m->mood != MOOD_GROW && m->owned_count > OWNED_SOFT_CAP) {
		op_pmm_free(m);
		return;
	}
	uint32_t r = rng_below(&m->trace, 100);
	uint32_t variant = r < 55 ? 0 : r < 65 ? 1 : r < 75 ? 2 : r < 85 ? 3 : 4;
	paddr_t limit = pick_limit(m);
	uint32_t bad_owner = bad_owners[rng_below(&m->trace, ARRAY_LEN(bad_owners))];
	uint32_t burst = m->mood == MOOD_GROW ? 1 + rng_below(&m->trace, BURST_MAX) : 1;
	for (uint32_t i = 0; i < burst && !m->trace.failed; i++)
		if (!alloc_one(m, variant, limit, bad_owner))
			break; /* refused: the rest of the burst would be too */
}

/* Frees pa with the call its owner takes; the status the model expects. */
static int free_owned(struct model *m, paddr_t pa)
{
	if (m->owner[paddr_to_pfn(pa)] == FRAME_HEAP) {
		op_begin(&m->trace, "pmm_free_as(0x%llX, FRAME_HEAP)", pa, 0, 0, 0);
		return pmm_free_as(pa, FRAME_HEAP);
	}
	op_begin(&m->trace, "pmm_free_page(0x%llX)", pa, 0, 0, 0);
	return pmm_free_page(pa);
}

static void free_and_check(struct model *m, paddr_t pa, int rc, uint32_t accept)
{
	op_result(&m->trace, rc);
	expect_status(m, "pmm free", rc, accept);
	if (rc == PMM_OK && !m->trace.failed)
		model_disown(m, pa);
}

/* A frame the model does not own: what freeing it must say. */
static uint32_t foreign_free_status(struct model *m, paddr_t pa)
{
	if (!page_aligned(pa) || pa >= MODEL_RAM_BYTES)
		return ST(PMM_ERR_INVALID);
	switch (pmm_frame_state(pa)) {
	case FRAME_FREE: return ST(PMM_ERR_NOT_ALLOCATED);
	case FRAME_RESERVED:
	case FRAME_KERNEL: return ST(PMM_ERR_RESERVED);
	case FRAME_NONE: return ST(PMM_ERR_INVALID);
	case FRAME_ALLOCATED:
		MFAIL(m, "frame 0x%08X is allocated, but not by the model", pa);
		return 0;
	default: return ST(PMM_ERR_IN_USE);
	}
}

static paddr_t pick_foreign_frame(struct model *m)
{
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 30 && m->freed_total)
		return freed_frame(m);
	if (r < 40)
		return kernel_frame(m) + 4 * (1 + rng_below(&m->trace, PAGE_SIZE / 4 - 1));
	if (r < 50)
		return rng_percent(&m->trace, 50)
			       ? MODEL_RAM_BYTES + rng_below(&m->trace, 64) * PAGE_SIZE
			       : (rng_percent(&m->trace, 50) ? 0xFFFFF000u : PMM_INVALID_PAGE);
	if (r < 60)
		return rng_below(&m->trace, LOW_FRAMES) *
		       PAGE_SIZE; /* reserved, or the hole above 0x9F000 */
	if (r < 70)
		return FIXTURE_KERNEL_START + rng_below(&m->trace, KERNEL_FRAMES + 1) * PAGE_SIZE;
	if (r < 80 && table_frame(m))
		return table_frame(m);
	if (r < 90)
		return heap_frame(m);
	return rng_below(&m->trace, MODEL_FRAMES) * PAGE_SIZE;
}

void op_pmm_free(struct model *m)
{
	uint32_t r = rng_below(&m->trace, 100);
	if (r < 62 && m->owned_count) {
		paddr_t pa = pfn_to_paddr(m->owned[rng_below(&m->trace, m->owned_count)]);
		pfn_t pfn = paddr_to_pfn(pa);
		if (r < 50) {
			free_and_check(m, pa, free_owned(m, pa),
				       m->maps[pfn] ? ST(PMM_ERR_IN_USE) : ST(PMM_OK));
		} else if (r < 58) { /* the wrong owner */
			bool heap = m->owner[pfn] == FRAME_HEAP;
			op_begin(&m->trace, "pmm_free_as(0x%llX, %llu) (wrong owner)", pa,
				 heap ? FRAME_ALLOCATED : FRAME_PAGE_TABLE, 0, 0);
			int rc = heap ? pmm_free_page(pa) : pmm_free_as(pa, FRAME_PAGE_TABLE);
			free_and_check(m, pa, rc, ST(PMM_ERR_IN_USE));
		} else {
			uint32_t owner = bad_owners[rng_below(&m->trace, ARRAY_LEN(bad_owners))];
			op_begin(&m->trace, "pmm_free_as(0x%llX, %llu) (not an owner)", pa, owner,
				 0, 0);
			free_and_check(m, pa, pmm_free_as(pa, (enum frame_state)owner),
				       PMM_ANY_ERROR);
		}
		return;
	}
	paddr_t pa = pick_foreign_frame(m);
	if (model_owns(m, pa) && page_aligned(pa)) { /* a freed frame the model took again */
		free_and_check(m, pa, free_owned(m, pa),
			       m->maps[paddr_to_pfn(pa)] ? ST(PMM_ERR_IN_USE) : ST(PMM_OK));
		return;
	}
	uint32_t accept = foreign_free_status(m, pa);
	op_begin(&m->trace, "pmm_free_page(0x%llX) (not the model's)", pa, 0, 0, 0);
	int rc = pmm_free_page(pa);
	op_result(&m->trace, rc);
	expect_status(m, "pmm_free_page", rc, accept);
}

/* A reference pins a frame: it cannot be freed until the reference goes. */
void op_pmm_pin(struct model *m)
{
	if (m->owned_count && rng_percent(&m->trace, 70)) {
		paddr_t pa = pfn_to_paddr(m->owned[rng_below(&m->trace, m->owned_count)]);
		op_begin(&m->trace, "pmm_ref(0x%llX)", pa, 0, 0, 0);
		int rc = pmm_ref(pa);
		op_result(&m->trace, rc);
		expect_status(m, "pmm_ref", rc, ST(PMM_OK));
		rc = free_owned(m, pa);
		op_result(&m->trace, rc);
		expect_status(m, "free of a pinned frame", rc, ST(PMM_ERR_IN_USE));
		op_begin(&m->trace, "pmm_unref(0x%llX)", pa, 0, 0, 0);
		rc = pmm_unref(pa);
		op_result(&m->trace, rc);
		expect_status(m, "pmm_unref", rc, ST(PMM_OK));
		if (!m->maps[paddr_to_pfn(pa)]) {
			op_begin(&m->trace, "pmm_unref(0x%llX) (no references)", pa, 0, 0, 0);
			rc = pmm_unref(pa);
			op_result(&m->trace, rc);
			expect_status(m, "pmm_unref", rc, ST(PMM_ERR_NOT_ALLOCATED));
		}
		return;
	}
	paddr_t pa = m->freed_total && rng_percent(&m->trace, 60) ? freed_frame(m) : table_frame(m);
	if (!pa || model_owns(m, pa))
		return;
	enum frame_state st = pmm_frame_state(pa);
	if (st != FRAME_FREE && st != FRAME_PAGE_TABLE)
		return; /* taken by the heap since: a reference would outlive the test */
	op_begin(&m->trace, "pmm_ref(0x%llX) (free frame or page table)", pa, 0, 0, 0);
	int rc = pmm_ref(pa);
	op_result(&m->trace, rc);
	expect_status(m, "pmm_ref", rc,
		      st == FRAME_FREE ? ST(PMM_ERR_NOT_ALLOCATED) : ST(PMM_ERR_IN_USE));
}

/* --- injected failures ------------------------------------------------------ */

/* A run of unmapped window pages, with the frames to allocate them all. */
static bool pick_fresh_run(struct model *m, uint32_t *first, uint32_t *pages)
{
	*first = pick_page(m);
	*pages = unmapped_run(m, *first, 1 + rng_below(&m->trace, 24));
	return *pages > 0 && *pages + new_tables(m, *first, *pages) <= pmm_free_count();
}

/* The n-th frame allocation inside a call fails: the call must say
 * VMM_ERR_NO_MEMORY and undo everything (the count check and the page
 * comparison see any leftover). */
void op_inject_vm(struct model *m)
{
	uint32_t first, pages;
	if (!pick_fresh_run(m, &first, &pages))
		return;
	uint32_t tables = new_tables(m, first, pages);
	bool use_map_range = rng_percent(&m->trace, 40);
	if (use_map_range && tables == 0)
		use_map_range = false;
	uint32_t allocations = use_map_range ? tables : pages + tables;
	uint32_t n = 1 + rng_below(&m->trace, allocations);
	pmm_fail_nth_alloc(n);
	int rc;
	if (use_map_range) {
		paddr_t phys =
			MODEL_RAM_BYTES + rng_below(&m->trace, BEYOND_RAM_FRAMES) * PAGE_SIZE;
		op_begin(
			&m->trace,
			"vmm_map_range(0x%llX, 0x%llX, %llu pages, W) with allocation %llu failing",
			window_va(first), phys, pages, n);
		rc = vmm_map_range(window_va(first), phys, pages, PTE_WRITABLE);
	} else {
		op_begin(&m->trace,
			 "vmm_alloc_range(0x%llX, %llu pages, W) with allocation %llu failing",
			 window_va(first), pages, n, 0);
		rc = vmm_alloc_range(window_va(first), pages, PTE_WRITABLE);
	}
	pmm_fail_nth_alloc(0);
	op_result(&m->trace, rc);
	expect_status(m, "call with an injected failure", rc, ST(VMM_ERR_NO_MEMORY));
	check_window_pages(m, first, pages);
}

/* --- the final phase -------------------------------------------------------- */

void release_all_frames(struct model *m)
{
	while (m->window_mapped && !m->trace.failed) {
		uint32_t page = m->mapped_list[m->window_mapped - 1];
		op_begin(&m->trace, "vmm_unmap_page(0x%llX) (final)", window_va(page), 0, 0, 0);
		int rc = vmm_unmap_page(window_va(page));
		op_result(&m->trace, rc);
		expect_status(m, "vmm_unmap_page", rc, ST(VMM_OK));
		model_note_unmap(m, page);
	}
	while (m->owned_count && !m->trace.failed) {
		paddr_t pa = pfn_to_paddr(m->owned[m->owned_count - 1]);
		free_and_check(m, pa, free_owned(m, pa), ST(PMM_OK));
	}
}
