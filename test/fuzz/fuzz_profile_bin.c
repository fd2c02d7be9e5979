/*
 * fuzz_profile_bin.c
 *		libFuzzer target: the byte formats of driftmon.numeric_profile and
 *		driftmon.categorical_profile (binary input, and the text input, which
 *		the glue turns into these bytes before the same validation).
 *
 * The first byte selects what to do (mod 3):
 *	0  one numeric profile: decode; a decoded profile re-encodes to bytes
 *	   that decode again and re-encode identically (fixed point), and its
 *	   quantiles, ranks and positions stay inside [min, max] / [0, n];
 *	1  one categorical profile: the same fixed point, and the sorted items
 *	   count what the profile says;
 *	2  two numeric profiles (a big-endian u16 length, the first, then the
 *	   second): when both decode, the comparisons (KS, Wasserstein,
 *	   quantile bins) run and give finite, in-range answers.
 * Any input must decode or fail cleanly with a message; abort() marks a
 * violated property, which libFuzzer reports as a crash.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dm_core.h"
#include "freq.h"
#include "kll.h"
#include "nprofile.h"
#include "profile_compare.h"

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* reencode: encode a decoded numeric profile into a new buffer. */
static uint8_t *
nprof_bytes(dm_nprof *p, size_t *len)
{
	uint8_t    *out;

	*len = dm_nprof_encoded_size(p);
	out = malloc(*len ? *len : 1);
	dm_nprof_encode(p, out);
	return out;
}

/* check_view: quantiles, ranks and positions of a non-empty profile. */
static void
check_view(const dm_nprof *p)
{
	dm_kll_view v;
	static const double probs[] = {0.0, 0.05, 0.5, 0.95, 1.0};
	size_t		i;

	if (p->kll.n == 0)
		return;
	dm_kll_view_build(&p->kll, &v);
	for (i = 0; i < sizeof(probs) / sizeof(probs[0]); i++)
	{
		double		q = dm_kll_view_quantile(&v, probs[i]);

		if (!(q >= p->min && q <= p->max))
			abort();			/* a quantile outside the validated range */
	}
	if (dm_kll_view_rank(&v, p->max) != p->kll.n)
		abort();				/* every value is <= max */
	if (dm_kll_view_rank(&v, -INFINITY) != 0)
		abort();
	(void) dm_kll_view_at(&v, p->kll.n - 1);
	dm_kll_view_free(&v);
}

/* fuzz_numeric: decode, fixed point, view. */
static void
fuzz_numeric(const uint8_t *data, size_t size)
{
	dm_nprof	p,
				q;
	char		err[256];
	uint8_t    *a,
			   *b;
	size_t		la,
				lb;

	if (dm_nprof_decode(data, size, &p, err, sizeof(err)) != DM_DECODE_OK)
	{
		if (err[0] == '\0')
			abort();			/* a failure must say why */
		return;
	}
	check_view(&p);
	a = nprof_bytes(&p, &la);
	if (dm_nprof_decode(a, la, &q, err, sizeof(err)) != DM_DECODE_OK)
		abort();				/* our own encoding does not decode */
	b = nprof_bytes(&q, &lb);
	if (la != lb || memcmp(a, b, la) != 0)
		abort();				/* encode -> decode -> encode moved */
	free(a);
	free(b);
	dm_nprof_free(&q);
	dm_nprof_free(&p);
}

/* fuzz_categorical: decode, fixed point, counts add up. */
static void
fuzz_categorical(const uint8_t *data, size_t size)
{
	dm_freq		f,
				g;
	char		err[256];
	uint8_t    *a,
			   *b;
	size_t		la,
				lb,
				n,
				i;
	dm_freq_item *items;
	uint64_t	sum = 0;

	if (dm_freq_decode(data, size, &f, err, sizeof(err)) != DM_DECODE_OK)
	{
		if (err[0] == '\0')
			abort();
		return;
	}
	n = dm_freq_sorted(&f, &items);
	for (i = 0; i < n; i++)
	{
		if (items[i].count == 0 || dm_freq_count(&f, items[i].key, items[i].len) != items[i].count)
			abort();			/* lookup disagrees with the item list */
		if (i > 0 && dm_freq_keycmp(items[i - 1].key, items[i - 1].len,
									items[i].key, items[i].len) >= 0)
			abort();			/* not strictly ascending */
		sum += items[i].count;
	}
	if (sum + f.rest != f.n)
		abort();				/* validated counts do not add up */
	dm_free(items);
	la = dm_freq_encoded_size(&f);
	a = malloc(la ? la : 1);
	dm_freq_encode(&f, a);
	if (dm_freq_decode(a, la, &g, err, sizeof(err)) != DM_DECODE_OK)
		abort();
	lb = dm_freq_encoded_size(&g);
	b = malloc(lb ? lb : 1);
	dm_freq_encode(&g, b);
	if (la != lb || memcmp(a, b, la) != 0)
		abort();
	free(a);
	free(b);
	dm_freq_free(&g);
	dm_freq_free(&f);
}

/* fuzz_compare: two numeric profiles, compared. */
static void
fuzz_compare(const uint8_t *data, size_t size)
{
	size_t		l1;
	dm_nprof	r,
				c;
	char		err[256];
	dm_kll_view vr,
				vc;
	dm_sketch_ks ks;
	double		w,
				rm[16],
				cm[16];
	int			k,
				i;
	int			exact;

	if (size < 2)
		return;
	l1 = ((size_t) data[0] << 8) | data[1];
	if (l1 > size - 2)
		return;
	if (dm_nprof_decode(data + 2, l1, &r, err, sizeof(err)) != DM_DECODE_OK)
		return;
	if (dm_nprof_decode(data + 2 + l1, size - 2 - l1, &c, err, sizeof(err)) != DM_DECODE_OK)
	{
		dm_nprof_free(&r);
		return;
	}
	if (r.kll.n > 0 && c.kll.n > 0)
	{
		dm_kll_view_build(&r.kll, &vr);
		dm_kll_view_build(&c.kll, &vc);
		exact = dm_kll_is_exact(&r.kll) && dm_kll_is_exact(&c.kll);
		dm_compare_ks(&vr, &vc, exact, &ks);
		if (!(ks.d >= 0.0 && ks.d <= 1.0))
			abort();			/* a KS distance outside [0, 1] */
		w = dm_compare_wasserstein(&vr, &vc);
		if (isnan(w) || w < 0.0)
			abort();
		k = dm_compare_quantile_bins(&vr, &vc, 16, rm, cm);
		if (k < 1 || k > 16)
			abort();
		for (i = 0; i < k; i++)
			if (!(rm[i] >= 0.0 && cm[i] >= 0.0))
				abort();		/* a negative bin mass */
		dm_kll_view_free(&vr);
		dm_kll_view_free(&vc);
	}
	dm_nprof_free(&r);
	dm_nprof_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 3)
	{
		case 0:
			fuzz_numeric(data + 1, size - 1);
			break;
		case 1:
			fuzz_categorical(data + 1, size - 1);
			break;
		default:
			fuzz_compare(data + 1, size - 1);
			break;
	}
	return 0;
}
