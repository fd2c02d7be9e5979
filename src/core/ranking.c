/*
 * ranking.c
 *		Exact ROC AUC (Mann-Whitney U with half credit for ties) and
 *		average precision over separately sorted positive / negative scores.
 */
#include "ranking.h"
#include "dm_core.h"
#include "dm_sort.h"
#include "metrics.h"

#include <stdint.h>

/*
 * auc_sorted
 *		2U counted in integers: for each run of equal positive scores, the
 *		negatives strictly below count 2, equal ones 1.  Exact up to 2^127;
 *		one rounding at the final division.
 */
static double
auc_sorted(const double *pos, size_t npos, const double *neg, size_t nneg)
{
	unsigned __int128 twice_u = 0;
	size_t		i = 0,
				lo = 0,			/* negatives < current value */
				hi = 0;			/* negatives <= current value */

	while (i < npos)
	{
		double		v = pos[i];
		size_t		j = i;

		while (j < npos && pos[j] == v)
			j++;
		while (lo < nneg && neg[lo] < v)
			lo++;
		if (hi < lo)
			hi = lo;
		while (hi < nneg && neg[hi] == v)
			hi++;
		twice_u += (unsigned __int128) (j - i) * (lo + hi);
		if ((i >> 16) != (j >> 16))
			DM_CHECK_INTERRUPTS();
		i = j;
	}
	return (double) twice_u / (2.0 * (double) npos * (double) nneg);
}

/*
 * ap_sorted
 *		Walk the distinct thresholds from the highest down; at a threshold
 *		holding dp positives, add dp * tps / (tps + fps) (compensated), divide
 *		by npos at the end.
 */
static double
ap_sorted(const double *pos, size_t npos, const double *neg, size_t nneg)
{
	size_t		ip = npos,
				in = nneg,
				tps = 0,
				fps = 0,
				steps = 0;
	dm_ksum		acc = {0.0, 0.0};

	while (ip > 0)
	{
		double		v = pos[ip - 1];
		size_t		dp = 0;

		if (in > 0 && neg[in - 1] > v)
			v = neg[in - 1];
		while (ip > 0 && pos[ip - 1] == v)
		{
			ip--;
			dp++;
		}
		while (in > 0 && neg[in - 1] == v)
		{
			in--;
			fps++;
		}
		tps += dp;
		if (dp > 0)
			dm_ksum_add(&acc, (double) dp * ((double) tps / (double) (tps + fps)));
		if ((++steps & 0xffff) == 0)
			DM_CHECK_INTERRUPTS();
	}
	return dm_ksum_value(&acc) / (double) npos;
}

/* dm_roc_auc: sort both sides and count. */
double
dm_roc_auc(double *pos, size_t npos, double *neg, size_t nneg)
{
	dm_sort_doubles(pos, npos);
	dm_sort_doubles(neg, nneg);
	return auc_sorted(pos, npos, neg, nneg);
}

/* dm_average_precision: sort both sides and walk the thresholds. */
double
dm_average_precision(double *pos, size_t npos, double *neg, size_t nneg)
{
	dm_sort_doubles(pos, npos);
	dm_sort_doubles(neg, nneg);
	return ap_sorted(pos, npos, neg, nneg);
}

/* dm_ranking_both: one sort, both statistics (binary_metrics). */
void
dm_ranking_both(double *pos, size_t npos, double *neg, size_t nneg,
				double *auc, double *ap)
{
	dm_sort_doubles(pos, npos);
	dm_sort_doubles(neg, nneg);
	*auc = auc_sorted(pos, npos, neg, nneg);
	*ap = ap_sorted(pos, npos, neg, nneg);
}
