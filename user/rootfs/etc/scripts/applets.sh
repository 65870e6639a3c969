# The BusyBox applets of a shell session on files of their own in tmp/:
# text tools, copies and links, modes, owners and times, stops and timers.
d=tmp/applets
rm -rf $d
mkdir -p $d/sub && cd $d || exit 1
printf 'banana\napple\ncherry\napple\n' > fruit
sort fruit | uniq -c
sort -r fruit | head -n 2
tail -n 1 fruit
wc -l < fruit
grep -n an fruit
grep -c apple fruit
sed 's/a/A/g' fruit | tr 'a-z' 'A-Z'
awk '{ n[$1]++ } END { for (k in n) print k, n[k] }' fruit | sort
cut -c1-3 fruit | head -n 2
head -c 6 fruit; echo
od -An -tx1 -N 4 fruit
md5sum fruit
cat fruit > catted && cmp fruit catted && echo "cat to a file: same"
cp fruit copy && cmp fruit copy && echo "cp: same"
mv copy moved && ls
tee teed < fruit > /dev/null && wc -c teed
dd if=fruit of=part bs=1 count=6 2>/dev/null && cat part && echo
ln -s fruit link && readlink link && head -n 1 link
# Hard links: tmpfs has them on Linux, Toyix does not; nothing is shown.
ln fruit hard 2>/dev/null
rm -f hard
chmod 640 fruit && stat -c '%a %F' fruit
chmod u+x,g-r fruit && stat -c '%A' fruit
stat -c '%F' link
chown 12:34 fruit && stat -c '%u %g' fruit
touch -d '2020-01-02 03:04:05' fruit && date -u -r fruit '+%Y-%m-%d %H:%M:%S'
stat -c '%Y' fruit
touch -r fruit moved && stat -c '%Y' moved
touch new && test -f new && echo touched
find . -type l
find . -type f | sort
echo a b c | xargs -n 1 echo
seq 3 | xargs echo
printf '%05d|%s\n' 42 x
expr 3 \* 4
test 5 -gt 3 && echo gt
sleep 0.1 && echo slept
sync && echo synced
nproc
id -u
env | grep '^HOME='
ls sub && rmdir sub
sleep 5 &
pid=$!
kill -STOP $pid
kill -CONT $pid
kill $pid
wait $pid
echo "stopped, continued, killed: $?"
timeout 1 sleep 5
echo "timeout: $?"
cd ../..
rm -rf $d
echo done
