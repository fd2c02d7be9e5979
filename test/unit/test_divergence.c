/*
 * test_divergence.c
 *		Divergences on hand-computed cases: identical, disjoint, one empty bin,
 *		a two-bin case worked out on paper, the nearly identical inputs on
 *		which scipy's jensenshannon returns NaN, and the PSI = KL + reverse KL
 *		identity on nearly identical integer histograms.
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
		/*
		 * Nearly identical integer histograms (shares agreeing to 8-15
		 * digits), no empty bin: PSI = KL(p || q) + KL(q || p) exactly, and
		 * every divergence is >= 0.  From shares rounded to double, KL was
		 * rounding noise here (terms of both signs of size |p - q|),
		 * sometimes negative, so the identity failed by orders of magnitude.
		 */
		unsigned long long seed = 20261124ULL;
		int			bad = 0,
					negative = 0,
					c;
		double		worst = 0.0;

		for (c = 0; c < 300; c++)
		{
			double		x[8],
						y[8];
			dm_divergences f,
						g;
			int			k = 2 + c % 7,
						i;
			double		scale = pow(10.0, 8 + c % 8);

			for (i = 0; i < k; i++)
			{
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				x[i] = floor(scale * (1.0 + (double) (seed >> 40) / (double) (1ULL << 24)));
				y[i] = x[i] + (double) ((int) ((seed >> 20) % 7) - 3);
			}
			dm_divergences_compute(x, y, (size_t) k, &f);
			dm_divergences_compute(y, x, (size_t) k, &g);
			if (f.kl < 0 || g.kl < 0 || f.js < 0 || f.psi < 0)
				negative++;
			if (f.psi > 0)
			{
				double		e = fabs(f.kl + g.kl - f.psi) / f.psi;

				if (e > worst)
					worst = e;
				if (e > 1e-13)
					bad++;
			}
		}
		tap_ok(negative == 0, "nearly identical histograms: no negative divergence (%d)", negative);
		tap_ok(bad == 0, "nearly identical histograms: psi = kl(p||q) + kl(q||p) within 1e-13 "
			   "(%d of 300 off, worst %.3g)", bad, worst);
	}
	{
		/*
		 * dm_top_mover_exact: a (tr - 1 -> all) and b (1 -> 0) both move by
		 * 1/tr; with tr tc beyond 2^53 the two quotients round apart, the
		 * exact comparison keeps the tie (first bin).  A bin empty on both
		 * sides is never chosen; a side totalling 0 gives -1.
		 */
		int64_t		r[] = {INT64_C(9007199254741346), 1},
					c[] = {INT64_C(9007199254741000), 0},
					e1[] = {0, 5},
					e2[] = {0, 0};
		double		delta = 0.0;
		long		top = dm_top_mover_exact(r, c, 2, &delta);

		tap_ok(top == 0, "exact top mover: a tie at 9e15 rows goes to the first bin (%ld)", top);
		tap_close(delta, 1.0 / 9007199254741347.0, 2e-16, 0, "exact top mover: delta = 1 / tr");
		top = dm_top_mover_exact(e1, e1, 2, &delta);
		tap_ok(top == 1 && delta == 0.0 && !signbit(delta),
			   "exact top mover: a bin empty on both sides is skipped, delta +0 (%ld)", top);
		tap_ok(dm_top_mover_exact(e2, e1, 2, &delta) == -1, "exact top mover: an empty side gives -1");
	}
	{
		double		a[] = {0, 0},
					b[] = {1, 2};

		dm_divergences_compute(a, b, 2, &d);
		tap_ok(isnan(d.psi) && isnan(d.js), "empty reference side gives NaN for the caller to report");
	}
	return tap_done();
}
