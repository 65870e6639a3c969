"""QEMU cases for fault diagnostics (issue 6), in the format of cases.py.

Every scenario here breaks the kernel on purpose (kernel/scenarios_faults.c)
and must end in a readable panic: the fail code 35, the decoded exception,
a named backtrace and a last `KERNEL PANIC` line that says what happened.
Exit 0 would be a triple fault (-no-reboot), the very thing these guard
against.  Lines are checked in order, each expected string on a later line
than the one before; addresses and offsets differ between gcc and clang, so
only their stable parts are matched.
"""

FAIL = 35


def fault_case(name, expect_lines, append=None):
    return {
        "name": name,
        "append": append or f"test={name}",
        "mem": "32M",
        "expect_exit": FAIL,
        "expect_lines": expect_lines,
    }


CASES = [
    fault_case("null", [
        "Triggering NULL pointer dereference...",
        "CPU EXCEPTION", "vector 14: Page Fault",
        "PAGE FAULT",
        "Fault address CR2=0x00000000",
        "cause: read of a page that is not present (kernel mode)",
        "CR2 is in the NULL page",
        "hint: NULL pointer dereference",
        "Backtrace:",
        "null_dereference+0x",
        "kernel_main+0x",
        "_start+0x",
        "KERNEL PANIC: Page Fault (vector 14) at 0x",
    ]),
    fault_case("write-text", [
        "Triggering write to kernel text at 0x",
        "CPU EXCEPTION", "vector 14: Page Fault",
        "PAGE FAULT",
        "Fault address CR2=0x",
        "present=1 write=1",
        "cause: write to a read-only page",
        "CR2 is in kernel text/rodata (read-only)",
        "hint: write to read-only kernel text/rodata",
        "Backtrace:",
        "write_kernel_text+0x",
        "kernel_main+0x",
        "KERNEL PANIC: Page Fault (vector 14) at 0x",
    ]),
    # The overflow hits the guard page; the CPU cannot push the #PF frame on
    # the dead stack, escalates to #DF, and the task gate switches to the
    # double-fault task, which reports through trap_dispatch.
    fault_case("stack-overflow", [
        "Triggering kernel stack overflow by unbounded recursion...",
        "CPU EXCEPTION", "vector 8: Double Fault",
        "double fault:",
        "faulting ESP=0x",
        "is in the kernel stack's guard page",
        "hint: kernel stack overflow",
        "Backtrace:",
        "recurse+0x",
        "more times (recursion)",
        "stack_overflow+0x",
        "kernel_main+0x",
        "_start+0x",
        "KERNEL PANIC: Double Fault (vector 8) at 0x",
    ]),
    fault_case("gpf", [
        "Triggering general protection fault: int 0x81",
        "CPU EXCEPTION", "vector 13: General Protection Fault",
        "error 0x40A: IDT entry 129 (vector 0x81: no gate installed)",
        "hint: interrupt through an IDT entry with no gate",
        "error=0x0000040A",
        "Backtrace:",
        "general_protection+0x",
        "KERNEL PANIC: General Protection Fault (vector 13)",
    ]),
    fault_case("divzero", [
        "Triggering divide error: 1 / 0...",
        "CPU EXCEPTION", "vector 0: Divide Error",
        "divide error:",
        "hint: division by zero",
        "Backtrace:",
        "divide_by_zero+0x",
        "KERNEL PANIC: Divide Error (vector 0) at 0x",
    ]),
    fault_case("assert", [
        "Triggering KASSERT failure...",
        "KERNEL PANIC: assertion failed: answer == 42",
        "at kernel/scenarios_faults.c:",
        "CR0=0x",
        "Backtrace:",
        "failed_assertion+0x",
        "kernel_main+0x",
    ]),
    # A corrupt frame pointer: the report must come out whole, and the
    # backtrace stop at the bad frame without reading it.
    fault_case("bad-frame", [
        "Triggering ud2 with frame pointer 0xC0000000...",
        "CPU EXCEPTION", "vector 6: Invalid Opcode",
        "Backtrace:",
        "corrupt_frame_pointer+0x",
        "frame pointer 0xC0000000 is on no kernel stack: stopping",
        "KERNEL PANIC: Invalid Opcode (vector 6)",
    ]),
    # The seed's two fault tests, beyond the seed's letter: decoded, with a
    # named backtrace.
    fault_case("ud2-decoded", [
        "Triggering test exception with UD2...",
        "CPU EXCEPTION", "vector 6: Invalid Opcode",
        "bytes at EIP: 0F 0B",
        "hint: ud2 reached",
        "Backtrace:",
        "trigger_ud2+0x",
        "kernel_main+0x",
        "KERNEL PANIC: Invalid Opcode (vector 6) at 0x",
    ], append="test=ud2"),
    fault_case("pagefault-decoded", [
        "Triggering test page fault at 0xC0000000...",
        "PAGE FAULT",
        "Fault address CR2=0xC0000000",
        "cause: read of a page that is not present (kernel mode)",
        "CR2 is in the page-fault test page",
        "Backtrace:",
        "trigger_page_fault+0x",
        "KERNEL PANIC: Page Fault (vector 14)",
    ], append="test=pagefault"),
]
