"""Adversarial oracle cases for categorical drift and categorical profiles.

What test_categorical_drift.py / test_profile.py do not cover: dof = 1 with
Yates on tiny tables (|O - E| below 0.5), chi-square p-values far in the
tail and underflowing to 0, one category, categories on one side only,
empty strings, multibyte UTF-8, kilobyte categories, bytewise order under a
non-C collation (top_mover ties), thousands of categories, NULL handling,
forced parallel plans and GROUP BY with many small groups (equal to the
serial answer), categorical profiles in exact mode against scipy on the raw
rows and in sketch mode against the Misra-Gries bound, and counts at the
ends of the bigint range in profiles.  References: scipy 1.10
(chi2_contingency, jensenshannon(base=2)**2), and exact arithmetic
(fractions) where the statistic is a ratio of integers.
"""
import math
import os
import sys
from fractions import Fraction

import numpy as np
import psycopg
from scipy.spatial.distance import jensenshannon
from scipy.stats import chi2_contingency

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

t = dmtest.Tap('categorical_adversarial')
conn = dmtest.connect()
rng = np.random.default_rng(20261124)
EMPTY = 1e-4


def bkey(s):
    return s.encode('utf-8')


def ref_metrics(names, a, b):
    """Everything checked, from scipy and the definitions, over the union of
    names (bytewise order) with counts a (reference) and b (current)."""
    r = np.array([a.get(x, 0) for x in names], dtype=np.int64)
    c = np.array([b.get(x, 0) for x in names], dtype=np.int64)
    out = {'k': len(names)}
    if len(names) == 1:
        out.update(chi2=0.0, p=1.0, dof=0)
    else:
        st = chi2_contingency(np.array([r, c]))
        out.update(chi2=float(st[0]), p=float(st[1]), dof=int(st[2]))
    p = r / r.sum()
    q = c / c.sum()
    ps = np.where(p == 0, EMPTY, p)
    qs = np.where(q == 0, EMPTY, q)
    out['psi'] = float(np.sum((qs - ps) * np.log(qs / ps)))
    out['js'] = float(jensenshannon(p, q, base=2) ** 2) if len(names) > 1 else 0.0
    out['hellinger'] = math.sqrt(float(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)) / 2)
    out['tv'] = float(np.sum(np.abs(p - q))) / 2
    # first maximum = smallest by bytes, over exact shares (a tie that float
    # rounding breaks is still a tie)
    tr, tc = int(r.sum()), int(c.sum())
    dx = [Fraction(int(y), tc) - Fraction(int(x), tr) for x, y in zip(r, c)]
    i = min(range(len(names)), key=lambda j: (-abs(dx[j]), j))
    out['top'] = names[i]
    out['top_delta'] = float(dx[i])
    out['n_unseen'] = int(np.sum((r == 0) & (c > 0)))
    out['unseen_share'] = float(c[r == 0].sum() / c.sum())
    out['n_vanished'] = int(np.sum((c == 0) & (r > 0)))
    out['vanished_share'] = float(r[c == 0].sum() / r.sum())
    return out


def counts_of(xs):
    d = {}
    for x in xs:
        if x is not None:
            d[x] = d.get(x, 0) + 1
    return d


DRIFT_COLS = ("n_reference, n_current, missing_reference, missing_current, n_categories, "
              "chi2_statistic, chi2_p_value, chi2_dof, psi, js_divergence, hellinger, "
              "total_variation, top_mover, top_mover_delta, n_unseen, unseen_share, "
              "n_vanished, vanished_share")


def check_drift(name, row, a_rows, b_rows, rtol=1e-12, pstol=1e-11):
    """One assertion: a categorical_drift row against the reference."""
    a, b = counts_of(a_rows), counts_of(b_rows)
    names = sorted(set(a) | set(b), key=bkey)
    w = ref_metrics(names, a, b)
    got = dict(zip([c.strip() for c in DRIFT_COLS.split(',')], row))
    bad = []

    def cmpf(key, g, want, tol=rtol, atol=1e-15):
        e = dmtest.rel_err(g, want)
        t.note_err(key, e, name)
        if e > tol and not (g is not None and abs(g - want) <= atol):
            bad.append(f"{key}: got {g!r} want {want!r} ({e:.3g})")

    def cmpi(key, g, want):
        if g != want:
            bad.append(f"{key}: got {g!r} want {want!r}")

    cmpi('n_reference', got['n_reference'], sum(a.values()))
    cmpi('n_current', got['n_current'], sum(b.values()))
    cmpi('missing_reference', got['missing_reference'], sum(1 for x in a_rows if x is None))
    cmpi('missing_current', got['missing_current'], sum(1 for x in b_rows if x is None))
    cmpi('n_categories', got['n_categories'], w['k'])
    cmpi('chi2_dof', got['chi2_dof'], w['dof'])
    cmpf('chi2', got['chi2_statistic'], w['chi2'], atol=1e-13)
    cmpf('p', got['chi2_p_value'], w['p'], tol=pstol, atol=1e-300)
    cmpf('psi', got['psi'], w['psi'])
    cmpf('js', got['js_divergence'], w['js'], tol=1e-10, atol=1e-15)
    cmpf('hellinger', got['hellinger'], w['hellinger'])
    cmpf('tv', got['total_variation'], w['tv'])
    cmpi('top_mover', got['top_mover'], w['top'])
    cmpf('top_delta', got['top_mover_delta'], w['top_delta'])
    cmpi('n_unseen', got['n_unseen'], w['n_unseen'])
    cmpf('unseen_share', got['unseen_share'], w['unseen_share'])
    cmpi('n_vanished', got['n_vanished'], w['n_vanished'])
    cmpf('vanished_share', got['vanished_share'], w['vanished_share'])
    t.ok(not bad, name, '\n'.join(bad))


def load(a_rows, b_rows, table='ca', collate=None):
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    coll = f' COLLATE "{collate}"' if collate else ''
    # a plain table: temporary tables are never scanned by parallel workers
    conn.execute(f"CREATE UNLOGGED TABLE {table} (c text{coll}, cur bool, g int)")
    with conn.cursor().copy(f"COPY {table} (c, cur, g) FROM STDIN") as cp:
        for i, x in enumerate(a_rows):
            cp.write_row((x, False, i % 7))
        for i, x in enumerate(b_rows):
            cp.write_row((x, True, i % 7))


def both_forms(name, a_rows, b_rows, **kw):
    """The aggregate over a table and the text-array form, each checked."""
    load(a_rows, b_rows)
    row = conn.execute(f"SELECT (d).* FROM (SELECT driftmon.categorical_drift(c, cur) d FROM ca) s").fetchone()
    cols = [d.name for d in conn.execute("SELECT (driftmon.categorical_drift(c, cur)).* FROM ca").description]
    rowd = dict(zip(cols, row))
    check_drift(f"{name} (aggregate)", [rowd[c.strip()] for c in DRIFT_COLS.split(',')], a_rows, b_rows, **kw)
    row = conn.execute("SELECT (d).* FROM (SELECT driftmon.categorical_drift(%s::text[], %s::text[]) d) s",
                       (a_rows, b_rows)).fetchone()
    rowd = dict(zip(cols, row))
    check_drift(f"{name} (text arrays)", [rowd[c.strip()] for c in DRIFT_COLS.split(',')], a_rows, b_rows, **kw)


# ---------------------------------------------------------------------------
# 1. dof = 1 (Yates) on small tables, every 2 x 2 table with counts 0..4
def yates_small():
    cases = 0
    bad = []
    for a0 in range(0, 5):
        for a1 in range(0, 5):
            for b0 in range(0, 5):
                for b1 in range(0, 5):
                    if a0 + a1 == 0 or b0 + b1 == 0 or a0 + b0 == 0 or a1 + b1 == 0:
                        continue
                    st = chi2_contingency(np.array([[a0, a1], [b0, b1]]))
                    got = conn.execute(
                        "SELECT (r).statistic, (r).p_value, (r).dof FROM "
                        "(SELECT driftmon.chi2_test_counts(%s::float8[], %s::float8[]) r) s",
                        ([a0, a1], [b0, b1])).fetchone()
                    cases += 1
                    e1 = dmtest.rel_err(got[0], float(st[0]))
                    e2 = dmtest.rel_err(got[1], float(st[1]))
                    t.note_err('yates_stat', e1, (a0, a1, b0, b1))
                    t.note_err('yates_p', e2, (a0, a1, b0, b1))
                    if got[2] != 1 or (e1 > 1e-12 and abs(got[0] - st[0]) > 1e-14) or e2 > 1e-12:
                        bad.append(f"{(a0, a1, b0, b1)}: got {got} want {st[:3]}")
    t.ok(not bad, f"Yates: all {cases} 2x2 tables with counts 0..4 equal scipy", '\n'.join(bad[:10]))
    # the same tables through the aggregate (one table, GROUP BY case)
    rows = []
    want = {}
    case = 0
    for a0, a1, b0, b1 in [(1, 0, 0, 1), (3, 1, 1, 3), (2, 2, 2, 3), (4, 0, 1, 4), (1, 1, 1, 2), (0, 3, 1, 1)]:
        for cat, n, cur in (("x", a0, False), ("y", a1, False), ("x", b0, True), ("y", b1, True)):
            rows += [(cat, cur, case)] * n
        want[case] = chi2_contingency(np.array([[a0, a1], [b0, b1]]))
        case += 1
    conn.execute("DROP TABLE IF EXISTS y2")
    conn.execute("CREATE TEMP TABLE y2 (c text, cur bool, g int)")
    with conn.cursor().copy("COPY y2 (c, cur, g) FROM STDIN") as cp:
        for r in rows:
            cp.write_row(r)
    for g, s, p, dof in conn.execute("SELECT g, (r).statistic, (r).p_value, (r).dof FROM "
                                     "(SELECT g, driftmon.chi2_test(c, cur) r FROM y2 GROUP BY g) s ORDER BY g"):
        st = want[g]
        t.ok(dof == 1 and dmtest.rel_err(s, float(st[0])) <= 1e-12 and dmtest.rel_err(p, float(st[1])) <= 1e-12,
             f"Yates through the aggregate, case {g}", f"got {(s, p, dof)} want {st[:3]}")


# ---------------------------------------------------------------------------
# 2. p-values far in the tail and underflow
def tail_pvalues():
    # k categories fully separated: reference all in the first half, current
    # in the second; statistic grows with n, p underflows.
    for k, n in ((2, 300), (2, 700), (2, 1000), (3, 400), (3, 800), (10, 200), (10, 400), (50, 2000),
                 (200, 5000), (2, 10 ** 6), (1000, 10 ** 5)):
        ref = np.zeros(k, dtype=np.int64)
        cur = np.zeros(k, dtype=np.int64)
        half = max(1, k // 2)
        ref[:half] = n // half
        cur[half:] = n // max(1, k - half)
        ref[-1] += 1  # keep every column non-empty on the reference side too
        st = chi2_contingency(np.array([ref, cur]))
        got = conn.execute("SELECT (r).statistic, (r).p_value, (r).dof FROM "
                           "(SELECT driftmon.chi2_test_counts(%s::float8[], %s::float8[]) r) s",
                           (ref.tolist(), cur.tolist())).fetchone()
        name = f"tail k={k} n={n} (scipy p={float(st[1]):.3g})"
        t.close(got[0], float(st[0]), 1e-12, f"{name}: statistic", metric='tail_stat')
        # below 1e-300 and down to the subnormal range scipy keeps ~|ln p|
        # ulps; rtol 1e-10 allows for that; an underflow must be 0 on both
        t.close(got[1], float(st[1]), 1e-10, f"{name}: p-value", atol=0.0, metric='tail_p')
        t.ok(got[2] == st[2], f"{name}: dof")


# ---------------------------------------------------------------------------
# 3. hand-made edge tables through the aggregate and the text-array form
def edge_tables():
    long_a = 'é' * 3000  # 6000 bytes
    long_b = 'é' * 2999 + 'f'
    cases = {
        'one category both sides': (['a'] * 5, ['a'] * 3),
        'one category each side, disjoint': (['a'] * 5, ['b'] * 3),
        'unseen only': (['a'] * 5 + ['b'] * 5, ['a'] * 2 + ['b'] * 2 + ['c'] * 4),
        'vanished only': (['a'] * 5 + ['b'] * 5 + ['z'] * 3, ['a'] * 2 + ['b'] * 2),
        'empty string category': ([''] * 4 + ['a'], [''] * 1 + ['a'] * 4),
        'empty string unseen': (['a'] * 4, [''] * 2 + ['a']),
        'NULL categories': (['a', None, 'b', None], [None, 'a', 'a', 'b', 'c']),
        'multibyte': (['é', 'e', 'ё', '日本', '\U0001F600'] * 3, ['é', 'é', 'ё', '日本語', '\U0001F600']),
        'control characters': (['\x01', '\t', '"', '\\', 'a\nb'], ['\x01', '\x01', '"', 'a\nb']),
        'kilobyte categories': ([long_a] * 3 + [long_b], [long_b] * 3 + [long_a]),
        'prefix order': (['ab', 'a', 'abc', 'b'], ['a', 'a', 'ab', 'abc', 'abc']),
        # |delta| ties: 'B' < 'a' bytewise but not in en_US collation
        'top mover tie': (['a', 'a', 'B', 'B'], ['a', 'B', 'B', 'c']),
        'top mover tie multibyte': (['é', 'é', 'z', 'z'], ['é', 'z', 'z', 'y']),
        'one row each': (['x'], ['y']),
        'large single column': (['a'] * 5000 + ['b'], ['a'] * 5000),
    }
    for name, (a, b) in cases.items():
        both_forms(name, a, b)


# ---------------------------------------------------------------------------
# 4. collation independence: the same rows in a column with an ICU / libc
#    collation give the same answer as under "C"
def collation():
    colls = [r[0] for r in conn.execute(
        "SELECT collname FROM pg_collation WHERE collname IN ('en-x-icu', 'en_US.utf8', 'en_US', 'und-x-icu', 'C.utf8')")]
    a = ['B', 'a', 'a', 'b', 'É', 'e', 'e', '', 'a ', 'A']
    b = ['b', 'a', 'B', 'B', 'e', 'É', 'é', '', 'A', 'c']
    load(a, b, 'cc_c', 'C')
    base = conn.execute("SELECT driftmon.categorical_drift(c, cur)::text, driftmon.category_counts(c, cur)::text FROM cc_c").fetchone()
    for coll in colls:
        load(a, b, 'cc_x', coll)
        got = conn.execute("SELECT driftmon.categorical_drift(c, cur)::text, driftmon.category_counts(c, cur)::text FROM cc_x").fetchone()
        t.ok(got == base, f"collation {coll}: same result as under C", f"{got} vs {base}")
    t.ok(True, f"collations tried: {colls}")
    # and the C answer is the reference (bytewise order)
    cols = [d.name for d in conn.execute("SELECT (driftmon.categorical_drift(c, cur)).* FROM cc_c").description]
    row = dict(zip(cols, conn.execute("SELECT (driftmon.categorical_drift(c, cur)).* FROM cc_c").fetchone()))
    check_drift("collation rows (C) against scipy", [row[c.strip()] for c in DRIFT_COLS.split(',')], a, b)


# ---------------------------------------------------------------------------
# 5. thousands of categories, many unseen / vanished, and parallel plans
def many_categories():
    k = 5000
    a = [f"k{int(i)}" for i in rng.integers(0, k, 40000)]
    b = [f"k{int(i)}" for i in rng.integers(k // 3, k + k // 3, 40000)]
    a += [None] * 17
    b += [None] * 5
    load(a, b)
    cols = [d.name for d in conn.execute("SELECT (driftmon.categorical_drift(c, cur)).* FROM ca").description]
    serial = conn.execute("SELECT (driftmon.categorical_drift(c, cur)).* FROM ca").fetchone()
    check_drift(f"{k}+ categories (serial)", [dict(zip(cols, serial))[c.strip()] for c in DRIFT_COLS.split(',')], a, b)
    conn.execute("SET parallel_setup_cost = 0")
    conn.execute("SET parallel_tuple_cost = 0")
    conn.execute("SET min_parallel_table_scan_size = 0")
    conn.execute("SET max_parallel_workers_per_gather = 2")
    conn.execute("ANALYZE ca")
    plan = '\n'.join(r[0] for r in conn.execute(
        "EXPLAIN (COSTS OFF) SELECT driftmon.categorical_drift(c, cur) FROM ca"))
    t.ok('Partial Aggregate' in plan, "forced parallel plan is partial", plan)
    par = conn.execute("SELECT (driftmon.categorical_drift(c, cur)).* FROM ca").fetchone()
    t.ok(par == serial, "parallel categorical_drift equals serial exactly", f"{par} vs {serial}")
    for f in ('chi2_test', 'js_divergence', 'psi_agg', 'category_counts', 'reference_profile', 'current_profile',
              'categorical_drift_profile'):
        q = f"SELECT driftmon.{f}(c, cur)::text FROM ca"
        p1 = conn.execute(q).fetchone()[0]
        conn.execute("SET max_parallel_workers_per_gather = 0")
        s1 = conn.execute(q).fetchone()[0]
        conn.execute("SET max_parallel_workers_per_gather = 2")
        t.ok(p1 == s1, f"{f}: parallel equals serial (text)", f"{p1[:200]} vs {s1[:200]}")
    # GROUP BY many small groups in a parallel plan
    conn.execute("DROP TABLE IF EXISTS cg")
    conn.execute("CREATE UNLOGGED TABLE cg AS SELECT c, cur, (row_number() OVER ()) % 3000 AS g FROM ca")
    conn.execute("ANALYZE cg")
    q = ("SELECT g, driftmon.categorical_drift(c, cur)::text, driftmon.category_counts(c, cur)::text, "
         "driftmon.chi2_test(c, cur)::text FROM cg GROUP BY g ORDER BY g")
    par = conn.execute(q).fetchall()
    plan = '\n'.join(r[0] for r in conn.execute("EXPLAIN (COSTS OFF) " + q))
    conn.execute("SET max_parallel_workers_per_gather = 0")
    ser = conn.execute(q).fetchall()
    for s in ("parallel_setup_cost", "parallel_tuple_cost", "min_parallel_table_scan_size",
              "max_parallel_workers_per_gather"):
        conn.execute(f"RESET {s}")
    t.ok(par == ser, f"GROUP BY 3000 small groups: parallel ({'Partial' in plan}) equals serial",
         next((f"{x} vs {y}" for x, y in zip(par, ser) if x != y), None))
    # one of those groups against scipy
    g0 = conn.execute("SELECT array_agg(c) FILTER (WHERE NOT cur), array_agg(c) FILTER (WHERE cur) FROM cg WHERE g = 7").fetchone()
    row = conn.execute("SELECT (driftmon.categorical_drift(c, cur)).* FROM cg WHERE g = 7").fetchone()
    check_drift("small group 7 against scipy", [dict(zip(cols, row))[c.strip()] for c in DRIFT_COLS.split(',')],
                g0[0] or [], g0[1] or [])


# ---------------------------------------------------------------------------
# 6. psi smoothing: exact arithmetic on one-sided categories
def psi_smoothing():
    # reference {a: 3, b: 1}, current {a: 1, c: 1}:
    # p = (3/4, 1/4, 0), q = (1/2, 0, 1/2) -> smoothed (1e-4 on the empty side)
    p = [0.75, 0.25, EMPTY]
    q = [0.5, EMPTY, 0.5]
    want = sum((qi - pi) * math.log(qi / pi) for pi, qi in zip(p, q))
    got = conn.execute("SELECT driftmon.psi_agg(%s::text[], %s::text[])", (['a', 'a', 'a', 'b'], ['a', 'c'])).fetchone()[0]
    t.close(got, want, 1e-14, "psi smoothing of an unseen and a vanished category", metric='psi_smooth')
    got = conn.execute("SELECT driftmon.psi_counts(ARRAY[3,1,0,0]::float8[], ARRAY[2,0,2,0]::float8[])").fetchone()[0]
    t.close(got, want, 1e-14, "psi_counts: a bin empty on both sides contributes nothing", metric='psi_smooth')
    # category_table's psi_contribution rows add up to psi and use the same smoothing
    rows = conn.execute("SELECT category, n_reference, n_current, p_reference, p_current, psi_contribution "
                        "FROM driftmon.category_table((SELECT driftmon.category_counts(c, cur) FROM "
                        "unnest(ARRAY['a','a','a','b','a','c'], ARRAY[false,false,false,false,true,true]) u(c, cur)))").fetchall()
    terms = {'a': (0.5 - 0.75) * math.log(0.5 / 0.75), 'b': (EMPTY - 0.25) * math.log(EMPTY / 0.25),
             'c': (0.5 - EMPTY) * math.log(0.5 / EMPTY)}
    order = sorted(terms, key=lambda x: (-terms[x], x))
    t.ok([r[0] for r in rows] == order, "category_table: order by contribution", rows)
    t.ok(all(dmtest.rel_err(r[5], terms[r[0]]) < 1e-14 for r in rows), "category_table: contributions", rows)
    fr = {r[0]: (Fraction(r[1]), Fraction(r[2])) for r in rows}
    t.ok(all(r[3] == float(fr[r[0]][0] / 4) and r[4] == float(fr[r[0]][1] / 2) for r in rows),
         "category_table: shares are the exact fractions", rows)


# ---------------------------------------------------------------------------
# 7. categorical profiles: exact mode equals scipy on the raw rows,
#    including one-sided categories, NULLs, the empty string, multibyte
def profile_exact():
    for case in range(12):
        k = int(rng.integers(1, 30))
        cats = ['', 'é', '日本'] + [f"c{i}" for i in range(k)]
        a = [cats[i] for i in rng.integers(0, len(cats) - 2, int(rng.integers(1, 400)))]
        b = [cats[i] for i in rng.integers(2, len(cats), int(rng.integers(1, 400)))]
        if case % 3 == 0:
            a += [None] * 3
        load(a, b)
        row = conn.execute(
            "SELECT (k).statistic, (k).p_value, (k).dof, (k).n_reference, (k).n_current, (k).n_categories, "
            "driftmon.psi(r, c), driftmon.js_divergence(r, c), driftmon.hellinger(r, c) FROM "
            "(SELECT r, c, driftmon.chi2_test(r, c) k FROM (SELECT driftmon.reference_profile(c, cur) r, "
            "driftmon.current_profile(c, cur) c FROM ca) s) s2").fetchone()
        A, B = counts_of(a), counts_of(b)
        names = sorted(set(A) | set(B), key=bkey)
        w = ref_metrics(names, A, B)
        name = f"profile exact case {case} (k={len(names)})"
        ok = (row[2] == w['dof'] and row[3] == sum(A.values()) and row[4] == sum(B.values()) and row[5] == len(names)
              and dmtest.rel_err(row[0], w['chi2']) <= 1e-12 and dmtest.rel_err(row[1], w['p']) <= 1e-11
              and dmtest.rel_err(row[6], w['psi']) <= 1e-12 and abs(row[7] - w['js']) <= 1e-12
              and dmtest.rel_err(row[8], w['hellinger']) <= 1e-12)
        t.ok(ok, name, f"got {row} want {w}")


# ---------------------------------------------------------------------------
# 8. Misra-Gries: reference_profile / current_profile / profile_agg beyond
#    cap, every stored count within [true - max_error, true], and the
#    sketch-mode chi-square is the test on (stored counts + one rest column)
def profile_sketch():
    K = 3000
    pz = 1.0 / np.arange(1, K + 1) ** 1.2
    pz /= pz.sum()
    ia = rng.choice(K, 30000, p=pz)
    ib = rng.choice(K, 20000, p=np.roll(pz, 5))
    a = [f"i{i}" for i in ia]
    b = [f"i{i}" for i in ib]
    load(a, b)
    for label, sql in (
            ("reference_profile", "SELECT driftmon.reference_profile(c, cur) FROM ca"),
            ("profile_agg cap 50", "SELECT driftmon.profile_agg(c, 50) FROM ca WHERE NOT cur"),
            ("rollup of 7 groups cap 50", "SELECT driftmon.rollup(p) FROM (SELECT driftmon.profile_agg(c, 50) p FROM ca WHERE NOT cur GROUP BY g) z")):
        p = conn.execute(f"SELECT p::text, driftmon.max_error(p), driftmon.n(p), driftmon.rest(p), driftmon.is_exact(p) FROM ({sql}) z(p)").fetchone()
        stored = dict(conn.execute("SELECT category, count FROM driftmon.categories(%s::driftmon.categorical_profile)", (p[0],)).fetchall())
        truth = counts_of(a)
        worst = max(truth[x] - stored.get(x, 0) for x in truth)
        okb = all(0 <= truth[x] - stored.get(x, 0) <= p[1] for x in truth) and all(x in truth for x in stored)
        t.ok(okb and p[2] == len(a) and not p[4] and p[3] == len(a) - sum(stored.values()),
             f"Misra-Gries {label}: counts in [true - {p[1]}, true] (worst {worst}), rest = n - stored",
             f"{p[1:]}")
    # sketch-mode chi2 = scipy on stored counts + a rest column
    row = conn.execute("SELECT r::text, c::text, (driftmon.chi2_test(r, c)).statistic, (driftmon.chi2_test(r, c)).p_value, "
                       "driftmon.psi(r, c) FROM (SELECT driftmon.profile_agg(c, 40) FILTER (WHERE NOT cur) r, "
                       "driftmon.profile_agg(c, 40) FILTER (WHERE cur) c FROM ca) s").fetchone()
    sr = dict(conn.execute("SELECT category, count FROM driftmon.categories(%s::driftmon.categorical_profile)", (row[0],)).fetchall())
    sc = dict(conn.execute("SELECT category, count FROM driftmon.categories(%s::driftmon.categorical_profile)", (row[1],)).fetchall())
    rr, rc_ = conn.execute("SELECT driftmon.rest(%s::driftmon.categorical_profile), driftmon.rest(%s::driftmon.categorical_profile)",
                           (row[0], row[1])).fetchone()
    names = sorted(set(sr) | set(sc), key=bkey)
    R = [sr.get(x, 0) for x in names] + [rr]
    C = [sc.get(x, 0) for x in names] + [rc_]
    st = chi2_contingency(np.array([R, C]))
    t.close(row[2], float(st[0]), 1e-12, "sketch chi2 statistic = scipy on stored counts + rest column", metric='sketch_chi2')
    t.close(row[3], float(st[1]), 1e-11, "sketch chi2 p-value", atol=1e-300, metric='sketch_chi2')


# ---------------------------------------------------------------------------
# 9. counts at the ends of the range: profiles may not hold counts that the
#    bigint accessors cannot return, and merges may not wrap around
def profile_ranges():
    big = 2 ** 63
    for label, txt in (
            ("n = 2^63", f'v=1;cap=1000;n={big};nulls=0;rest=0;items={{"a":{big}}}'),
            ("nulls = 2^64 - 1", f'v=1;cap=1000;n=1;nulls={2 ** 64 - 1};rest=0;items={{"a":1}}')):
        try:
            v = conn.execute("SELECT driftmon.n(%s::driftmon.categorical_profile), "
                             "driftmon.nulls(%s::driftmon.categorical_profile)", (txt, txt)).fetchone()
            t.ok(False, f"categorical_profile with {label} refused", f"accepted: n, nulls = {v}")
        except psycopg.Error as e:
            t.ok(e.sqlstate in ('22003', '22P02', 'XX001', '22023'), f"categorical_profile with {label} refused ({e.sqlstate})",
                 str(e))
    m = 2 ** 63 - 1
    try:
        v = conn.execute(
            "SELECT driftmon.n(driftmon.rollup(p)) FROM (VALUES (%s::driftmon.categorical_profile), (%s::driftmon.categorical_profile)) v(p)",
            (f'v=1;cap=1000;n={m};nulls=0;rest=0;items={{"a":{m}}}', 'v=1;cap=1000;n=2;nulls=0;rest=0;items={"a":2}')).fetchone()
        t.ok(False, "rollup beyond bigint refused", f"accepted: n = {v}")
    except psycopg.Error as e:
        t.ok(e.sqlstate == '22003', f"rollup beyond bigint refused ({e.sqlstate})", str(e))
    # the numeric profile has the same rule (n + nulls + nonfinite <= 2^63 - 1)
    body = 'min=1;max=2;mean=1.5;m2=0.5;rng=4611390743696963626;D=0;S=0;levels=1;L0=1,2'
    for label, nn in (("nulls = 2^64 - 6", 2 ** 64 - 6), ("nulls = 2^63 - 2", 2 ** 63 - 2)):
        txt = f'v=1;k=1024;n=2;nulls={nn};nonfinite=1;{body}'
        try:
            v = conn.execute("SELECT driftmon.nulls(%s::driftmon.numeric_profile)", (txt,)).fetchone()
            t.ok(False, f"numeric_profile with {label} refused", f"accepted: nulls = {v}")
        except psycopg.Error as e:
            t.ok(e.sqlstate in ('22P02', 'XX001', '22023'), f"numeric_profile with {label} refused ({e.sqlstate})", str(e))
    half = f'v=1;k=1024;n=2;nulls={2 ** 62};nonfinite=1;{body}'
    t.ok(conn.execute("SELECT driftmon.nulls(%s::driftmon.numeric_profile)", (half,)).fetchone()[0] == 2 ** 62,
         "numeric_profile with nulls = 2^62 accepted")
    try:
        v = conn.execute("SELECT driftmon.nulls(driftmon.rollup(p)) FROM (VALUES (%s::driftmon.numeric_profile), "
                         "(%s::driftmon.numeric_profile)) v(p)", (half, half)).fetchone()
        t.ok(False, "numeric rollup beyond bigint refused", f"accepted: nulls = {v}")
    except psycopg.Error as e:
        t.ok(e.sqlstate == '22003', f"numeric rollup beyond bigint refused ({e.sqlstate})", str(e))
    # the largest bigint counts work: chi2 on category_counts at 2^63 - 1,
    # exact (Yates moves both cells of the small column to their expected
    # value: statistic exactly 0)
    cc = ('{"version":1,"n_reference":9223372036854775807,"n_current":9223372036854775807,'
          '"missing_reference":0,"missing_current":0,"categories":[["a",9223372036854775806,9223372036854775807],["b",1,0]]}')
    r = conn.execute("SELECT (r).statistic, (r).p_value, (r).dof FROM (SELECT driftmon.chi2_test(%s::driftmon.category_counts) r) s",
                     (cc,)).fetchone()
    t.ok(r == (0.0, 1.0, 1), "chi2 at the bigint limit: Yates gives exactly 0", r)


# ---------------------------------------------------------------------------
# 10. numeric profiles in exact mode with values near the float8 limit: the
#     exact aggregates bin and integrate them without overflow; the profile
#     comparisons must give the same numbers.  numpy's quantile returns
#     [inf, -inf, -inf] for the deciles .1 .5 .9 of {-1e308, 1e308} (b - a
#     overflows) and scipy's wasserstein_distance returns NaN for two equal
#     such samples (0 * inf), so the truth here is exact rational arithmetic.
def fq(xs, p):
    """numpy 'linear' quantile in exact fractions."""
    xs = sorted(Fraction(x) for x in xs)
    pos = Fraction(p) * (len(xs) - 1)
    lo = int(pos)
    if lo + 1 >= len(xs):
        return xs[lo]
    return xs[lo] + (xs[lo + 1] - xs[lo]) * (pos - lo)


def fwass(a, b):
    """Wasserstein-1 of two samples in exact fractions."""
    pts = sorted(set(Fraction(x) for x in a + b))
    A = [Fraction(x) for x in a]
    B = [Fraction(x) for x in b]
    tot = Fraction(0)
    for x0, x1 in zip(pts, pts[1:]):
        fa = Fraction(sum(1 for v in A if v <= x0), len(A))
        fb = Fraction(sum(1 for v in B if v <= x0), len(B))
        tot += abs(fa - fb) * (x1 - x0)
    return tot


def profile_huge():
    M = 1e308
    cases = [([-M, M], [M, 0.0]), ([-M, M], [-M, M]), ([-M, -M / 2, M / 2, M], [-M, 0.0, M, M]),
             ([M, M / 3, -M], [-M, -M / 7, M / 5]), ([-1.7e308, 1.7e308, 0.0], [1.7e308, 1e300, -1e300]), ([-M, -M], [M, M])]
    for i, (a, b) in enumerate(cases):
        prof = ("(SELECT (SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v) r, "
                "(SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v) c) s")
        q = conn.execute(f"SELECT driftmon.quantile(r, ARRAY[.1,.25,.5,.75,.9]::float8[]) FROM {prof}", (a, b)).fetchone()[0]
        want = [float(fq(a, p)) for p in (Fraction(1, 10), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(9, 10))]
        t.ok(all(dmtest.rel_err(g, w) <= 1e-15 or abs(g - w) <= 1e-292 for g, w in zip(q, want)),
             f"huge case {i}: profile quantiles = exact fractions", f"got {q} want {want}")
        got = conn.execute(f"SELECT driftmon.psi(r, c), driftmon.js_divergence(r, c), driftmon.hellinger(r, c) FROM {prof}",
                           (a, b)).fetchone()
        ex = conn.execute("SELECT driftmon.psi_agg(v, cur), driftmon.js_divergence(v, cur) FROM unnest(%s::float8[], %s::bool[]) u(v, cur)",
                          (a + b, [False] * len(a) + [True] * len(b))).fetchone()
        t.ok(got[0] is not None and dmtest.rel_err(got[0], ex[0]) <= 1e-12 and dmtest.rel_err(got[1], ex[1]) <= 1e-12,
             f"huge case {i}: profile psi / js = psi_agg / js_divergence on the rows", f"got {got} want {ex}")
        w = fwass(a, b)
        try:
            gw = conn.execute(f"SELECT driftmon.wasserstein(r, c) FROM {prof}", (a, b)).fetchone()[0]
        except psycopg.Error as e:
            gw = e.sqlstate
        if w > Fraction(1.7976931348623157e308):
            t.ok(gw == '22003', f"huge case {i}: wasserstein beyond float8 is error 22003", gw)
        else:
            t.ok(isinstance(gw, float) and dmtest.rel_err(gw, float(w)) <= 1e-14, f"huge case {i}: wasserstein = exact",
                 f"got {gw} want {float(w)}")


# ---------------------------------------------------------------------------
# 11. an empty side: chi2_test on the profiles says what the aggregate on
#     the same rows says (statistic, p-value, dof NULL; the counts and the
#     number of categories filled in)
def empty_side():
    for label, a, b in (("reference only NULLs", [None, None], ['x', 'y', 'x']),
                        ("current only NULLs", ['x', 'z'], [None]),
                        ("no current row", ['x', 'z', 'z'], [])):
        ca = a + b
        fl = [False] * len(a) + [True] * len(b)
        agg = conn.execute("SELECT (driftmon.chi2_test(c, f)).* FROM unnest(%s::text[], %s::bool[]) u(c, f)", (ca, fl)).fetchone()
        prof = conn.execute("SELECT (driftmon.chi2_test(r, c)).* FROM (SELECT driftmon.reference_profile(c, f) r, "
                            "driftmon.current_profile(c, f) c FROM unnest(%s::text[], %s::bool[]) u(c, f)) s", (ca, fl)).fetchone()
        A, B = counts_of(a), counts_of(b)
        want = (None, None, None, sum(A.values()), sum(B.values()), len(set(A) | set(B)))
        t.ok(agg == want, f"{label}: chi2_test aggregate", f"got {agg} want {want}")
        if not b:  # no current row at all: the current profile is NULL, so is the comparison
            t.ok(prof is None or all(x is None for x in prof), f"{label}: chi2_test of a NULL profile is NULL", prof)
        else:
            t.ok(prof == want, f"{label}: chi2_test on the profiles", f"got {prof} want {want}")


# ---------------------------------------------------------------------------
# 12. ks_test on exact numeric profiles, n1 == n2 included (test_profile.py
#     skips those because scipy 1.10 falls back to its asymptotic formula for
#     some of them): the p-value against exact rational path counts
def ks_exact_paths(n1, n2, h):
    """P(max |i n2 - j n1| >= h) for a random lattice path, in fractions."""
    from math import comb
    prev = [0] * (n2 + 1)
    for i in range(n1 + 1):
        cur = [0] * (n2 + 1)
        for j in range(n2 + 1):
            if abs(i * n2 - j * n1) >= h:
                continue
            if i == 0 and j == 0:
                cur[j] = 1
                continue
            cur[j] = (prev[j] if i > 0 else 0) + (cur[j - 1] if j > 0 else 0)
        prev = cur
    return 1 - Fraction(prev[n2], comb(n1 + n2, n1))


def profile_ks_equal_sizes():
    for case in range(40):
        n = int(rng.integers(2, 60))
        m = n if case % 2 == 0 else int(rng.integers(2, 60))
        a = rng.normal(size=n)
        b = rng.normal(0.3 * (case % 3), 1, size=m)
        row = conn.execute("SELECT (k).statistic, (k).p_value, (k).method FROM (SELECT driftmon.ks_test("
                           "(SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v), "
                           "(SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v)) k) s",
                           (list(map(float, a)), list(map(float, b)))).fetchone()
        sa, sb = np.sort(a), np.sort(b)
        h = max(abs(int(np.searchsorted(sa, x, 'right')) * m - int(np.searchsorted(sb, x, 'right')) * n)
                for x in np.concatenate([a, b]))
        p = float(ks_exact_paths(n, m, h))
        t.ok(row[0] == h / (n * m) and dmtest.rel_err(row[1], p) <= 1e-12 and row[2] == 'exact',
             f"profile ks_test n={n},{m}: statistic and exact p-value = path counts", f"got {row} want {h / (n * m)}, {p}")
        t.note_err('ks_profile_p_exact', dmtest.rel_err(row[1], p), (n, m))


# ---------------------------------------------------------------------------
# 13. categories() of a profile with 200 000 categories (cap up to 10^6 is
#     allowed): the documented order (count descending, then bytes), in
#     reasonable time (it was an insertion sort, quadratic and without
#     interrupt checks: about 9 s here, 4 minutes at 10^6 categories)
def categories_order():
    conn.execute("DROP TABLE IF EXISTS big_cp")
    conn.execute("CREATE UNLOGGED TABLE big_cp AS SELECT driftmon.profile_agg(md5(g::text), 1000000) p "
                 "FROM generate_series(1, 200000) g, generate_series(1, 1 + (hashint4(g) & 3)) r")
    conn.execute("SET statement_timeout = '5s'")
    try:
        rows = conn.execute("SELECT (driftmon.categories(p)).* FROM big_cp").fetchall()
    except psycopg.Error as e:
        rows = e.sqlstate
    conn.execute("RESET statement_timeout")
    if isinstance(rows, str):
        t.ok(False, "categories() of 200 000 categories within 5 s", rows)
        return
    want = sorted(((f"{g}".encode(), 1 + (h & 3)) for g, h in conn.execute(
        "SELECT g, hashint4(g) FROM generate_series(1, 200000) g")), key=lambda x: x[0])
    import hashlib
    want = sorted(((hashlib.md5(str(g).encode()).hexdigest(), c) for g, c in
                   ((int(k), c) for k, c in want)), key=lambda x: (-x[1], x[0].encode()))
    t.ok([(r[0], r[1]) for r in rows] == want, "categories() of 200 000 categories within 5 s, count desc then bytes",
         f"{rows[:3]} vs {want[:3]}")
    conn.execute("DROP TABLE big_cp")


# ---------------------------------------------------------------------------
# 14. category_counts: text round trip and rollup of per-group summaries on
#     hostile names (every ASCII control character, quotes, backslashes,
#     multibyte, 5 KB names, the empty string), counts from Python
def counts_roundtrip():
    import json
    alphabet = [chr(i) for i in range(1, 128)] + ['é', '日', '😀', 'ё']
    names = [''] + [''.join(rng.choice(alphabet, int(rng.integers(1, 12)))) for _ in range(300)]
    names += ['é' * 2500, 'x' * 5000]
    a = [names[i] for i in rng.integers(0, len(names), 3000)] + [None] * 4
    b = [names[i] for i in rng.integers(0, len(names) // 2, 2000)] + [None] * 9
    load(a, b)
    txt = conn.execute("SELECT driftmon.category_counts(c, cur)::text FROM ca").fetchone()[0]
    back = conn.execute("SELECT %s::driftmon.category_counts::text", (txt,)).fetchone()[0]
    t.ok(back == txt, "category_counts text round trip on hostile names")
    obj = json.loads(txt)
    A, B = counts_of(a), counts_of(b)
    want = [[x, A.get(x, 0), B.get(x, 0)] for x in sorted(set(A) | set(B), key=bkey)]
    t.ok(obj['categories'] == want and obj['missing_reference'] == 4 and obj['missing_current'] == 9
         and obj['n_reference'] == 3000 and obj['n_current'] == 2000,
         "category_counts text = Python counts in byte order", str(obj)[:300])
    rolled = conn.execute("SELECT driftmon.rollup(s)::text FROM (SELECT driftmon.category_counts(c, cur) s FROM ca GROUP BY g) z").fetchone()[0]
    t.ok(rolled == txt, "rollup of 7 group summaries = the summary of all rows")
    cols = [d.name for d in conn.execute("SELECT (driftmon.categorical_drift(%s::driftmon.category_counts)).*", (txt,)).description]
    row = dict(zip(cols, conn.execute("SELECT (driftmon.categorical_drift(%s::driftmon.category_counts)).*", (txt,)).fetchone()))
    check_drift("categorical_drift(category_counts) on hostile names", [row[c.strip()] for c in DRIFT_COLS.split(',')], a, b)


# ---------------------------------------------------------------------------
# 15. numeric profiles in exact mode: psi / js_divergence at 2, 3, 10, 17
#     bins equal psi_agg(..., 'quantile') / js_divergence on the same rows
#     (the documented rule) on constant, two-valued, tied, signed-zero and
#     subnormal samples; Hellinger from the same bins in numpy
def profile_bins_vs_aggregate():
    cases = [([3.0] * 10, [5.0, 5.0]), ([3.0] * 10, [3.0, 2.0]), ([1.0, 2.0], [1.5]),
             ([0.0] * 5 + [1.0] * 5, [0.0, 1.0, 1.0]),
             (list(rng.integers(0, 3, 50).astype(float)), list(rng.integers(0, 4, 70).astype(float))),
             ([-0.0, 0.0, 1.0], [0.0]), ([1.0], [1.0, 2.0]), ([5e-324, 0.0, 1e-320], [5e-324]),
             (list(rng.normal(size=1000)), list(rng.normal(0.5, 1, 500)))]
    for i, (a, b) in enumerate(cases):
        for bins in (2, 3, 10, 17):
            prof = conn.execute(
                "SELECT driftmon.psi(r, c, %s), driftmon.js_divergence(r, c, %s), driftmon.hellinger(r, c, %s) FROM "
                "(SELECT (SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v) r, "
                "(SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v) c) s", (bins, bins, bins, a, b)).fetchone()
            agg = conn.execute(
                "SELECT driftmon.psi_agg(v, f, %s, 'quantile'), driftmon.js_divergence(v, f, %s) "
                "FROM unnest(%s::float8[], %s::bool[]) u(v, f)",
                (bins, bins, a + b, [False] * len(a) + [True] * len(b))).fetchone()
            # Hellinger on the same right-closed bins at numpy's quantile edges
            edges = np.unique(np.quantile(np.array(a), np.arange(1, bins) / bins))
            ra = np.array(a)
            rb = np.array(b)
            cut = np.concatenate([[-np.inf], edges, [np.inf]])
            pa = np.array([np.sum((ra > lo) & (ra <= hi)) for lo, hi in zip(cut, cut[1:])]) / len(a)
            pb = np.array([np.sum((rb > lo) & (rb <= hi)) for lo, hi in zip(cut, cut[1:])]) / len(b)
            hel = float(np.sqrt(np.sum((np.sqrt(pa) - np.sqrt(pb)) ** 2) / 2))
            ok = (dmtest.rel_err(prof[0], agg[0]) <= 1e-12 and
                  (dmtest.rel_err(prof[1], agg[1]) <= 1e-12 or abs(prof[1] - agg[1]) <= 1e-15) and
                  (dmtest.rel_err(prof[2], hel) <= 1e-12 or abs(prof[2] - hel) <= 1e-15))
            t.ok(ok, f"profile bins case {i}, {bins} bins: psi / js = the aggregates, hellinger = numpy",
                 f"got {prof} want {agg} {hel}")


# ---------------------------------------------------------------------------
# 16. histogram forms with subnormal counts: a proportion of 5e-324 next to
#     the 1e-4 smoothing made 1e-4 / p overflow (psi = Infinity), and an
#     expected frequency that underflows to 0 gave a NaN statistic (scipy
#     raises "expected frequencies has a zero element").  PSI from the
#     definition in exact arithmetic (mpmath); the chi-square test must be
#     an error, as in scipy.
def subnormal_counts():
    import mpmath as mp
    for r, c in (([5e-324, 1.0], [0.0, 1.0]), ([1e-310, 1.0, 2.0], [1.0, 0.0, 3.0]), ([0.0, 1.0], [5e-324, 1.0]),
                 ([0.0, 1.0, 1.0], [1e-320, 1.0, 1.0]), ([1e-320, 1.0, 1.0], [0.0, 1.0, 1.0])):
        with mp.workdps(40):
            R = [mp.mpf(x) for x in r]
            C = [mp.mpf(x) for x in c]
            tr, tc = sum(R), sum(C)
            psi = mp.mpf(0)
            kl = mp.mpf(0)
            for x, y in zip(R, C):
                p = x / tr if x else mp.mpf('1e-4')
                q = y / tc if y else mp.mpf('1e-4')
                psi += (q - p) * mp.log(q / p)
                kl += p * mp.log(p / q)
            psi, kl = float(psi), float(kl)
        got = conn.execute("SELECT driftmon.psi_counts(%s::float8[], %s::float8[])", (r, c)).fetchone()[0]
        t.ok(dmtest.rel_err(got, psi) <= 1e-12, f"psi with subnormal counts {r} vs {c}: finite, = exact",
             f"got {got} want {psi}")
        if 5e-324 in r + c:
            continue  # its expected count underflows: categorical_drift_counts is an error (below)
        got = conn.execute("SELECT (driftmon.categorical_drift_counts(%s::float8[], %s::float8[])).kl_divergence",
                           (r, c)).fetchone()[0]
        t.ok(dmtest.rel_err(got, kl) <= 1e-12, f"kl with subnormal counts {r} vs {c}: finite, = exact",
             f"got {got} want {kl}")
    for fn in ("chi2_test_counts(%s::float8[], %s::float8[])", "categorical_drift_counts(%s::float8[], %s::float8[])"):
        try:
            v = conn.execute(f"SELECT driftmon.{fn}::text", ([5e-324, 1.0], [0.0, 1.0])).fetchone()[0]
            t.ok(False, f"{fn.split('(')[0]}: an expected frequency that underflows to 0 is an error", v)
        except psycopg.Error as e:
            t.ok(e.sqlstate == '22003', f"{fn.split('(')[0]}: an expected frequency that underflows to 0 is an error ({e.sqlstate})",
                 str(e))


# ---------------------------------------------------------------------------
# 17. many categories through chi2_test_counts: the statistic bit-identical
#     to scipy (numpy sums long arrays in 8192-element blocks, pairwise
#     inside each; the plain pairwise order differed in the last bits beyond
#     4096 categories), the p-value within 1e-13 at dof up to 1.7e5
def many_categories_counts():
    g = np.random.default_rng(11)  # these draws differed in the last bits before
    for k, shift in ((100000, 0.0), (100000, 0.02), (30000, 0.1), (200000, 0.0), (4097, 0.05)):
        w = g.dirichlet(np.ones(k))
        r = g.multinomial(3 * k, w)
        c = g.multinomial(2 * k, (1 - shift) * w + shift * g.dirichlet(np.ones(k)))
        keep = (r + c) > 0
        st = chi2_contingency(np.array([r[keep], c[keep]]))
        row = conn.execute("SELECT (x).statistic, (x).p_value, (x).dof FROM (SELECT driftmon.chi2_test_counts("
                           "%s::float8[], %s::float8[]) x) s", (r.tolist(), c.tolist())).fetchone()
        t.ok(row[0] == float(st[0]) and row[2] == st[2], f"k={k}: chi2 statistic bit-identical to scipy, dof",
             f"got {row} want {st[:3]}")
        t.close(row[1], float(st[1]), 1e-13, f"k={k}: chi2 p-value", metric='p_many_categories')


t.run(many_categories_counts)
t.run(subnormal_counts)
t.run(profile_bins_vs_aggregate)
t.run(counts_roundtrip)
t.run(categories_order)
t.run(profile_ks_equal_sizes)
t.run(empty_side)
t.run(profile_huge)
t.run(yates_small)
t.run(tail_pvalues)
t.run(edge_tables)
t.run(collation)
t.run(many_categories)
t.run(psi_smoothing)
t.run(profile_exact)
t.run(profile_sketch)
t.run(profile_ranges)
for tab in ('ca', 'cg', 'cc_c', 'cc_x'):
    conn.execute(f"DROP TABLE IF EXISTS {tab}")
t.done()
