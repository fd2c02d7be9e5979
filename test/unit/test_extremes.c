/*
 * test_extremes.c
 *		Unit tests of the numeric core at the edges of the double range:
 *		values near DBL_MAX whose differences, sums and squares overflow,
 *		spreads so small that squares underflow, and subnormals.  Every
 *		result must be finite and right (hand-computed), or +infinity where
 *		the true value is beyond DBL_MAX (the glue turns that into an error).
 */
#include "tap.h"
#include "dm_core.h"
#include "numeric_core.h"

#include <float.h>
#include <math.h>

/* all_finite: every element of v[0..k-1] is finite. */
static int
all_finite(const double *v, size_t k)
{
	size_t		i;

	for (i = 0; i < k; i++)
		if (!isfinite(v[i]))
			return 0;
	return 1;
}

/* sum_of: total of a count vector. */
static double
sum_of(const double *v, size_t k)
{
	double		s = 0.0;
	size_t		i;

	for (i = 0; i < k; i++)
		s += v[i];
	return s;
}

int
main(void)
{
	const double big = 1e308;
	double		pm[2] = {-1e308, 1e308};
	double		pp[2] = {1e308, 1e308};
	double		mx[2] = {-DBL_MAX, DBL_MAX};
	double		one_neg[1] = {-1e308};
	double		one_pos[1] = {1e308};
	double		tiny[2] = {0.0, 1e-300};
	double		sub[3] = {-4.9e-324, 0.0, 4.9e-324};
	double	   *rc,
			   *cc;
	size_t		k;
	int			rule;

	/* quantiles between values of opposite sign near DBL_MAX */
	tap_close(dm_quantile_sorted(pm, 2, 0.5), 0.0, 0.0, 0.0, "p50 of {-1e308, 1e308} is 0");
	tap_close(dm_quantile_sorted(pm, 2, 0.05), -0.9e308, 1e-15, 0.0, "p05 of {-1e308, 1e308} is -9e307");
	tap_close(dm_quantile_sorted(pm, 2, 0.95), 0.9e308, 1e-15, 0.0, "p95 of {-1e308, 1e308} is 9e307");
	tap_close(dm_quantile_sorted(mx, 2, 0.25), -DBL_MAX / 2, 1e-15, 0.0, "p25 of {-DBL_MAX, DBL_MAX} is -DBL_MAX/2");
	tap_close(dm_quantile_sorted(pp, 2, 0.3), big, 0.0, 0.0, "quantile of equal huge values is the value");

	/* mean and std whose plain sums overflow */
	tap_close(dm_mean(pp, 2), big, 0.0, 0.0, "mean of {1e308, 1e308} is 1e308");
	tap_close(dm_mean(pm, 2), 0.0, 0.0, 0.0, "mean of {-1e308, 1e308} is 0");
	tap_close(dm_std_sample(pp, 2, big), 0.0, 0.0, 0.0, "std of {1e308, 1e308} is 0");
	tap_close(dm_std_sample(pm, 2, 0.0), sqrt(2.0) * 1e308, 1e-15, 0.0, "std of {-1e308, 1e308} is sqrt(2) 1e308");
	tap_ok(isinf(dm_std_sample(mx, 2, 0.0)), "std of {-DBL_MAX, DBL_MAX} is beyond DBL_MAX: +inf for the glue to reject");
	/* squares that underflow */
	tap_close(dm_std_sample(tiny, 2, dm_mean(tiny, 2)), 1e-300 / sqrt(2.0), 1e-15, 0.0, "std of {0, 1e-300} is 7.07e-301 (squares underflow)");
	tap_close(dm_std_sample(sub, 3, 0.0), 4.9406564584124654e-324, 0.0, 0.0, "std of {-min, 0, min} subnormal is min subnormal");

	/* wasserstein with gaps that overflow */
	tap_close(dm_wasserstein_sorted(pm, 2, pp, 2), big, 1e-15, 0.0, "W({-1e308,1e308}, {1e308,1e308}) = 1e308");
	tap_ok(isinf(dm_wasserstein_sorted(one_neg, 1, one_pos, 1)), "W({-1e308}, {1e308}) = 2e308 is beyond DBL_MAX: +inf");
	tap_ok(!isnan(dm_wasserstein_sorted(mx, 2, pm, 2)), "W never NaN at the edges");
	tap_close(dm_wasserstein_sorted(tiny, 1, tiny + 1, 1), 1e-300, 0.0, 0.0, "W({0}, {1e-300}) = 1e-300");

	/* histograms over the whole double range: finite edges, every value counted */
	for (rule = 0; rule < 3; rule++)
	{
		k = dm_histogram2(pm, 2, mx, 2, (dm_binning) rule, 10, &rc, &cc);
		tap_ok(k >= 1 && k <= DM_MAX_BINS, "rule %d over +-DBL_MAX: %zu bins", rule, k);
		tap_ok(all_finite(rc, k) && all_finite(cc, k), "rule %d over +-DBL_MAX: finite counts", rule);
		tap_ok(sum_of(rc, k) == 2.0, "rule %d: reference counts sum to 2", rule);
		tap_ok(sum_of(cc, k) == 2.0, "rule %d: current counts sum to 2", rule);
		tap_ok(k >= 2 && cc[0] == 1.0 && cc[k - 1] == 1.0, "rule %d: -DBL_MAX alone in the first bin, DBL_MAX in the last", rule);
		dm_free(rc);
		dm_free(cc);
		k = dm_histogram2(sub, 3, sub + 1, 1, (dm_binning) rule, 10, &rc, &cc);
		tap_ok(sum_of(rc, k) + sum_of(cc, k) == 4.0, "rule %d over subnormals: every value counted", rule);
		dm_free(rc);
		dm_free(cc);
	}
	/* Sturges: the bin count numpy would compute without overflow */
	k = dm_histogram2(pm, 2, pp, 2, DM_BINNING_STURGES, 10, &rc, &cc);
	tap_ok(k == 3, "Sturges over {-1e308, 1e308} x 4 values: ceil(log2(4) + 1) = 3 bins (got %zu)", k);
	tap_ok(rc[0] == 1.0 && rc[k - 1] == 1.0 && cc[k - 1] == 2.0, "Sturges counts [1, 0, 1] / [0, 0, 2]");
	dm_free(rc);
	dm_free(cc);
	return tap_done();
}
