/* orphan_hup: a stopped job nobody could continue is hung up.  When a
 * process exits and so leaves a process group orphaned (no member has a
 * parent in another group of the same session any more) while a member of
 * that group is stopped, the group gets SIGHUP, then SIGCONT (POSIX; Linux's
 * kill_orphaned_pgrp).  A middle process P starts a job C and exits; C
 * reports through a pipe which signals reached it, then ends. */
#include "conform.h"

static int report_fd;

static void say(const char *text)
{
	if (write(report_fd, text, strlen(text)) < 0)
		_exit(3);
}

static void on_signal(int sig)
{
	say(sig == SIGHUP ? "  job: SIGHUP\n" : sig == SIGCONT ? "  job: SIGCONT\n" : "  job: ?\n");
}

/* How C is placed: in a group of its own or in P's (P in a group of its
 * own), and whether it stops before P exits.  It all happens in a session
 * of its own, so whichever process adopts C (PID 1, or on Linux perhaps a
 * subreaper) is outside the session and no link for C's group. */
static void scenario(int own_group, int stop)
{
	setsid();
	int fds[2];
	if (pipe(fds) != 0)
		_exit(2);
	pid_t middle = fork();
	if (middle == 0) {
		close(fds[0]);
		report_fd = fds[1];
		if (!own_group)
			setpgid(0, 0);
		pid_t p = getpid();
		pid_t job = fork();
		if (job == 0) {
			if (own_group)
				setpgid(0, 0);
			struct sigaction sa = {.sa_handler = on_signal};
			sigemptyset(&sa.sa_mask);
			sigaction(SIGHUP, &sa, NULL);
			sigaction(SIGCONT, &sa, NULL);
			if (stop)
				raise(SIGSTOP);
			while (getppid() == p) /* until P is gone */
				usleep(1000);
			say("  job: its parent is gone\n");
			_exit(0);
		}
		if (own_group)
			setpgid(job, job);
		int status;
		if (stop && waitpid(job, &status, WUNTRACED) == job)
			say(WIFSTOPPED(status) ? "  P: job stopped, P exits\n"
					       : "  P: job did not stop\n");
		_exit(0);
	}
	close(fds[1]);
	waitpid(middle, NULL, 0);
	char buf[256];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	fflush(stdout);
	_exit(0);
}

static void run(const char *what, int own_group, int stop)
{
	printf("-- %s\n", what);
	fflush(stdout);
	pid_t s = fork();
	if (s == 0)
		scenario(own_group, stop);
	waitpid(s, NULL, 0);
}

int main(void)
{
	conform_start("orphan_hup");
	run("a stopped job in a group of its own", 1, 1);
	run("a stopped job in its parent's group", 0, 1);
	run("a running job in a group of its own", 1, 0);
	return conform_end();
}
