/* Faults of ring-3 code other than page faults (mm/fault.c resolves those
 * and calls proc_fault_signal for what it cannot): which signal, and one
 * reason in words.  The reason for a #GP reads the faulting instruction
 * (through the checked user copy), because "general protection" alone does
 * not tell a reader that the program executed cli or tried an I/O port. */
#include "kernel/user_fault.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/cpu.h"
#include "arch/trap.h"
#include "uapi/linux_abi.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "mm/aspace.h"
#include "mm/fault.h"
#include "mm/uaccess.h"

#define VEC_DEBUG	    1
#define VEC_BOUND	    5
#define VEC_SEG_NOT_PRESENT 11
#define VEC_STACK_SEGMENT   12
#define VEC_X87		    16
#define VEC_ALIGNMENT	    17
#define VEC_SIMD	    19
#define INSN_PEEK	    4

static bool is_prefix(uint8_t b)
{
	return b == 0x66 || b == 0x67 || b == 0xF2 || b == 0xF3 || b == 0x2E || b == 0x36 ||
	       b == 0x3E || b == 0x26 || b == 0x64 || b == 0x65;
}

/* The instruction behind a #GP in ring 3, as far as the first bytes say. */
static const char *gp_reason(const struct trap_frame *f)
{
	uint8_t insn[INSN_PEEK + 4];
	size_t n = 0;
	while (n < sizeof(insn) &&
	       copy_from_user(&insn[n], (const void *)(uintptr_t)(f->eip + n), 1) == 0)
		n++;
	size_t i = 0;
	while (i < n && i < 4 && is_prefix(insn[i]))
		i++;
	if (i >= n)
		return "general protection fault";
	uint8_t op = insn[i], modrm_reg = i + 1 < n ? (insn[i + 1] >> 3) & 7 : 0;
	switch (op) {
	case 0xFA: return "privileged instruction (cli)";
	case 0xFB: return "privileged instruction (sti)";
	case 0xF4: return "privileged instruction (hlt)";
	case 0xE4:
	case 0xE5:
	case 0xEC:
	case 0xED: return "I/O port access (in)";
	case 0xE6:
	case 0xE7:
	case 0xEE:
	case 0xEF: return "I/O port access (out)";
	case 0x6C:
	case 0x6D:
	case 0x6E:
	case 0x6F: return "I/O port access (ins/outs)";
	case 0x9A: return "far call to a kernel segment";
	case 0xEA: return "far jump to a kernel segment";
	case 0xCD: return "int to a vector ring 3 may not use";
	case 0x8E: return "segment register load of a selector ring 3 may not use";
	case 0xFF:
		if (modrm_reg == 3)
			return "far call to a kernel segment";
		if (modrm_reg == 5)
			return "far jump to a kernel segment";
		break;
	case 0x0F:
		if (i + 1 < n && insn[i + 1] <= 0x01)
			return "privileged instruction (descriptor table or task register)";
		if (i + 1 < n && (insn[i + 1] & 0xF0) == 0x20)
			return "privileged instruction (control or debug register)";
		if (i + 1 < n && (insn[i + 1] == 0x30 || insn[i + 1] == 0x32))
			return "privileged instruction (model-specific register)";
		break;
	default: break;
	}
	return "general protection fault";
}

static void on_exception(struct trap_frame *f)
{
	if (!trap_from_user(f))
		panic_on_exception(f);
	switch (f->vector) {
	case VEC_DIVIDE_ERROR: proc_fault_signal(f, LINUX_SIGFPE, f->eip, "divide error");
	case VEC_X87: proc_fault_signal(f, LINUX_SIGFPE, f->eip, "x87 floating-point error");
	case VEC_SIMD: proc_fault_signal(f, LINUX_SIGFPE, f->eip, "SIMD floating-point error");
	case VEC_INVALID_OPCODE: proc_fault_signal(f, LINUX_SIGILL, f->eip, "invalid opcode");
	case VEC_ALIGNMENT: proc_fault_signal(f, LINUX_SIGBUS, f->eip, "alignment check");
	case VEC_SEG_NOT_PRESENT: proc_fault_signal(f, LINUX_SIGBUS, f->eip, "segment not present");
	case VEC_STACK_SEGMENT: proc_fault_signal(f, LINUX_SIGBUS, f->eip, "stack segment fault");
	case VEC_DEBUG:
	case VEC_BREAKPOINT:
		proc_fault_signal(f, LINUX_SIGTRAP, f->eip, trap_exception_name(f->vector));
	case VEC_GENERAL_PROTECTION: proc_fault_signal(f, LINUX_SIGSEGV, f->eip, gp_reason(f));
	case VEC_OVERFLOW:
	case VEC_BOUND:
	default: proc_fault_signal(f, LINUX_SIGSEGV, f->eip, trap_exception_name(f->vector));
	}
}

void user_fault_init(void)
{
	trap_set_default_handler(on_exception);
	mm_set_user_fault_handler(proc_fault_signal);
}
