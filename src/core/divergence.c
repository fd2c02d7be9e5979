/*
 * divergence.c
 *		PSI, Jensen-Shannon, KL, Hellinger, total variation and L-infinity
 *		between two histograms (see divergence.h for the definitions).
 */
#include "divergence.h"

#include <float.h>
#include <math.h>

/* side_total: sum of a count vector; NaN if any count is negative or NaN. */
static double
side_total(const double *c, size_t k)
{
	double		s = 0.0;
	size_t		i;

	for (i = 0; i < k; i++)
	{
		if (!(c[i] >= 0.0))
			return NAN;
		s += c[i];
	}
	return s;
}

/* smooth: the documented replacement of an empty proportion. */
static inline double
smooth(double p)
{
	return p == 0.0 ? DM_EMPTY_BIN_PROPORTION : p;
}

/*
 * log_ratio: ln(b / a) for a, b > 0, also when b / a overflows or
 * underflows (or is subnormal) (a proportion of a subnormal count next to the 1e-4 of an
 * empty side): then as ln b - ln a, which is exact enough there since
 * the two logarithms differ by more than 700.
 */
static inline double
log_ratio(double b, double a)
{
	double		r = b / a;

	if (r < DBL_MIN || isinf(r))	/* subnormal ratios lose bits too */
		return log(b) - log(a);
	return log(r);
}

double
dm_psi_term(double p_ref, double p_cur)
{
	double		a = smooth(p_ref);
	double		b = smooth(p_cur);

	return (b - a) * log_ratio(b, a);
}

/* js_term: the bin's contribution to JS in nats, >= 0 by construction. */
static inline double
js_term(double p, double q)
{
	double		s = p + q;
	double		d;

	if (s == 0.0)
		return 0.0;
	d = (p - q) / s;
	if (d >= 1.0 || d <= -1.0)
		return 0.5 * s * M_LN2;	/* one side empty: m * 2 ln 2 / 2 */
	/* m/2 * ((1+d) ln(1+d) + (1-d) ln(1-d)) with m = s/2 */
	return 0.25 * s * ((1.0 + d) * log1p(d) + (1.0 - d) * log1p(-d));
}

/* clamp01: keep a divergence that is bounded in theory bounded in practice. */
static inline double
clamp01(double x)
{
	return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

void
dm_divergences_compute(const double *ref, const double *cur, size_t k,
					   dm_divergences *out)
{
	double		tr = side_total(ref, k);
	double		tc = side_total(cur, k);
	double		psi = 0.0,
				js = 0.0,
				kl = 0.0,
				hel = 0.0,
				tv = 0.0,
				linf = 0.0;
	size_t		linf_i = 0;
	size_t		i;

	if (!(tr > 0.0) || !(tc > 0.0) || isinf(tr) || isinf(tc))
	{
		out->psi = out->js = out->kl = out->hellinger = out->tv = out->linf = NAN;
		out->linf_index = 0;
		return;
	}
	for (i = 0; i < k; i++)
	{
		double		p = ref[i] / tr;
		double		q = cur[i] / tc;
		double		diff = fabs(p - q);
		double		h = sqrt(p) - sqrt(q);

		psi += dm_psi_term(p, q);
		js += js_term(p, q);
		kl += smooth(p) * log_ratio(smooth(p), smooth(q));
		hel += h * h;
		tv += diff;
		if (diff > linf)
		{
			linf = diff;
			linf_i = i;
		}
	}
	out->psi = psi;
	out->js = clamp01(js / M_LN2);
	out->kl = kl;
	out->hellinger = clamp01(sqrt(hel / 2.0));
	out->tv = clamp01(tv / 2.0);
	out->linf = linf;
	out->linf_index = linf_i;
}

double
dm_psi(const double *ref, const double *cur, size_t k)
{
	dm_divergences d;

	dm_divergences_compute(ref, cur, k, &d);
	return d.psi;
}

double
dm_js_divergence(const double *ref, const double *cur, size_t k)
{
	dm_divergences d;

	dm_divergences_compute(ref, cur, k, &d);
	return d.js;
}
