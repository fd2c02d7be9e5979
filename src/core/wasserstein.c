/*
 * wasserstein.c
 *		First Wasserstein distance between two sorted samples, and the
 *		moments numeric_drift reports.
 */
#include "numeric_core.h"
#include "dm_core.h"

#include <math.h>

/* Neumaier compensated accumulator. */
typedef struct ksum
{
	double		s;
	double		c;
} ksum;

/* ksum_add: add v to the compensated sum. */
static inline void
ksum_add(ksum *k, double v)
{
	double		t = k->s + v;

	if (fabs(k->s) >= fabs(v))
		k->c += (k->s - t) + v;
	else
		k->c += (v - t) + k->s;
	k->s = t;
}

/*
 * dm_wasserstein_sorted: walk the distinct merged values x_0 < x_1 < ...;
 * between x_k and x_k+1 the CDFs are i/n1 and j/n2 (counts <= x_k), as
 * scipy's searchsorted(..., 'right') / size.
 */
double
dm_wasserstein_sorted(const double *a, size_t n1, const double *b, size_t n2)
{
	size_t		i = 0,
				j = 0;
	size_t		iter = 0;
	ksum		acc = {0.0, 0.0};

	while (i < n1 || j < n2)
	{
		double		x,
					next;

		if (j >= n2 || (i < n1 && a[i] <= b[j]))
			x = a[i];
		else
			x = b[j];
		while (i < n1 && a[i] <= x)
			i++;
		while (j < n2 && b[j] <= x)
			j++;
		if (i >= n1 && j >= n2)
			break;
		if (j >= n2 || (i < n1 && a[i] <= b[j]))
			next = a[i];
		else
			next = b[j];
		ksum_add(&acc, fabs((double) i / (double) n1 - (double) j / (double) n2) * (next - x));
		if (++iter % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
	return acc.s + acc.c;
}

double
dm_mean(const double *x, size_t n)
{
	ksum		acc = {0.0, 0.0};
	size_t		i;

	for (i = 0; i < n; i++)
	{
		ksum_add(&acc, x[i]);
		if ((i + 1) % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
	return (acc.s + acc.c) / (double) n;
}

double
dm_std_sample(const double *x, size_t n, double mean)
{
	ksum		acc = {0.0, 0.0};
	size_t		i;

	if (n < 2)
		return NAN;
	for (i = 0; i < n; i++)
	{
		double		d = x[i] - mean;

		ksum_add(&acc, d * d);
		if ((i + 1) % DM_INTERRUPT_EVERY == 0)
			DM_CHECK_INTERRUPTS();
	}
	return sqrt((acc.s + acc.c) / (double) (n - 1));
}
