/* select (_newselect), pselect6 and ppoll on pipes, files and the console:
 * which descriptors are ready, timeouts (and the time left written back),
 * a signal ending the wait, pselect6's mask, and Linux's errors. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/select.h>
#include <time.h>

#include "conform.h"

static volatile int caught;

static void on_usr1(int sig)
{
	(void)sig;
	caught++;
}

/* The raw calls, so each entry point is the one tested. */
static long newselect(int n, fd_set *in, fd_set *out, fd_set *ex, struct timeval *tv)
{
	return syscall(SYS__newselect, n, in, out, ex, tv);
}

struct sigpack {
	const void *set;
	unsigned long size;
};

static long pselect6(int n, fd_set *in, fd_set *out, fd_set *ex, void *ts, struct sigpack *sp)
{
	return syscall(SYS_pselect6, n, in, out, ex, ts, sp);
}

struct ts32 {
	long sec, nsec;
};

static void show_sets(const char *what, long rc, int nfds, fd_set *in, fd_set *out)
{
	printf("%s: ", what);
	if (rc < 0) {
		printf("%s\n", errno_name(errno));
		return;
	}
	printf("%ld ready, in [", rc);
	for (int fd = 0; fd < nfds; fd++)
		if (in && FD_ISSET(fd, in))
			printf(" %d", fd);
	printf(" ] out [");
	for (int fd = 0; fd < nfds; fd++)
		if (out && FD_ISSET(fd, out))
			printf(" %d", fd);
	printf(" ]\n");
}

int main(void)
{
	conform_start("select");
	int p[2];
	pipe(p);				    /* 3 and 4 */
	int file = open("etc/hello.txt", O_RDONLY); /* 5 */
	printf("fds: %d %d %d\n", p[0], p[1], file);
	fd_set in, out;
	struct timeval tv;

	FD_ZERO(&in);
	FD_ZERO(&out);
	FD_SET(p[0], &in);
	FD_SET(p[1], &out);
	FD_SET(file, &in);
	FD_SET(file, &out);
	FD_SET(1, &out);
	tv = (struct timeval){0, 0};
	show_sets("empty pipe, file, stdout", newselect(6, &in, &out, NULL, &tv), 6, &in, &out);

	write(p[1], "x", 1);
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	tv = (struct timeval){5, 0};
	show_sets("pipe with a byte", newselect(p[0] + 1, &in, NULL, NULL, &tv), 6, &in, NULL);
	yes_no("time left is less than 5 s and more than 4",
	       tv.tv_sec == 4 || (tv.tv_sec == 5 && tv.tv_usec == 0));
	char c;
	read(p[0], &c, 1);

	/* A timeout on an empty pipe: 0 ready, the time left is zero. */
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	tv = (struct timeval){0, 50000};
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	show_sets("empty pipe, 50 ms", newselect(p[0] + 1, &in, NULL, NULL, &tv), 6, &in, NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	yes_no("waited at least 50 ms", ms >= 50);
	printf("time left: %ld.%06ld\n", (long)tv.tv_sec, (long)tv.tv_usec);

	/* Descriptors at or above nfds are not looked at, not even closed ones. */
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	FD_SET(40, &in);
	tv = (struct timeval){0, 0};
	show_sets("fd 40 above nfds", newselect(p[0] + 1, &in, NULL, NULL, &tv), 6, &in, NULL);

	/* The glibc wrapper, whatever call it makes. */
	FD_ZERO(&out);
	FD_SET(p[1], &out);
	tv = (struct timeval){1, 0};
	show_sets("select() from libc", select(p[1] + 1, NULL, &out, NULL, &tv), 6, NULL, &out);

	/* No sets at all: a plain sleep. */
	tv = (struct timeval){0, 20000};
	result_value("no sets, 20 ms", newselect(0, NULL, NULL, NULL, &tv));

	/* The write end closed: the read end is ready (end of file). */
	int q[2];
	pipe(q);
	close(q[1]);
	FD_ZERO(&in);
	FD_SET(q[0], &in);
	show_sets("writer gone", newselect(q[0] + 1, &in, NULL, NULL, NULL), q[0] + 1, &in, NULL);
	close(q[0]);

	/* Errors. */
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	tv = (struct timeval){0, 0};
	result("negative nfds", newselect(-1, &in, NULL, NULL, &tv));
	FD_SET(30, &in);
	result("closed fd 30 in the set", newselect(31, &in, NULL, NULL, &tv));
	result("set pointer bad", newselect(4, (fd_set *)8, NULL, NULL, &tv));
	result("timeout pointer bad", newselect(4, NULL, NULL, NULL, (struct timeval *)8));
	FD_ZERO(&in);
	FD_SET(p[1], &in);
	tv = (struct timeval){0, -1};
	result("negative microseconds", newselect(p[1] + 1, NULL, &in, NULL, &tv));
	tv = (struct timeval){-1, 0};
	result("negative seconds", newselect(p[1] + 1, NULL, &in, NULL, &tv));
	tv = (struct timeval){0, 1500000};
	result_value("1500000 microseconds carried into seconds",
		     newselect(p[1] + 1, NULL, &in, NULL, &tv));

	/* pselect6: its timespec, and its mask. */
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	struct ts32 ts = {0, 30 * 1000000};
	show_sets("pselect6, empty pipe, 30 ms", pselect6(p[0] + 1, &in, NULL, NULL, &ts, NULL), 6,
		  &in, NULL);
	printf("pselect6 time left: %ld.%09ld\n", ts.sec, ts.nsec);
	ts = (struct ts32){0, 1000000000};
	result("pselect6, a billion nanoseconds", pselect6(1, NULL, NULL, NULL, &ts, NULL));
	uint64_t none = 0;
	struct sigpack bad_size = {&none, 4};
	ts = (struct ts32){0, 0};
	result("pselect6, mask size 4", pselect6(1, NULL, NULL, NULL, &ts, &bad_size));
	result("pselect6, mask pack bad", pselect6(1, NULL, NULL, NULL, &ts, (void *)8));
	struct sigpack bad_set = {(void *)8, 8};
	result("pselect6, mask pointer bad", pselect6(1, NULL, NULL, NULL, &ts, &bad_set));

	/* SIGUSR1 blocked and pending; pselect6's mask lets it in: the wait
	 * ends with EINTR, the handler runs, and the block comes back. */
	struct sigaction sa = {0};
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigprocmask(SIG_BLOCK, &block, &old);
	raise(SIGUSR1);
	struct sigpack open_mask = {&none, 8};
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	result("pselect6 letting SIGUSR1 in",
	       pselect6(p[0] + 1, &in, NULL, NULL, NULL, &open_mask));
	printf("handler ran %d times\n", caught);
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	yes_no("SIGUSR1 blocked again", sigismember(&now, SIGUSR1));
	/* A ready descriptor under the same mask: no signal is pending now,
	 * and the mask is back at once. */
	FD_ZERO(&out);
	FD_SET(p[1], &out);
	result_value("pselect6 ready, with a mask",
		     pselect6(p[1] + 1, NULL, &out, NULL, NULL, &open_mask));
	sigprocmask(SIG_BLOCK, NULL, &now);
	yes_no("SIGUSR1 still blocked", sigismember(&now, SIGUSR1));
	sigprocmask(SIG_SETMASK, &old, NULL);

	/* A signal from a child ends a wait with no timeout. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		struct timespec d = {0, 100 * 1000000};
		nanosleep(&d, NULL);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	FD_ZERO(&in);
	FD_SET(p[0], &in);
	result("select until a signal", newselect(p[0] + 1, &in, NULL, NULL, NULL));
	printf("handler ran %d times\n", caught);
	waitpid(pid, NULL, 0);

	/* ppoll: the same waiting with pollfds. */
	struct pollfd pf = {p[0], POLLIN, 0};
	ts = (struct ts32){0, 20 * 1000000};
	result_value("ppoll, empty pipe, 20 ms", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
	printf("ppoll time left: %ld.%09ld\n", ts.sec, ts.nsec);
	write(p[1], "y", 1);
	result_value("ppoll, a byte", syscall(SYS_ppoll, &pf, 1, NULL, NULL, 8));
	printf("revents: 0x%x\n", pf.revents);
	ts = (struct ts32){-1, 0};
	result("ppoll, negative timeout", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8));
	result("ppoll, mask size 4", syscall(SYS_ppoll, &pf, 1, NULL, &none, 4));
	close(p[0]);
	close(p[1]);
	close(file);
	return conform_end();
}
