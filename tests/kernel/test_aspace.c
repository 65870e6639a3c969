/* Address spaces, demand paging and copy on write on the real MMU.  Each case
 * activates the spaces it makes, touches user memory only through the
 * checked user-copy helpers (whose faults the page-fault handler resolves),
 * and leaves the kernel's space active with every frame returned. */
#include <stddef.h>

#include "drivers/console.h"
#include "kernel/ktest.h"
#include "lib/string.h"
#include "uapi/linux_errno.h"
#include "mm/aspace.h"
#include "mm/fault.h"
#include "mm/file_backing.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/mmap.h"
#include "mm/pmm.h"
#include "mm/uaccess.h"
#include "mm/vm_check.h"
#include "mm/vm_object.h"
#include "mm/vmm.h"

#define USER_VA		   0x08000000u
#define FRAMES_SMALL	   64u	 /* what a case with a few pages needs, tables included */
#define FRAMES_4MIB	   1100u /* 4 MiB of pages, their tables and a fork */
#define HEAP_GROWTH_FRAMES 1400u /* 5 MiB of heap and its tables */
#define FRAMES_10K_REGIONS 160u	 /* the heap grows by the region array */
#define FOUR_MIB	   (4u << 20)
#define FOUR_MIB_PG	   (FOUR_MIB / PAGE_SIZE)

/* Spaces a case made: a deferred clean-up destroys what the case did not, so
 * a failed check cannot leave a user space active for the next case. */
#define LIVE_SPACES 4
static struct aspace *live_spaces[LIVE_SPACES];
static bool clean_up_registered[LIVE_SPACES]; /* for the running case */

static void end_space(struct aspace *as)
{
	for (uint32_t i = 0; i < LIVE_SPACES; i++) {
		if (live_spaces[i] == as && as) {
			live_spaces[i] = NULL;
			aspace_activate(&kernel_space);
			aspace_destroy(as);
		}
	}
}

static void end_space_deferred(void *slot)
{
	struct aspace **s = slot;
	end_space(*s);
	clean_up_registered[s - live_spaces] = false;
}

static struct aspace *take_slot(struct ktest *t, uint32_t i, struct aspace *as)
{
	live_spaces[i] = as;
	if (!clean_up_registered[i]) {
		clean_up_registered[i] = true;
		ktest_defer(t, end_space_deferred, &live_spaces[i]);
	}
	return as;
}

/* Puts a space the case made another way (a clone) under the same clean-up. */
static struct aspace *adopt_space(struct ktest *t, struct aspace *as)
{
	for (uint32_t i = 0; as && i < LIVE_SPACES; i++) {
		if (!live_spaces[i])
			return take_slot(t, i, as);
	}
	return as;
}

/* A fresh space (NULL, with the case skipped, when fewer than `frames` frames
 * are free or none can be had). */
static struct aspace *test_space(struct ktest *t, uint32_t frames)
{
	if (pmm_free_count() < frames) {
		ktest_skip(t, "not enough free frames on this machine");
		return NULL;
	}
	for (uint32_t i = 0; i < LIVE_SPACES; i++) {
		if (live_spaces[i])
			continue;
		struct aspace *as = aspace_create();
		if (!as) {
			ktest_skip(t, "no memory for an address space");
			return NULL;
		}
		return take_slot(t, i, as);
	}
	ktest_report_msg(t, __FILE__, __LINE__, "more spaces than LIVE_SPACES");
	return NULL;
}

static long map_anon(struct aspace *as, vaddr_t at, uint32_t len, uint32_t prot, uint32_t flags)
{
	return mm_mmap(as, at, len, prot, LINUX_MAP_ANONYMOUS | LINUX_MAP_FIXED | flags, NULL, 0);
}

static int poke_user(vaddr_t va, uint32_t value)
{
	return copy_to_user((void *)(uintptr_t)va, &value, sizeof(value));
}

static uint32_t peek_user(vaddr_t va, int *rc)
{
	uint32_t value = 0xDEADBEEFu;
	*rc = copy_from_user(&value, (const void *)(uintptr_t)va, sizeof(value));
	return value;
}

static bool pde_matches_master(struct aspace *as, vaddr_t va)
{
	pte_t mine = arch_pd_view(as->pd)[pde_index(va)];
	pte_t master = arch_pd_view(kernel_space.pd)[pde_index(va)];
	return ((mine ^ master) & ~(PTE_ACCESSED | PTE_DIRTY)) == 0; /* the CPU's bits */
}

/* A kernel table made after a space exists shows up in it; on a design that
 * copies the kernel part only at creation, the PDE would be missing. */
KTEST(aspace, kernel_part_follows_new_kernel_tables)
{
	uint32_t free_before = pmm_free_count();
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	const vaddr_t va = LAYOUT_TEST_SCRATCH + 3 * FOUR_MIB; /* a region with no table yet */
	KT_EXPECT_EQ(t, arch_pd_view(as->pd)[pde_index(va)] & PTE_PRESENT, 0);
	paddr_t pa = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(va, pa, PTE_WRITABLE), VMM_OK);
	*(volatile uint32_t *)(uintptr_t)va = 0x5EED1234u;
	KT_EXPECT_TRUE(t, pde_matches_master(as, va));
	KT_EXPECT_TRUE(t, vm_check());
	aspace_activate(as);
	KT_EXPECT_EQ(t, *(volatile uint32_t *)(uintptr_t)va, 0x5EED1234u);
	aspace_activate(&kernel_space);
	/* The heap growing into a new 4 MiB region is the same story (where
	 * there is RAM for it). */
	void *big = pmm_free_count() > HEAP_GROWTH_FRAMES ? kmalloc(5u << 20) : NULL;
	for (vaddr_t h = LAYOUT_HEAP_START; big && h < LAYOUT_HEAP_END; h += FOUR_MIB)
		KT_EXPECT_TRUE(t, pde_matches_master(as, h));
	if (big)
		kfree(big);
	KT_EXPECT_EQ(t, vmm_unmap_page(va), VMM_OK);
	/* The table went with its last page, in every directory. */
	KT_EXPECT_EQ(t, arch_pd_view(as->pd)[pde_index(va)], 0);
	pmm_free_page(pa);
	end_space(as);
	heap_drain_cache();
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
}

/* While another space is viewed, the active directory's foreign slot points
 * at that space's directory: the fast path must not take the window for
 * one of the VMM's tables and write a PDE of the other space. */
KTEST(vmm, fast_paths_refuse_the_foreign_window)
{
	uint32_t free_before = pmm_free_count();
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	const uint32_t pdi = pde_index(USER_VA);
	KT_EXPECT_EQ(t, vmm_query_in(as, USER_VA, NULL, NULL), VMM_ERR_NOT_MAPPED); /* viewed */
	pte_t before = arch_pd_view(as->pd)[pdi];
	paddr_t pa = pmm_alloc_page();
	const vaddr_t window = LAYOUT_FOREIGN_BASE + pdi * PAGE_SIZE;
	KT_EXPECT_EQ(t, vmm_map_page(window, pa, PTE_WRITABLE), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_unmap_page(window), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, arch_pd_view(as->pd)[pdi], before);
	KT_EXPECT_EQ(t, pmm_free_page(pa), PMM_OK);
	end_space(as);
	heap_drain_cache();
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
}

KTEST(aspace, edit_a_space_that_is_not_active)
{
	uint32_t free_before = pmm_free_count();
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	paddr_t pa = pmm_alloc_as(FRAME_USER);
	KT_ASSERT_EQ(t, vmm_map_in(as, USER_VA, pa, PTE_USER | PTE_WRITABLE), VMM_OK);
	paddr_t seen = 0;
	KT_EXPECT_EQ(t, vmm_query_in(as, USER_VA + 8, &seen, NULL), VMM_OK);
	KT_EXPECT_EQ(t, seen, pa + 8);
	KT_EXPECT_EQ(t, vmm_query(USER_VA, NULL, NULL), VMM_ERR_NOT_MAPPED); /* not in ours */
	/* A process's page must lie in a region (vm_check holds it to that). */
	struct region r = {
		.start = USER_VA, .end = USER_VA + PAGE_SIZE, .flags = REGION_READ | REGION_WRITE};
	KT_EXPECT_EQ(t, region_insert(&as->regions, &r), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
	aspace_activate(as);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 16, 0xABCD0123u), 0);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 16, &rc), 0xABCD0123u);
	aspace_activate(&kernel_space);
	end_space(as); /* the user frame goes with its last mapping */
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
}

KTEST(aspace, destroy_returns_every_frame_and_table)
{
	uint32_t free_before = pmm_free_count();
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	aspace_activate(as);
	/* Pages in three 4 MiB regions, so three tables. */
	for (uint32_t i = 0; i < 3; i++) {
		vaddr_t va = USER_VA + i * FOUR_MIB;
		KT_EXPECT_EQ(t,
			     map_anon(as, va, 8 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
				      LINUX_MAP_PRIVATE),
			     (long)va);
		for (uint32_t p = 0; p < 8; p++)
			KT_EXPECT_EQ(t, poke_user(va + p * PAGE_SIZE, p), 0);
	}
	KT_EXPECT_EQ(t, aspace_resident(as), 24);
	KT_EXPECT_EQ(t, as->tables, 3);
	KT_EXPECT_TRUE(t, vm_check());
	end_space(as);
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
}

/* fork and exit work a page table at a time, region by region: two regions
 * in one table (one private, one shared), a parent that is not the active
 * space (so its table is read through a window while the child's directory
 * holds the foreign view), and a page outside every region, which the child
 * does not inherit and the parent's destruction still returns. */
KTEST(aspace, clone_and_destroy_go_a_table_at_a_time)
{
	uint32_t free_before = pmm_free_count();
	struct aspace *parent = test_space(t, FRAMES_SMALL);
	if (!parent)
		return;
	const vaddr_t shared_va = USER_VA + 8 * PAGE_SIZE, outside_va = USER_VA + 16 * PAGE_SIZE;
	aspace_activate(parent);
	KT_ASSERT_EQ(t,
		     map_anon(parent, USER_VA, 4 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_PRIVATE),
		     (long)USER_VA);
	KT_ASSERT_EQ(t,
		     map_anon(parent, shared_va, 4 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_SHARED),
		     (long)shared_va);
	for (uint32_t p = 0; p < 4; p++) {
		KT_EXPECT_EQ(t, poke_user(USER_VA + p * PAGE_SIZE, 0x100 + p), 0);
		KT_EXPECT_EQ(t, poke_user(shared_va + p * PAGE_SIZE, 0x200 + p), 0);
	}
	aspace_activate(&kernel_space);
	paddr_t outside = pmm_alloc_as(FRAME_USER);
	KT_ASSERT_EQ(t, vmm_map_in(parent, outside_va, outside, PTE_USER | PTE_WRITABLE), VMM_OK);

	/* A shared page's frame may have holders besides the page tables (the
	 * shared object): the fork adds one, the child's mapping. */
	paddr_t pa = 0;
	KT_ASSERT_EQ(t, vmm_query_in(parent, shared_va, &pa, NULL), VMM_OK);
	uint32_t shared_refs = pmm_frame_refs(pa);

	struct aspace *child = adopt_space(t, aspace_clone(parent));
	KT_ASSERT_TRUE(t, child != NULL);
	KT_EXPECT_EQ(t, aspace_resident(child), 8);
	KT_EXPECT_EQ(t, child->tables, 1);
	KT_EXPECT_EQ(t, vmm_query_in(child, outside_va, NULL, NULL), VMM_ERR_NOT_MAPPED);
	uint32_t flags = 0;
	for (uint32_t p = 0; p < 4; p++) {
		KT_EXPECT_EQ(t, vmm_query_in(child, USER_VA + p * PAGE_SIZE, &pa, &flags), VMM_OK);
		KT_EXPECT_EQ(t, flags & PTE_WRITABLE, 0);
		KT_EXPECT_EQ(t, pmm_frame_refs(pa), 2);
		KT_EXPECT_EQ(t, vmm_query_in(parent, USER_VA + p * PAGE_SIZE, NULL, &flags),
			     VMM_OK);
		KT_EXPECT_EQ(t, flags & PTE_WRITABLE, 0);
		KT_EXPECT_EQ(t, vmm_query_in(child, shared_va + p * PAGE_SIZE, &pa, &flags),
			     VMM_OK);
		KT_EXPECT_EQ(t, flags & PTE_WRITABLE, PTE_WRITABLE);
		KT_EXPECT_EQ(t, pmm_frame_refs(pa), shared_refs + 1);
	}
	KT_EXPECT_EQ(t, vmm_query_in(parent, outside_va, NULL, &flags), VMM_OK);
	KT_EXPECT_EQ(t, flags & PTE_WRITABLE, PTE_WRITABLE);
	KT_EXPECT_EQ(t, pmm_frame_refs(outside), 1);

	aspace_activate(child);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 3 * PAGE_SIZE, &rc), 0x103);
	KT_EXPECT_EQ(t, poke_user(shared_va + 2 * PAGE_SIZE, 0x2222), 0);
	aspace_activate(parent);
	KT_EXPECT_EQ(t, peek_user(shared_va + 2 * PAGE_SIZE, &rc), 0x2222); /* one frame */
	aspace_activate(&kernel_space);
	end_space(child);
	end_space(parent); /* with the page outside every region */
	heap_drain_cache();
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
}

KTEST(vmm, share_and_drop_range_refuse_bad_arguments)
{
	struct aspace *a = test_space(t, FRAMES_SMALL);
	struct aspace *b = test_space(t, FRAMES_SMALL);
	if (!a || !b)
		return;
	const vaddr_t end = USER_VA + PAGE_SIZE;
	KT_EXPECT_EQ(t, vmm_share_range(a, USER_VA, end, a, true), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_share_range(NULL, USER_VA, end, b, true), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_share_range(a, USER_VA + 1, end, b, true), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_share_range(a, end, USER_VA, b, true), VMM_ERR_INVALID);
	KT_EXPECT_EQ(
		t, vmm_share_range(a, LAYOUT_KERNEL_BASE, LAYOUT_KERNEL_BASE + PAGE_SIZE, b, true),
		VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_share_range(a, LAYOUT_USER_END - PAGE_SIZE, 0, b, true),
		     VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_share_range(a, USER_VA, end, &kernel_space, true), VMM_ERR_INVALID);
	KT_EXPECT_EQ(t, vmm_share_range(a, USER_VA, end, b, true), VMM_OK); /* nothing there */
	KT_EXPECT_EQ(t, b->tables, 0);
	/* A page already in the child is not mapped over. */
	paddr_t pa = pmm_alloc_as(FRAME_USER), pb = pmm_alloc_as(FRAME_USER);
	KT_ASSERT_EQ(t, vmm_map_in(a, USER_VA, pa, PTE_USER | PTE_WRITABLE), VMM_OK);
	KT_ASSERT_EQ(t, vmm_map_in(b, USER_VA, pb, PTE_USER | PTE_WRITABLE), VMM_OK);
	KT_EXPECT_EQ(t, vmm_share_range(a, USER_VA, end, b, true), VMM_ERR_ALREADY_MAPPED);
	KT_EXPECT_EQ(t, pmm_frame_refs(pa), 1);
	vmm_drop_range(a, USER_VA + 1, end); /* refused: nothing dropped */
	vmm_drop_range(a, LAYOUT_KERNEL_BASE, LAYOUT_KERNEL_BASE + PAGE_SIZE);
	KT_EXPECT_EQ(t, vmm_query_in(a, USER_VA, NULL, NULL), VMM_OK);
	vmm_drop_range(a, USER_VA, end);
	KT_EXPECT_EQ(t, vmm_query_in(a, USER_VA, NULL, NULL), VMM_ERR_NOT_MAPPED);
	KT_EXPECT_EQ(t, a->tables, 0); /* its table went with its last page */
	vmm_drop_range(b, USER_VA, end);
}

KTEST(aspace, hundred_spaces_leave_the_free_count)
{
	uint32_t free_before = pmm_free_count();
	for (int i = 0; i < 100; i++) {
		struct aspace *as = test_space(t, FRAMES_SMALL);
		if (!as)
			return;
		aspace_activate(as);
		KT_EXPECT_EQ(t,
			     map_anon(as, USER_VA, 4 * PAGE_SIZE,
				      LINUX_PROT_READ | LINUX_PROT_WRITE, LINUX_MAP_PRIVATE),
			     (long)USER_VA);
		KT_EXPECT_EQ(t, poke_user(USER_VA + (uint32_t)(i % 4) * PAGE_SIZE, (uint32_t)i), 0);
		struct aspace *child = adopt_space(t, aspace_clone(as));
		KT_ASSERT_TRUE(t, child != NULL);
		end_space(child);
		end_space(as);
	}
	heap_drain_cache();
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
}

KTEST(fault, nothing_is_allocated_before_it_is_touched)
{
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	aspace_activate(as);
	uint32_t free_before = pmm_free_count();
	KT_EXPECT_EQ(t,
		     map_anon(as, USER_VA, 64 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_PRIVATE),
		     (long)USER_VA);
	KT_EXPECT_EQ(t, pmm_free_count(), free_before);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 5 * PAGE_SIZE + 12, 77), 0);
	/* One data frame and the page table it needed. */
	KT_EXPECT_EQ(t, free_before - pmm_free_count(), 2);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 5 * PAGE_SIZE + 12, &rc), 77);
	KT_EXPECT_EQ(t, peek_user(USER_VA + 9 * PAGE_SIZE, &rc), 0); /* a fresh zero page */
	KT_EXPECT_EQ(t, rc, 0);
	KT_EXPECT_EQ(t, aspace_resident(as), 2);
}

/* The counting test: fork after touching 4 MiB copies no data frame;
 * one write copies exactly one; the last exit brings the count back. */
KTEST(fault, fork_of_4mib_copies_nothing_until_written)
{
	uint32_t free_start = pmm_free_count();
	struct aspace *parent = test_space(t, FRAMES_4MIB);
	if (!parent)
		return;
	aspace_activate(parent);
	KT_ASSERT_EQ(t,
		     map_anon(parent, USER_VA, FOUR_MIB, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_PRIVATE),
		     (long)USER_VA);
	for (uint32_t p = 0; p < FOUR_MIB_PG; p++)
		KT_ASSERT_EQ(t, poke_user(USER_VA + p * PAGE_SIZE, p), 0);
	uint32_t free_touched = pmm_free_count();
	struct aspace *child = adopt_space(t, aspace_clone(parent));
	KT_ASSERT_TRUE(t, child != NULL);
	/* The child's directory and its one page table: no data frame. */
	KT_EXPECT_EQ(t, free_touched - pmm_free_count(), 2);
	KT_EXPECT_EQ(t, aspace_resident(child), FOUR_MIB_PG);
	KT_EXPECT_TRUE(t, vm_check());
	uint32_t free_forked = pmm_free_count();
	aspace_activate(child);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 7 * PAGE_SIZE, 0xC0C0u), 0);
	KT_EXPECT_EQ(t, free_forked - pmm_free_count(), 1);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 8 * PAGE_SIZE, &rc), 8); /* still shared */
	aspace_activate(parent);
	KT_EXPECT_EQ(t, peek_user(USER_VA + 7 * PAGE_SIZE, &rc), 7); /* the parent's own */
	/* The parent's page is now its alone: writing it copies nothing. */
	uint32_t free_now = pmm_free_count();
	KT_EXPECT_EQ(t, poke_user(USER_VA + 7 * PAGE_SIZE, 0x7777u), 0);
	KT_EXPECT_EQ(t, pmm_free_count(), free_now);
	KT_EXPECT_TRUE(t, vm_check());
	end_space(child);
	end_space(parent);
	KT_EXPECT_EQ(t, pmm_free_count(), free_start);
}

/* The "last exit" the other way round: the parent exits first.  The
 * child still maps every page the two shared, so the parent's exit frees no
 * data frame but its own copy, the child's writes then copy nothing, and
 * only the child's exit brings the free count back. */
KTEST(fault, shared_frames_live_until_the_last_exit)
{
	uint32_t free_start = pmm_free_count();
	uint32_t user_start = pmm_count_owned(FRAME_USER);
	struct aspace *parent = test_space(t, FRAMES_4MIB);
	if (!parent)
		return;
	aspace_activate(parent);
	KT_ASSERT_EQ(t,
		     map_anon(parent, USER_VA, FOUR_MIB, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_PRIVATE),
		     (long)USER_VA);
	for (uint32_t p = 0; p < FOUR_MIB_PG; p++)
		KT_ASSERT_EQ(t, poke_user(USER_VA + p * PAGE_SIZE, p ^ 0xA5A5u), 0);
	struct aspace *child = adopt_space(t, aspace_clone(parent));
	KT_ASSERT_TRUE(t, child != NULL);
	aspace_activate(child);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 3 * PAGE_SIZE, 0x3333u), 0);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER) - user_start, FOUR_MIB_PG + 1);
	end_space(parent);
	/* The parent's page 3 was its alone; every other frame is the child's now. */
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER) - user_start, FOUR_MIB_PG);
	KT_EXPECT_TRUE(t, vm_check());
	aspace_activate(child);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 5 * PAGE_SIZE, &rc), 5u ^ 0xA5A5u);
	KT_EXPECT_EQ(t, peek_user(USER_VA + 3 * PAGE_SIZE, &rc), 0x3333u);
	uint32_t free_alone = pmm_free_count();
	for (uint32_t p = 0; p < FOUR_MIB_PG; p += 97)
		KT_EXPECT_EQ(t, poke_user(USER_VA + p * PAGE_SIZE, p), 0);
	KT_EXPECT_EQ(t, pmm_free_count(), free_alone); /* the last reference: no copy */
	KT_EXPECT_TRUE(t, vm_check());
	end_space(child);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start);
	KT_EXPECT_EQ(t, pmm_free_count(), free_start);
}

/* MAP_SHARED anonymous memory is one object: a page first touched after the
 * fork, in either space, is the same frame in both; splitting the mapping
 * keeps it one memory; and the frames come back only when the last region
 * that maps the object goes, whichever space unmaps or exits first. */
KTEST(fault, shared_anon_pages_are_one_memory_after_fork)
{
	uint32_t free_start = pmm_free_count();
	uint32_t user_start = pmm_count_owned(FRAME_USER);
	uint32_t objects_start = vm_object_count();
	struct aspace *parent = test_space(t, FRAMES_SMALL);
	if (!parent)
		return;
	aspace_activate(parent);
	KT_ASSERT_EQ(t,
		     map_anon(parent, USER_VA, 16 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_SHARED),
		     (long)USER_VA);
	KT_EXPECT_EQ(t, vm_object_count(), objects_start + 1);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start); /* nothing touched */
	struct aspace *child = adopt_space(t, aspace_clone(parent));
	KT_ASSERT_TRUE(t, child != NULL);
	aspace_activate(child);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 3 * PAGE_SIZE, 0x3333u), 0);
	aspace_activate(parent);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 3 * PAGE_SIZE, &rc), 0x3333u);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 9 * PAGE_SIZE, 0x9999u), 0);
	aspace_activate(child);
	KT_EXPECT_EQ(t, peek_user(USER_VA + 9 * PAGE_SIZE, &rc), 0x9999u);
	/* Two pages touched, each one frame for both spaces. */
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 2);
	KT_EXPECT_TRUE(t, vm_check());
	/* The parent cuts a hole out of the middle: both halves stay shared. */
	KT_EXPECT_EQ(t, mm_munmap(parent, USER_VA + 6 * PAGE_SIZE, 2 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, mm_mprotect(parent, USER_VA, PAGE_SIZE, LINUX_PROT_READ), 0);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 12 * PAGE_SIZE, 0xCCu), 0);
	aspace_activate(parent);
	KT_EXPECT_EQ(t, peek_user(USER_VA + 12 * PAGE_SIZE, &rc), 0xCCu);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 3);
	KT_EXPECT_TRUE(t, vm_check());
	/* The parent goes first: the child still maps the object, every frame stays. */
	end_space(parent);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 3);
	KT_EXPECT_EQ(t, vm_object_count(), objects_start + 1);
	aspace_activate(child);
	KT_EXPECT_EQ(t, peek_user(USER_VA + 9 * PAGE_SIZE, &rc), 0x9999u);
	/* Unmapping all but one page frees nothing: the object keeps its pages
	 * while any region maps it (Linux's shared memory does the same). */
	KT_EXPECT_EQ(t, mm_munmap(child, USER_VA, 15 * PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 3);
	KT_EXPECT_TRUE(t, vm_check());
	KT_EXPECT_EQ(t, mm_munmap(child, USER_VA + 15 * PAGE_SIZE, PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, vm_object_count(), objects_start);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start);
	end_space(child);
	KT_EXPECT_EQ(t, pmm_free_count(), free_start);
}

/* An exit (space destroyed) drops the object's last reference too, and a
 * shared page stays writable in every space without a copy. */
KTEST(fault, shared_anon_frames_return_with_the_last_exit)
{
	uint32_t free_start = pmm_free_count();
	uint32_t objects_start = vm_object_count();
	struct aspace *parent = test_space(t, FRAMES_SMALL);
	if (!parent)
		return;
	aspace_activate(parent);
	KT_ASSERT_EQ(t,
		     map_anon(parent, USER_VA, 8 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_SHARED),
		     (long)USER_VA);
	for (uint32_t p = 0; p < 8; p++)
		KT_ASSERT_EQ(t, poke_user(USER_VA + p * PAGE_SIZE, p), 0);
	struct aspace *child = adopt_space(t, aspace_clone(parent));
	struct aspace *grandchild = adopt_space(t, child ? aspace_clone(child) : NULL);
	KT_ASSERT_TRUE(t, grandchild != NULL);
	uint32_t free_forked = pmm_free_count();
	aspace_activate(grandchild);
	for (uint32_t p = 0; p < 8; p++)
		KT_EXPECT_EQ(t, poke_user(USER_VA + p * PAGE_SIZE, p + 100), 0);
	KT_EXPECT_EQ(t, pmm_free_count(), free_forked); /* no copy on write */
	aspace_activate(parent);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 7 * PAGE_SIZE, &rc), 107u);
	KT_EXPECT_TRUE(t, vm_check());
	end_space(child);
	end_space(parent);
	KT_EXPECT_EQ(t, vm_object_count(), objects_start + 1);
	end_space(grandchild);
	KT_EXPECT_EQ(t, vm_object_count(), objects_start);
	KT_EXPECT_EQ(t, pmm_free_count(), free_start);
}

KTEST(uaccess, bad_pointers_give_efault)
{
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	aspace_activate(as);
	uint32_t v = 1;
	KT_EXPECT_EQ(t, copy_to_user((void *)(uintptr_t)LAYOUT_HEAP_START, &v, 4), -LINUX_EFAULT);
	KT_EXPECT_EQ(t, copy_from_user(&v, (const void *)(uintptr_t)0x1000u, 4), -LINUX_EFAULT);
	KT_EXPECT_EQ(t, copy_from_user(&v, (const void *)(uintptr_t)USER_VA, 4), -LINUX_EFAULT);
	KT_EXPECT_EQ(t, copy_from_user(&v, (const void *)(uintptr_t)0xFFFFFFFEu, 4), -LINUX_EFAULT);
	KT_EXPECT_EQ(t, copy_from_user(&v, (const void *)(uintptr_t)(LAYOUT_USER_END - 2), 4),
		     -LINUX_EFAULT);
	KT_EXPECT_EQ(t, map_anon(as, USER_VA, PAGE_SIZE, LINUX_PROT_READ, LINUX_MAP_PRIVATE),
		     (long)USER_VA);
	KT_EXPECT_EQ(t, copy_from_user(&v, (const void *)(uintptr_t)USER_VA, 4), 0);
	KT_EXPECT_EQ(t, v, 0);
	KT_EXPECT_EQ(t, copy_to_user((void *)(uintptr_t)USER_VA, &v, 4),
		     -LINUX_EFAULT); /* read-only */
	/* A copy that runs off the end of the region is cut short: -LINUX_EFAULT. */
	char buf[8];
	KT_EXPECT_EQ(t, copy_from_user(buf, (const void *)(uintptr_t)(USER_VA + PAGE_SIZE - 4), 8),
		     -LINUX_EFAULT);
}

KTEST(fault, the_stack_grows_down_to_its_limit)
{
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	aspace_activate(as);
	const vaddr_t top = LAYOUT_STACK_TOP;
	KT_EXPECT_EQ(t,
		     map_anon(as, top - PAGE_SIZE, PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_PRIVATE | LINUX_MAP_GROWSDOWN),
		     (long)(top - PAGE_SIZE));
	KT_EXPECT_EQ(t, poke_user(top - 100 * PAGE_SIZE, 1), 0);
	KT_EXPECT_EQ(t, poke_user(top - STACK_LIMIT_DEFAULT, 2), 0);
	KT_EXPECT_EQ(t, poke_user(top - STACK_LIMIT_DEFAULT - PAGE_SIZE, 3), -LINUX_EFAULT);
	KT_EXPECT_EQ(t, as->regions.count, 1);
}

/* A file of 5,000 bytes, for file mappings. */
static uint32_t test_file_read(struct file_backing *fb, uint32_t offset, void *dst, uint32_t n)
{
	uint8_t *d = dst;
	uint32_t done = 0;
	for (; done < n && offset + done < fb->size; done++)
		d[done] = (uint8_t)(offset + done);
	return done;
}
static const struct file_backing_ops test_file_ops = {.read = test_file_read};

KTEST(fault, private_file_pages_and_sigbus_past_the_end)
{
	/* Static: the space's clean-up may outlive this frame. */
	static struct file_backing file = {.ops = &test_file_ops, .size = 5000};
	struct mmap_file mf = {.fb = &file, .readable = true, .mappable = true};
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	aspace_activate(as);
	KT_EXPECT_EQ(t,
		     mm_mmap(as, USER_VA, 3 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			     LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &mf, 0),
		     (long)USER_VA);
	uint8_t b[4];
	KT_EXPECT_EQ(t, copy_from_user(b, (const void *)(uintptr_t)(USER_VA + 4097), 4), 0);
	KT_EXPECT_EQ(t, b[0], (uint8_t)4097);
	KT_EXPECT_EQ(t, copy_from_user(b, (const void *)(uintptr_t)(USER_VA + 5000), 1), 0);
	KT_EXPECT_EQ(t, b[0], 0); /* past the file's bytes in its last page: zero */
	KT_EXPECT_EQ(t, copy_from_user(b, (const void *)(uintptr_t)(USER_VA + 2 * PAGE_SIZE), 1),
		     -LINUX_EFAULT); /* a user access here is SIGBUS */
	KT_EXPECT_EQ(t, mm_resolve_fault(as, USER_VA + 2 * PAGE_SIZE, 0), FAULT_SIGBUS);
}

/* mmap2's page offset from 2^20 on (4 GiB and up, past the end of any file
 * here): the mapping is made and its pages raise SIGBUS, none of them wraps
 * to the file's first bytes, also after a split.  A mapping whose last page
 * index passes 2^32 - 1 is EOVERFLOW, anonymous or not, as on i386 Linux
 * (the conformance program mmap_bigoff cannot show it: an amd64 Linux maps
 * it). */
KTEST(fault, file_page_offsets_past_4gib)
{
	static struct file_backing file = {.ops = &test_file_ops, .size = 5000};
	struct mmap_file mf = {.fb = &file, .readable = true, .mappable = true};
	const uint32_t anon = LINUX_MAP_PRIVATE | LINUX_MAP_ANONYMOUS;
	const uint32_t fixed = LINUX_MAP_PRIVATE | LINUX_MAP_FIXED;
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	aspace_activate(as);
	KT_EXPECT_EQ(t, mm_mmap(as, USER_VA, PAGE_SIZE, LINUX_PROT_READ, fixed, &mf, 0xFFFFFFFFu),
		     -LINUX_EOVERFLOW);
	KT_EXPECT_EQ(t,
		     mm_mmap(as, USER_VA, 2 * PAGE_SIZE, LINUX_PROT_READ, fixed, &mf, 0xFFFFFFFEu),
		     -LINUX_EOVERFLOW);
	KT_EXPECT_EQ(t, mm_mmap(as, 0, PAGE_SIZE, LINUX_PROT_READ, anon, NULL, 0xFFFFFFFFu),
		     -LINUX_EOVERFLOW);
	KT_EXPECT_EQ(t, as->regions.count, 0);
	KT_EXPECT_EQ(t, mm_mmap(as, USER_VA, PAGE_SIZE, LINUX_PROT_READ, fixed, &mf, 0xFFFFFFFEu),
		     (long)USER_VA);
	KT_EXPECT_EQ(t, mm_resolve_fault(as, USER_VA, 0), FAULT_SIGBUS);
	/* Pages 0xFFFFF to 0x100001: the second one is byte 4 GiB, not byte 0. */
	KT_EXPECT_EQ(t, mm_mmap(as, USER_VA, 3 * PAGE_SIZE, LINUX_PROT_READ, fixed, &mf, 0xFFFFFu),
		     (long)USER_VA);
	for (uint32_t i = 0; i < 3; i++)
		KT_EXPECT_EQ(t, mm_resolve_fault(as, USER_VA + i * PAGE_SIZE, 0), FAULT_SIGBUS);
	KT_EXPECT_EQ(t, mm_munmap(as, USER_VA, PAGE_SIZE), 0);
	struct region *r = region_find(&as->regions, USER_VA + PAGE_SIZE);
	KT_EXPECT_EQ(t, r ? r->pgoff : 0, 0x100000u);
	KT_EXPECT_EQ(t, mm_resolve_fault(as, USER_VA + PAGE_SIZE, 0), FAULT_SIGBUS);
	/* The file's page 0 right after page 0xFFFFF is no continuation of it. */
	KT_EXPECT_EQ(t, mm_mmap(as, USER_VA, PAGE_SIZE, LINUX_PROT_READ, fixed, &mf, 0xFFFFFu),
		     (long)USER_VA);
	KT_EXPECT_EQ(t, mm_mmap(as, USER_VA + PAGE_SIZE, PAGE_SIZE, LINUX_PROT_READ, fixed, &mf, 0),
		     (long)(USER_VA + PAGE_SIZE));
	KT_EXPECT_EQ(t, as->regions.count, 3);
	KT_EXPECT_EQ(t, mm_resolve_fault(as, USER_VA, 0), FAULT_SIGBUS);
	KT_EXPECT_EQ(t, mm_resolve_fault(as, USER_VA + PAGE_SIZE, 0), FAULT_RESOLVED);
	KT_EXPECT_EQ(t, aspace_resident(as), 1);
	KT_EXPECT_TRUE(t, vm_check());
}

/* A file whose bytes can change, its pages in an object the test owns (as
 * an inode owns a RAM file's). */
static struct vm_object *changing_pages;

static struct vm_object *changing_object(struct file_backing *fb)
{
	(void)fb;
	vm_object_get(changing_pages);
	return changing_pages;
}

static const struct file_backing_ops changing_file_ops = {.read = test_file_read,
							  .object = changing_object};

static void put_changing_pages(void *unused)
{
	(void)unused;
	vm_object_put(changing_pages);
	changing_pages = NULL;
}

/* A shared and a private mapping of one file: both map the file's frame
 * until the private one writes (one copy, no more); shrinking the file takes
 * the pages past its end from both (SIGBUS there); the frames come back
 * when the mappings and the file are gone. */
KTEST(fault, file_pages_shared_private_and_truncated)
{
	static struct file_backing file = {.ops = &changing_file_ops, .changes = true};
	struct mmap_file mf = {.fb = &file, .readable = true, .writable = true, .mappable = true};
	uint32_t free_start = pmm_free_count();
	uint32_t user_start = pmm_count_owned(FRAME_USER);
	struct aspace *a = test_space(t, FRAMES_SMALL);
	struct aspace *b = a ? test_space(t, FRAMES_SMALL) : NULL;
	if (!b)
		return;
	changing_pages = vm_object_create(NULL, NULL);
	KT_ASSERT_TRUE(t, changing_pages != NULL);
	ktest_defer(t, put_changing_pages, NULL);
	file.size = 3 * PAGE_SIZE;
	const uint32_t rw = LINUX_PROT_READ | LINUX_PROT_WRITE;
	KT_ASSERT_EQ(
		t,
		mm_mmap(a, USER_VA, 3 * PAGE_SIZE, rw, LINUX_MAP_SHARED | LINUX_MAP_FIXED, &mf, 0),
		(long)USER_VA);
	KT_ASSERT_EQ(
		t,
		mm_mmap(b, USER_VA, 3 * PAGE_SIZE, rw, LINUX_MAP_PRIVATE | LINUX_MAP_FIXED, &mf, 0),
		(long)USER_VA);
	int rc;
	aspace_activate(a);
	KT_EXPECT_EQ(t, poke_user(USER_VA, 0xA0u), 0);
	KT_EXPECT_EQ(t, poke_user(USER_VA + PAGE_SIZE, 0xA1u), 0);
	aspace_activate(b);
	KT_EXPECT_EQ(t, peek_user(USER_VA, &rc), 0xA0u);
	KT_EXPECT_EQ(t, peek_user(USER_VA + PAGE_SIZE, &rc), 0xA1u);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 2); /* the file's two */
	aspace_activate(a);
	KT_EXPECT_EQ(t, poke_user(USER_VA, 0xA2u), 0);
	aspace_activate(b);
	KT_EXPECT_EQ(t, peek_user(USER_VA, &rc), 0xA2u); /* not written here: the file's */
	KT_EXPECT_EQ(t, poke_user(USER_VA, 0xB0u), 0);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 3); /* one copy */
	aspace_activate(a);
	KT_EXPECT_EQ(t, peek_user(USER_VA, &rc), 0xA2u);
	KT_EXPECT_TRUE(t, vm_check());
	/* The file shrinks to one page. */
	file.size = PAGE_SIZE;
	mm_object_truncate(changing_pages, 1);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 2); /* page 1 went */
	KT_EXPECT_EQ(t, mm_resolve_fault(a, USER_VA + PAGE_SIZE, 0), FAULT_SIGBUS);
	KT_EXPECT_EQ(t, mm_resolve_fault(b, USER_VA + PAGE_SIZE, 0), FAULT_SIGBUS);
	KT_EXPECT_EQ(t, aspace_resident(a), 1);
	KT_EXPECT_EQ(t, aspace_resident(b), 1);
	KT_EXPECT_TRUE(t, vm_check());
	end_space(a);
	end_space(b);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start + 1); /* the file keeps page 0 */
	put_changing_pages(NULL);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER), user_start);
	KT_EXPECT_EQ(t, pmm_free_count(), free_start);
}

KTEST(region, mprotect_and_munmap_split_and_merge)
{
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return;
	aspace_activate(as);
	KT_EXPECT_EQ(t,
		     map_anon(as, USER_VA, 8 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_PRIVATE),
		     (long)USER_VA);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 3 * PAGE_SIZE, 3), 0);
	KT_EXPECT_EQ(t, mm_mprotect(as, USER_VA + 2 * PAGE_SIZE, 2 * PAGE_SIZE, LINUX_PROT_READ),
		     0);
	KT_EXPECT_EQ(t, as->regions.count, 3);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 3 * PAGE_SIZE, 4), -LINUX_EFAULT);
	KT_EXPECT_EQ(t,
		     mm_mprotect(as, USER_VA + 2 * PAGE_SIZE, 2 * PAGE_SIZE,
				 LINUX_PROT_READ | LINUX_PROT_WRITE),
		     0);
	KT_EXPECT_EQ(t, as->regions.count, 1); /* merged back */
	KT_EXPECT_EQ(t, poke_user(USER_VA + 3 * PAGE_SIZE, 5), 0);
	KT_EXPECT_EQ(t, mm_munmap(as, USER_VA + 3 * PAGE_SIZE, PAGE_SIZE), 0);
	KT_EXPECT_EQ(t, as->regions.count, 2);
	KT_EXPECT_EQ(t, aspace_resident(as), 0);
	KT_EXPECT_EQ(t, mm_mprotect(as, USER_VA, 8 * PAGE_SIZE, LINUX_PROT_READ),
		     -LINUX_ENOMEM); /* a hole */
	KT_EXPECT_EQ(t, mm_munmap(as, USER_VA + 1, PAGE_SIZE), -LINUX_EINVAL);
	KT_EXPECT_EQ(t, mm_munmap(as, USER_VA, 0), -LINUX_EINVAL);
	KT_EXPECT_EQ(t, mm_mprotect(as, USER_VA + 1, PAGE_SIZE, LINUX_PROT_READ), -LINUX_EINVAL);
	KT_EXPECT_TRUE(t, vm_check());
}

KTEST(fault, resolves_in_a_space_with_10000_regions)
{
	struct aspace *as = test_space(t, FRAMES_10K_REGIONS);
	if (!as)
		return;
	aspace_activate(as);
	/* Alternating protections keep neighbours from merging. */
	for (uint32_t i = 0; i < 10000; i++) {
		uint32_t prot = (i & 1) ? LINUX_PROT_READ : LINUX_PROT_READ | LINUX_PROT_WRITE;
		KT_ASSERT_EQ(
			t,
			map_anon(as, USER_VA + i * PAGE_SIZE, PAGE_SIZE, prot, LINUX_MAP_PRIVATE),
			(long)(USER_VA + i * PAGE_SIZE));
	}
	KT_EXPECT_EQ(t, as->regions.count, 10000);
	uint32_t user_before = pmm_count_owned(FRAME_USER);
	KT_EXPECT_EQ(t, poke_user(USER_VA + 5000 * PAGE_SIZE, 50), 0);
	KT_EXPECT_EQ(t, pmm_count_owned(FRAME_USER) - user_before, 1); /* that page alone */
	KT_EXPECT_EQ(t, poke_user(USER_VA + 5001 * PAGE_SIZE, 51), -LINUX_EFAULT);
	int rc;
	KT_EXPECT_EQ(t, peek_user(USER_VA + 5000 * PAGE_SIZE, &rc), 50);
}

/* What ps and `vmmap PID` show: a page is shared while another space maps
 * its frame (after a fork, until one of them writes it), private otherwise. */
KTEST(aspace, page_counts_tell_shared_from_private)
{
	struct aspace_pages n = {0, 0, 0};
	KT_EXPECT_EQ(t, aspace_page_counts(NULL, &n), VMM_ERR_INVALID);
	/* Not a live space: refused without being read. */
	KT_EXPECT_EQ(t, aspace_page_counts((struct aspace *)(void *)&n, &n), VMM_ERR_INVALID);
	struct aspace *parent = test_space(t, FRAMES_SMALL);
	if (!parent)
		return;
	KT_EXPECT_EQ(t, aspace_page_counts(parent, NULL), VMM_ERR_INVALID);
	aspace_activate(parent);
	KT_ASSERT_EQ(t,
		     map_anon(parent, USER_VA, 4 * PAGE_SIZE, LINUX_PROT_READ | LINUX_PROT_WRITE,
			      LINUX_MAP_PRIVATE),
		     (long)USER_VA);
	for (uint32_t p = 0; p < 3; p++)
		KT_ASSERT_EQ(t, poke_user(USER_VA + p * PAGE_SIZE, p), 0);
	KT_ASSERT_EQ(t, aspace_page_counts(parent, &n), VMM_OK);
	KT_EXPECT_EQ(t, n.resident, 3);
	KT_EXPECT_EQ(t, n.shared, 0);
	KT_EXPECT_EQ(t, n.private_pages, 3);
	struct aspace *child = adopt_space(t, aspace_clone(parent));
	KT_ASSERT_TRUE(t, child != NULL);
	KT_ASSERT_EQ(t, aspace_page_counts(child, &n), VMM_OK);
	KT_EXPECT_EQ(t, n.resident, 3);
	KT_EXPECT_EQ(t, n.shared, 3);
	KT_EXPECT_EQ(t, n.private_pages, 0);
	aspace_activate(child);
	KT_EXPECT_EQ(t, poke_user(USER_VA, 0xC0C0u), 0); /* copied: one page each their own */
	KT_ASSERT_EQ(t, aspace_page_counts(child, &n), VMM_OK);
	KT_EXPECT_EQ(t, n.shared, 2);
	KT_EXPECT_EQ(t, n.private_pages, 1);
	KT_ASSERT_EQ(t, aspace_page_counts(parent, &n), VMM_OK);
	KT_EXPECT_EQ(t, n.resident, 3);
	KT_EXPECT_EQ(t, n.shared, 2);
	KT_EXPECT_EQ(t, n.private_pages, 1);
	end_space(child);
	KT_ASSERT_EQ(t, aspace_page_counts(parent, &n), VMM_OK);
	KT_EXPECT_EQ(t, n.shared, 0);
	KT_EXPECT_EQ(t, n.private_pages, 3);
	end_space(parent);
}

/* ---- vm_check's region rules: each case breaks one on purpose, sees
 * vm_check fail with a line that names it, and repairs it. */

/* The first line vm_check prints, heard by a console driver of our own that
 * listens only while a case asks (registered once, silent otherwise). */
static char heard[200];
static uint32_t heard_len;
static bool listening;

static void listen_putc(char c)
{
	if (!listening)
		return;
	if (c == '\n' || heard_len + 1 == sizeof(heard))
		listening = false;
	else
		heard[heard_len++] = c;
	heard[heard_len] = '\0';
}

static const struct console_driver listener = {.name = "vm_check listener", .putc = listen_putc};

static bool heard_contains(const char *what)
{
	size_t n = strlen(what);
	for (uint32_t i = 0; i + n <= heard_len; i++)
		if (strncmp(heard + i, what, n) == 0)
			return true;
	return false;
}

/* Whether vm_check fails and its first line says `what`. */
static bool vm_check_fails_saying(const char *what)
{
	static bool registered;
	if (!registered)
		registered = console_register(&listener) == 0;
	heard_len = 0;
	heard[0] = '\0';
	listening = true;
	bool ok = vm_check();
	listening = false;
	return !ok && registered && heard_contains(what);
}

/* A space with one touched page of an anonymous private region at USER_VA. */
static struct aspace *space_with_page(struct ktest *t, uint32_t prot, uint32_t flags)
{
	struct aspace *as = test_space(t, FRAMES_SMALL);
	if (!as)
		return NULL;
	aspace_activate(as);
	long at = map_anon(as, USER_VA, 2 * PAGE_SIZE, prot, flags);
	int rc = 0;
	peek_user(USER_VA, &rc);
	aspace_activate(&kernel_space);
	if (at != (long)USER_VA || rc != 0 || !vm_check()) {
		ktest_report_msg(t, __FILE__, __LINE__, "could not set up a space with one page");
		return NULL;
	}
	return as;
}

KTEST(vm_check, catches_a_user_page_outside_every_region)
{
	struct aspace *as =
		space_with_page(t, LINUX_PROT_READ | LINUX_PROT_WRITE, LINUX_MAP_PRIVATE);
	if (!as)
		return;
	struct region keep = *region_find(&as->regions, USER_VA);
	KT_ASSERT_EQ(t, region_remove(&as->regions, USER_VA, USER_VA + PAGE_SIZE), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check_fails_saying("lies in no region"));
	KT_ASSERT_EQ(t, region_remove(&as->regions, keep.start, keep.end), VMM_OK);
	KT_ASSERT_EQ(t, region_insert(&as->regions, &keep), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
}

KTEST(vm_check, catches_a_user_page_in_a_prot_none_region)
{
	struct aspace *as =
		space_with_page(t, LINUX_PROT_READ | LINUX_PROT_WRITE, LINUX_MAP_PRIVATE);
	if (!as)
		return;
	/* The region says PROT_NONE, the PTE still lets ring 3 in (an mprotect
	 * that forgot the pages). */
	KT_ASSERT_EQ(t, region_protect(&as->regions, USER_VA, USER_VA + PAGE_SIZE, 0), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check_fails_saying("reachable from user mode in a PROT_NONE region"));
	KT_ASSERT_EQ(t,
		     region_protect(&as->regions, USER_VA, USER_VA + PAGE_SIZE,
				    REGION_READ | REGION_WRITE),
		     VMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
}

KTEST(vm_check, catches_a_writable_page_in_a_read_only_region)
{
	struct aspace *as = space_with_page(t, LINUX_PROT_READ, LINUX_MAP_PRIVATE);
	if (!as)
		return;
	KT_ASSERT_EQ(t, vmm_protect_in(as, USER_VA, PTE_USER | PTE_WRITABLE), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check_fails_saying("writable in a region without write access"));
	KT_ASSERT_EQ(t, vmm_protect_in(as, USER_VA, PTE_USER), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
}

/* After fork a private page's frame has two mappings: a writable PTE on it
 * would let one space's writes reach the other. */
KTEST(vm_check, catches_a_writable_private_page_with_a_shared_frame)
{
	struct aspace *as =
		space_with_page(t, LINUX_PROT_READ | LINUX_PROT_WRITE, LINUX_MAP_PRIVATE);
	if (!as)
		return;
	struct aspace *child = adopt_space(t, aspace_clone(as));
	KT_ASSERT_TRUE(t, child != NULL);
	KT_EXPECT_TRUE(t, vm_check());
	KT_ASSERT_EQ(t, vmm_protect_in(child, USER_VA, PTE_USER | PTE_WRITABLE), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check_fails_saying("writable in a private region, but its frame has "
						"other mappings"));
	KT_ASSERT_EQ(t, vmm_protect_in(child, USER_VA, PTE_USER), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
	/* A shared region's frame may be writable in both. */
	struct aspace *shared =
		space_with_page(t, LINUX_PROT_READ | LINUX_PROT_WRITE, LINUX_MAP_SHARED);
	if (!shared)
		return;
	struct aspace *shared_child = adopt_space(t, aspace_clone(shared));
	KT_ASSERT_TRUE(t, shared_child != NULL);
	KT_EXPECT_EQ(t, vmm_protect_in(shared_child, USER_VA, PTE_USER | PTE_WRITABLE), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
}

/* vm_check counts a shared object's hold on each frame with the PTEs: one
 * reference too few or too many is caught, and so is a shared page that
 * maps another frame than its object's. */
KTEST(vm_check, counts_the_references_of_shared_objects)
{
	struct aspace *as =
		space_with_page(t, LINUX_PROT_READ | LINUX_PROT_WRITE, LINUX_MAP_SHARED);
	if (!as)
		return;
	paddr_t frame = 0;
	KT_ASSERT_EQ(t, vmm_query_in(as, USER_VA, &frame, NULL), VMM_OK);
	KT_EXPECT_EQ(t, pmm_frame_refs(frame), 2); /* the PTE and the object */
	KT_ASSERT_EQ(t, pmm_unref(frame), PMM_OK);
	KT_EXPECT_TRUE(t, vm_check_fails_saying("fewer references than PTEs"));
	KT_ASSERT_EQ(t, pmm_ref(frame), PMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
	KT_ASSERT_EQ(t, pmm_ref(frame), PMM_OK);
	KT_EXPECT_TRUE(t, vm_check_fails_saying("no PTE accounts for"));
	KT_ASSERT_EQ(t, pmm_unref(frame), PMM_OK);
	KT_EXPECT_TRUE(t, vm_check());
	paddr_t other = pmm_alloc_as(FRAME_USER);
	KT_ASSERT_TRUE(t, other != PMM_INVALID_PAGE);
	/* The object keeps its frame while the PTE points elsewhere; the other
	 * frame goes with the PTE's reference when it is put back. */
	KT_ASSERT_EQ(t, vmm_replace_in(as, USER_VA, other, PTE_USER | PTE_WRITABLE), VMM_OK);
	KT_EXPECT_TRUE(t, vm_check_fails_saying("not its shared object's frame"));
	KT_ASSERT_EQ(t, vmm_replace_in(as, USER_VA, frame, PTE_USER | PTE_WRITABLE), VMM_OK);
	KT_EXPECT_EQ(t, pmm_frame_state(other), FRAME_FREE);
	KT_EXPECT_TRUE(t, vm_check());
}

/* A PTE pointing at a free frame: the allocator would hand the frame out
 * again under the mapping. */
KTEST(vm_check, catches_a_mapped_frame_that_is_free)
{
	const vaddr_t va = LAYOUT_TEST_SCRATCH;
	paddr_t mine = pmm_alloc_page();
	KT_ASSERT_TRUE(t, mine != PMM_INVALID_PAGE);
	KT_ASSERT_EQ(t, vmm_map_page(va, mine, PTE_WRITABLE), VMM_OK);
	/* Freed after the map, which may take a frame for its page table. */
	paddr_t gone = pmm_alloc_page();
	KT_ASSERT_TRUE(t, gone != PMM_INVALID_PAGE);
	KT_ASSERT_EQ(t, pmm_free_page(gone), PMM_OK);
	pte_t *pte = pte_walk(&kernel_space, va, false);
	KT_ASSERT_TRUE(t, pte != NULL);
	pte_t good = *pte;
	*pte = gone | (good & PTE_FLAGS_MASK); /* never accessed before it is put back */
	KT_EXPECT_TRUE(t, vm_check_fails_saying("which is free"));
	*pte = good;
	arch_tlb_flush_page(va);
	KT_EXPECT_TRUE(t, vm_check());
	KT_EXPECT_EQ(t, vmm_unmap_page(va), VMM_OK);
	KT_EXPECT_EQ(t, pmm_free_page(mine), PMM_OK);
}
