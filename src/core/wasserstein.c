/*
 * wasserstein.c
 *		First Wasserstein distance between two sorted samples, and the
 *		moments numeric_drift reports.
 */
#include "numeric_core.h"
#include "dm_core.h"

#include <math.h>

/*
 * dm_wasserstein_sorted: walk the distinct merged values x_0 < x_1 < ...;
 * between x_k and x_k+1 the CDFs are i/n1 and j/n2 (counts <= x_k), as
 * scipy's searchsorted(..., 'right') / size.
 */
static double
wasserstein_scaled(const double *a, size_t n1, const double *b, size_t n2,
				   double scale)
{
	size_t		i = 0,
				j = 0;
	size_t		iter = 0;
	dm_ksum		acc = {0.0, 0.0};

	while (i < n1 || j < n2)
	{
		double		x,
					next;

		if (j >= n2 || (i < n1 && a[i] <= b[j]))
			x = a[i];
		else
			x = b[j];
		while (i < n1 && a[i] <= x)
			i++;
		while (j < n2 && b[j] <= x)
			j++;
		if (i >= n1 && j >= n2)
			break;
		if (j >= n2 || (i < n1 && a[i] <= b[j]))
			next = a[i];
		else
			next = b[j];
		dm_ksum_add(&acc, fabs((double) i / (double) n1 - (double) j / (double) n2) *
				 (next * scale - x * scale));
		if (++iter % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
	return acc.s + acc.c;
}

/*
 * dm_wasserstein_rescaled: the scaling policy of every Wasserstein integral
 * (raw samples here, profiles in profile_compare.c), given the largest
 * magnitude among the values and the integral at a chosen scale of the
 * values (at_scale).  When a gap or the sum overflows (values near
 * DBL_MAX), again on halved values (exact scaling) and doubled at the end:
 * the result is then finite if the true distance is, +infinity otherwise
 * (the caller reports that as out of range).  When every value is below
 * 2^-500 in magnitude, the gaps and the products |F_a - F_b| * gap can be
 * subnormal, and each product rounded to the subnormal grid lost up to
 * half of its 4.9e-324 step (2% relative error for samples of about
 * 1e-320, 2e-7 at 1e-315): the sum is then taken on values scaled by 2^600
 * (exact) and scaled back with a single rounding.
 */
double
dm_wasserstein_rescaled(double maxabs, dm_wasserstein_at_scale at_scale,
						const void *arg)
{
	double		w;

	if (maxabs < 0x1p-500)
		return ldexp(at_scale(arg, 0x1p600), -600);
	w = at_scale(arg, 1.0);
	if (isfinite(w))
		return w;
	return 2.0 * at_scale(arg, 0.5);
}

/* The two sorted samples of dm_wasserstein_sorted, for sorted_at_scale. */
typedef struct sorted_pair
{
	const double *a;
	size_t		n1;
	const double *b;
	size_t		n2;
} sorted_pair;

/* sorted_at_scale: wasserstein_scaled of a sorted_pair. */
static double
sorted_at_scale(const void *arg, double scale)
{
	const sorted_pair *p = (const sorted_pair *) arg;

	return wasserstein_scaled(p->a, p->n1, p->b, p->n2, scale);
}

/* dm_wasserstein_sorted: the distance, scaled as dm_wasserstein_rescaled. */
double
dm_wasserstein_sorted(const double *a, size_t n1, const double *b, size_t n2)
{
	sorted_pair p = {a, n1, b, n2};

	return dm_wasserstein_rescaled(fmax(fmax(fabs(a[0]), fabs(a[n1 - 1])),
										fmax(fabs(b[0]), fabs(b[n2 - 1]))),
								   sorted_at_scale, &p);
}

/* dd_div_n: the double-double s + c divided by n, rounded once. */
static double
dd_div_n(double s, double c, size_t n)
{
	double		dn = (double) n;
	double		q = s / dn;
	double		r = fma(-q, dn, s);	/* s - q n, exactly */

	return q + (r + c) / dn;
}

/*
 * dm_mean: the compensated sum s + c (a double-double) divided by n in
 * double-double, so the mean is rounded once, not twice: rounding s + c to
 * a double first and dividing makes the mean of n copies of v differ from v
 * (3 x 0.1 sums to 0.30000000000000004, / 3 = 0.10000000000000002) with a
 * spurious std of ~1e-17.  When the sum overflows (values near DBL_MAX),
 * the values are scaled by 2^-e >= 1/(2n) first (exact for all but
 * subnormals, which cannot matter then) and the mean scaled back.  The
 * result is clamped to [min, max], where the exact mean lies.
 */
double
dm_mean(const double *x, size_t n)
{
	double		lo,
				hi;

	return dm_mean_minmax(x, n, &lo, &hi);
}

/*
 * dm_mean_minmax: dm_mean, also returning the smallest and largest value
 * it finds on the way (callers that need both save a pass over the data).
 */
double
dm_mean_minmax(const double *x, size_t n, double *minp, double *maxp)
{
	dm_ksum		acc = {0.0, 0.0};
	size_t		i;
	double		lo = x[0],
				hi = x[0],
				m;

	for (i = 0; i < n; i++)
	{
		dm_ksum_add(&acc, x[i]);
		if (x[i] < lo)
			lo = x[i];
		if (x[i] > hi)
			hi = x[i];
		if ((i + 1) % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
	if (isfinite(acc.s) && isfinite(acc.c) && isfinite(acc.s + acc.c))
		m = dd_div_n(acc.s, acc.c, n);
	else
	{
		int			e;

		(void) frexp((double) n, &e);	/* n < 2^e */
		e += 1;					/* |sum| <= n DBL_MAX 2^-e < DBL_MAX / 2 */
		acc.s = acc.c = 0.0;
		for (i = 0; i < n; i++)
		{
			dm_ksum_add(&acc, ldexp(x[i], -e));
			if ((i + 1) % DM_INTERRUPT_EVERY == 0)
				DM_CHECK_INTERRUPTS();
		}
		m = ldexp(dd_div_n(acc.s, acc.c, n), e);
	}
	if (m < lo)
		m = lo;
	if (m > hi)
		m = hi;
	*minp = lo;
	*maxp = hi;
	return m;
}

/*
 * corrected_ss: sum of squared deviations from the exact mean, from the
 * sums of d = x - mean and of d^2 about the rounded mean: ss - sd^2 / n
 * (the corrected two-pass formula).  Without the correction the rounding
 * of the mean adds n delta^2, a relative error of (delta / std)^2 in the
 * variance: 1e-9 for values 1e9 + N(0, 1e-3).
 */
static double
corrected_ss(const dm_ksum *ss, const dm_ksum *sd, size_t n)
{
	double		s1 = sd->s + sd->c;
	double		v = (ss->s + ss->c) - s1 * (s1 / (double) n);

	return v > 0.0 ? v : 0.0;
}

/*
 * scaled_ss: the corrected sum of squared deviations of x from mean, at
 * scale 2^-e: the true value is ldexp(result, 2 e).  e = 0 normally; when
 * the squares overflow (spread beyond ~1e154) or underflow (spread below
 * ~1e-125, squares lose bits or vanish) the values are scaled by a power
 * of two near the largest magnitude (exact), so each scaled deviation is at
 * most 4.  Shared by dm_std_sample and dm_m2.
 */
static double
scaled_ss(const double *x, size_t n, double mean, int *e)
{
	dm_ksum		acc = {0.0, 0.0},
				dsum = {0.0, 0.0};
	size_t		i;
	double		big = fabs(mean);
	double		ms;

	*e = 0;
	for (i = 0; i < n; i++)
	{
		double		d = x[i] - mean;

		dm_ksum_add(&acc, d * d);
		dm_ksum_add(&dsum, d);
		if ((i + 1) % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
	if (isfinite(acc.s + acc.c) && isfinite(dsum.s + dsum.c) && acc.s + acc.c > 1e-250)
		return corrected_ss(&acc, &dsum, n);

	for (i = 0; i < n; i++)
		if (fabs(x[i]) > big)
			big = fabs(x[i]);
	(void) frexp(big, e);
	/* ldexp scales exactly; 2^-e itself overflows for subnormal big */
	ms = ldexp(mean, -*e);
	acc.s = acc.c = 0.0;
	dsum.s = dsum.c = 0.0;
	for (i = 0; i < n; i++)
	{
		double		d = ldexp(x[i], -*e) - ms;

		dm_ksum_add(&acc, d * d);
		dm_ksum_add(&dsum, d);
		if ((i + 1) % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
	return corrected_ss(&acc, &dsum, n);
}

/*
 * dm_std_sample: sample standard deviation (ddof = 1) by the corrected
 * two-pass formula; +infinity only if the true std exceeds DBL_MAX.
 */
double
dm_std_sample(const double *x, size_t n, double mean)
{
	int			e;
	double		ss;

	if (n < 2)
		return NAN;
	ss = scaled_ss(x, n, mean, &e);
	return ldexp(sqrt(ss / (double) (n - 1)), e);
}

/*
 * dm_m2: the sum of squared deviations from the mean (Welford's / Chan's
 * M2) by the same corrected two-pass formula, for profiles: the rounding
 * of the mean no longer adds n delta^2 (a relative error of (delta/std)^2,
 * 2e-7 for values 1e6 + N(0, 1e-6)).  Overflows to +infinity and underflows
 * towards 0 only where M2 itself is outside the double range.
 */
double
dm_m2(const double *x, size_t n, double mean)
{
	int			e;
	double		ss;

	if (n < 2)
		return 0.0;
	ss = scaled_ss(x, n, mean, &e);
	return ldexp(ss, 2 * e);
}
