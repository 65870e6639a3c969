/* Character devices of the root file system's device nodes (dev/null and
 * dev/console in the boot archive), found by Linux's numbers. */
#include <stddef.h>

#include "kernel/tty.h"
#include "kernel/vfs.h"
#include "uapi/linux_abi.h"

#define MEM_MAJOR     1u
#define NULL_MINOR    3u
#define TTYAUX_MAJOR  5u
#define CONSOLE_MINOR 1u

/* /dev/null: reads find the end at once, writes take everything. */
static long null_read(struct file *f, void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)f, (void)user_buf, (void)n, (void)offset;
	return 0;
}

static long null_write(struct file *f, const void *user_buf, uint32_t n, uint64_t *offset)
{
	(void)f, (void)user_buf, (void)offset;
	return (long)n;
}

static const struct file_ops null_ops = {.read = null_read, .write = null_write};

const struct file_ops *device_ops(uint32_t major, uint32_t minor)
{
	if (major == MEM_MAJOR && minor == NULL_MINOR)
		return &null_ops;
	if (major == TTYAUX_MAJOR && minor == CONSOLE_MINOR)
		return &tty_console_ops;
	return NULL;
}
