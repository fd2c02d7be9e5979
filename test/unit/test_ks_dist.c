/*
 * test_ks_dist.c
 *		Kolmogorov-Smirnov null distributions on cases checkable by hand:
 *		tiny samples enumerated on paper, the reflection-principle closed
 *		forms for equal sizes, one observation against many, the Ruben-
 *		Gambino ends of kstwo, edge arguments, monotonicity in D, the
 *		lattice recursion against the closed forms, the method rule, memory
 *		and interrupt hooks, and the time of the largest 'auto' exact case.
 */
#define _POSIX_C_SOURCE 199309L
#include "tap.h"
#include "dm_core.h"
#include "ks_dist.h"

#include <stdlib.h>
#include <time.h>

static size_t max_alloc = 0;
static long n_interrupts = 0;

/* counting_alloc: malloc that remembers the largest request. */
static void *
counting_alloc(size_t size)
{
	if (size > max_alloc)
		max_alloc = size;
	return malloc(size ? size : 1);
}

/* counting_interrupt: counts the core's cancellation polls. */
static void
counting_interrupt(void)
{
	n_interrupts++;
}

/* binom: C(n, k) as a double (exact for the small n used here). */
static double
binom(int n, int k)
{
	double		r = 1.0;
	int			i;

	if (k < 0 || k > n)
		return 0.0;
	for (i = 1; i <= k; i++)
		r = r * (n - k + i) / i;
	return r;
}

/* Timing checks are meaningless under ASan or valgrind (test/run.sh sets this). */
static int	under_tool = 0;

/* now_seconds: monotonic clock. */
static double
now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

/* reflection_two_sided: 2 sum_k (-1)^(k-1) C(2n, n-kh) / C(2n, n), small n. */
static double
reflection_two_sided(int n, int h)
{
	double		s = 0.0;
	int			k;

	for (k = 1; n - k * h >= 0; k++)
		s += (k % 2 ? 1.0 : -1.0) * binom(2 * n, n - k * h);
	return 2.0 * s / binom(2 * n, n);
}

int
main(void)
{
	dm_ks_method used;
	char		name[200];
	int			n,
				h;

	under_tool = getenv("DM_UNDER_TOOL") != NULL;

	/* ---- tiny samples, enumerated by hand ---- */

	/* n1 = n2 = 1: two orderings, D = 1 always; D+ = 1 in one of them. */
	tap_close(dm_ks_2samp_exact(1, 1, 1, DM_KS_TWO_SIDED), 1.0, 0, 0, "1 vs 1: P(D >= 1) = 1");
	tap_close(dm_ks_2samp_exact(1, 1, 1, DM_KS_LESS), 0.5, 1e-15, 0, "1 vs 1: P(D- >= 1) = 1/2");
	tap_close(dm_ks_2samp_exact(1, 1, 1, DM_KS_GREATER), 0.5, 1e-15, 0, "1 vs 1: P(D+ >= 1) = 1/2");

	/*
	 * 1 vs 2 (lcm 2): x below both y (D = 1, D+ = 1), between (D = 1/2,
	 * D+ = 1/2), above both (D = 1, D+ = 0).
	 */
	tap_close(dm_ks_2samp_exact(1, 2, 1, DM_KS_TWO_SIDED), 1.0, 0, 0, "1 vs 2: P(D >= 1/2) = 1");
	tap_close(dm_ks_2samp_exact(1, 2, 2, DM_KS_TWO_SIDED), 2.0 / 3, 1e-15, 0, "1 vs 2: P(D >= 1) = 2/3");
	tap_close(dm_ks_2samp_exact(1, 2, 1, DM_KS_GREATER), 2.0 / 3, 1e-15, 0, "1 vs 2: P(D+ >= 1/2) = 2/3");
	tap_close(dm_ks_2samp_exact(1, 2, 2, DM_KS_GREATER), 1.0 / 3, 1e-15, 0, "1 vs 2: P(D+ >= 1) = 1/3");
	tap_close(dm_ks_2samp_exact(2, 1, 2, DM_KS_LESS), 1.0 / 3, 1e-15, 0, "2 vs 1: P(D- >= 1) = 1/3 (symmetric in n1, n2)");

	/* n = 2 (6 orderings): D = 1 for xxyy and yyxx only. */
	tap_close(dm_ks_2samp_exact(2, 2, 2, DM_KS_TWO_SIDED), 1.0 / 3, 1e-15, 0, "2 vs 2: P(D >= 1) = 2/6");
	tap_close(dm_ks_2samp_exact(2, 2, 1, DM_KS_GREATER), 2.0 / 3, 1e-15, 0, "2 vs 2: P(D+ >= 1/2) = C(4,1)/C(4,2)");
	tap_close(dm_ks_2samp_exact(3, 3, 2, DM_KS_TWO_SIDED), 0.6, 1e-15, 0, "3 vs 3: P(D >= 2/3) = 2 C(6,1)/C(6,3)");
	tap_close(dm_ks_2samp_exact(3, 3, 2, DM_KS_GREATER), 0.3, 1e-15, 0, "3 vs 3: P(D+ >= 2/3) = C(6,1)/C(6,3)");

	/* D = 1/n for equal sizes: every path leaves at its first step. */
	for (n = 1; n <= 30; n++)
	{
		snprintf(name, sizeof(name), "%d vs %d: P(D >= 1/%d) is exactly 1 (scipy: asymptotic fallback)", n, n, n);
		tap_ok(dm_ks_2samp_pvalue(n, n, 1, DM_KS_TWO_SIDED, DM_KS_AUTO, &used) == 1.0 &&
			   used == DM_KS_EXACT, "%s", name);
	}

	/* ---- closed forms for equal sizes ---- */
	for (n = 2; n <= 40; n += 3)
		for (h = 1; h <= n; h += 2)
		{
			snprintf(name, sizeof(name), "%d vs %d, h = %d: one-sided = C(2n, n-h)/C(2n, n)", n, n, h);
			tap_close(dm_ks_2samp_exact(n, n, h, DM_KS_GREATER),
					  binom(2 * n, n - h) / binom(2 * n, n), 1e-13, 0, name);
			if (h >= 3)
			{
				snprintf(name, sizeof(name), "%d vs %d, h = %d: two-sided = reflection series", n, n, h);
				tap_close(dm_ks_2samp_exact(n, n, h, DM_KS_TWO_SIDED),
						  reflection_two_sided(n, h), 1e-12, 0, name);
			}
		}

	/* lattice recursion against the double-double closed forms */
	{
		int			sizes[] = {5, 17, 64, 200, 1000};
		int			s;

		for (s = 0; s < 5; s++)
		{
			n = sizes[s];
			for (h = 1; h <= n; h += (n / 7 > 0 ? n / 7 : 1))
			{
				snprintf(name, sizeof(name), "%d vs %d, h = %d: lattice = closed form (two-sided)", n, n, h);
				tap_close(dm_ks_2samp_lattice(n, n, h, DM_KS_TWO_SIDED),
						  dm_ks_2samp_exact(n, n, h, DM_KS_TWO_SIDED), 1e-13, 0, name);
				snprintf(name, sizeof(name), "%d vs %d, h = %d: lattice = closed form (one-sided)", n, n, h);
				tap_close(dm_ks_2samp_lattice(n, n, h, DM_KS_GREATER),
						  dm_ks_2samp_exact(n, n, h, DM_KS_GREATER), 1e-13, 0, name);
			}
		}
	}

	/* ---- D = 1: all of one sample below the other ---- */
	tap_close(dm_ks_2samp_exact(7, 7, 7, DM_KS_TWO_SIDED), 2.0 / binom(14, 7), 1e-15, 0, "7 vs 7, D = 1: 2/C(14,7)");
	tap_close(dm_ks_2samp_exact(5, 8, 40, DM_KS_TWO_SIDED), 2.0 / binom(13, 5), 1e-15, 0, "5 vs 8, D = 1: 2/C(13,5)");
	tap_close(dm_ks_2samp_exact(5, 8, 40, DM_KS_GREATER), 1.0 / binom(13, 5), 1e-15, 0, "5 vs 8, D+ = 1: 1/C(13,5)");
	tap_close(dm_ks_2samp_exact(6, 4, 12, DM_KS_TWO_SIDED), 2.0 / binom(10, 4), 1e-15, 0, "6 vs 4, D = 1 (lcm 12): 2/C(10,4)");

	/* ---- one observation against 10000 ----
	 * With r of the 10000 below x: D+ = 1 - r/10000, D- = r/10000, r uniform
	 * on 0..10000.  P(D+ >= h/10000) = (10001 - h)/10001;
	 * P(D >= h/10000) = 1 for h <= 5000, else 2 (10001 - h)/10001.
	 */
	{
		int			hs[] = {1, 2500, 5000, 5001, 7777, 9999, 10000};
		int			i;

		for (i = 0; i < 7; i++)
		{
			h = hs[i];
			snprintf(name, sizeof(name), "1 vs 10000, h = %d: one-sided (10001 - h)/10001", h);
			tap_close(dm_ks_2samp_pvalue(1, 10000, h, DM_KS_GREATER, DM_KS_AUTO, &used),
					  (10001.0 - h) / 10001.0, 1e-13, 0, name);
			snprintf(name, sizeof(name), "10000 vs 1, h = %d: two-sided by counting", h);
			tap_close(dm_ks_2samp_pvalue(10000, 1, h, DM_KS_TWO_SIDED, DM_KS_AUTO, &used),
					  h <= 5000 ? 1.0 : 2.0 * (10001.0 - h) / 10001.0, 1e-13, 0, name);
		}
	}

	/* ---- edges and invalid arguments ---- */
	tap_ok(dm_ks_2samp_pvalue(10, 20, 0, DM_KS_TWO_SIDED, DM_KS_AUTO, &used) == 1.0, "h = 0: p = 1");
	tap_ok(dm_ks_2samp_pvalue(50000, 70000, 0, DM_KS_GREATER, DM_KS_AUTO, &used) == 1.0, "h = 0, asymptotic: p = 1");
	tap_ok(isnan(dm_ks_2samp_pvalue(10, 20, 21, DM_KS_TWO_SIDED, DM_KS_AUTO, NULL)), "h > lcm: NaN");
	tap_ok(isnan(dm_ks_2samp_pvalue(0, 20, 1, DM_KS_TWO_SIDED, DM_KS_AUTO, NULL)), "n1 = 0: NaN");
	tap_ok(isnan(dm_ks_2samp_pvalue(3, 20, -1, DM_KS_TWO_SIDED, DM_KS_AUTO, NULL)), "h < 0: NaN");
	tap_ok(dm_ks_2samp_pvalue(2, 3, 1, DM_KS_TWO_SIDED, DM_KS_EXACT, NULL) == 1.0,
		   "h smaller than any step: every path leaves, p = 1");

	/* ---- method rule ---- */
	dm_ks_2samp_pvalue(10000, 10000, 300, DM_KS_TWO_SIDED, DM_KS_AUTO, &used);
	tap_ok(used == DM_KS_EXACT, "auto, 10000 vs 10000: exact");
	dm_ks_2samp_pvalue(10001, 5, 300, DM_KS_TWO_SIDED, DM_KS_AUTO, &used);
	tap_ok(used == DM_KS_ASYMP, "auto, 10001 vs 5: asymptotic");
	dm_ks_2samp_pvalue(10, 20, 5, DM_KS_TWO_SIDED, DM_KS_ASYMP, &used);
	tap_ok(used == DM_KS_ASYMP, "asymp requested: asymptotic");
	{
		double		p = dm_ks_2samp_pvalue(100000, 100000, 1000, DM_KS_TWO_SIDED, DM_KS_EXACT, &used);

		tap_ok(used == DM_KS_EXACT && p > 0 && p < 1, "exact, 1e5 vs 1e5: closed form stays exact");
		/* two-sided ~ Kolmogorov limit 2 sum (-1)^(k-1) exp(-2 k^2 z^2), z = 0.01 sqrt(5e4) */
		tap_close(p, dm_kstwo_sf(0.01, 50000), 2e-2, 0, "exact, 1e5 vs 1e5: close to the asymptotic value");
	}
	dm_ks_2samp_pvalue(30000, 30001, 1000, DM_KS_TWO_SIDED, DM_KS_EXACT, &used);
	tap_ok(used == DM_KS_ASYMP, "exact, 30000 vs 30001: beyond the cell limit, asymptotic");
	/* asymp, 1 vs 1: round(1/2) = 0 leaves kstwo undefined (scipy: NaN); the exact p is 1 */
	tap_close(dm_ks_2samp_pvalue(1, 1, 1, DM_KS_TWO_SIDED, DM_KS_ASYMP, &used), 1.0, 0, 0,
			  "asymp, 1 vs 1: undefined asymptotically, exact p = 1 instead");
	tap_ok(used == DM_KS_EXACT, "asymp, 1 vs 1: reports the exact method it used");

	/* ---- monotone in D ---- */
	{
		int			pairs[][2] = {{7, 7}, {13, 29}, {40, 41}, {100, 3}, {250, 250}};
		int			pi;

		for (pi = 0; pi < 5; pi++)
		{
			int			n1 = pairs[pi][0],
						n2 = pairs[pi][1],
						g = n1,
						r = n2,
						lcm;
			int			ok2 = 1,
						ok1 = 1;
			double		last2 = 1.0,
						last1 = 1.0;

			while (r)
			{
				int			t = g % r;

				g = r;
				r = t;
			}
			lcm = n1 / g * n2;
			for (h = 0; h <= lcm; h++)
			{
				double		p2 = dm_ks_2samp_exact(n1, n2, h, DM_KS_TWO_SIDED);
				double		p1 = dm_ks_2samp_exact(n1, n2, h, DM_KS_LESS);

				ok2 &= (p2 <= last2 && p2 >= 0.0);
				ok1 &= (p1 <= last1 && p1 >= 0.0 && p1 <= p2);
				last2 = p2;
				last1 = p1;
			}
			tap_ok(ok2, "%d vs %d: two-sided p non-increasing in h, within [0, 1]", n1, n2);
			tap_ok(ok1, "%d vs %d: one-sided p non-increasing in h, <= two-sided", n1, n2);
		}
	}

	/* ---- kstwo and smirnov: closed forms ---- */
	/* n = 1: D_1 = max(U, 1 - U), P(D_1 <= d) = 2d - 1 on [1/2, 1]. */
	tap_close(dm_kstwo_cdf(0.75, 1), 0.5, 1e-15, 0, "kstwo n = 1: cdf(0.75) = 0.5");
	tap_close(dm_kstwo_sf(0.6, 1), 0.8, 1e-15, 0, "kstwo n = 1: sf(0.6) = 0.8");
	tap_ok(dm_kstwo_sf(0.4, 1) == 1.0 && dm_kstwo_cdf(0.4, 1) == 0.0, "kstwo n = 1: below the support");
	tap_ok(dm_kstwo_sf(1.0, 5) == 0.0 && dm_kstwo_cdf(1.0, 5) == 1.0, "kstwo: d = 1");
	/* n = 2: cdf = (1/2)(4d - 1)^2 on [1/4, 1/2]; sf = 2 (1 - d)^2 on [1/2, 1]. */
	tap_close(dm_kstwo_cdf(0.375, 2), 0.5 * 0.25, 1e-15, 0, "kstwo n = 2: cdf(3/8) = (4d-1)^2/2");
	tap_close(dm_kstwo_sf(0.8, 2), 2 * 0.04, 1e-14, 0, "kstwo n = 2: sf(0.8) = 2 (1-d)^2");
	/* 1 - 1/n <= d: sf = 2 (1 - d)^n */
	tap_close(dm_kstwo_sf(0.95, 10), 2 * pow(0.05, 10), 1e-14, 0, "kstwo n = 10: sf(0.95) = 2 (0.05)^10");
	tap_close(dm_smirnov_sf(10, 0.95), pow(0.05, 10), 1e-14, 0, "smirnov n = 10: sf(0.95) = (0.05)^10");
	tap_close(dm_smirnov_sf(1, 0.3), 0.7, 1e-15, 0, "smirnov n = 1: sf = 1 - d");
	/* smirnov n = 2, 1/2 <= d: P(D+ >= d) = (1-d)^2; d < 1/2: Smirnov's two terms */
	tap_close(dm_smirnov_sf(2, 0.25), 0.25 * (pow(0.75, 2) / 0.25 + 2 * pow(0.25, 1)), 1e-15, 0,
			  "smirnov n = 2: sf(1/4) by the two-term sum");
	/* d >= 1/2: two-sided = 2 one-sided */
	tap_close(dm_kstwo_sf(0.6, 50), 2 * dm_smirnov_sf(50, 0.6), 1e-15, 0, "kstwo sf = 2 smirnov for d >= 1/2");
	{
		int			ok = 1;
		double		last = 1.0,
					d;

		for (d = 0.001; d < 1.0; d += 0.001)
		{
			double		p = dm_kstwo_sf(d, 60);

			ok &= (p <= last + 1e-15 && fabs(dm_kstwo_sf(d, 60) + dm_kstwo_cdf(d, 60) - 1) < 1e-13);
			last = p;
		}
		tap_ok(ok, "kstwo n = 60: sf non-increasing, sf + cdf = 1");
	}

	/* ---- host hooks: memory O(min(n1, n2)), interrupt polling, time ---- */
	{
		double		t0,
					t1,
					p;
		void	   *(*saved_alloc) (size_t) = dm_alloc;
		void		(*saved_interrupt) (void) = dm_interrupt;

		dm_alloc = counting_alloc;
		dm_interrupt = counting_interrupt;
		max_alloc = 0;
		p = dm_ks_2samp_exact(10000, 3, 15000, DM_KS_TWO_SIDED);
		tap_ok(max_alloc <= 64 && p > 0, "10000 vs 3: buffers sized by the smaller sample (%zu bytes)", max_alloc);

		n_interrupts = 0;
		t0 = now_seconds();
		p = dm_ks_2samp_pvalue(10000, 9999, 9999 * 10000 / 2, DM_KS_TWO_SIDED, DM_KS_AUTO, &used);
		t1 = now_seconds();
		tap_ok(used == DM_KS_EXACT && p >= 0 && p < 1e-300,
			   "10000 vs 9999, D = 1/2: exact, p below 1e-300 (%g)", p);
		tap_ok(n_interrupts >= 1000, "10000 vs 9999: interrupts polled (%ld times)", n_interrupts);
		tap_ok(under_tool || t1 - t0 < 3.0, "10000 vs 9999, D = 1/2 (the full lattice): %.3f s", t1 - t0);
		printf("# exact 10000 x 9999 (1e8 lattice cells): %.3f s\n", t1 - t0);

		t0 = now_seconds();
		p = dm_ks_2samp_pvalue(10000, 10000, 300, DM_KS_TWO_SIDED, DM_KS_AUTO, &used);
		t1 = now_seconds();
		tap_ok((under_tool || t1 - t0 < 0.5) && p > 0 && p < 1, "10000 vs 10000: closed form, %.4f s", t1 - t0);
		t0 = now_seconds();
		p = dm_ks_2samp_lattice(10000, 10000, 2000, DM_KS_TWO_SIDED);
		t1 = now_seconds();
		tap_close(p, dm_ks_2samp_exact(10000, 10000, 2000, DM_KS_TWO_SIDED), 1e-12, 0,
				  "10000 vs 10000, D = 0.2 (p ~ 1e-175): lattice = closed form");
		tap_ok(under_tool || t1 - t0 < 3.0, "10000 vs 10000 by the lattice: %.3f s", t1 - t0);
		printf("# exact 10000 x 10000 by the lattice recursion: %.3f s\n", t1 - t0);

		/*
		 * Equal sizes, two-sided, small D: the closed form's alternating
		 * series used to run over all n / h terms (h factors each) whenever
		 * h < 42, because it stopped only where one ratio A_k fell below
		 * 2^-120 instead of the product of the ratios, and those loops
		 * never polled for cancellation: 4.4 s at 5e7 values per side,
		 * 14 s at 2e8, that statement_timeout could not interrupt.  Now the
		 * series ends after ~sqrt(83 n) factors (and polls every 65536).
		 */
		n_interrupts = 0;
		t0 = now_seconds();
		p = dm_ks_2samp_exact(200000000, 200000000, 3, DM_KS_TWO_SIDED);
		t1 = now_seconds();
		tap_ok(p == 1.0 && (under_tool || t1 - t0 < 0.5),
			   "2e8 vs 2e8, D = 3/n: closed form p = 1 in %.4f s (was 14 s)", t1 - t0);
		tap_ok(n_interrupts >= 1,
			   "2e8 vs 2e8, D = 3/n: the series polls for cancellation (%ld polls)", n_interrupts);
		t0 = now_seconds();
		p = dm_ks_2samp_exact(50000000, 50000000, 2, DM_KS_TWO_SIDED);
		t1 = now_seconds();
		tap_ok(p == 1.0 && (under_tool || t1 - t0 < 0.5),
			   "5e7 vs 5e7, D = 2/n: closed form p = 1 in %.4f s (was 4.4 s)", t1 - t0);
		dm_alloc = saved_alloc;
		dm_interrupt = saved_interrupt;
	}

	return tap_done();
}
