-- monitor_baseline: monitors whose reference is a stored baseline (issue 8),
-- the profiles every run stores (run_profiles) and the drift history
-- computed from them.  Same hand-checkable log as monitor_run:
--   day 1 (2026-01-01): x = hour % 6, c = a/b alternating (the baseline);
--   day 2: the same multiset (no drift: KS D = 0, p = 1, PSI = JS = W = 0);
--   day 3: x + 100 and c = 'z' (disjoint: KS D = 1, JS = 1, Wasserstein
--   100, normalised by the baseline's std sqrt(70/23)).
-- 24 rows a day: every profile is exact (n <= k = 1024), so the profile
-- comparisons equal the exact aggregates (see the README).
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = notice;
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

CREATE TABLE bl_log (ts timestamptz, x float8, c text, seg text, pred boolean, label boolean, n int);
INSERT INTO bl_log
SELECT timestamptz '2026-01-01 00:00+00' + d * interval '1 day' + h * interval '1 hour',
       h % 6 + CASE WHEN d = 2 THEN 100 ELSE 0 END,
       CASE WHEN d = 2 THEN 'z' WHEN h % 2 = 0 THEN 'a' ELSE 'b' END,
       CASE WHEN h % 2 = 0 THEN 'eu' ELSE 'us' END,
       h % 3 = 0, h % 2 = 0, h
FROM generate_series(0, 2) AS d, generate_series(0, 23) AS h;

SELECT driftmon.save_baseline('bl_day1',
  $$SELECT x, c, n FROM public.bl_log WHERE ts < '2026-01-02'$$) AS features;
SELECT driftmon.save_baseline('bl_text',
  $$SELECT x::text AS x, n FROM public.bl_log WHERE ts < '2026-01-02'$$) AS features;

-- Validation, up front.
SELECT driftmon.create_monitor(name => 'b', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x'], reference_baseline => 'nope');
SELECT driftmon.create_monitor(name => 'b', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x'], reference_baseline => 'bl_day1',
  reference => tstzrange('2026-01-01', '2026-01-02'));
SELECT driftmon.create_monitor(name => 'b', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x'], reference_baseline => 'bl_day1', reference_source => 'bl_log');
SELECT driftmon.create_monitor(name => 'b', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x', 'seg'], reference_baseline => 'bl_day1');
SELECT driftmon.create_monitor(name => 'b', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x'], reference_baseline => 'bl_text');
SELECT driftmon.create_monitor(name => 'b', source => 'bl_log', time_column => 'ts',
  features => ARRAY['n'], feature_options => '{"n": {"kind": "categorical"}}',
  reference_baseline => 'bl_day1');
SELECT count(*) AS no_monitor_created FROM driftmon.monitors;

-- A baseline monitor: drift from the stored profiles, quality from the
-- current window.
SELECT driftmon.create_monitor(name => 'b', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x', 'c'], prediction => 'pred', label => 'label',
  reference_baseline => 'bl_day1') > 0 AS created;
SELECT reference_kind, reference_baseline, reference_range, reference_source, store_profiles
FROM driftmon.monitor_list WHERE name = 'b';
-- The statement reads the source once, the current window only.
SELECT (length(s) - length(replace(s, 'public.bl_log', ''))) / length('public.bl_log') AS source_reads,
       position('$3' IN s) = 0 AS no_reference_bounds
FROM driftmon.monitor_sql('b') AS s;

-- Day 2: no drift.
SELECT driftmon.run_monitor('b', '2026-01-03') > 0 AS ran;
SELECT status, error, n_reference, n_current, reference_start, reference_end, reference_baseline,
       config ->> 'reference_kind' AS kind, config -> 'baseline' ->> 'name' AS config_baseline
FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;
SELECT segment, feature, metric, round(value::numeric, 6) AS value,
       round(p_value::numeric, 6) AS p_value, threshold_warn, threshold_alert, status
FROM driftmon.latest_results WHERE monitor = 'b' AND kind = 'drift'
ORDER BY feature, metric;

-- Day 3: every drift metric alerts.  KS D = 1, JS = 1, W = 100 / sqrt(70/23).
SELECT driftmon.run_monitor('b', '2026-01-04') > 0 AS ran;
SELECT status, n_reference, n_current, n_alerts FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;
SELECT feature, metric,
       CASE WHEN metric IN ('ks', 'js_divergence') THEN round(value::numeric, 6) END AS exact_value,
       value > 0.2 AS large, p_value < 1e-6 AS tiny_p, status
FROM driftmon.latest_results WHERE monitor = 'b' AND kind = 'drift'
ORDER BY feature, metric;
SELECT round(value::numeric, 6) AS wasserstein_normed, round((100 / sqrt(70 / 23.0))::numeric, 6) AS expected
FROM driftmon.latest_results WHERE monitor = 'b' AND metric = 'wasserstein_normed';
-- Quality still from the current window: TP 4, FP 4, FN 8, TN 8.
SELECT metric, round(value::numeric, 6) AS value
FROM driftmon.latest_results WHERE monitor = 'b' AND kind = 'quality'
  AND metric IN ('accuracy', 'precision', 'recall') ORDER BY metric;

-- The same monitor with the exact reference (day 1 rows) agrees: exact
-- profiles give the exact statistics (1e-12 allows for summation order).
SELECT driftmon.create_monitor(name => 'e', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x', 'c'], prediction => 'pred', label => 'label',
  reference => tstzrange('2026-01-01', '2026-01-02')) > 0 AS created;
SELECT window_end, status FROM driftmon.backfill_monitor('e', '2026-01-02', '2026-01-04');
SELECT eh.window_end, count(*) AS results,
       count(*) FILTER (WHERE abs(eh.value - bh.value) <= 1e-12 * greatest(1, abs(eh.value))
                          AND (eh.p_value IS NULL) = (bh.p_value IS NULL)
                          AND coalesce(abs(eh.p_value - bh.p_value) <= 1e-12, true)
                          AND eh.status = bh.status) AS agree
FROM driftmon.drift_history eh
JOIN driftmon.drift_history bh ON bh.monitor = 'b' AND bh.window_end = eh.window_end
  AND bh.feature = eh.feature AND bh.metric = eh.metric
WHERE eh.monitor = 'e' GROUP BY 1 ORDER BY 1;

-- Every run stored its current window's profiles: one per feature, of the
-- current rows only (24), equal to profile_agg over the window.
SELECT r.monitor_name, r.window_end, p.segment, p.feature, driftmon.n(p.numeric_profile) AS n_num,
       driftmon.n(p.categorical_profile) AS n_cat,
       coalesce(p.numeric_profile::text = (SELECT driftmon.profile_agg(l.x)::text FROM bl_log l
                  WHERE l.ts >= r.window_start AND l.ts < r.window_end),
                p.categorical_profile::text = (SELECT driftmon.profile_agg(l.c)::text FROM bl_log l
                  WHERE l.ts >= r.window_start AND l.ts < r.window_end)) AS same
FROM driftmon.run_profiles p JOIN driftmon.runs r USING (run_id)
ORDER BY r.monitor_name, r.window_end, p.feature;

-- Segments: each segment's profile against the whole baseline.  Day 2, eu
-- has x in {0, 2, 4} (four each), the baseline 0..5: KS D = 1/6; c is all
-- 'a' against a/b half-half: JS = H(3/4, 1/4) - 1/2 = 0.311278.
SELECT driftmon.create_monitor(name => 'bs', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x', 'c'], segment => 'seg', reference_baseline => 'bl_day1') > 0 AS created;
SELECT driftmon.run_monitor('bs', '2026-01-03') > 0 AS ran;
SELECT segment, feature, metric, round(value::numeric, 6) AS value, status
FROM driftmon.latest_results WHERE monitor = 'bs' AND metric IN ('ks', 'js_divergence')
ORDER BY segment NULLS FIRST, feature, metric;
SELECT p.segment, p.feature, driftmon.n(p.numeric_profile) AS n_num, driftmon.n(p.categorical_profile) AS n_cat
FROM driftmon.run_profiles p JOIN driftmon.runs r USING (run_id) WHERE r.monitor_name = 'bs'
ORDER BY p.segment NULLS FIRST, p.feature;

-- store_profiles => false: the run stores none (exact and baseline monitors).
SELECT driftmon.create_monitor(name => 'np', source => 'bl_log', time_column => 'ts',
  features => ARRAY['x'], store_profiles => false) > 0 AS created;
SELECT driftmon.run_monitor('np', '2026-01-03') > 0 AS ran;
SELECT driftmon.alter_monitor('b', store_profiles => false);
SELECT driftmon.run_monitor('b', '2026-01-04') > 0 AS ran;
SELECT r.monitor_name, r.status, count(p.run_id) AS profiles
FROM driftmon.runs r LEFT JOIN driftmon.run_profiles p USING (run_id)
WHERE r.run_id >= (SELECT max(run_id) - 1 FROM driftmon.runs)
GROUP BY r.run_id, r.monitor_name, r.status ORDER BY r.run_id;
SELECT driftmon.alter_monitor('b', store_profiles => true);

-- Drift history from the stored profiles: the same numbers as the runs.
SELECT window_end, segment, feature, metric, round(value::numeric, 6) AS value,
       round(p_value::numeric, 6) AS p_value, status
FROM driftmon.profile_drift_history('b') ORDER BY window_end, feature, metric;
-- The exact monitor's stored profiles against the baseline reproduce its
-- exact results too.
SELECT count(*) AS rows, count(*) FILTER (WHERE abs(h.value - d.value) <= 1e-12 * greatest(1, abs(d.value))
                                            AND h.status = d.status) AS agree
FROM driftmon.profile_drift_history('e', 'bl_day1') h
JOIN driftmon.drift_history d ON d.monitor = 'e' AND d.window_end = h.window_end
  AND d.feature = h.feature AND d.metric = h.metric AND d.segment IS NULL;
-- Only the metrics asked for.
SELECT window_end, feature, metric, round(value::numeric, 6) AS value, status
FROM driftmon.profile_drift_history('b', metrics => ARRAY['psi']) ORDER BY window_end, feature;
SELECT * FROM driftmon.profile_drift_history('b', metrics => ARRAY['psi', 'auc']);
SELECT * FROM driftmon.profile_drift_history('e');
SELECT * FROM driftmon.profile_drift_history('b', 'nope');
SELECT * FROM driftmon.profile_drift_history('nope');

-- Changing the kind of reference: a range replaces the baseline and back.
SELECT driftmon.alter_monitor('bs', reference => tstzrange('2026-01-01', '2026-01-02'));
SELECT reference_kind, reference_baseline, reference_range FROM driftmon.monitor_list WHERE name = 'bs';
SELECT driftmon.alter_monitor('bs', reference_baseline => 'bl_day1');
SELECT reference_kind, reference_baseline, reference_range FROM driftmon.monitor_list WHERE name = 'bs';
SELECT driftmon.alter_monitor('bs', reference_baseline => 'bl_day1', reference_source => 'bl_log');
SELECT driftmon.alter_monitor('bs', reset => ARRAY['nothing']);

-- run_profiles is append-only like runs and results.
UPDATE driftmon.run_profiles SET segment = 'x';
DELETE FROM driftmon.run_profiles;
TRUNCATE driftmon.run_profiles;

-- purge_history removes the runs with their results and profiles, and logs
-- them: monitor b has runs for day 2 (2 profiles), day 3 (2) and day 3
-- again without profiles.
SELECT driftmon.purge_history('b', 'infinity') AS runs_removed;
SELECT monitor_name, runs_removed, results_removed, profiles_removed FROM driftmon.purge_log;
SELECT count(*) AS b_profiles_left FROM driftmon.run_profiles p JOIN driftmon.runs r USING (run_id)
WHERE r.monitor_name = 'b';

-- A baseline saved again without a monitored feature, or deleted, makes
-- the run fail cleanly (recorded, no results).
SELECT driftmon.save_baseline('bl_day1', $$SELECT x FROM public.bl_log WHERE ts < '2026-01-02'$$,
  replace => true) AS features;
SELECT driftmon.run_monitor('bs', '2026-01-03') > 0 AS ran;
SELECT status, error, error_sqlstate, n_alerts FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;
DELETE FROM driftmon.baselines WHERE name = 'bl_day1';
SELECT driftmon.run_monitor('bs', '2026-01-03') > 0 AS ran;
SELECT status, error, error_sqlstate, n_alerts FROM driftmon.runs ORDER BY run_id DESC LIMIT 1;
SELECT count(*) AS results_of_failed_run FROM driftmon.results
WHERE run_id = (SELECT max(run_id) FROM driftmon.runs);

-- Privileges and pg_dump: readers see the profiles, admins write them.
SELECT t, has_table_privilege('driftmon_reader', t, 'SELECT') AS reader_select,
       has_table_privilege('driftmon_reader', t, 'INSERT') AS reader_insert,
       has_table_privilege('driftmon_admin', t, 'INSERT') AS admin_insert,
       has_table_privilege('driftmon_admin', t, 'DELETE') AS admin_delete,
       has_table_privilege('driftmon_admin', t, 'UPDATE') AS admin_update
FROM unnest(ARRAY['driftmon.run_profiles', 'driftmon.baselines', 'driftmon.baseline_profiles',
                  'driftmon.runs', 'driftmon.results']) AS t;
SELECT c.relname FROM pg_extension e, unnest(e.extconfig) AS t(oid)
JOIN pg_class c ON c.oid = t.oid
WHERE e.extname = 'driftmon' AND c.relname IN ('run_profiles', 'baselines', 'baseline_profiles')
ORDER BY 1;

-- Leave nothing behind for the next tests (history is append-only: the
-- extension goes, and comes back empty).
DROP TABLE bl_log;
DROP EXTENSION driftmon;
CREATE EXTENSION driftmon;
SELECT count(*) AS monitors, (SELECT count(*) FROM driftmon.baselines) AS baselines FROM driftmon.monitors;
