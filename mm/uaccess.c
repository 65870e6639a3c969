/* Checked user copies, the plain version: every page of the range is looked
 * up in the current space's page tables before it is touched, so a bad
 * pointer is found without taking a fault.  Pages that demand paging or
 * copy-on-write would bring in are refused here; the fault-handling version
 * of mm/fault.c replaces this file. */
#include "mm/uaccess.h"

#include <stdbool.h>

#include "kernel/linux_abi_subset.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/vmm.h"

static bool user_pages_ok(vaddr_t va, uint32_t n, bool write)
{
	if (!user_range_ok(va, n))
		return false;
	uint32_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITABLE : 0);
	for (vaddr_t page = va & ~PAGE_OFFSET_MASK; page < va + n; page += PAGE_SIZE) {
		uint32_t flags;
		if (vmm_query_in(aspace_current(), page, NULL, &flags) != VMM_OK ||
		    (flags & need) != need)
			return false;
	}
	return true;
}

int copy_from_user(void *dst, const void *user_src, uint32_t n)
{
	if (n == 0)
		return 0;
	if (!user_pages_ok((vaddr_t)(uintptr_t)user_src, n, false))
		return -LINUX_EFAULT;
	memcpy(dst, user_src, n);
	return 0;
}

int copy_to_user(void *user_dst, const void *src, uint32_t n)
{
	if (n == 0)
		return 0;
	if (!user_pages_ok((vaddr_t)(uintptr_t)user_dst, n, true))
		return -LINUX_EFAULT;
	memcpy(user_dst, src, n);
	return 0;
}
