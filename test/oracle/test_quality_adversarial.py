"""Adversarial oracle tests of the model-quality functions (scikit-learn
1.2.1 and exact rational arithmetic), for what test_quality.py does not
reach:

  - every (y_true, y_pred) sequence over 3 bigint labels up to n = 3 and over
    booleans up to n = 4 (all-correct, all-wrong, one class, labels only in
    y_pred or only in y_true, MCC / kappa with a zero denominator, balanced
    accuracy with classes absent from y_true), all twenty fields of
    classification_metrics and every classification_report row;
  - forced parallel plans with thousands of tiny GROUP BY groups (partial
    states split across workers and combined): exactly the serial answers,
    and sklearn's;
  - ranking on +-Infinity, signed zeros and heavy ties against exact
    fractions (Mann-Whitney with half credit for ties; the step-wise AP);
  - log_loss / brier_score at p = 0, -0, subnormal, eps, 1 - eps, 1 and the
    errors outside [0, 1]; binary_metrics at infinite and signed-zero
    thresholds;
  - regression at n = 1, huge and tiny magnitudes, y_true = 0 or subnormal
    for MAPE, constant y_true spread over parallel workers;
  - rollup of random splits (with NULL and skipped-only summaries) equal to
    the summary of the union, serial and parallel.
Where sklearn rounds (kappa, MCC near 0) or overflows, exact fractions are
the truth and the comment says so.
"""
import itertools
import math
import os
import random
import sys
import warnings
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
from skref import sk_classification  # noqa: E402

from sklearn import metrics as skm  # noqa: E402

warnings.filterwarnings("ignore")
RTOL = 1e-12
rng = random.Random(20261124)
nrng = np.random.default_rng(20261124)
conn = dmtest.connect()
t = dmtest.Tap('quality_adversarial')
conn.execute("SET client_min_messages = warning")

CLF_FIELDS = ['n', 'n_classes', 'accuracy', 'balanced_accuracy',
              'precision_macro', 'recall_macro', 'f1_macro',
              'precision_weighted', 'recall_weighted', 'f1_weighted',
              'precision_micro', 'recall_micro', 'f1_micro',
              'matthews_corrcoef', 'cohen_kappa', 'precision', 'recall', 'f1',
              'specificity', 'n_skipped']
CAST = {'text': 'text', 'bigint': 'bigint', 'bool': 'boolean'}
PARALLEL = ("SET parallel_setup_cost = 0", "SET parallel_tuple_cost = 0",
            "SET min_parallel_table_scan_size = 0",
            "SET max_parallel_workers_per_gather = 2",
            "SET parallel_leader_participation = off",
            "SET enable_hashagg = off")
PARALLEL_RESET = ("parallel_setup_cost", "parallel_tuple_cost",
                  "min_parallel_table_scan_size", "max_parallel_workers_per_gather",
                  "parallel_leader_participation", "enable_hashagg")


def close(got, want, atol=0.0):
    """got ~ want within RTOL (or atol absolute); None/NaN means undefined."""
    if isinstance(want, float) and math.isnan(want):
        want = None
    if isinstance(got, float) and math.isnan(got):
        got = None
    if got is None or want is None:
        return got is None and want is None
    if got == want:
        return True
    if abs(got - want) <= atol:
        return True
    return abs(got - want) <= RTOL * abs(want)


def close_ulps(a, b):
    """Equal within 2 ulps (None only equals None)."""
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 2 * np.spacing(max(abs(a), abs(b)))


def lab_sql(kind, v):
    if kind == 'bool':
        return 'true' if v else 'false'
    return str(v)


def set_parallel(on):
    if on:
        for g in PARALLEL:
            conn.execute(g)
    else:
        for g in PARALLEL_RESET:
            conn.execute(f"RESET {g}")


# --------------------------------------------------------------------------
# exact references
# --------------------------------------------------------------------------

def exact_kappa_mcc(yt, yp):
    """Cohen's kappa and MCC in fractions (None where 0/0).  MCC is returned
    as (numerator, denominator^2) so its sign and square are exact."""
    labs = sorted(set(yt) | set(yp))
    n = len(yt)
    ts = {a: sum(1 for y in yt if y == a) for a in labs}
    ps = {a: sum(1 for y in yp if y == a) for a in labs}
    correct = sum(1 for a, b in zip(yt, yp) if a == b)
    exp_dis = Fraction(n * n - sum(ts[a] * ps[a] for a in labs), n)
    kappa = None if exp_dis == 0 else 1 - Fraction(n - correct) / exp_dis
    cov_tp = correct * n - sum(ts[a] * ps[a] for a in labs)
    cov_tt = n * n - sum(ts[a] ** 2 for a in labs)
    cov_pp = n * n - sum(ps[a] ** 2 for a in labs)
    mcc = 0.0 if cov_tt * cov_pp == 0 else cov_tp / math.sqrt(cov_tt * cov_pp)
    return kappa, mcc


def exact_auc(pos, neg):
    """P(s+ > s-) + 1/2 P(s+ == s-) as a fraction (+-inf compare as usual)."""
    twice = 0
    for a in pos:
        for b in neg:
            twice += 2 if a > b else (1 if a == b else 0)
    return Fraction(twice, 2 * len(pos) * len(neg))


def exact_ap(pos, neg):
    """sklearn's step function in fractions: thresholds are the distinct
    scores, descending; AP = sum (R_k - R_k-1) P_k."""
    allv = sorted(set(pos) | set(neg), reverse=True)
    ap = Fraction(0)
    tps = fps = 0
    for v in allv:
        dp = sum(1 for a in pos if a == v)
        fps += sum(1 for b in neg if b == v)
        tps += dp
        if dp:
            ap += Fraction(dp, len(pos)) * Fraction(tps, tps + fps)
    return ap


# --------------------------------------------------------------------------
# 1. exhaustive small classification cases
# --------------------------------------------------------------------------

def sk_clf(kind, yt, yp):
    r, labs, (pc, rcc, fc, sc) = sk_classification(kind, yt, yp)
    r['n_skipped'] = 0
    r['report'] = [(lab_sql(kind, lab.item() if hasattr(lab, 'item') else lab),
                    float(pc[j]), float(rcc[j]), float(fc[j]), int(sc[j]))
                   for j, lab in enumerate(labs)]
    return r


def exhaustive_cases():
    cases = []
    for n in (1, 2, 3):
        for yt in itertools.product([7, -1, 3], repeat=n):
            for yp in itertools.product([7, -1, 3], repeat=n):
                cases.append(('bigint', list(yt), list(yp)))
    for n in (1, 2, 3, 4):
        for yt in itertools.product([False, True], repeat=n):
            for yp in itertools.product([False, True], repeat=n):
                cases.append(('bool', list(yt), list(yp)))
    words = ['b', 'a', 'é', 'B', '']
    for _ in range(150):
        k = rng.randint(1, 5)
        pool = rng.sample(words, k)
        n = rng.randint(1, 6)
        cases.append(('text', rng.choices(pool, k=n), rng.choices(pool, k=n)))
    return cases


def test_exhaustive_classification():
    cases = exhaustive_cases()
    conn.execute("CREATE TEMP TABLE ex (case_id int, yt text, yp text)")
    dmtest.copy_rows(conn, 'ex', ['case_id', 'yt', 'yp'],
              ((i, lab_sql(k, a), lab_sql(k, b)) for i, (k, yt, yp) in enumerate(cases)
               for a, b in zip(yt, yp)))
    got, rep = {}, {}
    for kind in ('text', 'bigint', 'bool'):
        ids = [i for i, c in enumerate(cases) if c[0] == kind]
        ty = CAST[kind]
        for r in conn.execute(
                f"SELECT case_id, (driftmon.classification_metrics(yt::{ty}, yp::{ty})).* "
                f"FROM ex WHERE case_id = ANY(%s) GROUP BY case_id", (ids,)):
            got[r[0]] = dict(zip(CLF_FIELDS, r[1:]))
        for r in conn.execute(
                f"WITH s AS (SELECT case_id, driftmon.confusion_agg(yt::{ty}, yp::{ty}) c "
                f"FROM ex WHERE case_id = ANY(%s) GROUP BY case_id) "
                f"SELECT case_id, r.* FROM s, driftmon.classification_report(c) r", (ids,)):
            rep.setdefault(r[0], []).append(tuple(r[1:]))
    for i, (kind, yt, yp) in enumerate(cases):
        want = sk_clf(kind, yt, yp)
        g = got[i]
        name = f"exhaustive {kind} y_true={yt} y_pred={yp}"
        bad = []
        ek, emcc = exact_kappa_mcc(yt, yp)
        for f in CLF_FIELDS:
            w = want[f]
            if f == 'cohen_kappa':
                # exact: sklearn's float outer products give 2.2e-16 for an
                # exact 0 (y_true = [a, b], y_pred = [a, a]), and NaN for 0/0
                w = None if ek is None else float(ek)
                if not close(want[f], w, 1e-15):
                    bad.append(f"sklearn kappa {want[f]!r} vs exact {w!r}")
            if f == 'matthews_corrcoef' and not close(want[f], emcc, 1e-15):
                bad.append(f"sklearn mcc {want[f]!r} vs exact {emcc!r}")
            if not close(g[f], w, 1e-15 if f in ('cohen_kappa', 'matthews_corrcoef') else 0.0):
                bad.append(f"{f}: got {g[f]!r} want {w!r}")
        rows = rep.get(i, [])
        wr = want['report']
        if len(rows) != len(wr) + 3:
            bad.append(f"report has {len(rows)} rows, want {len(wr) + 3}")
        else:
            for row, w in zip(rows, wr):
                if row[0] != w[0] or row[4] != w[4] or not all(
                        close(row[j], w[j]) for j in (1, 2, 3)):
                    bad.append(f"report row {row} want {w}")
            tail = rows[len(wr):]
            wt = [('accuracy', None, None, want['accuracy'], want['n']),
                  ('macro avg', want['precision_macro'], want['recall_macro'], want['f1_macro'], want['n']),
                  ('weighted avg', want['precision_weighted'], want['recall_weighted'],
                   want['f1_weighted'], want['n'])]
            for row, w in zip(tail, wt):
                if row[0] != w[0] or row[4] != w[4] or not all(
                        close(row[j], w[j]) for j in (1, 2, 3)):
                    bad.append(f"report row {row} want {w}")
        t.ok(not bad, name, "\n".join(bad))
    conn.execute("DROP TABLE ex")


# --------------------------------------------------------------------------
# 2. parallel GROUP BY with many tiny groups
# --------------------------------------------------------------------------

def test_parallel_groups():
    """4000 groups of 1 to 40 rows, rows of a group scattered over the
    table so both workers see parts of most groups: every aggregate's
    parallel answer equals the serial one bit for bit (classification and
    ranking are exact counts) and sklearn's."""
    ngroups = 4000
    groups = []
    rows = []
    pool_txt = ['x', 'y', 'z', 'é', 'w w']
    for g in range(ngroups):
        n = rng.choice([1, 1, 2, 3, 5, 10, 40])
        k = rng.randint(1, 4)
        labs = rng.sample(pool_txt, k)
        if g % 10 == 0:
            # more labels than the dense 10 x 10 block of the state, in
            # another first-seen order in each worker
            n = 80
            labs = [f"label number {j:02d} of a long text" for j in rng.sample(range(40), 30)]
        yt = rng.choices(labs, k=n)
        yp = [y if rng.random() < 0.6 else rng.choice(pool_txt + labs) for y in yt]
        lb = [rng.random() < 0.4 for _ in range(n)]
        sc = [rng.choice([0.0, -0.0, 0.25, 0.5, 0.75, 1.0, rng.random()]) for _ in range(n)]
        rt = [rng.choice([0.0, 3.0, 3.0, rng.gauss(0, 5)]) for _ in range(n)]
        rp = [v + rng.choice([0.0, rng.gauss(0, 1)]) for v in rt]
        groups.append((yt, yp, lb, sc, rt, rp))
        for j in range(n):
            rows.append((g, yt[j], yp[j], lb[j], repr(sc[j]), repr(rt[j]), repr(rp[j])))
        if rng.random() < 0.05:
            rows.append((g, None, 'x', None, None, None, '1'))
    rng.shuffle(rows)
    conn.execute("CREATE TABLE adv_par (g int, yt text, yp text, lb boolean, sc float8, "
                 "rt float8, rp float8)")
    dmtest.copy_rows(conn, 'adv_par', ['g', 'yt', 'yp', 'lb', 'sc', 'rt', 'rp'], rows)
    conn.execute("ANALYZE adv_par")
    q = ("SELECT g, driftmon.classification_metrics(yt, yp)::text, "
         "driftmon.confusion_agg(yt, yp)::text, "
         "driftmon.classification_metrics(lb, sc >= 0.5)::text, "
         "driftmon.roc_auc(sc, lb), driftmon.average_precision(sc, lb), "
         "driftmon.log_loss(sc, lb), driftmon.brier_score(sc, lb), "
         "driftmon.binary_metrics(lb, sc, 0.25)::text, "
         "(driftmon.regression_metrics(rt, rp)).* "
         "FROM adv_par GROUP BY g ORDER BY g")
    serial = {r[0]: r[1:] for r in conn.execute(q)}
    set_parallel(True)
    try:
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + q))
        t.ok("Partial" in plan and "Workers Launched: 2" in plan,
             "parallel groups: two workers run partial aggregates", plan)
        par = {r[0]: r[1:] for r in conn.execute(q)}
    finally:
        set_parallel(False)
    reg_fields = ['n', 'mae', 'mse', 'rmse', 'mape', 'r2', 'mean_error', 'max_error', 'n_skipped']
    bad_exact = []
    bad_reg = []
    for g in range(ngroups):
        s, p = serial[g], par[g]
        # counts, ranks and thresholded counts are exact: equal bit for bit;
        # log loss and Brier are compensated float sums merged in another
        # order: within 2 ulps
        sb, pb = s[7].strip('()').split(','), p[7].strip('()').split(',')
        same = s[:4] == p[:4] and close_ulps(s[4], p[4]) and close_ulps(s[5], p[5]) \
            and close_ulps(s[6], p[6]) and sb[:4] + sb[6:] == pb[:4] + pb[6:] \
            and all(close_ulps(float(a) if a else None, float(b) if b else None)
                    for a, b in zip(sb[4:6], pb[4:6]))
        if not same:
            bad_exact.append(f"group {g}: serial {s[:8]} parallel {p[:8]}")
        yt, yp, lb, sc, rt, rp = groups[g]
        # regression: parallel merges are Chan updates, compare with sklearn
        rt_a, rp_a = np.array(rt), np.array(rp)
        want = dict(n=len(rt), mae=skm.mean_absolute_error(rt_a, rp_a),
                    mse=skm.mean_squared_error(rt_a, rp_a),
                    rmse=skm.mean_squared_error(rt_a, rp_a, squared=False),
                    mape=skm.mean_absolute_percentage_error(rt_a, rp_a),
                    r2=skm.r2_score(rt_a, rp_a) if len(rt) >= 2 else None,
                    mean_error=float(np.mean(rp_a - rt_a)), max_error=skm.max_error(rt_a, rp_a))
        if len(rt) >= 2 and np.all(rt_a == rt_a[0]):
            # constant y_true: exactly 1.0 or 0.0 (sklearn may see a residue
            # of its mean; README)
            want['r2'] = 1.0 if np.all(rt_a == rp_a) else 0.0
        for which, res in (('serial', s), ('parallel', p)):
            got = dict(zip(reg_fields, res[8:]))
            for f, w in want.items():
                atol = 1e-13 * (want['mae'] + 1e-300) if f == 'mean_error' else (
                    1e-14 if f == 'r2' else 0.0)
                if not close(got[f], w, atol):
                    bad_reg.append(f"group {g} {which} {f}: got {got[f]!r} want {w!r}")
    t.ok(not bad_exact, f"parallel groups: {ngroups} groups, classification, ranking, "
         "log loss, Brier and binary_metrics equal the serial plan", "\n".join(bad_exact[:20]))
    t.ok(not bad_reg, f"parallel groups: regression_metrics of {ngroups} groups, serial and "
         "parallel, equal sklearn", "\n".join(bad_reg[:20]))
    # the serial classification / ranking numbers against sklearn
    bad = []
    for g in range(ngroups):
        yt, yp, lb, sc, rt, rp = groups[g]
        got = serial[g]
        want = sk_clf('text', yt, yp)
        gm = conn.execute("SELECT (%s::driftmon.classification_metrics_result).*",
                          (got[0],)).fetchone() if g < 300 else None
        if gm is not None:
            for f, v in zip(CLF_FIELDS, gm):
                if f in ('n_skipped', 'precision', 'recall', 'f1', 'specificity'):
                    continue
                if not close(v, want[f], 1e-15 if f in ('cohen_kappa', 'matthews_corrcoef') else 0.0):
                    bad.append(f"group {g} {f}: got {v!r} want {want[f]!r}")
        pos = [s for s, y in zip(sc, lb) if y]
        neg = [s for s, y in zip(sc, lb) if not y]
        wa = float(exact_auc(pos, neg)) if pos and neg else None
        wap = float(exact_ap(pos, neg)) if pos and neg else None
        if not close(got[3], wa) or not close(got[4], wap):
            bad.append(f"group {g} auc/ap: got {got[3]!r} {got[4]!r} want {wa!r} {wap!r}")
        wl = skm.log_loss(np.array(lb, int), np.array(sc), labels=[0, 1])
        wb = float(np.mean((np.array(lb, float) - np.array(sc)) ** 2))
        if not close(got[5], wl) or not close(got[6], wb):
            bad.append(f"group {g} log loss/brier: got {got[5]!r} {got[6]!r} want {wl!r} {wb!r}")
    t.ok(not bad, "parallel groups: serial answers equal sklearn / exact fractions",
         "\n".join(bad[:20]))
    conn.execute("DROP TABLE adv_par")


# --------------------------------------------------------------------------
# 3. ranking: infinities, signed zeros, ties
# --------------------------------------------------------------------------

SPECIAL = [math.inf, -math.inf, 0.0, -0.0, 5e-324, -5e-324, 1.0, 1.0, 0.5, 1e308, -1e308]


def rank_cases():
    cases = [
        ([math.inf], [math.inf]),
        ([math.inf], [-math.inf]),
        ([-math.inf], [math.inf]),
        ([0.0], [-0.0]),
        ([-0.0, 0.0], [0.0, -0.0]),
        ([math.inf, math.inf, -math.inf], [math.inf, 1e308, -math.inf]),
        ([5e-324], [0.0, -0.0]),
        ([1.0] * 7, [1.0] * 3),
        ([0.5], [0.5] * 1000),
        ([0.1] * 500 + [0.9], [0.1] * 499 + [0.9] * 2),
    ]
    for _ in range(200):
        npos = rng.randint(1, 12)
        nneg = rng.randint(1, 12)
        pick = rng.sample(SPECIAL, rng.randint(1, 5))
        cases.append((rng.choices(pick, k=npos), rng.choices(pick, k=nneg)))
    return cases


def sk_rankable(pos, neg):
    """sklearn refuses infinities; map +-inf to scores beyond every finite
    one, which keeps the ranking (only ranks matter to AUC and AP)."""
    fin = [v for v in pos + neg if math.isfinite(v)]
    hi = (max(fin) if fin else 0.0)
    lo = (min(fin) if fin else 0.0)
    top = 2.0 * abs(hi) + 1.0 if abs(hi) < 1e307 else None
    bot = -2.0 * abs(lo) - 1.0 if abs(lo) < 1e307 else None
    if top is None or bot is None:
        return None

    def m(v):
        return top if v == math.inf else bot if v == -math.inf else v
    return [m(v) for v in pos], [m(v) for v in neg]


def test_ranking_specials():
    cases = rank_cases()
    conn.execute("CREATE TEMP TABLE rk (case_id int, s float8, y boolean)")
    dmtest.copy_rows(conn, 'rk', ['case_id', 's', 'y'],
              ((i, repr(v), lab) for i, (pos, neg) in enumerate(cases)
               for lab, arr in ((True, pos), (False, neg)) for v in arr))
    res = {r[0]: r[1:] for r in conn.execute(
        "SELECT case_id, driftmon.roc_auc(s, y), driftmon.average_precision(s, y), "
        "(driftmon.binary_metrics(y, s)).roc_auc, (driftmon.binary_metrics(y, s)).average_precision "
        "FROM rk GROUP BY case_id")}
    for i, (pos, neg) in enumerate(cases):
        wa, wap = float(exact_auc(pos, neg)), float(exact_ap(pos, neg))
        g = res[i]
        bad = []
        if not (close(g[0], wa) and close(g[2], wa)):
            bad.append(f"auc got {g[0]!r} / {g[2]!r} want {wa!r}")
        if not (close(g[1], wap) and close(g[3], wap)):
            bad.append(f"ap got {g[1]!r} / {g[3]!r} want {wap!r}")
        m = sk_rankable(pos, neg)
        if m is not None:
            y = [1] * len(m[0]) + [0] * len(m[1])
            s = m[0] + m[1]
            sa, sap = skm.roc_auc_score(y, s), skm.average_precision_score(y, s)
            if not close(sa, wa) or not close(sap, wap):
                bad.append(f"sklearn disagrees with the exact values: {sa!r} {sap!r}")
        t.ok(not bad, f"ranking specials pos={pos[:8]} neg={neg[:8]}", "\n".join(bad))
    conn.execute("DROP TABLE rk")


# --------------------------------------------------------------------------
# 4. probabilities at the edges, thresholds
# --------------------------------------------------------------------------

EPS = np.finfo(np.float64).eps
PROBS = [0.0, -0.0, 5e-324, 1e-300, EPS / 2, EPS, 2 * EPS, 0.5, 1 - 2 * EPS, 1 - EPS,
         1 - EPS / 2, 1.0]


def test_probability_edges():
    cases = [([p], [y]) for p in PROBS for y in (False, True)]
    for _ in range(60):
        n = rng.randint(1, 10)
        cases.append((rng.choices(PROBS, k=n), [rng.random() < 0.5 for _ in range(n)]))
    conn.execute("CREATE TEMP TABLE pe (case_id int, p float8, y boolean)")
    dmtest.copy_rows(conn, 'pe', ['case_id', 'p', 'y'],
              ((i, repr(p), y) for i, (ps, ys) in enumerate(cases) for p, y in zip(ps, ys)))
    res = {r[0]: r[1:] for r in conn.execute(
        "SELECT case_id, driftmon.log_loss(p, y), driftmon.brier_score(p, y), "
        "(driftmon.binary_metrics(y, p)).log_loss, (driftmon.binary_metrics(y, p)).brier_score "
        "FROM pe GROUP BY case_id")}
    for i, (ps, ys) in enumerate(cases):
        y = np.array(ys, int)
        p = np.array(ps, float)
        wl = skm.log_loss(y, p, labels=[0, 1])
        wb = skm.brier_score_loss(y, p, pos_label=1)
        g = res[i]
        t.ok(close(g[0], wl) and close(g[2], wl) and close(g[1], wb) and close(g[3], wb),
             f"probability edges p={ps} y={ys}",
             f"got {g} want log_loss {wl!r} brier {wb!r}")
    conn.execute("DROP TABLE pe")
    for bad in ('1.0000000000000002', '-5e-324', '-1e-300', 'Infinity', '-Infinity', 'NaN', '2'):
        for fn in ('log_loss', 'brier_score'):
            try:
                conn.execute(f"SELECT driftmon.{fn}(p, true) FROM (VALUES ('{bad}'::float8)) v(p)")
                t.ok(False, f"{fn} rejects probability {bad}", "accepted")
            except Exception as e:  # noqa: BLE001
                t.ok(getattr(e, 'sqlstate', None) == '22023',
                     f"{fn} rejects probability {bad}", repr(e))
    # binary_metrics: predicted true iff score >= threshold, at thresholds
    # that are infinite, signed zeros or equal to a score
    scores = [-math.inf, -1.0, -0.0, 0.0, 5e-324, 0.5, 0.5, 1.0, math.inf]
    labels = [False, True, False, True, True, False, True, True, False]
    conn.execute("CREATE TEMP TABLE th (s float8, y boolean)")
    dmtest.copy_rows(conn, 'th', ['s', 'y'], ((repr(s), y) for s, y in zip(scores, labels)))
    for th in (-math.inf, -1.0, -0.0, 0.0, 5e-324, 0.5, 1.0, math.inf):
        g = conn.execute("SELECT (driftmon.binary_metrics(y, s, %s::float8)).* FROM th",
                         (repr(th),)).fetchone()
        yt = np.array(labels, int)
        pr = np.array([s >= th for s in scores], int)
        want = [len(yt), int(yt.sum()), None, None, None, None,
                skm.accuracy_score(yt, pr),
                skm.precision_score(yt, pr, zero_division=0, labels=[0, 1]),
                skm.recall_score(yt, pr, zero_division=0, labels=[0, 1]),
                skm.f1_score(yt, pr, zero_division=0, labels=[0, 1]),
                skm.recall_score(yt, pr, pos_label=0, zero_division=0, labels=[0, 1]), 0]
        pos = [s for s, y in zip(scores, labels) if y]
        neg = [s for s, y in zip(scores, labels) if not y]
        want[2], want[3] = float(exact_auc(pos, neg)), float(exact_ap(pos, neg))
        # scores outside [0, 1]: log_loss and brier NULL (documented)
        t.ok(all(close(a, b) for a, b in zip(g, want)),
             f"binary_metrics at threshold {th!r}", f"got {g} want {want}")
    conn.execute("DROP TABLE th")


# --------------------------------------------------------------------------
# 5. regression at the edges
# --------------------------------------------------------------------------

def exact_reg(yt, yp):
    """mae, mse, mape, r2 (sklearn's force_finite rules), mean_error,
    max_error in fractions, rounded once."""
    n = len(yt)
    ft = [Fraction(v) for v in yt]
    fp = [Fraction(v) for v in yp]
    e = [b - a for a, b in zip(ft, fp)]
    eps = Fraction(float(EPS))
    mae = sum(abs(x) for x in e) / n
    mse = sum(x * x for x in e) / n
    mape = sum(abs(x) / max(abs(a), eps) for x, a in zip(e, ft)) / n
    mean = sum(ft) / n
    sst = sum((a - mean) ** 2 for a in ft)
    sse = sum(x * x for x in e)
    if n < 2:
        r2 = None
    elif sse == 0:
        r2 = 1.0
    elif sst == 0:
        r2 = 0.0
    else:
        r2 = float(1 - sse / sst)
    return dict(n=n, mae=float(mae), mse=float(mse), rmse=math.sqrt(float(mse)) if float(mse) > 0 else 0.0,
                mape=float(mape), r2=r2, mean_error=float(sum(e) / n),
                max_error=float(max(abs(x) for x in e)))


def reg_cases():
    """(name, y_true, y_pred) checked against exact fractions.  Cases where
    squared errors underflow are in UNDERFLOW_CASES: driftmon, like sklearn
    (README, hostile input table), sums the float squares, so SSE = 0 there
    and r2 follows sklearn's SSE == 0 rule, although exactly r2 would be
    0.0 or -1.0; they are compared with sklearn."""
    return [
        ('n = 1', [3.0], [5.0]),
        ('y_true 0 and subnormal for MAPE', [0.0, 5e-324, -0.0, 1e-17], [1.0, 0.0, 2.0, 0.0]),
        ('constant y_true, perfect', [0.1] * 5, [0.1] * 5),
        ('huge spread of y_true, small errors', [1e200, -1e200, 0.0], [1e200, -1e200, 1.0]),
        ('huge spread of y_true, unit error', [1e300, -1e300, 0.0, 5.0], [1e300, -1e300, 1.0, 5.0]),
        ('y_true near the float8 limit', [1.7e308, -1.7e308, 0.0], [1.7e308, -1.7e308, 0.5]),
        ('offset 1e15 +- 1', [1e15 + 1, 1e15 - 1, 1e15], [1e15, 1e15, 1e15]),
        ('large errors', [1e150, -1e150], [-1e150, 1e150]),
    ]


UNDERFLOW_CASES = [
    # constant y_true, errors of 1e-300: squares underflow, SSE = 0 -> 1.0
    # (exactly: force_finite gives 0.0)
    ('constant y_true, errors whose squares underflow', [0.0, 0.0, 0.0], [1e-300, 1e-300, 1e-300]),
    # subnormal squares: sklearn 0.7857067, exactly 0.7857143 (11/14)
    ('tiny magnitudes', [1e-160, 0.0, 3e-160], [0.0, 0.0, 3e-160]),
    # exactly -1.0 (SSE = 2 SST), both underflow to 0: sklearn 1.0
    ('tiny, subnormal squares', [1e-170, 2e-170], [0.0, 2e-170]),
]


def test_regression_underflow():
    """Serial only: in the subnormal range a parallel merge rounds
    differently (0.7857218 instead of sklearn's 0.7857067 for 'tiny
    magnitudes'; both are off the exact 11/14 by ~1e-5)."""
    fields = ['n', 'mae', 'mse', 'rmse', 'mape', 'r2', 'mean_error', 'max_error', 'n_skipped']
    for name, yt, yp in UNDERFLOW_CASES:
        got = dict(zip(fields, conn.execute(
            "SELECT (driftmon.regression_metrics(yt, yp)).* FROM unnest(%s::float8[], %s::float8[]) u(yt, yp)",
            ([repr(v) for v in yt], [repr(v) for v in yp])).fetchone()))
        a, b = np.array(yt), np.array(yp)
        want = dict(n=len(yt), mae=skm.mean_absolute_error(a, b), mse=skm.mean_squared_error(a, b),
                    rmse=skm.mean_squared_error(a, b, squared=False),
                    mape=skm.mean_absolute_percentage_error(a, b), r2=skm.r2_score(a, b),
                    mean_error=float(np.mean(b - a)), max_error=skm.max_error(a, b), n_skipped=0)
        bad = [f"{f}: got {got[f]!r} want {w!r}" for f, w in want.items() if not close(got[f], w)]
        t.ok(not bad, f"regression underflow, as sklearn: {name}", "\n".join(bad))


def test_regression_edges():
    for name, yt, yp in reg_cases():
        for form in ('serial', 'parallel'):
            want = exact_reg(yt, yp)
            conn.execute("CREATE TABLE adv_rg AS SELECT * FROM unnest(%s::float8[], %s::float8[]) "
                         "u(yt, yp), generate_series(1, 1)", ([repr(v) for v in yt], [repr(v) for v in yp]))
            if form == 'parallel':
                # every row three times, so the workers each hold a share
                conn.execute("INSERT INTO adv_rg SELECT * FROM adv_rg")
                conn.execute("INSERT INTO adv_rg SELECT * FROM adv_rg LIMIT %s", (len(yt),))
                conn.execute("ANALYZE adv_rg")
                want = exact_reg(yt * 3, yp * 3)
                set_parallel(True)
            try:
                got = conn.execute("SELECT (driftmon.regression_metrics(yt, yp)).* FROM adv_rg").fetchone()
                g = dict(zip(['n', 'mae', 'mse', 'rmse', 'mape', 'r2', 'mean_error', 'max_error',
                              'n_skipped'], got))
                bad = [f"{f}: got {g[f]!r} want {w!r}" for f, w in want.items()
                       if not close(g[f], w, 1e-15 if f == 'r2' else 0.0)]
                t.ok(not bad, f"regression {name} ({form})", "\n".join(bad))
            except Exception as e:  # noqa: BLE001
                t.ok(False, f"regression {name} ({form})", repr(e))
            finally:
                if form == 'parallel':
                    set_parallel(False)
                conn.execute("DROP TABLE adv_rg")


# --------------------------------------------------------------------------
# 6. rollup of random splits
# --------------------------------------------------------------------------

def test_rollup_splits():
    """Each case's rows are split into 1 to 9 parts (some only NULL rows,
    some parts empty, plus a NULL summary); the rollup of the parts' summaries
    has the same text as the summary of the union, serial and parallel."""
    conn.execute("CREATE TABLE adv_rows (case_id int, part int, yt bigint, yp bigint)")
    rows = []
    ncases = 300
    for c in range(ncases):
        nparts = rng.randint(1, 9)
        k = rng.randint(1, 30)
        for j in range(rng.randint(1, 200)):
            rows.append((c, rng.randrange(nparts), rng.randrange(k) * 7 - 50,
                         rng.randrange(k) * 7 - 50))
        for j in range(rng.choice([0, 2])):
            rows.append((c, nparts, None, 1))
    dmtest.copy_rows(conn, 'adv_rows', ['case_id', 'part', 'yt', 'yp'], rows)
    conn.execute("CREATE TABLE adv_parts AS SELECT case_id, part, driftmon.confusion_agg(yt, yp) c "
                 "FROM adv_rows GROUP BY case_id, part "
                 "UNION ALL SELECT g, -1, NULL FROM generate_series(0, %s) g" % (ncases - 1))
    conn.execute("ANALYZE adv_rows")
    conn.execute("ANALYZE adv_parts")
    union = {r[0]: r[1] for r in conn.execute(
        "SELECT case_id, driftmon.confusion_agg(yt, yp)::text FROM adv_rows GROUP BY case_id")}
    for form in ('serial', 'parallel'):
        if form == 'parallel':
            set_parallel(True)
        try:
            roll = {r[0]: r[1] for r in conn.execute(
                "SELECT case_id, driftmon.rollup(c)::text FROM adv_parts GROUP BY case_id")}
            whole = conn.execute("SELECT driftmon.rollup(c)::text FROM adv_parts").fetchone()[0]
        finally:
            set_parallel(False)
        bad = [f"case {c}: {roll.get(c)} vs {union[c]}" for c in range(ncases) if roll.get(c) != union[c]]
        t.ok(not bad, f"rollup of random splits equals the union ({form}, {ncases} cases)",
             "\n".join(bad[:5]))
        allrows = conn.execute("SELECT driftmon.confusion_agg(yt, yp)::text FROM adv_rows").fetchone()[0]
        t.ok(whole == allrows, f"rollup of every part equals the summary of every row ({form})",
             f"{whole[:300]} vs {allrows[:300]}")
    conn.execute("DROP TABLE adv_rows, adv_parts")


def test_window_and_one_class():
    """Running-frame window aggregates (the final function runs after every
    row, then more rows arrive) and sliding frames give sklearn's numbers
    at every prefix; with one class present roc_auc and average_precision
    are NULL.  sklearn 1.2.1 raises for roc_auc there, but for
    average_precision it returns -0.0 (only negatives, with a warning) or
    1.0 (only positives): driftmon's NULL is a documented choice, not
    sklearn's behaviour."""
    n = 60
    s = [rng.choice([0.1, 0.2, 0.5, 0.9, -0.0, 0.0, rng.random()]) for _ in range(n)]
    y = [rng.random() < 0.5 for _ in range(n)]
    y[0] = y[1] = True
    yt = [rng.choice('abc') for _ in range(n)]
    yp = [rng.choice('abcd') for _ in range(n)]
    rows = conn.execute(
        "SELECT i, driftmon.roc_auc(s, y) OVER w, driftmon.average_precision(s, y) OVER w, "
        "(driftmon.binary_metrics(y, s) OVER w).roc_auc, "
        "(driftmon.classification_metrics(yt, yp) OVER w).f1_macro, "
        "driftmon.roc_auc(s, y) OVER (ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) "
        "FROM unnest(%s::float8[], %s::boolean[], %s::text[], %s::text[]) WITH ORDINALITY u(s, y, yt, yp, i) "
        "WINDOW w AS (ORDER BY i ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) ORDER BY i",
        (s, y, yt, yp)).fetchall()
    bad = []
    for k, r in enumerate(rows):
        ys, ss = np.array(y[:k + 1], int), np.array(s[:k + 1])
        two = len(set(ys)) == 2
        wa = skm.roc_auc_score(ys, ss) if two else None
        wap = skm.average_precision_score(ys, ss) if two else None
        wf = skm.f1_score(np.array(yt[:k + 1]), np.array(yp[:k + 1]), average='macro', zero_division=0)
        lo = max(0, k - 3)
        ys4, ss4 = np.array(y[lo:k + 1], int), np.array(s[lo:k + 1])
        wa4 = skm.roc_auc_score(ys4, ss4) if len(set(ys4)) == 2 else None
        if not (close(r[1], wa) and close(r[2], wap) and close(r[3], wa) and close(r[4], wf)
                and close(r[5], wa4)):
            bad.append(f"row {k}: got {r[1:]} want {wa} {wap} {wa} {wf} {wa4}")
    t.ok(not bad, f"window frames: {n} running and sliding prefixes equal sklearn", "\n".join(bad[:10]))
    for lab, sk_ap in ((False, -0.0), (True, 1.0)):
        ys = np.array([int(lab)] * 3)
        ss = np.array([0.2, 0.7, 0.7])
        t.ok(skm.average_precision_score(ys, ss) == sk_ap,
             f"sklearn 1.2.1 average_precision with only {'positives' if lab else 'negatives'} is {sk_ap}")
        g = conn.execute("SELECT driftmon.roc_auc(s, y), driftmon.average_precision(s, y), "
                         "(driftmon.binary_metrics(y, s)).average_precision "
                         "FROM unnest(%s::float8[]) s, (SELECT %s::boolean y) c", (list(ss), lab)).fetchone()
        t.ok(g == (None, None, None),
             f"one class ({'positives' if lab else 'negatives'}): roc_auc and average_precision NULL", repr(g))


def test_label_collisions():
    """Text labels that share their first and last 8 bytes (the state's
    label cache keys on them), a trailing space, one byte longer: the
    summary has sklearn's sorted labels and the exact pair counts."""
    import collections
    import json
    labs = ['AAAAAAAA' + m + 'ZZZZZZZZ' for m in ['', 'x', 'y', 'xy', 'yx', 'é', 'xx']] + \
        ['AAAAAAAAZZZZZZZZ ', 'a' * 8, 'a' * 9]
    yt = rng.choices(labs, k=5000)
    yp = rng.choices(labs, k=5000)
    c = json.loads(conn.execute(
        "SELECT driftmon.confusion_agg(a, b)::text FROM unnest(%s::text[], %s::text[]) u(a, b)",
        (yt, yp)).fetchone()[0])
    want_labels = [str(x) for x in np.unique(np.array(yt + yp))]
    cnt = collections.Counter(zip(yt, yp))
    want_cells = sorted([want_labels.index(a), want_labels.index(b), k] for (a, b), k in cnt.items())
    t.ok(c['labels'] == want_labels and c['cells'] == want_cells,
         "text labels with equal first / last 8 bytes: labels and pair counts exact",
         f"{c['labels']} vs {want_labels}")


def test_summary_round_trips():
    """Text and binary round trips of summaries with extreme labels: bigint
    -2^63 and 2^63 - 1, non-BMP and control characters, an empty string,
    quotes and backslashes; the binary image read back prints the same text
    and gives the same metrics."""
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class Raw:
        def __init__(self, data):
            self.data = data

    class RawDumper(Dumper):
        format = Format.BINARY

        def dump(self, obj):
            return obj.data
    RawDumper.oid = conn.execute("SELECT 'driftmon.confusion'::regtype::oid").fetchone()[0]
    conn.adapters.register_dumper(Raw, RawDumper)
    cases = [
        ('bigint', [-2 ** 63, 2 ** 63 - 1, 0, -1], [2 ** 63 - 1, -2 ** 63, 0, 0]),
        ('text', ['\U0001F600', '', '\x01\t"\\', 'é'], ['', '\U0001F600', 'é', '\x7f']),
        ('boolean', [True, False, True], [True, True, True]),
    ]
    for kind, yt, yp in cases:
        q = f"SELECT driftmon.confusion_agg(a, b) FROM unnest(%s::{kind}[], %s::{kind}[]) u(a, b)"
        txt = conn.execute(q.replace("confusion_agg(a, b)", "confusion_agg(a, b)::text"), (yt, yp)).fetchone()[0]
        raw = conn.cursor(binary=True).execute(q, (yt, yp)).fetchone()[0]
        back = conn.execute("SELECT %b::text, (driftmon.classification_metrics(%b)).*",
                            [Raw(bytes(raw)), Raw(bytes(raw))]).fetchone()
        again = conn.execute("SELECT %s::driftmon.confusion::text, "
                             "(driftmon.classification_metrics(%s::driftmon.confusion)).*",
                             (txt, txt)).fetchone()
        want = sk_clf({'bigint': 'bigint', 'text': 'text', 'boolean': 'bool'}[kind], yt, yp)
        metrics_ok = all(close(g, want[f], 1e-15) for f, g in zip(CLF_FIELDS, back[1:]))
        t.ok(back[0] == txt and again == back and metrics_ok,
             f"round trips of a {kind} summary with extreme labels",
             f"{back} / {again} vs {txt} {want}")


def test_rollup_overflow():
    """Summaries whose cells are each within bigint but whose total is not:
    rollup must refuse (22003), never return a value that its own input
    validation rejects (it used to: the value could be stored in a table
    and then neither printed nor dumped)."""
    big = 2 ** 63 - 2
    parts = [f'{{"version":1,"kind":"text","skipped":0,"labels":["a"],"cells":[[0,0,{big}]]}}',
             '{"version":1,"kind":"text","skipped":0,"labels":["b"],"cells":[[0,0,1]]}',
             '{"version":1,"kind":"text","skipped":0,"labels":["c"],"cells":[[0,0,1]]}']
    for what, sql in (
            ('stored', "CREATE TEMP TABLE adv_ov AS SELECT driftmon.rollup(c::driftmon.confusion) c "
                       "FROM unnest(%s::text[]) c"),
            ('printed', "SELECT driftmon.rollup(c::driftmon.confusion)::text FROM unnest(%s::text[]) c")):
        try:
            conn.execute(sql, (parts,))
            t.ok(False, f"rollup with a total count beyond bigint is refused ({what})", "accepted")
            conn.execute("DROP TABLE IF EXISTS adv_ov")
        except Exception as e:  # noqa: BLE001
            t.ok(getattr(e, 'sqlstate', None) == '22003',
                 f"rollup with a total count beyond bigint is refused ({what})", repr(e))
    # the largest valid total still rolls up
    parts[0] = parts[0].replace(str(big), str(big - 1))
    got = conn.execute("SELECT driftmon.rollup(c::driftmon.confusion)::text FROM unnest(%s::text[]) c",
                       (parts,)).fetchone()[0]
    want = ('{"version":1,"kind":"text","skipped":0,"labels":["a","b","c"],'
            f'"cells":[[0,0,{big - 1}],[1,1,1],[2,2,1]]}}')
    t.ok(got == want, "rollup to a total of exactly 2^63 - 1", f"{got} vs {want}")


def test_large_counts():
    """MCC and Cohen's kappa of summaries with large counts (n from 1e6 to
    1e15, as a year of rolled-up daily summaries reaches), against exact
    arithmetic (fractions; MCC's square root in 60-digit decimals).
    sklearn's float64 expression, n * correct - sum t_i p_i, cancels
    catastrophically once n^2 > 2^53 (n = 2.1e8: MCC 0.9128709274167618
    instead of 0.912870926977133), and 1 - observed / expected loses
    the digits of a kappa near 0; both are computed exactly in integers."""
    from decimal import Decimal, getcontext
    getcontext().prec = 60
    cases = [
        # one rare class in a huge one: the worst cancellation
        {(0, 0): 207645856, (0, 1): 1, (1, 1): 5},
        {(0, 0): 21053853743, (0, 1): 4, (1, 1): 3},
        {(0, 0): 2, (1, 0): 1528377585, (1, 1): 3},
        {(0, 0): 1874383094815, (0, 1): 5185832186328, (1, 0): 5, (1, 1): 4},
        {(0, 0): 729526, (0, 1): 557118, (1, 0): 1, (1, 1): 2},
    ]
    for _ in range(150):
        k = rng.randint(2, 6)
        scale = 10 ** rng.randint(6, 15)
        cells = {}
        for i in range(k):
            for j in range(k):
                if rng.random() < 0.6 or i == j:
                    cells[(i, j)] = rng.randint(1, scale) if rng.random() < 0.8 else rng.randint(1, 5)
        cases.append(cells)
    for cells in cases:
        k = 1 + max(max(i, j) for i, j in cells)
        labs = list(range(k))
        txt = '{"version":1,"kind":"bigint","skipped":0,"labels":[%s],"cells":[%s]}' % (
            ','.join(map(str, labs)),
            ','.join('[%d,%d,%d]' % (i, j, n) for (i, j), n in sorted(cells.items())))
        mcc, kappa = conn.execute(
            "SELECT matthews_corrcoef, cohen_kappa FROM "
            "driftmon.classification_metrics(%s::driftmon.confusion)", (txt,)).fetchone()
        n = sum(cells.values())
        ts = [sum(v for (i, j), v in cells.items() if i == a) for a in labs]
        ps = [sum(v for (i, j), v in cells.items() if j == a) for a in labs]
        c = sum(v for (i, j), v in cells.items() if i == j)
        ctp = c * n - sum(a * b for a, b in zip(ts, ps))
        ctt = n * n - sum(a * a for a in ts)
        cpp = n * n - sum(a * a for a in ps)
        emcc = float(Decimal(ctp) / (Decimal(ctt) * Decimal(cpp)).sqrt()) if ctt * cpp else 0.0
        off = n * n - sum(a * b for a, b in zip(ts, ps))
        ek = float(Fraction(off - (n - c) * n, off))
        t.ok(close(mcc, emcc) and close(kappa, ek),
             f"large counts n={n} k={k}: MCC and kappa exact",
             f"MCC got {mcc!r} want {emcc!r}; kappa got {kappa!r} want {ek!r}; {txt[:300]}")


t.run(test_rollup_overflow)
t.run(test_summary_round_trips)
t.run(test_label_collisions)
t.run(test_window_and_one_class)
t.run(test_large_counts)
t.run(test_exhaustive_classification)
t.run(test_parallel_groups)
t.run(test_ranking_specials)
t.run(test_probability_edges)
t.run(test_regression_edges)
t.run(test_regression_underflow)
t.run(test_rollup_splits)
t.done()
