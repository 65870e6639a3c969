/* Building a program's memory image: the ELF file's segments become regions
 * of a new address space (text read-only, data private, bss zero, all filled
 * on first touch), and the Linux i386 initial stack is written at its top:
 *
 *   sp -> argc
 *         argv[0] .. argv[argc-1], NULL
 *         envp[0] .. envp[n-1], NULL
 *         auxv: (type, value) pairs, AT_NULL last
 *         ... 16 random bytes (AT_RANDOM), "i686" (AT_PLATFORM),
 *         the argument and environment strings, the program's path
 *   LAYOUT_STACK_TOP
 */
#ifndef KERNEL_EXEC_H
#define KERNEL_EXEC_H

#include <stdint.h>

#include "arch/types.h"

struct aspace;
struct inode;

#define EXEC_ARGS_MAX (128u * 1024u) /* bytes of argument and environment strings */

/* Argument and environment strings, copied into the kernel before the old
 * image goes (they may live in it). */
struct exec_args {
	char *buf; /* argc strings, then envc strings, each NUL-terminated */
	uint32_t used, argc, envc;
};

/* From user arrays of string pointers (either may be 0: an empty list):
 * 0, -EFAULT, -E2BIG or -ENOMEM.  exec_args_free() in every case. */
int exec_args_from_user(struct exec_args *a, uint32_t user_argv, uint32_t user_envp);
/* From kernel strings (PID 1). */
int exec_args_from_kernel(struct exec_args *a, const char *const *argv, uint32_t argc,
			  const char *const *envp, uint32_t envc);
void exec_args_free(struct exec_args *a);

struct exec_image {
	struct aspace *as; /* the new space, active on success */
	vaddr_t entry;
	vaddr_t sp;
};

/* Loads the program at path (from cwd) into a new space and makes it active.
 * On failure the previous space is active again, nothing is left behind,
 * and the result is -ENOENT, -ENOTDIR, -EACCES (not a regular file),
 * -ENOEXEC (not a static i386 executable we can load), -ENOMEM or -EFAULT. */
int exec_build(struct inode *cwd, const char *path, const struct exec_args *a,
	       struct exec_image *out);

/* The reason the last exec_build refused a file with -ENOEXEC. */
const char *exec_last_reason(void);

#endif
