"""Benchmark cases: the floors, driftmon's aggregates, and what users do today.

Every case is one SQL statement over the table `{t}` (filled in by bench.py).
kind:
  floor     the cost of just reading the rows (sum, GROUP BY count)
  driftmon  a driftmon function; run only when every signature in `requires`
            exists in pg_proc, so the bench works while features land
  sql       the user's way in plain SQL, written as a good SQL user would
  plpy      the user's way in PL/Python: array_agg, then scipy / scikit-learn
  special   needs setup (run_monitor, stored profiles); see bench.py
baselines: the user's-way cases a driftmon case replaces; the ratio column
  compares with the fastest of them measured in the same run.
"""

# Columns of the generated table (see data.sql):
#   value float8, is_current bool, category text (50 skewed categories),
#   y_true/y_pred bool, label_true/label_pred text (5 classes), score float8
#   in (0, 1), reg_y/reg_yhat float8, f1..f6 float8, c1/c2 text, ts timestamptz.

NOTNULL = "value IS NOT NULL AND is_current IS NOT NULL"

CASES = [
    # ---- floors ----------------------------------------------------------
    dict(name="sum_value", kind="floor",
         sql="SELECT sum(value) FROM {t}"),
    # Issue 5 states its targets against sum(score): score sits next to the
    # label columns, so this floor deforms as much of each row as they do.
    dict(name="sum_score", kind="floor",
         sql="SELECT sum(score) FROM {t}"),
    dict(name="groupby_count", kind="floor",
         sql="SELECT category, count(*) FROM {t} GROUP BY category"),

    # ---- driftmon: numeric drift -----------------------------------------
    dict(name="ks_test", kind="driftmon",
         requires=["driftmon.ks_test(float8,boolean)"],
         sql="SELECT driftmon.ks_test(value, is_current) FROM {t}",
         baselines=["sql_ks_window", "plpy_ks_2samp"]),
    dict(name="psi_agg", kind="driftmon",
         requires=["driftmon.psi_agg(float8,boolean)"],
         sql="SELECT driftmon.psi_agg(value, is_current) FROM {t}",
         baselines=["sql_psi_width_bucket", "plpy_psi_numpy"]),
    dict(name="js_divergence", kind="driftmon",
         requires=["driftmon.js_divergence(float8,boolean)"],
         sql="SELECT driftmon.js_divergence(value, is_current) FROM {t}",
         baselines=["sql_js_width_bucket", "plpy_js_scipy"]),
    dict(name="wasserstein_agg", kind="driftmon",
         requires=["driftmon.wasserstein_agg(float8,boolean)"],
         sql="SELECT driftmon.wasserstein_agg(value, is_current) FROM {t}",
         baselines=["plpy_wasserstein_scipy"]),
    dict(name="numeric_drift", kind="driftmon",
         requires=["driftmon.numeric_drift(float8,boolean)"],
         sql="SELECT driftmon.numeric_drift(value, is_current) FROM {t}",
         baselines=["plpy_numeric_drift"]),

    # ---- driftmon: categorical drift -------------------------------------
    dict(name="chi2_test", kind="driftmon",
         requires=["driftmon.chi2_test(text,boolean)"],
         sql="SELECT driftmon.chi2_test(category, is_current) FROM {t}",
         baselines=["sql_categorical_groupby", "plpy_chi2_scipy"]),
    dict(name="js_divergence_cat", kind="driftmon",
         requires=["driftmon.js_divergence(text,boolean)"],
         sql="SELECT driftmon.js_divergence(category, is_current) FROM {t}",
         baselines=["sql_categorical_groupby"]),
    dict(name="categorical_drift", kind="driftmon",
         requires=["driftmon.categorical_drift(text,boolean)"],
         sql="SELECT driftmon.categorical_drift(category, is_current) FROM {t}",
         baselines=["sql_categorical_groupby", "plpy_chi2_scipy"]),

    # ---- driftmon: model quality -----------------------------------------
    dict(name="classification_metrics", kind="driftmon",
         requires=["driftmon.classification_metrics(text,text)"],
         sql="SELECT driftmon.classification_metrics(label_true, label_pred) FROM {t}",
         baselines=["sql_classification", "plpy_sklearn_classification"]),
    dict(name="classification_metrics_bool", kind="driftmon",
         requires=["driftmon.classification_metrics(boolean,boolean)"],
         sql="SELECT driftmon.classification_metrics(y_true, y_pred) FROM {t}",
         baselines=[]),
    dict(name="roc_auc", kind="driftmon",
         requires=["driftmon.roc_auc(float8,boolean)"],
         sql="SELECT driftmon.roc_auc(score, y_true) FROM {t}",
         baselines=["sql_roc_auc", "plpy_sklearn_roc_auc"]),
    dict(name="regression_metrics", kind="driftmon",
         requires=["driftmon.regression_metrics(float8,float8)"],
         sql="SELECT driftmon.regression_metrics(reg_y, reg_yhat) FROM {t}",
         baselines=["sql_regression", "plpy_sklearn_regression"]),

    # ---- driftmon: profiles and monitors ---------------------------------
    dict(name="profile_agg", kind="driftmon",
         requires=["driftmon.profile_agg(float8)"],
         sql="SELECT driftmon.profile_agg(value) FROM {t}",
         baselines=[]),
    # The ten monitored features (7 numeric, 3 categorical) in one SELECT:
    # what run_monitor computes, without the monitor's bookkeeping.
    dict(name="ten_features_select", kind="driftmon",
         requires=["driftmon.numeric_drift(float8,boolean)",
                   "driftmon.categorical_drift(text,boolean)"],
         sql="SELECT " + ", ".join(
             [f"driftmon.numeric_drift({c}, is_current)"
              for c in ("value", "f1", "f2", "f3", "f4", "f5", "f6")]
             + [f"driftmon.categorical_drift({c}, is_current)"
                for c in ("category", "c1", "c2")]) + " FROM {t}",
         baselines=[]),
    dict(name="run_monitor_10", kind="special",
         requires=["driftmon.create_monitor", "driftmon.run_monitor",
                   "driftmon.numeric_drift(float8,boolean)",
                   "driftmon.categorical_drift(text,boolean)"],
         baselines=["ten_features_select"]),
    # The same ten-feature monitor with a stored baseline (save_baseline of
    # the reference half) as reference: the timed run reads only the current
    # half and compares profiles (issue 8).
    dict(name="run_monitor_10_baseline", kind="special",
         requires=["driftmon.create_monitor", "driftmon.run_monitor",
                   "driftmon.save_baseline", "driftmon.profile_drift_history",
                   "driftmon.profile_agg(float8)", "driftmon.profile_agg(text)"],
         baselines=["ten_features_select"]),
    dict(name="profiles_365", kind="special",
         requires=["driftmon.profile_agg(float8)",
                   "driftmon.psi(driftmon.numeric_profile,driftmon.numeric_profile,...)"],
         baselines=[]),

    # ---- the user's way: plain SQL ---------------------------------------
    # KS: empirical CDFs of both samples by window functions over the pooled
    # sort (ties handled by the default RANGE frame), the largest gap, and
    # the asymptotic Kolmogorov p-value as a 100-term series.
    dict(name="sql_ks_window", kind="sql", sql=f"""
WITH n AS (
  SELECT count(*) FILTER (WHERE NOT is_current)::float8 AS n1,
         count(*) FILTER (WHERE is_current)::float8 AS n2
  FROM {{t}} WHERE {NOTNULL}),
e AS (
  SELECT count(*) FILTER (WHERE NOT is_current) OVER w AS cr,
         count(*) FILTER (WHERE is_current) OVER w AS cc
  FROM {{t}} WHERE {NOTNULL}
  WINDOW w AS (ORDER BY value)),
d AS (SELECT max(abs(e.cr / n.n1 - e.cc / n.n2)) AS d, n.n1, n.n2
      FROM e CROSS JOIN n GROUP BY n.n1, n.n2)
SELECT d.d,
       (SELECT least(1.0, greatest(0.0, 2 * sum((-1) ^ (k - 1)
               * exp(-2.0 * k * k * d.d * d.d * d.n1 * d.n2 / (d.n1 + d.n2)))))
        FROM generate_series(1, 100) k
        WHERE 2.0 * k * k * d.d * d.d * d.n1 * d.n2 / (d.n1 + d.n2) < 700) AS p_value
FROM d"""),
    # PSI: reference deciles by percentile_cont, bins by width_bucket,
    # empty bins at 1e-4.
    dict(name="sql_psi_width_bucket", kind="sql", sql="""
WITH edges AS (
  SELECT percentile_cont(ARRAY[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9])
         WITHIN GROUP (ORDER BY value) AS e
  FROM {t} WHERE value IS NOT NULL AND is_current = false),
h AS (
  SELECT width_bucket(t.value, edges.e) AS bin,
         count(*) FILTER (WHERE NOT t.is_current)::float8 AS r,
         count(*) FILTER (WHERE t.is_current)::float8 AS c
  FROM {t} t CROSS JOIN edges
  WHERE t.value IS NOT NULL AND t.is_current IS NOT NULL GROUP BY 1),
p AS (SELECT greatest(r / sum(r) OVER (), 1e-4) AS pr,
             greatest(c / sum(c) OVER (), 1e-4) AS pc FROM h)
SELECT sum((pc - pr) * ln(pc / pr)) FROM p"""),
    # JS on a numeric feature: the same reference-decile bins as PSI
    # (driftmon's js_divergence default), no smoothing, base 2.
    dict(name="sql_js_width_bucket", kind="sql", sql="""
WITH edges AS (
  SELECT percentile_cont(ARRAY[0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9])
         WITHIN GROUP (ORDER BY value) AS e
  FROM {t} WHERE value IS NOT NULL AND is_current = false),
h AS (
  SELECT width_bucket(t.value, edges.e) AS bin,
         count(*) FILTER (WHERE NOT t.is_current)::float8 AS r,
         count(*) FILTER (WHERE t.is_current)::float8 AS c
  FROM {t} t CROSS JOIN edges
  WHERE t.value IS NOT NULL AND t.is_current IS NOT NULL GROUP BY 1),
p AS (SELECT r / sum(r) OVER () AS p, c / sum(c) OVER () AS q FROM h)
SELECT greatest(0.0, sum(CASE WHEN p > 0 THEN 0.5 * p * ln(2 * p / (p + q)) ELSE 0 END
                       + CASE WHEN q > 0 THEN 0.5 * q * ln(2 * q / (p + q)) ELSE 0 END) / ln(2))
FROM p"""),
    # Categorical: one GROUP BY, then chi-square statistic (no p-value: SQL
    # has no chi-square distribution), PSI and JS from the 2 x k table.
    dict(name="sql_categorical_groupby", kind="sql", sql="""
WITH h AS (
  SELECT category,
         count(*) FILTER (WHERE NOT is_current)::float8 AS r,
         count(*) FILTER (WHERE is_current)::float8 AS c
  FROM {t} WHERE category IS NOT NULL AND is_current IS NOT NULL GROUP BY category),
s AS (SELECT sum(r) AS rr, sum(c) AS cc FROM h),
p AS (SELECT h.r, h.c, s.rr, s.cc, h.r / s.rr AS p, h.c / s.cc AS q FROM h CROSS JOIN s)
SELECT sum((r - (r + c) * rr / (rr + cc)) ^ 2 / ((r + c) * rr / (rr + cc))
         + (c - (r + c) * cc / (rr + cc)) ^ 2 / ((r + c) * cc / (rr + cc))) AS chi2,
       count(*) - 1 AS dof,
       sum((greatest(q, 1e-4) - greatest(p, 1e-4)) * ln(greatest(q, 1e-4) / greatest(p, 1e-4))) AS psi,
       greatest(0.0, sum(CASE WHEN p > 0 THEN 0.5 * p * ln(2 * p / (p + q)) ELSE 0 END
                       + CASE WHEN q > 0 THEN 0.5 * q * ln(2 * q / (p + q)) ELSE 0 END) / ln(2)) AS js
FROM p"""),
    # Classification: the confusion matrix by GROUP BY, then accuracy and
    # macro / weighted precision, recall, F1 per class (zero_division = 0).
    dict(name="sql_classification", kind="sql", sql="""
WITH cm AS (
  SELECT label_true AS t, label_pred AS p, count(*)::float8 AS n
  FROM {t} WHERE label_true IS NOT NULL AND label_pred IS NOT NULL GROUP BY 1, 2),
cls AS (SELECT t AS l FROM cm UNION SELECT p FROM cm),
pc AS (
  SELECT cls.l,
         coalesce(sum(cm.n) FILTER (WHERE cm.t = cls.l AND cm.p = cls.l), 0) AS tp,
         coalesce(sum(cm.n) FILTER (WHERE cm.t = cls.l), 0) AS sup,
         coalesce(sum(cm.n) FILTER (WHERE cm.p = cls.l), 0) AS pred
  FROM cls CROSS JOIN cm GROUP BY cls.l),
m AS (
  SELECT tp, sup,
         CASE WHEN pred > 0 THEN tp / pred ELSE 0 END AS pr,
         CASE WHEN sup > 0 THEN tp / sup ELSE 0 END AS re
  FROM pc),
f AS (SELECT tp, sup, pr, re, CASE WHEN pr + re > 0 THEN 2 * pr * re / (pr + re) ELSE 0 END AS f1 FROM m)
SELECT sum(tp) / sum(sup) AS accuracy, avg(re) AS balanced_accuracy,
       avg(pr) AS precision_macro, avg(re) AS recall_macro, avg(f1) AS f1_macro,
       sum(pr * sup) / sum(sup) AS precision_weighted, sum(f1 * sup) / sum(sup) AS f1_weighted
FROM f"""),
    # ROC AUC: group by score (ties get half credit), then running count of
    # negatives below each score over the sorted groups.
    dict(name="sql_roc_auc", kind="sql", sql="""
WITH g AS (
  SELECT score, count(*) FILTER (WHERE y_true)::float8 AS pos,
         count(*) FILTER (WHERE NOT y_true)::float8 AS neg
  FROM {t} WHERE score IS NOT NULL AND y_true IS NOT NULL GROUP BY score),
c AS (SELECT pos, neg, coalesce(sum(neg) OVER (ORDER BY score
              ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS neg_below FROM g)
SELECT sum(pos * (neg_below + neg / 2)) / (sum(pos) * sum(neg)) FROM c"""),
    dict(name="sql_regression", kind="sql", sql="""
SELECT count(*) AS n, avg(abs(reg_y - reg_yhat)) AS mae, avg((reg_y - reg_yhat) ^ 2) AS mse,
       sqrt(avg((reg_y - reg_yhat) ^ 2)) AS rmse,
       avg(abs(reg_y - reg_yhat) / greatest(abs(reg_y), 2.220446049250313e-16)) AS mape,
       1 - sum((reg_y - reg_yhat) ^ 2) / (var_pop(reg_y) * count(*)) AS r2,
       avg(reg_yhat - reg_y) AS mean_error, max(abs(reg_y - reg_yhat)) AS max_error
FROM {t} WHERE reg_y IS NOT NULL AND reg_yhat IS NOT NULL"""),

    # ---- the user's way: PL/Python on array_agg --------------------------
    dict(name="plpy_ks_2samp", kind="plpy", sql=f"""
SELECT bench.py_ks(array_agg(value) FILTER (WHERE NOT is_current),
                   array_agg(value) FILTER (WHERE is_current))
FROM {{t}} WHERE {NOTNULL}"""),
    dict(name="plpy_psi_numpy", kind="plpy", sql=f"""
SELECT bench.py_psi(array_agg(value) FILTER (WHERE NOT is_current),
                    array_agg(value) FILTER (WHERE is_current))
FROM {{t}} WHERE {NOTNULL}"""),
    dict(name="plpy_js_scipy", kind="plpy", sql=f"""
SELECT bench.py_js(array_agg(value) FILTER (WHERE NOT is_current),
                   array_agg(value) FILTER (WHERE is_current))
FROM {{t}} WHERE {NOTNULL}"""),
    dict(name="plpy_wasserstein_scipy", kind="plpy", sql=f"""
SELECT bench.py_wasserstein(array_agg(value) FILTER (WHERE NOT is_current),
                            array_agg(value) FILTER (WHERE is_current))
FROM {{t}} WHERE {NOTNULL}"""),
    dict(name="plpy_numeric_drift", kind="plpy", sql=f"""
SELECT bench.py_numeric_drift(array_agg(value) FILTER (WHERE NOT is_current),
                              array_agg(value) FILTER (WHERE is_current))
FROM {{t}} WHERE {NOTNULL}"""),
    dict(name="plpy_chi2_scipy", kind="plpy", sql="""
SELECT bench.py_chi2(array_agg(category) FILTER (WHERE NOT is_current),
                     array_agg(category) FILTER (WHERE is_current))
FROM {t} WHERE category IS NOT NULL AND is_current IS NOT NULL"""),
    dict(name="plpy_sklearn_classification", kind="plpy", sql="""
SELECT bench.py_classification(array_agg(label_true), array_agg(label_pred))
FROM {t} WHERE label_true IS NOT NULL AND label_pred IS NOT NULL"""),
    dict(name="plpy_sklearn_roc_auc", kind="plpy", sql="""
SELECT bench.py_roc_auc(array_agg(y_true), array_agg(score))
FROM {t} WHERE score IS NOT NULL AND y_true IS NOT NULL"""),
    dict(name="plpy_sklearn_regression", kind="plpy", sql="""
SELECT bench.py_regression(array_agg(reg_y), array_agg(reg_yhat))
FROM {t} WHERE reg_y IS NOT NULL AND reg_yhat IS NOT NULL"""),
]

BY_NAME = {c["name"]: c for c in CASES}

# Targets from the feature issues: (issue, text, case, reference, factor).
# reference "sum_value" / "groupby_count": case time <= factor x that floor;
# reference "user": case time <= factor x each of its user's-way baselines.
TARGETS = [
    (3, "ks_test within 3x sum(value)", "ks_test", "sum_value", 3.0),
    (3, "psi_agg within 2x sum(value)", "psi_agg", "sum_value", 2.0),
    (3, "ks_test >= 10x faster than plain SQL and PL/Python-scipy", "ks_test", "user", 0.1),
    (3, "psi_agg >= 10x faster than plain SQL and PL/Python", "psi_agg", "user", 0.1),
    (4, "categorical_drift within 2x GROUP BY count", "categorical_drift", "groupby_count", 2.0),
    (5, "classification_metrics within 2x sum(score)", "classification_metrics", "sum_score", 2.0),
    (5, "roc_auc within 3x sum(score)", "roc_auc", "sum_score", 3.0),
    (6, "ten-feature run_monitor within 5x sum()", "run_monitor_10", "sum_value", 5.0),
    (6, "ten-feature run_monitor against a stored baseline within 5x sum()",
     "run_monitor_10_baseline", "sum_value", 5.0),
    (8, "profile_agg within 2x sum(value)", "profile_agg", "sum_value", 2.0),
    (8, "365 stored daily profiles vs a baseline under 100 ms", "profiles_365", "abs", 0.1),
]

# Same answer?  (driftmon case, field, baseline case, field, what): the first
# row of each case's result is kept; field = index into the composite's
# fields / the row's columns / the PL/Python array (column 0).  Reported in
# the "Agreement" list, so a fast baseline that computes something else
# would show.  Bin edges: driftmon's quantile rule vs percentile_cont /
# np.quantile may put a value on the other side of an edge.
AGREEMENT = [
    ("ks_test", 0, "sql_ks_window", 0, "KS statistic"),
    ("ks_test", 0, "plpy_ks_2samp", 0, "KS statistic"),
    ("ks_test", 1, "plpy_ks_2samp", 1, "KS p-value"),
    ("psi_agg", 0, "sql_psi_width_bucket", 0, "PSI"),
    ("psi_agg", 0, "plpy_psi_numpy", 0, "PSI"),
    ("js_divergence", 0, "sql_js_width_bucket", 0, "JS divergence"),
    ("js_divergence", 0, "plpy_js_scipy", 0, "JS divergence"),
    ("wasserstein_agg", 0, "plpy_wasserstein_scipy", 0, "Wasserstein"),
    ("numeric_drift", 20, "plpy_numeric_drift", 0, "KS statistic"),
    ("numeric_drift", 24, "plpy_numeric_drift", 2, "Wasserstein"),
    ("chi2_test", 0, "sql_categorical_groupby", 0, "chi-square statistic"),
    ("chi2_test", 1, "plpy_chi2_scipy", 1, "chi-square p-value"),
    ("js_divergence_cat", 0, "sql_categorical_groupby", 3, "JS divergence (categories)"),
    ("categorical_drift", 8, "sql_categorical_groupby", 2, "PSI (categories)"),
    ("classification_metrics", 2, "sql_classification", 0, "accuracy"),
    ("classification_metrics", 6, "sql_classification", 4, "F1 macro"),
    ("classification_metrics", 6, "plpy_sklearn_classification", 4, "F1 macro"),
    ("classification_metrics", 13, "plpy_sklearn_classification", 11, "MCC"),
    ("roc_auc", 0, "sql_roc_auc", 0, "ROC AUC"),
    ("roc_auc", 0, "plpy_sklearn_roc_auc", 0, "ROC AUC"),
    ("regression_metrics", 1, "sql_regression", 1, "MAE"),
    ("regression_metrics", 5, "plpy_sklearn_regression", 4, "R2"),
]
