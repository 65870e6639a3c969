/* What the shared memory-system cases need to know about the machine they
 * run on.  The kernel answers from its own boot (tests/kernel/test_env.c),
 * the host tests from their fake machine (tests/host/mm_fixture.c). */
#ifndef TESTS_COMMON_TEST_ENV_H
#define TESTS_COMMON_TEST_ENV_H

#include <stdbool.h>

#include "arch/types.h"

paddr_t test_env_low_reserved_frame(void); /* a frame of the reserved first MiB */
paddr_t test_env_kernel_frame(void);	   /* a frame of the kernel image */
paddr_t test_env_beyond_ram(void);	   /* a frame address past usable RAM */
/* Whether free frames below 16 MiB are to be expected: not when boot modules
 * filled that memory (the PMM then had to put its records above it). */
bool test_env_low_frames_free(void);

#endif
