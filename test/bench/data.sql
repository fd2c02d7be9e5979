-- test/bench/data.sql: the benchmark table, {n} rows, generated in SQL.
-- bench.py substitutes {t} (table name), {n} (rows) and {seed}.
--
-- Rows 0 .. n/2-1 are the reference window (is_current false, ts on
-- 2026-01-01), the rest the current window (is_current true, ts on
-- 2026-01-02), so a monitor with a 1-day window ending 2026-01-03 and the
-- reference range [2026-01-01, 2026-01-02) sees exactly the two halves.
--   value        reference ~ N(0, 1), current ~ N(0.1, 1.05^2)
--   category     50 categories, skewed (cat_00 most frequent), skew shifts
--   y_true       boolean label, 30% positive; score in (0, 1) a noisy
--                logistic of it; y_pred = score > 0.5
--   label_true / label_pred  5 classes, skewed; prediction right ~70%
--   reg_y / reg_yhat         regression target and prediction
--   f1..f6       more numeric features (log-normal, uniform, integer-valued
--                and heavily tied, normal, product, exponential)
--   c1, c2       more categorical features (4 and 200 categories)
-- ten monitored features: value, f1..f6 (numeric), category, c1, c2.
SELECT setseed({seed});
DROP TABLE IF EXISTS {t};
CREATE UNLOGGED TABLE {t} AS
SELECT id,
       timestamptz '2026-01-01 00:00:00+00'
         + (id::float8 / {n}) * interval '2 days' AS ts,
       cur AS is_current,
       CASE WHEN cur THEN 0.1 + 1.05 * z1 ELSE z1 END AS value,
       'cat_' || lpad(least(49, floor(50 * power(u1, CASE WHEN cur THEN 1.8 ELSE 2.0 END)))::int::text, 2, '0') AS category,
       yt AS y_true,
       (s > 0.5) AS y_pred,
       s AS score,
       lt AS label_true,
       CASE WHEN u3 < 0.7 THEN lt ELSE 'class_' || least(4, floor(5 * u4))::int END AS label_pred,
       10 + 3 * z2 AS reg_y,
       10 + 3 * z2 + 0.5 * z3 AS reg_yhat,
       exp(z2 + CASE WHEN cur THEN 0.05 ELSE 0 END) AS f1,
       100 * u5 AS f2,
       round(10 * z3) AS f3,
       z3 + CASE WHEN cur THEN 0.02 ELSE 0 END AS f4,
       z1 * z3 AS f5,
       -ln(1 - u6) AS f6,
       'dev_' || least(3, floor(4 * u6))::int AS c1,
       'reg_' || least(199, floor(200 * power(u2, 3)))::int AS c2
FROM (
  SELECT id, cur, z1, z2, z3, u1, u2, u3, u4, u5, u6, yt, lt,
         1 / (1 + exp(-(CASE WHEN yt THEN 1.0 ELSE -1.0 END + 1.2 * z2))) AS s
  FROM (
    SELECT id,
           id >= {n} / 2 AS cur,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z1,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z2,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z3,
           random() AS u1, random() AS u2, random() AS u3,
           random() AS u4, random() AS u5, random() AS u6,
           random() < 0.3 AS yt,
           'class_' || least(4, floor(5 * power(random(), 1.5)))::int AS lt
    FROM generate_series(0, {n} - 1) AS id
    OFFSET 0) r
  OFFSET 0) s;
VACUUM ANALYZE {t};
