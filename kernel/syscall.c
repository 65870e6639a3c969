/* The system-call table and its dispatcher (include/kernel/syscall.h). */
#include "kernel/syscall.h"

#include <stdbool.h>
#include <stddef.h>

#include "uapi/linux_abi.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/tty.h"

static const syscall_fn table[] = {
	[LINUX_NR_exit] = sys_exit,
	[LINUX_NR_fork] = sys_fork,
	[LINUX_NR_read] = sys_read,
	[LINUX_NR_write] = sys_write,
	[LINUX_NR_open] = sys_open,
	[LINUX_NR_close] = sys_close,
	[LINUX_NR_waitpid] = sys_waitpid,
	[LINUX_NR_link] = sys_link,
	[LINUX_NR_execve] = sys_execve,
	[LINUX_NR_unlink] = sys_unlink,
	[LINUX_NR_chdir] = sys_chdir,
	[LINUX_NR_fchdir] = sys_fchdir,
	[LINUX_NR_mknod] = sys_mknod,
	[LINUX_NR_chmod] = sys_chmod,
	[LINUX_NR_rename] = sys_rename,
	[LINUX_NR_mkdir] = sys_mkdir,
	[LINUX_NR_rmdir] = sys_rmdir,
	[LINUX_NR_ftruncate] = sys_ftruncate,
	[LINUX_NR_ftruncate64] = sys_ftruncate64,
	[LINUX_NR_mkdirat] = sys_mkdirat,
	[LINUX_NR_unlinkat] = sys_unlinkat,
	[LINUX_NR_renameat] = sys_renameat,
	[LINUX_NR_lseek] = sys_lseek,
	[LINUX_NR_getpid] = sys_getpid,
	[LINUX_NR_alarm] = sys_alarm,
	[LINUX_NR_pause] = sys_pause,
	[LINUX_NR_access] = sys_access,
	[LINUX_NR_sync] = sys_sync,
	[LINUX_NR_kill] = sys_kill,
	[LINUX_NR_prctl] = sys_prctl,
	[LINUX_NR_pipe] = sys_pipe,
	[LINUX_NR_setpgid] = sys_setpgid,
	[LINUX_NR_umask] = sys_umask,
	[LINUX_NR_getpgrp] = sys_getpgrp,
	[LINUX_NR_setsid] = sys_setsid,
	[LINUX_NR_sigreturn] = sys_sigreturn,
	[LINUX_NR_getpgid] = sys_getpgid,
	[LINUX_NR_poll] = sys_poll,
	[LINUX_NR_rt_sigreturn] = sys_rt_sigreturn,
	[LINUX_NR_rt_sigaction] = sys_rt_sigaction,
	[LINUX_NR_rt_sigprocmask] = sys_rt_sigprocmask,
	[LINUX_NR_rt_sigpending] = sys_rt_sigpending,
	[LINUX_NR_rt_sigtimedwait] = sys_rt_sigtimedwait,
	[LINUX_NR_rt_sigsuspend] = sys_rt_sigsuspend,
	[LINUX_NR_fcntl64] = sys_fcntl64,
	[LINUX_NR_tkill] = sys_tkill,
	[LINUX_NR_tgkill] = sys_tgkill,
	[LINUX_NR_dup] = sys_dup,
	[LINUX_NR_brk] = sys_brk,
	[LINUX_NR_ioctl] = sys_ioctl,
	[LINUX_NR_dup2] = sys_dup2,
	[LINUX_NR_getppid] = sys_getppid,
	[LINUX_NR_symlink] = sys_symlink,
	[LINUX_NR_readlink] = sys_readlink,
	[LINUX_NR_mmap] = sys_old_mmap,
	[LINUX_NR_munmap] = sys_munmap,
	[LINUX_NR_fchmod] = sys_fchmod,
	[LINUX_NR_getpriority] = sys_getpriority,
	[LINUX_NR_setpriority] = sys_setpriority,
	[LINUX_NR_wait4] = sys_wait4,
	[LINUX_NR_setitimer] = sys_setitimer,
	[LINUX_NR_getitimer] = sys_getitimer,
	[LINUX_NR_sysinfo] = sys_sysinfo,
	[LINUX_NR_fsync] = sys_fsync,
	[LINUX_NR_clone] = sys_clone,
	[LINUX_NR_uname] = sys_uname,
	[LINUX_NR_mprotect] = sys_mprotect,
	[LINUX_NR_msync] = sys_msync,
	[LINUX_NR__llseek] = sys_llseek,
	[LINUX_NR__newselect] = sys_select,
	[LINUX_NR_readv] = sys_readv,
	[LINUX_NR_writev] = sys_writev,
	[LINUX_NR_fdatasync] = sys_fsync,
	[LINUX_NR_sched_yield] = sys_sched_yield,
	[LINUX_NR_nanosleep] = sys_nanosleep,
	[LINUX_NR_pread64] = sys_pread64,
	[LINUX_NR_getcwd] = sys_getcwd,
	[LINUX_NR_sigaltstack] = sys_sigaltstack,
	[LINUX_NR_sendfile] = sys_sendfile,
	[LINUX_NR_vfork] = sys_vfork,
	[LINUX_NR_ugetrlimit] = sys_ugetrlimit,
	[LINUX_NR_mmap2] = sys_mmap2,
	[LINUX_NR_stat64] = sys_stat64,
	[LINUX_NR_lstat64] = sys_lstat64,
	[LINUX_NR_fstat64] = sys_fstat64,
	[LINUX_NR_lchown32] = sys_lchown32,
	[LINUX_NR_getuid32] = sys_getuid,
	[LINUX_NR_getgid32] = sys_getuid,
	[LINUX_NR_geteuid32] = sys_getuid,
	[LINUX_NR_getegid32] = sys_getuid,
	[LINUX_NR_getgroups32] = sys_getgroups32,
	[LINUX_NR_fchown32] = sys_fchown32,
	[LINUX_NR_chown32] = sys_chown32,
	[LINUX_NR_getdents64] = sys_getdents64,
	[LINUX_NR_gettid] = sys_gettid,
	[LINUX_NR_sendfile64] = sys_sendfile64,
	[LINUX_NR_sched_getaffinity] = sys_sched_getaffinity,
	[LINUX_NR_set_thread_area] = sys_set_thread_area,
	[LINUX_NR_get_thread_area] = sys_get_thread_area,
	[LINUX_NR_exit_group] = sys_exit_group,
	[LINUX_NR_set_tid_address] = sys_set_tid_address,
	[LINUX_NR_clock_gettime] = sys_clock_gettime,
	[LINUX_NR_clock_nanosleep] = sys_clock_nanosleep,
	[LINUX_NR_statfs64] = sys_statfs64,
	[LINUX_NR_fstatfs64] = sys_fstatfs64,
	[LINUX_NR_utimes] = sys_utimes,
	[LINUX_NR_openat] = sys_openat,
	[LINUX_NR_mknodat] = sys_mknodat,
	[LINUX_NR_fchownat] = sys_fchownat,
	[LINUX_NR_fstatat64] = sys_fstatat64,
	[LINUX_NR_linkat] = sys_linkat,
	[LINUX_NR_symlinkat] = sys_symlinkat,
	[LINUX_NR_faccessat] = sys_faccessat,
	[LINUX_NR_pselect6] = sys_pselect6,
	[LINUX_NR_ppoll] = sys_ppoll,
	[LINUX_NR_set_robust_list] = sys_set_robust_list,
	[LINUX_NR_readlinkat] = sys_readlinkat,
	[LINUX_NR_fchmodat] = sys_fchmodat,
	[LINUX_NR_utimensat] = sys_utimensat,
	[LINUX_NR_dup3] = sys_dup3,
	[LINUX_NR_pipe2] = sys_pipe2,
	[LINUX_NR_prlimit64] = sys_prlimit64,
	[LINUX_NR_getrandom] = sys_getrandom,
	[LINUX_NR_statx] = sys_statx,
	[LINUX_NR_rseq] = sys_not_available,
	[LINUX_NR_clock_gettime64] = sys_clock_gettime64,
	[LINUX_NR_clock_nanosleep_time64] = sys_clock_nanosleep_time64,
	[LINUX_NR_utimensat_time64] = sys_utimensat_time64,
	[LINUX_NR_pselect6_time64] = sys_pselect6_time64,
	[LINUX_NR_ppoll_time64] = sys_ppoll_time64,
	[LINUX_NR_rt_sigtimedwait_time64] = sys_rt_sigtimedwait_time64,
};
#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

/* Which unknown numbers were reported: one bit each below REPORTED_BITS
 * (Linux i386 has about 460), and a few remembered above; past those the
 * rest stay quiet, so a program trying random numbers cannot flood the
 * console. */
#define REPORTED_BITS  512u
#define REPORTED_LARGE 16u
static uint32_t reported[REPORTED_BITS / 32];
static uint32_t reported_large[REPORTED_LARGE];
static uint32_t large_count, reports;

static bool first_report(uint32_t nr)
{
	if (nr < REPORTED_BITS) {
		uint32_t bit = 1u << (nr % 32);
		bool first = !(reported[nr / 32] & bit);
		reported[nr / 32] |= bit;
		return first;
	}
	for (uint32_t i = 0; i < large_count; i++)
		if (reported_large[i] == nr)
			return false;
	if (large_count == REPORTED_LARGE)
		return false;
	reported_large[large_count++] = nr;
	return true;
}

uint32_t syscall_unknown_reports(void)
{
	return reports;
}

static int32_t unknown(const struct proc *p, uint32_t nr)
{
	if (first_report(nr)) {
		reports++;
		kernel_note("pid %d (%s): unknown system call %u, returning -ENOSYS", p->pid,
			    p->name, nr);
	}
	return -LINUX_ENOSYS;
}

void syscall_dispatch(struct trap_frame *f)
{
	struct proc *p = sched_current();
	if (!p || !trap_from_user(f))
		kernel_panic("int $0x80 from the kernel (EIP 0x%08X)", f->eip);
	p->syscalls++;
	uint32_t nr = f->eax;
	p->syscall_nr = nr;
	syscall_fn fn = nr < TABLE_SIZE ? table[nr] : NULL;
	f->eax = (uint32_t)(fn ? fn(f) : unknown(p, nr));
}
