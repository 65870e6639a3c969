/* The file system calls: descriptors, reads, seeks, stat and directories,
 * with Linux's argument checks and errno values.  Every user pointer goes
 * through the checked copies of mm/uaccess.h. */
#include <stdbool.h>
#include <stddef.h>

#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/tty.h"
#include "kernel/vfs.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"
#include "uapi/linux_types.h"

#define MAX_RW	0x7FFFF000u /* Linux's MAX_RW_COUNT: larger counts are cut */
#define IOV_MAX 1024u
#define OPEN_FLAGS_KNOWN                                                                           \
	(LINUX_O_ACCMODE | LINUX_O_CREAT | LINUX_O_EXCL | LINUX_O_NOCTTY | LINUX_O_TRUNC |         \
	 LINUX_O_APPEND | LINUX_O_NONBLOCK | LINUX_O_DSYNC | LINUX_O_DIRECT | LINUX_O_LARGEFILE |  \
	 LINUX_O_DIRECTORY | LINUX_O_NOFOLLOW | LINUX_O_NOATIME | LINUX_O_CLOEXEC | LINUX_O_PATH)

/* A path from user memory, in a heap buffer the caller frees. */
static int path_from_user(uint32_t user_path, char **out)
{
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -LINUX_ENOMEM;
	int len = strncpy_from_user(buf, (const char *)(uintptr_t)user_path, PATH_MAX);
	if (len < 0) {
		kfree(buf);
		return len;
	}
	*out = buf;
	return len;
}

/* The directory a *at() call starts from: the root for an absolute path, the
 * working directory for AT_FDCWD, else the directory open at dirfd. */
static int start_dir(int32_t dirfd, const char *path, struct inode **dir)
{
	if (path[0] == '/' || dirfd == LINUX_AT_FDCWD) {
		*dir = path[0] == '/' ? vfs_root() : *current_cwd();
		return 0;
	}
	struct file *f = fd_get(current_files(), dirfd);
	if (!f)
		return -LINUX_EBADF;
	if (!f->inode || (f->inode->mode & LINUX_S_IFMT) != LINUX_S_IFDIR)
		return -LINUX_ENOTDIR;
	*dir = f->inode;
	return 0;
}

static int lookup_at_link(int32_t dirfd, uint32_t user_path, bool empty_ok, bool follow,
			  struct inode **out)
{
	char *path;
	int rc = path_from_user(user_path, &path);
	if (rc < 0)
		return rc;
	if (rc == 0 && empty_ok) {
		struct file *f = fd_get(current_files(), dirfd);
		rc = !f ? -LINUX_EBADF : !f->inode ? -LINUX_ENOENT : 0;
		if (!rc)
			*out = f->inode;
	} else if (rc == 0) {
		rc = -LINUX_ENOENT;
	} else {
		struct inode *dir;
		rc = start_dir(dirfd, path, &dir);
		if (!rc)
			rc = vfs_lookup_link(dir, path, follow, out);
	}
	kfree(path);
	return rc;
}

static int lookup_at(int32_t dirfd, uint32_t user_path, bool empty_ok, struct inode **out)
{
	return lookup_at_link(dirfd, user_path, empty_ok, true, out);
}

/* The directory holding a user path's last component, and that name; the
 * caller frees *buf (the path, which *name points into). */
static int parent_at(int32_t dirfd, uint32_t user_path, char **buf, struct inode **parent,
		     const char **name, uint32_t *len)
{
	int rc = path_from_user(user_path, buf);
	if (rc < 0)
		return rc;
	struct inode *dir;
	if (rc == 0)
		rc = -LINUX_ENOENT;
	else if (!(rc = start_dir(dirfd, *buf, &dir)))
		rc = vfs_lookup_parent(dir, *buf, parent, name, len);
	if (rc)
		kfree(*buf);
	return rc;
}

static int create_at(int32_t dirfd, uint32_t user_path, uint32_t mode, struct inode **out)
{
	char *buf;
	struct inode *dir;
	const char *name;
	uint32_t len;
	int rc = parent_at(dirfd, user_path, &buf, &dir, &name, &len);
	if (rc)
		return rc;
	const struct proc *self = sched_current();
	mode = (mode & LINUX_S_IFMT) | (mode & 07777u & ~(self ? self->umask : 0));
	rc = vfs_create(dir, name, len, mode, out);
	kfree(buf);
	return rc;
}

static int32_t do_openat(int32_t dirfd, uint32_t user_path, uint32_t flags, uint32_t mode)
{
	if (flags & ~OPEN_FLAGS_KNOWN & ~LINUX_O_ACCMODE)
		flags &= OPEN_FLAGS_KNOWN; /* Linux ignores unknown bits */
	struct inode *ino;
	int rc = lookup_at(dirfd, user_path, false, &ino);
	if (rc == -LINUX_ENOENT && (flags & LINUX_O_CREAT))
		rc = create_at(dirfd, user_path, LINUX_S_IFREG | (mode & 07777u), &ino);
	else if (!rc && (flags & LINUX_O_CREAT) && (flags & LINUX_O_EXCL))
		rc = -LINUX_EEXIST;
	if (rc)
		return rc;
	struct file *f;
	if ((rc = vfs_open(ino, flags, &f)))
		return rc;
	if ((flags & LINUX_O_TRUNC) && (flags & LINUX_O_ACCMODE) != LINUX_O_RDONLY &&
	    (ino->mode & LINUX_S_IFMT) == LINUX_S_IFREG && (rc = vfs_truncate(ino, 0))) {
		file_put(f);
		return rc;
	}
	rc = fd_install(current_files(), f, 0, flags & LINUX_O_CLOEXEC);
	file_put(f); /* the descriptor holds it now, or nobody does */
	return rc;
}

int32_t sys_open(struct trap_frame *fr)
{
	return do_openat(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

int32_t sys_openat(struct trap_frame *fr)
{
	return do_openat((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr),
			 SYSCALL_ARG4(fr));
}

int32_t sys_close(struct trap_frame *fr)
{
	return fd_close(current_files(), (int32_t)SYSCALL_ARG1(fr));
}

static struct file *file_of(uint32_t fd)
{
	return fd_get(current_files(), (int32_t)fd);
}

static bool readable(const struct file *f)
{
	return (f->flags & LINUX_O_ACCMODE) != LINUX_O_WRONLY;
}

static bool writable(const struct file *f)
{
	return (f->flags & LINUX_O_ACCMODE) != LINUX_O_RDONLY;
}

static int32_t do_read(struct file *f, uint32_t buf, uint32_t count, uint64_t *offset)
{
	if (!readable(f))
		return -LINUX_EBADF;
	if (count > MAX_RW)
		count = MAX_RW;
	if (!user_range_ok(buf, count))
		return -LINUX_EFAULT;
	if (!f->ops->read)
		return -LINUX_EINVAL;
	return (int32_t)f->ops->read(f, (void *)(uintptr_t)buf, count, offset);
}

static int32_t do_write(struct file *f, uint32_t buf, uint32_t count, uint64_t *offset)
{
	if (!writable(f))
		return -LINUX_EBADF;
	if (count > MAX_RW)
		count = MAX_RW;
	if (!user_range_ok(buf, count))
		return -LINUX_EFAULT;
	if (!f->ops->write)
		return -LINUX_EINVAL;
	return (int32_t)f->ops->write(f, (const void *)(uintptr_t)buf, count, offset);
}

int32_t sys_read(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	return do_read(f, SYSCALL_ARG2(fr), SYSCALL_ARG3(fr), &f->offset);
}

int32_t sys_write(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	return do_write(f, SYSCALL_ARG2(fr), SYSCALL_ARG3(fr), &f->offset);
}

/* Files with an inode seek, except the console opened as /dev/console. */
static bool seekable(const struct file *f)
{
	return f->inode != NULL && f->ops != &tty_console_ops;
}

int32_t sys_pread64(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	int64_t pos = (int64_t)((uint64_t)SYSCALL_ARG5(fr) << 32 | SYSCALL_ARG4(fr));
	if (pos < 0)
		return -LINUX_EINVAL;
	if (!seekable(f))
		return -LINUX_ESPIPE;
	uint64_t offset = (uint64_t)pos;
	return do_read(f, SYSCALL_ARG2(fr), SYSCALL_ARG3(fr), &offset);
}

/* readv and writev: each buffer in turn; a short transfer ends the call. */
static int32_t do_vector(struct trap_frame *fr, bool write)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	uint32_t iov = SYSCALL_ARG2(fr), count = SYSCALL_ARG3(fr);
	if (!f)
		return -LINUX_EBADF;
	if (count > IOV_MAX)
		return -LINUX_EINVAL;
	if (count == 0)
		return 0;
	if (!user_range_ok(iov, count * sizeof(struct linux_iovec)))
		return -LINUX_EFAULT;
	int32_t total = 0;
	for (uint32_t i = 0; i < count; i++) {
		struct linux_iovec v;
		if (copy_from_user(&v, (const void *)(uintptr_t)(iov + i * sizeof(v)), sizeof(v)))
			return total ? total : -LINUX_EFAULT;
		if (!v.iov_len)
			continue;
		int32_t n = write ? do_write(f, v.iov_base, v.iov_len, &f->offset)
				  : do_read(f, v.iov_base, v.iov_len, &f->offset);
		if (n < 0)
			return total ? total : n;
		total += n;
		if ((uint32_t)n < v.iov_len)
			break;
	}
	return total;
}

int32_t sys_writev(struct trap_frame *fr)
{
	return do_vector(fr, true);
}

int32_t sys_readv(struct trap_frame *fr)
{
	return do_vector(fr, false);
}

static int do_seek(struct file *f, int64_t off, uint32_t whence, uint64_t *result)
{
	if (!seekable(f))
		return -LINUX_ESPIPE;
	int64_t base;
	switch (whence) {
	case LINUX_SEEK_SET: base = 0; break;
	case LINUX_SEEK_CUR: base = (int64_t)f->offset; break;
	case LINUX_SEEK_END: base = f->inode->size; break;
	default: return -LINUX_EINVAL;
	}
	int64_t pos = base + off;
	if (pos < 0)
		return -LINUX_EINVAL;
	f->offset = (uint64_t)pos;
	*result = f->offset;
	return 0;
}

int32_t sys_lseek(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	uint64_t pos;
	int rc = do_seek(f, (int32_t)SYSCALL_ARG2(fr), SYSCALL_ARG3(fr), &pos);
	if (rc)
		return rc;
	if (pos > 0x7FFFFFFFu)
		return -LINUX_EOVERFLOW;
	return (int32_t)pos;
}

int32_t sys_llseek(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	int64_t off = (int64_t)((uint64_t)SYSCALL_ARG2(fr) << 32 | SYSCALL_ARG3(fr));
	uint64_t pos;
	int rc = do_seek(f, off, SYSCALL_ARG5(fr), &pos);
	if (rc)
		return rc;
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG4(fr), &pos, sizeof(pos));
}

static int32_t put_stat64(const struct inode *ino, uint32_t user_buf)
{
	struct linux_stat64 st;
	vfs_fill_stat64(ino, &st);
	return copy_to_user((void *)(uintptr_t)user_buf, &st, sizeof(st));
}

int32_t sys_fstat64(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	if (f->inode)
		return put_stat64(f->inode, SYSCALL_ARG2(fr));
	struct linux_stat64 st;
	memset(&st, 0, sizeof(st));
	if (f->ops->stat)
		f->ops->stat(f, &st);
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG2(fr), &st, sizeof(st));
}

int32_t sys_stat64(struct trap_frame *fr)
{
	struct inode *ino;
	int rc = lookup_at(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), false, &ino);
	return rc ? rc : put_stat64(ino, SYSCALL_ARG2(fr));
}

int32_t sys_lstat64(struct trap_frame *fr)
{
	struct inode *ino;
	int rc = lookup_at_link(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), false, false, &ino);
	return rc ? rc : put_stat64(ino, SYSCALL_ARG2(fr));
}

/* fstatat and statx with an empty path and AT_EMPTY_PATH on a file that has
 * no inode (the console, a pipe): what fstat says of it.  1 when this case
 * applied and st is filled, 0 when the path is to be looked up, or -errno. */
static int empty_path_stat(int32_t dirfd, uint32_t user_path, uint32_t flags,
			   struct linux_stat64 *st)
{
	if (!(flags & LINUX_AT_EMPTY_PATH))
		return 0;
	char c;
	if (copy_from_user(&c, (const void *)(uintptr_t)user_path, 1))
		return -LINUX_EFAULT;
	struct file *f = c ? NULL : fd_get(current_files(), dirfd);
	if (!f || f->inode)
		return 0;
	memset(st, 0, sizeof(*st));
	if (f->ops->stat)
		f->ops->stat(f, st);
	return 1;
}

int32_t sys_fstatat64(struct trap_frame *fr)
{
	uint32_t flags = SYSCALL_ARG4(fr);
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_NO_AUTOMOUNT | LINUX_AT_EMPTY_PATH))
		return -LINUX_EINVAL;
	struct linux_stat64 st;
	int rc = empty_path_stat((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), flags, &st);
	if (rc < 0)
		return rc;
	if (rc)
		return copy_to_user((void *)(uintptr_t)SYSCALL_ARG3(fr), &st, sizeof(st));
	struct inode *ino;
	rc = lookup_at_link((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr),
			    flags & LINUX_AT_EMPTY_PATH, !(flags & LINUX_AT_SYMLINK_NOFOLLOW),
			    &ino);
	return rc ? rc : put_stat64(ino, SYSCALL_ARG3(fr));
}

int32_t sys_statx(struct trap_frame *fr)
{
	uint32_t flags = SYSCALL_ARG3(fr);
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_NO_AUTOMOUNT | LINUX_AT_EMPTY_PATH |
		      LINUX_AT_STATX_SYNC_TYPE))
		return -LINUX_EINVAL;
	struct linux_stat64 st64;
	int rc = empty_path_stat((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), flags, &st64);
	if (rc < 0)
		return rc;
	if (rc) {
		struct linux_statx sx;
		memset(&sx, 0, sizeof(sx));
		sx.stx_mask = LINUX_STATX_TYPE | LINUX_STATX_MODE | LINUX_STATX_NLINK |
			      LINUX_STATX_INO | LINUX_STATX_SIZE | LINUX_STATX_BLOCKS;
		sx.stx_mode = (uint16_t)st64.st_mode;
		sx.stx_nlink = st64.st_nlink;
		sx.stx_ino = st64.st_ino;
		sx.stx_blksize = st64.st_blksize;
		sx.stx_rdev_major = (uint32_t)(st64.st_rdev >> 8) & 0xFFFu;
		sx.stx_rdev_minor = (uint32_t)(st64.st_rdev & 0xFFu);
		return copy_to_user((void *)(uintptr_t)SYSCALL_ARG5(fr), &sx, sizeof(sx));
	}
	struct inode *ino;
	rc = lookup_at_link((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr),
			    flags & LINUX_AT_EMPTY_PATH, !(flags & LINUX_AT_SYMLINK_NOFOLLOW),
			    &ino);
	if (rc)
		return rc;
	struct linux_statx st;
	vfs_fill_statx(ino, &st);
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG5(fr), &st, sizeof(st));
}

int32_t sys_getdents64(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	uint32_t buf = SYSCALL_ARG2(fr), size = SYSCALL_ARG3(fr);
	if (!user_range_ok(buf, size))
		return -LINUX_EFAULT;
	return (int32_t)vfs_getdents64(f, (void *)(uintptr_t)buf, size);
}

static int32_t do_readlink(int32_t dirfd, uint32_t user_path, uint32_t buf, int32_t size)
{
	if (size <= 0)
		return -LINUX_EINVAL;
	struct inode *ino;
	int rc = lookup_at_link(dirfd, user_path, false, false, &ino);
	if (rc)
		return rc;
	const char *target;
	int len = vfs_link_target(ino, &target);
	if (len < 0)
		return len; /* not a link: -EINVAL, as Linux */
	if (len > size)
		len = size; /* cut, without a NUL, as Linux */
	return copy_to_user((void *)(uintptr_t)buf, target, (uint32_t)len) ? -LINUX_EFAULT : len;
}

int32_t sys_readlink(struct trap_frame *fr)
{
	return do_readlink(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr),
			   (int32_t)SYSCALL_ARG3(fr));
}

int32_t sys_readlinkat(struct trap_frame *fr)
{
	return do_readlink((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr),
			   (int32_t)SYSCALL_ARG4(fr));
}

int32_t sys_ioctl(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	if (!f->ops->ioctl)
		return -LINUX_ENOTTY;
	return (int32_t)f->ops->ioctl(f, SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

static int32_t do_dup(uint32_t oldfd, int32_t newfd, bool cloexec)
{
	struct fdtable *t = current_files();
	struct file *f = fd_get(t, (int32_t)oldfd);
	if (!f)
		return -LINUX_EBADF;
	if (newfd < 0)
		return fd_install(t, f, 0, cloexec);
	if ((uint32_t)newfd >= FD_MAX)
		return -LINUX_EBADF;
	if ((uint32_t)newfd == oldfd)
		return newfd;
	fd_close(t, newfd);
	return fd_install(t, f, (uint32_t)newfd, cloexec);
}

int32_t sys_dup(struct trap_frame *fr)
{
	return do_dup(SYSCALL_ARG1(fr), -1, false);
}

int32_t sys_dup2(struct trap_frame *fr)
{
	return do_dup(SYSCALL_ARG1(fr), (int32_t)SYSCALL_ARG2(fr), false);
}

int32_t sys_dup3(struct trap_frame *fr)
{
	uint32_t flags = SYSCALL_ARG3(fr);
	if (flags & ~LINUX_O_CLOEXEC || SYSCALL_ARG1(fr) == SYSCALL_ARG2(fr))
		return -LINUX_EINVAL;
	return do_dup(SYSCALL_ARG1(fr), (int32_t)SYSCALL_ARG2(fr), flags & LINUX_O_CLOEXEC);
}

static int32_t set_cwd(struct inode *ino)
{
	if ((ino->mode & LINUX_S_IFMT) != LINUX_S_IFDIR)
		return -LINUX_ENOTDIR;
	/* The working directory holds a reference: it may be removed while
	 * the process is in it. */
	inode_get(ino);
	inode_put(*current_cwd());
	*current_cwd() = ino;
	return 0;
}

int32_t sys_chdir(struct trap_frame *fr)
{
	struct inode *ino;
	int rc = lookup_at(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), false, &ino);
	if (rc)
		return rc;
	return set_cwd(ino);
}

int32_t sys_fchdir(struct trap_frame *fr)
{
	struct file *f = fd_get(current_files(), (int32_t)SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	return f->inode ? set_cwd(f->inode) : -LINUX_ENOTDIR;
}

int32_t sys_getcwd(struct trap_frame *fr)
{
	uint32_t size = SYSCALL_ARG2(fr);
	char *buf = kmalloc(PATH_MAX);
	if (!buf)
		return -LINUX_ENOMEM;
	int len = vfs_path_of(*current_cwd(), buf, size < PATH_MAX ? size : PATH_MAX);
	if (len >= 0 && copy_to_user((void *)(uintptr_t)SYSCALL_ARG1(fr), buf, (uint32_t)len + 1))
		len = -LINUX_EFAULT;
	kfree(buf);
	return len < 0 ? len : len + 1;
}

/* ---- fcntl ----------------------------------------------------------------- */

/* The status flags F_SETFL may change; the access mode and creation flags
 * stay as open() set them. */
#define SETFL_FLAGS (LINUX_O_APPEND | LINUX_O_NONBLOCK | LINUX_O_DIRECT | LINUX_O_NOATIME)

int32_t sys_fcntl64(struct trap_frame *fr)
{
	int32_t fd = (int32_t)SYSCALL_ARG1(fr);
	uint32_t cmd = SYSCALL_ARG2(fr), arg = SYSCALL_ARG3(fr);
	struct fdtable *t = current_files();
	struct file *f = fd_get(t, fd);
	if (!f)
		return -LINUX_EBADF;
	switch (cmd) {
	case LINUX_F_DUPFD:
	case LINUX_F_DUPFD_CLOEXEC:
		if (arg >= FD_MAX)
			return -LINUX_EINVAL;
		return fd_install(t, f, arg, cmd == LINUX_F_DUPFD_CLOEXEC);
	case LINUX_F_GETFD: return t->cloexec[fd] ? LINUX_FD_CLOEXEC : 0;
	case LINUX_F_SETFD: t->cloexec[fd] = (arg & LINUX_FD_CLOEXEC) != 0; return 0;
	case LINUX_F_GETFL: return (int32_t)(f->flags & ~LINUX_O_CLOEXEC);
	case LINUX_F_SETFL: f->flags = (f->flags & ~SETFL_FLAGS) | (arg & SETFL_FLAGS); return 0;
	default: return -LINUX_EINVAL;
	}
}

/* ---- changing the tree (its writable part, /tmp) ---------------------------- */

static int32_t do_mkdir(int32_t dirfd, uint32_t user_path, uint32_t mode)
{
	int rc = create_at(dirfd, user_path, LINUX_S_IFDIR | (mode & 07777u), NULL);
	/* "/", "." and ".." name no new entry, but they exist: Linux says
	 * EEXIST (mkdir -p depends on it), or why the path does not resolve. */
	if (rc == -LINUX_EBUSY || rc == -LINUX_EINVAL) {
		struct inode *ino;
		int found = lookup_at(dirfd, user_path, false, &ino);
		rc = found ? found : -LINUX_EEXIST;
	}
	return rc;
}

int32_t sys_mkdir(struct trap_frame *fr)
{
	return do_mkdir(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr));
}

int32_t sys_mkdirat(struct trap_frame *fr)
{
	return do_mkdir((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

static int32_t do_remove(int32_t dirfd, uint32_t user_path, bool dir)
{
	char *buf;
	struct inode *parent;
	const char *name;
	uint32_t len;
	int rc = parent_at(dirfd, user_path, &buf, &parent, &name, &len);
	if (rc)
		return rc;
	rc = vfs_remove(parent, name, len, dir);
	kfree(buf);
	return rc;
}

int32_t sys_unlink(struct trap_frame *fr)
{
	return do_remove(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), false);
}

int32_t sys_rmdir(struct trap_frame *fr)
{
	return do_remove(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), true);
}

int32_t sys_unlinkat(struct trap_frame *fr)
{
	uint32_t flags = SYSCALL_ARG3(fr);
	if (flags & ~LINUX_AT_REMOVEDIR)
		return -LINUX_EINVAL;
	return do_remove((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), flags & LINUX_AT_REMOVEDIR);
}

static int32_t do_rename(int32_t odirfd, uint32_t opath, int32_t ndirfd, uint32_t npath)
{
	char *obuf, *nbuf;
	struct inode *odir, *ndir;
	const char *oname, *nname;
	uint32_t olen, nlen;
	int rc = parent_at(odirfd, opath, &obuf, &odir, &oname, &olen);
	if (rc)
		return rc;
	rc = parent_at(ndirfd, npath, &nbuf, &ndir, &nname, &nlen);
	if (!rc) {
		rc = vfs_rename(odir, oname, olen, ndir, nname, nlen);
		kfree(nbuf);
	}
	kfree(obuf);
	return rc;
}

int32_t sys_rename(struct trap_frame *fr)
{
	return do_rename(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), LINUX_AT_FDCWD, SYSCALL_ARG2(fr));
}

int32_t sys_renameat(struct trap_frame *fr)
{
	return do_rename((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), (int32_t)SYSCALL_ARG3(fr),
			 SYSCALL_ARG4(fr));
}

static int32_t do_ftruncate(uint32_t fd, int64_t size)
{
	struct file *f = file_of(fd);
	if (!f)
		return -LINUX_EBADF;
	if (size < 0 || !f->inode || !writable(f))
		return -LINUX_EINVAL;
	return vfs_truncate(f->inode, (uint64_t)size);
}

int32_t sys_ftruncate(struct trap_frame *fr)
{
	return do_ftruncate(SYSCALL_ARG1(fr), (int32_t)SYSCALL_ARG2(fr));
}

int32_t sys_ftruncate64(struct trap_frame *fr)
{
	return do_ftruncate(SYSCALL_ARG1(fr),
			    (int64_t)((uint64_t)SYSCALL_ARG3(fr) << 32 | SYSCALL_ARG2(fr)));
}

/* access: every process is root, so reading is allowed, executing needs an
 * x bit (or a directory), and writing needs the writable part of the tree
 * (the boot archive's part is a read-only file system: -EROFS). */
#define ACCESS_MODES 7u
#define ACCESS_W     2u
#define ACCESS_X     1u

static int32_t do_access(int32_t dirfd, uint32_t user_path, uint32_t mode)
{
	if (mode & ~ACCESS_MODES)
		return -LINUX_EINVAL;
	struct inode *ino;
	int rc = lookup_at(dirfd, user_path, false, &ino);
	if (rc)
		return rc;
	uint32_t type = ino->mode & LINUX_S_IFMT;
	if ((mode & ACCESS_X) && type != LINUX_S_IFDIR && !(ino->mode & 0111u))
		return -LINUX_EACCES;
	if ((mode & ACCESS_W) && !ino->writable && type != LINUX_S_IFCHR)
		return -LINUX_EROFS;
	return 0;
}

int32_t sys_access(struct trap_frame *fr)
{
	return do_access(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr));
}

int32_t sys_faccessat(struct trap_frame *fr)
{
	return do_access((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

/* ---- attributes: mode, owner, times ---------------------------------------- */

/* The inode a call on a descriptor changes: 0 and *out (NULL for a file
 * without one, a pipe or the console, where such a change has no effect),
 * or -EBADF. */
static int inode_of_fd(uint32_t fd, struct inode **out)
{
	struct file *f = file_of(fd);
	if (!f)
		return -LINUX_EBADF;
	*out = f->inode;
	return 0;
}

static int32_t do_chmod(int32_t dirfd, uint32_t user_path, uint32_t mode)
{
	struct inode *ino;
	int rc = lookup_at(dirfd, user_path, false, &ino);
	return rc ? rc : vfs_chmod(ino, mode);
}

int32_t sys_chmod(struct trap_frame *fr)
{
	return do_chmod(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr));
}

int32_t sys_fchmodat(struct trap_frame *fr)
{
	return do_chmod((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

int32_t sys_fchmod(struct trap_frame *fr)
{
	struct inode *ino;
	int rc = inode_of_fd(SYSCALL_ARG1(fr), &ino);
	return rc || !ino ? rc : vfs_chmod(ino, SYSCALL_ARG2(fr));
}

static int32_t do_chown(int32_t dirfd, uint32_t user_path, uint32_t uid, uint32_t gid,
			uint32_t flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
		return -LINUX_EINVAL;
	struct inode *ino;
	int rc = lookup_at_link(dirfd, user_path, flags & LINUX_AT_EMPTY_PATH,
				!(flags & LINUX_AT_SYMLINK_NOFOLLOW), &ino);
	return rc ? rc : vfs_chown(ino, uid, gid);
}

int32_t sys_chown32(struct trap_frame *fr)
{
	return do_chown(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr), 0);
}

int32_t sys_lchown32(struct trap_frame *fr)
{
	return do_chown(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr),
			LINUX_AT_SYMLINK_NOFOLLOW);
}

int32_t sys_fchownat(struct trap_frame *fr)
{
	return do_chown((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr),
			SYSCALL_ARG4(fr), SYSCALL_ARG5(fr));
}

int32_t sys_fchown32(struct trap_frame *fr)
{
	struct inode *ino;
	int rc = inode_of_fd(SYSCALL_ARG1(fr), &ino);
	return rc || !ino ? rc : vfs_chown(ino, SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

#define UTIME_NOW  0x3FFFFFFF
#define UTIME_OMIT 0x3FFFFFFE

static bool nsec_ok(int32_t nsec)
{
	return nsec == UTIME_NOW || nsec == UTIME_OMIT || (nsec >= 0 && nsec < 1000000000);
}

/* Linux's do_utimes: times NULL sets both to now; a path of 0 with a
 * descriptor changes that file. */
static int32_t do_utimes(int32_t dirfd, uint32_t user_path, const struct linux_timespec32 *times,
			 uint32_t flags)
{
	/* Nothing to do: Linux does not even look at the path. */
	if (times && times[0].tv_nsec == UTIME_OMIT && times[1].tv_nsec == UTIME_OMIT)
		return 0;
	if (times && (!nsec_ok(times[0].tv_nsec) || !nsec_ok(times[1].tv_nsec)))
		return -LINUX_EINVAL;
	struct inode *ino;
	int rc;
	if (!user_path && dirfd != LINUX_AT_FDCWD) {
		if (flags)
			return -LINUX_EINVAL;
		if ((rc = inode_of_fd((uint32_t)dirfd, &ino)) || !ino)
			return rc;
	} else {
		if (flags & ~(LINUX_AT_SYMLINK_NOFOLLOW | LINUX_AT_EMPTY_PATH))
			return -LINUX_EINVAL;
		rc = lookup_at_link(dirfd, user_path, flags & LINUX_AT_EMPTY_PATH,
				    !(flags & LINUX_AT_SYMLINK_NOFOLLOW), &ino);
		if (rc)
			return rc;
	}
	struct vfs_time now = vfs_now(), t[2] = {now, now};
	bool set[2] = {true, true};
	for (int i = 0; times && i < 2; i++) {
		if (times[i].tv_nsec == UTIME_OMIT)
			set[i] = false;
		else if (times[i].tv_nsec != UTIME_NOW)
			t[i] = (struct vfs_time){(uint32_t)times[i].tv_sec,
						 (uint32_t)times[i].tv_nsec};
	}
	return vfs_set_times(ino, set[0] ? &t[0] : NULL, set[1] ? &t[1] : NULL);
}

int32_t sys_utimensat(struct trap_frame *fr)
{
	uint32_t user_times = SYSCALL_ARG3(fr);
	struct linux_timespec32 times[2];
	if (user_times) {
		if (copy_from_user(times, (const void *)(uintptr_t)user_times, sizeof(times)))
			return -LINUX_EFAULT;
	}
	return do_utimes((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), user_times ? times : NULL,
			 SYSCALL_ARG4(fr));
}

int32_t sys_utimensat_time64(struct trap_frame *fr)
{
	uint32_t user_times = SYSCALL_ARG3(fr);
	struct linux_timespec64 t64[2];
	struct linux_timespec32 times[2];
	if (user_times) {
		if (copy_from_user(t64, (const void *)(uintptr_t)user_times, sizeof(t64)))
			return -LINUX_EFAULT;
		for (int i = 0; i < 2; i++)
			times[i] = (struct linux_timespec32){(int32_t)t64[i].tv_sec,
							     (int32_t)t64[i].tv_nsec};
	}
	return do_utimes((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), user_times ? times : NULL,
			 SYSCALL_ARG4(fr));
}

/* utimes: microseconds, and no flags. */
int32_t sys_utimes(struct trap_frame *fr)
{
	uint32_t user_tv = SYSCALL_ARG2(fr);
	if (!user_tv)
		return do_utimes(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), NULL, 0);
	struct linux_timeval32 tv[2];
	if (copy_from_user(tv, (const void *)(uintptr_t)user_tv, sizeof(tv)))
		return -LINUX_EFAULT;
	struct linux_timespec32 times[2];
	for (int i = 0; i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -LINUX_EINVAL;
		times[i] = (struct linux_timespec32){tv[i].tv_sec, tv[i].tv_usec * 1000};
	}
	return do_utimes(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), times, 0);
}

/* ---- links -------------------------------------------------------------------- */

static int32_t do_symlink(uint32_t user_target, int32_t dirfd, uint32_t user_path)
{
	char *target;
	int tlen = path_from_user(user_target, &target);
	if (tlen < 0)
		return tlen;
	char *buf;
	struct inode *dir;
	const char *name;
	uint32_t len;
	int rc = parent_at(dirfd, user_path, &buf, &dir, &name, &len);
	if (!rc) {
		rc = vfs_symlink(dir, name, len, target, (uint32_t)tlen);
		kfree(buf);
	}
	kfree(target);
	return rc;
}

int32_t sys_symlink(struct trap_frame *fr)
{
	return do_symlink(SYSCALL_ARG1(fr), LINUX_AT_FDCWD, SYSCALL_ARG2(fr));
}

int32_t sys_symlinkat(struct trap_frame *fr)
{
	return do_symlink(SYSCALL_ARG1(fr), (int32_t)SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

/* Hard links: a name is part of its inode here (one parent, one name), so
 * a second name cannot be made.  The checks Linux makes first are made, and
 * then -EPERM, what Linux says on a file system without hard links. */
static int32_t do_link(int32_t odirfd, uint32_t opath, int32_t ndirfd, uint32_t npath,
		       uint32_t flags)
{
	if (flags & ~(LINUX_AT_SYMLINK_FOLLOW | LINUX_AT_EMPTY_PATH))
		return -LINUX_EINVAL;
	struct inode *src;
	int rc = lookup_at_link(odirfd, opath, flags & LINUX_AT_EMPTY_PATH,
				flags & LINUX_AT_SYMLINK_FOLLOW, &src);
	if (rc)
		return rc;
	char *buf;
	struct inode *dir, *existing;
	const char *name;
	uint32_t len;
	if ((rc = parent_at(ndirfd, npath, &buf, &dir, &name, &len)))
		return rc;
	if (vfs_lookup_link(dir, name, false, &existing) == 0)
		rc = -LINUX_EEXIST;
	else
		rc = dir->writable ? -LINUX_EPERM : -LINUX_EROFS;
	kfree(buf);
	return rc;
}

int32_t sys_link(struct trap_frame *fr)
{
	return do_link(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), LINUX_AT_FDCWD, SYSCALL_ARG2(fr), 0);
}

int32_t sys_linkat(struct trap_frame *fr)
{
	return do_link((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), (int32_t)SYSCALL_ARG3(fr),
		       SYSCALL_ARG4(fr), SYSCALL_ARG5(fr));
}

/* ---- syncing and file system facts ------------------------------------------- */

/* Everything is in memory: there is nothing to write back. */
int32_t sys_sync(struct trap_frame *fr)
{
	(void)fr;
	return 0;
}

/* fsync and fdatasync: -EINVAL for a file that cannot be synced (a pipe,
 * the console), as Linux. */
int32_t sys_fsync(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	return f->inode && f->ops != &tty_console_ops ? 0 : -LINUX_EINVAL;
}

#define TMPFS_MAGIC  0x01021994u
#define RAMFS_MAGIC  0x858458F6u
#define PIPEFS_MAGIC 0x50495045u
#define ST_RDONLY    1u
#define STATFS_SIZE  84u

struct statfs64 {
	uint32_t f_type, f_bsize;
	linux_u64a4 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	int32_t f_fsid[2];
	uint32_t f_namelen, f_frsize, f_flags, f_spare[4];
};
_Static_assert(sizeof(struct statfs64) == STATFS_SIZE, "struct statfs64 is 84 bytes on i386");

/* Both parts of the tree live in RAM: the writable one (tmpfs) may grow
 * into every free frame, the boot archive's (ramfs, read-only) has none.
 * type 0: by the inode. */
static int32_t put_statfs(const struct inode *ino, uint32_t type, uint32_t size, uint32_t user_buf)
{
	if (size != STATFS_SIZE)
		return -LINUX_EINVAL;
	bool writable = !ino || ino->writable;
	struct statfs64 st;
	memset(&st, 0, sizeof(st));
	st.f_type = type ? type : writable ? TMPFS_MAGIC : RAMFS_MAGIC;
	st.f_bsize = st.f_frsize = PAGE_SIZE;
	st.f_blocks = pmm_total_count();
	st.f_bfree = st.f_bavail = writable ? pmm_free_count() : 0;
	st.f_namelen = NAME_MAX;
	st.f_flags = writable ? 0 : ST_RDONLY;
	st.f_fsid[0] = writable ? 2 : 1;
	return copy_to_user((void *)(uintptr_t)user_buf, &st, sizeof(st));
}

int32_t sys_statfs64(struct trap_frame *fr)
{
	struct inode *ino;
	int rc = lookup_at(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), false, &ino);
	return rc ? rc : put_statfs(ino, 0, SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

int32_t sys_fstatfs64(struct trap_frame *fr)
{
	struct file *f = file_of(SYSCALL_ARG1(fr));
	if (!f)
		return -LINUX_EBADF;
	uint32_t type = 0;
	if (!f->inode) { /* a pipe (pipefs on Linux) or the console (devtmpfs) */
		struct linux_stat64 st;
		memset(&st, 0, sizeof(st));
		if (f->ops->stat)
			f->ops->stat(f, &st);
		type = (st.st_mode & LINUX_S_IFMT) == LINUX_S_IFIFO ? PIPEFS_MAGIC : TMPFS_MAGIC;
	}
	return put_statfs(f->inode, type, SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

/* ---- mknod --------------------------------------------------------------------- */

/* mknod and mknodat: a regular file, a named pipe, a device or socket node
 * (dev in Linux's 32-bit encoding); a directory is -EPERM, another type
 * -EINVAL, as Linux. */
static int32_t do_mknod(int32_t dirfd, uint32_t user_path, uint32_t mode, uint32_t dev)
{
	uint32_t type = mode & LINUX_S_IFMT;
	switch (type) {
	case 0: type = LINUX_S_IFREG; break;
	case LINUX_S_IFREG:
	case LINUX_S_IFIFO:
	case LINUX_S_IFCHR:
	case LINUX_S_IFBLK:
	case LINUX_S_IFSOCK: break;
	case LINUX_S_IFDIR: return -LINUX_EPERM;
	default: return -LINUX_EINVAL;
	}
	struct inode *ino;
	int rc = create_at(dirfd, user_path, type | (mode & 07777u), &ino);
	if (rc)
		return rc;
	if (type == LINUX_S_IFCHR || type == LINUX_S_IFBLK) {
		ino->rdev_major = (dev & 0xFFF00u) >> 8;
		ino->rdev_minor = (dev & 0xFFu) | ((dev >> 12) & 0xFFF00u);
	}
	return 0;
}

int32_t sys_mknod(struct trap_frame *fr)
{
	return do_mknod(LINUX_AT_FDCWD, SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr));
}

int32_t sys_mknodat(struct trap_frame *fr)
{
	return do_mknod((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr),
			SYSCALL_ARG4(fr));
}
