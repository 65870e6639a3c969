#ifndef DRIVERS_VGA_H
#define DRIVERS_VGA_H

#include <stdint.h>

#include "drivers/console.h"

#define VGA_COLS	80
#define VGA_ROWS	25
#define VGA_TEXT_BUFFER 0xB8000u

extern const struct console_driver vga_console_driver;

/* The character cell at (row, col), for tests that read the screen back. */
uint16_t vga_cell(int row, int col);
void vga_clear(void);

#endif
