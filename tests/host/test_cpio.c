/* lib/cpio.c: the newc reader on archives written by `cpio -o -H newc`,
 * on hand-built ones, and on every way a header can be wrong or cut short.
 * Archives are copied into buffers of exactly their length, so ASan flags
 * any read past the end. */
// HOST_LINK: lib/cpio.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "lib/cpio.h"
#include "uapi/linux_flags.h"

#define ARCHIVE_MAX (64 * 1024)

struct archive {
	uint8_t bytes[ARCHIVE_MAX];
	size_t len;
};

/* One newc entry, padded, appended by hand (fields in lower-case hex,
 * which cpio accepts too). */
static void add_entry(struct archive *a, const char *name, uint32_t mode, const void *data,
		      uint32_t size)
{
	uint32_t namesize = (uint32_t)strlen(name) + 1;
	char h[CPIO_HEADER_SIZE + 1];
	snprintf(h, sizeof(h), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", 1u,
		 mode, 0u, 0u, 1u, 0u, size, 0u, 0u, 0u, 0u, namesize, 0u);
	assert_true(a->len + CPIO_HEADER_SIZE + namesize + size + 8 <= ARCHIVE_MAX);
	memcpy(a->bytes + a->len, h, CPIO_HEADER_SIZE);
	a->len += CPIO_HEADER_SIZE;
	memcpy(a->bytes + a->len, name, namesize);
	a->len += namesize;
	while (a->len % 4)
		a->bytes[a->len++] = 0;
	if (size)
		memcpy(a->bytes + a->len, data, size);
	a->len += size;
	while (a->len % 4)
		a->bytes[a->len++] = 0;
}

static void add_trailer(struct archive *a)
{
	add_entry(a, "TRAILER!!!", 0, NULL, 0);
}

static struct archive *sample(void)
{
	static struct archive a;
	memset(&a, 0, sizeof(a));
	add_entry(&a, "etc", LINUX_S_IFDIR | 0755, NULL, 0);
	add_entry(&a, "etc/hello.txt", LINUX_S_IFREG | 0644, "hello\n", 6);
	add_entry(&a, "bin/x", LINUX_S_IFREG | 0755, "abcdefg", 7);
	add_trailer(&a);
	return &a;
}

/* The whole walk over a heap copy of exactly len bytes: the status that
 * ended it and how many entries came before. */
static int walk(const uint8_t *bytes, size_t len, uint32_t *entries, const char **reason)
{
	uint8_t *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, bytes, len);
	size_t bad;
	int rc = cpio_validate(copy, len, entries, reason, &bad);
	assert_true(bad <= len);
	free(copy);
	return rc;
}

static void test_hand_built_archive(void **state)
{
	(void)state;
	struct archive *a = sample();
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, a->bytes, a->len);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "etc");
	assert_int_equal(e.mode, LINUX_S_IFDIR | 0755);
	assert_int_equal(e.size, 0);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "etc/hello.txt");
	assert_int_equal(e.name_len, 13);
	assert_int_equal(e.size, 6);
	assert_memory_equal(e.data, "hello\n", 6);
	assert_int_equal((e.data - a->bytes) % 4, 0);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "bin/x");
	assert_memory_equal(e.data, "abcdefg", 7);
	assert_int_equal(cpio_next(&it, &e), CPIO_END);
	assert_int_equal(cpio_next(&it, &e), CPIO_END); /* stays at the end */
}

static void test_find(void **state)
{
	(void)state;
	struct archive *a = sample();
	struct cpio_entry e;
	assert_int_equal(cpio_find(a->bytes, a->len, "etc/hello.txt", &e), CPIO_OK);
	assert_int_equal(e.size, 6);
	assert_int_equal(cpio_find(a->bytes, a->len, "/etc/hello.txt", &e), CPIO_OK);
	assert_int_equal(cpio_find(a->bytes, a->len, "./bin/x", &e), CPIO_OK);
	assert_int_equal(e.size, 7);
	assert_int_equal(cpio_find(a->bytes, a->len, "etc/hello", &e), CPIO_END);
	assert_int_equal(cpio_find(a->bytes, a->len, "TRAILER!!!", &e), CPIO_END);
	assert_true(cpio_name_matches("./etc", "/etc"));
	assert_false(cpio_name_matches("etc", "etc/"));
	assert_false(cpio_name_matches(NULL, "etc"));
}

static void test_null_arguments(void **state)
{
	(void)state;
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, NULL, 100);
	assert_int_equal(cpio_next(&it, &e), CPIO_ERR_INVALID);
	assert_int_equal(cpio_next(NULL, &e), CPIO_ERR_INVALID);
	cpio_iter_init(&it, sample()->bytes, sample()->len);
	assert_int_equal(cpio_next(&it, NULL), CPIO_ERR_INVALID);
	assert_int_equal(cpio_find(NULL, 10, "x", &e), CPIO_ERR_INVALID);
	assert_int_equal(cpio_find(sample()->bytes, 10, NULL, &e), CPIO_ERR_INVALID);
	cpio_iter_init(NULL, NULL, 0); /* must not crash */
}

static void test_empty_and_no_trailer(void **state)
{
	(void)state;
	const char *why;
	uint32_t n;
	assert_int_equal(walk((const uint8_t *)"", 0, &n, &why), CPIO_ERR_NO_TRAILER);
	struct archive a = {.len = 0};
	add_entry(&a, "f", LINUX_S_IFREG | 0644, "data", 4);
	assert_int_equal(walk(a.bytes, a.len, &n, &why), CPIO_ERR_NO_TRAILER);
	assert_int_equal(n, 1);
	assert_string_equal(why, "archive ends without TRAILER!!!");
}

/* Every prefix of a good archive is refused with an error, never read past. */
static void test_every_truncation_refused(void **state)
{
	(void)state;
	struct archive *a = sample();
	for (size_t len = 0; len < a->len; len++) {
		uint32_t n;
		const char *why;
		int rc = walk(a->bytes, len, &n, &why);
		assert_true(rc < 0);
		assert_true(n <= 3);
		assert_true(strlen(why) > 0);
	}
	uint32_t n;
	assert_int_equal(walk(a->bytes, a->len, &n, NULL), CPIO_END);
	assert_int_equal(n, 3);
}

/* Overwrites byte off of the sample's second header area and walks. */
static int corrupt(size_t off, const char *with, const char **why)
{
	struct archive *a = sample();
	memcpy(a->bytes + off, with, strlen(with));
	uint32_t n;
	return walk(a->bytes, a->len, &n, why);
}

static void test_bad_headers(void **state)
{
	(void)state;
	const char *why;
	assert_int_equal(corrupt(0, "070707", &why), CPIO_ERR_MAGIC); /* old binary cpio */
	assert_int_equal(corrupt(0, "x", &why), CPIO_ERR_MAGIC);
	/* Each of the 13 fields with a non-hex digit somewhere in it. */
	for (int field = 0; field < 13; field++) {
		assert_int_equal(corrupt(6 + field * 8 + field % 8, "g", &why), CPIO_ERR_FIELD);
		assert_int_equal(corrupt(6 + field * 8 + 7, " ", &why), CPIO_ERR_FIELD);
	}
	assert_string_equal(why, "header field is not 8 hex digits");
	/* "070702" (newc with checksums) is read the same way. */
	assert_int_equal(corrupt(0, "070702", &why), CPIO_END);
	/* Upper-case hex is fine. */
	assert_int_equal(corrupt(6 + 8, "000041ED", &why), CPIO_END);
}

static void test_bad_names(void **state)
{
	(void)state;
	const char *why;
	size_t namesize = 6 + 11 * 8;
	assert_int_equal(corrupt(namesize, "00000000", &why), CPIO_ERR_NAME);
	assert_int_equal(corrupt(namesize, "00000001", &why), CPIO_ERR_NAME);
	assert_int_equal(corrupt(namesize, "00001001", &why), CPIO_ERR_NAME); /* 4097 */
	assert_int_equal(corrupt(namesize, "FFFFFFFF", &why), CPIO_ERR_NAME);
	/* "etc" has namesize 4: say 3, and its NUL is no longer its end. */
	assert_int_equal(corrupt(namesize, "00000003", &why), CPIO_ERR_NAME);
	/* A NUL inside the name: "etc" becomes "e\0c". */
	struct archive *a = sample();
	a->bytes[CPIO_HEADER_SIZE + 1] = '\0';
	uint32_t n;
	assert_int_equal(walk(a->bytes, a->len, &n, &why), CPIO_ERR_NAME);
	assert_string_equal(why, "name is not ended by its only NUL");
	/* A namesize reaching past the end of the archive. */
	assert_int_equal(corrupt(namesize, "0000FFFF", &why), CPIO_ERR_NAME);
	assert_int_equal(corrupt(namesize, "00000FFF", &why), CPIO_ERR_TRUNCATED);
}

static void test_sizes_past_the_end(void **state)
{
	(void)state;
	const char *why;
	size_t filesize = 6 + 6 * 8;
	assert_int_equal(corrupt(filesize, "FFFFFFFF", &why), CPIO_ERR_TRUNCATED);
	assert_string_equal(why, "file data runs past the end of the archive");
	assert_int_equal(corrupt(filesize, "7FFFFFFF", &why), CPIO_ERR_TRUNCATED);
	assert_int_equal(corrupt(filesize, "00010000", &why), CPIO_ERR_TRUNCATED);
	/* A size that lands mid-archive: the next "header" is garbage. */
	assert_int_equal(corrupt(filesize, "00000004", &why), CPIO_ERR_MAGIC);
}

static void test_errors_are_sticky(void **state)
{
	(void)state;
	struct archive *a = sample();
	/* The second header's magic, after "etc\0" and its padding to 116. */
	a->bytes[CPIO_HEADER_SIZE + 6] = 'X';
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, a->bytes, a->len);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_int_equal(cpio_next(&it, &e), CPIO_ERR_MAGIC);
	assert_int_equal(it.pos, CPIO_HEADER_SIZE + 6);
	assert_int_equal(cpio_next(&it, &e), CPIO_ERR_MAGIC);
	assert_string_equal(cpio_status_name(CPIO_ERR_MAGIC), "bad magic");
	assert_string_equal(cpio_status_name(12345), "unknown status");
}

/* ---- an archive written by the real cpio tool --------------------------- */

static char tmpdir[] = "/tmp/toyix-cpio-XXXXXX";

static void write_file(const char *rel, const void *data, size_t n)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, rel);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

static void test_real_cpio_archive(void **state)
{
	(void)state;
	assert_non_null(mkdtemp(tmpdir));
	char path[600];
	snprintf(path, sizeof(path), "%s/dir", tmpdir);
	assert_int_equal(mkdir(path, 0750), 0);
	static uint8_t big[5001];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + 3);
	write_file("dir/big.bin", big, sizeof(big));
	write_file("empty", "", 0);
	write_file("a.txt", "abc", 3);
	snprintf(path, sizeof(path), "%s/link", tmpdir);
	assert_int_equal(symlink("a.txt", path), 0);

	char cmd[800];
	snprintf(cmd, sizeof(cmd),
		 "cd %s && printf 'dir\\ndir/big.bin\\nempty\\na.txt\\nlink\\n' | "
		 "cpio -o -H newc --quiet > archive.cpio",
		 tmpdir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/archive.cpio", tmpdir);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static uint8_t bytes[ARCHIVE_MAX];
	size_t len = fread(bytes, 1, sizeof(bytes), f);
	fclose(f);
	assert_true(len > 0 && len < sizeof(bytes));

	uint8_t *exact = malloc(len);
	memcpy(exact, bytes, len);
	struct cpio_iter it;
	struct cpio_entry e;
	cpio_iter_init(&it, exact, len);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "dir");
	assert_int_equal(e.mode & LINUX_S_IFMT, LINUX_S_IFDIR);
	assert_int_equal(e.mode & 07777, 0750);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "dir/big.bin");
	assert_int_equal(e.size, sizeof(big));
	assert_memory_equal(e.data, big, sizeof(big));
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "empty");
	assert_int_equal(e.size, 0);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "a.txt");
	assert_memory_equal(e.data, "abc", 3);
	assert_int_equal(cpio_next(&it, &e), CPIO_OK);
	assert_string_equal(e.name, "link");
	assert_int_equal(e.mode & LINUX_S_IFMT, LINUX_S_IFLNK);
	assert_int_equal(e.size, 5);
	assert_memory_equal(e.data, "a.txt", 5);
	assert_int_equal(cpio_next(&it, &e), CPIO_END);
	/* cpio pads the archive to 512 bytes after the trailer: ignored. */
	assert_int_equal(len % 512, 0);

	/* Every prefix is refused without a read past its end. */
	for (size_t n = 0; n < len; n += (n < 600 ? 1 : 97)) {
		uint32_t entries;
		int rc = walk(bytes, n, &entries, NULL);
		assert_true(rc < 0 || n >= it.pos);
	}
	free(exact);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	assert_int_equal(system(cmd), 0);
}

/* The archive `make` builds, when it is there: well formed, with /init. */
static void test_built_initrd(void **state)
{
	(void)state;
	FILE *f = fopen("build/initrd.cpio", "rb");
	if (!f)
		skip();
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_true(len > 0);
	uint8_t *bytes = malloc((size_t)len);
	assert_int_equal(fread(bytes, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	uint32_t n;
	const char *why;
	assert_int_equal(cpio_validate(bytes, (size_t)len, &n, &why, NULL), CPIO_END);
	assert_true(n > 3);
	struct cpio_entry e;
	assert_int_equal(cpio_find(bytes, (size_t)len, "/init", &e), CPIO_OK);
	assert_int_equal(e.mode & LINUX_S_IFMT, LINUX_S_IFREG);
	assert_memory_equal(e.data,
			    "\x7f"
			    "ELF",
			    4);
	free(bytes);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_built_archive),
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_null_arguments),
		cmocka_unit_test(test_empty_and_no_trailer),
		cmocka_unit_test(test_every_truncation_refused),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_bad_names),
		cmocka_unit_test(test_sizes_past_the_end),
		cmocka_unit_test(test_errors_are_sticky),
		cmocka_unit_test(test_real_cpio_archive),
		cmocka_unit_test(test_built_initrd),
	};
	return cmocka_run_group_tests_name("cpio", tests, NULL, NULL);
}
