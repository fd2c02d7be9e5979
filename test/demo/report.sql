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
