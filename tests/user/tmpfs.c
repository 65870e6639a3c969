/* The writable tmp/: create, write, append, truncate, read back, mkdir,
 * rmdir, unlink, rename and their errors; an unlinked file stays readable
 * while open; the umask shapes new modes. */
#include <fcntl.h>
#include <sys/stat.h>

#include "conform.h"

static void show(const char *what, const char *path)
{
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("%s: open: %s\n", what, errno_name(errno));
		return;
	}
	long n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	printf("%s: %ld \"%s\"\n", what, n, buf);
}

int main(void)
{
	conform_start("tmpfs");
	umask(022);
	int fd = open("tmp/a", O_WRONLY | O_CREAT | O_TRUNC, 0666);
	result("create tmp/a", fd);
	result_value("write", write(fd, "hello", 5));
	close(fd);
	show("read back", "tmp/a");
	struct stat st;
	stat("tmp/a", &st);
	printf("mode %o size %lld\n", st.st_mode & 07777, (long long)st.st_size);
	result("O_EXCL on existing", open("tmp/a", O_WRONLY | O_CREAT | O_EXCL, 0600));
	fd = open("tmp/a", O_WRONLY | O_APPEND);
	write(fd, " world", 6);
	close(fd);
	show("appended", "tmp/a");
	fd = open("tmp/a", O_RDWR);
	lseek(fd, 10, SEEK_SET);
	write(fd, "!", 1);
	result("ftruncate 3", ftruncate(fd, 3));
	fstat(fd, &st);
	printf("size after ftruncate: %lld\n", (long long)st.st_size);
	result("ftruncate -1", ftruncate(fd, -1));
	ftruncate(fd, 6);
	char buf[16];
	memset(buf, 'x', sizeof(buf));
	lseek(fd, 0, SEEK_SET);
	long n = read(fd, buf, sizeof(buf));
	printf("grown to 6: %ld bytes, last is zero: %s\n", n,
	       n == 6 && buf[5] == 0 ? "yes" : "no");
	close(fd);
	fd = open("tmp/a", O_RDONLY);
	result("ftruncate read-only fd", ftruncate(fd, 0));
	result("unlink open file", unlink("tmp/a"));
	n = read(fd, buf, sizeof(buf));
	printf("read after unlink: %ld\n", n);
	close(fd);
	result("stat unlinked", stat("tmp/a", &st));
	result("unlink again", unlink("tmp/a"));

	result("mkdir tmp/d", mkdir("tmp/d", 0777));
	stat("tmp/d", &st);
	printf("dir mode %o\n", st.st_mode & 07777);
	result("mkdir again", mkdir("tmp/d", 0777));
	result("mkdir in missing dir", mkdir("tmp/no/d", 0777));
	close(open("tmp/d/f", O_CREAT | O_WRONLY, 0644));
	result("rmdir non-empty", rmdir("tmp/d"));
	result("unlink a directory", unlink("tmp/d"));
	result("rmdir a file", rmdir("tmp/d/f"));
	result("mkdir under a file", mkdir("tmp/d/f/x", 0777));
	result("rename file", rename("tmp/d/f", "tmp/g"));
	result("rename missing", rename("tmp/d/f", "tmp/h"));
	result("rename dir into itself", rename("tmp/d", "tmp/d/sub"));
	mkdir("tmp/e", 0777);
	close(open("tmp/e/f", O_CREAT | O_WRONLY, 0644));
	result("rename dir over non-empty dir", rename("tmp/d", "tmp/e"));
	result("rename file over dir", rename("tmp/g", "tmp/d"));
	result("rename dir over file", rename("tmp/d", "tmp/g"));
	result("rename dir over empty dir",
	       rename("tmp/d", "tmp/e/f2") == 0 ? rename("tmp/e/f2", "tmp/d") : -1);
	result("rename onto itself", rename("tmp/g", "tmp/g"));
	result("unlink", unlink("tmp/g"));
	result("unlink", unlink("tmp/e/f"));
	result("rmdir", rmdir("tmp/e"));
	result("rmdir", rmdir("tmp/d"));
	result("rmdir missing", rmdir("tmp/d"));
	result("unlinkat bad flag", unlinkat(AT_FDCWD, "tmp/x", 1));
	result("mkdir bad path pointer", syscall(SYS_mkdir, (void *)16, 0777));
	result("access tmp W_OK", access("tmp", W_OK));
	result("access bad mode", access("tmp", 8));
	result("access bin/busybox X_OK", access("bin/busybox", X_OK));
	result("access etc/hello.txt X_OK", access("etc/hello.txt", X_OK));
	return conform_end();
}
