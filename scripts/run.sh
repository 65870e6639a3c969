#!/usr/bin/env bash
# Boots a Toyix ISO in QEMU.
#   scripts/run.sh ISO            run (a window if there is a display, else serial here)
#   scripts/run.sh --debug ISO    the same, halted at reset with a GDB stub on :1234
set -euo pipefail

debug=()
if [[ ${1:-} == --debug ]]; then
  debug=(-s -S)
  shift
fi
iso=${1:?usage: run.sh [--debug] ISO}
qemu=(qemu-system-i386 -cdrom "$iso" -m "${TOYIX_MEM:-128M}"
  -device isa-debug-exit,iobase=0xf4,iosize=0x04 -no-reboot "${debug[@]}")

if ((${#debug[@]})); then
  echo "QEMU is halted with a GDB stub on localhost:1234; in another terminal: make gdb" >&2
fi
if [[ -n ${DISPLAY:-} && -z ${TOYIX_SERIAL_ONLY:-} ]]; then
  qemu+=(-serial stdio)
else
  echo "No display: serial console on this terminal. Quit with Ctrl-A then X." >&2
  qemu+=(-display none -serial mon:stdio)
fi
rc=0
"${qemu[@]}" || rc=$?
# The monitor's `halt` ends QEMU through isa-debug-exit with the pass code.
if ((rc == 33)); then
  rc=0
fi
exit "$rc"

