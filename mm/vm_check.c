/* vm_check: the page directories, the page tables, the regions and the frame
 * records must tell the same story, in every live address space.
 *
 * Reference counts are verified without a second table: every PTE takes one
 * reference off its frame (pass 1) -- the kernel part once, since all spaces
 * share its tables, and each space's user part -- after which no frame may
 * have references left (pass 2); then every reference is put back (pass 3).
 * The frames memory objects hold (mm/vm_object.h) count like PTEs: one
 * reference each, taken off before the PTEs and put back after them.
 * Interrupt handlers never touch mm/, so nothing sees the state in between. */
#include "mm/vm_check.h"

#include <stddef.h>

#include "arch/mmu.h"
#include "drivers/console.h"
#include "mm/aspace.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"

#define KERNEL_PDE_FIRST (LAYOUT_KERNEL_BASE >> PDE_SHIFT)
#define IDENTITY_PDES	 (LAYOUT_IDENTITY_END >> PDE_SHIFT)
#define KMAP_PDE	 (LAYOUT_KMAP_BASE >> PDE_SHIFT)

struct walk {
	struct aspace *stop_as; /* pass 3 puts references back up to here */
	vaddr_t stop_va;
	bool failed;
	bool stopping;
};

static struct aspace *walking;

static bool take_reference(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)pde;
	struct walk *w = ctx;
	paddr_t frame = *pte & PTE_FRAME_MASK;
	/* A free frame's count field is its free-stack link, so it is named
	 * before its references are looked at: the allocator would hand it
	 * out again under this mapping. */
	bool free = pmm_frame_state(frame) == FRAME_FREE;
	if (free || pmm_unref(frame) != PMM_OK) {
		if (free)
			kprintf("vm_check: 0x%08X maps frame 0x%08X, which is free\n", va, frame);
		else
			kprintf("vm_check: 0x%08X maps frame 0x%08X, which has fewer references "
				"than PTEs\n",
				va, frame);
		w->failed = true;
		w->stopping = true;
		w->stop_va = va;
		w->stop_as = walking;
		return false;
	}
	return true;
}

static bool give_reference(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)pde;
	struct walk *w = ctx;
	if (w->failed && walking == w->stop_as && va == w->stop_va) {
		w->stopping = true;
		return false;
	}
	pmm_ref(*pte & PTE_FRAME_MASK);
	return true;
}

/* Every PTE that holds a reference: the kernel part once (all spaces share
 * its tables), then each space's user part. */
static void walk_all(vmm_visitor_t fn, struct walk *w)
{
	struct aspace *as = aspace_first();
	walking = NULL; /* the kernel part */
	vmm_walk(as, LAYOUT_KERNEL_BASE, LAYOUT_KMAP_BASE, fn, w);
	do {
		if (w->stopping)
			return;
		walking = as;
		vmm_walk(as, LAYOUT_IDENTITY_END, LAYOUT_USER_END, fn, w);
		as = as->next;
	} while (as != aspace_first());
}

static void report_leftover(pfn_t pfn, uint32_t refs, void *ctx)
{
	bool *failed = ctx;
	if (!*failed)
		kprintf("vm_check: frame 0x%08X has %u reference(s) no PTE accounts for\n",
			pfn_to_paddr(pfn), refs);
	*failed = true;
}

/* An object's reference on a frame, taken off (pass 1) or put back; `left`
 * counts the frames still to visit, so a failed pass 1 puts back exactly
 * the ones it took. */
struct object_walk {
	uint32_t done;
	uint32_t left;
	bool failed;
};

static bool take_object_reference(paddr_t frame, void *ctx)
{
	struct object_walk *w = ctx;
	bool free = pmm_frame_state(frame) == FRAME_FREE;
	if (free || pmm_frame_state(frame) != FRAME_USER || pmm_unref(frame) != PMM_OK) {
		kprintf("vm_check: a memory object holds frame 0x%08X, which is %s with %u "
			"reference(s)\n",
			frame, pmm_state_name(pmm_frame_state(frame)),
			free ? 0 : pmm_frame_refs(frame));
		w->failed = true;
		return false;
	}
	w->done++;
	return true;
}

static bool give_object_reference(paddr_t frame, void *ctx)
{
	struct object_walk *w = ctx;
	if (w->left == 0)
		return false;
	w->left--;
	pmm_ref(frame);
	return true;
}

static bool check_references(void)
{
	struct object_walk objects = {0, 0, false};
	vm_object_for_each_frame(take_object_reference, &objects);
	if (objects.failed) {
		objects.left = objects.done;
		vm_object_for_each_frame(give_object_reference, &objects);
		return false;
	}
	struct walk w = {.failed = false};
	walk_all(take_reference, &w);
	bool leftover = false;
	if (!w.failed)
		pmm_for_each_mapped(report_leftover, &leftover);
	w.stopping = false;
	walk_all(give_reference, &w);
	objects.left = objects.done;
	vm_object_for_each_frame(give_object_reference, &objects);
	return !w.failed && !leftover;
}

struct table_count {
	uint32_t tables, mapped;
};

/* Checks the tables of PDEs [first, end) of as against their counts. */
static bool check_table_range(struct aspace *as, uint32_t first, uint32_t end,
			      struct table_count *n)
{
	for (uint32_t pdi = first; pdi < end; pdi++) {
		pte_t pde = arch_pd_view(as->pd)[pdi];
		if (!(pde & PTE_PRESENT))
			continue;
		paddr_t frame = pde & PTE_FRAME_MASK;
		if (pmm_frame_state(frame) != FRAME_PAGE_TABLE) {
			kprintf("vm_check: PDE %u points at frame 0x%08X, which is %s, not a page "
				"table\n",
				pdi, frame, pmm_state_name(pmm_frame_state(frame)));
			return false;
		}
		bool user_part = pdi < KERNEL_PDE_FIRST;
		const pte_t *pt = arch_pt_view(as->pd, pdi);
		uint32_t present = 0;
		for (uint32_t i = 0; i < PT_ENTRIES; i++) {
			if (!(pt[i] & PTE_PRESENT))
				continue;
			present++;
			if (!user_part && (pt[i] & PTE_USER)) {
				kprintf("vm_check: kernel page 0x%08X is reachable from user "
					"mode\n",
					pde_base(pdi) + i * PAGE_SIZE);
				return false;
			}
		}
		uint32_t counted = vmm_table_entries_in(as, pdi);
		if (present != counted || present == 0) {
			kprintf("vm_check: space 0x%08X: table %u has %u present entries, counted "
				"%u%s\n",
				as->pd, pdi, present, counted,
				present ? "" : " (empty, not freed)");
			return false;
		}
		n->tables++;
		n->mapped += present;
	}
	return true;
}

/* The kernel part of every directory is the master's; the two window slots
 * point where they should. */
static bool check_directory(struct aspace *as)
{
	const pte_t *pd = arch_pd_view(as->pd);
	if ((pd[LAYOUT_RECURSIVE_SLOT] & PTE_FRAME_MASK) != as->pd) {
		kprintf("vm_check: space 0x%08X: the recursive slot does not point at the "
			"directory\n",
			as->pd);
		return false;
	}
	if (as == &kernel_space)
		return true;
	for (uint32_t pdi = 0; pdi < LAYOUT_FOREIGN_SLOT; pdi++) {
		if (pdi == IDENTITY_PDES)
			pdi = KERNEL_PDE_FIRST;
		pte_t mine = arch_pd_view(as->pd)[pdi];
		pte_t master = arch_pd_view(kernel_space.pd)[pdi];
		/* The CPU sets accessed (and on some CPUs dirty) in whichever
		 * directory it walked: those bits are its, not ours. */
		if ((mine ^ master) & ~(PTE_ACCESSED | PTE_DIRTY)) {
			kprintf("vm_check: space 0x%08X: kernel PDE %u is 0x%08X, the master's "
				"0x%08X\n",
				as->pd, pdi, mine, master);
			return false;
		}
	}
	return true;
}

static bool check_tables(void)
{
	struct table_count kernel = {0};
	if (!check_table_range(&kernel_space, KERNEL_PDE_FIRST, KMAP_PDE, &kernel))
		return false;
	struct aspace *as = aspace_first();
	do {
		struct table_count user = {0};
		if (!check_directory(as) ||
		    !check_table_range(as, IDENTITY_PDES, KERNEL_PDE_FIRST, &user))
			return false;
		uint32_t want_tables = as == &kernel_space ? kernel.tables : 0;
		if (user.tables + want_tables != as->tables || user.mapped != aspace_resident(as)) {
			kprintf("vm_check: space 0x%08X: %u tables and %u pages found, counted %u "
				"and %u\n",
				as->pd, user.tables, user.mapped, as->tables, aspace_resident(as));
			return false;
		}
		as = as->next;
	} while (as != aspace_first());
	return true;
}

/* The heap's frames belong to the heap alone: each is mapped exactly once,
 * inside the heap's region, and every page there maps one.  A heap frame
 * nothing maps has no owner left to free it. */
struct heap_frames {
	uint32_t mapped;
	bool failed;
};

static bool visit_heap_frame(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)pde;
	struct heap_frames *h = ctx;
	paddr_t pa = *pte & PTE_FRAME_MASK;
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

/* Every PTE once, as walk_all visits them: the kernel part, then each
 * space's user part. */
static bool check_heap_frames(void)
{
	struct heap_frames h = {0, false};
	struct aspace *as = aspace_first();
	vmm_walk(as, LAYOUT_KERNEL_BASE, LAYOUT_KMAP_BASE, visit_heap_frame, &h);
	do {
		if (h.failed)
			return false;
		vmm_walk(as, LAYOUT_IDENTITY_END, LAYOUT_USER_END, visit_heap_frame, &h);
		as = as->next;
	} while (as != aspace_first());
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

/* The user part of a process's space holds only what its regions allow:
 * every present page lies in a region; one reachable from ring 3 in a region
 * with some access; a writable one in a writable region; and a writable page
 * of a private region is its frame's only mapping, or a write through it
 * would reach another space's copy (copy on write failed to happen); and a
 * page of a shared region maps its object's frame for that page.
 *
 * The kernel's space is left out: it never runs a program, and its user
 * part holds pages no region describes (the monitor's `map`, in-kernel
 * tests).  Every other space is checked, one without any region too, so a
 * page left behind by munmap of everything is caught. */
struct region_walk {
	struct aspace *as;
	bool failed;
};

static bool check_user_page(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)pde;
	struct region_walk *w = ctx;
	pte_t e = *pte;
	paddr_t frame = e & PTE_FRAME_MASK;
	const struct region *r = region_find(&w->as->regions, va);
	const char *why = NULL;
	if (!r)
		why = "lies in no region";
	else if ((e & PTE_USER) && !(r->flags & REGION_PROT_MASK))
		why = "is reachable from user mode in a PROT_NONE region";
	else if ((e & PTE_WRITABLE) && !(r->flags & REGION_WRITE))
		why = "is writable in a region without write access";
	else if ((e & PTE_WRITABLE) && !(r->flags & REGION_SHARED) && pmm_frame_refs(frame) != 1)
		why = "is writable in a private region, but its frame has other mappings";
	else if ((r->flags & REGION_SHARED) && r->object &&
		 vm_object_lookup(r->object, region_page_index(r, va)) != frame)
		why = "is not its shared object's frame for that page";
	if (!why)
		return true;
	kprintf("vm_check: space 0x%08X: page 0x%08X (frame 0x%08X, %u mapping(s), PTE flags "
		"0x%03X) %s\n",
		w->as->pd, va, frame, pmm_frame_refs(frame), e & PTE_FLAGS_MASK, why);
	w->failed = true;
	return false;
}

static bool check_regions(void)
{
	for (struct aspace *as = aspace_first()->next; as != aspace_first(); as = as->next) {
		struct region_walk w = {as, false};
		vmm_walk(as, LAYOUT_USER_START, LAYOUT_USER_END, check_user_page, &w);
		if (w.failed)
			return false;
	}
	return true;
}

bool vm_check(void)
{
	return check_tables() && check_references() && check_regions() && check_heap_frames() &&
	       pmm_check();
}
