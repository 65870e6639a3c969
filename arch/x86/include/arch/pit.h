#ifndef ARCH_PIT_H
#define ARCH_PIT_H

#include <stdint.h>

#define PIT_HZ 100

/* Channel 0 at `hz` interrupts a second on IRQ 0. */
void pit_init(uint32_t hz);
uint32_t pit_ticks(void);
/* Sleeps with hlt until n more ticks have passed.  Returns -1 at once when
 * interrupts are off (it would sleep forever), else 0. */
int pit_wait_ticks(uint32_t n);

#endif
