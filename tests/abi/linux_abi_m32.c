/* Checks include/uapi/ against the system's own Linux headers, compiled
 * with `gcc -m32` (the Makefile runs it with -fsyntax-only whenever it
 * builds the user programs): every call number, errno value, flag and
 * structure layout Toyix spells must be what Linux i386 uses.  Only the
 * kernel's uapi headers are included, not glibc's, whose struct stat64,
 * termios and dirent differ from what the kernel writes. */
#include <stddef.h>

#include <asm/ldt.h>
#include <asm/stat.h>
#include <asm/termbits.h>
#include <asm/unistd_32.h>
#include <asm-generic/errno.h>
#include <linux/auxvec.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/random.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/signal.h>
#include <linux/stat.h>
#include <linux/sysinfo.h>
#include <linux/time.h>
#include <linux/time_types.h>
#include <linux/utsname.h>
#include <linux/wait.h>
#include <asm/ioctls.h>
#include <asm/termios.h>

#include "uapi/linux_abi.h"

#ifndef __i386__
#error "compile with -m32: the layouts checked here are i386's"
#endif

#define SAME(ours, theirs) _Static_assert((ours) == (theirs), #ours " != " #theirs)
#define SAME_LAYOUT(ours, theirs, field_ours, field_theirs)                                        \
	_Static_assert(offsetof(ours, field_ours) == offsetof(theirs, field_theirs),               \
		       #ours "." #field_ours)

/* System-call numbers. */
SAME(LINUX_NR_restart_syscall, __NR_restart_syscall);
SAME(LINUX_NR_exit, __NR_exit);
SAME(LINUX_NR_fork, __NR_fork);
SAME(LINUX_NR_read, __NR_read);
SAME(LINUX_NR_write, __NR_write);
SAME(LINUX_NR_open, __NR_open);
SAME(LINUX_NR_close, __NR_close);
SAME(LINUX_NR_waitpid, __NR_waitpid);
SAME(LINUX_NR_execve, __NR_execve);
SAME(LINUX_NR_chdir, __NR_chdir);
SAME(LINUX_NR_fchdir, __NR_fchdir);
SAME(LINUX_NR_time, __NR_time);
SAME(LINUX_NR_lseek, __NR_lseek);
SAME(LINUX_NR_getpid, __NR_getpid);
SAME(LINUX_NR_access, __NR_access);
SAME(LINUX_NR_kill, __NR_kill);
SAME(LINUX_NR_dup, __NR_dup);
SAME(LINUX_NR_pipe, __NR_pipe);
SAME(LINUX_NR_brk, __NR_brk);
SAME(LINUX_NR_ioctl, __NR_ioctl);
SAME(LINUX_NR_dup2, __NR_dup2);
SAME(LINUX_NR_getppid, __NR_getppid);
SAME(LINUX_NR_gettimeofday, __NR_gettimeofday);
SAME(LINUX_NR_readlink, __NR_readlink);
SAME(LINUX_NR_mmap, __NR_mmap);
SAME(LINUX_NR_munmap, __NR_munmap);
SAME(LINUX_NR_wait4, __NR_wait4);
SAME(LINUX_NR_sysinfo, __NR_sysinfo);
SAME(LINUX_NR_sigreturn, __NR_sigreturn);
SAME(LINUX_NR_clone, __NR_clone);
SAME(LINUX_NR_uname, __NR_uname);
SAME(LINUX_NR_mprotect, __NR_mprotect);
SAME(LINUX_NR_msync, __NR_msync);
SAME(LINUX_NR__llseek, __NR__llseek);
SAME(LINUX_NR_readv, __NR_readv);
SAME(LINUX_NR_writev, __NR_writev);
SAME(LINUX_NR_sched_yield, __NR_sched_yield);
SAME(LINUX_NR_nanosleep, __NR_nanosleep);
SAME(LINUX_NR_mremap, __NR_mremap);
SAME(LINUX_NR_rt_sigreturn, __NR_rt_sigreturn);
SAME(LINUX_NR_rt_sigaction, __NR_rt_sigaction);
SAME(LINUX_NR_rt_sigprocmask, __NR_rt_sigprocmask);
SAME(LINUX_NR_pread64, __NR_pread64);
SAME(LINUX_NR_getcwd, __NR_getcwd);
SAME(LINUX_NR_vfork, __NR_vfork);
SAME(LINUX_NR_ugetrlimit, __NR_ugetrlimit);
SAME(LINUX_NR_mmap2, __NR_mmap2);
SAME(LINUX_NR_stat64, __NR_stat64);
SAME(LINUX_NR_lstat64, __NR_lstat64);
SAME(LINUX_NR_fstat64, __NR_fstat64);
SAME(LINUX_NR_getuid32, __NR_getuid32);
SAME(LINUX_NR_getgid32, __NR_getgid32);
SAME(LINUX_NR_geteuid32, __NR_geteuid32);
SAME(LINUX_NR_getegid32, __NR_getegid32);
SAME(LINUX_NR_madvise, __NR_madvise);
SAME(LINUX_NR_getdents64, __NR_getdents64);
SAME(LINUX_NR_fcntl64, __NR_fcntl64);
SAME(LINUX_NR_gettid, __NR_gettid);
SAME(LINUX_NR_set_thread_area, __NR_set_thread_area);
SAME(LINUX_NR_get_thread_area, __NR_get_thread_area);
SAME(LINUX_NR_exit_group, __NR_exit_group);
SAME(LINUX_NR_set_tid_address, __NR_set_tid_address);
SAME(LINUX_NR_clock_gettime, __NR_clock_gettime);
SAME(LINUX_NR_clock_nanosleep, __NR_clock_nanosleep);
SAME(LINUX_NR_tgkill, __NR_tgkill);
SAME(LINUX_NR_prctl, __NR_prctl);
SAME(LINUX_NR_openat, __NR_openat);
SAME(LINUX_NR_fstatat64, __NR_fstatat64);
SAME(LINUX_NR_faccessat, __NR_faccessat);
SAME(LINUX_NR_set_robust_list, __NR_set_robust_list);
SAME(LINUX_NR_dup3, __NR_dup3);
SAME(LINUX_NR_pipe2, __NR_pipe2);
SAME(LINUX_NR_prlimit64, __NR_prlimit64);
SAME(LINUX_NR_getrandom, __NR_getrandom);
SAME(LINUX_NR_statx, __NR_statx);
SAME(LINUX_NR_arch_prctl, __NR_arch_prctl);
SAME(LINUX_NR_rseq, __NR_rseq);
SAME(LINUX_NR_clock_gettime64, __NR_clock_gettime64);
SAME(LINUX_NR_clock_nanosleep_time64, __NR_clock_nanosleep_time64);
SAME(LINUX_NR_link, __NR_link);
SAME(LINUX_NR_execve, __NR_execve);
SAME(LINUX_NR_mknod, __NR_mknod);
SAME(LINUX_NR_chmod, __NR_chmod);
SAME(LINUX_NR_sync, __NR_sync);
SAME(LINUX_NR_kill, __NR_kill);
SAME(LINUX_NR_symlink, __NR_symlink);
SAME(LINUX_NR_fchmod, __NR_fchmod);
SAME(LINUX_NR_fchown, __NR_fchown);
SAME(LINUX_NR_getitimer, __NR_getitimer);
SAME(LINUX_NR_fsync, __NR_fsync);
SAME(LINUX_NR_fdatasync, __NR_fdatasync);
SAME(LINUX_NR_sendfile, __NR_sendfile);
SAME(LINUX_NR_lchown32, __NR_lchown32);
SAME(LINUX_NR_getgroups32, __NR_getgroups32);
SAME(LINUX_NR_fchown32, __NR_fchown32);
SAME(LINUX_NR_chown32, __NR_chown32);
SAME(LINUX_NR_tkill, __NR_tkill);
SAME(LINUX_NR_sendfile64, __NR_sendfile64);
SAME(LINUX_NR_sched_getaffinity, __NR_sched_getaffinity);
SAME(LINUX_NR_statfs64, __NR_statfs64);
SAME(LINUX_NR_fstatfs64, __NR_fstatfs64);
SAME(LINUX_NR_utimes, __NR_utimes);
SAME(LINUX_NR_mknodat, __NR_mknodat);
SAME(LINUX_NR_fchownat, __NR_fchownat);
SAME(LINUX_NR_linkat, __NR_linkat);
SAME(LINUX_NR_symlinkat, __NR_symlinkat);
SAME(LINUX_NR_fchmodat, __NR_fchmodat);
SAME(LINUX_NR_utimensat, __NR_utimensat);
SAME(LINUX_NR_utimensat_time64, __NR_utimensat_time64);
SAME(LINUX_NR_pselect6_time64, __NR_pselect6_time64);
SAME(LINUX_NR_rt_sigtimedwait_time64, __NR_rt_sigtimedwait_time64);
SAME(LINUX_NR_ppoll_time64, __NR_ppoll_time64);
SAME(LINUX_NR_setpriority, __NR_setpriority);

/* errno. */
SAME(LINUX_EPERM, EPERM);
SAME(LINUX_ENOENT, ENOENT);
SAME(LINUX_ESRCH, ESRCH);
SAME(LINUX_EINTR, EINTR);
SAME(LINUX_EIO, EIO);
SAME(LINUX_ENXIO, ENXIO);
SAME(LINUX_E2BIG, E2BIG);
SAME(LINUX_ENOEXEC, ENOEXEC);
SAME(LINUX_EBADF, EBADF);
SAME(LINUX_ECHILD, ECHILD);
SAME(LINUX_EAGAIN, EAGAIN);
SAME(LINUX_ENOMEM, ENOMEM);
SAME(LINUX_EACCES, EACCES);
SAME(LINUX_EFAULT, EFAULT);
SAME(LINUX_ENOTBLK, ENOTBLK);
SAME(LINUX_EBUSY, EBUSY);
SAME(LINUX_EEXIST, EEXIST);
SAME(LINUX_EXDEV, EXDEV);
SAME(LINUX_ENODEV, ENODEV);
SAME(LINUX_ENOTDIR, ENOTDIR);
SAME(LINUX_EISDIR, EISDIR);
SAME(LINUX_EINVAL, EINVAL);
SAME(LINUX_ENFILE, ENFILE);
SAME(LINUX_EMFILE, EMFILE);
SAME(LINUX_ENOTTY, ENOTTY);
SAME(LINUX_ETXTBSY, ETXTBSY);
SAME(LINUX_EFBIG, EFBIG);
SAME(LINUX_ENOSPC, ENOSPC);
SAME(LINUX_ESPIPE, ESPIPE);
SAME(LINUX_EROFS, EROFS);
SAME(LINUX_EMLINK, EMLINK);
SAME(LINUX_EPIPE, EPIPE);
SAME(LINUX_EDOM, EDOM);
SAME(LINUX_ERANGE, ERANGE);
SAME(LINUX_EDEADLK, EDEADLK);
SAME(LINUX_ENAMETOOLONG, ENAMETOOLONG);
SAME(LINUX_ENOLCK, ENOLCK);
SAME(LINUX_ENOSYS, ENOSYS);
SAME(LINUX_ENOTEMPTY, ENOTEMPTY);
SAME(LINUX_ELOOP, ELOOP);
SAME(LINUX_EOVERFLOW, EOVERFLOW);
SAME(LINUX_EOPNOTSUPP, EOPNOTSUPP);

/* Flags. */
SAME(LINUX_PROT_READ, PROT_READ);
SAME(LINUX_PROT_WRITE, PROT_WRITE);
SAME(LINUX_PROT_EXEC, PROT_EXEC);
SAME(LINUX_PROT_GROWSDOWN, PROT_GROWSDOWN);
SAME(LINUX_MAP_SHARED, MAP_SHARED);
SAME(LINUX_MAP_PRIVATE, MAP_PRIVATE);
SAME(LINUX_MAP_SHARED_VALIDATE, MAP_SHARED_VALIDATE);
SAME(LINUX_MAP_TYPE, MAP_TYPE);
SAME(LINUX_MAP_FIXED, MAP_FIXED);
SAME(LINUX_MAP_ANONYMOUS, MAP_ANONYMOUS);
SAME(LINUX_MAP_GROWSDOWN, MAP_GROWSDOWN);
SAME(LINUX_MAP_DENYWRITE, MAP_DENYWRITE);
SAME(LINUX_MAP_NORESERVE, MAP_NORESERVE);
SAME(LINUX_MAP_POPULATE, MAP_POPULATE);
SAME(LINUX_MAP_STACK, MAP_STACK);
SAME(LINUX_MAP_FIXED_NOREPLACE, MAP_FIXED_NOREPLACE);
SAME(LINUX_MS_ASYNC, MS_ASYNC);
SAME(LINUX_MS_INVALIDATE, MS_INVALIDATE);
SAME(LINUX_MS_SYNC, MS_SYNC);
SAME(LINUX_O_WRONLY, O_WRONLY);
SAME(LINUX_O_RDWR, O_RDWR);
SAME(LINUX_O_CREAT, O_CREAT);
SAME(LINUX_O_EXCL, O_EXCL);
SAME(LINUX_O_TRUNC, O_TRUNC);
SAME(LINUX_O_APPEND, O_APPEND);
SAME(LINUX_O_NONBLOCK, O_NONBLOCK);
SAME(LINUX_O_LARGEFILE, O_LARGEFILE);
SAME(LINUX_O_DIRECTORY, O_DIRECTORY);
SAME(LINUX_O_NOFOLLOW, O_NOFOLLOW);
SAME(LINUX_O_CLOEXEC, O_CLOEXEC);
SAME(LINUX_O_PATH, O_PATH);
SAME(LINUX_AT_FDCWD, AT_FDCWD);
SAME(LINUX_AT_SYMLINK_NOFOLLOW, AT_SYMLINK_NOFOLLOW);
SAME(LINUX_AT_EMPTY_PATH, AT_EMPTY_PATH);
SAME(LINUX_F_DUPFD_CLOEXEC, F_DUPFD_CLOEXEC);
SAME(LINUX_F_GETFL, F_GETFL);
SAME(LINUX_CLONE_VM, CLONE_VM);
SAME(LINUX_CLONE_VFORK, CLONE_VFORK);
SAME(LINUX_CLONE_THREAD, CLONE_THREAD);
SAME(LINUX_CLONE_SETTLS, CLONE_SETTLS);
SAME(LINUX_CLONE_PARENT_SETTID, CLONE_PARENT_SETTID);
SAME(LINUX_CLONE_CHILD_CLEARTID, CLONE_CHILD_CLEARTID);
SAME(LINUX_CLONE_CHILD_SETTID, CLONE_CHILD_SETTID);
SAME(LINUX_WNOHANG, WNOHANG);
SAME(LINUX_WUNTRACED, WUNTRACED);
SAME(LINUX_WEXITED, WEXITED);
SAME(LINUX_WCONTINUED, WCONTINUED);
SAME(LINUX_WNOWAIT, WNOWAIT);
SAME(LINUX_WALL, __WALL);
SAME(LINUX_WCLONE, __WCLONE);
SAME(LINUX_SIGILL, SIGILL);
SAME(LINUX_SIGBUS, SIGBUS);
SAME(LINUX_SIGFPE, SIGFPE);
SAME(LINUX_SIGKILL, SIGKILL);
SAME(LINUX_SIGSEGV, SIGSEGV);
SAME(LINUX_SIGCHLD, SIGCHLD);
SAME(LINUX_SIGSTOP, SIGSTOP);
SAME(LINUX_SIGTRAP, SIGTRAP);
SAME(LINUX_SIGSYS, SIGSYS);
SAME(LINUX_SI_KERNEL, SI_KERNEL);
SAME(LINUX_SEGV_MAPERR, SEGV_MAPERR);
SAME(LINUX_SEGV_ACCERR, SEGV_ACCERR);
SAME(LINUX_BUS_ADRALN, BUS_ADRALN);
SAME(LINUX_BUS_ADRERR, BUS_ADRERR);
SAME(LINUX_FPE_INTDIV, FPE_INTDIV);
SAME(LINUX_FPE_FLTINV, FPE_FLTINV);
SAME(LINUX_ILL_ILLOPN, ILL_ILLOPN);
SAME(LINUX_TRAP_BRKPT, TRAP_BRKPT);
SAME(LINUX_TRAP_TRACE, TRAP_TRACE);
SAME_LAYOUT(struct linux_siginfo, siginfo_t, addr, si_addr);
SAME_LAYOUT(struct linux_siginfo, siginfo_t, pid, si_pid);
SAME_LAYOUT(struct linux_siginfo, siginfo_t, status, si_status);
SAME(LINUX_AT_PHDR, AT_PHDR);
SAME(LINUX_AT_PHENT, AT_PHENT);
SAME(LINUX_AT_PHNUM, AT_PHNUM);
SAME(LINUX_AT_PAGESZ, AT_PAGESZ);
SAME(LINUX_AT_ENTRY, AT_ENTRY);
SAME(LINUX_AT_UID, AT_UID);
SAME(LINUX_AT_EUID, AT_EUID);
SAME(LINUX_AT_GID, AT_GID);
SAME(LINUX_AT_EGID, AT_EGID);
SAME(LINUX_AT_HWCAP, AT_HWCAP);
SAME(LINUX_AT_CLKTCK, AT_CLKTCK);
SAME(LINUX_AT_SECURE, AT_SECURE);
SAME(LINUX_AT_RANDOM, AT_RANDOM);
SAME(LINUX_AT_HWCAP2, AT_HWCAP2);
SAME(LINUX_AT_EXECFN, AT_EXECFN);
SAME(LINUX_AT_MINSIGSTKSZ, AT_MINSIGSTKSZ);
SAME(LINUX_TCGETS, TCGETS);
SAME(LINUX_TCSETS, TCSETS);
SAME(LINUX_TIOCGPGRP, TIOCGPGRP);
SAME(LINUX_TIOCGWINSZ, TIOCGWINSZ);
SAME(LINUX_FIONREAD, FIONREAD);
SAME(LINUX_TCSETSW, TCSETSW);
SAME(LINUX_TCSETSF, TCSETSF);
SAME(LINUX_TIOCSPGRP, TIOCSPGRP);
SAME(LINUX_TIOCSWINSZ, TIOCSWINSZ);
SAME(LINUX_TCSBRK, TCSBRK);
SAME(LINUX_TCXONC, TCXONC);
SAME(LINUX_TCFLSH, TCFLSH);
SAME(LINUX_TIOCSCTTY, TIOCSCTTY);
SAME(LINUX_TIOCOUTQ, TIOCOUTQ);
SAME(LINUX_TIOCNOTTY, TIOCNOTTY);
SAME(LINUX_TIOCGSID, TIOCGSID);
SAME(LINUX_TCIFLUSH, TCIFLUSH);
SAME(LINUX_TCIOFLUSH, TCIOFLUSH);
SAME(LINUX_IGNCR, IGNCR);
SAME(LINUX_ICRNL, ICRNL);
SAME(LINUX_INLCR, INLCR);
SAME(LINUX_ISIG, ISIG);
SAME(LINUX_ICANON, ICANON);
SAME(LINUX_ECHO, ECHO);
SAME(LINUX_ECHOE, ECHOE);
SAME(LINUX_ECHOK, ECHOK);
SAME(LINUX_ECHONL, ECHONL);
SAME(LINUX_NOFLSH, NOFLSH);
SAME(LINUX_ECHOCTL, ECHOCTL);
SAME(LINUX_ECHOKE, ECHOKE);
SAME(LINUX_IEXTEN, IEXTEN);
SAME(LINUX_VINTR, VINTR);
SAME(LINUX_VQUIT, VQUIT);
SAME(LINUX_VERASE, VERASE);
SAME(LINUX_VKILL, VKILL);
SAME(LINUX_VEOF, VEOF);
SAME(LINUX_VTIME, VTIME);
SAME(LINUX_VMIN, VMIN);
SAME(LINUX_VSUSP, VSUSP);
SAME(LINUX_VEOL, VEOL);
SAME(LINUX_VWERASE, VWERASE);
SAME(LINUX_VEOL2, VEOL2);
SAME(LINUX_RLIMIT_STACK, RLIMIT_STACK);
SAME(LINUX_RLIMIT_NOFILE, RLIMIT_NOFILE);
SAME(LINUX_RLIMIT_AS, RLIMIT_AS);
SAME(LINUX_RLIM_NLIMITS, RLIM_NLIMITS);
SAME(LINUX_CLOCK_MONOTONIC, CLOCK_MONOTONIC);
SAME(LINUX_CLOCK_BOOTTIME, CLOCK_BOOTTIME);
SAME(LINUX_TIMER_ABSTIME, TIMER_ABSTIME);
SAME(LINUX_GRND_NONBLOCK, GRND_NONBLOCK);
SAME(LINUX_GRND_INSECURE, GRND_INSECURE);
SAME(LINUX_S_IFMT, S_IFMT);
SAME(LINUX_S_IFDIR, S_IFDIR);
SAME(LINUX_S_IFREG, S_IFREG);
SAME(LINUX_S_IFLNK, S_IFLNK);
SAME(LINUX_STATX_BASIC_STATS, STATX_BASIC_STATS);
SAME(LINUX_STATX_SIZE, STATX_SIZE);
SAME(LINUX_STATX_BTIME, STATX_BTIME);

/* Structures. */
SAME(sizeof(struct linux_stat64), sizeof(struct stat64));
SAME_LAYOUT(struct linux_stat64, struct stat64, st_ino32, __st_ino);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_mode, st_mode);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_nlink, st_nlink);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_uid, st_uid);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_rdev, st_rdev);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_size, st_size);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_blksize, st_blksize);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_blocks, st_blocks);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_atime_sec, st_atime);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_mtime_nsec, st_mtime_nsec);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_ctime_sec, st_ctime);
SAME_LAYOUT(struct linux_stat64, struct stat64, st_ino, st_ino);
SAME(sizeof(struct linux_statx), sizeof(struct statx));
SAME_LAYOUT(struct linux_statx, struct statx, stx_blksize, stx_blksize);
SAME_LAYOUT(struct linux_statx, struct statx, stx_nlink, stx_nlink);
SAME_LAYOUT(struct linux_statx, struct statx, stx_mode, stx_mode);
SAME_LAYOUT(struct linux_statx, struct statx, stx_ino, stx_ino);
SAME_LAYOUT(struct linux_statx, struct statx, stx_size, stx_size);
SAME_LAYOUT(struct linux_statx, struct statx, stx_blocks, stx_blocks);
SAME_LAYOUT(struct linux_statx, struct statx, stx_atime, stx_atime);
SAME_LAYOUT(struct linux_statx, struct statx, stx_btime, stx_btime);
SAME_LAYOUT(struct linux_statx, struct statx, stx_mtime, stx_mtime);
SAME_LAYOUT(struct linux_statx, struct statx, stx_rdev_major, stx_rdev_major);
SAME_LAYOUT(struct linux_statx, struct statx, stx_dev_minor, stx_dev_minor);
SAME_LAYOUT(struct linux_statx, struct statx, stx_mnt_id, stx_mnt_id);
SAME_LAYOUT(struct linux_statx, struct statx, stx_dio_offset_align, stx_dio_offset_align);
SAME(sizeof(struct linux_new_utsname), sizeof(struct new_utsname));
SAME_LAYOUT(struct linux_new_utsname, struct new_utsname, machine, machine);
SAME_LAYOUT(struct linux_new_utsname, struct new_utsname, domainname, domainname);
SAME(sizeof(struct linux_sysinfo), sizeof(struct sysinfo));
SAME_LAYOUT(struct linux_sysinfo, struct sysinfo, loads, loads);
SAME_LAYOUT(struct linux_sysinfo, struct sysinfo, totalram, totalram);
SAME_LAYOUT(struct linux_sysinfo, struct sysinfo, freeram, freeram);
SAME_LAYOUT(struct linux_sysinfo, struct sysinfo, procs, procs);
SAME_LAYOUT(struct linux_sysinfo, struct sysinfo, totalhigh, totalhigh);
SAME_LAYOUT(struct linux_sysinfo, struct sysinfo, mem_unit, mem_unit);
SAME(sizeof(struct linux_rlimit), sizeof(struct rlimit));
SAME(sizeof(struct linux_rlimit64), sizeof(struct rlimit64));
SAME(sizeof(struct linux_rusage), sizeof(struct rusage));
SAME_LAYOUT(struct linux_rusage, struct rusage, ru_maxrss, ru_maxrss);
SAME_LAYOUT(struct linux_rusage, struct rusage, ru_nivcsw, ru_nivcsw);
SAME(sizeof(struct linux_timespec64), sizeof(struct __kernel_timespec));
SAME(sizeof(struct linux_timespec32), sizeof(struct __kernel_old_timespec));
SAME(sizeof(struct linux_timeval32), sizeof(struct __kernel_old_timeval));
SAME(sizeof(struct linux_termios), sizeof(struct termios));
SAME_LAYOUT(struct linux_termios, struct termios, c_lflag, c_lflag);
SAME_LAYOUT(struct linux_termios, struct termios, c_line, c_line);
SAME_LAYOUT(struct linux_termios, struct termios, c_cc, c_cc);
SAME(LINUX_NCCS, NCCS);
SAME(sizeof(struct linux_winsize), sizeof(struct winsize));
SAME_LAYOUT(struct linux_winsize, struct winsize, ws_col, ws_col);
SAME(sizeof(struct linux_user_desc), sizeof(struct user_desc));
SAME_LAYOUT(struct linux_user_desc, struct user_desc, limit, limit);
