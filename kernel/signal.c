/* Signals: sending, delivery on the return to ring 3, handler frames on the
 * user stack and their undoing by sigreturn (include/kernel/signal.h), and
 * the system calls that set actions and masks. */
#include "kernel/signal.h"

#include <stddef.h>

#include "arch/cpu.h"
#include "arch/fpu.h"
#include "arch/gdt.h"
#include "arch/pit.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/tty.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "uapi/linux_abi.h"

#define SIG_BIT(sig)	 (1ull << ((sig)-1))
#define UNBLOCKABLE	 (SIG_BIT(LINUX_SIGKILL) | SIG_BIT(LINUX_SIGSTOP))
#define SIGSET_SIZE	 8u /* rt_sig*'s sigsetsize: 64 signals */
#define FP_AREA_ALIGN	 64u
#define INSN_INT80_BYTES 2u /* int $0x80, backed over to restart a call */
#define NS_PER_S	 1000000000u
#define NS_PER_TICK	 (NS_PER_S / PIT_HZ)
#define TICKS_MAX	 0x7FFFFFFFu
/* The signals an instruction of the process raises itself: Linux delivers
 * them before any other, so the handler sees the faulting registers. */
#define SYNCHRONOUS                                                                                \
	(SIG_BIT(LINUX_SIGSEGV) | SIG_BIT(LINUX_SIGBUS) | SIG_BIT(LINUX_SIGILL) |                  \
	 SIG_BIT(LINUX_SIGTRAP) | SIG_BIT(LINUX_SIGFPE) | SIG_BIT(LINUX_SIGSYS))

/* struct sigframe_ia32 of Linux: the offsets user code may rely on.  The
 * 624 unused bytes keep extramask where it always was; the x87/SSE state
 * itself follows the frame (sc.fpstate points at it), here in the
 * processor's own save format (fxsave, or fnsave on a CPU without it). */
struct sigframe {
	uint32_t pretcode;
	int32_t sig;
	struct linux_sigcontext sc;
	uint8_t fpstate_unused[624];
	uint32_t extramask;
	uint8_t retcode[8];
};

struct ucontext {
	uint32_t uc_flags, uc_link;
	uint32_t ss_sp, ss_flags, ss_size;
	struct linux_sigcontext mcontext;
	uint64_t sigmask;
};

/* struct rt_sigframe_ia32: for handlers installed with SA_SIGINFO. */
struct rt_sigframe {
	uint32_t pretcode;
	int32_t sig;
	uint32_t pinfo, puc;
	struct linux_siginfo info;
	struct ucontext uc;
	uint8_t retcode[8];
};

_Static_assert(offsetof(struct sigframe, extramask) == 720, "sigframe.extramask");
_Static_assert(sizeof(struct sigframe) == 732, "struct sigframe_ia32");
_Static_assert(offsetof(struct rt_sigframe, uc) == 144, "rt_sigframe.uc");
_Static_assert(sizeof(struct rt_sigframe) == 268, "struct rt_sigframe_ia32");

/* What Linux puts in retcode for a handler without SA_RESTORER:
 * popl %eax; movl $__NR_sigreturn, %eax; int $0x80 (and the rt form
 * movl $__NR_rt_sigreturn, %eax; int $0x80).  glibc always passes its own
 * restorer; the bytes are there for programs that do not. */
static const uint8_t retcode[8] = {0x58, 0xb8, LINUX_NR_sigreturn, 0, 0, 0, 0xcd, 0x80};
static const uint8_t rt_retcode[8] = {0xb8, LINUX_NR_rt_sigreturn, 0, 0, 0, 0xcd, 0x80, 0};

static bool valid_signal(int sig)
{
	return sig >= 1 && sig <= LINUX_NSIG;
}

#define STOP_SIGNALS                                                                               \
	(SIG_BIT(LINUX_SIGSTOP) | SIG_BIT(LINUX_SIGTSTP) | SIG_BIT(LINUX_SIGTTIN) |                \
	 SIG_BIT(LINUX_SIGTTOU))

/* Signals whose default action is to do nothing (SIGCONT's work is done
 * when it is sent, whatever its action). */
static bool default_ignored(int sig)
{
	switch (sig) {
	case LINUX_SIGCHLD:
	case LINUX_SIGCONT:
	case LINUX_SIGURG:
	case LINUX_SIGWINCH: return true;
	default: return false;
	}
}

static bool is_stop_signal(int sig)
{
	return STOP_SIGNALS & SIG_BIT(sig);
}

static bool ignored(const struct proc *p, int sig)
{
	uint32_t h = p->sig_action[sig - 1].handler;
	return h == LINUX_SIG_IGN || (h == LINUX_SIG_DFL && default_ignored(sig));
}

/* SIGCHLD to p's parent for a stop or a continue (unless it asked not to
 * hear of them with SA_NOCLDSTOP), and a wake-up for its wait. */
static void notify_parent(struct proc *p, int32_t code, int sig)
{
	struct proc *parent = p->parent;
	if (!parent)
		return;
	if (!(parent->sig_action[LINUX_SIGCHLD - 1].flags & LINUX_SA_NOCLDSTOP)) {
		signal_send(parent, LINUX_SIGCHLD, p->pid);
		parent->chld_code = code;
		parent->chld_status = sig;
	}
	sched_wakeup(parent);
}

/* SIGCONT's effect, which happens as it is sent: a stopped p runs again,
 * and stop signals still pending are dropped. */
static void continue_process(struct proc *p)
{
	p->sig_pending &= ~STOP_SIGNALS;
	if (!p->stopped)
		return;
	p->stopped = false;
	p->wait_report = LINUX_W_CONTINUED;
	notify_parent(p, LINUX_CLD_CONTINUED, LINUX_SIGCONT);
	sched_wakeup(&p->stopped);
}

int signal_send(struct proc *p, int sig, int32_t sender)
{
	if (!p || sig < 0 || sig > LINUX_NSIG)
		return -LINUX_EINVAL;
	if (sig == 0 || p->state == PROC_ZOMBIE)
		return 0;
	if (sig == LINUX_SIGKILL)
		return proc_kill(p->pid, sig);
	uint64_t bit = SIG_BIT(sig);
	if (sig == LINUX_SIGCONT)
		continue_process(p);
	else if (is_stop_signal(sig))
		p->sig_pending &= ~SIG_BIT(LINUX_SIGCONT);
	/* A blocked signal is kept even when ignored: the action may change
	 * before it is unblocked (as on Linux). */
	bool wanted = !(p->sig_blocked & bit) || (p->sig_waiting & bit);
	if (!(p->sig_blocked & bit) && !(p->sig_waiting & bit) && ignored(p, sig))
		return 0;
	bool was_on = irq_save();
	p->sig_pending |= bit;
	p->sig_sender[sig - 1] = sender;
	if (sig == LINUX_SIGCHLD)
		p->chld_code = 0; /* signal_child_exited says otherwise */
	if (wanted && p->state == PROC_SLEEPING)
		p->state = PROC_RUNNABLE;
	irq_restore(was_on);
	return 0;
}

int32_t signal_kill(int32_t pid, int sig)
{
	if (!valid_signal(sig) && sig != 0)
		return -LINUX_EINVAL;
	struct proc *self = sched_current();
	int32_t sender = self ? self->pid : 0;
	if (pid > 0) {
		struct proc *p = proc_find(pid);
		return p ? signal_send(p, sig, sender) : -LINUX_ESRCH;
	}
	if (pid == INT32_MIN)
		return -LINUX_ESRCH;
	int32_t group = pid == 0 ? (self ? self->pgid : 0) : -pid;
	bool found = false;
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct proc *p = proc_at(i);
		if (!p)
			continue;
		if (pid == -1 ? (p->pid == 1 || p == self) : p->pgid != group)
			continue;
		found = true;
		signal_send(p, sig, sender);
	}
	return found ? 0 : -LINUX_ESRCH;
}

void signal_fork(struct proc *child, const struct proc *parent)
{
	memcpy(child->sig_action, parent->sig_action, sizeof(child->sig_action));
	child->sig_blocked = parent->sig_blocked;
	child->sig_pending = 0;
	child->altstack_sp = parent->altstack_sp;
	child->altstack_size = parent->altstack_size;
	child->altstack_flags = parent->altstack_flags;
}

void signal_exec(struct proc *p)
{
	p->altstack_sp = p->altstack_size = p->altstack_flags = 0;
	for (int i = 0; i < LINUX_NSIG; i++) {
		struct linux_k_sigaction *a = &p->sig_action[i];
		if (a->handler != LINUX_SIG_IGN)
			*a = (struct linux_k_sigaction){0};
	}
}

bool signal_child_exited(struct proc *child)
{
	struct proc *parent = child->parent;
	if (!parent)
		return false;
	const struct linux_k_sigaction *a = &parent->sig_action[LINUX_SIGCHLD - 1];
	signal_send(parent, LINUX_SIGCHLD, child->pid);
	bool killed = (child->wstatus & 0x7Fu) != 0;
	parent->chld_code = killed ? LINUX_CLD_KILLED : LINUX_CLD_EXITED;
	parent->chld_status =
		(int32_t)(killed ? child->wstatus & 0x7Fu : (child->wstatus >> 8) & 0xFFu);
	return a->handler == LINUX_SIG_IGN || (a->flags & LINUX_SA_NOCLDWAIT);
}

/* ---- faults ---------------------------------------------------------------- */

/* Death by a fault's signal, with the note that says what happened. */
__attribute__((noreturn)) static void die_of_fault(struct proc *p, const struct signal_fault *fault)
{
	kernel_note("pid %d (%s): %s at 0x%08X: %s", p->pid, p->name, signal_name(fault->sig),
		    fault->where, fault->reason);
	proc_exit(LINUX_W_SIGNALLED(fault->sig));
}

void signal_force_fault(struct trap_frame *f, const struct signal_fault *fault)
{
	struct proc *p = sched_current();
	if (!trap_from_user(f) || !p)
		panic_on_exception(f);
	int sig = fault->sig;
	if (sig == LINUX_SIGKILL)
		die_of_fault(p, fault);
	uint64_t bit = SIG_BIT(sig);
	struct linux_k_sigaction *a = &p->sig_action[sig - 1];
	/* Linux's force_sig_info_to_task: a fault the process would never
	 * see must not run the instruction again and again. */
	if ((p->sig_blocked & bit) || a->handler == LINUX_SIG_IGN) {
		a->handler = LINUX_SIG_DFL;
		p->sig_blocked &= ~bit;
	}
	/* sigcontext.cr2 names the last page fault that raised a signal
	 * (not a SIGSEGV the kernel sends on a page fault's way out). */
	if (f->vector == VEC_PAGE_FAULT && fault->code != LINUX_SI_KERNEL)
		p->fault_cr2 = fault->addr;
	p->fault = *fault;
	p->sig_sender[sig - 1] = 0;
	p->sig_pending |= bit;
}

/* ---- delivery ------------------------------------------------------------ */

/* The siginfo of a pending signal, as a handler with SA_SIGINFO and
 * rt_sigtimedwait see it; fault says what raised it when it is sig's. */
static void fill_info(const struct proc *p, int sig, const struct signal_fault *fault,
		      struct linux_siginfo *info)
{
	memset(info, 0, sizeof(*info));
	info->si_signo = sig;
	if (fault->sig == sig) {
		info->si_code = fault->code;
		info->addr = fault->addr;
		return;
	}
	info->pid = p->sig_sender[sig - 1];
	info->si_code = info->pid ? LINUX_SI_USER : LINUX_SI_KERNEL;
	if (sig == LINUX_SIGCHLD && p->chld_code) {
		info->si_code = p->chld_code;
		info->status = p->chld_status;
	}
}

static void save_context(struct linux_sigcontext *sc, const struct trap_frame *f, uint32_t fp,
			 uint32_t oldmask, uint32_t cr2)
{
	*sc = (struct linux_sigcontext){
		.gs = (uint16_t)f->gs,
		.fs = (uint16_t)f->fs,
		.es = (uint16_t)f->es,
		.ds = (uint16_t)f->ds,
		.edi = f->edi,
		.esi = f->esi,
		.ebp = f->ebp,
		.esp = f->user_esp,
		.ebx = f->ebx,
		.edx = f->edx,
		.ecx = f->ecx,
		.eax = f->eax,
		.trapno = f->vector,
		.err = f->error_code,
		.eip = f->eip,
		.cs = (uint16_t)f->cs,
		.eflags = f->eflags,
		.esp_at_signal = f->user_esp,
		.ss = (uint16_t)f->user_ss,
		.fpstate = fp,
		.oldmask = oldmask,
		.cr2 = cr2,
	};
}

/* ---- the alternate signal stack ------------------------------------------- */

/* Whether sp is on p's alternate stack (which grows down from sp + size).
 * With SS_AUTODISARM the stack is given up while a handler runs on it, so
 * the question no longer arises, as on Linux. */
static bool on_altstack(const struct proc *p, uint32_t sp)
{
	if (p->altstack_flags & LINUX_SS_AUTODISARM)
		return false;
	return sp > p->altstack_sp && sp - p->altstack_sp <= p->altstack_size;
}

/* The ss_flags sigaltstack and a handler's ucontext report for sp. */
static int32_t altstack_state(const struct proc *p, uint32_t sp)
{
	if (!p->altstack_size)
		return LINUX_SS_DISABLE;
	return on_altstack(p, sp) ? LINUX_SS_ONSTACK : 0;
}

/* Linux's do_sigaltstack for a new stack ss, the caller's stack pointer
 * being sp: 0, -EPERM (running on the stack now), -EINVAL, -ENOMEM. */
static int32_t altstack_set(struct proc *p, const struct linux_stack *ss, uint32_t sp)
{
	if (on_altstack(p, sp))
		return -LINUX_EPERM;
	uint32_t flags = (uint32_t)ss->ss_flags, mode = flags & ~LINUX_SS_AUTODISARM;
	if (mode != LINUX_SS_DISABLE && mode != LINUX_SS_ONSTACK && mode != 0)
		return -LINUX_EINVAL;
	uint32_t base = ss->ss_sp, size = ss->ss_size;
	if (mode == LINUX_SS_DISABLE)
		base = size = 0;
	else if (size < LINUX_MINSIGSTKSZ)
		return -LINUX_ENOMEM;
	p->altstack_sp = base;
	p->altstack_size = size;
	p->altstack_flags = flags;
	return 0;
}

/* Builds the handler's frame below the interrupted stack and points the
 * registers at the handler: 0, or -EFAULT when the stack cannot take it. */
static int setup_frame(struct proc *p, struct trap_frame *f, int sig,
		       const struct linux_k_sigaction *a, const struct signal_fault *fault)
{
	/* After rt_sigsuspend the handler runs with the suspend's mask, and
	 * its return restores the mask from before the suspend. */
	uint64_t old = p->sig_restore ? p->sig_saved : p->sig_blocked;
	uint32_t sp = f->user_esp;
	/* The handler's ucontext keeps the stack as set (its flags as given),
	 * for rt_sigreturn to put back. */
	struct linux_stack interrupted = {p->altstack_sp, (int32_t)p->altstack_flags,
					  p->altstack_size};
	bool use_altstack = (a->flags & LINUX_SA_ONSTACK) && altstack_state(p, sp) == 0;
	if (use_altstack) {
		sp = p->altstack_sp + p->altstack_size;
		if (p->altstack_flags & LINUX_SS_AUTODISARM)
			p->altstack_sp = p->altstack_size = p->altstack_flags = 0;
	}
	uint32_t fp = (sp - FPU_STATE_SIZE) & ~(FP_AREA_ALIGN - 1);
	fpu_save(p->fpu); /* the live registers are the interrupted code's */
	if (copy_to_user((void *)(uintptr_t)fp, p->fpu, FPU_STATE_SIZE))
		return -LINUX_EFAULT;
	bool rt = a->flags & LINUX_SA_SIGINFO;
	uint32_t size = rt ? sizeof(struct rt_sigframe) : sizeof(struct sigframe);
	/* The i386 ABI: at the handler's first instruction, esp + 4 is
	 * 16-byte aligned, as after a call. */
	uint32_t frame = ((fp - size + 4) & ~15u) - 4;
	if (rt) {
		static struct rt_sigframe rf; /* 268 bytes: off the kernel stack */
		memset(&rf, 0, sizeof(rf));
		rf.sig = sig;
		rf.pinfo = frame + offsetof(struct rt_sigframe, info);
		rf.puc = frame + offsetof(struct rt_sigframe, uc);
		fill_info(p, sig, fault, &rf.info);
		rf.uc.ss_sp = interrupted.ss_sp;
		rf.uc.ss_flags = (uint32_t)interrupted.ss_flags;
		rf.uc.ss_size = interrupted.ss_size;
		save_context(&rf.uc.mcontext, f, fp, (uint32_t)old, p->fault_cr2);
		rf.uc.sigmask = old;
		memcpy(rf.retcode, rt_retcode, sizeof(rt_retcode));
		rf.pretcode = (a->flags & LINUX_SA_RESTORER)
				      ? a->restorer
				      : frame + offsetof(struct rt_sigframe, retcode);
		if (copy_to_user((void *)(uintptr_t)frame, &rf, sizeof(rf)))
			return -LINUX_EFAULT;
		f->edx = rf.pinfo; /* handlers are called regparm(3) too */
		f->ecx = rf.puc;
	} else {
		static struct sigframe sf;
		memset(&sf, 0, sizeof(sf));
		sf.sig = sig;
		save_context(&sf.sc, f, fp, (uint32_t)old, p->fault_cr2);
		sf.extramask = (uint32_t)(old >> 32);
		memcpy(sf.retcode, retcode, sizeof(retcode));
		sf.pretcode = (a->flags & LINUX_SA_RESTORER)
				      ? a->restorer
				      : frame + offsetof(struct sigframe, retcode);
		if (copy_to_user((void *)(uintptr_t)frame, &sf, sizeof(sf)))
			return -LINUX_EFAULT;
		f->edx = f->ecx = 0;
	}
	f->eax = (uint32_t)sig;
	f->user_esp = frame;
	f->eip = a->handler;
	f->cs = GDT_USER_CODE;
	f->user_ss = f->ds = f->es = GDT_USER_DATA;
	f->eflags &= ~(EFLAGS_TF | EFLAGS_DF);
	p->sig_restore = false; /* old is in the frame now */
	p->sig_blocked |= a->mask & ~UNBLOCKABLE;
	if (!(a->flags & LINUX_SA_NODEFER))
		p->sig_blocked |= SIG_BIT(sig) & ~UNBLOCKABLE;
	if (a->flags & LINUX_SA_RESETHAND)
		p->sig_action[sig - 1] = (struct linux_k_sigaction){0};
	return 0;
}

/* Calls that sleep and give -EINTR when a signal comes, by how Linux
 * restarts them: RESTART_SA after a handler with SA_RESTART and whenever no
 * handler ran (Linux's -ERESTARTSYS), RESTART_NO_HANDLER only when no
 * handler ran (-ERESTARTNOHAND: the wait is over once a handler ran).
 * Sleeps with a timeout of their own (nanosleep, poll) are not restarted. */
enum restart { RESTART_NEVER, RESTART_SA, RESTART_NO_HANDLER };

static enum restart restart_kind(uint32_t nr)
{
	switch (nr) {
	case LINUX_NR_read:
	case LINUX_NR_write:
	case LINUX_NR_readv:
	case LINUX_NR_writev:
	case LINUX_NR_wait4:
	case LINUX_NR_waitpid:
	case LINUX_NR_pread64:
	case LINUX_NR_ioctl: /* a terminal change that stopped a background job */
	case LINUX_NR_open:  /* waiting for a named pipe's other end */
	case LINUX_NR_openat: return RESTART_SA;
	case LINUX_NR_pause:
	case LINUX_NR__newselect:
	case LINUX_NR_pselect6:
	case LINUX_NR_pselect6_time64:
	case LINUX_NR_rt_sigsuspend: return RESTART_NO_HANDLER;
	default: return RESTART_NEVER;
	}
}

static void maybe_restart(struct proc *p, struct trap_frame *f, bool handler_ran,
			  const struct linux_k_sigaction *a)
{
	if (f->vector != VEC_SYSCALL || (int32_t)f->eax != -LINUX_EINTR)
		return;
	enum restart kind = restart_kind(p->syscall_nr);
	if (kind == RESTART_NEVER || (handler_ran && kind == RESTART_NO_HANDLER))
		return;
	if (handler_ran && !(a->flags & LINUX_SA_RESTART))
		return;
	f->eax = p->syscall_nr;
	f->eip -= INSN_INT80_BYTES;
}

bool signal_refused(const struct proc *p, int sig)
{
	return (p->sig_blocked & SIG_BIT(sig)) || p->sig_action[sig - 1].handler == LINUX_SIG_IGN;
}

/* Whether group pgrp has no member, `leaving` aside, whose parent is in
 * another group of the same session; a child of `leaving` counts with the
 * parent it is about to get, PID 1.  (Linux also never counts PID 1 as
 * such a parent; Toyix does, because its conformance programs run as PID 1
 * and their children's groups must not be orphaned by that alone.) */
static bool orphaned_without(int32_t pgrp, const struct proc *leaving)
{
	const struct proc *init = proc_find(1);
	if (init && (init == leaving || init->state == PROC_ZOMBIE))
		init = NULL; /* the kernel will reap the orphans (kernel/proc.c) */
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *q = proc_at(i);
		if (!q || q->pgid != pgrp || q == leaving || q->state == PROC_ZOMBIE)
			continue;
		const struct proc *parent = q->parent == leaving ? init : q->parent;
		if (!parent)
			continue;
		if (parent->pgid != pgrp && parent->sid == q->sid)
			return false;
	}
	return true;
}

bool signal_group_orphaned(const struct proc *p)
{
	return orphaned_without(p->pgid, NULL);
}

/* Whether parent ties q's group to the rest of its session. */
static bool links(const struct proc *q, const struct proc *parent)
{
	return parent && parent->pgid != q->pgid && parent->sid == q->sid;
}

/* A group that p's exit orphans gets SIGHUP, then SIGCONT, when a member is
 * stopped: nobody is left who could continue it. */
static void hang_up_if_orphaned(int32_t pgrp, const struct proc *p)
{
	bool stopped = false;
	for (uint32_t i = 0; i < PROC_MAX && !stopped; i++) {
		const struct proc *q = proc_at(i);
		stopped = q && q->pgid == pgrp && q->state != PROC_ZOMBIE && q->stopped;
	}
	if (!stopped || !orphaned_without(pgrp, p))
		return;
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct proc *q = proc_at(i);
		if (q && q != p && q->pgid == pgrp && q->state != PROC_ZOMBIE) {
			signal_send(q, LINUX_SIGHUP, 0);
			signal_send(q, LINUX_SIGCONT, 0);
		}
	}
}

void signal_exit_orphans(const struct proc *p)
{
	if (links(p, p->parent))
		hang_up_if_orphaned(p->pgid, p);
	for (const struct proc *c = p->children; c; c = c->sibling)
		if (links(c, p))
			hang_up_if_orphaned(c->pgid, p);
}

/* The default action of a stop signal: p stops until SIGCONT or SIGKILL
 * (SIGTSTP, SIGTTIN and SIGTTOU are dropped in an orphaned group).  PID 1
 * never stops, as on Linux: nothing would be left to continue it. */
static void stop(struct proc *p, int sig)
{
	if (p->pid == 1 || (sig != LINUX_SIGSTOP && signal_group_orphaned(p)))
		return;
	p->stopped = true;
	p->wait_report = LINUX_W_STOPPED(sig);
	notify_parent(p, LINUX_CLD_STOPPED, sig);
	/* With interrupts off from the check to the sleep, a SIGCONT sent
	 * from an interrupt cannot fall in between and be missed. */
	bool was_on = irq_save();
	while (p->stopped) {
		if (p->kill_signal)
			proc_exit(LINUX_W_SIGNALLED(p->kill_signal));
		sched_sleep(&p->stopped); /* continue_process wakes it */
	}
	irq_restore(was_on);
}

void signal_deliver(struct trap_frame *f)
{
	struct proc *p = sched_current();
	if (!p)
		return;
	for (;;) {
		uint64_t ready = p->sig_pending & ~p->sig_blocked;
		if (!ready) {
			if (p->sig_restore) /* nothing caught: the old mask now */
				p->sig_blocked = p->sig_saved;
			p->sig_restore = false;
			return;
		}
		if (ready & SYNCHRONOUS)
			ready &= SYNCHRONOUS;
		int sig = 1;
		while (!(ready & SIG_BIT(sig)))
			sig++;
		p->sig_pending &= ~SIG_BIT(sig);
		struct linux_k_sigaction a = p->sig_action[sig - 1];
		struct signal_fault fault = {0};
		if (sig == p->fault.sig) {
			fault = p->fault;
			p->fault.sig = 0;
		}
		if (ignored(p, sig)) {
			maybe_restart(p, f, false, &a);
			continue;
		}
		if (a.handler == LINUX_SIG_DFL && is_stop_signal(sig)) {
			/* After the stop the call starts over, as when no
			 * handler ran. */
			maybe_restart(p, f, false, &a);
			stop(p, sig);
			continue;
		}
		if (a.handler == LINUX_SIG_DFL && fault.sig)
			die_of_fault(p, &fault);
		if (a.handler == LINUX_SIG_DFL)
			proc_exit(LINUX_W_SIGNALLED(sig));
		/* Restart first, so the frame saves the registers that redo the
		 * call when the handler returns. */
		maybe_restart(p, f, true, &a);
		/* Every signal ready now gets its frame before the return, each
		 * on top of the last (so the last runs first), as on Linux. */
		if (!setup_frame(p, f, sig, &a, &fault))
			continue;
		/* Linux's force_sigsegv: SIGSEGV for the signal that found no
		 * room, which a handler on the alternate stack may still take;
		 * death when it was SIGSEGV's own frame. */
		struct signal_fault no_room = {LINUX_SIGSEGV, LINUX_SI_KERNEL, 0, f->user_esp,
					       "no room on the stack for a signal frame"};
		if (sig == LINUX_SIGSEGV)
			die_of_fault(p, &no_room);
		signal_force_fault(f, &no_room);
	}
}

/* ---- system calls -------------------------------------------------------- */

int32_t sys_rt_sigaction(struct trap_frame *f)
{
	int sig = (int)SYSCALL_ARG1(f);
	uint32_t act = SYSCALL_ARG2(f), oact = SYSCALL_ARG3(f);
	if (SYSCALL_ARG4(f) != SIGSET_SIZE || !valid_signal(sig))
		return -LINUX_EINVAL;
	struct proc *p = sched_current();
	struct linux_k_sigaction new_action, old = p->sig_action[sig - 1];
	if (act) {
		if (copy_from_user(&new_action, (const void *)(uintptr_t)act, sizeof(new_action)))
			return -LINUX_EFAULT;
		if (sig == LINUX_SIGKILL || sig == LINUX_SIGSTOP)
			return -LINUX_EINVAL;
	}
	if (oact && copy_to_user((void *)(uintptr_t)oact, &old, sizeof(old)))
		return -LINUX_EFAULT;
	if (act) {
		new_action.mask &= ~UNBLOCKABLE;
		p->sig_action[sig - 1] = new_action;
		/* Setting SIG_IGN (or the default of an ignored signal) drops
		 * one already pending, as POSIX asks. */
		if (ignored(p, sig)) {
			p->sig_pending &= ~SIG_BIT(sig);
			if (p->fault.sig == sig)
				p->fault.sig = 0;
		}
	}
	return 0;
}

int32_t sys_rt_sigprocmask(struct trap_frame *f)
{
	uint32_t how = SYSCALL_ARG1(f), set = SYSCALL_ARG2(f), oset = SYSCALL_ARG3(f);
	if (SYSCALL_ARG4(f) != SIGSET_SIZE)
		return -LINUX_EINVAL;
	struct proc *p = sched_current();
	uint64_t old = p->sig_blocked, mask = 0;
	if (set) {
		if (copy_from_user(&mask, (const void *)(uintptr_t)set, sizeof(mask)))
			return -LINUX_EFAULT;
		if (how != LINUX_SIG_BLOCK && how != LINUX_SIG_UNBLOCK && how != LINUX_SIG_SETMASK)
			return -LINUX_EINVAL;
	}
	if (oset && copy_to_user((void *)(uintptr_t)oset, &old, sizeof(old)))
		return -LINUX_EFAULT;
	if (set) {
		uint64_t now = how == LINUX_SIG_BLOCK	  ? old | mask
			       : how == LINUX_SIG_UNBLOCK ? old & ~mask
							  : mask;
		p->sig_blocked = now & ~UNBLOCKABLE;
	}
	return 0;
}

void signal_wait_mask(struct proc *p, uint64_t mask)
{
	p->sig_saved = p->sig_blocked;
	p->sig_restore = true;
	p->sig_blocked = mask & ~UNBLOCKABLE;
}

void signal_wait_done(struct proc *p, bool interrupted)
{
	if (interrupted)
		return; /* signal_deliver puts the mask back, after any handler */
	p->sig_blocked = p->sig_saved;
	p->sig_restore = false;
}

/* Waits with the given mask until a signal is delivered; always -EINTR. */
int32_t sys_rt_sigsuspend(struct trap_frame *f)
{
	if (SYSCALL_ARG2(f) != SIGSET_SIZE)
		return -LINUX_EINVAL;
	uint64_t mask;
	if (copy_from_user(&mask, (const void *)(uintptr_t)SYSCALL_ARG1(f), sizeof(mask)))
		return -LINUX_EFAULT;
	struct proc *p = sched_current();
	signal_wait_mask(p, mask);
	while (!proc_signal_pending(p))
		sched_sleep(&p->sig_saved); /* nobody wakes this: only a signal */
	return -LINUX_EINTR;
}

int32_t sys_rt_sigpending(struct trap_frame *f)
{
	if (SYSCALL_ARG2(f) > SIGSET_SIZE)
		return -LINUX_EINVAL;
	struct proc *p = sched_current();
	uint64_t set = p->sig_pending & p->sig_blocked;
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG1(f), &set, SYSCALL_ARG2(f));
}

/* A sigreturn whose frame cannot be read: SIGSEGV, as Linux's signal_fault
 * sends it (SI_KERNEL, no address), which a handler may take. */
static void bad_frame(struct trap_frame *f, uint32_t where, const char *reason)
{
	struct signal_fault fault = {LINUX_SIGSEGV, LINUX_SI_KERNEL, 0, where, reason};
	signal_force_fault(f, &fault);
}

/* The registers, mask and FPU state a frame saved; a frame the program
 * damaged cannot give it more than ring 3 may have: segments are checked on
 * the way out (sched_user_return), EFLAGS keeps only the user's bits. */
static int32_t restore_context(struct trap_frame *f, const struct linux_sigcontext *sc,
			       uint64_t mask)
{
	struct proc *p = sched_current();
	bool bad_fpu = false;
	if (sc->fpstate) {
		/* Read whole before use: a state that cannot be read leaves the
		 * registers as they are. */
		static struct fpu_state st;
		bad_fpu = copy_from_user(&st, (const void *)(uintptr_t)sc->fpstate,
					 FPU_STATE_SIZE) != 0;
		if (!bad_fpu) {
			fpu_sanitize(&st);
			*p->fpu = st;
			fpu_restore(p->fpu);
		}
	}
	f->gs = sc->gs;
	f->fs = sc->fs;
	f->es = sc->es;
	f->ds = sc->ds;
	f->edi = sc->edi;
	f->esi = sc->esi;
	f->ebp = sc->ebp;
	f->ebx = sc->ebx;
	f->edx = sc->edx;
	f->ecx = sc->ecx;
	f->eip = sc->eip;
	f->user_esp = sc->esp;
	f->cs = GDT_USER_CODE;
	f->user_ss = sc->ss | GDT_RPL_USER;
	f->eflags = (f->eflags & ~EFLAGS_USER_CHANGEABLE) | (sc->eflags & EFLAGS_USER_CHANGEABLE);
	f->vector = 0; /* not a system call any more: no restart */
	p->sig_blocked = mask & ~UNBLOCKABLE;
	/* After the mask, which the force must override. */
	if (bad_fpu)
		bad_frame(f, sc->fpstate, "bad FPU state in sigreturn");
	return (int32_t)sc->eax; /* the dispatcher puts it back in EAX */
}

/* The handler returned into pretcode, which popped the signal number: the
 * frame starts 8 bytes below the stack pointer. */
int32_t sys_sigreturn(struct trap_frame *f)
{
	static struct sigframe sf;
	if (copy_from_user(&sf, (const void *)(uintptr_t)(f->user_esp - 8), sizeof(sf))) {
		bad_frame(f, f->user_esp, "bad signal frame in sigreturn");
		return 0;
	}
	return restore_context(f, &sf.sc, (uint64_t)sf.extramask << 32 | sf.sc.oldmask);
}

int32_t sys_rt_sigreturn(struct trap_frame *f)
{
	static struct rt_sigframe rf;
	if (copy_from_user(&rf, (const void *)(uintptr_t)(f->user_esp - 4), sizeof(rf))) {
		bad_frame(f, f->user_esp, "bad signal frame in rt_sigreturn");
		return 0;
	}
	int32_t rc = restore_context(f, &rf.uc.mcontext, rf.uc.sigmask);
	/* The stack the handler's ucontext names comes back (it may have
	 * been disarmed, or the handler changed it); refused quietly while
	 * the interrupted code runs on the current one, as on Linux. */
	struct linux_stack ss = {rf.uc.ss_sp, (int32_t)rf.uc.ss_flags, rf.uc.ss_size};
	altstack_set(sched_current(), &ss, f->user_esp);
	return rc;
}

int32_t sys_sigaltstack(struct trap_frame *f)
{
	uint32_t user_new = SYSCALL_ARG1(f), user_old = SYSCALL_ARG2(f);
	struct proc *p = sched_current();
	struct linux_stack ss, old = {p->altstack_sp,
				      altstack_state(p, f->user_esp) |
					      (int32_t)(p->altstack_flags & LINUX_SS_AUTODISARM),
				      p->altstack_size};
	if (user_new) {
		if (copy_from_user(&ss, (const void *)(uintptr_t)user_new, sizeof(ss)))
			return -LINUX_EFAULT;
		int32_t rc = altstack_set(p, &ss, f->user_esp);
		if (rc)
			return rc;
	}
	if (user_old && copy_to_user((void *)(uintptr_t)user_old, &old, sizeof(old)))
		return -LINUX_EFAULT;
	return 0;
}

/* Sleeps until a signal is delivered (restarted after one that ran no
 * handler, as Linux does). */
int32_t sys_pause(struct trap_frame *f)
{
	(void)f;
	struct proc *p = sched_current();
	while (!proc_signal_pending(p))
		sched_sleep(&p->sig_waiting); /* nobody wakes this: only a signal */
	return -LINUX_EINTR;
}

/* Takes the lowest pending signal of set off p and describes it at
 * user_info (0: nowhere).  The signal, or -EFAULT. */
static int32_t take_signal(struct proc *p, uint64_t set, uint32_t user_info)
{
	uint64_t ready = p->sig_pending & set;
	int sig = 1;
	while (!(ready & SIG_BIT(sig)))
		sig++;
	p->sig_pending &= ~SIG_BIT(sig);
	static struct linux_siginfo info;
	fill_info(p, sig, &p->fault, &info);
	if (p->fault.sig == sig)
		p->fault.sig = 0;
	if (user_info && copy_to_user((void *)(uintptr_t)user_info, &info, sizeof(info)))
		return -LINUX_EFAULT;
	return sig;
}

/* rt_sigtimedwait: the lowest pending signal of the set (blocked or not),
 * waiting for one up to sec + nsec (forever: no limit).  The signal,
 * -EAGAIN when the time ran out, -EINTR when a signal outside the set came
 * meanwhile. */
static int32_t do_sigtimedwait(struct trap_frame *f, int64_t sec, int64_t nsec, bool forever)
{
	uint64_t set;
	if (copy_from_user(&set, (const void *)(uintptr_t)SYSCALL_ARG1(f), sizeof(set)))
		return -LINUX_EFAULT;
	set &= ~UNBLOCKABLE;
	if (!forever && (sec < 0 || nsec < 0 || nsec >= NS_PER_S))
		return -LINUX_EINVAL;
	struct proc *p = sched_current();
	uint32_t ticks = 0;
	if (!forever)
		ticks = sec >= (int64_t)(TICKS_MAX / PIT_HZ)
				? TICKS_MAX
				: (uint32_t)sec * PIT_HZ +
					  ((uint32_t)nsec + NS_PER_TICK - 1) / NS_PER_TICK;
	uint32_t deadline = pit_ticks() + ticks + (ticks ? 1 : 0);
	int32_t rc = 0;
	p->sig_waiting = set;
	while (!(p->sig_pending & set)) {
		if (proc_signal_pending(p)) {
			rc = -LINUX_EINTR;
			break;
		}
		if (!forever && (int32_t)(pit_ticks() - deadline) >= 0) {
			rc = -LINUX_EAGAIN;
			break;
		}
		if (forever) {
			sched_sleep(&p->sig_waiting);
		} else {
			p->wake_tick = deadline;
			sched_sleep(sched_chan_timer);
		}
	}
	p->sig_waiting = 0;
	return p->sig_pending & set ? take_signal(p, set, SYSCALL_ARG2(f)) : rc;
}

int32_t sys_rt_sigtimedwait(struct trap_frame *f)
{
	if (SYSCALL_ARG4(f) != SIGSET_SIZE)
		return -LINUX_EINVAL;
	struct linux_timespec32 ts = {0, 0};
	uint32_t user_ts = SYSCALL_ARG3(f);
	if (user_ts && copy_from_user(&ts, (const void *)(uintptr_t)user_ts, sizeof(ts)))
		return -LINUX_EFAULT;
	return do_sigtimedwait(f, ts.tv_sec, ts.tv_nsec, !user_ts);
}

int32_t sys_rt_sigtimedwait_time64(struct trap_frame *f)
{
	if (SYSCALL_ARG4(f) != SIGSET_SIZE)
		return -LINUX_EINVAL;
	struct linux_timespec64 ts = {0, 0};
	uint32_t user_ts = SYSCALL_ARG3(f);
	if (user_ts && copy_from_user(&ts, (const void *)(uintptr_t)user_ts, sizeof(ts)))
		return -LINUX_EFAULT;
	return do_sigtimedwait(f, ts.tv_sec, (int32_t)ts.tv_nsec, !user_ts);
}
