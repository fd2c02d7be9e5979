-- Drift profiles: types, accessors, rollup, errors, parallel plans.
-- Expected values are hand-computed (see comments) or numpy's.
\set VERBOSITY default
SET extra_float_digits = 0;

-- 1. A tiny exact profile.  Values 1, 2, 3 plus a NULL and two non-finite:
-- n = 3, mean 2, m2 = 1 + 0 + 1 = 2; rng = (seed xor bits(1.0)) + golden
-- = 4611390743696963626 (computed in Python from the splitmix64 definition).
SELECT driftmon.profile_agg(x)
FROM (VALUES (1.0::float8), (2), (3), (NULL), ('NaN'), ('-Infinity')) t(x);

-- 2. Accessors on x = 3 1 4 1 5 9 2 6 (numpy: mean 3.875, std(ddof=1)
-- 2.748376143938713, quantile [0, .25, .5, .9, 1] = 1, 1.75, 3.5, 6.9, 9).
CREATE TEMP TABLE pi8 AS
  SELECT driftmon.profile_agg(x) AS p
  FROM unnest(ARRAY[3, 1, 4, 1, 5, 9, 2, 6]::float8[]) x;
SELECT driftmon.n(p), driftmon.nulls(p), driftmon.nonfinite(p),
       driftmon.mean(p), round(driftmon.stddev(p)::numeric, 12) AS stddev,
       driftmon.minimum(p), driftmon.maximum(p),
       driftmon.is_exact(p), driftmon.rank_error(p), driftmon.sketch_k(p), driftmon.sketch_size(p)
FROM pi8;
SELECT driftmon.quantile(p, 0.5) AS median,
       driftmon.quantile(p, ARRAY[0, 0.25, 0.5, 0.9, 1]::float8[]) AS qs
FROM pi8;
-- cdf = fraction <= x: 1 -> 2/8, 4.5 -> 5/8, below min -> 0, max -> 1
SELECT driftmon.cdf(p, 1) AS c1, driftmon.cdf(p, 4.5) AS c45,
       driftmon.cdf(p, 0) AS c0, driftmon.cdf(p, 9) AS c9, driftmon.cdf(p, 'NaN') AS cnan
FROM pi8;

-- 3. Exact round trips: text, and binary via send/recv (send of the re-read
-- text equals the original send; the text of the re-read value is identical).
SELECT p::text::driftmon.numeric_profile::text = p::text AS text_roundtrip,
       driftmon.numeric_profile_send(p::text::driftmon.numeric_profile)
         = driftmon.numeric_profile_send(p) AS binary_roundtrip
FROM pi8;
-- a sketch-mode profile with awkward doubles round-trips too
SELECT p::text::driftmon.numeric_profile::text = p::text AS text_roundtrip,
       driftmon.is_exact(p) AS exact, driftmon.n(p)
FROM (SELECT driftmon.profile_agg(sin(i) * 1e-300 + i / 7.0, 32) p
      FROM generate_series(1, 5000) i) s;

-- 4. Empty inputs: no rows gives NULL; only NULLs gives an empty profile.
SELECT driftmon.profile_agg(x) IS NULL AS no_rows
FROM (SELECT 1.0::float8 WHERE false) t(x);
SELECT driftmon.n(p), driftmon.nulls(p), driftmon.mean(p), driftmon.stddev(p),
       driftmon.quantile(p, 0.5), driftmon.cdf(p, 0), driftmon.minimum(p)
FROM (SELECT driftmon.profile_agg(NULL::float8) p FROM generate_series(1, 3)) s;
-- one value: stddev NULL (n - 1 = 0), quantiles all that value
SELECT driftmon.stddev(p), driftmon.quantile(p, 0.3)
FROM (SELECT driftmon.profile_agg(-0.0::float8) p) s;

-- 5. rollup: two halves merge to the profile of the whole (exact mode:
-- integers, so moments are exact: 1..10 mean 5.5, m2 82.5, std 3.0276503540974917).
SELECT driftmon.n(r), driftmon.mean(r), round(driftmon.stddev(r)::numeric, 12) AS stddev,
       driftmon.quantile(r, 0.25) AS q25, driftmon.nulls(r)
FROM (SELECT driftmon.rollup(p) r
      FROM (SELECT driftmon.profile_agg(x) p FROM generate_series(1, 4) x
            UNION ALL SELECT NULL
            UNION ALL SELECT driftmon.profile_agg(x) FROM generate_series(5, 10) x
            UNION ALL SELECT driftmon.profile_agg(NULL::float8)) s) t;
-- rollup over no rows is NULL
SELECT driftmon.rollup(p) IS NULL AS empty_rollup
FROM (SELECT driftmon.profile_agg(1.0::float8) p WHERE false) s;

-- 6. Merging profiles built with different k is refused.
SELECT driftmon.rollup(p)
FROM (SELECT driftmon.profile_agg(x, 16) p FROM generate_series(1, 3) x
      UNION ALL SELECT driftmon.profile_agg(x) FROM generate_series(1, 3) x) s;

-- 7. Parameter errors.
SELECT driftmon.profile_agg(x, 8) FROM generate_series(1, 3) x;
SELECT driftmon.profile_agg(x, NULL) FROM generate_series(1, 3) x;
SELECT driftmon.quantile(p, 1.5) FROM pi8;
SELECT driftmon.quantile(p, ARRAY[0.5, NULL]) FROM pi8;

-- 8. Input validation: every invariant of the format.
-- valid
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- wrong version
SELECT 'v=2;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- truncated (a field missing)
SELECT 'v=1;k=16;n=2;nulls=0'::driftmon.numeric_profile;
-- trailing garbage
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2;x'::driftmon.numeric_profile;
-- counts that do not add up (n = 3, two items of weight 1)
SELECT 'v=1;k=16;n=3;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- NaN item
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,nan'::driftmon.numeric_profile;
-- NaN mean
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=nan;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- unsorted items
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=2,1'::driftmon.numeric_profile;
-- item outside [min, max]
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,3'::driftmon.numeric_profile;
-- mean outside [min, max]
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=2.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- negative m2
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=-1;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- k out of range
SELECT 'v=1;k=8;n=2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- level over capacity (17 items at k = 16)
SELECT 'v=1;k=16;n=17;nulls=0;nonfinite=0;min=1;max=1;mean=1;m2=0;rng=7;D=0;S=0;levels=1;L0=1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1'::driftmon.numeric_profile;
-- two levels but no compaction recorded
SELECT 'v=1;k=16;n=3;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=2;L0=1;L1=2'::driftmon.numeric_profile;
-- the same with a consistent budget is accepted (weights 1 + 2 = 3)
SELECT driftmon.n(p), driftmon.rank_error(p), driftmon.quantile(p, 0.5)
FROM (SELECT 'v=1;k=16;n=3;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=1;S=1;levels=2;L0=1;L1=2'::driftmon.numeric_profile p) s;
-- empty profile with a non-zero moment
SELECT 'v=1;k=16;n=0;nulls=5;nonfinite=0;min=0;max=0;mean=1;m2=0;rng=7;D=0;S=0;levels=1;L0='::driftmon.numeric_profile;
-- not a number where one is expected
SELECT 'v=1;k=16;n=2;nulls=0;nonfinite=0;min=abc;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;
-- negative count
SELECT 'v=1;k=16;n=-2;nulls=0;nonfinite=0;min=1;max=2;mean=1.5;m2=0.5;rng=7;D=0;S=0;levels=1;L0=1,2'::driftmon.numeric_profile;

-- 9. Forced parallel plan: same counts and moments as the serial plan, the
-- median within the reported rank error of the exact 50000.5.
CREATE TABLE prof_par AS SELECT i::float8 AS v FROM generate_series(1, 100000) i;
ANALYZE prof_par;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT driftmon.profile_agg(v) FROM prof_par;
CREATE TEMP TABLE par AS SELECT driftmon.profile_agg(v) p FROM prof_par;
EXPLAIN (COSTS OFF) SELECT driftmon.rollup(p) FROM (SELECT driftmon.profile_agg(v) p FROM prof_par) s;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE ser AS SELECT driftmon.profile_agg(v) p FROM prof_par;
RESET max_parallel_workers_per_gather;
SELECT driftmon.n(a.p) = driftmon.n(b.p) AS same_n,
       driftmon.minimum(a.p) = driftmon.minimum(b.p) AND driftmon.maximum(a.p) = driftmon.maximum(b.p) AS same_range,
       abs(driftmon.mean(a.p) / 50000.5 - 1) < 1e-12 AND abs(driftmon.mean(b.p) / 50000.5 - 1) < 1e-12 AS mean_close,
       abs(driftmon.stddev(a.p) / driftmon.stddev(b.p) - 1) < 1e-12 AS same_stddev,
       abs(driftmon.quantile(a.p, 0.5) - 50000.5) <= driftmon.rank_error(a.p) * 100000 AS par_median_ok,
       abs(driftmon.quantile(b.p, 0.5) - 50000.5) <= driftmon.rank_error(b.p) * 100000 AS ser_median_ok,
       driftmon.rank_error(a.p) BETWEEN 0.0001 AND 0.02 AS eps_sane
FROM par a, ser b;
-- workers that see no rows (empty table) are handled
CREATE TABLE prof_empty (v float8);
SELECT driftmon.profile_agg(v) IS NULL AS empty_parallel FROM prof_empty;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE prof_par, prof_empty;

-- 10. Comparisons between exact profiles: ref = 1..5, cur = 3..8.
-- KS (scipy ks_2samp): D = 0.5 at x = 5 (F_ref 1, F_cur 1/2), sign +1,
-- exact p-value 0.35714285714285715 (= 5/14).
-- Wasserstein: stochastically ordered, so the mean difference 5.5 - 3 = 2.5.
-- 4 bins at reference quartiles 2, 3, 4 (right-closed): ref .4 .2 .2 .2,
-- cur 0 1/6 1/6 4/6; numpy with the 1e-4 smoothing: PSI 3.8907991968818347,
-- scipy jensenshannon(base=2)**2 0.2978039929652123, Hellinger 0.5193296223592282.
CREATE TEMP TABLE cmp AS
  SELECT (SELECT driftmon.profile_agg(x) FROM generate_series(1, 5) x) r,
         (SELECT driftmon.profile_agg(x) FROM generate_series(3, 8) x) c;
SELECT k.statistic, k.statistic_location, k.statistic_sign, k.n_reference, k.n_current,
       round(k.p_value::numeric, 12) AS p_value, k.method
FROM cmp, driftmon.ks_test(r, c) k;
SELECT driftmon.wasserstein(r, c),
       round(driftmon.psi(r, c, 4)::numeric, 12) AS psi4,
       round(driftmon.js_divergence(r, c, 4)::numeric, 12) AS js4,
       round(driftmon.hellinger(r, c, 4)::numeric, 12) AS hellinger4
FROM cmp;
-- identical profiles: everything 0
SELECT driftmon.psi(r, r), driftmon.js_divergence(r, r), driftmon.hellinger(r, r),
       driftmon.wasserstein(r, r), (driftmon.ks_test(r, r)).statistic
FROM cmp;
-- an empty side gives NULL statistics, counts say why
SELECT k.statistic, k.p_value, k.n_reference, k.n_current,
       driftmon.psi(r, e), driftmon.wasserstein(e, r)
FROM cmp, (SELECT driftmon.profile_agg(NULL::float8) e) z, driftmon.ks_test(r, e) k;
-- comparing profiles built with different k is allowed (no merge)
SELECT (driftmon.ks_test(r, (SELECT driftmon.profile_agg(x, 16) FROM generate_series(3, 8) x))).statistic
FROM cmp;
SELECT driftmon.psi(r, c, 1) FROM cmp;

-- ---------------------------------------------------------------------
-- categorical_profile
-- ---------------------------------------------------------------------

-- 11. Exact counts; NULL counted apart; bytewise categories, quotes and
-- backslashes escaped in the text form; '' is a category.
SELECT driftmon.profile_agg(x)
FROM unnest(ARRAY['a', 'b', 'a', NULL, 'q"x\', '', 'a']) x;
SELECT driftmon.n(p), driftmon.nulls(p), driftmon.is_exact(p), driftmon.n_categories(p),
       driftmon.rest(p), driftmon.max_error(p), driftmon.frequency(p, 'a'), driftmon.frequency(p, 'zz')
FROM (SELECT driftmon.profile_agg(x) p FROM unnest(ARRAY['a', 'b', 'a', NULL, 'A']) x) s;
SELECT * FROM driftmon.categories(
  (SELECT driftmon.profile_agg(x) FROM unnest(ARRAY['b', 'a', 'c', 'a', 'c', 'd']) x));

-- 12. Misra-Gries beyond cap.  cap 2 over a a b c c c d: counts a2 b1 c3 d1;
-- the 3rd largest count is 1: a -> 1, c -> 2, b and d dropped, rest = 4,
-- max_error = floor(4 / 3) = 1 (true a = 2 = 1 + 1, c = 3 = 2 + 1).
SELECT p::text, driftmon.is_exact(p), driftmon.max_error(p)
FROM (SELECT driftmon.profile_agg(x, 2) p FROM unnest(ARRAY['a', 'b', 'a', 'c', 'c', 'c', 'd']) x) s;

-- 13. Round trips, rollup, different caps refused, empty inputs.
SELECT p::text::driftmon.categorical_profile::text = p::text AS text_roundtrip,
       driftmon.categorical_profile_send(p::text::driftmon.categorical_profile)
         = driftmon.categorical_profile_send(p) AS binary_roundtrip
FROM (SELECT driftmon.profile_agg(x) p FROM unnest(ARRAY['a', 'b"', '\\', 'é', NULL]) x) s;
SELECT driftmon.rollup(p)
FROM (SELECT driftmon.profile_agg(x) p FROM unnest(ARRAY['a', 'b']) x
      UNION ALL SELECT NULL
      UNION ALL SELECT driftmon.profile_agg(x) FROM unnest(ARRAY['b', NULL, 'c']) x) s;
SELECT driftmon.rollup(p)
FROM (SELECT driftmon.profile_agg(x, 5) p FROM unnest(ARRAY['a']) x
      UNION ALL SELECT driftmon.profile_agg(x) FROM unnest(ARRAY['a']) x) s;
SELECT driftmon.profile_agg(x) IS NULL AS no_rows FROM (SELECT 'a'::text WHERE false) t(x);
SELECT driftmon.profile_agg(NULL::text);
SELECT driftmon.profile_agg(x, 0) FROM unnest(ARRAY['a']) x;
SELECT driftmon.profile_agg(x, NULL) FROM unnest(ARRAY['a']) x;

-- 14. Input validation.
SELECT 'v=1;cap=3;n=3;nulls=0;rest=0;items={"a":2,"b":1}'::driftmon.categorical_profile;
SELECT 'v=7;cap=3;n=3;nulls=0;rest=0;items={"a":2,"b":1}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=4;nulls=0;rest=0;items={"a":2,"b":1}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=0;items={"b":2,"a":1}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=0;items={"a":2,"a":1}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=1;items={"a":2,"b":0}'::driftmon.categorical_profile;
SELECT 'v=1;cap=1;n=3;nulls=0;rest=0;items={"a":2,"b":1}'::driftmon.categorical_profile;
SELECT 'v=1;cap=0;n=0;nulls=0;rest=0;items={}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=4;items={}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=0;items={"a:3}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=0;items={"a\x":3}'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=0'::driftmon.categorical_profile;
SELECT 'v=1;cap=3;n=3;nulls=0;rest=0;items={"a":3}x'::driftmon.categorical_profile;

-- 15. Comparisons.  ref a a b, cur a b b c: table [[2,1,0],[1,2,1]];
-- scipy chi2_contingency: 1.5555555555555554, dof 2; numpy PSI (1e-4 for the
-- empty ref cell) 2.431485471552567, jensenshannon(base=2)**2
-- 0.2079847396919381, Hellinger 0.4283729905961322; chi2 p-value
-- 0.4594258240359268.
CREATE TEMP TABLE ccmp AS
  SELECT (SELECT driftmon.profile_agg(x) FROM unnest(ARRAY['a', 'a', 'b']) x) r,
         (SELECT driftmon.profile_agg(x) FROM unnest(ARRAY['a', 'b', 'b', 'c']) x) c;
SELECT round(k.statistic::numeric, 12) AS statistic, round(k.p_value::numeric, 12) AS p_value,
       k.dof, k.n_reference, k.n_current, k.n_categories
FROM ccmp, driftmon.chi2_test(r, c) k;
SELECT round(driftmon.psi(r, c)::numeric, 12) AS psi, round(driftmon.js_divergence(r, c)::numeric, 12) AS js,
       round(driftmon.hellinger(r, c)::numeric, 12) AS hellinger
FROM ccmp;
-- 2 x 2 with Yates: [[3,1],[1,3]] gives 0.5, p 0.47950012218695337 (scipy), dof 1
SELECT k.statistic, round(k.p_value::numeric, 12) AS p_value, k.dof
FROM driftmon.chi2_test((SELECT driftmon.profile_agg(x) FROM unnest(ARRAY['a', 'a', 'a', 'b']) x),
                        (SELECT driftmon.profile_agg(x) FROM unnest(ARRAY['a', 'b', 'b', 'b']) x)) k;
-- one category: statistic 0, p-value 1; an empty side: NULL statistic, p-value
-- and dof, n_categories = the other side's 2 (as chi2_test over the rows)
SELECT k.* FROM driftmon.chi2_test((SELECT driftmon.profile_agg('x'::text)),
                                   (SELECT driftmon.profile_agg('x'::text) FROM generate_series(1, 3))) k;
SELECT k.*, driftmon.psi(r, e) FROM ccmp, (SELECT driftmon.profile_agg(NULL::text) e) z, driftmon.chi2_test(r, e) k;

-- 16. Forced parallel plan for profile_agg(text): same profile as serial.
CREATE TABLE prof_cat AS SELECT (i % 37)::text AS c FROM generate_series(1, 50000) i;
ANALYZE prof_cat;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT driftmon.profile_agg(c) FROM prof_cat;
CREATE TEMP TABLE cpar AS SELECT driftmon.profile_agg(c) p FROM prof_cat;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE cser AS SELECT driftmon.profile_agg(c) p FROM prof_cat;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
-- 50000 = 37 * 1351 + 13: categories 1..13 have 1352 rows, the others 1351
SELECT a.p::text = b.p::text AS same, driftmon.n_categories(a.p), driftmon.frequency(a.p, '13'),
       driftmon.frequency(a.p, '14')
FROM cpar a, cser b;
DROP TABLE prof_cat;

-- ---------------------------------------------------------------------
-- baselines
-- ---------------------------------------------------------------------

-- 17. save_baseline profiles every column in one scan: numeric types get a
-- numeric_profile, everything else a categorical_profile of the text.
-- x = i % 10 over i = 1..500: mean 4.5; cat = 'c' || i % 3: c0 166, c1 167, c2 167.
CREATE TABLE public.prof_log AS
  SELECT i AS id, (i % 10)::float8 AS x, 'c' || (i % 3) AS cat, i % 2 = 0 AS flag
  FROM generate_series(1, 1000) i;
SELECT driftmon.save_baseline('train', 'SELECT x, cat, flag, id FROM public.prof_log WHERE id <= 500',
                              description => 'first half');
SELECT name, created_by = current_user AS by_me, source_query, description FROM driftmon.baselines;
SELECT baseline, feature, driftmon.n(numeric) AS n_num, driftmon.mean(numeric),
       driftmon.n(categorical) AS n_cat, driftmon.n_categories(categorical)
FROM driftmon.baseline_profiles ORDER BY feature;
SELECT * FROM driftmon.categories(driftmon.baseline_categorical('train', 'cat'));
-- compare the stored baseline with the current window (second half): same
-- distribution of x, so PSI 0 and KS 0; the flag has the same counts too.
SELECT driftmon.psi(driftmon.baseline_numeric('train', 'x'), driftmon.profile_agg(x)) AS psi_x,
       (driftmon.ks_test(driftmon.baseline_numeric('train', 'x'), driftmon.profile_agg(x))).statistic AS ks_x,
       driftmon.js_divergence(driftmon.baseline_categorical('train', 'flag'), driftmon.profile_agg(flag::text)) AS js_flag
FROM public.prof_log WHERE id > 500;
-- errors: existing name, NULL arguments, a query without columns
SELECT driftmon.save_baseline('train', 'SELECT x FROM public.prof_log');
SELECT driftmon.save_baseline(NULL, 'SELECT 1');
SELECT driftmon.save_baseline('empty', 'SELECT FROM public.prof_log');
-- replace => true overwrites; the unknown feature gives NULL
SELECT driftmon.save_baseline('train', 'SELECT x FROM public.prof_log', replace => true);
SELECT count(*) AS features, driftmon.baseline_numeric('train', 'cat') IS NULL AS gone
FROM driftmon.baseline_profiles WHERE baseline = 'train';
-- plain INSERT works too; the CHECK wants exactly one kind per row
INSERT INTO driftmon.baselines (name) VALUES ('manual');
INSERT INTO driftmon.baseline_profiles (baseline, feature, numeric)
  SELECT 'manual', 'id', driftmon.profile_agg(id) FROM public.prof_log;
INSERT INTO driftmon.baseline_profiles (baseline, feature) VALUES ('manual', 'nothing');
DELETE FROM driftmon.baselines WHERE name = 'manual';
SELECT count(*) AS left_after_cascade FROM driftmon.baseline_profiles WHERE baseline = 'manual';
DELETE FROM driftmon.baselines;
DROP TABLE public.prof_log;

-- 16. reference_profile / current_profile: one side of a drift aggregate's
-- state as a profile.  Reference 1, 2, 3 (+ a NULL and a NaN), current 4, 5
-- (+ a NULL), a NULL-flag row skipped: n 3 / 2, nulls 1 / 1, nonfinite 1 / 0,
-- means 2 / 4.5.  Input in ascending order, so profile_agg's coin seed (the
-- first value) is the same as the sorted build's: the texts are identical.
CREATE TEMP TABLE side_t (x float8, f boolean);
INSERT INTO side_t VALUES (1, false), (2, false), (3, false), (NULL, false), ('NaN', false),
                          (4, true), (5, true), (NULL, true), (7, NULL);
SELECT driftmon.n(r) AS n_ref, driftmon.nulls(r) AS nulls_ref, driftmon.nonfinite(r) AS nonfinite_ref,
       driftmon.mean(r) AS mean_ref, driftmon.n(c) AS n_cur, driftmon.nulls(c) AS nulls_cur,
       driftmon.nonfinite(c) AS nonfinite_cur, driftmon.mean(c) AS mean_cur,
       driftmon.quantile(c, ARRAY[0, 0.5, 1]::float8[]) AS q_cur
FROM (SELECT driftmon.reference_profile(x, f) r, driftmon.current_profile(x, f) c FROM side_t) s;
SELECT (SELECT driftmon.reference_profile(x, f)::text FROM side_t)
         = (SELECT (driftmon.profile_agg(x) FILTER (WHERE NOT f))::text FROM side_t) AS ref_as_profile_agg,
       (SELECT driftmon.current_profile(x, f)::text FROM side_t)
         = (SELECT (driftmon.profile_agg(x) FILTER (WHERE f))::text FROM side_t) AS cur_as_profile_agg;
-- with numeric_drift in the same SELECT (one shared state): the same answers
SELECT (d).ks_statistic, (d).mean_current, driftmon.n(c), driftmon.mean(c),
       c::text = (SELECT driftmon.current_profile(x, f)::text FROM side_t) AS same_alone
FROM (SELECT driftmon.numeric_drift(x, f) d, driftmon.current_profile(x, f) c FROM side_t) s;
-- a side without rows gives NULL; a side with only NULL values an empty profile
SELECT driftmon.current_profile(x, f) IS NULL AS no_current,
       driftmon.n(driftmon.reference_profile(x, f)) AS n_ref
FROM side_t WHERE NOT f;
SELECT driftmon.n(driftmon.current_profile(x, f)), driftmon.nulls(driftmon.current_profile(x, f))
FROM (VALUES (NULL::float8, true), (NULL, true), (1, false)) t(x, f);
SELECT driftmon.current_profile(x, f) IS NULL AS no_rows FROM side_t WHERE false;
-- sketch mode (5000 values, k = 1024): built from the sorted values, so the
-- profile depends only on the values, not on their order.  The current side
-- is 2, 4, .., 10000: n 5000, mean and median 5001; the sketch's median is
-- within rank_error * 5000 ranks, i.e. 2 * that in value
CREATE TEMP TABLE side_big AS SELECT i::float8 AS x, i % 2 = 0 AS f FROM generate_series(1, 10000) i;
SELECT driftmon.is_exact(c) AS exact, driftmon.n(c), driftmon.mean(c),
       abs(driftmon.quantile(c, 0.5) - 5001) <= driftmon.rank_error(c) * 5000 * 2 AS median_ok,
       c::text = (SELECT driftmon.current_profile(x, f)::text
                  FROM (SELECT * FROM side_big ORDER BY md5(x::text)) s) AS order_free
FROM (SELECT driftmon.current_profile(x, f) c FROM side_big) s;
-- categorical: the same counts as profile_agg over the side (exact below cap)
CREATE TEMP TABLE side_cat (c text, f boolean);
INSERT INTO side_cat VALUES ('a', false), ('b', false), ('a', false), (NULL, false),
                            ('b', true), ('c', true), ('c', true), (NULL, true), (NULL, true), ('z', NULL);
SELECT driftmon.reference_profile(c, f) AS ref, driftmon.current_profile(c, f) AS cur,
       driftmon.reference_profile(c, f)::text = (driftmon.profile_agg(c) FILTER (WHERE NOT f))::text AS ref_same,
       driftmon.current_profile(c, f)::text = (driftmon.profile_agg(c) FILTER (WHERE f))::text AS cur_same
FROM side_cat;
SELECT driftmon.current_profile(c, f) IS NULL AS no_current FROM side_cat WHERE NOT f;
-- forced parallel plan: the same profiles as the serial plan, byte for byte
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
CREATE TABLE side_par AS SELECT i::float8 AS x, (i % 3)::text AS c, i % 2 = 0 AS f FROM generate_series(1, 30000) i;
ANALYZE side_par;
EXPLAIN (COSTS OFF) SELECT driftmon.current_profile(x, f) FROM side_par;
CREATE TEMP TABLE side_p AS SELECT driftmon.current_profile(x, f) xp, driftmon.current_profile(c, f) cp,
                                   driftmon.numeric_drift(x, f) d FROM side_par;
SET max_parallel_workers_per_gather = 0;
SELECT p.xp::text = s.xp::text AS numeric_same, p.cp::text = s.cp::text AS categorical_same,
       p.d = s.d AS drift_same, driftmon.n(p.xp) AS n_x, driftmon.frequency(p.cp, '1') AS n_c1
FROM side_p p,
     (SELECT driftmon.current_profile(x, f) xp, driftmon.current_profile(c, f) cp,
             driftmon.numeric_drift(x, f) d FROM side_par) s;
-- numeric_drift_profile / categorical_drift_profile: the drift row and the
-- current profile from one aggregate, equal to numeric_drift /
-- categorical_drift and current_profile, serial and parallel
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF) SELECT driftmon.numeric_drift_profile(x, f) FROM side_par;
CREATE TEMP TABLE side_dp AS SELECT driftmon.numeric_drift_profile(x, f) n,
                                    driftmon.categorical_drift_profile(c, f) k FROM side_par;
SET max_parallel_workers_per_gather = 0;
SELECT (p.n).drift = s.d AS numeric_drift_same, (p.n).current_profile::text = s.xp::text AS numeric_profile_same,
       (p.k).drift = s.cd AS categorical_drift_same, (p.k).current_profile::text = s.cp::text AS categorical_profile_same,
       ((p.k).drift).n_current, driftmon.n((p.n).current_profile)
FROM side_dp p,
     (SELECT driftmon.numeric_drift(x, f) d, driftmon.current_profile(x, f) xp,
             driftmon.categorical_drift(c, f) cd, driftmon.current_profile(c, f) cp FROM side_par) s;
-- no current rows: the drift row says why, the profile is NULL; no rows at all
SELECT ((n).drift).n_reference, ((n).drift).n_current, ((n).drift).ks_statistic,
       (n).current_profile IS NULL AS no_profile,
       ((k).drift).n_reference AS k_n_reference, (k).current_profile IS NULL AS k_no_profile
FROM (SELECT driftmon.numeric_drift_profile(x, f) n, driftmon.categorical_drift_profile(c, f) k
      FROM side_par WHERE NOT f) s;
SELECT ((n).drift).n_reference, (n).current_profile IS NULL AS no_profile
FROM (SELECT driftmon.numeric_drift_profile(x, f) n FROM side_par WHERE false) s;
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
DROP TABLE side_par;
-- 18. wasserstein_normed(profile, profile) = wasserstein / stddev(reference),
-- as numeric_drift's field: reference {0, 2} (std sqrt 2), current {1, 3}
-- (W = 1) gives 1 / sqrt(2) = 0.70710678118...; NULL for a constant or
-- single-value reference and for a side without finite values; a quotient
-- beyond the float8 range is Infinity (reference spread 7e-151, W = 1e300)
CREATE TEMP TABLE wn (s text, v float8);
INSERT INTO wn VALUES ('r', 0), ('r', 2), ('c', 1), ('c', 3), ('k', 5), ('k', 5),
  ('one', 5), ('nan', 'NaN'), ('tiny', 0), ('tiny', 1e-150), ('huge', 1e300);
CREATE TEMP TABLE wnp AS SELECT s, driftmon.profile_agg(v) p FROM wn GROUP BY s;
SELECT round(driftmon.wasserstein_normed(r.p, c.p)::numeric, 12) AS normed,
       driftmon.wasserstein_normed(k.p, c.p) IS NULL AS constant_ref_null,
       driftmon.wasserstein_normed(o.p, c.p) IS NULL AS one_value_null,
       driftmon.wasserstein_normed(r.p, n.p) IS NULL AS no_finite_current_null,
       driftmon.wasserstein_normed(t.p, h.p) AS overflow
FROM wnp r, wnp c, wnp k, wnp o, wnp n, wnp t, wnp h
WHERE r.s = 'r' AND c.s = 'c' AND k.s = 'k' AND o.s = 'one' AND n.s = 'nan'
  AND t.s = 'tiny' AND h.s = 'huge';
-- the same as numeric_drift's field over the same rows
SELECT abs(driftmon.wasserstein_normed(a.p, b.p) - (d).wasserstein_normed)
       <= 1e-12 * (d).wasserstein_normed AS same_as_numeric_drift
FROM (SELECT driftmon.profile_agg(sin(i) * 3) p FROM generate_series(1, 500) i) a,
     (SELECT driftmon.profile_agg(cos(i) + 0.5) p FROM generate_series(1, 300) i) b,
     (SELECT driftmon.numeric_drift(v, c) d FROM
        (SELECT sin(i) * 3 v, false c FROM generate_series(1, 500) i
         UNION ALL SELECT cos(i) + 0.5, true FROM generate_series(1, 300) i) u) s;
DROP TABLE wn, wnp;
-- ks_test_upper: ks_test's row with ks_p_value_upper's p-value (the
-- exact pair: the same row as ks_test, D = 1, p = 0.1; identical sketches:
-- D = 0, p = 1)
SELECT (driftmon.ks_test_upper(a.p, b.p)).*,
       driftmon.ks_test_upper(a.p, b.p) = driftmon.ks_test(a.p, b.p) AS exact_same_as_ks_test,
       (driftmon.ks_test_upper(s.p, s.p)).p_value AS same_sketch_p
FROM (SELECT driftmon.profile_agg(v) p FROM unnest(ARRAY[1, 2, 3]::float8[]) v) a,
     (SELECT driftmon.profile_agg(v) p FROM unnest(ARRAY[4, 5, 6]::float8[]) v) b,
     (SELECT driftmon.profile_agg(g::float8, 16 ORDER BY g) p FROM generate_series(0, 9999) g) s;
-- ks_p_value_upper: exact profiles give ks_test's p-value ({1,2,3} vs
-- {4,5,6}: D = 1, exact p = 2 / C(6, 3) = 0.1); two identical sketches
-- (0..9999 at k = 16) have D = 0, so the bound is 1; a side without finite
-- values gives NULL
SELECT driftmon.ks_p_value_upper(a.p, b.p) AS exact_p,
       (driftmon.ks_test(a.p, b.p)).p_value AS ks_test_p,
       driftmon.ks_p_value_upper(s.p, s.p) AS same_sketch,
       driftmon.is_exact(s.p) AS sketch_exact,
       driftmon.ks_p_value_upper(a.p, n.p) IS NULL AS empty_null
FROM (SELECT driftmon.profile_agg(v) p FROM unnest(ARRAY[1, 2, 3]::float8[]) v) a,
     (SELECT driftmon.profile_agg(v) p FROM unnest(ARRAY[4, 5, 6]::float8[]) v) b,
     (SELECT driftmon.profile_agg(g::float8, 16 ORDER BY g) p FROM generate_series(0, 9999) g) s,
     (SELECT driftmon.profile_agg(v) p FROM unnest(ARRAY['NaN']::float8[]) v) n;
-- a reference whose stored M2 over- or underflows: an exact profile
-- recomputes its std ({-1e200, 1e200} vs {1, 2}: W = 1e200 - 0.5, std
-- sqrt(2) 1e200, 1 / sqrt(2)); a sketch cannot (stddev() is error 22003
-- there): wasserstein_normed is NULL, not an error, so a monitor goes on
SELECT round(driftmon.wasserstein_normed(a.p, b.p)::numeric, 12) AS exact_m2_overflow,
       driftmon.wasserstein_normed(s.p, b.p) IS NULL AS sketch_m2_overflow_null,
       driftmon.wasserstein_normed(u.p, b.p) IS NULL AS sketch_m2_underflow_null
FROM (SELECT driftmon.profile_agg(v) p FROM unnest(ARRAY[1e200, -1e200]::float8[]) v) a,
     (SELECT driftmon.profile_agg(v) p FROM unnest(ARRAY[1, 2]::float8[]) v) b,
     (SELECT driftmon.profile_agg(x * 1e200, 16) p FROM generate_series(1, 100) x) s,
     (SELECT driftmon.profile_agg(x * 1e-170, 16) p FROM generate_series(1, 100) x) u;
-- sketch mode: quantile 0 / 1 are the exact min / max (0..9999 ascending, k = 16)
SELECT driftmon.is_exact(p), driftmon.quantile(p, ARRAY[0, 1]::float8[]) AS ends,
       driftmon.quantile(p, 0) AS q0, driftmon.quantile(p, 1) AS q1
FROM (SELECT driftmon.profile_agg(g::float8, 16 ORDER BY g) p FROM generate_series(0, 9999) g) s;
-- a rollup whose two means differ by more than DBL_MAX: mean (-1.7e308 + 1.7e308) / 2 = 0
SELECT driftmon.mean(driftmon.rollup(p ORDER BY i))
FROM (SELECT 1 i, driftmon.profile_agg(-1.7e308::float8) p
      UNION ALL SELECT 2, driftmon.profile_agg(1.7e308::float8)) s;
-- stddev where the stored sum of squared deviations over- / underflows float8:
-- an exact profile recomputes it from its values (sqrt(2) 1e200, sqrt(2) 1e-170)
SELECT driftmon.stddev(driftmon.profile_agg(v)) FROM unnest(ARRAY[1e200, -1e200]::float8[]) v;
SELECT driftmon.stddev(driftmon.profile_agg(v)) FROM unnest(ARRAY[1e-170, -1e-170]::float8[]) v;
-- within range: stddev of {1e150, -1e150} = sqrt(2e300) = 1.41421356237...e150
SELECT round((driftmon.stddev(driftmon.profile_agg(v)) / 1e150)::numeric, 12) AS stddev_over_1e150
FROM unnest(ARRAY[1e150, -1e150]::float8[]) v;
