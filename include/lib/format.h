/* printf-style formatting with no hardware and no globals, so the same code
 * serves kprintf, ksnprintf and the host tests.
 *
 * Conversions: %s %c %d %i %u %x %X %p %%, with an optional '0' flag, '-'
 * flag and field width; %llx/%llu/%llX print 64-bit values.  %p prints
 * 0x%08X.  An unknown conversion is printed as written. */
#ifndef LIB_FORMAT_H
#define LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*format_sink_t)(char c, void *ctx);

/* Formats into sink; returns the number of characters produced. */
int format_va(format_sink_t sink, void *ctx, const char *fmt, va_list ap);

/* Like snprintf: writes at most size-1 characters and a NUL, returns the
 * length the whole output would have had. */
int ksnprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
