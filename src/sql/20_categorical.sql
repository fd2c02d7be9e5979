
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
