-- driftmon install script.  Generated from src/sql/*.sql by `make`: edit the
-- fragments, not sql/driftmon--<version>.sql.

\echo Use "CREATE EXTENSION driftmon" to load this file. \quit

COMMENT ON SCHEMA driftmon IS
  'driftmon: drift tests, model-quality metrics and scheduled monitors for ML inference logs';

CREATE FUNCTION driftmon.version()
RETURNS text
AS 'MODULE_PATHNAME', 'driftmon_version'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.version() IS
  'Version of the loaded driftmon library (matches the extension version when installed correctly)';

-- ===================================================================
-- Numeric drift (src/numeric_drift.c, src/core/{ks_stat,binning,wasserstein}.c)
-- Aggregates over (value float8, is_current boolean): reference = rows whose
-- flag is false.  NULL flag: row skipped; NULL value: counted in nulls of its
-- side; NaN / +-infinity: excluded and counted as non-finite.
-- ===================================================================

CREATE TYPE driftmon.ks_result AS (
  statistic          float8,
  p_value            float8,
  statistic_location float8,
  statistic_sign     int,
  n_reference        bigint,
  n_current          bigint,
  method             text
);
COMMENT ON TYPE driftmon.ks_result IS
  'Two-sample Kolmogorov-Smirnov result as scipy.stats.ks_2samp(reference, current): D, p-value, where D is attained and its sign (+1: reference CDF above current), sample sizes, p-value method (exact/asymp; NULL when not computed)';

CREATE TYPE driftmon.numeric_drift_result AS (
  n_reference         bigint,
  n_current           bigint,
  nulls_reference     bigint,
  nulls_current       bigint,
  nonfinite_reference bigint,
  nonfinite_current   bigint,
  mean_reference      float8,
  mean_current        float8,
  std_reference       float8,
  std_current         float8,
  min_reference       float8,
  min_current         float8,
  max_reference       float8,
  max_current         float8,
  p05_reference       float8,
  p05_current         float8,
  p50_reference       float8,
  p50_current         float8,
  p95_reference       float8,
  p95_current         float8,
  ks_statistic        float8,
  ks_p_value          float8,
  psi                 float8,
  js_divergence       float8,
  wasserstein         float8,
  wasserstein_normed  float8
);
COMMENT ON TYPE driftmon.numeric_drift_result IS
  'All numeric drift statistics of one feature: per side counts, mean, sample std (ddof=1), min, max, 5/50/95th percentiles (numpy linear); KS (two-sided), PSI and JS (10 reference-quantile bins), Wasserstein distance and its ratio to the reference std';

-- Aggregate support functions (one shared state type for every aggregate).
CREATE FUNCTION driftmon.numeric_state_trans(internal, float8, boolean)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_trans(internal, float8, boolean) IS
  'Transition function of the numeric drift aggregates: stores finite values per side, counts NULL and non-finite ones';

CREATE FUNCTION driftmon.numeric_state_trans_ks(internal, float8, boolean, text)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_trans_ks'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_trans_ks(internal, float8, boolean, text) IS
  'Transition function of ks_test(value, is_current, alternative)';

CREATE FUNCTION driftmon.numeric_state_trans_ks(internal, float8, boolean, text, text)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_trans_ks'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_trans_ks(internal, float8, boolean, text, text) IS
  'Transition function of ks_test(value, is_current, alternative, method)';

CREATE FUNCTION driftmon.numeric_state_trans_psi(internal, float8, boolean, int)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_trans_psi'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_trans_psi(internal, float8, boolean, int) IS
  'Transition function of psi_agg(value, is_current, bins)';

CREATE FUNCTION driftmon.numeric_state_trans_psi(internal, float8, boolean, int, text)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_trans_psi'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_trans_psi(internal, float8, boolean, int, text) IS
  'Transition function of psi_agg(value, is_current, bins, binning)';

CREATE FUNCTION driftmon.numeric_state_trans_js(internal, float8, boolean, int)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_trans_js'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_trans_js(internal, float8, boolean, int) IS
  'Transition function of js_divergence(value, is_current, bins)';

CREATE FUNCTION driftmon.numeric_state_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_combine(internal, internal) IS
  'Combine function of the numeric drift aggregates (parallel aggregation): appends one partial state to another';

CREATE FUNCTION driftmon.numeric_state_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'dm_num_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_serialize(internal) IS
  'Serialization of a numeric drift state: versioned header (magic, version, parameters, counts) and raw float8 values';

CREATE FUNCTION driftmon.numeric_state_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_num_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_state_deserialize(bytea, internal) IS
  'Deserialization of a numeric drift state, validated (magic, version, parameters, counts, length, finite values) before use';

CREATE FUNCTION driftmon.ks_test_final(internal)
RETURNS driftmon.ks_result AS 'MODULE_PATHNAME', 'dm_ks_test_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.ks_test_final(internal) IS
  'Final function of ks_test: sorts each side once, exact D, p-value';

CREATE FUNCTION driftmon.psi_final(internal)
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_psi_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.psi_final(internal) IS
  'Final function of psi_agg over numeric values';

CREATE FUNCTION driftmon.js_final(internal)
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_js_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.js_final(internal) IS
  'Final function of js_divergence over numeric values';

CREATE FUNCTION driftmon.wasserstein_final(internal)
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_wasserstein_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.wasserstein_final(internal) IS
  'Final function of wasserstein_agg';

CREATE FUNCTION driftmon.numeric_drift_final(internal)
RETURNS driftmon.numeric_drift_result AS 'MODULE_PATHNAME', 'dm_numeric_drift_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_drift_final(internal) IS
  'Final function of numeric_drift';

-- ks_test
CREATE AGGREGATE driftmon.ks_test(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.ks_test_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.ks_test(float8, boolean) IS
  'Two-sample Kolmogorov-Smirnov test of reference (is_current false) vs current values, two-sided, method auto, as scipy.stats.ks_2samp';

CREATE AGGREGATE driftmon.ks_test(value float8, is_current boolean, alternative text) (
  SFUNC = driftmon.numeric_state_trans_ks, STYPE = internal,
  FINALFUNC = driftmon.ks_test_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.ks_test(float8, boolean, text) IS
  'Two-sample Kolmogorov-Smirnov test with alternative two-sided, less or greater (scipy''s meaning, data1 = reference), method auto';

CREATE AGGREGATE driftmon.ks_test(value float8, is_current boolean, alternative text, method text) (
  SFUNC = driftmon.numeric_state_trans_ks, STYPE = internal,
  FINALFUNC = driftmon.ks_test_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.ks_test(float8, boolean, text, text) IS
  'Two-sample Kolmogorov-Smirnov test with alternative and p-value method auto, exact or asymp (auto: exact when both sizes <= 10000, as scipy)';

-- psi_agg
CREATE AGGREGATE driftmon.psi_agg(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.psi_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.psi_agg(float8, boolean) IS
  'Population stability index of current vs reference on 10 reference-quantile bins (tied edges collapse), empty bins at proportion 1e-4';

CREATE AGGREGATE driftmon.psi_agg(value float8, is_current boolean, bins int) (
  SFUNC = driftmon.numeric_state_trans_psi, STYPE = internal,
  FINALFUNC = driftmon.psi_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.psi_agg(float8, boolean, int) IS
  'Population stability index on the given number of reference-quantile bins (2..10000)';

CREATE AGGREGATE driftmon.psi_agg(value float8, is_current boolean, bins int, binning text) (
  SFUNC = driftmon.numeric_state_trans_psi, STYPE = internal,
  FINALFUNC = driftmon.psi_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.psi_agg(float8, boolean, int, text) IS
  'Population stability index with binning quantile (reference quantiles), uniform (equal width over both windows) or sturges (Evidently''s rule, bins ignored)';

-- wasserstein_agg
CREATE AGGREGATE driftmon.wasserstein_agg(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.wasserstein_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.wasserstein_agg(float8, boolean) IS
  'First Wasserstein (earth mover''s) distance between reference and current values, as scipy.stats.wasserstein_distance';

-- js_divergence
CREATE AGGREGATE driftmon.js_divergence(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.js_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.js_divergence(float8, boolean) IS
  'Jensen-Shannon divergence (base 2, in [0, 1]) between reference and current histograms on 10 reference-quantile bins (the bins of psi_agg)';

CREATE AGGREGATE driftmon.js_divergence(value float8, is_current boolean, bins int) (
  SFUNC = driftmon.numeric_state_trans_js, STYPE = internal,
  FINALFUNC = driftmon.js_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.js_divergence(float8, boolean, int) IS
  'Jensen-Shannon divergence (base 2) on the given number of reference-quantile bins';

-- numeric_drift
CREATE AGGREGATE driftmon.numeric_drift(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.numeric_drift_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.numeric_drift(float8, boolean) IS
  'Every numeric drift statistic of a feature in one pass and one sort per side (see driftmon.numeric_drift_result)';

-- Array forms
CREATE FUNCTION driftmon.ks_test(reference float8[], current float8[],
                                 alternative text DEFAULT 'two-sided', method text DEFAULT 'auto')
RETURNS driftmon.ks_result AS 'MODULE_PATHNAME', 'dm_ks_test_arrays'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.ks_test(float8[], float8[], text, text) IS
  'Two-sample Kolmogorov-Smirnov test of two arrays (NULL elements counted and skipped, NaN/infinity excluded)';

CREATE FUNCTION driftmon.psi_agg(reference float8[], current float8[],
                                 bins int DEFAULT 10, binning text DEFAULT 'quantile')
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_psi_arrays'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.psi_agg(float8[], float8[], int, text) IS
  'Population stability index of two arrays (binning quantile, uniform or sturges)';

CREATE FUNCTION driftmon.wasserstein_agg(reference float8[], current float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_wasserstein_arrays'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.wasserstein_agg(float8[], float8[]) IS
  'First Wasserstein distance between two arrays, as scipy.stats.wasserstein_distance';

CREATE FUNCTION driftmon.js_divergence(reference float8[], current float8[], bins int DEFAULT 10)
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_js_arrays'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.js_divergence(float8[], float8[], int) IS
  'Jensen-Shannon divergence (base 2) of two arrays on reference-quantile bins';

CREATE FUNCTION driftmon.numeric_drift(reference float8[], current float8[])
RETURNS driftmon.numeric_drift_result AS 'MODULE_PATHNAME', 'dm_numeric_drift_arrays'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_drift(float8[], float8[]) IS
  'Every numeric drift statistic of two arrays';

-- ===================================================================
-- Categorical drift (src/categorical.c, src/core/chi2.c, divergence.c)
-- Aggregates over (category text, is_current boolean): reference = rows
-- whose flag is false.  Categories compare bytewise (no collation).  NULL
-- flag: row skipped; NULL category: counted as missing on its side.
-- ===================================================================

CREATE TYPE driftmon.chi2_result AS (
  statistic    float8,
  p_value      float8,
  dof          int,
  n_reference  bigint,
  n_current    bigint,
  n_categories int
);
COMMENT ON TYPE driftmon.chi2_result IS
  'Chi-square test of homogeneity on the 2 x k table (reference, current) x categories, as scipy.stats.chi2_contingency (Yates only for dof 1); statistic/p_value/dof NULL when a side is empty';

CREATE TYPE driftmon.categorical_drift_result AS (
  n_reference       bigint,
  n_current         bigint,
  missing_reference bigint,
  missing_current   bigint,
  n_categories      int,
  chi2_statistic    float8,
  chi2_p_value      float8,
  chi2_dof          int,
  psi               float8,
  js_divergence     float8,
  total_variation   float8,
  hellinger         float8,
  kl_divergence     float8,
  linf              float8,
  n_unseen          int,
  unseen_share      float8,
  n_vanished        int,
  vanished_share    float8,
  top_mover         text,
  top_mover_delta   float8
);
COMMENT ON TYPE driftmon.categorical_drift_result IS
  'All categorical drift statistics of one feature: counts and missing (NULL category) rows per side, distinct categories, chi-square test, PSI, JS (base 2), total variation, Hellinger, KL(reference||current), L-infinity, unseen (current only) and vanished (reference only) categories with their share of their side, the category whose share moved most and the move (current - reference)';

-- driftmon.category_counts: a storable, mergeable summary.
CREATE TYPE driftmon.category_counts;

CREATE FUNCTION driftmon.category_counts_in(cstring)
RETURNS driftmon.category_counts AS 'MODULE_PATHNAME', 'dm_cat_counts_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_counts_in(cstring) IS
  'Text input of driftmon.category_counts (the JSON form category_counts_out writes), fully validated';

CREATE FUNCTION driftmon.category_counts_out(driftmon.category_counts)
RETURNS cstring AS 'MODULE_PATHNAME', 'dm_cat_counts_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_counts_out(driftmon.category_counts) IS
  'Text output of driftmon.category_counts: {"version":1,"n_reference":..,"n_current":..,"missing_reference":..,"missing_current":..,"categories":[["name",n_reference,n_current],...]}';

CREATE FUNCTION driftmon.category_counts_recv(internal)
RETURNS driftmon.category_counts AS 'MODULE_PATHNAME', 'dm_cat_counts_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_counts_recv(internal) IS
  'Binary input of driftmon.category_counts (the versioned byte format), fully validated';

CREATE FUNCTION driftmon.category_counts_send(driftmon.category_counts)
RETURNS bytea AS 'MODULE_PATHNAME', 'dm_cat_counts_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_counts_send(driftmon.category_counts) IS
  'Binary output of driftmon.category_counts (the versioned byte format)';

CREATE TYPE driftmon.category_counts (
  INPUT = driftmon.category_counts_in,
  OUTPUT = driftmon.category_counts_out,
  RECEIVE = driftmon.category_counts_recv,
  SEND = driftmon.category_counts_send,
  INTERNALLENGTH = VARIABLE,
  STORAGE = extended
);
COMMENT ON TYPE driftmon.category_counts IS
  'Per-category reference/current counts (plus missing rows per side) of a categorical feature: built by category_counts(category, is_current), merged by rollup(), read by category_table() and the accessors';

-- Aggregate support functions (one shared state for every aggregate).
CREATE FUNCTION driftmon.category_state_trans(internal, text, boolean)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_cat_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_state_trans(internal, text, boolean) IS
  'Transition function of the categorical drift aggregates: counts rows per category and side in a hash table, NULL categories as missing';

CREATE FUNCTION driftmon.category_state_combine(internal, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_cat_combine'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_state_combine(internal, internal) IS
  'Combine function of the categorical drift aggregates (parallel aggregation)';

CREATE FUNCTION driftmon.category_state_serialize(internal)
RETURNS bytea AS 'MODULE_PATHNAME', 'dm_cat_serialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_state_serialize(internal) IS
  'Serialize function of the categorical drift aggregates (versioned byte format, as driftmon.category_counts)';

CREATE FUNCTION driftmon.category_state_deserialize(bytea, internal)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_cat_deserialize'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_state_deserialize(bytea, internal) IS
  'Deserialize function of the categorical drift aggregates; validates the bytes before use';

CREATE FUNCTION driftmon.category_state_rollup_trans(internal, driftmon.category_counts)
RETURNS internal AS 'MODULE_PATHNAME', 'dm_cat_rollup_trans'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_state_rollup_trans(internal, driftmon.category_counts) IS
  'Transition function of rollup(driftmon.category_counts): merges stored summaries';

CREATE FUNCTION driftmon.chi2_test_final(internal)
RETURNS driftmon.chi2_result AS 'MODULE_PATHNAME', 'dm_cat_chi2_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.chi2_test_final(internal) IS
  'Final function of chi2_test(category, is_current)';

CREATE FUNCTION driftmon.category_js_final(internal)
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_cat_js_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_js_final(internal) IS
  'Final function of js_divergence(category, is_current)';

CREATE FUNCTION driftmon.category_psi_final(internal)
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_cat_psi_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_psi_final(internal) IS
  'Final function of psi_agg(category, is_current)';

CREATE FUNCTION driftmon.categorical_drift_final(internal)
RETURNS driftmon.categorical_drift_result AS 'MODULE_PATHNAME', 'dm_cat_drift_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.categorical_drift_final(internal) IS
  'Final function of categorical_drift(category, is_current)';

CREATE FUNCTION driftmon.category_counts_final(internal)
RETURNS driftmon.category_counts AS 'MODULE_PATHNAME', 'dm_cat_counts_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.category_counts_final(internal) IS
  'Final function of category_counts(category, is_current) and rollup(category_counts)';

-- The aggregates.
CREATE AGGREGATE driftmon.chi2_test(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.chi2_test_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE driftmon.chi2_test(text, boolean) IS
  'Chi-square test that reference (is_current false) and current rows share one category distribution: scipy.stats.chi2_contingency on the 2 x k table, Yates correction for dof 1; one category gives statistic 0, p 1';

CREATE AGGREGATE driftmon.js_divergence(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.category_js_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE driftmon.js_divergence(text, boolean) IS
  'Jensen-Shannon divergence (base 2, in [0, 1]) between the reference and current category distributions; NULL if a side has no row with a category';

CREATE AGGREGATE driftmon.psi_agg(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.category_psi_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE driftmon.psi_agg(text, boolean) IS
  'Population stability index over categories: sum (q - p) ln(q / p) of category proportions, an empty proportion replaced by 1e-4; NULL if a side has no row with a category';

CREATE AGGREGATE driftmon.categorical_drift(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.categorical_drift_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE driftmon.categorical_drift(text, boolean) IS
  'Every categorical drift statistic in one pass (see driftmon.categorical_drift_result)';

CREATE AGGREGATE driftmon.category_counts(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.category_counts_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE driftmon.category_counts(text, boolean) IS
  'Storable summary of a categorical feature (counts per category and side, missing rows): read it with category_table(), merge it with rollup()';

CREATE AGGREGATE driftmon.rollup(driftmon.category_counts) (
  SFUNC = driftmon.category_state_rollup_trans, STYPE = internal,
  FINALFUNC = driftmon.category_counts_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE
);
COMMENT ON AGGREGATE driftmon.rollup(driftmon.category_counts) IS
  'Merge category_counts summaries (e.g. per day or per shard) into one; NULLs skipped';

-- Reading a summary.
CREATE FUNCTION driftmon.category_table(summary driftmon.category_counts)
RETURNS TABLE (category text, n_reference bigint, n_current bigint,
               p_reference float8, p_current float8, psi_contribution float8)
AS 'MODULE_PATHNAME', 'dm_cat_table'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 50;
COMMENT ON FUNCTION driftmon.category_table(driftmon.category_counts) IS
  'One row per category of a summary: counts, proportions of its side and PSI term, largest PSI contribution first, then by category bytes';

CREATE FUNCTION driftmon.chi2_test(summary driftmon.category_counts)
RETURNS driftmon.chi2_result AS 'MODULE_PATHNAME', 'dm_cat_chi2_summary'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.chi2_test(driftmon.category_counts) IS
  'chi2_test of a stored category_counts summary';

CREATE FUNCTION driftmon.categorical_drift(summary driftmon.category_counts)
RETURNS driftmon.categorical_drift_result AS 'MODULE_PATHNAME', 'dm_cat_drift_summary'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.categorical_drift(driftmon.category_counts) IS
  'categorical_drift of a stored category_counts summary';

-- Array forms: raw categories.
CREATE FUNCTION driftmon.chi2_test(reference text[], current text[])
RETURNS driftmon.chi2_result AS 'MODULE_PATHNAME', 'dm_cat_chi2_text_arrays'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.chi2_test(text[], text[]) IS
  'chi2_test over two arrays of category values (NULL elements count as missing)';

CREATE FUNCTION driftmon.js_divergence(reference text[], current text[])
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_cat_js_text_arrays'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.js_divergence(text[], text[]) IS
  'Base-2 Jensen-Shannon divergence between the category distributions of two arrays';

CREATE FUNCTION driftmon.psi_agg(reference text[], current text[])
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_cat_psi_text_arrays'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.psi_agg(text[], text[]) IS
  'PSI between the category distributions of two arrays (1e-4 smoothing)';

CREATE FUNCTION driftmon.categorical_drift(reference text[], current text[])
RETURNS driftmon.categorical_drift_result AS 'MODULE_PATHNAME', 'dm_cat_drift_text_arrays'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.categorical_drift(text[], text[]) IS
  'categorical_drift over two arrays of category values';

-- Array forms: histograms (counts per category, same order on both sides).
CREATE FUNCTION driftmon.chi2_test_counts(reference_counts float8[], current_counts float8[])
RETURNS driftmon.chi2_result AS 'MODULE_PATHNAME', 'dm_cat_chi2_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.chi2_test_counts(float8[], float8[]) IS
  'chi2_test on a given 2 x k table of counts (bins empty on both sides are ignored)';

CREATE FUNCTION driftmon.js_divergence_counts(reference_counts float8[], current_counts float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_cat_js_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.js_divergence_counts(float8[], float8[]) IS
  'Base-2 Jensen-Shannon divergence between two histograms (each normalised by its own total)';

CREATE FUNCTION driftmon.psi_counts(reference_counts float8[], current_counts float8[])
RETURNS float8 AS 'MODULE_PATHNAME', 'dm_cat_psi_counts'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.psi_counts(float8[], float8[]) IS
  'PSI between two histograms (each normalised by its own total, empty proportions at 1e-4)';

CREATE FUNCTION driftmon.categorical_drift_counts(reference_counts float8[], current_counts float8[],
                                                  categories text[] DEFAULT NULL)
RETURNS driftmon.categorical_drift_result AS 'MODULE_PATHNAME', 'dm_cat_drift_counts'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.categorical_drift_counts(float8[], float8[], text[]) IS
  'categorical_drift of two histograms; categories names the bins (top_mover is the bin position otherwise)';

-- ===================================================================
-- Model quality (feat/quality): classification, scores, regression.
-- Semantics of scikit-learn 1.2.1 (zero_division = 0); see README.md.
-- ===================================================================

CREATE TYPE driftmon.classification_metrics_result AS (
  n bigint, n_classes int, accuracy float8, balanced_accuracy float8,
  precision_macro float8, recall_macro float8, f1_macro float8,
  precision_weighted float8, recall_weighted float8, f1_weighted float8,
  precision_micro float8, recall_micro float8, f1_micro float8,
  matthews_corrcoef float8, cohen_kappa float8,
  "precision" float8, recall float8, f1 float8, specificity float8,
  n_skipped bigint);
COMMENT ON TYPE driftmon.classification_metrics_result IS
  'Result of driftmon.classification_metrics: sklearn 1.2.1 metrics over the sorted union of labels (zero_division = 0); precision/recall/f1/specificity of the positive class (true) for boolean labels only';

CREATE TYPE driftmon.binary_metrics_result AS (
  n bigint, n_positive bigint, roc_auc float8, average_precision float8,
  log_loss float8, brier_score float8, accuracy float8, "precision" float8,
  recall float8, f1 float8, specificity float8, n_skipped bigint);
COMMENT ON TYPE driftmon.binary_metrics_result IS
  'Result of driftmon.binary_metrics: ranking metrics, probability metrics and the metrics at the threshold (score >= threshold predicts true)';

CREATE TYPE driftmon.regression_metrics_result AS (
  n bigint, mae float8, mse float8, rmse float8, mape float8, r2 float8,
  mean_error float8, max_error float8, n_skipped bigint);
COMMENT ON TYPE driftmon.regression_metrics_result IS
  'Result of driftmon.regression_metrics (mean_error = mean(y_pred - y_true))';

-- ----- the confusion summary type ----------------------------------

CREATE TYPE driftmon.confusion;

CREATE FUNCTION driftmon.confusion_in(cstring) RETURNS driftmon.confusion
AS 'MODULE_PATHNAME', 'dm_confusion_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_in(cstring) IS
  'Text input of driftmon.confusion (the JSON form written by confusion_out), fully validated';

CREATE FUNCTION driftmon.confusion_out(driftmon.confusion) RETURNS cstring
AS 'MODULE_PATHNAME', 'dm_confusion_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_out(driftmon.confusion) IS
  'Text output of driftmon.confusion: {"version":1,"kind":...,"skipped":...,"labels":[...],"cells":[[t,p,n],...]}';

CREATE FUNCTION driftmon.confusion_recv(internal) RETURNS driftmon.confusion
AS 'MODULE_PATHNAME', 'dm_confusion_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_recv(internal) IS
  'Binary input of driftmon.confusion (the versioned byte format), fully validated';

CREATE FUNCTION driftmon.confusion_send(driftmon.confusion) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_confusion_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_send(driftmon.confusion) IS
  'Binary output of driftmon.confusion (the versioned byte format)';

CREATE TYPE driftmon.confusion (
  INPUT = driftmon.confusion_in, OUTPUT = driftmon.confusion_out,
  RECEIVE = driftmon.confusion_recv, SEND = driftmon.confusion_send,
  INTERNALLENGTH = VARIABLE, ALIGNMENT = int4, STORAGE = extended);
COMMENT ON TYPE driftmon.confusion IS
  'Mergeable confusion-matrix summary (labels text, bigint or boolean); build with confusion_agg, merge with rollup';

-- ----- confusion aggregate support ---------------------------------

CREATE FUNCTION driftmon.dm_conf_trans(internal, text, text) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_text' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans(internal, text, text) IS
  'Aggregate support: count one (y_true, y_pred) text pair';

CREATE FUNCTION driftmon.dm_conf_trans(internal, bigint, bigint) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_int8' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans(internal, bigint, bigint) IS
  'Aggregate support: count one (y_true, y_pred) bigint pair';

CREATE FUNCTION driftmon.dm_conf_trans(internal, boolean, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_bool' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans(internal, boolean, boolean) IS
  'Aggregate support: count one (y_true, y_pred) boolean pair';

CREATE FUNCTION driftmon.dm_conf_trans_rollup(internal, driftmon.confusion) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_trans_rollup' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_trans_rollup(internal, driftmon.confusion) IS
  'Aggregate support: merge one stored confusion summary';

CREATE FUNCTION driftmon.dm_conf_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_combine(internal, internal) IS
  'Aggregate support: merge two partial confusion states';

CREATE FUNCTION driftmon.dm_conf_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_conf_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_serialize(internal) IS
  'Aggregate support: confusion state to bytes (the driftmon.confusion format)';

CREATE FUNCTION driftmon.dm_conf_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_conf_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_deserialize(bytea, internal) IS
  'Aggregate support: validated bytes to confusion state';

CREATE FUNCTION driftmon.dm_conf_final_confusion(internal) RETURNS driftmon.confusion
AS 'MODULE_PATHNAME', 'dm_conf_final_confusion' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_final_confusion(internal) IS
  'Aggregate support: confusion state to a driftmon.confusion value';

CREATE FUNCTION driftmon.dm_conf_final_metrics(internal) RETURNS driftmon.classification_metrics_result
AS 'MODULE_PATHNAME', 'dm_conf_final_metrics' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_conf_final_metrics(internal) IS
  'Aggregate support: confusion state to classification metrics';

CREATE AGGREGATE driftmon.classification_metrics(y_true text, y_pred text) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_metrics,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.classification_metrics(text, text) IS
  'Classification metrics of text labels as scikit-learn 1.2.1 (accuracy, balanced accuracy, P/R/F1 macro/weighted/micro, MCC, kappa)';

CREATE AGGREGATE driftmon.classification_metrics(y_true bigint, y_pred bigint) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_metrics,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.classification_metrics(bigint, bigint) IS
  'Classification metrics of bigint labels as scikit-learn 1.2.1';

CREATE AGGREGATE driftmon.classification_metrics(y_true boolean, y_pred boolean) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_metrics,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.classification_metrics(boolean, boolean) IS
  'Classification metrics of boolean labels as scikit-learn 1.2.1, plus precision/recall/f1/specificity of the class true';

CREATE AGGREGATE driftmon.confusion_agg(y_true text, y_pred text) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.confusion_agg(text, text) IS
  'Confusion summary (driftmon.confusion) of text labels';

CREATE AGGREGATE driftmon.confusion_agg(y_true bigint, y_pred bigint) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.confusion_agg(bigint, bigint) IS
  'Confusion summary (driftmon.confusion) of bigint labels';

CREATE AGGREGATE driftmon.confusion_agg(y_true boolean, y_pred boolean) (
  SFUNC = driftmon.dm_conf_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.confusion_agg(boolean, boolean) IS
  'Confusion summary (driftmon.confusion) of boolean labels';

CREATE AGGREGATE driftmon.rollup(driftmon.confusion) (
  SFUNC = driftmon.dm_conf_trans_rollup, STYPE = internal,
  FINALFUNC = driftmon.dm_conf_final_confusion,
  COMBINEFUNC = driftmon.dm_conf_combine, SERIALFUNC = driftmon.dm_conf_serialize,
  DESERIALFUNC = driftmon.dm_conf_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.rollup(driftmon.confusion) IS
  'Merge confusion summaries (e.g. daily into weekly); all must have the same label kind';

-- ----- accessors -----------------------------------------------------

CREATE FUNCTION driftmon.classification_metrics(c driftmon.confusion)
RETURNS driftmon.classification_metrics_result
AS 'MODULE_PATHNAME', 'dm_confusion_metrics' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.classification_metrics(driftmon.confusion) IS
  'Classification metrics of a confusion summary';

CREATE FUNCTION driftmon.accuracy(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_accuracy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.accuracy(driftmon.confusion) IS
  'Accuracy of a confusion summary (NULL when it counted no row)';

CREATE FUNCTION driftmon."precision"(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_macro_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon."precision"(driftmon.confusion) IS
  'Macro-averaged precision of a confusion summary';

CREATE FUNCTION driftmon.recall(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_macro_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.recall(driftmon.confusion) IS
  'Macro-averaged recall of a confusion summary';

CREATE FUNCTION driftmon.f1(c driftmon.confusion) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_macro_f' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.f1(driftmon.confusion) IS
  'Macro-averaged F1 of a confusion summary';

CREATE FUNCTION driftmon."precision"(c driftmon.confusion, label text) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_label_p' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon."precision"(driftmon.confusion, text) IS
  'Precision of one class (label as text; NULL when the label is absent)';

CREATE FUNCTION driftmon.recall(c driftmon.confusion, label text) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_label_r' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.recall(driftmon.confusion, text) IS
  'Recall of one class (label as text; NULL when the label is absent)';

CREATE FUNCTION driftmon.f1(c driftmon.confusion, label text) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_confusion_prf_label_f' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.f1(driftmon.confusion, text) IS
  'F1 of one class (label as text; NULL when the label is absent)';

CREATE FUNCTION driftmon.classification_report(c driftmon.confusion,
  OUT label text, OUT "precision" float8, OUT recall float8, OUT f1 float8, OUT support bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'dm_confusion_report' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.classification_report(driftmon.confusion) IS
  'One row per class, then accuracy (f1 column), macro avg and weighted avg rows, as sklearn classification_report';

CREATE FUNCTION driftmon.confusion_matrix(c driftmon.confusion,
  OUT true_label text, OUT predicted_label text, OUT n bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'dm_confusion_matrix' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.confusion_matrix(driftmon.confusion) IS
  'The dense confusion matrix as (true_label, predicted_label, n) rows in label order, zeros included';

-- ----- scores and probabilities -------------------------------------

CREATE FUNCTION driftmon.dm_score_trans_rank(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_rank' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_rank(internal, float8, boolean) IS
  'Aggregate support: keep one score for roc_auc / average_precision';

CREATE FUNCTION driftmon.dm_score_trans_logloss(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_logloss' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_logloss(internal, float8, boolean) IS
  'Aggregate support: add one log loss term';

CREATE FUNCTION driftmon.dm_score_trans_brier(internal, float8, boolean) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_brier' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_brier(internal, float8, boolean) IS
  'Aggregate support: add one squared probability error';

CREATE FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_binary' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8, float8) IS
  'Aggregate support: one row of binary_metrics';

CREATE FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_trans_binary05' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_trans_binary(internal, boolean, float8) IS
  'Aggregate support: one row of binary_metrics at threshold 0.5';

CREATE FUNCTION driftmon.dm_score_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_combine(internal, internal) IS
  'Aggregate support: merge two partial score states';

CREATE FUNCTION driftmon.dm_score_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_score_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_serialize(internal) IS
  'Aggregate support: score state to bytes';

CREATE FUNCTION driftmon.dm_score_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_score_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_deserialize(bytea, internal) IS
  'Aggregate support: validated bytes to score state';

CREATE FUNCTION driftmon.dm_score_final_auc(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_auc' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_auc(internal) IS
  'Aggregate support: exact ROC AUC';

CREATE FUNCTION driftmon.dm_score_final_ap(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_ap' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_ap(internal) IS
  'Aggregate support: average precision';

CREATE FUNCTION driftmon.dm_score_final_logloss(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_logloss' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_logloss(internal) IS
  'Aggregate support: mean log loss';

CREATE FUNCTION driftmon.dm_score_final_brier(internal) RETURNS float8
AS 'MODULE_PATHNAME', 'dm_score_final_brier' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_brier(internal) IS
  'Aggregate support: Brier score';

CREATE FUNCTION driftmon.dm_score_final_binary(internal) RETURNS driftmon.binary_metrics_result
AS 'MODULE_PATHNAME', 'dm_score_final_binary' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_score_final_binary(internal) IS
  'Aggregate support: binary_metrics result';

CREATE AGGREGATE driftmon.roc_auc(score float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_rank, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_auc,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.roc_auc(float8, boolean) IS
  'Exact ROC AUC, ties get half credit (sklearn roc_auc_score); NULL with a NOTICE when one class is present';

CREATE AGGREGATE driftmon.average_precision(score float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_rank, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_ap,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.average_precision(float8, boolean) IS
  'Step-wise average precision (sklearn average_precision_score); NULL with a NOTICE when one class is present';

CREATE AGGREGATE driftmon.log_loss(probability float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_logloss, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_logloss,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.log_loss(float8, boolean) IS
  'Mean log loss of P(label = true), clipped at float64 eps as sklearn 1.2.1';

CREATE AGGREGATE driftmon.brier_score(probability float8, label boolean) (
  SFUNC = driftmon.dm_score_trans_brier, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_brier,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.brier_score(float8, boolean) IS
  'Brier score: mean squared difference between P(label = true) and the label';

CREATE AGGREGATE driftmon.binary_metrics(label boolean, score float8, threshold float8) (
  SFUNC = driftmon.dm_score_trans_binary, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_binary,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.binary_metrics(boolean, float8, float8) IS
  'ROC AUC, average precision, log loss, Brier score and accuracy/precision/recall/f1/specificity at score >= threshold';

CREATE AGGREGATE driftmon.binary_metrics(label boolean, score float8) (
  SFUNC = driftmon.dm_score_trans_binary, STYPE = internal,
  FINALFUNC = driftmon.dm_score_final_binary,
  COMBINEFUNC = driftmon.dm_score_combine, SERIALFUNC = driftmon.dm_score_serialize,
  DESERIALFUNC = driftmon.dm_score_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.binary_metrics(boolean, float8) IS
  'binary_metrics at the default threshold 0.5';

-- ----- regression ------------------------------------------------------

CREATE FUNCTION driftmon.dm_reg_trans(internal, float8, float8) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_reg_trans' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_trans(internal, float8, float8) IS
  'Aggregate support: one (y_true, y_pred) row of regression_metrics';

CREATE FUNCTION driftmon.dm_reg_combine(internal, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_reg_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_combine(internal, internal) IS
  'Aggregate support: merge two regression states (Chan update)';

CREATE FUNCTION driftmon.dm_reg_serialize(internal) RETURNS bytea
AS 'MODULE_PATHNAME', 'dm_reg_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_serialize(internal) IS
  'Aggregate support: regression state to bytes';

CREATE FUNCTION driftmon.dm_reg_deserialize(bytea, internal) RETURNS internal
AS 'MODULE_PATHNAME', 'dm_reg_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_deserialize(bytea, internal) IS
  'Aggregate support: validated bytes to regression state';

CREATE FUNCTION driftmon.dm_reg_final(internal) RETURNS driftmon.regression_metrics_result
AS 'MODULE_PATHNAME', 'dm_reg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.dm_reg_final(internal) IS
  'Aggregate support: regression_metrics result';

CREATE AGGREGATE driftmon.regression_metrics(y_true float8, y_pred float8) (
  SFUNC = driftmon.dm_reg_trans, STYPE = internal,
  FINALFUNC = driftmon.dm_reg_final,
  COMBINEFUNC = driftmon.dm_reg_combine, SERIALFUNC = driftmon.dm_reg_serialize,
  DESERIALFUNC = driftmon.dm_reg_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.regression_metrics(float8, float8) IS
  'n, MAE, MSE, RMSE, MAPE, R2, mean error (y_pred - y_true), max error as scikit-learn 1.2.1; one pass, parallel';
-- Drift profiles (issue 8): small mergeable summaries of a numeric or a
-- categorical column, stored, rolled up and compared later.

-- ---------------------------------------------------------------------
-- numeric_profile
-- ---------------------------------------------------------------------

CREATE TYPE driftmon.numeric_profile;

CREATE FUNCTION driftmon.numeric_profile_in(cstring)
RETURNS driftmon.numeric_profile
AS 'MODULE_PATHNAME', 'numeric_profile_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_out(driftmon.numeric_profile)
RETURNS cstring
AS 'MODULE_PATHNAME', 'numeric_profile_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_recv(internal)
RETURNS driftmon.numeric_profile
AS 'MODULE_PATHNAME', 'numeric_profile_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_send(driftmon.numeric_profile)
RETURNS bytea
AS 'MODULE_PATHNAME', 'numeric_profile_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE driftmon.numeric_profile (
  INPUT = driftmon.numeric_profile_in,
  OUTPUT = driftmon.numeric_profile_out,
  RECEIVE = driftmon.numeric_profile_recv,
  SEND = driftmon.numeric_profile_send,
  INTERNALLENGTH = VARIABLE,
  ALIGNMENT = int4,
  STORAGE = extended
);

COMMENT ON TYPE driftmon.numeric_profile IS
  'Mergeable summary of a float8 column: counts (finite, NULL, non-finite), min, max, mean, variance and a KLL quantile sketch (exact up to k values); versioned byte format';
COMMENT ON FUNCTION driftmon.numeric_profile_in(cstring) IS
  'Text input of numeric_profile (validates every field)';
COMMENT ON FUNCTION driftmon.numeric_profile_out(driftmon.numeric_profile) IS
  'Text output of numeric_profile (doubles printed with 17 significant digits: round-trips exactly)';
COMMENT ON FUNCTION driftmon.numeric_profile_recv(internal) IS
  'Binary input of numeric_profile (the versioned big-endian byte format, validated)';
COMMENT ON FUNCTION driftmon.numeric_profile_send(driftmon.numeric_profile) IS
  'Binary output of numeric_profile: the versioned big-endian byte format';

-- aggregate support
CREATE FUNCTION driftmon.numeric_profile_trans(internal, float8)
RETURNS internal
AS 'MODULE_PATHNAME', 'numeric_profile_trans'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_trans(internal, float8, integer)
RETURNS internal
AS 'MODULE_PATHNAME', 'numeric_profile_trans'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_rollup_trans(internal, driftmon.numeric_profile)
RETURNS internal
AS 'MODULE_PATHNAME', 'numeric_profile_rollup_trans'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'numeric_profile_combine'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'numeric_profile_serialize'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'numeric_profile_deserialize'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.numeric_profile_final(internal)
RETURNS driftmon.numeric_profile
AS 'MODULE_PATHNAME', 'numeric_profile_final'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.numeric_profile_trans(internal, float8) IS
  'Transition function of profile_agg(float8)';
COMMENT ON FUNCTION driftmon.numeric_profile_trans(internal, float8, integer) IS
  'Transition function of profile_agg(float8, k)';
COMMENT ON FUNCTION driftmon.numeric_profile_rollup_trans(internal, driftmon.numeric_profile) IS
  'Transition function of rollup(numeric_profile)';
COMMENT ON FUNCTION driftmon.numeric_profile_combine(internal, internal) IS
  'Combine function of profile_agg(float8) and rollup(numeric_profile)';
COMMENT ON FUNCTION driftmon.numeric_profile_serialize(internal) IS
  'Serialize function of profile_agg(float8) and rollup(numeric_profile)';
COMMENT ON FUNCTION driftmon.numeric_profile_deserialize(bytea, internal) IS
  'Deserialize function of profile_agg(float8) and rollup(numeric_profile) (validates the bytes)';
COMMENT ON FUNCTION driftmon.numeric_profile_final(internal) IS
  'Final function of profile_agg(float8) and rollup(numeric_profile)';

CREATE AGGREGATE driftmon.profile_agg(float8) (
  SFUNC = driftmon.numeric_profile_trans,
  STYPE = internal,
  FINALFUNC = driftmon.numeric_profile_final,
  FINALFUNC_MODIFY = READ_WRITE,
  COMBINEFUNC = driftmon.numeric_profile_combine,
  SERIALFUNC = driftmon.numeric_profile_serialize,
  DESERIALFUNC = driftmon.numeric_profile_deserialize,
  PARALLEL = SAFE
);

CREATE AGGREGATE driftmon.profile_agg(float8, integer) (
  SFUNC = driftmon.numeric_profile_trans,
  STYPE = internal,
  FINALFUNC = driftmon.numeric_profile_final,
  FINALFUNC_MODIFY = READ_WRITE,
  COMBINEFUNC = driftmon.numeric_profile_combine,
  SERIALFUNC = driftmon.numeric_profile_serialize,
  DESERIALFUNC = driftmon.numeric_profile_deserialize,
  PARALLEL = SAFE
);

CREATE AGGREGATE driftmon.rollup(driftmon.numeric_profile) (
  SFUNC = driftmon.numeric_profile_rollup_trans,
  STYPE = internal,
  FINALFUNC = driftmon.numeric_profile_final,
  FINALFUNC_MODIFY = READ_WRITE,
  COMBINEFUNC = driftmon.numeric_profile_combine,
  SERIALFUNC = driftmon.numeric_profile_serialize,
  DESERIALFUNC = driftmon.numeric_profile_deserialize,
  PARALLEL = SAFE
);

COMMENT ON AGGREGATE driftmon.profile_agg(float8) IS
  'Numeric profile of a float8 column (k = 1024: exact up to 1024 values, then a KLL sketch); NULL and non-finite values are counted; no rows gives NULL';
COMMENT ON AGGREGATE driftmon.profile_agg(float8, integer) IS
  'Numeric profile with sketch size k (16 to 65536; rank error about 11/k at a billion rows, size about 24k bytes)';
COMMENT ON AGGREGATE driftmon.rollup(driftmon.numeric_profile) IS
  'Merge numeric profiles (days into weeks, shards into one); refuses profiles with different k';

-- accessors
CREATE FUNCTION driftmon.n(driftmon.numeric_profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'numeric_profile_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.nulls(driftmon.numeric_profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'numeric_profile_nulls' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.nonfinite(driftmon.numeric_profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'numeric_profile_nonfinite' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.mean(driftmon.numeric_profile) RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.stddev(driftmon.numeric_profile) RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_stddev' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.minimum(driftmon.numeric_profile) RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_minimum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.maximum(driftmon.numeric_profile) RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_maximum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.rank_error(driftmon.numeric_profile) RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_rank_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.is_exact(driftmon.numeric_profile) RETURNS boolean
AS 'MODULE_PATHNAME', 'numeric_profile_is_exact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.sketch_k(driftmon.numeric_profile) RETURNS integer
AS 'MODULE_PATHNAME', 'numeric_profile_k' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.sketch_size(driftmon.numeric_profile) RETURNS integer
AS 'MODULE_PATHNAME', 'numeric_profile_sketch_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.quantile(driftmon.numeric_profile, float8) RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_quantile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.quantile(driftmon.numeric_profile, float8[]) RETURNS float8[]
AS 'MODULE_PATHNAME', 'numeric_profile_quantiles' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.cdf(driftmon.numeric_profile, float8) RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_cdf' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.n(driftmon.numeric_profile) IS
  'Number of finite values in the profile';
COMMENT ON FUNCTION driftmon.nulls(driftmon.numeric_profile) IS
  'Number of NULL values seen';
COMMENT ON FUNCTION driftmon.nonfinite(driftmon.numeric_profile) IS
  'Number of NaN and infinite values seen (excluded from every statistic)';
COMMENT ON FUNCTION driftmon.mean(driftmon.numeric_profile) IS
  'Mean of the finite values (moments are exact, merged with Chan''s formula); NULL when there are none';
COMMENT ON FUNCTION driftmon.stddev(driftmon.numeric_profile) IS
  'Sample standard deviation (n - 1 denominator, like SQL stddev); NULL when n < 2';
COMMENT ON FUNCTION driftmon.minimum(driftmon.numeric_profile) IS
  'Smallest finite value (exact)';
COMMENT ON FUNCTION driftmon.maximum(driftmon.numeric_profile) IS
  'Largest finite value (exact)';
COMMENT ON FUNCTION driftmon.rank_error(driftmon.numeric_profile) IS
  'Normalised rank-error bound epsilon of the sketch: |cdf(p, x) - exact cdf(x)| <= epsilon for all x (deterministic bound, or the Hoeffding bound at probability 1 - 1e-6 when smaller); 0 in exact mode';
COMMENT ON FUNCTION driftmon.is_exact(driftmon.numeric_profile) IS
  'True while the profile retains every value (n <= k for a single aggregate)';
COMMENT ON FUNCTION driftmon.sketch_k(driftmon.numeric_profile) IS
  'The sketch size parameter k the profile was built with';
COMMENT ON FUNCTION driftmon.sketch_size(driftmon.numeric_profile) IS
  'Number of values retained by the sketch (8 bytes each)';
COMMENT ON FUNCTION driftmon.quantile(driftmon.numeric_profile, float8) IS
  'Quantile with numpy''s default linear interpolation (exact in exact mode, rank error <= rank_error otherwise); NULL when empty';
COMMENT ON FUNCTION driftmon.quantile(driftmon.numeric_profile, float8[]) IS
  'Several quantiles at once (see quantile(numeric_profile, float8))';
COMMENT ON FUNCTION driftmon.cdf(driftmon.numeric_profile, float8) IS
  'Fraction of finite values <= x (exact in exact mode, within rank_error otherwise); NULL when empty or x is NaN';

-- comparisons between a reference and a current numeric profile
CREATE FUNCTION driftmon.ks_test(reference driftmon.numeric_profile, current driftmon.numeric_profile)
RETURNS driftmon.ks_result
AS 'MODULE_PATHNAME', 'numeric_profile_ks' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.psi(reference driftmon.numeric_profile, current driftmon.numeric_profile, bins integer DEFAULT 10)
RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_psi' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.js_divergence(reference driftmon.numeric_profile, current driftmon.numeric_profile, bins integer DEFAULT 10)
RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_js' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.hellinger(reference driftmon.numeric_profile, current driftmon.numeric_profile, bins integer DEFAULT 10)
RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_hellinger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.wasserstein(reference driftmon.numeric_profile, current driftmon.numeric_profile)
RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_wasserstein' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.ks_test(driftmon.numeric_profile, driftmon.numeric_profile) IS
  'Two-sample KS test between profiles (driftmon.ks_result): exact statistic and scipy p-value when both are exact; else the statistic is within rank_error(reference) + rank_error(current) of the exact one and the p-value is asymptotic';
COMMENT ON FUNCTION driftmon.psi(driftmon.numeric_profile, driftmon.numeric_profile, integer) IS
  'Population stability index on bins at reference quantiles (right-closed, tied edges collapse), empty bins at proportion 1e-4';
COMMENT ON FUNCTION driftmon.js_divergence(driftmon.numeric_profile, driftmon.numeric_profile, integer) IS
  'Jensen-Shannon divergence, base 2, in [0, 1], on the bins of psi(numeric_profile, numeric_profile)';
COMMENT ON FUNCTION driftmon.hellinger(driftmon.numeric_profile, driftmon.numeric_profile, integer) IS
  'Hellinger distance in [0, 1] on the bins of psi(numeric_profile, numeric_profile)';
COMMENT ON FUNCTION driftmon.wasserstein(driftmon.numeric_profile, driftmon.numeric_profile) IS
  'Wasserstein-1 distance between the profiles (scipy wasserstein_distance when exact; else within (rank_error(ref) + rank_error(cur)) * range)';

-- ---------------------------------------------------------------------
-- categorical_profile
-- ---------------------------------------------------------------------

CREATE TYPE driftmon.categorical_profile;

CREATE FUNCTION driftmon.categorical_profile_in(cstring)
RETURNS driftmon.categorical_profile
AS 'MODULE_PATHNAME', 'categorical_profile_in'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_out(driftmon.categorical_profile)
RETURNS cstring
AS 'MODULE_PATHNAME', 'categorical_profile_out'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_recv(internal)
RETURNS driftmon.categorical_profile
AS 'MODULE_PATHNAME', 'categorical_profile_recv'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_send(driftmon.categorical_profile)
RETURNS bytea
AS 'MODULE_PATHNAME', 'categorical_profile_send'
LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE driftmon.categorical_profile (
  INPUT = driftmon.categorical_profile_in,
  OUTPUT = driftmon.categorical_profile_out,
  RECEIVE = driftmon.categorical_profile_recv,
  SEND = driftmon.categorical_profile_send,
  INTERNALLENGTH = VARIABLE,
  ALIGNMENT = int4,
  STORAGE = extended
);

COMMENT ON TYPE driftmon.categorical_profile IS
  'Mergeable summary of a text column: exact category counts up to cap categories (default 1000), then a Misra-Gries frequent-items summary plus the count of the rest; versioned byte format';
COMMENT ON FUNCTION driftmon.categorical_profile_in(cstring) IS
  'Text input of categorical_profile (validates every field)';
COMMENT ON FUNCTION driftmon.categorical_profile_out(driftmon.categorical_profile) IS
  'Text output of categorical_profile (round-trips exactly)';
COMMENT ON FUNCTION driftmon.categorical_profile_recv(internal) IS
  'Binary input of categorical_profile (the versioned big-endian byte format, validated)';
COMMENT ON FUNCTION driftmon.categorical_profile_send(driftmon.categorical_profile) IS
  'Binary output of categorical_profile: the versioned big-endian byte format';

CREATE FUNCTION driftmon.categorical_profile_trans(internal, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'categorical_profile_trans'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_trans(internal, text, integer)
RETURNS internal
AS 'MODULE_PATHNAME', 'categorical_profile_trans'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_rollup_trans(internal, driftmon.categorical_profile)
RETURNS internal
AS 'MODULE_PATHNAME', 'categorical_profile_rollup_trans'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'categorical_profile_combine'
LANGUAGE C PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'categorical_profile_serialize'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'categorical_profile_deserialize'
LANGUAGE C STRICT PARALLEL SAFE;

CREATE FUNCTION driftmon.categorical_profile_final(internal)
RETURNS driftmon.categorical_profile
AS 'MODULE_PATHNAME', 'categorical_profile_final'
LANGUAGE C PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.categorical_profile_trans(internal, text) IS
  'Transition function of profile_agg(text)';
COMMENT ON FUNCTION driftmon.categorical_profile_trans(internal, text, integer) IS
  'Transition function of profile_agg(text, cap)';
COMMENT ON FUNCTION driftmon.categorical_profile_rollup_trans(internal, driftmon.categorical_profile) IS
  'Transition function of rollup(categorical_profile)';
COMMENT ON FUNCTION driftmon.categorical_profile_combine(internal, internal) IS
  'Combine function of profile_agg(text) and rollup(categorical_profile)';
COMMENT ON FUNCTION driftmon.categorical_profile_serialize(internal) IS
  'Serialize function of profile_agg(text) and rollup(categorical_profile)';
COMMENT ON FUNCTION driftmon.categorical_profile_deserialize(bytea, internal) IS
  'Deserialize function of profile_agg(text) and rollup(categorical_profile) (validates the bytes)';
COMMENT ON FUNCTION driftmon.categorical_profile_final(internal) IS
  'Final function of profile_agg(text) and rollup(categorical_profile)';

CREATE AGGREGATE driftmon.profile_agg(text) (
  SFUNC = driftmon.categorical_profile_trans,
  STYPE = internal,
  FINALFUNC = driftmon.categorical_profile_final,
  FINALFUNC_MODIFY = READ_WRITE,
  COMBINEFUNC = driftmon.categorical_profile_combine,
  SERIALFUNC = driftmon.categorical_profile_serialize,
  DESERIALFUNC = driftmon.categorical_profile_deserialize,
  PARALLEL = SAFE
);

CREATE AGGREGATE driftmon.profile_agg(text, integer) (
  SFUNC = driftmon.categorical_profile_trans,
  STYPE = internal,
  FINALFUNC = driftmon.categorical_profile_final,
  FINALFUNC_MODIFY = READ_WRITE,
  COMBINEFUNC = driftmon.categorical_profile_combine,
  SERIALFUNC = driftmon.categorical_profile_serialize,
  DESERIALFUNC = driftmon.categorical_profile_deserialize,
  PARALLEL = SAFE
);

CREATE AGGREGATE driftmon.rollup(driftmon.categorical_profile) (
  SFUNC = driftmon.categorical_profile_rollup_trans,
  STYPE = internal,
  FINALFUNC = driftmon.categorical_profile_final,
  FINALFUNC_MODIFY = READ_WRITE,
  COMBINEFUNC = driftmon.categorical_profile_combine,
  SERIALFUNC = driftmon.categorical_profile_serialize,
  DESERIALFUNC = driftmon.categorical_profile_deserialize,
  PARALLEL = SAFE
);

COMMENT ON AGGREGATE driftmon.profile_agg(text) IS
  'Categorical profile of a text column (exact up to 1000 distinct categories, then Misra-Gries); NULLs counted; equality is bytewise; no rows gives NULL';
COMMENT ON AGGREGATE driftmon.profile_agg(text, integer) IS
  'Categorical profile keeping up to cap categories (1 to 1000000); counts are exact while there are at most cap distinct categories';
COMMENT ON AGGREGATE driftmon.rollup(driftmon.categorical_profile) IS
  'Merge categorical profiles; refuses profiles with different cap';

CREATE FUNCTION driftmon.n(driftmon.categorical_profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'categorical_profile_n' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.nulls(driftmon.categorical_profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'categorical_profile_nulls' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.is_exact(driftmon.categorical_profile) RETURNS boolean
AS 'MODULE_PATHNAME', 'categorical_profile_is_exact' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.n_categories(driftmon.categorical_profile) RETURNS integer
AS 'MODULE_PATHNAME', 'categorical_profile_n_categories' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.rest(driftmon.categorical_profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'categorical_profile_rest' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.max_error(driftmon.categorical_profile) RETURNS bigint
AS 'MODULE_PATHNAME', 'categorical_profile_max_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.frequency(driftmon.categorical_profile, category text) RETURNS bigint
AS 'MODULE_PATHNAME', 'categorical_profile_frequency' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.categories(driftmon.categorical_profile,
  OUT category text, OUT count bigint, OUT max_error bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'categorical_profile_categories' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.n(driftmon.categorical_profile) IS
  'Number of non-NULL values in the profile';
COMMENT ON FUNCTION driftmon.nulls(driftmon.categorical_profile) IS
  'Number of NULL values seen';
COMMENT ON FUNCTION driftmon.is_exact(driftmon.categorical_profile) IS
  'True when every category is counted exactly (rest = 0)';
COMMENT ON FUNCTION driftmon.n_categories(driftmon.categorical_profile) IS
  'Number of categories stored (all of them when exact)';
COMMENT ON FUNCTION driftmon.rest(driftmon.categorical_profile) IS
  'Count not attributed to a stored category (0 when exact)';
COMMENT ON FUNCTION driftmon.max_error(driftmon.categorical_profile) IS
  'Misra-Gries bound: every stored count is at most this much below the true count (rest / (cap + 1))';
COMMENT ON FUNCTION driftmon.frequency(driftmon.categorical_profile, text) IS
  'Stored count of a category (0 if not stored); the true count is in [frequency, frequency + max_error]';
COMMENT ON FUNCTION driftmon.categories(driftmon.categorical_profile) IS
  'Stored categories by descending count (then bytewise): category, count (a lower bound), max_error';

CREATE FUNCTION driftmon.chi2_test(reference driftmon.categorical_profile, current driftmon.categorical_profile)
RETURNS driftmon.chi2_result
AS 'MODULE_PATHNAME', 'categorical_profile_chi2' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.psi(reference driftmon.categorical_profile, current driftmon.categorical_profile)
RETURNS float8
AS 'MODULE_PATHNAME', 'categorical_profile_psi' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.js_divergence(reference driftmon.categorical_profile, current driftmon.categorical_profile)
RETURNS float8
AS 'MODULE_PATHNAME', 'categorical_profile_js' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.hellinger(reference driftmon.categorical_profile, current driftmon.categorical_profile)
RETURNS float8
AS 'MODULE_PATHNAME', 'categorical_profile_hellinger' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION driftmon.chi2_test(driftmon.categorical_profile, driftmon.categorical_profile) IS
  'Chi-square test of the 2 x k table of category counts (scipy chi2_contingency, Yates when dof = 1); inexact profiles add one column with each side''s rest';
COMMENT ON FUNCTION driftmon.psi(driftmon.categorical_profile, driftmon.categorical_profile) IS
  'Population stability index over categories (empty side at proportion 1e-4); inexact profiles add a rest column';
COMMENT ON FUNCTION driftmon.js_divergence(driftmon.categorical_profile, driftmon.categorical_profile) IS
  'Jensen-Shannon divergence, base 2, over categories; inexact profiles add a rest column';
COMMENT ON FUNCTION driftmon.hellinger(driftmon.categorical_profile, driftmon.categorical_profile) IS
  'Hellinger distance over categories; inexact profiles add a rest column';

-- ---------------------------------------------------------------------
-- baselines: named stored reference profiles
-- ---------------------------------------------------------------------

CREATE TABLE driftmon.baselines (
  name         text PRIMARY KEY,
  created_at   timestamptz NOT NULL DEFAULT now(),
  created_by   name NOT NULL DEFAULT current_user,
  source_query text,
  description  text
);
COMMENT ON TABLE driftmon.baselines IS
  'Named baselines: a set of stored reference profiles, one per feature (driftmon.baseline_profiles); kept by pg_dump';
COMMENT ON COLUMN driftmon.baselines.name IS 'Baseline name (e.g. fraud_v3_training)';
COMMENT ON COLUMN driftmon.baselines.created_at IS 'When the baseline was saved';
COMMENT ON COLUMN driftmon.baselines.created_by IS 'Role that saved it';
COMMENT ON COLUMN driftmon.baselines.source_query IS 'The query the profiles were computed from (save_baseline), NULL for hand-inserted baselines';
COMMENT ON COLUMN driftmon.baselines.description IS 'Free text';

CREATE TABLE driftmon.baseline_profiles (
  baseline    text NOT NULL REFERENCES driftmon.baselines (name) ON DELETE CASCADE ON UPDATE CASCADE,
  feature     text NOT NULL,
  numeric     driftmon.numeric_profile,
  categorical driftmon.categorical_profile,
  PRIMARY KEY (baseline, feature),
  CONSTRAINT baseline_profiles_one_kind CHECK ((numeric IS NULL) <> (categorical IS NULL))
);
COMMENT ON TABLE driftmon.baseline_profiles IS
  'One stored profile per (baseline, feature): numeric or categorical, exactly one of the two';
COMMENT ON COLUMN driftmon.baseline_profiles.baseline IS 'The baseline (driftmon.baselines.name)';
COMMENT ON COLUMN driftmon.baseline_profiles.feature IS 'Feature (column) name';
COMMENT ON COLUMN driftmon.baseline_profiles.numeric IS 'Profile of a numeric feature (profile_agg(value::float8))';
COMMENT ON COLUMN driftmon.baseline_profiles.categorical IS 'Profile of a categorical feature (profile_agg(value::text))';

SELECT pg_catalog.pg_extension_config_dump('driftmon.baselines', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.baseline_profiles', '');

CREATE FUNCTION driftmon.save_baseline(name text, query text, replace boolean DEFAULT false,
                                       description text DEFAULT NULL)
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
  tmp      text := 'driftmon_baseline_cols_' || pg_catalog.pg_backend_pid();
  col      record;
  aggs     text := '';
  vals     text := '';
  i        integer := 0;
BEGIN
  IF name IS NULL OR query IS NULL THEN
    RAISE EXCEPTION 'baseline name and query must not be NULL'
      USING ERRCODE = 'null_value_not_allowed',
            HINT = 'Call driftmon.save_baseline(''name'', ''SELECT col1, col2 FROM schema.table WHERE ...'').';
  END IF;
  IF EXISTS (SELECT 1 FROM driftmon.baselines b WHERE b.name = save_baseline.name) THEN
    IF NOT replace THEN
      RAISE EXCEPTION 'baseline "%" already exists', save_baseline.name
        USING ERRCODE = 'unique_violation',
              DETAIL = 'Saved baselines are not overwritten by default.',
              HINT = 'Pass replace => true, or DELETE FROM driftmon.baselines WHERE name = ... first.';
    END IF;
    DELETE FROM driftmon.baselines b WHERE b.name = save_baseline.name;
  END IF;

  -- describe the query's columns without reading its rows
  EXECUTE format('CREATE TEMP TABLE %I ON COMMIT DROP AS SELECT * FROM (%s) q LIMIT 0', tmp, query);
  FOR col IN
    SELECT a.attname, a.atttypid
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = pg_catalog.format('pg_temp.%I', tmp)::regclass AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY a.attnum
  LOOP
    i := i + 1;
    IF col.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'float4'::regtype,
                        'float8'::regtype, 'numeric'::regtype) THEN
      aggs := aggs || format(', driftmon.profile_agg(q.%I::float8) AS p%s', col.attname, i);
      vals := vals || format('%s(%L, s.p%s, NULL::driftmon.categorical_profile)',
                             CASE WHEN vals = '' THEN '' ELSE ', ' END, col.attname, i);
    ELSE
      aggs := aggs || format(', driftmon.profile_agg(q.%I::text) AS p%s', col.attname, i);
      vals := vals || format('%s(%L, NULL::driftmon.numeric_profile, s.p%s)',
                             CASE WHEN vals = '' THEN '' ELSE ', ' END, col.attname, i);
    END IF;
  END LOOP;
  EXECUTE format('DROP TABLE pg_temp.%I', tmp);
  IF i = 0 THEN
    RAISE EXCEPTION 'the baseline query returns no columns'
      USING ERRCODE = 'invalid_parameter_value',
            HINT = 'Select the feature columns to profile.';
  END IF;

  INSERT INTO driftmon.baselines (name, source_query, description)
  VALUES (save_baseline.name, query, save_baseline.description);
  -- one scan of the query computes every profile
  EXECUTE format(
    'INSERT INTO driftmon.baseline_profiles (baseline, feature, numeric, categorical) '
    'SELECT $1, v.feature, v.n, v.c FROM (SELECT %s FROM (%s) q) s '
    'CROSS JOIN LATERAL (VALUES %s) v(feature, n, c) '
    'WHERE v.n IS NOT NULL OR v.c IS NOT NULL',
    substr(aggs, 3), query, vals)
  USING save_baseline.name;
  RETURN i;
END
$fn$;

COMMENT ON FUNCTION driftmon.save_baseline(text, text, boolean, text) IS
  'Profile every column of a query in one scan and store the profiles as a named baseline (numeric columns: numeric_profile, others: categorical_profile of the text); the query runs with search_path pg_catalog, pg_temp, so schema-qualify tables; returns the number of features';

CREATE FUNCTION driftmon.baseline_numeric(baseline text, feature text)
RETURNS driftmon.numeric_profile
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT p.numeric FROM driftmon.baseline_profiles p WHERE p.baseline = $1 AND p.feature = $2 $$;

CREATE FUNCTION driftmon.baseline_categorical(baseline text, feature text)
RETURNS driftmon.categorical_profile
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$ SELECT p.categorical FROM driftmon.baseline_profiles p WHERE p.baseline = $1 AND p.feature = $2 $$;

COMMENT ON FUNCTION driftmon.baseline_numeric(text, text) IS
  'The stored numeric profile of a feature in a baseline (NULL if absent)';
COMMENT ON FUNCTION driftmon.baseline_categorical(text, text) IS
  'The stored categorical profile of a feature in a baseline (NULL if absent)';
