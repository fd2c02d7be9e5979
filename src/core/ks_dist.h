/*
 * ks_dist.h
 *		Null distributions of the Kolmogorov-Smirnov statistics.
 *
 * CONTRACT: implemented in ks_dist.c (two-sample) and ks_kolmogn.c
 * (one-sample Kolmogorov and Smirnov distributions).
 */
#ifndef DM_KS_DIST_H
#define DM_KS_DIST_H

#include <stdint.h>

typedef enum dm_ks_alternative
{
	DM_KS_TWO_SIDED = 0,
	DM_KS_LESS = 1,
	DM_KS_GREATER = 2
} dm_ks_alternative;

typedef enum dm_ks_method
{
	DM_KS_AUTO = 0,
	DM_KS_EXACT = 1,
	DM_KS_ASYMP = 2
} dm_ks_method;

/*
 * p-value of the two-sample statistic D = h / lcm(n1, n2) (0 <= h <= lcm),
 * as scipy.stats.ks_2samp: n1 = reference size, n2 = current size.  The
 * aggregate knows D exactly: D = max |i*n2 - j*n1| / (n1*n2), so
 * h = max |i*n2 - j*n1| / gcd(n1, n2).  AUTO means exact when
 * max(n1, n2) <= 10000, as scipy.  *method_used (may be NULL) receives
 * DM_KS_EXACT or DM_KS_ASYMP.
 */
extern double dm_ks_2samp_pvalue(int64_t n1, int64_t n2, int64_t h,
								 dm_ks_alternative alt, dm_ks_method method,
								 dm_ks_method *method_used);

/* scipy.stats.kstwo.sf(d, n) and .cdf(d, n): one-sample two-sided D_n. */
extern double dm_kstwo_sf(double d, int64_t n);
extern double dm_kstwo_cdf(double d, int64_t n);

/*
 * Additions by the KS work (ks_dist.c, ks_kolmogn.c).
 *
 * dm_smirnov_sf: scipy.special.smirnov(n, d) = P(D_n^+ >= d), one-sample
 * one-sided statistic.
 */
extern double dm_smirnov_sf(int64_t n, double d);

/*
 * dm_ks_2samp_exact: the exact p-value P(D >= h / lcm(n1, n2)) under the
 * null (all C(n1 + n2, n1) orderings equally likely), two-sided or one-sided
 * ("less" and "greater" share one null distribution).  NaN when the
 * arguments are invalid (n1 or n2 < 1, h < 0, h > lcm) or when the exact
 * computation is not feasible (see dm_ks_2samp_exact_feasible).
 */
extern double dm_ks_2samp_exact(int64_t n1, int64_t n2, int64_t h,
								dm_ks_alternative alt);

/*
 * dm_ks_2samp_exact_feasible: whether dm_ks_2samp_exact computes in
 * reasonable time: always for n1 == n2 (closed forms, O(n)), else when the
 * lattice has at most DM_KS_EXACT_MAX_CELLS cells.
 */
#define DM_KS_EXACT_MAX_CELLS 400000000.0
extern int	dm_ks_2samp_exact_feasible(int64_t n1, int64_t n2);

/*
 * dm_ks_2samp_lattice: the exact p-value by the lattice-walk recursion,
 * also for n1 == n2 (where dm_ks_2samp_exact uses closed forms); exposed so
 * tests can check the two against each other.  No feasibility limit.
 */
extern double dm_ks_2samp_lattice(int64_t n1, int64_t n2, int64_t h,
								  dm_ks_alternative alt);

/*
 * dm_ks_2samp_asymp: scipy's asymptotic p-value: two-sided
 * kstwo.sf(D, round(n1 n2 / (n1 + n2))), one-sided Hodges (1958) eq. 5.3.
 */
extern double dm_ks_2samp_asymp(int64_t n1, int64_t n2, int64_t h,
								dm_ks_alternative alt);

#endif							/* DM_KS_DIST_H */
