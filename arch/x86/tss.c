/* Double faults run as their own task.  A task gate makes the CPU switch to
 * tss_double_fault, with a fresh stack and a known-good state, even when the
 * kernel stack is gone (an overflow into the guard page faults again while
 * pushing the #PF frame, which escalates to #DF).  The previous task's
 * registers are then in tss_main for the report. */
#include "arch/tss.h"

#include "arch/cpu.h"
#include "arch/gdt.h"
#include "arch/trap.h"

/* EFLAGS bit 1 is reserved and always set; IF stays clear so nothing
 * interrupts the report. */
#define DOUBLE_FAULT_EFLAGS 0x2u
/* What a kernel-mode trap pushes between the fault's ESP and pusha's saved
 * ESP (vector, error code, EIP, CS, EFLAGS); the inverse of trap_fault_esp(). */
#define TRAP_WORDS_ABOVE_PUSHA (5 * 4)

struct tss tss_main;
struct tss tss_double_fault;
uint8_t double_fault_stack[DOUBLE_FAULT_STACK_SIZE] __attribute__((aligned(16)));

void double_fault_task_entry(void); /* isr.asm */

void tss_init(void)
{
	/* No I/O bitmap (its offset is past the TSS limit) and IOPL 0 in every
	 * EFLAGS a process gets: in and out from ring 3 raise #GP. */
	tss_main.iomap_base = sizeof(struct tss);
	tss_main.ss0 = GDT_KERNEL_DATA;

	tss_double_fault = (struct tss){
		.cr3 = read_cr3(),
		.eip = (uint32_t)double_fault_task_entry,
		.eflags = DOUBLE_FAULT_EFLAGS,
		.esp = (uint32_t)(double_fault_stack + DOUBLE_FAULT_STACK_SIZE),
		.cs = GDT_KERNEL_CODE,
		.ss = GDT_KERNEL_DATA,
		.ds = GDT_KERNEL_DATA,
		.es = GDT_KERNEL_DATA,
		.fs = GDT_KERNEL_DATA,
		.gs = GDT_KERNEL_DATA,
		.iomap_base = sizeof(struct tss),
	};
	__asm__ volatile("ltr %w0" : : "r"(GDT_MAIN_TSS));
}

void tss_set_kernel_stack(uint32_t esp0)
{
	tss_main.esp0 = esp0;
}

/* Paging changes CR3 after tss_init; the task switch loads CR3 from here. */
void tss_set_double_fault_cr3(uint32_t cr3)
{
	tss_double_fault.cr3 = cr3;
}

/* Runs as the double-fault task; the faulting task's state is in tss_main.
 * It is rebuilt as a trap frame so the report goes through trap_dispatch to
 * the same handler (panic_on_exception) as every other exception.  ESP is
 * stored as the value pusha would have saved, so trap_fault_esp() gives
 * back the ESP at the fault. */
asmlinkage void double_fault_task_main(uint32_t error_code);
asmlinkage void double_fault_task_main(uint32_t error_code)
{
	struct trap_frame frame = {
		.gs = tss_main.gs,
		.fs = tss_main.fs,
		.es = tss_main.es,
		.ds = tss_main.ds,
		.edi = tss_main.edi,
		.esi = tss_main.esi,
		.ebp = tss_main.ebp,
		.esp_at_pusha = tss_main.esp - TRAP_WORDS_ABOVE_PUSHA,
		.ebx = tss_main.ebx,
		.edx = tss_main.edx,
		.ecx = tss_main.ecx,
		.eax = tss_main.eax,
		.vector = VEC_DOUBLE_FAULT,
		.error_code = error_code,
		.eip = tss_main.eip,
		.cs = tss_main.cs,
		.eflags = tss_main.eflags,
	};
	trap_dispatch(&frame);
	cpu_halt_forever();
}
