-- test/demo/report.sql: what driftmon finds in the sample inference log.
\pset footer off
\echo
\echo '== The sample inference log'
SELECT driftmon.version() AS driftmon_version,
       count(*) AS predictions,
       min(logged_at)::date AS first_day,
       max(logged_at)::date AS last_day,
       count(is_fraud) AS labelled
FROM public.fraud_predictions;

-- Monitors (issue 6): one monitor over the log, backfilled over the 30 days.
\echo
\echo '== A monitor: reference = the first 10 days, daily windows, all features, quality'
SELECT driftmon.create_monitor(
  name        => 'fraud_v3',
  source      => 'public.fraud_predictions',
  time_column => 'logged_at',
  features    => ARRAY['age', 'income', 'credit_score', 'num_purchases', 'account_age_days',
                       'avg_transaction', 'region', 'device', 'is_premium', 'merchant_category'],
  prediction  => 'predicted', label => 'is_fraud', score => 'score',
  reference   => tstzrange('2026-10-01', '2026-10-11'),
  window_size => interval '1 day',
  -- 3,000 rows a day make any real change significant: ask for strong evidence
  thresholds  => '{"ks": {"alert": 0.001}, "chi2": {"alert": 0.001}}',
  bonferroni  => true) AS monitor_id;
SELECT count(*) AS windows, count(*) FILTER (WHERE status = 'succeeded') AS succeeded
FROM driftmon.backfill_monitor('fraud_v3', '2026-10-01', '2026-10-31');

\echo
\echo '== Drift timeline: features in alert per day (from driftmon.drift_history)'
SELECT (window_end - interval '1 day')::date AS day,
       count(*) FILTER (WHERE status = 'alert') AS alerts,
       count(*) FILTER (WHERE status = 'warn') AS warnings,
       COALESCE(string_agg(DISTINCT feature, ', ') FILTER (WHERE status = 'alert'), '') AS features_in_alert
FROM driftmon.drift_history
WHERE monitor = 'fraud_v3' AND segment IS NULL
GROUP BY window_end ORDER BY window_end;

\echo
\echo '== Alerts of the latest window (driftmon.latest_results)'
SELECT feature, metric, round(value::numeric, 4) AS value, p_value, threshold_alert, status
FROM driftmon.latest_results
WHERE monitor = 'fraud_v3' AND status IN ('alert', 'warn')
ORDER BY feature, metric;

\echo
\echo '== Model quality per day (driftmon.quality_history; labels arrive two days late)'
SELECT (window_end - interval '1 day')::date AS day,
       round(max(value) FILTER (WHERE metric = 'roc_auc')::numeric, 3) AS roc_auc,
       round(max(value) FILTER (WHERE metric = 'f1')::numeric, 3) AS f1,
       round(max(value) FILTER (WHERE metric = 'accuracy')::numeric, 3) AS accuracy
FROM driftmon.quality_history
WHERE monitor = 'fraud_v3' AND segment IS NULL
GROUP BY window_end ORDER BY window_end;
