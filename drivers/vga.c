/* VGA text mode, 80x25, light grey on black: scrolls at the bottom; the
 * hardware cursor moves once per string (four port writes a move).  The
 * few ANSI escape sequences line editors send (BusyBox's shell: cursor
 * moves, erase to end of line or screen) are obeyed, and every other
 * sequence is swallowed rather than shown as junk. */
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
#define KEY_ESC		   0x1B
#define CSI_PARAMS	   2	/* row;col is the most any sequence here takes */
#define CSI_PARAM_MAX	   1000 /* larger counts than a screen mean the same */

static volatile uint16_t *const screen = (volatile uint16_t *)VGA_TEXT_BUFFER;
static int row, col;
/* Scrolling moves the display's start in the 32 KiB text buffer instead of
 * copying the screen up a line (24 of 25 lines per newline, most of the
 * boot's instructions): the screen shows cells [origin, origin + 2000), and
 * only when that window reaches the buffer's end are its lines copied back
 * to the top, once every 180 lines. */
static uint32_t origin;
static volatile uint16_t *line_start = (volatile uint16_t *)VGA_TEXT_BUFFER; /* row's cells */

static enum { ESC_NONE, ESC_SEEN, ESC_CSI } escape;
static unsigned csi_param[CSI_PARAMS], csi_index;

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

static void go_to(int r, int c)
{
	row = r < 0 ? 0 : r >= VGA_ROWS ? VGA_ROWS - 1 : r;
	col = c < 0 ? 0 : c >= VGA_COLS ? VGA_COLS - 1 : c;
	line_start = screen + origin + (uint32_t)(row * VGA_COLS);
}

/* Blanks cells [from, to) of the screen, counted from its top left. */
static void blank_cells(int from, int to)
{
	for (int i = from; i < to; i++)
		screen[origin + (uint32_t)i] = blank_cell();
}

/* A CSI sequence's final byte: what it does with its parameters (a
 * missing or zero count is one). */
static void csi_final(char c)
{
	int n = csi_param[0] ? (int)csi_param[0] : 1;
	int here = row * VGA_COLS + col;
	switch (c) {
	case 'A': go_to(row - n, col); break;
	case 'B': go_to(row + n, col); break;
	case 'C': go_to(row, col + n); break;
	case 'D': go_to(row, col - n); break;
	case 'G': go_to(row, n - 1); break;
	case 'H':
	case 'f': go_to(n - 1, csi_param[1] ? (int)csi_param[1] - 1 : 0); break;
	case 'K': /* 0: to the end of the line, 1: from its start, 2: all of it */
		if (csi_param[0] == 0)
			blank_cells(here, (row + 1) * VGA_COLS);
		else if (csi_param[0] == 1)
			blank_cells(row * VGA_COLS, here + 1);
		else
			blank_cells(row * VGA_COLS, (row + 1) * VGA_COLS);
		break;
	case 'J': /* 0: to the end of the screen, 1: from its start, 2: all */
		if (csi_param[0] == 0)
			blank_cells(here, VGA_ROWS * VGA_COLS);
		else if (csi_param[0] == 1)
			blank_cells(0, here + 1);
		else
			blank_cells(0, VGA_ROWS * VGA_COLS);
		break;
	default: break; /* colours, modes, status requests: ignored */
	}
}

/* Takes c when it is part of an escape sequence. */
static bool escape_takes(char c)
{
	switch (escape) {
	case ESC_NONE:
		if (c != KEY_ESC)
			return false;
		escape = ESC_SEEN;
		return true;
	case ESC_SEEN:
		if (c == '[') {
			escape = ESC_CSI;
			csi_param[0] = csi_param[1] = 0;
			csi_index = 0;
		} else {
			escape = ESC_NONE; /* ESC and one byte: nothing we do */
		}
		return true;
	case ESC_CSI:
		if (c >= '0' && c <= '9') {
			if (csi_index < CSI_PARAMS && csi_param[csi_index] < CSI_PARAM_MAX)
				csi_param[csi_index] =
					csi_param[csi_index] * 10 + (unsigned)(c - '0');
		} else if (c == ';') {
			if (csi_index < CSI_PARAMS)
				csi_index++;
		} else if ((uint8_t)c >= 0x40 && (uint8_t)c <= 0x7E) {
			escape = ESC_NONE;
			csi_final(c);
		}
		return true; /* '?' and other intermediate bytes: skipped */
	}
	return false;
}

static void vga_putc(char c)
{
	if (escape != ESC_NONE || c == KEY_ESC) {
		escape_takes(c);
		return;
	}
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
	case '\b': /* moves back only, as a terminal's: "\b \b" erases */
		if (col > 0)
			col--;
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
		if (escape != ESC_NONE) {
			vga_putc((char)*p++);
			continue;
		}
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
