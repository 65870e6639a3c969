#!/usr/bin/env bash
# The root file system follows its source tree: a file or folder deleted
# from user/rootfs leaves build/initrd.cpio at the next make (no `make
# clean` needed), and an archive that is up to date is not made again.
#
#   tests/make/initrd_follows_tree.sh
#
# Runs `make initrd` on a copy of user/rootfs, with the staged tree and the
# archive in a temporary folder; the programs of build/user/ are shared,
# so build them first (make initrd; make check does).  Prints one PASS or
# FAIL line and exits non-zero on failure.
set -u
cd "$(dirname "$0")/../.." || exit 1
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

tmp=$(mktemp -d "${TMPDIR:-/tmp}/toyix-initrd.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cp -a user/rootfs "$tmp/rootfs"
vars=(ROOTFS_SRC="$tmp/rootfs" INITRD_ROOT="$tmp/root" INITRD="$tmp/initrd.cpio")

fail() {
	echo "FAIL initrd-follows-tree: $*"
	exit 1
}
build() { make initrd "${vars[@]}" >"$tmp/make.log" 2>&1 || fail "make initrd: $(tail -n 5 "$tmp/make.log")"; }
listed() { cpio -it --quiet <"$tmp/initrd.cpio" | grep -qx "$1"; }

mkdir -p "$tmp/rootfs/etc/gone-dir"
echo "to be deleted" >"$tmp/rootfs/etc/gone.txt"
build
listed etc/gone.txt || fail "a new file is not in the archive"
listed etc/gone-dir || fail "a new folder is not in the archive"

rm -r "$tmp/rootfs/etc/gone.txt" "$tmp/rootfs/etc/gone-dir"
build
listed etc/gone.txt && fail "a file deleted from the tree is still in the archive"
listed etc/gone-dir && fail "a folder deleted from the tree is still in the archive"
listed etc/hello.txt || fail "etc/hello.txt went missing"

build
grep -q INITRD "$tmp/make.log" && fail "an up-to-date archive was made again"
echo "PASS initrd-follows-tree"
