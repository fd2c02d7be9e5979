/*
 * ks_dist.c
 *		Null distribution of the two-sample Kolmogorov-Smirnov statistic.
 *
 * Under the null hypothesis the pooled sample's ordering is a uniformly
 * random lattice path from (0, 0) to (n1, n2), and D >= h / lcm(n1, n2)
 * exactly when the path reaches |i n2 - j n1| >= h gcd(n1, n2) (two-sided)
 * or i n2 - j n1 >= h gcd(n1, n2) (one-sided) at some point (i, j)
 * (Hodges, "The significance probability of the Smirnov two-sample test",
 * Arkiv for Matematik 3, 1958, section 2).
 *
 * Exact p-values:
 * - n1 == n2: closed forms by the reflection principle (Hodges 1958,
 *	 section 3; Gnedenko & Korolyuk 1951): one-sided C(2n, n-h) / C(2n, n),
 *	 two-sided 2 sum_k (-1)^(k-1) C(2n, n-kh) / C(2n, n), evaluated as a
 *	 nested product in double-double arithmetic so that neither the
 *	 alternating signs nor large n cost accuracy, and p never exceeds 1.
 * - otherwise: a recursion over the lattice that carries, for every cell,
 *	 the probability that a uniformly random path to that cell has already
 *	 left the band (Viehmann, "Numerically more stable computation of the
 *	 p-values for the two-sample Kolmogorov-Smirnov test", arXiv:2102.08037,
 *	 2021).  Each value is a convex combination of two others, so there is
 *	 no cancellation and tiny p-values keep their relative accuracy; values
 *	 are scaled by 2^960 so that p-values down to ~1e-300 are far from
 *	 underflow.  We sweep anti-diagonals (all cells of one share the divisor
 *	 i + j and are independent, so the loop pipelines), keeping only the
 *	 band: O(n1 n2) time at most, O(min(n1, n2)) memory.
 *
 * Asymptotic p-values reproduce scipy.stats.ks_2samp (method='asymp').
 */
#include "ks_dist.h"
#include "ks_dd.h"

#include <math.h>
#include <stdbool.h>

#include "dm_core.h"

/* scipy's rule for method 'auto': exact when max(n1, n2) <= 10000. */
#define DM_KS_MAX_AUTO_N 10000

/* Scale of the lattice recursion: "certainly left the band" = 2^960. */
#define DM_KS_SCALE_EXP 960
/* Scaled values below 2^-960 (true 2^-1920) are flushed to zero. */
#define DM_KS_TINY_EXP (-960)

/* dm_gcd: greatest common divisor of two positive integers (Euclid). */
static int64_t
dm_gcd(int64_t a, int64_t b)
{
	while (b != 0)
	{
		int64_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* dm_floordiv: floor(a / b) for b > 0 and any sign of a. */
static int64_t
dm_floordiv(int64_t a, int64_t b)
{
	int64_t		q = a / b;

	if ((a % b != 0) && (a < 0))
		q--;
	return q;
}

/*
 * dm_ks_lattice_cells: cells ilo .. ihi of anti-diagonal k of the lattice
 * recursion from diagonal k - 1 (the inner loop of dm_ks_lattice_pvalue):
 * A(i, k-i) = (i A(i-1, k-i) + (k-i) A(i, k-i-1)) / k, flushing values below
 * tiny to 0 so that no denormal ever slows the loop down.
 */
static void
dm_ks_lattice_cells(const double *prev, double *cur, int64_t ilo, int64_t ihi,
					int64_t k, double tiny)
{
	double		dk = (double) k;
	int64_t		i;

	for (i = ilo; i <= ihi; i++)
	{
		double		v = ((double) i * prev[i - 1] +
						 (double) (k - i) * prev[i]) / dk;

		cur[i] = v < tiny ? 0.0 : v;
	}
}

/*
 * dm_ks_lattice_pvalue: exact P(D >= h / lcm) by the exit-probability
 * recursion of Viehmann (2021) over the anti-diagonals of the lattice.
 *
 * The short side s indexes cells: cell (i, j), 0 <= i <= s, 0 <= j <= b,
 * has deviation e = i bg - j sg (bg = b/g, sg = s/g); the path has left
 * when |e| >= h (two-sided) or e >= h (one-sided; the other one-sided
 * event has the same probability by reversing the path).  A(i, j), the
 * probability that a uniform random path to (i, j) has left, is 1 outside
 * the band and (i A(i-1, j) + j A(i, j-1)) / (i + j) inside it, since the
 * last step of such a path comes from (i-1, j) with probability i/(i+j).
 * The answer is A(s, b).  If some anti-diagonal has no cell inside the
 * band, every path leaves: p = 1 exactly.
 */
static double
dm_ks_lattice_pvalue(int64_t n1, int64_t n2, int64_t h, bool two_sided)
{
	int64_t		s = n1 < n2 ? n1 : n2;
	int64_t		b = n1 < n2 ? n2 : n1;
	int64_t		g = dm_gcd(s, b);
	int64_t		sg = s / g,
				bg = b / g,
				w = sg + bg;
	double		scale = ldexp(1.0, DM_KS_SCALE_EXP);
	double		tiny = ldexp(1.0, DM_KS_TINY_EXP);
	double	   *buf0,
			   *buf1,
			   *prev,
			   *cur,
			   *swap;
	int64_t		k,
				ilo = 0,
				ihi = 0,
				zlo = 0,
				zhi = 0,
				cells = 0;
	double		result;

	/* index i lives at buf[i + 1]; buf[0] and buf[s + 2] are sentinels */
	buf0 = dm_alloc(sizeof(double) * (size_t) (s + 3));
	buf1 = dm_alloc(sizeof(double) * (size_t) (s + 3));
	for (k = 0; k < s + 3; k++)
		buf0[k] = buf1[k] = 0.0;
	prev = buf0 + 1;
	cur = buf1 + 1;
	prev[0] = 0.0;				/* A(0, 0) = 0: nothing has happened yet */
	/* [zlo, zhi]: a gap of cells known to be 0 ("cannot have left yet") */

	for (k = 1; k <= s + b; k++)
	{
		int64_t		glo = k - b > 0 ? k - b : 0;
		int64_t		ghi = k < s ? k : s;
		int64_t		blo,
					bhi,
					lo_end,
					hi_start;

		/*
		 * Cells just outside last diagonal's band have certainly left.  (At a
		 * grid edge instead, the sentinel is multiplied by a zero weight.)
		 */
		prev[ilo - 1] = scale;
		prev[ihi + 1] = scale;

		/* Inside: k sg - h < i w < k sg + h (two-sided). */
		blo = two_sided ? dm_floordiv(k * sg - h, w) + 1 : glo;
		bhi = dm_floordiv(k * sg + h - 1, w);
		ilo = blo > glo ? blo : glo;
		ihi = bhi < ghi ? bhi : ghi;
		if (ilo > ihi)
		{
			dm_free(buf0);
			dm_free(buf1);
			return 1.0;
		}
		/*
		 * Skip the zero gap.  A cell whose two predecessors lie in the gap
		 * [zlo, zhi] of the last diagonal (cells that cannot have left the
		 * band with probability above 2^-1920) is 0 too, so only the cells
		 * in [ilo, zlo] and [zhi + 1, ihi] are computed.  Zeros at the inner
		 * ends of those ranges then widen the gap.  In the tails most of
		 * the band is such a gap, which makes tiny p-values cheap.
		 */
		if (zlo <= zhi)
		{
			lo_end = zlo < ihi ? zlo : ihi;
			hi_start = zhi + 1 > ilo ? zhi + 1 : ilo;
		}
		else
		{
			lo_end = ihi;
			hi_start = ihi + 1;
		}
		dm_ks_lattice_cells(prev, cur, ilo, lo_end, k, tiny);
		dm_ks_lattice_cells(prev, cur, hi_start, ihi, k, tiny);
		cells += (lo_end >= ilo ? lo_end - ilo + 1 : 0) +
			(ihi >= hi_start ? ihi - hi_start + 1 : 0);
		while (lo_end >= ilo && cur[lo_end] == 0.0)
			lo_end--;
		while (hi_start <= ihi && cur[hi_start] == 0.0)
			hi_start++;
		zlo = lo_end + 1 > ilo ? lo_end + 1 : ilo;
		zhi = hi_start - 1 < ihi ? hi_start - 1 : ihi;
		if (zlo <= zhi)
		{
			/* the only gap cells the next diagonal reads */
			cur[zlo] = 0.0;
			cur[zhi] = 0.0;
		}

		swap = prev;
		prev = cur;
		cur = swap;

		cells += ihi - ilo + 1;
		if (cells >= DM_INTERRUPT_EVERY)
		{
			cells = 0;
			DM_CHECK_INTERRUPTS();
		}
	}
	result = ldexp(prev[s], -DM_KS_SCALE_EXP);
	dm_free(buf0);
	dm_free(buf1);
	return result > 1.0 ? 1.0 : result;
}

/*
 * dm_ks_equal_ratio: prod_{j=0}^{h-1} (a - j) / (c + j) in double-double, as
 * mantissa * 2^*expo (mantissa in [0.5, 1), or 0 when a factor is 0).  For
 * a = n - kh and c = n + kh + 1 this is C(2n, n-(k+1)h) / C(2n, n-kh).
 */
static dm_dd
dm_ks_equal_ratio(int64_t a, int64_t c, int64_t h, int64_t *expo)
{
	dm_dd		p = dm_dd_from(1.0);
	int64_t		e = 0,
				j;
	int			t;

	for (j = 0; j < h; j++)
	{
		if (a - j <= 0)
		{
			*expo = 0;
			return dm_dd_from(0.0);
		}
		p = dm_dd_mul(p, dm_dd_div_d_d((double) (a - j), (double) (c + j)));
		p = dm_dd_frexp(p, &t);
		e += t;
		if ((j & 65535) == 65535)
			DM_CHECK_INTERRUPTS();
	}
	*expo = e;
	return p;
}

/*
 * ks_poll_work: count 'units' more factors of work and poll for cancellation
 * every DM_INTERRUPT_EVERY of them.  dm_ks_equal_ratio polls only within a
 * term of at least 65536 factors; with small h the series has up to n / h
 * short terms (2.5e7 terms of 2 factors for n = 5e7, 4.4 s), which the
 * loops over the terms must poll themselves.
 */
static inline void
ks_poll_work(int64_t *work, int64_t units)
{
	*work += units;
	if (*work >= DM_INTERRUPT_EVERY)
	{
		*work = 0;
		DM_CHECK_INTERRUPTS();
	}
}

/*
 * dm_ks_equal_pvalue: exact p-value for n1 == n2 = n by the reflection
 * principle (Hodges 1958, section 3).  With A_k = C(2n, n-(k+1)h) /
 * C(2n, n-kh):
 *   one-sided  P(D+ >= h/n) = A_0,
 *   two-sided  P(D >= h/n)  = 2 A_0 (1 - A_1 (1 - A_2 (1 - ...))),
 * the nested form of the alternating series 2 sum_k (-1)^(k-1)
 * C(2n, n-kh)/C(2n, n).  Evaluated in double-double: the alternating
 * series, which scipy evaluates in double and which can exceed 1 for small
 * h, loses nothing here.  The series ends where the product A_1 ... A_k
 * drops below 2^-120 (later terms cannot matter): O(h + sqrt(n)) factors
 * when that happens before k = n / h, O(n) at most.
 */
static double
dm_ks_equal_pvalue(int64_t n, int64_t h, bool two_sided)
{
	int64_t		e0,
				ek,
				k,
				kmax,
				work = 0;
	double		lsum;
	dm_dd		a0,
				y;

	if (two_sided && h == 1)
		return 1.0;				/* every path leaves at its first step */
	a0 = dm_ks_equal_ratio(n, n + 1, h, &e0);
	if (!two_sided)
		return ldexp(dm_dd_to_double(a0), (int) (e0 < -2000 ? -2000 : e0));

	/*
	 * First k whose term A_1 ... A_k (relative to A_0) is negligible against
	 * 1: log2 of the product is the sum of log2(mantissa) + exponent of the
	 * A_j (an estimate good to ~1e-10 relative, far inside the margin to
	 * 2^-120).  The ratio A_k alone falls below 2^-120 only near
	 * k = 42 n / h^2, after all n / h terms for h < 42 (4.4 s at n = 5e7);
	 * the product does at k ~ sqrt(83 n) / h, so this loop costs
	 * O(sqrt(n)) factors for any h.
	 */
	kmax = n / h;
	lsum = 0.0;
	for (k = 1; k <= n / h; k++)
	{
		dm_dd		ak = dm_ks_equal_ratio(n - k * h, n + k * h + 1, h, &ek);

		if (ak.hi > 0.0)
			lsum += log2(ak.hi) + (double) ek;
		if (ak.hi == 0.0 || lsum < -120.0)
		{
			kmax = k;
			break;
		}
		ks_poll_work(&work, h);
	}
	y = dm_dd_from(0.0);
	for (k = kmax; k >= 1; k--)
	{
		dm_dd		ak = dm_ks_equal_ratio(n - k * h, n + k * h + 1, h, &ek);

		ak = dm_dd_ldexp(ak, (int) (ek < -1200 ? -1200 : ek));
		y = dm_dd_mul(ak, dm_dd_add_d(dm_dd_neg(y), 1.0));
		ks_poll_work(&work, h);
	}
	y = dm_dd_mul(a0, dm_dd_add_d(dm_dd_neg(y), 1.0));
	{
		double		p = ldexp(2.0 * dm_dd_to_double(y),
							  (int) (e0 < -2000 ? -2000 : e0));

		return p > 1.0 ? 1.0 : p;
	}
}

/*
 * dm_ks_check_args: validate (n1, n2, h) and return lcm(n1, n2) as a
 * double, or -1 when the arguments are invalid.
 */
static double
dm_ks_check_args(int64_t n1, int64_t n2, int64_t h)
{
	double		lcm;

	if (n1 < 1 || n2 < 1 || h < 0)
		return -1.0;
	lcm = (double) (n1 / dm_gcd(n1, n2)) * (double) n2;
	if ((double) h > lcm)
		return -1.0;
	return lcm;
}

/* dm_ks_2samp_exact_feasible: see ks_dist.h. */
int
dm_ks_2samp_exact_feasible(int64_t n1, int64_t n2)
{
	if (n1 == n2)
		return 1;
	return ((double) n1 + 1.0) * ((double) n2 + 1.0) <= DM_KS_EXACT_MAX_CELLS;
}

/* dm_ks_2samp_lattice: exact p-value by the lattice recursion (tests). */
double
dm_ks_2samp_lattice(int64_t n1, int64_t n2, int64_t h, dm_ks_alternative alt)
{
	if (dm_ks_check_args(n1, n2, h) < 0)
		return NAN;
	if (h == 0)
		return 1.0;
	return dm_ks_lattice_pvalue(n1, n2, h, alt == DM_KS_TWO_SIDED);
}

/*
 * dm_ks_2samp_exact: exact p-value, closed form for equal sizes, the
 * lattice recursion otherwise; NaN when invalid or infeasible.
 */
double
dm_ks_2samp_exact(int64_t n1, int64_t n2, int64_t h, dm_ks_alternative alt)
{
	bool		two_sided = (alt == DM_KS_TWO_SIDED);

	if (dm_ks_check_args(n1, n2, h) < 0)
		return NAN;
	if (h == 0)
		return 1.0;
	if (!dm_ks_2samp_exact_feasible(n1, n2))
		return NAN;
	if (n1 == n2)
		return dm_ks_equal_pvalue(n1, h, two_sided);
	return dm_ks_lattice_pvalue(n1, n2, h, two_sided);
}

/*
 * dm_ks_2samp_asymp: scipy.stats.ks_2samp's asymptotic p-value, D = h/lcm.
 * Two-sided: kstwo.sf(D, round(en)), en = n1 n2 / (n1 + n2), rounded half
 * to even like numpy (scipy then gets NaN for n1 = n2 = 1, where en = 1/2
 * rounds to 0; we use at least 1).  One-sided: Hodges (1958) equation 5.3,
 * with m >= n the larger and smaller sizes and z = sqrt(en) D,
 * p = exp(-2 z^2 - 2 z (m + 2n) / sqrt(m n (m + n)) / 3).
 */
double
dm_ks_2samp_asymp(int64_t n1, int64_t n2, int64_t h, dm_ks_alternative alt)
{
	double		lcm = dm_ks_check_args(n1, n2, h);
	double		m,
				n,
				en,
				d,
				p;

	if (lcm < 0)
		return NAN;
	if (h == 0)
		return 1.0;
	m = (double) (n1 > n2 ? n1 : n2);
	n = (double) (n1 > n2 ? n2 : n1);
	en = m * n / (m + n);
	d = (double) h * 1.0 / lcm;
	if (alt == DM_KS_TWO_SIDED)
	{
		double		nr = nearbyint(en);

		p = dm_kstwo_sf(d, nr < 1.0 ? 1 : (int64_t) nr);
	}
	else
	{
		double		z = sqrt(en) * d;
		double		expt = -2 * z * z - 2 * z * (m + 2 * n) / sqrt(m * n * (m + n)) / 3.0;

		p = exp(expt);
	}
	if (p < 0.0)
		p = 0.0;
	if (p > 1.0)
		p = 1.0;
	return p;
}

/*
 * dm_ks_2samp_pvalue: the contract of ks_dist.h.  AUTO is exact when
 * max(n1, n2) <= 10000 (scipy's rule); EXACT is exact whenever feasible
 * (always for equal sizes) and otherwise falls back to the asymptotic
 * value, reporting it in *method_used.
 */
double
dm_ks_2samp_pvalue(int64_t n1, int64_t n2, int64_t h,
				   dm_ks_alternative alt, dm_ks_method method,
				   dm_ks_method *method_used)
{
	dm_ks_method use;
	double		p;

	if (method == DM_KS_ASYMP)
		use = DM_KS_ASYMP;
	else if (method == DM_KS_EXACT)
		use = dm_ks_2samp_exact_feasible(n1, n2) ? DM_KS_EXACT : DM_KS_ASYMP;
	else
		use = (n1 <= DM_KS_MAX_AUTO_N && n2 <= DM_KS_MAX_AUTO_N) ?
			DM_KS_EXACT : DM_KS_ASYMP;
	/*
	 * The two-sided asymptotic distribution needs round(n1 n2 / (n1 + n2)) >=
	 * 1; only n1 = n2 = 1 falls short (scipy returns NaN there, and clamping
	 * to 1 would give p = 0 for two distinct values, whose exact p is 1).
	 * The exact value costs nothing there: use it and say so.
	 */
	if (use == DM_KS_ASYMP && alt == DM_KS_TWO_SIDED && n1 == 1 && n2 == 1)
		use = DM_KS_EXACT;
	if (method_used)
		*method_used = use;
	if (use == DM_KS_EXACT)
		p = dm_ks_2samp_exact(n1, n2, h, alt);
	else
		p = dm_ks_2samp_asymp(n1, n2, h, alt);
	return p;
}
