/* What the monitor's commands may change (include/kernel/monitor_policy.h):
 * the regions map and unmap stay out of, the frames the VMM refuses and why,
 * and the words poke may not write. */
#include "kernel/monitor_policy.h"

#include <stddef.h>
#include <stdint.h>

#include "arch/mmu.h"
#include "lib/format.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define REASON_MAX 80

extern const char __text_start[], __readonly_end[];

static bool in_kernel_readonly(paddr_t pa)
{
	return pa >= (paddr_t)(uintptr_t)__text_start && pa < (paddr_t)(uintptr_t)__readonly_end;
}

static bool in_heap(vaddr_t virt)
{
	return virt >= LAYOUT_HEAP_START && virt < LAYOUT_HEAP_END;
}

static bool in_test_scratch(vaddr_t virt)
{
	return virt >= LAYOUT_TEST_SCRATCH && virt < LAYOUT_TEST_SCRATCH_END;
}

/* The VMM would take a heap page, but kmalloc would then lose (or find
 * foreign) memory under it; and ktest assumes the scratch region empty, and
 * would unmap (and leak) whatever it found there. */
const char *monitor_virt_refusal(vaddr_t virt)
{
	static char reason[REASON_MAX];
	if (!page_aligned(virt))
		return "virtual address not page-aligned (4 KiB)";
	if (!vmm_managed(virt)) {
		ksnprintf(reason, sizeof(reason),
			  "virtual address outside the VMM's region 0x%08X-0x%08X",
			  LAYOUT_IDENTITY_END, LAYOUT_KMAP_BASE - 1);
		return reason;
	}
	if (in_heap(virt)) {
		ksnprintf(reason, sizeof(reason), "0x%08X-0x%08X belongs to the kernel heap",
			  LAYOUT_HEAP_START, LAYOUT_HEAP_END - 1);
		return reason;
	}
	/* Mapped once at boot; unmapping them would pull memory from under the
	 * PMM or the root file system. */
	if (virt >= LAYOUT_MODULES && virt < LAYOUT_MODULES_END) {
		ksnprintf(reason, sizeof(reason), "0x%08X-0x%08X belongs to the boot modules",
			  LAYOUT_MODULES, LAYOUT_MODULES_END - 1);
		return reason;
	}
	if (virt >= LAYOUT_PMM_RECORDS && virt < LAYOUT_PMM_RECORDS_END) {
		ksnprintf(reason, sizeof(reason), "0x%08X-0x%08X belongs to the frame records",
			  LAYOUT_PMM_RECORDS, LAYOUT_PMM_RECORDS_END - 1);
		return reason;
	}
	if (in_test_scratch(virt)) {
		ksnprintf(reason, sizeof(reason),
			  "0x%08X-0x%08X is the in-kernel tests' scratch region",
			  LAYOUT_TEST_SCRATCH, LAYOUT_TEST_SCRATCH_END - 1);
		return reason;
	}
	return NULL;
}

const char *monitor_frame_refusal(paddr_t phys)
{
	switch (pmm_frame_state(phys)) {
	case FRAME_FREE: return "the frame is free (palloc one first)";
	case FRAME_PAGE_TABLE: return "the frame is a page table";
	case FRAME_HEAP: return "the frame belongs to the kernel heap (mapped once, there)";
	default: return NULL;
	}
}

/* The MMU would stop a write to a read-only page with a fault; the rest are
 * writable, but a stray word there breaks the kernel, the VMM's books or the
 * heap's. */
const char *monitor_poke_refusal(vaddr_t va, paddr_t pa, uint32_t flags)
{
	if (va >= LAYOUT_RECURSIVE_BASE)
		return "a page table seen through the recursive slot (use map/unmap)";
	if (va >= LAYOUT_KMAP_BASE)
		return "arch's windows onto frames and other directories";
	if (in_kernel_readonly(pa))
		return "kernel text or read-only data";
	/* A word of the heap may be a block header or a list link, which
	 * kmalloc and check follow. */
	if (in_heap(va))
		return "the kernel heap (block headers and list links)";
	switch (pmm_frame_state(pa & ~(paddr_t)PAGE_OFFSET_MASK)) {
	case FRAME_KERNEL: return "kernel data, stack or frame records";
	case FRAME_PAGE_TABLE: return "a page table (use map/unmap)";
	case FRAME_HEAP: return "a frame of the kernel heap";
	default: break;
	}
	if (!(flags & PTE_WRITABLE))
		return "the page is read-only";
	return NULL;
}
