#ifndef LIB_CRC32_H
#define LIB_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* CRC-32 (IEEE 802.3, as zlib.crc32 computes it), bit by bit: no table to
 * keep, and it only checks boot modules. */
uint32_t crc32(const void *data, size_t len);

#endif
