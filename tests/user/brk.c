/* brk: the program break grows and shrinks, new memory reads as zero, and
 * a break that cannot be set leaves it where it was (the raw system call
 * returns the current break instead of an error). */
#include <stdint.h>

#include "conform.h"

static uintptr_t sys_brk(uintptr_t to)
{
	return (uintptr_t)syscall(SYS_brk, to);
}

int main(void)
{
	conform_start("brk");
	uintptr_t start = sys_brk(0);
	yes_no("brk(0) returns the break", start != 0);
	yes_no("brk(0) again is the same", sys_brk(0) == start);

	uintptr_t want = start + 5 * PAGE + 123;
	uintptr_t got = sys_brk(want);
	yes_no("grow by 5 pages + 123: returns the new break", got == want);
	volatile uint8_t *p = (volatile uint8_t *)start;
	int zero = 1;
	for (uintptr_t i = 0; i < want - start; i++)
		zero &= p[i] == 0;
	yes_no("new memory reads as zero", zero);
	for (uintptr_t i = 0; i < want - start; i++)
		p[i] = (uint8_t)i;
	int kept = 1;
	for (uintptr_t i = 0; i < want - start; i++)
		kept &= p[i] == (uint8_t)i;
	yes_no("and keeps what is written", kept);

	got = sys_brk(start + PAGE);
	yes_no("shrink to 1 page: returns the new break", got == start + PAGE);
	yes_no("first page still holds its bytes",
	       p[10] == 10 && p[PAGE - 1] == (uint8_t)(PAGE - 1));
	got = sys_brk(start + 3 * PAGE);
	yes_no("grow again", got == start + 3 * PAGE);
	/* The page given back and taken again is fresh: zero, not the old bytes. */
	yes_no("a page given back and taken again reads as zero", p[2 * PAGE + 5] == 0);

	uintptr_t cur = sys_brk(0);
	yes_no("below the start: refused, break unchanged", sys_brk(start - 64 * PAGE) == cur);
	yes_no("to 0xFFFFF000: refused, break unchanged", sys_brk(0xFFFFF000u) == cur);
	yes_no("4 GiB - 1: refused, break unchanged", sys_brk(0xFFFFFFFFu) == cur);
	yes_no("break is where it was", sys_brk(0) == cur);

	/* sbrk, glibc's wrapper over the same call. */
	void *old = sbrk(0);
	void *a = sbrk(10000);
	yes_no("sbrk(10000) returns the old break", a == old);
	yes_no("sbrk(0) moved by 10000", (uintptr_t)sbrk(0) == (uintptr_t)old + 10000);
	memset(a, 0x11, 10000);
	void *b = sbrk(-10000);
	yes_no("sbrk(-10000) returns the moved break", (uintptr_t)b == (uintptr_t)old + 10000);
	yes_no("back where it was", sbrk(0) == old);
	sys_brk(start);
	return conform_end();
}
