/*
 * test_freq.c
 *		Category counts: exact while at most cap categories, the Misra-Gries
 *		bound (0 <= true - stored <= rest / (cap + 1)) on skewed streams and
 *		after merges, codec round trip and rejection of corrupted encodings.
 */
#include "tap.h"
#include "freq.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t rng_state = 777;

/* rnd: splitmix64. */
static uint64_t
rnd(void)
{
	uint64_t	z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* zipf_like: category index with a heavy head (1 / (u * K) truncated). */
static uint32_t
zipf_like(uint32_t K)
{
	double		u = (double) (rnd() >> 11) / 9007199254740992.0;
	uint32_t	i = (uint32_t) (1.0 / (u + 1.0 / K));

	return i >= K ? K - 1 : i;
}

/* key_of: the text of category i (varied lengths). */
static size_t
key_of(uint32_t i, char *buf)
{
	return (size_t) snprintf(buf, 64, "cat-%u%s", i, (i % 3) ? "" : "-with-a-longer-suffix");
}

/* check_bound: every category's stored count within the MG bound. */
static int
check_bound(const dm_freq *f, const uint64_t *truth, uint32_t K)
{
	uint64_t	err = dm_freq_max_error(f),
				sum = 0;
	uint32_t	i;
	char		k[64];

	for (i = 0; i < K; i++)
	{
		size_t		l = key_of(i, k);
		uint64_t	c = dm_freq_count(f, k, l);

		if (c > truth[i] || truth[i] - c > err)
		{
			printf("#   category %u: true %llu stored %llu bound %llu\n", i,
				   (unsigned long long) truth[i], (unsigned long long) c, (unsigned long long) err);
			return 0;
		}
		sum += c;
	}
	return sum + f->rest == f->n;
}

/* stream: K categories, n values, cap; check exactness or the bound. */
static void
stream(uint32_t K, size_t n, uint32_t cap)
{
	uint64_t   *truth = calloc(K, sizeof(uint64_t));
	dm_freq		f;
	size_t		i;
	char		k[64];
	uint32_t	distinct = 0;

	dm_freq_init(&f, cap);
	for (i = 0; i < n; i++)
	{
		uint32_t	c = zipf_like(K);

		if (truth[c]++ == 0)
			distinct++;
		dm_freq_add(&f, k, key_of(c, k), 1);
	}
	dm_freq_finish(&f);
	tap_ok(f.used <= cap && f.n == n, "K=%u n=%zu cap=%u: at most cap stored (%zu), n kept", K, n, cap, f.used);
	tap_ok(check_bound(&f, truth, K), "K=%u n=%zu cap=%u: counts within rest/(cap+1) = %llu",
		   K, n, cap, (unsigned long long) dm_freq_max_error(&f));
	if (distinct <= cap)
		tap_ok(f.rest == 0, "K=%u: %u distinct <= cap: exact", K, distinct);
	dm_freq_free(&f);
	free(truth);
}

/* merges: shards merged in two orders stay within the bound. */
static void
merges(void)
{
	const uint32_t K = 5000,
				cap = 100;
	uint64_t   *truth = calloc(K, sizeof(uint64_t));
	dm_freq		parts[9],
				a,
				b,
				c;
	int			j;
	size_t		i;
	char		k[64];

	for (j = 0; j < 9; j++)
	{
		dm_freq_init(&parts[j], cap);
		for (i = 0; i < 20000; i++)
		{
			uint32_t	x = (zipf_like(K) + (uint32_t) j * 7) % K;

			truth[x]++;
			dm_freq_add(&parts[j], k, key_of(x, k), 1);
		}
		dm_freq_finish(&parts[j]);
	}
	dm_freq_init(&a, cap);
	dm_freq_init(&b, cap);
	for (j = 0; j < 9; j++)
		dm_freq_merge(&a, &parts[j]);
	for (j = 8; j >= 0; j--)
		dm_freq_merge(&b, &parts[j]);
	dm_freq_finish(&a);
	dm_freq_finish(&b);
	tap_ok(check_bound(&a, truth, K), "9 shards merged forward within the bound (%llu)",
		   (unsigned long long) dm_freq_max_error(&a));
	tap_ok(check_bound(&b, truth, K), "9 shards merged backward within the bound (%llu)",
		   (unsigned long long) dm_freq_max_error(&b));
	dm_freq_init(&c, cap + 1);
	tap_ok(dm_freq_merge(&c, &a) == -1, "merging different caps is refused");
	dm_freq_free(&c);
	dm_freq_free(&a);
	dm_freq_free(&b);
	for (j = 0; j < 9; j++)
		dm_freq_free(&parts[j]);
	free(truth);
}

/* codec: round trip and corruptions. */
static void
codec(void)
{
	dm_freq		f,
				g;
	size_t		sz,
				i;
	uint8_t    *buf,
			   *buf2,
			   *bad;
	char		err[256];
	int			all = 1,
				canon = 1;

	err[0] = 0;
	dm_freq_init(&f, 50);
	dm_freq_add(&f, "", 0, 3);
	dm_freq_add(&f, "b", 1, 2);
	dm_freq_add(&f, "ab", 2, 1);
	dm_freq_add(&f, "a", 1, 5);
	f.nulls = 4;
	sz = dm_freq_encoded_size(&f);
	buf = malloc(sz);
	buf2 = malloc(sz);
	bad = malloc(sz + 1);
	dm_freq_encode(&f, buf);
	tap_ok(dm_freq_decode(buf, sz, &g, err, sizeof(err)) == DM_DECODE_OK && g.n == 11 && g.nulls == 4,
		   "decode valid (%s)", err);
	dm_freq_encode(&g, buf2);
	tap_ok(memcmp(buf, buf2, sz) == 0, "encode(decode(b)) == b");
	tap_ok(dm_freq_count(&g, "a", 1) == 5 && dm_freq_count(&g, "", 0) == 3 && dm_freq_count(&g, "c", 1) == 0,
		   "counts after decode");
	/* order: "" < "a" < "ab" < "b" */
	tap_ok(buf[40 + 3] == 0 && buf[40 + 12 + 4] == 'a', "sorted bytewise, empty key first");
	dm_freq_free(&g);
	for (i = 0; i < sz; i++)
		if (dm_freq_decode(buf, i, &g, err, sizeof(err)) == DM_DECODE_OK)
			all = 0;
	tap_ok(all, "every prefix rejected");
	memcpy(bad, buf, sz);
	bad[sz] = 0;
	tap_ok(dm_freq_decode(bad, sz + 1, &g, err, sizeof(err)) == DM_DECODE_CORRUPT, "oversized: %s", err);
	memcpy(bad, buf, sz);
	bad[4] = 3;
	tap_ok(dm_freq_decode(bad, sz, &g, err, sizeof(err)) == DM_DECODE_VERSION, "version: %s", err);
	memcpy(bad, buf, sz);
	dm_put_u64(bad + 12, 12);
	tap_ok(dm_freq_decode(bad, sz, &g, err, sizeof(err)) == DM_DECODE_CORRUPT, "count mismatch: %s", err);
	memcpy(bad, buf, sz);
	bad[40 + 12 + 4] = 0;		/* "a" -> "\0" */
	tap_ok(dm_freq_decode(bad, sz, &g, err, sizeof(err)) == DM_DECODE_CORRUPT, "NUL byte: %s", err);
	for (i = 0; i < 3000; i++)
	{
		memcpy(bad, buf, sz);
		bad[rnd() % sz] ^= (uint8_t) (1u << (rnd() % 8));
		if (dm_freq_decode(bad, sz, &g, err, sizeof(err)) == DM_DECODE_OK)
		{
			if (dm_freq_encoded_size(&g) != sz)
				canon = 0;
			else
			{
				dm_freq_encode(&g, buf2);
				if (memcmp(bad, buf2, sz) != 0)
					canon = 0;
			}
			dm_freq_free(&g);
		}
	}
	tap_ok(canon, "bit flips: accepted encodings are canonical");
	/* counts beyond the bigint range: refused by the decoder and by merges */
	memcpy(bad, buf, sz);
	dm_put_u64(bad + 20, (uint64_t) INT64_MAX - 10);	/* nulls: n + nulls > max */
	tap_ok(dm_freq_decode(bad, sz, &g, err, sizeof(err)) == DM_DECODE_CORRUPT,
		   "n + nulls beyond INT64_MAX: %s", err);
	{
		dm_freq		x,
					y;

		dm_freq_init(&x, 50);
		dm_freq_init(&y, 50);
		dm_freq_add(&x, "a", 1, (uint64_t) INT64_MAX - 1);
		dm_freq_add(&y, "a", 1, 1);
		tap_ok(dm_freq_merge(&x, &y) == 0 && x.n == (uint64_t) INT64_MAX, "merge up to INT64_MAX");
		tap_ok(dm_freq_merge(&x, &y) == -2 && x.n == (uint64_t) INT64_MAX &&
			   dm_freq_count(&x, "a", 1) == (uint64_t) INT64_MAX, "merge beyond INT64_MAX refused, nothing changed");
		dm_freq_free(&x);
		dm_freq_free(&y);
	}
	dm_freq_free(&f);
	free(buf);
	free(buf2);
	free(bad);
}

int
main(void)
{
	stream(50, 100000, 1000);
	stream(1000, 100000, 1000);
	stream(20000, 300000, 1000);
	stream(20000, 300000, 10);
	stream(200000, 500000, 100);
	stream(3, 10, 1);
	merges();
	codec();
	return tap_done();
}
