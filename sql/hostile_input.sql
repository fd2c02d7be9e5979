--
-- hostile_input: every SQL function of driftmon against bad input.
-- NULLs, empty input, one row, all-equal values, NaN, +-Infinity, subnormals,
-- magnitudes near DBL_MAX, NULL array elements, very long categories, invalid
-- enum-like arguments and garbage summaries.  Every case gives a documented
-- result or an error with an SQLSTATE; none crashes or returns NaN/infinity.
--
\set VERBOSITY default
\pset null '<NULL>'
SET extra_float_digits = 0;
-- err(query): 'ok' or the SQLSTATE and message of the error it raises.
CREATE FUNCTION pg_temp.err(q text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE q;
  RETURN 'ok';
EXCEPTION WHEN others THEN
  RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- finite(x): true for a finite float8 or NULL, false for NaN / +-Infinity.
CREATE FUNCTION pg_temp.finite(x float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT x IS NULL OR (x <> 'NaN' AND x <> 'Infinity' AND x <> '-Infinity') $$;

-- ===================================================================
-- Aggregate support functions are not callable from SQL (internal args)
-- ===================================================================
SELECT pg_temp.err($$SELECT driftmon.numeric_state_deserialize('\x00'::bytea, NULL)$$);
SELECT pg_temp.err($$SELECT driftmon.category_counts_recv(NULL::internal)$$);

-- ===================================================================
-- Numeric drift
-- ===================================================================
CREATE TEMP TABLE num(v float8, c boolean);
-- NULL arrays: NULL result (the array forms are not STRICT: counts say why)
SELECT * FROM driftmon.ks_test(NULL::float8[], NULL::float8[]);
SELECT driftmon.psi_agg(NULL::float8[], '{1}'), driftmon.js_divergence('{1}', NULL::float8[]),
       driftmon.wasserstein_agg(NULL::float8[], '{1}');
SELECT n_reference, n_current, ks_statistic FROM driftmon.numeric_drift(NULL::float8[], NULL::float8[]);
-- empty arrays and zero rows: counts 0, statistics NULL
SELECT * FROM driftmon.ks_test('{}'::float8[], '{}'::float8[]);
SELECT driftmon.psi_agg('{}'::float8[], '{1}'), driftmon.js_divergence('{1}', '{}'::float8[]),
       driftmon.wasserstein_agg('{}'::float8[], '{}'::float8[]);
SELECT * FROM driftmon.numeric_drift('{}'::float8[], '{}'::float8[]);
SELECT driftmon.ks_test(v, c), driftmon.psi_agg(v, c), driftmon.js_divergence(v, c),
       driftmon.wasserstein_agg(v, c), driftmon.numeric_drift(v, c) FROM num;
-- only NULLs: NULL flag skipped, NULL value counted per side
INSERT INTO num VALUES (NULL, NULL), (1, NULL), (NULL, false), (NULL, true), (NULL, true);
SELECT driftmon.ks_test(v, c), driftmon.psi_agg(v, c), driftmon.js_divergence(v, c),
       driftmon.wasserstein_agg(v, c) FROM num;
SELECT n_reference, n_current, nulls_reference, nulls_current, mean_reference, ks_statistic
FROM (SELECT (driftmon.numeric_drift(v, c)).* FROM num) s;
-- arrays with NULL elements: counted as nulls, skipped
SELECT * FROM driftmon.ks_test('{NULL,1,NULL}'::float8[], '{2,NULL}'::float8[]);
SELECT n_reference, n_current, nulls_reference, nulls_current, mean_reference, mean_current
FROM driftmon.numeric_drift('{NULL,1,NULL}'::float8[], '{2,NULL}'::float8[]);
-- NaN and +-Infinity: excluded and counted as non-finite, never in a statistic
SELECT * FROM driftmon.ks_test('{NaN,Infinity,-Infinity}'::float8[], '{1,2}'::float8[]);
SELECT * FROM driftmon.ks_test('{NaN,0,Infinity}'::float8[], '{-Infinity,1}'::float8[]);
SELECT n_reference, n_current, nonfinite_reference, nonfinite_current, mean_reference, std_reference,
       max_reference, min_current, wasserstein
FROM driftmon.numeric_drift('{NaN,0,Infinity,2}'::float8[], '{-Infinity,1,NaN}'::float8[]);
TRUNCATE num;
INSERT INTO num VALUES ('NaN', false), ('Infinity', false), (0, false), ('-Infinity', true), (1, true);
SELECT driftmon.ks_test(v, c), driftmon.wasserstein_agg(v, c), driftmon.psi_agg(v, c) FROM num;
SELECT nonfinite_reference, nonfinite_current FROM (SELECT (driftmon.numeric_drift(v, c)).* FROM num) s;
-- one row per side
SELECT * FROM driftmon.ks_test('{1}'::float8[], '{2}'::float8[]);
SELECT * FROM driftmon.numeric_drift('{5}'::float8[], '{7}'::float8[]);
-- all-equal values: D = 0, p = 1, divergences 0, std 0, wasserstein_normed NULL (std 0)
SELECT * FROM driftmon.ks_test('{3,3,3}'::float8[], '{3,3}'::float8[]);
SELECT driftmon.psi_agg('{3,3,3}'::float8[], '{3,3}'),
       driftmon.psi_agg('{3,3,3}'::float8[], '{3,3}', 10, 'uniform'),
       driftmon.psi_agg('{3,3,3}'::float8[], '{3,3}', 10, 'sturges'),
       driftmon.js_divergence('{3,3,3}'::float8[], '{3,3}'),
       driftmon.wasserstein_agg('{3,3,3}'::float8[], '{3,3}');
SELECT std_reference, std_current, p05_reference, p95_current, wasserstein, wasserstein_normed
FROM driftmon.numeric_drift('{3,3,3}'::float8[], '{3,3}'::float8[]);
-- all-equal, different values: D = 1; every uniform bin but the end ones empty
SELECT * FROM driftmon.ks_test('{3,3,3}'::float8[], '{4,4}'::float8[]);
SELECT round(driftmon.psi_agg('{3,3,3}'::float8[], '{4,4}')::numeric, 10) AS psi_quantile,
       round(driftmon.psi_agg('{3,3,3}'::float8[], '{4,4}', 10, 'uniform')::numeric, 10) AS psi_uniform,
       driftmon.js_divergence('{3,3,3}'::float8[], '{4,4}'),
       driftmon.wasserstein_agg('{3,3,3}'::float8[], '{4,4}');
-- subnormals: ordinary values
SELECT * FROM driftmon.ks_test('{4.9e-324,0,-4.9e-324}'::float8[], '{4.9e-324,4.9e-324}'::float8[]);
SELECT driftmon.wasserstein_agg('{0}'::float8[], '{4.9e-324}'::float8[]),
       driftmon.js_divergence('{4.9e-324,0,-4.9e-324}'::float8[], '{4.9e-324}'),
       pg_temp.finite(driftmon.psi_agg('{4.9e-324,0,-4.9e-324}'::float8[], '{0}', 10, 'uniform')) AS psi_uniform_finite,
       pg_temp.finite(driftmon.psi_agg('{4.9e-324,0,-4.9e-324}'::float8[], '{0}', 10, 'sturges')) AS psi_sturges_finite;
SELECT mean_reference, std_reference, p50_reference, wasserstein
FROM driftmon.numeric_drift('{4.9e-324,4.9e-324}'::float8[], '{4.9e-324}'::float8[]);
SELECT std_reference, std_current FROM driftmon.numeric_drift('{-4.9e-324,0,4.9e-324}'::float8[], '{0,1e-300}'::float8[]);
-- magnitudes near DBL_MAX: sums, differences and squares that overflow are
-- computed on scaled values; a statistic beyond the float8 range is an error
SELECT mean_reference, std_reference, mean_current, std_current,
       p05_current, p50_current, p95_current, wasserstein, wasserstein_normed
FROM driftmon.numeric_drift('{1e308,1e308}'::float8[], '{-1e308,1e308}'::float8[]);
SELECT * FROM driftmon.ks_test('{1e308,-1e308}'::float8[], '{1.7976931348623157e308,-1.7976931348623157e308}'::float8[]);
SELECT driftmon.wasserstein_agg('{-1e308,1e308}'::float8[], '{1e308,1e308}');
SELECT round(driftmon.psi_agg('{-1e308,1e308}'::float8[], '{1e308,0}')::numeric, 10) AS psi_quantile,
       round(driftmon.psi_agg('{-1e308,1e308}'::float8[], '{1e308,0}', 10, 'uniform')::numeric, 10) AS psi_uniform,
       round(driftmon.psi_agg('{-1e308,1e308}'::float8[], '{1e308,0}', 10, 'sturges')::numeric, 10) AS psi_sturges,
       round(driftmon.js_divergence('{-1e308,1e308}'::float8[], '{1e308}')::numeric, 10) AS js;
SELECT driftmon.wasserstein_agg('{-1e308}'::float8[], '{1e308}');
SELECT driftmon.wasserstein_agg(v, c) FROM (VALUES (-1e308::float8, false), (1e308, true)) t(v, c);
SELECT * FROM driftmon.numeric_drift('{-1.7e308,1.7e308}'::float8[], '{0}');
-- tiny spreads: squares that underflow are computed on scaled values too
SELECT std_reference, wasserstein_normed FROM driftmon.numeric_drift('{0,1e-300}'::float8[], '{1e-300}');
-- a ratio beyond the float8 range is Infinity, not an error (one degenerate feature must not fail a GROUP BY)
SELECT wasserstein_normed FROM driftmon.numeric_drift('{0,1e-300}'::float8[], '{1e300}');
SELECT pg_temp.err($$SELECT driftmon.numeric_drift('{-1e308}'::float8[], '{1e308}')$$);
-- invalid enum-like arguments and NULL parameters
SELECT * FROM driftmon.ks_test('{1,2}'::float8[], '{1,2}', 'bogus');
SELECT * FROM driftmon.ks_test('{1,2}'::float8[], '{1,2}', 'two-sided', 'bogus');
SELECT * FROM driftmon.ks_test('{1,2}'::float8[], '{1,2}', NULL);
SELECT driftmon.psi_agg('{1,2}'::float8[], '{1}', 1);
SELECT driftmon.psi_agg('{1,2}'::float8[], '{1}', 10001);
SELECT driftmon.psi_agg('{1,2}'::float8[], '{1}', 10, 'bogus');
SELECT driftmon.psi_agg('{1,2}'::float8[], '{1}', 10, NULL);
SELECT driftmon.js_divergence('{1,2}'::float8[], '{1}', -2147483648);
SELECT pg_temp.err($$SELECT driftmon.ks_test(v, c, 'TWO-SIDED') FROM (VALUES (1::float8, false)) t(v, c)$$);
SELECT pg_temp.err($$SELECT driftmon.ks_test(v, c, 'less', 'EXACT ') FROM (VALUES (1::float8, false)) t(v, c)$$);
SELECT pg_temp.err($$SELECT driftmon.ks_test(v, c, 'less', NULL) FROM (VALUES (1::float8, false)) t(v, c)$$);
SELECT pg_temp.err($$SELECT driftmon.psi_agg(v, c, NULL) FROM (VALUES (1::float8, false)) t(v, c)$$);
SELECT pg_temp.err($$SELECT driftmon.psi_agg(v, c, 0, 'uniform') FROM (VALUES (1::float8, false)) t(v, c)$$);
SELECT pg_temp.err($$SELECT driftmon.js_divergence(v, c, 1) FROM (VALUES (1::float8, false)) t(v, c)$$);
-- a parameter that changes between rows of one group is an error
SELECT driftmon.psi_agg(v, c, b) FROM (VALUES (1::float8, false, 3), (2, true, 4)) t(v, c, b);
SELECT pg_temp.err($$SELECT driftmon.ks_test(v, c, a) FROM (VALUES (1::float8, false, 'less'), (2, true, 'greater')) t(v, c, a)$$);
SELECT pg_temp.err($$SELECT driftmon.psi_agg(v, c, 5, b) FROM (VALUES (1::float8, false, 'uniform'), (2, true, 'sturges')) t(v, c, b)$$);
-- the same constant on every row is fine, also per group
SELECT b, round(driftmon.psi_agg(v, c, b)::numeric, 10)
FROM (VALUES (1::float8, false, 3), (2, true, 3), (1, false, 4), (1, true, 4)) t(v, c, b) GROUP BY b ORDER BY b;

-- ===================================================================
-- Categorical drift
-- ===================================================================
CREATE TEMP TABLE cat(k text, c boolean);
SELECT * FROM driftmon.chi2_test(NULL::text[], NULL::text[]);
SELECT driftmon.js_divergence(NULL::text[], '{a}'::text[]), driftmon.psi_agg('{a}'::text[], NULL::text[]);
SELECT n_reference, n_current, chi2_statistic, psi FROM driftmon.categorical_drift(NULL::text[], NULL::text[]);
SELECT * FROM driftmon.chi2_test('{}'::text[], '{}'::text[]);
SELECT driftmon.js_divergence('{}'::text[], '{a}'::text[]), driftmon.psi_agg('{a}'::text[], '{}'::text[]);
SELECT * FROM driftmon.categorical_drift('{}'::text[], '{}'::text[]);
-- zero rows and only NULLs
SELECT driftmon.chi2_test(k, c), driftmon.js_divergence(k, c), driftmon.psi_agg(k, c),
       driftmon.category_counts(k, c) FROM cat;
SELECT n_reference, n_current, missing_reference, missing_current, chi2_p_value
FROM (SELECT (driftmon.categorical_drift(k, c)).* FROM cat) s;
INSERT INTO cat VALUES (NULL, NULL), ('a', NULL), (NULL, false), (NULL, true);
SELECT driftmon.chi2_test(k, c), driftmon.js_divergence(k, c), driftmon.psi_agg(k, c),
       driftmon.category_counts(k, c) FROM cat;
-- NULL elements are missing values
SELECT * FROM driftmon.chi2_test('{a,NULL}'::text[], '{b,NULL,NULL}'::text[]);
SELECT n_reference, n_current, missing_reference, missing_current, n_unseen, n_vanished, top_mover
FROM driftmon.categorical_drift('{a,NULL}'::text[], '{b,NULL,NULL}'::text[]);
-- one row per side, one category on both sides (all-equal)
SELECT * FROM driftmon.chi2_test('{a}'::text[], '{a}'::text[]);
SELECT psi, js_divergence, total_variation, hellinger, kl_divergence, linf, top_mover, top_mover_delta
FROM driftmon.categorical_drift('{a,a,a}'::text[], '{a}'::text[]);
-- disjoint categories: smoothed PSI, JS = 1, everything unseen / vanished
SELECT round(driftmon.psi_agg('{a,a}'::text[], '{b}')::numeric, 10) AS psi,
       driftmon.js_divergence('{a,a}'::text[], '{b}');
SELECT n_unseen, unseen_share, n_vanished, vanished_share, total_variation, linf
FROM driftmon.categorical_drift('{a,a}'::text[], '{b}'::text[]);
-- very long categories (100 kB each): bytewise, round-trip through the summary
SELECT length(top_mover), n_categories, round(psi::numeric, 10), round(chi2_p_value::numeric, 10)
FROM driftmon.categorical_drift(ARRAY[repeat('x', 100000)], ARRAY[repeat('x', 100000), repeat('x', 99999) || 'y']);
INSERT INTO cat SELECT repeat(chr(65 + g % 3), 100000), g % 2 = 0 FROM generate_series(1, 30) g;
SELECT n_categories, n_reference, n_current, chi2_dof FROM (SELECT (driftmon.categorical_drift(k, c)).* FROM cat) s;
SELECT length(driftmon.category_counts(k, c)::text) FROM cat;
SELECT driftmon.category_counts(k, c)::text = driftmon.category_counts(k, c)::text::driftmon.category_counts::text AS round_trip
FROM cat;
SELECT length(category), n_reference, n_current FROM driftmon.category_table((SELECT driftmon.category_counts(k, c) FROM cat));
-- histogram forms: every malformed count vector
SELECT pg_temp.err($$SELECT driftmon.chi2_test_counts('{1,2}', '{1}')$$);
SELECT pg_temp.err($$SELECT driftmon.psi_counts('{1,NULL}', '{1,2}')$$);
SELECT pg_temp.err($$SELECT driftmon.js_divergence_counts('{1,NaN}', '{1,2}')$$);
SELECT pg_temp.err($$SELECT driftmon.chi2_test_counts('{1,2}', '{Infinity,2}')$$);
SELECT pg_temp.err($$SELECT driftmon.psi_counts('{1,-Infinity}', '{1,2}')$$);
SELECT pg_temp.err($$SELECT driftmon.categorical_drift_counts('{1,-1}', '{1,2}')$$);
SELECT pg_temp.err($$SELECT driftmon.chi2_test_counts('{1e308,1e308}', '{1,2}')$$);
SELECT pg_temp.err($$SELECT driftmon.categorical_drift_counts('{1,2}', '{2,1}', '{a}')$$);
SELECT * FROM driftmon.chi2_test_counts(NULL, '{1}');
SELECT * FROM driftmon.chi2_test_counts('{}', '{}');
SELECT * FROM driftmon.chi2_test_counts('{0,0}', '{0,0}');
SELECT * FROM driftmon.chi2_test_counts('{4.9e-324,1}', '{1,2}');
-- totals must fit in bigint (they are n_reference / n_current; the chi-square
-- expected counts overflowed to NaN for totals near 1e154)
SELECT * FROM driftmon.chi2_test_counts('{1e300,1}', '{1,1e300}');
SELECT pg_temp.err($$SELECT driftmon.psi_counts('{1,1}', '{9223372036854775808,0}')$$);
SELECT pg_temp.err($$SELECT driftmon.categorical_drift_counts('{1e18,1}', '{1,1e300}')$$);
SELECT * FROM driftmon.chi2_test_counts('{1e18,1}', '{1,1e18}');
SELECT round(driftmon.psi_counts('{1e18,1}', '{1,1e18}')::numeric, 8) AS psi,
       driftmon.js_divergence_counts('{1e18,1}', '{1,1e18}') AS js;
-- garbage category_counts text (the binary form is covered by the fuzzers)
SELECT 'garbage'::driftmon.category_counts;
SELECT ''::driftmon.category_counts;
SELECT '{"version":2}'::driftmon.category_counts;
SELECT pg_temp.err($$SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",2,0]]}'::driftmon.category_counts$$);
SELECT pg_temp.err($$SELECT '{"version":1,"n_reference":2,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["b",1,0],["a",1,0]]}'::driftmon.category_counts$$);
SELECT pg_temp.err($$SELECT '{"version":1,"n_reference":-1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts$$);
SELECT pg_temp.err($$SELECT '{"version":1,"n_reference":99999999999999999999,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts$$);
SELECT pg_temp.err($$SELECT '{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]} trailing'::driftmon.category_counts$$);
SELECT pg_temp.err($$SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["\ud800",1,0]]}'::driftmon.category_counts$$);
SELECT pg_temp.err($$SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",1,0]'::driftmon.category_counts$$);
-- an empty summary everywhere
SELECT * FROM driftmon.chi2_test('{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts);
SELECT n_categories, psi, top_mover FROM driftmon.categorical_drift('{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts);
SELECT * FROM driftmon.category_table('{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}');
SELECT * FROM driftmon.category_table(NULL);
SELECT * FROM driftmon.chi2_test(NULL::driftmon.category_counts);
SELECT driftmon.rollup(s) FROM (VALUES (NULL::driftmon.category_counts)) t(s);
-- counts near the bigint limit: finite statistics; a merge beyond it is an error
SELECT n_reference, n_current, chi2_statistic, chi2_p_value, round(psi::numeric, 6) AS psi,
       js_divergence, round(kl_divergence::numeric, 6) AS kl, n_unseen
FROM driftmon.categorical_drift('{"version":1,"n_reference":9000000000000000000,"n_current":9000000000000000000,"missing_reference":0,"missing_current":0,"categories":[["a",9000000000000000000,1],["b",0,8999999999999999999]]}'::driftmon.category_counts);
SELECT pg_temp.err($$SELECT driftmon.rollup(s) FROM (VALUES
  ('{"version":1,"n_reference":9000000000000000000,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",9000000000000000000,0]]}'::driftmon.category_counts),
  ('{"version":1,"n_reference":9000000000000000000,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",9000000000000000000,0]]}')) t(s)$$);

-- ===================================================================
-- Model quality
-- ===================================================================
-- zero rows: NULL; only skipped rows: n = 0, metrics NULL
SELECT driftmon.classification_metrics(a, b), driftmon.confusion_agg(a, b) FROM (VALUES ('x'::text, 'y'::text)) t(a, b) WHERE false;
SELECT driftmon.classification_metrics(a, b), driftmon.confusion_agg(a, b) FROM (VALUES (NULL::text, 'y'::text), ('x', NULL)) t(a, b);
SELECT driftmon.classification_metrics(a, b), driftmon.confusion_agg(a, b) FROM (VALUES (NULL::bigint, NULL::bigint)) t(a, b);
SELECT driftmon.classification_metrics(a, b), driftmon.confusion_agg(a, b) FROM (VALUES (NULL::boolean, true)) t(a, b);
SELECT driftmon.roc_auc(s, l), driftmon.average_precision(s, l), driftmon.log_loss(s, l), driftmon.brier_score(s, l),
       driftmon.binary_metrics(l, s), driftmon.regression_metrics(s, s) FROM (VALUES (NULL::float8, NULL::boolean)) t(s, l) WHERE false;
SELECT driftmon.roc_auc(s, l), driftmon.average_precision(s, l), driftmon.log_loss(s, l), driftmon.brier_score(s, l),
       driftmon.binary_metrics(l, s), driftmon.regression_metrics(s, s) FROM (VALUES (NULL::float8, NULL::boolean), (0.5, NULL), (NULL, true)) t(s, l);
-- one row; all-equal labels
SELECT (driftmon.classification_metrics(a, b)).* FROM (VALUES (7::bigint, 7::bigint)) t(a, b);
SELECT (driftmon.classification_metrics(a, b)).* FROM (VALUES (true, true), (true, true)) t(a, b);
SELECT driftmon.roc_auc(s, l) FROM (VALUES (0.3::float8, true)) t(s, l);
SELECT driftmon.average_precision(s, l) FROM (VALUES (0.3::float8, false), (0.3, false)) t(s, l);
SELECT driftmon.roc_auc(s, l), driftmon.average_precision(s, l) FROM (VALUES (0.5::float8, true), (0.5, false), (0.5, true)) t(s, l);
SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES (3::float8, 3::float8)) t(a, b);
SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES (3::float8, 4::float8), (3, 2)) t(a, b);
-- very long labels
SELECT (driftmon.classification_metrics(a, b)).accuracy, (driftmon.classification_metrics(a, b)).n_classes
FROM (VALUES (repeat('x', 100000), repeat('x', 100000)), (repeat('x', 100000), repeat('x', 99999) || 'y')) t(a, b);
SELECT length(label), support FROM driftmon.classification_report(
  (SELECT driftmon.confusion_agg(a, b) FROM (VALUES (repeat('x', 100000), repeat('x', 100000))) t(a, b)));
SELECT c::text = c::text::driftmon.confusion::text AS round_trip, length(c::text)
FROM (SELECT driftmon.confusion_agg(a, b) c FROM (VALUES (repeat('x', 100000), repeat('y', 100000))) t(a, b)) s;
-- NaN, +-Infinity, subnormals and huge magnitudes in scores and probabilities
SELECT driftmon.roc_auc(s, l) FROM (VALUES ('NaN'::float8, true), (1, false)) t(s, l);
SELECT driftmon.average_precision(s, l) FROM (VALUES ('NaN'::float8, true), (1, false)) t(s, l);
SELECT driftmon.roc_auc(s, l), driftmon.average_precision(s, l)
FROM (VALUES ('Infinity'::float8, true), ('-Infinity', false), (1e308, false), (4.9e-324, true), (-1e308, false)) t(s, l);
SELECT driftmon.log_loss(s, l) FROM (VALUES (1.5::float8, true)) t(s, l);
SELECT driftmon.log_loss(s, l) FROM (VALUES ('NaN'::float8, true)) t(s, l);
SELECT driftmon.brier_score(s, l) FROM (VALUES ('-Infinity'::float8, true)) t(s, l);
SELECT driftmon.brier_score(s, l) FROM (VALUES (-4.9e-324::float8, true)) t(s, l);
SELECT round(driftmon.log_loss(s, l)::numeric, 10) AS clipped_at_eps FROM (VALUES (0::float8, true), (1, false), (4.9e-324, true)) t(s, l);
SELECT driftmon.brier_score(s, l) FROM (VALUES (4.9e-324::float8, false), (1, true)) t(s, l);
SELECT (driftmon.binary_metrics(l, s)).* FROM (VALUES (true, 1e308::float8), (false, -1e308)) t(l, s);
SELECT (driftmon.binary_metrics(l, s)).* FROM (VALUES (true, 'NaN'::float8)) t(l, s);
-- thresholds: NaN, NULL and changing ones are errors; infinite ones are thresholds
SELECT (driftmon.binary_metrics(l, s, th)).* FROM (VALUES (true, 0.5::float8, 'NaN'::float8)) t(l, s, th);
SELECT (driftmon.binary_metrics(l, s, th)).* FROM (VALUES (true, 0.5::float8, NULL::float8)) t(l, s, th);
SELECT (driftmon.binary_metrics(l, s, th)).* FROM (VALUES (true, 0.5::float8, 0.1::float8), (false, 0.4, 0.2)) t(l, s, th);
SELECT accuracy, precision, recall, specificity FROM (SELECT (driftmon.binary_metrics(l, s, th)).* FROM (VALUES (true, 0.5::float8, 'Infinity'::float8), (false, 0.1, 'Infinity')) t(l, s, th)) x;
SELECT accuracy, precision, recall, specificity FROM (SELECT (driftmon.binary_metrics(l, s, th)).* FROM (VALUES (true, 0.5::float8, '-Infinity'::float8), (false, 0.1, '-Infinity')) t(l, s, th)) x;
-- regression: NaN / infinity rejected; results beyond the float8 range are errors
SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES ('NaN'::float8, 0::float8)) t(a, b);
SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES (0::float8, '-Infinity'::float8)) t(a, b);
SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES (1e308::float8, -1e308::float8)) t(a, b);
SELECT pg_temp.err($$SELECT driftmon.regression_metrics(a, b) FROM (VALUES (1e200::float8, 0::float8), (-1e200, 0)) t(a, b)$$);
SELECT pg_temp.err($$SELECT driftmon.regression_metrics(a, b) FROM (VALUES (0::float8, 1e300::float8)) t(a, b)$$);
SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES (1e308::float8, 1e308::float8), (-1e308, -1e308)) t(a, b);
SELECT n, mae, rmse, r2, max_error FROM (SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES (1e150::float8, 0::float8), (-1e150, 0)) t(a, b)) x;
-- subnormal errors: their squares underflow to 0, so mse = 0 and r2 = 1 as in
-- scikit-learn (documented limitation; mae and max_error are exact)
SELECT (driftmon.regression_metrics(a, b)).* FROM (VALUES (4.9e-324::float8, 0::float8), (0, 4.9e-324)) t(a, b);
-- garbage confusion text (the binary form is covered by the fuzzers)
SELECT 'garbage'::driftmon.confusion;
SELECT ''::driftmon.confusion;
SELECT '{"version":1,"kind":"nope","skipped":0,"labels":[],"cells":[]}'::driftmon.confusion;
SELECT pg_temp.err($$SELECT '{"version":9,"kind":"text","skipped":0,"labels":[],"cells":[]}'::driftmon.confusion$$);
SELECT pg_temp.err($$SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[1,2],"cells":[[0,0,9223372036854775807],[1,1,1]]}'::driftmon.confusion$$);
SELECT pg_temp.err($$SELECT '{"version":1,"kind":"text","skipped":0,"labels":["a","a"],"cells":[[0,0,1],[1,1,1]]}'::driftmon.confusion$$);
SELECT pg_temp.err($$SELECT '{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,5,1]]}'::driftmon.confusion$$);
SELECT pg_temp.err($$SELECT '{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,0,0]]}'::driftmon.confusion$$);
SELECT pg_temp.err($$SELECT '{"version":1,"kind":"text","skipped":-1,"labels":[],"cells":[]}'::driftmon.confusion$$);
SELECT pg_temp.err($$SELECT '{"version":1,"kind":"boolean","skipped":0,"labels":[true,true],"cells":[[0,0,1],[1,1,1]]}'::driftmon.confusion$$);
SELECT pg_temp.err($$SELECT '{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,0,1]]}x'::driftmon.confusion$$);
-- an empty summary and unknown labels in every accessor
SELECT driftmon.accuracy(c), driftmon."precision"(c), driftmon.recall(c), driftmon.f1(c),
       driftmon."precision"(c, 'a'), driftmon.recall(c, NULL), driftmon.f1(c, repeat('z', 100000))
FROM (SELECT '{"version":1,"kind":"text","skipped":3,"labels":[],"cells":[]}'::driftmon.confusion c) s;
SELECT * FROM driftmon.classification_metrics('{"version":1,"kind":"text","skipped":3,"labels":[],"cells":[]}'::driftmon.confusion);
SELECT * FROM driftmon.classification_report('{"version":1,"kind":"text","skipped":3,"labels":[],"cells":[]}');
SELECT * FROM driftmon.confusion_matrix('{"version":1,"kind":"text","skipped":3,"labels":[],"cells":[]}');
SELECT driftmon.recall('{"version":1,"kind":"bigint","skipped":0,"labels":[1],"cells":[[0,0,1]]}', 'not a number');
SELECT driftmon.recall('{"version":1,"kind":"boolean","skipped":0,"labels":[true],"cells":[[0,0,1]]}', 'true'),
       driftmon.recall('{"version":1,"kind":"boolean","skipped":0,"labels":[true],"cells":[[0,0,1]]}', 'false');
SELECT * FROM driftmon.classification_report(NULL);
SELECT driftmon.rollup(c) FROM (VALUES (NULL::driftmon.confusion)) t(c);
SELECT driftmon.rollup(c) FROM (VALUES ('{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,0,1]]}'::driftmon.confusion),
                                       ('{"version":1,"kind":"bigint","skipped":0,"labels":[1],"cells":[[0,0,1]]}')) t(c);
SELECT pg_temp.err($$SELECT driftmon.rollup(c) FROM (VALUES ('{"version":1,"kind":"bigint","skipped":0,"labels":[1],"cells":[[0,0,9223372036854775807]]}'::driftmon.confusion),
                                       ('{"version":1,"kind":"bigint","skipped":0,"labels":[1],"cells":[[0,0,1]]}')) t(c)$$);
DROP TABLE num, cat;

-- ===================================================================
-- Profiles near the float8 limit and with changing parameters
-- ===================================================================
-- rollup of 1e308 and -1e308: the exact mean is 0 (Chan's update overflowed
-- and was clamped to max = 1e308)
SELECT driftmon.mean(driftmon.rollup(p)) FROM
  (SELECT driftmon.profile_agg(x) p FROM unnest('{1e308,-1e308}'::float8[]) x GROUP BY x) s;
SELECT driftmon.mean(driftmon.rollup(p ORDER BY g)) FROM
  (SELECT g, driftmon.profile_agg(x) p FROM unnest('{-1.7e308,1.7e308,1.7e308}'::float8[]) WITH ORDINALITY u(x, g) GROUP BY g) s;
-- M2 of 1e155 and -1e155 is 2e310, beyond float8 (stddev was +Infinity): the
-- exact profile sums the deviations again on scaled values,
-- sqrt(2e310 / 1) = 1.41421356237309502e155;
-- 1e150 and -1e150: sqrt(2e300 / 1) = 1.41421356237309502e150
SELECT round((driftmon.stddev(driftmon.profile_agg(x)) / 1e155)::numeric, 12) FROM unnest('{1e155,-1e155}'::float8[]) x;
SELECT round((driftmon.stddev(driftmon.profile_agg(x)) / 1e150)::numeric, 12) FROM unnest('{1e150,-1e150}'::float8[]) x;
-- a profile written with m2=Infinity is valid input; it is exact, so the same
SELECT round((driftmon.stddev('v=1;k=16;n=2;nulls=0;nonfinite=0;min=-1e155;max=1e155;mean=0;m2=Infinity;rng=1;D=0;S=0;levels=1;L0=-1e155,1e155'::driftmon.numeric_profile) / 1e155)::numeric, 12);
-- the standard deviation of -1.7e308, 1.7e308, 1.7e308 is 1.96e308: error
SELECT driftmon.stddev(driftmon.profile_agg(x)) FROM unnest('{-1.7e308,1.7e308,1.7e308}'::float8[]) x;
-- a sketch (k = 16, 100 values of 1e200 .. 1e202) keeps no values to
-- recompute the overflowed M2 from: error
SELECT driftmon.stddev(driftmon.profile_agg(x * 1e200, 16)) FROM generate_series(1, 100) x;
-- k and cap must be the same on every row of a group
SELECT driftmon.profile_agg(x::float8, 15 + x) FROM generate_series(1, 3) x;
SELECT driftmon.profile_agg(x::float8, CASE WHEN x = 1 THEN 16 END) FROM generate_series(1, 3) x;
SELECT driftmon.profile_agg(x::text, 4 - x) FROM generate_series(1, 3) x;
SELECT driftmon.n(driftmon.profile_agg(x::float8, 16)), driftmon.n(driftmon.profile_agg(x::text, 2)) FROM generate_series(1, 3) x;
