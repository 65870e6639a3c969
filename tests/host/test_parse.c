/* lib/parse.c: parse_u32 in both bases, every way a number can be wrong, and
 * the word splitter the monitor uses. */
// HOST_LINK: lib/parse.c
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "lib/parse.h"

#define UNTOUCHED 0xA5A5A5A5u

/* Parses s; the output is preset so a failed parse that wrote it shows. */
static enum parse_status parse(const char *s, uint32_t *value)
{
	*value = UNTOUCHED;
	return parse_u32_status(s, value);
}

static void parses_to(const char *s, uint32_t want)
{
	uint32_t v;
	assert_int_equal(parse(s, &v), PARSE_OK);
	assert_int_equal(v, want);
}

static void fails_with(const char *s, enum parse_status want)
{
	uint32_t v;
	assert_int_equal(parse(s, &v), want);
	assert_int_equal(v, UNTOUCHED);
	assert_false(parse_u32(s, &v));
}

static void test_decimal(void **state)
{
	(void)state;
	parses_to("0", 0);
	parses_to("7", 7);
	parses_to("4096", 4096);
	parses_to("007", 7); /* leading zeros are still decimal */
	parses_to("4294967295", UINT32_MAX);
}

static void test_hex_either_case(void **state)
{
	(void)state;
	parses_to("0x0", 0);
	parses_to("0x1000", 0x1000);
	parses_to("0XdeadBEEF", 0xDEADBEEFu);
	parses_to("0xffffffff", UINT32_MAX);
	parses_to("0x00000000000000000001", 1); /* leading zeros never overflow */
}

static void test_bool_form_agrees(void **state)
{
	(void)state;
	uint32_t v = 0;
	assert_true(parse_u32("0xC0000000", &v));
	assert_int_equal(v, 0xC0000000u);
	assert_false(parse_u32("0xC000000G", &v));
	assert_int_equal(v, 0xC0000000u); /* unchanged by the failure */
}

static void test_empty(void **state)
{
	(void)state;
	fails_with("", PARSE_EMPTY);
	fails_with("0x", PARSE_EMPTY);
	fails_with("0X", PARSE_EMPTY);
	fails_with(NULL, PARSE_EMPTY);
}

static void test_garbage(void **state)
{
	(void)state;
	fails_with("0xZZ", PARSE_BAD_DIGIT);
	fails_with("12a", PARSE_BAD_DIGIT); /* hex digits need the prefix */
	fails_with("abc", PARSE_BAD_DIGIT);
	fails_with("0x12g", PARSE_BAD_DIGIT);
	fails_with("-1", PARSE_BAD_DIGIT);
	fails_with("+1", PARSE_BAD_DIGIT);
	fails_with(" 1", PARSE_BAD_DIGIT);
	fails_with("1 ", PARSE_BAD_DIGIT);
	fails_with("0x 1", PARSE_BAD_DIGIT);
	fails_with("0b101", PARSE_BAD_DIGIT);
	fails_with("x10", PARSE_BAD_DIGIT);
	fails_with("1.5", PARSE_BAD_DIGIT);
	fails_with("0x0x1", PARSE_BAD_DIGIT);
}

static void test_overflow(void **state)
{
	(void)state;
	fails_with("4294967296", PARSE_OVERFLOW);
	fails_with("4294967300", PARSE_OVERFLOW);
	fails_with("99999999999", PARSE_OVERFLOW);
	fails_with("0x100000000", PARSE_OVERFLOW);
	fails_with("0xFFFFFFFFF", PARSE_OVERFLOW);
	/* Garbage is reported as garbage even when the digits already overflowed. */
	fails_with("99999999999x", PARSE_BAD_DIGIT);
}

static void test_status_names(void **state)
{
	(void)state;
	assert_string_equal(parse_status_name(PARSE_OK), "ok");
	assert_string_equal(parse_status_name(PARSE_OVERFLOW), "more than 32 bits");
	assert_string_equal(parse_status_name((enum parse_status)42), "unknown status");
}

#define MAX 4

static void test_words_split_in_place(void **state)
{
	(void)state;
	char line[] = "  map\t0x40000000  0x1000 ro ";
	char *w[MAX];
	assert_int_equal(parse_words(line, w, MAX), 4);
	assert_string_equal(w[0], "map");
	assert_string_equal(w[1], "0x40000000");
	assert_string_equal(w[2], "0x1000");
	assert_string_equal(w[3], "ro");
}

static void test_words_empty_and_blank(void **state)
{
	(void)state;
	char empty[] = "";
	char blank[] = " \t  ";
	char *w[MAX];
	assert_int_equal(parse_words(empty, w, MAX), 0);
	assert_int_equal(parse_words(blank, w, MAX), 0);
}

static void test_words_counts_past_max(void **state)
{
	(void)state;
	char line[] = "a b c d e f";
	char *w[MAX + 1];
	w[MAX] = NULL;
	assert_int_equal(parse_words(line, w, MAX), 6);
	assert_string_equal(w[3], "d");
	assert_null(w[MAX]); /* nothing stored past max */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_hex_either_case),
		cmocka_unit_test(test_bool_form_agrees),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_status_names),
		cmocka_unit_test(test_words_split_in_place),
		cmocka_unit_test(test_words_empty_and_blank),
		cmocka_unit_test(test_words_counts_past_max),
	};
	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
