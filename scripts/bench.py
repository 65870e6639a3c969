#!/usr/bin/env python3
"""Instruction-count benchmarks of the Toyix boot and memory paths.

Boots BUILD/toyix.elf under QEMU with `test=bench` and
`-icount shift=0,sleep=off`, where one TSC tick is one guest instruction, so
every figure is an exact count and repeats from run to run.  The kernel
(kernel/bench.c) prints `BENCH name value`, and so does the user program
/bin/bench (user/bench.c), booted as PID 1 with `test=init` for what
processes cost; each metric comes with `<metric>_max`, its slowest sample.
This script names the figures by the boot they came from and writes
BUILD/bench.json, one flat object of metric -> guest instructions (per
operation; per boot for boot_insns_*), and BUILD/bench.svg, the scaling
plot: fork + exit + wait against the memory the parent touched, and boot
against RAM size.

    scripts/bench.py [--build build]   boots at 4M, 128M and 3G (see BOOTS),
                                       the user program, the scaling boots;
                                       the table against the targets,
                                       bench.json, bench.svg
    scripts/bench.py --quick           one short kernel boot and one short
                                       user boot that check every BENCH line
                                       appears (make check)

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
    Boot("3G", "pmm_full", {"pmm_alloc_free_full": "pmm_alloc_free_3g_full",
                            "pmm_alloc_free_full_max": "pmm_alloc_free_3g_full_max"}),
]

# Every line a default `test=bench` boot prints (the --quick check); all but
# boot_insns (one boot, one figure) also print <name>_max.
KERNEL_METRICS = [
    "pmm_alloc_free",
    "pmm_alloc_free_full",
    "vmm_map_unmap",
    "vmm_map_unmap_new_table",
    "vmm_translate",
    "kmalloc_free_16",
    "kmalloc_free_256",
    "kmalloc_free_4096",
    "kmalloc_free_16_fragmented",
    "kmalloc_random",
    "kfree_random",
]

# What /bin/bench prints with no metric named (user/bench.c), each with _max.
USER_METRICS = [
    "syscall_getpid",
    "fork_exit_wait_small",
    "fork_exit_wait_4m",
    "page_fault_zero",
    "page_fault_cow",
    "mmap_munmap_anon",
    "exec_small",
    "yield_pingpong",
    "page_fault_zero_10k_regions",
    "poll_pipe_pingpong",
]
USER_MEMORY = "128M"
USER_RUNS = 200
QUICK_USER_RUNS = 5

# The scaling plot: boots at these RAM sizes, and fork + exit + wait after
# the parent touched these many KiB (0.25 to 16 MiB), in one boot.
SCALING_BOOT_MEMORY = ["4M", "16M", "64M", "256M", "1G", "2G", "3584M"]
SCALING_FORK_KIB = [256, 512, 1024, 2048, 4096, 8192, 16384]
SCALING_FORK_RUNS = 20
DEBIAN_DIST_PACKAGES = "/usr/lib/python3/dist-packages"

BOOT_TARGET = 100_000
BOOT_3G_FACTOR = 1.2  # RAM size may cost boot time, but only this much

# Metric -> (target, how the target is written in the table), in report order.
# The 3G boot target depends on the 128M figure, so it is a function.
TARGETS = [
    ("boot_insns_4m", lambda m: BOOT_TARGET, "100,000"),
    ("boot_insns_128m", lambda m: BOOT_TARGET, "100,000"),
    ("boot_insns_3g", lambda m: BOOT_3G_FACTOR * m["boot_insns_128m"]
     if "boot_insns_128m" in m else None, "1.2 x 128M"),
    ("pmm_alloc_free", lambda m: 42, "42"),
    ("pmm_alloc_free_3g_full", lambda m: 42, "42"),
    ("vmm_map_unmap", lambda m: 70, "70"),
    ("vmm_map_unmap_new_table", lambda m: 2500, "2,500"),
    ("vmm_translate", lambda m: 16, "16"),
    ("kmalloc_free_16", lambda m: 75, "75"),
    ("kmalloc_free_256", lambda m: 75, "75"),
    ("kmalloc_free_4096", lambda m: 75, "75"),
    ("kmalloc_free_16_fragmented", lambda m: 75, "75"),
    ("kmalloc_random_max", lambda m: 2000, "2,000"),
    ("kfree_random_max", lambda m: 2000, "2,000"),
    ("syscall_getpid", lambda m: 300, "300"),
    ("fork_exit_wait_small", lambda m: 60_000, "60,000"),
    ("fork_exit_wait_4m", lambda m: 200_000, "200,000"),
    ("page_fault_zero", lambda m: 2000, "2,000"),
    ("page_fault_cow", lambda m: 2500, "2,500"),
    ("mmap_munmap_anon", lambda m: 1500, "1,500"),
    ("exec_small", lambda m: 150_000, "150,000"),
    ("yield_pingpong", lambda m: 2000, "2,000"),
    ("page_fault_zero_10k_regions", lambda m: 1.5 * m["page_fault_zero"]
     if "page_fault_zero" in m else None, "1.5 x zero"),
]


class BootError(Exception):
    pass


def run_boot(qemu, elf, memory, cmdline, workdir, initrd=None):
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
    if initrd:
        cmd += ["-initrd", initrd]
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


def user_boot(qemu, elf, initrd, args, workdir):
    """Boots /bin/bench as PID 1 with ARGS; returns its figures."""
    cmdline = "test=init init=/bin/bench -- " + args
    status, output = run_boot(qemu, elf, USER_MEMORY, cmdline, workdir, initrd)
    if status != QEMU_EXIT_PASS:
        raise BootError(describe_failure(f"{USER_MEMORY} /bin/bench", status, output))
    figures = parse_bench_lines(output)
    if not figures:
        raise BootError("/bin/bench passed but printed no BENCH lines")
    return figures


def scaling_runs(args, elf, initrd, workdir):
    """Boot cost per RAM size and fork cost per touched KiB, for the plot."""
    boots = {}
    for memory in SCALING_BOOT_MEMORY:
        figures, _ = boot_and_collect(args.qemu, elf, Boot(memory, "boot", {}), 0, workdir)
        boots[memory] = figures["boot_insns"]
    forks = user_boot(args.qemu, elf, initrd,
                      f"-n {SCALING_FORK_RUNS} forkmem "
                      + " ".join(str(k) for k in SCALING_FORK_KIB), workdir)
    return boots, {k: forks[f"fork_exit_wait_kib_{k}"] for k in SCALING_FORK_KIB}


def memory_mib(text):
    units = {"M": 1, "G": 1024}
    return int(text[:-1]) * units[text[-1]]


def write_plot(path, elf, boots, forks):
    """Two panels: both lines should stay flat."""
    try:
        import matplotlib
    except ImportError:
        # Debian's python3-matplotlib is in dist-packages, which a python3
        # not from Debian (pyenv, a venv) of the same version does not search.
        sys.path.append(DEBIAN_DIST_PACKAGES)
        try:
            import matplotlib
        except ImportError:
            print("bench: matplotlib missing (Debian: python3-matplotlib); no plot written")
            return False
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    matplotlib.rcParams["svg.hashsalt"] = "toyix"  # the same figures, the same file
    matplotlib.rcParams["svg.fonttype"] = "none"
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    kib = list(forks)
    left.plot([k / 1024 for k in kib], [forks[k] for k in kib], marker="o")
    left.set_xscale("log", base=2)
    left.set_xlabel("memory the parent touched (MiB)")
    left.set_ylabel("guest instructions (median)")
    left.set_title("fork + exit + wait")
    left.set_ylim(bottom=0)
    mems = list(boots)
    right.plot([memory_mib(m) for m in mems], [boots[m] for m in mems], marker="o")
    right.set_xscale("log", base=2)
    right.set_xlabel("RAM (MiB)")
    right.set_ylabel("guest instructions")
    right.set_title("boot, kernel entry to the timer wait")
    right.set_ylim(bottom=0)
    for ax in (left, right):
        ax.grid(True, which="both", alpha=0.3)
    fig.suptitle(f"Toyix under qemu -icount shift=0: {elf}")
    fig.tight_layout()
    fig.savefig(path, metadata={"Date": None})
    plt.close(fig)
    return True


def print_table(metrics):
    rows = [("metric", "median", "max", "target", "")]
    listed = set()
    for name, target_of, target_text in TARGETS:
        listed.add(name)
        if name not in metrics:
            rows.append((name, "missing", "", target_text, ""))
            continue
        target = target_of(metrics)
        verdict = "" if target is None else ("ok" if metrics[name] <= target else "over target")
        worst = metrics.get(name + "_max")
        worst = f"{worst:,}" if worst is not None else ""
        rows.append((name, f"{metrics[name]:,}", worst, target_text, verdict))
    for name in metrics:  # figures the kernel added that have no target yet
        if name not in listed and not name.endswith("_max"):
            worst = metrics.get(name + "_max")
            rows.append((name, f"{metrics[name]:,}", f"{worst:,}" if worst is not None else "",
                         "-", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    for i, r in enumerate(rows):
        print(f"  {r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:>{widths[2]}}  "
              f"{r[3]:>{widths[3]}}  {r[4]}".rstrip())
        if i == 0:
            print("  " + "-" * (sum(widths) + 6 + 2 + len("over target")))
    over = sum(1 for r in rows[1:] if r[4] == "over target")
    print(f"  {over} of {len(rows) - 1} metrics over target" if over
          else "  every metric within its target")


def ordered(metrics):
    """bench.json in the order of TARGETS, then anything new."""
    order = [name for name, _, _ in TARGETS]
    out = {name: metrics[name] for name in order if name in metrics}
    out.update({k: v for k, v in metrics.items() if k not in out})
    return out


def full_run(args, elf, initrd, workdir):
    metrics = {}
    used_iters = set()
    start = time.monotonic()
    for boot in BOOTS:
        figures, iters = boot_and_collect(args.qemu, elf, boot, args.iters, workdir)
        metrics.update(figures)
        if boot.groups != "boot":
            used_iters.add(iters)
    metrics.update(user_boot(args.qemu, elf, initrd, f"-n {USER_RUNS}", workdir))
    boots, forks = scaling_runs(args, elf, initrd, workdir)
    metrics.update({f"fork_exit_wait_kib_{k}": v for k, v in forks.items()})
    metrics.update({f"boot_insns_ram_{m.lower()}": v for m, v in boots.items()})
    elapsed = time.monotonic() - start
    metrics = ordered(metrics)
    out_path = os.path.join(args.build, "bench.json")
    with open(out_path, "w") as f:
        json.dump(metrics, f, indent=2)
        f.write("\n")
    iters = "/".join(str(i) for i in used_iters)
    boots_run = len(BOOTS) + 2 + len(SCALING_BOOT_MEMORY)
    print(f"Toyix benchmarks: {elf}: guest instructions per operation, the median and the "
          f"slowest of {iters} operations each in the kernel, {USER_RUNS} from user space "
          f"(boot_insns_*: kernel entry to the timer wait); {boots_run} boots in {elapsed:.1f} s")
    print_table(metrics)
    print(f"wrote {out_path}")
    svg_path = os.path.join(args.build, "bench.svg")
    if write_plot(svg_path, elf, boots, forks):
        print(f"wrote {svg_path}")
    return 0


def missing_lines(figures, names):
    return [n for name in names for n in (name, name + "_max") if n not in figures]


def quick_run(args, elf, initrd, workdir):
    status, output = run_boot(args.qemu, elf, "128M",
                              f"test=bench bench_iters={QUICK_ITERS}", workdir)
    if status != QEMU_EXIT_PASS:
        first = describe_failure("128M", status, output)
        print(f"bench quick: FAIL: {first}")
        return 1
    figures = parse_bench_lines(output)
    missing = missing_lines(figures, KERNEL_METRICS)
    missing += [] if "boot_insns" in figures else ["boot_insns"]
    if missing:
        print(f"bench quick: FAIL: no BENCH line for {', '.join(missing)}")
        return 1
    try:
        user = user_boot(args.qemu, elf, initrd, f"-n {QUICK_USER_RUNS}", workdir)
    except BootError as e:
        print(f"bench quick: FAIL: {e}")
        return 1
    missing = missing_lines(user, USER_METRICS)
    if missing:
        print(f"bench quick: FAIL: /bin/bench printed no BENCH line for {', '.join(missing)}")
        return 1
    print(f"bench quick: PASS ({len(figures)} kernel figures at 128M, {QUICK_ITERS} operations "
          f"each, boot {figures['boot_insns']:,} instructions; {len(user)} user figures, "
          f"{QUICK_USER_RUNS} runs each)")
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="build",
                        help="build directory holding toyix.elf (build or build/clang)")
    parser.add_argument("--quick", action="store_true",
                        help="one short boot that only checks the bench still runs")
    parser.add_argument("--iters", type=int, default=0,
                        help=f"operations per metric, 1..{MAX_ITERS} (kernel default: 2000)")
    parser.add_argument("--initrd", default="build/initrd.cpio",
                        help="root file system holding /bin/bench (both compilers share it)")
    parser.add_argument("--qemu", default=os.environ.get("QEMU", "qemu-system-i386"))
    args = parser.parse_args()
    if args.iters and not 1 <= args.iters <= MAX_ITERS:
        parser.error(f"--iters must be in 1..{MAX_ITERS} (the kernel's sample array)")

    elf = os.path.join(args.build, "toyix.elf")
    if not os.path.isfile(elf):
        print(f"bench: {elf} not found; build it first (make, or make CC=clang)",
              file=sys.stderr)
        return 1
    initrd = args.initrd
    if not os.path.isfile(initrd):
        print(f"bench: {initrd} not found; build it first (make)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="toyix-bench-") as workdir:
        try:
            run = quick_run if args.quick else full_run
            return run(args, elf, initrd, workdir)
        except BootError as e:
            print(f"bench: {e}", file=sys.stderr)
            return 1


if __name__ == "__main__":
    sys.exit(main())
