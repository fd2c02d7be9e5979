#!/usr/bin/python3
"""Adversarial oracle for monitors (issue 6): what a run stores, checked
against references computed in Python from the raw rows, and the audit
trail's guarantees, attacked from a non-owner role.

- Metrics of one exact run (KS statistic and p-value, PSI, normalised
  Wasserstein, chi-square, Jensen-Shannon, categorical PSI) per segment
  against scipy / mpmath on exactly the rows of the window and of the
  previous window, through hostile identifiers (quotes, spaces, '%', '$$',
  reserved words, unicode) and hostile segment values ('', quotes, unicode,
  NULL, a value on one side only), with rows exactly on the window bounds,
  for timestamptz and timestamp time columns (and a timestamp column under
  another session TimeZone, as documented); a table reference (training
  set, whole and a time range); a baseline monitor while its profiles are
  exact, and profile_drift_history; quality metrics per segment against
  scikit-learn.
- backfill_monitor tiles its range: windows [start + k*size,
  start + (k+1)*size) computed in Python (month sizes from Jan 31, day sizes
  over a DST change at local midnight), every row counted exactly once; the
  default daily windows do not depend on the session TimeZone (DST).
- Thresholds: a value exactly at the threshold (inclusive side as
  documented), Bonferroni, and the same statuses and stored thresholds
  whatever the session's extra_float_digits.
- Custom checks: a metric returned twice, or a check named like a feature,
  must not produce two results for one (segment, feature, metric); NULL
  metric, text value, division by zero fail the run with no partial
  results; NULL / NaN values are 'unknown'.
- Per-feature threshold overrides; latest_results / monitor_status show the
  latest window after a backfill of older ones; NOTIFY payload JSON with
  hostile names; config snapshots across alter_monitor.
- Append-only: a driftmon_admin member (not the owner) cannot delete history
  by setting the purge flag itself, nor by writing its own purge_log row
  and deleting selectively; purge_history logs exactly what it removed.
"""
import datetime as dt
import math
import os
import sys
from fractions import Fraction

import mpmath
import numpy as np
import psycopg
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
import driftref  # noqa: E402

mpmath.mp.dps = 40
t = dmtest.Tap('monitor_adversarial')
conn = dmtest.connect()
rng = np.random.default_rng(20261124)
UTC = dt.timezone.utc

SCHEMA = 'Adv "mon" %s $$'
TABLE = 'log table; drop'
TCOL = 'Logged At'
NUM1 = 'select'           # reserved word
NUM2 = 'x%s$$y'           # format() and dollar-quote characters
CAT = "Cat 'é'"
SEG = 'seg "col"'


def qi(name):
    """Quote an identifier the way PostgreSQL does (always quoted)."""
    return '"' + name.replace('"', '""') + '"'


def reset():
    """A fresh schema with the log table; monitors of earlier runs dropped."""
    conn.execute("SET TimeZone = 'UTC'")
    for (name,) in conn.execute("SELECT name FROM driftmon.monitor_list WHERE name LIKE 'adv%'").fetchall():
        conn.execute("SELECT driftmon.drop_monitor(%s)", (name,))
    conn.execute(f"DROP SCHEMA IF EXISTS {qi(SCHEMA)} CASCADE")
    conn.execute(f"CREATE SCHEMA {qi(SCHEMA)}")


reset()
REL = f"{qi(SCHEMA)}.{qi(TABLE)}"

# ---------------------------------------------------------------------------
# 1. One exact run against scipy on the raw rows, per segment.
# ---------------------------------------------------------------------------
W_END = dt.datetime(2026, 3, 10, tzinfo=UTC)
W_START = W_END - dt.timedelta(days=1)
R_START = W_START - dt.timedelta(days=1)
SEGVALS = [None, '', "a'b\"c", 'ünï €', 'only_ref', 'only_cur', '%s $$ x']
CATS = ['red', 'blue', "gr'een", '', 'ü']


def make_rows():
    rows = []
    for side, (lo, shift) in enumerate([(R_START, 0.0), (W_START, 0.35)]):
        n = 900
        secs = rng.integers(0, 86400, n)
        for i in range(n):
            ts = lo + dt.timedelta(seconds=int(secs[i]))
            seg = SEGVALS[int(rng.integers(0, 4))]
            if seg is None and i % 7 == 0:
                seg = 'only_ref' if side == 0 else 'only_cur'
            if i % 17 == 0:
                seg = SEGVALS[6]
            x1 = float(np.round(rng.normal(shift, 1.0), 3))      # ties on purpose
            x2 = None if i % 11 == 0 else float(rng.gamma(2.0 + shift, 1.0))
            c = CATS[int(rng.choice(5, p=[0.3, 0.25, 0.2, 0.15, 0.1] if side == 0 else [0.2, 0.25, 0.2, 0.15, 0.2]))]
            if i % 13 == 0:
                c = None
            rows.append((ts, x1, x2, c, seg))
    # rows exactly on the bounds: start of reference and current are in,
    # the window end belongs to the next window, just before the reference
    # start belongs to none
    for ts, x1 in [(R_START, 50.0), (W_START, -50.0), (W_END, 1e6),
                   (R_START - dt.timedelta(microseconds=1), -1e6),
                   (W_END - dt.timedelta(microseconds=1), 7.5)]:
        rows.append((ts, x1, 1.0, 'red', 'edge'))
    return rows


ROWS = make_rows()
conn.execute(f"""CREATE TABLE {REL} ({qi(TCOL)} timestamptz, {qi(NUM1)} float8,
                 {qi(NUM2)} numeric, {qi(CAT)} text, {qi(SEG)} text)""")
with conn.cursor() as cur:
    with cur.copy(f"COPY {REL} FROM STDIN") as cp:
        for r in ROWS:
            cp.write_row(r)
# the same rows with a timestamp (without time zone) time column, as a view
VIEW = f"{qi(SCHEMA)}.{qi('naive view')}"
conn.execute(f"""CREATE VIEW {VIEW} AS SELECT ({qi(TCOL)} AT TIME ZONE 'UTC') AS {qi(TCOL)},
                 {qi(NUM1)}, {qi(NUM2)}, {qi(CAT)}, {qi(SEG)} FROM {REL}""")


def side_rows(lo, hi):
    return [r for r in ROWS if lo <= r[0] < hi]


def num_metrics(ref, cur):
    """ks (D, p), psi, wasserstein_normed of two float lists (NULLs out)."""
    ref = np.array([v for v in ref if v is not None], float)
    cur = np.array([v for v in cur if v is not None], float)
    if len(ref) == 0 or len(cur) == 0:
        return {'ks': (None, None), 'psi': (None, None), 'wasserstein_normed': (None, None)}
    ks = stats.ks_2samp(ref, cur, method='exact' if max(len(ref), len(cur)) <= 10000 else 'auto')
    p, q = driftref.hist(ref, cur, 'quantile', 10)
    sd = np.std(ref, ddof=1) if len(ref) > 1 else float('nan')
    wn = stats.wasserstein_distance(ref, cur) / sd if sd and not math.isnan(sd) else None
    return {'ks': (ks.statistic, ks.pvalue), 'psi': (driftref.psi_ref(p, q), None),
            'wasserstein_normed': (wn, None)}


def cat_metrics(ref, cur):
    """chi2 (statistic, p), js_divergence, psi over categories (NULLs out)."""
    ref = [v for v in ref if v is not None]
    cur = [v for v in cur if v is not None]
    if not ref or not cur:
        return {'chi2': (None, None), 'js_divergence': (None, None), 'psi': (None, None)}
    cats = sorted(set(ref) | set(cur))
    a = np.array([ref.count(c) for c in cats], float)
    b = np.array([cur.count(c) for c in cats], float)
    if len(cats) > 1:
        chi = stats.chi2_contingency(np.vstack([a, b]))
        chi2 = (chi[0], chi[1])
    else:
        chi2 = (0.0, 1.0)
    p, q = a / a.sum(), b / b.sum()
    return {'chi2': chi2, 'js_divergence': (driftref.js_ref(p, q), None),
            'psi': (driftref.psi_ref(p, q), None)}


THRESH = {'ks': (None, 0.05, 'below'), 'chi2': (None, 0.05, 'below'),
          'psi': (0.1, 0.2, 'above'), 'js_divergence': (0.1, 0.2, 'above'),
          'wasserstein_normed': (0.05, 0.1, 'above')}


def status(x, metric):
    warn, alert, d = THRESH[metric]
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return 'unknown'
    if d == 'below':
        return 'alert' if alert is not None and x < alert else 'warn' if warn is not None and x < warn else 'ok'
    return 'alert' if alert is not None and x >= alert else 'warn' if warn is not None and x >= warn else 'ok'


def expected_results():
    ref_rows, cur_rows = side_rows(R_START, W_START), side_rows(W_START, W_END)
    segs = [None] + sorted({r[4] for r in ref_rows + cur_rows if r[4] is not None})
    out = {}
    for s in segs:
        rr = [r for r in ref_rows if s is None or r[4] == s]
        cr = [r for r in cur_rows if s is None or r[4] == s]
        for feat, idx, fn in [(NUM1, 1, num_metrics), (NUM2, 2, num_metrics), (CAT, 3, cat_metrics)]:
            for metric, (v, p) in fn([r[idx] for r in rr], [r[idx] for r in cr]).items():
                out[(s, feat, metric)] = (v, p)
    return out, len(ref_rows), len(cur_rows)


def close(got, want, rtol, name, metric):
    if want is None:
        t.ok(got is None, name, f'got {got}, want NULL')
    else:
        t.close(got, want, rtol, name, metric=metric)


EXP, N_REF, N_CUR = expected_results()
for label, source in [('timestamptz', REL), ('timestamp', VIEW)]:
    mname = f'adv exact {label} \'"%s$$'
    conn.execute("""SELECT driftmon.create_monitor(name => %s, source => %s::regclass, time_column => %s,
                    features => ARRAY[%s, %s, %s], segment => %s, window_size => interval '1 day')""",
                 (mname, source, TCOL, NUM1, NUM2, CAT, SEG))
    rid = conn.execute("SELECT driftmon.run_monitor(%s, %s)", (mname, W_END)).fetchone()[0]
    run = conn.execute("SELECT status, error, n_reference, n_current, window_start, window_end FROM driftmon.runs WHERE run_id = %s",
                       (rid,)).fetchone()
    t.ok(run[0] == 'succeeded', f'{label}: run succeeded', run[1])
    t.ok((run[2], run[3]) == (N_REF, N_CUR), f'{label}: row counts per side (bounds half-open)',
         f'got {run[2:4]}, want {(N_REF, N_CUR)}')
    t.ok((run[4], run[5]) == (W_START, W_END), f'{label}: window bounds stored')
    tz = conn.execute("SELECT config ->> 'time_zone' FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()[0]
    t.ok(tz == 'UTC', f'{label}: the run records the session TimeZone its bounds were compared in', repr(tz))
    got = {(s, f, m): (v, p, st) for s, f, m, v, p, st in conn.execute(
        "SELECT segment, feature, metric, value, p_value, status FROM driftmon.results WHERE run_id = %s AND kind = 'drift'",
        (rid,)).fetchall()}
    t.ok(set(got) == set(EXP), f'{label}: one result per (segment, feature, metric), NULL segment only overall',
         f'missing {sorted(set(EXP) - set(got), key=str)[:4]}, extra {sorted(set(got) - set(EXP), key=str)[:4]}')
    for key in sorted(EXP, key=lambda k: (k[0] is not None, str(k))):
        if key not in got:
            continue
        s, f, m = key
        v, p = EXP[key]
        gv, gp, gst = got[key]
        nm = f'{label} seg={s!r} {f} {m}'
        close(gv, v, 1e-9, nm + ' value', m)
        if m in ('ks', 'chi2'):
            close(gp, p, 1e-9, nm + ' p-value', m + '_p')
            want_st = status(p, m)
        else:
            want_st = status(v, m)
        # a status right at a threshold would be decided by rounding: none here
        t.ok(gst == want_st, nm + ' status', f'got {gst}, want {want_st}')

# A table reference (a training set in another table), all of it and a
# time range of it (half-open, bounds as given), against scipy.
TRAIN = f"{qi(SCHEMA)}.{qi('training set')}"
conn.execute(f"""CREATE TABLE {TRAIN} ({qi(TCOL)} timestamptz, {qi(NUM1)} float8, {qi(NUM2)} numeric,
                 {qi(CAT)} text, {qi(SEG)} text)""")
train = []
for i in range(500):
    ts = dt.datetime(2025, 6, 1, tzinfo=UTC) + dt.timedelta(hours=i)
    train.append((ts, float(np.round(rng.normal(0.1, 1.1), 3)), float(rng.gamma(2.2, 1.0)),
                  CATS[int(rng.integers(0, 5))], SEGVALS[int(rng.integers(1, 4))]))
dmtest.copy_rows(conn, TRAIN, [qi(TCOL), qi(NUM1), qi(NUM2), qi(CAT), qi(SEG)], train)
t_lo, t_hi = train[100][0], train[400][0]
for label, rng_arg, ref_rows in [('all of it', None, train),
                                 ('a range of it', (t_lo, t_hi), [r for r in train if t_lo <= r[0] < t_hi])]:
    mname = f'adv table ref {label}'
    conn.execute("""SELECT driftmon.create_monitor(name => %s, source => %s::regclass, time_column => %s,
                    features => ARRAY[%s, %s, %s], segment => %s, reference_source => %s::regclass,
                    reference => CASE WHEN %s::timestamptz IS NULL THEN NULL ELSE tstzrange(%s, %s) END)""",
                 (mname, REL, TCOL, NUM1, NUM2, CAT, SEG, TRAIN,
                  rng_arg and rng_arg[0], rng_arg and rng_arg[0], rng_arg and rng_arg[1]))
    rid = conn.execute("SELECT driftmon.run_monitor(%s, %s)", (mname, W_END)).fetchone()[0]
    st = conn.execute("SELECT status, error, n_reference FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()
    t.ok(st[:1] == ('succeeded',) and st[2] == len(ref_rows), f'table reference ({label}): run, n_reference',
         f'{st} vs {len(ref_rows)}')
    got = {(s_, f, m): (v, p_) for s_, f, m, v, p_ in conn.execute(
        "SELECT segment, feature, metric, value, p_value FROM driftmon.results WHERE run_id = %s", (rid,)).fetchall()}
    cur_rows = side_rows(W_START, W_END)
    for s_ in [None, '', "a'b\"c", 'ünï €']:
        rr = [r for r in ref_rows if s_ is None or r[4] == s_]
        cr = [r for r in cur_rows if s_ is None or r[4] == s_]
        exp = {}
        for feat, idx, fn in [(NUM1, 1, num_metrics), (NUM2, 2, num_metrics), (CAT, 3, cat_metrics)]:
            for m, vp in fn([r[idx] for r in rr], [r[idx] for r in cr]).items():
                exp[(s_, feat, m)] = vp
        for key, (v, p_) in sorted(exp.items(), key=str):
            nm = f'table reference ({label}) seg={s_!r} {key[1]} {key[2]}'
            if key not in got:
                t.ok(False, nm, 'missing')
                continue
            close(got[key][0], v, 1e-9, nm + ' value', key[2])
            if key[2] in ('ks', 'chi2'):
                close(got[key][1], p_, 1e-9, nm + ' p-value', key[2] + '_p')

# A timestamp (without time zone) column is compared with the bounds in the
# session TimeZone (documented): under Asia/Kolkata (+05:30) the window
# [W_START, W_END) holds the naive values in [W_START + 5:30, W_END + 5:30).
conn.execute("SET TimeZone = 'Asia/Kolkata'")
rid = conn.execute("SELECT driftmon.run_monitor(%s, %s)",
                   (f'adv exact timestamp \'"%s$$', W_END)).fetchone()[0]
conn.execute("SET TimeZone = 'UTC'")
off = dt.timedelta(hours=5, minutes=30)
got = conn.execute("SELECT n_current, n_reference, config ->> 'time_zone' FROM driftmon.runs WHERE run_id = %s",
                   (rid,)).fetchone()
want = (len(side_rows(W_START + off, W_END + off)), len(side_rows(R_START + off, W_START + off)), 'Asia/Kolkata')
t.ok(got == want, 'timestamp column under TimeZone Asia/Kolkata: bounds compared as local time, zone recorded',
     f'got {got}, want {want}')

# ---------------------------------------------------------------------------
# 2. backfill_monitor tiles its range.
# ---------------------------------------------------------------------------


def add_months(d, k):
    """PostgreSQL's timestamp + k months: same day, clipped to the month's end."""
    y, m = divmod(d.month - 1 + k, 12)
    y += d.year
    m += 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return d.replace(year=y, month=m, day=min(d.day, last))


BF = f"{qi(SCHEMA)}.{qi('backfill')}"
conn.execute(f"CREATE TABLE {BF} (ts timestamptz, v float8, id int)")
# one row every 20 minutes from Jan 1 to Oct 1, 2026
conn.execute(f"""INSERT INTO {BF} SELECT timestamptz '2026-01-01 00:00+00' + i * interval '20 minutes',
                 (i % 97)::float8, i FROM generate_series(0, 273 * 72 - 1) i""")
BF_TS = [dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(minutes=20 * i) for i in range(273 * 72)]


def check_backfill(name, size, tz, start_local, end_local, expected_bounds):
    conn.execute(f"SET TimeZone = '{tz}'")
    conn.execute("""SELECT driftmon.create_monitor(name => %s, source => %s::regclass, time_column => 'ts',
                    features => ARRAY['v'], window_size => %s::interval,
                    reference => tstzrange('2026-01-01 00:00+00', '2026-01-05 00:00+00'))""",
                 (name, BF, size))
    runs = conn.execute("SELECT run_id FROM driftmon.backfill_monitor(%s, %s, %s)",
                        (name, start_local, end_local)).fetchall()
    # a second statement: the runs are visible once the backfill has ended
    got = conn.execute("SELECT window_start, window_end, status, n_current FROM driftmon.runs "
                       "WHERE run_id = ANY (%s) ORDER BY window_end", ([r[0] for r in runs],)).fetchall()
    conn.execute("SET TimeZone = 'UTC'")
    bounds = [(a, b) for a, b, _, _ in got]
    t.ok(bounds == expected_bounds, f'backfill {name}: windows [start + k*size, start + (k+1)*size)',
         f'got {[(str(a), str(b)) for a, b in bounds]}\nwant {[(str(a), str(b)) for a, b in expected_bounds]}')
    t.ok(all(bounds[i][1] == bounds[i + 1][0] for i in range(len(bounds) - 1)),
         f'backfill {name}: no gap, no overlap between windows')
    lo, hi = expected_bounds[0][0], expected_bounds[-1][1]
    want_rows = sum(1 for x in BF_TS if lo <= x < hi)
    t.ok(sum(n or 0 for _, _, _, n in got) == want_rows,
         f'backfill {name}: every row of the range counted exactly once',
         f'got {sum(n or 0 for _, _, _, n in got)}, want {want_rows}')
    for a, b, st, n in got:
        want_n = sum(1 for x in BF_TS if a <= x < b)
        t.ok(n == want_n, f'backfill {name}: rows in window ending {b}', f'got {n}, want {want_n}')


# months from Jan 31 (UTC): Jan 31, Feb 28, Mar 31, Apr 30, May 31, Jun 30
jan31 = dt.datetime(2026, 1, 31, tzinfo=UTC)
ends = [add_months(jan31, k) for k in range(6)]
check_backfill('adv backfill months', '1 month', 'UTC', jan31, dt.datetime(2026, 7, 15, tzinfo=UTC),
               list(zip(ends[:-1], ends[1:])))
# days over Chile's DST change at local midnight (2026-09-06 00:00 -04 ->
# 01:00 -03), backfilled from a local midnight: a day-sized window is 24
# hours (days as in date_bin), so the bounds are range_start + 24h * k
d0 = dt.datetime(2026, 9, 3, 4, 0, tzinfo=UTC)          # 2026-09-03 00:00 -04
days = [d0 + dt.timedelta(hours=24 * k) for k in range(6)]
check_backfill('adv backfill dst', '1 day', 'America/Santiago', '2026-09-03 00:00', '2026-09-08 12:00',
               list(zip(days[:-1], days[1:])))

# Dashboards show the latest window: a backfill of older windows after the
# daily runs must not turn latest_results / monitor_status back in time.
conn.execute("""SELECT driftmon.create_monitor(name => 'adv latest', source => %s::regclass, time_column => 'ts',
                features => ARRAY['v'])""", (BF,))
conn.execute("SELECT driftmon.run_monitor('adv latest', '2026-05-10')")
conn.execute("SELECT count(*) FROM driftmon.backfill_monitor('adv latest', '2026-02-01', '2026-02-04')")
for view in ('latest_results', 'monitor_status'):
    ends = conn.execute(f"SELECT DISTINCT window_end FROM driftmon.{view} WHERE monitor = 'adv latest'").fetchall()
    t.ok(ends == [(dt.datetime(2026, 5, 10, tzinfo=UTC),)], f'{view} shows the latest window after a backfill of older ones',
         f'got {ends}')
run_again = conn.execute("SELECT driftmon.run_monitor('adv latest', '2026-05-10')").fetchone()[0]
got = conn.execute("SELECT DISTINCT run_id FROM driftmon.latest_results WHERE monitor = 'adv latest'").fetchall()
t.ok(got == [(run_again,)], 'latest_results: of two runs of the latest window, the later run', f'got {got}')

# The default (UTC-aligned) daily windows of scheduled runs, run in a DST
# session TimeZone over the spring change (Europe/Berlin, 2026-03-29): each
# window is the 24 hours before its end, the previous-window reference the
# 24 hours before that, whatever the session TimeZone.
conn.execute("""SELECT driftmon.create_monitor(name => 'adv dst days', source => %s::regclass, time_column => 'ts',
                features => ARRAY['v'])""", (BF,))
ends = [dt.datetime(2026, 3, 27 + k, tzinfo=UTC) for k in range(5)]
for tz in ('Europe/Berlin', 'America/Santiago', 'UTC'):
    conn.execute(f"SET TimeZone = '{tz}'")
    rids = [conn.execute("SELECT driftmon.run_monitor('adv dst days', %s)", (e,)).fetchone()[0] for e in ends]
    conn.execute("SET TimeZone = 'UTC'")
    got = conn.execute("SELECT window_start, window_end, reference_start, reference_end, n_current FROM driftmon.runs "
                       "WHERE run_id = ANY (%s) ORDER BY window_end", (rids,)).fetchall()
    want = [(e - dt.timedelta(days=1), e, e - dt.timedelta(days=2), e - dt.timedelta(days=1),
             sum(1 for x in BF_TS if e - dt.timedelta(days=1) <= x < e)) for e in ends]
    t.ok(got == want, f'default daily windows under TimeZone {tz}: the 24 hours before each end, tiling',
         f'got {[(str(a), str(b), n) for a, b, _, _, n in got]}')

# ---------------------------------------------------------------------------
# 3. Thresholds: inclusive sides, Bonferroni, extra_float_digits.
# ---------------------------------------------------------------------------
TH = f"{qi(SCHEMA)}.{qi('thr')}"
conn.execute(f"CREATE TABLE {TH} (ts timestamptz, a float8, b float8, c float8)")
conn.execute(f"""INSERT INTO {TH} SELECT timestamptz '2026-01-01' + i * interval '1 hour', i % 5, i % 7, i % 3
                 FROM generate_series(0, 47) i""")
PSI_T = 0.123456789012345678          # 17 significant digits: not 15-digit exact
conn.execute("""SELECT driftmon.create_monitor(name => 'adv thresholds', source => %s::regclass, time_column => 'ts',
                features => ARRAY['a', 'b', 'c'], bonferroni => true,
                thresholds => %s::jsonb)""",
             (TH, '{"psi": {"warn": 0.1, "alert": %r}, "exact": {"warn": 0.5, "alert": 0.75}, '
                  '"low": {"alert": 0.3, "direction": "below"}}' % PSI_T))
conn.execute("""SELECT driftmon.add_check('adv thresholds', 'edge',
                $q$SELECT m AS metric, v AS value FROM (VALUES ('psi', %s::float8), ('exact', 0.75::float8),
                   ('low', 0.3::float8), ('warned', 0.5)) AS x(m, v)$q$)""" % repr(PSI_T))
for efd in (1, 0, 3, -5):
    conn.execute(f"SET extra_float_digits = {efd}")
    rid = conn.execute("SELECT driftmon.run_monitor('adv thresholds', '2026-01-03')").fetchone()[0]
    conn.execute("SET extra_float_digits = 1")
    rows = conn.execute("SELECT feature, metric, threshold_warn, threshold_alert, status FROM driftmon.results "
                        "WHERE run_id = %s ORDER BY feature, metric", (rid,)).fetchall()
    by = {(f, m): (w, a, s) for f, m, w, a, s in rows}
    for f in 'abc':
        w, a, _ = by[(f, 'ks')]
        # Bonferroni: 0.05 / 3 features, as a float8 division
        t.ok(a == 0.05 / 3, f'extra_float_digits={efd}: Bonferroni ks threshold of {f} is 0.05/3', f'got {a!r}')
        w, a, _ = by[(f, 'psi')]
        t.ok(a == PSI_T and w == 0.1, f'extra_float_digits={efd}: psi threshold of {f} stored exactly', f'got {w!r}, {a!r}')
    t.ok(by[('edge', 'psi')][2] == 'alert', f'extra_float_digits={efd}: value equal to the alert level alerts ("above" is >=)',
         f'got {by[("edge", "psi")]}')
    t.ok(by[('edge', 'exact')][2] == 'alert', f'extra_float_digits={efd}: 0.75 at alert 0.75 is alert')
    t.ok(by[('edge', 'low')][2] == 'ok', f'extra_float_digits={efd}: "below" is strict: 0.3 at 0.3 is ok',
         f'got {by[("edge", "low")]}')
    t.ok(by[('edge', 'warned')][2] == 'ok', f'extra_float_digits={efd}: custom metric without thresholds is ok')

# Per-feature overrides, key by key over the monitor's and the defaults,
# Bonferroni dividing the overridden p-value levels too.
conn.execute("""SELECT driftmon.create_monitor(name => 'adv overrides', source => %s::regclass, time_column => 'ts',
                features => ARRAY['a', 'b', 'c'], bonferroni => true,
                thresholds => '{"psi": {"alert": 0.3}, "ks": {"warn": 0.2}}',
                feature_options => '{"a": {"thresholds": {"ks": {"alert": 0.01}, "psi": {"warn": 0.05}}},
                                     "c": {"thresholds": {"wasserstein_normed": {"alert": null}}}}')""", (TH,))
rid = conn.execute("SELECT driftmon.run_monitor('adv overrides', '2026-01-03')").fetchone()[0]
by = {(f, m): (w, a, d) for f, m, w, a, d in conn.execute(
    "SELECT feature, metric, threshold_warn, threshold_alert, direction FROM driftmon.results WHERE run_id = %s", (rid,)).fetchall()}
want = {('a', 'ks'): (0.2 / 3, 0.01 / 3, 'below'), ('b', 'ks'): (0.2 / 3, 0.05 / 3, 'below'),
        ('a', 'psi'): (0.05, 0.3, 'above'), ('b', 'psi'): (0.1, 0.3, 'above'),
        ('c', 'wasserstein_normed'): (0.05, None, 'above'), ('b', 'wasserstein_normed'): (0.05, 0.1, 'above')}
for k, v in want.items():
    t.ok(by.get(k) == v, f'override: {k[0]} {k[1]} thresholds (warn, alert, direction)', f'got {by.get(k)}, want {v}')

# ---------------------------------------------------------------------------
# 4. Custom checks: one result per (segment, feature, metric).
# ---------------------------------------------------------------------------
conn.execute("""SELECT driftmon.create_monitor(name => 'adv checks', source => %s::regclass, time_column => 'ts',
                features => ARRAY['a', 'b'])""", (TH,))
conn.execute("""SELECT driftmon.add_check('adv checks', 'twice',
                $q$SELECT 'm' AS metric, 1 AS value UNION ALL SELECT 'm', 2$q$)""")
rid = conn.execute("SELECT driftmon.run_monitor('adv checks', '2026-01-03')").fetchone()[0]
st, err, sqlstate = conn.execute("SELECT status, error, error_sqlstate FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()
nres = conn.execute("SELECT count(*) FROM driftmon.results WHERE run_id = %s", (rid,)).fetchone()[0]
t.ok(st == 'failed' and nres == 0, 'a check returning a metric twice fails the run, no results',
     f'status {st}, {nres} results, error {err}')
t.ok(sqlstate == '21000', 'duplicate metric: SQLSTATE 21000 (cardinality_violation)', f'got {sqlstate}')
conn.execute("SELECT driftmon.drop_check('adv checks', 'twice')")
try:
    conn.execute("""SELECT driftmon.add_check('adv checks', 'a', $q$SELECT 'psi' AS metric, 0.5 AS value$q$)""")
    t.ok(False, 'a check named like a feature is refused', 'accepted')
except psycopg.Error as e:
    t.ok(e.sqlstate == '42710', 'a check named like a feature is refused (42710)', f'{e.sqlstate} {e}')
conn.execute("""SELECT driftmon.add_check('adv checks', 'c', $q$SELECT 'rows' AS metric, 1 AS value$q$)""")
try:
    conn.execute("SELECT driftmon.alter_monitor('adv checks', features => ARRAY['a', 'b', 'c'])")
    t.ok(False, 'alter_monitor adding a feature named like a check is refused', 'accepted')
except psycopg.Error as e:
    t.ok(e.sqlstate == '42710', 'alter_monitor adding a feature named like a check is refused (42710)', f'{e.sqlstate} {e}')
rid = conn.execute("SELECT driftmon.run_monitor('adv checks', '2026-01-03')").fetchone()[0]
dup = conn.execute("""SELECT count(*) FROM (SELECT segment, feature, metric FROM driftmon.results WHERE run_id = %s
                      GROUP BY 1, 2, 3 HAVING count(*) > 1) d""", (rid,)).fetchone()[0]
t.ok(dup == 0, 'no duplicate (segment, feature, metric) in a succeeded run with a check')

# Hostile check results: a failing check fails the whole run with no partial
# results (drift rows included); NULL / NaN values are 'unknown', never 'ok'.
CASES = [
    ('null metric', "SELECT NULL::text AS metric, 1 AS value", 'failed', '22004', None),
    ('text value', "SELECT 'v' AS metric, c.relname::text AS value FROM pg_catalog.pg_class c WHERE c.relname = 'pg_class'", 'failed', '22P02', None),
    ('division', "SELECT 'v' AS metric, 1 / (count(*) - count(*)) AS value FROM pg_catalog.pg_class", 'failed', '22012', None),
    ('no rows', "SELECT 'v' AS metric, 1 AS value WHERE false", 'succeeded', None, []),
    ('null value', "SELECT 'v' AS metric, NULL::float8 AS value", 'succeeded', None, [('v', None, 'unknown')]),
    ('nan value', "SELECT 'v' AS metric, 'NaN'::float8 AS value", 'succeeded', None, [('v', 'nan', 'unknown')]),
    ('infinite', "SELECT 'psi' AS metric, 'Infinity'::float8 AS value", 'succeeded', None, [('psi', math.inf, 'alert')]),
]
conn.execute("""SELECT driftmon.create_monitor(name => 'adv hostile checks', source => %s::regclass,
                time_column => 'ts', features => ARRAY['a'])""", (TH,))
for cname, q, want_status, want_state, want_rows in CASES:
    conn.execute("SELECT driftmon.add_check('adv hostile checks', %s, %s)", (cname, q))
    rid = conn.execute("SELECT driftmon.run_monitor('adv hostile checks', '2026-01-03')").fetchone()[0]
    st, state = conn.execute("SELECT status, error_sqlstate FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()
    n_drift = conn.execute("SELECT count(*) FROM driftmon.results WHERE run_id = %s AND kind = 'drift'", (rid,)).fetchone()[0]
    rows = conn.execute("SELECT metric, value, status FROM driftmon.results WHERE run_id = %s AND kind = 'custom' "
                        "ORDER BY metric", (rid,)).fetchall()
    t.ok((st, state) == (want_status, want_state), f'check "{cname}": run {want_status} ({want_state})', f'got {st}, {state}')
    if want_rows is None:
        t.ok(n_drift == 0 and rows == [], f'check "{cname}": no partial results', f'{n_drift} drift, {rows}')
    else:
        norm = [(m, 'nan' if isinstance(v, float) and math.isnan(v) else v, s2) for m, v, s2 in rows]
        t.ok(norm == want_rows and n_drift == 3, f'check "{cname}": custom results and the 3 drift results',
             f'{norm}, {n_drift} drift')
    conn.execute("SELECT driftmon.drop_check('adv hostile checks', %s)", (cname,))

# ---------------------------------------------------------------------------
# 5. Append-only against a driftmon_admin member that is not the owner.
# ---------------------------------------------------------------------------
conn.execute("DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'dm_adv_admin') THEN "
             "CREATE ROLE dm_adv_admin NOLOGIN IN ROLE driftmon_admin; END IF; END$$")
conn.execute(f"GRANT USAGE ON SCHEMA {qi(SCHEMA)} TO dm_adv_admin")
conn.execute(f"GRANT SELECT ON {TH} TO dm_adv_admin")
adm = dmtest.connect(autocommit=False)
adm.execute("SET ROLE dm_adv_admin")
adm.execute("SET TimeZone = 'UTC'")
adm.execute("""SELECT driftmon.create_monitor(name => 'adv audit', source => %s::regclass, time_column => 'ts',
               features => ARRAY['a', 'b', 'c'], window_size => interval '6 hours')""", (TH,))
for h in (12, 18, 24, 30, 36, 42):
    adm.execute("SELECT driftmon.run_monitor('adv audit', timestamptz '2026-01-01' + %s * interval '1 hour')", (h,))
adm.commit()
MID = adm.execute("SELECT monitor_id FROM driftmon.monitors WHERE name = 'adv audit' AND dropped_at IS NULL").fetchone()[0]
adm.commit()


def counts():
    return conn.execute("""SELECT (SELECT count(*) FROM driftmon.runs WHERE monitor_id = %s),
                                  (SELECT count(*) FROM driftmon.results x JOIN driftmon.runs r USING (run_id) WHERE r.monitor_id = %s),
                                  (SELECT count(*) FROM driftmon.purge_log WHERE monitor_id = %s)""",
                        (MID, MID, MID)).fetchone()


before = counts()
t.ok(before[0] == 6 and before[1] > 0, 'audit monitor has 6 runs with results', str(before))


def attempt(name, statements):
    """Run statements as the admin role in one transaction; the history
    must be unchanged afterwards, whatever happened."""
    err = None
    try:
        for s in statements:
            adm.execute(s)
        adm.commit()
    except psycopg.Error as e:
        err = e
        adm.rollback()
    adm.execute("SET ROLE dm_adv_admin")
    adm.commit()
    after = counts()
    t.ok(after == before, f'{name}: history unchanged', f'before {before}, after {after}, error {err}')
    return err


e = attempt('purge flag set by hand (on)', [
    "SET LOCAL driftmon_audit.purge = 'on'",
    "DELETE FROM driftmon.results WHERE status = 'ok'"])
t.ok(e is not None and e.sqlstate == '55000', 'purge flag set by hand: refused with 55000', str(e))
last = conn.execute("SELECT coalesce(max(purge_id), 0) FROM driftmon.purge_log").fetchone()[0]
e = attempt('purge flag set to an old purge id', [
    f"SET LOCAL driftmon_audit.purge = '{last}'",
    "DELETE FROM driftmon.results WHERE status = 'ok'"])
t.ok(e is not None and e.sqlstate == '55000', 'old purge id: refused with 55000', str(e))
ids = conn.execute("SELECT min(run_id), max(run_id) FROM driftmon.runs WHERE monitor_id = %s", (MID,)).fetchone()
e = attempt('hand-written purge_log row, selective DELETE', [
    f"""INSERT INTO driftmon.purge_log (monitor_id, monitor_name, older_than, runs_removed, results_removed,
        first_run_id, last_run_id) VALUES ({MID}, 'adv audit', 'infinity', 0, 0, {ids[0]}, {ids[1]})""",
    "SELECT set_config('driftmon_audit.purge', currval('driftmon.purge_log_purge_id_seq')::text, true)",
    f"DELETE FROM driftmon.results x USING driftmon.runs r WHERE x.run_id = r.run_id AND r.monitor_id = {MID} AND x.metric = 'psi'"])
t.ok(e is not None, 'hand-written purge_log row with a selective DELETE fails at commit', str(e))
e = attempt('UPDATE under the flag', [
    "SET LOCAL driftmon_audit.purge = 'on'", "UPDATE driftmon.results SET status = 'ok'"])
t.ok(e is not None, 'UPDATE stays refused under the flag', str(e))

# the documented way: purge_history, logged with exact counts (counted here
# from the tables before the purge)
cut = dt.datetime(2026, 1, 2, tzinfo=UTC)
want = conn.execute("""SELECT count(*), min(run_id), max(run_id),
                       (SELECT count(*) FROM driftmon.results x WHERE x.run_id IN
                          (SELECT run_id FROM driftmon.runs WHERE monitor_id = %s AND window_end < %s)),
                       (SELECT count(*) FROM driftmon.run_profiles x WHERE x.run_id IN
                          (SELECT run_id FROM driftmon.runs WHERE monitor_id = %s AND window_end < %s))
                       FROM driftmon.runs WHERE monitor_id = %s AND window_end < %s""",
                    (MID, cut, MID, cut, MID, cut)).fetchone()
n = adm.execute("SELECT driftmon.purge_history('adv audit', %s)", (cut,)).fetchone()[0]
adm.commit()
log = conn.execute("""SELECT runs_removed, first_run_id, last_run_id, results_removed, profiles_removed, purged_by
                      FROM driftmon.purge_log WHERE monitor_id = %s ORDER BY purge_id DESC LIMIT 1""", (MID,)).fetchone()
ENDS = [dt.datetime(2026, 1, 1, tzinfo=UTC) + dt.timedelta(hours=h) for h in (12, 18, 24, 30, 36, 42)]
N_DOOMED = sum(1 for e in ENDS if e < cut)     # window_end < older_than: 2
t.ok(n == want[0] == N_DOOMED, 'purge_history as admin removes the runs whose window ended before the cut',
     f'returned {n}, counted {want[0]}, want {N_DOOMED}')
t.ok(log[:5] == tuple(want) and log[5] == 'dm_adv_admin', 'purge_log records exactly what was removed, and by whom',
     f'log {log}, want {want}')
t.ok(counts()[0] == len(ENDS) - N_DOOMED, 'runs after the cut are kept')
left = conn.execute("SELECT count(*) FROM driftmon.runs WHERE monitor_id = %s AND window_end < %s", (MID, cut)).fetchone()[0]
t.ok(left == 0, 'no run before the cut is left')
adm.close()

# ---------------------------------------------------------------------------
# 6. NOTIFY payload: valid JSON naming exactly the features in alert, with
#    hostile monitor and feature names; the configuration snapshot of runs
#    follows alter_monitor, earlier runs keep theirs.
# ---------------------------------------------------------------------------
import json  # noqa: E402

NT = f"{qi(SCHEMA)}.{qi('notify')}"
F_DRIFT = 'dr\\ift "q" \'s\' \n ü'  # backslashes, quotes, a newline, unicode
F_SAME = 'same\tvalue'
conn.execute(f"CREATE TABLE {NT} (ts timestamptz, {qi(F_DRIFT)} float8, {qi(F_SAME)} float8)")
conn.execute(f"""INSERT INTO {NT} SELECT timestamptz '2026-01-01' + i * interval '30 minutes',
                 CASE WHEN i >= 48 THEN 1000 + i % 5 ELSE i % 5 END, i % 4 FROM generate_series(0, 95) i""")
MN = 'adv "notify" \\ \'$$%s\' ☃'
conn.execute("""SELECT driftmon.create_monitor(name => %s, source => %s::regclass, time_column => 'ts',
                features => ARRAY[%s, %s])""", (MN, NT, F_DRIFT, F_SAME))
got_notes = []
conn.add_notify_handler(lambda n: got_notes.append(n))
conn.execute("LISTEN driftmon_alert")
rid = conn.execute("SELECT driftmon.run_monitor(%s, '2026-01-03')", (MN,)).fetchone()[0]
conn.execute("SELECT 1")
conn.execute("UNLISTEN driftmon_alert")
mine = []
for n in got_notes:
    try:
        d = json.loads(n.payload)
    except ValueError as e:
        t.ok(False, 'NOTIFY payload is valid JSON', f'{e}: {n.payload!r}')
        continue
    if d.get('run_id') == rid:
        mine.append(d)
t.ok(len(mine) == 1, 'one NOTIFY driftmon_alert for the alerting run', f'{len(mine)} of {len(got_notes)}')
if mine:
    d = mine[0]
    # disjoint supports for F_DRIFT (KS p tiny, PSI huge); F_SAME unchanged
    t.ok(d['monitor'] == MN, 'payload monitor name round-trips exactly', repr(d['monitor']))
    t.ok(d['features'] == [F_DRIFT], 'payload features = exactly the feature in alert', repr(d['features']))
    want_alerts = conn.execute("SELECT count(*) FROM driftmon.results WHERE run_id = %s AND status = 'alert'",
                               (rid,)).fetchone()[0]
    t.ok(d['n_alerts'] == want_alerts == 3, 'payload n_alerts = alert results (ks, psi, wasserstein_normed)',
         f"{d['n_alerts']} vs {want_alerts}")
cfg1 = conn.execute("SELECT config FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()[0]
conn.execute("""SELECT driftmon.alter_monitor(%s, thresholds => '{"psi": {"alert": 5000}}', bonferroni => true)""", (MN,))
rid2 = conn.execute("SELECT driftmon.run_monitor(%s, '2026-01-03')", (MN,)).fetchone()[0]
cfg2, cfg1b = conn.execute("SELECT (SELECT config FROM driftmon.runs WHERE run_id = %s), "
                           "(SELECT config FROM driftmon.runs WHERE run_id = %s)", (rid2, rid)).fetchone()
t.ok(cfg2['thresholds'] == {'psi': {'alert': 5000}} and cfg2['bonferroni'] is True,
     'config snapshot of a run after alter_monitor has the new thresholds', json.dumps(cfg2.get('thresholds')))
t.ok(cfg1b == cfg1 and cfg1['thresholds'] == {} and cfg1['bonferroni'] is False,
     'the earlier run keeps the configuration it ran with')
psi2 = conn.execute("SELECT threshold_alert, status FROM driftmon.results WHERE run_id = %s AND metric = 'psi' "
                    "AND feature = %s AND segment IS NULL", (rid2, F_DRIFT)).fetchone()
t.ok(psi2 is not None and psi2[0] == 5000.0, 'results of the new run carry the new threshold', repr(psi2))
ks2 = conn.execute("SELECT threshold_alert FROM driftmon.results WHERE run_id = %s AND metric = 'ks' AND feature = %s",
                   (rid2, F_SAME)).fetchone()[0]
t.ok(ks2 == 0.05 / 2, 'Bonferroni after alter: ks alert level 0.05 / 2 features', repr(ks2))

# ---------------------------------------------------------------------------
# 7. Baseline monitor (issue 8) while the profiles are exact (<= 1024 values
#    per side, <= 1000 categories): every segment of the current window
#    against the whole baseline, equal to scipy on the raw rows.
# ---------------------------------------------------------------------------
BREF = f"{qi(SCHEMA)}.{qi('base ref')}"
BCUR = f"{qi(SCHEMA)}.{qi('base cur')}"
conn.execute(f"CREATE TABLE {BREF} ({qi(NUM1)} float8, {qi(CAT)} text)")
conn.execute(f"CREATE TABLE {BCUR} (ts timestamptz, {qi(NUM1)} float8, {qi(CAT)} text, {qi(SEG)} text)")
bref = [(float(np.round(rng.normal(0, 1), 2)), CATS[int(rng.integers(0, 5))] if i % 9 else None) for i in range(700)]
bcur = []
for i in range(600):
    ts = dt.datetime(2026, 2, 1, tzinfo=UTC) + dt.timedelta(minutes=2 * i)
    seg = [None, '', "q'\"", 'ü'][i % 4]
    bcur.append((ts, float(np.round(rng.normal(0.2 * (i % 4), 1), 2)) if i % 10 else None,
                 CATS[int(rng.integers(0, 4))], seg))
dmtest.copy_rows(conn, BREF, [qi(NUM1), qi(CAT)], bref)
dmtest.copy_rows(conn, BCUR, ['ts', qi(NUM1), qi(CAT), qi(SEG)], bcur)
conn.execute("SELECT driftmon.save_baseline('adv base', %s, replace => true)",
             (f"SELECT {qi(NUM1)}, {qi(CAT)} FROM {BREF}",))
conn.execute("""SELECT driftmon.create_monitor(name => 'adv baseline', source => %s::regclass, time_column => 'ts',
                features => ARRAY[%s, %s], segment => %s, reference_baseline => 'adv base')""",
             (BCUR, NUM1, CAT, SEG))
rid = conn.execute("SELECT driftmon.run_monitor('adv baseline', '2026-02-02')").fetchone()[0]
run = conn.execute("SELECT status, error, n_reference, n_current FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()
t.ok(run[:1] == ('succeeded',), 'baseline run succeeded', str(run))
t.ok((run[2], run[3]) == (len(bref), len(bcur)), 'baseline run: n_reference = baseline rows, n_current = window rows',
     f'{run[2:]} vs {(len(bref), len(bcur))}')
got = {(s_, f, m): (v, p_, st) for s_, f, m, v, p_, st in conn.execute(
    "SELECT segment, feature, metric, value, p_value, status FROM driftmon.results WHERE run_id = %s", (rid,)).fetchall()}
# the same comparisons recomputed from the stored run profiles
hist = {(s_, f, m): (v, p_, st) for _, s_, f, m, v, p_, st in conn.execute(
    "SELECT * FROM driftmon.profile_drift_history('adv baseline')").fetchall()}
t.ok(set(hist) == set(got), 'profile_drift_history: the same (segment, feature, metric) as the run',
     f'{sorted(set(hist) ^ set(got), key=str)[:4]}')
for key in sorted(set(hist) & set(got), key=str):
    t.ok(hist[key] == got[key], f'profile_drift_history seg={key[0]!r} {key[1]} {key[2]} equals the run result',
         f'{hist[key]} vs {got[key]}')
for s_ in [None, '', "q'\"", 'ü']:
    rows = [r for r in bcur if s_ is None or r[3] == s_]
    exp = {}
    exp.update({(s_, NUM1, m): vp for m, vp in num_metrics([r[0] for r in bref], [r[1] for r in rows]).items()})
    exp.update({(s_, CAT, m): vp for m, vp in cat_metrics([r[1] for r in bref], [r[2] for r in rows]).items()})
    for key, (v, p_) in sorted(exp.items(), key=str):
        if key not in got:
            t.ok(False, f'baseline seg={s_!r} {key[1]} {key[2]} present', 'missing')
            continue
        gv, gp, gst = got[key]
        nm = f'baseline seg={s_!r} {key[1]} {key[2]}'
        close(gv, v, 1e-9, nm + ' value', 'baseline_' + key[2])
        if key[2] in ('ks', 'chi2'):
            close(gp, p_, 1e-9, nm + ' p-value', 'baseline_' + key[2] + '_p')
        want_st = status(p_ if key[2] in ('ks', 'chi2') else v, key[2])
        t.ok(gst == want_st, nm + ' status', f'got {gst}, want {want_st}')
t.ok(not any(k[0] is not None and k[0] not in ('', "q'\"", 'ü') for k in got), 'baseline: NULL segment only overall')

# ---------------------------------------------------------------------------
# 8. Quality metrics of the current window, per hostile segment, against
#    scikit-learn (boolean label and prediction, a score; a numeric label).
# ---------------------------------------------------------------------------
from sklearn import metrics as skm  # noqa: E402

QT = f"{qi(SCHEMA)}.{qi('quality log')}"
LBL, PRD, SCO, YT, YP = 'is "fraud"', 'pred%s', 'score $$', 'y true', 'y pred'
conn.execute(f"""CREATE TABLE {QT} (ts timestamptz, f float8, {qi(LBL)} boolean, {qi(PRD)} boolean,
                 {qi(SCO)} float8, {qi(YT)} float8, {qi(YP)} float8, {qi(SEG)} text)""")
qrows = []
for i in range(1200):
    ts = dt.datetime(2026, 4, 1, tzinfo=UTC) + dt.timedelta(minutes=2 * i)
    lab = bool(rng.random() < 0.3)
    sc = float(np.round(rng.random() * 0.6 + (0.35 if lab else 0.0), 2))       # ties on purpose
    pr = sc > 0.5
    yt = float(rng.normal(10, 3))
    yp = yt + float(rng.normal(0, 1))
    seg = [None, '', "q'\"", 'ü'][i % 4]
    if i % 23 == 0:
        lab = None                    # rows without a label are skipped
    qrows.append((ts, float(i % 7), lab, pr, sc, yt, yp, seg))
dmtest.copy_rows(conn, QT, ['ts', 'f', qi(LBL), qi(PRD), qi(SCO), qi(YT), qi(YP), qi(SEG)], qrows)
conn.execute("""SELECT driftmon.create_monitor(name => 'adv quality', source => %s::regclass, time_column => 'ts',
                features => ARRAY['f'], prediction => %s, label => %s, score => %s, segment => %s)""",
             (QT, PRD, LBL, SCO, SEG))
conn.execute("""SELECT driftmon.create_monitor(name => 'adv regression', source => %s::regclass, time_column => 'ts',
                features => ARRAY['f'], prediction => %s, label => %s, segment => %s)""",
             (QT, YP, YT, SEG))
for mname in ('adv quality', 'adv regression'):
    # current window: Apr 2 (Apr 1 is the previous-window reference)
    rid = conn.execute("SELECT driftmon.run_monitor(%s, '2026-04-03')", (mname,)).fetchone()[0]
    st = conn.execute("SELECT status, error FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()
    t.ok(st[0] == 'succeeded', f'{mname}: run succeeded', str(st))
    got = {(s_, f, m): v for s_, f, m, v in conn.execute(
        "SELECT segment, feature, metric, value FROM driftmon.results WHERE run_id = %s AND kind = 'quality'",
        (rid,)).fetchall()}
    cur_rows = [r for r in qrows if dt.datetime(2026, 4, 2, tzinfo=UTC) <= r[0] < dt.datetime(2026, 4, 3, tzinfo=UTC)]
    for s_ in [None, '', "q'\"", 'ü']:
        rr = [r for r in cur_rows if s_ is None or r[7] == s_]
        if mname == 'adv quality':
            rr = [r for r in rr if r[2] is not None]
            y, yhat, sc = [r[2] for r in rr], [r[3] for r in rr], [r[4] for r in rr]
            want = {
                (PRD, 'accuracy'): skm.accuracy_score(y, yhat),
                (PRD, 'balanced_accuracy'): skm.balanced_accuracy_score(y, yhat),
                (PRD, 'precision_macro'): skm.precision_score(y, yhat, average='macro', zero_division=0),
                (PRD, 'recall_macro'): skm.recall_score(y, yhat, average='macro', zero_division=0),
                (PRD, 'f1_macro'): skm.f1_score(y, yhat, average='macro', zero_division=0),
                (PRD, 'f1_weighted'): skm.f1_score(y, yhat, average='weighted', zero_division=0),
                (PRD, 'matthews_corrcoef'): skm.matthews_corrcoef(y, yhat),
                (PRD, 'cohen_kappa'): skm.cohen_kappa_score(y, yhat),
                (PRD, 'precision'): skm.precision_score(y, yhat, zero_division=0),
                (PRD, 'recall'): skm.recall_score(y, yhat, zero_division=0),
                (PRD, 'f1'): skm.f1_score(y, yhat, zero_division=0),
                (SCO, 'roc_auc'): skm.roc_auc_score(y, sc),
                (SCO, 'average_precision'): skm.average_precision_score(y, sc),
            }
        else:
            y, yhat = np.array([r[5] for r in rr]), np.array([r[6] for r in rr])
            want = {
                (YP, 'mae'): skm.mean_absolute_error(y, yhat),
                (YP, 'rmse'): math.sqrt(skm.mean_squared_error(y, yhat)),
                (YP, 'mape'): skm.mean_absolute_percentage_error(y, yhat),
                (YP, 'r2'): skm.r2_score(y, yhat),
                (YP, 'max_error'): skm.max_error(y, yhat),
            }
        for (f, m), v in want.items():
            key = (s_, f, m)
            if key not in got:
                t.ok(False, f'{mname} seg={s_!r} {m} present', 'missing')
                continue
            t.close(got[key], float(v), 1e-9, f'{mname} seg={s_!r} {m}', metric='quality_' + m)

sys.exit(t.done())
