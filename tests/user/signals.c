/* Signals: handlers run on the user stack and return through sigreturn
 * with every register and the mask restored, SA_SIGINFO handlers get
 * siginfo, masks block and unblock, default actions terminate or ignore,
 * SIGCHLD reaches the parent, SA_RESTART, rt_sigsuspend, kill's targets,
 * and the errors of rt_sigaction, rt_sigprocmask and kill. */
#include <signal.h>

#include "conform.h"

static volatile int hits, last_sig, info_code, info_pid_ok;
static volatile int blocked_inside;

static void handler(int sig)
{
	hits++;
	last_sig = sig;
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	blocked_inside = sigismember(&now, sig);
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	hits++;
	last_sig = sig;
	info_code = si->si_code;
	info_pid_ok = si->si_pid == getpid();
}

static void set(int sig, void (*fn)(int), int flags)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
}

/* Registers survive a handler: a computation around a raise. */
static void registers_survive(void)
{
	set(SIGUSR2, handler, 0);
	volatile double d = 1.5;
	long a = 12345, b = 67890;
	raise(SIGUSR2);
	d *= 2;
	printf("registers after handler: %ld %ld %.1f\n", a + 1, b - 1, d);
}

static void die_by(int sig)
{
	raise(sig);
	printf("still here after signal %d\n", sig);
}
static void die_term(void)
{
	die_by(SIGTERM);
}
static void die_usr1(void)
{
	die_by(SIGUSR1);
}
static void survive_chld(void)
{
	die_by(SIGCHLD);
}
static void survive_winch(void)
{
	die_by(SIGWINCH);
}
static void die_kill_blocked(void)
{
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	die_by(SIGKILL);
}

static volatile int chld;
static void on_chld(int sig)
{
	(void)sig;
	chld++;
}

int main(void)
{
	conform_start("signals");

	set(SIGUSR1, handler, 0);
	hits = 0;
	result("raise SIGUSR1", raise(SIGUSR1));
	printf("handler ran %d time(s), signal %s, blocked inside: %s\n", hits,
	       signal_name(last_sig), blocked_inside ? "yes" : "no");
	set(SIGUSR1, handler, SA_NODEFER);
	raise(SIGUSR1);
	printf("SA_NODEFER: blocked inside: %s\n", blocked_inside ? "yes" : "no");
	registers_survive();

	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = info_handler;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR2, &sa, NULL);
	hits = 0;
	kill(getpid(), SIGUSR2);
	printf("SA_SIGINFO: ran %d, code SI_USER: %s, pid is ours: %s\n", hits,
	       info_code == SI_USER ? "yes" : "no", info_pid_ok ? "yes" : "no");

	/* Blocked: pending until unblocked, then delivered once. */
	set(SIGUSR1, handler, 0);
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, &old);
	hits = 0;
	raise(SIGUSR1);
	raise(SIGUSR1);
	sigset_t pend;
	sigpending(&pend);
	printf("blocked: ran %d, pending: %s\n", hits, sigismember(&pend, SIGUSR1) ? "yes" : "no");
	sigprocmask(SIG_SETMASK, &old, NULL);
	printf("unblocked: ran %d\n", hits);

	/* SIG_RESETHAND: once, then the default (terminate). */
	set(SIGUSR1, handler, SA_RESETHAND);
	raise(SIGUSR1);
	struct sigaction cur;
	sigaction(SIGUSR1, NULL, &cur);
	printf("SA_RESETHAND: handler now default: %s\n", cur.sa_handler == SIG_DFL ? "yes" : "no");

	/* Ignored: nothing happens. */
	set(SIGUSR1, SIG_IGN, 0);
	result("raise ignored SIGUSR1", raise(SIGUSR1));
	set(SIGUSR1, SIG_DFL, 0);

	in_child("default SIGTERM", die_term);
	in_child("default SIGUSR1", die_usr1);
	in_child("default SIGCHLD", survive_chld);
	in_child("default SIGWINCH", survive_winch);
	in_child("SIGKILL while all blocked", die_kill_blocked);

	/* SIGCHLD to the parent when a child exits. */
	/* SA_RESTART: a console write the signal interrupts must not lose a
	 * line of this output on a loaded Linux. */
	set(SIGCHLD, on_chld, SA_RESTART);
	chld = 0;
	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	printf("SIGCHLD after child exit: %d, child %s\n", chld, status_text(status));
	set(SIGCHLD, SIG_DFL, 0);

	/* A child sleeping in pause() is ended by kill from the parent. */
	pid = fork();
	if (pid == 0) {
		for (;;)
			pause();
	}
	result("kill child SIGTERM", kill(pid, SIGTERM));
	waitpid(pid, &status, 0);
	printf("paused child: %s\n", status_text(status));

	/* rt_sigsuspend returns after a handler ran; the mask comes back. */
	sigprocmask(SIG_BLOCK, &s, &old);
	pid = fork();
	if (pid == 0) {
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	set(SIGUSR1, handler, 0);
	hits = 0;
	sigset_t none;
	sigemptyset(&none);
	int r = sigsuspend(&none);
	sigset_t after;
	sigprocmask(SIG_BLOCK, NULL, &after);
	printf("sigsuspend: %d %s, handler ran %d, USR1 blocked again: %s\n", r, errno_name(errno),
	       hits, sigismember(&after, SIGUSR1) ? "yes" : "no");
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* SIGCHLD ignored: children are reaped by the kernel. */
	set(SIGCHLD, SIG_IGN, 0);
	pid = fork();
	if (pid == 0)
		_exit(0);
	usleep(100000);
	result("waitpid with SIGCHLD ignored", waitpid(pid, NULL, 0));
	set(SIGCHLD, SIG_DFL, 0);

	/* Errors. */
	result("sigaction SIGKILL", sigaction(SIGKILL, &cur, NULL));
	result("sigaction SIGSTOP", sigaction(SIGSTOP, &cur, NULL));
	result("sigaction 0", syscall(SYS_rt_sigaction, 0, NULL, NULL, 8));
	result("sigaction 65", syscall(SYS_rt_sigaction, 65, NULL, NULL, 8));
	result("sigaction sigsetsize 4", syscall(SYS_rt_sigaction, SIGUSR1, NULL, NULL, 4));
	result("sigaction bad act", syscall(SYS_rt_sigaction, SIGUSR1, (void *)16, NULL, 8));
	result("sigaction bad oldact", syscall(SYS_rt_sigaction, SIGUSR1, NULL, (void *)16, 8));
	result("sigprocmask how 7", syscall(SYS_rt_sigprocmask, 7, &s, NULL, 8));
	result("sigprocmask how 7 no set", syscall(SYS_rt_sigprocmask, 7, NULL, NULL, 8));
	result("sigprocmask bad set", syscall(SYS_rt_sigprocmask, SIG_BLOCK, (void *)16, NULL, 8));
	result("sigprocmask sigsetsize 4", syscall(SYS_rt_sigprocmask, SIG_BLOCK, &s, NULL, 4));
	sigset_t all;
	sigfillset(&all);
	sigprocmask(SIG_SETMASK, &all, &old);
	sigprocmask(SIG_SETMASK, NULL, &after);
	printf("SIGKILL blockable: %s, SIGSTOP blockable: %s\n",
	       sigismember(&after, SIGKILL) ? "yes" : "no",
	       sigismember(&after, SIGSTOP) ? "yes" : "no");
	sigprocmask(SIG_SETMASK, &old, NULL);
	result("kill signal 65", kill(getpid(), 65));
	result("kill signal -1", kill(getpid(), -1));
	result("kill no such pid", kill(999999, 0));
	result("kill self signal 0", kill(getpid(), 0));
	result("tgkill tid mismatch", syscall(SYS_tgkill, getpid(), getpid() + 100000, 0));
	return conform_end();
}
