"""ksexact: exact null distribution of the two-sample Kolmogorov-Smirnov
statistic by integer lattice-path counting, the reference for every KS
p-value test (independent of the C code and of scipy)."""
import math
from fractions import Fraction
from itertools import accumulate


def exact_fraction(n1, n2, h, two_sided):
    """P(D >= h/lcm) as a Fraction: C(n1+n2, n1) minus the number of
    lattice paths (0,0)->(n1,n2) that keep e = i*(n2/g) - j*(n1/g) < h
    (and > -h when two-sided), over C(n1+n2, n1).  Row by row, each row's
    inside cells are a running sum (itertools.accumulate) of the row before."""
    g = math.gcd(n1, n2)
    a, b = n1 // g, n2 // g
    prev = [1] + [0] * n2            # a virtual row -1 feeding (0, 0)
    for i in range(n1 + 1):
        jlo = max(0, (i * b - h) // a + 1)
        jhi = min(n2, (i * b + h - 1) // a) if two_sided else n2
        row = [0] * (n2 + 1)
        if jlo <= jhi:
            row[jlo:jhi + 1] = accumulate(prev[jlo:jhi + 1])
        prev = row
    total = math.comb(n1 + n2, n1)
    return Fraction(total - prev[n2], total)
