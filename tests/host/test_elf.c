/* lib/elf.c: the static-executable validator on real `gcc -m32 -static`
 * output, on a small hand-built file, and on each thing it must refuse.
 * Files are copied into buffers of exactly their length, so ASan flags any
 * read past the end. */
// HOST_LINK: lib/elf.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/elf.h"
#include "uapi/linux_flags.h"

#define USER_LO	   0x01000000u
#define USER_HI	   0xBFFFFFFFu
#define PHOFF	   52u
#define TEXT_VADDR 0x08048000u
#define DATA_VADDR 0x0804A000u
#define FILE_SIZE  0x3000u

/* Elf32_Ehdr and Elf32_Phdr, as the tests write them. */
struct ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version, entry, phoff, shoff, flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
struct phdr {
	uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

enum { PT_LOAD = 1, PT_INTERP = 3, PT_NOTE = 4, PT_TLS = 7 };
enum { PF_X = 1, PF_W = 2, PF_R = 4 };

static uint8_t file[FILE_SIZE];

static struct ehdr *eh(void)
{
	return (struct ehdr *)file;
}

static struct phdr *ph(int i)
{
	return (struct phdr *)(file + PHOFF) + i;
}

/* A small valid executable: text (headers included) at 0x08048000, data
 * and bss at 0x0804A000, TLS, and a note. */
static void build(void)
{
	memset(file, 0, sizeof(file));
	*eh() = (struct ehdr){
		.ident = {0x7f, 'E', 'L', 'F', 1, 1, 1, 3},
		.type = 2,
		.machine = 3,
		.version = 1,
		.entry = TEXT_VADDR + 0x1000,
		.phoff = PHOFF,
		.ehsize = 52,
		.phentsize = 32,
		.phnum = 4,
	};
	*ph(0) = (struct phdr){PT_LOAD, 0,	TEXT_VADDR,  TEXT_VADDR,
			       0x1800,	0x1800, PF_R | PF_X, 0x1000};
	*ph(1) = (struct phdr){PT_LOAD, 0x2000, DATA_VADDR,  DATA_VADDR,
			       0x1000,	0x5123, PF_R | PF_W, 0x1000};
	*ph(2) = (struct phdr){PT_TLS, 0x2000, DATA_VADDR, DATA_VADDR, 0x10, 0x40, PF_R, 4};
	*ph(3) = (struct phdr){PT_NOTE, 0x100, TEXT_VADDR + 0x100, 0, 0x20, 0x20, PF_R, 4};
}

/* elf_parse on a heap copy of the first len bytes of buf. */
static int parse_bytes(const uint8_t *buf, size_t len, struct elf_image *img, const char **why)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, buf, len);
	int rc = elf_parse(copy, len, USER_LO, USER_HI, img, why);
	free(copy);
	return rc;
}

static int parse(struct elf_image *img, const char **why)
{
	return parse_bytes(file, sizeof(file), img, why);
}

/* The hand-built file after a change: refused, with this reason. */
static void refused(const char *reason)
{
	struct elf_image img;
	memset(&img, 0xA5, sizeof(img));
	const char *why = NULL;
	assert_int_equal(parse(&img, &why), ELF_ERR_NOEXEC);
	assert_string_equal(why, reason);
	for (size_t i = 0; i < sizeof(img); i++) /* a refusal writes nothing */
		assert_int_equal(((uint8_t *)&img)[i], 0xA5);
	build();
}

static void test_valid_file(void **state)
{
	(void)state;
	build();
	struct elf_image img;
	const char *why;
	assert_int_equal(parse(&img, &why), ELF_OK);
	assert_string_equal(why, "");
	assert_int_equal(img.entry, TEXT_VADDR + 0x1000);
	assert_int_equal(img.phdr_vaddr, TEXT_VADDR + PHOFF);
	assert_int_equal(img.phent, 32);
	assert_int_equal(img.phnum, 4);
	assert_int_equal(img.nsegments, 2);
	assert_int_equal(img.segments[0].vaddr, TEXT_VADDR);
	assert_int_equal(img.segments[0].prot, LINUX_PROT_READ | LINUX_PROT_EXEC);
	assert_int_equal(img.segments[1].vaddr, DATA_VADDR);
	assert_int_equal(img.segments[1].filesz, 0x1000);
	assert_int_equal(img.segments[1].memsz, 0x5123);
	assert_int_equal(img.segments[1].offset, 0x2000);
	assert_int_equal(img.segments[1].prot, LINUX_PROT_READ | LINUX_PROT_WRITE);
	assert_int_equal(img.end, DATA_VADDR + 0x5123);
	assert_true(img.has_tls);
	assert_int_equal(img.tls_memsz, 0x40);
	assert_int_equal(img.tls_filesz, 0x10);
}

static void test_bad_arguments(void **state)
{
	(void)state;
	build();
	struct elf_image img;
	const char *why;
	assert_int_equal(elf_parse(NULL, 100, USER_LO, USER_HI, &img, &why), ELF_ERR_INVALID);
	assert_int_equal(elf_parse(file, sizeof(file), USER_LO, USER_HI, NULL, &why),
			 ELF_ERR_INVALID);
	assert_int_equal(elf_parse(file, sizeof(file), 0, USER_HI, &img, &why), ELF_ERR_INVALID);
	assert_int_equal(elf_parse(file, sizeof(file), USER_HI, USER_LO, &img, &why),
			 ELF_ERR_INVALID);
	assert_int_equal(elf_parse(file, sizeof(file), USER_LO, USER_HI, &img, NULL), ELF_OK);
	assert_string_equal(elf_status_name(ELF_ERR_NOEXEC),
			    "not a loadable static i386 executable");
}

static void test_header_refusals(void **state)
{
	(void)state;
	build();
	eh()->ident[3] = 'G';
	refused("not an ELF file (bad magic)");
	eh()->ident[4] = 2;
	refused("not ELFCLASS32");
	eh()->ident[5] = 2;
	refused("not little-endian");
	eh()->ident[6] = 0;
	refused("unknown ELF version");
	eh()->version = 2;
	refused("unknown ELF version");
	eh()->machine = 62; /* x86-64 */
	refused("not an i386 (EM_386) program");
	eh()->type = 3; /* ET_DYN: PIE or a shared object */
	refused("not ET_EXEC (shared objects and PIE are not supported)");
	eh()->type = 1;
	refused("not ET_EXEC (shared objects and PIE are not supported)");
	eh()->phentsize = 56;
	refused("program-header size is not 32");
	eh()->phnum = 0;
	refused("no program headers");
	eh()->phnum = 2049;
	refused("program-header table larger than 64 KiB");
	eh()->phnum = 400;
	refused("program headers run past the end of the file");
	eh()->phoff = FILE_SIZE - 64;
	refused("program headers run past the end of the file");
	eh()->phoff = 0xFFFFFFF0u;
	refused("program headers run past the end of the file");
}

static void test_segment_refusals(void **state)
{
	(void)state;
	build();
	ph(3)->type = PT_INTERP;
	refused("PT_INTERP: dynamically linked programs are not supported");
	ph(3)->type = PT_TLS;
	refused("more than one PT_TLS");
	ph(2)->filesz = 0x41;
	refused("PT_TLS with p_filesz above p_memsz");
	ph(1)->filesz = 0x5124;
	refused("PT_LOAD with p_filesz above p_memsz");
	ph(1)->offset = FILE_SIZE - 0xFFF;
	refused("PT_LOAD file bytes run past the end of the file");
	ph(1)->offset = 0xFFFFF000u;
	refused("PT_LOAD file bytes run past the end of the file");
	ph(1)->offset = 0x2010;
	ph(1)->filesz = 0x800;
	refused("PT_LOAD p_offset and p_vaddr differ modulo 4096");
	ph(1)->vaddr = 0x00FFF000;
	ph(1)->offset = 0x2000;
	refused("PT_LOAD outside user space (or wraps around)");
	ph(1)->vaddr = 0xBFFFE000u; /* 0x5123 bytes from here cross 0xC0000000 */
	refused("PT_LOAD outside user space (or wraps around)");
	ph(1)->vaddr = 0xFFFFF000u; /* would wrap past 4 GiB */
	refused("PT_LOAD outside user space (or wraps around)");
	ph(1)->vaddr = 0xC0000000u;
	refused("PT_LOAD outside user space (or wraps around)");
	ph(1)->vaddr = TEXT_VADDR + 0x1000; /* its first byte lies in the text */
	refused("two PT_LOAD segments overlap");
	ph(0)->memsz = 0x2001; /* the text reaches the data's first byte */
	ph(0)->filesz = 0x2001;
	refused("two PT_LOAD segments overlap");
	ph(0)->type = PT_NOTE;
	ph(1)->type = PT_NOTE;
	refused("no PT_LOAD segment");
	ph(0)->memsz = 0; /* skipped: only the data segment is left */
	refused("entry point outside every executable PT_LOAD");
	eh()->entry = DATA_VADDR; /* in a loaded, but not executable, segment */
	refused("entry point outside every executable PT_LOAD");
	eh()->entry = TEXT_VADDR + 0x1800;
	refused("entry point outside every executable PT_LOAD");
	ph(0)->offset = 0x1000; /* no segment holds the program headers */
	ph(0)->vaddr = TEXT_VADDR + 0x1000;
	ph(0)->filesz = ph(0)->memsz = 0x800;
	refused("program headers are not inside a PT_LOAD (no AT_PHDR)");
}

static void test_edges_accepted(void **state)
{
	(void)state;
	struct elf_image img;
	build();
	ph(1)->vaddr = USER_HI + 1 - 0x6000; /* ends on the last user byte */
	ph(1)->memsz = 0x6000;
	assert_int_equal(parse(&img, NULL), ELF_OK);
	assert_int_equal(img.end, USER_HI + 1);
	build();
	ph(1)->vaddr = TEXT_VADDR + 0x1800; /* shares a page with the text, not a byte */
	ph(1)->offset = 0x2800;
	ph(1)->filesz = 0x100;
	assert_int_equal(parse(&img, NULL), ELF_OK);
	build();
	ph(1)->memsz = 0; /* skipped, as Linux skips it */
	ph(1)->filesz = 0;
	assert_int_equal(parse(&img, NULL), ELF_OK);
	assert_int_equal(img.nsegments, 1);
	build();
	eh()->entry = TEXT_VADDR + 0x17FF;
	assert_int_equal(parse(&img, NULL), ELF_OK);
}

/* Every prefix of the hand-built file: refused or (once the segments fit)
 * accepted, never read past. */
static void test_every_truncation(void **state)
{
	(void)state;
	build();
	struct elf_image img;
	for (size_t len = 0; len <= sizeof(file); len++) {
		int rc = parse_bytes(file, len, &img, NULL);
		assert_int_equal(rc, len >= 0x3000 ? ELF_OK : ELF_ERR_NOEXEC);
	}
}

/* ---- real programs ------------------------------------------------------- */

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	uint8_t *buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static char tmpdir[] = "/tmp/toyix-elf-XXXXXX";

/* Compiles a tiny program with gcc -m32 and the given flags; the bytes. */
static uint8_t *compile(const char *flags, const char *out, size_t *len)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
		 "cd %s && printf '#include <stdio.h>\\nint main(void){puts(\"hi\");return 0;}\\n' "
		 "> p.c && gcc -m32 %s -O2 -o %s p.c",
		 tmpdir, flags, out);
	assert_int_equal(system(cmd), 0);
	char path[600];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, out);
	uint8_t *b = slurp(path, len);
	assert_non_null(b);
	return b;
}

static void test_real_programs(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	size_t len;
	uint8_t *bin = compile("-static", "static", &len);
	struct elf_image img;
	const char *why = "";
	assert_int_equal(parse_bytes(bin, len, &img, &why), ELF_OK);
	struct ehdr h;
	memcpy(&h, bin, sizeof(h));
	assert_int_equal(img.entry, h.entry);
	assert_int_equal(img.phnum, h.phnum);
	/* The first PT_LOAD starts at offset 0, so the headers sit at base + phoff. */
	assert_int_equal(img.phdr_vaddr, img.segments[0].vaddr + h.phoff);
	assert_true(img.nsegments >= 2);
	assert_true(img.has_tls); /* glibc's static startup always has TLS */
	int writable = 0, executable = 0;
	size_t file_end = 0; /* past it come only section headers, which nobody reads */
	for (uint32_t i = 0; i < img.nsegments; i++) {
		size_t end = (size_t)img.segments[i].offset + img.segments[i].filesz;
		file_end = end > file_end ? end : file_end;
		writable += !!(img.segments[i].prot & LINUX_PROT_WRITE);
		executable += !!(img.segments[i].prot & LINUX_PROT_EXEC);
		assert_true(img.segments[i].filesz <= img.segments[i].memsz);
	}
	assert_int_equal(writable, 1);
	assert_int_equal(executable, 1);
	/* Prefixes up to the first few KiB, and a few cuts after. */
	for (size_t n = 0; n < len; n += n < 4096 ? 1 : 4099)
		assert_int_equal(parse_bytes(bin, n, &img, NULL),
				 n < file_end ? ELF_ERR_NOEXEC : ELF_OK);
	free(bin);

	bin = compile("", "dynamic", &len);
	assert_int_equal(parse_bytes(bin, len, &img, &why), ELF_ERR_NOEXEC);
	assert_string_equal(why, "not ET_EXEC (shared objects and PIE are not supported)");
	free(bin);
	bin = compile("-no-pie", "dynamic-nopie", &len);
	assert_int_equal(parse_bytes(bin, len, &img, &why), ELF_ERR_NOEXEC);
	assert_string_equal(why, "PT_INTERP: dynamically linked programs are not supported");
	free(bin);
	bin = compile("-static-pie", "static-pie", &len);
	assert_int_equal(parse_bytes(bin, len, &img, &why), ELF_ERR_NOEXEC);
	free(bin);

	/* This test itself: an x86-64 program. */
	bin = slurp("/proc/self/exe", &len);
	assert_non_null(bin);
	assert_int_equal(parse_bytes(bin, len, &img, &why), ELF_ERR_NOEXEC);
	assert_string_equal(why, "not ELFCLASS32");
	free(bin);

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	assert_int_equal(system(cmd), 0);
}

/* Every program `make` put into the initrd, when they are built: each is
 * what elf_parse must accept. */
static void test_built_user_programs(void **state)
{
	(void)state;
	DIR *dir = opendir("build/initrd-root/bin");
	if (!dir)
		skip();
	struct dirent *d;
	int n = 0;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.' || d->d_type == DT_LNK)
			continue; /* BusyBox's applet links: bin/busybox once is enough */
		char path[512];
		snprintf(path, sizeof(path), "build/initrd-root/bin/%s", d->d_name);
		size_t len;
		uint8_t *bin = slurp(path, &len);
		assert_non_null(bin);
		struct elf_image img;
		const char *why = "";
		if (parse_bytes(bin, len, &img, &why) != ELF_OK)
			fail_msg("%s: %s", path, why);
		assert_true(img.has_tls);
		free(bin);
		n++;
	}
	closedir(dir);
	assert_true(n >= 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_file),	cmocka_unit_test(test_bad_arguments),
		cmocka_unit_test(test_header_refusals), cmocka_unit_test(test_segment_refusals),
		cmocka_unit_test(test_edges_accepted),	cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_real_programs),	cmocka_unit_test(test_built_user_programs),
	};
	return cmocka_run_group_tests_name("elf", tests, NULL, NULL);
}
