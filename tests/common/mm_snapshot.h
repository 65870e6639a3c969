/* A snapshot of everything a refused or failed memory call must leave as it
 * was: the PMM's counts, the VMM's counts, every page-directory entry and
 * the heap's statistics.  For the shared injection and bad-input cases
 * (tests/common/test_injection.c, test_bad_input.c). */
#ifndef TESTS_COMMON_MM_SNAPSHOT_H
#define TESTS_COMMON_MM_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/mmu.h"
#include "kernel/ktest.h"
#include "mm/heap.h"

struct mm_snapshot {
	uint32_t free_frames, total_frames;
	uint32_t mapped_pages, tables;
	struct heap_stats heap;
	pte_t pd[PT_ENTRIES]; /* without the accessed and dirty bits the CPU sets */
};

void mm_snapshot_take(struct mm_snapshot *s);

/* Compares now with before, reporting each field that differs as a failed
 * check of t, prefixed with `what`; the heap's error counter must have grown
 * by exactly heap_errors (a refused kfree counts one).  True when equal. */
bool mm_snapshot_expect_same(struct ktest *t, const struct mm_snapshot *before,
			     uint32_t heap_errors, const char *what);

/* A diagnostic line (KTAP "# ..." in the kernel, stdout on the host). */
void mm_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
