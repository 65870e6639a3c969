/* Reading a cpio archive in the `newc` format: what `cpio -o -H newc`
 * writes and Linux's initramfs reads, and Toyix's root file system.
 *
 * Each entry is a 110-byte ASCII header (magic "070701", then thirteen
 * 8-digit hex fields), the NUL-terminated name, padding to a multiple of 4
 * bytes from the archive's start, the data, and padding again.  The entry
 * named TRAILER!!! ends the archive.
 *
 * The archive is untrusted bytes (a boot module anyone could swap): every
 * field and offset is checked against the archive's length before it is
 * used, and a bad archive gives a status and a reason, never a read outside
 * [archive, archive + len).  Nothing is copied: entries point into the
 * archive, which must stay in place while they are used. */
#ifndef LIB_CPIO_H
#define LIB_CPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CPIO_HEADER_SIZE 110u
#define CPIO_NAME_MAX	 4096u /* namesize with its NUL, as Linux's PATH_MAX */

enum cpio_status {
	CPIO_OK = 0,		  /* an entry was produced */
	CPIO_END = 1,		  /* the trailer was reached: no more entries */
	CPIO_ERR_INVALID = -1,	  /* a NULL argument */
	CPIO_ERR_TRUNCATED = -2,  /* a header, name or data runs past the end */
	CPIO_ERR_MAGIC = -3,	  /* not "070701" (or "070702") where a header starts */
	CPIO_ERR_FIELD = -4,	  /* a header field is not 8 hex digits */
	CPIO_ERR_NAME = -5,	  /* empty, too long, or not ended by its only NUL */
	CPIO_ERR_NO_TRAILER = -6, /* the bytes ended between entries, without TRAILER!!! */
};

struct cpio_entry {
	const char *name;    /* NUL-terminated, inside the archive */
	uint32_t name_len;   /* without the NUL */
	uint32_t mode;	     /* type (LINUX_S_IFMT bits) and permissions */
	uint32_t size;	     /* bytes of data */
	const uint8_t *data; /* size bytes inside the archive */
	uint32_t ino, uid, gid, nlink, mtime;
	uint32_t rdev_major, rdev_minor; /* of a device node */
	uint32_t offset; /* of the header, from the archive's start (for messages) */
};

/* Where a walk over one archive stands.  After an error it stays in the
 * error: every later cpio_next() returns the same status. */
struct cpio_iter {
	const uint8_t *base;
	size_t len;
	size_t pos;
	int status;	    /* CPIO_OK while entries may follow */
	const char *reason; /* what was wrong, for a boot message; "" when nothing */
};

/* Starts a walk over len bytes at archive. */
void cpio_iter_init(struct cpio_iter *it, const void *archive, size_t len);

/* The next entry into *out: CPIO_OK, CPIO_END after the trailer, or an error
 * (it->reason says why, it->pos is the offset of the bad header). */
int cpio_next(struct cpio_iter *it, struct cpio_entry *out);

/* Walks the whole archive: CPIO_END when it is well formed up to its
 * trailer, else the first error (reason and its offset through the
 * optional out-parameters) and the number of good entries before it. */
int cpio_validate(const void *archive, size_t len, uint32_t *entries, const char **reason,
		  size_t *bad_offset);

/* Finds path: CPIO_OK and the entry, CPIO_END when the archive has no such
 * name, or the archive's error.  A leading "/" or "./" on either side is
 * ignored, so "/etc/hello.txt" finds the entry "etc/hello.txt". */
int cpio_find(const void *archive, size_t len, const char *path, struct cpio_entry *out);

/* Whether an archive name and a path name the same file, by the rule above. */
bool cpio_name_matches(const char *entry_name, const char *path);

/* A constant name of a status, for messages. */
const char *cpio_status_name(int status);

#endif
