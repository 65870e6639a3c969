/* The in-memory file tree, open files and descriptor tables (kernel/vfs.h). */
#include "kernel/vfs.h"

#include "arch/pit.h"
#include "kernel/file_pages.h"
#include "kernel/pipe.h"
#include "kernel/procfs.h"
#include "lib/cpio.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"

#define ROOT_INO	 1u
#define STAT_BLKSIZE	 4096u
#define DIRENT_ALIGN	 8u
#define DEFAULT_DIR_MODE (LINUX_S_IFDIR | 0755)

static struct inode *root;
static uint32_t next_ino = ROOT_INO;

static bool is_dir(const struct inode *ino)
{
	return (ino->mode & LINUX_S_IFMT) == LINUX_S_IFDIR;
}

static bool is_reg(const struct inode *ino)
{
	return (ino->mode & LINUX_S_IFMT) == LINUX_S_IFREG;
}

/* ---- file bytes, for read() and for mappings ---------------------------- */

static uint32_t inode_read_bytes(struct file_backing *fb, uint32_t offset, void *dst, uint32_t n)
{
	struct inode *ino = (struct inode *)fb;
	if (offset >= ino->size)
		return 0;
	if (n > ino->size - offset)
		n = ino->size - offset;
	if (ino->data)
		memcpy(dst, ino->data + offset, n);
	else
		file_pages_read(ino, offset, dst, n, false);
	return n;
}

static struct vm_object *backing_object(struct file_backing *fb)
{
	return file_pages_for_mapping((struct inode *)fb);
}

static void backing_get(struct file_backing *fb)
{
	inode_get((struct inode *)fb);
}

static void backing_put(struct file_backing *fb)
{
	inode_put((struct inode *)fb);
}

static const struct file_backing_ops inode_backing_ops = {
	.read = inode_read_bytes,
	.object = backing_object,
	.get = backing_get,
	.put = backing_put,
};

void inode_get(struct inode *ino)
{
	if (ino)
		ino->refs++;
}

/* The tree holds a reference on each of its nodes, so a node goes only
 * once it was removed and the last open file, mapping or working
 * directory let go of it. */
void inode_put(struct inode *ino)
{
	if (!ino || ino->refs == 0)
		return;
	if (ino->hooks && ino->hooks->put) {
		ino->refs--;
		ino->hooks->put(ino);
		return;
	}
	if (--ino->refs == 0 && ino->unlinked) {
		file_pages_release(ino);
		if (ino->writable) /* a RAM link's target (vfs_symlink) */
			kfree((void *)(uintptr_t)ino->data);
		kfree(ino->name);
		kfree(ino);
	}
}

static struct inode *inode_new(struct inode *parent, const char *name, uint32_t name_len,
			       uint32_t mode)
{
	struct inode *ino = kcalloc(1, sizeof(*ino));
	char *copy = kmalloc(name_len + 1);
	if (!ino || !copy) {
		if (ino)
			kfree(ino);
		if (copy)
			kfree(copy);
		return NULL;
	}
	memcpy(copy, name, name_len);
	copy[name_len] = '\0';
	ino->name = copy;
	ino->mode = mode;
	ino->ino = next_ino++;
	ino->refs = 1; /* the tree's */
	ino->backing.ops = &inode_backing_ops;
	ino->parent = parent ? parent : ino;
	if (parent) {
		ino->next_sibling = parent->children;
		parent->children = ino;
	}
	return ino;
}

static struct inode *child_named(struct inode *dir, const char *name, uint32_t len)
{
	for (struct inode *c = dir->children; c; c = c->next_sibling)
		if (strlen(c->name) == len && memcmp(c->name, name, len) == 0)
			return c;
	return NULL;
}

/* ---- paths ------------------------------------------------------------- */

static bool is_link(const struct inode *ino)
{
	return (ino->mode & LINUX_S_IFMT) == LINUX_S_IFLNK;
}

/* Linux's limit on links followed within links (nested, not in a row). */
#define LINK_NEST_MAX 8

static int walk(struct inode *dir, const char *path, bool follow_last, uint32_t depth,
		struct inode **out);

/* A symbolic link's target, resolved from the directory holding the link. */
static int follow_link(struct inode *dir, const struct inode *link, uint32_t depth,
		       struct inode **out)
{
	if (depth >= LINK_NEST_MAX)
		return -LINUX_ELOOP;
	if (link->size == 0 || link->size >= PATH_MAX)
		return -LINUX_ENOENT;
	char *target = kmalloc(link->size + 1);
	if (!target)
		return -LINUX_ENOMEM;
	memcpy(target, link->data, link->size);
	target[link->size] = '\0';
	int rc = walk(dir, target, true, depth + 1, out);
	kfree(target);
	return rc;
}

static int walk(struct inode *dir, const char *path, bool follow_last, uint32_t depth,
		struct inode **out)
{
	struct inode *at = (*path == '/' || !dir) ? root : dir;
	bool trailing_slash = path[strlen(path) - 1] == '/';
	while (*path) {
		while (*path == '/')
			path++;
		if (!*path)
			break;
		const char *end = path;
		while (*end && *end != '/')
			end++;
		uint32_t len = (uint32_t)(end - path);
		if (len > NAME_MAX)
			return -LINUX_ENAMETOOLONG;
		if (!is_dir(at))
			return -LINUX_ENOTDIR;
		if (len == 1 && path[0] == '.') {
			/* stays */
		} else if (len == 2 && path[0] == '.' && path[1] == '.') {
			at = at->parent;
		} else {
			if (at->hooks && at->hooks->refresh)
				at->hooks->refresh(at);
			struct inode *next = child_named(at, path, len);
			if (!next)
				return -LINUX_ENOENT;
			/* A link is followed on the way, and at the end unless the
			 * caller asked for the link itself ("name/" always follows). */
			if (is_link(next) && (*end || follow_last)) {
				int rc = follow_link(at, next, depth, &next);
				if (rc)
					return rc;
			}
			at = next;
		}
		path = end;
	}
	if (trailing_slash && !is_dir(at))
		return -LINUX_ENOTDIR; /* "file/" names a directory that is not one */
	*out = at;
	return 0;
}

int vfs_lookup_link(struct inode *dir, const char *path, bool follow_last, struct inode **out)
{
	if (!path || !out || !root)
		return -LINUX_ENOENT;
	if (!*path)
		return -LINUX_ENOENT;
	if (strlen(path) >= PATH_MAX)
		return -LINUX_ENAMETOOLONG;
	return walk(dir, path, follow_last, 0, out);
}

int vfs_link_target(const struct inode *ino, const char **target)
{
	if (!ino || !target || !is_link(ino))
		return -LINUX_EINVAL;
	*target = (const char *)ino->data;
	return (int)ino->size;
}

int vfs_lookup(struct inode *dir, const char *path, struct inode **out)
{
	return vfs_lookup_link(dir, path, true, out);
}

int vfs_path_of(const struct inode *ino, char *buf, uint32_t size)
{
	/* Built from the leaf up, at the end of buf, then moved to the front. */
	if (!ino || !buf || size < 2)
		return -LINUX_ERANGE;
	uint32_t at = size - 1;
	buf[at] = '\0';
	for (const struct inode *i = ino; i != root; i = i->parent) {
		uint32_t len = (uint32_t)strlen(i->name);
		if (at < len + 1)
			return -LINUX_ERANGE;
		at -= len;
		memcpy(buf + at, i->name, len);
		buf[--at] = '/';
	}
	if (at == size - 1)
		buf[--at] = '/';
	uint32_t total = size - 1 - at;
	memmove(buf, buf + at, total + 1);
	return (int)total;
}

/* ---- mounting the boot archive ---------------------------------------- */

/* The directory that will hold the last component of name, made on the way
 * if the archive lists a file before its directory. */
static struct inode *parent_for(const char *name, uint32_t len, uint32_t *last_start)
{
	struct inode *at = root;
	uint32_t i = 0;
	for (;;) {
		while (i < len && name[i] == '/')
			i++;
		uint32_t start = i;
		while (i < len && name[i] != '/')
			i++;
		if (i == len) {
			*last_start = start;
			return at;
		}
		uint32_t n = i - start;
		if (n == 1 && name[start] == '.')
			continue;
		struct inode *next = child_named(at, name + start, n);
		if (!next && !(next = inode_new(at, name + start, n, DEFAULT_DIR_MODE)))
			return NULL;
		if (!is_dir(next))
			return NULL;
		at = next;
	}
}

static int add_entry(const struct cpio_entry *e)
{
	uint32_t len = e->name_len;
	while (len && e->name[len - 1] == '/')
		len--;
	if (len == 0 || (len == 1 && e->name[0] == '.'))
		return 0; /* the root itself */
	uint32_t last;
	struct inode *dir = parent_for(e->name, len, &last);
	if (!dir)
		return -LINUX_ENOMEM;
	uint32_t n = len - last;
	if (n == 0 || (n == 1 && e->name[last] == '.') || n > NAME_MAX)
		return 0;
	uint32_t type = e->mode & LINUX_S_IFMT;
	if (type != LINUX_S_IFREG && type != LINUX_S_IFDIR && type != LINUX_S_IFLNK &&
	    type != LINUX_S_IFCHR)
		return 0; /* block devices, FIFOs and sockets of an archive are not used */
	struct inode *ino = child_named(dir, e->name + last, n);
	if (ino) {
		if ((ino->mode & LINUX_S_IFMT) != type)
			return 0;
		ino->mode = e->mode; /* a directory listed after its files */
	} else if (!(ino = inode_new(dir, e->name + last, n, e->mode))) {
		return -LINUX_ENOMEM;
	}
	ino->rdev_major = e->rdev_major;
	ino->rdev_minor = e->rdev_minor;
	if (type == LINUX_S_IFREG || type == LINUX_S_IFLNK) { /* a link's bytes are its target */
		ino->data = e->data;
		ino->size = e->size;
		ino->backing.size = e->size;
	}
	return 0;
}

int vfs_mount_root(const void *archive, size_t len, const char **reason)
{
	static const char *why;
	why = "";
	if (reason)
		*reason = why;
	/* A module that is no archive leaves no tree behind (no root either:
	 * vfs_have_root() stays false), and no heap block. */
	const char *bad;
	if (cpio_validate(archive, len, NULL, &bad, NULL) != CPIO_END) {
		if (reason)
			*reason = bad;
		return -LINUX_EINVAL;
	}
	if (!root && !(root = inode_new(NULL, "", 0, DEFAULT_DIR_MODE)))
		return -LINUX_ENOMEM;
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, archive, len);
	int rc;
	while ((rc = cpio_next(&it, &e)) == CPIO_OK) {
		int added = add_entry(&e);
		if (added < 0) {
			if (reason)
				*reason = "out of memory for the file tree";
			return added;
		}
	}
	if (rc != CPIO_END) {
		if (reason)
			*reason = it.reason;
		return -LINUX_EINVAL;
	}
	/* /tmp is where programs expect to write: it takes new entries, kept
	 * in RAM. */
	struct inode *tmp = child_named(root, "tmp", 3);
	if (tmp && is_dir(tmp))
		tmp->writable = true;
	/* /proc is made when it is read (kernel/procfs.c). */
	struct inode *proc = child_named(root, "proc", 4);
	if (proc && is_dir(proc))
		procfs_attach(proc);
	return 0;
}

/* ---- the writable part ---------------------------------------------------- */

#define RAM_FILE_MAX (16u << 20) /* a RAM file's largest size */

int vfs_lookup_parent(struct inode *dir, const char *path, struct inode **parent, const char **name,
		      uint32_t *len)
{
	if (!path || !parent || !name || !len || !root || !*path)
		return -LINUX_ENOENT;
	size_t n = strlen(path);
	if (n >= PATH_MAX)
		return -LINUX_ENAMETOOLONG;
	while (n > 1 && path[n - 1] == '/')
		n--;
	size_t start = n;
	while (start > 0 && path[start - 1] != '/')
		start--;
	uint32_t l = (uint32_t)(n - start);
	if (l == 0)
		return -LINUX_EBUSY; /* the root itself */
	if ((l == 1 && path[start] == '.') ||
	    (l == 2 && path[start] == '.' && path[start + 1] == '.'))
		return -LINUX_EINVAL;
	if (l > NAME_MAX)
		return -LINUX_ENAMETOOLONG;
	struct inode *p = dir ? dir : root;
	if (start > 0) {
		char *prefix = kmalloc(start + 1);
		if (!prefix)
			return -LINUX_ENOMEM;
		memcpy(prefix, path, start);
		prefix[start] = '\0';
		int rc = vfs_lookup(dir, prefix, &p);
		kfree(prefix);
		if (rc)
			return rc;
	}
	if (!is_dir(p))
		return -LINUX_ENOTDIR;
	*parent = p;
	*name = path + start;
	*len = l;
	return 0;
}

int vfs_create(struct inode *dir, const char *name, uint32_t len, uint32_t mode, struct inode **out)
{
	if (!dir || !name || !is_dir(dir) || dir->unlinked)
		return -LINUX_ENOENT;
	if (child_named(dir, name, len))
		return -LINUX_EEXIST;
	if (dir->hooks)
		return -LINUX_ENOENT; /* /proc: a name there is a process, or nothing */
	if (!dir->writable)
		return -LINUX_EROFS;
	struct inode *ino = inode_new(dir, name, len, mode);
	if (!ino)
		return -LINUX_ENOMEM;
	ino->writable = true;
	ino->backing.changes = true;
	ino->atime = ino->mtime = ino->ctime = vfs_now();
	if (out)
		*out = ino;
	return 0;
}

struct vfs_time vfs_now(void)
{
	uint32_t t = pit_ticks();
	return (struct vfs_time){t / PIT_HZ, t % PIT_HZ * (1000000000u / PIT_HZ)};
}

int vfs_chmod(struct inode *ino, uint32_t mode)
{
	if (!ino)
		return -LINUX_EINVAL;
	if (!ino->writable)
		return -LINUX_EROFS;
	ino->mode = (ino->mode & LINUX_S_IFMT) | (mode & 07777u);
	ino->ctime = vfs_now();
	return 0;
}

int vfs_chown(struct inode *ino, uint32_t uid, uint32_t gid)
{
	if (!ino)
		return -LINUX_EINVAL;
	if (!ino->writable)
		return -LINUX_EROFS;
	if (uid != 0xFFFFFFFFu)
		ino->uid = uid;
	if (gid != 0xFFFFFFFFu)
		ino->gid = gid;
	ino->ctime = vfs_now();
	return 0;
}

int vfs_set_times(struct inode *ino, const struct vfs_time *atime, const struct vfs_time *mtime)
{
	if (!ino)
		return -LINUX_EINVAL;
	if (!ino->writable)
		return -LINUX_EROFS;
	if (atime)
		ino->atime = *atime;
	if (mtime)
		ino->mtime = *mtime;
	ino->ctime = vfs_now();
	return 0;
}

static void detach(struct inode *ino)
{
	struct inode **at = &ino->parent->children;
	while (*at && *at != ino)
		at = &(*at)->next_sibling;
	if (*at)
		*at = ino->next_sibling;
	ino->next_sibling = NULL;
}

static void attach(struct inode *dir, struct inode *ino)
{
	ino->parent = dir;
	ino->next_sibling = dir->children;
	dir->children = ino;
}

void vfs_attach(struct inode *dir, struct inode *ino)
{
	if (!dir || !ino || !is_dir(dir))
		return;
	ino->ino = next_ino++;
	/* At the end, so a listing shows entries in the order they came
	 * (for /proc: its files, then the processes by rising pid, as
	 * Linux lists them and ps prints them). */
	struct inode **at = &dir->children;
	while (*at)
		at = &(*at)->next_sibling;
	ino->parent = dir;
	ino->next_sibling = NULL;
	*at = ino;
}

void vfs_detach(struct inode *ino)
{
	if (!ino || ino == root || !ino->parent)
		return;
	detach(ino);
	/* It may be someone's working directory: its ".." leads to the
	 * root from now on, not to a directory that forgot it. */
	ino->parent = root;
}

struct inode *vfs_backing_inode(struct file_backing *fb)
{
	return fb && fb->ops == &inode_backing_ops ? (struct inode *)fb : NULL;
}

int vfs_remove(struct inode *dir, const char *name, uint32_t len, bool dir_wanted)
{
	if (!dir || !name)
		return -LINUX_ENOENT;
	if (!dir->writable && !dir->hooks)
		return -LINUX_EROFS;
	struct inode *c = child_named(dir, name, len);
	if (!c)
		return -LINUX_ENOENT;
	if (dir_wanted && !is_dir(c))
		return -LINUX_ENOTDIR;
	if (!dir_wanted && is_dir(c))
		return -LINUX_EISDIR;
	if (dir->hooks)
		return -LINUX_EPERM; /* /proc's entries go with their processes */
	if (c->children)
		return -LINUX_ENOTEMPTY;
	detach(c);
	/* A removed directory may still be someone's working directory;
	 * its ".." is the root from now on, so no path walks into freed
	 * memory. */
	c->parent = root;
	c->unlinked = true;
	inode_put(c); /* the tree's reference */
	return 0;
}

int vfs_rename(struct inode *odir, const char *oname, uint32_t olen, struct inode *ndir,
	       const char *nname, uint32_t nlen)
{
	if (!odir || !ndir || !oname || !nname)
		return -LINUX_ENOENT;
	/* A removed directory (still someone's working directory, or an open
	 * descriptor's) takes no entries, as in vfs_create: an entry under it
	 * would outlive it with a dangling parent. */
	if (odir->unlinked || ndir->unlinked)
		return -LINUX_ENOENT;
	struct inode *src = child_named(odir, oname, olen);
	if (!src)
		return -LINUX_ENOENT;
	if (odir->writable != ndir->writable)
		return -LINUX_EXDEV; /* another file system, for Linux */
	if (!odir->writable)
		return -LINUX_EROFS;
	for (struct inode *a = ndir; a != root; a = a->parent)
		if (a == src)
			return -LINUX_EINVAL; /* into itself */
	struct inode *dst = child_named(ndir, nname, nlen);
	if (dst == src)
		return 0;
	if (dst) {
		if (is_dir(src) && !is_dir(dst))
			return -LINUX_ENOTDIR;
		if (!is_dir(src) && is_dir(dst))
			return -LINUX_EISDIR;
		if (dst->children)
			return -LINUX_ENOTEMPTY;
	}
	char *copy = kmalloc(nlen + 1);
	if (!copy)
		return -LINUX_ENOMEM;
	memcpy(copy, nname, nlen);
	copy[nlen] = '\0';
	if (dst)
		vfs_remove(ndir, nname, nlen, is_dir(dst));
	detach(src);
	kfree(src->name);
	src->name = copy;
	attach(ndir, src);
	return 0;
}

static void set_size(struct inode *ino, uint32_t size)
{
	ino->size = size;
	ino->backing.size = size;
}

int vfs_truncate(struct inode *ino, uint64_t size)
{
	if (!ino || !is_reg(ino))
		return -LINUX_EINVAL;
	if (ino->hooks)
		return 0; /* a generated file has no size to change: Linux's /proc ignores it */
	if (!ino->writable)
		return -LINUX_EROFS;
	if (size > RAM_FILE_MAX)
		return -LINUX_EFBIG;
	file_pages_resize(ino, (uint32_t)size);
	set_size(ino, (uint32_t)size);
	ino->mtime = ino->ctime = vfs_now();
	return 0;
}

int vfs_symlink(struct inode *dir, const char *name, uint32_t len, const char *target,
		uint32_t tlen)
{
	if (!target || tlen == 0)
		return -LINUX_ENOENT;
	if (tlen >= PATH_MAX)
		return -LINUX_ENAMETOOLONG;
	struct inode *ino;
	int rc = vfs_create(dir, name, len, LINUX_S_IFLNK | 0777u, &ino);
	if (rc)
		return rc;
	/* A link's target is not file data: it lives in the heap behind
	 * ino->data, as an archive link's lives in the archive, and goes with
	 * the inode. */
	char *copy = kmalloc(tlen);
	if (!copy) {
		vfs_remove(dir, name, len, false);
		return -LINUX_ENOMEM;
	}
	memcpy(copy, target, tlen);
	ino->data = (const uint8_t *)copy;
	set_size(ino, tlen);
	return 0;
}

static long ram_write(struct file *f, const void *user_buf, uint32_t n, uint64_t *offset)
{
	struct inode *ino = f->inode;
	if (f->flags & LINUX_O_APPEND)
		*offset = ino->size;
	if (*offset + n > RAM_FILE_MAX)
		return -LINUX_EFBIG;
	uint32_t at = (uint32_t)*offset;
	if (at > ino->size)
		file_pages_resize(ino, at); /* the gap reads as zeros */
	long done = file_pages_write(ino, at, user_buf, n);
	if (done <= 0)
		return done;
	if (at + (uint32_t)done > ino->size)
		set_size(ino, at + (uint32_t)done);
	ino->mtime = ino->ctime = vfs_now();
	*offset = at + (uint32_t)done;
	return done;
}

struct inode *vfs_root(void)
{
	return root;
}

bool vfs_have_root(void)
{
	return root != NULL;
}

void vfs_fill_stat64(const struct inode *ino, struct linux_stat64 *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = 1;
	st->st_ino32 = ino->ino;
	st->st_ino = ino->ino;
	st->st_mode = ino->mode;
	st->st_nlink = is_dir(ino) ? 2 : 1;
	st->st_rdev = LINUX_MKDEV(ino->rdev_major, ino->rdev_minor);
	st->st_size = ino->size;
	st->st_blksize = STAT_BLKSIZE;
	st->st_blocks = ((uint64_t)ino->size + 511) / 512;
	st->st_uid = ino->uid;
	st->st_gid = ino->gid;
	st->st_atime_sec = ino->atime.sec;
	st->st_atime_nsec = ino->atime.nsec;
	st->st_mtime_sec = ino->mtime.sec;
	st->st_mtime_nsec = ino->mtime.nsec;
	st->st_ctime_sec = ino->ctime.sec;
	st->st_ctime_nsec = ino->ctime.nsec;
}

void vfs_fill_statx(const struct inode *ino, struct linux_statx *st)
{
	memset(st, 0, sizeof(*st));
	st->stx_mask = LINUX_STATX_TYPE | LINUX_STATX_MODE | LINUX_STATX_NLINK | LINUX_STATX_UID |
		       LINUX_STATX_GID | LINUX_STATX_INO | LINUX_STATX_SIZE | LINUX_STATX_BLOCKS;
	st->stx_blksize = STAT_BLKSIZE;
	st->stx_nlink = is_dir(ino) ? 2 : 1;
	st->stx_mode = (uint16_t)ino->mode;
	st->stx_ino = ino->ino;
	st->stx_size = ino->size;
	st->stx_blocks = ((uint64_t)ino->size + 511) / 512;
	st->stx_rdev_major = ino->rdev_major;
	st->stx_rdev_minor = ino->rdev_minor;
	st->stx_dev_major = 0;
	st->stx_dev_minor = 1;
	st->stx_mask |= LINUX_STATX_ATIME | LINUX_STATX_MTIME | LINUX_STATX_CTIME;
	st->stx_uid = ino->uid;
	st->stx_gid = ino->gid;
	st->stx_atime = (struct linux_statx_timestamp){.tv_sec = ino->atime.sec,
						       .tv_nsec = ino->atime.nsec};
	st->stx_mtime = (struct linux_statx_timestamp){.tv_sec = ino->mtime.sec,
						       .tv_nsec = ino->mtime.nsec};
	st->stx_ctime = (struct linux_statx_timestamp){.tv_sec = ino->ctime.sec,
						       .tv_nsec = ino->ctime.nsec};
}

/* ---- open files -------------------------------------------------------- */

static long regular_read(struct file *f, void *user_buf, uint32_t n, uint64_t *offset)
{
	struct inode *ino = f->inode;
	if (*offset >= ino->size)
		return 0;
	uint32_t left = ino->size - (uint32_t)*offset;
	if (n > left)
		n = left;
	if (!ino->data) {
		long got = file_pages_read(ino, (uint32_t)*offset, user_buf, n, true);
		if (got > 0)
			*offset += (uint32_t)got;
		return got;
	}
	if (copy_to_user(user_buf, ino->data + *offset, n))
		return -LINUX_EFAULT;
	*offset += n;
	return n;
}

static long dir_read(struct file *f, void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)f, (void)user_buf, (void)n, (void)offset;
	return -LINUX_EISDIR;
}

static const struct file_ops regular_ops = {.read = regular_read};
static const struct file_ops ram_ops = {.read = regular_read, .write = ram_write};
static const struct file_ops dir_ops = {.read = dir_read};

struct file *file_alloc(const struct file_ops *ops, struct inode *ino, uint32_t flags)
{
	struct file *f = kcalloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->ops = ops;
	f->inode = ino;
	f->flags = flags;
	f->refs = 1;
	inode_get(ino);
	return f;
}

int vfs_open(struct inode *ino, uint32_t flags, struct file **out)
{
	if (!ino || !out)
		return -LINUX_EINVAL;
	uint32_t access = flags & LINUX_O_ACCMODE;
	if ((flags & LINUX_O_DIRECTORY) && !is_dir(ino))
		return -LINUX_ENOTDIR;
	if (is_dir(ino) && access != LINUX_O_RDONLY)
		return -LINUX_EISDIR;
	if ((ino->mode & LINUX_S_IFMT) == LINUX_S_IFIFO)
		return pipe_open_fifo(ino, flags, out);
	if ((ino->mode & LINUX_S_IFMT) == LINUX_S_IFSOCK ||
	    (ino->mode & LINUX_S_IFMT) == LINUX_S_IFBLK)
		return -LINUX_ENXIO; /* no sockets, no block devices */
	const struct file_ops *ops = is_dir(ino)     ? &dir_ops
				     : ino->writable ? &ram_ops
						     : &regular_ops;
	bool hooked = ino->hooks && ino->hooks->open;
	if (!hooked && is_reg(ino) && access != LINUX_O_RDONLY && !ino->writable)
		return -LINUX_EROFS; /* the boot archive's files are read-only */
	if ((ino->mode & LINUX_S_IFMT) == LINUX_S_IFCHR &&
	    !(ops = device_ops(ino->rdev_major, ino->rdev_minor)))
		return -LINUX_ENXIO;
	struct file *f = file_alloc(ops, ino, flags);
	if (!f)
		return -LINUX_ENOMEM;
	if (hooked) {
		int rc = ino->hooks->open(f);
		if (rc) {
			file_put(f);
			return rc;
		}
	}
	*out = f;
	return 0;
}

void file_get(struct file *f)
{
	if (f)
		f->refs++;
}

void file_put(struct file *f)
{
	if (!f || --f->refs)
		return;
	if (f->ops && f->ops->release)
		f->ops->release(f);
	inode_put(f->inode);
	kfree(f);
}

/* The directory's entries in a fixed order: ".", "..", then the children.
 * The file offset counts entries. */
static struct inode *nth_child(struct inode *dir, uint64_t n)
{
	struct inode *c = dir->children;
	while (c && n--)
		c = c->next_sibling;
	return c;
}

static uint8_t dirent_type(const struct inode *ino)
{
	if ((ino->mode & LINUX_S_IFMT) == LINUX_S_IFCHR)
		return LINUX_DT_CHR;
	if ((ino->mode & LINUX_S_IFMT) == LINUX_S_IFIFO)
		return LINUX_DT_FIFO;
	if ((ino->mode & LINUX_S_IFMT) == LINUX_S_IFSOCK)
		return LINUX_DT_SOCK;
	if ((ino->mode & LINUX_S_IFMT) == LINUX_S_IFBLK)
		return LINUX_DT_BLK;
	return is_dir(ino)    ? LINUX_DT_DIR
	       : is_reg(ino)  ? LINUX_DT_REG
	       : is_link(ino) ? LINUX_DT_LNK
			      : LINUX_DT_UNKNOWN;
}

long vfs_getdents64(struct file *f, void *user_buf, uint32_t size)
{
	if (!f || !f->inode)
		return -LINUX_EBADF;
	if (!is_dir(f->inode))
		return -LINUX_ENOTDIR;
	if (f->inode->hooks && f->inode->hooks->refresh)
		f->inode->hooks->refresh(f->inode);
	uint8_t *out = user_buf;
	uint32_t used = 0;
	for (;;) {
		uint64_t index = f->offset;
		const char *name;
		struct inode *ino;
		if (index == 0) {
			name = ".";
			ino = f->inode;
		} else if (index == 1) {
			name = "..";
			ino = f->inode->parent;
		} else {
			ino = nth_child(f->inode, index - 2);
			if (!ino)
				break;
			name = ino->name;
		}
		uint32_t name_len = (uint32_t)strlen(name);
		uint32_t reclen = (LINUX_DIRENT64_NAME_OFFSET + name_len + 1 + DIRENT_ALIGN - 1) &
				  ~(DIRENT_ALIGN - 1);
		if (used + reclen > size) {
			if (used == 0)
				return -LINUX_EINVAL;
			break;
		}
		uint8_t rec[LINUX_DIRENT64_NAME_OFFSET + NAME_MAX + 1 + DIRENT_ALIGN];
		memset(rec, 0, reclen);
		struct linux_dirent64 *d = (struct linux_dirent64 *)rec;
		d->d_ino = ino->ino;
		d->d_off = (int64_t)index + 1;
		d->d_reclen = (uint16_t)reclen;
		d->d_type = dirent_type(ino);
		memcpy(rec + LINUX_DIRENT64_NAME_OFFSET, name, name_len);
		if (copy_to_user(out + used, rec, reclen))
			return -LINUX_EFAULT;
		used += reclen;
		f->offset = index + 1;
	}
	return used;
}

/* ---- descriptor tables --------------------------------------------------- */

struct fdtable *fdtable_create(void)
{
	struct fdtable *t = kcalloc(1, sizeof(*t));
	if (t)
		t->refs = 1;
	return t;
}

struct fdtable *fdtable_clone(const struct fdtable *t)
{
	struct fdtable *copy = fdtable_create();
	if (!copy || !t)
		return copy;
	for (uint32_t i = 0; i < FD_MAX; i++) {
		copy->fd[i] = t->fd[i];
		copy->cloexec[i] = t->cloexec[i];
		file_get(copy->fd[i]);
	}
	return copy;
}

void fdtable_put(struct fdtable *t)
{
	if (!t || --t->refs)
		return;
	for (uint32_t i = 0; i < FD_MAX; i++)
		file_put(t->fd[i]);
	kfree(t);
}

int fd_install(struct fdtable *t, struct file *f, uint32_t min, bool cloexec)
{
	if (!t || !f)
		return -LINUX_EINVAL;
	for (uint32_t i = min; i < FD_MAX; i++) {
		if (!t->fd[i]) {
			t->fd[i] = f;
			t->cloexec[i] = cloexec;
			file_get(f);
			return (int)i;
		}
	}
	return -LINUX_EMFILE;
}

struct file *fd_get(struct fdtable *t, int fd)
{
	if (!t || fd < 0 || (uint32_t)fd >= FD_MAX)
		return NULL;
	return t->fd[fd];
}

int fd_close(struct fdtable *t, int fd)
{
	struct file *f = fd_get(t, fd);
	if (!f)
		return -LINUX_EBADF;
	t->fd[fd] = NULL;
	t->cloexec[fd] = 0;
	file_put(f);
	return 0;
}

void fdtable_exec(struct fdtable *t)
{
	if (!t)
		return;
	for (uint32_t i = 0; i < FD_MAX; i++)
		if (t->fd[i] && t->cloexec[i])
			fd_close(t, (int)i);
}
