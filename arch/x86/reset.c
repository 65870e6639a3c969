/* Resetting a PC (arch/reset.h). */
#include "arch/reset.h"

#include <stdint.h>

#include "arch/cpu.h"
#include "arch/pit.h"

#define KBC_STATUS_PORT	      0x64
#define KBC_COMMAND_PORT      0x64
#define KBC_STATUS_INPUT_FULL 0x02
#define KBC_CMD_PULSE_RESET   0xFE
#define KBC_READY_POLLS	      100000u
#define RESET_GRACE_TICKS     (PIT_HZ / 5) /* a real 8042 may take a moment */

/* The controller takes a command once its input buffer is empty; a missing
 * or stuck one is not waited for forever. */
static void kbc_wait_ready(void)
{
	for (uint32_t i = 0; i < KBC_READY_POLLS; i++)
		if (!(inb(KBC_STATUS_PORT) & KBC_STATUS_INPUT_FULL))
			return;
}

void arch_reset_keyboard_controller(void)
{
	kbc_wait_ready();
	outb(KBC_COMMAND_PORT, KBC_CMD_PULSE_RESET);
	pit_wait_ticks(RESET_GRACE_TICKS);
}

/* An IDT with no gates: the next exception cannot be delivered, neither can
 * the double fault that follows, and the CPU resets. */
__attribute__((noreturn)) void arch_triple_fault(void)
{
	static const struct __attribute__((packed)) {
		uint16_t limit;
		uint32_t base;
	} empty_idt = {0, 0};
	interrupts_disable();
	__asm__ volatile("lidt %0\n\tint3" : : "m"(empty_idt));
	cpu_halt_forever();
}
