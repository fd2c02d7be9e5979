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

CREATE TYPE driftmon.profile_chi2_result AS (
  statistic float8,
  p_value float8,
  dof integer,
  n_reference bigint,
  n_current bigint,
  n_categories integer
);
COMMENT ON TYPE driftmon.profile_chi2_result IS
  'Result of chi2_test(categorical_profile, categorical_profile): the fields of driftmon.chi2_result';

CREATE FUNCTION driftmon.chi2_test(reference driftmon.categorical_profile, current driftmon.categorical_profile)
RETURNS driftmon.profile_chi2_result
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
