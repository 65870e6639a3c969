/* getdents64: every entry of a directory exactly once with its type,
 * records that tile the buffer, listings in small buffers, and errors.
 * Names are printed sorted: the order of a directory is the file
 * system's own. */
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>

#include "conform.h"

struct linux_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	uint16_t d_reclen;
	uint8_t d_type;
	char d_name[];
};

static const char *type_name(int t)
{
	switch (t) {
	case DT_REG: return "file";
	case DT_DIR: return "dir";
	case DT_LNK: return "symlink";
	case DT_UNKNOWN: return "unknown";
	default: return "other";
	}
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists path with getdents64 in buffers of bufsize bytes. */
static void list(const char *path, unsigned bufsize)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY);
	if (fd < 0) {
		printf("%s: open: %s\n", path, errno_name(errno));
		return;
	}
	static char names[64][300];
	char *sorted[64];
	int count = 0, calls = 0, tiled = 1;
	char buf[4096] __attribute__((aligned(8)));
	long n;
	while ((n = syscall(SYS_getdents64, fd, buf, bufsize)) > 0) {
		calls++;
		long off = 0;
		while (off < n) {
			struct linux_dirent64 *d = (struct linux_dirent64 *)(buf + off);
			if (d->d_reclen == 0 || d->d_reclen % 8 != 0 || off + d->d_reclen > n) {
				tiled = 0;
				break;
			}
			if (count < 64)
				snprintf(names[count++], sizeof(names[0]), "%s %s", d->d_name,
					 type_name(d->d_type));
			off += d->d_reclen;
		}
	}
	if (n < 0)
		printf("%s: getdents64 with %u bytes: %s\n", path, bufsize, errno_name(errno));
	for (int i = 0; i < count; i++)
		sorted[i] = names[i];
	qsort(sorted, (size_t)count, sizeof(sorted[0]), cmp);
	printf("%s (buffer %u): %d entries, records tile the buffer: %s, more than one call: %s\n",
	       path, bufsize, count, tiled ? "yes" : "no", calls > 1 ? "yes" : "no");
	for (int i = 0; i < count; i++)
		printf("  %s\n", sorted[i]);
	result_value("  getdents64 at the end", syscall(SYS_getdents64, fd, buf, bufsize));
	close(fd);
}

int main(void)
{
	conform_start("getdents");
	list("etc", 4096); /* not ".": Linux adds dev/ and root/ to its own initramfs */
	list("data", 4096);
	list("data", 64); /* room for about one record a call */
	list("data/sub", 4096);
	list("data/emptydir", 4096);

	/* opendir/readdir: glibc's own walk over the same call. */
	DIR *d = opendir("etc");
	int n = 0, hello = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		n++;
		hello |= strcmp(e->d_name, "hello.txt") == 0;
	}
	if (d)
		closedir(d);
	printf("readdir etc: %d entries, hello.txt among them: %s\n", n, hello ? "yes" : "no");

	/* Rewinding with lseek lists the directory again. */
	int fd = open("data/sub", O_RDONLY | O_DIRECTORY);
	char buf[4096] __attribute__((aligned(8)));
	long first = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	result_value("lseek a directory to 0", lseek(fd, 0, SEEK_SET));
	yes_no("lists the same bytes again",
	       syscall(SYS_getdents64, fd, buf, sizeof(buf)) == first);
	result("getdents64 with a 1-byte buffer", syscall(SYS_getdents64, fd, buf, 1));
	close(fd);

	printf("-- errors\n");
	fd = open("etc/hello.txt", O_RDONLY);
	result("getdents64 on a file", syscall(SYS_getdents64, fd, buf, sizeof(buf)));
	close(fd);
	result("getdents64 on fd 99", syscall(SYS_getdents64, 99, buf, sizeof(buf)));
	result("open a file with O_DIRECTORY", open("etc/hello.txt", O_RDONLY | O_DIRECTORY));
	return conform_end();
}
