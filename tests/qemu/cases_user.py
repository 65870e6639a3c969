"""QEMU cases for the conformance programs of tests/user/ (format: cases.py).

Each program boots as PID 1 (`test=init init=/bin/NAME`) from
build/initrd.cpio, and what it prints must be exactly what it printed on
Linux (tests/user/NAME.expected, recorded by scripts/user_conformance.py).
The kernel ends QEMU with the pass code when PID 1 exits 0.

They need a kernel that runs user programs, so they carry "needs": "user"
and run only with TOYIX_USER_TESTS=1 (scripts/qemu_test.py skips them
otherwise and says so).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
PASS = 33

CASES = [
    {
        "name": f"user-{path.stem}",
        "append": f"test=init init=/bin/{path.stem}",
        "mem": "128M",
        "initrd": "build/initrd.cpio",
        "expect_exit": PASS,
        "expect_lines": [f"toyix: starting init /bin/{path.stem}"],
        "expect_output": f"tests/user/{path.stem}.expected",
        "needs": "user",
        "timeout": 90,
    }
    for path in sorted((ROOT / "tests" / "user").glob("*.c"))
]

# /init with arguments after `--`: not a recording, the lines it prints.
CASES.append({
    "name": "user-init-args",
    "append": "test=init init=/bin/init -- one two",
    "mem": "64M",
    "initrd": "build/initrd.cpio",
    "expect_exit": PASS,
    "expect_lines": ["toyix: starting init /bin/init", "init: hello from user space (/bin/init, 2 arguments)",
                     "init: argv[1] = one", "init: argv[2] = two"],
    "needs": "user",
})

# Issue 13: a program that allocates until memory runs out is ended, the
# system survives, and the next program runs normally (user/oom.c runs
# user/memhog.c, then /bin/init).  Little RAM, so memory does run out.
CASES.append({
    "name": "user-oom",
    "append": "test=init init=/bin/oom",
    "mem": "48M",
    "initrd": "build/initrd.cpio",
    "expect_exit": PASS,
    "expect_lines": ["toyix: starting init /bin/oom", "oom: memhog ended: yes",
                     "init: hello from user space (init, 1 argument)", "init: argv[1] = after-oom",
                     "oom: the next program exited 0"],
    "needs": "user",
    "timeout": 120,
})
