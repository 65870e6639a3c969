#!/bin/bash
# make soak SECONDS=N: one boot of test=soak (kernel/soak.c) for N seconds:
# the kernel's random VMM/PMM stress, then a round of user programs
# (user/soak.c: sysfuzz with a new seed, the conformance programs, the fork
# bomb, the out-of-memory program), again and again, with memory checked
# after every round.  Shows the kernel's soak lines (one a minute and the
# verdict) and keeps the whole serial log in build/soak.log.  Exits 0 only
# on QEMU's pass code; the timeout is a safety net far past N, and running
# into it is a failure.
#
#   scripts/soak.sh ELF SECONDS [MEM]
set -u
elf=${1:-build/toyix.elf}
duration=${2:-60}
mem=${3:-128M}
log=build/soak.log
case $duration in
'' | *[!0-9]*) echo "soak: SECONDS must be a whole number of seconds, not '$duration'" >&2; exit 2 ;;
esac
mkdir -p build
: >"$log"
echo "soak: booting $elf for $duration s ($mem of RAM); serial log in $log"
timeout $((duration * 2 + 300)) qemu-system-i386 -kernel "$elf" -initrd build/initrd.cpio \
	-m "$mem" -append "test=soak seconds=$duration" -serial stdio -display none \
	-device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot </dev/null >"$log" 2>&1 &
qemu=$!
tail -f --pid=$qemu "$log" | grep -a --line-buffered -E '^soak: |KERNEL PANIC|^Test result'
wait $qemu
rc=$?
case $rc in
33) echo "soak: PASS"; exit 0 ;;
124) echo "soak: FAIL: QEMU did not end in time (see $log)"; exit 1 ;;
*) echo "soak: FAIL: QEMU exited $rc (see $log)"; exit 1 ;;
esac
