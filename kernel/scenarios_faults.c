/* Scenarios that break the kernel on purpose, one kind of fault each, so the
 * QEMU tests can check that every one ends in a readable panic (fail code,
 * never a silent hang or a triple-fault reboot).  Each prints what it is
 * about to do first, so a log shows the cause next to the report.
 *
 * The compilers know these are undefined behaviour and would happily fold
 * them away or replace them with a trap of their own; opaque() hides the
 * values from the optimiser so the CPU, not the compiler, raises the fault. */
#include <stddef.h>
#include <stdint.h>

#include "drivers/console.h"
#include "kernel/panic.h"
#include "kernel/scenario.h"
#include "arch/layout.h"

/* The vector after Linux's system call (0x80): Toyix installs no gate there,
 * so `int` on it meets an empty IDT entry, which the CPU reports as #GP with
 * the IDT index in the error code. */
#define UNINSTALLED_VECTOR 0x81

/* Bytes each recursion level keeps live: well under the 4 KiB guard page, so
 * the overflow cannot skip the guard and land in the memory below it. */
#define OVERFLOW_FRAME_BYTES 128

/* A frame pointer that leads nowhere: the backtrace must notice without
 * reading it, or the panic itself would fault. */
#define BAD_FRAME_POINTER LAYOUT_PAGE_FAULT_TEST

/* The optimiser cannot see through this: the value comes back unknown. */
#define opaque(v)                                                                                  \
	({                                                                                         \
		__typeof__(v) opaque_v_ = (v);                                                     \
		__asm__("" : "+r"(opaque_v_));                                                     \
		opaque_v_;                                                                         \
	})

/* Far more levels than the 16 KiB stack holds (about 120), so never reached;
 * a finite bound keeps the compilers from flagging (or exploiting) infinite
 * recursion. */
static volatile uint32_t recursion_limit = UINT32_MAX;

static __attribute__((noreturn)) void survived(const char *what)
{
	kprintf("%s: no fault was raised\n", what);
	scenario_finish(false);
}

static void null_dereference(void)
{
	console_writeln("Triggering NULL pointer dereference...");
	volatile uint32_t *p = opaque((volatile uint32_t *)NULL);
	uint32_t value = *p;
	kprintf("Read 0x%08X from address 0\n", value);
	survived("NULL dereference");
}
SCENARIO(null, "null", STAGE_MEMORY_READY, null_dereference);

static void write_kernel_text(void)
{
	volatile uint8_t *code = opaque((volatile uint8_t *)(uintptr_t)&write_kernel_text);
	kprintf("Triggering write to kernel text at 0x%08X...\n", (uint32_t)(uintptr_t)code);
	*code = 0xCC; /* int3: would be a silent patch if text were writable */
	survived("write to kernel text");
}
SCENARIO(write_text, "write-text", STAGE_MEMORY_READY, write_kernel_text);

/* Each level keeps an array live across the call and reads it after, so
 * neither compiler can turn the recursion into a loop or a tail call.  The
 * empty asm lets the array's address escape: without it clang keeps only the
 * two bytes it touches and the frame shrinks to 12 bytes. */
static __attribute__((noinline)) uint32_t recurse(uint32_t depth)
{
	volatile uint8_t frame[OVERFLOW_FRAME_BYTES];
	__asm__ volatile("" : : "r"(frame) : "memory");
	frame[0] = (uint8_t)depth;
	frame[OVERFLOW_FRAME_BYTES - 1] = (uint8_t)depth;
	if (depth >= recursion_limit)
		return depth;
	return recurse(depth + 1) + frame[0] + frame[OVERFLOW_FRAME_BYTES - 1];
}

static void stack_overflow(void)
{
	console_writeln("Triggering kernel stack overflow by unbounded recursion...");
	uint32_t r = recurse(0);
	kprintf("Recursion returned %u\n", r);
	survived("stack overflow");
}
SCENARIO(stack_overflow, "stack-overflow", STAGE_MEMORY_READY, stack_overflow);

static void general_protection(void)
{
	kprintf("Triggering general protection fault: int 0x%X (no IDT gate)...\n",
		UNINSTALLED_VECTOR);
	__asm__ volatile("int %0" : : "i"(UNINSTALLED_VECTOR));
	survived("int on an empty IDT entry");
}
SCENARIO(gpf, "gpf", STAGE_MEMORY_READY, general_protection);

static void divide_by_zero(void)
{
	console_writeln("Triggering divide error: 1 / 0...");
	uint32_t divisor = opaque((uint32_t)0);
	uint32_t quotient = opaque((uint32_t)1) / divisor;
	kprintf("1 / 0 = %u\n", quotient);
	survived("division by zero");
}
SCENARIO(divzero, "divzero", STAGE_MEMORY_READY, divide_by_zero);

static void failed_assertion(void)
{
	console_writeln("Triggering KASSERT failure...");
	uint32_t answer = opaque((uint32_t)41);
	KASSERT(answer == 42);
	survived("KASSERT(answer == 42)");
}
SCENARIO(assert, "assert", STAGE_MEMORY_READY, failed_assertion);

/* A trap with EBP pointing at unmapped memory, as after a stack smash: the
 * report must come out whole and the backtrace stop at the bad frame. */
static void corrupt_frame_pointer(void)
{
	kprintf("Triggering ud2 with frame pointer 0x%08X...\n", BAD_FRAME_POINTER);
	__asm__ volatile("mov %0, %%ebp\n\tud2" : : "i"(BAD_FRAME_POINTER));
	__builtin_unreachable();
}
SCENARIO(bad_frame, "bad-frame", STAGE_MEMORY_READY, corrupt_frame_pointer);

/* A panic whose own printing faults: its reason names a string at the
 * never-mapped page-fault test address, so the formatter faults while
 * copying it.  The fallback line must come out, and the fail code. */
static void fault_in_panic(void)
{
	kprintf("Triggering a panic whose message faults at 0x%08X...\n", BAD_FRAME_POINTER);
	const char *unreadable = opaque((const char *)LAYOUT_PAGE_FAULT_TEST);
	kernel_panic("this reason cannot be read: %s", unreadable);
}
SCENARIO(panic_fault, "panic-fault", STAGE_MEMORY_READY, fault_in_panic);
