/*
 * ks_dist.h
 *		Null distributions of the Kolmogorov-Smirnov statistics.
 *
 * CONTRACT (implemented in ks_dist.c by the KS work; a stub until then).
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

#endif							/* DM_KS_DIST_H */
