/*
 * driftmon.c
 *		Module entry point: PG_MODULE_MAGIC and driftmon.version().
 *
 * Every feature lives in its own glue file (src/<feature>.c) over a
 * Postgres-free numerical core (src/core); this file only identifies the
 * library.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

#ifndef DRIFTMON_VERSION
#define DRIFTMON_VERSION "0.1.0"
#endif

PG_FUNCTION_INFO_V1(driftmon_version);

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
