/* Linux i386 system-call numbers (the `int $0x80` table, eax on entry).
 *
 * Only the calls Toyix serves or that Debian's static glibc is known to try;
 * the numbers are the kernel's i386 ABI, so a program built for Linux finds
 * the same call behind the same number.  tests/abi/linux_abi_m32.c checks
 * every one against the system's <asm/unistd_32.h>. */
#ifndef UAPI_LINUX_UNISTD_H
#define UAPI_LINUX_UNISTD_H

#define LINUX_NR_restart_syscall	0
#define LINUX_NR_exit			1
#define LINUX_NR_fork			2
#define LINUX_NR_read			3
#define LINUX_NR_write			4
#define LINUX_NR_open			5
#define LINUX_NR_close			6
#define LINUX_NR_waitpid		7
#define LINUX_NR_execve			11
#define LINUX_NR_unlink			10
#define LINUX_NR_chdir			12
#define LINUX_NR_time			13
#define LINUX_NR_lseek			19
#define LINUX_NR_getpid			20
#define LINUX_NR_alarm			27
#define LINUX_NR_pause			29
#define LINUX_NR_access			33
#define LINUX_NR_rename			38
#define LINUX_NR_mkdir			39
#define LINUX_NR_rmdir			40
#define LINUX_NR_kill			37
#define LINUX_NR_dup			41
#define LINUX_NR_pipe			42
#define LINUX_NR_brk			45
#define LINUX_NR_ioctl			54
#define LINUX_NR_fcntl			55
#define LINUX_NR_setpgid		57
#define LINUX_NR_umask			60
#define LINUX_NR_dup2			63
#define LINUX_NR_getppid		64
#define LINUX_NR_getpgrp		65
#define LINUX_NR_setsid			66
#define LINUX_NR_gettimeofday		78
#define LINUX_NR_readlink		85
#define LINUX_NR_mmap			90 /* old_mmap: one pointer to six arguments */
#define LINUX_NR_munmap			91
#define LINUX_NR_ftruncate		93
#define LINUX_NR_getpriority		96
#define LINUX_NR_setitimer		104
#define LINUX_NR_wait4			114
#define LINUX_NR_sysinfo		116
#define LINUX_NR_sigreturn		119
#define LINUX_NR_clone			120
#define LINUX_NR_uname			122 /* newuname: struct linux_new_utsname */
#define LINUX_NR_mprotect		125
#define LINUX_NR_getpgid		132
#define LINUX_NR__llseek		140
#define LINUX_NR__newselect		142
#define LINUX_NR_msync			144
#define LINUX_NR_readv			145
#define LINUX_NR_writev			146
#define LINUX_NR_sched_yield		158
#define LINUX_NR_nanosleep		162
#define LINUX_NR_mremap			163
#define LINUX_NR_poll			168
#define LINUX_NR_prctl			172
#define LINUX_NR_rt_sigreturn		173
#define LINUX_NR_rt_sigaction		174
#define LINUX_NR_rt_sigprocmask		175
#define LINUX_NR_rt_sigpending		176
#define LINUX_NR_rt_sigtimedwait	177
#define LINUX_NR_rt_sigsuspend		179
#define LINUX_NR_pread64		180
#define LINUX_NR_getcwd			183
#define LINUX_NR_sigaltstack		186
#define LINUX_NR_vfork			190
#define LINUX_NR_ugetrlimit		191
#define LINUX_NR_mmap2			192 /* offset in 4096-byte units */
#define LINUX_NR_ftruncate64		194
#define LINUX_NR_stat64			195
#define LINUX_NR_lstat64		196
#define LINUX_NR_fstat64		197
#define LINUX_NR_getuid32		199
#define LINUX_NR_getgid32		200
#define LINUX_NR_geteuid32		201
#define LINUX_NR_getegid32		202
#define LINUX_NR_madvise		219
#define LINUX_NR_getdents64		220
#define LINUX_NR_fcntl64		221
#define LINUX_NR_gettid			224
#define LINUX_NR_set_thread_area	243
#define LINUX_NR_get_thread_area	244
#define LINUX_NR_exit_group		252
#define LINUX_NR_set_tid_address	258
#define LINUX_NR_clock_gettime		265
#define LINUX_NR_clock_nanosleep	267
#define LINUX_NR_tkill			238
#define LINUX_NR_tgkill			270
#define LINUX_NR_openat			295
#define LINUX_NR_mkdirat		296
#define LINUX_NR_fstatat64		300
#define LINUX_NR_unlinkat		301
#define LINUX_NR_renameat		302
#define LINUX_NR_readlinkat		305
#define LINUX_NR_faccessat		307
#define LINUX_NR_pselect6		308
#define LINUX_NR_ppoll			309
#define LINUX_NR_set_robust_list	311
#define LINUX_NR_dup3			330
#define LINUX_NR_pipe2			331
#define LINUX_NR_prlimit64		340
#define LINUX_NR_getrandom		355
#define LINUX_NR_statx			383
#define LINUX_NR_arch_prctl		384
#define LINUX_NR_rseq			386
#define LINUX_NR_clock_gettime64	403
#define LINUX_NR_clock_nanosleep_time64 407

#endif
