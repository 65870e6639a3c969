/* System calls: int $0x80 from ring 3, Linux i386 numbers and conventions.
 * The number is in EAX, the arguments in EBX, ECX, EDX, ESI, EDI, EBP, the
 * result goes back in EAX: a value, or -errno (Linux's numbers).  A number
 * nobody implements returns -ENOSYS and is reported once on the console. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include <stdint.h>

#include "arch/trap.h"

/* Every handler takes the caller's trap frame (fork and exec need all of
 * it) and returns what goes back in EAX. */
typedef int32_t (*syscall_fn)(struct trap_frame *f);

#define SYSCALL_ARG1(f) ((f)->ebx)
#define SYSCALL_ARG2(f) ((f)->ecx)
#define SYSCALL_ARG3(f) ((f)->edx)
#define SYSCALL_ARG4(f) ((f)->esi)
#define SYSCALL_ARG5(f) ((f)->edi)
#define SYSCALL_ARG6(f) ((f)->ebp)

/* The int $0x80 handler (registered by proc_init). */
void syscall_dispatch(struct trap_frame *f);
/* How many "unknown system call" lines were printed (tests). */
uint32_t syscall_unknown_reports(void);

/* kernel/sys_proc.c */
int32_t sys_exit(struct trap_frame *f);
int32_t sys_exit_group(struct trap_frame *f);
int32_t sys_getpid(struct trap_frame *f);
int32_t sys_getppid(struct trap_frame *f);
int32_t sys_kill(struct trap_frame *f);
int32_t sys_tkill(struct trap_frame *f);
int32_t sys_tgkill(struct trap_frame *f);
int32_t sys_prctl(struct trap_frame *f);
int32_t sys_gettid(struct trap_frame *f);
int32_t sys_sched_yield(struct trap_frame *f);
int32_t sys_getuid(struct trap_frame *f);
int32_t sys_wait4(struct trap_frame *f);
int32_t sys_waitpid(struct trap_frame *f);
int32_t sys_set_tid_address(struct trap_frame *f);
int32_t sys_set_robust_list(struct trap_frame *f);
int32_t sys_not_available(struct trap_frame *f);
/* kernel/sys_fork.c */
int32_t sys_fork(struct trap_frame *f);
int32_t sys_vfork(struct trap_frame *f);
int32_t sys_clone(struct trap_frame *f);
/* kernel/sys_exec.c */
int32_t sys_execve(struct trap_frame *f);
/* kernel/sys_tls.c */
int32_t sys_set_thread_area(struct trap_frame *f);
int32_t sys_get_thread_area(struct trap_frame *f);
/* kernel/sys_time.c */
int32_t sys_nanosleep(struct trap_frame *f);
int32_t sys_clock_gettime(struct trap_frame *f);
int32_t sys_clock_gettime64(struct trap_frame *f);
int32_t sys_clock_nanosleep(struct trap_frame *f);
int32_t sys_clock_nanosleep_time64(struct trap_frame *f);

/* kernel/sys_fs.c */
int32_t sys_read(struct trap_frame *f);
int32_t sys_write(struct trap_frame *f);
int32_t sys_writev(struct trap_frame *f);
int32_t sys_readv(struct trap_frame *f);
int32_t sys_pread64(struct trap_frame *f);
int32_t sys_open(struct trap_frame *f);
int32_t sys_openat(struct trap_frame *f);
int32_t sys_close(struct trap_frame *f);
int32_t sys_lseek(struct trap_frame *f);
int32_t sys_llseek(struct trap_frame *f);
int32_t sys_fstat64(struct trap_frame *f);
int32_t sys_stat64(struct trap_frame *f);
int32_t sys_fstatat64(struct trap_frame *f);
int32_t sys_statx(struct trap_frame *f);
int32_t sys_getdents64(struct trap_frame *f);
int32_t sys_readlink(struct trap_frame *f);
int32_t sys_readlinkat(struct trap_frame *f);
int32_t sys_setpgid(struct trap_frame *f);
int32_t sys_getpgid(struct trap_frame *f);
int32_t sys_getpgrp(struct trap_frame *f);
int32_t sys_setsid(struct trap_frame *f);
int32_t sys_umask(struct trap_frame *f);
int32_t sys_rt_sigaction(struct trap_frame *f);
int32_t sys_rt_sigprocmask(struct trap_frame *f);
int32_t sys_rt_sigpending(struct trap_frame *f);
int32_t sys_rt_sigsuspend(struct trap_frame *f);
int32_t sys_sigreturn(struct trap_frame *f);
int32_t sys_rt_sigreturn(struct trap_frame *f);
int32_t sys_fcntl64(struct trap_frame *f);
int32_t sys_pipe(struct trap_frame *f);
int32_t sys_pipe2(struct trap_frame *f);
int32_t sys_access(struct trap_frame *f);
int32_t sys_faccessat(struct trap_frame *f);
int32_t sys_mkdir(struct trap_frame *f);
int32_t sys_mkdirat(struct trap_frame *f);
int32_t sys_unlink(struct trap_frame *f);
int32_t sys_unlinkat(struct trap_frame *f);
int32_t sys_rmdir(struct trap_frame *f);
int32_t sys_rename(struct trap_frame *f);
int32_t sys_renameat(struct trap_frame *f);
int32_t sys_ftruncate(struct trap_frame *f);
int32_t sys_ftruncate64(struct trap_frame *f);
int32_t sys_lstat64(struct trap_frame *f);
int32_t sys_ioctl(struct trap_frame *f);
int32_t sys_dup(struct trap_frame *f);
int32_t sys_dup2(struct trap_frame *f);
int32_t sys_dup3(struct trap_frame *f);
int32_t sys_chdir(struct trap_frame *f);
int32_t sys_fchdir(struct trap_frame *f);
int32_t sys_getcwd(struct trap_frame *f);
/* kernel/itimer.c */
int32_t sys_alarm(struct trap_frame *f);
int32_t sys_setitimer(struct trap_frame *f);
int32_t sys_getitimer(struct trap_frame *f);
/* kernel/signal.c */
int32_t sys_sigaltstack(struct trap_frame *f);
int32_t sys_pause(struct trap_frame *f);
int32_t sys_rt_sigtimedwait(struct trap_frame *f);
int32_t sys_rt_sigtimedwait_time64(struct trap_frame *f);
/* kernel/sys_fs.c: attributes, links, sync, statfs */
int32_t sys_chmod(struct trap_frame *f);
int32_t sys_fchmod(struct trap_frame *f);
int32_t sys_fchmodat(struct trap_frame *f);
int32_t sys_chown32(struct trap_frame *f);
int32_t sys_lchown32(struct trap_frame *f);
int32_t sys_fchown32(struct trap_frame *f);
int32_t sys_fchownat(struct trap_frame *f);
int32_t sys_utimensat(struct trap_frame *f);
int32_t sys_utimensat_time64(struct trap_frame *f);
int32_t sys_utimes(struct trap_frame *f);
int32_t sys_symlink(struct trap_frame *f);
int32_t sys_symlinkat(struct trap_frame *f);
int32_t sys_link(struct trap_frame *f);
int32_t sys_linkat(struct trap_frame *f);
int32_t sys_sync(struct trap_frame *f);
int32_t sys_fsync(struct trap_frame *f);
int32_t sys_statfs64(struct trap_frame *f);
int32_t sys_fstatfs64(struct trap_frame *f);
int32_t sys_mknod(struct trap_frame *f);
int32_t sys_mknodat(struct trap_frame *f);
/* kernel/sys_proc.c: groups, CPUs, priorities */
int32_t sys_getgroups32(struct trap_frame *f);
int32_t sys_sched_getaffinity(struct trap_frame *f);
int32_t sys_getpriority(struct trap_frame *f);
int32_t sys_setpriority(struct trap_frame *f);
/* kernel/sys_poll.c */
int32_t sys_poll(struct trap_frame *f);
int32_t sys_ppoll(struct trap_frame *f);
int32_t sys_ppoll_time64(struct trap_frame *f);
int32_t sys_select(struct trap_frame *f);
int32_t sys_pselect6(struct trap_frame *f);
int32_t sys_pselect6_time64(struct trap_frame *f);
/* kernel/sys_sendfile.c */
int32_t sys_sendfile(struct trap_frame *f);
int32_t sys_sendfile64(struct trap_frame *f);
/* kernel/sys_mm.c */
int32_t sys_brk(struct trap_frame *f);
int32_t sys_mmap2(struct trap_frame *f);
int32_t sys_old_mmap(struct trap_frame *f);
int32_t sys_munmap(struct trap_frame *f);
int32_t sys_mprotect(struct trap_frame *f);
int32_t sys_msync(struct trap_frame *f);
int32_t sys_uname(struct trap_frame *f);
int32_t sys_ugetrlimit(struct trap_frame *f);
int32_t sys_prlimit64(struct trap_frame *f);
int32_t sys_getrandom(struct trap_frame *f);
int32_t sys_sysinfo(struct trap_frame *f);

#endif
