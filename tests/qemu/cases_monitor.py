"""QEMU cases for the monitor (kernel/monitor.c): commands typed into COM1,
one keyboard case typed through QMP send-key, replies checked on serial.

A boot without test= lands in the monitor.  Each line is typed only once the
previous prompt appeared (the runner's serial_input), and every case but the
reboot one ends with `halt`, which writes the pass code.  Each expected line
is specific enough never to match the echo of what was typed: replies start
with the command's name and a colon, errors with `error: `.
"""

PROMPT = "toyix> "
PASS = 33
HALTED = "halt: CPU stopped"
CHECK_OK = "check: OK"
SCRATCH = "0x40000000"  # free VMM space, away from the ktest scratch region


ENDS_ITSELF = ("\n", "\x03")  # a line that already ends in enter or Ctrl-C


def typed(line):
    """A line as a terminal sends it: ended with CR unless it ends itself."""
    return line if line.endswith(ENDS_ITSELF) else line + "\r"


def monitor_case(name, lines, expect, mem="32M", timeout=30):
    """Types lines and then halt; expects the lines of expect in order, then
    the halt line."""
    return {
        "name": name,
        "append": "",
        "mem": mem,
        "prompt": PROMPT,
        "serial_input": [typed(line) for line in lines] + ["halt\r"],
        "expect_exit": PASS,
        "expect_lines": ["Monitor: type 'help'"] + expect + [HALTED],
        "timeout": timeout,
    }


# (line typed, what the reply must contain), run in this order.
MAP_CYCLE = [
    ("palloc", "palloc: frame 0x"),
    ("check", CHECK_OK),
    (f"map {SCRATCH} .", f"map: {SCRATCH} -> 0x"),
    ("check", CHECK_OK),
    ("translate 0x40000123", "translate: 0x40000123 -> 0x"),
    (f"poke {SCRATCH} 0xCAFEBABE", f"poke: {SCRATCH}: 0xCAFEBABE (was 0x"),
    ("check", CHECK_OK),
    (f"peek {SCRATCH} 2", f"{SCRATCH}: 0xCAFEBABE 0x"),
    ("pfree .", "error: pfree 0x"),  # still mapped: refused...
    ("check", CHECK_OK),
    (f"unmap {SCRATCH}", f"unmap: {SCRATCH} (was 0x"),
    ("check", CHECK_OK),
    (f"translate {SCRATCH}", f"error: translate {SCRATCH}: not mapped (no page table"),
    (f"peek {SCRATCH}", f"error: peek {SCRATCH}: not mapped"),
    ("pfree .", "pfree: frame 0x"),  # ...and accepted once unmapped
    ("check", CHECK_OK),
    ("pfree .", "error: pfree 0x"),  # a second time: not allocated
    ("check", CHECK_OK),
]

# Malformed numbers and wrong argument counts: one error line each.
BAD_SYNTAX = [
    ("frob", "error: unknown command 'frob'"),
    ("peek 0xZZ", "error: peek: address '0xZZ': not a decimal or 0x hex number"),
    ("peek 12a", "error: peek: address '12a': not a decimal or 0x hex number"),
    ("peek 0x100000000", "error: peek: address '0x100000000': more than 32 bits"),
    ("peek 4294967296", "error: peek: address '4294967296': more than 32 bits"),
    ("poke 0x00200000 0x", "error: poke: value '0x': no digits"),
    ("peek", "error: peek: too few arguments (usage: peek ADDR [COUNT])"),
    ("peek 1 2 3", "error: peek: too many arguments"),
    ("map 0x40000000", "error: map: too few arguments"),
    ("map 1 2 3 4 5", "error: map: too many arguments"),
    ("palloc now", "error: palloc: too many arguments (usage: palloc)"),
    ("translate", "error: translate: too few arguments"),
    ("unmap 1 2", "error: unmap: too many arguments"),
    ("map 0x40000000 .", "error: map: physical address '.': no frame yet"),
    ("map 0x40000000 0xB8000 rx", "error: map: unknown option 'rx'"),
    ("map 0x40000000 0xB8000 rw ro", "error: map: 'ro': rw or ro may be given once"),
    ("peek 0x00100000 65", "error: peek: count 65: must be 1 to 64 words"),
    ("peek 0x00100000 0", "error: peek: count 0: must be 1 to 64 words"),
    ("check", CHECK_OK),
]

# Unaligned, reserved, foreign and unmapped addresses: refused, nothing changes.
BAD_ADDRESSES = [
    ("map 0x40000001 0xB8000", "error: map 0x40000001 0x000B8000: invalid argument: virtual address not page-aligned"),
    ("map 0x40000000 0xB8001", "error: map 0x40000000 0x000B8001: invalid argument: physical address not page-aligned"),
    ("map 0x00200000 0xB8000", "error: map 0x00200000 0x000B8000: invalid argument: virtual address outside the VMM's region"),
    ("map 0xFFC00000 0xB8000", "error: map 0xFFC00000 0x000B8000: invalid argument: virtual address outside"),
    ("map 0xD1000000 0xB8000", "error: map 0xD1000000 0x000B8000: invalid argument: 0xD1000000-0xD1FFFFFF belongs to the kernel heap"),
    ("map 0x40000000 0x01000000", "error: map 0x40000000 0x01000000: invalid argument: the frame is free"),
    ("unmap 0x40000000", "error: unmap 0x40000000: not mapped"),
    ("unmap 0xD1000000", "error: unmap 0xD1000000: invalid argument: 0xD1000000-0xD1FFFFFF belongs to the kernel heap"),
    ("unmap 0x00100000", "error: unmap 0x00100000: invalid argument: virtual address outside"),
    # ktest maps and unmaps there and assumes it empty.
    ("map 0xE0000000 0xB8000", "error: map 0xE0000000 0x000B8000: invalid argument: 0xE0000000-0xEFFFFFFF is the in-kernel tests' scratch region"),
    ("map 0xEFFFF000 0xB8000 ro", "error: map 0xEFFFF000 0x000B8000: invalid argument: 0xE0000000-0xEFFFFFFF is the in-kernel tests'"),
    ("unmap 0xE0000000", "error: unmap 0xE0000000: invalid argument: 0xE0000000-0xEFFFFFFF is the in-kernel tests'"),
    ("peek 0x00100002", "error: peek 0x00100002: invalid argument: address not 4-byte aligned"),
    ("peek 0", "error: peek 0x00000000: not mapped (page 0 stays unmapped so NULL faults)"),
    ("peek 0xC0000000", "error: peek 0xC0000000: not mapped"),
    # 8 words from 16 bytes below the end of the identity map: the second page is unmapped.
    ("peek 0x00FFFFF0 8", "error: peek 0x01000000: not mapped"),
    ("peek 0xFFFFFFFC 2", "error: peek 0xFFFFFFFC: 2 words run past 0xFFFFFFFF"),
    ("poke 0x00100000 1", "error: poke 0x00100000: refused: kernel text or read-only data"),
    ("poke 0xFFFFF000 1", "error: poke 0xFFFFF000: refused: a page table seen through the recursive slot"),
    ("poke 0x00100001 1", "error: poke 0x00100001: invalid argument: address not 4-byte aligned"),
    ("poke 0xC0000000 1", "error: poke 0xC0000000: not mapped"),
    # The link word of the first heap block (parked in the free cache at
    # boot): a bad value there once made `check` fault.
    ("poke 0xD100000C 0x10", "error: poke 0xD100000C: refused: the kernel heap"),
    ("poke 0xD1003FF0 1", "error: poke 0xD1003FF0: refused: the kernel heap"),
    # The VGA text buffer, mapped read-only: poke must refuse, not fault.
    ("map 0x40000000 0xB8000 ro", "map: 0x40000000 -> 0x000B8000 ro kernel"),
    ("poke 0x40000000 1", "error: poke 0x40000000: refused: the page is read-only"),
    ("map 0x40000000 0xB8000", "error: map 0x40000000 0x000B8000: already mapped"),
    ("unmap 0x40000000", "unmap: 0x40000000 (was 0x000B8000)"),
    ("pfree 0x00100000", "error: pfree 0x00100000: reserved frame (frame state: kernel"),
    ("pfree 0x01000000", "error: pfree 0x01000000: frame not allocated (frame state: free"),
    ("pfree 0x01000001", "error: pfree 0x01000001: invalid argument"),
    ("check", CHECK_OK),
]

INFO = [
    ("help", "  map VIRT PHYS [rw|ro] [user]"),
    ("mem", "pmm: "),
    ("", "Multiboot memory map"),
    ("", "  0x0000000000000000-0x000000000009FBFF available"),
    ("vmmap", "  0x00001000-0x000FFFFF -> 0x00001000    255 pages rw kernel"),
    ("", "  0xD1000000-0xD1000FFF -> 0x"),
    ("", "  0xFFFFF000-0xFFFFFFFF -> 0x"),
    ("", "vmmap: "),
    # The boot self-test's three blocks wait in the free cache: the
    # listing and the totals both call them cached, not free.
    ("heap", "heap: 4 pages at 0xD1000000; blocks: 0 live (0 bytes), 1 free (16048 bytes), 3 cached (320 bytes)"),
    ("", "  0xD1000010 cached  32 bytes"),
    ("", "  0xD1000150 free    16032 bytes"),
    ("ticks", "ticks: "),
    ("ktest", "KTAP version 1"),
    ("", "ktest: all cases passed"),
    ("check", CHECK_OK),
]


def from_table(name, table, **kw):
    return monitor_case(name, [line for line, _ in table if line],
                        [reply for _, reply in table], **kw)


LONG_LINE = "x" * 100
# 75 characters: 3 past the limit, then 3 backspaces bring it back to 72 and
# the line runs (and fails on its own terms, proving it was not refused).
BACK_INTO_LIMIT = "help " + "a" * 70 + "\x7f" * 3

# Identity-mapped pages from 4 MiB up (past the kernel and its stack guard):
# every reply names its own.
BURST_PAGES = [0x400000 + i * 4096 for i in range(2000)]
BURST_LINES = [f"translate 0x{a:08X}\r" for a in BURST_PAGES]
BURST_REPLIES = [f"translate: 0x{a:08X} -> 0x{a:08X}" for a in BURST_PAGES]

CASES = [
    from_table("monitor-map-cycle", MAP_CYCLE),
    from_table("monitor-bad-syntax", BAD_SYNTAX),
    from_table("monitor-bad-addresses", BAD_ADDRESSES),
    from_table("monitor-info", INFO, timeout=60),
    monitor_case("monitor-line-editing", [
        LONG_LINE,
        BACK_INTO_LIMIT,
        "tickz\x7f\x08ks",        # both backspace codes
        "palloc\r\n",             # CR LF from a terminal is one enter, not two
        "check",
        "\x1b[A\x1b[A",           # up twice: palloc again
        "\x1b[A\x1b[A\x1b[A\x1b[B",  # up, up, up, down: check again
        "pfree 0x\x03",           # Ctrl-C drops the line
        "\x1bOA",                 # up in application cursor mode: check
        "\x1b[C\x1b[3~\x1b[Dticks",  # other arrows and delete: ignored
    ], [
        "error: line too long (100 characters, at most 72); nothing was run",
        "error: help: too many arguments",
        "ticks: ",
        "palloc: frame 0x",
        CHECK_OK,
        "palloc: frame 0x",
        CHECK_OK,
        "^C",
        CHECK_OK,
        "ticks: ",
    ]),
    {
        # PS/2 keyboard through QMP send-key, with the line state of each
        # source kept apart: "he" typed on the keyboard survives a whole
        # command on serial, then "lp" and enter complete `help`.
        "name": "monitor-keyboard",
        "append": "",
        "mem": "32M",
        "serial_input": [
            {"wait": PROMPT, "keys": ["h", "e"]},
            {"wait": "he", "send": "ticks\r"},
            {"wait": "ticks: ", "keys": ["l", "p", "ret"]},
            {"wait": "Numbers are decimal", "send": "halt\r"},
        ],
        "expect_exit": PASS,
        "expect_lines": ["Monitor: type 'help'", "ticks: ", "  translate [PID] ADDR",
                         "Numbers are decimal", HALTED],
    },
    {
        # Under -no-reboot a reset ends QEMU with status 0: the one case that
        # expects 0, since reboot must reset, not halt.
        "name": "monitor-reboot",
        "append": "",
        "mem": "32M",
        "prompt": PROMPT,
        "serial_input": ["reboot\r"],
        "expect_exit": 0,
        "expect_lines": ["reboot: pulsing the keyboard controller's reset line"],
    },
    # The boot modules' and the frame records' windows are mapped once at
    # boot; unmapping them would pull the root file system or the PMM's own
    # books from under the kernel.
    monitor_case("monitor-kernel-windows-refused", [
        "map 0xC0400000 0x1000",
        "unmap 0xD2000000",
    ], [
        "error: map 0xC0400000 0x00001000: invalid argument: 0xC0400000-0xCFFFFFFF belongs to "
        "the boot modules",
        "error: unmap 0xD2000000: invalid argument: 0xD2000000-0xD23FFFFF belongs to the frame "
        "records",
    ]),
    # A pasted script: 2,000 lines sent at once, each with its own address,
    # must each get its own reply, in order; before COM1 held the sender
    # back, 70 replies came and lines merged ("tickks").
    {
        "name": "monitor-burst-2000-lines",
        "append": "",
        "mem": "32M",
        "serial_input": [{"wait": "Monitor: type 'help'",
                          "send": "".join(BURST_LINES) + "halt\r"}],
        "expect_exit": PASS,
        "expect_lines": BURST_REPLIES + [HALTED],
        "timeout": 90,
    },
]


# ---- processes (run, ps, vmmap PID, translate PID, kill) -------------------
# These boot with the root file system; the word `monitor` starts init=
# beside the monitor instead of giving it the console.  /bin/init exits at
# once (its greeting), and the kernel, its parent, reaps it: no zombie.

def process_case(name, init, lines, expect, timeout=60):
    case = monitor_case(name, lines, expect, mem="128M", timeout=timeout)
    case["append"] = f"monitor init={init}"
    case["initrd"] = "build/initrd.cpio"
    return case


RUN = [
    ("run /bin/init one two", "init: hello from user space (/bin/init, 2 arguments)"),
    ("", "init: argv[1] = one"),
    ("", "init: argv[2] = two"),
    ("", "run: /bin/init exited with status 0"),
    # The kernel's context keeps scheduling while run waits: a program that
    # sleeps a second in nanosleep (with two children) comes back.
    ("run /bin/sleeper 1", "sleeper: pid 3 sleeping 1 seconds (children 4 and 5)"),
    ("", "sleeper: done"),
    ("", "run: /bin/sleeper exited with status 0"),
    ("run /bin/sleeper crash", "toyix: pid 6 (sleeper): SIGSEGV at 0x00000000"),
    ("", "run: /bin/sleeper killed by SIGSEGV"),
    ("run /bin/nope", "error: run /bin/nope: ENOENT"),
    ("run /etc/hello.txt", "error: run /etc/hello.txt: EACCES: not an executable regular file"),
    ("run /bin", "error: run /bin: EACCES"),
    ("run", "error: run: too few arguments (usage: run PATH [ARG...])"),
    ("ps", "ps: 0 processes;"),
    ("mem", "pmm: "),
    ("check", CHECK_OK),
]

# sleeper (pid 1) forks pid 2, which exits at once and stays a zombie while
# its parent sleeps, and pid 3, which sleeps too and shares its parent's
# pages: ps, vmmap, translate and kill look at all three.
PROCESSES = [
    ("ps", "ps: 3 processes;"),
    ("", "    PID  PPID STATE     NAME            RESIDENT SHARED PRIVATE"),
    ("", "      1     0 "),  # sleeping, or runnable just before its nanosleep
    ("", "      2     1 zombie    sleeper                -      -       -"),
    ("", "      3     1 sleeping  sleeper"),
    ("vmmap 1", "vmmap: pid 1 (sleeper) regions: start-end (inclusive)"),
    ("", "r-xp 0x00001000 file"),
    ("", "rw-p 0x00000000 anon grows-down"),
    ("", "vmmap: pid 1 (sleeper) resident pages:"),
    ("", "ro user"),
    ("", "rw user"),
    ("", "vmmap: pid 1: 7 regions, "),
    ("translate 1 0x08048000", "translate: pid 1 0x08048000 -> 0x"),
    # The ELF header page, mapped read-only by parent and child: one frame,
    # two references.
    ("translate 3 0x08048010", "; frame references 2)"),
    ("translate 1 0x40000000", "error: translate 1 0x40000000: not mapped (no region of pid 1 holds it)"),
    ("translate 1 0xBFF00000", "error: translate 1 0xBFF00000: not mapped (no region"),
    ("translate 1 0x0804800G", "error: translate: address '0x0804800G': not a decimal or 0x hex number"),
    ("vmmap 2", "error: vmmap 2: pid 2 (sleeper) is a zombie"),
    ("vmmap 99", "error: vmmap 99: no such process"),
    ("vmmap 0", "error: vmmap 0: no such process"),
    ("vmmap x1", "error: vmmap: pid 'x1': not a decimal or 0x hex number"),
    ("translate 7 0x08048000", "error: translate 7: no such process"),
    ("kill 2", "error: kill 2: pid 2 (sleeper) is a zombie"),
    ("kill 4294967296", "error: kill: pid '4294967296': more than 32 bits"),
    ("kill -1", "error: kill: pid '-1': not a decimal or 0x hex number"),
    ("kill 1 2", "error: kill: too many arguments"),
    ("ps", "ps: 3 processes;"),
    ("check", CHECK_OK),
    ("kill 3", "kill: pid 3 (sleeper) ended by SIGKILL"),
    ("kill 1", "kill: pid 1 (sleeper) ended by SIGKILL"),
    # Orphaned with no PID 1 left, zombies 2 and 3 are reaped by the kernel,
    # and so is pid 1, whose parent the kernel is.
    ("ps", "ps: 0 processes;"),
    ("kill 1", "error: kill 1: no such process"),
    ("vmmap 3", "error: vmmap 3: no such process"),
    ("mem", "pmm: "),
    ("check", CHECK_OK),
]

CASES += [
    process_case("monitor-run", "/bin/init", [l for l, _ in RUN if l], [r for _, r in RUN]),
    process_case("monitor-processes", "/bin/sleeper -- 60",
                 [l for l, _ in PROCESSES if l], [r for _, r in PROCESSES]),
]
# The first command waits until the program the boot started has spoken.
CASES[-2]["serial_input"][0] = {"wait": "init: hello from user space (/bin/init, 0 arguments)",
                                "send": CASES[-2]["serial_input"][0]}
CASES[-1]["serial_input"][0] = {"wait": "sleeper: pid 1 sleeping 60 seconds (children 2 and 3)",
                                "send": CASES[-1]["serial_input"][0]}
