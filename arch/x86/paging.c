#include "arch/paging.h"

#include "arch/cpu.h"
#include "arch/mmu.h"
#include "arch/tss.h"
#include "drivers/console.h"

#define IDENTITY_TABLES (LAYOUT_IDENTITY_END / (PT_ENTRIES * PAGE_SIZE))
#define CPUID_EDX_PGE	(1u << 13)

extern const char __text_start[], __readonly_end[];
extern const char kernel_stack_guard[];

pte_t kernel_page_directory[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t identity_tables[IDENTITY_TABLES][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static bool global_pages;

static bool cpu_has_pge(void)
{
	uint32_t a, b, c, d;
	cpuid(0, &a, &b, &c, &d);
	if (a < 1)
		return false;
	cpuid(1, &a, &b, &c, &d);
	return (d & CPUID_EDX_PGE) != 0;
}

/* The identity map, row by row: [start, end) gets flags (0: left unmapped).
 * The kernel stack's guard page is punched out afterwards. */
struct identity_row {
	paddr_t start, end;
	uint32_t flags;
};

static void identity_fill(pte_t *ptes, const struct identity_row *r, uint32_t global)
{
	uint32_t flags = r->flags ? r->flags | global : 0;
	for (paddr_t pa = r->start; pa < r->end; pa += PAGE_SIZE)
		ptes[pa >> PAGE_SHIFT] = flags ? pa | flags : 0;
}

void paging_init(void)
{
	global_pages = cpu_has_pge();
	uint32_t global = global_pages ? PTE_GLOBAL : 0;

	const struct identity_row rows[] = {
		{0, LAYOUT_NULL_PAGE_END, 0},
		{LAYOUT_NULL_PAGE_END, (paddr_t)__text_start, PTE_PRESENT | PTE_WRITABLE},
		{(paddr_t)__text_start, (paddr_t)__readonly_end, PTE_PRESENT},
		{(paddr_t)__readonly_end, LAYOUT_IDENTITY_END, PTE_PRESENT | PTE_WRITABLE},
	};
	pte_t *ptes = &identity_tables[0][0];
	for (uint32_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		identity_fill(ptes, &rows[i], global);
	ptes[(paddr_t)kernel_stack_guard >> PAGE_SHIFT] = 0;
	for (uint32_t t = 0; t < IDENTITY_TABLES; t++)
		kernel_page_directory[t] = (pte_t)(uintptr_t)identity_tables[t] | PTE_PRESENT |
					   PTE_WRITABLE | PDE_FIXED;
	extern pte_t kmap_table[PT_ENTRIES];
	kernel_page_directory[pde_index(LAYOUT_KMAP_BASE)] =
		(pte_t)(uintptr_t)kmap_table | PTE_PRESENT | PTE_WRITABLE | PDE_FIXED;
	/* Never global: the window must follow the directory that is loaded. */
	kernel_page_directory[LAYOUT_RECURSIVE_SLOT] =
		(pte_t)(uintptr_t)kernel_page_directory | PTE_PRESENT | PTE_WRITABLE | PDE_FIXED;

	if (global_pages)
		write_cr4(read_cr4() | CR4_PGE);
	arch_activate_pd((paddr_t)(uintptr_t)kernel_page_directory);
	tss_set_double_fault_cr3(read_cr3());
	write_cr0(read_cr0() | CR0_PG | CR0_WP);
	console_writeln("Paging: enabled with identity map of first 16 MiB");
}

bool paging_is_enabled(void)
{
	return (read_cr0() & CR0_PG) != 0;
}

bool paging_global_pages(void)
{
	return global_pages;
}

bool paging_test_identity_mapping(void)
{
	static volatile uint32_t probe;
	probe = 0xC0FFEE01u;
	bool ok = paging_is_enabled() && probe == 0xC0FFEE01u;
	probe = ~probe;
	ok = ok && probe == ~0xC0FFEE01u;
	/* The recursive window must show the identity table that maps `probe`. */
	vaddr_t va = (vaddr_t)(uintptr_t)&probe;
	pte_t pte = arch_pt_view(arch_active_pd(), pde_index(va))[pte_index(va)];
	ok = ok && (pte & PTE_FRAME_MASK) == (va & PTE_FRAME_MASK) && (pte & PTE_WRITABLE);
	if (!ok) {
		kprintf("Paging test: FAILED (CR0=0x%08X, PTE=0x%08X)\n", read_cr0(), pte);
		return false;
	}
	console_writeln("Paging test: identity-mapped kernel data is readable/writable");
	return true;
}
