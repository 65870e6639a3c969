/* /bin/bench: what processes cost, timed from user space.
 *
 * scripts/bench.py boots it as PID 1 under `qemu -icount shift=0,sleep=off`,
 * where the TSC advances by one per guest instruction, so a difference of two
 * rdtsc reads is the number of instructions the machine ran in between: this
 * program's, the kernel's and any other process's.  Every metric is timed the
 * same way: rdtsc, the operation, rdtsc, less the median of an empty pair.
 * Each prints two lines, the median and the slowest of its samples:
 *
 *     BENCH <metric> <median>
 *     BENCH <metric>_max <max>
 *
 * Usage: bench [-n N] [all | METRIC ... | forkmem KIB ...]
 *   forkmem KIB   fork_exit_wait after the parent touched KIB KiB of memory,
 *                 printed as fork_exit_wait_kib_<KIB> (the scaling plot)
 *
 * System calls go through `int $0x80` directly, not glibc: the figures are
 * the kernel's, not glibc's wrappers (glibc's fork alone runs atfork
 * handlers and resets locks).  It runs on Linux too, where the figures are
 * cycles, not instructions.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#define PAGE	      4096u
#define DEFAULT_RUNS  200u
#define MAX_RUNS      20000u
#define REGIONS_10K   10000u
#define FAULT_PAGES   512u /* pages per fault-timing batch */
#define TINY_PROGRAM  "bin/bench_true"
#define FORK_4M_BYTES (4u << 20)

static uint32_t samples[MAX_RUNS];
static uint32_t runs = DEFAULT_RUNS;
static uint32_t overhead;

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)::"memory");
	return ((uint64_t)hi << 32) | lo;
}

/* The same bracketing for every metric: the memory clobbers keep the
 * compiler from moving the operation's loads and stores out of the pair. */
#define TIME_ONE(op)                                                                               \
	({                                                                                         \
		uint64_t t0_ = rdtsc();                                                            \
		op;                                                                                \
		uint64_t t1_ = rdtsc();                                                            \
		(uint32_t)(t1_ - t0_);                                                             \
	})

static long sys0(long nr)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr) : "memory");
	return r;
}

static long sys1(long nr, long a)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a) : "memory");
	return r;
}

static long sys3(long nr, long a, long b, long c)
{
	long r;
	__asm__ volatile("int $0x80" : "=a"(r) : "a"(nr), "b"(a), "c"(b), "d"(c) : "memory");
	return r;
}

static long sys4(long nr, long a, long b, long c, long d)
{
	long r;
	__asm__ volatile("int $0x80"
			 : "=a"(r)
			 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d)
			 : "memory");
	return r;
}

/* mmap2 takes six arguments; the sixth travels in EBP, which the compiler
 * may use as the frame pointer, so it is saved and loaded by hand. */
static long sys_mmap2(long addr, long len, long prot, long flags)
{
	long r = SYS_mmap2;
	long args[2] = {-1, 0}; /* fd, page offset */
	long *ap = args;
	__asm__ volatile("push %%ebp\n\t"
			 "movl 4(%%edi), %%ebp\n\t"
			 "movl 0(%%edi), %%edi\n\t"
			 "int $0x80\n\t"
			 "pop %%ebp"
			 : "+a"(r), "+D"(ap)
			 : "b"(addr), "c"(len), "d"(prot), "S"(flags)
			 : "memory");
	return r;
}

static void die(const char *what, long value)
{
	printf("bench: FAILED: %s (%ld)\n", what, value);
	fflush(stdout);
	sys1(SYS_exit_group, 1);
	__builtin_unreachable();
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static uint32_t less_overhead(uint32_t v)
{
	return v > overhead ? v - overhead : 0;
}

/* Prints the median and the slowest of samples[0..n), less an empty pair. */
static void report(const char *name, uint32_t n)
{
	qsort(samples, n, sizeof(samples[0]), cmp_u32);
	printf("BENCH %s %u\nBENCH %s_max %u\n", name, less_overhead(samples[n / 2]), name,
	       less_overhead(samples[n - 1]));
	fflush(stdout);
}

static void measure_overhead(void)
{
	for (uint32_t i = 0; i < runs; i++)
		samples[i] = TIME_ONE((void)0);
	qsort(samples, runs, sizeof(samples[0]), cmp_u32);
	overhead = samples[runs / 2];
}

static void *map_anon(uint32_t bytes)
{
	long p = sys_mmap2(0, (long)bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
	if (p < 0 && p > -4096)
		die("mmap", p);
	return (void *)p;
}

static void unmap(void *p, uint32_t bytes)
{
	long rc = sys3(SYS_munmap, (long)p, (long)bytes, 0);
	if (rc)
		die("munmap", rc);
}

static void touch(volatile char *p, uint32_t bytes)
{
	for (uint32_t off = 0; off < bytes; off += PAGE)
		p[off] = 1;
}

static void wait_child(long pid)
{
	int status = -1;
	long rc = sys4(SYS_wait4, pid, (long)&status, 0, 0);
	if (rc != pid || status != 0)
		die("wait4 status", status);
}

/* ---- metrics --------------------------------------------------------------- */

static void bench_getpid(void)
{
	for (uint32_t i = 0; i < runs; i++)
		samples[i] = TIME_ONE(sys0(SYS_getpid));
	report("syscall_getpid", runs);
}

/* fork, the child exits at once, the parent waits for it: the time until
 * the parent is back from wait4 with the child reaped. */
static uint32_t fork_exit_wait_once(void)
{
	long pid = 0;
	int status = -1;
	uint32_t t = TIME_ONE({
		pid = sys0(SYS_fork);
		if (pid == 0)
			sys1(SYS_exit, 0);
		sys4(SYS_wait4, pid, (long)&status, 0, 0);
	});
	if (pid < 0 || status != 0)
		die("fork/wait", pid < 0 ? pid : status);
	return t;
}

static void bench_fork(const char *name, uint32_t touched_bytes)
{
	char *mem = NULL;
	if (touched_bytes) {
		mem = map_anon(touched_bytes);
		touch(mem, touched_bytes);
	}
	for (uint32_t i = 0; i < runs; i++)
		samples[i] = fork_exit_wait_once();
	report(name, runs);
	if (mem)
		unmap(mem, touched_bytes);
}

/* Times the first write to each page of [p, p + n pages). */
static void time_first_writes(volatile char *p, uint32_t n, uint32_t *out)
{
	for (uint32_t i = 0; i < n; i++) {
		volatile char *q = p + (size_t)i * PAGE;
		out[i] = TIME_ONE(*q = 1);
	}
}

/* A never-touched anonymous page: the fault, a zeroed frame, the return. */
static void bench_fault_zero(const char *name)
{
	uint32_t done = 0;
	while (done < runs) {
		uint32_t n = runs - done < FAULT_PAGES ? runs - done : FAULT_PAGES;
		char *p = map_anon(n * PAGE);
		time_first_writes(p, n, samples + done);
		unmap(p, n * PAGE);
		done += n;
	}
	report(name, runs);
}

/* The child writes to pages it shares with its parent, which is asleep in
 * wait4 and keeps its references: every write copies. */
static void bench_fault_cow(void)
{
	uint32_t n = runs < FAULT_PAGES ? runs : FAULT_PAGES;
	char *p = map_anon(n * PAGE);
	touch(p, n * PAGE);
	long pid = sys0(SYS_fork);
	if (pid < 0)
		die("fork", pid);
	if (pid == 0) {
		time_first_writes(p, n, samples);
		report("page_fault_cow", n);
		sys1(SYS_exit, 0);
	}
	wait_child(pid);
	unmap(p, n * PAGE);
}

static void bench_mmap_munmap(void)
{
	for (uint32_t i = 0; i < runs; i++) {
		long p = 0, rc = 0;
		samples[i] = TIME_ONE({
			p = sys_mmap2(0, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
			rc = sys3(SYS_munmap, p, PAGE, 0);
		});
		if ((p < 0 && p > -4096) || rc)
			die("mmap/munmap", rc ? rc : p);
	}
	report("mmap_munmap_anon", runs);
}

/* fork + execve of a program that only exits + wait, less the median of
 * fork + exit + wait: what exec adds. */
static void bench_exec(void)
{
	static uint32_t plain[MAX_RUNS];
	for (uint32_t i = 0; i < runs; i++)
		plain[i] = fork_exit_wait_once();
	qsort(plain, runs, sizeof(plain[0]), cmp_u32);
	uint32_t base = plain[runs / 2];
	char *argv[] = {TINY_PROGRAM, NULL};
	char *envp[] = {NULL};
	for (uint32_t i = 0; i < runs; i++) {
		long pid = 0;
		int status = -1;
		uint32_t t = TIME_ONE({
			pid = sys0(SYS_fork);
			if (pid == 0) {
				sys3(SYS_execve, (long)TINY_PROGRAM, (long)argv, (long)envp);
				sys1(SYS_exit, 99);
			}
			sys4(SYS_wait4, pid, (long)&status, 0, 0);
		});
		if (pid < 0 || status != 0)
			die("fork/exec/wait", pid < 0 ? pid : status);
		samples[i] = t > base ? t - base + overhead : overhead;
	}
	report("exec_small", runs);
}

/* One sched_yield of the parent while a child yields in a loop: the parent
 * gets the CPU back after two switches. */
static void bench_yield(void)
{
	long pid = sys0(SYS_fork);
	if (pid < 0)
		die("fork", pid);
	if (pid == 0)
		for (;;)
			sys0(SYS_sched_yield);
	sys0(SYS_sched_yield); /* the child runs from here on */
	for (uint32_t i = 0; i < runs; i++)
		samples[i] = TIME_ONE(sys0(SYS_sched_yield));
	sys3(SYS_kill, pid, 9, 0);
	int status = 0;
	sys4(SYS_wait4, pid, (long)&status, 0, 0);
	report("yield_pingpong", runs);
}

static void wait_readable(int fd)
{
	struct {
		int fd;
		short events, revents;
	} pfd = {fd, 1 /* POLLIN */, 0};
	long n = sys3(SYS_poll, (long)&pfd, 1, -1);
	if (n != 1)
		die("poll", n);
}

/* A round trip through two pipes with each side waiting in poll: the
 * parent writes a byte, the child's poll sees it and the child answers,
 * the parent's poll sees that.  A poll that looked again only at the next
 * timer tick would add the idle time up to that tick to every wait. */
static void bench_poll_pipe(void)
{
	int there[2], back[2];
	long rc = sys1(SYS_pipe, (long)there);
	if (rc < 0 || (rc = sys1(SYS_pipe, (long)back)) < 0)
		die("pipe", rc);
	long pid = sys0(SYS_fork);
	if (pid < 0)
		die("fork", pid);
	char c = 0;
	if (pid == 0)
		for (;;) {
			wait_readable(there[0]);
			sys3(SYS_read, there[0], (long)&c, 1);
			sys3(SYS_write, back[1], (long)&c, 1);
		}
	for (uint32_t i = 0; i < runs; i++)
		samples[i] = TIME_ONE({
			sys3(SYS_write, there[1], (long)&c, 1);
			wait_readable(back[0]);
			sys3(SYS_read, back[0], (long)&c, 1);
		});
	sys3(SYS_kill, pid, 9, 0);
	int status = 0;
	sys4(SYS_wait4, pid, (long)&status, 0, 0);
	for (int i = 0; i < 2; i++) {
		sys1(SYS_close, there[i]);
		sys1(SYS_close, back[i]);
	}
	report("poll_pipe_pingpong", runs);
}

/* page_fault_zero again with 10,000 more regions in the address space: one
 * page each, a page apart, so no two can merge. */
static void bench_fault_zero_regions(void)
{
	char *area = map_anon(2 * REGIONS_10K * PAGE);
	unmap(area, 2 * REGIONS_10K * PAGE);
	for (uint32_t i = 0; i < REGIONS_10K; i++) {
		long want = (long)(area + 2 * (size_t)i * PAGE);
		long p = sys_mmap2(want, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED);
		if (p != want)
			die("mmap of a small region", p);
	}
	bench_fault_zero("page_fault_zero_10k_regions");
	unmap(area, 2 * REGIONS_10K * PAGE);
}

/* ---- command line ----------------------------------------------------------- */

static void fork_scaling(const char *kib_text)
{
	char *end;
	unsigned long kib = strtoul(kib_text, &end, 10);
	if (*end || kib == 0 || kib > (1u << 20))
		die("forkmem: KiB out of range", (long)kib);
	char name[48];
	snprintf(name, sizeof(name), "fork_exit_wait_kib_%lu", kib);
	bench_fork(name, (uint32_t)kib * 1024u);
}

static void fork_small(void)
{
	bench_fork("fork_exit_wait_small", 0);
}

static void fork_4m(void)
{
	bench_fork("fork_exit_wait_4m", FORK_4M_BYTES);
}

static void fault_zero(void)
{
	bench_fault_zero("page_fault_zero");
}

static const struct {
	const char *name;
	void (*run)(void);
} metrics[] = {
	{"syscall_getpid", bench_getpid},
	{"fork_exit_wait_small", fork_small},
	{"fork_exit_wait_4m", fork_4m},
	{"page_fault_zero", fault_zero},
	{"page_fault_cow", bench_fault_cow},
	{"mmap_munmap_anon", bench_mmap_munmap},
	{"exec_small", bench_exec},
	{"yield_pingpong", bench_yield},
	{"page_fault_zero_10k_regions", bench_fault_zero_regions},
	{"poll_pipe_pingpong", bench_poll_pipe},
};
#define METRIC_COUNT (sizeof(metrics) / sizeof(metrics[0]))

static void run_metric(const char *name)
{
	for (size_t m = 0; m < METRIC_COUNT; m++) {
		if (strcmp(name, "all") == 0 || strcmp(name, metrics[m].name) == 0) {
			metrics[m].run();
			if (strcmp(name, "all") != 0)
				return;
		}
	}
	if (strcmp(name, "all") != 0) {
		printf("bench: unknown metric %s; metrics:", name);
		for (size_t m = 0; m < METRIC_COUNT; m++)
			printf(" %s", metrics[m].name);
		printf(" all, forkmem KIB...\n");
		fflush(stdout);
		sys1(SYS_exit_group, 2);
	}
}

int main(int argc, char **argv)
{
	int i = 1;
	if (i + 1 < argc && strcmp(argv[i], "-n") == 0) {
		runs = (uint32_t)strtoul(argv[i + 1], NULL, 10);
		if (runs < 1 || runs > MAX_RUNS)
			die("-n out of range", (long)runs);
		i += 2;
	}
	measure_overhead();
	printf("bench: %u runs per metric, an empty rdtsc pair counts %u (subtracted)\n", runs,
	       overhead);
	if (i == argc)
		run_metric("all");
	else if (strcmp(argv[i], "forkmem") == 0)
		for (i++; i < argc; i++)
			fork_scaling(argv[i]);
	else
		for (; i < argc; i++)
			run_metric(argv[i]);
	fflush(stdout);
	return 0;
}
