/* The memory system calls and the small ones glibc asks at start-up: uname,
 * resource limits, random bytes and sysinfo.  The memory rules themselves
 * live in mm/mmap.c; these calls decode arguments and copy results out. */
#include <stddef.h>

#include "arch/pit.h"
#include "kernel/random.h"
#include "kernel/syscall.h"
#include "kernel/vfs.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/fault.h"
#include "mm/mmap.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"
#include "uapi/linux_types.h"

#define RLIM_INFINITY	 0xFFFFFFFFu
#define RLIM64_INFINITY	 0xFFFFFFFFFFFFFFFFull
#define OPEN_FILES_LIMIT FD_MAX
#define GETRANDOM_MAX	 (32u << 20) /* Linux's per-call cap (33554431) rounded */
#define RLIMIT_COUNT	 16u	     /* RLIMIT_CPU .. RLIMIT_RTTIME */

int32_t sys_brk(struct trap_frame *f)
{
	return (int32_t)mm_brk(aspace_current(), SYSCALL_ARG1(f));
}

/* The file side of a mapping from its descriptor. */
static struct mmap_file mapping_file(uint32_t fd)
{
	struct mmap_file mf = {.bad_fd = true};
	struct file *file = fd_get(current_files(), (int32_t)fd);
	if (!file)
		return mf;
	mf.bad_fd = false;
	uint32_t access = file->flags & LINUX_O_ACCMODE;
	mf.readable = access != LINUX_O_WRONLY;
	mf.writable = access != LINUX_O_RDONLY;
	struct inode *ino = file->inode;
	/* A generated file (/proc) has no bytes to map: -ENODEV, as Linux. */
	mf.mappable = ino && (ino->mode & LINUX_S_IFMT) == LINUX_S_IFREG && ino->backing.ops;
	mf.fb = mf.mappable ? &ino->backing : NULL;
	return mf;
}

static int32_t do_mmap(uint32_t addr, uint32_t len, uint32_t prot, uint32_t flags, uint32_t fd,
		       uint32_t pgoff)
{
	struct mmap_file mf = {0};
	if (!(flags & LINUX_MAP_ANONYMOUS))
		mf = mapping_file(fd);
	return (int32_t)mm_mmap(aspace_current(), addr, len, prot, flags, &mf, pgoff);
}

int32_t sys_mmap2(struct trap_frame *f)
{
	return do_mmap(SYSCALL_ARG1(f), SYSCALL_ARG2(f), SYSCALL_ARG3(f), SYSCALL_ARG4(f),
		       SYSCALL_ARG5(f), SYSCALL_ARG6(f));
}

/* The original mmap: its six arguments in a block of user memory, the offset
 * in bytes (a whole number of pages). */
int32_t sys_old_mmap(struct trap_frame *f)
{
	uint32_t a[6];
	if (copy_from_user(a, (const void *)(uintptr_t)SYSCALL_ARG1(f), sizeof(a)))
		return -LINUX_EFAULT;
	if (a[5] & PAGE_OFFSET_MASK)
		return -LINUX_EINVAL;
	return do_mmap(a[0], a[1], a[2], a[3], a[4], a[5] >> PAGE_SHIFT);
}

int32_t sys_munmap(struct trap_frame *f)
{
	return (int32_t)mm_munmap(aspace_current(), SYSCALL_ARG1(f), SYSCALL_ARG2(f));
}

int32_t sys_mprotect(struct trap_frame *f)
{
	return (int32_t)mm_mprotect(aspace_current(), SYSCALL_ARG1(f), SYSCALL_ARG2(f),
				    SYSCALL_ARG3(f));
}

int32_t sys_msync(struct trap_frame *f)
{
	return (int32_t)mm_msync(aspace_current(), SYSCALL_ARG1(f), SYSCALL_ARG2(f),
				 SYSCALL_ARG3(f));
}

static void set_field(char *field, const char *value)
{
	size_t n = strlen(value);
	memcpy(field, value, n + 1);
}

int32_t sys_uname(struct trap_frame *f)
{
	struct linux_new_utsname u;
	memset(&u, 0, sizeof(u));
	set_field(u.sysname, "Linux");
	set_field(u.nodename, "toyix");
	set_field(u.release, "6.1.0-toyix");
	set_field(u.version, "#1 Toyix");
	set_field(u.machine, "i686");
	set_field(u.domainname, "(none)");
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG1(f), &u, sizeof(u));
}

/* The limits Toyix enforces, the rest unlimited. */
static bool limit_of(uint32_t resource, uint64_t *cur, uint64_t *max)
{
	*cur = *max = RLIM64_INFINITY;
	switch (resource) {
	case LINUX_RLIMIT_STACK: *cur = STACK_LIMIT_DEFAULT; break;
	case LINUX_RLIMIT_NOFILE: *cur = *max = OPEN_FILES_LIMIT; break;
	case LINUX_RLIMIT_CORE: *cur = 0; break;
	default:
		if (resource >= RLIMIT_COUNT)
			return false;
	}
	return true;
}

static uint32_t clamp32(uint64_t v)
{
	return v > RLIM_INFINITY ? RLIM_INFINITY : (uint32_t)v;
}

int32_t sys_ugetrlimit(struct trap_frame *f)
{
	uint64_t cur, max;
	if (!limit_of(SYSCALL_ARG1(f), &cur, &max))
		return -LINUX_EINVAL;
	struct linux_rlimit r = {clamp32(cur), clamp32(max)};
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG2(f), &r, sizeof(r));
}

/* prlimit64(pid, resource, new, old): reads only; setting is refused. */
int32_t sys_prlimit64(struct trap_frame *f)
{
	uint32_t pid = SYSCALL_ARG1(f);
	uint64_t cur, max;
	if ((int32_t)pid < 0)
		return -LINUX_ESRCH; /* every process has the same limits */
	if (!limit_of(SYSCALL_ARG2(f), &cur, &max))
		return -LINUX_EINVAL;
	if (SYSCALL_ARG3(f))
		return -LINUX_EPERM;
	if (!SYSCALL_ARG4(f))
		return 0;
	struct linux_rlimit64 r = {cur, max};
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG4(f), &r, sizeof(r));
}

int32_t sys_getrandom(struct trap_frame *f)
{
	uint32_t buf = SYSCALL_ARG1(f), len = SYSCALL_ARG2(f), flags = SYSCALL_ARG3(f);
	if (flags & ~(LINUX_GRND_NONBLOCK | LINUX_GRND_RANDOM | LINUX_GRND_INSECURE))
		return -LINUX_EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	if (!user_range_ok(buf, len))
		return -LINUX_EFAULT;
	uint8_t chunk[64];
	for (uint32_t done = 0; done < len;) {
		uint32_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
		random_bytes(chunk, n);
		if (copy_to_user((void *)(uintptr_t)(buf + done), chunk, n))
			return done ? (int32_t)done : -LINUX_EFAULT;
		done += n;
	}
	return (int32_t)len;
}

/* Free memory as the PMM counts it, in pages. */
int32_t sys_sysinfo(struct trap_frame *f)
{
	struct linux_sysinfo si;
	memset(&si, 0, sizeof(si));
	si.uptime = (int32_t)(pit_ticks() / PIT_HZ);
	si.totalram = pmm_total_count();
	si.freeram = pmm_free_count();
	si.procs = (uint16_t)aspace_count();
	si.mem_unit = PAGE_SIZE;
	return copy_to_user((void *)(uintptr_t)SYSCALL_ARG1(f), &si, sizeof(si));
}
