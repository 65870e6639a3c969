/* Allocation failures walked over whole process scenarios (test=ring3, the
 * proc suite): creating a process, fork, clone, execve, mmap and the page
 * faults that fill a mapping.  For n = 1, 2, ... the n-th frame allocation
 * (pmm_fail_nth_alloc) or the n-th kmalloc (heap_fail_nth_alloc) from the
 * start of the scenario fails.  Each time, the program must end in one of
 * the ways its caller can see (its normal status, the error exit it takes
 * when a call fails, SIGKILL from the fault path, or not started at all),
 * every process must be gone, and nothing may stay behind: the free frames
 * (heap pages counted as free, as in test_proc.c) and the heap's live
 * blocks as before, and vm_check()/heap_check() pass after the walk.  The walk ends at the first n
 * the scenario never reached, so every allocation point is visited; the
 * number of points is printed, so a walk that visits none is seen. */
#include "drivers/console.h"
#include "kernel/ktest.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "mm/heap.h"
#include "mm/pmm.h"
#include "mm/vm_check.h"
#include "uapi/linux_abi.h"
#include "uprog.h"

#define WALK_LIMIT   400u /* no scenario here makes more allocations */
#define DRAIN_ROUNDS 10000u
#define EXITED(code) LINUX_W_EXITCODE(code)
#define KILLED	     LINUX_W_SIGNALLED(LINUX_SIGKILL)
#define PROG_FAILED  99 /* user_programs.asm: exit_bad */

struct held {
	uint32_t frames;
	uint32_t heap_blocks;
};

static struct held held_now(void)
{
	struct heap_stats hs;
	heap_get_stats(&hs);
	return (struct held){pmm_free_count() + hs.mapped_pages, hs.live_blocks};
}

/* Orphans of a parent that ended early belong to the kernel now: let the
 * scheduler finish and reap them. */
#define WALK_FRAMES_NEEDED 300u /* the programs, their spaces and an mmap'd megabyte */

static bool drain(void)
{
	for (uint32_t i = 0; i < DRAIN_ROUNDS && proc_count() > 0; i++)
		if (!sched_run_once())
			sched_idle(false);
	return proc_count() == 0;
}

struct injector {
	const char *name;
	void (*arm)(uint32_t n);
	uint32_t (*pending)(void);
};

static const struct injector frames = {"frame", pmm_fail_nth_alloc, pmm_fail_pending};
static const struct injector blocks = {"kmalloc", heap_fail_nth_alloc, heap_fail_pending};

struct scenario {
	const char *name;
	const char *entry;
	uint32_t ebx;
	uint32_t ok;	/* the status of a run without failures */
	uint32_t error; /* the status when a call the program checks failed */
};

static void walk(struct ktest *t, const struct scenario *s, const struct injector *inj)
{
	/* The walk needs the run without failures to succeed first; a machine
	 * too small for that has nothing to walk. */
	if (pmm_free_count() < WALK_FRAMES_NEEDED) {
		ktest_skip(t, "not enough free frames for the run without failures");
		return;
	}
	KT_ASSERT_EQ(t, uprog_run(s->name, s->entry, s->ebx, 0), s->ok); /* warms caches */
	struct held before = held_now();
	uint32_t points = 0, killed = 0, not_run = 0, errors = 0;
	for (uint32_t n = 1; n <= WALK_LIMIT; n++) {
		inj->arm(n);
		uint32_t status = uprog_run(s->name, s->entry, s->ebx, 0);
		bool reached = inj->pending() == 0;
		inj->arm(0);
		KT_EXPECT_TRUE(t, drain());
		if (!reached) {
			KT_EXPECT_EQ(t, status, s->ok);
			break;
		}
		points++;
		if (status == UPROG_NOT_RUN)
			not_run++;
		else if (status == KILLED)
			killed++;
		else if (status == s->error)
			errors++;
		else if (status != s->ok)
			KT_EXPECT_EQ(t, status, s->ok); /* an end nobody could explain */
		struct held now = held_now();
		if (now.frames != before.frames || now.heap_blocks != before.heap_blocks) {
			kprintf("# inject: %s failure %u of %s: %u frames free before, %u after; "
				"heap blocks %u, %u\n",
				inj->name, n, s->name, before.frames, now.frames,
				before.heap_blocks, now.heap_blocks);
			ktest_report_msg(t, __FILE__, __LINE__, "the failure left memory behind");
			before = now; /* report each leak once */
		}
	}
	/* Once a walk, not once a point: with GiBs of RAM, vm_check() reads
	 * every frame record, and a leak already shows in the counts. */
	KT_EXPECT_TRUE(t, vm_check());
	KT_EXPECT_TRUE(t, heap_check());
	KT_EXPECT_TRUE(t, points > 0);
	kprintf("# inject: %s: %u %s failure points (%u not started, %u errors, %u SIGKILL)\n",
		s->name, points, inj->name, not_run, errors, killed);
}

static const struct scenario spawn = {"hello", uprog_hello, 0, EXITED(3), EXITED(3)};
static const struct scenario fork = {"fork", uprog_fork, 0, EXITED(42), EXITED(PROG_FAILED)};
static const struct scenario clone = {"clone", uprog_fork, 1, EXITED(42), EXITED(PROG_FAILED)};
static const struct scenario exec = {"exec", uprog_exec, 0, EXITED(42), EXITED(LINUX_ENOMEM)};
static const struct scenario mmap = {"mmap", uprog_mmap, 0, EXITED(5), EXITED(LINUX_ENOMEM)};

KTEST(proc, every_frame_failure_of_spawn_and_fork_is_survived)
{
	walk(t, &spawn, &frames);
	walk(t, &fork, &frames);
	walk(t, &clone, &frames);
}

KTEST(proc, every_kmalloc_failure_of_spawn_and_fork_is_survived)
{
	walk(t, &spawn, &blocks);
	walk(t, &fork, &blocks);
	walk(t, &clone, &blocks);
}

KTEST(proc, every_allocation_failure_of_execve_is_survived)
{
	KT_ASSERT_TRUE(t, uprog_mount_exec_files());
	walk(t, &exec, &frames);
	walk(t, &exec, &blocks);
}

KTEST(proc, every_allocation_failure_of_mmap_and_its_faults_is_survived)
{
	walk(t, &mmap, &frames);
	walk(t, &mmap, &blocks);
}
