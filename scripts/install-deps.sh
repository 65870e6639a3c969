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

fetch_busybox() {
  # Debian's busybox-static for i386, unpacked into build/busybox/ and never
  # installed: apt runs with its own state under build/apt/ (architecture
  # i386, package lists, cache, an empty dpkg status), reading only the
  # host's sources.list, so the host's dpkg architectures, package lists and
  # installed packages stay exactly as they were.
  local top out apt
  top=$(cd "$(dirname "$0")/.." && pwd)
  out=$top/build/busybox
  [[ -x $out/bin/busybox ]] && return 0
  apt=$top/build/apt
  mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$apt/deb"
  : >"$apt/status"
  local opts=(-q -o APT::Architecture=i386 -o APT::Architectures=i386
    -o "Dir::State::Lists=$apt/lists" -o "Dir::Cache=$apt/cache"
    -o "Dir::State::status=$apt/status" -o Debug::NoLocking=1
    -o APT::Sandbox::User=root)
  echo "install-deps: fetching busybox-static:i386 into build/busybox" >&2
  # A mirror caught mid-sync fails one index; the main one is what counts.
  apt-get "${opts[@]}" update >/dev/null 2>&1 || true
  (cd "$apt/deb" && rm -f ./*.deb && apt-get "${opts[@]}" download busybox-static >/dev/null)
  rm -rf "$out.tmp"
  dpkg-deb -x "$apt"/deb/busybox-static_*.deb "$out.tmp"
  rm -rf "$out"
  mv "$out.tmp" "$out"
}

if ((${#missing[@]} == 0)); then
  fetch_busybox
  exit 0
fi

mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) != 0 ]]; then sudo=sudo; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fetch_busybox
