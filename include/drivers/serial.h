#ifndef DRIVERS_SERIAL_H
#define DRIVERS_SERIAL_H

#include "drivers/console.h"

extern const struct console_driver serial_console_driver;

/* Routes received characters to the input queue (IRQ 4). */
void serial_enable_input(void);

/* Writes straight to COM1, bypassing the console registry: for the panic
 * path when the consoles themselves may be what faulted. */
void serial_emergency_write(const char *s);

#endif
