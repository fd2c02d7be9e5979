"""Oracle tests of the numeric drift functions against scipy 1.10 / numpy.

Random cases (fixed seed): sizes 1..20000, continuous and heavily tied data,
equal and very unequal sizes.  All cases are loaded into one table
(case_id, value, is_current) and every aggregate runs once per statement with
GROUP BY case_id; a subset also goes through the array forms.

References:
  ks_test        scipy.stats.ks_2samp(reference, current, alternative, method):
                 statistic (rtol 1e-12: we return h/lcm, scipy's asymp path
                 returns i/n1 - j/n2 rounded), location and sign exactly,
                 p-value and method.  p-values are skipped (TAP SKIP) while
                 src/core/ks_dist.c is the stub that returns NaN, and where
                 scipy warned that it fell back from exact to asymp (it is
                 wrong there, DESIGN.md section 4): those are compared with
                 exact path counts (test/lib/ksexact.py) up to n1 * n2 = 8e6
                 (about 1 s each), skipped beyond.  One-sided exact p-values with
                 n1 != n2 are compared at rtol 1e-10 (scipy loses ~1e-11 to
                 cancellation there), asymptotic ones at 1e-11 (the core sums
                 kstwo's series in double-double, scipy in double: up to
                 2e-12 apart), all others at 1e-12.
  psi_agg        re-implemented from the definition with numpy (quantile,
                 histogram_bin_edges, histogram, searchsorted), terms summed
                 in 40-digit mpmath: rtol 1e-12 or atol 1e-15 (the absolute
                 floor covers near-identical histograms, where log(q/p)
                 of a ratio within an ulp of 1 has a large relative error in
                 any double implementation).
  js_divergence  mpmath 40-digit JS (base 2) of the same histograms, rtol
                 1e-12 or atol 1e-15; and scipy jensenshannon(base=2)**2
                 where it is not NaN, atol 1e-13 (scipy cancels).
  wasserstein    scipy.stats.wasserstein_distance, rtol 1e-12.
  numeric_drift  every field: counts exact; mean vs math.fsum/n; std vs
                 numpy std(ddof=1); min/max/percentiles vs numpy exactly
                 (rtol 1e-15); KS/PSI/JS/Wasserstein as above.
"""
import math
import time
import os
import sys
import warnings

import mpmath
import numpy as np
from scipy import stats
from scipy.spatial.distance import jensenshannon

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
from ksexact import exact_fraction  # noqa: E402
from driftref import hist, psi_ref, js_ref  # noqa: E402

mpmath.mp.dps = 40
RTOL = 1e-12
N_CASES = 1100
N_ARRAY_CASES = 300
rng = np.random.default_rng(20261123)
t = dmtest.Tap('numeric')


# ---------------------------------------------------------------- data
def draw_size(kind):
    if kind == 'small':
        return int(rng.integers(1, 60))
    if kind == 'medium':
        return int(rng.integers(60, 2500))
    return int(rng.integers(3000, 20001))


def draw_sample(n, style, shift):
    if style == 'continuous':
        return rng.normal(shift, 1.0 + 0.3 * shift, n)
    if style == 'tied':  # few distinct values
        k = int(rng.integers(1, 8))
        return rng.integers(0, k, n).astype(float) + (1 if shift > 0.5 else 0)
    if style == 'rounded':  # moderately tied
        return np.round(rng.exponential(1.0 + shift, n), 1)
    # mixed: a point mass plus a continuous part
    x = rng.normal(shift, 1.0, n)
    x[rng.random(n) < 0.4] = 0.0
    return x


def make_case(cid):
    kind = rng.choice(['small', 'medium', 'large'], p=[0.72, 0.24, 0.04])
    n1 = draw_size(kind)
    r = rng.random()
    if r < 0.25:
        n2 = n1                                   # equal sizes
    elif r < 0.4:
        n2 = max(1, n1 // int(rng.integers(5, 50)))  # very unequal
    else:
        n2 = draw_size(kind)
    style = rng.choice(['continuous', 'tied', 'rounded', 'mixed'])
    shift = float(rng.choice([0.0, 0.0, 0.1, 0.5, 2.0]))
    ref = draw_sample(n1, style, 0.0)
    cur = draw_sample(n2, style, shift)
    if rng.random() < 0.05:
        cur = ref.copy()[:n2] if n2 <= n1 else cur  # identical prefix
    big = max(n1, n2)
    if big > 10000:
        method = rng.choice(['auto', 'asymp'])
    elif big > 2500:
        method = 'asymp'
    else:
        method = rng.choice(['auto', 'exact', 'asymp'])
    bins = int(rng.integers(2, 21))
    return dict(id=cid, ref=ref, cur=cur, method=str(method), bins=bins)


T0 = time.time()
cases = [make_case(i) for i in range(N_CASES)]


# ---------------------------------------------------------------- references
def ks_ref(ref, cur, alt, method):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        r = stats.ks_2samp(ref, cur, alternative=alt, method=method)
    fell_back = any('exact' in str(x.message).lower() or 'asymp' in str(x.message).lower()
                    for x in w)
    g = math.gcd(len(ref), len(cur))
    if method == 'auto':
        used = 'exact' if max(len(ref), len(cur)) <= 10000 else 'asymp'
    else:
        used = method
    if fell_back:
        used = 'asymp'
    p = float(r.pvalue)
    n1, n2 = len(ref), len(cur)
    if n1 == 1 and n2 == 1 and alt == 'two-sided' and used == 'asymp':
        # scipy: kstwo with n = round(1/2) = 0 -> NaN.  Exactly, D is 0 or 1
        # and P(D >= D_obs) = 1 either way; driftmon computes that exactly.
        p, used = 1.0, 'exact'
    return (float(r.statistic), p, float(r.statistic_location),
            int(r.statistic_sign), used, fell_back, g)


def div_close(got, want, name, metric):
    return t.close(got, want, RTOL, name, atol=1e-15, metric=metric)


# ---------------------------------------------------------------- load
conn = dmtest.connect()
conn.execute("DROP TABLE IF EXISTS nd_cases")
conn.execute("""CREATE TABLE nd_cases (case_id int, value float8, is_current bool,
                method text, bins int)""")
with conn.cursor() as cur_:
    with cur_.copy("COPY nd_cases FROM STDIN") as cp:
        for c in cases:
            for flag, arr in (('f', c['ref']), ('t', c['cur'])):
                tail = f"\t{flag}\t{c['method']}\t{c['bins']}\n"
                head = f"{c['id']}\t"
                # repr of a float round-trips exactly through float8in
                cp.write(''.join(head + repr(float(v)) + tail for v in arr))
    # noise rows that every function must skip or count
    cur_.execute("""INSERT INTO nd_cases
        SELECT case_id, v, f, min(method), min(bins)
        FROM nd_cases, (VALUES (NULL::float8, false), (NULL, true), ('NaN', false),
                               ('Infinity', true), ('-Infinity', true), (1.0, NULL)) x(v, f)
        WHERE case_id % 7 = 0 GROUP BY case_id, v, f""")
conn.execute("ANALYZE nd_cases")

# stub detection: the KS p-value of the contract stub is NaN
stub = conn.execute("""SELECT (driftmon.ks_test(ARRAY[1,2,3]::float8[],
                        ARRAY[4,5,6]::float8[])).p_value = 'NaN'""").fetchone()[0]
if stub:
    print("# src/core/ks_dist.c is the stub: KS p-value assertions are skipped")

rows = conn.execute("""
SELECT case_id,
       (k2).statistic, (k2).p_value, (k2).statistic_location, (k2).statistic_sign, (k2).method,
       (kl).statistic, (kl).p_value, (kl).statistic_location, (kl).statistic_sign, (kl).method,
       (kg).statistic, (kg).p_value, (kg).statistic_location, (kg).statistic_sign, (kg).method,
       psi_q, psi_u, psi_s, js, w,
       (nd).n_reference, (nd).n_current, (nd).nulls_reference, (nd).nulls_current,
       (nd).nonfinite_reference, (nd).nonfinite_current,
       (nd).mean_reference, (nd).mean_current, (nd).std_reference, (nd).std_current,
       (nd).min_reference, (nd).min_current, (nd).max_reference, (nd).max_current,
       (nd).p05_reference, (nd).p05_current, (nd).p50_reference, (nd).p50_current,
       (nd).p95_reference, (nd).p95_current, (nd).ks_statistic, (nd).ks_p_value,
       (nd).psi, (nd).js_divergence, (nd).wasserstein, (nd).wasserstein_normed
FROM (SELECT case_id,
             driftmon.ks_test(value, is_current, 'two-sided', method) k2,
             driftmon.ks_test(value, is_current, 'less', method) kl,
             driftmon.ks_test(value, is_current, 'greater', method) kg,
             driftmon.psi_agg(value, is_current, bins) psi_q,
             driftmon.psi_agg(value, is_current, bins, 'uniform') psi_u,
             driftmon.psi_agg(value, is_current, 10, 'sturges') psi_s,
             driftmon.js_divergence(value, is_current, bins) js,
             driftmon.wasserstein_agg(value, is_current) w,
             driftmon.numeric_drift(value, is_current) nd
      FROM nd_cases GROUP BY case_id) s
ORDER BY case_id""").fetchall()
assert len(rows) == N_CASES, len(rows)


# ---------------------------------------------------------------- checks
def check_ks(c, got, alt, form):
    ref, cur = c['ref'], c['cur']
    stat, p, loc, sign, used, fell_back, g = ks_ref(ref, cur, alt, c['method'])
    name = f"{form} ks_test case {c['id']} n={len(ref)},{len(cur)} {alt} {c['method']}"
    gs, gp, gl, gsg, gm = got
    ok = (dmtest.rel_err(gs, stat) <= RTOL and gl == loc and gsg == sign)
    t.note_err('ks_statistic', dmtest.rel_err(gs, stat), name)
    t.ok(ok, name + ' statistic/location/sign',
         f"got ({gs!r}, {gl!r}, {gsg}) want ({stat!r}, {loc!r}, {sign})")
    pname = name + ' p-value'
    if stub:
        t.n += 1
        print(f"ok {t.n} - numeric: {pname} # SKIP ks_dist.c stub")
    elif fell_back and len(ref) * len(cur) > 8_000_000:
        t.n += 1
        print(f"ok {t.n} - numeric: {pname} # SKIP scipy fell back to asymp (wrong), too large for the exact reference")
    elif fell_back:
        # scipy silently used the asymptotic formula (DESIGN.md section 4):
        # the truth is the exact rational path count.
        n1, n2 = len(ref), len(cur)
        h = round(gs * (n1 * n2 // g)) if gs is not None else 0
        want = float(exact_fraction(n1, n2, h, alt == 'two-sided'))
        err = dmtest.rel_err(gp, want)
        t.note_err('ks_pvalue_vs_exact', err, pname)
        t.ok(err <= 1e-12 and gm == 'exact', pname + ' (scipy fell back; vs exact path count)',
             f"got {gp!r} ({gm}) want {want!r} (exact) rel_err {err:.3g}")
    else:
        if used == 'exact':
            rtol = 1e-10 if (alt != 'two-sided' and len(ref) != len(cur)) else RTOL
        else:
            rtol = 1e-11    # kstwo.sf: the core's double-double sum vs scipy's double
        err = dmtest.rel_err(gp, p)
        t.note_err('ks_pvalue', err, pname)
        t.ok(err <= rtol and gm == used, pname,
             f"got {gp!r} ({gm}) want {p!r} ({used}) rel_err {err:.3g}")
    return stat


def check_case(c, r):
    ref, cur = c['ref'], c['cur']
    n1, n2 = len(ref), len(cur)
    k2 = check_ks(c, r[1:6], 'two-sided', 'agg')
    check_ks(c, r[6:11], 'less', 'agg')
    check_ks(c, r[11:16], 'greater', 'agg')
    tag = f"case {c['id']} n={n1},{n2}"
    pq, qq = hist(ref, cur, 'quantile', c['bins'])
    psi_q = psi_ref(pq, qq)
    div_close(r[16], psi_q, f"agg psi_agg quantile bins={c['bins']} {tag}", 'psi_quantile')
    pu, qu = hist(ref, cur, 'uniform', c['bins'])
    div_close(r[17], psi_ref(pu, qu), f"agg psi_agg uniform bins={c['bins']} {tag}", 'psi_uniform')
    ps, qs = hist(ref, cur, 'sturges', 10)
    div_close(r[18], psi_ref(ps, qs), f"agg psi_agg sturges {tag}", 'psi_sturges')
    js = js_ref(pq, qq)
    div_close(r[19], js, f"agg js_divergence bins={c['bins']} {tag}", 'js')
    sj = jensenshannon(pq, qq, base=2)
    if not math.isnan(sj):
        t.close(r[19], float(sj) ** 2, RTOL, f"agg js_divergence vs scipy {tag}", atol=1e-13,
                metric='js_vs_scipy')
    w = float(stats.wasserstein_distance(ref, cur))
    t.close(r[20], w, RTOL, f"agg wasserstein_agg {tag}", metric='wasserstein')

    # numeric_drift: every field in one assertion, worst error per metric
    nd = r[21:]
    extra = c['id'] % 7 == 0
    want = [n1, n2, 1 if extra else 0, 1 if extra else 0, 1 if extra else 0,
            2 if extra else 0]
    bad = [f"count {i}: {nd[i]} != {want[i]}" for i in range(6) if nd[i] != want[i]]
    pairs = []
    for k, x in enumerate((ref, cur)):
        mean = math.fsum(x) / len(x)
        scale = float(np.max(np.abs(x))) if len(x) else 0.0
        pairs.append(('mean', nd[6 + k], mean, 1e-15 * scale))
        std = float(np.std(x, ddof=1)) if len(x) > 1 else None
        pairs.append(('std', nd[8 + k], std, 1e-15 * scale))
        pairs.append(('minmax', nd[10 + k], float(np.min(x)), 0))
        pairs.append(('minmax', nd[12 + k], float(np.max(x)), 0))
        for j, pc in enumerate((5, 50, 95)):
            pairs.append(('percentile', nd[14 + 2 * j + k], float(np.percentile(x, pc)), 0))
    pairs += [('ks_statistic', nd[20], k2, 0), ('psi', nd[22], psi_ref(*hist(ref, cur, 'quantile', 10)), 1e-15),
              ('js', nd[23], js_ref(*hist(ref, cur, 'quantile', 10)), 1e-15),
              ('wasserstein', nd[24], w, 0)]
    sref = float(np.std(ref, ddof=1)) if n1 > 1 else 0.0
    pairs.append(('wasserstein_normed', nd[25], w / sref if sref > 0 else None, 0))
    for metric, g, wv, atol in pairs:
        err = dmtest.rel_err(g, wv)
        t.note_err('numeric_drift_' + metric, err, tag)   # raw, before atol
        if g is not None and wv is not None and abs(g - wv) <= atol:
            err = 0.0
        if err > RTOL:
            bad.append(f"{metric}: got {g!r} want {wv!r} rel_err {err:.3g}")
    t.ok(not bad, f"agg numeric_drift {tag}", "\n".join(bad))


for c, r in zip(cases, rows):
    assert r[0] == c['id']
    check_case(c, r)

# ---------------------------------------------------------------- array forms
for c in cases[:N_ARRAY_CASES]:
    ref, cur = list(map(float, c['ref'])), list(map(float, c['cur']))
    alt = ['two-sided', 'less', 'greater'][c['id'] % 3]
    r = conn.execute("""
        SELECT (k).statistic, (k).p_value, (k).statistic_location, (k).statistic_sign, (k).method,
               driftmon.psi_agg(%(a)s::float8[], %(b)s::float8[], %(bins)s, 'quantile'),
               driftmon.psi_agg(%(a)s::float8[], %(b)s::float8[], %(bins)s, 'uniform'),
               driftmon.psi_agg(%(a)s::float8[], %(b)s::float8[], %(bins)s, 'sturges'),
               driftmon.js_divergence(%(a)s::float8[], %(b)s::float8[], %(bins)s),
               driftmon.wasserstein_agg(%(a)s::float8[], %(b)s::float8[]),
               (driftmon.numeric_drift(%(a)s::float8[], %(b)s::float8[])).mean_current,
               (driftmon.numeric_drift(%(a)s::float8[], %(b)s::float8[])).p95_reference
        FROM (SELECT driftmon.ks_test(%(a)s::float8[], %(b)s::float8[], %(alt)s, %(m)s) k) s""",
                     dict(a=ref, b=cur, bins=c['bins'], alt=alt, m=c['method'])).fetchone()
    tag = f"case {c['id']} n={len(ref)},{len(cur)}"
    check_ks(c, r[0:5], alt, 'array')
    b = c['bins']
    div_close(r[5], psi_ref(*hist(c['ref'], c['cur'], 'quantile', b)), f"array psi_agg quantile {tag}", 'psi_quantile')
    div_close(r[6], psi_ref(*hist(c['ref'], c['cur'], 'uniform', b)), f"array psi_agg uniform {tag}", 'psi_uniform')
    div_close(r[7], psi_ref(*hist(c['ref'], c['cur'], 'sturges', b)), f"array psi_agg sturges {tag}", 'psi_sturges')
    div_close(r[8], js_ref(*hist(c['ref'], c['cur'], 'quantile', b)), f"array js_divergence {tag}", 'js')
    t.close(r[9], float(stats.wasserstein_distance(ref, cur)), RTOL, f"array wasserstein_agg {tag}",
            metric='wasserstein')
    t.ok(dmtest.rel_err(r[10], math.fsum(cur) / len(cur)) <= RTOL
         and r[11] == float(np.percentile(ref, 95)), f"array numeric_drift {tag}",
         f"{r[10:12]}")

conn.execute("DROP TABLE nd_cases")
print(f"# numeric oracle runtime: {time.time() - T0:.1f} s")
conn.close()
t.done()
