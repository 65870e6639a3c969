/* The root file system and the first program.
 *
 * At boot the first boot module is unpacked as the root file system (a cpio
 * archive, SPEC section 5).  `init=PATH` names the first program (default
 * /init) and the words after `--` are its argv[1..]; `test=init` runs it as
 * PID 1 and ends QEMU with its verdict, a plain boot starts it and keeps the
 * monitor for the keyboard and serial lines no program reads. */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

#include <stdbool.h>
#include <stdint.h>

#define INIT_DEFAULT_PATH "/init"
#define INIT_ARGS_MAX	  32 /* argv entries the command line may give */

/* Unpacks the first boot module as the root file system and says so on one
 * line; a bad archive is reported and the boot goes on without one. */
void init_mount_root(void);

/* Starts the program at path (from the root) as a child of the kernel with
 * argv[0] = path and the given arguments, the console on fds 0-2: its pid,
 * or -errno. */
int32_t init_spawn(const char *path, const char *const *args, uint32_t nargs);

/* Starts init= (or /init) with the words after `--`: its pid, or -errno
 * (reported on one line). */
int32_t init_start_from_cmdline(void);

/* What a run of programs may not keep: frames, and heap blocks.  The heap
 * keeps pages it grew into while a process ran (it shrinks only from its
 * top, and only when that page is empty), so its mapped pages count as
 * free frames, and its live blocks and bytes are compared instead: a
 * leaked kmalloc shows there, a leaked frame in frames_free. */
struct init_held {
	uint32_t frames_free;
	uint32_t heap_blocks;
	uint32_t heap_bytes;
};
struct init_held init_held_now(void);
bool init_held_same(const struct init_held *a, const struct init_held *b);

/* Runs the scheduler until no process is left, orphans included; after
 * `seconds` without that, names the ones still there (one line each) and
 * returns false. */
bool init_reap_everything(uint32_t seconds);

#endif
