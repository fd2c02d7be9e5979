/*
 * numeric_drift.c
 *		Postgres glue of the numeric drift aggregates: ks_test, psi_agg,
 *		wasserstein_agg, js_divergence and numeric_drift, and their array
 *		forms.
 *
 * All aggregates share one transition state: per side (reference = flag
 * false, current = flag true) a growable array of the finite values plus
 * counters of NULL and non-finite values.  The state is appended to by the
 * transition and combine functions and sorted once, in the final function,
 * with the radix sort of the core; the statistics themselves live in the
 * Postgres-free core (src/core/numeric_core.h).  Parameters (alternative,
 * method, bins, binning) are aggregate arguments, read and validated when
 * the state is created (first row of a group) and carried in the state.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "driftmon.h"
#include "divergence.h"
#include "dm_sort.h"
#include "ks_dist.h"
#include "numeric_core.h"
#include "state_fmt.h"

/* One window's sample. */
typedef struct NumSide
{
	double	   *v;				/* finite values, sorted iff 'sorted' */
	int64		n;				/* number of finite values */
	int64		cap;			/* allocated length of v */
	int64		nulls;			/* NULL values (flag not NULL) */
	int64		nonfinite;		/* NaN, +inf, -inf: excluded and counted */
	bool		sorted;
} NumSide;

/* The shared transition state: two sides and the aggregate's parameters. */
typedef struct NumState
{
	NumSide		side[2];		/* [0] reference, [1] current */
	int32		bins;
	int8		alt;			/* dm_ks_alternative */
	int8		method;			/* dm_ks_method */
	int8		binning;		/* dm_binning */
} NumState;

#define NUM_INITIAL_CAP 16
#define NUM_DEFAULT_BINS 10

/*
 * Serialized state: a fixed header, then n_ref and n_cur raw doubles
 * (src/core/state_fmt.h encodes and validates it).
 */

/* Parameter layouts of the transition functions. */
typedef enum NumParams
{
	NUM_PARAMS_NONE,
	NUM_PARAMS_KS,				/* alternative text [, method text] */
	NUM_PARAMS_PSI,				/* bins int [, binning text] */
	NUM_PARAMS_JS				/* bins int */
} NumParams;

PG_FUNCTION_INFO_V1(dm_num_trans);
PG_FUNCTION_INFO_V1(dm_num_trans_ks);
PG_FUNCTION_INFO_V1(dm_num_trans_psi);
PG_FUNCTION_INFO_V1(dm_num_trans_js);
PG_FUNCTION_INFO_V1(dm_num_combine);
PG_FUNCTION_INFO_V1(dm_num_serialize);
PG_FUNCTION_INFO_V1(dm_num_deserialize);
PG_FUNCTION_INFO_V1(dm_ks_test_final);
PG_FUNCTION_INFO_V1(dm_psi_final);
PG_FUNCTION_INFO_V1(dm_js_final);
PG_FUNCTION_INFO_V1(dm_wasserstein_final);
PG_FUNCTION_INFO_V1(dm_numeric_drift_final);
PG_FUNCTION_INFO_V1(dm_num_reference_profile_final);
PG_FUNCTION_INFO_V1(dm_num_current_profile_final);
PG_FUNCTION_INFO_V1(dm_numeric_drift_profile_final);
PG_FUNCTION_INFO_V1(dm_ks_test_arrays);
PG_FUNCTION_INFO_V1(dm_psi_arrays);
PG_FUNCTION_INFO_V1(dm_js_arrays);
PG_FUNCTION_INFO_V1(dm_wasserstein_arrays);
PG_FUNCTION_INFO_V1(dm_numeric_drift_arrays);

/* ---------- parameters ---------- */

/* param_not_null: raise the error for a NULL parameter argument. */
static void
param_not_null(FunctionCallInfo fcinfo, int argno, const char *name)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be null", name),
				 errdetail("Parameters of the numeric drift functions have no NULL meaning."),
				 errhint("Omit the argument to use the default.")));
}

/* parse_alternative: 'two-sided' | 'less' | 'greater' (scipy's names). */
static int8
parse_alternative(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strcmp(s, "two-sided") == 0)
		return DM_KS_TWO_SIDED;
	if (strcmp(s, "less") == 0)
		return DM_KS_LESS;
	if (strcmp(s, "greater") == 0)
		return DM_KS_GREATER;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid alternative \"%s\" for ks_test", s),
			 errdetail("The alternative names the hypothesis tested against equal distributions."),
			 errhint("Valid values are 'two-sided', 'less' and 'greater'.")));
	return 0;					/* keep compiler quiet */
}

/* parse_method: 'auto' | 'exact' | 'asymp' (scipy's names). */
static int8
parse_method(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strcmp(s, "auto") == 0)
		return DM_KS_AUTO;
	if (strcmp(s, "exact") == 0)
		return DM_KS_EXACT;
	if (strcmp(s, "asymp") == 0)
		return DM_KS_ASYMP;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid method \"%s\" for ks_test", s),
			 errdetail("The method chooses how the p-value is computed."),
			 errhint("Valid values are 'auto', 'exact' and 'asymp'.")));
	return 0;
}

/* parse_binning: 'quantile' | 'uniform' | 'sturges'. */
static int8
parse_binning(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strcmp(s, "quantile") == 0)
		return DM_BINNING_QUANTILE;
	if (strcmp(s, "uniform") == 0)
		return DM_BINNING_UNIFORM;
	if (strcmp(s, "sturges") == 0)
		return DM_BINNING_STURGES;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid binning \"%s\" for psi_agg", s),
			 errdetail("The binning rule chooses the histogram bins."),
			 errhint("Valid values are 'quantile', 'uniform' and 'sturges'.")));
	return 0;
}

/* check_bins: 2 <= bins <= DM_MAX_BINS. */
static int32
check_bins(int32 bins)
{
	if (bins < 2 || bins > DM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be between 2 and %d", DM_MAX_BINS),
				 errdetail("bins was %d.", bins),
				 errhint("The default is 10 bins.")));
	return bins;
}

/*
 * read_params: fill the state's parameters from the arguments after
 * (value, is_current), according to the transition's layout; argoff is the
 * index of the first parameter argument.
 */
static void
read_params(FunctionCallInfo fcinfo, NumState *st, NumParams layout, int argoff)
{
	int			nargs = PG_NARGS();

	switch (layout)
	{
		case NUM_PARAMS_NONE:
			break;
		case NUM_PARAMS_KS:
			if (nargs > argoff)
			{
				param_not_null(fcinfo, argoff, "alternative");
				st->alt = parse_alternative(PG_GETARG_TEXT_PP(argoff));
			}
			if (nargs > argoff + 1)
			{
				param_not_null(fcinfo, argoff + 1, "method");
				st->method = parse_method(PG_GETARG_TEXT_PP(argoff + 1));
			}
			break;
		case NUM_PARAMS_PSI:
		case NUM_PARAMS_JS:
			if (nargs > argoff)
			{
				param_not_null(fcinfo, argoff, "bins");
				st->bins = check_bins(PG_GETARG_INT32(argoff));
			}
			if (layout == NUM_PARAMS_PSI && nargs > argoff + 1)
			{
				param_not_null(fcinfo, argoff + 1, "binning");
				st->binning = parse_binning(PG_GETARG_TEXT_PP(argoff + 1));
			}
			break;
	}
}

/* ---------- state ---------- */

/* num_state_new: an empty state with default parameters, in context cxt. */
static NumState *
num_state_new(MemoryContext cxt)
{
	NumState   *st = MemoryContextAllocZero(cxt, sizeof(NumState));

	st->alt = DM_KS_TWO_SIDED;
	st->method = DM_KS_AUTO;
	st->bins = NUM_DEFAULT_BINS;
	st->binning = DM_BINNING_QUANTILE;
	return st;
}

/*
 * side_reserve: make room for 'extra' more values, doubling the capacity
 * (first allocation NUM_INITIAL_CAP, so small groups stay small).  The array
 * is (re)allocated in cxt, or where it already lives.
 */
static void
side_reserve(NumSide *s, int64 extra, MemoryContext cxt)
{
	int64		need = s->n + extra;
	int64		cap;

	if (need <= s->cap)
		return;
	cap = s->cap > 0 ? s->cap : NUM_INITIAL_CAP;
	while (cap < need)
		cap *= 2;
	if ((Size) cap > MaxAllocHugeSize / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many values for a numeric drift aggregate"),
				 errdetail("A side would hold " INT64_FORMAT " values.", need),
				 errhint("Aggregate smaller windows or groups.")));
	if (s->v == NULL)
		s->v = MemoryContextAllocHuge(cxt, cap * sizeof(double));
	else
		s->v = repalloc_huge(s->v, cap * sizeof(double));
	s->cap = cap;
}

/* side_add: count or store one value (the transition's per-row work). */
static inline void
side_add(NumSide *s, double x, MemoryContext cxt)
{
	if (!isfinite(x))
	{
		s->nonfinite++;
		return;
	}
	if (s->n == s->cap)
		side_reserve(s, 1, cxt);
	s->v[s->n++] = x;
	s->sorted = false;
}

/*
 * side_sort: sort a side once (the final functions and the serial function
 * call this).  A single value goes through the sort too, which stores -0.0
 * as +0.0: otherwise a worker's lone -0.0 reached the leader's merge and
 * min/max/percentiles printed -0 where the serial plan prints 0.
 */
static void
side_sort(NumSide *s)
{
	if (!s->sorted)
	{
		if (s->n > 0)
			dm_sort_doubles(s->v, (size_t) s->n);
		s->sorted = true;
	}
}

/*
 * check_same_params: raise 22023 unless two states of one group were built
 * with the same bins, binning, alternative and method.  Used on every row by
 * the transition and on every merge by the combine function, so a parameter
 * that changes within a group is an error whatever the plan (a partial
 * aggregate may see only one of the values).
 */
static void
check_same_params(const NumState *a, const NumState *b)
{
	if (a->bins != b->bins || a->alt != b->alt ||
		a->method != b->method || a->binning != b->binning)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("parameters of a numeric drift aggregate must be the same on every row"),
				 errdetail("The bins, binning, alternative or method argument changed within one group."),
				 errhint("Pass a constant, or GROUP BY the parameter.")));
}

/*
 * num_trans_common: the transition of every numeric drift aggregate.
 * NULL flag: the row is skipped; NULL value: counted as a null of its side;
 * NaN and infinities: counted as non-finite; other values are appended.
 */
static Datum
num_trans_common(FunctionCallInfo fcinfo, NumParams layout)
{
	MemoryContext aggcxt = NULL;
	NumState   *st;

	if (PG_ARGISNULL(0))
	{
		if (!AggCheckCallContext(fcinfo, &aggcxt))
			elog(ERROR, "numeric drift transition function called in non-aggregate context");
		st = num_state_new(aggcxt);
		read_params(fcinfo, st, layout, 3);
	}
	else
	{
		st = (NumState *) PG_GETARG_POINTER(0);
		if (layout != NUM_PARAMS_NONE)
		{
			/* parameters must be constant: a per-row value has no meaning */
			NumState	cur;

			memset(&cur, 0, sizeof(cur));
			cur.bins = st->bins;
			cur.alt = st->alt;
			cur.method = st->method;
			cur.binning = st->binning;
			read_params(fcinfo, &cur, layout, 3);
			check_same_params(st, &cur);
		}
	}

	if (!PG_ARGISNULL(2))
	{
		NumSide    *s = &st->side[PG_GETARG_BOOL(2) ? 1 : 0];

		if (PG_ARGISNULL(1))
			s->nulls++;
		else
		{
			double		x = PG_GETARG_FLOAT8(1);

			/* the first value of a side allocates in the aggregate context */
			if (s->v == NULL && aggcxt == NULL &&
				!AggCheckCallContext(fcinfo, &aggcxt))
				elog(ERROR, "numeric drift transition function called in non-aggregate context");
			side_add(s, x, aggcxt);
		}
	}
	PG_RETURN_POINTER(st);
}

/* dm_num_trans: transition of the parameterless forms. */
Datum
dm_num_trans(PG_FUNCTION_ARGS)
{
	return num_trans_common(fcinfo, NUM_PARAMS_NONE);
}

/* dm_num_trans_ks: transition of ks_test with alternative [, method]. */
Datum
dm_num_trans_ks(PG_FUNCTION_ARGS)
{
	return num_trans_common(fcinfo, NUM_PARAMS_KS);
}

/* dm_num_trans_psi: transition of psi_agg with bins [, binning]. */
Datum
dm_num_trans_psi(PG_FUNCTION_ARGS)
{
	return num_trans_common(fcinfo, NUM_PARAMS_PSI);
}

/* dm_num_trans_js: transition of js_divergence with bins. */
Datum
dm_num_trans_js(PG_FUNCTION_ARGS)
{
	return num_trans_common(fcinfo, NUM_PARAMS_JS);
}

/*
 * side_append: add src's values and counters to dst (combine).  Two sorted
 * sides are merged in linear time, so sorts done by parallel workers (in
 * dm_num_serialize) are not redone by the leader; otherwise the values are
 * appended and the side is marked unsorted.
 */
static void
side_append(NumSide *dst, const NumSide *src, MemoryContext cxt)
{
	if (src->n > 0 && dst->n == 0)
	{
		side_reserve(dst, src->n, cxt);
		memcpy(dst->v, src->v, src->n * sizeof(double));
		dst->n = src->n;
		dst->sorted = src->sorted;
	}
	else if (src->n > 0 && dst->sorted && src->sorted)
	{
		int64		total = dst->n + src->n;
		double	   *m = MemoryContextAllocHuge(cxt, total * sizeof(double));
		int64		i = 0,
					j = 0,
					o = 0;

		/*
		 * Branch-free merge (the comparison of two random runs is a coin
		 * flip, which a branch mispredicts half the time), in blocks of at
		 * most 65536 outputs between interrupt checks: a block of length
		 * min(remaining dst, remaining src, 65536) cannot run past either
		 * run's end.
		 */
		while (i < dst->n && j < src->n)
		{
			int64		block = Min(Min(dst->n - i, src->n - j), 65536);
			const double *dv = dst->v,
					   *sv = src->v;

			while (block-- > 0)
			{
				double		a = dv[i],
							b = sv[j];
				bool		take_src = b < a;

				m[o++] = take_src ? b : a;
				j += take_src;
				i += !take_src;
			}
			CHECK_FOR_INTERRUPTS();
		}
		while (i < dst->n)
			m[o++] = dst->v[i++];
		while (j < src->n)
			m[o++] = src->v[j++];
		pfree(dst->v);
		dst->v = m;
		dst->n = dst->cap = total;
	}
	else if (src->n > 0)
	{
		side_reserve(dst, src->n, cxt);
		memcpy(dst->v + dst->n, src->v, src->n * sizeof(double));
		dst->n += src->n;
		dst->sorted = false;
	}
	dst->nulls += src->nulls;
	dst->nonfinite += src->nonfinite;
}

/*
 * dm_num_combine: merge two partial states (parallel aggregation) by
 * appending the second's values and counters to the first; both must have
 * the same parameters.
 */
Datum
dm_num_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	NumState   *s1,
			   *s2;
	int			k;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "dm_num_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	s2 = (NumState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
	{
		/*
		 * Internal states reach a combine function only through
		 * dm_num_deserialize, which builds them in the aggregate context:
		 * adopt the second state instead of copying its values.
		 */
		PG_RETURN_POINTER(s2);
	}
	s1 = (NumState *) PG_GETARG_POINTER(0);
	check_same_params(s1, s2);
	for (k = 0; k < 2; k++)
	{
		side_append(&s1->side[k], &s2->side[k], aggcxt);
		/* s2 is a deserialized copy nobody else references: release it now */
		if (s2->side[k].v != NULL)
			pfree(s2->side[k].v);
	}
	pfree(s2);
	PG_RETURN_POINTER(s1);
}

/*
 * dm_num_serialize: versioned byte image of a state for parallel workers:
 * magic, version, parameters, a sorted flag, per side (n, nulls,
 * nonfinite), then the raw doubles of both sides, each sorted ascending.
 */
Datum
dm_num_serialize(PG_FUNCTION_ARGS)
{
	NumState   *st = (NumState *) PG_GETARG_POINTER(0);
	Size		nvals = (Size) st->side[0].n + (Size) st->side[1].n;
	Size		len;
	bytea	   *out;
	dm_num_state_img img;
	int			k;

	if (nvals > (MaxAllocSize - VARHDRSZ - DM_NUM_STATE_HEADER) / sizeof(double))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("numeric drift state too large to pass between parallel workers"),
				 errdetail("A worker collected %zu values; at most about 134 million fit in one message.", nvals),
				 errhint("Set max_parallel_workers_per_gather = 0 for this query, or aggregate smaller windows.")));
	/*
	 * Sort in the worker: the leader then merges sorted runs in linear time
	 * instead of sorting everything alone.
	 */
	side_sort(&st->side[0]);
	side_sort(&st->side[1]);
	img.alt = st->alt;
	img.method = st->method;
	img.binning = st->binning;
	img.bins = st->bins;
	img.sorted = 1;
	for (k = 0; k < 2; k++)
	{
		img.n[k] = st->side[k].n;
		img.nulls[k] = st->side[k].nulls;
		img.nonfinite[k] = st->side[k].nonfinite;
		img.values[k] = (const char *) st->side[k].v;
	}
	len = VARHDRSZ + dm_num_state_size(&img);
	out = (bytea *) palloc(len);
	SET_VARSIZE(out, len);
	dm_num_state_encode(&img, VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/* bad_state: the error for a serialized state that fails validation. */
static void
bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized numeric drift state"),
			 errdetail("%s", detail),
			 errhint("Serialized states are produced only by driftmon.numeric_state_serialize of the same driftmon version.")));
}

/*
 * dm_num_deserialize: rebuild a state from dm_num_serialize's bytes, in the
 * aggregate context, validating magic, version, parameters, counts, length
 * and that every value is finite before anything is used.
 */
Datum
dm_num_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	MemoryContext aggcxt;
	NumState   *st;
	dm_num_state_img img;
	char		err[256];
	int			k;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "dm_num_deserialize called in non-aggregate context");
	if (dm_num_state_decode(VARDATA_ANY(in), VARSIZE_ANY_EXHDR(in), &img,
							err, sizeof(err)) != DM_FMT_OK)
		bad_state(err);
	st = num_state_new(aggcxt);
	st->alt = (int8) img.alt;
	st->method = (int8) img.method;
	st->binning = (int8) img.binning;
	st->bins = img.bins;
	for (k = 0; k < 2; k++)
	{
		NumSide    *s = &st->side[k];

		s->nulls = img.nulls[k];
		s->nonfinite = img.nonfinite[k];
		if (img.n[k] > 0)
		{
			side_reserve(s, img.n[k], aggcxt);
			memcpy(s->v, img.values[k], img.n[k] * sizeof(double));
			s->n = img.n[k];
			/* the decoder has verified the order before reporting it */
			s->sorted = img.sorted_ok[k];
		}
	}
	PG_RETURN_POINTER(st);
}

/* ---------- statistics ---------- */

/* alt_name / method_name: the SQL spelling of the enums. */
static const char *
method_name(dm_ks_method m)
{
	return m == DM_KS_EXACT ? "exact" : "asymp";
}

/* Both sides non-empty (after dropping NULLs and non-finite values)? */
static inline bool
both_sides(const NumState *st)
{
	return st->side[0].n > 0 && st->side[1].n > 0;
}

/*
 * ks_fill: the ks_result fields (statistic, p_value, statistic_location,
 * statistic_sign, n_reference, n_current, method) into values[]/nulls[].
 */
static void
ks_fill(NumState *st, dm_ks_alternative alt, dm_ks_method method,
		Datum *values, bool *nulls)
{
	int			i;

	for (i = 0; i < 7; i++)
		nulls[i] = true;
	values[4] = Int64GetDatum(st->side[0].n);
	values[5] = Int64GetDatum(st->side[1].n);
	nulls[4] = nulls[5] = false;
	if (both_sides(st))
	{
		dm_ks_stat ks;
		dm_ks_method used = DM_KS_ASYMP;
		double		p;

		side_sort(&st->side[0]);
		side_sort(&st->side[1]);
		dm_ks_statistic(st->side[0].v, st->side[0].n, st->side[1].v, st->side[1].n,
						alt, &ks);
		p = dm_ks_2samp_pvalue(st->side[0].n, st->side[1].n, ks.h, alt, method, &used);
		values[0] = Float8GetDatum(ks.statistic);
		values[1] = Float8GetDatum(p);
		values[2] = Float8GetDatum(ks.location);
		values[3] = Int32GetDatum(ks.sign);
		values[6] = CStringGetTextDatum(method_name(used));
		nulls[0] = nulls[1] = nulls[2] = nulls[3] = nulls[6] = false;
	}
}

/*
 * hist_divergence: PSI (want_js false) or JS (true) on the state's bins.
 * Sorted sides (numeric_drift sorted them for KS) are binned by binary
 * search over the data; otherwise no sort is done at all.
 */
static double
hist_divergence(NumState *st, dm_binning rule, int bins, bool want_js)
{
	double	   *rc,
			   *cc;
	size_t		k;
	double		r;

	if (st->side[0].sorted && st->side[1].sorted)
		k = dm_histogram2(st->side[0].v, st->side[0].n, st->side[1].v, st->side[1].n,
						  rule, bins, &rc, &cc);
	else
	{
		/* no sort needed: quickselect the reference quantiles (reorders) */
		k = dm_histogram2_unsorted(st->side[0].v, st->side[0].n,
								   st->side[1].v, st->side[1].n,
								   rule, bins, &rc, &cc);
		st->side[0].sorted = false;
	}
	if (k == 0)
		return NAN;				/* range overflows a double: no bins */
	r = want_js ? dm_js_divergence(rc, cc, k) : dm_psi(rc, cc, k);
	pfree(rc);
	pfree(cc);
	return r;
}

/*
 * hist_divergence_or_error: hist_divergence for psi_agg and js_divergence,
 * which raise an error where numeric_drift reports NULL.
 */
static double
hist_divergence_or_error(NumState *st, dm_binning rule, int bins, bool want_js)
{
	double		r = hist_divergence(st, rule, bins, want_js);

	if (isnan(r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("values too far apart to bin"),
				 errdetail("The range of the values overflows double precision."),
				 errhint("Rescale the values: ranges up to about 1e308 are supported.")));
	return r;
}

/*
 * check_in_range: raise numeric_value_out_of_range when a statistic of
 * finite inputs is not representable (inputs near +-1.8e308), instead of
 * returning infinity or NaN silently.
 */
static double
check_in_range(double v, const char *what)
{
	if (!isfinite(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range for type double precision", what),
				 errdetail("The result exceeds the float8 range (about 1.8e308): values near that limit."),
				 errhint("Rescale the values, for example divide them by 1e300.")));
	return v;
}

/* wasserstein: scipy's wasserstein_distance of the two sides. */
static double
wasserstein(NumState *st)
{
	side_sort(&st->side[0]);
	side_sort(&st->side[1]);
	return check_in_range(dm_wasserstein_sorted(st->side[0].v, st->side[0].n,
												st->side[1].v, st->side[1].n),
						  "wasserstein distance");
}

/* form_result: a composite Datum of the function's declared result type. */
static Datum
form_result(FunctionCallInfo fcinfo, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc;

	tupdesc = dm_result_tupdesc(fcinfo, -1);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* empty_state: a state with no value, for finals over zero rows. */
static NumState *
empty_state(void)
{
	return num_state_new(CurrentMemoryContext);
}

#define NUM_DRIFT_FIELDS 26

/*
 * drift_fill: every field of numeric_drift_result.  Per side: counts, mean,
 * sample std (ddof = 1; NULL for fewer than 2 values), min, max, p05, p50,
 * p95 (numpy 'linear'); across sides: KS (two-sided, auto), PSI and JS on
 * 10 reference-quantile bins, Wasserstein and Wasserstein / std_reference.
 */
static void
drift_fill(NumState *st, Datum *values, bool *nulls)
{
	double		std_ref = NAN;
	int			k;

	for (k = 0; k < NUM_DRIFT_FIELDS; k++)
		nulls[k] = true;
	for (k = 0; k < 2; k++)
	{
		NumSide    *s = &st->side[k];

		values[0 + k] = Int64GetDatum(s->n);
		values[2 + k] = Int64GetDatum(s->nulls);
		values[4 + k] = Int64GetDatum(s->nonfinite);
		nulls[0 + k] = nulls[2 + k] = nulls[4 + k] = false;
		if (s->n > 0)
		{
			double		mean,
						sd;

			side_sort(s);
			mean = dm_mean(s->v, s->n);
			sd = dm_std_sample(s->v, s->n, mean);
			if (!isnan(sd))
				check_in_range(sd, "standard deviation");
			values[6 + k] = Float8GetDatum(mean);
			nulls[6 + k] = false;
			if (!isnan(sd))
			{
				values[8 + k] = Float8GetDatum(sd);
				nulls[8 + k] = false;
				if (k == 0)
					std_ref = sd;
			}
			values[10 + k] = Float8GetDatum(s->v[0]);
			values[12 + k] = Float8GetDatum(s->v[s->n - 1]);
			values[14 + k] = Float8GetDatum(dm_quantile_sorted(s->v, s->n, 0.05));
			values[16 + k] = Float8GetDatum(dm_quantile_sorted(s->v, s->n, 0.5));
			values[18 + k] = Float8GetDatum(dm_quantile_sorted(s->v, s->n, 0.95));
			nulls[10 + k] = nulls[12 + k] = false;
			nulls[14 + k] = nulls[16 + k] = nulls[18 + k] = false;
		}
	}
	if (both_sides(st))
	{
		Datum		kv[7];
		bool		kn[7];
		double		w,
					psi,
					js;

		ks_fill(st, DM_KS_TWO_SIDED, DM_KS_AUTO, kv, kn);
		values[20] = kv[0];
		values[21] = kv[1];
		nulls[20] = nulls[21] = false;
		psi = hist_divergence(st, DM_BINNING_QUANTILE, NUM_DEFAULT_BINS, false);
		js = hist_divergence(st, DM_BINNING_QUANTILE, NUM_DEFAULT_BINS, true);
		values[22] = Float8GetDatum(psi);
		values[23] = Float8GetDatum(js);
		nulls[22] = isnan(psi);	/* NULL when the range overflows */
		nulls[23] = isnan(js);
		w = wasserstein(st);
		values[24] = Float8GetDatum(w);
		nulls[24] = false;
		if (!isnan(std_ref) && std_ref > 0.0)
		{
			/*
			 * Beyond the float8 range (a reference spread below about
			 * 1e-300) this is +Infinity, not an error: one degenerate
			 * feature must not fail a GROUP BY feature query or a monitor.
			 */
			values[25] = Float8GetDatum(w / std_ref);
			nulls[25] = false;
		}
	}
}

/* dm_ks_test_final: ks_result of the aggregate; counts only if a side is empty. */
Datum
dm_ks_test_final(PG_FUNCTION_ARGS)
{
	NumState   *st = PG_ARGISNULL(0) ? empty_state() : (NumState *) PG_GETARG_POINTER(0);
	Datum		values[7];
	bool		nulls[7];

	ks_fill(st, st->alt, st->method, values, nulls);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}

/* dm_psi_final: PSI on the state's binning; NULL if a side is empty. */
Datum
dm_psi_final(PG_FUNCTION_ARGS)
{
	NumState   *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (NumState *) PG_GETARG_POINTER(0);
	if (!both_sides(st))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(hist_divergence_or_error(st, st->binning, st->bins, false));
}

/* dm_js_final: JS divergence (base 2) on reference-quantile bins. */
Datum
dm_js_final(PG_FUNCTION_ARGS)
{
	NumState   *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (NumState *) PG_GETARG_POINTER(0);
	if (!both_sides(st))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(hist_divergence_or_error(st, DM_BINNING_QUANTILE, st->bins, true));
}

/* dm_wasserstein_final: Wasserstein-1 distance; NULL if a side is empty. */
Datum
dm_wasserstein_final(PG_FUNCTION_ARGS)
{
	NumState   *st;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (NumState *) PG_GETARG_POINTER(0);
	if (!both_sides(st))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(wasserstein(st));
}

/* dm_numeric_drift_final: numeric_drift_result of the aggregate. */
Datum
dm_numeric_drift_final(PG_FUNCTION_ARGS)
{
	NumState   *st = PG_ARGISNULL(0) ? empty_state() : (NumState *) PG_GETARG_POINTER(0);
	Datum		values[NUM_DRIFT_FIELDS];
	bool		nulls[NUM_DRIFT_FIELDS];

	drift_fill(st, values, nulls);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}

/* ---------- one side's profile ---------- */

/*
 * side_profile: the numeric_profile of one side, as profile_agg(value) over
 * the rows of that side would build it (default k), or NULL when the side
 * had no row at all.  The values go in sorted, in profile_agg's batches, so
 * the profile depends only on the multiset of values, not on the plan or on
 * which final function ran first.
 */
static bytea *
side_profile(NumState *st, int which)
{
	NumSide    *s = &st->side[which];
	dm_nprof	p;
	int64		off;
	bytea	   *b;

	if (s->n == 0 && s->nulls == 0 && s->nonfinite == 0)
		return NULL;
	side_sort(s);
	dm_nprof_init(&p, DM_KLL_DEFAULT_K);
	for (off = 0; off < s->n; off += DM_NPROF_BATCH)
	{
		dm_nprof_add(&p, s->v + off, (size_t) Min(s->n - off, DM_NPROF_BATCH));
		CHECK_FOR_INTERRUPTS();
	}
	p.nulls = (uint64) s->nulls;
	p.nonfinite = (uint64) s->nonfinite;
	b = dm_nprof_to_bytea(&p);
	dm_nprof_free(&p);
	return b;
}

/*
 * profile_final: reference_profile / current_profile.  They take the
 * arguments and transition function of numeric_drift, ks_test and the other
 * numeric aggregates, so in a serial plan they share one state with them.
 */
static Datum
profile_final(FunctionCallInfo fcinfo, int which)
{
	bytea	   *b;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	b = side_profile((NumState *) PG_GETARG_POINTER(0), which);
	if (b == NULL)
		PG_RETURN_NULL();
	PG_RETURN_BYTEA_P(b);
}

/* dm_num_reference_profile_final: reference_profile(value, is_current). */
Datum
dm_num_reference_profile_final(PG_FUNCTION_ARGS)
{
	return profile_final(fcinfo, 0);
}

/* dm_num_current_profile_final: current_profile(value, is_current). */
Datum
dm_num_current_profile_final(PG_FUNCTION_ARGS)
{
	return profile_final(fcinfo, 1);
}

/*
 * dm_numeric_drift_profile_final: numeric_drift_profile(value, is_current),
 * the row (drift numeric_drift_result, current_profile numeric_profile)
 * from one state.  One aggregate rather than numeric_drift and
 * current_profile side by side: those share their state only in a serial
 * plan; in a parallel one every aggregate's partial state is serialized and
 * sent on its own, so the values would cross the tuple queue twice.
 */
Datum
dm_numeric_drift_profile_final(PG_FUNCTION_ARGS)
{
	NumState   *st = PG_ARGISNULL(0) ? empty_state() : (NumState *) PG_GETARG_POINTER(0);
	TupleDesc	drift_desc = dm_result_tupdesc(fcinfo, 0);
	Datum		values[NUM_DRIFT_FIELDS];
	bool		nulls[NUM_DRIFT_FIELDS];
	Datum		drift;
	bytea	   *prof;

	if (drift_desc->natts != NUM_DRIFT_FIELDS)
		elog(ERROR, "numeric_drift_result must have %d fields", NUM_DRIFT_FIELDS);
	drift_fill(st, values, nulls);
	drift = HeapTupleGetDatum(heap_form_tuple(drift_desc, values, nulls));
	prof = side_profile(st, 1);
	return dm_result_pair(fcinfo, drift, false, PointerGetDatum(prof), prof == NULL);
}

/* ---------- array forms ---------- */

/*
 * side_from_array: load a float8[] (any dimensions, flattened) into a side:
 * NULL elements counted as nulls, NaN/infinity as non-finite.
 */
static void
side_from_array(NumSide *s, ArrayType *arr)
{
	Datum	   *elems;
	bool	   *enulls;
	int			nelems,
				i;

	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &enulls, &nelems);
	side_reserve(s, nelems, CurrentMemoryContext);
	for (i = 0; i < nelems; i++)
	{
		if (enulls[i])
			s->nulls++;
		else
			side_add(s, DatumGetFloat8(elems[i]), CurrentMemoryContext);
	}
	pfree(elems);
	pfree(enulls);
}

/* state_from_arrays: a state from the (reference, current) array arguments. */
static NumState *
state_from_arrays(FunctionCallInfo fcinfo)
{
	NumState   *st = num_state_new(CurrentMemoryContext);

	side_from_array(&st->side[0], PG_GETARG_ARRAYTYPE_P(0));
	side_from_array(&st->side[1], PG_GETARG_ARRAYTYPE_P(1));
	return st;
}

/* dm_ks_test_arrays: ks_test(reference float8[], current float8[], alternative, method). */
Datum
dm_ks_test_arrays(PG_FUNCTION_ARGS)
{
	NumState   *st;
	Datum		values[7];
	bool		nulls[7];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	st = state_from_arrays(fcinfo);
	read_params(fcinfo, st, NUM_PARAMS_KS, 2);
	ks_fill(st, st->alt, st->method, values, nulls);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}

/* dm_psi_arrays: psi_agg(reference float8[], current float8[], bins, binning). */
Datum
dm_psi_arrays(PG_FUNCTION_ARGS)
{
	NumState   *st;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	st = state_from_arrays(fcinfo);
	read_params(fcinfo, st, NUM_PARAMS_PSI, 2);
	if (!both_sides(st))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(hist_divergence_or_error(st, st->binning, st->bins, false));
}

/* dm_js_arrays: js_divergence(reference float8[], current float8[], bins). */
Datum
dm_js_arrays(PG_FUNCTION_ARGS)
{
	NumState   *st;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	st = state_from_arrays(fcinfo);
	read_params(fcinfo, st, NUM_PARAMS_JS, 2);
	if (!both_sides(st))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(hist_divergence_or_error(st, DM_BINNING_QUANTILE, st->bins, true));
}

/* dm_wasserstein_arrays: wasserstein_agg(reference float8[], current float8[]). */
Datum
dm_wasserstein_arrays(PG_FUNCTION_ARGS)
{
	NumState   *st;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	st = state_from_arrays(fcinfo);
	if (!both_sides(st))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(wasserstein(st));
}

/* dm_numeric_drift_arrays: numeric_drift(reference float8[], current float8[]). */
Datum
dm_numeric_drift_arrays(PG_FUNCTION_ARGS)
{
	NumState   *st;
	Datum		values[NUM_DRIFT_FIELDS];
	bool		nulls[NUM_DRIFT_FIELDS];

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	st = state_from_arrays(fcinfo);
	drift_fill(st, values, nulls);
	PG_RETURN_DATUM(form_result(fcinfo, values, nulls));
}
