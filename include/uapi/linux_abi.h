/* The Linux i386 ABI as Toyix's system calls speak it: call numbers, errno
 * values, flags and constants, and the layouts of the structures the calls
 * fill.  SPEC section 5: programs built for Linux run unchanged, so these
 * are Linux's values under names of our own. */
#ifndef UAPI_LINUX_ABI_H
#define UAPI_LINUX_ABI_H

#include "uapi/linux_errno.h"
#include "uapi/linux_flags.h"
#include "uapi/linux_types.h"
#include "uapi/linux_unistd.h"

#endif
