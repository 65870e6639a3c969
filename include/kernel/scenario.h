/* Boot scenarios chosen by `test=NAME` on the command line.  Each one runs
 * at a fixed point of the boot and ends QEMU through the exit port; an
 * unknown name is reported and fails at once.  Scenarios register themselves
 * next to the code they exercise with SCENARIO(). */
#ifndef KERNEL_SCENARIO_H
#define KERNEL_SCENARIO_H

#include <stdbool.h>

enum boot_stage {
	STAGE_MEMORY_READY,   /* PMM, paging, VMM and heap are up */
	STAGE_IRQ_CONFIGURED, /* PIT and keyboard set up, interrupts still off */
	STAGE_IDLE,	      /* the timer ran 3 ticks; about to idle */
};

struct scenario {
	const char *name;
	enum boot_stage stage;
	void (*run)(void);
};

#define SCENARIO(id, name, stage_, fn)                                                             \
	static const struct scenario scenario_##id                                                 \
		__attribute__((used, section("scenarios"), aligned(4))) = {name, stage_, fn}

/* Reads test= from the command line; panics-free: an unknown name is printed
 * and ends QEMU with the fail code.  Returns false when there is no test=. */
bool scenario_select(const char *cmdline);
/* Runs the selected scenario if it belongs to this stage. */
void scenario_run_stage(enum boot_stage stage);
/* Ends QEMU with pass or fail and halts; for scenarios. */
__attribute__((noreturn)) void scenario_finish(bool passed);

#endif
