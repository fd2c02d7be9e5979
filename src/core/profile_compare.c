/*
 * profile_compare.c
 *		KS, Wasserstein and quantile-bin histograms between two sketches.
 */
#include "profile_compare.h"
#include "dm_core.h"
#include "numeric_core.h"	/* dm_wasserstein_rescaled */

#include <math.h>
#include <stdlib.h>

/* cdf_at: F(x) of a view. */
static inline double
cdf_at(const dm_kll_view *v, double x)
{
	return (double) dm_kll_view_rank(v, x) / (double) v->n;
}

/* gcd64: Euclid. */
static int64_t
gcd64(int64_t a, int64_t b)
{
	while (b)
	{
		int64_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/*
 * dm_compare_ks: scipy's loop: cddiffs = cdf1(all) - cdf2(all) with all =
 * ref items then cur items; first argmax and first argmin; the minimum side
 * wins only when strictly larger.  With exact views the integer differences
 * r1 n2 - r2 n1 are compared, so the statistic is exact; where two
 * positions (or the two sides) tie exactly, scipy's doubles r1/n1 - r2/n2
 * decide, as in dm_ks_statistic, so location and sign are scipy's (its
 * rounding can make one of two equal fractions the larger).
 */
void
dm_compare_ks(const dm_kll_view *ref, const dm_kll_view *cur, int exact, dm_sketch_ks *out)
{
	double		maxs = -INFINITY,
				mins = INFINITY,
				locmax = 0.0,
				locmin = 0.0;
	int64_t		imax = INT64_MIN,
				imin = INT64_MAX;
	double		fmax = 0.0,
				fmin = 0.0;
	int			pass;
	size_t		i;

	for (pass = 0; pass < 2; pass++)
	{
		const dm_kll_view *v = pass == 0 ? ref : cur;

		for (i = 0; i < v->m; i++)
		{
			double		x = v->value[i];

			if (exact)
			{
				int64_t		r1 = (int64_t) dm_kll_view_rank(ref, x);
				int64_t		r2 = (int64_t) dm_kll_view_rank(cur, x);
				int64_t		diff = r1 * (int64_t) cur->n - r2 * (int64_t) ref->n;
				double		f = (double) r1 / (double) ref->n -
					(double) r2 / (double) cur->n;

				if (diff > imax || (diff == imax && f > fmax))
				{
					imax = diff;
					fmax = f;
					locmax = x;
				}
				if (diff < imin || (diff == imin && f < fmin))
				{
					imin = diff;
					fmin = f;
					locmin = x;
				}
			}
			else
			{
				double		diff = cdf_at(ref, x) - cdf_at(cur, x);

				if (diff > maxs)
				{
					maxs = diff;
					locmax = x;
				}
				if (diff < mins)
				{
					mins = diff;
					locmin = x;
				}
			}
			if ((i & 0xFFFF) == 0xFFFF)
				DM_CHECK_INTERRUPTS();
		}
	}
	if (exact)
	{
		int64_t		g = gcd64((int64_t) ref->n, (int64_t) cur->n);
		int64_t		lcm = (int64_t) ref->n / g * (int64_t) cur->n;
		int64_t		nmin = imin < 0 ? -imin : 0;

		if (nmin > imax || (nmin == imax && imin < 0 && -fmin > fmax))
		{
			out->h = nmin / g;
			out->sign = -1;
			out->location = locmin;
		}
		else
		{
			out->h = imax / g;
			out->sign = 1;
			out->location = locmax;
		}
		out->d = (double) out->h / (double) lcm;
		return;
	}
	mins = mins < 0.0 ? -mins : 0.0;
	if (mins > 1.0)
		mins = 1.0;
	out->h = -1;
	if (mins > maxs)
	{
		out->d = mins;
		out->sign = -1;
		out->location = locmin;
	}
	else
	{
		out->d = maxs;
		out->sign = 1;
		out->location = locmax;
	}
}

/*
 * wasserstein_scaled: integral of |F_ref - F_cur| over the merged sorted
 * values, the step functions being constant between them (scipy's
 * _cdf_distance with p = 1), each step's width multiplied by scale.  The
 * terms and their compensated sum are those of dm_wasserstein_sorted
 * (wasserstein_agg), so two exact profiles give wasserstein_agg's value to
 * the bit over the same rows (a plain sum differed in the last bits).
 */
static double
wasserstein_scaled(const dm_kll_view *ref, const dm_kll_view *cur, double scale)
{
	size_t		i = 0,
				j = 0;
	double		prev = 0.0,
				fr = 0.0,
				fc = 0.0;
	dm_ksum		acc = {0.0, 0.0};
	int			started = 0;

	while (i < ref->m || j < cur->m)
	{
		double		x;

		if (j >= cur->m || (i < ref->m && ref->value[i] <= cur->value[j]))
			x = ref->value[i];
		else
			x = cur->value[j];
		if (started && fr != fc)
			dm_ksum_add(&acc, fabs(fr - fc) * (x * scale - prev * scale));
		while (i < ref->m && ref->value[i] == x)
			i++;
		while (j < cur->m && cur->value[j] == x)
			j++;
		fr = i ? (double) ref->cum[i - 1] / (double) ref->n : 0.0;
		fc = j ? (double) cur->cum[j - 1] / (double) cur->n : 0.0;
		prev = x;
		started = 1;
	}
	return acc.s + acc.c;
}

/* The two views of dm_compare_wasserstein, for views_at_scale. */
typedef struct view_pair
{
	const dm_kll_view *ref;
	const dm_kll_view *cur;
} view_pair;

/* views_at_scale: wasserstein_scaled of a view_pair. */
static double
views_at_scale(const void *arg, double scale)
{
	const view_pair *p = (const view_pair *) arg;

	return wasserstein_scaled(p->ref, p->cur, scale);
}

/*
 * dm_compare_wasserstein: see profile_compare.h.  Scaled as the raw
 * wasserstein_agg (dm_wasserstein_rescaled: halved values when a step
 * overflows, values scaled by 2^600 when all are below 2^-500), so exact
 * profiles give its result to the bit.  Steps where the two CDFs agree add
 * nothing (scipy multiplies 0 by an infinite step and returns NaN there).
 */
double
dm_compare_wasserstein(const dm_kll_view *ref, const dm_kll_view *cur)
{
	view_pair	p = {ref, cur};

	return dm_wasserstein_rescaled(fmax(fmax(fabs(ref->value[0]), fabs(ref->value[ref->m - 1])),
										fmax(fabs(cur->value[0]), fabs(cur->value[cur->m - 1]))),
								   views_at_scale, &p);
}

/* dm_compare_quantile_bins: see profile_compare.h. */
int
dm_compare_quantile_bins(const dm_kll_view *ref, const dm_kll_view *cur,
						 int bins, double *ref_mass, double *cur_mass)
{
	int			nb = 0,
				i;
	double		prev_edge = 0.0;
	uint64_t	prev_r = 0,
				prev_c = 0;

	for (i = 1; i < bins; i++)
	{
		double		e = dm_kll_view_quantile(ref, (double) i / (double) bins);
		uint64_t	r,
					c;

		/* equal edges collapse; never step back (rank differences unsigned) */
		if (nb > 0 && e <= prev_edge)
			continue;
		r = dm_kll_view_rank(ref, e);
		c = dm_kll_view_rank(cur, e);
		ref_mass[nb] = (double) (r - prev_r);
		cur_mass[nb] = (double) (c - prev_c);
		prev_r = r;
		prev_c = c;
		prev_edge = e;
		nb++;
	}
	ref_mass[nb] = (double) (ref->n - prev_r);
	cur_mass[nb] = (double) (cur->n - prev_c);
	return nb + 1;
}
