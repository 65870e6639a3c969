/* test=ring3: processes end to end on a fresh boot.  The orphan case first,
 * while pid 1 is still free; then the proc suite in KTAP (whose order the
 * compiler decides); then, in a fixed order for the QEMU case to read, a
 * program writing a line, one that executes cli, and one that reads a line
 * typed on the console (the QEMU case types it). */
#include "kernel/ktest.h"
#include "uapi/linux_abi.h"
#include "kernel/scenario.h"
#include "uprog.h"
#include "drivers/console.h"

#define TYPED_LINE_LEN 10 /* "hello tty\n", as tests/qemu/cases_ring3.py types it */

static void ring3(void)
{
	struct ktest orphans = {.name = "orphans"};
	uprog_orphan_case(&orphans);
	kprintf("ring3: orphans go to pid 1, then to the kernel: %s\n",
		orphans.failed || orphans.skip_reason ? "FAILED" : "ok");

	int failures = ktest_run_all("proc");

	bool shown = uprog_run("hello", uprog_hello, 0, 0) == LINUX_W_EXITCODE(3) &&
		     uprog_run("cli", uprog_cli, 0, 0) == LINUX_W_SIGNALLED(LINUX_SIGSEGV);

	uint32_t status = uprog_run("read", uprog_read, 0, 0);
	bool read_ok = status == LINUX_W_EXITCODE(TYPED_LINE_LEN);
	kprintf("ring3: read from the console: %s (status 0x%X)\n", read_ok ? "ok" : "FAILED",
		status);
	scenario_finish(!orphans.failed && !orphans.skip_reason && failures == 0 && shown &&
			read_ok);
}
SCENARIO(ring3, "ring3", STAGE_IDLE, ring3);
