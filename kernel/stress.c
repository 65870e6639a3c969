/* test=stress [seed=N] [ops=N]: random operations on the real MMU.
 *
 * A shadow of a scratch window (WINDOW_REGIONS page tables' worth of
 * LAYOUT_TEST_SCRATCH) says what every page maps; each operation's result is
 * compared with it, and so is what the CPU reads through the mappings:
 *
 *   - every frame the test allocates gets a tag written at its start (through
 *     an alias page), so a read through any page that maps it must see that
 *     tag, and a read through a page mapping kernel text must see what the
 *     identity map shows there;
 *   - each remap is a TLB check: a value is written through an alias of
 *     frame B, page V (mapping A, just read, so the TLB holds V->A) is
 *     unmapped and mapped to B, and a read through V must see B's value.
 *
 * vm_check() runs every VM_CHECK_EVERY operations.  At the end every page is
 * unmapped and every frame freed, and the pass code is written only if
 * nothing diverged and the free frames, mapped pages and page tables are back
 * to their counts at the start.  A divergence prints the operation's number
 * and the command line that replays the run up to it.
 *
 * The host's model test (tests/host/test_mm_model.c) is the richer model;
 * this one exists for what only real hardware (here TCG) has: a TLB. */
#include <stddef.h>
#include <stdint.h>

#include "drivers/console.h"
#include "kernel/boot.h"
#include "kernel/cmdline_args.h"
#include "kernel/scenario.h"
#include "lib/random.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "mm/vmm.h"

#define DEFAULT_SEED   1u
#define DEFAULT_OPS    200000u
#define VM_CHECK_EVERY 250u
#define PROGRESS_EVERY 20000u

#define REGION_PAGES   PT_ENTRIES
#define WINDOW_REGIONS 4u
#define WINDOW_PAGES   (WINDOW_REGIONS * REGION_PAGES)
#define HOT_PAGES      64u /* pages at each region's start picked most, so tables empty */
#define WINDOW_BASE    LAYOUT_TEST_SCRATCH
/* The alias page that writes frame contents, far from the window. */
#define ALIAS_VA	   (LAYOUT_TEST_SCRATCH + 32u * REGION_PAGES * PAGE_SIZE)
#define MAX_OWNED	   1024u
#define OWNED_LOW_WATER	   64u
#define KERNEL_TEXT_FRAMES 4u /* frames of kernel text mapped as stable aliases */
#define MAX_RANGE	   48u
#define TAG_MAGIC	   0x7A6C0000u
#define CHECK_OFFSET	   2u	/* word of a frame the remap check writes (0 is the tag) */
#define SHADOW_MAPPED	   0x1u /* in a shadow entry: the page is mapped */

extern const char __kernel_start[];

static struct xorshift32 rng;
static uint32_t op_index, seed;
static bool diverged;

/* shadow[i]: frame | flags | SHADOW_MAPPED of window page i, or 0. */
static uint32_t shadow[WINDOW_PAGES];
static uint32_t region_maps[WINDOW_REGIONS];
static paddr_t owned[MAX_OWNED];
static uint32_t owned_count;
static uint32_t refused;

/* The seed is the generator's whole state, so seed=N replays the run. */
static uint32_t rnd(void)
{
	return xorshift32_next(&rng);
}

static uint32_t below(uint32_t n)
{
	return xorshift32_below(&rng, n);
}

static bool diverge(const char *what, uint32_t got, uint32_t want)
{
	if (!diverged)
		kprintf("stress: op %u: %s: got 0x%08X, want 0x%08X\n"
			"stress: replay with test=stress seed=%u ops=%u\n",
			op_index, what, got, want, seed, op_index + 1);
	diverged = true;
	return false;
}

static bool expect(const char *what, int got, int want)
{
	if (got != want)
		return diverge(what, (uint32_t)got, (uint32_t)want);
	refused += got != 0;
	return true;
}

static vaddr_t page_va(uint32_t page)
{
	return WINDOW_BASE + page * PAGE_SIZE;
}

static uint32_t tag_of(paddr_t pa)
{
	return TAG_MAGIC ^ pa;
}

static paddr_t kernel_text_frame(void)
{
	return ((paddr_t)__kernel_start & PTE_FRAME_MASK) + below(KERNEL_TEXT_FRAMES) * PAGE_SIZE;
}

/* What word 0 of frame pa must read: its tag, or for kernel text what the
 * identity map shows. */
static uint32_t expected_word(paddr_t pa)
{
	for (uint32_t i = 0; i < owned_count; i++)
		if (owned[i] == pa)
			return tag_of(pa);
	return *(volatile const uint32_t *)(uintptr_t)pa;
}

static uint32_t pick_page(void)
{
	if (below(100) < 80)
		return below(WINDOW_REGIONS) * REGION_PAGES + below(HOT_PAGES);
	return below(WINDOW_PAGES);
}

static uint32_t pick_flags(void)
{
	static const uint32_t bits[] = {PTE_WRITABLE, PTE_GLOBAL, PTE_WRITETHROUGH, PTE_NOCACHE};
	uint32_t flags = 0;
	for (uint32_t i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
		if (below(2))
			flags |= bits[i];
	return flags;
}

/* --- shadow bookkeeping ------------------------------------------------- */

static void note_map(uint32_t page, paddr_t pa, uint32_t flags)
{
	shadow[page] = pa | flags | SHADOW_MAPPED;
	region_maps[page / REGION_PAGES]++;
}

static void note_unmap(uint32_t page)
{
	shadow[page] = 0;
	region_maps[page / REGION_PAGES]--;
}

static uint32_t maps_of(paddr_t pa)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < WINDOW_PAGES; i++)
		n += (shadow[i] & SHADOW_MAPPED) && (shadow[i] & PTE_FRAME_MASK) == pa;
	return n;
}

/* --- frames --------------------------------------------------------------- */

/* Writes value at word `word` of frame pa through the alias page. */
static bool poke(paddr_t pa, uint32_t word, uint32_t value)
{
	if (!expect("map the alias page", vmm_map_page(ALIAS_VA, pa, PTE_WRITABLE), VMM_OK))
		return false;
	((volatile uint32_t *)ALIAS_VA)[word] = value;
	return expect("unmap the alias page", vmm_unmap_page(ALIAS_VA), VMM_OK);
}

static void op_alloc_frame(void)
{
	if (owned_count == MAX_OWNED)
		return;
	uint32_t free_before = pmm_free_count();
	paddr_t pa = pmm_alloc_page();
	if (pa == PMM_INVALID_PAGE) {
		if (free_before)
			diverge("pmm_alloc_page failed with frames free", free_before, 0);
		return;
	}
	if (pmm_frame_state(pa) != FRAME_ALLOCATED || pmm_frame_refs(pa) != 0) {
		diverge("new frame's state", pmm_frame_state(pa), FRAME_ALLOCATED);
		return;
	}
	owned[owned_count++] = pa;
	poke(pa, 0, tag_of(pa));
}

/* Unmaps every window page that maps pa. */
static bool unmap_all_of(paddr_t pa)
{
	for (uint32_t page = 0; page < WINDOW_PAGES; page++) {
		if (!(shadow[page] & SHADOW_MAPPED) || (shadow[page] & PTE_FRAME_MASK) != pa)
			continue;
		if (!expect("vmm_unmap_page (to free its frame)", vmm_unmap_page(page_va(page)),
			    VMM_OK))
			return false;
		note_unmap(page);
	}
	return true;
}

/* A mapped frame cannot be freed; once its mappings go it can, once. */
static void op_free_frame(void)
{
	if (!owned_count)
		return;
	uint32_t i = below(owned_count);
	paddr_t pa = owned[i];
	if (maps_of(pa) &&
	    (!expect("pmm_free_page of a mapped frame", pmm_free_page(pa), PMM_ERR_IN_USE) ||
	     !unmap_all_of(pa)))
		return;
	if (!expect("pmm_free_page", pmm_free_page(pa), PMM_OK))
		return;
	owned[i] = owned[--owned_count];
	expect("second pmm_free_page", pmm_free_page(pa), PMM_ERR_NOT_ALLOCATED);
}

/* A frame to map: one of the test's, or kernel text. */
static paddr_t pick_frame(void)
{
	if (owned_count && below(100) < 85)
		return owned[below(owned_count)];
	return kernel_text_frame();
}

/* --- pages -------------------------------------------------------------- */

static void op_map(void)
{
	uint32_t page = pick_page();
	paddr_t pa = pick_frame();
	uint32_t flags = pick_flags();
	int want = (shadow[page] & SHADOW_MAPPED) ? VMM_ERR_ALREADY_MAPPED : VMM_OK;
	if (expect("vmm_map_page", vmm_map_page(page_va(page), pa, flags), want) && want == VMM_OK)
		note_map(page, pa, flags);
}

static void op_unmap(void)
{
	uint32_t page = pick_page();
	int want = (shadow[page] & SHADOW_MAPPED) ? VMM_OK : VMM_ERR_NOT_MAPPED;
	if (expect("vmm_unmap_page", vmm_unmap_page(page_va(page)), want) && want == VMM_OK)
		note_unmap(page);
}

static void op_protect(void)
{
	uint32_t page = pick_page();
	uint32_t flags = pick_flags();
	bool mapped = shadow[page] & SHADOW_MAPPED;
	if (expect("vmm_protect", vmm_protect(page_va(page), flags),
		   mapped ? VMM_OK : VMM_ERR_NOT_MAPPED) &&
	    mapped)
		shadow[page] = (shadow[page] & PTE_FRAME_MASK) | flags | SHADOW_MAPPED;
}

/* The VMM's answer and the CPU's both agree with the shadow. */
static void op_lookup(void)
{
	uint32_t page = pick_page();
	uint32_t s = shadow[page];
	paddr_t pa = 0;
	uint32_t flags = 0;
	int rc = vmm_query(page_va(page), &pa, &flags);
	if (!(s & SHADOW_MAPPED)) {
		expect("vmm_query of an unmapped page", rc, VMM_ERR_NOT_MAPPED);
		return;
	}
	if (!expect("vmm_query", rc, VMM_OK))
		return;
	if (pa != (s & PTE_FRAME_MASK))
		diverge("vmm_query frame", pa, s & PTE_FRAME_MASK);
	else if ((flags & VMM_ALLOWED_FLAGS) != ((s & VMM_ALLOWED_FLAGS) | PTE_PRESENT))
		diverge("vmm_query flags", flags & VMM_ALLOWED_FLAGS,
			(s & VMM_ALLOWED_FLAGS) | PTE_PRESENT);
	else if (*(volatile const uint32_t *)page_va(page) != expected_word(pa))
		diverge("word read through the mapping", *(volatile const uint32_t *)page_va(page),
			expected_word(pa));
}

/* The TLB check: after V is remapped from A to B, V reads B's contents. */
static void op_remap(void)
{
	uint32_t page = pick_page();
	if (!(shadow[page] & SHADOW_MAPPED) || !owned_count)
		return;
	vaddr_t va = page_va(page);
	paddr_t b = owned[below(owned_count)];
	uint32_t value = rnd();
	if (!poke(b, CHECK_OFFSET, value))
		return;
	(void)*(volatile const uint32_t *)va; /* the TLB now holds V -> A */
	uint32_t flags = shadow[page] & VMM_ALLOWED_FLAGS;
	if (!expect("vmm_unmap_page (remap)", vmm_unmap_page(va), VMM_OK))
		return;
	note_unmap(page);
	if (!expect("vmm_map_page (remap)", vmm_map_page(va, b, flags), VMM_OK))
		return;
	note_map(page, b, flags);
	uint32_t seen = ((volatile const uint32_t *)va)[CHECK_OFFSET];
	if (seen != value)
		diverge("read after remap (stale TLB entry?)", seen, value);
}

/* --- ranges ------------------------------------------------------------- */

static uint32_t mapped_in(uint32_t first, uint32_t pages)
{
	uint32_t n = 0;
	for (uint32_t i = first; i < first + pages; i++)
		n += (shadow[i] & SHADOW_MAPPED) != 0;
	return n;
}

static void pick_range(uint32_t *first, uint32_t *pages)
{
	/* Often across a table boundary. */
	*first = below(100) < 30 ? (1 + below(WINDOW_REGIONS - 1)) * REGION_PAGES - below(8)
				 : pick_page();
	*pages = 1 + below(MAX_RANGE);
	if (*first + *pages > WINDOW_PAGES)
		*pages = WINDOW_PAGES - *first;
}

static void op_map_range(void)
{
	uint32_t first, pages;
	pick_range(&first, &pages);
	paddr_t pa = ((paddr_t)__kernel_start & PTE_FRAME_MASK);
	pages = pages > KERNEL_TEXT_FRAMES ? KERNEL_TEXT_FRAMES : pages;
	int want = mapped_in(first, pages) ? VMM_ERR_ALREADY_MAPPED : VMM_OK;
	if (!expect("vmm_map_range", vmm_map_range(page_va(first), pa, pages, 0), want) ||
	    want != VMM_OK)
		return;
	for (uint32_t i = 0; i < pages; i++)
		note_map(first + i, pa + i * PAGE_SIZE, 0);
}

static void op_unmap_range(void)
{
	uint32_t first, pages;
	pick_range(&first, &pages);
	/* Shrink to the mapped run at first, most of the time, so it succeeds. */
	uint32_t run = 0;
	while (run < pages && (shadow[first + run] & SHADOW_MAPPED))
		run++;
	if (run && below(100) < 80)
		pages = run;
	int want = mapped_in(first, pages) == pages ? VMM_OK : VMM_ERR_NOT_MAPPED;
	if (!expect("vmm_unmap_range", vmm_unmap_range(page_va(first), pages), want) ||
	    want != VMM_OK)
		return;
	for (uint32_t i = first; i < first + pages; i++)
		note_unmap(i);
}

static void op_alloc_range(void)
{
	uint32_t first, pages;
	pick_range(&first, &pages);
	if (mapped_in(first, pages)) {
		expect("vmm_alloc_range over mapped pages",
		       vmm_alloc_range(page_va(first), pages, PTE_WRITABLE),
		       VMM_ERR_ALREADY_MAPPED);
		return;
	}
	if (!expect("vmm_alloc_range", vmm_alloc_range(page_va(first), pages, PTE_WRITABLE),
		    VMM_OK))
		return;
	for (uint32_t i = first; i < first + pages; i++)
		note_map(i, vmm_get_physical(page_va(i)), PTE_WRITABLE);
	/* Its frames are the VMM's to free: give them straight back, through
	 * a free that must succeed. */
	if (expect("vmm_free_range", vmm_free_range(page_va(first), pages), VMM_OK))
		for (uint32_t i = first; i < first + pages; i++)
			note_unmap(i);
}

/* --- bad arguments -------------------------------------------------------- */

static void op_bad_arguments(void)
{
	uint32_t page = pick_page();
	vaddr_t va = page_va(page);
	switch (below(6)) {
	case 0:
		expect("vmm_map_page unaligned", vmm_map_page(va + 4, kernel_text_frame(), 0),
		       VMM_ERR_INVALID);
		break;
	case 1:
		expect("vmm_map_page dirty flag", vmm_map_page(va, kernel_text_frame(), PTE_DIRTY),
		       VMM_ERR_INVALID);
		break;
	case 2:
		expect("vmm_unmap_page identity map",
		       vmm_unmap_page(LAYOUT_IDENTITY_END - PAGE_SIZE), VMM_ERR_INVALID);
		break;
	case 3: {
		pte_t pde = arch_pd_view(arch_active_pd())[pde_index(va)];
		if ((pde & PTE_PRESENT) && !(shadow[page] & SHADOW_MAPPED))
			expect("vmm_map_page of a page table",
			       vmm_map_page(va, pde & PTE_FRAME_MASK, 0), VMM_ERR_INVALID);
		break;
	}
	case 4:
		expect("pmm_free_page of kernel text", pmm_free_page(kernel_text_frame()),
		       PMM_ERR_RESERVED);
		break;
	default: expect("vmm_translate to NULL", vmm_translate(va, NULL), VMM_ERR_INVALID); break;
	}
}

/* --- the run -------------------------------------------------------------- */

static void run_one(void)
{
	uint32_t r = below(100);
	if (owned_count < OWNED_LOW_WATER && r < 50)
		op_alloc_frame();
	else if (r < 8)
		op_alloc_frame();
	else if (r < 15)
		op_free_frame();
	else if (r < 35)
		op_map();
	else if (r < 55)
		op_unmap();
	else if (r < 60)
		op_protect();
	else if (r < 72)
		op_lookup();
	else if (r < 80)
		op_remap();
	else if (r < 85)
		op_map_range();
	else if (r < 92)
		op_unmap_range();
	else if (r < 96)
		op_alloc_range();
	else
		op_bad_arguments();
}

static void release_everything(void)
{
	for (uint32_t page = 0; page < WINDOW_PAGES; page++)
		if ((shadow[page] & SHADOW_MAPPED) &&
		    expect("vmm_unmap_page (end)", vmm_unmap_page(page_va(page)), VMM_OK))
			note_unmap(page);
	while (owned_count)
		expect("pmm_free_page (end)", pmm_free_page(owned[--owned_count]), PMM_OK);
}

static void run_stress(void)
{
	/* xorshift never leaves 0, so seed=0 would not be the run asked for. */
	seed = cmdline_arg_u32("seed", DEFAULT_SEED, 1, UINT32_MAX);
	uint32_t ops = cmdline_arg_u32("ops", DEFAULT_OPS, 0, UINT32_MAX);
	rng.state = seed;
	uint32_t free0 = pmm_free_count(), mapped0 = vmm_mapped_count();
	uint32_t tables0 = vmm_table_count();
	kprintf("stress: seed %u, %u operations in a %u-page window\n", seed, ops, WINDOW_PAGES);
	for (op_index = 0; op_index < ops && !diverged; op_index++) {
		run_one();
		if ((op_index + 1) % VM_CHECK_EVERY == 0 && !vm_check())
			diverge("vm_check() failed", 0, 1);
		if ((op_index + 1) % PROGRESS_EVERY == 0)
			kprintf("stress: %u operations, %u frames held, %u refused as they must "
				"be\n",
				op_index + 1, owned_count, refused);
	}
	release_everything();
	if (!vm_check())
		diverge("vm_check() at the end", 0, 1);
	if (pmm_free_count() != free0)
		diverge("free frames at the end", pmm_free_count(), free0);
	if (vmm_mapped_count() != mapped0)
		diverge("mapped pages at the end", vmm_mapped_count(), mapped0);
	if (vmm_table_count() != tables0)
		diverge("page tables at the end", vmm_table_count(), tables0);
	if (!diverged)
		kprintf("stress: %u operations passed; every frame came back\n", op_index);
	scenario_finish(!diverged);
}
SCENARIO(stress, "stress", STAGE_IDLE, run_stress);
