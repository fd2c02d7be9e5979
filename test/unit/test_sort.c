/*
 * test_sort.c
 *		dm_sort_doubles against qsort on random, tied, signed, extreme and
 *		special values, already sorted, nearly sorted and descending input, at
 *		sizes on both sides of the insertion-sort cutoff.
 */
#include "tap.h"
#include "dm_sort.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmp_double: reference ordering for qsort. */
static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/* check: sort a copy both ways and compare element by element (== on values). */
static void
check(const double *in, size_t n, const char *what)
{
	double	   *a = malloc((n + 1) * sizeof(double));
	double	   *b = malloc((n + 1) * sizeof(double));
	size_t		i,
				bad = n;

	memcpy(a, in, n * sizeof(double));
	memcpy(b, in, n * sizeof(double));
	dm_sort_doubles(a, n);
	qsort(b, n, sizeof(double), cmp_double);
	for (i = 0; i < n; i++)
		if (!(a[i] == b[i]) || (a[i] == 0.0 && signbit(a[i])))
		{
			bad = i;
			break;
		}
	if (!tap_ok(bad == n, "%s (n=%zu) sorts like qsort, -0.0 stored as +0.0", what, n))
		printf("#   first difference at %zu: %.17g vs %.17g\n", bad, a[bad], b[bad]);
	free(a);
	free(b);
}

/* rnd: a deterministic 64-bit generator (splitmix64). */
static uint64_t rng_state = 42;
static uint64_t
rnd(void)
{
	uint64_t	z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

int
main(void)
{
	static const size_t sizes[] = {0, 1, 2, 63, 64, 65, 1000, 100000};
	size_t		s;
	double	   *v = malloc(100000 * sizeof(double));

	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
	{
		size_t		n = sizes[s],
					i;

		for (i = 0; i < n; i++)
			v[i] = ((double) (rnd() >> 11) / 9007199254740992.0 - 0.5) * 1e6;
		check(v, n, "uniform +-5e5");
		for (i = 0; i < n; i++)
			v[i] = (double) (rnd() % 7) - 3.0;
		check(v, n, "heavy ties in -3..3");
		for (i = 0; i < n; i++)
		{
			static const double specials[] = {0.0, -0.0, DBL_MIN, -DBL_MIN, 4.9e-324,
			-4.9e-324, DBL_MAX, -DBL_MAX, INFINITY, -INFINITY, 1.0, -1.0};

			v[i] = specials[rnd() % 12];
		}
		check(v, n, "zeros, subnormals, extremes, infinities");
		for (i = 0; i < n; i++)
		{
			uint64_t	u = rnd();
			double		d;

			memcpy(&d, &u, sizeof(d));
			v[i] = isnan(d) ? 0.5 : d;
		}
		check(v, n, "random bit patterns");
		/* ascending input takes the already-sorted shortcut: it must still
		 * store -0.0 as +0.0; a single late inversion must not take it */
		for (i = 0; i < n; i++)
			v[i] = (double) i - (double) (n / 2);
		for (i = 0; i < n; i++)
			if (v[i] == 0.0)
				v[i] = -0.0;
		check(v, n, "already ascending, with -0.0");
		if (n > 2)
		{
			double		t = v[n - 1];

			v[n - 1] = v[n - 2];
			v[n - 2] = t;
		}
		check(v, n, "ascending but the last two swapped");
		for (i = 0; i < n; i++)
			v[i] = -(double) i;
		check(v, n, "descending");
	}
	free(v);
	return tap_done();
}
