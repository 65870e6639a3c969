/* leader_exit: the terminal's session leader lets it go.  When the leader
 * gives the terminal up with TIOCNOTTY, its foreground group gets SIGHUP
 * and SIGCONT; when the leader exits, the foreground group gets SIGHUP
 * (Linux's disassociate_ctty and the hangup of the session).  A job in the
 * background is not signalled.  The jobs report through a pipe. */
#include <fcntl.h>
#include <sys/ioctl.h>

#include "job_report.h"

/* A job of the leader in a group of its own, in the foreground or not: it
 * reports its signals, and ends when told (a byte on `go`) or when its
 * parent is gone. */
static pid_t start_job(int con, const int go[2], int foreground)
{
	pid_t leader = getpid();
	int ready[2];
	if (pipe(ready) != 0)
		_exit(2);
	pid_t job = fork();
	if (job == 0) {
		close(go[1]); /* so the pipe ends once the others close it */
		setpgid(0, 0);
		report_hup_and_cont();
		say("  job: ready\n");
		close(ready[1]); /* the leader's read ends: the handlers are in place */
		char c;
		while (getppid() == leader && read(go[0], &c, 1) != 1)
			;
		say("  job: ends\n");
		_exit(0);
	}
	setpgid(job, job);
	close(ready[1]);
	char c;
	if (read(ready[0], &c, 1) != 0)
		say("  leader: the job did not get ready\n");
	close(ready[0]);
	if (foreground && ioctl(con, TIOCSPGRP, &job) != 0)
		say("  leader: TIOCSPGRP failed\n");
	return job;
}

/* In a session of its own, whose child then leads one that takes the
 * console. */
static void scenario(int how)
{
	signal(SIGTTOU, SIG_IGN);
	int con = open("dev/console", O_RDWR | O_NOCTTY);
	int fds[2], go[2];
	if (con < 0 || pipe(fds) != 0 || pipe(go) != 0)
		_exit(2);
	pid_t leader = fork();
	if (leader == 0) {
		close(fds[0]);
		report_fd = fds[1];
		setsid();
		if (ioctl(con, TIOCSCTTY, 0) != 0)
			say("  leader: TIOCSCTTY failed\n");
		pid_t job = start_job(con, go, how != 2);
		if (how == 0) {
			say("  leader: TIOCNOTTY\n");
			ioctl(con, TIOCNOTTY);
			/* The signals are pending before the byte comes, so the
			 * job's handlers run before its read returns it. */
			if (write(go[1], "x", 1) != 1)
				_exit(4);
			waitpid(job, NULL, 0);
		} else {
			say("  leader: exits\n");
		}
		_exit(0);
	}
	close(fds[1]);
	close(go[0]);
	waitpid(leader, NULL, 0);
	close(go[1]); /* the job's read ends, and it sees its parent is gone */
	print_reports(fds[0]);
}

int main(void)
{
	conform_start("leader_exit");
	in_own_session("the leader gives the terminal up, its job in the foreground", scenario, 0);
	in_own_session("the leader exits, its job in the foreground", scenario, 1);
	in_own_session("the leader exits, its job in the background", scenario, 2);
	return conform_end();
}
