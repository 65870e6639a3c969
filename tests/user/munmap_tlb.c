/* Unmapping must take a page out of the TLB as well as out of the page
 * tables.  In each case a child writes every page of a mapping, so its TLB
 * holds their translations, unmaps a range and reads one page: a page of
 * the range must end the child with SIGSEGV, where a stale translation
 * would still reach the old frame, and a page beside it must still read
 * what was written.  The ranges go from one page to several page tables,
 * on both sides of the length past which Toyix flushes the whole user part
 * of the TLB instead of page by page.  A range mapped again at the same
 * address must read zeros, not what the old frames held. */
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

/* The case the next child runs, and its name. */
static uint32_t pages, first, count, probe_at;
static char what[96];

static void fill(uint8_t *base)
{
	for (uint32_t i = 0; i < pages; i++)
		*(volatile uint32_t *)(base + i * PAGE) = 0xA5000000u | i;
}

static uint8_t *map_filled(void)
{
	void *p = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (p == MAP_FAILED) {
		printf("mmap of %u pages: %s\n", pages, errno_name(errno));
		_exit(1);
	}
	fill(p);
	return p;
}

static void read_page(const uint8_t *base)
{
	printf("%s: reads 0x%08X\n", what, *(volatile const uint32_t *)(base + probe_at * PAGE));
}

static void unmap_then_read(void)
{
	uint8_t *base = map_filled();
	if (munmap(base + first * PAGE, count * PAGE) != 0)
		printf("%s: munmap: %s\n", what, errno_name(errno));
	read_page(base);
}

static void remap_then_read(void)
{
	uint8_t *base = map_filled();
	void *again = mmap(base, pages * PAGE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (again != (void *)base)
		printf("%s: mapped again elsewhere\n", what);
	read_page(base);
}

static void brk_down_then_read(void)
{
	uint8_t *start = sbrk(0);
	/* From a page boundary, so every page above it is wholly the heap's. */
	uint8_t *base = (uint8_t *)(((uintptr_t)start + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
	if (brk(base + pages * PAGE) != 0) {
		printf("%s: brk up: %s\n", what, errno_name(errno));
		return;
	}
	fill(base);
	if (brk(base) != 0)
		printf("%s: brk down: %s\n", what, errno_name(errno));
	read_page(base);
}

static void unmap_case(uint32_t n, uint32_t at, uint32_t len)
{
	pages = n, first = at, count = len;
	uint32_t probes[] = {at, at + len - 1, at - 1, at + len};
	for (uint32_t i = 0; i < 4; i++) {
		/* Not before the first page or past the last, and a one-page
		 * range once. */
		if (probes[i] >= n || (i == 1 && len == 1))
			continue;
		probe_at = probes[i];
		snprintf(what, sizeof(what), "%u pages, munmap of %u at %u, page %u", n, len, at,
			 probe_at);
		in_child(what, unmap_then_read);
	}
}

int main(void)
{
	conform_start("munmap_tlb");
	unmap_case(1, 0, 1);
	unmap_case(40, 4, 32);
	unmap_case(40, 4, 33);
	unmap_case(1100, 0, 1100);
	unmap_case(1100, 30, 1040);
	uint32_t sizes[] = {8, 600};
	for (uint32_t i = 0; i < 2; i++) {
		pages = sizes[i];
		probe_at = pages - 1;
		snprintf(what, sizeof(what), "%u pages mapped again in place, page %u", pages,
			 probe_at);
		in_child(what, remap_then_read);
	}
	uint32_t shrinks[] = {2, 100};
	for (uint32_t i = 0; i < 2; i++) {
		pages = shrinks[i];
		probe_at = pages - 1;
		snprintf(what, sizeof(what), "brk down by %u pages, page %u", pages, probe_at);
		in_child(what, brk_down_then_read);
	}
	return conform_end();
}
