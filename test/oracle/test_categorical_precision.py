"""Categorical divergences on nearly identical histograms, and top-mover ties.

What the other categorical oracle files do not cover: two histograms whose
shares differ in the 6th to 16th digit.  p - q rounded from the two
quotients keeps few or no correct digits there, and the old per-bin
formulas inherited that: JS, PSI, Hellinger and total variation were off by
up to 2e-4 relative, and KL(reference || current), a sum of terms of both
signs, came out as rounding noise (-1e-16 for a true 2e-19, or 1e-16 for a
true 2e-24).  Also: the top mover among categories whose |q - p| tie
exactly (documented: the smallest by bytes wins) must not depend on how the
two quotients round, and a histogram bin empty on both sides is no
category, so it is never the top mover.

References: the definitions evaluated in mpmath at 60 digits on the exact
counts, and exact fractions for the top mover.  Every form is checked: the
histogram forms, category_counts (built from its text form, so counts up to
1e15 cost nothing), and the aggregate and text-array forms on real rows.
"""
import os
import sys
from fractions import Fraction

import mpmath as mp
import numpy as np
import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

t = dmtest.Tap('categorical_precision')
conn = dmtest.connect()
rng = np.random.default_rng(20261124)
mp.mp.dps = 60
EMPTY = mp.mpf('1e-4')
RTOL = 1e-13
METRICS = ('psi', 'js_divergence', 'kl_divergence', 'hellinger', 'total_variation', 'linf')


def exact(ref, cur, number=lambda x: mp.mpf(int(x))):
    """Every divergence from its definition, in mpmath, on exact counts
    (number: how a count becomes an mpmath number)."""
    R = [number(x) for x in ref]
    C = [number(x) for x in cur]
    tr, tc = sum(R), sum(C)
    out = dict.fromkeys(('psi', 'js_divergence', 'kl_divergence', 'hellinger', 'total_variation'), mp.mpf(0))
    out['linf'] = mp.mpf(0)
    for a, b in zip(R, C):
        p, q = a / tr, b / tc
        m = (p + q) / 2
        if p > 0:
            out['js_divergence'] += p * mp.log(p / m) / 2
        if q > 0:
            out['js_divergence'] += q * mp.log(q / m) / 2
        ps = p if p > 0 else EMPTY
        qs = q if q > 0 else EMPTY
        if a + b > 0:
            out['psi'] += (qs - ps) * mp.log(qs / ps)
            out['kl_divergence'] += ps * mp.log(ps / qs)
        out['hellinger'] += (mp.sqrt(p) - mp.sqrt(q)) ** 2
        out['total_variation'] += abs(p - q)
        out['linf'] = max(out['linf'], abs(p - q))
    out['js_divergence'] /= mp.log(2)
    out['hellinger'] = mp.sqrt(out['hellinger'] / 2)
    out['total_variation'] /= 2
    return {k: float(v) for k, v in out.items()}


def exact_top(names, ref, cur, by_position=False):
    """Top mover over exact shares: largest |q - p|, ties to the smallest
    name by bytes (histogram forms: to the first bin), bins empty on both
    sides excluded; and its q - p."""
    tr, tc = sum(int(x) for x in ref), sum(int(x) for x in cur)
    best = None
    for j, (n, a, b) in enumerate(zip(names, ref, cur)):
        if a == 0 and b == 0:
            continue
        d = Fraction(int(b), tc) - Fraction(int(a), tr)
        key = (-abs(d), j if by_position else n.encode())
        if best is None or key < best[0]:
            best = (key, n, float(d))
    return best[1], best[2]


def check(name, got, want, metrics=METRICS):
    """One assertion: every metric of got within RTOL of want; KL >= 0."""
    bad = []
    for key in metrics:
        e = dmtest.rel_err(got[key], want[key])
        t.note_err(key, e, name)
        if e > RTOL:
            bad.append(f"{key}: got {got[key]!r} want {want[key]!r} ({e:.3g})")
    if 'kl_divergence' in got and got['kl_divergence'] is not None and got['kl_divergence'] < 0:
        bad.append(f"kl_divergence negative: {got['kl_divergence']!r}")
    t.ok(not bad, name, '\n'.join(bad))


def counts_text(names, ref, cur):
    """A category_counts literal (names sorted by bytes, no empty category)."""
    rows = sorted(((n, int(a), int(b)) for n, a, b in zip(names, ref, cur) if a + b > 0),
                  key=lambda r: r[0].encode())
    cats = ','.join(f'["{n}",{a},{b}]' for n, a, b in rows)
    return ('{"version":1,"n_reference":%d,"n_current":%d,"missing_reference":0,"missing_current":0,'
            '"categories":[%s]}' % (sum(r[1] for r in rows), sum(r[2] for r in rows), cats))


DRIFT = ', '.join(f'(d).{m}' for m in METRICS) + ', (d).top_mover, (d).top_mover_delta'


def drift_row(sql, args):
    row = conn.execute(f"SELECT {DRIFT} FROM (SELECT {sql} d) s", args).fetchone()
    got = dict(zip(METRICS, row[:len(METRICS)]))
    got['top_mover'], got['top_mover_delta'] = row[len(METRICS)], row[len(METRICS) + 1]
    return got


def near_identical_cases():
    """Hand-made and random pairs whose shares agree to 6..16 digits."""
    cases = [
        ([10 ** 9 + 1, 10 ** 9 - 1], [10 ** 9, 10 ** 9]),
        ([10 ** 12 + 1, 10 ** 12], [10 ** 12, 10 ** 12 + 1]),
        ([3 * 10 ** 12 + 7, 10 ** 12, 5 * 10 ** 11], [3 * 10 ** 12, 10 ** 12 + 3, 5 * 10 ** 11]),
        ([7, 3], [700000001, 300000000]),
        ([10 ** 6 + 1, 10 ** 6], [10 ** 6, 10 ** 6 + 1]),
        # with an unseen and a vanished category next to the near-equal ones
        ([10 ** 12 + 1, 10 ** 12, 0, 3], [10 ** 12, 10 ** 12 + 1, 5, 0]),
    ]
    for _ in range(40):
        k = int(rng.integers(2, 40))
        scale = 10.0 ** rng.uniform(6, 15)
        w = rng.dirichlet(np.ones(k))
        ref = np.maximum(1, np.round(w * scale)).astype(np.int64)
        f = int(rng.integers(1, 4))
        eps = rng.integers(-3, 4, k)
        cur = np.maximum(0, f * ref + eps).astype(np.int64)
        if cur.sum() == 0:
            cur[0] = 1
        cases.append(([int(x) for x in ref], [int(x) for x in cur]))
    return cases


def test_counts_and_summaries():
    for i, (ref, cur) in enumerate(near_identical_cases()):
        want = exact(ref, cur)
        names = [f"c{j:03d}" for j in range(len(ref))]
        fr = [float(x) for x in ref]
        fc = [float(x) for x in cur]
        got = drift_row("driftmon.categorical_drift_counts(%s::float8[], %s::float8[], %s::text[])", (fr, fc, names))
        check(f"case {i} (k={len(ref)}, n={sum(ref):.3g}): categorical_drift_counts", got, want)
        js, psi = conn.execute("SELECT driftmon.js_divergence_counts(%s::float8[], %s::float8[]), "
                               "driftmon.psi_counts(%s::float8[], %s::float8[])", (fr, fc, fr, fc)).fetchone()
        check(f"case {i}: js_divergence_counts, psi_counts", {'js_divergence': js, 'psi': psi}, want,
              ('js_divergence', 'psi'))
        txt = counts_text(names, ref, cur)
        got = drift_row("driftmon.categorical_drift(%s::driftmon.category_counts)", (txt,))
        check(f"case {i}: categorical_drift(category_counts)", got, want)
        tm, td = exact_top(names, ref, cur, by_position=True)  # names are in byte order anyway
        t.ok(got['top_mover'] == tm and dmtest.rel_err(got['top_mover_delta'], td) <= RTOL,
             f"case {i}: top mover = exact", f"got {got['top_mover']!r} {got['top_mover_delta']!r} want {tm!r} {td!r}")
        # category_table: each contribution is that category's exact PSI term
        rows = conn.execute("SELECT category, psi_contribution FROM driftmon.category_table(%s::driftmon.category_counts)",
                            (txt,)).fetchall()
        tr, tc = mp.mpf(sum(ref)), mp.mpf(sum(cur))
        worst = 0.0
        for n, contrib in rows:
            j = names.index(n)
            p, q = mp.mpf(ref[j]) / tr, mp.mpf(cur[j]) / tc
            ps = p if p > 0 else EMPTY
            qs = q if q > 0 else EMPTY
            w = float((qs - ps) * mp.log(qs / ps))
            worst = max(worst, dmtest.rel_err(contrib, w) if w != 0 else abs(contrib))
        t.note_err('psi_contribution', worst, i)
        t.ok(worst <= RTOL, f"case {i}: category_table psi_contribution = exact terms", f"worst {worst:.3g}")


def test_rows():
    """The aggregate (over generated rows) and the text-array forms."""
    # 2,000,001 rows: shares 1000001/2000001 vs 1/2 differ in the 7th digit
    want = exact([1000001, 1000000], [1000000, 1000000])
    row = conn.execute(
        f"SELECT {DRIFT} FROM (SELECT driftmon.categorical_drift(c, cur) d FROM ("
        "SELECT CASE WHEN g <= 1000001 THEN 'a' ELSE 'b' END AS c, false AS cur FROM generate_series(1, 2000001) g "
        "UNION ALL SELECT CASE WHEN g <= 1000000 THEN 'a' ELSE 'b' END, true FROM generate_series(1, 2000000) g) u) s"
    ).fetchone()
    got = dict(zip(METRICS, row))
    check("aggregate over 4,000,001 rows, shares equal to 6 digits", got, want)
    js, psi = conn.execute(
        "SELECT driftmon.js_divergence(c, cur), driftmon.psi_agg(c, cur) FROM ("
        "SELECT CASE WHEN g <= 1000001 THEN 'a' ELSE 'b' END AS c, false AS cur FROM generate_series(1, 2000001) g "
        "UNION ALL SELECT CASE WHEN g <= 1000000 THEN 'a' ELSE 'b' END, true FROM generate_series(1, 2000000) g) u"
    ).fetchone()
    check("js_divergence / psi_agg aggregates, same rows", {'js_divergence': js, 'psi': psi}, want,
          ('js_divergence', 'psi'))
    # text arrays: 20001 vs 20000 rows
    a = ['x'] * 10001 + ['y'] * 10000
    b = ['x'] * 10000 + ['y'] * 10000
    want = exact([10001, 10000], [10000, 10000])
    got = drift_row("driftmon.categorical_drift(%s::text[], %s::text[])", (a, b))
    check("text arrays, 20001 vs 20000 rows", got, want)
    js, psi = conn.execute("SELECT driftmon.js_divergence(%s::text[], %s::text[]), driftmon.psi_agg(%s::text[], %s::text[])",
                           (a, b, a, b)).fetchone()
    check("js_divergence / psi_agg text arrays", {'js_divergence': js, 'psi': psi}, want, ('js_divergence', 'psi'))


def test_top_mover_ties():
    """Exact ties in |q - p| that float rounding breaks: the smallest name
    (the histogram form: the first bin, as documented)."""
    hand = [
        # a: 5000/5001 -> 1 (+1/5001), b: 1/5001 -> 0 (-1/5001): a tie
        (['a', 'b'], [5000, 1], [5000, 0]),
        # '': 0 -> 2/3, a: 1 -> 1/3: a tie at 2/3
        (['', 'a'], [0, 4], [2, 1]),
        (['b', 'a'], [1, 5000], [0, 5000]),
    ]
    cases = list(hand)
    # random small tables; keep those with an exact tie at the top whose
    # float quotients differ (the tie rounding can break)
    tries = 0
    while len(cases) < len(hand) + 40 and tries < 20000:
        tries += 1
        k = int(rng.integers(2, 5))
        ref = [int(x) for x in rng.integers(0, 12, k)]
        cur = [int(x) for x in rng.integers(0, 12, k)]
        if sum(ref) == 0 or sum(cur) == 0:
            continue
        d = [Fraction(c, sum(cur)) - Fraction(r, sum(ref)) for r, c in zip(ref, cur)]
        top = max(abs(x) for x in d)
        tied = [j for j in range(k) if abs(d[j]) == top and ref[j] + cur[j] > 0]
        fl = {abs(cur[j] / sum(cur) - ref[j] / sum(ref)) for j in tied}
        if len(tied) > 1 and len(fl) > 1:
            cases.append(([f"k{j}" for j in range(k)], ref, cur))
    t.ok(len(cases) > len(hand) + 10, f"found {len(cases) - len(hand)} random tables with a rounding-broken tie")
    for i, (names, ref, cur) in enumerate(cases):
        tm, td = exact_top(names, ref, cur)
        forms = {
            'counts': drift_row("driftmon.categorical_drift_counts(%s::float8[], %s::float8[], %s::text[])",
                                ([float(x) for x in ref], [float(x) for x in cur], names)),
            'category_counts': drift_row("driftmon.categorical_drift(%s::driftmon.category_counts)",
                                         (counts_text(names, ref, cur),)),
            'text arrays': drift_row("driftmon.categorical_drift(%s::text[], %s::text[])",
                                     ([n for n, r in zip(names, ref) for _ in range(r)],
                                      [n for n, c in zip(names, cur) for _ in range(c)])),
        }
        bad = []
        for f, g in forms.items():
            wm, wd = exact_top(names, ref, cur, by_position=True) if f == 'counts' else (tm, td)
            if g['top_mover'] != wm or dmtest.rel_err(g['top_mover_delta'], wd) > 1e-15:
                bad.append(f"{f}: got {g['top_mover']!r} {g['top_mover_delta']!r} want {wm!r} {wd!r}")
        t.ok(not bad, f"tie case {i} {list(zip(names, ref, cur))}: top mover = smallest tied name", '\n'.join(bad))


def test_top_mover_empty_bin():
    """A bin empty on both sides is no category: never the top mover, also
    when no share moves (it used to be reported as bin 1)."""
    for ref, cur, names in (([0, 5], [0, 5], ['x', 'y']), ([0, 0, 3, 1], [0, 0, 3, 1], None),
                            ([0, 2, 2], [0, 1, 1], ['e', 'f', 'g'])):
        g = drift_row("driftmon.categorical_drift_counts(%s::float8[], %s::float8[], %s::text[])",
                      ([float(x) for x in ref], [float(x) for x in cur], names))
        nm = names or [str(j + 1) for j in range(len(ref))]
        tm, td = exact_top(nm, ref, cur, by_position=True)
        t.ok(g['top_mover'] == tm and g['top_mover_delta'] == td and str(g['top_mover_delta']) == str(td),
             f"counts {ref} vs {cur}: top mover {tm!r} (not an empty bin), delta {td}",
             f"got {g['top_mover']!r} {g['top_mover_delta']!r}")


def test_table_swapped_shares():
    """category_table: two categories that swap shares (p_a = q_b, q_a = p_b)
    have the same PSI contribution (q - p) ln(q / p), so they are ordered by
    bytes (documented), and their contributions are the same number.  The
    order used to follow the last bit of two differently rounded logarithms."""
    cases = [({'a': 3, 'b': 2}, {'a': 2, 'b': 3}),
             ({'a': 3, 'b': 4, 'c': 3}, {'a': 8, 'b': 6, 'c': 6})]
    for _ in range(60):
        # totals tr, tc = tr * f; pairs (x, y) -> (x, y f) and (y, x f) swap shares
        f = int(rng.integers(1, 4))
        ref, cur = {}, {}
        npairs = int(rng.integers(1, 5))
        for j in range(npairs):
            x, y = (int(v) for v in rng.integers(1, 30, 2))
            ref[f"s{j}a"], cur[f"s{j}a"] = x, y * f
            ref[f"s{j}b"], cur[f"s{j}b"] = y, x * f
        ref['zz'] = int(rng.integers(1, 20))
        cur['zz'] = ref['zz'] * f
        cases.append((ref, cur))
    for i, (ref, cur) in enumerate(cases):
        names = sorted(ref, key=lambda n: n.encode())
        tr, tc = sum(ref.values()), sum(cur.values())
        val = {}

        def contribution(n):
            p, q = Fraction(ref[n], tr), Fraction(cur[n], tc)
            pair = (min(p, q), max(p, q))  # the term is symmetric in p, q
            if pair not in val:
                val[pair] = (mp.mpf(pair[1].numerator) / pair[1].denominator
                             - mp.mpf(pair[0].numerator) / pair[0].denominator) * mp.log(
                    (mp.mpf(pair[1].numerator) / pair[1].denominator)
                    / (mp.mpf(pair[0].numerator) / pair[0].denominator)) if pair[0] != pair[1] else mp.mpf(0)
            return pair, val[pair]

        want = sorted(names, key=lambda n: (-contribution(n)[1], n.encode()))
        txt = counts_text(names, [ref[n] for n in names], [cur[n] for n in names])
        rows = conn.execute("SELECT category, psi_contribution FROM driftmon.category_table(%s::driftmon.category_counts)",
                            (txt,)).fetchall()
        got = [r[0] for r in rows]
        by_pair = {}
        for n, c in rows:
            by_pair.setdefault(contribution(n)[0], set()).add(c)
        same = all(len(v) == 1 for v in by_pair.values())
        t.ok(got == want and same, f"swapped shares case {i} ({len(names)} categories): order by contribution, "
             "then bytes; equal contributions equal", f"got {rows} want {want}")


def test_top_mover_large_ties():
    """Exact ties at large totals (10^9 to 4.6e18 rows): a category going
    from tr - 1 to all of the current rows and one going from 1 to 0 move
    by 1/tr each.  The shares' quotients round differently once tr tc
    exceeds 2^53, so the comparison must be exact (128-bit integers)."""
    r = np.random.default_rng(7)
    for i, n in enumerate([999999937, 10 ** 12 + 39, 2 ** 53 - 111, 3 * 10 ** 15 + 7, 4611686018427387847]):
        for trial in range(16):
            tr = n + int(r.integers(0, 1000))
            tc = tr if trial % 2 == 0 else n + int(r.integers(0, 1000))
            extra = int(r.integers(0, 3))  # extra categories that move less
            names = ['a', 'b'] + [f"c{j}" for j in range(extra)]
            ref = [tr - 1 - 5 * extra, 1] + [5] * extra
            cur = [tc - 5 * extra, 0] + [5] * extra
            tm, td = exact_top(names, ref, cur)
            got = drift_row("driftmon.categorical_drift(%s::driftmon.category_counts)", (counts_text(names, ref, cur),))
            ok = got['top_mover'] == tm and dmtest.rel_err(got['top_mover_delta'], td) <= 1e-15
            if tr < 2 ** 53 and tc < 2 ** 53:
                g2 = drift_row("driftmon.categorical_drift_counts(%s::float8[], %s::float8[], %s::text[])",
                               ([float(x) for x in ref], [float(x) for x in cur], names))
                ok = ok and g2['top_mover'] == tm and dmtest.rel_err(g2['top_mover_delta'], td) <= 1e-15
            else:
                g2 = None
            t.ok(ok, f"large tie {i}.{trial}: tr={tr} tc={tc}, {extra} more categories: top mover {tm!r}",
                 f"got {got['top_mover']!r} {got['top_mover_delta']!r} / {g2 and (g2['top_mover'], g2['top_mover_delta'])}"
                 f" want {tm!r} {td!r}")


def exact_float(ref, cur):
    """exact() for float counts: the definitions on the exact sums of the
    given doubles (no rounding of the totals)."""
    return exact(ref, cur, mp.mpf)


def test_fractional_histograms():
    """Histograms given as shares (fractional counts, such as probabilities)
    that agree to 6..15 digits: their totals round, and the shares' exact
    differences need the totals' rounding residue too."""
    r = np.random.default_rng(11)
    cases = [([0.3, 0.7], [0.3000000001, 0.6999999999]), ([0.1, 0.2, 0.7], [0.1 + 1e-13, 0.2, 0.7 - 1e-13])]
    for _ in range(30):
        k = int(r.integers(2, 30))
        w = r.dirichlet(np.ones(k))
        eps = 10.0 ** r.uniform(-15, -6)
        cases.append(([float(x) for x in w], [float(x) for x in w * (1 + eps * r.normal(size=k))]))
    for i, (ref, cur) in enumerate(cases):
        want = exact_float(ref, cur)
        got = drift_row("driftmon.categorical_drift_counts(%s::float8[], %s::float8[])", (ref, cur))
        check(f"fractional case {i} (k={len(ref)}): categorical_drift_counts", got, want)
        js, psi = conn.execute("SELECT driftmon.js_divergence_counts(%s::float8[], %s::float8[]), "
                               "driftmon.psi_counts(%s::float8[], %s::float8[])", (ref, cur, ref, cur)).fetchone()
        check(f"fractional case {i}: js_divergence_counts, psi_counts", {'js_divergence': js, 'psi': psi}, want,
              ('js_divergence', 'psi'))


t.run(test_counts_and_summaries)
t.run(test_rows)
t.run(test_top_mover_ties)
t.run(test_top_mover_empty_bin)
t.run(test_table_swapped_shares)
t.run(test_top_mover_large_ties)
t.run(test_fractional_histograms)
t.done()
