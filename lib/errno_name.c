/* Linux errno names (include/lib/errno_name.h). */
#include "lib/errno_name.h"

#include <stddef.h>

#include "lib/format.h"
#include "uapi/linux_errno.h"

struct errno_entry {
	int value;
	const char *name;
};

#define NAME(e)                                                                                    \
	{                                                                                          \
		LINUX_##e, #e                                                                      \
	}

static const struct errno_entry names[] = {
	NAME(EPERM),	    NAME(ENOENT),     NAME(ESRCH),   NAME(EINTR),     NAME(EIO),
	NAME(ENXIO),	    NAME(E2BIG),      NAME(ENOEXEC), NAME(EBADF),     NAME(ECHILD),
	NAME(EAGAIN),	    NAME(ENOMEM),     NAME(EACCES),  NAME(EFAULT),    NAME(ENOTBLK),
	NAME(EBUSY),	    NAME(EEXIST),     NAME(EXDEV),   NAME(ENODEV),    NAME(ENOTDIR),
	NAME(EISDIR),	    NAME(EINVAL),     NAME(ENFILE),  NAME(EMFILE),    NAME(ENOTTY),
	NAME(ETXTBSY),	    NAME(EFBIG),      NAME(ENOSPC),  NAME(ESPIPE),    NAME(EROFS),
	NAME(EMLINK),	    NAME(EPIPE),      NAME(EDOM),    NAME(ERANGE),    NAME(EDEADLK),
	NAME(ENAMETOOLONG), NAME(ENOLCK),     NAME(ENOSYS),  NAME(ENOTEMPTY), NAME(ELOOP),
	NAME(EOVERFLOW),    NAME(EOPNOTSUPP),
};

const char *errno_name(int err, char *buf, size_t size)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].value == err)
			return names[i].name;
	ksnprintf(buf, size, "errno %d", err);
	return buf;
}
