/* mmap, munmap, mprotect and brk on the regions of a space (mm/mmap.h). */
#include "mm/mmap.h"

#include <stddef.h>

#include "uapi/linux_errno.h"
#include "mm/aspace.h"
#include "mm/file_backing.h"
#include "mm/pmm.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"

#define KNOWN_MAP_FLAGS                                                                            \
	(LINUX_MAP_TYPE | LINUX_MAP_FIXED | LINUX_MAP_ANONYMOUS | LINUX_MAP_GROWSDOWN |            \
	 LINUX_MAP_DENYWRITE | LINUX_MAP_EXECUTABLE | LINUX_MAP_LOCKED | LINUX_MAP_NORESERVE |     \
	 LINUX_MAP_POPULATE | LINUX_MAP_NONBLOCK | LINUX_MAP_STACK | LINUX_MAP_FIXED_NOREPLACE)

static uint32_t page_up(uint32_t x)
{
	return (x + PAGE_OFFSET_MASK) & ~PAGE_OFFSET_MASK;
}

/* The highest gap of len bytes below as->mmap_base, or 0. */
static vaddr_t find_gap(struct aspace *as, uint32_t len)
{
	const struct region_set *set = &as->regions;
	vaddr_t top = as->mmap_base;
	for (uint32_t i = set->count;;) {
		while (i > 0 && set->v[i - 1].start >= top)
			i--;
		vaddr_t floor = i > 0 ? set->v[i - 1].end : LAYOUT_USER_START;
		if (floor <= top && top - floor >= len)
			return top - len;
		if (i == 0)
			return 0;
		top = set->v[--i].start;
	}
}

/* Where the hint itself fits: free and inside user space. */
static bool hint_fits(struct aspace *as, vaddr_t addr, uint32_t len)
{
	if (!addr || !user_range_ok(addr, len))
		return false;
	struct region *next = region_next(&as->regions, addr);
	return !next || next->start >= addr + len;
}

static uint32_t region_prot(uint32_t prot)
{
	return prot & REGION_PROT_MASK;
}

long mm_mmap(struct aspace *as, vaddr_t addr, uint32_t len, uint32_t prot, uint32_t flags,
	     const struct mmap_file *file, uint32_t pgoff)
{
	bool anonymous = flags & LINUX_MAP_ANONYMOUS;
	if (!anonymous && (!file || file->bad_fd))
		return -LINUX_EBADF;
	if (!len)
		return -LINUX_EINVAL;
	uint32_t type = flags & LINUX_MAP_TYPE;
	if (type != LINUX_MAP_SHARED && type != LINUX_MAP_PRIVATE &&
	    type != LINUX_MAP_SHARED_VALIDATE)
		return -LINUX_EINVAL;
	if (type == LINUX_MAP_SHARED_VALIDATE && (flags & ~KNOWN_MAP_FLAGS))
		return -LINUX_EOPNOTSUPP;
	if (prot & ~(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC | LINUX_PROT_GROWSDOWN |
		     LINUX_PROT_GROWSUP))
		return -LINUX_EINVAL;
	uint32_t size = page_up(len);
	if (!size)
		return -LINUX_ENOMEM;
	/* As on i386 Linux: pgoff plus the pages must fit 32 bits (the regions
	 * count on it), for anonymous memory too, whose offset is dropped. */
	if (pgoff + (size >> PAGE_SHIFT) < pgoff)
		return -LINUX_EOVERFLOW;
	bool fixed = flags & (LINUX_MAP_FIXED | LINUX_MAP_FIXED_NOREPLACE);
	if (fixed && !page_aligned(addr))
		return -LINUX_EINVAL;
	if (size > LAYOUT_USER_END || (fixed && !user_range_ok(addr, size)))
		return -LINUX_ENOMEM;
	bool shared = type != LINUX_MAP_PRIVATE;
	if (!anonymous) {
		if (!file->mappable)
			return -LINUX_ENODEV;
		if (!file->readable || (shared && (prot & LINUX_PROT_WRITE) && !file->writable))
			return -LINUX_EACCES;
	}
	/* Only private anonymous memory grows down, as on Linux: a region with
	 * a file or an object behind it would shift every page's offset. */
	if ((flags & LINUX_MAP_GROWSDOWN) && (!anonymous || shared))
		return -LINUX_EINVAL;
	if (!fixed) {
		addr = page_aligned(addr) ? addr : page_up(addr);
		if (!hint_fits(as, addr, size) && !(addr = find_gap(as, size)))
			return -LINUX_ENOMEM;
	} else if ((flags & LINUX_MAP_FIXED_NOREPLACE) && !hint_fits(as, addr, size)) {
		return -LINUX_EEXIST;
	}
	/* A shared mapping maps an object: a new one for anonymous memory (one
	 * per mmap call, whatever later splits or forks share it), the file's
	 * own pages for a file, and so does a private mapping of a file whose
	 * bytes can change (until it writes a page).  A mapping follows the
	 * file's size as it changes, so its bytes end where the file does
	 * (file_end unlimited). */
	struct vm_object *object = NULL;
	if (shared || (!anonymous && file->fb->changes)) {
		if (!anonymous && !file->fb->ops->object)
			return -LINUX_ENODEV;
		object = anonymous ? vm_object_create(NULL, NULL) : file->fb->ops->object(file->fb);
		if (!object)
			return -LINUX_ENOMEM;
	}
	struct region r = {
		.start = addr,
		.end = addr + size,
		.flags = region_prot(prot) | (shared ? REGION_SHARED : 0) |
			 ((flags & LINUX_MAP_GROWSDOWN) ? REGION_GROWSDOWN : 0) |
			 (shared && !anonymous && !file->writable ? REGION_NO_WRITE : 0),
		.file = anonymous ? NULL : file->fb,
		.object = object,
		.pgoff = anonymous ? 0 : pgoff,
		.file_end = anonymous ? 0 : UINT32_MAX,
	};
	/* MAP_FIXED replaces what was there: room for the worst case (two
	 * splits and the new region) is made first, so the removal and the
	 * insertion either both happen or, for want of memory, neither.  A
	 * range chosen here, or a MAP_FIXED_NOREPLACE one, was checked free
	 * of regions, so of pages too: nothing to remove. */
	int rc = region_reserve(&as->regions, 3);
	if (rc == VMM_OK && (flags & LINUX_MAP_FIXED) && !(flags & LINUX_MAP_FIXED_NOREPLACE)) {
		rc = region_remove(&as->regions, r.start, r.end);
		if (rc == VMM_OK)
			vmm_drop_range(as, r.start, r.end);
	}
	if (rc == VMM_OK)
		rc = region_insert(&as->regions, &r);
	vm_object_put(object); /* the region holds its own reference */
	return rc == VMM_OK ? (long)addr : -status_errno(rc);
}

void mm_object_truncate(struct vm_object *object, uint32_t first)
{
	if (!object)
		return;
	struct aspace *as = aspace_first();
	do {
		for (uint32_t i = 0; i < as->regions.count; i++) {
			const struct region *r = &as->regions.v[i];
			if (r->object != object)
				continue;
			uint32_t pages = (r->end - r->start) >> PAGE_SHIFT;
			if (r->pgoff + pages <= first)
				continue;
			vaddr_t from = first > r->pgoff
					       ? r->start + ((first - r->pgoff) << PAGE_SHIFT)
					       : r->start;
			vmm_drop_range(as, from, r->end);
		}
		as = as->next;
	} while (as != aspace_first());
	vm_object_truncate(object, first);
}

long mm_munmap(struct aspace *as, vaddr_t addr, uint32_t len)
{
	if (!page_aligned(addr) || !len)
		return -LINUX_EINVAL;
	uint32_t size = page_up(len);
	if (!size || !user_range_ok(addr, size))
		return -LINUX_EINVAL;
	int rc = region_remove(&as->regions, addr, addr + size);
	if (rc != VMM_OK)
		return -status_errno(rc);
	vmm_drop_range(as, addr, addr + size);
	return 0;
}

struct protect_walk {
	struct aspace *as;
};

/* A present page follows its region's new protection; a private page whose
 * frame is shared stays read-only so its first write still copies. */
static bool reprotect(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)pde;
	struct protect_walk *w = ctx;
	struct region *r = region_find(&w->as->regions, va);
	paddr_t frame = *pte & PTE_FRAME_MASK;
	/* PROT_NONE: present for the kernel's books, unreachable from ring 3. */
	uint32_t flags = r && (r->flags & REGION_PROT_MASK) ? PTE_USER : 0;
	if (r && (r->flags & REGION_WRITE)) {
		bool exclusive = pmm_frame_state(frame) == FRAME_USER && pmm_frame_refs(frame) == 1;
		if ((r->flags & REGION_SHARED) || exclusive)
			flags |= PTE_WRITABLE;
	}
	vmm_protect_in(w->as, va, flags);
	return true;
}

long mm_mprotect(struct aspace *as, vaddr_t addr, uint32_t len, uint32_t prot)
{
	if (!page_aligned(addr))
		return -LINUX_EINVAL;
	if (!len)
		return 0;
	uint32_t size = page_up(len);
	if (!size || addr + size <= addr)
		return -LINUX_ENOMEM;
	if (prot & ~(LINUX_PROT_READ | LINUX_PROT_WRITE | LINUX_PROT_EXEC | LINUX_PROT_GROWSDOWN |
		     LINUX_PROT_GROWSUP))
		return -LINUX_EINVAL;
	if (!user_range_ok(addr, size))
		return -LINUX_ENOMEM;
	/* As Linux does: region by region from addr; at the first hole the
	 * call stops with ENOMEM, keeping what it changed before it. */
	vaddr_t end = addr + size;
	for (vaddr_t at = addr; at < end;) {
		struct region *r = region_find(&as->regions, at);
		if (!r)
			return -LINUX_ENOMEM;
		if ((r->flags & REGION_NO_WRITE) && (prot & LINUX_PROT_WRITE))
			return -LINUX_EACCES;
		vaddr_t stop = r->end < end ? r->end : end;
		int rc = region_protect(&as->regions, at, stop, region_prot(prot));
		if (rc != VMM_OK)
			return -status_errno(rc);
		struct protect_walk w = {as};
		vmm_walk(as, at, stop, reprotect, &w);
		at = stop;
	}
	return 0;
}

long mm_msync(struct aspace *as, vaddr_t addr, uint32_t len, uint32_t flags)
{
	if (flags & ~(LINUX_MS_ASYNC | LINUX_MS_INVALIDATE | LINUX_MS_SYNC))
		return -LINUX_EINVAL;
	if (!page_aligned(addr))
		return -LINUX_EINVAL;
	if ((flags & LINUX_MS_ASYNC) && (flags & LINUX_MS_SYNC))
		return -LINUX_EINVAL;
	uint32_t size = page_up(len);
	if (addr + size < addr)
		return -LINUX_ENOMEM;
	if (!size)
		return 0;
	return region_covered(&as->regions, addr, addr + size) ? 0 : -LINUX_ENOMEM;
}

void mm_brk_init(struct aspace *as, vaddr_t image_end)
{
	as->brk_start = as->brk = page_up(image_end);
}

long mm_brk(struct aspace *as, vaddr_t new_brk)
{
	vaddr_t old = as->brk;
	if (new_brk < as->brk_start || !user_range_ok(new_brk, 0))
		return (long)old;
	vaddr_t old_top = page_up(old), new_top = page_up(new_brk);
	if (new_top > old_top) {
		struct region *next = region_next(&as->regions, old_top);
		if (next && next->start < new_top + PAGE_SIZE)
			return (long)old;
		struct region r = {
			.start = old_top, .end = new_top, .flags = REGION_READ | REGION_WRITE};
		if (region_insert(&as->regions, &r) != VMM_OK)
			return (long)old;
	} else if (new_top < old_top) {
		if (region_remove(&as->regions, new_top, old_top) != VMM_OK)
			return (long)old;
		vmm_drop_range(as, new_top, old_top);
	}
	as->brk = new_brk;
	return (long)new_brk;
}
