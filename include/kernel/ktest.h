/* In-kernel tests.  A case is declared where it belongs with
 *
 *     KTEST(vmm, map_rejects_unaligned_virt) { KT_EXPECT_EQ(t, ..., ...); }
 *
 * and lands in a linker-built table (section "ktest_cases"), so no list is
 * kept by hand.  The runner prints KTAP.  The same case files also build on
 * the host (TOYIX_HOST), where a cmocka runner walks the same table. */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <stdbool.h>
#include <stdint.h>

#define KTEST_MAX_DEFERRED 8

/* A clean-up a case registered with ktest_defer. */
struct ktest_deferred {
	void (*fn)(void *ctx);
	void *ctx;
};

struct ktest {
	const char *name;
	bool failed;
	uint32_t checks;
	const char *skip_reason; /* set by ktest_skip: the case could not run here */
	struct ktest_deferred deferred[KTEST_MAX_DEFERRED];
	uint32_t deferred_count;
};

struct ktest_case {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest *t);
};

#define KTEST(suite, name)                                                                         \
	static void ktest_##suite##_##name(struct ktest *t);                                       \
	static const struct ktest_case ktest_case_##suite##_##name                                 \
		__attribute__((used, section("ktest_cases"), aligned(sizeof(void *)))) = {         \
			#suite, #name, ktest_##suite##_##name};                                    \
	static void ktest_##suite##_##name(struct ktest *t)

/* Marks the case skipped (KTAP "# SKIP reason"), e.g. when the machine lacks
 * what it needs; the caller returns right after. */
static inline void ktest_skip(struct ktest *t, const char *reason)
{
	t->skip_reason = reason;
}

void ktest_report(struct ktest *t, const char *file, int line, const char *expr, uint64_t got,
		  uint64_t want);
void ktest_report_msg(struct ktest *t, const char *file, int line, const char *msg);

/* Registers fn(ctx) to run when the case ends, however it ends: a failed
 * KT_ASSERT returns from the case (or from a helper of it) early, and a
 * state the case broke on purpose must be repaired before the next case
 * runs, or one failure would cascade into all that follow.  Clean-ups run
 * last registered first.  Register before breaking anything. */
static inline void ktest_defer(struct ktest *t, void (*fn)(void *ctx), void *ctx)
{
	if (t->deferred_count == KTEST_MAX_DEFERRED) {
		fn(ctx); /* no room to wait: undo at once, and fail the case */
		ktest_report_msg(t, __FILE__, __LINE__, "more than KTEST_MAX_DEFERRED clean-ups");
		return;
	}
	t->deferred[t->deferred_count++] = (struct ktest_deferred){fn, ctx};
}

/* Runs a case and then its clean-ups; both runners (kernel and host) use it. */
static inline void ktest_run_case(const struct ktest_case *c, struct ktest *t)
{
	c->fn(t);
	while (t->deferred_count) {
		const struct ktest_deferred *d = &t->deferred[--t->deferred_count];
		d->fn(d->ctx);
	}
}

/* Values are compared as 64-bit integers and printed in hex and decimal. */
#define KT_EXPECT_EQ(t, got, want)                                                                 \
	do {                                                                                       \
		uint64_t kt_g_ = (uint64_t)(got), kt_w_ = (uint64_t)(want);                        \
		(t)->checks++;                                                                     \
		if (kt_g_ != kt_w_)                                                                \
			ktest_report((t), __FILE__, __LINE__, #got " == " #want, kt_g_, kt_w_);    \
	} while (0)

#define KT_EXPECT_NE(t, got, unwanted)                                                             \
	do {                                                                                       \
		uint64_t kt_g_ = (uint64_t)(got), kt_w_ = (uint64_t)(unwanted);                    \
		(t)->checks++;                                                                     \
		if (kt_g_ == kt_w_)                                                                \
			ktest_report((t), __FILE__, __LINE__, #got " != " #unwanted, kt_g_,        \
				     kt_w_);                                                       \
	} while (0)

#define KT_EXPECT_TRUE(t, cond)                                                                    \
	do {                                                                                       \
		(t)->checks++;                                                                     \
		if (!(cond))                                                                       \
			ktest_report_msg((t), __FILE__, __LINE__, "expected true: " #cond);        \
	} while (0)

/* Stops the case when the check fails (later steps would only cascade). */
#define KT_ASSERT_EQ(t, got, want)                                                                 \
	do {                                                                                       \
		KT_EXPECT_EQ(t, got, want);                                                        \
		if ((t)->failed)                                                                   \
			return;                                                                    \
	} while (0)

#define KT_ASSERT_TRUE(t, cond)                                                                    \
	do {                                                                                       \
		KT_EXPECT_TRUE(t, cond);                                                           \
		if ((t)->failed)                                                                   \
			return;                                                                    \
	} while (0)

/* Runs every case (or those whose "suite.name" starts with filter), printing
 * KTAP; returns the number of failures. */
int ktest_run_all(const char *filter);

#endif
