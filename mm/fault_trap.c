/* The page-fault handler: a fault on a user address (from ring 3, or from
 * the kernel's user-copy helpers) goes to the resolver (mm/fault.c);
 * everything else is the kernel's to report. */
#include <stdbool.h>
#include <stddef.h>

#include "arch/trap.h"
#include "mm/aspace.h"
#include "mm/fault.h"

#define PF_ERROR_WRITE 0x2u
#define PF_ERROR_FETCH 0x10u

static user_fault_fn user_fault_handler;

void mm_set_user_fault_handler(user_fault_fn fn)
{
	user_fault_handler = fn;
}

static void page_fault(struct trap_frame *frame)
{
	uint32_t addr = arch_fault_address();
	bool user = trap_from_user(frame);
	uint32_t fixup = user ? 0 : arch_uaccess_fault_fixup(frame->eip);
	if (!user && !fixup) {
		trap_unhandled(frame); /* a kernel bug: reported as such */
		return;
	}
	uint32_t access = (frame->error_code & PF_ERROR_WRITE) ? FAULT_WRITE : 0;
	if (frame->error_code & PF_ERROR_FETCH)
		access |= FAULT_EXEC;
	enum fault_result r = mm_resolve_fault(aspace_current(), addr, access);
	if (r == FAULT_RESOLVED)
		return;
	if (!user) {
		frame->eip = fixup; /* the user-copy helper returns -EFAULT */
		return;
	}
	if (user_fault_handler)
		user_fault_handler(frame, r, addr);
	else
		trap_unhandled(frame);
}

void mm_fault_init(void)
{
	trap_register(VEC_PAGE_FAULT, page_fault);
}
