/* A booted memory system on the fake machine: what the kernel has after
 * init_memory(), for host tests of mm/.
 *
 * Physical layout of the fake machine (like QEMU's):
 *   [0, 0x9F000)        available   (reserved by the "first MiB" reservation)
 *   [0x9F000, 0x100000) reserved    (EBDA, VGA, BIOS)
 *   [1 MiB, 1 MiB + 256 KiB)        the "kernel image" (FRAME_KERNEL)
 *   next frame                      the page directory (FRAME_KERNEL)
 *   [1 MiB, ram)        available
 * The heap's virtual range is ordinary host memory mapped at
 * LAYOUT_HEAP_START (see arch/layout.h): heap bytes live there, while the VMM
 * still maps a fake frame behind every heap page. */
#ifndef TESTS_HOST_MM_FIXTURE_H
#define TESTS_HOST_MM_FIXTURE_H

#include <stdint.h>

#include "arch/types.h"

#define FIXTURE_KERNEL_START 0x00100000u
#define FIXTURE_KERNEL_END   0x00140000u
#define FIXTURE_DIRECTORY    FIXTURE_KERNEL_END

/* Boots memmap, PMM, fake paging, VMM and a heap of heap_pages pages (0: no
 * heap) on ram_bytes of fake RAM.  Fails the current test on any error. */
void mm_fixture_boot(uint64_t ram_bytes, uint32_t heap_pages);
void mm_fixture_shutdown(void);

#endif
