/* The one way the kernel stops on an error.  Everything here must work with
 * a broken heap, a broken memory map and an overflowed stack, so it touches
 * nothing but the consoles, and it guards against faulting inside itself. */
#include "kernel/panic.h"

#include <stdarg.h>
#include <stdbool.h>

#include "arch/cpu.h"
#include "arch/qemu_exit.h"
#include "drivers/console.h"
#include "kernel/fault_decode.h"
#include "kernel/symbols.h"
#include "lib/format.h"

extern const char kernel_stack_bottom[], kernel_stack_top[];

#define BACKTRACE_MAX_FRAMES 16

static volatile int panic_depth;

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

/* A frame pointer is followed only while it stays inside the kernel stack,
 * word-aligned and moving up, so a corrupt chain cannot fault the panic. */
static bool frame_ok(uint32_t ebp, uint32_t prev)
{
	return ebp > prev && (ebp & 3u) == 0 && ebp >= (uint32_t)kernel_stack_bottom &&
	       ebp + 8 <= (uint32_t)kernel_stack_top;
}

static void print_location(uint32_t addr)
{
	uint32_t offset;
	const char *name = ksym_lookup(addr, &offset);
	if (name)
		kprintf("  [0x%08X] %s+0x%x\n", addr, name, offset);
	else
		kprintf("  [0x%08X] ?\n", addr);
}

static void print_backtrace(uint32_t eip, uint32_t ebp)
{
	kprintf("Backtrace:\n");
	print_location(eip);
	uint32_t prev = 0;
	for (int i = 0; i < BACKTRACE_MAX_FRAMES && frame_ok(ebp, prev); i++) {
		const uint32_t *frame = (const uint32_t *)ebp;
		uint32_t ret = frame[1];
		if (ret == 0)
			break;
		print_location(ret - 1); /* inside the call, not after it */
		prev = ebp;
		ebp = frame[0];
	}
}

/* Guards re-entry: a fault while panicking prints one line and stops. */
static void enter_panic(void)
{
	interrupts_disable();
	if (++panic_depth > 1) {
		if (panic_depth == 2)
			console_writeln("\nKERNEL PANIC: fault inside the panic handler; halting");
		stop();
	}
}

void kernel_panic(const char *fmt, ...)
{
	enter_panic();
	va_list ap;
	va_start(ap, fmt);
	console_write("\nKERNEL PANIC: ");
	format_va(console_sink, 0, fmt, ap);
	va_end(ap);
	console_putc('\n');
	uint32_t ebp;
	__asm__ volatile("mov %%ebp, %0" : "=r"(ebp));
	print_backtrace((uint32_t)__builtin_return_address(0), ((const uint32_t *)ebp)[0]);
	stop();
}

void panic_on_exception(struct trap_frame *f)
{
	enter_panic();
	kprintf("\nCPU EXCEPTION %u: %s\n", f->vector, trap_exception_name(f->vector));
	exception_explain(f);
	kprintf("  EIP=0x%08X  CS=0x%04X  EFLAGS=0x%08X  error=0x%08X\n", f->eip, f->cs,
		f->eflags, f->error_code);
	kprintf("  EAX=0x%08X  EBX=0x%08X  ECX=0x%08X  EDX=0x%08X\n", f->eax, f->ebx, f->ecx,
		f->edx);
	kprintf("  ESI=0x%08X  EDI=0x%08X  EBP=0x%08X  ESP=0x%08X\n", f->esi, f->edi, f->ebp,
		trap_fault_esp(f));
	kprintf("  CR0=0x%08X  CR2=0x%08X  CR3=0x%08X  CR4=0x%08X\n", read_cr0(), read_cr2(),
		read_cr3(), read_cr4());
	print_backtrace(f->eip, f->ebp);
	kprintf("KERNEL PANIC: unhandled %s (vector %u) at 0x%08X\n",
		trap_exception_name(f->vector), f->vector, f->eip);
	stop();
}
