/* MAP_SHARED mappings of a file in the writable tmp/: a store through the
 * mapping is what read() returns and what every other mapping of the file
 * sees, in this process and in others; write() shows through the mapping;
 * ftruncate moves the end (SIGBUS past it, zeros when it grows back); the
 * mapping outlives the descriptor and the name; a private mapping of the
 * same file keeps its writes; and the access rules of a read-only
 * descriptor. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

#define NAME	"tmp/shared-file"
#define INITIAL (3u * PAGE + 100u)

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

static void wait_byte(int fd)
{
	char c;
	if (read(fd, &c, 1) != 1)
		_exit(9);
}

static void send_byte(int fd)
{
	if (write(fd, "x", 1) != 1)
		_exit(9);
}

/* pwrite, from lseek and write (every kernel has them). */
static void put_at(int fd, const char *s, off_t off)
{
	lseek(fd, off, SEEK_SET);
	write(fd, s, strlen(s));
}

static char byte_at(int fd, off_t off)
{
	char c = '?';
	if (pread(fd, &c, 1, off) != 1)
		return '-';
	return c;
}

int main(void)
{
	conform_start("shared_file");
	int fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
	static char block[INITIAL];
	for (uint32_t i = 0; i < INITIAL; i++)
		block[i] = (char)('a' + i % 26);
	result_value("write the file", write(fd, block, INITIAL));
	volatile char *p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	yes_no("shared writable mapping", p != MAP_FAILED);
	printf("mapping shows the file: %c%c%c ... %c\n", p[0], p[1], p[2], p[INITIAL - 1]);
	yes_no("past the end of the file the last page reads as zero", p[INITIAL] == 0);

	p[10] = 'X';
	p[2 * PAGE + 1] = 'Y';
	printf("read() after stores through the mapping: %c %c\n", byte_at(fd, 10),
	       byte_at(fd, 2 * PAGE + 1));
	put_at(fd, "WVU", 20);
	put_at(fd, "T", 3 * PAGE + 5);
	printf("mapping after write(): %c%c%c %c\n", p[20], p[21], p[22], p[3 * PAGE + 5]);

	/* Another process with a mapping of its own, and one through the
	 * inherited mapping, on pages this process has not touched yet. */
	int down[2], up[2];
	pipe(down);
	pipe(up);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		int own = open(NAME, O_RDWR);
		volatile char *q = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, own, 0);
		q[PAGE + 7] = 'C';
		p[3 * PAGE + 50] = 'D';
		send_byte(up[1]);
		wait_byte(down[0]);
		printf("child's own mapping sees the parent's store: %c\n", q[PAGE + 9]);
		fflush(stdout);
		_exit(0);
	}
	wait_byte(up[0]);
	printf("parent sees the child's stores: %c %c\n", p[PAGE + 7], p[3 * PAGE + 50]);
	p[PAGE + 9] = 'P';
	send_byte(down[1]);
	waitpid(pid, NULL, 0);
	printf("read() sees them too: %c %c\n", byte_at(fd, PAGE + 7), byte_at(fd, 3 * PAGE + 50));

	/* A private mapping of the same file: the file itself until it writes a
	 * page, then a copy of that page, which never reaches the file. */
	volatile char *priv = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	priv[0] = 'Q';
	printf("private mapping: %c, file and shared mapping: %c %c\n", priv[0], byte_at(fd, 0),
	       p[0]);
	char before = priv[PAGE + 1];
	put_at(fd, "N", PAGE + 1);
	p[PAGE + 2] = 'O';
	printf("a page it only read follows the file: %c -> %c %c\n", before, priv[PAGE + 1],
	       priv[PAGE + 2]);
	priv[PAGE + 3] = 'q';
	put_at(fd, "K", PAGE + 4);
	printf("once written, its own: %c %c, the file %c %c\n", priv[PAGE + 3], priv[PAGE + 4],
	       byte_at(fd, PAGE + 3), byte_at(fd, PAGE + 4));
	munmap((void *)priv, 2 * PAGE);

	/* Shrinking: pages past the new end are gone (SIGBUS), the rest stays. */
	result("ftruncate to 1.5 pages", ftruncate(fd, PAGE + PAGE / 2));
	target = (volatile uint8_t *)p + 2 * PAGE;
	in_child("touch a page past the new end", touch);
	printf("inside: %c, past the end in the last page: %d\n", p[PAGE + 7], p[PAGE + PAGE / 2]);
	result("ftruncate back to 3 pages", ftruncate(fd, 3 * PAGE));
	printf("grown back: %d %d, still there: %c\n", p[2 * PAGE + 1], p[PAGE + PAGE / 2 + 1],
	       p[PAGE + 7]);
	target = (volatile uint8_t *)p + 3 * PAGE;
	in_child("touch the page past the end", touch);

	/* Growing by write() makes the page reachable again. */
	put_at(fd, "Z", 3 * PAGE + 10);
	printf("after write() grew it: %c\n", p[3 * PAGE + 10]);

	/* Split by mprotect and munmap: what is left is still the file. */
	result("mprotect page 1 read-only", mprotect((void *)(p + PAGE), PAGE, PROT_READ));
	target = (volatile uint8_t *)p + PAGE;
	in_child("write the read-only page", poke);
	result("munmap page 2", munmap((void *)(p + 2 * PAGE), PAGE));
	p[3] = 'S';
	p[3 * PAGE + 9] = 'R';
	printf("around the holes: %c %c %c\n", byte_at(fd, 3), byte_at(fd, 3 * PAGE + 9),
	       p[PAGE + 7]);

	/* The mapping outlives the descriptor and the name. */
	close(fd);
	result("unlink", unlink(NAME));
	p[4] = 'U';
	printf("after close and unlink: %c %c\n", p[4], p[3]);
	munmap((void *)p, 4 * PAGE);

	/* A read-only descriptor: shared mappings may only read. */
	fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, block, PAGE);
	close(fd);
	fd = open(NAME, O_RDONLY);
	result("shared writable mapping of a read-only fd",
	       (long)mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0));
	p = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	yes_no("shared read-only mapping of it", p != MAP_FAILED);
	result("mprotect it writable", mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE));
	target = (volatile uint8_t *)p;
	in_child("write to it", poke);
	munmap((void *)p, PAGE);
	p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
	result("mprotect a private mapping of it writable",
	       mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE));
	p[0] = '!';
	printf("private write: %c, file: %c\n", p[0], byte_at(fd, 0));
	munmap((void *)p, PAGE);
	close(fd);

	/* msync: checks its arguments, flushes nothing that needs it here. */
	fd = open(NAME, O_RDWR);
	p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	munmap((void *)(p + PAGE), PAGE);
	p[0] = 'M';
	result("msync MS_SYNC", msync((void *)p, PAGE, MS_SYNC));
	result("msync MS_ASYNC | MS_INVALIDATE", msync((void *)p, PAGE, MS_ASYNC | MS_INVALIDATE));
	result("msync MS_ASYNC | MS_SYNC", msync((void *)p, PAGE, MS_ASYNC | MS_SYNC));
	result("msync unknown flag", msync((void *)p, PAGE, 8));
	result("msync unaligned", msync((void *)(p + 1), PAGE, MS_SYNC));
	result("msync past the mapping", msync((void *)p, 2 * PAGE, MS_SYNC));
	result("msync length 0", msync((void *)p, 0, MS_SYNC));
	printf("read() after msync: %c\n", byte_at(fd, 0));
	munmap((void *)p, PAGE);
	close(fd);
	unlink(NAME);
	return conform_end();
}
