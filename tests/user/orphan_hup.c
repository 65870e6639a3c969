/* orphan_hup: a stopped job nobody could continue is hung up.  When a
 * process exits and so leaves a process group orphaned (no member has a
 * parent in another group of the same session any more) while a member of
 * that group is stopped, the group gets SIGHUP, then SIGCONT (POSIX; Linux's
 * kill_orphaned_pgrp).  A middle process P starts a job C and exits; C
 * reports through a pipe which signals reached it, then ends. */
#include "job_report.h"

/* How C is placed (how & OWN_GROUP): in a group of its own or in P's (P in
 * a group of its own), and whether it stops before P exits (how & STOP).
 * In a session of its own, the process that adopts C is no link for C's
 * group. */
#define OWN_GROUP 1
#define STOP	  2

static void scenario(int how)
{
	int own_group = how & OWN_GROUP, stop = how & STOP;
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
			report_hup_and_cont();
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
	print_reports(fds[0]);
}

int main(void)
{
	conform_start("orphan_hup");
	in_own_session("a stopped job in a group of its own", scenario, OWN_GROUP | STOP);
	in_own_session("a stopped job in its parent's group", scenario, STOP);
	in_own_session("a running job in a group of its own", scenario, OWN_GROUP);
	return conform_end();
}
