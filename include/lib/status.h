/* The kernel's one status type.  Every layer of the memory system returns
 * these (0 for success, a negative value naming what went wrong), and the
 * system-call boundary turns them into Linux errno values.  The layers keep
 * their own names for them (VMM_ERR_NOT_MAPPED, PMM_ERR_IN_USE, ...), as
 * aliases of the values below, so a call reads in its layer's words. */
#ifndef LIB_STATUS_H
#define LIB_STATUS_H

enum status {
	ST_OK = 0,
	ST_INVALID = -1,	/* a bad argument: unaligned, out of range, not ours */
	ST_NO_MEMORY = -2,	/* no frame, no heap block, no usable RAM */
	ST_ALREADY_MAPPED = -3, /* the page (or range) is taken */
	ST_NOT_MAPPED = -4,	/* nothing is mapped there */
	ST_RESERVED = -5,	/* a frame the PMM never hands out (firmware, kernel) */
	ST_NOT_ALLOCATED = -6,	/* a frame that is already free */
	ST_IN_USE = -7,		/* a page table, another owner's frame, or still mapped */
	ST_TOO_MANY = -8,	/* a fixed-size table is full */
	ST_DOUBLE_FREE = -9,	/* a heap block freed twice */
	ST_CORRUPT = -10,	/* a heap header or footer was overwritten */
};

/* "ok", "not mapped", ...: the words every message uses. */
const char *status_name(int status);
/* The Linux errno (positive) a system call reports for a status. */
int status_errno(int status);

#endif
