/*
 * dm_sort.c
 *		LSD radix sort of doubles by their IEEE-754 bit patterns.
 *
 * A double maps to an unsigned 64-bit key that orders like the number:
 * flip every bit of a negative value, flip only the sign bit of a positive
 * one.  Eight stable counting passes over bytes sort the keys; a pass whose
 * byte is the same for every key (common for the exponent bytes of real
 * data) is skipped.  Small inputs use insertion sort.
 */
#include "dm_sort.h"
#include "dm_core.h"

#include <stdint.h>
#include <string.h>

#define DM_SORT_SMALL 64

/* key_of: the order-preserving unsigned key of a (non-NaN) double. */
static inline uint64_t
key_of(double d)
{
	uint64_t	u;

	if (d == 0.0)
		d = 0.0;				/* -0.0 sorts with +0.0 */
	memcpy(&u, &d, sizeof(u));
	return (u & UINT64_C(0x8000000000000000)) ? ~u : (u | UINT64_C(0x8000000000000000));
}

/* double_of: inverse of key_of. */
static inline double
double_of(uint64_t k)
{
	double		d;
	uint64_t	u = (k & UINT64_C(0x8000000000000000)) ? (k & ~UINT64_C(0x8000000000000000)) : ~k;

	memcpy(&d, &u, sizeof(d));
	return d;
}

/* insertion_sort: for short runs, where radix passes cost more than they save. */
static void
insertion_sort(double *v, size_t n)
{
	size_t		i;

	for (i = 0; i < n; i++)
		if (v[i] == 0.0)
			v[i] = 0.0;
	for (i = 1; i < n; i++)
	{
		double		x = v[i];
		size_t		j = i;

		while (j > 0 && v[j - 1] > x)
		{
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

/*
 * already_sorted: whether v is ascending (then -0.0 is normalised as the
 * sort would do).  Random data fails at the first few elements, so the
 * check costs nothing there; runs merged from parallel workers skip the
 * whole radix sort.
 */
static int
already_sorted(double *v, size_t n)
{
	size_t		i;

	for (i = 1; i < n; i++)
	{
		if (v[i - 1] > v[i])
			return 0;
		if ((i & (DM_INTERRUPT_EVERY - 1)) == 0)
			DM_CHECK_INTERRUPTS();
	}
	for (i = 0; i < n; i++)
		if (v[i] == 0.0)
			v[i] = 0.0;
	return 1;
}

void
dm_sort_doubles(double *v, size_t n)
{
	uint64_t   *a;
	uint64_t   *b;
	size_t		counts[8][256];
	size_t		i;
	int			pass;

	if (n < DM_SORT_SMALL)
	{
		insertion_sort(v, n);
		return;
	}
	if (already_sorted(v, n))
		return;

	/* Keys are built in place (a double and its key have the same size). */
	a = (uint64_t *) v;
	b = (uint64_t *) dm_alloc(n * sizeof(uint64_t));
	memset(counts, 0, sizeof(counts));
	for (i = 0; i < n; i++)
	{
		uint64_t	k = key_of(v[i]);

		a[i] = k;
		counts[0][k & 0xff]++;
		counts[1][(k >> 8) & 0xff]++;
		counts[2][(k >> 16) & 0xff]++;
		counts[3][(k >> 24) & 0xff]++;
		counts[4][(k >> 32) & 0xff]++;
		counts[5][(k >> 40) & 0xff]++;
		counts[6][(k >> 48) & 0xff]++;
		counts[7][(k >> 56) & 0xff]++;
		if ((i & (DM_INTERRUPT_EVERY - 1)) == 0)
			DM_CHECK_INTERRUPTS();
	}

	for (pass = 0; pass < 8; pass++)
	{
		size_t	   *c = counts[pass];
		size_t		sum = 0;
		int			shift = pass * 8;
		uint64_t   *t;
		int			byte;

		/* Skip a pass where every key has the same byte. */
		if (c[(a[0] >> shift) & 0xff] == n)
			continue;
		for (byte = 0; byte < 256; byte++)
		{
			size_t		cnt = c[byte];

			c[byte] = sum;
			sum += cnt;
		}
		for (i = 0; i < n; i++)
		{
			uint64_t	k = a[i];

			b[c[(k >> shift) & 0xff]++] = k;
			if ((i & (DM_INTERRUPT_EVERY - 1)) == 0)
				DM_CHECK_INTERRUPTS();
		}
		t = a;
		a = b;
		b = t;
	}

	/* a holds the sorted keys; it is either v itself or the scratch buffer. */
	if (a != (uint64_t *) v)
	{
		memcpy(v, a, n * sizeof(uint64_t));
		b = a;
	}
	for (i = 0; i < n; i++)
	{
		uint64_t	k;

		memcpy(&k, &v[i], sizeof(k));
		v[i] = double_of(k);
	}
	dm_free(b);
}
