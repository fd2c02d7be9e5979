/*
 * test_chi2.c
 *		The chi-square survival function and incomplete gamma functions on
 *		closed forms (dof 1, 2, 4), on values from mpmath at 40 digits in
 *		every region of the algorithm (small-x series, power series,
 *		continued fraction, Temme's expansion), edge cases, and the
 *		contingency test on tables worked out by hand / with scipy.
 */
#include "tap.h"
#include "chi2.h"

int
main(void)
{
	dm_chi2_result r;
	int			i;

	/*
	 * Closed forms.  In the far tail the prefactor exp(a ln x - x - ln
	 * Gamma(a)) rounds its exponent (~x/2) like scipy does, so the relative
	 * error grows like (x/2) ulp: the tolerance says so.
	 */
	for (i = 0; i < 6; i++)
	{
		double		x = (double[]) {0.01, 0.7, 2.0, 10.0, 75.0, 600.0}[i];
		double		tol = 4e-15 + 2.5e-16 * x;
		char		what[80];

		snprintf(what, sizeof(what), "dof 2: sf(%g) = exp(-x/2)", x);
		tap_close(dm_chi2_sf(x, 2), exp(-x / 2), tol, 0, what);
		snprintf(what, sizeof(what), "dof 1: sf(%g) = erfc(sqrt(x/2))", x);
		tap_close(dm_chi2_sf(x, 1), erfc(sqrt(x / 2)), tol, 0, what);
		snprintf(what, sizeof(what), "dof 4: sf(%g) = exp(-x/2)(1 + x/2)", x);
		tap_close(dm_chi2_sf(x, 4), exp(-x / 2) * (1 + x / 2), tol, 0, what);
	}
	/* ... and there we reproduce scipy 1.10's chdtrc bit for bit */
	tap_ok(dm_chi2_sf(600, 2) == 5.148200222411903e-131, "sf(600, dof 2) == scipy chdtrc");
	tap_ok(dm_chi2_sf(600, 1) == 1.674167984691805e-132, "sf(600, dof 1) == scipy chdtrc");
	tap_ok(dm_chi2_sf(75, 2) == 5.175555005801876e-17, "sf(75, dof 2) == scipy chdtrc");

	/* mpmath gammainc(a, x, inf, regularized=True), 40 digits */
	tap_close(dm_igamc(0.5, 0.3), 0.43857802608099986352, 1e-15, 0, "Q(0.5, 0.3): small-x series");
	tap_close(dm_igamc(1.5, 0.05), 0.99183742373187647779, 1e-15, 0, "Q(1.5, 0.05): 1 - P series");
	tap_close(dm_igam(1.5, 0.05), 0.0081625762681235222123, 1e-14, 0, "P(1.5, 0.05)");
	tap_close(dm_igamc(0.5, 1e-10), 0.999988716208329421, 1e-15, 0, "Q(0.5, 1e-10)");
	tap_close(dm_igamc(3, 50), 2.5093035522010570357e-19, 1e-14, 0, "Q(3, 50): continued fraction, deep tail");
	tap_close(dm_igamc(25, 20), 0.84322737817376227362, 1e-14, 0, "Q(25, 20): Temme (a < 200)");
	tap_close(dm_igamc(100, 90), 0.8417790108135698319, 1e-14, 0, "Q(100, 90): Temme");
	tap_close(dm_igam(100, 90), 0.1582209891864301681, 1e-14, 0, "P(100, 90): Temme");
	tap_close(dm_igamc(100, 130), 0.002750408367306526277, 1e-14, 0, "Q(100, 130): continued fraction");
	tap_close(dm_igamc(250, 400), 3.1770076592385689056e-16, 1e-13, 0, "Q(250, 400): continued fraction");
	tap_close(dm_igamc(5000, 5000), 0.49811936596618264465, 1e-14, 0, "Q(5000, 5000): Temme at a = x");
	tap_close(dm_igamc(5000, 5100), 0.079328881077618976758, 1e-14, 0, "Q(5000, 5100): Temme");
	tap_close(dm_igamc(2500, 2400), 0.97834031213463667059, 1e-14, 0, "Q(2500, 2400): Temme");
	tap_close(dm_igam(2500, 2400), 0.021659687865363329415, 1e-13, 0, "P(2500, 2400): Temme");
	tap_close(dm_chi2_sf(10000, 10000), 0.49811936596618264465, 1e-14, 0, "chi2 sf(10000, dof 10000)");

	/* P + Q = 1 across regions */
	for (i = 0; i < 5; i++)
	{
		double		a = (double[]) {0.5, 3, 40, 300, 4000}[i];
		double		x = a * 1.05 + 0.2;
		char		what[80];

		snprintf(what, sizeof(what), "P + Q = 1 at a = %g, x = %g", a, x);
		tap_close(dm_igam(a, x) + dm_igamc(a, x), 1.0, 4e-15, 0, what);
	}

	/* lgam: Stirling region vs mpmath loggamma */
	tap_close(dm_lgam(13), 19.98721449566188615, 1e-15, 0, "lgam(13)");
	tap_close(dm_lgam(100.5), 361.43554046777762156, 1e-15, 0, "lgam(100.5)");
	tap_close(dm_lgam(1e9), 19723265827.503716771, 1e-15, 0, "lgam(1e9)");
	tap_close(dm_lgam(4.5), lgamma(4.5), 1e-15, 0, "lgam(4.5) = libm lgamma below 13");

	/* edge cases */
	tap_ok(dm_chi2_sf(-1, 3) == 1.0, "sf of a negative x is 1");
	tap_ok(dm_chi2_sf(0, 3) == 1.0, "sf(0) = 1");
	tap_ok(dm_chi2_sf(INFINITY, 3) == 0.0, "sf(inf) = 0");
	tap_ok(dm_chi2_sf(1e6, 3) == 0.0, "sf underflows to 0, not NaN");
	tap_ok(isnan(dm_chi2_sf(NAN, 3)), "sf(NaN) is NaN");
	tap_ok(isnan(dm_chi2_sf(1, 0)) && isnan(dm_chi2_sf(1, -2)), "dof <= 0 gives NaN");
	tap_ok(isnan(dm_igamc(-1, 1)) && isnan(dm_igam(1, -1)), "negative arguments give NaN");

	/* contingency: chi2_contingency([[4,4,2,0],[2,5,0,3]]) */
	{
		double		a[] = {4, 4, 2, 0},
					b[] = {2, 5, 0, 3};

		dm_chi2_contingency(a, b, 4, &r);
		tap_ok(r.valid && r.dof == 3 && r.n_categories == 4, "4 categories: dof 3");
		tap_close(r.statistic, 52.0 / 9.0, 1e-15, 0, "4 categories: statistic 52/9");
		tap_close(r.p_value, 0.12293681887915489, 1e-14, 0, "4 categories: p-value (scipy)");
	}
	{
		/* Yates: E = (7.2222, 7.7778; 5.7778, 6.2222), |O - E| - 0.5 */
		double		a[] = {10, 5},
					b[] = {3, 9};

		dm_chi2_contingency(a, b, 2, &r);
		tap_close(r.statistic, 3.1172390109890107, 1e-14, 0, "dof 1: Yates-corrected statistic (scipy)");
		tap_close(r.p_value, 0.07746794136720692, 1e-14, 0, "dof 1: p-value (scipy)");
	}
	{
		double		a[] = {1, 1},
					b[] = {1, 2};

		dm_chi2_contingency(a, b, 2, &r);
		tap_ok(r.statistic == 0.0 && r.p_value == 1.0, "Yates never overshoots: |O - E| = 0.2 gives 0");
	}
	{
		double		a[] = {0, 7, 0},
					b[] = {0, 3, 0};

		dm_chi2_contingency(a, b, 3, &r);
		tap_ok(r.valid && r.statistic == 0.0 && r.p_value == 1.0 && r.dof == 0 && r.n_categories == 1,
			   "one non-empty category: statistic 0, p 1, dof 0");
	}
	{
		double		a[] = {0, 0},
					b[] = {1, 2};

		dm_chi2_contingency(a, b, 2, &r);
		tap_ok(!r.valid && isnan(r.statistic) && isnan(r.p_value) && r.n_categories == 2,
			   "empty reference side: no test");
	}
	{
		/* 200 categories, statistic summed in numpy's pairwise order */
		double		a[200],
					b[200],
					want = 0.0;

		for (i = 0; i < 200; i++)
		{
			a[i] = 10 + i % 7;
			b[i] = 10 + i % 5;
		}
		dm_chi2_contingency(a, b, 200, &r);
		/* same sum in plain order: equal to rounding */
		for (i = 0; i < 200; i++)
		{
			double		col = a[i] + b[i],
						ta = 0,
						tb = 0,
						ea,
						eb;
			int			j;

			for (j = 0; j < 200; j++)
			{
				ta += a[j];
				tb += b[j];
			}
			ea = ta * col / (ta + tb);
			eb = tb * col / (ta + tb);
			want += (a[i] - ea) * (a[i] - ea) / ea + (b[i] - eb) * (b[i] - eb) / eb;
		}
		tap_ok(r.dof == 199, "200 categories: dof 199");
		tap_close(r.statistic, want, 1e-13, 0, "200 categories: statistic by the definition");
	}
	return tap_done();
}
