-- test/demo/data.sql: a deterministic sample inference log of a fraud model.
--
-- 30 days from 2026-10-01 at 3,000 predictions a day.  Features of mixed
-- types; a score, a predicted class and a label that arrives two days late
-- (NULL for the last two days).  From day 20 (2026-10-21) on:
--   * income is 35% higher and avg_transaction heavier-tailed (numeric drift),
--   * a new region 'apac' takes 15% of traffic (categorical drift, unseen),
--   * the score gets much noisier (quality drops: AUC and F1 fall).
-- Everything else is stationary, so a correct monitor flags exactly those.

SELECT setseed(0.2026);

CREATE TABLE public.fraud_predictions (
    id                bigserial PRIMARY KEY,
    logged_at         timestamptz NOT NULL,
    age               integer,
    income            double precision,
    credit_score      integer,
    num_purchases     integer,
    account_age_days  integer,
    avg_transaction   double precision,
    region            text,
    device            text,
    is_premium        boolean,
    merchant_category text,
    score             double precision,
    predicted         boolean,
    is_fraud          boolean
);
COMMENT ON TABLE public.fraud_predictions IS 'driftmon demo: one row per prediction of a fraud model';

WITH draws AS (
    SELECT g,
           g / 3000 AS day,
           timestamptz '2026-10-01 00:00:00+00'
             + (g / 3000) * interval '1 day'
             + (g % 3000) * interval '28.8 seconds' AS ts,
           -- standard normals by Box-Muller from independent uniforms
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z1,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z2,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z3,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z4,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z5,
           sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z6,
           random() AS u1, random() AS u2, random() AS u3,
           random() AS u4, random() AS u5, random() AS u6, random() AS u7
    FROM generate_series(0, 30 * 3000 - 1) AS g
), features AS (
    SELECT g, day, ts,
           least(90, greatest(18, round(41 + 12 * z1)))::int AS age,
           exp(10.8 + 0.5 * z2) * CASE WHEN day >= 20 THEN 1.35 ELSE 1 END AS income,
           least(850, greatest(300, round(680 + 60 * z3)))::int AS credit_score,
           floor(-ln(1 - u1) * 8)::int AS num_purchases,
           floor(u2 * 3000)::int AS account_age_days,
           exp(3.5 + 0.8 * z4 + CASE WHEN day >= 20 THEN 0.5 * abs(z5) ELSE 0 END) AS avg_transaction,
           CASE WHEN day >= 20 AND u3 < 0.15 THEN 'apac'
                WHEN u3 < 0.40 THEN 'north'
                WHEN u3 < 0.65 THEN 'south'
                WHEN u3 < 0.85 THEN 'east'
                ELSE 'west' END AS region,
           CASE WHEN u4 < 0.45 THEN 'android' WHEN u4 < 0.85 THEN 'ios' ELSE 'web' END AS device,
           u5 < 0.2 AS is_premium,
           (ARRAY['grocery', 'travel', 'electronics', 'fashion', 'gaming', 'fuel'])[1 + floor(u6 * 6)::int] AS merchant_category,
           z6, u7
    FROM draws
), scored AS (
    SELECT f.*,
           -- the true fraud log-odds; the model sees it with noise that grows after day 20
           -3.0 - 0.012 * (credit_score - 680) + 0.9 * z6 AS logit
    FROM features f
)
INSERT INTO public.fraud_predictions
    (logged_at, age, income, credit_score, num_purchases, account_age_days,
     avg_transaction, region, device, is_premium, merchant_category,
     score, predicted, is_fraud)
SELECT ts, age, round(income::numeric, 2)::float8, credit_score, num_purchases, account_age_days,
       round(avg_transaction::numeric, 2)::float8, region, device, is_premium, merchant_category,
       s.score,
       s.score >= 0.5,
       CASE WHEN day >= 28 THEN NULL ELSE u7 < 1 / (1 + exp(-logit)) END
FROM scored,
     LATERAL (SELECT 1 / (1 + exp(-(2.2 * logit + 4.2
                 + CASE WHEN day >= 20 THEN 2.5 ELSE 0.4 END
                   * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())))) AS score) s
ORDER BY g;

CREATE INDEX ON public.fraud_predictions (logged_at);
ANALYZE public.fraud_predictions;
