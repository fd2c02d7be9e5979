#!/usr/bin/python3
"""Monitors, fourth adversarial round: cases the earlier rounds missed.

  - A monitor without features (quality metrics and/or custom checks only)
    compares nothing with the reference, so an empty reference (its first
    window, with the previous window as reference, or an empty reference
    range) must not skip the run: accuracy / mae checked against exact
    Python arithmetic on the rows of the window.  A monitor with features
    still skips on an empty reference.
  - Classification monitors whose label and prediction columns have
    different types (numeric label 1.0 with an integer prediction 1, an
    integer label with a boolean prediction, real with numeric, double with
    integer) compare the classes as values: accuracy and f1_macro against
    scikit-learn on the values compared as numbers in Python (they were
    compared as text: '1.0' <> '1', '1' <> 'true', so accuracy 0).
  - Every error a user can hit carries an SQLSTATE, a DETAIL and a HINT:
    each RAISE EXCEPTION of src/sql/50_monitor.sql names all three (41 of
    them lacked one or both), and a set of calls that hit them raise the
    SQLSTATE PostgreSQL's errcode table gives for the condition, with a
    non-empty DETAIL and HINT.
  - Thresholds that are JSON numbers outside the float8 range (1e400,
    -1e-400) are refused naming the metric (SQLSTATE 22003, DETAIL, HINT)
    instead of a bare float8 overflow error; subnormal ones are accepted,
    and judged exactly: a value of 1.5e-320 against warn 1e-320 is warn.
  - A custom check returning a NULL metric fails the run with its own
    error (22004, naming the check), not a bare NOT NULL violation.
  - Direction "abs" with a negative level (|x| >= -0.1 holds for every x:
    a monitor stuck in warn or alert) is refused (22023); 0 is accepted.
  - Two sessions creating (or renaming to) the same monitor name at once:
    the second waits on the live-name unique index and then gets "monitor
    already exists" (42710, DETAIL, HINT), not a bare unique violation.
"""
import datetime as dt
import os
import re
import sys
import time
from decimal import Decimal
from fractions import Fraction

from sklearn.metrics import accuracy_score, f1_score

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
import psycopg  # noqa: E402

conn = dmtest.connect()
t = dmtest.Tap('monitor_review4')
UTC = dt.timezone.utc
D0 = dt.datetime(2026, 5, 1, tzinfo=UTC)

for r in conn.execute("SELECT name FROM driftmon.monitors WHERE name LIKE 'r4\\_%%' AND dropped_at IS NULL").fetchall():
    conn.execute("SELECT driftmon.drop_monitor(%s, keep_history => false)", (r[0],))


def run_row(rid):
    return conn.execute("SELECT status, error, n_reference, n_current FROM driftmon.runs WHERE run_id = %s",
                        (rid,)).fetchone()


def result(rid, feature, metric):
    r = conn.execute("SELECT value, status FROM driftmon.results WHERE run_id = %s AND segment IS NULL "
                     "AND feature = %s AND metric = %s", (rid, feature, metric)).fetchone()
    return r


# --- 1. quality-only monitors and an empty reference --------------------------
conn.execute("DROP TABLE IF EXISTS r4_q")
conn.execute("CREATE TABLE r4_q (ts timestamptz, x float8, label int, pred int, y float8, yhat float8)")
rows = []
for i in range(240):
    ts = D0 + dt.timedelta(minutes=6 * i)           # day 1 only (240 * 6 min = 24 h)
    label = (i * 7) % 3
    pred = label if i % 5 else (label + 1) % 3      # every fifth prediction wrong
    y = float(i % 11)
    yhat = y + (0.5 if i % 4 == 0 else -0.25)
    rows.append((ts, float(i % 13), label if i % 17 else None, pred, y, yhat))
dmtest.copy_rows(conn, 'r4_q', ['ts', 'x', 'label', 'pred', 'y', 'yhat'], rows)
lab = [(r[2], r[3]) for r in rows if r[2] is not None]
acc = Fraction(sum(1 for a, b in lab if a == b), len(lab))
mae = Fraction(sum(abs(Fraction(r[5]) - Fraction(r[4])) for r in rows), len(rows))
W_END = D0 + dt.timedelta(days=1)

conn.execute("SELECT driftmon.create_monitor(name => 'r4_cls', source => 'r4_q', time_column => 'ts', "
             "prediction => 'pred', label => 'label')")
rid = conn.execute("SELECT driftmon.run_monitor('r4_cls', %s)", (W_END,)).fetchone()[0]
st = run_row(rid)
t.ok(st[0] == 'succeeded', 'quality-only monitor, previous window empty: run succeeds', st)
t.ok(st[2] == 0 and st[3] == 240, 'quality-only monitor: n_reference 0, n_current 240', st)
r = result(rid, 'pred', 'accuracy')
t.ok(r is not None, 'quality-only monitor: accuracy stored', r)
if r is not None:
    t.close(r[0], float(acc), 1e-15, 'quality-only monitor: accuracy equals the exact fraction',
            metric='accuracy')

conn.execute("SELECT driftmon.create_monitor(name => 'r4_reg', source => 'r4_q', time_column => 'ts', "
             "prediction => 'yhat', label => 'y', reference => tstzrange('2020-01-01', '2020-01-02'))")
rid = conn.execute("SELECT driftmon.run_monitor('r4_reg', %s)", (W_END,)).fetchone()[0]
st = run_row(rid)
t.ok(st[0] == 'succeeded', 'regression-only monitor, empty reference range: run succeeds', st)
r = result(rid, 'yhat', 'mae')
t.ok(r is not None, 'regression-only monitor: mae stored', r)
if r is not None:
    t.close(r[0], float(mae), 1e-14, 'regression-only monitor: mae equals the exact mean', metric='mae')

# a custom check on a quality monitor runs too
conn.execute("SELECT driftmon.add_check('r4_cls', 'r4_rows', "
             "'SELECT ''n''::text AS metric, count(*)::float8 AS value FROM public.r4_q "
             "WHERE ts >= $1 AND ts < $2')")
rid = conn.execute("SELECT driftmon.run_monitor('r4_cls', %s)", (W_END,)).fetchone()[0]
r = result(rid, 'r4_rows', 'n')
t.ok(r is not None and r[0] == 240, 'quality-only monitor with a check: the check result is stored', r)

# features make the reference necessary: still skipped
conn.execute("SELECT driftmon.create_monitor(name => 'r4_feat', source => 'r4_q', time_column => 'ts', "
             "features => ARRAY['x'], prediction => 'pred', label => 'label')")
rid = conn.execute("SELECT driftmon.run_monitor('r4_feat', %s)", (W_END,)).fetchone()[0]
st = run_row(rid)
t.ok(st[0] == 'skipped' and st[1] == 'the reference has no rows',
     'monitor with features, empty reference: skipped', st)
# an empty current window is skipped whatever the monitor
rid = conn.execute("SELECT driftmon.run_monitor('r4_cls', %s)", (W_END + dt.timedelta(days=5),)).fetchone()[0]
st = run_row(rid)
t.ok(st[0] == 'skipped' and st[1] == 'the current window has no rows',
     'quality-only monitor, empty current window: skipped', st)

# --- 2. classification with label and prediction of different types ----------
conn.execute("DROP TABLE IF EXISTS r4_mix")
conn.execute("CREATE TABLE r4_mix (ts timestamptz, lnum numeric(4,1), pint int, lint int, pbool boolean, "
             "lreal real, pnum numeric, ldbl float8, pbig bigint, lbool boolean)")
mix = []
for i in range(300):
    ts = D0 + dt.timedelta(minutes=4 * i)
    c = (i * 5) % 3                           # class 0, 1, 2
    p = c if i % 6 else (c + 2) % 3           # every sixth prediction wrong
    b = (i % 4 == 0)
    pb = b if i % 7 else (not b)
    half = [Decimal('0.5'), Decimal('1.5'), Decimal('2.5')]
    mix.append((ts, Decimal(c), p, int(b), pb, float(half[c]), half[p] if i % 5 else half[(p + 1) % 3],
                float(c), p, b))
dmtest.copy_rows(conn, 'r4_mix', ['ts', 'lnum', 'pint', 'lint', 'pbool', 'lreal', 'pnum', 'ldbl', 'pbig',
                                  'lbool'], mix)
cases = [
    ('r4_num_int', 'lnum', 'pint', 1, 2, lambda v: Fraction(v)),
    ('r4_int_bool', 'lint', 'pbool', 3, 4, lambda v: int(v)),
    ('r4_bool_int', 'lbool', 'lint', 9, 3, lambda v: int(v)),
    ('r4_real_num', 'lreal', 'pnum', 5, 6, lambda v: Fraction(v)),
    ('r4_dbl_big', 'ldbl', 'pbig', 7, 8, lambda v: Fraction(v)),
]
for name, lcol, pcol, li, pi, norm in cases:
    conn.execute("SELECT driftmon.create_monitor(name => %s, source => 'r4_mix', time_column => 'ts', "
                 "prediction => %s, label => %s, task => 'classification')", (name, pcol, lcol))
    rid = conn.execute("SELECT driftmon.run_monitor(%s, %s)", (name, D0 + dt.timedelta(days=1))).fetchone()[0]
    st = run_row(rid)
    t.ok(st[0] == 'succeeded' and st[3] == 300, f'{name}: run succeeds over 300 rows', st)
    y = [str(norm(r[li])) for r in mix]
    yp = [str(norm(r[pi])) for r in mix]
    for metric, want in (('accuracy', accuracy_score(y, yp)),
                         ('f1_macro', f1_score(y, yp, average='macro'))):
        r = result(rid, pcol, metric)
        t.ok(r is not None, f'{name}: {metric} stored', r)
        if r is not None:
            t.close(r[0], want, 1e-12, f'{name} ({lcol} vs {pcol}): {metric} equals scikit-learn on the values',
                    metric=metric)

# --- 3. every error: SQLSTATE, DETAIL and HINT ----------------------------------
src = open(os.path.join(os.path.dirname(__file__), '..', '..', 'src', 'sql', '50_monitor.sql')).read()
for mt in re.finditer(r"RAISE EXCEPTION\s+'((?:[^']|'')*)'.*?;\s*$", src, re.S | re.M):
    stmt = mt.group(0)
    line = src.count('\n', 0, mt.start()) + 1
    miss = [k for k in ('ERRCODE', 'DETAIL', 'HINT') if re.search(r'\b%s\s*=' % k, stmt) is None]
    t.ok(not miss, f"50_monitor.sql:{line} RAISE '{mt.group(1)[:50]}' has ERRCODE, DETAIL and HINT", miss)

calls = [
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "features => ARRAY['x'], window_size => interval '0')", '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "features => ARRAY['x', 'x'])", '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "features => ARRAY['x', NULL])", '22004'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "features => ARRAY['x'], feature_options => '{\"y\": {}}')", '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "features => ARRAY['x'], feature_options => '{\"x\": []}')", '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "prediction => 'pred', label => 'label', task => 'clustering')", '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "features => ARRAY['x'], task => 'regression')", '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', label => 'label')",
     '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts')", '22023'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'driftmon.runs_run_id_seq', time_column => 'ts')",
     '42809'),
    ("SELECT driftmon.create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', "
     "prediction => 'x', label => 'label', task => 'regression', score => 'ts')", '42804'),
    ("SELECT driftmon.run_monitor('r4_no such monitor')", '42704'),
    ("SELECT driftmon.alter_monitor('r4_cls', new_name => 'r4_reg')", '42710'),
    ("SELECT driftmon.alter_monitor('r4_cls', reset => ARRAY['features'])", '22023'),
    ("SELECT driftmon.drop_check('r4_cls', 'r4_none')", '42704'),
    ("SELECT driftmon.add_check('r4_cls', '', 'SELECT 1')", '22023'),
    ("SELECT driftmon.add_check('r4_cls', 'r4_empty', '  ;')", '22023'),
    ("SELECT driftmon.add_check('r4_cls', 'r4_rows', 'SELECT ''a''::text AS metric, 1::float8 AS value')",
     '42710'),
    ("SELECT driftmon.backfill_monitor('r4_cls', '2026-05-01', '2026-05-01 12:00')", '22023'),
    ("SELECT driftmon.purge_history('r4_cls', NULL)", '22004'),
    ("SELECT driftmon.purge_history('r4_no such monitor', now())", '42704'),
    ("SELECT * FROM driftmon.profile_drift_history('r4_cls')", '22023'),
    ("SELECT * FROM driftmon.profile_drift_history('r4_cls', baseline => 'r4_no such baseline')", '42704'),
]
for sql, want in calls:
    label = re.sub(r"^SELECT (\* FROM )?driftmon\.", '', sql).replace(
        "create_monitor(name => 'r4_e', source => 'r4_q', time_column => 'ts', ", 'create_monitor(..., ')
    try:
        conn.execute(sql)
        t.ok(False, f'{label}: raises {want}', 'no error')
        continue
    except psycopg.Error as e:
        d = e.diag
        t.ok(d.sqlstate == want and bool(d.message_detail) and bool(d.message_hint),
             f'{label}: raises {want} with DETAIL and HINT',
             (d.sqlstate, d.message_primary, d.message_detail, d.message_hint))

# --- 4. thresholds beyond float8, NULL metrics of checks -------------------------
for where, th in (('thresholds', '{"psi": {"alert": 1e400}}'),
                  ('thresholds', '{"ks": {"alert": -1e-400}}'),
                  ('feature', '{"x": {"thresholds": {"psi": {"warn": 1e-400}}}}'),
                  ('feature', '{"x": {"thresholds": {"psi": {"warn": -2e308}}}}')):
    arg = 'thresholds' if where == 'thresholds' else 'feature_options'
    try:
        conn.execute(f"SELECT driftmon.create_monitor(name => 'r4_th', source => 'r4_q', time_column => 'ts', "
                     f"features => ARRAY['x'], {arg} => %s)", (th,))
        t.ok(False, f'{arg} {th}: refused', 'accepted')
    except psycopg.Error as e:
        d = e.diag
        metric = re.search(r'"(psi|ks)"', th).group(1)
        t.ok(d.sqlstate == '22003' and f'metric "{metric}"' in d.message_primary
             and bool(d.message_detail) and bool(d.message_hint),
             f'{arg} {th}: refused with 22003 naming metric {metric}, with DETAIL and HINT',
             (d.sqlstate, d.message_primary, d.message_detail, d.message_hint))
for th, ok in (('{"mean_error": {"warn": -0.1, "alert": 0.2}}', False),
               ('{"r4_m": {"direction": "abs", "alert": -1}}', False),
               ('{"r4_m": {"direction": "abs", "warn": -0.0}}', True),
               ('{"mean_error": {"warn": 0, "alert": 0.2}}', True)):
    try:
        conn.execute("SELECT driftmon.create_monitor(name => 'r4_abs', source => 'r4_q', time_column => 'ts', "
                     "prediction => 'yhat', label => 'y', thresholds => %s)", (th,))
        conn.execute("SELECT driftmon.drop_monitor('r4_abs', keep_history => false)")
        t.ok(ok, f'abs thresholds {th}: accepted', 'accepted')
    except psycopg.Error as e:
        d = e.diag
        t.ok(not ok and d.sqlstate == '22023' and 'negative' in (d.message_detail or '')
             and bool(d.message_hint), f'abs thresholds {th}: refused (negative level), 22023',
             (d.sqlstate, d.message_primary, d.message_detail))
# a subnormal threshold is a float8 value: accepted, and compared exactly
conn.execute("DROP TABLE IF EXISTS r4_tiny")
conn.execute("CREATE TABLE r4_tiny (ts timestamptz, v float8)")
conn.execute("INSERT INTO r4_tiny VALUES (%s, 1)", (D0 + dt.timedelta(hours=1),))
conn.execute("SELECT driftmon.create_monitor(name => 'r4_tiny', source => 'r4_tiny', time_column => 'ts', "
             "label => 'v', prediction => 'v', "
             "thresholds => '{\"r4_c\": {\"warn\": 1e-320, \"alert\": 1e-318}}')")
conn.execute("SELECT driftmon.add_check('r4_tiny', 'r4_chk', "
             "'SELECT m::text AS metric, v::float8 AS value FROM (VALUES (''r4_c'', 1.5e-320::float8), "
             "(''r4_below'', 0::float8)) AS x(m, v)')")
rid = conn.execute("SELECT driftmon.run_monitor('r4_tiny', %s)", (W_END,)).fetchone()[0]
r = result(rid, 'r4_chk', 'r4_c')
t.ok(r is not None and r[0] == 1.5e-320 and r[1] == 'warn',
     'subnormal thresholds: 1.5e-320 against warn 1e-320 / alert 1e-318 is warn', r)
# a NULL metric from a check
conn.execute("SELECT driftmon.add_check('r4_tiny', 'r4_nullm', 'SELECT NULL::text AS metric, 1::float8 AS value')")
rid = conn.execute("SELECT driftmon.run_monitor('r4_tiny', %s)", (W_END,)).fetchone()[0]
r = conn.execute("SELECT status, error, error_sqlstate FROM driftmon.runs WHERE run_id = %s", (rid,)).fetchone()
t.ok(r[0] == 'failed' and r[2] == '22004' and "'r4_nullm'" in r[1] and 'NULL metric' in r[1],
     'check returning a NULL metric: failed run, 22004, naming the check', r)
n = conn.execute("SELECT count(*) FROM driftmon.results WHERE run_id = %s", (rid,)).fetchone()[0]
t.ok(n == 0, 'check returning a NULL metric: no results stored', n)

# --- 5. concurrent create / rename to one name --------------------------------------
CREATE_RACE = ("SELECT driftmon.create_monitor(name => 'r4_race', source => 'r4_q', time_column => 'ts', "
               "features => ARRAY['x'])")
for what, second in (('create', CREATE_RACE),
                     ('rename', "SELECT driftmon.alter_monitor('r4_reg', new_name => 'r4_race')")):
    a = dmtest.connect(autocommit=False)
    b = dmtest.connect()
    a.execute(CREATE_RACE)                      # not committed yet
    th, box = dmtest.run_in_thread(b, second)
    time.sleep(0.5)
    waiting = th.is_alive()
    a.commit()
    th.join(30)
    e = box.get('err')
    t.ok(waiting and e is not None and e.diag.sqlstate == '42710' and 'already exists' in e.diag.message_primary
         and bool(e.diag.message_detail) and bool(e.diag.message_hint),
         f'concurrent {what} to one name: the second waits, then 42710 "already exists" with DETAIL and HINT',
         (waiting, e and (e.diag.sqlstate, e.diag.message_primary, e.diag.message_detail)))
    a.close()
    b.close()
    conn.execute("SELECT driftmon.drop_monitor('r4_race', keep_history => false)")
n = conn.execute("SELECT count(*) FROM driftmon.monitors WHERE name = 'r4_reg' AND dropped_at IS NULL").fetchone()[0]
t.ok(n == 1, 'the refused rename left the monitor under its name', n)

for r in conn.execute("SELECT name FROM driftmon.monitors WHERE name LIKE 'r4\\_%%' AND dropped_at IS NULL").fetchall():
    conn.execute("SELECT driftmon.drop_monitor(%s, keep_history => false)", (r[0],))
conn.execute("DROP TABLE IF EXISTS r4_q, r4_mix, r4_tiny")
t.done()
