/* set_thread_area and get_thread_area: the per-process TLS descriptors
 * glibc puts its thread block behind (%gs).  They live in struct proc and
 * are copied into GDT slots 6..8 on every switch to the process. */
#include <stdbool.h>

#include "arch/gdt.h"
#include "uapi/linux_abi.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/syscall.h"
#include "mm/uaccess.h"

#define UD_CONTENTS(flags)  (((flags)&LINUX_UD_CONTENTS_MASK) >> LINUX_UD_CONTENTS_SHIFT)
#define UD_FLAG_BITS	    0xFFu /* bit 7 ("lm") means nothing on i386 and is ignored */
#define TYPE_ACCESSED	    0x1u
#define TYPE_WRITABLE	    0x2u
#define TYPE_CONTENTS_SHIFT 2u

/* Linux's two ways of asking for an empty slot: all zero, or the "empty"
 * pattern (read-exec-only and not present, nothing else). */
static bool clears_slot(const struct linux_user_desc *u)
{
	uint32_t flags = u->flags & UD_FLAG_BITS;
	if (u->base_addr || u->limit)
		return false;
	return flags == 0 || flags == (LINUX_UD_READ_EXEC_ONLY | LINUX_UD_SEG_NOT_PRESENT);
}

static bool slot_empty(const struct seg_desc *d)
{
	return d->lo == 0 && d->hi == 0;
}

int32_t sys_set_thread_area(struct trap_frame *f)
{
	struct proc *p = sched_current();
	uint32_t uptr = SYSCALL_ARG1(f);
	struct linux_user_desc u;
	if (copy_from_user(&u, (const void *)(uintptr_t)uptr, sizeof(u)))
		return -LINUX_EFAULT;
	uint32_t entry = u.entry_number;
	if (entry == LINUX_UD_ENTRY_NUMBER_ANY) {
		entry = GDT_TLS_FIRST;
		while (entry < GDT_TLS_FIRST + GDT_TLS_ENTRIES &&
		       !slot_empty(&p->tls[entry - GDT_TLS_FIRST]))
			entry++;
		if (entry == GDT_TLS_FIRST + GDT_TLS_ENTRIES)
			return -LINUX_ESRCH;
		if (copy_to_user((void *)(uintptr_t)uptr, &entry, sizeof(entry)))
			return -LINUX_EFAULT;
	} else if (entry < GDT_TLS_FIRST || entry >= GDT_TLS_FIRST + GDT_TLS_ENTRIES) {
		return -LINUX_EINVAL;
	}
	struct seg_desc *slot = &p->tls[entry - GDT_TLS_FIRST];
	if (clears_slot(&u)) {
		*slot = (struct seg_desc){0, 0};
	} else {
		/* Only 32-bit data and stack segments: no code, no 16-bit. */
		if (!(u.flags & LINUX_UD_SEG_32BIT) || UD_CONTENTS(u.flags) > 1)
			return -LINUX_EINVAL;
		struct tls_segment seg = {
			.base = u.base_addr,
			.limit = u.limit,
			.type = (uint8_t)(TYPE_ACCESSED |
					  (UD_CONTENTS(u.flags) << TYPE_CONTENTS_SHIFT) |
					  ((u.flags & LINUX_UD_READ_EXEC_ONLY) ? 0
									       : TYPE_WRITABLE)),
			.present = !(u.flags & LINUX_UD_SEG_NOT_PRESENT),
			.avl = (u.flags & LINUX_UD_USEABLE) != 0,
			.big = true,
			.limit_pages = (u.flags & LINUX_UD_LIMIT_IN_PAGES) != 0,
		};
		*slot = gdt_make_tls(&seg);
	}
	gdt_load_tls(p->tls);
	return 0;
}

/* The descriptor back in user_desc form (an empty slot reads as the empty
 * pattern, as on Linux). */
int32_t sys_get_thread_area(struct trap_frame *f)
{
	struct proc *p = sched_current();
	uint32_t uptr = SYSCALL_ARG1(f);
	struct linux_user_desc u;
	if (copy_from_user(&u.entry_number, (const void *)(uintptr_t)uptr, sizeof(u.entry_number)))
		return -LINUX_EFAULT;
	if (u.entry_number < GDT_TLS_FIRST || u.entry_number >= GDT_TLS_FIRST + GDT_TLS_ENTRIES)
		return -LINUX_EINVAL;
	struct tls_segment seg = gdt_tls_fields(&p->tls[u.entry_number - GDT_TLS_FIRST]);
	u.base_addr = seg.base;
	u.limit = seg.limit;
	u.flags = (seg.big ? LINUX_UD_SEG_32BIT : 0) |
		  (((seg.type >> TYPE_CONTENTS_SHIFT) & 3u) << LINUX_UD_CONTENTS_SHIFT) |
		  (seg.type & TYPE_WRITABLE ? 0 : LINUX_UD_READ_EXEC_ONLY) |
		  (seg.limit_pages ? LINUX_UD_LIMIT_IN_PAGES : 0) |
		  (seg.present ? 0 : LINUX_UD_SEG_NOT_PRESENT) | (seg.avl ? LINUX_UD_USEABLE : 0);
	if (copy_to_user((void *)(uintptr_t)uptr, &u, sizeof(u)))
		return -LINUX_EFAULT;
	return 0;
}
