-- categorical_drift: chi2_test, js_divergence, psi_agg, categorical_drift,
-- category_counts / category_table / rollup and the array forms.
-- Expected numbers were computed independently with scipy 1.10
-- (chi2_contingency, jensenshannon(base=2)**2) and by hand.
\set VERBOSITY default
SET extra_float_digits = 0;

-- Reference: a x4, b x4, c x2 (+1 NULL category); current: a x2, b x5, d x3
-- (+2 NULL categories); 3 rows with a NULL flag are skipped.
CREATE TABLE cat1 (category text, is_current boolean);
INSERT INTO cat1
SELECT c, false FROM unnest(ARRAY['a','a','a','a','b','b','b','b','c','c',NULL]) c
UNION ALL
SELECT c, true FROM unnest(ARRAY['a','a','b','b','b','b','b','d','d','d',NULL,NULL]) c
UNION ALL
SELECT c, NULL FROM unnest(ARRAY['a','z',NULL]) c;

-- chi2_contingency([[4,4,2,0],[2,5,0,3]]): 5.7777777778, p 0.1229368189, dof 3
-- (expected = row total * column total / 20; e.g. (4 - 3)^2/3 for a)
SELECT round(statistic::numeric, 10) AS statistic, round(p_value::numeric, 10) AS p_value,
       dof, n_reference, n_current, n_categories
FROM (SELECT (driftmon.chi2_test(category, is_current)).* FROM cat1) s;

-- p = (.4,.4,.2,0), q = (.2,.5,0,.3).  jensenshannon(p, q, base=2)**2 =
-- 0.2785270229; PSI with 1e-4 for the empty c (current) and d (reference):
-- .2 ln 2 + .1 ln 1.25 + .1999 ln 2000 + .2999 ln 3000 = 4.0814738264
SELECT round(driftmon.js_divergence(category, is_current)::numeric, 10) AS js,
       round(driftmon.psi_agg(category, is_current)::numeric, 10) AS psi
FROM cat1;

-- Everything at once.  TV = (.2+.1+.2+.3)/2 = 0.4; linf = 0.3 (d, +0.3);
-- Hellinger = sqrt(((sqrt.4-sqrt.2)^2 + (sqrt.4-sqrt.5)^2 + .2 + .3) / 2)
-- = 0.5195610571; KL(ref||cur) = .4 ln 2 + .4 ln .8 + .2 ln 2000
-- + 1e-4 ln(1e-4/.3) = 1.7073813068; d unseen (share 0.3), c vanished (0.2).
SELECT n_reference, n_current, missing_reference, missing_current, n_categories,
       round(chi2_statistic::numeric, 10) AS chi2, round(chi2_p_value::numeric, 10) AS p,
       chi2_dof, round(psi::numeric, 10) AS psi, round(js_divergence::numeric, 10) AS js,
       round(total_variation::numeric, 10) AS tv, round(hellinger::numeric, 10) AS hellinger,
       round(kl_divergence::numeric, 10) AS kl, round(linf::numeric, 10) AS linf,
       n_unseen, round(unseen_share::numeric, 10) AS unseen_share,
       n_vanished, round(vanished_share::numeric, 10) AS vanished_share,
       top_mover, round(top_mover_delta::numeric, 10) AS top_mover_delta
FROM (SELECT (driftmon.categorical_drift(category, is_current)).* FROM cat1) s;

-- Text-array forms give the same numbers (NULL elements are missing).
SELECT round((c).statistic::numeric, 10) AS statistic, (c).dof, (c).n_reference,
       round(driftmon.js_divergence(r, k)::numeric, 10) AS js,
       round(driftmon.psi_agg(r, k)::numeric, 10) AS psi,
       (driftmon.categorical_drift(r, k)).missing_current,
       (driftmon.categorical_drift(r, k)).top_mover
FROM (SELECT ARRAY['a','a','a','a','b','b','b','b','c','c',NULL] r,
             ARRAY['a','a','b','b','b','b','b','d','d','d',NULL,NULL] k) a,
     LATERAL (SELECT driftmon.chi2_test(r, k) c) s;

-- Histogram forms: the same table as counts, with a bin empty on both
-- sides (ignored by the chi-square test, no effect on JS / PSI).
SELECT round((c).statistic::numeric, 10) AS statistic, round((c).p_value::numeric, 10) AS p,
       (c).dof, (c).n_reference, (c).n_current, (c).n_categories,
       round(driftmon.js_divergence_counts('{4,4,2,0,0}', '{2,5,0,3,0}')::numeric, 10) AS js,
       round(driftmon.psi_counts('{4,4,2,0,0}', '{2,5,0,3,0}')::numeric, 10) AS psi
FROM (SELECT driftmon.chi2_test_counts('{4,4,2,0,0}', '{2,5,0,3,0}') c) s;

-- categorical_drift_counts: the same table as a histogram; the top mover is
-- the bin's name, or its position without names.
SELECT n_reference, n_current, n_categories, round(chi2_statistic::numeric, 10) AS chi2,
       round(psi::numeric, 10) AS psi, round(js_divergence::numeric, 10) AS js,
       round(hellinger::numeric, 10) AS hellinger, round(kl_divergence::numeric, 10) AS kl,
       n_unseen, unseen_share, n_vanished, vanished_share, top_mover, top_mover_delta
FROM driftmon.categorical_drift_counts('{4,4,2,0,0}', '{2,5,0,3,0}');
SELECT top_mover, top_mover_delta
FROM driftmon.categorical_drift_counts('{4,4,2,0,0}', '{2,5,0,3,0}', '{a,b,c,d,e}');
SELECT driftmon.categorical_drift_counts(NULL, '{1}') IS NULL AS null_histogram;
SELECT driftmon.categorical_drift_counts('{1,2}', '{2,1}', '{a}');
SELECT driftmon.categorical_drift_counts('{1,2}', '{2,1}', '{{a},{b}}');

-- dof 1: Yates' correction.  chi2_contingency([[10,5],[3,9]]):
-- statistic 3.1172390110, p 0.0774679414 (without correction 4.6359890110).
SELECT round(statistic::numeric, 10) AS statistic, round(p_value::numeric, 10) AS p, dof
FROM driftmon.chi2_test_counts('{10,5}', '{3,9}');
-- Yates never moves an observation past its expectation: |O - E| = 0.2 < 0.5
-- gives statistic 0 (chi2_contingency([[1,1],[1,2]]) -> 0.0, p 1.0).
SELECT statistic, p_value, dof FROM driftmon.chi2_test_counts('{1,1}', '{1,2}');

-- One category: statistic 0, p 1, dof 0; divergences 0.
SELECT (c).statistic, (c).p_value, (c).dof, (c).n_categories, j, p
FROM (SELECT driftmon.chi2_test(x, cur) c, driftmon.js_divergence(x, cur) j,
             driftmon.psi_agg(x, cur) p
      FROM (VALUES ('only', false), ('only', true), ('only', true)) v(x, cur)) s;

-- Empty sides: no test, NULL divergences; the counts say why.
SELECT (driftmon.chi2_test(x, cur)).*, driftmon.js_divergence(x, cur) AS js,
       driftmon.psi_agg(x, cur) AS psi
FROM (VALUES ('a', false), ('b', false), (NULL, true)) v(x, cur);
SELECT n_reference, n_current, missing_reference, missing_current, n_categories,
       chi2_statistic, chi2_dof, psi, top_mover, n_unseen, unseen_share,
       n_vanished, vanished_share
FROM (SELECT (driftmon.categorical_drift(x, cur)).*
      FROM (VALUES ('a', false), ('b', false), (NULL, true)) v(x, cur)) s;
-- No row at all.
SELECT (driftmon.chi2_test(category, is_current)).*, driftmon.psi_agg(category, is_current)
FROM cat1 WHERE false;
SELECT driftmon.category_counts(category, is_current) FROM cat1 WHERE false;
SELECT driftmon.js_divergence_counts('{0,0}', '{1,2}') AS js, driftmon.psi_counts('{}', '{}') AS psi;
SELECT * FROM driftmon.chi2_test_counts('{0,0}', '{1,2}');

-- Disjoint supports: JS = 1, TV = 1, Hellinger = 1.
SELECT driftmon.js_divergence(ARRAY['x','x'], ARRAY['y']) AS js,
       (driftmon.categorical_drift(ARRAY['x','x'], ARRAY['y'])).total_variation AS tv,
       (driftmon.categorical_drift(ARRAY['x','x'], ARRAY['y'])).hellinger AS hellinger;

-- Categories compare bytewise, whatever the collation: 'a', 'A', 'a ' and
-- 'é' (2 bytes) are four categories.  Shares: A 1/3 -> 1/3, a 1/3 -> 1/3,
-- 'a ' 1/3 -> 0, 'é' 0 -> 1/3: the tie of the top mover goes to the
-- smallest by bytes, 'a ' (0x61 0x20) before 'é' (0xc3 0xa9).
SELECT n_categories, '"' || top_mover || '"' AS top_mover,
       round(top_mover_delta::numeric, 10) AS delta
FROM (SELECT (driftmon.categorical_drift(x COLLATE "C", cur)).*
      FROM (VALUES ('a', false), ('A', true), ('a ', false), ('A', false),
                   ('é', true), ('a', true)) v(x, cur)) s;
-- all PSI terms equal ((1/2 - 1e-4) ln 5000): ordered by bytes
SELECT '"' || category || '"' AS category, n_reference, n_current,
       octet_length(category) AS bytes, round(psi_contribution::numeric, 10) AS psi_term
FROM driftmon.category_table((SELECT driftmon.category_counts(x, cur)
      FROM (VALUES ('a', false), ('A', true), ('a ', false), ('é', true)) v(x, cur)));

-- Long strings: 5000-byte categories that differ only in the last byte.
-- Counts by i % 3 = 0, 1, 2: reference (i <= 250) 83, 84, 83; current 117,
-- 116, 117: chi2_contingency -> 0.0137142857, p 0.9931663137, dof 2.
SELECT (c).n_categories, (c).dof, round((c).statistic::numeric, 10) AS statistic,
       round((c).p_value::numeric, 10) AS p_value
FROM (SELECT driftmon.chi2_test(x, cur) c
      FROM (SELECT repeat('x', 4999) || chr(97 + i % 3), i > 250
            FROM generate_series(1, 600) i) v(x, cur)) s;

-- category_counts: text form, round trip, category_table, rollup.
CREATE TABLE cc AS
SELECT driftmon.category_counts(category, is_current) AS s FROM cat1;
SELECT s FROM cc;
SELECT s::text::driftmon.category_counts::text = s::text AS text_round_trip FROM cc;
SELECT category, n_reference, n_current, round(p_reference::numeric, 10) AS p_reference,
       round(p_current::numeric, 10) AS p_current,
       round(psi_contribution::numeric, 10) AS psi_contribution
FROM driftmon.category_table((SELECT s FROM cc));
SELECT driftmon.rollup(s) FROM (SELECT s FROM cc UNION ALL SELECT s FROM cc
                                UNION ALL SELECT NULL) x;
-- rollup then the accessors = the aggregate over the union of the rows
-- (chi2_contingency of the doubled table: 11.5555555556)
SELECT round((driftmon.chi2_test(r)).statistic::numeric, 10) AS statistic,
       (driftmon.categorical_drift(r)).top_mover
FROM (SELECT driftmon.rollup(s) r FROM (SELECT s FROM cc UNION ALL SELECT s FROM cc) x) y;
SELECT round(statistic::numeric, 10) AS statistic
FROM (SELECT (driftmon.chi2_test(category, is_current)).* FROM
      (SELECT * FROM cat1 UNION ALL SELECT * FROM cat1) u) s;
-- an empty side in a summary: proportions and contributions NULL
SELECT * FROM driftmon.category_table('{"version":1,"n_reference":3,"n_current":0,"missing_reference":0,"missing_current":4,"categories":[["a",2,0],["b",1,0]]}');
-- escapes: quotes, backslashes and control characters survive the round trip
SELECT driftmon.category_counts(x, true) AS s
FROM (VALUES (E'q"b\\s\tt'), (E'line\nbreak'), ('ünï')) v(x);
SELECT driftmon.category_counts(x, true)::text::driftmon.category_counts::text
       = driftmon.category_counts(x, true)::text AS escapes_round_trip
FROM (VALUES (E'q"b\\s\tt'), (E'line\nbreak'), ('ünï')) v(x);
-- whitespace and \u escapes are accepted on input; output is canonical
SELECT ' { "version" : 1 , "n_reference" : 1 , "n_current" : 0 , "missing_reference" : 0 , "missing_current" : 0 , "categories" : [ [ "\u0041\/" , 1 , 0 ] ] } '::driftmon.category_counts;
-- binary send: magic 0xc7, version 1, then the big-endian header
SELECT substr(driftmon.category_counts_send(s), 1, 10) FROM cc;

-- Input errors.
SELECT '{"version":2,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":0}'::driftmon.category_counts;
SELECT '{"version":1,"n_current":0,"n_reference":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":-1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":99999999999999999999,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":2,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":2,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["b",1,0],["a",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":2,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",1,0],["a",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",0,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a\q",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["\u0000",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["\u00e9",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["\u00g9",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",1,0] ["b",1,0]]}'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",1,0]]} x'::driftmon.category_counts;
SELECT '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a,1,0]]}'::driftmon.category_counts;
SELECT ''::driftmon.category_counts;
-- rolling up past the range of bigint
SELECT driftmon.rollup(s) FROM (VALUES
  ('{"version":1,"n_reference":9223372036854775807,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",9223372036854775807,0]]}'::driftmon.category_counts),
  ('{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[["a",1,0]]}')) v(s);

-- Histogram and array errors.
SELECT driftmon.js_divergence_counts('{1,2,3}', '{1,2}');
SELECT driftmon.psi_counts('{1,NULL}', '{1,2}');
SELECT driftmon.chi2_test_counts('{1,-2}', '{1,2}');
SELECT driftmon.psi_counts('{1,2}', '{1,NaN}');
SELECT driftmon.psi_counts('{1,Infinity}', '{1,2}');
SELECT driftmon.psi_counts('{1e308,1e308}', '{1,2}');
SELECT driftmon.js_divergence_counts('{{1,2},{3,4}}', '{1,2}');
SELECT driftmon.chi2_test(ARRAY[['a','b'],['c','d']], ARRAY['a']);

-- Parallel aggregation: partial states are serialized, combined and give
-- exactly the serial result.
CREATE TABLE catp AS
SELECT CASE WHEN i % 101 = 0 THEN NULL ELSE 'k' || (i * 7919 % 37) END AS category,
       CASE WHEN i % 211 = 0 THEN NULL ELSE i % 3 = 0 END AS is_current
FROM generate_series(1, 60000) i;
ANALYZE catp;
CREATE TABLE catp_serial AS
SELECT (driftmon.categorical_drift(category, is_current)).*,
       driftmon.category_counts(category, is_current)::text AS counts
FROM catp;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT driftmon.categorical_drift(category, is_current),
       driftmon.category_counts(category, is_current) FROM catp;
SELECT (p.*)::text = (s.*)::text AS parallel_equals_serial, p.n_reference, p.n_current,
       p.missing_reference + p.missing_current AS missing, p.n_categories
FROM (SELECT (driftmon.categorical_drift(category, is_current)).*,
             driftmon.category_counts(category, is_current)::text AS counts
      FROM catp) p, catp_serial s;
EXPLAIN (COSTS OFF)
SELECT driftmon.rollup(c) FROM (SELECT driftmon.category_counts(category, is_current) c
                                FROM catp GROUP BY category) g;
SELECT driftmon.rollup(c)::text = (SELECT counts FROM catp_serial) AS rollup_equals_serial
FROM (SELECT driftmon.category_counts(category, is_current) c FROM catp GROUP BY category) g;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- n_reference: i % 3 != 0 with a flag and a category, by inclusion-exclusion
SELECT count(*) FILTER (WHERE NOT is_current AND category IS NOT NULL) AS n_reference,
       count(*) FILTER (WHERE is_current AND category IS NOT NULL) AS n_current
FROM catp;

DROP TABLE cat1, cc, catp, catp_serial;

-- Nearly identical histograms, N = 10^12: p = (N+1, N)/(2N+1), q = (N, N+1)/(2N+1).
-- With e = 1/(2N+1): KL = e ln(1 + 1/N) = 4.999999999995e-25, PSI = 2 KL,
-- JS = ((1+e) ln(1+e) + (1-e) ln(1-e)) / (2 ln 2) = 1.8033688011094e-25,
-- Hellinger = |sqrt p1 - sqrt q1| = 3.535533905931e-13 (p - q from rounded
-- shares kept 4 digits: KL came out 0, JS 1.80346e-25).
SELECT round((kl_divergence * 1e25)::numeric, 12) AS kl_e25,
       round((psi * 1e25)::numeric, 12) AS psi_e25,
       round((js_divergence * 1e25)::numeric, 12) AS js_e25,
       round((hellinger * 1e13)::numeric, 12) AS hellinger_e13
FROM driftmon.categorical_drift_counts('{1000000000001,1000000000000}', '{1000000000000,1000000000001}');
-- An exact tie of |q - p|: a 5000/5001 -> 1, b 1/5001 -> 0; the first
-- category by bytes wins (rounding made b's move look larger), q - p = 1/5001
SELECT top_mover, round(top_mover_delta::numeric, 15) AS delta
FROM driftmon.categorical_drift_counts('{5000,1}', '{5000,0}', '{a,b}');
SELECT top_mover, round(top_mover_delta::numeric, 15) AS delta
FROM driftmon.categorical_drift('{"version":1,"n_reference":5001,"n_current":5000,"missing_reference":0,"missing_current":0,"categories":[["a",5000,5000],["b",1,0]]}'::driftmon.category_counts);
-- a bin empty on both sides is no category, never the top mover
SELECT top_mover, top_mover_delta FROM driftmon.categorical_drift_counts('{0,5}', '{0,5}', '{x,y}');
-- char(n) loses trailing spaces in the cast to text (one category), varchar keeps them (two)
SELECT driftmon.category_counts(c, f)::text
FROM (VALUES ('a'::char(3), false), ('a  '::char(3), true), ('a'::char(1), true)) v(c, f);
SELECT driftmon.category_counts(c, f)::text
FROM (VALUES ('a'::varchar, false), ('a  '::varchar, true)) v(c, f);
