/* Puts an exception into words: what the error code means, and for page
 * faults what lives at the faulting address. */
#include "kernel/fault_decode.h"

#include "arch/cpu.h"
#include "drivers/console.h"
#include "mm/layout.h"

extern const char __text_start[], __readonly_end[];
extern const char kernel_stack_guard[], kernel_stack_bottom[], kernel_stack_top[];

#define PF_PRESENT 0x01
#define PF_WRITE 0x02
#define PF_USER 0x04
#define PF_RESERVED 0x08
#define PF_FETCH 0x10

#define SEL_EXTERNAL 0x01
#define SEL_IDT 0x02
#define SEL_LDT 0x04

static bool in_range(uint32_t a, const void *lo, const void *hi)
{
	return a >= (uint32_t)lo && a < (uint32_t)hi;
}

static void explain_page_fault(const struct trap_frame *f, uint32_t cr2)
{
	uint32_t e = f->error_code;
	kprintf("PAGE FAULT\n");
	kprintf("Fault address CR2=0x%08X\n", cr2);
	kprintf("  cause: %s, %s, %s mode%s\n",
		e & PF_PRESENT ? "protection violation on a present page" : "page not present",
		e & PF_FETCH ? "instruction fetch" : (e & PF_WRITE ? "write" : "read"),
		e & PF_USER ? "user" : "kernel", e & PF_RESERVED ? ", reserved bit set" : "");
	kprintf("  at EIP=0x%08X\n", f->eip);
	if (cr2 < LAYOUT_NULL_PAGE_END)
		kprintf("  hint: NULL pointer dereference (page 0 is never mapped)\n");
	else if (in_range(cr2, kernel_stack_guard, kernel_stack_bottom))
		kprintf("  hint: kernel stack overflow (hit the guard page below the stack)\n");
	else if ((e & PF_PRESENT) && (e & PF_WRITE) && in_range(cr2, __text_start, __readonly_end))
		kprintf("  hint: write to read-only kernel text/rodata\n");
}

static void explain_selector(uint32_t e)
{
	if (e == 0) {
		kprintf("  error code 0: not caused by a segment selector\n");
		return;
	}
	const char *table = (e & SEL_IDT) ? "IDT" : (e & SEL_LDT) ? "LDT" : "GDT";
	kprintf("  selector error: %s index %u%s\n", table, (e >> 3) & 0x1FFF,
		e & SEL_EXTERNAL ? ", raised by an external event" : "");
}

void exception_explain(const struct trap_frame *f)
{
	switch (f->vector) {
	case VEC_DIVIDE_ERROR:
		kprintf("  divide error: division by zero or a quotient too large\n");
		break;
	case VEC_INVALID_OPCODE:
		kprintf("  invalid opcode: the CPU cannot decode the instruction at EIP\n");
		break;
	case VEC_DOUBLE_FAULT: {
		uint32_t esp = trap_fault_esp(f);
		kprintf("  double fault: a fault while delivering another fault, ESP=0x%08X\n",
			esp);
		if (esp < (uint32_t)kernel_stack_bottom + 64 && esp >= (uint32_t)kernel_stack_guard)
			kprintf("  hint: the kernel stack overflowed into its guard page\n");
		break;
	}
	case VEC_PAGE_FAULT:
		explain_page_fault(f, read_cr2());
		break;
	case 10: /* invalid TSS */
	case 11: /* segment not present */
	case 12: /* stack-segment fault */
	case VEC_GENERAL_PROTECTION:
		explain_selector(f->error_code);
		break;
	default:
		break;
	}
}
