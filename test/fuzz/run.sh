#!/usr/bin/env bash
# test/fuzz/run.sh [TARGET...]: build and run the libFuzzer targets.
#
# Every test/fuzz/fuzz_<target>.c is built with clang
# -fsanitize=fuzzer,address,undefined against all of src/core/*.c, first
# replays every input in test/fuzz/regressions/<target>/ (crashes found
# earlier), then fuzzes for DM_FUZZ_SECONDS (default 20) seconds starting
# from a COPY of test/fuzz/corpus/<target>/ (the committed corpus is never
# written).  Output is TAP: one line per target and step; a crash prints the
# input's path and a hex dump.  Example, one target for ten minutes:
#   DM_FUZZ_SECONDS=600 bash test/fuzz/run.sh confusion_text
set -u
cd "$(dirname "$0")/../.." || exit 2
SECS=${DM_FUZZ_SECONDS:-20}
# Not under test/run.sh's temporary directory: a crash input must outlive it.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/driftmon-fuzz.XXXXXX")
[ -n "${DM_FUZZ_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
core=$(ls src/core/*.c)
n=0
fail=0

# tap STATUS TEXT: print one TAP line.
tap() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		fail=1
	fi
}

# hexdump_of FILE: the first 512 bytes of an input, for the log.
hexdump_of() {
	od -A x -t x1z -v "$1" | head -33 | sed 's/^/#   /'
}

if [ $# -gt 0 ]; then
	targets="$*"
else
	targets=$(ls test/fuzz/fuzz_*.c | sed 's|.*/fuzz_||; s|\.c$||')
fi
echo "1..$(( $(echo $targets | wc -w) * 3 ))"
for t in $targets; do
	src=test/fuzz/fuzz_$t.c
	bin=$WORK/fuzz_$t
	if ! clang -std=c99 -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all -D_GNU_SOURCE -Isrc/core -o "$bin" "$src" $core -lm \
		>"$bin.cc.log" 2>&1; then
		sed 's/^/#   /' "$bin.cc.log" | head -40
		tap 1 "fuzz $t: build"
		tap 1 "fuzz $t: regressions not replayed"
		tap 1 "fuzz $t: not fuzzed"
		continue
	fi
	tap 0 "fuzz $t: build with -fsanitize=fuzzer,address,undefined"

	# replay the committed regression inputs (each run once)
	reg=test/fuzz/regressions/$t
	nreg=0
	rc=0
	if [ -d "$reg" ] && [ -n "$(ls -A "$reg")" ]; then
		nreg=$(ls -A "$reg" | wc -l)
		UBSAN_OPTIONS=print_stacktrace=1 "$bin" -runs=1 "$reg"/* >"$bin.replay.log" 2>&1
		rc=$?
		[ "$rc" -eq 0 ] || tail -40 "$bin.replay.log" | sed 's/^/#   /'
	fi
	tap "$rc" "fuzz $t: $nreg regression inputs replayed"

	# fuzz a copy of the seed corpus
	mkdir -p "$WORK/corpus_$t" "$WORK/art_$t"
	[ -d "test/fuzz/corpus/$t" ] && cp -r "test/fuzz/corpus/$t/." "$WORK/corpus_$t/"
	UBSAN_OPTIONS=print_stacktrace=1 "$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
		-max_len=4096 -print_final_stats=1 -artifact_prefix="$WORK/art_$t/" "$WORK/corpus_$t" \
		>"$bin.fuzz.log" 2>&1
	rc=$?
	execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$bin.fuzz.log" | grep -o '[0-9]*$' | tail -1)
	crash=$(ls "$WORK/art_$t/" 2>/dev/null | head -1)
	if [ "$rc" -eq 0 ] && [ -z "$crash" ]; then
		tap 0 "fuzz $t: ${execs:-?} runs, no crash"
	else
		grep -E 'ERROR|SUMMARY|runtime error|deadly|#[0-9]+ 0x' "$bin.fuzz.log" | head -30 | sed 's/^/#   /'
		if [ -n "$crash" ]; then
			echo "#   crash input: $WORK/art_$t/$crash (kept; copy it to $reg/ with the fix)"
			hexdump_of "$WORK/art_$t/$crash"
			trap - EXIT
		fi
		tap 1 "fuzz $t: crash after ${execs:-?} runs (exit $rc)"
	fi
done
exit $fail
