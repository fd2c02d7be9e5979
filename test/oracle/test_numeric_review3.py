"""Third-round review oracle of the numeric drift functions (issue 3): cases
the random and adversarial files did not reach.

Every expected value is exact rational arithmetic (fractions.Fraction)
rounded once, never driftmon's output.

  wasserstein at subnormal scale: samples of magnitude 1e-320 .. 1e-300.
      The products |F_a - F_b| * gap are subnormal there and each was
      rounded to the 4.9e-324 grid: up to ~n subnormal steps of error (2%
      relative at 1e-320, 2e-7 at 1e-315, 4e-12 at 1e-310; scipy has the
      same loss).  Now within one unit in the last place of the exact
      rational integral, in wasserstein_agg (array and aggregate forms) and
      numeric_drift.  Samples of larger magnitude (1e-300, 1e-150) and
      mixed tiny/normal samples are held to the same bound.
"""
import bisect
import math
import os
import sys
import time
from fractions import Fraction

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

T0 = time.time()
t = dmtest.Tap('numeric_review3')
conn = dmtest.connect()


def fl(x):
    return [float(v) for v in x]


def exact_w(a, b):
    """The first Wasserstein distance as an exact rational: the integral of
    |F_a - F_b| over the merged sorted values (F right-continuous)."""
    fa = sorted(Fraction(v) for v in a)
    fb = sorted(Fraction(v) for v in b)
    xs = sorted(set(fa) | set(fb))
    s = Fraction(0)
    for x, y in zip(xs, xs[1:]):
        i = bisect.bisect_right(fa, x)
        j = bisect.bisect_right(fb, x)
        s += abs(Fraction(i, len(fa)) - Fraction(j, len(fb))) * (y - x)
    return s


def within_ulp(got, want):
    """got is one of the two doubles next to the exact rational want."""
    wf = float(want)
    return got is not None and abs(Fraction(got) - want) <= Fraction(math.ulp(wf))


def test_wasserstein_tiny():
    rng = np.random.default_rng(20261124)
    cases = []
    for sc in (1e-320, 1e-318, 1e-315, 1e-312, 1e-310, 1e-308, 1e-300, 1e-150):
        for k in range(6):
            n1, n2 = int(rng.integers(2, 120)), int(rng.integers(2, 120))
            a = rng.random(n1) * sc
            b = rng.random(n2) * sc * float(rng.uniform(0.5, 2.0))
            if k % 3 == 1:
                b = -b                              # both signs
            if k % 3 == 2:
                a = np.round(a / sc * 7) * sc / 7   # ties
            cases.append((f"scale {sc:g} case {k}", fl(a), fl(b)))
    # hand-made: tiny steps of the subnormal grid, and a tiny sample against
    # a normal one (no scaling there: the large gap dominates)
    u = 5e-324
    cases.append(("1, 2, 3 subnormal steps vs 7 steps", [u, 2 * u, 3 * u], [7 * u]))
    cases.append(("3 x 0 vs 1 step", [0.0] * 3, [u]))
    cases.append(("tiny vs normal", fl(rng.random(50) * 1e-318), [1.0, 2.0]))
    for name, a, b in cases:
        want = exact_w(a, b)
        got = conn.execute("SELECT driftmon.wasserstein_agg(%s::float8[], %s::float8[]), "
                           "(driftmon.numeric_drift(%s::float8[], %s::float8[])).wasserstein",
                           (a, b, a, b)).fetchone()
        t.ok(within_ulp(got[0], want),
             f"wasserstein_agg array form, {name} (n={len(a)}, {len(b)}): within 1 ulp of exact",
             f"got {got[0]!r} want {float(want)!r}")
        t.ok(within_ulp(got[1], want),
             f"numeric_drift wasserstein, {name}: within 1 ulp of exact",
             f"got {got[1]!r} want {float(want)!r}")
        if got[0] is not None and float(want) != 0:
            t.note_err('wasserstein_tiny_vs_exact', abs(got[0] - float(want)) / float(want), name)
    # aggregate form, all cases at once (GROUP BY case)
    conn.execute("DROP TABLE IF EXISTS rv3_w")
    conn.execute("CREATE TEMP TABLE rv3_w (g int, v float8, f bool)")
    data = []
    for g, (name, a, b) in enumerate(cases):
        data += [(g, v, False) for v in a] + [(g, v, True) for v in b]
    dmtest.copy_rows(conn, 'rv3_w', ('g', 'v', 'f'), data)
    got = dict(conn.execute("SELECT g, driftmon.wasserstein_agg(v, f) FROM rv3_w GROUP BY g").fetchall())
    for g, (name, a, b) in enumerate(cases):
        want = exact_w(a, b)
        t.ok(within_ulp(got.get(g), want),
             f"wasserstein_agg aggregate form, {name}: within 1 ulp of exact",
             f"got {got.get(g)!r} want {float(want)!r}")


for fn in (test_wasserstein_tiny,):
    t0 = time.time()
    t.run(fn)
    print(f"# {fn.__name__}: {time.time() - t0:.1f} s")
print(f"# numeric review3 runtime: {time.time() - T0:.1f} s")
t.done()
