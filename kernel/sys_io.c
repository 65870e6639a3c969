/* read, write and writev.  Until processes have descriptor tables, fds 0, 1
 * and 2 are the console (a terminal is read and written through any of
 * them, as on Linux) and every other fd is -EBADF. */
#include <stdbool.h>

#include "kernel/linux_abi_subset.h"
#include "kernel/syscall.h"
#include "kernel/tty.h"
#include "mm/aspace.h"
#include "mm/uaccess.h"

#define CONSOLE_FDS 3u
#define CHUNK	    256u	/* bytes copied in per step, on the kernel stack */
#define MAX_RW	    0x7FFFF000u /* Linux's MAX_RW_COUNT: larger counts are cut */
#define IOV_MAX	    1024u

static bool is_console(uint32_t fd)
{
	return fd < CONSOLE_FDS;
}

/* Writes count bytes from user memory.  As on Linux, a fault after some
 * bytes went out returns those bytes; a fault before any is -EFAULT. */
static int32_t console_write_user(uint32_t buf, uint32_t count)
{
	if (count > MAX_RW)
		count = MAX_RW;
	if (!user_range_ok(buf, count))
		return -LINUX_EFAULT;
	char chunk[CHUNK];
	uint32_t done = 0;
	while (done < count) {
		uint32_t n = count - done < CHUNK ? count - done : CHUNK;
		if (copy_from_user(chunk, (const void *)(uintptr_t)(buf + done), n) != 0)
			return done ? (int32_t)done : -LINUX_EFAULT;
		tty_write(chunk, n);
		done += n;
	}
	return (int32_t)done;
}

int32_t sys_write(struct trap_frame *f)
{
	if (!is_console(SYSCALL_ARG1(f)))
		return -LINUX_EBADF;
	return console_write_user(SYSCALL_ARG2(f), SYSCALL_ARG3(f));
}

int32_t sys_read(struct trap_frame *f)
{
	if (!is_console(SYSCALL_ARG1(f)))
		return -LINUX_EBADF;
	uint32_t buf = SYSCALL_ARG2(f), count = SYSCALL_ARG3(f);
	if (count > MAX_RW)
		count = MAX_RW;
	if (!user_range_ok(buf, count))
		return -LINUX_EFAULT;
	return tty_read(buf, count);
}

/* The vector is read one entry at a time; a bad vector is -EFAULT, a bad
 * count -EINVAL, and a fault inside a buffer ends the call as write does. */
int32_t sys_writev(struct trap_frame *f)
{
	uint32_t fd = SYSCALL_ARG1(f), iov = SYSCALL_ARG2(f), iovcnt = SYSCALL_ARG3(f);
	if (!is_console(fd))
		return -LINUX_EBADF;
	if (iovcnt > IOV_MAX)
		return -LINUX_EINVAL;
	if (!user_range_ok(iov, iovcnt * sizeof(struct linux_iovec)))
		return -LINUX_EFAULT;
	uint32_t total = 0;
	for (uint32_t i = 0; i < iovcnt; i++) {
		struct linux_iovec v;
		if (copy_from_user(&v, (const void *)(uintptr_t)(iov + i * sizeof(v)), sizeof(v)))
			return total ? (int32_t)total : -LINUX_EFAULT;
		if (v.iov_len > MAX_RW - total)
			v.iov_len = MAX_RW - total;
		int32_t r = console_write_user(v.iov_base, v.iov_len);
		if (r < 0)
			return total ? (int32_t)total : r;
		total += (uint32_t)r;
		if ((uint32_t)r < v.iov_len || total == MAX_RW)
			break;
	}
	return (int32_t)total;
}
