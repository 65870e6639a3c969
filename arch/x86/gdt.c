/* A flat GDT: kernel and user code and data cover all 4 GiB (paging, not
 * segmentation, keeps ring 3 out of the kernel).  Two TSSs: the main task's
 * (esp0 is where the CPU switches stacks on a trap from ring 3) and the
 * double-fault task's, whose own stack lets #DF run even when the fault was
 * a kernel stack overflow.  Three TLS slots hold the running process's
 * set_thread_area descriptors. */
#include "arch/gdt.h"

#include <stdint.h>

#include "arch/tss.h"
#include "lib/string.h"

struct gdt_entry {
	uint16_t limit_low;
	uint16_t base_low;
	uint8_t base_mid;
	uint8_t access;
	uint8_t limit_high_flags;
	uint8_t base_high;
} __attribute__((packed));

struct gdt_pointer {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

#define ACCESS_CODE_RING0 0x9A /* present, ring 0, code, readable */
#define ACCESS_DATA_RING0 0x92 /* present, ring 0, data, writable */
#define ACCESS_CODE_RING3 0xFA /* present, ring 3, code, readable */
#define ACCESS_DATA_RING3 0xF2 /* present, ring 3, data, writable */
#define ACCESS_TSS32	  0x89 /* present, ring 0, 32-bit available TSS */
#define FLAGS_4K_32BIT	  0xC0 /* granularity 4 KiB, 32-bit operands */

static struct gdt_entry gdt[GDT_ENTRIES];

static struct gdt_entry segment(uint32_t base, uint32_t limit, uint8_t access, uint8_t flags)
{
	return (struct gdt_entry){
		.limit_low = (uint16_t)limit,
		.base_low = (uint16_t)base,
		.base_mid = (uint8_t)(base >> 16),
		.access = access,
		.limit_high_flags = (uint8_t)(((limit >> 16) & 0x0F) | flags),
		.base_high = (uint8_t)(base >> 24),
	};
}

void gdt_init(void)
{
	gdt[GDT_KERNEL_CODE / 8] = segment(0, 0xFFFFF, ACCESS_CODE_RING0, FLAGS_4K_32BIT);
	gdt[GDT_KERNEL_DATA / 8] = segment(0, 0xFFFFF, ACCESS_DATA_RING0, FLAGS_4K_32BIT);
	gdt[GDT_MAIN_TSS / 8] = segment((uint32_t)&tss_main, sizeof(tss_main) - 1, ACCESS_TSS32, 0);
	gdt[GDT_DOUBLE_FAULT_TSS / 8] =
		segment((uint32_t)&tss_double_fault, sizeof(tss_double_fault) - 1, ACCESS_TSS32, 0);
	gdt[GDT_USER_CODE >> 3] = segment(0, 0xFFFFF, ACCESS_CODE_RING3, FLAGS_4K_32BIT);
	gdt[GDT_USER_DATA >> 3] = segment(0, 0xFFFFF, ACCESS_DATA_RING3, FLAGS_4K_32BIT);

	struct gdt_pointer ptr = {sizeof(gdt) - 1, (uint32_t)gdt};
	__asm__ volatile("lgdt %0\n\t"
			 "ljmp %1, $1f\n"
			 "1:\n\t"
			 "mov %2, %%ds\n\t"
			 "mov %2, %%es\n\t"
			 "mov %2, %%fs\n\t"
			 "mov %2, %%gs\n\t"
			 "mov %2, %%ss\n\t"
			 :
			 : "m"(ptr), "i"(GDT_KERNEL_CODE), "r"(GDT_KERNEL_DATA)
			 : "memory");
	tss_init();
}

/* Descriptor bits above the 8-bit access byte's neighbours (Intel SDM 3A,
 * 3.4.5): hi word = base 31:24 | G | D/B | L | AVL | limit 19:16 | P | DPL |
 * S | type | base 23:16. */
#define DESC_G		(1u << 23)
#define DESC_DB		(1u << 22)
#define DESC_AVL	(1u << 20)
#define DESC_P		(1u << 15)
#define DESC_DPL3	(3u << 13)
#define DESC_S		(1u << 12) /* code or data, not a system segment */
#define DESC_TYPE_SHIFT 8u

struct seg_desc gdt_make_tls(const struct tls_segment *s)
{
	uint32_t hi = (s->base & 0xFF000000u) | ((s->base >> 16) & 0xFFu) | (s->limit & 0xF0000u) |
		      DESC_DPL3 | DESC_S | ((uint32_t)(s->type & 0xFu) << DESC_TYPE_SHIFT);
	hi |= (s->limit_pages ? DESC_G : 0) | (s->big ? DESC_DB : 0) | (s->avl ? DESC_AVL : 0) |
	      (s->present ? DESC_P : 0);
	return (struct seg_desc){(s->base << 16) | (s->limit & 0xFFFFu), hi};
}

struct tls_segment gdt_tls_fields(const struct seg_desc *d)
{
	return (struct tls_segment){
		.base = (d->lo >> 16) | ((d->hi & 0xFFu) << 16) | (d->hi & 0xFF000000u),
		.limit = (d->lo & 0xFFFFu) | (d->hi & 0xF0000u),
		.type = (uint8_t)((d->hi >> DESC_TYPE_SHIFT) & 0xFu),
		.present = (d->hi & DESC_P) != 0,
		.avl = (d->hi & DESC_AVL) != 0,
		.big = (d->hi & DESC_DB) != 0,
		.limit_pages = (d->hi & DESC_G) != 0,
	};
}

void gdt_load_tls(const struct seg_desc tls[GDT_TLS_ENTRIES])
{
	_Static_assert(sizeof(struct seg_desc) == sizeof(struct gdt_entry), "descriptor size");
	for (unsigned i = 0; i < GDT_TLS_ENTRIES; i++)
		memcpy(&gdt[GDT_TLS_FIRST + i], &tls[i], sizeof(tls[i]));
}

/* A TLS slot named by a ring-3 selector (RPL 3, GDT), or NULL. */
static const struct gdt_entry *tls_slot(uint32_t sel)
{
	uint32_t index = sel >> 3;
	if ((sel & 7u) != GDT_RPL_USER || index < GDT_TLS_FIRST ||
	    index >= GDT_TLS_FIRST + GDT_TLS_ENTRIES)
		return NULL;
	return &gdt[index];
}

#define ACCESS_PRESENT	0x80u
#define ACCESS_CODEDATA 0x10u /* S: a code or data segment, not a system one */
#define ACCESS_CODE	0x08u
#define ACCESS_WRITABLE 0x02u

bool gdt_user_stack_selector_ok(uint32_t sel)
{
	if (sel == GDT_USER_DATA)
		return true;
	const struct gdt_entry *e = tls_slot(sel);
	uint32_t need = ACCESS_PRESENT | ACCESS_CODEDATA | ACCESS_WRITABLE;
	return e && (e->access & (need | ACCESS_CODE)) == need;
}

bool gdt_user_selector_ok(uint32_t sel)
{
	if ((sel & ~GDT_RPL_USER) == 0 || sel == GDT_USER_DATA || sel == GDT_USER_CODE)
		return true; /* a null selector loads; only its use faults */
	const struct gdt_entry *e = tls_slot(sel);
	return e && (e->access & ACCESS_PRESENT) && (e->access & ACCESS_CODEDATA);
}
