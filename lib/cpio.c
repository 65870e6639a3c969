/* The newc cpio reader of include/lib/cpio.h. */
#include "lib/cpio.h"

#include "lib/string.h"

#define FIELD_DIGITS 8u
#define MAGIC_LEN    6u
#define TRAILER_NAME "TRAILER!!!"

/* Header fields, in the order they follow the magic. */
enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK,
	F_COUNT
};
_Static_assert(MAGIC_LEN + F_COUNT * FIELD_DIGITS == CPIO_HEADER_SIZE, "newc header size");

static bool parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (uint32_t i = 0; i < FIELD_DIGITS; i++) {
		uint8_t c = p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10u;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10u;
		else
			return false;
		v = v << 4 | d;
	}
	*out = v;
	return true;
}

/* Offsets are padded from the archive's start; pos is at most len, which
 * is far below SIZE_MAX - 3, so this cannot wrap. */
static size_t pad4(size_t pos)
{
	return (pos + 3u) & ~(size_t)3u;
}

/* Length of the string at s, reading at most max bytes (max when no NUL). */
static size_t strlen_bounded(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n] != '\0')
		n++;
	return n;
}

static int fail(struct cpio_iter *it, int status, const char *reason)
{
	it->status = status;
	it->reason = reason;
	return status;
}

void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t len)
{
	if (!it)
		return;
	it->base = archive;
	it->len = archive ? len : 0;
	it->pos = 0;
	it->status = archive ? CPIO_OK : CPIO_ERR_INVALID;
	it->reason = archive ? "" : "no archive";
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *out)
{
	if (!it || !out)
		return CPIO_ERR_INVALID;
	if (it->status != CPIO_OK)
		return it->status;
	size_t len = it->len, pos = it->pos;
	if (pos == len)
		return fail(it, CPIO_ERR_NO_TRAILER, "archive ends without TRAILER!!!");
	if (len - pos < CPIO_HEADER_SIZE)
		return fail(it, CPIO_ERR_TRUNCATED, "header runs past the end of the archive");
	const uint8_t *h = it->base + pos;
	if (memcmp(h, "07070", 5) != 0 || (h[5] != '1' && h[5] != '2'))
		return fail(it, CPIO_ERR_MAGIC, "bad magic (not a newc header)");
	uint32_t f[F_COUNT];
	for (uint32_t i = 0; i < F_COUNT; i++)
		if (!parse_hex8(h + MAGIC_LEN + i * FIELD_DIGITS, &f[i]))
			return fail(it, CPIO_ERR_FIELD, "header field is not 8 hex digits");

	uint32_t namesize = f[F_NAMESIZE];
	size_t name_pos = pos + CPIO_HEADER_SIZE;
	if (namesize < 2 || namesize > CPIO_NAME_MAX)
		return fail(it, CPIO_ERR_NAME, "name size is 0, 1 or above 4096");
	if (namesize > len - name_pos)
		return fail(it, CPIO_ERR_TRUNCATED, "name runs past the end of the archive");
	const char *name = (const char *)it->base + name_pos;
	if (strlen_bounded(name, namesize) != namesize - 1)
		return fail(it, CPIO_ERR_NAME, "name is not ended by its only NUL");

	size_t data_pos = pad4(name_pos + namesize);
	if (data_pos > len)
		return fail(it, CPIO_ERR_TRUNCATED,
			    "name padding runs past the end of the archive");
	uint32_t size = f[F_FILESIZE];
	if (size > len - data_pos)
		return fail(it, CPIO_ERR_TRUNCATED, "file data runs past the end of the archive");

	if (namesize == sizeof(TRAILER_NAME) && memcmp(name, TRAILER_NAME, namesize) == 0) {
		it->status = CPIO_END;
		return CPIO_END;
	}
	*out = (struct cpio_entry){
		.name = name,
		.name_len = namesize - 1,
		.mode = f[F_MODE],
		.size = size,
		.data = it->base + data_pos,
		.ino = f[F_INO],
		.uid = f[F_UID],
		.gid = f[F_GID],
		.nlink = f[F_NLINK],
		.mtime = f[F_MTIME],
		.rdev_major = f[F_RDEVMAJOR],
		.rdev_minor = f[F_RDEVMINOR],
		.offset = (uint32_t)pos,
	};
	/* The last entry's padding may be missing; the next call then finds
	 * no header and says so. */
	size_t next = pad4(data_pos + size);
	it->pos = next < len ? next : len;
	return CPIO_OK;
}

int cpio_validate(const void *archive, size_t len, uint32_t *entries, const char **reason,
		  size_t *bad_offset)
{
	struct cpio_iter it;
	struct cpio_entry e;
	uint32_t n = 0;
	int rc;
	cpio_iter_init(&it, archive, len);
	while ((rc = cpio_next(&it, &e)) == CPIO_OK)
		n++;
	if (entries)
		*entries = n;
	if (reason)
		*reason = it.reason;
	if (bad_offset)
		*bad_offset = rc == CPIO_END ? 0 : it.pos;
	return rc;
}

/* The name without a leading "/" or "./" (repeated). */
static const char *strip_root(const char *s)
{
	for (;;) {
		if (s[0] == '/')
			s++;
		else if (s[0] == '.' && s[1] == '/')
			s += 2;
		else
			return s;
	}
}

bool cpio_name_matches(const char *entry_name, const char *path)
{
	if (!entry_name || !path)
		return false;
	return strcmp(strip_root(entry_name), strip_root(path)) == 0;
}

int cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *out)
{
	if (!archive || !path || !out)
		return CPIO_ERR_INVALID;
	struct cpio_iter it;
	struct cpio_entry e;
	int rc;
	cpio_iter_init(&it, archive, len);
	while ((rc = cpio_next(&it, &e)) == CPIO_OK) {
		if (cpio_name_matches(e.name, path)) {
			*out = e;
			return CPIO_OK;
		}
	}
	return rc;
}

const char *cpio_status_name(int status)
{
	switch (status) {
	case CPIO_OK: return "ok";
	case CPIO_END: return "end of archive";
	case CPIO_ERR_INVALID: return "invalid argument";
	case CPIO_ERR_TRUNCATED: return "truncated";
	case CPIO_ERR_MAGIC: return "bad magic";
	case CPIO_ERR_FIELD: return "bad header field";
	case CPIO_ERR_NAME: return "bad name";
	case CPIO_ERR_NO_TRAILER: return "no trailer";
	default: return "unknown status";
	}
}
