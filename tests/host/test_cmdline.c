/* lib/cmdline.c: words, the skipped kernel path, key lookup and its limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "lib/cmdline.h"

static char buf[64];

/* Looks key up with a buffer of `size` bytes; buf is reset to a marker so a
 * stale value from an earlier lookup can never pass for a result. */
static bool get(const char *cmdline, const char *key, size_t size)
{
	assert_true(size <= sizeof(buf));
	memset(buf, '#', sizeof(buf));
	buf[sizeof(buf) - 1] = '\0';
	return cmdline_get(cmdline, key, buf, size);
}

#define WORDS_MAX 8
struct words {
	int count;
	char word[WORDS_MAX][32];
};

static void collect(const char *word, size_t len, void *ctx)
{
	struct words *w = ctx;
	assert_true(w->count < WORDS_MAX);
	assert_true(len < sizeof(w->word[0]));
	memcpy(w->word[w->count], word, len);
	w->word[w->count][len] = '\0';
	w->count++;
}

static void test_kernel_path_skipped(void **state)
{
	(void)state;
	assert_true(get("build/toyix.elf test=boot", "test", sizeof(buf)));
	assert_string_equal(buf, "boot");
	assert_true(get("/boot/toyix.elf test=ud2", "test", sizeof(buf)));
	assert_string_equal(buf, "ud2");
}

static void test_first_word_with_equals_kept(void **state)
{
	(void)state;
	/* GRUB with no path in the line: the first word is already a key. */
	assert_true(get("test=pagefault", "test", sizeof(buf)));
	assert_string_equal(buf, "pagefault");
	assert_true(get("mem=4 test=ktest", "mem", sizeof(buf)));
	assert_string_equal(buf, "4");
}

static void test_only_the_first_bare_word_is_the_path(void **state)
{
	(void)state;
	struct words w = {0};
	cmdline_for_each("/kernel quiet test=boot /other", collect, &w);
	assert_int_equal(w.count, 3);
	assert_string_equal(w.word[0], "quiet");
	assert_string_equal(w.word[1], "test=boot");
	assert_string_equal(w.word[2], "/other");

	memset(&w, 0, sizeof(w));
	cmdline_for_each("a=1 b", collect, &w);
	assert_int_equal(w.count, 2);
	assert_string_equal(w.word[0], "a=1");
	assert_string_equal(w.word[1], "b");
}

static void test_key_lookup_among_others(void **state)
{
	(void)state;
	const char *line = "/k foo=bar test=boot mem=128 flag";
	assert_true(get(line, "foo", sizeof(buf)));
	assert_string_equal(buf, "bar");
	assert_true(get(line, "test", sizeof(buf)));
	assert_string_equal(buf, "boot");
	assert_true(get(line, "mem", sizeof(buf)));
	assert_string_equal(buf, "128");
}

static void test_missing_key(void **state)
{
	(void)state;
	assert_false(get("/k foo=bar", "test", sizeof(buf)));
	assert_false(get("/k", "test", sizeof(buf)));
	/* A bare flag has no value. */
	assert_false(get("/k test", "test", sizeof(buf)));
	/* The path word itself is never a key. */
	assert_false(get("test", "test", sizeof(buf)));
}

static void test_key_prefix_does_not_match(void **state)
{
	(void)state;
	assert_false(get("/k tests=x", "test", sizeof(buf)));
	assert_false(get("/k xtest=x", "test", sizeof(buf)));
	assert_false(get("/k test=x", "tes", sizeof(buf)));
	assert_true(get("/k tests=x test=y", "test", sizeof(buf)));
	assert_string_equal(buf, "y");
}

static void test_value_too_long(void **state)
{
	(void)state;
	/* "boot" needs 5 bytes with its NUL. */
	assert_false(get("/k test=boot", "test", 4));
	assert_true(get("/k test=boot", "test", 5));
	assert_string_equal(buf, "boot");
	assert_false(get("/k test=boot", "test", 0));
}

static void test_empty_value(void **state)
{
	(void)state;
	assert_true(get("/k test=", "test", 1));
	assert_string_equal(buf, "");
}

static void test_value_may_contain_equals(void **state)
{
	(void)state;
	assert_true(get("/k opt=a=b", "opt", sizeof(buf)));
	assert_string_equal(buf, "a=b");
}

static void test_duplicate_keys_last_wins(void **state)
{
	(void)state;
	assert_true(get("/k test=a test=bb", "test", sizeof(buf)));
	assert_string_equal(buf, "bb");
	/* An earlier value too long for the buffer does not hide a later one. */
	assert_true(get("/k test=muchtoolong test=ok", "test", 3));
	assert_string_equal(buf, "ok");
	/* The last occurrence decides: a value it overrode is never returned. */
	assert_false(get("/k test=ok test=muchtoolong", "test", 3));
}

static void test_empty_and_null(void **state)
{
	(void)state;
	assert_false(get("", "test", sizeof(buf)));
	assert_false(get("   \t ", "test", sizeof(buf)));
	assert_false(get(NULL, "test", sizeof(buf)));
	assert_false(get("/k test=boot", "", sizeof(buf)));

	struct words w = {0};
	cmdline_for_each(NULL, collect, &w);
	cmdline_for_each("", collect, &w);
	cmdline_for_each("/only/the/path", collect, &w);
	assert_int_equal(w.count, 0);
}

static void test_tabs_and_runs_of_spaces(void **state)
{
	(void)state;
	const char *line = "  /boot/toyix.elf \t  test=boot\t\tfoo=bar   ";
	assert_true(get(line, "test", sizeof(buf)));
	assert_string_equal(buf, "boot");
	assert_true(get(line, "foo", sizeof(buf)));
	assert_string_equal(buf, "bar");

	struct words w = {0};
	cmdline_for_each(line, collect, &w);
	assert_int_equal(w.count, 2);
	assert_string_equal(w.word[0], "test=boot");
	assert_string_equal(w.word[1], "foo=bar");
}

static void test_find_points_into_the_line(void **state)
{
	(void)state;
	const char *line = "/k seed=abc ops=-1 seed=12345678901234567890";
	const char *value = NULL;
	size_t len = 99;
	assert_true(cmdline_find(line, "ops", &value, &len));
	assert_int_equal(len, 2);
	assert_memory_equal(value, "-1", 2);
	/* The last one, whatever its length: no buffer limits what is found. */
	assert_true(cmdline_find(line, "seed", &value, &len));
	assert_int_equal(len, 20);
	assert_ptr_equal(value, line + strlen(line) - 20);
	value = NULL;
	len = 99;
	assert_false(cmdline_find(line, "see", &value, &len));
	assert_null(value);
	assert_int_equal(len, 99);
	assert_false(cmdline_find(line, "", &value, &len));
	assert_false(cmdline_find(NULL, "seed", &value, &len));
}

/* Linux takes 2,048 bytes of command line: a word far past 255 is found. */
static void test_long_line(void **state)
{
	(void)state;
	static char line[2048];
	memset(line, 'x', sizeof(line));
	memcpy(line, "/k pad=", 7);
	memcpy(line + sizeof(line) - 16, " test=ktest", 11);
	line[sizeof(line) - 5] = '\0';
	assert_true(get(line, "test", sizeof(buf)));
	assert_string_equal(buf, "ktest");
}

/* Words after "--" are the first program's, never the kernel's: a "test="
 * among them is an argument, not a scenario. */
static void test_words_after_dashes_go_to_init(void **state)
{
	(void)state;
	const char *line = "/boot/toyix.elf test=init init=/probe -- a test=x -- b";
	struct words kernel = {0}, init = {0}, none = {0};
	cmdline_for_each(line, collect, &kernel);
	cmdline_for_each_init_arg(line, collect, &init);
	assert_int_equal(kernel.count, 2);
	assert_string_equal(kernel.word[0], "test=init");
	assert_string_equal(kernel.word[1], "init=/probe");
	assert_int_equal(init.count, 4);
	assert_string_equal(init.word[0], "a");
	assert_string_equal(init.word[1], "test=x");
	assert_string_equal(init.word[2], "--");
	assert_string_equal(init.word[3], "b");
	assert_true(get(line, "test", sizeof(buf)));
	assert_string_equal(buf, "init");
	cmdline_for_each_init_arg("/k test=boot", collect, &none);
	assert_int_equal(none.count, 0);
}

/* Quotes as Linux reads them: `init=/bin/sh -- -c "echo a b"` gives the
 * shell -c and echo a b, two arguments. */
static void test_quotes_keep_spaces(void **state)
{
	(void)state;
	const char *line = "/k init=/bin/sh msg=\"two words\" -- -c \"echo a b\" x\"y z\"w \"\"";
	struct words kernel = {0}, init = {0};
	cmdline_for_each(line, collect, &kernel);
	cmdline_for_each_init_arg(line, collect, &init);
	assert_int_equal(kernel.count, 2);
	assert_string_equal(kernel.word[1], "msg=\"two words\"");
	assert_true(get(line, "msg", sizeof(buf)));
	assert_string_equal(buf, "two words");
	assert_int_equal(init.count, 4);
	assert_string_equal(init.word[0], "-c");
	assert_string_equal(init.word[1], "echo a b");
	assert_string_equal(init.word[2], "x\"y z\"w"); /* quotes inside a word stay */
	assert_string_equal(init.word[3], "");
	/* An unclosed quote runs to the end of the line. */
	struct words open = {0};
	cmdline_for_each_init_arg("/k -- \"a b", collect, &open);
	assert_int_equal(open.count, 1);
	assert_string_equal(open.word[0], "a b");
}

/* `monitor` as a bare kernel word; not as a prefix, a value or an init
 * argument. */
static void test_bare_word(void **state)
{
	(void)state;
	assert_true(cmdline_has_word("/k init=/bin/sh monitor", "monitor"));
	assert_false(cmdline_has_word("monitor", "monitor")); /* the first bare word: the path */
	assert_false(cmdline_has_word("/k monitors init=monitor", "monitor"));
	assert_false(cmdline_has_word("/k mon", "monitor"));
	assert_false(cmdline_has_word("/k -- monitor", "monitor"));
	assert_false(cmdline_has_word(NULL, "monitor"));
	assert_false(cmdline_has_word("/k monitor", ""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_path_skipped),
		cmocka_unit_test(test_first_word_with_equals_kept),
		cmocka_unit_test(test_only_the_first_bare_word_is_the_path),
		cmocka_unit_test(test_key_lookup_among_others),
		cmocka_unit_test(test_missing_key),
		cmocka_unit_test(test_key_prefix_does_not_match),
		cmocka_unit_test(test_value_too_long),
		cmocka_unit_test(test_empty_value),
		cmocka_unit_test(test_value_may_contain_equals),
		cmocka_unit_test(test_duplicate_keys_last_wins),
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_tabs_and_runs_of_spaces),
		cmocka_unit_test(test_find_points_into_the_line),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_words_after_dashes_go_to_init),
		cmocka_unit_test(test_quotes_keep_spaces),
		cmocka_unit_test(test_bare_word),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
