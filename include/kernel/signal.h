/* Signals as Linux i386 has them: per-process actions, a blocked mask and a
 * pending set; delivery on the way back to ring 3, either by the default
 * action (terminate, or ignore) or by calling the handler on the user stack
 * with the frame Linux builds (struct sigframe, or struct rt_sigframe for
 * SA_SIGINFO), which sigreturn / rt_sigreturn take apart again.
 *
 * Handlers with SA_ONSTACK run on the sigaltstack stack when one is set.
 *
 * A fault of ring-3 code raises its signal as Linux's force_sig_fault does
 * (signal_force_fault): the program's handler gets it with the fault's
 * si_code and si_addr, and only a fault signal that cannot be delivered
 * ends the process, with the kernel's note saying why.
 *
 * Not done yet: queued real-time signals (one of each is pending at most). */
#ifndef KERNEL_SIGNAL_H
#define KERNEL_SIGNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/trap.h"

struct proc;

/* A signal raised by the process's own instruction (a fault), and the
 * note the kernel prints should the process die of it:
 *   toyix: pid N (NAME): SIGSEGV at 0xWHERE: REASON */
struct signal_fault {
	int sig;	    /* 0: none pending */
	int32_t code;	    /* si_code: SEGV_MAPERR, FPE_INTDIV, SI_KERNEL... */
	uint32_t addr;	    /* si_addr */
	uint32_t where;	    /* the note's address: CR2, or the instruction */
	const char *reason; /* a string literal */
};

/* Makes sig pending for p, sent by pid sender (0: the kernel).  SIGKILL is
 * death at once; a signal p ignores is dropped unless p blocks it.  A
 * sleeping p that does not block sig is woken.  sig is 1..64; 0 sends
 * nothing.  0, or -EINVAL. */
int signal_send(struct proc *p, int sig, int32_t sender);

/* Raises fault for the running process, whose ring-3 frame is f, for the
 * return to ring 3: a handler runs there, as for any signal.  As on Linux,
 * a fault signal the process blocks or ignores gets its default action back
 * and is unblocked, so it kills; SIGKILL (no memory for the fault) kills
 * at once.  A frame from ring 0 is a kernel bug: panic. */
void signal_force_fault(struct trap_frame *f, const struct signal_fault *fault);

/* kill(2): pid > 0 one process, 0 the caller's group, -1 every process but
 * PID 1 and the caller, < -1 group -pid.  0, -EINVAL, -ESRCH. */
int32_t signal_kill(int32_t pid, int sig);

/* The return to ring 3 of the running process: the first pending signal
 * it does not block is acted on, a fault's (SIGSEGV, SIGBUS, SIGILL,
 * SIGTRAP, SIGFPE) before the others, as on Linux (this may not return:
 * death).  When the handler's frame does not fit on its stack, the process
 * gets SIGSEGV instead, and dies of it when that was SIGSEGV's frame. */
void signal_deliver(struct trap_frame *f);

/* A wait under a mask of its own (rt_sigsuspend, pselect6, ppoll): p's
 * mask becomes mask (SIGKILL and SIGSTOP stay unblocked) until
 * signal_wait_done.  When the wait ended by a signal (interrupted), the old
 * mask comes back on the return to ring 3, after that signal's handler has
 * run with the wait's mask, as on Linux; otherwise at once. */
void signal_wait_mask(struct proc *p, uint64_t mask);
void signal_wait_done(struct proc *p, bool interrupted);

/* Whether p blocks sig or ignores it by SIG_IGN: what the terminal's job
 * control asks before it sends SIGTTIN or SIGTTOU. */
bool signal_refused(const struct proc *p, int sig);
/* Whether p's process group is orphaned: no member has a parent in
 * another group of the same session.  Such a group has nobody to continue
 * it, so the terminal's stop signals do not stop it (POSIX). */
bool signal_group_orphaned(const struct proc *p);
/* POSIX's rule for stopped jobs nobody could continue, at p's exit before
 * its children go to PID 1: a group p's exit leaves orphaned (p's own, when
 * p tied it to its session, or a child's, when p did) that has a stopped
 * member gets SIGHUP, then SIGCONT (Linux's kill_orphaned_pgrp). */
void signal_exit_orphans(const struct proc *p);

/* fork: the child gets the parent's actions and mask, nothing pending. */
void signal_fork(struct proc *child, const struct proc *parent);
/* execve: handlers go back to the default (ignored signals stay ignored);
 * mask and pending signals stay. */
void signal_exec(struct proc *p);
/* A child's exit: SIGCHLD to its parent.  Whether nobody will wait for the
 * child (the parent ignores SIGCHLD or set SA_NOCLDWAIT), so the kernel
 * reaps it. */
bool signal_child_exited(struct proc *child);

#endif
