"""
test/lib/driftref.py: reference computations of the binned divergences,
shared by the numeric drift oracle files.  numpy bins the samples the way
the README documents for each binning rule; PSI and JS are summed in
mpmath at the caller's precision (the oracle files set 40 digits), so the
reference itself has no rounding to speak of.
"""
import math

import mpmath
import numpy as np


def hist(ref, cur, rule, bins):
    """Per-side proportions on the bins of a rule: 'quantile' (reference
    quantile cut points, tied ones collapsed, right-closed), 'uniform'
    (numpy equal-width edges over both samples) or 'sturges' (numpy's
    sturges edges over both samples: Evidently's rule)."""
    ref = np.sort(np.asarray(ref, float))
    cur = np.sort(np.asarray(cur, float))
    if rule == 'quantile':
        cuts = np.unique(np.quantile(ref, np.arange(1, bins) / bins))
        rc = np.bincount(np.searchsorted(cuts, ref, 'left'), minlength=len(cuts) + 1)
        cc = np.bincount(np.searchsorted(cuts, cur, 'left'), minlength=len(cuts) + 1)
    else:
        both = np.concatenate([ref, cur])
        e = np.histogram_bin_edges(both, bins=bins if rule == 'uniform' else 'sturges')
        rc = np.histogram(ref, e)[0]
        cc = np.histogram(cur, e)[0]
    return rc / len(ref), cc / len(cur)


def psi_ref(p, q):
    """Evidently's PSI (empty bin -> 1e-4 per side) summed in mpmath."""
    p = np.where(p == 0, 0.0001, p)
    q = np.where(q == 0, 0.0001, q)
    s = mpmath.mpf(0)
    for a, b in zip(p, q):
        a, b = mpmath.mpf(float(a)), mpmath.mpf(float(b))
        s += (a - b) * mpmath.log(a / b)
    return float(s)


def js_ref(p, q):
    """Jensen-Shannon divergence, base 2, of two proportion vectors."""
    s = mpmath.mpf(0)
    for a, b in zip(p, q):
        a, b = mpmath.mpf(float(a)), mpmath.mpf(float(b))
        m = (a + b) / 2
        if a > 0:
            s += a * mpmath.log(a / m) / 2
        if b > 0:
            s += b * mpmath.log(b / m) / 2
    return float(s / mpmath.log(2))


def box_bound(f, p, q, dp, dq):
    """Bounds on the change of a sum of jointly convex per-bin terms f when
    every p_i moves by <= dp and q_i by <= dq: up to the worst corner of the
    box, down to the tangent plane (numerical gradient).  Used to check
    divergences of sketches whose bin masses are known within dp, dq."""
    up = down = 0.0
    h = 1e-7
    for pi, qi in zip(p, q):
        base = f(pi, qi)
        up += max(f(min(1, max(1e-9, pi + sp * dp)), min(1, max(1e-9, qi + sq * dq)))
                  for sp in (-1, 1) for sq in (-1, 1)) - base
        gp = (f(pi + h, qi) - f(max(1e-12, pi - h), qi)) / (2 * h)
        gq = (f(pi, qi + h) - f(pi, max(1e-12, qi - h))) / (2 * h)
        down += abs(gp) * dp + abs(gq) * dq
    return up, down


def psi_term(p, q):
    """One bin's PSI term, empty proportions at 1e-4 (the documented rule)."""
    p = p if p > 0 else 1e-4
    q = q if q > 0 else 1e-4
    return (q - p) * math.log(q / p)


def js_term(p, q):
    """One bin's Jensen-Shannon term, base 2."""
    m = (p + q) / 2
    return ((p * math.log2(p / m) if p > 0 else 0) + (q * math.log2(q / m) if q > 0 else 0)) / 2


def hel2_term(p, q):
    """One bin's squared Hellinger term."""
    return (math.sqrt(max(p, 0)) - math.sqrt(max(q, 0))) ** 2 / 2
