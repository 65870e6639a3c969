/* The console's line discipline: what a Linux terminal (n_tty) does with a
 * typed byte before any program reads it, under the termios settings.
 *
 * Canonical mode (ICANON) collects a line, with VERASE, VWERASE and VKILL
 * editing it, and hands out whole lines ('\n', VEOL, or VEOF, which ends a
 * line without being read; VEOF on an empty line is end of file).  Raw mode
 * hands out bytes as typed, VMIN and VTIME saying when a read may return.
 * ECHO and its companions decide what is shown, ISIG turns VINTR, VQUIT
 * and VSUSP into signals, ICRNL / INLCR / IGNCR translate CR and NL.
 *
 * It knows nothing of consoles, processes or memory spaces: it prints
 * through an echo callback and raises signals through another, so the host
 * tests drive it byte by byte. */
#ifndef KERNEL_TTY_LDISC_H
#define KERNEL_TTY_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/linux_types.h"

#define TTY_LDISC_BUF 1024u /* typed bytes not read yet, as n_tty's 4 KiB, smaller */

struct tty_ldisc {
	struct linux_termios termios;
	char buf[TTY_LDISC_BUF];
	uint8_t marks[TTY_LDISC_BUF]; /* kernel/tty_ldisc.c: line ends */
	uint32_t len;		      /* bytes held */
	uint32_t canon;		      /* of them, bytes of finished lines (canonical mode) */
	void (*echo)(const char *s, size_t len, void *ctx);
	void (*signal)(int sig, void *ctx);
	void *ctx;
};

/* The settings of a Linux console after boot (tty_std_termios): canonical
 * input with echo and signals, CR read as NL, NL written as CR NL. */
extern const struct linux_termios tty_default_termios;

void tty_ldisc_init(struct tty_ldisc *ld, void (*echo)(const char *, size_t, void *),
		    void (*signal)(int, void *), void *ctx);
/* One typed byte.  True when a reader may now have something to read. */
bool tty_ldisc_receive(struct tty_ldisc *ld, char c);
/* New settings; flush drops what was typed (TCSETSF).  Leaving canonical
 * mode makes the partial line readable; entering it keeps whole lines
 * readable and makes the rest the line being edited, as n_tty does. */
void tty_ldisc_set_termios(struct tty_ldisc *ld, const struct linux_termios *t, bool flush);
void tty_ldisc_flush(struct tty_ldisc *ld);
/* Bytes a read could take now: whole lines in canonical mode, everything
 * in raw mode (FIONREAD). */
uint32_t tty_ldisc_readable(const struct tty_ldisc *ld);
/* Whether a read that wants `want` bytes may return now: a whole line
 * (or end of file) in canonical mode, VMIN bytes (at most want) in raw
 * mode; with VMIN 0, any byte. */
bool tty_ldisc_read_ready(const struct tty_ldisc *ld, uint32_t want);
/* Takes at most n bytes into dst: in canonical mode at most one line, its
 * '\n' included, VEOF left out.  Returns the count (0 at end of file). */
uint32_t tty_ldisc_read(struct tty_ldisc *ld, char *dst, uint32_t n);

#endif
