/*
 * binning.c
 *		numpy-compatible quantiles and the three histogram rules of psi_agg
 *		and js_divergence (reference quantiles, uniform, Sturges).
 */
#include "numeric_core.h"
#include "dm_core.h"

#include <math.h>
#include <string.h>

/*
 * dm_quantile_sorted: numpy 1.24 'linear' method, operation for operation:
 * virtual index (n-1)*q, gamma = index - floor(index), and numpy's _lerp
 * (a + (b-a)*t below t = 0.5, b - (b-a)*(1-t) from 0.5 on).
 */
double
dm_quantile_sorted(const double *x, size_t n, double q)
{
	double		vi = (double) (n - 1) * q;
	double		fl,
				t,
				lo,
				hi,
				diff;
	size_t		k;

	if (!(vi < (double) (n - 1)))
		return x[n - 1];
	if (vi < 0.0)
		return x[0];
	fl = floor(vi);
	k = (size_t) fl;
	t = vi - fl;
	lo = x[k];
	hi = x[k + 1];
	diff = hi - lo;
	if (t >= 0.5)
		return hi - diff * (1.0 - t);
	return lo + diff * t;
}

/* lower_bound: number of elements of sorted x that are < v. */
static size_t
lower_bound(const double *x, size_t n, double v)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (x[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* upper_bound: number of elements of sorted x that are <= v. */
static size_t
upper_bound(const double *x, size_t n, double v)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		mid = lo + (hi - lo) / 2;

		if (x[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * linspace_edges: numpy.linspace(first, last, k + 1): e[i] = i*step + first
 * (two roundings, no fused multiply-add), last edge exactly 'last'.
 */
static void
linspace_edges(double first, double last, size_t k, double *e)
{
	double		delta = last - first;
	double		step = delta / (double) k;
	size_t		i;

	for (i = 0; i <= k; i++)
	{
		volatile double y;

		if (step == 0.0)
			y = ((double) i / (double) k) * delta;
		else
			y = (double) i * step;
		e[i] = y + first;
	}
	e[k] = last;
}

/* np.histogram counting on edges e[0..k]: [e_i, e_i+1), last bin closed. */
static void
count_numpy(const double *x, size_t n, const double *e, size_t k, double *c)
{
	size_t		i;

	for (i = 0; i < k; i++)
	{
		size_t		left = lower_bound(x, n, e[i]);
		size_t		right = (i + 1 == k) ? upper_bound(x, n, e[k])
			: lower_bound(x, n, e[i + 1]);

		c[i] = right > left ? (double) (right - left) : 0.0;
	}
}

size_t
dm_histogram2(const double *a, size_t n1, const double *b, size_t n2,
			  dm_binning rule, int bins, double **ref_counts, double **cur_counts)
{
	size_t		k;
	double	   *e;
	double	   *rc,
			   *cc;

	if (rule == DM_BINNING_QUANTILE)
	{
		size_t		m = 0,
					i,
					j;

		e = dm_alloc(sizeof(double) * (size_t) (bins > 1 ? bins : 1));
		for (i = 1; i < (size_t) bins; i++)
		{
			double		c = dm_quantile_sorted(a, n1, (double) i / (double) bins);

			/* insert keeping e sorted and distinct (numpy.unique) */
			j = m;
			while (j > 0 && e[j - 1] > c)
				j--;
			if (j > 0 && e[j - 1] == c)
				continue;
			memmove(e + j + 1, e + j, (m - j) * sizeof(double));
			e[j] = c;
			m++;
		}
		k = m + 1;
		rc = dm_alloc(sizeof(double) * k);
		cc = dm_alloc(sizeof(double) * k);
		/* bin j = (e[j-1], e[j]], outer bins unbounded */
		{
			size_t		pr = 0,
						pc = 0;

			for (j = 0; j < k; j++)
			{
				size_t		ur = (j < m) ? upper_bound(a, n1, e[j]) : n1;
				size_t		uc = (j < m) ? upper_bound(b, n2, e[j]) : n2;

				rc[j] = (double) (ur - pr);
				cc[j] = (double) (uc - pc);
				pr = ur;
				pc = uc;
			}
		}
	}
	else
	{
		double		first = a[0] < b[0] ? a[0] : b[0];
		double		last = a[n1 - 1] > b[n2 - 1] ? a[n1 - 1] : b[n2 - 1];

		if (rule == DM_BINNING_UNIFORM)
			k = (size_t) bins;
		else
		{
			/* numpy _hist_bin_sturges: ptp / (log2(n) + 1), then ceil */
			double		ptp = last - first;
			double		width = ptp / (log2((double) (n1 + n2)) + 1.0);

			if (width != 0.0)
				k = (size_t) ceil(ptp / width);
			else
				k = 1;
			if (k < 1)
				k = 1;
		}
		if (first == last)
		{
			first -= 0.5;
			last += 0.5;
		}
		e = dm_alloc(sizeof(double) * (k + 1));
		linspace_edges(first, last, k, e);
		rc = dm_alloc(sizeof(double) * k);
		cc = dm_alloc(sizeof(double) * k);
		count_numpy(a, n1, e, k, rc);
		count_numpy(b, n2, e, k, cc);
	}
	dm_free(e);
	*ref_counts = rc;
	*cur_counts = cc;
	return k;
}
