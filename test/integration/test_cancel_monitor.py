"""Cancellation of a large run_monitor on the live cluster.

A monitor with five features (three numeric, two categorical) over a 4M-row
table (about 2 s per run with parallel query off on the test machine, 4 s
before runs read both windows in one scan) is cancelled, at times relative
to T, the duration of one complete run measured first in a transaction that
is rolled back:
1. by statement_timeout = T / 2, and
2. by pg_cancel_backend() from another session T / 2 into the run, and
3. while it waits (wait => true) for the advisory lock held by another run
   (its statement_timeout: T / 4, at most 1 s).
Each time: the error is query_canceled (57014) within 1 s of the deadline or
the request, the backend answers again, the monitor's advisory lock is gone,
and NOTHING is recorded (a cancel rolls back the whole statement: no runs row,
no results row; run_monitor's failure handler does not catch 57014).
Finally a run of the same window succeeds with one result per feature and
metric (5 x 3 = 15).  Timing assertions are skipped under DM_UNDER_TOOL.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

import psycopg  # noqa: E402
from psycopg import errors  # noqa: E402

ROWS = 4_000_000
SLACK = 1.0          # seconds allowed after the deadline / the cancel request
UNDER_TOOL = bool(os.environ.get("DM_UNDER_TOOL"))
MONITOR = "cancel big"
WINDOW_END = "2026-01-03 00:00:00+00"
RUN_SQL = f"SELECT driftmon.run_monitor('{MONITOR}', timestamptz '{WINDOW_END}')"
# Advisory lock key of run_monitor: (0x64726d6e, monitor id).
LOCK_KEY = 1685220718

t = dmtest.Tap("cancel_monitor")
setup = dmtest.connect()     # creates the database and the extension
db = os.environ.get("DM_DB", "driftmon_oracle")


def session():
    c = psycopg.connect(dbname=db, autocommit=True)
    c.add_notice_handler(lambda d: None)
    c.execute("SET max_parallel_workers_per_gather = 0")
    return c


def prepare():
    """4M rows over 1.85 days (one every 40 ms): the reference is the first
    day (2.16M rows), the window the second (1.84M rows)."""
    setup.execute(f"SELECT driftmon.drop_monitor('{MONITOR}', keep_history => false, if_exists => true)")
    setup.execute("DROP TABLE IF EXISTS public.cancel_log")
    setup.execute("""CREATE UNLOGGED TABLE public.cancel_log (
        ts timestamptz NOT NULL, x1 float8, x2 float8, x3 float8, c1 text, c2 text)""")
    setup.execute(f"""INSERT INTO public.cancel_log
        SELECT timestamptz '2026-01-01 00:00:00+00' + g * interval '40 ms',
               random(), g % 1000, random() * random(), (g % 37)::text,
               CASE WHEN g % 3 = 0 THEN 'a' ELSE 'b' END
        FROM generate_series(0, {ROWS - 1}) g""")
    setup.execute("ANALYZE public.cancel_log")
    mid = setup.execute(f"""SELECT driftmon.create_monitor(name => '{MONITOR}',
        source => 'public.cancel_log', time_column => 'ts',
        features => ARRAY['x1', 'x2', 'x3', 'c1', 'c2'], window_size => interval '1 day',
        reference => tstzrange('2026-01-01 00:00:00+00', '2026-01-02 00:00:00+00'))""").fetchone()[0]
    return mid


def history(mid):
    """(runs, results) recorded for the monitor."""
    return setup.execute("""SELECT (SELECT count(*) FROM driftmon.runs WHERE monitor_id = %s),
                                   (SELECT count(*) FROM driftmon.results s JOIN driftmon.runs r USING (run_id)
                                    WHERE r.monitor_id = %s)""", (mid, mid)).fetchone()


def lock_held(mid):
    return setup.execute("""SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
        AND classid = %s::oid AND objid = %s::oid AND granted""",
                         (LOCK_KEY, mid % 2147483647)).fetchone()[0] > 0


def after_cancel(name, conn, mid):
    """What a cancelled run must leave behind: nothing, and a usable session."""
    t.ok(conn.execute("SELECT 1").fetchone()[0] == 1, f"{name}: session still usable")
    t.ok(not lock_held(mid), f"{name}: the monitor's advisory lock is released")
    h = history(mid)
    t.ok(h == (0, 0), f"{name}: no run and no result recorded", f"runs, results = {h}")


def expect_timeout(conn, sql, secs, name, what):
    """Run sql under statement_timeout = secs: 57014 within SLACK s of it."""
    conn.execute(f"SET statement_timeout = '{secs}s'")
    start = time.monotonic()
    err = None
    try:
        conn.execute(sql)
    except psycopg.Error as e:
        err = e
    elapsed = time.monotonic() - start
    conn.execute("RESET statement_timeout")
    t.ok(isinstance(err, errors.QueryCanceled), f"{name}: {what} raises 57014",
         f"got {type(err).__name__}: {err}")
    t.ok(UNDER_TOOL or secs <= elapsed <= secs + SLACK,
         f"{name}: {what} stops within {SLACK} s of its {secs} s deadline ({elapsed:.2f} s)",
         f"elapsed {elapsed:.3f} s")


def measure(mid):
    """T: the duration of one complete run, rolled back (nothing recorded)."""
    conn = session()
    conn.execute("BEGIN")
    start = time.monotonic()
    conn.execute(RUN_SQL)
    elapsed = time.monotonic() - start
    conn.execute("ROLLBACK")
    conn.close()
    t.ok(history(mid) == (0, 0), f"a complete run takes {elapsed:.2f} s; rolled back, it leaves nothing")
    return elapsed


def by_timeout(mid):
    name = "statement_timeout"
    conn = session()
    expect_timeout(conn, RUN_SQL, round(max(0.3, T / 2), 2), name, "run_monitor")
    after_cancel(name, conn, mid)
    conn.close()


def by_cancel(mid):
    name = "pg_cancel_backend"
    conn = session()
    other = session()
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    th, box = dmtest.run_in_thread(conn, RUN_SQL)
    time.sleep(max(0.3, T / 2))
    active = other.execute("SELECT state = 'active' AND query LIKE '%%run_monitor%%' FROM pg_stat_activity WHERE pid = %s",
                           (pid,)).fetchone()
    sent = time.monotonic()
    delivered = other.execute("SELECT pg_cancel_backend(%s)", (pid,)).fetchone()[0]
    th.join(60)
    t.ok(active == (True,) and delivered and not th.is_alive(),
         f"{name}: delivered to a run in progress", f"active={active} delivered={delivered}")
    if th.is_alive():
        return
    err = box.get("err")
    elapsed = box["end"] - sent
    t.ok(isinstance(err, errors.QueryCanceled), f"{name}: run_monitor raises 57014",
         f"got {type(err).__name__}: {err}")
    t.ok(UNDER_TOOL or elapsed <= SLACK,
         f"{name}: run_monitor stops within {SLACK} s of the request ({elapsed:.2f} s)",
         f"elapsed {elapsed:.3f} s")
    after_cancel(name, conn, mid)
    conn.close()
    other.close()


def while_waiting(mid):
    """A run waiting (wait => true) for the lock of a run in progress is
    cancelled by its statement_timeout; the other run is not disturbed and is
    the only one recorded."""
    name = "waiting for the lock"
    holder = session()
    waiter = session()
    th, box = dmtest.run_in_thread(holder, RUN_SQL)
    deadline = time.monotonic() + 10
    while not lock_held(mid) and time.monotonic() < deadline:
        time.sleep(0.05)
    t.ok(lock_held(mid), f"{name}: the first run holds the monitor's lock")
    expect_timeout(waiter, f"SELECT driftmon.run_monitor('{MONITOR}', timestamptz '{WINDOW_END}', wait => true)",
                   round(max(0.2, min(1.0, T / 4)), 2), name, "the waiting run")
    t.ok(waiter.execute("SELECT 1").fetchone()[0] == 1, f"{name}: waiting session still usable")
    th.join(120)
    t.ok(not th.is_alive() and box.get("err") is None, f"{name}: the first run completes",
         f"{type(box.get('err')).__name__}: {box.get('err')}")
    rows = setup.execute("SELECT status, count(*) FROM driftmon.runs WHERE monitor_id = %s GROUP BY 1",
                         (mid,)).fetchall()
    t.ok(rows == [("succeeded", 1)], f"{name}: only the first run is recorded, as succeeded", rows)
    holder.close()
    waiter.close()


def then_succeeds(mid):
    """After the cancellations a run of the same window succeeds and writes
    every result: 3 numeric features x (ks, psi, wasserstein_normed) + 2
    categorical x (chi2, js_divergence, psi) = 15 rows."""
    conn = session()
    rid = conn.execute(RUN_SQL).fetchone()[0]
    row = conn.execute("""SELECT status, error, n_reference, n_current,
                                 (SELECT count(*) FROM driftmon.results s WHERE s.run_id = r.run_id),
                                 (SELECT count(DISTINCT (feature, metric)) FROM driftmon.results s WHERE s.run_id = r.run_id)
                          FROM driftmon.runs r WHERE run_id = %s""", (rid,)).fetchone()
    # 86400 s / 40 ms = 2160000 rows per day; the window holds the rest.
    want = ("succeeded", None, 2_160_000, ROWS - 2_160_000, 15, 15)
    t.ok(row == want, "after the cancellations run_monitor succeeds with 15 results", f"got {row} want {want}")
    conn.close()


mid = prepare()
T = measure(mid)
t.run(by_timeout, mid)
t.run(by_cancel, mid)
t.run(while_waiting, mid)
t.run(then_succeeds, mid)
setup.execute(f"SELECT driftmon.drop_monitor('{MONITOR}', keep_history => false, if_exists => true)")
setup.execute("DROP TABLE IF EXISTS public.cancel_log")
setup.close()
t.done()
