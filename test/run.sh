#!/usr/bin/env bash
# test/run.sh: the test command (`make test`).
#
# Installs missing packages, builds driftmon with -Werror, installs it into a
# private server tree, starts a throwaway PostgreSQL 15 cluster (pg_cron
# preloaded), then runs every suite:
#   regress      pg_regress over sql/*.sql against expected/*.out
#   unit         test/unit/test_*.c, C tests of the Postgres-free core
#   sanitize     the unit tests again under ASan+UBSan and under valgrind
#   oracle       test/oracle/test_*.py, scipy / scikit-learn / exact oracles
#   integration  test/integration/test_*.{py,sh}, pg_cron, concurrency, dumps
#   fuzz, sanitizers (when present) test/fuzz
#   soak         test/soak/run.sh --seconds 75 on its own cluster: pgbench
#                inserts and queries while pg_cron runs two monitors
# Every suite reports in TAP ("ok ..." / "not ok ..."); this script counts
# them and ends with one line "N passed, N failed" (", N skipped" when a
# test reported "ok ... # SKIP": a skip is never counted as a pass).  The cluster is removed on
# exit, also on failure or Ctrl-C.
#
# Options: --only SUITE[,SUITE]  run only those suites (regress, unit, sanitize,
#          oracle, integration, fuzz, soak); --keep  keep the temporary directory.
set -u
. "$(dirname "$0")/lib/common.sh"
cd "$DM_ROOT" || exit 2

ONLY=""
KEEP=0
while [ $# -gt 0 ]; do
	case $1 in
	--only) ONLY=",$2,"; shift 2 ;;
	--keep) KEEP=1; shift ;;
	*) echo "usage: $0 [--only suite,...] [--keep]" >&2; exit 2 ;;
	esac
done
want() { [ -z "$ONLY" ] || [[ $ONLY == *",$1,"* ]]; }
core=$(ls src/core/*.c 2>/dev/null)

PASSED=0
FAILED=0
SKIPPED=0
FAILED_NAMES=()
TMP=$(mktemp -d /tmp/driftmon-test.XXXXXX)
export DM_TMP=$TMP

cleanup() {
	trap '' INT TERM			# a second Ctrl-C must not abort the clean-up
	dm_cluster_stop "$TMP"
	if [ "$KEEP" -eq 1 ]; then
		dm_log "kept $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# record NAME STATUS: count one test outcome of a non-TAP step.
record() {
	if [ "$2" -eq 0 ]; then
		PASSED=$((PASSED + 1))
		echo "ok - $1"
	else
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$1")
		echo "not ok - $1"
	fi
}

# run_tap NAME CMD...: run a TAP-speaking test program, echo its output,
# count its ok / not ok lines.  A program that exits non-zero without
# reporting a failure (a crash, a syntax error) counts as one failure.
run_tap() {
	local name=$1 log p s f rc
	shift
	log="$TMP/$(echo "$name" | tr '/ ' '__').tap"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	p=$(grep '^ok ' "$log" | grep -vc '# SKIP')
	s=$(grep '^ok ' "$log" | grep -c '# SKIP')
	f=$(grep -c '^not ok ' "$log")
	PASSED=$((PASSED + p))
	SKIPPED=$((SKIPPED + s))
	FAILED=$((FAILED + f))
	if [ "$f" -gt 0 ]; then
		FAILED_NAMES+=("$name: $(grep '^not ok ' "$log" | head -3 | tr '\n' ';')")
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$name: exited with status $rc")
		echo "not ok - $name exited with status $rc"
	elif [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$s" -eq 0 ]; then
		FAILED=$((FAILED + 1))
		FAILED_NAMES+=("$name: reported no test")
		echo "not ok - $name reported no test"
	fi
}

summary() {
	echo
	if [ "${#FAILED_NAMES[@]}" -gt 0 ]; then
		echo "# failed:"
		printf '#   %s\n' "${FAILED_NAMES[@]}"
	fi
	if [ "$SKIPPED" -gt 0 ]; then
		echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
	else
		echo "$PASSED passed, $FAILED failed"
	fi
	[ "$FAILED" -eq 0 ]
}

echo "# driftmon test suite ($(date -u +%FT%TZ))"
dm_ensure_deps || { record "dependencies installed" 1; summary; exit 1; }
dm_build_install "$TMP"
record "build with -Werror and install" $?
[ "$FAILED" -eq 0 ] || { summary; exit 1; }

# The committed install script must be what the fragments assemble to.
cat src/sql/*.sql | cmp -s - "sql/driftmon--0.1.0.sql"
record "sql/driftmon--0.1.0.sql is up to date with src/sql" $?

dm_cluster_start "$TMP"
record "throwaway cluster started" $?
[ "$FAILED" -eq 0 ] || { summary; exit 1; }

# regress: pg_regress through PGXS installcheck; one test per sql/ file.
if want regress; then
	echo "# suite: regress"
	rm -rf results regression.diffs regression.out
	make -s installcheck PG_CONFIG="$(dm_pg_config)" >"$TMP/regress.log" 2>&1
	rc=$?
	cat "$TMP/regress.log"
	p=$(grep -cE '^(test| ) +[^ ]+ +\.\.\. ok' "$TMP/regress.log")
	f=$(grep -cE '\.\.\. FAILED' "$TMP/regress.log")
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	if [ "$f" -gt 0 ] || [ "$rc" -ne 0 ]; then
		[ "$f" -gt 0 ] || FAILED=$((FAILED + 1))
		FAILED_NAMES+=("regress: $(grep -E '\.\.\. FAILED' "$TMP/regress.log" | awk '{print $2}' | tr '\n' ' ')(diffs above)")
		[ -f regression.diffs ] && { echo "# regression.diffs:"; cat regression.diffs; }
	fi
fi

# unit: every test/unit/test_*.c links against the whole Postgres-free core.
if want unit; then
	echo "# suite: unit"
	mkdir -p "$TMP/unit"
	for t in test/unit/test_*.c; do
		[ -e "$t" ] || continue
		b="$TMP/unit/$(basename "$t" .c)"
		if gcc -std=c99 -O2 -g -fno-strict-aliasing -Wall -Wextra -Werror -Wno-unused-parameter -D_GNU_SOURCE \
			-Isrc/core -Itest/unit -o "$b" "$t" $core -lm 2>"$b.cc.log"; then
			run_tap "unit/$(basename "$t")" "$b"
		else
			cat "$b.cc.log"
			record "unit/$(basename "$t") compiles" 1
		fi
	done
fi

# sanitize: the same unit tests under AddressSanitizer + UndefinedBehavior-
# Sanitizer (clang), then under valgrind memcheck.  Any report fails the test.
# DM_UNDER_TOOL tells a test to skip its timing assertions and huge cases.
if want sanitize; then
	echo "# suite: sanitize"
	mkdir -p "$TMP/asan"
	for t in test/unit/test_*.c; do
		[ -e "$t" ] || continue
		b="$TMP/asan/$(basename "$t" .c)"
		if clang -std=c99 -O1 -g -fno-omit-frame-pointer -fno-strict-aliasing \
			-fsanitize=address,undefined -fno-sanitize-recover=all -D_GNU_SOURCE \
			-Isrc/core -Itest/unit -o "$b" "$t" $core -lm 2>"$b.cc.log"; then
			DM_UNDER_TOOL=asan ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 "$b" >"$b.log" 2>&1
			rc=$?
			[ "$rc" -eq 0 ] || tail -30 "$b.log"
			record "asan+ubsan clean: $(basename "$t")" "$rc"
		else
			cat "$b.cc.log"
			record "asan+ubsan build: $(basename "$t")" 1
		fi
		if [ -x "$TMP/unit/$(basename "$t" .c)" ]; then
			DM_UNDER_TOOL=valgrind valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
				"$TMP/unit/$(basename "$t" .c)" >"$b.vg.log" 2>&1
			rc=$?
			[ "$rc" -eq 0 ] || tail -30 "$b.vg.log"
			record "valgrind clean: $(basename "$t")" "$rc"
		fi
	done
fi

# oracle: Python against scipy / scikit-learn / exact arithmetic.
if want oracle; then
	echo "# suite: oracle"
	for t in test/oracle/test_*.py; do
		[ -e "$t" ] || continue
		run_tap "oracle/$(basename "$t")" "$DM_PY" "$t"
	done
fi

# integration: the real cluster with pg_cron, several sessions, pg_dump.
if want integration; then
	echo "# suite: integration"
	for t in test/integration/test_*; do
		[ -e "$t" ] || continue
		case $t in
		*.py) run_tap "integration/$(basename "$t")" "$DM_PY" "$t" ;;
		*.sh) run_tap "integration/$(basename "$t")" bash "$t" ;;
		esac
	done
fi

# fuzz and sanitizer builds, when the hardening suite is present.
if want fuzz && [ -x test/fuzz/run.sh ]; then
	echo "# suite: fuzz"
	run_tap "fuzz" test/fuzz/run.sh
fi

# soak: bounded concurrency soak (its own throwaway cluster, so the server log
# it checks holds only its own traffic); `make soak` runs it longer.
if want soak; then
	echo "# suite: soak"
	run_tap "soak" bash test/soak/run.sh --seconds "${DM_SOAK_SECONDS:-75}"
fi

summary
