"""Monitors on the live cluster, several sessions: concurrent runs (advisory
lock: skip or wait), a failed run, NOTIFY driftmon_alert, the reader and
admin roles (run_monitor reads the source with the caller's privileges),
quoted identifiers end to end.
"""
import json
import os
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
import psycopg  # noqa: E402

DB = 'driftmon_monitor_sessions'
t = dmtest.Tap('monitor_sessions')


def setup():
    admin = psycopg.connect(dbname='postgres', autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS {DB}')
    admin.execute(f'CREATE DATABASE {DB}')
    admin.close()
    conn = dmtest.connect(DB)
    conn.execute("SET TIME ZONE 'UTC'")
    # Reference: 2026-01-01 .. 2026-01-08; 2026-01-10 drifts hard (x + 100,
    # a new category), 2026-01-09 looks like the reference.
    conn.execute("""
        CREATE TABLE public.log (ts timestamptz, x float8, c text, pred boolean,
                                 label boolean, score float8, seg text);
        INSERT INTO public.log
        SELECT timestamptz '2026-01-01 00:00+00' + i * interval '10 minutes',
               (i % 144) + CASE WHEN i >= 9 * 144 THEN 100 ELSE 0 END,
               CASE WHEN i >= 9 * 144 THEN 'new' WHEN i % 3 = 0 THEN 'a' ELSE 'b' END,
               i % 2 = 0, i % 4 < 2, (i % 10) / 10.0,
               CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'us' END
        FROM generate_series(0, 10 * 144 - 1) AS i;
        SELECT driftmon.create_monitor(name => 'm', source => 'public.log',
            time_column => 'ts', features => ARRAY['x', 'c'],
            reference => tstzrange('2026-01-01', '2026-01-08'),
            prediction => 'pred', label => 'label', score => 'score');
    """)
    return conn


def run_status(conn, rid):
    return conn.execute('SELECT status, error, error_sqlstate FROM driftmon.runs WHERE run_id = %s',
                        (rid,)).fetchone()


def test_concurrency(conn):
    s1 = dmtest.connect(DB, autocommit=False)
    s2 = dmtest.connect(DB)
    s1.execute("SELECT driftmon.run_monitor('m', '2026-01-09')")   # holds the lock until commit
    running = s2.execute("SELECT bool_or(running) FROM driftmon.monitor_status WHERE monitor = 'm'").fetchone()[0]
    t.ok(running is True, 'monitor_status.running is true while another session runs it', running)
    notices = []
    s2.add_notice_handler(lambda d: notices.append(d.message_primary))
    rid = s2.execute("SELECT driftmon.run_monitor('m', '2026-01-09')").fetchone()[0]
    st = run_status(s2, rid)
    t.ok(st == ('skipped', 'another run of this monitor is in progress', '55P03'),
         'second concurrent run is recorded as skipped', st)
    t.ok(any('already running' in n for n in notices), 'skipped run raises a NOTICE', notices)
    t.ok(s2.execute('SELECT count(*) FROM driftmon.results WHERE run_id = %s', (rid,)).fetchone()[0] == 0,
         'skipped run wrote no results')

    # wait => true blocks until the first session commits, then runs.
    box = {}

    def waiter():
        s3 = dmtest.connect(DB)
        box['rid'] = s3.execute("SELECT driftmon.run_monitor('m', '2026-01-09', wait => true)").fetchone()[0]
        box['at'] = time.monotonic()
        s3.close()
    th = threading.Thread(target=waiter)
    th.start()
    time.sleep(1.0)
    t.ok(th.is_alive() and 'rid' not in box, 'run with wait => true blocks while the lock is held')
    committed = time.monotonic()
    s1.commit()
    th.join(30)
    t.ok(not th.is_alive() and box.get('at', 0) >= committed, 'waiting run proceeds after the commit')
    first = s2.execute("SELECT min(run_id) FROM driftmon.runs WHERE status <> 'skipped'").fetchone()[0]
    t.ok(box.get('rid') is not None and box['rid'] != first and run_status(s2, box['rid'])[0] != 'skipped',
         'waiting run is a separate, non-skipped run', (first, box))
    running = s2.execute("SELECT bool_or(running) FROM driftmon.monitor_status WHERE monitor = 'm'").fetchone()[0]
    t.ok(running is False, 'monitor_status.running is false afterwards', running)
    s1.close()
    s2.close()


def test_alert_notify(conn):
    lis = dmtest.connect(DB)
    got = []
    lis.add_notify_handler(got.append)
    lis.execute('LISTEN driftmon_alert')
    rid = conn.execute("SELECT driftmon.run_monitor('m', '2026-01-11')").fetchone()[0]
    for _ in range(50):          # notifications arrive with the next round trip
        lis.execute('SELECT 1')
        if got:
            break
        time.sleep(0.1)
    t.ok(len(got) == 1 and got[0].channel == 'driftmon_alert', 'NOTIFY driftmon_alert on a drifted window', got)
    if got:
        p = json.loads(got[0].payload)
        t.ok(p.get('monitor') == 'm' and p.get('run_id') == rid and set(p.get('features', [])) >= {'x', 'c'},
             'NOTIFY payload names the features in alert', p)
    else:
        t.ok(False, 'NOTIFY payload names the features in alert')
    del got[:]
    conn.execute("SELECT driftmon.run_monitor('m', '2026-01-09')")
    for _ in range(10):
        lis.execute('SELECT 1')
        time.sleep(0.1)
    quiet = list(got)
    statuses = conn.execute("""SELECT array_agg(DISTINCT x.status) FROM driftmon.results x
        WHERE x.run_id = (SELECT max(run_id) FROM driftmon.runs) AND x.kind = 'drift'""").fetchone()[0]
    t.ok(quiet == [] and 'alert' not in statuses, 'quiet window sends no NOTIFY', (quiet, statuses))
    lis.close()


def test_failed_run(conn):
    conn.execute('CREATE TABLE public.fragile AS SELECT * FROM public.log')
    conn.execute("""SELECT driftmon.create_monitor(name => 'fragile', source => 'public.fragile',
        time_column => 'ts', features => ARRAY['x', 'c'], reference => tstzrange('2026-01-01', '2026-01-08'))""")
    conn.execute('ALTER TABLE public.fragile DROP COLUMN c')
    warnings = []
    conn.add_notice_handler(lambda d: warnings.append((d.severity_nonlocalized, d.message_primary)))
    rid = conn.execute("SELECT driftmon.run_monitor('fragile', '2026-01-10')").fetchone()[0]
    st = run_status(conn, rid)
    t.ok(st == ('failed', 'column "c" does not exist', '42703'), 'run over a dropped column is recorded as failed', st)
    t.ok(('WARNING', 'run of monitor \'fragile\' failed: column "c" does not exist') in warnings,
         'failed run raises a WARNING', warnings)
    t.ok(conn.execute('SELECT count(*) FROM driftmon.results WHERE run_id = %s', (rid,)).fetchone()[0] == 0,
         'failed run left no partial results')
    # a failure after some results were computed (custom check raising) leaves none either
    conn.execute("SELECT driftmon.add_check('m', 'boom', $$SELECT 'k' AS metric, 1 / (count(*) - count(*)) AS value FROM public.log$$)")
    rid = conn.execute("SELECT driftmon.run_monitor('m', '2026-01-09')").fetchone()[0]
    st = run_status(conn, rid)
    n = conn.execute('SELECT count(*) FROM driftmon.results WHERE run_id = %s', (rid,)).fetchone()[0]
    t.ok(st[0] == 'failed' and st[1] == 'division by zero' and n == 0,
         'a check failing after the drift metrics were computed leaves no partial results', (st, n))
    conn.execute("SELECT driftmon.drop_check('m', 'boom')")


def test_roles(conn):
    for stmt in ("DROP ROLE IF EXISTS dm_test_reader", "DROP ROLE IF EXISTS dm_test_admin",
                 "CREATE ROLE dm_test_reader LOGIN IN ROLE driftmon_reader",
                 "CREATE ROLE dm_test_admin LOGIN IN ROLE driftmon_admin"):
        try:
            conn.execute(stmt)
        except psycopg.errors.DependentObjectsStillReferenced:
            conn.execute(f"DROP OWNED BY {stmt.split()[-1]}")
            conn.execute(stmt)
    reader = psycopg.connect(dbname=DB, user='dm_test_reader', autocommit=True)
    n = reader.execute('SELECT count(*) FROM driftmon.drift_history').fetchone()[0]
    t.ok(n >= 0, 'reader reads drift_history')
    n = reader.execute("SELECT count(*) FROM driftmon.monitor_status WHERE monitor = 'm'").fetchone()[0]
    t.ok(n >= 1, 'reader reads monitor_status', n)
    reader.execute('SELECT count(*) FROM driftmon.results').fetchone()
    t.ok(True, 'reader reads results')
    for what, sql in (('the source table', 'SELECT count(*) FROM public.log'),
                      ('the monitors table', 'SELECT count(*) FROM driftmon.monitors'),
                      ('the runs table', 'SELECT count(*) FROM driftmon.runs')):
        try:
            reader.execute(sql)
            t.ok(False, f'reader cannot read {what}')
        except psycopg.errors.InsufficientPrivilege:
            t.ok(True, f'reader cannot read {what}')
    try:
        reader.execute("SELECT driftmon.run_monitor('m', '2026-01-09')")
        t.ok(False, 'reader cannot run a monitor')
    except psycopg.errors.InsufficientPrivilege:
        t.ok(True, 'reader cannot run a monitor')
    reader.close()

    # An admin without SELECT on the source: run_monitor uses the caller's
    # privileges, so the run is recorded as failed (permission denied).
    adm = psycopg.connect(dbname=DB, user='dm_test_admin', autocommit=True)
    adm.add_notice_handler(lambda d: None)
    rid = adm.execute("SELECT driftmon.run_monitor('m', '2026-01-09')").fetchone()[0]
    st = run_status(conn, rid)
    t.ok(st[0] == 'failed' and st[2] == '42501' and 'permission denied for table log' in st[1],
         'admin without SELECT on the source gets a failed run (no privilege escalation)', st)
    by = conn.execute('SELECT run_by FROM driftmon.runs WHERE run_id = %s', (rid,)).fetchone()[0]
    t.ok(by == 'dm_test_admin', 'runs.run_by records the role that ran it', by)
    conn.execute('GRANT SELECT ON public.log TO dm_test_admin')
    rid = adm.execute("SELECT driftmon.run_monitor('m', '2026-01-09')").fetchone()[0]
    st = run_status(conn, rid)
    t.ok(st[0] == 'succeeded', 'admin with SELECT on the source runs the monitor', st)
    mid = adm.execute("""SELECT driftmon.create_monitor(name => 'by admin', source => 'public.log',
        time_column => 'ts', features => ARRAY['x'])""").fetchone()[0]
    t.ok(mid is not None, 'admin creates a monitor')
    adm.execute("SELECT driftmon.drop_monitor('by admin')")
    try:
        adm.execute("DELETE FROM driftmon.runs")
        t.ok(False, 'admin cannot delete history directly')
    except psycopg.errors.ObjectNotInPrerequisiteState:
        t.ok(True, 'admin cannot delete history directly')
    n = adm.execute("SELECT driftmon.purge_history('m', '2026-01-01')").fetchone()[0]
    t.ok(n == 0, 'admin can call purge_history', n)
    adm.close()
    conn.execute('REVOKE SELECT ON public.log FROM dm_test_admin')


def test_quoted(conn):
    conn.execute('''
        CREATE SCHEMA "Odd ""Schema""";
        CREATE TABLE "Odd ""Schema"""."Log; DROP TABLE public.log; --" (
            "When?" timestamptz, "Mixed Case" float8, "it's" text, "Seg Ment" text);
        INSERT INTO "Odd ""Schema"""."Log; DROP TABLE public.log; --"
        SELECT ts, x, c, seg FROM public.log;
    ''')
    conn.execute('''SELECT driftmon.create_monitor(name => $$O'Brien "monitor"$$,
        source => '"Odd ""Schema"""."Log; DROP TABLE public.log; --"', time_column => 'When?',
        features => ARRAY['Mixed Case', $$it's$$], segment => 'Seg Ment',
        reference => tstzrange('2026-01-01', '2026-01-08'))''')
    rid = conn.execute('''SELECT driftmon.run_monitor($$O'Brien "monitor"$$, '2026-01-11')''').fetchone()[0]
    st = run_status(conn, rid)
    t.ok(conn.execute("SELECT to_regclass('public.log') IS NOT NULL").fetchone()[0], 'names did not inject SQL')
    t.ok(st[0] == 'succeeded', 'monitor over quoted identifiers succeeds', st)
    rows = conn.execute('''SELECT DISTINCT segment, feature FROM driftmon.results WHERE run_id = %s
        ORDER BY 1 NULLS FIRST, 2''', (rid,)).fetchall()
    want = [(s, f) for s in (None, 'eu', 'us') for f in sorted(['Mixed Case', "it's"])]
    t.ok(rows == want, 'results per segment carry the exact feature names', rows)


conn = setup()
t.run(test_concurrency, conn)
t.run(test_alert_notify, conn)
t.run(test_failed_run, conn)
t.run(test_roles, conn)
t.run(test_quoted, conn)
conn.close()
t.done()
