/* The in-kernel KTAP runner. */
#include "kernel/ktest.h"

#include <stddef.h>

#include "drivers/console.h"
#include "kernel/scenario.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "mm/vm_check.h"

extern const struct ktest_case __ktest_start[], __ktest_end[];

void ktest_report(struct ktest *t, const char *file, int line, const char *expr, uint64_t got,
		  uint64_t want)
{
	t->failed = true;
	kprintf("    # %s:%d: expected %s\n", file, line, expr);
	kprintf("    #   got  0x%llX (%lld)\n    #   want 0x%llX (%lld)\n", (unsigned long long)got,
		(long long)got, (unsigned long long)want, (long long)want);
}

void ktest_report_msg(struct ktest *t, const char *file, int line, const char *msg)
{
	t->failed = true;
	kprintf("    # %s:%d: %s\n", file, line, msg);
}

static bool selected(const struct ktest_case *c, const char *filter)
{
	if (!filter || !*filter)
		return true;
	size_t n = strlen(c->suite);
	size_t f = strlen(filter);
	if (strncmp(c->suite, filter, f < n ? f : n) != 0)
		return false;
	if (f <= n)
		return true;
	return filter[n] == '.' && strncmp(c->name, filter + n + 1, f - n - 1) == 0;
}

int ktest_run_all(const char *filter)
{
	int total = 0, failures = 0;
	for (const struct ktest_case *c = __ktest_start; c < __ktest_end; c++)
		total += selected(c, filter);
	kprintf("KTAP version 1\n1..%d\n", total);
	int n = 0;
	for (const struct ktest_case *c = __ktest_start; c < __ktest_end; c++) {
		if (!selected(c, filter))
			continue;
		struct ktest t = {.name = c->name};
		/* Each case starts from a settled heap: frees give pages back a
		 * few at a time, and what an earlier case left for later would
		 * otherwise show up in this one's free-frame counts. */
		heap_drain_cache();
		ktest_run_case(c, &t);
		if (t.checks == 0 && !t.skip_reason)
			ktest_report_msg(&t, "ktest", 0, "the case checked nothing");
		if (!vm_check())
			ktest_report_msg(&t, "ktest", 0, "vm_check() failed after the case");
		if (!heap_check())
			ktest_report_msg(&t, "ktest", 0, "heap_check() failed after the case");
		failures += t.failed;
		kprintf("%s %d %s.%s", t.failed ? "not ok" : "ok", ++n, c->suite, c->name);
		if (t.skip_reason && !t.failed)
			kprintf(" # SKIP %s", t.skip_reason);
		kprintf("\n");
	}
	kprintf("# ktest: %d passed, %d failed\n", total - failures, failures);
	return failures;
}

static void run_ktest_scenario(void)
{
	scenario_finish(ktest_run_all(NULL) == 0);
}
SCENARIO(ktest, "ktest", STAGE_IDLE, run_ktest_scenario);
