/* Page faults on user addresses, resolved by the region that covers them:
 *
 *   not present, shared           -> the frame of its memory object, the
 *                                    same in every space (made on the first
 *                                    touch in any; a file's page past the
 *                                    file's end is SIGBUS)
 *   not present, private anonymous -> a zeroed frame
 *   not present, private file     -> a frame filled from the file (zero past
 *                                    its bytes; a page wholly past the end of
 *                                    the file is SIGBUS); of a file that can
 *                                    change, its object's frame read-only
 *                                    (a write: a copy of it)
 *   write to a present read-only page of a writable private region
 *                                 -> copy on write, or just make it writable
 *                                    when this mapping is the frame's last
 *   below a stack region, within its limit and not too close to the region
 *   under it                      -> the stack grows down
 *   anything else                 -> SIGSEGV
 *
 * The same path serves faults the kernel takes on user addresses inside the
 * user-copy helpers (mm/uaccess.c), so a read() into a fresh mmap buffer just
 * works. */
#ifndef MM_FAULT_H
#define MM_FAULT_H

#include <stdint.h>

#include "arch/types.h"

struct aspace;
struct trap_frame;

#define FAULT_WRITE 0x1u
#define FAULT_EXEC  0x2u

enum fault_result {
	FAULT_RESOLVED = 0,
	FAULT_SIGSEGV,	      /* no region there (Linux's SEGV_MAPERR) */
	FAULT_SIGSEGV_ACCESS, /* a region that forbids the access (SEGV_ACCERR) */
	FAULT_SIGBUS,	      /* a file mapping's page past the end of the file */
	FAULT_NO_MEMORY,
};

/* RLIMIT_STACK's default, and the gap kept free below a growing stack. */
#define STACK_LIMIT_DEFAULT (8u << 20)
#define STACK_GUARD_GAP	    (256u * PAGE_SIZE)

/* Resolves a fault at va in as (the active space). */
enum fault_result mm_resolve_fault(struct aspace *as, vaddr_t va, uint32_t access);

/* What the process layer does with a fault of ring-3 code at addr that mm
 * could not resolve (r is not FAULT_RESOLVED): the signal it raises.
 * Without one, the fault goes to the kernel's default handler. */
typedef void (*user_fault_fn)(struct trap_frame *frame, enum fault_result r, uint32_t addr);
void mm_set_user_fault_handler(user_fault_fn fn);

/* Registers the page-fault handler with the trap dispatcher. */
void mm_fault_init(void);

const char *fault_result_name(enum fault_result r);

#endif
