"""Oracle suite for categorical drift (issue 4).

1. The chi-square survival function of the core (src/core/chi2.c, built
   here into a shared library and called through ctypes) against
   scipy.stats.chi2.sf (scipy.special.chdtrc) on a dense grid: every dof from
   1 to 10000, x at the quantiles p = 1 - 1e-12 ... 1e-300 and on a linear
   grid.  rtol 1e-13 where p >= 1e-30; below, both scipy and we lose about
   |ln p| ulps to the rounding of the exponent, so rtol 1e-12 there.
2. 1000 random 2 x k tables (k from 2 to 500, counts from 0 to millions,
   categories present on one side only, bins empty on both sides) through
   the histogram forms chi2_test_counts / js_divergence_counts / psi_counts
   against scipy chi2_contingency (Yates for dof 1), jensenshannon(base=2)**2
   and PSI / KL (rel_entr, smoothing 1e-4 without renormalisation) from the
   definitions; rtol 1e-12.
3. The aggregate form (categorical_drift, chi2_test, js_divergence, psi_agg,
   category_counts -> category_table, GROUP BY case over one table), with two
   tables holding a category seen millions of times, and the text-array form.
"""
import ctypes
import glob
import math
from fractions import Fraction
import os
import random
import shutil
import string
import subprocess
import sys
import tempfile

import mpmath as mp
import numpy as np
import psycopg
import struct
from psycopg.adapt import Dumper
from psycopg.pq import Format
from scipy.spatial.distance import jensenshannon
from scipy.special import chdtrc, chdtri, rel_entr
from scipy.stats import chi2_contingency

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')
RTOL = 1e-12
# the divergences against their exact (mpmath) values: measured worst 5.3e-15
DIV_RTOL = 1e-13
DIV_KEYS = ('psi', 'kl', 'js', 'hellinger', 'tv', 'linf')
EMPTY = 1e-4

t = dmtest.Tap('categorical')


def build_core():
    """The Postgres-free core as a shared library for ctypes."""
    d = tempfile.mkdtemp(prefix='dm_cat_core_')
    so = os.path.join(d, 'core.so')
    srcs = sorted(glob.glob(os.path.join(ROOT, 'src', 'core', '*.c')))
    subprocess.check_call(['gcc', '-std=c99', '-O2', '-fPIC', '-shared', '-D_GNU_SOURCE',
                           '-I' + os.path.join(ROOT, 'src', 'core'), '-o', so] + srcs + ['-lm'])
    lib = ctypes.CDLL(so)
    shutil.rmtree(d)  # the mapping stays valid after the file is gone
    lib.dm_chi2_sf.restype = ctypes.c_double
    lib.dm_chi2_sf.argtypes = [ctypes.c_double, ctypes.c_double]
    return lib


def test_sf_grid():
    lib = build_core()
    sf = lib.dm_chi2_sf
    ps = np.concatenate([np.logspace(-300, -31, 16), np.logspace(-30, -1, 24),
                         np.linspace(0.1, 1 - 1e-12, 16)])
    block = 100
    for lo in range(1, 10001, block):
        worst = {'mid': (0.0, None), 'deep': (0.0, None)}
        for dof in range(lo, min(lo + block, 10001)):
            xs = np.concatenate([chdtri(dof, ps), np.linspace(0.0, 3.0 * dof + 40, 8)])
            want = chdtrc(dof, xs)
            for x, w in zip(xs, want):
                g = sf(float(x), float(dof))
                e = dmtest.rel_err(g, float(w))
                key = 'mid' if w >= 1e-30 else 'deep'
                if e > worst[key][0]:
                    worst[key] = (e, (dof, float(x), g, float(w)))
        hi = min(lo + block, 10001) - 1
        for key, rtol in (('mid', 1e-13), ('deep', 1e-12)):
            e, case = worst[key]
            t.note_err('chi2_sf_' + key, e, f'dof {lo}..{hi}: {case}')
            t.ok(e <= rtol, f'chi2 sf vs scipy, dof {lo}..{hi}, '
                 f'{"p >= 1e-30" if key == "mid" else "1e-300 <= p < 1e-30"} (worst {e:.3g})',
                 f'worst case (dof, x, got, want): {case}')
            if e > 3e-14:
                # Who is right?  The exact value (mpmath, 40 digits) of the
                # block's worst disagreement: we must be at least as close.
                dof, x, g, w = case
                with mp.workdps(40):
                    exact = mp.gammainc(mp.mpf(dof) / 2, mp.mpf(x) / 2, mp.inf, regularized=True)
                    eg = float(abs((g - exact) / exact))
                    es = float(abs((w - exact) / exact))
                t.note_err('chi2_sf_vs_exact_at_worst_disagreement', eg, f'dof {dof}, x {x}')
                t.note_err('scipy_chi2_sf_vs_exact_at_worst_disagreement', es, f'dof {dof}, x {x}')
                t.ok(eg <= es + 1e-15, f'chi2 sf, dof {dof}, x {x:.6g}: closer to the exact value '
                     f'than scipy ({eg:.2g} vs {es:.2g})', f'ours {eg:.3g}, scipy {es:.3g}')


def js_exact(r, c):
    """Base-2 Jensen-Shannon divergence of two count vectors, in mpmath."""
    with mp.workdps(30):
        R, C = mp.mpf(int(r.sum())), mp.mpf(int(c.sum()))
        acc = mp.mpf(0)
        for a, b in zip(r, c):
            pa, qb = mp.mpf(int(a)) / R, mp.mpf(int(b)) / C
            m = (pa + qb) / 2
            if pa:
                acc += pa * mp.log(pa / m)
            if qb:
                acc += qb * mp.log(qb / m)
        return float(acc / 2 / mp.log(2))


def divergences_exact(r, c):
    """PSI, KL (1e-4 for an empty share, not renormalised), Hellinger, total
    variation and L-infinity of two count vectors, in mpmath at 30 digits.
    numpy's formulas on rounded shares are off by up to ~4e-13 relative
    (KL, where terms of both signs cancel), more on nearly identical
    histograms (test_categorical_precision.py), so they are no reference."""
    with mp.workdps(30):
        R, C = mp.mpf(int(r.sum())), mp.mpf(int(c.sum()))
        e = mp.mpf('1e-4')
        psi = kl = hel = tv = linf = mp.mpf(0)
        for a, b in zip(r, c):
            pa, qb = mp.mpf(int(a)) / R, mp.mpf(int(b)) / C
            ps, qs = (pa if pa else e), (qb if qb else e)
            psi += (qs - ps) * mp.log(qs / ps)
            kl += ps * mp.log(ps / qs)
            hel += (mp.sqrt(pa) - mp.sqrt(qb)) ** 2
            tv += abs(pa - qb)
            linf = max(linf, abs(pa - qb))
        return {'psi': float(psi), 'kl': float(kl), 'hellinger': float(mp.sqrt(hel / 2)),
                'tv': float(tv / 2), 'linf': float(linf)}


def reference(ref, cur):
    """Everything categorical_drift reports, from the definitions / scipy."""
    ref = np.asarray(ref, dtype=np.int64)
    cur = np.asarray(cur, dtype=np.int64)
    keep = (ref + cur) > 0
    r, c = ref[keep], cur[keep]
    k = int(keep.sum())
    out = {'n_categories': k}
    if k == 1:
        out.update(chi2=0.0, p=1.0, dof=0)
    else:
        res = chi2_contingency(np.array([r, c]))
        out.update(chi2=float(res[0]), p=float(res[1]), dof=int(res[2]))
    p = r / r.sum()
    q = c / c.sum()
    ps = np.where(p == 0, EMPTY, p)
    qs = np.where(q == 0, EMPTY, q)
    out['psi'] = float(np.sum((qs - ps) * np.log(qs / ps)))
    out['kl'] = float(np.sum(rel_entr(ps, qs)))
    # scipy's jensenshannon sums terms of both signs and loses up to ~1e-12
    # relative on nearly identical histograms (DESIGN.md section 4), so the
    # reference is the definition evaluated with mpmath at 30 digits; the
    # gap to scipy is recorded as js_vs_scipy.
    out['js'] = js_exact(r, c)
    out['js_scipy'] = float(jensenshannon(p, q, base=2) ** 2)
    out['hellinger'] = math.sqrt(float(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2)) / 2)
    out['tv'] = float(np.sum(np.abs(p - q))) / 2
    out['linf'] = float(np.max(np.abs(p - q)))
    # the numpy values above are kept as a cross-check of the definitions;
    # the exact values are the reference
    for key, v in divergences_exact(r, c).items():
        out[key + '_numpy'] = out[key]
        out[key] = v
    out['n_unseen'] = int(np.sum((r == 0) & (c > 0)))
    out['unseen_share'] = float(c[r == 0].sum() / c.sum())
    out['n_vanished'] = int(np.sum((c == 0) & (r > 0)))
    out['vanished_share'] = float(r[c == 0].sum() / r.sum())
    return out


def random_table(rng):
    """A random pair of histograms: same or shifted distribution, a count
    scale from tens to millions, unseen / vanished / doubly empty bins."""
    k = int(rng.integers(2, 501))
    scale = float(10 ** rng.uniform(1, 6.5))
    w = rng.dirichlet(np.full(k, float(rng.choice([0.3, 1.0, 5.0]))))
    ref = rng.multinomial(int(scale), w)
    if rng.random() < 0.5:
        w2 = w  # no drift: moderate p-values
    else:
        w2 = rng.dirichlet(np.full(k, 1.0)) * 0.3 + w * 0.7
    cur = rng.multinomial(int(scale * rng.uniform(0.2, 3.0)), w2)
    if rng.random() < 0.4:
        ref[rng.integers(0, k, int(rng.integers(1, max(2, k // 10))))] = 0
    if rng.random() < 0.4:
        cur[rng.integers(0, k, int(rng.integers(1, max(2, k // 10))))] = 0
    if rng.random() < 0.2:
        i = rng.integers(0, k)
        ref[i] = cur[i] = 0
    if ref.sum() == 0:
        ref[0] = 1
    if cur.sum() == 0:
        cur[-1] = 1
    return ref, cur


FLOAT_METRICS = ('chi2', 'p', 'psi', 'kl', 'js', 'hellinger', 'tv', 'linf',
                 'unseen_share', 'vanished_share')


def compare(name, got, want, keys, atol=0.0):
    """One assertion per case: every metric within RTOL (errors recorded)."""
    bad = []
    if 'js' in keys and got['js'] is not None:
        t.note_err('js_vs_scipy', dmtest.rel_err(got['js'], want['js_scipy']), name)
    for key in keys:
        g, w = got[key], want[key]
        if isinstance(w, int):
            if g != w:
                bad.append(f'{key}: got {g} want {w}')
            continue
        e = dmtest.rel_err(g, w)
        if g is not None and math.isfinite(w) and abs(g - w) <= atol:
            e = min(e, 0.0)
        t.note_err(key, e, name)
        if e > (DIV_RTOL if key in DIV_KEYS else RTOL):
            bad.append(f'{key}: got {g!r} want {w!r} rel_err {e:.3g}')
    t.ok(not bad, name, '\n'.join(bad))


def test_counts_forms(conn, cases):
    for i, (ref, cur) in enumerate(cases):
        want = reference(ref, cur)
        row = conn.execute(
            "SELECT (c).statistic, (c).p_value, (c).dof, (c).n_categories, "
            "  driftmon.js_divergence_counts(%s::float8[], %s::float8[]), "
            "  driftmon.psi_counts(%s::float8[], %s::float8[]) "
            "FROM (SELECT driftmon.chi2_test_counts(%s::float8[], %s::float8[]) c) s",
            ([float(x) for x in ref], [float(x) for x in cur]) * 3).fetchone()
        got = {'chi2': row[0], 'p': row[1], 'dof': row[2], 'n_categories': row[3],
               'js': row[4], 'psi': row[5]}
        compare(f'counts form case {i} (k={len(ref)}, n={int(ref.sum())}/{int(cur.sum())})',
                got, want, ('chi2', 'p', 'dof', 'n_categories', 'js', 'psi'))
        if i % 4 == 0:
            # categorical_drift_counts: everything; top mover = first bin of max |q - p|
            row = conn.execute(
                "SELECT " + ", ".join(DRIFT_COLS) + " FROM driftmon.categorical_drift_counts("
                "%s::float8[], %s::float8[])", ([float(x) for x in ref], [float(x) for x in cur])
            ).fetchone()
            got = drift_dict(row)
            # exact shares: a tie that float rounding breaks is still a tie
            # (the first bin wins), and bins empty on both sides never win
            tr, tc = int(ref.sum()), int(cur.sum())
            top = min((i for i in range(len(ref)) if ref[i] + cur[i] > 0),
                      key=lambda i: (-abs(Fraction(int(cur[i]), tc) - Fraction(int(ref[i]), tr)), i))
            name = f'categorical_drift_counts case {i} (k={len(ref)})'
            if got['top_mover'] != str(top + 1):
                t.ok(False, name, f'top mover {got["top_mover"]} want {top + 1}')
            else:
                compare(name, got, want,
                        FLOAT_METRICS + ('dof', 'n_categories', 'n_unseen', 'n_vanished'))


def random_name(rng, used):
    while True:
        n = ''.join(rng.choice(list(string.ascii_letters + 'äé€ ')) for _ in range(rng.randint(1, 12)))
        if n not in used:
            used.add(n)
            return n


DRIFT_COLS = ('n_categories', 'chi2_statistic', 'chi2_p_value', 'chi2_dof', 'psi',
              'js_divergence', 'total_variation', 'hellinger', 'kl_divergence', 'linf',
              'n_unseen', 'unseen_share', 'n_vanished', 'vanished_share',
              'top_mover', 'top_mover_delta')


def drift_dict(row):
    d = dict(zip(DRIFT_COLS, row))
    return {'n_categories': d['n_categories'], 'chi2': d['chi2_statistic'],
            'p': d['chi2_p_value'], 'dof': d['chi2_dof'], 'psi': d['psi'],
            'js': d['js_divergence'], 'tv': d['total_variation'],
            'hellinger': d['hellinger'], 'kl': d['kl_divergence'], 'linf': d['linf'],
            'n_unseen': d['n_unseen'], 'unseen_share': d['unseen_share'],
            'n_vanished': d['n_vanished'], 'vanished_share': d['vanished_share'],
            'top_mover': d['top_mover'], 'top_mover_delta': d['top_mover_delta']}


def top_mover(names, ref, cur):
    """Largest |p_cur - p_ref|, ties to the smallest name by UTF-8 bytes."""
    tr, tc = int(np.sum(ref)), int(np.sum(cur))
    best = None
    for n, a, b in zip(names, ref, cur):
        if a == 0 and b == 0:
            continue
        # exact shares: a tie that float rounding breaks is still a tie
        d = Fraction(int(b), tc) - Fraction(int(a), tr)
        key = (-abs(d), n.encode())
        if best is None or key < best[0]:
            best = (key, n, float(d))
    return best[1], best[2]


def test_aggregate_form(conn, cases, rng):
    conn.execute("DROP TABLE IF EXISTS cat_oracle")
    conn.execute("CREATE TABLE cat_oracle (case_id int, category text, is_current boolean)")
    conn.execute("DROP TABLE IF EXISTS cat_counts")
    conn.execute("CREATE TEMP TABLE cat_counts (case_id int, category text, is_current boolean, n int)")
    named = []
    with conn.cursor() as cur:
        with cur.copy("COPY cat_counts FROM STDIN") as cp:
            for cid, (ref, curc) in enumerate(cases):
                used = set()
                names = [random_name(rng, used) for _ in ref]
                named.append(names)
                for n, a, b in zip(names, ref, curc):
                    if a:
                        cp.write_row((cid, n, False, int(a)))
                    if b:
                        cp.write_row((cid, n, True, int(b)))
    conn.execute("INSERT INTO cat_oracle SELECT case_id, category, is_current "
                 "FROM cat_counts, generate_series(1, n)")
    # NULL categories (missing) and NULL flags (skipped) must not change anything
    conn.execute("INSERT INTO cat_oracle SELECT case_id, NULL, case_id % 2 = 0 FROM cat_counts "
                 "WHERE n % 3 = 0")
    conn.execute("INSERT INTO cat_oracle SELECT case_id, category, NULL FROM cat_counts "
                 "WHERE n % 5 = 0")
    conn.execute("ANALYZE cat_oracle")
    rows = conn.execute(
        "SELECT case_id, (d).n_categories, (d).chi2_statistic, (d).chi2_p_value, (d).chi2_dof, "
        " (d).psi, (d).js_divergence, (d).total_variation, (d).hellinger, (d).kl_divergence, "
        " (d).linf, (d).n_unseen, (d).unseen_share, (d).n_vanished, (d).vanished_share, "
        " (d).top_mover, (d).top_mover_delta, (c).statistic, (c).p_value, j, p, "
        " (d).n_reference, (d).n_current "
        "FROM (SELECT case_id, driftmon.categorical_drift(category, is_current) d, "
        "             driftmon.chi2_test(category, is_current) c, "
        "             driftmon.js_divergence(category, is_current) j, "
        "             driftmon.psi_agg(category, is_current) p "
        "      FROM cat_oracle GROUP BY case_id) s ORDER BY case_id").fetchall()
    for row in rows:
        cid = row[0]
        ref, curc = cases[cid]
        want = reference(ref, curc)
        got = drift_dict(row[1:17])
        name = f'aggregate form case {cid} (k={len(ref)}, rows={int(ref.sum() + curc.sum())})'
        bad = []
        if (row[17], row[18], row[19], row[20]) != (got['chi2'], got['p'], got['js'], got['psi']):
            bad.append('chi2_test/js_divergence/psi_agg differ from categorical_drift')
        if (row[21], row[22]) != (int(ref.sum()), int(curc.sum())):
            bad.append(f'n_reference/n_current {row[21:23]}')
        tm, td = top_mover(named[cid], ref, curc)
        if got['top_mover'] != tm or dmtest.rel_err(got['top_mover_delta'], float(td)) > RTOL:
            bad.append(f'top mover {got["top_mover"]!r} {got["top_mover_delta"]} want {tm!r} {td}')
        if bad:
            t.ok(False, name, '\n'.join(bad))
        else:
            compare(name, got, want, FLOAT_METRICS + ('dof', 'n_categories', 'n_unseen', 'n_vanished'))
    # the two-step form on a few cases: category_table == the counts
    for cid in range(0, len(cases), max(1, len(cases) // 10)):
        ref, curc = cases[cid]
        tab = conn.execute(
            "SELECT category, n_reference, n_current, psi_contribution FROM driftmon.category_table("
            " (SELECT driftmon.category_counts(category, is_current) FROM cat_oracle WHERE case_id = %s))",
            (cid,)).fetchall()
        want = {n: (int(a), int(b)) for n, a, b in zip(named[cid], ref, curc) if a or b}
        got = {r[0]: (r[1], r[2]) for r in tab}
        contribs = [r[3] for r in tab]
        t.ok(got == want and all(x >= y for x, y in zip(contribs, contribs[1:])),
             f'category_table case {cid}: counts match, PSI contributions descending')


def test_big_counts(conn):
    """A category seen millions of times, through the aggregate."""
    conn.execute("DROP TABLE IF EXISTS cat_big")
    conn.execute("CREATE TABLE cat_big (category text, is_current boolean)")
    spec = [('big', 1500000, 1400000), ('mid', 30000, 32000), ('rare', 5, 0), ('new', 0, 7)]
    for name, a, b in spec:
        if a:
            conn.execute("INSERT INTO cat_big SELECT %s, false FROM generate_series(1, %s)", (name, a))
        if b:
            conn.execute("INSERT INTO cat_big SELECT %s, true FROM generate_series(1, %s)", (name, b))
    row = conn.execute(
        "SELECT (d).n_categories, (d).chi2_statistic, (d).chi2_p_value, (d).chi2_dof, (d).psi, "
        " (d).js_divergence, (d).total_variation, (d).hellinger, (d).kl_divergence, (d).linf, "
        " (d).n_unseen, (d).unseen_share, (d).n_vanished, (d).vanished_share, (d).top_mover, "
        " (d).top_mover_delta FROM (SELECT driftmon.categorical_drift(category, is_current) d "
        " FROM cat_big) s").fetchone()
    order = sorted(range(len(spec)), key=lambda i: spec[i][0].encode())
    ref = np.array([spec[i][1] for i in order])
    cur = np.array([spec[i][2] for i in order])
    compare('aggregate form: millions of rows in one category', drift_dict(row),
            reference(ref, cur), FLOAT_METRICS + ('dof', 'n_categories', 'n_unseen', 'n_vanished'))


def test_text_arrays(conn, rng):
    for i in range(60):
        k = rng.randint(2, 30)
        names = [f'c{j}' for j in range(k)]
        ref = [rng.choice(names[: max(1, k - 2)]) for _ in range(rng.randint(1, 300))]
        cur = [rng.choice(names[1:]) for _ in range(rng.randint(1, 300))]
        row = conn.execute(
            "SELECT (c).statistic, (c).p_value, (c).dof, (c).n_categories, "
            " driftmon.js_divergence(%s::text[], %s::text[]), driftmon.psi_agg(%s::text[], %s::text[]) "
            "FROM (SELECT driftmon.chi2_test(%s::text[], %s::text[]) c) s", (ref, cur) * 3).fetchone()
        allc = sorted(set(ref) | set(cur), key=str.encode)
        rc = np.array([ref.count(c) for c in allc])
        cc = np.array([cur.count(c) for c in allc])
        got = {'chi2': row[0], 'p': row[1], 'dof': row[2], 'n_categories': row[3],
               'js': row[4], 'psi': row[5]}
        compare(f'text-array form case {i} (k={len(allc)})', got, reference(rc, cc),
                ('chi2', 'p', 'dof', 'n_categories', 'js', 'psi'))


class Raw(bytes):
    """Bytes sent as a binary parameter of unspecified type (the server
    takes the type from the cast and calls its receive function)."""


class RawBinaryDumper(Dumper):
    format = Format.BINARY
    oid = 0

    def dump(self, obj):
        return bytes(obj)


def entry(name, a, b):
    return struct.pack('>qqI', a, b, len(name)) + name


def image(cats, totals=None, missing=(0, 0), version=1, magic=0xC7, k=None):
    body = b''.join(entry(n, a, b) for n, a, b in cats)
    if totals is None:
        totals = (sum(a for _, a, _ in cats), sum(b for _, _, b in cats))
    return (bytes([magic, version]) + struct.pack('>qqqqI', totals[0], totals[1], missing[0],
                                                   missing[1], len(cats) if k is None else k) + body)


def test_binary_io(conn):
    """category_counts send/recv: round trip, and every malformed image."""
    conn.adapters.register_dumper(Raw, RawBinaryDumper)
    txt = ('{"version":1,"n_reference":3,"n_current":4,"missing_reference":1,'
           '"missing_current":2,"categories":[["a",2,1],["b\\u0009",1,0],["é",0,3]]}')
    with conn.cursor(binary=True) as cur:
        sent = cur.execute("SELECT %s::text::driftmon.category_counts", (txt,)).fetchone()[0]
    want = image([(b'a', 2, 1), (b'b\t', 1, 0), ('é'.encode(), 0, 3)], missing=(1, 2))
    t.ok(bytes(sent) == want, 'binary send is the documented byte image',
         f'{bytes(sent)!r}\n{want!r}')
    back = conn.execute("SELECT %s::driftmon.category_counts::text", (Raw(sent),)).fetchone()[0]
    t.ok(back == txt, 'binary round trip: recv(send(x)) = x', back)
    good = [(b'a', 2, 1), (b'b', 1, 0)]
    bad = {
        'empty value': b'',
        'wrong magic byte': image(good, magic=0x00),
        'unsupported version': image(good, version=2),
        'truncated header': image(good)[:20],
        'truncated category': image(good)[:-1],
        'trailing byte': image(good) + b'x',
        'totals do not match': image(good, totals=(3, 2)),
        'negative total': image(good, totals=(-1, 1)),
        'category count beyond the value': image(good, k=1000000),
        'categories out of order': image([(b'b', 1, 0), (b'a', 2, 1)]),
        'duplicate category': image([(b'a', 1, 0), (b'a', 2, 1)]),
        'category with no row': image([(b'a', 0, 0), (b'b', 1, 1)]),
        'negative category count': image([(b'a', -1, 2), (b'b', 1, 1)], totals=(0, 3)),
        'zero byte in a name': image([(b'a\x00b', 1, 1)]),
        'invalid UTF-8 in a name': image([(b'\xff', 1, 1)]),
        'name length beyond the value': image([(b'a', 2, 1)])[:-5] + struct.pack('>I', 99) + b'a',
    }
    for name, img in bad.items():
        try:
            conn.execute("SELECT %s::driftmon.category_counts", (Raw(img),))
            t.ok(False, f'binary input rejects: {name}', 'no error')
        except psycopg.Error as e:
            code = e.sqlstate
            if 'UTF-8' in name:  # the server's own encoding check
                good_error = code == '22021'
            else:
                good_error = (code == '22P03' and e.diag.message_primary ==
                              'invalid binary input for type driftmon.category_counts')
            t.ok(good_error, f'binary input rejects: {name} ({code}: {e.diag.message_detail})',
                 str(e))


def main():
    rng = np.random.default_rng(20261123)
    prng = random.Random(4)
    conn = dmtest.connect()
    t.run(test_sf_grid)
    cases = [random_table(rng) for _ in range(1000)]
    t.run(test_counts_forms, conn, cases)
    # aggregate form: the smaller tables (rows are materialised)
    small = [(r, c) for r, c in cases if r.sum() + c.sum() <= 20000][:150]
    t.run(test_aggregate_form, conn, small, prng)
    t.run(test_big_counts, conn)
    t.run(test_text_arrays, conn, prng)
    t.run(test_binary_io, conn)
    conn.execute("DROP TABLE IF EXISTS cat_oracle")
    conn.execute("DROP TABLE IF EXISTS cat_big")
    t.done()


if __name__ == '__main__':
    main()
