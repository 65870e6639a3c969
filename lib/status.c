#include "lib/status.h"

#include "uapi/linux_errno.h"

const char *status_name(int status)
{
	switch (status) {
	case ST_OK: return "ok";
	case ST_INVALID: return "invalid argument";
	case ST_NO_MEMORY: return "out of memory";
	case ST_ALREADY_MAPPED: return "already mapped";
	case ST_NOT_MAPPED: return "not mapped";
	case ST_RESERVED: return "reserved frame";
	case ST_NOT_ALLOCATED: return "frame not allocated";
	case ST_IN_USE: return "frame in use";
	case ST_TOO_MANY: return "too many entries";
	case ST_DOUBLE_FREE: return "double free";
	case ST_CORRUPT: return "corrupted block header";
	default: return "unknown status";
	}
}

int status_errno(int status)
{
	switch (status) {
	case ST_OK: return 0;
	case ST_NO_MEMORY:
	case ST_TOO_MANY: return LINUX_ENOMEM;
	case ST_ALREADY_MAPPED: return LINUX_EEXIST;
	case ST_NOT_MAPPED: return LINUX_EFAULT;
	case ST_IN_USE: return LINUX_EBUSY;
	default: return LINUX_EINVAL;
	}
}
