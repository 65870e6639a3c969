/* The console as processes see it: what they write to fd 1 and 2 goes out
 * byte for byte, fd 0 reads lines typed on serial or the keyboard, and the
 * kernel's own messages while processes run each take a line of their own
 * starting with "toyix: ", so a reader (or the test runner) can tell them
 * from program output. */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <stddef.h>
#include <stdint.h>

#define KERNEL_NOTE_PREFIX "toyix: "

struct file;

/* A new open file on the console (read, write, TCGETS, TIOCGWINSZ, fstat as
 * a character device), one reference held by the caller; NULL: no memory. */
struct file *tty_open_console(void);
/* The console's file operations, for /dev/console (kernel/devices.c). */
extern const struct file_ops tty_console_ops;
/* Writes n bytes from kernel memory. */
void tty_write(const char *buf, size_t n);
/* Reads at most count bytes of a typed line (its '\n' included) into user
 * memory at user_buf; sleeps until a line is complete.  The byte count,
 * -LINUX_EFAULT, or -LINUX_EINTR when the caller is being killed. */
int32_t tty_read(uint32_t user_buf, uint32_t count);
/* One line "toyix: ...\n", on a line of its own even when a program left
 * the cursor in the middle of one. */
__attribute__((format(printf, 1, 2))) void kernel_note(const char *fmt, ...);

#endif
