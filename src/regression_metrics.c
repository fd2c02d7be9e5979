/*
 * regression_metrics.c
 *		regression_metrics(y_true, y_pred): n, mae, mse, rmse, mape, r2,
 *		mean_error, max_error, n_skipped in one pass over mergeable moments
 *		(src/core/metrics.c: Welford / Chan for the mean and M2 of y_true,
 *		compensated sums for the errors).
 *
 * Serialized state (host byte order, leader <-> workers only): u8 version
 * (1), 7 zero bytes, i64 n_skipped, then the dm_reg_state fields as i64 n
 * and 12 f64 (shift_y, mean_y, five (sum, compensation) pairs) and f64 max_abs.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "driftmon.h"
#include "metrics.h"
#include "state_fmt.h"

#define REG_BYTES		DM_REG_STATE_BYTES

typedef struct RegState
{
	int64		n_skipped;
	dm_reg_state m;
} RegState;

PG_FUNCTION_INFO_V1(dm_reg_trans);
PG_FUNCTION_INFO_V1(dm_reg_combine);
PG_FUNCTION_INFO_V1(dm_reg_serialize);
PG_FUNCTION_INFO_V1(dm_reg_deserialize);
PG_FUNCTION_INFO_V1(dm_reg_final);

/* reg_new: empty state in the aggregate context. */
static RegState *
reg_new(MemoryContext mcxt)
{
	RegState   *s = MemoryContextAlloc(mcxt, sizeof(RegState));

	s->n_skipped = 0;
	dm_reg_init(&s->m);
	return s;
}

/*
 * dm_reg_trans
 *		One (y_true, y_pred) row; NULL in either is skipped and counted,
 *		NaN or infinity is an error (sklearn rejects them too).
 */
Datum
dm_reg_trans(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	RegState   *s;
	double		yt,
				yp;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_reg_trans called in non-aggregate context");
	s = PG_ARGISNULL(0) ? reg_new(aggctx) : (RegState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		s->n_skipped++;
		PG_RETURN_POINTER(s);
	}
	yt = PG_GETARG_FLOAT8(1);
	yp = PG_GETARG_FLOAT8(2);
	if (!isfinite(yt) || !isfinite(yp))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("regression_metrics: %s %s is not a finite number",
						isfinite(yt) ? "y_pred" : "y_true",
						float8out_internal(isfinite(yt) ? yp : yt)),
				 errdetail("Errors of NaN or infinite values are undefined."),
				 errhint("Filter the row out or map the value to NULL (rows with NULL are skipped and counted).")));
	dm_reg_add(&s->m, yt, yp);
	PG_RETURN_POINTER(s);
}

/* dm_reg_combine: merge two partial states (Chan's update). */
Datum
dm_reg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	RegState   *a,
			   *b;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_reg_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = (RegState *) PG_GETARG_POINTER(1);
	a = PG_ARGISNULL(0) ? reg_new(aggctx) : (RegState *) PG_GETARG_POINTER(0);
	a->n_skipped += b->n_skipped;
	dm_reg_merge(&a->m, &b->m);
	PG_RETURN_POINTER(a);
}

/* dm_reg_serialize: state -> bytea (src/core/state_fmt.c). */
Datum
dm_reg_serialize(PG_FUNCTION_ARGS)
{
	RegState   *s = (RegState *) PG_GETARG_POINTER(0);
	bytea	   *out = palloc(REG_BYTES + VARHDRSZ);

	SET_VARSIZE(out, REG_BYTES + VARHDRSZ);
	dm_reg_state_encode(s->n_skipped, &s->m, VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/* dm_reg_deserialize: validated bytea -> state. */
Datum
dm_reg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	RegState   *s;
	char		err[256];

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_reg_deserialize called in non-aggregate context");
	s = reg_new(aggctx);
	if (dm_reg_state_decode(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &s->n_skipped,
							&s->m, err, sizeof(err)) != DM_FMT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized driftmon regression state"),
				 errdetail("%s", err),
				 errhint("Serialized states are produced only by driftmon.dm_reg_serialize of the same driftmon version.")));
	PG_RETURN_POINTER(s);
}

/*
 * reg_check_range: finite inputs can still give an error, square or ratio
 * beyond the float8 range (|y| near 1e308, squared errors above 1e154, MAPE
 * of a huge error over y_true = 0): raise numeric_value_out_of_range rather
 * than return infinity or NaN.
 */
static void
reg_check_range(const dm_reg_result *r)
{
	const char *bad = NULL;

	if (!isfinite(r->mae))
		bad = "mae";
	else if (!isfinite(r->mse))
		bad = "mse";
	else if (!isfinite(r->rmse))
		bad = "rmse";
	else if (!isfinite(r->mape))
		bad = "mape";
	else if (r->r2_defined && !isfinite(r->r2))
		bad = "r2";
	else if (!isfinite(r->mean_error))
		bad = "mean_error";
	else if (!isfinite(r->max_error))
		bad = "max_error";
	if (bad && strcmp(bad, "r2") == 0)
	{
		/*
		 * Finite errors and squares, so the spread of y_true overflowed
		 * while SSE is too large (above ~2^-60 DBL_MAX) for r2 to round to
		 * 1: no error is out of range, say what is.
		 */
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("regression_metrics: r2 is out of range for type double precision"),
				 errdetail("The spread of y_true exceeds the float8 range (squared deviations from its mean sum above 1.8e308, values around 1e154 or more), and the errors are too large for r2 to round to 1."),
				 errhint("Rescale y_true and y_pred, for example divide both by 1e150.")));
	}
	if (bad)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("regression_metrics: %s is out of range for type double precision", bad),
				 errdetail("The errors or their squares exceed the float8 range (absolute errors above about 1.3e154)."),
				 errhint("Rescale y_true and y_pred, for example divide both by 1e150.")));
}

/*
 * dm_reg_final
 *		regression_metrics_result; metrics NULL without rows, r2 NULL with
 *		fewer than two rows.
 */
Datum
dm_reg_final(PG_FUNCTION_ARGS)
{
	RegState   *s;
	TupleDesc	tupdesc;
	Datum		v[9];
	bool		nul[9];
	dm_reg_result r;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (RegState *) PG_GETARG_POINTER(0);
	tupdesc = dm_result_tupdesc(fcinfo, -1);
	memset(nul, 0, sizeof(nul));
	v[0] = Int64GetDatum(s->m.n);
	v[8] = Int64GetDatum(s->n_skipped);
	if (!dm_reg_finish(&s->m, &r))
	{
		for (i = 1; i < 8; i++)
			nul[i] = true;
	}
	else
	{
		v[1] = Float8GetDatum(r.mae);
		v[2] = Float8GetDatum(r.mse);
		v[3] = Float8GetDatum(r.rmse);
		v[4] = Float8GetDatum(r.mape);
		v[5] = Float8GetDatum(r.r2);
		nul[5] = !r.r2_defined;
		v[6] = Float8GetDatum(r.mean_error);
		v[7] = Float8GetDatum(r.max_error);
		reg_check_range(&r);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, v, nul)));
}
