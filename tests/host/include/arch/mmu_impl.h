/* The inline half of arch/mmu.h on the fake machine of the host tests
 * (tests/host/fake_arch.c): every view is a pointer into fake RAM.  Host
 * builds put tests/host/include ahead of arch/x86/include, so this file
 * stands in for the kernel's arch/mmu_impl.h. */
#ifndef ARCH_MMU_IMPL_H
#define ARCH_MMU_IMPL_H

pte_t *fake_pd_view(paddr_t pd);
pte_t *fake_pt_view(paddr_t pd, uint32_t pdi);
void fake_tlb_flush(vaddr_t va);
void fake_tlb_flush_user(void);
void *fake_phys_to_virt(paddr_t pa);
static inline pte_t *arch_pd_view(paddr_t pd)
{
	return fake_pd_view(pd);
}
static inline pte_t *arch_pt_view(paddr_t pd, uint32_t pdi)
{
	return fake_pt_view(pd, pdi);
}
static inline pte_t *arch_pte_view(paddr_t pd, vaddr_t va)
{
	return &fake_pt_view(pd, pde_index(va))[pte_index(va)];
}
static inline pte_t *arch_active_pd_view(void)
{
	return fake_pd_view(arch_active_pd());
}
static inline pte_t *arch_active_pte_view(vaddr_t va)
{
	return arch_pte_view(arch_active_pd(), va);
}
static inline void arch_tlb_flush_page(vaddr_t va)
{
	fake_tlb_flush(va);
}
static inline void arch_tlb_flush_user(void)
{
	fake_tlb_flush_user();
}
static inline void *arch_phys_to_virt(paddr_t pa)
{
	return fake_phys_to_virt(pa);
}

#endif
