/* What BusyBox's file applets ask besides reading and writing: chmod,
 * chown, utimensat and utimes, symbolic links made with symlink, the
 * errors of link, sync and fsync, statfs, getgroups, sched_getaffinity and
 * the nice value; in tmp/, with Linux's errors. */
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/time.h>

#include "conform.h"

static void show_mode(const char *what, const char *path)
{
	struct stat st;
	if (lstat(path, &st) == -1)
		printf("%s: %s\n", what, errno_name(errno));
	else
		printf("%s: mode 0%o, uid %u, gid %u\n", what, (unsigned)st.st_mode,
		       (unsigned)st.st_uid, (unsigned)st.st_gid);
}

static void show_times(const char *what, const char *path)
{
	struct stat st;
	stat(path, &st);
	printf("%s: atime %ld.%09ld, mtime %ld.%09ld\n", what, (long)st.st_atim.tv_sec,
	       st.st_atim.tv_nsec, (long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
}

static long utimensat32(int dirfd, const char *path, const void *times, int flags)
{
	return syscall(SYS_utimensat, dirfd, path, times, flags);
}

int main(void)
{
	conform_start("fsattr");
	umask(022);
	int fd = open("tmp/fa-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "data\n", 5);
	show_mode("new file", "tmp/fa-file");

	/* chmod and friends. */
	result("chmod 0600", chmod("tmp/fa-file", 0600));
	show_mode("after chmod", "tmp/fa-file");
	result("fchmod 04751", fchmod(fd, 04751));
	show_mode("after fchmod", "tmp/fa-file");
	int tmp = open("tmp", O_RDONLY | O_DIRECTORY);
	result("fchmodat 0640", fchmodat(tmp, "fa-file", 0640, 0));
	show_mode("after fchmodat", "tmp/fa-file");
	result("chmod a missing file", chmod("tmp/fa-none", 0600));
	result("chmod through a file", chmod("tmp/fa-file/x", 0600));
	result("chmod bad pointer", chmod((char *)8, 0600));
	result("fchmod bad fd", fchmod(99, 0600));
	result("mkdir", mkdir("tmp/fa-dir", 0755));
	result("chmod a directory 0700", chmod("tmp/fa-dir", 0700));
	result("mkdir /", mkdir("/", 0755));
	result("mkdir tmp/.", mkdir("tmp/.", 0755));
	result("mkdir tmp/..", mkdir("tmp/..", 0755));
	result("mkdir tmp/fa-none/.", mkdir("tmp/fa-none/.", 0755));
	show_mode("the directory", "tmp/fa-dir");

	/* chown: as root, any ids; -1 keeps one. */
	result("chown 1000:2000", chown("tmp/fa-file", 1000, 2000));
	show_mode("after chown", "tmp/fa-file");
	result("chown -1:5", chown("tmp/fa-file", -1, 5));
	show_mode("after chown -1:5", "tmp/fa-file");
	result("fchown 0:0", fchown(fd, 0, 0));
	show_mode("after fchown", "tmp/fa-file");
	result("fchownat bad flags", fchownat(tmp, "fa-file", 0, 0, 0x4));
	result("chown a missing file", chown("tmp/fa-none", 0, 0));

	/* Symbolic links. */
	result("symlink", symlink("fa-file", "tmp/fa-link"));
	show_mode("the link (lstat)", "tmp/fa-link");
	char target[64] = {0};
	result_value("readlink", readlink("tmp/fa-link", target, sizeof(target)));
	printf("target: %s\n", target);
	int via = open("tmp/fa-link", O_RDONLY);
	char buf[16] = {0};
	result_value("read through the link", read(via, buf, sizeof(buf)));
	close(via);
	result("lchown the link 7:7", lchown("tmp/fa-link", 7, 7));
	show_mode("the link", "tmp/fa-link");
	show_mode("its target", "tmp/fa-file");
	result("symlink over an existing name", symlink("x", "tmp/fa-file"));
	result("symlink to an empty target", symlink("", "tmp/fa-l2"));
	result("symlink in a missing directory", symlink("x", "tmp/fa-none/l"));
	result("symlinkat", symlinkat("/etc/hello.txt", tmp, "fa-abs"));
	via = open("tmp/fa-abs", O_RDONLY);
	result_value("read through the absolute link", read(via, buf, 5));
	close(via);
	result("symlink to nowhere", symlink("fa-nowhere", "tmp/fa-dangling"));
	result("stat a dangling link", access("tmp/fa-dangling", F_OK));
	result("unlink the links",
	       unlink("tmp/fa-link") | unlink("tmp/fa-abs") | unlink("tmp/fa-dangling"));

	/* link's errors (tmpfs has hard links on Linux, Toyix does not: only
	 * the checks made before are compared). */
	result("link a missing file", link("tmp/fa-none", "tmp/fa-h"));
	result("link onto an existing name", link("tmp/fa-file", "tmp/fa-dir"));
	result("link a directory", link("tmp/fa-dir", "tmp/fa-h"));
	result("link into a missing directory", link("tmp/fa-file", "tmp/fa-none/h"));

	/* Times. */
	struct timespec ts[2] = {{1000, 5}, {2000, 7}};
	result("utimensat", utimensat(AT_FDCWD, "tmp/fa-file", ts, 0));
	show_times("set", "tmp/fa-file");
	ts[0].tv_nsec = UTIME_OMIT;
	ts[1] = (struct timespec){3000, 0};
	result("utimensat, atime omitted", utimensat(AT_FDCWD, "tmp/fa-file", ts, 0));
	show_times("mtime only", "tmp/fa-file");
	struct stat before, after;
	stat("tmp/fa-file", &before);
	result("utimensat NULL: now", utimensat(AT_FDCWD, "tmp/fa-file", NULL, 0));
	stat("tmp/fa-file", &after);
	yes_no("mtime moved", after.st_mtim.tv_sec != before.st_mtim.tv_sec);
	int32_t t32[4] = {100, 0, 200, 1000000000};
	result("nanoseconds out of range", utimensat32(AT_FDCWD, "tmp/fa-file", t32, 0));
	int32_t omit[4] = {0, UTIME_OMIT, 0, UTIME_OMIT};
	result("both omitted, missing path", utimensat32(AT_FDCWD, "tmp/fa-none", omit, 0));
	result("bad flags", utimensat32(AT_FDCWD, "tmp/fa-file", NULL, 0x4));
	result("times pointer bad", utimensat32(AT_FDCWD, "tmp/fa-file", (void *)8, 0));
	int32_t t_fd[4] = {10, 0, 20, 0};
	result("on the descriptor (path NULL)", utimensat32(fd, NULL, t_fd, 0));
	show_times("by descriptor", "tmp/fa-file");
	result("descriptor with flags", utimensat32(fd, NULL, t_fd, AT_SYMLINK_NOFOLLOW));
	result("bad descriptor", utimensat32(99, NULL, t_fd, 0));
	struct timeval tv[2] = {{40, 1}, {50, 2}};
	result("utimes", utimes("tmp/fa-file", tv));
	show_times("by utimes", "tmp/fa-file");
	tv[0].tv_usec = 1000000;
	result("utimes, a million microseconds", syscall(SYS_utimes, "tmp/fa-file", tv));
	result("utimensat a missing file", utimensat(AT_FDCWD, "tmp/fa-none", NULL, 0));

	/* Writing moves mtime (seconds since boot on Toyix, since 1970 on
	 * Linux: only that it moved). */
	struct timespec old_t[2] = {{0, 0}, {0, 0}};
	utimensat(AT_FDCWD, "tmp/fa-file", old_t, 0);
	write(fd, "more", 4);
	stat("tmp/fa-file", &after);
	yes_no("a write moves mtime", after.st_mtim.tv_sec != 0 || after.st_mtim.tv_nsec != 0);

	/* sync, fsync, fdatasync. */
	sync();
	printf("sync: done\n");
	result("fsync a file", fsync(fd));
	result("fdatasync a file", fdatasync(fd));
	result("fsync a directory", fsync(tmp));
	int p[2];
	pipe(p);
	result("fsync a pipe", fsync(p[0]));
	result("fsync a bad fd", fsync(99));

	/* statfs. */
	struct statfs sf;
	result("statfs tmp", statfs("tmp", &sf));
	printf("namelen %ld, bsize %ld\n", (long)sf.f_namelen, (long)sf.f_bsize);
	result("fstatfs a file", fstatfs(fd, &sf));
	result("fstatfs a pipe", fstatfs(p[0], &sf));
	printf("pipe f_type 0x%lx\n", (unsigned long)sf.f_type);
	result("statfs a missing path", statfs("tmp/fa-none", &sf));
	result("statfs64 wrong size", syscall(SYS_statfs64, "tmp", 80, &sf));
	result("fstatfs bad fd", fstatfs(99, &sf));
	close(p[0]);
	close(p[1]);

	/* Groups, CPUs, nice. */
	result_value("getgroups", getgroups(0, NULL));
	result("getgroups -1", syscall(SYS_getgroups32, -1, NULL));
	cpu_set_t set;
	CPU_ZERO(&set);
	result("sched_getaffinity", sched_getaffinity(0, sizeof(set), &set));
	printf("CPUs: %d\n", CPU_COUNT(&set));
	uint32_t small;
	result("sched_getaffinity, 2 bytes", syscall(SYS_sched_getaffinity, 0, 2, &small));
	result("sched_getaffinity, no such pid", syscall(SYS_sched_getaffinity, 99999, 4, &small));
	result("sched_getaffinity, bad pointer", syscall(SYS_sched_getaffinity, 0, sizeof(set), 8));
	errno = 0;
	printf("nice: %d\n", getpriority(PRIO_PROCESS, 0));
	result("setpriority 5", setpriority(PRIO_PROCESS, 0, 5));
	printf("nice: %d\n", getpriority(PRIO_PROCESS, 0));
	result("setpriority 100 (cut to 19)", setpriority(PRIO_PROCESS, 0, 100));
	printf("nice: %d\n", getpriority(PRIO_PROCESS, 0));
	result("setpriority -3 as root", setpriority(PRIO_PROCESS, 0, -3));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child's nice: %d\n", getpriority(PRIO_PROCESS, 0));
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	result("getpriority which 7", getpriority(7, 0));
	result("getpriority no such pid", getpriority(PRIO_PROCESS, 99999));
	result("setpriority no such pid", setpriority(PRIO_PROCESS, 99999, 0));
	setpriority(PRIO_PROCESS, 0, 0);

	close(fd);
	close(tmp);
	unlink("tmp/fa-file");
	rmdir("tmp/fa-dir");
	return conform_end();
}
