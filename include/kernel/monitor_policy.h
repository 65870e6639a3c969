/* The monitor's write policy: what map, unmap and poke may touch.  Each
 * function returns why a request is refused, as text for the monitor's
 * `error: ` line, or NULL when it may go ahead. */
#ifndef KERNEL_MONITOR_POLICY_H
#define KERNEL_MONITOR_POLICY_H

#include <stdint.h>

#include "arch/types.h"

/* Why map or unmap may not touch the page at virt at all.  The text lives
 * until the next call. */
const char *monitor_virt_refusal(vaddr_t virt);

/* Why the VMM refused to map the frame at phys ("invalid"): it maps only
 * frames someone owns, and a heap frame only once.  NULL when the state
 * does not explain it. */
const char *monitor_frame_refusal(paddr_t phys);

/* Why the word at va, mapped to pa with PTE flags `flags`, may not be
 * written. */
const char *monitor_poke_refusal(vaddr_t va, paddr_t pa, uint32_t flags);

#endif
