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
