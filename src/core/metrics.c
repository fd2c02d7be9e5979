/*
 * metrics.c
 *		Metric math for driftmon's model-quality functions (no Postgres).
 *
 * Classification: scikit-learn 1.2.1 semantics with zero_division = 0 over
 * the sorted union of labels (the caller provides per-class counts in that
 * order).  Regression: single-pass, mergeable moments.
 */
#include "metrics.h"
#include "dm_core.h"

#include <float.h>
#include <math.h>

/*
 * dm_prf
 *		Precision, recall and F1 of one class.  A zero denominator gives 0
 *		(zero_division = 0); F is computed from the rounded P and R with
 *		sklearn's expression (1 + beta2) * P * R / (beta2 * P + R), beta2 = 1,
 *		so results agree bit for bit.
 */
void
dm_prf(int64_t tp, int64_t true_sum, int64_t pred_sum,
	   double *precision, double *recall, double *f1)
{
	double		p = pred_sum == 0 ? 0.0 : (double) tp / (double) pred_sum;
	double		r = true_sum == 0 ? 0.0 : (double) tp / (double) true_sum;
	double		denom = 1.0 * p + r;

	if (denom == 0.0)
		denom = 1.0;
	*precision = p;
	*recall = r;
	*f1 = (1.0 + 1.0) * p * r / denom;
}

/*
 * dm_clf_summarize
 *		Accuracy, balanced accuracy, macro / weighted / micro P, R, F1,
 *		Matthews correlation and Cohen's kappa from per-class counts.
 *
 * Balanced accuracy averages recall over the classes present in y_true
 * (sklearn drops the NaN recalls of classes seen only in y_pred).  MCC is
 * sklearn's expression over covariances computed exactly in 128-bit
 * integers, 0 when a variance is 0.  Kappa is one exact integer ratio; it is
 * undefined (sklearn: NaN) when the expected disagreement is 0.
 */
int
dm_clf_summarize(size_t k, const int64_t *tp, const int64_t *true_sum,
				 const int64_t *pred_sum, dm_clf_summary *out)
{
	int64_t		n = 0,
				correct = 0;
	double		pm = 0,
				rm = 0,
				fm = 0,
				pw = 0,
				rw = 0,
				fw = 0,
				bal = 0;
	size_t		nbal = 0,
				i;
	__int128	dot_exact = 0,
				dot_tt = 0,
				dot_pp = 0;
	double		dn,
				cov_ytyp,
				cov_ypyp,
				cov_ytyt;

	for (i = 0; i < k; i++)
	{
		n += true_sum[i];
		correct += tp[i];
	}
	out->n = n;
	if (n == 0)
		return 0;
	dn = (double) n;

	for (i = 0; i < k; i++)
	{
		double		p,
					r,
					f,
					w = (double) true_sum[i];

		if ((i & 0xffff) == 0xffff)
			DM_CHECK_INTERRUPTS();
		dm_prf(tp[i], true_sum[i], pred_sum[i], &p, &r, &f);
		pm += p;
		rm += r;
		fm += f;
		pw += p * w;
		rw += r * w;
		fw += f * w;
		if (true_sum[i] > 0)
		{
			bal += r;
			nbal++;
		}
		dot_exact += (__int128) true_sum[i] * pred_sum[i];
		dot_tt += (__int128) true_sum[i] * true_sum[i];
		dot_pp += (__int128) pred_sum[i] * pred_sum[i];
	}
	out->accuracy = (double) correct / dn;
	out->balanced_accuracy = bal / (double) nbal;
	out->precision_macro = pm / (double) k;
	out->recall_macro = rm / (double) k;
	out->f1_macro = fm / (double) k;
	out->precision_weighted = pw / dn;
	out->recall_weighted = rw / dn;
	out->f1_weighted = fw / dn;
	dm_prf(correct, n, n, &out->precision_micro, &out->recall_micro,
		   &out->f1_micro);

	/*
	 * sklearn's matthews_corrcoef, cov_ytyp / sqrt(cov_ytyt * cov_ypyp), with
	 * the three covariances computed exactly in 128-bit integers (n^2 <
	 * 2^126) and rounded once.  For n^2 < 2^53 sklearn's float64 sums are
	 * exact too and the result is bit for bit its own; above, sklearn's
	 * n * correct - sum t_i p_i cancels (n = 2.1e8 with one rare class:
	 * relative error 5e-10), these do not.
	 */
	{
		__int128	ctp = (__int128) correct * n - dot_exact;
		__int128	ctt = (__int128) n * n - dot_tt;
		__int128	cpp = (__int128) n * n - dot_pp;

		if (ctt == 0 || cpp == 0)
			out->mcc = 0.0;
		else
		{
			cov_ytyp = (double) ctp;
			cov_ytyt = (double) ctt;
			cov_ypyp = (double) cpp;
			out->mcc = cov_ytyp / sqrt(cov_ytyt * cov_ypyp);
		}
	}

	/*
	 * Cohen's kappa: 1 - observed / expected disagreement, as one exact
	 * integer ratio (off - (n - correct) n) / off, off = n^2 - sum p_i t_i
	 * (n times the expected disagreement), so a kappa near 0 keeps its
	 * digits (1 - x would lose them to cancellation).
	 */
	{
		__int128	off = (__int128) n * n - dot_exact;

		if (off == 0)
		{
			out->kappa = NAN;
			out->kappa_defined = 0;
		}
		else
		{
			out->kappa = (double) (off - (__int128) (n - correct) * n) / (double) off;
			out->kappa_defined = 1;
		}
	}
	return 1;
}

/*
 * dm_logloss_term
 *		-log of the probability given to the true class, as sklearn 1.2.1's
 *		log_loss: clip p to [eps, 1 - eps] (eps = DBL_EPSILON), build the
 *		two columns (1 - p, p), renormalise by their float sum, take -log.
 */
double
dm_logloss_term(double p, int label)
{
	double		q,
				s;

	if (p < DBL_EPSILON)
		p = DBL_EPSILON;
	if (p > 1.0 - DBL_EPSILON)
		p = 1.0 - DBL_EPSILON;
	q = 1.0 - p;
	s = q + p;
	return -log((label ? p : q) / s);
}

/* dm_reg_init: the empty state. */
void
dm_reg_init(dm_reg_state *s)
{
	s->n = 0;
	s->shift_y = 0.0;
	s->mean_y = 0.0;
	s->m2_y.s = s->m2_y.c = 0.0;
	s->sum_abs.s = s->sum_abs.c = 0.0;
	s->sum_sq.s = s->sum_sq.c = 0.0;
	s->sum_ape.s = s->sum_ape.c = 0.0;
	s->sum_err.s = s->sum_err.c = 0.0;
	s->max_abs = 0.0;
}

/*
 * dm_reg_add
 *		One (y_true, y_pred) pair: Welford update of the mean and M2 of
 *		y_true, compensated sums of |e|, e^2, |e| / max(|y|, eps) and e
 *		(e = y_pred - y_true), running max |e|.
 */
void
dm_reg_add(dm_reg_state *s, double y_true, double y_pred)
{
	double		e = y_pred - y_true;
	double		ae = fabs(e);
	double		ay = fabs(y_true);
	double		delta;

	double		d;

	if (s->n == 0)
		s->shift_y = y_true;
	d = y_true - s->shift_y;
	s->n++;
	delta = d - s->mean_y;
	s->mean_y += delta / (double) s->n;
	dm_ksum_add(&s->m2_y, delta * (d - s->mean_y));
	dm_ksum_add(&s->sum_abs, ae);
	dm_ksum_add(&s->sum_sq, e * e);
	dm_ksum_add(&s->sum_ape, ae / (ay > DBL_EPSILON ? ay : DBL_EPSILON));
	dm_ksum_add(&s->sum_err, e);
	if (ae > s->max_abs)
		s->max_abs = ae;
}

/*
 * dm_reg_merge
 *		Combine two states (Chan, Golub and LeVeque pairwise update for the
 *		mean and M2, in the frame of s's shift; compensated sums add with
 *		their errors).
 */
void
dm_reg_merge(dm_reg_state *s, const dm_reg_state *o)
{
	double		na,
				nb,
				nt,
				delta;

	if (o->n == 0)
		return;
	if (s->n == 0)
	{
		*s = *o;
		return;
	}
	na = (double) s->n;
	nb = (double) o->n;
	nt = na + nb;
	/* difference of the means; shifts of one sign within 2x subtract exactly */
	delta = (o->shift_y - s->shift_y) + (o->mean_y - s->mean_y);
	s->mean_y = s->mean_y + delta * (nb / nt);
	dm_ksum_merge(&s->m2_y, &o->m2_y);

	/*
	 * delta^2 na nb / nt, multiplied in this order so that it overflows only
	 * when the result does: delta * delta first overflowed for |delta| >
	 * 1.34e154 although na nb / nt can be 1/2 (two rows 1.5e154 apart have
	 * M2 1.1e308, finite, and the serial Welford update gets it).
	 */
	dm_ksum_add(&s->m2_y, (delta * (na * nb / nt)) * delta);
	s->n += o->n;
	dm_ksum_merge(&s->sum_abs, &o->sum_abs);
	dm_ksum_merge(&s->sum_sq, &o->sum_sq);
	dm_ksum_merge(&s->sum_ape, &o->sum_ape);
	dm_ksum_merge(&s->sum_err, &o->sum_err);
	if (o->max_abs > s->max_abs)
		s->max_abs = o->max_abs;
}

/*
 * dm_reg_finish
 *		Means and R^2 with sklearn's force_finite rules: SST == 0 gives 1.0
 *		when SSE == 0, else 0.0; SSE == 0 gives 1.0.  R^2 of fewer than two
 *		rows is undefined (sklearn returns NaN).
 */
int
dm_reg_finish(const dm_reg_state *s, dm_reg_result *r)
{
	double		dn = (double) s->n;
	double		sse,
				sst;

	if (s->n == 0)
		return 0;
	r->mae = dm_ksum_value(&s->sum_abs) / dn;
	sse = dm_ksum_value(&s->sum_sq);
	r->mse = sse / dn;
	r->rmse = sqrt(r->mse);
	r->mape = dm_ksum_value(&s->sum_ape) / dn;
	r->mean_error = dm_ksum_value(&s->sum_err) / dn;
	r->max_error = s->max_abs;
	sst = dm_ksum_value(&s->m2_y);
	if (s->n < 2)
	{
		r->r2 = NAN;
		r->r2_defined = 0;
	}
	else
	{
		r->r2_defined = 1;
		if (sse == 0.0)
			r->r2 = 1.0;
		else if (sst == 0.0)
			r->r2 = 0.0;
		else if (!isfinite(sst) && isfinite(sse) && sse <= DBL_MAX * 0x1p-60)
		{
			/*
			 * The inputs are finite, so a non-finite M2 means the spread of
			 * y_true overflowed (|y| ~ 1e154 and more): SST > DBL_MAX while
			 * SSE / SST < 2^-60, and 1 - SSE / SST rounds to 1.0 (as
			 * sklearn, whose SST is inf).  Larger SSE: out of range below.
			 */
			r->r2 = 1.0;
		}
		else
			r->r2 = 1.0 - sse / sst;
	}
	return 1;
}
