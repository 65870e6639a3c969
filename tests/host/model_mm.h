/* A reference model of the memory system for model-based random tests.
 *
 * model_run() boots a fresh memory system on the fake machine (mm_fixture),
 * then drives the PMM, the VMM and the heap with `ops` random operations
 * drawn from `seed`, good and bad arguments alike, and compares every result
 * with a small model of what must be true: which window pages map which
 * frame with which flags, which frames the test owns and how often each is
 * mapped, which heap blocks are live and what bytes they hold.  At the end it
 * frees everything and checks that every count is back where it started.
 *
 * A run is a pure function of (seed, ops): the same pair replays the same
 * operations on the same addresses, so a failure can be cut down to its
 * shortest failing prefix by re-running shorter prefixes
 * (tests/host/test_mm_model.c does that). */
#ifndef TESTS_HOST_MODEL_MM_H
#define TESTS_HOST_MODEL_MM_H

#include <stdbool.h>
#include <stdint.h>

#define MODEL_TRACE_LEN 16 /* operations kept for the failure report */
#define MODEL_TEXT_LEN	240

/* What a run covered, summed over runs by the caller. */
struct model_coverage {
	uint64_t ops;		   /* random operations executed */
	uint64_t refused;	   /* ... that the system (correctly) refused */
	uint64_t full_checks;	   /* vm_check + heap_check + whole-model comparisons */
	uint64_t injections;	   /* operations run with a failure injected */
	uint64_t frames_exhausted; /* allocations that found no free frame */
	uint64_t heap_exhausted;   /* kmalloc/kcalloc NULL for a valid size */
	uint64_t tables_created;   /* window page tables that came and went */
};

struct model_report {
	bool print_calls; /* in: print every call as it is made */
	bool failed;
	bool in_final_phase; /* the failure came while freeing everything */
	uint32_t ops_done;   /* operations completed before the failure */
	char message[2 * MODEL_TEXT_LEN];
	uint32_t trace_count;
	char trace[MODEL_TRACE_LEN][MODEL_TEXT_LEN]; /* last operations, oldest first */
	struct model_coverage coverage;
};

/* Runs one seeded sequence; true when the system agreed with the model all
 * the way.  report->print_calls is read, everything else written.  Must run
 * inside a cmocka test (the fixture asserts). */
bool model_run(uint64_t seed, uint32_t ops, struct model_report *report);

#endif
