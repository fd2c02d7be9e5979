-- numeric_drift: ks_test, psi_agg, wasserstein_agg, js_divergence and
-- numeric_drift on small hand-checkable samples, NULL / NaN / infinity
-- handling, empty sides, n = 1, every error, many groups, parallel plans.
-- Expected values: hand computation and scipy 1.10 / numpy (see comments).
-- KS p-values are tested by the oracle suite, not here.
\set VERBOSITY default
SET extra_float_digits = 0;

CREATE TABLE nd_small (value float8, is_current bool);
-- reference {1,2,3,4,5}, current {3,4,5,6,7,8}
INSERT INTO nd_small VALUES (1,false),(2,false),(3,false),(4,false),(5,false),
  (3,true),(4,true),(5,true),(6,true),(7,true),(8,true);

-- KS: F_ref - F_cur is 0.2, 0.4, 0.4333, 0.4667, 0.5 at 1..5, then falls to
-- 0 at 8: D = 0.5 at x = 5, sign +1.  'less' (max of F_cur - F_ref) is 0,
-- attained only at x = 8 (scipy: statistic 0, location 8, sign -1).
SELECT statistic, statistic_location, statistic_sign, n_reference, n_current
FROM (SELECT (driftmon.ks_test(value, is_current)).* FROM nd_small) s;
SELECT a, statistic, statistic_location, statistic_sign
FROM unnest(ARRAY['two-sided', 'less', 'greater']) a,
     LATERAL (SELECT (driftmon.ks_test(value, is_current, a)).* FROM nd_small) s
ORDER BY a;
-- scipy: uniform 4 bins (edges 1, 2.75, 4.5, 6.25, 8) PSI 6.1001534930,
-- sturges (edges 1, 2.4, 3.8, 5.2, 6.6, 8) 7.2738090874, JS 0.2978039930,
-- JS on 2 bins (cut 3: p = .6,.4, q = 1/6, 5/6) 0.1498757623.
-- Wasserstein: sum of |F_ref - F_cur| over unit gaps = 0.2+0.4+0.4333+0.4667+0.5+0.3333+0.1667 = 2.5
SELECT driftmon.wasserstein_agg(value, is_current) FROM nd_small;
-- PSI, 10 reference-quantile bins: cuts 1.4,1.8,...,4.6; p = .2 in 5 bins,
-- q = 1/6, 1/6, 4/6 in bins (2.6,3], (3.8,4.2], (4.6,inf)
SELECT round(driftmon.psi_agg(value, is_current)::numeric, 10) AS psi_quantile,
       round(driftmon.psi_agg(value, is_current, 10)::numeric, 10) AS psi_quantile_10,
       round(driftmon.psi_agg(value, is_current, 4, 'uniform')::numeric, 10) AS psi_uniform_4,
       round(driftmon.psi_agg(value, is_current, 10, 'sturges')::numeric, 10) AS psi_sturges,
       round(driftmon.js_divergence(value, is_current)::numeric, 10) AS js,
       round(driftmon.js_divergence(value, is_current, 2)::numeric, 10) AS js_2
FROM nd_small;
SELECT n_reference, n_current, nulls_reference, nulls_current, nonfinite_reference,
       nonfinite_current, mean_reference, mean_current,
       round(std_reference::numeric, 12) AS std_reference,
       round(std_current::numeric, 12) AS std_current,
       min_reference, min_current, max_reference, max_current,
       p05_reference, p05_current, p50_reference, p50_current, p95_reference, p95_current,
       ks_statistic, round(psi::numeric, 10) AS psi, round(js_divergence::numeric, 10) AS js,
       wasserstein, round(wasserstein_normed::numeric, 12) AS wasserstein_normed
FROM (SELECT (driftmon.numeric_drift(value, is_current)).* FROM nd_small) s \gx

-- Array forms give the same numbers.
SELECT (driftmon.ks_test(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[])).statistic,
       driftmon.wasserstein_agg(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[]),
       round(driftmon.psi_agg(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[])::numeric, 10) AS psi,
       round(driftmon.psi_agg(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[], 4, 'uniform')::numeric, 10) AS psi_uniform_4,
       round(driftmon.js_divergence(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[])::numeric, 10) AS js,
       (driftmon.numeric_drift(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[])).p95_current;
-- 'less': F_cur - F_ref never exceeds 0; scipy reports 0 at the first
-- minimum of F_ref - F_cur in concat(ref, cur) order: x = 8.
SELECT statistic, statistic_location, statistic_sign, n_reference, n_current
FROM driftmon.ks_test(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[], 'less');

-- Ties: reference {0,0,1,1}, current {1,1,1,2}: F_ref - F_cur = 0.5 at 0,
-- 1 - 0.75 = 0.25 at 1, 0 at 2 => D = 0.5 at 0.  Wasserstein = 0.5*1 + 0.25*1 = 0.75.
SELECT statistic, statistic_location, statistic_sign,
       driftmon.wasserstein_agg(ARRAY[0,0,1,1]::float8[], ARRAY[1,1,1,2]::float8[])
FROM driftmon.ks_test(ARRAY[0,0,1,1]::float8[], ARRAY[1,1,1,2]::float8[]);
-- Negative sign: current stochastically smaller.  ref {5,6}, cur {1,2}:
-- F_ref - F_cur = -0.5 at 1, -1 at 2 => D = 1 at x = 2, sign -1.
SELECT statistic, statistic_location, statistic_sign
FROM driftmon.ks_test(ARRAY[5,6]::float8[], ARRAY[1,2]::float8[]);

-- NULL / NaN / infinity: NULL flag rows are skipped, NULL values counted per
-- side, NaN and +-infinity excluded and counted.
CREATE TABLE nd_dirty AS SELECT * FROM nd_small;
INSERT INTO nd_dirty VALUES (NULL, false), (NULL, true), (NULL, true),
  ('NaN', false), ('Infinity', true), ('-Infinity', true), ('NaN', true),
  (100, NULL), (NULL, NULL);
SELECT n_reference, n_current, nulls_reference, nulls_current,
       nonfinite_reference, nonfinite_current, mean_current, max_current, ks_statistic, wasserstein
FROM (SELECT (driftmon.numeric_drift(value, is_current)).* FROM nd_dirty) s;
SELECT (driftmon.ks_test(value, is_current)).n_current,
       driftmon.wasserstein_agg(value, is_current),
       driftmon.psi_agg(value, is_current) = driftmon.psi_agg(ARRAY[1,2,3,4,5]::float8[], ARRAY[3,4,5,6,7,8]::float8[]) AS same_psi
FROM nd_dirty;
SELECT n_reference, n_current, nulls_reference, nulls_current, nonfinite_reference, nonfinite_current
FROM driftmon.numeric_drift(ARRAY[1, NULL, 'NaN', 2]::float8[], ARRAY['Infinity', 3, NULL, NULL]::float8[]);

-- Empty sides: a row whose counts say why, NULL statistics; NULL for floats.
SELECT (driftmon.ks_test(value, is_current)).* FROM nd_small WHERE NOT is_current;
SELECT (driftmon.ks_test(value, is_current)).* FROM nd_small WHERE false;
SELECT driftmon.psi_agg(value, is_current) IS NULL AS psi_null,
       driftmon.js_divergence(value, is_current) IS NULL AS js_null,
       driftmon.wasserstein_agg(value, is_current) IS NULL AS w_null
FROM nd_small WHERE is_current;
SELECT n_reference, n_current, mean_reference, mean_current, p50_current, ks_statistic, psi, wasserstein
FROM (SELECT (driftmon.numeric_drift(value, is_current)).* FROM nd_small WHERE is_current) s;
SELECT n_reference, n_current, nulls_reference, mean_reference, ks_statistic
FROM (SELECT (driftmon.numeric_drift(value, is_current)).* FROM nd_small WHERE false) s;
-- a side with only non-finite values is empty
SELECT * FROM driftmon.ks_test(ARRAY['NaN']::float8[], ARRAY[1]::float8[]);
SELECT driftmon.wasserstein_agg(ARRAY[]::float8[], ARRAY[1]::float8[]),
       driftmon.psi_agg(NULL::float8[], ARRAY[1]::float8[]);

-- n = 1 per side: D = 1 at the reference value; std NULL (ddof = 1), so no
-- normalised Wasserstein; PSI on cut {1}: p = (1, 0), q = (0, 1) =>
-- 2 * (1 - 1e-4) * ln(1e4) = 18.4188386759.  JS of disjoint histograms = 1.
SELECT statistic, statistic_location, statistic_sign FROM driftmon.ks_test(ARRAY[1]::float8[], ARRAY[2]::float8[]);
SELECT std_reference, std_current, p05_reference, p95_current, wasserstein, wasserstein_normed,
       round(psi::numeric, 10) AS psi, js_divergence
FROM driftmon.numeric_drift(ARRAY[1]::float8[], ARRAY[2]::float8[]);
-- identical samples: D = 0 (sign +1 at the first reference value), PSI 0, JS 0, W 0
SELECT (driftmon.ks_test(ARRAY[3,1,2]::float8[], ARRAY[2,3,1]::float8[])).statistic,
       (driftmon.ks_test(ARRAY[3,1,2]::float8[], ARRAY[2,3,1]::float8[])).statistic_location,
       driftmon.psi_agg(ARRAY[3,1,2]::float8[], ARRAY[2,3,1]::float8[]),
       driftmon.js_divergence(ARRAY[3,1,2]::float8[], ARRAY[2,3,1]::float8[]),
       driftmon.wasserstein_agg(ARRAY[3,1,2]::float8[], ARRAY[2,3,1]::float8[]);
-- constant feature (all values equal on both sides): 'sturges' and 'uniform'
-- use numpy's [v - 0.5, v + 0.5] range; PSI 0; std 0 so normed is NULL
SELECT driftmon.psi_agg(ARRAY[7,7]::float8[], ARRAY[7,7,7]::float8[], 10, 'sturges') AS sturges,
       driftmon.psi_agg(ARRAY[7,7]::float8[], ARRAY[7,7,7]::float8[], 3, 'uniform') AS uniform,
       (driftmon.numeric_drift(ARRAY[7,7]::float8[], ARRAY[7,7,7]::float8[])).wasserstein_normed;
-- discrete feature: tied reference quantiles collapse, reference {0 x 8, 1 x 2}
-- has cuts {0, 0.2, 1} (numpy linear, 0.8 quantile = 0.2): bins (-inf,0],
-- (0,0.2], (0.2,1], (1,inf); current
-- {0 x 5, 1 x 5}: p = (.8, 0, .2, 0), q = (.5, 0, .5, 0) =>
-- PSI = .3 ln 1.6 + .3 ln 2.5 = 0.4158883083
SELECT round(driftmon.psi_agg(ARRAY[0,0,0,0,0,0,0,0,1,1]::float8[],
                              ARRAY[0,0,0,0,0,1,1,1,1,1]::float8[])::numeric, 10) AS psi;

-- Errors
SELECT driftmon.ks_test(value, is_current, 'two_sided') FROM nd_small;
SELECT driftmon.ks_test(value, is_current, 'less', 'fast') FROM nd_small;
SELECT driftmon.ks_test(value, is_current, NULL) FROM nd_small;
SELECT driftmon.ks_test(value, is_current, 'less', NULL) FROM nd_small;
SELECT driftmon.psi_agg(value, is_current, 1) FROM nd_small;
SELECT driftmon.psi_agg(value, is_current, 10001, 'uniform') FROM nd_small;
SELECT driftmon.psi_agg(value, is_current, 10, 'equal') FROM nd_small;
SELECT driftmon.psi_agg(value, is_current, NULL) FROM nd_small;
SELECT driftmon.psi_agg(value, is_current, 5, NULL) FROM nd_small;
SELECT driftmon.js_divergence(value, is_current, 0) FROM nd_small;
SELECT driftmon.ks_test(ARRAY[1]::float8[], ARRAY[2]::float8[], 'greater', 'exactly');
SELECT driftmon.psi_agg(ARRAY[1]::float8[], ARRAY[2]::float8[], 1);
SELECT driftmon.js_divergence(ARRAY[1]::float8[], ARRAY[2]::float8[], NULL);

-- Many small groups: group g has reference {g, g+1} and current {g+1, g+2}:
-- D = 0.5 at x = g (sign +1), Wasserstein = 1, both std = sqrt(0.5).
CREATE TABLE nd_groups AS
SELECT g, v::float8 AS value, c AS is_current
FROM generate_series(1, 3000) g,
     LATERAL (VALUES (g, false), (g + 1, false), (g + 1, true), (g + 2, true)) x(v, c);
SELECT count(*) AS groups,
       sum(w) AS sum_w,
       min((k).statistic) AS min_d, max((k).statistic) AS max_d,
       bool_and((k).statistic_location = g) AS loc_ok,
       bool_and(round((nd).std_current::numeric, 12) = round(sqrt(0.5)::numeric, 12)) AS std_ok,
       bool_and((nd).wasserstein_normed = 1 / (nd).std_reference) AS normed_ok
FROM (SELECT g, driftmon.ks_test(value, is_current) k, driftmon.wasserstein_agg(value, is_current) w,
             driftmon.numeric_drift(value, is_current) nd
      FROM nd_groups GROUP BY g) s;

-- Parallel aggregation: Partial Aggregate in the plan, same result as serial.
CREATE TABLE nd_big AS
SELECT i, (i % 97)::float8 + (i % 13) / 7.0 AS value, (i % 3 = 0) AS is_current
FROM generate_series(1, 200000) i;
INSERT INTO nd_big VALUES (0, NULL, true), (0, 'NaN', false);
ANALYZE nd_big;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE nd_serial AS
SELECT driftmon.ks_test(value, is_current) k, driftmon.psi_agg(value, is_current, 7, 'uniform') p,
       driftmon.wasserstein_agg(value, is_current) w, driftmon.numeric_drift(value, is_current) nd
FROM nd_big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT driftmon.ks_test(value, is_current), driftmon.psi_agg(value, is_current, 7, 'uniform'),
       driftmon.wasserstein_agg(value, is_current), driftmon.numeric_drift(value, is_current)
FROM nd_big;
SELECT s.k = p.k AS ks_same, s.p = p.p AS psi_same, s.w = p.w AS w_same, s.nd = p.nd AS drift_same,
       (p.nd).n_reference, (p.nd).n_current, (p.nd).nulls_current, (p.nd).nonfinite_reference
FROM nd_serial s,
     (SELECT driftmon.ks_test(value, is_current) k, driftmon.psi_agg(value, is_current, 7, 'uniform') p,
             driftmon.wasserstein_agg(value, is_current) w, driftmon.numeric_drift(value, is_current) nd
      FROM nd_big) p;
-- a tiny table: at most one process sees its rows, the others none
EXPLAIN (COSTS OFF) SELECT driftmon.wasserstein_agg(value, is_current) FROM nd_small;
SELECT driftmon.wasserstein_agg(value, is_current), (driftmon.ks_test(value, is_current)).statistic,
       (driftmon.numeric_drift(value, is_current)).mean_current
FROM nd_small;
-- and GROUP BY under a parallel plan
SELECT count(*), sum(w) FROM (SELECT g, driftmon.wasserstein_agg(value, is_current) w
                             FROM nd_groups GROUP BY g) s;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;

DROP TABLE nd_small, nd_dirty, nd_groups, nd_big;
