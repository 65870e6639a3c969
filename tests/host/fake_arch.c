/* The fake machine behind host tests; see fake_arch.h for what it models. */
#include "fake_arch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "drivers/console.h"
#include "kernel/panic.h"
#include "lib/format.h"
#include "lib/string.h"
#include "arch/layout.h"

#define RAM_MAX	     (1ull << 32)
#define NO_DIRECTORY 0xFFFFFFFFu
#define LINE_MAX_LEN 512
#define LOG_MAX	     (64u * 1024u)

static uint8_t *ram;
static uint64_t ram_size;
static uint64_t direct_limit = LAYOUT_IDENTITY_END;
static paddr_t directory = NO_DIRECTORY;

static vaddr_t flush_log[FAKE_LOG_SIZE];
static unsigned flush_count;
static bool user_flushed; /* arch_tlb_flush_user() since the last reset */
static uint32_t pde_log[FAKE_LOG_SIZE];
static unsigned pde_count;

static bool quiet;
static char line[LINE_MAX_LEN];
static size_t line_len;
static char last_line[LINE_MAX_LEN];
static char log_buf[LOG_MAX + 1];
static size_t log_len;

static unsigned panics;
static char panic_text[LINE_MAX_LEN];
jmp_buf *fake_panic_jmp;

/* Misuse of the fake by the code under test: say what, fail the test. */
__attribute__((noreturn, format(printf, 1, 2))) static void fake_fail(const char *fmt, ...)
{
	char msg[LINE_MAX_LEN];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fail_msg("fake_arch: %s", msg);
	abort(); /* fail_msg does not return; this keeps the compiler sure of it */
}

static void register_capture_once(void);

/* --- the machine ------------------------------------------------------- */

void fake_machine_free(void)
{
	if (ram)
		munmap(ram, ram_size);
	ram = NULL;
	ram_size = 0;
	directory = NO_DIRECTORY;
}

void fake_machine_init(uint64_t ram_bytes)
{
	register_capture_once();
	fake_machine_free();
	ram_bytes = (ram_bytes + PAGE_SIZE - 1) & ~(uint64_t)PAGE_OFFSET_MASK;
	if (ram_bytes == 0 || ram_bytes > RAM_MAX)
		fake_fail("fake_machine_init: RAM size %llu not in (0, 4 GiB]",
			  (unsigned long long)ram_bytes);
	/* Anonymous mappings are zeroed and page-aligned, and untouched pages
	 * cost nothing, so a 4 GiB machine is cheap. */
	void *p = mmap(NULL, ram_bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		fake_fail("fake_machine_init: cannot reserve %llu bytes",
			  (unsigned long long)ram_bytes);
	ram = p;
	ram_size = ram_bytes;
	direct_limit = LAYOUT_IDENTITY_END;
	fake_tlb_reset();
	fake_console_clear();
	quiet = false;
	panics = 0;
	panic_text[0] = '\0';
	fake_panic_jmp = NULL;
}

uint8_t *fake_ram(void)
{
	return ram;
}

uint64_t fake_ram_size(void)
{
	return ram_size;
}

void *fake_phys(paddr_t pa, size_t len)
{
	if (!ram)
		fake_fail("fake_phys(0x%08X): no machine (fake_machine_init first)", pa);
	if ((uint64_t)pa + len > ram_size)
		fake_fail("fake_phys(0x%08X, %zu): beyond RAM of 0x%llX bytes", pa, len,
			  (unsigned long long)ram_size);
	return ram + pa;
}

void fake_set_direct_map_limit(uint64_t limit)
{
	direct_limit = limit;
}

void fake_set_page_directory(paddr_t pd_pa, bool recursive)
{
	if (!page_aligned(pd_pa))
		fake_fail("fake_set_page_directory(0x%08X): not page-aligned", pd_pa);
	pte_t *pd = fake_phys(pd_pa, PAGE_SIZE);
	memset(pd, 0, PAGE_SIZE);
	if (recursive)
		pd[LAYOUT_RECURSIVE_SLOT] = pd_pa | PTE_PRESENT | PTE_WRITABLE | PDE_FIXED;
	directory = pd_pa;
}

paddr_t fake_page_directory_pa(void)
{
	return directory;
}

bool fake_walk(vaddr_t va, paddr_t *pa, uint32_t *flags)
{
	if (!ram || directory == NO_DIRECTORY)
		return false;
	const pte_t *pd = (const pte_t *)(ram + directory);
	pte_t pde = pd[pde_index(va)];
	if (!(pde & PTE_PRESENT))
		return false;
	const pte_t *pt = fake_phys(pde & PTE_FRAME_MASK, PAGE_SIZE);
	pte_t pte = pt[pte_index(va)];
	if (!(pte & PTE_PRESENT))
		return false;
	if (pa)
		*pa = (pte & PTE_FRAME_MASK) | (va & PAGE_OFFSET_MASK);
	if (flags)
		*flags = pte & PTE_FLAGS_MASK;
	return true;
}

void *fake_virt(vaddr_t va)
{
	paddr_t pa;
	if (!fake_walk(va, &pa, NULL))
		return NULL;
	return fake_phys(pa, 1);
}

/* --- the arch/mmu.h contract ------------------------------------------- */

void *fake_phys_to_virt(paddr_t pa)
{
	if (!ram)
		fake_fail("arch_phys_to_virt(0x%08X): no machine", pa);
	if (pa >= ram_size)
		fake_fail("arch_phys_to_virt(0x%08X): beyond RAM of 0x%llX bytes", pa,
			  (unsigned long long)ram_size);
	if (pa >= direct_limit)
		fake_fail("arch_phys_to_virt(0x%08X): beyond the direct map (limit 0x%llX)", pa,
			  (unsigned long long)direct_limit);
	return ram + pa;
}

paddr_t arch_active_pd(void)
{
	if (directory == NO_DIRECTORY)
		fake_fail("arch_active_pd(): the fixture set no directory "
			  "(fake_set_page_directory)");
	return directory;
}

void arch_activate_pd(paddr_t pd)
{
	fake_phys(pd, PAGE_SIZE);
	directory = pd;
}

pte_t *fake_pd_view(paddr_t pd)
{
	if (!page_aligned(pd))
		fake_fail("arch_pd_view(0x%08X): not a frame", pd);
	return fake_phys(pd, PAGE_SIZE);
}

pte_t *fake_pt_view(paddr_t pd, uint32_t pdi)
{
	if (pdi >= PT_ENTRIES)
		fake_fail("arch_pt_view(%u): no such PDE", pdi);
	pte_t pde = fake_pd_view(pd)[pdi];
	if (!(pde & PTE_PRESENT))
		fake_fail("arch_pt_view(0x%08X, %u): PDE 0x%08X not present "
			  "(the kernel would fault in its window)",
			  pd, pdi, pde);
	return fake_phys(pde & PTE_FRAME_MASK, PAGE_SIZE);
}

void fake_tlb_flush(vaddr_t va)
{
	flush_log[flush_count % FAKE_LOG_SIZE] = va;
	flush_count++;
}

void fake_tlb_flush_user(void)
{
	user_flushed = true;
	flush_count++;
}

void arch_pde_changed(paddr_t pd, uint32_t pdi)
{
	(void)pd;
	pde_log[pde_count % FAKE_LOG_SIZE] = pdi;
	pde_count++;
}

void arch_forget_pd(paddr_t pd)
{
	(void)pd;
}

void arch_copy_frame(paddr_t dst, paddr_t src)
{
	memcpy(fake_phys(dst, PAGE_SIZE), fake_phys(src, PAGE_SIZE), PAGE_SIZE);
}

void arch_zero_frame(paddr_t dst)
{
	memset(fake_phys(dst, PAGE_SIZE), 0, PAGE_SIZE);
}

pte_t *arch_table_window(paddr_t table)
{
	return fake_phys(table, PAGE_SIZE);
}

void arch_frame_read(paddr_t frame, uint32_t offset, void *dst, uint32_t n)
{
	memcpy(dst, (const uint8_t *)fake_phys(frame, PAGE_SIZE) + offset, n);
}

void arch_frame_write(paddr_t frame, uint32_t offset, const void *src, uint32_t n)
{
	memcpy((uint8_t *)fake_phys(frame, PAGE_SIZE) + offset, src, n);
}

/* --- recorded TLB work ------------------------------------------------- */

unsigned fake_tlb_flush_count(void)
{
	return flush_count;
}

vaddr_t fake_tlb_last_flush(void)
{
	return flush_count ? flush_log[(flush_count - 1) % FAKE_LOG_SIZE] : 0;
}

bool fake_tlb_was_flushed(vaddr_t va)
{
	if (user_flushed && va >= LAYOUT_USER_START && va < LAYOUT_USER_END)
		return true;
	unsigned kept = flush_count < FAKE_LOG_SIZE ? flush_count : FAKE_LOG_SIZE;
	for (unsigned i = 0; i < kept; i++)
		if ((flush_log[i] & PTE_FRAME_MASK) == (va & PTE_FRAME_MASK))
			return true;
	return false;
}

unsigned fake_pde_change_count(void)
{
	return pde_count;
}

uint32_t fake_pde_last_change(void)
{
	return pde_count ? pde_log[(pde_count - 1) % FAKE_LOG_SIZE] : 0xFFFFFFFFu;
}

bool fake_pde_was_changed(uint32_t pdi)
{
	unsigned kept = pde_count < FAKE_LOG_SIZE ? pde_count : FAKE_LOG_SIZE;
	for (unsigned i = 0; i < kept; i++)
		if (pde_log[i] == pdi)
			return true;
	return false;
}

void fake_tlb_reset(void)
{
	flush_count = pde_count = 0;
	user_flushed = false;
	memset(flush_log, 0, sizeof(flush_log));
	memset(pde_log, 0, sizeof(pde_log));
}

/* --- lib/string.h: the one function libc lacks ------------------------- */

void memset32(void *dst, uint32_t value, size_t count)
{
	uint32_t *d = dst;
	for (size_t i = 0; i < count; i++)
		d[i] = value;
}

/* --- console ----------------------------------------------------------- */

void fake_console_quiet(bool q)
{
	quiet = q;
}

const char *fake_console_last_line(void)
{
	return last_line;
}

const char *fake_console_output(void)
{
	return log_buf;
}

bool fake_console_contains(const char *needle)
{
	return strstr(log_buf, needle) != NULL;
}

void fake_console_clear(void)
{
	line_len = 0;
	line[0] = last_line[0] = '\0';
	log_len = 0;
	log_buf[0] = '\0';
}

static void log_char(char c)
{
	if (log_len == LOG_MAX) { /* keep the newest half */
		memmove(log_buf, log_buf + LOG_MAX / 2, LOG_MAX / 2);
		log_len = LOG_MAX / 2;
	}
	log_buf[log_len++] = c;
	log_buf[log_len] = '\0';
}

/* The capture is a console driver: the host links the kernel's own console
 * layer (drivers/console.c), so kprintf output reads exactly like serial. */
static void capture_putc(char c)
{
	if (!quiet) {
		putchar(c);
		if (c == '\n')
			fflush(stdout);
	}
	log_char(c);
	if (c == '\n') {
		line[line_len] = '\0';
		memcpy(last_line, line, line_len + 1);
		line_len = 0;
	} else if (line_len + 1 < sizeof(line)) {
		line[line_len++] = c;
	}
}

static const struct console_driver capture_driver = {.name = "capture", .putc = capture_putc};

static void register_capture_once(void)
{
	static bool registered;
	if (!registered && console_register(&capture_driver) == 0)
		registered = true;
}

/* --- panic ------------------------------------------------------------- */

unsigned fake_panic_count(void)
{
	return panics;
}

const char *fake_panic_message(void)
{
	return panic_text;
}

void kernel_panic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(panic_text, sizeof(panic_text), fmt, ap);
	va_end(ap);
	panics++;
	kprintf("KERNEL PANIC: %s\n", panic_text);
	if (fake_panic_jmp)
		longjmp(*fake_panic_jmp, 1);
	fake_fail("kernel_panic: %s", panic_text);
}
