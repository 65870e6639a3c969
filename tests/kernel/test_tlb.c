/* The MMU itself: what the VMM writes must be what the CPU sees. */
#include "kernel/ktest.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define VA    LAYOUT_TEST_SCRATCH
#define ALIAS (LAYOUT_TEST_SCRATCH + 0x10000u)

/* Map V->A, write through V, remap V->B: reads through V must now see B, so
 * the stale translation was invalidated. */
KTEST(tlb, remap_is_seen_at_once)
{
	paddr_t a = pmm_alloc_page(), b = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(ALIAS, b, PTE_WRITABLE), VMM_OK);
	volatile uint32_t *alias = (volatile uint32_t *)ALIAS;
	alias[0] = 0xBBBBBBBBu;

	KT_ASSERT_EQ(t, vmm_map_page(VA, a, PTE_WRITABLE), VMM_OK);
	volatile uint32_t *v = (volatile uint32_t *)VA;
	v[0] = 0xAAAAAAAAu; /* the TLB now caches V->A */
	KT_EXPECT_EQ(t, v[0], 0xAAAAAAAAu);

	KT_ASSERT_EQ(t, vmm_unmap_page(VA), VMM_OK);
	KT_ASSERT_EQ(t, vmm_map_page(VA, b, PTE_WRITABLE), VMM_OK);
	KT_EXPECT_EQ(t, v[0], 0xBBBBBBBBu);
	v[1] = 0x12345678u;
	KT_EXPECT_EQ(t, alias[1], 0x12345678u); /* one frame, two names */

	vmm_unmap_page(VA);
	vmm_unmap_page(ALIAS);
	pmm_free_page(a);
	pmm_free_page(b);
}

/* Dropping write permission takes effect without a CR3 reload. */
KTEST(tlb, protect_is_seen_at_once)
{
	paddr_t a = pmm_alloc_page();
	KT_ASSERT_EQ(t, vmm_map_page(VA, a, PTE_WRITABLE), VMM_OK);
	volatile uint32_t *v = (volatile uint32_t *)VA;
	v[0] = 1;
	KT_ASSERT_EQ(t, vmm_protect(VA, 0), VMM_OK);
	/* The recursive window shows the PTE the CPU will walk. */
	pte_t pte = arch_pt_view(arch_active_pd(), pde_index(VA))[pte_index(VA)];
	KT_EXPECT_EQ(t, pte & PTE_WRITABLE, 0);
	KT_EXPECT_EQ(t, v[0], 1); /* still readable */
	vmm_unmap_page(VA);
	pmm_free_page(a);
}
