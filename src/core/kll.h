/*
 * kll.h
 *		A mergeable quantile sketch (KLL compactor hierarchy) with a tracked,
 *		proven rank-error bound, exact while the sample is small.
 *
 * Level h holds items of weight 2^h.  Level capacities shrink geometrically
 * below the top level: cap(h) = max(DM_KLL_MIN_CAP, ceil(k (2/3)^(H-1-h)))
 * with H levels, so the sketch holds at most about 3k + 8H items.  A level
 * over capacity is sorted and compacted: one item of every pair is kept
 * (odd or even positions, by a pseudorandom coin) and promoted with twice
 * the weight; an odd item out stays.  Total weight is conserved exactly:
 * sum_h len[h] 2^h == n, which input validation checks.
 *
 * Error: for any x, one compaction at level h changes the estimated rank of
 * x by 0 or +-2^h.  The sketch records D = sum of 2^h and S = sum of 4^h
 * over all compactions (merges add them up), so
 *   - deterministically |rank error(x)| <= D for every x;
 *   - with fair independent coins (Hoeffding/Azuma), for all x at once,
 *     P(sup_x |rank error(x)| > t) <= 2 n exp(-t^2 / (2 S)) (the error only
 *     changes at the n input values, hence the union over n points).
 * dm_kll_rank_error() returns min(D, sqrt(2 S ln(2 n / delta))) / n with
 * delta = DM_KLL_DELTA, the normalised rank error epsilon.  No compaction
 * (n <= k for a single sketch) means the sketch is exact: epsilon = 0.
 * Coins come from a splitmix64 stream seeded by a fixed seed mixed with the
 * bits of the first values inserted, so results are reproducible for the
 * same input order and merge tree.
 */
#ifndef DM_KLL_H
#define DM_KLL_H

#include <stddef.h>
#include <stdint.h>

#define DM_KLL_DEFAULT_K 1024
#define DM_KLL_MIN_K 16
#define DM_KLL_MAX_K 65536
#define DM_KLL_MIN_CAP 8
#define DM_KLL_MAX_LEVELS 64
#define DM_KLL_DELTA 1e-6

typedef struct dm_kll
{
	uint32_t	k;
	uint32_t	nlevels;
	uint64_t	n;				/* total weight = number of values seen */
	double		det_budget;		/* D: sum over compactions of weight */
	double		var_budget;		/* S: sum over compactions of weight^2 */
	uint64_t	rng;			/* splitmix64 state */
	int			level0_sorted;
	uint32_t	len[DM_KLL_MAX_LEVELS];
	uint32_t	alloc[DM_KLL_MAX_LEVELS];
	double	   *items[DM_KLL_MAX_LEVELS];
} dm_kll;

/* A sorted, weighted view of a sketch for queries. */
typedef struct dm_kll_view
{
	size_t		m;				/* number of items */
	uint64_t	n;				/* total weight */
	double	   *value;			/* ascending */
	uint64_t   *cum;			/* cum[i] = total weight of items 0..i */
	double		lo;				/* value at rank 0 (the sample minimum) */
	double		hi;				/* value at rank n - 1 (the maximum) */
} dm_kll_view;

extern void dm_kll_init(dm_kll *s, uint32_t k);
extern void dm_kll_free(dm_kll *s);
extern uint32_t dm_kll_capacity(uint32_t k, uint32_t h, uint32_t nlevels);

/* Add finite values (the caller filters NaN/inf); compacts as needed. */
extern void dm_kll_add(dm_kll *s, const double *v, size_t n);

/* dst += src (same k required: returns -1 and changes nothing otherwise). */
extern int	dm_kll_merge(dm_kll *dst, const dm_kll *src);

/* Sort level 0 (canonical form before encoding or querying). */
extern void dm_kll_normalize(dm_kll *s);

/* Normalised rank error bound epsilon (0 when exact). */
extern double dm_kll_rank_error(const dm_kll *s);
extern int	dm_kll_is_exact(const dm_kll *s);

/* Number of retained items. */
extern size_t dm_kll_size(const dm_kll *s);

/*
 * Build the view; lo and hi are set to the smallest and largest retained
 * item.  A caller that knows the exact extremes (the profile's min and max)
 * overwrites them, so rank 0 and rank n - 1 are exact (quantile 0 and 1).
 */
extern void dm_kll_view_build(const dm_kll *s, dm_kll_view *v);
extern void dm_kll_view_free(dm_kll_view *v);

/* Weight of values <= x (estimated rank). */
extern uint64_t dm_kll_view_rank(const dm_kll_view *v, double x);

/*
 * Quantile with numpy's default 'linear' interpolation over the weighted
 * sample (an item of weight w counts as w copies): position p (n - 1),
 * interpolate between the values at floor and ceil.  Equals
 * numpy.quantile(x, p) in exact mode, except where the difference of the two
 * neighbours overflows (values near +-DBL_MAX): numpy returns +-inf there, we
 * the finite weighted form a (1 - t) + b t.  Needs n > 0, 0 <= p <= 1.
 */
extern double dm_kll_view_quantile(const dm_kll_view *v, double p);

/*
 * Value at 0-based position r of the expanded sorted sample (r < n); rank 0
 * is v->lo and rank n - 1 is v->hi.
 */
extern double dm_kll_view_at(const dm_kll_view *v, uint64_t r);

#endif							/* DM_KLL_H */
