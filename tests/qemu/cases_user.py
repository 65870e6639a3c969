"""QEMU cases for the conformance programs of tests/user/ (format: cases.py).

Each program boots as PID 1 (`test=init init=/bin/NAME`) from
build/initrd.cpio, and what it prints must be exactly what it printed on
Linux (tests/user/NAME.expected, recorded by scripts/user_conformance.py).
The kernel ends QEMU with the pass code when PID 1 exits 0.
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
        # sh_scripts starts several hundred processes (spawn500.sh alone 520).
        "timeout": 180 if path.stem == "sh_scripts" else 90,
    }
    for path in sorted((ROOT / "tests" / "user").glob("*.c"))
]

# The kernel's note for a process that dies of a fault, and none for a
# fault a handler takes: PID 1 and the children 7, 9 and 10 of
# tests/user/fault_handlers.c take every fault they meet; children 2 to 6
# and 8 die of theirs (pids count up from 1 in the order of main()).
CASES.append({
    "name": "user-fault_handlers-notes",
    "append": "test=init init=/bin/fault_handlers",
    "mem": "128M",
    "initrd": "build/initrd.cpio",
    "expect_exit": PASS,
    "expect_lines": ["toyix: starting init /bin/fault_handlers"]
    + [f"toyix: pid {pid} (fault_handlers): SIGSEGV at 0x00000000: no mapping allows this access"
       for pid in (2, 3, 4, 5)]
    + ["toyix: pid 6 (fault_handlers): SIGFPE at 0x", "toyix: pid 8 (fault_handlers): SIGSEGV at 0x",
       "toyix: init exited with status 0", "vm_check OK"],
    "reject_lines": [f"toyix: pid {pid} (" for pid in (1, 7, 9, 10, 11)],
})

# /init with arguments after `--`: not a recording, the lines it prints.
CASES.append({
    "name": "user-init-args",
    "append": "test=init init=/bin/init -- one two",
    "mem": "64M",
    "initrd": "build/initrd.cpio",
    "expect_exit": PASS,
    "expect_lines": ["toyix: starting init /bin/init", "init: hello from user space (/bin/init, 2 arguments)",
                     "init: argv[1] = one", "init: argv[2] = two"],
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
    "expect_lines": ["toyix: starting init /bin/oom",
                     "toyix: pid 2 (memhog): SIGKILL at 0x",
                     "oom: memhog killed by signal 9", "oom: memhog ended: yes",
                     "init: hello from user space (init, 1 argument)", "init: argv[1] = after-oom",
                     "oom: the next program exited 0", "vm_check OK"],
    "timeout": 120,
})

# Issue 15: the system-call fuzzer (user/sysfuzz.c) as PID 1, one boot per
# seed.  The kernel itself checks the end of the run: every process gone,
# every frame back, vm_check() passing (kernel/init.c), else the fail code.
# A failing seed replays with the same command line.
SYSFUZZ_CALLS = 1500
for seed in (1, 2, 3, 0xC0FFEE):
    CASES.append({
        "name": f"sysfuzz-{seed}",
        "append": f"test=init init=/bin/sysfuzz -- {seed} {SYSFUZZ_CALLS}",
        "mem": "64M",
        "initrd": "build/initrd.cpio",
        "expect_exit": PASS,
        "expect_lines": [f"sysfuzz: seed {seed}, {SYSFUZZ_CALLS} calls",
                         f"sysfuzz: seed {seed} done:", "toyix: init exited with status 0",
                         "vm_check OK"],
        "timeout": 60,
    })

# Issue 15: a fork bomb meets EAGAIN at the process table's limit, every
# member is reaped, and the next program runs (user/forkbomb.c); sysinfo's
# freeram moves by the pages a program touches and unmaps (user/meminfo.c).
CASES.append({
    "name": "user-forkbomb",
    "append": "test=init init=/bin/forkbomb",
    "mem": "64M",
    "initrd": "build/initrd.cpio",
    "expect_exit": PASS,
    "expect_lines": ["toyix: starting init /bin/forkbomb", "forkbomb: fork refused with EAGAIN: yes",
                     "forkbomb: refused with another error: no", "forkbomb: every member ended: yes",
                     "init: argv[1] = after-forkbomb", "forkbomb: the next program exited 0: yes",
                     "toyix: init exited with status 0", "vm_check OK"],
    "timeout": 90,
})
CASES.append({
    "name": "user-meminfo",
    "append": "test=init init=/bin/meminfo",
    "mem": "64M",
    "initrd": "build/initrd.cpio",
    "expect_exit": PASS,
    "expect_lines": ["meminfo: touching 256 pages took them from freeram: yes",
                     "meminfo: unmapping gave them back: yes", "vm_check OK"],
})

# Stop signals never stop PID 1 (Linux ignores them for init: nothing would
# be left to continue it); here BusyBox's shell is PID 1 and stops itself.
CASES.append({
    "name": "user-init-not-stopped",
    "append": "test=init init=/bin/sh -- /etc/stop-self.sh",
    "mem": "64M",
    "initrd": "build/initrd.cpio",
    "expect_exit": PASS,
    "expect_lines": ["toyix: starting init /bin/sh", "init still runs",
                     "toyix: init exited with status 0"],
    "timeout": 30,
})
