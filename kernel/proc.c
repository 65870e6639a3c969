/* The process table: creation with a kernel stack of its own, exit, wait
 * and reaping, orphans, kills.  Scheduling is kernel/sched.c; the system
 * calls on top of this are kernel/sys_proc.c. */
#include "kernel/proc.h"

#include <stddef.h>

#include "arch/context.h"
#include "arch/cpu.h"
#include "uapi/linux_abi.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/signal.h"
#include "kernel/syscall.h"
#include "kernel/tty.h"
#include "kernel/user_fault.h"
#include "kernel/vfs.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/vmm.h"

#define INIT_PID      1
#define DEFAULT_UMASK 022u /* what Linux gives init */

_Static_assert((KSTACK_GUARD_PAGES + KSTACK_PAGES) * PAGE_SIZE == LAYOUT_KSTACK_SLOT,
	       "a kernel stack slot is its guard and its stack");
_Static_assert(PROC_MAX *LAYOUT_KSTACK_SLOT <= LAYOUT_KSTACKS_END - LAYOUT_KSTACKS,
	       "every table entry has a kernel stack slot");

static struct proc *table[PROC_MAX];
static uint32_t live;
static uint32_t slots_used; /* one past the highest entry in use */
static int32_t next_pid = 1;

struct proc *proc_at(uint32_t i)
{
	return i < PROC_MAX ? table[i] : NULL;
}

uint32_t proc_count(void)
{
	return live;
}

uint32_t proc_slots(void)
{
	return slots_used;
}

struct proc *proc_find(int32_t pid)
{
	for (uint32_t i = 0; i < slots_used; i++)
		if (table[i] && table[i]->pid == pid)
			return table[i];
	return NULL;
}

const char *signal_name(int sig)
{
	switch (sig) {
	case LINUX_SIGILL: return "SIGILL";
	case LINUX_SIGTRAP: return "SIGTRAP";
	case LINUX_SIGBUS: return "SIGBUS";
	case LINUX_SIGFPE: return "SIGFPE";
	case LINUX_SIGKILL: return "SIGKILL";
	case LINUX_SIGSEGV: return "SIGSEGV";
	default: return "signal";
	}
}

/* Pids count up from 1 and are not reused while the counter lasts; past
 * INT32_MAX they wrap to 2, skipping any still in use. */
static int32_t alloc_pid(void)
{
	for (;;) {
		int32_t pid = next_pid;
		next_pid = next_pid == INT32_MAX ? INIT_PID + 1 : next_pid + 1;
		if (!proc_find(pid))
			return pid;
	}
}

static vaddr_t slot_base(uint32_t slot)
{
	return LAYOUT_KSTACKS + slot * LAYOUT_KSTACK_SLOT;
}

static void link_child(struct proc *parent, struct proc *child)
{
	child->parent = parent;
	if (parent) {
		child->sibling = parent->children;
		parent->children = child;
	}
}

static void unlink_child(struct proc *child)
{
	struct proc *parent = child->parent;
	if (!parent)
		return;
	for (struct proc **pp = &parent->children; *pp; pp = &(*pp)->sibling) {
		if (*pp == child) {
			*pp = child->sibling;
			break;
		}
	}
	child->parent = NULL;
	child->sibling = NULL;
}

void proc_initial_regs(struct trap_frame *regs, vaddr_t entry, vaddr_t sp)
{
	*regs = (struct trap_frame){.eip = entry, .user_esp = sp};
}

/* The new kernel stack, top down: the FPU area, the trap frame that
 * trap_return pops into ring 3, and the frame context_switch pops to get
 * there. */
static void build_stack(struct proc *p, const struct trap_frame *regs)
{
	vaddr_t esp0 = p->kstack_top - sizeof(struct fpu_state);
	p->fpu = (struct fpu_state *)esp0;
	fpu_initial_state(p->fpu);

	struct trap_frame *f = (struct trap_frame *)(esp0 - sizeof(*f));
	*f = *regs;
	f->cs = GDT_USER_CODE;
	/* A frame from ring 3 (fork's copy) keeps its segments, which the
	 * return to ring 3 checks; a new program gets the flat ones. */
	if (!trap_from_user(regs))
		f->user_ss = f->ds = f->es = f->fs = f->gs = GDT_USER_DATA;
	/* IOPL 0 (no in/out, cli or sti) and interrupts on, whatever regs says. */
	f->eflags = (regs->eflags & EFLAGS_USER_CHANGEABLE) | EFLAGS_IF | EFLAGS_RESERVED;
	f->vector = f->error_code = 0;

	struct switch_frame *s = (struct switch_frame *)((vaddr_t)f - sizeof(*s));
	*s = (struct switch_frame){.ret = (uint32_t)trap_return};
	p->ctx_esp = (uint32_t)s;
}

/* The kernel's children read and write the console on fds 0, 1 and 2. */
static struct fdtable *console_files(void)
{
	struct fdtable *t = fdtable_create();
	struct file *console = tty_open_console();
	bool ok = t && console;
	for (int fd = 0; ok && fd < 3; fd++)
		ok = fd_install(t, console, (uint32_t)fd, false) == fd;
	file_put(console); /* the table holds its own references */
	if (!ok) {
		fdtable_put(t);
		return NULL;
	}
	return t;
}

static bool give_files(struct proc *p, struct proc *parent)
{
	p->files = parent ? fdtable_clone(parent->files) : console_files();
	if (!p->files)
		return false;
	p->cwd = parent ? parent->cwd : (vfs_have_root() ? vfs_root() : NULL);
	inode_get(p->cwd);
	return true;
}

static void drop_files(struct proc *p)
{
	fdtable_put(p->files);
	p->files = NULL;
	inode_put(p->cwd);
	p->cwd = NULL;
}

struct proc *proc_create(struct proc *parent, const char *name, struct aspace *as,
			 const struct trap_frame *regs)
{
	if (!as || !regs || !name)
		return NULL;
	uint32_t slot = 0;
	while (slot < PROC_MAX && table[slot])
		slot++;
	if (slot == PROC_MAX)
		return NULL;
	struct proc *p = kcalloc(1, sizeof(*p));
	if (!p)
		return NULL;
	vaddr_t stack = slot_base(slot) + KSTACK_GUARD_PAGES * PAGE_SIZE;
	if (!give_files(p, parent)) {
		kfree(p);
		return NULL;
	}
	if (vmm_alloc_range(stack, KSTACK_PAGES, PTE_WRITABLE) != VMM_OK) {
		drop_files(p);
		kfree(p);
		return NULL;
	}
	p->slot = slot;
	p->kstack_top = slot_base(slot) + LAYOUT_KSTACK_SLOT;
	p->as = as;
	p->pid = alloc_pid();
	size_t n = 0;
	for (; n < PROC_NAME_LEN - 1 && name[n]; n++)
		p->name[n] = name[n];
	build_stack(p, regs);
	if (parent) {
		p->pgid = parent->pgid;
		p->sid = parent->sid;
		p->umask = parent->umask;
		p->nice = parent->nice;
		signal_fork(p, parent);
	} else {
		p->pgid = p->sid = 0; /* as Linux's init: in the kernel's group 0 */
		p->umask = DEFAULT_UMASK;
	}
	link_child(parent, p);
	table[slot] = p;
	live++;
	if (slot >= slots_used)
		slots_used = slot + 1;
	p->state = PROC_RUNNABLE;
	return p;
}

void proc_copy_cpu_state(struct proc *child, struct proc *parent)
{
	if (!child || !parent)
		return;
	memcpy(child->tls, parent->tls, sizeof(child->tls));
	if (parent == sched_current())
		fpu_save(parent->fpu);
	*child->fpu = *parent->fpu;
}

void proc_reset_cpu_state(struct proc *p)
{
	if (!p)
		return;
	memset(p->tls, 0, sizeof(p->tls));
	fpu_initial_state(p->fpu);
	if (p == sched_current()) {
		gdt_load_tls(p->tls);
		fpu_restore(p->fpu);
	}
}

/* Frees what a zombie still holds: its kernel stack and its table entry. */
static void reap(struct proc *p)
{
	unlink_child(p);
	table[p->slot] = NULL;
	live--;
	while (slots_used > 0 && !table[slots_used - 1])
		slots_used--;
	vmm_free_range(slot_base(p->slot) + KSTACK_GUARD_PAGES * PAGE_SIZE, KSTACK_PAGES);
	kfree(p);
}

void proc_reap_detached(void)
{
	for (uint32_t i = 0; i < slots_used; i++)
		if (table[i] && table[i]->state == PROC_ZOMBIE && table[i]->detached)
			reap(table[i]);
}

static bool wanted(const struct proc *child, int32_t pid, const struct proc *self)
{
	if (pid > 0)
		return child->pid == pid;
	if (pid == -1)
		return true;
	int32_t group = pid == 0 ? (self ? self->pgid : 0) : -pid;
	return child->pgid == group;
}

/* What wait has to say about child c: a zombie to reap, or a stop or a
 * continue it has not reported yet and options ask for. */
static bool waitable(const struct proc *c, uint32_t options)
{
	if (c->state == PROC_ZOMBIE)
		return true;
	if (!c->wait_report)
		return false;
	if (c->wait_report == LINUX_W_CONTINUED)
		return options & LINUX_WCONTINUED;
	return (options & LINUX_WUNTRACED) && c->stopped;
}

/* The kernel's children are the processes whose parent is NULL and that it
 * did not disown. */
static struct proc *first_kernel_child(int32_t pid, uint32_t options, bool *any)
{
	for (uint32_t i = 0; i < slots_used; i++) {
		struct proc *c = table[i];
		if (!c || c->parent || c->detached || !wanted(c, pid, NULL))
			continue;
		*any = true;
		if (waitable(c, options))
			return c;
	}
	return NULL;
}

static struct proc *first_waitable_child(struct proc *self, int32_t pid, uint32_t options,
					 bool *any)
{
	if (!self)
		return first_kernel_child(pid, options, any);
	for (struct proc *c = self->children; c; c = c->sibling) {
		if (!wanted(c, pid, self))
			continue;
		*any = true;
		if (waitable(c, options))
			return c;
	}
	return NULL;
}

int32_t proc_wait(int32_t pid, uint32_t *wstatus, uint32_t options)
{
	struct proc *self = sched_current();
	for (;;) {
		bool any = false;
		struct proc *z = first_waitable_child(self, pid, options, &any);
		if (z && z->state != PROC_ZOMBIE) {
			if (wstatus)
				*wstatus = z->wait_report;
			z->wait_report = 0;
			return z->pid;
		}
		if (z) {
			int32_t reaped = z->pid;
			if (wstatus)
				*wstatus = z->wstatus;
			reap(z);
			return reaped;
		}
		if (!any)
			return -LINUX_ECHILD;
		if (options & LINUX_WNOHANG)
			return 0;
		if (!self) {
			if (!sched_run_once())
				sched_idle(false);
			continue;
		}
		if (proc_signal_pending(self))
			return -LINUX_EINTR;
		sched_sleep(self);
	}
}

/* Orphans go to PID 1, as on Linux; without a live PID 1 (or when PID 1 is
 * the one exiting) nobody will wait, and the kernel reaps them itself. */
static void hand_over_children(struct proc *p)
{
	struct proc *init = proc_find(INIT_PID);
	if (init && (init == p || init->state == PROC_ZOMBIE))
		init = NULL;
	while (p->children) {
		struct proc *c = p->children;
		unlink_child(c);
		link_child(init, c);
		c->detached = !init;
		if (c->state == PROC_ZOMBIE && init)
			sched_wakeup(init);
	}
}

void proc_exit(uint32_t wstatus)
{
	struct proc *p = sched_current();
	if (!p)
		kernel_panic("proc_exit outside a process");
	interrupts_disable(); /* from here to the switch, the process is half gone */
	if (p->as) {
		aspace_activate(&kernel_space);
		aspace_destroy(p->as);
		p->as = NULL;
	}
	drop_files(p);
	tty_proc_exit(p);
	signal_exit_orphans(p);
	hand_over_children(p);
	p->wstatus = wstatus;
	struct proc *parent = p->parent;
	/* A parent that ignores SIGCHLD or set SA_NOCLDWAIT never sees its
	 * children's statuses: the kernel reaps them, and its wait finds no
	 * child (-ECHILD), as on Linux. */
	if (signal_child_exited(p)) {
		unlink_child(p);
		p->detached = true;
	}
	p->state = PROC_ZOMBIE;
	if (parent)
		sched_wakeup(parent);
	sched_exit_current();
}

int proc_kill(int32_t pid, int sig)
{
	struct proc *p = proc_find(pid);
	if (!p || p->state == PROC_ZOMBIE)
		return -LINUX_ESRCH;
	bool was_on = irq_save();
	p->kill_signal = sig;
	if (p->state == PROC_SLEEPING)
		p->state = PROC_RUNNABLE;
	irq_restore(was_on);
	return 0;
}

void proc_init(void)
{
	user_fault_init();
	trap_register(VEC_SYSCALL, syscall_dispatch);
	trap_set_user_return_hook(sched_user_return);
}

/* The kernel's own context has a table and a directory of its own, so the
 * boot path and in-kernel tests can open files like a process. */
static struct fdtable *kernel_files;
static struct inode *kernel_cwd;

struct fdtable *current_files(void)
{
	struct proc *p = sched_current();
	if (p)
		return p->files;
	if (!kernel_files)
		kernel_files = fdtable_create();
	return kernel_files;
}

struct inode **current_cwd(void)
{
	struct proc *p = sched_current();
	if (p)
		return &p->cwd;
	if (!kernel_cwd)
		kernel_cwd = vfs_root();
	return &kernel_cwd;
}
