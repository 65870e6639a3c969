/* Flag and constant values of the Linux i386 system-call ABI: memory
 * protection and mapping, open and *at calls, clone, wait and its status
 * word, signals, the auxiliary vector, terminal ioctls, resource limits,
 * clocks and file types.  Values are the kernel's; only the names are ours
 * (LINUX_ prefixed, so the host tests can include libc beside them).
 * tests/abi/linux_abi_m32.c checks them against the system's headers. */
#ifndef UAPI_LINUX_FLAGS_H
#define UAPI_LINUX_FLAGS_H

#include <stdint.h>

/* mmap2, mprotect: protection. */
#define LINUX_PROT_NONE	     0x0
#define LINUX_PROT_READ	     0x1
#define LINUX_PROT_WRITE     0x2
#define LINUX_PROT_EXEC	     0x4
#define LINUX_PROT_GROWSDOWN 0x01000000
#define LINUX_PROT_GROWSUP   0x02000000

/* mmap2: flags.  The low four bits are the mapping type. */
#define LINUX_MAP_SHARED	  0x01
#define LINUX_MAP_PRIVATE	  0x02
#define LINUX_MAP_SHARED_VALIDATE 0x03
#define LINUX_MAP_TYPE		  0x0f
#define LINUX_MAP_FIXED		  0x10
#define LINUX_MAP_ANONYMOUS	  0x20
#define LINUX_MAP_GROWSDOWN	  0x0100
#define LINUX_MAP_DENYWRITE	  0x0800
#define LINUX_MAP_EXECUTABLE	  0x1000
#define LINUX_MAP_LOCKED	  0x2000
#define LINUX_MAP_NORESERVE	  0x4000
#define LINUX_MAP_POPULATE	  0x8000
#define LINUX_MAP_NONBLOCK	  0x10000
#define LINUX_MAP_STACK		  0x20000
#define LINUX_MAP_HUGETLB	  0x40000
#define LINUX_MAP_FIXED_NOREPLACE 0x100000
#define LINUX_MAP_FAILED	  0xFFFFFFFFu /* (void *)-1 as glibc returns it */

/* msync */
#define LINUX_MS_ASYNC	    1
#define LINUX_MS_INVALIDATE 2
#define LINUX_MS_SYNC	    4

/* mmap2 counts its offset in pages of this size, whatever PAGE_SIZE is. */
#define LINUX_MMAP2_UNIT 4096u

/* open, openat. */
#define LINUX_O_RDONLY	  00
#define LINUX_O_WRONLY	  01
#define LINUX_O_RDWR	  02
#define LINUX_O_ACCMODE	  03
#define LINUX_O_CREAT	  0100
#define LINUX_O_EXCL	  0200
#define LINUX_O_NOCTTY	  0400
#define LINUX_O_TRUNC	  01000
#define LINUX_O_APPEND	  02000
#define LINUX_O_NONBLOCK  04000
#define LINUX_O_DSYNC	  010000
#define LINUX_O_DIRECT	  040000
#define LINUX_O_LARGEFILE 0100000
#define LINUX_O_DIRECTORY 0200000
#define LINUX_O_NOFOLLOW  0400000
#define LINUX_O_NOATIME	  01000000
#define LINUX_O_CLOEXEC	  02000000
#define LINUX_O_PATH	  010000000

/* The *at calls. */
#define LINUX_AT_FDCWD		  (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_SYMLINK_FOLLOW	  0x400 /* linkat */
#define LINUX_AT_NO_AUTOMOUNT	  0x800
#define LINUX_AT_EMPTY_PATH	  0x1000
#define LINUX_AT_STATX_SYNC_TYPE  0x6000

/* fcntl64. */
#define LINUX_F_DUPFD	      0
#define LINUX_F_GETFD	      1
#define LINUX_F_SETFD	      2
#define LINUX_F_GETFL	      3
#define LINUX_F_SETFL	      4
#define LINUX_F_DUPFD_CLOEXEC 1030
#define LINUX_FD_CLOEXEC      1

/* lseek, _llseek. */
#define LINUX_SEEK_SET 0
#define LINUX_SEEK_CUR 1
#define LINUX_SEEK_END 2

/* clone: the low byte is the signal sent to the parent at exit.  glibc's
 * fork() passes CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | SIGCHLD. */
#define LINUX_CSIGNAL		    0x000000ff
#define LINUX_CLONE_VM		    0x00000100
#define LINUX_CLONE_FS		    0x00000200
#define LINUX_CLONE_FILES	    0x00000400
#define LINUX_CLONE_SIGHAND	    0x00000800
#define LINUX_CLONE_PIDFD	    0x00001000
#define LINUX_CLONE_PTRACE	    0x00002000
#define LINUX_CLONE_VFORK	    0x00004000
#define LINUX_CLONE_PARENT	    0x00008000
#define LINUX_CLONE_THREAD	    0x00010000
#define LINUX_CLONE_NEWNS	    0x00020000
#define LINUX_CLONE_SYSVSEM	    0x00040000
#define LINUX_CLONE_SETTLS	    0x00080000
#define LINUX_CLONE_PARENT_SETTID   0x00100000
#define LINUX_CLONE_CHILD_CLEARTID  0x00200000
#define LINUX_CLONE_DETACHED	    0x00400000
#define LINUX_CLONE_UNTRACED	    0x00800000
#define LINUX_CLONE_CHILD_SETTID    0x01000000
#define LINUX_CLONE_GLIBC_FORK_MASK (LINUX_CLONE_CHILD_SETTID | LINUX_CLONE_CHILD_CLEARTID)

/* wait4, waitpid: options. */
#define LINUX_WNOHANG	 0x00000001
#define LINUX_WUNTRACED	 0x00000002
#define LINUX_WEXITED	 0x00000004
#define LINUX_WCONTINUED 0x00000008
#define LINUX_WNOWAIT	 0x01000000
#define LINUX_WNOTHREAD	 0x20000000
#define LINUX_WALL	 0x40000000
#define LINUX_WCLONE	 0x80000000u

/* The status word wait4 stores: an exit puts the low 8 bits of the code in
 * bits 8-15; death by a signal puts the signal in bits 0-6 and sets bit 7
 * when a core was dumped (Toyix dumps none). */
#define LINUX_W_EXITCODE(code) (((uint32_t)(code)&0xffu) << 8)
#define LINUX_WIFEXITED(st)    (((st)&0x7Fu) == 0)
#define LINUX_WEXITSTATUS(st)  (((st) >> 8) & 0xFFu)
#define LINUX_WTERMSIG(st)     ((st)&0x7Fu)
#define LINUX_W_SIGNALLED(sig) ((uint32_t)(sig)&0x7fu)
#define LINUX_W_STOPPED(sig)   ((((uint32_t)(sig)&0xffu) << 8) | 0x7fu)
#define LINUX_W_CONTINUED      0xffffu
#define LINUX_WCOREFLAG	       0x80u

/* Signals. */
#define LINUX_SIGHUP	1
#define LINUX_SIGINT	2
#define LINUX_SIGQUIT	3
#define LINUX_SIGILL	4
#define LINUX_SIGTRAP	5
#define LINUX_SIGABRT	6
#define LINUX_SIGBUS	7
#define LINUX_SIGFPE	8
#define LINUX_SIGKILL	9
#define LINUX_SIGUSR1	10
#define LINUX_SIGSEGV	11
#define LINUX_SIGUSR2	12
#define LINUX_SIGPIPE	13
#define LINUX_SIGALRM	14
#define LINUX_SIGTERM	15
#define LINUX_SIGSTKFLT 16
#define LINUX_SIGCHLD	17
#define LINUX_SIGCONT	18
#define LINUX_SIGSTOP	19
#define LINUX_SIGTSTP	20
#define LINUX_SIGTTIN	21
#define LINUX_SIGTTOU	22
#define LINUX_SIGURG	23
#define LINUX_SIGWINCH	28
#define LINUX_SIGSYS	31
#define LINUX_NSIG	64

/* rt_sigaction's handler values, flags and rt_sigprocmask's how. */
#define LINUX_SIG_DFL	    0u
#define LINUX_SIG_IGN	    1u
#define LINUX_SA_NOCLDSTOP  0x00000001u
#define LINUX_SA_NOCLDWAIT  0x00000002u
#define LINUX_SA_SIGINFO    0x00000004u
#define LINUX_SA_RESTORER   0x04000000u
#define LINUX_SA_ONSTACK    0x08000000u
#define LINUX_SA_RESTART    0x10000000u
#define LINUX_SA_NODEFER    0x40000000u
#define LINUX_SA_RESETHAND  0x80000000u
#define LINUX_SIG_BLOCK	    0
#define LINUX_SIG_UNBLOCK   1
#define LINUX_SIG_SETMASK   2
#define LINUX_SI_USER	    0 /* siginfo.si_code of kill() */
#define LINUX_SI_KERNEL	    0x80
#define LINUX_CLD_EXITED    1
#define LINUX_CLD_KILLED    2
#define LINUX_CLD_STOPPED   5
#define LINUX_CLD_CONTINUED 6

/* si_code of the signals a fault raises (Linux's force_sig_fault). */
#define LINUX_SEGV_MAPERR 1 /* no mapping at the address */
#define LINUX_SEGV_ACCERR 2 /* a mapping that forbids the access */
#define LINUX_BUS_ADRALN  1
#define LINUX_BUS_ADRERR  2 /* past the end of a mapped file */
#define LINUX_FPE_INTDIV  1
#define LINUX_FPE_FLTINV  7
#define LINUX_ILL_ILLOPN  2
#define LINUX_TRAP_BRKPT  1
#define LINUX_TRAP_TRACE  2

/* sigaltstack's flags and smallest stack; setitimer's timers. */
#define LINUX_SS_ONSTACK     1
#define LINUX_SS_DISABLE     2
#define LINUX_SS_AUTODISARM  0x80000000u
#define LINUX_MINSIGSTKSZ    2048u
#define LINUX_ITIMER_REAL    0
#define LINUX_ITIMER_VIRTUAL 1
#define LINUX_ITIMER_PROF    2

/* poll's events. */
#define LINUX_POLLIN	 0x0001
#define LINUX_POLLPRI	 0x0002
#define LINUX_POLLOUT	 0x0004
#define LINUX_POLLERR	 0x0008
#define LINUX_POLLHUP	 0x0010
#define LINUX_POLLNVAL	 0x0020
#define LINUX_POLLRDNORM 0x0040
#define LINUX_POLLWRNORM 0x0100

/* A device number as stat's st_rdev holds it (Linux's new_encode_dev). */
#define LINUX_MKDEV(major, minor) (((minor)&0xFFu) | ((major) << 8) | (((minor) & ~0xFFu) << 12))

#define LINUX_AT_REMOVEDIR 0x200 /* unlinkat: rmdir */

#define LINUX_PIPE_BUF 4096u /* writes up to this size are atomic */

/* The auxiliary vector: (type, value) pairs of 32-bit words after envp's
 * NULL, ended by AT_NULL. */
#define LINUX_AT_NULL	       0
#define LINUX_AT_IGNORE	       1
#define LINUX_AT_EXECFD	       2
#define LINUX_AT_PHDR	       3 /* where the program headers are in memory */
#define LINUX_AT_PHENT	       4 /* sizeof one program header */
#define LINUX_AT_PHNUM	       5
#define LINUX_AT_PAGESZ	       6
#define LINUX_AT_BASE	       7 /* interpreter base: 0 for a static program */
#define LINUX_AT_FLAGS	       8
#define LINUX_AT_ENTRY	       9
#define LINUX_AT_NOTELF	       10
#define LINUX_AT_UID	       11
#define LINUX_AT_EUID	       12
#define LINUX_AT_GID	       13
#define LINUX_AT_EGID	       14
#define LINUX_AT_PLATFORM      15
#define LINUX_AT_HWCAP	       16
#define LINUX_AT_CLKTCK	       17
#define LINUX_AT_SECURE	       23
#define LINUX_AT_BASE_PLATFORM 24
#define LINUX_AT_RANDOM	       25 /* address of 16 random bytes */
#define LINUX_AT_HWCAP2	       26
#define LINUX_AT_EXECFN	       31
#define LINUX_AT_SYSINFO       32
#define LINUX_AT_SYSINFO_EHDR  33
#define LINUX_AT_MINSIGSTKSZ   51

/* ioctl on a terminal. */
#define LINUX_TCGETS	 0x5401
#define LINUX_TCSETS	 0x5402
#define LINUX_TCSETSW	 0x5403
#define LINUX_TCSETSF	 0x5404
#define LINUX_TIOCGPGRP	 0x540F
#define LINUX_TIOCSPGRP	 0x5410
#define LINUX_TIOCGWINSZ 0x5413
#define LINUX_TIOCSWINSZ 0x5414
#define LINUX_FIONREAD	 0x541B
#define LINUX_TCSBRK	 0x5409
#define LINUX_TCXONC	 0x540A
#define LINUX_TCFLSH	 0x540B
#define LINUX_TIOCSCTTY	 0x540E
#define LINUX_TIOCOUTQ	 0x5411
#define LINUX_TIOCNOTTY	 0x5422
#define LINUX_TIOCGSID	 0x5429
#define LINUX_TCIFLUSH	 0
#define LINUX_TCIOFLUSH	 2

/* termios flags (asm-generic/termbits.h) and the c_cc slots. */
#define LINUX_IGNCR   0x0080u
#define LINUX_ICRNL   0x0100u
#define LINUX_INLCR   0x0040u
#define LINUX_ISIG    0x0001u
#define LINUX_ICANON  0x0002u
#define LINUX_ECHO    0x0008u
#define LINUX_ECHOE   0x0010u
#define LINUX_ECHOK   0x0020u
#define LINUX_ECHONL  0x0040u
#define LINUX_NOFLSH  0x0080u
#define LINUX_ECHOCTL 0x0200u
#define LINUX_ECHOKE  0x0800u
#define LINUX_IEXTEN  0x8000u
#define LINUX_VINTR   0
#define LINUX_VQUIT   1
#define LINUX_VERASE  2
#define LINUX_VKILL   3
#define LINUX_VEOF    4
#define LINUX_VTIME   5
#define LINUX_VMIN    6
#define LINUX_VSUSP   10
#define LINUX_VEOL    11
#define LINUX_VWERASE 14
#define LINUX_VEOL2   16

/* ugetrlimit, prlimit64: resources. */
#define LINUX_RLIMIT_CPU     0
#define LINUX_RLIMIT_FSIZE   1
#define LINUX_RLIMIT_DATA    2
#define LINUX_RLIMIT_STACK   3
#define LINUX_RLIMIT_CORE    4
#define LINUX_RLIMIT_RSS     5
#define LINUX_RLIMIT_NPROC   6
#define LINUX_RLIMIT_NOFILE  7
#define LINUX_RLIMIT_MEMLOCK 8
#define LINUX_RLIMIT_AS	     9
#define LINUX_RLIM_NLIMITS   16
#define LINUX_RLIM_INFINITY  0xFFFFFFFFu /* ugetrlimit's; prlimit64 uses ~0ull */

/* clock_gettime, clock_nanosleep. */
#define LINUX_CLOCK_REALTIME	     0
#define LINUX_CLOCK_MONOTONIC	     1
#define LINUX_CLOCK_PROCESS_CPUTIME  2
#define LINUX_CLOCK_THREAD_CPUTIME   3
#define LINUX_CLOCK_MONOTONIC_RAW    4
#define LINUX_CLOCK_REALTIME_COARSE  5
#define LINUX_CLOCK_MONOTONIC_COARSE 6
#define LINUX_CLOCK_BOOTTIME	     7
#define LINUX_TIMER_ABSTIME	     1

/* getrandom. */
#define LINUX_GRND_NONBLOCK 0x1
#define LINUX_GRND_RANDOM   0x2
#define LINUX_GRND_INSECURE 0x4

/* st_mode / stx_mode file types and the d_type of getdents64. */
#define LINUX_S_IFMT   0170000
#define LINUX_S_IFSOCK 0140000
#define LINUX_S_IFLNK  0120000
#define LINUX_S_IFREG  0100000
#define LINUX_S_IFBLK  0060000
#define LINUX_S_IFDIR  0040000
#define LINUX_S_IFCHR  0020000
#define LINUX_S_IFIFO  0010000

#define LINUX_DT_UNKNOWN 0
#define LINUX_DT_FIFO	 1
#define LINUX_DT_CHR	 2
#define LINUX_DT_DIR	 4
#define LINUX_DT_BLK	 6
#define LINUX_DT_REG	 8
#define LINUX_DT_LNK	 10
#define LINUX_DT_SOCK	 12

/* statx: which fields the caller wants and the kernel filled. */
#define LINUX_STATX_TYPE	0x0001u
#define LINUX_STATX_MODE	0x0002u
#define LINUX_STATX_NLINK	0x0004u
#define LINUX_STATX_UID		0x0008u
#define LINUX_STATX_GID		0x0010u
#define LINUX_STATX_ATIME	0x0020u
#define LINUX_STATX_MTIME	0x0040u
#define LINUX_STATX_CTIME	0x0080u
#define LINUX_STATX_INO		0x0100u
#define LINUX_STATX_SIZE	0x0200u
#define LINUX_STATX_BLOCKS	0x0400u
#define LINUX_STATX_BASIC_STATS 0x07ffu
#define LINUX_STATX_BTIME	0x0800u

#endif
