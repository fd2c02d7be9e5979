-- monitor_run: monitors computing real metrics (needs the numeric,
-- categorical and quality aggregates).  Small hourly log, hand-checkable:
--   day 1 (2026-01-01) reference, x = hour % 6, c = a/b alternating;
--   day 2 the same multiset (no drift: KS D = 0, p = 1, PSI = JS = W = 0);
--   day 3 x + 100 and c = 'z' (disjoint supports: KS D = 1, JS = 1,
--   Wasserstein = 100, normalised by the reference std sqrt(70/23)).
-- Quality on day 3: label = even hour, pred = hour % 3 = 0, score = hour/24.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = notice;
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

CREATE TABLE run_log (ts timestamptz, x float8, c text, seg text,
                      pred boolean, label boolean, score float8, y float8, yhat float8);
INSERT INTO run_log
SELECT timestamptz '2026-01-01 00:00+00' + d * interval '1 day' + h * interval '1 hour',
       h % 6 + CASE WHEN d = 2 THEN 100 ELSE 0 END,
       CASE WHEN d = 2 THEN 'z' WHEN h % 2 = 0 THEN 'a' ELSE 'b' END,
       CASE WHEN h % 2 = 0 THEN 'eu' ELSE 'us' END,
       h % 3 = 0, h % 2 = 0, h / 24.0,
       h, h + CASE WHEN h % 2 = 0 THEN 1 ELSE -1 END
FROM generate_series(0, 2) AS d, generate_series(0, 23) AS h;

SELECT driftmon.create_monitor(name => 'run', source => 'run_log', time_column => 'ts',
  features => ARRAY['x', 'c'], reference => tstzrange('2026-01-01', '2026-01-02'),
  prediction => 'pred', label => 'label', score => 'score', bonferroni => true) > 0 AS created;
SELECT driftmon.add_check('run', 'volume',
  $$SELECT 'rows' AS metric, count(*) AS value FROM public.run_log WHERE ts >= $1 AND ts < $2$$) > 0 AS added;
SELECT driftmon.alter_monitor('run', thresholds => '{"rows": {"alert": 30, "direction": "below"}}');

-- No drift (day 2).
SELECT driftmon.run_monitor('run', '2026-01-03') > 0 AS ran;
SELECT status, error, n_reference, n_current, n_alerts, window_start, window_end,
       reference_start, reference_end
FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;
SELECT segment, feature, kind, metric, round(value::numeric, 6) AS value,
       round(p_value::numeric, 6) AS p_value, threshold_warn, threshold_alert, status
FROM driftmon.latest_results WHERE monitor = 'run' AND kind = 'drift'
ORDER BY feature, metric;

-- Drift (day 3): every drift metric alerts; Bonferroni halves the test
-- thresholds (two features).
SELECT driftmon.run_monitor('run', '2026-01-04') > 0 AS ran;
SELECT status, n_reference, n_current, n_alerts, n_warnings
FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;
SELECT segment, feature, kind, metric,
       CASE WHEN metric IN ('ks', 'js_divergence') THEN round(value::numeric, 6) END AS exact_value,
       value > 0.2 AS large, p_value < 1e-6 AS tiny_p, threshold_alert, status
FROM driftmon.latest_results WHERE monitor = 'run' AND kind = 'drift'
ORDER BY feature, metric;
-- Wasserstein = 100 exactly; normalised by the reference sample std sqrt(70/23).
SELECT round(value::numeric, 6) AS wasserstein_normed, round((100 / sqrt(70 / 23.0))::numeric, 6) AS expected
FROM driftmon.latest_results WHERE monitor = 'run' AND metric = 'wasserstein_normed';
-- The monitor stores exactly what the aggregates return on the same rows.
SELECT l.metric,
       l.value = CASE l.metric WHEN 'psi' THEN (a).psi WHEN 'ks' THEN (a).ks_statistic
                               WHEN 'wasserstein_normed' THEN (a).wasserstein_normed END
         AND l.p_value IS NOT DISTINCT FROM CASE WHEN l.metric = 'ks' THEN (a).ks_p_value END AS same
FROM driftmon.latest_results l,
     (SELECT driftmon.numeric_drift(x, ts >= '2026-01-03') AS a FROM run_log
      WHERE ts < '2026-01-02' OR ts >= '2026-01-03') s
WHERE l.monitor = 'run' AND l.feature = 'x' ORDER BY 1;
SELECT l.metric,
       l.value = CASE l.metric WHEN 'psi' THEN (a).psi WHEN 'chi2' THEN (a).chi2_statistic
                               WHEN 'js_divergence' THEN (a).js_divergence END
         AND l.p_value IS NOT DISTINCT FROM CASE WHEN l.metric = 'chi2' THEN (a).chi2_p_value END AS same
FROM driftmon.latest_results l,
     (SELECT driftmon.categorical_drift(c, ts >= '2026-01-03') AS a FROM run_log
      WHERE ts < '2026-01-02' OR ts >= '2026-01-03') s
WHERE l.monitor = 'run' AND l.feature = 'c' ORDER BY 1;

-- Quality on day 3 (hand counts: TP 4, FP 4, FN 8, TN 8; AUC 66/144).
SELECT feature, metric, round(value::numeric, 6) AS value, status
FROM driftmon.latest_results WHERE monitor = 'run' AND kind = 'quality'
  AND metric IN ('accuracy', 'balanced_accuracy', 'precision', 'recall', 'f1', 'f1_macro',
                 'matthews_corrcoef', 'cohen_kappa', 'roc_auc')
ORDER BY metric;
-- Custom check: 24 rows < 30 alerts.
SELECT feature, kind, metric, value, threshold_alert, status
FROM driftmon.latest_results WHERE monitor = 'run' AND kind = 'custom';

-- Views for dashboards.
SELECT monitor, segment, feature, status, n_alerts, last_run_status, running
FROM driftmon.monitor_status WHERE monitor = 'run' ORDER BY feature;
SELECT window_end, monitor, segment, feature, metric, status
FROM driftmon.drift_history WHERE monitor = 'run' ORDER BY window_end, feature, metric;
SELECT window_end, feature, metric, status
FROM driftmon.quality_history WHERE monitor = 'run' AND metric IN ('accuracy', 'rows')
ORDER BY window_end, metric;

-- Rerunning a window keeps both runs; history shows the latest one.
SELECT driftmon.run_monitor('run', '2026-01-04') > 0 AS ran;
SELECT count(*) AS runs_of_day3 FROM driftmon.runs
WHERE monitor_id = (SELECT monitor_id FROM driftmon.monitor_list WHERE name = 'run')
  AND window_end = '2026-01-04';
SELECT count(*) AS history_rows_of_day3, count(DISTINCT run_id) AS from_runs
FROM driftmon.drift_history WHERE monitor = 'run' AND window_end = '2026-01-04';

-- An empty current window is recorded as skipped.
SELECT driftmon.run_monitor('run', '2026-01-10') > 0 AS ran;
SELECT status, error, n_reference, n_current FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;

-- Segments: results per segment value plus the overall (segment NULL).
SELECT driftmon.create_monitor(name => 'seg', source => 'run_log', time_column => 'ts',
  features => ARRAY['x', 'c'], segment => 'seg',
  reference => tstzrange('2026-01-01', '2026-01-02')) > 0 AS created;
SELECT window_start, window_end, status FROM driftmon.backfill_monitor('seg', '2026-01-02', '2026-01-04') ORDER BY window_end;
SELECT window_end, segment, feature, metric, status
FROM driftmon.drift_history WHERE monitor = 'seg' AND metric IN ('ks', 'chi2')
ORDER BY window_end, segment NULLS FIRST, feature;
SELECT window_end, n_reference, n_current FROM driftmon.runs r
JOIN driftmon.monitor_list m ON m.monitor_id = r.monitor_id WHERE m.name = 'seg'
ORDER BY window_end;

-- Reference = the previous window.
SELECT driftmon.create_monitor(name => 'prev', source => 'run_log', time_column => 'ts',
  features => ARRAY['x']) > 0 AS created;
SELECT window_start, window_end, status FROM driftmon.backfill_monitor('prev', '2026-01-01', '2026-01-04') ORDER BY window_end;
SELECT r.window_end, r.reference_start, r.reference_end, r.n_reference, r.n_current, r.status, x.status AS ks
FROM driftmon.runs r JOIN driftmon.monitor_list m ON m.monitor_id = r.monitor_id
LEFT JOIN driftmon.results x ON x.run_id = r.run_id AND x.metric = 'ks'
WHERE m.name = 'prev' ORDER BY r.window_end;

-- Reference = another table (a training set), regression quality.
CREATE TABLE training AS SELECT x, c FROM run_log WHERE ts < '2026-01-02';
SELECT driftmon.create_monitor(name => 'train', source => 'run_log', time_column => 'ts',
  features => ARRAY['x', 'c'], reference_source => 'training',
  prediction => 'yhat', label => 'y') > 0 AS created;
SELECT driftmon.run_monitor('train', '2026-01-04') > 0 AS ran;
SELECT status, n_reference, n_current, reference_start FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;
SELECT feature, kind, metric, round(value::numeric, 6) AS value, status
FROM driftmon.latest_results WHERE monitor = 'train' AND metric IN ('ks', 'chi2', 'mae', 'rmse', 'max_error', 'r2')
ORDER BY kind, feature, metric;

-- purge_history removes whole runs with their results and logs it.
SELECT driftmon.purge_history('seg', '2026-01-04') AS runs_removed;
SELECT monitor_name, runs_removed, results_removed FROM driftmon.purge_log;
SELECT count(*) AS seg_runs_left FROM driftmon.runs WHERE monitor_name = 'seg';

-- drop_monitor(keep_history => false) purges through the log, then removes
-- the monitor itself.
SELECT driftmon.drop_monitor('prev', keep_history => false);
SELECT monitor_name, runs_removed, results_removed, older_than FROM driftmon.purge_log ORDER BY purge_id;
SELECT count(*) AS monitor_rows, (SELECT count(*) FROM driftmon.runs WHERE monitor_name = 'prev') AS runs
FROM driftmon.monitors WHERE name = 'prev';

-- Review: the errors added by the adversarial review.
-- A window needs finite bounds (run_window refuses before any run is made).
SELECT driftmon.run_monitor('run', 'infinity');
-- A check named like a monitored column is refused, and so is a column
-- named like an existing check.
SELECT driftmon.add_check('run', 'x', $$SELECT 'n' AS metric, 1 AS value$$);
SELECT driftmon.add_check('run', 'pred', $$SELECT 'n' AS metric, 1 AS value$$);
SELECT driftmon.add_check('run', 'y', $$SELECT 'n' AS metric, 1 AS value$$) > 0 AS added;
SELECT driftmon.alter_monitor('run', features => ARRAY['x', 'c', 'y']);
SELECT driftmon.drop_check('run', 'y');
-- A check returning one metric twice fails the run: recorded, no results.
SELECT driftmon.add_check('run', 'twice', $$SELECT 'm' AS metric, 1 AS value UNION ALL SELECT 'm', 2$$) > 0 AS added;
SELECT driftmon.run_monitor('run', '2026-01-03') > 0 AS ran;
SELECT status, error, error_sqlstate,
       (SELECT count(*) FROM driftmon.results x WHERE x.run_id = r.run_id) AS results
FROM driftmon.runs r WHERE r.run_id = (SELECT max(run_id) FROM driftmon.runs);
SELECT driftmon.drop_check('run', 'twice');
-- The purge flag set by hand opens nothing: DELETE needs a purge logged in
-- this transaction that covers the row, and a logged purge must be whole.
BEGIN;
SET LOCAL driftmon_audit.purge = 'on';
DELETE FROM driftmon.results;
ROLLBACK;
SELECT count(*) AS psi_before, count(DISTINCT r.run_id) AS runs_before
FROM driftmon.results x JOIN driftmon.runs r USING (run_id)
WHERE r.monitor_name = 'run' AND x.metric = 'psi' \gset
SELECT count(*) AS all_runs_of_run FROM driftmon.runs WHERE monitor_name = 'run';
BEGIN;
INSERT INTO driftmon.purge_log (monitor_id, monitor_name, older_than, runs_removed, results_removed,
                                first_run_id, last_run_id)
SELECT monitor_id, name, 'infinity', 0, 0, 0, 1000000 FROM driftmon.monitors WHERE name = 'run';
SELECT set_config('driftmon_audit.purge', currval('driftmon.purge_log_purge_id_seq')::text, true) IS NOT NULL AS flag;
DELETE FROM driftmon.results x USING driftmon.runs r
WHERE x.run_id = r.run_id AND r.monitor_name = 'run' AND x.metric = 'psi';
COMMIT;
SELECT count(*) = :psi_before AS psi_results_kept, :runs_before > 0 AS there_were_some
FROM driftmon.results x JOIN driftmon.runs r USING (run_id)
WHERE r.monitor_name = 'run' AND x.metric = 'psi';
-- Window steps: days are 24 hours unless the size has months or years.
SELECT s AS size, driftmon.window_step(s) AS step
FROM unnest(ARRAY[interval '1 day', interval '2 days 3 hours', interval '90 minutes',
                  interval '1 mon 2 days', interval '1 year']) AS s;
-- A DELETE of no rows is not an error, whatever the flag holds.
BEGIN;
SET LOCAL driftmon_audit.purge = '';
DELETE FROM driftmon.results WHERE false;
SET LOCAL driftmon_audit.purge = 'on';
DELETE FROM driftmon.runs WHERE false;
DELETE FROM driftmon.run_profiles WHERE false;
ROLLBACK;
