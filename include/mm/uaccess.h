/* The one pair of checked copies between the kernel and user memory.  Every
 * system call that takes a user pointer goes through them: a range that is
 * not inside user space, wraps around, or meets a page no region allows
 * gives -EFAULT; a page that is merely not there yet is faulted in (demand
 * paging, copy on write) and the copy goes on. */
#ifndef MM_UACCESS_H
#define MM_UACCESS_H

#include <stdint.h>

/* 0, or -EFAULT when any byte could not be copied. */
int copy_from_user(void *dst, const void *user_src, uint32_t n);
int copy_to_user(void *user_dst, const void *src, uint32_t n);
/* Copies a NUL-terminated string of at most max - 1 characters into dst;
 * returns its length, -EFAULT, or -ENAMETOOLONG when no NUL came in time. */
int strncpy_from_user(char *dst, const char *user_src, uint32_t max);
/* Fills n user bytes with zeros; 0 or -EFAULT. */
int clear_user(void *user_dst, uint32_t n);

#endif
