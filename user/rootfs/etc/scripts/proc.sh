# /proc as BusyBox reads it: maps lines in Linux's format, status, stat,
# cmdline, meminfo, the /proc/self link, ps and free.  Only what is the same
# on every Linux is printed: no addresses, pids or sizes.
maps_re='^[0-9a-f]{8}-[0-9a-f]{8} [r-][w-][x-][ps] [0-9a-f]{8} [0-9a-f]{2}:[0-9a-f]{2} [0-9]+ ( +(/[^ ]+|\[[a-z]+\]))?$'
cat /proc/self/maps > /tmp/maps
echo "more than 3 maps lines: $([ $(wc -l < /tmp/maps) -gt 3 ] && echo yes)"
echo "maps lines not in Linux's format: $(grep -cvE "$maps_re" /tmp/maps)"
echo "[stack] lines: $(grep -c ' \[stack\]$' /tmp/maps)"
echo "[heap] lines: $(grep -c ' \[heap\]$' /tmp/maps)"
echo "busybox text mapped: $(grep -cE ' r-xp [0-9a-f]+ [0-9a-f:]+ [1-9][0-9]* +/bin/busybox$' /tmp/maps)"
echo "anonymous lines end in one space: $(grep -vE ' (/|\[)' /tmp/maps | grep -cvE ' 0 $')"
rm /tmp/maps
grep -E '^[0-9a-f]' /proc/$$/maps > /dev/null && echo "maps of the shell by pid: ok"
# status: the fields ps and people read.
grep -E '^(Name|State|Pid|PPid|Uid):' /proc/self/status | sed 's/[0-9][0-9]*/N/g'
grep -cE '^Vm(Peak|Size|RSS|Data|Stk|Exe):[[:space:]]+[0-9]+ kB$' /proc/self/status
[ "$(sed -n 's/^Pid:[[:space:]]*//p' /proc/$$/status)" = "$$" ] && echo "status Pid is \$\$"
[ "$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$$/status)" = "$PPID" ] && echo "status PPid is \$PPID"
# stat: pid, (comm), state, ppid.
set -- $(cat /proc/$$/stat)
[ "$1" = "$$" ] && echo "stat pid ok"; echo "stat comm $2"
[ "$4" = "$PPID" ] && echo "stat ppid ok"
echo "at least 44 stat fields: $([ $(wc -w < /proc/self/stat) -ge 44 ] && echo yes)"
# cmdline: NUL-separated arguments.
tr '\0' '|' < /proc/$$/cmdline; echo
sh -c 'tr "\0" "|" < /proc/self/cmdline; echo' one two
# /proc/self, and the pid directories that ls and ps see.
[ "$(readlink /proc/self)" -gt 0 ] 2>/dev/null && echo "/proc/self is a number"
ls /proc | grep -qx "$$" && echo "ls /proc lists the shell"
[ -d /proc/$$ ] && echo "/proc/\$\$ is a directory"
cd /proc/self && [ -f maps ] && echo "cd /proc/self ok"; cd /
ps -o pid,comm | grep -qE '^ *[0-9]+ ps$' && echo "ps lists itself"
ps | head -n 1
ps -o pid,comm | grep -q "^ *$$ sh$" && echo "ps -o pid,comm lists the shell"
# meminfo and free.
grep -cE '^(MemTotal|MemFree|MemAvailable|SwapTotal):[[:space:]]+[0-9]+ kB$' /proc/meminfo
free | head -n 1
free | grep -c '^Mem:'
# What top and uptime read.
top -b -n 1 > /tmp/top; echo "top: $?"
head -n 1 /tmp/top | cut -d' ' -f1
grep -q 'top -b -n 1$' /tmp/top && echo "top lists itself"; rm /tmp/top
uptime > /dev/null; echo "uptime: $?"
grep -c '^cpu ' /proc/stat
cut -d' ' -f1-2 /proc/version
set -- $(cat /proc/loadavg); echo "loadavg fields: $#"
# What may not be done: write, missing pids.
echo x > /proc/meminfo; echo "write meminfo: $?"
echo x > /proc/self/status; echo "write status: $?"
cat /proc/99999/status; echo "missing pid: $?"
ls /proc/99999 2>&1 | sed 's/ls: //'
mkdir /proc/new 2>&1; echo "mkdir in /proc: $?"
