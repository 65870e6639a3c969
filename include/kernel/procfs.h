/* /proc: files whose text is made when they are read, from the process
 * table, the address spaces and the frame counts, in the formats Linux uses
 * (so BusyBox's ps and free read them unchanged).
 *
 *   /proc/meminfo              MemTotal, MemFree, ... from the PMM's counts
 *   /proc/uptime, loadavg, stat, version   what top and uptime read (no CPU
 *                              time is counted: every tick is idle)
 *   /proc/self                 a symbolic link to the reader's own PID
 *   /proc/PID/maps             one line per region, Linux's columns
 *   /proc/PID/status           Name, State, Pid, PPid, Uid, Vm* lines
 *   /proc/PID/stat, statm      the numbers ps reads
 *   /proc/PID/cmdline, comm    exec's arguments, the process name
 *
 * The nodes live in one table made when /proc is attached and kept for the
 * whole boot: a directory per process-table slot, put into the tree when
 * the slot holds a process and taken out when it no longer does, at the
 * next lookup or listing in /proc.  So a process that ends leaves nothing
 * allocated behind. */
#ifndef KERNEL_PROCFS_H
#define KERNEL_PROCFS_H

#include <stdint.h>

struct inode;

/* Makes dir (an empty directory of the root file system, /proc) the root
 * of the process file system.  Once; later calls do nothing. */
void procfs_attach(struct inode *dir);

/* The text of a /proc file for the process with this pid (0 for the files
 * of /proc itself), as read() would return it: kmalloc'd, its length in
 * *len.  NULL when no memory is left or the process is gone.  For tests. */
char *procfs_text(const char *name, int32_t pid, uint32_t *len);

#endif
