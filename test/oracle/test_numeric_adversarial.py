"""Adversarial oracle cases for the numeric drift functions (review of
issue 3), beyond the random cases of test_numeric_drift.py.

Every expected value comes from scipy 1.10 / numpy or from exact arithmetic
(fractions.Fraction, integer lattice-path counts in ksexact), never from
driftmon.  Where scipy or numpy is wrong (their sums, differences or
histogram widths overflow near 1.8e308, scipy's exact KS falls back to the
asymptotic formula), the case is compared with exact arithmetic and a
comment says so.

Sections:
  moments     numeric_drift mean / std / wasserstein_normed of constant and
              symmetric samples (exact mean, std 0, normed NULL), random
              means vs the exact rational mean, std vs exact, percentiles
              vs numpy (and vs the exact lerp where numpy overflows)
  ks          n = 1 sides, 1 vs 20000, the exact/asymp switch at 10000,
              all-tied data, fully separated samples with p down to 1e-179,
              subnormal p and p that underflows to 0, -0.0 vs 0.0,
              subnormal and +-1.7e308 values; every alternative and method;
              statistic, location, sign and method vs scipy, p vs scipy or
              the exact path count
  binning     'sturges' at n1 + n2 = 2^k (numpy's ceil(ptp / width) gives
              k + 1 bins there), 'uniform' and 'sturges' on constant
              features, 'quantile' on discrete features with collapsing
              edges (bins up to 10000), huge values vs exact binning
  wasserstein ties, huge spread, subnormals vs exact rational integrals
  parallel    forced parallel plans over many small groups: every function
              equals the serial plan exactly and scipy
  arrays      NULL elements, empty and multidimensional arrays
"""
import math
import os
import sys
import time
import warnings
from fractions import Fraction

import mpmath
import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
from ksexact import exact_fraction  # noqa: E402
from driftref import hist, psi_ref, js_ref  # noqa: E402

mpmath.mp.dps = 40
DBL_MAX = sys.float_info.max
T0 = time.time()
t = dmtest.Tap('numeric_adv')
conn = dmtest.connect()
rng = np.random.default_rng(20261124)


def fl(x):
    return [float(v) for v in x]


def nd_array(a, b):
    r = conn.execute("SELECT (driftmon.numeric_drift(%s::float8[], %s::float8[])).*",
                     (fl(a), fl(b)))
    return dict(zip([d.name for d in r.description], r.fetchone()))


def exact_mean(x):
    return sum(map(Fraction, x)) / len(x)


def exact_std(x):
    """sqrt of the exact ddof=1 variance, in 40-digit mpmath."""
    fx = [Fraction(v) for v in x]
    m = sum(fx) / len(fx)
    var = sum((v - m) ** 2 for v in fx) / (len(fx) - 1)
    return float(mpmath.sqrt(mpmath.mpf(var.numerator) / var.denominator))


def ulps(got, want):
    if got == want:
        return 0.0
    return abs(got - want) / (math.ulp(want) if want != 0 else 5e-324)


# ---------------------------------------------------------------- moments
def test_moments():
    """Constant samples: mean v exactly, std 0, wasserstein_normed NULL.
    Before the fix, 3 x 0.1 gave mean 0.10000000000000002 (outside
    [min, max]), std 1.7e-17 and wasserstein_normed 5.9e15 against a
    current window of 0.2; 3 x DBL_MAX gave mean NaN."""
    global rng
    rng = np.random.default_rng(20261124)   # per section: cases stay put
    vals = [0.1, 0.3, 0.7, 1 / 3, 2 / 3, math.pi, -463736969.52465373, 1e-5,
            2.7748474003226876e-11, 1e300, DBL_MAX, -DBL_MAX, 5e-324, 0.0]
    for v in vals:
        for n in (2, 3, 7, 1486, 1551):
            cur = [v * 0.5 + 1.0] * 4 if abs(v) < 1e300 else [1.0]
            d = nd_array([v] * n, cur)
            want_mean = float(exact_mean([v] * n))       # = v
            t.ok(d['mean_reference'] == want_mean and d['std_reference'] == 0.0
                 and d['wasserstein_normed'] is None,
                 f"numeric_drift of {n} x {v!r}: mean {want_mean!r}, std 0, wasserstein_normed NULL",
                 f"got mean {d['mean_reference']!r} std {d['std_reference']!r} "
                 f"normed {d['wasserstein_normed']!r}")
    # the same through the aggregate, with the values spread over many rows
    conn.execute("DROP TABLE IF EXISTS adv_const")
    conn.execute("CREATE TEMP TABLE adv_const AS SELECT g, "
                 "(ARRAY[0.1, 0.7, 3.141592653589793]::float8[])[g] AS v, i % 3 = 0 AS f "
                 "FROM generate_series(1, 3) g, generate_series(1, 1551) i")
    for g, m0, m1, s0, s1, wn in conn.execute(
            "SELECT g, (d).mean_reference, (d).mean_current, (d).std_reference, "
            "(d).std_current, (d).wasserstein_normed FROM (SELECT g, "
            "driftmon.numeric_drift(v, f) d FROM adv_const GROUP BY g) s ORDER BY g"):
        v = [0.1, 0.7, math.pi][g - 1]
        t.ok(m0 == v and m1 == v and s0 == 0.0 and s1 == 0.0 and wn is None,
             f"aggregate numeric_drift of 1551 x {v!r}: exact mean, std 0, normed NULL",
             f"got {m0!r} {m1!r} {s0!r} {s1!r} {wn!r}")
    # symmetric samples: exact mean v (a double), std vs exact
    for k in range(40):
        v = 0.55 + 0.4 * float(rng.random())
        u = math.ulp(v)
        d = (rng.integers(1, 1000, int(rng.integers(1, 300))) * u).tolist()
        x = [v - e for e in d] + [v + e for e in d]
        r = nd_array(x, [0.0])
        t.ok(r['mean_reference'] == v, f"mean of {len(x)} values symmetric about {v!r}",
             f"got {r['mean_reference']!r}")
        t.close(r['std_reference'], exact_std(x), 1e-15,
                f"std of {len(x)} values symmetric about {v!r} vs exact", metric='std_vs_exact')
    # percentiles where numpy's b - a overflows (values +-[0.5, 1]e308):
    # numpy returns +-inf or NaN; the exact lerp of numpy's formula instead
    for k in range(30):
        n = int(rng.integers(2, 30))
        x = (rng.choice([-1.0, 1.0], n) * rng.uniform(0.5, 1.0, n) * 1e308).tolist()
        x[0], x[-1] = -1e308, 1e308
        r = nd_array(x, [1.0])
        xs = sorted(Fraction(v) for v in x)
        for key, q in (('p05_reference', 0.05), ('p50_reference', 0.5), ('p95_reference', 0.95)):
            vi = (n - 1) * q
            f = math.floor(vi)
            want = xs[-1] if vi >= n - 1 else xs[f] + (xs[f + 1] - xs[f]) * Fraction(vi - f)
            t.close(r[key], float(want), 1e-15, f"{key} of {n} values in +-1e308 vs exact lerp",
                    atol=1e-15 * 1e308, metric='percentile_huge_vs_exact')
    # wasserstein_normed = W / std(ddof=1) (scipy, numpy); the README's
    # conversion to Evidently's max(np.std(ref), 0.001) (ddof=0) holds
    for k in range(20):
        n1 = int(rng.integers(2, 60))
        sc = 10.0 ** float(rng.uniform(-5, 1))
        a = rng.normal(0, sc, n1)
        b = rng.normal(sc, sc, int(rng.integers(1, 60)))
        r = nd_array(a, b)
        w = float(stats.wasserstein_distance(a, b))
        t.close(r['wasserstein_normed'], w / float(np.std(a, ddof=1)), 1e-12,
                f"wasserstein_normed of {n1} values = W / std(ddof=1)", metric='wasserstein_normed')
        evidently = w / max(float(np.std(a)), 0.001)
        conv = r['wasserstein'] / max(r['std_reference'] * math.sqrt((n1 - 1) / n1), 0.001)
        t.close(conv, evidently, 1e-12, f"README conversion to Evidently's normed Wasserstein (n={n1}, "
                f"std {np.std(a):.2g})", metric='evidently_conversion')
    # std where squares lose everything: a large offset with a tiny spread,
    # squares that underflow (spread ~1e-130) or overflow (spread ~1e200)
    for k in range(30):
        n = int(rng.integers(2, 200))
        kind = k % 3
        if kind == 0:
            x = (1e9 + rng.normal(0, 1e-3, n)).tolist()
        elif kind == 1:
            x = (rng.normal(0, 1, n) * 1e-130).tolist()
        else:
            x = (rng.normal(0, 1, n) * 1e200).tolist()
        r = nd_array(x, [0.0])
        t.close(r['std_reference'], exact_std(x), 1e-14,
                f"std of {n} values ({['offset 1e9', 'spread 1e-130', 'spread 1e200'][kind]}) vs exact",
                metric='std_extreme_vs_exact')
        t.close(r['mean_reference'], float(exact_mean(x)), 2.3e-16,
                f"mean of {n} values ({['offset 1e9', 'spread 1e-130', 'spread 1e200'][kind]}) vs exact",
                metric='mean_extreme_vs_exact')
    # random samples: the mean is the exact rational mean rounded once (1
    # ulp); with a cancelling pair of +-1e16 times the scale (condition
    # number ~1e15) the compensated sum keeps ~1e-14 relative (numpy's
    # pairwise mean loses every digit there)
    for k in range(60):
        n = int(rng.integers(2, 400))
        scale = 10.0 ** float(rng.uniform(-5, 5))
        x = (rng.normal(0, 1, n) * scale).tolist()
        if k % 3 == 0:
            x += [1e16 * scale, -1e16 * scale]            # large cancelling pair
        r = nd_array(x, [0.0])
        want = float(exact_mean(x))
        e = ulps(r['mean_reference'], want)
        if k % 3 == 0:
            t.close(r['mean_reference'], want, 1e-13,
                    f"mean of {len(x)} random values with a cancelling +-1e16 pair vs exact",
                    metric='mean_cancelling_vs_exact')
        else:
            t.note_err('mean_ulps_vs_exact', e, f"case {k}")
            t.ok(e <= 1.0, f"mean of {len(x)} random values within 1 ulp of exact ({e:.2g} ulp)",
                 f"got {r['mean_reference']!r} want {want!r}")
        t.close(r['std_reference'], exact_std(x), 1e-14,
                f"std of {len(x)} random values vs exact", metric='std_vs_exact')
        for key, q in (('p05_reference', 5), ('p50_reference', 50), ('p95_reference', 95)):
            want_q = float(np.percentile(x, q))
            t.ok(r[key] == want_q, f"{key} of {len(x)} random values == numpy percentile",
                 f"got {r[key]!r} want {want_q!r}")


# ---------------------------------------------------------------- KS
def exact_h(x, y):
    """(h+, h-) exactly, independent of driftmon: at every pooled value,
    e = i*n2 - j*n1 with i, j the counts <= value; h = max e / gcd."""
    n1, n2 = len(x), len(y)
    g = math.gcd(n1, n2)
    xs, ys = np.sort(x), np.sort(y)
    allv = np.concatenate([xs, ys])
    i = np.searchsorted(xs, allv, side='right').astype(object)
    j = np.searchsorted(ys, allv, side='right').astype(object)
    e = [a * n2 - b * n1 for a, b in zip(i, j)]
    return max(max(e), 0) // g, max(max(-v for v in e), 0) // g


def ks_sql(a, b, alt, method, form):
    if form == 'array':
        return conn.execute(
            "SELECT (k).* FROM (SELECT driftmon.ks_test(%s::float8[], %s::float8[], %s, %s) k) s",
            (fl(a), fl(b), alt, method)).fetchone()
    conn.execute("TRUNCATE adv_ks")
    with conn.cursor() as c:
        with c.copy("COPY adv_ks FROM STDIN") as cp:
            for flag, arr in (('f', a), ('t', b)):
                cp.write(''.join(f"{float(v)!r}\t{flag}\n" for v in arr))
    return conn.execute("SELECT (k).* FROM (SELECT driftmon.ks_test(v, f, %s, %s) k FROM adv_ks) s",
                        (alt, method)).fetchone()


def check_ks(name, a, b, alt, method, form='array'):
    a, b = np.asarray(a, float), np.asarray(b, float)
    n1, n2 = len(a), len(b)
    got = ks_sql(a, b, alt, method, form)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        r = stats.ks_2samp(a, b, alternative=alt, method=method)
    fell_back = any('Switching' in str(m.message) or 'not possible' in str(m.message) for m in w)
    used = method if method != 'auto' else ('exact' if max(n1, n2) <= 10000 else 'asymp')
    if used == 'asymp' and alt == 'two-sided' and n1 == 1 and n2 == 1:
        used = 'exact'          # scipy: kstwo with n = round(1/2) = 0 -> NaN
    g = math.gcd(n1, n2)
    lcm = n1 * n2 // g
    hp, hm = exact_h(a, b)
    h = {'two-sided': max(hp, hm), 'greater': hp, 'less': hm}[alt]
    tag = f"{form} ks_test {name} n={n1},{n2} {alt} {method}"
    # statistic: exact h / lcm (scipy's asymp path rounds i/n1 - j/n2)
    t.ok(got[0] == float(Fraction(h, lcm)) and dmtest.rel_err(got[0], float(r.statistic)) <= 1e-12,
         tag + ": statistic = h/lcm", f"got {got[0]!r} h/lcm {float(Fraction(h, lcm))!r} scipy {r.statistic!r}")
    t.ok(got[2] == float(r.statistic_location) and got[3] == int(r.statistic_sign)
         and got[4] == n1 and got[5] == n2 and got[6] == used,
         tag + ": location, sign, counts, method as scipy",
         f"got {got[2:]!r} want ({r.statistic_location!r}, {r.statistic_sign}, {n1}, {n2}, {used})")
    # p-value: the exact path count where it is affordable or scipy is
    # wrong (fell back / 1 vs 1 asymp); scipy otherwise
    if used == 'exact' and (n1 * n2 <= 400000 or fell_back):
        want = float(exact_fraction(n1, n2, h, alt == 'two-sided'))
        if want < 2.2250738585072014e-308:
            # subnormal or underflowing p: within 2 subnormal steps
            t.ok(abs(got[1] - want) <= 1e-323, tag + f": p {want!r} (subnormal) vs exact",
                 f"got {got[1]!r}")
        else:
            t.close(got[1], want, 2e-14, tag + f": p {want:.6g} vs exact path count",
                    metric='ks_p_vs_exact')
    else:
        assert not fell_back, tag
        rtol = 1e-10 if (alt != 'two-sided' and n1 != n2 and used == 'exact') else 1e-11
        t.close(got[1], float(r.pvalue), rtol, tag + f": p {r.pvalue:.6g} vs scipy",
                metric='ks_p_vs_scipy')


def test_ks():
    global rng
    rng = np.random.default_rng(20261125)   # per section: cases stay put
    conn.execute("DROP TABLE IF EXISTS adv_ks")
    conn.execute("CREATE TEMP TABLE adv_ks (v float8, f bool)")
    big = rng.normal(0, 1, 20000)
    cases = [
        ('1 vs 1 equal', [1.0], [1.0]),
        ('1 vs 1 apart', [0.0], [1.0]),
        ('1 vs 2', [0.5], [0.0, 1.0]),
        ('1 vs 10000 (auto exact)', [0.3], big[:10000]),
        ('1 vs 10001 (auto asymp)', [0.3], big[:10001]),
        ('1 vs 20000 below', [-9.0], big),
        ('20000 vs 1 above', big, [9.0]),
        ('2 vs 10000', [-9.0, 9.0], big[:10000]),
        ('all tied one value', [4.0] * 50, [4.0] * 70),
        ('constant vs constant', [4.0] * 50, [5.0] * 70),
        ('-0.0 vs 0.0', [-0.0] * 5, [0.0] * 3),
        ('subnormals', [5e-324, 1e-323, 0.0], [1.5e-323, 2e-323]),
        ('near DBL_MAX', [-1.7e308, 1.7e308, 0.0], [1.79e308, -1.79e308]),
        ('separated 300 vs 300 (p 1.5e-179)', np.arange(300.0), np.arange(300.0) + 300),
        ('separated 280 vs 290', np.arange(280.0), np.arange(290.0) + 300),
        ('separated 520 vs 520 (subnormal p)', np.arange(520.0), np.arange(520.0) + 520),
        ('separated 400 vs 700 (subnormal p, scipy falls back one-sided)',
         np.arange(400.0), np.arange(700.0) + 400),
        ('separated 600 vs 600 (p underflows)', np.arange(600.0), np.arange(600.0) + 600),
        ('interleaved 7 vs 7 (D = 1/7, scipy falls back)', np.arange(7) * 2.0, np.arange(7) * 2.0 + 1),
        ('tied levels 3000 vs 40', rng.integers(0, 3, 3000).astype(float),
         rng.integers(0, 3, 40).astype(float) + 1),
    ]
    for name, a, b in cases:
        for alt in ('two-sided', 'less', 'greater'):
            for method in ('auto', 'exact', 'asymp'):
                if method == 'exact' and alt != 'two-sided' and len(a) != len(b) and \
                        len(a) * len(b) > 400000:
                    continue        # scipy's one-sided unequal exact is O(n^2) Python
                check_ks(name, a, b, alt, method)
    # asymptotic two-sided: kstwo.sf(D, round(en)) with numpy's half-to-even
    # rounding of en = n1 n2 / (n1 + n2) = 1.5, 2.5, 3.5, 4.5 (C's round()
    # would give 2, 3, 4, 5)
    for n1, n2 in ((3, 3), (5, 5), (7, 7), (9, 9), (2, 6), (3, 15), (6, 10)):
        for shift in (0.0, 0.35, 5.0):
            a = np.arange(n1) / n1
            b = np.arange(n2) / n2 + shift + 0.01
            check_ks(f"en = {n1 * n2 / (n1 + n2)} shift {shift}", a, b, 'two-sided', 'asymp')
    # method 'exact' with unequal sizes: exact up to (n1 + 1)(n2 + 1) = 4e8
    # lattice points (README), asymptotic (as scipy's 'asymp') beyond
    for n1, n2, want_m in ((19999, 19998, 'exact'), (20000, 19999, 'asymp')):
        a, b = rng.normal(0, 1, n1), rng.normal(0.03, 1, n2)
        got = ks_sql(a, b, 'two-sided', 'exact', 'array')
        t.ok(got[6] == want_m, f"ks_test {n1} vs {n2} method 'exact' uses {want_m}", f"got {got}")
        if want_m == 'asymp':
            sp = stats.ks_2samp(a, b, method='asymp')
            t.close(got[1], float(sp.pvalue), 1e-11, f"ks_test {n1} vs {n2} 'exact' -> asymp p vs scipy",
                    metric='ks_p_vs_scipy')
    # the aggregate form of a few, the boundary of the auto rule included
    for name, a, b in (('10000 vs 10000 (auto exact)', big[:10000], big[10000:] + 0.02),
                       ('10000 vs 10001 (auto asymp)', big[:10000], big[9999:] + 0.02),
                       ('1 vs 20000', [0.0], big), ('all tied', [4.0] * 50, [4.0] * 70)):
        for alt in ('two-sided', 'less', 'greater'):
            check_ks(name, a, b, alt, 'auto', form='agg')


# ---------------------------------------------------------------- binning
def psi_sql(a, b, bins, rule):
    return conn.execute("SELECT driftmon.psi_agg(%s::float8[], %s::float8[], %s, %s)",
                        (fl(a), fl(b), bins, rule)).fetchone()[0]


def js_sql(a, b, bins):
    return conn.execute("SELECT driftmon.js_divergence(%s::float8[], %s::float8[], %s)",
                        (fl(a), fl(b), bins)).fetchone()[0]


def div_close(got, want, name, metric):
    return t.close(got, want, 1e-12, name, atol=1e-15, metric=metric)


def test_binning():
    global rng
    rng = np.random.default_rng(20261126)   # per section: cases stay put
    # 'sturges' where n1 + n2 is a power of two: log2 is exact, and numpy's
    # ceil(ptp / (ptp / (log2 n + 1))) is sometimes log2 n + 2 bins
    extra = 0
    for k in range(150):
        N = 2 ** int(rng.integers(1, 13))
        n1 = int(rng.integers(1, N))
        lo, sc = float(rng.uniform(-100, 100)), 10 ** float(rng.uniform(-3, 3))
        a = lo + sc * rng.random(n1)
        b = lo + sc * rng.random(N - n1)
        e = np.histogram_bin_edges(np.concatenate([a, b]), 'sturges')
        extra += (len(e) - 1) != int(math.log2(N)) + 1
        div_close(psi_sql(a, b, 10, 'sturges'), psi_ref(*hist(a, b, 'sturges', 10)),
                  f"psi sturges n1+n2 = 2^{int(math.log2(N))} ({len(e) - 1} numpy bins)", 'psi_sturges')
    t.ok(extra > 0, f"the power-of-two sturges cases include numpy's extra bin ({extra} of 150)")
    # constant features: numpy's [v - 0.5, v + 0.5] (uniform, sturges)
    consts = [([0.3] * 5, [0.3] * 7), ([0.3] * 5, [0.30000000000000004] * 7),
              ([1e17] * 3, [1e17] * 4), ([-0.0] * 4, [0.0] * 4), ([0.0] * 4, [-0.0, 0.0]),
              ([5e-324] * 3, [0.0] * 3), ([5.0] * 10, [5.0] * 3 + [6.0]),
              ([2.5] * 9, [2.0, 2.5, 3.0])]
    for a, b in consts:
        for rule, bins in (('quantile', 10), ('uniform', 10), ('uniform', 2), ('sturges', 10)):
            div_close(psi_sql(a, b, bins, rule), psi_ref(*hist(a, b, rule, bins)),
                      f"psi {rule} {bins} constant-ish {a[:2]} vs {b[:2]}", 'psi_constant')
        div_close(js_sql(a, b, 10), js_ref(*hist(a, b, 'quantile', 10)),
                  f"js constant-ish {a[:2]} vs {b[:2]}", 'js_constant')
    # discrete features: quantile edges collapse (bins up to 10000)
    for k in range(30):
        levels = int(rng.integers(1, 6))
        bins = int(rng.choice([2, 3, 10, 97, 1000, 10000]))
        a = rng.integers(0, levels, int(rng.integers(1, 3000))).astype(float)
        b = rng.integers(0, levels + 1, int(rng.integers(1, 3000))).astype(float)
        div_close(psi_sql(a, b, bins, 'quantile'), psi_ref(*hist(a, b, 'quantile', bins)),
                  f"psi quantile {bins} bins, {levels} levels", 'psi_discrete')
        div_close(js_sql(a, b, bins), js_ref(*hist(a, b, 'quantile', bins)),
                  f"js {bins} bins, {levels} levels", 'js_discrete')
    # huge values: numpy's differences overflow (its edges are NaN/inf or it
    # raises); exact binning instead.  Values sit far from every edge.
    for k in range(12):
        n1, n2 = int(rng.integers(2, 40)), int(rng.integers(1, 40))
        a = rng.choice([-1.0, 1.0], n1) * rng.uniform(0.2, 1.7, n1) * 1e308
        b = rng.choice([-1.0, 1.0], n2) * rng.uniform(0.2, 1.7, n2) * 1e308
        a[0], a[1] = -1.75e308, 1.75e308
        for rule, bins in (('quantile', 4), ('uniform', 5)):
            rc, cc, near = exact_hist(a, b, rule, bins)
            if near:
                continue
            div_close(psi_sql(a, b, bins, rule), psi_ref(rc, cc),
                      f"psi {rule} {bins} near DBL_MAX vs exact bins", 'psi_huge')
            if rule == 'quantile':
                div_close(js_sql(a, b, bins), js_ref(rc, cc),
                          f"js {bins} near DBL_MAX vs exact bins", 'js_huge')


def exact_hist(a, b, rule, bins):
    """Histograms with edges computed in exact rational arithmetic (numpy's
    formulas without overflow).  near: some value lies within 1e-10
    relative of an edge (then rounding may decide; the case is skipped)."""
    fa = sorted(Fraction(v) for v in a)
    fb = sorted(Fraction(v) for v in b)
    if rule == 'quantile':
        n = len(fa)
        cuts = []
        for i in range(1, bins):
            vi = (n - 1) * (i / bins)
            f = math.floor(vi)
            g = Fraction(vi - f)
            c = fa[-1] if vi >= n - 1 else fa[f] + (fa[f + 1] - fa[f]) * g
            if c not in cuts:
                cuts.append(c)
        cuts.sort()

        def binof(x):
            return sum(1 for c in cuts if c < x)
        k = len(cuts) + 1
        edges = cuts
    else:
        lo, hi = min(fa[0], fb[0]), max(fa[-1], fb[-1])
        edges = [lo + (hi - lo) * Fraction(i, bins) for i in range(bins + 1)]
        k = bins

        def binof(x):
            j = sum(1 for e in edges[1:-1] if e <= x)
            return j
    span = max(abs(Fraction(v)) for v in list(a) + list(b))
    near = any(abs(x - e) <= span * Fraction(1, 10 ** 10) for x in fa + fb for e in edges
               if rule == 'quantile' or (e != edges[0] and e != edges[-1]))
    rc = np.bincount([binof(x) for x in fa], minlength=k) / len(fa)
    cc = np.bincount([binof(x) for x in fb], minlength=k) / len(fb)
    return rc, cc, near


# ---------------------------------------------------------------- wasserstein
def exact_w(a, b):
    fa = sorted(map(Fraction, a))
    fb = sorted(map(Fraction, b))
    allv = sorted(set(fa) | set(fb))
    import bisect
    s = Fraction(0)
    for x, y in zip(allv[:-1], allv[1:]):
        i = bisect.bisect_right(fa, x)
        j = bisect.bisect_right(fb, x)
        s += abs(Fraction(i, len(fa)) - Fraction(j, len(fb))) * (y - x)
    return s


def test_wasserstein():
    global rng
    rng = np.random.default_rng(20261127)   # per section: cases stay put
    cases = [([1e308, -1e308], [1e308, -1e308]),            # scipy: inf * 0 = NaN
             ([-8e307], [8e307]),
             ([1.7e308, -1.7e308, 0.0], [1.0, 2.0]),       # scipy: inf
             ([-1.7e308] * 3 + [1.7e308], [0.0] * 5),
             ([0.0] * 5, [-0.0] * 2), ([5e-324], [0.0]),
             ([1e300, 1e300 + 1e284], [1e300]),
             ([1.0, 2.0], [1.0] * 20000), ([1.0] * 3, [2.0] * 7),
             (list(range(-5, 5)), [1e-300] * 3)]
    for k in range(20):      # heavy ties, wide spread
        n1, n2 = int(rng.integers(1, 300)), int(rng.integers(1, 300))
        lv = rng.choice([-1e200, -3.0, 0.0, 1e-200, 2.5, 1e150], 6, replace=False)
        cases.append((rng.choice(lv, n1).tolist(), rng.choice(lv, n2).tolist()))
    for a, b in cases:
        want = exact_w(a, b)
        name = f"wasserstein {a[:3]}.. ({len(a)}) vs {b[:3]}.. ({len(b)})"
        if want > Fraction(DBL_MAX):
            try:
                got = conn.execute("SELECT driftmon.wasserstein_agg(%s::float8[], %s::float8[])",
                                   (fl(a), fl(b))).fetchone()[0]
                t.ok(False, name + ": beyond DBL_MAX raises 22003", f"got {got!r}")
            except dmtest.psycopg.Error as e:
                t.ok(e.sqlstate == '22003', name + ": beyond DBL_MAX raises 22003", str(e))
            continue
        got = conn.execute("SELECT driftmon.wasserstein_agg(%s::float8[], %s::float8[])",
                           (fl(a), fl(b))).fetchone()[0]
        wf = float(want)
        if abs(wf) < 1e-300:
            t.ok(abs(got - wf) <= 1e-323, name + f" = {wf!r} (subnormal) vs exact", f"got {got!r}")
        else:
            # scipy's formula, which we follow, rounds each CDF difference
            # i/n1 - j/n2 (absolute error ~1e-16: relative up to ~1e-12
            # when that difference is small and its term dominates)
            t.close(got, wf, 1e-12, name + " vs exact", metric='wasserstein_vs_exact')
        with np.errstate(all='ignore'):
            sp = float(stats.wasserstein_distance(a, b))
        if math.isfinite(sp) and abs(wf) >= 1e-300 and abs(sp - wf) <= 1e-13 * abs(wf):
            t.close(got, sp, 1e-12, name + " vs scipy", metric='wasserstein_vs_scipy')


# ---------------------------------------------------------------- parallel
PAR_SQL = """
SELECT g, driftmon.ks_test(v, f)::text, driftmon.ks_test(v, f, 'less', 'exact')::text,
       driftmon.ks_test(v, f, 'greater', 'asymp')::text, driftmon.psi_agg(v, f)::text,
       driftmon.psi_agg(v, f, 7, 'uniform')::text, driftmon.psi_agg(v, f, 3, 'sturges')::text,
       driftmon.js_divergence(v, f, 4)::text, driftmon.wasserstein_agg(v, f)::text,
       driftmon.numeric_drift(v, f)::text
FROM adv_par GROUP BY g ORDER BY g"""


def test_parallel():
    global rng
    rng = np.random.default_rng(20261128)   # per section: cases stay put
    conn.execute("DROP TABLE IF EXISTS adv_par")
    conn.execute("CREATE TABLE adv_par (g int, v float8, f bool)")
    groups = {}
    lines = []
    if True:
        if True:
            for g in range(600):
                n = int(rng.integers(1, 25)) if g < 590 else int(rng.integers(2000, 6000))
                kind = g % 4
                if kind == 0:
                    v = rng.normal(0, 1, n)
                elif kind == 1:
                    v = rng.integers(0, 3, n).astype(float)
                elif kind == 2:
                    v = np.where(rng.random(n) < 0.5, -0.0, 0.0)
                else:
                    v = rng.choice([-1e307, 1e307, 1e-310, 3.0], n)
                f = rng.random(n) < 0.5
                groups[g] = (v[~f], v[f])
                lines += [f"{g}\t{float(x)!r}\t{'t' if y else 'f'}\n" for x, y in zip(v, f)]
            # NULL values, NaN, infinities and NULL flags: skipped or counted
            for g in range(0, 600, 3):
                lines += [f"{g}\t\\N\tt\n", f"{g}\tNaN\tf\n", f"{g}\t-Infinity\tt\n",
                          f"{g}\t1.0\t\\N\n"]
            lines += ["600\t\\N\tf\n", "600\tNaN\tt\n", "601\t1.0\t\\N\n"]
    # rows in random order: a small group's rows land on several pages, so
    # on several workers (a worker with a lone -0.0 of a side printed -0 as
    # min/max/percentile where the serial plan printed 0)
    lines = [lines[i] for i in rng.permutation(len(lines))]
    with conn.cursor() as c:
        with c.copy("COPY adv_par FROM STDIN") as cp:
            cp.write(''.join(lines))
    conn.execute("ANALYZE adv_par")
    conn.execute("SET max_parallel_workers_per_gather = 0")
    serial = conn.execute(PAR_SQL).fetchall()
    for s in ("parallel_setup_cost = 0", "parallel_tuple_cost = 0", "min_parallel_table_scan_size = 0",
              "max_parallel_workers_per_gather = 4", "parallel_leader_participation = off"):
        conn.execute("SET " + s)
    plan = "\n".join(r[0] for r in conn.execute("EXPLAIN (COSTS OFF) " + PAR_SQL))
    t.ok('Partial' in plan and 'Gather' in plan, "parallel plan with partial aggregation", plan)
    par = conn.execute(PAR_SQL).fetchall()
    conn.execute("RESET ALL")
    diffs = [(a, b) for a, b in zip(serial, par) if a != b]
    t.ok(len(par) == len(serial) and not diffs,
         f"parallel plan equals the serial plan in every field of {len(serial)} groups",
         "\n".join(f"serial {a}\nparallel {b}" for a, b in diffs[:3]))
    # and the serial answers against scipy (KS statistic/p, Wasserstein)
    bad = []
    for row in serial:
        g = row[0]
        counts = [int(c) for c in row[9].strip('()').split(',')[:6]]
        if g >= 600:
            want = [0, 0, 1, 0, 0, 1] if g == 600 else [0, 0, 0, 0, 0, 0]
        else:
            extra = int(g % 3 == 0)
            want = [len(groups[g][0]), len(groups[g][1]), 0, extra, extra, extra]
        if counts != want:
            bad.append(f"group {g}: counts {counts} want {want}")
        if g >= 600:
            continue
        a, b = groups[g]
        if len(a) == 0 or len(b) == 0 or g % 4 == 3:
            continue
        with warnings.catch_warnings(record=True) as wl:
            warnings.simplefilter('always')
            r = stats.ks_2samp(a, b)
        if wl:
            continue        # scipy fell back to asymp: wrong (test_ks_dist.py)
        ks = row[1].strip('()').split(',')
        w = float(row[8])
        ws = float(stats.wasserstein_distance(a, b))
        if dmtest.rel_err(float(ks[0]), r.statistic) > 1e-12 or \
                dmtest.rel_err(float(ks[1]), r.pvalue) > 1e-12 or dmtest.rel_err(w, ws) > 1e-12:
            bad.append(f"group {g}: {row[1]} {w!r} vs scipy {r.statistic!r} {r.pvalue!r} {ws!r}")
    t.ok(not bad, "parallel groups' counts (NULL, NaN, infinity, NULL flag rows) and ks_test and "
         "wasserstein_agg equal scipy", "\n".join(bad[:5]))
    conn.execute("DROP TABLE adv_par")


# ---------------------------------------------------------------- arrays
def test_arrays():
    global rng
    rng = np.random.default_rng(20261129)   # per section: cases stay put
    q = conn.execute
    r = q("SELECT (k).* FROM (SELECT driftmon.ks_test('{{1,2},{3,4}}'::float8[], "
          "'{5,NULL,NaN,Infinity}'::float8[]) k) s").fetchone()
    sp = stats.ks_2samp([1.0, 2, 3, 4], [5.0])
    t.ok(r[0] == sp.statistic and r[1] == float(Fraction(2, 5)) and r[2] == sp.statistic_location
         and r[3] == sp.statistic_sign and r[4:] == (4, 1, 'exact'),
         "ks_test of a 2-D array vs {5, NULL, NaN, Infinity}: flattened, NULL/non-finite dropped",
         f"got {r}")
    r = q("SELECT (k).* FROM (SELECT driftmon.ks_test('{}'::float8[], '{1,2}'::float8[]) k) s").fetchone()
    t.ok(r == (None, None, None, None, 0, 2, None), "ks_test of an empty reference array: counts only",
         f"got {r}")
    r = q("SELECT driftmon.psi_agg('{}'::float8[], '{1}'::float8[]), "
          "driftmon.js_divergence('{NULL,NaN}'::float8[], '{1}'::float8[]), "
          "driftmon.wasserstein_agg('{1}'::float8[], '{-Infinity}'::float8[]), "
          "driftmon.ks_test(NULL::float8[], '{1}'::float8[]) IS NULL, "
          "driftmon.numeric_drift('{1}'::float8[], NULL) IS NULL").fetchone()
    t.ok(r == (None, None, None, True, True), "empty-side arrays give NULL, NULL arrays NULL", f"got {r}")
    # a lone -0.0 is stored as 0 like a run of them (the sort's rule), so a
    # parallel worker holding one value of a side cannot change the output
    r1 = q("SELECT concat_ws(' ', (d).min_reference, (d).max_reference, (d).p05_reference, "
           "(d).p50_reference, (d).p95_reference, (d).min_current), "
           "(driftmon.ks_test('{-0}'::float8[], '{1}'::float8[])).statistic_location::text "
           "FROM (SELECT driftmon.numeric_drift('{-0}'::float8[], '{-0,1}'::float8[]) d) s").fetchone()
    t.ok(r1 == ('0 0 0 0 0 0', '0'),
         "numeric_drift / ks_test of a lone -0.0 print 0 like a run of -0.0 values", f"got {r1}")
    a = [[1.5, 2.5, 0.5], [7.0, -1.0, 2.0]]
    b = [[[0.0, 3.0]], [[3.5, 1.0]]]
    w = q("SELECT driftmon.wasserstein_agg(%s::float8[], %s::float8[])", (a, b)).fetchone()[0]
    fa, fb = np.ravel(a), np.ravel(b)
    t.close(w, float(exact_w(fa, fb)), 1e-15, "wasserstein_agg of 2-D vs 3-D arrays vs exact")
    d = nd_array([1.0, 2.0, 4.0], [3.0])
    r = q("SELECT (d).nulls_reference, (d).nonfinite_reference, (d).n_reference, "
          "(d).mean_reference, (d).std_reference, (d).p50_reference FROM "
          "(SELECT driftmon.numeric_drift('{{1,NULL},{2,NaN},{4,-Infinity}}'::float8[], "
          "'{3}'::float8[]) d) s").fetchone()
    t.ok(r[:4] == (1, 2, 3, float(Fraction(7, 3))) and r[5] == 2.0 and
         abs(r[4] - exact_std([1.0, 2.0, 4.0])) <= 1e-15 * r[4] and d['mean_reference'] == r[3],
         "numeric_drift of a 2-D array with NULL and non-finite elements", f"got {r}")


# ---------------------------------------------------------------- wasserstein_normed
def test_wasserstein_normed():
    """W / std(reference, ddof=1), from numeric_drift and from two exact-mode
    profiles, against exact W (fractions) over a 40-digit std; a quotient
    beyond DBL_MAX is Infinity in both forms, not an error."""
    global rng
    rng = np.random.default_rng(20261124)
    prof = ("SELECT driftmon.wasserstein_normed("
            "(SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v), "
            "(SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v))")
    cases = []
    for k in range(120):
        n1, n2 = int(rng.integers(2, 1000)), int(rng.integers(1, 1000))
        if k % 3 == 0:       # heavy ties
            lv = rng.normal(0, 10, 4)
            a, b = rng.choice(lv, n1), rng.choice(lv, n2)
        elif k % 3 == 1:     # shift and scale
            a, b = rng.normal(0, 1, n1), rng.normal(rng.normal(), rng.uniform(0.1, 3), n2)
        else:                # large offset, tiny spread
            a = 1e6 + rng.normal(0, 1e-6, n1)
            b = 1e6 + rng.normal(1e-6, 1e-6, n2)
        cases.append((a.tolist(), b.tolist()))
    for i, (a, b) in enumerate(cases):
        want = float(exact_w(a, b)) / exact_std(a)
        got = nd_array(a, b)['wasserstein_normed']
        t.close(got, want, 1e-12, f"wasserstein_normed case {i} (n={len(a)},{len(b)}) numeric_drift vs exact",
                metric='wasserstein_normed')
        got = conn.execute(prof, (fl(a), fl(b))).fetchone()[0]
        t.close(got, want, 1e-12, f"wasserstein_normed case {i} (n={len(a)},{len(b)}) profiles vs exact",
                metric='wasserstein_normed')
    # the profile's own moments, which the quotient uses: one batch (up to
    # 8192 values) is rounded like numeric_drift (mean rounded once, corrected
    # two-pass M2), so large offsets with tiny spreads are exact too
    for i, (a, b) in enumerate(cases[:60]):
        r = conn.execute("SELECT driftmon.mean(p), driftmon.stddev(p) FROM "
                         "(SELECT driftmon.profile_agg(v) p FROM unnest(%s::float8[]) v) s", (fl(a),)).fetchone()
        t.ok(r[0] == float(exact_mean(a)), f"profile mean case {i} (n={len(a)}) is the exact mean rounded once",
             f"got {r[0]!r}, want {float(exact_mean(a))!r}")
        t.close(r[1], exact_std(a), 1e-15, f"profile stddev case {i} (n={len(a)}) vs exact", metric='profile_std')
    # across batches (Chan's merge of batch means rounded to a double) the
    # documented bound: relative error <= 1e-17 * |mean| / std + 1e-15
    for ratio in (1e2, 1e6, 1e10, 1e12):
        a = (ratio * rng.uniform(0.5, 2) + rng.normal(0, 1, 30000)).tolist()
        sd = exact_std(a)
        got = conn.execute("SELECT driftmon.stddev(driftmon.profile_agg(v)) FROM unnest(%s::float8[]) v",
                           (a,)).fetchone()[0]
        bound = 1e-17 * abs(float(exact_mean(a))) / sd + 1e-15
        t.ok(abs(got - sd) <= bound * sd, f"profile stddev of 30000 values, |mean|/std = {ratio:g}: "
             f"relative error within {bound:.1e}", f"got {got!r}, exact {sd!r}, rel {abs(got - sd) / sd:.2e}")
    # beyond DBL_MAX: W = 1e300 - mean(a) over a std of 7.07e-301 (array form)
    # and 7.07e-151 (profiles: M2 must not underflow)
    for a, b, form in (([0.0, 1e-300], [1e300], 'numeric_drift'), ([0.0, 1e-150], [1e300], 'profiles')):
        ratio = exact_w(a, b) / Fraction(exact_std(a))
        assert ratio > Fraction(DBL_MAX)
        got = (nd_array(a, b)['wasserstein_normed'] if form == 'numeric_drift'
               else conn.execute(prof, (a, b)).fetchone()[0])
        t.ok(got == math.inf, f"wasserstein_normed {form}: a quotient beyond DBL_MAX is Infinity", f"got {got!r}")
    # a constant or single-value reference: NULL in both forms
    for a in ([3.0, 3.0, 3.0], [7.5]):
        got = (nd_array(a, [1.0, 2.0])['wasserstein_normed'], conn.execute(prof, (a, [1.0, 2.0])).fetchone()[0])
        t.ok(got == (None, None), f"wasserstein_normed of reference {a} is NULL in both forms", f"got {got}")


for fn in (test_moments, test_ks, test_binning, test_wasserstein, test_parallel, test_arrays,
           test_wasserstein_normed):
    t0 = time.time()
    t.run(fn)
    print(f"# {fn.__name__}: {time.time() - t0:.1f} s")
print(f"# numeric adversarial runtime: {time.time() - T0:.1f} s")
conn.close()
t.done()
