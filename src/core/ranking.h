/*
 * ranking.h
 *		Exact ROC AUC and step-wise average precision (no Postgres).
 *
 * Both take the scores of the positive and of the negative rows in two
 * separate arrays (NaN-free), sort them in place with dm_sort_doubles and
 * merge them once: O(n) after the radix sort, no per-row structure.
 */
#ifndef DM_RANKING_H
#define DM_RANKING_H

#include <stddef.h>

/*
 * dm_roc_auc: P(score_pos > score_neg) + 0.5 P(equal), exactly as
 * sklearn's roc_auc_score (trapezoids over the ROC curve give ties half
 * credit).  Sorts pos and neg.  npos and nneg must be > 0.
 */
extern double dm_roc_auc(double *pos, size_t npos, double *neg, size_t nneg);

/*
 * dm_average_precision: sum over distinct thresholds (descending) of
 * (R_k - R_{k-1}) * P_k, as sklearn's average_precision_score from
 * precision_recall_curve.  Sorts pos and neg.  npos must be > 0.
 */
extern double dm_average_precision(double *pos, size_t npos,
								   double *neg, size_t nneg);

/* Both from one sort (the arrays are sorted by the first call anyway). */
extern void dm_ranking_both(double *pos, size_t npos, double *neg, size_t nneg,
							double *auc, double *ap);

#endif							/* DM_RANKING_H */
