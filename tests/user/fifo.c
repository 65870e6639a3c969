/* Named pipes made by mkfifo and mknod: opens that wait for the other end
 * (or not, with O_NONBLOCK or O_RDWR), bytes through, end of file, ESPIPE,
 * an open a signal interrupts; and mknod's other node types and errors. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

#include "conform.h"

static void nap(long ms)
{
	struct timespec d = {ms / 1000, (ms % 1000) * 1000000};
	while (nanosleep(&d, &d) == -1 && errno == EINTR)
		;
}

static void on_alarm(int sig)
{
	(void)sig;
}

int main(void)
{
	conform_start("fifo");
	umask(022);
	unlink("tmp/ff");
	result("mkfifo", mkfifo("tmp/ff", 0644));
	struct stat st;
	stat("tmp/ff", &st);
	printf("stat: fifo %s, mode 0%o\n", S_ISFIFO(st.st_mode) ? "yes" : "no",
	       (unsigned)(st.st_mode & 07777));
	result("mkfifo again", mkfifo("tmp/ff", 0644));
	DIR *d = opendir("tmp");
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, "ff") == 0)
			printf("d_type: %s\n", e->d_type == DT_FIFO ? "DT_FIFO" : "other");
	closedir(d);

	result("writer, O_NONBLOCK, no reader", open("tmp/ff", O_WRONLY | O_NONBLOCK));
	int r = open("tmp/ff", O_RDONLY | O_NONBLOCK);
	result("reader, O_NONBLOCK, no writer", r);
	result_value("read with no writer", read(r, &st, 1));
	int w = open("tmp/ff", O_WRONLY | O_NONBLOCK);
	result("writer, O_NONBLOCK, a reader there", w);
	result_value("write", write(w, "hi", 2));
	char buf[64] = {0};
	result_value("read", read(r, buf, sizeof(buf)));
	printf("got: %s\n", buf);
	result_value("read, nothing there", read(r, buf, sizeof(buf)));
	fstat(w, &st);
	yes_no("fstat: fifo", S_ISFIFO(st.st_mode));
	result("lseek", lseek(r, 0, SEEK_SET));
	close(w);
	result_value("read after the writer closed", read(r, buf, sizeof(buf)));
	close(r);

	/* Blocking opens meet: a child writes, the parent opens later. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int cw = open("tmp/ff", O_WRONLY);
		write(cw, "from the child", 14);
		_exit(cw < 0);
	}
	nap(50);
	r = open("tmp/ff", O_RDONLY);
	result("blocking reader", r);
	memset(buf, 0, sizeof(buf));
	long n, total = 0;
	while ((n = read(r, buf + total, sizeof(buf) - 1 - total)) > 0)
		total += n;
	printf("read %ld bytes: %s\n", total, buf);
	int status;
	waitpid(pid, &status, 0);
	printf("child: %s\n", status_text(status));
	close(r);

	/* O_RDWR never waits; an unlinked fifo stays usable while open. */
	int rw = open("tmp/ff", O_RDWR);
	result("O_RDWR", rw);
	unlink("tmp/ff");
	result_value("write to itself", write(rw, "loop", 4));
	memset(buf, 0, sizeof(buf));
	result_value("read from itself", read(rw, buf, sizeof(buf)));
	printf("got: %s\n", buf);
	close(rw);
	result("gone after unlink", access("tmp/ff", F_OK));

	/* A blocking open a signal interrupts. */
	mkfifo("tmp/ff", 0600);
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	alarm(1);
	result("writer waiting, then SIGALRM", open("tmp/ff", O_WRONLY));
	unlink("tmp/ff");

	/* mknod. */
	result("mknod S_IFIFO", mknod("tmp/mk-fifo", S_IFIFO | 0600, 0));
	stat("tmp/mk-fifo", &st);
	yes_no("a fifo", S_ISFIFO(st.st_mode));
	result("mknod a regular file", mknod("tmp/mk-reg", S_IFREG | 0600, 0));
	stat("tmp/mk-reg", &st);
	printf("regular: %s, size %ld\n", S_ISREG(st.st_mode) ? "yes" : "no", (long)st.st_size);
	result("mknod type 0", mknod("tmp/mk-zero", 0600, 0));
	stat("tmp/mk-zero", &st);
	yes_no("type 0 is regular", S_ISREG(st.st_mode));
	result("mknod a directory", mknod("tmp/mk-dir", S_IFDIR | 0700, 0));
	result("mknod a bad type", mknod("tmp/mk-bad", 0170000 | 0600, 0));
	result("mknod over a name", mknod("tmp/mk-reg", S_IFIFO | 0600, 0));
	result("mknod char 1:3", mknod("tmp/mk-null", S_IFCHR | 0666, makedev(1, 3)));
	stat("tmp/mk-null", &st);
	printf("char device %s, %u:%u\n", S_ISCHR(st.st_mode) ? "yes" : "no", major(st.st_rdev),
	       minor(st.st_rdev));
	int nul = open("tmp/mk-null", O_RDWR);
	result_value("write to it", write(nul, "xyz", 3));
	result_value("read from it", read(nul, buf, sizeof(buf)));
	close(nul);
	result("mknodat", mknodat(AT_FDCWD, "tmp/mk-at", S_IFIFO | 0600, 0));
	unlink("tmp/mk-fifo");
	unlink("tmp/mk-reg");
	unlink("tmp/mk-zero");
	unlink("tmp/mk-null");
	unlink("tmp/mk-at");
	return conform_end();
}
