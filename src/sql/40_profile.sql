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
