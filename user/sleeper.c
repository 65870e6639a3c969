/* A program that stays alive for the monitor's tests: `ps`, `vmmap PID`,
 * `translate PID ADDR` and `kill PID` need a process that is there while
 * the monitor looks at it.
 *
 *   sleeper [SECONDS]   forks a child that exits at once (a zombie while the
 *                       parent sleeps) and one that sleeps too (sharing the
 *                       parent's pages), prints a line, sleeps SECONDS
 *                       (default 30) in nanosleep, reaps both, exits 0
 *   sleeper crash       writes through a NULL pointer (ends with SIGSEGV)
 *
 * An ordinary Linux program: it behaves the same on Linux. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "crash") == 0) {
		printf("sleeper: writing through NULL\n");
		fflush(stdout);
		*(volatile int *)0 = 1;
		return 1;
	}
	long seconds = argc > 1 ? strtol(argv[1], NULL, 10) : 30;
	struct timespec ts = {seconds, 0};
	pid_t zombie = fork();
	if (zombie == 0)
		_exit(0);
	pid_t twin = fork();
	if (twin == 0) {
		while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
			;
		_exit(0);
	}
	/* A tenth of a second for the children to get going first, so that
	 * once the line below is out, one is a zombie and one sleeps. */
	struct timespec settle = {0, 100 * 1000 * 1000};
	nanosleep(&settle, NULL);
	/* A touched heap page: something private for vmmap to list. */
	char *buf = malloc(64);
	if (buf)
		snprintf(buf, 64, "%ld", seconds);
	printf("sleeper: pid %d sleeping %s seconds (children %d and %d)\n", (int)getpid(),
	       buf ? buf : "?", (int)zombie, (int)twin);
	fflush(stdout);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
	if (zombie > 0)
		waitpid(zombie, NULL, 0);
	if (twin > 0)
		waitpid(twin, NULL, 0);
	printf("sleeper: done\n");
	return 0;
}
