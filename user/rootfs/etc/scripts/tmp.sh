# The writable /tmp: redirections, append, mkdir, mv, rm, rmdir.
cd /tmp
echo hi > x; cat < x
echo more >> x; cat x; wc -c < x
: > x; wc -c < x
mkdir d d/e; echo deep > d/e/f; cat d/e/f
mv d/e/f d/g; ls d; cat d/g
mv x d/x2; ls d
rm d/x2 d/g; rmdir d/e d; ls
mkdir m; rmdir m/ && echo "rmdir with slash ok"
rm /tmp/nofile 2>&1; echo "rm missing: $?"
for i in 1 2 3 4 5; do echo "line $i" >> log; done; tail -n 2 log; rm log
seq 1 3000 > big; wc -l < big; tail -n 1 big; rm big
ls -a /tmp
