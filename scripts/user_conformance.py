#!/usr/bin/env python3
"""Runs the conformance programs of tests/user/ on Linux and compares what
they print with the recordings in tests/user/NAME.expected.

    scripts/user_conformance.py --check-host [--native | --linux-vm]
                                [--only NAME]... [--summary-file F]
    scripts/user_conformance.py --record [--native | --linux-vm] [--only NAME]...

Linux is the reference (SPEC section 5): a recording is what the program
prints on Linux, and Toyix must print the same (tests/qemu/cases_user.py
compares Toyix's output with the same files).  Each program runs with
build/initrd-root (the staged root file system) as its current directory
and stdout and stderr together.

Where Linux comes from:
  --native     this host runs the i386 binaries itself (amd64 Debian with
               IA32 emulation does);
  --linux-vm   a Linux kernel (Debian's, /boot/vmlinuz-*, or
               TOYIX_LINUX_KERNEL) boots in qemu-system-x86_64 with
               build/initrd.cpio plus tests/linux/oracle_init.c as PID 1,
               which runs the programs and prints each one's output
               between markers;
  default      native when the host can, else the VM when a kernel is
               there, else every program is skipped with one line saying
               why (skipped programs count neither as passed nor failed).

--check-host: one line per program, `PASS name` or `FAIL name` with a diff,
then `N passed, N failed` (`, N skipped`); exit 1 when anything failed.
--record: runs everything twice, refuses output that differs between the
two runs (it would not be a recording), and writes the .expected files.
Needs `make initrd build/linux-oracle/oracle_init` first (make user-check
does it).  Python 3 standard library only.
"""

import argparse
import difflib
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests" / "user"
USER_B = ROOT / "build" / "user"
INITRD_ROOT = ROOT / "build" / "initrd-root"
INITRD = ROOT / "build" / "initrd.cpio"
ORACLE_INIT = ROOT / "build" / "linux-oracle" / "oracle_init"
PROGRAM_TIMEOUT = 60
VM_TIMEOUT = 300


def programs(only):
    names = sorted(Path(p).stem for p in glob.glob(str(TESTS / "*.c")))
    if only:
        unknown = [n for n in only if n not in names]
        if unknown:
            sys.exit(f"user_conformance: no such program: {', '.join(unknown)}")
        names = [n for n in names if n in only]
    return names


def normalize(text):
    return text.replace("\r\n", "\n").replace("\r", "\n")


def can_run_natively():
    """(True, "") when this host executes an i386 static binary, else
    (False, why)."""
    probe = USER_B / "init"
    if not probe.exists():
        return False, f"{probe.relative_to(ROOT)} is not built"
    try:
        r = subprocess.run([str(probe)], cwd=INITRD_ROOT, capture_output=True, timeout=20)
    except OSError as e:
        return False, f"the host kernel cannot execute i386 programs ({e.strerror})"
    except subprocess.TimeoutExpired:
        return False, "an i386 program did not finish on this host"
    if r.returncode != 0:
        return False, f"an i386 program exited {r.returncode} on this host"
    return True, ""


def linux_kernel():
    k = os.environ.get("TOYIX_LINUX_KERNEL")
    if k:
        return k if Path(k).exists() else None
    found = sorted(glob.glob("/boot/vmlinuz-*"))
    return found[-1] if found else None


def run_native(names):
    out = {}
    for name in names:
        # Its own session, so whatever it leaves running can be ended.
        proc = subprocess.Popen([f"bin/{name}"], cwd=INITRD_ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        try:
            data, _ = proc.communicate(timeout=PROGRAM_TIMEOUT)
            out[name] = (normalize(data.decode("utf-8", "replace")), proc.returncode)
        except subprocess.TimeoutExpired:
            out[name] = (None, f"timed out after {PROGRAM_TIMEOUT}s")
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
    return out


def run_linux_vm(names, kernel):
    """Boots Linux once and runs every program; {name: (output, status)}."""
    tmp = Path(tempfile.mkdtemp(prefix="toyix-oracle-"))
    try:
        stage = tmp / "root"
        stage.mkdir()
        shutil.copy(ORACLE_INIT, stage / "oracle_init")
        subprocess.run([sys.executable, str(ROOT / "scripts" / "mkinitrd.py"), "pack",
                        "--root", str(stage), "--out", str(tmp / "oracle.cpio")], check=True)
        # Linux reads concatenated newc archives one after the other.
        (tmp / "all.cpio").write_bytes(INITRD.read_bytes() + (tmp / "oracle.cpio").read_bytes())
        log = tmp / "serial.log"
        append = ("console=ttyS0 quiet loglevel=0 panic=-1 rdinit=/oracle_init -- "
                  + " ".join(names))
        cmd = ["qemu-system-x86_64", "-m", "512M", "-kernel", kernel,
               "-initrd", str(tmp / "all.cpio"), "-append", append,
               "-display", "none", "-no-reboot", "-monitor", "none",
               "-serial", f"file:{log}"]
        try:
            subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.PIPE, timeout=VM_TIMEOUT)
        except subprocess.TimeoutExpired:
            pass
        text = normalize(log.read_bytes().decode("utf-8", "replace")) if log.exists() else ""
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out = {name: (None, "no output from the Linux VM") for name in names}
    current, lines = None, []
    for line in text.split("\n"):
        m = re.match(r"^@@oracle (begin|end) (\S+)(?: status (0x[0-9a-f]+))?$", line)
        if m and m.group(1) == "begin":
            current, lines = m.group(2), []
        elif m and m.group(1) == "end" and current == m.group(2):
            status = int(m.group(3), 16)
            code = (status >> 8) & 0xFF if status & 0x7F == 0 else -(status & 0x7F)
            out[current] = ("".join(l + "\n" for l in lines), code)
            current = None
        elif current is not None:
            lines.append(line)
    return out


def choose(args):
    """('native' | 'vm' | None, kernel, why-not)."""
    native, why = can_run_natively()
    kernel = linux_kernel()
    if args.native:
        return ("native", None, "") if native else (None, None, why)
    if args.linux_vm or not native:
        if kernel and shutil.which("qemu-system-x86_64"):
            return "vm", kernel, ""
        reason = why + "; " if not args.linux_vm else ""
        return None, None, reason + "no Linux kernel image (/boot/vmlinuz-*, TOYIX_LINUX_KERNEL) " \
            "or qemu-system-x86_64 to run them in"
    return "native", None, ""


# Linux hands at most 32 words of its command line to init (MAX_INIT_ARGS)
# and panics at more, so the VM runs the programs in batches.
VM_BATCH = 24


def run(names, how, kernel):
    if how == "native":
        return run_native(names)
    out = {}
    for i in range(0, len(names), VM_BATCH):
        out.update(run_linux_vm(names[i:i + VM_BATCH], kernel))
    return out


def describe(how, kernel):
    return "natively on this host" if how == "native" else f"on Linux in QEMU ({Path(kernel).name})"


def check(args, names):
    how, kernel, why = choose(args)
    if how is None:
        print(f"SKIP user-conformance: {len(names)} programs not run: {why}")
        write_summary(args, 0, 0)
        print(f"0 passed, 0 failed, {len(names)} skipped")
        return 0
    print(f"user-conformance: running {len(names)} programs {describe(how, kernel)}")
    results = run(names, how, kernel)
    passed = failed = 0
    for name in names:
        text, code = results[name]
        expected_path = TESTS / f"{name}.expected"
        problems = []
        if text is None:
            problems.append(str(code))
        elif code != 0:
            problems.append(f"exit {code}" if code > 0 else f"killed by signal {-code}")
        if not expected_path.exists():
            problems.append(f"no recording {expected_path.relative_to(ROOT)} "
                            "(scripts/user_conformance.py --record); it printed:")
            problems += ["  | " + l for l in (text or "").splitlines()[-40:]]
        elif text is not None:
            want = expected_path.read_text()
            if text != want:
                problems.append("output differs from the recording (stale? re-record with "
                                "--record after checking the diff)")
                diff = list(difflib.unified_diff(want.splitlines(), text.splitlines(),
                                                 "recorded", "now", lineterm="", n=1))
                problems += ["  " + l for l in diff[:40]]
        if problems:
            failed += 1
            print(f"FAIL {name}: {problems[0]}")
            for p in problems[1:]:
                print(f"    {p}")
        else:
            passed += 1
            print(f"PASS {name}")
    write_summary(args, passed, failed)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


def record(args, names):
    how, kernel, why = choose(args)
    if how is None:
        print(f"user_conformance: cannot record: {why}", file=sys.stderr)
        return 1
    print(f"user_conformance: recording {len(names)} programs {describe(how, kernel)}, twice")
    first, second = run(names, how, kernel), run(names, how, kernel)
    bad = 0
    for name in names:
        (a, code), (b, _) = first[name], second[name]
        if a is None or code != 0:
            print(f"  {name}: not recorded: {code if a is None else f'exit status {code}'}")
            bad += 1
        elif a != b:
            print(f"  {name}: not recorded: output differs between two runs")
            for l in difflib.unified_diff(a.splitlines(), b.splitlines(), lineterm="", n=0):
                print("    " + l)
            bad += 1
        else:
            (TESTS / f"{name}.expected").write_text(a)
            print(f"  {name}: {len(a.splitlines())} lines")
    return 1 if bad else 0


def write_summary(args, passed, failed):
    if args.summary_file:
        Path(args.summary_file).write_text(f"{passed} {failed}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = ap.add_mutually_exclusive_group(required=True)
    mode.add_argument("--check-host", action="store_true", help="compare with the recordings")
    mode.add_argument("--record", action="store_true", help="write the recordings")
    where = ap.add_mutually_exclusive_group()
    where.add_argument("--native", action="store_true", help="run on this host only")
    where.add_argument("--linux-vm", action="store_true", help="run on Linux in QEMU only")
    ap.add_argument("--only", action="append", metavar="NAME", help="one program (repeatable)")
    ap.add_argument("--summary-file", metavar="F", help='write "passed failed" to F')
    args = ap.parse_args()
    names = programs(args.only)
    for need in (INITRD, INITRD_ROOT):
        if not need.exists():
            sys.exit(f"user_conformance: {need.relative_to(ROOT)} missing (make initrd)")
    return check(args, names) if args.check_host else record(args, names)


if __name__ == "__main__":
    sys.exit(main())
