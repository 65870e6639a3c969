# 500 commands started and ended: afterwards the free memory must be where
# it was.  Toyix (uname -r ends in "toyix") gives every frame back, so
# MemFree is exactly the same; Linux's MemFree moves with its caches, so
# there the comparison is not made.
free_kb() { while read name kb unit; do [ "$name" = MemFree: ] && echo $kb; done < /proc/meminfo; }
run() {
	n=0
	while [ $n -lt $1 ]; do
		/bin/true
		echo x | cat > /dev/null
		x=$(echo $n)
		sh -c 'exit 3'
		n=$((n + 5)) # true, echo and cat, the substitution, sh
	done
}
run 20 # the shell's own memory grows to what the loop needs
before=$(free_kb)
run 500
after=$(free_kb)
echo "ran $n commands"
case $(uname -r) in
*toyix)
	if [ "$before" = "$after" ]; then echo "free memory as before: yes"
	else echo "free memory as before: no ($before kB, now $after kB)"; fi ;;
*) echo "free memory as before: yes" ;;
esac
