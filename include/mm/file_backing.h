/* What a file mapping needs from the file system: a file's bytes, read at an
 * offset, and the file's size; counted references keep it alive while a
 * region maps it.  The file system implements these (kernel/fs); mm/ never
 * looks inside a file. */
#ifndef MM_FILE_BACKING_H
#define MM_FILE_BACKING_H

#include <stdbool.h>
#include <stdint.h>

struct file_backing;
struct vm_object;

struct file_backing_ops {
	/* Copies up to n bytes at offset into dst; returns the bytes copied
	 * (fewer past the end of the file). */
	uint32_t (*read)(struct file_backing *fb, uint32_t offset, void *dst, uint32_t n);
	/* The object holding the file's pages, which its shared mappings map
	 * (and its private ones, when the file `changes`), with a new reference
	 * for the caller; NULL when no memory. */
	struct vm_object *(*object)(struct file_backing *fb);
	void (*get)(struct file_backing *fb);
	void (*put)(struct file_backing *fb);
};

struct file_backing {
	const struct file_backing_ops *ops;
	uint32_t size;
	/* Its bytes can change while it is mapped (a file someone may write):
	 * a private mapping then maps the file's own pages, read-only, until
	 * it writes one, and sees every change to the pages it has not
	 * written, as on Linux.  Otherwise a copy at first touch is the same. */
	bool changes;
};

static inline void file_backing_get(struct file_backing *fb)
{
	if (fb && fb->ops->get)
		fb->ops->get(fb);
}

static inline void file_backing_put(struct file_backing *fb)
{
	if (fb && fb->ops->put)
		fb->ops->put(fb);
}

#endif
