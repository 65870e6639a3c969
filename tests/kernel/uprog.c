/* The address space of a hand-assembled test program: the whole blob of
 * user_programs.asm as read-only code, and one zeroed stack page. */
#include "uprog.h"

#include <stddef.h>

#include "arch/mmu.h"
#include "lib/string.h"
#include "mm/aspace.h"
#include "mm/pmm.h"
#include "mm/region.h"
#include "mm/vmm.h"

#define CODE_BASE  LAYOUT_USER_START
#define STACK_PAGE (LAYOUT_STACK_TOP - PAGE_SIZE)
#define USER_RW	   (PTE_USER | PTE_WRITABLE)
#define USER_RO	   PTE_USER

static uint32_t code_pages(void)
{
	return ((uint32_t)(uprog_end - uprog_start) + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* One new zeroed frame mapped at va in as. */
static bool map_new(struct aspace *as, vaddr_t va)
{
	paddr_t frame = pmm_alloc_as(FRAME_USER);
	if (frame == PMM_INVALID_PAGE)
		return false;
	arch_zero_frame(frame);
	if (vmm_map_in(as, va, frame, USER_RW) != VMM_OK) {
		pmm_free_as(frame, FRAME_USER);
		return false;
	}
	return true;
}

static bool add_region(struct aspace *as, vaddr_t start, vaddr_t end, uint32_t flags)
{
	struct region r = {.start = start, .end = end, .flags = flags};
	return region_insert(&as->regions, &r) == VMM_OK;
}

/* Code is written through the user mapping while the space is briefly the
 * active one, then made read-only. */
static struct aspace *build_space(void)
{
	struct aspace *as = aspace_create();
	if (!as)
		return NULL;
	uint32_t pages = code_pages();
	bool ok = map_new(as, STACK_PAGE);
	for (uint32_t i = 0; ok && i < pages; i++)
		ok = map_new(as, CODE_BASE + i * PAGE_SIZE);
	ok = ok &&
	     add_region(as, CODE_BASE, CODE_BASE + pages * PAGE_SIZE, REGION_READ | REGION_EXEC) &&
	     add_region(as, STACK_PAGE, LAYOUT_STACK_TOP,
			REGION_READ | REGION_WRITE | REGION_GROWSDOWN);
	if (!ok) {
		aspace_destroy(as);
		return NULL;
	}
	struct aspace *prev = aspace_current();
	aspace_activate(as);
	memcpy((void *)CODE_BASE, uprog_start, (size_t)(uprog_end - uprog_start));
	aspace_activate(prev);
	for (uint32_t i = 0; i < pages; i++)
		vmm_protect_in(as, CODE_BASE + i * PAGE_SIZE, USER_RO);
	return as;
}

struct proc *uprog_spawn(struct proc *parent, const char *name, const char *entry, uint32_t ebx,
			 uint32_t ecx)
{
	struct aspace *as = build_space();
	if (!as)
		return NULL;
	struct trap_frame regs;
	proc_initial_regs(&regs, CODE_BASE + (vaddr_t)(entry - uprog_start), LAYOUT_STACK_TOP);
	regs.ebx = ebx;
	regs.ecx = ecx;
	struct proc *p = proc_create(parent, name, as, &regs);
	if (!p)
		aspace_destroy(as);
	return p;
}

uint32_t uprog_run(const char *name, const char *entry, uint32_t ebx, uint32_t ecx)
{
	struct proc *p = uprog_spawn(NULL, name, entry, ebx, ecx);
	if (!p)
		return UPROG_NOT_RUN;
	uint32_t status = UPROG_NOT_RUN;
	if (proc_wait(p->pid, &status, 0) <= 0)
		return UPROG_NOT_RUN;
	return status;
}
