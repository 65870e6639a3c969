/* Calls that would hang an entry under a removed directory, or let a
 * mapping with a file or shared memory behind it grow down: Linux refuses
 * both, and so must Toyix (an entry under a freed directory would keep a
 * dangling parent; a region that grows down shifts its pages' offsets). */
#include <fcntl.h>
#include <sys/mman.h>
#include <stdio.h>
#include <sys/stat.h>

#include "conform.h"

static void removed_directory(void)
{
	mkdir("tmp/rd_gone", 0755);
	mkdir("tmp/rd_moved", 0755);
	int cwd = open(".", O_RDONLY | O_DIRECTORY);
	result("chdir into tmp/rd_gone", chdir("tmp/rd_gone"));
	result("rmdir it while it is the working directory", rmdir("../rd_gone"));
	result("rename a directory into it", renameat(cwd, "tmp/rd_moved", AT_FDCWD, "moved"));
	int fd = openat(cwd, "tmp/rd_file", O_WRONLY | O_CREAT, 0644);
	close(fd);
	result("rename a file into it", renameat(cwd, "tmp/rd_file", AT_FDCWD, "file"));
	result("create a file in it", open("f", O_WRONLY | O_CREAT, 0644));
	result("mkdir in it", mkdir("sub", 0755));
	result("back to the start", fchdir(cwd));
	close(cwd);
	struct stat st;
	yes_no("the directory stayed where it was", stat("tmp/rd_moved", &st) == 0);
	result("rmdir tmp/rd_moved", rmdir("tmp/rd_moved"));
	result("unlink tmp/rd_file", unlink("tmp/rd_file"));
}

static long map_result(void *p)
{
	return p == MAP_FAILED ? -1 : 0;
}

static void growing_down(void)
{
	void *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	result("shared anonymous MAP_GROWSDOWN", map_result(p));
	int fd = open("tmp/rd_file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char page[PAGE];
	write(fd, page, sizeof(page));
	write(fd, page, sizeof(page));
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE | MAP_GROWSDOWN, fd, 0);
	result("private file MAP_GROWSDOWN", map_result(p));
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED | MAP_GROWSDOWN, fd, 0);
	result("shared file MAP_GROWSDOWN", map_result(p));
	close(fd);
	unlink("tmp/rd_file");
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
	result("private anonymous MAP_GROWSDOWN", map_result(p));
	if (p != MAP_FAILED) {
		((char *)p)[0] = 1;
		result("munmap it", munmap(p, 2 * PAGE));
	}
}

int main(void)
{
	conform_start("removed_dir");
	removed_directory();
	growing_down();
	return 0;
}
