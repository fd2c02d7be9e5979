"""Adversarial oracle tests of numeric profiles in sketch mode (issue 8).

Every documented guarantee of the KLL sketch (README, Drift profiles, Error
bounds) is checked against numpy / scipy / exact fractions on the raw rows,
on inputs chosen to break it rather than on nice random samples:

- orders and shapes: sorted ascending / descending, sawtooth, alternating
  extremes, all equal, two values, heavy ties, a huge dynamic range,
  subnormals, -0.0 / 0.0, values near +-DBL_MAX; k = 16 (the smallest) and
  64; n = k + 1, around 2^j k, and up to 20,000;
- cdf: the sup over every distinct input value of |cdf - exact| <= rank_error;
- quantile: 0 and 1 are the exact min and max, levels just inside, the
  documented rank bound, the array form (NULL and out-of-range levels);
- comparisons: ks_test statistic within eps_ref + eps_cur of scipy's
  ks_2samp, method 'asymp' and the p-value kstwo.sf(D, round(n1 n2 /
  (n1 + n2))); wasserstein within (eps_ref + eps_cur) x range of scipy's;
  psi / js_divergence / hellinger within the box bound of bin masses
  accurate to 2 eps per side (on the sketch's own edges);
- merges: rollups of many tiny profiles, left-deep / nested trees, exact
  with sketch, different k refused; n / min / max identical and mean /
  stddev against exact fractions in every order; cdf within each bound;
- determinism: same input order and merge tree give the same bytes.
"""
import math
import os
import sys
from fractions import Fraction

import mpmath
import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
from driftref import box_bound, psi_term, js_term, hel2_term  # noqa: E402

import psycopg  # noqa: E402

t = dmtest.Tap('sketch_adversarial')
conn = dmtest.connect()
rng = np.random.default_rng(20261124)
DBL_MAX = 1.7976931348623157e308


def fl(a):
    """A Python list of floats (psycopg adapts it as float8[])."""
    return [float(x) for x in a]


def shapes(n):
    """The adversarial inputs of size n, in arrival order."""
    i = np.arange(n, dtype=float)
    return {
        'ascending': i.copy(),
        'descending': i[::-1].copy(),
        'sawtooth': i % 7,
        'alternating extremes': np.where(i % 2 == 0, 1e300, -1e300) * (1 + i / n),
        'all equal': np.full(n, 3.25),
        'two values': np.where(rng.random(n) < 0.3, -1.0, 1.0),
        'heavy ties': np.round(rng.normal(size=n) * 2),
        'dynamic range': rng.choice([-1.0, 1.0], n) * 10.0 ** rng.uniform(-300, 300, n),
        'subnormals': rng.integers(-5, 6, n) * 5e-324,
        'signed zeros': np.where(i % 5 == 0, 1e-320, np.where(i % 2 == 0, -0.0, 0.0)),
        'near DBL_MAX': np.where(i % 2 == 0, DBL_MAX, -DBL_MAX) * (1 - i / n / 4),
    }


def profile(values, k, table=False):
    """profile_agg of values in their order, from an array (or a table);
    returns (profile text, rank_error, sketch levels)."""
    if table:
        conn.execute("DROP TABLE IF EXISTS adv")
        conn.execute("CREATE TEMP TABLE adv (o int, v float8)")
        dmtest.copy_rows(conn, 'adv', ('o', 'v'), list(enumerate(fl(values))))
        sql = "SELECT driftmon.profile_agg(v, %s ORDER BY o) FROM adv"
        args = (k,)
    else:
        sql = ("SELECT driftmon.profile_agg(v, %s ORDER BY o) "
               "FROM unnest(%s::float8[]) WITH ORDINALITY u(v, o)")
        args = (k, fl(values))
    return conn.execute(
        f"SELECT p::text, driftmon.rank_error(p), "
        f"split_part(split_part(p::text, ';levels=', 2), ';', 1)::int FROM ({sql}) s(p)",
        args).fetchone()


def sup_cdf_error(ptxt, values):
    """sup over x of |cdf(p, x) - exact cdf(x)|: both are right-continuous
    steps that jump only at input values, so every distinct input value is
    evaluated (one SQL call)."""
    xs = np.unique(np.asarray(values, dtype=float))
    got = np.array(conn.execute(
        "SELECT array_agg(driftmon.cdf(%s::driftmon.numeric_profile, x) ORDER BY i) "
        "FROM unnest(%s::float8[]) WITH ORDINALITY u(x, i)", (ptxt, fl(xs))).fetchone()[0])
    exact = np.searchsorted(np.sort(values), xs, 'right') / len(values)
    return float(np.max(np.abs(got - exact)))


QLEVELS = [0.0, 1e-12, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.9, 0.999, 1 - 1e-12, 1.0]


def check_quantiles(name, ptxt, values, eps, levels):
    """quantile(p, q[]) and quantile(p, q): ends exact, ranks within the
    documented bound eps + w / n (w = the top level's weight)."""
    sv = np.sort(values)
    n = len(sv)
    got = conn.execute("SELECT driftmon.quantile(%s::driftmon.numeric_profile, %s::float8[])",
                       (ptxt, QLEVELS)).fetchone()[0]
    one = [conn.execute("SELECT driftmon.quantile(%s::driftmon.numeric_profile, %s::float8)",
                        (ptxt, q)).fetchone()[0] for q in (0.0, 0.5, 1.0)]
    t.ok(got[0] == sv[0] and got[-1] == sv[-1],
         f"{name}: quantile 0 / 1 are the exact min / max",
         f"got {got[0]!r} / {got[-1]!r}, want {sv[0]!r} / {sv[-1]!r}")
    t.ok(one == [got[0], got[5], got[-1]], f"{name}: scalar quantile = array form", f"{one} vs {got}")
    t.ok(all(a <= b for a, b in zip(got, got[1:])), f"{name}: quantiles ascending", str(got))
    lo = np.searchsorted(sv, got, 'left') / n
    hi = np.searchsorted(sv, got, 'right') / n
    q = np.array(QLEVELS)
    dev = float(np.max(np.maximum(lo - q, q - hi).clip(min=0)))
    slack = eps + 2.0 ** (levels - 1) / n
    t.note_err('quantile_rank_error_over_bound', dev / slack, name)
    t.ok(dev <= slack + 1e-12, f"{name}: quantile rank error {dev:.5f} <= {slack:.5f}")


# ---------------------------------------------------------------------------
# 1. one sketch: adversarial orders and shapes, sizes around the boundaries
# ---------------------------------------------------------------------------
def single_sketches():
    for k in (16, 64):
        for n in (k + 1, 2 * k, 8 * k - 1, 8 * k + 1, 4097, 20000):
            for label, v in shapes(n).items():
                name = f"k={k} n={n} {label}"
                ptxt, eps, levels = profile(v, k, table=(n == 4097))
                t.ok(eps > 0 or levels == 1, f"{name}: compacted sketches report eps > 0")
                err = sup_cdf_error(ptxt, v)
                t.note_err('cdf_error_over_rank_error', err / eps if eps else (0 if err == 0 else math.inf), name)
                t.ok(err <= eps + 1e-15, f"{name}: sup cdf error {err:.5f} <= rank_error {eps:.5f}")
                check_quantiles(name, ptxt, v, eps, levels)
                if n <= 4097:
                    mean = conn.execute("SELECT driftmon.mean(%s::driftmon.numeric_profile)", (ptxt,)).fetchone()[0]
                    want = sum(Fraction(float(x)) for x in v) / n
                    scale = float(np.max(np.abs(v)))
                    t.close(mean, float(want), 1e-14, f"{name}: mean vs exact fraction",
                            atol=scale * 1e-15, metric='single_mean_rel_err')


def large_k():
    """k = 4096 and the largest k = 65536, just above k and beyond (inputs
    with few distinct values where the sketch is large, so the sup over every
    distinct value stays cheap to evaluate)."""
    for k, n, label, v in (
            (4096, 4097, 'ascending', np.arange(4097, dtype=float)),
            (4096, 40000, 'descending', np.arange(40000, dtype=float)[::-1].copy()),
            (4096, 40000, 'alternating extremes', np.where(np.arange(40000) % 2 == 0, 1.0, -1.0) * np.arange(40000)),
            (65536, 65537, 'heavy ties', np.round(rng.normal(0, 300, 65537))),
            (65536, 300000, 'heavy ties, sorted', np.sort(np.round(rng.normal(0, 300, 300000))))):
        name = f"k={k} n={n} {label}"
        ptxt, eps, levels = profile(v, k)
        t.ok(eps > 0, f"{name}: compacted, eps > 0 ({eps:.3g})")
        err = sup_cdf_error(ptxt, v)
        t.note_err('cdf_error_over_rank_error', err / eps, name)
        t.ok(err <= eps + 1e-15, f"{name}: sup cdf error {err:.6f} <= rank_error {eps:.6f}")
        check_quantiles(name, ptxt, v, eps, levels)


# ---------------------------------------------------------------------------
# 2. quantile levels at and beyond the ends; the array form's errors
# ---------------------------------------------------------------------------
def quantile_levels():
    v = rng.lognormal(0, 2, 5000)
    ptxt, eps, levels = profile(v, 16)
    p = ptxt
    got = conn.execute("SELECT driftmon.quantile(%s::driftmon.numeric_profile, "
                       "ARRAY[]::float8[])", (p,)).fetchone()[0]
    t.ok(got == [], "empty level array gives an empty array", repr(got))
    for label, arr in (("NULL level", "ARRAY[0.5, NULL]::float8[]"),
                       ("level above 1", "ARRAY[0.5, 1.0000000000000002]::float8[]"),
                       ("negative level", "ARRAY[-0.0, -1e-300]::float8[]"),
                       ("NaN level", "ARRAY['NaN']::float8[]"),
                       ("two-dimensional", "ARRAY[[0.5], [0.6]]::float8[]")):
        try:
            conn.execute(f"SELECT driftmon.quantile(%s::driftmon.numeric_profile, {arr})", (p,))
            t.ok(False, f"quantile array with {label} is refused")
        except psycopg.Error as e:
            t.ok(e.sqlstate in ('22023', '22004', '2202E'),
                 f"quantile array with {label} is refused ({e.sqlstate})", str(e))
    for q in ('1.0000000000000002', '-1e-300', "'NaN'", "'Infinity'"):
        try:
            conn.execute(f"SELECT driftmon.quantile(%s::driftmon.numeric_profile, {q}::float8)", (p,))
            t.ok(False, f"quantile level {q} is refused")
        except psycopg.Error as e:
            t.ok(e.sqlstate == '22023', f"quantile level {q} is refused ({e.sqlstate})", str(e))
    # -0.0 is a valid level (= 0): the minimum
    mz = conn.execute("SELECT driftmon.quantile(%s::driftmon.numeric_profile, '-0'::float8)", (p,)).fetchone()[0]
    t.ok(mz == float(np.min(v)), "quantile level -0 is the minimum", f"{mz!r} vs {np.min(v)!r}")
    # a hand-written profile with min = max = -0: the ends read as +0 like its items
    row = conn.execute("SELECT driftmon.quantile('v=1;k=16;n=2;nulls=0;nonfinite=0;min=-0;max=-0;mean=0;m2=0;"
                       "rng=1;D=0;S=0;levels=1;L0=0,0'::driftmon.numeric_profile, ARRAY[0, 1]::float8[])::text"
                       ).fetchone()[0]
    t.ok(row == '{0,0}', "min / max of -0 give quantile ends +0", row)
    # empty profile (only NULL / non-finite rows): NULL quantiles and cdf
    row = conn.execute("SELECT driftmon.quantile(p, 0.5), driftmon.quantile(p, ARRAY[0, 1]::float8[]), "
                       "driftmon.cdf(p, 0) FROM (SELECT driftmon.profile_agg(v, 16) p FROM "
                       "unnest(ARRAY[NULL, 'NaN', 'Infinity']::float8[]) v) s").fetchone()
    t.ok(row == (None, None, None), "profile without finite values: quantile and cdf NULL", repr(row))
    # cdf at the ends of the float8 line
    row = conn.execute("SELECT driftmon.cdf(%s::driftmon.numeric_profile, '-Infinity'), "
                       "driftmon.cdf(%s::driftmon.numeric_profile, 'Infinity'), "
                       "driftmon.cdf(%s::driftmon.numeric_profile, %s), "
                       "driftmon.cdf(%s::driftmon.numeric_profile, 'NaN')",
                       (p, p, p, float(np.max(v)), p)).fetchone()
    t.ok(row == (0.0, 1.0, 1.0, None), "cdf(-inf) = 0, cdf(inf) = cdf(max) = 1, cdf(NaN) NULL", repr(row))


# ---------------------------------------------------------------------------
# 3. comparisons between two sketches against scipy on the raw rows
# ---------------------------------------------------------------------------


def masses(sv, edges):
    """Right-closed bin masses of sorted sv for interior edges."""
    return np.diff(np.concatenate([[0], np.searchsorted(sv, edges, 'right'), [len(sv)]])) / len(sv)


def exact_w1(a, b):
    """Wasserstein-1 distance of two samples in exact rationals: the
    integral of |F_a - F_b| over the merged sorted values."""
    pts = sorted(set(float(x) for x in a) | set(float(x) for x in b))
    sa, sb = np.sort(a), np.sort(b)
    ca = np.searchsorted(sa, pts, 'right')
    cb = np.searchsorted(sb, pts, 'right')
    na, nb = len(a), len(b)
    total = Fraction(0)
    for j in range(len(pts) - 1):
        diff = Fraction(int(ca[j]) * nb - int(cb[j]) * na, na * nb)
        if diff:
            total += abs(diff) * (Fraction(pts[j + 1]) - Fraction(pts[j]))
    return total


def pair_cases():
    N = 6000
    i = np.arange(N, dtype=float)
    pairs = [
        ('shift, ascending order', np.sort(rng.normal(0, 1, N)), np.sort(rng.normal(0.2, 1, N))),
        ('same, descending order', np.sort(rng.normal(0, 1, N))[::-1], np.sort(rng.normal(0, 1, N))[::-1]),
        ('sawtooth vs shifted sawtooth', i % 50, (i + 3) % 53),
        ('two values, different mix', np.where(i % 3 == 0, 0.0, 1.0), np.where(i % 2 == 0, 0.0, 1.0)),
        ('heavy ties', np.round(rng.normal(0, 1, N)), np.round(rng.normal(0.3, 1, N))),
        ('dynamic range', 10.0 ** rng.uniform(-300, 300, N), 10.0 ** rng.uniform(-290, 300, N)),
        ('alternating extremes', np.where(i % 2 == 0, 1e6, -1e6) + i, np.where(i % 3 == 0, 1e6, -1e6) - i),
        ('unequal sizes', rng.exponential(1, N), rng.exponential(1.1, N // 7)),
        ('near DBL_MAX, opposite signs', -1e308 * rng.uniform(0.5, 0.9, N // 2), 7e307 * rng.uniform(0.5, 1, N // 3)),
        ('exact side vs sketch', rng.normal(0, 1, 60), rng.normal(0.5, 1, N)),
    ]
    for k in (16, 64):
        for label, a, b in pairs:
            name = f"k={k} {label}"
            pa, ea, _ = profile(a, k)
            pb, eb, _ = profile(b, k, table=True)
            st, pv, meth, na, nb = conn.execute(
                "SELECT statistic, p_value, method, n_reference, n_current FROM "
                "driftmon.ks_test(%s::driftmon.numeric_profile, %s::driftmon.numeric_profile)",
                (pa, pb)).fetchone()
            ks = stats.ks_2samp(a, b)
            t.note_err('ks_stat_abs_err_over_bound', abs(st - ks.statistic) / (ea + eb), name)
            t.ok(abs(st - ks.statistic) <= ea + eb + 1e-15,
                 f"{name}: KS statistic {st:.5f} vs scipy {ks.statistic:.5f} within {ea + eb:.5f}")
            t.ok(meth == 'asymp' and (na, nb) == (len(a), len(b)), f"{name}: method asymp, counts",
                 f"{meth} {na} {nb}")
            en = round(len(a) * len(b) / (len(a) + len(b)))
            t.close(pv, float(stats.kstwo.sf(st, en)), 1e-9, f"{name}: KS p-value = kstwo.sf(D, {en})",
                    atol=1e-300, metric='ks_pvalue_from_sketch_D')
            sa, sb = np.sort(a), np.sort(b)
            rngw = max(sa[-1], sb[-1]) - min(sa[0], sb[0])
            w = conn.execute("SELECT driftmon.wasserstein(%s::driftmon.numeric_profile, "
                             "%s::driftmon.numeric_profile)", (pa, pb)).fetchone()[0]
            if math.isfinite(rngw) and rngw < 1e300:
                wx = stats.wasserstein_distance(a, b)
                t.note_err('wasserstein_abs_err_over_bound', abs(w - wx) / ((ea + eb) * rngw), name)
                t.ok(abs(w - wx) <= (ea + eb) * rngw * (1 + 1e-12),
                     f"{name}: wasserstein {w:.6g} vs scipy {wx:.6g} within (eps_r + eps_c) x range")
            else:
                # scipy overflows here: the exact W1 of the raw rows in rationals
                wx = exact_w1(a, b)
                bound = (Fraction(ea) + Fraction(eb)) * (Fraction(float(max(sa[-1], sb[-1])))
                                                         - Fraction(float(min(sa[0], sb[0]))))
                t.ok(math.isfinite(w) and abs(Fraction(w) - wx) <= bound * (1 + Fraction(1, 10 ** 12)),
                     f"{name}: wasserstein {w:.6g} vs exact rational {float(wx):.6g} "
                     f"within (eps_r + eps_c) x range", repr(w))
            for bins in (10, 37):
                edges = conn.execute("SELECT driftmon.quantile(%s::driftmon.numeric_profile, %s::float8[])",
                                     (pa, fl(np.arange(1, bins) / bins))).fetchone()[0]
                ded = []
                for e in edges:
                    if not ded or e > ded[-1]:
                        ded.append(e)
                p, q = masses(sa, ded), masses(sb, ded)
                got = conn.execute(
                    "SELECT driftmon.psi(r, c, %s), driftmon.js_divergence(r, c, %s), "
                    "driftmon.hellinger(r, c, %s) FROM (SELECT %s::driftmon.numeric_profile r, "
                    "%s::driftmon.numeric_profile c) s", (bins, bins, bins, pa, pb)).fetchone()
                for metric, g, f in (('psi', got[0], psi_term), ('js', got[1], js_term),
                                     ('hellinger', got[2], hel2_term)):
                    exact = sum(f(x, y) for x, y in zip(p, q))
                    up, down = box_bound(f, p, q, 2 * ea, 2 * eb)
                    gv = g * g if metric == 'hellinger' else g
                    t.ok(exact - down - 1e-12 <= gv <= exact + up + 1e-12,
                         f"{name}: {metric} bins={bins} {g:.6g} in the box bound "
                         f"[{exact - down:.6g}, {exact + up:.6g}]{' (squared)' if metric == 'hellinger' else ''}")


# ---------------------------------------------------------------------------
# 4. merges: many tiny profiles, tree shapes, exact with sketch, different k
# ---------------------------------------------------------------------------
def exact_mean_m2(values):
    """Mean and sum of squared deviations in exact rational arithmetic."""
    fr = [Fraction(float(x)) for x in values]
    mean = sum(fr) / len(fr)
    return mean, sum((x - mean) ** 2 for x in fr)


def merge_cases():
    cases = [
        # label, values, shard id per value, k, stddev tolerance
        # mean^2 / variance = 1e18: Chan's merge in doubles is within 1e-8
        ('1000 tiny profiles of 6 rows, offset 1e9',
         1e9 + rng.normal(0, 1, 6000), np.repeat(np.arange(1000), 6), 16, 2e-8),
        ('400 sorted shards of 25 rows, k=16', np.arange(10000, dtype=float), np.repeat(np.arange(400), 25), 16, 1e-12),
        ('one big shard and 300 single rows', np.concatenate([rng.normal(0, 1, 9000), rng.normal(5, 1, 300)]),
         np.concatenate([np.zeros(9000, int), np.arange(1, 301)]), 16, 1e-12),
        ('exact shards merged into a sketch (k=64)', rng.gamma(2.0, 3.0, 3000), np.repeat(np.arange(50), 60), 64, 1e-12),
        ('heavy ties in 37 shards', np.round(rng.normal(0, 3, 7400)), np.arange(7400) % 37, 16, 1e-12),
    ]
    for label, x, shard, k, sd_tol in cases:
        conn.execute("DROP TABLE IF EXISTS msh")
        conn.execute("CREATE TEMP TABLE msh (o int, s int, v float8)")
        dmtest.copy_rows(conn, 'msh', ('o', 's', 'v'), list(zip(range(len(x)), map(int, shard), fl(x))))
        conn.execute("DROP TABLE IF EXISTS mshp")
        conn.execute("CREATE TEMP TABLE mshp AS SELECT s, driftmon.profile_agg(v, %s ORDER BY o) p "
                     "FROM msh GROUP BY s", (k,))
        rows = conn.execute(
            "SELECT o, r::text, driftmon.n(r), driftmon.minimum(r), driftmon.maximum(r), driftmon.mean(r), "
            "driftmon.stddev(r), driftmon.rank_error(r) FROM ("
            " SELECT 'left-deep ascending' o, driftmon.rollup(p ORDER BY s) r FROM mshp UNION ALL"
            " SELECT 'left-deep descending', driftmon.rollup(p ORDER BY s DESC) FROM mshp UNION ALL"
            " SELECT 'random order', driftmon.rollup(p ORDER BY md5(s::text)) FROM mshp UNION ALL"
            " SELECT 'nested by s / 7', driftmon.rollup(q ORDER BY g) FROM"
            "  (SELECT s / 7 g, driftmon.rollup(p ORDER BY s) q FROM mshp GROUP BY 1) z UNION ALL"
            " SELECT 'nested by s mod 3 (unbalanced)', driftmon.rollup(q ORDER BY g) FROM"
            "  (SELECT s %% 3 g, driftmon.rollup(p ORDER BY s) q FROM mshp GROUP BY 1) z UNION ALL"
            " SELECT 'single profile_agg', driftmon.profile_agg(v, %s ORDER BY o) FROM msh) u",
            (k,)).fetchall()
        mean_x, m2_x = exact_mean_m2(x)
        sd_x = math.sqrt(m2_x / (len(x) - 1))
        for o, rtxt, n, mn, mx, mean, sd, eps in rows:
            name = f"{label}: {o}"
            t.ok(n == len(x) and mn == float(np.min(x)) and mx == float(np.max(x)),
                 f"{name}: n, min, max exact", f"{n} {mn!r} {mx!r}")
            t.close(mean, float(mean_x), 1e-14, f"{name}: mean vs exact fraction", metric='merged_mean_rel_err')
            t.close(sd, sd_x, sd_tol, f"{name}: stddev vs exact fraction", metric='merged_stddev_rel_err')
            err = sup_cdf_error(rtxt, x)
            t.note_err('merged_cdf_error_over_rank_error', err / eps if eps else 0.0, name)
            t.ok(err <= eps + 1e-15, f"{name}: sup cdf error {err:.5f} <= rank_error {eps:.5f}")
            qs = conn.execute("SELECT driftmon.quantile(%s::driftmon.numeric_profile, ARRAY[0, 1]::float8[])",
                              (rtxt,)).fetchone()[0]
            t.ok(qs == [float(np.min(x)), float(np.max(x))], f"{name}: quantile 0 / 1 = min / max", repr(qs))
        # same merge tree twice: the same bytes
        a, b = conn.execute(
            "SELECT (SELECT driftmon.rollup(p ORDER BY s)::text FROM mshp), "
            "(SELECT driftmon.rollup(p ORDER BY s)::text FROM mshp)").fetchone()
        t.ok(a == b, f"{label}: same merge tree, same bytes")


def merge_errors_and_determinism():
    v = rng.normal(0, 1, 3000)
    p1, _, _ = profile(v, 16)
    p2, _, _ = profile(v, 16, table=True)
    t.ok(p1 == p2, "same input order from an array and from a table: same bytes")
    p3, _, _ = profile(v[::-1], 16)
    t.ok(p3 != p1, "a different input order gives a different sketch (documented)")
    s1 = conn.execute("SELECT driftmon.numeric_profile_send(%s::driftmon.numeric_profile)", (p1,)).fetchone()[0]
    s2 = conn.execute("SELECT driftmon.numeric_profile_send(%s::driftmon.numeric_profile)", (p2,)).fetchone()[0]
    t.ok(bytes(s1) == bytes(s2), "same input order: same binary bytes")
    try:
        conn.execute("SELECT driftmon.rollup(p) FROM (SELECT driftmon.profile_agg(v, 16) p FROM unnest(%s::float8[]) v "
                     "UNION ALL SELECT driftmon.profile_agg(v, 17) FROM unnest(%s::float8[]) v) s",
                     (fl(v[:100]), fl(v[:100])))
        t.ok(False, "rollup of profiles with k = 16 and k = 17 is refused")
    except psycopg.Error as e:
        t.ok(e.sqlstate == '22023' and 'different parameters' in str(e),
             "rollup of profiles with k = 16 and k = 17 is refused", str(e))
    # a rollup of exact profiles with at most k values in all stays exact
    parts = [rng.normal(0, 1, 5), np.full(6, 0.25), rng.normal(3, 1, 5)]
    row = conn.execute(
        "SELECT driftmon.is_exact(r), driftmon.rank_error(r), driftmon.quantile(r, %s::float8[]) FROM "
        "(SELECT driftmon.rollup(p ORDER BY i) r FROM (SELECT i, (SELECT driftmon.profile_agg(v, 16) FROM "
        "unnest(a) v) p FROM unnest(%s::text[]) WITH ORDINALITY u(s, i), LATERAL (SELECT s::float8[] a) z) q) s",
        (QLEVELS, ["{" + ",".join(repr(float(x)) for x in pt) + "}" for pt in parts])).fetchone()
    allv = np.concatenate(parts)
    t.ok(row[0] is True and row[1] == 0.0 and row[2] == fl(np.quantile(allv, QLEVELS)),
         "rollup of exact profiles with 16 values at k = 16 stays exact (numpy quantiles)", repr(row))
    # comparing different k is allowed (nothing merged) and within the bound
    a = rng.normal(0, 1, 5000)
    b = rng.normal(0.1, 1, 5000)
    pa, ea, _ = profile(a, 16)
    pb, eb, _ = profile(b, 200)
    st = conn.execute("SELECT statistic FROM driftmon.ks_test(%s::driftmon.numeric_profile, "
                      "%s::driftmon.numeric_profile)", (pa, pb)).fetchone()[0]
    ks = stats.ks_2samp(a, b).statistic
    t.ok(abs(st - ks) <= ea + eb, f"ks_test across k = 16 and k = 200 within bound ({st:.5f} vs {ks:.5f})")


# ---------------------------------------------------------------------------
# 5. counts near the bigint limit (profiles written in the text format)
# ---------------------------------------------------------------------------
def huge_profile(n_log2, nulls=0, nonfinite=0, items=(1.0, 2.0), lo=1.0, hi=2.0):
    """Text of a valid profile of 2^n_log2 values: len(items) items on the
    top level (level n_log2 - 1 with two items), every lower level empty;
    budgets D = 2^(levels - 1), S = D^2 (0 for a single level)."""
    levels = n_log2
    w = 2 ** (levels - 1)
    assert w * len(items) == 2 ** n_log2
    mean = sum(items) / len(items)
    m2 = sum((x - mean) ** 2 for x in items) * w
    parts = ["v=1", "k=16", f"n={2 ** n_log2}", f"nulls={nulls}", f"nonfinite={nonfinite}",
             f"min={lo!r}", f"max={hi!r}", f"mean={mean!r}", f"m2={m2!r}", "rng=1",
             f"D={w if levels > 1 else 0}", f"S={w * w if levels > 1 else 0}", f"levels={levels}"]
    parts += [f"L{h}=" + (",".join(repr(x) for x in items) if h == levels - 1 else "") for h in range(levels)]
    return ";".join(parts)


def bigint_limits():
    big = huge_profile(62)                    # n = 2^62, half 1.0 and half 2.0
    imax = 2 ** 63 - 1
    row = conn.execute("SELECT driftmon.n(p), driftmon.quantile(p, ARRAY[0, 0.25, 0.75, 1]::float8[]), "
                       "driftmon.cdf(p, 1.5), driftmon.mean(p) FROM (SELECT %s::driftmon.numeric_profile p) s",
                       (big,)).fetchone()
    t.ok(row == (2 ** 62, [1.0, 1.0, 2.0, 2.0], 0.5, 1.5), "n = 2^62: n, quantiles, cdf, mean", repr(row))
    ks = conn.execute("SELECT statistic, p_value, method FROM driftmon.ks_test(%s::driftmon.numeric_profile, "
                      "%s::driftmon.numeric_profile)", (big, big)).fetchone()
    t.ok(ks == (0.0, 1.0, 'asymp'), "n = 2^62: ks_test against itself D = 0, p = 1", repr(ks))
    small = [float(x) for x in rng.uniform(1, 2, 3000)]
    st = conn.execute("SELECT statistic FROM driftmon.ks_test(%s::driftmon.numeric_profile, "
                      "(SELECT driftmon.profile_agg(v, 16) FROM unnest(%s::float8[]) v))",
                      (big, small)).fetchone()[0]
    # the exact statistic: F_ref jumps to 0.5 at 1.0 and to 1 at 2.0
    t.ok(abs(st - 0.5) <= 0.5 * 0 + conn.execute(
        "SELECT driftmon.rank_error(driftmon.profile_agg(v, 16)) FROM unnest(%s::float8[]) v",
        (small,)).fetchone()[0] + 1e-12, f"n = 2^62 against 3000 rows: KS statistic {st:.5f} ~ 0.5")
    # n + nulls + nonfinite: at most INT64_MAX
    edge = huge_profile(62, nulls=imax - 2 ** 62 - 5, nonfinite=5)
    got = conn.execute("SELECT driftmon.nulls(%s::driftmon.numeric_profile) + "
                       "driftmon.nonfinite(%s::driftmon.numeric_profile)", (edge, edge)).fetchone()[0]
    t.ok(got == imax - 2 ** 62, "n + nulls + nonfinite = INT64_MAX is accepted")
    for label, txt in (("nulls", huge_profile(62, nulls=imax - 2 ** 62 + 1)),
                       ("nonfinite", huge_profile(62, nulls=10, nonfinite=imax - 2 ** 62 - 9))):
        try:
            conn.execute("SELECT %s::driftmon.numeric_profile", (txt,))
            t.ok(False, f"n + {label} beyond INT64_MAX is refused")
        except psycopg.Error as e:
            t.ok(e.sqlstate is not None and 'bigint range' in str(e),
                 f"n + {label} beyond INT64_MAX is refused ({e.sqlstate})", str(e))
    for label, other in (("two profiles of 2^62", big),
                         ("2^62 and 2^62 - 1 NULLs", huge_profile(1, nulls=2 ** 62 - 1))):
        try:
            conn.execute("SELECT driftmon.rollup(p) FROM (VALUES (%s::driftmon.numeric_profile), "
                         "(%s::driftmon.numeric_profile)) v(p)", (edge, other))
            t.ok(False, f"rollup beyond INT64_MAX rows ({label}) is refused")
        except psycopg.Error as e:
            t.ok(e.sqlstate == '22003', f"rollup beyond INT64_MAX rows ({label}) is refused (22003)", str(e))
    # exactly INT64_MAX rows after a merge: accepted, counts add up
    a = huge_profile(62, nulls=2 ** 61 - 1)
    b = huge_profile(61)
    row = conn.execute("SELECT driftmon.n(r), driftmon.nulls(r), driftmon.quantile(r, ARRAY[0, 1]::float8[]) "
                       "FROM (SELECT driftmon.rollup(p) r FROM (VALUES (%s::driftmon.numeric_profile), "
                       "(%s::driftmon.numeric_profile)) v(p)) s", (a, b)).fetchone()
    t.ok(row == (2 ** 62 + 2 ** 61, 2 ** 61 - 1, [1.0, 2.0]),
         "rollup to exactly INT64_MAX rows (2^62 + 2^61 values, 2^61 - 1 NULLs): counts add up", repr(row))


# ---------------------------------------------------------------------------
# 6. moments at the ends of the float8 range (exact fractions as reference)
# ---------------------------------------------------------------------------
def extreme_moments():
    # rollups whose two means differ by more than DBL_MAX: the mean must stay
    # the exact one (rounded), never a clamped min / max
    for label, shards in (("-1.7e308 and 1.7e308", [[-1.7e308], [1.7e308]]),
                          ("two shards near -DBL_MAX, two near DBL_MAX",
                           [[-1.7e308, -1.6e308], [1.7e308, 1.6e308], [-DBL_MAX], [DBL_MAX, 1.0]]),
                          ("huge values, then small ones", [[-1.5e308] * 3, [1.7e308] * 5, [0.5, -2.0]])):
        vals = [x for sh in shards for x in sh]
        exact = float(sum(Fraction(x) for x in vals) / len(vals))
        for order in ("ASC", "DESC"):
            got = conn.execute(
                "SELECT driftmon.mean(driftmon.rollup(p ORDER BY i " + order + ")) FROM "
                "(SELECT i, (SELECT driftmon.profile_agg(v) FROM unnest(a) v) p FROM "
                "unnest(%s::text[]) WITH ORDINALITY u(s, i), LATERAL (SELECT s::float8[] a) z) q",
                (["{" + ",".join(repr(x) for x in sh) + "}" for sh in shards],)).fetchone()[0]
            # absolute slack: a few ulps of the data's scale, DBL_MAX * 2^-52 ~ 4e292
            t.close(got, exact, 1e-15, f"rollup mean of {label} ({order}) vs exact fraction",
                    atol=1e293, metric='extreme_mean_rel_err')
    # stddev: the exact value where the profile can hold it, and where its
    # float8 sum of squared deviations over- or underflows but the profile is
    # exact (recomputed from its values); error 22003 for a sketch there
    for label, vals, ok in (("spread 1e150", [1e150, -1e150, 3e150], True),
                            ("spread 1e-150", [1e-150, -1e-150, 0.0], True),
                            ("+-1e200", [1e200, -1e200], True),
                            ("1e300 and its neighbour", [1e300, float(np.nextafter(1e300, 2e300))], True),
                            ("+-1e-170", [1e-170, -1e-170], True),
                            ("all equal 1e300", [1e300] * 4, True)):
        fr = [Fraction(x) for x in vals]
        mean = sum(fr) / len(fr)
        var = sum((x - mean) ** 2 for x in fr) / (len(fr) - 1)
        # the variance itself may be beyond a double (2e400): its root in mpmath
        want = float(mpmath.sqrt(mpmath.mpf(var.numerator) / var.denominator)) if ok else None
        for form in ("profile_agg", "rollup"):
            sql = ("SELECT driftmon.stddev(driftmon.profile_agg(v)) FROM unnest(%s::float8[]) v"
                   if form == "profile_agg" else
                   "SELECT driftmon.stddev(driftmon.rollup(p)) FROM (SELECT driftmon.profile_agg(v) p "
                   "FROM unnest(%s::float8[]) WITH ORDINALITY u(v, i) GROUP BY i) s")
            try:
                got = conn.execute(sql, (vals,)).fetchone()[0]
                if ok:
                    t.close(got, want, 1e-14, f"stddev {label} ({form}) vs exact fraction",
                            metric='extreme_stddev_rel_err')
                else:
                    t.ok(False, f"stddev {label} ({form}) beyond what M2 holds is refused (22003)",
                         f"returned {got!r}")
            except psycopg.Error as e:
                t.ok(not ok and e.sqlstate == '22003',
                     f"stddev {label} ({form}) beyond what M2 holds is refused (22003)"
                     if not ok else f"stddev {label} ({form})", str(e))
    for label, scale in (("1e200 .. 1e202", 1e200), ("1e-170 .. 1e-168", 1e-170)):
        try:
            got = conn.execute("SELECT driftmon.stddev(driftmon.profile_agg(x * %s, 16)) "
                               "FROM generate_series(1, 100) x", (scale,)).fetchone()[0]
            t.ok(False, f"stddev of a sketch of {label} (M2 beyond float8) is refused (22003)", f"returned {got!r}")
        except psycopg.Error as e:
            t.ok(e.sqlstate == '22003', f"stddev of a sketch of {label} (M2 beyond float8) is refused (22003)", str(e))


def ks_upper():
    """ks_p_value_upper(ref, cur) is at least the exact p-value (scipy's
    ks_2samp on the raw rows, asymptotic: max n > 10000) whenever the
    statistic is within the bound, for samples of one distribution and
    for shifts; under the null it stays large where ks_test's sketch-mode
    p-value does not; a shift well beyond the bound is still detected;
    exact profiles give ks_test's own p-value."""
    prof = ("SELECT driftmon.profile_agg(v, %s) FROM unnest(%s::float8[]) v")
    false_alarm_noisy = false_alarm_upper = 0
    for i in range(24):
        k = [16, 64, 256][i % 3]
        n1, n2 = int(rng.integers(20000, 60000)), int(rng.integers(20000, 60000))
        shift = [0.0, 0.0, 0.02, 0.3][i % 4]
        a, b = rng.normal(0, 1, n1), rng.normal(shift, 1, n2)
        pa = conn.execute(prof, (k, fl(a))).fetchone()[0]
        pb = conn.execute(prof, (k, fl(b))).fetchone()[0]
        st, p, pu, ea, eb = conn.execute(
            "SELECT (driftmon.ks_test(%s::driftmon.numeric_profile, %s::driftmon.numeric_profile)).statistic, "
            "(driftmon.ks_test(%s::driftmon.numeric_profile, %s::driftmon.numeric_profile)).p_value, "
            "driftmon.ks_p_value_upper(%s::driftmon.numeric_profile, %s::driftmon.numeric_profile), "
            "driftmon.rank_error(%s::driftmon.numeric_profile), driftmon.rank_error(%s::driftmon.numeric_profile)",
            (pa, pb, pa, pb, pa, pb, pa, pb)).fetchone()
        ex = stats.ks_2samp(a, b)
        name = f"ks_p_value_upper k={k} n={n1},{n2} shift={shift}"
        row = conn.execute(
            "SELECT (r).statistic, (r).p_value, (r).method FROM (SELECT driftmon.ks_test_upper("
            "%s::driftmon.numeric_profile, %s::driftmon.numeric_profile) r) s", (pa, pb)).fetchone()
        t.ok(row == (st, pu, 'asymp'), name + ": ks_test_upper = (ks_test's statistic, ks_p_value_upper, asymp)",
             f"got {row}, want {(st, pu, 'asymp')}")
        en = round(n1 * n2 / (n1 + n2))
        want = 1.0 if st - ea - eb <= 0 else float(stats.kstwo.sf(st - ea - eb, en))
        t.close(pu, want, 1e-11, name + ": kstwo.sf(D - eps_ref - eps_cur)", metric='ks_p_upper')
        if abs(st - ex.statistic) <= ea + eb:
            t.ok(pu >= ex.pvalue * (1 - 1e-12), name + ": at least the exact p-value",
                 f"upper {pu!r} < exact {ex.pvalue!r} (D {st} vs {ex.statistic}, eps {ea + eb})")
        if shift == 0.0:
            false_alarm_noisy += p < 0.05
            false_alarm_upper += pu < 0.05
        if shift == 0.3 and ex.statistic > 2 * (ea + eb) + 0.02:
            t.ok(pu < 1e-6, name + ": a shift well beyond the bound is detected", f"upper {pu!r}")
    # samples of one distribution: the bound never alarms (the noisy p-value does)
    t.ok(false_alarm_upper == 0, f"ks_p_value_upper: no alarm at 0.05 in 12 null cases "
         f"(ks_test's sketch p-value: {false_alarm_noisy})", f"{false_alarm_upper} alarms")
    # exact profiles: ks_test's p-value (scipy's, method auto)
    for n1, n2 in ((30, 45), (500, 500), (1000, 7)):
        a, b = rng.normal(0, 1, n1), rng.normal(0.4, 1, n2)
        got = conn.execute(
            "SELECT driftmon.ks_p_value_upper((" + prof + "), (" + prof + "))",
            (1024, fl(a), 1024, fl(b))).fetchone()[0]
        t.close(got, stats.ks_2samp(a, b).pvalue, 1e-10, f"ks_p_value_upper exact profiles {n1},{n2} = ks_2samp p",
                metric='ks_p_upper_exact')


for fn in (single_sketches, large_k, quantile_levels, pair_cases, merge_cases, merge_errors_and_determinism,
           bigint_limits, extreme_moments, ks_upper):
    t.run(fn)
t.done()
