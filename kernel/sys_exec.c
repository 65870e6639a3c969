/* execve: the calling process becomes the program at path.  exec_build
 * (kernel/exec.c) makes the new image; here the process gives up its old
 * space, its TLS slots and FPU state, and its close-on-exec descriptors,
 * and its registers are set for the program's entry.  On any failure the
 * process goes on in its old image with -errno. */
#include <stddef.h>

#include "kernel/exec.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/vfs.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "mm/uaccess.h"
#include "uapi/linux_abi.h"

#define EFLAGS_RESERVED 0x2u

/* The last component of path, as Linux names a process after exec. */
static void set_name(struct proc *p, const char *path)
{
	const char *base = path;
	for (const char *c = path; *c; c++)
		if (*c == '/' && c[1])
			base = c + 1;
	size_t n = 0;
	for (; n < PROC_NAME_LEN - 1 && base[n] && base[n] != '/'; n++)
		p->name[n] = base[n];
	p->name[n] = '\0';
}

/* The registers a program starts with: all zero but its entry and stack. */
static void start_registers(struct trap_frame *f, const struct exec_image *img)
{
	proc_initial_regs(f, img->entry, img->sp);
	f->cs = GDT_USER_CODE;
	f->user_ss = f->ds = f->es = f->fs = f->gs = GDT_USER_DATA;
	f->eflags = EFLAGS_IF | EFLAGS_RESERVED;
}

int32_t sys_execve(struct trap_frame *f)
{
	struct proc *p = sched_current();
	char *path = kmalloc(PATH_MAX);
	if (!path)
		return -LINUX_ENOMEM;
	int rc = strncpy_from_user(path, (const char *)(uintptr_t)SYSCALL_ARG1(f), PATH_MAX);
	struct exec_args args;
	if (rc >= 0)
		rc = exec_args_from_user(&args, SYSCALL_ARG2(f), SYSCALL_ARG3(f));
	else
		args = (struct exec_args){0};
	struct exec_image img;
	if (rc >= 0)
		rc = exec_build(*current_cwd(), path, &args, &img);
	exec_args_free(&args);
	if (rc < 0) {
		kfree(path);
		return rc;
	}
	/* exec_build left the new space active: the old one can go. */
	struct aspace *old = p->as;
	p->as = img.as;
	aspace_destroy(old);
	set_name(p, path);
	kfree(path);
	proc_reset_cpu_state(p);
	signal_exec(p);
	fdtable_exec(p->files);
	start_registers(f, &img);
	return 0;
}
