#include "lib/crc32.h"

#define CRC32_POLY_REVERSED 0xEDB88320u

uint32_t crc32(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t crc = 0xFFFFFFFFu;
	while (len--) {
		crc ^= *p++;
		for (int bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (CRC32_POLY_REVERSED & (0u - (crc & 1u)));
	}
	return ~crc;
}
