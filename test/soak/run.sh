#!/usr/bin/env bash
# test/soak/run.sh: concurrency soak (`make soak`; not part of `make test`).
#
# On a throwaway cluster (test/lib/common.sh, Unix socket only): pgbench
# inserts into a prediction table from 4 clients while 2 more pgbench clients
# run drift and quality queries over the growing table, for a bounded time
# (default 120 s, --seconds N).  Then it checks that
#   - no insert and no query failed, no client aborted (pgbench reports),
#   - the table holds exactly the rows pgbench committed,
#   - the server log has no ERROR, FATAL, PANIC or crash.
# If the installed extension has the monitors API (driftmon.create_monitor,
# run_monitor, schedule_monitor), a monitor over the same table is also
# scheduled every minute through pg_cron, and every recorded run must have
# succeeded, with no duplicate window.  Speaks TAP; exit status 0 = pass.
#
# Options: --seconds N  duration (default 120); --keep  keep the directory.
set -u
. "$(dirname "$0")/../lib/common.sh"
cd "$DM_ROOT" || exit 2

SECONDS_RUN=120
KEEP=0
while [ $# -gt 0 ]; do
	case $1 in
	--seconds) SECONDS_RUN=$2; shift 2 ;;
	--keep) KEEP=1; shift ;;
	*) echo "usage: $0 [--seconds N] [--keep]" >&2; exit 2 ;;
	esac
done
[[ $SECONDS_RUN =~ ^[0-9]+$ ]] && [ "$SECONDS_RUN" -ge 5 ] || { echo "--seconds must be an integer >= 5" >&2; exit 2; }

n=0
failed=0
ok() {		# ok STATUS NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - soak: $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - soak: $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /' | head -30
	fi
}

TMP=$(mktemp -d /tmp/driftmon-soak.XXXXXX)
cleanup() {
	trap '' INT TERM
	dm_cluster_stop "$TMP"
	if [ "$KEEP" -eq 1 ]; then dm_log "kept $TMP"; else rm -rf "$TMP"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dm_ensure_deps || { ok 1 "dependencies installed"; exit 1; }
dm_build_install "$TMP"
ok $? "build and install" || true
[ "$failed" -eq 0 ] || exit 1
dm_cluster_start "$TMP"
ok $? "throwaway cluster started"
[ "$failed" -eq 0 ] || exit 1
PGBENCH="$DM_BINDIR/pgbench"
[ -x "$PGBENCH" ] || PGBENCH=/usr/lib/postgresql/$DM_PGVER/bin/pgbench

# pg_cron schedules only in its own database (cron.database_name), so the
# soak runs there.
DB=driftmon_cron
export PGDATABASE=$DB
dm_psql -q <<'EOF2'
CREATE EXTENSION driftmon;
CREATE TABLE public.predictions (
  id        bigserial PRIMARY KEY,
  logged_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  age       float8,
  region    text,
  score     float8,
  label     boolean,
  predicted boolean
);
-- a reference window: one day ago
INSERT INTO public.predictions (logged_at, age, region, score, label, predicted)
SELECT now() - interval '1 day' + g * interval '1 ms', 40 + 10 * random(),
       (ARRAY['north','south','east','west'])[1 + g % 4], random(), random() < 0.3, random() < 0.3
FROM generate_series(1, 20000) g;
EOF2
ok $? "prediction table with a reference window"
base=$(dm_psql -At -c "SELECT count(*) FROM public.predictions")

cat >"$TMP/insert.sql" <<'EOF2'
\set r random(1, 1000)
INSERT INTO public.predictions (age, region, score, label, predicted)
VALUES (42 + :r / 100.0, (ARRAY['north','south','east','west','mars'])[1 + :r % 5],
        :r / 1000.0, :r % 3 = 0, :r % 4 = 0);
EOF2
cat >"$TMP/query.sql" <<'EOF2'
\set k random(1, 6)
SELECT CASE :k
  WHEN 1 THEN (SELECT (driftmon.ks_test(age, logged_at > now() - interval '1 hour')).p_value FROM public.predictions)
  WHEN 2 THEN (SELECT (driftmon.numeric_drift(age, logged_at > now() - interval '1 hour')).psi FROM public.predictions)
  WHEN 3 THEN (SELECT (driftmon.categorical_drift(region, logged_at > now() - interval '1 hour')).chi2_p_value FROM public.predictions)
  WHEN 4 THEN (SELECT driftmon.roc_auc(score, label) FROM public.predictions)
  WHEN 5 THEN (SELECT (driftmon.classification_metrics(label, predicted)).f1_macro FROM public.predictions)
  ELSE (SELECT driftmon.psi_agg(age, logged_at > now() - interval '1 hour', 20, 'uniform') FROM public.predictions)
END;
EOF2

# monitors, when the API is installed
has_monitors=$(dm_psql -At -c "SELECT count(DISTINCT proname) FROM pg_proc WHERE pronamespace = 'driftmon'::regnamespace AND proname IN ('create_monitor', 'run_monitor', 'schedule_monitor')")
if [ "$has_monitors" = "3" ]; then
	out=$(dm_psql -q -At 2>&1 <<'EOF2'
CREATE EXTENSION IF NOT EXISTS pg_cron;
SELECT driftmon.create_monitor(
  name        => 'soak',
  source      => 'public.predictions',
  time_column => 'logged_at',
  features    => ARRAY['age', 'region'],
  prediction  => 'predicted', label => 'label', score => 'score',
  reference   => tstzrange(now() - interval '2 days', now() - interval '1 hour'),
  window_size => interval '1 minute');
SELECT driftmon.schedule_monitor('soak', '* * * * *');
EOF2
)
	ok $? "monitor 'soak' created and scheduled every minute through pg_cron" "$out"
else
	echo "# monitors API not installed: monitor scheduling skipped"
fi

# Only the log written from here on counts (pg_cron may complain once at
# start-up, before test/lib/common.sh has created its database).
logstart=$(stat -c %s "$TMP/server.log")
dm_log "soak for $SECONDS_RUN s"
"$PGBENCH" -n -c 4 -j 2 -T "$SECONDS_RUN" -f "$TMP/insert.sql" "$DB" >"$TMP/insert.log" 2>&1 &
pi=$!
"$PGBENCH" -n -c 2 -j 2 -T "$SECONDS_RUN" -f "$TMP/query.sql" "$DB" >"$TMP/query.log" 2>&1 &
pq=$!
wait $pi
ri=$?
wait $pq
rq=$?
ok $ri "pgbench inserts finished without error" "$(tail -20 "$TMP/insert.log")"
ok $rq "pgbench drift queries finished without error" "$(tail -20 "$TMP/query.log")"
committed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$TMP/insert.log")
queries=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$TMP/query.log")
echo "# $committed inserts, $queries drift queries in $SECONDS_RUN s"
for f in insert query; do
	fails=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$TMP/$f.log")
	[ "${fails:-0}" = "0" ] && ! grep -qi "aborted\|error" "$TMP/$f.log"
	ok $? "pgbench $f: no failed transaction, no aborted client" "$(grep -i "failed\|abort\|error" "$TMP/$f.log" | head)"
done
[ -n "$committed" ] && [ "$committed" -gt 0 ] && [ -n "$queries" ] && [ "$queries" -gt 0 ]
ok $? "work was done (${committed:-0} inserts, ${queries:-0} queries)"
total=$(dm_psql -At -c "SELECT count(*) FROM public.predictions")
[ "$total" = "$((base + ${committed:-0}))" ]
ok $? "row count adds up: $base + $committed = $total" "table has $total rows"
dup=$(dm_psql -At -c "SELECT count(*) - count(DISTINCT id) FROM public.predictions")
[ "$dup" = "0" ]
ok $? "no duplicated row" "$dup duplicates"

if [ "$has_monitors" = "3" ]; then
	# Runs recorded by the scheduled monitor: all succeeded, no window twice.
	out=$(dm_psql -At 2>&1 <<'EOF2'
SELECT count(*) AS runs,
       count(*) FILTER (WHERE status::text NOT IN ('ok', 'success', 'succeeded', 'completed', 'done')) AS bad,
       count(*) - count(DISTINCT (window_start, window_end)) AS dup_windows
FROM driftmon.runs r JOIN driftmon.monitors m USING (monitor_id)
WHERE m.name = 'soak';
EOF2
)
	echo "# monitor runs, failed, duplicate windows: $out"
	IFS='|' read -r runs bad dupw <<<"$out"
	[[ ${runs:-x} =~ ^[0-9]+$ ]] && [ "$runs" -ge 1 ] && [ "$bad" = "0" ] && [ "$dupw" = "0" ]
	ok $? "scheduled monitor: every run succeeded, no duplicate window" "$out"
	jobfail=$(dm_psql -At -c "SELECT count(*) FROM cron.job_run_details WHERE status = 'failed'" 2>&1)
	[ "$jobfail" = "0" ]
	ok $? "pg_cron: no failed job run" "$jobfail"
fi

errs=$(tail -c +"$((logstart + 1))" "$TMP/server.log" | grep -E "ERROR|FATAL|PANIC|TRAP|terminated by signal|server process .* was terminated" | grep -v "canceling statement due to user request" | head -20)
[ -z "$errs" ]
ok $? "no error in the server log during the soak" "$errs"
crash=$(dm_psql -At -c "SELECT 1")
[ "$crash" = "1" ]
ok $? "server still up"

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
