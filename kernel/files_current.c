/* Whose descriptors and working directory a file system call uses.  Until a
 * process runs, the kernel's own context has a table and a directory of its
 * own, so the boot path and in-kernel tests can open files like a process. */
#include <stddef.h>

#include "kernel/vfs.h"

static struct fdtable *kernel_files;
static struct inode *kernel_cwd;

struct fdtable *current_files(void)
{
	if (!kernel_files)
		kernel_files = fdtable_create();
	return kernel_files;
}

struct inode **current_cwd(void)
{
	if (!kernel_cwd)
		kernel_cwd = vfs_root();
	return &kernel_cwd;
}
