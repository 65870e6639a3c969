/* Names of frame states and PMM statuses, for messages. */
#include "mm/pmm.h"

const char *pmm_state_name(enum frame_state state)
{
	static const char *const names[] = {"not RAM",	"free",	  "page table", "heap",
					    "reserved", "kernel", "allocated",	"user"};
	return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "?";
}
