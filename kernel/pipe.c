/* Pipes (include/kernel/pipe.h) and the pipe and pipe2 system calls. */
#include "kernel/pipe.h"

#include <stdbool.h>
#include <stddef.h>

#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/vfs.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"
#include "uapi/linux_abi.h"

#define PIPE_SIZE  LINUX_PIPE_BUF
#define PIPE_MODE  (LINUX_S_IFIFO | 0600u)
#define PIPE_FLAGS (LINUX_O_NONBLOCK | LINUX_O_CLOEXEC | LINUX_O_DIRECT)

/* Both ends sleep on the pipe's address: a reader waits for bytes or the
 * last writer's close, a writer for room or the last reader's close. */
struct pipe {
	uint8_t buf[PIPE_SIZE];
	uint32_t head;	/* next byte to read */
	uint32_t count; /* bytes in buf */
	uint32_t readers, writers;
	uint32_t ino;	    /* for fstat: ends of one pipe share it */
	struct inode *fifo; /* a named pipe's inode (a reference), else NULL */
};

static uint32_t next_pipe_ino = 1;

/* Bytes, room or an end came or went: the ends waiting on this pipe, and
 * every poll or select, look again. */
static void pipe_changed(struct pipe *p)
{
	sched_wakeup(p);
	sched_wakeup(sched_chan_poll);
}

static long pipe_read(struct file *f, void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)offset;
	struct pipe *p = f->priv;
	if (n == 0)
		return 0;
	while (p->count == 0) {
		if (p->writers == 0)
			return 0;
		if (f->flags & LINUX_O_NONBLOCK)
			return -LINUX_EAGAIN;
		struct proc *self = sched_current();
		if (!self || proc_signal_pending(self))
			return -LINUX_EINTR;
		sched_sleep(p);
	}
	uint32_t done = 0;
	while (done < n && p->count) {
		uint32_t run = PIPE_SIZE - p->head;
		if (run > p->count)
			run = p->count;
		if (run > n - done)
			run = n - done;
		if (copy_to_user((uint8_t *)user_buf + done, p->buf + p->head, run))
			return done ? (long)done : -LINUX_EFAULT;
		p->head = (p->head + run) % PIPE_SIZE;
		p->count -= run;
		done += run;
	}
	pipe_changed(p);
	return (long)done;
}

static long pipe_write(struct file *f, const void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)offset;
	struct pipe *p = f->priv;
	struct proc *self = sched_current();
	uint32_t done = 0;
	while (done < n) {
		if (p->readers == 0) {
			if (self)
				signal_send(self, LINUX_SIGPIPE, self->pid);
			return done ? (long)done : -LINUX_EPIPE;
		}
		uint32_t room = PIPE_SIZE - p->count;
		/* Up to PIPE_BUF bytes go in one piece, never interleaved with
		 * another writer's. */
		uint32_t need = n - done <= LINUX_PIPE_BUF ? n - done : 1;
		if (room < need) {
			if (f->flags & LINUX_O_NONBLOCK)
				return done ? (long)done : -LINUX_EAGAIN;
			if (!self || proc_signal_pending(self))
				return done ? (long)done : -LINUX_EINTR;
			sched_sleep(p);
			continue;
		}
		uint32_t tail = (p->head + p->count) % PIPE_SIZE;
		uint32_t run = PIPE_SIZE - tail;
		if (run > room)
			run = room;
		if (run > n - done)
			run = n - done;
		if (copy_from_user(p->buf + tail, (const uint8_t *)user_buf + done, run))
			return done ? (long)done : -LINUX_EFAULT;
		p->count += run;
		done += run;
		pipe_changed(p);
	}
	return (long)done;
}

/* A named pipe opened O_RDWR is both ends at once. */
static bool reads(const struct file *f)
{
	return (f->flags & LINUX_O_ACCMODE) != LINUX_O_WRONLY;
}

static bool writes(const struct file *f)
{
	return (f->flags & LINUX_O_ACCMODE) != LINUX_O_RDONLY;
}

static bool is_read_end(const struct file *f)
{
	return (f->flags & LINUX_O_ACCMODE) == LINUX_O_RDONLY;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	if (reads(f))
		p->readers--;
	if (writes(f))
		p->writers--;
	pipe_changed(p);
	if (p->readers == 0 && p->writers == 0) {
		if (p->fifo) {
			p->fifo->fifo = NULL;
			inode_put(p->fifo);
		}
		kfree(p);
	}
}

static void pipe_stat(struct file *f, struct linux_stat64 *st)
{
	const struct pipe *p = f->priv;
	memset(st, 0, sizeof(*st));
	st->st_mode = PIPE_MODE;
	st->st_nlink = 1;
	st->st_ino = st->st_ino32 = p->ino;
	st->st_blksize = PIPE_SIZE;
}

static uint32_t pipe_poll(struct file *f)
{
	const struct pipe *p = f->priv;
	if ((f->flags & LINUX_O_ACCMODE) == LINUX_O_RDWR)
		return (p->count ? LINUX_POLLIN | LINUX_POLLRDNORM : 0) |
		       (PIPE_SIZE - p->count >= LINUX_PIPE_BUF ? LINUX_POLLOUT | LINUX_POLLWRNORM
							       : 0);
	if (is_read_end(f))
		return (p->count ? LINUX_POLLIN | LINUX_POLLRDNORM : 0) |
		       (p->writers ? 0 : LINUX_POLLHUP);
	if (p->readers == 0)
		return LINUX_POLLERR;
	return PIPE_SIZE - p->count >= LINUX_PIPE_BUF ? LINUX_POLLOUT | LINUX_POLLWRNORM : 0;
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.stat = pipe_stat,
	.release = pipe_release,
	.poll = pipe_poll,
};

int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end)
{
	struct pipe *p = kcalloc(1, sizeof(*p));
	if (!p)
		return -LINUX_ENOMEM;
	uint32_t status = flags & LINUX_O_NONBLOCK;
	struct file *r = file_alloc(&pipe_ops, NULL, LINUX_O_RDONLY | status);
	struct file *w = r ? file_alloc(&pipe_ops, NULL, LINUX_O_WRONLY | status) : NULL;
	if (!w) {
		if (r)
			kfree(r); /* not yet a pipe end: no release */
		kfree(p);
		return -LINUX_ENOMEM;
	}
	p->ino = next_pipe_ino++;
	p->readers = p->writers = 1;
	r->priv = w->priv = p;
	*read_end = r;
	*write_end = w;
	return 0;
}

int pipe_open_fifo(struct inode *ino, uint32_t flags, struct file **out)
{
	if (!ino || !out)
		return -LINUX_EINVAL;
	uint32_t access = flags & LINUX_O_ACCMODE;
	struct pipe *p = ino->fifo;
	if (access == LINUX_O_WRONLY && (flags & LINUX_O_NONBLOCK) && (!p || p->readers == 0))
		return -LINUX_ENXIO;
	if (!p) {
		if (!(p = kcalloc(1, sizeof(*p))))
			return -LINUX_ENOMEM;
		p->ino = next_pipe_ino++;
		p->fifo = ino;
		inode_get(ino);
		ino->fifo = p;
	}
	struct file *f = file_alloc(&pipe_ops, NULL, flags & ~(uint32_t)LINUX_O_CREAT);
	if (!f) {
		if (p->readers == 0 && p->writers == 0) {
			ino->fifo = NULL;
			inode_put(ino);
			kfree(p);
		}
		return -LINUX_ENOMEM;
	}
	f->priv = p;
	if (reads(f))
		p->readers++;
	if (writes(f))
		p->writers++;
	pipe_changed(p); /* a partner waiting in its open */
	/* Wait for the other end, as Linux's fifo_open does. */
	struct proc *self = sched_current();
	while (access != LINUX_O_RDWR && !(flags & LINUX_O_NONBLOCK) &&
	       (access == LINUX_O_RDONLY ? p->writers : p->readers) == 0) {
		if (!self || proc_signal_pending(self)) {
			file_put(f); /* releases this end */
			return -LINUX_EINTR;
		}
		sched_sleep(p);
	}
	*out = f;
	return 0;
}

static int32_t do_pipe(uint32_t user_fds, uint32_t flags)
{
	if (flags & ~PIPE_FLAGS)
		return -LINUX_EINVAL;
	struct file *r, *w;
	int rc = pipe_create(flags, &r, &w);
	if (rc)
		return rc;
	struct fdtable *t = current_files();
	bool cloexec = flags & LINUX_O_CLOEXEC;
	int fds[2] = {fd_install(t, r, 0, cloexec), -1};
	if (fds[0] >= 0)
		fds[1] = fd_install(t, w, 0, cloexec);
	file_put(r); /* the descriptors hold them now, or nobody does */
	file_put(w);
	if (fds[1] < 0 || copy_to_user((void *)(uintptr_t)user_fds, fds, sizeof(fds))) {
		rc = fds[0] < 0 ? fds[0] : fds[1] < 0 ? fds[1] : -LINUX_EFAULT;
		if (fds[0] >= 0)
			fd_close(t, fds[0]);
		if (fds[1] >= 0)
			fd_close(t, fds[1]);
		return rc;
	}
	return 0;
}

int32_t sys_pipe(struct trap_frame *f)
{
	return do_pipe(SYSCALL_ARG1(f), 0);
}

int32_t sys_pipe2(struct trap_frame *f)
{
	return do_pipe(SYSCALL_ARG1(f), SYSCALL_ARG2(f));
}
