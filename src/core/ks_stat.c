/*
 * ks_stat.c
 *		Exact two-sample Kolmogorov-Smirnov statistic with scipy's location
 *		and sign rules.
 */
#include "numeric_core.h"
#include "dm_core.h"

/* dm_gcd64: greatest common divisor of two non-negative integers. */
int64_t
dm_gcd64(int64_t a, int64_t b)
{
	while (b != 0)
	{
		int64_t		t = a % b;

		a = b;
		b = t;
	}
	return a;
}

/* Running extremum of cdf1 - cdf2: exact numerator, scipy's double, value. */
typedef struct ks_ext
{
	int64_t		num;
	double		f;
	double		x;
	int			set;
} ks_ext;

/*
 * scan: visit the positions of one sorted sample (x[0..nx-1]) in data_all
 * order, with other[] the other sample; updates the running max and min of
 * cdf1 - cdf2.  x_is_ref says whether x is data1.  Only the first element
 * of a run of equal values can be a first occurrence, so runs are skipped.
 */
static void
scan(const double *x, size_t nx, const double *other, size_t no, int x_is_ref,
	 int64_t n1, int64_t n2, ks_ext *mx, ks_ext *mn)
{
	size_t		p = 0,
				o = 0;
	size_t		iter = 0;

	while (p < nx)
	{
		double		v = x[p];
		size_t		end = p + 1;
		int64_t		i,
					j,
					num;
		double		f;

		while (end < nx && x[end] == v)
			end++;
		while (o < no && other[o] <= v)
			o++;
		if (x_is_ref)
		{
			i = (int64_t) end;
			j = (int64_t) o;
		}
		else
		{
			i = (int64_t) o;
			j = (int64_t) end;
		}
		num = i * n2 - j * n1;
		f = (double) i / (double) n1 - (double) j / (double) n2;
		if (!mx->set || num > mx->num || (num == mx->num && f > mx->f))
		{
			mx->num = num;
			mx->f = f;
			mx->x = v;
			mx->set = 1;
		}
		if (!mn->set || num < mn->num || (num == mn->num && f < mn->f))
		{
			mn->num = num;
			mn->f = f;
			mn->x = v;
			mn->set = 1;
		}
		p = end;
		if (++iter % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
}

void
dm_ks_statistic(const double *a, size_t n1, const double *b, size_t n2,
				dm_ks_alternative alt, dm_ks_stat *out)
{
	ks_ext		mx = {0, 0.0, 0.0, 0},
				mn = {0, 0.0, 0.0, 0};
	int64_t		N1 = (int64_t) n1,
				N2 = (int64_t) n2;
	int64_t		g = dm_gcd64(N1, N2);
	int64_t		lcm = (N1 / g) * N2;
	int			use_min;

	/* data_all = concat(sorted a, sorted b): a's positions come first */
	scan(a, n1, b, n2, 1, N1, N2, &mx, &mn);
	scan(b, n2, a, n1, 0, N1, N2, &mx, &mn);

	/* scipy: minS = clip(-cddiffs[argmin], 0, 1); maxS = cddiffs[argmax] */
	if (alt == DM_KS_LESS)
		use_min = 1;
	else if (alt == DM_KS_GREATER)
		use_min = 0;
	else if (-mn.num != mx.num)
		use_min = (-mn.num > mx.num);
	else
		use_min = (-mn.f > mx.f);	/* exact tie: scipy's doubles decide */

	if (use_min)
	{
		out->numerator = mn.num < 0 ? -mn.num : 0;
		out->location = mn.x;
		out->sign = -1;
	}
	else
	{
		out->numerator = mx.num > 0 ? mx.num : 0;
		out->location = mx.x;
		out->sign = 1;
	}
	out->h = out->numerator / g;
	out->statistic = (double) out->h / (double) lcm;
}
