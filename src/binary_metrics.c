/*
 * binary_metrics.c
 *		Score and probability aggregates for binary labels: roc_auc,
 *		average_precision, log_loss, brier_score and binary_metrics.
 *
 * One state type serves all of them.  The ranking metrics keep every score
 * (8 bytes per row, in two arrays: positive and negative rows) and sort once
 * in the final function (radix sort, src/core/dm_sort.h; under a parallel
 * plan each worker sorts its own scores and the leader merges the sorted
 * runs, so the final sort finds them in order); log loss and Brier
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

#include "driftmon.h"
#include "metrics.h"
#include "state_fmt.h"
#include "dm_sort.h"
#include "ranking.h"

#define SCORE_HEADER	DM_SCORE_STATE_HEADER

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
	bool		pos_sorted;		/* pos[] ascending (set by serialize / merge) */
	bool		neg_sorted;		/* neg[] ascending */
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

/*
 * push_score: append one score to the positive or the negative array.  The
 * arrays start at 8 scores and double: a GROUP BY over many small groups
 * (hash aggregation keeps every group's state) then costs about 8 bytes per
 * row plus a few hundred per group, not the 8 kB a first block of 1024
 * scores took per class and group.
 */
static inline void
push_score(ScoreState *s, double v, bool label)
{
	double	  **arr = label ? &s->pos : &s->neg;
	int64	   *n = label ? &s->npos : &s->nneg;
	int64	   *cap = label ? &s->cappos : &s->capneg;

	if (*n == *cap)
	{
		int64		newcap = *cap ? *cap * 2 : 8;

		if (*arr == NULL)
			*arr = MemoryContextAllocHuge(s->mcxt, (Size) newcap * sizeof(double));
		else
			*arr = repalloc_huge(*arr, (Size) newcap * sizeof(double));
		*cap = newcap;
	}
	(*arr)[(*n)++] = v;
	if (label)
		s->pos_sorted = false;
	else
		s->neg_sorted = false;
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
				 errdetail("The threshold argument of this row is NULL."),
				 errhint("Omit the argument for the default threshold 0.5.")));
	if (!s->has_threshold)
	{
		if (isnan(th))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("binary_metrics: threshold NaN is not allowed"),
					 errdetail("A NaN threshold would classify no score as positive or negative."),
					 errhint("Pass a number; the default threshold is 0.5.")));
		s->threshold = th;
		s->has_threshold = true;
	}
	else if (th != s->threshold)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("binary_metrics: threshold changed from %s to %s",
						float8out_internal(s->threshold), float8out_internal(th)),
				 errdetail("The threshold must be the same for every row of a group."),
				 errhint("Pass a constant threshold, or GROUP BY the threshold.")));
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

/*
 * append_scores
 *		dst gets n more scores from src.  When both runs are ascending
 *		(parallel workers sort theirs before serializing) they are merged in
 *		linear time, so the final function finds them in order and does not
 *		sort again; otherwise they are appended and marked unsorted.
 */
static void
append_scores(ScoreState *s, bool label, const double *src, int64 n,
			  bool src_sorted)
{
	double	  **arr = label ? &s->pos : &s->neg;
	int64	   *cnt = label ? &s->npos : &s->nneg;
	int64	   *cap = label ? &s->cappos : &s->capneg;
	bool	   *sorted = label ? &s->pos_sorted : &s->neg_sorted;

	if (n == 0)
		return;
	if (*cnt > 0 && *sorted && src_sorted)
	{
		const double *d = *arr;
		int64		total = *cnt + n;
		double	   *m = MemoryContextAllocHuge(s->mcxt, (Size) total * sizeof(double));
		int64		i = 0,
					j = 0,
					o = 0;

		while (i < *cnt && j < n)
		{
			m[o++] = (src[j] < d[i]) ? src[j++] : d[i++];
			if ((o & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		while (i < *cnt)
			m[o++] = d[i++];
		while (j < n)
			m[o++] = src[j++];
		pfree(*arr);
		*arr = m;
		*cnt = *cap = total;
		return;
	}
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
	*sorted = (*cnt == 0) ? src_sorted : false;
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
					 errdetail("The threshold must be the same for every row of a group."),
					 errhint("Pass a constant threshold, or GROUP BY the threshold.")));
		a->threshold = b->threshold;
		a->has_threshold = true;
	}
	a->n_skipped += b->n_skipped;
	if (b_has_arrays)
	{
		append_scores(a, true, b->pos, b->npos, b->pos_sorted);
		append_scores(a, false, b->neg, b->nneg, b->neg_sorted);
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
	dm_score_state_img img;

	if (len > MaxAllocHugeSize - VARHDRSZ || (arrays && len > MaxAllocSize - VARHDRSZ))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("score aggregate state too large to pass between parallel workers"),
				 errdetail("%lld scores take more than 1 GB.",
						   (long long) (s->npos + s->nneg)),
				 errhint("SET max_parallel_workers_per_gather = 0 for this query.")));
	/*
	 * Sort in the worker: the leader then merges sorted runs in linear time
	 * instead of sorting every score alone in the final function.
	 */
	if (arrays)
	{
		if (!s->pos_sorted && s->npos > 1)
			dm_sort_doubles(s->pos, (size_t) s->npos);
		if (!s->neg_sorted && s->nneg > 1)
			dm_sort_doubles(s->neg, (size_t) s->nneg);
		s->pos_sorted = s->neg_sorted = true;
	}
	memset(&img, 0, sizeof(img));
	img.has_threshold = s->has_threshold;
	img.has_arrays = arrays;
	img.n_skipped = s->n_skipped;
	img.n_outside = s->n_outside;
	img.threshold = s->threshold;
	img.ll = s->ll;
	img.br = s->br;
	img.nprob = s->nprob;
	img.tp = s->tp;
	img.fp = s->fp;
	img.tn = s->tn;
	img.fn = s->fn;
	img.first_outside = s->first_outside;
	img.npos = s->npos;
	img.nneg = s->nneg;
	img.pos = (const char *) s->pos;
	img.neg = (const char *) s->neg;
	out = palloc(len + VARHDRSZ);
	SET_VARSIZE(out, len + VARHDRSZ);
	dm_score_state_encode(&img, VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/* bad_state: error for a corrupt serialized state. */
static void
bad_state(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid serialized driftmon score aggregate state"),
			 errdetail("%s", detail),
			 errhint("Serialized states are produced only by driftmon.dm_score_serialize of the same driftmon version.")));
}

/*
 * copy_scores
 *		An aligned copy (in cxt, at least one slot) of n serialized scores,
 *		refusing NaN and reporting in *sorted whether they are ascending, so
 *		a worker's sorted run is merged, never trusted blindly.
 */
static double *
copy_scores(MemoryContext cxt, const char *src, int64 n, bool *sorted)
{
	double	   *d = MemoryContextAllocHuge(cxt, (Size) Max(n, 1) * sizeof(double));
	int64		i;

	if (n > 0)
		memcpy(d, src, (Size) n * sizeof(double));
	*sorted = true;
	for (i = 0; i < n; i++)
	{
		if (isnan(d[i]))
			bad_state("A score is NaN.");
		if (i > 0 && d[i - 1] > d[i])
			*sorted = false;
	}
	return d;
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
	dm_score_state_img img;
	char		err[256];

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_score_deserialize called in non-aggregate context");
	if (dm_score_state_decode(p, len, &img, err, sizeof(err)) != DM_FMT_OK)
		bad_state(err);
	memset(&tmp, 0, sizeof(tmp));
	tmp.has_threshold = img.has_threshold;
	arrays = img.has_arrays;
	tmp.n_skipped = img.n_skipped;
	tmp.n_outside = img.n_outside;
	tmp.threshold = img.threshold;
	tmp.ll = img.ll;
	tmp.br = img.br;
	tmp.nprob = img.nprob;
	tmp.tp = img.tp;
	tmp.fp = img.fp;
	tmp.tn = img.tn;
	tmp.fn = img.fn;
	tmp.first_outside = img.first_outside;
	tmp.npos = img.npos;
	tmp.nneg = img.nneg;
	s = score_state_new(aggctx);
	if (arrays)
	{
		/* one aligned copy each; at least one slot marks "has arrays" */
		s->pos = copy_scores(aggctx, img.pos, tmp.npos, &s->pos_sorted);
		s->neg = copy_scores(aggctx, img.neg, tmp.nneg, &s->neg_sorted);
		s->npos = s->cappos = tmp.npos;
		s->nneg = s->capneg = tmp.nneg;
		if (s->cappos == 0)
			s->cappos = 1;
		if (s->capneg == 0)
			s->capneg = 1;
		tmp.npos = tmp.nneg = 0;
	}
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
			(errcode(ERRCODE_WARNING),
			 errmsg("%s is undefined when only one class is present; returning NULL", fname),
			 errdetail("%lld positive and %lld negative labels.",
					   (long long) s->npos, (long long) s->nneg),
			 errhint("Both labels (true and false) must occur in the group.")));
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
	tupdesc = dm_result_tupdesc(fcinfo, -1);
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
					(errcode(ERRCODE_WARNING),
					 errmsg("binary_metrics: roc_auc and average_precision are NULL because only one class is present"),
					 errdetail("%lld positive and %lld negative labels.",
							   (long long) s->npos, (long long) s->nneg),
					 errhint("Both labels (true and false) must occur in the group.")));
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
					(errcode(ERRCODE_WARNING),
					 errmsg("binary_metrics: log_loss and brier_score are NULL because %lld scores are outside [0, 1]",
							(long long) s->n_outside),
					 errdetail("The first one is %s.", float8out_internal(s->first_outside)),
					 errhint("log_loss and brier_score need probabilities; roc_auc, average_precision and the thresholded metrics accept any score.")));
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
