"""QEMU cases for the reliability issue, in the format of cases.py.

test=stress (kernel/stress.c) runs 200,000 random VMM and PMM operations on
the real MMU, with a TLB check on every remap and vm_check() every 250
operations, and passes only if every frame came back.  About 1.5 s under
TCG; the timeout leaves room for a loaded machine.  A second case runs
another seed at 32 MiB; the small machines (2 and 5 MiB) run out of frames
on the way, where NO_MEMORY is the expected answer (issue 15, defect 9:
this exact replay failed at 5 MiB before).
"""

PASS = 33
STRESS_TIMEOUT = 60

CASES = [
    {
        "name": "stress",
        "append": "test=stress",
        "mem": "64M",
        "expect_exit": PASS,
        "expect_lines": [
            "stress: seed 1, 200000 operations",
            "stress: 200000 operations passed; every frame came back",
            "Test result: PASS",
        ],
        "timeout": STRESS_TIMEOUT,
    },
    {
        "name": "stress-seed-32M",
        "append": "test=stress seed=20240601",
        "mem": "32M",
        "expect_exit": PASS,
        "expect_lines": [
            "stress: seed 20240601, 200000 operations",
            "stress: 200000 operations passed; every frame came back",
        ],
        "timeout": STRESS_TIMEOUT,
    },
    {
        "name": "stress-replay-5M",
        "append": "test=stress seed=1 ops=70811",
        "mem": "5M",
        "expect_exit": PASS,
        "expect_lines": ["stress: 70811 operations passed; every frame came back"],
        "timeout": STRESS_TIMEOUT,
    },
    {
        "name": "stress-2M",
        "append": "test=stress seed=2",
        "mem": "2M",
        "expect_exit": PASS,
        "expect_lines": ["stress: 200000 operations passed; every frame came back"],
        "timeout": STRESS_TIMEOUT,
    },
]
