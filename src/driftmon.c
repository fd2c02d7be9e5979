/*
 * driftmon.c
 *		Module entry point: PG_MODULE_MAGIC and driftmon.version().
 *
 * Every feature lives in its own glue file (src/<feature>.c) over a
 * Postgres-free numerical core (src/core); this file identifies the
 * library, connects the core's allocation and interrupt hooks, and holds the
 * helpers the glue files share (driftmon.h).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/typcache.h"
#include "utils/memutils.h"

#include "dm_core.h"
#include "driftmon.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

#ifndef DRIFTMON_VERSION
#define DRIFTMON_VERSION "0.1.0"
#endif

PG_FUNCTION_INFO_V1(driftmon_version);

/*
 * dm_palloc
 *		Core allocation inside the server: the current memory context, huge
 *		allocations allowed (a sorted sample of 100M values is 800 MB), an
 *		error instead of NULL when memory runs out.
 */
static void *
dm_palloc(size_t size)
{
	return palloc_extended(size ? size : 1, MCXT_ALLOC_HUGE);
}

/* dm_pfree: the matching release. */
static void
dm_pfree(void *ptr)
{
	pfree(ptr);
}

/* dm_check_interrupts: lets statement_timeout and cancel reach core loops. */
static void
dm_check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/*
 * _PG_init
 *		Point the Postgres-free core at palloc and CHECK_FOR_INTERRUPTS.
 */
void
_PG_init(void)
{
	dm_alloc = dm_palloc;
	dm_free = dm_pfree;
	dm_interrupt = dm_check_interrupts;
}

/*
 * driftmon_version
 *		Return the version compiled into the shared library, so a user can
 *		tell a stale .so from the installed SQL objects.
 */
Datum
driftmon_version(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(DRIFTMON_VERSION));
}

/* dm_agg_context: see driftmon.h. */
MemoryContext
dm_agg_context(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext ctx;

	if (!AggCheckCallContext(fcinfo, &ctx))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s called in non-aggregate context", fn),
				 errdetail("This support function runs only inside an aggregate."),
				 errhint("Call the aggregate that uses it instead.")));
	return ctx;
}

/* dm_result_tupdesc: see driftmon.h. */
TupleDesc
dm_result_tupdesc(FunctionCallInfo fcinfo, int field)
{
	TupleDesc	tupdesc;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (field >= 0)
	{
		Oid			typid;

		if (field >= tupdesc->natts)
			elog(ERROR, "result row has no field %d", field);
		typid = TupleDescAttr(tupdesc, field)->atttypid;
		tupdesc = lookup_rowtype_tupdesc_copy(typid, -1);
	}
	return BlessTupleDesc(tupdesc);
}

/* dm_result_pair: see driftmon.h. */
Datum
dm_result_pair(FunctionCallInfo fcinfo, Datum a, bool a_null, Datum b, bool b_null)
{
	TupleDesc	tupdesc = dm_result_tupdesc(fcinfo, -1);
	Datum		values[2];
	bool		nulls[2];

	if (tupdesc->natts != 2)
		elog(ERROR, "result row must have two fields");
	values[0] = a;
	nulls[0] = a_null;
	values[1] = b;
	nulls[1] = b_null;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}
