/* Allocates and touches memory a megabyte at a time until it cannot:
 * either malloc fails (it prints how far it got and exits 0) or the kernel
 * ends it for want of frames (issue 13: one line, SIGKILL status, and the
 * system goes on).  For the kernel's own tests only: on a host it would
 * just eat the host's memory, so no conformance recording runs it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (1024 * 1024)

int main(int argc, char **argv)
{
	long limit = argc > 1 ? atol(argv[1]) : 4096; /* MiB; a bound for safety */
	long got = 0;
	while (got < limit) {
		char *p = malloc(CHUNK);
		if (!p)
			break;
		memset(p, 0x5A, CHUNK);
		got++;
	}
	printf("memhog: %s after %ld MiB\n", got < limit ? "malloc failed" : "reached the limit",
	       got);
	return 0;
}
