/*
 * test_kll.c
 *		The KLL sketch and the numeric profile codec: exact mode, the rank
 *		error bound on random streams (checked against the exact ranks at
 *		many points), merges, weight conservation, encode/decode round trip
 *		and rejection of corrupted encodings.
 */
#include "tap.h"
#include "kll.h"
#include "nprofile.h"
#include "profile_compare.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 12345;

/* rnd: splitmix64. */
static uint64_t
rnd(void)
{
	uint64_t	z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* unif: uniform in [0, 1). */
static double
unif(void)
{
	return (double) (rnd() >> 11) / 9007199254740992.0;
}

/* cmp: qsort comparator. */
static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* upper: number of sorted[] <= x. */
static size_t
upper(const double *s, size_t n, double x)
{
	size_t		lo = 0,
				hi = n;

	while (lo < hi)
	{
		size_t		m = (lo + hi) / 2;

		if (s[m] <= x)
			lo = m + 1;
		else
			hi = m;
	}
	return lo;
}

/* weight_ok: sum len[h] 2^h == n and every level within its capacity. */
static int
weight_ok(const dm_kll *s)
{
	uint64_t	w = 0;
	uint32_t	h;

	for (h = 0; h < s->nlevels; h++)
	{
		if (s->len[h] > dm_kll_capacity(s->k, h, s->nlevels))
			return 0;			/* decoding would reject it */
		w += (uint64_t) s->len[h] << h;
	}
	return w == s->n;
}

/*
 * max_rank_error: sup over all data points and sketch items of
 * |estimated rank - true rank| / n.
 */
static double
max_rank_error(const dm_kll *s, const double *sorted, size_t n)
{
	dm_kll_view v;
	double		worst = 0.0;
	size_t		i;

	dm_kll_view_build(s, &v);
	for (i = 0; i < n; i += 1 + n / 20000)
	{
		double		e = fabs((double) dm_kll_view_rank(&v, sorted[i]) - (double) upper(sorted, n, sorted[i]));

		if (e > worst)
			worst = e;
	}
	for (i = 0; i < v.m; i++)
	{
		double		e = fabs((double) dm_kll_view_rank(&v, v.value[i]) - (double) upper(sorted, n, v.value[i]));

		if (e > worst)
			worst = e;
	}
	dm_kll_view_free(&v);
	return worst / (double) n;
}

/* stream_case: feed n values in batches of b, check the bound. */
static void
stream_case(size_t n, size_t b, uint32_t k, int kind)
{
	double	   *x = malloc(n * sizeof(double));
	double	   *sorted = malloc(n * sizeof(double));
	dm_kll		s;
	size_t		i;
	double		err,
				eps;

	for (i = 0; i < n; i++)
	{
		if (kind == 0)
			x[i] = unif();
		else if (kind == 1)
			x[i] = (double) (rnd() % 17);	/* heavy ties */
		else
			x[i] = (double) i;	/* sorted input, adversarial-ish */
	}
	memcpy(sorted, x, n * sizeof(double));
	qsort(sorted, n, sizeof(double), cmp);
	dm_kll_init(&s, k);
	for (i = 0; i < n; i += b)
		dm_kll_add(&s, x + i, (n - i < b) ? n - i : b);
	dm_kll_normalize(&s);
	err = max_rank_error(&s, sorted, n);
	eps = dm_kll_rank_error(&s);
	tap_ok(weight_ok(&s), "kind %d n=%zu batch=%zu k=%u: weights sum to n, levels within capacity", kind, n, b, k);
	if (!tap_ok(err <= eps + 1e-15, "kind %d n=%zu batch=%zu k=%u: max rank error %.5f <= bound %.5f (size %zu)",
				kind, n, b, k, err, eps, dm_kll_size(&s)))
		printf("#   D=%g S=%g\n", s.det_budget, s.var_budget);
	if (n <= k)
		tap_ok(err == 0.0 && dm_kll_is_exact(&s), "n=%zu <= k: exact", n);
	dm_kll_free(&s);
	free(x);
	free(sorted);
}

/* merge_case: shard a stream, merge shards in two orders, check the bound. */
static void
merge_case(size_t n, int shards, uint32_t k)
{
	double	   *x = malloc(n * sizeof(double));
	double	   *sorted = malloc(n * sizeof(double));
	dm_kll	   *parts = malloc(shards * sizeof(dm_kll));
	dm_kll		a,
				b;
	size_t		i;
	int			j;
	double		ea,
				eb;

	for (i = 0; i < n; i++)
		x[i] = unif() * unif();
	memcpy(sorted, x, n * sizeof(double));
	qsort(sorted, n, sizeof(double), cmp);
	for (j = 0; j < shards; j++)
	{
		size_t		lo = n * j / shards,
					hi = n * (j + 1) / shards;

		dm_kll_init(&parts[j], k);
		for (i = lo; i < hi; i += 4096)
			dm_kll_add(&parts[j], x + i, (hi - i < 4096) ? hi - i : 4096);
	}
	dm_kll_init(&a, k);
	dm_kll_init(&b, k);
	for (j = 0; j < shards; j++)
		dm_kll_merge(&a, &parts[j]);
	for (j = shards - 1; j >= 0; j--)
		dm_kll_merge(&b, &parts[j]);
	dm_kll_normalize(&a);
	dm_kll_normalize(&b);
	ea = max_rank_error(&a, sorted, n);
	eb = max_rank_error(&b, sorted, n);
	tap_ok(a.n == n && b.n == n && weight_ok(&a) && weight_ok(&b), "merge %d shards n=%zu: counts, weights, capacities", shards, n);
	tap_ok(ea <= dm_kll_rank_error(&a), "merge %d shards forward: error %.5f <= bound %.5f", shards, ea, dm_kll_rank_error(&a));
	tap_ok(eb <= dm_kll_rank_error(&b), "merge %d shards backward: error %.5f <= bound %.5f", shards, eb, dm_kll_rank_error(&b));
	{
		dm_kll		c;

		dm_kll_init(&c, k + 1);
		tap_ok(dm_kll_merge(&c, &a) == -1, "merging different k is refused");
		dm_kll_free(&c);
	}
	for (j = 0; j < shards; j++)
		dm_kll_free(&parts[j]);
	dm_kll_free(&a);
	dm_kll_free(&b);
	free(parts);
	free(x);
	free(sorted);
}

/* exact_quantiles: numpy linear interpolation on a tiny sample. */
static void
exact_quantiles(void)
{
	double		x[] = {3, 1, 4, 1, 5, 9, 2, 6};
	dm_kll		s;
	dm_kll_view v;

	dm_kll_init(&s, 1024);
	dm_kll_add(&s, x, 8);
	dm_kll_normalize(&s);
	dm_kll_view_build(&s, &v);
	/* sorted 1 1 2 3 4 5 6 9; numpy.quantile(x, [0, .5, .9, 1]) = 1, 3.5, 6.9, 9 */
	tap_close(dm_kll_view_quantile(&v, 0.0), 1.0, 0, 0, "quantile 0");
	tap_close(dm_kll_view_quantile(&v, 0.5), 3.5, 0, 0, "median 3.5");
	tap_close(dm_kll_view_quantile(&v, 0.9), 6.9, 1e-15, 0, "quantile 0.9 = 6.9");
	tap_close(dm_kll_view_quantile(&v, 1.0), 9.0, 0, 0, "quantile 1");
	tap_ok(dm_kll_view_rank(&v, 1.0) == 2 && dm_kll_view_rank(&v, 0.5) == 0 &&
		   dm_kll_view_rank(&v, 100) == 8, "ranks count values <= x");
	dm_kll_view_free(&v);
	dm_kll_free(&s);
}

/* codec: round trip and rejection of corrupted encodings. */
static void
codec(void)
{
	dm_nprof	p,
				q;
	double		x[5000];
	size_t		i,
				sz;
	uint8_t    *buf,
			   *buf2,
			   *bad;
	char		err[256];

	err[0] = 0;
	dm_nprof_init(&p, 64);
	for (i = 0; i < 5000; i++)
		x[i] = unif() * 10 - 5;
	dm_nprof_add(&p, x, 5000);
	sz = dm_nprof_encoded_size(&p);
	buf = malloc(sz);
	buf2 = malloc(sz);
	bad = malloc(sz + 8);
	dm_nprof_encode(&p, buf);
	tap_ok(dm_nprof_decode(buf, sz, &q, err, sizeof(err)) == DM_DECODE_OK, "decode valid profile (%s)", err);
	tap_ok(dm_nprof_encoded_size(&q) == sz, "same size after decode");
	dm_nprof_encode(&q, buf2);
	tap_ok(memcmp(buf, buf2, sz) == 0, "encode(decode(b)) == b");
	dm_nprof_free(&q);

	tap_ok(dm_nprof_decode(buf, sz - 1, &q, err, sizeof(err)) == DM_DECODE_CORRUPT, "truncated rejected: %s", err);
	memcpy(bad, buf, sz);
	bad[sz] = 0;
	tap_ok(dm_nprof_decode(bad, sz + 1, &q, err, sizeof(err)) == DM_DECODE_CORRUPT, "oversized rejected: %s", err);
	memcpy(bad, buf, sz);
	bad[4] = 2;
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_VERSION, "wrong version rejected: %s", err);
	memcpy(bad, buf, sz);
	bad[0] = 'X';
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_VERSION, "bad magic rejected: %s", err);
	memcpy(bad, buf, sz);
	dm_put_u64(bad + 12, p.kll.n + 1);
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_CORRUPT, "count mismatch rejected: %s", err);
	memcpy(bad, buf, sz);
	dm_put_f64(bad + sz - 8, NAN);
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_CORRUPT, "NaN item rejected: %s", err);
	memcpy(bad, buf, sz);
	dm_put_f64(bad + 52, NAN);
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_CORRUPT, "NaN mean rejected: %s", err);
	memcpy(bad, buf, sz);
	dm_put_u32(bad + 8, 4);
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_PARAM, "k out of range rejected: %s", err);
	memcpy(bad, buf, sz);
	dm_put_f64(bad + 76, 3.5);
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_CORRUPT, "inconsistent budget rejected: %s", err);
	/* swap two items of the top level: unsorted */
	memcpy(bad, buf, sz);
	{
		uint8_t		t[8];

		memcpy(t, bad + sz - 8, 8);
		memcpy(bad + sz - 8, bad + sz - 16, 8);
		memcpy(bad + sz - 16, t, 8);
	}
	tap_ok(dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_CORRUPT, "unsorted level rejected: %s", err);
	/* every truncation is rejected, never read past the end */
	{
		int			all = 1;

		for (i = 0; i < sz; i++)
			if (dm_nprof_decode(buf, i, &q, err, sizeof(err)) == DM_DECODE_OK)
				all = 0;
		tap_ok(all, "every prefix of a valid encoding is rejected");
	}
	/* random byte flips never crash; accepted ones re-encode identically */
	{
		int			crashed = 0;

		for (i = 0; i < 2000; i++)
		{
			size_t		pos = rnd() % sz;

			memcpy(bad, buf, sz);
			bad[pos] ^= (uint8_t) (1u << (rnd() % 8));
			if (dm_nprof_decode(bad, sz, &q, err, sizeof(err)) == DM_DECODE_OK)
			{
				dm_nprof_encode(&q, buf2);
				if (memcmp(bad, buf2, sz) != 0)
					crashed++;
				dm_nprof_free(&q);
			}
		}
		tap_ok(crashed == 0, "bit flips: accepted encodings are canonical");
	}
	dm_nprof_free(&p);
	free(buf);
	free(buf2);
	free(bad);
}

/* moments: Chan merge equals a direct computation. */
static void
moments(void)
{
	dm_nprof	a,
				b;
	double		x[3000],
				mean = 0,
				m2 = 0;
	size_t		i;

	for (i = 0; i < 3000; i++)
		x[i] = 1e6 + unif();
	for (i = 0; i < 3000; i++)
		mean += x[i];
	mean /= 3000;
	for (i = 0; i < 3000; i++)
		m2 += (x[i] - mean) * (x[i] - mean);
	dm_nprof_init(&a, 1024);
	dm_nprof_init(&b, 1024);
	dm_nprof_add(&a, x, 1000);
	dm_nprof_add(&b, x + 1000, 1);
	dm_nprof_add(&b, x + 1001, 1999);
	dm_nprof_merge(&a, &b);
	tap_close(a.mean, mean, 1e-14, 0, "merged mean");
	tap_close(a.m2, m2, 1e-9, 0, "merged m2 (large offset, cancellation-safe)");
	/* all rows together beyond INT64_MAX: refused, nothing changed */
	b.nulls = (uint64_t) INT64_MAX - 3000;
	tap_ok(dm_nprof_merge(&a, &b) == -2 && a.nulls == 0 && a.kll.n == 3000,
		   "merge beyond INT64_MAX rows refused");
	dm_nprof_free(&a);
	dm_nprof_free(&b);
}

/*
 * moments_huge: merging profiles whose means differ by more than DBL_MAX
 * (hand-worked: the mean of 1e308 and -1e308 is 0, of -1.7e308, 1.7e308,
 * 1.7e308 is 1.7e308 / 3); M2 beyond the float8 range is +Infinity, never
 * NaN or a clamped finite value.  Chan's update overflowed to +-inf here
 * and was clamped to max or min.
 */
static void
moments_huge(void)
{
	dm_nprof	a,
				b,
				c;
	double		p = 1e308,
				m = -1e308,
				big = 1.7e308;

	dm_nprof_init(&a, 16);
	dm_nprof_init(&b, 16);
	dm_nprof_add(&a, &p, 1);
	dm_nprof_add(&b, &m, 1);
	tap_ok(dm_nprof_merge(&a, &b) == 0, "merge 1e308 with -1e308");
	tap_close(a.mean, 0.0, 0, 0, "mean of 1e308 and -1e308 is 0");
	tap_ok(isinf(a.m2) && a.m2 > 0, "M2 of 1e308 and -1e308 (2e616) is +Infinity");
	tap_close(dm_nprof_stddev(&a), sqrt(2.0) * 1e308, 1e-15, 0,
			  "exact profile: stddev of 1e308 and -1e308 recomputed, sqrt(2) 1e308");
	dm_nprof_free(&a);
	dm_nprof_free(&b);

	dm_nprof_init(&a, 16);
	dm_nprof_init(&b, 16);
	dm_nprof_init(&c, 16);
	big = -1.7e308;
	dm_nprof_add(&a, &big, 1);
	big = 1.7e308;
	dm_nprof_add(&b, &big, 1);
	dm_nprof_add(&c, &big, 1);
	dm_nprof_merge(&a, &b);
	dm_nprof_merge(&a, &c);
	tap_close(a.mean, 1.7e308 / 3, 1e-15, 0, "mean of -1.7e308, 1.7e308, 1.7e308 is 1.7e308 / 3");
	tap_ok(a.min == -1.7e308 && a.max == 1.7e308, "min and max kept");
	tap_ok(isinf(dm_nprof_stddev(&a)), "stddev of -1.7e308, 1.7e308, 1.7e308 (1.96e308) is +Infinity");
	dm_nprof_free(&a);
	dm_nprof_free(&b);
	dm_nprof_free(&c);

	/* finite M2 after a merge near 1e153: (2e153)^2 / 2 = 2e306 */
	dm_nprof_init(&a, 16);
	dm_nprof_init(&b, 16);
	p = 1e153;
	m = -1e153;
	dm_nprof_add(&a, &p, 1);
	dm_nprof_add(&b, &m, 1);
	dm_nprof_merge(&a, &b);
	tap_close(a.m2, 2e306, 1e-15, 0, "M2 of 1e153 and -1e153 is 2e306");
	dm_nprof_free(&a);
	dm_nprof_free(&b);

	/* 7.5e153 and -7.5e153: delta^2 = 2.25e308 overflows, M2 = 1.125e308 does not */
	dm_nprof_init(&a, 16);
	dm_nprof_init(&b, 16);
	p = 7.5e153;
	m = -7.5e153;
	dm_nprof_add(&a, &p, 1);
	dm_nprof_add(&b, &m, 1);
	dm_nprof_merge(&a, &b);
	tap_close(a.m2, 1.125e308, 1e-15, 0, "M2 of 7.5e153 and -7.5e153 is 1.125e308 (delta^2 overflows)");
	dm_nprof_free(&a);
	dm_nprof_free(&b);
}

/* compare_hand: KS, Wasserstein and quantile bins on a hand-checked case. */
static void
compare_hand(void)
{
	double		a[] = {5, 3, 1, 4, 2},
				b[] = {8, 3, 7, 4, 6, 5};
	dm_kll		ra,
				rb;
	dm_kll_view va,
				vb;
	dm_sketch_ks ks;
	double		rm[4],
				cm[4];
	int			nb;

	dm_kll_init(&ra, 64);
	dm_kll_init(&rb, 64);
	dm_kll_add(&ra, a, 5);
	dm_kll_add(&rb, b, 6);
	dm_kll_normalize(&ra);
	dm_kll_normalize(&rb);
	dm_kll_view_build(&ra, &va);
	dm_kll_view_build(&rb, &vb);
	/* F_ref(5) = 1, F_cur(5) = 1/2: D = 1/2 = 15/30 at 5, ref above */
	dm_compare_ks(&va, &vb, 1, &ks);
	tap_ok(ks.d == 0.5 && ks.h == 15 && ks.location == 5.0 && ks.sign == 1,
		   "KS 1..5 vs 3..8: D 0.5 = 15/lcm(5,6) at 5, sign +1");
	dm_compare_ks(&va, &vb, 0, &ks);
	tap_ok(ks.d == 0.5 && ks.h == -1 && ks.location == 5.0, "KS, weighted path: same D and location");
	dm_compare_ks(&vb, &va, 1, &ks);
	tap_ok(ks.d == 0.5 && ks.sign == -1, "KS swapped: sign -1");
	/* stochastically ordered: W = mean difference 5.5 - 3 */
	tap_close(dm_compare_wasserstein(&va, &vb), 2.5, 1e-15, 0, "Wasserstein 2.5");
	/* quartile edges of 1..5: 2, 3, 4 -> ref 2 1 1 1, cur 0 1 1 4 */
	nb = dm_compare_quantile_bins(&va, &vb, 4, rm, cm);
	tap_ok(nb == 4 && rm[0] == 2 && rm[1] == 1 && rm[2] == 1 && rm[3] == 1 &&
		   cm[0] == 0 && cm[1] == 1 && cm[2] == 1 && cm[3] == 4, "quartile bins and masses");
	dm_kll_view_free(&va);
	dm_kll_view_free(&vb);
	dm_kll_free(&ra);
	dm_kll_free(&rb);
}

/*
 * sketch_ends: in sketch mode the compacted sketch has lost its extremes;
 * a profile's view pins rank 0 and n - 1 to the exact min and max, so
 * quantile 0 / 1 are them (hand-checked: values 0..9999 ascending, k = 16,
 * min 0 and max 9999), and a plain kll view keeps its own items.  Also the
 * moments of a merge whose two means differ by more than DBL_MAX.
 */
static void
sketch_ends(void)
{
	dm_nprof	p,
				a,
				b;
	dm_kll_view v;
	double	   *x = malloc(10000 * sizeof(double));
	double		lo = -1.7e308,
				hi = 1.7e308;
	int			i;

	for (i = 0; i < 10000; i++)
		x[i] = (double) i;
	dm_nprof_init(&p, 16);
	dm_nprof_add(&p, x, 10000);
	dm_kll_normalize(&p.kll);
	dm_kll_view_build(&p.kll, &v);
	tap_ok(!dm_kll_is_exact(&p.kll) && (v.value[0] > 0.0 || v.value[v.m - 1] < 9999.0),
		   "k = 16 sketch of 0..9999 lost an extreme (the case being tested)");
	dm_kll_view_free(&v);
	dm_nprof_view(&p, &v);
	tap_close(dm_kll_view_quantile(&v, 0.0), 0.0, 0, 0, "profile view: quantile 0 = min");
	tap_close(dm_kll_view_quantile(&v, 1.0), 9999.0, 0, 0, "profile view: quantile 1 = max");
	tap_ok(dm_kll_view_quantile(&v, 1e-9) >= 0.0 && dm_kll_view_quantile(&v, 1 - 1e-9) <= 9999.0,
		   "profile view: levels just inside stay within [min, max]");
	dm_kll_view_free(&v);
	dm_nprof_free(&p);
	free(x);

	dm_nprof_init(&a, 16);
	dm_nprof_init(&b, 16);
	dm_nprof_add(&a, &lo, 1);
	dm_nprof_add(&b, &hi, 1);
	tap_ok(dm_nprof_merge(&a, &b) == 0, "merge -1.7e308 with 1.7e308");
	tap_close(a.mean, 0.0, 0, 0, "merged mean of -1.7e308 and 1.7e308 is 0 (not clamped to max)");
	tap_ok(isinf(a.m2) && a.m2 > 0, "merged M2 beyond float8 is +inf (stddev refuses it)");
	dm_nprof_free(&a);
	dm_nprof_free(&b);
}

int
main(void)
{
	sketch_ends();
	exact_quantiles();
	compare_hand();
	stream_case(1000, 100, 1024, 0);
	stream_case(1024, 1024, 1024, 0);
	stream_case(100000, 8192, 1024, 0);
	stream_case(100000, 1, 256, 0);
	stream_case(1000000, 8192, 1024, 0);
	stream_case(1000000, 8192, 200, 1);
	stream_case(1000000, 777, 64, 2);
	stream_case(300000, 8192, 16, 0);
	merge_case(100000, 2, 1024);
	merge_case(300000, 3, 1024);
	merge_case(500000, 7, 1024);
	merge_case(200000, 64, 128);
	codec();
	moments();
	moments_huge();
	return tap_done();
}
