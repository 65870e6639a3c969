/* Random VMM and PMM operations on the real MMU against a shadow model
 * (kernel/stress.c): test=stress runs it once, test=soak between rounds of
 * user programs. */
#ifndef KERNEL_STRESS_H
#define KERNEL_STRESS_H

#include <stdbool.h>
#include <stdint.h>

/* ops random operations from seed (>= 1) in the test scratch region, with
 * vm_check() along the way; everything is given back at the end.  Prints
 * what diverged, if anything, and returns whether the run passed. */
bool stress_run(uint32_t seed, uint32_t ops);

#endif
