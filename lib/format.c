#include "lib/format.h"

#include <stdbool.h>
#include <stdint.h>

struct spec {
	bool zero_pad;
	bool left;
	int width;
};

static int emit_padded(format_sink_t sink, void *ctx, const struct spec *sp, const char *body,
		       int len, char sign)
{
	int total = len + (sign ? 1 : 0);
	int pad = sp->width > total ? sp->width - total : 0;
	int out = 0;

	if (!sp->left && !sp->zero_pad)
		for (; pad > 0; pad--, out++)
			sink(' ', ctx);
	if (sign)
		sink(sign, ctx), out++;
	if (!sp->left && sp->zero_pad)
		for (; pad > 0; pad--, out++)
			sink('0', ctx);
	for (int i = 0; i < len; i++, out++)
		sink(body[i], ctx);
	for (; pad > 0; pad--, out++)
		sink(' ', ctx);
	return out;
}

/* Digits of value in base, most significant first; 32-bit halves keep the
 * kernel free of libgcc's 64-bit division helpers. */
static int render_unsigned(char *buf, uint64_t value, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	int n = 0;

	if (base == 16) {
		do {
			rev[n++] = digits[value & 0xF];
			value >>= 4;
		} while (value);
	} else {
		uint32_t hi = (uint32_t)(value >> 32), lo = (uint32_t)value;
		/* Long division by 10 over two 32-bit halves, 16 bits at a time. */
		do {
			uint32_t rem = hi % 10u;
			hi /= 10u;
			uint32_t mid = (rem << 16) | (lo >> 16);
			uint32_t qmid = mid / 10u;
			rem = mid % 10u;
			uint32_t low = (rem << 16) | (lo & 0xFFFFu);
			uint32_t qlow = low / 10u;
			rem = low % 10u;
			lo = (qmid << 16) | qlow;
			rev[n++] = (char)('0' + rem);
		} while (hi || lo);
	}
	for (int i = 0; i < n; i++)
		buf[i] = rev[n - 1 - i];
	return n;
}

int format_va(format_sink_t sink, void *ctx, const char *fmt, va_list ap)
{
	int out = 0;
	char buf[24];

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			sink(*p, ctx);
			out++;
			continue;
		}
		const char *start = p++;
		struct spec sp = {0};
		for (;; p++) {
			if (*p == '0')
				sp.zero_pad = true;
			else if (*p == '-')
				sp.left = true;
			else
				break;
		}
		while (*p >= '0' && *p <= '9')
			sp.width = sp.width * 10 + (*p++ - '0');
		int longs = 0;
		while (*p == 'l')
			longs++, p++;

		switch (*p) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = 0;
			while (s[len])
				len++;
			sp.zero_pad = false;
			out += emit_padded(sink, ctx, &sp, s, len, 0);
			break;
		}
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			sp.zero_pad = false;
			out += emit_padded(sink, ctx, &sp, buf, 1, 0);
			break;
		case 'd':
		case 'i': {
			int64_t v = longs >= 2 ? va_arg(ap, long long)
				    : longs    ? va_arg(ap, long)
					       : va_arg(ap, int);
			/* Negate in unsigned arithmetic: INT_MIN has no positive twin. */
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			int len = render_unsigned(buf, mag, 10, false);
			out += emit_padded(sink, ctx, &sp, buf, len, v < 0 ? '-' : 0);
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = longs >= 2 ? va_arg(ap, unsigned long long)
				     : longs	? va_arg(ap, unsigned long)
						: va_arg(ap, unsigned int);
			int len = render_unsigned(buf, v, *p == 'u' ? 10 : 16, *p == 'X');
			out += emit_padded(sink, ctx, &sp, buf, len, 0);
			break;
		}
		case 'p': {
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			struct spec hex = {.zero_pad = true, .width = 8};
			sink('0', ctx), sink('x', ctx);
			out += 2 + emit_padded(sink, ctx, &hex, buf,
					       render_unsigned(buf, v, 16, true), 0);
			break;
		}
		case '%':
			sink('%', ctx);
			out++;
			break;
		default:
			/* Unknown or truncated: show it as written, never read a vararg. */
			for (const char *q = start; q <= p && *q; q++, out++)
				sink(*q, ctx);
			if (!*p)
				return out;
			break;
		}
	}
	return out;
}

struct buffer_sink {
	char *buf;
	size_t size;
	size_t used;
};

static void buffer_put(char c, void *ctx)
{
	struct buffer_sink *b = ctx;
	if (b->used + 1 < b->size)
		b->buf[b->used] = c;
	b->used++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct buffer_sink b = {buf, size, 0};
	int n = format_va(buffer_put, &b, fmt, ap);
	if (size)
		buf[b.used < size ? b.used : size - 1] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
