/* alarm, setitimer and getitimer (ITIMER_REAL sends SIGALRM), pause,
 * sigaltstack with SA_ONSTACK handlers (and SS_AUTODISARM), and
 * rt_sigtimedwait; with Linux's errors. */
#include <signal.h>
#include <stdint.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>

#include "conform.h"

static volatile int alarms;
static char *alt;
#define ALT_SIZE 65536
#ifndef SS_AUTODISARM
#define SS_AUTODISARM (1U << 31) /* <linux/signal.h>; glibc does not name it */
#endif

static void on_alarm(int sig)
{
	(void)sig;
	alarms++;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

static void die_of_alarm(void)
{
	signal(SIGALRM, SIG_DFL);
	alarm(1);
	pause();
	printf("pause returned\n");
}

/* ---- sigaltstack ---- */

static volatile int on_alt, flags_inside, eperm_inside;

static int in_alt(const void *p)
{
	return (const char *)p >= alt && (const char *)p < alt + ALT_SIZE;
}

static void on_usr1(int sig)
{
	(void)sig;
	int local;
	on_alt = in_alt(&local);
	stack_t now;
	sigaltstack(NULL, &now);
	flags_inside = now.ss_flags;
	stack_t other = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
	eperm_inside = sigaltstack(&other, NULL) == -1 ? errno : 0;
}

static volatile int uc_flags = -1;
static volatile size_t uc_size;

static void on_usr2(int sig, siginfo_t *info, void *ctx)
{
	(void)sig, (void)info;
	int local;
	on_alt = in_alt(&local);
	ucontext_t *uc = ctx;
	uc_flags = uc->uc_stack.ss_flags;
	uc_size = uc->uc_stack.ss_size;
	stack_t now;
	sigaltstack(NULL, &now);
	flags_inside = now.ss_flags;
}

static void show_stack(const char *what)
{
	stack_t now;
	if (sigaltstack(NULL, &now) == -1) {
		printf("%s: %s\n", what, errno_name(errno));
		return;
	}
	printf("%s: flags 0x%x, size %zu, at our buffer: %s\n", what, (unsigned)now.ss_flags,
	       now.ss_size,
	       now.ss_sp == alt ? "yes"
	       : now.ss_sp	? "no"
				: "null");
}

static void altstack_tests(void)
{
	alt = malloc(ALT_SIZE);
	show_stack("initial");
	stack_t ss = {.ss_sp = alt, .ss_size = 1000, .ss_flags = 0};
	result("size 1000", sigaltstack(&ss, NULL));
	ss.ss_size = ALT_SIZE;
	ss.ss_flags = 5;
	result("flags 5", sigaltstack(&ss, NULL));
	result("bad pointer", syscall(SYS_sigaltstack, 8, NULL));
	result("bad old pointer", syscall(SYS_sigaltstack, NULL, 8));
	ss.ss_flags = 0;
	result("set", sigaltstack(&ss, NULL));
	show_stack("after set");

	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	yes_no("SA_ONSTACK handler on the stack", on_alt);
	printf("flags inside: 0x%x\n", flags_inside);
	printf("changing it inside: %s\n", eperm_inside ? errno_name(eperm_inside) : "ok");
	show_stack("after the handler");

	sa.sa_flags = 0;
	sigaction(SIGUSR1, &sa, NULL);
	raise(SIGUSR1);
	yes_no("handler without SA_ONSTACK on the stack", on_alt);

	struct sigaction si = {0};
	si.sa_sigaction = on_usr2;
	si.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigaction(SIGUSR2, &si, NULL);
	raise(SIGUSR2);
	yes_no("SA_SIGINFO handler on the stack", on_alt);
	printf("uc_stack: flags 0x%x, size %zu\n", uc_flags, uc_size);

	ss.ss_flags = SS_AUTODISARM;
	result("set with SS_AUTODISARM", sigaltstack(&ss, NULL));
	show_stack("with SS_AUTODISARM");
	raise(SIGUSR2);
	yes_no("SS_AUTODISARM handler on the stack", on_alt);
	printf("flags inside: 0x%x\n", flags_inside);
	show_stack("after it");

	ss.ss_flags = SS_DISABLE;
	result("disable", sigaltstack(&ss, NULL));
	show_stack("disabled");
	raise(SIGUSR2);
	yes_no("handler on the stack after disable", on_alt);
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
}

/* ---- rt_sigtimedwait ---- */

static volatile int usr1_handled;

static void count_usr1(int sig)
{
	(void)sig;
	usr1_handled++;
}

static long timedwait32(const sigset_t *set, siginfo_t *info, const int32_t *ts, size_t size)
{
	return syscall(SYS_rt_sigtimedwait, set, info, ts, size);
}

static void child_sends(int sig, long delay_ms)
{
	fflush(stdout);
	if (fork() == 0) {
		struct timespec d = {0, delay_ms * 1000000};
		nanosleep(&d, NULL);
		kill(getppid(), sig);
		_exit(0);
	}
}

static void timedwait_tests(void)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR1);
	siginfo_t info;
	memset(&info, 0, sizeof(info));
	int32_t zero[2] = {0, 0};
	result_value("pending SIGUSR1", timedwait32(&set, &info, zero, 8));
	printf("si_signo %d, si_code %d, from us: %s\n", info.si_signo, info.si_code,
	       info.si_pid == getpid() ? "yes" : "no");
	result("nothing pending, zero timeout", timedwait32(&set, &info, zero, 8));
	int32_t ms50[2] = {0, 50000000};
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	result("nothing pending, 50 ms", timedwait32(&set, NULL, ms50, 8));
	yes_no("waited at least 50 ms", ms_since(&t0) >= 50);
	result("sigset size 4", timedwait32(&set, NULL, zero, 4));
	int32_t bad[2] = {0, 1000000000};
	result("a billion nanoseconds", timedwait32(&set, NULL, bad, 8));
	result("set pointer bad", timedwait32((sigset_t *)8, NULL, zero, 8));
	result("timeout pointer bad", timedwait32(&set, NULL, (int32_t *)8, 8));
	kill(getpid(), SIGUSR1);
	result("info pointer bad", timedwait32(&set, (siginfo_t *)8, zero, 8));
	sigset_t pending;
	sigpending(&pending);
	yes_no("taken all the same", !sigismember(&pending, SIGUSR1));

	/* SIGCHLD is ignored by default, but a blocked one waits to be taken. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0)
		_exit(3);
	result_value("SIGCHLD from an exiting child", sigwaitinfo(&chld, &info));
	printf("si_code %s\n", info.si_code == CLD_EXITED ? "CLD_EXITED" : "other");
	waitpid(pid, NULL, 0);
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* A signal the caller does not block, waited for: taken, its handler
	 * not run.  Another one with a handler: -EINTR. */
	signal(SIGUSR1, count_usr1);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	child_sends(SIGUSR1, 100);
	result_value("unblocked SIGUSR1 from a child", sigwaitinfo(&set, &info));
	printf("handler ran %d times\n", usr1_handled);
	wait(NULL);
	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	child_sends(SIGUSR1, 100);
	result("waiting for SIGUSR2, SIGUSR1 comes", sigwaitinfo(&set, &info));
	printf("handler ran %d times\n", usr1_handled);
	wait(NULL);
	signal(SIGUSR1, SIG_DFL);
}

int main(void)
{
	conform_start("timers");
	alarm(0); /* whatever watchdog the program was started under */
	signal(SIGALRM, on_alarm);
	result_value("alarm(0), none set", alarm(0));
	result_value("alarm(5)", alarm(5));
	result_value("alarm(3) after alarm(5)", alarm(3));
	result_value("alarm(0) after alarm(3)", alarm(0));

	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	alarm(1);
	result("pause until the alarm", pause());
	long ms = ms_since(&t0);
	printf("alarms %d, after 0.9 to 1.5 s: %s\n", alarms,
	       ms >= 900 && ms < 1500 ? "yes" : "no");
	in_child("SIGALRM's default action", die_of_alarm);

	/* setitimer: a periodic timer, then disarmed. */
	struct itimerval it = {{0, 50000}, {0, 50000}}, old;
	alarms = 0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	result("setitimer 50 ms periodic", setitimer(ITIMER_REAL, &it, NULL));
	while (alarms < 4)
		pause();
	ms = ms_since(&t0);
	printf("4 alarms after at least 200 ms: %s\n", ms >= 200 ? "yes" : "no");
	struct itimerval none = {{0, 0}, {0, 0}};
	result("disarm", setitimer(ITIMER_REAL, &none, &old));
	printf("old interval %ld.%06ld, old value at most 50 ms: %s\n",
	       (long)old.it_interval.tv_sec, (long)old.it_interval.tv_usec,
	       old.it_value.tv_sec == 0 && old.it_value.tv_usec <= 50000 ? "yes" : "no");
	getitimer(ITIMER_REAL, &old);
	printf("now: interval %ld.%06ld value %ld.%06ld\n", (long)old.it_interval.tv_sec,
	       (long)old.it_interval.tv_usec, (long)old.it_value.tv_sec,
	       (long)old.it_value.tv_usec);

	it = (struct itimerval){{0, 0}, {2, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &old);
	long left = old.it_value.tv_sec * 1000000 + old.it_value.tv_usec;
	printf("2 s timer: between 1.9 and 2 s left: %s\n",
	       left > 1900000 && left <= 2000000 ? "yes" : "no");
	result_value("alarm(0) on it", alarm(0));
	it = (struct itimerval){{1, 0}, {0, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
	getitimer(ITIMER_REAL, &old);
	printf("interval without a value: interval %ld, value %ld.%06ld\n",
	       (long)old.it_interval.tv_sec, (long)old.it_value.tv_sec, (long)old.it_value.tv_usec);
	result("NULL new value", syscall(SYS_setitimer, ITIMER_REAL, NULL, NULL));

	it = (struct itimerval){{0, 0}, {100, 0}};
	result("ITIMER_VIRTUAL", setitimer(ITIMER_VIRTUAL, &it, NULL));
	getitimer(ITIMER_VIRTUAL, &old);
	yes_no("ITIMER_VIRTUAL armed", old.it_value.tv_sec || old.it_value.tv_usec);
	setitimer(ITIMER_VIRTUAL, &none, NULL);

	result("setitimer which 7", setitimer(7, &it, NULL));
	result("getitimer which 7", getitimer(7, &old));
	it = (struct itimerval){{0, 0}, {0, 1000000}};
	result("1000000 microseconds", setitimer(ITIMER_REAL, &it, NULL));
	it = (struct itimerval){{0, -1}, {1, 0}};
	result("negative interval", setitimer(ITIMER_REAL, &it, NULL));
	it = (struct itimerval){{0, 0}, {-1, 0}};
	result("negative seconds", setitimer(ITIMER_REAL, &it, NULL));
	/* Raw calls: the C library may read or convert the structure itself. */
	result("setitimer bad pointer", syscall(SYS_setitimer, ITIMER_REAL, 8, NULL));
	result("setitimer bad old pointer", syscall(SYS_setitimer, ITIMER_REAL, &none, 8));
	result("getitimer bad pointer", syscall(SYS_getitimer, ITIMER_REAL, 8));
	getitimer(ITIMER_REAL, &old);
	yes_no("still disarmed", !old.it_value.tv_sec && !old.it_value.tv_usec);

	/* A child does not inherit the timer. */
	it = (struct itimerval){{0, 0}, {5, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		getitimer(ITIMER_REAL, &old);
		printf("child's timer armed: %s\n",
		       old.it_value.tv_sec || old.it_value.tv_usec ? "yes" : "no");
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	setitimer(ITIMER_REAL, &none, NULL);

	altstack_tests();
	timedwait_tests();
	return conform_end();
}
