"""Review round 4 of the drift profiles (issue 8): cases earlier rounds missed.

- ks_test over two exact profiles against scipy.stats.ks_2samp on the same
  samples, on data where the maximum |cdf1 - cdf2| is reached at several
  points (ties): statistic_location and statistic_sign must be scipy's, as
  the raw ks_test's are (scipy breaks exact ties with its rounded doubles).
"""
import os
import sys

import numpy as np
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
t.done()
