/* Symbolic links of the root file system: bin/ls and the other BusyBox
 * applets are links to bin/busybox (scripts/mkinitrd.py).  readlink,
 * readlinkat, lstat and stat tell the link from its target; paths through
 * a link resolve; errors as Linux gives them. */
#include <fcntl.h>
#include <sys/stat.h>

#include "conform.h"

static void show_readlink(const char *what, const char *path, size_t size)
{
	char buf[64];
	memset(buf, '#', sizeof(buf));
	long n = syscall(SYS_readlink, path, buf, size);
	if (n < 0) {
		printf("%s: %s\n", what, errno_name(errno));
		return;
	}
	/* No NUL is added: the byte after the target is still '#'. */
	printf("%s: %ld \"%.*s\" next byte '%c'\n", what, n, (int)n, buf, buf[n]);
}

static const char *kind(mode_t m)
{
	return S_ISLNK(m) ? "link" : S_ISREG(m) ? "file" : S_ISDIR(m) ? "dir" : "other";
}

int main(void)
{
	conform_start("symlinks");
	show_readlink("readlink bin/ls", "bin/ls", 64);
	show_readlink("readlink bin/ls, 3 bytes", "bin/ls", 3);
	show_readlink("readlink bin/ls, 0 bytes", "bin/ls", 0);
	show_readlink("readlink a file", "bin/busybox", 64);
	show_readlink("readlink a directory", "bin", 64);
	show_readlink("readlink a missing path", "bin/no-such", 64);
	show_readlink("readlink bin/ls/ (trailing slash)", "bin/ls/", 64);
	result("readlink into a bad buffer", syscall(SYS_readlink, "bin/ls", (void *)16, 64));
	result("readlink of a bad path", syscall(SYS_readlink, (void *)16, (char[8]){0}, 8));

	char buf[64] = {0};
	long n = syscall(SYS_readlinkat, AT_FDCWD, "bin/sh", buf, sizeof(buf));
	printf("readlinkat bin/sh: %ld %s\n", n, n > 0 ? buf : errno_name(errno));
	int dir = open("bin", O_RDONLY | O_DIRECTORY);
	memset(buf, 0, sizeof(buf));
	n = syscall(SYS_readlinkat, dir, "cat", buf, sizeof(buf));
	printf("readlinkat bin fd, cat: %ld %s\n", n, n > 0 ? buf : errno_name(errno));
	close(dir);

	struct stat st, target;
	stat("bin/busybox", &target);
	if (lstat("bin/ls", &st) == 0)
		printf("lstat bin/ls: %s, size %lld\n", kind(st.st_mode), (long long)st.st_size);
	if (stat("bin/ls", &st) == 0)
		printf("stat bin/ls: %s, same inode as bin/busybox: %s\n", kind(st.st_mode),
		       st.st_ino == target.st_ino ? "yes" : "no");
	if (fstatat(AT_FDCWD, "bin/ls", &st, AT_SYMLINK_NOFOLLOW) == 0)
		printf("fstatat nofollow bin/ls: %s\n", kind(st.st_mode));
	if (fstatat(AT_FDCWD, "bin/ls", &st, 0) == 0)
		printf("fstatat bin/ls: %s\n", kind(st.st_mode));

	int fd = open("bin/ls", O_RDONLY);
	char magic[4] = {0};
	yes_no("open bin/ls reads an ELF",
	       fd >= 0 && read(fd, magic, 4) == 4 && memcmp(magic, "\177ELF", 4) == 0);
	close(fd);
	result("open bin/ls/x", open("bin/ls/x", O_RDONLY));
	result("stat bin/ls/", stat("bin/ls/", &st));
	return conform_end();
}
