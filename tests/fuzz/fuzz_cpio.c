/* libFuzzer target: the newc cpio reader (lib/cpio.c) on raw bytes.
 *
 * The walk must end (by the trailer or an error, within one step per
 * 112 bytes), every entry it hands out must lie inside the input (header,
 * name with its NUL, data), names must be as long as they say, and an
 * error must come with a reason and stay.  cpio_find must find the first
 * entry by its own name.  Any breach aborts, and libFuzzer keeps the
 * input. */
// FUZZ_LINK: lib/cpio.c
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/cpio.h"

__attribute__((noreturn, format(printf, 1, 2))) static void broken(const char *fmt, ...);

static void broken(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "fuzz_cpio: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\n");
	va_end(ap);
	abort();
}

static int inside(const uint8_t *base, size_t len, const void *p, size_t n)
{
	const uint8_t *b = p;
	return b >= base && (size_t)(b - base) <= len && n <= len - (size_t)(b - base);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy: ASan catches a read one byte past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	struct cpio_iter it;
	struct cpio_entry e, first;
	cpio_iter_init(&it, buf, size);
	size_t steps = 0, last_pos = 0;
	int rc, have_first = 0;
	while ((rc = cpio_next(&it, &e)) == CPIO_OK) {
		if (++steps > size / (CPIO_HEADER_SIZE + 2) + 1)
			broken("%zu entries from %zu bytes", steps, size);
		if (e.offset != last_pos)
			broken("entry at %u, expected %zu", e.offset, last_pos);
		if (!inside(buf, size, buf + e.offset, CPIO_HEADER_SIZE))
			broken("header at %u outside the input", e.offset);
		if (!inside(buf, size, e.name, (size_t)e.name_len + 1) || e.name[e.name_len] != 0 ||
		    strlen(e.name) != e.name_len || e.name_len == 0)
			broken("name of entry at %u", e.offset);
		if (!inside(buf, size, e.data, e.size))
			broken("data of entry at %u outside the input", e.offset);
		if (it.pos <= last_pos || it.pos > size)
			broken("no progress: %zu after %zu", it.pos, last_pos);
		last_pos = it.pos;
		if (!have_first) {
			first = e;
			have_first = 1;
		}
	}
	if (rc != CPIO_END && (rc >= 0 || it.reason == NULL || it.reason[0] == 0))
		broken("walk ended with status %d (%s) and no reason", rc, cpio_status_name(rc));
	if (cpio_next(&it, &e) != rc)
		broken("status %d did not stay", rc);
	if (have_first) {
		struct cpio_entry found;
		char *name = strdup(first.name);
		if (cpio_find(buf, size, name, &found) != CPIO_OK || found.offset != first.offset)
			broken("cpio_find missed the first entry '%s'", name);
		free(name);
	}
	free(buf);
	return 0;
}
