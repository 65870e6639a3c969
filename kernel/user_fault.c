/* Faults of ring-3 code: which signal each raises, with the si_code and
 * si_addr Linux gives it (arch/x86/kernel/traps.c and mm/fault.c), and one
 * reason in words for the kernel's note should the process die of it.
 * mm/fault.c resolves the page faults it can and hands the rest here.  The
 * reason for a #GP reads the faulting instruction (through the checked user
 * copy), because "general protection" alone does not tell a reader that the
 * program executed cli or tried an I/O port. */
#include "kernel/user_fault.h"

#include <stdbool.h>
#include <stddef.h>

#include "arch/cpu.h"
#include "arch/trap.h"
#include "uapi/linux_abi.h"
#include "kernel/panic.h"
#include "kernel/proc.h"
#include "kernel/signal.h"
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

static void send_fault(struct trap_frame *f, int sig, int32_t code, uint32_t addr,
		       const char *reason)
{
	struct signal_fault fault = {sig, code, addr, f->eip, reason};
	signal_force_fault(f, &fault);
}

/* Linux sends SIGTRAP, SIGSEGV and SIGBUS of the traps below without a
 * code of their own (force_sig: SI_KERNEL, no address). */
static void on_exception(struct trap_frame *f)
{
	if (!trap_from_user(f))
		panic_on_exception(f);
	const char *name = trap_exception_name(f->vector);
	switch (f->vector) {
	case VEC_DIVIDE_ERROR:
		send_fault(f, LINUX_SIGFPE, LINUX_FPE_INTDIV, f->eip, "divide error");
		break;
	/* Linux picks the si_code from the FPU's status bits (FPE_FLTDIV,
	 * FPE_FLTOVF...); Toyix does not read them and says invalid operation. */
	case VEC_X87:
		send_fault(f, LINUX_SIGFPE, LINUX_FPE_FLTINV, f->eip, "x87 floating-point error");
		break;
	case VEC_SIMD:
		send_fault(f, LINUX_SIGFPE, LINUX_FPE_FLTINV, f->eip, "SIMD floating-point error");
		break;
	case VEC_INVALID_OPCODE:
		send_fault(f, LINUX_SIGILL, LINUX_ILL_ILLOPN, f->eip, "invalid opcode");
		break;
	case VEC_ALIGNMENT:
		send_fault(f, LINUX_SIGBUS, LINUX_BUS_ADRALN, 0, "alignment check");
		break;
	case VEC_SEG_NOT_PRESENT:
		send_fault(f, LINUX_SIGBUS, LINUX_SI_KERNEL, 0, "segment not present");
		break;
	case VEC_STACK_SEGMENT:
		send_fault(f, LINUX_SIGBUS, LINUX_SI_KERNEL, 0, "stack segment fault");
		break;
	/* Toyix sets no debug registers: a #DB from ring 3 is a single step
	 * (TF) or int1. */
	case VEC_DEBUG:
		send_fault(f, LINUX_SIGTRAP,
			   (f->eflags & EFLAGS_TF) ? LINUX_TRAP_TRACE : LINUX_TRAP_BRKPT, f->eip,
			   name);
		break;
	case VEC_BREAKPOINT: send_fault(f, LINUX_SIGTRAP, LINUX_SI_KERNEL, 0, name); break;
	case VEC_GENERAL_PROTECTION:
		send_fault(f, LINUX_SIGSEGV, LINUX_SI_KERNEL, 0, gp_reason(f));
		break;
	case VEC_OVERFLOW:
	case VEC_BOUND:
	default: send_fault(f, LINUX_SIGSEGV, LINUX_SI_KERNEL, 0, name); break;
	}
}

/* A page fault mm could not resolve: SIGSEGV (no mapping, or one that
 * forbids the access), SIGBUS past the end of a mapped file, SIGKILL when
 * memory ran out (as Linux's out-of-memory killer would), at addr. */
static void on_page_fault(struct trap_frame *f, enum fault_result r, uint32_t addr)
{
	int sig = LINUX_SIGSEGV;
	int32_t code = LINUX_SEGV_MAPERR;
	if (r == FAULT_SIGSEGV_ACCESS)
		code = LINUX_SEGV_ACCERR;
	else if (r == FAULT_SIGBUS)
		sig = LINUX_SIGBUS, code = LINUX_BUS_ADRERR;
	else if (r == FAULT_NO_MEMORY)
		sig = LINUX_SIGKILL, code = LINUX_SI_KERNEL;
	struct signal_fault fault = {sig, code, addr, addr, fault_result_name(r)};
	signal_force_fault(f, &fault);
}

void user_fault_init(void)
{
	trap_set_default_handler(on_exception);
	mm_set_user_fault_handler(on_page_fault);
}
