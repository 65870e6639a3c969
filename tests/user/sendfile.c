/* sendfile64 and sendfile: a file into a pipe, into another file and to
 * /dev/null; with and without an offset (which moves instead of the file's
 * own); short at the end of the file; and the errors Linux gives. */
#include <fcntl.h>
#include <sys/sendfile.h>
#include <sys/stat.h>

#include "conform.h"

static unsigned sum(const char *buf, long n)
{
	unsigned s = 0;
	for (long i = 0; i < n; i++)
		s = s * 31 + (unsigned char)buf[i];
	return s;
}

static long sendfile32(int out, int in, int32_t *off, unsigned count)
{
	return syscall(SYS_sendfile, out, in, off, count);
}

int main(void)
{
	conform_start("sendfile");
	int in = open("data/pattern-10000.bin", O_RDONLY);
	result("open pattern", in);
	static char want[10000], got[10100];
	result_value("read pattern", read(in, want, sizeof(want)));
	lseek(in, 0, SEEK_SET);

	/* Into a pipe, the file's offset moving. */
	int p[2];
	pipe(p);
	result_value("to a pipe, 100 bytes", sendfile(p[1], in, NULL, 100));
	result_value("file offset after", lseek(in, 0, SEEK_CUR));
	result_value("read the pipe", read(p[0], got, sizeof(got)));
	yes_no("same bytes", memcmp(got, want, 100) == 0);

	/* With an offset: the offset moves, the file's does not. */
	off_t off = 5000;
	result_value("at offset 5000, 50 bytes", sendfile(p[1], in, &off, 50));
	printf("offset now %ld\n", (long)off);
	result_value("file offset still", lseek(in, 0, SEEK_CUR));
	result_value("read the pipe", read(p[0], got, sizeof(got)));
	yes_no("same bytes", memcmp(got, want + 5000, 50) == 0);

	/* Into a new file, all of it in one call; then past the end. */
	int out = open("tmp/sendfile-copy", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	result("create tmp/sendfile-copy", out);
	off = 0;
	result_value("whole file", sendfile(out, in, &off, 1 << 20));
	printf("offset now %ld\n", (long)off);
	result_value("past the end", sendfile(out, in, &off, 100));
	off = 9990;
	result_value("last 10 of 100 asked", sendfile(out, in, &off, 100));
	result_value("count 0", sendfile(out, in, NULL, 0));
	close(out);
	int back = open("tmp/sendfile-copy", O_RDONLY);
	long n = read(back, got, 10000);
	printf("copy: %ld bytes, checksum %s\n", n,
	       n == 10000 && sum(got, n) == sum(want, n) ? "same" : "differs");
	/* The copy is a regular file itself: it can be the source. */
	result_value("bytes after", read(back, got, sizeof(got)));
	lseek(back, 0, SEEK_SET);
	result_value("from the copy to a pipe", sendfile(p[1], back, NULL, 64));
	result_value("read the pipe", read(p[0], got, sizeof(got)));
	yes_no("same bytes", memcmp(got, want, 64) == 0);
	close(back);
	unlink("tmp/sendfile-copy");

	int null = open("dev/null", O_WRONLY);
	lseek(in, 0, SEEK_SET);
	result_value("to /dev/null", sendfile(null, in, NULL, 4096));
	result_value("file offset after", lseek(in, 0, SEEK_CUR));

	/* The 32-bit call. */
	int32_t off32 = 9000;
	result_value("sendfile (32-bit) at 9000", sendfile32(p[1], in, &off32, 2000));
	printf("offset now %d\n", off32);
	result_value("read the pipe", read(p[0], got, sizeof(got)));
	yes_no("same bytes", memcmp(got, want + 9000, 1000) == 0);

	/* Errors. */
	result("bad out fd", sendfile(99, in, NULL, 10));
	result("bad in fd", sendfile(p[1], 99, NULL, 10));
	result("out not writable", sendfile(p[0], in, NULL, 10));
	int wo = open("tmp/sendfile-wo", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	result("in not readable", sendfile(p[1], wo, NULL, 10));
	result("in is a pipe", sendfile(wo, p[0], NULL, 10));
	result("in is a pipe, with an offset", sendfile(wo, p[0], &off, 10));
	off = -1;
	result("negative offset", sendfile(p[1], in, &off, 10));
	result("offset pointer bad", sendfile(p[1], in, (off_t *)8, 10));
	result("offset pointer in the kernel", sendfile(p[1], in, (off_t *)0xC0001000u, 10));
	int dir = open("data", O_RDONLY | O_DIRECTORY);
	result("in is a directory", sendfile(p[1], dir, NULL, 10));
	int app = open("tmp/sendfile-wo", O_WRONLY | O_APPEND);
	result("out opened O_APPEND", sendfile(app, in, NULL, 10));
	close(app);
	close(wo);
	close(dir);
	unlink("tmp/sendfile-wo");
	/* Nothing went in by mistake. */
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	result("pipe empty", read(p[0], got, sizeof(got)));
	close(p[0]);
	close(p[1]);
	close(null);
	close(in);
	return conform_end();
}
