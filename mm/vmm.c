/* The virtual memory manager: page mappings in any address space.
 *
 * Everything goes through one walker, pte_walk(as, va, create), which finds
 * the PTE of va in space `as` whether that space is active or not (through the
 * views of arch/mmu.h).  Tables of the kernel part belong to kernel_space and
 * are the same in every directory; tables of the user part belong to their
 * space.  Each table counts its present entries in its own frame record
 * (pmm_table_record); when the last one goes, the table's frame goes back to
 * the PMM.  Every mapping
 * holds a reference on its frame (pmm_ref), so a mapped frame cannot be freed
 * under the mapping, and a user frame (FRAME_USER) is freed with its last
 * reference.
 *
 * The VMM manages [LAYOUT_IDENTITY_END, LAYOUT_KMAP_BASE): the identity map
 * below belongs to paging, the windows above to arch. */
#include "mm/vmm.h"

#include <stddef.h>

#include "drivers/console.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/pmm.h"
#include "mm/vm_object.h"

#define PDE_KERNEL_TABLE (PTE_PRESENT | PTE_WRITABLE)
#define PDE_USER_TABLE	 (PTE_PRESENT | PTE_WRITABLE | PTE_USER) /* the PTEs decide */
/* What vmm_map_page's fast path maps: the kernel's own pages. */
#define VMM_KERNEL_FLAGS (VMM_ALLOWED_FLAGS & ~PTE_USER)

static bool flags_valid(vaddr_t va, uint32_t flags)
{
	if (flags & ~VMM_ALLOWED_FLAGS)
		return false;
	/* Ring 3 never sees the kernel part; the kernel part is never per-space. */
	return !(va_is_kernel(va) && (flags & PTE_USER));
}

/* The space whose `tables` counts the table of va. */
static inline struct aspace *table_owner(struct aspace *as, vaddr_t va)
{
	return va_is_kernel(va) ? &kernel_space : as;
}

static int table_create(struct aspace *as, vaddr_t va)
{
	paddr_t frame = pmm_alloc_as(FRAME_PAGE_TABLE);
	if (frame == PMM_INVALID_PAGE)
		return VMM_ERR_NO_MEMORY;
	arch_zero_frame(frame);
	uint32_t pdi = pde_index(va);
	struct aspace *owner = table_owner(as, va);
	if (owner == &kernel_space && va_is_kernel(va)) {
		kernel_pde_set(pdi, frame | PDE_KERNEL_TABLE);
	} else {
		arch_pd_view(as->pd)[pdi] = frame | PDE_USER_TABLE;
		arch_pde_changed(as->pd, pdi);
	}
	owner->tables++;
	return VMM_OK;
}

static __attribute__((noinline)) void table_destroy(struct aspace *as, vaddr_t va)
{
	uint32_t pdi = pde_index(va);
	struct aspace *owner = table_owner(as, va);
	paddr_t frame = arch_pd_view(as->pd)[pdi] & PTE_FRAME_MASK;
	if (va_is_kernel(va)) {
		kernel_pde_set(pdi, 0);
	} else {
		arch_pd_view(as->pd)[pdi] = 0;
		arch_pde_changed(as->pd, pdi);
	}
	pmm_free_as(frame, FRAME_PAGE_TABLE);
	owner->tables--;
}

pte_t *pte_walk_create(struct aspace *as, vaddr_t va)
{
	if (!vmm_managed(va) || table_create(as, va) != VMM_OK)
		return NULL;
	return arch_pte_view(as->pd, va);
}

/* The TLB caches the active space and the kernel part only. */
static inline void flush_page(struct aspace *as, vaddr_t va)
{
	if (va_is_kernel(va) || as == aspace_active)
		arch_tlb_flush_page(va);
}

/* The present entries of the table behind a present PDE. */
static inline uint32_t *table_entries(pte_t pde)
{
	return pmm_table_record(pde);
}

static inline bool map_args_valid(vaddr_t virt, paddr_t phys, uint32_t flags)
{
	return !(((virt | phys) & PAGE_OFFSET_MASK) | (flags & ~VMM_ALLOWED_FLAGS)) &&
	       vmm_managed(virt) && !(va_is_kernel(virt) && (flags & PTE_USER));
}

/* The whole map through the walker, every error checked from the start. */
static inline __attribute__((always_inline)) int map_in(struct aspace *as, vaddr_t virt,
							paddr_t phys, uint32_t flags)
{
	if (!map_args_valid(virt, phys, flags))
		return VMM_ERR_INVALID;
	pte_t pde;
	pte_t *pte = pte_walk_pde(as, virt, false, &pde);
	if (pte && (*pte & PTE_PRESENT))
		return VMM_ERR_ALREADY_MAPPED;
	/* Free frames and page tables may not be mapped: the first would be
	 * handed out again under the mapping, the second scribbled on. */
	if (pmm_ref(phys) != PMM_OK)
		return VMM_ERR_INVALID;
	if (!pte && !(pte = pte_walk_pde(as, virt, true, &pde))) {
		pmm_unref(phys);
		return VMM_ERR_NO_MEMORY;
	}
	*pte = phys | flags | PTE_PRESENT;
	flush_page(as, virt);
	*table_entries(pde) += PMM_COUNT_ONE;
	return VMM_OK;
}

int vmm_map_in(struct aspace *as, vaddr_t virt, paddr_t phys, uint32_t flags)
{
	return as ? map_in(as, virt, phys, flags) : VMM_ERR_INVALID;
}

/* vmm_map_page's way out for everything but its common case: it checks
 * everything again from the start, so the fast path only ever declines. */
static __attribute__((noinline, cold)) int map_active_slow(vaddr_t virt, paddr_t phys,
							   uint32_t flags)
{
	return map_in(aspace_active, virt, phys, flags);
}

/* The common case of the active space, which the kernel maps into all the
 * time: aligned arguments and kernel flags, one of the VMM's tables present
 * (a PDE without PDE_FIXED, so outside the identity map and arch's windows),
 * the page free, a frame whose record counts mappings.  The active directory
 * and its tables sit at fixed addresses, so the walk is two loads.  User
 * pages come through vmm_map_in, so PTE_USER declines too and its check
 * against the kernel part stays in map_in.  Each test is its own early way
 * out: fewer values stay live at once, which 32-bit x86 has few registers
 * for, and the commit counts the table first so the PDE dies early. */
int vmm_map_page(vaddr_t virt, paddr_t phys, uint32_t flags)
{
	if (__builtin_expect(((virt | phys) & PAGE_OFFSET_MASK) | (flags & ~VMM_KERNEL_FLAGS), 0))
		goto slow;
	pte_t pde = arch_active_pd_view()[pde_index(virt)];
	if (__builtin_expect((pde & (PTE_PRESENT | PDE_FIXED)) != PTE_PRESENT, 0))
		goto slow;
	pte_t *pte = arch_active_pte_view(virt);
	if (__builtin_expect(*pte & PTE_PRESENT, 0))
		goto slow;
	uint32_t *rec = pmm_mappable_record(phys);
	if (__builtin_expect(!rec, 0))
		goto slow;
	*table_entries(pde) += PMM_COUNT_ONE;
	*rec += PMM_COUNT_ONE;
	*pte = phys | flags | PTE_PRESENT;
	arch_tlb_flush_page(virt);
	return VMM_OK;
slow:
	return map_active_slow(virt, phys, flags);
}

/* Drops a mapping's reference; a user frame goes with its last one. */
static inline void frame_unref(paddr_t frame)
{
	uint32_t *rec = pmm_mappable_record(frame);
	if (rec && *rec >= PMM_COUNT_ONE) {
		*rec -= PMM_COUNT_ONE;
		if (*rec == FRAME_USER) /* a user frame with no count left */
			pmm_free_as(frame, FRAME_USER);
		return;
	}
	pmm_unref(frame);
}

/* Clears a present PTE and drops its reference; the table goes with its last
 * entry. */
static inline __attribute__((always_inline)) int unmap_in(struct aspace *as, vaddr_t virt)
{
	if (!page_aligned(virt) || !vmm_managed(virt))
		return VMM_ERR_INVALID;
	pte_t pde;
	pte_t *pte = pte_walk_pde(as, virt, false, &pde);
	if (!pte || !(*pte & PTE_PRESENT))
		return VMM_ERR_NOT_MAPPED;
	pte_t old = *pte;
	*pte = 0;
	flush_page(as, virt);
	frame_unref(old & PTE_FRAME_MASK);
	uint32_t *entries = table_entries(pde);
	*entries -= PMM_COUNT_ONE;
	if (*entries == FRAME_PAGE_TABLE) /* no entry left */
		table_destroy(as, virt);
	return VMM_OK;
}

int vmm_unmap_in(struct aspace *as, vaddr_t virt)
{
	return as ? unmap_in(as, virt) : VMM_ERR_INVALID;
}

static __attribute__((noinline, cold)) int unmap_active_slow(vaddr_t virt)
{
	return unmap_in(aspace_active, virt);
}

/* The common case of the active space: a page mapped in one of the VMM's
 * tables that keeps other entries, to a frame that stays allocated.
 * Everything else (errors, a user frame's last mapping, a table's last
 * entry) goes to unmap_in. */
int vmm_unmap_page(vaddr_t virt)
{
	pte_t pde = arch_active_pd_view()[pde_index(virt)];
	if (__builtin_expect(
		    !page_aligned(virt) || (pde & (PTE_PRESENT | PDE_FIXED)) != PTE_PRESENT, 0))
		return unmap_active_slow(virt);
	pte_t *pte = arch_active_pte_view(virt);
	pte_t old = *pte;
	if (__builtin_expect(!(old & PTE_PRESENT), 0))
		return unmap_active_slow(virt);
	uint32_t *rec = pmm_mappable_record(old);
	uint32_t *entries = table_entries(pde);
	/* Counted, and neither a user frame's last mapping nor the table's
	 * last entry: both of those free a frame. */
	if (__builtin_expect(!rec || *rec < PMM_COUNT_ONE || *rec == FRAME_USER + PMM_COUNT_ONE ||
				     *entries == FRAME_PAGE_TABLE + PMM_COUNT_ONE,
			     0))
		return unmap_active_slow(virt);
	*pte = 0;
	arch_tlb_flush_page(virt);
	*rec -= PMM_COUNT_ONE;
	*entries -= PMM_COUNT_ONE;
	return VMM_OK;
}

int vmm_query_in(struct aspace *as, vaddr_t virt, paddr_t *phys, uint32_t *flags)
{
	if (!as)
		return VMM_ERR_INVALID;
	pte_t *pte = pte_walk(as, virt, false);
	if (!pte || !(*pte & PTE_PRESENT))
		return VMM_ERR_NOT_MAPPED;
	if (phys)
		*phys = (*pte & PTE_FRAME_MASK) | (virt & PAGE_OFFSET_MASK);
	if (flags)
		*flags = *pte & PTE_FLAGS_MASK;
	return VMM_OK;
}

int vmm_protect_in(struct aspace *as, vaddr_t virt, uint32_t flags)
{
	if (!as || !page_aligned(virt) || !flags_valid(virt, flags) || !vmm_managed(virt))
		return VMM_ERR_INVALID;
	pte_t *pte = pte_walk(as, virt, false);
	if (!pte || !(*pte & PTE_PRESENT))
		return VMM_ERR_NOT_MAPPED;
	*pte = (*pte & PTE_FRAME_MASK) | flags | PTE_PRESENT;
	flush_page(as, virt);
	return VMM_OK;
}

int vmm_replace_in(struct aspace *as, vaddr_t virt, paddr_t phys, uint32_t flags)
{
	if (!as || !page_aligned(virt | phys) || !flags_valid(virt, flags) || !vmm_managed(virt))
		return VMM_ERR_INVALID;
	pte_t *pte = pte_walk(as, virt, false);
	if (!pte || !(*pte & PTE_PRESENT))
		return VMM_ERR_NOT_MAPPED;
	if (pmm_ref(phys) != PMM_OK)
		return VMM_ERR_INVALID;
	paddr_t old = *pte & PTE_FRAME_MASK;
	*pte = phys | flags | PTE_PRESENT;
	flush_page(as, virt);
	frame_unref(old);
	return VMM_OK;
}

/* The longest range whose pages vmm_drop_range flushes one by one from the
 * active space's TLB; a longer one flushes the whole user part at once,
 * which costs less than the invlpgs and the misses either way.  (Linux
 * draws its line at 33 pages.) */
#define DROP_PAGE_FLUSHES 32u

/* The end of [va, end) within va's page table, as an entry index. */
static inline uint32_t table_limit(vaddr_t va, vaddr_t end)
{
	vaddr_t table_end = pde_base(pde_index(va)) + PT_ENTRIES * PAGE_SIZE;
	return end < table_end ? pte_index(end) : PT_ENTRIES;
}

static bool user_range_valid(vaddr_t start, vaddr_t end)
{
	return page_aligned(start | end) && start < end && va_is_user(start) && va_is_user(end - 1);
}

/* Entries [first, limit) of a parent's table pdi, seen through `src`, into
 * the same entries of `to`, whose table is made on the first present one.
 * Sets *protected when a parent's page lost its write permission. */
static int share_table(pte_t *src, uint32_t pdi, uint32_t first, uint32_t limit, struct aspace *to,
		       bool copy_on_write, bool *protected)
{
	uint32_t i = first;
	while (i < limit && !(src[i] & PTE_PRESENT))
		i++;
	if (i == limit)
		return VMM_OK; /* nothing here: the child gets no empty table */
	if (!(arch_pd_view(to->pd)[pdi] & PTE_PRESENT) && table_create(to, pde_base(pdi)) != VMM_OK)
		return VMM_ERR_NO_MEMORY;
	pte_t *dst = arch_pt_view(to->pd, pdi);
	uint32_t *entries = table_entries(arch_pd_view(to->pd)[pdi]);
	for (; i < limit; i++) {
		pte_t e = src[i];
		if (!(e & PTE_PRESENT))
			continue;
		if (dst[i] & PTE_PRESENT)
			return VMM_ERR_ALREADY_MAPPED;
		if (copy_on_write && (e & PTE_WRITABLE)) {
			src[i] = e &= ~PTE_WRITABLE;
			*protected = true;
		}
		paddr_t frame = e & PTE_FRAME_MASK;
		uint32_t *rec = pmm_mappable_record(frame);
		if (rec)
			*rec += PMM_COUNT_ONE;
		else if (pmm_ref(frame) != PMM_OK)
			return VMM_ERR_INVALID;
		dst[i] = frame | (e & (PTE_WRITABLE | PTE_USER)) | PTE_PRESENT;
		*entries += PMM_COUNT_ONE;
	}
	return VMM_OK;
}

int vmm_share_range(struct aspace *from, vaddr_t start, vaddr_t end, struct aspace *to,
		    bool copy_on_write)
{
	if (!from || !to || from == to || to == aspace_active || !user_range_valid(start, end))
		return VMM_ERR_INVALID;
	int status = VMM_OK;
	bool protected = false;
	for (vaddr_t va = start; va < end && status == VMM_OK;
	     va = pde_base(pde_index(va)) + PT_ENTRIES * PAGE_SIZE) {
		uint32_t pdi = pde_index(va);
		/* Read afresh for every table: making the child's table moves
		 * the foreign view when the parent is not the active space. */
		pte_t pde = arch_pd_view(from->pd)[pdi];
		if (!(pde & PTE_PRESENT))
			continue;
		pte_t *src = arch_table_window(pde & PTE_FRAME_MASK);
		status = share_table(src, pdi, pte_index(va), table_limit(va, end), to,
				     copy_on_write, &protected);
	}
	/* The parent's stale writable entries go in one flush, not one per page. */
	if (protected && from == aspace_active)
		arch_tlb_flush_user();
	return status;
}

void vmm_drop_range(struct aspace *as, vaddr_t start, vaddr_t end)
{
	if (!as || !user_range_valid(start, end))
		return;
	bool dropped = false;
	for (vaddr_t va = start; va < end; va = pde_base(pde_index(va)) + PT_ENTRIES * PAGE_SIZE) {
		uint32_t pdi = pde_index(va);
		if (!(arch_pd_view(as->pd)[pdi] & PTE_PRESENT))
			continue;
		pte_t *table = arch_pt_view(as->pd, pdi);
		uint32_t *entries = table_entries(arch_pd_view(as->pd)[pdi]);
		for (uint32_t i = pte_index(va), limit = table_limit(va, end); i < limit; i++) {
			pte_t e = table[i];
			if (!(e & PTE_PRESENT))
				continue;
			table[i] = 0;
			frame_unref(e & PTE_FRAME_MASK);
			*entries -= PMM_COUNT_ONE;
			dropped = true;
		}
		if (*entries == FRAME_PAGE_TABLE) /* no entry left */
			table_destroy(as, va);
	}
	if (!dropped || as != aspace_active)
		return;
	if (end - start > DROP_PAGE_FLUSHES * PAGE_SIZE) {
		arch_tlb_flush_user();
		return;
	}
	for (vaddr_t va = start; va < end; va += PAGE_SIZE)
		arch_tlb_flush_page(va);
}

void vmm_walk(struct aspace *as, vaddr_t from, vaddr_t to, vmm_visitor_t fn, void *ctx)
{
	uint64_t end = to ? to : 1ull << 32;
	for (uint64_t va = from & PTE_FRAME_MASK; va < end;) {
		uint32_t pdi = pde_index((vaddr_t)va);
		uint64_t table_base = pde_base(pdi);
		uint64_t table_end = table_base + PT_ENTRIES * PAGE_SIZE;
		/* Read afresh after every call of fn: it may unmap the table's last
		 * page, or look at another space and move the foreign view. */
		pte_t pde = arch_pd_view(as->pd)[pdi];
		if (!(pde & PTE_PRESENT) || pdi == LAYOUT_FOREIGN_SLOT) {
			va = table_end;
			continue;
		}
		/* Between two calls nothing changes, so the empty entries up to the
		 * next present one are skipped in a tight loop: vm_check and ps
		 * walk whole tables of which a small process uses a few entries. */
		const pte_t *table = arch_pt_view(as->pd, pdi);
		uint64_t stop = end < table_end ? end : table_end;
		uint32_t limit = (uint32_t)((stop - table_base + PAGE_SIZE - 1) >> PAGE_SHIFT);
		uint32_t i = pte_index((vaddr_t)va);
		while (i < limit && !(table[i] & PTE_PRESENT))
			i++;
		va = table_base + (uint64_t)i * PAGE_SIZE;
		if (i == limit)
			continue;
		if (!fn((vaddr_t)va, (pte_t *)&table[i], pde, ctx))
			return;
		va += PAGE_SIZE;
	}
}

/* ---- the active space: the interface of the tutorial's chapter 7 --------- */

void vmm_init(void)
{
	aspace_init();
	vm_object_init();
	console_writeln("VMM: initialized kernel address-space mapper");
}

int vmm_query(vaddr_t virt, paddr_t *phys, uint32_t *flags)
{
	return vmm_query_in(aspace_current(), virt, phys, flags);
}

int vmm_translate(vaddr_t virt, paddr_t *phys)
{
	if (!phys)
		return VMM_ERR_INVALID;
	return vmm_query(virt, phys, NULL);
}

int vmm_protect(vaddr_t virt, uint32_t flags)
{
	return vmm_protect_in(aspace_current(), virt, flags);
}

/* ---- ranges ------------------------------------------------------------- */

/* [virt, virt + pages pages) is non-empty, aligned and inside the managed
 * region without wrapping. */
static bool range_valid(vaddr_t virt, uint32_t pages)
{
	const uint32_t managed_pages = (LAYOUT_KMAP_BASE - LAYOUT_IDENTITY_END) / PAGE_SIZE;
	return pages && pages <= managed_pages && page_aligned(virt) && vmm_managed(virt) &&
	       (LAYOUT_KMAP_BASE - virt) / PAGE_SIZE >= pages;
}

static void unmap_first(vaddr_t virt, uint32_t done)
{
	while (done--)
		vmm_unmap_page(virt + done * PAGE_SIZE);
}

static bool range_unmapped(vaddr_t virt, uint32_t pages)
{
	for (uint32_t i = 0; i < pages; i++)
		if (vmm_query(virt + i * PAGE_SIZE, NULL, NULL) == VMM_OK)
			return false;
	return true;
}

int vmm_map_range(vaddr_t virt, paddr_t phys, uint32_t pages, uint32_t flags)
{
	if (!range_valid(virt, pages) || !page_aligned(phys) ||
	    (uint64_t)phys + (uint64_t)pages * PAGE_SIZE > PHYS_LIMIT)
		return VMM_ERR_INVALID;
	/* A taken page is the answer whatever memory is left: checked before a
	 * table is made for an earlier page, which could fail first. */
	if (!range_unmapped(virt, pages))
		return VMM_ERR_ALREADY_MAPPED;
	for (uint32_t i = 0; i < pages; i++) {
		int rc = vmm_map_page(virt + i * PAGE_SIZE, phys + i * PAGE_SIZE, flags);
		if (rc != VMM_OK) {
			unmap_first(virt, i);
			return rc;
		}
	}
	return VMM_OK;
}

int vmm_unmap_range(vaddr_t virt, uint32_t pages)
{
	if (!range_valid(virt, pages))
		return VMM_ERR_INVALID;
	for (uint32_t i = 0; i < pages; i++)
		if (vmm_query(virt + i * PAGE_SIZE, NULL, NULL) != VMM_OK)
			return VMM_ERR_NOT_MAPPED;
	unmap_first(virt, pages);
	return VMM_OK;
}

/* Unmaps the first `done` pages of an allocated range and frees their frames. */
static void free_first(vaddr_t virt, uint32_t done)
{
	while (done--) {
		vaddr_t va = virt + done * PAGE_SIZE;
		paddr_t pa = vmm_get_physical(va);
		vmm_unmap_page(va);
		pmm_free_page(pa);
	}
}

int vmm_alloc_range(vaddr_t virt, uint32_t pages, uint32_t flags)
{
	if (!range_valid(virt, pages) || !flags_valid(virt, flags))
		return VMM_ERR_INVALID;
	/* An occupied range is refused before any frame is taken, so the
	 * answer does not depend on how much memory is left. */
	if (!range_unmapped(virt, pages))
		return VMM_ERR_ALREADY_MAPPED;
	for (uint32_t i = 0; i < pages; i++) {
		paddr_t pa = pmm_alloc_page();
		int rc = pa == PMM_INVALID_PAGE ? VMM_ERR_NO_MEMORY
						: vmm_map_page(virt + i * PAGE_SIZE, pa, flags);
		if (rc != VMM_OK) {
			if (pa != PMM_INVALID_PAGE)
				pmm_free_page(pa);
			free_first(virt, i);
			return rc;
		}
	}
	return VMM_OK;
}

int vmm_free_range(vaddr_t virt, uint32_t pages)
{
	if (!range_valid(virt, pages))
		return VMM_ERR_INVALID;
	/* Check every page first, so a refusal changes nothing: each must be
	 * mapped once, to a frame the PMM handed out. */
	for (uint32_t i = 0; i < pages; i++) {
		paddr_t pa;
		if (vmm_query(virt + i * PAGE_SIZE, &pa, NULL) != VMM_OK)
			return VMM_ERR_NOT_MAPPED;
		if (pmm_frame_state(pa) != FRAME_ALLOCATED || pmm_frame_refs(pa) != 1)
			return VMM_ERR_INVALID;
	}
	free_first(virt, pages);
	return VMM_OK;
}

/* ---- statistics ---------------------------------------------------------- */

/* Pages mapped in the kernel part and the active space's user part. */
uint32_t vmm_mapped_count(void)
{
	uint32_t pages = 0;
	for (uint32_t pdi = 0; pdi < PT_ENTRIES; pdi++)
		pages += vmm_table_entries(pdi);
	return pages;
}

uint32_t vmm_table_count(void)
{
	struct aspace *as = aspace_current();
	return kernel_space.tables + (as == &kernel_space ? 0 : as->tables);
}

uint32_t vmm_table_entries(uint32_t pdi)
{
	return pdi < PT_ENTRIES ? vmm_table_entries_in(aspace_current(), pdi) : 0;
}

uint32_t vmm_table_entries_in(const struct aspace *as, uint32_t pdi)
{
	if (!as || pdi >= PT_ENTRIES || !vmm_managed(pde_base(pdi)))
		return 0;
	pte_t pde = arch_pd_view(as->pd)[pdi];
	/* A fixed PDE (paging's early window) holds no VMM table. */
	return (pde & (PTE_PRESENT | PDE_FIXED)) == PTE_PRESENT
		       ? *table_entries(pde) / PMM_COUNT_ONE
		       : 0;
}

/* ---- boot self-test --------------------------------------------------------- */

static bool vmm_test_fail(const char *what, uint32_t got, uint32_t want)
{
	kprintf("VMM test: FAILED: %s (got 0x%08X, want 0x%08X)\n", what, got, want);
	return false;
}

bool vmm_test_once(void)
{
	console_writeln("VMM test: starting");
	const vaddr_t va = LAYOUT_VMM_TEST_PAGE;
	uint32_t free_before = pmm_free_count();
	paddr_t pa = pmm_alloc_page();
	if (pa == PMM_INVALID_PAGE)
		return vmm_test_fail("no frame for the test page", 0, 0);

	int rc = vmm_map_page(va, pa, PTE_WRITABLE);
	if (rc != VMM_OK)
		return vmm_test_fail("map", (uint32_t)rc, VMM_OK);
	if (vmm_get_physical(va + 0x123) != pa + 0x123)
		return vmm_test_fail("translate", vmm_get_physical(va + 0x123), pa + 0x123);
	if (vmm_map_page(va, pa, PTE_WRITABLE) != VMM_ERR_ALREADY_MAPPED)
		return vmm_test_fail("second map accepted", 0, (uint32_t)VMM_ERR_ALREADY_MAPPED);
	if (vmm_map_page(va + 1, pa, 0) != VMM_ERR_INVALID)
		return vmm_test_fail("unaligned map accepted", 0, (uint32_t)VMM_ERR_INVALID);

	volatile uint32_t *mapped = (volatile uint32_t *)(uintptr_t)va;
	mapped[0] = 0x11223344u;
	mapped[1] = 0x55667788u;
	if (mapped[0] != 0x11223344u || mapped[1] != 0x55667788u)
		return vmm_test_fail("read back through the mapping", mapped[0], 0x11223344u);

	if ((rc = vmm_unmap_page(va)) != VMM_OK)
		return vmm_test_fail("unmap", (uint32_t)rc, VMM_OK);
	if (vmm_unmap_page(va) != VMM_ERR_NOT_MAPPED)
		return vmm_test_fail("second unmap accepted", 0, (uint32_t)VMM_ERR_NOT_MAPPED);
	paddr_t after = 0;
	if (vmm_translate(va, &after) != VMM_ERR_NOT_MAPPED)
		return vmm_test_fail("translate after unmap", after, 0);
	if ((rc = pmm_free_page(pa)) != PMM_OK)
		return vmm_test_fail("free the test frame", (uint32_t)rc, PMM_OK);
	if (pmm_free_count() != free_before)
		return vmm_test_fail("frames leaked (free count)", pmm_free_count(), free_before);
	console_writeln("VMM test: map/translate/write/unmap sanity check passed");
	return true;
}
