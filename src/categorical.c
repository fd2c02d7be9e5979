/*
 * categorical.c
 *		Categorical drift: chi2_test, js_divergence, psi_agg,
 *		categorical_drift and the category_counts summary over
 *		(category text, is_current boolean), plus their array forms.
 *
 * Every aggregate shares one transition function.  The state is a hash
 * table keyed by the category's bytes (bytewise equality, independent of
 * collation) holding the reference and current counts, so memory grows with
 * the number of distinct categories, never with rows.  Finals copy the
 * table into arrays sorted by bytes, so every floating sum runs in the same
 * order whatever the hash or parallel plan did.
 *
 * The serialized state and the driftmon.category_counts type share one
 * versioned byte format (big-endian, no OIDs or pointers):
 *
 *	  u8 magic 0xC7, u8 version 1,
 *	  i64 n_reference, i64 n_current, i64 missing_reference,
 *	  i64 missing_current, u32 n_categories,
 *	  n_categories x (i64 n_reference, i64 n_current, u32 length, bytes)
 *
 * with categories strictly ascending by bytes, every category counted at
 * least once, and totals equal to the per-category sums; input is checked
 * against all of that before use.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "category_fmt.h"
#include "driftmon.h"
#include "chi2.h"
#include "divergence.h"

/* A category's bytes: the hash key. */
typedef struct CatKey
{
	const char *data;
	uint32		len;
} CatKey;

/* One hash table entry: a category and its counts per side. */
typedef struct CatEntry
{
	CatKey		key;
	uint32		hash;
	char		status;
	int64		n_ref;
	int64		n_cur;
} CatEntry;

#define SH_PREFIX		cat
#define SH_ELEMENT_TYPE CatEntry
#define SH_KEY_TYPE		CatKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	hash_bytes((const unsigned char *) (k).data, (int) (k).len)
#define SH_EQUAL(tb, a, b)	((a).len == (b).len && memcmp((a).data, (b).data, (a).len) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)	((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* The aggregate state. */
typedef struct CatState
{
	MemoryContext mcxt;			/* where the table and the keys live */
	cat_hash   *tab;
	int64		n_ref;			/* rows with a category, per side */
	int64		n_cur;
	int64		missing_ref;	/* rows with a NULL category, per side */
	int64		missing_cur;
	CatEntry   *last;			/* entry of the previous row (until an insert) */
} CatState;

/* A state flattened into byte order: the input of every final function. */
typedef struct CatTable
{
	int			k;
	CatEntry  **e;				/* sorted by bytes */
	double	   *ref;			/* counts as doubles, same order */
	double	   *cur;
	int64	   *iref;			/* the exact counts, same order */
	int64	   *icur;
	int64		n_ref,
				n_cur,
				missing_ref,
				missing_cur;
} CatTable;

PG_FUNCTION_INFO_V1(dm_cat_trans);
PG_FUNCTION_INFO_V1(dm_cat_combine);
PG_FUNCTION_INFO_V1(dm_cat_serialize);
PG_FUNCTION_INFO_V1(dm_cat_deserialize);
PG_FUNCTION_INFO_V1(dm_cat_chi2_final);
PG_FUNCTION_INFO_V1(dm_cat_js_final);
PG_FUNCTION_INFO_V1(dm_cat_psi_final);
PG_FUNCTION_INFO_V1(dm_cat_drift_final);
PG_FUNCTION_INFO_V1(dm_cat_counts_final);
PG_FUNCTION_INFO_V1(dm_cat_reference_profile_final);
PG_FUNCTION_INFO_V1(dm_cat_current_profile_final);
PG_FUNCTION_INFO_V1(dm_categorical_drift_profile_final);
PG_FUNCTION_INFO_V1(dm_cat_rollup_trans);
PG_FUNCTION_INFO_V1(dm_cat_counts_in);
PG_FUNCTION_INFO_V1(dm_cat_counts_out);
PG_FUNCTION_INFO_V1(dm_cat_counts_recv);
PG_FUNCTION_INFO_V1(dm_cat_counts_send);
PG_FUNCTION_INFO_V1(dm_cat_table);
PG_FUNCTION_INFO_V1(dm_cat_chi2_summary);
PG_FUNCTION_INFO_V1(dm_cat_drift_summary);
PG_FUNCTION_INFO_V1(dm_cat_chi2_text_arrays);
PG_FUNCTION_INFO_V1(dm_cat_js_text_arrays);
PG_FUNCTION_INFO_V1(dm_cat_psi_text_arrays);
PG_FUNCTION_INFO_V1(dm_cat_drift_text_arrays);
PG_FUNCTION_INFO_V1(dm_cat_chi2_counts);
PG_FUNCTION_INFO_V1(dm_cat_js_counts);
PG_FUNCTION_INFO_V1(dm_cat_psi_counts);
PG_FUNCTION_INFO_V1(dm_cat_drift_counts);

/* ---------------------------------------------------------------------
 * State
 * ---------------------------------------------------------------------
 */

/* cat_state_new: an empty state whose table and keys live in mcxt. */
static CatState *
cat_state_new(MemoryContext mcxt)
{
	CatState   *st = MemoryContextAllocZero(mcxt, sizeof(CatState));

	st->mcxt = mcxt;
	st->tab = cat_create(mcxt, 64, NULL);
	return st;
}

/* add_count: a + b for counts, with an error instead of overflow. */
static inline int64
add_count(int64 a, int64 b)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("category count out of range"),
				 errdetail("A count exceeds the range of bigint."),
				 errhint("Aggregate fewer rows per group, or scale the counts down.")));
	return r;
}

/*
 * cat_state_add
 *		Count n rows of one category on one side.  The key is copied into
 *		the state's context on first sight only, so the per-row cost is a
 *		hash lookup (or none when the category repeats the previous row's).
 */
static inline void
cat_state_add(CatState *st, const char *data, uint32 len, bool current, int64 n)
{
	CatEntry   *e = st->last;

	if (e == NULL || e->key.len != len || memcmp(e->key.data, data, len) != 0)
	{
		CatKey		key;
		bool		found;

		key.data = data;
		key.len = len;
		e = cat_insert(st->tab, key, &found);
		if (!found)
		{
			char	   *copy = MemoryContextAlloc(st->mcxt, len > 0 ? len : 1);

			memcpy(copy, data, len);
			e->key.data = copy;
			e->n_ref = 0;
			e->n_cur = 0;
		}
		st->last = e;
	}
	if (current)
	{
		e->n_cur = add_count(e->n_cur, n);
		st->n_cur = add_count(st->n_cur, n);
	}
	else
	{
		e->n_ref = add_count(e->n_ref, n);
		st->n_ref = add_count(st->n_ref, n);
	}
}

/* cat_state_merge: add every count of src into dst. */
static void
cat_state_merge(CatState *dst, const CatState *src)
{
	cat_iterator it;
	CatEntry   *e;
	long		i = 0;

	cat_start_iterate(src->tab, &it);
	while ((e = cat_iterate(src->tab, &it)) != NULL)
	{
		if (e->n_ref > 0)
			cat_state_add(dst, e->key.data, e->key.len, false, e->n_ref);
		if (e->n_cur > 0)
			cat_state_add(dst, e->key.data, e->key.len, true, e->n_cur);
		if ((++i & 65535) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	dst->missing_ref = add_count(dst->missing_ref, src->missing_ref);
	dst->missing_cur = add_count(dst->missing_cur, src->missing_cur);
}

/* key_cmp: bytewise order of categories, a proper prefix first. */
static inline int
key_cmp(const CatKey *a, const CatKey *b)
{
	int			c = memcmp(a->data, b->data, Min(a->len, b->len));

	if (c != 0)
		return c;
	return (a->len > b->len) - (a->len < b->len);
}

/* entry_cmp: qsort comparator over CatEntry pointers by bytes. */
static int
entry_cmp(const void *pa, const void *pb)
{
	const CatEntry *a = *(const CatEntry *const *) pa;
	const CatEntry *b = *(const CatEntry *const *) pb;

	return key_cmp(&a->key, &b->key);
}

/*
 * cat_table
 *		The state as arrays sorted by category bytes (a NULL state is an
 *		empty table), the deterministic order every final uses.
 */
static CatTable *
cat_table(const CatState *st)
{
	CatTable   *t = palloc0(sizeof(CatTable));
	cat_iterator it;
	CatEntry   *e;
	int			i;

	if (st == NULL)
	{
		t->e = palloc(sizeof(CatEntry *));
		t->ref = palloc(sizeof(double));
		t->cur = palloc(sizeof(double));
		t->iref = palloc(sizeof(int64));
		t->icur = palloc(sizeof(int64));
		return t;
	}
	t->k = (int) st->tab->members;
	t->e = palloc_extended(sizeof(CatEntry *) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	t->ref = palloc_extended(sizeof(double) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	t->cur = palloc_extended(sizeof(double) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	t->iref = palloc_extended(sizeof(int64) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	t->icur = palloc_extended(sizeof(int64) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	i = 0;
	cat_start_iterate(st->tab, &it);
	while ((e = cat_iterate(st->tab, &it)) != NULL)
		t->e[i++] = e;
	Assert(i == t->k);
	qsort(t->e, t->k, sizeof(CatEntry *), entry_cmp);
	for (i = 0; i < t->k; i++)
	{
		t->ref[i] = (double) t->e[i]->n_ref;
		t->cur[i] = (double) t->e[i]->n_cur;
		t->iref[i] = t->e[i]->n_ref;
		t->icur[i] = t->e[i]->n_cur;
	}
	t->n_ref = st->n_ref;
	t->n_cur = st->n_cur;
	t->missing_ref = st->missing_ref;
	t->missing_cur = st->missing_cur;
	return t;
}

/* ---------------------------------------------------------------------
 * Byte format (serialized state and the category_counts type)
 * ---------------------------------------------------------------------
 */

/*
 * cat_flat
 *		The core's flat view of a table (names point into the entries), for
 *		the core writers of the byte and text forms.
 */
static void
cat_flat(const CatTable *t, dm_cc *c)
{
	int			i;

	memset(c, 0, sizeof(*c));
	c->n_ref = t->n_ref;
	c->n_cur = t->n_cur;
	c->missing_ref = t->missing_ref;
	c->missing_cur = t->missing_cur;
	c->k = (uint32) t->k;
	c->name = palloc_extended(sizeof(char *) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	c->len = palloc_extended(sizeof(uint32) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	c->a = palloc_extended(sizeof(int64) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	c->b = palloc_extended(sizeof(int64) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < t->k; i++)
	{
		c->name[i] = t->e[i]->key.data;
		c->len[i] = t->e[i]->key.len;
		c->a[i] = t->e[i]->n_ref;
		c->b[i] = t->e[i]->n_cur;
	}
}

/*
 * cat_encode
 *		The byte format of a state (written by the core's dm_cc_encode), as a
 *		varlena (a bytea for the serialized state, a driftmon.category_counts
 *		for the type).
 */
static bytea *
cat_encode(const CatState *st)
{
	CatTable   *t = cat_table(st);
	dm_cc		c;
	Size		total;
	bytea	   *out;

	cat_flat(t, &c);
	total = VARHDRSZ + dm_cc_encoded_size(&c);
	if (total > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("category counts too large to serialize"),
				 errdetail("%d categories need %zu bytes; the limit is %zu.",
						   t->k, total, (Size) MaxAllocSize),
				 errhint("Group by fewer or shorter categories.")));
	out = (bytea *) palloc(total);
	dm_cc_encode(&c, VARDATA(out));
	SET_VARSIZE(out, total);
	dm_cc_free(&c);
	return out;
}

/* bad_format: report a malformed byte image, naming what is wrong. */
static void
bad_format(int code, const char *what, const char *detail)
{
	ereport(ERROR,
			(errcode(code),
			 errmsg("invalid %s", what),
			 errdetail("%s", detail),
			 code == ERRCODE_INVALID_TEXT_REPRESENTATION ?
			 errhint("List each category once, in ascending byte order, with at least one row, and counts that add up to n_reference and n_current.") :
			 errhint("Values of this type are produced by driftmon.category_counts and driftmon.rollup; check that the bytes were not altered.")));
}

/*
 * cat_validate
 *		Validate a byte image completely with the core's decoder (structure,
 *		order, counts, totals) and check the names against the server
 *		encoding; c is its flat view (names point into p; dm_cc_free it).
 *		code is the SQLSTATE for malformed input (corrupted internal state
 *		vs. bad client data) and what names the input in messages.
 */
static void
cat_validate(const char *p, Size len, dm_cc *c, int code, const char *what)
{
	char		err[256];
	int			rc;
	uint32		i;

	rc = dm_cc_decode(p, len, c, err, sizeof(err));
	if (rc == DM_FMT_VERSION)
		ereport(ERROR,
				(errcode(code),
				 errmsg("invalid %s", what),
				 errdetail("%s", err),
				 errhint("Upgrade the driftmon library to the version that wrote the value.")));
	if (rc != DM_FMT_OK)
		bad_format(code, what, err);
	for (i = 0; i < c->k; i++)
	{
		(void) pg_verifymbstr(c->name[i], (int) c->len[i], false);
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
}

/*
 * cat_decode
 *		A state in mcxt from a byte image, validated by cat_validate.
 */
static CatState *
cat_decode(const char *p, Size len, MemoryContext mcxt, int code, const char *what)
{
	dm_cc		c;
	uint32		i;
	CatState   *st;

	cat_validate(p, len, &c, code, what);
	st = cat_state_new(mcxt);
	for (i = 0; i < c.k; i++)
	{
		if (c.a[i] > 0)
			cat_state_add(st, c.name[i], c.len[i], false, c.a[i]);
		if (c.b[i] > 0)
			cat_state_add(st, c.name[i], c.len[i], true, c.b[i]);
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
	st->missing_ref = c.missing_ref;
	st->missing_cur = c.missing_cur;
	dm_cc_free(&c);
	return st;
}

/* ---------------------------------------------------------------------
 * Aggregate support
 * ---------------------------------------------------------------------
 */

/*
 * dm_cat_trans
 *		Transition of every categorical aggregate: (state, category, flag).
 *		NULL flag: row skipped.  NULL category: a missing value of its side.
 *		Short (unTOASTed or packed) values are read in place, no palloc.
 */
Datum
dm_cat_trans(PG_FUNCTION_ARGS)
{
	CatState   *st = PG_ARGISNULL(0) ? NULL : (CatState *) PG_GETARG_POINTER(0);
	bool		current;

	if (st == NULL)
		st = cat_state_new(dm_agg_context(fcinfo, "dm_cat_trans"));
	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(st);
	current = PG_GETARG_BOOL(2);
	if (PG_ARGISNULL(1))
	{
		if (current)
			st->missing_cur++;
		else
			st->missing_ref++;
	}
	else
	{
		struct varlena *raw = (struct varlena *) PG_GETARG_POINTER(1);
		struct varlena *v = pg_detoast_datum_packed(raw);

		cat_state_add(st, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), current, 1);
		if (v != raw)
			pfree(v);
	}
	PG_RETURN_POINTER(st);
}

/* dm_cat_combine: merge two partial states (parallel aggregation). */
Datum
dm_cat_combine(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = dm_agg_context(fcinfo, "dm_cat_combine");
	CatState   *a = PG_ARGISNULL(0) ? NULL : (CatState *) PG_GETARG_POINTER(0);
	CatState   *b = PG_ARGISNULL(1) ? NULL : (CatState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = cat_state_new(ctx);
	cat_state_merge(a, b);
	PG_RETURN_POINTER(a);
}

/* dm_cat_serialize: the state in the versioned byte format. */
Datum
dm_cat_serialize(PG_FUNCTION_ARGS)
{
	CatState   *st = (CatState *) PG_GETARG_POINTER(0);

	PG_RETURN_BYTEA_P(cat_encode(st));
}

/* dm_cat_deserialize: a validated state from the byte format. */
Datum
dm_cat_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = dm_agg_context(fcinfo, "dm_cat_deserialize");
	bytea	   *b = PG_GETARG_BYTEA_PP(0);

	PG_RETURN_POINTER(cat_decode(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), ctx,
								 ERRCODE_DATA_CORRUPTED,
								 "serialized categorical aggregate state"));
}

/* ---------------------------------------------------------------------
 * Final computations
 * ---------------------------------------------------------------------
 */

/*
 * check_expected: a chi-square test whose expected count underflowed to 0
 * (only possible with tiny non-integer histogram counts) is an error, as in
 * scipy, never a NaN statistic.
 */
static void
check_expected(const dm_chi2_result *r)
{
	if (r->zero_expected)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("chi-square expected frequency underflows to zero"),
				 errdetail("A category's counts are so small relative to the totals that its expected count is 0 in float8."),
				 errhint("Scale the counts up (the test is meant for counts of rows).")));
}

/* chi2_datum: the chi2_result row of a table. */
static Datum
chi2_datum(FunctionCallInfo fcinfo, const double *ref, const double *cur, int k,
		   int64 n_ref, int64 n_cur, int n_categories)
{
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	dm_chi2_result r;

	tupdesc = dm_result_tupdesc(fcinfo, -1);
	dm_chi2_contingency(ref, cur, (size_t) k, &r);
	check_expected(&r);
	if (r.valid)
	{
		values[0] = Float8GetDatum(r.statistic);
		values[1] = Float8GetDatum(r.p_value);
		values[2] = Int32GetDatum(r.dof);
	}
	else
		nulls[0] = nulls[1] = nulls[2] = true;
	values[3] = Int64GetDatum(n_ref);
	values[4] = Int64GetDatum(n_cur);
	values[5] = Int32GetDatum(n_categories);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* state_arg: the state argument of a final function (NULL if no row). */
static inline CatState *
state_arg(FunctionCallInfo fcinfo)
{
	return PG_ARGISNULL(0) ? NULL : (CatState *) PG_GETARG_POINTER(0);
}

/* chi2_of_state: chi2_result of a state (n_categories counts the union). */
static Datum
chi2_of_state(FunctionCallInfo fcinfo, CatState *st)
{
	CatTable   *t = cat_table(st);

	return chi2_datum(fcinfo, t->ref, t->cur, t->k, t->n_ref, t->n_cur, t->k);
}

/* dm_cat_chi2_final: chi2_test's final function. */
Datum
dm_cat_chi2_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(chi2_of_state(fcinfo, state_arg(fcinfo)));
}

/* divergences_of_state: all divergences; false when a side is empty. */
static bool
divergences_of_state(CatState *st, dm_divergences *d)
{
	CatTable   *t = cat_table(st);

	if (t->n_ref == 0 || t->n_cur == 0)
		return false;
	dm_divergences_compute(t->ref, t->cur, (size_t) t->k, d);
	return true;
}

/* dm_cat_js_final: js_divergence's final function (NULL if a side is empty). */
Datum
dm_cat_js_final(PG_FUNCTION_ARGS)
{
	dm_divergences d;

	if (!divergences_of_state(state_arg(fcinfo), &d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d.js);
}

/* dm_cat_psi_final: psi_agg's final function (NULL if a side is empty). */
Datum
dm_cat_psi_final(PG_FUNCTION_ARGS)
{
	dm_divergences d;

	if (!divergences_of_state(state_arg(fcinfo), &d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d.psi);
}

/* Name of the i-th category of a drift_row input (for the top mover). */
typedef text *(*CatNameFn) (void *arg, int i);

/*
 * drift_row
 *		The categorical_drift_result row of a table of k categories (counts
 *		ref / cur with totals tr / tc): counts, chi-square test, every
 *		divergence, unseen (current only) and vanished (reference only)
 *		categories with their shares, and the category whose share moved
 *		most (the first in table order on ties).  Bins empty on both sides
 *		are neither categories, unseen nor vanished.  tupdesc: the row type
 *		(NULL: the calling function's result type).  iref / icur: the same
 *		counts as integers when they are (NULL otherwise), so the top mover
 *		is chosen by exact comparison (dm_top_mover_exact): shares that tie
 *		exactly are ties however their quotients round.
 */
static Datum
drift_row(FunctionCallInfo fcinfo, TupleDesc tupdesc, const double *ref,
		  const double *cur, int k, double tr, double tc, int64 n_ref,
		  int64 n_cur, int64 miss_ref, int64 miss_cur, const int64 *iref,
		  const int64 *icur, CatNameFn name_of, void *arg)
{
	Datum		values[20];
	bool		nulls[20];
	dm_chi2_result r;
	int			n_unseen = 0,
				n_vanished = 0,
				i;
	double		unseen_rows = 0.0,
				vanished_rows = 0.0;

	if (tupdesc == NULL)
		tupdesc = dm_result_tupdesc(fcinfo, -1);
	if (tupdesc->natts != 20)
		elog(ERROR, "categorical_drift_result must have 20 fields");
	memset(nulls, 0, sizeof(nulls));

	for (i = 0; i < k; i++)
	{
		if (ref[i] == 0.0 && cur[i] > 0.0)
		{
			n_unseen++;
			unseen_rows += cur[i];
		}
		if (cur[i] == 0.0 && ref[i] > 0.0)
		{
			n_vanished++;
			vanished_rows += ref[i];
		}
	}
	dm_chi2_contingency(ref, cur, (size_t) k, &r);
	check_expected(&r);
	values[0] = Int64GetDatum(n_ref);
	values[1] = Int64GetDatum(n_cur);
	values[2] = Int64GetDatum(miss_ref);
	values[3] = Int64GetDatum(miss_cur);
	values[4] = Int32GetDatum((int32) r.n_categories);
	if (r.valid)
	{
		values[5] = Float8GetDatum(r.statistic);
		values[6] = Float8GetDatum(r.p_value);
		values[7] = Int32GetDatum(r.dof);
	}
	else
		nulls[5] = nulls[6] = nulls[7] = true;

	if (tr > 0.0 && tc > 0.0)
	{
		dm_divergences d;
		int			top;
		double		top_delta;

		dm_divergences_compute(ref, cur, (size_t) k, &d);
		values[8] = Float8GetDatum(d.psi);
		values[9] = Float8GetDatum(d.js);
		values[10] = Float8GetDatum(d.tv);
		values[11] = Float8GetDatum(d.hellinger);
		values[12] = Float8GetDatum(d.kl);
		values[13] = Float8GetDatum(d.linf);
		top = (int) d.linf_index;
		top_delta = d.linf_delta;
		if (iref != NULL)
		{
			double		exact_delta;
			long		exact_top = dm_top_mover_exact(iref, icur, (size_t) k,
													   &exact_delta);

			if (exact_top >= 0)
			{
				top = (int) exact_top;
				top_delta = exact_delta;
			}
		}
		values[18] = PointerGetDatum(name_of(arg, top));
		values[19] = Float8GetDatum(top_delta);
	}
	else
	{
		for (i = 8; i <= 13; i++)
			nulls[i] = true;
		nulls[18] = nulls[19] = true;
	}
	values[14] = Int32GetDatum(n_unseen);
	if (tc > 0.0)
		values[15] = Float8GetDatum(unseen_rows / tc);
	else
		nulls[15] = true;
	values[16] = Int32GetDatum(n_vanished);
	if (tr > 0.0)
		values[17] = Float8GetDatum(vanished_rows / tr);
	else
		nulls[17] = true;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/* table_name: the i-th category of a CatTable, as text. */
static text *
table_name(void *arg, int i)
{
	CatTable   *t = (CatTable *) arg;

	return cstring_to_text_with_len(t->e[i]->key.data, (int) t->e[i]->key.len);
}

/* drift_of_state: categorical_drift_result of a state (sorted by bytes). */
static Datum
drift_of_state(FunctionCallInfo fcinfo, TupleDesc tupdesc, CatState *st)
{
	CatTable   *t = cat_table(st);

	return drift_row(fcinfo, tupdesc, t->ref, t->cur, t->k, (double) t->n_ref,
					 (double) t->n_cur, t->n_ref, t->n_cur, t->missing_ref,
					 t->missing_cur, t->iref, t->icur, table_name, t);
}

/* dm_cat_drift_final: categorical_drift's final function. */
Datum
dm_cat_drift_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(drift_of_state(fcinfo, NULL, state_arg(fcinfo)));
}

/*
 * side_profile: the categorical_profile of one side, as profile_agg(category)
 * over the rows of that side would build it (default cap), or NULL when the
 * side had no row.  Categories go in byte order with their exact counts, so
 * the result depends only on the counts, not on the plan.
 */
static bytea *
side_profile(CatState *st, bool current)
{
	CatTable   *t;
	dm_freq		f;
	int			i;
	bytea	   *b;

	if (st == NULL ||
		(current ? st->n_cur + st->missing_cur : st->n_ref + st->missing_ref) == 0)
		return NULL;
	t = cat_table(st);
	dm_freq_init(&f, DM_FREQ_DEFAULT_CAP);
	for (i = 0; i < t->k; i++)
	{
		int64		c = current ? t->e[i]->n_cur : t->e[i]->n_ref;

		if (c > 0)
			dm_freq_add(&f, t->e[i]->key.data, t->e[i]->key.len, (uint64) c);
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	f.nulls = (uint64) (current ? t->missing_cur : t->missing_ref);
	b = dm_cprof_to_bytea(&f);
	dm_freq_free(&f);
	return b;
}

/*
 * profile_final: reference_profile / current_profile over text.  They take
 * the arguments and transition function of categorical_drift, chi2_test and
 * the other categorical aggregates, so in a serial plan they share its state.
 */
static Datum
profile_final(FunctionCallInfo fcinfo, bool current)
{
	bytea	   *b = side_profile(state_arg(fcinfo), current);

	if (b == NULL)
		PG_RETURN_NULL();
	PG_RETURN_BYTEA_P(b);
}

/*
 * dm_categorical_drift_profile_final: categorical_drift_profile(category,
 * is_current), the row (drift categorical_drift_result, current_profile
 * categorical_profile) from one state (one aggregate, so a parallel plan
 * sends the state once; see numeric_drift_profile).
 */
Datum
dm_categorical_drift_profile_final(PG_FUNCTION_ARGS)
{
	CatState   *st = state_arg(fcinfo);
	Datum		drift = drift_of_state(fcinfo, dm_result_tupdesc(fcinfo, 0), st);
	bytea	   *prof = side_profile(st, true);

	return dm_result_pair(fcinfo, drift, false, PointerGetDatum(prof), prof == NULL);
}

/* dm_cat_reference_profile_final: reference_profile(category, is_current). */
Datum
dm_cat_reference_profile_final(PG_FUNCTION_ARGS)
{
	return profile_final(fcinfo, false);
}

/* dm_cat_current_profile_final: current_profile(category, is_current). */
Datum
dm_cat_current_profile_final(PG_FUNCTION_ARGS)
{
	return profile_final(fcinfo, true);
}

/* dm_cat_counts_final: category_counts' final function (empty if no row). */
Datum
dm_cat_counts_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(cat_encode(state_arg(fcinfo)));
}

/*
 * dm_cat_rollup_trans
 *		Transition of rollup(category_counts): merge a stored summary into
 *		the state (NULL summaries skipped).
 */
Datum
dm_cat_rollup_trans(PG_FUNCTION_ARGS)
{
	MemoryContext ctx = dm_agg_context(fcinfo, "dm_cat_rollup_trans");
	CatState   *st = PG_ARGISNULL(0) ? NULL : (CatState *) PG_GETARG_POINTER(0);
	bytea	   *b;
	CatState   *add;
	MemoryContext tmp,
				old;

	if (st == NULL)
		st = cat_state_new(ctx);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(st);
	b = PG_GETARG_BYTEA_PP(1);
	tmp = AllocSetContextCreate(CurrentMemoryContext, "category_counts rollup",
								ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(tmp);
	add = cat_decode(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), tmp,
					 ERRCODE_DATA_CORRUPTED, "category_counts value");
	MemoryContextSwitchTo(old);
	cat_state_merge(st, add);
	MemoryContextDelete(tmp);
	PG_RETURN_POINTER(st);
}

/* ---------------------------------------------------------------------
 * The driftmon.category_counts type
 * ---------------------------------------------------------------------
 */

/* counts_state: decode a (validated at input) category_counts value. */
static CatState *
counts_state(FunctionCallInfo fcinfo, int argno)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(argno);

	return cat_decode(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), CurrentMemoryContext,
					  ERRCODE_DATA_CORRUPTED, "category_counts value");
}

/*
 * dm_cat_counts_out
 *		Text form (written by the core's dm_cc_format_text), a JSON object in
 *		a fixed key order:
 *		{"version":1,"n_reference":N,"n_current":N,"missing_reference":N,
 *		 "missing_current":N,"categories":[["a",n_ref,n_cur],...]}
 *		with categories ascending by bytes (the order of the byte image).
 */
Datum
dm_cat_counts_out(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	dm_cc		c;
	char	   *out;

	cat_validate(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), &c,
				 ERRCODE_DATA_CORRUPTED, "category_counts value");
	out = dm_cc_format_text(&c);
	dm_cc_free(&c);
	PG_RETURN_CSTRING(out);
}

/*
 * dm_cat_counts_in
 *		Parse the text form (the keys in the output's order, whitespace
 *		between tokens allowed), then validate it like any byte image:
 *		ascending unique categories, non-zero category counts, totals that
 *		match.
 */
Datum
dm_cat_counts_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	dm_cc		c;
	char		err[256];
	int			rc;
	char	   *img;
	Size		len;
	CatState   *st;

	rc = dm_cc_parse_text(str, strlen(str), &c, err, sizeof(err));
	if (rc == DM_FMT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unsupported driftmon.category_counts version " INT64_FORMAT, c.version),
				 errdetail("%s", err),
				 errhint("Upgrade the driftmon library to the version that wrote the value.")));
	if (rc == DM_FMT_RANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("count out of range in driftmon.category_counts input"),
				 errdetail("%s", err),
				 errhint("Every count must be between 0 and 9223372036854775807.")));
	if (rc != DM_FMT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type driftmon.category_counts: \"%s\"", str),
				 errdetail("%s", err),
				 errhint("The format is {\"version\":1,\"n_reference\":N,\"n_current\":N,\"missing_reference\":N,\"missing_current\":N,\"categories\":[[\"name\",n_reference,n_current],...]}.")));
	len = dm_cc_encoded_size(&c);
	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("category counts too large to serialize"),
				 errdetail("The encoded value would take %zu bytes; the limit is 1 GB.", len),
				 errhint("Group by fewer or shorter categories.")));
	img = palloc(len);
	dm_cc_encode(&c, img);
	dm_cc_free(&c);
	st = cat_decode(img, len, CurrentMemoryContext,
					ERRCODE_INVALID_TEXT_REPRESENTATION, "input for type driftmon.category_counts");
	PG_RETURN_BYTEA_P(cat_encode(st));
}

/* dm_cat_counts_recv: binary input, the byte image, validated. */
Datum
dm_cat_counts_recv(PG_FUNCTION_ARGS)
{
	StringInfo	msg = (StringInfo) PG_GETARG_POINTER(0);
	const char *p = msg->data + msg->cursor;
	int			len = msg->len - msg->cursor;
	CatState   *st;

	st = cat_decode(p, (Size) len, CurrentMemoryContext,
					ERRCODE_INVALID_BINARY_REPRESENTATION,
					"binary input for type driftmon.category_counts");
	msg->cursor = msg->len;
	PG_RETURN_BYTEA_P(cat_encode(st));
}

/* dm_cat_counts_send: binary output, the byte image as stored. */
Datum
dm_cat_counts_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* dm_cat_chi2_summary: chi2_test(category_counts). */
Datum
dm_cat_chi2_summary(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(chi2_of_state(fcinfo, counts_state(fcinfo, 0)));
}

/* dm_cat_drift_summary: categorical_drift(category_counts). */
Datum
dm_cat_drift_summary(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(drift_of_state(fcinfo, NULL, counts_state(fcinfo, 0)));
}

/* A row of category_table, with its PSI contribution for sorting. */
typedef struct CatRow
{
	CatEntry   *e;
	double		contrib;		/* NaN when a side is empty */
} CatRow;

/* row_cmp: contribution descending, then category bytes ascending. */
static int
row_cmp(const void *pa, const void *pb)
{
	const CatRow *a = (const CatRow *) pa;
	const CatRow *b = (const CatRow *) pb;

	if (!isnan(a->contrib) && !isnan(b->contrib) && a->contrib != b->contrib)
		return a->contrib > b->contrib ? -1 : 1;
	return key_cmp(&a->e->key, &b->e->key);
}

/*
 * dm_cat_table
 *		category_table(summary): one row per category with both counts,
 *		both proportions and its PSI term, largest contribution first
 *		(proportions and contribution NULL for an empty side).
 */
Datum
dm_cat_table(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	CatState   *st;
	CatTable   *t;
	CatRow	   *rows;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	st = counts_state(fcinfo, 0);
	t = cat_table(st);
	rows = palloc_extended(sizeof(CatRow) * Max(t->k, 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < t->k; i++)
	{
		rows[i].e = t->e[i];
		if (t->n_ref > 0 && t->n_cur > 0)
			rows[i].contrib = dm_psi_bin(t->ref[i], t->cur[i], (double) t->n_ref,
										 (double) t->n_cur);
		else
			rows[i].contrib = NAN;
	}
	qsort(rows, t->k, sizeof(CatRow), row_cmp);
	for (i = 0; i < t->k; i++)
	{
		Datum		values[6];
		bool		nulls[6] = {false, false, false, false, false, false};
		CatEntry   *e = rows[i].e;

		values[0] = PointerGetDatum(cstring_to_text_with_len(e->key.data, (int) e->key.len));
		values[1] = Int64GetDatum(e->n_ref);
		values[2] = Int64GetDatum(e->n_cur);
		if (t->n_ref > 0)
			values[3] = Float8GetDatum((double) e->n_ref / (double) t->n_ref);
		else
			nulls[3] = true;
		if (t->n_cur > 0)
			values[4] = Float8GetDatum((double) e->n_cur / (double) t->n_cur);
		else
			nulls[4] = true;
		if (isnan(rows[i].contrib))
			nulls[5] = true;
		else
			values[5] = Float8GetDatum(rows[i].contrib);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------
 * Array forms
 * ---------------------------------------------------------------------
 */

/* add_text_array: count every element of a text[] on one side. */
static void
add_text_array(CatState *st, ArrayType *arr, bool current)
{
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("category arrays must be one-dimensional"),
				 errdetail("The %s array has %d dimensions.",
						   current ? "current" : "reference", ARR_NDIM(arr)),
				 errhint("Pass a one-dimensional text[], for example by unnesting and re-aggregating the array.")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
	{
		if (nulls[i])
		{
			if (current)
				st->missing_cur++;
			else
				st->missing_ref++;
		}
		else
		{
			text	   *v = DatumGetTextPP(elems[i]);

			cat_state_add(st, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v), current, 1);
		}
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
}

/* state_of_text_arrays: a state from (reference text[], current text[]). */
static CatState *
state_of_text_arrays(FunctionCallInfo fcinfo)
{
	CatState   *st = cat_state_new(CurrentMemoryContext);

	add_text_array(st, PG_GETARG_ARRAYTYPE_P(0), false);
	add_text_array(st, PG_GETARG_ARRAYTYPE_P(1), true);
	return st;
}

/* dm_cat_chi2_text_arrays: chi2_test(reference text[], current text[]). */
Datum
dm_cat_chi2_text_arrays(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(chi2_of_state(fcinfo, state_of_text_arrays(fcinfo)));
}

/* dm_cat_js_text_arrays: js_divergence(reference text[], current text[]). */
Datum
dm_cat_js_text_arrays(PG_FUNCTION_ARGS)
{
	dm_divergences d;

	if (!divergences_of_state(state_of_text_arrays(fcinfo), &d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d.js);
}

/* dm_cat_psi_text_arrays: psi_agg(reference text[], current text[]). */
Datum
dm_cat_psi_text_arrays(PG_FUNCTION_ARGS)
{
	dm_divergences d;

	if (!divergences_of_state(state_of_text_arrays(fcinfo), &d))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(d.psi);
}

/* dm_cat_drift_text_arrays: categorical_drift(reference text[], current text[]). */
Datum
dm_cat_drift_text_arrays(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(drift_of_state(fcinfo, NULL, state_of_text_arrays(fcinfo)));
}

/*
 * counts_arrays
 *		The two histograms of a *_counts function: one-dimensional float8
 *		arrays of equal length, no NULL, every count finite and >= 0.
 *		Returns k; *sum_ref / *sum_cur get the totals.
 */
static int
counts_arrays(FunctionCallInfo fcinfo, double **ref, double **cur,
			  double *sum_ref, double *sum_cur)
{
	ArrayType  *arr[2];
	double	   *out[2];
	double		sums[2] = {0.0, 0.0};
	int			n[2];
	int			s,
				i;
	static const char *const side[2] = {"reference", "current"};

	arr[0] = PG_GETARG_ARRAYTYPE_P(0);
	arr[1] = PG_GETARG_ARRAYTYPE_P(1);
	for (s = 0; s < 2; s++)
	{
		if (ARR_NDIM(arr[s]) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("histogram arrays must be one-dimensional"),
					 errdetail("The %s array has %d dimensions.", side[s], ARR_NDIM(arr[s])),
					 errhint("Pass one-dimensional float8[] arrays of counts, one element per category.")));
		if (array_contains_nulls(arr[s]))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("histogram counts must not be NULL"),
					 errdetail("The %s array contains a NULL.", side[s]),
					 errhint("Use 0 for an empty bin.")));
		n[s] = ArrayGetNItems(ARR_NDIM(arr[s]), ARR_DIMS(arr[s]));
		/* ARR_DATA_PTR spelled out: the macro trips -Wsign-compare */
		out[s] = (double *) ((char *) arr[s] +
							 (ARR_HASNULL(arr[s]) ? (Size) arr[s]->dataoffset :
							  (Size) ARR_OVERHEAD_NONULLS(ARR_NDIM(arr[s]))));
	}
	if (n[0] != n[1])
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("histogram arrays must have the same length"),
				 errdetail("The reference array has %d bins, the current array %d.", n[0], n[1]),
				 errhint("Both arrays count the same categories in the same order; use 0 for a category absent from one side.")));
	for (s = 0; s < 2; s++)
		for (i = 0; i < n[s]; i++)
		{
			double		v = out[s][i];

			if (!(v >= 0.0) || isinf(v))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("histogram counts must be finite and non-negative"),
						 errdetail("The %s array has %g at position %d.", side[s], v, i + 1),
						 errhint("Counts are numbers of rows: replace NaN, infinite and negative values.")));
			sums[s] += v;
		}
	/*
	 * Totals are reported as bigint, and the chi-square expected counts
	 * (row total * column total) overflow float8 for totals near 1e154
	 * (NaN statistic): the totals must fit in bigint.
	 */
	if (isinf(sums[0]) || isinf(sums[1]))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("histogram total out of range"),
				 errdetail("The sum of the counts overflows float8."),
				 errhint("Scale the counts down (the divergences depend only on the proportions).")));
	if (sums[0] >= 9223372036854775808.0 || sums[1] >= 9223372036854775808.0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("histogram total out of range"),
				 errdetail("The %s counts sum to %g, beyond the bigint range of n_reference / n_current.",
						   sums[0] >= 9223372036854775808.0 ? "reference" : "current",
						   sums[0] >= 9223372036854775808.0 ? sums[0] : sums[1]),
				 errhint("Scale the counts down (the divergences depend only on the proportions).")));
	*ref = out[0];
	*cur = out[1];
	*sum_ref = sums[0];
	*sum_cur = sums[1];
	return n[0];
}

/* total_as_bigint: a histogram total reported as n (rounded; clamped). */
static int64
total_as_bigint(double s)
{
	double		r = rint(s);

	if (r >= 9.2233720368547758e18)
		return PG_INT64_MAX;
	return (int64) r;
}

/*
 * dm_cat_chi2_counts
 *		chi2_test_counts(reference_counts, current_counts): the test on a
 *		given 2 x k table; n_categories counts bins with a non-zero total.
 */
Datum
dm_cat_chi2_counts(PG_FUNCTION_ARGS)
{
	double	   *ref,
			   *cur,
				sr,
				sc;
	int			k = counts_arrays(fcinfo, &ref, &cur, &sr, &sc);
	int			m = 0,
				i;

	for (i = 0; i < k; i++)
		if (ref[i] + cur[i] > 0.0)
			m++;
	PG_RETURN_DATUM(chi2_datum(fcinfo, ref, cur, k, total_as_bigint(sr),
							   total_as_bigint(sc), m));
}

/* dm_cat_js_counts: js_divergence_counts (NULL if a side totals 0). */
Datum
dm_cat_js_counts(PG_FUNCTION_ARGS)
{
	double	   *ref,
			   *cur,
				sr,
				sc;
	int			k = counts_arrays(fcinfo, &ref, &cur, &sr, &sc);

	if (!(sr > 0.0) || !(sc > 0.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(dm_js_divergence(ref, cur, (size_t) k));
}

/* dm_cat_psi_counts: psi_counts (NULL if a side totals 0). */
Datum
dm_cat_psi_counts(PG_FUNCTION_ARGS)
{
	double	   *ref,
			   *cur,
				sr,
				sc;
	int			k = counts_arrays(fcinfo, &ref, &cur, &sr, &sc);

	if (!(sr > 0.0) || !(sc > 0.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(dm_psi(ref, cur, (size_t) k));
}

/* Names of the bins of categorical_drift_counts. */
typedef struct BinNames
{
	Datum	   *names;			/* NULL: bins are named by position */
	bool	   *nulls;
} BinNames;

/* bin_name: a bin's name, or its 1-based position as text. */
static text *
bin_name(void *arg, int i)
{
	BinNames   *b = (BinNames *) arg;

	if (b->names == NULL || b->nulls[i])
	{
		char		buf[16];

		snprintf(buf, sizeof(buf), "%d", i + 1);
		return cstring_to_text(buf);
	}
	return DatumGetTextPCopy(b->names[i]);
}

/*
 * dm_cat_drift_counts
 *		categorical_drift_counts(reference_counts, current_counts
 *		[, categories]): every categorical drift statistic of two histograms;
 *		top_mover is the bin's name from categories (or its 1-based
 *		position), the first bin on ties; missing counts are 0.
 */
Datum
dm_cat_drift_counts(PG_FUNCTION_ARGS)
{
	double	   *ref,
			   *cur,
				sr,
				sc;
	int			k,
				i;
	BinNames	b = {NULL, NULL};
	int64	   *iref,
			   *icur;

	/* not STRICT because of the optional names: NULL histograms give NULL */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	k = counts_arrays(fcinfo, &ref, &cur, &sr, &sc);
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(2);
		int			n;

		if (ARR_NDIM(arr) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("category arrays must be one-dimensional"),
					 errdetail("The categories array has %d dimensions.", ARR_NDIM(arr)),
					 errhint("Pass a one-dimensional text[], for example by unnesting and re-aggregating the array.")));
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &b.names, &b.nulls, &n);
		if (n != k)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("categories must name every bin"),
					 errdetail("There are %d bins and %d names.", k, n),
					 errhint("Pass as many names as bins, or NULL to number the bins.")));
	}
	/* whole-number counts (the usual case): the top mover by exact comparison */
	iref = palloc(sizeof(int64) * Max(k, 1));
	icur = palloc(sizeof(int64) * Max(k, 1));
	for (i = 0; i < k; i++)
	{
		if (ref[i] != floor(ref[i]) || cur[i] != floor(cur[i]) ||
			ref[i] >= 9223372036854775808.0 || cur[i] >= 9223372036854775808.0)
			break;
		iref[i] = (int64) ref[i];
		icur[i] = (int64) cur[i];
	}
	PG_RETURN_DATUM(drift_row(fcinfo, NULL, ref, cur, k, sr, sc, total_as_bigint(sr),
							  total_as_bigint(sc), 0, 0, i == k ? iref : NULL,
							  i == k ? icur : NULL, bin_name, &b));
}
