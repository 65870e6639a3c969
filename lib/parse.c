#include "lib/parse.h"

#define HEX_PREFIX_LEN 2
#define DECIMAL_BASE   10u
#define HEX_BASE       16u

/* The value of c as a digit of base, or -1. */
static int digit_value(char c, uint32_t base)
{
	int v;
	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (c >= 'a' && c <= 'f')
		v = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		v = c - 'A' + 10;
	else
		return -1;
	return (uint32_t)v < base ? v : -1;
}

static bool has_hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

enum parse_status parse_u32_status(const char *s, uint32_t *out)
{
	if (!s)
		return PARSE_EMPTY;
	uint32_t base = DECIMAL_BASE;
	if (has_hex_prefix(s)) {
		base = HEX_BASE;
		s += HEX_PREFIX_LEN;
	}
	if (!*s)
		return PARSE_EMPTY;
	/* Every digit is checked before overflow is reported, so "99999999999x"
	 * says bad digit: the first thing wrong with it is that it is no number. */
	uint32_t value = 0;
	bool overflow = false;
	for (; *s; s++) {
		int d = digit_value(*s, base);
		if (d < 0)
			return PARSE_BAD_DIGIT;
		if (value > (UINT32_MAX - (uint32_t)d) / base)
			overflow = true;
		value = value * base + (uint32_t)d;
	}
	if (overflow)
		return PARSE_OVERFLOW;
	*out = value;
	return PARSE_OK;
}

bool parse_u32(const char *s, uint32_t *out)
{
	return parse_u32_status(s, out) == PARSE_OK;
}

const char *parse_status_name(enum parse_status status)
{
	switch (status) {
	case PARSE_OK: return "ok";
	case PARSE_EMPTY: return "no digits";
	case PARSE_BAD_DIGIT: return "not a decimal or 0x hex number";
	case PARSE_OVERFLOW: return "more than 32 bits";
	default: return "unknown status";
	}
}

static bool is_separator(char c)
{
	return c == ' ' || c == '\t';
}

size_t parse_words(char *line, char **words, size_t max)
{
	size_t n = 0;
	char *p = line;
	for (;;) {
		while (is_separator(*p))
			p++;
		if (!*p)
			return n;
		if (n < max)
			words[n] = p;
		n++;
		while (*p && !is_separator(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}
