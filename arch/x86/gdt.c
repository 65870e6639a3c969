/* A flat ring-0 GDT: code and data cover all 4 GiB.  Two TSSs follow: the
 * main task's (the CPU saves its state there on a task switch) and the
 * double-fault task's, whose own stack lets #DF run even when the fault was
 * a kernel stack overflow. */
#include "arch/gdt.h"

#include <stdint.h>

#include "arch/tss.h"

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
#define ACCESS_TSS32	  0x89 /* present, ring 0, 32-bit available TSS */
#define FLAGS_4K_32BIT	  0xC0 /* granularity 4 KiB, 32-bit operands */

static struct gdt_entry gdt[5];

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
