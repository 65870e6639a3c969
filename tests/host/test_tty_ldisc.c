/* kernel/tty_ldisc.c byte by byte: what a Linux terminal echoes, hands to a
 * reader and signals under the termios settings BusyBox's shell switches
 * between (canonical with echo while a command runs, raw without echo
 * while it edits a line). */
// HOST_LINK: kernel/tty_ldisc.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/tty_ldisc.h"
#include "uapi/linux_abi.h"

struct seen {
	char screen[4096];
	size_t len;
	int signals[8];
	int nsignals;
};

static struct seen seen;
static struct tty_ldisc ld;

static void capture(const char *s, size_t len, void *ctx)
{
	struct seen *sc = ctx;
	assert_true(sc->len + len < sizeof(sc->screen));
	memcpy(sc->screen + sc->len, s, len);
	sc->len += len;
	sc->screen[sc->len] = '\0';
}

static void raise_sig(int sig, void *ctx)
{
	struct seen *sc = ctx;
	assert_true(sc->nsignals < 8);
	sc->signals[sc->nsignals++] = sig;
}

static int setup(void **state)
{
	(void)state;
	memset(&seen, 0, sizeof(seen));
	tty_ldisc_init(&ld, capture, raise_sig, &seen);
	return 0;
}

static int type(const char *keys)
{
	int wakes = 0;
	for (; *keys; keys++)
		wakes += tty_ldisc_receive(&ld, *keys);
	return wakes;
}

static const char *read_all(uint32_t n)
{
	static char buf[2048];
	uint32_t got = tty_ldisc_read(&ld, buf, n);
	buf[got] = '\0';
	return buf;
}

/* BusyBox's line editing: raw, no echo, VMIN 1, VINTR disabled. */
static void go_raw(void)
{
	struct linux_termios t = ld.termios;
	t.c_lflag &= ~(LINUX_ICANON | LINUX_ECHO | LINUX_ECHONL);
	t.c_cc[LINUX_VMIN] = 1;
	t.c_cc[LINUX_VTIME] = 0;
	t.c_cc[LINUX_VINTR] = 0;
	tty_ldisc_set_termios(&ld, &t, false);
}

static void test_canonical_echoes_and_hands_out_lines(void **state)
{
	(void)state;
	assert_int_equal(type("ls /"), 0);
	assert_false(tty_ldisc_read_ready(&ld, 100));
	assert_int_equal(type("\r"), 1); /* ICRNL: CR is the newline */
	assert_string_equal(seen.screen, "ls /\n");
	assert_true(tty_ldisc_read_ready(&ld, 100));
	assert_string_equal(read_all(100), "ls /\n");
	assert_int_equal(tty_ldisc_readable(&ld), 0);
}

static void test_canonical_erase_kill_and_word_erase(void **state)
{
	(void)state;
	type("echo abcX\x7f"
	     "d\r");
	assert_string_equal(read_all(100), "echo abcd\n");
	assert_string_equal(seen.screen, "echo abcX\b \bd\n");
	seen.len = 0;
	type("junk\x15"
	     "ok one two\x17\x17"
	     "three\n"); /* ^U kills, ^W erases words */
	assert_string_equal(read_all(100), "ok three\n");
	/* Erase never goes back into a finished line. */
	type("a\n\x7f\x7f"
	     "b\n");
	assert_string_equal(read_all(100), "a\n");
	assert_string_equal(read_all(100), "b\n");
}

static void test_one_line_per_read_and_partial_reads(void **state)
{
	(void)state;
	type("first\nsecond\n");
	assert_string_equal(read_all(3), "fir");
	assert_string_equal(read_all(100), "st\n");
	assert_string_equal(read_all(100), "second\n");
}

/* VEOF ends a line without being read; on an empty line it is end of file. */
static void test_eof(void **state)
{
	(void)state;
	type("abc\x04");
	assert_true(tty_ldisc_read_ready(&ld, 10));
	assert_string_equal(read_all(10), "abc");
	type("\x04");
	assert_true(tty_ldisc_read_ready(&ld, 10));
	assert_int_equal(tty_ldisc_read(&ld, (char[10]){0}, 10), 0);
	assert_false(tty_ldisc_read_ready(&ld, 10));
	assert_string_equal(seen.screen, "abc");
}

/* Raw mode without ECHO: every byte readable at once, nothing shown. */
static void test_raw_without_echo(void **state)
{
	(void)state;
	go_raw();
	assert_int_equal(type("x"), 1);
	assert_true(tty_ldisc_read_ready(&ld, 1));
	type("\x7f\x03\x1b[A");
	assert_int_equal(seen.len, 0);
	assert_int_equal(seen.nsignals, 0); /* VINTR disabled: ^C is a byte */
	assert_string_equal(read_all(100), "x\x7f\x03\x1b[A");
	/* VMIN 3: a read of 10 waits for three bytes, a read of 2 for two. */
	struct linux_termios t = ld.termios;
	t.c_cc[LINUX_VMIN] = 3;
	tty_ldisc_set_termios(&ld, &t, false);
	type("ab");
	assert_false(tty_ldisc_read_ready(&ld, 10));
	assert_true(tty_ldisc_read_ready(&ld, 2));
}

/* Back to canonical: a partial line typed in raw mode is the line being
 * edited. */
static void test_raw_then_canonical(void **state)
{
	(void)state;
	struct linux_termios cooked = ld.termios;
	go_raw();
	type("ec");
	tty_ldisc_set_termios(&ld, &cooked, false);
	assert_false(tty_ldisc_read_ready(&ld, 10));
	type("ho\n");
	assert_string_equal(read_all(100), "echo\n");
	go_raw();
	type("zz");
	tty_ldisc_set_termios(&ld, &cooked, true); /* TCSETSF drops them */
	assert_int_equal(tty_ldisc_readable(&ld), 0);
	assert_int_equal(ld.len, 0);
}

/* ISIG: ^C is SIGINT, the typed line is dropped and ^C shown; ^\ SIGQUIT;
 * ^Z SIGTSTP.  Without ISIG ^C is a byte. */
static void test_signal_keys(void **state)
{
	(void)state;
	type("sleep 10\nhalf");
	type("\x03");
	assert_int_equal(seen.nsignals, 1);
	assert_int_equal(seen.signals[0], LINUX_SIGINT);
	assert_int_equal(tty_ldisc_readable(&ld), 0);
	assert_string_equal(seen.screen, "sleep 10\nhalf^C");
	type("\x1c\x1a");
	assert_int_equal(seen.nsignals, 3);
	assert_int_equal(seen.signals[1], LINUX_SIGQUIT);
	assert_int_equal(seen.signals[2], LINUX_SIGTSTP);
	struct linux_termios t = ld.termios;
	t.c_lflag &= ~LINUX_ISIG;
	tty_ldisc_set_termios(&ld, &t, false);
	type("\x03\n");
	assert_int_equal(seen.nsignals, 3);
	assert_string_equal(read_all(10), "\x03\n");
}

/* A full buffer keeps room for the newline that ends the line. */
static void test_full_buffer(void **state)
{
	(void)state;
	for (unsigned i = 0; i < TTY_LDISC_BUF + 10; i++)
		tty_ldisc_receive(&ld, 'x');
	assert_int_equal(ld.len, TTY_LDISC_BUF - 1);
	assert_int_equal(tty_ldisc_receive(&ld, '\n'), 1);
	assert_int_equal(tty_ldisc_readable(&ld), TTY_LDISC_BUF);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_canonical_echoes_and_hands_out_lines, setup),
		cmocka_unit_test_setup(test_canonical_erase_kill_and_word_erase, setup),
		cmocka_unit_test_setup(test_one_line_per_read_and_partial_reads, setup),
		cmocka_unit_test_setup(test_eof, setup),
		cmocka_unit_test_setup(test_raw_without_echo, setup),
		cmocka_unit_test_setup(test_raw_then_canonical, setup),
		cmocka_unit_test_setup(test_signal_keys, setup),
		cmocka_unit_test_setup(test_full_buffer, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
