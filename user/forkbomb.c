/* A fork bomb, for the kernel's tests only (issue 15): every process of
 * the bomb forks as fast as it can, and its children do the same, until
 * fork fails.  The kernel must refuse with EAGAIN at its process limit, as
 * Linux does at RLIMIT_NPROC, and stay usable.  The bomb ends itself once
 * fork has failed often enough (a counter in a shared anonymous mapping),
 * and then this program reaps what it can (as PID 1 that is every member;
 * otherwise orphans go to PID 1 or the kernel), waits until the number of
 * processes with memory (sysinfo's procs) is back where it was, runs
 * bin/init to show the next program starts normally, and exits 0 only if
 * all of that happened.  `test=init init=/bin/forkbomb` (tests/qemu/cases_user.py);
 * on Linux it would be stopped by RLIMIT_NPROC, or not at all: do not. */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>
#include <sys/wait.h>
#include <unistd.h>

#include "run_program.h"

#define REFUSALS_TO_STOP 200
#define POLLS_MAX	 100000

struct shared {
	volatile int stop;
	volatile int eagain; /* forks refused with EAGAIN */
	volatile int other;  /* forks refused with anything else */
};

static void bomb(struct shared *s)
{
	while (!s->stop) {
		pid_t pid = fork();
		if (pid < 0) {
			if (errno == EAGAIN)
				__atomic_add_fetch(&s->eagain, 1, __ATOMIC_SEQ_CST);
			else
				__atomic_add_fetch(&s->other, 1, __ATOMIC_SEQ_CST);
			if (s->eagain + s->other >= REFUSALS_TO_STOP)
				s->stop = 1;
			sched_yield();
		}
		/* the parent and the child (pid 0) both go round again */
	}
	_exit(0);
}

static long procs(void)
{
	struct sysinfo si;
	return sysinfo(&si) ? -1 : si.procs;
}

int main(void)
{
	struct shared *s =
		mmap(NULL, sizeof(*s), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED) {
		printf("forkbomb: mmap failed: %s\n", strerror(errno));
		return 1;
	}
	memset(s, 0, sizeof(*s));
	long procs_before = procs();
	printf("forkbomb: starting\n");
	fflush(stdout);
	pid_t first = fork();
	if (first == 0)
		bomb(s);
	if (first < 0) {
		printf("forkbomb: the first fork failed: %s\n", strerror(errno));
		return 1;
	}
	/* The bomb's orphans come to PID 1 (this program, under test=init):
	 * reap until none is left, then wait for the rest to end. */
	int status;
	while (wait(&status) > 0)
		;
	int polls = 0;
	while (procs() > procs_before && polls++ < POLLS_MAX)
		sched_yield();
	int ended = procs() == procs_before;
	printf("forkbomb: fork refused with EAGAIN: %s\n", s->eagain > 0 ? "yes" : "no");
	printf("forkbomb: refused with another error: %s\n", s->other > 0 ? "yes" : "no");
	printf("forkbomb: every member ended: %s\n", ended ? "yes" : "no");
	char *init[] = {"init", "after-forkbomb", NULL};
	status = run_program("bin/init", init);
	int next_ok = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
	printf("forkbomb: the next program exited 0: %s\n", next_ok ? "yes" : "no");
	return s->eagain > 0 && !s->other && ended && next_ok ? 0 : 1;
}
