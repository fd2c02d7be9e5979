"""Adversarial oracle cases for the C glue and SQL surface (review of
issue 9): aggregates used in ways the ordinary oracle files do not use them.

Every expected value comes from scipy 1.10 / scikit-learn 1.2 / numpy or
from exact arithmetic (fractions.Fraction), never from driftmon.

Sections:
  window      every drift and quality aggregate as a window function, with
              a growing frame (ORDER BY), sliding ROWS frames (the state is
              rebuilt for every row, no inverse transition) and a frame
              ending at UNBOUNDED FOLLOWING; several aggregates with the
              same arguments in one window clause share one transition
              state, whose final functions sort it in place (they are
              declared READ_ONLY): each frame against scipy / sklearn on
              that frame's rows
  plans       GROUP BY with many groups under hash aggregation that spills
              to disk (work_mem 64kB), partitionwise aggregation over a
              hash-partitioned table (partial states combined across
              partitions), forced parallel plans and ROLLUP / CUBE grouping
              sets: per group against scipy / sklearn
  moments     numeric_profile mean and stddev near the float8 limit through
              rollup() (Chan's merge): the exact rational mean and standard
              deviation (exact profiles recompute an overflowed M2 from
              their values), error 22003 where the standard deviation, or
              a sketch's M2, exceeds float8 (stddev returned +Infinity, and
              the merged mean of 1e308 and -1e308 was 1e308)
  params      profile_agg's k / cap must be the same on every row (a later
              different value was silently ignored in a serial plan)
  forms       FILTER, DISTINCT and ORDER BY inside the aggregate call, and
              the array forms with a lower bound other than 1, two
              dimensions (flattened) and NULL elements, against scipy on
              the rows / elements they select
  binary      COPY ... (FORMAT binary) round trips of every user-visible
              type (numeric_profile, categorical_profile, category_counts,
              confusion of text, bigint and boolean labels), then 150
              mutated images per value (bytes flipped, truncated, extended,
              inserted): each is refused with a class-22 / 0A000 error or
              accepted as a value whose text form reads back identically
  limits      a categorical_profile whose categories exceed the 1 GB datum
              limit (11 categories of 100 MB) is error 54000, not palloc's
              internal error XX000
  ereports    every ereport() in src/*.c has an errcode, a lowercase errmsg,
              an errdetail and an errhint (BRIEF.md's rule), read from the
              source: one test per call site
"""
import math
import os
import random
import sys
import time
import warnings
from fractions import Fraction

import mpmath
import numpy as np
import psycopg
from scipy import stats
from scipy.stats import chi2_contingency
from sklearn.metrics import (accuracy_score, average_precision_score,
                             roc_auc_score)

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
from driftref import hist, psi_ref, js_ref  # noqa: E402

mpmath.mp.dps = 40
warnings.simplefilter('ignore')
T0 = time.time()
t = dmtest.Tap('hardening_adv')
conn = dmtest.connect()
conn.execute("SET extra_float_digits = 3")

# ---------------------------------------------------------------- references


def ks_ref(ref, cur):
    """scipy's two-sided KS, method auto (exact for these sizes)."""
    r = stats.ks_2samp(ref, cur, alternative='two-sided', method='auto')
    return float(r.statistic), float(r.pvalue)


def chi2_ref(ref, cur):
    """categorical chi2 statistic and p-value: chi2_contingency over the
    categories seen in either window (Yates for dof 1); one category: 0, 1."""
    cats = sorted(set(ref) | set(cur))
    if len(cats) == 1:
        return 0.0, 1.0
    r = [ref.count(c) for c in cats]
    c = [cur.count(c) for c in cats]
    res = chi2_contingency(np.array([r, c]))
    return float(res[0]), float(res[1])


def split(rows, vi, ci):
    """(reference, current) values of rows, NULL value or flag skipped,
    NaN / infinite values left out (driftmon counts them apart)."""
    ref, cur = [], []
    for r in rows:
        v, c = r[vi], r[ci]
        if v is None or c is None:
            continue
        if isinstance(v, float) and not math.isfinite(v):
            continue
        (cur if c else ref).append(v)
    return ref, cur


# ---------------------------------------------------------------- window

rng = random.Random(20261124)
N = 36
ROWS = []
for i in range(1, N + 1):
    v = round(rng.uniform(0, 10), 1) + (1.5 if i % 3 == 0 else 0.0)
    if i % 17 == 0:
        v = None
    elif i % 19 == 0:
        v = float('nan')
    c = None if i % 23 == 0 else (i % 3 == 0 or i % 7 == 0)
    cat = None if i % 13 == 0 else 'c%d' % rng.randrange(4 + (i % 3 == 0))
    pred = 'c%d' % rng.randrange(4)
    s = round(rng.random(), 2)
    y = rng.random() < 0.5
    ROWS.append((i, v, c, cat, pred, s, y))
conn.execute("DROP TABLE IF EXISTS hw")
conn.execute("CREATE TABLE hw (id int, v float8, c boolean, cat text, pred text, s float8, y boolean)")
dmtest.copy_rows(conn, 'hw', ['id', 'v', 'c', 'cat', 'pred', 's', 'y'], ROWS)

# frame name -> (SQL frame, python slice bounds of row i (0-based))
FRAMES = {
    'growing': ('ORDER BY id', lambda i: (0, i + 1)),
    'rows 2 preceding': ('ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW',
                         lambda i: (max(0, i - 2), i + 1)),
    'rows 6 preceding..1 following': ('ORDER BY id ROWS BETWEEN 6 PRECEDING AND 1 FOLLOWING',
                                      lambda i: (max(0, i - 6), min(N, i + 2))),
    'to unbounded following': ('ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING',
                               lambda i: (i, N)),
}

# Columns of one window query; the numeric and categorical ones share their
# transition state (same transition function and arguments).
WCOLS = [
    ('ks', "(driftmon.ks_test(v, c) OVER w)"),
    ('psi', "driftmon.psi_agg(v, c) OVER w"),
    ('wass', "driftmon.wasserstein_agg(v, c) OVER w"),
    ('js', "driftmon.js_divergence(v, c) OVER w"),
    ('nd', "(driftmon.numeric_drift(v, c) OVER w)"),
    ('chi2', "(driftmon.chi2_test(cat, c) OVER w)"),
    ('cd', "(driftmon.categorical_drift(cat, c) OVER w)"),
    ('auc', "driftmon.roc_auc(s, y) OVER w"),
    ('ap', "driftmon.average_precision(s, y) OVER w"),
    ('cm', "(driftmon.classification_metrics(cat, pred) OVER w)"),
]


def frame_refs(rows):
    """Every reference value of one frame."""
    out = {}
    ref, cur = split(rows, 1, 2)
    if ref and cur:
        out['ks'] = ks_ref(ref, cur)
        out['wass'] = float(stats.wasserstein_distance(ref, cur))
        p, q = hist(ref, cur, 'quantile', 10)
        out['psi'] = psi_ref(p, q)
        out['js'] = js_ref(p, q)
        out['mean'] = (float(sum(Fraction(x) for x in ref) / len(ref)),
                       float(sum(Fraction(x) for x in cur) / len(cur)))
    cref, ccur = split(rows, 3, 2)
    if cref and ccur:
        out['chi2'] = chi2_ref(cref, ccur)
    ss = [(r[5], r[6]) for r in rows]
    labels = [b for _, b in ss]
    if any(labels) and not all(labels):
        out['auc'] = float(roc_auc_score(labels, [a for a, _ in ss]))
        out['ap'] = float(average_precision_score(labels, [a for a, _ in ss]))
    cm = [(r[3], r[4]) for r in rows if r[3] is not None]
    if cm:
        out['acc'] = float(accuracy_score([a for a, _ in cm], [b for _, b in cm]))
    return out


def check_window(fname, frame, order):
    """One window query with the columns in the given order, every row
    against the references of its frame."""
    sqlf, bounds = FRAMES[frame]
    cols = [WCOLS[k] for k in order]
    sel = ', '.join(f"{expr} AS {name}" for name, expr in cols)
    q = (f"SELECT id, {sel} FROM hw WINDOW w AS ({sqlf}) ORDER BY id")
    # composite results come back as tuples: ask for the fields we check
    q = (f"SELECT id, (ks).statistic, (ks).p_value, psi, wass, js, (nd).mean_reference, "
         f"(nd).mean_current, (nd).ks_statistic, (chi2).statistic, (chi2).p_value, "
         f"(cd).chi2_statistic, auc, ap, (cm).accuracy FROM ({q}) s ORDER BY id")
    got = conn.execute(q).fetchall()
    bad = []
    for i, row in enumerate(got):
        lo, hi = bounds(i)
        want = frame_refs(ROWS[lo:hi])
        (_, ks_d, ks_p, psi, wass, js, m_r, m_c, nd_ks, chi, chip, cd_chi,
         auc, ap, acc) = row
        pairs = []
        if 'ks' in want:
            pairs += [('ks_d', ks_d, want['ks'][0]), ('ks_p', ks_p, want['ks'][1]),
                      ('nd_ks', nd_ks, want['ks'][0]),
                      ('wass', wass, want['wass']), ('psi', psi, want['psi']),
                      ('js', js, want['js']), ('mean_ref', m_r, want['mean'][0]),
                      ('mean_cur', m_c, want['mean'][1])]
        else:
            pairs += [('ks_d', ks_d, None), ('wass', wass, None), ('psi', psi, None)]
        if 'chi2' in want:
            pairs += [('chi2', chi, want['chi2'][0]), ('chi2_p', chip, want['chi2'][1]),
                      ('cd_chi2', cd_chi, want['chi2'][0])]
        else:
            pairs += [('chi2', chi, None)]
        pairs += [('auc', auc, want.get('auc')), ('ap', ap, want.get('ap')),
                  ('acc', acc, want.get('acc'))]
        for name, g, w in pairs:
            err = dmtest.rel_err(g, w)
            if err > 1e-9 and not (g is not None and w is not None and abs(g - w) <= 1e-12):
                bad.append(f"id {i + 1} {name}: got {g!r} want {w!r}")
            elif math.isfinite(err):
                t.note_err('window', err, f"{frame} {name}")
    t.ok(not bad, f"window {frame}, columns {fname}: {len(got)} frames equal scipy/sklearn",
         '\n'.join(bad[:8]))


def window_section():
    base = list(range(len(WCOLS)))
    orders = {'in order': base, 'reversed': base[::-1],
              'shuffled': random.Random(7).sample(base, len(base))}
    for frame in FRAMES:
        for oname, order in orders.items():
            check_window(oname, frame, order)
    # each aggregate alone in its window (no shared state) on one frame kind
    for frame in ('growing', 'rows 2 preceding'):
        sqlf, bounds = FRAMES[frame]
        got = conn.execute(
            f"SELECT (driftmon.ks_test(v, c) OVER w).p_value, "
            f"driftmon.roc_auc(s, y) OVER w FROM hw WINDOW w AS ({sqlf}) ORDER BY id").fetchall()
        bad = []
        for i, (p, auc) in enumerate(got):
            lo, hi = bounds(i)
            want = frame_refs(ROWS[lo:hi])
            if dmtest.rel_err(p, want['ks'][1] if 'ks' in want else None) > 1e-9:
                bad.append(f"id {i + 1} ks_p {p!r} want {want.get('ks')}")
            if dmtest.rel_err(auc, want.get('auc')) > 1e-12:
                bad.append(f"id {i + 1} auc {auc!r} want {want.get('auc')!r}")
        t.ok(not bad, f"window {frame}: ks_test and roc_auc in separate windows", '\n'.join(bad[:8]))


# ---------------------------------------------------------------- plans

def plans_section():
    rng2 = np.random.default_rng(9)
    G = 240
    rows = []
    for g in range(G):
        n = 12 + g % 9
        for j in range(n):
            cur = bool((j + g) % 3 == 0)
            v = float(np.round(rng2.normal(0.4 * cur, 1.0), 2))
            cat = 'k%d' % rng2.integers(0, 3 + cur)
            s = float(np.round(rng2.random(), 3))
            y = bool(rng2.random() < 0.3 + 0.4 * s)
            rows.append((g, v, cur, cat, s, y))
    conn.execute("DROP TABLE IF EXISTS hp")
    conn.execute("CREATE TABLE hp (g int, v float8, c boolean, cat text, s float8, y boolean) "
                 "PARTITION BY HASH (g)")
    for r in range(3):
        conn.execute(f"CREATE TABLE hp{r} PARTITION OF hp FOR VALUES WITH (MODULUS 3, REMAINDER {r})")
    dmtest.copy_rows(conn, 'hp', ['g', 'v', 'c', 'cat', 's', 'y'], rows)
    conn.execute("ANALYZE hp")
    K = 80          # group key g % K: every group spans the three partitions
    by = {}
    for r in rows:
        by.setdefault(r[0] % K, []).append(r)
    want = {}
    for g, rs in by.items():
        ref = [r[1] for r in rs if not r[2]]
        cur = [r[1] for r in rs if r[2]]
        labels = [r[5] for r in rs]
        want[g] = (ks_ref(ref, cur), float(stats.wasserstein_distance(ref, cur)),
                   chi2_ref([r[3] for r in rs if not r[2]], [r[3] for r in rs if r[2]]),
                   float(roc_auc_score(labels, [r[4] for r in rs])) if 0 < sum(labels) < len(labels) else None)
    q = ("SELECT g, (driftmon.ks_test(v, c)).statistic, (driftmon.ks_test(v, c)).p_value, "
         "driftmon.wasserstein_agg(v, c), (driftmon.chi2_test(cat, c)).statistic, "
         "(driftmon.chi2_test(cat, c)).p_value, driftmon.roc_auc(s, y) FROM hp GROUP BY 1")
    q = q.replace("SELECT g,", f"SELECT g % {K},")
    settings = {
        'hash aggregation spilling to disk': [
            "SET enable_sort = off", "SET enable_hashagg = on", "SET work_mem = '64kB'",
            "SET enable_partitionwise_aggregate = off", "SET max_parallel_workers_per_gather = 0"],
        'partitionwise aggregation': [
            "SET enable_sort = on", "SET work_mem = '4MB'", "SET enable_partitionwise_aggregate = on",
            "SET max_parallel_workers_per_gather = 0"],
        'parallel': [
            "SET enable_partitionwise_aggregate = off", "SET parallel_setup_cost = 0",
            "SET parallel_tuple_cost = 0", "SET min_parallel_table_scan_size = 0",
            "SET max_parallel_workers_per_gather = 2"],
        'parallel partitionwise': ["SET enable_partitionwise_aggregate = on"],
    }
    for name, sets in settings.items():
        for s in sets:
            conn.execute(s)
        plan = '\n'.join(r[0] for r in conn.execute(
            "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + q).fetchall())
        marker = {'hash aggregation spilling to disk': 'Disk Usage',
                  'partitionwise aggregation': 'Partial HashAggregate',
                  'parallel': 'Partial',
                  'parallel partitionwise': 'Parallel Append'}[name]
        t.ok(marker in plan, f"plans {name}: the plan has {marker}", plan)
        got = conn.execute(q).fetchall()
        bad = []
        for g, d, p, w, chi, chip, auc in got:
            (wd, wp), ww, (wc, wcp), wauc = want[g]
            for nm, a, b, tol in (('ks_d', d, wd, 1e-12), ('ks_p', p, wp, 1e-9), ('wass', w, ww, 1e-12),
                                  ('chi2', chi, wc, 1e-9), ('chi2_p', chip, wcp, 1e-8),
                                  ('auc', auc, wauc, 1e-12)):
                e = dmtest.rel_err(a, b)
                if e > tol and not (a is not None and b is not None and abs(a - b) < 1e-14):
                    bad.append(f"group {g} {nm}: got {a!r} want {b!r}")
                elif math.isfinite(e):
                    t.note_err('plans', e, f"{name} {nm}")
        t.ok(len(got) == K and not bad, f"plans {name}: {K} groups equal scipy/sklearn",
             f"{len(got)} groups\n" + '\n'.join(bad[:8]))
    conn.execute("RESET ALL")
    conn.execute("SET extra_float_digits = 3")
    # grouping sets: ROLLUP and CUBE (one state per grouping set) under hash
    # aggregation with a tiny work_mem and under sorting
    for name, sets in (('sorted', ["SET enable_hashagg = off"]),
                       ('hashed, 64kB', ["SET enable_hashagg = on", "SET enable_sort = off",
                                         "SET work_mem = '64kB'"])):
        for s in sets:
            conn.execute(s)
        got = conn.execute(
            "SELECT g % 4, g % 5, grouping(g % 4, g % 5), (driftmon.ks_test(v, c)).p_value, "
            "driftmon.roc_auc(s, y) FROM hp GROUP BY CUBE (g % 4, g % 5)").fetchall()
        bad = []
        for a, b, gr, p, auc in got:
            rs = [r for r in rows if (gr & 2 or r[0] % 4 == a) and (gr & 1 or r[0] % 5 == b)]
            ref = [r[1] for r in rs if not r[2]]
            cur = [r[1] for r in rs if r[2]]
            wp = ks_ref(ref, cur)[1]
            wauc = float(roc_auc_score([r[5] for r in rs], [r[4] for r in rs]))
            if dmtest.rel_err(p, wp) > 1e-8:
                bad.append(f"({a}, {b}) ks p {p!r} want {wp!r}")
            if dmtest.rel_err(auc, wauc) > 1e-12:
                bad.append(f"({a}, {b}) auc {auc!r} want {wauc!r}")
        t.ok(len(got) == 4 * 5 + 4 + 5 + 1 and not bad,
             f"plans CUBE ({name}): {len(got)} grouping-set rows equal scipy/sklearn", '\n'.join(bad[:8]))
        conn.execute("RESET ALL")
        conn.execute("SET extra_float_digits = 3")


# ---------------------------------------------------------------- moments

def exact_moments(xs, sketch=False):
    """Exact mean and sample standard deviation of a list of floats;
    'overflow' where driftmon must raise 22003: a standard deviation beyond
    DBL_MAX, or (sketch) a sum of squared deviations M2 beyond DBL_MAX,
    which a sketch cannot recompute from its values."""
    fx = [Fraction(x) for x in xs]
    m = sum(fx) / len(fx)
    m2 = sum((x - m) ** 2 for x in fx)
    sd = None
    if len(fx) >= 2:
        var = m2 / (len(fx) - 1)
        sd = float(mpmath.sqrt(mpmath.mpf(var.numerator) / var.denominator))
        if math.isinf(sd) or (sketch and m2 > Fraction(sys.float_info.max)):
            sd = 'overflow'
    return float(m), sd


def check_profile_moments(name, xs, groups, k=1024):
    """profile_agg per group, rollup() of the groups: mean and stddev vs the
    exact values of all xs (exact profiles while len(xs) <= k)."""
    conn.execute("DROP TABLE IF EXISTS hm")
    conn.execute("CREATE TABLE hm (g int, o int, x float8)")
    dmtest.copy_rows(conn, 'hm', ['g', 'o', 'x'], [(g, i, x) for i, (g, x) in enumerate(zip(groups, xs))])
    m, sd = exact_moments(xs, sketch=len(xs) > k)
    sub = ("(SELECT driftmon.rollup(p ORDER BY g) AS p FROM "
           f"(SELECT g, driftmon.profile_agg(x, {k} ORDER BY o) p FROM hm GROUP BY g) s) r")
    got_m = conn.execute(f"SELECT driftmon.mean(p) FROM {sub}").fetchone()[0]
    t.close(got_m, m, 1e-13, f"moments {name}: rollup mean = exact {m!r}", metric='profile_mean')
    try:
        got_sd = conn.execute(f"SELECT driftmon.stddev(p) FROM {sub}").fetchone()[0]
        err = None
    except psycopg.Error as e:
        got_sd, err = None, e.sqlstate
    if sd == 'overflow':
        t.ok(err == '22003', f"moments {name}: stddev (or a sketch's M2) beyond float8 is error 22003",
             f"got {got_sd!r} / {err}")
    else:
        t.ok(err is None and dmtest.rel_err(got_sd, sd) <= 1e-12,
             f"moments {name}: rollup stddev = exact {sd!r}", f"got {got_sd!r} / {err}")
        if err is None:
            t.note_err('profile_stddev', dmtest.rel_err(got_sd, sd), name)


def moments_section():
    D = sys.float_info.max
    cases = [
        ('1e308 then -1e308', [1e308, -1e308], [0, 1]),
        ('-1.7e308 then 1.7e308', [-1.7e308, 1.7e308], [0, 1]),
        ('1.7e308, -1.7e308, 1.7e308', [1.7e308, -1.7e308, 1.7e308], [0, 1, 2]),
        ('DBL_MAX and -DBL_MAX in groups of 3', [D, D, D, -D, -D, -D], [0, 0, 0, 1, 1, 1]),
        ('1e155 and -1e155', [1e155, -1e155], [0, 1]),
        ('1e150 scale', [1e150, -1e150, 3e150], [0, 1, 2]),
        ('1e153 scale, one group', [1e153, -1e153, 3e153, 2e153], [0, 0, 0, 0]),
    ]
    rng3 = random.Random(11)
    for k in range(6):
        n = 4 + k
        xs = [rng3.choice([-1, 1]) * rng3.uniform(0.5, 1.0) * 10 ** rng3.choice([300, 307, 308]) for _ in range(n)]
        xs = [max(-D, min(D, x)) for x in xs]
        cases.append((f'random huge #{k}', xs, [i % 3 for i in range(n)]))
    for k in range(4):
        n = 5 + k
        xs = [rng3.uniform(-1, 1) * 10 ** rng3.choice([100, 150, 152]) for _ in range(n)]
        cases.append((f'random 1e100..1e152 #{k}', xs, [i % 2 for i in range(n)]))
    for name, xs, groups in cases:
        check_profile_moments(name, xs, groups)
    # sketches (k = 16): M2 finite (values up to 1e152) and beyond (1e200)
    for k in range(3):
        xs = [rng3.uniform(-1, 1) * 10 ** rng3.choice([100, 150, 152]) for _ in range(200 + 50 * k)]
        check_profile_moments(f'sketch k=16, values up to 1e152 #{k}', xs, [i % 4 for i in range(len(xs))], k=16)
        xs = [rng3.uniform(-1, 1) * 10 ** rng3.choice([199, 200]) for _ in range(200 + 50 * k)]
        check_profile_moments(f'sketch k=16, values near 1e200 #{k}', xs, [i % 4 for i in range(len(xs))], k=16)


# ---------------------------------------------------------------- params

def sqlstate(q):
    try:
        conn.execute(q).fetchall()
        return 'ok'
    except psycopg.Error as e:
        return e.sqlstate


def params_section():
    for name, q, want in (
        ('profile_agg(float8, k) with k changing', "SELECT driftmon.profile_agg(x::float8, 16 + x) FROM generate_series(1, 3) x", '22023'),
        ('profile_agg(float8, k) with k NULL on a later row', "SELECT driftmon.profile_agg(x::float8, CASE WHEN x = 1 THEN 20 END) FROM generate_series(1, 3) x", '22004'),
        ('profile_agg(text, cap) with cap changing', "SELECT driftmon.profile_agg(x::text, x) FROM generate_series(1, 3) x", '22023'),
        ('profile_agg(float8, k) with constant k', "SELECT driftmon.profile_agg(x::float8, 20) FROM generate_series(1, 3) x", 'ok'),
        ('profile_agg(text, cap) with k per group', "SELECT g, driftmon.profile_agg(x::text, g) FROM generate_series(1, 30) x, (VALUES (1), (5)) v(g) GROUP BY g", 'ok'),
    ):
        got = sqlstate(q)
        t.ok(got == want, f"params {name}: {want}", f"got {got}")
    # the k of each group is its own: n and sketch_k per group
    got = conn.execute("SELECT g, driftmon.sketch_k(driftmon.profile_agg(x::float8, g)), "
                       "driftmon.n(driftmon.profile_agg(x::float8, g)) FROM generate_series(1, 100) x, "
                       "(VALUES (16), (40)) v(g) GROUP BY g ORDER BY g").fetchall()
    t.ok(got == [(16, 16, 100), (40, 40, 100)], "params: k per group", got)


# ---------------------------------------------------------------- ereports

def ereports_section():
    import glob
    import re
    src = os.path.join(os.path.dirname(__file__), '..', '..', 'src')
    sites = 0
    for path in sorted(glob.glob(os.path.join(src, '*.c'))):
        text = open(path).read()
        for m in re.finditer(r'\bereport\s*\(', text):
            i, depth = m.end(), 1
            while depth:                    # the matching parenthesis,
                ch = text[i]                # skipping string literals
                if ch == '"':
                    i += 1
                    while text[i] != '"':
                        i += 2 if text[i] == '\\' else 1
                elif ch == '(':
                    depth += 1
                elif ch == ')':
                    depth -= 1
                i += 1
            body = text[m.start():i]
            line = text.count('\n', 0, m.start()) + 1
            msg = re.search(r'errmsg\s*\(\s*"(.)', body)
            missing = [w for w in ('errcode(', 'errdetail', 'errhint') if w not in body]
            if not msg:
                missing.append('errmsg')
            elif msg.group(1).isupper():
                missing.append('lowercase errmsg')
            sites += 1
            t.ok(not missing, f"ereports {os.path.basename(path)}:{line} has errcode, "
                 f"lowercase errmsg, errdetail and errhint", f"missing: {missing}")
    t.ok(sites >= 70, f"ereports: {sites} call sites checked")


# ---------------------------------------------------------------- forms

def forms_section():
    rng4 = np.random.default_rng(4)
    rows = [(i, float(np.round(rng4.normal(0.3 * (i % 2), 1), 1)), i % 2 == 1, 'k%d' % (i % 4 if i % 2 else i % 3))
            for i in range(200)]
    conn.execute("DROP TABLE IF EXISTS hf")
    conn.execute("CREATE TABLE hf (id int, v float8, c boolean, cat text)")
    dmtest.copy_rows(conn, 'hf', ['id', 'v', 'c', 'cat'], rows)
    sel = [r for r in rows if r[0] % 3 != 0]
    d, p = ks_ref([r[1] for r in sel if not r[2]], [r[1] for r in sel if r[2]])
    got = conn.execute("SELECT (k).statistic, (k).p_value FROM (SELECT driftmon.ks_test(v, c) "
                       "FILTER (WHERE id % 3 <> 0) k FROM hf) s").fetchone()
    t.close(got[0], d, 1e-12, "forms ks_test FILTER: statistic")
    t.close(got[1], p, 1e-9, "forms ks_test FILTER: p-value")
    # DISTINCT (value, flag) pairs: each distinct pair once
    pairs = sorted(set((r[1], r[2]) for r in rows))
    d, p = ks_ref([v for v, c in pairs if not c], [v for v, c in pairs if c])
    got = conn.execute("SELECT (driftmon.ks_test(DISTINCT v, c)).p_value FROM hf").fetchone()[0]
    t.close(got, p, 1e-9, "forms ks_test DISTINCT: p-value")
    w = float(stats.wasserstein_distance([v for v, c in pairs if not c], [v for v, c in pairs if c]))
    got = conn.execute("SELECT driftmon.wasserstein_agg(DISTINCT v, c) FROM hf").fetchone()[0]
    t.close(got, w, 1e-12, "forms wasserstein_agg DISTINCT")
    cpairs = sorted(set((r[3], r[2]) for r in rows))
    chi, chp = chi2_ref([a for a, c in cpairs if not c], [a for a, c in cpairs if c])
    got = conn.execute("SELECT (driftmon.chi2_test(DISTINCT cat, c)).statistic FROM hf").fetchone()[0]
    t.close(got, chi, 1e-12, "forms chi2_test DISTINCT")
    # ORDER BY inside the call does not change an order-free statistic
    d, p = ks_ref([r[1] for r in rows if not r[2]], [r[1] for r in rows if r[2]])
    got = conn.execute("SELECT (driftmon.ks_test(v, c ORDER BY v DESC, id)).p_value FROM hf").fetchone()[0]
    t.close(got, p, 1e-9, "forms ks_test ORDER BY v DESC")
    # arrays: lower bound 0, two dimensions, NULL elements
    ref = [1.5, 2.0, 2.5, 3.0, 7.0, 9.0]
    cur = [2.2, 3.3, 4.4, 5.5, 6.6, 8.8, 9.9, 10.0]
    d, p = ks_ref(ref, cur)
    w = float(stats.wasserstein_distance(ref, cur))
    for name, a, b in (
        ('lower bound 0 and 5', "'[0:5]={1.5,2.0,2.5,3.0,7.0,9.0}'", "'[5:12]={2.2,3.3,4.4,5.5,6.6,8.8,9.9,10.0}'"),
        ('two dimensions', "'{{1.5,2.0,2.5},{3.0,7.0,9.0}}'", "'{{2.2,3.3,4.4,5.5},{6.6,8.8,9.9,10.0}}'"),
        ('NULL elements', "'{NULL,1.5,2.0,2.5,NULL,3.0,7.0,9.0}'", "'{2.2,3.3,4.4,5.5,6.6,8.8,9.9,10.0,NULL}'"),
    ):
        got = conn.execute(f"SELECT (r).statistic, (r).p_value, driftmon.wasserstein_agg({a}::float8[], {b}::float8[]) "
                           f"FROM (SELECT driftmon.ks_test({a}::float8[], {b}::float8[]) r) s").fetchone()
        t.ok(dmtest.rel_err(got[0], d) <= 1e-12 and dmtest.rel_err(got[1], p) <= 1e-9 and
             dmtest.rel_err(got[2], w) <= 1e-12, f"forms arrays, {name}: ks and wasserstein equal scipy",
             f"got {got} want {(d, p, w)}")
    got = conn.execute("SELECT nulls_reference, nulls_current, n_reference FROM driftmon.numeric_drift("
                       "'{NULL,1.5,NULL}'::float8[], '{}'::float8[])").fetchone()
    t.ok(got == (2, 0, 1), "forms arrays: NULL elements counted, empty array gives n 0", got)
    # categories: lower bound 3 and NULL elements (counted as missing)
    chi, chp = chi2_ref(['a', 'a', 'b', 'c'], ['a', 'b', 'b', 'b', 'c'])
    got = conn.execute("SELECT (driftmon.chi2_test('[3:7]={a,a,b,NULL,c}'::text[], "
                       "'{a,b,b,b,c,NULL}'::text[])).statistic").fetchone()[0]
    t.close(got, chi, 1e-12, "forms text arrays with lower bound 3 and NULL elements: chi2")
    conn.execute("DROP TABLE hf")


# ---------------------------------------------------------------- binary

def binary_section():
    import struct
    values = {
        'numeric_profile': ["driftmon.profile_agg(x::float8) FROM generate_series(1, 40) x",
                            "driftmon.profile_agg(x * 1.5, 16) FROM generate_series(1, 3000) x"],
        'categorical_profile': ["driftmon.profile_agg('c' || (x % 7)) FROM generate_series(1, 40) x",
                                "driftmon.profile_agg('c' || (x % 70), 5) FROM generate_series(1, 500) x"],
        'category_counts': ["driftmon.category_counts('c' || (x % 7), x % 2 = 0) FROM generate_series(1, 40) x"],
        'confusion': ["driftmon.confusion_agg('c' || (x % 3), 'c' || (x % 4)) FROM generate_series(1, 40) x",
                      "driftmon.confusion_agg(x % 3, x % 4) FROM generate_series(1, 40) x",
                      "driftmon.confusion_agg(x % 3 = 0, x % 4 = 0) FROM generate_series(1, 40) x"],
    }
    rnd = random.Random(5)
    for typ, qs in values.items():
        conn.execute("DROP TABLE IF EXISTS hb")
        conn.execute(f"CREATE TABLE hb (v driftmon.{typ})")
        for qi, q in enumerate(qs):
            img = conn.execute(f"SELECT driftmon.{typ}_send((SELECT {q}))").fetchone()[0]
            txt = conn.execute(f"SELECT (SELECT {q})::text").fetchone()[0]
            codes = {}
            bad = []
            for it in range(151):
                b = bytearray(img)
                op = rnd.randrange(4)
                if it == 0:
                    pass
                elif op == 0:
                    for _ in range(rnd.randint(1, 4)):
                        b[rnd.randrange(len(b))] = rnd.randrange(256)
                elif op == 1:
                    b = b[:rnd.randrange(len(b))]
                elif op == 2:
                    b += bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 16)))
                else:
                    pos = rnd.randrange(len(b) + 1)
                    b[pos:pos] = bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 8)))
                data = (b'PGCOPY\n\xff\r\n\x00' + struct.pack('!ii', 0, 0) + struct.pack('!h', 1) +
                        struct.pack('!i', len(b)) + bytes(b) + struct.pack('!h', -1))
                try:
                    with conn.cursor() as cur:
                        with cur.copy("COPY hb FROM STDIN (FORMAT binary)") as cp:
                            cp.write(data)
                    r = conn.execute(f"SELECT v::text, v::text::driftmon.{typ}::text = v::text, "
                                     f"driftmon.{typ}_send(v::text::driftmon.{typ}) = driftmon.{typ}_send(v), "
                                     f"(SELECT driftmon.rollup(v)::text IS NOT NULL FROM hb) FROM hb").fetchone()
                    if it == 0 and r[0] != txt:
                        bad.append(f"round trip changed the value: {r[0][:80]} vs {txt[:80]}")
                    if not (r[1] and r[2] and r[3]):
                        bad.append(f"mutant {it} accepted but its text form does not read back: {r}")
                    codes['accepted'] = codes.get('accepted', 0) + 1
                except psycopg.Error as e:
                    if e.sqlstate is None or not (e.sqlstate.startswith('22') or e.sqlstate == '0A000'):
                        bad.append(f"mutant {it}: {e.sqlstate} {e}")
                    codes[e.sqlstate] = codes.get(e.sqlstate, 0) + 1
                conn.execute("TRUNCATE hb")
            t.ok(not bad, f"binary {typ} #{qi}: COPY binary round trip and 150 mutated images "
                 f"({', '.join(f'{k} {v}' for k, v in sorted(codes.items(), key=str))})", '\n'.join(bad[:5]))
    conn.execute("DROP TABLE hb")


# ---------------------------------------------------------------- limits

def limits_section():
    t0 = time.time()
    got = sqlstate("SELECT driftmon.profile_agg(repeat('x', 100000000) || i) "
                   "FROM generate_series(1, 11) i")
    t.ok(got == '54000', "limits: categorical_profile beyond 1 GB is error 54000", f"got {got}")
    got = conn.execute("SELECT driftmon.n_categories(driftmon.profile_agg(repeat('x', 1000000) || i)) "
                       "FROM generate_series(1, 50) i").fetchone()[0]
    t.ok(got == 50, "limits: 50 categories of 1 MB fit", f"got {got}")
    print(f"# limits: {time.time() - t0:.1f} s")


t.run(ereports_section)
t.run(forms_section)
t.run(binary_section)
t.run(limits_section)
t.run(window_section)
t.run(plans_section)
t.run(moments_section)
t.run(params_section)
conn.execute("DROP TABLE IF EXISTS hw, hp, hm")
print(f"# {time.time() - T0:.1f} s")
t.done()
