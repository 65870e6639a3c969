"""QEMU cases for the kernel command line, in the format of cases.py.

A line is taken up to 2,047 characters, as Linux takes it; a value that is
there but wrong (`seed=abc`, `ops=-1`) is refused with one line saying why
and the fail code, never replaced by a default.
"""

PASS = 33
FAIL = 35


def refused(name, append, line):
    return {
        "name": name,
        "append": append,
        "mem": "32M",
        "expect_exit": FAIL,
        "expect_lines": [line, "Test result: FAIL"],
    }


LONG_PAD = "pad=" + "x" * 1990  # test= lands near character 2,000

CASES = [
    {
        "name": "cmdline-2000-chars",
        "append": LONG_PAD + " test=boot",
        "mem": "32M",
        "expect_exit": PASS,
        "expect_lines": ["Command line: ", "Test scenario: boot", "Timer: observed 3 ticks"],
    },
    refused("cmdline-seed-abc", "test=stress seed=abc",
            "Command line: seed=abc: not a decimal or 0x hex number"),
    refused("cmdline-ops-negative", "test=stress ops=-1",
            "Command line: ops=-1: not a decimal or 0x hex number"),
    refused("cmdline-seed-zero", "test=stress seed=0",
            "Command line: seed=0: out of range (1 to 4294967295)"),
    refused("cmdline-seed-too-long", "test=stress seed=123456789012345678901234567890",
            "Command line: seed=123456789012345678901234567890: too long for a 32-bit number"),
    refused("cmdline-bench-iters-zero", "test=bench bench_iters=0",
            "Command line: bench_iters=0: out of range (1 to "),
    {
        "name": "cmdline-test-name-too-long",
        "append": "test=" + "a" * 100,
        "mem": "32M",
        "expect_exit": FAIL,
        "expect_lines": ["Test scenario: unknown test=aaaaaaaa"],
    },
]
