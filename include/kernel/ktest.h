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

struct ktest {
	const char *name;
	bool failed;
	uint32_t checks;
	const char *skip_reason; /* set by ktest_skip: the case could not run here */
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
