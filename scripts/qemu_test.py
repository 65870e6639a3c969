#!/usr/bin/env python3
"""Boots Toyix under QEMU once per test case and checks what it prints.

    scripts/qemu_test.py [--build DIR]... [--only NAME]... [--jobs N] [--list]
                         [--summary-file F] [--log-dir DIR] [--verbose]

The cases live in tests/qemu/cases.py (see its docstring for the format) and
any other tests/qemu/cases_*.py, each defining a list CASES.  Every case runs in
its own QEMU with `-device isa-debug-exit`, so the kernel ends the run: exit
33 is its pass code, 35 its fail code.  QEMU exiting 0 (a triple fault under
-no-reboot) or a case outliving its timeout is a failure.

Output: one line per case, `PASS name (0.42s)` or `FAIL name (reasons)` with
the tail of the serial output; when a case prints KTAP, each KTAP result is a
test of its own (failing ones are listed).  The last line is
`N passed, N failed`; --summary-file writes "N M" for scripts/check.sh.
Exit status: 0 when nothing failed, 1 otherwise, 2 for usage errors.

--build may be given more than once (e.g. build and build/clang): all cases
of all builds share one pool of workers, and names get a `build/clang:`
prefix.  Python 3 standard library only.
"""

import argparse
import concurrent.futures
import difflib
import importlib.util
import json
import os
import re
import selectors
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "tests" / "qemu"
QEMU = os.environ.get("QEMU", "qemu-system-i386")
DEFAULT_TIMEOUT = 30.0
TAIL_LINES = 15
EXIT_PASS, EXIT_FAIL = 33, 35

CASE_KEYS = {"name", "append", "mem", "machine", "cpu", "iso", "expect_exit", "expect_lines",
             "serial_input", "prompt", "initrd", "timeout", "expect_output", "reject_lines"}

# What the kernel prints, under the agreed convention, just before PID 1
# starts (SPEC section 5, test=init); every line it prints itself while user
# programs run starts with KERNEL_PREFIX.  expect_output compares what comes
# after the marker, without the kernel's lines.
INIT_MARKER = "toyix: starting init "
KERNEL_PREFIX = "toyix: "
# ... and just after PID 1 ended: the program's output stops there.
INIT_END_MARKERS = ("toyix: init exited ", "toyix: init killed ")

# QEMU processes still running, so Ctrl-C can end every one of them.
_running = set()
_running_lock = threading.Lock()


# --- cases -----------------------------------------------------------------

def load_cases():
    """CASES of tests/qemu/cases.py, then of every cases_*.py, by name."""
    files = [CASES_DIR / "cases.py"] + sorted(CASES_DIR.glob("cases_*.py"))
    cases = []
    for path in files:
        spec = importlib.util.spec_from_file_location(f"toyix_qemu_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        cases += [(path, case) for case in module.CASES]
    seen = set()
    for path, case in cases:
        name = case.get("name", "?")
        unknown = set(case) - CASE_KEYS
        problems = []
        if unknown:
            problems.append("unknown keys " + ", ".join(sorted(unknown)))
        for key in ("name", "mem", "expect_exit", "expect_lines"):
            if key not in case:
                problems.append("no " + key)
        if not case.get("iso") and "append" not in case:
            problems.append("no append (and not an ISO case)")
        if name in seen:
            problems.append("duplicate name")
        if "expect_output" in case and not (ROOT / case["expect_output"]).exists():
            problems.append(f"expect_output {case['expect_output']} does not exist")
        for item in case.get("serial_input", []):
            if isinstance(item, str):
                if not case.get("prompt"):
                    problems.append("plain-string serial_input needs a prompt")
            elif not (isinstance(item, dict) and set(item) in ({"wait", "send"}, {"wait", "keys"})):
                problems.append("serial_input items are strings, {wait, send} or {wait, keys}")
            elif "keys" in item and not (isinstance(item["keys"], list) and item["keys"]
                                         and all(isinstance(k, str) for k in item["keys"])):
                problems.append("serial_input keys must be a list of QEMU key names")
        if problems:
            sys.exit(f"{path.relative_to(ROOT)}: case {name}: " + "; ".join(problems))
        seen.add(name)
    return [case for _, case in cases]


def input_steps(case):
    """serial_input as (wait-for, what) pairs: what is text for COM1, or a
    list of QEMU key names ({"wait": ..., "keys": ["h", "ret"]}) to type on
    the emulated PS/2 keyboard through QMP send-key."""
    steps = []
    for item in case.get("serial_input", []):
        if isinstance(item, str):
            steps.append((case["prompt"], item))
        else:
            steps.append((item["wait"], item.get("send", item.get("keys"))))
    return steps


def wants_keyboard(case):
    return any(isinstance(what, list) for _, what in input_steps(case))


class Qmp:
    """Just enough QMP to press keys: a case that types on the PS/2 keyboard
    gets `-qmp unix:...` and this client, connected at its first key step."""

    def __init__(self, path, deadline):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(max(0.1, deadline - time.monotonic()))
        self.sock.connect(str(path))
        self.file = self.sock.makefile("rwb")
        self._reply()  # the greeting
        self.command("qmp_capabilities")

    def _reply(self):
        while True:
            line = self.file.readline()
            if not line:
                raise OSError("QMP connection closed")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def command(self, name, **arguments):
        msg = {"execute": name}
        if arguments:
            msg["arguments"] = arguments
        self.file.write(json.dumps(msg).encode() + b"\n")
        self.file.flush()
        reply = self._reply()
        if "error" in reply:
            raise OSError(f"QMP {name}: {reply['error'].get('desc', reply['error'])}")
        return reply.get("return")

    def send_keys(self, keys):
        """One press and release per key, in order (QEMU queues them); a
        chord such as "ctrl-c" or "shift-4" presses its keys together."""
        for key in keys:
            chord = key.split("-") if len(key) > 1 else [key]
            self.command("send-key", keys=[{"type": "qcode", "data": k} for k in chord])

    def close(self):
        self.file.close()
        self.sock.close()


# --- running one case --------------------------------------------------------

@dataclass
class Run:
    exit_code: object = None  # int, or None after a timeout
    timed_out: bool = False
    serial: str = ""
    stderr: str = ""
    secs: float = 0.0
    problems: list = field(default_factory=list)  # harness-side, e.g. input never sent


_iso_lock = threading.Lock()


def iso_path(case, build):
    """The ISO an ISO case boots: the make-built test ISO (GRUB passes
    test=boot), or for a case with an initrd one made here for it."""
    if case.get("initrd"):
        return build / f"toyix-{case['name']}.iso"
    return build / "toyix-test.iso"


def make_module_iso(case, build):
    """Builds iso_path(case, build) when it is missing or older than the
    kernel or the module: GRUB boots toyix.elf with the case's append and
    loads its initrd as a `module`, as the root file system will be loaded.
    Returns a problem string or None."""
    iso = ROOT / iso_path(case, build)
    elf = ROOT / build / "toyix.elf"
    module = ROOT / case["initrd"]
    with _iso_lock:
        newest = max(elf.stat().st_mtime, module.stat().st_mtime)
        if iso.exists() and iso.stat().st_mtime >= newest:
            return None
        tmp = Path(tempfile.mkdtemp(prefix="toyix-iso-"))
        try:
            (tmp / "boot" / "grub").mkdir(parents=True)
            shutil.copy(elf, tmp / "boot" / "toyix.elf")
            shutil.copy(module, tmp / "boot" / "module.bin")
            (tmp / "boot" / "grub" / "grub.cfg").write_text(
                "set timeout=0\nset default=0\nmenuentry \"Toyix\" {\n"
                f"  multiboot /boot/toyix.elf {case.get('append', '')}\n"
                "  module /boot/module.bin\n  boot\n}\n")
            part = iso.with_suffix(".iso.part")
            r = subprocess.run(["grub-mkrescue", "-o", str(part), str(tmp)],
                               capture_output=True, text=True)
            if r.returncode != 0:
                return f"grub-mkrescue failed: {r.stderr.strip()[-200:]}"
            part.replace(iso)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return None


def qemu_command(case, build, serial_args):
    cmd = [QEMU, "-m", str(case["mem"])]
    if case.get("machine"):
        cmd += ["-machine", case["machine"]]
    if case.get("cpu"):
        cmd += ["-cpu", case["cpu"]]
    if case.get("iso"):
        cmd += ["-cdrom", str(iso_path(case, build))]
    else:
        cmd += ["-kernel", str(build / "toyix.elf"), "-append", case["append"]]
        if case.get("initrd"):
            cmd += ["-initrd", case["initrd"]]
    cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=0x04", "-display", "none",
            "-no-reboot", "-monitor", "none"]
    return cmd + serial_args


def start(cmd):
    proc = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with _running_lock:
        _running.add(proc)
    return proc


def finish(proc, deadline, run):
    """Waits for QEMU until the deadline; kills it when the time is up."""
    try:
        proc.wait(timeout=max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        run.timed_out = True
        proc.kill()
        proc.wait()
    with _running_lock:
        _running.discard(proc)
    run.exit_code = None if run.timed_out else proc.returncode
    run.stderr = proc.stderr.read().decode("utf-8", "replace")
    proc.stderr.close()


def run_with_file(case, build, tmp, deadline):
    """The usual case: serial output goes to a private file."""
    log = tmp / "serial.log"
    run = Run()
    proc = start(qemu_command(case, build, ["-serial", f"file:{log}"]))
    finish(proc, deadline, run)
    run.serial = log.read_bytes().decode("utf-8", "replace") if log.exists() else ""
    return run


def run_with_socket(case, build, tmp, deadline):
    """A case that types into COM1: QEMU connects to our unix socket, we read
    everything it prints and send each input once its prompt appeared."""
    path = tmp / "com1.sock"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(1)
    run = Run()
    qmp_path = tmp / "qmp.sock"
    qmp_args = ["-qmp", f"unix:{qmp_path},server=on,wait=off"] if wants_keyboard(case) else []
    proc = start(qemu_command(case, build, [
        "-chardev", f"socket,id=com1,path={path}", "-serial", "chardev:com1"] + qmp_args))
    received = bytearray()
    steps = input_steps(case)
    conn = None
    qmp = None
    try:
        listener.settimeout(0.2)
        while conn is None and proc.poll() is None and time.monotonic() < deadline:
            try:
                conn, _ = listener.accept()
            except socket.timeout:
                pass
        if conn is not None:
            conn.setblocking(False)
            sel = selectors.DefaultSelector()
            sel.register(conn, selectors.EVENT_READ)
            since = 0  # a wait string must appear after the previous send
            while time.monotonic() < deadline:
                while steps:
                    want, text = steps[0]
                    pos = received.find(want.encode(), since)
                    if pos < 0:
                        break
                    if isinstance(text, list):
                        try:
                            qmp = qmp or Qmp(qmp_path, deadline)
                            qmp.send_keys(text)
                        except (OSError, ValueError) as e:
                            run.problems.append(f"keys {text!r} not typed: {e}")
                            steps.clear()
                            break
                    else:
                        conn.sendall(text.encode())
                    since = pos + len(want.encode())
                    steps.pop(0)
                if not sel.select(timeout=min(0.5, max(0.0, deadline - time.monotonic()))):
                    if proc.poll() is not None:
                        break
                    continue
                try:
                    chunk = conn.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                received += chunk
            sel.close()
    finally:
        if conn is not None:
            conn.close()
        if qmp is not None:
            qmp.close()
        listener.close()
    finish(proc, deadline, run)
    run.serial = received.decode("utf-8", "replace")
    (tmp / "serial.log").write_bytes(bytes(received))
    for want, text in steps:
        run.problems.append(f"never saw {want!r} to type {text!r}")
    return run


def run_case(case, build):
    timeout = float(case.get("timeout", DEFAULT_TIMEOUT))
    tmp = Path(tempfile.mkdtemp(prefix="toyix-qemu-"))
    started = time.monotonic()
    deadline = started + timeout
    try:
        if case.get("serial_input"):
            run = run_with_socket(case, build, tmp, deadline)
        else:
            run = run_with_file(case, build, tmp, deadline)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    run.secs = time.monotonic() - started
    return run


# --- judging ---------------------------------------------------------------

def serial_lines(text):
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def missing_lines(lines, expected):
    """The first expected substring that does not follow the previous one, or
    None when all appear in order: each must be found on a later line than
    the one before, as SPEC's acceptance check reads them."""
    line = 0
    for n, want in enumerate(expected):
        while line < len(lines) and want not in lines[line]:
            line += 1
        if line == len(lines):
            return f"missing {want!r}" + (f" after {expected[n - 1]!r}" if n else "")
        line += 1
    return None


RESULT_RE = re.compile(r"^(\s*)(not ok|ok)\s+(\d+)\b\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$")
PLAN_RE = re.compile(r"^(\s*)1\.\.(\d+)\s*$")
VERSION_RE = re.compile(r"^(\s*)KTAP version \d+\s*$")


@dataclass
class Ktap:
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    missing: int = 0  # planned top-level results that never came
    failures: list = field(default_factory=list)  # lines to show, with diagnostics


def parse_ktap(lines):
    """Counts KTAP leaf results (a suite with subtests counts through its
    subtests).  `# SKIP` and `# TODO` results count as skipped.  Returns None
    when there is no KTAP in the output."""
    start = next((i for i, l in enumerate(lines) if VERSION_RE.match(l)), None)
    if start is None:
        return None
    k = Ktap()
    base = len(VERSION_RE.match(lines[start]).group(1))
    plan = None
    top_results = 0
    deeper_seen = {}  # indent -> a deeper result arrived since its last result
    diagnostics = []
    for line in lines[start + 1:]:
        if "Bail out!" in line:
            k.failures.append(line.rstrip())
            k.failed += 1
            break
        m = PLAN_RE.match(line)
        if m and len(m.group(1)) == base and plan is None:
            plan = int(m.group(2))
            continue
        m = RESULT_RE.match(line)
        if not m:
            if line.strip().startswith("#"):
                diagnostics.append(line.rstrip())
            continue
        indent = len(m.group(1))
        if indent < base:
            continue
        is_suite = deeper_seen.get(indent, False)
        deeper_seen[indent] = False
        for other in list(deeper_seen) + [base]:
            if other < indent:
                deeper_seen[other] = True
        if indent == base:
            top_results += 1
        directive = (m.group(5) or "").upper()
        if not is_suite:
            if directive.startswith(("SKIP", "TODO", "XFAIL")):
                k.skipped += 1
            elif m.group(2) == "ok":
                k.passed += 1
            else:
                k.failed += 1
                k.failures.extend(diagnostics)
                k.failures.append(line.rstrip())
        diagnostics = []
        if plan is not None and indent == base and top_results >= plan:
            break
    if plan is None:
        k.failures.append("KTAP: no plan line (1..N)")
        k.missing += 1
    elif top_results < plan:
        k.missing = plan - top_results
        k.failures.append(f"KTAP: {top_results} of {plan} planned results (stopped early?)")
    return k


@dataclass
class Verdict:
    label: str
    ok: bool
    secs: float
    reasons: list
    tail: list
    ktap: object  # Ktap or None
    ktap_explains: bool = False  # failing KTAP results are the whole story

    def counts(self):
        """(passed, failed) this case adds to the totals: each KTAP result is
        a test; a failure KTAP does not account for adds one more."""
        if self.ktap is None:
            return (1, 0) if self.ok else (0, 1)
        failed = self.ktap.failed + self.ktap.missing
        if not self.ok and not self.ktap_explains:
            failed += 1
        return self.ktap.passed, failed


def program_output(lines):
    """What user programs printed: the serial lines after the first
    INIT_MARKER line up to the line that says PID 1 ended, without the
    kernel's own (KERNEL_PREFIX) lines and without a last empty line.  None
    when the marker never came."""
    start = next((i for i, l in enumerate(lines) if l.startswith(INIT_MARKER)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines))
                if lines[i].startswith(INIT_END_MARKERS)), len(lines))
    out = [l for l in lines[start + 1:end] if not l.startswith(KERNEL_PREFIX)]
    while out and out[-1] == "":
        out.pop()
    return out


def output_mismatch(case, lines):
    """None when the program's output is exactly the expect_output file,
    else the reasons, with the start of a diff."""
    want = serial_lines((ROOT / case["expect_output"]).read_text())
    while want and want[-1] == "":
        want.pop()
    got = program_output(lines)
    if got is None:
        return [f"never saw a line starting {INIT_MARKER!r}"]
    if got == want:
        return None
    diff = list(difflib.unified_diff(want, got, case["expect_output"], "serial", lineterm="", n=1))
    return [f"output differs from {case['expect_output']}"] + ["  " + l for l in diff[2:22]]


def judge(case, label, run):
    lines = serial_lines(run.serial)
    reasons = []
    if run.timed_out:
        reasons.append(f"timeout after {case.get('timeout', DEFAULT_TIMEOUT):g}s")
    elif run.exit_code != case["expect_exit"]:
        what = {0: " (triple fault or reset under -no-reboot)",
                EXIT_PASS: " (pass code)", EXIT_FAIL: " (fail code)"}.get(run.exit_code,
                                                                           " (QEMU error?)")
        reasons.append(f"exit {run.exit_code}{what}, expected {case['expect_exit']}")
    # A kernel whose KTAP cases fail ends with the fail code; that exit is
    # then explained by the KTAP results and not a failure of its own.
    ktap = parse_ktap(lines)
    ktap_bad = ktap is not None and (ktap.failed or ktap.missing)
    explained = ktap_bad and not run.timed_out and run.exit_code == EXIT_FAIL
    miss = missing_lines(lines, case["expect_lines"])
    if miss:
        reasons.append(miss)
        explained = False
    for bad in case.get("reject_lines", []):
        hit = next((l for l in lines if bad in l), None)
        if hit is not None:
            reasons.append(f"unwanted line {hit.strip()!r}")
            explained = False
    diff = []
    if case.get("expect_output"):
        mismatch = output_mismatch(case, lines)
        if mismatch:
            reasons.append(mismatch[0])
            diff = mismatch[1:]
            explained = False
    if run.problems:
        reasons += run.problems
        explained = False
    if ktap_bad:
        reasons.append(f"KTAP: {ktap.failed} failed, {ktap.missing} missing")
    tail = diff + [l for l in lines if l.strip()][-TAIL_LINES:]
    err = [l for l in run.stderr.splitlines() if l.strip() and "module ui-" not in l]
    if reasons and err:
        tail += ["(qemu stderr) " + l for l in err[-5:]]
    return Verdict(label, not reasons, run.secs, reasons, tail, ktap, bool(explained))


def missing_artifact(case, build):
    made_here = case.get("iso") and case.get("initrd")
    need = build / ("toyix-test.iso" if case.get("iso") and not made_here else "toyix.elf")
    if need.exists() and case.get("initrd") and not (ROOT / case["initrd"]).exists():
        return f"{case['initrd']} does not exist (build it: make initrd)"
    if need.exists():
        return None
    shown = need.relative_to(ROOT) if need.is_relative_to(ROOT) else need
    clang = " CC=clang" if build.name == "clang" else ""
    hint = f"make{clang} {shown}" if case.get("iso") else f"make{clang}"
    return f"{shown} does not exist (build it: {hint})"


def report(v, verbose, serial=None):
    k = v.ktap
    extra = ""
    if k is not None:
        extra = f"; KTAP {k.passed} passed, {k.failed + k.missing} failed"
        if k.skipped:
            extra += f", {k.skipped} skipped"
    out = []
    if v.ok:
        out.append(f"PASS {v.label} ({v.secs:.2f}s{extra})")
    else:
        out.append(f"FAIL {v.label} ({'; '.join(v.reasons)}{extra}; {v.secs:.2f}s)")
        if k is not None:
            out += ["    " + l for l in k.failures]
        if not v.ktap_explains and v.tail:
            out.append("    serial tail:")
            out += ["    | " + l for l in v.tail]
    if verbose and serial is not None:
        out.append("    serial output:")
        out += ["    | " + l for l in serial_lines(serial)]
    print("\n".join(out), flush=True)


# --- main ------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", action="append", metavar="DIR",
                    help="build directory holding toyix.elf (repeatable; default: build)")
    ap.add_argument("--only", action="append", metavar="NAME", help="run only this case (repeatable)")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="QEMUs at once (default: CPU count)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    ap.add_argument("--summary-file", metavar="F", help='write "passed failed" to F')
    ap.add_argument("--log-dir", metavar="DIR", help="keep each case's serial output in DIR")
    ap.add_argument("--verbose", "-v", action="store_true", help="print every serial output")
    args = ap.parse_args()

    cases = load_cases()
    if args.list:
        for c in cases:
            how = "iso (test=boot)" if c.get("iso") else repr(c["append"])
            machine = f" -machine {c['machine']}" if c.get("machine") else ""
            machine += f" -cpu {c['cpu']}" if c.get("cpu") else ""
            print(f"{c['name']:<24} -m {c['mem']:<6}{machine} {how} -> exit {c['expect_exit']}")
        return 0
    if args.only:
        names = {c["name"] for c in cases}
        unknown = [n for n in args.only if n not in names]
        if unknown:
            print(f"qemu_test: no such case: {', '.join(unknown)} (see --list)", file=sys.stderr)
            return 2
        cases = [c for c in cases if c["name"] in args.only]
    if args.jobs < 1:
        print("qemu_test: --jobs must be at least 1", file=sys.stderr)
        return 2
    if shutil.which(QEMU) is None:
        print(f"qemu_test: {QEMU} not found (scripts/install-deps.sh)", file=sys.stderr)
        return 2

    builds = [Path(b) for b in (args.build or ["build"])]
    many = len(builds) > 1
    work = [(c, b, f"{b}:{c['name']}" if many else c["name"]) for b in builds for c in cases]
    log_dir = Path(args.log_dir) if args.log_dir else None
    if log_dir:
        log_dir.mkdir(parents=True, exist_ok=True)

    def one(item):
        case, build, label = item
        problem = missing_artifact(case, ROOT / build)
        if not problem and case.get("iso") and case.get("initrd"):
            problem = make_module_iso(case, build)
        if problem:
            return Verdict(label, False, 0.0, [problem], [], None), ""
        run = run_case(case, build)
        if log_dir:
            (log_dir / (label.replace("/", "_").replace(":", "__") + ".log")).write_text(run.serial)
        return judge(case, label, run), run.serial

    passed = failed = 0
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs)
    try:
        futures = [pool.submit(one, item) for item in work]
        for fut in concurrent.futures.as_completed(futures):
            verdict, serial = fut.result()
            report(verdict, args.verbose, serial)
            p, f = verdict.counts()
            passed += p
            failed += f
    except KeyboardInterrupt:
        for fut in futures:
            fut.cancel()
        with _running_lock:
            for proc in _running:
                proc.kill()
        print("qemu_test: interrupted", file=sys.stderr)
        pool.shutdown(wait=True, cancel_futures=True)
        return 130
    pool.shutdown(wait=True)

    if args.summary_file:
        Path(args.summary_file).write_text(f"{passed} {failed}\n")
    print(f"{passed} passed, {failed} failed", flush=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
