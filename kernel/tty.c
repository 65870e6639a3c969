/* The console for processes (include/kernel/tty.h).  Reading is canonical,
 * like a Linux terminal's default: the monitor's line editor collects a
 * line (one editor per input source, echoing as it goes), and read() hands
 * it out, '\n' included, in as many pieces as the caller asks for.  The
 * console is an open file like any other (tty_open_console), so fds 0, 1
 * and 2 reach it through the descriptor table. */
#include "kernel/tty.h"

#include <stdarg.h>
#include <stdbool.h>

#include "drivers/console.h"
#include "drivers/input.h"
#include "kernel/line_editor.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/vfs.h"
#include "lib/format.h"
#include "lib/string.h"
#include "mm/uaccess.h"
#include "uapi/linux_abi.h"

#define TTY_SOURCES  2	  /* INPUT_KEYBOARD, INPUT_SERIAL */
#define CHUNK	     256u /* bytes a write copies in per step, on the kernel stack */
#define CONSOLE_MODE (LINUX_S_IFCHR | 0620u)
#define CONSOLE_RDEV ((5u << 8) | 1u) /* /dev/console: major 5, minor 1 */
#define CONSOLE_ROWS 25u
#define CONSOLE_COLS 80u

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
		if (!self || proc_signal_pending(self))
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

/* ---- the console as an open file ------------------------------------------ */

static long tty_file_read(struct file *f, void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)f;
	(void)offset;
	return tty_read((uint32_t)(uintptr_t)user_buf, n);
}

/* As on Linux, a fault after some bytes went out returns those bytes; a
 * fault before any is -EFAULT. */
static long tty_file_write(struct file *f, const void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)f;
	(void)offset;
	const char *src = user_buf;
	char chunk[CHUNK];
	uint32_t done = 0;
	while (done < n) {
		uint32_t len = n - done < CHUNK ? n - done : CHUNK;
		if (copy_from_user(chunk, src + done, len) != 0)
			return done ? (long)done : -LINUX_EFAULT;
		tty_write(chunk, len);
		done += len;
	}
	return (long)done;
}

/* The settings of a Linux console after boot (tty_std_termios): canonical
 * input with echo and signals, CR read as NL, NL written as CR NL. */
static const struct linux_termios console_termios = {
	.c_iflag = 0x0500u, /* ICRNL | IXON */
	.c_oflag = 0x0005u, /* OPOST | ONLCR */
	.c_cflag = 0x04BFu, /* B38400 | CS8 | CREAD | HUPCL */
	.c_lflag = 0x8A3Bu, /* ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN */
	.c_cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0},
};

/* TCGETS and TIOCGWINSZ answer; the TCSETS family is accepted and changes
 * nothing (the console has one mode); anything else is not for a terminal. */
static long tty_file_ioctl(struct file *f, uint32_t cmd, uint32_t arg)
{
	(void)f;
	void *user = (void *)(uintptr_t)arg;
	switch (cmd) {
	case LINUX_TCGETS: return copy_to_user(user, &console_termios, sizeof(console_termios));
	case LINUX_TCSETS:
	case LINUX_TCSETSW:
	case LINUX_TCSETSF: {
		struct linux_termios t;
		return copy_from_user(&t, user, sizeof(t));
	}
	case LINUX_TIOCGWINSZ: {
		struct linux_winsize w = {CONSOLE_ROWS, CONSOLE_COLS, 0, 0};
		return copy_to_user(user, &w, sizeof(w));
	}
	default: return -LINUX_ENOTTY;
	}
}

static void tty_file_stat(struct file *f, struct linux_stat64 *st)
{
	(void)f;
	memset(st, 0, sizeof(*st));
	st->st_mode = CONSOLE_MODE;
	st->st_nlink = 1;
	st->st_rdev = CONSOLE_RDEV;
	st->st_blksize = CHUNK;
}

/* Readable when a line is waiting, or keys that may finish one. */
static uint32_t tty_file_poll(struct file *f)
{
	(void)f;
	bool in = line_off < line_len || input_pending();
	return (in ? LINUX_POLLIN | LINUX_POLLRDNORM : 0) | LINUX_POLLOUT | LINUX_POLLWRNORM;
}

const struct file_ops tty_console_ops = {
	.poll = tty_file_poll,
	.read = tty_file_read,
	.write = tty_file_write,
	.ioctl = tty_file_ioctl,
	.stat = tty_file_stat,
};

struct file *tty_open_console(void)
{
	return file_alloc(&tty_console_ops, NULL, LINUX_O_RDWR);
}
