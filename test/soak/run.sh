#!/usr/bin/env bash
# test/soak/run.sh: concurrency soak (`make soak`, 120 s by default; the test
# command runs it for 75 s as its own suite "soak").
#
# On a throwaway cluster (test/lib/common.sh, Unix socket only), in the
# pg_cron database: pgbench inserts into a prediction table from 4 clients
# while 2 more pgbench clients run drift and quality queries over the growing
# table, and two monitors over that table run every minute through pg_cron
# (driftmon.schedule_monitor): "soak" (age numeric, region categorical,
# boolean prediction/label, score) and "soak segments" (age and score,
# segmented by region).  Then it checks that
#   - no insert and no query failed, no client aborted (pgbench reports),
#   - the table holds exactly the rows pgbench committed, no duplicate id,
#   - every pg_cron run of each monitor succeeded and recorded exactly one
#     run (pg_cron job runs = driftmon.runs rows), every run succeeded, no
#     window was written twice,
#   - each run holds exactly its features x metrics results (19 for "soak":
#     age 3 + region 3 + classification 11 + score 2; 36 for "soak segments":
#     (all rows + 5 regions) x (2 features x 3 metrics)), no duplicate
#     (segment, feature, metric), and its row counts are right: the whole
#     reference, and the window's rows up to the inserts still in flight
#     when the run took its snapshot (at most one per insert client),
#   - the server log has no ERROR, FATAL, PANIC, deadlock or crash.
# pg_cron has minute resolution: --seconds must be at least 65 for a run to
# be guaranteed (the soak fails when no run was recorded).  Speaks TAP;
# exit status 0 = pass.
#
# Options: --seconds N  duration (default 120, at least 65); --keep  keep
# the directory.
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
[[ $SECONDS_RUN =~ ^[0-9]+$ ]] && [ "$SECONDS_RUN" -ge 65 ] || { echo "--seconds must be an integer >= 65 (pg_cron fires once a minute)" >&2; exit 2; }
INSERT_CLIENTS=4

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
[ -x "$PGBENCH" ]
ok $? "pgbench found ($PGBENCH, package postgresql-$DM_PGVER)"
[ "$failed" -eq 0 ] || exit 1

# pg_cron schedules only in its own database (cron.database_name), so the
# soak runs there.
DB=driftmon_cron
export PGDATABASE=$DB
dm_psql -q <<'EOF2'
CREATE EXTENSION driftmon;
CREATE EXTENSION pg_cron;
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
ok $? "prediction table with a reference window of 20000 rows"
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

# Two monitors over the table, each run every minute by pg_cron.  The window
# is the last complete minute; the seed rows below put rows in the minute
# the soak starts in, so every window a job computes has rows (no run is
# skipped for an empty window).
out=$(dm_psql -q -At 2>&1 <<'EOF2'
SELECT driftmon.create_monitor(
  name        => 'soak',
  source      => 'public.predictions',
  time_column => 'logged_at',
  features    => ARRAY['age', 'region'],
  prediction  => 'predicted', label => 'label', score => 'score',
  reference   => tstzrange(now() - interval '2 days', now() - interval '1 hour'),
  window_size => interval '1 minute');
SELECT driftmon.create_monitor(
  name        => 'soak segments',
  source      => 'public.predictions',
  time_column => 'logged_at',
  features    => ARRAY['age', 'score'],
  segment     => 'region',
  reference   => tstzrange(now() - interval '2 days', now() - interval '1 hour'),
  window_size => interval '1 minute');
INSERT INTO public.predictions (age, region, score, label, predicted)
SELECT 42 + g / 10.0, (ARRAY['north','south','east','west','mars'])[1 + g % 5], g / 10.0, g % 3 = 0, g % 4 = 0
FROM generate_series(1, 10) g;
SELECT driftmon.schedule_monitor('soak', '* * * * *');
SELECT driftmon.schedule_monitor('soak segments', '* * * * *');
EOF2
)
ok $? "monitors 'soak' and 'soak segments' created and scheduled every minute through pg_cron" "$out"
base=$((base + 10))

# Only the log written from here on counts (pg_cron may complain once at
# start-up, before test/lib/common.sh has created its database).
logstart=$(stat -c %s "$TMP/server.log")
dm_log "soak for $SECONDS_RUN s"
"$PGBENCH" -n -c "$INSERT_CLIENTS" -j 2 -T "$SECONDS_RUN" -f "$TMP/insert.sql" "$DB" >"$TMP/insert.log" 2>&1 &
pi=$!
"$PGBENCH" -n -c 2 -j 2 -T "$SECONDS_RUN" -f "$TMP/query.sql" "$DB" >"$TMP/query.log" 2>&1 &
pq=$!
wait $pi
ri=$?
wait $pq
rq=$?

# Stop scheduling, then let a job that already started finish.
dm_psql -q -At -c "SELECT driftmon.unschedule_monitor('soak'), driftmon.unschedule_monitor('soak segments')" >/dev/null
for _ in $(seq 1 120); do
	busy=$(dm_psql -At -c "SELECT count(*) FROM cron.job_run_details WHERE status NOT IN ('succeeded', 'failed')")
	[ "$busy" = "0" ] && break
	sleep 1
done

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
ok $? "row count adds up: $base + ${committed:-0} = $total" "table has $total rows"
dup=$(dm_psql -At -c "SELECT count(*) - count(DISTINCT id) FROM public.predictions")
[ "$dup" = "0" ]
ok $? "no duplicated row" "$dup duplicates"

# The monitors' history.  For each monitor: runs recorded, runs that did not
# succeed, windows written more than once, runs whose results count is not
# features x metrics, runs with a (segment, feature, metric) twice, runs
# whose reference count is not the 20000 reference rows, and runs whose
# window count is off: the rows now in the window minus n_current must be
# between 0 and the number of insert clients (an insert stamped before the
# window's end may commit after the run's snapshot).
for spec in "soak:19" "soak segments:36"; do
	mon=${spec%:*}
	want=${spec##*:}
	out=$(dm_psql -At -v mon="$mon" -v want="$want" -v clients="$INSERT_CLIENTS" 2>&1 <<'EOF2'
WITH r AS (
  SELECT r.*,
         (SELECT count(*) FROM driftmon.results s WHERE s.run_id = r.run_id) AS n_results,
         (SELECT count(DISTINCT (s.segment, s.feature, s.metric)) FROM driftmon.results s WHERE s.run_id = r.run_id) AS n_distinct,
         (SELECT count(*) FROM public.predictions p
           WHERE p.logged_at >= r.window_start AND p.logged_at < r.window_end) AS n_window
  FROM driftmon.runs r JOIN driftmon.monitors m USING (monitor_id)
  WHERE m.name = :'mon' AND m.dropped_at IS NULL
)
SELECT count(*),
       count(*) FILTER (WHERE status <> 'succeeded'),
       count(*) - count(DISTINCT (window_start, window_end)),
       count(*) FILTER (WHERE n_results <> :want),
       count(*) FILTER (WHERE n_distinct <> n_results),
       count(*) FILTER (WHERE n_reference IS DISTINCT FROM 20000),
       count(*) FILTER (WHERE n_current IS NULL OR n_window - n_current NOT BETWEEN 0 AND :clients),
       coalesce(string_agg(format('%s..%s %s n_cur=%s window=%s results=%s %s', window_start, window_end,
                                  status, n_current, n_window, n_results, error), '; '), '')
FROM r;
EOF2
)
	IFS='|' read -r runs bad dupw wrongn dupres wrongref wrongcur detail <<<"$out"
	echo "# $mon: $detail"
	[[ ${runs:-x} =~ ^[0-9]+$ ]] && [ "$runs" -ge 1 ]
	ok $? "$mon: pg_cron ran the monitor ($runs runs)" "$out"
	[ "$bad" = "0" ]
	ok $? "$mon: every run succeeded" "$detail"
	[ "$dupw" = "0" ]
	ok $? "$mon: no window written twice" "$detail"
	[ "$wrongn" = "0" ] && [ "$dupres" = "0" ]
	ok $? "$mon: every run has exactly $want results, none duplicated" "$detail"
	[ "$wrongref" = "0" ] && [ "$wrongcur" = "0" ]
	ok $? "$mon: every run counted the whole reference and the window's committed rows" "$detail"
	# Every pg_cron run of the job succeeded and recorded exactly one run.
	out=$(dm_psql -At -v mon="$mon" 2>&1 <<'EOF2'
SELECT count(*), count(*) FILTER (WHERE d.status <> 'succeeded'),
       coalesce(string_agg(DISTINCT d.return_message, '; ') FILTER (WHERE d.status <> 'succeeded'), '')
FROM cron.job_run_details d
WHERE d.command = (SELECT driftmon.cron_command(m.monitor_id) FROM driftmon.monitors m
                   WHERE m.name = :'mon' AND m.dropped_at IS NULL);
EOF2
)
	IFS='|' read -r jobs jobfail msg <<<"$out"
	[ "$jobfail" = "0" ] && [ "$jobs" = "$runs" ]
	ok $? "$mon: $jobs pg_cron job runs, all succeeded, one monitor run each" "$out"
done

errs=$(tail -c +"$((logstart + 1))" "$TMP/server.log" | grep -E "ERROR|FATAL|PANIC|TRAP|deadlock|terminated by signal|server process .* was terminated" | head -20)
[ -z "$errs" ]
ok $? "no error, deadlock or crash in the server log during the soak" "$errs"
crash=$(dm_psql -At -c "SELECT 1")
[ "$crash" = "1" ]
ok $? "server still up"

echo "1..$n"
echo "$((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
