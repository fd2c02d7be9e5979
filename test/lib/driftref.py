"""
test/lib/driftref.py: reference computations of the binned divergences,
shared by the numeric drift oracle files.  numpy bins the samples the way
the README documents for each binning rule; PSI and JS are summed in
mpmath at the caller's precision (the oracle files set 40 digits), so the
reference itself has no rounding to speak of.
"""
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
