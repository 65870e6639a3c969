/* VGA text mode, 80x25, light grey on black: scrolls at the bottom; the
 * hardware cursor moves once per string (four port writes a move). */
#include "drivers/vga.h"

#include "arch/cpu.h"
#include "lib/string.h"

#define ATTR_GREY_ON_BLACK 0x07
#define CRTC_INDEX	   0x3D4
#define CRTC_DATA	   0x3D5
#define CRTC_CURSOR_HIGH   0x0E
#define CRTC_CURSOR_LOW	   0x0F
#define TAB_WIDTH	   8

static volatile uint16_t *const screen = (volatile uint16_t *)VGA_TEXT_BUFFER;
static int row, col;

static uint16_t blank_cell(void)
{
	return (uint16_t)(ATTR_GREY_ON_BLACK << 8 | ' ');
}

static void move_cursor(void)
{
	uint16_t pos = (uint16_t)(row * VGA_COLS + col);
	outb(CRTC_INDEX, CRTC_CURSOR_HIGH);
	outb(CRTC_DATA, (uint8_t)(pos >> 8));
	outb(CRTC_INDEX, CRTC_CURSOR_LOW);
	outb(CRTC_DATA, (uint8_t)pos);
}

/* Clearing and scrolling were a third of the boot's instructions as cell-
 * by-cell volatile loops; `rep stosl` / `rep movsl` (lib/string.c) move two
 * cells a step.  The text buffer is ordinary memory to the CPU, and the
 * calls are compiler barriers, so dropping volatile here loses nothing. */
static uint32_t blank_pair(void)
{
	return (uint32_t)blank_cell() << 16 | blank_cell();
}

static void scroll_one_line(void)
{
	uint16_t *cells = (uint16_t *)screen;
	memcpy(cells, cells + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * sizeof(cells[0]));
	memset32(cells + (VGA_ROWS - 1) * VGA_COLS, blank_pair(), VGA_COLS / 2);
	row = VGA_ROWS - 1;
}

void vga_clear(void)
{
	memset32((uint16_t *)screen, blank_pair(), VGA_ROWS * VGA_COLS / 2);
	row = col = 0;
	move_cursor();
}

static void newline(void)
{
	col = 0;
	if (++row == VGA_ROWS)
		scroll_one_line();
}

static void vga_putc(char c)
{
	switch (c) {
	case '\n': newline(); break;
	case '\r': col = 0; break;
	case '\b':
		if (col > 0) {
			col--;
			screen[row * VGA_COLS + col] = blank_cell();
		}
		break;
	case '\t':
		do
			vga_putc(' ');
		while (col % TAB_WIDTH);
		return;
	default:
		screen[row * VGA_COLS + col] = (uint16_t)(ATTR_GREY_ON_BLACK << 8 | (uint8_t)c);
		if (++col == VGA_COLS)
			newline();
	}
}

uint16_t vga_cell(int r, int c)
{
	return screen[r * VGA_COLS + c];
}

const struct console_driver vga_console_driver = {
	.name = "vga",
	.init = vga_clear,
	.putc = vga_putc,
	.flush = move_cursor,
};
