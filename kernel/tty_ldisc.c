/* The console's line discipline (include/kernel/tty_ldisc.h). */
#include "kernel/tty_ldisc.h"

#include "lib/string.h"
#include "uapi/linux_abi.h"

/* ld->marks, per held byte: it ends a line (canonical mode), and it is not data (the
 * VEOF that ended the line: a read takes it but never returns it). */
#define MARK_LINE_END 0x1u
#define MARK_NOT_DATA 0x2u
#define DEL	      0x7F
#define CTRL_SHOWN(c) ((char)((c) ^ 0x40)) /* ^C for 0x03, ^? for DEL */

const struct linux_termios tty_default_termios = {
	.c_iflag = LINUX_ICRNL | 0x0400u, /* and IXON */
	.c_oflag = 0x0005u,		  /* OPOST | ONLCR */
	.c_cflag = 0x04BFu,		  /* B38400 | CS8 | CREAD | HUPCL */
	.c_lflag = LINUX_ISIG | LINUX_ICANON | LINUX_ECHO | LINUX_ECHOE | LINUX_ECHOK |
		   LINUX_ECHOCTL | LINUX_ECHOKE | LINUX_IEXTEN,
	/* VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1,
	 * VSWTC, VSTART ^Q, VSTOP ^S, VSUSP ^Z, VEOL, VREPRINT ^R, VDISCARD ^O,
	 * VWERASE ^W, VLNEXT ^V, VEOL2 */
	.c_cc = {3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0},
};

void tty_ldisc_init(struct tty_ldisc *ld, void (*echo)(const char *, size_t, void *),
		    void (*signal)(int, void *), void *ctx)
{
	memset(ld, 0, sizeof(*ld));
	ld->termios = tty_default_termios;
	ld->echo = echo;
	ld->signal = signal;
	ld->ctx = ctx;
}

static bool lflag(const struct tty_ldisc *ld, uint32_t flag)
{
	return (ld->termios.c_lflag & flag) != 0;
}

/* A c_cc slot matches c unless it is disabled (0, _POSIX_VDISABLE). */
static bool is_cc(const struct tty_ldisc *ld, unsigned slot, char c)
{
	uint8_t v = ld->termios.c_cc[slot];
	return v != 0 && v == (uint8_t)c;
}

static bool is_control(char c)
{
	return (uint8_t)c < ' ' || (uint8_t)c == DEL;
}

static void out(struct tty_ldisc *ld, const char *s, size_t n)
{
	if (ld->echo && n)
		ld->echo(s, n, ld->ctx);
}

/* A byte as the terminal shows it: ECHOCTL prints control bytes other than
 * tab and newline as ^X. */
static void echo_char(struct tty_ldisc *ld, char c)
{
	if (lflag(ld, LINUX_ECHOCTL) && is_control(c) && c != '\t' && c != '\n') {
		char shown[2] = {'^', CTRL_SHOWN(c)};
		out(ld, shown, 2);
	} else {
		out(ld, &c, 1);
	}
}

static void store(struct tty_ldisc *ld, char c, uint8_t mark)
{
	ld->buf[ld->len] = c;
	ld->marks[ld->len] = mark;
	ld->len++;
}

static void consume(struct tty_ldisc *ld, uint32_t n)
{
	memmove(ld->buf, ld->buf + n, ld->len - n);
	memmove(ld->marks, ld->marks + n, ld->len - n);
	ld->len -= n;
	ld->canon = ld->canon > n ? ld->canon - n : 0;
}

void tty_ldisc_flush(struct tty_ldisc *ld)
{
	ld->len = ld->canon = 0;
}

/* Takes the last byte of the line being edited off the line and, with
 * ECHOE, off the screen: two columns for a byte shown as ^X. */
static bool erase_one(struct tty_ldisc *ld, bool visually)
{
	if (ld->len == ld->canon)
		return false;
	char c = ld->buf[--ld->len];
	if (!lflag(ld, LINUX_ECHO) || !visually)
		return true;
	if (lflag(ld, LINUX_ECHOCTL) && is_control(c) && c != '\t')
		out(ld, "\b\b  \b\b", 6);
	else
		out(ld, "\b \b", 3);
	return true;
}

static void erase_word(struct tty_ldisc *ld)
{
	bool visually = lflag(ld, LINUX_ECHOE);
	while (ld->len > ld->canon && ld->buf[ld->len - 1] == ' ')
		erase_one(ld, visually);
	while (ld->len > ld->canon && ld->buf[ld->len - 1] != ' ')
		erase_one(ld, visually);
}

static void kill_line(struct tty_ldisc *ld, char c)
{
	if (lflag(ld, LINUX_ECHOKE) && lflag(ld, LINUX_ECHOE)) {
		while (erase_one(ld, true))
			;
		return;
	}
	ld->len = ld->canon;
	if (lflag(ld, LINUX_ECHO)) {
		echo_char(ld, c);
		if (lflag(ld, LINUX_ECHOK))
			out(ld, "\n", 1);
	}
}

/* VINTR, VQUIT, VSUSP under ISIG: the signal, typed input dropped (unless
 * NOFLSH), the key shown as ^C. */
static bool signal_key(struct tty_ldisc *ld, char c)
{
	int sig;
	if (is_cc(ld, LINUX_VINTR, c))
		sig = LINUX_SIGINT;
	else if (is_cc(ld, LINUX_VQUIT, c))
		sig = LINUX_SIGQUIT;
	else if (is_cc(ld, LINUX_VSUSP, c))
		sig = LINUX_SIGTSTP;
	else
		return false;
	if (!lflag(ld, LINUX_NOFLSH))
		tty_ldisc_flush(ld);
	if (lflag(ld, LINUX_ECHO))
		echo_char(ld, c);
	if (ld->signal)
		ld->signal(sig, ld->ctx);
	return true;
}

static bool ends_line(const struct tty_ldisc *ld, char c)
{
	return c == '\n' || is_cc(ld, LINUX_VEOL, c) ||
	       (lflag(ld, LINUX_IEXTEN) && is_cc(ld, LINUX_VEOL2, c));
}

static bool receive_canonical(struct tty_ldisc *ld, char c)
{
	if (is_cc(ld, LINUX_VERASE, c)) {
		erase_one(ld, lflag(ld, LINUX_ECHOE));
		if (!lflag(ld, LINUX_ECHOE) && lflag(ld, LINUX_ECHO))
			echo_char(ld, c);
		return false;
	}
	if (lflag(ld, LINUX_IEXTEN) && is_cc(ld, LINUX_VWERASE, c)) {
		erase_word(ld);
		return false;
	}
	if (is_cc(ld, LINUX_VKILL, c)) {
		kill_line(ld, c);
		return false;
	}
	bool eof = is_cc(ld, LINUX_VEOF, c);
	bool end = eof || ends_line(ld, c);
	/* A full buffer keeps one byte for the newline that ends the line. */
	if (ld->len == TTY_LDISC_BUF || (!end && ld->len == TTY_LDISC_BUF - 1))
		return false;
	if (end) {
		store(ld, c, MARK_LINE_END | (eof ? MARK_NOT_DATA : 0));
		ld->canon = ld->len;
		if (!eof && (lflag(ld, LINUX_ECHO) || (c == '\n' && lflag(ld, LINUX_ECHONL))))
			echo_char(ld, c);
		return true;
	}
	store(ld, c, 0);
	if (lflag(ld, LINUX_ECHO))
		echo_char(ld, c);
	return false;
}

bool tty_ldisc_receive(struct tty_ldisc *ld, char c)
{
	uint32_t iflag = ld->termios.c_iflag;
	if (c == '\r') {
		if (iflag & LINUX_IGNCR)
			return false;
		if (iflag & LINUX_ICRNL)
			c = '\n';
	} else if (c == '\n' && (iflag & LINUX_INLCR)) {
		c = '\r';
	}
	if (lflag(ld, LINUX_ISIG) && signal_key(ld, c))
		return false;
	if (lflag(ld, LINUX_ICANON))
		return receive_canonical(ld, c);
	if (ld->len == TTY_LDISC_BUF)
		return false;
	store(ld, c, 0);
	if (lflag(ld, LINUX_ECHO))
		echo_char(ld, c);
	return true;
}

void tty_ldisc_set_termios(struct tty_ldisc *ld, const struct linux_termios *t, bool flush)
{
	bool was_canonical = lflag(ld, LINUX_ICANON);
	ld->termios = *t;
	if (flush)
		tty_ldisc_flush(ld);
	if (!was_canonical && lflag(ld, LINUX_ICANON)) {
		ld->canon = 0;
		for (uint32_t i = 0; i < ld->len; i++)
			if (ld->marks[i] & MARK_LINE_END)
				ld->canon = i + 1;
	}
}

uint32_t tty_ldisc_readable(const struct tty_ldisc *ld)
{
	return lflag(ld, LINUX_ICANON) ? ld->canon : ld->len;
}

bool tty_ldisc_read_ready(const struct tty_ldisc *ld, uint32_t want)
{
	if (lflag(ld, LINUX_ICANON))
		return ld->canon > 0;
	uint32_t need = ld->termios.c_cc[LINUX_VMIN];
	if (need > want)
		need = want;
	if (need == 0)
		need = 1;
	return ld->len >= need;
}

uint32_t tty_ldisc_read(struct tty_ldisc *ld, char *dst, uint32_t n)
{
	if (!lflag(ld, LINUX_ICANON)) {
		uint32_t k = n < ld->len ? n : ld->len;
		memcpy(dst, ld->buf, k);
		consume(ld, k);
		return k;
	}
	uint32_t copied = 0, taken = 0;
	while (taken < ld->canon && copied < n) {
		uint8_t mark = ld->marks[taken];
		if (!(mark & MARK_NOT_DATA))
			dst[copied++] = ld->buf[taken];
		taken++;
		if (mark & MARK_LINE_END)
			break;
	}
	/* A VEOF right after the bytes taken ends this read's line too. */
	if (taken < ld->canon && copied == n && (ld->marks[taken] & MARK_NOT_DATA) && taken &&
	    !(ld->marks[taken - 1] & MARK_LINE_END))
		taken++;
	consume(ld, taken);
	return copied;
}
