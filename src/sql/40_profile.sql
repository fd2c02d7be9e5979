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
