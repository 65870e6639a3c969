/* Small parsers for typed input (the monitor's command lines): no hardware,
 * no globals, so the host tests run them as they are. */
#ifndef LIB_PARSE_H
#define LIB_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum parse_status {
	PARSE_OK = 0,
	PARSE_EMPTY = -1,     /* "" or a bare "0x" */
	PARSE_BAD_DIGIT = -2, /* a character that is not a digit of the base */
	PARSE_OVERFLOW = -3,  /* more than 32 bits */
};

/* A whole string as an unsigned 32-bit number: decimal, or hex after "0x" /
 * "0X" (digits in either case).  No sign, no spaces, no suffix: "12a" and
 * "0xZZ" are errors, not 12 and 0.  *out is written only on PARSE_OK. */
enum parse_status parse_u32_status(const char *s, uint32_t *out);
/* The same, as a yes/no. */
bool parse_u32(const char *s, uint32_t *out);
const char *parse_status_name(enum parse_status status);

/* Splits line into words separated by spaces or tabs, in place (the
 * separators after words become NULs).  Stores at most max word pointers and
 * returns how many words there are, which may be more than max. */
size_t parse_words(char *line, char **words, size_t max);

#endif
