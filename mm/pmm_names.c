/* Names of frame states and PMM statuses, for messages. */
#include "mm/pmm.h"

const char *pmm_state_name(enum frame_state state)
{
	static const char *const names[] = {"not RAM",	"free",	  "page table", "heap",
					    "reserved", "kernel", "allocated",	"user"};
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}

const char *pmm_status_name(int status)
{
	switch (status) {
	case PMM_OK: return "ok";
	case PMM_ERR_INVALID: return "invalid address";
	case PMM_ERR_RESERVED: return "reserved frame";
	case PMM_ERR_NOT_ALLOCATED: return "frame not allocated";
	case PMM_ERR_IN_USE: return "frame in use";
	case PMM_ERR_NO_MEMORY: return "out of memory";
	case PMM_ERR_TOO_MANY: return "too many ranges";
	default: return "unknown status";
	}
}
