#!/usr/bin/env bash
# `make check`: every test Toyix has, with both compilers.
#
#   1. scripts/install-deps.sh
#   2. in parallel: the gcc kernel (build/) and the clang kernel
#      (build/clang/), each with its toyix.iso and toyix-test.iso
#   3. in parallel: the host unit tests (make host-test: cmocka, ASan +
#      UBSan), the initrd build's own test (tests/make/) and the QEMU
#      suite against every kernel that built, both compilers in one pool
#      of workers (scripts/qemu_test.py).  The host tests wait for the
#      kernel builds: a make that parses .d files while another writes
#      them can read half a file.
#   3b. the fuzz smoke: every libFuzzer target for a few seconds.
#   3c. the user conformance programs against their Linux recordings
#      (scripts/user_conformance.py --check-host), one test per program.
#   3d. a user program under Bochs (scripts/bochs_test.sh).
#   4. the last line of output is `N passed, N failed`; the exit status is
#      non-zero when anything failed.  A step that fails without counts of
#      its own (dependencies, a build) counts as one failure.
set -u
cd "$(dirname "$0")/.." || exit 1

# A `make CC=clang check` must not turn the gcc build below into a clang one:
# command-line variables reach sub-makes through MAKEFLAGS.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

passed=0
failed=0
logs=$(mktemp -d "${TMPDIR:-/tmp}/toyix-check.XXXXXX")
trap 'rm -rf "$logs"' EXIT

note() { printf '%s\n' "$*"; }

# Adds the "P F" counts in file $1 to the totals; false when it has none.
add_counts() {
	local p f
	[[ -s $1 ]] || return 1
	read -r p f <"$1" || return 1
	[[ $p =~ ^[0-9]+$ && $f =~ ^[0-9]+$ ]] || return 1
	passed=$((passed + p))
	failed=$((failed + f))
}

seconds_since() { echo $(($(date +%s) - $1)); }

# --- 1. dependencies ------------------------------------------------------
if scripts/install-deps.sh; then
	passed=$((passed + 1))
else
	note "FAIL install-deps (scripts/install-deps.sh exited non-zero)"
	failed=$((failed + 1))
fi

# --- 1b. the tree follows its own .clang-format -------------------------
if make -s format-check >"$logs/format.log" 2>&1; then
	passed=$((passed + 1))
else
	note "FAIL format-check (run make format); the files:"
	sed 's/^/    /' "$logs/format.log"
	failed=$((failed + 1))
fi

# --- 2. both kernels, in parallel -----------------------------------------
# The user programs and the initrd first: both kernels' ISOs load the same
# build/initrd.cpio, and two makes must not build it at once.
jobs=$(nproc 2>/dev/null || echo 2)
start=$(date +%s)
if make -j"$jobs" initrd build/linux-oracle/oracle_init >"$logs/initrd.log" 2>&1; then
	note "PASS build-initrd ($(seconds_since "$start")s)"
	passed=$((passed + 1))
else
	note "FAIL build-initrd; the end of its log:"
	tail -n 25 "$logs/initrd.log" | sed 's/^/    /'
	failed=$((failed + 1))
fi
declare -A out=([gcc]=build [clang]=build/clang) pid=()
for cc in gcc clang; do
	make -j"$jobs" CC=$cc all "${out[$cc]}/toyix-test.iso" >"$logs/$cc.log" 2>&1 &
	pid[$cc]=$!
done
builds=()
for cc in gcc clang; do
	if wait "${pid[$cc]}"; then
		note "PASS build-$cc ($(seconds_since "$start")s)"
		passed=$((passed + 1))
		builds+=(--build "${out[$cc]}")
	else
		note "FAIL build-$cc (its QEMU tests are skipped); the end of its log:"
		tail -n 25 "$logs/$cc.log" | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done

# --- 3. host tests and QEMU, in parallel -----------------------------------
rm -f build/host/summary "$logs/host.rc" "$logs/initrd-tree.rc"
# The initrd test runs make as well, so it waits for the host tests: a make
# that parses .d files while another writes them can read half a file.
(
	make host-test >"$logs/host.log" 2>&1
	echo $? >"$logs/host.rc"
	tests/make/initrd_follows_tree.sh >"$logs/initrd-tree.log" 2>&1
	echo $? >"$logs/initrd-tree.rc"
) &
side_pid=$!

if ((${#builds[@]})); then
	python3 scripts/qemu_test.py "${builds[@]}" --jobs "$jobs" \
		--summary-file "$logs/qemu.summary" | sed -e '/^[0-9]* passed, [0-9]* failed$/s/^/qemu tests: /'
	qemu_rc=${PIPESTATUS[0]}
	if ! add_counts "$logs/qemu.summary"; then
		note "FAIL qemu-test (scripts/qemu_test.py exited $qemu_rc without counts)"
		failed=$((failed + 1))
	fi
fi

# The benchmark scenario, once per compiler with a few iterations, so it
# cannot rot; its figures are never judged here (make bench reports them).
for b in "${builds[@]}"; do
	[[ $b == --build ]] && continue
	if python3 scripts/bench.py --quick --build "$b"; then
		passed=$((passed + 1))
	else
		note "FAIL bench-quick $b (scripts/bench.py --quick)"
		failed=$((failed + 1))
	fi
done

wait "$side_pid"
if [[ $(cat "$logs/initrd-tree.rc" 2>/dev/null) == 0 ]]; then
	passed=$((passed + 1))
else
	failed=$((failed + 1))
fi
cat "$logs/initrd-tree.log"

host_rc=$(cat "$logs/host.rc" 2>/dev/null || echo 1)
# run.sh prints PASS/FAIL lines and its own total; show those and any failure
# output, not the compiler command lines.
grep -v -e '^gcc ' -e '^make\[' "$logs/host.log" | sed -e '/^host: /d'
if ! add_counts build/host/summary; then
	note "FAIL host-test (make host-test exited $host_rc without counts)"
	tail -n 25 "$logs/host.log" | sed 's/^/    /'
	failed=$((failed + 1))
else
	note "host tests: $(awk '{print $1 " passed, " $2 " failed"}' build/host/summary)"
fi

# --- 3b. fuzz smoke: each libFuzzer target a few seconds (tests/fuzz/fuzz.mk)
rm -f build/fuzz/summary
make fuzz-smoke >"$logs/fuzz.log" 2>&1
fuzz_rc=$?
grep -e '^PASS' -e '^FAIL' -e '^    ' "$logs/fuzz.log"
if ! add_counts build/fuzz/summary; then
	note "FAIL fuzz-smoke (make fuzz-smoke exited $fuzz_rc without counts)"
	tail -n 25 "$logs/fuzz.log" | sed 's/^/    /'
	failed=$((failed + 1))
fi

# --- 3c. conformance programs against their Linux recordings ------------
rm -f "$logs/user.summary"
python3 scripts/user_conformance.py --check-host --summary-file "$logs/user.summary" |
	sed -e '/^[0-9]* passed, [0-9]* failed/s/^/user conformance: /'
user_rc=${PIPESTATUS[0]}
if ! add_counts "$logs/user.summary"; then
	note "FAIL user-conformance (scripts/user_conformance.py exited $user_rc without counts)"
	failed=$((failed + 1))
fi

# --- 3d. a user program under Bochs (about 15 s), with the gcc kernel --------
if [[ " ${builds[*]} " == *" build "* ]]; then
	if scripts/bochs_test.sh build/toyix.elf hello >"$logs/bochs.log" 2>&1; then
		note "$(tail -n 1 "$logs/bochs.log")"
		passed=$((passed + 1))
	else
		note "FAIL bochs (scripts/bochs_test.sh); its output:"
		sed 's/^/    /' "$logs/bochs.log"
		failed=$((failed + 1))
	fi
fi

# --- 4. the one line that counts ------------------------------------------
note "$passed passed, $failed failed"
((failed == 0))
