/* Physical and virtual addresses are different things; their types say which
 * one a value is, so an API reads as what it expects. */
#ifndef ARCH_TYPES_H
#define ARCH_TYPES_H

#include <stdint.h>

typedef uint32_t paddr_t; /* a physical address */
typedef uint32_t vaddr_t; /* a virtual (linear) address */
typedef uint32_t pfn_t;	  /* a physical frame number: paddr >> PAGE_SHIFT */

#define PHYS_LIMIT 0x100000000ull /* 32-bit paging reaches 4 GiB of physical memory */

#define PAGE_SHIFT	 12u
#define PAGE_SIZE	 (1u << PAGE_SHIFT)
#define PAGE_OFFSET_MASK (PAGE_SIZE - 1u)

static inline int page_aligned(uint32_t addr)
{
	return (addr & PAGE_OFFSET_MASK) == 0;
}

static inline pfn_t paddr_to_pfn(paddr_t pa)
{
	return pa >> PAGE_SHIFT;
}

static inline paddr_t pfn_to_paddr(pfn_t pfn)
{
	return pfn << PAGE_SHIFT;
}

#endif
