/* mmap, munmap and mprotect of anonymous memory: zero fill, protections
 * enforced (a child that breaks one dies by SIGSEGV), and the errno of
 * each malformed call. */
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

static volatile uint8_t *target;

static void read_target(void)
{
	printf("read %d\n", target[0]); /* not reached when the read faults */
}

static void write_target(void)
{
	target[0] = 1;
	printf("wrote\n");
}

/* mmap through the raw call, so glibc adds nothing of its own. */
static long raw_mmap(uintptr_t addr, uint32_t len, int prot, int flags, int fd, uint32_t pgoff)
{
	return syscall(SYS_mmap2, addr, len, prot, flags, fd, pgoff);
}

int main(void)
{
	conform_start("mmap_basic");
	uint8_t *p =
		mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	yes_no("anonymous 3 pages", p != MAP_FAILED);
	yes_no("page aligned", ((uintptr_t)p & (PAGE - 1)) == 0);
	int zero = 1;
	for (uint32_t i = 0; i < 3 * PAGE; i++)
		zero &= p[i] == 0;
	yes_no("reads as zero", zero);
	for (uint32_t i = 0; i < 3 * PAGE; i++)
		p[i] = (uint8_t)(i * 3);
	yes_no("keeps what is written",
	       p[5000] == (uint8_t)15000 && p[3 * PAGE - 1] == (uint8_t)((3 * PAGE - 1) * 3));

	uint8_t *q = mmap(NULL, 100, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	yes_no("100 bytes (rounded to a page)", q != MAP_FAILED && q[PAGE - 1] == 0);
	yes_no("two mappings do not overlap", q + PAGE <= p || q >= p + 3 * PAGE);
	target = q;
	in_child("write to a PROT_READ mapping", write_target);
	in_child("read of a PROT_READ mapping", read_target);

	result("mprotect middle page PROT_NONE", mprotect(p + PAGE, PAGE, PROT_NONE));
	target = p + PAGE;
	in_child("read of the PROT_NONE page", read_target);
	target = p;
	in_child("write to the page before it", write_target);
	target = p + 2 * PAGE;
	in_child("write to the page after it", write_target);
	result("mprotect it back to read-write", mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE));
	yes_no("its bytes survived", p[PAGE + 7] == (uint8_t)((PAGE + 7) * 3));
	result("mprotect whole mapping read-only", mprotect(p, 3 * PAGE, PROT_READ));
	target = p + 2 * PAGE;
	in_child("write after that", write_target);

	result("munmap the first page", munmap(p, PAGE));
	target = p;
	in_child("read of the unmapped page", read_target);
	target = p + PAGE;
	in_child("read of the page after it", read_target);
	result("munmap the rest", munmap(p + PAGE, 2 * PAGE));
	result("munmap it again (nothing there: still fine)", munmap(p, 3 * PAGE));

	printf("-- errors\n");
	result("mmap length 0", raw_mmap(0, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	result("mmap neither shared nor private",
	       raw_mmap(0, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0));
	result("mmap MAP_FIXED unaligned",
	       raw_mmap(0x20000123, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1,
			0));
	result("mmap file with fd -1", raw_mmap(0, PAGE, PROT_READ, MAP_PRIVATE, -1, 0));
	result("mmap file with fd 99 (not open)", raw_mmap(0, PAGE, PROT_READ, MAP_PRIVATE, 99, 0));
	result("mmap length 0xFFFFF000",
	       raw_mmap(0, 0xFFFFF000u, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	result("mmap length 0xFFFFFFFF (wraps when rounded)",
	       raw_mmap(0, 0xFFFFFFFFu, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	result("munmap unaligned", munmap((void *)0x20000123, PAGE));
	result("munmap length 0", munmap(q, 0));
	result("mprotect unaligned", mprotect(q + 1, PAGE, PROT_READ));
	result("mprotect length 0 (nothing to do)", mprotect(q, 0, PROT_READ));
	result("mprotect of an unmapped range", mprotect(p, PAGE, PROT_READ));
	result("mprotect bad prot bits", mprotect(q, PAGE, 0x40));
	result("munmap the 100-byte mapping", munmap(q, 100));
	return conform_end();
}
