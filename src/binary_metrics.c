/*
 * binary_metrics.c
 *		Score and probability aggregates for binary labels: roc_auc,
 *		average_precision, log_loss, brier_score and binary_metrics.
 *
 * One state type serves all of them.  The ranking metrics keep every score
 * (8 bytes per row, in two arrays: positive and negative rows) and sort once
 * in the final function (radix sort, src/core/dm_sort.h); log loss and Brier
 * keep compensated sums; binary_metrics also counts the confusion matrix at
 * its threshold (score >= threshold predicts true).
 *
 * Serialized state (little-endian): u8 version (1), u8 flags (bit 0:
 * threshold set), u16 zero, i64 n_skipped, i64 n_outside, f64 threshold,
 * f64 ll.s, f64 ll.c, f64 br.s, f64 br.c, i64 nprob, i64 tp, fp, tn, fn,
 * f64 first_outside, i64 npos, i64 nneg, then npos + nneg f64 scores.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "metrics.h"
#include "ranking.h"

#define SCORE_VERSION	1
#define SCORE_HEADER	(4 + 8 * 17)

typedef struct ScoreState
{
	MemoryContext mcxt;
	int64		n_skipped;
	double	   *pos;
	double	   *neg;
	int64		npos,
				nneg,
				cappos,
				capneg;
	dm_ksum		ll;				/* log loss terms */
	dm_ksum		br;				/* squared errors */
	int64		nprob;			/* rows in ll / br */
	int64		n_outside;		/* binary_metrics: scores outside [0, 1] */
	double		first_outside;
	bool		has_threshold;
	double		threshold;
	int64		tp,
				fp,
				tn,
				fn;
} ScoreState;

/* score_state_new: an empty state in the aggregate context. */
static ScoreState *
score_state_new(MemoryContext mcxt)
{
	ScoreState *s = MemoryContextAllocZero(mcxt, sizeof(ScoreState));

	s->mcxt = mcxt;
	return s;
}

/* get_state: state argument, created on first call. */
static ScoreState *
get_score_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggctx;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in non-aggregate context", fname);
	if (PG_ARGISNULL(0))
		return score_state_new(aggctx);
	return (ScoreState *) PG_GETARG_POINTER(0);
}

/* push_score: append one score to the positive or the negative array. */
static inline void
push_score(ScoreState *s, double v, bool label)
{
	double	  **arr = label ? &s->pos : &s->neg;
	int64	   *n = label ? &s->npos : &s->nneg;
	int64	   *cap = label ? &s->cappos : &s->capneg;

	if (*n == *cap)
	{
		int64		newcap = *cap ? *cap * 2 : 1024;

		if (*arr == NULL)
			*arr = MemoryContextAllocHuge(s->mcxt, (Size) newcap * sizeof(double));
		else
			*arr = repalloc_huge(*arr, (Size) newcap * sizeof(double));
		*cap = newcap;
	}
	(*arr)[(*n)++] = v;
}

/* nan_error: a NaN score is an error (it has no rank). */
static void
nan_error(const char *fname, const char *arg)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: %s NaN is not allowed", fname, arg),
			 errdetail("NaN has no position in a ranking and no probability."),
			 errhint("Filter NaN out (WHERE %s <> 'NaN') or map it to a value.", arg)));
}

/* prob_check: a probability must be a number in [0, 1]. */
static inline void
prob_check(double p, const char *fname)
{
	if (isnan(p))
		nan_error(fname, "probability");
	if (p < 0.0 || p > 1.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s: probability %s is outside [0, 1]", fname,
						float8out_internal(p)),
				 errdetail("The argument is the predicted probability of the positive class (label true)."),
				 errhint("Pass calibrated probabilities (e.g. a sigmoid of raw scores); driftmon.roc_auc accepts any score.")));
}

PG_FUNCTION_INFO_V1(dm_score_trans_rank);
PG_FUNCTION_INFO_V1(dm_score_trans_logloss);
PG_FUNCTION_INFO_V1(dm_score_trans_brier);
PG_FUNCTION_INFO_V1(dm_score_trans_binary);
PG_FUNCTION_INFO_V1(dm_score_trans_binary05);
PG_FUNCTION_INFO_V1(dm_score_combine);
PG_FUNCTION_INFO_V1(dm_score_serialize);
PG_FUNCTION_INFO_V1(dm_score_deserialize);
PG_FUNCTION_INFO_V1(dm_score_final_auc);
PG_FUNCTION_INFO_V1(dm_score_final_ap);
PG_FUNCTION_INFO_V1(dm_score_final_logloss);
PG_FUNCTION_INFO_V1(dm_score_final_brier);
PG_FUNCTION_INFO_V1(dm_score_final_binary);

/* dm_score_trans_rank: roc_auc / average_precision(score, label). */
Datum
dm_score_trans_rank(PG_FUNCTION_ARGS)
{
	ScoreState *s = get_score_state(fcinfo, "dm_score_trans_rank");
	double		v;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		s->n_skipped++;
		PG_RETURN_POINTER(s);
	}
	v = PG_GETARG_FLOAT8(1);
	if (isnan(v))
		nan_error("roc_auc/average_precision", "score");
	push_score(s, v, PG_GETARG_BOOL(2));
	PG_RETURN_POINTER(s);
}

/* dm_score_trans_logloss: log_loss(probability, label). */
Datum
dm_score_trans_logloss(PG_FUNCTION_ARGS)
{
	ScoreState *s = get_score_state(fcinfo, "dm_score_trans_logloss");
	double		p;
	bool		y;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		s->n_skipped++;
		PG_RETURN_POINTER(s);
	}
	p = PG_GETARG_FLOAT8(1);
	y = PG_GETARG_BOOL(2);
	prob_check(p, "log_loss");
	dm_ksum_add(&s->ll, dm_logloss_term(p, y));
	s->nprob++;
	if (y)
		s->npos++;
	else
		s->nneg++;
	PG_RETURN_POINTER(s);
}

/* dm_score_trans_brier: brier_score(probability, label). */
Datum
dm_score_trans_brier(PG_FUNCTION_ARGS)
{
	ScoreState *s = get_score_state(fcinfo, "dm_score_trans_brier");
	double		p,
				d;
	bool		y;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		s->n_skipped++;
		PG_RETURN_POINTER(s);
	}
	p = PG_GETARG_FLOAT8(1);
	y = PG_GETARG_BOOL(2);
	prob_check(p, "brier_score");
	d = (y ? 1.0 : 0.0) - p;
	dm_ksum_add(&s->br, d * d);
	s->nprob++;
	if (y)
		s->npos++;
	else
		s->nneg++;
	PG_RETURN_POINTER(s);
}

/*
 * score_trans_binary
 *		One row of binary_metrics(label, score, threshold): keeps the score, counts the
 *		thresholded confusion matrix, and sums log loss / Brier terms while
 *		every score is a probability (the first score outside [0, 1] is
 *		remembered; those two metrics are then NULL).
 */
static Datum
score_trans_binary(FunctionCallInfo fcinfo, bool th_null, double th)
{
	ScoreState *s = get_score_state(fcinfo, "dm_score_trans_binary");
	double		v;
	bool		y,
				pred;

	if (th_null)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("binary_metrics: threshold must not be NULL"),
				 errhint("Omit the argument for the default threshold 0.5.")));
	if (!s->has_threshold)
	{
		if (isnan(th))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("binary_metrics: threshold NaN is not allowed")));
		s->threshold = th;
		s->has_threshold = true;
	}
	else if (th != s->threshold)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("binary_metrics: threshold changed from %s to %s",
						float8out_internal(s->threshold), float8out_internal(th)),
				 errdetail("The threshold must be the same for every row of a group.")));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		s->n_skipped++;
		PG_RETURN_POINTER(s);
	}
	y = PG_GETARG_BOOL(1);
	v = PG_GETARG_FLOAT8(2);
	if (isnan(v))
		nan_error("binary_metrics", "score");
	push_score(s, v, y);
	pred = v >= s->threshold;
	if (y)
	{
		if (pred)
			s->tp++;
		else
			s->fn++;
	}
	else
	{
		if (pred)
			s->fp++;
		else
			s->tn++;
	}
	if (v >= 0.0 && v <= 1.0)
	{
		double		d = (y ? 1.0 : 0.0) - v;

		dm_ksum_add(&s->ll, dm_logloss_term(v, y));
		dm_ksum_add(&s->br, d * d);
		s->nprob++;
	}
	else if (s->n_outside++ == 0)
		s->first_outside = v;
	PG_RETURN_POINTER(s);
}

/* dm_score_trans_binary: binary_metrics(label, score, threshold). */
Datum
dm_score_trans_binary(PG_FUNCTION_ARGS)
{
	return score_trans_binary(fcinfo, PG_ARGISNULL(3),
							  PG_ARGISNULL(3) ? 0.0 : PG_GETARG_FLOAT8(3));
}

/* dm_score_trans_binary05: binary_metrics(label, score), threshold 0.5. */
Datum
dm_score_trans_binary05(PG_FUNCTION_ARGS)
{
	return score_trans_binary(fcinfo, false, 0.5);
}

/* append_scores: dst gets n more scores from src (grows geometrically). */
static void
append_scores(ScoreState *s, bool label, const double *src, int64 n)
{
	double	  **arr = label ? &s->pos : &s->neg;
	int64	   *cnt = label ? &s->npos : &s->nneg;
	int64	   *cap = label ? &s->cappos : &s->capneg;

	if (n == 0)
		return;
	if (*cnt + n > *cap)
	{
		int64		newcap = Max(*cnt + n, *cap * 2);

		if (*arr == NULL)
			*arr = MemoryContextAllocHuge(s->mcxt, (Size) newcap * sizeof(double));
		else
			*arr = repalloc_huge(*arr, (Size) newcap * sizeof(double));
		*cap = newcap;
	}
	memcpy(*arr + *cnt, src, (Size) n * sizeof(double));
	*cnt += n;
}

/*
 * score_merge
 *		a += b.  For log loss / Brier only the counts npos / nneg are used
 *		(their arrays stay empty), so the scores are appended only when b
 *		holds them.
 */
static void
score_merge(ScoreState *a, ScoreState *b, bool b_has_arrays)
{
	if (b->has_threshold)
	{
		if (a->has_threshold && a->threshold != b->threshold)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("binary_metrics: threshold changed from %s to %s",
							float8out_internal(a->threshold), float8out_internal(b->threshold)),
					 errdetail("The threshold must be the same for every row of a group.")));
		a->threshold = b->threshold;
		a->has_threshold = true;
	}
	a->n_skipped += b->n_skipped;
	if (b_has_arrays)
	{
		append_scores(a, true, b->pos, b->npos);
		append_scores(a, false, b->neg, b->nneg);
	}
	else
	{
		a->npos += b->npos;
		a->nneg += b->nneg;
	}
	dm_ksum_merge(&a->ll, &b->ll);
	dm_ksum_merge(&a->br, &b->br);
	a->nprob += b->nprob;
	if (b->n_outside > 0 && a->n_outside == 0)
		a->first_outside = b->first_outside;
	a->n_outside += b->n_outside;
	a->tp += b->tp;
	a->fp += b->fp;
	a->tn += b->tn;
	a->fn += b->fn;
}

/* has_arrays: whether a state keeps its scores (ranking / binary_metrics). */
static inline bool
has_arrays(const ScoreState *s)
{
	return s->pos != NULL || s->neg != NULL;
}

/* dm_score_combine: merge two partial states. */
Datum
dm_score_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	ScoreState *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_score_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = (ScoreState *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? score_state_new(aggctx) : (ScoreState *) PG_GETARG_POINTER(0);
	score_merge(a, b, has_arrays(b));
	PG_RETURN_POINTER(a);
}

static inline void
put_u64(char **p, uint64 v)
{
	memcpy(*p, &v, 8);			/* little-endian hosts only, see below */
	*p += 8;
}

static inline uint64
get_u64(const char **p)
{
	uint64		v;

	memcpy(&v, *p, 8);
	*p += 8;
	return v;
}

static inline void
put_f64(char **p, double d)
{
	uint64		v;

	memcpy(&v, &d, 8);
	put_u64(p, v);
}

static inline double
get_f64(const char **p)
{
	uint64		v = get_u64(p);
	double		d;

	memcpy(&d, &v, 8);
	return d;
}

/*
 * dm_score_serialize
 *		State -> bytea (format in the file header).  Serialized states only
 *		travel between a leader and its parallel workers (same host), so the
 *		host byte order is used.
 */
Datum
dm_score_serialize(PG_FUNCTION_ARGS)
{
	ScoreState *s = (ScoreState *) PG_GETARG_POINTER(0);
	bool		arrays = has_arrays(s);
	Size		len = SCORE_HEADER + (arrays ? (Size) (s->npos + s->nneg) * 8 : 0);
	bytea	   *out;
	char	   *p;

	if (len > MaxAllocHugeSize - VARHDRSZ || (arrays && len > MaxAllocSize - VARHDRSZ))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("score aggregate state too large to pass between parallel workers"),
				 errdetail("%lld scores take more than 1 GB.",
						   (long long) (s->npos + s->nneg)),
				 errhint("SET max_parallel_workers_per_gather = 0 for this query.")));
	out = palloc(len + VARHDRSZ);
	SET_VARSIZE(out, len + VARHDRSZ);
	p = VARDATA(out);
	p[0] = SCORE_VERSION;
	p[1] = (char) ((s->has_threshold ? 1 : 0) | (arrays ? 2 : 0));
	p[2] = p[3] = 0;
	p += 4;
	put_u64(&p, (uint64) s->n_skipped);
	put_u64(&p, (uint64) s->n_outside);
	put_f64(&p, s->threshold);
	put_f64(&p, s->ll.s);
	put_f64(&p, s->ll.c);
	put_f64(&p, s->br.s);
	put_f64(&p, s->br.c);
	put_u64(&p, (uint64) s->nprob);
	put_u64(&p, (uint64) s->tp);
	put_u64(&p, (uint64) s->fp);
	put_u64(&p, (uint64) s->tn);
	put_u64(&p, (uint64) s->fn);
	put_f64(&p, s->first_outside);
	put_u64(&p, (uint64) s->npos);
	put_u64(&p, (uint64) s->nneg);
	put_u64(&p, 0);
	put_u64(&p, 0);
	if (arrays)
	{
		if (s->npos)
			memcpy(p, s->pos, (Size) s->npos * 8);
		p += s->npos * 8;
		if (s->nneg)
			memcpy(p, s->neg, (Size) s->nneg * 8);
	}
	PG_RETURN_BYTEA_P(out);
}

/* bad_state: error for a corrupt serialized state. */
static void
bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized driftmon score aggregate state"),
			 errdetail("%s", detail)));
}

/* dm_score_deserialize: validated bytea -> state. */
Datum
dm_score_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(b);
	Size		len = VARSIZE_ANY_EXHDR(b);
	ScoreState *s,
				tmp;
	bool		arrays;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_score_deserialize called in non-aggregate context");
	if (len < SCORE_HEADER)
		bad_state("The state is truncated.");
	if (p[0] != SCORE_VERSION)
		bad_state("Unknown format version.");
	if ((p[1] & ~3) != 0 || p[2] != 0 || p[3] != 0)
		bad_state("Unknown flags.");
	memset(&tmp, 0, sizeof(tmp));
	tmp.has_threshold = (p[1] & 1) != 0;
	arrays = (p[1] & 2) != 0;
	p += 4;
	tmp.n_skipped = (int64) get_u64(&p);
	tmp.n_outside = (int64) get_u64(&p);
	tmp.threshold = get_f64(&p);
	tmp.ll.s = get_f64(&p);
	tmp.ll.c = get_f64(&p);
	tmp.br.s = get_f64(&p);
	tmp.br.c = get_f64(&p);
	tmp.nprob = (int64) get_u64(&p);
	tmp.tp = (int64) get_u64(&p);
	tmp.fp = (int64) get_u64(&p);
	tmp.tn = (int64) get_u64(&p);
	tmp.fn = (int64) get_u64(&p);
	tmp.first_outside = get_f64(&p);
	tmp.npos = (int64) get_u64(&p);
	tmp.nneg = (int64) get_u64(&p);
	(void) get_u64(&p);
	(void) get_u64(&p);
	if (tmp.n_skipped < 0 || tmp.n_outside < 0 || tmp.nprob < 0 || tmp.tp < 0 ||
		tmp.fp < 0 || tmp.tn < 0 || tmp.fn < 0 || tmp.npos < 0 || tmp.nneg < 0)
		bad_state("A count is negative.");
	if (arrays ? (uint64) len != SCORE_HEADER + ((uint64) tmp.npos + (uint64) tmp.nneg) * 8 :
		len != SCORE_HEADER)
		bad_state("The state length does not match its counts.");
	s = score_state_new(aggctx);
	tmp.pos = arrays ? (double *) p : NULL;
	tmp.neg = arrays ? (double *) (p + tmp.npos * 8) : NULL;
	if (arrays)
	{
		/* copy without assuming alignment */
		double	   *pos = NULL,
				   *neg = NULL;

		if (tmp.npos)
		{
			pos = palloc_extended((Size) tmp.npos * 8, MCXT_ALLOC_HUGE);
			memcpy(pos, p, (Size) tmp.npos * 8);
		}
		if (tmp.nneg)
		{
			neg = palloc_extended((Size) tmp.nneg * 8, MCXT_ALLOC_HUGE);
			memcpy(neg, p + tmp.npos * 8, (Size) tmp.nneg * 8);
		}
		tmp.pos = pos;
		tmp.neg = neg;
		append_scores(s, true, pos, tmp.npos);
		append_scores(s, false, neg, tmp.nneg);
		/* mark "has arrays" even when both are empty */
		if (s->pos == NULL && s->neg == NULL)
		{
			s->neg = MemoryContextAlloc(aggctx, 8);
			s->capneg = 1;
		}
		tmp.npos = tmp.nneg = 0;
		score_merge(s, &tmp, false);
	}
	else
		score_merge(s, &tmp, false);
	PG_RETURN_POINTER(s);
}

/*
 * one_class_notice
 *		AUC and AP are undefined with one class: NULL and a NOTICE.
 */
static void
one_class_notice(const char *fname, const ScoreState *s)
{
	ereport(NOTICE,
			(errmsg("%s is undefined when only one class is present; returning NULL", fname),
			 errdetail("%lld positive and %lld negative labels.",
					   (long long) s->npos, (long long) s->nneg)));
}

/* dm_score_final_auc: exact ROC AUC (ties get half credit). */
Datum
dm_score_final_auc(PG_FUNCTION_ARGS)
{
	ScoreState *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (ScoreState *) PG_GETARG_POINTER(0);
	if (s->npos + s->nneg == 0)
		PG_RETURN_NULL();
	if (s->npos == 0 || s->nneg == 0)
	{
		one_class_notice("roc_auc", s);
		PG_RETURN_NULL();
	}
	PG_RETURN_FLOAT8(dm_roc_auc(s->pos, (size_t) s->npos, s->neg, (size_t) s->nneg));
}

/* dm_score_final_ap: step-wise average precision. */
Datum
dm_score_final_ap(PG_FUNCTION_ARGS)
{
	ScoreState *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (ScoreState *) PG_GETARG_POINTER(0);
	if (s->npos + s->nneg == 0)
		PG_RETURN_NULL();
	if (s->npos == 0 || s->nneg == 0)
	{
		one_class_notice("average_precision", s);
		PG_RETURN_NULL();
	}
	PG_RETURN_FLOAT8(dm_average_precision(s->pos, (size_t) s->npos,
										  s->neg, (size_t) s->nneg));
}

/* dm_score_final_logloss: mean clipped log loss; NULL without rows. */
Datum
dm_score_final_logloss(PG_FUNCTION_ARGS)
{
	ScoreState *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (ScoreState *) PG_GETARG_POINTER(0);
	if (s->nprob == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(dm_ksum_value(&s->ll) / (double) s->nprob);
}

/* dm_score_final_brier: mean squared error of the probabilities. */
Datum
dm_score_final_brier(PG_FUNCTION_ARGS)
{
	ScoreState *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (ScoreState *) PG_GETARG_POINTER(0);
	if (s->nprob == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(dm_ksum_value(&s->br) / (double) s->nprob);
}

/*
 * dm_score_final_binary
 *		binary_metrics_result: n, n_positive, roc_auc, average_precision,
 *		log_loss, brier_score, then accuracy, precision, recall, f1,
 *		specificity at the threshold (zero_division = 0), n_skipped.
 */
Datum
dm_score_final_binary(PG_FUNCTION_ARGS)
{
	ScoreState *s;
	TupleDesc	tupdesc;
	Datum		v[12];
	bool		nul[12];
	int64		n;
	double		auc,
				ap,
				p,
				r,
				f,
				sp,
				d1,
				d2;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (ScoreState *) PG_GETARG_POINTER(0);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	memset(nul, 0, sizeof(nul));
	n = s->npos + s->nneg;
	v[0] = Int64GetDatum(n);
	v[1] = Int64GetDatum(s->npos);
	if (n == 0)
		nul[2] = nul[3] = nul[4] = nul[5] = nul[6] = nul[7] = nul[8] =
			nul[9] = nul[10] = true;
	else
	{
		if (s->npos == 0 || s->nneg == 0)
		{
			ereport(NOTICE,
					(errmsg("binary_metrics: roc_auc and average_precision are NULL because only one class is present"),
					 errdetail("%lld positive and %lld negative labels.",
							   (long long) s->npos, (long long) s->nneg)));
			nul[2] = nul[3] = true;
		}
		else
		{
			dm_ranking_both(s->pos, (size_t) s->npos, s->neg, (size_t) s->nneg,
							&auc, &ap);
			v[2] = Float8GetDatum(auc);
			v[3] = Float8GetDatum(ap);
		}
		if (s->n_outside > 0)
		{
			ereport(NOTICE,
					(errmsg("binary_metrics: log_loss and brier_score are NULL because %lld scores are outside [0, 1]",
							(long long) s->n_outside),
					 errdetail("The first one is %s.", float8out_internal(s->first_outside))));
			nul[4] = nul[5] = true;
		}
		else
		{
			v[4] = Float8GetDatum(dm_ksum_value(&s->ll) / (double) s->nprob);
			v[5] = Float8GetDatum(dm_ksum_value(&s->br) / (double) s->nprob);
		}
		dm_prf(s->tp, s->tp + s->fn, s->tp + s->fp, &p, &r, &f);
		dm_prf(s->tn, s->tn + s->fp, s->tn + s->fn, &d1, &sp, &d2);
		v[6] = Float8GetDatum((double) (s->tp + s->tn) / (double) n);
		v[7] = Float8GetDatum(p);
		v[8] = Float8GetDatum(r);
		v[9] = Float8GetDatum(f);
		v[10] = Float8GetDatum(sp);
	}
	v[11] = Int64GetDatum(s->n_skipped);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, v, nul)));
}
