#!/usr/bin/env bash
# Runs host test binaries and counts cmocka's results.
#
#   tests/host/run.sh SUMMARY_FILE BINARY...
#
# Prints one line per binary (PASS/FAIL name (n passed, m failed)), the output
# of every binary that failed, and a final `host: N passed, N failed`; writes
# "N M" to SUMMARY_FILE.  Exits non-zero when anything failed.
#
# Counting: cmocka's `[  PASSED  ] N test(s).` / `[  FAILED  ] N test(s)`
# lines.  A binary that is missing (did not build) counts as one failure; one
# that dies before its summary (ASan, UBSan, a signal) counts its `[       OK ]`
# tests as passed and one failure more; a binary whose summary says all
# passed but which still exits non-zero (e.g. LeakSanitizer at exit) gets
# one failure added.
set -u

summary=$1
shift
total_pass=0
total_fail=0

for bin in "$@"; do
	name=$(basename "$bin")
	if [[ ! -x $bin ]]; then
		echo "FAIL $name (did not build)"
		total_fail=$((total_fail + 1))
		continue
	fi
	start=$(date +%s.%N)
	out=$(ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0} \
		UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} "$bin" 2>&1)
	rc=$?
	secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')

	pass=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\..*/\1/p' <<<"$out" | tail -n 1)
	fail=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s).*/\1/p' <<<"$out" | tail -n 1)
	why=""
	if [[ -z $pass && -z $fail ]]; then
		pass=$(grep -c '^\[       OK \]' <<<"$out")
		fail=$(($(grep -c '^\[  FAILED  \] [^0-9]' <<<"$out") + 1))
		why="; died before its summary, exit $rc"
	else
		pass=${pass:-0}
		fail=${fail:-0}
		if ((rc != 0 && fail == 0)); then
			fail=1
			why="; exit $rc after all tests passed (sanitizer at exit?)"
		fi
	fi

	if ((fail == 0)); then
		echo "PASS $name ($pass passed, ${secs}s)"
	else
		echo "FAIL $name ($pass passed, $fail failed$why)"
		sed 's/^/    /' <<<"$out"
	fi
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done

mkdir -p "$(dirname "$summary")"
echo "$total_pass $total_fail" >"$summary"
echo "host: $total_pass passed, $total_fail failed"
((total_fail == 0))
