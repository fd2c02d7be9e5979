#!/usr/bin/env bash
# test_demo.sh: the main command's data and report (make demo) on the live
# test cluster, so the README's main command cannot rot.
#
# The sample log (test/demo/data.sql) injects drift into avg_transaction,
# income and region from 2026-10-21 on (day 20), and nowhere else, by
# construction of the generator.  The report (test/demo/report.sql) must run
# without an error, and the monitor it backfills must show exactly that:
# no alert in any window before 2026-10-21, and from that day on alerts for
# those three features and no other.  Prints TAP.
set -u
. "$(dirname "$0")/../lib/common.sh"

DM_TAP_PREFIX=demo
DB=dm_demo_test
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" -c "$1"; }

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1
q "CREATE EXTENSION driftmon" >/dev/null
dm_ok $? "extension created"

out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -f "$DM_ROOT/test/demo/data.sql" 2>&1)
dm_ok $? "sample log generated (test/demo/data.sql)" "$out"
rows=$(q "SELECT count(*) FROM public.fraud_predictions")
[ "$rows" = "90000" ]
dm_ok $? "the log has 90,000 rows (got $rows)"

out=$(psql -X -q -P pager=off -v ON_ERROR_STOP=1 -d "$DB" -f "$DM_ROOT/test/demo/report.sql" 2>&1)
dm_ok $? "report runs without an error (test/demo/report.sql)" "$(echo "$out" | tail -5)"

runs=$(q "SELECT count(*) FILTER (WHERE r.status = 'succeeded') || '/' || count(*)
          FROM driftmon.runs r JOIN driftmon.monitors m USING (monitor_id) WHERE m.name = 'fraud_v3'")
[ "$runs" = "30/30" ]
dm_ok $? "backfill: 30 daily windows, all succeeded (got $runs)"

before=$(q "SELECT count(*) FROM driftmon.drift_history
            WHERE monitor = 'fraud_v3' AND status = 'alert' AND window_end <= '2026-10-21'")
[ "$before" = "0" ]
dm_ok $? "no alert in any window before 2026-10-21 (got $before)" \
	"$(q "SELECT window_end, feature, metric, value FROM driftmon.drift_history
	      WHERE monitor = 'fraud_v3' AND status = 'alert' AND window_end <= '2026-10-21'")"

after=$(q "SELECT string_agg(DISTINCT feature, ',' ORDER BY feature) FROM driftmon.drift_history
           WHERE monitor = 'fraud_v3' AND status = 'alert' AND window_end > '2026-10-21'")
[ "$after" = "avg_transaction,income,region" ]
dm_ok $? "from 2026-10-21 the features in alert are exactly avg_transaction, income, region (got $after)"

daily=$(q "SELECT count(DISTINCT window_end) FROM driftmon.drift_history
           WHERE monitor = 'fraud_v3' AND status = 'alert' AND window_end > '2026-10-21'
             AND feature IN ('avg_transaction', 'income', 'region')")
[ "$daily" = "10" ]
dm_ok $? "every window from 2026-10-21 to 2026-10-30 has an alert (got $daily of 10)"

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null
dm_tap_done
