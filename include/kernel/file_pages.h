/* A regular file's bytes as pages (kernel/file_pages.c).
 *
 * A file of the writable RAM part (/tmp) keeps its bytes in the frames of a
 * memory object (mm/vm_object.h), page by page: read() and write() copy
 * through them and a MAP_SHARED mapping maps those very frames, so a store
 * through the mapping is what read() returns and write() shows through
 * every mapping at once.  A page never written is a hole and reads as zeros.
 * A file of the boot archive keeps its bytes in the archive; a shared
 * mapping of it gets an object of its own, each page copied from the
 * archive on first use (the file never changes, so the copy is the file). */
#ifndef KERNEL_FILE_PAGES_H
#define KERNEL_FILE_PAGES_H

#include <stdbool.h>
#include <stdint.h>

struct inode;
struct vm_object;

/* The object holding a RAM file's pages, made on first use (the inode keeps
 * one reference until it is freed): NULL when no memory. */
struct vm_object *file_pages_object(struct inode *ino);
/* The object a shared mapping of ino maps, with a reference for the caller:
 * a RAM file's own, or for an archive file a new one filled from the
 * archive.  NULL when no memory. */
struct vm_object *file_pages_for_mapping(struct inode *ino);
/* Copies n bytes of a RAM file at offset (inside its size) to dst, user
 * memory when to_user: the bytes copied, or -EFAULT when none could be. */
long file_pages_read(struct inode *ino, uint32_t offset, void *dst, uint32_t n, bool to_user);
/* Copies n bytes from user memory into a RAM file at offset (the caller
 * grows the size): the bytes written, or -ENOMEM / -EFAULT when none were. */
long file_pages_write(struct inode *ino, uint32_t offset, const void *user_src, uint32_t n);
/* A RAM file's size is about to change from ino->size to size: bytes between
 * the two in the last page the file keeps are zeroed, and pages past the
 * new end are dropped and unmapped from every space (an access there is
 * then SIGBUS, as on Linux). */
void file_pages_resize(struct inode *ino, uint32_t size);
/* The inode goes: its reference on the object. */
void file_pages_release(struct inode *ino);

#endif
