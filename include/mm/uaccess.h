/* The one pair of checked copies between kernel memory and the current
 * process's user memory.  Every pointer a system call receives goes through
 * these: a range that is not inside user space, wraps around, or touches a
 * page the process may not access that way gives -LINUX_EFAULT (14) and
 * never a kernel fault. */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include <stdint.h>

/* 0, or -LINUX_EFAULT (then dst may hold part of the bytes). */
int copy_from_user(void *dst, const void *user_src, uint32_t n);
/* 0, or -LINUX_EFAULT (then part of the bytes may have been written). */
int copy_to_user(void *user_dst, const void *src, uint32_t n);

#endif
