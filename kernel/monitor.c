/* The monitor's commands.  A typed line is split into words; the first names
 * a row of the command table, which says how many arguments it takes, so no
 * handler is called with a count it does not expect.  Handlers check every
 * argument, and the page tables, before they change or touch anything:
 * bad input gets one `error: ` line and leaves the memory system as it was.
 *
 * What map, unmap and poke may touch is decided in kernel/monitor_policy.c.
 *
 * Numbers are decimal or 0x hex (lib/parse.c); `.` stands for the frame the
 * last `palloc` returned, so a session (or a test script) can map the frame
 * it just got without copying its address by hand. */
#include "kernel/monitor.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/cpu.h"
#include "arch/mmu.h"
#include "arch/pit.h"
#include "arch/qemu_exit.h"
#include "arch/reset.h"
#include "drivers/console.h"
#include "drivers/input.h"
#include "kernel/boot.h"
#include "kernel/exec.h"
#include "kernel/init.h"
#include "kernel/ktest.h"
#include "kernel/line_editor.h"
#include "kernel/monitor_policy.h"
#include "kernel/proc.h"
#include "kernel/sched.h"
#include "kernel/vfs.h"
#include "lib/errno_name.h"
#include "lib/format.h"
#include "lib/parse.h"
#include "lib/string.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/aspace.h"
#include "mm/region.h"
#include "mm/vm_check.h"
#include "mm/vmm.h"
#include "uapi/linux_abi.h"

#define MONITOR_SOURCES	    (INPUT_SERIAL + 1)
#define MAX_WORDS	    16 /* a command and its arguments; more is always too many */
#define WORD_SIZE	    4u
#define PEEK_MAX_WORDS	    64
#define PEEK_WORDS_PER_LINE 4u
#define HEAP_LIST_MAX	    32u
#define HELP_COLUMN	    30 /* width of "map VIRT PHYS [rw|ro] [user]" and a space */
#define STRINGIFY(x)	    #x
#define STR(x)		    STRINGIFY(x) /* the value of macro x, as a string */
#define HELP_FORMAT(width)  "  %-" STR(width) "s %s\n"
#define KIB_SHIFT	    10
#define ADDRESS_SPACE_END   PHYS_LIMIT
#define LAST_FRAME_WORD	    "."
#define ERRNO_TEXT	    16	     /* "errno 4095" and its NUL */
#define KILL_WAIT_TICKS	    (PIT_HZ) /* how long kill waits to see the process go */

/* Flags vmmap merges on: accessed and dirty change as the kernel runs, and
 * would cut the identity map into a line per page touched. */
#define VMMAP_FLAGS (PTE_WRITABLE | PTE_USER | PTE_WRITETHROUGH | PTE_NOCACHE | PTE_GLOBAL)

/* Each input source has its own editor: the keyboard and the serial line are
 * two people (or a person and a test script), and a half-typed line on one
 * must not swallow the other's keys.  Output, echo included, still goes to
 * every console, so both see everything that happens. */
static struct line_editor editors[MONITOR_SOURCES];
static bool started;
static paddr_t last_frame = PMM_INVALID_PAGE;

/* ---- output ---------------------------------------------------------------- */

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	console_putc(c);
}

/* The one way a command reports bad input: a single `error: ` line.  Returns
 * false so that checks can `return fail(...)`. */
__attribute__((format(printf, 1, 2))) static bool fail(const char *fmt, ...)
{
	va_list ap;
	console_write("error: ");
	va_start(ap, fmt);
	format_va(console_sink, NULL, fmt, ap);
	va_end(ap);
	console_putc('\n');
	return false;
}

struct flag_name {
	uint32_t bit;
	const char *set, *clear; /* clear NULL: say nothing when the bit is 0 */
};

/* One flag a row: clang-format would pack the rows into columns. */
/* clang-format off */
static const struct flag_name flag_names[] = {
	{ PTE_WRITABLE, "rw", "ro" },
	{ PTE_USER, "user", "kernel" },
	{ PTE_GLOBAL, "global", NULL },
	{ PTE_WRITETHROUGH, "write-through", NULL },
	{ PTE_NOCACHE, "uncached", NULL },
	{ PTE_ACCESSED, "accessed", NULL },
	{ PTE_DIRTY, "dirty", NULL },
};
/* clang-format on */

static void print_flags(uint32_t flags)
{
	for (size_t i = 0; i < sizeof(flag_names) / sizeof(flag_names[0]); i++) {
		const char *name =
			flags & flag_names[i].bit ? flag_names[i].set : flag_names[i].clear;
		if (name)
			kprintf(" %s", name);
	}
}

/* ---- arguments ------------------------------------------------------------- */

/* Parses one number argument; on failure says which argument and why. */
static bool number_arg(const char *cmd, const char *what, const char *s, uint32_t *out)
{
	if (strcmp(s, LAST_FRAME_WORD) == 0) {
		if (last_frame == PMM_INVALID_PAGE)
			return fail(
				"%s: %s '.': no frame yet ('.' is the frame palloc returned last)",
				cmd, what);
		*out = last_frame;
		return true;
	}
	enum parse_status st = parse_u32_status(s, out);
	if (st != PARSE_OK)
		return fail("%s: %s '%s': %s", cmd, what, s, parse_status_name(st));
	return true;
}

/* ---- looking at the page tables --------------------------------------------- */

/* What the MMU enforces for a page: writable and user only when the PDE and
 * the PTE both allow it; the other bits are the PTE's own. */
static uint32_t effective_flags(pte_t pde, pte_t pte)
{
	const uint32_t both = PTE_WRITABLE | PTE_USER;
	return (pte & PTE_FLAGS_MASK & ~both) | (pde & pte & both);
}

static pte_t active_pde(vaddr_t virt)
{
	return arch_pd_view(arch_active_pd())[pde_index(virt)];
}

/* virt as the MMU sees it: false when unmapped; else its physical address
 * and effective flags.  Nothing is touched but the tables themselves. */
static bool lookup(vaddr_t virt, paddr_t *phys, uint32_t *flags)
{
	uint32_t pte_flags;
	if (vmm_query(virt, phys, &pte_flags) != VMM_OK)
		return false;
	*flags = effective_flags(active_pde(virt), pte_flags);
	return true;
}

static uint32_t page_base(uint32_t addr)
{
	return addr & ~PAGE_OFFSET_MASK;
}

static bool has_page_table(vaddr_t virt)
{
	return (active_pde(virt) & PTE_PRESENT) != 0;
}

/* `error: CMD 0x...: not mapped (why)`, the why naming which level is missing. */
static bool fail_not_mapped(const char *cmd, vaddr_t virt)
{
	const char *status = status_name(VMM_ERR_NOT_MAPPED);
	if (virt < LAYOUT_NULL_PAGE_END)
		return fail("%s 0x%08X: %s (page 0 stays unmapped so NULL faults)", cmd, virt,
			    status);
	if (!has_page_table(virt)) {
		vaddr_t base = pde_base(pde_index(virt));
		return fail("%s 0x%08X: %s (no page table for 0x%08X-0x%08X)", cmd, virt, status,
			    base, base + (PT_ENTRIES * PAGE_SIZE - 1));
	}
	return fail("%s 0x%08X: %s (its page-table entry is empty)", cmd, virt, status);
}

/* ---- commands: memory ------------------------------------------------------- */

static void cmd_mem(char **args, int nargs)
{
	(void)args, (void)nargs;
	struct pmm_stats st;
	pmm_get_stats(&st);
	kprintf("pmm: %u frames of usable RAM (%u KiB), %u free, %u reserved at boot\n",
		st.total_frames, st.total_frames << (PAGE_SHIFT - KIB_SHIFT), st.free_frames,
		st.reserved_frames);
	kprintf("pmm: frame records take %u bytes; frames tracked up to 0x%08X\n", st.record_bytes,
		pfn_to_paddr(st.highest_frame));
	const struct memmap *map = &boot_info.memmap;
	kprintf("Multiboot memory map, %u entries (ends inclusive):\n", map->entry_count);
	for (uint32_t i = 0; i < map->entry_count; i++) {
		const struct memmap_entry *e = &map->entries[i];
		if (!e->length) {
			kprintf("  0x%016llX (empty) %s\n", (unsigned long long)e->base,
				memmap_type_name(e->type));
			continue;
		}
		kprintf("  0x%016llX-0x%016llX %-18s %llu KiB\n", (unsigned long long)e->base,
			(unsigned long long)(e->base + e->length - 1), memmap_type_name(e->type),
			(unsigned long long)(e->length >> KIB_SHIFT));
	}
	if (map->entries_dropped)
		kprintf("  ... %u more entries not kept\n", map->entries_dropped);
}

/* A run of pages whose virtual and physical addresses both go on by one page
 * at a time, with equal flags. */
struct run {
	vaddr_t virt;
	paddr_t phys;
	uint32_t pages;
	uint32_t flags;
};

static bool run_extends(const struct run *r, vaddr_t va, paddr_t pa, uint32_t flags)
{
	uint64_t size = (uint64_t)r->pages * PAGE_SIZE;
	return r->pages && r->flags == flags && (uint64_t)r->virt + size == va &&
	       (uint64_t)r->phys + size == pa;
}

static void run_print(const struct run *r)
{
	kprintf("  0x%08X-0x%08X -> 0x%08X %6u page%s", r->virt,
		(uint32_t)(r->virt + (uint64_t)r->pages * PAGE_SIZE - 1), r->phys, r->pages,
		r->pages == 1 ? " " : "s");
	print_flags(r->flags);
	kprintf("\n");
}

struct vmmap_walk {
	struct run run;
	uint32_t ranges, pages;
};

static bool vmmap_page(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	struct vmmap_walk *w = ctx;
	paddr_t pa = *pte & PTE_FRAME_MASK;
	uint32_t flags = effective_flags(pde, *pte) & VMMAP_FLAGS;
	w->pages++;
	if (run_extends(&w->run, va, pa, flags)) {
		w->run.pages++;
		return true;
	}
	if (w->run.pages) {
		run_print(&w->run);
		w->ranges++;
	}
	w->run = (struct run){va, pa, 1, flags};
	return true;
}

/* ---- processes ---------------------------------------------------------------- */

/* The process a PID argument names, one that still has its memory; NULL
 * after one error line (junk, no such process, or a zombie, which has
 * exited and holds nothing but its exit status). */
static struct proc *pid_arg(const char *cmd, const char *s)
{
	uint32_t pid;
	enum parse_status st = parse_u32_status(s, &pid);
	if (st != PARSE_OK) {
		fail("%s: pid '%s': %s", cmd, s, parse_status_name(st));
		return NULL;
	}
	struct proc *p = pid && pid <= INT32_MAX ? proc_find((int32_t)pid) : NULL;
	if (!p) {
		fail("%s %u: no such process (ESRCH; ps lists them)", cmd, pid);
		return NULL;
	}
	if (p->state == PROC_ZOMBIE || !p->as) {
		fail("%s %u: pid %u (%s) is a zombie: it has exited, nothing is left but its "
		     "exit status",
		     cmd, pid, pid, p->name);
		return NULL;
	}
	return p;
}

static const char *proc_state_name(enum proc_state state)
{
	switch (state) {
	case PROC_RUNNABLE: return "runnable";
	case PROC_RUNNING: return "running";
	case PROC_SLEEPING: return "sleeping";
	case PROC_ZOMBIE: return "zombie";
	case PROC_UNUSED: break;
	}
	return "unused";
}

/* ---- looking at an address space ---------------------------------------------- */

static void flush_run(struct vmmap_walk *w)
{
	if (w->run.pages) {
		run_print(&w->run);
		w->ranges++;
	}
}

/* Every present page of the active space, the recursive window included (its
 * "pages" are the page tables themselves), straight from the tables the MMU
 * uses. */
static void vmmap_active(void)
{
	struct vmmap_walk w = {0};
	kprintf("vmmap: virtual (inclusive) -> physical, pages, effective flags\n");
	vmm_walk(aspace_current(), 0, 0, vmmap_page, &w);
	flush_run(&w);
	uint32_t tables = 0;
	const pte_t *pd = arch_pd_view(arch_active_pd());
	for (uint32_t pdi = 0; pdi < PT_ENTRIES; pdi++)
		tables += (pd[pdi] & PTE_PRESENT) != 0;
	kprintf("vmmap: %u ranges, %u pages, %u present page-directory entries\n", w.ranges,
		w.pages, tables);
}

/* One region as /proc/PID/maps shows it: range, rwx and private or shared,
 * file offset, backing. */
static void region_print(const struct region *r)
{
	kprintf("  0x%08X-0x%08X %c%c%c%c 0x%08llX %s%s\n", r->start, r->end - 1,
		r->flags & REGION_READ ? 'r' : '-', r->flags & REGION_WRITE ? 'w' : '-',
		r->flags & REGION_EXEC ? 'x' : '-', r->flags & REGION_SHARED ? 's' : 'p',
		(unsigned long long)r->pgoff << PAGE_SHIFT, r->file ? "file" : "anon",
		r->flags & REGION_GROWSDOWN ? " grows-down" : "");
}

/* A process's space, active or not: what its regions allow, then what its
 * page tables hold now (the user part only; the kernel part is the same in
 * every space and `vmmap` alone shows it). */
static void vmmap_process(struct proc *p)
{
	struct aspace *as = p->as;
	kprintf("vmmap: pid %d (%s) regions: start-end (inclusive), protection, offset, "
		"backing\n",
		p->pid, p->name);
	uint32_t regions = 0;
	for (struct region *r = region_next(&as->regions, 0); r;
	     r = region_next(&as->regions, r->end)) {
		region_print(r);
		regions++;
	}
	kprintf("vmmap: pid %d (%s) resident pages: virtual (inclusive) -> physical, pages, "
		"effective flags\n",
		p->pid, p->name);
	struct vmmap_walk w = {0};
	vmm_walk(as, LAYOUT_USER_START, LAYOUT_USER_END, vmmap_page, &w);
	flush_run(&w);
	struct aspace_pages n = {0, 0, 0};
	aspace_page_counts(as, &n);
	kprintf("vmmap: pid %d: %u regions, %u ranges, %u resident pages (%u shared, %u "
		"private)\n",
		p->pid, regions, w.ranges, n.resident, n.shared, n.private_pages);
}

static void cmd_vmmap(char **args, int nargs)
{
	if (nargs == 0) {
		vmmap_active();
		return;
	}
	struct proc *p = pid_arg("vmmap", args[0]);
	if (p)
		vmmap_process(p);
}

struct one_page {
	bool found;
	pte_t pte, pde;
};

static bool take_page(vaddr_t va, pte_t *pte, pte_t pde, void *ctx)
{
	(void)va;
	struct one_page *o = ctx;
	*o = (struct one_page){true, *pte, pde};
	return false;
}

/* translate PID ADDR: the same walk as vmmap, over one page of that
 * process's space. */
static void translate_in(struct proc *p, vaddr_t virt)
{
	struct one_page o = {false, 0, 0};
	vaddr_t page = page_base(virt);
	vmm_walk(p->as, page, page + PAGE_SIZE, take_page, &o);
	if (!o.found) {
		struct region *r = va_is_user(virt) ? region_find(&p->as->regions, virt) : NULL;
		if (r)
			fail("translate %d 0x%08X: %s (not resident yet: its region 0x%08X-0x%08X "
			     "fills it in on the first touch)",
			     p->pid, virt, status_name(VMM_ERR_NOT_MAPPED), r->start, r->end - 1);
		else
			fail("translate %d 0x%08X: %s (no region of pid %d holds it)", p->pid, virt,
			     status_name(VMM_ERR_NOT_MAPPED), p->pid);
		return;
	}
	paddr_t phys = (o.pte & PTE_FRAME_MASK) | (virt & PAGE_OFFSET_MASK);
	kprintf("translate: pid %d 0x%08X -> 0x%08X (pde %u, pte %u;", p->pid, virt, phys,
		pde_index(virt), pte_index(virt));
	print_flags(effective_flags(o.pde, o.pte));
	kprintf("; frame references %u)\n", pmm_frame_refs(phys & ~PAGE_OFFSET_MASK));
}

static void cmd_translate(char **args, int nargs)
{
	uint32_t virt;
	if (nargs == 2) {
		struct proc *p = pid_arg("translate", args[0]);
		if (p && number_arg("translate", "address", args[1], &virt))
			translate_in(p, virt);
		return;
	}
	if (!number_arg("translate", "address", args[0], &virt))
		return;
	paddr_t phys;
	uint32_t flags;
	if (!lookup(virt, &phys, &flags)) {
		fail_not_mapped("translate", virt);
		return;
	}
	kprintf("translate: 0x%08X -> 0x%08X (pde %u, pte %u;", virt, phys, pde_index(virt),
		pte_index(virt));
	print_flags(flags);
	kprintf(")\n");
}

/* Options after `map VIRT PHYS`: rw or ro (default rw), and user. */
static bool map_options(char **args, int n, uint32_t *flags)
{
	bool access_given = false, user_given = false;
	*flags = PTE_WRITABLE;
	for (int i = 0; i < n; i++) {
		bool rw = strcmp(args[i], "rw") == 0, ro = strcmp(args[i], "ro") == 0;
		if (rw || ro) {
			if (access_given)
				return fail("map: '%s': rw or ro may be given once", args[i]);
			access_given = true;
			*flags = ro ? 0 : PTE_WRITABLE;
		} else if (strcmp(args[i], "user") == 0) {
			if (user_given)
				return fail("map: 'user' given twice");
			user_given = true;
		} else {
			return fail("map: unknown option '%s' (rw, ro or user)", args[i]);
		}
	}
	if (user_given)
		*flags |= PTE_USER;
	return true;
}

static void cmd_map(char **args, int nargs)
{
	uint32_t virt, phys, flags;
	if (!number_arg("map", "virtual address", args[0], &virt) ||
	    !number_arg("map", "physical address", args[1], &phys) ||
	    !map_options(args + 2, nargs - 2, &flags))
		return;
	const char *why = monitor_virt_refusal(virt);
	if (!why && !page_aligned(phys))
		why = "physical address not page-aligned (4 KiB)";
	int rc = why ? VMM_ERR_INVALID : vmm_map_page(virt, phys, flags);
	if (rc == VMM_ERR_INVALID && !why)
		why = monitor_frame_refusal(phys);
	if (rc != VMM_OK) {
		fail("map 0x%08X 0x%08X: %s%s%s", virt, phys, status_name(rc), why ? ": " : "",
		     why ? why : "");
		return;
	}
	kprintf("map: 0x%08X -> 0x%08X", virt, phys);
	print_flags(flags);
	kprintf("\n");
}

static void cmd_unmap(char **args, int nargs)
{
	(void)nargs;
	uint32_t virt;
	if (!number_arg("unmap", "virtual address", args[0], &virt))
		return;
	const char *why = monitor_virt_refusal(virt);
	if (why) {
		fail("unmap 0x%08X: %s: %s", virt, status_name(VMM_ERR_INVALID), why);
		return;
	}
	paddr_t phys;
	if (vmm_translate(virt, &phys) != VMM_OK) {
		fail_not_mapped("unmap", virt);
		return;
	}
	int rc = vmm_unmap_page(virt);
	if (rc != VMM_OK) {
		fail("unmap 0x%08X: %s", virt, status_name(rc));
		return;
	}
	kprintf("unmap: 0x%08X (was 0x%08X)", virt, phys);
	if (pmm_frame_state(phys) == FRAME_ALLOCATED && pmm_frame_refs(phys) == 0)
		kprintf("; the frame is still allocated (pfree 0x%08X)", phys);
	kprintf("\n");
}

static void cmd_palloc(char **args, int nargs)
{
	(void)args, (void)nargs;
	paddr_t pa = pmm_alloc_page();
	if (pa == PMM_INVALID_PAGE) {
		fail("palloc: %s", status_name(PMM_ERR_NO_MEMORY));
		return;
	}
	last_frame = pa;
	kprintf("palloc: frame 0x%08X ('.' from now on), %u frames free\n", pa, pmm_free_count());
}

static void cmd_pfree(char **args, int nargs)
{
	(void)nargs;
	uint32_t pa;
	if (!number_arg("pfree", "frame", args[0], &pa))
		return;
	int rc = pmm_free_page(pa);
	if (rc != PMM_OK) {
		fail("pfree 0x%08X: %s (frame state: %s, %u mapping(s))", pa, status_name(rc),
		     pmm_state_name(pmm_frame_state(page_base(pa))), pmm_frame_refs(page_base(pa)));
		return;
	}
	kprintf("pfree: frame 0x%08X, %u frames free\n", pa, pmm_free_count());
}

struct heap_listing {
	uint32_t shown, hidden;
};

static void heap_list_block(void *payload, size_t size, enum heap_block_state state, void *ctx)
{
	struct heap_listing *l = ctx;
	if (l->shown == HEAP_LIST_MAX) {
		l->hidden++;
		return;
	}
	l->shown++;
	kprintf("  0x%08X %-7s %u bytes\n", (uint32_t)(uintptr_t)payload,
		heap_block_state_name(state), (uint32_t)size);
}

static void cmd_heap(char **args, int nargs)
{
	(void)args, (void)nargs;
	struct heap_stats st;
	heap_get_stats(&st);
	kprintf("heap: %u pages at 0x%08X; blocks: %u live (%u bytes), %u free (%u bytes), "
		"%u cached (%u bytes); %u errors detected\n",
		st.mapped_pages, LAYOUT_HEAP_START, st.live_blocks, st.used_bytes, st.free_blocks,
		st.free_bytes, st.cached_blocks, st.cached_bytes, st.errors_detected);
	struct heap_listing listing = {0, 0};
	heap_for_each_block(heap_list_block, &listing);
	if (listing.hidden)
		kprintf("  ... %u more\n", listing.hidden);
}

/* ---- commands: memory words --------------------------------------------------- */

static void cmd_peek(char **args, int nargs)
{
	uint32_t addr, count = 1;
	if (!number_arg("peek", "address", args[0], &addr) ||
	    (nargs > 1 && !number_arg("peek", "count", args[1], &count)))
		return;
	if (count == 0 || count > PEEK_MAX_WORDS) {
		fail("peek: count %u: must be 1 to %u words", count, (uint32_t)PEEK_MAX_WORDS);
		return;
	}
	if (addr % WORD_SIZE) {
		fail("peek 0x%08X: %s: address not 4-byte aligned", addr,
		     status_name(VMM_ERR_INVALID));
		return;
	}
	uint64_t end = (uint64_t)addr + (uint64_t)count * WORD_SIZE;
	if (end > ADDRESS_SPACE_END) {
		fail("peek 0x%08X: %u words run past 0xFFFFFFFF", addr, count);
		return;
	}
	/* Every page the words touch, before the first read: a fault here
	 * would take the kernel down, not just the command. */
	for (uint64_t page = page_base(addr); page < end; page += PAGE_SIZE) {
		paddr_t pa;
		uint32_t flags;
		if (!lookup((vaddr_t)page, &pa, &flags)) {
			fail_not_mapped("peek", (vaddr_t)page);
			return;
		}
	}
	const volatile uint32_t *words = (const volatile uint32_t *)(uintptr_t)addr;
	for (uint32_t i = 0; i < count; i++) {
		if (i % PEEK_WORDS_PER_LINE == 0)
			kprintf("%s0x%08X:", i ? "\n" : "", addr + i * WORD_SIZE);
		kprintf(" 0x%08X", words[i]);
	}
	kprintf("\n");
}

static void cmd_poke(char **args, int nargs)
{
	(void)nargs;
	uint32_t addr, value;
	if (!number_arg("poke", "address", args[0], &addr) ||
	    !number_arg("poke", "value", args[1], &value))
		return;
	if (addr % WORD_SIZE) {
		fail("poke 0x%08X: %s: address not 4-byte aligned", addr,
		     status_name(VMM_ERR_INVALID));
		return;
	}
	paddr_t pa;
	uint32_t flags;
	if (!lookup(addr, &pa, &flags)) {
		fail_not_mapped("poke", addr);
		return;
	}
	const char *why = monitor_poke_refusal(addr, pa, flags);
	if (why) {
		fail("poke 0x%08X: refused: %s", addr, why);
		return;
	}
	volatile uint32_t *word = (volatile uint32_t *)(uintptr_t)addr;
	uint32_t old = *word;
	*word = value;
	kprintf("poke: 0x%08X: 0x%08X (was 0x%08X)\n", addr, *word, old);
}

/* ---- commands: processes ------------------------------------------------------ */

/* Starts PATH and waits for it, giving the CPU to every runnable process
 * meanwhile (the monitor runs in the kernel's context, which is the
 * scheduler).  Typed input is not taken while it waits: a line the program
 * reads goes to the program, and what it leaves reaches the prompt after. */
static void cmd_run(char **args, int nargs)
{
	const char *path = args[0];
	char text[ERRNO_TEXT];
	int32_t pid = init_spawn(path, (const char *const *)(args + 1), (uint32_t)(nargs - 1));
	if (pid < 0) {
		const char *why = NULL;
		if (pid == -LINUX_ENOEXEC)
			why = exec_last_reason();
		else if (pid == -LINUX_EACCES)
			why = "not an executable regular file";
		else if (pid == -LINUX_ENOENT && !vfs_have_root())
			why = "no root file system";
		fail("run %s: %s%s%s", path, errno_name(pid, text, sizeof(text)), why ? ": " : "",
		     why ? why : "");
		return;
	}
	uint32_t status = 0;
	for (;;) {
		int32_t r = proc_wait(pid, &status, LINUX_WNOHANG);
		if (r == pid)
			break;
		if (r < 0) {
			fail("run %s: pid %d: %s", path, pid, errno_name(r, text, sizeof(text)));
			return;
		}
		if (!sched_run_once())
			sched_idle(false);
	}
	if (LINUX_WIFEXITED(status))
		kprintf("run: %s exited with status %u\n", path, LINUX_WEXITSTATUS(status));
	else
		kprintf("run: %s killed by %s\n", path, signal_name((int)LINUX_WTERMSIG(status)));
}

static void cmd_ps(char **args, int nargs)
{
	(void)args, (void)nargs;
	uint32_t n = proc_count();
	kprintf("ps: %u process%s; user pages, shared when their frame has more than one "
		"reference\n",
		n, n == 1 ? "" : "es");
	kprintf("    PID  PPID STATE     NAME            RESIDENT SHARED PRIVATE\n");
	for (uint32_t i = 0; i < PROC_MAX; i++) {
		struct proc *p = proc_at(i);
		if (!p)
			continue;
		kprintf("  %5d %5d %-9s %-15s", p->pid, p->parent ? p->parent->pid : 0,
			proc_state_name(p->state), p->name);
		struct aspace_pages pages;
		if (p->as && aspace_page_counts(p->as, &pages) == VMM_OK)
			kprintf(" %8u %6u %7u\n", pages.resident, pages.shared,
				pages.private_pages);
		else
			kprintf(" %8s %6s %7s\n", "-", "-", "-");
	}
}

static bool has_ended(int32_t pid)
{
	const struct proc *p = proc_find(pid);
	return !p || p->state == PROC_ZOMBIE;
}

/* SIGKILL, as Linux's `kill -9`.  The process dies on its way back to ring
 * 3; kill gives the CPU away until then (a second at most), so its reply
 * can say the process is gone. */
static void cmd_kill(char **args, int nargs)
{
	(void)nargs;
	struct proc *p = pid_arg("kill", args[0]);
	if (!p)
		return;
	int32_t pid = p->pid;
	char name[PROC_NAME_LEN];
	memcpy(name, p->name, sizeof(name));
	char text[ERRNO_TEXT];
	int rc = proc_kill(pid, LINUX_SIGKILL);
	if (rc) {
		fail("kill %d: %s", pid, errno_name(rc, text, sizeof(text)));
		return;
	}
	uint32_t start = pit_ticks();
	while (!has_ended(pid) && pit_ticks() - start < KILL_WAIT_TICKS)
		if (!sched_run_once())
			sched_idle(false);
	if (has_ended(pid))
		kprintf("kill: pid %d (%s) ended by SIGKILL\n", pid, name);
	else
		kprintf("kill: pid %d (%s): SIGKILL sent; it has not ended yet\n", pid, name);
}

/* ---- commands: the machine -------------------------------------------------- */

static void cmd_check(char **args, int nargs)
{
	(void)args, (void)nargs;
	/* Both run even when the first fails: each prints its own finding. */
	bool vm_ok = vm_check();
	bool heap_ok = heap_check();
	if (vm_ok && heap_ok)
		kprintf("check: OK (page tables, frame records and heap agree)\n");
	else
		kprintf("check: FAILED:%s%s\n", vm_ok ? "" : " vm_check",
			heap_ok ? "" : " heap_check");
}

static void cmd_ticks(char **args, int nargs)
{
	(void)args, (void)nargs;
	uint32_t t = pit_ticks();
	kprintf("ticks: %u (%u.%02u s at %u Hz)\n", t, t / PIT_HZ, (t % PIT_HZ) * 100 / PIT_HZ,
		PIT_HZ);
}

/* Whether anything is mapped in the tests' scratch region (a page table
 * there is enough: the VMM frees empty ones). */
static bool test_scratch_in_use(void)
{
	for (vaddr_t va = LAYOUT_TEST_SCRATCH; va < LAYOUT_TEST_SCRATCH_END;
	     va += PT_ENTRIES * PAGE_SIZE)
		if (has_page_table(va))
			return true;
	return false;
}

static void cmd_ktest(char **args, int nargs)
{
	(void)args, (void)nargs;
	if (test_scratch_in_use()) {
		fail("ktest: the scratch region 0x%08X-0x%08X holds mappings the cases would "
		     "remove",
		     LAYOUT_TEST_SCRATCH, LAYOUT_TEST_SCRATCH_END - 1);
		return;
	}
	int failures = ktest_run_all(NULL);
	if (failures)
		kprintf("ktest: %d case(s) FAILED\n", failures);
	else
		kprintf("ktest: all cases passed\n");
}

static void cmd_reboot(char **args, int nargs)
{
	(void)args, (void)nargs;
	kprintf("reboot: pulsing the keyboard controller's reset line\n");
	arch_reset_keyboard_controller();
	kprintf("reboot: no reset from the 8042; forcing a triple fault\n");
	arch_triple_fault();
}

static void cmd_halt(char **args, int nargs)
{
	(void)args, (void)nargs;
	kprintf("halt: CPU stopped (QEMU with isa-debug-exit exits with the pass code)\n");
	qemu_exit(QEMU_EXIT_PASS);
	cpu_halt_forever();
}

/* ---- the command table ------------------------------------------------------ */

struct command {
	const char *name;
	uint8_t min_args, max_args;
	void (*run)(char **args, int nargs); /* args: the words after the name */
	const char *usage;		     /* the arguments, as help shows them */
	const char *help;
};

static void cmd_help(char **args, int nargs);

static const struct command commands[] = {
	{"help", 0, 0, cmd_help, "", "this list"},
	{"mem", 0, 0, cmd_mem, "", "frame totals and the Multiboot memory map"},
	{"vmmap", 0, 1, cmd_vmmap, "[PID]", "mappings in ranges (PID: regions, pages)"},
	{"translate", 1, 2, cmd_translate, "[PID] ADDR", "virtual -> physical, with flags"},
	{"map", 2, 4, cmd_map, "VIRT PHYS [rw|ro] [user]", "map one page (default rw)"},
	{"unmap", 1, 1, cmd_unmap, "VIRT", "remove one page's mapping"},
	{"palloc", 0, 0, cmd_palloc, "", "allocate a frame; '.' names it"},
	{"pfree", 1, 1, cmd_pfree, "ADDR", "free a frame palloc gave"},
	{"heap", 0, 0, cmd_heap, "", "heap statistics and blocks"},
	{"peek", 1, 2, cmd_peek, "ADDR [COUNT]",
	 "read COUNT words (at most " STR(PEEK_MAX_WORDS) ")"},
	{"poke", 2, 2, cmd_poke, "ADDR VALUE", "write one word"},
	{"check", 0, 0, cmd_check, "", "vm_check() and heap_check()"},
	{"run", 1, MAX_WORDS - 1, cmd_run, "PATH [ARG...]", "run a program, wait for its end"},
	{"ps", 0, 0, cmd_ps, "", "processes and their user pages"},
	{"kill", 1, 1, cmd_kill, "PID", "end a process (SIGKILL)"},
	{"ticks", 0, 0, cmd_ticks, "", "timer ticks since boot"},
	{"ktest", 0, 0, cmd_ktest, "", "run the in-kernel test suite"},
	{"reboot", 0, 0, cmd_reboot, "", "reset the machine"},
	{"halt", 0, 0, cmd_halt, "", "stop the CPU (ends a QEMU test: pass)"},
};
#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

static void cmd_help(char **args, int nargs)
{
	(void)args, (void)nargs;
	for (size_t i = 0; i < COMMAND_COUNT; i++) {
		char synopsis[HELP_COLUMN + 1];
		ksnprintf(synopsis, sizeof(synopsis), "%s %s", commands[i].name, commands[i].usage);
		kprintf(HELP_FORMAT(HELP_COLUMN), synopsis, commands[i].help);
	}
	kprintf("Numbers are decimal or 0x hex; '.' is the frame palloc returned last.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < COMMAND_COUNT; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static void run_line(const char *line)
{
	char buf[LINE_MAX_LEN + 1];
	char *words[MAX_WORDS];
	size_t len = strlen(line);
	memcpy(buf, line, len + 1);
	size_t n = parse_words(buf, words, MAX_WORDS);
	if (n == 0)
		return;
	const struct command *cmd = find_command(words[0]);
	if (!cmd) {
		fail("unknown command '%s' (help lists them)", words[0]);
		return;
	}
	size_t nargs = n - 1;
	if (nargs < cmd->min_args || nargs > cmd->max_args) {
		fail("%s: too %s arguments (usage: %s%s%s)", cmd->name,
		     nargs < cmd->min_args ? "few" : "many", cmd->name, *cmd->usage ? " " : "",
		     cmd->usage);
		return;
	}
	cmd->run(words + 1, (int)nargs);
}

/* ---- input ---------------------------------------------------------------- */

static void echo_to_consoles(const char *s, size_t len, void *ctx)
{
	(void)ctx;
	for (size_t i = 0; i < len; i++)
		console_putc(s[i]);
}

void monitor_start(void)
{
	for (int i = 0; i < MONITOR_SOURCES; i++)
		line_editor_init(&editors[i], echo_to_consoles, NULL);
	started = true;
	kprintf("Monitor: type 'help' for commands (keyboard or serial)\n");
	console_write(MONITOR_PROMPT);
}

void monitor_input(char c, int source)
{
	if (!started) {
		console_putc(c == '\r' ? '\n' : c);
		return;
	}
	if (source < 0 || source >= MONITOR_SOURCES)
		return;
	struct line_editor *ed = &editors[source];
	switch (line_editor_feed(ed, c)) {
	case LINE_PENDING: return;
	case LINE_READY: run_line(line_editor_line(ed)); break;
	case LINE_TOO_LONG:
		fail("line too long (%u characters, at most %u); nothing was run",
		     (uint32_t)line_editor_typed(ed), LINE_MAX_LEN);
		break;
	case LINE_LOST:
		fail("%u character(s) of this line were lost (typed faster than the monitor "
		     "reads); nothing was run",
		     (uint32_t)line_editor_lost(ed));
		break;
	case LINE_CANCELLED: break;
	}
	console_write(MONITOR_PROMPT);
}

void monitor_input_lost(int source, unsigned count)
{
	if (!started) {
		kprintf("\ninput: %u character(s) lost (the input queue was full)\n", count);
		return;
	}
	if (source >= 0 && source < MONITOR_SOURCES)
		line_editor_input_lost(&editors[source], count);
}
