/* The one way the kernel stops on an error.  Everything here must work with
 * a broken heap, a broken memory map and an overflowed stack (a double fault
 * runs this on the double-fault task's own stack), so it touches nothing but
 * the consoles and memory it has checked, and it guards against faulting
 * inside itself. */
#include "kernel/panic.h"

#include <stdarg.h>
#include <stdbool.h>

#include "arch/cpu.h"
#include "arch/cpu_features.h"
#include "arch/qemu_exit.h"
#include "arch/tss.h"
#include "drivers/console.h"
#include "drivers/serial.h"
#include "kernel/fault_decode.h"
#include "kernel/symbols.h"
#include "lib/format.h"

extern const char kernel_stack_bottom[], kernel_stack_top[];

/* Distinct callers printed before the backtrace gives up; runs of the same
 * return address (recursion) count once. */
#define BACKTRACE_MAX_LINES 16

static volatile int panic_depth;

/* A stack the backtrace may read: [lo, hi). */
struct stack_bounds {
	uint32_t lo, hi;
};

static void console_sink(char c, void *ctx)
{
	(void)ctx;
	console_putc(c);
}

static __attribute__((noreturn)) void stop(void)
{
	qemu_exit(QEMU_EXIT_FAIL);
	cpu_halt_forever();
}

/* The kernel stack or the double-fault stack, whichever holds addr. */
static bool stack_containing(uint32_t addr, struct stack_bounds *s)
{
	const struct stack_bounds known[] = {
		{(uint32_t)kernel_stack_bottom, (uint32_t)kernel_stack_top},
		{(uint32_t)double_fault_stack,
		 (uint32_t)double_fault_stack + DOUBLE_FAULT_STACK_SIZE},
	};
	for (unsigned i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (addr >= known[i].lo && addr < known[i].hi) {
			*s = known[i];
			return true;
		}
	}
	return false;
}

/* A frame pointer is followed only while it stays inside one stack,
 * word-aligned and moving up: a corrupt chain cannot fault the panic, and
 * the walk ends after at most (stack size / 8) frames. */
static bool frame_ok(uint32_t ebp, uint32_t prev, const struct stack_bounds *s)
{
	return ebp > prev && (ebp & 3u) == 0 && ebp >= s->lo && ebp + 8 <= s->hi;
}

/* addr is a return address when `is_return`: the call that pushed it ends
 * there, so its name is looked up one byte earlier. */
static bool print_location(uint32_t addr, bool is_return)
{
	uint32_t offset;
	uint32_t where = is_return ? addr - 1 : addr;
	const char *name = ksym_lookup(where, &offset);
	if (!name) {
		kprintf("  [0x%08X] ?\n", addr);
		return false;
	}
	kprintf("  [0x%08X] %s+0x%x\n", addr, name, offset + (is_return ? 1 : 0));
	return true;
}

static void print_repeats(uint32_t repeats)
{
	if (repeats)
		kprintf("  ... the line above %u more time%s (recursion)\n", repeats,
			repeats == 1 ? "" : "s");
}

/* Walks the frame-pointer chain from ebp: each frame is [saved ebp, return
 * address].  Stops at the zero ebp that _start and the double-fault entry
 * plant, or at the first frame that fails frame_ok or returns outside
 * kernel text, saying which. */
static void print_backtrace(uint32_t pc, bool pc_is_return, uint32_t ebp)
{
	kprintf("Backtrace:\n");
	print_location(pc, pc_is_return);
	struct stack_bounds stack;
	if (!stack_containing(ebp, &stack)) {
		if (ebp)
			kprintf("  (frame pointer 0x%08X is on no kernel stack: stopping)\n", ebp);
		return;
	}
	uint32_t prev = 0, last_ret = 0, repeats = 0;
	int lines = 0;
	while (frame_ok(ebp, prev, &stack)) {
		const uint32_t *frame = (const uint32_t *)ebp;
		uint32_t ret = frame[1];
		prev = ebp;
		ebp = frame[0];
		if (ret == last_ret) {
			repeats++;
			continue;
		}
		print_repeats(repeats);
		repeats = 0;
		last_ret = ret;
		if (++lines > BACKTRACE_MAX_LINES) {
			kprintf("  ... (more frames not shown)\n");
			return;
		}
		if (!print_location(ret, true)) {
			kprintf("  (return address outside kernel text: stopping)\n");
			return;
		}
	}
	print_repeats(repeats);
	if (ebp != 0)
		kprintf("  (bad frame pointer 0x%08X after frame 0x%08X: stopping)\n", ebp, prev);
}

/* Returns how deep in panics we are: 1 for the first.  A fault inside the
 * panic path itself must not start a second full report that could fault
 * again, so callers print one line at depth 2 and nothing after that. */
static int enter_panic(void)
{
	interrupts_disable();
	return ++panic_depth;
}

static void print_control_registers(uint32_t cr2)
{
	kprintf("  CR0=0x%08X  CR2=0x%08X  CR3=0x%08X", read_cr0(), cr2, read_cr3());
	/* A CPU without CR4 (a 486) raises #UD on reading it. */
	if (cpu_features.cr4)
		kprintf("  CR4=0x%08X\n", read_cr4());
	else
		kprintf("  (no CR4)\n");
}

void kernel_panic(const char *fmt, ...)
{
	uint32_t eflags = read_eflags();
	uint32_t cr2 = read_cr2();
	int depth = enter_panic();
	if (depth > 1) {
		if (depth == 2)
			console_writeln("\nKERNEL PANIC: panic inside the panic handler; halting");
		stop();
	}
	va_list ap;
	va_start(ap, fmt);
	console_write("\nKERNEL PANIC: ");
	format_va(console_sink, 0, fmt, ap);
	va_end(ap);
	console_putc('\n');
	uint32_t ebp, esp;
	__asm__ volatile("mov %%ebp, %0\n\tmov %%esp, %1" : "=r"(ebp), "=r"(esp));
	kprintf("  EFLAGS=0x%08X  ESP=0x%08X  EBP=0x%08X\n", eflags, esp, ebp);
	print_control_registers(cr2);
	/* Start at our caller: this function's own frame says nothing. */
	print_backtrace((uint32_t)__builtin_return_address(0), true, ((const uint32_t *)ebp)[0]);
	stop();
}

static void report_exception(const struct trap_frame *f, uint32_t cr2)
{
	/* The banner and the name on lines of their own: SPEC section 2's tests read them. */
	kprintf("\nCPU EXCEPTION\n  vector %u: %s\n", f->vector, trap_exception_name(f->vector));
	exception_explain(f, cr2);
	kprintf("  EIP=0x%08X  CS=0x%04X  EFLAGS=0x%08X  error=0x%08X\n", f->eip, f->cs, f->eflags,
		f->error_code);
	kprintf("  EAX=0x%08X  EBX=0x%08X  ECX=0x%08X  EDX=0x%08X\n", f->eax, f->ebx, f->ecx,
		f->edx);
	kprintf("  ESI=0x%08X  EDI=0x%08X  EBP=0x%08X  ESP=0x%08X\n", f->esi, f->edi, f->ebp,
		trap_fault_esp(f));
	print_control_registers(cr2);
	print_backtrace(f->eip, false, f->ebp);

	uint32_t offset;
	const char *where = ksym_lookup(f->eip, &offset);
	const char *why = exception_diagnosis(f, cr2);
	kprintf("KERNEL PANIC: %s (vector %u) at 0x%08X", trap_exception_name(f->vector), f->vector,
		f->eip);
	if (where)
		kprintf(" in %s+0x%x", where, offset);
	kprintf("%s%s\n", why ? ": " : "", why ? why : "");
}

/* Writes v as 8 hex digits with nothing but console_putc: the fallback
 * line below must not depend on the formatter, which may be what faulted. */
static void put_hex(uint32_t v)
{
	static const char digits[] = "0123456789ABCDEF";
	console_write("0x");
	for (int shift = 28; shift >= 0; shift -= 4)
		console_putc(digits[(v >> shift) & 0xFu]);
}

/* A fault while a panic report was being printed: one short line built from
 * constant strings, because the report's own code (the formatter, the
 * symbol lookup, the decoder) is the suspect. */
static void report_nested_fault(const struct trap_frame *f)
{
	console_write("\nKERNEL PANIC: fault while printing a panic: vector ");
	put_hex(f->vector);
	console_write(" at EIP ");
	put_hex(f->eip);
	console_write("; halting\n");
}

void panic_on_exception(struct trap_frame *f)
{
	uint32_t cr2 = read_cr2(); /* before anything can fault and replace it */
	int depth = enter_panic();
	if (depth == 1) {
		report_exception(f, cr2);
	} else if (depth == 2) {
		report_nested_fault(f);
		/* The usual case is the first report running out of kernel stack.
		 * The double-fault task has a fresh stack and the first report can
		 * never resume, so give the full report it could not. */
		if (f->vector == VEC_DOUBLE_FAULT)
			report_exception(f, cr2);
	} else if (depth == 3) {
		/* Even the console faulted: the last resort is COM1 itself. */
		serial_emergency_write("\nKERNEL PANIC: fault while reporting a fault; halting\n");
	}
	stop();
}
