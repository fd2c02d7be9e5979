/*
 * driftmon.h
 *		Helpers shared by the Postgres glue files (src/<feature>.c); the
 *		numerical core (src/core) never includes this.
 */
#ifndef DRIFTMON_H
#define DRIFTMON_H

#include "fmgr.h"
#include "access/tupdesc.h"

#include "freq.h"
#include "nprofile.h"

/*
 * dm_agg_context: the aggregate memory context of an aggregate support
 * function, or ERROR 0A000 "<fn> called in non-aggregate context".
 */
extern MemoryContext dm_agg_context(FunctionCallInfo fcinfo, const char *fn);

/*
 * dm_result_tupdesc: the blessed row descriptor of the calling function's
 * composite result (field < 0), or of its composite field number 'field'
 * (0-based), so a final function can build a row nested in its result.
 */
extern TupleDesc dm_result_tupdesc(FunctionCallInfo fcinfo, int field);

/*
 * dm_result_pair: the calling function's two-field composite result from
 * the two field values (NULL where isnull).
 */
extern Datum dm_result_pair(FunctionCallInfo fcinfo, Datum a, bool a_null,
							Datum b, bool b_null);

/*
 * dm_nprof_to_bytea / dm_cprof_to_bytea (profile.c): a numeric or
 * categorical profile in its byte format, in a fresh varlena (the
 * categorical one is first reduced to its cap).
 */
extern bytea *dm_nprof_to_bytea(dm_nprof *p);
extern bytea *dm_cprof_to_bytea(dm_freq *f);

#endif							/* DRIFTMON_H */
