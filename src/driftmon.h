/*
 * driftmon.h
 *		Helpers shared by the Postgres glue files (src/<feature>.c); the
 *		numerical core (src/core) never includes this.
 */
#ifndef DRIFTMON_H
#define DRIFTMON_H

#include "fmgr.h"

/*
 * dm_agg_context: the aggregate memory context of an aggregate support
 * function, or ERROR 0A000 "<fn> called in non-aggregate context".
 */
extern MemoryContext dm_agg_context(FunctionCallInfo fcinfo, const char *fn);

#endif							/* DRIFTMON_H */
