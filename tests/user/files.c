/* Files of the root file system: open, read, pread, lseek, fstat, statx,
 * close, and the errno of each misuse. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>

#include "conform.h"

static uint8_t pattern_byte(uint32_t i)
{
	return (uint8_t)((i * 31 + 7) % 251); /* data/pattern-10000.bin, scripts/mkinitrd.py */
}

static void show_stat(const char *what, const struct stat *st)
{
	/* A directory's size and link count depend on the file system: not shown. */
	if (S_ISDIR(st->st_mode))
		printf("%s: directory, mode %04o\n", what, (unsigned)(st->st_mode & 07777));
	else
		printf("%s: size %lld, %s, mode %04o, nlink %u\n", what, (long long)st->st_size,
		       S_ISREG(st->st_mode) ? "regular" : "other", (unsigned)(st->st_mode & 07777),
		       (unsigned)st->st_nlink);
}

int main(void)
{
	conform_start("files");
	int fd = open("etc/hello.txt", O_RDONLY);
	yes_no("open etc/hello.txt", fd >= 0);
	yes_no("lowest free descriptor (3)", fd == 3);
	char buf[128];
	long n = read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	printf("read %ld bytes: %s", n, buf);
	result_value("read at the end", read(fd, buf, 10));
	result_value("lseek SEEK_SET 6", lseek(fd, 6, SEEK_SET));
	n = read(fd, buf, 4);
	buf[n > 0 ? n : 0] = 0;
	printf("read 4: [%s]\n", buf);
	result_value("lseek SEEK_CUR -2", lseek(fd, -2, SEEK_CUR));
	result_value("lseek SEEK_END -7", lseek(fd, -7, SEEK_END));
	n = read(fd, buf, 100);
	buf[n > 0 ? n : 0] = 0;
	printf("read to the end: %ld [%s]\n", n, buf);
	result_value("lseek past the end", lseek(fd, 1000, SEEK_SET));
	result_value("read there", read(fd, buf, 10));
	result("lseek to -1", lseek(fd, -1, SEEK_SET));
	result("lseek whence 7", lseek(fd, 0, 7));
	result_value("lseek SEEK_CUR 0 after the errors", lseek(fd, 0, SEEK_CUR));
	n = pread(fd, buf, 5, 0);
	buf[n > 0 ? n : 0] = 0;
	printf("pread 5 at 0: [%s]\n", buf);
	result_value("offset unchanged by pread", lseek(fd, 0, SEEK_CUR));
	result("pread at a negative offset", pread(fd, buf, 5, -1));
	loff_t pos = 0;
	result("_llseek to 3", syscall(SYS__llseek, fd, 0, 3, &pos, SEEK_SET));
	printf("_llseek result %lld\n", (long long)pos);

	struct stat st;
	result("fstat", fstat(fd, &st));
	show_stat("etc/hello.txt", &st);
	result("stat data/pattern-10000.bin", stat("data/pattern-10000.bin", &st));
	show_stat("data/pattern-10000.bin", &st);
	result("stat data", stat("data", &st));
	show_stat("data", &st);
	struct statx sx;
	result("statx data/small.txt",
	       statx(AT_FDCWD, "data/small.txt", 0, STATX_BASIC_STATS, &sx));
	printf("statx: size %llu, mode %04o, regular %s, size and mode in the mask %s\n",
	       (unsigned long long)sx.stx_size, sx.stx_mode & 07777,
	       S_ISREG(sx.stx_mode) ? "yes" : "no",
	       (sx.stx_mask & (STATX_SIZE | STATX_MODE)) == (STATX_SIZE | STATX_MODE) ? "yes"
										      : "no");
	result("statx of the fd (AT_EMPTY_PATH)", statx(fd, "", AT_EMPTY_PATH, STATX_SIZE, &sx));
	printf("statx: size %llu\n", (unsigned long long)sx.stx_size);
	result("close", close(fd));
	result("close again", close(fd));
	result("read from the closed fd", read(fd, buf, 1));

	/* A bigger file, in odd-sized pieces: every byte where it belongs. */
	fd = open("data/pattern-10000.bin", O_RDONLY);
	uint32_t total = 0, bad = 0;
	static uint8_t big[10000];
	while ((n = read(fd, big, 777)) > 0) {
		for (long i = 0; i < n; i++)
			bad += big[i] != pattern_byte(total + (uint32_t)i);
		total += (uint32_t)n;
	}
	printf("pattern file: %u bytes read in pieces, %u wrong\n", total, bad);
	result_value("pread 100 at 9950 (50 left)", pread(fd, big, 100, 9950));
	yes_no("those are the last 50 bytes",
	       big[0] == pattern_byte(9950) && big[49] == pattern_byte(9999));
	close(fd);

	fd = open("data/empty", O_RDONLY);
	result_value("read of an empty file", read(fd, buf, 10));
	close(fd);
	fd = open("./data/../data/small.txt", O_RDONLY);
	n = read(fd, buf, 100);
	buf[n > 0 ? n : 0] = 0;
	printf("via ./data/../data/small.txt: [%s]\n", buf);
	close(fd);
	fd = openat(AT_FDCWD, "data/sub/nested.txt", O_RDONLY);
	n = read(fd, buf, 100);
	buf[n > 0 ? n : 0] = 0;
	printf("openat AT_FDCWD: %s", buf);
	close(fd);
	int dir = open("data", O_RDONLY | O_DIRECTORY);
	fd = openat(dir, "sub/nested.txt", O_RDONLY);
	yes_no("openat relative to a directory fd", fd >= 0 && read(fd, buf, 6) == 6);
	close(fd);
	result("read of a directory", read(dir, buf, 10));
	close(dir);

	printf("-- errors\n");
	result("open a missing file", open("etc/no-such-file", O_RDONLY));
	result("open under a file", open("etc/hello.txt/x", O_RDONLY));
	result("open a file with O_DIRECTORY", open("etc/hello.txt", O_RDONLY | O_DIRECTORY));
	result("open an empty path", open("", O_RDONLY));
	result("openat with a bad dirfd", openat(99, "x", O_RDONLY));
	char longname[5000];
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	result("open a 4999-byte name", open(longname, O_RDONLY));
	result("read from fd 99", read(99, buf, 1));
	result("read from fd -1", read(-1, buf, 1));
	result("close fd 99", close(99));
	result("fstat fd 99", fstat(99, &st));
	result("lseek fd 99", lseek(99, 0, SEEK_SET));
	fd = open("etc/hello.txt", O_RDONLY);
	result("write to a read-only fd", write(fd, "x", 1));
	result_value("read of 0 bytes", read(fd, buf, 0));
	close(fd);
	return conform_end();
}
