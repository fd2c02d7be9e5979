/*
 * test_numeric_core.c
 *		Unit tests of ks_stat.c, binning.c and wasserstein.c: hand-computed
 *		cases, and random cases against literal O(n^2) transcriptions of
 *		scipy's ks_2samp / wasserstein_distance algorithms.
 */
#include "tap.h"
#include "dm_core.h"
#include "dm_sort.h"
#include "numeric_core.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64 */
static uint64_t rng_state = 7;

static uint64_t
rnd(void)
{
	uint64_t	z = (rng_state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* count_le: searchsorted(x, v, 'right') by linear scan. */
static size_t
count_le(const double *x, size_t n, double v)
{
	size_t		c = 0,
				i;

	for (i = 0; i < n; i++)
		c += x[i] <= v;
	return c;
}

/*
 * scipy_ks: literal transcription of scipy 1.10 ks_2samp's statistic part:
 * cddiffs over data_all = concat(a, b), argmin/argmax first occurrence.
 */
static void
scipy_ks(const double *a, size_t n1, const double *b, size_t n2, int alt,
		 double *d, double *loc, int *sign)
{
	size_t		n = n1 + n2,
				i,
				amin = 0,
				amax = 0;
	double	   *all = malloc(n * sizeof(double));
	double	   *cd = malloc(n * sizeof(double));
	double		minS,
				maxS;

	memcpy(all, a, n1 * sizeof(double));
	memcpy(all + n1, b, n2 * sizeof(double));
	for (i = 0; i < n; i++)
	{
		cd[i] = (double) count_le(a, n1, all[i]) / (double) n1 -
			(double) count_le(b, n2, all[i]) / (double) n2;
		if (cd[i] < cd[amin])
			amin = i;
		if (cd[i] > cd[amax])
			amax = i;
	}
	minS = -cd[amin];
	if (minS < 0)
		minS = 0;
	if (minS > 1)
		minS = 1;
	maxS = cd[amax];
	if (alt == DM_KS_LESS || (alt == DM_KS_TWO_SIDED && minS > maxS))
	{
		*d = minS;
		*loc = all[amin];
		*sign = -1;
	}
	else
	{
		*d = maxS;
		*loc = all[amax];
		*sign = 1;
	}
	free(all);
	free(cd);
}

/* scipy_w1: literal scipy _cdf_distance(p=1) with a plain sum. */
static double
scipy_w1(const double *a, size_t n1, const double *b, size_t n2)
{
	size_t		n = n1 + n2,
				i;
	double	   *all = malloc(n * sizeof(double));
	double		s = 0;

	memcpy(all, a, n1 * sizeof(double));
	memcpy(all + n1, b, n2 * sizeof(double));
	dm_sort_doubles(all, n);
	for (i = 0; i + 1 < n; i++)
		s += fabs((double) count_le(a, n1, all[i]) / n1 -
				  (double) count_le(b, n2, all[i]) / n2) * (all[i + 1] - all[i]);
	free(all);
	return s;
}

/* fill: random sample, continuous or heavily tied. */
static void
fill(double *x, size_t n, int tied, double shift)
{
	size_t		i;

	for (i = 0; i < n; i++)
	{
		if (tied)
			x[i] = (double) (rnd() % 4) + shift;
		else
			x[i] = (double) (rnd() >> 11) / 9007199254740992.0 + shift;
	}
	dm_sort_doubles(x, n);
}

static void
test_ks_hand(void)
{
	double		a[] = {1, 2, 3, 4, 5},
				b[] = {3, 4, 5, 6, 7, 8};
	double		c[] = {5, 6},
				d[] = {1, 2};
	dm_ks_stat	s;

	dm_ks_statistic(a, 5, b, 6, DM_KS_TWO_SIDED, &s);
	tap_ok(s.numerator == 15 && s.statistic == 0.5 && s.location == 5 && s.sign == 1 && s.h == 15,
		   "ks two-sided {1..5} vs {3..8}: D = 15/30 at 5, sign +1 (got %lld %g %g %d)",
		   (long long) s.numerator, s.statistic, s.location, s.sign);
	dm_ks_statistic(a, 5, b, 6, DM_KS_LESS, &s);
	tap_ok(s.numerator == 0 && s.statistic == 0 && s.location == 8 && s.sign == -1,
		   "ks less {1..5} vs {3..8}: 0 at 8, sign -1");
	dm_ks_statistic(c, 2, d, 2, DM_KS_TWO_SIDED, &s);
	tap_ok(s.statistic == 1 && s.location == 2 && s.sign == -1 && s.h == 2,
		   "ks two-sided {5,6} vs {1,2}: D = 1 at 2, sign -1, h = 2");
	dm_ks_statistic(c, 2, d, 2, DM_KS_GREATER, &s);
	tap_ok(s.statistic == 0 && s.location == 6 && s.sign == 1,
		   "ks greater {5,6} vs {1,2}: 0 at 6 (first max in concat order)");
	tap_ok(dm_gcd64(12, 18) == 6 && dm_gcd64(7, 1) == 1 && dm_gcd64(5, 5) == 5, "gcd");
}

static void
test_ks_random(void)
{
	int			trial,
				bad = 0;

	for (trial = 0; trial < 600; trial++)
	{
		size_t		n1 = 1 + rnd() % 40,
					n2 = (trial % 3 == 0) ? n1 : 1 + rnd() % 60;
		int			tied = trial % 2;
		double		a[40],
					b[60];
		int			alt = trial % 3;
		dm_ks_stat	s;
		double		d,
					loc;
		int			sign;

		fill(a, n1, tied, 0.0);
		fill(b, n2, tied, (trial % 5) * 0.1);
		dm_ks_statistic(a, n1, b, n2, alt, &s);
		scipy_ks(a, n1, b, n2, alt, &d, &loc, &sign);
		if (fabs(s.statistic - d) > 1e-15 || s.location != loc || s.sign != sign ||
			(double) s.numerator != (double) s.h * dm_gcd64(n1, n2))
		{
			if (bad++ < 5)
				printf("#   trial %d n=%zu,%zu alt %d: got %.17g %g %d want %.17g %g %d\n",
					   trial, n1, n2, alt, s.statistic, s.location, s.sign, d, loc, sign);
		}
	}
	tap_ok(bad == 0, "ks statistic/location/sign equal scipy's algorithm on 600 random cases (%d bad)", bad);
}

static void
test_quantile(void)
{
	double		a[] = {1, 2, 3, 4, 5};
	double		one[] = {42};

	tap_ok(dm_quantile_sorted(a, 5, 0.05) == 1.2, "quantile 0.05 of 1..5 = 1.2");
	tap_ok(dm_quantile_sorted(a, 5, 0.95) == 4.8, "quantile 0.95 of 1..5 = 4.8");
	tap_ok(dm_quantile_sorted(a, 5, 0.5) == 3, "median of 1..5 = 3");
	tap_ok(dm_quantile_sorted(a, 5, 0.0) == 1 && dm_quantile_sorted(a, 5, 1.0) == 5,
		   "quantile 0 and 1 are min and max");
	tap_ok(dm_quantile_sorted(one, 1, 0.3) == 42, "quantile of one value");
}

static void
test_hist(void)
{
	double		a[] = {1, 2, 3, 4, 5},
				b[] = {3, 4, 5, 6, 7, 8};
	double		wr[] = {2, 0, 2, 0, 2, 0, 0, 2, 0, 2};
	double		wc[] = {0, 0, 0, 0, 1, 0, 0, 1, 0, 4};
	double		ur[] = {2, 2, 1, 0},
				uc[] = {0, 2, 2, 2};
	double		sr[] = {2, 1, 2, 0, 0},
				sc[] = {0, 1, 2, 1, 2};
	double	   *rc,
			   *cc;
	size_t		k,
				i;
	int			ok;
	double		c1[] = {7, 7},
				c2[] = {7, 7, 7};
	double		t1[] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1},
				t2[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};

	/* quantile cuts 1.4, 1.8, ..., 4.6 on 5 values: 10 bins, doubled counts */
	k = dm_histogram2(a, 5, b, 6, DM_BINNING_QUANTILE, 10, &rc, &cc);
	ok = (k == 10);
	for (i = 0; ok && i < k; i++)
		ok = rc[i] == wr[i] / 2 && cc[i] == wc[i];
	tap_ok(ok, "quantile bins of 1..5 vs 3..8: right-closed, open outer bins");
	free(rc);
	free(cc);
	/* uniform 4 bins on [1, 8]: edges 1, 2.75, 4.5, 6.25, 8 */
	k = dm_histogram2(a, 5, b, 6, DM_BINNING_UNIFORM, 4, &rc, &cc);
	ok = (k == 4);
	for (i = 0; ok && i < k; i++)
		ok = rc[i] == ur[i] && cc[i] == uc[i];
	tap_ok(ok, "uniform 4 bins: numpy counting, last bin closed");
	free(rc);
	free(cc);
	/* sturges: n = 11, width 7 / (log2(11) + 1) => 5 bins, edges 1, 2.4, 3.8, 5.2, 6.6, 8 */
	k = dm_histogram2(a, 5, b, 6, DM_BINNING_STURGES, 99, &rc, &cc);
	ok = (k == 5);
	for (i = 0; ok && i < k; i++)
		ok = rc[i] == sr[i] && cc[i] == sc[i];
	tap_ok(ok, "sturges: 5 bins over both windows, bins argument ignored (k = %zu)", k);
	free(rc);
	free(cc);
	k = dm_histogram2(c1, 2, c2, 3, DM_BINNING_STURGES, 10, &rc, &cc);
	tap_ok(k == 1 && rc[0] == 2 && cc[0] == 3, "sturges on a constant: one bin [v-0.5, v+0.5]");
	free(rc);
	free(cc);
	k = dm_histogram2(c1, 2, c2, 3, DM_BINNING_QUANTILE, 10, &rc, &cc);
	tap_ok(k == 2 && rc[0] == 2 && cc[0] == 3 && rc[1] == 0 && cc[1] == 0,
		   "quantile on a constant reference: ties collapse to one cut, 2 bins");
	free(rc);
	free(cc);
	k = dm_histogram2(t1, 10, t2, 10, DM_BINNING_QUANTILE, 10, &rc, &cc);
	tap_ok(k == 4 && rc[0] == 8 && rc[2] == 2 && cc[0] == 5 && cc[2] == 5,
		   "quantile on a 0/1 reference: cuts {0, 0.2, 1}, 4 bins");
	free(rc);
	free(cc);
}

static void
test_wasserstein(void)
{
	double		a[] = {1, 2, 3, 4, 5},
				b[] = {3, 4, 5, 6, 7, 8};
	double		x[] = {0, 0, 1, 1},
				y[] = {1, 1, 1, 2};
	double		m;
	int			trial,
				bad = 0;

	tap_ok(dm_wasserstein_sorted(a, 5, b, 6) == 2.5, "wasserstein 1..5 vs 3..8 = 2.5");
	tap_ok(dm_wasserstein_sorted(x, 4, y, 4) == 0.75, "wasserstein with ties = 0.75");
	tap_ok(dm_wasserstein_sorted(a, 5, a, 5) == 0, "wasserstein of identical samples = 0");
	for (trial = 0; trial < 400; trial++)
	{
		size_t		n1 = 1 + rnd() % 50,
					n2 = 1 + rnd() % 50;
		double		p[50],
					q[50],
					w,
					r;

		fill(p, n1, trial % 2, 0.0);
		fill(q, n2, trial % 2, (trial % 4) * 0.3);
		w = dm_wasserstein_sorted(p, n1, q, n2);
		r = scipy_w1(p, n1, q, n2);
		if (fabs(w - r) > 1e-14 * fabs(r) + 1e-300)
			if (bad++ < 5)
				printf("#   trial %d: %.17g vs %.17g\n", trial, w, r);
	}
	tap_ok(bad == 0, "wasserstein equals scipy's algorithm on 400 random cases (%d bad)", bad);
	m = dm_mean(a, 5);
	tap_ok(m == 3 && fabs(dm_std_sample(a, 5, m) - sqrt(2.5)) < 1e-15,
		   "mean 3, sample std sqrt(2.5) of 1..5");
	tap_ok(isnan(dm_std_sample(a, 1, 1.0)), "sample std of one value is NaN");
}

/* test_hist_unsorted: the selection path gives the sorted path's histograms. */
static void
test_hist_unsorted(void)
{
	int			trial,
				bad = 0;

	for (trial = 0; trial < 300; trial++)
	{
		size_t		n1 = 1 + rnd() % 3000,
					n2 = 1 + rnd() % 3000,
					i,
					k1,
					k2;
		double	   *a = malloc(n1 * sizeof(double)),
				   *b = malloc(n2 * sizeof(double)),
				   *sa = malloc(n1 * sizeof(double)),
				   *sb = malloc(n2 * sizeof(double));
		double	   *rc1,
				   *cc1,
				   *rc2,
				   *cc2;
		int			rule = trial % 3;
		int			bins = 2 + (int) (rnd() % 30);
		int			tied = (trial / 3) % 2;

		for (i = 0; i < n1; i++)
			a[i] = tied ? (double) (rnd() % 5) : (double) (rnd() >> 11) / 9007199254740992.0 - 0.5;
		for (i = 0; i < n2; i++)
			b[i] = tied ? (double) (rnd() % 6) : (double) (rnd() >> 11) / 7007199254740992.0 - 0.5;
		memcpy(sa, a, n1 * sizeof(double));
		memcpy(sb, b, n2 * sizeof(double));
		dm_sort_doubles(sa, n1);
		dm_sort_doubles(sb, n2);
		k1 = dm_histogram2(sa, n1, sb, n2, rule, bins, &rc1, &cc1);
		k2 = dm_histogram2_unsorted(a, n1, b, n2, rule, bins, &rc2, &cc2);
		if (k1 != k2 || memcmp(rc1, rc2, k1 * sizeof(double)) != 0 ||
			memcmp(cc1, cc2, k1 * sizeof(double)) != 0)
		{
			if (bad++ < 5)
				printf("#   trial %d rule %d bins %d n=%zu,%zu: k %zu vs %zu\n",
					   trial, rule, bins, n1, n2, k1, k2);
		}
		free(a);
		free(b);
		free(sa);
		free(sb);
		free(rc1);
		free(cc1);
		free(rc2);
		free(cc2);
	}
	tap_ok(bad == 0, "unsorted (quickselect) histograms equal the sorted ones on 300 random cases (%d bad)", bad);
}

/*
 * test_hist_overflow: a range wider than a double (max - min overflows) is
 * still binned, with edges from the weighted form, identically by the sorted
 * and the quickselect paths.  Worked by hand for a = {-1.7e308, 1.7e308},
 * b = {2, 1.7e308}:
 *   quantile, 4 bins: cuts -0.85e308, 0, 0.85e308 -> a = [1,0,0,1], b = [0,0,1,1]
 *   uniform, 4 bins: edges -1.7e308, -0.85e308, 0, 0.85e308, 1.7e308 -> same
 *   sturges: ceil(log2(4) + 1) = 3 bins, edges +-1.7e308, +-0.567e308
 *            -> a = [1,0,1], b = [0,1,1]
 */
static void
test_hist_overflow(void)
{
	static const double want_a[3][4] = {{1, 0, 0, 1}, {1, 0, 0, 1}, {1, 0, 1, 0}};
	static const double want_b[3][4] = {{0, 0, 1, 1}, {0, 0, 1, 1}, {0, 1, 1, 0}};
	static const size_t want_k[3] = {4, 4, 3};
	double		a[] = {-1.7e308, 1.7e308},
				b[] = {2.0, 1.7e308},
				ua[2],
				ub[2];
	int			rule;

	for (rule = 0; rule < 3; rule++)
	{
		double	   *rc = NULL,
				   *cc = NULL,
				   *urc = NULL,
				   *ucc = NULL;
		size_t		k,
					uk,
					i;
		int			ok;

		memcpy(ua, a, sizeof(a));
		memcpy(ub, b, sizeof(b));
		k = dm_histogram2(a, 2, b, 2, rule, 4, &rc, &cc);
		uk = dm_histogram2_unsorted(ua, 2, ub, 2, rule, 4, &urc, &ucc);
		ok = (k == want_k[rule] && uk == k);
		for (i = 0; ok && i < k; i++)
			ok = rc[i] == want_a[rule][i] && cc[i] == want_b[rule][i] &&
				urc[i] == rc[i] && ucc[i] == cc[i];
		tap_ok(ok, "rule %d: a range that overflows a double is binned as worked by hand, both paths agree", rule);
		free(rc);
		free(cc);
		free(urc);
		free(ucc);
	}
}

static long n_polls = 0;

/* counting_poll: counts the core's cancellation polls (DM_CHECK_INTERRUPTS). */
static void
counting_poll(void)
{
	n_polls++;
}

/*
 * test_select_polls: psi_agg's quickselect of the reference quantiles polls
 * for cancellation while it partitions.  Before the fix it never did: over
 * 50M values it ran 1.3 s (10 bins) to 4 s (10000 bins) that
 * statement_timeout could not interrupt; the only polls of
 * dm_histogram2_unsorted came from the tally afterwards (one per 65536
 * values binned: n1 / 65536 here, with a one-value current side).
 */
static void
test_select_polls(void)
{
	size_t		n1 = (size_t) 1 << 20,
				i;
	double	   *a = malloc(n1 * sizeof(double));
	double		b[1] = {0.5};
	double	   *rc,
			   *cc;
	size_t		k;
	long		tally_polls = (long) (n1 / DM_INTERRUPT_EVERY);
	void		(*saved) (void) = dm_interrupt;
	int			bins;

	for (bins = 10; bins <= 10000; bins *= 1000)
	{
		for (i = 0; i < n1; i++)
			a[i] = (double) (rnd() >> 11) / 9007199254740992.0;
		dm_interrupt = counting_poll;
		n_polls = 0;
		k = dm_histogram2_unsorted(a, n1, b, 1, DM_BINNING_QUANTILE, bins, &rc, &cc);
		dm_interrupt = saved;
		tap_ok(k == (size_t) bins && n_polls >= 2 * tally_polls,
			   "quickselect of %zu values, %d bins: polls for cancellation while selecting "
			   "(%ld polls; the tally alone makes %ld)", n1, bins, n_polls, tally_polls);
		free(rc);
		free(cc);
	}
	/*
	 * 'uniform' over values that mostly equal the maximum (the last,
	 * closed edge): the tally skipped its poll for every such value.
	 */
	for (i = 0; i < n1; i++)
		a[i] = (i % 1000 == 0) ? 0.0 : 1.0;
	dm_interrupt = counting_poll;
	n_polls = 0;
	k = dm_histogram2_unsorted(a, n1, b, 1, DM_BINNING_UNIFORM, 10, &rc, &cc);
	dm_interrupt = saved;
	tap_ok(k == 10 && rc[9] == (double) (n1 - (n1 + 999) / 1000) && n_polls >= tally_polls,
		   "uniform tally of %zu values, most on the last edge: polls for cancellation "
		   "(%ld polls, want >= %ld)", n1, n_polls, tally_polls);
	free(rc);
	free(cc);
	free(a);
}

int
main(void)
{
	test_select_polls();
	test_hist_overflow();
	test_hist_unsorted();
	test_ks_hand();
	test_ks_random();
	test_quantile();
	test_hist();
	test_wasserstein();
	return tap_done();
}
