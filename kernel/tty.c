/* The console for processes (include/kernel/tty.h): one terminal, fed by
 * the keyboard and COM1, whose line discipline (kernel/tty_ldisc.c) does
 * what a Linux terminal does with typed bytes under the termios settings
 * programs set with TCSETS.  It belongs to at most one session (TIOCSCTTY),
 * whose foreground process group (TIOCSPGRP) gets the signals of VINTR,
 * VQUIT and VSUSP.  The console is an open file like any other
 * (tty_open_console), so fds 0, 1 and 2 reach it through the descriptor
 * table. */
#include "kernel/tty.h"

#include <stdarg.h>
#include <stdbool.h>

#include "arch/pit.h"
#include "drivers/console.h"
#include "drivers/input.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/tty_ldisc.h"
#include "kernel/vfs.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "uapi/linux_abi.h"

#define CHUNK		256u /* bytes a write copies in per step, on the kernel stack */
#define CONSOLE_MODE	(LINUX_S_IFCHR | 0620u)
#define CONSOLE_RDEV	((5u << 8) | 1u) /* /dev/console: major 5, minor 1 */
#define CONSOLE_ROWS	25u
#define CONSOLE_COLS	80u
#define TICKS_PER_VTIME (PIT_HZ / 10u) /* VTIME counts tenths of a second */

static bool mid_line; /* the last byte out was not a newline */
static struct tty_ldisc ldisc;
static bool ldisc_ready;
static bool owns_console;	 /* every typed byte is the terminal's, none the monitor's */
static int32_t session, fg_pgrp; /* 0: no controlling session */
static struct linux_winsize winsize = {CONSOLE_ROWS, CONSOLE_COLS, 0, 0};
static char read_buf[TTY_LDISC_BUF]; /* a read's bytes on their way out */

void tty_write(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(buf[i]);
	if (n)
		mid_line = buf[n - 1] != '\n';
}

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	console_putc(c);
}

void kernel_note(const char *fmt, ...)
{
	if (mid_line)
		console_putc('\n');
	mid_line = false;
	console_write(KERNEL_NOTE_PREFIX);
	va_list ap;
	va_start(ap, fmt);
	format_va(console_sink, NULL, fmt, ap);
	va_end(ap);
	console_putc('\n');
}

static void echo(const char *s, size_t len, void *ctx)
{
	(void)ctx;
	tty_write(s, len);
}

/* The session ends with its leader: then the terminal is nobody's, as on
 * Linux once the leader exits. */
static bool session_alive(void)
{
	if (!session)
		return false;
	struct proc *leader = proc_find(session);
	if (leader && leader->state != PROC_ZOMBIE && leader->sid == session)
		return true;
	session = fg_pgrp = 0;
	return false;
}

/* The session leader lets the terminal go, by TIOCNOTTY or by its exit:
 * the foreground group gets SIGHUP, and SIGCONT unless the leader exited
 * (Linux's disassociate_ctty and, on exit, the hangup of
 * tty_signal_session_leader). */
static void let_go(bool leader_exits)
{
	if (fg_pgrp) {
		signal_kill(-fg_pgrp, LINUX_SIGHUP);
		if (!leader_exits)
			signal_kill(-fg_pgrp, LINUX_SIGCONT);
	}
	session = fg_pgrp = 0;
}

void tty_proc_exit(const struct proc *p)
{
	if (session && p->pid == session)
		let_go(true);
}

static void signal_foreground(int sig, void *ctx)
{
	(void)ctx;
	if (!session_alive() || !fg_pgrp)
		return;
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct proc *p = proc_at(i);
		if (p && p->state != PROC_ZOMBIE && p->pgid == fg_pgrp)
			signal_send(p, sig, 0);
	}
}

static struct tty_ldisc *ld(void)
{
	if (!ldisc_ready) {
		tty_ldisc_init(&ldisc, echo, signal_foreground, NULL);
		ldisc_ready = true;
	}
	return &ldisc;
}

void tty_receive(char c)
{
	if (tty_ldisc_receive(ld(), c)) {
		sched_wakeup(sched_chan_input);
		sched_wakeup(sched_chan_poll);
	}
}

void tty_take_input(void)
{
	struct input_event ev;
	while (input_pop(&ev))
		tty_receive(ev.c);
}

void tty_own_console(bool own)
{
	owns_console = own;
}

bool tty_owns_console(void)
{
	return owns_console;
}

/* VMIN and VTIME in raw mode: with VTIME, a read gives up VTIME tenths of
 * a second after the last byte came (after it began, with VMIN 0). */
static bool read_timed_out(const struct tty_ldisc *l, uint32_t *since, uint32_t *seen)
{
	if (l->termios.c_lflag & LINUX_ICANON)
		return false;
	uint8_t vmin = l->termios.c_cc[LINUX_VMIN], vtime = l->termios.c_cc[LINUX_VTIME];
	if (!vtime)
		return vmin == 0; /* VMIN 0, VTIME 0: never waits */
	if (l->len != *seen) {
		*seen = l->len;
		*since = pit_ticks();
	}
	if (vmin && l->len == 0)
		return false; /* the timer starts with the first byte */
	return pit_ticks() - *since >= vtime * TICKS_PER_VTIME;
}

static long tty_do_read(uint32_t user_buf, uint32_t count, bool nonblock)
{
	if (count == 0)
		return 0;
	struct tty_ldisc *l = ld();
	uint32_t since = pit_ticks(), seen = 0;
	for (;;) {
		tty_take_input();
		if (tty_ldisc_read_ready(l, count) || read_timed_out(l, &since, &seen))
			break;
		if (nonblock)
			return -LINUX_EAGAIN;
		struct proc *self = sched_current();
		if (!self || proc_signal_pending(self))
			return -LINUX_EINTR;
		if (l->termios.c_cc[LINUX_VTIME] && !(l->termios.c_lflag & LINUX_ICANON)) {
			self->wake_tick = pit_ticks() + 1;
			sched_sleep(sched_chan_timer);
		} else {
			sched_sleep(sched_chan_input);
		}
	}
	uint32_t n =
		tty_ldisc_read(l, read_buf, count < sizeof(read_buf) ? count : sizeof(read_buf));
	if (n && copy_to_user((void *)(uintptr_t)user_buf, read_buf, n) != 0)
		return -LINUX_EFAULT;
	return (long)n;
}

int32_t tty_read(uint32_t user_buf, uint32_t count)
{
	return (int32_t)tty_do_read(user_buf, count, false);
}

/* ---- the console as an open file ------------------------------------------ */

static long tty_file_read(struct file *f, void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)offset;
	return tty_do_read((uint32_t)(uintptr_t)user_buf, n, (f->flags & LINUX_O_NONBLOCK) != 0);
}

/* As on Linux, a fault after some bytes went out returns those bytes; a
 * fault before any is -EFAULT. */
static long tty_file_write(struct file *f, const void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)f;
	(void)offset;
	const char *src = user_buf;
	char chunk[CHUNK];
	uint32_t done = 0;
	while (done < n) {
		uint32_t len = n - done < CHUNK ? n - done : CHUNK;
		if (copy_from_user(chunk, src + done, len) != 0)
			return done ? (long)done : -LINUX_EFAULT;
		tty_write(chunk, len);
		done += len;
	}
	return (long)done;
}

/* Whether the caller's session is the one the console belongs to: the
 * job-control requests answer only there (-ENOTTY elsewhere, as Linux). */
static bool caller_controls(const struct proc *self)
{
	return self && session_alive() && self->sid == session;
}

static bool group_exists(int32_t pgrp)
{
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *p = proc_at(i);
		if (p && p->state != PROC_ZOMBIE && p->pgid == pgrp)
			return true;
	}
	return false;
}

static bool group_in_session(int32_t pgrp, int32_t sid)
{
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *p = proc_at(i);
		if (p && p->state != PROC_ZOMBIE && p->pgid == pgrp && p->sid == sid)
			return true;
	}
	return false;
}

/* TIOCSCTTY: a session leader without a terminal takes this one, unless
 * another live session has it (arg 1, root's steal, takes it anyway). */
static long set_controlling(struct proc *self, uint32_t arg)
{
	if (self && session_alive() && session == self->sid && self->sid == self->pid)
		return 0; /* its own already: the foreground group stays */
	if (!self || self->sid != self->pid)
		return -LINUX_EPERM;
	if (session_alive() && session != self->sid && arg != 1)
		return -LINUX_EPERM;
	session = self->sid;
	fg_pgrp = self->pgid;
	return 0;
}

/* A change to the terminal (TCSETS*, TCFLSH, TCSBRK, TCXONC, TIOCSPGRP) by
 * a process of its session outside the foreground group (Linux's
 * tty_check_change): the caller's group gets
 * SIGTTOU and the call -EINTR, so it runs again once the group is
 * continued; a caller that blocks or ignores SIGTTOU goes ahead, one in an
 * orphaned group gets -EIO.  Reads are not checked, as Linux does not check
 * them on /dev/console, the one terminal Toyix has. */
static long check_change(void)
{
	struct proc *self = sched_current();
	if (!caller_controls(self) || !fg_pgrp || self->pgid == fg_pgrp ||
	    signal_refused(self, LINUX_SIGTTOU))
		return 0;
	if (signal_group_orphaned(self))
		return -LINUX_EIO;
	signal_kill(-self->pgid, LINUX_SIGTTOU);
	return -LINUX_EINTR;
}

static long job_control_ioctl(uint32_t cmd, void *user, uint32_t arg)
{
	struct proc *self = sched_current();
	switch (cmd) {
	case LINUX_TIOCSCTTY: return set_controlling(self, arg);
	case LINUX_TIOCNOTTY:
		if (!caller_controls(self))
			return -LINUX_ENOTTY;
		if (self->pid == session)
			let_go(false);
		return 0;
	case LINUX_TIOCGPGRP:
	case LINUX_TIOCGSID: {
		if (!caller_controls(self))
			return -LINUX_ENOTTY;
		int32_t v = cmd == LINUX_TIOCGPGRP ? fg_pgrp : session;
		return copy_to_user(user, &v, sizeof(v));
	}
	case LINUX_TIOCSPGRP: { /* Linux's order of checks and errors */
		long rc = check_change();
		if (rc)
			return rc == -LINUX_EIO ? -LINUX_ENOTTY : rc;
		int32_t pgrp;
		if (!caller_controls(self))
			return -LINUX_ENOTTY;
		if (copy_from_user(&pgrp, user, sizeof(pgrp)))
			return -LINUX_EFAULT;
		if (pgrp < 0)
			return -LINUX_EINVAL;
		if (!group_exists(pgrp))
			return -LINUX_ESRCH;
		if (!group_in_session(pgrp, session))
			return -LINUX_EPERM;
		fg_pgrp = pgrp;
		return 0;
	}
	default: return -LINUX_ENOTTY;
	}
}

static long tty_file_ioctl(struct file *f, uint32_t cmd, uint32_t arg)
{
	(void)f;
	void *user = (void *)(uintptr_t)arg;
	struct tty_ldisc *l = ld();
	switch (cmd) {
	case LINUX_TCGETS: return copy_to_user(user, &l->termios, sizeof(l->termios));
	case LINUX_TCSETS:
	case LINUX_TCSETSW:
	case LINUX_TCSETSF: {
		long rc = check_change();
		if (rc)
			return rc;
		struct linux_termios t;
		if (copy_from_user(&t, user, sizeof(t)))
			return -LINUX_EFAULT;
		tty_take_input(); /* what was typed before the change is read the old way */
		tty_ldisc_set_termios(l, &t, cmd == LINUX_TCSETSF);
		/* Leaving canonical mode can make a partly typed line readable. */
		sched_wakeup(sched_chan_input);
		sched_wakeup(sched_chan_poll);
		return 0;
	}
	case LINUX_TIOCGWINSZ: return copy_to_user(user, &winsize, sizeof(winsize));
	case LINUX_TIOCSWINSZ: return copy_from_user(&winsize, user, sizeof(winsize));
	case LINUX_FIONREAD: {
		tty_take_input();
		int32_t n = (int32_t)tty_ldisc_readable(l);
		return copy_to_user(user, &n, sizeof(n));
	}
	case LINUX_TIOCOUTQ: {
		int32_t n = 0; /* output goes out at once */
		return copy_to_user(user, &n, sizeof(n));
	}
	case LINUX_TCFLSH: {
		long rc = check_change();
		if (rc)
			return rc;
		if (arg > LINUX_TCIOFLUSH)
			return -LINUX_EINVAL;
		if (arg != 1) { /* TCIFLUSH or TCIOFLUSH; TCOFLUSH has nothing to drop */
			tty_take_input();
			tty_ldisc_flush(l);
		}
		return 0;
	}
	case LINUX_TCSBRK:
	case LINUX_TCXONC: return check_change(); /* output is never held back */
	default: return job_control_ioctl(cmd, user, arg);
	}
}

static void tty_file_stat(struct file *f, struct linux_stat64 *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = CONSOLE_MODE;
	st->st_nlink = 1;
	st->st_rdev = CONSOLE_RDEV;
	st->st_blksize = CHUNK;
}

/* Readable when a read would not wait.  While the monitor has the console
 * a process takes input only when it asks for it, so typed bytes still in
 * the queue count as readable without being taken. */
static uint32_t tty_file_poll(struct file *f)
{
	(void)f;
	if (owns_console)
		tty_take_input();
	bool in = tty_ldisc_readable(ld()) > 0 || (!owns_console && input_pending());
	return (in ? LINUX_POLLIN | LINUX_POLLRDNORM : 0) | LINUX_POLLOUT | LINUX_POLLWRNORM;
}

const struct file_ops tty_console_ops = {
	.poll = tty_file_poll,
	.read = tty_file_read,
	.write = tty_file_write,
	.ioctl = tty_file_ioctl,
	.stat = tty_file_stat,
};

struct file *tty_open_console(void)
{
	return file_alloc(&tty_console_ops, NULL, LINUX_O_RDWR);
}
