/* The GDT, laid out as Linux i386 lays out the entries a program can see, so
 * the selectors a program reads (%cs, %ds, its TLS selector) are the ones it
 * would read on Linux:
 *
 *   entry  selector  what
 *     1     0x08     kernel code (ring 0)
 *     2     0x10     kernel data (ring 0)
 *     3     0x18     main TSS (esp0: the running process's kernel stack)
 *     4     0x20     double-fault TSS
 *   6..8    0x33..   TLS slots of the running process (set_thread_area),
 *                    reloaded on every switch; glibc loads %gs = (6 << 3) | 3
 *    14     0x73     user code (ring 3)
 *    15     0x7B     user data (ring 3)
 */
#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#include <stdbool.h>
#include <stdint.h>

#define GDT_KERNEL_CODE	     0x08
#define GDT_KERNEL_DATA	     0x10
#define GDT_MAIN_TSS	     0x18
#define GDT_DOUBLE_FAULT_TSS 0x20
#define GDT_RPL_USER	     3u
#define GDT_TLS_FIRST	     6u /* GDT_ENTRY_TLS_MIN on Linux i386 */
#define GDT_TLS_ENTRIES	     3u
#define GDT_USER_CODE	     ((14u << 3) | GDT_RPL_USER)
#define GDT_USER_DATA	     ((15u << 3) | GDT_RPL_USER)
#define GDT_ENTRIES	     16u

/* One 8-byte segment descriptor as the CPU reads it.  All zero: unused (a
 * selector naming it cannot be loaded). */
struct seg_desc {
	uint32_t lo, hi;
};

/* What a TLS descriptor may say: a ring-3 data (or stack) segment; the
 * caller checks the request is one a program may make. */
struct tls_segment {
	uint32_t base, limit;
	uint8_t type; /* descriptor type bits 8-11: data/code, expand-down, writable, accessed */
	bool present; /* false: loading it faults with #NP */
	bool avl;     /* software's bit (Linux's "useable") */
	bool big;     /* 32-bit (D/B) */
	bool limit_pages; /* limit in 4 KiB units (G) */
};

/* Flat kernel and user segments, the TSSs and empty TLS slots. */
void gdt_init(void);
struct seg_desc gdt_make_tls(const struct tls_segment *s);
/* The fields of a descriptor gdt_make_tls made (or of an empty one). */
struct tls_segment gdt_tls_fields(const struct seg_desc *d);
/* Writes the running process's TLS descriptors into slots 6..8.  A segment
 * register already holding one of them keeps its old copy until reloaded,
 * which the return to user mode does (it pops every segment register). */
void gdt_load_tls(const struct seg_desc tls[GDT_TLS_ENTRIES]);
/* Whether selector sel may be loaded into a data segment register on the
 * way back to ring 3 with the TLS slots as they are now. */
bool gdt_user_selector_ok(uint32_t sel);
/* The same for SS: the selector must name a present, writable data segment. */
bool gdt_user_stack_selector_ok(uint32_t sel);

#endif
