/* The shared driver of the model-based random tests (model_runner.h). */
#include "model_runner.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#define SEED_ENV  "TOYIX_SEED"
#define OPS_ENV	  "TOYIX_OPS"
#define TRACE_ENV "TOYIX_TRACE"
#define MAX_SEEDS 32

static const struct model_suite *suite;
static uint32_t ops_per_seed;
static bool print_calls; /* TOYIX_TRACE=1: print every call of a seed run */

static bool env_number(const char *name, uint64_t *out)
{
	const char *s = getenv(name);
	if (!s || !*s)
		return false;
	char *end;
	unsigned long long v = strtoull(s, &end, 0);
	if (*end) {
		fprintf(stderr, "%s=%s is not a number\n", name, s);
		exit(2);
	}
	*out = v;
	return true;
}

/* The fewest operations of this seed that still fail.  A failure at
 * operation k fails every prefix longer than k, and a leak found only at the
 * end may need many operations, so search [0, failing]: prefix `lo` passes,
 * prefix `hi` fails.  Each probe boots a fresh system. */
static uint32_t shortest_failing_prefix(uint64_t seed, uint32_t failing)
{
	struct model_report *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	uint32_t hi = failing;
	if (!suite->run(seed, 0, r)) {
		free(r);
		return 0;
	}
	uint32_t lo = 0;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (suite->run(seed, mid, r))
			lo = mid;
		else
			hi = mid;
	}
	free(r);
	return hi;
}

static void print_report(uint64_t seed, uint32_t ops, const struct model_report *r)
{
	print_message("model: seed %llu disagrees with the memory system after %u operation(s)%s\n",
		      (unsigned long long)seed, ops,
		      r->in_final_phase ? " (found while freeing everything at the end)" : "");
	print_message("model: reproduce with  %s=%llu %s=%u %s\n", SEED_ENV,
		      (unsigned long long)seed, OPS_ENV, ops, suite->binary);
	print_message("model: %s\n", r->message);
	print_message("model: the last calls before it:\n");
	for (uint32_t i = 0; i < r->trace_count; i++)
		print_message("    %s\n", r->trace[i]);
}

static void run_seed(void **state)
{
	uint64_t seed = *(const uint64_t *)*state;
	struct model_report *r = calloc(1, sizeof(*r));
	assert_non_null(r);
	r->print_calls = print_calls;
	bool ok = suite->run(seed, ops_per_seed, r);
	suite->add_coverage(r);
	if (ok) {
		free(r);
		return;
	}
	uint32_t failing = r->in_final_phase ? ops_per_seed : r->ops_done + 1;
	uint32_t shortest = shortest_failing_prefix(seed, failing);
	r->print_calls = false;
	suite->run(seed, shortest, r); /* again, for the report of the shortest run */
	print_report(seed, shortest, r);
	free(r);
	fail_msg("model: seed %llu failed (shortest failing prefix: %u operations)",
		 (unsigned long long)seed, shortest);
}

int model_suite_main(const struct model_suite *s)
{
	suite = s;
	ops_per_seed = s->ops_per_seed;
	uint64_t seed, ops, trace;
	static uint64_t seeds[MAX_SEEDS];
	size_t n = 0;
	print_calls = env_number(TRACE_ENV, &trace) && trace;
	if (env_number(OPS_ENV, &ops))
		ops_per_seed = (uint32_t)ops;
	if (env_number(SEED_ENV, &seed))
		seeds[n++] = seed;
	else
		for (; n < s->seed_count && n < MAX_SEEDS; n++)
			seeds[n] = s->seeds[n];

	static struct CMUnitTest tests[MAX_SEEDS];
	static char names[MAX_SEEDS][48];
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "seed_%llu", (unsigned long long)seeds[i]);
		tests[i] = (struct CMUnitTest){
			.name = names[i], .test_func = run_seed, .initial_state = &seeds[i]};
	}
	int failed = _cmocka_run_group_tests(s->group, tests, n, NULL, NULL);
	s->print_totals(n);
	return failed;
}
