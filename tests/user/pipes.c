/* Pipes: bytes in order, end of file when the writers are gone, EPIPE and
 * SIGPIPE when the readers are, O_NONBLOCK, pipe2's flags, fstat, a child
 * writing through fork, poll on both ends, fcntl's flags, and errors. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>

#include "conform.h"

static int pfd[2];

static void write_after_readers_gone(void)
{
	write(pfd[1], "x", 1);
	printf("not killed by SIGPIPE\n");
}

int main(void)
{
	conform_start("pipes");
	result("pipe", pipe(pfd));
	result_value("write 5", write(pfd[1], "hello", 5));
	char buf[64] = {0};
	result_value("read 64", read(pfd[0], buf, sizeof(buf)));
	printf("read: %s\n", buf);

	struct stat st;
	fstat(pfd[0], &st);
	yes_no("fstat: fifo", S_ISFIFO(st.st_mode));
	struct stat st2;
	fstat(pfd[1], &st2);
	yes_no("both ends same inode", st.st_ino == st2.st_ino);
	result("lseek on a pipe", lseek(pfd[0], 0, SEEK_SET));
	result("read the write end", read(pfd[1], buf, 1));
	result("write the read end", write(pfd[0], buf, 1));
	printf("F_GETFL read end: %s\n",
	       (fcntl(pfd[0], F_GETFL) & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "?");
	printf("F_GETFL write end: %s\n",
	       (fcntl(pfd[1], F_GETFL) & O_ACCMODE) == O_WRONLY ? "O_WRONLY" : "?");

	/* A child writes, exits; the parent reads everything, then EOF. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		for (int i = 0; i < 100; i++)
			dprintf(pfd[1], "line %d\n", i);
		_exit(0);
	}
	close(pfd[1]);
	long total = 0, n, lines = 0;
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0) {
		total += n;
		for (long i = 0; i < n; i++)
			lines += buf[i] == '\n';
	}
	printf("from child: %ld bytes, %ld lines, last read %ld\n", total, lines, n);
	waitpid(pid, NULL, 0);
	close(pfd[0]);

	/* More than the buffer holds: the writer waits for the reader. */
	pipe(pfd);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		static char big[200000];
		memset(big, 'z', sizeof(big));
		long w = write(pfd[1], big, sizeof(big));
		_exit(w == (long)sizeof(big) ? 0 : 1);
	}
	close(pfd[1]);
	total = 0;
	while ((n = read(pfd[0], buf, sizeof(buf))) > 0)
		total += n;
	int status;
	waitpid(pid, &status, 0);
	printf("200000 bytes through: %ld, writer %s\n", total, status_text(status));
	close(pfd[0]);

	/* No reader: SIGPIPE kills by default; ignored, write gives EPIPE. */
	pipe(pfd);
	close(pfd[0]);
	in_child("write with no reader", write_after_readers_gone);
	signal(SIGPIPE, SIG_IGN);
	result("write with no reader, SIGPIPE ignored", write(pfd[1], "x", 1));
	signal(SIGPIPE, SIG_DFL);
	close(pfd[1]);

	/* O_NONBLOCK and O_CLOEXEC from pipe2. */
	result("pipe2 O_NONBLOCK|O_CLOEXEC", pipe2(pfd, O_NONBLOCK | O_CLOEXEC));
	result("read empty nonblocking", read(pfd[0], buf, 1));
	printf("FD_CLOEXEC: %d\n", fcntl(pfd[0], F_GETFD));
	printf("O_NONBLOCK: %s\n", fcntl(pfd[0], F_GETFL) & O_NONBLOCK ? "yes" : "no");
	static char fill[70000];
	long filled = 0;
	while ((n = write(pfd[1], fill, sizeof(fill))) > 0)
		filled += n;
	printf("filled a nonblocking pipe: %s, then %s\n", filled > 0 ? "yes" : "no",
	       errno_name(errno));
	struct pollfd p[2] = {{pfd[0], POLLIN, 0}, {pfd[1], POLLOUT, 0}};
	int r = poll(p, 2, 0);
	printf("poll full pipe: %d, read end %s, write end %s\n", r,
	       p[0].revents & POLLIN ? "POLLIN" : "-", p[1].revents & POLLOUT ? "POLLOUT" : "-");
	close(pfd[0]);
	close(pfd[1]);
	result("pipe2 bad flag", pipe2(pfd, O_APPEND));
	result("pipe bad pointer", syscall(SYS_pipe, (void *)16));

	pipe(pfd);
	struct pollfd q[3] = {{pfd[0], POLLIN, 0}, {pfd[1], POLLOUT, 0}, {99, POLLIN, 0}};
	r = poll(q, 3, 0);
	printf("poll empty pipe: %d, read end %s, write end %s, fd 99 %s\n", r,
	       q[0].revents ? "ready" : "-", q[1].revents & POLLOUT ? "POLLOUT" : "-",
	       q[2].revents & POLLNVAL ? "POLLNVAL" : "-");
	r = poll(q, 1, 50);
	printf("poll timeout: %d\n", r);
	close(pfd[1]);
	r = poll(q, 1, -1);
	printf("poll after writer closed: %d %s\n", r, q[0].revents & POLLHUP ? "POLLHUP" : "-");
	close(pfd[0]);

	/* fcntl. */
	int fd = fcntl(1, F_DUPFD, 10);
	printf("F_DUPFD 10: %d\n", fd);
	printf("F_GETFD of dup: %d\n", fcntl(fd, F_GETFD));
	fd = fcntl(1, F_DUPFD_CLOEXEC, 10);
	printf("F_DUPFD_CLOEXEC 10: %d, F_GETFD %d\n", fd, fcntl(fd, F_GETFD));
	fcntl(fd, F_SETFD, 0);
	printf("F_SETFD 0: %d\n", fcntl(fd, F_GETFD));
	result("fcntl bad fd", fcntl(99, F_GETFD));
	result("fcntl bad cmd", fcntl(1, 9999));
	result("F_DUPFD past the limit", fcntl(1, F_DUPFD, 100000));
	return conform_end();
}
