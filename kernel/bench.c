/* test=bench: instruction counts of the boot and of the hot memory paths.
 *
 * Under `qemu -icount shift=0,sleep=off` the TSC advances by exactly one per
 * guest instruction, so rdtsc before and after an operation counts its
 * instructions, the same on every run.  Each operation is timed on its own;
 * a metric is the median of its samples minus the median of an empty rdtsc
 * pair, so a rare outlier (a chunk of PMM records written for the first
 * time, a heap growth) does not move it.  Interrupts are off while measuring,
 * so no timer tick lands in a sample.
 *
 * Output, for scripts/bench.py:   BENCH <name> <instructions>
 *
 * Command line:
 *   bench_iters=N       operations per metric (default BENCH_DEFAULT_ITERS)
 *   bench_only=a,b,...  groups to run: boot pmm pmm_full vmm heap (default all)
 */
#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "arch/cpu_features.h"
#include "drivers/console.h"
#include "kernel/boot.h"
#include "kernel/cmdline_args.h"
#include "kernel/scenario.h"
#include "lib/random.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "mm/vmm.h"

#define BENCH_DEFAULT_ITERS 2000u
#define BENCH_MAX_ITERS	    8192u /* sizes the sample array: 32 KiB of .bss */
#define BENCH_ARG_MAX	    64

#define PDE_SPAN (PAGE_SIZE * PT_ENTRIES) /* bytes one page table maps */
/* Two 4 MiB regions of the test scratch area: one keeps a page mapped so its
 * table stays, the other holds nothing so every map must create a table. */
#define BENCH_KEEP_TABLE_VA LAYOUT_TEST_SCRATCH
#define BENCH_MAPPED_VA	    (BENCH_KEEP_TABLE_VA + PAGE_SIZE)
#define BENCH_NEW_TABLE_VA  (LAYOUT_TEST_SCRATCH + PDE_SPAN)

/* The full-PMM case: this share of the frames stays free, scattered. */
#define PMM_FULL_FREE_PERCENT 10u

/* The random heap workload: RANDOM_LIVE blocks of FRAG_MIN..FRAG_MAX bytes
 * are allocated, then replaced one at a time (a random victim freed, a block
 * of a random size allocated), then freed in random order; every operation
 * is timed and the slowest of each kind reported. */
#define RANDOM_LIVE 20000u

/* The fragmented heap: allocate FRAG_ALLOCS blocks of FRAG_MIN..FRAG_MAX
 * bytes, then free FRAG_FREED of them in random order, leaving FRAG_LIVE. */
#define FRAG_LIVE   2000u
#define FRAG_FREED  1000u
#define FRAG_ALLOCS (FRAG_LIVE + FRAG_FREED)
#define FRAG_MIN    16u
#define FRAG_MAX    1024u

#define XORSHIFT_SEED 0x2545F491u

static uint32_t samples[BENCH_MAX_ITERS + 1]; /* + 1: report_n's extra sample */
static uint32_t iters;
static uint32_t overhead; /* median instructions of an empty rdtsc pair */
static bool failed;
static char only[BENCH_ARG_MAX];
static void *frag_ptrs[FRAG_ALLOCS];
static void *random_ptrs[RANDOM_LIVE];

/* Read through a volatile before each use, so the compiler cannot fold the
 * benchmarked calls' arguments into constants the real callers never pass. */
static volatile vaddr_t opaque_va;
static volatile paddr_t opaque_pa;

/* rdtsc() is volatile asm without a memory clobber; these barriers stop the
 * compiler moving the measured work (calls, loads, stores) across it. */
#define COMPILER_BARRIER() __asm__ volatile("" : : : "memory")

/* Instructions from one rdtsc to the next, with `op` between them. */
#define TIME_ONE(op)                                                                               \
	({                                                                                         \
		COMPILER_BARRIER();                                                                \
		uint64_t t0_ = rdtsc();                                                            \
		COMPILER_BARRIER();                                                                \
		op;                                                                                \
		COMPILER_BARRIER();                                                                \
		uint64_t t1_ = rdtsc();                                                            \
		COMPILER_BARRIER();                                                                \
		(uint32_t)(t1_ - t0_);                                                             \
	})

/* A fixed seed makes every run build the same fragmentation, so the figures
 * repeat. */
static struct xorshift32 rng = {XORSHIFT_SEED};

static uint32_t random_below(uint32_t n)
{
	return xorshift32_below(&rng, n);
}

/* Fisher-Yates over an array of any element type. */
#define SHUFFLE(a, n)                                                                              \
	do {                                                                                       \
		for (uint32_t i_ = (n); i_ > 1; i_--) {                                            \
			uint32_t j_ = random_below(i_);                                            \
			__typeof__((a)[0]) t_ = (a)[i_ - 1];                                       \
			(a)[i_ - 1] = (a)[j_];                                                     \
			(a)[j_] = t_;                                                              \
		}                                                                                  \
	} while (0)

static void fail(const char *what, uint32_t value)
{
	kprintf("Bench: FAILED: %s (0x%08X)\n", what, value);
	failed = true;
}

/* ---- statistics ------------------------------------------------------------ */

/* Insertion sort: samples are mostly equal, so it runs in near-linear time
 * and needs no code a reader has to check. */
static void sort_samples(uint32_t *a, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint32_t v = a[i];
		uint32_t j = i;
		for (; j > 0 && a[j - 1] > v; j--)
			a[j] = a[j - 1];
		a[j] = v;
	}
}

static uint32_t median(uint32_t *a, uint32_t n)
{
	sort_samples(a, n);
	return a[n / 2];
}

static uint32_t less_overhead(uint32_t v)
{
	return v > overhead ? v - overhead : 0;
}

/* Prints the median and the slowest of samples[0..n), less the rdtsc pair:
 * a median hides a rare slow operation, the max shows it. */
static void report_n(const char *name, uint32_t n)
{
	uint32_t m = median(samples, n);
	kprintf("BENCH %s %u\nBENCH %s_max %u\n", name, less_overhead(m), name,
		less_overhead(samples[n - 1]));
}

static void report(const char *name)
{
	report_n(name, iters);
}

static void measure_overhead(void)
{
	for (uint32_t i = 0; i < iters; i++)
		samples[i] = TIME_ONE((void)0);
	overhead = median(samples, iters);
}

/* ---- command line ----------------------------------------------------------- */

static const char *const group_names[] = {"boot", "pmm", "pmm_full", "vmm", "heap"};

/* The length of the comma-separated item starting at p. */
static size_t item_length(const char *p)
{
	size_t n = 0;
	while (p[n] && p[n] != ',')
		n++;
	return n;
}

static bool item_is(const char *item, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(item, name, len) == 0;
}

/* Whether group `name` is in the bench_only list (or no list was given). */
static bool group_enabled(const char *name)
{
	if (!only[0])
		return true;
	for (const char *p = only;; p++) {
		size_t len = item_length(p);
		if (item_is(p, len, name))
			return true;
		p += len;
		if (!*p)
			return false;
	}
}

/* A misspelt group would silently measure nothing: name it and fail. */
static void check_groups(void)
{
	for (const char *p = only; *p; p++) {
		size_t len = item_length(p);
		bool known = false;
		for (size_t g = 0; g < sizeof(group_names) / sizeof(group_names[0]); g++)
			known = known || item_is(p, len, group_names[g]);
		if (!known) {
			kprintf("Bench: unknown group in bench_only=%s; groups:", only);
			for (size_t g = 0; g < sizeof(group_names) / sizeof(group_names[0]); g++)
				kprintf(" %s", group_names[g]);
			kprintf("\n");
			failed = true;
			return;
		}
		p += len;
		if (!*p)
			return;
	}
}

static void read_options(void)
{
	iters = cmdline_arg_u32("bench_iters", BENCH_DEFAULT_ITERS, 1, BENCH_MAX_ITERS);
	cmdline_arg_string("bench_only", only, sizeof(only));
	check_groups();
}

/* ---- boot ------------------------------------------------------------------- */

static void bench_boot(void)
{
	/* Two fixed points of one boot, not a repeated operation: no median. */
	uint64_t insns = boot_tsc_before_timer_wait - boot_tsc;
	kprintf("BENCH boot_insns %llu\n", (unsigned long long)insns);
}

/* ---- PMM ------------------------------------------------------------------------ */

static void bench_pmm(void)
{
	uint32_t free_before = pmm_free_count();
	for (uint32_t i = 0; i < iters; i++) {
		paddr_t pa = PMM_INVALID_PAGE;
		int rc = PMM_OK;
		samples[i] = TIME_ONE({
			pa = pmm_alloc_page();
			rc = pmm_free_page(pa);
		});
		if (pa == PMM_INVALID_PAGE || rc != PMM_OK) {
			fail("pmm alloc/free", pa);
			return;
		}
	}
	report("pmm_alloc_free");
	if (pmm_free_count() != free_before)
		fail("pmm frames leaked", pmm_free_count());
}

/* Allocates every free frame into frames[] and returns how many. */
static uint32_t take_all_frames(paddr_t *frames, uint32_t capacity)
{
	uint32_t n = 0;
	while (n < capacity) {
		paddr_t pa = pmm_alloc_page();
		if (pa == PMM_INVALID_PAGE)
			break;
		frames[n++] = pa;
	}
	return n;
}

/* Alloc + free with most of RAM allocated and the free frames scattered
 * across it in random order: every frame is taken, then a random tenth is
 * given back.  Each timed operation allocates one frame and frees a
 * different, randomly chosen allocated one, so the free set stays scattered
 * and keeps changing; an allocator that searches (a bitmap, a buddy split)
 * shows its cost here instead of reusing the frame it just freed.  The frame
 * list lives on the heap: frames above 16 MiB are not mapped, so no list can
 * be threaded through them. */
static void bench_pmm_full(void)
{
	/* The frame list below grows the heap by megabytes, which frees give
	 * back a few pages at a time: the count is taken, and compared, with
	 * the heap settled (heap_drain_cache returns every whole free page). */
	heap_drain_cache();
	uint32_t free_before = pmm_free_count();
	paddr_t *frames = kmalloc(free_before * sizeof(paddr_t));
	if (!frames) {
		fail("no heap for the frame list; frames", free_before);
		return;
	}
	uint32_t expected = pmm_free_count(); /* the heap may have taken some */
	uint32_t n = take_all_frames(frames, free_before);
	uint32_t first_allocated = 0; /* frames[first_allocated..n) are ours */
	if (n != expected || pmm_free_count() != 0 || n < 2) {
		fail("could not allocate every free frame; got", n);
		goto out;
	}
	SHUFFLE(frames, n);
	first_allocated = n * PMM_FULL_FREE_PERCENT / 100u;
	for (uint32_t i = 0; i < first_allocated; i++)
		if (pmm_free_page(frames[i]) != PMM_OK)
			fail("scatter free", frames[i]);

	uint32_t allocated = n - first_allocated;
	for (uint32_t i = 0; i < iters && !failed; i++) {
		uint32_t slot = first_allocated + random_below(allocated);
		paddr_t victim = frames[slot];
		paddr_t pa = PMM_INVALID_PAGE;
		int rc = PMM_OK;
		samples[i] = TIME_ONE({
			pa = pmm_alloc_page();
			rc = pmm_free_page(victim);
		});
		if (pa == PMM_INVALID_PAGE || rc != PMM_OK)
			fail("pmm alloc/free with RAM full", pa);
		else
			frames[slot] = pa;
	}
	if (!failed)
		report("pmm_alloc_free_full");
out:
	for (uint32_t i = first_allocated; i < n; i++)
		pmm_free_page(frames[i]);
	kfree(frames);
	heap_drain_cache();
	if (pmm_free_count() != free_before)
		fail("frames leaked by the full-RAM bench", pmm_free_count());
}

/* ---- VMM -------------------------------------------------------------------- */

static void bench_vmm_map_unmap(const char *name, vaddr_t va_, paddr_t pa_)
{
	opaque_va = va_;
	opaque_pa = pa_;
	for (uint32_t i = 0; i < iters; i++) {
		int map_rc = VMM_OK, unmap_rc = VMM_OK;
		vaddr_t va = opaque_va;
		paddr_t pa = opaque_pa;
		samples[i] = TIME_ONE({
			map_rc = vmm_map_page(va, pa, PTE_WRITABLE);
			unmap_rc = vmm_unmap_page(va);
		});
		if (map_rc != VMM_OK || unmap_rc != VMM_OK) {
			fail(name, (uint32_t)(map_rc != VMM_OK ? map_rc : unmap_rc));
			return;
		}
	}
	report(name);
}

static void bench_vmm_translate(vaddr_t va_, paddr_t want)
{
	opaque_va = va_;
	for (uint32_t i = 0; i < iters; i++) {
		paddr_t pa = 0;
		vaddr_t va = opaque_va;
		samples[i] = TIME_ONE(pa = vmm_get_physical(va));
		if (pa != want) {
			fail("vmm_get_physical", pa);
			return;
		}
	}
	report("vmm_translate");
}

static void bench_vmm(void)
{
	uint32_t free_before = pmm_free_count();
	uint32_t tables_before = vmm_table_count();
	paddr_t anchor = pmm_alloc_page(), page = pmm_alloc_page();
	if (anchor == PMM_INVALID_PAGE || page == PMM_INVALID_PAGE) {
		fail("no frames for the VMM bench", pmm_free_count());
		goto out;
	}
	if (vmm_table_entries(pde_index(BENCH_NEW_TABLE_VA)) != 0 ||
	    vmm_table_entries(pde_index(BENCH_KEEP_TABLE_VA)) != 0) {
		fail("test scratch area already in use", BENCH_KEEP_TABLE_VA);
		goto out;
	}
	/* The anchor keeps the first region's table alive between operations. */
	int rc = vmm_map_page(BENCH_KEEP_TABLE_VA, anchor, PTE_WRITABLE);
	if (rc != VMM_OK) {
		fail("map the anchor page", (uint32_t)rc);
		goto out;
	}
	bench_vmm_map_unmap("vmm_map_unmap", BENCH_MAPPED_VA, page);
	bench_vmm_translate(BENCH_KEEP_TABLE_VA, anchor);
	bench_vmm_map_unmap("vmm_map_unmap_new_table", BENCH_NEW_TABLE_VA, page);
	vmm_unmap_page(BENCH_KEEP_TABLE_VA);
out:
	if (anchor != PMM_INVALID_PAGE)
		pmm_free_page(anchor);
	if (page != PMM_INVALID_PAGE)
		pmm_free_page(page);
	if (vmm_table_count() != tables_before)
		fail("page tables leaked", vmm_table_count());
	if (pmm_free_count() != free_before)
		fail("frames leaked by the VMM bench", pmm_free_count());
}

/* ---- heap ------------------------------------------------------------------- */

static void bench_kmalloc(const char *name, size_t size)
{
	for (uint32_t i = 0; i < iters; i++) {
		void *p = NULL;
		samples[i] = TIME_ONE({
			p = kmalloc(size);
			kfree(p);
		});
		if (!p) {
			fail(name, (uint32_t)size);
			return;
		}
	}
	report(name);
}

/* FRAG_LIVE blocks of random sizes stay allocated, with the FRAG_FREED
 * freed among them in random order: holes of every small class, spread over
 * the heap.  Returns false (and frees what it took) on failure. */
static bool fragment_heap(void)
{
	for (uint32_t i = 0; i < FRAG_ALLOCS; i++) {
		frag_ptrs[i] = kmalloc(FRAG_MIN + random_below(FRAG_MAX - FRAG_MIN + 1u));
		if (!frag_ptrs[i]) {
			fail("heap too small to fragment; block", i);
			while (i--)
				kfree(frag_ptrs[i]);
			return false;
		}
	}
	/* Shuffling the pointers picks the freed ones and their order at once. */
	SHUFFLE(frag_ptrs, FRAG_ALLOCS);
	for (uint32_t i = 0; i < FRAG_FREED; i++)
		kfree(frag_ptrs[i]);
	return true;
}

static uint32_t random_size(void)
{
	return FRAG_MIN + random_below(FRAG_MAX - FRAG_MIN + 1u);
}

/* The worst single kmalloc and kfree while the heap grows to RANDOM_LIVE
 * blocks, churns and empties again; the medians are the churn's. */
static void bench_heap_random(void)
{
	uint32_t alloc_max = 0, free_max = 0, n = 0;
	for (; n < RANDOM_LIVE; n++) {
		size_t size = random_size();
		void *p = NULL;
		uint32_t t = TIME_ONE(p = kmalloc(size));
		if (!p) {
			fail("heap too small for the random workload; block", n);
			goto out;
		}
		random_ptrs[n] = p;
		alloc_max = t > alloc_max ? t : alloc_max;
	}
	static uint32_t free_samples[BENCH_MAX_ITERS];
	for (uint32_t i = 0; i < iters; i++) {
		uint32_t slot = random_below(RANDOM_LIVE);
		void *victim = random_ptrs[slot];
		free_samples[i] = TIME_ONE(kfree(victim));
		size_t size = random_size();
		void *p = NULL;
		samples[i] = TIME_ONE(p = kmalloc(size));
		random_ptrs[slot] = p;
		if (!p) {
			fail("kmalloc in the random workload", (uint32_t)size);
			goto out;
		}
	}
	SHUFFLE(random_ptrs, RANDOM_LIVE);
	for (; n > 0; n--) {
		void *victim = random_ptrs[n - 1];
		uint32_t t = TIME_ONE(kfree(victim));
		free_max = t > free_max ? t : free_max;
	}
	/* The churn's samples carry their own slowest; the build-up's and the
	 * tear-down's maxima go in as one more sample each. */
	samples[iters] = alloc_max;
	report_n("kmalloc_random", iters + 1);
	memcpy(samples, free_samples, iters * sizeof(samples[0]));
	samples[iters] = free_max;
	report_n("kfree_random", iters + 1);
	return;
out:
	while (n--)
		if (random_ptrs[n])
			kfree(random_ptrs[n]);
}

static void bench_heap(void)
{
	struct heap_stats before, after;
	heap_get_stats(&before);
	bench_kmalloc("kmalloc_free_16", 16);
	bench_kmalloc("kmalloc_free_256", 256);
	bench_kmalloc("kmalloc_free_4096", 4096);
	if (fragment_heap()) {
		bench_kmalloc("kmalloc_free_16_fragmented", 16);
		for (uint32_t i = FRAG_FREED; i < FRAG_ALLOCS; i++)
			kfree(frag_ptrs[i]);
	}
	bench_heap_random();
	heap_get_stats(&after);
	if (after.live_blocks != before.live_blocks ||
	    after.errors_detected != before.errors_detected)
		fail("heap blocks leaked or refused; live blocks", after.live_blocks);
}

/* ---- the scenario --------------------------------------------------------------- */

static void run_bench(void)
{
	if (!cpu_features.tsc) {
		console_writeln("Bench: needs a time-stamp counter (rdtsc); this CPU has none");
		scenario_finish(false);
	}
	read_options();
	if (failed)
		scenario_finish(false);
	kprintf("Bench: %u operations per metric, groups: %s\n", iters, only[0] ? only : "all");
	if (group_enabled("boot"))
		bench_boot();

	bool timed = group_enabled("pmm") || group_enabled("vmm") || group_enabled("heap") ||
		     group_enabled("pmm_full");
	if (timed) {
		bool irq_was_on = irq_save();
		measure_overhead();
		kprintf("Bench: an empty rdtsc pair counts %u instructions (subtracted)\n",
			overhead);
		if (group_enabled("pmm"))
			bench_pmm();
		if (group_enabled("vmm"))
			bench_vmm();
		if (group_enabled("heap"))
			bench_heap();
		/* Last: it takes all of RAM and grows the heap by megabytes. */
		if (group_enabled("pmm_full"))
			bench_pmm_full();
		irq_restore(irq_was_on);
		if (!vm_check() || !heap_check())
			fail("memory state inconsistent after the bench", 0);
	}
	scenario_finish(!failed);
}
SCENARIO(bench, "bench", STAGE_IDLE, run_bench);
