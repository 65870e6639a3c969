#!/bin/bash
# A user program under Bochs (issue 15): boots the kernel and the root file
# system from a GRUB CD image under Bochs with `test=init init=/bin/PROGRAM`
# and passes when the serial log shows the program exited 0 and the run's
# memory check and test verdict passed.  Bochs has no isa-debug-exit port,
# so its COM1 goes to a file, which this script watches; it stops Bochs as
# soon as the verdict line is there (or a panic, or the time is up).
#
#   scripts/bochs_test.sh [ELF [PROGRAM [SECONDS]]]
#
# Needs the Debian packages bochs, bochsbios and vgabios
# (scripts/install-deps.sh installs them); exits 77, saying so, without them.
set -u
elf=${1:-build/toyix.elf}
program=${2:-hello}
limit=${3:-120}
dir=build/bochs
bios=/usr/share/bochs/BIOS-bochs-latest
vgabios=/usr/share/vgabios/vgabios.bin
if ! command -v bochs >/dev/null || [ ! -f "$bios" ] || [ ! -f "$vgabios" ]; then
	echo "bochs: SKIP: bochs, bochsbios or vgabios not installed"
	exit 77
fi
mkdir -p "$dir/iso/boot/grub"
cp "$elf" "$dir/iso/boot/toyix.elf"
cp build/initrd.cpio "$dir/iso/boot/initrd.cpio"
printf 'set timeout=0\nset default=0\nmenuentry "Toyix" {\n  multiboot /boot/toyix.elf test=init init=/bin/%s\n  module /boot/initrd.cpio\n  boot\n}\n' \
	"$program" >"$dir/iso/boot/grub/grub.cfg"
grub-mkrescue -o "$dir/toyix.iso" "$dir/iso" >/dev/null 2>&1 || {
	echo "bochs: FAIL: grub-mkrescue failed"
	exit 1
}
serial=$dir/serial.log
: >"$serial"
cat >"$dir/bochsrc" <<RC
megs: 128
romimage: file=$bios
vgaromimage: file=$vgabios
ata0-master: type=cdrom, path=$dir/toyix.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=$serial
display_library: rfb, options="timeout=0"
sound: driver=dummy
speaker: enabled=0
clock: sync=none, time0=local
log: $dir/bochs.log
panic: action=fatal
error: action=report
info: action=ignore
RC
# Debian's Bochs has its debugger built in and stops at the first
# instruction: a debugger script tells it to continue.
echo c >"$dir/debugger.rc"
start=$SECONDS
bochs -q -f "$dir/bochsrc" -rc "$dir/debugger.rc" </dev/null >"$dir/bochs.out" 2>&1 &
pid=$!
# Bochs has no exit port: the verdict is the first verdict line of its
# serial log, read as it is written (tail follows the file and ends with
# Bochs; timeout bounds a hang).  grep returns as soon as the line is there.
verdict=$(grep -a -m1 -E '^Test result: |KERNEL PANIC' \
	< <(timeout "$limit" tail -n +1 --pid=$pid -F "$serial" 2>/dev/null) | tr -d '\r')
kill $pid 2>/dev/null
wait $pid 2>/dev/null
took=$((SECONDS - start))
grep -a -E '^toyix: |^Test result' "$serial" | sed 's/^/  | /'
if [ "$verdict" = "Test result: PASS" ] && grep -aq "toyix: init exited with status 0" "$serial" &&
	grep -aq "vm_check OK" "$serial"; then
	echo "bochs: PASS: /bin/$program under Bochs in ${took} s"
	exit 0
fi
echo "bochs: FAIL: /bin/$program under Bochs after ${took} s (${verdict:-no verdict}; see $serial, $dir/bochs.log)"
exit 1
