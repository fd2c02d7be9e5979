/*
 * kll.c
 *		KLL-style quantile sketch with a tracked rank-error budget (kll.h).
 */
#include "kll.h"
#include "dm_core.h"
#include "dm_sort.h"

#include <math.h>
#include <string.h>

#define DM_KLL_SEED UINT64_C(0x9E3779B97F4A7C15)

/* splitmix64: the coin generator (and a good 64-bit mixer). */
static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* dm_kll_init: an empty sketch with top-level capacity k. */
void
dm_kll_init(dm_kll *s, uint32_t k)
{
	memset(s, 0, sizeof(*s));
	s->k = k;
	s->nlevels = 1;
	s->rng = DM_KLL_SEED;
	s->level0_sorted = 1;
}

/* dm_kll_free: release the level arrays. */
void
dm_kll_free(dm_kll *s)
{
	uint32_t	h;

	for (h = 0; h < DM_KLL_MAX_LEVELS; h++)
		if (s->items[h])
			dm_free(s->items[h]);
	memset(s->items, 0, sizeof(s->items));
	memset(s->len, 0, sizeof(s->len));
	memset(s->alloc, 0, sizeof(s->alloc));
}

/*
 * dm_kll_capacity: capacity of level h among nlevels, k (2/3)^depth rounded
 * up, at least DM_KLL_MIN_CAP.  Computed by repeated multiplication so every
 * platform agrees (it is part of input validation).
 */
uint32_t
dm_kll_capacity(uint32_t k, uint32_t h, uint32_t nlevels)
{
	uint32_t	depth = nlevels - 1 - h;
	double		c = (double) k;
	uint32_t	i;

	for (i = 0; i < depth && c > DM_KLL_MIN_CAP; i++)
		c = c * 2.0 / 3.0;
	c = ceil(c);
	if (c < DM_KLL_MIN_CAP)
		c = DM_KLL_MIN_CAP;
	return (uint32_t) c;
}

/* reserve: make room for need items at level h (amortised doubling). */
static void
reserve(dm_kll *s, uint32_t h, size_t need)
{
	size_t		cap = s->alloc[h];
	double	   *p;

	if (need <= cap)
		return;
	cap = cap ? cap : 16;
	while (cap < need)
		cap *= 2;
	p = dm_alloc(cap * sizeof(double));
	if (s->len[h])
		memcpy(p, s->items[h], s->len[h] * sizeof(double));
	if (s->items[h])
		dm_free(s->items[h]);
	s->items[h] = p;
	s->alloc[h] = (uint32_t) cap;
}

/* merge_into: merge sorted src[0..m) into the sorted level h. */
static void
merge_into(dm_kll *s, uint32_t h, const double *src, size_t m)
{
	size_t		a = s->len[h];
	size_t		i,
				j,
				o;
	double	   *d;

	reserve(s, h, a + m);
	d = s->items[h];
	/* merge from the back, in place */
	i = a;
	j = m;
	o = a + m;
	while (j > 0)
	{
		if (i > 0 && d[i - 1] > src[j - 1])
			d[--o] = d[--i];
		else
			d[--o] = src[--j];
	}
	s->len[h] = (uint32_t) (a + m);
}

/*
 * compress: compact every level over capacity, bottom up, adding a level
 * when the top overflows (and sweeping again then, since the capacities of
 * the lower levels shrink).  Each compaction keeps the odd or even positions
 * of the sorted level (one coin), promotes them with doubled weight and
 * leaves the largest item behind when the count is odd.
 */
static void
compress(dm_kll *s)
{
	uint32_t	h;
	uint32_t	levels_before;

again:
	levels_before = s->nlevels;
	for (h = 0; h < s->nlevels; h++)
	{
		uint32_t	cap = dm_kll_capacity(s->k, h, s->nlevels);
		uint32_t	len = s->len[h];
		uint32_t	pairs,
					i,
					off;
		double	   *it = s->items[h];
		double		w;

		if (len <= cap)
			continue;
		if (h == 0 && !s->level0_sorted)
		{
			dm_sort_doubles(it, len);
			s->level0_sorted = 1;
		}
		if (h + 1 == s->nlevels)
		{
			if (s->nlevels == DM_KLL_MAX_LEVELS)
				continue;		/* unreachable: 2^63 weight */
			s->nlevels++;
		}
		pairs = len / 2;
		off = (uint32_t) (splitmix64(&s->rng) >> 63);
		/* promoted items, in place at the front (sorted) */
		for (i = 0; i < pairs; i++)
			it[i] = it[2 * i + off];
		merge_into(s, h + 1, it, pairs);
		it = s->items[h];
		if (len & 1)
		{
			it[0] = it[len - 1];
			s->len[h] = 1;
		}
		else
			s->len[h] = 0;
		w = ldexp(1.0, (int) h);
		s->det_budget += w;
		s->var_budget += w * w;
		if ((h & 7) == 7)
			DM_CHECK_INTERRUPTS();
	}
	/* a new top level shrinks every capacity below it: sweep again */
	if (s->nlevels != levels_before)
		goto again;
}

/* dm_kll_add: append finite values to level 0 and compact. */
void
dm_kll_add(dm_kll *s, const double *v, size_t n)
{
	size_t		i;

	if (n == 0)
		return;
	if (s->n == 0)
	{
		/* decorrelate coin streams of sketches built on different shards */
		uint64_t	bits;

		memcpy(&bits, &v[0], sizeof(bits));
		s->rng ^= bits;
		(void) splitmix64(&s->rng);
	}
	reserve(s, 0, (size_t) s->len[0] + n);
	memcpy(s->items[0] + s->len[0], v, n * sizeof(double));
	for (i = s->len[0]; i < s->len[0] + n; i++)
		if (s->items[0][i] == 0.0)
			s->items[0][i] = 0.0;	/* -0.0 -> +0.0 */
	s->len[0] += (uint32_t) n;
	s->n += n;
	s->level0_sorted = (s->len[0] <= 1);
	compress(s);
}

/* dm_kll_normalize: sort level 0 so the encoding is canonical. */
void
dm_kll_normalize(dm_kll *s)
{
	if (!s->level0_sorted)
	{
		dm_sort_doubles(s->items[0], s->len[0]);
		s->level0_sorted = 1;
	}
}

/* dm_kll_merge: merge level by level, then compact; same k required. */
int
dm_kll_merge(dm_kll *dst, const dm_kll *src)
{
	uint32_t	h;
	uint64_t	mix;

	if (dst->k != src->k)
		return -1;
	if (src->n == 0)
		return 0;
	if (dst->n == 0)
		dst->rng = src->rng;
	else
	{
		mix = dst->rng ^ (src->rng * UINT64_C(0xD6E8FEB86659FD93));
		dst->rng = splitmix64(&mix);
	}
	if (src->nlevels > dst->nlevels)
		dst->nlevels = src->nlevels;
	for (h = 0; h < src->nlevels; h++)
	{
		if (src->len[h] == 0)
			continue;
		if (h == 0)
		{
			reserve(dst, 0, (size_t) dst->len[0] + src->len[0]);
			memcpy(dst->items[0] + dst->len[0], src->items[0],
				   src->len[0] * sizeof(double));
			dst->len[0] += src->len[0];
			dst->level0_sorted = (dst->len[0] <= 1);
		}
		else
			merge_into(dst, h, src->items[h], src->len[h]);
	}
	dst->n += src->n;
	dst->det_budget += src->det_budget;
	dst->var_budget += src->var_budget;
	compress(dst);
	return 0;
}

/* dm_kll_is_exact: no compaction ever happened, every value is retained. */
int
dm_kll_is_exact(const dm_kll *s)
{
	return s->det_budget == 0.0;
}

/* dm_kll_rank_error: min(D, sqrt(2 S ln(2 n / delta))) / n, see kll.h. */
double
dm_kll_rank_error(const dm_kll *s)
{
	double		n = (double) s->n,
				det,
				prob;

	if (s->n == 0 || s->det_budget == 0.0)
		return 0.0;
	det = s->det_budget;
	prob = sqrt(2.0 * s->var_budget * log(2.0 * n / DM_KLL_DELTA));
	return (prob < det ? prob : det) / n;
}

/* dm_kll_size: retained items. */
size_t
dm_kll_size(const dm_kll *s)
{
	size_t		t = 0;
	uint32_t	h;

	for (h = 0; h < s->nlevels; h++)
		t += s->len[h];
	return t;
}

/*
 * dm_kll_view_build: merge the (sorted) levels into one ascending array of
 * values with cumulative weights.  Level 0 must be sorted (normalize).
 */
void
dm_kll_view_build(const dm_kll *s, dm_kll_view *v)
{
	size_t		m = dm_kll_size(s);
	size_t		filled = 0;
	uint32_t	h;
	double	   *tv;
	uint64_t   *tw,
			   *w;
	size_t		i;

	v->m = m;
	v->n = s->n;
	v->value = dm_alloc((m ? m : 1) * sizeof(double));
	v->cum = dm_alloc((m ? m : 1) * sizeof(uint64_t));
	tv = dm_alloc((m ? m : 1) * sizeof(double));
	tw = dm_alloc((m ? m : 1) * sizeof(uint64_t));
	w = v->cum;					/* holds weights until the final pass */
	for (h = 0; h < s->nlevels; h++)
	{
		size_t		a = filled,
					b = s->len[h],
					p = 0,
					q = 0,
					o = 0;
		const double *src = s->items[h];
		uint64_t	wt = (uint64_t) 1 << h;

		/* merge v->value[0..a) (weights w) with src[0..b) into tv/tw */
		while (p < a || q < b)
		{
			if (q >= b || (p < a && v->value[p] <= src[q]))
			{
				tv[o] = v->value[p];
				tw[o++] = w[p++];
			}
			else
			{
				tv[o] = src[q++];
				tw[o++] = wt;
			}
		}
		memcpy(v->value, tv, o * sizeof(double));
		memcpy(w, tw, o * sizeof(uint64_t));
		filled = o;
	}
	for (i = 1; i < m; i++)
		w[i] += w[i - 1];
	v->lo = m ? v->value[0] : 0.0;
	v->hi = m ? v->value[m - 1] : 0.0;
	dm_free(tv);
	dm_free(tw);
}

/* dm_kll_view_free: release a view. */
void
dm_kll_view_free(dm_kll_view *v)
{
	dm_free(v->value);
	dm_free(v->cum);
	v->value = NULL;
	v->cum = NULL;
}

/* dm_kll_view_rank: weight of items <= x, by binary search. */
uint64_t
dm_kll_view_rank(const dm_kll_view *v, double x)
{
	size_t		lo = 0,
				hi = v->m;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (v->value[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo ? v->cum[lo - 1] : 0;
}

/*
 * dm_kll_view_at: value at 0-based position r of the expanded sample.  The
 * first and last positions are the view's exact extremes lo and hi: in
 * sketch mode the minimum and maximum are usually compacted away, and
 * quantile 0 / 1 must still be the minimum / maximum (numpy's).
 */
double
dm_kll_view_at(const dm_kll_view *v, uint64_t r)
{
	size_t		lo = 0,
				hi = v->m - 1;

	if (r == 0)
		return v->lo;
	if (r + 1 >= v->n)
		return v->hi;

	/* first item with cum > r */
	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (v->cum[mid] > r)
			hi = mid;
		else
			lo = mid + 1;
	}
	return v->value[lo];
}

/* dm_kll_view_quantile: numpy 'linear' interpolation, see kll.h. */
double
dm_kll_view_quantile(const dm_kll_view *v, double p)
{
	double		pos = p * (double) (v->n - 1);
	double		fl = floor(pos);
	uint64_t	lo = (uint64_t) fl;
	double		frac = pos - fl;
	double		a = dm_kll_view_at(v, lo),
				b;

	if (frac == 0.0 || lo + 1 >= v->n)
		return a;
	b = dm_kll_view_at(v, lo + 1);
	/*
	 * b - a overflows (|values| near DBL_MAX): the weighted form, finite, as
	 * binning.c does for psi_agg's edges (numpy returns +-inf here, e.g.
	 * [inf, -inf, -inf] for the deciles .1 .5 .9 of {-1e308, 1e308}).
	 */
	if (isinf(b - a))
		return a * (1.0 - frac) + b * frac;
	/* numpy's lerp: a + (b - a) * t, switched form for t >= 0.5 */
	if (frac >= 0.5)
		return b - (b - a) * (1.0 - frac);
	return a + (b - a) * frac;
}
