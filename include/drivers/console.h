/* The console layer: drivers register here, and everything the kernel prints
 * goes to every registered driver, serial and VGA alike. */
#ifndef DRIVERS_CONSOLE_H
#define DRIVERS_CONSOLE_H

#include <stdint.h>

struct console_driver {
	const char *name;
	void (*init)(void);
	void (*putc)(char c);
	/* Optional: called once after a run of putc (a string, a kprintf), for
	 * work that need not follow every character, like moving a cursor. */
	void (*flush)(void);
	/* Optional: n bytes at once, as n calls of putc would write them.  A
	 * call per character through two function pointers was a third of the
	 * boot's instructions. */
	void (*write)(const char *buf, uint32_t n);
};

#define CONSOLE_MAX_DRIVERS 4

/* Returns 0, or -1 when the table is full or the driver is incomplete. */
int console_register(const struct console_driver *driver);
void console_init_all(void);

void console_putc(char c);
/* n bytes as they are (NULs included), then one flush. */
void console_write_bytes(const char *buf, uint32_t n);
void console_write(const char *s);
void console_writeln(const char *s);
void console_write_hex32(uint32_t value); /* 0x%08X */
void console_write_dec(int32_t value);

int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
