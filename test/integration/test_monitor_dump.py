"""pg_dump / pg_restore keeps monitor configuration and the audit trail
(pg_extension_config_dump on monitors, checks, runs, results, run_profiles,
purge_log, baselines, baseline_profiles and their sequences): dump a database
with monitors (one with a stored baseline as reference), succeeded runs,
results, stored run profiles, a purge and a dropped monitor, restore it into a
new database, compare every row.
"""
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
import psycopg  # noqa: E402

SRC = 'driftmon_monitor_dump'
DST = 'driftmon_monitor_restored'
BIN = os.environ.get('DM_BINDIR', '/usr/lib/postgresql/15/bin')
t = dmtest.Tap('monitor_dump')

# Rows compared as their text form (NaN p-values compare equal that way).
TABLES = {
    'monitors': 'SELECT m::text FROM driftmon.monitors m ORDER BY monitor_id',
    'checks': 'SELECT c::text FROM driftmon.checks c ORDER BY check_id',
    'runs': 'SELECT r::text FROM driftmon.runs r ORDER BY run_id',
    'results': ('SELECT x::text FROM driftmon.results x '
                'ORDER BY run_id, segment NULLS FIRST, feature, metric'),
    'purge_log': 'SELECT p::text FROM driftmon.purge_log p ORDER BY purge_id',
    'drift_history': 'SELECT h::text FROM driftmon.drift_history h ORDER BY run_id, segment, feature, metric',
    'run_profiles': ('SELECT p::text FROM driftmon.run_profiles p '
                     'ORDER BY run_id, segment NULLS FIRST, feature'),
    'baselines': 'SELECT b::text FROM driftmon.baselines b ORDER BY name',
    'baseline_profiles': 'SELECT b::text FROM driftmon.baseline_profiles b ORDER BY baseline, feature',
    'profile_drift_history': "SELECT h::text FROM driftmon.profile_drift_history('base') h",
}


def fresh(db):
    admin = psycopg.connect(dbname='postgres', autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS {db}')
    admin.execute(f'CREATE DATABASE {db}')
    admin.close()


def refused(conn, sql, name):
    """One check: the audit trail refuses sql (append-only trigger, 55000)."""
    try:
        conn.execute(sql)
        t.ok(False, name, f'{sql} was accepted')
    except psycopg.errors.ObjectNotInPrerequisiteState:
        t.ok(True, name)


def main():
    fresh(SRC)
    conn = dmtest.connect(SRC)
    conn.add_notice_handler(lambda d: None)
    conn.execute("""
        CREATE TABLE public."Log" (ts timestamptz, x float8, c text);
        INSERT INTO public."Log"
        SELECT timestamptz '2026-01-01 00:00+00' + i * interval '1 hour', i % 13 + (i / 100), (i % 3)::text
        FROM generate_series(0, 24 * 12 - 1) AS i;
        SELECT driftmon.create_monitor(name => 'kept', source => 'public."Log"', time_column => 'ts',
            features => ARRAY['x', 'c'], reference => tstzrange('2026-01-01', '2026-01-05'),
            thresholds => '{"psi": {"warn": 0.12, "alert": 0.3}}', bonferroni => true);
        SELECT driftmon.add_check('kept', 'volume', $$SELECT 'rows' AS metric, count(*) AS value
            FROM public."Log" WHERE ts >= $1 AND ts < $2$$);
        SELECT * FROM driftmon.backfill_monitor('kept', '2026-01-05', '2026-01-12');
        SELECT driftmon.purge_history('kept', '2026-01-07');
        SELECT driftmon.create_monitor(name => 'gone', source => 'public."Log"', time_column => 'ts',
            features => ARRAY['x']);
        SELECT driftmon.run_monitor('gone', '2026-01-10');
        SELECT driftmon.drop_monitor('gone');
        SELECT driftmon.save_baseline('first4', $$SELECT x, c FROM public."Log" WHERE ts < '2026-01-05'$$);
        SELECT driftmon.create_monitor(name => 'base', source => 'public."Log"', time_column => 'ts',
            features => ARRAY['x', 'c'], reference_baseline => 'first4');
        SELECT * FROM driftmon.backfill_monitor('base', '2026-01-05', '2026-01-10');
    """)
    before = {k: conn.execute(q).fetchall() for k, q in TABLES.items()}
    t.ok(len(before['runs']) >= 6 and len(before['purge_log']) == 1 and len(before['checks']) == 1,
         'source database has runs, a purge and a check',
         {k: len(v) for k, v in before.items()})
    t.ok(len(before['results']) > 0 and len(before['drift_history']) > 0,
         'source database has results', len(before['results']))
    t.ok(len(before['run_profiles']) >= 10 and len(before['baseline_profiles']) == 2
         and len(before['profile_drift_history']) == 5 * 6,
         'source database has run profiles, a baseline and a profile drift history',
         {k: len(before[k]) for k in ('run_profiles', 'baseline_profiles', 'profile_drift_history')})
    conn.close()

    with tempfile.TemporaryDirectory() as d:
        dump = os.path.join(d, 'db.dump')
        r = subprocess.run([os.path.join(BIN, 'pg_dump'), '-Fc', '-d', SRC, '-f', dump],
                           capture_output=True, text=True)
        t.ok(r.returncode == 0, 'pg_dump succeeds', r.stderr)
        fresh(DST)
        r = subprocess.run([os.path.join(BIN, 'pg_restore'), '--exit-on-error', '-d', DST, dump],
                           capture_output=True, text=True)
        t.ok(r.returncode == 0, 'pg_restore into a new database succeeds', r.stderr)

    new = psycopg.connect(dbname=DST, autocommit=True)
    new.add_notice_handler(lambda d: None)
    for k, q in TABLES.items():
        after = new.execute(q).fetchall()
        t.ok(after == before[k], f'{k}: every row restored identically ({len(before[k])} rows)',
             f'before {before[k][:3]}\nafter {after[:3]}')
    refused(new, 'DELETE FROM driftmon.runs', 'restored audit trail is still append-only')
    last = new.execute('SELECT max(run_id) FROM driftmon.runs').fetchone()[0]
    rid = new.execute("SELECT driftmon.run_monitor('kept', '2026-01-12')").fetchone()[0]
    t.ok(rid > last, 'run ids continue after the restored ones (sequence dumped)', (rid, last))
    names = [r[0] for r in new.execute('SELECT name FROM driftmon.monitor_list ORDER BY name').fetchall()]
    t.ok(names == ['base', 'kept'], 'restored monitor_list shows the live monitors only', names)
    refused(new, 'DELETE FROM driftmon.run_profiles', 'restored run_profiles are still append-only')
    rid = new.execute("SELECT driftmon.run_monitor('base', '2026-01-11')").fetchone()[0]
    row = new.execute("SELECT r.status, r.reference_baseline, count(p.run_id) FROM driftmon.runs r "
                      "LEFT JOIN driftmon.run_profiles p USING (run_id) WHERE r.run_id = %s "
                      "GROUP BY r.status, r.reference_baseline", (rid,)).fetchone()
    t.ok(row == ('succeeded', 'first4', 2), 'the restored baseline monitor runs against its restored baseline', row)
    new.close()


t.run(main)
t.done()
