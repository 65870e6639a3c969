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
  exec "${qemu[@]}" -serial stdio
fi
echo "No display: serial console on this terminal. Quit with Ctrl-A then X." >&2
exec "${qemu[@]}" -display none -serial mon:stdio
