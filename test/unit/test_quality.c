/*
 * test_quality.c
 *		Unit tests of the model-quality core: per-class P/R/F, the summary
 *		metrics on hand-checked confusion matrices, ROC AUC and average
 *		precision against brute-force definitions (random data with heavy
 *		ties), log-loss clipping, and regression moments (single pass versus
 *		merged partial states, constant y_true, offsets).
 */
#include "tap.h"
#include "metrics.h"
#include "ranking.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* lcg: a small deterministic generator, uniform in [0, 1). */
static uint64_t lcg_state = 88172645463325252ULL;

static double
lcg(void)
{
	lcg_state ^= lcg_state << 13;
	lcg_state ^= lcg_state >> 7;
	lcg_state ^= lcg_state << 17;
	return (double) (lcg_state >> 11) / 9007199254740992.0;
}

/* brute_auc: O(n^2) pair count, ties half. */
static double
brute_auc(const double *pos, size_t np, const double *neg, size_t nn)
{
	double		u = 0;
	size_t		i,
				j;

	for (i = 0; i < np; i++)
		for (j = 0; j < nn; j++)
			u += pos[i] > neg[j] ? 1.0 : pos[i] == neg[j] ? 0.5 : 0.0;
	return u / ((double) np * (double) nn);
}

/* brute_ap: for each distinct threshold, count tp/fp at score >= t. */
static double
brute_ap(const double *pos, size_t np, const double *neg, size_t nn)
{
	double		ap = 0,
				prev_r = 0;
	double	   *all = malloc((np + nn) * sizeof(double));
	size_t		i,
				n = 0;

	memcpy(all, pos, np * sizeof(double));
	memcpy(all + np, neg, nn * sizeof(double));
	/* descending distinct thresholds by selection (small n) */
	for (;;)
	{
		double		t = -INFINITY;
		int			found = 0;
		size_t		tp = 0,
					fp = 0;

		for (i = 0; i < np + nn; i++)
			if ((n == 0 || all[i] < all[np + nn]) && (!found || all[i] > t))
			{
				t = all[i];
				found = 1;
			}
		if (!found)
			break;
		for (i = 0; i < np; i++)
			tp += pos[i] >= t;
		for (i = 0; i < nn; i++)
			fp += neg[i] >= t;
		ap += ((double) tp / np - prev_r) * ((double) tp / (tp + fp));
		prev_r = (double) tp / np;
		n++;
		all = realloc(all, (np + nn + 1) * sizeof(double));
		all[np + nn] = t;
	}
	free(all);
	return ap;
}

static void
test_prf(void)
{
	double		p,
				r,
				f;

	dm_prf(1, 2, 2, &p, &r, &f);
	tap_ok(p == 0.5 && r == 0.5 && f == 0.5, "prf: tp 1 of 2 true, 2 predicted");
	dm_prf(0, 0, 0, &p, &r, &f);
	tap_ok(p == 0 && r == 0 && f == 0, "prf: absent class gives 0 (zero_division = 0)");
	dm_prf(0, 3, 0, &p, &r, &f);
	tap_ok(p == 0 && r == 0 && f == 0, "prf: never predicted gives P 0, F 0");
	dm_prf(2, 3, 2, &p, &r, &f);
	tap_close(f, 2.0 * 1.0 * (2.0 / 3.0) / (1.0 + 2.0 / 3.0), 0, 0, "prf: F = 2PR/(P+R) from rounded P, R");
}

static void
test_summary(void)
{
	/* y a a b c c c, p a b b a c c: rows a(1,1,0), b(0,1,0), c(1,0,2) */
	int64_t		tp[3] = {1, 1, 2},
				ts[3] = {2, 1, 3},
				ps[3] = {2, 2, 2};
	dm_clf_summary m;
	int64_t		tp1[1] = {5},
				ts1[1] = {5},
				ps1[1] = {5};
	int64_t		tp0[2] = {0, 0},
				ts0[2] = {0, 0},
				ps0[2] = {0, 0};

	tap_ok(dm_clf_summarize(3, tp, ts, ps, &m) == 1, "summary: defined");
	tap_close(m.accuracy, 4.0 / 6.0, 1e-15, 0, "summary: accuracy 4/6");
	tap_close(m.balanced_accuracy, 13.0 / 18.0, 1e-15, 0, "summary: balanced accuracy 13/18");
	tap_close(m.precision_macro, 2.0 / 3.0, 1e-15, 0, "summary: macro precision 2/3");
	tap_close(m.f1_macro, 59.0 / 90.0, 1e-15, 0, "summary: macro F1 59/90");
	tap_close(m.precision_weighted, 0.75, 1e-15, 0, "summary: weighted precision 3/4");
	tap_close(m.f1_weighted, 61.0 / 90.0, 1e-15, 0, "summary: weighted F1 61/90");
	tap_close(m.f1_micro, 4.0 / 6.0, 1e-15, 0, "summary: micro F1 = accuracy");
	/* MCC: (4*6 - (2*2+1*2+3*2)) / sqrt((36-14)*(36-12)) = 12/sqrt(528) */
	tap_close(m.mcc, 12.0 / sqrt(528.0), 1e-15, 0, "summary: MCC 12/sqrt(528)");
	/* kappa: 1 - 2 / ((36 - 12)/6) = 0.5 */
	tap_close(m.kappa, 0.5, 1e-15, 0, "summary: kappa 1/2");
	tap_ok(dm_clf_summarize(1, tp1, ts1, ps1, &m) == 1 && m.mcc == 0.0 &&
		   !m.kappa_defined && m.balanced_accuracy == 1.0,
		   "summary: one class: MCC 0, kappa undefined, balanced accuracy 1");
	tap_ok(dm_clf_summarize(2, tp0, ts0, ps0, &m) == 0, "summary: n = 0 is undefined");
}

static void
test_ranking(void)
{
	int			trial;
	int			bad_auc = 0,
				bad_ap = 0;
	double		worst_auc = 0,
				worst_ap = 0;

	for (trial = 0; trial < 200; trial++)
	{
		size_t		np = 1 + (size_t) (lcg() * 60),
					nn = 1 + (size_t) (lcg() * 60),
					i;
		int			levels = trial % 3 == 0 ? 3 : trial % 3 == 1 ? 20 : 0;
		double	   *pos = malloc(np * sizeof(double)),
				   *neg = malloc(nn * sizeof(double));
		double		want_auc,
					want_ap,
					got_auc,
					got_ap,
					e;

		for (i = 0; i < np; i++)
			pos[i] = levels ? (double) (int) (lcg() * levels) : lcg() + 0.2;
		for (i = 0; i < nn; i++)
			neg[i] = levels ? (double) (int) (lcg() * levels) - (trial % 2) : lcg() - 0.2;
		if (trial % 7 == 0)
			neg[0] = -0.0;
		want_auc = brute_auc(pos, np, neg, nn);
		want_ap = brute_ap(pos, np, neg, nn);
		dm_ranking_both(pos, np, neg, nn, &got_auc, &got_ap);
		e = fabs(got_auc - want_auc) / want_auc;
		if (e > worst_auc)
			worst_auc = e;
		if (e > 1e-14)
			bad_auc++;
		e = fabs(got_ap - want_ap) / want_ap;
		if (e > worst_ap)
			worst_ap = e;
		if (e > 1e-13)
			bad_ap++;
		free(pos);
		free(neg);
	}
	tap_ok(bad_auc == 0, "ranking: AUC equals the brute-force pair count on 200 tied/untied cases (worst %.3g)", worst_auc);
	tap_ok(bad_ap == 0, "ranking: AP equals the brute-force threshold sum on 200 cases (worst %.3g)", worst_ap);
	{
		double		p[2] = {0.4, 0.8},
					n[3] = {0.1, 0.35, 0.4};

		tap_close(dm_roc_auc(p, 2, n, 3), 11.0 / 12.0, 1e-15, 0, "ranking: AUC 11/12 example");
	}
	{
		double		p[2] = {0.4, 0.8},
					n[3] = {0.1, 0.35, 0.4};

		tap_close(dm_average_precision(p, 2, n, 3), 5.0 / 6.0, 1e-15, 0, "ranking: AP 5/6 example");
	}
}

static void
test_logloss(void)
{
	tap_close(dm_logloss_term(0.0, 1), -log(DBL_EPSILON), 1e-15, 0, "logloss: p 0, label 1 clipped at eps");
	tap_close(dm_logloss_term(1.0, 0), -log(DBL_EPSILON), 1e-15, 0, "logloss: p 1, label 0 clipped at 1 - eps");
	tap_close(dm_logloss_term(0.25, 1), -log(0.25), 1e-15, 0, "logloss: -ln p");
	tap_close(dm_logloss_term(0.25, 0), -log(0.75), 1e-15, 0, "logloss: -ln (1 - p)");
}

static void
test_regression(void)
{
	dm_reg_state all,
				a,
				b;
	dm_reg_result r1,
				r2;
	double		yt[1000],
				yp[1000];
	int			i;

	dm_reg_init(&all);
	dm_reg_init(&a);
	dm_reg_init(&b);
	for (i = 0; i < 1000; i++)
	{
		yt[i] = 1e6 + lcg();
		yp[i] = yt[i] + 0.1 * (lcg() - 0.5);
		dm_reg_add(&all, yt[i], yp[i]);
		dm_reg_add(i % 3 ? &a : &b, yt[i], yp[i]);
	}
	dm_reg_merge(&a, &b);
	dm_reg_finish(&all, &r1);
	dm_reg_finish(&a, &r2);
	tap_close(r2.r2, r1.r2, 1e-13, 0, "regression: merged r2 equals single pass (offset 1e6)");
	tap_close(r2.mse, r1.mse, 1e-14, 0, "regression: merged mse equals single pass");
	tap_ok(r2.max_error == r1.max_error, "regression: merged max_error equal");
	{
		/* two-pass reference of SST */
		double		mean = 0,
					sst = 0,
					sse = 0;

		for (i = 0; i < 1000; i++)
			mean += yt[i] - 1e6;
		mean = mean / 1000;
		for (i = 0; i < 1000; i++)
		{
			sst += (yt[i] - 1e6 - mean) * (yt[i] - 1e6 - mean);
			sse += (yp[i] - yt[i]) * (yp[i] - yt[i]);
		}
		tap_close(r1.r2, 1 - sse / sst, 1e-12, 0, "regression: r2 with offset 1e6 matches shifted two-pass");
	}
	dm_reg_init(&a);
	dm_reg_add(&a, 0.1, 0.1);
	dm_reg_add(&a, 0.1, 0.1);
	dm_reg_add(&a, 0.1, 0.1);
	dm_reg_finish(&a, &r1);
	tap_ok(r1.r2_defined && r1.r2 == 1.0, "regression: constant y_true, perfect: r2 1");
	dm_reg_add(&a, 0.1, 0.3);
	dm_reg_finish(&a, &r1);
	tap_ok(r1.r2_defined && r1.r2 == 0.0, "regression: constant y_true, errors: r2 0");
	dm_reg_init(&a);
	dm_reg_add(&a, 0.0, 1.0);
	dm_reg_finish(&a, &r1);
	tap_ok(!r1.r2_defined && r1.mape == 1.0 / DBL_EPSILON, "regression: one row: r2 undefined, mape 1/eps");

	/*
	 * y_true spread beyond the float8 range (SST ~ 2e400 overflows) with
	 * unit errors: exactly, r2 = 1 - 1/2e400, which rounds to 1.0 (sklearn
	 * 1.0 too); it used to be NaN (out of range), serial and merged.
	 */
	dm_reg_init(&a);
	dm_reg_add(&a, 1e200, 1e200);
	dm_reg_add(&a, -1e200, -1e200);
	dm_reg_add(&a, 0.0, 1.0);
	dm_reg_finish(&a, &r1);
	tap_ok(r1.r2_defined && r1.r2 == 1.0 && r1.mse == 1.0 / 3.0,
		   "regression: y_true spread overflows, small errors: r2 1 (got %.17g)", r1.r2);
	dm_reg_init(&a);
	dm_reg_init(&b);
	dm_reg_add(&a, 1.7e308, 1.7e308);
	dm_reg_add(&b, -1.7e308, -1.7e308);
	dm_reg_add(&b, 0.0, 0.5);
	dm_reg_merge(&a, &b);
	dm_reg_finish(&a, &r1);
	tap_ok(r1.r2_defined && r1.r2 == 1.0,
		   "regression: merged states whose shifts differ by more than DBL_MAX: r2 1 (got %.17g)", r1.r2);

	/*
	 * Two one-row states 1.5e154 apart: M2 = 1.125e308 is finite, but the
	 * merge's delta * delta is not (it returned NaN, 'r2 out of range').
	 * Exact: SSE = 2e300 (to rounding), r2 = 1 - 2e300 / 1.125e308.
	 */
	{
		dm_reg_state s;
		dm_reg_result r2;

		dm_reg_init(&a);
		dm_reg_init(&b);
		dm_reg_init(&s);
		dm_reg_add(&a, 0.0, 1e150);
		dm_reg_add(&b, 1.5e154, 1.5e154 + 1e150);
		dm_reg_add(&s, 0.0, 1e150);
		dm_reg_add(&s, 1.5e154, 1.5e154 + 1e150);
		dm_reg_merge(&a, &b);
		dm_reg_finish(&a, &r1);
		dm_reg_finish(&s, &r2);
		tap_ok(r1.r2_defined && isfinite(r1.r2) && fabs(r1.r2 - r2.r2) <= 1e-15 &&
			   fabs(r1.r2 - (1.0 - 2e300 / 1.125e308)) <= 1e-12,
			   "regression: merged states 1.5e154 apart: r2 %.17g as serial %.17g", r1.r2, r2.r2);
	}
}

int
main(void)
{
	test_prf();
	test_summary();
	test_ranking();
	test_logloss();
	test_regression();
	return tap_done();
}
