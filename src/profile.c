/*
 * profile.c
 *		Drift profiles: the numeric_profile and categorical_profile types,
 *		profile_agg / rollup aggregates, accessors and comparisons.
 *
 * A profile is a small mergeable summary (moments + KLL quantile sketch for
 * numbers, exact-then-Misra-Gries counts for categories) stored as a varlena
 * holding the versioned, big-endian byte format of src/core/nprofile.h and
 * src/core/freq.h.  Every datum read from disk, text or the wire goes
 * through the core decoder, which validates every field.
 */
#include "postgres.h"

#include <math.h>
#include <float.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "chi2.h"
#include "divergence.h"
#include "freq.h"
#include "dm_core.h"
#include "driftmon.h"
#include "kll.h"
#include "ks_dist.h"
#include "nprofile.h"
#include "profile_compare.h"


/* Aggregate state of profile_agg(float8) and rollup(numeric_profile). */
typedef struct NumProfState
{
	MemoryContext ctx;			/* aggregate context owning everything */
	dm_nprof	prof;
	int			nbuf;
	int			bufcap;
	double	   *buf;			/* finite values not yet in the sketch */
} NumProfState;

/* The context in which a profile datum is being decoded, for error codes. */
typedef enum ProfSource
{
	SRC_TEXT,
	SRC_BINARY,
	SRC_DATUM
} ProfSource;

/*
 * raise_decode_error
 *		Turn a core decoding failure into an ereport with a code that fits
 *		where the bytes came from.
 */
static void
raise_decode_error(dm_decode_status st, const char *type, ProfSource src, const char *detail)
{
	int			code;

	if (st == DM_DECODE_VERSION)
		code = ERRCODE_FEATURE_NOT_SUPPORTED;
	else if (src == SRC_TEXT)
		code = ERRCODE_INVALID_TEXT_REPRESENTATION;
	else if (src == SRC_BINARY)
		code = ERRCODE_INVALID_BINARY_REPRESENTATION;
	else
		code = ERRCODE_DATA_CORRUPTED;
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid %s value", type),
			 errdetail("%s", detail),
			 errhint(st == DM_DECODE_VERSION
					 ? "The profile was written by another driftmon version; rebuild it with driftmon.profile_agg."
					 : "Build profiles with driftmon.profile_agg; hand-written ones must satisfy every invariant of the format.")));
}

/* ---------------------------------------------------------------------
 * numeric_profile: encode / decode helpers
 * ---------------------------------------------------------------------
 */

/* dm_nprof_to_bytea: see driftmon.h. */
bytea *
dm_nprof_to_bytea(dm_nprof *p)
{
	size_t		sz = dm_nprof_encoded_size(p);
	bytea	   *b = (bytea *) palloc(VARHDRSZ + sz);

	SET_VARSIZE(b, VARHDRSZ + sz);
	dm_nprof_encode(p, (uint8_t *) VARDATA(b));
	return b;
}

/* nprof_decode_bytes: validate and decode raw bytes, ereport on failure. */
static void
nprof_decode_bytes(const char *data, size_t len, dm_nprof *p, ProfSource src)
{
	char		err[256];
	dm_decode_status st;

	st = dm_nprof_decode((const uint8_t *) data, len, p, err, sizeof(err));
	if (st != DM_DECODE_OK)
		raise_decode_error(st, "numeric_profile", src, err);
}

/* nprof_from_arg: decode a numeric_profile argument. */
static void
nprof_from_arg(FunctionCallInfo fcinfo, int argno, dm_nprof *p)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(argno);

	nprof_decode_bytes(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), p, SRC_DATUM);
}

/* ---------------------------------------------------------------------
 * text format helpers
 * ---------------------------------------------------------------------
 */

/* syntax_error: ereport for malformed text input. */
static void
syntax_error(const char *type, const char *input, const char *pos, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s", type),
			 errdetail("Expected %s at character %d.", what, (int) (pos - input) + 1),
			 errhint("The text form is what the type's output function prints, e.g. SELECT driftmon.profile_agg(x)::text.")));
}

/* expect_key: consume "key=" or fail. */
static const char *
expect_key(const char *type, const char *input, const char *p, const char *key)
{
	size_t		l = strlen(key);

	if (strncmp(p, key, l) != 0)
	{
		char		what[64];

		snprintf(what, sizeof(what), "\"%s\"", key);
		syntax_error(type, input, p, what);
	}
	return p + l;
}

/* parse_u64: an unsigned decimal integer. */
static uint64
parse_u64(const char *type, const char *input, const char **pp)
{
	const char *p = *pp;
	char	   *end;
	unsigned long long v;

	if (*p < '0' || *p > '9')
		syntax_error(type, input, p, "an unsigned integer");
	errno = 0;
	v = strtoull(p, &end, 10);
	if (errno == ERANGE)
		syntax_error(type, input, p, "an integer below 2^64");
	*pp = end;
	return (uint64) v;
}

/* parse_f64: a double in C syntax (as printed with %.17g). */
static double
parse_f64(const char *type, const char *input, const char **pp)
{
	const char *p = *pp;
	char	   *end;
	double		v;

	if (!(*p == '-' || *p == '+' || *p == '.' || (*p >= '0' && *p <= '9') || *p == 'i' || *p == 'n' || *p == 'I' || *p == 'N'))
		syntax_error(type, input, p, "a number");
	errno = 0;
	v = strtod(p, &end);
	if (end == p)
		syntax_error(type, input, p, "a number");
	*pp = end;
	return v;
}

/* expect_char: consume one separator character. */
static const char *
expect_char(const char *type, const char *input, const char *p, char c)
{
	if (*p != c)
	{
		char		what[8];

		snprintf(what, sizeof(what), "'%c'", c);
		syntax_error(type, input, p, what);
	}
	return p + 1;
}

/* append_f64: print a double so that strtod reads back the same bits. */
static void
append_f64(StringInfo s, double x)
{
	char		tmp[40];

	snprintf(tmp, sizeof(tmp), "%.17g", x);
	appendStringInfoString(s, tmp);
}

/* ---------------------------------------------------------------------
 * numeric_profile type I/O
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(numeric_profile_in);
PG_FUNCTION_INFO_V1(numeric_profile_out);
PG_FUNCTION_INFO_V1(numeric_profile_recv);
PG_FUNCTION_INFO_V1(numeric_profile_send);

/*
 * numeric_profile_in
 *		Parse "v=1;k=..;n=..;nulls=..;nonfinite=..;min=..;max=..;mean=..;
 *		m2=..;rng=..;D=..;S=..;levels=H;L0=a,b,..;...;L{H-1}=.." into the
 *		byte format, then validate it with the core decoder.
 */
Datum
numeric_profile_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *T = "driftmon.numeric_profile";
	const char *p = input;
	uint64		version,
				k,
				nlevels,
				h;
	StringInfoData items;
	uint8		hdr[DM_NPROF_HEADER];
	uint32		lens[DM_KLL_MAX_LEVELS];
	bytea	   *b;
	dm_nprof	prof;
	size_t		total;

	initStringInfo(&items);
	p = expect_key(T, input, p, "v=");
	version = parse_u64(T, input, &p);
	memcpy(hdr, DM_NPROF_MAGIC, 4);
	hdr[4] = (uint8) Min(version, 255);
	hdr[5] = hdr[6] = hdr[7] = 0;
	if (version != DM_NPROF_VERSION)
		raise_decode_error(DM_DECODE_VERSION, "numeric_profile", SRC_TEXT,
						   psprintf("format version %llu is not supported (this library reads version %d)",
									(unsigned long long) version, DM_NPROF_VERSION));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "k=");
	k = parse_u64(T, input, &p);
	if (k > PG_UINT32_MAX)
		k = PG_UINT32_MAX;
	dm_put_u32(hdr + 8, (uint32) k);
	p = expect_key(T, input, expect_char(T, input, p, ';'), "n=");
	dm_put_u64(hdr + 12, parse_u64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "nulls=");
	dm_put_u64(hdr + 20, parse_u64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "nonfinite=");
	dm_put_u64(hdr + 28, parse_u64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "min=");
	dm_put_f64(hdr + 36, parse_f64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "max=");
	dm_put_f64(hdr + 44, parse_f64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "mean=");
	dm_put_f64(hdr + 52, parse_f64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "m2=");
	dm_put_f64(hdr + 60, parse_f64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "rng=");
	dm_put_u64(hdr + 68, parse_u64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "D=");
	dm_put_f64(hdr + 76, parse_f64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "S=");
	dm_put_f64(hdr + 84, parse_f64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "levels=");
	nlevels = parse_u64(T, input, &p);
	if (nlevels < 1 || nlevels > DM_KLL_MAX_LEVELS)
		raise_decode_error(DM_DECODE_CORRUPT, "numeric_profile", SRC_TEXT,
						   psprintf("level count %llu is outside [1, %d]",
									(unsigned long long) nlevels, DM_KLL_MAX_LEVELS));
	dm_put_u32(hdr + 92, (uint32) nlevels);
	for (h = 0; h < nlevels; h++)
	{
		char		key[16];
		uint32		cnt = 0;

		snprintf(key, sizeof(key), "L%u=", (unsigned) h);
		p = expect_key(T, input, expect_char(T, input, p, ';'), key);
		while (*p != ';' && *p != '\0')
		{
			uint8		buf8[8];

			if (cnt > 0)
				p = expect_char(T, input, p, ',');
			dm_put_f64(buf8, parse_f64(T, input, &p));
			appendBinaryStringInfo(&items, (char *) buf8, 8);
			if (++cnt > DM_KLL_MAX_K)
				raise_decode_error(DM_DECODE_CORRUPT, "numeric_profile", SRC_TEXT,
								   psprintf("level %u holds more than %d items", (unsigned) h, DM_KLL_MAX_K));
		}
		lens[h] = cnt;
	}
	if (*p != '\0')
		syntax_error(T, input, p, "end of input");

	total = DM_NPROF_HEADER + 4 * nlevels + items.len;
	b = (bytea *) palloc(VARHDRSZ + total);
	SET_VARSIZE(b, VARHDRSZ + total);
	memcpy(VARDATA(b), hdr, DM_NPROF_HEADER);
	for (h = 0; h < nlevels; h++)
		dm_put_u32((uint8 *) VARDATA(b) + DM_NPROF_HEADER + 4 * h, lens[h]);
	memcpy(VARDATA(b) + DM_NPROF_HEADER + 4 * nlevels, items.data, items.len);
	nprof_decode_bytes(VARDATA(b), total, &prof, SRC_TEXT);
	dm_nprof_free(&prof);
	PG_RETURN_BYTEA_P(b);
}

/* numeric_profile_out: the text form parsed by numeric_profile_in. */
Datum
numeric_profile_out(PG_FUNCTION_ARGS)
{
	dm_nprof	p;
	StringInfoData s;
	uint32		h,
				i;

	nprof_from_arg(fcinfo, 0, &p);
	initStringInfo(&s);
	appendStringInfo(&s, "v=%d;k=%u;n=" UINT64_FORMAT ";nulls=" UINT64_FORMAT
					 ";nonfinite=" UINT64_FORMAT ";min=",
					 DM_NPROF_VERSION, p.kll.k, p.kll.n, p.nulls, p.nonfinite);
	append_f64(&s, p.min);
	appendStringInfoString(&s, ";max=");
	append_f64(&s, p.max);
	appendStringInfoString(&s, ";mean=");
	append_f64(&s, p.mean);
	appendStringInfoString(&s, ";m2=");
	append_f64(&s, p.m2);
	appendStringInfo(&s, ";rng=" UINT64_FORMAT ";D=", p.kll.rng);
	append_f64(&s, p.kll.det_budget);
	appendStringInfoString(&s, ";S=");
	append_f64(&s, p.kll.var_budget);
	appendStringInfo(&s, ";levels=%u", p.kll.nlevels);
	for (h = 0; h < p.kll.nlevels; h++)
	{
		appendStringInfo(&s, ";L%u=", h);
		for (i = 0; i < p.kll.len[h]; i++)
		{
			if (i > 0)
				appendStringInfoChar(&s, ',');
			append_f64(&s, p.kll.items[h][i]);
		}
	}
	dm_nprof_free(&p);
	PG_RETURN_CSTRING(s.data);
}

/* numeric_profile_recv: the byte format, validated. */
Datum
numeric_profile_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	bytea	   *b = (bytea *) palloc(VARHDRSZ + len);
	dm_nprof	p;

	SET_VARSIZE(b, VARHDRSZ + len);
	pq_copymsgbytes(buf, VARDATA(b), len);
	nprof_decode_bytes(VARDATA(b), len, &p, SRC_BINARY);
	dm_nprof_free(&p);
	PG_RETURN_BYTEA_P(b);
}

/* numeric_profile_send: the byte format as stored (already big-endian). */
Datum
numeric_profile_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_P_COPY(0);

	PG_RETURN_BYTEA_P(b);
}

/* ---------------------------------------------------------------------
 * profile_agg(float8) / rollup(numeric_profile)
 * ---------------------------------------------------------------------
 */

/* nstate_new: an empty state in the aggregate context. */
static NumProfState *
nstate_new(MemoryContext ctx, uint32 k)
{
	NumProfState *st = MemoryContextAllocZero(ctx, sizeof(NumProfState));

	st->ctx = ctx;
	dm_nprof_init(&st->prof, k);
	return st;
}

/* nstate_flush: push buffered values into the moments and the sketch. */
static void
nstate_flush(NumProfState *st)
{
	MemoryContext old;

	if (st->nbuf == 0)
		return;
	old = MemoryContextSwitchTo(st->ctx);
	dm_nprof_add(&st->prof, st->buf, st->nbuf);
	MemoryContextSwitchTo(old);
	st->nbuf = 0;
}

/*
 * nstate_push_slow: the buffer is full: grow it (small groups keep small
 * states) or, at its maximum size, flush it into the sketch.
 */
static void
nstate_push_slow(NumProfState *st, double x)
{
	if (st->bufcap < DM_NPROF_BATCH)
	{
		int			nc = st->bufcap ? st->bufcap * 4 : 64;

		if (nc > DM_NPROF_BATCH)
			nc = DM_NPROF_BATCH;
		if (st->buf)
			st->buf = repalloc(st->buf, nc * sizeof(double));
		else
			st->buf = MemoryContextAlloc(st->ctx, nc * sizeof(double));
		st->bufcap = nc;
	}
	else
		nstate_flush(st);
	st->buf[st->nbuf++] = x;
}

/*
 * check_same_param: profile_agg's k / cap must be the same on every row of a
 * group.  The first row sets it; a later row with another value (or NULL)
 * is an error, as merging partial states built with different parameters
 * is, so the result never depends on the plan.
 */
static void
check_same_param(const char *name, uint32 have, bool isnull, int32 given)
{
	if (isnull || given < 0 || (uint32) given != have)
		ereport(ERROR,
				(errcode(isnull ? ERRCODE_NULL_VALUE_NOT_ALLOWED : ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s of profile_agg must be the same on every row", name),
				 errdetail("The first row of the group gave %s = %u, a later row %s.", name, have,
						   isnull ? "NULL" : psprintf("%d", given)),
				 errhint("Pass a constant, or GROUP BY the parameter.")));
}

/* check_k: validate the sketch parameter given to profile_agg. */
static uint32
check_k(int32 k)
{
	if (k < DM_KLL_MIN_K || k > DM_KLL_MAX_K)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sketch size k = %d is out of range", k),
				 errdetail("k must be between %d and %d.", DM_KLL_MIN_K, DM_KLL_MAX_K),
				 errhint("The default is %d (rank error about 1%% at a billion rows); larger k is more accurate and bigger.",
						 DM_KLL_DEFAULT_K)));
	return (uint32) k;
}

PG_FUNCTION_INFO_V1(numeric_profile_trans);

/*
 * numeric_profile_trans
 *		profile_agg(value [, k]) transition: NULL and non-finite values are
 *		counted, finite ones buffered (no per-row allocation).
 */
Datum
numeric_profile_trans(PG_FUNCTION_ARGS)
{
	NumProfState *st = PG_ARGISNULL(0) ? NULL : (NumProfState *) PG_GETARG_POINTER(0);

	if (st == NULL)
	{
		MemoryContext ctx = dm_agg_context(fcinfo, "profile_agg");
		uint32		k = DM_KLL_DEFAULT_K;

		if (PG_NARGS() > 2)
		{
			if (PG_ARGISNULL(2))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("sketch size k must not be NULL"),
						 errdetail("The k argument of this row is NULL."),
						 errhint("Omit k to use the default %d.", DM_KLL_DEFAULT_K)));
			k = check_k(PG_GETARG_INT32(2));
		}
		st = nstate_new(ctx, k);
	}
	else if (PG_NARGS() > 2)
		check_same_param("k", st->prof.kll.k, PG_ARGISNULL(2), PG_GETARG_INT32(2));
	if (PG_ARGISNULL(1))
		st->prof.nulls++;
	else
	{
		double		x = PG_GETARG_FLOAT8(1);

		if (unlikely(isnan(x) || isinf(x)))
			st->prof.nonfinite++;
		else if (likely(st->nbuf < st->bufcap))
			st->buf[st->nbuf++] = x;
		else
			nstate_push_slow(st, x);
	}
	PG_RETURN_POINTER(st);
}

/* raise_param_mismatch: refuse to merge profiles with different k. */
static void
raise_param_mismatch(const char *type, uint32 a, uint32 b)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot merge %s values built with different parameters", type),
			 errdetail("One has %s = %u, the other %s = %u.",
					   strcmp(type, "numeric_profile") == 0 ? "k" : "cap", a,
					   strcmp(type, "numeric_profile") == 0 ? "k" : "cap", b),
			 errhint("Build every profile you want to merge or compare with the same parameters.")));
}

/* nstate_merge_prof: merge a decoded profile into the state. */
static void
nstate_merge_prof(NumProfState *st, dm_nprof *p)
{
	MemoryContext old;

	if (st->prof.kll.k != p->kll.k)
		raise_param_mismatch("numeric_profile", st->prof.kll.k, p->kll.k);
	old = MemoryContextSwitchTo(st->ctx);
	if (dm_nprof_merge(&st->prof, p) == -2)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("numeric_profile count out of range"),
				 errdetail("The merged profile would count more than %lld rows.",
						   (long long) PG_INT64_MAX),
				 errhint("Roll up fewer profiles at a time.")));
	MemoryContextSwitchTo(old);
}

PG_FUNCTION_INFO_V1(numeric_profile_rollup_trans);

/* numeric_profile_rollup_trans: rollup(numeric_profile), NULLs skipped. */
Datum
numeric_profile_rollup_trans(PG_FUNCTION_ARGS)
{
	NumProfState *st = PG_ARGISNULL(0) ? NULL : (NumProfState *) PG_GETARG_POINTER(0);
	dm_nprof	p;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	nprof_from_arg(fcinfo, 1, &p);
	if (st == NULL)
		st = nstate_new(dm_agg_context(fcinfo, "rollup"), p.kll.k);
	nstate_merge_prof(st, &p);
	dm_nprof_free(&p);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(numeric_profile_combine);

/* numeric_profile_combine: merge two partial states (parallel aggregation). */
Datum
numeric_profile_combine(PG_FUNCTION_ARGS)
{
	NumProfState *a = PG_ARGISNULL(0) ? NULL : (NumProfState *) PG_GETARG_POINTER(0);
	NumProfState *b = PG_ARGISNULL(1) ? NULL : (NumProfState *) PG_GETARG_POINTER(1);
	MemoryContext ctx = dm_agg_context(fcinfo, "numeric_profile_combine");

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	nstate_flush(b);
	if (a == NULL)
		a = nstate_new(ctx, b->prof.kll.k);
	nstate_flush(a);
	nstate_merge_prof(a, &b->prof);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(numeric_profile_serialize);

/* numeric_profile_serialize: the state as the profile byte format. */
Datum
numeric_profile_serialize(PG_FUNCTION_ARGS)
{
	NumProfState *st = (NumProfState *) PG_GETARG_POINTER(0);

	nstate_flush(st);
	PG_RETURN_BYTEA_P(dm_nprof_to_bytea(&st->prof));
}

PG_FUNCTION_INFO_V1(numeric_profile_deserialize);

/* numeric_profile_deserialize: validate and rebuild a state. */
Datum
numeric_profile_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	MemoryContext ctx = dm_agg_context(fcinfo, "numeric_profile_deserialize");
	MemoryContext old = MemoryContextSwitchTo(ctx);
	NumProfState *st = nstate_new(ctx, DM_KLL_DEFAULT_K);

	dm_nprof_free(&st->prof);
	nprof_decode_bytes(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &st->prof, SRC_DATUM);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(numeric_profile_final);

/* numeric_profile_final: flush and encode; no input rows gives NULL. */
Datum
numeric_profile_final(PG_FUNCTION_ARGS)
{
	NumProfState *st = PG_ARGISNULL(0) ? NULL : (NumProfState *) PG_GETARG_POINTER(0);

	if (st == NULL)
		PG_RETURN_NULL();
	nstate_flush(st);
	PG_RETURN_BYTEA_P(dm_nprof_to_bytea(&st->prof));
}

/* ---------------------------------------------------------------------
 * numeric_profile accessors
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(numeric_profile_n);
PG_FUNCTION_INFO_V1(numeric_profile_nulls);
PG_FUNCTION_INFO_V1(numeric_profile_nonfinite);
PG_FUNCTION_INFO_V1(numeric_profile_mean);
PG_FUNCTION_INFO_V1(numeric_profile_stddev);
PG_FUNCTION_INFO_V1(numeric_profile_minimum);
PG_FUNCTION_INFO_V1(numeric_profile_maximum);
PG_FUNCTION_INFO_V1(numeric_profile_rank_error);
PG_FUNCTION_INFO_V1(numeric_profile_is_exact);
PG_FUNCTION_INFO_V1(numeric_profile_k);
PG_FUNCTION_INFO_V1(numeric_profile_sketch_size);

/* numeric_profile_n: number of finite values. */
Datum
numeric_profile_n(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	PG_RETURN_INT64((int64) p.kll.n);
}

/* numeric_profile_nulls: number of NULL values seen. */
Datum
numeric_profile_nulls(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	PG_RETURN_INT64((int64) p.nulls);
}

/* numeric_profile_nonfinite: number of NaN / infinite values seen. */
Datum
numeric_profile_nonfinite(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	PG_RETURN_INT64((int64) p.nonfinite);
}

/* numeric_profile_mean: exact-merge mean of the finite values (NULL if none). */
Datum
numeric_profile_mean(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	if (p.kll.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p.mean);
}

/*
 * numeric_profile_stddev: sample standard deviation (n - 1), NULL if n < 2.
 * The profile keeps the sum of squared deviations M2 as a float8: beyond
 * the float8 range when deviations reach about 1.3e154, below the normal
 * range (bits lost) when the spread is under about 1e-154.  An exact
 * profile then recomputes the standard deviation from its values
 * (dm_nprof_stddev); a sketch cannot: that, and a standard deviation
 * beyond 1.8e308, is error 22003, never a silent Infinity or 0.
 */
Datum
numeric_profile_stddev(PG_FUNCTION_ARGS)
{
	dm_nprof	p;
	double		sd;

	nprof_from_arg(fcinfo, 0, &p);
	if (p.kll.n < 2)
		PG_RETURN_NULL();
	sd = dm_nprof_stddev(&p);
	if (!isfinite(sd))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("standard deviation of a numeric_profile is out of range for type double precision"),
				 dm_kll_is_exact(&p.kll) ?
				 errdetail("The standard deviation exceeds the float8 range (about 1.8e308).") :
				 errdetail("The sketched profile's sum of squared deviations %s the float8 range: the values' spread (%g to %g) is beyond what a sketch records.",
						   isinf(p.m2) ? "exceeds" : "is below", p.min, p.max),
				 errhint("Rescale the values (for example multiply or divide them by a power of ten) before profiling them.")));
	PG_RETURN_FLOAT8(sd);
}

/* numeric_profile_minimum: smallest finite value (exact). */
Datum
numeric_profile_minimum(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	if (p.kll.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p.min);
}

/* numeric_profile_maximum: largest finite value (exact). */
Datum
numeric_profile_maximum(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	if (p.kll.n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(p.max);
}

/* numeric_profile_rank_error: the normalised rank-error bound epsilon. */
Datum
numeric_profile_rank_error(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	PG_RETURN_FLOAT8(dm_kll_rank_error(&p.kll));
}

/* numeric_profile_is_exact: true while every value is retained. */
Datum
numeric_profile_is_exact(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	PG_RETURN_BOOL(dm_kll_is_exact(&p.kll));
}

/* numeric_profile_k: the sketch parameter. */
Datum
numeric_profile_k(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	PG_RETURN_INT32((int32) p.kll.k);
}

/* numeric_profile_sketch_size: number of retained sketch items. */
Datum
numeric_profile_sketch_size(PG_FUNCTION_ARGS)
{
	dm_nprof	p;

	nprof_from_arg(fcinfo, 0, &p);
	PG_RETURN_INT32((int32) dm_kll_size(&p.kll));
}

/* check_probability: quantile levels must be in [0, 1]. */
static void
check_probability(double q)
{
	if (!(q >= 0.0 && q <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile level %g is not in [0, 1]", q),
				 errdetail("A quantile level is a probability."),
				 errhint("Pass a fraction, e.g. 0.95 for the 95th percentile.")));
}

PG_FUNCTION_INFO_V1(numeric_profile_quantile);

/*
 * numeric_profile_quantile
 *		quantile(profile, q): numpy.quantile(x, q) (linear interpolation) in
 *		exact mode; the same rule on the weighted sketch otherwise (rank
 *		error <= rank_error(profile)).  NULL for an empty profile.
 */
Datum
numeric_profile_quantile(PG_FUNCTION_ARGS)
{
	dm_nprof	p;
	dm_kll_view v;
	double		q = PG_GETARG_FLOAT8(1),
				r;

	check_probability(q);
	nprof_from_arg(fcinfo, 0, &p);
	if (p.kll.n == 0)
		PG_RETURN_NULL();
	dm_nprof_view(&p, &v);
	r = dm_kll_view_quantile(&v, q);
	PG_RETURN_FLOAT8(r);
}

PG_FUNCTION_INFO_V1(numeric_profile_quantiles);

/* numeric_profile_quantiles: quantile() for an array of levels, one view. */
Datum
numeric_profile_quantiles(PG_FUNCTION_ARGS)
{
	dm_nprof	p;
	dm_kll_view v;
	ArrayType  *a = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *nulls;
	int			ne,
				i;
	Datum	   *out;

	if (ARR_NDIM(a) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("quantile levels must be a one-dimensional array"),
				 errdetail("The array has %d dimensions.", ARR_NDIM(a)),
				 errhint("Pass a one-dimensional float8[] of levels in [0, 1].")));
	deconstruct_array(a, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &ne);
	for (i = 0; i < ne; i++)
	{
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("quantile levels must not contain NULL"),
					 errdetail("Element %d of the levels array is NULL.", i + 1),
					 errhint("Remove the NULL levels.")));
		check_probability(DatumGetFloat8(elems[i]));
	}
	nprof_from_arg(fcinfo, 0, &p);
	if (p.kll.n == 0)
		PG_RETURN_NULL();
	dm_nprof_view(&p, &v);
	out = palloc(sizeof(Datum) * (ne ? ne : 1));
	for (i = 0; i < ne; i++)
		out[i] = Float8GetDatum(dm_kll_view_quantile(&v, DatumGetFloat8(elems[i])));
	PG_RETURN_ARRAYTYPE_P(construct_array(out, ne, FLOAT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

PG_FUNCTION_INFO_V1(numeric_profile_cdf);

/*
 * numeric_profile_cdf
 *		cdf(profile, x): fraction of finite values <= x (exact in exact mode,
 *		within rank_error otherwise).  NULL for an empty profile or NaN x.
 */
Datum
numeric_profile_cdf(PG_FUNCTION_ARGS)
{
	dm_nprof	p;
	dm_kll_view v;
	double		x = PG_GETARG_FLOAT8(1);

	nprof_from_arg(fcinfo, 0, &p);
	if (p.kll.n == 0 || isnan(x))
		PG_RETURN_NULL();
	dm_nprof_view(&p, &v);
	PG_RETURN_FLOAT8((double) dm_kll_view_rank(&v, x) / (double) v.n);
}

/* ---------------------------------------------------------------------
 * comparisons between a reference and a current numeric profile
 * ---------------------------------------------------------------------
 */

/*
 * two_views
 *		Decode both profiles and build their sorted views; false (caller
 *		returns NULL) when either has no finite value.
 */
static bool
two_views(FunctionCallInfo fcinfo, dm_nprof *r, dm_nprof *c, dm_kll_view *vr, dm_kll_view *vc)
{
	nprof_from_arg(fcinfo, 0, r);
	nprof_from_arg(fcinfo, 1, c);
	if (r->kll.n == 0 || c->kll.n == 0)
		return false;
	dm_nprof_view(r, vr);
	dm_nprof_view(c, vc);
	return true;
}

/* check_bins: the bins argument of psi / js_divergence / hellinger. */
static int
check_bins(int32 bins)
{
	if (bins < 2 || bins > 10000)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be between 2 and 10000, got %d", bins),
				 errdetail("The bins argument sets the number of histogram bins."),
				 errhint("The default is 10 bins at reference deciles.")));
	return bins;
}

/*
 * profile_divergences
 *		Histogram both profiles on bins at reference quantiles and compute
 *		every divergence of divergence.h; false if a side is empty.
 */
static bool
profile_divergences(FunctionCallInfo fcinfo, int bins, dm_divergences *out)
{
	dm_nprof	r,
				c;
	dm_kll_view vr,
				vc;
	double	   *rm,
			   *cm;
	int			nb;

	if (!two_views(fcinfo, &r, &c, &vr, &vc))
		return false;
	rm = palloc(sizeof(double) * bins);
	cm = palloc(sizeof(double) * bins);
	nb = dm_compare_quantile_bins(&vr, &vc, bins, rm, cm);
	dm_divergences_compute(rm, cm, nb, out);
	return true;
}

PG_FUNCTION_INFO_V1(numeric_profile_psi);

/*
 * numeric_profile_psi
 *		psi(reference, current [, bins]): population stability index on
 *		bins at reference quantiles, empty bins at 1e-4 (divergence.h).
 */
Datum
numeric_profile_psi(PG_FUNCTION_ARGS)
{
	int			bins = check_bins(PG_NARGS() > 2 ? PG_GETARG_INT32(2) : 10);
	dm_divergences d;

	if (!profile_divergences(fcinfo, bins, &d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d.psi);
}

PG_FUNCTION_INFO_V1(numeric_profile_js);

/* numeric_profile_js: Jensen-Shannon divergence (base 2) on the psi bins. */
Datum
numeric_profile_js(PG_FUNCTION_ARGS)
{
	int			bins = check_bins(PG_NARGS() > 2 ? PG_GETARG_INT32(2) : 10);
	dm_divergences d;

	if (!profile_divergences(fcinfo, bins, &d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d.js);
}

PG_FUNCTION_INFO_V1(numeric_profile_hellinger);

/* numeric_profile_hellinger: Hellinger distance on the psi bins. */
Datum
numeric_profile_hellinger(PG_FUNCTION_ARGS)
{
	int			bins = check_bins(PG_NARGS() > 2 ? PG_GETARG_INT32(2) : 10);
	dm_divergences d;

	if (!profile_divergences(fcinfo, bins, &d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d.hellinger);
}

/*
 * profile_wasserstein: the Wasserstein-1 distance of two views, error 22003
 * when it is beyond the float8 range (shared by wasserstein and
 * wasserstein_normed).
 */
static double
profile_wasserstein(const dm_kll_view *vr, const dm_kll_view *vc)
{
	double		w = dm_compare_wasserstein(vr, vc);

	if (!isfinite(w))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("wasserstein distance is out of range for type double precision"),
				 errdetail("The result exceeds the float8 range (about 1.8e308): values near that limit."),
				 errhint("Rescale the values, for example divide them by 1e300.")));
	return w;
}

PG_FUNCTION_INFO_V1(numeric_profile_wasserstein);

/* numeric_profile_wasserstein: Wasserstein-1 distance between the profiles. */
Datum
numeric_profile_wasserstein(PG_FUNCTION_ARGS)
{
	dm_nprof	r,
				c;
	dm_kll_view vr,
				vc;

	if (!two_views(fcinfo, &r, &c, &vr, &vc))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(profile_wasserstein(&vr, &vc));
}

PG_FUNCTION_INFO_V1(numeric_profile_wasserstein_normed);

/*
 * numeric_profile_wasserstein_normed: wasserstein(ref, cur) / stddev(ref),
 * the numeric_drift field of the same name computed from profiles.  NULL
 * when a side has no finite value or the reference std is 0, undefined
 * (n < 2) or unknown (the stored M2 over- or underflowed: a spread beyond
 * about 1e154 or below 1e-154, where stddev() raises 22003; NULL here so
 * that a monitor records the metric as unknown instead of failing).  A
 * quotient beyond the float8 range (a reference spread below about 1e-300)
 * is +Infinity, as in numeric_drift, not an error: a monitor
 * over many features must not fail on one degenerate reference.
 */
Datum
numeric_profile_wasserstein_normed(PG_FUNCTION_ARGS)
{
	dm_nprof	r,
				c;
	dm_kll_view vr,
				vc;
	double		sd;

	if (!two_views(fcinfo, &r, &c, &vr, &vc))
		PG_RETURN_NULL();
	/* NaN for n < 2, non-finite where stddev() errors (a sketch whose M2 over/underflowed) */
	sd = dm_nprof_stddev(&r);
	if (!isfinite(sd) || !(sd > 0.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(profile_wasserstein(&vr, &vc) / sd);
}

/*
 * profile_ks: the KS statistic of two profiles' views (into *ks) and its
 * two-sided p-value, shared by ks_test and ks_p_value_upper.  Both exact:
 * scipy's (method auto, *method "exact" or "asymp").  Otherwise asymptotic
 * (*method "asymp"): kstwo.sf(D, round(n1 n2 / (n1 + n2))), or with upper
 * of D - rank_error(ref) - rank_error(cur), 1 when that is <= 0.
 */
static double
profile_ks(const dm_nprof *r, const dm_nprof *c, const dm_kll_view *vr,
		   const dm_kll_view *vc, bool upper, dm_sketch_ks *ks,
		   const char **method)
{
	bool		exact = dm_kll_is_exact(&r->kll) && dm_kll_is_exact(&c->kll);
	double		en,
				d;

	dm_compare_ks(vr, vc, exact, ks);
	if (exact)
	{
		dm_ks_method used = DM_KS_ASYMP;
		double		pv = dm_ks_2samp_pvalue((int64_t) r->kll.n, (int64_t) c->kll.n, ks->h,
											DM_KS_TWO_SIDED, DM_KS_AUTO, &used);

		*method = used == DM_KS_EXACT ? "exact" : "asymp";
		return pv;
	}
	*method = "asymp";
	en = (double) r->kll.n * (double) c->kll.n / ((double) r->kll.n + (double) c->kll.n);
	d = ks->d;
	if (upper)
	{
		d -= dm_kll_rank_error(&r->kll) + dm_kll_rank_error(&c->kll);
		if (d <= 0.0)
			return 1.0;
	}
	return dm_kstwo_sf(d, (int64_t) rint(en));
}


/*
 * profile_ks_row
 *		The driftmon.ks_result of ks_test(reference, current), or with upper
 *		of ks_test_upper: the two-sided KS statistic between the profiles'
 *		CDFs (exact when both are exact, else within rank_error(ref) +
 *		rank_error(cur) of the exact one) and profile_ks's p-value.  A side
 *		without finite values gives only the counts; a p-value the library
 *		cannot compute (NaN) is NULL.
 */
static Datum
profile_ks_row(FunctionCallInfo fcinfo, bool upper)
{
	dm_nprof	r,
				c;
	dm_kll_view vr,
				vc;
	dm_sketch_ks	ks;
	TupleDesc	tupdesc;
	Datum		values[7];
	bool		nulls[7] = {false};
	double		pv;
	const char *method;

	tupdesc = dm_result_tupdesc(fcinfo, -1);
	nprof_from_arg(fcinfo, 0, &r);
	nprof_from_arg(fcinfo, 1, &c);
	values[4] = Int64GetDatum((int64) r.kll.n);
	values[5] = Int64GetDatum((int64) c.kll.n);
	if (r.kll.n == 0 || c.kll.n == 0)
	{
		nulls[0] = nulls[1] = nulls[2] = nulls[3] = nulls[6] = true;
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
	}
	dm_nprof_view(&r, &vr);
	dm_nprof_view(&c, &vc);
	pv = profile_ks(&r, &c, &vr, &vc, upper, &ks, &method);
	values[0] = Float8GetDatum(ks.d);
	if (isnan(pv))
		nulls[1] = true;
	else
		values[1] = Float8GetDatum(pv);
	values[2] = Float8GetDatum(ks.location);
	values[3] = Int32GetDatum(ks.sign);
	values[6] = CStringGetTextDatum(method);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

PG_FUNCTION_INFO_V1(numeric_profile_ks);

/* numeric_profile_ks: ks_test(reference, current), see profile_ks_row. */
Datum
numeric_profile_ks(PG_FUNCTION_ARGS)
{
	return profile_ks_row(fcinfo, false);
}

PG_FUNCTION_INFO_V1(numeric_profile_ks_upper);

/*
 * numeric_profile_ks_upper: ks_test_upper(reference, current), ks_test's row
 * with ks_p_value_upper's p-value: what baseline monitors store, from one
 * decoding and one KS evaluation (ks_test's own sketch-mode p-value, which
 * they do not use, can cost 0.1 s).
 */
Datum
numeric_profile_ks_upper(PG_FUNCTION_ARGS)
{
	return profile_ks_row(fcinfo, true);
}

PG_FUNCTION_INFO_V1(numeric_profile_ks_p_upper);

/*
 * numeric_profile_ks_p_upper
 *		ks_p_value_upper(reference, current): an upper bound on the exact
 *		two-sided KS p-value of the rows the profiles summarise.  Both exact:
 *		ks_test's p-value.  Otherwise the exact statistic is at least
 *		D - rank_error(ref) - rank_error(cur) (with the bound's probability),
 *		so kstwo.sf of that (1 when it is <= 0) is at least the exact
 *		p-value: judged against a level alpha it raises a false alarm with
 *		probability at most alpha (+ 1e-6) under the null, where ks_test's
 *		sketch-mode p-value, computed from the noisy D itself, can be tiny
 *		for two samples of one distribution at 10^6 rows.  NULL when a side
 *		has no finite value.
 */
Datum
numeric_profile_ks_p_upper(PG_FUNCTION_ARGS)
{
	dm_nprof	r,
				c;
	dm_kll_view vr,
				vc;
	dm_sketch_ks ks;
	double		pv;
	const char *method;

	if (!two_views(fcinfo, &r, &c, &vr, &vc))
		PG_RETURN_NULL();
	pv = profile_ks(&r, &c, &vr, &vc, true, &ks, &method);
	if (isnan(pv))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(pv);
}

/* ---------------------------------------------------------------------
 * categorical_profile
 * ---------------------------------------------------------------------
 */

/* Aggregate state of profile_agg(text) and rollup(categorical_profile). */
typedef struct CatProfState
{
	MemoryContext ctx;
	dm_freq		f;
} CatProfState;

/* cprof_decode_bytes: validate and decode, ereport on failure. */
static void
cprof_decode_bytes(const char *data, size_t len, dm_freq *f, ProfSource src)
{
	char		err[256];
	dm_decode_status st;

	st = dm_freq_decode((const uint8_t *) data, len, f, err, sizeof(err));
	if (st != DM_DECODE_OK)
		raise_decode_error(st, "categorical_profile", src, err);
}

/* cprof_from_arg: decode a categorical_profile argument. */
static void
cprof_from_arg(FunctionCallInfo fcinfo, int argno, dm_freq *f)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(argno);

	cprof_decode_bytes(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), f, SRC_DATUM);
}

/*
 * dm_cprof_to_bytea: see driftmon.h.  The categories are kept whole, so a
 * few very long ones can make the value exceed the 1 GB limit of a datum:
 * that is a clean error 54000, not palloc's internal "invalid memory alloc
 * request size".
 */
bytea *
dm_cprof_to_bytea(dm_freq *f)
{
	size_t		sz;
	bytea	   *b;

	dm_freq_finish(f);
	sz = dm_freq_encoded_size(f);
	if (sz > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("categorical_profile too large"),
				 errdetail("Its %zu categories would take %zu bytes; a value is limited to 1 GB.",
						   (size_t) f->used, sz),
				 errhint("Profile shorter categories (for example left(category, 200)) or use a smaller cap.")));
	b = (bytea *) palloc(VARHDRSZ + sz);
	SET_VARSIZE(b, VARHDRSZ + sz);
	dm_freq_encode(f, (uint8_t *) VARDATA(b));
	return b;
}

/* verify_categories: categories must be valid text in the server encoding. */
static void
verify_categories(dm_freq *f, ProfSource src)
{
	dm_freq_item *it;
	size_t		m = dm_freq_sorted(f, &it),
				i;

	for (i = 0; i < m; i++)
		if (!pg_verifymbstr(it[i].key, it[i].len, true))
			ereport(ERROR,
					(errcode(src == SRC_BINARY ? ERRCODE_INVALID_BINARY_REPRESENTATION
							 : ERRCODE_CHARACTER_NOT_IN_REPERTOIRE),
					 errmsg("invalid categorical_profile value"),
					 errdetail("A category is not valid in the server encoding %s.",
							   GetDatabaseEncodingName()),
					 errhint("Build the profile in a database with the same encoding, or drop the invalid category.")));
}

PG_FUNCTION_INFO_V1(categorical_profile_in);
PG_FUNCTION_INFO_V1(categorical_profile_out);
PG_FUNCTION_INFO_V1(categorical_profile_recv);
PG_FUNCTION_INFO_V1(categorical_profile_send);

/*
 * categorical_profile_in
 *		Parse 'v=1;cap=..;n=..;nulls=..;rest=..;items={"cat":count,...}'
 *		(categories in double quotes, backslash escapes \" and \\) into the
 *		byte format, then validate it with the core decoder.
 */
Datum
categorical_profile_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *T = "driftmon.categorical_profile";
	const char *p = input;
	uint64		version,
				cap,
				nitems = 0;
	StringInfoData out,
				key;
	uint8		hdr[DM_FREQ_HEADER];
	dm_freq		f;

	initStringInfo(&out);
	initStringInfo(&key);
	p = expect_key(T, input, p, "v=");
	version = parse_u64(T, input, &p);
	if (version != DM_FREQ_VERSION)
		raise_decode_error(DM_DECODE_VERSION, "categorical_profile", SRC_TEXT,
						   psprintf("format version %llu is not supported (this library reads version %d)",
									(unsigned long long) version, DM_FREQ_VERSION));
	memcpy(hdr, DM_FREQ_MAGIC, 4);
	hdr[4] = DM_FREQ_VERSION;
	hdr[5] = hdr[6] = hdr[7] = 0;
	p = expect_key(T, input, expect_char(T, input, p, ';'), "cap=");
	cap = parse_u64(T, input, &p);
	dm_put_u32(hdr + 8, (uint32) Min(cap, PG_UINT32_MAX));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "n=");
	dm_put_u64(hdr + 12, parse_u64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "nulls=");
	dm_put_u64(hdr + 20, parse_u64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "rest=");
	dm_put_u64(hdr + 28, parse_u64(T, input, &p));
	p = expect_key(T, input, expect_char(T, input, p, ';'), "items={");
	while (*p != '}')
	{
		uint8		b8[8];

		if (nitems > 0)
			p = expect_char(T, input, p, ',');
		p = expect_char(T, input, p, '"');
		resetStringInfo(&key);
		while (*p != '"')
		{
			if (*p == '\0')
				syntax_error(T, input, p, "a closing '\"'");
			if (*p == '\\')
			{
				p++;
				if (*p != '"' && *p != '\\')
					syntax_error(T, input, p, "'\"' or '\\' after a backslash");
			}
			appendStringInfoChar(&key, *p++);
		}
		p = expect_char(T, input, expect_char(T, input, p, '"'), ':');
		dm_put_u32(b8, (uint32) key.len);
		appendBinaryStringInfo(&out, (char *) b8, 4);
		appendBinaryStringInfo(&out, key.data, key.len);
		dm_put_u64(b8, parse_u64(T, input, &p));
		appendBinaryStringInfo(&out, (char *) b8, 8);
		if (++nitems > DM_FREQ_MAX_CAP)
			raise_decode_error(DM_DECODE_CORRUPT, "categorical_profile", SRC_TEXT,
							   "more categories than the largest cap");
	}
	p++;
	if (*p != '\0')
		syntax_error(T, input, p, "end of input");
	dm_put_u32(hdr + 36, (uint32) nitems);
	{
		bytea	   *b = (bytea *) palloc(VARHDRSZ + DM_FREQ_HEADER + out.len);

		SET_VARSIZE(b, VARHDRSZ + DM_FREQ_HEADER + out.len);
		memcpy(VARDATA(b), hdr, DM_FREQ_HEADER);
		memcpy(VARDATA(b) + DM_FREQ_HEADER, out.data, out.len);
		cprof_decode_bytes(VARDATA(b), DM_FREQ_HEADER + out.len, &f, SRC_TEXT);
		verify_categories(&f, SRC_TEXT);
		dm_freq_free(&f);
		PG_RETURN_BYTEA_P(b);
	}
}

/* categorical_profile_out: the text form read by categorical_profile_in. */
Datum
categorical_profile_out(PG_FUNCTION_ARGS)
{
	dm_freq		f;
	dm_freq_item *it;
	size_t		m,
				i;
	StringInfoData s;

	cprof_from_arg(fcinfo, 0, &f);
	m = dm_freq_sorted(&f, &it);
	initStringInfo(&s);
	appendStringInfo(&s, "v=%d;cap=%u;n=" UINT64_FORMAT ";nulls=" UINT64_FORMAT
					 ";rest=" UINT64_FORMAT ";items={",
					 DM_FREQ_VERSION, f.cap, f.n, f.nulls, f.rest);
	for (i = 0; i < m; i++)
	{
		uint32		j;

		if (i > 0)
			appendStringInfoChar(&s, ',');
		appendStringInfoChar(&s, '"');
		for (j = 0; j < it[i].len; j++)
		{
			char		c = it[i].key[j];

			if (c == '"' || c == '\\')
				appendStringInfoChar(&s, '\\');
			appendStringInfoChar(&s, c);
		}
		appendStringInfo(&s, "\":" UINT64_FORMAT, it[i].count);
	}
	appendStringInfoChar(&s, '}');
	PG_RETURN_CSTRING(s.data);
}

/* categorical_profile_recv: the byte format, validated (also the encoding). */
Datum
categorical_profile_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	bytea	   *b = (bytea *) palloc(VARHDRSZ + len);
	dm_freq		f;

	SET_VARSIZE(b, VARHDRSZ + len);
	pq_copymsgbytes(buf, VARDATA(b), len);
	cprof_decode_bytes(VARDATA(b), len, &f, SRC_BINARY);
	verify_categories(&f, SRC_BINARY);
	dm_freq_free(&f);
	PG_RETURN_BYTEA_P(b);
}

/* categorical_profile_send: the stored byte format. */
Datum
categorical_profile_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(PG_GETARG_BYTEA_P_COPY(0));
}

/* cstate_new: an empty state in the aggregate context. */
static CatProfState *
cstate_new(MemoryContext ctx, uint32 cap)
{
	CatProfState *st = MemoryContextAllocZero(ctx, sizeof(CatProfState));
	MemoryContext old = MemoryContextSwitchTo(ctx);

	st->ctx = ctx;
	dm_freq_init(&st->f, cap);
	MemoryContextSwitchTo(old);
	return st;
}

/* check_cap: validate the cap parameter of profile_agg(text, cap). */
static uint32
check_cap(int32 cap)
{
	if (cap < 1 || cap > DM_FREQ_MAX_CAP)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("category cap %d is out of range", cap),
				 errdetail("cap must be between 1 and %d.", DM_FREQ_MAX_CAP),
				 errhint("The default %d keeps up to %d categories exactly.",
						 DM_FREQ_DEFAULT_CAP, DM_FREQ_DEFAULT_CAP)));
	return (uint32) cap;
}

PG_FUNCTION_INFO_V1(categorical_profile_trans);

/*
 * categorical_profile_trans
 *		profile_agg(category [, cap]): NULL counted, categories counted in an
 *		open-addressing table whose keys live in an arena (a new category
 *		costs one copy, a known one none).
 */
Datum
categorical_profile_trans(PG_FUNCTION_ARGS)
{
	CatProfState *st = PG_ARGISNULL(0) ? NULL : (CatProfState *) PG_GETARG_POINTER(0);

	if (st == NULL)
	{
		MemoryContext ctx = dm_agg_context(fcinfo, "profile_agg");
		uint32		cap = DM_FREQ_DEFAULT_CAP;

		if (PG_NARGS() > 2)
		{
			if (PG_ARGISNULL(2))
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("category cap must not be NULL"),
						 errdetail("The cap argument of this row is NULL."),
						 errhint("Omit cap to use the default %d.", DM_FREQ_DEFAULT_CAP)));
			cap = check_cap(PG_GETARG_INT32(2));
		}
		st = cstate_new(ctx, cap);
	}
	else if (PG_NARGS() > 2)
		check_same_param("cap", st->f.cap, PG_ARGISNULL(2), PG_GETARG_INT32(2));
	if (PG_ARGISNULL(1))
		st->f.nulls++;
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(1);
		MemoryContext old = MemoryContextSwitchTo(st->ctx);

		dm_freq_add(&st->f, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), 1);
		MemoryContextSwitchTo(old);
	}
	PG_RETURN_POINTER(st);
}

/* cstate_merge: merge counts into the state, refusing different caps. */
static void
cstate_merge(CatProfState *st, const dm_freq *f)
{
	MemoryContext old;

	if (st->f.cap != f->cap)
		raise_param_mismatch("categorical_profile", st->f.cap, f->cap);
	old = MemoryContextSwitchTo(st->ctx);
	if (dm_freq_merge(&st->f, f) == -2)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("categorical_profile count out of range"),
				 errdetail("The merged profile would count more than %lld values.",
						   (long long) PG_INT64_MAX),
				 errhint("Roll up fewer profiles at a time.")));
	MemoryContextSwitchTo(old);
}

PG_FUNCTION_INFO_V1(categorical_profile_rollup_trans);

/* categorical_profile_rollup_trans: rollup(categorical_profile). */
Datum
categorical_profile_rollup_trans(PG_FUNCTION_ARGS)
{
	CatProfState *st = PG_ARGISNULL(0) ? NULL : (CatProfState *) PG_GETARG_POINTER(0);
	dm_freq		f;

	if (PG_ARGISNULL(1))
	{
		if (st == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(st);
	}
	cprof_from_arg(fcinfo, 1, &f);
	if (st == NULL)
		st = cstate_new(dm_agg_context(fcinfo, "rollup"), f.cap);
	cstate_merge(st, &f);
	dm_freq_free(&f);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(categorical_profile_combine);

/* categorical_profile_combine: merge two partial states. */
Datum
categorical_profile_combine(PG_FUNCTION_ARGS)
{
	CatProfState *a = PG_ARGISNULL(0) ? NULL : (CatProfState *) PG_GETARG_POINTER(0);
	CatProfState *b = PG_ARGISNULL(1) ? NULL : (CatProfState *) PG_GETARG_POINTER(1);
	MemoryContext ctx = dm_agg_context(fcinfo, "categorical_profile_combine");

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = cstate_new(ctx, b->f.cap);
	cstate_merge(a, &b->f);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(categorical_profile_serialize);

/* categorical_profile_serialize: the state as the profile byte format. */
Datum
categorical_profile_serialize(PG_FUNCTION_ARGS)
{
	CatProfState *st = (CatProfState *) PG_GETARG_POINTER(0);
	MemoryContext old = MemoryContextSwitchTo(st->ctx);
	bytea	   *b;

	dm_freq_finish(&st->f);
	MemoryContextSwitchTo(old);
	b = dm_cprof_to_bytea(&st->f);
	PG_RETURN_BYTEA_P(b);
}

PG_FUNCTION_INFO_V1(categorical_profile_deserialize);

/* categorical_profile_deserialize: validate and rebuild a state. */
Datum
categorical_profile_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	MemoryContext ctx = dm_agg_context(fcinfo, "categorical_profile_deserialize");
	CatProfState *st = cstate_new(ctx, DM_FREQ_DEFAULT_CAP);
	MemoryContext old = MemoryContextSwitchTo(ctx);

	dm_freq_free(&st->f);
	cprof_decode_bytes(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &st->f, SRC_DATUM);
	MemoryContextSwitchTo(old);
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(categorical_profile_final);

/* categorical_profile_final: reduce to cap and encode; no rows gives NULL. */
Datum
categorical_profile_final(PG_FUNCTION_ARGS)
{
	CatProfState *st = PG_ARGISNULL(0) ? NULL : (CatProfState *) PG_GETARG_POINTER(0);
	MemoryContext old;

	if (st == NULL)
		PG_RETURN_NULL();
	old = MemoryContextSwitchTo(st->ctx);
	dm_freq_finish(&st->f);
	MemoryContextSwitchTo(old);
	PG_RETURN_BYTEA_P(dm_cprof_to_bytea(&st->f));
}

PG_FUNCTION_INFO_V1(categorical_profile_n);
PG_FUNCTION_INFO_V1(categorical_profile_nulls);
PG_FUNCTION_INFO_V1(categorical_profile_is_exact);
PG_FUNCTION_INFO_V1(categorical_profile_n_categories);
PG_FUNCTION_INFO_V1(categorical_profile_max_error);
PG_FUNCTION_INFO_V1(categorical_profile_frequency);
PG_FUNCTION_INFO_V1(categorical_profile_rest);

/* categorical_profile_n: number of non-NULL values. */
Datum
categorical_profile_n(PG_FUNCTION_ARGS)
{
	dm_freq		f;

	cprof_from_arg(fcinfo, 0, &f);
	PG_RETURN_INT64((int64) f.n);
}

/* categorical_profile_nulls: number of NULL values. */
Datum
categorical_profile_nulls(PG_FUNCTION_ARGS)
{
	dm_freq		f;

	cprof_from_arg(fcinfo, 0, &f);
	PG_RETURN_INT64((int64) f.nulls);
}

/* categorical_profile_rest: count not attributed to a stored category. */
Datum
categorical_profile_rest(PG_FUNCTION_ARGS)
{
	dm_freq		f;

	cprof_from_arg(fcinfo, 0, &f);
	PG_RETURN_INT64((int64) f.rest);
}

/* categorical_profile_is_exact: every category counted exactly. */
Datum
categorical_profile_is_exact(PG_FUNCTION_ARGS)
{
	dm_freq		f;

	cprof_from_arg(fcinfo, 0, &f);
	PG_RETURN_BOOL(f.rest == 0);
}

/* categorical_profile_n_categories: number of stored categories. */
Datum
categorical_profile_n_categories(PG_FUNCTION_ARGS)
{
	dm_freq		f;

	cprof_from_arg(fcinfo, 0, &f);
	PG_RETURN_INT32((int32) f.used);
}

/* categorical_profile_max_error: Misra-Gries bound rest / (cap + 1). */
Datum
categorical_profile_max_error(PG_FUNCTION_ARGS)
{
	dm_freq		f;

	cprof_from_arg(fcinfo, 0, &f);
	PG_RETURN_INT64((int64) dm_freq_max_error(&f));
}

/* categorical_profile_frequency: stored count of one category. */
Datum
categorical_profile_frequency(PG_FUNCTION_ARGS)
{
	dm_freq		f;
	text	   *t = PG_GETARG_TEXT_PP(1);

	cprof_from_arg(fcinfo, 0, &f);
	PG_RETURN_INT64((int64) dm_freq_count(&f, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t)));
}

PG_FUNCTION_INFO_V1(categorical_profile_categories);

/* item_count_cmp: qsort order of categories(): count descending, then bytes. */
static int
item_count_cmp(const void *pa, const void *pb)
{
	const dm_freq_item *a = (const dm_freq_item *) pa;
	const dm_freq_item *b = (const dm_freq_item *) pb;

	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return dm_freq_keycmp(a->key, a->len, b->key, b->len);
}

/*
 * categorical_profile_categories
 *		SETOF (category, count, max_error): stored categories by descending
 *		count then bytewise; count is a lower bound, count + max_error an
 *		upper bound of the true count.
 */
Datum
categorical_profile_categories(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	dm_freq		f;
	dm_freq_item *it;
	size_t		m,
				i;
	int64		err;

	InitMaterializedSRF(fcinfo, 0);
	cprof_from_arg(fcinfo, 0, &f);
	m = dm_freq_sorted(&f, &it);
	err = (int64) dm_freq_max_error(&f);
	/* descending count, then bytewise (an insertion sort was quadratic) */
	qsort(it, m, sizeof(dm_freq_item), item_count_cmp);
	for (i = 0; i < m; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(it[i].key, it[i].len));
		values[1] = Int64GetDatum((int64) it[i].count);
		values[2] = Int64GetDatum(err);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if ((i & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/*
 * cat_tables
 *		The 2 x k table of two categorical profiles over the union of their
 *		stored categories (bytewise order), plus one "other" column holding
 *		each side's rest when either is inexact.  Returns k; false-ish 0
 *		when a side is empty.
 */
static size_t
cat_tables(FunctionCallInfo fcinfo, dm_freq *r, dm_freq *c, double **rc, double **cc)
{
	dm_freq_item *a,
			   *b;
	size_t		ma,
				mb,
				i = 0,
				j = 0,
				k = 0;

	cprof_from_arg(fcinfo, 0, r);
	cprof_from_arg(fcinfo, 1, c);
	if (r->n == 0 || c->n == 0)
		return 0;
	ma = dm_freq_sorted(r, &a);
	mb = dm_freq_sorted(c, &b);
	*rc = palloc(sizeof(double) * (ma + mb + 1));
	*cc = palloc(sizeof(double) * (ma + mb + 1));
	while (i < ma || j < mb)
	{
		int			cmp;

		if (i >= ma)
			cmp = 1;
		else if (j >= mb)
			cmp = -1;
		else
			cmp = dm_freq_keycmp(a[i].key, a[i].len, b[j].key, b[j].len);
		(*rc)[k] = cmp <= 0 ? (double) a[i].count : 0.0;
		(*cc)[k] = cmp >= 0 ? (double) b[j].count : 0.0;
		if (cmp <= 0)
			i++;
		if (cmp >= 0)
			j++;
		k++;
	}
	if (r->rest > 0 || c->rest > 0)
	{
		(*rc)[k] = (double) r->rest;
		(*cc)[k] = (double) c->rest;
		k++;
	}
	return k;
}

PG_FUNCTION_INFO_V1(categorical_profile_psi);
PG_FUNCTION_INFO_V1(categorical_profile_js);
PG_FUNCTION_INFO_V1(categorical_profile_hellinger);

/* categorical_profile_psi: PSI over categories (1e-4 for an empty side). */
Datum
categorical_profile_psi(PG_FUNCTION_ARGS)
{
	dm_freq		r,
				c;
	double	   *rc,
			   *cc;
	size_t		k = cat_tables(fcinfo, &r, &c, &rc, &cc);
	dm_divergences d;

	if (k == 0)
		PG_RETURN_NULL();
	dm_divergences_compute(rc, cc, k, &d);
	PG_RETURN_FLOAT8(d.psi);
}

/* categorical_profile_js: Jensen-Shannon divergence (base 2) over categories. */
Datum
categorical_profile_js(PG_FUNCTION_ARGS)
{
	dm_freq		r,
				c;
	double	   *rc,
			   *cc;
	size_t		k = cat_tables(fcinfo, &r, &c, &rc, &cc);
	dm_divergences d;

	if (k == 0)
		PG_RETURN_NULL();
	dm_divergences_compute(rc, cc, k, &d);
	PG_RETURN_FLOAT8(d.js);
}

/* categorical_profile_hellinger: Hellinger distance over categories. */
Datum
categorical_profile_hellinger(PG_FUNCTION_ARGS)
{
	dm_freq		r,
				c;
	double	   *rc,
			   *cc;
	size_t		k = cat_tables(fcinfo, &r, &c, &rc, &cc);
	dm_divergences d;

	if (k == 0)
		PG_RETURN_NULL();
	dm_divergences_compute(rc, cc, k, &d);
	PG_RETURN_FLOAT8(d.hellinger);
}

PG_FUNCTION_INFO_V1(categorical_profile_chi2);

/*
 * categorical_profile_chi2
 *		chi2_test(reference, current) as driftmon.chi2_result: Pearson's
 *		chi-square on the 2 x k table of the two profiles, computed by the
 *		core's dm_chi2_contingency (scipy.stats.chi2_contingency, Yates'
 *		correction when dof = 1, one category: statistic 0, p-value 1).
 */
Datum
categorical_profile_chi2(PG_FUNCTION_ARGS)
{
	dm_freq		r,
				c;
	double	   *rc,
			   *cc;
	size_t		k;
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false};
	dm_chi2_result res;

	tupdesc = dm_result_tupdesc(fcinfo, -1);
	k = cat_tables(fcinfo, &r, &c, &rc, &cc);
	values[3] = Int64GetDatum((int64) r.n);
	values[4] = Int64GetDatum((int64) c.n);
	if (k == 0)
	{
		/*
		 * A side without values: no test, but n_categories says what the
		 * other side holds (one side is empty, so the union is the other's
		 * categories, plus the "other" column when it is inexact), as
		 * chi2_test(category, is_current) over the same rows does.
		 */
		nulls[0] = nulls[1] = nulls[2] = true;
		values[5] = Int32GetDatum((int32) (r.used + c.used +
										   ((r.rest > 0 || c.rest > 0) ? 1 : 0)));
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
	}
	dm_chi2_contingency(rc, cc, k, &res);
	values[0] = Float8GetDatum(res.statistic);
	values[1] = Float8GetDatum(res.p_value);
	if (isnan(res.p_value))
		nulls[1] = true;
	values[2] = Int32GetDatum(res.dof);
	values[5] = Int32GetDatum((int32) res.n_categories);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}
