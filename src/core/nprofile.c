/*
 * nprofile.c
 *		Numeric profile moments, merge and byte format (nprofile.h).
 */
#include "nprofile.h"
#include "dm_core.h"
#include "numeric_core.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

/* dm_put_u32: big-endian store. */
void
dm_put_u32(uint8_t *p, uint32_t x)
{
	p[0] = (uint8_t) (x >> 24);
	p[1] = (uint8_t) (x >> 16);
	p[2] = (uint8_t) (x >> 8);
	p[3] = (uint8_t) x;
}

/* dm_put_u64: big-endian store. */
void
dm_put_u64(uint8_t *p, uint64_t x)
{
	dm_put_u32(p, (uint32_t) (x >> 32));
	dm_put_u32(p + 4, (uint32_t) x);
}

/* dm_put_f64: IEEE bits, big-endian. */
void
dm_put_f64(uint8_t *p, double x)
{
	uint64_t	u;

	memcpy(&u, &x, sizeof(u));
	dm_put_u64(p, u);
}

/* dm_get_u32: big-endian load. */
uint32_t
dm_get_u32(const uint8_t *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) |
		((uint32_t) p[2] << 8) | (uint32_t) p[3];
}

/* dm_get_u64: big-endian load. */
uint64_t
dm_get_u64(const uint8_t *p)
{
	return ((uint64_t) dm_get_u32(p) << 32) | dm_get_u32(p + 4);
}

/* dm_get_f64: IEEE bits, big-endian. */
double
dm_get_f64(const uint8_t *p)
{
	uint64_t	u = dm_get_u64(p);
	double		d;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* dm_nprof_init: empty profile. */
void
dm_nprof_init(dm_nprof *p, uint32_t k)
{
	memset(p, 0, sizeof(*p));
	dm_kll_init(&p->kll, k);
}

/* dm_nprof_free: release the sketch. */
void
dm_nprof_free(dm_nprof *p)
{
	dm_kll_free(&p->kll);
}

/*
 * merge_moments: Chan et al.'s pairwise update of (n, mean, M2, min, max);
 * the mean is clamped to [min, max], where the true mean lies, so rounding
 * never puts it outside.  Near the float8 limit the difference of the two
 * means can overflow (1e308 - -1e308): the mean is then the weighted form
 * mean_a na/n + mean_b nb/n, whose terms cannot overflow (clamping the
 * infinite Chan update to min or max gave 1e308 for the mean of 1e308 and
 * -1e308), and the M2 term is evaluated on halved means; M2 is +Infinity
 * only when the sum of squared deviations itself exceeds the float8 range.
 */
static void
merge_moments(dm_nprof *p, uint64_t na, uint64_t nb, double meanb, double m2b,
			  double minb, double maxb)
{
	double		n,
				delta;

	if (nb == 0)
		return;
	if (na == 0)
	{
		p->mean = meanb;
		p->m2 = m2b;
		p->min = minb;
		p->max = maxb;
		return;
	}
	n = (double) na + (double) nb;
	delta = meanb - p->mean;
	if (isfinite(delta))
	{
		double		term = delta * delta * ((double) na / n) * (double) nb;

		/* delta^2 may overflow where delta^2 na nb / n (>= delta^2 / 2) does not */
		if (isinf(term))
			term = delta * (delta * (((double) na / n) * (double) nb));
		p->mean += delta * ((double) nb / n);
		p->m2 += m2b + term;
	}
	else
	{
		double		half = meanb * 0.5 - p->mean * 0.5;	/* exact halving */

		p->mean = p->mean * ((double) na / n) + meanb * ((double) nb / n);
		p->m2 += m2b + 4.0 * (half * half * ((double) na / n) * (double) nb);
	}
	if (minb < p->min)
		p->min = minb;
	if (maxb > p->max)
		p->max = maxb;
	if (p->mean < p->min)
		p->mean = p->min;
	if (p->mean > p->max)
		p->mean = p->max;
}

/*
 * dm_nprof_add: moments of the batch as numeric_drift computes them (mean
 * from a compensated sum rounded once, M2 by the corrected two-pass
 * formula, both robust to values near +-DBL_MAX), merged with Chan's
 * formula; then the sketch.
 */
void
dm_nprof_add(dm_nprof *p, const double *v, size_t n)
{
	double		mn,
				mx,
				mean;

	if (n == 0)
		return;
	mean = dm_mean_minmax(v, n, &mn, &mx);	/* clamped to [mn, mx] */
	if (mn == 0.0)
		mn = 0.0;
	if (mx == 0.0)
		mx = 0.0;
	merge_moments(p, p->kll.n, n, mean, dm_m2(v, n, mean), mn, mx);
	dm_kll_add(&p->kll, v, n);
}

/*
 * dm_nprof_stddev: sample standard deviation (n - 1 denominator); NaN when
 * n < 2.  M2 is a float8: +Infinity once deviations reach about 1.3e154,
 * and below the normal range (bits lost, or 0) when the spread is under
 * about 1e-154, although the standard deviation itself may be far inside
 * the float8 range.  An exact profile keeps every value, so it is then
 * computed again from them as numeric_drift does (scaled corrected two-pass,
 * exact to rounding at both ends).  A sketch cannot recover it: +Infinity
 * (M2 overflowed) or NaN (underflowed), which the caller reports as out of
 * range, as for a standard deviation truly beyond 1.8e308.
 */
double
dm_nprof_stddev(const dm_nprof *p)
{
	size_t		n = (size_t) p->kll.n;
	int			lost;

	if (n < 2)
		return NAN;
	lost = isinf(p->m2) || (p->max > p->min && p->m2 < DBL_MIN);
	if (!lost)
		return sqrt(p->m2 / ((double) n - 1.0));
	if (dm_kll_is_exact(&p->kll) && p->kll.nlevels == 1 && (size_t) p->kll.len[0] == n)
	{
		const double *v = p->kll.items[0];

		return dm_std_sample(v, n, dm_mean(v, n));
	}
	return isinf(p->m2) ? INFINITY : NAN;
}

/* dm_nprof_merge: counts add, moments by Chan, sketches merge. */
int
dm_nprof_merge(dm_nprof *dst, const dm_nprof *src)
{
	uint64_t	na = dst->kll.n;

	if (dst->kll.k != src->kll.k)
		return -1;
	if (src->kll.n + src->nulls + src->nonfinite >
		(uint64_t) INT64_MAX - (dst->kll.n + dst->nulls + dst->nonfinite))
		return -2;
	dst->nulls += src->nulls;
	dst->nonfinite += src->nonfinite;
	merge_moments(dst, na, src->kll.n, src->mean, src->m2, src->min, src->max);
	(void) dm_kll_merge(&dst->kll, &src->kll);
	return 0;
}

/*
 * dm_nprof_view: the sketch's view, with rank 0 and rank n - 1 pinned to the
 * exact min and max the profile carries (a compacted sketch has usually lost
 * them, and quantile(p, 0) / quantile(p, 1) must be numpy's min / max).
 */
void
dm_nprof_view(const dm_nprof *p, dm_kll_view *v)
{
	dm_kll_view_build(&p->kll, v);
	if (p->kll.n > 0)
	{
		/* + 0.0: a hand-written min / max of -0 reads as +0, like the items */
		v->lo = p->min + 0.0;
		v->hi = p->max + 0.0;
	}
}

/* dm_nprof_encoded_size: header + level lengths + items. */
size_t
dm_nprof_encoded_size(const dm_nprof *p)
{
	return DM_NPROF_HEADER + 4 * (size_t) p->kll.nlevels +
		8 * dm_kll_size(&p->kll);
}

/* dm_nprof_encode: the version-1 byte format of nprofile.h. */
void
dm_nprof_encode(dm_nprof *p, uint8_t *out)
{
	const dm_kll *s = &p->kll;
	uint8_t    *o = out;
	uint32_t	h,
				i;

	dm_kll_normalize(&p->kll);
	memcpy(o, DM_NPROF_MAGIC, 4);
	o[4] = DM_NPROF_VERSION;
	o[5] = o[6] = o[7] = 0;
	dm_put_u32(o + 8, s->k);
	dm_put_u64(o + 12, s->n);
	dm_put_u64(o + 20, p->nulls);
	dm_put_u64(o + 28, p->nonfinite);
	dm_put_f64(o + 36, p->min);
	dm_put_f64(o + 44, p->max);
	dm_put_f64(o + 52, p->mean);
	dm_put_f64(o + 60, p->m2);
	dm_put_u64(o + 68, s->rng);
	dm_put_f64(o + 76, s->det_budget);
	dm_put_f64(o + 84, s->var_budget);
	dm_put_u32(o + 92, s->nlevels);
	o += DM_NPROF_HEADER;
	for (h = 0; h < s->nlevels; h++, o += 4)
		dm_put_u32(o, s->len[h]);
	for (h = 0; h < s->nlevels; h++)
		for (i = 0; i < s->len[h]; i++, o += 8)
			dm_put_f64(o, s->items[h][i]);
}

#define FAIL(st, ...) \
	do { snprintf(err, errlen, __VA_ARGS__); dm_nprof_free(p); return (st); } while (0)

/*
 * dm_nprof_decode: parse and validate.  Checks: exact length, magic,
 * version, reserved bytes, k in range, nlevels in [1, 64], each level's
 * length within its capacity, sum len[h] 2^h == n, items finite, ascending
 * within each level and inside [min, max], n == 0 implies zero moments,
 * min <= mean <= max, m2 >= 0 finite, budgets consistent (D integral,
 * D <= S <= D^2, zero iff a single level).
 */
dm_decode_status
dm_nprof_decode(const uint8_t *buf, size_t len, dm_nprof *p, char *err, size_t errlen)
{
	uint32_t	k,
				nlevels,
				h,
				i;
	uint64_t	n,
				weight = 0;
	size_t		need,
				items = 0;
	const uint8_t *o;
	dm_kll	   *s = &p->kll;

	dm_nprof_init(p, DM_KLL_DEFAULT_K);
	if (len < 8)
		FAIL(DM_DECODE_CORRUPT, "profile is %zu bytes, shorter than the 8-byte magic and version", len);
	if (memcmp(buf, DM_NPROF_MAGIC, 4) != 0)
		FAIL(DM_DECODE_VERSION, "bad magic: not a numeric profile");
	if (buf[4] != DM_NPROF_VERSION)
		FAIL(DM_DECODE_VERSION, "format version %u is not supported (this library reads version %d)",
			 (unsigned) buf[4], DM_NPROF_VERSION);
	if (buf[5] || buf[6] || buf[7])
		FAIL(DM_DECODE_CORRUPT, "reserved header bytes are not zero");
	if (len < DM_NPROF_HEADER)
		FAIL(DM_DECODE_CORRUPT, "profile is %zu bytes, shorter than the %d-byte header", len, DM_NPROF_HEADER);
	k = dm_get_u32(buf + 8);
	if (k < DM_KLL_MIN_K || k > DM_KLL_MAX_K)
		FAIL(DM_DECODE_PARAM, "sketch parameter k = %u is outside [%d, %d]", k, DM_KLL_MIN_K, DM_KLL_MAX_K);
	nlevels = dm_get_u32(buf + 92);
	if (nlevels < 1 || nlevels > DM_KLL_MAX_LEVELS)
		FAIL(DM_DECODE_CORRUPT, "level count %u is outside [1, %d]", nlevels, DM_KLL_MAX_LEVELS);
	need = DM_NPROF_HEADER + 4 * (size_t) nlevels;
	if (len < need)
		FAIL(DM_DECODE_CORRUPT, "profile is %zu bytes, too short for %u level lengths", len, nlevels);
	for (h = 0; h < nlevels; h++)
	{
		uint32_t	l = dm_get_u32(buf + DM_NPROF_HEADER + 4 * h);
		uint32_t	cap = dm_kll_capacity(k, h, nlevels);

		if (l > cap)
			FAIL(DM_DECODE_CORRUPT, "level %u holds %u items, more than its capacity %u", h, l, cap);
		if (h >= 63 && l > 0)
			FAIL(DM_DECODE_CORRUPT, "level %u cannot hold items", h);
		if (h < 63 && l > 0 && (uint64_t) l > (UINT64_MAX - weight) >> h)
			FAIL(DM_DECODE_CORRUPT, "total weight overflows");
		if (l > 0)
			weight += (uint64_t) l << h;
		items += l;
	}
	need += 8 * items;
	if (len != need)
		FAIL(DM_DECODE_CORRUPT, "profile is %zu bytes, expected %zu for %zu items in %u levels",
			 len, need, items, nlevels);
	n = dm_get_u64(buf + 12);
	if (weight != n)
		FAIL(DM_DECODE_CORRUPT, "sketch weights add up to %llu, but the count is %llu",
			 (unsigned long long) weight, (unsigned long long) n);

	s->k = k;
	s->n = n;
	s->nlevels = nlevels;
	p->nulls = dm_get_u64(buf + 20);
	p->nonfinite = dm_get_u64(buf + 28);
	p->min = dm_get_f64(buf + 36);
	p->max = dm_get_f64(buf + 44);
	p->mean = dm_get_f64(buf + 52);
	p->m2 = dm_get_f64(buf + 60);
	s->rng = dm_get_u64(buf + 68);
	s->det_budget = dm_get_f64(buf + 76);
	s->var_budget = dm_get_f64(buf + 84);
	/* the SQL accessors return bigint: all rows together within INT64_MAX */
	if (n > (uint64_t) INT64_MAX || p->nulls > (uint64_t) INT64_MAX - n ||
		p->nonfinite > (uint64_t) INT64_MAX - n - p->nulls)
		FAIL(DM_DECODE_CORRUPT, "row counts overflow: n + nulls + nonfinite exceeds the bigint range");
	if (!isfinite(p->min) || !isfinite(p->max) || !isfinite(p->mean) || isnan(p->m2))
		FAIL(DM_DECODE_CORRUPT, "min, max and mean must be finite and m2 not NaN");
	if (n == 0 && (p->min != 0.0 || p->max != 0.0 || p->mean != 0.0 || p->m2 != 0.0))
		FAIL(DM_DECODE_CORRUPT, "an empty profile must have zero min, max, mean and m2");
	if (!(p->min <= p->mean && p->mean <= p->max))
		FAIL(DM_DECODE_CORRUPT, "mean %.17g is not within [min %.17g, max %.17g]",
			 p->mean, p->min, p->max);
	if (p->m2 < 0.0)
		FAIL(DM_DECODE_CORRUPT, "m2 %.17g is negative", p->m2);
	if (!isfinite(s->det_budget) || !isfinite(s->var_budget) ||
		s->det_budget != floor(s->det_budget) ||
		s->det_budget < 0.0 || s->var_budget < s->det_budget ||
		s->var_budget > s->det_budget * s->det_budget ||
		((s->det_budget == 0.0) != (nlevels == 1)))
		FAIL(DM_DECODE_CORRUPT, "error budgets (D = %.17g, S = %.17g) are inconsistent with %u levels",
			 s->det_budget, s->var_budget, nlevels);

	o = buf + DM_NPROF_HEADER + 4 * (size_t) nlevels;
	for (h = 0; h < nlevels; h++)
	{
		uint32_t	l = dm_get_u32(buf + DM_NPROF_HEADER + 4 * h);

		s->len[h] = 0;
		if (l == 0)
			continue;
		s->items[h] = dm_alloc(l * sizeof(double));
		s->alloc[h] = l;
		for (i = 0; i < l; i++, o += 8)
		{
			double		x = dm_get_f64(o);

			if (!isfinite(x))
				FAIL(DM_DECODE_CORRUPT, "level %u item %u is not finite", h, i);
			if (x == 0.0 && signbit(x))
				FAIL(DM_DECODE_CORRUPT, "level %u item %u is -0 (stored as +0)", h, i);
			if (x < p->min || x > p->max)
				FAIL(DM_DECODE_CORRUPT, "level %u item %u (%.17g) is outside [min, max]", h, i, x);
			if (i > 0 && x < s->items[h][i - 1])
				FAIL(DM_DECODE_CORRUPT, "level %u is not sorted at item %u", h, i);
			s->items[h][i] = x;
			s->len[h] = i + 1;
		}
	}
	s->level0_sorted = 1;
	return DM_DECODE_OK;
}
