-- quality: classification metrics, the confusion type, score and regression
-- aggregates.  Expected numbers are hand-computed or from scikit-learn 1.2.1
-- (noted per query); values are rounded to 12 decimals.
\set VERBOSITY default
SET extra_float_digits = 0;

-- 1. Text labels.  y_true a a b c c c, y_pred a b b a c c, one NULL row.
-- Per class (P, R, F1, support): a (1/2, 1/2, 1/2, 2), b (1/2, 1, 2/3, 1),
-- c (1, 2/3, 4/5, 3).  accuracy 4/6; balanced (1/2 + 1 + 2/3)/3 = 13/18;
-- macro P 2/3, R 13/18, F (1/2 + 2/3 + 4/5)/3 = 59/90; weighted P 4.5/6,
-- R 4/6, F (1 + 2/3 + 12/5)/6 = 61/90; MCC and kappa from sklearn.
CREATE TEMP TABLE clf (y text, p text);
INSERT INTO clf VALUES ('a','a'), ('a','b'), ('b','b'), ('c','a'), ('c','c'),
  ('c','c'), (NULL,'a'), ('b', NULL);
SELECT n, n_classes, round(accuracy::numeric, 12) AS acc,
       round(balanced_accuracy::numeric, 12) AS bal,
       round(precision_macro::numeric, 12) AS p_ma, round(recall_macro::numeric, 12) AS r_ma,
       round(f1_macro::numeric, 12) AS f_ma,
       round(precision_weighted::numeric, 12) AS p_w, round(recall_weighted::numeric, 12) AS r_w,
       round(f1_weighted::numeric, 12) AS f_w,
       round(precision_micro::numeric, 12) AS p_mi, round(recall_micro::numeric, 12) AS r_mi,
       round(f1_micro::numeric, 12) AS f_mi,
       round(matthews_corrcoef::numeric, 12) AS mcc, round(cohen_kappa::numeric, 12) AS kappa,
       precision, recall, f1, specificity, n_skipped
FROM (SELECT (driftmon.classification_metrics(y, p)).* FROM clf) s;

-- the two-step form: the summary's text form, accessors, report, matrix
SELECT driftmon.confusion_agg(y, p) FROM clf;
SELECT round(driftmon.accuracy(c)::numeric, 12) AS acc,
       round(driftmon.precision(c)::numeric, 12) AS p_macro,
       round(driftmon.recall(c)::numeric, 12) AS r_macro,
       round(driftmon.f1(c)::numeric, 12) AS f_macro,
       driftmon.precision(c, 'b') AS p_b, round(driftmon.recall(c, 'c')::numeric, 12) AS r_c,
       driftmon.f1(c, 'a') AS f_a, driftmon.f1(c, 'zz') AS f_absent
FROM (SELECT driftmon.confusion_agg(y, p) c FROM clf) s;
SELECT label, round(precision::numeric, 12) AS precision, round(recall::numeric, 12) AS recall,
       round(f1::numeric, 12) AS f1, support
FROM driftmon.classification_report((SELECT driftmon.confusion_agg(y, p) FROM clf));
SELECT * FROM driftmon.confusion_matrix((SELECT driftmon.confusion_agg(y, p) FROM clf));
SELECT (driftmon.classification_metrics(c)).n_classes,
       round((driftmon.classification_metrics(c)).f1_macro::numeric, 12) AS f1_macro
FROM (SELECT driftmon.confusion_agg(y, p) c FROM clf) s;

-- text labels sort bytewise: 'B' < 'a' < 'b' < 'é'
SELECT driftmon.confusion_agg(y, p)
FROM (VALUES ('é','a'), ('b','B'), ('a','a')) v(y, p);

-- 2. bigint labels sort numerically (-1 < 2 < 10), not as text
SELECT driftmon.confusion_agg(y, p)
FROM (VALUES (10::bigint, 2::bigint), (2, 2), (-1, 10), (-1, -1)) v(y, p);
SELECT driftmon.recall(driftmon.confusion_agg(y, p), '-1') AS r_minus1,
       driftmon.recall(driftmon.confusion_agg(y, p), '7') AS r_absent
FROM (VALUES (10::bigint, 2::bigint), (2, 2), (-1, 10), (-1, -1)) v(y, p);
SELECT driftmon.recall(driftmon.confusion_agg(y, p), 'ten')
FROM (VALUES (10::bigint, 2::bigint)) v(y, p);

-- 3. boolean labels: the positive class is true.
-- y T T T F F F F, p T T F T F F F: tp 2, fn 1, fp 1, tn 3.
-- precision 2/3, recall 2/3, f1 2/3, specificity 3/4, accuracy 5/7,
-- MCC (2*3 - 1*1)/sqrt(3*4*3*4) = 5/12, kappa = 1 - (2/7)/(24/49) = 5/12.
SELECT n, n_classes, round(accuracy::numeric, 12) AS acc,
       round(precision::numeric, 12) AS p, round(recall::numeric, 12) AS r,
       round(f1::numeric, 12) AS f1, specificity,
       round(matthews_corrcoef::numeric, 12) AS mcc, round(cohen_kappa::numeric, 12) AS kappa
FROM (SELECT (driftmon.classification_metrics(y, p)).*
      FROM (VALUES (true,true), (true,true), (true,false), (false,true),
                   (false,false), (false,false), (false,false)) v(y, p)) s;
SELECT driftmon.precision(driftmon.confusion_agg(y, p), 'true') AS p_true,
       driftmon.precision(driftmon.confusion_agg(y, p), 'false') AS p_false,
       driftmon.confusion_agg(y, p)
FROM (VALUES (true,true), (false,true), (false,false)) v(y, p);

-- 4. a single class: MCC 0 (sklearn), kappa undefined (sklearn NaN -> NULL),
-- balanced accuracy 1; a class only in y_pred is excluded from balanced
-- accuracy (recall of 'a' = 1/2, class 'b' absent from y_true).
SELECT n, n_classes, accuracy, balanced_accuracy, f1_macro, matthews_corrcoef, cohen_kappa
FROM (SELECT (driftmon.classification_metrics(y, p)).*
      FROM (VALUES ('a','a'), ('a','a')) v(y, p)) s;
SELECT n, n_classes, accuracy, balanced_accuracy, precision_macro, recall_macro,
       matthews_corrcoef, cohen_kappa
FROM (SELECT (driftmon.classification_metrics(y, p)).*
      FROM (VALUES ('a','a'), ('a','b')) v(y, p)) s;

-- 5. no row: NULL; only NULL rows: n = 0, metrics NULL, n_skipped counted
SELECT driftmon.classification_metrics(y, p) IS NULL AS no_rows
FROM (SELECT 'a'::text y, 'b'::text p WHERE false) s;
SELECT n, n_classes, accuracy, cohen_kappa, n_skipped
FROM (SELECT (driftmon.classification_metrics(y, p)).*
      FROM (VALUES (NULL::bigint, 1::bigint), (2, NULL)) v(y, p)) s;
SELECT c, driftmon.accuracy(c), driftmon.f1(c),
       (SELECT count(*) FROM driftmon.classification_report(c)) AS report_rows
FROM (SELECT driftmon.confusion_agg(y, p) c
      FROM (VALUES (NULL::boolean, true)) v(y, p)) s;

-- 6. rollup: daily summaries merged into one, equal to one aggregate
CREATE TEMP TABLE daily AS
SELECT d, driftmon.confusion_agg(y, p) c
FROM (VALUES (1,'a','a'), (1,'a','b'), (2,'b','b'), (2,'c','a'), (3,'c','c'),
             (3,'c','c'), (3,NULL,'a'), (2,'b',NULL)) v(d, y, p)
GROUP BY d;
SELECT driftmon.rollup(c)::text = (SELECT driftmon.confusion_agg(y, p)::text FROM clf) AS same
FROM daily;
SELECT driftmon.rollup(c) FROM daily WHERE false;
SELECT driftmon.rollup(c)
FROM (SELECT driftmon.confusion_agg(y, p) c FROM clf
      UNION ALL SELECT NULL
      UNION ALL SELECT driftmon.confusion_agg(y, p) FROM clf) s;
-- mixing label kinds is refused
SELECT driftmon.rollup(c)
FROM (SELECT driftmon.confusion_agg(y, p) c FROM clf
      UNION ALL SELECT driftmon.confusion_agg(1::bigint, 1::bigint)) s;

-- 7. type I/O: round trip, whitespace, escapes, every input error
SELECT c::text::driftmon.confusion::text = c::text AS round_trip
FROM (SELECT driftmon.confusion_agg(y, p) c FROM clf) s;
SELECT ' { "version" : 1 , "kind" : "text" , "skipped" : 2 , "labels" : [ "x\"y" , "\u00e9\n" ] , "cells" : [ [0,1,3] , [1,0,1] ] } '::driftmon.confusion;
SELECT '{"version":1,"kind":"boolean","skipped":0,"labels":[],"cells":[]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"boolean","skipped":0,"labels":[false,true],"cells":[[0,1,1],[1,1,5]]}'::driftmon.confusion;
SELECT '{"version":2,"kind":"text","skipped":0,"labels":[],"cells":[]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"float","skipped":0,"labels":[],"cells":[]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,0,1]]'::driftmon.confusion;
SELECT '{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,0,1]]} x'::driftmon.confusion;
SELECT '{"version":1,"kind":"text","skipped":-1,"labels":[],"cells":[]}'::driftmon.confusion;
-- labels out of order (a dump from a database in another encoding) are sorted:
-- true "b", predicted "a" becomes cell [1,0,1] under labels ["a","b"]
SELECT '{"version":1,"kind":"text","skipped":0,"labels":["b","a"],"cells":[[0,1,1]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[3,3],"cells":[[0,1,1]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[1,2],"cells":[[0,2,1]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[1,2],"cells":[[0,1,0]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[1,2,3],"cells":[[0,1,4]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[1,2],"cells":[[1,0,1],[0,1,1]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[1,2],"cells":[[0,1,9223372036854775807],[1,1,1]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"bigint","skipped":0,"labels":[99999999999999999999],"cells":[]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"boolean","skipped":0,"labels":[yes],"cells":[]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"text","skipped":0,"labels":["\u0000"],"cells":[[0,0,1]]}'::driftmon.confusion;
SELECT '{"version":1,"kind":"text","skipped":0,"labels":["\q"],"cells":[[0,0,1]]}'::driftmon.confusion;

-- 8. scores: pos {0.4, 0.8}, neg {0.1, 0.35, 0.4}.  AUC: (3 + 2 + 1/2)/6
-- = 11/12.  AP: threshold 0.8: R 1/2, P 1; 0.4: R 1, P 2/3 -> 1/2 + 1/3.
-- log loss: -(ln .9 + ln .4 + ln .65 + ln .8 + ln .6)/5; Brier:
-- (.01 + .36 + .1225 + .04 + .16)/5 = 0.1385.
CREATE TEMP TABLE sc (s float8, y boolean);
INSERT INTO sc VALUES (0.1,false), (0.4,true), (0.35,false), (0.8,true), (0.4,false),
  (NULL,true), (0.3,NULL);
SELECT round(driftmon.roc_auc(s, y)::numeric, 12) AS auc,
       round(driftmon.average_precision(s, y)::numeric, 12) AS ap,
       round(driftmon.log_loss(s, y)::numeric, 12) AS ll,
       round(driftmon.brier_score(s, y)::numeric, 12) AS brier
FROM sc;
-- threshold 0.5: pred T only for 0.8 -> tp 1, fn 1, fp 0, tn 3
SELECT n, n_positive, round(roc_auc::numeric, 12) AS auc, round(average_precision::numeric, 12) AS ap,
       round(log_loss::numeric, 12) AS ll, round(brier_score::numeric, 12) AS brier,
       accuracy, precision, recall, round(f1::numeric, 12) AS f1, specificity, n_skipped
FROM (SELECT (driftmon.binary_metrics(y, s)).* FROM sc) r;
-- threshold 0.4 (score >= threshold predicts true): tp 2, fp 1, tn 2
SELECT accuracy, round(precision::numeric, 12) AS precision, recall, round(f1::numeric, 12) AS f1,
       round(specificity::numeric, 12) AS specificity
FROM (SELECT (driftmon.binary_metrics(y, s, 0.4)).* FROM sc) r;
-- log loss clips at float64 eps: -ln(eps) = 36.04365338911715
SELECT round(driftmon.log_loss(p, y)::numeric, 10) AS ll
FROM (VALUES (0.0::float8, true), (1.0, false)) v(p, y);
-- all ties: AUC 1/2, AP = prevalence 1/4
SELECT driftmon.roc_auc(s, y), driftmon.average_precision(s, y)
FROM (VALUES (0.5::float8, true), (0.5, false), (0.5, false), (0.5, false)) v(s, y);
-- infinite scores rank normally
SELECT driftmon.roc_auc(s, y)
FROM (VALUES ('-Infinity'::float8, false), ('Infinity', true), (0, false)) v(s, y);
-- one class: NULL with a NOTICE; no rows: NULL silently
SELECT driftmon.roc_auc(s, y), driftmon.average_precision(s, y)
FROM (VALUES (0.2::float8, true), (0.7, true)) v(s, y);
SELECT n, n_positive, roc_auc, average_precision, round(log_loss::numeric, 12) AS ll, accuracy
FROM (SELECT (driftmon.binary_metrics(y, s)).*
      FROM (VALUES (true, 0.9::float8), (true, 0.3)) v(y, s)) r;
SELECT driftmon.roc_auc(s, y), driftmon.log_loss(s, y), driftmon.binary_metrics(y, s)
FROM sc WHERE false;
-- unbounded scores in binary_metrics: log loss and Brier are NULL (NOTICE)
SELECT n, roc_auc, log_loss, brier_score, accuracy
FROM (SELECT (driftmon.binary_metrics(y, s, 0)).*
      FROM (VALUES (false, -2.5::float8), (true, 3.0), (false, 0.5)) v(y, s)) r;
-- errors
SELECT driftmon.roc_auc(s, y) FROM (VALUES ('NaN'::float8, true)) v(s, y);
SELECT driftmon.log_loss(p, y) FROM (VALUES (1.5::float8, true)) v(p, y);
SELECT driftmon.brier_score(p, y) FROM (VALUES (-0.25::float8, true)) v(p, y);
SELECT driftmon.log_loss(p, y) FROM (VALUES ('NaN'::float8, true)) v(p, y);
SELECT driftmon.binary_metrics(y, s, NULL) FROM sc;
SELECT driftmon.binary_metrics(y, s, t)
FROM (VALUES (true, 0.5::float8, 0.5::float8), (false, 0.2, 0.6)) v(y, s, t);
SELECT driftmon.binary_metrics(y, s) FROM (VALUES (true, 'NaN'::float8)) v(y, s);

-- 9. regression: sklearn's docstring example y_true 3 -0.5 2 7, y_pred
-- 2.5 0 2 8: MAE 0.5, MSE 0.375, MAPE (1/6 + 1 + 0 + 1/7)/4, r2 = 1 - 1.5/29.1875,
-- mean_error (-0.5 + 0.5 + 0 + 1)/4 = 0.25, max_error 1.
SELECT n, mae, mse, round(rmse::numeric, 12) AS rmse, round(mape::numeric, 12) AS mape,
       round(r2::numeric, 12) AS r2, mean_error, max_error, n_skipped
FROM (SELECT (driftmon.regression_metrics(y, p)).*
      FROM (VALUES (3::float8, 2.5::float8), (-0.5, 0), (2, 2), (7, 8), (NULL, 1), (1, NULL)) v(y, p)) r;
-- constant y_true: r2 1 when perfect, 0 otherwise (force_finite); one row: r2 NULL;
-- y_true = 0: MAPE divides by eps (1/2.220446049250313e-16 = 4503599627370496)
SELECT (driftmon.regression_metrics(y, p)).r2
FROM (VALUES (4::float8, 4::float8), (4, 4), (4, 4)) v(y, p);
SELECT (driftmon.regression_metrics(y, p)).r2
FROM (VALUES (4::float8, 4::float8), (4, 5), (4, 4)) v(y, p);
-- constant 0.1 (not exact in binary): still exactly constant here, r2 0;
-- sklearn 1.2.1 sees a rounding residue of its mean and returns -1.7e33
SELECT (driftmon.regression_metrics(y, p)).r2
FROM (VALUES (0.1::float8, 1.1::float8), (0.1, 0.1), (0.1, 0.1)) v(y, p);
SELECT n, mae, r2, mape
FROM (SELECT (driftmon.regression_metrics(y, p)).* FROM (VALUES (0::float8, 1::float8)) v(y, p)) r;
SELECT driftmon.regression_metrics(y, p) IS NULL AS no_rows
FROM (VALUES (0::float8, 1::float8)) v(y, p) WHERE false;
SELECT driftmon.regression_metrics(y, p) FROM (VALUES (1::float8, 'NaN'::float8)) v(y, p);
SELECT driftmon.regression_metrics(y, p) FROM (VALUES ('-Infinity'::float8, 1::float8)) v(y, p);
-- y_true 0 and 2e154: SST = 2e308 overflows; errors 1e150 (SSE 2e300) are far
-- too large for r2 = 1 - SSE/SST to round to 1: r2 out of range, and the
-- detail names the spread of y_true, not the errors
SELECT driftmon.regression_metrics(y, p)
FROM (VALUES (0::float8, 1e150::float8), (2e154, 2e154 + 1e150)) v(y, p);

-- 10. forced parallel plans give the serial results
CREATE TABLE qpar AS
SELECT g, ('c' || (g * 7919 % 13))::text AS y,
       ('c' || ((g * 7919 % 13) + (g % 5 = 0)::int))::text AS p,
       ((g * 7919 % 13) + (g % 3))::float8 / 17 AS s,
       (g % 4 = 0) AS lab,
       sin(g) * 10 AS yt, sin(g) * 10 + cos(g * 3) AS yp
FROM generate_series(1, 60000) g;
ANALYZE qpar;
CREATE TEMP TABLE serial AS
SELECT driftmon.classification_metrics(y, p)::text AS cm,
       driftmon.confusion_agg(y, p)::text AS conf,
       driftmon.roc_auc(s, lab) AS auc, driftmon.average_precision(s, lab) AS ap,
       driftmon.log_loss(s / 2, lab) AS ll, driftmon.brier_score(s / 2, lab) AS br,
       driftmon.binary_metrics(lab, s)::text AS bm,
       driftmon.regression_metrics(yt, yp) AS rm
FROM qpar;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT driftmon.classification_metrics(y, p), driftmon.confusion_agg(y, p),
       driftmon.roc_auc(s, lab), driftmon.binary_metrics(lab, s),
       driftmon.regression_metrics(yt, yp)
FROM qpar;
-- the same aggregates, parallel, compared with the serial results
EXPLAIN (COSTS OFF)
SELECT driftmon.classification_metrics(y, p)::text = (SELECT cm FROM serial)
FROM qpar;
SELECT driftmon.classification_metrics(y, p)::text = (SELECT cm FROM serial) AS cm_same,
       driftmon.confusion_agg(y, p)::text = (SELECT conf FROM serial) AS conf_same,
       driftmon.roc_auc(s, lab) = (SELECT auc FROM serial) AS auc_same,
       driftmon.average_precision(s, lab) = (SELECT ap FROM serial) AS ap_same,
       abs(driftmon.log_loss(s / 2, lab) / (SELECT ll FROM serial) - 1) < 1e-14 AS ll_close,
       abs(driftmon.brier_score(s / 2, lab) / (SELECT br FROM serial) - 1) < 1e-14 AS br_close,
       driftmon.binary_metrics(lab, s)::text = (SELECT bm FROM serial) AS bm_same,
       (driftmon.regression_metrics(yt, yp)).n = (SELECT (rm).n FROM serial) AS n_same,
       (driftmon.regression_metrics(yt, yp)).max_error = (SELECT (rm).max_error FROM serial) AS max_same,
       abs((driftmon.regression_metrics(yt, yp)).r2 - (SELECT (rm).r2 FROM serial)) < 1e-14 AS r2_close,
       abs((driftmon.regression_metrics(yt, yp)).mse / (SELECT (rm).mse FROM serial) - 1) < 1e-14 AS mse_close,
       abs((driftmon.regression_metrics(yt, yp)).mape / (SELECT (rm).mape FROM serial) - 1) < 1e-14 AS mape_close
FROM qpar;
-- rollup in parallel over stored summaries
CREATE TABLE qdaily AS
SELECT g % 500 AS d, driftmon.confusion_agg(g % 3, g % 4) c FROM qpar GROUP BY g % 500;
ANALYZE qdaily;
EXPLAIN (COSTS OFF) SELECT driftmon.rollup(c) FROM qdaily;
SELECT driftmon.rollup(c)::text = (SELECT driftmon.confusion_agg(g % 3, g % 4)::text FROM qpar) AS same
FROM qdaily;
SELECT driftmon.confusion_agg(lab, g % 3 = 0) FROM qpar;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
DROP TABLE qpar, qdaily;
