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
 * call as it is made.  When a seed fails, the runner (model_runner.c)
 * re-runs shorter prefixes of it from a fresh fixture (a binary search on the
 * count) and reports the SHORTEST failing prefix with the exact command that
 * replays it and the last operations before the disagreement.  See
 * docs/reliability.md.
 */
// HOST_LINK: mm/pmm_stats.c mm/pmm_names.c mm/pmm_inject.c mm/pmm_check.c mm/pmm_selftest.c
// HOST_LINK: tests/host/model_core.c tests/host/model_vm_ops.c tests/host/model_heap_ops.c
// HOST_LINK: tests/host/mm_fixture.c tests/host/model_runner.c tests/host/model_trace.c
// HOST_LINK: mm/memmap.c mm/pmm.c mm/vmm.c mm/aspace.c mm/region.c mm/heap.c mm/vm_check.c mm/vm_object.c
#include <stdint.h>
#include <stdio.h>

#include "model_runner.h"

#define OPS_PER_SEED 125000u

static const uint64_t fixed_seeds[] = {1, 2, 3, 42, 1234, 0xC0FFEE, 0x5EED5EED, 20240601};

static struct model_coverage total;

static void add_coverage(const struct model_report *r)
{
	const struct model_coverage *c = &r->coverage;
	total.ops += c->ops;
	total.refused += c->refused;
	total.full_checks += c->full_checks;
	total.injections += c->injections;
	total.frames_exhausted += c->frames_exhausted;
	total.heap_exhausted += c->heap_exhausted;
	total.tables_created += c->tables_created;
}

static void print_totals(size_t seeds)
{
	printf("model: %llu operations over %zu seed(s): %llu refused as they must be, "
	       "%llu full checks, %llu injected failures, %llu frame exhaustions, "
	       "%llu heap exhaustions, %llu window tables created\n",
	       (unsigned long long)total.ops, seeds, (unsigned long long)total.refused,
	       (unsigned long long)total.full_checks, (unsigned long long)total.injections,
	       (unsigned long long)total.frames_exhausted, (unsigned long long)total.heap_exhausted,
	       (unsigned long long)total.tables_created);
}

int main(void)
{
	static const struct model_suite suite = {
		.group = "mm_model",
		.binary = "build/host/test_mm_model",
		.ops_per_seed = OPS_PER_SEED,
		.seeds = fixed_seeds,
		.seed_count = sizeof(fixed_seeds) / sizeof(fixed_seeds[0]),
		.run = model_run,
		.add_coverage = add_coverage,
		.print_totals = print_totals,
	};
	return model_suite_main(&suite);
}
