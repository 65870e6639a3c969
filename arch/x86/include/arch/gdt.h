#ifndef ARCH_GDT_H
#define ARCH_GDT_H

#define GDT_KERNEL_CODE	     0x08
#define GDT_KERNEL_DATA	     0x10
#define GDT_MAIN_TSS	     0x18
#define GDT_DOUBLE_FAULT_TSS 0x20

/* Flat ring-0 segments, plus the two TSSs the double-fault task gate needs. */
void gdt_init(void);

#endif
