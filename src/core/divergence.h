/*
 * divergence.h
 *		Divergences between a reference and a current histogram.
 *
 * Inputs are two count vectors over the same k bins or categories (counts,
 * not proportions: each side is normalised by its own total).  Each bin's
 * p - q is formed from the counts with exact products, and every divergence
 * is summed from terms that are >= 0 (KL: p ln(p/q) - (p - q), whose extra
 * terms add up to 0), so nearly identical histograms keep their relative
 * accuracy instead of returning rounding noise.  A side whose
 * total is 0 gives NaN everywhere; callers report that as an empty side.
 */
#ifndef DM_DIVERGENCE_H
#define DM_DIVERGENCE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Smoothing for PSI and KL: a proportion of exactly 0 is replaced by this
 * value, per side, without renormalising (the rule of Evidently and of the
 * credit-scoring literature), so an empty bin costs a large but finite term.
 */
#define DM_EMPTY_BIN_PROPORTION 1e-4

typedef struct dm_divergences
{
	double		psi;			/* sum (q - p) ln(q / p), smoothed, natural log */
	double		js;				/* Jensen-Shannon divergence, base 2, in [0, 1] */
	double		kl;				/* KL(reference || current), smoothed, natural log */
	double		hellinger;		/* sqrt(sum (sqrt p - sqrt q)^2 / 2), in [0, 1] */
	double		tv;				/* total variation: sum |p - q| / 2, in [0, 1] */
	double		linf;			/* max |p - q| */
	double		linf_delta;		/* q - p at that bin */
	size_t		linf_index;		/* bin of the largest |p - q| (first on ties)
								 * among bins counted on at least one side */
} dm_divergences;

/* All divergences in one pass over the bins. */
extern void dm_divergences_compute(const double *ref, const double *cur, size_t k,
								   dm_divergences *out);

/* Population stability index with DM_EMPTY_BIN_PROPORTION smoothing. */
extern double dm_psi(const double *ref, const double *cur, size_t k);

/* One bin's PSI term, from proportions (before smoothing). */
extern double dm_psi_term(double p_ref, double p_cur);

/*
 * One bin's PSI term from its counts and the two side totals, with p - q
 * formed from the counts (as dm_divergences_compute does), so it stays
 * accurate when p and q nearly cancel.
 */
extern double dm_psi_bin(double ref, double cur, double tr, double tc);

/*
 * Jensen-Shannon divergence, base 2, in [0, 1]: the square of
 * scipy.spatial.distance.jensenshannon(p, q, base=2).  Computed per bin as
 * m * ((1+d) log1p(d) + (1-d) log1p(-d)) / 2 with m = (p+q)/2 and
 * d = (p-q)/(p+q): every term is >= 0, so nearly identical inputs give a
 * tiny positive number instead of a negative one (scipy returns NaN there).
 */
extern double dm_js_divergence(const double *ref, const double *cur, size_t k);

/*
 * The top mover over integer counts, compared exactly (128-bit integers):
 * the bin with the largest |q - p|, the first on exact ties, bins empty on
 * both sides skipped; *delta = q - p.  -1 when there is none or the counts
 * are out of range (use dm_divergences.linf_index then).
 */
extern long dm_top_mover_exact(const int64_t *ref, const int64_t *cur, size_t k,
							   double *delta);

#endif							/* DM_DIVERGENCE_H */
