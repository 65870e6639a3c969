/* printf and malloc: what every glibc program needs first (stdio on the
 * console, brk and mmap behind malloc). */
#include <stdint.h>

#include "conform.h"

int main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	conform_start("hello");
	printf("hello, world\n");
	printf("ints: %d %u %x %o %ld %lld\n", -42, 42u, 0xbeefu, 8u, -1L, 1234567890123LL);
	printf("strings: [%s] [%10s] [%-6s] [%.3s] %c\n", "abc", "right", "left", "truncate", 'z');
	printf("floats: %.3f %e %g\n", 3.14159, 12345.678, 0.0001);
	char buf[64];
	int n = snprintf(buf, sizeof(buf), "%05d|%+d|%#x", 7, 7, 255);
	printf("snprintf: %s (%d chars)\n", buf, n);

	/* Small blocks come from brk, a large one from mmap. */
	char *small[16];
	int ok = 1;
	for (int i = 0; i < 16; i++) {
		small[i] = malloc(24 + i * 40);
		if (!small[i])
			ok = 0;
		else
			memset(small[i], i, 24 + i * 40);
	}
	for (int i = 0; i < 16; i++)
		for (int j = 0; ok && j < 24 + i * 40; j++)
			if (small[i][j] != i)
				ok = 0;
	yes_no("16 small blocks hold their bytes", ok);
	for (int i = 0; i < 16; i += 2)
		free(small[i]);
	char *big = malloc(300000);
	yes_no("300000-byte block", big != NULL);
	memset(big, 7, 300000);
	yes_no("its last byte", big[299999] == 7);
	free(big);
	int *z = calloc(1000, sizeof(int));
	int zeros = 1;
	for (int i = 0; i < 1000; i++)
		zeros &= z[i] == 0;
	yes_no("calloc zeroed", zeros);
	z = realloc(z, 100000 * sizeof(int));
	z[99999] = 5;
	yes_no("realloc kept the start", z[0] == 0 && z[999] == 0 && z[99999] == 5);
	free(z);
	for (int i = 1; i < 16; i += 2)
		free(small[i]);
	char *s = strdup("duplicated string");
	printf("strdup: %s\n", s);
	free(s);
	/* Many blocks, freed in a different order: the heap stays usable. */
	void *many[1000];
	for (int i = 0; i < 1000; i++)
		many[i] = malloc((size_t)(i % 37) * 16 + 1);
	for (int i = 0; i < 1000; i += 3)
		free(many[i]);
	for (int i = 1; i < 1000; i += 3)
		free(many[i]);
	for (int i = 2; i < 1000; i += 3)
		free(many[i]);
	yes_no("1000 blocks allocated and freed", 1);
	puts("puts works too");
	fputs("fputs to stdout\n", stdout);
	return conform_end();
}
