/* The stack grows down on demand: deep recursion and a large frame work,
 * the memory reads back, and a child that recurses without end dies by
 * SIGSEGV instead of taking the system with it. */
#include <alloca.h>
#include <stdint.h>

#include "conform.h"

static int depth_reached;

static int recurse(int depth, int limit)
{
	volatile char frame[1024];
	frame[0] = (char)depth;
	frame[1023] = (char)depth;
	if (depth < limit)
		return recurse(depth + 1, limit) +
		       (frame[0] == (char)depth && frame[1023] == (char)depth ? 0 : 1);
	depth_reached = depth;
	return 0;
}

static void forever(void)
{
	for (int limit = 1000;; limit *= 2)
		recurse(0, limit);
}

static uint32_t big_frame(uint32_t bytes)
{
	volatile uint8_t *p = alloca(bytes);
	for (uint32_t i = 0; i < bytes; i += 512)
		p[i] = (uint8_t)(i >> 9);
	uint32_t bad = 0;
	for (uint32_t i = 0; i < bytes; i += 512)
		bad += p[i] != (uint8_t)(i >> 9);
	return bad;
}

int main(void)
{
	conform_start("stack_growth");
	int bad = recurse(0, 1000);
	printf("recursion 1000 deep, 1 KiB a frame: reached %d, %d frames corrupted\n",
	       depth_reached, bad);
	bad = recurse(0, 4000);
	printf("recursion 4000 deep: reached %d, %d frames corrupted\n", depth_reached, bad);
	printf("2 MiB alloca, every 512th byte: %u wrong\n", big_frame(2u << 20));
	printf("6 MiB alloca: %u wrong\n", big_frame(6u << 20));
	in_child("recursion without end", forever);
	printf("the parent's stack still works: %u wrong\n", big_frame(1u << 20));
	return conform_end();
}
