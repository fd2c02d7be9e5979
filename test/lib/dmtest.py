"""dmtest: helpers shared by the oracle and integration suites.

Each test file prints TAP ("ok N - name" / "not ok N - name") for test/run.sh
to count, connects to the throwaway cluster through PGHOST/PGPORT/PGUSER (set
by the harness), and reports the worst relative error it saw against its
reference.  Run with /usr/bin/python3 (Debian's scipy 1.10, sklearn 1.2).
"""
import math
import os
import sys
import threading
import time
import traceback

import psycopg


def connect(dbname=None, autocommit=True):
    """A psycopg connection to the test cluster (database from PGDATABASE
    or the one pg_regress uses, contrib_regression, created if missing)."""
    dbname = dbname or os.environ.get("DM_DB", "driftmon_oracle")
    admin = psycopg.connect(dbname="postgres", autocommit=True)
    if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                         (dbname,)).fetchone():
        admin.execute(f'CREATE DATABASE "{dbname}"')
    admin.close()
    conn = psycopg.connect(dbname=dbname, autocommit=autocommit)
    conn.execute("CREATE EXTENSION IF NOT EXISTS driftmon")
    return conn


def run_in_thread(conn, sql):
    """Start conn.execute(sql) in a thread (to cancel it from another
    session).  Returns (thread, box); once the thread ends, box["err"] is the
    psycopg.Error raised (None on success) and box["end"] its
    time.monotonic()."""
    box = {}

    def run():
        try:
            conn.execute(sql)
            box["err"] = None
        except psycopg.Error as e:
            box["err"] = e
        box["end"] = time.monotonic()

    th = threading.Thread(target=run)
    th.start()
    return th, box


def rel_err(got, want):
    """Relative error with an absolute floor of 1e-300, NaN-aware; inf when
    one side is NaN/None and the other is not."""
    if got is None or want is None:
        return 0.0 if got is None and want is None else math.inf
    if math.isnan(want) or math.isnan(got):
        return 0.0 if math.isnan(want) and math.isnan(got) else math.inf
    if math.isinf(want) or math.isinf(got):
        return 0.0 if got == want else math.inf
    if got == want:
        return 0.0
    return abs(got - want) / max(abs(want), 1e-300)


class Tap:
    """Counts TAP results and tracks the worst relative error per metric."""

    def __init__(self, suite):
        self.suite = suite
        self.n = 0
        self.failed = 0
        self.worst = {}

    def ok(self, cond, name, detail=None):
        self.n += 1
        if not cond:
            self.failed += 1
        print(f"{'ok' if cond else 'not ok'} {self.n} - {self.suite}: {name}")
        if not cond and detail is not None:
            for line in str(detail).splitlines():
                print(f"#   {line}")
        sys.stdout.flush()
        return cond

    def note_err(self, metric, err, case=None):
        """Remember the worst relative error seen for a metric."""
        if err > self.worst.get(metric, (-1.0, None))[0]:
            self.worst[metric] = (err, case)

    def close(self, got, want, rtol, name, atol=0.0, metric=None):
        """Assert got ~ want (rtol/atol) and record the error under metric."""
        err = rel_err(got, want)
        if metric:
            self.note_err(metric, err if math.isfinite(err) else math.inf, name)
        good = (err <= rtol or
                (got is not None and want is not None and
                 math.isfinite(got) and math.isfinite(want) and
                 abs(got - want) <= atol))
        return self.ok(good, name, f"got {got!r} want {want!r} rel_err {err:.3g}")

    def run(self, fn, *args):
        """Run a test function; an exception counts as one failure."""
        try:
            fn(*args)
        except Exception:  # noqa: BLE001 - any error is a test failure
            self.ok(False, f"{fn.__name__} raised", traceback.format_exc())

    def done(self):
        for metric, (err, case) in sorted(self.worst.items()):
            print(f"# worst relative error {metric}: {err:.3g} ({case})")
        print(f"1..{self.n}")
        sys.exit(1 if self.failed else 0)


def copy_rows(conn, table, cols, rows):
    """COPY rows (tuples; None = NULL) into table's columns cols."""
    with conn.cursor() as cur:
        with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
