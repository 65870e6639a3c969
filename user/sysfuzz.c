/* A system-call fuzzer: `sysfuzz SEED [COUNT]` makes COUNT random system
 * calls by Linux i386 number, known and unknown, with random and edge-case
 * arguments (NULL, kernel addresses, unmapped, misaligned and page-straddling
 * pointers, huge lengths, bad descriptors, random flags), forks children that
 * make the dangerous calls, and maps, touches, protects and unmaps memory at
 * random.  Whatever it does, the kernel must neither panic nor leak: run as
 * PID 1 under test=init, the kernel checks after it exits that every frame
 * came back and vm_check() passes (kernel/init.c).
 *
 * Everything random comes from one xorshift32 seeded by SEED, so the same
 * command line makes the same calls in the same order: a failing seed
 * replays exactly (`sysfuzz SEED COUNT v` also prints each call of the
 * parent before making it; only how far a child gets before it is killed depends on
 * timing; the calls it makes do not).
 *
 * The fuzzer must survive its own calls, so it makes only calls from
 * parent_safe() itself, with arguments kept off its own code, stack, heap,
 * TLS and console descriptors; every other call (exit, kill, execve,
 * munmap/mprotect/brk/mmap anywhere, signals, sleeps, blocking reads) is
 * made by a short-lived child, which the parent kills if it has not ended
 * after a while.  Children never signal anything but themselves or pids
 * that do not exist.  Neither makes a call that adds to the file system
 * (O_CREAT, mkdir, ...), so the kernel's frame count can be compared before
 * and after the run. */
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#define SCRATCH_SIZE	 (64 * 1024)
#define PAGE		 4096u
#define MAPS_MAX	 16
#define FDS_MAX		 8
#define CHILD_CALLS	 32
#define CHILD_POLLS	 40
#define FORK_ONE_IN	 16
#define MAP_ONE_IN	 8
#define DEFAULT_COUNT	 2000
#define KNOWN_NR_MAX	 460 /* Linux i386 numbers end below this */
#define UNKNOWN_NR_FIRST 500
#define FAKE_PID	 0x7FFF0000

/* Linux i386 call numbers the fuzzer treats specially. */
enum {
	NR_exit = 1,
	NR_fork = 2,
	NR_read = 3,
	NR_write = 4,
	NR_open = 5,
	NR_close = 6,
	NR_waitpid = 7,
	NR_creat = 8,
	NR_link = 9,
	NR_unlink = 10,
	NR_execve = 11,
	NR_chdir = 12,
	NR_time = 13,
	NR_mknod = 14,
	NR_chmod = 15,
	NR_lseek = 19,
	NR_getpid = 20,
	NR_mount = 21,
	NR_access = 33,
	NR_kill = 37,
	NR_rename = 38,
	NR_mkdir = 39,
	NR_rmdir = 40,
	NR_dup = 41,
	NR_ioctl = 54,
	NR_umask = 60,
	NR_dup2 = 63,
	NR_getppid = 64,
	NR_symlink = 83,
	NR_readlink = 85,
	NR_reboot = 88,
	NR_truncate = 92,
	NR_ftruncate = 93,
	NR_sysinfo = 116,
	NR_clone = 120,
	NR_uname = 122,
	NR_llseek = 140,
	NR_getdents = 141,
	NR_readv = 145,
	NR_writev = 146,
	NR_sched_yield = 158,
	NR_pread64 = 180,
	NR_pwrite64 = 181,
	NR_getcwd = 183,
	NR_vfork = 190,
	NR_ugetrlimit = 191,
	NR_mmap2 = 192,
	NR_truncate64 = 193,
	NR_ftruncate64 = 194,
	NR_stat64 = 195,
	NR_lstat64 = 196,
	NR_fstat64 = 197,
	NR_getuid32 = 199,
	NR_getgid32 = 200,
	NR_geteuid32 = 201,
	NR_getegid32 = 202,
	NR_getdents64 = 220,
	NR_gettid = 224,
	NR_tkill = 238,
	NR_get_thread_area = 244,
	NR_fallocate = 324,
	NR_tgkill = 270,
	NR_clock_gettime = 265,
	NR_mknodat = 297,
	NR_openat = 295,
	NR_mkdirat = 296,
	NR_fstatat64 = 300,
	NR_unlinkat = 301,
	NR_renameat = 302,
	NR_linkat = 303,
	NR_symlinkat = 304,
	NR_faccessat = 307,
	NR_dup3 = 330,
	NR_renameat2 = 353,
	NR_getrandom = 355,
	NR_statx = 383,
	NR_clone3 = 435,
	NR_clock_gettime64 = 403,
};

static uint32_t rng;

static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static uint32_t below(uint32_t n)
{
	return n ? next() % n : 0;
}

static int one_in(uint32_t n)
{
	return below(n) == 0;
}

/* Memory the kernel may write into: the only valid pointers the parent
 * passes.  A mapping of its own with an inaccessible page after it, so a
 * write past its end with a huge length stops at a fault (-EFAULT) instead
 * of running over the fuzzer's own data. */
static unsigned char *scratch;
#define IOV_MAX_FUZZ 8
static struct iovec iov[IOV_MAX_FUZZ];

struct map {
	uintptr_t addr;
	uint32_t len;
	int touchable; /* anonymous and still readable and writable throughout */
};
static struct map maps[MAPS_MAX];
static int fds[FDS_MAX]; /* files this process opened; -1 when free */
static int in_child;
static int verbose; /* a third argument `v`: the parent prints each call first */

static long raw_syscall(uint32_t nr, uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e,
			uint32_t f)
{
	long ret;
	/* EBP is the frame pointer in some builds: save it by hand. */
	__asm__ volatile("push %%ebp\n\t"
			 "mov %7, %%ebp\n\t"
			 "int $0x80\n\t"
			 "pop %%ebp"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "m"(f)
			 : "memory", "cc");
	return ret;
}

static const char *const paths[] = {
	"",
	"/",
	".",
	"..",
	"bin",
	"bin/hello",
	"/bin/hello",
	"etc/hello.txt",
	"etc/hostname",
	"etc/",
	"nonexistent",
	"bin/nonexistent/x",
	"/bin/../etc/./hello.txt",
	"//etc//hostname",
	"etc/hello.txt/",
	"data",
	"/dev/null",
	"/proc",
	"/proc/self",
	"/proc/self/maps",
	"/proc/1/status",
	"/proc/meminfo",
};
#define PATH_COUNT (sizeof(paths) / sizeof(paths[0]))

/* Where the long path lives: no NUL for a page, then one. */
static char long_path[PAGE + 1];

static uint32_t edge_number(void)
{
	static const uint32_t edges[] = {0,	     1,		 2,	     3,		 4,
					 0x7F,	     0x80,	 0xFF,	     0x100,	 0xFFF,
					 0x1000,     0x1001,	 0xFFFF,     0x10000,	 0x7FFFFFFF,
					 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFF000,
					 0xC0000000, 0xBFFFFFFF, 0x100000};
	return edges[below(sizeof(edges) / sizeof(edges[0]))];
}

/* A pointer: NULL, into the kernel, unmapped, misaligned or straddling the
 * end of the scratch buffer, or plainly inside it. */
static uint32_t pointer(int bad_only)
{
	switch (below(bad_only ? 5 : 9)) {
	case 0: return 0;
	case 1: return 0xC0000000u + (next() & 0x3FFFFFFFu);
	case 2: return 0xFFFFF000u + below(PAGE);
	case 3: return 0x50000000u + below(0x100000) * 4; /* unmapped */
	case 4: return below(PAGE);			  /* the NULL page */
	case 5: return (uint32_t)(uintptr_t)scratch + SCRATCH_SIZE - below(64);
	case 6: return (uint32_t)(uintptr_t)scratch + 1 + below(SCRATCH_SIZE - 1);
	default: return (uint32_t)(uintptr_t)scratch + below(SCRATCH_SIZE / 4) * 4;
	}
}

static uint32_t path_arg(void)
{
	if (one_in(4))
		return pointer(0);
	if (one_in(16))
		return (uint32_t)(uintptr_t)long_path;
	return (uint32_t)(uintptr_t)paths[below(PATH_COUNT)];
}

static uint32_t length(void)
{
	switch (below(4)) {
	case 0: return edge_number();
	case 1: return below(PAGE * 4);
	case 2: return below(64);
	default: return next();
	}
}

static int remember_fd(int fd)
{
	for (int i = 0; i < FDS_MAX; i++)
		if (fds[i] < 0) {
			fds[i] = fd;
			return 1;
		}
	return 0;
}

/* A descriptor: one of ours, a bad one, or (in a child) the console. */
static uint32_t fd_arg(void)
{
	switch (below(in_child ? 4 : 3)) {
	case 0: return (uint32_t)fds[below(FDS_MAX)]; /* may be -1 */
	case 1: {
		static const uint32_t bad[] = {0xFFFFFFFF, 0x7FFFFFFF, 64,	  255,
					       1024,	   0x80000000, 0xFFFFFF9C /* AT_FDCWD */};
		return bad[below(sizeof(bad) / sizeof(bad[0]))];
	}
	case 2: return below(32);
	default: return below(3);
	}
}

static uint32_t random_arg(void)
{
	switch (below(5)) {
	case 0: return edge_number();
	case 1: return pointer(0);
	case 2: return fd_arg();
	case 3: return below(64);
	default: return next();
	}
}

/* The calls the fuzzer may make itself, with arguments made safe by
 * make_safe(); anything else goes to a child. */
static int parent_safe(uint32_t nr)
{
	switch (nr) {
	case NR_read:
	case NR_write:
	case NR_open:
	case NR_close:
	case NR_time:
	case NR_lseek:
	case NR_getpid:
	case NR_access:
	case NR_dup:
	case NR_ioctl:
	case NR_dup2:
	case NR_getppid:
	case NR_readlink:
	case NR_sysinfo:
	case NR_uname:
	case NR_llseek:
	case NR_getdents:
	case NR_readv:
	case NR_writev:
	case NR_sched_yield:
	case NR_pread64:
	case NR_getcwd:
	case NR_ugetrlimit:
	case NR_mmap2:
	case NR_stat64:
	case NR_lstat64:
	case NR_fstat64:
	case NR_getuid32:
	case NR_getgid32:
	case NR_geteuid32:
	case NR_getegid32:
	case NR_getdents64:
	case NR_gettid:
	case NR_get_thread_area:
	case NR_clock_gettime:
	case NR_openat:
	case NR_fstatat64:
	case NR_faccessat:
	case NR_dup3:
	case NR_getrandom:
	case NR_statx:
	case NR_clock_gettime64: return 1;
	default: return nr >= UNKNOWN_NR_FIRST; /* no such call on Linux either */
	}
}

/* Calls that would add to the file system (and so hold memory after the
 * run) or end the whole machine: never made. */
static int never(uint32_t nr)
{
	switch (nr) {
	case NR_creat:
	case NR_link:
	case NR_unlink:
	case NR_mknod:
	case NR_chmod:
	case NR_mount:
	case NR_rename:
	case NR_mkdir:
	case NR_rmdir:
	case NR_symlink:
	case NR_reboot:
	case NR_truncate:
	case NR_ftruncate:
	case NR_pwrite64:
	case NR_truncate64:
	case NR_ftruncate64:
	case NR_fallocate:
	case NR_mknodat:
	case NR_mkdirat:
	case NR_unlinkat:
	case NR_renameat:
	case NR_linkat:
	case NR_symlinkat:
	case NR_renameat2:
	case NR_clone3: return 1;
	default: return 0;
	}
}

static uint32_t call_number(void)
{
	switch (below(8)) {
	case 0: return UNKNOWN_NR_FIRST + below(1000);
	case 1: return edge_number();
	default: return below(KNOWN_NR_MAX);
	}
}

/* Open flags that read and never create or truncate. */
static uint32_t read_only_flags(uint32_t flags)
{
	return flags & ~(uint32_t)(O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | O_TMPFILE);
}

/* Arguments that cannot hurt the caller (or, in a child, the machine). */
static void make_safe(uint32_t nr, uint32_t a[6])
{
	switch (nr) {
	case NR_open:
		a[0] = path_arg();
		a[1] = read_only_flags(a[1]);
		break;
	case NR_openat:
		a[1] = path_arg();
		a[2] = read_only_flags(a[2]);
		break;
	case NR_access:
	case NR_stat64:
	case NR_lstat64:
	case NR_readlink:
	case NR_chdir:
	case NR_execve: a[0] = path_arg(); break;
	case NR_fstatat64:
	case NR_faccessat:
	case NR_statx: a[1] = path_arg(); break;
	case NR_kill:
	case NR_tkill:
		/* Itself or nobody: never its parent, PID 1 or everyone. */
		a[0] = one_in(2) ? (uint32_t)getpid() : FAKE_PID + below(100);
		break;
	case NR_tgkill: a[0] = a[1] = one_in(2) ? (uint32_t)getpid() : FAKE_PID + below(100); break;
	case NR_clone: a[1] = 0; break; /* the copy runs on this stack and exits */
	case NR_mmap2:
		if (!in_child)
			a[3] &= ~(uint32_t)(MAP_FIXED | MAP_FIXED_NOREPLACE);
		break;
	default: break;
	}
	if (in_child)
		return;
	/* The parent's descriptors 0-2 are the console: no reads that wait for
	 * a line, no writes of its memory to the console, no closing them. */
	switch (nr) {
	case NR_read:
	case NR_write:
	case NR_close:
	case NR_lseek:
	case NR_dup:
	case NR_ioctl:
	case NR_llseek:
	case NR_getdents:
	case NR_readv:
	case NR_writev:
	case NR_pread64:
	case NR_fstat64:
	case NR_getdents64:
	case NR_dup2:
	case NR_dup3:
		if (a[0] < 3)
			a[0] = 0xFFFFFFFF;
		break;
	default: break;
	}
	if ((nr == NR_dup2 || nr == NR_dup3) && a[1] < 64) /* not over the console or ours */
		a[1] = 64 + below(960);
	/* The kernel reads the pointers of an I/O vector and writes where they
	 * point: the parent's vectors point into the scratch buffer only. */
	if (nr == NR_readv || nr == NR_writev) {
		uint32_t n = below(IOV_MAX_FUZZ + 1);
		for (uint32_t i = 0; i < n; i++) {
			iov[i].iov_base = (void *)(uintptr_t)pointer(0);
			iov[i].iov_len = length();
		}
		a[1] = one_in(4) ? pointer(1) : (uint32_t)(uintptr_t)iov;
		a[2] = one_in(8) ? edge_number() : n;
	}
	if (nr == NR_close)
		for (int i = 0; i < FDS_MAX; i++)
			if (fds[i] >= 0 && (uint32_t)fds[i] == a[0])
				fds[i] = -1;
}

/* What the parent does with a call's result: keep what it opened or
 * mapped (so it can use and release it later), close what it duplicated. */
static void after_call(uint32_t nr, const uint32_t a[6], long ret)
{
	if (in_child || (unsigned long)ret >= 0xFFFFF001ul) /* -errno */
		return;
	switch (nr) {
	case NR_open:
	case NR_openat:
		if (!remember_fd((int)ret))
			close((int)ret);
		break;
	case NR_dup:
	case NR_dup2:
	case NR_dup3:
		if (ret >= 3)
			close((int)ret);
		break;
	case NR_mmap2:
		if ((unsigned long)ret < 0xFFFFF000ul) {
			int slot = (int)below(MAPS_MAX);
			if (maps[slot].len)
				munmap((void *)maps[slot].addr, maps[slot].len);
			maps[slot] = (struct map){(uintptr_t)ret, a[1], 0};
		}
		break;
	default: break;
	}
}

static long fuzz_call(void)
{
	uint32_t nr;
	do
		nr = call_number();
	while (never(nr) || (!in_child && !parent_safe(nr)));
	uint32_t a[6];
	for (int i = 0; i < 6; i++)
		a[i] = random_arg();
	if (nr == NR_open || nr == NR_openat || nr == NR_read || nr == NR_pread64)
		a[nr == NR_openat ? 3 : 2] = length();
	make_safe(nr, a);
	if (verbose && !in_child) {
		printf("sysfuzz: call %u (0x%x, 0x%x, 0x%x, 0x%x, 0x%x, 0x%x)\n", nr, a[0], a[1],
		       a[2], a[3], a[4], a[5]);
		fflush(stdout);
	}
	long ret = raw_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (in_child && ret == 0 && (nr == NR_fork || nr == NR_vfork || nr == NR_clone))
		_exit(0); /* the copy of a child: end at once */
	after_call(nr, a, ret);
	return ret;
}

/* A child makes the dangerous calls, then exits with a random status. */
static void run_child(uint32_t seed)
{
	in_child = 1;
	rng = seed ? seed : 1;
	for (int i = 0; i < CHILD_CALLS; i++)
		fuzz_call();
	_exit((int)below(256));
}

static void reap_orphans(void)
{
	int status;
	while (waitpid(-1, &status, WNOHANG) > 0)
		;
}

struct tally {
	uint32_t children, exited, signalled, killed;
};

static void count_end(struct tally *t, int status)
{
	if (WIFSIGNALED(status))
		t->signalled++;
	else
		t->exited++;
}

static void fork_child(struct tally *t)
{
	uint32_t child_seed = next();
	pid_t pid = fork();
	if (pid == 0)
		run_child(child_seed);
	if (pid < 0)
		return;
	t->children++;
	int status = 0;
	for (int i = 0; i < CHILD_POLLS; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid) {
			count_end(t, status);
			reap_orphans();
			return;
		}
		sched_yield();
	}
	kill(pid, SIGKILL);
	t->killed++;
	waitpid(pid, &status, 0);
	reap_orphans();
}

/* Map, touch, protect or unmap one of the parent's own mappings. */
static void play_with_memory(void)
{
	struct map *m = &maps[below(MAPS_MAX)];
	if (verbose) {
		printf("sysfuzz: memory: map %d at 0x%lx, %u bytes%s\n", (int)(m - maps),
		       (unsigned long)m->addr, m->len, m->touchable ? ", touchable" : "");
		fflush(stdout);
	}
	if (!m->len) {
		uint32_t pages = 1 + below(32);
		int shared = one_in(3);
		void *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			       MAP_ANONYMOUS | (shared ? MAP_SHARED : MAP_PRIVATE), -1, 0);
		if (p != MAP_FAILED)
			*m = (struct map){(uintptr_t)p, pages * PAGE, 1};
		return;
	}
	uint32_t pages = (m->len + PAGE - 1) / PAGE;
	switch (below(4)) {
	case 0:
		if (m->touchable)
			for (uint32_t i = below(pages); i < pages; i += 1 + below(4))
				((volatile unsigned char *)m->addr)[i * PAGE + below(PAGE)] =
					(unsigned char)next();
		break;
	case 1: {
		uint32_t first = below(pages), n = 1 + below(pages - first);
		mprotect((void *)(m->addr + first * PAGE), n * PAGE, below(8));
		m->touchable = 0;
		break;
	}
	case 2: {
		/* From either end, never a hole in the middle: a later mapping
		 * could land in the hole and go with the rest of this one. */
		uint32_t n = 1 + below(pages);
		uintptr_t from = one_in(2) ? m->addr : m->addr + (pages - n) * PAGE;
		if (munmap((void *)from, n * PAGE) == 0) {
			if (from == m->addr)
				m->addr += n * PAGE;
			m->len = n == pages ? 0 : (pages - n) * PAGE;
		}
		break;
	}
	default:
		munmap((void *)m->addr, m->len);
		m->len = 0;
		break;
	}
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sysfuzz SEED [COUNT]\n");
		return 2;
	}
	uint32_t seed = (uint32_t)strtoul(argv[1], NULL, 0);
	uint32_t count = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 0) : DEFAULT_COUNT;
	verbose = argc > 3 && argv[3][0] == 'v';
	rng = seed ? seed : 1;
	scratch = mmap(NULL, SCRATCH_SIZE + PAGE, PROT_READ | PROT_WRITE,
		       MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
	if (scratch == MAP_FAILED || mprotect(scratch + SCRATCH_SIZE, PAGE, PROT_NONE)) {
		fprintf(stderr, "sysfuzz: no scratch mapping\n");
		return 1;
	}
	memset(long_path, 'a', PAGE);
	for (int i = 0; i < FDS_MAX; i++)
		fds[i] = -1;
	printf("sysfuzz: seed %u, %u calls\n", seed, count);
	fflush(stdout);
	struct tally t = {0};
	uint32_t calls = 0, errors = 0;
	for (uint32_t i = 0; i < count; i++) {
		if (one_in(FORK_ONE_IN))
			fork_child(&t);
		else if (one_in(MAP_ONE_IN))
			play_with_memory();
		else {
			calls++;
			if (fuzz_call() < 0)
				errors++;
		}
	}
	for (int i = 0; i < MAPS_MAX; i++)
		if (maps[i].len)
			munmap((void *)maps[i].addr, maps[i].len);
	for (int i = 0; i < FDS_MAX; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	int status;
	while (wait(&status) > 0)
		;
	printf("sysfuzz: seed %u done: %u calls (%u errors), %u children (%u exited, %u ended by a "
	       "signal, %u killed by the fuzzer)\n",
	       seed, calls, errors, t.children, t.exited, t.signalled, t.killed);
	return 0;
}
