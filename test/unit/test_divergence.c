/*
 * test_divergence.c
 *		Divergences on hand-computed cases: identical, disjoint, one empty bin,
 *		a two-bin case worked out on paper, and the nearly identical inputs on
 *		which scipy's jensenshannon returns NaN.
 */
#include "tap.h"
#include "divergence.h"

int
main(void)
{
	dm_divergences d;

	{
		double		a[] = {1, 2, 3},
					b[] = {2, 4, 6};

		dm_divergences_compute(a, b, 3, &d);
		tap_close(d.psi, 0.0, 0, 0, "identical proportions: psi = 0");
		tap_close(d.js, 0.0, 0, 0, "identical proportions: js = 0");
		tap_close(d.hellinger, 0.0, 0, 0, "identical proportions: hellinger = 0");
		tap_close(d.tv, 0.0, 0, 0, "identical proportions: tv = 0");
	}
	{
		double		a[] = {5, 0},
					b[] = {0, 7};

		dm_divergences_compute(a, b, 2, &d);
		tap_close(d.js, 1.0, 1e-15, 0, "disjoint supports: js = 1 (base 2)");
		tap_close(d.hellinger, 1.0, 1e-15, 0, "disjoint supports: hellinger = 1");
		tap_close(d.tv, 1.0, 1e-15, 0, "disjoint supports: tv = 1");
		/* psi = (1e-4 - 1) ln(1e-4) + (1 - 1e-4) ln(1e4) = 2 (1 - 1e-4) ln(1e4) */
		tap_close(d.psi, 2 * (1 - 1e-4) * log(1e4), 1e-14, 0, "disjoint supports: smoothed psi");
	}
	{
		/* p = (1/2, 1/2), q = (1/4, 3/4): m = (3/8, 5/8) */
		double		a[] = {1, 1},
					b[] = {1, 3};
		double		js = 0.5 * (0.5 * log2(0.5 / 0.375) + 0.5 * log2(0.5 / 0.625))
		+ 0.5 * (0.25 * log2(0.25 / 0.375) + 0.75 * log2(0.75 / 0.625));
		double		psi = (0.25 - 0.5) * log(0.25 / 0.5) + (0.75 - 0.5) * log(0.75 / 0.5);
		double		kl = 0.5 * log(0.5 / 0.25) + 0.5 * log(0.5 / 0.75);

		dm_divergences_compute(a, b, 2, &d);
		tap_close(d.js, js, 1e-14, 0, "two bins: js by definition");
		tap_close(d.psi, psi, 1e-14, 0, "two bins: psi by definition");
		tap_close(d.kl, kl, 1e-14, 0, "two bins: kl by definition");
		tap_close(d.tv, 0.25, 1e-15, 0, "two bins: tv = 1/4");
		tap_close(d.linf, 0.25, 1e-15, 0, "two bins: linf = 1/4");
		tap_close(d.hellinger, sqrt(((sqrt(0.5) - 0.5) * (sqrt(0.5) - 0.5) +
									 (sqrt(0.5) - sqrt(0.75)) * (sqrt(0.5) - sqrt(0.75))) / 2),
				  1e-14, 0, "two bins: hellinger by definition");
	}
	{
		/* Nearly identical: JS ~ sum (p-q)^2 / (8 m ln 2) to leading order. */
		double		a[] = {1.0, 1.0},
					b[] = {1.0 + 1e-9, 1.0 - 1e-9};
		double		approx = (2 * (0.5e-9 * 0.5e-9) / (8 * 0.5)) / M_LN2;

		dm_divergences_compute(a, b, 2, &d);
		tap_ok(d.js > 0.0 && !isnan(d.js), "nearly identical: js positive, not NaN (%g)", d.js);
		tap_close(d.js, approx, 1e-6, 0, "nearly identical: js matches the series");
	}
	{
		double		a[] = {0, 0},
					b[] = {1, 2};

		dm_divergences_compute(a, b, 2, &d);
		tap_ok(isnan(d.psi) && isnan(d.js), "empty reference side gives NaN for the caller to report");
	}
	return tap_done();
}
