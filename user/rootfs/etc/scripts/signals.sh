# Traps, kill and wait, background jobs.
trap 'echo caught USR1' USR1
kill -USR1 $$
echo after trap
trap - USR1
sleep 10 &
pid=$!
kill -TERM $pid
wait $pid
echo "killed sleep: $?"
sleep 0 &
wait $!
echo "waited: $?"
( trap 'echo subshell caught TERM; exit 9' TERM; kill -TERM $(sh -c 'echo $PPID'); sleep 1 ) ; echo "subshell: $?"
trap 'echo exiting' EXIT
( kill -9 $(sh -c 'echo $PPID') ); echo "killed by 9: $?"
