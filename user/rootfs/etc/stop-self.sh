# Run as PID 1 by the QEMU case user-init-not-stopped: stop signals to
# init are ignored (as on Linux), so the shell goes on.
kill -STOP $$
kill -TSTP $$
echo init still runs
