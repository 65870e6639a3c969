/* The few Linux i386 ABI names the process machinery needs, until the full
 * header (include/uapi/linux_abi.h) lands in this tree.  Every name and value
 * here is spelled as that header spells it, so switching is one include
 * line: replace the body of this file with #include "uapi/linux_abi.h". */
#ifndef KERNEL_LINUX_ABI_SUBSET_H
#define KERNEL_LINUX_ABI_SUBSET_H

#include <stdint.h>

/* System-call numbers (asm/unistd_32.h). */
#define LINUX_NR_exit			1
#define LINUX_NR_read			3
#define LINUX_NR_write			4
#define LINUX_NR_waitpid		7
#define LINUX_NR_getpid			20
#define LINUX_NR_getppid		64
#define LINUX_NR_wait4			114
#define LINUX_NR_writev			146
#define LINUX_NR_sched_yield		158
#define LINUX_NR_nanosleep		162
#define LINUX_NR_getuid32		199
#define LINUX_NR_getgid32		200
#define LINUX_NR_geteuid32		201
#define LINUX_NR_getegid32		202
#define LINUX_NR_gettid			224
#define LINUX_NR_set_thread_area	243
#define LINUX_NR_get_thread_area	244
#define LINUX_NR_exit_group		252
#define LINUX_NR_set_tid_address	258
#define LINUX_NR_clock_gettime		265
#define LINUX_NR_clock_nanosleep	267
#define LINUX_NR_set_robust_list	311
#define LINUX_NR_rseq			386
#define LINUX_NR_clock_gettime64	403
#define LINUX_NR_clock_nanosleep_time64 407

/* errno (asm-generic/errno-base.h, errno.h). */
#define LINUX_ESRCH  3
#define LINUX_EINTR  4
#define LINUX_EBADF  9
#define LINUX_ECHILD 10
#define LINUX_EAGAIN 11
#define LINUX_ENOMEM 12
#define LINUX_EFAULT 14
#define LINUX_EINVAL 22
#define LINUX_ENOSYS 38

/* Signals a fault or the kernel sends. */
#define LINUX_SIGILL  4
#define LINUX_SIGTRAP 5
#define LINUX_SIGBUS  7
#define LINUX_SIGFPE  8
#define LINUX_SIGKILL 9
#define LINUX_SIGSEGV 11

/* wait4 options and the status word. */
#define LINUX_WNOHANG	       0x00000001
#define LINUX_WUNTRACED	       0x00000002
#define LINUX_WCONTINUED       0x00000008
#define LINUX_WNOTHREAD	       0x20000000
#define LINUX_WALL	       0x40000000
#define LINUX_WCLONE	       0x80000000u
#define LINUX_W_EXITCODE(code) (((uint32_t)(code)&0xffu) << 8)
#define LINUX_W_SIGNALLED(sig) ((uint32_t)(sig)&0x7fu)

/* Clocks. */
#define LINUX_CLOCK_REALTIME	     0
#define LINUX_CLOCK_MONOTONIC	     1
#define LINUX_CLOCK_PROCESS_CPUTIME  2
#define LINUX_CLOCK_THREAD_CPUTIME   3
#define LINUX_CLOCK_MONOTONIC_RAW    4
#define LINUX_CLOCK_REALTIME_COARSE  5
#define LINUX_CLOCK_MONOTONIC_COARSE 6
#define LINUX_CLOCK_BOOTTIME	     7
#define LINUX_TIMER_ABSTIME	     1

struct linux_timespec32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

typedef int64_t linux_s64a4 __attribute__((aligned(4)));

struct linux_timespec64 {
	linux_s64a4 tv_sec;
	linux_s64a4 tv_nsec;
};

struct linux_iovec {
	uint32_t iov_base; /* user address */
	uint32_t iov_len;
};

/* set_thread_area's descriptor; the kernel's bitfields as one word. */
struct linux_user_desc {
	uint32_t entry_number;
	uint32_t base_addr;
	uint32_t limit;
	uint32_t flags;
};
#define LINUX_UD_SEG_32BIT	  (1u << 0)
#define LINUX_UD_CONTENTS_SHIFT	  1u /* 2 bits: 0 data, 1 stack, 2 code */
#define LINUX_UD_CONTENTS_MASK	  (3u << LINUX_UD_CONTENTS_SHIFT)
#define LINUX_UD_READ_EXEC_ONLY	  (1u << 3)
#define LINUX_UD_LIMIT_IN_PAGES	  (1u << 4)
#define LINUX_UD_SEG_NOT_PRESENT  (1u << 5)
#define LINUX_UD_USEABLE	  (1u << 6)
#define LINUX_UD_ENTRY_NUMBER_ANY 0xFFFFFFFFu

#endif
