/*
 * binning.c
 *		numpy-compatible quantiles and the three histogram rules of psi_agg
 *		and js_divergence (reference quantiles, uniform, Sturges).
 */
#include "numeric_core.h"
#include "dm_core.h"
#include "dm_sort.h"

#include <math.h>
#include <stdbool.h>
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
	if (isinf(diff))
	{
		/* hi - lo overflows (|values| near DBL_MAX): weighted form, finite */
		return lo * (1.0 - t) + hi * t;
	}
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

		if (isinf(delta))
		{
			/* last - first overflows: weighted form, finite and monotone enough */
			double		f = (double) i / (double) k;

			y = first * (1.0 - f) + last * f;
			e[i] = y;
			continue;
		}
		if (step == 0.0)
			y = ((double) i / (double) k) * delta;
		else
			y = (double) i * step;
		e[i] = y + first;
	}
	e[k] = last;
}

/*
 * sturges_bins: numpy's _hist_bin_sturges bin count, ceil(ptp / width) with
 * width = ptp / (log2(n) + 1).  When max - min overflows a double (values
 * near +-1.8e308) the same division on exactly halved values gives the count
 * numpy would compute with unbounded range; linspace_edges then places the
 * edges with a weighted form that stays finite.  Clamped to 1..DM_MAX_BINS.
 */
static size_t
sturges_bins(double first, double last, size_t n)
{
	double		ptp = last - first;
	double		width,
				kd;

	if (isinf(ptp))
		ptp = last * 0.5 - first * 0.5;
	width = ptp / (log2((double) n) + 1.0);
	kd = (width != 0.0) ? ceil(ptp / width) : 1.0;
	if (!(kd >= 1.0))
		kd = 1.0;
	if (kd > (double) DM_MAX_BINS)
		kd = (double) DM_MAX_BINS;
	return (size_t) kd;
}

/*
 * width_edges: the k + 1 edges of the 'uniform' (bins bins) or 'sturges'
 * rule over [first, last], as numpy's histogram_bin_edges (a constant
 * feature gets [v - 0.5, v + 0.5]).  Shared by the sorted and the
 * quickselect paths so both bin identically.
 */
static double *
width_edges(dm_binning rule, int bins, double first, double last, size_t n,
			size_t *k)
{
	double	   *e;

	*k = (rule == DM_BINNING_UNIFORM) ? (size_t) bins : sturges_bins(first, last, n);
	if (first == last)
	{
		first -= 0.5;
		last += 0.5;
	}
	e = dm_alloc(sizeof(double) * (*k + 1));
	linspace_edges(first, last, *k, e);
	return e;
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

/*
 * quantile_edges: the distinct cut points numpy.quantile(a, i / bins),
 * i = 1 .. bins-1, ascending (numpy.unique), into e (bins - 1 slots), their
 * number in *m.  a holds the order statistics dm_quantile_sorted reads
 * (sorted, or placed by multiselect).  False when a cut point overflows.
 */
static bool
quantile_edges(const double *a, size_t n1, int bins, double *e, size_t *m)
{
	size_t		i,
				j;

	*m = 0;
	for (i = 1; i < (size_t) bins; i++)
	{
		double		c = dm_quantile_sorted(a, n1, (double) i / (double) bins);

		if (!isfinite(c))
			return false;
		/* insert keeping e sorted and distinct */
		j = *m;
		while (j > 0 && e[j - 1] > c)
			j--;
		if (j > 0 && e[j - 1] == c)
			continue;
		memmove(e + j + 1, e + j, (*m - j) * sizeof(double));
		e[j] = c;
		(*m)++;
	}
	return true;
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
					j;

		e = dm_alloc(sizeof(double) * (size_t) (bins > 1 ? bins : 1));
		if (!quantile_edges(a, n1, bins, e, &m))
		{
			dm_free(e);
			goto overflow;
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

		e = width_edges(rule, bins, first, last, n1 + n2, &k);
		rc = dm_alloc(sizeof(double) * k);
		cc = dm_alloc(sizeof(double) * k);
		count_numpy(a, n1, e, k, rc);
		count_numpy(b, n2, e, k, cc);
	}
	dm_free(e);
	*ref_counts = rc;
	*cur_counts = cc;
	return k;

overflow:
	/* the values span more than a double can represent: no histogram */
	*ref_counts = *cur_counts = NULL;
	return 0;
}

/* ---- the same histograms without sorting (psi_agg / js_divergence alone) ---- */

/* swapd: exchange two doubles. */
static inline void
swapd(double *x, size_t i, size_t j)
{
	double		t = x[i];

	x[i] = x[j];
	x[j] = t;
}

/*
 * multiselect: reorder x[lo..hi) so that every rank listed in r[0..nr)
 * (sorted ascending, all in [lo, hi)) holds the value it would hold in the
 * sorted array.  Quickselect recursing only into sides that contain wanted
 * ranks: O(n log nr) expected; a range that recurses too deep is sorted.
 * The partition polls for cancellation every DM_INTERRUPT_EVERY elements it
 * passes (50M values took 1.3 s with 10 bins, 4 s with 10000, unpolled).
 */
static void
multiselect(double *x, size_t lo, size_t hi, const size_t *r, size_t nr, int depth)
{
	size_t		i,
				j,
				mid,
				nleft,
				next_poll;
	double		pivot;

	while (nr > 0 && hi - lo > 1)
	{
		if (hi - lo <= 32 || depth <= 0)
		{
			dm_sort_doubles(x + lo, hi - lo);
			return;
		}
		depth--;
		/* median of three as pivot, Hoare partition */
		mid = lo + (hi - lo) / 2;
		if (x[mid] < x[lo])
			swapd(x, mid, lo);
		if (x[hi - 1] < x[lo])
			swapd(x, hi - 1, lo);
		if (x[hi - 1] < x[mid])
			swapd(x, hi - 1, mid);
		pivot = x[mid];
		i = lo;
		j = hi - 1;
		next_poll = lo + DM_INTERRUPT_EVERY;
		for (;;)
		{
			while (x[i] < pivot)
				i++;
			while (x[j] > pivot)
				j--;
			if (i >= j)
				break;
			swapd(x, i, j);
			i++;
			j--;
			/* elements passed so far: lo..i-1 and j+1..hi-1 */
			if (i + (hi - 1 - j) >= next_poll)
			{
				DM_CHECK_INTERRUPTS();
				next_poll += DM_INTERRUPT_EVERY;
			}
		}
		if (hi - lo >= DM_INTERRUPT_EVERY)
			DM_CHECK_INTERRUPTS();	/* the scans above may run unpolled */
		/* now x[lo..j] <= pivot <= x[j+1..hi) */
		nleft = 0;
		while (nleft < nr && r[nleft] <= j)
			nleft++;
		if (nleft < nr - nleft)
		{
			multiselect(x, lo, j + 1, r, nleft, depth);
			lo = j + 1;
			r += nleft;
			nr -= nleft;
		}
		else
		{
			multiselect(x, j + 1, hi, r + nleft, nr - nleft, depth);
			hi = j + 1;
			nr = nleft;
		}
	}
}

/* count_lt: number of edges e[0..m) that are < v. */
static inline size_t
count_lt(const double *e, size_t m, double v)
{
	size_t		lo = 0,
				hi = m;

	if (m <= 32)
	{
		/* branch-free linear count: no mispredictions on random data */
		size_t		c = 0,
					i;

		for (i = 0; i < m; i++)
			c += (e[i] < v);
		return c;
	}
	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;

		if (e[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* count_le_e: number of edges <= v. */
static inline size_t
count_le_e(const double *e, size_t m, double v)
{
	size_t		lo = 0,
				hi = m;

	if (m <= 32)
	{
		size_t		c = 0,
					i;

		for (i = 0; i < m; i++)
			c += (e[i] <= v);
		return c;
	}
	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;

		if (e[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* tally_quantile: right-closed bins over m cuts (m + 1 bins). */
static void
tally_quantile(const double *x, size_t n, const double *cuts, size_t m, double *c)
{
	size_t		i;

	for (i = 0; i <= m; i++)
		c[i] = 0.0;
	for (i = 0; i < n; i++)
	{
		c[count_lt(cuts, m, x[i])] += 1.0;
		if ((i + 1) % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
}

/*
 * tally_numpy: np.histogram bins over edges e[0..k] (last bin closed).
 * Polls for cancellation on every 65536th value whatever its bin (values
 * on the last edge used to skip the poll: a feature whose values mostly
 * equal the maximum was binned unpolled).
 */
static void
tally_numpy(const double *x, size_t n, const double *e, size_t k, double *c)
{
	size_t		i;

	for (i = 0; i < k; i++)
		c[i] = 0.0;
	for (i = 0; i < n; i++)
	{
		size_t		le = count_le_e(e, k + 1, x[i]);

		/* first: the branches below skip the rest of the body */
		if ((i + 1) % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
		if (le == 0)
			continue;			/* below the first edge: not counted */
		if (le > k)
		{
			if (x[i] == e[k])
				c[k - 1] += 1.0;	/* last edge: closed */
			continue;
		}
		c[le - 1] += 1.0;
	}
}

size_t
dm_histogram2_unsorted(double *a, size_t n1, const double *b, size_t n2,
					   dm_binning rule, int bins,
					   double **ref_counts, double **cur_counts)
{
	size_t		k;
	double	   *e;
	double	   *rc,
			   *cc;

	if (rule == DM_BINNING_QUANTILE)
	{
		size_t	   *ranks = dm_alloc(sizeof(size_t) * 2 * (size_t) bins);
		size_t		nr = 0,
					m = 0,
					i;
		int			depth = 2 * (int) log2((double) n1 + 1.0) + 4;

		/* the order statistics numpy's linear quantile reads, ascending */
		for (i = 1; i < (size_t) bins; i++)
		{
			double		vi = (double) (n1 - 1) * ((double) i / (double) bins);
			size_t		r0,
						r1;

			if (!(vi < (double) (n1 - 1)))
				r0 = r1 = n1 - 1;
			else
			{
				r0 = (size_t) floor(vi);
				r1 = r0 + 1;
			}
			if (nr == 0 || ranks[nr - 1] < r0)
				ranks[nr++] = r0;
			if (ranks[nr - 1] < r1)
				ranks[nr++] = r1;
		}
		multiselect(a, 0, n1, ranks, nr, depth);
		dm_free(ranks);
		/* with those ranks in place, dm_quantile_sorted reads the right values */
		e = dm_alloc(sizeof(double) * (size_t) (bins > 1 ? bins : 1));
		if (!quantile_edges(a, n1, bins, e, &m))
		{
			dm_free(e);
			goto overflow;
		}
		k = m + 1;
		rc = dm_alloc(sizeof(double) * k);
		cc = dm_alloc(sizeof(double) * k);
		tally_quantile(a, n1, e, m, rc);
		tally_quantile(b, n2, e, m, cc);
	}
	else
	{
		double		first = a[0],
					last = a[0];
		size_t		i;

		for (i = 0; i < n1; i++)
		{
			if (a[i] < first)
				first = a[i];
			if (a[i] > last)
				last = a[i];
		}
		for (i = 0; i < n2; i++)
		{
			if (b[i] < first)
				first = b[i];
			if (b[i] > last)
				last = b[i];
		}
		e = width_edges(rule, bins, first, last, n1 + n2, &k);
		rc = dm_alloc(sizeof(double) * k);
		cc = dm_alloc(sizeof(double) * k);
		tally_numpy(a, n1, e, k, rc);
		tally_numpy(b, n2, e, k, cc);
	}
	dm_free(e);
	*ref_counts = rc;
	*cur_counts = cc;
	return k;

overflow:
	/* the values span more than a double can represent: no histogram */
	*ref_counts = *cur_counts = NULL;
	return 0;
}
