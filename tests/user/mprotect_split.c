/* mprotect and munmap of part of a mapping split it: each page keeps the
 * protection it was last given, holes fault, and a range with a hole is
 * refused by mprotect (ENOMEM) but not by munmap. */
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

#define PAGES 8

static uint8_t *base;
static int page_no;

static void write_page(void)
{
	base[page_no * PAGE + 1] = 1;
}

static void read_page(void)
{
	volatile uint8_t v = base[page_no * PAGE + 1];
	(void)v;
}

/* Whether fn survives on page page_no, in a child. */
static int survives(void (*fn)(void))
{
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		fn();
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	return WIFEXITED(status);
}

/* For each page: w if a write works, r if only a read does, - if neither. */
static void probe(const char *what)
{
	char map[PAGES + 1];
	for (page_no = 0; page_no < PAGES; page_no++)
		map[page_no] = survives(write_page) ? 'w' : survives(read_page) ? 'r' : '-';
	map[PAGES] = 0;
	printf("%-40s %s\n", what, map);
}

int main(void)
{
	conform_start("mprotect_split");
	base = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	for (int i = 0; i < PAGES; i++)
		base[i * PAGE] = (uint8_t)i;
	probe("fresh read-write mapping");
	result("mprotect page 2 read-only", mprotect(base + 2 * PAGE, PAGE, PROT_READ));
	probe("page 2 read-only");
	result("mprotect pages 4-5 PROT_NONE", mprotect(base + 4 * PAGE, 2 * PAGE, PROT_NONE));
	probe("pages 4-5 none");
	result("mprotect pages 1-6 read-only", mprotect(base + PAGE, 6 * PAGE, PROT_READ));
	probe("pages 1-6 read-only");
	result("mprotect page 3 read-write again",
	       mprotect(base + 3 * PAGE, PAGE, PROT_READ | PROT_WRITE));
	probe("page 3 read-write");
	result("munmap page 5", munmap(base + 5 * PAGE, PAGE));
	probe("page 5 unmapped");
	result("mprotect pages 4-6 (page 5 is a hole)",
	       mprotect(base + 4 * PAGE, 3 * PAGE, PROT_READ | PROT_WRITE));
	probe("after the refused mprotect");
	result("mprotect pages 0-7 read-write (hole)",
	       mprotect(base, PAGES * PAGE, PROT_READ | PROT_WRITE));
	probe("after that");
	result("munmap pages 4-6 (over the hole)", munmap(base + 4 * PAGE, 3 * PAGE));
	probe("pages 4-6 unmapped");
	int kept = 1;
	for (int i = 0; i < PAGES; i++)
		if (i < 4 || i == 7)
			kept &= base[i * PAGE] == (uint8_t)i;
	yes_no("the pages left kept their bytes", kept);
	result("mprotect pages 0-3 read-write", mprotect(base, 4 * PAGE, PROT_READ | PROT_WRITE));
	result("mprotect page 7 read-write",
	       mprotect(base + 7 * PAGE, PAGE, PROT_READ | PROT_WRITE));
	probe("all that is left read-write");
	result("munmap everything", munmap(base, PAGES * PAGE));
	probe("all unmapped");
	return conform_end();
}
