-- monitor: the monitoring API (create/alter/drop, validation errors, custom
-- checks, append-only audit trail, failed runs, purge, pg_cron errors,
-- quoting).  Runs that need the drift/quality aggregates are in monitor_run.
\set VERBOSITY default
\set SHOW_CONTEXT never
SET client_min_messages = notice;
SET TIME ZONE 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

CREATE SCHEMA "Mon Schema";
CREATE TABLE "Mon Schema"."Inference Log" (
  id serial PRIMARY KEY,
  "Logged At" timestamptz NOT NULL,
  "Age" float8,
  region text,
  n_items int,
  amount numeric,
  pred boolean,
  label boolean,
  score float8,
  y_true float8,
  y_hat float8,
  country text,
  day date,
  "weird ""col""; DROP TABLE x; --" text
);
INSERT INTO "Mon Schema"."Inference Log"
  ("Logged At", "Age", region, n_items, amount, pred, label, score, y_true, y_hat, country, day,
   "weird ""col""; DROP TABLE x; --")
SELECT timestamptz '2026-01-01 00:00+00' + i * interval '1 hour',
       i % 7, CASE WHEN i % 2 = 0 THEN 'north' ELSE 'south' END, i % 3, i / 10.0,
       i % 2 = 0, i % 3 = 0, (i % 10) / 10.0, i, i + 1, 'FR',
       date '2026-01-01' + i / 24, 'v' || i % 2
FROM generate_series(0, 24 * 10 - 1) AS i;
CREATE SEQUENCE "Mon Schema".not_a_table;
CREATE TABLE "Mon Schema".training (id int, "Age" text, region text);

-- A valid monitor, created with named arguments; kinds are detected.
SELECT driftmon.create_monitor(
  name => 'orders',
  source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At',
  features => ARRAY['Age', 'region', 'n_items', 'amount'],
  reference => tstzrange('2026-01-01', '2026-01-04'),
  window_size => interval '1 day',
  prediction => 'pred', label => 'label', score => 'score',
  feature_options => '{"n_items": {"kind": "categorical"}}',
  thresholds => '{"psi": {"warn": 0.15, "alert": 0.25}}',
  description => 'the orders model') > 0 AS created;

SELECT name, source, time_column, features, feature_kinds, prediction_column, label_column,
       score_column, segment_column, task, reference_kind, reference_range, reference_source,
       window_size, thresholds, bonferroni, n_checks, description, last_run_status
FROM driftmon.monitor_list;

-- Validation: every argument is checked up front and named in the error.
SELECT driftmon.create_monitor(name => '  ', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age']);
SELECT driftmon.create_monitor(name => 'orders', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema".missing',
  time_column => 'Logged At', features => ARRAY['Age']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema".not_a_table',
  time_column => 'Logged At', features => ARRAY['Age']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'logged at', features => ARRAY['Age']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'region', features => ARRAY['Age']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age'], window_size => interval '-1 hour');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age'], reference => tstzrange('2026-01-01', NULL));
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age'], reference => 'empty');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['age']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age', 'Age']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age', NULL]);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['day']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'],
  feature_options => '{"region": {"kind": "numeric"}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'],
  feature_options => '{"region": {"kind": "ordinal"}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'],
  feature_options => '{"region": {"bins": 20}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'],
  feature_options => '{"Age": {"kind": "numeric"}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], feature_options => '[1]');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'],
  feature_options => '{"region": "categorical"}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], segment => 'Country');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], prediction => 'pred');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], label => 'label');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], label => 'region', score => 'score');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], label => 'label', score => 'region');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], label => 'region', prediction => 'y_hat',
  task => 'regression');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], label => 'label', prediction => 'pred',
  task => 'ranking');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], task => 'regression');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age'], reference_source => '"Mon Schema".not_a_table');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region', 'n_items'], reference_source => '"Mon Schema".training');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age'], reference_source => '"Mon Schema".training');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], reference_source => '"Mon Schema".training',
  reference => tstzrange('2026-01-01', '2026-01-02'));
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], reference_source => '"Mon Schema".training',
  segment => 'country');
CREATE TABLE "Mon Schema".training2 ("Logged At" text, region text);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], reference_source => '"Mon Schema".training2',
  reference => tstzrange('2026-01-01', '2026-01-02'));
SELECT driftmon.create_monitor(name => 'm', source => NULL,
  time_column => 'Logged At', features => ARRAY['region']);
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => NULL, features => ARRAY['region']);
-- thresholds
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], thresholds => '[0.1]');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], thresholds => '{"psi": 0.2}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], thresholds => '{"psi": {"critical": 0.5}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], thresholds => '{"psi": {"alert": "high"}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], thresholds => '{"psi": {"direction": "up"}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], thresholds => '{"psi": {"warn": 0.3}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'], thresholds => '{"ks": {"warn": 0.01}}');
SELECT driftmon.create_monitor(name => 'm', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['region'],
  feature_options => '{"region": {"thresholds": {"js_divergence": {"alert": null, "warn": "x"}}}}');
-- nothing was created by the failed calls
SELECT count(*) FROM driftmon.monitors;

-- Effective thresholds: defaults, then the monitor's, then the feature's;
-- Bonferroni divides test p-value thresholds by the number of features.
SELECT driftmon.create_monitor(name => 'thr', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age', 'region', 'amount', 'n_items'],
  bonferroni => true,
  thresholds => '{"ks": {"alert": 0.01}, "js_divergence": {"warn": 0.05}}',
  feature_options => '{"region": {"thresholds": {"psi": {"alert": 0.5}, "chi2": {"warn": 0.2}}}}') > 0 AS created;
SELECT f, metric, t.*
FROM (VALUES ('Age'), ('region')) AS f(f),
     unnest(ARRAY['ks', 'chi2', 'psi', 'js_divergence', 'wasserstein_normed', 'accuracy', 'mae', 'my_kpi']) AS metric,
     LATERAL driftmon.effective_threshold(driftmon.monitor_row('thr'), f, metric) AS t
ORDER BY 1, 2;

-- result_status: direction, strictness at the threshold, NULL/NaN.
SELECT x, dir, warn, alert, driftmon.result_status(x, warn, alert, dir) AS status
FROM unnest(ARRAY[0.05, 0.1, 0.15, 0.2, 0.3, NULL, 'NaN']::float8[]) AS x,
     (VALUES ('above', 0.1, 0.2), ('below', 0.2, 0.1)) AS t(dir, warn, alert)
ORDER BY dir, x NULLS LAST;
SELECT driftmon.result_status(0.01, NULL, 0.05, 'below') AS p_alert,
       driftmon.result_status(0.06, NULL, 0.05, 'below') AS p_ok,
       driftmon.result_status(100, NULL, NULL, 'above') AS no_threshold;
-- "abs" compares the magnitude (mean_error's default: a bias either way)
SELECT x, driftmon.result_status(x, 0.1, 0.2, 'abs') AS status
FROM unnest(ARRAY[-0.3, -0.2, -0.15, -0.1, -0.05, 0.05, 0.1, 0.2]::float8[]) AS x;
SELECT driftmon.default_thresholds() -> 'mean_error' ->> 'direction' AS mean_error_direction;

-- Windows align on multiples of their size from 2000-01-01 00:00 UTC.
SELECT driftmon.default_window_end('1 day', '2026-03-05 13:45+00') AS daily,
       driftmon.default_window_end('1 hour', '2026-03-05 13:45+00') AS hourly,
       driftmon.default_window_end('6 hours', '2026-03-05 13:45+00') AS six_hours,
       driftmon.default_window_end('1 month', '2026-03-05 13:45+00') AS monthly;

-- alter_monitor: replace settings, reset optional ones, revalidate.
SELECT driftmon.alter_monitor('orders', features => ARRAY['Age', 'region'], segment => 'country',
                              bonferroni => true);
SELECT features, feature_options, feature_kinds, segment_column, bonferroni
FROM driftmon.monitor_list WHERE name = 'orders';
SELECT driftmon.alter_monitor('orders', reset => ARRAY['segment', 'score', 'reference']);
SELECT segment_column, score_column, reference_kind, reference_range
FROM driftmon.monitor_list WHERE name = 'orders';
SELECT driftmon.alter_monitor('orders', reset => ARRAY['colour']);
SELECT driftmon.alter_monitor('orders', features => ARRAY['nope']);
SELECT driftmon.alter_monitor('orders', new_name => 'thr');
SELECT driftmon.alter_monitor('no such monitor', bonferroni => false);
SELECT driftmon.alter_monitor('orders', prediction => 'y_hat', label => 'y_true');
SELECT task FROM driftmon.monitor_list WHERE name = 'orders';
SELECT driftmon.alter_monitor('orders', reset => ARRAY['prediction', 'label']);
SELECT prediction_column, label_column, task FROM driftmon.monitor_list WHERE name = 'orders';

-- Custom checks: one SELECT returning (metric, value); $1/$2 = the window.
SELECT driftmon.add_check('orders', 'volume',
  $$SELECT 'rows' AS metric, count(*) AS value FROM "Mon Schema"."Inference Log"
    WHERE "Logged At" >= $1 AND "Logged At" < $2;$$) > 0 AS added;
SELECT driftmon.add_check('orders', 'volume', $$SELECT 'x' AS metric, 1 AS value$$);
SELECT driftmon.add_check('orders', '', $$SELECT 'x' AS metric, 1 AS value$$);
SELECT driftmon.add_check('orders', 'bad', $$SELECT 'x' AS name, 1 AS value$$);
SELECT driftmon.add_check('orders', 'bad', $$SELECT 'x' AS metric, now() AS value$$);
SELECT driftmon.add_check('orders', 'bad', $$SELECT 'x' AS metric, 1 AS value; DROP TABLE "Mon Schema".training$$);
SELECT driftmon.add_check('orders', 'bad', '  ');
SELECT driftmon.drop_check('orders', 'nope');
SELECT name, n_checks FROM driftmon.monitor_list ORDER BY name;

-- A failed run: a monitored column was dropped.  The run is recorded as
-- failed with its error, a WARNING is raised, and no result is written.
CREATE TABLE "Mon Schema".fragile AS SELECT * FROM "Mon Schema"."Inference Log";
SELECT driftmon.create_monitor(name => 'fragile', source => '"Mon Schema".fragile',
  time_column => 'Logged At', features => ARRAY['Age', 'region'],
  reference => tstzrange('2026-01-01', '2026-01-04')) > 0 AS created;
ALTER TABLE "Mon Schema".fragile DROP COLUMN region;
SELECT driftmon.run_monitor('fragile', '2026-01-08') > 0 AS recorded;
SELECT monitor_name, window_start, window_end, reference_start, reference_end,
       n_reference, n_current, status, error, error_sqlstate, n_alerts,
       finished_at >= started_at AS timed, extension_version = driftmon.version() AS version_ok,
       run_by = current_user AS by_me, config ->> 'name' AS config_name,
       config -> 'features' AS config_features
FROM driftmon.runs;
SELECT count(*) AS results_of_failed_run FROM driftmon.results;
SELECT monitor, run_id IS NULL AS never_succeeded, feature, last_run_status, last_run_error, running
FROM driftmon.monitor_status WHERE monitor = 'fragile';
-- a source that no longer exists fails the same way
DROP TABLE "Mon Schema".fragile;
SELECT driftmon.run_monitor('fragile', '2026-01-09') > 0 AS recorded;
SELECT status, error, error_sqlstate FROM driftmon.runs ORDER BY run_id;
SELECT driftmon.run_monitor('no such monitor');

-- The audit trail is append-only.
UPDATE driftmon.runs SET status = 'succeeded';
DELETE FROM driftmon.runs;
TRUNCATE driftmon.runs CASCADE;
TRUNCATE driftmon.results;
INSERT INTO driftmon.results (run_id, feature, kind, metric, direction, status)
SELECT run_id, 'x', 'drift', 'psi', 'above', 'ok' FROM driftmon.runs ORDER BY run_id LIMIT 1;
UPDATE driftmon.results SET value = 1;
DELETE FROM driftmon.results;
-- the purge flag does not open UPDATE
BEGIN;
SELECT set_config('driftmon_audit.purge', 'on', true) IS NOT NULL AS flag;
UPDATE driftmon.runs SET status = 'succeeded';
ROLLBACK;
SELECT count(*) AS runs, (SELECT count(*) FROM driftmon.results) AS results FROM driftmon.runs;

-- Retention: purge_history is the only way out, and it logs what it removed.
SELECT driftmon.purge_history('fragile', NULL);
SELECT driftmon.purge_history('nobody', now());
SELECT driftmon.purge_history('fragile', '2026-01-08 12:00+00') AS runs_removed;
SELECT monitor_name, older_than, runs_removed, results_removed,
       purged_by = current_user AS by_me
FROM driftmon.purge_log ORDER BY purge_id;
SELECT window_end, status FROM driftmon.runs ORDER BY run_id;
SELECT count(*) AS results_left FROM driftmon.results;
UPDATE driftmon.purge_log SET runs_removed = 0;
DELETE FROM driftmon.purge_log;
TRUNCATE driftmon.purge_log;

-- drop_monitor keeps the history unless asked; the name can be reused.
SELECT driftmon.drop_monitor('fragile');
SELECT driftmon.drop_monitor('fragile');
SELECT driftmon.drop_monitor('fragile', if_exists => true);
SELECT name, dropped_at IS NOT NULL AS dropped FROM driftmon.monitors ORDER BY monitor_id;
SELECT count(*) AS runs_kept FROM driftmon.runs;
SELECT driftmon.create_monitor(name => 'fragile', source => '"Mon Schema"."Inference Log"',
  time_column => 'Logged At', features => ARRAY['Age']) > 0 AS name_reused;
SELECT driftmon.drop_monitor('thr', keep_history => false);
SELECT name FROM driftmon.monitor_list ORDER BY name;
SELECT monitor_name, runs_removed, results_removed FROM driftmon.purge_log ORDER BY purge_id;

-- Scheduling needs pg_cron in this database (it lives in driftmon_cron).
SELECT driftmon.schedule_monitor('orders', '0 * * * *');
SELECT driftmon.unschedule_monitor('orders');
-- a role that may not read cron.database_name gets the same error
SET ROLE driftmon_admin;
SELECT driftmon.schedule_monitor('orders', '0 * * * *');
RESET ROLE;
SELECT driftmon.schedule_monitor('no such monitor', '0 * * * *');
SELECT driftmon.cron_job('orders') IS NULL AS no_job;

-- Backfill validates its range.
SELECT * FROM driftmon.backfill_monitor('orders', '2026-01-05', '2026-01-05 12:00');
SELECT * FROM driftmon.backfill_monitor('orders', NULL, '2026-01-05');
SELECT * FROM driftmon.backfill_monitor('orders', '2000-01-01', '2400-01-01');
SELECT count(*) AS no_run_was_made FROM driftmon.runs r JOIN driftmon.monitor_list m USING (monitor_id)
WHERE m.name = 'orders';

-- Names with quotes, spaces and SQL in them are data, never code.
CREATE TABLE "Mon Schema"."x'); DROP TABLE driftmon.runs; --" (
  "t""s" timestamptz, "a b" float8, "C" text, "x'); DROP TABLE driftmon.runs; --" int);
SELECT driftmon.create_monitor(
  name => $$evil'); DROP TABLE driftmon.runs; --$$,
  source => pg_catalog.format('%I.%I', 'Mon Schema', $$x'); DROP TABLE driftmon.runs; --$$)::regclass,
  time_column => 't"s',
  features => ARRAY['a b', 'C', $$x'); DROP TABLE driftmon.runs; --$$],
  segment => 'C') > 0 AS created;
SELECT driftmon.monitor_sql($$evil'); DROP TABLE driftmon.runs; --$$);
SELECT driftmon.add_check($$evil'); DROP TABLE driftmon.runs; --$$, $$k'); DROP TABLE x; --$$,
  $$SELECT 'n' AS metric, 1 AS value$$) > 0 AS check_added;
SELECT driftmon.check_query_sql($$k'); DROP TABLE x; --$$, $$SELECT 'n' AS metric, 1 AS value$$);
SELECT to_regclass('driftmon.runs') IS NOT NULL AS runs_still_there;

-- Roles: readers see the views and results, not the configuration tables;
-- admins manage monitors.  Nothing is SECURITY DEFINER (see base).
SELECT r, obj, priv, has_table_privilege(r, obj, priv) AS granted
FROM unnest(ARRAY['driftmon_reader', 'driftmon_admin']) AS r,
     unnest(ARRAY['driftmon.results', 'driftmon.drift_history', 'driftmon.monitor_status',
                  'driftmon.runs', 'driftmon.monitors']) AS obj,
     unnest(ARRAY['SELECT', 'INSERT']) AS priv
ORDER BY 1, 2, 3;

-- Configuration and history are dumped by pg_dump.
SELECT c.relname FROM pg_extension e, unnest(e.extconfig) AS t(oid)
JOIN pg_class c ON c.oid = t.oid
WHERE e.extname = 'driftmon' ORDER BY 1;

DROP SCHEMA "Mon Schema" CASCADE;
-- DROP EXTENSION removes configuration and history with it; start afresh.
DROP EXTENSION driftmon;
CREATE EXTENSION driftmon;
SELECT count(*) FROM driftmon.monitors;
