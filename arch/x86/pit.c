#include "arch/pit.h"

#include "arch/cpu.h"
#include "arch/trap.h"

#define PIT_CHANNEL0	   0x40
#define PIT_COMMAND	   0x43
#define PIT_MODE_RATE_LOHI 0x34 /* channel 0, lobyte/hibyte, mode 2 */
#define PIT_INPUT_HZ	   1193182u
#define PIT_IRQ		   0

static volatile uint32_t ticks;

static void pit_irq(struct trap_frame *frame)
{
	(void)frame;
	ticks++;
}

void pit_init(uint32_t hz)
{
	uint32_t divisor = PIT_INPUT_HZ / hz;
	if (divisor > 0xFFFF)
		divisor = 0xFFFF;
	outb(PIT_COMMAND, PIT_MODE_RATE_LOHI);
	outb(PIT_CHANNEL0, (uint8_t)divisor);
	outb(PIT_CHANNEL0, (uint8_t)(divisor >> 8));
	trap_register_irq(PIT_IRQ, pit_irq);
}

uint32_t pit_ticks(void)
{
	return ticks;
}

int pit_wait_ticks(uint32_t n)
{
	if (!interrupts_enabled())
		return -1;
	uint32_t start = ticks;
	while (ticks - start < n)
		cpu_halt();
	return 0;
}
