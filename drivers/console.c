#include "drivers/console.h"

#include <stdarg.h>
#include <stddef.h>

#include "lib/format.h"
#include "lib/string.h"

static const struct console_driver *drivers[CONSOLE_MAX_DRIVERS];
static int driver_count;

int console_register(const struct console_driver *driver)
{
	if (!driver || !driver->putc || driver_count == CONSOLE_MAX_DRIVERS)
		return -1;
	drivers[driver_count++] = driver;
	return 0;
}

void console_init_all(void)
{
	for (int i = 0; i < driver_count; i++)
		if (drivers[i]->init)
			drivers[i]->init();
}

static void emit(char c)
{
	for (int i = 0; i < driver_count; i++)
		drivers[i]->putc(c);
}

static void emit_bytes(const char *buf, uint32_t n)
{
	for (int i = 0; i < driver_count; i++) {
		const struct console_driver *d = drivers[i];
		if (d->write) {
			d->write(buf, n);
			continue;
		}
		for (uint32_t k = 0; k < n; k++)
			d->putc(buf[k]);
	}
}

static void flush(void)
{
	for (int i = 0; i < driver_count; i++)
		if (drivers[i]->flush)
			drivers[i]->flush();
}

void console_putc(char c)
{
	emit(c);
	flush();
}

void console_write_bytes(const char *buf, uint32_t n)
{
	emit_bytes(buf, n);
	flush();
}

void console_write(const char *s)
{
	emit_bytes(s, (uint32_t)strlen(s));
	flush();
}

void console_writeln(const char *s)
{
	emit_bytes(s, (uint32_t)strlen(s));
	emit('\n');
	flush();
}

/* kprintf's characters are gathered and handed on a line or a buffer at a
 * time. */
struct sink_buffer {
	uint32_t used;
	char buf[64];
};

static void console_sink(char c, void *ctx)
{
	struct sink_buffer *sb = ctx;
	sb->buf[sb->used++] = c;
	if (sb->used == sizeof(sb->buf) || c == '\n') {
		emit_bytes(sb->buf, sb->used);
		sb->used = 0;
	}
}

int kprintf(const char *fmt, ...)
{
	struct sink_buffer sb;
	sb.used = 0;
	va_list ap;
	va_start(ap, fmt);
	int n = format_va(console_sink, &sb, fmt, ap);
	va_end(ap);
	emit_bytes(sb.buf, sb.used);
	flush();
	return n;
}

void console_write_hex32(uint32_t value)
{
	kprintf("0x%08X", value);
}

void console_write_dec(int32_t value)
{
	kprintf("%d", value);
}
