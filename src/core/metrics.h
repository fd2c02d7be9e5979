/*
 * metrics.h
 *		Classification, probability and regression metric math (no Postgres).
 *
 * Classification metrics are computed from three per-class count vectors of
 * a confusion matrix over the sorted union of labels: tp (the diagonal),
 * true_sum (row sums) and pred_sum (column sums).  Every formula follows
 * scikit-learn 1.2.1 with zero_division = 0.
 */
#ifndef DM_METRICS_H
#define DM_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "dm_core.h"		/* dm_ksum */

/* Per-class precision, recall and F1 exactly as sklearn's _prf_divide/fbeta. */
extern void dm_prf(int64_t tp, int64_t true_sum, int64_t pred_sum,
				   double *precision, double *recall, double *f1);

/* Summary over all classes; *_defined flags are 0 where the value is NULL. */
typedef struct dm_clf_summary
{
	int64_t		n;
	double		accuracy;
	double		balanced_accuracy;
	double		precision_macro,
				recall_macro,
				f1_macro;
	double		precision_weighted,
				recall_weighted,
				f1_weighted;
	double		precision_micro,
				recall_micro,
				f1_micro;
	double		mcc;
	double		kappa;
	int			kappa_defined;	/* 0 when sklearn returns NaN (0/0) */
} dm_clf_summary;

/*
 * dm_clf_summarize: fill *out from k classes.  Returns 0 when n == 0 (no
 * metric is defined), 1 otherwise.
 */
extern int	dm_clf_summarize(size_t k, const int64_t *tp, const int64_t *true_sum,
							 const int64_t *pred_sum, dm_clf_summary *out);

/* log loss term of one row as sklearn 1.2.1 (clip at eps, renormalise). */
extern double dm_logloss_term(double p, int label);

/*
 * Regression moments: single pass, mergeable (Chan et al. for mean/M2).
 * The moments of y_true are kept about its first value (shifted data), so
 * a large offset (mean 1e6, sd 1) costs no precision.
 */
typedef struct dm_reg_state
{
	int64_t		n;
	double		shift_y;		/* first y_true: moments of y - shift */
	double		mean_y;			/* mean of y - shift_y */
	dm_ksum		m2_y;			/* Welford M2, increments summed compensated */
	dm_ksum		sum_abs;
	dm_ksum		sum_sq;
	dm_ksum		sum_ape;
	dm_ksum		sum_err;
	double		max_abs;
} dm_reg_state;

typedef struct dm_reg_result
{
	double		mae,
				mse,
				rmse,
				mape,
				r2,
				mean_error,
				max_error;
	int			r2_defined;		/* 0 when n < 2 (sklearn: NaN) */
} dm_reg_result;

extern void dm_reg_init(dm_reg_state *s);
extern void dm_reg_add(dm_reg_state *s, double y_true, double y_pred);
extern void dm_reg_merge(dm_reg_state *s, const dm_reg_state *o);

/* Returns 0 when s->n == 0. */
extern int	dm_reg_finish(const dm_reg_state *s, dm_reg_result *r);

#endif							/* DM_METRICS_H */
