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
  'Numeric profile with sketch size k (16 to 65536; rank error about 11/k at a billion rows, size about 16k bytes at a billion rows, at most about 24k)';
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
  'Mean of the finite values (compensated per batch and merged with Chan''s formula: exact rounded once up to 8192 values, a few ulps after merges); NULL when there are none';
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
CREATE FUNCTION driftmon.ks_test_upper(reference driftmon.numeric_profile, current driftmon.numeric_profile)
RETURNS driftmon.ks_result
AS 'MODULE_PATHNAME', 'numeric_profile_ks_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.ks_p_value_upper(reference driftmon.numeric_profile, current driftmon.numeric_profile)
RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_ks_p_upper' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION driftmon.wasserstein_normed(reference driftmon.numeric_profile, current driftmon.numeric_profile)
RETURNS float8
AS 'MODULE_PATHNAME', 'numeric_profile_wasserstein_normed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

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
COMMENT ON FUNCTION driftmon.ks_test_upper(driftmon.numeric_profile, driftmon.numeric_profile) IS
  'ks_test(reference, current) with p_value = ks_p_value_upper(reference, current): statistic and conservative p-value from one evaluation (what baseline monitors store)';
COMMENT ON FUNCTION driftmon.ks_p_value_upper(driftmon.numeric_profile, driftmon.numeric_profile) IS
  'Upper bound on the exact two-sided KS p-value of the summarised rows: ks_test''s p-value when both profiles are exact, else kstwo.sf(statistic - rank_error(reference) - rank_error(current)) (1 when that is <= 0); a valid, conservative p-value in sketch mode (what baseline monitors judge KS by)';
COMMENT ON FUNCTION driftmon.wasserstein_normed(driftmon.numeric_profile, driftmon.numeric_profile) IS
  'wasserstein(reference, current) / stddev(reference), as numeric_drift''s wasserstein_normed: NULL when a side is empty or the reference std is 0 or undefined; +Infinity when the quotient exceeds the float8 range';

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

-- Profiles of one side of a drift aggregate's state.  reference_profile and
-- current_profile take the same arguments and transition function as
-- numeric_drift / categorical_drift (and ks_test, chi2_test, ...), so in one
-- SELECT with a serial plan PostgreSQL keeps a single shared state for all of
-- them: the drift and both windows' profiles in one scan, one copy of the
-- values, one sort.
-- Each equals profile_agg(value) FILTER (WHERE is_current [IS FALSE]) in
-- content (default k / cap); a sketch is built from the sorted values, so it
-- does not depend on the plan.
CREATE FUNCTION driftmon.numeric_reference_profile_final(internal)
RETURNS driftmon.numeric_profile AS 'MODULE_PATHNAME', 'dm_num_reference_profile_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_reference_profile_final(internal) IS
  'Final function of reference_profile(float8, boolean)';
CREATE FUNCTION driftmon.numeric_current_profile_final(internal)
RETURNS driftmon.numeric_profile AS 'MODULE_PATHNAME', 'dm_num_current_profile_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_current_profile_final(internal) IS
  'Final function of current_profile(float8, boolean)';
CREATE FUNCTION driftmon.categorical_reference_profile_final(internal)
RETURNS driftmon.categorical_profile AS 'MODULE_PATHNAME', 'dm_cat_reference_profile_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.categorical_reference_profile_final(internal) IS
  'Final function of reference_profile(text, boolean)';
CREATE FUNCTION driftmon.categorical_current_profile_final(internal)
RETURNS driftmon.categorical_profile AS 'MODULE_PATHNAME', 'dm_cat_current_profile_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.categorical_current_profile_final(internal) IS
  'Final function of current_profile(text, boolean)';

CREATE AGGREGATE driftmon.reference_profile(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.numeric_reference_profile_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE driftmon.current_profile(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.numeric_current_profile_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE driftmon.reference_profile(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.categorical_reference_profile_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE driftmon.current_profile(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.categorical_current_profile_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.reference_profile(float8, boolean) IS
  'Numeric profile of the reference rows (is_current false), as profile_agg over them; shares its state with numeric_drift(value, is_current) and the other numeric drift aggregates in the same query';
COMMENT ON AGGREGATE driftmon.current_profile(float8, boolean) IS
  'Numeric profile of the current rows (is_current true), as profile_agg over them; shares its state with numeric_drift(value, is_current) and the other numeric drift aggregates in the same query';
COMMENT ON AGGREGATE driftmon.reference_profile(text, boolean) IS
  'Categorical profile of the reference rows (is_current false), as profile_agg over them; shares its state with categorical_drift(category, is_current) and the other categorical drift aggregates in the same query';
COMMENT ON AGGREGATE driftmon.current_profile(text, boolean) IS
  'Categorical profile of the current rows (is_current true), as profile_agg over them; shares its state with categorical_drift(category, is_current) and the other categorical drift aggregates in the same query';

-- A drift result and the current window's profile from one aggregate: what an
-- exact monitor stores.  (numeric_drift and current_profile side by side
-- share one state in a serial plan, but a parallel plan serializes and sends
-- every aggregate's partial state separately, i.e. the values twice.)
CREATE TYPE driftmon.numeric_drift_profile_result AS (
  drift           driftmon.numeric_drift_result,
  current_profile driftmon.numeric_profile
);
COMMENT ON TYPE driftmon.numeric_drift_profile_result IS
  'numeric_drift_profile: the numeric_drift result and the current rows'' numeric_profile';
CREATE TYPE driftmon.categorical_drift_profile_result AS (
  drift           driftmon.categorical_drift_result,
  current_profile driftmon.categorical_profile
);
COMMENT ON TYPE driftmon.categorical_drift_profile_result IS
  'categorical_drift_profile: the categorical_drift result and the current rows'' categorical_profile';
CREATE FUNCTION driftmon.numeric_drift_profile_final(internal)
RETURNS driftmon.numeric_drift_profile_result AS 'MODULE_PATHNAME', 'dm_numeric_drift_profile_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.numeric_drift_profile_final(internal) IS
  'Final function of numeric_drift_profile(float8, boolean)';
CREATE FUNCTION driftmon.categorical_drift_profile_final(internal)
RETURNS driftmon.categorical_drift_profile_result AS 'MODULE_PATHNAME', 'dm_categorical_drift_profile_final'
LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION driftmon.categorical_drift_profile_final(internal) IS
  'Final function of categorical_drift_profile(text, boolean)';
CREATE AGGREGATE driftmon.numeric_drift_profile(value float8, is_current boolean) (
  SFUNC = driftmon.numeric_state_trans, STYPE = internal,
  FINALFUNC = driftmon.numeric_drift_profile_final,
  COMBINEFUNC = driftmon.numeric_state_combine,
  SERIALFUNC = driftmon.numeric_state_serialize,
  DESERIALFUNC = driftmon.numeric_state_deserialize,
  PARALLEL = SAFE);
CREATE AGGREGATE driftmon.categorical_drift_profile(category text, is_current boolean) (
  SFUNC = driftmon.category_state_trans, STYPE = internal,
  FINALFUNC = driftmon.categorical_drift_profile_final,
  COMBINEFUNC = driftmon.category_state_combine,
  SERIALFUNC = driftmon.category_state_serialize,
  DESERIALFUNC = driftmon.category_state_deserialize,
  PARALLEL = SAFE);
COMMENT ON AGGREGATE driftmon.numeric_drift_profile(float8, boolean) IS
  'numeric_drift(value, is_current) and current_profile(value, is_current) from one state, in one aggregate (what an exact monitor computes per numeric feature)';
COMMENT ON AGGREGATE driftmon.categorical_drift_profile(text, boolean) IS
  'categorical_drift(category, is_current) and current_profile(category, is_current) from one state, in one aggregate (what an exact monitor computes per categorical feature)';

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
  stored   bigint;
BEGIN
  IF name IS NULL OR query IS NULL THEN
    RAISE EXCEPTION 'baseline name and query must not be NULL'
      USING ERRCODE = 'null_value_not_allowed',
            DETAIL = pg_catalog.format('name is %s, query is %s.', CASE WHEN name IS NULL THEN 'NULL' ELSE 'given' END, CASE WHEN query IS NULL THEN 'NULL' ELSE 'given' END),
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
            DETAIL = 'A baseline stores one profile per column of the query.',
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
  -- profile_agg is NULL only over no rows (NULL values are counted): no
  -- profile stored means an empty query, and a baseline without profiles
  -- would give every later comparison a silent NULL reference
  GET DIAGNOSTICS stored = ROW_COUNT;
  IF stored = 0 THEN
    RAISE EXCEPTION 'the baseline query returns no rows'
      USING ERRCODE = 'invalid_parameter_value',
            DETAIL = pg_catalog.format('Baseline "%s": %s column(s), no row to profile; nothing was saved.', save_baseline.name, i),
            HINT = 'Check the query''s WHERE clause (time range, filters).';
  END IF;
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

-- ---------------------------------------------------------------------------
-- Monitors (issue 6): declared drift and quality checks over an inference
-- log, run on demand, by backfill or by pg_cron, with an append-only audit
-- trail (runs, results), alerts (NOTIFY driftmon_alert) and dashboard views.
--
-- Security model: nothing here is SECURITY DEFINER.  run_monitor reads the
-- source with the privileges of whoever calls it and writes runs/results
-- with those privileges too (driftmon_admin has what it needs).  Every
-- function pins search_path to pg_catalog, pg_temp and qualifies driftmon
-- objects; every identifier reaching dynamic SQL goes through format('%I')
-- or a regclass, every value through format('%L') or a bound parameter.
-- ---------------------------------------------------------------------------

-- Roles for dashboards (driftmon_reader) and for people who manage monitors
-- (driftmon_admin).  Roles are cluster-wide, so they are created only when
-- missing and survive DROP EXTENSION.  Without CREATEROLE the extension
-- still installs; a NOTICE says which roles to create by hand.
DO $roles$
DECLARE
	r text;
BEGIN
	FOREACH r IN ARRAY ARRAY['driftmon_reader', 'driftmon_admin']
	LOOP
		IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = r) THEN
			BEGIN
				EXECUTE pg_catalog.format('CREATE ROLE %I NOLOGIN', r);
			EXCEPTION WHEN insufficient_privilege THEN
				RAISE NOTICE 'driftmon: could not create role % (%)', r, SQLERRM
					USING HINT = 'A superuser can create it (CREATE ROLE ' || r
						|| ' NOLOGIN) and rerun the GRANTs listed in the README.';
			END;
		END IF;
	END LOOP;
END
$roles$;

-- Configuration ------------------------------------------------------------

CREATE TABLE driftmon.monitors (
	monitor_id        bigserial PRIMARY KEY,
	name              text NOT NULL
		CHECK (pg_catalog.length(name) BETWEEN 1 AND 200 AND name !~ '[[:cntrl:]]'),
	source            text NOT NULL,
	time_column       text NOT NULL,
	features          text[] NOT NULL DEFAULT '{}',
	feature_options   jsonb NOT NULL DEFAULT '{}',
	feature_kinds     jsonb NOT NULL DEFAULT '{}',
	prediction_column text,
	label_column      text,
	score_column      text,
	segment_column    text,
	task              text CHECK (task IN ('classification', 'regression')),
	reference_kind    text NOT NULL CHECK (reference_kind IN ('range', 'table', 'previous', 'baseline')),
	reference_range   tstzrange,
	reference_source  text,
	window_size       interval NOT NULL,
	thresholds        jsonb NOT NULL DEFAULT '{}',
	bonferroni        boolean NOT NULL DEFAULT false,
	description       text,
	created_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
	created_by        text NOT NULL DEFAULT CURRENT_USER,
	updated_at        timestamptz,
	dropped_at        timestamptz,
	reference_baseline text,
	store_profiles    boolean NOT NULL DEFAULT true
);
CREATE UNIQUE INDEX monitors_live_name ON driftmon.monitors (name) WHERE dropped_at IS NULL;

COMMENT ON TABLE driftmon.monitors IS
  'Monitor definitions (create_monitor / alter_monitor / drop_monitor). Dropped monitors keep their row (dropped_at set) so their runs stay attached; use the monitor_list view for live ones';

CREATE TABLE driftmon.checks (
	check_id   bigserial PRIMARY KEY,
	monitor_id bigint NOT NULL REFERENCES driftmon.monitors ON DELETE CASCADE,
	name       text NOT NULL CHECK (pg_catalog.length(name) BETWEEN 1 AND 200),
	query      text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	UNIQUE (monitor_id, name)
);

COMMENT ON TABLE driftmon.checks IS
  'Custom checks of a monitor (add_check): SQL queries returning (metric text, value float8) rows, run in every run of the monitor with $1 = window start and $2 = window end';

-- Audit trail ----------------------------------------------------------------

CREATE TABLE driftmon.runs (
	run_id            bigserial PRIMARY KEY,
	monitor_id        bigint NOT NULL REFERENCES driftmon.monitors,
	monitor_name      text NOT NULL,
	window_start      timestamptz NOT NULL,
	window_end        timestamptz NOT NULL,
	reference_start   timestamptz,
	reference_end     timestamptz,
	n_reference       bigint,
	n_current         bigint,
	started_at        timestamptz NOT NULL,
	finished_at       timestamptz NOT NULL,
	duration          interval GENERATED ALWAYS AS (finished_at - started_at) STORED,
	status            text NOT NULL CHECK (status IN ('succeeded', 'failed', 'skipped')),
	error             text,
	error_sqlstate    text,
	n_alerts          integer,
	n_warnings        integer,
	config            jsonb NOT NULL,
	extension_version text NOT NULL,
	run_by            text NOT NULL DEFAULT CURRENT_USER,
	reference_baseline text
);
CREATE INDEX runs_monitor_window ON driftmon.runs (monitor_id, window_end);

COMMENT ON TABLE driftmon.runs IS
  'One row per run of a monitor (append-only): windows, row counts, timing, status succeeded/failed/skipped, error, the monitor configuration as it was, extension version and the role that ran it; reference_baseline names the stored baseline used as reference (NULL when the reference rows were read)';

CREATE TABLE driftmon.results (
	run_id          bigint NOT NULL REFERENCES driftmon.runs,
	segment         text,
	feature         text NOT NULL,
	kind            text NOT NULL CHECK (kind IN ('drift', 'quality', 'custom')),
	metric          text NOT NULL,
	value           float8,
	p_value         float8,
	threshold_warn  float8,
	threshold_alert float8,
	direction       text NOT NULL CHECK (direction IN ('above', 'below', 'abs')),
	status          text NOT NULL CHECK (status IN ('ok', 'warn', 'alert', 'unknown'))
);
CREATE INDEX results_run ON driftmon.results (run_id);

COMMENT ON TABLE driftmon.results IS
  'One row per (run, segment, feature, metric) (append-only). segment NULL = all rows; thresholds are the effective ones (after Bonferroni); status compares p_value (tests) or value with them';

CREATE TABLE driftmon.purge_log (
	purge_id        bigserial PRIMARY KEY,
	purged_at       timestamptz NOT NULL DEFAULT pg_catalog.now(),
	purged_by       text NOT NULL DEFAULT CURRENT_USER,
	monitor_id      bigint,
	monitor_name    text,
	older_than      timestamptz,
	runs_removed    bigint NOT NULL,
	results_removed bigint NOT NULL,
	first_run_id    bigint,
	last_run_id     bigint,
	profiles_removed bigint NOT NULL DEFAULT 0
);

COMMENT ON TABLE driftmon.purge_log IS
  'What purge_history (and drop_monitor with keep_history => false) removed from runs, results and run_profiles: the only way history leaves the audit trail (append-only itself)';

CREATE TABLE driftmon.run_profiles (
	run_id              bigint NOT NULL REFERENCES driftmon.runs,
	segment             text,
	feature             text NOT NULL,
	numeric_profile     driftmon.numeric_profile,
	categorical_profile driftmon.categorical_profile,
	CONSTRAINT run_profiles_one_kind CHECK ((numeric_profile IS NULL) <> (categorical_profile IS NULL))
);
CREATE INDEX run_profiles_run ON driftmon.run_profiles (run_id);

COMMENT ON TABLE driftmon.run_profiles IS
  'Profiles of the current window stored by every succeeded run (append-only, unless the monitor has store_profiles off): one row per (run, segment, feature), segment NULL = all rows; profile_drift_history compares them with a baseline without reading the source again';

-- pg_dump keeps configuration and the audit trail (with their sequences).
SELECT pg_catalog.pg_extension_config_dump('driftmon.monitors', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.monitors_monitor_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.checks', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.checks_check_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.runs', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.runs_run_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.results', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.purge_log', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.purge_log_purge_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('driftmon.run_profiles', '');

-- Append-only enforcement ----------------------------------------------------

CREATE FUNCTION driftmon.refuse_history_change()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	flag text;
BEGIN
	-- purge_runs logs the removal in purge_log first, then sets this
	-- transaction-local flag to the purge_id of that row around its DELETEs.
	-- Rows pass here when the flag names a purge; the statement-level
	-- trigger check_history_delete then refuses the whole DELETE unless
	-- that logged purge (made in this transaction) covers every deleted
	-- row's run.  Setting the flag by hand (any role can set a custom
	-- setting) therefore removes nothing that is not recorded in purge_log.
	flag := pg_catalog.current_setting('driftmon_audit.purge', true);
	IF TG_OP = 'DELETE' AND TG_TABLE_NAME IN ('runs', 'results', 'run_profiles')
	   AND flag ~ '^[0-9]{1,18}$' THEN
		RETURN OLD;
	END IF;
	RAISE EXCEPTION 'driftmon.% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
		USING ERRCODE = 'object_not_in_prerequisite_state',
			  DETAIL = CASE WHEN TG_TABLE_NAME = 'purge_log'
					   THEN 'The purge log is part of the audit trail of driftmon monitors; rows are only ever inserted.'
					   ELSE 'Runs, results and run profiles are the audit trail of driftmon monitors; rows are only ever inserted.'
					   END,
			  HINT = CASE WHEN TG_TABLE_NAME = 'purge_log'
					 THEN 'The purge log records what was removed from the audit trail and is never changed.'
					 ELSE 'To remove old history use driftmon.purge_history(monitor, older_than), which records what it removed in driftmon.purge_log.'
					 END;
END
$$;

COMMENT ON FUNCTION driftmon.refuse_history_change() IS
  'Trigger function making runs, results, run_profiles and purge_log append-only (UPDATE, DELETE, TRUNCATE refused; DELETE allowed only for runs covered by a purge_log row written in the same transaction and named by driftmon_audit.purge, as purge_history does)';

-- check_history_delete(): after a DELETE that the row trigger let through
-- (the purge flag names a purge_log row), every deleted row's run must be
-- covered by that logged purge, made in this transaction: same monitor, run
-- id in [first_run_id, last_run_id], window ended before older_than.  One
-- set query over the transition table, not one query per deleted row.
CREATE FUNCTION driftmon.check_history_delete()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	flag text := pg_catalog.current_setting('driftmon_audit.purge', true);
	pid bigint;
	uncovered bigint;
BEGIN
	-- a DELETE of no rows fires this too, whatever the flag holds ('' after
	-- a purge, 'on' set by hand): then nothing is covered and nothing gone
	IF flag ~ '^[0-9]{1,18}$' THEN
		pid := flag::bigint;
	END IF;
	IF TG_TABLE_NAME = 'runs' THEN
		SELECT pg_catalog.count(*) INTO uncovered FROM gone g
		WHERE NOT EXISTS (SELECT 1 FROM driftmon.purge_log p
						  WHERE p.purge_id = pid AND p.monitor_id = g.monitor_id
							AND g.window_end < p.older_than AND p.purged_at = pg_catalog.now()
							AND g.run_id BETWEEN p.first_run_id AND p.last_run_id);
	ELSE
		-- results and profiles go before their run: it is still there
		SELECT pg_catalog.count(*) INTO uncovered FROM gone g
		WHERE NOT EXISTS (SELECT 1 FROM driftmon.runs r JOIN driftmon.purge_log p ON p.monitor_id = r.monitor_id
						  WHERE r.run_id = g.run_id AND p.purge_id = pid
							AND r.window_end < p.older_than AND p.purged_at = pg_catalog.now()
							AND r.run_id BETWEEN p.first_run_id AND p.last_run_id);
	END IF;
	IF uncovered > 0 THEN
		RAISE EXCEPTION 'driftmon.% is append-only: DELETE is not allowed', TG_TABLE_NAME
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = pg_catalog.format('%s deleted rows are not covered by the purge logged as purge_id %s in this transaction.',
					uncovered, pid),
				  HINT = 'To remove old history use driftmon.purge_history(monitor, older_than), which records what it removed in driftmon.purge_log.';
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION driftmon.check_history_delete() IS
  'Statement-level trigger function on runs, results and run_profiles: a DELETE passes only when every deleted row''s run is covered by the purge_log row, written in this transaction, that driftmon_audit.purge names (as purge_history does)';

CREATE TRIGGER runs_append_only BEFORE UPDATE OR DELETE ON driftmon.runs
	FOR EACH ROW EXECUTE FUNCTION driftmon.refuse_history_change();
CREATE TRIGGER runs_no_truncate BEFORE TRUNCATE ON driftmon.runs
	FOR EACH STATEMENT EXECUTE FUNCTION driftmon.refuse_history_change();
CREATE TRIGGER results_append_only BEFORE UPDATE OR DELETE ON driftmon.results
	FOR EACH ROW EXECUTE FUNCTION driftmon.refuse_history_change();
CREATE TRIGGER results_no_truncate BEFORE TRUNCATE ON driftmon.results
	FOR EACH STATEMENT EXECUTE FUNCTION driftmon.refuse_history_change();
CREATE TRIGGER run_profiles_append_only BEFORE UPDATE OR DELETE ON driftmon.run_profiles
	FOR EACH ROW EXECUTE FUNCTION driftmon.refuse_history_change();
CREATE TRIGGER run_profiles_no_truncate BEFORE TRUNCATE ON driftmon.run_profiles
	FOR EACH STATEMENT EXECUTE FUNCTION driftmon.refuse_history_change();
CREATE TRIGGER runs_delete_logged AFTER DELETE ON driftmon.runs
	REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION driftmon.check_history_delete();
CREATE TRIGGER results_delete_logged AFTER DELETE ON driftmon.results
	REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION driftmon.check_history_delete();
CREATE TRIGGER run_profiles_delete_logged AFTER DELETE ON driftmon.run_profiles
	REFERENCING OLD TABLE AS gone
	FOR EACH STATEMENT EXECUTE FUNCTION driftmon.check_history_delete();
CREATE TRIGGER purge_log_append_only BEFORE UPDATE OR DELETE ON driftmon.purge_log
	FOR EACH ROW EXECUTE FUNCTION driftmon.refuse_history_change();
CREATE TRIGGER purge_log_no_truncate BEFORE TRUNCATE ON driftmon.purge_log
	FOR EACH STATEMENT EXECUTE FUNCTION driftmon.refuse_history_change();

-- check_purge_complete(): at commit, a logged purge must have removed every
-- run it covers (the monitor's runs in [first_run_id, last_run_id] whose
-- window ended before older_than), so a purge_log row written by hand cannot
-- cover a selective DELETE (say, only the alerting results of a run).
CREATE FUNCTION driftmon.check_purge_complete()
RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	left_over bigint;
BEGIN
	SELECT pg_catalog.count(*) INTO left_over FROM driftmon.runs r
	WHERE r.monitor_id = NEW.monitor_id AND r.window_end < NEW.older_than
	  AND r.run_id BETWEEN NEW.first_run_id AND NEW.last_run_id;
	IF left_over > 0 THEN
		RAISE EXCEPTION 'purge % of driftmon history is incomplete', NEW.purge_id
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  DETAIL = pg_catalog.format('%s runs of monitor %s with ids %s to %s and a window ending before %s are still there.',
					left_over, NEW.monitor_id, NEW.first_run_id, NEW.last_run_id, NEW.older_than),
				  HINT = 'History is removed whole runs at a time by driftmon.purge_history(monitor, older_than).';
	END IF;
	RETURN NULL;
END
$$;

COMMENT ON FUNCTION driftmon.check_purge_complete() IS
  'Deferred constraint trigger function on purge_log: at commit, every run a logged purge covers (monitor, run id range, window before older_than) must be gone, so history leaves only whole runs at a time and as logged';

CREATE CONSTRAINT TRIGGER purge_log_complete AFTER INSERT ON driftmon.purge_log
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION driftmon.check_purge_complete();

-- Thresholds -------------------------------------------------------------------

CREATE FUNCTION driftmon.default_thresholds()
RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT '{
  "ks":                 {"warn": null, "alert": 0.05, "direction": "below"},
  "chi2":               {"warn": null, "alert": 0.05, "direction": "below"},
  "psi":                {"warn": 0.1,  "alert": 0.2,  "direction": "above"},
  "js_divergence":      {"warn": 0.1,  "alert": 0.2,  "direction": "above"},
  "wasserstein_normed": {"warn": 0.05, "alert": 0.1,  "direction": "above"},
  "accuracy":           {"direction": "below"},
  "balanced_accuracy":  {"direction": "below"},
  "precision_macro":    {"direction": "below"},
  "recall_macro":       {"direction": "below"},
  "f1_macro":           {"direction": "below"},
  "f1_weighted":        {"direction": "below"},
  "matthews_corrcoef":  {"direction": "below"},
  "cohen_kappa":        {"direction": "below"},
  "precision":          {"direction": "below"},
  "recall":             {"direction": "below"},
  "f1":                 {"direction": "below"},
  "r2":                 {"direction": "below"},
  "roc_auc":            {"direction": "below"},
  "average_precision":  {"direction": "below"},
  "mae":                {"direction": "above"},
  "rmse":               {"direction": "above"},
  "mape":               {"direction": "above"},
  "mean_error":         {"direction": "abs"},
  "max_error":          {"direction": "above"}
}'::jsonb
$$;

COMMENT ON FUNCTION driftmon.default_thresholds() IS
  'Built-in thresholds per metric: {"metric": {"warn", "alert", "direction"}}; tests (ks, chi2) compare their p-value ("below": alert when p < alert), error-like metrics their value ("above": alert when value >= alert), score-like ones too ("below": alert when value < alert), mean_error its magnitude ("abs": alert when |value| >= alert: a bias either way)';

CREATE FUNCTION driftmon.result_status(x float8, warn float8, alert float8, direction text)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT CASE
	WHEN x IS NULL OR x = 'NaN'::float8 THEN 'unknown'
	WHEN direction = 'below' THEN
		CASE WHEN x < alert THEN 'alert' WHEN x < warn THEN 'warn' ELSE 'ok' END
	WHEN direction = 'abs' THEN
		CASE WHEN abs(x) >= alert THEN 'alert' WHEN abs(x) >= warn THEN 'warn' ELSE 'ok' END
	ELSE
		CASE WHEN x >= alert THEN 'alert' WHEN x >= warn THEN 'warn' ELSE 'ok' END
	END
$$;

COMMENT ON FUNCTION driftmon.result_status(float8, float8, float8, text) IS
  'Status of a compared value: alert/warn when past the alert/warn threshold in the given direction ("below": x < t, "above": x >= t, "abs": |x| >= t), ok otherwise, unknown when x is NULL or NaN; a NULL threshold never fires';

-- check_thresholds(t, context): raise a precise error unless t is
-- {"metric": {"warn": number|null, "alert": number|null, "direction": "above"|"below"|"abs"}}.
CREATE FUNCTION driftmon.check_thresholds(t jsonb, context text)
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	k text;
	v jsonb;
	f text;
	d text;
	w float8;
	a float8;
BEGIN
	IF t IS NULL THEN
		RETURN;
	END IF;
	IF pg_catalog.jsonb_typeof(t) <> 'object' THEN
		RAISE EXCEPTION '% must be a JSON object', context
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = pg_catalog.format('Got a JSON %s.', pg_catalog.jsonb_typeof(t)),
				  HINT = 'Thresholds look like {"psi": {"warn": 0.1, "alert": 0.2}, "ks": {"alert": 0.01}}.';
	END IF;
	FOR k, v IN SELECT e.key, e.value FROM pg_catalog.jsonb_each(t) AS e
	LOOP
		IF pg_catalog.jsonb_typeof(v) <> 'object' THEN
			RAISE EXCEPTION 'invalid % for metric "%"', context, k
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = pg_catalog.format('Expected an object with keys warn, alert, direction; got %s.', v),
					  HINT = 'Thresholds look like {"psi": {"warn": 0.1, "alert": 0.2}, "ks": {"alert": 0.01}}.';
		END IF;
		FOR f IN SELECT pg_catalog.jsonb_object_keys(v)
		LOOP
			IF f NOT IN ('warn', 'alert', 'direction') THEN
				RAISE EXCEPTION 'invalid % for metric "%"', context, k
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = pg_catalog.format('Unknown key "%s".', f),
						  HINT = 'Allowed keys: warn, alert (numbers or null), direction ("above", "below" or "abs").';
			END IF;
			IF f IN ('warn', 'alert') AND pg_catalog.jsonb_typeof(v -> f) NOT IN ('number', 'null') THEN
				RAISE EXCEPTION 'invalid % for metric "%"', context, k
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = pg_catalog.format('"%s" must be a number or null, got %s.', f, v -> f),
						  HINT = 'Allowed keys: warn, alert (numbers or null), direction ("above", "below" or "abs").';
			END IF;
			-- a JSON number need not fit a float8 (1e400, 1e-400)
			IF f IN ('warn', 'alert') AND pg_catalog.jsonb_typeof(v -> f) = 'number' THEN
				BEGIN
					w := (v ->> f)::float8;
				EXCEPTION WHEN numeric_value_out_of_range THEN
					RAISE EXCEPTION 'invalid % for metric "%"', context, k
						USING ERRCODE = 'numeric_value_out_of_range',
							  DETAIL = pg_catalog.format('"%s" is %s, outside the range of double precision (0, or a magnitude from about 4.9e-324 to 1.8e308).',
								f, pg_catalog.btrim(pg_catalog.to_char((v ->> f)::numeric, '9.999EEEE'))),
							  HINT = 'Thresholds are compared as double precision: give a value within its range.';
				END;
			END IF;
		END LOOP;
		d := COALESCE(v ->> 'direction', driftmon.default_thresholds() -> k ->> 'direction', 'above');
		IF d NOT IN ('above', 'below', 'abs') THEN
			RAISE EXCEPTION 'invalid % for metric "%"', context, k
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = pg_catalog.format('"direction" must be "above", "below" or "abs", got %s.', v -> 'direction'),
					  HINT = '"above": the metric alerts when it grows past the threshold; "below": when it falls under it (p-values, accuracy); "abs": when its magnitude grows past it (mean_error).';
		END IF;
		w := (COALESCE(v -> 'warn', driftmon.default_thresholds() -> k -> 'warn')) #>> '{}';
		a := (COALESCE(v -> 'alert', driftmon.default_thresholds() -> k -> 'alert')) #>> '{}';
		-- |x| >= a negative level holds for every x: a constant status
		IF d = 'abs' AND (w < 0 OR a < 0) THEN
			RAISE EXCEPTION 'invalid % for metric "%"', context, k
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = pg_catalog.format('Direction "abs" compares the magnitude |value| with the levels; %s %s is negative, so every value would be past it.',
						CASE WHEN w < 0 THEN 'warn' ELSE 'alert' END, CASE WHEN w < 0 THEN w ELSE a END),
					  HINT = 'Give "abs" levels as magnitudes (>= 0): {"mean_error": {"warn": 0.1, "alert": 0.2}} fires on a bias of 0.1 either way.';
		END IF;
		IF w IS NOT NULL AND a IS NOT NULL
		   AND ((d IN ('above', 'abs') AND w > a) OR (d = 'below' AND w < a)) THEN
			RAISE EXCEPTION 'invalid % for metric "%"', context, k
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = pg_catalog.format('warn %s is past alert %s for direction "%s".', w, a, d),
					  HINT = 'The warn level must come before the alert level: warn <= alert for "above" and "abs", warn >= alert for "below".';
		END IF;
	END LOOP;
END
$$;

COMMENT ON FUNCTION driftmon.check_thresholds(jsonb, text) IS
  'Validates a thresholds object ({"metric": {"warn", "alert", "direction"}}) and raises an error naming the offending metric and key';

-- effective_threshold(m, feature, metric): defaults, then the monitor's
-- thresholds, then the feature's, key by key; Bonferroni divides the p-value
-- thresholds of the tests (ks, chi2) by the number of features.
CREATE FUNCTION driftmon.effective_threshold(m driftmon.monitors, feature text, metric text,
	OUT warn float8, OUT alert float8, OUT direction text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t jsonb;
	n int;
BEGIN
	t := COALESCE(driftmon.default_thresholds() -> metric, '{}')
		 || COALESCE(m.thresholds -> metric, '{}')
		 || COALESCE(m.feature_options -> feature -> 'thresholds' -> metric, '{}');
	warn := (t -> 'warn') #>> '{}';
	alert := (t -> 'alert') #>> '{}';
	direction := COALESCE(t ->> 'direction', 'above');
	n := COALESCE(pg_catalog.array_length(m.features, 1), 0);
	IF m.bonferroni AND metric IN ('ks', 'chi2') AND n > 1 THEN
		warn := warn / n;
		alert := alert / n;
	END IF;
END
$$;

COMMENT ON FUNCTION driftmon.effective_threshold(driftmon.monitors, text, text) IS
  'Thresholds applied to one (feature, metric) of a monitor: built-in defaults overridden by the monitor''s thresholds and then the feature''s, Bonferroni applied to test p-values when enabled';

-- Validation -------------------------------------------------------------------

-- column_type(rel, col): the type of a live user column, NULL when missing.
CREATE FUNCTION driftmon.column_type(rel regclass, col text)
RETURNS regtype
LANGUAGE sql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT a.atttypid::regtype
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped
$$;

COMMENT ON FUNCTION driftmon.column_type(regclass, text) IS
  'Type of a column (exact, case-sensitive name) of a table or view, NULL when it has no such column';

-- require_column(rel, col, argument): the type of col, or an error naming
-- the argument that named it.
CREATE FUNCTION driftmon.require_column(rel regclass, col text, argument text)
RETURNS regtype
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	t regtype;
BEGIN
	IF col IS NULL OR col = '' THEN
		RAISE EXCEPTION '% must name a column', argument
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The argument is NULL or an empty string.',
				  HINT = 'Pass the column name as stored (case-sensitive, without quotes).';
	END IF;
	t := driftmon.column_type(rel, col);
	IF t IS NULL THEN
		RAISE EXCEPTION '% "%" is not a column of %', argument, col, rel
			USING ERRCODE = 'undefined_column',
				  DETAIL = pg_catalog.format('Columns of %s: %s.', rel,
					(SELECT pg_catalog.string_agg(pg_catalog.quote_ident(a.attname), ', ' ORDER BY a.attnum)
					 FROM pg_catalog.pg_attribute a
					 WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped)),
				  HINT = 'Column names are case-sensitive and given as stored, without quotes (e.g. ''Customer Age'', not ''"Customer Age"'').';
	END IF;
	RETURN t;
END
$$;

COMMENT ON FUNCTION driftmon.require_column(regclass, text, text) IS
  'Type of a column of a table or view; raises undefined_column naming the argument and listing the columns when missing';

-- type_family(t): 'numeric', 'integer', 'boolean', 'time' or 'other'.
CREATE FUNCTION driftmon.type_family(t regtype)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT CASE
	WHEN t IN ('smallint'::regtype, 'integer'::regtype, 'bigint'::regtype) THEN 'integer'
	WHEN t IN ('real'::regtype, 'double precision'::regtype, 'numeric'::regtype) THEN 'numeric'
	WHEN t = 'boolean'::regtype THEN 'boolean'
	WHEN t IN ('timestamp with time zone'::regtype, 'timestamp without time zone'::regtype, 'date'::regtype) THEN 'time'
	ELSE 'other'
	END
$$;

COMMENT ON FUNCTION driftmon.type_family(regtype) IS
  'Family of a column type used by monitors: integer, numeric (real, double precision, numeric), boolean, time (timestamptz, timestamp, date) or other';

-- normalize_monitor(m): validate a whole monitor definition, resolve the
-- source and reference to qualified names, detect feature kinds and the
-- task; raise an error naming the offending argument otherwise.
CREATE FUNCTION driftmon.normalize_monitor(m driftmon.monitors)
RETURNS driftmon.monitors
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	rel regclass;
	refrel regclass;
	t regtype;
	rt regtype;
	f text;
	kind text;
	opts jsonb;
	kinds jsonb := '{}';
	lt regtype;
	pt regtype;
	has_num boolean;
	has_cat boolean;
BEGIN
	-- name
	IF m.name IS NULL OR pg_catalog.btrim(m.name) = '' OR pg_catalog.length(m.name) > 200
	   OR m.name ~ '[[:cntrl:]]' THEN
		RAISE EXCEPTION 'invalid monitor name %', COALESCE(pg_catalog.quote_literal(m.name), 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A monitor name is 1 to 200 characters, not blank, without control characters.',
				  HINT = 'Pick a short readable name; it names the monitor in every API call, view and pg_cron job.';
	END IF;

	-- source
	IF m.source IS NULL THEN
		RAISE EXCEPTION 'source must name a table or view'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'source is NULL.',
				  HINT = 'Pass source => ''schema.table'' (a regclass).';
	END IF;
	rel := m.source::regclass;
	IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = rel) NOT IN ('r', 'v', 'm', 'p', 'f') THEN
		RAISE EXCEPTION 'source % is not a table or view', rel
			USING ERRCODE = 'wrong_object_type',
				  DETAIL = pg_catalog.format('It is a %s.', (SELECT CASE c.relkind WHEN 'S' THEN 'sequence' WHEN 'i' THEN 'index' WHEN 'I' THEN 'partitioned index' WHEN 'c' THEN 'composite type' WHEN 't' THEN 'TOAST table' ELSE 'relation of kind ' || c.relkind::text END FROM pg_catalog.pg_class c WHERE c.oid = rel)),
				  HINT = 'A monitor reads a table, partitioned table, view, materialized view or foreign table.';
	END IF;
	m.source := rel::text;		-- schema-qualified under our search_path

	-- time column
	t := driftmon.require_column(rel, m.time_column, 'time_column');
	IF driftmon.type_family(t) <> 'time' THEN
		RAISE EXCEPTION 'time_column "%" has type %', m.time_column, t
			USING ERRCODE = 'datatype_mismatch',
				  DETAIL = 'Windows are time ranges: the column must be timestamptz, timestamp or date.',
				  HINT = 'Add a generated column or a view with the time as timestamptz.';
	END IF;

	-- window
	IF m.window_size IS NULL OR m.window_size <= interval '0' THEN
		RAISE EXCEPTION 'window_size must be a positive interval, got %', COALESCE(m.window_size::text, 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Runs compare windows [window_end - window_size, window_end) of the source.',
				  HINT = 'For example window_size => interval ''1 day'' or interval ''1 hour''.';
	END IF;

	-- reference
	IF m.reference_baseline IS NOT NULL THEN
		IF m.reference_source IS NOT NULL OR m.reference_range IS NOT NULL THEN
			RAISE EXCEPTION 'reference_baseline cannot be combined with %',
				CASE WHEN m.reference_source IS NOT NULL THEN 'reference_source' ELSE 'reference' END
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'A stored baseline is the whole reference: runs read only the current window.',
					  HINT = 'Pass either reference_baseline, or reference and/or reference_source (alter_monitor: reset => ARRAY[''reference'', ''reference_source''] first).';
		END IF;
		IF NOT EXISTS (SELECT 1 FROM driftmon.baselines b WHERE b.name = m.reference_baseline) THEN
			RAISE EXCEPTION 'reference_baseline "%" does not exist', m.reference_baseline
				USING ERRCODE = 'undefined_object',
					  DETAIL = pg_catalog.format('Saved baselines: %s.',
						COALESCE((SELECT pg_catalog.string_agg(pg_catalog.quote_literal(b.name), ', ' ORDER BY b.name)
								  FROM driftmon.baselines b), 'none')),
					  HINT = 'driftmon.save_baseline(name, query) stores the profiles of a reference query as a baseline.';
		END IF;
		m.reference_kind := 'baseline';
	ELSIF m.reference_source IS NOT NULL THEN
		m.reference_kind := 'table';
		refrel := m.reference_source::regclass;
		IF (SELECT c.relkind FROM pg_catalog.pg_class c WHERE c.oid = refrel) NOT IN ('r', 'v', 'm', 'p', 'f') THEN
			RAISE EXCEPTION 'reference_source % is not a table or view', refrel
				USING ERRCODE = 'wrong_object_type',
					  DETAIL = 'A reference source is read like the source: all its rows, or those of the reference range.',
					  HINT = 'A monitor reads a table, partitioned table, view, materialized view or foreign table.';
		END IF;
		m.reference_source := refrel::text;
	ELSIF m.reference_range IS NOT NULL THEN
		m.reference_kind := 'range';
	ELSE
		m.reference_kind := 'previous';
	END IF;
	IF m.reference_range IS NOT NULL THEN
		IF pg_catalog.isempty(m.reference_range) OR pg_catalog.lower_inf(m.reference_range)
		   OR pg_catalog.upper_inf(m.reference_range) THEN
			RAISE EXCEPTION 'reference range % must be non-empty with finite bounds', m.reference_range
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The reference range selects rows of the source (or of reference_source) by time_column.',
					  HINT = 'For example reference => tstzrange(''2026-01-01'', ''2026-02-01'').';
		END IF;
		IF refrel IS NOT NULL THEN
			rt := driftmon.require_column(refrel, m.time_column, 'time_column (in reference_source)');
			IF driftmon.type_family(rt) <> 'time' THEN
				RAISE EXCEPTION 'time_column "%" of reference_source % has type %', m.time_column, refrel, rt
					USING ERRCODE = 'datatype_mismatch',
						  DETAIL = 'The reference range selects the reference rows by the same time_column, which must be a time there too.',
						  HINT = 'Windows are time ranges: the column must be timestamptz, timestamp or date; use a view with it as timestamptz.';
			END IF;
		END IF;
	END IF;

	-- features
	m.features := COALESCE(m.features, '{}');
	m.feature_options := COALESCE(m.feature_options, '{}');
	IF pg_catalog.jsonb_typeof(m.feature_options) <> 'object' THEN
		RAISE EXCEPTION 'feature_options must be a JSON object keyed by feature'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = pg_catalog.format('Got a JSON %s.', pg_catalog.jsonb_typeof(m.feature_options)),
				  HINT = 'For example {"zip": {"kind": "categorical"}, "age": {"thresholds": {"psi": {"alert": 0.3}}}}.';
	END IF;
	FOR f IN SELECT pg_catalog.jsonb_object_keys(m.feature_options)
	LOOP
		IF NOT f = ANY (m.features) THEN
			RAISE EXCEPTION 'feature_options names "%", which is not in features', f
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = pg_catalog.format('Features: %s.', COALESCE(pg_catalog.array_to_string(m.features, ', '), 'none')),
					  HINT = 'Options apply to monitored features only: add the column to features, or remove its key from feature_options.';
		END IF;
	END LOOP;
	IF pg_catalog.array_position(m.features, NULL) IS NOT NULL THEN
		RAISE EXCEPTION 'features must not contain NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  DETAIL = 'Each element of features names a column.',
				  HINT = 'Remove the NULL from the array.';
	END IF;
	FOREACH f IN ARRAY m.features
	LOOP
		IF pg_catalog.cardinality(pg_catalog.array_positions(m.features, f)) > 1 THEN
			RAISE EXCEPTION 'feature "%" is listed more than once', f
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'Each feature is compared once per run.',
					  HINT = 'List each column once in features.';
		END IF;
		t := driftmon.require_column(rel, f, 'feature');
		opts := COALESCE(m.feature_options -> f, '{}');
		IF pg_catalog.jsonb_typeof(opts) <> 'object' THEN
			RAISE EXCEPTION 'feature_options for "%" must be a JSON object', f
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = pg_catalog.format('Got %s.', m.feature_options -> f),
					  HINT = 'For example {"zip": {"kind": "categorical"}, "age": {"thresholds": {"psi": {"alert": 0.3}}}}.';
		END IF;
		IF EXISTS (SELECT 1 FROM pg_catalog.jsonb_object_keys(opts) k WHERE k NOT IN ('kind', 'thresholds')) THEN
			RAISE EXCEPTION 'feature_options for "%" has an unknown key', f
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = pg_catalog.format('Keys given: %s.',
						(SELECT pg_catalog.string_agg(k, ', ' ORDER BY k) FROM pg_catalog.jsonb_object_keys(opts) k)),
					  HINT = 'Allowed keys: kind ("numeric" or "categorical"), thresholds.';
		END IF;
		kind := opts ->> 'kind';
		IF kind IS NULL THEN
			kind := CASE WHEN driftmon.type_family(t) IN ('integer', 'numeric') THEN 'numeric'
						 WHEN driftmon.type_family(t) = 'time' THEN NULL
						 ELSE 'categorical' END;
			IF kind IS NULL THEN
				RAISE EXCEPTION 'cannot detect the kind of feature "%" of type %', f, t
					USING ERRCODE = 'datatype_mismatch',
						  DETAIL = 'Numbers are compared as distributions, other types as categories; time columns are neither.',
						  HINT = 'Set feature_options => ''{"<feature>": {"kind": "categorical"}}'' to compare its values as categories.';
			END IF;
		ELSIF kind NOT IN ('numeric', 'categorical') THEN
			RAISE EXCEPTION 'feature "%" has kind "%"', f, kind
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'Allowed kinds: numeric, categorical.',
					  HINT = 'The kind of a feature is "numeric" or "categorical".';
		ELSIF kind = 'numeric' AND driftmon.type_family(t) NOT IN ('integer', 'numeric') THEN
			RAISE EXCEPTION 'feature "%" of type % cannot be numeric', f, t
				USING ERRCODE = 'datatype_mismatch',
					  DETAIL = 'A numeric feature is compared as double precision values.',
					  HINT = 'Numeric features are smallint, integer, bigint, real, double precision or numeric columns; cast others in a view.';
		END IF;
		PERFORM driftmon.check_thresholds(opts -> 'thresholds',
										  pg_catalog.format('thresholds of feature "%s"', f));
		IF refrel IS NOT NULL THEN
			rt := driftmon.require_column(refrel, f, 'feature (in reference_source)');
			IF kind = 'numeric' AND driftmon.type_family(rt) NOT IN ('integer', 'numeric') THEN
				RAISE EXCEPTION 'feature "%" is numeric but has type % in reference_source %', f, rt, refrel
					USING ERRCODE = 'datatype_mismatch',
						  DETAIL = 'Both sides of a comparison must be numbers.',
						  HINT = 'Cast the column to a number in a view over reference_source, or set feature_options => ''{"<feature>": {"kind": "categorical"}}''.';
			END IF;
		END IF;
		IF m.reference_baseline IS NOT NULL THEN
			SELECT p.numeric IS NOT NULL, p.categorical IS NOT NULL INTO has_num, has_cat
			FROM driftmon.baseline_profiles p
			WHERE p.baseline = m.reference_baseline AND p.feature = f;
			IF NOT FOUND THEN
				RAISE EXCEPTION 'feature "%" has no profile in reference_baseline "%"', f, m.reference_baseline
					USING ERRCODE = 'invalid_parameter_value',
						  DETAIL = pg_catalog.format('Features of baseline %s: %s.', pg_catalog.quote_literal(m.reference_baseline),
							COALESCE((SELECT pg_catalog.string_agg(pg_catalog.quote_ident(p.feature), ', ' ORDER BY p.feature)
									  FROM driftmon.baseline_profiles p WHERE p.baseline = m.reference_baseline), 'none')),
						  HINT = 'Save the baseline from a query selecting every monitored feature under its column name: driftmon.save_baseline(name, query, replace => true).';
			ELSIF kind = 'numeric' AND NOT has_num THEN
				RAISE EXCEPTION 'feature "%" is numeric but reference_baseline "%" stores a categorical profile for it', f, m.reference_baseline
					USING ERRCODE = 'datatype_mismatch',
						  DETAIL = 'Both sides of a comparison must be profiles of the same kind.',
						  HINT = 'Save the baseline with the column as a number, or set feature_options => ''{"<feature>": {"kind": "categorical"}}''.';
			ELSIF kind = 'categorical' AND NOT has_cat THEN
				RAISE EXCEPTION 'feature "%" is categorical but reference_baseline "%" stores a numeric profile for it', f, m.reference_baseline
					USING ERRCODE = 'datatype_mismatch',
						  DETAIL = 'Both sides of a comparison must be profiles of the same kind.',
						  HINT = 'Save the baseline with the column cast to text (SELECT col::text AS col ...), or drop the "kind" option of the feature.';
			END IF;
		END IF;
		kinds := kinds || pg_catalog.jsonb_build_object(f, kind);
	END LOOP;
	m.feature_kinds := kinds;

	-- segment
	IF m.segment_column IS NOT NULL THEN
		PERFORM driftmon.require_column(rel, m.segment_column, 'segment');
		IF refrel IS NOT NULL THEN
			PERFORM driftmon.require_column(refrel, m.segment_column, 'segment (in reference_source)');
		END IF;
	END IF;

	-- model quality
	IF m.prediction_column IS NOT NULL THEN
		pt := driftmon.require_column(rel, m.prediction_column, 'prediction');
	END IF;
	IF m.label_column IS NOT NULL THEN
		lt := driftmon.require_column(rel, m.label_column, 'label');
	END IF;
	IF m.score_column IS NOT NULL THEN
		t := driftmon.require_column(rel, m.score_column, 'score');
		IF driftmon.type_family(t) NOT IN ('integer', 'numeric') THEN
			RAISE EXCEPTION 'score "%" has type %', m.score_column, t
				USING ERRCODE = 'datatype_mismatch',
					  DETAIL = 'The score is the model''s probability or score of the positive class.',
					  HINT = 'Pass a smallint, integer, bigint, real, double precision or numeric column; cast others in a view.';
		END IF;
	END IF;
	IF (m.prediction_column IS NOT NULL OR m.score_column IS NOT NULL) AND m.label_column IS NULL THEN
		RAISE EXCEPTION 'prediction or score given without label'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Quality metrics need the true label of each row.',
				  HINT = 'Quality metrics compare predictions with labels: pass label => ''<column>'' too (rows with NULL label are skipped).';
	END IF;
	IF m.label_column IS NOT NULL AND m.prediction_column IS NULL AND m.score_column IS NULL THEN
		RAISE EXCEPTION 'label given without prediction or score'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Quality metrics compare the label with a prediction (classification, regression) or a score (roc_auc, average_precision).',
				  HINT = 'Pass prediction => ''<column>'' and/or score => ''<column>'' too.';
	END IF;
	IF m.score_column IS NOT NULL AND driftmon.type_family(lt) NOT IN ('boolean', 'integer') THEN
		RAISE EXCEPTION 'label "%" of type % cannot go with score', m.label_column, lt
			USING ERRCODE = 'datatype_mismatch',
				  DETAIL = 'ROC AUC needs a binary label: boolean, or an integer where non-zero is the positive class.',
				  HINT = 'Use a boolean label, or an integer one (non-zero = positive); cast others in a view.';
	END IF;
	IF m.prediction_column IS NOT NULL THEN
		IF m.task IS NULL THEN
			m.task := CASE WHEN driftmon.type_family(lt) = 'numeric' THEN 'regression' ELSE 'classification' END;
		ELSIF m.task NOT IN ('classification', 'regression') THEN
			RAISE EXCEPTION 'task must be "classification" or "regression", got "%"', m.task
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'The task is detected from the label type when omitted: numeric label = regression, else classification.',
					  HINT = 'Pass task => ''classification'' or task => ''regression'', or omit it.';
		END IF;
		IF m.task = 'regression' AND (driftmon.type_family(lt) NOT IN ('integer', 'numeric')
									  OR driftmon.type_family(pt) NOT IN ('integer', 'numeric')) THEN
			RAISE EXCEPTION 'regression needs numeric label and prediction, got % and %', lt, pt
				USING ERRCODE = 'datatype_mismatch',
					  DETAIL = 'Regression metrics (mae, rmse, r2...) subtract predictions from labels.',
					  HINT = 'Use integer or real/double/numeric columns, or task => ''classification''.';
		END IF;
	ELSIF m.task IS NOT NULL THEN
		RAISE EXCEPTION 'task given without prediction'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'The task says how predictions are compared with labels; without a prediction column there is none.',
				  HINT = 'Pass prediction => ''<column>'', or drop task.';
	END IF;

	IF pg_catalog.cardinality(m.features) = 0 AND m.label_column IS NULL THEN
		RAISE EXCEPTION 'a monitor needs at least one feature or a label'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Without features there is no drift to compute, without a label no quality metric.',
				  HINT = 'Pass features => ARRAY[''col1'', ''col2''] and/or prediction/label/score.';
	END IF;

	-- custom checks report under their name: no column may share it
	SELECT c.name INTO f FROM driftmon.checks c
	WHERE c.monitor_id = m.monitor_id
	  AND c.name = ANY (m.features || m.prediction_column || m.score_column)
	ORDER BY c.name LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'column "%" has the name of a custom check of the monitor', f
			USING ERRCODE = 'duplicate_object',
				  DETAIL = 'Results of a check have the check name as their feature, like the drift and quality results of that column.',
				  HINT = 'Drop the check (driftmon.drop_check) and add it again under another name.';
	END IF;

	-- thresholds
	m.thresholds := COALESCE(m.thresholds, '{}');
	PERFORM driftmon.check_thresholds(m.thresholds, 'thresholds');
	m.bonferroni := COALESCE(m.bonferroni, false);
	m.store_profiles := COALESCE(m.store_profiles, true);
	RETURN m;
END
$$;

COMMENT ON FUNCTION driftmon.normalize_monitor(driftmon.monitors) IS
  'Validates a monitor definition (columns, types, reference, thresholds), resolves names and feature kinds; raises an error naming the offending argument';

-- monitor_row(name): the live monitor called name, or an error.
CREATE FUNCTION driftmon.monitor_row(monitor text)
RETURNS driftmon.monitors
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
BEGIN
	SELECT * INTO m FROM driftmon.monitors AS x WHERE x.name = monitor AND x.dropped_at IS NULL;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'monitor % does not exist', COALESCE(pg_catalog.quote_literal(monitor), 'NULL')
			USING ERRCODE = 'undefined_object',
				  DETAIL = 'No live monitor has this name (names are case-sensitive; dropped monitors keep their history but not their name).',
				  HINT = 'SELECT name FROM driftmon.monitor_list lists the monitors.';
	END IF;
	RETURN m;
END
$$;

COMMENT ON FUNCTION driftmon.monitor_row(text) IS
  'The live (not dropped) monitor with this name; raises undefined_object otherwise';

-- API: create / alter / drop ---------------------------------------------------

CREATE FUNCTION driftmon.create_monitor(
	name            text,
	source          regclass,
	time_column     text,
	features        text[] DEFAULT '{}',
	window_size     interval DEFAULT interval '1 day',
	reference       tstzrange DEFAULT NULL,
	reference_source regclass DEFAULT NULL,
	prediction      text DEFAULT NULL,
	label           text DEFAULT NULL,
	score           text DEFAULT NULL,
	segment         text DEFAULT NULL,
	feature_options jsonb DEFAULT '{}',
	thresholds      jsonb DEFAULT '{}',
	bonferroni      boolean DEFAULT false,
	task            text DEFAULT NULL,
	description     text DEFAULT NULL,
	reference_baseline text DEFAULT NULL,
	store_profiles  boolean DEFAULT true)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
BEGIN
	m.name := create_monitor.name;
	m.source := create_monitor.source::text;
	m.time_column := create_monitor.time_column;
	m.features := create_monitor.features;
	m.window_size := create_monitor.window_size;
	m.reference_range := create_monitor.reference;
	m.reference_source := create_monitor.reference_source::text;
	m.prediction_column := create_monitor.prediction;
	m.label_column := create_monitor.label;
	m.score_column := create_monitor.score;
	m.segment_column := create_monitor.segment;
	m.feature_options := create_monitor.feature_options;
	m.thresholds := create_monitor.thresholds;
	m.bonferroni := create_monitor.bonferroni;
	m.task := create_monitor.task;
	m.description := create_monitor.description;
	m.reference_baseline := create_monitor.reference_baseline;
	m.store_profiles := create_monitor.store_profiles;
	m := driftmon.normalize_monitor(m);
	IF EXISTS (SELECT 1 FROM driftmon.monitors x WHERE x.name = m.name AND x.dropped_at IS NULL) THEN
		RAISE EXCEPTION 'monitor % already exists', pg_catalog.quote_literal(m.name)
			USING ERRCODE = 'duplicate_object',
				  DETAIL = 'Names of live monitors are unique.',
				  HINT = 'Use driftmon.alter_monitor to change it, or driftmon.drop_monitor first.';
	END IF;
	-- a concurrent create of the same name commits first: the unique index
	-- (live names) then refuses this one
	BEGIN
		INSERT INTO driftmon.monitors (name, source, time_column, features, feature_options, feature_kinds,
			prediction_column, label_column, score_column, segment_column, task, reference_kind,
			reference_range, reference_source, window_size, thresholds, bonferroni, description,
			reference_baseline, store_profiles)
		VALUES (m.name, m.source, m.time_column, m.features, m.feature_options, m.feature_kinds,
			m.prediction_column, m.label_column, m.score_column, m.segment_column, m.task, m.reference_kind,
			m.reference_range, m.reference_source, m.window_size, m.thresholds, m.bonferroni, m.description,
			m.reference_baseline, m.store_profiles)
		RETURNING monitor_id INTO m.monitor_id;
	EXCEPTION WHEN unique_violation THEN
		RAISE EXCEPTION 'monitor % already exists', pg_catalog.quote_literal(m.name)
			USING ERRCODE = 'duplicate_object',
				  DETAIL = 'Another session created or renamed a monitor to this name at the same time.',
				  HINT = 'Use driftmon.alter_monitor to change it, or driftmon.drop_monitor first.';
	END;
	RETURN m.monitor_id;
END
$$;

COMMENT ON FUNCTION driftmon.create_monitor(text, regclass, text, text[], interval, tstzrange, regclass, text, text, text, text, jsonb, jsonb, boolean, text, text, text, boolean) IS
  'Declares a monitor over a table or view (call with named arguments); validates everything up front; reference = a time range of the source, another table/view (reference_source), a stored baseline (reference_baseline: runs read only the current window and compare profiles), or the previous window when none is given; store_profiles (default true) keeps the profiles of each current window in run_profiles. Returns the monitor id';

CREATE FUNCTION driftmon.alter_monitor(
	name            text,
	new_name        text DEFAULT NULL,
	source          regclass DEFAULT NULL,
	time_column     text DEFAULT NULL,
	features        text[] DEFAULT NULL,
	window_size     interval DEFAULT NULL,
	reference       tstzrange DEFAULT NULL,
	reference_source regclass DEFAULT NULL,
	prediction      text DEFAULT NULL,
	label           text DEFAULT NULL,
	score           text DEFAULT NULL,
	segment         text DEFAULT NULL,
	feature_options jsonb DEFAULT NULL,
	thresholds      jsonb DEFAULT NULL,
	bonferroni      boolean DEFAULT NULL,
	task            text DEFAULT NULL,
	description     text DEFAULT NULL,
	reset           text[] DEFAULT '{}',
	reference_baseline text DEFAULT NULL,
	store_profiles  boolean DEFAULT NULL)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
	r text;
	job bigint;
	sched text;
BEGIN
	m := driftmon.monitor_row(alter_monitor.name);
	FOREACH r IN ARRAY COALESCE(alter_monitor.reset, '{}')
	LOOP
		CASE r
		WHEN 'prediction' THEN m.prediction_column := NULL; m.task := NULL;
		WHEN 'label' THEN m.label_column := NULL; m.task := NULL;
		WHEN 'score' THEN m.score_column := NULL;
		WHEN 'segment' THEN m.segment_column := NULL;
		WHEN 'reference' THEN m.reference_range := NULL;
		WHEN 'reference_source' THEN m.reference_source := NULL;
		WHEN 'reference_baseline' THEN m.reference_baseline := NULL;
		WHEN 'feature_options' THEN m.feature_options := '{}';
		WHEN 'thresholds' THEN m.thresholds := '{}';
		WHEN 'task' THEN m.task := NULL;
		WHEN 'description' THEN m.description := NULL;
		ELSE
			RAISE EXCEPTION 'cannot reset "%"', r
				USING ERRCODE = 'invalid_parameter_value',
					  DETAIL = 'reset clears optional settings only.',
					  HINT = 'reset accepts prediction, label, score, segment, reference, reference_source, reference_baseline, feature_options, thresholds, task, description.';
		END CASE;
	END LOOP;
	IF alter_monitor.new_name IS NOT NULL THEN m.name := alter_monitor.new_name; END IF;
	IF alter_monitor.source IS NOT NULL THEN m.source := alter_monitor.source::text; END IF;
	IF alter_monitor.time_column IS NOT NULL THEN m.time_column := alter_monitor.time_column; END IF;
	IF alter_monitor.features IS NOT NULL THEN
		m.features := alter_monitor.features;
		IF alter_monitor.feature_options IS NULL THEN
			-- forget the options of features that are gone
			m.feature_options := COALESCE((SELECT pg_catalog.jsonb_object_agg(e.key, e.value)
				FROM pg_catalog.jsonb_each(m.feature_options) e
				WHERE e.key = ANY (alter_monitor.features)), '{}');
		END IF;
	END IF;
	IF alter_monitor.window_size IS NOT NULL THEN m.window_size := alter_monitor.window_size; END IF;
	IF alter_monitor.reference IS NOT NULL THEN m.reference_range := alter_monitor.reference; END IF;
	IF alter_monitor.reference_source IS NOT NULL THEN m.reference_source := alter_monitor.reference_source::text; END IF;
	-- A new kind of reference replaces the old one; both in one call is refused.
	IF alter_monitor.reference_baseline IS NOT NULL THEN
		m.reference_baseline := alter_monitor.reference_baseline;
		IF alter_monitor.reference IS NULL AND alter_monitor.reference_source IS NULL THEN
			m.reference_range := NULL;
			m.reference_source := NULL;
		END IF;
	ELSIF alter_monitor.reference IS NOT NULL OR alter_monitor.reference_source IS NOT NULL THEN
		m.reference_baseline := NULL;
	END IF;
	IF alter_monitor.store_profiles IS NOT NULL THEN m.store_profiles := alter_monitor.store_profiles; END IF;
	IF alter_monitor.prediction IS NOT NULL THEN m.prediction_column := alter_monitor.prediction; m.task := NULL; END IF;
	IF alter_monitor.label IS NOT NULL THEN m.label_column := alter_monitor.label; m.task := NULL; END IF;
	IF alter_monitor.score IS NOT NULL THEN m.score_column := alter_monitor.score; END IF;
	IF alter_monitor.segment IS NOT NULL THEN m.segment_column := alter_monitor.segment; END IF;
	IF alter_monitor.feature_options IS NOT NULL THEN m.feature_options := alter_monitor.feature_options; END IF;
	IF alter_monitor.thresholds IS NOT NULL THEN m.thresholds := alter_monitor.thresholds; END IF;
	IF alter_monitor.bonferroni IS NOT NULL THEN m.bonferroni := alter_monitor.bonferroni; END IF;
	IF alter_monitor.task IS NOT NULL THEN m.task := alter_monitor.task; END IF;
	IF alter_monitor.description IS NOT NULL THEN m.description := alter_monitor.description; END IF;
	m := driftmon.normalize_monitor(m);
	IF EXISTS (SELECT 1 FROM driftmon.monitors x
			   WHERE x.name = m.name AND x.dropped_at IS NULL AND x.monitor_id <> m.monitor_id) THEN
		RAISE EXCEPTION 'monitor % already exists', pg_catalog.quote_literal(m.name)
			USING ERRCODE = 'duplicate_object',
				  DETAIL = 'Names of live monitors are unique.',
				  HINT = 'Choose another new_name, or drop the other monitor first.';
	END IF;
	-- a concurrent create or rename to the same name commits first: the
	-- unique index (live names) then refuses this one
	BEGIN
		UPDATE driftmon.monitors x SET
			name = m.name, source = m.source, time_column = m.time_column, features = m.features,
			feature_options = m.feature_options, feature_kinds = m.feature_kinds,
			prediction_column = m.prediction_column, label_column = m.label_column,
			score_column = m.score_column, segment_column = m.segment_column, task = m.task,
			reference_kind = m.reference_kind, reference_range = m.reference_range,
			reference_source = m.reference_source, window_size = m.window_size,
			thresholds = m.thresholds, bonferroni = m.bonferroni, description = m.description,
			reference_baseline = m.reference_baseline, store_profiles = m.store_profiles,
			updated_at = pg_catalog.now()
		WHERE x.monitor_id = m.monitor_id;
	EXCEPTION WHEN unique_violation THEN
		RAISE EXCEPTION 'monitor % already exists', pg_catalog.quote_literal(m.name)
			USING ERRCODE = 'duplicate_object',
				  DETAIL = 'Another session created or renamed a monitor to this name at the same time.',
				  HINT = 'Choose another new_name, or drop the other monitor first.';
	END;
	-- A renamed monitor keeps its pg_cron jobs: they name it by id.  The
	-- current user's job is relabelled driftmon:<new name> (same schedule);
	-- other roles' jobs keep running it under their old label.
	IF m.name <> alter_monitor.name THEN
		job := driftmon.cron_job(m.name);
		IF job IS NOT NULL THEN
			EXECUTE 'SELECT j.schedule FROM cron.job j WHERE j.jobid = $1' INTO sched USING job;
			PERFORM driftmon.schedule_monitor(m.name, sched);
		END IF;
	END IF;
END
$$;

COMMENT ON FUNCTION driftmon.alter_monitor(text, text, regclass, text, text[], interval, tstzrange, regclass, text, text, text, text, jsonb, jsonb, boolean, text, text, text[], text, boolean) IS
  'Changes a monitor: every named argument given replaces the setting, reset => ARRAY[...] clears optional ones (segment, label, reference...); giving reference_baseline drops the reference range/source and giving reference or reference_source drops the baseline; the result is validated like create_monitor; a rename moves its pg_cron job. Past runs keep the configuration they ran with';

-- drop_monitor(name, keep_history, if_exists): see below; purge_runs is the
-- one place that removes audit rows, and it logs what it removed.
CREATE FUNCTION driftmon.purge_runs(monitor_id bigint, older_than timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	mname text;
	nres bigint;
	nprof bigint;
	nruns bigint;
	first_id bigint;
	last_id bigint;
	ids bigint[];
	pid bigint;
	gone_runs bigint;
	gone_res bigint;
	gone_prof bigint;
BEGIN
	SELECT x.name INTO mname FROM driftmon.monitors x WHERE x.monitor_id = purge_runs.monitor_id;
	-- The doomed runs, counted with their results and profiles, are logged
	-- first: the trigger lets a DELETE through only under a logged purge.
	ids := ARRAY(SELECT r.run_id FROM driftmon.runs r
				 WHERE r.monitor_id = purge_runs.monitor_id AND r.window_end < purge_runs.older_than
				 ORDER BY r.run_id);
	nruns := pg_catalog.cardinality(ids);
	first_id := ids[1];
	last_id := ids[nruns];
	SELECT pg_catalog.count(*) INTO nres FROM driftmon.results x WHERE x.run_id = ANY (ids);
	SELECT pg_catalog.count(*) INTO nprof FROM driftmon.run_profiles x WHERE x.run_id = ANY (ids);
	INSERT INTO driftmon.purge_log (monitor_id, monitor_name, older_than, runs_removed,
									results_removed, first_run_id, last_run_id, profiles_removed)
	VALUES (purge_runs.monitor_id, mname, purge_runs.older_than, nruns, nres, first_id, last_id, nprof)
	RETURNING purge_id INTO pid;
	IF nruns = 0 THEN
		RETURN 0;
	END IF;
	PERFORM pg_catalog.set_config('driftmon_audit.purge', pid::text, true);
	DELETE FROM driftmon.run_profiles x WHERE x.run_id = ANY (ids);
	GET DIAGNOSTICS gone_prof = ROW_COUNT;
	DELETE FROM driftmon.results x WHERE x.run_id = ANY (ids);
	GET DIAGNOSTICS gone_res = ROW_COUNT;
	DELETE FROM driftmon.runs r WHERE r.run_id = ANY (ids);
	GET DIAGNOSTICS gone_runs = ROW_COUNT;
	PERFORM pg_catalog.set_config('driftmon_audit.purge', '', true);
	-- a concurrent purge of the same runs removed some first: the log
	-- would be wrong, so this one fails (and logs nothing)
	IF (gone_runs, gone_res, gone_prof) IS DISTINCT FROM (nruns, nres, nprof) THEN
		RAISE EXCEPTION 'purge of monitor % changed while it ran', pg_catalog.quote_literal(mname)
			USING ERRCODE = 'serialization_failure',
				  DETAIL = pg_catalog.format('Counted %s runs, %s results, %s profiles; removed %s, %s, %s.',
					nruns, nres, nprof, gone_runs, gone_res, gone_prof),
				  HINT = 'Another session purged the same history at the same time; run the purge again.';
	END IF;
	RETURN nruns;
END
$$;

COMMENT ON FUNCTION driftmon.purge_runs(bigint, timestamptz) IS
  'Internal: removes the runs (and their results and run profiles) of one monitor whose window ended before older_than, logging the removal in purge_log first (counts taken before deleting; fails if a concurrent purge changed them)';

CREATE FUNCTION driftmon.purge_history(monitor text, older_than timestamptz)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	id bigint;
	total bigint := 0;
BEGIN
	IF older_than IS NULL THEN
		RAISE EXCEPTION 'older_than must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  DETAIL = 'older_than bounds the window_end of the runs to remove.',
				  HINT = 'For example driftmon.purge_history(''my_monitor'', now() - interval ''1 year''); pass ''infinity'' to remove everything.';
	END IF;
	IF monitor IS NOT NULL AND NOT EXISTS (SELECT 1 FROM driftmon.monitors x WHERE x.name = monitor) THEN
		RAISE EXCEPTION 'monitor % does not exist', pg_catalog.quote_literal(monitor)
			USING ERRCODE = 'undefined_object',
				  DETAIL = 'No monitor, live or dropped, has this name.',
				  HINT = 'Pass NULL to purge the history of every monitor.';
	END IF;
	FOR id IN SELECT x.monitor_id FROM driftmon.monitors x
			  WHERE monitor IS NULL OR x.name = monitor ORDER BY x.monitor_id
	LOOP
		total := total + driftmon.purge_runs(id, older_than);
	END LOOP;
	RETURN total;
END
$$;

COMMENT ON FUNCTION driftmon.purge_history(text, timestamptz) IS
  'Retention: removes runs (and their results and run profiles) whose window ended before older_than, for one monitor (also dropped ones of that name) or all (NULL); records each removal in driftmon.purge_log and returns the number of runs removed. The only way to remove audit history';

-- pg_cron helpers ------------------------------------------------------------

-- require_pg_cron(): error with a hint unless pg_cron is installed here.
CREATE FUNCTION driftmon.require_pg_cron()
RETURNS void
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	crondb text;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
		-- cron.database_name is superuser-only (pg_read_all_settings): for
		-- other roles it stays unknown rather than replacing this error
		BEGIN
			crondb := pg_catalog.current_setting('cron.database_name', true);
		EXCEPTION WHEN insufficient_privilege THEN
			RAISE EXCEPTION 'pg_cron is not installed in database %', pg_catalog.quote_ident(pg_catalog.current_database())
				USING ERRCODE = 'feature_not_supported',
					  DETAIL = 'cron.database_name, the database pg_cron runs from, is readable only by superusers and pg_read_all_settings.',
					  HINT = 'pg_cron must be in shared_preload_libraries, with cron.database_name set to this database and CREATE EXTENSION pg_cron run here; or run driftmon.run_monitor from another scheduler.';
		END;
		-- pg_cron schedules only from its one database (cron.database_name)
		IF crondb IS NOT NULL AND crondb <> pg_catalog.current_database() THEN
			RAISE EXCEPTION 'pg_cron is not installed in database %', pg_catalog.quote_ident(pg_catalog.current_database())
				USING ERRCODE = 'feature_not_supported',
					  DETAIL = pg_catalog.format('pg_cron runs from database %s (cron.database_name); schedule_monitor schedules only when driftmon is installed in that database.',
						pg_catalog.quote_ident(crondb)),
					  HINT = pg_catalog.format('Install driftmon in database %s, or there, as a superuser, run SELECT cron.schedule_in_database(''driftmon:<name>'', ''<cron expression>'', ''SELECT driftmon.run_monitor(...)'', %L); or run driftmon.run_monitor from another scheduler.',
						pg_catalog.quote_ident(crondb), pg_catalog.current_database());
		END IF;
		RAISE EXCEPTION 'pg_cron is not installed in database %', pg_catalog.quote_ident(pg_catalog.current_database())
			USING ERRCODE = 'feature_not_supported',
				  DETAIL = pg_catalog.format('cron.database_name is %s.',
					COALESCE(pg_catalog.quote_ident(crondb),
							 'not set (pg_cron is not in shared_preload_libraries)')),
				  HINT = 'Add pg_cron to shared_preload_libraries, set cron.database_name to this database and run CREATE EXTENSION pg_cron here; or run driftmon.run_monitor from another scheduler.';
	END IF;
	IF NOT pg_catalog.has_schema_privilege('cron', 'USAGE') THEN
		RAISE EXCEPTION 'permission denied for schema cron'
			USING ERRCODE = 'insufficient_privilege',
				  DETAIL = pg_catalog.format('Role %s may not use pg_cron, which schedules monitors.', pg_catalog.quote_ident(CURRENT_USER)),
				  HINT = pg_catalog.format('A superuser can allow it: GRANT USAGE ON SCHEMA cron TO %s;', pg_catalog.quote_ident(CURRENT_USER));
	END IF;
END
$$;

COMMENT ON FUNCTION driftmon.require_pg_cron() IS
  'Raises feature_not_supported with a hint unless the pg_cron extension is installed in the current database, insufficient_privilege with a hint unless the current user has USAGE on schema cron';

-- cron_command(monitor_id): the command of a monitor's pg_cron job.  It names
-- the monitor by id, not by name: a job keeps running the right monitor
-- after a rename (by any role), never runs another monitor that later takes
-- the old name, and can find and remove itself once the monitor is dropped
-- (see run_scheduled).  An integer cannot inject anything.
CREATE FUNCTION driftmon.cron_command(monitor_id bigint)
RETURNS text
LANGUAGE sql IMMUTABLE STRICT
SET search_path = pg_catalog, pg_temp
AS $$ SELECT pg_catalog.format('SELECT driftmon.run_scheduled(%s)', monitor_id) $$;

COMMENT ON FUNCTION driftmon.cron_command(bigint) IS
  'Internal: the command of the pg_cron job of a monitor, SELECT driftmon.run_scheduled(<monitor_id>)';

-- cron_job_ids(monitor_id, all_owners): the pg_cron jobs that run a monitor,
-- found by their command.  cron.job has row-level security (a role sees only
-- its own jobs; a superuser sees all): all_owners => false keeps only the
-- current user's jobs even for a superuser.  Empty without pg_cron.
CREATE FUNCTION driftmon.cron_job_ids(monitor_id bigint, all_owners boolean)
RETURNS bigint[]
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	ids bigint[];
BEGIN
	-- without USAGE on schema cron a role has no job it could see (and
	-- drop_monitor or a rename must still work for it)
	IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_extension WHERE extname = 'pg_cron') THEN
		RETURN '{}';
	END IF;
	IF NOT pg_catalog.has_schema_privilege('cron', 'USAGE') THEN
		RETURN '{}';
	END IF;
	EXECUTE 'SELECT COALESCE(pg_catalog.array_agg(j.jobid ORDER BY j.jobid), ''{}'') FROM cron.job j
			 WHERE j.command = $1 AND ($2 OR j.username = CURRENT_USER)'
		INTO ids USING driftmon.cron_command(monitor_id), COALESCE(all_owners, false);
	RETURN ids;
END
$$;

COMMENT ON FUNCTION driftmon.cron_job_ids(bigint, boolean) IS
  'Internal: ids of the pg_cron jobs running a monitor (found by their command), the current user''s only unless all_owners (then every job the caller can see: all of them for a superuser); empty without pg_cron or without USAGE on schema cron';

-- cron_job(name): the current user's pg_cron job of a live monitor, NULL
-- when none or without pg_cron.
CREATE FUNCTION driftmon.cron_job(monitor text)
RETURNS bigint
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	id bigint;
BEGIN
	SELECT x.monitor_id INTO id FROM driftmon.monitors x
	WHERE x.name = monitor AND x.dropped_at IS NULL;
	IF id IS NULL THEN
		RETURN NULL;
	END IF;
	RETURN (driftmon.cron_job_ids(id, false))[1];
END
$$;

COMMENT ON FUNCTION driftmon.cron_job(text) IS
  'The id of the current user''s pg_cron job that runs a live monitor (command SELECT driftmon.run_scheduled(<monitor_id>)), NULL when there is none or pg_cron is not installed';

-- unschedule_jobs(ids): cron.unschedule each job; returns how many.
CREATE FUNCTION driftmon.unschedule_jobs(ids bigint[])
RETURNS integer
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	id bigint;
	n integer := 0;
BEGIN
	FOREACH id IN ARRAY COALESCE(ids, '{}')
	LOOP
		EXECUTE 'SELECT cron.unschedule($1)' USING id;
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;

COMMENT ON FUNCTION driftmon.unschedule_jobs(bigint[]) IS
  'Internal: removes the given pg_cron jobs (cron.unschedule) and returns how many';

-- cron_job_name(monitor_id, name): the job name for a monitor, driftmon:<name>.
-- pg_cron job names are of type name (63 bytes) and cron.schedule replaces
-- the job of the same user with the same name, so a name that does not fit
-- or is already used by the user's job of another monitor (a job not yet
-- relabelled after a rename by another role) becomes
-- driftmon:<monitor_id>:<name>, cut to 63 bytes, which is unique.
CREATE FUNCTION driftmon.cron_job_name(monitor_id bigint, monitor text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	cand text;
	taken boolean;
BEGIN
	FOREACH cand IN ARRAY ARRAY['driftmon:' || monitor, 'driftmon:' || monitor_id || ':' || monitor]
	LOOP
		IF pg_catalog.octet_length(cand) > 63 THEN
			IF cand = 'driftmon:' || monitor THEN
				CONTINUE;
			END IF;
			cand := pg_catalog.left(cand, 63);
			WHILE pg_catalog.octet_length(cand) > 63 LOOP
				cand := pg_catalog.left(cand, -1);
			END LOOP;
		END IF;
		EXECUTE 'SELECT EXISTS (SELECT 1 FROM cron.job j WHERE j.jobname = $1::name
				 AND j.username = CURRENT_USER AND j.command <> $2)'
			INTO taken USING cand, driftmon.cron_command(monitor_id);
		IF NOT taken THEN
			RETURN cand;
		END IF;
	END LOOP;
	RAISE EXCEPTION 'no free pg_cron job name for monitor %', pg_catalog.quote_literal(monitor)
		USING ERRCODE = 'duplicate_object',
			  DETAIL = pg_catalog.format('Job name %s is used by another of your pg_cron jobs.', pg_catalog.quote_literal(cand)),
			  HINT = 'Remove or rename that job (cron.unschedule) and schedule again.';
END
$$;

COMMENT ON FUNCTION driftmon.cron_job_name(bigint, text) IS
  'Internal: the pg_cron job name of a monitor, driftmon:<name>, or driftmon:<monitor_id>:<name> cut to 63 bytes when that does not fit or another of the user''s jobs holds it (cron.schedule would replace that job)';

CREATE FUNCTION driftmon.schedule_monitor(monitor text, schedule text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
	id bigint;
	jname text;
	others text;
	cur record;
BEGIN
	m := driftmon.monitor_row(monitor);
	PERFORM driftmon.require_pg_cron();
	IF schedule IS NULL THEN
		RAISE EXCEPTION 'schedule must not be NULL'
			USING ERRCODE = 'null_value_not_allowed',
				  DETAIL = 'A job runs on a cron schedule.',
				  HINT = 'A cron expression such as ''0 * * * *'' (hourly).';
	END IF;
	jname := driftmon.cron_job_name(m.monitor_id, m.name);
	-- the user's job of this monitor under an old name (a rename) is replaced
	EXECUTE 'SELECT j.jobid, j.jobname::text AS jobname FROM cron.job j
			 WHERE j.command = $1 AND j.username = CURRENT_USER ORDER BY j.jobid LIMIT 1'
		INTO cur USING driftmon.cron_command(m.monitor_id);
	IF cur.jobid IS NOT NULL AND cur.jobname IS DISTINCT FROM jname THEN
		EXECUTE 'SELECT cron.unschedule($1)' USING cur.jobid;
	END IF;
	EXECUTE 'SELECT cron.schedule($1, $2, $3)' INTO id
		USING jname, schedule, driftmon.cron_command(m.monitor_id);
	-- jobs of other roles are visible only to a superuser
	EXECUTE 'SELECT pg_catalog.string_agg(DISTINCT pg_catalog.quote_ident(j.username), '', '') FROM cron.job j
			 WHERE j.command = $1 AND j.username <> CURRENT_USER'
		INTO others USING driftmon.cron_command(m.monitor_id);
	IF others IS NOT NULL THEN
		RAISE WARNING 'monitor % is also scheduled by %', pg_catalog.quote_literal(m.name), others
			USING DETAIL = 'Each pg_cron job runs the monitor as its own user; runs of the same window are repeated or skipped.',
				  HINT = 'Unschedule the other job (driftmon.unschedule_monitor as that user or as a superuser).';
	END IF;
	RETURN id;
END
$$;

COMMENT ON FUNCTION driftmon.schedule_monitor(text, text) IS
  'Schedules the monitor with pg_cron as the current user: job "driftmon:<name>" running SELECT driftmon.run_scheduled(<monitor_id>) (cron expression, e.g. ''0 * * * *''); scheduling again replaces the schedule of the user''s job. Returns the pg_cron job id';

CREATE FUNCTION driftmon.unschedule_monitor(monitor text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	id bigint;
BEGIN
	PERFORM driftmon.require_pg_cron();
	SELECT x.monitor_id INTO id FROM driftmon.monitors x
	WHERE x.name = monitor AND x.dropped_at IS NULL;
	IF id IS NULL OR driftmon.unschedule_jobs(driftmon.cron_job_ids(id, true)) = 0 THEN
		RAISE NOTICE 'monitor % has no pg_cron job', COALESCE(pg_catalog.quote_literal(monitor), 'NULL')
			USING DETAIL = 'Only your own jobs are visible to you (a superuser sees every role''s).';
		RETURN false;
	END IF;
	RETURN true;
END
$$;

COMMENT ON FUNCTION driftmon.unschedule_monitor(text) IS
  'Removes the pg_cron jobs of a monitor that the caller can see (its own; every role''s for a superuser); false (with a NOTICE) when there was none';

-- run_scheduled(monitor_id): the command of a pg_cron job.  Runs the live
-- monitor with that id under its current name; when the monitor is gone
-- (dropped, possibly by another role that could not see this job), the job
-- removes itself, which its owner, running it, may do.
CREATE FUNCTION driftmon.run_scheduled(monitor_id bigint)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	mname text;
	n integer;
BEGIN
	SELECT x.name INTO mname FROM driftmon.monitors x
	WHERE x.monitor_id = run_scheduled.monitor_id AND x.dropped_at IS NULL;
	IF mname IS NULL THEN
		n := driftmon.unschedule_jobs(driftmon.cron_job_ids(run_scheduled.monitor_id, false));
		RAISE NOTICE 'monitor % no longer exists; % pg_cron job(s) running it removed', run_scheduled.monitor_id, n;
		RETURN NULL;
	END IF;
	RETURN driftmon.run_monitor(mname);
END
$$;

COMMENT ON FUNCTION driftmon.run_scheduled(bigint) IS
  'The command of a monitor''s pg_cron job: runs the live monitor with this id (whatever its current name) like run_monitor; if the monitor was dropped, removes the current user''s jobs that run it and returns NULL';

CREATE FUNCTION driftmon.drop_monitor(monitor text, keep_history boolean DEFAULT true,
									  if_exists boolean DEFAULT false)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	id bigint;
BEGIN
	SELECT x.monitor_id INTO id FROM driftmon.monitors x
	WHERE x.name = monitor AND x.dropped_at IS NULL;
	IF id IS NULL THEN
		IF if_exists THEN
			RAISE NOTICE 'monitor % does not exist, skipping', COALESCE(pg_catalog.quote_literal(monitor), 'NULL');
			RETURN false;
		END IF;
		PERFORM driftmon.monitor_row(monitor);		-- raises
	END IF;
	-- every job the caller can see (a superuser: all roles'); other roles'
	-- jobs remove themselves when they next fire (run_scheduled)
	PERFORM driftmon.unschedule_jobs(driftmon.cron_job_ids(id, true));
	IF COALESCE(keep_history, true) THEN
		UPDATE driftmon.monitors x SET dropped_at = pg_catalog.now() WHERE x.monitor_id = id;
	ELSE
		PERFORM driftmon.purge_runs(id, 'infinity');
		DELETE FROM driftmon.monitors x WHERE x.monitor_id = id;
	END IF;
	RETURN true;
END
$$;

COMMENT ON FUNCTION driftmon.drop_monitor(text, boolean, boolean) IS
  'Drops a monitor and its pg_cron job. keep_history (default true) keeps its runs and results (the monitor row stays, marked dropped, and the name can be reused); false purges them through purge_log first';

-- Custom checks --------------------------------------------------------------

-- check_query_sql(name, query): the SELECT that turns a custom check into
-- driftmon.results rows ($1 window start, $2 window end, $5 run id,
-- $6 the monitor).  The query must be one SELECT: a ';' is refused.
CREATE FUNCTION driftmon.check_query_sql(check_name text, query text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	q text := pg_catalog.regexp_replace(query, '[[:space:];]+$', '');
BEGIN
	IF q IS NULL OR pg_catalog.btrim(q) = '' THEN
		RAISE EXCEPTION 'the query of check % is empty', COALESCE(pg_catalog.quote_literal(check_name), 'NULL')
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A check is one SELECT returning (metric, value) rows.',
				  HINT = 'For example SELECT ''null_rate''::text AS metric, avg((x IS NULL)::int)::float8 AS value FROM public.t WHERE ts >= $1 AND ts < $2.';
	END IF;
	IF pg_catalog.strpos(q, ';') > 0 THEN
		RAISE EXCEPTION 'the query of check % must be a single SELECT', pg_catalog.quote_literal(check_name)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'It contains a semicolon.',
				  HINT = 'Write one query returning (metric text, value float8); use chr(59) for a literal semicolon.';
	END IF;
	RETURN pg_catalog.format(
		'SELECT ARRAY(SELECT ROW($5, NULL::text, %L, ''custom'', q.metric, q.value, NULL::float8, '
		't.warn, t.alert, t.direction, driftmon.result_status(q.value, t.warn, t.alert, t.direction))::driftmon.results '
		'FROM (SELECT q0.metric::text AS metric, q0.value::float8 AS value FROM (%s) AS q0) AS q '
		'CROSS JOIN LATERAL driftmon.effective_threshold($6, %L, q.metric) AS t '
		'ORDER BY q.metric)', check_name, q, check_name);
END
$$;

COMMENT ON FUNCTION driftmon.check_query_sql(text, text) IS
  'Internal: wraps a custom check query (one SELECT returning metric, value) into the statement run_monitor executes; refuses semicolons';

CREATE FUNCTION driftmon.add_check(monitor text, name text, query text)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
	id bigint;
	sql text;
	msg text;
	det text;
BEGIN
	m := driftmon.monitor_row(monitor);
	IF add_check.name IS NULL OR pg_catalog.btrim(add_check.name) = '' THEN
		RAISE EXCEPTION 'check name must not be empty'
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A check''s results carry its name as their feature.',
				  HINT = 'Pass a name such as ''null_rate''.';
	END IF;
	-- a check's results carry its name as feature: it must not merge with
	-- the results (and monitor_status row) of a monitored column
	IF add_check.name = ANY (m.features || m.prediction_column || m.score_column) THEN
		RAISE EXCEPTION 'check name % is a column the monitor already reports on', pg_catalog.quote_literal(add_check.name)
			USING ERRCODE = 'duplicate_object',
				  DETAIL = 'Results of a check have the check name as their feature, like the drift and quality results of that column.',
				  HINT = 'Give the check another name.';
	END IF;
	IF EXISTS (SELECT 1 FROM driftmon.checks c WHERE c.monitor_id = m.monitor_id AND c.name = add_check.name) THEN
		RAISE EXCEPTION 'monitor % already has a check %', pg_catalog.quote_literal(m.name),
			pg_catalog.quote_literal(add_check.name)
			USING ERRCODE = 'duplicate_object',
				  DETAIL = 'Check names are unique within a monitor.',
				  HINT = 'driftmon.drop_check(monitor, name) removes it.';
	END IF;
	sql := driftmon.check_query_sql(add_check.name, add_check.query);
	-- Plan it now (no row is read): wrong column names or types fail here.
	BEGIN
		EXECUTE 'EXPLAIN ' || sql USING NULL::timestamptz, NULL::timestamptz, NULL::timestamptz,
			NULL::timestamptz, NULL::bigint, m;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT;
		RAISE EXCEPTION 'invalid query for check %', pg_catalog.quote_literal(add_check.name)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = msg,
				  HINT = 'A check is one SELECT returning columns metric (text) and value (float8), with schema-qualified names (it runs with search_path = pg_catalog, pg_temp); $1 and $2 are the window start and end (timestamptz).';
	END;
	INSERT INTO driftmon.checks (monitor_id, name, query)
	VALUES (m.monitor_id, add_check.name, add_check.query)
	RETURNING check_id INTO id;
	RETURN id;
END
$$;

COMMENT ON FUNCTION driftmon.add_check(text, text, text) IS
  'Adds a custom check to a monitor: one SELECT returning (metric text, value float8) rows, $1/$2 = window start/end; it runs in every run, with the privileges of the role running the monitor, and its rows land in results (kind custom, feature = check name)';

CREATE FUNCTION driftmon.drop_check(monitor text, name text)
RETURNS boolean
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
BEGIN
	m := driftmon.monitor_row(monitor);
	DELETE FROM driftmon.checks c WHERE c.monitor_id = m.monitor_id AND c.name = drop_check.name;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'monitor % has no check %', pg_catalog.quote_literal(m.name),
			COALESCE(pg_catalog.quote_literal(drop_check.name), 'NULL')
			USING ERRCODE = 'undefined_object',
				  DETAIL = pg_catalog.format('Checks of the monitor: %s.', COALESCE((SELECT pg_catalog.string_agg(pg_catalog.quote_literal(c.name), ', ' ORDER BY c.name) FROM driftmon.checks c WHERE c.monitor_id = m.monitor_id), 'none')),
				  HINT = 'Check names are case-sensitive; SELECT name FROM driftmon.checks lists them.';
	END IF;
	RETURN true;
END
$$;

COMMENT ON FUNCTION driftmon.drop_check(text, text) IS
  'Removes a custom check from a monitor (past results stay)';

-- Runs -------------------------------------------------------------------------

-- monitor_query(m): the single statement that computes every metric of a
-- window.  Parameters: $1/$2 current window [start, end), $3/$4 reference
-- bounds, $5 run id.  Returns one row (n_reference, n_current, results[],
-- profiles[]).  Reference and current rows are one row set with an
-- is_current flag (one scan of the source when the reference is a range of
-- it or the previous window, else a UNION ALL with the reference table), so
-- every feature's aggregate reads both windows in the same pass; with a segment the GROUP BY uses GROUPING SETS ((), (segment))
-- to get the overall results in the same pass.  A baseline monitor reads
-- only the current window: profile_agg per feature (and segment), compared
-- with the baseline's stored profile by ks_test / psi / wasserstein /
-- chi2_test / js_divergence.  profiles[] holds the current window's profile
-- per (segment, feature) for run_profiles (NULL when store_profiles is off;
-- exact monitors then use numeric_drift_profile / categorical_drift_profile,
-- which return the drift and the current window's profile from one state, so
-- storing profiles adds no second copy of the values).
CREATE FUNCTION driftmon.monitor_query(m driftmon.monitors)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
-- thresholds are written into the statement as float8 literals: shortest
-- exact text, whatever the session's extra_float_digits (0 would round
-- them to 15 digits and judge values next to a threshold wrongly)
SET extra_float_digits = 1
AS $$
DECLARE
	rel regclass := m.source::regclass;
	refrel regclass;
	tcol text := pg_catalog.quote_ident(m.time_column);
	seg text := 'NULL::text';
	cur_cols text[] := '{}';
	ref_cols text[] := '{}';
	aggs text[] := '{}';
	vals text[] := '{}';
	ref_from text;
	ref_where text;
	lo_op text := '>=';
	hi_op text := '<';
	f text;
	i int := 0;
	ord int := 0;
	kind text;
	lt regtype;
	pt regtype;
	cls text;
	lf text;
	pf text;
	as_number boolean;
	th record;
	metric text;
	field text;
	pfield text;
	qfeature text;
	base boolean := m.reference_kind = 'baseline';
	keep boolean := COALESCE(m.store_profiles, true);
	bcols text[] := '{}';
	ccols text[] := '{}';
	pvals text[] := '{}';
	vexpr text;
	pexpr text;
	profexpr text;
	src_sql text;
	n_ref_sql text := 'pg_catalog.count(*) FILTER (WHERE NOT is_current)';
BEGIN
	IF m.segment_column IS NOT NULL THEN
		seg := pg_catalog.format('%I::text', m.segment_column);
	END IF;

	-- features: one aggregate each over (value, is_current)
	FOREACH f IN ARRAY m.features
	LOOP
		i := i + 1;
		kind := m.feature_kinds ->> f;
		-- exact monitors: the drift aggregate, with the current window's
		-- profile from the same state when profiles are stored
		IF kind = 'numeric' THEN
			cur_cols := cur_cols || pg_catalog.format('%I::float8 AS c%s', f, i);
			IF NOT base THEN
				aggs := aggs || pg_catalog.format(CASE WHEN keep
					THEN 'driftmon.numeric_drift_profile(c%s, is_current) AS a%s'
					ELSE 'driftmon.numeric_drift(c%s, is_current) AS a%s' END, i, i);
			END IF;
		ELSE
			cur_cols := cur_cols || pg_catalog.format('%I::text AS c%s', f, i);
			IF NOT base THEN
				aggs := aggs || pg_catalog.format(CASE WHEN keep
					THEN 'driftmon.categorical_drift_profile(c%s, is_current) AS a%s'
					ELSE 'driftmon.categorical_drift(c%s, is_current) AS a%s' END, i, i);
			END IF;
		END IF;
		ref_cols := cur_cols;
		IF base THEN
			-- the current window's profile, compared with the stored one
			aggs := aggs || pg_catalog.format('driftmon.profile_agg(c%s) AS p%s', i, i);
			bcols := bcols || pg_catalog.format(
				'(SELECT p.%s FROM driftmon.baseline_profiles p WHERE p.baseline = %L AND p.feature = %L) AS b%s',
				CASE WHEN kind = 'numeric' THEN 'numeric' ELSE 'categorical' END, m.reference_baseline, f, i);
			IF kind = 'numeric' THEN
				ccols := ccols
					-- KS judged by the upper bound of the exact p-value: the
					-- sketch's noise must not raise alerts
					|| pg_catalog.format('driftmon.ks_test_upper(b%s, p%s) AS k%s', i, i, i)
					|| pg_catalog.format('driftmon.psi(b%s, p%s) AS s%s', i, i, i)
					|| pg_catalog.format('driftmon.wasserstein_normed(b%s, p%s) AS w%s', i, i, i);
			ELSE
				ccols := ccols
					|| pg_catalog.format('driftmon.chi2_test(b%s, p%s) AS k%s', i, i, i)
					|| pg_catalog.format('driftmon.psi(b%s, p%s) AS s%s', i, i, i)
					|| pg_catalog.format('driftmon.js_divergence(b%s, p%s) AS j%s', i, i, i);
			END IF;
		END IF;
		IF keep THEN
			profexpr := pg_catalog.format(CASE WHEN base THEN 'p%s' ELSE '(a%s).current_profile' END, i);
			pvals := pvals || pg_catalog.format('(%s, %L, %s, %s)', i, f,
				CASE WHEN kind = 'numeric' THEN profexpr ELSE 'NULL::driftmon.numeric_profile' END,
				CASE WHEN kind = 'numeric' THEN 'NULL::driftmon.categorical_profile' ELSE profexpr END);
		END IF;
		FOR metric, field, pfield IN
			SELECT x.metric, x.field, x.pfield FROM (VALUES
				('ks', 'ks_statistic', 'ks_p_value', 1),
				('psi', 'psi', NULL, 2),
				('wasserstein_normed', 'wasserstein_normed', NULL, 3),
				('chi2', 'chi2_statistic', 'chi2_p_value', 4),
				('js_divergence', 'js_divergence', NULL, 5),
				('psi', 'psi', NULL, 6)) AS x(metric, field, pfield, o)
			WHERE (kind = 'numeric' AND x.o <= 3) OR (kind <> 'numeric' AND x.o > 3)
			ORDER BY x.o
		LOOP
			th := driftmon.effective_threshold(m, f, metric);
			ord := ord + 1;
			IF base THEN
				-- the same metric from the profile comparisons of cmp
				vexpr := pg_catalog.format(CASE field
					WHEN 'ks_statistic' THEN '(k%s).statistic'
					WHEN 'chi2_statistic' THEN '(k%s).statistic'
					WHEN 'psi' THEN 's%s'
					WHEN 'wasserstein_normed' THEN 'w%s'
					WHEN 'js_divergence' THEN 'j%s' END, i);
				pexpr := CASE WHEN pfield IS NULL THEN NULL ELSE pg_catalog.format('(k%s).p_value', i) END;
			ELSE
				-- (a).field, or ((a).drift).field from a *_drift_profile row
				vexpr := pg_catalog.format(CASE WHEN keep THEN '((a%s).drift).%I' ELSE '(a%s).%I' END, i, field);
				pexpr := CASE WHEN pfield IS NULL THEN NULL
					ELSE pg_catalog.format(CASE WHEN keep THEN '((a%s).drift).%I' ELSE '(a%s).%I' END, i, pfield) END;
			END IF;
			vals := vals || pg_catalog.format(
				'(%s, %L, ''drift'', %L, %s, %s, %s, %s::float8, %s::float8, %L)',
				ord, f, metric, vexpr, COALESCE(pexpr, 'NULL::float8'), COALESCE(pexpr, vexpr),
				pg_catalog.quote_nullable(th.warn), pg_catalog.quote_nullable(th.alert), th.direction);
		END LOOP;
	END LOOP;

	-- model quality, on the current window only
	IF m.label_column IS NOT NULL THEN
		lt := driftmon.column_type(rel, m.label_column);
	END IF;
	IF m.prediction_column IS NOT NULL THEN
		pt := driftmon.column_type(rel, m.prediction_column);
		-- classes are compared as values, not as their text: with mixed
		-- types, boolean and integer columns compare as integers (true = 1),
		-- integer and numeric ones as numbers (1 = 1.0: trim_scale of the
		-- numeric value, as text); other mixes as text
		lf := driftmon.type_family(lt);
		pf := driftmon.type_family(pt);
		IF m.task = 'regression' THEN
			cls := 'float8';
		ELSIF lf = 'boolean' AND pf = 'boolean' THEN
			cls := 'boolean';
		ELSIF lf IN ('integer', 'boolean') AND pf IN ('integer', 'boolean') THEN
			cls := 'bigint';
		ELSE
			cls := 'text';
		END IF;
		as_number := cls = 'text' AND lf IN ('integer', 'numeric') AND pf IN ('integer', 'numeric');
		cur_cols := cur_cols
			|| pg_catalog.format(CASE WHEN as_number THEN 'pg_catalog.trim_scale(%I::numeric)::text'
				WHEN cls = 'bigint' AND lf = 'boolean' THEN '%I::integer::bigint'
				ELSE '%I::' || cls END || ' AS q_label', m.label_column)
			|| pg_catalog.format(CASE WHEN as_number THEN 'pg_catalog.trim_scale(%I::numeric)::text'
				WHEN cls = 'bigint' AND pf = 'boolean' THEN '%I::integer::bigint'
				ELSE '%I::' || cls END || ' AS q_pred', m.prediction_column);
		ref_cols := ref_cols || pg_catalog.format('NULL::%s AS q_label', cls)
							 || pg_catalog.format('NULL::%s AS q_pred', cls);
		qfeature := m.prediction_column;
		IF m.task = 'regression' THEN
			aggs := aggs || 'driftmon.regression_metrics(q_label, q_pred) FILTER (WHERE is_current) AS q_reg'::text;
			FOR metric IN SELECT unnest(ARRAY['mae', 'rmse', 'mape', 'r2', 'mean_error', 'max_error'])
			LOOP
				th := driftmon.effective_threshold(m, qfeature, metric);
				ord := ord + 1;
				vals := vals || pg_catalog.format(
					'(%s, %L, ''quality'', %L, (q_reg).%I, NULL::float8, (q_reg).%I, %s::float8, %s::float8, %L)',
					ord, qfeature, metric, metric, metric,
					pg_catalog.quote_nullable(th.warn), pg_catalog.quote_nullable(th.alert), th.direction);
			END LOOP;
		ELSE
			aggs := aggs || 'driftmon.classification_metrics(q_label, q_pred) FILTER (WHERE is_current) AS q_cls'::text;
			FOR metric IN SELECT unnest(ARRAY['accuracy', 'balanced_accuracy', 'precision_macro',
											  'recall_macro', 'f1_macro', 'f1_weighted',
											  'matthews_corrcoef', 'cohen_kappa']
										|| CASE WHEN cls = 'boolean'
												THEN ARRAY['precision', 'recall', 'f1'] ELSE '{}'::text[] END)
			LOOP
				th := driftmon.effective_threshold(m, qfeature, metric);
				ord := ord + 1;
				vals := vals || pg_catalog.format(
					'(%s, %L, ''quality'', %L, (q_cls).%I, NULL::float8, (q_cls).%I, %s::float8, %s::float8, %L)',
					ord, qfeature, metric, metric, metric,
					pg_catalog.quote_nullable(th.warn), pg_catalog.quote_nullable(th.alert), th.direction);
			END LOOP;
		END IF;
	END IF;
	IF m.score_column IS NOT NULL THEN
		cur_cols := cur_cols || pg_catalog.format('%I::float8 AS q_score', m.score_column)
							 || CASE WHEN driftmon.type_family(lt) = 'boolean'
									 THEN pg_catalog.format('%I AS q_positive', m.label_column)
									 ELSE pg_catalog.format('(%I <> 0) AS q_positive', m.label_column) END;
		ref_cols := ref_cols || 'NULL::float8 AS q_score'::text || 'NULL::boolean AS q_positive'::text;
		aggs := aggs || 'driftmon.roc_auc(q_score, q_positive) FILTER (WHERE is_current) AS q_auc'::text
					 || 'driftmon.average_precision(q_score, q_positive) FILTER (WHERE is_current) AS q_ap'::text;
		FOR metric, field IN VALUES ('roc_auc', 'q_auc'), ('average_precision', 'q_ap')
		LOOP
			th := driftmon.effective_threshold(m, m.score_column, metric);
			ord := ord + 1;
			vals := vals || pg_catalog.format(
				'(%s, %L, ''quality'', %L, %s, NULL::float8, %s, %s::float8, %s::float8, %L)',
				ord, m.score_column, metric, field, field,
				pg_catalog.quote_nullable(th.warn), pg_catalog.quote_nullable(th.alert), th.direction);
		END LOOP;
	END IF;

	-- where the reference rows come from
	IF base THEN
		NULL;	-- nowhere: the stored profiles (cmp below)
	ELSIF m.reference_kind = 'table' THEN
		refrel := m.reference_source::regclass;
		ref_from := refrel::text;
		ref_where := CASE WHEN m.reference_range IS NULL THEN 'true' END;
	ELSE
		ref_from := rel::text;
	END IF;
	IF ref_where IS NULL AND NOT base THEN
		IF m.reference_range IS NOT NULL THEN
			IF NOT pg_catalog.lower_inc(m.reference_range) THEN lo_op := '>'; END IF;
			IF pg_catalog.upper_inc(m.reference_range) THEN hi_op := '<='; END IF;
		END IF;
		ref_where := pg_catalog.format('%s %s $3 AND %s %s $4', tcol, lo_op, tcol, hi_op);
	END IF;

	IF base THEN
		src_sql := pg_catalog.format('SELECT true AS is_current, %s AS seg, %s
  FROM %s
  WHERE %s >= $1 AND %s < $2', seg, pg_catalog.array_to_string(cur_cols, ', '), rel::text, tcol, tcol);
		-- rows the baseline was computed from (every profile of it saw them all)
		n_ref_sql := pg_catalog.format('(SELECT pg_catalog.max(COALESCE(driftmon.n(p.numeric) + driftmon.nulls(p.numeric) + driftmon.nonfinite(p.numeric), '
			'driftmon.n(p.categorical) + driftmon.nulls(p.categorical))) FROM driftmon.baseline_profiles p WHERE p.baseline = %L)',
			m.reference_baseline);
	ELSIF m.reference_kind IN ('range', 'previous') THEN
		-- Both windows from the source: one scan of the rows in either,
		-- flagged by the current window's predicate (a UNION ALL of two
		-- filtered scans read the table twice: 1.9-2.1 s against 1.2-1.3 s
		-- for three features over 2M rows).  Rows in both windows (a
		-- reference range overlapping the window) also need their reference
		-- copy: the second branch, whose parameter-only gate (necessary for
		-- an overlap) is a one-time filter, so it scans nothing otherwise.
		src_sql := pg_catalog.format('SELECT (%1$s >= $1 AND %1$s < $2) AS is_current, %2$s AS seg, %3$s
  FROM %4$s
  WHERE (%5$s) OR (%1$s >= $1 AND %1$s < $2)
  UNION ALL
  SELECT false, %2$s, %6$s
  FROM %4$s
  WHERE $3 < $2 AND $1 %7$s $4 AND (%5$s) AND %1$s >= $1 AND %1$s < $2', tcol, seg,
			pg_catalog.array_to_string(cur_cols, ', '), rel::text, ref_where,
			pg_catalog.array_to_string(ref_cols, ', '), CASE hi_op WHEN '<=' THEN '<=' ELSE '<' END);
	ELSE
		src_sql := pg_catalog.format('SELECT false AS is_current, %1$s AS seg, %2$s
  FROM %3$s
  WHERE %4$s
  UNION ALL
  SELECT true, %1$s, %5$s
  FROM %6$s
  WHERE %7$s >= $1 AND %7$s < $2', seg, pg_catalog.array_to_string(ref_cols, ', '), ref_from, ref_where,
			pg_catalog.array_to_string(cur_cols, ', '), rel::text, tcol);
	END IF;

	RETURN pg_catalog.format($q$WITH src AS (
  %1$s
), agg AS (
  SELECT %2$s AS overall, %3$s AS seg,
    %4$s AS n_ref,
    pg_catalog.count(*) FILTER (WHERE is_current) AS n_cur,
    %5$s
  FROM src%6$s
)%7$s
SELECT (SELECT a.n_ref FROM agg a WHERE a.overall),
       (SELECT a.n_cur FROM agg a WHERE a.overall),
       ARRAY(SELECT ROW($5, CASE WHEN a.overall THEN NULL ELSE a.seg END, v.feature, v.kind, v.metric,
                        v.value, v.p_value, v.warn, v.alert, v.direction,
                        driftmon.result_status(v.x, v.warn, v.alert, v.direction))::driftmon.results
             FROM %8$s a CROSS JOIN LATERAL (VALUES
               %9$s
             ) AS v(ord, feature, kind, metric, value, p_value, x, warn, alert, direction)
             WHERE a.overall OR a.seg IS NOT NULL
             ORDER BY a.overall DESC, a.seg, v.ord),
       %10$s$q$,
		src_sql,
		CASE WHEN m.segment_column IS NULL THEN 'true' ELSE 'GROUPING(seg) = 1' END,
		CASE WHEN m.segment_column IS NULL THEN 'NULL::text' ELSE 'seg' END,
		n_ref_sql,
		pg_catalog.array_to_string(aggs, E',\n    '),
		CASE WHEN m.segment_column IS NULL THEN '' ELSE E'\n  GROUP BY GROUPING SETS ((), (seg))' END,
		-- cmp: the profile comparisons, computed once per group (MATERIALIZED)
		CASE WHEN base AND pg_catalog.cardinality(ccols) > 0
			 THEN E', cmp AS MATERIALIZED (\n  SELECT a.*,\n    ' || pg_catalog.array_to_string(ccols, E',\n    ')
				  || E'\n  FROM agg a\n  CROSS JOIN (SELECT ' || pg_catalog.array_to_string(bcols, E',\n    ')
				  || E') b\n)' ELSE '' END,
		CASE WHEN base AND pg_catalog.cardinality(ccols) > 0 THEN 'cmp' ELSE 'agg' END,
		pg_catalog.array_to_string(vals, E',\n               '),
		CASE WHEN pg_catalog.cardinality(pvals) = 0 THEN 'NULL::driftmon.run_profiles[]'
			 ELSE pg_catalog.format($p$ARRAY(SELECT ROW($5, CASE WHEN a.overall THEN NULL ELSE a.seg END, v.feature, v.np, v.cp)::driftmon.run_profiles
             FROM agg a CROSS JOIN LATERAL (VALUES
               %s
             ) AS v(ord, feature, np, cp)
             WHERE (a.overall OR a.seg IS NOT NULL) AND (v.np IS NOT NULL OR v.cp IS NOT NULL)
             ORDER BY a.overall DESC, a.seg, v.ord)$p$, pg_catalog.array_to_string(pvals, E',\n               ')) END);
END
$$;

COMMENT ON FUNCTION driftmon.monitor_query(driftmon.monitors) IS
  'Internal: builds the one statement computing every metric of a monitor for a window (parameters $1/$2 window, $3/$4 reference bounds, $5 run id)';

CREATE FUNCTION driftmon.monitor_sql(monitor text)
RETURNS text
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
	RETURN driftmon.monitor_query(driftmon.monitor_row(monitor));
END
$$;

COMMENT ON FUNCTION driftmon.monitor_sql(text) IS
  'The SQL statement run_monitor executes for a monitor ($1/$2 current window start/end, $3/$4 reference bounds, $5 run id), for reading or EXPLAIN';

-- default_window_end(size, at): windows are aligned on multiples of their
-- size from 2000-01-01 00:00 UTC (date_bin) when the size has no month or
-- year part, so repeated runs compute the same windows; else "at" itself.
CREATE FUNCTION driftmon.default_window_end(size interval, at timestamptz)
RETURNS timestamptz
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT CASE WHEN pg_catalog.date_part('month', size) = 0 AND pg_catalog.date_part('year', size) = 0
			THEN pg_catalog.date_bin(size, at, '2000-01-01 00:00:00+00'::timestamptz)
			ELSE at END
$$;

COMMENT ON FUNCTION driftmon.default_window_end(interval, timestamptz) IS
  'End of the latest complete window at a time: at rounded down to a multiple of the window size counted from 2000-01-01 00:00 UTC (sizes without months), else at itself';

-- window_step(size): the interval windows are stepped by.  A size without
-- month or year part is a fixed duration, its days 24 hours each, as in
-- date_bin (default_window_end): then window bounds are instants that do
-- not depend on the session TimeZone, and consecutive default windows tile
-- across DST changes ("end - 1 day" in a DST time zone is 23 or 25 hours
-- before "end" on the change day, leaving a gap or an overlap next to the
-- UTC-aligned neighbours).  Sizes with months keep calendar arithmetic.
CREATE FUNCTION driftmon.window_step(size interval)
RETURNS interval
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
SELECT CASE WHEN pg_catalog.date_part('month', size) = 0 AND pg_catalog.date_part('year', size) = 0
			THEN size - pg_catalog.make_interval(days => pg_catalog.date_part('day', size)::int)
				 + pg_catalog.make_interval(hours => 24 * pg_catalog.date_part('day', size)::int)
			ELSE size END
$$;

COMMENT ON FUNCTION driftmon.window_step(interval) IS
  'The step between window bounds for a window size: without months or years a fixed duration (days counted as 24 hours, as date_bin does), so windows do not depend on the session TimeZone and tile across DST changes; with months the size itself (calendar arithmetic in the session TimeZone)';

-- run_window(monitor, window_start, window_end, wait): one run of a monitor
-- for the window [window_start, window_end) given by both bounds.
-- run_monitor passes window_end - window_step(size) as the start;
-- backfill_monitor passes range_start + k * step and range_start +
-- (k + 1) * step, so its windows tile the range even where "end - size" is
-- not the previous end (month sizes from Jan 31: the window ending Apr 30
-- would start Mar 30, one day before the previous window's end, Mar 31).
CREATE FUNCTION driftmon.run_window(monitor text, window_start timestamptz,
									window_end timestamptz, wait boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
	started timestamptz := pg_catalog.clock_timestamp();
	w_start timestamptz;
	w_end timestamptz;
	r_start timestamptz;
	r_end timestamptz;
	rid bigint;
	n_ref bigint;
	n_cur bigint;
	res driftmon.results[];
	profs driftmon.run_profiles[];
	more driftmon.results[];
	cfg jsonb;
	ver text;
	c record;
	n_alert int;
	n_warn int;
	alerted text[];
	payload text;
	msg text;
	det text;
	st text;
BEGIN
	m := driftmon.monitor_row(monitor);
	w_start := run_window.window_start;
	w_end := run_window.window_end;
	IF w_start IS NULL OR w_end IS NULL OR NOT w_start < w_end
	   OR NOT pg_catalog.isfinite(w_start) OR NOT pg_catalog.isfinite(w_end) THEN
		RAISE EXCEPTION 'invalid window [%, %) for monitor %', w_start, w_end, pg_catalog.quote_literal(m.name)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'A window has finite bounds and starts before it ends.',
				  HINT = 'Pass a finite window_end to driftmon.run_monitor.';
	END IF;
	IF m.reference_kind = 'previous' THEN
		r_start := w_start - driftmon.window_step(m.window_size);
		r_end := w_start;
	ELSIF m.reference_kind = 'baseline' THEN
		r_start := NULL;	-- the reference is runs.reference_baseline
		r_end := NULL;
	ELSE
		r_start := pg_catalog.lower(m.reference_range);
		r_end := pg_catalog.upper(m.reference_range);
	END IF;
	-- time_zone: a timestamp or date time column is compared with the
	-- window bounds in the session's TimeZone, so the same window_end can
	-- select other rows under another TimeZone; the run records which
	cfg := pg_catalog.to_jsonb(m) || pg_catalog.jsonb_build_object('checks',
		COALESCE((SELECT pg_catalog.jsonb_agg(pg_catalog.jsonb_build_object('name', k.name, 'query', k.query) ORDER BY k.name)
				  FROM driftmon.checks k WHERE k.monitor_id = m.monitor_id), '[]'),
		'time_zone', pg_catalog.current_setting('TimeZone'));
	IF m.reference_kind = 'baseline' THEN
		-- which saved version of the baseline this run compared with
		cfg := cfg || pg_catalog.jsonb_build_object('baseline',
			(SELECT pg_catalog.jsonb_build_object('name', b.name, 'created_at', b.created_at, 'created_by', b.created_by)
			 FROM driftmon.baselines b WHERE b.name = m.reference_baseline));
	END IF;
	ver := (SELECT e.extversion FROM pg_catalog.pg_extension e WHERE e.extname = 'driftmon');
	rid := pg_catalog.nextval('driftmon.runs_run_id_seq');

	-- One run of a monitor at a time (transaction-level advisory lock on
	-- (0x64726d6e, monitor id)).  The loser records a skipped run, or waits.
	IF COALESCE(wait, false) THEN
		PERFORM pg_catalog.pg_advisory_xact_lock(1685220718, (m.monitor_id % 2147483647)::int);
	ELSIF NOT pg_catalog.pg_try_advisory_xact_lock(1685220718, (m.monitor_id % 2147483647)::int) THEN
		INSERT INTO driftmon.runs (run_id, monitor_id, monitor_name, window_start, window_end,
			reference_start, reference_end, started_at, finished_at, status, error, error_sqlstate,
			config, extension_version, reference_baseline)
		VALUES (rid, m.monitor_id, m.name, w_start, w_end, r_start, r_end, started,
			pg_catalog.clock_timestamp(), 'skipped', 'another run of this monitor is in progress', '55P03',
			cfg, ver, m.reference_baseline);
		RAISE NOTICE 'monitor % is already running, run skipped', pg_catalog.quote_literal(m.name)
			USING HINT = 'Pass wait => true to wait for the other run instead.';
		RETURN rid;
	END IF;

	-- Everything that reads the source or writes results runs in a
	-- subtransaction: on any error it is rolled back whole and the run is
	-- recorded as failed, so a failed run never leaves partial results.
	BEGIN
		IF m.reference_kind = 'baseline'
		   AND NOT EXISTS (SELECT 1 FROM driftmon.baselines b WHERE b.name = m.reference_baseline) THEN
			RAISE EXCEPTION 'reference_baseline "%" of monitor % does not exist', m.reference_baseline,
				pg_catalog.quote_literal(m.name)
				USING ERRCODE = 'undefined_object',
					  DETAIL = 'The baseline was deleted or renamed after the monitor was created.',
					  HINT = 'Save it again with driftmon.save_baseline, or point the monitor at another one with driftmon.alter_monitor(name, reference_baseline => ...).';
		END IF;
		-- a baseline saved again (replace => true) may have lost a feature
		IF m.reference_kind = 'baseline' THEN
			SELECT f.f INTO msg FROM pg_catalog.unnest(m.features) AS f(f)
			WHERE NOT EXISTS (SELECT 1 FROM driftmon.baseline_profiles p
							  WHERE p.baseline = m.reference_baseline AND p.feature = f.f
								AND CASE WHEN m.feature_kinds ->> f.f = 'numeric' THEN p.numeric IS NOT NULL
										 ELSE p.categorical IS NOT NULL END)
			LIMIT 1;
			IF msg IS NOT NULL THEN
				RAISE EXCEPTION 'reference_baseline "%" has no % profile for feature "%"', m.reference_baseline,
					m.feature_kinds ->> msg, msg
					USING ERRCODE = 'undefined_object',
						  DETAIL = 'The baseline was saved again without the feature, or with another kind of profile for it.',
						  HINT = 'Save the baseline again with every monitored feature, or change the monitor''s features with driftmon.alter_monitor.';
			END IF;
		END IF;
		EXECUTE driftmon.monitor_query(m) INTO n_ref, n_cur, res, profs
			USING w_start, w_end, r_start, r_end, rid;
		-- the reference feeds only the drift results: a monitor without
		-- features (quality and checks) runs whatever the reference holds
		IF COALESCE(n_cur, 0) = 0
		   OR (COALESCE(n_ref, 0) = 0 AND pg_catalog.cardinality(m.features) > 0) THEN
			INSERT INTO driftmon.runs (run_id, monitor_id, monitor_name, window_start, window_end,
				reference_start, reference_end, n_reference, n_current, started_at, finished_at,
				status, error, config, extension_version, reference_baseline)
			VALUES (rid, m.monitor_id, m.name, w_start, w_end, r_start, r_end, n_ref, n_cur, started,
				pg_catalog.clock_timestamp(), 'skipped',
				CASE WHEN COALESCE(n_cur, 0) = 0 THEN 'the current window has no rows'
					 ELSE 'the reference has no rows' END, cfg, ver, m.reference_baseline);
			RAISE NOTICE 'monitor %: % has no rows, run skipped', pg_catalog.quote_literal(m.name),
				CASE WHEN COALESCE(n_cur, 0) = 0 THEN 'the current window' ELSE 'the reference' END;
			RETURN rid;
		END IF;
		FOR c IN SELECT k.name, k.query FROM driftmon.checks k
				 WHERE k.monitor_id = m.monitor_id ORDER BY k.name
		LOOP
			EXECUTE driftmon.check_query_sql(c.name, c.query) INTO more
				USING w_start, w_end, r_start, r_end, rid, m;
			-- the metric names the result: a NULL one cannot be stored
			IF EXISTS (SELECT 1 FROM pg_catalog.unnest(more) x WHERE x.metric IS NULL) THEN
				RAISE EXCEPTION 'check % returned a NULL metric', pg_catalog.quote_literal(c.name)
					USING ERRCODE = 'null_value_not_allowed',
						  DETAIL = 'Each row of a check is a result: its metric column names it (results.metric is NOT NULL).',
						  HINT = 'Filter the rows (WHERE metric IS NOT NULL) or give them a name (COALESCE(metric, ''unknown'')).';
			END IF;
			-- one result per (segment, feature, metric): a check returning a
			-- metric twice, or one its name already has, fails the run
			SELECT x.metric INTO msg FROM pg_catalog.unnest(more) x
			WHERE x.metric IS NOT NULL
			GROUP BY x.metric HAVING pg_catalog.count(*) > 1
			   OR EXISTS (SELECT 1 FROM pg_catalog.unnest(res) y
						  WHERE y.segment IS NULL AND y.feature = c.name AND y.metric = x.metric)
			ORDER BY x.metric LIMIT 1;
			IF FOUND THEN
				RAISE EXCEPTION 'check % returned metric % more than once', pg_catalog.quote_literal(c.name),
					pg_catalog.quote_literal(msg)
					USING ERRCODE = 'cardinality_violation',
						  DETAIL = 'A run stores one result per (segment, feature, metric); a check''s results have its name as their feature.',
						  HINT = 'Return each metric name once (GROUP BY metric), with names no feature of the monitor uses.';
			END IF;
			res := res || more;
		END LOOP;
		SELECT pg_catalog.count(*) FILTER (WHERE r.status = 'alert'),
			   pg_catalog.count(*) FILTER (WHERE r.status = 'warn'),
			   pg_catalog.array_agg(DISTINCT r.feature) FILTER (WHERE r.status = 'alert')
		INTO n_alert, n_warn, alerted
		FROM pg_catalog.unnest(res) r;
		INSERT INTO driftmon.runs (run_id, monitor_id, monitor_name, window_start, window_end,
			reference_start, reference_end, n_reference, n_current, started_at, finished_at,
			status, n_alerts, n_warnings, config, extension_version, reference_baseline)
		VALUES (rid, m.monitor_id, m.name, w_start, w_end, r_start, r_end, n_ref, n_cur, started,
			pg_catalog.clock_timestamp(), 'succeeded', n_alert, n_warn, cfg, ver, m.reference_baseline);
		INSERT INTO driftmon.results SELECT * FROM pg_catalog.unnest(res);
		INSERT INTO driftmon.run_profiles SELECT * FROM pg_catalog.unnest(profs);
		IF n_alert > 0 THEN
			payload := pg_catalog.jsonb_build_object('monitor', m.name, 'run_id', rid,
				'window_start', w_start, 'window_end', w_end, 'n_alerts', n_alert,
				'features', pg_catalog.to_jsonb(alerted))::text;
			IF pg_catalog.octet_length(payload) > 7900 THEN
				payload := pg_catalog.jsonb_build_object('monitor', m.name, 'run_id', rid,
					'window_start', w_start, 'window_end', w_end, 'n_alerts', n_alert,
					'features', NULL, 'features_truncated', true)::text;
			END IF;
			PERFORM pg_catalog.pg_notify('driftmon_alert', payload);
		END IF;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, st = RETURNED_SQLSTATE;
		INSERT INTO driftmon.runs (run_id, monitor_id, monitor_name, window_start, window_end,
			reference_start, reference_end, started_at, finished_at, status, error, error_sqlstate,
			config, extension_version, reference_baseline)
		VALUES (rid, m.monitor_id, m.name, w_start, w_end, r_start, r_end, started,
			pg_catalog.clock_timestamp(), 'failed',
			msg || CASE WHEN det IS NULL OR det = '' THEN '' ELSE E'\n' || det END, st, cfg, ver, m.reference_baseline);
		RAISE WARNING 'run of monitor % failed: %', pg_catalog.quote_literal(m.name), msg
			USING DETAIL = 'The run is recorded in driftmon.runs with status "failed" and wrote no results.';
	END;
	RETURN rid;
END
$$;

COMMENT ON FUNCTION driftmon.run_window(text, timestamptz, timestamptz, boolean) IS
  'Internal: one run of a monitor for the window [window_start, window_end) (the body of run_monitor and backfill_monitor, which choose the bounds); returns the run id';

CREATE FUNCTION driftmon.run_monitor(monitor text, window_end timestamptz DEFAULT NULL,
									 wait boolean DEFAULT false)
RETURNS bigint
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
	w_end timestamptz;
BEGIN
	m := driftmon.monitor_row(monitor);
	w_end := COALESCE(run_monitor.window_end, driftmon.default_window_end(m.window_size, pg_catalog.now()));
	RETURN driftmon.run_window(monitor, w_end - driftmon.window_step(m.window_size), w_end, wait);
END
$$;

COMMENT ON FUNCTION driftmon.run_monitor(text, timestamptz, boolean) IS
  'Runs a monitor for the window ending at window_end (default: the latest complete window, see default_window_end): one scan computes every metric (a baseline monitor reads only the current window), one row goes to runs, one per (segment, feature, metric) to results and, unless store_profiles is off, one per (segment, feature) to run_profiles; NOTIFY driftmon_alert on alerts. A failure is recorded as a failed run (WARNING, no results) and the run id is returned; if another run of the monitor holds its lock the run is recorded as skipped unless wait => true';

CREATE FUNCTION driftmon.backfill_monitor(monitor text, range_start timestamptz, range_end timestamptz)
RETURNS TABLE (run_id bigint, window_start timestamptz, window_end timestamptz, status text)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
	m driftmon.monitors;
	e timestamptz;
	n bigint := 0;
	rid bigint;
	step interval;
BEGIN
	m := driftmon.monitor_row(monitor);
	step := driftmon.window_step(m.window_size);
	IF range_start IS NULL OR range_end IS NULL OR range_start + step > range_end THEN
		RAISE EXCEPTION 'backfill range [%, %) holds no complete window of %', range_start, range_end, m.window_size
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'range_end comes before range_start + window_size, or a bound is NULL.',
				  HINT = 'Windows are [range_start + k * window_size, range_start + (k + 1) * window_size) inside the range.';
	END IF;
	-- Count the windows first: refuse a runaway range before running any.
	e := range_start + step;
	WHILE e <= range_end
	LOOP
		n := n + 1;
		IF n > 100000 THEN
			RAISE EXCEPTION 'backfill range holds more than 100000 windows of %', m.window_size
				USING ERRCODE = 'program_limit_exceeded',
					  DETAIL = 'The windows are counted before any is run.',
					  HINT = 'Backfill in several calls.';
		END IF;
		e := range_start + step * (n + 1);
	END LOOP;
	n := 0;
	e := range_start + step;
	WHILE e <= range_end
	LOOP
		n := n + 1;
		-- both bounds from range_start: consecutive windows share a bound
		rid := driftmon.run_window(monitor, range_start + step * (n - 1), e, true);
		RETURN QUERY SELECT r.run_id, r.window_start, r.window_end, r.status
					 FROM driftmon.runs r WHERE r.run_id = rid;
		e := range_start + step * (n + 1);
	END LOOP;
END
$$;

COMMENT ON FUNCTION driftmon.backfill_monitor(text, timestamptz, timestamptz) IS
  'Runs a monitor for every complete window [range_start + k*window_size, range_start + (k+1)*window_size) inside [range_start, range_end), in one transaction, waiting for a concurrent run rather than skipping; returns one row per run';

-- Views for dashboards ----------------------------------------------------------

CREATE VIEW driftmon.monitor_list AS
SELECT m.monitor_id, m.name, m.source, m.time_column, m.features, m.feature_kinds,
	   m.prediction_column, m.label_column, m.score_column, m.segment_column, m.task,
	   m.reference_kind, m.reference_range, m.reference_source, m.window_size,
	   m.thresholds, m.feature_options, m.bonferroni,
	   (SELECT pg_catalog.count(*) FROM driftmon.checks c WHERE c.monitor_id = m.monitor_id) AS n_checks,
	   m.description, m.created_at, m.created_by, m.updated_at,
	   l.run_id AS last_run_id, l.window_end AS last_window_end, l.status AS last_run_status,
	   l.finished_at AS last_run_at, m.reference_baseline, m.store_profiles
FROM driftmon.monitors m
LEFT JOIN LATERAL (
	SELECT r.run_id, r.window_end, r.status, r.finished_at
	FROM driftmon.runs r WHERE r.monitor_id = m.monitor_id
	ORDER BY r.run_id DESC LIMIT 1) l ON true
WHERE m.dropped_at IS NULL;

COMMENT ON VIEW driftmon.monitor_list IS
  'The live monitors with their configuration, number of custom checks and last run';

CREATE VIEW driftmon.latest_results AS
SELECT m.name AS monitor, r.run_id, r.window_start, r.window_end, x.segment, x.feature, x.kind,
	   x.metric, x.value, x.p_value, x.threshold_warn, x.threshold_alert, x.status
FROM driftmon.monitors m
JOIN LATERAL (
	SELECT r0.run_id, r0.window_start, r0.window_end FROM driftmon.runs r0
	WHERE r0.monitor_id = m.monitor_id AND r0.status = 'succeeded'
	ORDER BY r0.window_end DESC, r0.run_id DESC LIMIT 1) r ON true
JOIN driftmon.results x ON x.run_id = r.run_id
WHERE m.dropped_at IS NULL;

COMMENT ON VIEW driftmon.latest_results IS
  'Every result of the latest succeeded run of the latest window of each live monitor (segment NULL = all rows): a backfill of older windows does not turn it back in time';

CREATE VIEW driftmon.monitor_status AS
WITH last_ok AS (
	SELECT m.monitor_id, r.run_id, r.window_start, r.window_end
	FROM driftmon.monitors m
	JOIN LATERAL (
		SELECT r0.run_id, r0.window_start, r0.window_end FROM driftmon.runs r0
		WHERE r0.monitor_id = m.monitor_id AND r0.status = 'succeeded'
		ORDER BY r0.window_end DESC, r0.run_id DESC LIMIT 1) r ON true
), per_feature AS (
	SELECT o.monitor_id, x.segment, x.feature,
		   (ARRAY['ok', 'unknown', 'warn', 'alert'])[pg_catalog.max(CASE x.status
				WHEN 'alert' THEN 4 WHEN 'warn' THEN 3 WHEN 'unknown' THEN 2 ELSE 1 END)] AS status,
		   pg_catalog.count(*) FILTER (WHERE x.status = 'alert') AS n_alerts,
		   pg_catalog.count(*) FILTER (WHERE x.status = 'warn') AS n_warnings
	FROM last_ok o JOIN driftmon.results x ON x.run_id = o.run_id
	GROUP BY o.monitor_id, x.segment, x.feature
)
SELECT m.name AS monitor, o.run_id, o.window_start, o.window_end, f.segment, f.feature,
	   f.status, f.n_alerts, f.n_warnings,
	   l.status AS last_run_status, l.error AS last_run_error, l.finished_at AS last_run_at,
	   EXISTS (SELECT 1 FROM pg_catalog.pg_locks k
			   WHERE k.locktype = 'advisory' AND k.granted AND k.objsubid = 2
				 AND k.classid = 1685220718::oid
				 AND k.objid = (m.monitor_id % 2147483647)::oid
				 AND k.database = (SELECT d.oid FROM pg_catalog.pg_database d
								   WHERE d.datname = pg_catalog.current_database())) AS running
FROM driftmon.monitors m
LEFT JOIN last_ok o ON o.monitor_id = m.monitor_id
LEFT JOIN per_feature f ON f.monitor_id = m.monitor_id
LEFT JOIN LATERAL (
	SELECT r.status, r.error, r.finished_at FROM driftmon.runs r
	WHERE r.monitor_id = m.monitor_id ORDER BY r.run_id DESC LIMIT 1) l ON true
WHERE m.dropped_at IS NULL;

COMMENT ON VIEW driftmon.monitor_status IS
  'One row per live monitor and (segment, feature) of the latest succeeded run of its latest window, with the worst status over the feature''s metrics (alert > warn > unknown > ok), the status and error of its last run of any kind, and whether a run is in progress';

CREATE VIEW driftmon.drift_history AS
SELECT r.window_end, m.name AS monitor, x.segment, x.feature, x.metric, x.value, x.status,
	   x.p_value, x.threshold_warn, x.threshold_alert, r.window_start, r.run_id
FROM driftmon.runs r
JOIN driftmon.monitors m ON m.monitor_id = r.monitor_id AND m.dropped_at IS NULL
JOIN driftmon.results x ON x.run_id = r.run_id
WHERE r.status = 'succeeded' AND x.kind = 'drift'
  AND NOT EXISTS (SELECT 1 FROM driftmon.runs r2
				  WHERE r2.monitor_id = r.monitor_id AND r2.window_end = r.window_end
					AND r2.status = 'succeeded' AND r2.run_id > r.run_id);

COMMENT ON VIEW driftmon.drift_history IS
  'Drift time series for dashboards: one row per (window_end, monitor, segment, feature, metric) from the latest succeeded run of each window of the live monitors';

CREATE VIEW driftmon.quality_history AS
SELECT r.window_end, m.name AS monitor, x.segment, x.feature, x.kind, x.metric, x.value, x.status,
	   x.threshold_warn, x.threshold_alert, r.window_start, r.run_id
FROM driftmon.runs r
JOIN driftmon.monitors m ON m.monitor_id = r.monitor_id AND m.dropped_at IS NULL
JOIN driftmon.results x ON x.run_id = r.run_id
WHERE r.status = 'succeeded' AND x.kind IN ('quality', 'custom')
  AND NOT EXISTS (SELECT 1 FROM driftmon.runs r2
				  WHERE r2.monitor_id = r.monitor_id AND r2.window_end = r.window_end
					AND r2.status = 'succeeded' AND r2.run_id > r.run_id);

COMMENT ON VIEW driftmon.quality_history IS
  'Model-quality and custom-check time series: one row per (window_end, monitor, segment, feature, metric) from the latest succeeded run of each window of the live monitors';

-- Drift history from stored profiles -----------------------------------------------

CREATE FUNCTION driftmon.profile_drift_history(monitor text, baseline text DEFAULT NULL,
											   metrics text[] DEFAULT NULL)
RETURNS TABLE (window_end timestamptz, segment text, feature text, metric text,
			   value float8, p_value float8, status text)
LANGUAGE plpgsql STABLE
SET search_path = pg_catalog, pg_temp
AS $$
#variable_conflict use_column
DECLARE
	m driftmon.monitors;
	b text;
BEGIN
	m := driftmon.monitor_row(profile_drift_history.monitor);
	b := COALESCE(profile_drift_history.baseline, m.reference_baseline);
	IF b IS NULL THEN
		RAISE EXCEPTION 'monitor % has no reference_baseline and no baseline was given', pg_catalog.quote_literal(m.name)
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Without a baseline there is nothing to compare the stored profiles with.',
				  HINT = 'Pass the baseline to compare with: driftmon.profile_drift_history(monitor, baseline => ''name'').';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM driftmon.baselines x WHERE x.name = b) THEN
		RAISE EXCEPTION 'baseline "%" does not exist', b
			USING ERRCODE = 'undefined_object',
				  DETAIL = 'No saved baseline has this name.',
				  HINT = 'SELECT name FROM driftmon.baselines lists the saved baselines.';
	END IF;
	IF EXISTS (SELECT 1 FROM pg_catalog.unnest(profile_drift_history.metrics) AS x(metric)
			   WHERE x.metric IS NULL OR x.metric NOT IN ('ks', 'psi', 'wasserstein_normed', 'chi2', 'js_divergence')) THEN
		RAISE EXCEPTION 'unknown metric in metrics %', profile_drift_history.metrics
			USING ERRCODE = 'invalid_parameter_value',
				  DETAIL = 'Allowed metrics: ks, psi, wasserstein_normed, chi2, js_divergence.',
				  HINT = 'metrics is NULL (all) or a subset of ks, psi, wasserstein_normed, chi2, js_divergence.';
	END IF;
	RETURN QUERY
	WITH th AS (
		SELECT f.f AS feature, x.metric, t.warn, t.alert, t.direction
		FROM pg_catalog.unnest(m.features) AS f(f)
		CROSS JOIN (VALUES ('ks'), ('psi'), ('wasserstein_normed'), ('chi2'), ('js_divergence')) AS x(metric)
		CROSS JOIN LATERAL driftmon.effective_threshold(m, f.f, x.metric) AS t
	), r AS (
		SELECT DISTINCT ON (r0.window_end) r0.run_id, r0.window_end
		FROM driftmon.runs r0
		WHERE r0.monitor_id = m.monitor_id AND r0.status = 'succeeded'
		  AND EXISTS (SELECT 1 FROM driftmon.run_profiles q WHERE q.run_id = r0.run_id)
		ORDER BY r0.window_end, r0.run_id DESC
	), want AS (
		SELECT COALESCE(profile_drift_history.metrics,
						ARRAY['ks', 'psi', 'wasserstein_normed', 'chi2', 'js_divergence']) AS w
	), c AS MATERIALIZED (
		-- only the comparisons asked for are computed (ks_test's p-value
		-- is the costly one)
		SELECT r.window_end, p.segment, p.feature, p.numeric_profile IS NOT NULL AS isnum,
			   CASE WHEN 'ks' = ANY (want.w) THEN driftmon.ks_test_upper(bp.numeric, p.numeric_profile) END AS ks,
			   CASE WHEN 'psi' = ANY (want.w) THEN driftmon.psi(bp.numeric, p.numeric_profile) END AS npsi,
			   CASE WHEN 'wasserstein_normed' = ANY (want.w)
					THEN driftmon.wasserstein_normed(bp.numeric, p.numeric_profile) END AS w,
			   CASE WHEN 'chi2' = ANY (want.w) THEN driftmon.chi2_test(bp.categorical, p.categorical_profile) END AS chi2,
			   CASE WHEN 'psi' = ANY (want.w) THEN driftmon.psi(bp.categorical, p.categorical_profile) END AS cpsi,
			   CASE WHEN 'js_divergence' = ANY (want.w) THEN driftmon.js_divergence(bp.categorical, p.categorical_profile) END AS js
		FROM want CROSS JOIN r
		JOIN driftmon.run_profiles p ON p.run_id = r.run_id
		JOIN driftmon.baseline_profiles bp ON bp.baseline = b AND bp.feature = p.feature
	)
	SELECT c.window_end, c.segment, c.feature, v.metric, v.value, v.p_value,
		   driftmon.result_status(COALESCE(v.p_value, v.value), th.warn, th.alert,
								  COALESCE(th.direction, 'above'))
	FROM c
	CROSS JOIN LATERAL (VALUES
		(1, 'ks', (c.ks).statistic, (c.ks).p_value, true),
		(2, 'psi', c.npsi, NULL::float8, true),
		(3, 'wasserstein_normed', c.w, NULL::float8, true),
		(4, 'chi2', (c.chi2).statistic, (c.chi2).p_value, false),
		(5, 'js_divergence', c.js, NULL::float8, false),
		(6, 'psi', c.cpsi, NULL::float8, false)) AS v(o, metric, value, p_value, isnum)
	LEFT JOIN th ON th.feature = c.feature AND th.metric = v.metric
	CROSS JOIN want
	WHERE v.isnum = c.isnum AND v.metric = ANY (want.w)
	ORDER BY c.window_end, c.segment NULLS FIRST, c.feature, v.o;
END
$$;

COMMENT ON FUNCTION driftmon.profile_drift_history(text, text, text[]) IS
  'Drift time series computed from the profiles stored by the runs of a monitor (run_profiles, latest succeeded run per window) against a saved baseline (default: the monitor''s reference_baseline), without reading the source: one row per (window_end, segment, feature, metric) with the metrics of run_monitor (ks, psi, wasserstein_normed; chi2, js_divergence, psi), p-value and status under the monitor''s thresholds (metrics: a subset to compute, NULL = all); within the profile comparisons'' documented error of the exact values';

-- Privileges -------------------------------------------------------------------
-- driftmon_reader: dashboards (views and results).  driftmon_admin: manage and
-- run monitors (also needs SELECT on the sources it monitors).  Direct
-- UPDATE/DELETE of history is refused by the triggers even with privileges.
DO $grants$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'driftmon_reader') THEN
		GRANT USAGE ON SCHEMA driftmon TO driftmon_reader;
		GRANT SELECT ON driftmon.results, driftmon.monitor_list, driftmon.latest_results,
			driftmon.monitor_status, driftmon.drift_history, driftmon.quality_history
			TO driftmon_reader;
		-- stored profiles are summaries for dashboards, like results
		GRANT SELECT ON driftmon.run_profiles, driftmon.baselines, driftmon.baseline_profiles
			TO driftmon_reader;
	END IF;
	IF EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = 'driftmon_admin') THEN
		GRANT USAGE ON SCHEMA driftmon TO driftmon_admin;
		GRANT SELECT, INSERT, UPDATE, DELETE ON driftmon.monitors, driftmon.checks TO driftmon_admin;
		GRANT SELECT, INSERT, DELETE ON driftmon.runs, driftmon.results TO driftmon_admin;
		GRANT SELECT, INSERT ON driftmon.purge_log TO driftmon_admin;
		GRANT SELECT, INSERT, DELETE ON driftmon.run_profiles TO driftmon_admin;
		GRANT SELECT, INSERT, UPDATE, DELETE ON driftmon.baselines, driftmon.baseline_profiles TO driftmon_admin;
		GRANT USAGE, SELECT ON driftmon.monitors_monitor_id_seq, driftmon.checks_check_id_seq,
			driftmon.runs_run_id_seq, driftmon.purge_log_purge_id_seq TO driftmon_admin;
		GRANT SELECT ON driftmon.monitor_list, driftmon.latest_results, driftmon.monitor_status,
			driftmon.drift_history, driftmon.quality_history TO driftmon_admin;
	END IF;
END
$grants$;
