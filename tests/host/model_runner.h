/* The driver every model-based random test shares: one cmocka test per
 * seed, TOYIX_SEED / TOYIX_OPS / TOYIX_TRACE from the environment, and on a
 * failure the search for the shortest failing prefix and its report with
 * the command that replays it (docs/reliability.md).
 *
 * A suite gives a run function that is a pure function of (seed, ops):
 * it boots a fresh system, runs `ops` operations, frees everything and
 * fills the report (model_mm.h). */
#ifndef TESTS_HOST_MODEL_RUNNER_H
#define TESTS_HOST_MODEL_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "model_mm.h"

struct model_suite {
	const char *group;  /* cmocka's group name */
	const char *binary; /* the path the replay command names */
	uint32_t ops_per_seed;
	const uint64_t *seeds; /* the fixed seeds of `make host-test` */
	size_t seed_count;
	bool (*run)(uint64_t seed, uint32_t ops, struct model_report *report);
	/* After each seed's first run (not the prefix searches): sum what it
	 * covered; at the end print the totals. */
	void (*add_coverage)(const struct model_report *report);
	void (*print_totals)(size_t seeds);
};

/* Runs the suite's seeds (or TOYIX_SEED alone); returns main's status. */
int model_suite_main(const struct model_suite *suite);

#endif
