/* The out-of-memory check of issue 13, for the kernel's tests only:
 * runs bin/memhog (allocate and touch until memory runs out), which the
 * kernel must end without harm to anything else, then runs bin/init to
 * show the next program starts and runs normally.  As PID 1:
 * `test=init init=/bin/oom` with little RAM (tests/qemu/cases_user.py). */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_program.h"

static void show(const char *what, int status)
{
	if (status == -1)
		printf("oom: %s: could not be run\n", what);
	else if (WIFEXITED(status))
		printf("oom: %s exited %d\n", what, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("oom: %s killed by signal %d\n", what, WTERMSIG(status));
}

int main(void)
{
	char *hog[] = {"memhog", NULL};
	int status = run_program("bin/memhog", hog);
	show("memhog", status);
	/* Ended by the kernel (SIGKILL) or refused memory (malloc failed, exit 0):
	 * both are an end the system survives. */
	int ended = status != -1 && (WIFSIGNALED(status) || WEXITSTATUS(status) == 0);
	printf("oom: memhog ended: %s\n", ended ? "yes" : "no");
	char *init[] = {"init", "after-oom", NULL};
	status = run_program("bin/init", init);
	show("the next program", status);
	int next_ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	return ended && next_ok ? 0 : 1;
}
