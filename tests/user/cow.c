/* Copy-on-write as a program sees it: after fork, each process has its
 * own copy of every private page (data, bss, heap, stack, private
 * mappings), over several generations, whoever writes first. */
#include <stdint.h>
#include <sched.h>
#include <sys/mman.h>

#include "conform.h"

#define GENERATIONS 4
#define HEAP_BYTES  (256 * 1024)

static int data_var = 100;
static int bss_var;
static uint8_t *heap;
static uint8_t *anon;

static uint32_t sum(const uint8_t *p, uint32_t n)
{
	uint32_t s = 0;
	for (uint32_t i = 0; i < n; i++)
		s = s * 31 + p[i];
	return s;
}

/* Generation g checks it sees what its parent wrote, writes its own
 * values, forks g + 1, waits, and checks the child's writes did not reach
 * it. */
static int generation(int g)
{
	int stack_var = 1000 + g;
	printf("gen %d: sees data %d bss %d heap[0] %d anon[0] %d\n", g, data_var, bss_var, heap[0],
	       anon[0]);
	data_var = 100 + g;
	bss_var = g;
	memset(heap, g, HEAP_BYTES);
	memset(anon, 0x40 + g, 8 * PAGE);
	uint32_t heap_sum = sum(heap, HEAP_BYTES), anon_sum = sum(anon, 8 * PAGE);
	if (g + 1 < GENERATIONS) {
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(generation(g + 1));
		int status;
		waitpid(pid, &status, 0);
		printf("gen %d: child %s\n", g, status_text(status));
	}
	int ok = data_var == 100 + g && bss_var == g && stack_var == 1000 + g &&
		 sum(heap, HEAP_BYTES) == heap_sum && sum(anon, 8 * PAGE) == anon_sum;
	printf("gen %d: own values intact after the child wrote: %s\n", g, ok ? "yes" : "no");
	return ok ? 0 : 1;
}

int main(void)
{
	conform_start("cow");
	heap = malloc(HEAP_BYTES);
	anon = mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(heap, 0, HEAP_BYTES);
	generation(0);

	/* The parent writes first this time, while the child only reads. */
	memset(anon, 1, 8 * PAGE);
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		sched_yield();
		int ones = 1;
		for (uint32_t i = 0; i < 8 * PAGE; i++)
			ones &= anon[i] == 1;
		printf("child: still sees the bytes from before the fork: %s\n",
		       ones ? "yes" : "no");
		_exit(0);
	}
	memset(anon, 2, 8 * PAGE);
	int status;
	waitpid(pid, &status, 0);
	printf("parent wrote after fork; child %s\n", status_text(status));
	yes_no("parent sees its own bytes", anon[0] == 2 && anon[8 * PAGE - 1] == 2);

	/* Pages never written after fork stay shared and readable in both. */
	const char *text = "read-only data survives";
	fflush(stdout);
	if ((pid = fork()) == 0) {
		printf("child reads: %s\n", text);
		_exit(0);
	}
	waitpid(pid, &status, 0);

	/* Many children of one parent, each writing the same page. */
	for (int i = 0; i < 5; i++) {
		fflush(stdout);
		if ((pid = fork()) == 0) {
			anon[0] = (uint8_t)(10 + i);
			_exit(anon[0]);
		}
		waitpid(pid, &status, 0);
		printf("child %d wrote and exited with %d; parent still has %d\n", i,
		       WEXITSTATUS(status), anon[0]);
	}
	return conform_end();
}
