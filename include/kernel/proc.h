/* Processes: the table, their kernel stacks, creation, exit, wait and
 * kills.
 *
 * Every process has one address space, one kernel stack and one thread.  The
 * kernel's own context (the boot stack: kernel_main, the monitor, test
 * scenarios) is not a process: it runs the scheduler (kernel/sched.c) and
 * may start processes and wait for them like a parent.
 *
 * A kernel stack slot in LAYOUT_KSTACKS (16 KiB each, slot i for table
 * entry i):
 *
 *   slot + 16K  +--------------------+  <- kstack top
 *               | FPU save area      |  512 bytes, 16-byte aligned
 *               +--------------------+  <- TSS esp0: a trap from ring 3
 *               | trap frame, then   |     pushes its frame from here
 *               | the kernel's calls |
 *   slot + 4K   +--------------------+
 *               | guard page         |  never mapped: an overflow faults
 *   slot        +--------------------+  (a #DF, reported by the #DF task)
 */
#ifndef KERNEL_PROC_H
#define KERNEL_PROC_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/fpu.h"
#include "arch/gdt.h"
#include "arch/trap.h"
#include "arch/types.h"
#include "kernel/signal.h"
#include "uapi/linux_types.h"

#define PROC_MAX	   64 /* live processes, zombies included */
#define PROC_NAME_LEN	   16 /* like Linux's comm: 15 characters and a NUL */
#define KSTACK_GUARD_PAGES 1u
#define KSTACK_PAGES	   3u

#define EFLAGS_RESERVED 0x2u /* bit 1 reads as one */
/* CF PF AF ZF SF TF DF OF AC ID: what ring 3 can set itself (not IOPL, IF,
 * NT, RF, VM); fork's frame and sigreturn's keep only these. */
#define EFLAGS_USER_CHANGEABLE 0x00244DD5u

enum proc_state {
	PROC_UNUSED,
	PROC_RUNNABLE, /* waits for the CPU */
	PROC_RUNNING,  /* has the CPU */
	PROC_SLEEPING, /* waits for wait_chan (kernel/sched.h) */
	PROC_ZOMBIE,   /* exited; its wait status waits for the parent */
};

struct aspace;
struct fdtable;
struct inode;

struct proc {
	int32_t pid;
	enum proc_state state;
	char name[PROC_NAME_LEN];
	struct proc *parent;		      /* NULL: the kernel is the parent */
	struct proc *children, *sibling;      /* the children, linked through sibling */
	bool detached;			      /* nobody will wait: reaped as soon as it exits */
	uint32_t wstatus;		      /* as wait4 reports it, once a zombie */
	int kill_signal;		      /* nonzero: die of it on the way back to ring 3 */
	struct aspace *as;		      /* NULL once exited */
	struct fdtable *files;		      /* descriptors (kernel/vfs.h); NULL once exited */
	struct inode *cwd;		      /* working directory (NULL: no root file system) */
	uint32_t slot;			      /* table index, and kernel stack slot */
	vaddr_t kstack_top;		      /* top of the stack slot */
	struct fpu_state *fpu;		      /* at the top of the kernel stack */
	uint32_t ctx_esp;		      /* where context_switch left the kernel stack */
	struct seg_desc tls[GDT_TLS_ENTRIES]; /* set_thread_area's slots */
	const void *wait_chan;		      /* what a PROC_SLEEPING process waits for */
	uint32_t wake_tick;		      /* for SCHED_CHAN_TIMER */
	uint32_t slice_start;		      /* the tick it last got the CPU at */
	vaddr_t clear_child_tid;	      /* set_tid_address's pointer */
	uint32_t syscalls;		      /* system calls made (for tests and ps) */
	uint32_t runs;			      /* times it got the CPU (for tests and ps) */
	uint32_t umask;			      /* mode bits a new file does not get */
	int32_t pgid, sid;		      /* process group and session */
	/* Signals (kernel/signal.c): bit sig-1 of each set is signal sig. */
	uint64_t sig_pending, sig_blocked;
	struct linux_k_sigaction sig_action[64];
	int32_t sig_sender[64];		/* pid that sent each pending signal */
	uint32_t syscall_nr;		/* the last system call, for restarts */
	uint64_t sig_saved;		/* rt_sigsuspend: the mask to go back to */
	bool sig_restore;		/* sig_saved is to be restored */
	uint64_t sig_waiting;		/* rt_sigtimedwait's set: wakes a sleep though blocked */
	int32_t chld_code, chld_status; /* the pending SIGCHLD's si_code (0: sent by kill) */
	struct signal_fault fault;	/* the pending signal a fault raised */
	uint32_t fault_cr2;		/* the last bad page fault's address, for sigcontext.cr2 */
	/* Job control (kernel/signal.c): stopped by SIGSTOP, SIGTSTP, SIGTTIN
	 * or SIGTTOU until SIGCONT or SIGKILL; wait_report is the stop or
	 * continue wait4 has yet to report (a wait status, 0: none). */
	bool stopped;
	uint32_t wait_report;
	int32_t nice; /* setpriority's value, -20..19; inherited by a child */
	uint32_t altstack_sp, altstack_size, altstack_flags; /* sigaltstack */
	/* setitimer (kernel/itimer.c): ITIMER_REAL sends SIGALRM at tick
	 * real_deadline when real_armed, then every real_interval ticks (0:
	 * once).  The CPU-time timers are kept as given, never counted. */
	bool real_armed;
	uint32_t real_deadline, real_interval;
	struct linux_itimerval32 cpu_timers[2];
};

/* Registers the system-call gate, the fault handlers and the scheduler's
 * return-to-user hook; after fpu_init and the heap. */
void proc_init(void);

/* A new process in space as, runnable, whose first return to ring 3 loads
 * regs (its EIP, ESP and general registers; segments and EFLAGS are set to
 * user values here whatever regs says).  It owns as from now on, also when
 * it exits.  A child of a process inherits its descriptors (a copy of the
 * table, as fork makes) and working directory; a child of the kernel
 * (parent NULL) starts with the console on fds 0, 1 and 2, in the root.
 * NULL when the table is full or no memory is left (then as still belongs
 * to the caller). */
struct proc *proc_create(struct proc *parent, const char *name, struct aspace *as,
			 const struct trap_frame *regs);
/* The registers of a program about to start at entry with stack sp. */
void proc_initial_regs(struct trap_frame *regs, vaddr_t entry, vaddr_t sp);

/* For fork: the child gets the parent's TLS slots and FPU state (the live
 * registers when the parent is the running process).  Call before the
 * child first runs. */
void proc_copy_cpu_state(struct proc *child, struct proc *parent);
/* For exec: the running process starts over with empty TLS slots and a
 * fresh FPU, loaded at once (its saved copy would be overwritten by the
 * live registers at the next switch otherwise). */
void proc_reset_cpu_state(struct proc *p);

/* Waits for a child of the caller (a process, or the kernel's context):
 * pid > 0 that child, -1 any child, 0 one in the caller's process group,
 * < -1 one in group -pid.  Returns the pid reaped and its status in
 * *wstatus; with LINUX_WUNTRACED a child that stopped, with
 * LINUX_WCONTINUED one that was continued, each reported once and not
 * reaped; 0 with LINUX_WNOHANG when nothing is to report, -LINUX_ECHILD
 * when there is no such child, -LINUX_EINTR when a signal comes. */
int32_t proc_wait(int32_t pid, uint32_t *wstatus, uint32_t options);

/* Ends the calling process with wait status wstatus: its memory comes back
 * now, its children go to PID 1 (or to the kernel when there is none), its
 * parent is woken.  The kernel stack goes when the parent reaps it. */
__attribute__((noreturn)) void proc_exit(uint32_t wstatus);

/* Makes pid die of sig the next time it would return to ring 3 (a sleeping
 * one is woken for it), whatever its handlers say (SIGKILL).  0, or
 * -LINUX_ESRCH. */
int proc_kill(int32_t pid, int sig);

/* Whether p has something that must interrupt a sleep: a kill, or a signal
 * that is pending and not blocked.  A stopped process hears only the kill
 * (and SIGCONT, which wakes it itself). */
static inline bool proc_signal_pending(const struct proc *p)
{
	return p->kill_signal || (!p->stopped && (p->sig_pending & ~p->sig_blocked));
}

/* Reaps the zombies nobody will wait for; the scheduler calls it in the
 * kernel's context, off their stacks. */
void proc_reap_detached(void);

struct proc *proc_find(int32_t pid);
/* Table entry i (0 <= i < PROC_MAX), or NULL when unused. */
struct proc *proc_at(uint32_t i);
/* One past the highest entry in use: loops over the table stop there, as
 * entries are taken lowest first and a few processes use a few of them. */
uint32_t proc_slots(void);
uint32_t proc_count(void);
/* SIGSEGV, SIGILL...; "signal N" for the rest. */
const char *signal_name(int sig);

#endif
