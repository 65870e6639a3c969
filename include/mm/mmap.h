/* The memory system calls, with Linux's semantics and errno values: they
 * edit regions only (nothing is allocated before it is touched) and unmap
 * whatever pages a removed or narrowed range had.  Each returns what the
 * system call returns: an address or 0, or -errno. */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/types.h"
#include "uapi/linux_flags.h"

struct aspace;
struct file_backing;
struct vm_object;

/* The file side of a file mapping: NULL fb for MAP_ANONYMOUS.  `bad_fd` says
 * the descriptor did not name an open file (EBADF); the rest describe it. */
struct mmap_file {
	struct file_backing *fb;
	bool bad_fd;
	bool readable, writable; /* how the descriptor was opened */
	bool mappable;		 /* a regular file (ENODEV otherwise) */
};

/* mmap2: offset in pages. */
long mm_mmap(struct aspace *as, vaddr_t addr, uint32_t len, uint32_t prot, uint32_t flags,
	     const struct mmap_file *file, uint32_t pgoff);
long mm_munmap(struct aspace *as, vaddr_t addr, uint32_t len);
long mm_mprotect(struct aspace *as, vaddr_t addr, uint32_t len, uint32_t prot);
/* msync: a shared mapping is the file's own pages, so there is nothing to
 * write back; only Linux's checks: EINVAL for bad flags or an unaligned
 * address, ENOMEM when part of the range is not mapped. */
long mm_msync(struct aspace *as, vaddr_t addr, uint32_t len, uint32_t flags);
/* A file shrank to `first` pages: its object drops the pages from there on,
 * and every space that maps them loses them, so a later access past the
 * new end faults (SIGBUS) instead of reaching a dropped page. */
void mm_object_truncate(struct vm_object *object, uint32_t first);
/* brk: the new break, or the old one when it cannot move (Linux's contract). */
long mm_brk(struct aspace *as, vaddr_t new_brk);
/* Sets the initial break just above the program's image (exec). */
void mm_brk_init(struct aspace *as, vaddr_t image_end);

#endif
