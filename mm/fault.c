/* Resolving a fault on a user address by asking its region
 * (include/mm/fault.h).  Nothing here knows traps, so the host tests run the
 * resolver on the fake machine; the trap handler is mm/fault_trap.c. */
#include "mm/fault.h"

#include <stddef.h>

#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/file_backing.h"
#include "mm/pmm.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"

/* The PTE flags a present page of r gets; writable only where writing needs
 * no copy first. */
static uint32_t page_flags(const struct region *r, bool exclusive)
{
	uint32_t flags = PTE_USER;
	if ((r->flags & REGION_WRITE) && ((r->flags & REGION_SHARED) || exclusive))
		flags |= PTE_WRITABLE;
	return flags;
}

static bool access_allowed(const struct region *r, uint32_t access)
{
	if (access & FAULT_WRITE)
		return r->flags & REGION_WRITE;
	/* 32-bit paging without PAE cannot forbid execution of a readable page. */
	return r->flags & (REGION_READ | REGION_WRITE | REGION_EXEC);
}

/* A fault below a stack region extends it, within its limit and never closer
 * than the guard gap to the region under it. */
static struct region *grow_stack(struct aspace *as, vaddr_t page)
{
	struct region *r = region_next(&as->regions, page);
	if (!r || !(r->flags & REGION_GROWSDOWN) || page >= r->start)
		return NULL;
	if (r->end - page > STACK_LIMIT_DEFAULT)
		return NULL;
	uint32_t i = (uint32_t)(r - as->regions.v);
	if (i > 0 && as->regions.v[i - 1].end + STACK_GUARD_GAP > page)
		return NULL;
	r->start = page;
	return r;
}

static enum fault_result copy_on_write(struct aspace *as, struct region *r, vaddr_t page,
				       paddr_t frame)
{
	if (pmm_frame_state(frame) == FRAME_USER && pmm_frame_refs(frame) == 1)
		return vmm_protect_in(as, page, page_flags(r, true)) == VMM_OK ? FAULT_RESOLVED
									       : FAULT_SIGSEGV;
	paddr_t copy = pmm_alloc_as(FRAME_USER);
	if (copy == PMM_INVALID_PAGE)
		return FAULT_NO_MEMORY;
	arch_copy_frame(copy, frame);
	if (vmm_replace_in(as, page, copy, page_flags(r, true)) != VMM_OK) {
		pmm_free_as(copy, FRAME_USER);
		return FAULT_SIGSEGV;
	}
	return FAULT_RESOLVED;
}

/* The pages that hold a file's first `bytes` bytes, the last one in part.
 * Counted in pages, so a page index of 2^20 or more (4 GiB and up) is
 * compared as it is, never as a byte offset that wrapped. */
static uint32_t pages_holding(uint32_t bytes)
{
	return (bytes >> PAGE_SHIFT) + ((bytes & PAGE_OFFSET_MASK) != 0);
}

/* A page of a region with an object is the object's: the frame every
 * sharer maps, made on the first touch in any of them.  A private region
 * (of a file that can change) maps it read-only, and its first write takes
 * a copy, here or later by copy on write (the object's reference keeps the
 * frame shared).  A file's object ends with the file (its current size,
 * which may have changed since the mmap). */
static enum fault_result object_page(struct aspace *as, struct region *r, vaddr_t page,
				     uint32_t access)
{
	uint32_t index = region_page_index(r, page);
	if (r->file && index >= pages_holding(r->file->size))
		return FAULT_SIGBUS;
	paddr_t frame, copy = PMM_INVALID_PAGE;
	bool shared = r->flags & REGION_SHARED;
	int rc = vm_object_page(r->object, index, &frame);
	if (rc == VMM_OK && !shared && (access & FAULT_WRITE)) {
		if ((copy = pmm_alloc_as(FRAME_USER)) == PMM_INVALID_PAGE)
			return FAULT_NO_MEMORY;
		arch_copy_frame(copy, frame);
		frame = copy;
	}
	if (rc == VMM_OK)
		rc = vmm_map_in(as, page, frame, page_flags(r, shared || copy != PMM_INVALID_PAGE));
	if (rc == VMM_OK)
		return FAULT_RESOLVED;
	if (copy != PMM_INVALID_PAGE)
		pmm_free_as(copy, FRAME_USER);
	return rc == VMM_ERR_NO_MEMORY ? FAULT_NO_MEMORY : FAULT_SIGSEGV;
}

/* A frame for a page that was never there: zeros, or the file's bytes. */
static enum fault_result fill_page(struct aspace *as, struct region *r, vaddr_t page,
				   uint32_t access)
{
	if (r->object)
		return object_page(as, r, page, access);
	uint32_t file_offset = 0, file_bytes = 0;
	if (r->file) {
		uint32_t end = r->file_end < r->file->size ? r->file_end : r->file->size;
		uint32_t index = region_page_index(r, page);
		if (index >= pages_holding(end)) {
			/* Past the last page that holds file bytes: nothing to read. */
			if (!(r->flags & REGION_BSS_TAIL))
				return FAULT_SIGBUS;
		} else {
			/* Below the end, so below 4 GiB: the byte offset fits. */
			file_offset = index << PAGE_SHIFT;
			file_bytes = end - file_offset < PAGE_SIZE ? end - file_offset : PAGE_SIZE;
		}
	}
	paddr_t frame = pmm_alloc_as(FRAME_USER);
	if (frame == PMM_INVALID_PAGE)
		return FAULT_NO_MEMORY;
	arch_zero_frame(frame);
	/* Filled through its user address, writable for the kernel until the
	 * region's own protection is applied. */
	int rc = vmm_map_in(as, page, frame, file_bytes ? PTE_WRITABLE : page_flags(r, true));
	if (rc != VMM_OK) {
		pmm_free_as(frame, FRAME_USER);
		return rc == VMM_ERR_NO_MEMORY ? FAULT_NO_MEMORY : FAULT_SIGSEGV;
	}
	if (file_bytes) {
		r->file->ops->read(r->file, file_offset, (void *)(uintptr_t)page, file_bytes);
		vmm_protect_in(as, page, page_flags(r, true));
	}
	return FAULT_RESOLVED;
}

enum fault_result mm_resolve_fault(struct aspace *as, vaddr_t va, uint32_t access)
{
	if (!as || !va_is_user(va))
		return FAULT_SIGSEGV;
	vaddr_t page = va & ~PAGE_OFFSET_MASK;
	struct region *r = region_find(&as->regions, va);
	if (!r && !(r = grow_stack(as, page)))
		return FAULT_SIGSEGV;
	if (!access_allowed(r, access))
		return FAULT_SIGSEGV_ACCESS;
	pte_t *pte = pte_walk(as, page, false);
	if (!pte || !(*pte & PTE_PRESENT))
		return fill_page(as, r, page, access);
	if (!(access & FAULT_WRITE) || (*pte & PTE_WRITABLE)) {
		/* Another path made it right already; the TLB held the old entry. */
		arch_tlb_flush_page(page);
		return FAULT_RESOLVED;
	}
	if (r->flags & REGION_SHARED)
		return vmm_protect_in(as, page, page_flags(r, true)) == VMM_OK ? FAULT_RESOLVED
									       : FAULT_SIGSEGV;
	return copy_on_write(as, r, page, *pte & PTE_FRAME_MASK);
}

const char *fault_result_name(enum fault_result r)
{
	switch (r) {
	case FAULT_RESOLVED: return "resolved";
	case FAULT_SIGSEGV: return "no mapping allows this access";
	case FAULT_SIGSEGV_ACCESS: return "the mapping forbids this access";
	case FAULT_SIGBUS: return "past the end of the mapped file";
	case FAULT_NO_MEMORY: return "out of memory";
	}
	return "?";
}
