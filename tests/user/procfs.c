/* /proc as a program sees it through system calls: what may be opened,
 * written, mapped and listed, and the errors Linux gives for the rest.
 * Values that differ between machines (pids, sizes, addresses) are
 * compared, not printed. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "conform.h"

/* The whole of a /proc file, read in small pieces as a careful reader
 * would; its length, or -1. */
static long slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	size_t used = 0;
	for (;;) {
		ssize_t n = read(fd, buf + used, used + 7 < size - 1 ? 7 : size - 1 - used);
		if (n <= 0)
			break;
		used += (size_t)n;
	}
	close(fd);
	buf[used] = '\0';
	return (long)used;
}

static int listed_in_proc(long pid)
{
	DIR *d = opendir("/proc");
	if (!d)
		return 0;
	char want[16];
	snprintf(want, sizeof(want), "%ld", pid);
	int found = 0;
	struct dirent *e;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, want) == 0)
			found = e->d_type == DT_DIR;
	closedir(d);
	return found;
}

static void child_exits(void)
{
	_exit(0);
}

int main(int argc, char **argv)
{
	conform_start("procfs");
	static char buf[65536];
	char path[64];

	/* Reading. */
	yes_no("read /proc/self/maps", slurp("/proc/self/maps", buf, sizeof(buf)) > 0);
	yes_no("maps has a [stack] line", strstr(buf, " [stack]\n") != NULL);
	uintptr_t local = (uintptr_t)&path;
	int covered = 0;
	for (char *line = buf; *line; line = strchr(line, '\n') + 1) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= local && local < hi)
			covered = strstr(line, "[stack]") < strchr(line, '\n') &&
				  strstr(line, "[stack]") != NULL;
		if (!strchr(line, '\n'))
			break;
	}
	yes_no("a local variable lies in the [stack] line's range", covered);
	void *m = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	slurp("/proc/self/maps", buf, sizeof(buf));
	char want[64];
	snprintf(want, sizeof(want), "%08lx-%08lx r--p 00000000 00:00 0 \n", (unsigned long)m,
		 (unsigned long)m + 3 * PAGE);
	yes_no("a new read-only mapping shows as its own line", strstr(buf, want) != NULL);
	munmap(m, 3 * PAGE);
	slurp("/proc/self/maps", buf, sizeof(buf));
	yes_no("and goes when unmapped", strstr(buf, want) == NULL);

	/* A shared anonymous mapping: Linux backs it with a deleted file. */
	char *sh = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	slurp("/proc/self/maps", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%08lx-%08lx ", (unsigned long)sh,
		 (unsigned long)sh + 2 * PAGE);
	char *line = strstr(buf, want);
	char perms[8] = "", dev[8] = "", name[64] = "";
	unsigned long off = 1, ino = 0;
	if (line && sscanf(line + strlen(want), "%7s %lx %7s %lu %63[^\n]", perms, &off, dev, &ino,
			   name) == 5) {
		char *n = name;
		while (*n == ' ')
			n++;
		printf("shared anonymous: %s %08lx %s, inode > 0: %s, name %s\n", perms, off, dev,
		       ino > 0 ? "yes" : "no", n);
	} else {
		printf("shared anonymous: no line\n");
	}
	/* Its second page alone: the offset says where in the memory it is. */
	munmap(sh, PAGE);
	slurp("/proc/self/maps", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%08lx-%08lx rw-s 00001000 00:01 ", (unsigned long)sh + PAGE,
		 (unsigned long)sh + 2 * PAGE);
	line = strstr(buf, want);
	unsigned long ino2 = 0;
	yes_no("after munmap of its first page: offset 1000, the same inode",
	       line && sscanf(line + strlen(want), "%lu", &ino2) == 1 && ino2 == ino);
	munmap(sh + PAGE, PAGE);

	/* One descriptor, read again from the start: the text is made anew. */
	int sfd = open("/proc/self/statm", O_RDONLY);
	char first[128] = "", again[128] = "";
	long size1 = 0, rss1 = 0, size2 = 0, rss2 = 0; /* rss read, not compared */
	if (read(sfd, first, sizeof(first) - 1) > 0)
		sscanf(first, "%ld %ld", &size1, &rss1);
	char *touched =
		mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (unsigned i = 0; i < 64; i++)
		touched[i * PAGE] = 1;
	lseek(sfd, 0, SEEK_SET);
	if (read(sfd, again, sizeof(again) - 1) > 0)
		sscanf(again, "%ld %ld", &size2, &rss2);
	/* Only the size: Linux counts resident pages per thread and adds
	 * them to the process's count in batches, so rss lags. */
	yes_no("statm read again after lseek 0 shows 64 more pages", size2 - size1 == 64);
	munmap(touched, 64 * PAGE);
	memset(again, 0, sizeof(again));
	if (pread(sfd, again, sizeof(again) - 1, 0) > 0)
		sscanf(again, "%ld %ld", &size2, &rss2);
	yes_no("and pread at 0 after munmap shows them gone", size2 == size1);
	close(sfd);

	long n = slurp("/proc/self/cmdline", buf, sizeof(buf));
	long expect = 0;
	for (int i = 0; i < argc; i++)
		expect += (long)strlen(argv[i]) + 1;
	yes_no("cmdline is argv, NUL-separated",
	       n == expect && strcmp(buf, argv[0]) == 0 && buf[n - 1] == '\0');
	slurp("/proc/self/comm", buf, sizeof(buf));
	printf("comm: %s", buf);
	slurp("/proc/self/stat", buf, sizeof(buf));
	long pid = 0, ppid = 0;
	char state = 0;
	char comm[32];
	yes_no("stat parses", sscanf(buf, "%ld (%31[^)]) %c %ld", &pid, comm, &state, &ppid) == 4);
	yes_no("stat pid and ppid", pid == getpid() && ppid == getppid());
	printf("stat comm %s, state %c\n", comm, state);
	slurp("/proc/self/status", buf, sizeof(buf));
	yes_no("status has VmRSS and VmSize",
	       strstr(buf, "\nVmRSS:\t") && strstr(buf, "\nVmSize:\t"));
	snprintf(want, sizeof(want), "\nPid:\t%ld\n", (long)getpid());
	yes_no("status Pid", strstr(buf, want) != NULL);
	yes_no("read /proc/meminfo", slurp("/proc/meminfo", buf, sizeof(buf)) > 0);
	yes_no("meminfo starts with MemTotal", strncmp(buf, "MemTotal:", 9) == 0);

	/* The links and directories. */
	ssize_t len = readlink("/proc/self", buf, sizeof(buf) - 1);
	buf[len > 0 ? len : 0] = '\0';
	yes_no("/proc/self links to the pid", len > 0 && atol(buf) == getpid());
	yes_no("/proc lists this process", listed_in_proc(getpid()));
	struct stat st;
	result("stat /proc/self/maps", stat("/proc/self/maps", &st));
	yes_no("a regular file of size 0, mode 0444",
	       S_ISREG(st.st_mode) && st.st_size == 0 && (st.st_mode & 07777) == 0444);
	result("lstat /proc/self", lstat("/proc/self", &st));
	yes_no("a symbolic link", S_ISLNK(st.st_mode));
	result("stat /proc/self", stat("/proc/self", &st));
	yes_no("leading to a directory, mode 0555",
	       S_ISDIR(st.st_mode) && (st.st_mode & 07777) == 0555);

	/* A child while it lives, as a zombie, and once reaped. */
	pid_t child = fork();
	if (child == 0)
		child_exits();
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)child);
	usleep(100000);
	slurp(path, buf, sizeof(buf));
	char *close_paren = strrchr(buf, ')');
	printf("unreaped child's state: %c\n", close_paren ? close_paren[2] : '?');
	yes_no("the zombie is listed", listed_in_proc(child));
	waitpid(child, NULL, 0);
	result("open a reaped child's stat", open(path, O_RDONLY));
	yes_no("the reaped child is not listed", !listed_in_proc(child));

	/* A stopped child. */
	child = fork();
	if (child == 0) {
		for (;;)
			pause();
	}
	kill(child, SIGSTOP);
	int wst = 0;
	waitpid(child, &wst, WUNTRACED);
	snprintf(path, sizeof(path), "/proc/%ld/stat", (long)child);
	slurp(path, buf, sizeof(buf));
	close_paren = strrchr(buf, ')');
	printf("stopped child's state: %c\n", close_paren ? close_paren[2] : '?');
	snprintf(path, sizeof(path), "/proc/%ld/status", (long)child);
	slurp(path, buf, sizeof(buf));
	char *st_line = strstr(buf, "State:");
	char *st_end = st_line ? strchr(st_line, '\n') : NULL;
	if (st_end)
		*st_end = '\0';
	printf("its status line: %s\n", st_line ? st_line : "none");
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);

	/* What may not be done. */
	result("open /proc/99999/maps", open("/proc/99999/maps", O_RDONLY));
	result("open /proc/self/nosuchfile", open("/proc/self/nosuchfile", O_RDONLY));
	int fd = open("/proc/self/maps", O_WRONLY);
	result("open /proc/self/maps for writing", fd < 0 ? -1 : 0);
	if (fd >= 0) {
		result("write /proc/self/maps", write(fd, "x", 1));
		close(fd);
	}
	fd = open("/proc/meminfo", O_RDWR);
	result("open /proc/meminfo read-write", fd < 0 ? -1 : 0);
	if (fd >= 0) {
		result("write /proc/meminfo", write(fd, "x", 1));
		close(fd);
	}
	result("creat /proc/newfile", open("/proc/newfile", O_CREAT | O_WRONLY, 0644));
	result("mkdir /proc/newdir", mkdir("/proc/newdir", 0755));
	result("unlink /proc/meminfo", unlink("/proc/meminfo"));
	result("rmdir /proc/self/", rmdir("/proc/self/"));
	fd = open("/proc/self/maps", O_RDONLY);
	void *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	result("mmap /proc/self/maps", p == MAP_FAILED ? -1 : 0);
	result("read into a bad buffer", syscall(SYS_read, fd, 16L, 100L));
	close(fd);
	fd = open("/proc", O_RDONLY | O_DIRECTORY);
	result("read a /proc directory", read(fd, buf, 10));
	close(fd);
	return conform_end();
}
