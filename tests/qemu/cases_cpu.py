"""QEMU cases for old CPUs and for a panic path that faults, in the format of
cases.py.

The kernel is compiled for the 486 (no cmov) and asks CPUID for everything
newer.  QEMU's 486 has CPUID but no TSC and no global pages; its Pentium has
a TSC but no global pages.  Each must boot, say what it lacks in one `CPU:`
line, and pass the whole in-kernel suite; a panic there must print its full
report; the benchmarks, which count instructions with rdtsc, refuse to run
without a TSC.  panic-fault makes the panic's own printing fault: the short
fallback line and the fail code must still come out.
"""

PASS = 33
FAIL = 35

CASES = [
    {
        "name": "ktest-486",
        "append": "test=ktest",
        "mem": "32M",
        "cpu": "486",
        "expect_exit": PASS,
        "expect_lines": ["CPU: family 4 model 8; without TSC (no boot timing, no benchmarks), PGE",
                         "KTAP version 1", "1.."],
        "timeout": 60,
    },
    {
        "name": "ktest-pentium",
        "append": "test=ktest",
        "mem": "32M",
        "cpu": "pentium",
        "expect_exit": PASS,
        "expect_lines": ["CPU: family 5 model 4; without PGE", "KTAP version 1", "1.."],
        "timeout": 60,
    },
    {
        "name": "ud2-486",
        "append": "test=ud2",
        "mem": "32M",
        "cpu": "486",
        "expect_exit": FAIL,
        "expect_lines": [
            "Triggering test exception with UD2...",
            "CPU EXCEPTION", "vector 6: Invalid Opcode",
            "Backtrace:",
            "trigger_ud2+0x",
            "KERNEL PANIC: Invalid Opcode (vector 6) at 0x",
        ],
    },
    {
        "name": "bench-486-needs-tsc",
        "append": "test=bench bench_iters=8",
        "mem": "32M",
        "cpu": "486",
        "expect_exit": FAIL,
        "expect_lines": ["Bench: needs a time-stamp counter (rdtsc); this CPU has none",
                         "Test result: FAIL"],
    },
    {
        "name": "panic-fault",
        "append": "test=panic-fault",
        "mem": "32M",
        "expect_exit": FAIL,
        "expect_lines": [
            "Triggering a panic whose message faults at 0xC0000000...",
            "KERNEL PANIC: this reason cannot be read: ",
            "KERNEL PANIC: fault while printing a panic: vector 0x0000000E at EIP 0x",
        ],
    },
    {
        "name": "panic-fault-486",
        "append": "test=panic-fault",
        "mem": "32M",
        "cpu": "486",
        "expect_exit": FAIL,
        "expect_lines": [
            "KERNEL PANIC: this reason cannot be read: ",
            "KERNEL PANIC: fault while printing a panic: vector 0x0000000E at EIP 0x",
        ],
    },
]
