/* tty_jobctl: the terminal's job control against a background job.  A
 * session leader takes the console and stays in the foreground; a child in
 * a process group of its own is a background job.  Changing the terminal
 * (tcsetattr, tcflush, tcdrain, tcflow, TIOCSPGRP) from there stops the job
 * with SIGTTOU,
 * the change is made again once the job is continued in the foreground,
 * and goes ahead at once when the job blocks or ignores SIGTTOU; in an
 * orphaned group it fails with EIO (ENOTTY for TIOCSPGRP).  A read is not
 * stopped on /dev/console, on Linux as on Toyix. */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "conform.h"

static int con;
static pid_t leader_pgrp;

static const char *stop_text(int status)
{
	static char text[64];
	if (WIFSTOPPED(status))
		snprintf(text, sizeof(text), "stopped by %s",
			 WSTOPSIG(status) == SIGTTOU   ? "SIGTTOU"
			 : WSTOPSIG(status) == SIGTTIN ? "SIGTTIN"
						       : "another signal");
	else
		return status_text(status);
	return text;
}

static void tcsetattr_same(void)
{
	struct termios t;
	tcgetattr(con, &t);
	result("tcsetattr", tcsetattr(con, TCSANOW, &t));
}

static void tcflush_input(void)
{
	result("tcflush", tcflush(con, TCIFLUSH));
}

static void drain(void)
{
	result("tcdrain", tcdrain(con));
}

static void flow_on(void)
{
	result("tcflow TCOON", tcflow(con, TCOON));
}

static void take_foreground(void)
{
	pid_t me = getpgrp();
	result("TIOCSPGRP to its own group", ioctl(con, TIOCSPGRP, &me));
}

static void read_nonblocking(void)
{
	int nb = open("dev/console", O_RDWR | O_NOCTTY | O_NONBLOCK);
	char c;
	result_value("read with nothing typed", read(nb, &c, 1));
	close(nb);
}

/* Runs `change` in a background child: where it stops, the leader moves the
 * job to the foreground and continues it, and the change is made again. */
static void background(const char *what, void (*change)(void), int sigttou)
{
	printf("-- %s\n", what);
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		signal(SIGTTOU, sigttou == 1 ? SIG_IGN : SIG_DFL); /* the leader ignores it */
		if (sigttou == 2) {
			sigset_t set;
			sigemptyset(&set);
			sigaddset(&set, SIGTTOU);
			sigprocmask(SIG_BLOCK, &set, NULL);
		}
		change();
		fflush(stdout);
		_exit(0);
	}
	setpgid(child, child);
	int status = 0;
	waitpid(child, &status, WUNTRACED);
	printf("job: %s\n", stop_text(status));
	if (WIFSTOPPED(status)) {
		pid_t pg = child;
		result("leader: TIOCSPGRP to the job", ioctl(con, TIOCSPGRP, &pg));
		kill(child, SIGCONT);
		waitpid(child, &status, 0);
		printf("job: %s\n", stop_text(status));
	}
	/* The leader ignores SIGTTOU, as shells do, so it may take the
	 * terminal back from the background. */
	result("leader: TIOCSPGRP back", ioctl(con, TIOCSPGRP, &leader_pgrp));
}

/* A job whose parent left: its group is orphaned, nobody could continue it. */
static void orphaned(const char *what, void (*change)(void))
{
	printf("-- %s\n", what);
	int out[2];
	if (pipe(out) != 0)
		return;
	fflush(stdout);
	pid_t middle = fork();
	if (middle == 0) {
		pid_t parent = getpid();
		if (fork() == 0) {
			setpgid(0, 0);
			signal(SIGTTOU, SIG_DFL);
			close(out[0]);
			dup2(out[1], 1);
			while (getppid() == parent) /* until its parent is gone */
				usleep(10 * 1000);
			change();
			fflush(stdout);
			_exit(0);
		}
		_exit(0);
	}
	close(out[1]);
	waitpid(middle, NULL, 0);
	char buf[128];
	ssize_t n;
	while ((n = read(out[0], buf, sizeof(buf))) > 0)
		fwrite(buf, 1, (size_t)n, stdout);
	close(out[0]);
}

static void session_leader(void)
{
	signal(SIGTTOU, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	setsid();
	result("TIOCSCTTY", ioctl(con, TIOCSCTTY, 0));
	leader_pgrp = getpgrp();
	background("tcsetattr from the background", tcsetattr_same, 0);
	background("tcsetattr, SIGTTOU ignored", tcsetattr_same, 1);
	background("tcsetattr, SIGTTOU blocked", tcsetattr_same, 2);
	background("tcflush from the background", tcflush_input, 0);
	background("tcdrain from the background", drain, 0);
	background("tcflow from the background", flow_on, 0);
	background("TIOCSPGRP from the background", take_foreground, 0);
	background("TIOCSPGRP, SIGTTOU ignored", take_foreground, 1);
	background("read of /dev/console from the background", read_nonblocking, 0);
	orphaned("tcsetattr from an orphaned group", tcsetattr_same);
	orphaned("TIOCSPGRP from an orphaned group", take_foreground);
	result("TIOCNOTTY", ioctl(con, TIOCNOTTY));
}

int main(void)
{
	conform_start("tty_jobctl");
	con = open("dev/console", O_RDWR | O_NOCTTY);
	result("open dev/console", con);
	if (con < 0)
		return 1;
	in_child("session leader", session_leader);
	return conform_end();
}
