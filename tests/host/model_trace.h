/* What every model-based random test keeps for its run: the random numbers
 * drawn from the seed, the call being made and the last ones made, and the
 * first disagreement, all of which end up in the model_report that
 * model_runner.c prints and replays.  A model embeds one `struct
 * model_trace trace` and passes &m->trace. */
#ifndef TESTS_HOST_MODEL_TRACE_H
#define TESTS_HOST_MODEL_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "model_mm.h"

/* One call as the trace keeps it: formatted only when a run fails. */
struct trace_entry {
	uint32_t index;
	const char *fmt; /* a literal printf format for the four arguments */
	unsigned long long arg[4];
	long long result;
	bool has_result;
};

struct model_trace {
	uint64_t rng; /* splitmix64: the seed is the whole state */
	uint32_t op_index;
	bool failed;
	bool final_phase; /* everything is being freed at the end */
	struct model_report *report;
	struct trace_entry cur;
	struct trace_entry ring[MODEL_TRACE_LEN]; /* the calls before cur */
	uint32_t total;
};

/* Starts a run of `seed` reporting into `report` (print_calls is kept). */
void trace_start(struct model_trace *t, uint64_t seed, struct model_report *report);
/* Ends it: the report's outcome and the last calls, oldest first. */
void trace_finish(struct model_trace *t);

uint64_t rng_next(struct model_trace *t);
uint32_t rng_below(struct model_trace *t, uint32_t n); /* uniform in [0, n) */
bool rng_percent(struct model_trace *t, uint32_t percent);

/* Records the first disagreement, with the call being made. */
__attribute__((format(printf, 4, 5))) void model_fail_at(struct model_trace *t, const char *file,
							 int line, const char *fmt, ...);
#define MFAIL(m, ...) model_fail_at(&(m)->trace, __FILE__, __LINE__, __VA_ARGS__)
#define MCHECK(m, cond, ...)                                                                       \
	do {                                                                                       \
		if (!(cond))                                                                       \
			MFAIL((m), __VA_ARGS__);                                                   \
	} while (0)

/* Starts the trace entry of the call about to be made: fmt names the call
 * and prints (up to) four arguments; formatted only for a report. */
void op_begin(struct model_trace *t, const char *fmt, uint64_t a, uint64_t b, uint64_t c,
	      uint64_t d);
/* Its result: the call goes into the ring (and is printed with print_calls). */
void op_result(struct model_trace *t, int64_t result);

#endif
