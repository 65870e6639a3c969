/* vm_check: the page directory, the page tables and the frame records must
 * tell the same story.  Mapping counts are verified without a second table:
 * every PTE takes one reference off its frame (pass 1), after which no frame
 * may have references left (pass 2); then every reference is put back
 * (pass 3).  Interrupt handlers never touch mm/, so nothing sees the
 * intermediate state. */
#include "mm/vm_check.h"

#include <stddef.h>

#include "arch/mmu.h"
#include "drivers/console.h"
#include "mm/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define FIRST_MANAGED_PDE (LAYOUT_IDENTITY_END >> PDE_SHIFT)
#define LAST_MANAGED_PDE  (LAYOUT_RECURSIVE_SLOT - 1u)

typedef bool (*pte_visitor_t)(vaddr_t va, pte_t pte, void *ctx);

/* Visits every present managed PTE in address order; stops when fn says so. */
static bool for_each_pte(pte_visitor_t fn, void *ctx)
{
	const pte_t *pd = arch_page_directory();
	for (uint32_t pdi = FIRST_MANAGED_PDE; pdi <= LAST_MANAGED_PDE; pdi++) {
		if (!(pd[pdi] & PTE_PRESENT))
			continue;
		const pte_t *pt = arch_page_table(pdi);
		for (uint32_t i = 0; i < PT_ENTRIES; i++)
			if ((pt[i] & PTE_PRESENT) && !fn(pde_base(pdi) + i * PAGE_SIZE, pt[i], ctx))
				return false;
	}
	return true;
}

struct walk {
	vaddr_t stop_at; /* pass 3 puts back references up to here */
	bool failed;
};

static bool take_reference(vaddr_t va, pte_t pte, void *ctx)
{
	struct walk *w = ctx;
	if (pmm_unref(pte & PTE_FRAME_MASK) != PMM_OK) {
		kprintf("vm_check: 0x%08X maps frame 0x%08X, which has fewer references than "
			"PTEs\n",
			va, pte & PTE_FRAME_MASK);
		w->failed = true;
		w->stop_at = va;
		return false;
	}
	return true;
}

static bool give_reference(vaddr_t va, pte_t pte, void *ctx)
{
	struct walk *w = ctx;
	if (va == w->stop_at)
		return false;
	pmm_ref(pte & PTE_FRAME_MASK);
	return true;
}

static void report_leftover(pfn_t pfn, uint32_t refs, void *ctx)
{
	bool *failed = ctx;
	if (!*failed)
		kprintf("vm_check: frame 0x%08X has %u reference(s) no PTE accounts for\n",
			pfn_to_paddr(pfn), refs);
	*failed = true;
}

static bool check_references(void)
{
	struct walk w = {.stop_at = LAYOUT_RECURSIVE_BASE, .failed = false};
	for_each_pte(take_reference, &w);
	bool leftover = false;
	if (!w.failed)
		pmm_for_each_mapped(report_leftover, &leftover);
	for_each_pte(give_reference, &w);
	return !w.failed && !leftover;
}

static bool check_tables(void)
{
	const pte_t *pd = arch_page_directory();
	if ((pd[LAYOUT_RECURSIVE_SLOT] & PTE_FRAME_MASK) !=
	    (arch_page_table(LAYOUT_RECURSIVE_SLOT)[LAYOUT_RECURSIVE_SLOT] & PTE_FRAME_MASK)) {
		kprintf("vm_check: the recursive slot does not point at the directory\n");
		return false;
	}
	uint32_t tables = 0, mapped = 0;
	for (uint32_t pdi = FIRST_MANAGED_PDE; pdi <= LAST_MANAGED_PDE; pdi++) {
		if (!(pd[pdi] & PTE_PRESENT)) {
			if (vmm_table_entries(pdi)) {
				kprintf("vm_check: PDE %u absent but its count is %u\n", pdi,
					vmm_table_entries(pdi));
				return false;
			}
			continue;
		}
		paddr_t frame = pd[pdi] & PTE_FRAME_MASK;
		if (pmm_frame_state(frame) != FRAME_PAGE_TABLE) {
			kprintf("vm_check: PDE %u points at frame 0x%08X, which is %s, not a page "
				"table\n",
				pdi, frame, pmm_state_name(pmm_frame_state(frame)));
			return false;
		}
		const pte_t *pt = arch_page_table(pdi);
		uint32_t present = 0;
		for (uint32_t i = 0; i < PT_ENTRIES; i++)
			present += (pt[i] & PTE_PRESENT) != 0;
		if (present != vmm_table_entries(pdi) || present == 0) {
			kprintf("vm_check: table %u has %u present entries, counted %u%s\n", pdi,
				present, vmm_table_entries(pdi),
				present ? "" : " (empty, not freed)");
			return false;
		}
		tables++;
		mapped += present;
	}
	if (tables != vmm_table_count() || mapped != vmm_mapped_count()) {
		kprintf("vm_check: %u tables and %u mappings found, the VMM counts %u and %u\n",
			tables, mapped, vmm_table_count(), vmm_mapped_count());
		return false;
	}
	return true;
}

/* The heap's frames belong to the heap alone: each is mapped exactly once,
 * inside the heap's region, and every page there maps one.  A heap frame
 * nothing maps has no owner left to free it. */
struct heap_frames {
	uint32_t mapped;
	bool failed;
};

static bool visit_heap_frame(vaddr_t va, pte_t pte, void *ctx)
{
	struct heap_frames *h = ctx;
	paddr_t pa = pte & PTE_FRAME_MASK;
	bool heap_frame = pmm_frame_state(pa) == FRAME_HEAP;
	bool heap_page = va >= LAYOUT_HEAP_START && va < LAYOUT_HEAP_END;
	if (heap_frame != heap_page || (heap_frame && pmm_frame_refs(pa) != 1)) {
		kprintf("vm_check: 0x%08X maps frame 0x%08X (%s, %u mapping(s)): heap frames are "
			"mapped once, in the heap\n",
			va, pa, pmm_state_name(pmm_frame_state(pa)), pmm_frame_refs(pa));
		h->failed = true;
		return false;
	}
	h->mapped += heap_frame;
	return true;
}

static bool check_heap_frames(void)
{
	struct heap_frames h = {0, false};
	for_each_pte(visit_heap_frame, &h);
	if (h.failed)
		return false;
	uint32_t owned = pmm_count_owned(FRAME_HEAP);
	if (owned != h.mapped) {
		kprintf("vm_check: %u heap frames, %u mapped in the heap: %u with no owner\n",
			owned, h.mapped, owned - h.mapped);
		return false;
	}
	return true;
}

bool vm_check(void)
{
	return check_tables() && check_references() && check_heap_frames() && pmm_check();
}
