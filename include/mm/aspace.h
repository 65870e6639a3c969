/* Address spaces: one page directory each, with a kernel part that is the same
 * in every directory at every moment and a user part of its own.
 *
 *   PDE    0..3     identity map of the first 16 MiB   kernel part (paging's)
 *   PDE    4..767   0x01000000-0xBFFFFFFF user space    this space's own tables
 *   PDE  768..1021  0xC0000000-0xFF7FFFFF kernel        kernel part (shared tables)
 *   PDE 1022        the foreign window (arch/mmu.h)     per directory
 *   PDE 1023        the recursive slot: itself          per directory
 *
 * The kernel part never drifts: every kernel PDE is written through
 * kernel_pde_set(), which updates the master directory and every live space
 * before a table is used or after it is emptied, so a kernel page table is
 * never freed while a directory still points at it, and a kernel mapping
 * made after a space was created is visible in it.
 *
 * The kernel space (the boot directory) is the master; it is never destroyed.
 * Every other space is created empty, edited whether it is active or not
 * (exec, fork and the monitor do), and destroyed with every frame and table
 * it held returned. */
#ifndef MM_ASPACE_H
#define MM_ASPACE_H

#include <stdbool.h>
#include <stdint.h>

#include "arch/mmu.h"
#include "mm/region.h"
#include "arch/types.h"

struct aspace {
	paddr_t pd;		    /* the directory's frame */
	struct aspace *next, *prev; /* every live space, the kernel's first */
	uint32_t tables;	    /* page tables of the user part */
	struct region_set regions;  /* what the user part may hold (mm/region.h) */
	vaddr_t brk_start, brk;	    /* the program break: [brk_start, brk) is a region */
	vaddr_t mmap_base;	    /* where mmap without a hint searches down from */
	/* The arguments exec gave the program, NUL-separated, kmalloc'd (NULL:
	 * none), for /proc/PID/cmdline; fork copies them, as the child's
	 * memory is a copy. */
	char *cmdline;
	uint32_t cmdline_len;
};

extern struct aspace kernel_space;
extern struct aspace *aspace_active; /* the space the MMU uses; read on hot paths */

/* Sets up kernel_space around the boot directory (after paging_init). */
void aspace_init(void);

/* A new space: user part empty, kernel part shared.  NULL when no memory. */
struct aspace *aspace_create(void);
/* fork: a new space with the parent's regions and every page shared, private
 * writable ones copy-on-write.  Copies no page.  NULL when no memory (the
 * parent is left as it was, but for pages now read-only until written). */
struct aspace *aspace_clone(struct aspace *parent);
/* Unmaps everything in the user part, frees its tables, its regions and its
 * directory.  Not the active space, never the kernel's. */
void aspace_destroy(struct aspace *as);
/* Loads as into the MMU. */
void aspace_activate(struct aspace *as);
struct aspace *aspace_current(void);
/* Every live space, the kernel's first; for vm_check and the monitor. */
struct aspace *aspace_first(void);
uint32_t aspace_count(void);
/* Present pages in the user part of as. */
uint32_t aspace_resident(const struct aspace *as);

/* The user pages of a space as ps shows them: a resident page is shared when
 * its frame has more than one reference (another space maps it too, after a
 * fork, or it is a page of a shared mapping or a file, which its memory
 * object holds too: Linux's shared memory counts as shared), private
 * otherwise. */
struct aspace_pages {
	uint32_t resident, shared, private_pages;
};
/* Counts the present user pages of as, which must be a live space.
 * VMM_ERR_INVALID (and *out untouched) otherwise; VMM_OK. */
int aspace_page_counts(struct aspace *as, struct aspace_pages *out);

/* Writes kernel PDE pdi in the master directory and every live space. */
void kernel_pde_set(uint32_t pdi, pte_t value);

static inline bool va_is_kernel(vaddr_t va)
{
	return va >= LAYOUT_KERNEL_BASE;
}

static inline bool va_is_user(vaddr_t va)
{
	return va >= LAYOUT_USER_START && va < LAYOUT_USER_END;
}

/* [va, va + len) lies inside user space without wrapping (len may be 0). */
static inline bool user_range_ok(vaddr_t va, uint32_t len)
{
	return va >= LAYOUT_USER_START && va <= LAYOUT_USER_END && len <= LAYOUT_USER_END - va;
}

#endif
