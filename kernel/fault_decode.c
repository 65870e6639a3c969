/* Puts an exception into words: what the error code means, what lives at the
 * faulting address, and a guess at the cause.  Runs inside the panic path,
 * possibly on the double-fault task's stack, so it reads only memory that is
 * known to be mapped and allocates nothing. */
#include "kernel/fault_decode.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/gdt.h"
#include "drivers/console.h"
#include "kernel/proc.h"
#include "arch/layout.h"
#include "arch/types.h"

extern const char __kernel_start[], __kernel_end[];
extern const char __text_start[], __readonly_end[];
extern const char kernel_stack_guard[], kernel_stack_bottom[], kernel_stack_top[];

/* Page-fault error code (Intel SDM vol. 3, 4.7):
 *
 *   bit  4   3   2   1   0
 *      +---+---+---+---+---+
 *      | I | R | U | W | P |   P: 0 not present, 1 protection violation
 *      +---+---+---+---+---+   W: write   U: user mode
 *                              R: reserved bit set in a paging entry
 *                              I: instruction fetch
 */
#define PF_PRESENT  0x01u
#define PF_WRITE    0x02u
#define PF_USER	    0x04u
#define PF_RESERVED 0x08u
#define PF_FETCH    0x10u

/* Selector error code (#TS, #NP, #SS, #GP):
 *
 *   bit 15        3   2     1     0
 *      +-----------+-----+-----+-----+
 *      |   index   | TI  | IDT | EXT |   EXT: raised while delivering an
 *      +-----------+-----+-----+-----+        external event (IRQ, earlier fault)
 *                                           IDT: index is an IDT vector
 *                                           TI: (IDT=0) 1 = LDT, 0 = GDT
 */
#define SEL_EXTERNAL	0x01u
#define SEL_IDT		0x02u
#define SEL_LDT		0x04u
#define SEL_INDEX_SHIFT 3u
#define SEL_INDEX_MASK	0x1FFFu

/* Exceptions with a selector error code that have no VEC_ name in trap.h. */
#define VEC_INVALID_TSS		10
#define VEC_SEGMENT_NOT_PRESENT 11
#define VEC_STACK_SEGMENT	12

/* `ud2` is 0F 0B: the compilers' __builtin_trap() and deliberate traps. */
#define OPCODE_TWO_BYTE 0x0Fu
#define OPCODE_UD2	0x0Bu

/* A double fault whose ESP is at most this far above the stack bottom left
 * the CPU no room for its exception frame (16 bytes at most) plus what the
 * entry stub saves: the stack ran out. */
#define STACK_EXHAUSTED_SLACK 64u

static bool in_range(uint32_t a, const void *lo, const void *hi)
{
	return a >= (uint32_t)(uintptr_t)lo && a < (uint32_t)(uintptr_t)hi;
}

static bool in_page(uint32_t a, uint32_t page)
{
	return a >= page && a - page < PAGE_SIZE;
}

/* The offset of a in its process kernel-stack slot (include/kernel/proc.h),
 * or false when a is not in LAYOUT_KSTACKS. */
static bool kstack_offset(uint32_t a, uint32_t *offset)
{
	if (a < LAYOUT_KSTACKS || a >= LAYOUT_KSTACKS_END)
		return false;
	*offset = (a - LAYOUT_KSTACKS) % LAYOUT_KSTACK_SLOT;
	return true;
}

#define KSTACK_GUARD_BYTES (KSTACK_GUARD_PAGES * PAGE_SIZE)

static bool in_stack_guard(uint32_t a)
{
	uint32_t off;
	if (kstack_offset(a, &off))
		return off < KSTACK_GUARD_BYTES;
	return in_range(a, kernel_stack_guard, kernel_stack_bottom);
}

/* ESP in the guard page, just above the stack bottom, or below it by up to a
 * whole stack (a large frame can step over the guard page).  A process's
 * kernel stack counts only its guard and the slack above it. */
static bool stack_exhausted(uint32_t esp)
{
	uint32_t off;
	if (kstack_offset(esp, &off))
		return off < KSTACK_GUARD_BYTES + STACK_EXHAUSTED_SLACK;
	uint32_t bottom = (uint32_t)(uintptr_t)kernel_stack_bottom;
	uint32_t size = (uint32_t)(uintptr_t)kernel_stack_top - bottom;
	if (esp >= bottom)
		return esp - bottom < STACK_EXHAUSTED_SLACK;
	return bottom - esp <= size + PAGE_SIZE;
}

/* Which part of the address space (arch/layout.h) holds addr. */
static const char *region_of(uint32_t a)
{
	if (a < LAYOUT_NULL_PAGE_END)
		return "the NULL page (never mapped)";
	if (in_stack_guard(a))
		return "the kernel stack's guard page (never mapped)";
	if (in_range(a, kernel_stack_bottom, kernel_stack_top))
		return "the kernel stack";
	if (a >= LAYOUT_KSTACKS && a < LAYOUT_KSTACKS_END)
		return "a process's kernel stack";
	if (in_range(a, __text_start, __readonly_end))
		return "kernel text/rodata (read-only)";
	if (in_range(a, __kernel_start, __kernel_end))
		return "kernel data/bss";
	if (a < LAYOUT_IDENTITY_END)
		return "the identity map of the first 16 MiB";
	if (in_page(a, LAYOUT_PAGE_FAULT_TEST))
		return "the page-fault test page (never mapped)";
	if (in_page(a, LAYOUT_VMM_TEST_PAGE))
		return "the VMM self-test page (unmapped after boot)";
	if (a >= LAYOUT_MODULES && a < LAYOUT_MODULES_END)
		return "the boot modules (mapped read-only)";
	if (a >= LAYOUT_HEAP_START && a < LAYOUT_HEAP_END)
		return "the kernel heap";
	if (a >= LAYOUT_PMM_RECORDS && a < LAYOUT_PMM_RECORDS_END)
		return "the PMM's frame records";
	if (a >= LAYOUT_TEST_SCRATCH && a < LAYOUT_TEST_SCRATCH_END)
		return "the in-kernel test scratch area";
	if (a >= LAYOUT_RECURSIVE_BASE)
		return "the recursive page-table window";
	return "no kernel region";
}

static const char *page_fault_diagnosis(uint32_t e, uint32_t cr2)
{
	if (e & PF_RESERVED)
		return "corrupt page-table entry (reserved bit set)";
	if (cr2 < LAYOUT_NULL_PAGE_END)
		return cr2 ? "NULL pointer dereference (a field of a NULL struct pointer?)"
			   : "NULL pointer dereference";
	if (in_stack_guard(cr2))
		return "kernel stack overflow (touched the stack's guard page)";
	if ((e & PF_PRESENT) && (e & PF_WRITE) && in_range(cr2, __text_start, __readonly_end))
		return "write to read-only kernel text/rodata";
	if ((e & PF_FETCH) && !in_range(cr2, __text_start, __readonly_end))
		return "jump to a non-code address (bad function pointer or return address?)";
	if (cr2 >= LAYOUT_HEAP_START && cr2 < LAYOUT_HEAP_END && !(e & PF_PRESENT))
		return "access to an unmapped part of the kernel heap";
	return NULL;
}

static const char *pf_access(uint32_t e)
{
	return e & PF_FETCH ? "instruction fetch" : (e & PF_WRITE ? "write" : "read");
}

static void explain_page_fault(const struct trap_frame *f, uint32_t cr2)
{
	uint32_t e = f->error_code;
	kprintf("PAGE FAULT\n");
	kprintf("Fault address CR2=0x%08X\n", cr2);
	kprintf("  error 0x%X: present=%u write=%u user=%u reserved=%u fetch=%u\n", e,
		!!(e & PF_PRESENT), !!(e & PF_WRITE), !!(e & PF_USER), !!(e & PF_RESERVED),
		!!(e & PF_FETCH));
	const char *mode = e & PF_USER ? "user" : "kernel";
	if (e & PF_RESERVED)
		kprintf("  cause: a paging entry for this address has a reserved bit set\n");
	else if (!(e & PF_PRESENT))
		kprintf("  cause: %s of a page that is not present (%s mode)\n", pf_access(e),
			mode);
	else if (e & PF_WRITE)
		kprintf("  cause: write to a read-only page (%s mode, CR0.WP on)\n", mode);
	else
		kprintf("  cause: %s denied by the page's protection (%s mode)\n", pf_access(e),
			mode);
	kprintf("  CR2 is in %s\n", region_of(cr2));
}

static const char *gdt_selector_name(uint32_t selector)
{
	switch (selector) {
	case GDT_KERNEL_CODE: return "kernel code";
	case GDT_KERNEL_DATA: return "kernel data";
	case GDT_MAIN_TSS: return "main TSS";
	case GDT_DOUBLE_FAULT_TSS: return "double-fault TSS";
	case 0: return "null selector";
	default: return "no Toyix descriptor";
	}
}

static void explain_selector(uint32_t e)
{
	if (e == 0) {
		kprintf("  error 0: not about a particular segment selector or gate\n");
		return;
	}
	uint32_t index = (e >> SEL_INDEX_SHIFT) & SEL_INDEX_MASK;
	const char *origin = e & SEL_EXTERNAL ? "raised delivering an external event"
					      : "raised by the instruction at EIP";
	if (e & SEL_IDT) {
		const char *what = index < TRAP_EXCEPTIONS   ? trap_exception_name(index)
				   : idt_gate_present(index) ? "installed gate"
							     : "no gate installed";
		kprintf("  error 0x%X: IDT entry %u (vector 0x%02X: %s), %s\n", e, index, index,
			what, origin);
	} else if (e & SEL_LDT) {
		kprintf("  error 0x%X: LDT selector 0x%04X (index %u; there is no LDT), %s\n", e,
			e & ~(SEL_EXTERNAL | SEL_IDT), index, origin);
	} else {
		uint32_t selector = e & ~(SEL_EXTERNAL | SEL_IDT);
		kprintf("  error 0x%X: GDT selector 0x%04X (index %u: %s), %s\n", e, selector,
			index, gdt_selector_name(selector), origin);
	}
}

/* Whether the bytes [eip, eip + len) are mapped kernel text, safe to read. */
static bool code_readable(uint32_t eip, uint32_t len)
{
	return eip >= (uint32_t)(uintptr_t)__text_start &&
	       eip <= (uint32_t)(uintptr_t)__readonly_end - len;
}

static bool is_ud2(uint32_t eip)
{
	if (!code_readable(eip, 2))
		return false;
	const uint8_t *code = (const uint8_t *)(uintptr_t)eip;
	return code[0] == OPCODE_TWO_BYTE && code[1] == OPCODE_UD2;
}

static void explain_double_fault(const struct trap_frame *f, uint32_t cr2)
{
	uint32_t esp = trap_fault_esp(f);
	kprintf("  double fault: the CPU faulted again while delivering an exception\n");
	kprintf("  (reported by the double-fault task on its own stack; registers below are\n"
		"   the interrupted task's, saved in the main TSS by the task switch)\n");
	kprintf("  faulting ESP=0x%08X; kernel stack 0x%08X-0x%08X, guard page 0x%08X-0x%08X\n",
		esp, (uint32_t)(uintptr_t)kernel_stack_bottom,
		(uint32_t)(uintptr_t)kernel_stack_top, (uint32_t)(uintptr_t)kernel_stack_guard,
		(uint32_t)(uintptr_t)kernel_stack_bottom);
	kprintf("  last page-fault address CR2=0x%08X is in %s\n", cr2, region_of(cr2));
	if (stack_exhausted(esp))
		kprintf("  ESP is at or below the stack bottom: no room for an exception frame\n");
}

const char *exception_diagnosis(const struct trap_frame *f, uint32_t cr2)
{
	switch (f->vector) {
	case VEC_DIVIDE_ERROR: return "division by zero (or a quotient too large)";
	case VEC_INVALID_OPCODE: return is_ud2(f->eip) ? "ud2 reached: a deliberate trap" : NULL;
	case VEC_DOUBLE_FAULT:
		return stack_exhausted(trap_fault_esp(f)) ? "kernel stack overflow" : NULL;
	case VEC_PAGE_FAULT: return page_fault_diagnosis(f->error_code, cr2);
	case VEC_GENERAL_PROTECTION:
		if ((f->error_code & SEL_IDT) &&
		    !idt_gate_present((f->error_code >> SEL_INDEX_SHIFT) & SEL_INDEX_MASK))
			return "interrupt through an IDT entry with no gate";
		if (f->error_code & SEL_IDT)
			return NULL;
		return f->error_code ? "bad segment selector" : NULL;
	default: return NULL;
	}
}

void exception_explain(const struct trap_frame *f, uint32_t cr2)
{
	switch (f->vector) {
	case VEC_DIVIDE_ERROR:
		kprintf("  divide error: divisor 0, or a quotient too large for its register\n");
		break;
	case VEC_INVALID_OPCODE:
		kprintf("  invalid opcode: the CPU cannot execute the instruction at EIP\n");
		if (code_readable(f->eip, 2)) {
			const uint8_t *code = (const uint8_t *)(uintptr_t)f->eip;
			kprintf("  bytes at EIP: %02X %02X\n", code[0], code[1]);
		}
		break;
	case VEC_DOUBLE_FAULT: explain_double_fault(f, cr2); break;
	case VEC_PAGE_FAULT: explain_page_fault(f, cr2); break;
	case VEC_INVALID_TSS:
	case VEC_SEGMENT_NOT_PRESENT:
	case VEC_STACK_SEGMENT:
	case VEC_GENERAL_PROTECTION: explain_selector(f->error_code); break;
	default: break;
	}
	const char *hint = exception_diagnosis(f, cr2);
	if (hint)
		kprintf("  hint: %s\n", hint);
}
