/*
 * numeric_core.h
 *		Two-sample numeric drift statistics over sorted samples: the exact
 *		Kolmogorov-Smirnov statistic, histogram binning rules, the Wasserstein
 *		distance and numpy-compatible quantiles and moments.
 *
 * Every function takes samples already sorted ascending (dm_sort_doubles),
 * finite (no NaN, no infinity) and non-empty unless stated otherwise.
 */
#ifndef DM_NUMERIC_CORE_H
#define DM_NUMERIC_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "ks_dist.h"

/* ---- ks_stat.c ---- */

typedef struct dm_ks_stat
{
	int64_t		numerator;		/* D * n1 * n2, exactly: max |i*n2 - j*n1| */
	double		statistic;		/* D = h / lcm(n1, n2), correctly rounded */
	double		location;		/* value where D is attained (scipy's rule) */
	int			sign;			/* +1: ref CDF above current; -1 below */
	int64_t		h;				/* numerator / gcd(n1, n2), for the p-value */
} dm_ks_stat;

/*
 * The two-sample KS statistic of scipy.stats.ks_2samp(a, b, alternative),
 * with data1 = a (reference) and data2 = b (current), computed with integer
 * numerators so D is exact.  Location and sign follow scipy 1.10: argmax /
 * argmin of cdf1 - cdf2 over concat(sorted a, sorted b), first occurrence;
 * among exactly tied numerators the double value i/n1 - j/n2 decides, as in
 * scipy.  n1, n2 >= 1.
 */
extern void dm_ks_statistic(const double *a, size_t n1, const double *b, size_t n2,
							dm_ks_alternative alt, dm_ks_stat *out);

extern int64_t dm_gcd64(int64_t a, int64_t b);

/* ---- binning.c ---- */

typedef enum dm_binning
{
	DM_BINNING_QUANTILE = 0,
	DM_BINNING_UNIFORM = 1,
	DM_BINNING_STURGES = 2
} dm_binning;

#define DM_MAX_BINS 10000

/* numpy.quantile(x, q) with the default 'linear' method; x sorted, n >= 1. */
extern double dm_quantile_sorted(const double *x, size_t n, double q);

/*
 * Histogram both samples on the bins of a rule (see README):
 *	QUANTILE: cut points = distinct numpy-linear quantiles of the reference
 *	  at i/bins, i = 1..bins-1; bins (-inf, c1], (c1, c2], ..., (cm, +inf).
 *	UNIFORM: numpy.histogram_bin_edges(concat(a, b), bins) and np.histogram
 *	  counting ([e_i, e_i+1), last bin closed).
 *	STURGES: numpy.histogram_bin_edges(concat(a, b), 'sturges') and
 *	  np.histogram counting (Evidently's PSI); bins is ignored.
 * Allocates *ref_counts and *cur_counts with dm_alloc (caller dm_free's
 * them) and returns the number of bins k >= 1.  n1, n2 >= 1, bins >= 1.
 * Returns 0 (and NULL arrays) when the values span more than a double can
 * hold (the bin width or a quantile overflows), where numpy fails too.
 */
extern size_t dm_histogram2(const double *a, size_t n1, const double *b, size_t n2,
							dm_binning rule, int bins,
							double **ref_counts, double **cur_counts);

/*
 * The same histograms (same edges, same counts) without sorting: the
 * reference quantiles come from a multi-rank quickselect and each value is
 * binned by binary search over the edges.  Reorders a[]; a and b unsorted.
 */
extern size_t dm_histogram2_unsorted(double *a, size_t n1, const double *b, size_t n2,
									 dm_binning rule, int bins,
									 double **ref_counts, double **cur_counts);

/* ---- wasserstein.c ---- */

/*
 * scipy.stats.wasserstein_distance(a, b): integral of |F_a - F_b| over the
 * merged sorted values, with compensated summation.  n1, n2 >= 1.
 */
extern double dm_wasserstein_sorted(const double *a, size_t n1,
									const double *b, size_t n2);

/*
 * The integral of |F_a - F_b| with every value multiplied by scale (a
 * power of two), for dm_wasserstein_rescaled.
 */
typedef double (*dm_wasserstein_at_scale) (const void *arg, double scale);

/*
 * The scaling policy shared by the raw and the profile Wasserstein
 * distances: at scale 1, on values scaled by 2^600 when the largest
 * magnitude maxabs is below 2^-500, on halved values when the sum
 * overflows.
 */
extern double dm_wasserstein_rescaled(double maxabs, dm_wasserstein_at_scale at_scale,
									  const void *arg);

/* Mean with compensated summation (numpy.mean up to rounding); n >= 1. */
extern double dm_mean(const double *x, size_t n);
extern double dm_mean_minmax(const double *x, size_t n, double *minp,
							 double *maxp);

/* Sample standard deviation (ddof = 1), two-pass; NaN when n < 2. */
extern double dm_std_sample(const double *x, size_t n, double mean);

/* Sum of squared deviations from mean (M2), corrected two-pass; 0 when n < 2. */
extern double dm_m2(const double *x, size_t n, double mean);

#endif							/* DM_NUMERIC_CORE_H */
