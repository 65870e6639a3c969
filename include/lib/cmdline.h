/* The kernel command line: space-separated words.  A first word without '='
 * is the kernel's own path (QEMU -kernel and GRUB put it there) and is
 * skipped; every other word is `key=value` or a bare flag, up to a word
 * "--": the words after it are the first program's arguments, as on Linux.
 * As Linux reads it, double quotes keep spaces in a word (`"echo a b"` is
 * one word, echo a b) and are dropped around a whole word or value
 * (`key="a b"`); inside a word they stay. */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Finds the last `key=value` word: points *value at the value inside
 * cmdline (not NUL-terminated: it ends at the next space) and sets *len.
 * Returns false, touching nothing, when no word has that key. */
bool cmdline_find(const char *cmdline, const char *key, const char **value, size_t *len);

/* Copies the value of the last `key=` word into buf (NUL-terminated) and
 * returns true, or returns false when the key is absent or its value does
 * not fit (use cmdline_find to tell those apart). */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* Whether a kernel word (before "--") is exactly word: a bare flag. */
bool cmdline_has_word(const char *cmdline, const char *word);

/* Calls fn for every kernel word (after the path, before "--"). */
void cmdline_for_each(const char *cmdline, void (*fn)(const char *word, size_t len, void *ctx),
		      void *ctx);
/* Calls fn for every word after "--" (argv[1..] of the first program). */
void cmdline_for_each_init_arg(const char *cmdline,
			       void (*fn)(const char *word, size_t len, void *ctx), void *ctx);

#endif
