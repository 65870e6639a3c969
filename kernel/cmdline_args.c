#include "kernel/cmdline_args.h"

#include "drivers/console.h"
#include "kernel/boot.h"
#include "kernel/scenario.h"
#include "lib/cmdline.h"
#include "lib/parse.h"

/* Characters of the longest number worth reading: "0x" and 8 hex digits,
 * or 10 decimal digits; anything longer is reported as too long. */
#define NUMBER_CHARS_MAX 10
/* A refused value is shown up to this many characters, then "...". */
#define SHOWN_CHARS_MAX 40

static __attribute__((noreturn)) void refuse(const char *key, const char *value, size_t len,
					     const char *why)
{
	kprintf("Command line: %s=", key);
	for (size_t i = 0; i < len && i < SHOWN_CHARS_MAX; i++)
		console_putc(value[i]);
	kprintf("%s: %s\n", len > SHOWN_CHARS_MAX ? "..." : "", why);
	scenario_finish(false);
}

uint32_t cmdline_arg_u32(const char *key, uint32_t fallback, uint32_t min, uint32_t max)
{
	const char *value;
	size_t len;
	if (!cmdline_find(boot_info.cmdline, key, &value, &len))
		return fallback;
	char buf[NUMBER_CHARS_MAX + 1];
	if (len > NUMBER_CHARS_MAX)
		refuse(key, value, len, "too long for a 32-bit number");
	for (size_t i = 0; i < len; i++)
		buf[i] = value[i];
	buf[len] = '\0';
	uint32_t v;
	enum parse_status rc = parse_u32_status(buf, &v);
	if (rc != PARSE_OK)
		refuse(key, value, len, parse_status_name(rc));
	if (v < min || v > max) {
		kprintf("Command line: %s=%s: out of range (%u to %u)\n", key, buf, min, max);
		scenario_finish(false);
	}
	return v;
}

void cmdline_arg_string(const char *key, char *buf, size_t size)
{
	const char *value;
	size_t len;
	buf[0] = '\0';
	if (!cmdline_find(boot_info.cmdline, key, &value, &len))
		return;
	if (len + 1 > size)
		refuse(key, value, len, "too long");
	for (size_t i = 0; i < len; i++)
		buf[i] = value[i];
	buf[len] = '\0';
}
