/* The random numbers, the trace and the failure report every model shares
 * (model_trace.h). */
#include "model_trace.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "fake_arch.h"

void trace_start(struct model_trace *t, uint64_t seed, struct model_report *report)
{
	bool print_calls = report->print_calls;
	memset(report, 0, sizeof(*report));
	report->print_calls = print_calls;
	*t = (struct model_trace){.rng = seed, .report = report};
}

uint64_t rng_next(struct model_trace *t)
{
	uint64_t z = (t->rng += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

uint32_t rng_below(struct model_trace *t, uint32_t n)
{
	return (uint32_t)(((rng_next(t) >> 32) * (uint64_t)n) >> 32);
}

bool rng_percent(struct model_trace *t, uint32_t percent)
{
	return rng_below(t, 100) < percent;
}

static void describe(const struct trace_entry *e, char *buf, size_t size)
{
	char call[MODEL_TEXT_LEN];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(call, sizeof(call), e->fmt, e->arg[0], e->arg[1], e->arg[2], e->arg[3]);
#pragma GCC diagnostic pop
	int len = e->has_result ? snprintf(buf, size, "op %u: %s -> %lld (0x%llX)", e->index, call,
					   e->result, (unsigned long long)e->result)
				: snprintf(buf, size, "op %u: %s", e->index, call);
	(void)len; /* a truncated line is still worth printing */
}

void model_fail_at(struct model_trace *t, const char *file, int line, const char *fmt, ...)
{
	if (t->failed)
		return; /* the first disagreement is the one that matters */
	t->failed = true;
	struct model_report *r = t->report;
	char what[MODEL_TEXT_LEN], call[MODEL_TEXT_LEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	describe(&t->cur, call, sizeof(call));
	/* Truncating a long report is fine; the lengths only keep it in bounds. */
	int len = snprintf(r->message, sizeof(r->message), "%s:%d: %s\n    during %s%s", file, line,
			   what, call, t->final_phase ? " (final phase)" : "");
	if (len >= 0 && (size_t)len < sizeof(r->message) && fake_console_last_line()[0])
		len = snprintf(r->message + len, sizeof(r->message) - (size_t)len,
			       "\n    last console line: %s", fake_console_last_line());
	(void)len;
}

void op_begin(struct model_trace *t, const char *fmt, uint64_t a, uint64_t b, uint64_t c,
	      uint64_t d)
{
	t->cur = (struct trace_entry){.index = t->op_index, .fmt = fmt, .arg = {a, b, c, d}};
}

void op_result(struct model_trace *t, int64_t result)
{
	t->cur.result = result;
	t->cur.has_result = true;
	t->ring[t->total++ % MODEL_TRACE_LEN] = t->cur;
	if (t->report->print_calls) {
		char line[MODEL_TEXT_LEN];
		describe(&t->cur, line, sizeof(line));
		printf("    %s\n", line);
	}
}

void trace_finish(struct model_trace *t)
{
	struct model_report *r = t->report;
	r->ops_done = t->op_index - (t->failed ? 1 : 0);
	r->failed = t->failed;
	r->in_final_phase = t->failed && t->final_phase;
	uint32_t kept = t->total < MODEL_TRACE_LEN ? t->total : MODEL_TRACE_LEN;
	r->trace_count = kept;
	for (uint32_t i = 0; i < kept; i++)
		describe(&t->ring[(t->total - kept + i) % MODEL_TRACE_LEN], r->trace[i],
			 sizeof(r->trace[i]));
}
