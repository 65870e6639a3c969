#!/usr/bin/env bash
# Installs the Debian packages Toyix needs to build, test and debug, and only
# those that are missing. `apt-get update` runs only when something must be
# installed, so a machine that already has everything pays nothing.
set -euo pipefail

# command-or-file to probe  ->  Debian package that provides it
declare -A need=(
  [qemu-system-i386]=qemu-system-x86
  [nasm]=nasm
  [grub-mkrescue]=grub-common
  [/usr/lib/grub/i386-pc/modinfo.sh]=grub-pc-bin
  [xorriso]=xorriso
  [mformat]=mtools
  ['/usr/lib/gcc/x86_64-linux-gnu/*/32/libgcc.a']=gcc-multilib
  [/usr/lib32/libc.a]=libc6-dev-i386
  [cpio]=cpio
  [qemu-system-x86_64]=qemu-system-x86
  # Linux itself, the reference the conformance programs are recorded on
  # when the host cannot run i386 programs (scripts/user_conformance.py).
  ['/boot/vmlinuz-*']=linux-image-cloud-amd64
  [gcc]=gcc
  [clang]=clang
  [ld.lld]=lld
  [gdb]=gdb
  [python3]=python3
  # make bench draws build/bench.svg with it (scripts/bench.py)
  [/usr/lib/python3/dist-packages/matplotlib/__init__.py]=python3-matplotlib
  [make]=make
  [/usr/include/cmocka.h]=libcmocka-dev
  ['/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a']=libclang-rt-dev
  [clang-format]=clang-format
  [cppcheck]=cppcheck
  # A user program under Bochs too (scripts/bochs_test.sh).
  [bochs]=bochs
  [/usr/share/bochs/BIOS-bochs-latest]=bochsbios
  [/usr/share/vgabios/vgabios.bin]=vgabios
)

missing=()
for probe in "${!need[@]}"; do
  if [[ $probe == /* ]]; then
    compgen -G "$probe" >/dev/null && continue
  else
    command -v "$probe" >/dev/null 2>&1 && continue
  fi
  missing+=("${need[$probe]}")
done

if ((${#missing[@]} == 0)); then
  exit 0
fi

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) != 0 ]]; then sudo=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
