/* Pipes: a buffer of LINUX_PIPE_BUF bytes between a read end and a write
 * end, two open files that share it.  read() waits for data and gives 0
 * (end of file) once every write end is closed; write() waits for room,
 * writes up to LINUX_PIPE_BUF bytes in one piece, and with no read end left
 * sends SIGPIPE to the writer and fails with -EPIPE.  O_NONBLOCK makes
 * either -EAGAIN instead of waiting; a signal makes a wait -EINTR. */
#ifndef KERNEL_PIPE_H
#define KERNEL_PIPE_H

#include <stdint.h>

struct file;

/* The two ends, each with one reference, or -ENOMEM.  flags may hold
 * LINUX_O_NONBLOCK (the caller checks the rest). */
int pipe_create(uint32_t flags, struct file **read_end, struct file **write_end);

struct inode;
/* Opens the named pipe ino (made by mknod or mkfifo): every open of it
 * shares one pipe while any end is open.  As on Linux, O_RDONLY waits for
 * a writer and O_WRONLY for a reader (a signal: -EINTR); with O_NONBLOCK
 * a reader does not wait and a writer without a reader gets -ENXIO; O_RDWR
 * is both ends and never waits.  0 and *out, or -errno. */
int pipe_open_fifo(struct inode *ino, uint32_t flags, struct file **out);

#endif
