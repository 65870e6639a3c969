/* Faults in user mode go to the program's handlers, as Linux's synchronous
 * signals do: with SA_SIGINFO the handler sees si_code and si_addr, and its
 * ucontext holds the registers of the faulting instruction; it may return
 * (the instruction runs again, or where the ucontext says) or siglongjmp
 * out.  A fault signal that is blocked or ignored still kills, as does a
 * fault while the kernel builds the handler's frame (a stack overflow),
 * unless the handler runs on a sigaltstack.
 *
 * The handler tests in main() run in the program itself, which under
 * Toyix's QEMU case is PID 1: init gets its handlers too. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>
#include <ucontext.h>

#include "conform.h"

/* The faulting instructions, at addresses the handler can compare with. */
void do_ud2(void);
void do_div0(void);
void do_int3(void);
void do_cli(void);
void ud2_without_stack(void);
void do_step(void);
void sigreturn_without_frame(void);
extern const char ud2_insn[], div_insn[], int3_insn[], cli_insn[], step_insn[];
#define MARK 0x600DF00Du /* in EBX at the ud2, for the ucontext to show */
__asm__(".text\n"
	".globl do_ud2\n"
	"do_ud2:\n"
	"	pushl %ebx\n"
	"	movl $0x600DF00D, %ebx\n"
	".globl ud2_insn\n"
	"ud2_insn:\n"
	"	ud2\n"
	"	popl %ebx\n"
	"	ret\n"
	".globl do_div0\n"
	"do_div0:\n"
	"	movl $1, %eax\n"
	"	xorl %edx, %edx\n"
	"	xorl %ecx, %ecx\n"
	".globl div_insn\n"
	"div_insn:\n"
	"	divl %ecx\n"
	"	ret\n"
	".globl do_int3\n"
	"do_int3:\n"
	".globl int3_insn\n"
	"int3_insn:\n"
	"	int3\n"
	"	ret\n"
	".globl do_cli\n"
	"do_cli:\n"
	".globl cli_insn\n"
	"cli_insn:\n"
	"	cli\n"
	"	ret\n"
	".globl do_step\n"
	"do_step:\n"
	"	pushfl\n"
	"	orl $0x100, (%esp)\n"
	"	popfl\n"
	".globl step_insn\n"
	"step_insn:\n"
	"	nop\n"
	"	nop\n"
	"	ret\n"
	".globl sigreturn_without_frame\n"
	"sigreturn_without_frame:\n"
	"	movl $0x1000, %esp\n"
	"	movl $173, %eax\n" /* rt_sigreturn */
	"	int $0x80\n"
	"	ud2\n"
	".globl ud2_without_stack\n"
	"ud2_without_stack:\n"
	"	movl $0x1000, %esp\n"
	"	ud2\n");

#define ALT_SIZE 65536
static char alt[ALT_SIZE];

/* What the last handler call saw. */
static volatile int calls, sig_arg, signo, code, trapno, err, on_alt;
static volatile uintptr_t addr, eip, cr2, ebx;

/* What the handler does after looking. */
enum mode { LONGJMP, SKIP, FIX, FAULT_AGAIN, STOP_STEPPING };
static volatile enum mode mode;
static volatile int skip;
static void *volatile fix_page;
static sigjmp_buf env;

/* NULL, read through a pointer the compiler cannot see through. */
static volatile int *volatile unmapped;

static void fault(void)
{
	(void)*unmapped;
}

static void handler(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	char local;
	calls++;
	sig_arg = sig;
	signo = si->si_signo;
	code = si->si_code;
	addr = (uintptr_t)si->si_addr;
	eip = (uintptr_t)uc->uc_mcontext.gregs[REG_EIP];
	trapno = uc->uc_mcontext.gregs[REG_TRAPNO];
	err = uc->uc_mcontext.gregs[REG_ERR];
	ebx = (uintptr_t)uc->uc_mcontext.gregs[REG_EBX];
	cr2 = uc->uc_mcontext.cr2;
	on_alt = &local >= alt && &local < alt + ALT_SIZE;
	switch (mode) {
	case LONGJMP: siglongjmp(env, 1);
	case SKIP: uc->uc_mcontext.gregs[REG_EIP] += skip; return;
	case FIX: mprotect(fix_page, PAGE, PROT_READ | PROT_WRITE); return;
	case FAULT_AGAIN: fault(); return;
	case STOP_STEPPING: uc->uc_mcontext.gregs[REG_EFL] &= ~0x100; return; /* TF */
	}
}

static void catch (int sig, int flags, enum mode m)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaction(sig, &sa, NULL);
	mode = m;
	calls = 0;
}

static const char *code_name(int sig, int c)
{
	static char unknown[32];
	if (c == SI_KERNEL)
		return "SI_KERNEL";
	if (c == SI_USER)
		return "SI_USER";
	switch (sig) {
	case SIGSEGV:
		if (c == SEGV_MAPERR)
			return "SEGV_MAPERR";
		if (c == SEGV_ACCERR)
			return "SEGV_ACCERR";
		break;
	case SIGBUS:
		if (c == BUS_ADRALN)
			return "BUS_ADRALN";
		if (c == BUS_ADRERR)
			return "BUS_ADRERR";
		if (c == BUS_OBJERR)
			return "BUS_OBJERR";
		break;
	case SIGFPE:
		if (c == FPE_INTDIV)
			return "FPE_INTDIV";
		if (c == FPE_INTOVF)
			return "FPE_INTOVF";
		break;
	case SIGILL:
		if (c == ILL_ILLOPC)
			return "ILL_ILLOPC";
		if (c == ILL_ILLOPN)
			return "ILL_ILLOPN";
		break;
	case SIGTRAP:
		if (c == TRAP_BRKPT)
			return "TRAP_BRKPT";
		if (c == TRAP_TRACE)
			return "TRAP_TRACE";
		break;
	default: break;
	}
	snprintf(unknown, sizeof(unknown), "si_code %d", c);
	return unknown;
}

static const char *where(uintptr_t a, uintptr_t target, uintptr_t insn)
{
	if (a == 0)
		return "zero";
	if (target && a == target)
		return "the faulting address";
	if (insn && a == insn)
		return "the instruction";
	if (insn && a == insn + 1)
		return "the next byte";
	return "elsewhere";
}

/* What the handler saw for a fault at target (a data address, or 0) by the
 * instruction at insn (or 0 when the compiler placed it). */
static void report(const char *what, uintptr_t target, uintptr_t insn)
{
	printf("%s: handler calls %d\n", what, calls);
	if (!calls)
		return;
	printf("%s: %s %s\n", what, signal_name(signo), code_name(signo, code));
	yes_no("  handler's sig is si_signo", sig_arg == signo);
	printf("  si_addr: %s\n", where(addr, target, insn));
	printf("  trapno %d\n", trapno);
	if (target) {
		printf("  uc cr2: %s\n", where(cr2, target, insn));
		yes_no("  err says write", err & 2);
	}
	if (insn)
		printf("  uc eip: %s\n", where(eip, 0, insn));
}

/* ---- page faults ---- */

static void unmapped_read(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(p, PAGE);
	volatile int *target = (volatile int *)(p + 0x124);
	catch (SIGSEGV, 0, LONGJMP);
	if (sigsetjmp(env, 1) == 0) {
		(void)*target;
		printf("unmapped read: no fault\n");
	}
	report("unmapped read", (uintptr_t)target, 0);
}

/* The handler makes the page writable and returns: the store runs again
 * and succeeds. */
static void readonly_write(void)
{
	char *p = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	volatile int *target = (volatile int *)(p + 0x248);
	fix_page = p;
	catch (SIGSEGV, 0, FIX);
	*target = 42;
	report("read-only write", (uintptr_t)target, 0);
	printf("read-only write: the store took effect after the handler: %s\n",
	       *target == 42 ? "yes" : "no");
	munmap(p, PAGE);
}

#define BUS_FILE "tmp/fault_handlers.bus"

static void past_end_of_file(void)
{
	int fd = open(BUS_FILE, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, "0123456789", 10) != 10) {
		printf("past the end of a file: cannot make the file: %s\n", errno_name(errno));
		return;
	}
	char *p = mmap(NULL, 2 * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("past the end of a file: mmap: %s\n", errno_name(errno));
		return;
	}
	volatile char *target = p + PAGE + 0x10;
	catch (SIGBUS, 0, LONGJMP);
	printf("past the end of a file: first byte %c\n", p[0]);
	if (sigsetjmp(env, 1) == 0) {
		(void)*target;
		printf("past the end of a file: no fault\n");
	}
	report("past the end of a file", (uintptr_t)target, 0);
	munmap(p, 2 * PAGE);
	unlink(BUS_FILE);
}

/* ---- other exceptions ---- */

static void divide_by_zero(void)
{
	catch (SIGFPE, 0, LONGJMP);
	if (sigsetjmp(env, 1) == 0) {
		do_div0();
		printf("divide by zero: no fault\n");
	}
	report("divide by zero", 0, (uintptr_t)div_insn);
}

/* The handler moves EIP past the ud2 and returns: the program goes on. */
static void invalid_opcode(void)
{
	catch (SIGILL, 0, SKIP);
	skip = 2;
	do_ud2();
	report("ud2", 0, (uintptr_t)ud2_insn);
	yes_no("  uc ebx holds the value set before ud2", ebx == MARK);
	printf("ud2: went on after the handler\n");
}

static void breakpoint(void)
{
	catch (SIGTRAP, 0, SKIP);
	skip = 0;
	do_int3();
	report("int3", 0, (uintptr_t)int3_insn);
	printf("int3: went on after the handler\n");
}

/* TF set by popf traps after the instruction that follows. */
static void single_step(void)
{
	catch (SIGTRAP, 0, STOP_STEPPING);
	do_step();
	report("single step", 0, (uintptr_t)step_insn);
	printf("single step: went on after the handler\n");
}

static void privileged(void)
{
	catch (SIGSEGV, 0, SKIP);
	skip = 1;
	do_cli();
	report("cli", 0, (uintptr_t)cli_insn);
	printf("cli: went on after the handler\n");
}

/* ---- handlers that cannot run ---- */

static void reset_hand(void)
{
	catch (SIGSEGV, SA_RESETHAND, LONGJMP);
	if (sigsetjmp(env, 1) == 0)
		fault();
	printf("SA_RESETHAND: first fault, handler calls %d\n", calls);
	struct sigaction now;
	sigaction(SIGSEGV, NULL, &now);
	yes_no("SA_RESETHAND: action is SIG_DFL now", now.sa_handler == SIG_DFL);
	fflush(stdout);
	fault();
	printf("SA_RESETHAND: second fault survived\n");
}

static void blocked(void)
{
	catch (SIGSEGV, 0, LONGJMP);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGSEGV);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (sigsetjmp(env, 0) == 0)
		fault();
	printf("blocked: survived, handler calls %d\n", calls);
}

/* SIGSEGV is blocked while its handler runs: a fault there kills. */
static void fault_in_handler(void)
{
	catch (SIGSEGV, 0, FAULT_AGAIN);
	fault();
	printf("fault in the handler: survived, handler calls %d\n", calls);
}

static void ignored_fault(void)
{
	signal(SIGSEGV, SIG_IGN);
	fault();
	printf("ignored: survived\n");
}

static void blocked_fpe(void)
{
	catch (SIGFPE, 0, LONGJMP);
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGFPE);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (sigsetjmp(env, 0) == 0)
		do_div0();
	printf("blocked SIGFPE: survived, handler calls %d\n", calls);
}

/* ---- stack overflow ---- */

static volatile int depth_limit = 1 << 30;

static int __attribute__((noinline)) recurse(int n)
{
	volatile char buf[1024];
	buf[0] = (char)n;
	if (n >= depth_limit)
		return buf[0];
	return recurse(n + 1) + buf[0];
}

static void overflow_on_altstack(void)
{
	stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
	if (sigaltstack(&ss, NULL)) {
		printf("overflow: sigaltstack: %s\n", errno_name(errno));
		return;
	}
	catch (SIGSEGV, SA_ONSTACK, LONGJMP);
	if (sigsetjmp(env, 1) == 0) {
		recurse(0);
		printf("overflow: no fault\n");
	}
	printf("overflow: handler calls %d\n", calls);
	printf("overflow: %s %s\n", signal_name(signo), code_name(signo, code));
	yes_no("overflow: the handler ran on the alternate stack", on_alt);
	printf("overflow: the program goes on\n");
}

static volatile int ill_calls;

static void count_ill(int sig)
{
	(void)sig;
	ill_calls++;
}

/* SIGILL's frame does not fit (the stack pointer is nowhere): SIGSEGV
 * instead, which its handler takes on the alternate stack. */
static void no_room_for_sigill(void)
{
	stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
	sigaltstack(&ss, NULL);
	signal(SIGILL, count_ill);
	catch (SIGSEGV, SA_ONSTACK, LONGJMP);
	if (sigsetjmp(env, 1) == 0)
		ud2_without_stack();
	printf("no room for SIGILL: SIGILL handler calls %d\n", ill_calls);
	report("no room for SIGILL", 0, 0);
	yes_no("  the handler ran on the alternate stack", on_alt);
}

/* rt_sigreturn finds no frame: SIGSEGV, which a handler may take. */
static void bad_sigreturn(void)
{
	stack_t ss = {.ss_sp = alt, .ss_size = ALT_SIZE, .ss_flags = 0};
	sigaltstack(&ss, NULL);
	catch (SIGSEGV, SA_ONSTACK, LONGJMP);
	if (sigsetjmp(env, 1) == 0)
		sigreturn_without_frame();
	printf("bad rt_sigreturn: handler calls %d\n", calls);
	printf("bad rt_sigreturn: %s %s\n", signal_name(signo), code_name(signo, code));
	printf("  si_addr: %s\n", where(addr, 0, 0));
}

static void overflow_without_altstack(void)
{
	catch (SIGSEGV, 0, LONGJMP);
	if (sigsetjmp(env, 1) == 0)
		recurse(0);
	printf("overflow without sigaltstack: survived, handler calls %d\n", calls);
}

int main(void)
{
	conform_start("fault_handlers");
	unmapped_read();
	readonly_write();
	past_end_of_file();
	divide_by_zero();
	invalid_opcode();
	breakpoint();
	single_step();
	privileged();
	signal(SIGSEGV, SIG_DFL);

	in_child("SA_RESETHAND", reset_hand);
	in_child("blocked SIGSEGV", blocked);
	in_child("fault in the SIGSEGV handler", fault_in_handler);
	in_child("ignored SIGSEGV", ignored_fault);
	in_child("blocked SIGFPE", blocked_fpe);
	in_child("overflow on a sigaltstack", overflow_on_altstack);
	in_child("overflow without sigaltstack", overflow_without_altstack);
	in_child("no room for SIGILL", no_room_for_sigill);
	in_child("bad rt_sigreturn", bad_sigreturn);
	printf("the parent is still running\n");
	return conform_end();
}
