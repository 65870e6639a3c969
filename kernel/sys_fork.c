/* fork, vfork and clone: a copy of the calling process.  Its memory is the
 * parent's shared copy on write (aspace_clone), its descriptors a copy of
 * the parent's table (proc_create), its registers the parent's at the
 * system call with EAX = 0, its TLS slots and FPU state the parent's.
 * One thread a process: clone refuses the flags that would share memory,
 * signal handlers or a thread group. */
#include <stddef.h>

#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/aspace.h"
#include "mm/uaccess.h"
#include "uapi/linux_abi.h"

#define CLONE_ACCEPTED                                                                             \
	(LINUX_CSIGNAL | LINUX_CLONE_PARENT_SETTID | LINUX_CLONE_CHILD_SETTID |                    \
	 LINUX_CLONE_CHILD_CLEARTID | LINUX_CLONE_VFORK)

/* CLONE_CHILD_SETTID writes the child's tid into the child's memory, which
 * after the copy is a different page from the parent's (copy on write). */
static void store_in_child(struct proc *child, uint32_t user_addr, int32_t value)
{
	struct aspace *own = aspace_current();
	aspace_activate(child->as);
	copy_to_user((void *)(uintptr_t)user_addr, &value, sizeof(value));
	aspace_activate(own);
}

static int32_t copy_process(struct trap_frame *f, uint32_t flags, uint32_t new_sp, uint32_t ptid,
			    uint32_t ctid)
{
	struct proc *parent = sched_current();
	struct aspace *as = aspace_clone(parent->as);
	if (!as)
		return -LINUX_ENOMEM;
	struct trap_frame regs = *f;
	regs.eax = 0;
	if (new_sp)
		regs.user_esp = new_sp;
	struct proc *child = proc_create(parent, parent->name, as, &regs);
	if (!child) {
		aspace_destroy(as);
		return -LINUX_EAGAIN;
	}
	proc_copy_cpu_state(child, parent);
	int32_t pid = child->pid;
	if (flags & LINUX_CLONE_PARENT_SETTID)
		copy_to_user((void *)(uintptr_t)ptid, &pid, sizeof(pid));
	if (flags & LINUX_CLONE_CHILD_SETTID)
		store_in_child(child, ctid, pid);
	if (flags & LINUX_CLONE_CHILD_CLEARTID)
		child->clear_child_tid = ctid;
	return pid;
}

int32_t sys_fork(struct trap_frame *f)
{
	return copy_process(f, 0, 0, 0, 0);
}

/* The parent does not wait for the child's exec or exit: a copy is a
 * correct vfork, if a slower one. */
int32_t sys_vfork(struct trap_frame *f)
{
	return copy_process(f, 0, 0, 0, 0);
}

/* i386 argument order: flags, new stack, parent tid pointer, TLS, child tid
 * pointer. */
int32_t sys_clone(struct trap_frame *f)
{
	uint32_t flags = SYSCALL_ARG1(f);
	if (flags & ~(uint32_t)CLONE_ACCEPTED)
		return -LINUX_EINVAL;
	return copy_process(f, flags, SYSCALL_ARG2(f), SYSCALL_ARG3(f), SYSCALL_ARG5(f));
}
