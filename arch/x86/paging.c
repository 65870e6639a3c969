#include "arch/paging.h"

#include "arch/cpu.h"
#include "arch/cpu_features.h"
#include "arch/mmu.h"
#include "arch/tss.h"
#include "drivers/console.h"

#define IDENTITY_TABLES (LAYOUT_IDENTITY_END / (PT_ENTRIES * PAGE_SIZE))

extern const char __text_start[], __readonly_end[];
extern const char kernel_stack_guard[];

pte_t kernel_page_directory[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static pte_t identity_tables[IDENTITY_TABLES][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static bool global_pages;

/* The early window: up to 4 MiB of RAM above the identity map, mapped at its
 * own address from paging_init until paging_drop_early_window.  4 MiB may
 * straddle a table boundary, hence up to two tables, in frames the caller
 * lends (written here before paging is on, when every frame is reachable). */
static paddr_t early_start, early_end; /* [start, end), page-aligned; empty: none */
static paddr_t early_tables[PAGING_EARLY_TABLES];

bool paging_set_early_window(paddr_t start, uint32_t bytes,
			     const paddr_t tables[PAGING_EARLY_TABLES])
{
	paddr_t lo = start & ~PAGE_OFFSET_MASK;
	uint64_t hi = ((uint64_t)start + bytes + PAGE_OFFSET_MASK) & ~(uint64_t)PAGE_OFFSET_MASK;
	/* Only where nothing else lives before the VMM starts: above the
	 * identity map and below the kernel's half. */
	if (paging_is_enabled() || bytes == 0 || bytes > PT_ENTRIES * PAGE_SIZE ||
	    lo < LAYOUT_IDENTITY_END || hi > LAYOUT_PAGE_FAULT_TEST)
		return false;
	for (uint32_t i = 0; i < PAGING_EARLY_TABLES; i++)
		if (!page_aligned(tables[i]))
			return false;
	early_start = lo;
	early_end = (paddr_t)hi;
	for (uint32_t i = 0; i < PAGING_EARLY_TABLES; i++)
		early_tables[i] = tables[i];
	return true;
}

static void map_early_window(void)
{
	if (early_start == early_end)
		return;
	uint32_t first = pde_index(early_start);
	for (uint32_t pdi = first; pdi <= pde_index(early_end - 1); pdi++) {
		paddr_t table_pa = early_tables[pdi - first];
		pte_t *table = (pte_t *)(uintptr_t)table_pa; /* paging is still off */
		for (uint32_t i = 0; i < PT_ENTRIES; i++) {
			paddr_t pa = pde_base(pdi) + i * PAGE_SIZE;
			bool inside = pa >= early_start && pa < early_end;
			table[i] = inside ? pa | PTE_PRESENT | PTE_WRITABLE : 0;
		}
		kernel_page_directory[pdi] = table_pa | PTE_PRESENT | PTE_WRITABLE | PDE_FIXED;
	}
}

void paging_drop_early_window(void)
{
	if (early_start == early_end)
		return;
	for (uint32_t pdi = pde_index(early_start); pdi <= pde_index(early_end - 1); pdi++)
		kernel_page_directory[pdi] = 0;
	reload_cr3(); /* its pages were never global */
	early_start = early_end = 0;
}

/* The identity map, row by row: [start, end) gets flags (0: left unmapped).
 * The kernel stack's guard page is punched out afterwards. */
struct identity_row {
	paddr_t start, end;
	uint32_t flags;
};

/* The 4,096 entries were a third of the boot's instructions: eight entries
 * a loop turn keep it near one store per entry.  The tables are in .bss, so
 * a row left unmapped is already zero. */
static void identity_fill(pte_t *ptes, const struct identity_row *r, uint32_t global)
{
	if (!r->flags)
		return;
	pte_t *p = ptes + (r->start >> PAGE_SHIFT);
	pte_t *end = ptes + (r->end >> PAGE_SHIFT);
	pte_t v = r->start | r->flags | global;
	for (; end - p >= 8; p += 8, v += 8 * PAGE_SIZE) {
		p[0] = v;
		p[1] = v + 1 * PAGE_SIZE;
		p[2] = v + 2 * PAGE_SIZE;
		p[3] = v + 3 * PAGE_SIZE;
		p[4] = v + 4 * PAGE_SIZE;
		p[5] = v + 5 * PAGE_SIZE;
		p[6] = v + 6 * PAGE_SIZE;
		p[7] = v + 7 * PAGE_SIZE;
	}
	for (; p < end; p++, v += PAGE_SIZE)
		*p = v;
}

void paging_init(void)
{
	global_pages = cpu_features.pge;
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
	map_early_window();
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
