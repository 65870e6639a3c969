/* Runs the shared contract cases of tests/common/ (the same bodies the kernel
 * runs under test=ktest) on the fake machine, one cmocka test per case, each
 * on a freshly booted memory system, with vm_check() and heap_check() after.
 */
// HOST_LINK: mm/pmm_stats.c mm/pmm_names.c mm/pmm_inject.c mm/pmm_check.c mm/pmm_selftest.c
// HOST_LINK: tests/common/test_pmm.c tests/common/test_vmm.c tests/common/test_heap.c tests/common/test_injection.c tests/common/test_bad_input.c tests/common/mm_snapshot.c
// HOST_LINK: tests/host/mm_fixture.c tests/host/ktest_host.c
// HOST_LINK: mm/memmap.c mm/pmm.c mm/vmm.c mm/aspace.c mm/region.c mm/heap.c mm/vm_check.c mm/vm_object.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "kernel/ktest.h"
#include "mm/heap.h"
#include "mm/vm_check.h"
#include "mm_fixture.h"

#define FIXTURE_RAM	   (64ull << 20)
#define FIXTURE_HEAP_PAGES 4

extern const struct ktest_case __start_ktest_cases[], __stop_ktest_cases[];

static void run_case(void **state)
{
	const struct ktest_case *c = *state;
	mm_fixture_boot(FIXTURE_RAM, FIXTURE_HEAP_PAGES);
	struct ktest t = {.name = c->name};
	ktest_run_case(c, &t);
	bool vm_ok = vm_check(), heap_ok = heap_check();
	mm_fixture_shutdown();
	if (t.skip_reason && !t.failed) {
		print_message("skipped: %s\n", t.skip_reason);
		skip();
	}
	assert_false(t.failed);
	assert_true(t.checks > 0);
	assert_true(vm_ok);
	assert_true(heap_ok);
}

int main(void)
{
	size_t n = (size_t)(__stop_ktest_cases - __start_ktest_cases);
	struct CMUnitTest *tests = calloc(n, sizeof(*tests));
	char(*names)[96] = calloc(n, sizeof(*names));
	for (size_t i = 0; i < n; i++) {
		const struct ktest_case *c = &__start_ktest_cases[i];
		snprintf(names[i], sizeof(names[i]), "%s.%s", c->suite, c->name);
		tests[i] = (struct CMUnitTest){
			.name = names[i], .test_func = run_case, .initial_state = (void *)c};
	}
	int failed = _cmocka_run_group_tests("mm_contracts", tests, n, NULL, NULL);
	free(tests);
	free(names);
	return failed;
}
