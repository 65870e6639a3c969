/* File mappings at offsets of 4 GiB and more.  mmap2 takes its offset in
 * pages, so a 32-bit program reaches file offsets up to 2^44: such a
 * mapping is made, its pages lie past the end of a small file (SIGBUS when
 * touched, never the file's first bytes), and /proc/self/maps shows the
 * whole offset, in hex, with more than 8 digits where it needs them.  Also
 * the offsets of a region split by munmap and mprotect across the 4 GiB
 * line, neighbours that are or are not one run of the file, glibc's limits
 * of mmap64, and anonymous memory, whose offset mmap2 ignores.
 *
 * Left out: a page offset whose last page is page 2^32 or beyond (an i386
 * kernel answers EOVERFLOW, an amd64 one running this program maps it), so
 * the recording cannot say; the in-kernel tests cover it. */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>

#include "conform.h"

#define NAME	  "tmp/mmap-bigoff"
#define FILE_LEN  (2u * PAGE)
#define GIB4	  (1ull << 32)
#define PG_4GIB	  0x100000u /* the page index of byte 4 GiB */
#define PG_TOP	  0xFFFFFFFEu
#define MAPS_SIZE 16384

static volatile uint8_t *target;

static void touch(void)
{
	printf("read %d\n", target[0]); /* not reached when the read faults */
}

static void touch_page(const char *what, volatile uint8_t *p)
{
	target = p;
	in_child(what, touch);
}

static long raw_mmap2(void *addr, uint32_t len, int prot, int flags, int fd, uint32_t pgoff)
{
	return syscall(SYS_mmap2, addr, len, prot, flags, fd, pgoff);
}

/* The maps lines inside [p, p + len): protection, the offset field as
 * printed, and the name's last part (the path differs by root). */
static void show_maps(const char *what, const void *p, uint32_t len)
{
	static char buf[MAPS_SIZE];
	int fd = open("/proc/self/maps", O_RDONLY);
	long n = 0, got;
	while (fd >= 0 && n < MAPS_SIZE - 1 && (got = read(fd, buf + n, MAPS_SIZE - 1 - n)) > 0)
		n += got;
	buf[n > 0 ? n : 0] = 0;
	if (fd >= 0)
		close(fd);
	uintptr_t from = (uintptr_t)p, to = from + len;
	int lines = 0;
	for (char *line = buf; *line;) {
		char *eol = strchr(line, '\n');
		if (eol)
			*eol = 0;
		unsigned long lo, hi;
		char perms[8], off[24], dev[16], name[256] = "";
		unsigned long ino;
		if (sscanf(line, "%lx-%lx %7s %23s %15s %lu %255s", &lo, &hi, perms, off, dev, &ino,
			   name) >= 6 &&
		    lo >= from && hi <= to) {
			const char *base = strrchr(name, '/');
			printf("%s: %u page(s) at +%u: %s %s %s\n", what,
			       (unsigned)((hi - lo) / PAGE), (unsigned)((lo - from) / PAGE), perms,
			       off, base ? base + 1 : "-");
			lines++;
		}
		if (!eol)
			break;
		line = eol + 1;
	}
	if (!lines)
		printf("%s: no line\n", what);
}

int main(void)
{
	conform_start("mmap_bigoff");
	int fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0600);
	uint8_t bytes[FILE_LEN];
	memset(bytes, 'F', sizeof(bytes));
	result_value("create a file of two pages", write(fd, bytes, sizeof(bytes)));

	printf("-- one page at 4 GiB\n");
	uint8_t *p = mmap64(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, GIB4);
	result("mmap64 private, offset 4 GiB", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED) {
		touch_page("touch it", p);
		show_maps("maps", p, PAGE);
		munmap(p, PAGE);
	}
	p = mmap64(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, GIB4);
	result("mmap64 shared, offset 4 GiB", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED) {
		touch_page("touch it", p);
		show_maps("maps", p, PAGE);
		munmap(p, PAGE);
	}
	long r = raw_mmap2(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PG_4GIB + 1);
	result("mmap2 private, page 0x100001", r == -1 ? -1 : 0);
	if (r != -1) {
		touch_page("touch it", (uint8_t *)r);
		show_maps("maps", (void *)r, PAGE);
		munmap((void *)r, PAGE);
	}

	printf("-- across 4 GiB: pages 0xfffff to 0x100001\n");
	p = mmap64(NULL, 3 * PAGE, PROT_READ, MAP_PRIVATE, fd, GIB4 - PAGE);
	result("mmap64 private, offset 4 GiB - 4 KiB, 3 pages", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED) {
		touch_page("touch page 0 (below 4 GiB)", p);
		touch_page("touch page 1 (at 4 GiB)", p + PAGE);
		touch_page("touch page 2", p + 2 * PAGE);
		show_maps("maps", p, 3 * PAGE);
		result("mprotect page 1 read-write",
		       mprotect(p + PAGE, PAGE, PROT_READ | PROT_WRITE));
		show_maps("maps after mprotect", p, 3 * PAGE);
		touch_page("touch page 1", p + PAGE);
		result("munmap page 0", munmap(p, PAGE));
		show_maps("maps after munmap", p, 3 * PAGE);
		touch_page("touch page 2", p + 2 * PAGE);
		munmap(p, 3 * PAGE);
	}
	p = mmap64(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, GIB4 - PAGE);
	result("mmap64 shared, offset 4 GiB - 4 KiB, 2 pages", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED) {
		touch_page("touch page 1 (at 4 GiB)", p + PAGE);
		result("munmap page 0", munmap(p, PAGE));
		show_maps("maps after munmap", p, 2 * PAGE);
		munmap(p, 2 * PAGE);
	}

	printf("-- neighbours\n");
	p = mmap64(NULL, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, GIB4 - PAGE);
	if (p != MAP_FAILED) {
		r = (long)mmap64(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
		result("page 1 replaced by the file's page 0", r == (long)(p + PAGE) ? 0 : -1);
		show_maps("maps", p, 2 * PAGE);
		touch_page("touch page 1", p + PAGE);
		r = (long)mmap64(p + PAGE, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, GIB4);
		result("page 1 replaced by the page at 4 GiB", r == (long)(p + PAGE) ? 0 : -1);
		show_maps("maps", p, 2 * PAGE);
		touch_page("touch page 1", p + PAGE);
		munmap(p, 2 * PAGE);
	}

	printf("-- the top of the offsets\n");
	r = raw_mmap2(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PG_TOP);
	result("mmap2 private, page 0xfffffffe", r == -1 ? -1 : 0);
	if (r != -1) {
		touch_page("touch it", (uint8_t *)r);
		show_maps("maps", (void *)r, PAGE);
		munmap((void *)r, PAGE);
	}
	p = mmap64(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, (off64_t)PG_TOP * PAGE);
	result("mmap64 private, offset 0xfffffffe000", p == MAP_FAILED ? -1 : 0);
	if (p != MAP_FAILED)
		munmap(p, PAGE);
	/* glibc's own checks: no system call is made. */
	p = mmap64(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 1ll << 44);
	result("mmap64 offset 2^44", p == MAP_FAILED ? -1 : 0);
	p = mmap64(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, GIB4 + 1);
	result("mmap64 offset 4 GiB + 1", p == MAP_FAILED ? -1 : 0);

	printf("-- anonymous memory ignores the offset\n");
	r = raw_mmap2(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, PG_4GIB);
	result("mmap2 private anonymous, page 0x100000", r == -1 ? -1 : 0);
	if (r != -1) {
		((uint8_t *)r)[0] = 7;
		touch_page("touch it", (uint8_t *)r);
		show_maps("maps", (void *)r, PAGE);
		munmap((void *)r, PAGE);
	}
	r = raw_mmap2(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, PG_4GIB);
	result("mmap2 shared anonymous, page 0x100000", r == -1 ? -1 : 0);
	if (r != -1) {
		((uint8_t *)r)[0] = 9;
		touch_page("touch it", (uint8_t *)r);
		show_maps("maps", (void *)r, PAGE);
		munmap((void *)r, PAGE);
	}

	close(fd);
	unlink(NAME);
	return conform_end();
}
