"""Oracle tests of the model-quality functions against scikit-learn 1.2.1.

A thousand random cases, batched into temporary tables and evaluated with one
GROUP BY case_id query per function family:
  - 600 classification cases (text, bigint and boolean labels; 1 to 50
    classes; classes missing from y_pred or y_true; imbalanced; single class):
    the aggregate classification_metrics, the two-step confusion_agg +
    accessors, classification_report rows, rollup of two halves and the text
    round trip of the summary;
  - 250 score cases (heavy ties, continuous, imbalanced, single class, exact
    0 / 1 probabilities, unbounded scores): roc_auc, average_precision,
    log_loss, brier_score and binary_metrics at a random threshold;
  - 150 regression cases (zeros in y_true for MAPE, constant y_true, perfect
    predictions, offsets of 1e6, n = 1): regression_metrics.
One TAP line per case and function; the worst relative error per metric is
printed at the end (raw relative errors, before any absolute floor).
Tolerance: rtol 1e-12 everywhere, with an absolute floor for the metrics that
can be ~0 by cancellation: 1e-15 for MCC and kappa (sklearn's float sums of
outer products round differently from our exact integer sums: a kappa that is
exactly 0 comes out 2.2e-16 in sklearn), 1e-14 for r2 = 1 - SSE/SST (a few
ulps of 1 when r2 ~ 0).  Every use of a floor is printed as a '#' line.
Where sklearn returns NaN (kappa with one class in both columns, r2 of one
row) or raises (roc_auc / average_precision with one class), driftmon
returns NULL.
"""
import math
import os
import random
import sys
import warnings

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
from skref import sk_classification  # noqa: E402

from sklearn import metrics as skm  # noqa: E402

warnings.filterwarnings("ignore")
RTOL = 1e-12
ATOL_CANCEL = 1e-15
rng = random.Random(20261123)
nrng = np.random.default_rng(20261123)
conn = dmtest.connect()
t = dmtest.Tap('quality')

WORDS = ["a", "b", "B", "Z", "é", "fraud", "fraud ", "ok", "x y", "\"q\"",
         "back\\slash", "tab\there", "", "zz", "日本", "AAA", "aa", "a\u00e0",
         "\u20ac", "-1", "10", "9"]


def check(name, got, want, case, atol=0.0):
    """Compare one metric; record its relative error (before any absolute
    floor, so the printed worst errors are honest); True when within rtol,
    or within atol in absolute terms."""
    if want is not None and isinstance(want, float) and math.isnan(want):
        want = None
    err = dmtest.rel_err(got, want)
    t.note_err(name, err if math.isfinite(err) else math.inf, case)
    if err <= RTOL:
        return True
    if got is not None and want is not None and abs(got - want) <= atol:
        print(f"# {case}: {name} got {got!r} want {want!r}: within the absolute floor {atol}")
        return True
    return False


# --------------------------------------------------------------------------
# classification
# --------------------------------------------------------------------------

def make_labels(kind, k):
    if kind == 'text':
        pool = list(WORDS)
        while len(pool) < k:
            w = ''.join(rng.choice('abcXYZ_ 01é') for _ in range(rng.randint(1, 6)))
            if w not in pool:
                pool.append(w)
        return rng.sample(pool, k)
    if kind == 'bigint':
        vals = set()
        while len(vals) < k:
            vals.add(rng.choice([rng.randint(-5, 60), rng.randint(-2**62, 2**62)]))
        return list(vals)
    return [False, True][:k] if k <= 2 else [False, True]


def gen_clf_case(i):
    kind = ['text', 'bigint', 'bool'][i % 3]
    shape = rng.choice(['uniform', 'imbalanced', 'good', 'missing_pred',
                        'missing_true', 'single', 'single_both', 'tiny'])
    k = 2 if kind == 'bool' else rng.randint(2, 50)
    if shape in ('single', 'single_both'):
        k = 1 if shape == 'single_both' else 2
    labels = make_labels(kind, k)
    if kind == 'bool' and shape == 'single_both':
        labels = [rng.choice([False, True])]
    n = rng.choice([1, 2, 5, 30, 200, 1000]) if shape == 'tiny' else rng.randint(20, 1500)
    if shape == 'imbalanced':
        w = [10.0 ** rng.uniform(-3, 0) for _ in labels]
    else:
        w = [1.0] * len(labels)
    yt = rng.choices(labels, weights=w, k=n)
    if shape == 'good':
        yp = [y if rng.random() < 0.8 else rng.choice(labels) for y in yt]
    elif shape == 'missing_pred':
        sub = labels[:max(1, len(labels) // 2)]
        yp = [rng.choice(sub) for _ in yt]
    elif shape == 'missing_true':
        sub = labels[:max(1, len(labels) // 2)]
        yt = [rng.choice(sub) for _ in yt]
        yp = rng.choices(labels, k=n)
    elif shape == 'single_both':
        yt = [labels[0]] * n
        yp = [labels[0]] * n
    elif shape == 'single':
        yt = [labels[0]] * n
        yp = rng.choices(labels, k=n)
    else:
        yp = rng.choices(labels, weights=w, k=n)
    nulls = rng.choice([0, 0, 0, 3])
    return dict(id=i, kind=kind, yt=yt, yp=yp, nulls=nulls, shape=shape)


def sk_clf(c):
    r, labs, (pc, rcc, fc, sc) = sk_classification(c['kind'], c['yt'], c['yp'])
    r['n_skipped'] = c['nulls']
    r['report'] = [(lab, pc[j], rcc[j], fc[j], sc[j]) for j, lab in enumerate(labs)]
    return r


CLF_FIELDS = ['n', 'n_classes', 'accuracy', 'balanced_accuracy',
              'precision_macro', 'recall_macro', 'f1_macro',
              'precision_weighted', 'recall_weighted', 'f1_weighted',
              'precision_micro', 'recall_micro', 'f1_micro',
              'matthews_corrcoef', 'cohen_kappa', 'precision', 'recall', 'f1',
              'specificity', 'n_skipped']
CANCEL = {'matthews_corrcoef', 'cohen_kappa', 'r2'}
CAST = {'text': 'text', 'bigint': 'bigint', 'bool': 'boolean'}


def lab_sql(kind, v):
    if kind == 'bool':
        return 'true' if v else 'false'
    return str(v)


def test_classification():
    cases = [gen_clf_case(i) for i in range(600)]
    conn.execute("CREATE TEMP TABLE clf (case_id int, half int, yt text, yp text)")
    rows = []
    for c in cases:
        for j, (a, b) in enumerate(zip(c['yt'], c['yp'])):
            rows.append((c['id'], j % 2, lab_sql(c['kind'], a), lab_sql(c['kind'], b)))
        for j in range(c['nulls']):
            rows.append((c['id'], j % 2, None if j % 2 else lab_sql(c['kind'], c['yt'][0]),
                         lab_sql(c['kind'], c['yp'][0]) if j % 2 else None))
    dmtest.copy_rows(conn, 'clf', ['case_id', 'half', 'yt', 'yp'], rows)
    conn.execute("ANALYZE clf")
    got = {}
    two = {}
    roll = {}
    trip = {}
    rep = {}
    for kind in ('text', 'bigint', 'bool'):
        ids = [c['id'] for c in cases if c['kind'] == kind]
        ty = CAST[kind]
        q = (f"SELECT case_id, (driftmon.classification_metrics(yt::{ty}, yp::{ty})).* "
             f"FROM clf WHERE case_id = ANY(%s) GROUP BY case_id")
        for r in conn.execute(q, (ids,)).fetchall():
            got[r[0]] = dict(zip(CLF_FIELDS, r[1:]))
        q = (f"WITH s AS (SELECT case_id, driftmon.confusion_agg(yt::{ty}, yp::{ty}) c "
             f"FROM clf WHERE case_id = ANY(%s) GROUP BY case_id) "
             f"SELECT case_id, (driftmon.classification_metrics(c)).*, "
             f"driftmon.accuracy(c), driftmon.precision(c), driftmon.recall(c), driftmon.f1(c), "
             f"(c::text::driftmon.confusion)::text = c::text, c::text FROM s")
        for r in conn.execute(q, (ids,)).fetchall():
            two[r[0]] = (dict(zip(CLF_FIELDS, r[1:21])), r[21:25])
            trip[r[0]] = (r[25], r[26])
        q = (f"WITH h AS (SELECT case_id, half, driftmon.confusion_agg(yt::{ty}, yp::{ty}) c "
             f"FROM clf WHERE case_id = ANY(%s) GROUP BY case_id, half) "
             f"SELECT case_id, (driftmon.classification_metrics(driftmon.rollup(c))).* "
             f"FROM h GROUP BY case_id")
        for r in conn.execute(q, (ids,)).fetchall():
            roll[r[0]] = dict(zip(CLF_FIELDS, r[1:]))
        q = (f"WITH s AS (SELECT case_id, driftmon.confusion_agg(yt::{ty}, yp::{ty}) c "
             f"FROM clf WHERE case_id = ANY(%s) AND case_id %% 3 = 0 GROUP BY case_id) "
             f"SELECT case_id, r.*, driftmon.precision(c, r.label), driftmon.recall(c, r.label), "
             f"driftmon.f1(c, r.label) FROM s, driftmon.classification_report(c) r")
        for r in conn.execute(q, (ids,)).fetchall():
            rep.setdefault(r[0], []).append(r[1:])
    for c in cases:
        cid = c['id']
        want = sk_clf(c)
        name = f"classification case {cid} ({c['kind']}, {c['shape']}, n={want['n']}, k={want['n_classes']})"
        g = got.get(cid)
        bad = []
        if g is None:
            t.ok(False, name, "no result row")
            continue
        for f in CLF_FIELDS:
            if not check(f, g[f], want[f], name, ATOL_CANCEL if f in CANCEL else 0.0):
                bad.append(f"{f}: got {g[f]!r} want {want[f]!r}")
        t.ok(not bad, name, "\n".join(bad))
        # two-step form: identical numbers (same code path, reparsed summary)
        g2, acc = two[cid]
        same = all(g2[f] == g[f] or (g2[f] is None and g[f] is None) for f in CLF_FIELDS)
        same = same and acc[0] == g['accuracy'] and acc[1] == g['precision_macro'] \
            and acc[2] == g['recall_macro'] and acc[3] == g['f1_macro']
        t.ok(same, f"{name}: confusion_agg + accessors equal the aggregate",
             f"{g2} {acc} vs {g}")
        gr = roll[cid]
        t.ok(all(gr[f] == g[f] or (gr[f] is None and g[f] is None) for f in CLF_FIELDS),
             f"{name}: rollup of two halves equals the whole", f"{gr} vs {g}")
        t.ok(trip[cid][0] is True, f"{name}: text round trip", trip[cid][1][:200])
        if cid in rep:
            rows = rep[cid]
            wr = want['report']
            ok = len(rows) == len(wr) + 3
            for j, w in enumerate(wr):
                if not ok:
                    break
                lab = rows[j][0]
                wl = lab_sql(c['kind'], w[0].item() if hasattr(w[0], 'item') else w[0])
                ok = ok and lab == wl and rows[j][4] == w[4]
                for col, wv in ((1, w[1]), (2, w[2]), (3, w[3])):
                    ok = ok and check('report_' + ['', 'precision', 'recall', 'f1'][col],
                                      rows[j][col], float(wv), name)
                ok = ok and rows[j][5] == rows[j][1] and rows[j][6] == rows[j][2] \
                    and rows[j][7] == rows[j][3]
            if ok:
                tail = rows[len(wr):]
                ok = [x[0] for x in tail] == ['accuracy', 'macro avg', 'weighted avg'] \
                    and tail[0][3] == g['accuracy'] and tail[0][1] is None \
                    and tail[1][1:4] == (g['precision_macro'], g['recall_macro'], g['f1_macro']) \
                    and tail[2][1:4] == (g['precision_weighted'], g['recall_weighted'], g['f1_weighted']) \
                    and tail[2][4] == want['n']
            t.ok(ok, f"{name}: classification_report rows", "\n".join(map(str, rows[:60])))
    conn.execute("DROP TABLE clf")


# --------------------------------------------------------------------------
# scores
# --------------------------------------------------------------------------

def gen_score_case(i):
    shape = rng.choice(['ties', 'continuous', 'imbalanced', 'single_pos', 'single_neg',
                        'extremes', 'unbounded', 'integers', 'tiny'])
    n = rng.choice([1, 2, 3, 10]) if shape == 'tiny' else rng.randint(5, 3000)
    ppos = 0.02 if shape == 'imbalanced' else rng.uniform(0.2, 0.8)
    y = [rng.random() < ppos for _ in range(n)]
    if shape == 'single_pos':
        y = [True] * n
    if shape == 'single_neg':
        y = [False] * n
    s = []
    for lab in y:
        base = min(1.0, max(0.0, rng.gauss(0.6 if lab else 0.4, 0.25)))
        if shape == 'ties':
            base = round(base, 1)
        elif shape == 'integers':
            base = rng.randint(0, 3) / 3.0
        elif shape == 'extremes':
            base = rng.choice([0.0, 1.0, base, 1e-17, 1 - 1e-17, 5e-324])
        elif shape == 'unbounded':
            base = rng.gauss(1.0 if lab else 0.0, 3.0)
        s.append(base)
    th = rng.choice([0.5, 0.5, 0.3, rng.random()])
    return dict(id=i, y=y, s=s, shape=shape, th=th, nulls=rng.choice([0, 0, 2]))


def test_scores():
    cases = [gen_score_case(i) for i in range(250)]
    conn.execute("CREATE TEMP TABLE sc (case_id int, th float8, s float8, y boolean)")
    rows = []
    for c in cases:
        for a, b in zip(c['s'], c['y']):
            rows.append((c['id'], c['th'], repr(a), b))
        for j in range(c['nulls']):
            rows.append((c['id'], c['th'], None if j == 0 else '0.5', None if j else True))
    dmtest.copy_rows(conn, 'sc', ['case_id', 'th', 's', 'y'], rows)
    conn.execute("SET client_min_messages = warning")
    res = {}
    for r in conn.execute(
            "SELECT case_id, driftmon.roc_auc(s, y), driftmon.average_precision(s, y), "
            "CASE WHEN bool_and(s BETWEEN 0 AND 1) THEN driftmon.log_loss(CASE WHEN s < 0 THEN 0 WHEN s > 1 THEN 1 ELSE s END, y) END, "
            "CASE WHEN bool_and(s BETWEEN 0 AND 1) THEN driftmon.brier_score(CASE WHEN s < 0 THEN 0 WHEN s > 1 THEN 1 ELSE s END, y) END, "
            "(driftmon.binary_metrics(y, s, th)).* FROM sc GROUP BY case_id").fetchall():
        res[r[0]] = r[1:]
    conn.execute("RESET client_min_messages")
    bm_fields = ['n', 'n_positive', 'roc_auc', 'average_precision', 'log_loss', 'brier_score',
                 'accuracy', 'precision', 'recall', 'f1', 'specificity', 'n_skipped']
    for c in cases:
        cid = c['id']
        y = np.array(c['y'], dtype=int)
        s = np.array(c['s'], dtype=float)
        two = len(np.unique(y)) == 2
        prob = bool(np.all((s >= 0) & (s <= 1)))
        want = {}
        want['auc'] = skm.roc_auc_score(y, s) if two else None
        want['ap'] = skm.average_precision_score(y, s) if two else None
        want['ll'] = skm.log_loss(y, s, labels=[0, 1]) if prob else None
        want['brier'] = skm.brier_score_loss(y, s) if prob and two else (
            float(np.mean((y - s) ** 2)) if prob else None)
        pred = (s >= c['th']).astype(int)
        bm = dict(n=len(y), n_positive=int(y.sum()), roc_auc=want['auc'],
                  average_precision=want['ap'], log_loss=want['ll'], brier_score=want['brier'],
                  accuracy=skm.accuracy_score(y, pred),
                  precision=skm.precision_score(y, pred, zero_division=0, labels=[0, 1]),
                  recall=skm.recall_score(y, pred, zero_division=0, labels=[0, 1]),
                  f1=skm.f1_score(y, pred, zero_division=0, labels=[0, 1]),
                  specificity=skm.recall_score(y, pred, pos_label=0, zero_division=0, labels=[0, 1]),
                  n_skipped=c['nulls'])
        g = res[cid]
        name = f"score case {cid} ({c['shape']}, n={len(y)}, pos={int(y.sum())})"
        bad = []
        for f, gv, wv in (('roc_auc', g[0], want['auc']), ('average_precision', g[1], want['ap']),
                          ('log_loss', g[2], want['ll']), ('brier_score', g[3], want['brier'])):
            if not check(f, gv, wv, name):
                bad.append(f"{f}: got {gv!r} want {wv!r}")
        t.ok(not bad, name, "\n".join(bad))
        bad = []
        for j, f in enumerate(bm_fields):
            if not check('binary_metrics.' + f, g[4 + j], bm[f], name):
                bad.append(f"{f}: got {g[4 + j]!r} want {bm[f]!r}")
        t.ok(not bad, f"{name}: binary_metrics threshold {c['th']}", "\n".join(bad))
    conn.execute("DROP TABLE sc")


def test_parallel_scores():
    """roc_auc, average_precision and binary_metrics under a forced parallel
    plan with two workers that really run (EXPLAIN ANALYZE says so): each
    worker sorts its own scores and the leader merges the sorted runs, which
    must give sklearn's numbers on continuous, tied and signed scores."""
    n = 300_000
    shapes = {
        'continuous': nrng.normal(size=n),
        'ties': np.round(nrng.random(n) * 20) / 20,
        'signed zeros': np.where(nrng.random(n) < 0.5, 0.0, -0.0) + np.round(nrng.normal(size=n)),
    }
    y = nrng.random(n) < 0.3
    conn.execute("CREATE TABLE par_sc (s1 float8, s2 float8, s3 float8, y boolean)")
    dmtest.copy_rows(conn, 'par_sc', ['s1', 's2', 's3', 'y'],
              ((repr(a), repr(b), repr(c), bool(d)) for a, b, c, d in
               zip(shapes['continuous'], shapes['ties'], shapes['signed zeros'], y)))
    conn.execute("ANALYZE par_sc")
    for g in ("SET parallel_setup_cost = 0", "SET parallel_tuple_cost = 0",
              "SET min_parallel_table_scan_size = 0", "SET max_parallel_workers_per_gather = 2",
              "SET parallel_leader_participation = off"):
        conn.execute(g)
    try:
        plan = "\n".join(r[0] for r in conn.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) SELECT driftmon.roc_auc(s1, y) FROM par_sc"))
        t.ok("Partial Aggregate" in plan and "Workers Launched: 2" in plan,
             "parallel scores: two workers run a partial aggregate", plan)
        for col, (shape, s) in zip(('s1', 's2', 's3'), shapes.items()):
            auc, ap, bauc, bap = conn.execute(
                f"SELECT driftmon.roc_auc({col}, y), driftmon.average_precision({col}, y), "
                f"(driftmon.binary_metrics(y, {col})).roc_auc, "
                f"(driftmon.binary_metrics(y, {col})).average_precision FROM par_sc").fetchone()
            want_auc = skm.roc_auc_score(y, s)
            want_ap = skm.average_precision_score(y, s)
            name = f"parallel scores ({shape}, n={n})"
            t.ok(check('roc_auc', auc, want_auc, name) and check('roc_auc', bauc, want_auc, name),
                 f"{name}: roc_auc", f"got {auc!r} / {bauc!r} want {want_auc!r}")
            t.ok(check('average_precision', ap, want_ap, name)
                 and check('average_precision', bap, want_ap, name),
                 f"{name}: average_precision", f"got {ap!r} / {bap!r} want {want_ap!r}")
    finally:
        for g in ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size",
                  "max_parallel_workers_per_gather", "parallel_leader_participation"):
            conn.execute(f"RESET {g}")
        conn.execute("DROP TABLE par_sc")


# --------------------------------------------------------------------------
# regression
# --------------------------------------------------------------------------

def gen_reg_case(i):
    shape = rng.choice(['normal', 'good', 'zeros', 'constant', 'perfect', 'offset',
                        'one', 'heavy', 'constant_perfect'])
    n = 1 if shape == 'one' else rng.randint(2, 2000)
    if shape == 'offset':
        yt = nrng.normal(1e6, 1.0, n)
        yp = yt + nrng.normal(0, 0.3, n)
    elif shape in ('constant', 'constant_perfect'):
        yt = np.full(n, float(rng.randint(-5, 5)))
        yp = yt.copy() if shape == 'constant_perfect' else yt + nrng.normal(0, 1, n)
    elif shape == 'zeros':
        yt = np.where(nrng.random(n) < 0.3, 0.0, nrng.normal(0, 2, n))
        yp = yt + nrng.normal(0, 0.5, n)
    elif shape == 'heavy':
        yt = nrng.standard_cauchy(n)
        yp = yt + nrng.standard_t(2, n)
    else:
        yt = nrng.normal(rng.uniform(-10, 10), rng.uniform(0.1, 100), n)
        yp = yt.copy() if shape == 'perfect' else (
            yt + nrng.normal(0, 0.2 * np.std(yt) + 1e-3, n) if shape == 'good'
            else nrng.normal(0, 1, n))
    return dict(id=i, yt=yt, yp=yp, shape=shape, nulls=rng.choice([0, 0, 1]))


def test_regression():
    cases = [gen_reg_case(i) for i in range(150)]
    conn.execute("CREATE TEMP TABLE rg (case_id int, yt float8, yp float8)")
    rows = []
    for c in cases:
        for a, b in zip(c['yt'], c['yp']):
            rows.append((c['id'], repr(float(a)), repr(float(b))))
        for j in range(c['nulls']):
            rows.append((c['id'], None, '1'))
    dmtest.copy_rows(conn, 'rg', ['case_id', 'yt', 'yp'], rows)
    res = {r[0]: r[1:] for r in conn.execute(
        "SELECT case_id, (driftmon.regression_metrics(yt, yp)).* FROM rg GROUP BY case_id").fetchall()}
    fields = ['n', 'mae', 'mse', 'rmse', 'mape', 'r2', 'mean_error', 'max_error', 'n_skipped']
    for c in cases:
        yt, yp = c['yt'], c['yp']
        n = len(yt)
        want = dict(n=n, mae=skm.mean_absolute_error(yt, yp), mse=skm.mean_squared_error(yt, yp),
                    rmse=skm.mean_squared_error(yt, yp, squared=False),
                    mape=skm.mean_absolute_percentage_error(yt, yp),
                    r2=skm.r2_score(yt, yp) if n >= 2 else None,
                    mean_error=float(np.mean(yp - yt)), max_error=skm.max_error(yt, yp),
                    n_skipped=c['nulls'])
        g = dict(zip(fields, res[c['id']]))
        name = f"regression case {c['id']} ({c['shape']}, n={n})"
        bad = []
        for f in fields:
            atol = 1e-14 if f == 'r2' else 0.0
            if f == 'mean_error':
                # a mean of signed errors cancels: scale the floor by mean |e|
                atol = 1e-13 * want['mae']
            if not check(f, g[f], want[f], name, atol):
                bad.append(f"{f}: got {g[f]!r} want {want[f]!r}")
        t.ok(not bad, name, "\n".join(bad))
    conn.execute("DROP TABLE rg")


def test_binary_io():
    """confusion_send / confusion_recv: the byte image round-trips and every
    corruption is rejected with invalid_binary_representation."""
    import struct
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class Raw:
        def __init__(self, data):
            self.data = data

    oid = conn.execute("SELECT 'driftmon.confusion'::regtype::oid").fetchone()[0]

    class RawDumper(Dumper):
        format = Format.BINARY

        def dump(self, obj):
            return obj.data
    RawDumper.oid = oid
    conn.adapters.register_dumper(Raw, RawDumper)
    for kind, rows in (('text', "('b','a'),('a','a'),(NULL,'x'),('é','b')"),
                       ('bigint', "(10,-3),(-3,-3),(2,10)"),
                       ('boolean', "(true,false),(false,false)")):
        q = f"SELECT driftmon.confusion_agg(y::{kind}, p::{kind}) FROM (VALUES {rows}) v(y, p)"
        txt = conn.execute(q + "").fetchone()[0]
        raw = conn.cursor(binary=True).execute(q).fetchone()[0]
        back = conn.execute("SELECT %b::text", [Raw(bytes(raw))]).fetchone()[0]
        t.ok(back == txt, f"binary round trip ({kind})", f"{back} vs {txt}")
        # header: version, kind, 0, 0, skipped i64, nlabels u32, ncells u32
        corrupt = {
            'truncated': bytes(raw)[:-1],
            'trailing byte': bytes(raw) + b'\0',
            'wrong version': b'\x02' + bytes(raw)[1:],
            'bad kind': bytes(raw)[:1] + b'\x07' + bytes(raw)[2:],
            'negative skipped': bytes(raw)[:4] + struct.pack('<q', -1) + bytes(raw)[12:],
            'zero cell count': bytes(raw)[:-8] + struct.pack('<q', 0),
            'cell index out of range': bytes(raw)[:-16] + struct.pack('<IIq', 99, 0, 1),
            'empty': b'',
        }
        for what, data in corrupt.items():
            try:
                conn.execute("SELECT %b::text", [Raw(data)]).fetchone()
                t.ok(False, f"binary input rejects {what} ({kind})", "accepted")
            except Exception as e:  # noqa: BLE001
                t.ok(getattr(e, 'sqlstate', None) == '22P03',
                     f"binary input rejects {what} ({kind})", repr(e))


t.run(test_binary_io)
t.run(test_classification)
t.run(test_scores)
t.run(test_parallel_scores)
t.run(test_regression)
t.done()
