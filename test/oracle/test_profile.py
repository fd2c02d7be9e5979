"""Oracle tests of the drift profiles (issue 8) against numpy / scipy.

- exact mode (n <= k): n, mean, stddev, quantiles (numpy 'linear'), cdf,
  KS / Wasserstein / PSI / JS against numpy and scipy on the same samples;
- sketch mode at 1M rows: cdf and quantile rank errors within the reported
  bound; KS statistic within rank_error(r) + rank_error(c) of scipy's;
  Wasserstein within (eps_r + eps_c) * range of scipy's; PSI / JS within
  the box bound implied by bin masses accurate to 2 eps per side (on the
  sketch's own edges), and reported against exact-decile PSI as a metric;
- rollup over shards in two orders and the parallel plan stay within bound;
- text and binary (send/recv) round trips are exact.
"""
import math
import os
import sys

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
from driftref import box_bound, psi_term, js_term  # noqa: E402

import psycopg  # noqa: E402
from psycopg.adapt import Dumper  # noqa: E402

t = dmtest.Tap('profile')
conn = dmtest.connect()
rng = np.random.default_rng(20261123)


def load(table, values, extra=None):
    """(Re)create a temp table (v float8 [, s int]) and COPY values in."""
    conn.execute(f"DROP TABLE IF EXISTS {table}")
    if extra is None:
        # binary COPY built with numpy: fast and bit-exact
        conn.execute(f"CREATE TEMP TABLE {table} (v float8)")
        rows = np.empty(len(values), dtype=[('c', '>i2'), ('l', '>i4'), ('v', '>f8')])
        rows['c'] = 1
        rows['l'] = 8
        rows['v'] = values
        payload = b"PGCOPY\n\xff\r\n\x00" + b"\x00" * 8 + rows.tobytes() + b"\xff\xff"
        with conn.cursor().copy(f"COPY {table} (v) FROM STDIN (FORMAT binary)") as cp:
            cp.write(payload)
    else:
        conn.execute(f"CREATE TEMP TABLE {table} (v float8, s int)")
        with conn.cursor().copy(f"COPY {table} (v, s) FROM STDIN") as cp:
            cp.write("".join(f"{x!r}\t{s}\n" for x, s in zip(values, extra)))
    conn.execute(f"ANALYZE {table}")


def np_quantile_edges_psi(ref, cur, edges, presorted=False):
    """Bin masses on right-closed bins with the given interior edges (for
    PSI / JS / Hellinger; smoothing is applied by psi_of)."""
    rs, cs = (ref, cur) if presorted else (np.sort(ref), np.sort(cur))
    r = np.diff(np.concatenate([[0], np.searchsorted(rs, edges, 'right'), [len(rs)]])) / len(rs)
    c = np.diff(np.concatenate([[0], np.searchsorted(cs, edges, 'right'), [len(cs)]])) / len(cs)
    return r, c


def psi_of(p, q):
    p = np.where(p == 0, 1e-4, p)
    q = np.where(q == 0, 1e-4, q)
    return float(np.sum((q - p) * np.log(q / p)))


def js_of(p, q):
    m = (p + q) / 2
    with np.errstate(divide='ignore', invalid='ignore'):
        a = np.where(p > 0, p * np.log2(p / m), 0.0)
        b = np.where(q > 0, q * np.log2(q / m), 0.0)
    return float(max(0.0, np.sum(a + b) / 2))


def dedup_edges(edges):
    out = []
    for e in edges:
        if not out or e != out[-1]:
            out.append(e)
    return np.array(out)


# ---------------------------------------------------------------------------
# 1. exact mode against numpy, both the temp-table aggregate and unnest forms
# ---------------------------------------------------------------------------
def exact_cases():
    probs = [0.0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0]
    for case in range(60):
        n = int(rng.integers(1, 1025))
        kind = case % 3
        if kind == 0:
            x = rng.normal(10, 3, n)
        elif kind == 1:
            x = rng.integers(-5, 6, n).astype(float)  # heavy ties
        else:
            x = rng.exponential(1e-3, n) * (10.0 ** rng.integers(-5, 5))
        if case % 2 == 0:
            load('ex', x)
            row = conn.execute(
                "SELECT driftmon.n(p), driftmon.mean(p), driftmon.stddev(p), driftmon.is_exact(p), "
                "driftmon.quantile(p, %s::float8[]), driftmon.cdf(p, %s) "
                "FROM (SELECT driftmon.profile_agg(v) p FROM ex) s",
                (probs, float(np.median(x)))).fetchone()
            form = 'table'
        else:
            row = conn.execute(
                "SELECT driftmon.n(p), driftmon.mean(p), driftmon.stddev(p), driftmon.is_exact(p), "
                "driftmon.quantile(p, %s::float8[]), driftmon.cdf(p, %s) "
                "FROM (SELECT driftmon.profile_agg(v) p FROM unnest(%s::float8[]) v) s",
                (probs, float(np.median(x)), list(map(float, x)))).fetchone()
            form = 'unnest'
        name = f"exact case {case} ({form}, kind {kind}, n={n})"
        t.ok(row[0] == n and row[3], f"{name}: n and exact flag")
        t.close(row[1], float(np.mean(x)), 1e-13, f"{name}: mean", atol=1e-13 * float(np.max(np.abs(x))), metric='mean')
        if n > 1:
            t.close(row[2], float(np.std(x, ddof=1)), 1e-11, f"{name}: stddev",
                    atol=1e-12 * float(np.max(np.abs(x))), metric='stddev')
        want = np.quantile(x, probs)
        t.ok(all(a == b for a, b in zip(row[4], want)), f"{name}: quantiles equal numpy linear",
             f"got {row[4]} want {list(want)}")
        t.close(row[5], float(np.mean(x <= np.median(x))), 0, f"{name}: cdf at median", metric='cdf_exact')


# ---------------------------------------------------------------------------
# 2. exact-mode comparisons against scipy
# ---------------------------------------------------------------------------
def exact_comparisons():
    for case in range(40):
        n1 = int(rng.integers(1, 1025))
        n2 = int(rng.integers(1, 1025))
        if case % 2:
            a = rng.integers(0, 8, n1).astype(float)
            b = rng.integers(1, 9, n2).astype(float)
        else:
            a = rng.normal(0, 1, n1)
            b = rng.normal(0.3, 1.2, n2)
        row = conn.execute(
            "SELECT (k).statistic, (k).statistic_location, (k).statistic_sign, 0.0, "
            "driftmon.wasserstein(r, c), driftmon.psi(r, c), driftmon.js_divergence(r, c), "
            "driftmon.quantile(r, ARRAY[.1,.2,.3,.4,.5,.6,.7,.8,.9]::float8[]), (k).p_value, (k).method FROM "
            "(SELECT r, c, driftmon.ks_test(r, c) k FROM "
            " (SELECT (SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v) r, "
            "         (SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v) c) s) s2",
            (list(map(float, a)), list(map(float, b)))).fetchone()
        name = f"exact comparison {case} (n={n1},{n2})"
        ks = stats.ks_2samp(a, b)
        t.close(row[0], float(ks.statistic), 1e-15, f"{name}: KS statistic = scipy", metric='ks_stat_exact')
        t.ok(row[1] == ks.statistic_location and row[2] == ks.statistic_sign and row[3] == 0,
             f"{name}: KS location and sign = scipy",
             f"got {row[1:4]} want {ks.statistic_location} {ks.statistic_sign}")
        if n1 != n2:  # scipy 1.10 falls back to asymp for some n1 == n2 (DESIGN.md 4)
            t.close(row[8], float(ks.pvalue), 1e-9, f"{name}: KS p-value = scipy ({row[9]})", atol=1e-14,
                    metric='ks_pvalue_exact')
        t.close(row[4], float(stats.wasserstein_distance(a, b)), 1e-12, f"{name}: wasserstein = scipy",
                atol=1e-14, metric='wasserstein_exact')
        edges = dedup_edges(np.quantile(a, np.arange(1, 10) / 10))
        t.ok(np.array_equal(dedup_edges(np.array(row[7])), edges), f"{name}: PSI edges = numpy deciles")
        p, q = np_quantile_edges_psi(a, b, edges)
        t.close(row[5], psi_of(p, q), 1e-12, f"{name}: psi", atol=1e-15, metric='psi_exact')
        t.close(row[6], js_of(p, q), 1e-10, f"{name}: js", atol=1e-15, metric='js_exact')


# ---------------------------------------------------------------------------
# 3. sketch mode at 1M rows
# ---------------------------------------------------------------------------


def sketch_cases():
    N = 1_000_000
    scenarios = [
        ('normal shift', rng.normal(0, 1, N), rng.normal(0.1, 1.1, N)),
        ('same distribution', rng.normal(5, 2, N), rng.normal(5, 2, N)),
        ('lognormal vs mixture', rng.lognormal(0, 1, N),
         np.concatenate([rng.lognormal(0, 1, N // 2), rng.lognormal(0.5, 0.7, N - N // 2)])),
    ]
    for label, a, b in scenarios:
        load('ra', a)
        load('ca', b)
        conn.execute("DROP TABLE IF EXISTS pr")
        conn.execute("CREATE TEMP TABLE pr AS SELECT (SELECT driftmon.profile_agg(v) FROM ra) r, "
                     "(SELECT driftmon.profile_agg(v) FROM ca) c")
        er, ec, lr, lc, size, nbytes = conn.execute(
            "SELECT driftmon.rank_error(r), driftmon.rank_error(c), "
            "split_part(split_part(r::text, ';levels=', 2), ';', 1)::int, "
            "split_part(split_part(c::text, ';levels=', 2), ';', 1)::int, "
            "driftmon.sketch_size(r), octet_length(driftmon.numeric_profile_send(r)) FROM pr").fetchone()
        name = f"1M {label}"
        t.ok(0 < er < 0.02 and 0 < ec < 0.02, f"{name}: rank error bounds reported ({er:.4g}, {ec:.4g})")
        t.ok(nbytes < 40000, f"{name}: profile is {nbytes} bytes ({size} items)")
        print(f"# {name}: eps_ref={er:.5f} eps_cur={ec:.5f} size={size} items, {nbytes} bytes")
        sa, sb = np.sort(a), np.sort(b)
        # cdf at 200 points across the range
        xs = np.quantile(a, np.linspace(0.001, 0.999, 200))
        got = conn.execute("SELECT array_agg(driftmon.cdf(r, x) ORDER BY i) FROM pr, "
                           "unnest(%s::float8[]) WITH ORDINALITY u(x, i)", (list(map(float, xs)),)).fetchone()[0]
        true = np.searchsorted(sa, xs, 'right') / N
        worst = float(np.max(np.abs(np.array(got) - true)))
        t.note_err('cdf_rank_error_1M', worst, name)
        t.ok(worst <= er, f"{name}: cdf error {worst:.5f} <= rank_error {er:.5f}")
        # quantiles: true rank of the returned value within eps + top weight / n
        probs = np.linspace(0.01, 0.99, 99)
        qs = conn.execute("SELECT driftmon.quantile(r, %s::float8[]) FROM pr", (list(map(float, probs)),)).fetchone()[0]
        lo = np.searchsorted(sa, qs, 'left') / N
        hi = np.searchsorted(sa, qs, 'right') / N
        slack = er + 2.0 ** (lr - 1) / N
        dev = np.maximum(lo - probs, probs - hi).clip(min=0)
        t.note_err('quantile_rank_error_1M', float(dev.max()), name)
        t.ok(float(dev.max()) <= slack, f"{name}: quantile rank error {dev.max():.5f} <= {slack:.5f}")
        # KS
        ks = stats.ks_2samp(a, b)
        d, serr, pv, meth = conn.execute("SELECT (k).statistic, driftmon.rank_error(r) + driftmon.rank_error(c), "
                                         "(k).p_value, (k).method FROM "
                               "(SELECT r, c, driftmon.ks_test(r, c) k FROM pr) s").fetchone()
        t.note_err('ks_stat_abs_err_1M', abs(d - ks.statistic), name)
        t.ok(abs(d - ks.statistic) <= serr,
             f"{name}: KS statistic {d:.5f} vs exact {ks.statistic:.5f} within {serr:.5f}")
        t.close(pv, float(stats.kstwo.sf(d, round(N * N / (2 * N)))), 1e-10,
                f"{name}: KS p-value = kstwo.sf(D, round(n1 n2 / (n1 + n2))) ({meth})", atol=1e-300,
                metric='ks_pvalue_sketch')
        # Wasserstein
        w = conn.execute("SELECT driftmon.wasserstein(r, c) FROM pr").fetchone()[0]
        wx = stats.wasserstein_distance(a, b)
        rngw = max(sa[-1], sb[-1]) - min(sa[0], sb[0])
        t.note_err('wasserstein_rel_err_1M', abs(w - wx) / wx, name)
        t.ok(abs(w - wx) <= (er + ec) * rngw, f"{name}: wasserstein {w:.5f} vs exact {wx:.5f}")
        # PSI / JS on the sketch's own edges: masses within 2 eps per side
        for bins in (10, 20):
            edges = np.array(conn.execute(
                "SELECT driftmon.quantile(r, %s::float8[]) FROM pr",
                (list(np.arange(1, bins) / bins),)).fetchone()[0])
            edges = dedup_edges(edges)
            p, q = np_quantile_edges_psi(sa, sb, edges, presorted=True)
            p2, q2 = np_quantile_edges_psi(sa, sb, dedup_edges(np.quantile(sa, np.arange(1, bins) / bins)),
                                           presorted=True)
            psi, js = conn.execute("SELECT driftmon.psi(r, c, %s), driftmon.js_divergence(r, c, %s) FROM pr",
                                   (bins, bins)).fetchone()
            for metric, got, f, exact in (('psi', psi, psi_term, psi_of(p, q)), ('js', js, js_term, js_of(p, q))):
                up, down = box_bound(f, p, q, 2 * er, 2 * ec)
                t.ok(exact - down - 1e-12 <= got <= exact + up + 1e-12,
                     f"{name}: {metric} bins={bins} {got:.6g} in [{exact - down:.6g}, {exact + up:.6g}]")
                t.note_err(f'{metric}_abs_err_same_edges_1M', abs(got - exact), name)
                # against the exact-decile definition (informational + loose check)
                ex2 = psi_of(p2, q2) if metric == 'psi' else js_of(p2, q2)
                t.note_err(f'{metric}_rel_err_vs_exact_aggregate_1M', abs(got - ex2) / ex2, name)
                t.ok(abs(got - ex2) <= 0.1 * ex2 + 1e-3, f"{name}: {metric} bins={bins} {got:.6g} ~ exact {ex2:.6g}")


# ---------------------------------------------------------------------------
# 4. shards and merge order
# ---------------------------------------------------------------------------
def shard_cases():
    N = 200_000
    x = rng.gamma(2.0, 3.0, N)
    shard = rng.integers(0, 8, N)
    load('sh', x, shard)
    sx = np.sort(x)
    conn.execute("DROP TABLE IF EXISTS shp")
    conn.execute("CREATE TEMP TABLE shp AS SELECT s, driftmon.profile_agg(v) p FROM sh GROUP BY s")
    xs = [float(v) for v in np.quantile(x, np.linspace(0.01, 0.99, 50))]
    rows = conn.execute(
        "SELECT o, driftmon.n(r), driftmon.mean(r), driftmon.stddev(r), driftmon.rank_error(r), "
        "(SELECT array_agg(driftmon.cdf(r, v)) FROM unnest(%s::float8[]) v) FROM ("
        " SELECT 'asc' o, driftmon.rollup(p ORDER BY s) r FROM shp UNION ALL"
        " SELECT 'desc', driftmon.rollup(p ORDER BY s DESC) FROM shp UNION ALL"
        " SELECT 'odd-even', driftmon.rollup(p ORDER BY s %% 2, s) FROM shp UNION ALL"
        " SELECT 'single', driftmon.profile_agg(v) FROM sh UNION ALL"
        " SELECT 'nested', driftmon.rollup(q) FROM (SELECT driftmon.rollup(p) q FROM shp GROUP BY s / 3) z"
        ") u", (xs,)).fetchall()
    true = np.searchsorted(sx, xs, 'right') / N
    for o, n, mean, sd, eps, cdfs in rows:
        name = f"shards merged {o}"
        t.ok(n == N, f"{name}: n")
        t.close(mean, float(np.mean(x)), 1e-12, f"{name}: mean", metric='mean_merged')
        t.close(sd, float(np.std(x, ddof=1)), 1e-11, f"{name}: stddev", metric='stddev_merged')
        worst = float(np.max(np.abs(np.array(cdfs) - true)))
        t.note_err('cdf_rank_error_merged', worst, name)
        t.ok(worst <= eps, f"{name}: cdf error {worst:.5f} <= rank_error {eps:.5f}")


# ---------------------------------------------------------------------------
# 5. round trips
# ---------------------------------------------------------------------------
class Prof:
    def __init__(self, data):
        self.data = data


def roundtrips():
    oid = conn.execute("SELECT 'driftmon.numeric_profile'::regtype::oid").fetchone()[0]

    class ProfDumper(Dumper):
        format = psycopg.pq.Format.BINARY

        def dump(self, obj):
            return obj.data
    ProfDumper.oid = oid
    conn.adapters.register_dumper(Prof, ProfDumper)
    cases = [
        ("exact", "SELECT driftmon.profile_agg(v) FROM unnest(%s::float8[]) v",
         [float(v) for v in rng.normal(0, 1e-300, 500)] + [5e-324, -1.7976931348623157e308, 0.1]),
        ("sketch", "SELECT driftmon.profile_agg(v, 64) FROM unnest(%s::float8[]) v",
         [float(v) for v in rng.standard_cauchy(20000)]),
    ]
    for label, sql, data in cases:
        txt = conn.execute(f"SELECT p::text FROM ({sql}) s(p)", (data,)).fetchone()[0]
        back = conn.execute("SELECT %s::driftmon.numeric_profile::text", (txt,)).fetchone()[0]
        t.ok(back == txt, f"text round trip ({label})")
        with conn.cursor(binary=True) as cur:
            raw = cur.execute(f"SELECT p FROM ({sql}) s(p)", (data,)).fetchone()[0]
        sent = conn.execute(f"SELECT driftmon.numeric_profile_send(p) FROM ({sql}) s(p)", (data,)).fetchone()[0]
        t.ok(bytes(raw) == bytes(sent), f"binary fetch = numeric_profile_send ({label})")
        back2 = conn.execute("SELECT %b::text", (Prof(bytes(raw)),)).fetchone()[0]
        t.ok(back2 == txt, f"binary recv round trip ({label})")
        bad = bytearray(raw)
        bad[4] = 9
        try:
            conn.execute("SELECT %b::text", (Prof(bytes(bad)),))
            t.ok(False, f"binary recv rejects a wrong version ({label})")
        except psycopg.errors.FeatureNotSupported:
            t.ok(True, f"binary recv rejects a wrong version ({label})")
        try:
            conn.execute("SELECT %b::text", (Prof(bytes(raw[:-3])),))
            t.ok(False, f"binary recv rejects a truncated value ({label})")
        except psycopg.errors.InvalidBinaryRepresentation:
            t.ok(True, f"binary recv rejects a truncated value ({label})")


# ---------------------------------------------------------------------------
# 6. categorical profiles against scipy / numpy
# ---------------------------------------------------------------------------
def categorical_cases():
    from scipy.stats import chi2_contingency
    for case in range(60):
        k = int(rng.integers(2, 60))
        cats = [f"c{i}" + ("é" if i % 5 == 0 else "") for i in range(k)]
        n1 = int(rng.integers(1, 3000))
        n2 = int(rng.integers(1, 3000))
        pr = rng.dirichlet(np.ones(k))
        pc = rng.dirichlet(np.ones(k) * (0.3 if case % 3 == 0 else 3))
        a = list(rng.choice(cats[: max(1, k - 2)] if case % 4 == 0 else cats, n1, p=None if case % 4 == 0 else pr))
        b = list(rng.choice(cats, n2, p=pc))
        if case % 2 == 0:
            conn.execute("DROP TABLE IF EXISTS cc")
            conn.execute("CREATE TEMP TABLE cc (c text, cur bool)")
            with conn.cursor().copy("COPY cc (c, cur) FROM STDIN") as cp:
                for x in a:
                    cp.write_row((x, False))
                for x in b:
                    cp.write_row((x, True))
            q = ("SELECT (k).statistic, (k).dof, (k).n_categories, driftmon.psi(r, c), driftmon.js_divergence(r, c), "
                 "driftmon.hellinger(r, c), driftmon.n(r), driftmon.is_exact(r), (k).p_value FROM (SELECT r, c, driftmon.chi2_test(r, c) k FROM "
                 "(SELECT driftmon.profile_agg(c) FILTER (WHERE NOT cur) r, driftmon.profile_agg(c) FILTER (WHERE cur) c FROM cc) s) s2")
            row = conn.execute(q).fetchone()
            form = 'table'
        else:
            row = conn.execute(
                "SELECT (k).statistic, (k).dof, (k).n_categories, driftmon.psi(r, c), driftmon.js_divergence(r, c), "
                "driftmon.hellinger(r, c), driftmon.n(r), driftmon.is_exact(r), (k).p_value FROM (SELECT r, c, driftmon.chi2_test(r, c) k FROM "
                "(SELECT (SELECT driftmon.profile_agg(x) FROM unnest(%s::text[]) x) r, "
                "        (SELECT driftmon.profile_agg(x) FROM unnest(%s::text[]) x) c) s) s2", (a, b)).fetchone()
            form = 'unnest'
        union = sorted(set(a) | set(b), key=lambda s: s.encode())
        ra = np.array([a.count(x) for x in union], float)
        cb = np.array([b.count(x) for x in union], float)
        name = f"categorical case {case} ({form}, k={len(union)}, n={n1},{n2})"
        if len(union) > 1:
            st = chi2_contingency(np.array([ra, cb]))
            t.close(row[0], float(st[0]), 1e-12, f"{name}: chi2 statistic", atol=1e-13, metric='chi2_stat_exact')
            t.ok(row[1] == st[2] and row[2] == len(union), f"{name}: dof and categories")
            t.close(row[8], float(st[1]), 1e-11, f"{name}: chi2 p-value", atol=1e-300, metric='chi2_pvalue_exact')
        p, q = ra / ra.sum(), cb / cb.sum()
        t.close(row[3], psi_of(p, q), 1e-12, f"{name}: psi", atol=1e-15, metric='cat_psi_exact')
        t.close(row[4], js_of(p, q), 1e-10, f"{name}: js", atol=1e-15, metric='cat_js_exact')
        t.close(row[5], float(np.sqrt(np.sum((np.sqrt(p) - np.sqrt(q)) ** 2) / 2)), 1e-12, f"{name}: hellinger",
                atol=1e-15, metric='cat_hellinger_exact')
        t.ok(row[6] == n1 and row[7], f"{name}: n and exact")


def categorical_sketch():
    N = 300_000
    K = 20000
    ranks = np.arange(1, K + 1)
    pz = 1.0 / ranks ** 1.1
    pz /= pz.sum()
    idx = rng.choice(K, N, p=pz)
    shard = rng.integers(0, 4, N)
    conn.execute("DROP TABLE IF EXISTS cs")
    conn.execute("CREATE TEMP TABLE cs (c text, s int)")
    with conn.cursor().copy("COPY cs (c, s) FROM STDIN") as cp:
        for i, s in zip(idx, shard):
            cp.write_row((f"item{i}", int(s)))
    truth = np.bincount(idx, minlength=K)
    for label, sql in (("single", "SELECT driftmon.profile_agg(c, 200) FROM cs"),
                       ("4 shards", "SELECT driftmon.rollup(p) FROM (SELECT driftmon.profile_agg(c, 200) p FROM cs GROUP BY s) z")):
        p = conn.execute(f"SELECT p, driftmon.max_error(p), driftmon.n(p), driftmon.rest(p) FROM ({sql}) z(p)").fetchone()
        err = p[1]
        rows = conn.execute("SELECT category, count FROM driftmon.categories(%s::driftmon.categorical_profile)",
                            (p[0] if isinstance(p[0], str) else None,)).fetchall() if isinstance(p[0], str) else \
            conn.execute(f"SELECT (driftmon.categories(p)).* FROM ({sql}) z(p)").fetchall()
        stored = {c: n for c, n, *_ in rows}
        worst = 0
        ok = True
        for i in range(K):
            got = stored.get(f"item{i}", 0)
            d = truth[i] - got
            worst = max(worst, d)
            if d < 0 or d > err:
                ok = False
        t.ok(ok and p[2] == N, f"Misra-Gries {label}: every count within [true - {err}, true], worst {worst}")
        t.note_err('mg_abs_err_over_bound', worst / max(err, 1), label)
        # the top-10 categories are all stored
        top = np.argsort(-truth)[:10]
        t.ok(all(f"item{i}" in stored for i in top), f"Misra-Gries {label}: top-10 categories stored")


def categorical_roundtrips():
    oid = conn.execute("SELECT 'driftmon.categorical_profile'::regtype::oid").fetchone()[0]

    class CatDumper(Dumper):
        format = psycopg.pq.Format.BINARY

        def dump(self, obj):
            return obj.data
    CatDumper.oid = oid

    class Cat(Prof):
        pass
    conn.adapters.register_dumper(Cat, CatDumper)
    data = ['a', 'b"q', 'back\\slash', 'é', '', 'x' * 3000, None, 'a']
    for cap in (1000, 2):
        sql = f"SELECT driftmon.profile_agg(x, {cap}) FROM unnest(%s::text[]) x"
        txt = conn.execute(f"SELECT p::text FROM ({sql}) s(p)", (data,)).fetchone()[0]
        back = conn.execute("SELECT %s::driftmon.categorical_profile::text", (txt,)).fetchone()[0]
        t.ok(back == txt, f"categorical text round trip (cap {cap})")
        with conn.cursor(binary=True) as cur:
            raw = bytes(cur.execute(f"SELECT p FROM ({sql}) s(p)", (data,)).fetchone()[0])
        back2 = conn.execute("SELECT %b::text", (Cat(raw),)).fetchone()[0]
        t.ok(back2 == txt, f"categorical binary recv round trip (cap {cap})")
        # a category that is not valid UTF-8 is refused by recv
        import struct
        bad = (b"DMCP\x01\x00\x00\x00" + struct.pack(">IQQQI", 10, 1, 0, 0, 1)
               + struct.pack(">I", 1) + b"\xff" + struct.pack(">Q", 1))
        try:
            conn.execute("SELECT %b::text", (Cat(bad),))
            t.ok(False, f"categorical recv rejects invalid UTF-8 (cap {cap})")
        except psycopg.errors.InvalidBinaryRepresentation:
            t.ok(True, f"categorical recv rejects invalid UTF-8 (cap {cap})")
        good = bad.replace(b"\xff", b"z")
        t.ok(conn.execute("SELECT %b::text", (Cat(good),)).fetchone()[0]
             == 'v=1;cap=10;n=1;nulls=0;rest=0;items={"z":1}', f"hand-built binary categorical profile accepted (cap {cap})")
        try:
            conn.execute("SELECT %b::text", (Cat(raw[:-1]),))
            t.ok(False, f"categorical recv rejects truncation (cap {cap})")
        except psycopg.errors.InvalidBinaryRepresentation:
            t.ok(True, f"categorical recv rejects truncation (cap {cap})")


# ---------------------------------------------------------------------------
# 7. reference_profile / current_profile (one side of a drift state) against
#    numpy on the raw rows: counts exact, moments to rounding, every CDF and
#    quantile within the reported rank error; categorical counts exact.
def side_profile_cases():
    for label, n_ref, n_cur, k_null, k_nan in (
            ('200k vs 300k, NULLs and NaN', 200_000, 300_000, 57, 31),
            ('exact sides, 700 vs 900', 700, 900, 3, 2),
            ('1 vs 50000', 1, 50_000, 0, 0)):
        a = rng.normal(0, 1, n_ref)
        b = rng.standard_t(3, n_cur) + 0.2
        vals = np.concatenate([a, b, np.full(k_null, np.nan), np.full(k_nan, np.nan), [np.inf]])
        flags = np.concatenate([np.zeros(n_ref, bool), np.ones(n_cur, bool),
                                np.arange(k_null) % 2 == 0, np.arange(k_nan) % 2 == 1, [True]])
        isnull = np.concatenate([np.zeros(n_ref + n_cur, bool), np.ones(k_null, bool),
                                 np.zeros(k_nan + 1, bool)])
        order = rng.permutation(len(vals))
        conn.execute("DROP TABLE IF EXISTS sp")
        conn.execute("CREATE TEMP TABLE sp (v float8, f boolean)")
        with conn.cursor().copy("COPY sp (v, f) FROM STDIN") as cp:
            cp.write("".join(("\\N" if isnull[i] else repr(float(vals[i]))) + "\t" + ("t" if flags[i] else "f") + "\n"
                             for i in order))
        conn.execute("ANALYZE sp")
        # numeric_drift_profile: the drift row and current_profile in one
        d, same = conn.execute(
            "SELECT ((d).drift).ks_statistic, (d).current_profile::text = "
            "(SELECT driftmon.current_profile(v, f)::text FROM sp) "
            "FROM (SELECT driftmon.numeric_drift_profile(v, f) d FROM sp) s").fetchone()
        t.close(d, float(stats.ks_2samp(a, b).statistic), 1e-12,
                f"numeric_drift_profile {label}: drift KS statistic = scipy", metric='side_drift_ks')
        t.ok(same, f"numeric_drift_profile {label}: its profile = current_profile")
        for side, x, flag in (('reference', a, False), ('current', b, True)):
            name = f"{side}_profile {label}"
            sel = (flags == flag)
            want_nulls = int(np.sum(sel & isnull))
            want_nonfinite = int(np.sum(sel & ~isnull & ~np.isfinite(vals)))
            row = conn.execute(
                f"SELECT driftmon.n(p), driftmon.nulls(p), driftmon.nonfinite(p), driftmon.mean(p), "
                f"driftmon.stddev(p), driftmon.minimum(p), driftmon.maximum(p), driftmon.rank_error(p), "
                f"driftmon.is_exact(p), p::text FROM (SELECT driftmon.{side}_profile(v, f) p FROM sp) s").fetchone()
            n, nulls, nonfinite, mean, sd, mn, mx, eps, exact, txt = row
            t.ok((n, nulls, nonfinite) == (len(x), want_nulls, want_nonfinite),
                 f"{name}: counts {(n, nulls, nonfinite)} = {(len(x), want_nulls, want_nonfinite)}")
            t.close(mean, math.fsum(x) / len(x), 1e-12, f"{name}: mean", atol=1e-15, metric='side_mean')
            if len(x) > 1:
                t.close(sd, float(np.std(x, ddof=1)), 1e-10, f"{name}: stddev", metric='side_std')
            t.ok(mn == float(x.min()) and mx == float(x.max()), f"{name}: min and max exact")
            t.ok(bool(exact) == (len(x) <= 1024), f"{name}: exact iff n <= k ({exact})")
            sx = np.sort(x)
            probes = np.quantile(x, np.linspace(0.001, 0.999, 101))
            got = conn.execute("SELECT array_agg(driftmon.cdf(p, q) ORDER BY i) FROM "
                               f"(SELECT driftmon.{side}_profile(v, f) p FROM sp) s, "
                               "unnest(%s::float8[]) WITH ORDINALITY u(q, i)", (list(map(float, probes)),)).fetchone()[0]
            err = float(np.max(np.abs(np.array(got) - np.searchsorted(sx, probes, 'right') / len(x))))
            t.note_err('side_cdf_rank_error', err, name)
            t.ok(err <= eps + 1e-15, f"{name}: cdf error {err:.5f} <= rank_error {eps:.5f}")
            # the same profile whatever the row order (built from sorted values)
            txt2 = conn.execute(f"SELECT driftmon.{side}_profile(v, f)::text FROM "
                                "(SELECT * FROM sp ORDER BY v DESC NULLS FIRST) s").fetchone()[0]
            t.ok(txt2 == txt, f"{name}: independent of row order")
    # categorical: exact per-category counts of each side
    cats = np.array([f"c{i:03d}" for i in range(40)] + ['', 'é', 'a"b'])
    rc = rng.choice(cats, 30_000, p=np.r_[np.full(40, 0.9 / 40), [0.05, 0.03, 0.02]])
    cc = rng.choice(cats[5:], 20_000)
    conn.execute("DROP TABLE IF EXISTS spc")
    conn.execute("CREATE TEMP TABLE spc (c text, f boolean)")
    with conn.cursor().copy("COPY spc (c, f) FROM STDIN") as cp:
        cp.write_row((None, False))
        for v in rc:
            cp.write_row((str(v), False))
        for v in cc:
            cp.write_row((str(v), True))
        cp.write_row((None, True))
        cp.write_row((None, True))
        cp.write_row(('zz', None))
    for side, x, nn in (('reference', rc, 1), ('current', cc, 2)):
        got = dict(conn.execute(f"SELECT category, count FROM driftmon.categories("
                                f"(SELECT driftmon.{side}_profile(c, f) FROM spc))").fetchall())
        u, k = np.unique(x, return_counts=True)
        t.ok(got == {str(a): int(b) for a, b in zip(u, k)}, f"categorical {side}_profile: exact counts of {len(u)} categories")
        n, nulls = conn.execute(f"SELECT driftmon.n(p), driftmon.nulls(p) FROM "
                                f"(SELECT driftmon.{side}_profile(c, f) p FROM spc) s").fetchone()
        t.ok((n, nulls) == (len(x), nn), f"categorical {side}_profile: n {n}, nulls {nulls}")


t.run(exact_cases)
t.run(exact_comparisons)
t.run(sketch_cases)
t.run(shard_cases)
t.run(roundtrips)
t.run(categorical_cases)
t.run(categorical_sketch)
t.run(categorical_roundtrips)
t.run(side_profile_cases)
t.done()
