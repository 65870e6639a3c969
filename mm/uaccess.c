/* Checked copies to and from user memory (include/mm/uaccess.h).  The range
 * check here keeps kernel addresses out; arch_copy_user survives a fault in
 * the middle, which the page-fault handler resolves or turns into a short
 * copy. */
#include "mm/uaccess.h"

#include <stddef.h>

#include "arch/mmu.h"
#include "uapi/linux_errno.h"
#include "lib/string.h"
#include "mm/aspace.h"

int copy_from_user(void *dst, const void *user_src, uint32_t n)
{
	if (!user_range_ok((vaddr_t)(uintptr_t)user_src, n) || (n && !user_src))
		return -LINUX_EFAULT;
	return arch_copy_user(dst, user_src, n) ? -LINUX_EFAULT : 0;
}

int copy_to_user(void *user_dst, const void *src, uint32_t n)
{
	if (!user_range_ok((vaddr_t)(uintptr_t)user_dst, n) || (n && !user_dst))
		return -LINUX_EFAULT;
	return arch_copy_user(user_dst, src, n) ? -LINUX_EFAULT : 0;
}

int clear_user(void *user_dst, uint32_t n)
{
	static const uint8_t zeros[256];
	uint8_t *p = user_dst;
	while (n) {
		uint32_t chunk = n < sizeof(zeros) ? n : sizeof(zeros);
		if (copy_to_user(p, zeros, chunk))
			return -LINUX_EFAULT;
		p += chunk;
		n -= chunk;
	}
	return 0;
}

/* A page at a time: a string may end just before a page that is not there. */
int strncpy_from_user(char *dst, const char *user_src, uint32_t max)
{
	vaddr_t va = (vaddr_t)(uintptr_t)user_src;
	uint32_t done = 0;
	while (done < max) {
		uint32_t chunk = PAGE_SIZE - ((va + done) & PAGE_OFFSET_MASK);
		if (chunk > max - done)
			chunk = max - done;
		if (copy_from_user(dst + done, user_src + done, chunk))
			return -LINUX_EFAULT;
		for (uint32_t i = 0; i < chunk; i++)
			if (dst[done + i] == '\0')
				return (int)(done + i);
		done += chunk;
	}
	if (max)
		dst[max - 1] = '\0';
	return -LINUX_ENAMETOOLONG;
}
