/* In-kernel tests of the CPU tables, the interrupt hardware and VGA. */
#include "arch/pic.h"
#include "arch/pit.h"
#include "arch/trap.h"
#include "arch/cpu.h"
#include "drivers/input.h"
#include "drivers/keyboard.h"
#include "drivers/vga.h"
#include "kernel/ktest.h"

KTEST(idt, all_exception_and_irq_gates_present)
{
	for (unsigned v = 0; v < TRAP_EXCEPTIONS + TRAP_IRQS; v++)
		KT_EXPECT_TRUE(t, idt_gate_present(v));
	KT_EXPECT_TRUE(t, !idt_gate_present(TRAP_EXCEPTIONS + TRAP_IRQS));
	KT_EXPECT_TRUE(t, !idt_gate_present(0xFF));
}

KTEST(idt, every_exception_has_a_name)
{
	for (unsigned v = 0; v < TRAP_EXCEPTIONS; v++) {
		const char *name = trap_exception_name(v);
		KT_EXPECT_TRUE(t, name && name[0]);
	}
	KT_EXPECT_TRUE(t, trap_has_error_code(VEC_PAGE_FAULT));
	KT_EXPECT_TRUE(t, trap_has_error_code(VEC_DOUBLE_FAULT));
	KT_EXPECT_TRUE(t, !trap_has_error_code(VEC_INVALID_OPCODE));
}

KTEST(pic, only_driver_lines_are_unmasked)
{
	/* Timer (0), keyboard (1) and COM1 (4) are unmasked; nothing on the
	 * slave, so the cascade (2) stays masked too. */
	KT_EXPECT_EQ(t, pic_get_mask(), 0xFFFFu & ~((1u << 0) | (1u << 1) | (1u << 4)));
}

KTEST(pit, ticks_advance)
{
	uint32_t start = pit_ticks();
	KT_ASSERT_EQ(t, pit_wait_ticks(2), 0);
	KT_EXPECT_TRUE(t, pit_ticks() - start >= 2);
	KT_EXPECT_TRUE(t, pit_ticks() - start < 10);
}

KTEST(keyboard, scancodes_follow_shift_and_caps_lock)
{
	KT_EXPECT_EQ(t, keyboard_translate(0x1E), 'a');
	KT_EXPECT_EQ(t, keyboard_translate(0x2A), 0); /* left shift down */
	KT_EXPECT_EQ(t, keyboard_translate(0x1E), 'A');
	KT_EXPECT_EQ(t, keyboard_translate(0x02), '!');
	KT_EXPECT_EQ(t, keyboard_translate(0xAA), 0); /* left shift up */
	KT_EXPECT_EQ(t, keyboard_translate(0x3A), 0); /* caps lock on */
	KT_EXPECT_EQ(t, keyboard_translate(0x1E), 'A');
	KT_EXPECT_EQ(t, keyboard_translate(0x02), '1'); /* digits ignore caps lock */
	KT_EXPECT_EQ(t, keyboard_translate(0x3A), 0);	/* caps lock off */
	KT_EXPECT_EQ(t, keyboard_translate(0x9E), 0);	/* a key release */
	KT_EXPECT_EQ(t, keyboard_translate(0x1C), '\n');
}

/* What a terminal needs from the keyboard: Ctrl-C is byte 3 (the
 * terminal's VINTR), Backspace is DEL (its VERASE), and the cursor keys
 * send the escape sequences line editors read. */
KTEST(keyboard, ctrl_backspace_and_cursor_keys)
{
	char out[KEYBOARD_BYTES_MAX];
	KT_EXPECT_EQ(t, keyboard_translate(0x0E), 0x7F); /* backspace */
	KT_EXPECT_EQ(t, keyboard_translate(0x1D), 0);	 /* left ctrl down */
	KT_EXPECT_EQ(t, keyboard_translate(0x2E), 0x03); /* c */
	KT_EXPECT_EQ(t, keyboard_translate(0x20), 0x04); /* d */
	KT_EXPECT_EQ(t, keyboard_translate(0x9D), 0);	 /* left ctrl up */
	KT_EXPECT_EQ(t, keyboard_translate(0x2E), 'c');
	KT_EXPECT_EQ(t, keyboard_bytes(0xE0, out), 0u);
	KT_ASSERT_EQ(t, keyboard_bytes(0x48, out), 3u); /* up */
	KT_EXPECT_TRUE(t, out[0] == 0x1B && out[1] == '[' && out[2] == 'A');
	KT_EXPECT_EQ(t, keyboard_bytes(0xE0, out), 0u);
	KT_EXPECT_EQ(t, keyboard_bytes(0xC8, out), 0u); /* up released */
	KT_EXPECT_EQ(t, keyboard_translate(0x1E), 'a');
}

static void vga_puts(const char *s)
{
	while (*s)
		vga_console_driver.putc(*s++);
}

KTEST(vga, scrolls_at_the_bottom)
{
	vga_clear();
	for (int i = 0; i < VGA_ROWS + 3; i++) {
		char line[] = "row ..\n";
		line[4] = (char)('0' + i / 10);
		line[5] = (char)('0' + i % 10);
		vga_puts(line);
	}
	/* 28 lines printed, the cursor on a blank last row: rows 0..23 show
	 * lines 4..27. */
	KT_EXPECT_EQ(t, vga_cell(0, 4) & 0xFF, '0');
	KT_EXPECT_EQ(t, vga_cell(0, 5) & 0xFF, '4');
	KT_EXPECT_EQ(t, vga_cell(VGA_ROWS - 2, 4) & 0xFF, '2');
	KT_EXPECT_EQ(t, vga_cell(VGA_ROWS - 2, 5) & 0xFF, '7');
	KT_EXPECT_EQ(t, vga_cell(VGA_ROWS - 1, 0) & 0xFF, ' ');
	KT_EXPECT_EQ(t, vga_cell(0, 0) >> 8, 0x07); /* attribute kept */
}

/* Scrolling moves the display's start through the 32 KiB buffer and copies
 * the screen back to the top when it reaches the end (about every 180
 * lines).  After each of 400 lines (two wraps) the screen must show the
 * last lines printed, in order, and a blank last row. */
static bool screen_shows_last_lines(int printed)
{
	int shown = printed < VGA_ROWS - 1 ? printed : VGA_ROWS - 1;
	for (int r = 0; r < shown; r++) {
		int want = printed - shown + r;
		if ((vga_cell(r, 5) & 0xFF) != '0' + want / 100 ||
		    (vga_cell(r, 6) & 0xFF) != '0' + want / 10 % 10 ||
		    (vga_cell(r, 7) & 0xFF) != '0' + want % 10 || (vga_cell(r, 0) >> 8) != 0x07)
			return false;
	}
	return (vga_cell(shown, 0) & 0xFF) == ' ';
}

KTEST(vga, scrolls_past_the_end_of_the_text_buffer)
{
	vga_clear();
	int bad = -1;
	for (int i = 0; i < 400; i++) {
		char line[] = "line ...\n";
		line[5] = (char)('0' + i / 100);
		line[6] = (char)('0' + i / 10 % 10);
		line[7] = (char)('0' + i % 10);
		vga_puts(line);
		if (bad < 0 && !screen_shows_last_lines(i + 1))
			bad = i + 1;
	}
	KT_EXPECT_EQ(t, bad, -1); /* else: the first line count the screen was wrong after */
}

/* A full queue keeps what it has, counts what it drops, and marks the last
 * character that got in with how many of each source followed it. */
KTEST(input, full_queue_counts_and_marks_where_input_was_lost)
{
	bool was_on = irq_save(); /* nothing else may push meanwhile */
	struct input_event ev;
	while (input_pop(&ev)) /* a test boot has no typist: normally empty */
		;
	unsigned dropped = input_dropped();
	for (unsigned i = 0; i < INPUT_QUEUE_SIZE; i++)
		input_push(INPUT_SERIAL, (char)('a' + i % 26));
	KT_EXPECT_TRUE(t, !input_has_room());
	for (int i = 0; i < 3; i++)
		input_push(INPUT_KEYBOARD, 'k');
	for (int i = 0; i < 2; i++)
		input_push(INPUT_SERIAL, 's');
	KT_EXPECT_EQ(t, input_dropped(), dropped + 5);
	unsigned popped = 0, marked = 0;
	while (input_pop(&ev)) {
		KT_EXPECT_EQ(t, ev.c, 'a' + popped % 26);
		popped++;
		if (ev.lost_after[INPUT_KEYBOARD] || ev.lost_after[INPUT_SERIAL]) {
			marked++;
			KT_EXPECT_EQ(t, popped, INPUT_QUEUE_SIZE); /* the newest one */
			KT_EXPECT_EQ(t, ev.lost_after[INPUT_KEYBOARD], 3);
			KT_EXPECT_EQ(t, ev.lost_after[INPUT_SERIAL], 2);
		}
	}
	KT_EXPECT_EQ(t, popped, INPUT_QUEUE_SIZE);
	KT_EXPECT_EQ(t, marked, 1);
	KT_EXPECT_TRUE(t, input_has_room());
	irq_restore(was_on);
}

/* What BusyBox's line editing sends: a cursor-position request (shown as
 * nothing), moves back, erase to the end of the line and screen. */
KTEST(vga, ansi_escapes_move_and_erase)
{
	vga_clear();
	static const char line[] = "\x1b[6nabcdef\x1b[3D\x1b[K";
	vga_console_driver.write(line, sizeof(line) - 1); /* the run-of-text path */
	KT_EXPECT_EQ(t, vga_cell(0, 0) & 0xFF, 'a');
	KT_EXPECT_EQ(t, vga_cell(0, 2) & 0xFF, 'c');
	KT_EXPECT_EQ(t, vga_cell(0, 3) & 0xFF, ' ');
	KT_EXPECT_EQ(t, vga_cell(0, 5) & 0xFF, ' ');
	vga_puts("XY\b\x1b[J\x1b[2;3Hz\x1b[1;1H\x1b[31mq");
	KT_EXPECT_EQ(t, vga_cell(0, 3) & 0xFF, 'X');
	KT_EXPECT_EQ(t, vga_cell(0, 4) & 0xFF, ' ');
	KT_EXPECT_EQ(t, vga_cell(1, 2) & 0xFF, 'z');
	KT_EXPECT_EQ(t, vga_cell(0, 0) & 0xFF, 'q');
	/* Backspace moves back without erasing: BusyBox deleting the s of
	 * "ls /" with the cursor on the space, then inserting an x. */
	vga_clear();
	vga_puts("ls /\b\b\b /\x1b[J\b\bx /\b\b");
	KT_EXPECT_EQ(t, vga_cell(0, 1) & 0xFF, 'x');
	KT_EXPECT_EQ(t, vga_cell(0, 2) & 0xFF, ' ');
	KT_EXPECT_EQ(t, vga_cell(0, 3) & 0xFF, '/');
	vga_clear();
}
