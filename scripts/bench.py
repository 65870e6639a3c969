#!/usr/bin/env python3
"""Instruction-count benchmarks of the Toyix boot and memory paths.

Boots BUILD/toyix.elf under QEMU with `test=bench` and
`-icount shift=0,sleep=off`, where one TSC tick is one guest instruction, so
every figure is an exact count and repeats from run to run.  The kernel
(kernel/bench.c) prints `BENCH name value`; this script names the figures by
the boot they came from and writes BUILD/bench.json, one flat object of
metric -> guest instructions (per operation; per boot for boot_insns_*).

    scripts/bench.py [--build build]   boots at 4M, 128M and 3G (see BOOTS),
                                       the table against the targets, bench.json
    scripts/bench.py --quick           one short 128M boot that checks every
                                       BENCH line appears (make check)

Being over a target is reported, never an error: benchmarks do not fail the
build.  A boot that fails or prints no figures is an error (exit status 1).
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time

QEMU_EXIT_PASS = 33  # the kernel wrote 0x10 to the isa-debug-exit port
BOOT_TIMEOUT_S = 40  # the slowest boot (3G) takes about a second
QUICK_ITERS = 50
MAX_ITERS = 8192  # BENCH_MAX_ITERS in kernel/bench.c

BENCH_LINE = re.compile(r"^BENCH (\S+) (\d+)\s*$")
ITERS_LINE = re.compile(r"^Bench: (\d+) operations per metric")


# One QEMU boot: its RAM size, the kernel's bench groups to run, and how the
# kernel's names become bench.json names for this boot.
Boot = collections.namedtuple("Boot", "memory groups rename")


# Boot figures come from boots whose command lines are identical: printing
# the command line costs ~120 instructions a character, as much as going
# from 4M to 3G of RAM, so a longer bench_only= would skew the comparison.
# The operation figures come from separate boots; only the 3G one has
# enough frames for the full-RAM case to mean something.
BOOTS = [
    Boot("4M", "boot", {"boot_insns": "boot_insns_4m"}),
    Boot("128M", "boot", {"boot_insns": "boot_insns_128m"}),
    Boot("3G", "boot", {"boot_insns": "boot_insns_3g"}),
    Boot("128M", "pmm,vmm,heap", {}),
    Boot("3G", "pmm_full", {"pmm_alloc_free_full": "pmm_alloc_free_3g_full"}),
]

# Every line a default `test=bench` boot prints (the --quick check).
KERNEL_METRICS = [
    "boot_insns",
    "pmm_alloc_free",
    "pmm_alloc_free_full",
    "vmm_map_unmap",
    "vmm_map_unmap_new_table",
    "vmm_translate",
    "kmalloc_free_16",
    "kmalloc_free_256",
    "kmalloc_free_4096",
    "kmalloc_free_16_fragmented",
]

BOOT_TARGET = 300_000
BOOT_3G_FACTOR = 1.2  # RAM size may cost boot time, but only this much

# Metric -> (target, how the target is written in the table), in report order.
# The 3G boot target depends on the 128M figure, so it is a function.
TARGETS = [
    ("boot_insns_4m", lambda m: BOOT_TARGET, "300,000"),
    ("boot_insns_128m", lambda m: BOOT_TARGET, "300,000"),
    ("boot_insns_3g", lambda m: BOOT_3G_FACTOR * m["boot_insns_128m"]
     if "boot_insns_128m" in m else None, "1.2 x 128M"),
    ("pmm_alloc_free", lambda m: 60, "60"),
    ("pmm_alloc_free_3g_full", lambda m: 60, "60"),
    ("vmm_map_unmap", lambda m: 80, "80"),
    ("vmm_map_unmap_new_table", lambda m: 2500, "2,500"),
    ("vmm_translate", lambda m: 20, "20"),
    ("kmalloc_free_16", lambda m: 100, "100"),
    ("kmalloc_free_256", lambda m: 100, "100"),
    ("kmalloc_free_4096", lambda m: 100, "100"),
    ("kmalloc_free_16_fragmented", lambda m: 100, "100"),
]


class BootError(Exception):
    pass


def run_boot(qemu, elf, memory, cmdline, workdir):
    """Boots once and returns (exit status, serial output)."""
    fd, serial = tempfile.mkstemp(prefix=f"serial-{memory}-", suffix=".log", dir=workdir)
    os.close(fd)
    cmd = [
        qemu, "-kernel", elf, "-append", cmdline,
        "-icount", "shift=0,sleep=off",
        "-m", memory,
        "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
        "-display", "none", "-no-reboot", "-monitor", "none",
        "-serial", f"file:{serial}",
    ]
    try:
        proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=BOOT_TIMEOUT_S)
        status = proc.returncode
        qemu_output = proc.stdout.decode(errors="replace")
    except subprocess.TimeoutExpired:
        status, qemu_output = None, ""
    except OSError as e:
        raise BootError(f"cannot run {qemu}: {e}") from e
    try:
        with open(serial, errors="replace") as f:
            output = f.read()
    except OSError:
        output = ""
    return status, output + qemu_output


def parse_bench_lines(output):
    figures = {}
    for line in output.splitlines():
        m = BENCH_LINE.match(line.strip("\r"))
        if m:
            figures[m.group(1)] = int(m.group(2))
    return figures


def describe_failure(memory, status, output):
    what = "timed out" if status is None else f"ended with exit status {status}"
    lines = output.strip().splitlines()[-15:]
    if not lines:
        return f"{memory} boot {what} (want {QEMU_EXIT_PASS}) with no serial output"
    tail = "\n".join("    " + l for l in lines)
    return f"{memory} boot {what} (want {QEMU_EXIT_PASS}); serial ends:\n{tail}"


def kernel_iters(output):
    for line in output.splitlines():
        m = ITERS_LINE.match(line)
        if m:
            return int(m.group(1))
    return None


def boot_and_collect(qemu, elf, boot, iters, workdir):
    """Runs one boot of BOOTS; returns its figures under bench.json names and
    the operations per metric the kernel used."""
    cmdline = f"test=bench bench_only={boot.groups}"
    if iters:
        cmdline += f" bench_iters={iters}"
    status, output = run_boot(qemu, elf, boot.memory, cmdline, workdir)
    if status != QEMU_EXIT_PASS:
        raise BootError(describe_failure(boot.memory, status, output))
    figures = parse_bench_lines(output)
    if not figures:
        raise BootError(f"{boot.memory} boot passed but printed no BENCH lines")
    named = {boot.rename.get(name, name): value for name, value in figures.items()}
    return named, kernel_iters(output)


def print_table(metrics):
    rows = [("metric", "instructions", "target", "")]
    listed = set()
    for name, target_of, target_text in TARGETS:
        listed.add(name)
        if name not in metrics:
            rows.append((name, "missing", target_text, ""))
            continue
        target = target_of(metrics)
        verdict = "" if target is None else ("ok" if metrics[name] <= target else "over target")
        rows.append((name, f"{metrics[name]:,}", target_text, verdict))
    for name in metrics:  # figures the kernel added that have no target yet
        if name not in listed:
            rows.append((name, f"{metrics[name]:,}", "-", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    for i, r in enumerate(rows):
        print(f"  {r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  {r[3]}".rstrip())
        if i == 0:
            print("  " + "-" * (sum(widths) + 4 + 2 + len("over target")))
    over = sum(1 for r in rows[1:] if r[3] == "over target")
    print(f"  {over} of {len(rows) - 1} metrics over target" if over
          else "  every metric within its target")


def ordered(metrics):
    """bench.json in the order of TARGETS, then anything new."""
    order = [name for name, _, _ in TARGETS]
    out = {name: metrics[name] for name in order if name in metrics}
    out.update({k: v for k, v in metrics.items() if k not in out})
    return out


def full_run(args, elf, workdir):
    metrics = {}
    used_iters = set()
    start = time.monotonic()
    for boot in BOOTS:
        figures, iters = boot_and_collect(args.qemu, elf, boot, args.iters, workdir)
        metrics.update(figures)
        if boot.groups != "boot":
            used_iters.add(iters)
    elapsed = time.monotonic() - start
    metrics = ordered(metrics)
    out_path = os.path.join(args.build, "bench.json")
    with open(out_path, "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    iters = "/".join(str(i) for i in used_iters)
    print(f"Toyix benchmarks: {elf}: guest instructions per operation, the median of "
          f"{iters} operations each (boot_insns_*: kernel entry to the timer wait); "
          f"{len(BOOTS)} boots in {elapsed:.1f} s")
    print_table(metrics)
    print(f"wrote {out_path}")
    return 0


def quick_run(args, elf, workdir):
    status, output = run_boot(args.qemu, elf, "128M",
                              f"test=bench bench_iters={QUICK_ITERS}", workdir)
    if status != QEMU_EXIT_PASS:
        first = describe_failure("128M", status, output)
        print(f"bench quick: FAIL: {first}")
        return 1
    figures = parse_bench_lines(output)
    missing = [m for m in KERNEL_METRICS if m not in figures]
    if missing:
        print(f"bench quick: FAIL: no BENCH line for {', '.join(missing)}")
        return 1
    print(f"bench quick: PASS ({len(figures)} figures at 128M, {QUICK_ITERS} operations each, "
          f"boot {figures['boot_insns']:,} instructions)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build",
                        help="build directory holding toyix.elf (build or build/clang)")
    parser.add_argument("--quick", action="store_true",
                        help="one short boot that only checks the bench still runs")
    parser.add_argument("--iters", type=int, default=0,
                        help=f"operations per metric, 1..{MAX_ITERS} (kernel default: 2000)")
    parser.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-i386"))
    args = parser.parse_args()
    if args.iters and not 1 <= args.iters <= MAX_ITERS:
        parser.error(f"--iters must be in 1..{MAX_ITERS} (the kernel's sample array)")

    elf = os.path.join(args.build, "toyix.elf")
    if not os.path.isfile(elf):
        print(f"bench: {elf} not found; build it first (make, or make CC=clang)",
              file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="toyix-bench-") as workdir:
        try:
            return quick_run(args, elf, workdir) if args.quick else full_run(args, elf, workdir)
        except BootError as e:
            print(f"bench: {e}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
