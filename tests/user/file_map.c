/* Mapping files of the root file system: private and shared read
 * mappings show the file's bytes, a private write stays private, offsets
 * work, the partial last page reads as zero past the end of the file, a
 * page wholly past the end raises SIGBUS, and the errors of a bad
 * mapping. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

#define FILE_SIZE 10000u

static uint8_t pattern_byte(uint32_t i)
{
	return (uint8_t)((i * 31 + 7) % 251); /* data/pattern-10000.bin, scripts/mkinitrd.py */
}

static volatile uint8_t *target;

static void touch(void)
{
	printf("read %d\n", target[0]);
}

static void poke(void)
{
	target[0] = 1;
	printf("wrote\n");
}

static int matches(const volatile uint8_t *p, uint32_t from, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (p[i] != pattern_byte(from + i))
			return 0;
	return 1;
}

int main(void)
{
	conform_start("file_map");
	int fd = open("data/pattern-10000.bin", O_RDONLY);
	uint8_t *p = mmap(NULL, FILE_SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
	yes_no("private read-only mapping", p != MAP_FAILED);
	yes_no("holds the file's 10000 bytes", matches(p, 0, FILE_SIZE));
	int zero = 1;
	for (uint32_t i = FILE_SIZE; i < 3 * PAGE; i++)
		zero &= p[i] == 0;
	yes_no("rest of the last page reads as zero", zero);
	target = p;
	in_child("write to it", poke);
	munmap(p, FILE_SIZE);

	p = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	yes_no("private writable mapping of a read-only fd", p != MAP_FAILED);
	p[0] = 0xEE;
	p[5000] = 0xEE;
	uint8_t b[2];
	pread(fd, b, 1, 0);
	pread(fd, b + 1, 1, 5000);
	yes_no("the write changed the mapping", p[0] == 0xEE && p[5000] == 0xEE);
	yes_no("but not the file", b[0] == pattern_byte(0) && b[1] == pattern_byte(5000));
	uint8_t *p2 = mmap(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	yes_no("a second mapping sees the file, not the first one's write", matches(p2, 0, 100));
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child sees the parent's private write: %s\n", p[0] == 0xEE ? "yes" : "no");
		p[1] = 0xDD;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	yes_no("child's write to the private copy stayed in the child", p[1] == pattern_byte(1));
	munmap(p, 3 * PAGE);
	munmap(p2, 3 * PAGE);

	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 2 * PAGE);
	yes_no("offset 8192: its first byte is the file's byte 8192",
	       p != MAP_FAILED && p[0] == pattern_byte(8192));
	yes_no("and byte 9999 is at 1807", p[1807] == pattern_byte(9999) && p[1808] == 0);
	munmap(p, PAGE);

	uint8_t *s = mmap(NULL, 3 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	yes_no("shared read-only mapping of a read-only fd",
	       s != MAP_FAILED && matches(s, 0, FILE_SIZE));
	munmap(s, 3 * PAGE);

	/* Four pages of a file that ends in the third: the fourth is past the end. */
	p = mmap(NULL, 4 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	target = p + 2 * PAGE + 1900; /* file offset 10092 */
	in_child("read in the last page, past the end of the file", touch);
	target = p + 3 * PAGE;
	in_child("read of a page wholly past the end of the file", touch);
	target = p + 3 * PAGE + 4095;
	in_child("read of its last byte", touch);
	munmap(p, 4 * PAGE);

	/* A file of exactly one page. */
	int fd2 = open("data/page-4096.bin", O_RDONLY);
	p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd2, 0);
	yes_no("one-page file: last byte", p[4095] == (uint8_t)((4095 * 7 + 1) % 251));
	target = p + PAGE;
	in_child("shared mapping, page past the end", touch);
	munmap(p, 2 * PAGE);
	close(fd2);

	/* The mapping outlives the descriptor. */
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	yes_no("mapping still readable after close(fd)", matches(p, 0, PAGE));
	munmap(p, PAGE);

	printf("-- errors\n");
	fd = open("data/pattern-10000.bin", O_RDONLY);
	result("shared writable mapping of a read-only fd",
	       syscall(SYS_mmap2, 0, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	result("offset not page-aligned (glibc mmap)",
	       (long)mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 100));
	result("length 0", syscall(SYS_mmap2, 0, 0, PROT_READ, MAP_PRIVATE, fd, 0));
	result("closed descriptor", syscall(SYS_mmap2, 0, PAGE, PROT_READ, MAP_PRIVATE, 77, 0));
	int wfd = open("data/small.txt", O_RDONLY);
	result("mapping beyond the end of a small file is allowed",
	       syscall(SYS_mmap2, 0, 4 * PAGE, PROT_READ, MAP_PRIVATE, wfd, 10));
	close(wfd);
	close(fd);
	return conform_end();
}
