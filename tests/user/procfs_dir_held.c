/* procfs_dir_held: a /proc/PID directory held open stays its process's.
 * Once the process is reaped, nothing can be opened through the directory
 * any more, and in particular not the files of a newer process that took
 * the same place (Toyix numbers its /proc directories by process-table
 * slot).  Linux and Toyix refuse with different errors here (Linux ESRCH
 * for openat, Toyix ENOENT), so only the refusal is printed. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>

#include "conform.h"

#define NEWCOMERS 8

/* Takes its name, says so by closing `ready`, and waits until `go` ends. */
static void named_child_waits(const char *name, int ready, int go)
{
	prctl(PR_SET_NAME, name, 0, 0, 0);
	close(ready);
	char c;
	while (read(go, &c, 1) > 0)
		;
	_exit(0);
}

static void show_comm(const char *what, int dirfd)
{
	int fd = openat(dirfd, "comm", O_RDONLY);
	yes_no(what, fd >= 0);
	if (fd < 0)
		return;
	char buf[32] = {0};
	if (read(fd, buf, sizeof(buf) - 1) > 0)
		printf("  it reads: %s", buf);
	close(fd);
}

int main(void)
{
	conform_start("procfs_dir_held");
	int go[2], hold[2], ready[2];
	if (pipe(go) != 0 || pipe(hold) != 0 || pipe(ready) != 0)
		return 1;
	fflush(stdout);
	pid_t first = fork();
	if (first == 0) {
		close(go[1]);
		close(ready[0]);
		named_child_waits("firstborn", ready[1], go[0]);
	}
	close(go[0]);
	close(ready[1]);
	char c;
	if (read(ready[0], &c, 1) != 0)
		printf("the child did not get ready\n");
	close(ready[0]);
	char path[32];
	snprintf(path, sizeof(path), "/proc/%d", (int)first);
	int dirfd = open(path, O_RDONLY | O_DIRECTORY);
	result("open /proc/PID", dirfd);
	show_comm("comm opens through it", dirfd);

	close(go[1]); /* the child ends */
	waitpid(first, NULL, 0);
	pid_t newcomer[NEWCOMERS];
	for (int i = 0; i < NEWCOMERS; i++) {
		fflush(stdout);
		if ((newcomer[i] = fork()) == 0) {
			close(hold[1]);
			named_child_waits("newcomer", -1, hold[0]);
		}
	}
	close(hold[0]);

	show_comm("after the reaping, comm opens through it", dirfd);
	char buf[512];
	long n = syscall(SYS_getdents64, dirfd, buf, sizeof(buf));
	int files = 0;
	for (long at = 0; n > 0 && at < n;) {
		struct dirent64 *d = (struct dirent64 *)(buf + at);
		if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0)
			files++;
		at += d->d_reclen;
	}
	yes_no("its listing shows a file", files > 0);
	int status = openat(dirfd, "status", O_RDONLY);
	yes_no("status opens through it", status >= 0);

	close(hold[1]); /* the newcomers end */
	for (int i = 0; i < NEWCOMERS; i++)
		waitpid(newcomer[i], NULL, 0);
	close(dirfd);
	return conform_end();
}
