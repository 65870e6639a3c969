/* A fake machine for host tests of mm/: the TOYIX_HOST side of
 * arch/x86/include/arch/mmu.h, plus the few kernel services mm/ prints and
 * panics through.
 *
 * What it models
 *
 *   "physical RAM"   one zero-filled byte array, page-aligned, of the size the
 *                    test asks for (up to 4 GiB: it is reserved lazily with
 *                    mmap, so only the pages touched cost host memory).
 *                    Physical address pa is ram + pa.
 *
 *     fake RAM:  0                     direct-map limit            size
 *                +-----------------------+---------------------------+
 *                | arch_phys_to_virt ok  | reachable only as a page  |
 *                | (the kernel's 16 MiB  | table (arch_page_table)   |
 *                |  identity map)        | or by fake_ram()          |
 *                +-----------------------+---------------------------+
 *
 *   page directory   a frame inside fake RAM that the fixture chooses with
 *                    fake_set_page_directory(); arch_page_directory() points
 *                    at it.  arch_page_table(pdi) is ram + (pd[pdi] & frame).
 *   TLB              not modelled; every arch_tlb_flush_page() and
 *                    arch_pde_changed() is recorded so a test can assert that
 *                    the VMM invalidated what it changed.
 *   console          kprintf / console_* print to stdout (unless quiet) and
 *                    are captured: the last complete line and a bounded log.
 *   kernel_panic     prints, records the message and fails the current
 *                    cmocka test (it never returns).
 *
 * Misuse is a test failure, not a wild pointer: arch_phys_to_virt() beyond
 * RAM or beyond the direct-map limit, arch_page_table() of a PDE that is not
 * present (the kernel would fault through its recursive window) or whose
 * frame is outside RAM, or arch_page_directory() before the fixture set one,
 * all report what happened and call cmocka's fail().
 *
 * A typical fixture:
 *
 *   static int setup(void **state)
 *   {
 *       fake_machine_init(32u << 20);          // 32 MiB of "RAM"
 *       fake_set_page_directory(0x00100000);   // a zeroed frame at 1 MiB
 *       ... pmm_init() with a memmap of [1 MiB, 32 MiB) and a reservation
 *           of the directory frame, then vmm_init() ...
 *       return 0;
 *   }
 *   static int teardown(void **state) { fake_machine_free(); return 0; }
 *
 *   // after vmm_map_page(va, pa, PTE_WRITABLE):
 *   assert_true(fake_tlb_was_flushed(va));
 *   assert_int_equal(fake_walk(va, &pa_seen, &flags_seen), true);
 *
 * Linking: a tests/host/test_*.c gets lib/format.c, lib/cmdline.c and this
 * fake automatically; it names the other sources it needs on one line of its
 * own that tests/host/host.mk reads, for example
 *
 *   // HOST_LINK: mm/vmm.c mm/pmm.c mm/memmap.c
 *
 * Expected panics: FAKE_CATCH_PANIC(stmt) runs stmt and is true when it
 * called kernel_panic (which then returns into the test, not the code).  Every host build defines
 * TOYIX_HOST and uses libc for memset/memcpy/strlen (lib/string.c is not linked).
 */
#ifndef TESTS_HOST_FAKE_ARCH_H
#define TESTS_HOST_FAKE_ARCH_H

#include <setjmp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch/mmu.h"
#include "arch/types.h"

/* --- the machine ------------------------------------------------------- */

/* (Re)creates the machine: ram_bytes of zeroed RAM (rounded up to a page,
 * at most 4 GiB), no page directory, direct-map limit LAYOUT_IDENTITY_END,
 * every record and the console capture cleared, output not quiet. */
void fake_machine_init(uint64_t ram_bytes);
/* Releases the RAM; safe to call twice. */
void fake_machine_free(void);

uint8_t *fake_ram(void); /* host pointer to physical address 0 */
uint64_t fake_ram_size(void);
/* Host pointer to [pa, pa + len) with no direct-map limit; fails the test
 * when the range is not inside RAM.  For the test's own checks. */
void *fake_phys(paddr_t pa, size_t len);

/* arch_phys_to_virt() refuses pa >= limit (default LAYOUT_IDENTITY_END,
 * what the kernel's identity map covers). */
void fake_set_direct_map_limit(uint64_t limit);

/* Makes the page-aligned frame at pd_pa the page directory and zeroes it.
 * When recursive is true, PDE LAYOUT_RECURSIVE_SLOT points at the directory
 * itself (present, writable), as the kernel's paging sets it up. */
void fake_set_page_directory(paddr_t pd_pa, bool recursive);
paddr_t fake_page_directory_pa(void);

/* Walks the fake page tables like the MMU would: true when va is mapped by
 * a present PDE and a present PTE; then *pa is the physical address of va
 * (frame + offset) and *flags the PTE's low 12 bits.  Either may be NULL. */
bool fake_walk(vaddr_t va, paddr_t *pa, uint32_t *flags);
/* Host pointer to the byte va maps to, or NULL when va is unmapped. */
void *fake_virt(vaddr_t va);

/* --- recorded TLB work ------------------------------------------------- */

#define FAKE_LOG_SIZE 256 /* the most recent records kept for the queries */

unsigned fake_tlb_flush_count(void); /* arch_tlb_flush_page() and _user() calls */
vaddr_t fake_tlb_last_flush(void);   /* flush_page's last argument (0 if none) */
/* va's page among the kept records, or any user page after a flush_user */
bool fake_tlb_was_flushed(vaddr_t va);
unsigned fake_pde_change_count(void); /* arch_pde_changed() calls */
uint32_t fake_pde_last_change(void);  /* its last pdi (0xFFFFFFFF if none) */
bool fake_pde_was_changed(uint32_t pdi);
/* Forgets every TLB and PDE record (counts back to 0). */
void fake_tlb_reset(void);

/* --- console and panic ------------------------------------------------- */

/* true: nothing goes to stdout (the capture still happens). */
void fake_console_quiet(bool quiet);
/* The last complete line (without '\n'); "" when none yet. */
const char *fake_console_last_line(void);
/* Everything printed since init or the last clear (the newest 64 KiB). */
const char *fake_console_output(void);
bool fake_console_contains(const char *needle);
void fake_console_clear(void);

unsigned fake_panic_count(void);
const char *fake_panic_message(void); /* the last kernel_panic() text, or "" */

/* Where kernel_panic() jumps while FAKE_CATCH_PANIC is active. */
extern jmp_buf *fake_panic_jmp;

/* Runs stmt; true when it ended in kernel_panic (unwound with longjmp, so
 * locals of the code under test are left as they were at the panic). */
#define FAKE_CATCH_PANIC(stmt)                                                                     \
	__extension__({                                                                            \
		jmp_buf fake_jb_;                                                                  \
		volatile bool fake_panicked_ = false;                                              \
		fake_panic_jmp = &fake_jb_;                                                        \
		if (setjmp(fake_jb_) == 0) {                                                       \
			stmt;                                                                      \
		} else {                                                                           \
			fake_panicked_ = true;                                                     \
		}                                                                                  \
		fake_panic_jmp = NULL;                                                             \
		(bool)fake_panicked_;                                                              \
	})

#endif
