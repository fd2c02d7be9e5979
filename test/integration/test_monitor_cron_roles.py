"""pg_cron jobs of monitors across roles (database driftmon_cron, where the
harness's pg_cron scheduler runs).

cron.job has row-level security: a role sees (and may remove) only its own
jobs, a superuser sees all.  These tests schedule a monitor as one role and
rename, drop or unschedule it as another (or as a superuser), then run the
job's command as its owner, the way pg_cron would, and check what it does:
it must run the right monitor under its new name, remove itself once the
monitor is dropped, and never run another monitor that later took the old
name.  One section waits for pg_cron to really fire (minute resolution,
at most ~75 s).  Also: job names beyond 63 bytes, hostile names, a job owner
without SELECT on the source, a reader role, the pg_cron-missing errors for a
non-superuser and for a database other than cron.database_name, a role without
USAGE on schema cron.
"""
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402
import psycopg  # noqa: E402

t = dmtest.Tap('monitor_cron_roles')
DB = 'driftmon_cron'
ROLES = {'dmcr_a': 'driftmon_admin', 'dmcr_b': 'driftmon_admin',
         'dmcr_nosel': 'driftmon_admin', 'dmcr_reader': 'driftmon_reader', 'dmcr_nocron': 'driftmon_admin'}


def as_role(role, db=DB):
    """A session logged in as role (trust authentication on the test cluster)."""
    c = psycopg.connect(dbname=db, user=role, autocommit=True)
    c.add_notices = []
    c.add_notice_handler(lambda d: c.add_notices.append((d.severity_nonlocalized, d.message_primary)))
    return c


def create(conn, name, source='public.cr_log'):
    """A monitor over source; returns its id."""
    return conn.execute("""SELECT driftmon.create_monitor(name => %s, source => %s::regclass,
        time_column => 'ts', features => ARRAY['x'], window_size => '1 day',
        reference_source => %s::regclass)""", (name, source, source)).fetchone()[0]


def jobs(su, mid):
    """(jobid, jobname, username, command) of every job running monitor mid
    (the superuser sees every role's jobs)."""
    return su.execute("""SELECT jobid, jobname::text, username, command FROM cron.job
        WHERE command = format('SELECT driftmon.run_scheduled(%%s)', %s::bigint) ORDER BY jobid""",
                      (mid,)).fetchall()


def last_run(su, mid):
    return su.execute("""SELECT run_id, monitor_name, status, error, run_by FROM driftmon.runs
        WHERE monitor_id = %s ORDER BY run_id DESC LIMIT 1""", (mid,)).fetchone()


def expect_error(conn, sql, sqlstate, name, contains=None, args=None):
    try:
        conn.execute(sql, args)
        t.ok(False, name, 'no error')
        return None
    except psycopg.Error as e:
        ok = e.sqlstate == sqlstate and (contains is None or contains in str(e) + str(e.diag.message_hint))
        t.ok(ok, name, (e.sqlstate, str(e), e.diag.message_detail, e.diag.message_hint))
        return e


def setup(su):
    su.execute('CREATE EXTENSION IF NOT EXISTS pg_cron')
    for r, grp in ROLES.items():
        su.execute(f"""DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{r}') THEN
                CREATE ROLE {r} LOGIN IN ROLE {grp};
            END IF; END $$""")
        su.execute(f'{"REVOKE" if r == "dmcr_nocron" else "GRANT"} USAGE ON SCHEMA cron {"FROM" if r == "dmcr_nocron" else "TO"} {r}')
    # remove what an earlier run of this file left
    su.execute("SELECT cron.unschedule(jobid) FROM cron.job WHERE username LIKE 'dmcr%' OR jobname LIKE 'driftmon:cr %'")
    for (name,) in su.execute("SELECT name FROM driftmon.monitors WHERE name LIKE 'cr %' AND dropped_at IS NULL").fetchall():
        su.execute('SELECT driftmon.drop_monitor(%s, keep_history => false)', (name,))
    su.execute("""
        DROP TABLE IF EXISTS public.cr_log, public.cr_secret;
        CREATE TABLE public.cr_log (ts timestamptz, x float8);
        INSERT INTO public.cr_log
        SELECT driftmon.default_window_end('1 day', now()) - interval '9 days' + i * interval '1 hour', i % 11
        FROM generate_series(0, 9 * 24 - 1) AS i;
        CREATE TABLE public.cr_secret (LIKE public.cr_log);
        INSERT INTO public.cr_secret SELECT * FROM public.cr_log;
        GRANT SELECT ON public.cr_log TO dmcr_a, dmcr_b, dmcr_nocron;
        GRANT SELECT ON public.cr_secret TO dmcr_a;
    """)


def run_job_as_owner(role, command):
    """Run a job's command the way pg_cron does: a session of the job's owner."""
    c = as_role(role)
    try:
        return c.execute(command).fetchone()[0], None, c.add_notices
    except psycopg.Error as e:
        return None, e, c.add_notices
    finally:
        c.close()


def cross_role(su):
    a, b = as_role('dmcr_a'), as_role('dmcr_b')

    # Rename by another role: the job keeps running the monitor, under its new name.
    mid = create(a, 'cr renamed')
    job = a.execute("SELECT driftmon.schedule_monitor('cr renamed', '0 3 * * *')").fetchone()[0]
    cmd = a.execute('SELECT command FROM cron.job WHERE jobid = %s', (job,)).fetchone()[0]
    t.ok(cmd == f'SELECT driftmon.run_scheduled({mid})', 'the job command names the monitor by id only', cmd)
    b.execute("SELECT driftmon.alter_monitor('cr renamed', new_name => 'cr renamed 2')")
    rid, err, _ = run_job_as_owner('dmcr_a', cmd)
    t.ok(err is None, "after a rename by another role the job's command still works", err)
    run = last_run(su, mid)
    t.ok(run is not None and run[0] == rid and run[1:3] == ('cr renamed 2', 'succeeded') and run[4] == 'dmcr_a',
         'it ran the renamed monitor, as the job owner', run)
    t.ok(a.execute("SELECT driftmon.cron_job('cr renamed 2')").fetchone()[0] == job,
         "the owner's cron_job finds the job under the new name")
    # the old label is still A's: a new monitor taking the old name gets another label
    mid_new = create(a, 'cr renamed')
    a.execute("SELECT driftmon.schedule_monitor('cr renamed', '0 6 * * *')")
    got = [(r[1], r[0]) for r in jobs(su, mid_new)], [r[1] for r in jobs(su, mid)]
    t.ok(got[0] and got[0][0][0] == f'driftmon:{mid_new}:cr renamed' and got[1] == ['driftmon:cr renamed'],
         'a new monitor taking a name whose label a stale job holds gets driftmon:<id>:<name>', got)
    sched = su.execute('SELECT schedule FROM cron.job WHERE jobid = %s', (job,)).fetchone()
    t.ok(sched == ('0 3 * * *',), 'and does not replace the stale job', sched)
    a.execute("SELECT driftmon.drop_monitor('cr renamed')")
    t.ok(jobs(su, mid_new) == [] and len(jobs(su, mid)) == 1, "dropping it removes only its own job")
    t.ok(a.execute("SELECT driftmon.unschedule_monitor('cr renamed 2')").fetchone()[0] is True
         and jobs(su, mid) == [], 'and the owner unschedules it under the new name')

    # Rename by the owner relabels the job, same id and schedule.
    job = a.execute("SELECT driftmon.schedule_monitor('cr renamed 2', '0 4 * * *')").fetchone()[0]
    a.execute("SELECT driftmon.alter_monitor('cr renamed 2', new_name => 'cr renamed 3')")
    j = su.execute('SELECT jobname::text, schedule, command FROM cron.job WHERE command = %s', (cmd,)).fetchall()
    t.ok(j == [('driftmon:cr renamed 3', '0 4 * * *', cmd)], 'a rename by the owner relabels the job', j)
    a.execute("SELECT driftmon.drop_monitor('cr renamed 3')")
    t.ok(su.execute('SELECT count(*) FROM cron.job WHERE command = %s', (cmd,)).fetchone()[0] == 0,
         'drop_monitor by the owner removes the job')

    # Drop by another role: B cannot see A's job; when it next fires it removes itself.
    mid = create(a, 'cr dropped')
    a.execute("SELECT driftmon.schedule_monitor('cr dropped', '0 3 * * *')")
    cmd = f'SELECT driftmon.run_scheduled({mid})'
    b.execute("SELECT driftmon.drop_monitor('cr dropped')")
    t.ok(len(jobs(su, mid)) == 1, "a drop by another role cannot remove the owner's job (row-level security)",
         jobs(su, mid))
    # a new monitor takes the old name, over a table only A can read
    mid2 = create(su, 'cr dropped', 'public.cr_secret')
    res, err, notices = run_job_as_owner('dmcr_a', cmd)
    t.ok(err is None and res is None, 'the orphaned job runs without error and returns NULL', err)
    t.ok(jobs(su, mid) == [], 'the job of the dropped monitor removed itself', jobs(su, mid))
    t.ok(any('no longer exists' in n[1] for n in notices), 'with a NOTICE saying why', notices)
    t.ok(last_run(su, mid2) is None,
         'it did not run the new monitor that took the old name (with the owner\'s privileges)', last_run(su, mid2))
    t.ok(last_run(su, mid) is None, 'nor record a run for the dropped one', last_run(su, mid))
    su.execute("SELECT driftmon.drop_monitor('cr dropped', keep_history => false)")

    # Drop and unschedule by a superuser remove every role's job.
    mid = create(a, 'cr su drop')
    a.execute("SELECT driftmon.schedule_monitor('cr su drop', '0 3 * * *')")
    su.execute("SELECT driftmon.drop_monitor('cr su drop')")
    t.ok(jobs(su, mid) == [], "drop_monitor by a superuser removes another role's job", jobs(su, mid))
    mid = create(a, 'cr su unsched')
    a.execute("SELECT driftmon.schedule_monitor('cr su unsched', '0 3 * * *')")
    t.ok(su.execute("SELECT driftmon.unschedule_monitor('cr su unsched')").fetchone()[0] is True
         and jobs(su, mid) == [], "unschedule_monitor by a superuser removes another role's job", jobs(su, mid))
    # ... a non-superuser cannot, and says so
    a.execute("SELECT driftmon.schedule_monitor('cr su unsched', '0 3 * * *')")
    b.add_notices.clear()
    got = b.execute("SELECT driftmon.unschedule_monitor('cr su unsched')").fetchone()[0]
    t.ok(got is False and len(jobs(su, mid)) == 1, "another non-superuser cannot remove the owner's job", got)
    t.ok(any('has no pg_cron job' in n[1] for n in b.add_notices), 'with a NOTICE', b.add_notices)
    # a superuser scheduling a monitor another role scheduled is warned
    su_notices = []
    su.add_notice_handler(lambda d: su_notices.append((d.severity_nonlocalized, d.message_primary)))
    su.execute("SELECT driftmon.schedule_monitor('cr su unsched', '0 5 * * *')")
    t.ok(any(n[0] == 'WARNING' and 'also scheduled by dmcr_a' in n[1] for n in su_notices),
         'scheduling a monitor already scheduled by another role warns (superuser)', su_notices)
    users = sorted(r[2] for r in jobs(su, mid))
    t.ok(users == ['dmcr_a', 'postgres'], 'one job per role', users)
    su.execute("SELECT driftmon.drop_monitor('cr su unsched', keep_history => false)")
    t.ok(jobs(su, mid) == [], 'drop by a superuser removes both', jobs(su, mid))
    a.close()
    b.close()


def long_and_hostile_names(su):
    a = as_role('dmcr_a')
    # Job names are of type name (63 bytes); cron.schedule replaces a user's
    # job of the same name, so two long names with a common prefix must not
    # share one job.
    n1, n2 = 'cr ' + 'l' * 60 + ' one', 'cr ' + 'l' * 60 + ' two'
    m1, m2 = create(a, n1), create(a, n2)
    j1 = a.execute("SELECT driftmon.schedule_monitor(%s, '1 * * * *')", (n1,)).fetchone()[0]
    j2 = a.execute("SELECT driftmon.schedule_monitor(%s, '2 * * * *')", (n2,)).fetchone()[0]
    t.ok(j1 != j2, 'two monitors with a long common prefix get two jobs', (j1, j2))
    r1, r2 = jobs(su, m1), jobs(su, m2)
    t.ok(len(r1) == 1 and len(r2) == 1 and r1[0][1] != r2[0][1], 'with distinct job names', (r1, r2))
    t.ok(all(len(r[0][1].encode()) <= 63 and r[0][1].startswith(f'driftmon:{m}:cr lll')
             for r, m in ((r1, m1), (r2, m2))), 'named driftmon:<id>:<name> cut to 63 bytes', (r1, r2))
    sched = su.execute('SELECT schedule FROM cron.job WHERE jobid = %s', (j1,)).fetchone()
    t.ok(sched == ('1 * * * *',), 'the first schedule was not overwritten by the second', sched)
    t.ok(a.execute('SELECT driftmon.cron_job(%s)', (n1,)).fetchone()[0] == j1, 'cron_job finds a long-named job')
    t.ok(a.execute('SELECT driftmon.unschedule_monitor(%s)', (n1,)).fetchone()[0] is True and jobs(su, m1) == []
         and len(jobs(su, m2)) == 1, 'unschedule_monitor removes exactly that job')
    a.execute('SELECT driftmon.drop_monitor(%s)', (n2,))
    t.ok(jobs(su, m2) == [], 'drop_monitor removes a long-named job')
    # multi-byte name cut at a character boundary
    n3 = 'cr ' + '\u00e9' * 40
    m3 = create(a, n3)
    a.execute("SELECT driftmon.schedule_monitor(%s, '3 * * * *')", (n3,))
    r3 = jobs(su, m3)
    full = f'driftmon:{m3}:' + n3
    want = max((full[:k] for k in range(len(full) + 1) if len(full[:k].encode()) <= 63), key=len)
    t.ok(len(r3) == 1 and r3[0][1] == want, 'a multi-byte name is cut at a character boundary', (r3, want))
    a.execute('SELECT driftmon.drop_monitor(%s)', (n3,))

    # Hostile names reach cron.job only as a bound job name; the command holds the id.
    for name in ("cr it's; DROP TABLE public.cr_log; --", 'cr $$ $x$ \\ "q"', 'cr Mixed \u2603 ünï', 'cr )); --'):
        mid = create(a, name)
        a.execute("SELECT driftmon.schedule_monitor(%s, '0 3 * * *')", (name,))
        r = jobs(su, mid)
        t.ok(len(r) == 1 and r[0][1] == 'driftmon:' + name and r[0][3] == f'SELECT driftmon.run_scheduled({mid})',
             f'hostile name {name!r}: job named after it, command holds only the id', r)
        rid, err, _ = run_job_as_owner('dmcr_a', r[0][3])
        run = last_run(su, mid)
        t.ok(err is None and run is not None and run[0] == rid and run[1:3] == (name, 'succeeded'),
             f'hostile name {name!r}: the job runs that monitor', (err, run))
        a.execute('SELECT driftmon.drop_monitor(%s)', (name,))
        t.ok(jobs(su, mid) == [], f'hostile name {name!r}: dropped with its job')
    n = su.execute('SELECT count(*) FROM public.cr_log').fetchone()[0]
    t.ok(n == 9 * 24, 'the source table is intact', n)
    a.close()


def privileges(su):
    a = as_role('dmcr_a')
    mid = create(a, 'cr privileges')
    # The job's owner lacks SELECT on the source: a failed run, not a failed job.
    nosel = as_role('dmcr_nosel')
    nosel.execute("SELECT driftmon.schedule_monitor('cr privileges', '0 3 * * *')")
    cmd = f'SELECT driftmon.run_scheduled({mid})'
    rid, err, _ = run_job_as_owner('dmcr_nosel', cmd)
    run = last_run(su, mid)
    t.ok(err is None and run is not None and run[0] == rid, 'a job owner without SELECT on the source: the job succeeds',
         (err, run))
    t.ok(run is not None and run[2] == 'failed' and 'permission denied for table cr_log' in (run[3] or '')
         and run[4] == 'dmcr_nosel', 'and the run is recorded as failed (permission denied)', run)
    nosel.execute("SELECT driftmon.unschedule_monitor('cr privileges')")
    nosel.close()

    # A reader can neither schedule, unschedule, run nor read the source through driftmon.
    rd = as_role('dmcr_reader')
    for sql, name in (("SELECT driftmon.schedule_monitor('cr privileges', '* * * * *')", 'schedule'),
                      ("SELECT driftmon.unschedule_monitor('cr privileges')", 'unschedule'),
                      ("SELECT driftmon.run_monitor('cr privileges')", 'run'),
                      (f'SELECT driftmon.run_scheduled({mid})', 'run through run_scheduled'),
                      ("SELECT driftmon.drop_monitor('cr privileges')", 'drop'),
                      ("SELECT driftmon.alter_monitor('cr privileges', new_name => 'cr mine')", 'rename'),
                      ('SELECT count(*) FROM public.cr_log', 'read the source')):
        expect_error(rd, sql, '42501', f'a reader cannot {name} (42501)')
    n = su.execute("SELECT count(*) FROM cron.job WHERE username = 'dmcr_reader'").fetchone()[0]
    t.ok(n == 0, 'the reader owns no job', n)
    rd.close()
    a.execute("SELECT driftmon.drop_monitor('cr privileges')")
    a.close()


def no_cron_usage(su):
    """An admin without USAGE on schema cron manages monitors; only
    scheduling needs pg_cron, and it says how to grant it."""
    c = as_role('dmcr_nocron')
    mid = create(c, 'cr no usage')
    a = as_role('dmcr_a')
    a.execute("SELECT driftmon.schedule_monitor('cr no usage', '0 3 * * *')")
    try:
        c.execute("SELECT driftmon.alter_monitor('cr no usage', new_name => 'cr no usage 2')")
        t.ok(True, 'a role without USAGE on schema cron renames a monitor')
    except psycopg.Error as e:
        t.ok(False, 'a role without USAGE on schema cron renames a monitor', str(e))
    for sql, name in (("SELECT driftmon.schedule_monitor('cr no usage 2', '* * * * *')", 'schedule'),
                      ("SELECT driftmon.unschedule_monitor('cr no usage 2')", 'unschedule')):
        expect_error(c, sql, '42501', f'without USAGE on schema cron, {name}: 42501 with a GRANT hint',
                     'GRANT USAGE ON SCHEMA cron TO dmcr_nocron')
    try:
        c.execute("SELECT driftmon.drop_monitor('cr no usage 2')")
        t.ok(True, 'a role without USAGE on schema cron drops a monitor')
    except psycopg.Error as e:
        t.ok(False, 'a role without USAGE on schema cron drops a monitor', str(e))
    t.ok(len(jobs(su, mid)) == 1, "leaving the scheduler's job (invisible to it) for run_scheduled to remove")
    res, err, _ = run_job_as_owner('dmcr_a', f'SELECT driftmon.run_scheduled({mid})')
    t.ok(err is None and res is None and jobs(su, mid) == [], 'which it does', (err, jobs(su, mid)))
    a.close()
    c.close()


def missing_pg_cron(su):
    # A database without pg_cron (cron.database_name is driftmon_cron).
    dmtest.connect('driftmon_nocron').close()
    su2 = psycopg.connect(dbname='driftmon_nocron', autocommit=True)
    if not su2.execute("SELECT 1 FROM driftmon.monitors WHERE name = 'cr nocron'").fetchone():
        su2.execute('DROP TABLE IF EXISTS public.cr_log; CREATE TABLE public.cr_log (ts timestamptz, x float8)')
        su2.execute('GRANT SELECT ON public.cr_log TO dmcr_a')
        create(su2, 'cr nocron')
    e = expect_error(su2, "SELECT driftmon.schedule_monitor('cr nocron', '* * * * *')", '0A000',
                     'superuser, another database than cron.database_name: feature_not_supported',
                     'schedule_in_database')
    t.ok(e is not None and 'driftmon_cron' in (e.diag.message_detail or ''), 'the detail names the pg_cron database',
         e and e.diag.message_detail)
    a = as_role('dmcr_a', 'driftmon_nocron')
    for sql in ("SELECT driftmon.schedule_monitor('cr nocron', '* * * * *')",
                "SELECT driftmon.unschedule_monitor('cr nocron')"):
        expect_error(a, sql, '0A000', f'non-superuser without pg_cron: feature_not_supported, not 42501 ({sql[16:34]})',
                     'shared_preload_libraries')
    t.ok(a.execute("SELECT driftmon.cron_job('cr nocron')").fetchone()[0] is None, 'cron_job is NULL without pg_cron')
    a.close()
    su2.close()


def fires(su):
    """pg_cron really fires: a job of a monitor renamed by another role runs
    it under the new name; a job of a monitor dropped by another role removes
    itself.  Waits for the next minute (at most ~75 s)."""
    a, b = as_role('dmcr_a'), as_role('dmcr_b')
    m_ren, m_drop = create(a, 'cr fire renamed'), create(a, 'cr fire dropped')
    j_ren = a.execute("SELECT driftmon.schedule_monitor('cr fire renamed', '* * * * *')").fetchone()[0]
    j_drop = a.execute("SELECT driftmon.schedule_monitor('cr fire dropped', '* * * * *')").fetchone()[0]
    b.execute("SELECT driftmon.alter_monitor('cr fire renamed', new_name => 'cr fire renamed 2')")
    b.execute("SELECT driftmon.drop_monitor('cr fire dropped')")
    deadline = time.monotonic() + 80
    done = None
    while time.monotonic() < deadline:
        done = su.execute("""SELECT jobid, status, return_message FROM cron.job_run_details
            WHERE jobid IN (%s, %s) AND status IN ('succeeded', 'failed') ORDER BY jobid""", (j_ren, j_drop)).fetchall()
        if len({d[0] for d in done}) == 2:
            break
        time.sleep(1)
    st = {d[0]: d[1:] for d in done}
    t.ok(st.get(j_ren, ('',))[0] == 'succeeded', 'pg_cron fired the job of the monitor renamed by another role: succeeded',
         done)
    run = last_run(su, m_ren)
    t.ok(run is not None and run[1:3] == ('cr fire renamed 2', 'succeeded') and run[4] == 'dmcr_a',
         'and recorded a succeeded run under the new name', run)
    # pg_cron notices the job is gone (at commit) while it collects the
    # result, and may then report that last run as 'job canceled'
    t.ok(st.get(j_drop) in (('succeeded', '1 row'), ('failed', 'job canceled')),
         'pg_cron fired the job of the monitor dropped by another role', done)
    t.ok(jobs(su, m_drop) == [], 'and that job removed itself', jobs(su, m_drop))
    t.ok(last_run(su, m_drop) is None, 'recording no run', last_run(su, m_drop))
    a.execute("SELECT driftmon.drop_monitor('cr fire renamed 2')")
    t.ok(jobs(su, m_ren) == [], 'the owner drops the renamed monitor with its job')
    a.close()
    b.close()


def main():
    su = dmtest.connect(DB)
    su.add_notice_handler(lambda d: None)
    setup(su)
    # each section reports its own failure and the next one still runs
    for section in (cross_role, long_and_hostile_names, privileges, no_cron_usage, missing_pg_cron, fires):
        t.run(section, su)
    left = su.execute("SELECT count(*) FROM cron.job WHERE username LIKE 'dmcr%' OR jobname LIKE 'driftmon:cr %'").fetchone()[0]
    t.ok(left == 0, 'no job of this test is left behind', left)
    su.execute("SELECT cron.unschedule(jobid) FROM cron.job WHERE username LIKE 'dmcr%' OR jobname LIKE 'driftmon:cr %'")
    su.close()


t.run(main)
t.done()
