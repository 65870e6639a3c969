/* lib/format.c: ksnprintf's conversions, flags, widths, 64-bit values,
 * truncation and its snprintf-like return value. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "lib/format.h"

static char out[256];

/* ksnprintf into `out`, checking that the return value is the length. */
#define CHECK(want, ...)                                                                           \
	do {                                                                                       \
		int n_ = ksnprintf(out, sizeof(out), __VA_ARGS__);                                 \
		assert_string_equal(out, want);                                                    \
		assert_int_equal(n_, (int)strlen(want));                                           \
	} while (0)

/* The same without the compiler's printf checking, for formats that are
 * deliberately not valid printf (unknown conversions, a trailing '%'). */
static int raw(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_plain_text_and_percent(void **state)
{
	(void)state;
	CHECK("", "%s", "");
	CHECK("hello", "hello");
	CHECK("100%", "100%%");
	CHECK("%%", "%%%%");
}

static void test_string(void **state)
{
	(void)state;
	CHECK("abc", "%s", "abc");
	CHECK("[   ab]", "[%5s]", "ab");
	CHECK("[ab   ]", "[%-5s]", "ab");
	CHECK("[abcdef]", "[%3s]", "abcdef"); /* width is a minimum */
	assert_int_equal(raw(out, sizeof(out), "[%05s]", "ab"), 7);
	assert_string_equal(out, "[   ab]"); /* '0' pads numbers only */
}

static void test_null_string(void **state)
{
	(void)state;
	const char *volatile nothing = NULL;
	CHECK("(null)", "%s", nothing);
	CHECK("[  (null)]", "[%8s]", nothing);
}

static void test_char(void **state)
{
	(void)state;
	CHECK("A", "%c", 'A');
	CHECK("[  z]", "[%3c]", 'z');
	CHECK("[z  ]", "[%-3c]", 'z');
	CHECK("a-b", "%c%c%c", 'a', '-', 'b');
}

static void test_signed_decimal(void **state)
{
	(void)state;
	CHECK("0", "%d", 0);
	CHECK("42", "%d", 42);
	CHECK("-42", "%i", -42);
	CHECK("2147483647", "%d", INT_MAX);
	CHECK("-2147483648", "%d", INT_MIN);
	CHECK("-2147483648", "%i", INT_MIN);
}

static void test_unsigned_and_hex(void **state)
{
	(void)state;
	CHECK("0", "%u", 0u);
	CHECK("4294967295", "%u", 0xFFFFFFFFu);
	CHECK("ffffffff", "%x", 0xFFFFFFFFu);
	CHECK("FFFFFFFF", "%X", 0xFFFFFFFFu);
	CHECK("0", "%x", 0u);
	CHECK("deadbeef", "%x", 0xDEADBEEFu);
	CHECK("C0000000", "%X", 0xC0000000u);
}

static void test_width_and_zero_padding(void **state)
{
	(void)state;
	CHECK("[   42]", "[%5d]", 42);
	CHECK("[00042]", "[%05d]", 42);
	CHECK("[-0042]", "[%05d]", -42); /* sign first, then zeros */
	CHECK("[  -42]", "[%5d]", -42);
	CHECK("0x0000BEEF", "0x%08X", 0xBEEFu);
	CHECK("[00000]", "[%05u]", 0u);
	CHECK("[123456]", "[%3d]", 123456);
}

static void test_left_justify(void **state)
{
	(void)state;
	CHECK("[42   ]", "[%-5d]", 42);
	CHECK("[-3   ]", "[%-5d]", -3);
	CHECK("[ff    ]", "[%-6x]", 0xFFu);
}

static void test_left_overrides_zero(void **state)
{
	(void)state;
	/* C: when '0' and '-' both appear, '0' is ignored. */
	assert_int_equal(raw(out, sizeof(out), "[%-05d]", 42), 7);
	assert_string_equal(out, "[42   ]");
	assert_int_equal(raw(out, sizeof(out), "[%0-5d]", 42), 7);
	assert_string_equal(out, "[42   ]");
}

static void test_pointer(void **state)
{
	(void)state;
	CHECK("0x00000000", "%p", (void *)0);
	CHECK("0x00001234", "%p", (void *)0x1234);
	CHECK("0xDEADBEEF", "%p", (void *)0xDEADBEEFu);
}

static void test_64bit(void **state)
{
	(void)state;
	CHECK("ffffffffffffffff", "%llx", 0xFFFFFFFFFFFFFFFFull);
	CHECK("FFFFFFFFFFFFFFFF", "%llX", 0xFFFFFFFFFFFFFFFFull);
	CHECK("18446744073709551615", "%llu", 18446744073709551615ull);
	CHECK("100000000", "%llx", 0x100000000ull);
	CHECK("4294967296", "%llu", 4294967296ull);
	CHECK("10000000000000000000", "%llu", 10000000000000000000ull);
	CHECK("123456789ABCDEF0", "%llX", 0x123456789ABCDEF0ull);
	CHECK("00000000e0000000", "%016llx", 0xE0000000ull);
	CHECK("-1", "%lld", -1ll);
	CHECK("-9223372036854775808", "%lld", (long long)INT64_MIN);
	CHECK("9223372036854775807", "%lli", (long long)INT64_MAX);
	/* The vararg after a 64-bit one is still read from the right place. */
	CHECK("1 ffffffffffffffff 2", "%d %llx %d", 1, ~0ull, 2);
}

/* Every 64-bit decimal path against libc, on values around powers of ten
 * and of two, where a long division over 32-bit halves goes wrong first. */
static void test_64bit_decimal_matches_libc(void **state)
{
	(void)state;
	char want[64];
	uint64_t p10 = 1;
	for (int i = 0; i < 20; i++, p10 *= 10) {
		for (int d = -1; d <= 1; d++) {
			uint64_t v = p10 + (uint64_t)(int64_t)d;
			snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
			CHECK(want, "%llu", (unsigned long long)v);
		}
	}
	for (int b = 0; b < 64; b++) {
		uint64_t v = 1ull << b;
		snprintf(want, sizeof(want), "%llu", (unsigned long long)(v - 1));
		CHECK(want, "%llu", (unsigned long long)(v - 1));
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v);
		CHECK(want, "%llu", (unsigned long long)v);
	}
}

/* 32-bit conversions with every flag and width against libc. */
static void test_int_conversions_match_libc(void **state)
{
	(void)state;
	static const char *const flags[] = {"", "0", "-"};
	static const char conv[] = "diuxX";
	uint32_t x = 0x12345678u;
	char f[32], want[64];
	for (int iter = 0; iter < 3000; iter++) {
		x ^= x << 13, x ^= x >> 17, x ^= x << 5; /* xorshift32 */
		uint32_t v = x >> (x & 31u);		 /* small values too */
		const char *flag = flags[iter % 3];
		int width = (int)(x % 13u);
		char c = conv[(iter / 3) % 5];
		if (width)
			snprintf(f, sizeof(f), "[%%%s%d%c]", flag, width, c);
		else
			snprintf(f, sizeof(f), "[%%%c]", c);
		int wn = snprintf(want, sizeof(want), f, v);
		int n = raw(out, sizeof(out), f, v);
		if (strcmp(out, want) != 0 || n != wn)
			fail_msg("format \"%s\" value 0x%08X: got \"%s\" (%d), libc \"%s\" (%d)", f,
				 v, out, n, want, wn);
	}
}

static void test_truncation_returns_full_length(void **state)
{
	(void)state;
	char buf[16];
	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, 5, "hello %s", "world"), 11);
	assert_string_equal(buf, "hell");
	for (size_t i = 5; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 'X'); /* nothing written past size */

	memset(buf, 'X', sizeof(buf));
	assert_int_equal(ksnprintf(buf, 1, "%d", 12345), 5);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'X');

	/* Exactly fitting: size = length + 1. */
	assert_int_equal(ksnprintf(buf, 6, "%05d", 7), 5);
	assert_string_equal(buf, "00007");
	/* One short: the last character goes. */
	assert_int_equal(ksnprintf(buf, 5, "%05d", 7), 5);
	assert_string_equal(buf, "0000");
}

static void test_size_zero_writes_nothing(void **state)
{
	(void)state;
	char buf[4] = {'X', 'X', 'X', 'X'};
	assert_int_equal(ksnprintf(buf, 0, "abc%d", 12), 5);
	assert_int_equal(buf[0], 'X');
	assert_int_equal(ksnprintf(NULL, 0, "%s=%u", "key", 4096u), 8);
}

static void test_unknown_conversion_printed_as_written(void **state)
{
	(void)state;
	assert_int_equal(raw(out, sizeof(out), "a%qb"), 4);
	assert_string_equal(out, "a%qb");
	assert_int_equal(raw(out, sizeof(out), "[%-5w]"), 6);
	assert_string_equal(out, "[%-5w]");
	/* An unknown conversion consumes no argument. */
	assert_int_equal(raw(out, sizeof(out), "%y %d", 7), 4);
	assert_string_equal(out, "%y 7");
}

static void test_trailing_lone_percent(void **state)
{
	(void)state;
	assert_int_equal(raw(out, sizeof(out), "abc%"), 4);
	assert_string_equal(out, "abc%");
	assert_int_equal(raw(out, sizeof(out), "x%05"), 4);
	assert_string_equal(out, "x%05");
	assert_int_equal(raw(out, sizeof(out), "%"), 1);
	assert_string_equal(out, "%");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_and_percent),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_char),
		cmocka_unit_test(test_signed_decimal),
		cmocka_unit_test(test_unsigned_and_hex),
		cmocka_unit_test(test_width_and_zero_padding),
		cmocka_unit_test(test_left_justify),
		cmocka_unit_test(test_left_overrides_zero),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_64bit),
		cmocka_unit_test(test_64bit_decimal_matches_libc),
		cmocka_unit_test(test_int_conversions_match_libc),
		cmocka_unit_test(test_truncation_returns_full_length),
		cmocka_unit_test(test_size_zero_writes_nothing),
		cmocka_unit_test(test_unknown_conversion_printed_as_written),
		cmocka_unit_test(test_trailing_lone_percent),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
