/* MAP_SHARED | MAP_ANONYMOUS memory is one memory for the parent and all
 * its children, across fork, while private mappings next to it are not. */
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

int main(void)
{
	conform_start("shared_anon");
	volatile uint32_t *shared =
		mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	volatile uint32_t *private =
		mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	yes_no("shared mapping", shared != MAP_FAILED);
	yes_no("reads as zero", shared[0] == 0 && shared[4 * PAGE / 4 - 1] == 0);
	shared[0] = 1;
	private[0] = 1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		printf("child sees shared %u private %u\n", shared[0], private[0]);
		shared[0] = 2;
		shared[PAGE / 4 * 3 + 5] = 77; /* a page the parent never touched */
		private[0] = 2;
		_exit(0);
	}
	int status;
	waitpid(pid, &status, 0);
	printf("parent after the child: shared %u, untouched page %u, private %u\n", shared[0],
	       shared[PAGE / 4 * 3 + 5], private[0]);

	/* Three children add to a counter, one at a time. */
	for (int i = 0; i < 3; i++) {
		fflush(stdout);
		if ((pid = fork()) == 0) {
			for (int k = 0; k < 1000; k++)
				shared[1]++;
			_exit(0);
		}
		waitpid(pid, &status, 0);
	}
	printf("counter after three children: %u\n", shared[1]);

	/* A grandchild writes; the grandparent sees it. */
	fflush(stdout);
	if ((pid = fork()) == 0) {
		pid_t g = fork();
		if (g == 0) {
			shared[2] = 0xabcd;
			_exit(0);
		}
		waitpid(g, NULL, 0);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	printf("grandchild's write seen: 0x%x\n", shared[2]);

	result("munmap the shared mapping", munmap((void *)shared, 4 * PAGE));
	return conform_end();
}
