/* The root file system and the first program (include/kernel/init.h). */
#include "kernel/init.h"

#include <stddef.h>

#include "arch/pit.h"
#include "drivers/console.h"
#include "kernel/boot.h"
#include "kernel/exec.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/scenario.h"
#include "kernel/tty.h"
#include "kernel/vfs.h"
#include "lib/cmdline.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "uapi/linux_abi.h"

#define ARG_BYTES_MAX 2048u /* the whole command line fits */
/* How long processes left behind by PID 1 may take to end by themselves. */
#define REAP_SECONDS 20u

/* The program's environment, as Linux gives init one. */
static const char *const init_env[] = {"HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin"};
#define INIT_ENV_COUNT (sizeof(init_env) / sizeof(init_env[0]))

void init_mount_root(void)
{
	if (boot_info.module_count == 0 || !boot_info.modules[0].data) {
		console_writeln("Root file system: none (no boot module)");
		return;
	}
	const struct boot_module *m = &boot_info.modules[0];
	const char *reason;
	int rc = vfs_mount_root(m->data, m->size, &reason);
	if (rc)
		kprintf("Root file system: boot module refused (%s); booting without one\n",
			reason);
	else
		kprintf("Root file system: cpio archive of %u KiB from the first boot module\n",
			m->size / 1024);
}

int32_t init_spawn(const char *path, const char *const *args, uint32_t nargs)
{
	if (!vfs_have_root())
		return -LINUX_ENOENT;
	const char *argv[INIT_ARGS_MAX + 1];
	if (nargs > INIT_ARGS_MAX)
		return -LINUX_E2BIG;
	argv[0] = path;
	for (uint32_t i = 0; i < nargs; i++)
		argv[i + 1] = args[i];
	struct exec_args a;
	int rc = exec_args_from_kernel(&a, argv, nargs + 1, init_env, INIT_ENV_COUNT);
	struct exec_image img;
	if (!rc)
		rc = exec_build(vfs_root(), path, &a, &img);
	exec_args_free(&a);
	if (rc)
		return rc;
	/* exec_build left the new space active; the kernel's context runs in
	 * its own until the scheduler switches. */
	aspace_activate(&kernel_space);
	struct trap_frame regs;
	proc_initial_regs(&regs, img.entry, img.sp);
	const char *name = path;
	for (const char *c = path; *c; c++)
		if (*c == '/' && c[1])
			name = c + 1;
	struct proc *p = proc_create(NULL, name, img.as, &regs);
	if (!p) {
		aspace_destroy(img.as);
		return -LINUX_EAGAIN;
	}
	return p->pid;
}

/* The words after `--`, copied out of the command line. */
struct init_args {
	char buf[ARG_BYTES_MAX];
	uint32_t used;
	const char *argv[INIT_ARGS_MAX];
	uint32_t count;
	bool overflow;
};

static void add_arg(const char *word, size_t len, void *ctx)
{
	struct init_args *a = ctx;
	if (a->count == INIT_ARGS_MAX || len + 1 > ARG_BYTES_MAX - a->used) {
		a->overflow = true;
		return;
	}
	memcpy(a->buf + a->used, word, len);
	a->buf[a->used + len] = '\0';
	a->argv[a->count++] = a->buf + a->used;
	a->used += (uint32_t)len + 1;
}

int32_t init_start_from_cmdline(void)
{
	static struct init_args args; /* too large for the boot stack */
	static char path[256];
	args = (struct init_args){0};
	if (!cmdline_get(boot_info.cmdline, "init", path, sizeof(path)))
		memcpy(path, INIT_DEFAULT_PATH, sizeof(INIT_DEFAULT_PATH));
	cmdline_for_each_init_arg(boot_info.cmdline, add_arg, &args);
	if (args.overflow) {
		kernel_note("init: more than %u arguments after --", INIT_ARGS_MAX);
		return -LINUX_E2BIG;
	}
	kernel_note("starting init %s", path);
	int32_t pid = init_spawn(path, args.argv, args.count);
	if (pid < 0)
		kernel_note("init: cannot run %s: error %d%s%s", path, -pid,
			    pid == -LINUX_ENOEXEC ? ": " : "",
			    pid == -LINUX_ENOEXEC ? exec_last_reason() : "");
	return pid;
}

struct init_held init_held_now(void)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	return (struct init_held){pmm_free_count() + hs.mapped_pages, hs.live_blocks,
				  hs.used_bytes};
}

bool init_held_same(const struct init_held *a, const struct init_held *b)
{
	return a->frames_free == b->frames_free && a->heap_blocks == b->heap_blocks &&
	       a->heap_bytes == b->heap_bytes;
}

/* PID 1's orphans are detached when it exits, and the scheduler reaps them
 * in this context. */
bool init_reap_everything(uint32_t seconds)
{
	uint32_t start = pit_ticks();
	while (proc_count() > 0 && pit_ticks() - start < seconds * PIT_HZ)
		if (!sched_run_once())
			sched_idle(false); /* the timer's tick wakes it */
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		const struct proc *p = proc_at(i);
		if (p)
			kernel_note("pid %d (%s) still there after %u s (state %d)", p->pid,
				    p->name, seconds, (int)p->state);
	}
	return proc_count() == 0;
}

/* test=init: PID 1's exit status is the verdict (a signal is a failure),
 * and so is what the run left behind: once every process is gone, every
 * frame is back and vm_check() passes, or the scenario fails. */
static void run_init_scenario(void)
{
	/* The kernel's own descriptor table is made on first use, by the
	 * first exec; it lives for the whole boot, so make it now. */
	current_files();
	struct init_held start = init_held_now();
	int32_t pid = init_start_from_cmdline();
	if (pid < 0)
		scenario_finish(false);
	/* There is no monitor here: what is typed is the terminal's, taken as
	 * it comes so that Ctrl-C interrupts a program that is not reading. */
	tty_own_console(true);
	uint32_t status = 0;
	for (;;) {
		int32_t r = proc_wait(pid, &status, LINUX_WNOHANG);
		if (r == pid)
			break;
		if (r < 0)
			scenario_finish(false);
		tty_take_input();
		if (!sched_run_once())
			sched_idle(true);
	}
	if (LINUX_WIFEXITED(status))
		kernel_note("init exited with status %u", LINUX_WEXITSTATUS(status));
	else
		kernel_note("init killed by %s", signal_name((int)LINUX_WTERMSIG(status)));
	bool all_gone = init_reap_everything(REAP_SECONDS);
	struct init_held end = init_held_now();
	bool mm_ok = vm_check() && heap_check();
	kernel_note("after init: %u frames free at start, %u now; heap %u blocks (%u bytes) at "
		    "start, %u (%u) now; vm_check %s",
		    start.frames_free, end.frames_free, start.heap_blocks, start.heap_bytes,
		    end.heap_blocks, end.heap_bytes, mm_ok ? "OK" : "FAILED");
	bool same = init_held_same(&start, &end);
	if (!same)
		kernel_note("after init: the run kept memory it should have given back");
	scenario_finish(status == 0 && all_gone && mm_ok && same);
}
SCENARIO(init, "init", STAGE_IDLE, run_init_scenario);
