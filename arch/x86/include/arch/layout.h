/* The Toyix address space (32-bit, no PAE), named once.  README.md shows the
 * same table; no other file spells these addresses as numbers.
 *
 *   0xFFFFFFFF +---------------------------+
 *              | page tables, recursively  |  PDE 1023 points at the directory:
 *   0xFFC00000 | mapped (4 MiB window)     |  table i appears at 0xFFC00000 + i*4K
 *              +---------------------------+
 *              | free: test scratch 0xE0.. |
 *   0xD4400000 +---------------------------+
 *              | process kernel stacks:    |  16 KiB slots: a 12 KiB stack
 *   0xD4000000 | one slot per process      |  over an unmapped guard page
 *              +---------------------------+
 *   0xD2400000 +---------------------------+
 *   0xD2000000 | PMM records above 16 MiB  |  mapped at boot when they must be
 *              +---------------------------+
 *              | kernel heap, grows on     |
 *   0xD1000000 | demand page by page       |
 *              +---------------------------+
 *   0xD0000000 | VMM self-test page        |
 *              +---------------------------+
 *              | boot modules above 16 MiB |  mapped read-only at boot
 *   0xC0400000 +---------------------------+
 *   0xC0000000 | never mapped (fault test) |
 *              +---------------------------+
 *   0x01000000 | identity map of 16 MiB:   |  kernel loaded at 1 MiB, text and
 *              | kernel, VGA, low memory   |  rodata read-only, stack guard hole
 *   0x00001000 +---------------------------+
 *              | page 0: never mapped      |  NULL dereferences fault
 *   0x00000000 +---------------------------+
 */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

#define LAYOUT_NULL_PAGE_END   0x00001000u
#define LAYOUT_LOW_MEMORY_END  0x00100000u /* real-mode area, BIOS, VGA */
#define LAYOUT_IDENTITY_END    0x01000000u
#define LAYOUT_USER_START      0x01000000u /* user space: private to each process */
#define LAYOUT_USER_END	       0xC0000000u
#define LAYOUT_STACK_TOP       0xC0000000u /* the initial stack grows down from here */
#define LAYOUT_MMAP_TOP	       0xB0000000u /* mmap without a hint searches down from here */
#define LAYOUT_KERNEL_BASE     0xC0000000u /* from here up: the kernel's, in every space */
#define LAYOUT_PAGE_FAULT_TEST 0xC0000000u
/* Boot modules the identity map does not cover (the root file system may
 * be far larger than 16 MiB, and a loader may put it anywhere), one after
 * the other: 252 MiB of them. */
#define LAYOUT_MODULES	     0xC0400000u
#define LAYOUT_MODULES_END   0xD0000000u
#define LAYOUT_VMM_TEST_PAGE 0xD0000000u
#ifdef TOYIX_HOST
/* Host tests run the heap in their own process, where ASan owns everything
 * from 0x7FFF8000 up: there the heap's 16 MiB move to an address the test
 * can map (tests/host/mm_fixture.c). */
#define LAYOUT_HEAP_START 0x51000000u
#else
#define LAYOUT_HEAP_START 0xD1000000u
#endif
#define LAYOUT_HEAP_END (LAYOUT_HEAP_START + 0x01000000u)
/* The PMM's frame records when they had to go above the identity map (a
 * boot module filled the first 16 MiB): 4 MiB holds the records of 4 GiB. */
#define LAYOUT_PMM_RECORDS	0xD2000000u
#define LAYOUT_PMM_RECORDS_END	0xD2400000u
#define LAYOUT_KSTACKS		0xD4000000u /* per-process kernel stacks (kernel/proc.c) */
#define LAYOUT_KSTACKS_END	0xD4400000u /* one page table's worth: 256 slots */
#define LAYOUT_KSTACK_SLOT	0x00004000u /* stack at the top, unmapped guard below */
#define LAYOUT_TEST_SCRATCH	0xE0000000u /* in-kernel tests map here */
#define LAYOUT_TEST_SCRATCH_END 0xF0000000u
#define LAYOUT_KMAP_BASE	0xFF000000u /* arch's windows onto single frames */
#define LAYOUT_FOREIGN_BASE	0xFF800000u /* another directory's tables (arch/mmu.h) */
#define LAYOUT_FOREIGN_SLOT	1022u
#define LAYOUT_RECURSIVE_BASE	0xFFC00000u
#define LAYOUT_RECURSIVE_SLOT	1023u

#endif
