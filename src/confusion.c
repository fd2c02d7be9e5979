/*
 * confusion.c
 *		Confusion-matrix aggregates, the driftmon.confusion type, its
 *		accessors and set-returning functions.
 *
 * Aggregate state (internal): a label dictionary (open addressing over the
 * label values) and a sparse table of (true index, predicted index) ->
 * count, so memory grows with the number of distinct labels and label
 * pairs, never with the number of rows (about 1.7 kB for a group of a few
 * labels: a 1 kB chunk for the struct plus its small arrays).
 * Pairs of the first 10 labels seen are counted in a dense 10 x 10 array
 * (800 bytes), and labels are found through
 * a 64-entry direct-mapped cache keyed by a cheap hash, so a row with
 * familiar labels costs two multiplies, two compares and an increment.
 *
 * Byte format (the confusion type's varlena payload and the serialized
 * aggregate state are the same bytes; little-endian, no OIDs or pointers):
 *
 *   u8 version (1), u8 kind (1 text, 2 bigint, 3 boolean), u16 zero,
 *   i64 n_skipped, u32 n_labels, u32 n_cells,
 *   labels sorted strictly ascending: bigint i64 | boolean u8 (0/1) |
 *	   text u32 length + bytes (bytewise order, shorter prefix first),
 *   cells sorted strictly by (true, predicted): u32 true, u32 pred, i64 n > 0.
 *
 * Every label appears in at least one cell, so the format is canonical:
 * equal summaries have equal bytes.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "common/int.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "confusion_fmt.h"
#include "driftmon.h"
#include "metrics.h"

#define CONF_VERSION	DM_CONF_VERSION
#define KIND_TEXT		DM_CONF_KIND_TEXT
#define KIND_INT8		DM_CONF_KIND_INT8
#define KIND_BOOL		DM_CONF_KIND_BOOL
#define DENSE_K			10		/* pairs of the first 10 labels: dense counts */
#define LCACHE			64		/* direct-mapped label cache entries */

/*
 * Sorted, flat view of a confusion summary (parsed or built from a state):
 * the core's dm_conf (src/core/confusion_fmt.h), which also owns the byte
 * and text formats.
 */
typedef dm_conf ConfSorted;

/* Aggregate state: label dictionary + sparse pair counts. */
typedef struct ConfState
{
	MemoryContext mcxt;
	int			kind;
	int64		n_skipped;
	/* labels */
	uint32		nlabels;
	uint32		labcap;
	int64	   *ival;
	char	  **tdata;
	uint32	   *tlen;
	uint32	   *lhash;
	int32	   *lslots;			/* label index + 1, 0 = empty */
	uint32		lmask;
	/* pairs */
	uint64	   *pkeys;
	int64	   *pcounts;		/* 0 = empty slot */
	uint32		pmask;
	uint32		npairs;
	/* dense counts of pairs of the first DENSE_K labels (most data) */
	int64		dense[DENSE_K * DENSE_K];
	uint32		ndense;			/* non-zero entries of dense */
	/* caches */
	uint8		lcache[LCACHE]; /* label index + 1 (< 256) by cheap hash, 0 = empty */
	int32		last_t;
	int32		last_p;
	uint32		last_slot;		/* slot of pair (last_t, last_p) */
	bool		last_valid;
} ConfState;

/*
 * One group's state must fit a 1 kB allocation chunk (palloc rounds up to a
 * power of two: at 1,190 bytes, with a cache of int32 indexes, each group
 * took a 2 kB chunk, 3.2 kB in all).  Hence the byte-wide label cache.
 */
StaticAssertDecl(sizeof(ConfState) <= 1024, "ConfState must fit a 1 kB chunk");

static const char *
kind_name(int kind)
{
	return kind == KIND_TEXT ? "text" : kind == KIND_INT8 ? "bigint" : "boolean";
}

/* hash_int64: a 64-bit mix for bigint / boolean labels. */
static inline uint32
hash_int64(int64 v)
{
	uint64		x = (uint64) v;

	x ^= x >> 33;
	x *= UINT64CONST(0xff51afd7ed558ccd);
	x ^= x >> 33;
	x *= UINT64CONST(0xc4ceb9fe1a85ec53);
	x ^= x >> 33;
	return (uint32) x;
}

/* pair_slot0: the home slot of a (true, predicted) index pair. */
static inline uint32
pair_slot0(uint64 key, uint32 mask)
{
	return (uint32) ((key * UINT64CONST(0x9E3779B97F4A7C15)) >> 32) & mask;
}

/*
 * conf_state_new
 *		An empty state of the given label kind in memory context mcxt.
 */
static ConfState *
conf_state_new(MemoryContext mcxt, int kind)
{
	ConfState  *s = MemoryContextAllocZero(mcxt, sizeof(ConfState));

	s->mcxt = mcxt;
	s->kind = kind;
	s->labcap = 8;
	s->ival = MemoryContextAlloc(mcxt, s->labcap * sizeof(int64));
	s->tdata = MemoryContextAlloc(mcxt, s->labcap * sizeof(char *));
	s->tlen = MemoryContextAlloc(mcxt, s->labcap * sizeof(uint32));
	s->lhash = MemoryContextAlloc(mcxt, s->labcap * sizeof(uint32));
	s->lmask = 15;
	s->lslots = MemoryContextAllocZero(mcxt, (s->lmask + 1) * sizeof(int32));
	s->pmask = 15;
	s->pkeys = MemoryContextAlloc(mcxt, (s->pmask + 1) * sizeof(uint64));
	s->pcounts = MemoryContextAllocZero(mcxt, (s->pmask + 1) * sizeof(int64));
	s->last_valid = false;
	s->last_t = s->last_p = -1;
	return s;
}

/* label_rehash: double the label slot array and reinsert every label. */
static void
label_rehash(ConfState *s)
{
	uint32		newmask = s->lmask * 2 + 1;
	int32	   *slots = MemoryContextAllocZero(s->mcxt,
											   (Size) (newmask + 1) * sizeof(int32));
	uint32		i;

	for (i = 0; i < s->nlabels; i++)
	{
		uint32		h = s->lhash[i] & newmask;

		while (slots[h] != 0)
			h = (h + 1) & newmask;
		slots[h] = (int32) i + 1;
	}
	pfree(s->lslots);
	s->lslots = slots;
	s->lmask = newmask;
}

/*
 * label_index
 *		Index of a label, inserting it when new.  Text labels are copied into
 *		the state's context.
 */
static int32
label_index(ConfState *s, int64 iv, const char *td, uint32 tl)
{
	uint32		h = (s->kind == KIND_TEXT) ?
		hash_bytes((const unsigned char *) td, (int) tl) : hash_int64(iv);
	uint32		slot = h & s->lmask;
	int32		idx;

	for (;;)
	{
		int32		e = s->lslots[slot];

		if (e == 0)
			break;
		e--;
		if (s->lhash[e] == h &&
			(s->kind == KIND_TEXT ?
			 (s->tlen[e] == tl && memcmp(s->tdata[e], td, tl) == 0) :
			 s->ival[e] == iv))
			return e;
		slot = (slot + 1) & s->lmask;
	}

	/* new label */
	if (s->nlabels >= (uint32) INT32_MAX / 4)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many distinct labels in a confusion summary"),
				 errdetail("The limit is %d distinct labels.", INT32_MAX / 4),
				 errhint("Check that the labels are classes, not identifiers or continuous values.")));
	if (s->nlabels == s->labcap)
	{
		s->labcap *= 2;
		s->ival = repalloc_huge(s->ival, (Size) s->labcap * sizeof(int64));
		s->tdata = repalloc_huge(s->tdata, (Size) s->labcap * sizeof(char *));
		s->tlen = repalloc_huge(s->tlen, (Size) s->labcap * sizeof(uint32));
		s->lhash = repalloc_huge(s->lhash, (Size) s->labcap * sizeof(uint32));
	}
	idx = (int32) s->nlabels++;
	s->ival[idx] = iv;
	s->tlen[idx] = tl;
	s->lhash[idx] = h;
	if (s->kind == KIND_TEXT)
	{
		char	   *copy = MemoryContextAlloc(s->mcxt, tl ? tl : 1);

		memcpy(copy, td, tl);
		s->tdata[idx] = copy;
	}
	else
		s->tdata[idx] = NULL;
	s->lslots[slot] = idx + 1;
	if ((uint64) s->nlabels * 2 > s->lmask)
		label_rehash(s);
	return idx;
}

/*
 * cheap_hash
 *		A few multiplies over the first and last 8 bytes and the length (text)
 *		or the value: only picks a label-cache entry, which is then verified.
 */
static inline uint32
cheap_hash(int kind, int64 iv, const char *td, uint32 tl)
{
	uint64		a = 0,
				b = 0;

	if (kind != KIND_TEXT)
		a = (uint64) iv;
	else if (tl >= 8)
	{
		memcpy(&a, td, 8);
		memcpy(&b, td + tl - 8, 8);
	}
	else
		memcpy(&a, td, tl);
	a = a * UINT64CONST(0x9E3779B97F4A7C15) ^ (b + tl) * UINT64CONST(0xC2B2AE3D27D4EB4F);
	return (uint32) (a >> 58);	/* 6 bits: LCACHE = 64 */
}

/*
 * label_lookup
 *		label_index through the direct-mapped cache: a row whose labels were
 *		seen recently costs a multiply and a compare.  Only the first 255
 *		labels are cached (byte-wide entries); with more, a 64-entry cache
 *		misses most rows anyway.
 */
static inline int32
label_lookup(ConfState *s, int64 iv, const char *td, uint32 tl)
{
	uint32		h = cheap_hash(s->kind, iv, td, tl);
	int32		e = (int32) s->lcache[h] - 1;

	if (e >= 0 &&
		(s->kind == KIND_TEXT ?
		 (s->tlen[e] == tl && memcmp(s->tdata[e], td, tl) == 0) :
		 s->ival[e] == iv))
		return e;
	e = label_index(s, iv, td, tl);
	if (e < 255)
		s->lcache[h] = (uint8) (e + 1);
	return e;
}

/* pair_rehash: double the pair table and reinsert every pair. */
static void
pair_rehash(ConfState *s)
{
	uint32		oldsize = s->pmask + 1;
	uint32		newmask = s->pmask * 2 + 1;
	uint64	   *keys = MemoryContextAllocHuge(s->mcxt, (Size) (newmask + 1) * sizeof(uint64));
	int64	   *counts = MemoryContextAllocHuge(s->mcxt, (Size) (newmask + 1) * sizeof(int64));
	uint32		i;

	memset(counts, 0, (Size) (newmask + 1) * sizeof(int64));
	for (i = 0; i < oldsize; i++)
	{
		uint32		h;

		if (s->pcounts[i] == 0)
			continue;
		h = pair_slot0(s->pkeys[i], newmask);
		while (counts[h] != 0)
			h = (h + 1) & newmask;
		keys[h] = s->pkeys[i];
		counts[h] = s->pcounts[i];
	}
	pfree(s->pkeys);
	pfree(s->pcounts);
	s->pkeys = keys;
	s->pcounts = counts;
	s->pmask = newmask;
	s->last_valid = false;
}

/*
 * pair_add
 *		Add n to the count of (t, p); returns the slot (valid until the next
 *		insertion).  Errors out on count overflow (only reachable by merging
 *		crafted summaries).
 */
static uint32
pair_add(ConfState *s, int32 t, int32 p, int64 n)
{
	uint64		key = ((uint64) (uint32) t << 32) | (uint32) p;
	uint32		slot = pair_slot0(key, s->pmask);

	if (t < DENSE_K && p < DENSE_K)
	{
		int64	   *c = &s->dense[t * DENSE_K + p];

		if (*c == 0)
			s->ndense++;
		if (pg_add_s64_overflow(*c, n, c))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("confusion matrix count out of range"),
					 errdetail("A count of the confusion matrix exceeds the bigint range."),
					 errhint("Aggregate fewer rows per summary.")));
		return 0;
	}
	for (;;)
	{
		if (s->pcounts[slot] == 0)
		{
			s->pkeys[slot] = key;
			s->pcounts[slot] = n;
			s->npairs++;
			if ((uint64) s->npairs * 2 > s->pmask)
			{
				pair_rehash(s);
				/* find it again */
				slot = pair_slot0(key, s->pmask);
				while (s->pkeys[slot] != key || s->pcounts[slot] == 0)
					slot = (slot + 1) & s->pmask;
			}
			return slot;
		}
		if (s->pkeys[slot] == key)
		{
			if (pg_add_s64_overflow(s->pcounts[slot], n, &s->pcounts[slot]))
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("confusion matrix count out of range"),
						 errdetail("A count of the confusion matrix exceeds the bigint range."),
						 errhint("Aggregate fewer rows per summary.")));
			return slot;
		}
		slot = (slot + 1) & s->pmask;
	}
}

/*
 * conf_count_row
 *		One (true, predicted) observation: cached label lookups, cached pair
 *		slot, no allocation unless a label or a pair is new.
 */
static inline void
conf_count_row(ConfState *s, int64 tv, const char *td, uint32 tl,
			   int64 pv, const char *pd, uint32 pl)
{
	int32		t = label_lookup(s, tv, td, tl);
	int32		p = label_lookup(s, pv, pd, pl);

	if (t < DENSE_K && p < DENSE_K)
	{
		int64	   *c = &s->dense[t * DENSE_K + p];

		if ((*c)++ == 0)
			s->ndense++;
		return;
	}
	if (s->last_valid && t == s->last_t && p == s->last_p)
	{
		s->pcounts[s->last_slot]++;
		return;
	}
	s->last_slot = pair_add(s, t, p, 1);
	s->last_t = t;
	s->last_p = p;
	s->last_valid = true;
}

/* label_cmp: ordering of two labels of one kind (bytewise for text). */
#define label_cmp dm_conf_label_cmp

static ConfState *sort_state_for_cmp;

/* qsort comparator over label indexes of sort_state_for_cmp. */
static int
label_idx_cmp(const void *x, const void *y)
{
	ConfState  *s = sort_state_for_cmp;
	int32		a = *(const int32 *) x,
				b = *(const int32 *) y;

	return label_cmp(s->kind, s->ival[a], s->tdata[a], s->tlen[a],
					 s->ival[b], s->tdata[b], s->tlen[b]);
}

typedef struct CellTmp
{
	uint64		key;
	int64		n;
} CellTmp;

/* qsort comparator of cells by (true, predicted) key. */
static int
cell_cmp(const void *x, const void *y)
{
	uint64		a = ((const CellTmp *) x)->key,
				b = ((const CellTmp *) y)->key;

	return (a > b) - (a < b);
}

/*
 * conf_sorted_from_state
 *		Sorted flat view of a state (labels in sklearn's sorted-union order,
 *		cells by (true, predicted)), allocated in the current context.
 */
static ConfSorted *
conf_sorted_from_state(ConfState *s)
{
	ConfSorted *c = palloc0(sizeof(ConfSorted));
	int32	   *order = palloc((Size) Max(s->nlabels, 1) * sizeof(int32));
	int32	   *rank = palloc((Size) Max(s->nlabels, 1) * sizeof(int32));
	CellTmp    *cells = palloc_extended((Size) Max(s->npairs + s->ndense, 1) * sizeof(CellTmp),
										MCXT_ALLOC_HUGE);
	uint32		i,
				nc = 0;

	c->kind = s->kind;
	c->n_skipped = s->n_skipped;
	c->nlabels = s->nlabels;
	for (i = 0; i < s->nlabels; i++)
		order[i] = (int32) i;
	sort_state_for_cmp = s;
	qsort(order, s->nlabels, sizeof(int32), label_idx_cmp);
	c->ival = palloc((Size) Max(s->nlabels, 1) * sizeof(int64));
	c->tdata = palloc((Size) Max(s->nlabels, 1) * sizeof(char *));
	c->tlen = palloc((Size) Max(s->nlabels, 1) * sizeof(uint32));
	for (i = 0; i < s->nlabels; i++)
	{
		rank[order[i]] = (int32) i;
		c->ival[i] = s->ival[order[i]];
		c->tdata[i] = s->tdata[order[i]];
		c->tlen[i] = s->tlen[order[i]];
	}
	for (i = 0; i < DENSE_K * DENSE_K; i++)
	{
		if (s->dense[i] == 0)
			continue;
		cells[nc].key = ((uint64) (uint32) rank[i / DENSE_K] << 32) |
			(uint32) rank[i % DENSE_K];
		cells[nc].n = s->dense[i];
		nc++;
	}
	for (i = 0; i <= s->pmask; i++)
	{
		uint64		k;

		if (s->pcounts[i] == 0)
			continue;
		k = s->pkeys[i];
		cells[nc].key = ((uint64) (uint32) rank[k >> 32] << 32) |
			(uint32) rank[(uint32) k];
		cells[nc].n = s->pcounts[i];
		nc++;
	}
	qsort(cells, nc, sizeof(CellTmp), cell_cmp);
	c->ncells = nc;
	c->ct = palloc((Size) Max(nc, 1) * sizeof(uint32));
	c->cp = palloc((Size) Max(nc, 1) * sizeof(uint32));
	c->cn = palloc((Size) Max(nc, 1) * sizeof(int64));
	for (i = 0; i < nc; i++)
	{
		c->ct[i] = (uint32) (cells[i].key >> 32);
		c->cp[i] = (uint32) cells[i].key;
		c->cn[i] = cells[i].n;
	}
	pfree(cells);
	pfree(order);
	pfree(rank);
	return c;
}

/*
 * conf_state_add_sorted
 *		Merge a sorted summary into a state (combine, deserialize, rollup).
 */
static void
conf_state_add_sorted(ConfState *s, const ConfSorted *c)
{
	int32	   *map;
	uint32		i;

	if (c->kind != s->kind)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot merge confusion summaries of %s labels and %s labels",
						kind_name(s->kind), kind_name(c->kind)),
				 errdetail("Every summary merged by driftmon.rollup must come from labels of one type."),
				 errhint("Cast the labels to one type before driftmon.confusion_agg.")));
	if (pg_add_s64_overflow(s->n_skipped, c->n_skipped, &s->n_skipped))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("confusion matrix count out of range"),
				 errdetail("A count of the confusion matrix exceeds the bigint range."),
				 errhint("Aggregate fewer rows per summary.")));
	map = palloc((Size) Max(c->nlabels, 1) * sizeof(int32));
	for (i = 0; i < c->nlabels; i++)
		map[i] = label_index(s, c->ival[i], c->tdata[i], c->tlen[i]);
	for (i = 0; i < c->ncells; i++)
	{
		pair_add(s, map[c->ct[i]], map[c->cp[i]], c->cn[i]);
		if ((i & 0xffff) == 0xffff)
			CHECK_FOR_INTERRUPTS();
	}
	s->last_valid = false;
	pfree(map);
}

/*
 * conf_to_bytes
 *		Serialize a sorted summary into a new varlena (bytea or confusion).
 */
static struct varlena *
conf_to_bytes(const ConfSorted *c)
{
	Size		len = dm_conf_encoded_size(c);
	struct varlena *v;

	if (len > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("confusion summary too large to serialize"),
				 errdetail("It would take %zu bytes; the limit is 1 GB.", len),
				 errhint("Aggregate fewer distinct labels per summary.")));
	v = palloc(len + VARHDRSZ);
	SET_VARSIZE(v, len + VARHDRSZ);
	dm_conf_encode(c, VARDATA(v));
	return v;
}

/*
 * conf_check_total
 *		Each cell of a state fits in bigint, but a rollup can push the total
 *		count past it; the decoder refuses such a value (it could be stored
 *		and then never read or dumped), so the aggregate must not return or
 *		serialize one.
 */
static void
conf_check_total(const ConfSorted *c)
{
	int64		total = 0;
	uint32		i;

	for (i = 0; i < c->ncells; i++)
		if (pg_add_s64_overflow(total, c->cn[i], &total))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("confusion matrix count out of range"),
					 errdetail("The total count of the summary exceeds the bigint range."),
					 errhint("Aggregate fewer rows per summary.")));
}

/* bad_summary: the error for an invalid byte image. */
static void
bad_summary(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid driftmon.confusion value"),
			 errdetail("%s", detail),
			 errhint("The value must be produced by driftmon.confusion_agg or driftmon.rollup.")));
}

/*
 * decode_or_error
 *		The core's decoder of a byte image into c, with its verdict as an
 *		ereport: a newer format version asks for an upgrade, anything else
 *		wrong is a bad summary.
 */
static void
decode_or_error(const char *p, Size len, ConfSorted *c)
{
	char		err[256];
	int			rc;

	rc = dm_conf_decode(p, len, c, err, sizeof(err));
	if (rc == DM_FMT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid driftmon.confusion value"),
				 errdetail("%s", err),
				 errhint("Upgrade the driftmon extension.")));
	if (rc != DM_FMT_OK)
		bad_summary(err);
}

/*
 * conf_from_bytes
 *		Parse and fully validate a byte image with the core's decoder
 *		(version, kind, lengths, strictly sorted labels and cells, positive
 *		counts without overflow, every label used), then check that text
 *		labels are valid in the server encoding.  Text labels point into the
 *		input.
 */
static ConfSorted *
conf_from_bytes(const char *p, Size len)
{
	ConfSorted *c = palloc0(sizeof(ConfSorted));
	uint32		i;

	decode_or_error(p, len, c);
	if (c->kind == KIND_TEXT)
		for (i = 0; i < c->nlabels; i++)
			pg_verifymbstr(c->tdata[i], (int) c->tlen[i], false);
	return c;
}

/* conf_from_datum: detoast and parse a driftmon.confusion argument. */
static ConfSorted *
conf_from_datum(Datum d)
{
	struct varlena *v = PG_DETOAST_DATUM(d);

	return conf_from_bytes(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
}

/* ---------------------------------------------------------------------
 * Aggregate support
 * ---------------------------------------------------------------------
 */

/* get_state: the state argument, created on first use in the agg context. */
static ConfState *
get_state(FunctionCallInfo fcinfo, int kind, const char *fname)
{
	MemoryContext aggctx;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "%s called in non-aggregate context", fname);
	if (PG_ARGISNULL(0))
		return conf_state_new(aggctx, kind);
	return (ConfState *) PG_GETARG_POINTER(0);
}

PG_FUNCTION_INFO_V1(dm_conf_trans_text);
PG_FUNCTION_INFO_V1(dm_conf_trans_int8);
PG_FUNCTION_INFO_V1(dm_conf_trans_bool);
PG_FUNCTION_INFO_V1(dm_conf_trans_rollup);
PG_FUNCTION_INFO_V1(dm_conf_combine);
PG_FUNCTION_INFO_V1(dm_conf_serialize);
PG_FUNCTION_INFO_V1(dm_conf_deserialize);
PG_FUNCTION_INFO_V1(dm_conf_final_confusion);
PG_FUNCTION_INFO_V1(dm_conf_final_metrics);

/*
 * dm_conf_trans_text
 *		Transition for text labels; a NULL label or prediction is counted in
 *		n_skipped.  Short-header labels are compared in place (no copy).
 */
Datum
dm_conf_trans_text(PG_FUNCTION_ARGS)
{
	ConfState  *s = get_state(fcinfo, KIND_TEXT, "dm_conf_trans_text");

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		s->n_skipped++;
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(1);
		text	   *p = PG_GETARG_TEXT_PP(2);

		conf_count_row(s, 0, VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t),
					   0, VARDATA_ANY(p), VARSIZE_ANY_EXHDR(p));
	}
	PG_RETURN_POINTER(s);
}

/* dm_conf_trans_int8: transition for bigint labels. */
Datum
dm_conf_trans_int8(PG_FUNCTION_ARGS)
{
	ConfState  *s = get_state(fcinfo, KIND_INT8, "dm_conf_trans_int8");

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		s->n_skipped++;
	else
		conf_count_row(s, PG_GETARG_INT64(1), NULL, 0, PG_GETARG_INT64(2), NULL, 0);
	PG_RETURN_POINTER(s);
}

/* dm_conf_trans_bool: transition for boolean labels (false < true). */
Datum
dm_conf_trans_bool(PG_FUNCTION_ARGS)
{
	ConfState  *s = get_state(fcinfo, KIND_BOOL, "dm_conf_trans_bool");

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		s->n_skipped++;
	else
		conf_count_row(s, PG_GETARG_BOOL(1) ? 1 : 0, NULL, 0,
					   PG_GETARG_BOOL(2) ? 1 : 0, NULL, 0);
	PG_RETURN_POINTER(s);
}

/*
 * dm_conf_trans_rollup
 *		Transition of rollup(confusion): merge one stored summary.  NULL
 *		summaries are ignored.  The state takes the kind of the first one.
 */
Datum
dm_conf_trans_rollup(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	ConfState  *s;
	ConfSorted *c;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_conf_trans_rollup called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	c = conf_from_datum(PG_GETARG_DATUM(1));
	if (PG_ARGISNULL(0))
		s = conf_state_new(aggctx, c->kind);
	else
		s = (ConfState *) PG_GETARG_POINTER(0);
	conf_state_add_sorted(s, c);
	PG_RETURN_POINTER(s);
}

/* dm_conf_combine: merge two partial states (parallel aggregation). */
Datum
dm_conf_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	ConfState  *a,
			   *b;
	ConfSorted *c;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_conf_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = (ConfState *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
		a = conf_state_new(aggctx, b->kind);
	else
		a = (ConfState *) PG_GETARG_POINTER(0);
	c = conf_sorted_from_state(b);
	conf_state_add_sorted(a, c);
	PG_RETURN_POINTER(a);
}

/* dm_conf_serialize: state -> bytea in the documented byte format. */
Datum
dm_conf_serialize(PG_FUNCTION_ARGS)
{
	ConfState  *s = (ConfState *) PG_GETARG_POINTER(0);
	ConfSorted *c = conf_sorted_from_state(s);

	conf_check_total(c);
	PG_RETURN_BYTEA_P(conf_to_bytes(c));
}

/* dm_conf_deserialize: validated bytea -> state in the agg context. */
Datum
dm_conf_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext aggctx;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	ConfSorted *c;
	ConfState  *s;

	if (!AggCheckCallContext(fcinfo, &aggctx))
		elog(ERROR, "dm_conf_deserialize called in non-aggregate context");
	c = conf_from_bytes(VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	s = conf_state_new(aggctx, c->kind);
	conf_state_add_sorted(s, c);
	PG_RETURN_POINTER(s);
}

/* dm_conf_final_confusion: the state as a driftmon.confusion value. */
Datum
dm_conf_final_confusion(PG_FUNCTION_ARGS)
{
	ConfSorted *c;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	c = conf_sorted_from_state((ConfState *) PG_GETARG_POINTER(0));
	conf_check_total(c);
	PG_RETURN_POINTER(conf_to_bytes(c));
}

/*
 * conf_counts
 *		Per-class tp, true_sum, pred_sum of a sorted summary.
 */
static void
conf_counts(const ConfSorted *c, int64 **tp, int64 **ts, int64 **ps)
{
	uint32		i;
	Size		k = Max(c->nlabels, 1);

	*tp = palloc0(k * sizeof(int64));
	*ts = palloc0(k * sizeof(int64));
	*ps = palloc0(k * sizeof(int64));
	for (i = 0; i < c->ncells; i++)
	{
		(*ts)[c->ct[i]] += c->cn[i];
		(*ps)[c->cp[i]] += c->cn[i];
		if (c->ct[i] == c->cp[i])
			(*tp)[c->ct[i]] += c->cn[i];
	}
}

/*
 * metrics_tuple
 *		Build a classification_metrics_result row from a sorted summary.
 *		Metrics are NULL when no row was counted; the positive-class fields
 *		only for boolean labels.
 */
static Datum
metrics_tuple(FunctionCallInfo fcinfo, const ConfSorted *c)
{
	TupleDesc	tupdesc;
	Datum		v[20];
	bool		nul[20];
	int64	   *tp,
			   *ts,
			   *ps;
	dm_clf_summary m;
	int			i;

	tupdesc = dm_result_tupdesc(fcinfo, -1);
	if (tupdesc->natts != 20)
		elog(ERROR, "classification_metrics_result must have 20 attributes");
	conf_counts(c, &tp, &ts, &ps);
	memset(nul, 0, sizeof(nul));
	if (!dm_clf_summarize(c->nlabels, tp, ts, ps, &m))
	{
		for (i = 0; i < 20; i++)
			nul[i] = true;
		m.n = 0;
	}
	v[0] = Int64GetDatum(m.n);
	nul[0] = false;
	v[1] = Int32GetDatum((int32) c->nlabels);
	nul[1] = false;
	v[2] = Float8GetDatum(m.accuracy);
	v[3] = Float8GetDatum(m.balanced_accuracy);
	v[4] = Float8GetDatum(m.precision_macro);
	v[5] = Float8GetDatum(m.recall_macro);
	v[6] = Float8GetDatum(m.f1_macro);
	v[7] = Float8GetDatum(m.precision_weighted);
	v[8] = Float8GetDatum(m.recall_weighted);
	v[9] = Float8GetDatum(m.f1_weighted);
	v[10] = Float8GetDatum(m.precision_micro);
	v[11] = Float8GetDatum(m.recall_micro);
	v[12] = Float8GetDatum(m.f1_micro);
	v[13] = Float8GetDatum(m.mcc);
	v[14] = Float8GetDatum(m.kappa);
	if (m.n > 0 && !m.kappa_defined)
		nul[14] = true;
	if (c->kind == KIND_BOOL && m.n > 0)
	{
		int64		tpt = 0,
					tst = 0,
					pst = 0,
					tpf = 0,
					tsf = 0,
					psf = 0;
		double		pr,
					rc,
					f1,
					sp,
					dummy1,
					dummy2;

		for (i = 0; i < (int) c->nlabels; i++)
		{
			if (c->ival[i] == 1)
			{
				tpt = tp[i];
				tst = ts[i];
				pst = ps[i];
			}
			else
			{
				tpf = tp[i];
				tsf = ts[i];
				psf = ps[i];
			}
		}
		dm_prf(tpt, tst, pst, &pr, &rc, &f1);
		dm_prf(tpf, tsf, psf, &dummy1, &sp, &dummy2);
		v[15] = Float8GetDatum(pr);
		v[16] = Float8GetDatum(rc);
		v[17] = Float8GetDatum(f1);
		v[18] = Float8GetDatum(sp);
	}
	else
		nul[15] = nul[16] = nul[17] = nul[18] = true;
	v[19] = Int64GetDatum(c->n_skipped);
	nul[19] = false;
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, v, nul));
}

/* dm_conf_final_metrics: final function of classification_metrics(y, y). */
Datum
dm_conf_final_metrics(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	return metrics_tuple(fcinfo, conf_sorted_from_state((ConfState *) PG_GETARG_POINTER(0)));
}

/* ---------------------------------------------------------------------
 * The driftmon.confusion type: text and binary I/O
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(dm_confusion_in);
PG_FUNCTION_INFO_V1(dm_confusion_out);
PG_FUNCTION_INFO_V1(dm_confusion_recv);
PG_FUNCTION_INFO_V1(dm_confusion_send);

/* label_to_cstring: a label as the text a user passes to the accessors. */
static char *
label_to_cstring(const ConfSorted *c, uint32 i)
{
	if (c->kind == KIND_TEXT)
		return pnstrdup(c->tdata[i], c->tlen[i]);
	if (c->kind == KIND_INT8)
		return psprintf(INT64_FORMAT, c->ival[i]);
	return pstrdup(c->ival[i] ? "true" : "false");
}

/*
 * dm_confusion_out
 *		Text form, a JSON object with keys in this fixed order:
 *		{"version":1,"kind":"text","skipped":0,"labels":["a","b"],
 *		 "cells":[[0,0,5],[0,1,2]]}; labels are JSON strings, numbers or
 *		booleans by kind; cells are [true index, predicted index, count].
 */
Datum
dm_confusion_out(PG_FUNCTION_ARGS)
{
	ConfSorted *c = conf_from_datum(PG_GETARG_DATUM(0));

	PG_RETURN_CSTRING(dm_conf_format_text(c));
}

/*
 * unicode_to_server
 *		Converter of a non-ASCII \u escape for a database whose encoding is
 *		not UTF-8: the character in the server encoding, or the server's
 *		error when that encoding has no such character.  Not used for
 *		SQL_ASCII, which has no characters beyond ASCII to convert to: there
 *		the escape stays UTF-8 bytes, as before (such databases mostly hold
 *		UTF-8).
 */
static size_t
unicode_to_server(unsigned int cpt, char *out, void *arg)
{
	unsigned char buf[MAX_UNICODE_EQUIVALENT_STRING + 1];
	size_t		n;

	pg_unicode_to_server((pg_wchar) cpt, buf);
	n = strlen((const char *) buf);
	Assert(n <= 32);
	memcpy(out, buf, n);
	return n;
}

/*
 * dm_confusion_in
 *		Parse the JSON text form written by dm_confusion_out (keys in that
 *		order, whitespace allowed between tokens), put the labels in this
 *		database's byte order (a dump from a database in another encoding
 *		lists them in that encoding's order), then validate it exactly as a
 *		byte image: distinct labels, sorted distinct cells, positive counts,
 *		every label used.
 */
Datum
dm_confusion_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	ConfSorted	c;
	char		err[256];
	int			rc;
	struct varlena *v;

	rc = dm_conf_parse_text_enc(str, strlen(str), &c, err, sizeof(err),
								GetDatabaseEncoding() == PG_UTF8 ||
								GetDatabaseEncoding() == PG_SQL_ASCII ?
								NULL : unicode_to_server,
								NULL);
	if (rc == DM_FMT_SYNTAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type driftmon.confusion: \"%s\"", str),
				 errdetail("%s", err),
				 errhint("The format is {\"version\":1,\"kind\":\"text\",\"skipped\":0,\"labels\":[...],\"cells\":[[t,p,n],...]}.")));
	if (rc == DM_FMT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid driftmon.confusion value"),
				 errdetail("%s", err),
				 errhint("Upgrade the driftmon extension.")));
	if (rc == DM_FMT_OK)
		rc = dm_conf_sort_labels(&c, err, sizeof(err));
	if (rc != DM_FMT_OK)
		bad_summary(err);

	/* one validation path: through the byte image */
	v = conf_to_bytes(&c);
	conf_from_bytes(VARDATA(v), VARSIZE(v) - VARHDRSZ);
	dm_conf_free(&c);
	PG_RETURN_POINTER(v);
}

/*
 * conf_convert_labels
 *		Text labels converted between the server and the client encoding
 *		(to_client: for send; else for recv), then put back in ascending
 *		byte order, which the conversion may change (WIN1252 orders the euro
 *		sign 0x80 before e acute 0xe9, UTF-8 after).  Binary I/O of text
 *		travels in the client encoding, as textsend / textrecv do, so a
 *		summary moves by binary COPY between databases of different
 *		encodings.  Returns false when nothing had to change.
 */
static bool
conf_convert_labels(ConfSorted *c, bool to_client)
{
	uint32		i;
	char		err[256];

	if (c->kind != KIND_TEXT || pg_get_client_encoding() == GetDatabaseEncoding())
		return false;
	for (i = 0; i < c->nlabels; i++)
	{
		char	   *conv;

		CHECK_FOR_INTERRUPTS();
		conv = to_client ? pg_server_to_client(c->tdata[i], (int) c->tlen[i]) :
			pg_client_to_server(c->tdata[i], (int) c->tlen[i]);
		if (conv != c->tdata[i])
		{
			c->tdata[i] = conv;
			c->tlen[i] = (uint32) strlen(conv);
		}
	}
	if (dm_conf_sort_labels(c, err, sizeof(err)) != DM_FMT_OK)
		bad_summary(err);
	return true;
}

/*
 * dm_confusion_send
 *		The byte image; text labels in the client encoding (the image as
 *		stored when both encodings are the same).
 */
Datum
dm_confusion_send(PG_FUNCTION_ARGS)
{
	struct varlena *v = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	StringInfoData buf;

	if (pg_get_client_encoding() != GetDatabaseEncoding())
	{
		ConfSorted *c = conf_from_bytes(VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));

		if (conf_convert_labels(c, true))
			v = conf_to_bytes(c);
	}
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, VARDATA_ANY(v), VARSIZE_ANY_EXHDR(v));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * dm_confusion_recv
 *		A byte image, text labels in the client encoding, validated before
 *		it is accepted.
 */
Datum
dm_confusion_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			len = buf->len - buf->cursor;
	struct varlena *v = palloc(len + VARHDRSZ);
	ConfSorted *c;

	SET_VARSIZE(v, len + VARHDRSZ);
	pq_copymsgbytes(buf, VARDATA(v), len);
	if (pg_get_client_encoding() != GetDatabaseEncoding())
	{
		/* structure first (labels in the client's byte order), then convert */
		c = palloc0(sizeof(ConfSorted));
		decode_or_error(VARDATA(v), len, c);
		if (conf_convert_labels(c, false))
			v = conf_to_bytes(c);
	}
	conf_from_bytes(VARDATA(v), VARSIZE(v) - VARHDRSZ);
	PG_RETURN_POINTER(v);
}

/* ---------------------------------------------------------------------
 * Accessors and set-returning functions
 * ---------------------------------------------------------------------
 */

PG_FUNCTION_INFO_V1(dm_confusion_metrics);
PG_FUNCTION_INFO_V1(dm_confusion_accuracy);
PG_FUNCTION_INFO_V1(dm_confusion_prf_macro_p);
PG_FUNCTION_INFO_V1(dm_confusion_prf_macro_r);
PG_FUNCTION_INFO_V1(dm_confusion_prf_macro_f);
PG_FUNCTION_INFO_V1(dm_confusion_prf_label_p);
PG_FUNCTION_INFO_V1(dm_confusion_prf_label_r);
PG_FUNCTION_INFO_V1(dm_confusion_prf_label_f);
PG_FUNCTION_INFO_V1(dm_confusion_report);
PG_FUNCTION_INFO_V1(dm_confusion_matrix);

/* dm_confusion_metrics: classification_metrics(confusion). */
Datum
dm_confusion_metrics(PG_FUNCTION_ARGS)
{
	return metrics_tuple(fcinfo, conf_from_datum(PG_GETARG_DATUM(0)));
}

/* dm_confusion_accuracy: accuracy(confusion); NULL when empty. */
Datum
dm_confusion_accuracy(PG_FUNCTION_ARGS)
{
	ConfSorted *c = conf_from_datum(PG_GETARG_DATUM(0));
	int64		n = 0,
				correct = 0;
	uint32		i;

	for (i = 0; i < c->ncells; i++)
	{
		n += c->cn[i];
		if (c->ct[i] == c->cp[i])
			correct += c->cn[i];
	}
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) correct / (double) n);
}

/*
 * confusion_prf_macro
 *		Macro precision (0), recall (1) or F1 (2); NULL when empty.
 */
static Datum
confusion_prf_macro(FunctionCallInfo fcinfo, int which)
{
	ConfSorted *c = conf_from_datum(PG_GETARG_DATUM(0));
	int64	   *tp,
			   *ts,
			   *ps;
	dm_clf_summary m;

	conf_counts(c, &tp, &ts, &ps);
	if (!dm_clf_summarize(c->nlabels, tp, ts, ps, &m))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(which == 0 ? m.precision_macro :
					 which == 1 ? m.recall_macro : m.f1_macro);
}

/* driftmon.precision(c): macro precision. */
Datum
dm_confusion_prf_macro_p(PG_FUNCTION_ARGS)
{
	return confusion_prf_macro(fcinfo, 0);
}

/* driftmon.recall(c): macro recall. */
Datum
dm_confusion_prf_macro_r(PG_FUNCTION_ARGS)
{
	return confusion_prf_macro(fcinfo, 1);
}

/* driftmon.f1(c): macro F1. */
Datum
dm_confusion_prf_macro_f(PG_FUNCTION_ARGS)
{
	return confusion_prf_macro(fcinfo, 2);
}

/*
 * find_label
 *		Index of a label given as text (parsed as bigint / boolean for those
 *		kinds), or -1 when absent.  An unparsable label is an error.
 */
static int64
find_label(const ConfSorted *c, text *lab)
{
	char	   *s = text_to_cstring(lab);
	int64		iv = 0;
	uint32		lo = 0,
				hi = c->nlabels;

	if (c->kind == KIND_INT8)
		iv = DatumGetInt64(DirectFunctionCall1(int8in, CStringGetDatum(s)));
	else if (c->kind == KIND_BOOL)
		iv = DatumGetBool(DirectFunctionCall1(boolin, CStringGetDatum(s))) ? 1 : 0;
	while (lo < hi)
	{
		uint32		mid = lo + (hi - lo) / 2;
		int			cmp = label_cmp(c->kind, c->ival[mid], c->tdata[mid], c->tlen[mid],
									iv, s, (uint32) strlen(s));

		if (cmp == 0)
			return mid;
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/*
 * confusion_prf_label
 *		Precision (0), recall (1) or F1 (2) of one class (zero_division = 0);
 *		NULL when the label is not in the summary.
 */
static Datum
confusion_prf_label(FunctionCallInfo fcinfo, int which)
{
	ConfSorted *c = conf_from_datum(PG_GETARG_DATUM(0));
	int64		idx = find_label(c, PG_GETARG_TEXT_PP(1));
	int64	   *tp,
			   *ts,
			   *ps;
	double		p,
				r,
				f;

	if (idx < 0)
		PG_RETURN_NULL();
	conf_counts(c, &tp, &ts, &ps);
	dm_prf(tp[idx], ts[idx], ps[idx], &p, &r, &f);
	PG_RETURN_FLOAT8(which == 0 ? p : which == 1 ? r : f);
}

/* driftmon.precision(c, label) */
Datum
dm_confusion_prf_label_p(PG_FUNCTION_ARGS)
{
	return confusion_prf_label(fcinfo, 0);
}

/* driftmon.recall(c, label) */
Datum
dm_confusion_prf_label_r(PG_FUNCTION_ARGS)
{
	return confusion_prf_label(fcinfo, 1);
}

/* driftmon.f1(c, label) */
Datum
dm_confusion_prf_label_f(PG_FUNCTION_ARGS)
{
	return confusion_prf_label(fcinfo, 2);
}

/*
 * dm_confusion_report
 *		classification_report(c): (label, precision, recall, f1, support) per
 *		class in label order, then 'accuracy' (precision and recall NULL, f1 =
 *		accuracy, support = n), 'macro avg' and 'weighted avg' (support = n).
 *		No row when the summary counted nothing.
 */
Datum
dm_confusion_report(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ConfSorted *c;
	int64	   *tp,
			   *ts,
			   *ps;
	dm_clf_summary m;
	uint32		i;
	Datum		v[5];
	bool		nul[5] = {false, false, false, false, false};

	InitMaterializedSRF(fcinfo, 0);
	c = conf_from_datum(PG_GETARG_DATUM(0));
	conf_counts(c, &tp, &ts, &ps);
	if (!dm_clf_summarize(c->nlabels, tp, ts, ps, &m))
		return (Datum) 0;
	for (i = 0; i < c->nlabels; i++)
	{
		double		p,
					r,
					f;

		dm_prf(tp[i], ts[i], ps[i], &p, &r, &f);
		v[0] = CStringGetTextDatum(label_to_cstring(c, i));
		v[1] = Float8GetDatum(p);
		v[2] = Float8GetDatum(r);
		v[3] = Float8GetDatum(f);
		v[4] = Int64GetDatum(ts[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	}
	v[0] = CStringGetTextDatum("accuracy");
	nul[1] = nul[2] = true;
	v[3] = Float8GetDatum(m.accuracy);
	v[4] = Int64GetDatum(m.n);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	nul[1] = nul[2] = false;
	v[0] = CStringGetTextDatum("macro avg");
	v[1] = Float8GetDatum(m.precision_macro);
	v[2] = Float8GetDatum(m.recall_macro);
	v[3] = Float8GetDatum(m.f1_macro);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	v[0] = CStringGetTextDatum("weighted avg");
	v[1] = Float8GetDatum(m.precision_weighted);
	v[2] = Float8GetDatum(m.recall_weighted);
	v[3] = Float8GetDatum(m.f1_weighted);
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
	return (Datum) 0;
}

/*
 * dm_confusion_matrix
 *		confusion_matrix(c): the dense k x k matrix as (true_label,
 *		predicted_label, n) rows, row-major in label order, zeros included.
 */
Datum
dm_confusion_matrix(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	ConfSorted *c;
	uint32		t,
				p,
				cell = 0;
	Datum		v[3];
	bool		nul[3] = {false, false, false};
	Datum	   *names;

	InitMaterializedSRF(fcinfo, 0);
	c = conf_from_datum(PG_GETARG_DATUM(0));
	names = palloc((Size) Max(c->nlabels, 1) * sizeof(Datum));
	for (t = 0; t < c->nlabels; t++)
		names[t] = CStringGetTextDatum(label_to_cstring(c, t));
	for (t = 0; t < c->nlabels; t++)
	{
		CHECK_FOR_INTERRUPTS();
		for (p = 0; p < c->nlabels; p++)
		{
			int64		n = 0;

			if (cell < c->ncells && c->ct[cell] == t && c->cp[cell] == p)
				n = c->cn[cell++];
			v[0] = names[t];
			v[1] = names[p];
			v[2] = Int64GetDatum(n);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, v, nul);
		}
	}
	return (Datum) 0;
}
