/* The i386 layouts of the structures Linux system calls read from and write
 * to user memory.  The kernel fills these and copies them out byte for byte,
 * so their layout is the ABI: every size and the offsets glibc reads are
 * pinned by _Static_assert below, and tests/abi/linux_abi_m32.c compares
 * them with the system's own headers under `gcc -m32`.
 *
 * A user pointer inside a structure is a 32-bit user address (uint32_t),
 * never a kernel pointer.  On i386 a 64-bit member is aligned to 4 bytes
 * inside a structure; linux_u64a4 says so explicitly, so the layouts are
 * the same when the host tests compile this header for x86-64. */
#ifndef UAPI_LINUX_TYPES_H
#define UAPI_LINUX_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t linux_u64a4 __attribute__((aligned(4)));
typedef int64_t linux_s64a4 __attribute__((aligned(4)));

/* fstat64, stat64, lstat64, fstatat64.  The inode number is there twice:
 * 32 bits early (legacy) and 64 bits at the end. */
struct linux_stat64 {
	linux_u64a4 st_dev;
	uint8_t pad0[4];
	uint32_t st_ino32;
	uint32_t st_mode;
	uint32_t st_nlink;
	uint32_t st_uid;
	uint32_t st_gid;
	linux_u64a4 st_rdev;
	uint8_t pad3[4];
	linux_s64a4 st_size;
	uint32_t st_blksize;
	linux_u64a4 st_blocks; /* 512-byte units */
	uint32_t st_atime_sec;
	uint32_t st_atime_nsec;
	uint32_t st_mtime_sec;
	uint32_t st_mtime_nsec;
	uint32_t st_ctime_sec;
	uint32_t st_ctime_nsec;
	linux_u64a4 st_ino;
};

struct linux_statx_timestamp {
	int64_t tv_sec;
	uint32_t tv_nsec;
	int32_t reserved;
};

/* statx: the same on every architecture (all 64-bit members naturally
 * aligned). */
struct linux_statx {
	uint32_t stx_mask;
	uint32_t stx_blksize;
	uint64_t stx_attributes;
	uint32_t stx_nlink;
	uint32_t stx_uid;
	uint32_t stx_gid;
	uint16_t stx_mode;
	uint16_t spare0;
	uint64_t stx_ino;
	uint64_t stx_size;
	uint64_t stx_blocks;
	uint64_t stx_attributes_mask;
	struct linux_statx_timestamp stx_atime;
	struct linux_statx_timestamp stx_btime;
	struct linux_statx_timestamp stx_ctime;
	struct linux_statx_timestamp stx_mtime;
	uint32_t stx_rdev_major;
	uint32_t stx_rdev_minor;
	uint32_t stx_dev_major;
	uint32_t stx_dev_minor;
	uint64_t stx_mnt_id;
	uint32_t stx_dio_mem_align;
	uint32_t stx_dio_offset_align;
	uint64_t spare3[12];
};

/* uname (newuname). */
#define LINUX_UTS_LEN 65
struct linux_new_utsname {
	char sysname[LINUX_UTS_LEN];
	char nodename[LINUX_UTS_LEN];
	char release[LINUX_UTS_LEN];
	char version[LINUX_UTS_LEN];
	char machine[LINUX_UTS_LEN];
	char domainname[LINUX_UTS_LEN];
};

/* sysinfo: memory in units of mem_unit bytes. */
struct linux_sysinfo {
	int32_t uptime; /* seconds since boot */
	uint32_t loads[3];
	uint32_t totalram;
	uint32_t freeram;
	uint32_t sharedram;
	uint32_t bufferram;
	uint32_t totalswap;
	uint32_t freeswap;
	uint16_t procs;
	uint16_t pad;
	uint32_t totalhigh;
	uint32_t freehigh;
	uint32_t mem_unit;
	char reserved[8];
};

/* ugetrlimit (32-bit) and prlimit64. */
struct linux_rlimit {
	uint32_t rlim_cur;
	uint32_t rlim_max;
};

struct linux_rlimit64 {
	linux_u64a4 rlim_cur;
	linux_u64a4 rlim_max;
};

/* Times: the 32-bit forms of the original i386 calls (nanosleep,
 * clock_gettime, gettimeofday, wait4's rusage) and the 64-bit timespec of
 * the *_time64 calls glibc tries first. */
struct linux_timespec32 {
	int32_t tv_sec;
	int32_t tv_nsec;
};

struct linux_timeval32 {
	int32_t tv_sec;
	int32_t tv_usec;
};

struct linux_timespec64 {
	linux_s64a4 tv_sec;
	linux_s64a4 tv_nsec;
};

struct linux_itimerval32 {
	struct linux_timeval32 it_interval;
	struct linux_timeval32 it_value;
};

/* sigaltstack's stack_t. */
struct linux_stack {
	uint32_t ss_sp;
	int32_t ss_flags;
	uint32_t ss_size;
};

/* wait4's resource usage. */
struct linux_rusage {
	struct linux_timeval32 ru_utime;
	struct linux_timeval32 ru_stime;
	int32_t ru_maxrss, ru_ixrss, ru_idrss, ru_isrss, ru_minflt, ru_majflt, ru_nswap;
	int32_t ru_inblock, ru_oublock, ru_msgsnd, ru_msgrcv, ru_nsignals, ru_nvcsw, ru_nivcsw;
};

/* writev, readv. */
struct linux_iovec {
	uint32_t iov_base; /* user address */
	uint32_t iov_len;
};

/* getdents64: records of d_reclen bytes, each a multiple of 8, the name
 * NUL-terminated inside it. */
struct linux_dirent64 {
	linux_u64a4 d_ino;
	linux_s64a4 d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};
#define LINUX_DIRENT64_NAME_OFFSET 19u

/* TCGETS / TCSETS: the kernel's termios, not glibc's larger one. */
#define LINUX_NCCS 19
struct linux_termios {
	uint32_t c_iflag;
	uint32_t c_oflag;
	uint32_t c_cflag;
	uint32_t c_lflag;
	uint8_t c_line;
	uint8_t c_cc[LINUX_NCCS];
};

/* TIOCGWINSZ. */
struct linux_winsize {
	uint16_t ws_row;
	uint16_t ws_col;
	uint16_t ws_xpixel;
	uint16_t ws_ypixel;
};

/* set_thread_area: a GDT descriptor the process may load into a segment
 * register (glibc puts its TLS block behind %gs).  entry_number -1 asks the
 * kernel to choose a free slot and write the slot back.  The kernel's
 * header has bitfields after limit; here they are one word, bit 0 first. */
/* rt_sigaction's struct (the kernel's, not glibc's): the mask is last. */
struct linux_k_sigaction {
	uint32_t handler;
	uint32_t flags;
	uint32_t restorer;
	uint64_t mask;
} __attribute__((packed));

/* The registers a signal handler's frame saves (struct sigcontext). */
struct linux_sigcontext {
	uint16_t gs, gsh, fs, fsh, es, esh, ds, dsh;
	uint32_t edi, esi, ebp, esp, ebx, edx, ecx, eax;
	uint32_t trapno, err, eip;
	uint16_t cs, csh;
	uint32_t eflags, esp_at_signal;
	uint16_t ss, ssh;
	uint32_t fpstate; /* user pointer to the saved x87/SSE state */
	uint32_t oldmask; /* blocked signals 1-32 before the handler */
	uint32_t cr2;
};

/* siginfo_t: 128 bytes; the fields kill(), SIGCHLD and faults fill. */
struct linux_siginfo {
	int32_t si_signo, si_errno, si_code;
	union {
		struct {
			int32_t pid;
			uint32_t uid;
			int32_t status; /* SIGCHLD: exit code or signal */
		};
		uint32_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP: si_addr */
	};
	uint8_t pad[128 - 24];
};

struct linux_pollfd {
	int32_t fd;
	int16_t events, revents;
};

struct linux_user_desc {
	uint32_t entry_number;
	uint32_t base_addr;
	uint32_t limit;
	uint32_t flags;
};
#define LINUX_UD_SEG_32BIT	     (1u << 0)
#define LINUX_UD_CONTENTS_SHIFT	     1u /* 2 bits: 0 data, 1 stack, 2 code */
#define LINUX_UD_CONTENTS_MASK	     (3u << LINUX_UD_CONTENTS_SHIFT)
#define LINUX_UD_READ_EXEC_ONLY	     (1u << 3)
#define LINUX_UD_LIMIT_IN_PAGES	     (1u << 4)
#define LINUX_UD_SEG_NOT_PRESENT     (1u << 5)
#define LINUX_UD_USEABLE	     (1u << 6)
#define LINUX_UD_ENTRY_NUMBER_ANY    0xFFFFFFFFu
#define LINUX_GDT_ENTRY_TLS_ENTRIES  3u /* TLS slots a process may use */
#define LINUX_GDT_ENTRY_TLS_MIN_I386 6u /* Linux's first TLS slot; glibc does not assume it */

_Static_assert(sizeof(struct linux_k_sigaction) == 20, "k_sigaction is 20 bytes on i386");
_Static_assert(sizeof(struct linux_sigcontext) == 88, "struct sigcontext is 88 bytes on i386");
_Static_assert(sizeof(struct linux_stack) == 12, "stack_t is 12 bytes on i386");
_Static_assert(sizeof(struct linux_itimerval32) == 16, "struct itimerval is 16 bytes on i386");
_Static_assert(sizeof(struct linux_siginfo) == 128, "siginfo_t is 128 bytes");
_Static_assert(sizeof(struct linux_stat64) == 96, "struct stat64 is 96 bytes on i386");
_Static_assert(offsetof(struct linux_stat64, st_ino32) == 12, "stat64.__st_ino");
_Static_assert(offsetof(struct linux_stat64, st_mode) == 16, "stat64.st_mode");
_Static_assert(offsetof(struct linux_stat64, st_rdev) == 32, "stat64.st_rdev");
_Static_assert(offsetof(struct linux_stat64, st_size) == 44, "stat64.st_size");
_Static_assert(offsetof(struct linux_stat64, st_blksize) == 52, "stat64.st_blksize");
_Static_assert(offsetof(struct linux_stat64, st_blocks) == 56, "stat64.st_blocks");
_Static_assert(offsetof(struct linux_stat64, st_atime_sec) == 64, "stat64.st_atime");
_Static_assert(offsetof(struct linux_stat64, st_ino) == 88, "stat64.st_ino");
_Static_assert(sizeof(struct linux_statx_timestamp) == 16, "statx_timestamp");
_Static_assert(sizeof(struct linux_statx) == 256, "struct statx is 256 bytes");
_Static_assert(offsetof(struct linux_statx, stx_mode) == 28, "statx.stx_mode");
_Static_assert(offsetof(struct linux_statx, stx_ino) == 32, "statx.stx_ino");
_Static_assert(offsetof(struct linux_statx, stx_size) == 40, "statx.stx_size");
_Static_assert(offsetof(struct linux_statx, stx_atime) == 64, "statx.stx_atime");
_Static_assert(offsetof(struct linux_statx, stx_mtime) == 112, "statx.stx_mtime");
_Static_assert(offsetof(struct linux_statx, stx_rdev_major) == 128, "statx.stx_rdev_major");
_Static_assert(offsetof(struct linux_statx, stx_mnt_id) == 144, "statx.stx_mnt_id");
_Static_assert(sizeof(struct linux_new_utsname) == 390, "new_utsname is 6 x 65 bytes");
_Static_assert(offsetof(struct linux_new_utsname, machine) == 260, "new_utsname.machine");
_Static_assert(sizeof(struct linux_sysinfo) == 64, "struct sysinfo is 64 bytes on i386");
_Static_assert(offsetof(struct linux_sysinfo, freeram) == 20, "sysinfo.freeram");
_Static_assert(offsetof(struct linux_sysinfo, procs) == 40, "sysinfo.procs");
_Static_assert(offsetof(struct linux_sysinfo, mem_unit) == 52, "sysinfo.mem_unit");
_Static_assert(sizeof(struct linux_rlimit) == 8, "struct rlimit (ugetrlimit)");
_Static_assert(sizeof(struct linux_rlimit64) == 16, "struct rlimit64");
_Static_assert(sizeof(struct linux_timespec32) == 8, "old timespec");
_Static_assert(sizeof(struct linux_timeval32) == 8, "old timeval");
_Static_assert(sizeof(struct linux_timespec64) == 16, "__kernel_timespec");
_Static_assert(sizeof(struct linux_rusage) == 72, "struct rusage on i386");
_Static_assert(sizeof(struct linux_iovec) == 8, "struct iovec on i386");
_Static_assert(offsetof(struct linux_dirent64, d_off) == 8, "dirent64.d_off");
_Static_assert(offsetof(struct linux_dirent64, d_reclen) == 16, "dirent64.d_reclen");
_Static_assert(offsetof(struct linux_dirent64, d_type) == 18, "dirent64.d_type");
_Static_assert(offsetof(struct linux_dirent64, d_name) == LINUX_DIRENT64_NAME_OFFSET,
	       "dirent64.d_name");
_Static_assert(sizeof(struct linux_termios) == 36, "kernel termios is 36 bytes");
_Static_assert(offsetof(struct linux_termios, c_line) == 16, "termios.c_line");
_Static_assert(offsetof(struct linux_termios, c_cc) == 17, "termios.c_cc");
_Static_assert(sizeof(struct linux_winsize) == 8, "struct winsize");
_Static_assert(sizeof(struct linux_user_desc) == 16, "struct user_desc on i386");

#endif
