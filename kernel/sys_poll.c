/* Waiting for descriptors: poll, ppoll, select (_newselect) and pselect6,
 * with Linux's argument checks, timeouts and errno values.  All of them
 * ask the same question of each file (file_ready) and wait the same way
 * (wait_ready): look at every descriptor, and sleep until a file's
 * readiness may have changed (a pipe or the terminal wakes
 * sched_chan_poll), the timeout passes or a signal comes. */
#include <stdbool.h>
#include <stddef.h>

#include "arch/pit.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/vfs.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/uaccess.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"
#include "uapi/linux_types.h"

#define NS_PER_S    1000000000u
#define US_PER_S    1000000u
#define NS_PER_TICK (NS_PER_S / PIT_HZ)
#define MAX_TICKS   0x7FFFFFFFll
/* How far off a wait without a timeout sets its wake tick: it is set again
 * on every wake, and stays well inside the signed difference wakeable()
 * compares. */
#define FOREVER_TICKS 0x40000000u
#define SIGSET_BYTES  8u
#define POLL_ALWAYS   (LINUX_POLLERR | LINUX_POLLHUP | LINUX_POLLNVAL)
/* What a file without a poll operation is: always ready (Linux's
 * DEFAULT_POLLMASK). */
#define POLL_DEFAULT (LINUX_POLLIN | LINUX_POLLOUT | LINUX_POLLRDNORM | LINUX_POLLWRNORM)
/* Which poll bits count as ready for each of select's three sets (Linux's
 * POLLIN_SET, POLLOUT_SET, POLLEX_SET). */
#define SELECT_IN  (LINUX_POLLIN | LINUX_POLLRDNORM | LINUX_POLLHUP | LINUX_POLLERR)
#define SELECT_OUT (LINUX_POLLOUT | LINUX_POLLWRNORM | LINUX_POLLERR)
#define SELECT_EX  LINUX_POLLPRI
#define FD_WORDS   (FD_MAX / 32u)

static uint32_t file_ready(struct file *f)
{
	return f->ops->poll ? f->ops->poll(f) : POLL_DEFAULT;
}

/* A wait's end: none (forever), or `ticks` after `start`. */
struct timeout {
	bool forever;
	uint32_t start, ticks;
};

static void timeout_none(struct timeout *to)
{
	*to = (struct timeout){.forever = true};
}

/* sec and nsec as Linux checks them (timespec64_valid): -EINVAL when either
 * is negative or nsec reaches a second.  Rounded up to whole ticks. */
static int timeout_set(struct timeout *to, int64_t sec, int64_t nsec)
{
	if (sec < 0 || nsec < 0 || nsec >= NS_PER_S)
		return -LINUX_EINVAL;
	int64_t ticks = sec > MAX_TICKS / PIT_HZ
				? MAX_TICKS
				: sec * PIT_HZ + ((uint32_t)nsec + NS_PER_TICK - 1) / NS_PER_TICK;
	if (ticks > MAX_TICKS) /* the last whole second's rounding */
		ticks = MAX_TICKS;
	*to = (struct timeout){.start = pit_ticks(), .ticks = (uint32_t)ticks};
	return 0;
}

static bool timeout_over(const struct timeout *to)
{
	return !to->forever && pit_ticks() - to->start >= to->ticks;
}

/* The time left, as Linux writes it back into select's and pselect6's
 * argument. */
static void timeout_left(const struct timeout *to, int64_t *sec, int64_t *nsec)
{
	uint32_t spent = pit_ticks() - to->start;
	uint32_t left = spent >= to->ticks ? 0 : to->ticks - spent;
	*sec = left / PIT_HZ;
	*nsec = (int64_t)(left % PIT_HZ) * NS_PER_TICK;
}

/* Calls scan(ctx) until it finds something ready (its count), the timeout
 * passes (0) or a signal comes (-EINTR). */
static int32_t wait_ready(int32_t (*scan)(void *ctx), void *ctx, const struct timeout *to)
{
	struct proc *self = sched_current();
	for (;;) {
		int32_t n = scan(ctx);
		if (n || timeout_over(to))
			return n;
		if (!self || proc_signal_pending(self))
			return -LINUX_EINTR;
		self->wake_tick = to->forever ? pit_ticks() + FOREVER_TICKS : to->start + to->ticks;
		sched_sleep(sched_chan_poll);
	}
}

/* ppoll's and pselect6's signal mask for the length of the wait: read and
 * put in place (sigmask 0: none).  0, -EINVAL (a size other than 8) or
 * -EFAULT. */
static int wait_mask_begin(uint32_t user_mask, uint32_t size)
{
	if (!user_mask)
		return 0;
	if (size != SIGSET_BYTES)
		return -LINUX_EINVAL;
	uint64_t mask;
	if (copy_from_user(&mask, (const void *)(uintptr_t)user_mask, sizeof(mask)))
		return -LINUX_EFAULT;
	signal_wait_mask(sched_current(), mask);
	return 0;
}

static void wait_mask_end(uint32_t user_mask, int32_t rc)
{
	if (user_mask)
		signal_wait_done(sched_current(), rc == -LINUX_EINTR);
}

/* ---- poll ---------------------------------------------------------------- */

struct poll_set {
	struct linux_pollfd *fds;
	uint32_t n;
};

static uint32_t poll_one(int32_t fd, uint32_t events)
{
	if (fd < 0)
		return 0;
	struct file *f = fd_get(current_files(), fd);
	if (!f)
		return LINUX_POLLNVAL;
	return file_ready(f) & (events | POLL_ALWAYS);
}

static int32_t poll_scan(void *ctx)
{
	struct poll_set *s = ctx;
	int32_t ready = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		s->fds[i].revents = (int16_t)poll_one(s->fds[i].fd, (uint16_t)s->fds[i].events);
		if (s->fds[i].revents)
			ready++;
	}
	return ready;
}

static int32_t do_poll(uint32_t ufds, uint32_t nfds, const struct timeout *to)
{
	if (nfds > FD_MAX) /* RLIMIT_NOFILE */
		return -LINUX_EINVAL;
	uint32_t bytes = nfds * sizeof(struct linux_pollfd);
	struct poll_set s = {kmalloc(bytes ? bytes : 1), nfds};
	if (!s.fds)
		return -LINUX_ENOMEM;
	int32_t rc = copy_from_user(s.fds, (const void *)(uintptr_t)ufds, bytes);
	if (!rc)
		rc = wait_ready(poll_scan, &s, to);
	if (rc >= 0 && copy_to_user((void *)(uintptr_t)ufds, s.fds, bytes))
		rc = -LINUX_EFAULT;
	kfree(s.fds);
	return rc;
}

/* timeout in milliseconds; negative: none. */
int32_t sys_poll(struct trap_frame *fr)
{
	int32_t ms = (int32_t)SYSCALL_ARG3(fr);
	struct timeout to;
	if (ms < 0)
		timeout_none(&to);
	else
		timeout_set(&to, ms / 1000, (int64_t)(ms % 1000) * 1000000);
	return do_poll(SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), &to);
}

/* A user timespec (32- or 64-bit) as a timeout; user 0: none. */
static int timeout_from_timespec(uint32_t user_ts, bool time64, struct timeout *to)
{
	if (!user_ts) {
		timeout_none(to);
		return 0;
	}
	int64_t sec, nsec;
	if (time64) {
		struct linux_timespec64 ts;
		if (copy_from_user(&ts, (const void *)(uintptr_t)user_ts, sizeof(ts)))
			return -LINUX_EFAULT;
		sec = ts.tv_sec;
		nsec = (int32_t)ts.tv_nsec; /* a 32-bit caller's upper half is ignored */
	} else {
		struct linux_timespec32 ts;
		if (copy_from_user(&ts, (const void *)(uintptr_t)user_ts, sizeof(ts)))
			return -LINUX_EFAULT;
		sec = ts.tv_sec;
		nsec = ts.tv_nsec;
	}
	return timeout_set(to, sec, nsec);
}

/* What is left of the timeout, written back as Linux does for ppoll,
 * select and pselect6 (not when it was zero; a failed write is ignored,
 * the wait having happened). */
enum time_kind { TIMEVAL32, TIMESPEC32, TIMESPEC64 };

static void timeout_write_back(uint32_t user_t, enum time_kind kind, const struct timeout *to)
{
	if (!user_t || to->forever || to->ticks == 0)
		return;
	int64_t sec, nsec;
	timeout_left(to, &sec, &nsec);
	if (kind == TIMESPEC64) {
		struct linux_timespec64 ts = {.tv_sec = sec, .tv_nsec = nsec};
		copy_to_user((void *)(uintptr_t)user_t, &ts, sizeof(ts));
	} else if (kind == TIMESPEC32) {
		struct linux_timespec32 ts = {(int32_t)sec, (int32_t)nsec};
		copy_to_user((void *)(uintptr_t)user_t, &ts, sizeof(ts));
	} else {
		struct linux_timeval32 tv = {(int32_t)sec, (int32_t)nsec / 1000};
		copy_to_user((void *)(uintptr_t)user_t, &tv, sizeof(tv));
	}
}

static int32_t do_ppoll(struct trap_frame *fr, bool time64)
{
	uint32_t user_ts = SYSCALL_ARG3(fr), user_mask = SYSCALL_ARG4(fr);
	struct timeout to;
	int32_t rc = timeout_from_timespec(user_ts, time64, &to);
	if (rc)
		return rc;
	if ((rc = wait_mask_begin(user_mask, SYSCALL_ARG5(fr))))
		return rc;
	rc = do_poll(SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), &to);
	wait_mask_end(user_mask, rc);
	timeout_write_back(user_ts, time64 ? TIMESPEC64 : TIMESPEC32, &to);
	return rc;
}

int32_t sys_ppoll(struct trap_frame *fr)
{
	return do_ppoll(fr, false);
}

int32_t sys_ppoll_time64(struct trap_frame *fr)
{
	return do_ppoll(fr, true);
}

/* ---- select ---------------------------------------------------------------- */

/* The three sets as the caller gave them, and the ready ones found. */
struct select_set {
	uint32_t n;
	uint32_t in[FD_WORDS], out[FD_WORDS], ex[FD_WORDS];
	uint32_t rin[FD_WORDS], rout[FD_WORDS], rex[FD_WORDS];
};

static int32_t select_scan(void *ctx)
{
	struct select_set *s = ctx;
	int32_t ready = 0;
	memset(s->rin, 0, sizeof(s->rin));
	memset(s->rout, 0, sizeof(s->rout));
	memset(s->rex, 0, sizeof(s->rex));
	for (uint32_t fd = 0; fd < s->n; fd++) {
		uint32_t w = fd / 32, bit = 1u << (fd % 32);
		if (!((s->in[w] | s->out[w] | s->ex[w]) & bit))
			continue;
		struct file *f = fd_get(current_files(), (int)fd);
		uint32_t mask = f ? file_ready(f) : LINUX_POLLNVAL;
		if ((s->in[w] & bit) && (mask & SELECT_IN)) {
			s->rin[w] |= bit;
			ready++;
		}
		if ((s->out[w] & bit) && (mask & SELECT_OUT)) {
			s->rout[w] |= bit;
			ready++;
		}
		if ((s->ex[w] & bit) && (mask & SELECT_EX)) {
			s->rex[w] |= bit;
			ready++;
		}
	}
	return ready;
}

static int get_set(uint32_t user_set, uint32_t *set, uint32_t bytes)
{
	memset(set, 0, FD_WORDS * sizeof(uint32_t));
	return user_set && copy_from_user(set, (const void *)(uintptr_t)user_set, bytes)
		       ? -LINUX_EFAULT
		       : 0;
}

static int put_set(uint32_t user_set, const uint32_t *set, uint32_t bytes)
{
	return user_set && copy_to_user((void *)(uintptr_t)user_set, set, bytes) ? -LINUX_EFAULT
										 : 0;
}

/* Linux's core_sys_select: nfds is cut to the descriptors a process can
 * have; a descriptor in a set that is not open is -EBADF. */
static int32_t do_select(int32_t nfds, uint32_t uin, uint32_t uout, uint32_t uex,
			 const struct timeout *to)
{
	if (nfds < 0)
		return -LINUX_EINVAL;
	struct select_set *s = kmalloc(sizeof(*s)); /* 200 bytes: off the kernel stack */
	if (!s)
		return -LINUX_ENOMEM;
	s->n = (uint32_t)nfds > FD_MAX ? FD_MAX : (uint32_t)nfds;
	uint32_t bytes = (s->n + 31) / 32 * sizeof(uint32_t);
	int32_t rc = 0;
	if (get_set(uin, s->in, bytes) || get_set(uout, s->out, bytes) ||
	    get_set(uex, s->ex, bytes))
		rc = -LINUX_EFAULT;
	for (uint32_t fd = 0; fd < s->n && !rc; fd++) {
		uint32_t w = fd / 32, bit = 1u << (fd % 32);
		if (((s->in[w] | s->out[w] | s->ex[w]) & bit) && !fd_get(current_files(), (int)fd))
			rc = -LINUX_EBADF;
	}
	if (!rc)
		rc = wait_ready(select_scan, s, to);
	if (rc >= 0 && (put_set(uin, s->rin, bytes) || put_set(uout, s->rout, bytes) ||
			put_set(uex, s->rex, bytes)))
		rc = -LINUX_EFAULT;
	kfree(s);
	return rc;
}

/* _newselect: the timeout is a timeval, its microseconds carried into
 * seconds first as Linux does. */
int32_t sys_select(struct trap_frame *fr)
{
	uint32_t user_tv = SYSCALL_ARG5(fr);
	struct timeout to;
	timeout_none(&to);
	if (user_tv) {
		struct linux_timeval32 tv;
		if (copy_from_user(&tv, (const void *)(uintptr_t)user_tv, sizeof(tv)))
			return -LINUX_EFAULT;
		if (timeout_set(&to, (int64_t)tv.tv_sec + tv.tv_usec / (int32_t)US_PER_S,
				(int64_t)(tv.tv_usec % (int32_t)US_PER_S) * 1000))
			return -LINUX_EINVAL;
	}
	int32_t rc = do_select((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr),
			       SYSCALL_ARG4(fr), &to);
	timeout_write_back(user_tv, TIMEVAL32, &to);
	return rc;
}

/* pselect6: the sixth argument points at {sigset pointer, its size}. */
static int32_t do_pselect6(struct trap_frame *fr, bool time64)
{
	uint32_t user_ts = SYSCALL_ARG5(fr), pack = SYSCALL_ARG6(fr);
	uint32_t mask_arg[2] = {0, 0};
	if (pack && copy_from_user(mask_arg, (const void *)(uintptr_t)pack, sizeof(mask_arg)))
		return -LINUX_EFAULT;
	struct timeout to;
	int32_t rc = timeout_from_timespec(user_ts, time64, &to);
	if (rc)
		return rc;
	if ((rc = wait_mask_begin(mask_arg[0], mask_arg[1])))
		return rc;
	rc = do_select((int32_t)SYSCALL_ARG1(fr), SYSCALL_ARG2(fr), SYSCALL_ARG3(fr),
		       SYSCALL_ARG4(fr), &to);
	wait_mask_end(mask_arg[0], rc);
	timeout_write_back(user_ts, time64 ? TIMESPEC64 : TIMESPEC32, &to);
	return rc;
}

int32_t sys_pselect6(struct trap_frame *fr)
{
	return do_pselect6(fr, false);
}

int32_t sys_pselect6_time64(struct trap_frame *fr)
{
	return do_pselect6(fr, true);
}
