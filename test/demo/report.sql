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

-- The reference window is the first two weeks, the current one the last week.
CREATE TEMP VIEW demo_windows AS
SELECT p.*, p.logged_at >= '2026-10-24' AS is_current
FROM public.fraud_predictions p
WHERE p.logged_at < '2026-10-15' OR p.logged_at >= '2026-10-24';

\echo
\echo '== Numeric drift: last week (Oct 24-30) against the first two weeks (Oct 1-14)'
\echo '   one scan, GROUP BY feature over a long-format view of the seven numeric columns'
SELECT feature,
       (d).n_reference AS n_ref, (d).n_current AS n_cur,
       round((d).mean_reference::numeric, 1) AS mean_ref,
       round((d).mean_current::numeric, 1) AS mean_cur,
       round((d).ks_statistic::numeric, 4) AS ks_d,
       to_char((d).ks_p_value, '9.9EEEE') AS ks_p,
       round((d).psi::numeric, 4) AS psi,
       round((d).js_divergence::numeric, 4) AS js,
       round((d).wasserstein_normed::numeric, 4) AS wass_norm,
       CASE WHEN (d).psi >= 0.2 THEN 'ALERT' WHEN (d).psi >= 0.1 THEN 'warn' ELSE 'ok' END AS psi_status
FROM (
    SELECT f.feature, driftmon.numeric_drift(f.value, w.is_current) AS d
    FROM demo_windows w
    CROSS JOIN LATERAL (VALUES
        ('age', w.age::float8), ('income', w.income),
        ('credit_score', w.credit_score::float8), ('num_purchases', w.num_purchases::float8),
        ('account_age_days', w.account_age_days::float8),
        ('avg_transaction', w.avg_transaction), ('score', w.score)) AS f(feature, value)
    GROUP BY f.feature
) s
ORDER BY (d).psi DESC;

\echo
\echo '== Kolmogorov-Smirnov on income, one-sided: is the current income stochastically larger?'
SELECT (driftmon.ks_test(income, is_current, 'greater')).*
FROM demo_windows;
SELECT (driftmon.ks_test(income, is_current, 'less')).*
FROM demo_windows;

\echo
\echo '== Categorical drift: same windows, one scan over four categorical columns'
SELECT feature,
       (d).n_categories AS cats,
       to_char((d).chi2_p_value, '9.9EEEE') AS chi2_p,
       round((d).psi::numeric, 4) AS psi,
       round((d).js_divergence::numeric, 4) AS js,
       round((d).total_variation::numeric, 4) AS tv,
       (d).n_unseen AS unseen,
       round((d).unseen_share::numeric, 3) AS unseen_share,
       (d).top_mover,
       round((d).top_mover_delta::numeric, 3) AS top_mover_delta
FROM (
    SELECT f.feature, driftmon.categorical_drift(f.category, w.is_current) AS d
    FROM demo_windows w
    CROSS JOIN LATERAL (VALUES
        ('region', w.region), ('device', w.device),
        ('is_premium', w.is_premium::text),
        ('merchant_category', w.merchant_category)) AS f(feature, category)
    GROUP BY f.feature
) s
ORDER BY (d).psi DESC;

\echo
\echo '== Region shares, ready for a bar chart (category_counts -> category_table)'
SELECT category, n_reference, n_current,
       round(p_reference::numeric, 3) AS p_ref, round(p_current::numeric, 3) AS p_cur,
       round(psi_contribution::numeric, 4) AS psi_contribution
FROM driftmon.category_table(
       (SELECT driftmon.category_counts(region, is_current) FROM demo_windows));

\echo
\echo '== Model quality per day once labels arrived (the last two days have no label yet)'
SELECT logged_at::date AS day,
       count(is_fraud) AS labelled,
       round(driftmon.roc_auc(score, is_fraud)::numeric, 3) AS roc_auc,
       round(driftmon.average_precision(score, is_fraud)::numeric, 3) AS avg_precision,
       round(driftmon.log_loss(score, is_fraud)::numeric, 3) AS log_loss,
       round((driftmon.classification_metrics(is_fraud, predicted)).f1::numeric, 3) AS f1,
       round((driftmon.classification_metrics(is_fraud, predicted)).recall::numeric, 3) AS recall
FROM public.fraud_predictions
WHERE logged_at >= '2026-10-15'
GROUP BY 1
ORDER BY 1;

\echo
\echo '== Two-step: daily confusion summaries, rolled up into weeks'
CREATE TEMP TABLE daily_confusion AS
SELECT logged_at::date AS day, driftmon.confusion_agg(is_fraud, predicted) AS c
FROM public.fraud_predictions
WHERE is_fraud IS NOT NULL
GROUP BY 1;
SELECT CASE WHEN day < '2026-10-21' THEN 'before Oct 21' ELSE 'from Oct 21' END AS period,
       round(driftmon.accuracy(driftmon.rollup(c))::numeric, 4) AS accuracy,
       round(driftmon.f1(driftmon.rollup(c), 'true')::numeric, 4) AS f1_fraud
FROM daily_confusion
GROUP BY 1
ORDER BY 1;
SELECT label, round("precision"::numeric, 4) AS "precision", round(recall::numeric, 4) AS recall,
       round(f1::numeric, 4) AS f1, support
FROM driftmon.classification_report(
       (SELECT driftmon.rollup(c) FROM daily_confusion WHERE day >= '2026-10-21'));

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
