/* The ktest runner's clean-ups (ktest_defer, ktest_run_case): a case that
 * fails half-way still has every clean-up run, last registered first, so a
 * state it broke on purpose never reaches the next case. */
// HOST_LINK: tests/host/ktest_host.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/ktest.h"

static char order[KTEST_MAX_DEFERRED + 2];
static size_t ran;

static void note(void *ctx)
{
	order[ran++] = *(const char *)ctx;
}

static const char first = 'a', second = 'b';

/* Registers two clean-ups, then fails an assertion in a helper: the case
 * returns early, as a setup that runs out of memory does. */
static void helper_that_fails(struct ktest *t)
{
	KT_ASSERT_EQ(t, 1, 2);
}

static void case_failing_after_defer(struct ktest *t)
{
	ktest_defer(t, note, (void *)&first);
	ktest_defer(t, note, (void *)&second);
	helper_that_fails(t);
	if (t->failed)
		return;
	order[ran++] = 'X'; /* never reached */
}

static void case_passing(struct ktest *t)
{
	ktest_defer(t, note, (void *)&first);
	KT_EXPECT_EQ(t, 1, 1);
}

static void case_too_many(struct ktest *t)
{
	for (int i = 0; i < KTEST_MAX_DEFERRED + 1; i++)
		ktest_defer(t, note, (void *)&first);
}

static void reset(void)
{
	memset(order, 0, sizeof(order));
	ran = 0;
}

static void failing_case_still_runs_its_clean_ups_in_reverse(void **state)
{
	(void)state;
	reset();
	const struct ktest_case c = {"ktest", "failing", case_failing_after_defer};
	struct ktest t = {.name = c.name};
	ktest_run_case(&c, &t);
	assert_true(t.failed);
	assert_int_equal(ran, 2);
	assert_memory_equal(order, "ba", 2);
	assert_int_equal(t.deferred_count, 0);
}

static void passing_case_runs_its_clean_up_once(void **state)
{
	(void)state;
	reset();
	const struct ktest_case c = {"ktest", "passing", case_passing};
	struct ktest t = {.name = c.name};
	ktest_run_case(&c, &t);
	assert_false(t.failed);
	assert_int_equal(ran, 1);
}

/* One more than fits: it runs at once and the case fails, none is lost. */
static void too_many_clean_ups_fail_the_case_but_all_run(void **state)
{
	(void)state;
	reset();
	const struct ktest_case c = {"ktest", "too_many", case_too_many};
	struct ktest t = {.name = c.name};
	ktest_run_case(&c, &t);
	assert_true(t.failed);
	assert_int_equal(ran, KTEST_MAX_DEFERRED + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(failing_case_still_runs_its_clean_ups_in_reverse),
		cmocka_unit_test(passing_case_runs_its_clean_up_once),
		cmocka_unit_test(too_many_clean_ups_fail_the_case_but_all_run),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
