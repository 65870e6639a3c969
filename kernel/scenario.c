#include "kernel/scenario.h"

#include <stddef.h>

#include "arch/cpu.h"
#include "arch/qemu_exit.h"
#include "drivers/console.h"
#include "lib/cmdline.h"
#include "lib/string.h"

extern const struct scenario __scenarios_start[], __scenarios_end[];

#define NAME_MAX_LEN 32

static const struct scenario *selected;

bool scenario_select(const char *cmdline)
{
	char name[NAME_MAX_LEN];
	const char *value;
	size_t len;
	if (!cmdline_find(cmdline, "test", &value, &len))
		return false;
	/* Too long for any name: keep what fits, so it is reported unknown. */
	if (len >= sizeof(name))
		len = sizeof(name) - 1;
	memcpy(name, value, len);
	name[len] = '\0';
	for (const struct scenario *s = __scenarios_start; s < __scenarios_end; s++) {
		if (strcmp(s->name, name) == 0) {
			selected = s;
			kprintf("Test scenario: %s\n", name);
			return true;
		}
	}
	kprintf("Test scenario: unknown test=%s; known:", name);
	for (const struct scenario *s = __scenarios_start; s < __scenarios_end; s++)
		kprintf(" %s", s->name);
	kprintf("\n");
	scenario_finish(false);
}

void scenario_run_stage(enum boot_stage stage)
{
	if (selected && selected->stage == stage)
		selected->run();
}

void scenario_finish(bool passed)
{
	kprintf("Test result: %s\n", passed ? "PASS" : "FAIL");
	qemu_exit(passed ? QEMU_EXIT_PASS : QEMU_EXIT_FAIL);
	cpu_halt_forever();
}
