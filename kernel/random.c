#include "kernel/random.h"

#include "arch/pit.h"

static uint32_t state = 0x9E3779B9u;

/* One step of splitmix32: every output bit depends on every state bit. */
static uint32_t next(void)
{
	uint32_t z = (state += 0x9E3779B9u);
	z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
	z = (z ^ (z >> 13)) * 0xC2B2AE35u;
	return z ^ (z >> 16);
}

void random_bytes(void *buf, uint32_t n)
{
	state ^= pit_ticks() * 0x27D4EB2Fu;
	uint8_t *out = buf;
	while (n) {
		uint32_t r = next();
		for (int i = 0; i < 4 && n; i++, n--, r >>= 8)
			*out++ = (uint8_t)r;
	}
}
