/* tty_ioctl: the console as a terminal, through the requests a shell makes:
 * TCGETS / TCSETS round trips (raw mode, VMIN 0 reads, TCSAFLUSH), FIONREAD,
 * O_NONBLOCK reads, window size, and job control: a new session takes the
 * console (TIOCSCTTY), reads and moves its foreground group (TIOCGPGRP,
 * TIOCSPGRP, TIOCGSID) with Linux's errors, and gives it up (TIOCNOTTY).
 * Nothing is typed while it runs, so every read finds nothing. */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <termios.h>

#include "conform.h"

static int con;

static void termios_round_trips(void)
{
	struct termios saved, t, back;
	result("tcgetattr", tcgetattr(con, &saved));
	yes_no("canonical with echo and signals at first",
	       (saved.c_lflag & (ICANON | ECHO | ISIG)) == (ICANON | ECHO | ISIG));
	t = saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 0;
	t.c_cc[VTIME] = 0;
	result("tcsetattr raw, VMIN 0", tcsetattr(con, TCSANOW, &t));
	result("tcgetattr", tcgetattr(con, &back));
	yes_no("ICANON and ECHO off, ISIG kept", (back.c_lflag & (ICANON | ECHO | ISIG)) == ISIG);
	yes_no("VMIN 0 VTIME 0 kept", back.c_cc[VMIN] == 0 && back.c_cc[VTIME] == 0);
	char buf[8];
	result_value("read with nothing typed", read(con, buf, sizeof(buf)));
	result("tcsetattr back, TCSAFLUSH", tcsetattr(con, TCSAFLUSH, &saved));
	result("tcgetattr", tcgetattr(con, &back));
	yes_no("canonical again", (back.c_lflag & (ICANON | ECHO)) == (ICANON | ECHO));
	int n = -1;
	result("FIONREAD", ioctl(con, FIONREAD, &n));
	printf("FIONREAD: %d bytes\n", n);
	result("TCGETS to a bad pointer", ioctl(con, TCGETS, (void *)1));
	int fds[2];
	if (pipe(fds) == 0) {
		result("tcgetattr on a pipe", tcgetattr(fds[0], &t));
		close(fds[0]);
		close(fds[1]);
	}
	int nb = open("dev/console", O_RDWR | O_NOCTTY | O_NONBLOCK);
	result("open dev/console O_NONBLOCK", nb);
	if (nb >= 0) {
		result("read with nothing typed, O_NONBLOCK", read(nb, buf, sizeof(buf)));
		close(nb);
	}
	struct winsize ws, ws_back, ws_set = {30, 100, 0, 0};
	result("TIOCGWINSZ", ioctl(con, TIOCGWINSZ, &ws));
	result("TIOCSWINSZ 30x100", ioctl(con, TIOCSWINSZ, &ws_set));
	result("TIOCGWINSZ", ioctl(con, TIOCGWINSZ, &ws_back));
	yes_no("30x100 read back", ws_back.ws_row == 30 && ws_back.ws_col == 100);
	result("TIOCSWINSZ back", ioctl(con, TIOCSWINSZ, &ws));
}

/* A session leader with the console as its controlling terminal.  SIGTTOU
 * is ignored, as shells do, so it may move the foreground group while it
 * is itself in the background; SIGHUP too, which TIOCNOTTY sends. */
static void session_leader(void)
{
	signal(SIGTTOU, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	pid_t me = getpid(), pg = 0, sid = 0;
	result("TIOCGPGRP without a controlling terminal", ioctl(con, TIOCGPGRP, &pg));
	result("setsid", setsid());
	result("TIOCGPGRP in a new session", ioctl(con, TIOCGPGRP, &pg));
	result("TIOCSCTTY", ioctl(con, TIOCSCTTY, 0));
	result("TIOCSCTTY again", ioctl(con, TIOCSCTTY, 0));
	yes_no("TIOCGPGRP is the leader's group", ioctl(con, TIOCGPGRP, &pg) == 0 && pg == me);
	yes_no("TIOCGSID is the leader", ioctl(con, TIOCGSID, &sid) == 0 && sid == me);
	pg = -1;
	result("TIOCSPGRP -1", ioctl(con, TIOCSPGRP, &pg));
	pg = 0x7ffffff0;
	result("TIOCSPGRP to no group", ioctl(con, TIOCSPGRP, &pg));
	result("TIOCSPGRP from a bad pointer", ioctl(con, TIOCSPGRP, (void *)1));

	int go[2];
	if (pipe(go) != 0)
		return;
	fflush(stdout);
	pid_t child = fork();
	if (child == 0) {
		setpgid(0, 0);
		char c;
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		result("TIOCSCTTY by a member that is not the leader", ioctl(con, TIOCSCTTY, 0));
		fflush(stdout);
		_exit(0);
	}
	setpgid(child, child);
	pg = child;
	result("TIOCSPGRP to the child's group", ioctl(con, TIOCSPGRP, &pg));
	yes_no("TIOCGPGRP is the child's group", ioctl(con, TIOCGPGRP, &pg) == 0 && pg == child);
	pg = me;
	result("TIOCSPGRP back from the background", ioctl(con, TIOCSPGRP, &pg));
	yes_no("TIOCGPGRP is the leader's again", ioctl(con, TIOCGPGRP, &pg) == 0 && pg == me);
	if (write(go[1], "x", 1) != 1)
		return;
	int status;
	waitpid(child, &status, 0);
	printf("child: %s\n", status_text(status));

	result("TIOCNOTTY", ioctl(con, TIOCNOTTY));
	result("TIOCGPGRP after TIOCNOTTY", ioctl(con, TIOCGPGRP, &pg));
}

int main(void)
{
	conform_start("tty_ioctl");
	con = open("dev/console", O_RDWR | O_NOCTTY);
	result("open dev/console", con);
	if (con < 0)
		return 1;
	termios_round_trips();
	in_child("session leader", session_leader);
	return 0;
}
