/* A regular file's bytes as the frames of a memory object
 * (include/kernel/file_pages.h). */
#include "kernel/file_pages.h"

#include <stddef.h>

#include "kernel/vfs.h"
#include "lib/string.h"
#include "mm/mmap.h"
#include "mm/uaccess.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"
#include "uapi/linux_errno.h"

/* Bytes go through the kernel stack between user memory and a frame: the
 * frame window must never be live across a user access, which may fault
 * and resolve through other windows. */
#define BOUNCE 256u

/* An archive file's page, copied on first use from the archive. */
static void fill_from_archive(void *owner, uint32_t index, paddr_t frame)
{
	const struct inode *ino = owner;
	uint32_t at = index << PAGE_SHIFT;
	uint32_t n = at < ino->size ? ino->size - at : 0;
	arch_zero_frame(frame);
	if (n)
		arch_frame_write(frame, 0, ino->data + at, n < PAGE_SIZE ? n : PAGE_SIZE);
}

struct vm_object *file_pages_object(struct inode *ino)
{
	if (!ino->pages)
		ino->pages = vm_object_create(NULL, ino);
	return ino->pages;
}

struct vm_object *file_pages_for_mapping(struct inode *ino)
{
	if (ino->data) {
		/* The boot archive lives as long as the kernel, its files too: an
		 * object the inode kept would never be freed.  Each mapping gets
		 * its own, which its forks and splits share and which goes with
		 * them; the bytes are the same in every copy. */
		return vm_object_create(fill_from_archive, ino);
	}
	struct vm_object *o = file_pages_object(ino);
	vm_object_get(o);
	return o;
}

/* The bytes of the next step of a copy at file offset `at` with `left` to
 * go: no more than the bounce buffer holds, and never past at's page. */
static uint32_t step_bytes(uint32_t at, uint32_t left)
{
	uint32_t room = PAGE_SIZE - (at & PAGE_OFFSET_MASK);
	uint32_t n = left < BOUNCE ? left : BOUNCE;
	return n < room ? n : room;
}

long file_pages_read(struct inode *ino, uint32_t offset, void *dst, uint32_t n, bool to_user)
{
	uint8_t bounce[BOUNCE];
	uint32_t done = 0;
	while (done < n) {
		uint32_t at = offset + done;
		uint32_t in_page = at & PAGE_OFFSET_MASK;
		uint32_t chunk = step_bytes(at, n - done);
		paddr_t frame = vm_object_lookup(ino->pages, at >> PAGE_SHIFT);
		if (frame)
			arch_frame_read(frame, in_page, bounce, chunk);
		else
			memset(bounce, 0, chunk);
		uint8_t *to = (uint8_t *)dst + done;
		if (!to_user)
			memcpy(to, bounce, chunk);
		else if (copy_to_user(to, bounce, chunk))
			return done ? (long)done : -LINUX_EFAULT;
		done += chunk;
	}
	return (long)done;
}

long file_pages_write(struct inode *ino, uint32_t offset, const void *user_src, uint32_t n)
{
	uint8_t bounce[BOUNCE];
	uint32_t done = 0;
	while (done < n) {
		uint32_t at = offset + done;
		uint32_t in_page = at & PAGE_OFFSET_MASK;
		uint32_t chunk = step_bytes(at, n - done);
		/* The user bytes first: their fault may run before the frame is
		 * looked up, never between the lookup and the copy. */
		if (copy_from_user(bounce, (const uint8_t *)user_src + done, chunk))
			return done ? (long)done : -LINUX_EFAULT;
		struct vm_object *o = file_pages_object(ino);
		paddr_t frame;
		if (!o || vm_object_page(o, at >> PAGE_SHIFT, &frame) != VMM_OK)
			return done ? (long)done : -LINUX_ENOMEM;
		arch_frame_write(frame, in_page, bounce, chunk);
		done += chunk;
	}
	return (long)done;
}

/* Zeros [from, to) of the page that holds from (to at most its end). */
static void zero_in_page(struct inode *ino, uint32_t from, uint32_t to)
{
	static const uint8_t zeros[BOUNCE];
	paddr_t frame = vm_object_lookup(ino->pages, from >> PAGE_SHIFT);
	if (!frame)
		return;
	while (from < to) {
		uint32_t chunk = to - from < BOUNCE ? to - from : BOUNCE;
		arch_frame_write(frame, from & PAGE_OFFSET_MASK, zeros, chunk);
		from += chunk;
	}
}

static uint32_t page_end(uint32_t at)
{
	return (at | PAGE_OFFSET_MASK) + 1;
}

void file_pages_resize(struct inode *ino, uint32_t size)
{
	if (!ino->pages)
		return;
	uint32_t old = ino->size;
	if (size > old) {
		/* Bytes a shared mapping stored past the old end are not the
		 * file's: the file grows with zeros. */
		if (old & PAGE_OFFSET_MASK)
			zero_in_page(ino, old, size < page_end(old) ? size : page_end(old));
		return;
	}
	if (size & PAGE_OFFSET_MASK)
		zero_in_page(ino, size, page_end(size));
	mm_object_truncate(ino->pages, (size + PAGE_OFFSET_MASK) >> PAGE_SHIFT);
}

void file_pages_release(struct inode *ino)
{
	vm_object_put(ino->pages);
	ino->pages = NULL;
}
