/* MAP_SHARED | MAP_ANONYMOUS memory across fork when its pages are first
 * touched only after the fork: by the child, by the parent, by both at
 * different times, and down several generations; then the same after
 * munmap, mprotect and MAP_FIXED have split the mapping, and across an exec
 * and an early munmap of another sharer. */
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

#define PAGES 8u
#define WORDS (PAGE / 4u)

static volatile uint32_t *shm;

/* Word w of page p of the shared mapping. */
static volatile uint32_t *at(uint32_t p, uint32_t w)
{
	return &shm[p * WORDS + w];
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

/* Generation `depth` forks the next until the last, which writes a page no
 * one has touched; each generation adds its depth on the way back up. */
static void generation(uint32_t depth, uint32_t last)
{
	if (depth == last) {
		*at(5, 0) = 1000;
		return;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		generation(depth + 1, last);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	*at(5, 0) += depth;
	*at(5, depth + 1) = *at(5, 0); /* what this generation saw */
}

static void write_hole(void)
{
	*at(3, 0) = 1;
}

static void write_readonly(void)
{
	*at(1, 1) = 1;
}

int main(void)
{
	conform_start("shared_fork");
	shm = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	yes_no("shared mapping, nothing touched", shm != MAP_FAILED);

	/* The child touches page 1 first. */
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		*at(1, 7) = 71;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("page first written by the child: %u\n", *at(1, 7));

	/* The parent touches page 2 first, while the child waits; then the child
	 * reads it and answers in page 3, which the parent never touched. */
	int down[2], up[2];
	pipe(down);
	pipe(up);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		wait_byte(down[0]);
		*at(3, 0) = *at(2, 0) + 1;
		_exit(0);
	}
	*at(2, 0) = 20;
	send_byte(down[1]);
	waitpid(pid, NULL, 0);
	printf("parent wrote 20 after the fork, child answered %u\n", *at(3, 0));

	/* Both touch page 4 after the fork: the child reads it first (a zero
	 * page of its own would do for that), then the parent writes it. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		uint32_t before = *at(4, 0);
		send_byte(up[1]);
		wait_byte(down[0]);
		*at(4, 1) = before;
		*at(4, 2) = *at(4, 0);
		_exit(0);
	}
	wait_byte(up[0]);
	*at(4, 0) = 44;
	send_byte(down[1]);
	waitpid(pid, NULL, 0);
	printf("child read %u before the parent's write and %u after it\n", *at(4, 1), *at(4, 2));

	/* Four generations below this one; page 5 is untouched until the last. */
	generation(0, 4);
	printf("after four generations: %u (seen %u %u %u %u)\n", *at(5, 0), *at(5, 4), *at(5, 3),
	       *at(5, 2), *at(5, 1));

	/* Split by munmap: the middle goes, both ends stay one memory. */
	result("munmap page 3", munmap((void *)at(3, 0), PAGE));
	in_child("child touches the unmapped page", write_hole);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		*at(7, 0) = 77; /* first touch, above the hole */
		*at(6, 0) = 66;
		*at(0, 0) = 1; /* below it */
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("after the split: page 0 %u, page 6 %u, page 7 %u\n", *at(0, 0), *at(6, 0),
	       *at(7, 0));

	/* Split by mprotect: a read-only page in the middle. */
	result("mprotect page 1 read-only", mprotect((void *)at(1, 0), PAGE, PROT_READ));
	in_child("child writes the read-only page", write_readonly);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		*at(2, 5) = 25;
		*at(0, 5) = *at(1, 7);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("around the read-only page: %u %u\n", *at(2, 5), *at(0, 5));
	result("mprotect it writable again",
	       mprotect((void *)at(1, 0), PAGE, PROT_READ | PROT_WRITE));
	fflush(stdout);
	if ((pid = fork()) == 0) {
		*at(1, 8) = 18;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("written again through it: %u\n", *at(1, 8));

	/* MAP_FIXED puts a private page over page 6: it leaves the shared memory,
	 * the rest stays in it. */
	void *fixed = mmap((void *)at(6, 0), PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	yes_no("MAP_FIXED private page over page 6", fixed == (void *)at(6, 0));
	fflush(stdout);
	if ((pid = fork()) == 0) {
		*at(6, 1) = 61;
		*at(7, 1) = 71;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("private page %u %u, shared page %u\n", *at(6, 0), *at(6, 1), *at(7, 1));

	/* A sharer lets go of everything before its child, which still shares
	 * with this process, writes. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		pid_t g = fork();
		if (g == 0) {
			wait_byte(down[0]);
			*at(0, 9) = 9;
			*at(2, 9) = 29;
			_exit(0);
		}
		munmap((void *)shm, PAGES * PAGE);
		send_byte(down[1]);
		waitpid(g, NULL, 0);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	printf("written after its parent let go: page 0 %u, page 2 %u\n", *at(0, 9), *at(2, 9));

	/* A sharer that writes and then runs another program lets go of the
	 * mapping with its old space; what it wrote stays. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		*at(7, 11) = 711;
		char *argv[] = {"bench_true", NULL};
		execv("bin/bench_true", argv);
		_exit(1);
	}
	int status = 0;
	waitpid(pid, &status, 0);
	printf("written before an exec: %u (%s)\n", *at(7, 11), status_text(status));

	result("munmap all", munmap((void *)shm, PAGES * PAGE));
	return conform_end();
}
