/* The console for processes (include/kernel/tty.h).  Reading is canonical,
 * like a Linux terminal's default: the monitor's line editor collects a
 * line (one editor per input source, echoing as it goes), and read() hands
 * it out, '\n' included, in as many pieces as the caller asks for. */
#include "kernel/tty.h"

#include <stdarg.h>
#include <stdbool.h>

#include "drivers/console.h"
#include "drivers/input.h"
#include "kernel/line_editor.h"
#include "kernel/linux_abi_subset.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/uaccess.h"

#define TTY_SOURCES 2 /* INPUT_KEYBOARD, INPUT_SERIAL */

static bool mid_line; /* the last byte out was not a newline */
static struct line_editor editors[TTY_SOURCES];
static bool editors_ready;
static char line[LINE_MAX_LEN + 2]; /* the line being handed out, with '\n' */
static size_t line_len, line_off;

void tty_write(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		console_putc(buf[i]);
	if (n)
		mid_line = buf[n - 1] != '\n';
}

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	console_putc(c);
}

void kernel_note(const char *fmt, ...)
{
	if (mid_line)
		console_putc('\n');
	mid_line = false;
	console_write(KERNEL_NOTE_PREFIX);
	va_list ap;
	va_start(ap, fmt);
	format_va(console_sink, NULL, fmt, ap);
	va_end(ap);
	console_putc('\n');
}

static void echo(const char *s, size_t len, void *ctx)
{
	(void)ctx;
	tty_write(s, len);
}

/* Feeds one typed character; true when it completed a line.  A line longer
 * than the editor holds, or one cancelled with Ctrl-C, is dropped. */
static bool feed(const struct input_event *ev)
{
	if (!editors_ready) {
		for (unsigned i = 0; i < TTY_SOURCES; i++)
			line_editor_init(&editors[i], echo, NULL);
		editors_ready = true;
	}
	struct line_editor *ed = &editors[ev->source == INPUT_SERIAL];
	if (line_editor_feed(ed, ev->c) != LINE_READY)
		return false;
	const char *text = line_editor_line(ed);
	line_len = strlen(text);
	memcpy(line, text, line_len);
	line[line_len++] = '\n';
	line_off = 0;
	return true;
}

int32_t tty_read(uint32_t user_buf, uint32_t count)
{
	if (count == 0)
		return 0;
	while (line_off == line_len) {
		struct input_event ev;
		if (input_pop(&ev)) {
			feed(&ev);
			continue;
		}
		struct proc *self = sched_current();
		if (!self || self->kill_signal)
			return -LINUX_EINTR;
		sched_sleep(sched_chan_input);
	}
	uint32_t n = line_len - line_off;
	if (n > count)
		n = count;
	if (copy_to_user((void *)(uintptr_t)user_buf, line + line_off, n) != 0)
		return -LINUX_EFAULT;
	line_off += n;
	return (int32_t)n;
}
