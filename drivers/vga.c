/* VGA text mode, 80x25, light grey on black: scrolls at the bottom; the
 * hardware cursor moves once per string (four port writes a move). */
#include "drivers/vga.h"

#include "arch/cpu.h"
#include "lib/string.h"

#define ATTR_GREY_ON_BLACK 0x07
#define CRTC_INDEX	   0x3D4
#define CRTC_DATA	   0x3D5
#define CRTC_CURSOR_HIGH   0x0E
#define CRTC_START_HIGH	   0x0C		      /* and 0x0D, the low byte */
#define VGA_BUFFER_CELLS   (32u * 1024u / 2u) /* 0xB8000-0xBFFFF */
#define TAB_WIDTH	   8

static volatile uint16_t *const screen = (volatile uint16_t *)VGA_TEXT_BUFFER;
static int row, col;
/* Scrolling moves the display's start in the 32 KiB text buffer instead of
 * copying the screen up a line (24 of 25 lines per newline, most of the
 * boot's instructions): the screen shows cells [origin, origin + 2000), and
 * only when that window reaches the buffer's end are its lines copied back
 * to the top, once every 180 lines. */
static uint32_t origin;
static volatile uint16_t *line_start = (volatile uint16_t *)VGA_TEXT_BUFFER; /* row's cells */

static uint16_t blank_cell(void)
{
	return (uint16_t)(ATTR_GREY_ON_BLACK << 8 | ' ');
}

static uint32_t blank_pair(void)
{
	return (uint32_t)blank_cell() << 16 | blank_cell();
}

/* CRTC positions (start and cursor) count cells from the buffer's start. */
static void crtc_write16(uint8_t high_index, uint16_t value)
{
	outb(CRTC_INDEX, high_index);
	outb(CRTC_DATA, (uint8_t)(value >> 8));
	outb(CRTC_INDEX, (uint8_t)(high_index + 1));
	outb(CRTC_DATA, (uint8_t)value);
}

static void move_cursor(void)
{
	crtc_write16(CRTC_CURSOR_HIGH, (uint16_t)(origin + (uint32_t)(row * VGA_COLS + col)));
}

/* The text buffer is ordinary memory to the CPU, and the calls are compiler
 * barriers, so rep stosl / rep movsl (lib/string.c) may fill and copy it. */
static void scroll_one_line(void)
{
	uint16_t *cells = (uint16_t *)screen;
	if (origin + (VGA_ROWS + 1) * VGA_COLS > VGA_BUFFER_CELLS) {
		memcpy(cells, cells + origin + VGA_COLS,
		       (VGA_ROWS - 1) * VGA_COLS * sizeof(cells[0]));
		origin = 0;
	} else {
		origin += VGA_COLS;
	}
	memset32(cells + origin + (VGA_ROWS - 1) * VGA_COLS, blank_pair(), VGA_COLS / 2);
	crtc_write16(CRTC_START_HIGH, (uint16_t)origin);
	row = VGA_ROWS - 1;
	line_start = screen + origin + (VGA_ROWS - 1) * VGA_COLS;
}

void vga_clear(void)
{
	origin = 0;
	crtc_write16(CRTC_START_HIGH, 0);
	memset32((uint16_t *)screen, blank_pair(), VGA_ROWS * VGA_COLS / 2);
	row = col = 0;
	line_start = screen;
	move_cursor();
}

static void newline(void)
{
	col = 0;
	if (row == VGA_ROWS - 1) {
		scroll_one_line();
		return;
	}
	row++;
	line_start += VGA_COLS;
}

static void vga_putc(char c)
{
	/* Printable characters first: they are nearly all of the output. */
	if ((uint8_t)c >= ' ') {
		line_start[col] = (uint16_t)(ATTR_GREY_ON_BLACK << 8 | (uint8_t)c);
		if (++col == VGA_COLS)
			newline();
		return;
	}
	switch (c) {
	case '\n': newline(); break;
	case '\r': col = 0; break;
	case '\b':
		if (col > 0) {
			col--;
			line_start[col] = blank_cell();
		}
		break;
	case '\t':
		do
			vga_putc(' ');
		while (col % TAB_WIDTH);
		return;
	default: /* other control characters show as the code page's glyph */
		line_start[col] = (uint16_t)(ATTR_GREY_ON_BLACK << 8 | (uint8_t)c);
		if (++col == VGA_COLS)
			newline();
	}
}

/* Runs of printable characters that stay on the line go straight to the
 * screen, with the column in a register; anything else is vga_putc's. */
static void vga_write(const char *buf, uint32_t n)
{
	const uint8_t *p = (const uint8_t *)buf, *end = p + n;
	while (p < end) {
		int c = col;
		volatile uint16_t *line = line_start;
		for (; p < end && *p >= ' ' && c < VGA_COLS - 1; p++)
			line[c++] = (uint16_t)(ATTR_GREY_ON_BLACK << 8 | *p);
		col = c;
		if (p < end)
			vga_putc((char)*p++);
	}
}

uint16_t vga_cell(int r, int c)
{
	return screen[origin + (uint32_t)(r * VGA_COLS + c)];
}

const struct console_driver vga_console_driver = {
	.name = "vga",
	.init = vga_clear,
	.putc = vga_putc,
	.flush = move_cursor,
	.write = vga_write,
};
