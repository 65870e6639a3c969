/* An open /proc/PID file stays the file of the process it was opened for:
 * it shows that process while it is a zombie, and once the process is
 * reaped every read fails with ESRCH, even when newer processes took its
 * place (on Toyix, its process-table slot and so its /proc directory).
 * Pids are compared, never printed. */
#include <dirent.h>
#include <fcntl.h>
#include <sys/prctl.h>

#include "conform.h"

#define NEWCOMERS 8

enum { STATUS, STAT, COMM, STATM, CMDLINE, MAPS, FILES };
static const char *const file_names[FILES] = {"status", "stat", "comm", "statm", "cmdline", "maps"};

/* A child that names itself, says so on ready and lives until the
 * parent closes hold[1] (the child's read of hold[0] then sees the end of
 * the pipe), then exits with code. */
static pid_t named_child(const char *name, int ready, const int hold[2], int code)
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		char c = 0;
		close(hold[1]);
		prctl(PR_SET_NAME, name, 0, 0, 0);
		if (write(ready, &c, 1) != 1)
			_exit(1);
		while (read(hold[0], &c, 1) > 0)
			;
		_exit(code);
	}
	return pid;
}

/* The text of the file read from its start (one read: these are small),
 * its length, or -1 with errno. */
static long read_from_start(int fd, char *buf, size_t size)
{
	if (lseek(fd, 0, SEEK_SET) != 0)
		return -1;
	long n = read(fd, buf, size - 1);
	buf[n > 0 ? n : 0] = '\0';
	return n;
}

/* "what: ESRCH", "what: empty" or "what: N bytes" (the text's length is
 * no conformance fact, whether there is one is). */
static void show_outcome(const char *what, long n)
{
	if (n < 0)
		printf("%s: %s\n", what, errno_name(errno));
	else if (n == 0)
		printf("%s: empty\n", what);
	else
		printf("%s: some text\n", what);
}

/* The line of status that starts with key, as it is. */
static void status_line(const char *buf, const char *key)
{
	const char *line = strstr(buf, key);
	if (!line) {
		printf("no %s line\n", key);
		return;
	}
	printf("%.*s\n", (int)strcspn(line, "\n"), line);
}

static int listed_in_proc(pid_t pid)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	char want[16];
	snprintf(want, sizeof(want), "%d", (int)pid);
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		found |= strcmp(e->d_name, want) == 0;
	closedir(d);
	return found;
}

int main(void)
{
	conform_start("procfs_held");
	static char buf[8192];
	char path[64];
	int ready[2], hold[2], fds[FILES];
	if (pipe(ready) || pipe(hold)) {
		printf("pipe failed: %s\n", errno_name(errno));
		return 1;
	}
	/* SIGCHLD is waited for, not handled: it says the child is a zombie
	 * without reaping it. */
	sigset_t chld;
	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	sigprocmask(SIG_BLOCK, &chld, NULL);

	pid_t child = named_child("firstborn", ready[1], hold, 3);
	char c;
	yes_no("the child is ready", read(ready[0], &c, 1) == 1);
	for (int k = 0; k < FILES; k++) {
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)child, file_names[k]);
		fds[k] = open(path, O_RDONLY);
		printf("open %s: %s\n", file_names[k], fds[k] < 0 ? errno_name(errno) : "ok");
	}

	/* The child exits and stays a zombie until waited for. */
	close(hold[1]);
	yes_no("SIGCHLD came", sigwaitinfo(&chld, NULL) == SIGCHLD);
	long n = read_from_start(fds[STATUS], buf, sizeof(buf));
	show_outcome("zombie: status", n);
	if (n > 0) {
		status_line(buf, "Name:");
		status_line(buf, "State:");
		yes_no("zombie: status has no VmSize line", !strstr(buf, "VmSize:"));
	}
	n = read_from_start(fds[STAT], buf, sizeof(buf));
	show_outcome("zombie: stat", n);
	if (n > 0) {
		int pid = 0;
		char state = '?';
		sscanf(buf, "%d (%*[^)]) %c", &pid, &state);
		yes_no("zombie: stat is the child's", pid == child);
		printf("zombie: stat state: %c\n", state);
	}
	n = read_from_start(fds[STATM], buf, sizeof(buf));
	show_outcome("zombie: statm", n);
	if (n > 0)
		printf("zombie: statm: %.*s\n", (int)strcspn(buf, "\n"), buf);
	show_outcome("zombie: cmdline", read_from_start(fds[CMDLINE], buf, sizeof(buf)));
	show_outcome("zombie: maps", read_from_start(fds[MAPS], buf, sizeof(buf)));
	/* comm is left unread until after the reap: nothing about the process
	 * was taken from it yet. */

	int status = 0;
	yes_no("reaped", waitpid(child, &status, 0) == child);
	printf("the child: %s\n", status_text(status));

	/* Processes made now may take the child's place in the kernel's
	 * tables; listing /proc makes it see them. */
	int ready2[2], hold2[2];
	if (pipe(ready2) || pipe(hold2)) {
		printf("pipe failed: %s\n", errno_name(errno));
		return 1;
	}
	pid_t newcomers[NEWCOMERS];
	int up = 0;
	for (int i = 0; i < NEWCOMERS; i++) {
		newcomers[i] = named_child("newcomer", ready2[1], hold2, 0);
		up += newcomers[i] > 0 && read(ready2[0], &c, 1) == 1;
	}
	printf("newcomers running: %d\n", up);
	yes_no("the last newcomer is listed in /proc", listed_in_proc(newcomers[NEWCOMERS - 1]));
	yes_no("the child is listed in /proc", listed_in_proc(child));

	/* Every file of the reaped child fails, read before or not. */
	for (int k = 0; k < FILES; k++) {
		char what[32];
		snprintf(what, sizeof(what), "reaped: %s", file_names[k]);
		n = read_from_start(fds[k], buf, sizeof(buf));
		show_outcome(what, n);
		if (n > 0 && k == COMM)
			printf("reaped: comm says %.*s\n", (int)strcspn(buf, "\n"), buf);
		close(fds[k]);
	}
	/* A file opened now is the newcomer's own. */
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)newcomers[0]);
	int fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read_from_start(fd, buf, sizeof(buf));
	show_outcome("a newcomer's comm", n);
	if (n > 0)
		printf("a newcomer's comm says %.*s\n", (int)strcspn(buf, "\n"), buf);
	if (fd >= 0)
		close(fd);

	close(hold2[1]);
	int reaped = 0;
	for (int i = 0; i < NEWCOMERS; i++)
		reaped += newcomers[i] > 0 && waitpid(newcomers[i], &status, 0) == newcomers[i];
	printf("newcomers reaped: %d\n", reaped);
	return conform_end();
}
