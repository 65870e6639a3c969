"""QEMU cases for ring 3 and processes (issue 12), in the format of cases.py.

test=ring3 boots, checks that orphans go to pid 1, runs the `proc` KTAP
suite (hand-assembled programs in tests/kernel/user_programs.asm), then a
program reads a line typed on COM1 and writes it back.  Every line the
kernel prints about a process starts with `toyix: `.
"""

PASS = 33

CASES = [
    {
        "name": "ring3",
        "append": "test=ring3",
        "mem": "32M",
        "expect_exit": PASS,
        "expect_lines": [
            "ring3: orphans go to pid 1, then to the kernel: ok",
            "KTAP version 1",
            "# ktest: ",
            "hello from ring 3",
            " (cli): SIGSEGV at 0x01",
            "ring3 read got: hello tty",
            "ring3: read from the console: ok",
            "Test result: PASS",
        ],
        "serial_input": [{"wait": "ring3 read: type a line", "send": "hello tty\r"}],
        "timeout": 60,
    },
    # The same on the smallest RAM the boot suite uses, where every process's
    # frames and kernel stack must come back for the next one to start.
    {
        "name": "ring3-4m",
        "append": "test=ring3",
        "mem": "4M",
        "expect_exit": PASS,
        "expect_lines": [
            "ring3: orphans go to pid 1, then to the kernel: ok",
            "ring3: read from the console: ok",
        ],
        "serial_input": [{"wait": "ring3 read: type a line", "send": "hello tty\r"}],
        "timeout": 60,
    },
]
