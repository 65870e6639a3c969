/* VGA text mode, 80x25, light grey on black: scrolls at the bottom; the
 * hardware cursor moves once per string (four port writes a move). */
#include "drivers/vga.h"

#include "arch/cpu.h"

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

static void scroll_one_line(void)
{
	/* Two cells at a time: the screen is moved with 32-bit copies. */
	volatile uint32_t *cells = (volatile uint32_t *)screen;
	const int words = (VGA_ROWS - 1) * VGA_COLS / 2;
	for (int i = 0; i < words; i++)
		cells[i] = cells[i + VGA_COLS / 2];
	for (int c = 0; c < VGA_COLS; c++)
		screen[(VGA_ROWS - 1) * VGA_COLS + c] = blank_cell();
	row = VGA_ROWS - 1;
}

void vga_clear(void)
{
	for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		screen[i] = blank_cell();
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
