#!/usr/bin/env bash
# Runs libFuzzer targets and counts them.
#
#   tests/fuzz/run.sh --smoke|--keep SUMMARY_FILE SECONDS BINARY...
#
# Each build/fuzz/fuzz_NAME runs for SECONDS with its seed corpus
# tests/fuzz/corpus/NAME/ (read only: libFuzzer writes new inputs to the
# first directory only).  --smoke starts from an empty work directory and
# -seed=1 every time, so `make check` does the same work each run; --keep
# grows build/fuzz/corpus/NAME/ from run to run.  Crashes are written to
# build/fuzz/artifacts/NAME/.  One line per target, `PASS fuzz_NAME (N runs
# in S s)` or `FAIL ...` with the end of its output; a missing binary (it did
# not build) fails.  Writes "passed failed" to SUMMARY_FILE; exits non-zero
# when anything failed.
set -u

mode=$1 summary=$2 seconds=$3
shift 3
root=$(cd "$(dirname "$0")/../.." && pwd)
passed=0
failed=0

for bin in "$@"; do
	name=$(basename "$bin")
	target=${name#fuzz_}
	if [[ ! -x $bin ]]; then
		echo "FAIL $name (did not build)"
		failed=$((failed + 1))
		continue
	fi
	seeds="$root/tests/fuzz/corpus/$target"
	artifacts="$root/build/fuzz/artifacts/$target/"
	if [[ $mode == --smoke ]]; then
		work="$root/build/fuzz/smoke/$target"
		rm -rf "$work"
		extra=(-seed=1)
	else
		work="$root/build/fuzz/corpus/$target"
		extra=()
	fi
	mkdir -p "$work" "$artifacts"
	out=$("$bin" "$work" "$seeds" -max_total_time="$seconds" -artifact_prefix="$artifacts" \
		-print_final_stats=1 "${extra[@]}" 2>&1)
	rc=$?
	runs=$(sed -n 's/^Done \([0-9]*\) runs in \([0-9]*\) second.*/\1 runs in \2 s/p' <<<"$out")
	if ((rc == 0)) && [[ -n $runs ]]; then
		echo "PASS $name ($runs)"
		passed=$((passed + 1))
	else
		echo "FAIL $name (exit $rc; crash inputs in ${artifacts#"$root"/})"
		grep -v '^#[0-9]' <<<"$out" | tail -n 30 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

mkdir -p "$(dirname "$summary")"
echo "$passed $failed" >"$summary"
echo "fuzz: $passed passed, $failed failed"
((failed == 0))
