/* The process file system, /proc (kernel/procfs.h). */
#include "kernel/procfs.h"

#include <stdarg.h>
#include <stdbool.h>

#include "arch/pit.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/vfs.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/region.h"
#include "mm/uaccess.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"

enum proc_kind {
	KIND_NONE,
	KIND_MEMINFO,
	KIND_CMDLINE,
	KIND_COMM,
	KIND_MAPS,
	KIND_STAT,
	KIND_STATM,
	KIND_STATUS,
	KIND_UPTIME,
	KIND_LOADAVG,
	KIND_CPUSTAT,
	KIND_VERSION,
};

#define PID_FILES   6
#define KB_PER_PAGE (PAGE_SIZE / 1024u)
/* Where Linux starts a mapping's path: the header padded to 25 + 6 *
 * sizeof(void *) - 1 columns, then one space (fs/proc/task_mmu.c); a
 * 32-bit kernel's pointers are 4 bytes. */
#define MAPS_NAME_COLUMN (25u + 6u * 4u - 1u)

static const struct {
	char name[8];
	enum proc_kind kind;
} pid_files[PID_FILES] = {
	{"cmdline", KIND_CMDLINE}, {"comm", KIND_COMM},	  {"maps", KIND_MAPS},
	{"stat", KIND_STAT},	   {"statm", KIND_STATM}, {"status", KIND_STATUS},
};

/* One process-table slot's directory and files.  The names are copies
 * because the tree's nodes hold writable names. */
struct pid_node {
	struct inode dir;
	struct inode files[PID_FILES];
	char dir_name[12];
	char file_names[PID_FILES][8];
	bool attached;		  /* dir is in /proc */
	bool files_attached;	  /* the files are in dir */
	struct pid_node *retired; /* the next on the retired list */
};

#define ROOT_FILES 5

/* The files of /proc itself (the system's, not a process's). */
static const struct {
	char name[8];
	enum proc_kind kind;
} root_files[ROOT_FILES] = {
	{"loadavg", KIND_LOADAVG}, {"meminfo", KIND_MEMINFO}, {"stat", KIND_CPUSTAT},
	{"uptime", KIND_UPTIME},   {"version", KIND_VERSION},
};

/* Each slot's node (some 40 KiB in all), allocated when /proc is attached
 * (kept out of the kernel image, whose size every boot pays for) and used
 * again for the slot's next process, unless somebody still holds the
 * directory or one of its files (a descriptor, a working directory): then
 * it stays theirs, retired, showing nothing, and the slot gets a new node.
 * A retired node is freed when the last holder lets go (proc_put). */
static struct pid_node *pid_nodes[PROC_MAX];
static struct pid_node *retired_nodes;
static struct inode *proc_root;
static struct inode root_nodes[ROOT_FILES], self_node;
static char root_names[ROOT_FILES][8];
static char self_name[] = "self";
static char self_target[12];

/* ---- text buffers -------------------------------------------------------- */

struct text {
	char *buf;
	uint32_t len, cap;
	bool failed; /* out of memory: the text is cut */
};

static void text_putc(char c, void *ctx)
{
	struct text *t = ctx;
	if (t->failed)
		return;
	if (t->len + 1 >= t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 512;
		char *bigger = kmalloc(cap);
		if (!bigger) {
			t->failed = true;
			return;
		}
		if (t->len)
			memcpy(bigger, t->buf, t->len);
		kfree(t->buf);
		t->buf = bigger;
		t->cap = cap;
	}
	t->buf[t->len++] = c;
}

__attribute__((format(printf, 2, 3))) static void text_printf(struct text *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	format_va(text_putc, t, fmt, ap);
	va_end(ap);
}

static void text_bytes(struct text *t, const char *s, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		text_putc(s[i], t);
}

/* ---- what the files say -------------------------------------------------- */

/* Linux's meminfo line: the name and colon padded to 16 columns, the value
 * in 8, in KiB. */
static void meminfo_line(struct text *t, const char *name, uint32_t pages)
{
	char label[20];
	ksnprintf(label, sizeof(label), "%s:", name);
	text_printf(t, "%-16s%8u kB\n", label, pages * KB_PER_PAGE);
}

static void gen_meminfo(struct text *t)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	uint32_t free_pages = pmm_free_count();
	/* Every frame a program can get is free now: nothing is cached or
	 * swapped, so "available" is "free". */
	meminfo_line(t, "MemTotal", pmm_total_count());
	meminfo_line(t, "MemFree", free_pages);
	meminfo_line(t, "MemAvailable", free_pages);
	meminfo_line(t, "Buffers", 0);
	meminfo_line(t, "Cached", 0);
	meminfo_line(t, "SwapCached", 0);
	meminfo_line(t, "SwapTotal", 0);
	meminfo_line(t, "SwapFree", 0);
	meminfo_line(t, "AnonPages", pmm_count_owned(FRAME_USER));
	meminfo_line(t, "Shmem", 0);
	meminfo_line(t, "Slab", hs.mapped_pages);
	meminfo_line(t, "SReclaimable", 0);
	meminfo_line(t, "SUnreclaim", hs.mapped_pages);
	meminfo_line(t, "KernelStack", proc_count() * KSTACK_PAGES);
	meminfo_line(t, "PageTables", pmm_count_owned(FRAME_PAGE_TABLE));
}

/* Toyix counts no CPU time per process or state: every tick since boot
 * counts as idle, which is what top then shows. */
static void gen_uptime(struct text *t)
{
	uint32_t ticks = pit_ticks();
	text_printf(t, "%u.%02u %u.%02u\n", ticks / PIT_HZ, ticks % PIT_HZ * 100 / PIT_HZ,
		    ticks / PIT_HZ, ticks % PIT_HZ * 100 / PIT_HZ);
}

static uint32_t running_count(void)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *p = proc_at(i);
		n += p && (p->state == PROC_RUNNABLE || p->state == PROC_RUNNING);
	}
	return n;
}

static void gen_loadavg(struct text *t)
{
	int32_t last = 0;
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *p = proc_at(i);
		if (p && p->pid > last)
			last = p->pid;
	}
	text_printf(t, "0.00 0.00 0.00 %u/%u %d\n", running_count(), proc_count(), last);
}

static void gen_cpustat(struct text *t)
{
	uint32_t ticks = pit_ticks();
	text_printf(t, "cpu  0 0 0 %u 0 0 0 0 0 0\ncpu0 0 0 0 %u 0 0 0 0 0 0\n", ticks, ticks);
	text_printf(t,
		    "intr 0\nctxt 0\nbtime 0\nprocesses %u\nprocs_running %u\n"
		    "procs_blocked 0\n",
		    proc_count(), running_count());
}

/* What the regions of a space add up to, in pages, as Linux counts them for
 * status and statm: everything mapped, the stack, program text (executable
 * and not writable), and private writable data that is not the stack. */
struct vm_totals {
	uint32_t size, stack, exec, data;
};

static struct vm_totals vm_totals(struct aspace *as)
{
	struct vm_totals v = {0, 0, 0, 0};
	for (struct region *r = region_next(&as->regions, 0); r;
	     r = region_next(&as->regions, r->end)) {
		uint32_t pages = (r->end - r->start) / PAGE_SIZE;
		v.size += pages;
		if (r->flags & REGION_GROWSDOWN)
			v.stack += pages;
		else if ((r->flags & REGION_EXEC) && !(r->flags & REGION_WRITE))
			v.exec += pages;
		else if ((r->flags & REGION_WRITE) && !(r->flags & REGION_SHARED))
			v.data += pages;
	}
	return v;
}

static bool is_heap(const struct aspace *as, const struct region *r)
{
	return !r->file && r->start <= as->brk && r->end >= as->brk_start;
}

static void gen_maps(struct text *t, struct aspace *as)
{
	char *path = kmalloc(PATH_MAX);
	if (!path) {
		t->failed = true;
		return;
	}
	for (struct region *r = region_next(&as->regions, 0); r;
	     r = region_next(&as->regions, r->end)) {
		struct inode *file = vfs_backing_inode(r->file);
		/* Device 00:01 is the root file system (stat says so too). */
		uint32_t minor = 0, ino = 0;
		/* A 64-bit byte offset, as Linux prints it: a page index from
		 * 2^20 on is an offset of 4 GiB or more. */
		unsigned long long offset = 0;
		const char *name = NULL;
		if (file) {
			minor = 1;
			ino = file->ino;
			offset = (unsigned long long)r->pgoff << PAGE_SHIFT;
			if (vfs_path_of(file, path, PATH_MAX) >= 0)
				name = path;
		} else if ((r->flags & REGION_SHARED) && !r->file) {
			/* Linux backs shared anonymous memory with a deleted
			 * file of its internal shmem mount.  Toyix's object has
			 * no number; the first page of the whole mapping stands
			 * in for the inode, the same in every process that
			 * shares it (fork keeps the address) and after a partial
			 * munmap (the offset says how far in a region starts). */
			minor = 1;
			offset = (unsigned long long)r->pgoff << PAGE_SHIFT;
			ino = (r->start >> PAGE_SHIFT) - r->pgoff;
			name = "/dev/zero (deleted)";
		} else if (r->flags & REGION_GROWSDOWN) {
			name = "[stack]";
		} else if (is_heap(as, r)) {
			name = "[heap]";
		}
		uint32_t line_start = t->len;
		text_printf(t, "%08x-%08x %c%c%c%c %08llx 00:%02x %u ", r->start, r->end,
			    r->flags & REGION_READ ? 'r' : '-', r->flags & REGION_WRITE ? 'w' : '-',
			    r->flags & REGION_EXEC ? 'x' : '-',
			    r->flags & REGION_SHARED ? 's' : 'p', offset, minor, ino);
		if (name) {
			while (t->len - line_start < MAPS_NAME_COLUMN && !t->failed)
				text_putc(' ', t);
			text_printf(t, " %s", name);
		}
		text_putc('\n', t);
	}
	kfree(path);
}

static char state_letter(const struct proc *p)
{
	if (p->stopped && p->state != PROC_ZOMBIE)
		return 'T';
	switch (p->state) {
	case PROC_SLEEPING: return 'S';
	case PROC_ZOMBIE: return 'Z';
	default: return 'R';
	}
}

static const char *state_name(const struct proc *p)
{
	if (p->stopped && p->state != PROC_ZOMBIE)
		return "T (stopped)";
	switch (p->state) {
	case PROC_SLEEPING: return "S (sleeping)";
	case PROC_ZOMBIE: return "Z (zombie)";
	default: return "R (running)";
	}
}

static int32_t ppid_of(const struct proc *p)
{
	return p->parent ? p->parent->pid : 0;
}

static struct aspace_pages pages_of(struct aspace *as)
{
	struct aspace_pages n = {0, 0, 0};
	if (as)
		aspace_page_counts(as, &n);
	return n;
}

static uint32_t resident_of(struct aspace *as)
{
	return pages_of(as).resident;
}

/* Signal sets as Linux prints them: 16 hex digits, signal 1 the lowest bit. */
static void sigset_line(struct text *t, const char *name, uint64_t set)
{
	text_printf(t, "%s:\t%08x%08x\n", name, (uint32_t)(set >> 32), (uint32_t)set);
}

static void sig_dispositions(const struct proc *p, uint64_t *ignored, uint64_t *caught)
{
	*ignored = *caught = 0;
	for (uint32_t i = 0; i < 64; i++) {
		uint32_t h = p->sig_action[i].handler;
		if (h == LINUX_SIG_IGN)
			*ignored |= 1ull << i;
		else if (h > LINUX_SIG_IGN)
			*caught |= 1ull << i;
	}
}

static void vm_line(struct text *t, const char *name, uint32_t pages)
{
	text_printf(t, "%s:\t%8u kB\n", name, pages * KB_PER_PAGE);
}

static void gen_status(struct text *t, struct proc *p)
{
	text_printf(t, "Name:\t%s\n", p->name);
	text_printf(t, "Umask:\t0%u%u%u\n", (p->umask >> 6) & 7, (p->umask >> 3) & 7, p->umask & 7);
	text_printf(t, "State:\t%s\n", state_name(p));
	text_printf(t, "Tgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\nTracerPid:\t0\n", p->pid, p->pid,
		    ppid_of(p));
	text_printf(t, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t%u\nGroups:\t \n", FD_MAX);
	text_printf(t, "NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid, p->pid,
		    p->pgid, p->sid);
	if (p->as) {
		struct vm_totals v = vm_totals(p->as);
		uint32_t rss = resident_of(p->as);
		/* Toyix keeps no high-water marks: the peaks are the values now. */
		vm_line(t, "VmPeak", v.size);
		vm_line(t, "VmSize", v.size);
		vm_line(t, "VmLck", 0);
		vm_line(t, "VmPin", 0);
		vm_line(t, "VmHWM", rss);
		vm_line(t, "VmRSS", rss);
		vm_line(t, "VmData", v.data);
		vm_line(t, "VmStk", v.stack);
		vm_line(t, "VmExe", v.exec);
		vm_line(t, "VmLib", 0);
		vm_line(t, "VmPTE", p->as->tables + 1);
		vm_line(t, "VmSwap", 0);
	}
	text_printf(t, "Threads:\t1\n");
	uint64_t ignored, caught;
	sig_dispositions(p, &ignored, &caught);
	sigset_line(t, "SigPnd", p->sig_pending);
	sigset_line(t, "ShdPnd", 0);
	sigset_line(t, "SigBlk", p->sig_blocked);
	sigset_line(t, "SigIgn", ignored);
	sigset_line(t, "SigCgt", caught);
}

/* The 52 fields of Linux's stat line (fs/proc/array.c); what Toyix does not
 * keep (times, fault counts, code addresses) reads as 0. */
static void gen_stat(struct text *t, struct proc *p)
{
	uint32_t vsize = 0, rss = 0, brk_start = 0;
	if (p->as) {
		vsize = vm_totals(p->as).size * PAGE_SIZE;
		rss = resident_of(p->as);
		brk_start = p->as->brk_start;
	}
	uint64_t ignored, caught;
	sig_dispositions(p, &ignored, &caught);
	text_printf(t, "%d (%s) %c %d %d %d 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 %u %u %u ", p->pid,
		    p->name, state_letter(p), ppid_of(p), p->pgid, p->sid, vsize, rss, 0xFFFFFFFFu);
	text_printf(t, "0 0 0 0 0 %u %u %u %u 0 0 0 17 0 0 0 0 0 0 0 0 %u 0 0 0 0 %u\n",
		    (uint32_t)p->sig_pending, (uint32_t)p->sig_blocked, (uint32_t)ignored,
		    (uint32_t)caught, brk_start,
		    p->state == PROC_ZOMBIE ? (uint32_t)(p->wstatus & 0xFFFFu) : 0);
}

static void gen_statm(struct text *t, struct proc *p)
{
	if (!p->as) {
		text_printf(t, "0 0 0 0 0 0 0\n");
		return;
	}
	/* "shared": resident pages whose frame another mapping holds too
	 * (after fork, or a shared mapping), as the monitor's ps counts them. */
	struct vm_totals v = vm_totals(p->as);
	struct aspace_pages n = pages_of(p->as);
	text_printf(t, "%u %u %u %u 0 %u 0\n", v.size, n.resident, n.shared, v.exec,
		    v.data + v.stack);
}

/* The file's text into t: 0, -LINUX_ESRCH when process pid is gone
 * (reaped; a zombie still shows what is left of it, as on Linux), or
 * -LINUX_ENOMEM when the text did not fit in memory. */
static int generate(struct text *t, enum proc_kind kind, int32_t pid)
{
	switch (kind) {
	case KIND_MEMINFO: gen_meminfo(t); goto done;
	case KIND_UPTIME: gen_uptime(t); goto done;
	case KIND_LOADAVG: gen_loadavg(t); goto done;
	case KIND_CPUSTAT: gen_cpustat(t); goto done;
	case KIND_VERSION:
		/* As uname says (kernel/sys_mm.c). */
		text_printf(t, "Linux version 6.1.0-toyix (toyix) #1 Toyix\n");
		goto done;
	default: break;
	}
	/* Pids are handed out in turn and not again while one is in use
	 * (kernel/proc.c), so the pid names this process and no later one. */
	struct proc *p = proc_find(pid);
	if (!p)
		return -LINUX_ESRCH;
	switch (kind) {
	case KIND_CMDLINE:
		if (p->as && p->as->cmdline)
			text_bytes(t, p->as->cmdline, p->as->cmdline_len);
		break;
	case KIND_COMM: text_printf(t, "%s\n", p->name); break;
	case KIND_MAPS:
		if (p->as)
			gen_maps(t, p->as);
		break;
	case KIND_STAT: gen_stat(t, p); break;
	case KIND_STATM: gen_statm(t, p); break;
	case KIND_STATUS: gen_status(t, p); break;
	default: return -LINUX_EINVAL;
	}
done:
	return t->failed ? -LINUX_ENOMEM : 0;
}

/* ---- files ----------------------------------------------------------------- */

/* What an open file keeps: whose file it is, fixed when it is opened (a
 * pid directory belongs to a process-table slot, and a newer process
 * takes it over once this one is reaped; the open file stays this one's,
 * as on Linux), and the text of its last read from the start. */
struct open_text {
	struct text text;
	int32_t pid;
};

/* The text is made by a read at offset 0 (the first one, or one after
 * lseek back, as Linux's seq_file does) and kept with the open file, so
 * reading it in pieces gives one consistent snapshot and reading it again
 * from the start shows what changed. */
static long proc_read(struct file *f, void *user_buf, uint32_t n, uint64_t *offset)
{
	struct open_text *o = f->priv;
	struct text *t = &o->text;
	if (*offset == 0) {
		t->len = 0;
		t->failed = false;
		int rc = generate(t, (enum proc_kind)f->inode->fs_kind, o->pid);
		if (rc) {
			t->len = 0;
			return rc;
		}
	}
	if (*offset >= t->len)
		return 0;
	uint32_t left = t->len - (uint32_t)*offset;
	if (n > left)
		n = left;
	if (copy_to_user(user_buf, t->buf + *offset, n))
		return -LINUX_EFAULT;
	*offset += n;
	return n;
}

/* Linux's files of /proc itself take no writes: -EIO (fs/proc/inode.c,
 * no proc_write). */
static long root_file_write(struct file *f, const void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)f, (void)user_buf, (void)n, (void)offset;
	return -LINUX_EIO;
}

static void proc_release(struct file *f)
{
	struct open_text *o = f->priv;
	if (o) {
		kfree(o->text.buf);
		kfree(o);
		f->priv = NULL;
	}
}

/* The per-process files have no write operation at all: write() says
 * -EINVAL, as Linux says for them. */
static const struct file_ops pid_file_ops = {.read = proc_read, .release = proc_release};
static const struct file_ops root_file_ops = {
	.read = proc_read, .write = root_file_write, .release = proc_release};

/* Opening for writing is allowed (everyone is root, as on Linux), the write
 * itself fails.  The node's pid is the process's the path named: the
 * lookup that led here brought /proc up to date (refresh_root). */
static int proc_open(struct file *f)
{
	f->ops = f->inode->fs_id == 0 ? &root_file_ops : &pid_file_ops;
	struct open_text *o = kcalloc(1, sizeof(*o));
	if (!o)
		return -LINUX_ENOMEM;
	o->pid = (int32_t)f->inode->fs_id;
	f->priv = o;
	return 0;
}

static void refresh_root(struct inode *dir);

static void proc_put(struct inode *ino);
static const struct inode_hooks file_hooks = {.open = proc_open, .put = proc_put};
static const struct inode_hooks root_hooks = {.refresh = refresh_root};

/* ---- the tree ---------------------------------------------------------------- */

static void node_init(struct inode *ino, char *name, uint32_t mode, uint32_t kind, uint32_t id)
{
	ino->name = name;
	ino->mode = mode;
	ino->fs_kind = kind;
	ino->fs_id = id;
	ino->size = 0;
	ino->children = NULL;
	if (ino->refs == 0)
		ino->refs = 1; /* the tree's, never dropped: procfs owns the node */
	ino->hooks = kind ? &file_hooks : NULL;
}

static struct pid_node *node_of(struct inode *dir)
{
	return (struct pid_node *)((char *)dir - offsetof(struct pid_node, dir));
}

static bool node_held(const struct pid_node *n)
{
	if (n->dir.refs > 1) /* 1: the tree's own */
		return true;
	for (uint32_t k = 0; k < PID_FILES; k++)
		if (n->files[k].refs > 1)
			return true;
	return false;
}

/* A held directory whose process is gone shows nothing: a lookup in it is
 * -ENOENT and a listing is empty, as on Linux (whose listing says ENOENT). */
static void refresh_pid_dir(struct inode *dir)
{
	struct pid_node *n = node_of(dir);
	if (!n->files_attached || proc_find((int32_t)dir->fs_id))
		return;
	for (uint32_t k = 0; k < PID_FILES; k++)
		vfs_detach(&n->files[k]);
	n->files_attached = false;
}

/* A retired node goes once nobody holds it: its directory or a file. */
static void proc_put(struct inode *ino)
{
	for (struct pid_node **at = &retired_nodes; *at; at = &(*at)->retired) {
		struct pid_node *n = *at;
		bool mine = ino == &n->dir || (ino >= n->files && ino < n->files + PID_FILES);
		if (!mine)
			continue;
		if (!node_held(n)) {
			*at = n->retired;
			kfree(n);
		}
		return;
	}
}

static const struct inode_hooks pid_dir_hooks = {.refresh = refresh_pid_dir, .put = proc_put};

static void pid_node_attach(struct pid_node *n, const struct proc *p)
{
	ksnprintf(n->dir_name, sizeof(n->dir_name), "%d", p->pid);
	node_init(&n->dir, n->dir_name, LINUX_S_IFDIR | 0555, KIND_NONE, (uint32_t)p->pid);
	n->dir.hooks = &pid_dir_hooks;
	vfs_attach(proc_root, &n->dir);
	for (uint32_t k = 0; k < PID_FILES; k++) {
		memcpy(n->file_names[k], pid_files[k].name, sizeof(n->file_names[k]));
		node_init(&n->files[k], n->file_names[k], LINUX_S_IFREG | 0444, pid_files[k].kind,
			  (uint32_t)p->pid);
		vfs_attach(&n->dir, &n->files[k]);
	}
	n->attached = n->files_attached = true;
}

/* Brings /proc in line with the process table: a directory for each
 * process, zombies included (as Linux lists them until they are reaped),
 * and /proc/self pointing at the caller. */
static void refresh_root(struct inode *dir)
{
	if (dir != proc_root)
		return;
	const struct proc *self = sched_current();
	int n = self ? ksnprintf(self_target, sizeof(self_target), "%d", self->pid) : 0;
	/* No process (the kernel's own context): the link leads nowhere,
	 * -ENOENT, as Linux's /proc/self does for a kernel thread. */
	self_node.size = (uint32_t)n;
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct pid_node *node = pid_nodes[i];
		const struct proc *p = proc_at(i);
		if (!node)
			continue;
		if (node->attached && (!p || (uint32_t)p->pid != node->dir.fs_id)) {
			vfs_detach(&node->dir);
			node->attached = false;
			struct pid_node *fresh =
				node_held(node) ? kcalloc(1, sizeof(*fresh)) : NULL;
			if (fresh) { /* without memory the holder sees the slot's next process */
				refresh_pid_dir(&node->dir);
				node->retired = retired_nodes;
				retired_nodes = node;
				pid_nodes[i] = node = fresh;
			}
		}
		if (p && !node->attached)
			pid_node_attach(node, p);
	}
}

void procfs_attach(struct inode *dir)
{
	if (!dir || proc_root || (dir->mode & LINUX_S_IFMT) != LINUX_S_IFDIR)
		return;
	for (uint32_t i = 0; i < PROC_MAX; i++)
		if (!(pid_nodes[i] = kcalloc(1, sizeof(*pid_nodes[i])))) {
			while (i--)
				kfree(pid_nodes[i]);
			return; /* no memory: /proc is not there */
		}
	proc_root = dir;
	dir->hooks = &root_hooks;
	for (uint32_t k = 0; k < ROOT_FILES; k++) {
		memcpy(root_names[k], root_files[k].name, sizeof(root_names[k]));
		node_init(&root_nodes[k], root_names[k], LINUX_S_IFREG | 0444, root_files[k].kind,
			  0);
		vfs_attach(dir, &root_nodes[k]);
	}
	node_init(&self_node, self_name, LINUX_S_IFLNK | 0777, KIND_NONE, 0);
	self_node.data = (const uint8_t *)self_target;
	vfs_attach(dir, &self_node);
}

char *procfs_text(const char *name, int32_t pid, uint32_t *len)
{
	if (!name || !len)
		return NULL;
	/* A pid picks the process's files, 0 those of /proc ("stat" is
	 * both). */
	enum proc_kind kind = KIND_NONE;
	for (uint32_t k = 0; k < PID_FILES; k++)
		if (pid && strcmp(name, pid_files[k].name) == 0)
			kind = pid_files[k].kind;
	for (uint32_t k = 0; k < ROOT_FILES; k++)
		if (!pid && strcmp(name, root_files[k].name) == 0)
			kind = root_files[k].kind;
	struct text t = {NULL, 0, 0, false};
	if (kind == KIND_NONE || generate(&t, kind, pid)) {
		kfree(t.buf);
		return NULL;
	}
	text_putc('\0', &t);
	if (t.failed) {
		kfree(t.buf);
		return NULL;
	}
	*len = t.len - 1;
	return t.buf;
}
