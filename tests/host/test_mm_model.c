/* Model-based random tests of the PMM, VMM and heap (tests/host/model_*.c).
 *
 * Each cmocka test is one seed: a fresh memory system on 24 MiB of fake RAM,
 * OPS_PER_SEED random operations checked against the model, then everything
 * freed and the counts compared with the start.  The fixed seeds together run
 * over a million operations.
 *
 * Reproducing: a run is a pure function of (seed, operation count), so
 *
 *     TOYIX_SEED=N [TOYIX_OPS=M] build/host/test_mm_model
 *
 * replays seed N alone (M operations, default OPS_PER_SEED); TOYIX_OPS alone
 * changes the count for every fixed seed, and TOYIX_TRACE=1 prints every
 * call as it is made.  When a seed fails, the test
 * re-runs shorter prefixes of it from a fresh fixture (a binary search on the
 * count) and reports the SHORTEST failing prefix with the exact command that
 * replays it and the last operations before the disagreement.  See
 * docs/reliability.md.
 */
// HOST_LINK: tests/host/model_core.c tests/host/model_vm_ops.c tests/host/model_heap_ops.c
// HOST_LINK: tests/host/mm_fixture.c
// HOST_LINK: mm/memmap.c mm/pmm.c mm/vmm.c mm/aspace.c mm/region.c mm/heap.c mm/vm_check.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "model_mm.h"

#define OPS_PER_SEED 125000u
#define SEED_ENV     "TOYIX_SEED"
#define OPS_ENV	     "TOYIX_OPS"
#define TRACE_ENV    "TOYIX_TRACE"

static const uint64_t fixed_seeds[] = {1, 2, 3, 42, 1234, 0xC0FFEE, 0x5EED5EED, 20240601};
#define FIXED_SEEDS (sizeof(fixed_seeds) / sizeof(fixed_seeds[0]))

static uint32_t ops_per_seed = OPS_PER_SEED;
static bool print_calls; /* TOYIX_TRACE=1: print every call of a seed run */
static struct model_coverage total;

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

static void add_coverage(const struct model_coverage *c)
{
	total.ops += c->ops;
	total.refused += c->refused;
	total.full_checks += c->full_checks;
	total.injections += c->injections;
	total.frames_exhausted += c->frames_exhausted;
	total.heap_exhausted += c->heap_exhausted;
	total.tables_created += c->tables_created;
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
	if (!model_run(seed, 0, r)) {
		free(r);
		return 0;
	}
	uint32_t lo = 0;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (model_run(seed, mid, r))
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
	print_message("model: reproduce with  %s=%llu %s=%u build/host/test_mm_model\n", SEED_ENV,
		      (unsigned long long)seed, OPS_ENV, ops);
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
	bool ok = model_run(seed, ops_per_seed, r);
	add_coverage(&r->coverage);
	if (ok) {
		free(r);
		return;
	}
	uint32_t failing = r->in_final_phase ? ops_per_seed : r->ops_done + 1;
	uint32_t shortest = shortest_failing_prefix(seed, failing);
	r->print_calls = false;
	model_run(seed, shortest, r); /* again, for the report of the shortest run */
	print_report(seed, shortest, r);
	free(r);
	fail_msg("model: seed %llu failed (shortest failing prefix: %u operations)",
		 (unsigned long long)seed, shortest);
}

int main(void)
{
	uint64_t seed, ops;
	static uint64_t seeds[FIXED_SEEDS];
	size_t n = 0;
	uint64_t trace;
	print_calls = env_number(TRACE_ENV, &trace) && trace;
	if (env_number(OPS_ENV, &ops))
		ops_per_seed = (uint32_t)ops;
	if (env_number(SEED_ENV, &seed))
		seeds[n++] = seed;
	else
		for (; n < FIXED_SEEDS; n++)
			seeds[n] = fixed_seeds[n];

	struct CMUnitTest tests[FIXED_SEEDS];
	static char names[FIXED_SEEDS][48];
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "seed_%llu", (unsigned long long)seeds[i]);
		tests[i] = (struct CMUnitTest){
			.name = names[i], .test_func = run_seed, .initial_state = &seeds[i]};
	}
	int failed = _cmocka_run_group_tests("mm_model", tests, n, NULL, NULL);
	printf("model: %llu operations over %zu seed(s): %llu refused as they must be, "
	       "%llu full checks, %llu injected failures, %llu frame exhaustions, "
	       "%llu heap exhaustions, %llu window tables created\n",
	       (unsigned long long)total.ops, n, (unsigned long long)total.refused,
	       (unsigned long long)total.full_checks, (unsigned long long)total.injections,
	       (unsigned long long)total.frames_exhausted, (unsigned long long)total.heap_exhausted,
	       (unsigned long long)total.tables_created);
	return failed;
}
