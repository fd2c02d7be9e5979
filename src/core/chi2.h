/*
 * chi2.h
 *		Chi-square distribution and the chi-square test of homogeneity on a
 *		2 x k contingency table.
 *
 * dm_chi2_sf(x, dof) = Q(dof / 2, x / 2), the regularized upper incomplete
 * gamma function, computed with the branch structure of cephes igamc as in
 * scipy 1.10 (power series, Legendre continued fraction, the series of DLMF
 * 8.7.3 for small x, and Temme's uniform asymptotic expansion when a ~ x),
 * so it agrees with scipy.stats.chi2.sf to about 1e-13.
 */
#ifndef DM_CHI2_H
#define DM_CHI2_H

#include <stddef.h>

/* Regularized lower incomplete gamma P(a, x); NaN outside a >= 0, x >= 0. */
extern double dm_igam(double a, double x);

/* Regularized upper incomplete gamma Q(a, x) = 1 - P(a, x). */
extern double dm_igamc(double a, double x);

/* log Gamma(x) for x > 0 (Stirling with cephes' split at 13 above). */
extern double dm_lgam(double x);

/* Survival function of the chi-square distribution: P(X > x); x < 0 gives 1. */
extern double dm_chi2_sf(double x, double dof);

typedef struct dm_chi2_result
{
	double		statistic;		/* Pearson statistic (Yates-corrected if dof 1) */
	double		p_value;
	int			dof;			/* k - 1 over the non-empty categories */
	size_t		n_categories;	/* categories with a non-zero total */
	int			valid;			/* 0 if a side is empty (no test possible) */
	int			zero_expected;	/* 1 if an expected count underflowed to 0
								 * (tiny non-integer counts): no statistic,
								 * scipy raises an error there */
} dm_chi2_result;

/*
 * Chi-square test of homogeneity, as scipy.stats.chi2_contingency on the
 * 2 x k table [ref; cur] with correction=True: categories whose two counts
 * are both 0 are ignored; expected = row total * column total / total;
 * Yates' correction (|O - E| reduced by min(0.5, |O - E|)) only when
 * dof == 1; statistic summed in numpy's order (pairwise in 8192-term blocks) over the row-major
 * table.  One category: statistic 0, p 1, dof 0.  An empty side: valid = 0
 * and NaN statistic / p-value.  Counts must be finite and >= 0 (caller
 * checks).
 */
extern void dm_chi2_contingency(const double *ref, const double *cur, size_t k,
								dm_chi2_result *out);

#endif							/* DM_CHI2_H */
