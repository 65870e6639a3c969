/* kernel/line_editor.c, key by key: what each key does to the line, what it
 * echoes, the length limit, CR LF, escape sequences and the history ring. */
// HOST_LINK: kernel/line_editor.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kernel/line_editor.h"

#define SCREEN_SIZE 8192
#define ERASE	    "\b \b"
#define UP	    "\x1b[A"
#define DOWN	    "\x1b[B"

struct screen {
	char text[SCREEN_SIZE];
	size_t len;
};

static struct screen screen;
static struct line_editor ed;

static void capture(const char *s, size_t len, void *ctx)
{
	struct screen *sc = ctx;
	assert_true(sc->len + len < sizeof(sc->text));
	memcpy(sc->text + sc->len, s, len);
	sc->len += len;
	sc->text[sc->len] = '\0';
}

static int setup(void **state)
{
	(void)state;
	memset(&screen, 0, sizeof(screen));
	line_editor_init(&ed, capture, &screen);
	return 0;
}

static void clear_screen(void)
{
	screen.len = 0;
	screen.text[0] = '\0';
}

/* Feeds every key of keys; returns the result of the last one and counts the
 * results that were not LINE_PENDING in *ends (when given). */
static enum line_result type_n(const char *keys, size_t n, int *ends)
{
	enum line_result r = LINE_PENDING;
	for (size_t i = 0; i < n; i++) {
		r = line_editor_feed(&ed, keys[i]);
		if (ends && r != LINE_PENDING)
			(*ends)++;
	}
	return r;
}

static enum line_result type(const char *keys)
{
	return type_n(keys, strlen(keys), NULL);
}

static void expect_line(const char *keys, const char *want)
{
	assert_int_equal(type(keys), LINE_READY);
	assert_string_equal(line_editor_line(&ed), want);
}

static void test_plain_line_echoed(void **state)
{
	(void)state;
	assert_int_equal(type("help"), LINE_PENDING);
	assert_string_equal(screen.text, "help");
	expect_line("\r", "help");
	assert_string_equal(screen.text, "help\n");
	assert_int_equal(line_editor_typed(&ed), 4);
}

static void test_enter_is_cr_or_lf_and_crlf_is_one(void **state)
{
	(void)state;
	expect_line("a\n", "a");
	expect_line("b\r", "b");
	int ends = 0;
	type_n("c\r\nd\r\n", 6, &ends);
	assert_int_equal(ends, 2); /* not 4 */
	assert_string_equal(line_editor_line(&ed), "d");
	/* LF CR is two enters: only CR LF is a pair. */
	ends = 0;
	type_n("\n\r", 2, &ends);
	assert_int_equal(ends, 2);
}

static void test_empty_line_is_ready_and_empty(void **state)
{
	(void)state;
	expect_line("\r", "");
	assert_string_equal(screen.text, "\n");
}

static void test_both_backspace_codes(void **state)
{
	(void)state;
	type("tickz\x7f");
	type("q\x08");
	assert_string_equal(screen.text, "tickz" ERASE "q" ERASE);
	expect_line("s\r", "ticks");
}

static void test_backspace_on_empty_line_does_nothing(void **state)
{
	(void)state;
	type("\x7f\x08\x7f");
	assert_string_equal(screen.text, "");
	expect_line("x\r", "x");
}

static void test_control_characters_ignored(void **state)
{
	(void)state;
	type("a\tb\x01\x02\x07\x80\xff"
	     "c");
	assert_string_equal(screen.text, "abc");
	expect_line("\r", "abc");
}

static void test_line_at_the_limit_is_accepted(void **state)
{
	(void)state;
	char keys[LINE_MAX_LEN + 2];
	memset(keys, 'k', LINE_MAX_LEN);
	keys[LINE_MAX_LEN] = '\r';
	keys[LINE_MAX_LEN + 1] = '\0';
	assert_int_equal(type(keys), LINE_READY);
	assert_int_equal(strlen(line_editor_line(&ed)), LINE_MAX_LEN);
}

static void test_too_long_line_refused_without_overflow(void **state)
{
	(void)state;
	const size_t typed = LINE_MAX_LEN + 50;
	char keys[LINE_MAX_LEN + 50];
	memset(keys, 'x', typed);
	assert_int_equal(type_n(keys, typed, NULL), LINE_PENDING);
	/* Only what fits is shown; the rest is counted, not stored. */
	assert_int_equal(screen.len, LINE_MAX_LEN);
	assert_int_equal(type("\r"), LINE_TOO_LONG);
	assert_int_equal(line_editor_typed(&ed), typed);
	assert_string_equal(line_editor_line(&ed), "");
	/* The refused line is not history, and the next line starts clean. */
	expect_line("ok\r", "ok");
	clear_screen();
	type(UP UP);
	assert_string_equal(screen.text, "ok");
}

static void test_backspace_takes_back_unseen_keys_first(void **state)
{
	(void)state;
	char keys[LINE_MAX_LEN + 3];
	memset(keys, 'y', sizeof(keys));
	type_n(keys, sizeof(keys), NULL);
	clear_screen();
	type("\x7f\x7f\x7f"); /* the three dropped ones: nothing to erase */
	assert_string_equal(screen.text, "");
	assert_int_equal(type("\r"), LINE_READY);
	assert_int_equal(strlen(line_editor_line(&ed)), LINE_MAX_LEN);
}

static void test_ctrl_c_drops_the_line(void **state)
{
	(void)state;
	assert_int_equal(type("pfree 0x\x03"), LINE_CANCELLED);
	assert_string_equal(screen.text, "pfree 0x^C\n");
	expect_line("x\r", "x");
	clear_screen();
	type(UP UP);
	assert_string_equal(screen.text, "x"); /* the cancelled line is not history */
}

static void test_history_up_and_down(void **state)
{
	(void)state;
	expect_line("palloc\r", "palloc");
	expect_line("check\r", "check");
	clear_screen();
	type("he"); /* a draft, restored when coming back down */
	type(UP);
	assert_string_equal(screen.text, "he" ERASE ERASE "check");
	type(UP);
	type(UP); /* at the oldest: stays */
	clear_screen();
	type(DOWN);
	assert_string_equal(screen.text, ERASE ERASE ERASE ERASE ERASE ERASE "check");
	type(DOWN);
	type(DOWN); /* past the newest: the draft, then nothing more */
	expect_line("lp\r", "help");
	clear_screen();
	type(UP);
	assert_string_equal(screen.text, "help");
}

static void test_recalled_line_can_be_edited(void **state)
{
	(void)state;
	expect_line("peek 0x1000\r", "peek 0x1000");
	type(UP);
	expect_line("\x7f"
		    "4 2\r",
		    "peek 0x1004 2");
}

static void test_history_keeps_one_copy_of_a_repeat(void **state)
{
	(void)state;
	expect_line("a\r", "a");
	expect_line("b\r", "b");
	expect_line(UP "\r", "b");
	expect_line("b\r", "b");
	type(UP UP);
	expect_line("\r", "a"); /* b is there once */
}

static void test_history_ring_forgets_the_oldest(void **state)
{
	(void)state;
	char line[16];
	for (unsigned i = 0; i < LINE_HISTORY + 3; i++) {
		snprintf(line, sizeof(line), "l%u\r", i);
		type(line);
	}
	for (unsigned i = 0; i < LINE_HISTORY + 5; i++)
		type(UP);
	snprintf(line, sizeof(line), "l%u", 3u); /* the oldest of the last 8 */
	expect_line("\r", line);
}

static void test_up_with_empty_history_does_nothing(void **state)
{
	(void)state;
	type(UP DOWN);
	assert_string_equal(screen.text, "");
	expect_line("\r", "");
}

static void test_application_mode_arrows(void **state)
{
	(void)state;
	expect_line("ticks\r", "ticks");
	expect_line("\x1bOA\r", "ticks");
}

static void test_other_sequences_ignored(void **state)
{
	(void)state;
	/* right, left, delete (ESC [ 3 ~), F5 (ESC [ 1 5 ~), a modified arrow */
	type("\x1b[C\x1b[D\x1b[3~\x1b[15~\x1b[1;5A");
	assert_string_equal(screen.text, "");
	expect_line("ok\r", "ok");
}

static void test_lone_escape_gives_the_next_key_back(void **state)
{
	(void)state;
	type("\x1bh\x1b\x1b[Ai");
	expect_line("\r", "hi");
}

static void test_enter_ends_a_broken_sequence(void **state)
{
	(void)state;
	expect_line("x\x1b[\r", "x");
}

static void test_sources_do_not_share_state(void **state)
{
	(void)state;
	struct line_editor other;
	line_editor_init(&other, NULL, NULL); /* no echo at all is allowed */
	type("he");
	assert_int_equal(line_editor_feed(&other, 'x'), LINE_PENDING);
	assert_int_equal(line_editor_feed(&other, '\r'), LINE_READY);
	assert_string_equal(line_editor_line(&other), "x");
	expect_line("lp\r", "help");
}

/* "tic" arrived, "ks\rti" was lost, "cks\r" arrived: the merged "ticcks"
 * must not run, and the loss must be told at its enter. */
static void test_line_with_lost_input_is_refused(void **state)
{
	(void)state;
	assert_int_equal(type("tic"), LINE_PENDING);
	line_editor_input_lost(&ed, 5);
	assert_int_equal(type("cks\r"), LINE_LOST);
	assert_int_equal(line_editor_lost(&ed), 5);
	assert_string_equal(line_editor_line(&ed), "");
	/* Not history, and the next line is whole again. */
	clear_screen();
	assert_int_equal(type("\x1b[A"), LINE_PENDING);
	assert_int_equal(screen.len, 0);
	expect_line("ticks\r", "ticks");
}

/* Ctrl-C drops the damaged line; the loss goes with it. */
static void test_ctrl_c_forgets_a_loss(void **state)
{
	(void)state;
	line_editor_input_lost(&ed, 1);
	assert_int_equal(type("x\x03"), LINE_CANCELLED);
	expect_line("ok\r", "ok");
}

#define T(fn) cmocka_unit_test_setup(fn, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_plain_line_echoed),
		T(test_enter_is_cr_or_lf_and_crlf_is_one),
		T(test_empty_line_is_ready_and_empty),
		T(test_both_backspace_codes),
		T(test_backspace_on_empty_line_does_nothing),
		T(test_control_characters_ignored),
		T(test_line_at_the_limit_is_accepted),
		T(test_too_long_line_refused_without_overflow),
		T(test_backspace_takes_back_unseen_keys_first),
		T(test_ctrl_c_drops_the_line),
		T(test_history_up_and_down),
		T(test_recalled_line_can_be_edited),
		T(test_history_keeps_one_copy_of_a_repeat),
		T(test_history_ring_forgets_the_oldest),
		T(test_up_with_empty_history_does_nothing),
		T(test_application_mode_arrows),
		T(test_other_sequences_ignored),
		T(test_lone_escape_gives_the_next_key_back),
		T(test_enter_ends_a_broken_sequence),
		T(test_sources_do_not_share_state),
		T(test_line_with_lost_input_is_refused),
		T(test_ctrl_c_forgets_a_loss),
	};
	return cmocka_run_group_tests_name("line_editor", tests, NULL, NULL);
}
