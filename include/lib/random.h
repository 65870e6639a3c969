/* Marsaglia's xorshift32: a tiny pseudo-random generator whose whole state is
 * one word, so a seed replays a run exactly.  For tests and benchmarks, not
 * for anything that must be unpredictable. */
#ifndef LIB_RANDOM_H
#define LIB_RANDOM_H

#include <stdint.h>

struct xorshift32 {
	uint32_t state; /* never 0: xorshift stays at 0 forever */
};

static inline uint32_t xorshift32_next(struct xorshift32 *r)
{
	uint32_t x = r->state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return r->state = x;
}

/* A value in [0, n), n > 0; the modulo bias does not matter for test data. */
static inline uint32_t xorshift32_below(struct xorshift32 *r, uint32_t n)
{
	return xorshift32_next(r) % n;
}

#endif
