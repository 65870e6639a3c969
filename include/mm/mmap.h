/* The memory system calls, with Linux's semantics and errno values: they
 * edit regions only (nothing is allocated before it is touched) and unmap
 * whatever pages a removed or narrowed range had.  Each returns what the
 * system call returns: an address or 0, or -errno. */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include <stdbool.h>
#include <stdint.h>

#include "mm/types.h"

struct aspace;
struct file_backing;

/* Linux's values (asm-generic/mman-common.h, mman.h). */
#define PROT_READ	    0x1u
#define PROT_WRITE	    0x2u
#define PROT_EXEC	    0x4u
#define PROT_GROWSDOWN	    0x01000000u
#define PROT_GROWSUP	    0x02000000u
#define MAP_SHARED	    0x01u
#define MAP_PRIVATE	    0x02u
#define MAP_SHARED_VALIDATE 0x03u
#define MAP_TYPE	    0x0Fu
#define MAP_FIXED	    0x10u
#define MAP_ANONYMOUS	    0x20u
#define MAP_GROWSDOWN	    0x0100u
#define MAP_DENYWRITE	    0x0800u
#define MAP_EXECUTABLE	    0x1000u
#define MAP_LOCKED	    0x2000u
#define MAP_NORESERVE	    0x4000u
#define MAP_POPULATE	    0x8000u
#define MAP_NONBLOCK	    0x10000u
#define MAP_STACK	    0x20000u
#define MAP_FIXED_NOREPLACE 0x100000u

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
/* brk: the new break, or the old one when it cannot move (Linux's contract). */
long mm_brk(struct aspace *as, vaddr_t new_brk);
/* Sets the initial break just above the program's image (exec). */
void mm_brk_init(struct aspace *as, vaddr_t image_end);

#endif
