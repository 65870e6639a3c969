/* System calls about processes: exit, ids, yield, wait. */
#include <stddef.h>

#include "uapi/linux_abi.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "lib/string.h"
#include "mm/uaccess.h"

#define RUSAGE_SIZE	    72u /* struct rusage on i386 */
#define ROBUST_LIST_HEAD_SZ 12u /* struct robust_list_head on i386 */
#define WAIT_OPTIONS                                                                               \
	(LINUX_WNOHANG | LINUX_WUNTRACED | LINUX_WCONTINUED | LINUX_WNOTHREAD | LINUX_WALL |       \
	 LINUX_WCLONE)

/* One thread a process, so ending the thread ends the process. */
int32_t sys_exit(struct trap_frame *f)
{
	proc_exit(LINUX_W_EXITCODE(SYSCALL_ARG1(f)));
}

int32_t sys_exit_group(struct trap_frame *f)
{
	proc_exit(LINUX_W_EXITCODE(SYSCALL_ARG1(f)));
}

int32_t sys_getpid(struct trap_frame *f)
{
	(void)f;
	return sched_current()->pid;
}

/* The kernel's children (and PID 1) see 0, as Linux's init does. */
int32_t sys_getppid(struct trap_frame *f)
{
	(void)f;
	const struct proc *parent = sched_current()->parent;
	return parent ? parent->pid : 0;
}

int32_t sys_gettid(struct trap_frame *f)
{
	(void)f;
	return sched_current()->pid;
}

int32_t sys_sched_yield(struct trap_frame *f)
{
	(void)f;
	sched_yield();
	return 0;
}

/* Every process runs as root: uid, gid, euid and egid are all 0. */
int32_t sys_getuid(struct trap_frame *f)
{
	(void)f;
	return 0;
}

static int32_t wait_common(int32_t pid, uint32_t user_status, uint32_t options, uint32_t rusage)
{
	if (options & ~(uint32_t)WAIT_OPTIONS)
		return -LINUX_EINVAL;
	if (pid == INT32_MIN)
		return -LINUX_ESRCH;
	uint32_t status = 0;
	int32_t r = proc_wait(pid, &status, options);
	if (r <= 0)
		return r;
	/* As on Linux, the child is reaped even when the status cannot be
	 * stored. */
	if (user_status && copy_to_user((void *)(uintptr_t)user_status, &status, sizeof(status)))
		return -LINUX_EFAULT;
	static const uint8_t no_usage[RUSAGE_SIZE];
	if (rusage && copy_to_user((void *)(uintptr_t)rusage, no_usage, sizeof(no_usage)))
		return -LINUX_EFAULT;
	return r;
}

int32_t sys_wait4(struct trap_frame *f)
{
	return wait_common((int32_t)SYSCALL_ARG1(f), SYSCALL_ARG2(f), SYSCALL_ARG3(f),
			   SYSCALL_ARG4(f));
}

int32_t sys_waitpid(struct trap_frame *f)
{
	return wait_common((int32_t)SYSCALL_ARG1(f), SYSCALL_ARG2(f), SYSCALL_ARG3(f), 0);
}

/* Remembered for the day threads exist (exit would clear the word and wake
 * a futex); with one thread a process nobody can wait on it. */
int32_t sys_set_tid_address(struct trap_frame *f)
{
	struct proc *p = sched_current();
	p->clear_child_tid = SYSCALL_ARG1(f);
	return p->pid;
}

/* Accepted and unused: robust futexes matter only when threads die. */
int32_t sys_set_robust_list(struct trap_frame *f)
{
	return SYSCALL_ARG2(f) == ROBUST_LIST_HEAD_SZ ? 0 : -LINUX_EINVAL;
}

/* Calls Toyix knows and leaves out on purpose (rseq: glibc goes on without
 * it): -ENOSYS, without the unknown-call line. */
int32_t sys_not_available(struct trap_frame *f)
{
	(void)f;
	return -LINUX_ENOSYS;
}

int32_t sys_kill(struct trap_frame *f)
{
	return signal_kill((int32_t)SYSCALL_ARG1(f), (int)SYSCALL_ARG2(f));
}

/* One thread a process: a thread id is its pid. */
static int32_t kill_thread(int32_t tid, uint32_t sig)
{
	if (sig > LINUX_NSIG)
		return -LINUX_EINVAL;
	struct proc *p = proc_find(tid);
	if (!p)
		return -LINUX_ESRCH;
	return signal_send(p, (int)sig, sched_current()->pid);
}

int32_t sys_tkill(struct trap_frame *f)
{
	if ((int32_t)SYSCALL_ARG1(f) <= 0)
		return -LINUX_EINVAL;
	return kill_thread((int32_t)SYSCALL_ARG1(f), SYSCALL_ARG2(f));
}

int32_t sys_tgkill(struct trap_frame *f)
{
	int32_t tgid = (int32_t)SYSCALL_ARG1(f), tid = (int32_t)SYSCALL_ARG2(f);
	if (tgid <= 0 || tid <= 0)
		return -LINUX_EINVAL;
	if (tgid != tid)
		return -LINUX_ESRCH;
	return kill_thread(tid, SYSCALL_ARG3(f));
}

/* ---- process groups and sessions (no job control yet) --------------------- */

static bool group_exists(int32_t pgid, int32_t sid)
{
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *p = proc_at(i);
		if (p && p->pgid == pgid && p->sid == sid)
			return true;
	}
	return false;
}

/* setpgid(pid, pgid): the caller or one of its children, into a group of
 * the same session (a new one named after the process). */
int32_t sys_setpgid(struct trap_frame *f)
{
	struct proc *self = sched_current();
	int32_t pid = (int32_t)SYSCALL_ARG1(f), pgid = (int32_t)SYSCALL_ARG2(f);
	if (pgid < 0)
		return -LINUX_EINVAL;
	if (pid < 0)
		return -LINUX_ESRCH;
	struct proc *p = pid == 0 ? self : proc_find(pid);
	if (!p || (p != self && p->parent != self))
		return -LINUX_ESRCH;
	if (pgid == 0)
		pgid = p->pid;
	if (p->sid != self->sid || p->sid == p->pid)
		return -LINUX_EPERM; /* another session, or a session leader */
	if (pgid != p->pid && !group_exists(pgid, self->sid))
		return -LINUX_EPERM;
	p->pgid = pgid;
	return 0;
}

int32_t sys_getpgid(struct trap_frame *f)
{
	int32_t pid = (int32_t)SYSCALL_ARG1(f);
	if (pid < 0)
		return -LINUX_ESRCH;
	const struct proc *p = pid == 0 ? sched_current() : proc_find(pid);
	return p ? p->pgid : -LINUX_ESRCH;
}

int32_t sys_getpgrp(struct trap_frame *f)
{
	(void)f;
	return sched_current()->pgid;
}

/* A new session and group led by the caller; a group leader cannot. */
int32_t sys_setsid(struct trap_frame *f)
{
	(void)f;
	struct proc *self = sched_current();
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *p = proc_at(i);
		if (p && p->pgid == self->pid)
			return -LINUX_EPERM;
	}
	self->pgid = self->sid = self->pid;
	return self->pid;
}

int32_t sys_umask(struct trap_frame *f)
{
	struct proc *self = sched_current();
	uint32_t old = self->umask;
	self->umask = SYSCALL_ARG1(f) & 0777u;
	return (int32_t)old;
}

#define PR_SET_NAME 15 /* Linux's prctl options */
#define PR_GET_NAME 16

/* prctl: the process name (what ps shows) is all Toyix keeps; it is cut to
 * 15 characters and a NUL, like Linux's comm. */
int32_t sys_prctl(struct trap_frame *f)
{
	struct proc *p = sched_current();
	uint32_t user_name = SYSCALL_ARG2(f);
	char name[PROC_NAME_LEN];
	switch (SYSCALL_ARG1(f)) {
	case PR_SET_NAME: {
		int len = strncpy_from_user(name, (const char *)(uintptr_t)user_name, sizeof(name));
		if (len == -LINUX_EFAULT)
			return -LINUX_EFAULT;
		name[sizeof(name) - 1] = '\0'; /* a longer name is cut, not refused */
		if (p)
			memcpy(p->name, name, sizeof(name));
		return 0;
	}
	case PR_GET_NAME:
		memset(name, 0, sizeof(name));
		if (p)
			memcpy(name, p->name, sizeof(name));
		return copy_to_user((void *)(uintptr_t)user_name, name, sizeof(name));
	default: return -LINUX_EINVAL;
	}
}

/* ---- groups, CPUs and priorities ---------------------------------------------- */

/* Every process runs as root with no supplementary groups. */
int32_t sys_getgroups32(struct trap_frame *f)
{
	return (int32_t)SYSCALL_ARG1(f) < 0 ? -LINUX_EINVAL : 0;
}

static struct proc *process_or_self(int32_t pid)
{
	return pid == 0 ? sched_current() : proc_find(pid);
}

/* One CPU: CPU 0 in the mask, whose size is one 32-bit word.  The bytes
 * written, as Linux returns. */
int32_t sys_sched_getaffinity(struct trap_frame *f)
{
	int32_t pid = (int32_t)SYSCALL_ARG1(f);
	uint32_t len = SYSCALL_ARG2(f);
	if (len < sizeof(uint32_t) || (len & (sizeof(uint32_t) - 1)))
		return -LINUX_EINVAL;
	if (pid < 0)
		return -LINUX_ESRCH;
	if (!process_or_self(pid))
		return -LINUX_ESRCH;
	uint32_t mask = 1;
	if (copy_to_user((void *)(uintptr_t)SYSCALL_ARG3(f), &mask, sizeof(mask)))
		return -LINUX_EFAULT;
	return sizeof(mask);
}

#define PRIO_PROCESS 0
#define PRIO_PGRP    1
#define PRIO_USER    2
#define NICE_MIN     (-20)
#define NICE_MAX     19

/* The processes a priority call names (which, who), one at a time: the
 * next after *i, or NULL. */
static struct proc *prio_next(uint32_t which, int32_t who, uint32_t *i)
{
	struct proc *self = sched_current();
	for (; *i < PROC_MAX; (*i)++) {
		struct proc *p = proc_at(*i);
		if (!p || p->state == PROC_ZOMBIE)
			continue;
		bool match = which == PRIO_PROCESS ? p->pid == (who ? who : self->pid)
			     : which == PRIO_PGRP  ? p->pgid == (who ? who : self->pgid)
						   : who == 0; /* every process is uid 0 */
		if (match) {
			(*i)++;
			return p;
		}
	}
	return NULL;
}

/* getpriority: 20 - nice of the nicest process named (the raw call's
 * form, which the C library turns back into a nice value). */
int32_t sys_getpriority(struct trap_frame *f)
{
	uint32_t which = SYSCALL_ARG1(f), i = 0;
	if (which > PRIO_USER)
		return -LINUX_EINVAL;
	int32_t best = -1;
	for (struct proc *p; (p = prio_next(which, (int32_t)SYSCALL_ARG2(f), &i));)
		if (20 - p->nice > best)
			best = 20 - p->nice;
	return best < 0 ? -LINUX_ESRCH : best;
}

/* setpriority: kept and reported; the scheduler does not weigh it yet. */
int32_t sys_setpriority(struct trap_frame *f)
{
	uint32_t which = SYSCALL_ARG1(f), i = 0;
	int32_t nice = (int32_t)SYSCALL_ARG3(f);
	if (which > PRIO_USER)
		return -LINUX_EINVAL;
	nice = nice < NICE_MIN ? NICE_MIN : nice > NICE_MAX ? NICE_MAX : nice;
	bool found = false;
	for (struct proc *p; (p = prio_next(which, (int32_t)SYSCALL_ARG2(f), &i));) {
		p->nice = nice;
		found = true;
	}
	return found ? 0 : -LINUX_ESRCH;
}
