/* Stop signals: SIGSTOP, SIGTSTP, SIGTTIN and SIGTTOU stop a process by
 * default, SIGCONT continues it, wait4 with WUNTRACED and WCONTINUED
 * reports both (once each, Linux's status words), the parent gets SIGCHLD
 * with CLD_STOPPED and CLD_CONTINUED unless SA_NOCLDSTOP, a stopped
 * process acts on nothing but SIGKILL until continued, and a read a stop
 * interrupted goes on afterwards.  Every child is in a process group of its
 * own, so its group is not orphaned (the terminal's stop signals would be
 * dropped in one that is). */
#include <fcntl.h>
#include <signal.h>
#include <time.h>

#include "conform.h"

static volatile int chld_stopped, chld_continued, chld_other;

static void on_chld(int sig, siginfo_t *info, void *ctx)
{
	(void)sig, (void)ctx;
	if (info->si_code == CLD_STOPPED)
		chld_stopped++;
	else if (info->si_code == CLD_CONTINUED)
		chld_continued++;
	else
		chld_other++;
}

static void on_tstp(int sig)
{
	(void)sig;
}

static void nap(long ms)
{
	struct timespec d = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&d, &d) == -1 && errno == EINTR)
		;
}

static const char *wait_text(int status)
{
	static char text[64];
	if (WIFSTOPPED(status))
		snprintf(text, sizeof(text), "stopped by %d (0x%x)", WSTOPSIG(status), status);
	else if (WIFCONTINUED(status))
		snprintf(text, sizeof(text), "continued (0x%x)", status);
	else
		return status_text(status);
	return text;
}

static void show_wait(const char *what, pid_t pid, int options)
{
	int status = 0;
	pid_t r = waitpid(pid, &status, options);
	if (r < 0)
		printf("%s: %s\n", what, errno_name(errno));
	else if (r == 0)
		printf("%s: nothing to report\n", what);
	else
		printf("%s: %s%s\n", what, r == pid || pid <= 0 ? "" : "another child, ",
		       wait_text(status));
}

static int ticks_pipe[2];

/* A child in its own group that writes a byte every 10 ms. */
static pid_t ticker(void)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		close(ticks_pipe[0]);
		for (;;) {
			write(ticks_pipe[1], "t", 1);
			nap(10);
		}
	}
	setpgid(pid, pid);
	return pid;
}

static long drain(void)
{
	char buf[4096];
	long total = 0, n;
	while ((n = read(ticks_pipe[0], buf, sizeof(buf))) > 0)
		total += n;
	return total;
}

static void stop_with(int sig)
{
	pid_t pid = ticker();
	nap(30);
	kill(pid, sig);
	char what[64];
	snprintf(what, sizeof(what), "signal %d, WUNTRACED", sig);
	show_wait(what, pid, WUNTRACED);
	kill(pid, SIGKILL);
	show_wait("then SIGKILL", pid, 0);
}

int main(void)
{
	conform_start("jobctl");
	struct sigaction sa = {0};
	sa.sa_sigaction = on_chld;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaction(SIGCHLD, &sa, NULL);
	pipe(ticks_pipe);
	fcntl(ticks_pipe[0], F_SETFL, O_NONBLOCK);

	pid_t pid = ticker();
	nap(50);
	yes_no("running child writes", drain() > 0);
	kill(pid, SIGSTOP);
	show_wait("SIGSTOP, WUNTRACED", pid, WUNTRACED);
	printf("SIGCHLD: %d stopped, %d continued, %d other\n", chld_stopped, chld_continued,
	       chld_other);
	show_wait("again, WUNTRACED|WNOHANG", pid, WUNTRACED | WNOHANG);
	show_wait("WNOHANG without WUNTRACED", pid, WNOHANG);
	drain();
	nap(100);
	yes_no("stopped child writes", drain() > 0);
	kill(pid, SIGSTOP);
	show_wait("a second SIGSTOP while stopped, WUNTRACED|WNOHANG", pid, WUNTRACED | WNOHANG);
	kill(pid, SIGCONT);
	show_wait("SIGCONT, WCONTINUED", pid, WCONTINUED);
	show_wait("again, WCONTINUED|WNOHANG", pid, WCONTINUED | WNOHANG);
	nap(50);
	yes_no("continued child writes", drain() > 0);
	printf("SIGCHLD: %d stopped, %d continued, %d other\n", chld_stopped, chld_continued,
	       chld_other);
	kill(pid, SIGCONT);
	show_wait("SIGCONT to a running child, WCONTINUED|WNOHANG", pid, WCONTINUED | WNOHANG);

	/* SIGTERM waits while the child is stopped, and acts on SIGCONT. */
	kill(pid, SIGSTOP);
	show_wait("stopped again", pid, WUNTRACED);
	kill(pid, SIGTERM);
	nap(50);
	show_wait("SIGTERM to the stopped child, WNOHANG", pid, WNOHANG);
	kill(pid, SIGCONT);
	show_wait("after SIGCONT", pid, 0);

	/* SIGKILL ends a stopped child. */
	pid = ticker();
	kill(pid, SIGSTOP);
	show_wait("SIGSTOP", pid, WUNTRACED);
	kill(pid, SIGKILL);
	show_wait("SIGKILL to the stopped child", pid, 0);

	stop_with(SIGTSTP);
	stop_with(SIGTTIN);
	stop_with(SIGTTOU);

	/* A child that stops itself, and one in wait by group. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		raise(SIGSTOP);
		nap(100); /* so the continue is seen before the exit */
		_exit(7);
	}
	setpgid(pid, pid);
	show_wait("raise(SIGSTOP), waited for by group", -pid, WUNTRACED);
	kill(pid, SIGCONT);
	show_wait("continued, waited for by group", -pid, WCONTINUED);
	show_wait("its exit", -pid, 0);
	show_wait("no such group", -pid, 0);

	/* A read on a pipe interrupted by the stop goes on after SIGCONT. */
	int p[2];
	pipe(p);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		char buf[16];
		long n = read(p[0], buf, sizeof(buf));
		_exit(n == 5 ? 0 : 1);
	}
	setpgid(pid, pid);
	nap(50);
	kill(pid, SIGSTOP);
	show_wait("reader stopped", pid, WUNTRACED);
	kill(pid, SIGCONT);
	nap(50);
	write(p[1], "hello", 5);
	show_wait("reader got 5 bytes after the stop", pid, 0);
	close(p[0]);
	close(p[1]);

	/* SIGTSTP with a handler, or ignored, does not stop. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		setpgid(0, 0);
		signal(SIGTSTP, SIG_IGN);
		raise(SIGTSTP);
		struct sigaction h = {0};
		h.sa_handler = on_tstp;
		sigaction(SIGTSTP, &h, NULL);
		raise(SIGTSTP);
		_exit(3);
	}
	setpgid(pid, pid);
	show_wait("SIGTSTP ignored, then handled", pid, WUNTRACED);

	/* SA_NOCLDSTOP: no SIGCHLD for stops and continues; wait still sees
	 * them. */
	sa.sa_flags |= SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	chld_stopped = chld_continued = chld_other = 0;
	pid = ticker();
	kill(pid, SIGSTOP);
	show_wait("SA_NOCLDSTOP: SIGSTOP", pid, WUNTRACED);
	kill(pid, SIGCONT);
	show_wait("SA_NOCLDSTOP: SIGCONT", pid, WCONTINUED);
	kill(pid, SIGKILL);
	show_wait("SA_NOCLDSTOP: SIGKILL", pid, 0);
	printf("SIGCHLD: %d stopped, %d continued, %d other\n", chld_stopped, chld_continued,
	       chld_other);

	/* wait(0): children in the caller's own group only. */
	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(4);
	pid_t other = fork();
	if (other == 0) {
		setpgid(0, 0);
		nap(100);
		_exit(5);
	}
	setpgid(other, other);
	show_wait("wait(0): the child in our group", 0, 0);
	show_wait("wait(0) again", 0, 0);
	show_wait("wait(-1): the other", -1, 0);
	return conform_end();
}
