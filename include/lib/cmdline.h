/* The kernel command line: space-separated words.  A first word without '='
 * is the kernel's own path (QEMU -kernel and GRUB put it there) and is
 * skipped; every other word is `key=value` or a bare flag. */
#ifndef LIB_CMDLINE_H
#define LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Copies the value of `key` into buf (NUL-terminated) and returns true, or
 * returns false when the key is absent or its value does not fit. */
bool cmdline_get(const char *cmdline, const char *key, char *buf, size_t size);

/* Calls fn for every word after the kernel path, with its length. */
void cmdline_for_each(const char *cmdline, void (*fn)(const char *word, size_t len, void *ctx),
		      void *ctx);

#endif
