"""Review round 4 of the drift profiles (issue 8): cases earlier rounds missed.

- ks_test over two exact profiles against scipy.stats.ks_2samp on the same
  samples, on data where the maximum |cdf1 - cdf2| is reached at several
  points (ties): statistic_location and statistic_sign must be scipy's, as
  the raw ks_test's are (scipy breaks exact ties with its rounded doubles).
- wasserstein / wasserstein_normed of two exact profiles equal
  wasserstein_agg / numeric_drift's field over the same rows to the bit
  (README: exact profiles give the exact aggregates' results) and exact
  rational arithmetic within 1e-15, also for subnormal samples (the
  profile path summed without compensation and without wasserstein_agg's
  2^600 rescaling: last-bit differences, and 2% error near 1e-320).
- save_baseline over a query that returns no rows: an error (22023, as a query without columns)
  and nothing saved, also with replace => true (the old baseline stays);
  it used to store a baseline without profiles and return the column count.
"""
import os
import sys
from fractions import Fraction

import numpy as np
import psycopg
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

t = dmtest.Tap('profile_review4')
conn = dmtest.connect()
rng = np.random.default_rng(20261124)


def one(sql, *args):
    return conn.execute(sql, args).fetchone()


def prof_sql(arg):
    return f"(SELECT driftmon.profile_agg(x) FROM unnest({arg}::float8[]) x)"


# --- ks_test location / sign on exact profiles vs scipy -------------------
def ks_location_cases():
    for trial in range(600):
        kind = trial % 3
        n1 = int(rng.integers(1, 60))
        n2 = int(rng.integers(1, 60))
        if kind == 0:
            r, c = rng.normal(size=n1), rng.normal(0.3, size=n2)
        elif kind == 1:
            r = rng.integers(0, 4, n1).astype(float)
            c = rng.integers(0, 5, n2).astype(float)
        else:
            r = np.round(rng.exponential(size=n1), 1)
            c = np.round(rng.exponential(size=n2), 1)
        r, c = [float(v) for v in r], [float(v) for v in c]
        got = one(f"""SELECT (k).statistic, (k).statistic_location, (k).statistic_sign
                      FROM (SELECT driftmon.ks_test({prof_sql('%s')}, {prof_sql('%s')}) k) s""",
                  r, c)
        s = stats.ks_2samp(r, c)
        want = (float(s.statistic), float(s.statistic_location), int(s.statistic_sign))
        t.ok(tuple(got) == want, f"ks_test(profiles) location/sign as scipy, case {trial} "
             f"(n1={n1}, n2={n2}, kind {kind})", f"got {got}, scipy {want}")


ks_location_cases()


# --- wasserstein of exact profiles vs wasserstein_agg and exact arithmetic --
def exact_wasserstein(r, c):
    """Integral of |F_r - F_c| in rational arithmetic."""
    xs = sorted(set(r) | set(c))
    rs, cs = sorted(r), sorted(c)
    tot, i, j = Fraction(0), 0, 0
    for a, b in zip(xs, xs[1:]):
        while i < len(rs) and rs[i] <= a:
            i += 1
        while j < len(cs) and cs[j] <= a:
            j += 1
        tot += abs(Fraction(i, len(rs)) - Fraction(j, len(cs))) * (Fraction(b) - Fraction(a))
    return tot


def wasserstein_cases():
    for trial in range(240):
        kind = trial % 4
        n1 = int(rng.integers(1, 50))
        n2 = int(rng.integers(1, 50))
        scale = (1.0, 1e-300, 1e-318, 1e300)[kind]
        r = [float(v) for v in rng.normal(size=n1) * scale]
        c = [float(v) for v in (rng.normal(size=n2) + 0.4) * scale]
        if trial % 5 == 0:
            c = [float(v) for v in np.round(rng.normal(size=n2), 1) * scale]
        got = one(f"""SELECT driftmon.wasserstein(r, c), driftmon.wasserstein_agg(%s::float8[], %s::float8[]),
                             driftmon.wasserstein_normed(r, c),
                             (driftmon.numeric_drift(%s::float8[], %s::float8[])).wasserstein_normed
                      FROM (SELECT {prof_sql('%s')} r, {prof_sql('%s')} c) s""", r, c, r, c, r, c)
        name = f"case {trial} (n1={n1}, n2={n2}, scale {scale:g})"
        t.ok(got[0] == got[1], f"wasserstein(exact profiles) = wasserstein_agg to the bit, {name}",
             f"profiles {got[0]!r}, wasserstein_agg {got[1]!r}")
        t.ok(got[2] == got[3], f"wasserstein_normed(exact profiles) = numeric_drift's to the bit, {name}",
             f"profiles {got[2]!r}, numeric_drift {got[3]!r}")
        want = float(exact_wasserstein(r, c))
        t.close(got[0], want, 1e-15, f"wasserstein(exact profiles) vs exact rational, {name}",
                metric='wasserstein_exact')


wasserstein_cases()


# --- save_baseline over no rows -------------------------------------------
def empty_baseline():
    conn.execute("DELETE FROM driftmon.baselines WHERE name LIKE 'review4_%'")
    for q in ("SELECT 1.5::float8 AS x, 'a'::text AS y WHERE false",
              "SELECT x FROM generate_series(1, 0) x"):
        try:
            conn.execute("SELECT driftmon.save_baseline('review4_empty', %s)", (q,))
            t.ok(False, f"save_baseline over no rows is an error: {q}", "no error raised")
        except psycopg.Error as e:
            t.ok(e.sqlstate == '22023', f"save_baseline over no rows is error 22023: {q}",
                 f"sqlstate {e.sqlstate}: {e}")
        n = one("SELECT count(*) FROM driftmon.baselines WHERE name = 'review4_empty'")[0]
        t.ok(n == 0, f"nothing saved for an empty query: {q}", f"{n} baselines rows")
    # an all-NULL column over rows is not empty: profiled (nulls counted)
    got = one("SELECT driftmon.save_baseline('review4_nulls', 'SELECT NULL::float8 AS x FROM generate_series(1, 3)')")[0]
    p = one("SELECT driftmon.n(p), driftmon.nulls(p) FROM driftmon.baseline_numeric('review4_nulls', 'x') p")
    t.ok(got == 1 and tuple(p) == (0, 3), "all-NULL column over 3 rows: one profile, 3 NULLs", f"{got}, {p}")
    # replace => true with an empty query keeps the old baseline
    try:
        conn.execute("SELECT driftmon.save_baseline('review4_nulls', 'SELECT 1::float8 AS x WHERE false', true)")
    except psycopg.Error:
        pass
    p = one("SELECT driftmon.nulls(p) FROM driftmon.baseline_numeric('review4_nulls', 'x') p")
    t.ok(p is not None and p[0] == 3, "replace with an empty query keeps the old baseline", f"{p}")
    conn.execute("DELETE FROM driftmon.baselines WHERE name LIKE 'review4_%'")


empty_baseline()
t.done()
