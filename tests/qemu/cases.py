"""QEMU test cases, run by scripts/qemu_test.py.

Each case is a dict:

  name           unique; what --only selects
  append         the -append command line (QEMU puts the kernel path first);
                 ignored for ISO cases, whose GRUB entry passes test=boot
  mem            -m value: "32M", "3584M", "4G"
  machine        optional -machine value ("q35")
  cpu            optional -cpu value ("486", "pentium")
  iso            True: boot BUILD/toyix-test.iso with -cdrom instead of -kernel;
                 with an initrd, an ISO the runner makes whose GRUB entry
                 passes `append` and loads the initrd as a module
  expect_exit    33 (kernel wrote 0x10: pass) or 35 (0x11: fail/panic)
  expect_lines   substrings that must appear in this order, each on a later
                 serial line than the one before
  reject_lines   optional substrings that no serial line may contain
  serial_input   optional list of things to type into COM1, each either
                   {"wait": "substring", "send": "text"}  -- send once
                     "substring" appeared after the previous send, or
                   "text"  -- the same, waiting for the case's "prompt"
                 (no fixed sleeps: typing always waits for output)
  prompt         what a plain-string serial_input item waits for
  initrd         optional -initrd argument (a module file, repo-relative)
                 or, for an ISO case, the GRUB module
  timeout        seconds before the case is killed and failed (default 30)
  expect_output  optional path (repo-relative) of a file the user programs'
                 output must equal exactly: the serial lines after the first
                 line starting "toyix: starting init " up to the one saying
                 PID 1 ended, without the lines starting "toyix: " (the
                 kernel's own while programs run)

QEMU exiting 0 (a triple fault under -no-reboot) or the timeout is always a
failure.  When the serial output holds KTAP, every KTAP result counts as a
test of its own.

Every other tests/qemu/cases_*.py with a CASES list of the same shape is
loaded too (names must be unique across files).
"""

# SPEC section 2: the lines a normal boot prints, in order.
BOOT_LINES = [
    "Toyix kernel alive",
    "Boot protocol: Multiboot OK",
    "PMM: parsing Multiboot memory map",
    "PMM test: allocation/free sanity check passed",
    "Paging: enabled with identity map of first 16 MiB",
    "Paging test: identity-mapped kernel data is readable/writable",
    "VMM: initialized kernel address-space mapper",
    "VMM test: starting",
    "VMM test: map/translate/write/unmap sanity check passed",
    "Heap: initialized with 4 page(s)",
    "Heap test: allocation/free sanity check passed",
    "Interrupt hardware: configured",
    "Interrupts: enabled",
    "Timer: observed 3 ticks",
]

PASS = 33
FAIL = 35


def _boot_module(size, seed, name):
    """A module of `size` fixed pseudo-random bytes in build/, and its CRC-32.

    The kernel prints the CRC of the module it finds at idle (test=module);
    equal CRCs mean nothing the kernel allocated during boot landed on it and
    every page of it is reached where it lies.  Made here, never committed;
    written again only when missing or of another size."""
    import os
    import random
    import zlib

    path = os.path.join("build", name)
    os.makedirs("build", exist_ok=True)
    if os.path.exists(path) and os.path.getsize(path) == size:
        with open(path, "rb") as f:
            return path, zlib.crc32(f.read())
    data = random.Random(seed).randbytes(size)
    with open(path + ".part", "wb") as f:
        f.write(data)
    os.replace(path + ".part", path)
    return path, zlib.crc32(data)


MODULE_PATH, MODULE_CRC = _boot_module(300_000, 7, "qemu-module.bin")
# The root file system's size class: 64 MiB at 128 MiB of RAM.  QEMU puts it
# right after the kernel, filling the first 16 MiB; GRUB puts it where it
# likes.  15 MiB is the smallest that used to stop the boot.
BIG_MODULE_PATH, BIG_MODULE_CRC = _boot_module(64 << 20, 64, "qemu-module-64M.bin")
MID_MODULE_PATH, MID_MODULE_CRC = _boot_module(15 << 20, 15, "qemu-module-15M.bin")


def boot_at(name, mem, machine=None, timeout=30):
    """A test=boot case that must reach the timer line with this much RAM."""
    case = {
        "name": name,
        "append": "test=boot",
        "mem": mem,
        "expect_exit": PASS,
        "expect_lines": ["Toyix kernel alive", "Timer: observed 3 ticks"],
        "timeout": timeout,
    }
    if machine:
        case["machine"] = machine
    return case


CASES = [
    {
        "name": "boot-lines",
        "append": "test=boot",
        "mem": "128M",
        "expect_exit": PASS,
        "expect_lines": BOOT_LINES,
    },
    {
        "name": "boot-lines-iso",
        "iso": True,
        "mem": "128M",
        "expect_exit": PASS,
        "expect_lines": BOOT_LINES,
        # GRUB under emulation takes about 10 s alone and passed 30 s on a
        # loaded machine; the guard is only against a hang.
        "timeout": 90,
    },
    {
        "name": "ud2",
        "append": "test=ud2",
        "mem": "32M",
        "expect_exit": FAIL,
        "expect_lines": [
            "Triggering test exception with UD2...",
            "CPU EXCEPTION",
            "Invalid Opcode",
            "KERNEL PANIC",
        ],
    },
    {
        "name": "pagefault",
        "append": "test=pagefault",
        "mem": "32M",
        "expect_exit": FAIL,
        "expect_lines": [
            "Triggering test page fault at 0xC0000000...",
            "PAGE FAULT",
            "Fault address CR2=0xC0000000",
        ],
    },
    {
        "name": "unknown-scenario",
        "append": "test=no-such-thing",
        "mem": "32M",
        "expect_exit": FAIL,
        "expect_lines": ["unknown test=no-such-thing"],
    },
    {
        "name": "ktest",
        "append": "test=ktest",
        "mem": "32M",
        "expect_exit": PASS,
        "expect_lines": ["KTAP version 1", "1.."],
        "timeout": 60,
    },
    {
        # The whole suite again with 3.5 GiB: nothing in it may assume a
        # small machine (records in many chunks, RAM larger than the window).
        "name": "ktest-3584M",
        "append": "test=ktest",
        "mem": "3584M",
        "expect_exit": PASS,
        "expect_lines": ["KTAP version 1", "1.."],
        "timeout": 90,
    },
    {
        # A machine so small that many cases skip for want of frames: those
        # that need more memory skip, and a case that breaks the heap on
        # purpose has its clean-up run however it ends, so nothing cascades
        # into the next.  (At 1536K the kernel and its boot heap no longer
        # fit; the boot then stops with one panic line naming the heap.)
        "name": "ktest-2M",
        "append": "test=ktest",
        "mem": "2M",
        "expect_exit": PASS,
        "expect_lines": ["KTAP version 1", "1..", "# ktest: "],
        "timeout": 60,
    },
    {
        # QEMU puts the kernel path first (skipped); an unknown key=value
        # word before test= must be ignored, not taken for the path.
        "name": "cmdline-path-skipped",
        "append": "foo=bar test=boot",
        "mem": "32M",
        "expect_exit": PASS,
        "expect_lines": ["Toyix kernel alive", "Timer: observed 3 ticks"],
    },
    # RAM sizes (SPEC section 3).  The tiniest may turn out not to fit the
    # kernel; then the expectation becomes exit 35 with a KERNEL PANIC line.
    boot_at("mem-2M", "2M"),
    boot_at("mem-4M", "4M"),
    boot_at("mem-128M", "128M"),
    boot_at("mem-3584M", "3584M", timeout=60),  # 3.5 GiB: 3 GiB low + 512 MiB above 4 GiB
    boot_at("mem-4G", "4G", timeout=60),
    boot_at("q35-256M", "256M", machine="q35"),
    {
        # A module passed like GRUB's `module` (here QEMU -initrd) must
        # survive boot byte for byte, its frames reserved.
        "name": "module-survives-boot",
        "append": "test=module",
        "mem": "8M",
        "initrd": MODULE_PATH,
        "expect_exit": PASS,
        "expect_lines": [f"crc32 0x{MODULE_CRC:08X}, frames reserved"],
    },
    {
        "name": "module-15M",
        "append": "test=module",
        "mem": "128M",
        "initrd": MID_MODULE_PATH,
        "expect_exit": PASS,
        "expect_lines": ["PMM: frame records at 0x", "Module 0: 15728640 bytes at 0x",
                         f"crc32 0x{MID_MODULE_CRC:08X}, frames reserved"],
    },
    {
        "name": "module-64M",
        "append": "test=module",
        "mem": "128M",
        "initrd": BIG_MODULE_PATH,
        "expect_exit": PASS,
        "expect_lines": ["PMM: frame records at 0x", "Module 0: 67108864 bytes at 0x",
                         f"crc32 0x{BIG_MODULE_CRC:08X}, frames reserved"],
        "timeout": 60,
    },
    {
        "name": "module-64M-iso",
        "iso": True,
        "append": "test=module",
        "mem": "128M",
        "initrd": BIG_MODULE_PATH,
        "expect_exit": PASS,
        "expect_lines": ["Module 0: 67108864 bytes at 0x",
                         f"crc32 0x{BIG_MODULE_CRC:08X}, frames reserved"],
        "timeout": 120,  # GRUB reads 64 MiB from the CD through the BIOS: about 10 s alone
    },
    {
        # The whole suite with the records above 16 MiB and 64 MiB mapped.
        "name": "ktest-module-64M",
        "append": "test=ktest",
        "mem": "128M",
        "initrd": BIG_MODULE_PATH,
        "expect_exit": PASS,
        "expect_lines": ["PMM: frame records at 0x", "KTAP version 1", "1.."],
        "timeout": 90,
    },
]
