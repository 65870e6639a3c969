/* The IDT: 32 exception gates and 16 IRQ gates, all interrupt gates (IF is
 * cleared on entry), except #DF, which is a task gate so it gets a stack of
 * its own.  Vector 0x80, the system call, is the one gate ring 3 may use
 * with `int`, besides int3 and into (vectors 3 and 4), which Linux opens too
 * so debuggers and programs see SIGTRAP and SIGSEGV the usual way; every
 * other `int n` from ring 3 raises #GP.  It is a trap
 * gate: interrupts stay on during a system call, as they were in ring 3. */
#include <stdint.h>

#include "arch/gdt.h"
#include "arch/trap.h"

struct idt_gate {
	uint16_t offset_low;
	uint16_t selector;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_high;
} __attribute__((packed));

struct idt_pointer {
	uint16_t limit;
	uint32_t base;
} __attribute__((packed));

#define GATE_INTERRUPT32_RING0 0x8E
#define GATE_TRAP32_RING3      0xEF
#define GATE_INTERRUPT32_RING3 0xEE
#define GATE_TASK	       0x85
#define GATE_PRESENT	       0x80

extern const uint32_t isr_stub_table[TRAP_EXCEPTIONS + TRAP_IRQS];
extern const char isr_stub_syscall[];

static struct idt_gate idt[TRAP_VECTORS];

static void set_gate(unsigned vector, uint32_t offset, uint16_t selector, uint8_t type)
{
	idt[vector] = (struct idt_gate){
		.offset_low = (uint16_t)offset,
		.selector = selector,
		.type_attr = type,
		.offset_high = (uint16_t)(offset >> 16),
	};
}

void idt_init(void)
{
	for (unsigned v = 0; v < TRAP_EXCEPTIONS + TRAP_IRQS; v++)
		set_gate(v, isr_stub_table[v], GDT_KERNEL_CODE, GATE_INTERRUPT32_RING0);
	set_gate(VEC_DOUBLE_FAULT, 0, GDT_DOUBLE_FAULT_TSS, GATE_TASK);
	set_gate(VEC_BREAKPOINT, isr_stub_table[VEC_BREAKPOINT], GDT_KERNEL_CODE,
		 GATE_INTERRUPT32_RING3);
	set_gate(VEC_OVERFLOW, isr_stub_table[VEC_OVERFLOW], GDT_KERNEL_CODE,
		 GATE_INTERRUPT32_RING3);
	set_gate(VEC_SYSCALL, (uint32_t)isr_stub_syscall, GDT_KERNEL_CODE, GATE_TRAP32_RING3);

	struct idt_pointer ptr = {sizeof(idt) - 1, (uint32_t)idt};
	__asm__ volatile("lidt %0" : : "m"(ptr));
}

int idt_gate_present(unsigned vector)
{
	if (vector >= TRAP_VECTORS || !(idt[vector].type_attr & GATE_PRESENT))
		return 0;
	if (idt[vector].type_attr == GATE_TASK)
		return idt[vector].selector != 0;
	uint32_t offset = idt[vector].offset_low | (uint32_t)idt[vector].offset_high << 16;
	uint32_t stub = vector == VEC_SYSCALL		       ? (uint32_t)isr_stub_syscall
			: vector < TRAP_EXCEPTIONS + TRAP_IRQS ? isr_stub_table[vector]
							       : 0;
	return stub && offset == stub && idt[vector].selector == GDT_KERNEL_CODE;
}
