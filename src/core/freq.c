/*
 * freq.c
 *		Exact-then-Misra-Gries category counts and their byte format (freq.h).
 */
#include "freq.h"
#include "dm_core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE 65536

typedef struct chunk
{
	struct chunk *next;
} chunk;

/* hash_bytes: 64-bit multiplicative hash, 8 bytes at a time. */
static uint64_t
hash_bytes(const char *p, size_t len)
{
	uint64_t	h = UINT64_C(0x9E3779B97F4A7C15) ^ (len * UINT64_C(0xC2B2AE3D27D4EB4F));
	size_t		i = 0;

	for (; i + 8 <= len; i += 8)
	{
		uint64_t	w;

		memcpy(&w, p + i, 8);
		h = (h ^ w) * UINT64_C(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	if (i < len)
	{
		uint64_t	w = 0;

		memcpy(&w, p + i, len - i);
		h = (h ^ w) * UINT64_C(0x94D049BB133111EB);
		h ^= h >> 29;
	}
	h = (h ^ (h >> 32)) * UINT64_C(0xD6E8FEB86659FD93);
	return h ^ (h >> 32);
}

/* arena_copy: copy key bytes into the arena (no per-row allocation). */
static const char *
arena_copy(dm_freq *f, const char *key, size_t len)
{
	char	   *d;

	if (len == 0)
		return "";				/* the empty category needs no bytes */
	if (len > f->chunk_free)
	{
		size_t		sz = len + sizeof(chunk) > CHUNK_SIZE ? len + sizeof(chunk) : CHUNK_SIZE;
		chunk	   *c = dm_alloc(sz);

		c->next = f->chunks;
		f->chunks = c;
		f->chunk_ptr = (char *) (c + 1);
		f->chunk_free = sz - sizeof(chunk);
	}
	d = f->chunk_ptr;
	memcpy(d, key, len);
	f->chunk_ptr += len;
	f->chunk_free -= len;
	return d;
}

/* free_chunks: release an arena chain. */
static void
free_chunks(void *head)
{
	chunk	   *c = head;

	while (c)
	{
		chunk	   *next = c->next;

		dm_free(c);
		c = next;
	}
}

/* dm_freq_init: empty counts, 16 slots. */
void
dm_freq_init(dm_freq *f, uint32_t cap)
{
	memset(f, 0, sizeof(*f));
	f->cap = cap;
	f->nslots = 16;
	f->slots = dm_alloc(f->nslots * sizeof(dm_freq_entry));
	memset(f->slots, 0, f->nslots * sizeof(dm_freq_entry));
}

/* dm_freq_free: release table and arena. */
void
dm_freq_free(dm_freq *f)
{
	if (f->slots)
		dm_free(f->slots);
	free_chunks(f->chunks);
	f->slots = NULL;
	f->chunks = NULL;
}

/* find_slot: the slot holding key, or the empty slot where it goes. */
static dm_freq_entry *
find_slot(dm_freq_entry *slots, size_t nslots, uint64_t h, const char *key, size_t len)
{
	size_t		mask = nslots - 1,
				i = (size_t) h & mask;

	for (;;)
	{
		dm_freq_entry *e = &slots[i];

		if (e->count == 0)
			return e;
		if (e->hash == h && e->len == len && (len == 0 || memcmp(e->key, key, len) == 0))
			return e;
		i = (i + 1) & mask;
	}
}

/* grow: double the table. */
static void
grow(dm_freq *f)
{
	size_t		ns = f->nslots * 2,
				i;
	dm_freq_entry *s = dm_alloc(ns * sizeof(dm_freq_entry));

	memset(s, 0, ns * sizeof(dm_freq_entry));
	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].count)
			*find_slot(s, ns, f->slots[i].hash, f->slots[i].key, f->slots[i].len) = f->slots[i];
	dm_free(f->slots);
	f->slots = s;
	f->nslots = ns;
}

/* cmp_desc: qsort comparator for counts, descending. */
static int
cmp_desc(const void *a, const void *b)
{
	uint64_t	x = *(const uint64_t *) a,
				y = *(const uint64_t *) b;

	return (x < y) - (x > y);
}

/*
 * reduce: Misra-Gries step down to at most target categories: subtract the
 * (target+1)-th largest count from all, drop the non-positive, move the
 * subtracted mass to rest; rebuild table and arena.
 */
static void
reduce(dm_freq *f, size_t target)
{
	uint64_t   *counts,
				cstar;
	size_t		i,
				m = 0,
				ns = 16;
	dm_freq_entry *s;
	dm_freq		fresh;

	if (f->used <= target)
		return;
	counts = dm_alloc(f->used * sizeof(uint64_t));
	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].count)
			counts[m++] = f->slots[i].count;
	qsort(counts, m, sizeof(uint64_t), cmp_desc);
	cstar = counts[target];
	dm_free(counts);

	while (ns < 2 * target + 2)
		ns *= 2;
	s = dm_alloc(ns * sizeof(dm_freq_entry));
	memset(s, 0, ns * sizeof(dm_freq_entry));
	memset(&fresh, 0, sizeof(fresh));
	fresh.used = 0;
	for (i = 0; i < f->nslots; i++)
	{
		dm_freq_entry e = f->slots[i];

		if (e.count == 0)
			continue;
		if (e.count <= cstar)
		{
			f->rest += e.count;
			continue;
		}
		f->rest += cstar;
		e.count -= cstar;
		e.key = arena_copy(&fresh, e.key, e.len);
		*find_slot(s, ns, e.hash, e.key, e.len) = e;
		fresh.used++;
	}
	dm_free(f->slots);
	free_chunks(f->chunks);
	f->slots = s;
	f->nslots = ns;
	f->used = fresh.used;
	f->chunks = fresh.chunks;
	f->chunk_ptr = fresh.chunk_ptr;
	f->chunk_free = fresh.chunk_free;
	DM_CHECK_INTERRUPTS();
}

/* insert: add count to a category (no n bookkeeping). */
static void
insert(dm_freq *f, const char *key, size_t len, uint64_t count, uint64_t h)
{
	dm_freq_entry *e = find_slot(f->slots, f->nslots, h, key, len);

	if (e->count)
	{
		e->count += count;
		return;
	}
	e->hash = h;
	e->len = (uint32_t) len;
	e->key = arena_copy(f, key, len);
	e->count = count;
	f->used++;
	if (f->used * 2 > f->nslots)
		grow(f);
	if (f->used > 2 * (size_t) f->cap)
		reduce(f, f->cap);
}

/* dm_freq_add: count one category count times. */
void
dm_freq_add(dm_freq *f, const char *key, size_t len, uint64_t count)
{
	f->n += count;
	insert(f, key, len, count, hash_bytes(key, len));
}

/* dm_freq_merge: add every stored count and the rests; same cap needed. */
int
dm_freq_merge(dm_freq *dst, const dm_freq *src)
{
	size_t		i;

	if (dst->cap != src->cap)
		return -1;
	if (src->n + src->nulls > (uint64_t) INT64_MAX - (dst->n + dst->nulls))
		return -2;
	dst->n += src->n;
	dst->nulls += src->nulls;
	dst->rest += src->rest;
	for (i = 0; i < src->nslots; i++)
		if (src->slots[i].count)
			insert(dst, src->slots[i].key, src->slots[i].len, src->slots[i].count, src->slots[i].hash);
	return 0;
}

/* dm_freq_finish: at most cap categories in a finished profile. */
void
dm_freq_finish(dm_freq *f)
{
	reduce(f, f->cap);
}

/* dm_freq_keycmp: bytewise order, a proper prefix first. */
int
dm_freq_keycmp(const char *a, uint32_t la, const char *b, uint32_t lb)
{
	int			c = memcmp(a, b, la < lb ? la : lb);

	if (c)
		return c;
	return (la > lb) - (la < lb);
}

/* cmp_item: qsort comparator on keys. */
static int
cmp_item(const void *a, const void *b)
{
	const dm_freq_item *x = a,
			   *y = b;

	return dm_freq_keycmp(x->key, x->len, y->key, y->len);
}

/* dm_freq_sorted: the stored categories in key order. */
size_t
dm_freq_sorted(const dm_freq *f, dm_freq_item **out)
{
	dm_freq_item *it = dm_alloc((f->used ? f->used : 1) * sizeof(dm_freq_item));
	size_t		i,
				m = 0;

	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].count)
		{
			it[m].key = f->slots[i].key;
			it[m].len = f->slots[i].len;
			it[m].count = f->slots[i].count;
			m++;
		}
	qsort(it, m, sizeof(dm_freq_item), cmp_item);
	*out = it;
	return m;
}

/* dm_freq_count: stored count of a category. */
uint64_t
dm_freq_count(const dm_freq *f, const char *key, size_t len)
{
	return find_slot(f->slots, f->nslots, hash_bytes(key, len), key, len)->count;
}

/* dm_freq_max_error: rest / (cap + 1), the Misra-Gries bound. */
uint64_t
dm_freq_max_error(const dm_freq *f)
{
	return f->rest / ((uint64_t) f->cap + 1);
}

/* dm_freq_encoded_size: header + (4 + len + 8) per category. */
size_t
dm_freq_encoded_size(const dm_freq *f)
{
	size_t		sz = DM_FREQ_HEADER,
				i;

	for (i = 0; i < f->nslots; i++)
		if (f->slots[i].count)
			sz += 12 + f->slots[i].len;
	return sz;
}

/* dm_freq_encode: the version-1 byte format (categories sorted). */
void
dm_freq_encode(const dm_freq *f, uint8_t *out)
{
	dm_freq_item *it;
	size_t		m = dm_freq_sorted(f, &it),
				i;
	uint8_t    *o = out;

	memcpy(o, DM_FREQ_MAGIC, 4);
	o[4] = DM_FREQ_VERSION;
	o[5] = o[6] = o[7] = 0;
	dm_put_u32(o + 8, f->cap);
	dm_put_u64(o + 12, f->n);
	dm_put_u64(o + 20, f->nulls);
	dm_put_u64(o + 28, f->rest);
	dm_put_u32(o + 36, (uint32_t) m);
	o += DM_FREQ_HEADER;
	for (i = 0; i < m; i++)
	{
		dm_put_u32(o, it[i].len);
		if (it[i].len)
			memcpy(o + 4, it[i].key, it[i].len);
		dm_put_u64(o + 4 + it[i].len, it[i].count);
		o += 12 + it[i].len;
	}
	dm_free(it);
}

#define FAIL(st, ...) \
	do { snprintf(err, errlen, __VA_ARGS__); dm_freq_free(f); return (st); } while (0)

/*
 * dm_freq_decode: parse and validate (see freq.h for every rule checked:
 * lengths, cap range, item count <= cap, counts >= 1 adding up with rest to
 * n without overflow, strictly ascending keys without NUL bytes).
 */
dm_decode_status
dm_freq_decode(const uint8_t *buf, size_t len, dm_freq *f, char *err, size_t errlen)
{
	uint32_t	cap,
				nitems,
				i;
	uint64_t	n,
				sum;
	size_t		pos;
	const uint8_t *prev = NULL;
	uint32_t	prevlen = 0;

	dm_freq_init(f, DM_FREQ_DEFAULT_CAP);
	if (len < 8)
		FAIL(DM_DECODE_CORRUPT, "profile is %zu bytes, shorter than the 8-byte magic and version", len);
	if (memcmp(buf, DM_FREQ_MAGIC, 4) != 0)
		FAIL(DM_DECODE_VERSION, "bad magic: not a categorical profile");
	if (buf[4] != DM_FREQ_VERSION)
		FAIL(DM_DECODE_VERSION, "format version %u is not supported (this library reads version %d)",
			 (unsigned) buf[4], DM_FREQ_VERSION);
	if (buf[5] || buf[6] || buf[7])
		FAIL(DM_DECODE_CORRUPT, "reserved header bytes are not zero");
	if (len < DM_FREQ_HEADER)
		FAIL(DM_DECODE_CORRUPT, "profile is %zu bytes, shorter than the %d-byte header", len, DM_FREQ_HEADER);
	cap = dm_get_u32(buf + 8);
	if (cap < 1 || cap > DM_FREQ_MAX_CAP)
		FAIL(DM_DECODE_PARAM, "parameter cap = %u is outside [1, %d]", cap, DM_FREQ_MAX_CAP);
	n = dm_get_u64(buf + 12);
	f->cap = cap;
	f->n = n;
	f->nulls = dm_get_u64(buf + 20);
	f->rest = dm_get_u64(buf + 28);
	nitems = dm_get_u32(buf + 36);
	/* the SQL accessors return bigint: no count above INT64_MAX */
	if (n > (uint64_t) INT64_MAX || f->nulls > (uint64_t) INT64_MAX - n)
		FAIL(DM_DECODE_CORRUPT, "count %llu plus nulls %llu exceeds the bigint range",
			 (unsigned long long) n, (unsigned long long) f->nulls);
	if (nitems > cap)
		FAIL(DM_DECODE_CORRUPT, "%u categories stored, more than cap = %u", nitems, cap);
	if (f->rest > n)
		FAIL(DM_DECODE_CORRUPT, "rest %llu exceeds the count %llu",
			 (unsigned long long) f->rest, (unsigned long long) n);
	sum = f->rest;
	pos = DM_FREQ_HEADER;
	for (i = 0; i < nitems; i++)
	{
		uint32_t	l;
		uint64_t	c;
		const uint8_t *key;

		if (len - pos < 4)
			FAIL(DM_DECODE_CORRUPT, "truncated at category %u of %u", i, nitems);
		l = dm_get_u32(buf + pos);
		if (len - pos - 4 < (size_t) l + 8)
			FAIL(DM_DECODE_CORRUPT, "category %u (%u bytes) runs past the end", i, l);
		key = buf + pos + 4;
		c = dm_get_u64(buf + pos + 4 + l);
		if (l && memchr(key, 0, l))
			FAIL(DM_DECODE_CORRUPT, "category %u contains a NUL byte", i);
		if (c == 0)
			FAIL(DM_DECODE_CORRUPT, "category %u has a zero count", i);
		if (prev && dm_freq_keycmp((const char *) prev, prevlen, (const char *) key, l) >= 0)
			FAIL(DM_DECODE_CORRUPT, "categories are not strictly ascending at %u", i);
		if (c > n - sum)
			FAIL(DM_DECODE_CORRUPT, "category counts plus rest exceed the count %llu",
				 (unsigned long long) n);
		sum += c;
		dm_freq_add(f, (const char *) key, l, c);
		prev = key;
		prevlen = l;
		pos += 12 + l;
	}
	if (pos != len)
		FAIL(DM_DECODE_CORRUPT, "profile is %zu bytes, expected %zu for %u categories", len, pos, nitems);
	if (sum != n)
		FAIL(DM_DECODE_CORRUPT, "category counts plus rest add up to %llu, but the count is %llu",
			 (unsigned long long) sum, (unsigned long long) n);
	f->n = n;					/* dm_freq_add counted the items again */
	return DM_DECODE_OK;
}
