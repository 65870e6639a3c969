/* For the job-control programs (orphan_hup, leader_exit): a scenario runs
 * in a session of its own, and its jobs report what reaches them through a
 * pipe, which the scenario prints once every job has closed it.  A pipe,
 * not stdout: a job may outlive the process that printed the heading, and
 * the lines must come out in the order the jobs wrote them. */
#ifndef TESTS_USER_JOB_REPORT_H
#define TESTS_USER_JOB_REPORT_H

#include "conform.h"

static int report_fd = -1; /* the pipe's write end, in the jobs */

static inline void say(const char *text)
{
	if (write(report_fd, text, strlen(text)) < 0)
		_exit(3);
}

static inline void say_signal(int sig)
{
	say(sig == SIGHUP ? "  job: SIGHUP\n" : sig == SIGCONT ? "  job: SIGCONT\n" : "  job: ?\n");
}

/* The caller's SIGHUP and SIGCONT are reported, and nothing else happens. */
static inline void report_hup_and_cont(void)
{
	struct sigaction sa = {.sa_handler = say_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
}

/* Prints what the jobs wrote to the read end `fd` until the last of them
 * closed the pipe. */
static inline void print_reports(int fd)
{
	char buf[256];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(fd);
	fflush(stdout);
}

/* Prints the heading and runs scenario(how) in a child that leads a new
 * session, so whichever process adopts its orphans (PID 1, or on Linux
 * perhaps a subreaper) is outside the session. */
static inline void in_own_session(const char *what, void (*scenario)(int), int how)
{
	printf("-- %s\n", what);
	fflush(stdout);
	pid_t s = fork();
	if (s == 0) {
		setsid();
		scenario(how);
		_exit(0);
	}
	waitpid(s, NULL, 0);
}

#endif
