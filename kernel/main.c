/* kernel_main: the boot order of SPEC section 1, one step per line. */
#include <stddef.h>

#include "arch/cpu.h"
#include "arch/cpu_features.h"
#include "arch/fpu.h"
#include "arch/gdt.h"
#include "arch/multiboot.h"
#include "arch/paging.h"
#include "arch/pic.h"
#include "arch/pit.h"
#include "arch/trap.h"
#include "drivers/console.h"
#include "drivers/input.h"
#include "drivers/keyboard.h"
#include "drivers/serial.h"
#include "drivers/vga.h"
#include "kernel/boot.h"
#include "kernel/init.h"
#include "kernel/vfs.h"
#include "kernel/monitor.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/scenario.h"
#include "kernel/sched.h"
#include "kernel/tty.h"
#include "lib/cmdline.h"
#include "uapi/linux_abi.h"
#include "lib/string.h"
#include "mm/fault.h"
#include "mm/heap.h"
#include "arch/layout.h"
#include "mm/pmm.h"
#include "mm/vmm.h"

#define BOOT_HEAP_PAGES	 4
#define BOOT_TIMER_TICKS 3

extern const char __kernel_start[], __kernel_end[];

struct boot_info boot_info;
uint64_t boot_tsc_before_timer_wait;

static void copy_cmdline(const struct multiboot_info *mbi)
{
	if (!(mbi->flags & MULTIBOOT_INFO_CMDLINE) || !mbi->cmdline)
		return;
	const char *src = (const char *)(uintptr_t)mbi->cmdline;
	size_t n = 0;
	while (n < CMDLINE_MAX - 1 && src[n]) {
		boot_info.cmdline[n] = src[n];
		n++;
	}
	boot_info.cmdline[n] = '\0';
	if (src[n])
		kprintf("Command line: longer than %u characters; the rest is ignored\n",
			CMDLINE_MAX - 1);
	kprintf("Command line: %s\n", boot_info.cmdline);
}

static void add_reservation(struct pmm_reservation *res, uint32_t *n, uint32_t start, uint32_t end,
			    enum frame_state state, const char *what)
{
	if (*n == PMM_MAX_RESERVATIONS)
		kernel_panic("too many boot reservations (%u); cannot protect %s",
			     PMM_MAX_RESERVATIONS, what);
	res[(*n)++] = (struct pmm_reservation){start, end, state, what};
}

static size_t string_size(uint32_t addr)
{
	return addr ? strlen((const char *)(uintptr_t)addr) + 1 : 0;
}

/* Everything the PMM must never hand out: low memory, the kernel, and every
 * byte the boot loader gave us that we still read. */
static uint32_t collect_reservations(const struct multiboot_info *mbi, struct pmm_reservation *res)
{
	uint32_t n = 0;
	uint32_t mbi_addr = (uint32_t)(uintptr_t)mbi;
	add_reservation(res, &n, 0, LAYOUT_LOW_MEMORY_END, FRAME_RESERVED, "first MiB");
	add_reservation(res, &n, (uint32_t)__kernel_start, (uint32_t)__kernel_end, FRAME_KERNEL,
			"kernel image");
	add_reservation(res, &n, mbi_addr, mbi_addr + sizeof(*mbi), FRAME_RESERVED,
			"multiboot info");
	add_reservation(res, &n, mbi->mmap_addr, mbi->mmap_addr + mbi->mmap_length, FRAME_RESERVED,
			"memory map");
	if (mbi->flags & MULTIBOOT_INFO_CMDLINE)
		add_reservation(res, &n, mbi->cmdline, mbi->cmdline + string_size(mbi->cmdline),
				FRAME_RESERVED, "command line");
	if ((mbi->flags & MULTIBOOT_INFO_MODS) && mbi->mods_count) {
		const struct multiboot_module *mods =
			(const struct multiboot_module *)(uintptr_t)mbi->mods_addr;
		add_reservation(res, &n, mbi->mods_addr,
				mbi->mods_addr + mbi->mods_count * sizeof(*mods), FRAME_RESERVED,
				"module list");
		for (uint32_t i = 0; i < mbi->mods_count; i++) {
			add_reservation(res, &n, mods[i].mod_start, mods[i].mod_end, FRAME_RESERVED,
					"module");
			if (mods[i].string)
				add_reservation(res, &n, mods[i].string,
						mods[i].string + string_size(mods[i].string),
						FRAME_RESERVED, "module name");
		}
		for (uint32_t i = 0; i < mbi->mods_count && i < BOOT_MAX_MODULES; i++) {
			uint32_t size = mods[i].mod_end > mods[i].mod_start
						? mods[i].mod_end - mods[i].mod_start
						: 0;
			boot_info.modules[boot_info.module_count++] =
				(struct boot_module){mods[i].mod_start, size, NULL};
		}
		if (mbi->mods_count > BOOT_MAX_MODULES)
			kprintf("Modules: %u loaded, the first %u are used\n", mbi->mods_count,
				BOOT_MAX_MODULES);
	}
	return n;
}

static void print_memmap(const struct memmap *map)
{
	for (uint32_t i = 0; i < map->entry_count; i++) {
		const struct memmap_entry *e = &map->entries[i];
		uint64_t end = e->base + e->length;
		const char *note = e->base >= MEMMAP_LIMIT ? " (above 4 GiB: ignored)"
				   : end > MEMMAP_LIMIT	   ? " (clipped at 4 GiB)"
							   : "";
		kprintf("  mmap 0x%016llX-0x%016llX %s%s\n", (unsigned long long)e->base,
			(unsigned long long)end, memmap_type_name(e->type), note);
	}
}

/* The frame records go below 16 MiB, where the kernel reaches them before
 * and after paging goes on.  When boot modules fill that memory they go
 * anywhere, and return true: then paging maps them where they lie until the
 * VMM maps them for good (records_to_kernel_space). */
static bool init_pmm(const struct multiboot_info *mbi)
{
	struct pmm_reservation res[PMM_MAX_RESERVATIONS];
	uint32_t n = collect_reservations(mbi, res);
	int rc = pmm_init(&boot_info.memmap, res, n, LAYOUT_IDENTITY_END);
	bool above = false;
	if (rc == PMM_ERR_NO_MEMORY) {
		rc = pmm_init(&boot_info.memmap, res, n, PMM_RECORDS_ANYWHERE);
		above = true;
	}
	if (rc != PMM_OK)
		kernel_panic("PMM init failed: %s", status_name(rc));
	return above;
}

/* Frames lent to paging for the early window's tables. */
static paddr_t early_tables[PAGING_EARLY_TABLES];

static void records_to_kernel_space(void)
{
	paddr_t pa;
	uint32_t bytes;
	pmm_records_region(&pa, &bytes);
	int rc = vmm_map_range(LAYOUT_PMM_RECORDS, pa, (bytes + PAGE_SIZE - 1) / PAGE_SIZE,
			       PTE_WRITABLE);
	if (rc != VMM_OK)
		kernel_panic("cannot map the frame records at 0x%08X: %s", LAYOUT_PMM_RECORDS,
			     status_name(rc));
	if (pmm_records_moved((void *)(uintptr_t)LAYOUT_PMM_RECORDS) != PMM_OK)
		kernel_panic("frame records: cannot move them to 0x%08X", LAYOUT_PMM_RECORDS);
	paging_drop_early_window();
	for (uint32_t i = 0; i < PAGING_EARLY_TABLES; i++)
		pmm_free_page(early_tables[i]);
	kprintf("PMM: frame records at 0x%08X (no room below 16 MiB), mapped at 0x%08X\n", pa,
		LAYOUT_PMM_RECORDS);
}

/* Gives every module a kernel-virtual address: the identity map when it
 * lies below 16 MiB, else a read-only mapping in LAYOUT_MODULES.  A module
 * that does not fit there is reported and left unused, not a panic: it is
 * the user's input. */
static void map_modules(void)
{
	vaddr_t next = LAYOUT_MODULES;
	for (uint32_t i = 0; i < boot_info.module_count; i++) {
		struct boot_module *m = &boot_info.modules[i];
		if (m->size == 0)
			continue;
		if ((uint64_t)m->phys + m->size <= LAYOUT_IDENTITY_END) {
			m->data = (const uint8_t *)(uintptr_t)m->phys;
			continue;
		}
		paddr_t first = m->phys & ~PAGE_OFFSET_MASK;
		uint32_t pages =
			(uint32_t)(((uint64_t)m->phys + m->size - first + PAGE_OFFSET_MASK) >>
				   PAGE_SHIFT);
		int rc = pages <= (LAYOUT_MODULES_END - next) / PAGE_SIZE
				 ? vmm_map_range(next, first, pages, 0)
				 : VMM_ERR_NO_MEMORY;
		if (rc != VMM_OK) {
			kprintf("Module %u: %u bytes at 0x%08X cannot be mapped (%s); ignored\n", i,
				m->size, m->phys, status_name(rc));
			m->size = 0;
			continue;
		}
		m->data = (const uint8_t *)(uintptr_t)(next + (m->phys - first));
		kprintf("Module %u: %u bytes at 0x%08X, mapped at 0x%08X\n", i, m->size, m->phys,
			next);
		next += pages * PAGE_SIZE;
	}
}

static void init_memory(const struct multiboot_info *mbi)
{
	console_writeln("PMM: parsing Multiboot memory map");
	if (!(mbi->flags & MULTIBOOT_INFO_MEM_MAP))
		kernel_panic("no Multiboot memory map (flags bit 6 clear): cannot find usable RAM");
	int rc = memmap_parse((const void *)(uintptr_t)mbi->mmap_addr, mbi->mmap_length,
			      &boot_info.memmap);
	print_memmap(&boot_info.memmap);
	if (rc != MEMMAP_OK)
		kernel_panic("Multiboot memory map unusable: %s", status_name(rc));

	bool records_above = init_pmm(mbi);
	struct pmm_stats st;
	pmm_get_stats(&st);
	kprintf("PMM: %u KiB usable, %u frames free, %u bytes of frame records\n",
		st.total_frames * 4, st.free_frames, st.record_bytes);
	if (!pmm_test_once())
		kernel_panic("PMM self-test failed");

	if (records_above) {
		paddr_t pa;
		uint32_t bytes;
		pmm_records_region(&pa, &bytes);
		for (uint32_t i = 0; i < PAGING_EARLY_TABLES; i++)
			early_tables[i] = pmm_alloc_page();
		if (!paging_set_early_window(pa, bytes, early_tables))
			kernel_panic("frame records at 0x%08X (%u bytes) cannot be mapped", pa,
				     bytes);
	}
	paging_init();
	if (!paging_test_identity_mapping())
		kernel_panic("paging self-test failed");

	vmm_init();
	mm_fault_init();
	if (records_above)
		records_to_kernel_space();
	if (!vmm_test_once())
		kernel_panic("VMM self-test failed");

	rc = heap_init(BOOT_HEAP_PAGES);
	if (rc != HEAP_OK)
		kernel_panic("heap init failed: %s (not enough RAM for %u heap pages)",
			     status_name(rc), BOOT_HEAP_PAGES);
	if (!heap_test_once())
		kernel_panic("heap self-test failed");
	map_modules();
}

static void boot_userland(void);

asmlinkage void kernel_main(uint32_t magic, const struct multiboot_info *mbi);
asmlinkage void kernel_main(uint32_t magic, const struct multiboot_info *mbi)
{
	console_register(&serial_console_driver);
	console_register(&vga_console_driver);
	console_init_all();
	console_writeln("Toyix kernel alive");

	if (magic != MULTIBOOT_BOOTLOADER_MAGIC)
		kernel_panic("not booted by a Multiboot loader: magic 0x%08X, want 0x%08X", magic,
			     MULTIBOOT_BOOTLOADER_MAGIC);
	console_writeln("Boot protocol: Multiboot OK");
	cpu_features_detect();
	cpu_features_print();

	gdt_init();
	idt_init();
	trap_set_default_handler(panic_on_exception); /* from here on, faults are reported */
	copy_cmdline(mbi);
	bool scenario = scenario_select(boot_info.cmdline);
	pic_init();

	init_memory(mbi);
	fpu_init();
	proc_init(); /* from here on, ring-3 faults end their process instead */
	init_mount_root();
	scenario_run_stage(STAGE_MEMORY_READY);

	pit_init(PIT_HZ);
	keyboard_init();
	serial_enable_input();
	console_writeln("Interrupt hardware: configured");
	scenario_run_stage(STAGE_IRQ_CONFIGURED);

	interrupts_enable();
	console_writeln("Interrupts: enabled");
	boot_tsc_before_timer_wait = cpu_features.tsc ? rdtsc() : 0;
	if (pit_wait_ticks(BOOT_TIMER_TICKS) != 0)
		kernel_panic("timer wait with interrupts off");
	console_writeln("Timer: observed 3 ticks");
	scenario_run_stage(STAGE_IDLE);
	if (!scenario)
		boot_userland();
	kernel_idle();
}

/* The first program that a plain boot started (0: none, or reaped): the
 * kernel is its parent, so the idle loop waits for it. */
static int32_t boot_init_pid;

/* As Linux does, a root file system's /init (or init=) runs at once and
 * has the console: typed keys are its terminal's.  The monitor has the
 * console instead when there is no root file system, when the command
 * line has the word `monitor` (then init runs beside it, started first so
 * its line comes before the prompt), and once init has ended. */
static void boot_userland(void)
{
	bool monitor = cmdline_has_word(boot_info.cmdline, "monitor");
	if (vfs_have_root()) {
		int32_t pid = init_start_from_cmdline();
		if (pid > 0) {
			boot_init_pid = pid;
			if (!monitor) {
				kernel_note("the console is init's; the monitor comes when init "
					    "ends (or boot with the word 'monitor')");
				tty_own_console(true);
				return;
			}
		}
	}
	monitor_start();
}

/* Reaps the boot's init when it has ended, so it leaves no zombie, and
 * gives the console to the monitor if init had it. */
static void reap_boot_init(void)
{
	uint32_t status;
	if (boot_init_pid <= 0 || proc_wait(boot_init_pid, &status, LINUX_WNOHANG) != boot_init_pid)
		return;
	boot_init_pid = 0;
	if (LINUX_WIFEXITED(status))
		kernel_note("init exited with status %u", LINUX_WEXITSTATUS(status));
	else
		kernel_note("init killed by %s", signal_name((int)LINUX_WTERMSIG(status)));
	if (tty_owns_console()) {
		tty_own_console(false);
		monitor_start();
	}
}

/* The kernel's own context between processes: typed input goes to the
 * terminal when init has the console, else to the monitor unless a
 * process is waiting to read it; then runnable processes get the CPU one
 * slice at a time, and with nothing to do the CPU halts until an interrupt
 * (sched_idle checks and halts as one step). */
void kernel_idle(void)
{
	for (;;) {
		if (tty_owns_console()) {
			tty_take_input();
		} else {
			/* A process waiting in read() takes typed lines; the
			 * monitor gets them otherwise. */
			struct input_event ev;
			while (!sched_input_wanted() && input_pop(&ev)) {
				kernel_handle_input(ev.c, ev.source);
				for (int src = 0; src < INPUT_SOURCES; src++)
					if (ev.lost_after[src])
						monitor_input_lost(src, ev.lost_after[src]);
			}
		}
		reap_boot_init();
		if (!sched_run_once())
			sched_idle(tty_owns_console() || !sched_input_wanted());
	}
}

void kernel_handle_input(char c, int source)
{
	monitor_input(c, source);
}
