/* Whether sysinfo tells the truth about free memory (issue 15), for the
 * kernel's tests: touching N fresh pages must lower freeram by at least N
 * pages (and by little more: a page table or two), and unmapping them must
 * give them back.  Exits 0 when both hold.  On Linux, other processes and
 * the page cache move freeram too, so this is a Toyix test, not a
 * conformance recording. */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/sysinfo.h>

#define PAGES	     256
#define PAGE	     4096
#define TABLES_SLACK 4 /* page tables the mapping may need */

static long free_pages(void)
{
	struct sysinfo si;
	if (sysinfo(&si))
		return -1;
	return (long)((unsigned long long)si.freeram * si.mem_unit / PAGE);
}

int main(void)
{
	long before = free_pages();
	char *p = mmap(NULL, PAGES * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);
	if (before < 0 || p == MAP_FAILED) {
		printf("meminfo: sysinfo or mmap failed\n");
		return 1;
	}
	long mapped = free_pages();
	for (int i = 0; i < PAGES; i++)
		p[i * PAGE] = 1;
	long touched = free_pages();
	munmap(p, PAGES * PAGE);
	long after = free_pages();
	long took = mapped - touched, gave = after - touched;
	printf("meminfo: free pages %ld before, %ld mapped, %ld touched, %ld unmapped\n", before,
	       mapped, touched, after);
	int took_ok = took >= PAGES && took <= PAGES + TABLES_SLACK;
	int gave_ok = gave >= PAGES && after <= before && before - after <= TABLES_SLACK;
	printf("meminfo: touching %d pages took them from freeram: %s\n", PAGES,
	       took_ok ? "yes" : "no");
	printf("meminfo: unmapping gave them back: %s\n", gave_ok ? "yes" : "no");
	return took_ok && gave_ok ? 0 : 1;
}
