#!/usr/bin/env python3
"""Builds Toyix's root file system: a staged tree, then a cpio `newc` archive.

    scripts/mkinitrd.py stage --root build/initrd-root --files user/rootfs \\
                              --init build/user/init [--busybox BINARY] PROGRAM...
    scripts/mkinitrd.py pack --root build/initrd-root --out build/initrd.cpio

`stage` lays out the tree from nothing: PROGRAM... under bin/ (mode 0755),
--init also as /init, the files of --files as they are (0644, directories
0755), an empty dev/ (`pack` adds dev/console and dev/null to the archive
as device nodes), and the generated data files below, whose sizes and bytes the
conformance programs (tests/user/) know.  --busybox puts that binary
in as bin/busybox with a symbolic link bin/APPLET -> busybox for each applet
it was built with (read from the binary itself, as `busybox --list` would
print them: this host may not run i386 programs), except where a program of
ours already has the name (bin/init stays user/init.c).  Modes are set explicitly so the
tree looks the same whatever the umask; the programs run on the host with
this tree as their current directory, so it must match the archive.

`pack` writes the archive deterministically: entries sorted by path,
parents before children, mtime 0, uid and gid 0, inode numbers counted
from 1, no device numbers.  The same tree always gives the same bytes.
This is the format `cpio -o -H newc` writes and Linux's initramfs reads
(include/lib/cpio.h reads it in the kernel).  Python 3 standard library
only.
"""

import argparse
import os
import shutil
import stat
import sys
from pathlib import Path

TRAILER = "TRAILER!!!"


def pattern(size, mul, add):
    """size bytes of (i * mul + add) mod 251: no byte repeats with a period
    that is a power of two, so a page read from the wrong offset shows."""
    return bytes((i * mul + add) % 251 for i in range(size))


# Generated files: path -> bytes.  tests/user/ programs rely on these.
DATA_FILES = {
    "data/empty": b"",
    "data/small.txt": b"thirteen byte",
    "data/page-4096.bin": pattern(4096, 7, 1),
    "data/pattern-10000.bin": pattern(10000, 31, 7),  # not a multiple of 4096
    "data/sub/nested.txt": b"nested file\n",
    "data/notelf.bin": b"#not an ELF file, but executable\n" * 4,
}
EXECUTABLE_DATA = {"data/notelf.bin"}
EMPTY_DIRS = ["data/emptydir", "tmp", "dev", "proc"]
# Device nodes, written into the archive by `pack` (staging them would need
# mknod and root): path -> (mode, major, minor), Linux's numbers.  Linux
# makes them when it unpacks the archive; so does Toyix (kernel/vfs.c).
DEVICES = {
    "dev/console": (stat.S_IFCHR | 0o600, 5, 1),
    "dev/null": (stat.S_IFCHR | 0o666, 1, 3),
}


def write(path, data, mode):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    path.chmod(mode)


def busybox_applets(binary):
    """The applet names compiled into a BusyBox binary: a sorted table of
    NUL-terminated names that starts with "[" and "[[" and ends with an
    empty name."""
    data = Path(binary).read_bytes()
    start = data.find(b"[\0[[\0")
    if start < 0:
        raise SystemExit(f"mkinitrd: {binary}: no BusyBox applet table")
    end = data.find(b"\0\0", start)
    names = [n.decode() for n in data[start:end].split(b"\0")]
    if names != sorted(names) or len(names) < 10:
        raise SystemExit(f"mkinitrd: {binary}: applet table does not look sorted")
    return names


def stage(args):
    root = Path(args.root)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    if args.files:
        src = Path(args.files)
        for p in sorted(src.rglob("*")):
            rel = p.relative_to(src)
            if p.is_dir():
                (root / rel).mkdir(parents=True, exist_ok=True)
            elif p.is_file():
                write(root / rel, p.read_bytes(), 0o644)
    for rel, data in DATA_FILES.items():
        write(root / rel, data, 0o755 if rel in EXECUTABLE_DATA else 0o644)
    for rel in EMPTY_DIRS:
        (root / rel).mkdir(parents=True, exist_ok=True)
    for prog in args.programs:
        write(root / "bin" / Path(prog).name, Path(prog).read_bytes(), 0o755)
    if args.init:
        write(root / "init", Path(args.init).read_bytes(), 0o755)
    if args.busybox:
        write(root / "bin/busybox", Path(args.busybox).read_bytes(), 0o755)
        for name in busybox_applets(args.busybox):
            link = root / "bin" / name
            if not link.exists():
                link.symlink_to("busybox")
    for d in [root] + [p for p in root.rglob("*") if p.is_dir() and not p.is_symlink()]:
        d.chmod(0o755)
    return 0


def header(ino, mode, nlink, size, namesize, rdev=(0, 0)):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, rdev[0], rdev[1], namesize, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(buf):
    buf.extend(b"\0" * (-len(buf) % 4))


def entries(root):
    """(archive name, path) in sorted order; a directory sorts before its
    contents because its name is a prefix of theirs."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in dirnames + sorted(filenames):
            path = Path(dirpath) / name
            out.append((path.relative_to(root).as_posix(), path))
    return sorted(out, key=lambda e: e[0].split("/"))


def pack(args):
    root = Path(args.root)
    if not root.is_dir():
        print(f"mkinitrd: {root} is not a directory (run the stage step first)", file=sys.stderr)
        return 1
    buf = bytearray()
    ino = 0
    listed = entries(root) + [(name, None) for name in DEVICES]
    for name, path in sorted(listed, key=lambda e: e[0].split("/")):
        if path is None:
            mode, major, minor = DEVICES[name]
            ino += 1
            encoded = name.encode() + b"\0"
            buf += header(ino, mode, 1, 0, len(encoded), (major, minor)) + encoded
            pad4(buf)
            continue
        st = path.lstat()
        if stat.S_ISDIR(st.st_mode):
            data, nlink = b"", 2
        elif stat.S_ISREG(st.st_mode):
            data, nlink = path.read_bytes(), 1
        elif stat.S_ISLNK(st.st_mode):
            data, nlink = os.readlink(path).encode(), 1
        else:
            print(f"mkinitrd: {path}: not a file, directory or symlink", file=sys.stderr)
            return 1
        mode = stat.S_IFMT(st.st_mode) | stat.S_IMODE(st.st_mode)
        ino += 1
        encoded = name.encode() + b"\0"
        buf += header(ino, mode, nlink, len(data), len(encoded)) + encoded
        pad4(buf)
        buf += data
        pad4(buf)
    buf += header(0, 0, 1, 0, len(TRAILER) + 1) + TRAILER.encode() + b"\0"
    pad4(buf)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(out.suffix + ".tmp")
    tmp.write_bytes(bytes(buf))
    tmp.replace(out)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("stage", help="lay out the tree")
    s.add_argument("--root", required=True)
    s.add_argument("--files", help="a folder copied as it is into the tree")
    s.add_argument("--init", help="the program that becomes /init")
    s.add_argument("--busybox", help="a BusyBox binary: bin/busybox and its applet links")
    s.add_argument("programs", nargs="*", help="programs put under bin/")
    p = sub.add_parser("pack", help="write the tree as a newc archive")
    p.add_argument("--root", required=True)
    p.add_argument("--out", required=True)
    args = ap.parse_args()
    return stage(args) if args.cmd == "stage" else pack(args)


if __name__ == "__main__":
    sys.exit(main())
