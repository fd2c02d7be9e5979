/*
 * ks_kolmogn.c
 *		Distribution of the one-sample Kolmogorov-Smirnov statistics:
 *		D_n^+ (Smirnov, one-sided) and D_n (Kolmogorov, two-sided), for a
 *		finite sample size n.
 *
 * These reproduce scipy 1.10's scipy.special.smirnov and
 * scipy.stats.kstwo (scipy/stats/_ksstats.py), branch for branch, so that
 * asymptotic two-sample p-values agree with scipy.stats.ks_2samp to ~1e-13:
 *
 * - Two-sided D_n follows Simard & L'Ecuyer, "Computing the Two-Sided
 *	 Kolmogorov-Smirnov Distribution", J. Stat. Software 39(11), 2011,
 *	 section 3: the Ruben-Gambino closed forms for n*d <= 1 and
 *	 n*d >= n - 1, the exact 2 * P(D_n^+ >= d) for d >= 1/2, the
 *	 Durbin (1968) matrix in the Marsaglia-Tsang-Wang (2003) formulation,
 *	 the Pomeranz (1974) recursion, and the Pelz-Good (1976) asymptotic
 *	 series, chosen by n and n*d^2 with scipy's thresholds.
 * - One-sided D_n^+ is the Smirnov (1944) / Birnbaum-Tingey (1951) sum,
 *	 evaluated in double-double arithmetic with separately kept binary
 *	 exponents as in van Mulbregt, "Computing the Cumulative Distribution
 *	 Function and Quantiles of the One-sided Kolmogorov-Smirnov Statistic",
 *	 arXiv:1802.06966 (2018), which is what scipy's cephes does; every
 *	 32nd term is computed so, the terms between from their predecessor
 *	 by the term ratio in double (4x faster, within 4e-15 of the full sum).
 *
 * The code is written from the papers and from reading scipy's Python;
 * where scipy makes a numerically arbitrary choice (a cut-over point, a
 * scaling constant) we make the same one, because the goal is agreement.
 */
#include "ks_dist.h"
#include "ks_dd.h"

#include <float.h>
#include <math.h>
#include <stdbool.h>

#include "dm_core.h"

/* Cephes' MINLOG with denormals enabled: log(2^-1075). */
#define DM_SMIRNOV_MINLOG (-7.451332191019412076235E2)
/* Beyond this n, scipy's smirnov switches to an approximation. */
#define DM_SMIRNOV_MAX_COMPUTE_N 1000000
/* Upper-sum selection of van Mulbregt (2018), section 4. */
#define DM_SM_UPPER_MAX_TERMS 3
#define DM_SM_UPPERSUM_MIN_N 10
/* Smirnov terms between two computed in full are formed by their ratio. */
#define DM_SM_RESYNC 32

/* Scaling step of the Durbin and Pomeranz recursions: 2^128. */
#define DM_E128 128

/* Stirling series coefficients B_2j / (2j (2j - 1)), j = 8 .. 1. */
static const double dm_stirling_coeffs[8] = {
	-2.955065359477124183e-2, 6.4102564102564102564e-3,
	-1.9175269175269175269e-3, 8.4175084175084175084e-4,
	-5.952380952380952381e-4, 7.9365079365079365079e-4,
	-2.7777777777777777778e-3, 8.3333333333333333333e-2
};

/* dm_clip01: clamp a probability to [0, 1] (NaN passes through). */
static double
dm_clip01(double p)
{
	if (p < 0.0)
		return 0.0;
	if (p > 1.0)
		return 1.0;
	return p;
}

/*
 * dm_dd_pow_scaled: a^m for a > 0 and m >= 0 as mantissa * 2^*expo, the
 * mantissa in [0.5, 1).  Binary powering in double-double with the exponent
 * kept apart, so that (1 - d)^n neither underflows nor loses digits for n up
 * to millions (van Mulbregt 2018, section 3.2, keeps a separate exponent
 * for the same reason).
 */
static dm_dd
dm_dd_pow_scaled(dm_dd a, int64_t m, int64_t *expo)
{
	const double renorm = 0x1p-500;
	dm_dd		r = dm_dd_from(1.0);
	int64_t		er = 0;
	dm_dd		b;
	int64_t		eb;
	int			t;

	/*
	 * Mantissas stay in (2^-500, 1]: renormalising (frexp) only when one
	 * falls below 2^-500 keeps the exponent bookkeeping off the hot path.
	 */
	b = dm_dd_frexp(a, &t);
	eb = t;
	while (m > 0)
	{
		if (m & 1)
		{
			r = dm_dd_mul(r, b);
			er += eb;
			if (r.hi < renorm)
			{
				r = dm_dd_frexp(r, &t);
				er += t;
			}
		}
		m >>= 1;
		if (m > 0)
		{
			b = dm_dd_mul(b, b);
			eb *= 2;
			if (b.hi < renorm)
			{
				b = dm_dd_frexp(b, &t);
				eb += t;
			}
		}
	}
	r = dm_dd_frexp(r, &t);
	*expo = er + t;
	return r;
}

/* dm_dd_scaled_value: mantissa * 2^expo as a double-double (0 if tiny). */
static dm_dd
dm_dd_scaled_value(dm_dd man, int64_t expo)
{
	if (expo < -1200)
		return dm_dd_from(0.0);
	if (expo > 1100)
		return dm_dd_from(INFINITY);
	return dm_dd_ldexp(man, (int) expo);
}

/* dm_dd_pow_value: a^m as a double-double (underflows to 0). */
static dm_dd
dm_dd_pow_value(dm_dd a, int64_t m)
{
	int64_t		e;
	dm_dd		man = dm_dd_pow_scaled(a, m, &e);

	return dm_dd_scaled_value(man, e);
}

/*
 * dm_smirnov_sf: P(D_n^+ >= d), scipy.special.smirnov(n, d).
 *
 * Smirnov's sum over v = 0 .. floor(n (1 - d)) of
 *   d * C(n, v) (d + v/n)^(v-1) (1 - d - v/n)^(n-v),
 * or, when it has at most a few terms and d is small, one minus the
 * complementary "upper" sum (van Mulbregt 2018, sections 2 and 4).  Every
 * term is formed in double-double with a separate binary exponent, and the
 * sum stops once the remaining terms cannot change it.  Closed forms cover
 * d <= 1/n and d >= 1 - 1/n; huge n uses the (6nd + 1)^2 / 18n
 * approximation exactly where scipy does.
 */
double
dm_smirnov_sf(int64_t n, double d)
{
	dm_dd		nx_dd,
				nxfloor_dd;
	double		alpha,
				sf;
	int64_t		nxfl,
				n1mxfl,
				n1mxceil;
	bool		upper;

	if (!(n > 0 && d >= 0.0 && d <= 1.0))
		return NAN;
	if (n == 1)
		return 1.0 - d;
	if (d == 0.0)
		return 1.0;
	if (d == 1.0)
		return 0.0;

	/* floor(n d) and its fractional part, exactly. */
	nx_dd = dm_two_prod((double) n, d);
	nxfloor_dd = dm_dd_floor(nx_dd);
	alpha = dm_dd_to_double(dm_dd_sub(nx_dd, nxfloor_dd));
	nxfl = (int64_t) nxfloor_dd.hi + (int64_t) nxfloor_dd.lo;
	if (alpha >= 1.0)
	{
		nxfl += 1;
		alpha = 0.0;
	}

	n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
	n1mxceil = n - nxfl;
	if (alpha == 0)
	{
		n1mxfl -= 1;
		n1mxceil += 1;
	}

	/* d <= 1/n: P(D^+ < d) = d (1 + d)^(n-1). */
	if (nxfl == 0 || (nxfl == 1 && alpha == 0))
	{
		dm_dd		t = dm_dd_pow_value(dm_dd_add_d(dm_dd_from(1.0), d), n - 1);

		return dm_clip01(1.0 - d * dm_dd_to_double(t));
	}
	/* The survival function underflows. */
	if (-2.0 * n * d * d < DM_SMIRNOV_MINLOG)
		return 0.0;
	/* d >= 1 - 1/n: (1 - d)^n. */
	if (nxfl >= n - 1)
		return dm_clip01(dm_dd_to_double(dm_dd_pow_value(dm_two_sum(1.0, -d), n)));
	/* Huge n: scipy's approximation p ~ exp(-(6nd + 1)^2 / 18n). */
	if (n > DM_SMIRNOV_MAX_COMPUTE_N)
	{
		double		logp = -pow(6.0 * n * d + 1, 2) / 18.0 / n;

		if (logp < -M_LN2)
			sf = exp(logp);
		else
			sf = 1.0 - (-expm1(logp));
		return dm_clip01(sf);
	}

	{
		int64_t		n_upper_terms = n - n1mxceil + 1;

		upper = (n_upper_terms <= 1 && d < 0.5);
		upper = upper || (n >= DM_SM_UPPERSUM_MIN_N &&
						  n_upper_terms <= DM_SM_UPPER_MAX_TERMS &&
						  d <= 0.5 / sqrt((double) n));
	}

	{
		int64_t		start = 0,
					step = 1,
					nterms = n1mxfl + 1,
					j,
					vmid = n / 2;
		dm_dd		cman = dm_dd_from(1.0);
		int64_t		cexp = 0;
		dm_dd		sum,
					aj;
		double		prob;
		int			t;
		double		rman = 0.0,	/* current term: rman * 2^rexp */
					px = 0.0,	/* d + v/n and 1 - d - v/n of that term */
					py = 0.0;
		int64_t		rexp = 0;

		if (upper)
		{
			start = n;
			step = -1;
			nterms = n - n1mxceil + 1;
			/* v = n: (1 + d)^(n-1) */
			aj = dm_dd_pow_value(dm_dd_add_d(dm_dd_from(1.0), d), n - 1);
		}
		else
		{
			/* v = 0: (1 - d)^n / d */
			aj = dm_dd_div(dm_dd_pow_value(dm_two_sum(1.0, -d), n),
						   dm_dd_from(d));
		}
		sum = aj;

		/* C(n, 1) */
		cman = dm_dd_frexp(dm_dd_from((double) n), &t);
		cexp = t;

		for (j = 1; j < nterms; j++)
		{
			int64_t		v = start + j * step;
			int64_t		e1,
						e2;
			dm_dd		t1x,
						t2x,
						t1,
						t2,
						prod;

			/* 1 - d - v/n and d + v/n */
			t2x = dm_dd_add_d(dm_dd_div_d_d((double) (n - v), (double) n), -d);
			t1x = dm_dd_add_d(dm_dd_div_d_d((double) v, (double) n), d);
			if (upper || j % DM_SM_RESYNC == 1 || rman == 0.0)
			{
				/* the term itself, in double-double powers */
				t2 = dm_dd_pow_scaled(t2x, n - v, &e2);
				t1 = dm_dd_pow_scaled(t1x, v - 1, &e1);
				prod = dm_dd_mul(dm_dd_mul(t1, t2), cman);
				prod = dm_dd_frexp(prod, &t);
				rman = prod.hi;
				rexp = cexp + e1 + e2 + t;
				aj = dm_dd_scaled_value(prod, rexp);
			}
			else
			{
				/*
				 * The term from the previous one (v - 1 -> v, x = d + (v-1)/n,
				 * y = 1 - x):  T_v / T_{v-1} = (n - v + 1) / v * x / y *
				 * (1 + 1/(n x))^(v-1) * (1 - 1/(n y))^(n-v).  Both exponents
				 * are at most about 1 in magnitude, so each ratio is good to
				 * a few ulps; the exact form every DM_SM_RESYNC terms bounds
				 * the drift (about 1e-14 relative, far inside the sum's
				 * tolerance against scipy), at a quarter of the cost.
				 */
				double		x = px,
							y = py;
				double		r = (double) (n - v + 1) / (double) v * (x / y) *
					exp((double) (v - 1) * log1p(1.0 / ((double) n * x)) +
						(double) (n - v) * log1p(-1.0 / ((double) n * y)));

				rman *= r;
				rman = frexp(rman, &t);
				rexp += t;
				aj = dm_dd_scaled_value(dm_dd_from(rman), rexp);
			}
			px = dm_dd_to_double(t1x);
			py = dm_dd_to_double(t2x);
			if (isfinite(aj.hi) && aj.hi != 0.0)
				sum = dm_dd_add(sum, aj);

			/* Stop once the remaining terms cannot matter. */
			if (aj.hi != 0.0)
			{
				if (4.0 * (double) (nterms - j) * fabs(aj.hi) <
					DBL_EPSILON * dm_dd_to_double(sum) && j != nterms - 1)
					break;
			}
			else if (j > vmid)
				break;

			if ((j & 65535) == 0)
				DM_CHECK_INTERRUPTS();

			/* C(n, j + 1) = C(n, j) (n - j) / (j + 1) */
			cman = dm_dd_mul(cman, dm_dd_div_d_d((double) (n - j), (double) (j + 1)));
			cman = dm_dd_frexp(cman, &t);
			cexp += t;
		}

		prob = dm_dd_to_double(dm_dd_mul_d(sum, d));
		if (upper)
			sf = 1.0 - prob;
		else
			sf = prob;
	}
	return dm_clip01(sf);
}

/*
 * dm_log_nfact_div_npown: log(n! / n^n) by Stirling's series with n log n
 * removed analytically, so nothing cancels (used for large n, n d <= 1).
 */
static double
dm_log_nfact_div_npown(int64_t n)
{
	double		rn = 1.0 / (double) n;
	double		x = rn / (double) n;
	double		poly = dm_stirling_coeffs[0];
	int			i;

	for (i = 1; i < 8; i++)
		poly = poly * x + dm_stirling_coeffs[i];
	return log((double) n) / 2 - (double) n + log(2 * M_PI) / 2 + rn * poly;
}

/*
 * dm_matmul: C = A B for m x m row-major matrices (C distinct from A, B).
 */
static void
dm_matmul(const double *a, const double *b, double *c, int m)
{
	int			i,
				j,
				k;

	for (i = 0; i < m; i++)
	{
		double	   *ci = c + (size_t) i * m;

		for (j = 0; j < m; j++)
			ci[j] = 0.0;
		for (k = 0; k < m; k++)
		{
			double		aik = a[(size_t) i * m + k];
			const double *bk = b + (size_t) k * m;

			for (j = 0; j < m; j++)
				ci[j] += aik * bk[j];
		}
	}
}

/*
 * dm_kolmogn_dmtw: P(D_n <= d) by Durbin's matrix, as Marsaglia, Tsang and
 * Wang (2003) compute it: with d = (k - h)/n, 0 <= h < 1, the k-th diagonal
 * element of (n!/n^n) H^n for an m x m matrix H, m = 2k - 1, raised by
 * repeated squaring with a separate binary exponent (Simard & L'Ecuyer
 * 2011, section 2.1).  O(m^3 log n); used only where m is small.
 */
static long double
dm_kolmogn_dmtw(int64_t n, double d, bool *is_ld)
{
	double		nd,
				h,
				fac,
				tt;
	int			k,
				m,
				i,
				j;
	double	   *H,
			   *P,
			   *T,
			   *v,
			   *w;
	int64_t		nn,
				expnt = 0,
				hexpnt = 0;
	long double p;
	double		pd;
	double		ep128 = ldexp(1.0, DM_E128);
	long double em128 = ldexpl(1.0L, -DM_E128);
	long double lep128 = ldexpl(1.0L, DM_E128);

	*is_ld = false;
	if (d >= 1.0)
		return 1.0;
	nd = (double) n * d;
	if (nd <= 0.5)
		return 0.0;
	k = (int) ceil(nd);
	h = k - nd;
	m = 2 * k - 1;

	H = dm_alloc(sizeof(double) * (size_t) m * m);
	P = dm_alloc(sizeof(double) * (size_t) m * m);
	T = dm_alloc(sizeof(double) * (size_t) m * m);
	v = dm_alloc(sizeof(double) * m);
	w = dm_alloc(sizeof(double) * m);

	/* v[j] = (1 - h^(j+1)) / (j+1)!, w[j] = 1/j! */
	fac = 1.0;
	for (j = 1; j <= m; j++)
	{
		w[j - 1] = fac;
		fac /= j;
		v[j - 1] = (1.0 - pow(h, j)) * fac;
	}
	tt = pow(fmax(2 * h - 1.0, 0.0), m) - 2 * pow(h, m);
	v[m - 1] = (1.0 + tt) * fac;

	for (i = 0; i < m * m; i++)
		H[i] = 0.0;
	/* H[i-1:, i] = w[:m-i+1] for column i >= 1 */
	for (i = 1; i < m; i++)
		for (j = i - 1; j < m; j++)
			H[(size_t) j * m + i] = w[j - (i - 1)];
	for (j = 0; j < m; j++)
		H[(size_t) j * m] = v[j];
	for (j = 0; j < m; j++)
		H[(size_t) (m - 1) * m + j] = v[m - 1 - j];

	/* P = identity */
	for (i = 0; i < m * m; i++)
		P[i] = 0.0;
	for (i = 0; i < m; i++)
		P[(size_t) i * m + i] = 1.0;

	nn = n;
	while (nn > 0)
	{
		double	   *swap;

		if (nn % 2)
		{
			dm_matmul(P, H, T, m);
			swap = P;
			P = T;
			T = swap;
			expnt += hexpnt;

			/*
			 * scipy rescales only the squared matrix, so its running
			 * product overflows for large n (e.g. n = 46953, d = 4.02e-5,
			 * where it returns cdf 1 instead of ~0).  Rescaling it too by a
			 * power of two changes nothing else.
			 */
			if (fabs(P[(size_t) (k - 1) * m + (k - 1)]) > ep128)
			{
				for (i = 0; i < m * m; i++)
					P[i] /= ep128;
				expnt += DM_E128;
			}
		}
		dm_matmul(H, H, T, m);
		swap = H;
		H = T;
		T = swap;
		hexpnt *= 2;
		if (fabs(H[(size_t) (k - 1) * m + (k - 1)]) > ep128)
		{
			for (i = 0; i < m * m; i++)
				H[i] /= ep128;
			hexpnt += DM_E128;
		}
		nn /= 2;
		DM_CHECK_INTERRUPTS();
	}
	/*
	 * Times n!/n^n, rescaling as we go.  Like scipy (where the first
	 * rescaling promotes the numpy scalar to long double) we work in double
	 * until the first rescaling and in long double after it.
	 */
	pd = P[(size_t) (k - 1) * m + (k - 1)];
	p = pd;
	for (nn = 1; nn <= n; nn++)
	{
		if (!*is_ld)
		{
			pd = (double) nn * pd / (double) n;
			p = pd;
		}
		else
			p = (long double) nn * p / (long double) n;
		if (fabsl(p) < em128)
		{
			p *= lep128;
			expnt -= DM_E128;
			*is_ld = true;
		}
	}
	dm_free(H);
	dm_free(P);
	dm_free(T);
	dm_free(v);
	dm_free(w);
	if (expnt != 0)
		p = *is_ld ? ldexpl(p, (int) expnt) : ldexp((double) p, (int) expnt);
	return p;
}

/*
 * dm_pomeranz_j1j2: the first and last non-zero columns of row i of the
 * Pomeranz recursion (Pomeranz 1974; Simard & L'Ecuyer 2011, section 2.2).
 */
static void
dm_pomeranz_j1j2(int64_t i, int64_t n, int64_t ll, int64_t ceilf,
				 int64_t roundf, int64_t *pj1, int64_t *pj2)
{
	int64_t		j1,
				j2;

	if (i == 0)
	{
		j1 = -ll - ceilf - 1;
		j2 = ll + ceilf - 1;
	}
	else
	{
		int64_t		ip1div2 = (i + 1) / 2,
					ip1mod2 = (i + 1) % 2;

		if (ip1mod2 == 0)
		{
			if (ip1div2 == n + 1)
			{
				j1 = n - ll - ceilf - 1;
				j2 = n + ll + ceilf - 1;
			}
			else
			{
				j1 = ip1div2 - 1 - ll - roundf - 1;
				j2 = ip1div2 + ll - 1 + ceilf - 1;
			}
		}
		else
		{
			j1 = ip1div2 - 1 - ll - 1;
			j2 = ip1div2 + ll + roundf - 1;
		}
	}
	*pj1 = j1 + 2 > 0 ? j1 + 2 : 0;
	*pj2 = j2 < n ? j2 : n;
}

/*
 * dm_kolmogn_pomeranz: P(D_n <= d) by Pomeranz's recursion: 2n + 1 rows,
 * each the convolution of the previous one with one of three truncated
 * Poisson weight sequences, keeping only the few non-zero entries and
 * rescaling by 2^128 against underflow (Pomeranz 1974, Algorithm 487;
 * Simard & L'Ecuyer 2011, section 2.2).  Used for n <= 140.
 */
static long double
dm_kolmogn_pomeranz(int64_t n, double x, bool *is_ld)
{
	double		t = (double) n * x;
	int64_t		ll = (int64_t) floor(t);
	double		f = t - (double) ll;
	double		g = fmin(f, 1.0 - f);
	int64_t		ceilf = f > 0 ? 1 : 0;
	int64_t		roundf = f > 0.5 ? 1 : 0;
	int64_t		npwrs = 2 * (ll + 1);
	double	   *gpower,
			   *twogpower,
			   *onem2gpower,
			   *V0,
			   *V1;
	double		g_over_n = g / n,
				two_g_over_n = 2 * g / n,
				one_minus_two_g_over_n = (1 - 2 * g) / n;
	int64_t		mm,
				i,
				j1,
				j2,
				V0s = 0,
				V1s = 0,
				expnt = 0;
	long double ans;
	double		ansd;
	double		em128 = ldexp(1.0, -DM_E128),
				ep128 = ldexp(1.0, DM_E128);

	gpower = dm_alloc(sizeof(double) * npwrs);
	twogpower = dm_alloc(sizeof(double) * npwrs);
	onem2gpower = dm_alloc(sizeof(double) * npwrs);
	V0 = dm_alloc(sizeof(double) * npwrs);
	V1 = dm_alloc(sizeof(double) * npwrs);

	gpower[0] = twogpower[0] = onem2gpower[0] = 1.0;
	for (mm = 1; mm < npwrs; mm++)
	{
		gpower[mm] = gpower[mm - 1] * g_over_n / mm;
		twogpower[mm] = twogpower[mm - 1] * two_g_over_n / mm;
		onem2gpower[mm] = onem2gpower[mm - 1] * one_minus_two_g_over_n / mm;
	}
	for (mm = 0; mm < npwrs; mm++)
		V0[mm] = V1[mm] = 0.0;
	V1[0] = 1.0;

	dm_pomeranz_j1j2(0, n, ll, ceilf, roundf, &j1, &j2);
	for (i = 1; i < 2 * n + 2; i++)
	{
		int64_t		k1 = j1,
					ln2,
					s;
		double	   *swap,
				   *pwrs;

		swap = V0;
		V0 = V1;
		V1 = swap;
		s = V0s;
		V0s = V1s;
		V1s = s;
		for (mm = 0; mm < npwrs; mm++)
			V1[mm] = 0.0;
		dm_pomeranz_j1j2(i, n, ll, ceilf, roundf, &j1, &j2);
		if (i == 1 || i == 2 * n + 1)
			pwrs = gpower;
		else
			pwrs = (i % 2) ? twogpower : onem2gpower;
		ln2 = j2 - k1 + 1;
		if (ln2 > 0)
		{
			int64_t		conv_start = j1 - k1,
						conv_len = j2 - j1 + 1,
						c;
			const double *seg = V0 + (k1 - V0s);
			int64_t		la = ln2 < npwrs - (k1 - V0s) ? ln2 : npwrs - (k1 - V0s),
						lb = ln2 < npwrs ? ln2 : npwrs;
			double		vmax = 0.0;

			/* entries conv_start .. conv_start + conv_len - 1 of seg * pwrs */
			for (c = 0; c < conv_len; c++)
			{
				int64_t		idx = conv_start + c,
							a;
				double		acc = 0.0;

				for (a = 0; a <= idx && a < la; a++)
				{
					if (idx - a < lb)
						acc += seg[a] * pwrs[idx - a];
				}
				V1[c] = acc;
			}
			for (c = 0; c < npwrs; c++)
				vmax = fmax(vmax, V1[c]);
			if (vmax > 0 && vmax < em128)
			{
				for (c = 0; c < npwrs; c++)
					V1[c] *= ep128;
				expnt -= DM_E128;
			}
			V1s = V0s + j1 - k1;
		}
	}

	/* times n!, in double until a rescaling promotes it (as in scipy) */
	*is_ld = false;
	ansd = V1[n - V1s];
	ans = ansd;
	for (mm = 1; mm <= n; mm++)
	{
		if (fabsl(ans) > (long double) ep128)
		{
			ans *= (long double) em128;
			expnt += DM_E128;
			*is_ld = true;
		}
		if (*is_ld)
			ans *= (long double) mm;
		else
		{
			ansd *= (double) mm;
			ans = ansd;
		}
	}
	if (expnt != 0)
		ans = *is_ld ? ldexpl(ans, (int) expnt) : ldexp((double) ans, (int) expnt);

	dm_free(gpower);
	dm_free(twogpower);
	dm_free(onem2gpower);
	dm_free(V0);
	dm_free(V1);
	return ans;
}

/*
 * dm_kolmogn_pelzgood: the Pelz-Good (1976) approximation of P(D_n <= x):
 * the Li-Chien/Korolyuk expansion K0 + K1/sqrt(n) + K2/n + K3/n^1.5 with
 * each K_i rewritten through Jacobi's theta transformation into rapidly
 * converging sums in exp(-pi^2 (2k-1)^2 / (8 z^2)), z = x sqrt(n)
 * (Simard & L'Ecuyer 2011, section 2.3, equation (6)).
 */
static double
dm_kolmogn_pelzgood(int64_t n, double x)
{
	double		z,
				z2,
				z3,
				z4,
				z6,
				qlog,
				q,
				k1a,
				k1b,
				k2a,
				k2b,
				k2c,
				k3a,
				k3b,
				k3c,
				k3d,
				K[4] = {0, 0, 0, 0},
				k2extra = 0,
				k3extra = 0,
				sqrt3z,
				pi2 = M_PI * M_PI,
				pi4 = pi2 * pi2,
				pi6 = pi4 * pi2,
				sqrt2pi = sqrt(2 * M_PI),
				sum;
	int64_t		maxk,
				k;

	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	z = sqrt((double) n) * x;
	z2 = z * z;
	z3 = z * z * z;
	z4 = z2 * z2;
	z6 = z4 * z2;
	qlog = -pi2 / 8 / z2;
	if (qlog < -708)
		return 0.0;
	q = exp(qlog);

	k1a = -z2;
	k1b = pi2 / 4;
	k2a = 6 * z6 + 2 * z4;
	k2b = (2 * z4 - 5 * z2) * pi2 / 4;
	k2c = pi4 * (1 - 2 * z2) / 16;
	k3d = pi6 * (5 - 30 * z2) / 64;
	k3c = pi4 * (-60 * z2 + 212 * z4) / 16;
	k3b = pi2 * (135 * z4 - 96 * z6) / 4;
	k3a = -30 * z6 - 90 * pow(z, 8);

	/* Horner-like sums over odd m = 2k - 1 of c_i q^(m^2) */
	maxk = (int64_t) ceil(16 * z / M_PI);
	for (k = maxk; k > 0; k--)
	{
		double		m = 2.0 * k - 1,
					m2 = m * m,
					m4 = m2 * m2,
					m6 = m4 * m2,
					qpower = pow(q, (double) (8 * k));

		K[0] = K[0] * qpower + 1.0;
		K[1] = K[1] * qpower + (k1a + k1b * m2);
		K[2] = K[2] * qpower + (k2a + k2b * m2 + k2c * m4);
		K[3] = K[3] * qpower + (k3a + k3b * m2 + k3c * m4 + k3d * m6);
	}
	for (k = 0; k < 4; k++)
		K[k] = K[k] * q * sqrt2pi;
	K[0] /= z;
	K[1] /= 6 * z4;
	K[2] /= 72 * pow(z, 7);
	K[3] /= 6480 * pow(z, 10);

	/* The extra sums over all integers k of K2 and K3 */
	q = exp(-pi2 / 2 / z2);
	sqrt3z = sqrt(3.0) * z;
	for (k = maxk; k > 0; k--)
	{
		double		kk = (double) k,
					k2 = kk * kk,
					kpi = M_PI * kk,
					qp = pow(q, k2);

		k2extra += k2 * qp;
		k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qp;
	}
	k2extra *= pi2 * sqrt2pi / (-36 * z3);
	K[2] += k2extra;
	k3extra *= pi2 * sqrt2pi / (216 * z6);
	K[3] += k3extra;

	K[1] /= pow((double) n, 0.5);
	K[2] /= (double) n;
	K[3] /= pow((double) n, 1.5);
	sum = K[0] + K[1] + K[2] + K[3];
	return sum;
}

/*
 * dm_kolmogn_select: the CDF p, or the SF 1 - p, of a Durbin or Pomeranz
 * result, clipped to [0, 1].  The complement is taken in long double when
 * the recursion ended in long double, as scipy's numpy scalars do (this
 * matters only at the 1e-13 level, where the SF is 1 - CDF).
 */
static double
dm_kolmogn_select(long double p, bool is_ld, bool cdf)
{
	double		r;

	if (cdf)
		r = (double) p;
	else if (is_ld)
		r = (double) (1.0L - p);
	else
		r = 1.0 - (double) p;
	return dm_clip01(r);
}

/*
 * dm_kolmogn: P(D_n <= x) (cdf true) or P(D_n > x) (cdf false) with
 * Simard & L'Ecuyer's (2011, section 3) choice of method, with scipy's
 * thresholds: closed forms near the ends, 2 P(D_n^+ >= x) for x >= 1/2,
 * Durbin/Pomeranz/Smirnov for n <= 140, and for larger n the Smirnov sum
 * in the upper tail, Durbin for small x and Pelz-Good elsewhere.
 */
static double
dm_kolmogn(int64_t n, double x, bool cdf)
{
	double		t,
				prob,
				nxsq;
	long double lprob;
	bool		is_ld = false;

	if (n <= 0 || isnan(x))
		return NAN;
	if (x >= 1.0)
		return cdf ? 1.0 : 0.0;
	if (x <= 0.0)
		return cdf ? 0.0 : 1.0;
	t = (double) n * x;
	if (t <= 1.0)
	{
		/* Ruben-Gambino: P(D_n <= x) = n!/n^n (2 n x - 1)^n, 1/2n <= x <= 1/n */
		if (t <= 0.5)
			return cdf ? 0.0 : 1.0;
		if (n <= 140)
		{
			int64_t		i;
			double		r = 1.0 / (double) n;

			prob = 1.0;
			for (i = 1; i <= n; i++)
				prob *= (double) i * r * (2 * t - 1);
		}
		else
			prob = exp(dm_log_nfact_div_npown(n) + (double) n * log(2 * t - 1));
		return dm_clip01(cdf ? prob : 1.0 - prob);
	}
	if (t >= (double) (n - 1))
	{
		/* Ruben-Gambino: P(D_n > x) = 2 (1 - x)^n, x >= 1 - 1/n */
		prob = 2 * pow(1.0 - x, (double) n);
		return dm_clip01(cdf ? 1.0 - prob : prob);
	}
	if (x >= 0.5)
	{
		/* D_n^+ >= x and D_n^- >= x are disjoint events */
		prob = 2 * dm_smirnov_sf(n, x);
		return dm_clip01(cdf ? 1.0 - prob : prob);
	}

	nxsq = t * x;
	if (n <= 140)
	{
		if (nxsq <= 0.754693)
			lprob = dm_kolmogn_dmtw(n, x, &is_ld);
		else if (nxsq <= 4)
			lprob = dm_kolmogn_pomeranz(n, x, &is_ld);
		else
		{
			prob = 2 * dm_smirnov_sf(n, x);
			return dm_clip01(cdf ? 1.0 - prob : prob);
		}
		return dm_kolmogn_select(lprob, is_ld, cdf);
	}

	if (!cdf)
	{
		if (nxsq >= 370.0)
			return 0.0;
		if (nxsq >= 2.2)
			return dm_clip01(2 * dm_smirnov_sf(n, x));
	}
	if (nxsq >= 18.0)
		prob = 1.0;
	else if (n <= 100000 && (double) n * pow(x, 1.5) <= 1.4)
		return dm_kolmogn_select(dm_kolmogn_dmtw(n, x, &is_ld), is_ld, cdf);
	else
		prob = dm_kolmogn_pelzgood(n, x);
	return dm_clip01(cdf ? prob : 1.0 - prob);
}

/*
 * dm_kstwo_sf: scipy.stats.kstwo.sf(d, n) = P(D_n >= d); the support is
 * [1/(2n), 1], so below it the survival function is 1.
 */
double
dm_kstwo_sf(double d, int64_t n)
{
	if (n <= 0 || isnan(d))
		return NAN;
	if (d <= 0.5 / (double) n)
		return 1.0;
	if (d >= 1.0)
		return 0.0;
	return dm_kolmogn(n, d, false);
}

/* dm_kstwo_cdf: scipy.stats.kstwo.cdf(d, n) = P(D_n <= d). */
double
dm_kstwo_cdf(double d, int64_t n)
{
	if (n <= 0 || isnan(d))
		return NAN;
	if (d <= 0.5 / (double) n)
		return 0.0;
	if (d >= 1.0)
		return 1.0;
	return dm_kolmogn(n, d, true);
}
