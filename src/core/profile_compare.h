/*
 * profile_compare.h
 *		Comparisons between two quantile sketches (reference, current):
 *		KS statistic, Wasserstein-1 distance, and histograms on bins at
 *		reference quantiles for PSI / JS / Hellinger (divergence.h).
 *
 * All work on the sorted weighted views of kll.h.  With both sketches exact
 * the results are the exact statistics of the two samples; otherwise, with
 * normalised rank errors e_r and e_c (dm_kll_rank_error):
 *   - KS statistic: |D_sketch - D_exact| <= e_r + e_c;
 *   - Wasserstein: |W_sketch - W_exact| <= (e_r + e_c) (max - min) over both;
 *   - each bin mass (for fixed edges): within 2 e of the exact mass per side.
 */
#ifndef DM_PROFILE_COMPARE_H
#define DM_PROFILE_COMPARE_H

#include "kll.h"

#include <stdint.h>

typedef struct dm_sketch_ks
{
	double		d;				/* sup |F_ref - F_cur| */
	double		location;		/* where it is attained (scipy's choice) */
	int			sign;			/* +1: F_ref above F_cur there, else -1 */
	int64_t		h;				/* exact views: D = h / lcm(n_ref, n_cur) */
} dm_sketch_ks;

/*
 * Two-sided KS statistic between the weighted empirical CDFs, evaluated at
 * every item of both views (ref items ascending, then cur items), the
 * location and sign chosen as scipy.stats.ks_2samp does.  h is filled when
 * both views have unit weights (exact profiles), else -1.
 */
extern void dm_compare_ks(const dm_kll_view *ref, const dm_kll_view *cur,
						  int exact, dm_sketch_ks *out);

/* Wasserstein-1 distance between the weighted empirical distributions. */
extern double dm_compare_wasserstein(const dm_kll_view *ref, const dm_kll_view *cur);

/*
 * Histogram both views on bins at reference quantiles: interior edges
 * quantile_ref(i / bins), i = 1..bins-1 (numpy 'linear'), equal edges
 * collapsed; bins are (-inf, e1], (e1, e2], ..., (e_last, +inf).  Writes up
 * to bins masses per side (total weight of items in the bin) and returns
 * the number of bins used.
 */
extern int	dm_compare_quantile_bins(const dm_kll_view *ref, const dm_kll_view *cur,
									 int bins, double *ref_mass, double *cur_mass);

#endif							/* DM_PROFILE_COMPARE_H */
