/* Processes in ring 3, with the hand-assembled programs of
 * user_programs.asm: privilege, system calls, faults turned into signals,
 * wait statuses, preemption, TLS across switches, and nothing left behind. */
#include "kernel/fault_decode.h"
#include "kernel/ktest.h"
#include "uapi/linux_abi.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "kernel/vfs.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "uprog.h"

#define EXITED(code)	    LINUX_W_EXITCODE(code)
#define KILLED_BY(sig)	    LINUX_W_SIGNALLED(sig)
#define RUN_TICKS	    30	 /* long enough for many slices of every process */
#define BATCH_FRAMES_NEEDED 600u /* 40 processes: stacks, directories, tables, pages */

/* Frames in use outside the heap: the heap may keep pages it grew into, so
 * what a test leaves behind is counted without them. */
static uint32_t frames_free(void)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	return pmm_free_count() + hs.mapped_pages;
}

KTEST(proc, runs_in_ring3_and_writes_to_the_console)
{
	KT_EXPECT_EQ(t, uprog_run("hello", uprog_hello, 0, 0), EXITED(3));
}

KTEST(proc, writev_gathers_two_buffers)
{
	KT_EXPECT_EQ(t, uprog_run("writev", uprog_writev, 0, 0), EXITED(17));
}

KTEST(proc, bad_pointers_give_efault)
{
	KT_EXPECT_EQ(t, uprog_run("efault", uprog_efault, 0, 0), EXITED(LINUX_EFAULT));
}

KTEST(proc, getpid_gettid_getppid_getuid)
{
	struct proc *p = uprog_spawn(NULL, "ids", uprog_ids, 0, 0);
	KT_ASSERT_TRUE(t, p != NULL);
	int32_t pid = p->pid;
	uint32_t status = 0;
	KT_EXPECT_EQ(t, proc_wait(pid, &status, 0), pid);
	KT_EXPECT_EQ(t, status, EXITED(pid & 0xFF));
}

/* A number no run has reported yet: the line comes once for two calls. */
KTEST(proc, unknown_syscall_is_enosys_and_reported_once)
{
	static uint32_t runs;
	uint32_t nr = 480 + runs++ % 32; /* above every Linux i386 number */
	uint32_t reports = syscall_unknown_reports();
	KT_EXPECT_EQ(t, uprog_run("unknown", uprog_unknown, nr, 0), EXITED(LINUX_ENOSYS));
	KT_EXPECT_EQ(t, syscall_unknown_reports(), reports + (runs <= 32 ? 1 : 0));
}

KTEST(proc, ring0_instructions_end_with_sigsegv)
{
	const struct {
		const char *name, *entry;
	} progs[] = {
		{"cli", uprog_cli}, {"hlt", uprog_hlt},	  {"in", uprog_in},
		{"out", uprog_out}, {"lgdt", uprog_lgdt}, {"farcall", uprog_farcall},
	};
	uprog_run("warm-up", uprog_ids, 0, 0);
	uint32_t before = frames_free();
	for (unsigned i = 0; i < sizeof(progs) / sizeof(progs[0]); i++)
		KT_EXPECT_EQ(t, uprog_run(progs[i].name, progs[i].entry, 0, 0),
			     KILLED_BY(LINUX_SIGSEGV));
	KT_EXPECT_EQ(t, frames_free(), before); /* a killed process leaves nothing */
}

KTEST(proc, faults_become_linux_signals)
{
	uprog_run("warm-up", uprog_ids, 0, 0);
	uint32_t before = frames_free();
	KT_EXPECT_EQ(t, uprog_run("null", uprog_null, 0, 0), KILLED_BY(LINUX_SIGSEGV));
	KT_EXPECT_EQ(t, uprog_run("writecode", uprog_write_code, 0, 0), KILLED_BY(LINUX_SIGSEGV));
	KT_EXPECT_EQ(t, uprog_run("readkernel", uprog_read_kernel, 0, 0), KILLED_BY(LINUX_SIGSEGV));
	KT_EXPECT_EQ(t, uprog_run("ud2", uprog_ud2, 0, 0), KILLED_BY(LINUX_SIGILL));
	KT_EXPECT_EQ(t, uprog_run("div0", uprog_div0, 0, 0), KILLED_BY(LINUX_SIGFPE));
	KT_EXPECT_EQ(t, frames_free(), before);
}

/* Without preemption the spinner would keep the CPU and this would hang;
 * the two counters (which make system calls but never yield) must each
 * make progress too. */
KTEST(proc, preemption_shares_the_cpu)
{
	struct proc *spin = uprog_spawn(NULL, "spin", uprog_spin, 0, 0);
	struct proc *a = uprog_spawn(NULL, "count-a", uprog_count, 0, 0);
	struct proc *b = uprog_spawn(NULL, "count-b", uprog_count, 0, 0);
	KT_ASSERT_TRUE(t, spin && a && b);
	sched_run_for(RUN_TICKS);
	KT_EXPECT_TRUE(t, spin->runs >= 2);
	KT_EXPECT_TRUE(t, a->syscalls > 0);
	KT_EXPECT_TRUE(t, b->syscalls > 0);
	KT_EXPECT_TRUE(t, a->runs >= 2 && b->runs >= 2);
	struct proc *all[] = {spin, a, b};
	for (unsigned i = 0; i < 3; i++) {
		int32_t pid = all[i]->pid;
		uint32_t status = 0;
		KT_EXPECT_EQ(t, proc_kill(pid, LINUX_SIGKILL), 0);
		KT_EXPECT_EQ(t, proc_wait(pid, &status, 0), pid);
		KT_EXPECT_EQ(t, status, KILLED_BY(LINUX_SIGKILL));
	}
}

/* Processes that only yield hand the CPU to one another directly; the
 * kernel's context must still get its turn (once a timer tick), or this
 * would never return. */
KTEST(proc, yielding_processes_leave_the_kernel_its_turn)
{
	struct proc *a = uprog_spawn(NULL, "yield-a", uprog_yield, 0, 0);
	struct proc *b = uprog_spawn(NULL, "yield-b", uprog_yield, 0, 0);
	KT_ASSERT_TRUE(t, a && b);
	uint32_t start = pit_ticks();
	sched_run_for(RUN_TICKS);
	KT_EXPECT_TRUE(t, pit_ticks() - start >= RUN_TICKS);
	KT_EXPECT_TRUE(t, a->runs >= 2 && b->runs >= 2);
	struct proc *all[] = {a, b};
	for (unsigned i = 0; i < 2; i++) {
		int32_t pid = all[i]->pid;
		uint32_t status = 0;
		KT_EXPECT_EQ(t, proc_kill(pid, LINUX_SIGKILL), 0);
		KT_EXPECT_EQ(t, proc_wait(pid, &status, 0), pid);
		KT_EXPECT_EQ(t, status, KILLED_BY(LINUX_SIGKILL));
	}
}

/* Segment registers a program loaded can go bad under it (set_thread_area
 * empties the slot): the way back to ring 3 must not fault in the kernel. */
KTEST(proc, stale_segment_selectors_never_fault_the_kernel)
{
	KT_EXPECT_EQ(t, uprog_run("ss-bad", uprog_ss_bad, 0, 0), KILLED_BY(LINUX_SIGSEGV));
	KT_EXPECT_EQ(t, uprog_run("gs-bad", uprog_gs_bad, 0, 0), EXITED(0));
	KT_EXPECT_EQ(t, uprog_run("absent-tls", uprog_absent_tls, 0, 0), KILLED_BY(LINUX_SIGBUS));
}

KTEST(proc, int3_is_sigtrap)
{
	KT_EXPECT_EQ(t, uprog_run("int3", uprog_int3, 0, 0), KILLED_BY(LINUX_SIGTRAP));
}

/* Two processes whose %gs segments differ, yielding to each other: each
 * must see its own TLS after every switch. */
KTEST(proc, tls_descriptor_follows_the_process)
{
	struct proc *a = uprog_spawn(NULL, "tls-a", uprog_tls, 0xAAAA0001u, 0);
	struct proc *b = uprog_spawn(NULL, "tls-b", uprog_tls, 0xBBBB0002u, 16);
	KT_ASSERT_TRUE(t, a && b);
	int32_t pa = a->pid, pb = b->pid;
	uint32_t sa = 0, sb = 0;
	KT_EXPECT_EQ(t, proc_wait(pa, &sa, 0), pa);
	KT_EXPECT_EQ(t, proc_wait(pb, &sb, 0), pb);
	KT_EXPECT_EQ(t, sa, EXITED(6));
	KT_EXPECT_EQ(t, sb, EXITED(6));
}

/* Three processes with different x87 values, yielding to each other (the
 * scheduler switches between them directly, without the kernel's context
 * in between): each must find its own value after every switch. */
KTEST(proc, fpu_state_follows_the_process)
{
	const uint32_t markers[] = {0x01234567u, 0x07654321u, 0x0ABCDEF0u};
	struct proc *p[3];
	for (unsigned i = 0; i < 3; i++) {
		p[i] = uprog_spawn(NULL, "fpu", uprog_fpu, markers[i], 0);
		KT_ASSERT_TRUE(t, p[i] != NULL);
	}
	for (unsigned i = 0; i < 3; i++) {
		int32_t pid = p[i]->pid;
		uint32_t status = 0;
		KT_EXPECT_EQ(t, proc_wait(pid, &status, 0), pid);
		KT_EXPECT_EQ(t, status, EXITED(0));
	}
}

KTEST(proc, nanosleep_sleeps_and_clock_gettime_reads)
{
	uint32_t start = pit_ticks();
	KT_EXPECT_EQ(t, uprog_run("sleep", uprog_sleep, 0, 0), EXITED(0));
	KT_EXPECT_TRUE(t, pit_ticks() - start >= 5); /* 50 ms at 100 Hz */
	KT_EXPECT_EQ(t, uprog_run("clock", uprog_clock, 0, 0), EXITED(0));
}

KTEST(proc, wait_nohang_echild_and_kill)
{
	KT_EXPECT_EQ(t, proc_wait(-1, NULL, LINUX_WNOHANG), -LINUX_ECHILD);
	struct proc *p = uprog_spawn(NULL, "spin", uprog_spin, 0, 0);
	KT_ASSERT_TRUE(t, p != NULL);
	int32_t pid = p->pid;
	uint32_t status = 0;
	KT_EXPECT_EQ(t, proc_wait(pid, &status, LINUX_WNOHANG), 0);
	KT_EXPECT_EQ(t, proc_wait(pid + 1000, &status, 0), -LINUX_ECHILD);
	KT_EXPECT_EQ(t, proc_kill(pid, LINUX_SIGKILL), 0);
	KT_EXPECT_EQ(t, proc_wait(-1, &status, 0), pid);
	KT_EXPECT_EQ(t, status, KILLED_BY(LINUX_SIGKILL));
	KT_EXPECT_EQ(t, proc_kill(pid, LINUX_SIGKILL), -LINUX_ESRCH);
}

/* A process waiting in wait4 sleeps until its child exits and gets the
 * child's status word in its own memory: an exit code, then a signal. */
KTEST(proc, wait4_in_a_process_gets_the_child_status)
{
	const struct {
		const char *entry;
		uint32_t want;
	} cases[] = {
		{uprog_writev, EXITED(17)},
		{uprog_null, EXITED(0x80 | LINUX_SIGSEGV)},
	};
	for (unsigned i = 0; i < 2; i++) {
		struct proc *w = uprog_spawn(NULL, "waiter", uprog_waiter, 0, 0);
		KT_ASSERT_TRUE(t, w != NULL);
		struct proc *c = uprog_spawn(w, "child", cases[i].entry, 0, 0);
		KT_ASSERT_TRUE(t, c != NULL);
		int32_t pid = w->pid;
		uint32_t status = 0;
		KT_EXPECT_EQ(t, proc_wait(pid, &status, 0), pid);
		KT_EXPECT_EQ(t, status, cases[i].want);
	}
}

/* fork and clone with glibc fork()'s flags: the child returns 0 with the
 * parent's registers, its own copy of memory (copy on write) and TLS, its
 * parent's pid from getppid, its tid stored where CLONE_CHILD_SETTID
 * asked; the parent gets the child's pid and its exit status. */
KTEST(proc, fork_and_clone_copy_the_process)
{
	uprog_run("warm-up", uprog_ids, 0, 0);
	uint32_t before = frames_free();
	KT_EXPECT_EQ(t, uprog_run("fork", uprog_fork, 0, 0), EXITED(42));
	KT_EXPECT_EQ(t, uprog_run("clone", uprog_fork, 1, 0), EXITED(42));
	KT_EXPECT_EQ(t, frames_free(), before);
}

extern const char tiny_elf_start[], tiny_elf_end[];

/* One newc cpio member (what `cpio -o -H newc` writes): the header's 13
 * fields in 8 hex digits each, the name with its NUL, the data, each padded
 * to 4 bytes.  Returns the bytes written. */
static uint32_t cpio_member(char *out, const char *name, uint32_t mode, const void *data,
			    uint32_t size)
{
	uint32_t namesize = (uint32_t)strlen(name) + 1;
	uint32_t fields[13] = {1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize, 0};
	char *p = out;
	memcpy(p, "070701", 6);
	p += 6;
	for (int i = 0; i < 13; i++)
		for (int d = 7; d >= 0; d--)
			*p++ = "0123456789ABCDEF"[(fields[i] >> (d * 4)) & 0xF];
	memcpy(p, name, namesize);
	p += namesize;
	while ((p - out) % 4)
		*p++ = 0;
	if (size)
		memcpy(p, data, size);
	p += size;
	while ((p - out) % 4)
		*p++ = 0;
	return (uint32_t)(p - out);
}

#define S_IFREG_0755 0100755u

/* The two files the execve case runs, mounted once (the archive must stay
 * where it is, so it is never freed). */
bool uprog_mount_exec_files(void)
{
	struct inode *ino;
	if (vfs_have_root() && vfs_lookup(vfs_root(), "/ring3-exec", &ino) == 0)
		return true;
	static const char text[] = "not an ELF file\n";
	uint32_t elf_size = (uint32_t)(tiny_elf_end - tiny_elf_start);
	char *archive = kmalloc(3 * 128 + elf_size + sizeof(text));
	if (!archive)
		return false;
	uint32_t n = cpio_member(archive, "ring3-exec", S_IFREG_0755, tiny_elf_start, elf_size);
	n += cpio_member(archive + n, "ring3-notelf", S_IFREG_0755, text, sizeof(text) - 1);
	n += cpio_member(archive + n, "TRAILER!!!", 0, NULL, 0);
	const char *reason;
	return vfs_mount_root(archive, n, &reason) == 0;
}

/* execve replaces the program (its output, its exit status 40 + argc); a
 * missing file or one that is not an ELF program fails with -ENOENT or
 * -ENOEXEC and the old program goes on; nothing is left behind. */
KTEST(proc, execve_runs_a_program_and_failures_keep_the_old_one)
{
	KT_ASSERT_TRUE(t, uprog_mount_exec_files());
	uprog_run("warm-up", uprog_ids, 0, 0);
	uint32_t before = frames_free();
	KT_EXPECT_EQ(t, uprog_run("exec", uprog_exec, 0, 0), EXITED(42));
	KT_EXPECT_EQ(t, uprog_run("exec", uprog_exec, 1, 0), EXITED(LINUX_ENOENT));
	KT_EXPECT_EQ(t, uprog_run("exec", uprog_exec, 2, 0), EXITED(LINUX_ENOEXEC));
	KT_EXPECT_EQ(t, frames_free(), before);
}

/* A kill reaches a process asleep in read() (no line is ever typed here)
 * or in nanosleep: it wakes, and dies of the signal on its way out. */
KTEST(proc, kill_wakes_a_sleeping_process)
{
	struct proc *r = uprog_spawn(NULL, "reader", uprog_read, 1, 0); /* no prompt */
	KT_ASSERT_TRUE(t, r != NULL);
	int32_t pid = r->pid;
	sched_run_for(3);
	KT_EXPECT_EQ(t, r->state, PROC_SLEEPING);
	uint32_t status = 0;
	KT_EXPECT_EQ(t, proc_kill(pid, LINUX_SIGKILL), 0);
	KT_EXPECT_EQ(t, proc_wait(pid, &status, 0), pid);
	KT_EXPECT_EQ(t, status, KILLED_BY(LINUX_SIGKILL));
}

/* What fork and exec will use: copying gives the child the parent's TLS
 * and FPU image; resetting empties the TLS slots and restores the initial
 * FPU image. */
KTEST(proc, cpu_state_copy_and_reset)
{
	struct proc *a = uprog_spawn(NULL, "a", uprog_ids, 0, 0);
	struct proc *b = uprog_spawn(NULL, "b", uprog_ids, 0, 0);
	KT_ASSERT_TRUE(t, a && b);
	struct fpu_state initial;
	fpu_initial_state(&initial);
	a->tls[0] = (struct seg_desc){0x1234FFFFu, 0x00CFF300u};
	a->fpu->bytes[100] = 0x5A;
	proc_copy_cpu_state(b, a);
	KT_EXPECT_EQ(t, b->tls[0].lo, 0x1234FFFFu);
	KT_EXPECT_EQ(t, b->tls[0].hi, 0x00CFF300u);
	KT_EXPECT_EQ(t, b->fpu->bytes[100], 0x5A);
	proc_reset_cpu_state(b);
	KT_EXPECT_EQ(t, b->tls[0].lo | b->tls[0].hi, 0);
	KT_EXPECT_EQ(t, memcmp(b->fpu, &initial, sizeof(initial)), 0);
	int32_t pa = a->pid, pb = b->pid;
	KT_EXPECT_EQ(t, proc_wait(pa, NULL, 0), pa);
	KT_EXPECT_EQ(t, proc_wait(pb, NULL, 0), pb);
}

/* 100 processes one after another, then 40 at once: every frame, page
 * table and kernel stack comes back. */
KTEST(proc, hundred_processes_leave_nothing_behind)
{
	uprog_run("warm-up", uprog_ids, 0, 0);
	uint32_t before = frames_free(), free_before = pmm_free_count();
	int exited = 0;
	for (int i = 0; i < 100; i++) {
		uint32_t status = uprog_run("seq", uprog_ids, 0, 0);
		exited += status != UPROG_NOT_RUN && (status & 0x7Fu) == 0; /* not killed */
	}
	KT_EXPECT_EQ(t, exited, 100);
	/* One at a time, the heap needs no more than the warm-up gave it. */
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
	KT_EXPECT_TRUE(t, vm_check());
	/* The batch needs room for 40 kernel stacks and spaces at once; on a
	 * small machine spawning stops early, and what was spawned is reaped
	 * all the same, so nothing is left for the next case. */
	bool room = pmm_free_count() >= BATCH_FRAMES_NEEDED;
	int32_t pids[40];
	int spawned = 0;
	for (; spawned < 40; spawned++) {
		struct proc *p = uprog_spawn(NULL, "batch", uprog_ids, 0, 0);
		if (!p)
			break;
		pids[spawned] = p->pid;
	}
	if (room)
		KT_EXPECT_EQ(t, spawned, 40);
	for (int i = spawned - 1; i >= 0; i--)
		KT_EXPECT_EQ(t, proc_wait(pids[i], NULL, 0), pids[i]);
	KT_EXPECT_EQ(t, proc_count(), 0);
	KT_EXPECT_EQ(t, frames_free(), before);
	KT_EXPECT_TRUE(t, vm_check());
}

/* An orphan goes to PID 1, and when PID 1 dies too, the kernel reaps both
 * without anyone waiting.  It needs the first process of the boot as its
 * PID 1, so test=ring3 runs it before anything else (the order of the KTAP
 * cases depends on the compiler); in test=ktest it usually skips. */
void uprog_orphan_case(struct ktest *t)
{
	uint32_t before = frames_free();
	struct proc *init = uprog_spawn(NULL, "init", uprog_spin, 0, 0);
	KT_ASSERT_TRUE(t, init != NULL);
	int32_t init_pid = init->pid;
	if (init_pid != 1) {
		proc_kill(init_pid, LINUX_SIGKILL);
		proc_wait(init_pid, NULL, 0);
		ktest_skip(t, "pid 1 was taken by an earlier run");
		return;
	}
	struct proc *parent = uprog_spawn(NULL, "parent", uprog_spin, 0, 0);
	KT_ASSERT_TRUE(t, parent != NULL);
	struct proc *orphan = uprog_spawn(parent, "orphan", uprog_spin, 0, 0);
	KT_ASSERT_TRUE(t, orphan != NULL);
	int32_t parent_pid = parent->pid, orphan_pid = orphan->pid;
	KT_EXPECT_TRUE(t, orphan->parent == parent);

	uint32_t status = 0;
	proc_kill(parent_pid, LINUX_SIGKILL);
	KT_EXPECT_EQ(t, proc_wait(parent_pid, &status, 0), parent_pid);
	KT_EXPECT_EQ(t, status, KILLED_BY(LINUX_SIGKILL));
	KT_EXPECT_TRUE(t, orphan->parent == init);
	KT_EXPECT_EQ(t, proc_wait(orphan_pid, &status, LINUX_WNOHANG), -LINUX_ECHILD);

	proc_kill(orphan_pid, LINUX_SIGKILL);
	sched_run_for(2);
	struct proc *z = proc_find(orphan_pid);
	KT_EXPECT_TRUE(t, z != NULL && z->state == PROC_ZOMBIE); /* init never waits */

	proc_kill(init_pid, LINUX_SIGKILL);
	KT_EXPECT_EQ(t, proc_wait(init_pid, &status, 0), init_pid);
	sched_run_for(1);
	KT_EXPECT_TRUE(t, proc_find(orphan_pid) == NULL);
	KT_EXPECT_EQ(t, proc_count(), 0);
	KT_EXPECT_EQ(t, frames_free(), before);
}

KTEST(proc, orphans_go_to_pid1_then_to_the_kernel)
{
	uprog_orphan_case(t);
}

/* A process's kernel stack overflowing into its guard page is diagnosed as
 * the boot stack's is: as a page fault there, or a double fault whose ESP
 * is in it. */
KTEST(proc, kernel_stack_guard_is_diagnosed)
{
	uint32_t guard = LAYOUT_KSTACKS + 5 * LAYOUT_KSTACK_SLOT + 0x10;
	struct trap_frame pf = {.vector = VEC_PAGE_FAULT, .error_code = 0x2};
	const char *why = exception_diagnosis(&pf, guard);
	KT_EXPECT_TRUE(t, why && strncmp(why, "kernel stack overflow", 21) == 0);
	struct trap_frame df = {.vector = VEC_DOUBLE_FAULT, .esp_at_pusha = guard + 0x100 - 20};
	why = exception_diagnosis(&df, 0);
	KT_EXPECT_TRUE(t, why && strncmp(why, "kernel stack overflow", 21) == 0);
	/* The stack itself, well above its guard, is no overflow. */
	struct trap_frame ok = {.vector = VEC_PAGE_FAULT, .error_code = 0x2};
	why = exception_diagnosis(&ok, guard + 3 * PAGE_SIZE);
	KT_EXPECT_TRUE(t, !why || strncmp(why, "kernel stack overflow", 21) != 0);
}
