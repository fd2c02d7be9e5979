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

#include "metrics.h"

#define REG_VERSION		1
#define REG_BYTES		(8 + 8 + 8 + 8 * 13)

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

/* dm_reg_serialize: state -> bytea. */
Datum
dm_reg_serialize(PG_FUNCTION_ARGS)
{
	RegState   *s = (RegState *) PG_GETARG_POINTER(0);
	bytea	   *out = palloc0(REG_BYTES + VARHDRSZ);
	char	   *p = VARDATA(out);
	double		f[13] = {s->m.shift_y, s->m.mean_y, s->m.m2_y.s, s->m.m2_y.c, s->m.sum_abs.s, s->m.sum_abs.c,
		s->m.sum_sq.s, s->m.sum_sq.c, s->m.sum_ape.s, s->m.sum_ape.c,
	s->m.sum_err.s, s->m.sum_err.c, s->m.max_abs};

	SET_VARSIZE(out, REG_BYTES + VARHDRSZ);
	p[0] = REG_VERSION;
	memcpy(p + 8, &s->n_skipped, 8);
	memcpy(p + 16, &s->m.n, 8);
	memcpy(p + 24, f, sizeof(f));
	PG_RETURN_BYTEA_P(out);
}

/* dm_reg_deserialize: validated bytea -> state. */
Datum
dm_reg_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(b);
	RegState   *s;
	double		f[13];
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_reg_deserialize called in non-aggregate context");
	if (VARSIZE_ANY_EXHDR(b) != REG_BYTES || p[0] != REG_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized driftmon regression state"),
				 errdetail("Expected %d bytes of format version %d.", REG_BYTES, REG_VERSION)));
	for (i = 1; i < 8; i++)
		if (p[i] != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid serialized driftmon regression state"),
					 errdetail("Reserved bytes are not zero.")));
	s = reg_new(aggctx);
	memcpy(&s->n_skipped, p + 8, 8);
	memcpy(&s->m.n, p + 16, 8);
	memcpy(f, p + 24, sizeof(f));
	if (s->n_skipped < 0 || s->m.n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid serialized driftmon regression state"),
				 errdetail("A count is negative.")));
	s->m.shift_y = f[0];
	s->m.mean_y = f[1];
	s->m.m2_y.s = f[2];
	s->m.m2_y.c = f[3];
	s->m.sum_abs.s = f[4];
	s->m.sum_abs.c = f[5];
	s->m.sum_sq.s = f[6];
	s->m.sum_sq.c = f[7];
	s->m.sum_ape.s = f[8];
	s->m.sum_ape.c = f[9];
	s->m.sum_err.s = f[10];
	s->m.sum_err.c = f[11];
	s->m.max_abs = f[12];
	PG_RETURN_POINTER(s);
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
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
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
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, v, nul)));
}
