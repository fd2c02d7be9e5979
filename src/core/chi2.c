/*
 * chi2.c
 *		Regularized incomplete gamma functions, the chi-square survival
 *		function and the chi-square test of homogeneity (see chi2.h).
 *
 * The incomplete gamma functions follow the region choice of cephes igam.c
 * as revised in scipy 1.10 (a ~ x: Temme's uniform asymptotic expansion;
 * x > 1.1: the power series of P below a and the Legendre continued
 * fraction of Q above it; x <= 1.1: the power series of P or the
 * cancellation-free series of Q of DLMF 8.7.3), so that the rounding
 * behaviour, not only the mathematics, matches scipy.stats.chi2.sf.  The
 * prefactor x^a e^-x / Gamma(a) is computed without the large cancellation
 * of a ln x - x - ln Gamma(a) when a ~ x (where the sf is not tiny and
 * relative accuracy matters most).
 */
#include "chi2.h"
#include "chi2_temme.h"
#include "dm_core.h"

#include <float.h>
#include <math.h>

#define DM_MACHEP	1.11022302462515654042e-16	/* 2^-53 */
#define DM_MAXLOG	7.09782712893383996843e2	/* ln(DBL_MAX) */
#define DM_LS2PI	0.91893853320467274178		/* ln(sqrt(2 pi)) */
#define DM_MAXITER	2000
#define DM_BIG		4.503599627370496e15		/* 2^52: rescale the fraction */
#define DM_BIGINV	2.22044604925031308085e-16
/* Regions of the asymptotic expansion (scipy 1.10). */
#define DM_SMALL	20.0
#define DM_LARGE	200.0
#define DM_SMALLRATIO 0.3
#define DM_LARGERATIO 4.5

/*
 * dm_lgam
 *		ln Gamma(x), x > 0.  From 13 up, Stirling's series in the arithmetic
 *		order cephes uses ((x - 1/2) ln x - x + ln sqrt(2 pi), then the
 *		correction), so a ln x - x - ln Gamma(a) rounds as in scipy; below
 *		13 the C library's lgamma.
 */
double
dm_lgam(double x)
{
	double		q,
				p;

	if (isnan(x))
		return x;
	if (x < 13.0)
		return lgamma(x);
	if (isinf(x))
		return INFINITY;
	q = (x - 0.5) * log(x) - x + DM_LS2PI;
	if (x > 1.0e8)
		return q;
	p = 1.0 / (x * x);
	/* B2/2 - B4/12 p + B6/30 p^2 - B8/56 p^3 + B10/90 p^4, over x */
	q += ((((p / 1188.0 - 1.0 / 1680.0) * p + 1.0 / 1260.0) * p - 1.0 / 360.0) * p
		  + 1.0 / 12.0) / x;
	return q;
}

/*
 * stirlerr
 *		ln Gamma(a) - ((a - 1/2) ln a - a + ln sqrt(2 pi)) for a >= 15, by
 *		the Stirling series to a^-17 (truncation error below 1e-19).
 */
static double
stirlerr(double a)
{
	static const double c[] = {
		1.0 / 12.0, -1.0 / 360.0, 1.0 / 1260.0, -1.0 / 1680.0, 1.0 / 1188.0,
		-691.0 / 360360.0, 1.0 / 156.0, -3617.0 / 122400.0, 43867.0 / 244188.0
	};
	double		p = 1.0 / (a * a);
	double		s = 0.0;
	int			i;

	for (i = (int) (sizeof(c) / sizeof(c[0])) - 1; i >= 0; i--)
		s = s * p + c[i];
	return s / a;
}

/*
 * log1pmx
 *		ln(1 + x) - x, by its Taylor series when |x| < 1/2 (no cancellation),
 *		else directly.
 */
static double
log1pmx(double x)
{
	if (fabs(x) < 0.5)
	{
		double		xfac = x;
		double		res = 0.0;
		int			n;

		for (n = 2; n < DM_MAXITER; n++)
		{
			double		term;

			xfac *= -x;
			term = xfac / n;
			res += term;
			if (fabs(term) < DM_MACHEP * fabs(res))
				break;
		}
		return res;
	}
	return log1p(x) - x;
}

/*
 * igam_fac
 *		x^a e^-x / Gamma(a).  Far from a ~ x the sf is far in a tail and the
 *		direct exponent is what scipy computes; near a ~ x the exponent is a
 *		difference of large terms, so it is rewritten as
 *		exp(a log1pmx((x - a) / a)) sqrt(a / 2 pi) exp(-stirlerr(a)), or for
 *		small a as x^a e^-x / Gamma(a) with the C library's tgamma.
 */
static double
igam_fac(double a, double x)
{
	double		ax;

	if (fabs(a - x) > 0.4 * fabs(a))
	{
		ax = a * log(x) - x - dm_lgam(a);
		if (ax < -DM_MAXLOG)
			return 0.0;
		return exp(ax);
	}
	if (a < 15.0)
		return pow(x, a) * exp(-x) / tgamma(a);
	{
		/*
		 * a (ln(1 + s) - s) with s = (x - a) / a is up to ~0.06 a here: in
		 * long double (64-bit mantissa on x86) its rounding stays far below
		 * the double result's ulp.  Where long double is double, this is the
		 * same formula with ordinary rounding.
		 */
		long double la = a;
		long double s = ((long double) x - la) / la;
		long double e = la * (log1pl(s) - s) - (long double) stirlerr(a);

		return (double) expl(e) * sqrt(a / (2.0 * M_PI));
	}
}

/* igamc_continued_fraction: Q(a, x) by Legendre's fraction (DLMF 8.9.2). */
static double
igamc_continued_fraction(double a, double x)
{
	double		ans,
				ax,
				c,
				yc,
				r,
				t,
				y,
				z;
	double		pk,
				pkm1,
				pkm2,
				qk,
				qkm1,
				qkm2;
	int			i;

	ax = igam_fac(a, x);
	if (ax == 0.0)
		return 0.0;

	y = 1.0 - a;
	z = x + y + 1.0;
	c = 0.0;
	pkm2 = 1.0;
	qkm2 = x;
	pkm1 = x + 1.0;
	qkm1 = z * x;
	ans = pkm1 / qkm1;

	for (i = 0; i < DM_MAXITER; i++)
	{
		c += 1.0;
		y += 1.0;
		z += 2.0;
		yc = y * c;
		pk = pkm1 * z - pkm2 * yc;
		qk = qkm1 * z - qkm2 * yc;
		if (qk != 0)
		{
			r = pk / qk;
			t = fabs((ans - r) / r);
			ans = r;
		}
		else
			t = 1.0;
		pkm2 = pkm1;
		pkm1 = pk;
		qkm2 = qkm1;
		qkm1 = qk;
		if (fabs(pk) > DM_BIG)
		{
			pkm2 *= DM_BIGINV;
			pkm1 *= DM_BIGINV;
			qkm2 *= DM_BIGINV;
			qkm1 *= DM_BIGINV;
		}
		if (t <= DM_MACHEP)
			break;
	}
	return ans * ax;
}

/* igam_series: P(a, x) by its power series (DLMF 8.11.4). */
static double
igam_series(double a, double x)
{
	double		ans,
				ax,
				c,
				r;
	int			i;

	ax = igam_fac(a, x);
	if (ax == 0.0)
		return 0.0;

	r = a;
	c = 1.0;
	ans = 1.0;
	for (i = 0; i < DM_MAXITER; i++)
	{
		r += 1.0;
		c *= x / r;
		ans += c;
		if (c <= DM_MACHEP * ans)
			break;
	}
	return ans * ax / a;
}

/* lgam1p: ln Gamma(1 + a) (only reached with a <= ~1 below). */
static double
lgam1p(double a)
{
	return lgamma(1.0 + a);
}

/*
 * igamc_series
 *		Q(a, x) for small x by DLMF 8.7.3: 1 - x^a / Gamma(a + 1) plus an
 *		alternating series, arranged so nothing cancels.
 */
static double
igamc_series(double a, double x)
{
	double		fac = 1.0;
	double		sum = 0.0;
	double		term,
				logx;
	int			n;

	for (n = 1; n < DM_MAXITER; n++)
	{
		fac *= -x / n;
		term = fac / (a + n);
		sum += term;
		if (fabs(term) <= DM_MACHEP * fabs(sum))
			break;
	}
	logx = log(x);
	term = -expm1(a * logx - lgam1p(a));
	return term - exp(a * logx - dm_lgam(a)) * sum;
}

/*
 * asymptotic_series
 *		Temme's uniform expansion (DLMF 8.12.3 / 8.12.4) of P (upper = 0) or
 *		Q (upper = 1) for large a with x near a; coefficients in
 *		chi2_temme.h.  Terms are summed while they decrease.
 */
static double
asymptotic_series(double a, double x, int upper)
{
	double		lambda = x / a;
	double		sigma = (x - a) / a;
	double		eta,
				res,
				ck,
				ckterm,
				term,
				absterm;
	double		absoldterm = INFINITY;
	double		etapow[DM_TEMME_N];
	double		sum = 0.0;
	double		afac = 1.0;
	int			sgn = upper ? 1 : -1;
	int			maxpow = 0;
	int			k,
				n;

	etapow[0] = 1.0;
	if (lambda > 1.0)
		eta = sqrt(-2.0 * log1pmx(sigma));
	else if (lambda < 1.0)
		eta = -sqrt(-2.0 * log1pmx(sigma));
	else
		eta = 0.0;
	res = 0.5 * erfc(sgn * eta * sqrt(a / 2.0));

	for (k = 0; k < DM_TEMME_K; k++)
	{
		ck = dm_temme_d[k][0];
		for (n = 1; n < DM_TEMME_N; n++)
		{
			if (n > maxpow)
			{
				etapow[n] = eta * etapow[n - 1];
				maxpow++;
			}
			ckterm = dm_temme_d[k][n] * etapow[n];
			ck += ckterm;
			if (fabs(ckterm) < DM_MACHEP * fabs(ck))
				break;
		}
		term = ck * afac;
		absterm = fabs(term);
		if (absterm > absoldterm)
			break;
		sum += term;
		if (absterm < DM_MACHEP * fabs(sum))
			break;
		absoldterm = absterm;
		afac /= a;
	}
	res += sgn * exp(-0.5 * a * eta * eta) * sum / sqrt(2.0 * M_PI * a);
	return res;
}

/* use_asymptotic: is (a, x) in the region of Temme's expansion? */
static int
use_asymptotic(double a, double x)
{
	double		absxma_a = fabs(x - a) / a;

	if (a > DM_SMALL && a < DM_LARGE && absxma_a < DM_SMALLRATIO)
		return 1;
	if (a > DM_LARGE && absxma_a < DM_LARGERATIO / sqrt(a))
		return 1;
	return 0;
}

/*
 * dm_igam
 *		P(a, x).  Edge cases as scipy: P(0, x > 0) = 1, P(a, 0) = 0,
 *		P(inf, x) = 0, P(a, inf) = 1; negative or NaN arguments give NaN.
 */
double
dm_igam(double a, double x)
{
	if (isnan(a) || isnan(x) || x < 0 || a < 0)
		return NAN;
	if (a == 0)
		return x > 0 ? 1.0 : NAN;
	if (x == 0)
		return 0.0;
	if (isinf(a))
		return isinf(x) ? NAN : 0.0;
	if (isinf(x))
		return 1.0;
	if (use_asymptotic(a, x))
		return asymptotic_series(a, x, 0);
	if (x > 1.0 && x > a)
		return 1.0 - dm_igamc(a, x);
	return igam_series(a, x);
}

/*
 * dm_igamc
 *		Q(a, x).  Edge cases mirror dm_igam.
 */
double
dm_igamc(double a, double x)
{
	if (isnan(a) || isnan(x) || x < 0 || a < 0)
		return NAN;
	if (a == 0)
		return x > 0 ? 0.0 : NAN;
	if (x == 0)
		return 1.0;
	if (isinf(a))
		return isinf(x) ? NAN : 1.0;
	if (isinf(x))
		return 0.0;
	if (use_asymptotic(a, x))
		return asymptotic_series(a, x, 1);
	if (x > 1.1)
	{
		if (x < a)
			return 1.0 - igam_series(a, x);
		return igamc_continued_fraction(a, x);
	}
	if (x <= 0.5)
	{
		if (-0.4 / log(x) < a)
			return 1.0 - igam_series(a, x);
		return igamc_series(a, x);
	}
	if (x * 1.1 < a)
		return 1.0 - igam_series(a, x);
	return igamc_series(a, x);
}

/*
 * dm_chi2_sf
 *		P(X > x) for X ~ chi-square(dof): Q(dof / 2, x / 2), 1 below 0 (as
 *		scipy's chdtrc), NaN for NaN input or dof <= 0.
 */
double
dm_chi2_sf(double x, double dof)
{
	if (isnan(x) || isnan(dof) || !(dof > 0))
		return NAN;
	if (x < 0)
		return 1.0;
	return dm_igamc(dof / 2.0, x / 2.0);
}

/*
 * pairwise_sum
 *		numpy's float64 add.reduce over a contiguous array: eight running
 *		sums for blocks up to 128, recursive halving (at multiples of 8)
 *		above, so the statistic rounds as scipy's does.
 */
static double
pairwise_sum(const double *a, size_t n)
{
	if (n < 8)
	{
		double		res = 0.0;
		size_t		i;

		for (i = 0; i < n; i++)
			res += a[i];
		return res;
	}
	else if (n <= 128)
	{
		double		r[8],
					res;
		size_t		i;

		for (i = 0; i < 8; i++)
			r[i] = a[i];
		for (i = 8; i < n - (n % 8); i += 8)
		{
			r[0] += a[i + 0];
			r[1] += a[i + 1];
			r[2] += a[i + 2];
			r[3] += a[i + 3];
			r[4] += a[i + 4];
			r[5] += a[i + 5];
			r[6] += a[i + 6];
			r[7] += a[i + 7];
		}
		res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
		for (; i < n; i++)
			res += a[i];
		return res;
	}
	else
	{
		size_t		n2 = n / 2;

		n2 -= n2 % 8;
		return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
	}
}

/*
 * dm_chi2_contingency
 *		scipy.stats.chi2_contingency(correction=True) on the 2 x k table of
 *		the non-empty categories (see chi2.h): expected counts, Yates when
 *		dof is 1, the statistic in numpy's summation order, its p-value.
 */
void
dm_chi2_contingency(const double *ref, const double *cur, size_t k,
					dm_chi2_result *out)
{
	double		tr = 0.0,
				tc = 0.0,
				total;
	size_t		i,
				m = 0,
				j;
	double	   *terms;

	out->statistic = NAN;
	out->p_value = NAN;
	out->dof = 0;
	out->valid = 0;
	out->zero_expected = 0;
	for (i = 0; i < k; i++)
	{
		tr += ref[i];
		tc += cur[i];
		if (ref[i] + cur[i] > 0.0)
			m++;
	}
	out->n_categories = m;
	if (!(tr > 0.0) || !(tc > 0.0))
		return;
	out->valid = 1;
	out->dof = (int) (m - 1);
	if (m <= 1)
	{
		out->statistic = 0.0;
		out->p_value = 1.0;
		return;
	}
	total = tr + tc;
	terms = dm_alloc(2 * m * sizeof(double));
	for (i = 0, j = 0; i < k; i++)
	{
		double		col = ref[i] + cur[i];
		double		e_r,
					e_c,
					o_r = ref[i],
					o_c = cur[i];

		if (!(col > 0.0))
			continue;
		e_r = tr * col / total;
		e_c = tc * col / total;
		if (e_r == 0.0 || e_c == 0.0)
		{
			/* 0 / 0 below: no statistic (scipy raises an error) */
			out->zero_expected = 1;
			dm_free(terms);
			return;
		}
		if (m == 2)
		{
			/* Yates: move each observation up to 0.5 towards expected */
			double		d_r = e_r - o_r,
						d_c = e_c - o_c;

			o_r += fmin(0.5, fabs(d_r)) * (d_r > 0 ? 1.0 : (d_r < 0 ? -1.0 : 0.0));
			o_c += fmin(0.5, fabs(d_c)) * (d_c > 0 ? 1.0 : (d_c < 0 ? -1.0 : 0.0));
		}
		terms[j] = (o_r - e_r) * (o_r - e_r) / e_r;
		terms[m + j] = (o_c - e_c) * (o_c - e_c) / e_c;
		j++;
		if ((j & (DM_INTERRUPT_EVERY - 1)) == 0)
			DM_CHECK_INTERRUPTS();
	}
	/*
	 * numpy reduces a long array in buffer-sized blocks of 8192 elements,
	 * pairwise inside each block and sequentially across blocks; the same
	 * order keeps the statistic bit-identical to scipy beyond 4096
	 * categories too.
	 */
	{
		size_t		n = 2 * m,
					s;
		double		acc = 0.0;

		for (s = 0; s < n; s += 8192)
			acc += pairwise_sum(terms + s, n - s < 8192 ? n - s : 8192);
		out->statistic = acc;
	}
	dm_free(terms);
	out->p_value = dm_chi2_sf(out->statistic, (double) out->dof);
}
