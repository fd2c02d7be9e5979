/*
 * test_moments.c
 *		Unit tests of the moments numeric_drift reports (dm_mean,
 *		dm_std_sample) against exact arithmetic: the mean of n copies of v
 *		is v and their standard deviation is 0, for every v and n (a sum
 *		rounded to double and then divided by n is not: 3 x 0.1 sums to
 *		0.30000000000000004, and / 3 gives 0.10000000000000002, outside
 *		[min, max], with a spurious std of 1.7e-17); and means of samples
 *		whose exact mean is a double are that double.
 */
#include "tap.h"
#include "numeric_core.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

/* lcg: a small deterministic generator (no libc rand state). */
static unsigned long long lcg_state = 20261124ULL;
static double
lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return (double) (lcg_state >> 11) / 9007199254740992.0;
}

int
main(void)
{
	static const double vals[] = {0.1, 0.3, 0.7, 1.0 / 3.0, 2.0 / 3.0, 1e-5,
		123.456, M_PI, -0.1, 1e300, -7.77e-300, 5e-324, 0.0, 1.7976931348623157e308};
	static const size_t ns[] = {2, 3, 5, 7, 10, 11, 49, 100, 1000, 1486, 1551, 9999};
	size_t		nv = sizeof(vals) / sizeof(vals[0]);
	size_t		nn = sizeof(ns) / sizeof(ns[0]);
	double	   *x = malloc(sizeof(double) * 10000);
	size_t		i,
				j,
				k;
	int			bad_mean = 0,
				bad_std = 0,
				trial;

	for (i = 0; i < nv; i++)
		for (j = 0; j < nn; j++)
		{
			double		m,
						s;

			for (k = 0; k < ns[j]; k++)
				x[k] = vals[i];
			m = dm_mean(x, ns[j]);
			s = dm_std_sample(x, ns[j], m);
			if (m != vals[i] && bad_mean++ < 5)
				printf("#   mean of %zu x %.17g = %.17g\n", ns[j], vals[i], m);
			if (s != 0.0 && bad_std++ < 5)
				printf("#   std of %zu x %.17g = %.17g\n", ns[j], vals[i], s);
		}
	tap_ok(bad_mean == 0, "mean of n copies of v is v (%d of %zu wrong)", bad_mean, nv * nn);
	tap_ok(bad_std == 0, "std of n copies of v is 0 (%d of %zu wrong)", bad_std, nv * nn);

	/* 300 random constants and sizes */
	bad_mean = bad_std = 0;
	for (trial = 0; trial < 300; trial++)
	{
		double		v = (lcg() - 0.5) * pow(10.0, floor(lcg() * 20) - 10);
		size_t		n = 2 + (size_t) (lcg() * 3000);
		double		m;

		for (k = 0; k < n; k++)
			x[k] = v;
		m = dm_mean(x, n);
		if (m != v && bad_mean++ < 5)
			printf("#   mean of %zu x %.17g = %.17g\n", n, v, m);
		if (dm_std_sample(x, n, m) != 0.0)
			bad_std++;
	}
	tap_ok(bad_mean == 0, "mean of 300 random constant samples is the constant (%d wrong)", bad_mean);
	tap_ok(bad_std == 0, "std of 300 random constant samples is 0 (%d wrong)", bad_std);

	/*
	 * Symmetric samples v +- d_k (each pair exact in double): the exact mean
	 * is v.  The deviations are multiples of ulp(v) so v - d and v + d are
	 * exact.
	 */
	bad_mean = 0;
	for (trial = 0; trial < 200; trial++)
	{
		double		v = 0.55 + 0.4 * lcg();
		double		ulp = nextafter(v, 2.0) - v;
		size_t		pairs = 1 + (size_t) (lcg() * 500);

		for (k = 0; k < pairs; k++)
		{
			double		d = ulp * (double) (1 + (int) (lcg() * 1000));

			x[2 * k] = v - d;
			x[2 * k + 1] = v + d;
		}
		if (dm_mean(x, 2 * pairs) != v && bad_mean++ < 5)
			printf("#   mean of %zu values symmetric about %.17g = %.17g\n",
				   2 * pairs, v, dm_mean(x, 2 * pairs));
	}
	tap_ok(bad_mean == 0, "mean of 200 samples symmetric about v is v (%d wrong)", bad_mean);

	/* sums beyond DBL_MAX: the scaled path (was NaN for 3 x DBL_MAX) */
	{
		double		mx3[3] = {DBL_MAX, DBL_MAX, DBL_MAX};
		double		mx4[4] = {DBL_MAX, DBL_MAX, DBL_MAX, -1.0};
		double		mx6[6] = {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, 1e300};
		double		m3 = dm_mean(mx3, 3);

		mx6[3] = mx6[4] = -DBL_MAX;
		tap_ok(m3 == DBL_MAX && dm_std_sample(mx3, 3, m3) == 0.0,
			   "mean of 3 x DBL_MAX is DBL_MAX, std 0 (got %.17g)", m3);
		/* exact (3 DBL_MAX - 1) / 4 and (DBL_MAX + 1e300) / 6, from Python fractions */
		tap_close(dm_mean(mx4, 4), 1.3482698511467367e+308, 0.0, 0.0,
				  "mean of {3 x DBL_MAX, -1} = (3 DBL_MAX - 1) / 4 correctly rounded");
		tap_close(dm_mean(mx6, 6), 2.996155241437193e+307, 0.0, 0.0,
				  "mean of {3 x DBL_MAX, 2 x -DBL_MAX, 1e300} = (DBL_MAX + 1e300) / 6");
	}
	free(x);
	return tap_done();
}
