/* sendfile and sendfile64: bytes of a regular file written to any open
 * file (the console, a pipe, another file), with Linux's checks and errno
 * values.
 *
 * Every write operation takes a user buffer (kernel/vfs.h), and the
 * source's bytes are in the kernel.  Rather than give each device a second
 * write path for kernel buffers, the call maps the part of the source it is
 * about to send into the caller's own space, read-only, hands that user
 * address to the write, and unmaps it: the same as the read-then-write loop
 * the caller would do itself, without its copy through a buffer. */
#include <stdbool.h>
#include <stddef.h>

#include "arch/types.h"
#include "kernel/syscall.h"
#include "kernel/tty.h"
#include "kernel/vfs.h"
#include "mm/aspace.h"
#include "mm/mmap.h"
#include "mm/uaccess.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"

#define MAX_RW	    0x7FFFF000u	 /* Linux's MAX_RW_COUNT */
#define MAX_NON_LFS 0x7FFFFFFFll /* what sendfile's 32-bit offset can say */
#define MAX_LFS	    0x7FFFFFFFFFFFFFFFll
#define CHUNK_BYTES (64u * 1024u) /* mapped at a time */

static bool is_regular(const struct file *f)
{
	return f->inode && (f->inode->mode & LINUX_S_IFMT) == LINUX_S_IFREG;
}

/* A file whose text is made when it is read (/proc: the inode has hooks and
 * no bytes of its own) has nothing to map: its read fills an anonymous page
 * of the caller's, and the write takes it from there.  At most a page per
 * call; the caller loops. */
static long send_chunk_by_read(struct file *in, uint64_t pos, uint32_t n, struct file *out)
{
	if (!in->ops->read)
		return -LINUX_EINVAL;
	if (n > PAGE_SIZE)
		n = PAGE_SIZE;
	struct aspace *as = aspace_current();
	long addr = mm_mmap(as, 0, PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			    LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS, NULL, 0);
	if (addr < 0 && addr > -4096)
		return addr;
	void *buf = (void *)(uintptr_t)(uint32_t)addr;
	long rc = in->ops->read(in, buf, n, &pos);
	if (rc > 0)
		rc = out->ops->write(out, buf, (uint32_t)rc, &out->offset);
	mm_munmap(as, (uint32_t)addr, PAGE_SIZE);
	return rc;
}

/* Sends up to n bytes of in at offset pos through out's write: the bytes
 * written, 0 at the end of in, or -errno. */
static long send_chunk(struct file *in, uint64_t pos, uint32_t n, struct file *out)
{
	struct inode *ino = in->inode;
	if (ino->hooks)
		return send_chunk_by_read(in, pos, n, out);
	if (pos >= ino->size)
		return 0;
	if (n > ino->size - pos)
		n = ino->size - (uint32_t)pos;
	uint32_t page_off = (uint32_t)pos & PAGE_OFFSET_MASK;
	uint32_t len = page_off + n;
	struct mmap_file mf = {
		.fb = &ino->backing, .readable = true, .writable = false, .mappable = true};
	struct aspace *as = aspace_current();
	long addr = mm_mmap(as, 0, len, LINUX_PROT_READ, LINUX_MAP_PRIVATE, &mf,
			    (uint32_t)(pos >> PAGE_SHIFT));
	if (addr < 0 && addr > -4096)
		return addr;
	long rc = out->ops->write(out, (const void *)(uintptr_t)((uint32_t)addr + page_off), n,
				  &out->offset);
	mm_munmap(as, (uint32_t)addr, len);
	return rc;
}

/* pos NULL: in's own offset, which moves; else *pos, which moves instead.
 * max: the largest offset the call can report back. */
static int32_t do_sendfile(uint32_t out_fd, uint32_t in_fd, int64_t *pos, uint32_t count,
			   int64_t max)
{
	struct fdtable *t = current_files();
	struct file *in = fd_get(t, (int32_t)in_fd);
	if (!in || (in->flags & LINUX_O_ACCMODE) == LINUX_O_WRONLY)
		return -LINUX_EBADF;
	bool positional = in->inode && in->ops != &tty_console_ops;
	if (pos && !positional)
		return -LINUX_ESPIPE;
	int64_t at = pos ? *pos : (int64_t)in->offset;
	if (at < 0)
		return -LINUX_EINVAL;
	if (count > MAX_RW)
		count = MAX_RW;
	struct file *out = fd_get(t, (int32_t)out_fd);
	if (!out || (out->flags & LINUX_O_ACCMODE) == LINUX_O_RDONLY)
		return -LINUX_EBADF;
	if ((int64_t)count > max - at) {
		if (at >= max)
			return -LINUX_EOVERFLOW;
		count = (uint32_t)(max - at);
	}
	/* Linux splices only from regular files (and block devices) and not
	 * onto a file opened for appending. */
	if (!is_regular(in) || (out->flags & LINUX_O_APPEND))
		return -LINUX_EINVAL;
	if (!out->ops->write)
		return -LINUX_EINVAL;
	uint32_t done = 0;
	long rc = 0;
	while (done < count) {
		uint32_t n = count - done < CHUNK_BYTES ? count - done : CHUNK_BYTES;
		rc = send_chunk(in, (uint64_t)at + done, n, out);
		if (rc <= 0)
			break;
		done += (uint32_t)rc;
		if ((uint32_t)rc < n)
			break;
	}
	if (pos)
		*pos = at + done;
	else
		in->offset = (uint64_t)at + done;
	return done ? (int32_t)done : (int32_t)rc;
}

int32_t sys_sendfile(struct trap_frame *f)
{
	uint32_t user_off = SYSCALL_ARG3(f);
	if (!user_off)
		return do_sendfile(SYSCALL_ARG1(f), SYSCALL_ARG2(f), NULL, SYSCALL_ARG4(f),
				   MAX_NON_LFS);
	int32_t off32;
	if (copy_from_user(&off32, (const void *)(uintptr_t)user_off, sizeof(off32)))
		return -LINUX_EFAULT;
	int64_t pos = off32;
	int32_t rc =
		do_sendfile(SYSCALL_ARG1(f), SYSCALL_ARG2(f), &pos, SYSCALL_ARG4(f), MAX_NON_LFS);
	off32 = (int32_t)pos;
	if (copy_to_user((void *)(uintptr_t)user_off, &off32, sizeof(off32)))
		return -LINUX_EFAULT;
	return rc;
}

int32_t sys_sendfile64(struct trap_frame *f)
{
	uint32_t user_off = SYSCALL_ARG3(f);
	if (!user_off)
		return do_sendfile(SYSCALL_ARG1(f), SYSCALL_ARG2(f), NULL, SYSCALL_ARG4(f),
				   MAX_LFS);
	int64_t pos;
	if (copy_from_user(&pos, (const void *)(uintptr_t)user_off, sizeof(pos)))
		return -LINUX_EFAULT;
	int32_t rc = do_sendfile(SYSCALL_ARG1(f), SYSCALL_ARG2(f), &pos, SYSCALL_ARG4(f), MAX_LFS);
	if (copy_to_user((void *)(uintptr_t)user_off, &pos, sizeof(pos)))
		return -LINUX_EFAULT;
	return rc;
}
