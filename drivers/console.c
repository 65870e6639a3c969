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

void console_putc(char c)
{
	for (int i = 0; i < driver_count; i++)
		drivers[i]->putc(c);
}

void console_write(const char *s)
{
	while (*s)
		console_putc(*s++);
}

void console_writeln(const char *s)
{
	console_write(s);
	console_putc('\n');
}

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	console_putc(c);
}

int kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = format_va(console_sink, NULL, fmt, ap);
	va_end(ap);
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
