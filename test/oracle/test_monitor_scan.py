#!/usr/bin/python3
"""Monitor runs: the scan of exact monitors, and Infinity in baseline ones.

Exact monitors whose reference is a range of the source (or the previous
window) read the source in one scan, the rows of both windows flagged by the
current window's predicate; rows in both windows (a reference range that
overlaps the window) are also read as reference rows by a second branch that
is gated by a parameter-only condition.

Checked against scipy on the raw rows selected in Python:
  - a reference range overlapping the window (half-open and closed ranges,
    timestamptz and date time columns), a reference touching the window
    start with an inclusive upper bound, a disjoint range, the previous
    window: n_reference / n_current and the KS statistic and p-value
    (scipy.stats.ks_2samp) and chi-square (scipy chi2_contingency) stored
    in results;
  - the plan: for disjoint windows the gated branch is never executed.
"""
import datetime as dt
import os
import sys

import numpy as np
from scipy import stats

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

conn = dmtest.connect()
t = dmtest.Tap('monitor_scan')
rng = np.random.default_rng(20261124)
UTC = dt.timezone.utc
D0 = dt.datetime(2026, 3, 1, tzinfo=UTC)

conn.execute("DROP TABLE IF EXISTS ms_log, ms_dlog")
conn.execute("CREATE TABLE ms_log (ts timestamptz, x float8, c text)")
conn.execute("CREATE TABLE ms_dlog (d date, x float8, c text)")
rows = []
for i in range(3000):
    # three days, a few rows exactly on the day and half-day boundaries
    sec = int(rng.integers(0, 3 * 86400)) if i % 50 else (i // 50 % 6) * 43200
    ts = D0 + dt.timedelta(seconds=sec)
    x = float(rng.normal(0.3 * (sec // 86400), 1.0)) if i % 7 else float(i % 5)   # ties
    c = str(rng.choice(['a', 'b', 'c', "it's"], p=[0.4, 0.3, 0.2, 0.1]))
    rows.append((ts, x, c))
with conn.cursor() as cur:
    with cur.copy("COPY ms_log (ts, x, c) FROM STDIN") as cp:
        for r in rows:
            cp.write_row(r)
    with cur.copy("COPY ms_dlog (d, x, c) FROM STDIN") as cp:
        for r in rows:
            cp.write_row((r[0].date(), r[1], r[2]))
conn.execute("ANALYZE ms_log; ANALYZE ms_dlog")


def in_range(v, lo, hi, lo_inc, hi_inc):
    return (v >= lo if lo_inc else v > lo) and (v <= hi if hi_inc else v < hi)


def check(name, table, tcol, ref, w_end, size_days=1):
    """ref: (lo, hi, bounds) of a tstzrange, or 'previous'."""
    w_end_ts = D0 + dt.timedelta(days=w_end)
    w_start_ts = w_end_ts - dt.timedelta(days=size_days)
    conn.execute("SELECT driftmon.drop_monitor(name, keep_history => false) "
                 "FROM driftmon.monitors WHERE name = %s", (name,))
    if ref == 'previous':
        conn.execute("SELECT driftmon.create_monitor(name => %s, source => %s::regclass, time_column => %s, "
                     "features => ARRAY['x', 'c'], window_size => %s::interval)",
                     (name, table, tcol, f"{size_days} days"))
        r_lo, r_hi, lo_inc, hi_inc = w_start_ts - dt.timedelta(days=size_days), w_start_ts, True, False
    else:
        lo, hi, bounds = ref
        r_lo, r_hi = D0 + dt.timedelta(hours=lo), D0 + dt.timedelta(hours=hi)
        lo_inc, hi_inc = bounds[0] == '[', bounds[1] == ']'
        conn.execute("SELECT driftmon.create_monitor(name => %s, source => %s::regclass, time_column => %s, "
                     "features => ARRAY['x', 'c'], window_size => %s::interval, "
                     "reference => tstzrange(%s, %s, %s))",
                     (name, table, tcol, f"{size_days} days", r_lo, r_hi, bounds))
    run = conn.execute("SELECT driftmon.run_monitor(%s, %s)", (name, w_end_ts)).fetchone()[0]

    def key(r):   # the time value as the table stores it, compared as timestamptz
        if tcol == 'd':
            return dt.datetime.combine(r[0].date(), dt.time(), UTC)
        return r[0]
    refr = [r for r in rows if in_range(key(r), r_lo, r_hi, lo_inc, hi_inc)]
    curr = [r for r in rows if w_start_ts <= key(r) < w_end_ts]
    st, nr, nc = conn.execute("SELECT status, n_reference, n_current FROM driftmon.runs WHERE run_id = %s",
                              (run,)).fetchone()
    t.ok((st, nr, nc) == ('succeeded', len(refr), len(curr)),
         f"{name}: run counts = rows in each window (both counted when the windows overlap)",
         f"got {(st, nr, nc)}, want succeeded {len(refr)} {len(curr)}")
    res = dict(((m), (v, p)) for m, v, p in conn.execute(
        "SELECT metric, value, p_value FROM driftmon.results WHERE run_id = %s AND feature = %s "
        "AND segment IS NULL", (run, 'x')).fetchall())
    ks = stats.ks_2samp([r[1] for r in refr], [r[1] for r in curr])
    t.close(res['ks'][0], ks.statistic, 1e-12, f"{name}: KS statistic vs scipy", metric='ks_stat')
    t.close(res['ks'][1], ks.pvalue, 1e-8, f"{name}: KS p-value vs scipy", metric='ks_p')
    cats = sorted({r[2] for r in refr} | {r[2] for r in curr})
    table2 = [[sum(1 for r in refr if r[2] == k) for k in cats], [sum(1 for r in curr if r[2] == k) for k in cats]]
    chi = stats.chi2_contingency(np.array(table2))
    res = dict(((m), (v, p)) for m, v, p in conn.execute(
        "SELECT metric, value, p_value FROM driftmon.results WHERE run_id = %s AND feature = %s "
        "AND segment IS NULL", (run, 'c')).fetchall())
    t.close(res['chi2'][0], chi[0], 1e-12, f"{name}: chi-square statistic vs scipy", metric='chi2')
    return run


# overlapping half-open range: [D0 + 12 h, D0 + 36 h) vs window [D0 + 1 d, D0 + 2 d)
check('ms_overlap', 'ms_log', 'ts', (12, 36, '[)'), 2)
# reference containing the whole window
check('ms_contains', 'ms_log', 'ts', (0, 72, '[)'), 2)
# closed range ending exactly at the window start: the rows at D0 + 24 h are in both
check('ms_touch', 'ms_log', 'ts', (0, 24, '[]'), 2)
# open lower bound, disjoint
check('ms_disjoint', 'ms_log', 'ts', (0, 24, '()'), 3)
check('ms_previous', 'ms_log', 'ts', 'previous', 3)
# a date column: the window [day 1, day 2) and a range overlapping it
check('ms_date_overlap', 'ms_dlog', 'd', (0, 48, '[)'), 2)
check('ms_date_previous', 'ms_dlog', 'd', 'previous', 3)


def plan(name, w_end):
    """EXPLAIN ANALYZE of the monitor's statement for the window ending w_end."""
    sql = conn.execute("SELECT driftmon.monitor_sql(%s)", (name,)).fetchone()[0]
    m = conn.execute("SELECT reference_range FROM driftmon.monitors WHERE name = %s", (name,)).fetchone()[0]
    we = D0 + dt.timedelta(days=w_end)
    ws = we - dt.timedelta(days=1)
    rs, re_ = (m.lower, m.upper) if m is not None else (ws - dt.timedelta(days=1), ws)
    conn.execute("DEALLOCATE ALL")
    conn.execute(f"PREPARE ms_q (timestamptz, timestamptz, timestamptz, timestamptz, bigint) AS {sql}")
    args = ', '.join(f"'{v.isoformat()}'" for v in (ws, we, rs, re_))
    out = conn.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) EXECUTE ms_q({args}, 0)").fetchall()
    return '\n'.join(r[0] for r in out)


for name, w_end, scans in (('ms_disjoint', 3, 1), ('ms_previous', 3, 1), ('ms_overlap', 2, 2)):
    p = plan(name, w_end)
    executed = sum(1 for line in p.splitlines() if 'Seq Scan on ms_log' in line and 'never executed' not in line)
    t.ok(executed == scans, f"{name}: {scans} scan(s) of the source executed",
         p)

# A baseline whose reference std is tiny (values 0 and 1e-150): wasserstein
# over it exceeds the float8 range.  The run must succeed with Infinity and
# an alert for that feature (not fail on a division overflow), and the
# other feature must still be computed; profile_drift_history the same.
conn.execute("DROP TABLE IF EXISTS ms_tiny")
conn.execute("CREATE TABLE ms_tiny (ts timestamptz, x float8, y float8)")
conn.execute("INSERT INTO ms_tiny SELECT %s::timestamptz + i * interval '1 minute', "
             "CASE WHEN i %% 2 = 0 THEN 0 ELSE 1e-150 END, i FROM generate_series(0, 99) i", (D0,))
conn.execute("INSERT INTO ms_tiny SELECT %s::timestamptz + interval '1 day' + i * interval '1 minute', "
             "1e300, i + 0.5 FROM generate_series(0, 99) i", (D0,))
conn.execute("SELECT driftmon.drop_monitor('ms_tiny', keep_history => false, if_exists => true)")
conn.execute("DELETE FROM driftmon.baselines WHERE name = 'ms_tiny_base'")
conn.execute("SELECT driftmon.save_baseline('ms_tiny_base', %s)",
             (f"SELECT x, y FROM public.ms_tiny WHERE ts < '{(D0 + dt.timedelta(days=1)).isoformat()}'",))
conn.execute("SELECT driftmon.create_monitor(name => 'ms_tiny', source => 'ms_tiny', time_column => 'ts', "
             "features => ARRAY['x', 'y'], reference_baseline => 'ms_tiny_base')")
run = conn.execute("SELECT driftmon.run_monitor('ms_tiny', %s)", (D0 + dt.timedelta(days=2),)).fetchone()[0]
st = conn.execute("SELECT status, error FROM driftmon.runs WHERE run_id = %s", (run,)).fetchone()
t.ok(st == ('succeeded', None), "baseline monitor over a reference std of 7e-151 succeeds", f"got {st}")
res = dict(((f, m), (v, s_)) for f, m, v, s_ in conn.execute(
    "SELECT feature, metric, value, status FROM driftmon.results WHERE run_id = %s", (run,)).fetchall())
t.ok(res.get(('x', 'wasserstein_normed')) == (float('inf'), 'alert'),
     "its wasserstein_normed is Infinity (W = 1e300 over std 7.07e-151), status alert", f"got {res.get(('x', 'wasserstein_normed'))}")
wy = stats.wasserstein_distance(np.arange(100.0), np.arange(100.0) + 0.5) / np.std(np.arange(100.0), ddof=1)
t.close(res.get(('y', 'wasserstein_normed'), (None,))[0], wy, 1e-12,
        "the other feature's wasserstein_normed vs scipy", metric='wasserstein_normed')
h = conn.execute("SELECT value, status FROM driftmon.profile_drift_history('ms_tiny') "
                 "WHERE feature = 'x' AND metric = 'wasserstein_normed'").fetchall()
t.ok(h == [(float('inf'), 'alert')], "profile_drift_history: the same Infinity and alert", f"got {h}")
conn.execute("SELECT driftmon.drop_monitor('ms_tiny', keep_history => false)")
conn.execute("DELETE FROM driftmon.baselines WHERE name = 'ms_tiny_base'")
conn.execute("DROP TABLE ms_tiny")

for name in ('ms_overlap', 'ms_contains', 'ms_touch', 'ms_disjoint', 'ms_previous', 'ms_date_overlap',
             'ms_date_previous'):
    conn.execute("SELECT driftmon.drop_monitor(%s, keep_history => false)", (name,))
conn.execute("DROP TABLE ms_log, ms_dlog")
conn.close()
t.done()
