#!/usr/bin/env bash
# test/integration/test_bench_smoke.sh: keep the benchmark from rotting.
#
# Runs the bench driver (test/bench/bench.py) against the test cluster
# already started by test/run.sh (PGHOST/PGPORT/PGUSER exported), on a few
# thousand rows with one run per case, in its own database.  It checks that
# every case that is installed runs without error and that the report has
# its table and targets; it does not judge speed.  Prints TAP; < 30 s.
set -u
here=$(cd "$(dirname "$0")" && pwd)
py=${DM_PY:-/usr/bin/python3}
out=$(mktemp -d "${DM_TMP:-/tmp}/bench-smoke.XXXXXX")
n=0
fail=0
tap() { # tap COND NAME [DETAIL_FILE]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - bench smoke: $2"
	else
		fail=1
		echo "not ok $n - bench smoke: $2"
		[ -n "${3:-}" ] && sed 's/^/#   /' "$3" | tail -40
	fi
}

start=$(date +%s)
# Serial only and three of the PL/Python cases (each imports scipy or
# sklearn into a fresh backend): the machine may be busy, stay well < 30 s.
"$py" "$here/../bench/bench.py" --rows 4000 --runs 1 --workers 0 \
	--cases floor,driftmon,special,sql,plpy_ks_2samp,plpy_chi2_scipy,plpy_sklearn_classification \
	--db driftmon_bench_smoke --output "$out/report.md" >"$out/stdout" 2>"$out/stderr"
rc=$?
secs=$(($(date +%s) - start))
cat "$out/stderr" "$out/stdout" >"$out/all"

tap "$rc" "driver ran every installed case without error (exit $rc, ${secs} s)" "$out/all"
grep -q '^| sum_value | 4000 | 0 | [0-9]' "$out/report.md" 2>/dev/null
tap $? "report has the sum() floor" "$out/all"
grep -q '^| groupby_count | 4000 | 0 | [0-9]' "$out/report.md" 2>/dev/null
tap $? "report has the GROUP BY floor" "$out/all"
for c in sql_ks_window sql_psi_width_bucket sql_categorical_groupby sql_roc_auc \
	plpy_ks_2samp plpy_sklearn_classification; do
	grep -q "^| $c | 4000 | 0 | [0-9]" "$out/report.md" 2>/dev/null
	tap $? "user's-way case $c measured" "$out/all"
done
# Each driftmon case is either measured or listed as not installed.
missing=""
for c in $("$py" "$here/../bench/bench.py" --list | awk '$2 == "driftmon" || $2 == "special" {print $1}'); do
	grep -q "^| $c | 4000 | 0 | [0-9]" "$out/report.md" 2>/dev/null ||
		grep -q "Not installed.* $c (needs" "$out/report.md" 2>/dev/null ||
		missing="$missing $c"
done
[ -z "$missing" ]
tap $? "every driftmon case measured or reported as not installed${missing:+ (missing:$missing)}" "$out/all"
grep -q '^- issue 3: ks_test within 3x' "$out/report.md" 2>/dev/null
tap $? "report lists the issue targets" "$out/all"
grep -q '^Machine: ' "$out/report.md" 2>/dev/null
tap $? "report has the machine line" "$out/all"
rm -rf "$out"
echo "1..$n"
exit $fail
