/* Bytes for AT_RANDOM and getrandom(): a mixing generator stirred with the
 * timer on every call.  Unpredictable enough for stack canaries and hash
 * seeds in a teaching kernel; not a cryptographic source. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stdint.h>

void random_bytes(void *buf, uint32_t n);

#endif
