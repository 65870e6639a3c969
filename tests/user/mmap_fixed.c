/* MAP_FIXED replaces whatever was mapped in its range, page for page,
 * leaving the rest of the old mappings as they were; hints without
 * MAP_FIXED are only hints. */
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

static volatile uint8_t *target;

static void poke(void)
{
	target[0] = 1;
	printf("wrote\n");
}

static void show(const char *what, const uint8_t *p, int pages)
{
	printf("%s:", what);
	for (int i = 0; i < pages; i++)
		printf(" %d", p[i * PAGE]);
	printf("\n");
}

int main(void)
{
	conform_start("mmap_fixed");
	/* Eight pages, the last two given back: free space known to be free. */
	uint8_t *p =
		mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	result("munmap the last two of eight pages", munmap(p + 6 * PAGE, 2 * PAGE));
	for (int i = 0; i < 6; i++)
		memset(p + i * PAGE, 10 + i, PAGE);
	show("six pages", p, 6);

	uint8_t *q = mmap(p + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	yes_no("MAP_FIXED over pages 2-3 returns that address", q == p + 2 * PAGE);
	show("after", p, 6);
	memset(q, 99, 2 * PAGE);
	show("after writing 99 there", p, 6);

	q = mmap(p + 5 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	yes_no("MAP_FIXED read-only over page 5", q == p + 5 * PAGE);
	show("after", p, 6);
	target = p + 5 * PAGE;
	in_child("write to the new read-only page", poke);
	target = p + 4 * PAGE;
	in_child("write to page 4 (still the old mapping)", poke);

	/* Across the end of the mapping into free space. */
	uint8_t *end = p + 6 * PAGE;
	q = mmap(p + 4 * PAGE, 4 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	yes_no("MAP_FIXED over pages 4-7, past the old end", q == p + 4 * PAGE);
	end[PAGE] = 5;
	show("pages 0-7", p, 8);

	/* MAP_FIXED over the whole thing at once. */
	q = mmap(p, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
		 0);
	show("one MAP_FIXED over all eight", q, 8);

	/* A hint that is free is not promised; one that is taken is not used. */
	uint8_t *h = mmap(p + 2 * PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	yes_no("a hint inside an existing mapping gives another address",
	       h != MAP_FAILED && (h < p || h >= p + 8 * PAGE));
	yes_no("and the existing mapping is untouched", p[2 * PAGE] == 0);
	munmap(h, PAGE);

	printf("-- errors\n");
	result("MAP_FIXED at an unaligned address",
	       (long)mmap(p + 1, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	result("MAP_FIXED with length 0",
	       (long)mmap(p, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
	result("munmap all eight", munmap(p, 8 * PAGE));
	return conform_end();
}
