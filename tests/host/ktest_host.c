/* The ktest reporting functions for host builds: print like the kernel does
 * (cmocka shows the output of a failing test). */
#include <inttypes.h>
#include <stdio.h>

#include "kernel/ktest.h"

void ktest_report(struct ktest *t, const char *file, int line, const char *expr, uint64_t got,
		  uint64_t want)
{
	t->failed = true;
	printf("    # %s:%d: expected %s\n    #   got  0x%" PRIX64 " (%" PRId64
	       ")\n    #   want 0x%" PRIX64 " (%" PRId64 ")\n",
	       file, line, expr, got, (int64_t)got, want, (int64_t)want);
}

void ktest_report_msg(struct ktest *t, const char *file, int line, const char *msg)
{
	t->failed = true;
	printf("    # %s:%d: %s\n", file, line, msg);
}
