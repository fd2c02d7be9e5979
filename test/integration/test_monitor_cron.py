"""A pg_cron job scheduled by driftmon.schedule_monitor actually fires and
records a run (pg_cron 1.4: minute resolution, so this waits up to ~75 s),
in database driftmon_cron where the harness's pg_cron scheduler runs.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
import psycopg  # noqa: E402

t = dmtest.Tap('monitor_cron')


def main():
    conn = dmtest.connect('driftmon_cron')
    conn.add_notice_handler(lambda d: None)
    conn.execute('CREATE EXTENSION IF NOT EXISTS pg_cron')
    conn.execute("SET TIME ZONE 'UTC'")
    conn.execute("SELECT driftmon.drop_monitor('cron monitor', keep_history => false, if_exists => true)")
    # Rows in the default window (the last complete day) and in the reference
    # (the eight days before it).
    conn.execute("""
        DROP TABLE IF EXISTS public.cron_log;
        CREATE TABLE public.cron_log (ts timestamptz, x float8, c text);
        INSERT INTO public.cron_log
        SELECT driftmon.default_window_end('1 day', now()) - interval '9 days' + i * interval '30 minutes',
               i % 17, (i % 4)::text
        FROM generate_series(0, 9 * 48 - 1) AS i;
    """)
    end = conn.execute("SELECT driftmon.default_window_end('1 day', now())").fetchone()[0]
    mid = conn.execute("""SELECT driftmon.create_monitor(name => 'cron monitor', source => 'public.cron_log',
        time_column => 'ts', features => ARRAY['x', 'c'],
        reference => tstzrange(driftmon.default_window_end('1 day', now()) - interval '9 days',
                               driftmon.default_window_end('1 day', now()) - interval '1 day'))""").fetchone()[0]
    job = conn.execute("SELECT driftmon.schedule_monitor('cron monitor', '* * * * *')").fetchone()[0]
    row = conn.execute('SELECT jobname, schedule, command, username = current_user FROM cron.job WHERE jobid = %s',
                       (job,)).fetchone()
    t.ok(row == ('driftmon:cron monitor', '* * * * *', f"SELECT driftmon.run_scheduled({mid})", True),
         'schedule_monitor creates the named pg_cron job', row)
    again = conn.execute("SELECT driftmon.schedule_monitor('cron monitor', '* * * * *')").fetchone()[0]
    t.ok(again == job, 'scheduling again updates the same job', (job, again))
    t.ok(conn.execute("SELECT driftmon.cron_job('cron monitor')").fetchone()[0] == job, 'cron_job finds it')
    for sched, want, name in ((None, 'schedule must not be NULL', 'a NULL schedule is refused'),
                              ('every minute', 'invalid schedule', 'pg_cron refuses a bad cron expression')):
        try:
            conn.execute("SELECT driftmon.schedule_monitor('cron monitor', %s)", (sched,))
            t.ok(False, name)
        except psycopg.Error as e:
            t.ok(want in str(e), name, str(e))

    deadline = time.monotonic() + 80
    run = None
    while time.monotonic() < deadline:
        run = conn.execute("""SELECT r.status, r.window_end, r.error FROM driftmon.runs r
            JOIN driftmon.monitors m USING (monitor_id) WHERE m.name = 'cron monitor' AND m.dropped_at IS NULL
            ORDER BY r.run_id LIMIT 1""").fetchone()
        if run:
            break
        time.sleep(1)
    t.ok(run is not None, 'the pg_cron job fired and recorded a run', run)
    if run:
        t.ok(run[1] == end, 'the scheduled run covers the latest complete window', (run[1], end))
        t.ok(run[0] == 'succeeded', 'the scheduled run succeeded', run)
    # a rename moves the job
    conn.execute("SELECT driftmon.alter_monitor('cron monitor', new_name => 'cron renamed')")
    row = conn.execute("SELECT jobname, schedule, command FROM cron.job WHERE jobname LIKE 'driftmon:cron%'").fetchall()
    t.ok(row == [('driftmon:cron renamed', '* * * * *', f"SELECT driftmon.run_scheduled({mid})")],
         'renaming the monitor renames its job', row)
    conn.execute("SELECT driftmon.alter_monitor('cron renamed', new_name => 'cron monitor')")
    t.ok(conn.execute("SELECT driftmon.unschedule_monitor('cron monitor')").fetchone()[0] is True,
         'unschedule_monitor removes the job')
    n = conn.execute('SELECT count(*) FROM cron.job WHERE jobid = %s', (job,)).fetchone()[0]
    t.ok(n == 0, 'the job is gone from cron.job', n)
    t.ok(conn.execute("SELECT driftmon.unschedule_monitor('cron monitor')").fetchone()[0] is False,
         'unscheduling twice returns false')
    # drop_monitor removes the job too
    conn.execute("SELECT driftmon.schedule_monitor('cron monitor', '0 3 * * *')")
    conn.execute("SELECT driftmon.drop_monitor('cron monitor')")
    n = conn.execute("SELECT count(*) FROM cron.job WHERE jobname = 'driftmon:cron monitor'").fetchone()[0]
    t.ok(n == 0, 'drop_monitor unschedules the job', n)
    conn.close()


t.run(main)
t.done()
