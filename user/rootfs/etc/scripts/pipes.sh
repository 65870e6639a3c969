# Pipelines and redirections between BusyBox programs.
cat /etc/hello.txt | wc -c
ls /etc | sort -r
seq 1 10 | grep 1 | tr '\n' ' '; echo
yes | head -n 3
seq 1 2000 | tail -n 2
echo abc | sed s/b/X/
printf 'b\na\nc\na\n' | sort | uniq -c
echo "entries in /data: $(ls /data | wc -l)"
wc -l < /etc/hello.txt
cat < /etc/hostname
echo to-null > /dev/null; echo "null: $?"
cat /dev/null | wc -c
echo "stderr" 1>&2
{ echo one; echo two; } | wc -l
seq 1 3 | while read n; do echo "read $n"; done
false | true; echo "pipeline status: $?"
true | false; echo "pipeline status: $?"
