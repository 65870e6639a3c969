# Lists, statuses, variables, loops, arithmetic, substitution: the shell
# itself, with few programs.
echo a; echo b
x=5; echo "x=$x"
for i in 1 2 3; do echo "i=$i"; done
true && echo and-ok
false || echo or-ok
false; echo "status $?"
/bin/true; echo "external true: $?"
/bin/false; echo "external false: $?"
( exit 3 ); echo "subshell: $?"
echo "substitution: $(echo inner) and `echo backquotes`"
case foo in f*) echo case-ok;; *) echo case-bad;; esac
i=0; while [ $i -lt 5 ]; do i=$((i+1)); done; echo "while: i=$i"
echo "arithmetic: $(( 6 * 7 )) $(( 100 / 7 )) $(( 100 % 7 ))"
printf '%s-%d-%x\n' a 42 255
f() { echo "function got $# args: $*"; return 4; }
f one two three; echo "function status $?"
set -- p q r; echo "positional: $1 $3 ($#)"
unset x; echo "unset: [${x:-default}]"
umask; umask 027; umask
cd /etc && pwd && cd / && pwd
test -d /etc && echo "test -d ok"
[ -f /etc/hello.txt ] && echo "test -f ok"
[ -e /no/such ] || echo "test -e missing ok"
nosuchcommand 2>&1; echo "missing command: $?"
exit 0
