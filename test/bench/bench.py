#!/usr/bin/python3
"""bench.py: driftmon against the floors and the user's way, in one run.

Connects through libpq's environment (PGHOST/PGPORT/PGUSER, set by
test/bench/run.sh or by the test harness), generates the benchmark table in
SQL (data.sql), then runs every case that exists: each on its own connection
(so the backend's peak RSS, VmHWM in /proc/<pid>/status, is that case's), one
warm-up then K timed runs in interleaved rounds, median wall-clock time
measured by the client.  Prints a markdown table, the machine line, the
targets of the feature issues (met / not met / not measured yet) and whether
driftmon and the user's way return the same numbers.  Exits 1 if a case
failed.  Run with /usr/bin/python3.
"""
import argparse
import csv
import datetime
import math
import os
import platform
import re
import statistics
import subprocess
import sys
import time

import psycopg

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from cases import AGREEMENT, BY_NAME, CASES, TARGETS  # noqa: E402


def git_rev():
    """The checkout's commit when the bench starts (the build is made from it
    just before; a commit made during a long run must not be reported), with
    '+dirty' when tracked files differ from it."""
    try:
        rev = subprocess.run(["git", "-C", HERE, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, timeout=5).stdout.strip() or "?"
        dirty = subprocess.run(["git", "-C", HERE, "diff", "--quiet", "HEAD"],
                               capture_output=True, timeout=5).returncode == 1
        return rev + ("+dirty" if dirty else "")
    except OSError:
        return "?"


BUILD_REV = git_rev()

SCALING_SIZES = [1_000_000, 4_000_000, 16_000_000]
GROUPS = {"floor", "driftmon", "sql", "plpy", "special"}
MONITOR = "bench_ten_features"
NUMERIC_FEATURES = ["value", "f1", "f2", "f3", "f4", "f5", "f6"]
CATEGORICAL_FEATURES = ["category", "c1", "c2"]


def log(msg):
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


def parse_args(argv):
    ap = argparse.ArgumentParser(
        prog="make bench BENCH_ARGS=...",
        description="driftmon benchmark: floors, driftmon aggregates and the "
                    "user's way (plain SQL, PL/Python + scipy/sklearn).")
    ap.add_argument("--rows", type=int, default=10_000_000,
                    help="rows in the table, half reference, half current (default 10000000)")
    ap.add_argument("--runs", type=int, default=3,
                    help="timed runs per case after one warm-up; the median is reported (default 3)")
    ap.add_argument("--scaling", action="store_true",
                    help="also run every case at 1M, 4M and 16M rows")
    ap.add_argument("--scaling-sizes", default=",".join(str(n) for n in SCALING_SIZES),
                    help="the sizes --scaling adds (default 1000000,4000000,16000000)")
    ap.add_argument("--cases", default="",
                    help="comma-separated case names or groups (floor, driftmon, sql, plpy, special); "
                         "default all.  The floors always run (ratios need them)")
    ap.add_argument("--workers", default="0,2",
                    help="max_parallel_workers_per_gather values to run each SQL case with (default 0,2); "
                         "PL/Python cases run serially only (array_agg has no parallel mode in PG 15)")
    ap.add_argument("--output", help="also write the markdown report to this file")
    ap.add_argument("--db", default="driftmon_bench", help="database (created, dropped first)")
    ap.add_argument("--keep-db", action="store_true", help="do not drop the database at the end")
    ap.add_argument("--work-mem", default="256MB",
                    help="work_mem for every case (the SQL baselines sort and hash; default 256MB)")
    ap.add_argument("--jit", action="store_true", help="leave JIT on (default off: compile time is noise)")
    ap.add_argument("--slow-cap", type=float, default=120.0,
                    help="a case whose warm-up takes longer than this many seconds gets one timed run")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    args = ap.parse_args(argv)
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db):
        ap.error("--db takes a plain lower-case identifier")
    if args.rows < 100 or args.runs < 1:
        ap.error("--rows must be >= 100 and --runs >= 1")
    try:
        args.workers = sorted({int(w) for w in args.workers.split(",") if w.strip()})
    except ValueError:
        ap.error("--workers takes a comma-separated list of integers")
    try:
        args.scaling_sizes = [int(x) for x in args.scaling_sizes.split(",") if x.strip()]
    except ValueError:
        ap.error("--scaling-sizes takes a comma-separated list of row counts")
    wanted = {c.strip() for c in args.cases.split(",") if c.strip()}
    unknown = wanted - GROUPS - set(BY_NAME)
    if unknown:
        ap.error(f"unknown case(s): {', '.join(sorted(unknown))}; see --list")
    args.selected = [c for c in CASES if c["kind"] == "floor" or not wanted
                     or c["name"] in wanted or c["kind"] in wanted]
    return args


# ---------------------------------------------------------------- database

def connect(db, args, workers=0):
    """A fresh autocommit connection with the bench's session settings."""
    conn = psycopg.connect(dbname=db, autocommit=True)
    conn.execute(f"SET max_parallel_workers_per_gather = {int(workers)}")
    conn.execute("SELECT set_config('work_mem', %s, false)", (args.work_mem,))
    conn.execute(f"SET jit = {'on' if args.jit else 'off'}")
    conn.execute("SET client_min_messages = warning")
    return conn


def peak_rss_mb(conn):
    """Peak resident set size (VmHWM) of this connection's backend and an
    estimate of its peak private memory (VmHWM minus the shared memory it has
    mapped, RssShmem, which only grows: a lower bound that removes the noise
    of shared buffers touched by the scan), both in MB; (None, None) when
    /proc of the server is not readable from here."""
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    kb = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, rest = line.partition(":")
                if key in ("VmHWM", "RssShmem"):
                    kb[key] = int(rest.split()[0])
    except (OSError, ValueError):
        return None, None
    if "VmHWM" not in kb:
        return None, None
    return kb["VmHWM"] / 1024.0, (kb["VmHWM"] - kb.get("RssShmem", 0)) / 1024.0


def setup_db(args):
    admin = psycopg.connect(dbname="postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{args.db}"')
    admin.close()
    conn = psycopg.connect(dbname=args.db, autocommit=True)
    conn.execute("SET client_min_messages = warning")
    conn.execute("CREATE EXTENSION IF NOT EXISTS driftmon")
    with open(os.path.join(HERE, "plpython.sql")) as f:
        conn.execute(f.read())
    return conn


def drop_db(args):
    admin = psycopg.connect(dbname="postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')
    admin.close()


def make_table(conn, n):
    t = f"bench_{n}"
    with open(os.path.join(HERE, "data.sql")) as f:
        sql = f.read().format(t=t, n=int(n), seed=0.42)
    t0 = time.perf_counter()
    for stmt in split_sql(sql):
        conn.execute(stmt)
    # Let the fresh table's writes settle before timing anything: flush
    # shared buffers and the OS cache, then read the table once (warm cache).
    try:
        conn.execute("CHECKPOINT")  # superuser or pg_checkpoint only
    except psycopg.Error:
        pass
    if n >= 1_000_000:
        os.sync()  # machine-wide: only worth it for a big table
    conn.execute(f"SELECT count(*) FROM {t}")
    size = conn.execute("SELECT pg_size_pretty(pg_total_relation_size(%s::regclass))", (t,)).fetchone()[0]
    log(f"table {t}: {n} rows, {size}, generated in {time.perf_counter() - t0:.1f} s")
    return t


def split_sql(sql):
    """Statements of a plain SQL file without dollar quotes (data.sql)."""
    body = "\n".join(l for l in sql.splitlines() if not l.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def exists(conn, sig):
    """Does a function with this signature (or, without parentheses, this
    name) exist?  Checked in pg_proc so each case runs only once it lands."""
    if sig.endswith(",...)"):
        # Leading argument types only (the function may have defaulted
        # trailing arguments, which to_regprocedure does not match).
        name, types = sig[:-5].split("(", 1)
        schema, proname = name.split(".")
        types = [x.strip() for x in types.split(",")]
        return conn.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = %s AND p.proname = %s AND p.pronargs >= %s AND"
            " (SELECT bool_and(p.proargtypes[i - 1] = to_regtype(t))"
            "  FROM unnest(%s::text[]) WITH ORDINALITY AS a(t, i)))",
            (schema, proname, len(types), types)).fetchone()[0]
    if "(" in sig:
        try:
            return conn.execute("SELECT to_regprocedure(%s) IS NOT NULL", (sig,)).fetchone()[0]
        except psycopg.Error:
            return False
    schema, name = sig.split(".")
    return conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = %s AND p.proname = %s)", (schema, name)).fetchone()[0]


# ---------------------------------------------------------------- special cases

def monitor_setup(conn, t):
    """Create a ten-feature monitor over table t: 7 numeric, 3 categorical,
    reference = the first day, current window = the second day.  The call is
    built from create_monitor's declared argument names (issue 6 shape)."""
    name = f"{MONITOR}_{t}"  # one monitor per table (--scaling)
    run = f"SELECT driftmon.run_monitor('{name}', timestamptz '2026-01-03 00:00:00+00')"
    if conn.execute("SELECT to_regclass('driftmon.monitors') IS NOT NULL").fetchone()[0] and \
            conn.execute("SELECT count(*) FROM driftmon.monitors WHERE name = %s", (name,)).fetchone()[0]:
        return run  # created by the run with another number of workers
    argnames = set()
    for (names,) in conn.execute(
            "SELECT proargnames FROM pg_proc WHERE proname = 'create_monitor'"
            " AND pronamespace = 'driftmon'::regnamespace"):
        argnames |= set(names or [])
    want = {
        "name": f"'{name}'",
        "source": f"'{t}'::regclass",
        "time_column": "'ts'",
        "features": "ARRAY[" + ", ".join(f"'{c}'" for c in NUMERIC_FEATURES + CATEGORICAL_FEATURES) + "]",
        "reference": "tstzrange('2026-01-01 00:00:00+00', '2026-01-02 00:00:00+00')",
        "window_size": "interval '1 day'",
    }
    missing = [k for k in ("name", "source", "features") if k not in argnames]
    if missing:
        raise RuntimeError(f"create_monitor has no argument(s) {missing}: {sorted(argnames)}")
    call = ", ".join(f"{k} => {v}" for k, v in want.items() if k in argnames)
    conn.execute(f"SELECT driftmon.create_monitor({call})")
    return run


def monitor_baseline_setup(conn, t):
    """The ten-feature monitor of monitor_setup with a stored baseline as
    reference: save_baseline profiles the reference half (the first day) once,
    in the setup; the timed run_monitor reads only the current day."""
    name = f"{MONITOR}_baseline_{t}"
    run = f"SELECT driftmon.run_monitor('{name}', timestamptz '2026-01-03 00:00:00+00')"
    if conn.execute("SELECT count(*) FROM driftmon.monitors WHERE name = %s AND dropped_at IS NULL",
                    (name,)).fetchone()[0]:
        return run  # created by the run with another number of workers
    cols = NUMERIC_FEATURES + CATEGORICAL_FEATURES
    # save_baseline runs its query with search_path = pg_catalog: qualify
    rel = conn.execute("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname) FROM pg_class c"
                       " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = %s::regclass",
                       (t,)).fetchone()[0]
    conn.execute("SELECT driftmon.save_baseline(%s, %s, replace => true)",
                 (name, f"SELECT {', '.join(cols)} FROM {rel}"
                        " WHERE ts >= '2026-01-01 00:00:00+00' AND ts < '2026-01-02 00:00:00+00'"))
    conn.execute("SELECT driftmon.create_monitor(name => %s, source => %s::regclass, time_column => 'ts',"
                 " features => %s, window_size => interval '1 day', reference_baseline => %s)",
                 (name, t, cols, name))
    return run


def profiles_setup(conn, t):
    """365 stored daily profiles (rows split by id % 365) and a baseline
    profile of the reference window; the timed query compares each day with
    the baseline (issue 8: under 100 ms in total)."""
    conn.execute("DROP TABLE IF EXISTS bench_daily_profiles, bench_baseline_profile")
    conn.execute(f"CREATE TABLE bench_daily_profiles AS SELECT id % 365 AS day,"
                 f" driftmon.profile_agg(value) AS p FROM {t} WHERE is_current GROUP BY 1")
    conn.execute(f"CREATE TABLE bench_baseline_profile AS SELECT driftmon.profile_agg(value) AS p"
                 f" FROM {t} WHERE NOT is_current")
    return ("SELECT d.day, driftmon.psi(b.p, d.p) FROM bench_daily_profiles d"
            " CROSS JOIN bench_baseline_profile b")


def check_run(conn, case, out):
    """run_monitor records a failed or skipped run instead of raising: time
    only runs that succeeded and computed every metric."""
    if case["name"] not in ("run_monitor_10", "run_monitor_10_baseline"):
        return
    run_id = out[0][0]
    row = conn.execute("SELECT status, error, n_reference, n_current FROM driftmon.runs"
                       " WHERE run_id = %s", (run_id,)).fetchone()
    if row is None or row[0] != "succeeded":
        raise RuntimeError(f"run_monitor run {run_id}: {row[0] if row else 'no run row'}: "
                           f"{row[1] if row else ''}")
    if not row[2] or not row[3]:
        raise RuntimeError(f"run_monitor run {run_id} saw n_reference={row[2]}, n_current={row[3]}")


SPECIAL_SETUP = {"run_monitor_10": monitor_setup, "run_monitor_10_baseline": monitor_baseline_setup,
                 "profiles_365": profiles_setup}


# ---------------------------------------------------------------- timing

def error_text(e):
    return str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__


def prepare_case(args, case, t, workers):
    """Open the case's own connection (so the backend's peak RSS is this
    case's), run its setup and the warm-up.  Returns (result dict, conn, sql);
    conn is None when the case failed."""
    res = dict(case=case["name"], kind=case["kind"], table=t, workers=workers,
               planned_workers=None, times=[], median=None, peak_mb=None, private_mb=None,
               error=None, note="", runs=args.runs)
    conn = None
    try:
        conn = connect(args.db, args, workers)
        if case["kind"] == "special":
            sql = SPECIAL_SETUP[case["name"]](conn, t)
            # The setup itself used memory; measure the runs on a new backend.
            conn.close()
            conn = connect(args.db, args, workers)
        else:
            sql = case["sql"].format(t=t)
        if case["kind"] in ("floor", "driftmon", "sql"):
            plan = "\n".join(r[0] for r in conn.execute("EXPLAIN (COSTS OFF) " + sql))
            res["planned_workers"] = workers if "Gather" in plan else 0
        else:
            res["planned_workers"] = workers if case["kind"] == "special" else 0
        t0 = time.perf_counter()
        out = conn.execute(sql).fetchall()
        warm = time.perf_counter() - t0
        check_run(conn, case, out)
        res["value"] = out[0] if out else None
        if warm > args.slow_cap and args.runs > 1:
            res["runs"] = 1
            res["note"] = f"1 run (warm-up {warm:.0f} s > --slow-cap)"
        return res, conn, sql
    except (psycopg.Error, RuntimeError) as e:
        res["error"] = error_text(e)
        if conn is not None:
            conn.close()
        return res, None, None


def run_once(res, c, sql, case):
    """One timed run of a prepared case; an error ends the case."""
    if res["error"] or len(res["times"]) >= res["runs"]:
        return
    try:
        t0 = time.perf_counter()
        out = c.execute(sql).fetchall()
        res["times"].append(time.perf_counter() - t0)
        check_run(c, case, out)
    except (psycopg.Error, RuntimeError) as e:
        res["error"] = error_text(e)


def finish_case(res, c):
    """Median, peak memory of the case's backend, then close it."""
    try:
        if not res["error"]:
            res["median"] = statistics.median(res["times"])
            res["peak_mb"], res["private_mb"] = peak_rss_mb(c)
            log(f"{res['case']} (workers {res['workers']}): median {res['median']:.3f} s "
                f"[{', '.join(f'{x:.3f}' for x in res['times'])}], peak {fmt_mb(res['peak_mb'])} MB")
        else:
            log(f"{res['case']} (workers {res['workers']}): ERROR {res['error']}")
    finally:
        c.close()


def run_size(args, conn, n):
    """Every selected case at n rows.  SQL cases: warm-ups first, then K
    rounds that run each case once in turn, so a burst of load from
    elsewhere on the machine hits all cases of a round alike instead of all
    runs of one case.  PL/Python cases run one after the other (warm-up, K
    runs, close): a backend keeps much of the Python heap it grew, and ten of
    them at 10M rows would hold gigabytes at once."""
    t = make_table(conn, n)
    results, live, serial = [], [], []
    for case in args.selected:
        absent = [r for r in case.get("requires", []) if not exists(conn, r)]
        if absent:
            log(f"{case['name']}: skipped, not installed: {', '.join(absent)}")
            results.append(dict(case=case["name"], kind=case["kind"], table=t, workers=None,
                                skipped=", ".join(absent)))
            continue
        if case["kind"] == "plpy":
            serial.append(case)
            continue
        for w in args.workers:
            res, c, sql = prepare_case(args, case, t, w)
            res["rows"] = n
            results.append(res)
            if c is None:
                log(f"{case['name']} (workers {w}): ERROR {res['error']}")
            else:
                live.append((res, c, sql, case))
    for k in range(args.runs):
        log(f"{n} rows: round {k + 1} of {args.runs}")
        for res, c, sql, case in live:
            run_once(res, c, sql, case)
    for res, c, sql, case in live:
        finish_case(res, c)
    for case in serial:
        res, c, sql = prepare_case(args, case, t, 0)
        res["rows"] = n
        results.append(res)
        if c is None:
            log(f"{case['name']} (workers 0): ERROR {res['error']}")
            continue
        for _ in range(args.runs):
            run_once(res, c, sql, case)
        finish_case(res, c)
    if not args.keep_db:
        conn.execute(f"DROP TABLE IF EXISTS {t}")
    return results


# ---------------------------------------------------------------- report

def fmt_mb(x):
    return "n/a" if x is None else f"{x:.0f}"


def fmt_ratio(x):
    if x is None:
        return ""
    return f"{x:.2f}" if x >= 0.1 else f"{x:.3f}"


def lookup(results, rows, name, workers=None):
    """Measured results of a case at a size (optionally one workers value)."""
    return [r for r in results if r.get("rows") == rows and r["case"] == name
            and r.get("median") is not None and (workers is None or r["workers"] == workers)]


def user_baseline(results, rows, case):
    """Fastest measured user's-way baseline of a case: (name, seconds)."""
    best = None
    for b in BY_NAME[case].get("baselines", []) if case in BY_NAME else []:
        for r in lookup(results, rows, b):
            if best is None or r["median"] < best[1]:
                best = (b, r["median"])
    return best


def table_md(results, sizes):
    lines = ["| case | rows | workers | median s | ratio to sum() | ratio to user's way | peak MB "
             "| bytes/row over sum() |",
             "|---|---:|---:|---:|---:|---|---:|---:|"]
    for n in sizes:
        for r in [r for r in results if r.get("rows") == n]:
            w = r["workers"]
            if r.get("error"):
                lines.append(f"| {r['case']} | {n} | {w} | error: {r['error'][:80]} | | | | |")
                continue
            floor = lookup(results, n, "sum_value", w) or lookup(results, n, "sum_value", 0)
            ratio = r["median"] / floor[0]["median"] if floor else None
            user = ""
            if r["kind"] in ("driftmon", "special"):
                ub = user_baseline(results, n, r["case"])
                if ub:
                    user = f"{fmt_ratio(r['median'] / ub[1])} (vs {ub[0]})"
            wcell = str(w) if r["planned_workers"] == w else f"{w} (serial plan)"
            med = f"{r['median']:.3f}" + (f" ({r['note']})" if r["note"] else "")
            bpr = ""
            if floor and r["private_mb"] is not None and floor[0]["private_mb"] is not None:
                bpr = f"{max(0.0, r['private_mb'] - floor[0]['private_mb']) * 1048576 / n:.0f}"
            lines.append(f"| {r['case']} | {n} | {wcell} | {med} | {fmt_ratio(ratio)} | {user} | "
                         f"{fmt_mb(r['peak_mb'])} | {bpr} |")
    skipped = sorted({(r["case"], r["skipped"]) for r in results if r.get("skipped")})
    if skipped:
        lines.append("")
        lines.append("Not installed in this build (skipped): " +
                     ", ".join(f"{c} (needs {s})" for c, s in skipped) + ".")
    return lines


def targets_md(results, rows):
    """The performance targets of issues 3, 4, 5, 6 and 8 at the main size."""
    lines = [f"Targets (measured at {rows} rows; the issues state them at 10M):", ""]
    for issue, text, case, ref, factor in TARGETS:
        mine = lookup(results, rows, case)
        if not mine:
            lines.append(f"- issue {issue}: {text}: **not measured yet** ({case} not installed or failed)")
            continue
        parts, ok = [], []
        for r in mine:
            if ref == "abs":
                parts.append(f"{r['median'] * 1000:.0f} ms")
                ok.append(r["median"] <= factor)
            elif ref == "user":
                # Best against best: driftmon's fastest workers setting
                # against each baseline's fastest.
                if r is not min(mine, key=lambda x: x["median"]):
                    continue
                for b in BY_NAME[case]["baselines"]:
                    br = lookup(results, rows, b)
                    if br:
                        q = r["median"] / min(x["median"] for x in br)
                        parts.append(f"{q:.3f}x the time of {b}, i.e. {1 / q:.1f}x faster")
                        ok.append(q <= factor)
            else:
                fl = lookup(results, rows, ref, r["workers"])
                if fl:
                    q = r["median"] / fl[0]["median"]
                    parts.append(f"{q:.2f}x with {r['workers']} workers")
                    ok.append(q <= factor)
        if not ok:
            status = "not measured yet"
            parts = parts or [f"its reference ({ref if ref != 'user' else 'the baselines'}) was not run"]
        elif all(ok):
            status = "met"
        elif any(ok):
            status = "partly met"
        else:
            status = "not met"
        lines.append(f"- issue {issue}: {text}: **{status}** ({'; '.join(parts)})")
    return lines


def scaling_md(results, sizes):
    """Time per million rows at each size and the fitted exponent of n."""
    lines = ["Scaling (seconds per million rows; exponent b of time ~ n^b, least squares):", "",
             "| case | workers | " + " | ".join(f"{n // 1000}k" for n in sizes) + " | b |",
             "|---|---:|" + "---:|" * len(sizes) + "---:|"]
    keys = []
    for r in results:
        if r.get("median") is not None and (r["case"], r["workers"]) not in keys:
            keys.append((r["case"], r["workers"]))
    for case, w in keys:
        pts = [(n, lookup(results, n, case, w)) for n in sizes]
        pts = [(n, m[0]["median"]) for n, m in pts if m]
        cells = []
        for n in sizes:
            m = lookup(results, n, case, w)
            cells.append(f"{m[0]['median'] / (n / 1e6):.3f}" if m else "")
        b = ""
        if len(pts) >= 2:
            xs = [math.log(n) for n, _ in pts]
            ys = [math.log(s) for _, s in pts]
            mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
            den = sum((x - mx) ** 2 for x in xs)
            if den > 0:
                b = f"{sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / den:.2f}"
        lines.append(f"| {case} | {w} | " + " | ".join(cells) + f" | {b} |")
    return lines


def field(row, i):
    """Field i of a result row as a float: a composite (text "(a,b,...)"),
    an array (PL/Python results) or the row's columns.  None if absent."""
    if row is None:
        return None
    if len(row) == 1:
        v = row[0]
        if isinstance(v, (list, tuple)):
            v = v[i] if i < len(v) else None
        elif isinstance(v, str) and v.startswith("("):
            parts = next(csv.reader([v[1:-1]]))
            v = parts[i] if i < len(parts) else None
        elif i != 0:
            v = None
    else:
        v = row[i] if i < len(row) else None
    try:
        return None if v in (None, "") else float(v)
    except (TypeError, ValueError):
        return None


def agreement_md(results, rows):
    """Does each driftmon case compute what its baseline computes?"""
    lines = [f"Agreement with the user's way (first measured run at {rows} rows; "
             "relative difference):", ""]
    for case, i, base, j, what in AGREEMENT:
        a = [r for r in lookup(results, rows, case) if r.get("value") is not None]
        b = [r for r in lookup(results, rows, base) if r.get("value") is not None]
        if not a or not b:
            continue
        x, y = field(a[0]["value"], i), field(b[0]["value"], j)
        if x is None or y is None:
            lines.append(f"- {what}: {case} {x} vs {base} {y} (not comparable)")
            continue
        d = abs(x - y) / max(abs(y), 1e-300) if x != y else 0.0
        lines.append(f"- {what}: {case} {x:.10g} vs {base} {y:.10g} (rel. diff {d:.1e})")
    if len(lines) == 2:
        lines.append("- nothing to compare yet")
    return lines


def machine_line(conn, idle_mb):
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    ram = "?"
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    ram = f"{int(line.split()[1]) / 1024 / 1024:.0f} GB"
    except OSError:
        pass
    pg = conn.execute("SELECT split_part(version(), ' on ', 1)").fetchone()[0]
    dm = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'driftmon'").fetchone()[0]
    rev = BUILD_REV
    return (f"Machine: {os.cpu_count()} CPUs ({cpu}), {ram} RAM, {pg}, driftmon {dm} (git {rev}), "
            f"{platform.system()} {platform.release()}; load average {os.getloadavg()[0]:.1f} at the end; "
            f"idle backend peak RSS {fmt_mb(idle_mb)} MB; "
            f"{datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}.")


def main(argv):
    args = parse_args(argv)
    if args.list:
        for c in CASES:
            print(f"{c['name']:32s} {c['kind']:9s} {', '.join(c.get('requires', []))}")
        return 0
    sizes = [args.rows]
    if args.scaling:
        sizes = sorted(set(sizes) | set(args.scaling_sizes))
    conn = setup_db(args)
    idle = connect(args.db, args)
    idle_mb = peak_rss_mb(idle)[0]
    idle.close()
    results = []
    try:
        for n in sizes:
            results += run_size(args, conn, n)
        out = [f"## driftmon benchmark: {args.rows} rows, median of {args.runs} run(s) after 1 warm-up", ""]
        out.append(machine_line(conn, idle_mb))
        out.append("")
        out.append(f"Settings: work_mem {args.work_mem}, jit {'on' if args.jit else 'off'}, "
                   "warm cache, one connection per case (peak MB = the backend's VmHWM; "
                   "with workers, the leader's only; bytes/row = the backend's peak private memory, "
                   "VmHWM - RssShmem, minus that of sum() at the same workers, per row). "
                   "Ratios < 1 are faster.")
        out.append("")
        out += table_md(results, sizes)
        out.append("")
        out += targets_md(results, args.rows)
        out.append("")
        out += agreement_md(results, args.rows)
        if len(sizes) > 1:
            out.append("")
            out += scaling_md(results, sizes)
        text = "\n".join(out) + "\n"
        sys.stdout.write(text)
        if args.output:
            path = os.path.join(os.environ.get("DM_CALLER_PWD", os.getcwd()), args.output)
            with open(path, "w") as f:
                f.write(text)
    finally:
        conn.close()
        if not args.keep_db:
            drop_db(args)
    errors = [r for r in results if r.get("error")]
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
