/* The file layer: a tree of inodes in memory (the root file system unpacked
 * from the boot cpio archive, its file bytes left in the archive), open files
 * with their offsets, and per-process descriptor tables.
 *
 *   descriptor table --> struct file (offset, flags, refs) --> struct inode
 *      fd 0..FD_MAX-1      shared by dup and fork                (tree node)
 *
 * Every operation validates its arguments and returns 0 / a count or -errno
 * (Linux's values), so the system-call layer passes results through. */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mm/file_backing.h"
#include "uapi/linux_types.h"

#define FD_MAX	 256u
#define NAME_MAX 255u
#define PATH_MAX 4096u

struct inode {
	struct file_backing backing; /* mmap's view of a regular file; first member */
	uint32_t ino;
	uint32_t mode;	     /* LINUX_S_IF* type and permission bits */
	uint32_t size;	     /* bytes (regular files) */
	const uint8_t *data; /* the file's bytes (in the boot archive) */
	uint32_t refs;	     /* open files, mappings and the tree's own */
	struct inode *parent, *children, *next_sibling;
	char *name; /* kmalloc'd; "" for the root */
	const struct file_ops *ops;
	uint32_t rdev_major, rdev_minor; /* a device node's numbers */
	/* The RAM part of the tree (/tmp and what is made in it): a
	 * directory that takes new entries, a file whose bytes are in pages
	 * (data is NULL; kernel/file_pages.h), a link whose target is a heap
	 * copy behind data. */
	bool writable;
	struct vm_object *pages; /* a RAM file's bytes (kernel/file_pages.h) */
	bool unlinked;		 /* out of the tree: freed with its last reference */
	/* A file system that makes its contents when asked (/proc,
	 * kernel/procfs.c) sets hooks, and keeps what it needs to know
	 * about the node in fs_id and fs_kind. */
	const struct inode_hooks *hooks;
	uint32_t fs_id, fs_kind;
	/* Owner and times, as stat shows them: what chown and utimensat set
	 * (the boot archive's files keep 0, the epoch); a RAM file's times
	 * move when it is created or written. */
	uint32_t uid, gid;
	void *fifo; /* a named pipe's open pipe (kernel/pipe.c), NULL when none */
	struct vfs_time {
		uint32_t sec, nsec;
	} atime, mtime, ctime;
};

struct file;
struct inode_hooks {
	/* Before a lookup or a listing in this directory: bring its entries
	 * up to date. */
	void (*refresh)(struct inode *dir);
	/* Instead of the tree's own rules, on the file just made for an
	 * open of the node (f->flags says how): sets f->ops, and f->priv
	 * with what the file system keeps for this open file.  0, or -errno
	 * (the file is then put as any other, its release included). */
	int (*open)(struct file *f);
	/* After a reference to the node was dropped (inode_put): the file
	 * system may free a node it keeps outside the tree once nobody holds
	 * it.  The node may be gone when this returns. */
	void (*put)(struct inode *ino);
};

struct file_ops {
	/* Both take user buffers, checked by the caller to lie in user space. */
	long (*read)(struct file *f, void *user_buf, uint32_t n, uint64_t *offset);
	long (*write)(struct file *f, const void *user_buf, uint32_t n, uint64_t *offset);
	long (*ioctl)(struct file *f, uint32_t cmd, uint32_t arg);
	/* fstat of a file with no inode (a terminal, a pipe). */
	void (*stat)(struct file *f, struct linux_stat64 *st);
	void (*release)(struct file *f);
	/* poll: the LINUX_POLL* bits ready now; NULL means always readable
	 * and writable (regular files, directories). */
	uint32_t (*poll)(struct file *f);
};

struct file {
	const struct file_ops *ops;
	struct inode *inode; /* NULL for the console and other inode-less files */
	uint64_t offset;
	uint32_t flags; /* LINUX_O_* given at open (access mode, append, ...) */
	uint32_t refs;	/* descriptors pointing here */
	void *priv;
};

struct fdtable {
	struct file *fd[FD_MAX];
	uint8_t cloexec[FD_MAX];
	uint32_t refs;
};

/* Unpacks the root file system from a cpio archive: 0, or -errno with a
 * reason for the boot message.  The archive must stay where it is. */
int vfs_mount_root(const void *archive, size_t len, const char **reason);
struct inode *vfs_root(void);
/* Whether a root file system was mounted. */
bool vfs_have_root(void);

/* Resolves path from dir (absolute paths from the root), following "." and
 * "..": 0 and the inode, -ENOENT, -ENOTDIR, -ENAMETOOLONG. */
int vfs_lookup(struct inode *dir, const char *path, struct inode **out);
/* The same; with follow_last false a symbolic link at the end is returned
 * itself (lstat, readlink).  Links on the way are always followed, at most
 * 8 deep: -ELOOP. */
int vfs_lookup_link(struct inode *dir, const char *path, bool follow_last, struct inode **out);
/* A symbolic link's target (not NUL-terminated) and its length, or -EINVAL
 * when ino is not a link. */
int vfs_link_target(const struct inode *ino, const char **target);
/* The path of an inode from the root (for getcwd, readlink): its length or
 * -ERANGE when size is too small. */
int vfs_path_of(const struct inode *ino, char *buf, uint32_t size);

/* The directory that holds path's last component, and that component
 * (inside path, len bytes): 0, or -ENOENT, -ENOTDIR, -EINVAL (a path
 * ending in "." or ".."). */
int vfs_lookup_parent(struct inode *dir, const char *path, struct inode **parent, const char **name,
		      uint32_t *len);
/* A new empty file or directory (mode holds the type) in a writable
 * directory: 0, -EEXIST, -EROFS (the boot archive's part), -ENOMEM. */
int vfs_create(struct inode *dir, const char *name, uint32_t len, uint32_t mode,
	       struct inode **out);
/* unlink (dir_wanted false) or rmdir: 0, -ENOENT, -EISDIR, -ENOTDIR,
 * -ENOTEMPTY, -EROFS, -EBUSY (the root). */
int vfs_remove(struct inode *dir, const char *name, uint32_t len, bool dir_wanted);
/* rename within the writable part: 0 or -errno as Linux. */
int vfs_rename(struct inode *odir, const char *oname, uint32_t olen, struct inode *ndir,
	       const char *nname, uint32_t nlen);
/* A RAM file's new size (zeros when it grows): 0, -EINVAL, -EROFS, -EFBIG
 * (past 16 MiB), -ENOMEM. */
int vfs_truncate(struct inode *ino, uint64_t size);
/* A new symbolic link to target (tlen bytes, 1 to PATH_MAX - 1) in a
 * writable directory: 0, -EEXIST, -EROFS, -ENOENT, -ENAMETOOLONG, -ENOMEM. */
int vfs_symlink(struct inode *dir, const char *name, uint32_t len, const char *target,
		uint32_t tlen);
/* The time now, as file times take it (seconds since boot: there is no
 * real-time clock yet). */
struct vfs_time vfs_now(void);
/* chmod (the permission bits; the type stays) and chown (-1 keeps an id):
 * 0, or -EROFS on the boot archive's part.  ctime becomes now. */
int vfs_chmod(struct inode *ino, uint32_t mode);
int vfs_chown(struct inode *ino, uint32_t uid, uint32_t gid);
/* utimensat: the new atime and mtime (NULL: leave it); ctime becomes now.
 * 0, or -EROFS. */
int vfs_set_times(struct inode *ino, const struct vfs_time *atime, const struct vfs_time *mtime);

/* For a file system that makes its own nodes (kernel/procfs.c): puts a node
 * it owns into directory dir, after the entries there (the tree does not
 * take a reference), or takes it out again (its children stay with it).
 * Neither frees anything. */
void vfs_attach(struct inode *dir, struct inode *ino);
void vfs_detach(struct inode *ino);
/* The inode behind a file mapping's backing, NULL when it is not one. */
struct inode *vfs_backing_inode(struct file_backing *fb);

void inode_get(struct inode *ino);
void inode_put(struct inode *ino);
void vfs_fill_stat64(const struct inode *ino, struct linux_stat64 *st);
void vfs_fill_statx(const struct inode *ino, struct linux_statx *st);

/* Opens ino with flags; -EISDIR, -EACCES (writing a read-only file), -ENOMEM. */
int vfs_open(struct inode *ino, uint32_t flags, struct file **out);
struct file *file_alloc(const struct file_ops *ops, struct inode *ino, uint32_t flags);
void file_get(struct file *f);
void file_put(struct file *f);
/* getdents64 on an open directory: bytes written to the user buffer, 0 at
 * the end, -EINVAL when the buffer cannot hold the next entry. */
long vfs_getdents64(struct file *f, void *user_buf, uint32_t size);

/* A character device's file operations by its numbers (kernel/devices.c):
 * NULL when Toyix has no such device (open gives -ENXIO, as Linux). */
const struct file_ops *device_ops(uint32_t major, uint32_t minor);

struct fdtable *fdtable_create(void);
/* fork: the same files, one more reference each. */
struct fdtable *fdtable_clone(const struct fdtable *t);
void fdtable_put(struct fdtable *t);
/* The lowest free descriptor >= min holding f (which gains a reference):
 * the descriptor, or -EMFILE. */
int fd_install(struct fdtable *t, struct file *f, uint32_t min, bool cloexec);
struct file *fd_get(struct fdtable *t, int fd); /* NULL when not open */
int fd_close(struct fdtable *t, int fd);	/* 0 or -EBADF */
/* execve: descriptors marked close-on-exec go. */
void fdtable_exec(struct fdtable *t);

/* The calling process's descriptors and working directory (kernel/proc.c). */
struct fdtable *current_files(void);
struct inode **current_cwd(void);

#endif
