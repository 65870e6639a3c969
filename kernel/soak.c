/* test=soak seconds=N (`make soak SECONDS=N`): one boot that alternates the
 * kernel's random VMM/PMM stress (kernel/stress.c) with rounds of user
 * programs (/bin/soak ROUND, user/soak.c: sysfuzz with a new seed, every
 * conformance program, the fork bomb, the out-of-memory program) until N
 * seconds have passed.  After each round every process must be gone and
 * memory where it was at the start (the rule of test=init, kernel/init.c),
 * and vm_check() must pass; the first round that breaks this ends the soak.
 * One line a minute gives the counts, the last line the verdict. */
#include <stdbool.h>
#include <stdint.h>

#include "arch/pit.h"
#include "drivers/console.h"
#include "kernel/cmdline_args.h"
#include "kernel/init.h"
#include "kernel/proc.h"
#include "kernel/scenario.h"
#include "kernel/stress.h"
#include "kernel/vfs.h"
#include "lib/format.h"
#include "mm/vm_check.h"
#include "uapi/linux_abi.h"

#define DEFAULT_SECONDS	  60u
#define MAX_SECONDS	  (7u * 24u * 3600u)
#define STRESS_OPS	  20000u
#define REPORT_EVERY_SECS 60u
#define REAP_SECONDS	  20u /* for orphans of a round to end by themselves */

/* One round of programs: 0 when /bin/soak exited 0, else why not. */
static const char *run_round(uint32_t round)
{
	char arg[12];
	ksnprintf(arg, sizeof(arg), "%u", round);
	const char *args[] = {arg};
	int32_t pid = init_spawn("/bin/soak", args, 1);
	if (pid < 0)
		return "/bin/soak could not be started";
	uint32_t status = 0;
	if (proc_wait(pid, &status, 0) != pid)
		return "/bin/soak could not be waited for";
	if (!init_reap_everything(REAP_SECONDS))
		return "processes were left that did not end";
	if (status != 0)
		return "/bin/soak reported a failure";
	return NULL;
}

static void run_soak(void)
{
	uint32_t seconds = cmdline_arg_u32("seconds", DEFAULT_SECONDS, 1, MAX_SECONDS);
	current_files(); /* made on first use and kept: make it before counting */
	struct init_held start = init_held_now();
	uint32_t t0 = pit_ticks();
	uint32_t next_report = REPORT_EVERY_SECS, rounds = 0;
	const char *failure = NULL;
	kprintf("soak: %u s of stress, sysfuzz and the conformance programs; %u frames free\n",
		seconds, start.frames_free);
	while (!failure && (pit_ticks() - t0) / PIT_HZ < seconds) {
		rounds++;
		if (!stress_run(rounds, STRESS_OPS))
			failure = "the kernel's stress diverged";
		if (!failure)
			failure = run_round(rounds);
		struct init_held now = init_held_now();
		if (!failure && !init_held_same(&start, &now))
			failure = "memory was not given back";
		if (!failure && !vm_check())
			failure = "vm_check failed";
		uint32_t elapsed = (pit_ticks() - t0) / PIT_HZ;
		if (failure || elapsed >= next_report) {
			kprintf("soak: %u s: %u rounds; %u frames free (%u at start), heap %u "
				"blocks "
				"(%u at start)\n",
				elapsed, rounds, now.frames_free, start.frames_free,
				now.heap_blocks, start.heap_blocks);
			while (next_report <= elapsed)
				next_report += REPORT_EVERY_SECS;
		}
	}
	if (failure)
		kprintf("soak: FAIL in round %u: %s\n", rounds, failure);
	else
		kprintf("soak: PASS: %u rounds in %u s; every frame came back each time\n", rounds,
			(pit_ticks() - t0) / PIT_HZ);
	scenario_finish(!failure);
}
SCENARIO(soak, "soak", STAGE_IDLE, run_soak);
