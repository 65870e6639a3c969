/* Resetting a PC: the keyboard controller's reset line, and a triple fault
 * for machines where that line does nothing. */
#ifndef ARCH_RESET_H
#define ARCH_RESET_H

/* Pulses the 8042's reset line and waits a moment for the reset.  Returns
 * when the machine did not reset (no 8042, or it ignored the command); needs
 * interrupts on for the wait. */
void arch_reset_keyboard_controller(void);

/* Resets the CPU by a triple fault: never returns. */
__attribute__((noreturn)) void arch_triple_fault(void);

#endif
