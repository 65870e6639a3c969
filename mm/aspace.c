/* Address spaces: creation, destruction, activation, and the one rule that
 * keeps the kernel part identical everywhere (kernel_pde_set). */
#include "mm/aspace.h"

#include <stddef.h>

#include "lib/string.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define KERNEL_PDE_FIRST (LAYOUT_KERNEL_BASE >> PDE_SHIFT)
#define IDENTITY_PDES	 (LAYOUT_IDENTITY_END >> PDE_SHIFT)
#define USER_PDE_FIRST	 (LAYOUT_USER_START >> PDE_SHIFT)
#define USER_PDE_END	 (LAYOUT_USER_END >> PDE_SHIFT)

struct aspace kernel_space;
struct aspace *aspace_active = &kernel_space;
static uint32_t live_spaces;

void aspace_init(void)
{
	struct region_set keep = kernel_space.regions;
	memset(&kernel_space, 0, sizeof(kernel_space));
	kernel_space.regions = keep;
	kernel_space.pd = arch_active_pd();
	kernel_space.next = kernel_space.prev = &kernel_space;
	aspace_active = &kernel_space;
	live_spaces = 1;
}

void kernel_pde_set(uint32_t pdi, pte_t value)
{
	struct aspace *as = &kernel_space;
	do {
		arch_pd_view(as->pd)[pdi] = value;
		arch_pde_changed(as->pd, pdi);
		as = as->next;
	} while (as != &kernel_space);
}

struct aspace *aspace_create(void)
{
	struct aspace *as = kcalloc(1, sizeof(*as));
	if (!as)
		return NULL;
	as->pd = pmm_alloc_as(FRAME_PAGE_TABLE);
	if (as->pd == PMM_INVALID_PAGE) {
		kfree(as);
		return NULL;
	}
	/* The kernel part is the same in every directory, so the active one
	 * serves as the source: it is always in view, while the master and the
	 * new directory could both need the one foreign view. */
	const pte_t *kernel_part = arch_active_pd_view();
	pte_t *pd = arch_pd_view(as->pd);
	memcpy(pd, kernel_part, IDENTITY_PDES * sizeof(pte_t));
	memset(pd + IDENTITY_PDES, 0, (KERNEL_PDE_FIRST - IDENTITY_PDES) * sizeof(pte_t));
	memcpy(pd + KERNEL_PDE_FIRST, kernel_part + KERNEL_PDE_FIRST,
	       (LAYOUT_FOREIGN_SLOT - KERNEL_PDE_FIRST) * sizeof(pte_t));
	pd[LAYOUT_FOREIGN_SLOT] = 0;
	pd[LAYOUT_RECURSIVE_SLOT] = as->pd | PTE_PRESENT | PTE_WRITABLE | PDE_FIXED;
	as->mmap_base = LAYOUT_MMAP_TOP;
	/* Linked in only now: from here on kernel_pde_set() keeps it current. */
	as->next = &kernel_space;
	as->prev = kernel_space.prev;
	kernel_space.prev->next = as;
	kernel_space.prev = as;
	live_spaces++;
	return as;
}

struct aspace *aspace_clone(struct aspace *parent)
{
	struct aspace *child = aspace_create();
	if (!child)
		return NULL;
	int status = region_copy(&child->regions, &parent->regions);
	/* Only the pages of the process's regions are inherited, not a page
	 * the monitor mapped outside them; each region's pages go a page
	 * table at a time. */
	for (uint32_t i = 0; i < parent->regions.count && status == VMM_OK; i++) {
		const struct region *r = &parent->regions.v[i];
		status = vmm_share_range(parent, r->start, r->end, child,
					 !(r->flags & REGION_SHARED));
	}
	if (status != VMM_OK) {
		/* The parent keeps its pages read-only: its next write to each
		 * finds the frame unshared and just makes it writable again. */
		aspace_destroy(child);
		return NULL;
	}
	if (parent->cmdline_len) {
		child->cmdline = kmalloc(parent->cmdline_len);
		if (!child->cmdline) {
			aspace_destroy(child);
			return NULL;
		}
		memcpy(child->cmdline, parent->cmdline, parent->cmdline_len);
		child->cmdline_len = parent->cmdline_len;
	}
	child->brk_start = parent->brk_start;
	child->brk = parent->brk;
	child->mmap_base = parent->mmap_base;
	return child;
}

static bool drop_user_page(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)pte, (void)pde;
	vmm_unmap_in(ctx, va);
	return true;
}

void aspace_destroy(struct aspace *as)
{
	if (!as || as == &kernel_space || as == aspace_active)
		return;
	/* Nearly every page lies in a region, so their ranges are dropped a
	 * table at a time; only when a table is left (a page the monitor
	 * mapped outside every region) is the whole user part searched. */
	for (uint32_t i = 0; i < as->regions.count; i++)
		vmm_drop_range(as, as->regions.v[i].start, as->regions.v[i].end);
	if (as->tables)
		vmm_walk(as, LAYOUT_USER_START, LAYOUT_USER_END, drop_user_page, as);
	region_clear(&as->regions);
	kfree(as->cmdline);
	as->prev->next = as->next;
	as->next->prev = as->prev;
	live_spaces--;
	arch_forget_pd(as->pd);
	pmm_free_as(as->pd, FRAME_PAGE_TABLE);
	kfree(as);
}

void aspace_activate(struct aspace *as)
{
	if (!as || as == aspace_active)
		return;
	aspace_active = as;
	arch_activate_pd(as->pd);
}

struct aspace *aspace_current(void)
{
	return aspace_active;
}

struct aspace *aspace_first(void)
{
	return &kernel_space;
}

uint32_t aspace_count(void)
{
	return live_spaces;
}

uint32_t aspace_resident(const struct aspace *as)
{
	uint32_t pages = 0;
	for (uint32_t pdi = USER_PDE_FIRST; pdi < USER_PDE_END; pdi++)
		pages += vmm_table_entries_in(as, pdi);
	return pages;
}

static bool aspace_is_live(const struct aspace *as)
{
	const struct aspace *it = &kernel_space;
	do {
		if (it == as)
			return true;
		it = it->next;
	} while (it != &kernel_space);
	return false;
}

static bool count_page(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)va, (void)pde;
	struct aspace_pages *n = ctx;
	n->resident++;
	if (pmm_frame_refs(*pte & PTE_FRAME_MASK) > 1)
		n->shared++;
	else
		n->private_pages++;
	return true;
}

int aspace_page_counts(struct aspace *as, struct aspace_pages *out)
{
	if (!as || !out || !aspace_is_live(as))
		return VMM_ERR_INVALID;
	struct aspace_pages n = {0, 0, 0};
	vmm_walk(as, LAYOUT_USER_START, LAYOUT_USER_END, count_page, &n);
	*out = n;
	return VMM_OK;
}
