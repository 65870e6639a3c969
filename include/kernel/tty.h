/* The console as processes see it: what they write to fd 1 and 2 goes out
 * byte for byte, fd 0 reads what is typed on serial or the keyboard as a
 * Linux terminal hands it out (lines, or bytes in raw mode), and the
 * kernel's own messages while processes run each take a line of their own
 * starting with "toyix: ", so a reader (or the test runner) can tell them
 * from program output. */
#ifndef KERNEL_TTY_H
#define KERNEL_TTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct proc;

#define KERNEL_NOTE_PREFIX "toyix: "

struct file;

/* A new open file on the console (read, write, poll, the terminal ioctls,
 * fstat as a character device), one reference held by the caller; NULL: no
 * memory. */
struct file *tty_open_console(void);
/* The console's file operations, for /dev/console (kernel/devices.c). */
extern const struct file_ops tty_console_ops;
/* Writes n bytes from kernel memory. */
void tty_write(const char *buf, size_t n);
/* Reads at most count typed bytes into user memory at user_buf: a line
 * ('\n' included) in canonical mode; sleeps until the termios settings say
 * the read may end.  The byte count, -LINUX_EFAULT, or -LINUX_EINTR when a
 * signal came first. */
int32_t tty_read(uint32_t user_buf, uint32_t count);
/* One typed byte for the terminal: echoed, edited, a signal for the
 * foreground group, or kept for a reader (who is woken). */
void tty_receive(char c);
/* Every typed byte waiting in the input queue through tty_receive, now. */
void tty_take_input(void);
/* Whether the terminal takes every typed byte as it comes (a boot into a
 * shell), or only when a process reads while the monitor has the console. */
/* A process's exit, before its children are handed over: when it leads
 * the terminal's session, the terminal's foreground group gets SIGHUP and
 * the terminal becomes nobody's. */
void tty_proc_exit(const struct proc *p);
void tty_own_console(bool own);
bool tty_owns_console(void);
/* One line "toyix: ...\n", on a line of its own even when a program left
 * the cursor in the middle of one. */
__attribute__((format(printf, 1, 2))) void kernel_note(const char *fmt, ...);

#endif
