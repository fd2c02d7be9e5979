/*
 * divergence.c
 *		PSI, Jensen-Shannon, KL, Hellinger, total variation and L-infinity
 *		between two histograms (see divergence.h for the definitions).
 */
#include "divergence.h"
#include "dm_core.h"

#include <float.h>
#include <math.h>

/*
 * side_total
 *		Sum of a count vector as hi + *lo: hi the sum rounded once, *lo what
 *		rounding left out (compensated summation), so shares of fractional
 *		or huge counts can still be differenced exactly (count_diff); NaN if
 *		any count is negative or NaN.
 */
static double
side_total(const double *c, size_t k, double *lo)
{
	dm_ksum		acc = {0.0, 0.0};
	double		hi;
	size_t		i;

	*lo = 0.0;
	for (i = 0; i < k; i++)
	{
		if (!(c[i] >= 0.0))
			return NAN;
		dm_ksum_add(&acc, c[i]);
	}
	if (isinf(acc.s))
		return acc.s;
	hi = acc.s + acc.c;
	*lo = acc.c - (hi - acc.s);
	return hi;
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

/*
 * count_diff
 *		p - q = a / tr - b / tc for a bin counted on both sides, accurate to a
 *		few ulps also when p and q nearly cancel (nearly identical histograms,
 *		where p - q rounded from the two quotients keeps no correct digit):
 *		the numerator a tc - b tr is formed from the exact products (fma
 *		yields each product's rounding error) and the totals' rounding
 *		residues trl, tcl (side_total), so it is exact to a few ulps also for
 *		fractional counts whose totals round.  Where a product or its
 *		rounding error would leave the normal range, the plain difference.
 */
static inline double
count_diff(double a, double b, double tr, double tc, double trl, double tcl)
{
	double		x = a * tc;
	double		y = b * tr;
	double		den = tr * tc;

	if (isinf(x) || isinf(y) || isinf(den) || den < DBL_MIN ||
		x < 1e-290 || y < 1e-290)
		return a / tr - b / tc;
	return ((x - y) + ((fma(a, tc, -x) - fma(b, tr, -y)) + (a * tcl - b * trl))) / den;
}

/*
 * psi_bin
 *		One bin's PSI term from its proportions p, q and their accurate
 *		difference delta = p - q: (q - p) ln(q / p) = |q - p| ln(hi / lo)
 *		over the smoothed proportions (hi, lo their larger and smaller),
 *		the logarithm as log1p(|q - p| / lo) when hi / lo is at most 1.5 (ln
 *		of the rounded quotient would keep only the digits of its rounding
 *		error there).  Written in |q - p|, hi and lo, the term is the same
 *		double for (p, q) and (q, p): two categories that swap shares have
 *		equal contributions, which category_table then orders by bytes.
 */
static inline double
psi_bin(double p, double q, double delta)
{
	double		a = smooth(p),
				b = smooth(q),
				lo = a < b ? a : b,
				hi = a < b ? b : a,
				ad = (p > 0.0 && q > 0.0) ? fabs(delta) : hi - lo;

	if (ad == 0.0)
		return 0.0;
	if (ad <= 0.5 * lo)
		return ad * log1p(ad / lo);
	return ad * log_ratio(hi, lo);
}

/* dm_psi_term: one bin's PSI term from its proportions (see divergence.h). */
double
dm_psi_term(double p_ref, double p_cur)
{
	return psi_bin(p_ref, p_cur, p_ref - p_cur);
}

/*
 * dm_psi_bin: one bin's PSI term from its counts and the side totals, as
 * dm_divergences_compute sums it (category_table's contributions).
 */
double
dm_psi_bin(double ref, double cur, double tr, double tc)
{
	double		p = ref / tr;
	double		q = cur / tc;

	return psi_bin(p, q, (p > 0.0 && q > 0.0) ? count_diff(ref, cur, tr, tc, 0.0, 0.0) : p - q);
}

/*
 * js_term
 *		The bin's contribution to JS in nats, >= 0 by construction:
 *		m/2 ((1+d) ln(1+d) + (1-d) ln(1-d)) with m = (p+q)/2 and
 *		d = delta / (p + q).  For |d| <= 1/2 the bracket is computed as
 *		2 d atanh(d) + ln(1 - d^2) (about 2 d^2 - d^2: no cancellation; the
 *		two products of the direct form are about +-d and cancel to d^2).
 */
static inline double
js_term(double p, double q, double delta)
{
	double		s = p + q;
	double		d;

	if (s == 0.0)
		return 0.0;
	if (p == 0.0 || q == 0.0)
		return 0.5 * s * M_LN2;	/* one side empty: m * 2 ln 2 / 2 */
	d = delta / s;
	if (d >= 1.0 || d <= -1.0)
		return 0.5 * s * M_LN2;
	if (fabs(d) <= 0.5)
		return 0.25 * s * (2.0 * d * atanh(d) + log1p(-d * d));
	return 0.25 * s * ((1.0 + d) * log1p(d) + (1.0 - d) * log1p(-d));
}

/*
 * kl_excess
 *		(1 + u) ln(1 + u) - u for |u| <= 1/2, by its alternating series
 *		sum_{n>=2} (-u)^n / (n (n - 1)) (no cancellation; about u^2 / 2).
 */
static double
kl_excess(double u)
{
	double		pw = u * u;
	double		s = 0.0;
	int			n;

	for (n = 2; n < 200; n++)
	{
		double		t = pw / ((double) n * (n - 1));

		s += t;
		if (fabs(t) <= 1e-17 * fabs(s))
			break;
		pw *= -u;
	}
	return s;
}

/*
 * kl_bin
 *		The bin's KL(reference || current) term plus (q - p), which sums to 0
 *		over the bins: every term is then >= 0 (or the smoothing's own
 *		value), so a nearly identical pair of histograms gives a small
 *		positive KL instead of the rounding noise of terms of both signs
 *		about |p - q| each (it could even come out negative).  Both sides
 *		non-empty: p ln(p / q) - delta = q ((1+u) ln(1+u) - u), u = delta / q.
 *		One side empty: the smoothed term, plus the raw q - p.
 */
static inline double
kl_bin(double p, double q, double delta)
{
	if (p > 0.0 && q > 0.0)
	{
		double		u = delta / q;

		if (fabs(u) <= 0.5)
			return q * kl_excess(u);
		return p * log_ratio(p, q) - delta;
	}
	if (p == 0.0 && q == 0.0)
		return 0.0;
	return smooth(p) * log_ratio(smooth(p), smooth(q)) - delta;
}

/* clamp01: keep a divergence that is bounded in theory bounded in practice. */
static inline double
clamp01(double x)
{
	return x < 0.0 ? 0.0 : (x > 1.0 ? 1.0 : x);
}

/*
 * dm_divergences_compute
 *		All divergences in one pass.  Each bin's p - q is taken from the
 *		counts (count_diff), so nearly identical histograms keep their
 *		relative accuracy in every divergence; L-infinity and its bin are
 *		over the bins counted on at least one side.
 */
void
dm_divergences_compute(const double *ref, const double *cur, size_t k,
					   dm_divergences *out)
{
	double		trl,
				tcl;
	double		tr = side_total(ref, k, &trl);
	double		tc = side_total(cur, k, &tcl);
	double		psi = 0.0,
				js = 0.0,
				kl = 0.0,
				hel = 0.0,
				tv = 0.0,
				linf = -1.0,
				linf_delta = 0.0;
	size_t		linf_i = 0;
	size_t		i;

	if (!(tr > 0.0) || !(tc > 0.0) || isinf(tr) || isinf(tc))
	{
		out->psi = out->js = out->kl = out->hellinger = out->tv = out->linf = NAN;
		out->linf_delta = NAN;
		out->linf_index = 0;
		return;
	}
	for (i = 0; i < k; i++)
	{
		double		p = ref[i] / tr;
		double		q = cur[i] / tc;
		double		delta,
					h;

		if (p > 0.0 && q > 0.0)
		{
			delta = count_diff(ref[i], cur[i], tr, tc, trl, tcl);
			h = delta / (sqrt(p) + sqrt(q));
		}
		else
		{
			delta = p - q;		/* exact: one side is 0 */
			h = sqrt(p) - sqrt(q);
		}
		psi += psi_bin(p, q, delta);
		js += js_term(p, q, delta);
		kl += kl_bin(p, q, delta);
		hel += h * h;
		tv += fabs(delta);
		if ((p > 0.0 || q > 0.0) && fabs(delta) > linf)
		{
			linf = fabs(delta);
			linf_delta = 0.0 - delta;	/* q - p; +0, not -0, when equal */
			linf_i = i;
		}
	}
	if (linf < 0.0)
		linf = 0.0;
	out->psi = psi;
	out->js = clamp01(js / M_LN2);
	out->kl = kl;
	out->hellinger = clamp01(sqrt(hel / 2.0));
	out->tv = clamp01(tv / 2.0);
	out->linf = linf;
	out->linf_delta = linf_delta;
	out->linf_index = linf_i;
}

/* dm_psi: PSI alone (see dm_divergences_compute). */
double
dm_psi(const double *ref, const double *cur, size_t k)
{
	dm_divergences d;

	dm_divergences_compute(ref, cur, k, &d);
	return d.psi;
}

/* dm_js_divergence: base-2 JS alone (see dm_divergences_compute). */
double
dm_js_divergence(const double *ref, const double *cur, size_t k)
{
	dm_divergences d;

	dm_divergences_compute(ref, cur, k, &d);
	return d.js;
}

/*
 * dm_top_mover_exact
 *		The bin with the largest |q - p| over integer counts, compared
 *		exactly: with p = a / tr and q = b / tc every |p - q| has the
 *		denominator tr tc, so the numerators |a tc - b tr| (128-bit
 *		integers) decide, and shares that tie exactly tie here however their
 *		quotients would round (the first bin wins).  Bins empty on both sides
 *		are skipped.  *delta = q - p of that bin.  -1 when there is no
 *		non-empty bin, a side totals 0, or a count or total is negative or
 *		beyond the int64 range (callers then keep the floating-point choice).
 */
long
dm_top_mover_exact(const int64_t *ref, const int64_t *cur, size_t k, double *delta)
{
	__int128	tr = 0,
				tc = 0,
				best = -1,
				best_num = 0;
	long		top = -1;
	size_t		i;

	for (i = 0; i < k; i++)
	{
		if (ref[i] < 0 || cur[i] < 0)
			return -1;
		tr += ref[i];
		tc += cur[i];
	}
	if (tr <= 0 || tc <= 0 || tr > INT64_MAX || tc > INT64_MAX)
		return -1;
	for (i = 0; i < k; i++)
	{
		__int128	num,
					mag;

		if (ref[i] == 0 && cur[i] == 0)
			continue;
		num = (__int128) cur[i] * tr - (__int128) ref[i] * tc;	/* (q - p) tr tc */
		mag = num < 0 ? -num : num;
		if (mag > best)
		{
			best = mag;
			best_num = num;
			top = (long) i;
		}
	}
	if (top >= 0)
		*delta = (double) best_num / (double) tr / (double) tc;
	return top;
}
