#include "drivers/console.h"

#include <stdarg.h>
#include <stddef.h>

#include "lib/format.h"

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
	for (uint32_t i = 0; i < n; i++)
		emit(buf[i]);
	flush();
}

void console_write(const char *s)
{
	while (*s)
		emit(*s++);
	flush();
}

void console_writeln(const char *s)
{
	while (*s)
		emit(*s++);
	emit('\n');
	flush();
}

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	emit(c);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = format_va(console_sink, NULL, fmt, ap);
	va_end(ap);
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
