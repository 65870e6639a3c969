/* Linux errno values by name, for messages a person reads ("ENOENT" says
 * more than "error 2"). */
#ifndef LIB_ERRNO_NAME_H
#define LIB_ERRNO_NAME_H

#include <stddef.h>

/* The name of errno err ("ENOENT" for 2; -2 is taken as 2, as system calls
 * return it), or "errno N" in buf for a value without one. */
const char *errno_name(int err, char *buf, size_t size);

#endif
