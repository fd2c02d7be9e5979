"""Second adversarial round on the model-quality functions: what
test_quality.py and test_quality_adversarial.py do not reach.

  - the confusion text input in a database whose encoding is not UTF-8
    (LATIN1): a \\u escape is the character itself, so the summary equals the
    one confusion_agg builds from the same label, and the accessors find it;
    a character LATIN1 cannot hold is refused with 22P05, as PostgreSQL's own
    json input does;
  - summaries copied between databases of different encodings (WIN1252,
    LATIN1, UTF-8) by text and by binary COPY, as pg_dump | psql and binary
    clients do: they load (labels arrive in the other encoding's byte order),
    equal the local confusion_agg of the same rows and give sklearn's
    metrics; text input sorts labels but still refuses duplicates and cells
    out of order;
  - per-group memory of the score aggregates (roc_auc, average_precision,
    binary_metrics) under a hash aggregate over many small groups, measured
    by EXPLAIN ANALYZE, with every group's AUC / AP checked against exact
    fractions and scikit-learn; the same for the confusion state (README:
    about 1.7 kB per group);
  - regression_metrics under a parallel plan whose workers' y_true means are
    more than 1.34e154 apart while M2 stays finite: the same r2 as serially
    and as exact fractions.
"""
import json
import math
import os
import random
import sys
import warnings
from fractions import Fraction

import psycopg

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

from sklearn import metrics as skm  # noqa: E402

warnings.filterwarnings("ignore")
RTOL = 1e-12
rng = random.Random(20261124)
conn = dmtest.connect()
t = dmtest.Tap('quality_adversarial2')
conn.execute("SET client_min_messages = warning")


def close(got, want):
    if got is None or want is None:
        return got is None and want is None
    return got == want or abs(got - want) <= RTOL * abs(want)


# --------------------------------------------------------------------------
# 1. \u escapes in a LATIN1 database
# --------------------------------------------------------------------------

def conf_text(labels, cells):
    """A confusion text form written by hand (labels as JSON source)."""
    return ('{"version":1,"kind":"text","skipped":0,"labels":[' + ",".join(labels) +
            '],"cells":[' + ",".join("[%d,%d,%d]" % c for c in cells) + ']}')


def encoded_db(name, encoding):
    """Create database name in the given encoding (C locale) unless it exists."""
    admin = psycopg.connect(dbname="postgres", autocommit=True)
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
        admin.execute(f"CREATE DATABASE {name} ENCODING '{encoding}' LC_COLLATE 'C' "
                      "LC_CTYPE 'C' TEMPLATE template0")
    admin.close()


def test_latin1_escapes():
    encoded_db('driftmon_latin1', 'LATIN1')
    lat = dmtest.connect("driftmon_latin1")
    lat.execute("SET client_encoding = 'UTF8'")
    t.ok(lat.execute("SHOW server_encoding").fetchone()[0] == 'LATIN1', "latin1: database encoding")

    # U+00E9 (e acute), U+00FF (y diaeresis), U+00C0: one LATIN1 byte each
    for cpt in (0xe9, 0xff, 0xc0, 0xa0):
        ch = chr(cpt)
        esc = conf_text(['"\\u%04x"' % cpt], [(0, 0, 3)])
        got = lat.execute("SELECT c::text, length(l.label), octet_length(l.label), "
                          "driftmon.recall(c, %s), convert_to(l.label, 'LATIN1') "
                          "FROM (SELECT %s::driftmon.confusion c) s, "
                          "driftmon.classification_report(c) l LIMIT 1", (ch, esc)).fetchone()
        want = lat.execute("SELECT driftmon.confusion_agg(y, y)::text FROM "
                           "(VALUES (%s), (%s), (%s)) v(y)", (ch, ch, ch)).fetchone()[0]
        t.ok(got[0] == want and got[1] == 1 and got[2] == 1 and got[3] == 1.0 and
             bytes(got[4]) == bytes([cpt]),
             f"latin1: \\u{cpt:04x} is the character U+{cpt:04X} (one LATIN1 byte {cpt:#x})",
             f"got {got!r}, confusion_agg gives {want!r}")

    # a summary typed as text equals the one built by confusion_agg: a rollup
    # of both holds one label, counted twice
    esc = conf_text(['"a"', '"caf\\u00e9"'], [(0, 1, 1), (1, 1, 2)])
    got = lat.execute(
        "SELECT driftmon.rollup(c)::text FROM (SELECT %s::driftmon.confusion c UNION ALL "
        "SELECT driftmon.confusion_agg(y, p) FROM (VALUES ('a', 'caf' || chr(233)), "
        "('caf' || chr(233), 'caf' || chr(233)), ('caf' || chr(233), 'caf' || chr(233))) v(y, p)) s",
        (esc,)).fetchone()[0]
    j = json.loads(got)
    t.ok(j["labels"] == ["a", "caf\u00e9"] and j["cells"] == [[0, 1, 2], [1, 1, 4]],
         "latin1: rollup of an escaped summary and confusion_agg's merges one label", got)

    # escaped and raw forms of the same labels: equal text output
    raw = conf_text(['"a"', '"\u00e9t\u00e9"'], [(0, 1, 1), (1, 0, 4)])
    esc = conf_text(['"a"', '"\\u00e9t\\u00E9"'], [(0, 1, 1), (1, 0, 4)])
    a, b = lat.execute("SELECT %s::driftmon.confusion::text, %s::driftmon.confusion::text",
                       (raw, esc)).fetchone()
    t.ok(a == b, "latin1: escaped and raw labels give the same summary", f"{a!r} vs {b!r}")

    # ASCII escapes are unchanged
    got = lat.execute("SELECT %s::driftmon.confusion::text",
                      (conf_text(['"\\u0041\\u007f"'], [(0, 0, 1)]),)).fetchone()[0]
    t.ok(json.loads(got)["labels"] == ["A\x7f"], "latin1: ASCII escapes", got)

    # a character LATIN1 has no byte for: refused (22P05), never stored as
    # its UTF-8 bytes
    for cpt in (0x20ac, 0x65e5, 0x100):
        try:
            got = lat.execute("SELECT %s::driftmon.confusion::text",
                              (conf_text(['"\\u%04x"' % cpt], [(0, 0, 1)]),)).fetchone()[0]
            t.ok(False, f"latin1: \\u{cpt:04x} has no LATIN1 byte: refused", f"accepted: {got!r}")
        except psycopg.Error as e:
            t.ok(e.sqlstate == '22P05', f"latin1: \\u{cpt:04x} has no LATIN1 byte: refused (22P05)",
                 f"{e.sqlstate}: {e}")
    lat.close()

    # SQL_ASCII has no encoding to convert to: the escape stays UTF-8 bytes,
    # which is what a UTF-8 client's typed label is stored as there
    encoded_db('driftmon_sqlascii', 'SQL_ASCII')
    asc = dmtest.connect("driftmon_sqlascii")
    asc.execute("SET client_encoding = 'UTF8'")
    for cpt in (0xe9, 0x20ac):
        got = asc.execute("SELECT %s::driftmon.confusion::text = driftmon.confusion_agg(y, y)::text "
                          "FROM (VALUES (%s)) v(y)",
                          (conf_text(['"\\u%04x"' % cpt], [(0, 0, 1)]), chr(cpt))).fetchone()[0]
        t.ok(got is True, f"sql_ascii: \\u{cpt:04x} is stored as the UTF-8 bytes a UTF-8 client sends")
    asc.close()

    # the UTF-8 database is unchanged: the escape is the character
    for cpt in (0xe9, 0x20ac, 0x65e5, 0xffff):
        got = conn.execute("SELECT %s::driftmon.confusion::text",
                           (conf_text(['"\\u%04x"' % cpt], [(0, 0, 1)]),)).fetchone()[0]
        t.ok(json.loads(got)["labels"] == [chr(cpt)], f"utf8: \\u{cpt:04x} is U+{cpt:04X}", got)


def test_cross_encoding_copy():
    """Summaries copied as text between databases of different encodings
    (what pg_dump | psql does: COPY in the client encoding): WIN1252 orders
    the euro sign (0x80) before e acute (0xe9), UTF-8 after (e2 82 ac >
    c3 a9), so the labels arrive out of this database's byte order."""
    encoded_db('driftmon_win1252', 'WIN1252')
    win = dmtest.connect("driftmon_win1252")
    win.execute("SET client_encoding = 'UTF8'")
    conn.execute("SET client_encoding = 'UTF8'")
    pool = ['\u20ac', '\u00e9', 'z', 'A', '\u201a', '\u00ff', '\u0160', 'ab', '\u2122', '']
    cases = []
    for i in range(40):
        k = rng.randint(1, len(pool))
        labs = rng.sample(pool, k)
        n = rng.randint(1, 30)
        cases.append([(rng.choice(labs), rng.choice(labs)) for _ in range(n)])
    rows = [(i, y, p) for i, c in enumerate(cases) for y, p in c]
    lat = dmtest.connect("driftmon_latin1")
    lat.execute("SET client_encoding = 'UTF8'")
    pairs = [(win, conn, 'WIN1252', 'UTF8', 'text'), (conn, win, 'UTF8', 'WIN1252', 'text'),
             (win, conn, 'WIN1252', 'UTF8', 'binary'), (conn, win, 'UTF8', 'WIN1252', 'binary'),
             (lat, conn, 'LATIN1', 'UTF8', 'binary'), (conn, lat, 'UTF8', 'LATIN1', 'binary'),
             (win, lat, 'WIN1252', 'LATIN1', 'binary')]
    for src, dst, sname, dname, fmt in pairs:
        if 'LATIN1' in (sname, dname):
            # LATIN1 has no euro, trade mark, S caron or low quote
            keep = [i for i, c in enumerate(cases)
                    if all(ord(ch) < 256 for y, p in c for ch in y + p)]
        else:
            keep = list(range(len(cases)))
        rows = [(i, y, p) for i in keep for y, p in cases[i]]
        sname = f"{sname} -> {dname} ({fmt})"
        dname = ''
        for db in (src, dst):
            db.execute("DROP TABLE IF EXISTS xr, xs")
            db.execute("CREATE TABLE xr (case_id int, y text, p text)")
            db.execute("CREATE TABLE xs (case_id int, c driftmon.confusion)")
        dmtest.copy_rows(src, 'xr', ['case_id', 'y', 'p'], rows)
        dmtest.copy_rows(dst, 'xr', ['case_id', 'y', 'p'], rows)
        src.execute("INSERT INTO xs SELECT case_id, driftmon.confusion_agg(y, p) FROM xr GROUP BY case_id")
        # the dump: COPY TO in the client encoding, COPY FROM into the other database
        opt = " (FORMAT binary)" if fmt == 'binary' else ""
        with src.cursor() as cur:
            with cur.copy("COPY xs TO STDOUT" + opt) as cp:
                data = b"".join(bytes(b) for b in cp)
        err = None
        try:
            with dst.cursor() as cur:
                with cur.copy("COPY xs FROM STDIN" + opt) as cp:
                    cp.write(data)
        except psycopg.Error as e:
            err = f"{e.sqlstate}: {e}"
        t.ok(err is None, f"{sname}: {len(keep)} summaries copied load", err)
        if err is not None:
            continue
        # loaded summaries equal the ones this database builds from the same rows
        got = dict(dst.execute("SELECT x.case_id, x.c::text = a.c::text FROM xs x JOIN "
                               "(SELECT case_id, driftmon.confusion_agg(y, p) c FROM xr GROUP BY case_id) a "
                               "USING (case_id)").fetchall())
        bad = [i for i in keep if not got.get(i)]
        t.ok(not bad, f"{sname}: every loaded summary equals the local confusion_agg",
             f"cases {bad[:10]}")
        # and its metrics equal sklearn's on the rows
        res = {r[0]: r[1:] for r in dst.execute(
            "SELECT case_id, accuracy, f1_macro, cohen_kappa FROM xs, "
            "driftmon.classification_metrics(c)")}
        bad = []
        for i in keep:
            c = cases[i]
            yt = [y for y, _ in c]
            yp = [p for _, p in c]
            want = (skm.accuracy_score(yt, yp), skm.f1_score(yt, yp, average='macro', zero_division=0),
                    skm.cohen_kappa_score(yt, yp))
            g = res[i]
            wk = None if math.isnan(want[2]) else want[2]
            if not (close(g[0], want[0]) and close(g[1], want[1]) and
                    (close(g[2], wk) or (g[2] is not None and wk is not None and abs(g[2] - wk) < 1e-15))):
                bad.append(f"case {i}: got {g} want {want}")
        t.ok(not bad, f"{sname}: metrics of the loaded summaries equal sklearn's",
             "\n".join(bad[:5]))
        for db in (src, dst):
            db.execute("DROP TABLE xr, xs")
    win.close()
    lat.close()

    # the rule for text input: labels in any order, cells ascending by the
    # indexes as written; duplicates refused
    for txt, want in (
            ('{"version":1,"kind":"text","skipped":0,"labels":["b","a"],"cells":[[0,1,1]]}',
             '{"version":1,"kind":"text","skipped":0,"labels":["a","b"],"cells":[[1,0,1]]}'),
            ('{"version":1,"kind":"bigint","skipped":3,"labels":[5,-3,2],'
             '"cells":[[0,1,1],[0,2,4],[1,0,2],[2,2,1]]}',
             '{"version":1,"kind":"bigint","skipped":3,"labels":[-3,2,5],'
             '"cells":[[0,2,2],[1,1,1],[2,0,1],[2,1,4]]}'),
            ('{"version":1,"kind":"boolean","skipped":0,"labels":[true,false],"cells":[[0,0,7],[1,0,2]]}',
             '{"version":1,"kind":"boolean","skipped":0,"labels":[false,true],"cells":[[0,1,2],[1,1,7]]}')):
        got = conn.execute("SELECT %s::driftmon.confusion::text", (txt,)).fetchone()[0]
        t.ok(got == want, f"text input sorts labels: {txt}", f"got {got}")
    # random summaries written with their labels shuffled (cells renumbered
    # and ascending by the new indexes): the input equals confusion_agg over
    # the same rows
    bad = []
    for case in range(120):
        kind = ('text', 'bigint', 'boolean')[case % 3]
        if kind == 'text':
            labs = rng.sample(['a', 'b', 'B', '', 'ab', '\u00e9', '\u20ac', 'z z', '"q"', '10', '9'],
                              rng.randint(1, 11))
        elif kind == 'bigint':
            labs = rng.sample([-2 ** 63, -5, 0, 3, 7, 10, 2 ** 63 - 1], rng.randint(1, 7))
        else:
            labs = rng.sample([False, True], rng.randint(1, 2))
        pairs = [(rng.choice(labs), rng.choice(labs)) for _ in range(rng.randint(1, 25))]
        used = sorted({x for pr in pairs for x in pr}, key=lambda v: (str(type(v)), v))
        order = used[:]
        rng.shuffle(order)
        idx = {v: i for i, v in enumerate(order)}
        cnt = {}
        for a, b in pairs:
            cnt[(idx[a], idx[b])] = cnt.get((idx[a], idx[b]), 0) + 1
        skipped = rng.randint(0, 3)
        txt = (f'{{"version":1,"kind":"{kind}","skipped":{skipped},"labels":[' +
               ",".join(json.dumps(v, ensure_ascii=(case % 2 == 0)) for v in order) + '],"cells":[' +
               ",".join(f"[{i},{j},{n}]" for (i, j), n in sorted(cnt.items())) + ']}')
        cast = {'text': 'text', 'bigint': 'bigint', 'boolean': 'boolean'}[kind]
        want = conn.execute(
            f"SELECT driftmon.confusion_agg(y, p)::text FROM unnest(%s::{cast}[], %s::{cast}[]) u(y, p)",
            ([a for a, _ in pairs] + [None] * skipped, [b for _, b in pairs] + [None] * skipped)).fetchone()[0]
        try:
            got = conn.execute("SELECT %s::driftmon.confusion::text", (txt,)).fetchone()[0]
        except psycopg.Error as e:
            got = f"{e.sqlstate}: {e}"
        if got != want:
            bad.append(f"{txt}\n  got  {got}\n  want {want}")
    t.ok(not bad, "text input of 120 random summaries with shuffled labels equals confusion_agg's",
         "\n".join(bad[:3]))
    for txt, what in (
            ('{"version":1,"kind":"text","skipped":0,"labels":["b","a","b"],"cells":[[0,1,1],[2,2,1]]}',
             'a duplicate label'),
            ('{"version":1,"kind":"text","skipped":0,"labels":["b","a"],"cells":[[1,0,1],[0,1,1]]}',
             'cells out of order as written'),
            ('{"version":1,"kind":"text","skipped":0,"labels":["b","a"],"cells":[[0,1,1],[0,1,1]]}',
             'a duplicate cell')):
        try:
            got = conn.execute("SELECT %s::driftmon.confusion::text", (txt,)).fetchone()[0]
            t.ok(False, f"text input refuses {what}", f"accepted as {got}")
        except psycopg.Error as e:
            t.ok(e.sqlstate == '22P03', f"text input refuses {what} (22P03)", f"{e.sqlstate}: {e}")


# --------------------------------------------------------------------------
# 2. memory per group of the score aggregates
# --------------------------------------------------------------------------

def exact_auc_ap(pos, neg):
    twice = sum(2 if a > b else (1 if a == b else 0) for a in pos for b in neg)
    auc = Fraction(twice, 2 * len(pos) * len(neg))
    ap = Fraction(0)
    tps = fps = 0
    for v in sorted(set(pos) | set(neg), reverse=True):
        dp = sum(1 for a in pos if a == v)
        fps += sum(1 for b in neg if b == v)
        tps += dp
        if dp:
            ap += Fraction(dp, len(pos)) * Fraction(tps, tps + fps)
    return float(auc), float(ap)


def peak_kb(plan_sql):
    plan = conn.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, FORMAT JSON) " + plan_sql).fetchone()[0]
    node = plan[0]["Plan"]
    return node.get("Strategy"), node.get("HashAgg Batches"), node.get("Peak Memory Usage")


def test_group_memory():
    ngroups = 8000
    conn.execute("CREATE TEMP TABLE mg (k int, s float8, y boolean)")
    groups = {}
    rows = []
    for k in range(ngroups):
        m = rng.randint(2, 6)
        ss = [rng.choice([0.1, 0.5, 0.9, round(rng.random(), 3)]) for _ in range(m)]
        ys = [j % 2 == 0 for j in range(m)]
        groups[k] = (ss, ys)
        rows.extend((k, repr(s), y) for s, y in zip(ss, ys))
    dmtest.copy_rows(conn, 'mg', ['k', 's', 'y'], rows)
    conn.execute("ANALYZE mg")
    conn.execute("SET work_mem = '1GB'")
    conn.execute("SET enable_sort = off")
    base = peak_kb("SELECT k, count(*) FROM mg GROUP BY k")
    for agg in ("driftmon.roc_auc(s, y)", "driftmon.average_precision(s, y)",
                "driftmon.binary_metrics(y, s)"):
        strat, batches, kb = peak_kb(f"SELECT k, {agg} FROM mg GROUP BY k")
        per_group = (kb - base[2]) * 1024 / ngroups
        # a score is 8 bytes, a group holds at most 6, the state itself ~200:
        # 2 kB per group is generous; a first block of 1024 scores per class
        # took 16 kB
        t.ok(strat == 'Hashed' and batches == 1 and per_group < 2048,
             f"{agg}: {ngroups} groups of 2-6 rows in one hash table take < 2 kB each",
             f"strategy {strat}, batches {batches}, {kb} kB peak ({per_group:.0f} B per group "
             f"over count(*)'s {base[2]} kB)")
    res = {r[0]: r[1:] for r in conn.execute(
        "SELECT k, driftmon.roc_auc(s, y), driftmon.average_precision(s, y), "
        "(driftmon.binary_metrics(y, s)).roc_auc FROM mg GROUP BY k")}
    bad = []
    sk_checked = 0
    for k, (ss, ys) in groups.items():
        pos = [s for s, y in zip(ss, ys) if y]
        neg = [s for s, y in zip(ss, ys) if not y]
        wa, wap = exact_auc_ap(pos, neg)
        g = res[k]
        if not (close(g[0], wa) and close(g[1], wap) and close(g[2], wa)):
            bad.append(f"group {k}: got {g} want auc {wa} ap {wap}")
        if k % 40 == 0:
            sk_checked += 1
            yy = [int(y) for y in ys]
            if not (close(g[0], skm.roc_auc_score(yy, ss)) and
                    close(g[1], skm.average_precision_score(yy, ss))):
                bad.append(f"group {k}: sklearn {skm.roc_auc_score(yy, ss)} "
                           f"{skm.average_precision_score(yy, ss)} got {g}")
    t.ok(not bad, f"hash-aggregated groups: AUC and AP of {ngroups} groups exact "
         f"({sk_checked} also against sklearn)", "\n".join(bad[:10]))
    conn.execute("RESET work_mem")
    conn.execute("RESET enable_sort")
    conn.execute("DROP TABLE mg")


def test_confusion_group_memory():
    """README: the confusion state takes about 1.7 kB per group (with a few
    labels).  Hash aggregate memory is counted in whole blocks (up to 8 MB),
    so 30,000 groups are needed to see it; each holds 3 labels."""
    ngroups = 30000
    conn.execute("CREATE TEMP TABLE cg (k int, y bigint, p bigint)")
    conn.execute(f"INSERT INTO cg SELECT g % {ngroups}, g % 3, (g / {ngroups}) % 3 "
                 f"FROM generate_series(0, {4 * ngroups - 1}) g")
    conn.execute("ANALYZE cg")
    conn.execute("SET work_mem = '2GB'")
    conn.execute("SET enable_sort = off")
    base = peak_kb("SELECT k, count(*) FROM cg GROUP BY k")
    for agg in ("driftmon.confusion_agg(y, p)", "driftmon.classification_metrics(y, p)"):
        strat, batches, kb = peak_kb(f"SELECT k, {agg} FROM cg GROUP BY k")
        per_group = (kb - base[2]) * 1024 / ngroups
        t.ok(strat == 'Hashed' and batches == 1 and per_group < 2048,
             f"{agg}: {ngroups} groups of 3 labels take < 2 kB each (README: about 1.7 kB)",
             f"strategy {strat}, batches {batches}, {kb} kB ({per_group:.0f} B per group)")
    # every group: rows (g % 3, (g / n) % 3) for g = k + j n, j = 0..3
    want = {}
    for k in range(0, ngroups, 997):
        yt = [(k + j * ngroups) % 3 for j in range(4)]
        yp = [j % 3 for j in range(4)]
        want[k] = skm.accuracy_score(yt, yp)
    got = dict(conn.execute(f"SELECT k, driftmon.accuracy(driftmon.confusion_agg(y, p)) FROM cg "
                            f"WHERE k % 997 = 0 GROUP BY k").fetchall())
    t.ok(all(close(got[k], w) for k, w in want.items()),
         f"confusion_agg per group: accuracy of {len(want)} sampled groups equals sklearn's",
         str([(k, got.get(k), w) for k, w in want.items() if not close(got.get(k), w)][:5]))
    conn.execute("RESET work_mem")
    conn.execute("RESET enable_sort")
    conn.execute("DROP TABLE cg")


# --------------------------------------------------------------------------
# 3. regression_metrics: merging workers' moments near the float8 range
# --------------------------------------------------------------------------

PARALLEL = ("SET parallel_setup_cost = 0", "SET parallel_tuple_cost = 0",
            "SET min_parallel_table_scan_size = 0",
            "SET max_parallel_workers_per_gather = 2",
            "SET parallel_leader_participation = off",
            "SET enable_hashagg = off")


def exact_r2(yt, yp):
    ft = [Fraction(v) for v in yt]
    fp = [Fraction(v) for v in yp]
    mean = sum(ft) / len(ft)
    sst = sum((a - mean) ** 2 for a in ft)
    sse = sum((b - a) ** 2 for a, b in zip(ft, fp))
    return float(1 - sse / sst)


def test_regression_merge_range():
    """Groups of 2 or 3 rows whose y_true lie 1.35e154 to 1.8e154 apart
    (M2 finite, up to 1.6e308; errors ~1e150, far below the documented
    1.3e154 limit), padded with skipped rows and shuffled so the parallel
    plan splits them over two workers: the merged r2 must be the serial
    one and the exact one (the merge squared the difference of the means
    first and overflowed: 'r2 is out of range')."""
    ngroups = 1500
    groups = []
    rows = []
    for k in range(ngroups):
        d = rng.uniform(1.35e154, 1.8e154)
        kind = k % 3
        if kind == 0:
            yt = [0.0, d]
        elif kind == 1:
            yt = [-d / 2, d / 2]
        else:
            yt = [0.0, d, d / 2]
        yp = [v + rng.uniform(-1e150, 1e150) for v in yt]
        groups.append((yt, yp))
        rows.extend((k, repr(a), repr(b)) for a, b in zip(yt, yp))
        rows.extend([(k, None, '1')] * 25)
    rng.shuffle(rows)
    conn.execute("DROP TABLE IF EXISTS rg_merge")
    conn.execute("CREATE TABLE rg_merge (k int, yt float8, yp float8)")
    dmtest.copy_rows(conn, 'rg_merge', ['k', 'yt', 'yp'], rows)
    conn.execute("ANALYZE rg_merge")
    q = "SELECT k, (driftmon.regression_metrics(yt, yp)).r2 FROM rg_merge GROUP BY k"
    serial = dict(conn.execute(q).fetchall())
    for g in PARALLEL:
        conn.execute(g)
    try:
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN (COSTS OFF) " + q))
        err = None
        try:
            par = dict(conn.execute(q).fetchall())
            plan = "\n".join(r[0] for r in conn.execute("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) " + q))
        except psycopg.Error as e:
            err = f"{e.sqlstate}: {e}"
            par = {}
        t.ok("Partial" in plan and (err is not None or "Workers Launched: 2" in plan),
             "regression near the range: two workers run partial aggregates", plan)
    finally:
        for g in PARALLEL:
            conn.execute("RESET " + g.split()[1])
    t.ok(err is None, "regression near the range: the parallel query succeeds", err)
    bad_s, bad_p = [], []
    for k, (yt, yp) in enumerate(groups):
        w = exact_r2(yt, yp)
        if not close(serial.get(k), w):
            bad_s.append(f"group {k}: {serial.get(k)!r} want {w!r}")
        if not (par.get(k) == serial.get(k) or close(par.get(k), w)):
            bad_p.append(f"group {k}: {par.get(k)!r} want {w!r}")
    t.ok(not bad_s, f"regression near the range: serial r2 of {ngroups} groups exact", "\n".join(bad_s[:5]))
    t.ok(not bad_p, f"regression near the range: parallel r2 of {ngroups} groups exact",
         "\n".join(bad_p[:5]))
    conn.execute("DROP TABLE rg_merge")


t.run(test_latin1_escapes)
t.run(test_cross_encoding_copy)
t.run(test_group_memory)
t.run(test_confusion_group_memory)
t.run(test_regression_merge_range)
t.done()
