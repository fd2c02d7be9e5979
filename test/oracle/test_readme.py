"""README truth: the documentation against the installed extension.

1. Every ```sql block of README.md is split into statements and run, in
   order, against fixture tables with the names and columns the examples
   use (public.predictions, public.fraud_predictions, feature_log,
   feature_log_long).  A block that raises an error, or
   makes a monitor run fail (run_monitor reports a failed run with a WARNING
   and returns normally), is a bug in the README or in the code.  Blocks that
   need servers this cluster does not have (postgres_fdw shards, PL/Proxy
   clusters, Citus) are skipped with the reason.  Everything runs in database
   driftmon_cron (the one the harness's pg_cron serves, so schedule_monitor
   works) inside one transaction, each block under a savepoint that is
   rolled back: nothing is left behind.
2. The confusion text example round-trips to the same text.
3. Every backticked call in a README reference table, `f(arg type DEFAULT x,
   ...)`, names an installed function or aggregate with an argument count in
   the documented range; argument names, types and defaults written in the
   README match pg_proc.  Every user-facing function, aggregate and type of
   the extension is mentioned in the README (nothing undocumented).
4. The composite result types and the monitor tables / views have exactly
   the fields the README lists.
5. Behavioural claims of the README (NULL / empty side results, the error
   codes of the "NaN, infinity and huge values" table) are spot-checked.
"""
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'lib'))
import dmtest  # noqa: E402

import psycopg  # noqa: E402

README = os.path.join(os.path.dirname(__file__), '..', '..', 'README.md')
t = dmtest.Tap('readme')
with open(README, encoding='utf-8') as f:
    text = f.read()
lines = text.split('\n')


def blocks(lang):
    """(first line number, body) of every fenced block with that info
    string (lang '' = a bare fence)."""
    out, cur, start = [], None, 0
    for i, ln in enumerate(lines, 1):
        if cur is None:
            if ln.startswith('```') and ln[3:].strip() == lang:
                cur, start = [], i
            elif ln.startswith('```'):
                cur, start = False, i
        elif ln.startswith('```'):
            if cur is not False:
                out.append((start, '\n'.join(cur)))
            cur = None
        elif cur is not False:
            cur.append(ln)
    return out


def split_sql(sql):
    """Split a script into statements at top-level semicolons, aware of
    '...' strings, "..." identifiers, $tag$ quotes and -- comments."""
    out, buf, i, n = [], [], 0, len(sql)
    while i < n:
        c = sql[i]
        if c == '-' and sql.startswith('--', i):
            j = sql.find('\n', i)
            i = n if j < 0 else j
            continue
        if c in "'\"":
            j = i + 1
            while j < n:
                if sql[j] == c and sql[j + 1:j + 2] == c:
                    j += 2
                elif sql[j] == c:
                    break
                else:
                    j += 1
            buf.append(sql[i:j + 1])
            i = j + 1
            continue
        m = re.match(r'\$[A-Za-z_]*\$', sql[i:]) if c == '$' else None
        if m:
            tag = m.group(0)
            j = sql.find(tag, i + len(tag))
            j = n if j < 0 else j + len(tag)
            buf.append(sql[i:j])
            i = j
            continue
        if c == ';':
            s = ''.join(buf).strip()
            if s:
                out.append(s)
            buf = []
        else:
            buf.append(c)
        i += 1
    s = ''.join(buf).strip()
    if s:
        out.append(s)
    return out


# ---------------------------------------------------------------- fixtures

FIXTURES = r"""
SET LOCAL search_path = public;
SELECT setseed(0.4242);
CREATE TABLE public.predictions AS
SELECT ts AS logged_at,
       CASE WHEN ts < '2026-06-01' THEN 'v3' ELSE 'v4' END AS model_version,
       round((40000 + 15000 * random())::numeric, 2)::float8
         + CASE WHEN ts >= now() - interval '1 day' THEN 8000 ELSE 0 END AS income,
       (20 + floor(50 * random()))::float8 AS age,
       (ARRAY['north', 'south', 'east', 'west'])[1 + floor(4 * random())::int] AS region,
       (ARRAY['FR', 'DE', 'IT'])[1 + floor(3 * random())::int] AS country,
       random() AS score
FROM generate_series(timestamptz '2026-01-01', now(), interval '90 minutes') ts;
ALTER TABLE public.predictions ADD COLUMN is_fraud boolean, ADD COLUMN predicted boolean;
UPDATE public.predictions
   SET is_fraud = CASE WHEN logged_at > now() - interval '2 days' THEN NULL
                       ELSE random() < score END,
       predicted = score >= 0.5;
CREATE TABLE public.fraud_predictions AS SELECT * FROM public.predictions;
CREATE TABLE public.feature_log AS
SELECT p.logged_at, f.feature,
       CASE f.feature WHEN 'age' THEN p.age ELSE p.income END AS value
FROM public.predictions p CROSS JOIN (VALUES ('age'), ('income')) f(feature);
CREATE TABLE public.feature_log_long AS
SELECT p.model_version, f.feature,
       CASE f.feature WHEN 'age' THEN p.age ELSE p.income END AS value,
       p.logged_at >= now() - interval '7 days' AS is_current
FROM public.predictions p CROSS JOIN (VALUES ('age'), ('income')) f(feature);
"""

# What a block needs beyond the fixtures (run in its savepoint first).
SETUP_PROFILE_HISTORY = r"""
SELECT driftmon.save_baseline('fraud_v3_train',
  'SELECT age, income, region FROM public.fraud_predictions WHERE logged_at < ''2026-02-01''');
SELECT driftmon.create_monitor(name => 'fraud_v3', source => 'public.fraud_predictions',
  time_column => 'logged_at', features => ARRAY['age', 'income', 'region'],
  reference_baseline => 'fraud_v3_train');
SELECT count(*) FROM driftmon.backfill_monitor('fraud_v3', '2026-03-01', '2026-03-15');
"""

SKIP = {
    'CREATE EXTENSION postgres_fdw': 'needs shard servers (tested by test/integration/test_profile_fdw.sh)',
    'CREATE EXTENSION plproxy': 'needs PL/Proxy shard clusters (tested by test/integration/test_profile_fdw.sh)',
    'run_command_on_shards': 'needs a Citus cluster (documented as untested)',
}


def first_error_line(e):
    d = e.diag
    return f"{d.sqlstate}: {d.message_primary} {d.message_detail or ''} {d.message_hint or ''}"


def run_sql_blocks():
    conn = dmtest.connect('driftmon_cron', autocommit=False)
    notices = []
    conn.add_notice_handler(lambda d: notices.append((d.severity_nonlocalized, d.message_primary)))
    # dmtest.connect created the extension; the README's first block creates
    # it again, so start from a database without it (rolled back at the end).
    conn.execute('DROP EXTENSION IF EXISTS driftmon CASCADE')
    conn.execute('DROP SCHEMA IF EXISTS driftmon CASCADE')
    conn.execute('CREATE EXTENSION IF NOT EXISTS pg_cron')
    sqlblocks = blocks('sql')
    t.ok(len(sqlblocks) >= 14, f'README has its sql blocks ({len(sqlblocks)})')
    fixtures_done = False
    for lineno, body in sqlblocks:
        skip = [why for key, why in SKIP.items() if key in body]
        if skip:
            t.ok(True, f'sql block at README.md:{lineno} # SKIP {skip[0]}')
            continue
        if not fixtures_done and 'CREATE EXTENSION driftmon' not in body:
            for s in split_sql(FIXTURES):
                conn.execute(s)
            conn.execute('SAVEPOINT fixtures')
            fixtures_done = True
        conn.execute('SAVEPOINT block')
        prelude = SETUP_PROFILE_HISTORY if 'profile_drift_history' in body else ''
        err = None
        notices.clear()
        for s in split_sql(prelude) + split_sql(body):
            try:
                cur = conn.execute(s)
                if cur.description is not None:
                    rows = cur.fetchall()
                    if os.environ.get('DM_README_DEBUG'):
                        print(f'# {s[:70]!r}: {len(rows)} rows {rows[:2]!r}'[:400])
            except psycopg.Error as e:
                err = f'{s}\n-> {first_error_line(e)}'
                break
        if err is None:
            bad = conn.execute(
                "SELECT string_agg(format('%s run %s %s: %s', monitor_name, run_id, status, error), E'\\n') "
                "FROM driftmon.runs WHERE status <> 'succeeded'").fetchone()[0] \
                if conn.execute("SELECT to_regclass('driftmon.runs')").fetchone()[0] else None
            warn = [m for sev, m in notices if sev == 'WARNING']
            if bad or warn:
                err = f'monitor runs not succeeded: {bad} {warn}'
        t.ok(err is None, f'sql block at README.md:{lineno} runs without error', err)
        conn.execute('ROLLBACK TO SAVEPOINT block')
        if 'CREATE EXTENSION driftmon' in body and not fixtures_done:
            conn.execute('RELEASE SAVEPOINT block')
            conn.execute('CREATE EXTENSION IF NOT EXISTS driftmon')
    monitor_claims(conn)
    conn.rollback()
    conn.close()


def monitor_claims(conn):
    """Claims of the Monitors tables, on the fixtures (pg_cron installed)."""
    def step(sql, *args):
        conn.execute('SAVEPOINT claim')
        try:
            cur = conn.execute(sql, args)
            r = cur.fetchone() if cur.description is not None else None
            conn.execute('RELEASE SAVEPOINT claim')
            return r, None
        except psycopg.Error as e:
            conn.execute('ROLLBACK TO SAVEPOINT claim')
            return None, e.sqlstate

    conn.execute('SAVEPOINT claims')
    step("SELECT driftmon.create_monitor(name => 'claims', source => 'public.predictions', "
         "time_column => 'logged_at', features => ARRAY['income'])")
    r, e = step("SELECT driftmon.unschedule_monitor('claims')")
    t.ok(r == (False,), 'unschedule_monitor: false when there was no job', f'{r} {e}')
    r, e = step("SELECT driftmon.schedule_monitor('claims', '0 * * * *') > 0, "
                "driftmon.unschedule_monitor('claims')")
    t.ok(r == (True, True), 'schedule_monitor returns the job id; unschedule_monitor true', f'{r} {e}')
    r, e = step("SELECT driftmon.drop_check('claims', 'none')")
    t.ok(e == '42704', 'drop_check of a missing check: 42704', f'{r} {e}')
    r, e = step("SELECT driftmon.add_check('claims', 'two', 'SELECT 1 AS metric; SELECT 2')")
    t.ok(e is not None, 'add_check refuses a ;', f'{r} {e}')
    # an empty window (the future) records a skipped run with no results
    r, e = step("SELECT driftmon.run_monitor('claims', now() + interval '10 days')")
    r, e = step("SELECT r.status, (SELECT count(*) FROM driftmon.results x WHERE x.run_id = r.run_id) "
                "FROM driftmon.runs r WHERE r.run_id = %s", r and r[0])
    t.ok(r == ('skipped', 0), 'an empty current window: a skipped run with no results', f'{r} {e}')
    r, e = step("SELECT driftmon.run_monitor('claims', date_trunc('day', now()))")
    r, e = step("SELECT status, n_current > 0 FROM driftmon.runs WHERE run_id = %s", r and r[0])
    t.ok(r == ('succeeded', True), 'a run over yesterday succeeds', f'{r} {e}')
    r, e = step("UPDATE driftmon.runs SET error = 'x'")
    t.ok(e == '55000', 'runs is append-only: UPDATE refused with 55000', f'{r} {e}')
    r, e = step("DELETE FROM driftmon.results")
    t.ok(e == '55000', 'results is append-only: DELETE refused with 55000', f'{r} {e}')
    r, e = step("SELECT driftmon.purge_history(NULL, now() + interval '30 days')")
    r, e = step("SELECT %s::bigint, (SELECT count(*) FROM driftmon.runs), "
                "(SELECT sum(runs_removed) FROM driftmon.purge_log)", r and r[0])
    t.ok(r == (2, 0, 2), 'purge_history(NULL, ...) purges every monitor and logs it', f'{r} {e}')
    r, e = step("SELECT driftmon.drop_monitor('claims'), driftmon.drop_monitor('claims', if_exists => true)")
    t.ok(r == (True, False), 'drop_monitor: true, then false with if_exists', f'{r} {e}')
    r, e = step("SELECT driftmon.drop_monitor('claims')")
    t.ok(e == '42704', 'drop_monitor of a missing monitor: 42704', f'{r} {e}')
    # the metrics of a run are those of the README's "kind | metric" table
    def table_metrics(prefix):
        row = next(ln for ln in lines if ln.startswith('| ' + prefix))
        return set(re.findall(r'`(\w+)`', row.split('|')[2]))
    want_num, want_cat = table_metrics('numeric | `ks`') | table_metrics('numeric | `psi`') | \
        table_metrics('numeric | `wasserstein'), table_metrics('categorical | `chi2`') | \
        table_metrics('categorical | `js') | table_metrics('categorical | `psi`')
    want_cls = table_metrics('quality (label + prediction')
    want_reg = table_metrics('quality (numeric label')
    want_score = table_metrics('quality (label + score)')
    step("CREATE TABLE public.claims_src AS SELECT logged_at, income, region, is_fraud, predicted, score, "
         "income / 1000 AS y, income / 1000 + age / 10 AS yhat, is_fraud::int AS fraud_int "
         "FROM public.predictions WHERE logged_at < now() - interval '3 days'")
    for name, args, want in [
            ('claims_cls', "prediction => 'predicted', label => 'is_fraud', score => 'score'",
             {('income', m) for m in want_num} | {('region', m) for m in want_cat}
             | {('predicted', m) for m in want_cls} | {('score', m) for m in want_score}),
            ('claims_reg', "prediction => 'yhat', label => 'y'",
             {('income', m) for m in want_num} | {('region', m) for m in want_cat}
             | {('yhat', m) for m in want_reg}),
            ('claims_int', "score => 'score', label => 'fraud_int'",
             {('income', m) for m in want_num} | {('region', m) for m in want_cat}
             | {('score', m) for m in want_score})]:
        r, e = step(f"SELECT driftmon.create_monitor(name => '{name}', source => 'public.claims_src', "
                    f"time_column => 'logged_at', features => ARRAY['income', 'region'], {args}, "
                    f"reference => tstzrange('2026-01-01', '2026-04-01'))")
        r, e = step(f"SELECT driftmon.run_monitor('{name}', '2026-06-01')")
        got = conn.execute("SELECT feature, metric, value FROM driftmon.results WHERE run_id = %s",
                           (r and r[0],)).fetchall() if r else []
        t.ok({(f, m) for f, m, _ in got} == want,
             f'{name}: a run computes exactly the metrics of the README table',
             f'{e} missing {sorted(want - {(f, m) for f, m, _ in got})} '
             f'extra {sorted({(f, m) for f, m, _ in got} - want)}')
        t.ok(got and all(v is not None for f, m, v in got if m != 'cohen_kappa'),
             f'{name}: every metric has a value', got)
    conn.execute('ROLLBACK TO SAVEPOINT claims')


# ---------------------------------------------------------------- signatures

def split_top(s, sep=','):
    """Split at top-level separators (outside parentheses and quotes)."""
    out, depth, buf, q = [], 0, '', None
    for ch in s:
        if q:
            q = None if ch == q else q
        elif ch in "'\"":
            q = ch
        elif ch == '(':
            depth += 1
        elif ch == ')':
            depth -= 1
        elif ch == sep and depth == 0:
            out.append(buf)
            buf = ''
            continue
        buf += ch
    out.append(buf)
    return [x.strip() for x in out if x.strip()]


TYPE_ALIASES = {'float8': 'double precision', 'int': 'integer', 'bool': 'boolean',
                'timestamptz': 'timestamp with time zone', 'int8': 'bigint'}

# The README writes the aggregates' arguments by name only: these are their types.
UNTYPED = {'value': 'double precision', 'is_current': 'boolean', 'category': 'text'}


def doc_calls():
    """(line, name, [(argname, argtype, default, optional)]) of every
    backticked call in the first cell of a reference table row."""
    out = []
    for i, ln in enumerate(lines, 1):
        if not ln.startswith('| `'):
            continue
        cell = ln.split('|')[1]
        for snip in re.findall(r'`([^`]*)`', cell):
            m = re.match(r'^(\w+)\((.*)\)$', snip.strip())
            if not m:
                continue
            name, argtext = m.groups()
            args, depth = [], 0
            # '[' opens optional arguments: mark each argument by the bracket
            # depth at its start, then drop the brackets.
            argtext = re.sub(r'(?<!\[)\]', '', re.sub(r'\[(?=\s*,)', ',[', argtext))
            for part in split_top(argtext):
                opt = part.startswith('[')
                part = part.lstrip('[').strip()
                depth = depth or opt
                if not part:
                    continue
                dflt = None
                mm = re.match(r'^(.*?)\s+DEFAULT\s+(.*)$', part)
                if mm:
                    part, dflt = mm.groups()
                args.append((part.split(), dflt, bool(depth)))
            out.append((i, name, args))
    return out


def check_signatures(conn):
    procs = {}
    for r in conn.execute(
            "SELECT p.oid, p.proname, p.prokind, p.pronargs, p.pronargdefaults, "
            "coalesce(p.proargnames, '{}'), "
            "array(SELECT format_type(t, NULL) FROM unnest(p.proargtypes) t) "
            "FROM pg_proc p WHERE p.pronamespace = 'driftmon'::regnamespace").fetchall():
        procs.setdefault(r[1], []).append(r)

    def as_type(tok):
        if tok == 'T' or tok == 'name':
            return None
        tok = TYPE_ALIASES.get(tok.rstrip('[]'), tok.rstrip('[]')) + ('[]' if tok.endswith('[]') else '')
        for q in (tok, 'driftmon.' + tok):
            try:
                r = conn.execute("SELECT format_type(to_regtype(%s), NULL)", (q,)).fetchone()[0]
            except psycopg.Error:
                r = None
            if r:
                return r
        return None

    calls = doc_calls()
    t.ok(len(calls) > 90, f'README reference tables document {len(calls)} calls')
    for line, name, args in calls:
        where = f'README.md:{line} {name}({", ".join(" ".join(a[0]) for a in args)})'
        cands = procs.get(name, [])
        if not cands:
            t.ok(False, f'{where}: exists', 'no such function in schema driftmon')
            continue
        parsed = []
        for toks, dflt, opt in args:
            if len(toks) == 1:
                ty = as_type(toks[0])
                # an untyped aggregate argument of the usual names
                parsed.append((None, ty, dflt, opt) if ty else
                              (toks[0], UNTYPED.get(toks[0]), dflt, opt))
            else:
                parsed.append((toks[0], as_type(' '.join(toks[1:])), dflt, opt))
        nmin = sum(1 for a in parsed if not a[3])
        problems = []
        for k in range(nmin, len(parsed) + 1):
            want = parsed[:k]
            hits = [p for p in cands
                    if p[3] - p[4] <= k <= p[3]
                    and all(w[1] is None or w[1] == p[6][j] for j, w in enumerate(want))]
            if not hits:
                problems.append(f'no {name} taking {k} argument(s) of types '
                                f'{[w[1] for w in want]}; installed: '
                                + '; '.join(f'{p[1]}({", ".join(p[6])})' for p in cands))
                continue
            # some overload of that arity must match every documented name
            # and default
            why = []
            for p in hits:
                bad = []
                for j, (an, ty, dflt, opt) in enumerate(want):
                    pg_name = p[5][j] if j < len(p[5]) else ''
                    if an and pg_name and not pg_name.startswith(an):
                        bad.append(f'argument {j + 1} is named {pg_name!r}, README says {an!r}')
                    if dflt is not None and j >= p[3] - p[4]:
                        pg_dflt = conn.execute('SELECT pg_get_function_arg_default(%s, %s)',
                                               (p[0], j + 1)).fetchone()[0]
                        same = conn.execute(
                            f'SELECT ({dflt})::{p[6][j]} IS NOT DISTINCT FROM ({pg_dflt})'
                        ).fetchone()[0]
                        if not same:
                            bad.append(f'{an} DEFAULT is {pg_dflt}, README says {dflt}')
                if not bad:
                    break
                why += bad
            else:
                problems += why
        t.ok(not problems, f'{where}: signature as documented', '\n'.join(sorted(set(problems))))


def check_coverage(conn):
    """Every user-facing function, aggregate and type is in the README."""
    support = {r[0] for r in conn.execute(r"""
        SELECT p.proname FROM pg_proc p
        WHERE p.pronamespace = 'driftmon'::regnamespace AND (
              p.oid IN (SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn,
                                            aggserialfn, aggdeserialfn]::oid[])
                        FROM pg_aggregate)
           OR p.oid IN (SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend]::oid[])
                        FROM pg_type)
           OR p.prorettype = 'trigger'::regtype)""").fetchall()}
    names = [r[0] for r in conn.execute(
        "SELECT DISTINCT proname FROM pg_proc WHERE pronamespace = 'driftmon'::regnamespace "
        "ORDER BY 1").fetchall()]
    helpers = text[text.index('Helpers used by the above'):]
    helpers = set(re.findall(r'`(\w+)`', helpers[:helpers.index('not a stable API')]))
    for name in names:
        if name in support:
            continue
        if name in helpers:
            t.ok(True, f'helper {name} listed as a helper')
            continue
        t.ok(re.search(rf'`{name}\(', text) is not None,
             f'function {name} is documented in a README table or text')
    for (typ, kind) in conn.execute(
            "SELECT typname, typtype FROM pg_type WHERE typnamespace = 'driftmon'::regnamespace "
            "AND typtype IN ('b', 'c', 'e', 'd') AND typname NOT LIKE '\\_%' "
            "AND (typtype <> 'c' OR typrelid IN (SELECT oid FROM pg_class WHERE relkind = 'c')) "
            "ORDER BY 1").fetchall():
        t.ok(f'`{typ}`' in text or f'`{typ}(' in text,
             f'type {typ} ({kind}) is documented in the README')
    for (rel, kind) in conn.execute(
            "SELECT relname, relkind FROM pg_class WHERE relnamespace = 'driftmon'::regnamespace "
            "AND relkind IN ('r', 'v', 'm') ORDER BY 1").fetchall():
        t.ok(f'`{rel}`' in text or f'driftmon.{rel}' in text,
             f'relation {rel} ({kind}) is documented in the README')


def strip_parens(x):
    """Remove parenthesised asides (nested) from a column list."""
    while True:
        y = re.sub(r'\([^()]*\)', '', x)
        if y == x:
            return x
        x = y


def check_fields(conn):
    """Composite results and monitor tables have the fields the README lists."""
    def cols(rel):
        return [r[0] for r in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
            "AND attnum > 0 AND NOT attisdropped ORDER BY attnum", (f'driftmon.{rel}',)).fetchall()]

    # composite results listed as one backticked, comma-separated field list
    for typ, anchor in [('classification_metrics_result', '| `classification_metrics(y_true T'),
                        ('binary_metrics_result', '| `binary_metrics('),
                        ('regression_metrics_result', '| `regression_metrics('),
                        ('categorical_drift_result', '| `categorical_drift(category, is_current)`')]:
        row = next(ln for ln in lines if ln.startswith(anchor))
        listed = next(x for x in re.findall(r'`([^`]*)`', row.split('|')[3]) if ',' in x)
        t.ok([c.strip() for c in listed.split(',')] == cols(typ),
             f'{typ}: README lists its fields in order', f'README {listed}\ninstalled {cols(typ)}')
    row = next(ln for ln in lines if ln.startswith('| `chi2_test(category, is_current)`'))
    listed = re.search(r'chi2_result\(([^`]*)\)`', row).group(1)
    t.ok([c.split()[0] for c in listed.split(',')] == cols('chi2_result'),
         'chi2_result: README lists its fields in order', listed)
    # ks_result and numeric_drift_result are described in prose
    para = text[text.index('`ks_result`: '):text.index('```sql', text.index('`ks_result`: '))]
    for typ in ('ks_result', 'numeric_drift_result'):
        for c in cols(typ):
            base = re.sub(r'_(reference|current)$', '', c)
            t.ok(f'`{c}`' in para or f'`{base}`' in para or f'`{c}' in para,
                 f'{typ}.{c} is described under the numeric drift table')
    # tables and views: the rows of the "object | columns" table
    start = lines.index('| object | columns |')
    for ln in lines[start + 2:]:
        if not ln.startswith('|'):
            break
        m = re.match(r'\| `(\w+)` \((table|view)[^)]*\) \| (.*) \|$', ln)
        rel, kind, listed = m.groups()
        if listed.startswith('the ') and 'same' in listed:
            continue        # quality_history: "the same for ..."
        listed = [re.sub(r'[\s:].*$', '', c.strip()) for c in strip_parens(listed).split(',')]
        listed = [c for c in listed if c and re.match(r'^\w+$', c)]
        want = cols(rel)
        if rel == 'monitor_list':   # "the live monitors' configuration, ..."
            missing = [c for c in listed if c not in want and c != 'the']
            t.ok(not missing, f'{rel}: every column the README names exists', str(missing))
            continue
        t.ok(listed == want, f'{rel}: README lists its columns in order',
             f'README {listed}\ninstalled {want}')
    for rel in ('baselines', 'baseline_profiles'):
        m = re.search(rf'`driftmon\.{rel} \(([^)]*)\)`', text)
        t.ok(m is not None and [c.strip() for c in m.group(1).split(',')] == cols(rel),
             f'{rel}: README lists its columns in order', m and m.group(1))
    m = re.search(r'`driftmon\.run_profiles \(([^)]*)\)`', text.replace('\n', ' '))
    t.ok(m is not None and [c.strip() for c in m.group(1).split(',')] == cols('run_profiles'),
         'run_profiles: the Drift profiles section lists its columns', m and m.group(1))



def check_claims(conn):
    """Behavioural claims of the README, each with a hand-worked or
    independent (numpy / scipy) expected value."""
    import math
    import numpy as np
    from scipy import stats

    def one(sql, *args):
        return conn.execute(sql, args).fetchone()

    def state(sql, *args):
        try:
            conn.execute(sql, args).fetchall()
            return None
        except psycopg.Error as e:
            return e.sqlstate

    def errcode(sql, want, name):
        got = state(sql)
        t.ok(got == want, f'{name}: error {want}', f'got {got}')

    # the confusion text example of the Model quality section round-trips
    ex = blocks('')
    conf = [b for _, b in ex if b.startswith('{"version":1,"kind"')]
    t.ok(len(conf) == 1, 'README shows one confusion text example')
    if conf:
        got = one('SELECT %s::driftmon.confusion::text', conf[0].strip())[0]
        t.ok(got == conf[0].strip(), 'confusion text example round-trips unchanged', got)
        spaced = conf[0].strip().replace(',', ' , ').replace(':', ' : ')
        got = one('SELECT %s::driftmon.confusion::text', spaced)[0]
        t.ok(got == conf[0].strip(), 'confusion text input accepts whitespace between tokens', got)

    # numeric drift: empty side, one value, NULL array, counts
    r = one("SELECT (driftmon.ks_test(ARRAY[1,2]::float8[], ARRAY[]::float8[])).*")
    t.ok(r == (None, None, None, None, 2, 0, None),
         'ks_test empty side: NULL statistic, p_value, location, sign, method; counts', r)
    r = one("SELECT driftmon.psi_agg(ARRAY[1,2]::float8[], ARRAY[]::float8[]), "
            "driftmon.js_divergence(ARRAY[1,2]::float8[], ARRAY[NULL]::float8[]), "
            "driftmon.wasserstein_agg(ARRAY[1,2]::float8[], ARRAY['NaN']::float8[])")
    t.ok(r == (None, None, None), 'psi_agg, js_divergence, wasserstein_agg: NULL for an empty side', r)
    r = one("SELECT (d).std_reference, (d).wasserstein_normed, (d).n_reference, (d).mean_current "
            "FROM (SELECT driftmon.numeric_drift(ARRAY[1]::float8[], ARRAY[]::float8[]) d) s")
    t.ok(r == (None, None, 1, None), 'numeric_drift: one value gives NULL std and wasserstein_normed; empty side NULL', r)
    r = one("SELECT driftmon.ks_test(NULL::float8[], ARRAY[1]::float8[]) IS NULL, "
            "driftmon.psi_agg(ARRAY[1]::float8[], NULL::float8[]) IS NULL")
    t.ok(r == (True, True), 'a NULL array gives NULL', r)
    r = one("SELECT (d).n_reference, (d).nulls_reference, (d).nonfinite_reference FROM ("
            "SELECT driftmon.numeric_drift(ARRAY[1,NULL,'NaN','Infinity','-Infinity',3]::float8[], "
            "ARRAY[2]::float8[]) d) s")
    t.ok(r == (2, 1, 3), 'NULL elements counted in nulls, NaN/+-Infinity in nonfinite', r)
    r = one("SELECT (d).nulls_current, (d).n_current FROM (SELECT driftmon.numeric_drift(v, f) d "
            "FROM (VALUES (1::float8, false), (NULL, true), (2, true), (5, NULL)) x(v, f)) s")
    t.ok(r == (1, 1), 'aggregate: NULL value counted, NULL flag skipped', r)
    r = one("SELECT (d).mean_reference, (d).std_reference FROM (SELECT driftmon.numeric_drift("
            "ARRAY[0.1,0.1,0.1]::float8[], ARRAY[1]::float8[]) d) s")
    t.ok(r == (0.1, 0.0), 'three copies of 0.1 have mean 0.1 and std 0 exactly', r)
    # KS claims of "Where we differ from scipy"
    r = one("SELECT (k).p_value, (k).method FROM (SELECT driftmon.ks_test(ARRAY[1]::float8[], "
            "ARRAY[2]::float8[], 'two-sided', 'asymp') k) s")
    t.ok(r == (1.0, 'exact'), 'one value each with asymp: exact p-value 1, method exact', r)
    r = one("SELECT (k).statistic, (k).p_value FROM (SELECT driftmon.ks_test("
            "ARRAY[1,2,3,4,5,6,7]::float8[], ARRAY[1.5,2.5,3.5,4.5,5.5,6.5,7.5]::float8[]) k) s")
    t.ok(r == (1 / 7, 1.0), 'equal sizes and D = 1/n: p is exactly 1', r)
    # ks_result as ks_2samp(reference, current); sign +1: current values larger
    for a, b in [([1, 2, 3], [4, 5, 6]), ([4, 5, 6, 7], [1, 2, 3])]:
        k = stats.ks_2samp(a, b)
        r = one("SELECT (k).statistic, (k).p_value, (k).statistic_location, (k).statistic_sign, (k).method "
                "FROM (SELECT driftmon.ks_test(%s::float8[], %s::float8[]) k) s", a, b)
        t.ok(r[0] == k.statistic and abs(r[1] - k.pvalue) <= 1e-15 * k.pvalue
             and r[2] == k.statistic_location and r[3] == k.statistic_sign and r[4] == 'exact',
             f'ks_test({a}, {b}) = scipy ks_2samp (statistic, p, location, sign {k.statistic_sign})', r)
    # quantile binning as the README's numpy recipe
    rng = np.random.default_rng(7)
    ref, cur = rng.normal(size=300), rng.normal(0.3, 1.2, size=200)
    cuts = np.unique(np.quantile(ref, np.arange(1, 10) / 10))
    pr = np.bincount(np.searchsorted(cuts, ref, 'left'), minlength=len(cuts) + 1) / len(ref)
    pc = np.bincount(np.searchsorted(cuts, cur, 'left'), minlength=len(cuts) + 1) / len(cur)
    pr, pc = np.where(pr == 0, 1e-4, pr), np.where(pc == 0, 1e-4, pc)
    want = float(np.sum((pc - pr) * np.log(pc / pr)))
    got = one('SELECT driftmon.psi_agg(%s::float8[], %s::float8[])', list(ref), list(cur))[0]
    t.close(got, want, 1e-12, "psi_agg equals the README's numpy recipe (quantile cuts, searchsorted 'left')")
    got = one("SELECT driftmon.psi_agg(%s::float8[], %s::float8[], 2, 'sturges') = "
              "driftmon.psi_agg(%s::float8[], %s::float8[], 10000, 'sturges')",
              list(ref), list(cur), list(ref), list(cur))[0]
    t.ok(got is True, "'sturges' ignores bins")
    errcode("SELECT driftmon.psi_agg(ARRAY[1,2]::float8[], ARRAY[1]::float8[], 1, 'sturges')",
            '22023', "'sturges' still validates bins")
    e = np.histogram_bin_edges(np.array([3.0, 3.0, 3.0]), 10)
    t.ok(e[0] == 2.5 and e[-1] == 3.5, "numpy's constant-feature range is [v - 0.5, v + 0.5]")

    # numeric parameters (the NaN table's second row)
    errcode("SELECT driftmon.psi_agg(v, b, NULL::int) FROM (VALUES (1::float8, true)) x(v, b)",
            '22004', 'psi_agg: NULL bins')
    errcode("SELECT driftmon.ks_test(v, b, NULL::text) FROM (VALUES (1::float8, true)) x(v, b)",
            '22004', 'ks_test: NULL alternative')
    errcode("SELECT driftmon.psi_agg(v, b, 10001) FROM (VALUES (1::float8, true)) x(v, b)",
            '22023', 'psi_agg: bins outside 2..10000')
    errcode("SELECT driftmon.ks_test(v, b, 'two-sided', 'fast') FROM (VALUES (1::float8, true)) x(v, b)",
            '22023', 'ks_test: unknown method')
    errcode("SELECT driftmon.psi_agg(v, b, 10, 'equal') FROM (VALUES (1::float8, true)) x(v, b)",
            '22023', 'psi_agg: unknown binning')
    errcode("SELECT driftmon.psi_agg(v, b, i) FROM (VALUES (1::float8, true, 3), (2, false, 4)) x(v, b, i)",
            '22023', 'psi_agg: a parameter that changes between rows')
    # ... whatever the plan: with partial aggregates (partitionwise here, as
    # in parallel plans) each partial state may see only one of the values
    conn.execute("DROP TABLE IF EXISTS readme_pt")
    conn.execute("CREATE TEMP TABLE readme_pt (v float8, b boolean, i int) PARTITION BY LIST (i)")
    conn.execute("CREATE TEMP TABLE readme_pt3 PARTITION OF readme_pt FOR VALUES IN (3)")
    conn.execute("CREATE TEMP TABLE readme_pt4 PARTITION OF readme_pt FOR VALUES IN (4)")
    conn.execute("INSERT INTO readme_pt SELECT x, x % 2 = 0, 3 FROM generate_series(1, 20) x "
                 "UNION ALL SELECT x + 0.5, x % 3 = 0, 4 FROM generate_series(1, 20) x")
    conn.execute("SET enable_partitionwise_aggregate = on")
    plan = '\n'.join(r[0] for r in conn.execute(
        "EXPLAIN (COSTS OFF) SELECT driftmon.psi_agg(v, b, i) FROM readme_pt").fetchall())
    t.ok('Partial Aggregate' in plan, 'partitionwise plan has partial aggregates', plan)
    for agg, arg in [('psi_agg', 'i'), ('js_divergence', 'i'), ('psi_agg', "10, CASE i WHEN 3 THEN 'uniform' ELSE 'quantile' END"),
                     ('ks_test', "CASE i WHEN 3 THEN 'less' ELSE 'greater' END"),
                     ('ks_test', "'two-sided', CASE i WHEN 3 THEN 'exact' ELSE 'asymp' END")]:
        errcode(f"SELECT driftmon.{agg}(v, b, {arg}) FROM readme_pt", '22023',
                f'{agg}(v, b, {arg[:40]}) over partial aggregates: a changing parameter')
    r = one("SELECT driftmon.psi_agg(v, b, 3) FROM readme_pt")[0]
    conn.execute("SET enable_partitionwise_aggregate = off")
    r2 = one("SELECT driftmon.psi_agg(v, b, 3) FROM readme_pt")[0]
    t.ok(r == r2 and r is not None, 'a constant parameter over partial aggregates: the serial result', f'{r} {r2}')
    conn.execute("DROP TABLE readme_pt")
    r = one("SELECT driftmon.psi_agg(v, b, 1) FROM (VALUES (1::float8, true)) x(v, b) WHERE false")
    t.ok(r == (None,), 'a group with no row never checks its parameters', r)
    errcode("SELECT driftmon.wasserstein_agg(ARRAY[-1e308]::float8[], ARRAY[1.7e308]::float8[])",
            '22003', 'wasserstein beyond the float8 range')

    # categorical
    r = one("SELECT (c).n_categories FROM (SELECT driftmon.categorical_drift("
            "ARRAY['a', 'A', 'a ', 'é'], ARRAY['a']) c) s")
    t.ok(r == (4,), "'a', 'A', 'a ' and 'é' are four categories", r)
    r = one("SELECT (driftmon.chi2_test(ARRAY['a','a'], ARRAY['a'])).*")
    t.ok(r == (0.0, 1.0, 0, 2, 1, 1), 'one category on both sides: statistic 0, p 1, dof 0', r)
    r = one("SELECT (c).psi, (c).js_divergence, (c).total_variation, (c).hellinger, (c).kl_divergence, "
            "(c).linf FROM (SELECT driftmon.categorical_drift(ARRAY['a','a'], ARRAY['a']) c) s")
    t.ok(r == (0, 0, 0, 0, 0, 0), 'one category on both sides: divergences 0', r)
    r = one("SELECT (driftmon.chi2_test(c, b)).* FROM (VALUES ('a', true)) v(c, b) WHERE false")
    t.ok(r == (None, None, None, 0, 0, 0), 'chi2_test over no row returns a row of NULL statistics', r)
    r = one("SELECT driftmon.category_counts(c, b)::text FROM (VALUES ('a', true)) v(c, b) WHERE false")[0]
    t.ok(r == '{"version":1,"n_reference":0,"n_current":0,"missing_reference":0,"missing_current":0,"categories":[]}',
         'category_counts over no row: an empty summary', r)
    r = one("SELECT driftmon.category_counts(c, b)::text FROM (VALUES (E'q\"b\\\\s', false), "
            "(E'\\x01', true), (NULL, true), ('é', false)) v(c, b)")[0]
    t.ok(r == '{"version":1,"n_reference":2,"n_current":1,"missing_reference":0,"missing_current":1,'
              '"categories":[["\\u0001",0,1],["q\\"b\\\\s",1,0],["é",1,0]]}',
         'category_counts text form: key order, escapes, bytewise order', r)
    r = one("SELECT (c).top_mover, (c).top_mover_delta FROM (SELECT driftmon.categorical_drift("
            "ARRAY['b','a'], ARRAY['d','c']) c) s")
    t.ok(r == ('a', -0.5), 'top_mover ties: smallest by bytes; delta p_current - p_reference', r)
    r = one("SELECT (c).top_mover FROM (SELECT driftmon.categorical_drift_counts("
            "ARRAY[2,1,1]::float8[], ARRAY[1,2,1]::float8[]) c) s")
    t.ok(r == ('1',), 'categorical_drift_counts without names: 1-based position, first bin on ties', r)
    tab = [[10, 5], [3, 12]]
    st, pv, dof, _ = stats.chi2_contingency(tab)
    r = one("SELECT (driftmon.chi2_test_counts(ARRAY[10,5]::float8[], ARRAY[3,12]::float8[])).*")
    t.close(r[0], st, 1e-13, 'chi2 with dof 1 applies Yates as scipy (statistic)')
    t.close(r[1], pv, 1e-13, 'chi2 with dof 1 applies Yates as scipy (p-value)')
    r2 = one("SELECT (driftmon.chi2_test_counts(ARRAY[10,0,5]::float8[], ARRAY[3,0,12]::float8[])).*")
    t.ok(r2 == r, 'a bin empty on both sides is ignored by the chi-square test', f'{r2} vs {r}')
    errcode("SELECT driftmon.psi_counts(ARRAY[1,NULL]::float8[], ARRAY[1,2]::float8[])", '22004',
            'histogram form: NULL element')
    errcode("SELECT driftmon.psi_counts(ARRAY[1,'NaN']::float8[], ARRAY[1,2]::float8[])", '22023',
            'histogram form: NaN count')
    errcode("SELECT driftmon.js_divergence_counts(ARRAY[1,-1]::float8[], ARRAY[1,2]::float8[])", '22023',
            'histogram form: negative count')
    errcode("SELECT driftmon.chi2_test_counts(ARRAY[1,'Infinity']::float8[], ARRAY[1,2]::float8[])", '22023',
            'histogram form: infinite count')
    errcode("SELECT driftmon.psi_counts(ARRAY[1e19,1]::float8[], ARRAY[1,2]::float8[])", '22003',
            'histogram form: total beyond bigint')
    errcode("SELECT driftmon.chi2_test_counts(ARRAY[5e-324,1]::float8[], ARRAY[0,1]::float8[])", '22003',
            'chi-square expected count underflowing to 0')
    r = one("SELECT driftmon.psi_counts(ARRAY[0,0]::float8[], ARRAY[1,2]::float8[]), "
            "(driftmon.chi2_test_counts(ARRAY[0,0]::float8[], ARRAY[1,2]::float8[])).statistic")
    t.ok(r == (None, None), 'histogram form: an all-zero side gives NULL statistics', r)
    r = one("SELECT (driftmon.chi2_test_counts(ARRAY[1.4,2]::float8[], ARRAY[2.6,1]::float8[])).n_reference")
    t.ok(r == (3,), 'histogram form: n_reference is the total rounded to bigint', r)

    r = one("SELECT (driftmon.ks_test(v, b)).n_reference, (driftmon.numeric_drift(v, b)).n_current, "
            "(driftmon.categorical_drift(c, b)).n_reference, driftmon.psi_agg(v, b) "
            "FROM (VALUES (1::float8, 'a', true)) x(v, c, b) WHERE false")
    t.ok(r == (0, 0, 0, None), 'drift aggregates over no row: rows with zero counts (psi_agg NULL)', r)
    r = one("SELECT driftmon.rollup(c)::text FROM (VALUES (%s::driftmon.category_counts), (NULL)) v(c)",
            '{"version":1,"n_reference":1,"n_current":0,"missing_reference":0,"missing_current":0,'
            '"categories":[["a",1,0]]}')[0]
    t.ok(r is not None and '"n_reference":1,' in r, 'rollup(category_counts) skips NULLs', r)
    big = ('{"version":1,"n_reference":6000000000000000000,"n_current":0,"missing_reference":0,'
           '"missing_current":0,"categories":[["a",6000000000000000000,0]]}')
    errcode(f"SELECT driftmon.rollup(c) FROM (VALUES ('{big}'::driftmon.category_counts), ('{big}')) v(c)",
            '22003', 'rollup(category_counts): counts beyond bigint')
    bigc = '{"version":1,"kind":"bigint","skipped":0,"labels":[1],"cells":[[0,0,6000000000000000000]]}'
    errcode(f"SELECT driftmon.rollup(c) FROM (VALUES ('{bigc}'::driftmon.confusion), ('{bigc}')) v(c)",
            '22003', 'rollup(confusion): counts beyond bigint')
    rows = conn.execute("SELECT category, psi_contribution FROM driftmon.category_table(%s)",
                        ('{"version":1,"n_reference":4,"n_current":4,"missing_reference":0,"missing_current":0,'
                         '"categories":[["a",1,2],["b",2,1],["c",1,1]]}',)).fetchall()
    t.ok([c for c, _ in rows] == ['a', 'b', 'c'] and abs(rows[0][1] - 0.25 * math.log(2)) < 1e-16
         and rows[2][1] == 0, 'category_table: largest PSI contribution first, ties by bytes', rows)

    r = one("SELECT (c).n_current, (c).missing_current, (c).chi2_statistic, (c).psi, (c).n_vanished, "
            "(c).vanished_share FROM (SELECT driftmon.categorical_drift(ARRAY['a','b'], ARRAY[NULL]::text[]) c) s")
    t.ok(r == (0, 1, None, None, 2, 1.0), 'categorical: a side without a category: NULL test and divergences, '
         'missing counted, vanished share 1', r)
    r = one("SELECT driftmon.reference_profile(v, b)::text = (driftmon.profile_agg(v) FILTER (WHERE b IS FALSE))::text, "
            "driftmon.current_profile(v, b)::text = (driftmon.profile_agg(v) FILTER (WHERE b))::text, "
            "driftmon.current_profile(c, b)::text = (driftmon.profile_agg(c) FILTER (WHERE b))::text "
            "FROM (VALUES (1::float8, 'a', false), (NULL, NULL, false), ('NaN', 'b', true), (2, 'a', NULL), "
            "(3, NULL, true), (NULL, 'c', true)) x(v, c, b)")
    t.ok(r == (True, True, True), 'reference_profile / current_profile equal profile_agg FILTER (exact mode)', r)

    # quality
    r = one("SELECT driftmon.precision(c, 'true'), driftmon.recall(c, 'false') FROM (SELECT "
            "driftmon.confusion_agg(a, b) c FROM (VALUES (true, true), (true, false), (false, true)) v(a, b)) s")
    t.ok(r == (0.5, 0.0), "precision(c, 'true') / recall(c, 'false') of boolean labels", r)
    r = one("SELECT driftmon.precision(c, '42') FROM (SELECT driftmon.confusion_agg(a, b) c FROM "
            "(VALUES (42::bigint, 42::bigint), (7, 42)) v(a, b)) s")
    t.ok(r == (0.5,), "precision(c, '42') of bigint labels", r)
    r = one("SELECT driftmon.classification_metrics(c, c) IS NULL, driftmon.roc_auc(1, true) IS NULL "
            "FROM (VALUES ('a')) v(c) WHERE false")
    t.ok(r == (True, True), 'quality aggregates over no row: NULL', r)
    r = one("SELECT (m).n, (m).accuracy, (m).n_skipped FROM (SELECT driftmon.classification_metrics("
            "c, NULL::text) m FROM (VALUES ('a')) v(c)) s")
    t.ok(r == (0, None, 1), 'only skipped rows: n = 0, NULL metrics, n_skipped', r)
    r = one("SELECT (m).matthews_corrcoef, (m).cohen_kappa FROM (SELECT driftmon.classification_metrics("
            "a, b) m FROM (VALUES ('x', 'x'), ('x', 'x')) v(a, b)) s")
    t.ok(r == (0.0, None), 'one identical class: MCC 0, cohen_kappa NULL', r)
    r = one("SELECT (m).specificity FROM (SELECT driftmon.classification_metrics(a, b) m "
            "FROM (VALUES (true, true), (true, false)) v(a, b)) s")
    t.ok(r == (0.0,), 'specificity is 0 when there is no class false', r)
    r = one("SELECT string_agg(true_label || '>' || predicted_label || '=' || n, ' ') FROM "
            "driftmon.confusion_matrix((SELECT driftmon.confusion_agg(a, b) FROM "
            "(VALUES (10::bigint, 9::bigint), (9, 9)) v(a, b)))")[0]
    t.ok(r == '9>9=1 9>10=0 10>9=1 10>10=0', 'bigint labels in numeric order, zeros included', r)
    rep = conn.execute("SELECT label, precision, recall, f1, support FROM driftmon.classification_report("
                       "%s::driftmon.confusion)", (conf[0].strip(),)).fetchall() if conf else []
    want = [('a', 0.5, 0.5, 0.5, 2), ('b', 0.5, 1.0, 2 / 3, 1), ('c', 1.0, 2 / 3, 0.8, 3),
            ('accuracy', None, None, 4 / 6, 6), ('macro avg', 2 / 3, (0.5 + 1 + 2 / 3) / 3, (0.5 + 2 / 3 + 0.8) / 3, 6),
            ('weighted avg', (1 + 0.5 + 3) / 6, 4 / 6, (1 + 2 / 3 + 2.4) / 6, 6)]
    good = len(rep) == len(want) and all(
        a[0] == b[0] and a[4] == b[4] and all((x is None and y is None) or
                                              (x is not None and y is not None and abs(x - y) < 1e-15)
                                              for x, y in zip(a[1:4], b[1:4])) for a, b in zip(rep, want))
    t.ok(good, 'classification_report of the README example: sklearn layout, hand-computed', rep)
    r = one("SELECT driftmon.precision(%s::driftmon.confusion, 'zz')", conf[0].strip()) if conf else None
    t.ok(r == (None,), 'precision(c, label) is NULL for a label not in the summary', r)
    errcode("SELECT driftmon.roc_auc(s, l) FROM (VALUES ('NaN'::float8, true), (0.2, false)) v(s, l)",
            '22023', 'NaN score')
    r = one("SELECT driftmon.roc_auc(s, l) FROM (VALUES ('Infinity'::float8, true), (0.2, false), "
            "('-Infinity', true)) v(s, l)")
    t.ok(r == (0.5,), 'infinite scores are ranked', r)
    errcode("SELECT driftmon.log_loss(p, l) FROM (VALUES (1.5::float8, true)) v(p, l)", '22023',
            'log_loss: probability outside [0, 1]')
    errcode("SELECT driftmon.brier_score(p, l) FROM (VALUES ('NaN'::float8, true)) v(p, l)", '22023',
            'brier_score: NaN probability')
    r = one("SELECT driftmon.log_loss(p, l) FROM (VALUES (0.9::float8, true), (0.8, true)) v(p, l)")[0]
    t.close(r, (-math.log(0.9) - math.log(0.8)) / 2, 1e-15, 'log_loss with one class present')
    errcode("SELECT driftmon.regression_metrics(a, b) FROM (VALUES (1::float8, 'Infinity'::float8)) v(a, b)",
            '22023', 'regression_metrics: infinite value')
    errcode("SELECT driftmon.regression_metrics(a, b) FROM (VALUES (0::float8, 1e155::float8)) v(a, b)",
            '22003', 'regression_metrics: absolute error above ~1.3e154')
    r = one("SELECT (m).r2, (m).mean_error FROM (SELECT driftmon.regression_metrics(a, b) m "
            "FROM (VALUES (1::float8, 3::float8)) v(a, b)) s")
    t.ok(r == (None, 2.0), 'r2 NULL below 2 rows; mean_error = mean(y_pred - y_true)', r)
    r = one("SELECT (m).r2 FROM (SELECT driftmon.regression_metrics(a, b) m FROM "
            "(VALUES (0.1::float8, 1.1::float8), (0.1, 0.1), (0.1, 0.1)) v(a, b)) s")
    t.ok(r == (0.0,), 'r2 of a constant y_true and an imperfect prediction is 0.0 (README example)', r)
    r = one("SELECT (m).mape FROM (SELECT driftmon.regression_metrics(a, b) m FROM "
            "(VALUES (0::float8, 1::float8)) v(a, b)) s")[0]
    t.close(r, 1 / 2.220446049250313e-16, 1e-15, 'mape divides by max(|y|, eps)')
    errcode("SELECT driftmon.binary_metrics(l, s, t) FROM (VALUES (true, 0.3::float8, 0.5::float8), "
            "(false, 0.6, 0.4)) v(l, s, t)", '22023', 'binary_metrics: changing threshold')
    errcode("SELECT driftmon.binary_metrics(l, s, NULL) FROM (VALUES (true, 0.3::float8)) v(l, s)",
            '22004', 'binary_metrics: NULL threshold')
    errcode("SELECT driftmon.binary_metrics(l, s, 'NaN') FROM (VALUES (true, 0.3::float8)) v(l, s)",
            '22023', 'binary_metrics: NaN threshold')
    r = one("SELECT driftmon.binary_metrics(l, s)::text = driftmon.binary_metrics(l, s, 0.5)::text, "
            "(driftmon.binary_metrics(l, s, 0.5)).accuracy FROM (VALUES (true, 0.5::float8), (false, 0.49), "
            "(false, 0.7)) v(l, s)")
    t.ok(r == (True, 2 / 3), 'binary_metrics threshold defaults to 0.5; score >= threshold predicts true', r)
    r = one("SELECT (m).log_loss, (m).brier_score, (m).accuracy FROM (SELECT driftmon.binary_metrics(l, s) m "
            "FROM (VALUES (true, 1.3::float8), (false, 0.2)) v(l, s)) s")
    t.ok(r == (None, None, 1.0), 'binary_metrics: a score outside [0, 1] makes log_loss and brier NULL', r)
    errcode("SELECT 'garbage'::driftmon.confusion", '22P02', 'garbage confusion text')
    errcode("SELECT 'garbage'::driftmon.category_counts", '22P02', 'garbage category_counts text')

    # profiles
    r = one("SELECT driftmon.stddev(p), driftmon.quantile(p, 0.3), driftmon.cdf(p, 2), driftmon.is_exact(p) "
            "FROM (SELECT driftmon.profile_agg(x) p FROM (VALUES (1::float8), (2), (4), (NULL), ('NaN')) v(x)) s")
    t.ok(r[1] == float(np.quantile([1, 2, 4], 0.3)) and r[2] == 2 / 3 and r[3] is True
         and abs(r[0] - float(np.std([1, 2, 4], ddof=1))) < 1e-15,
         'profile: stddev n - 1, numpy linear quantile, cdf <=, exact', r)
    r = one("SELECT driftmon.profile_agg(x) IS NULL FROM (VALUES (1::float8)) v(x) WHERE false")
    t.ok(r == (True,), 'profile_agg over no row is NULL', r)
    errcode("SELECT driftmon.profile_agg(x, 15) FROM (VALUES (1::float8)) v(x)", '22023', 'k below 16')
    errcode("SELECT driftmon.profile_agg(x, 1000001) FROM (VALUES ('a'::text)) v(x)", '22023', 'cap above 1000000')
    errcode("SELECT driftmon.profile_agg(x::float8, (16 + x)::int) FROM generate_series(1, 5) x", '22023',
            'profile_agg: k that changes between rows (serial plan)')
    errcode("SELECT driftmon.profile_agg(x::text, x) FROM generate_series(1, 5) x", '22023',
            'profile_agg: cap that changes between rows (serial plan)')
    errcode("SELECT driftmon.profile_agg(x::float8, CASE x WHEN 1 THEN 16 END) FROM generate_series(1, 5) x",
            '22004', 'profile_agg: k NULL on a later row')
    r = one("SELECT driftmon.sketch_k(driftmon.profile_agg(x::float8, 20)), "
            "driftmon.n(driftmon.profile_agg(x::text, 3)) FROM generate_series(1, 5) x")
    t.ok(r == (20, 5), 'profile_agg with a constant k / cap', r)
    r = state("SELECT driftmon.rollup(p) FROM (SELECT driftmon.profile_agg(x, 16) p FROM (VALUES (1::float8)) v(x) "
              "UNION ALL SELECT driftmon.profile_agg(x, 32) FROM (VALUES (1::float8)) v(x)) s")
    t.ok(r is not None, 'rollup refuses profiles with different k', r)
    r = one("SELECT driftmon.psi(a, b) IS NOT NULL FROM (SELECT driftmon.profile_agg(x, 16) a, "
            "driftmon.profile_agg(x + 1, 32) b FROM generate_series(1, 5) x) s")
    t.ok(r == (True,), 'comparing profiles with different k is allowed', r)

    # Types table and Error bounds: k = 1024 at 10^6 rows keeps 1012 items
    # (8.2 KB) and reports a rank-error bound of about 0.9 %
    r = one("SELECT driftmon.sketch_size(p), octet_length(driftmon.numeric_profile_send(p)), "
            "driftmon.rank_error(p) FROM (SELECT driftmon.profile_agg(x * 0.618033988749895 - "
            "floor(x * 0.618033988749895)) p FROM generate_series(1, 1000000) x) s")
    t.ok(r[0] == 1012 and round(r[1] / 1000, 1) == 8.2 and round(r[2], 3) == 0.009,
         'numeric_profile at 10^6 rows: 1012 items, 8.2 KB, rank_error 0.9 %', r)

    # monitors: thresholds table and statuses
    d = one('SELECT driftmon.default_thresholds()')[0]
    want = {'ks': (None, 0.05, 'below'), 'chi2': (None, 0.05, 'below'), 'psi': (0.1, 0.2, 'above'),
            'js_divergence': (0.1, 0.2, 'above'), 'wasserstein_normed': (0.05, 0.1, 'above')}
    for k, w in want.items():
        got = (d[k].get('warn'), d[k].get('alert'), d[k]['direction'])
        t.ok(got == w, f'default threshold of {k} as the README table', got)
    below = ['accuracy', 'balanced_accuracy', 'precision_macro', 'recall_macro', 'f1_macro', 'f1_weighted',
             'matthews_corrcoef', 'cohen_kappa', 'precision', 'recall', 'f1', 'r2', 'roc_auc',
             'average_precision']
    above = ['mae', 'rmse', 'mape', 'max_error']
    for k in below + above:
        got = d.get(k, {})
        t.ok(got.get('direction') == ('below' if k in below else 'above') and got.get('warn') is None
             and got.get('alert') is None, f'default threshold of quality metric {k}', got)
    r = one("SELECT driftmon.result_status(0.2, 0.1, 0.2, 'above'), driftmon.result_status(0.15, 0.1, 0.2, 'above'), "
            "driftmon.result_status(0.04, NULL, 0.05, 'below'), driftmon.result_status(0.05, NULL, 0.05, 'below'), "
            "driftmon.result_status('NaN', 0.1, 0.2, 'above'), driftmon.result_status(NULL, 0.1, 0.2, 'above')")
    t.ok(r == ('alert', 'warn', 'alert', 'ok', 'unknown', 'unknown'), 'result_status as documented', r)
    r = one("SELECT driftmon.default_window_end('1 day', '2026-11-24 03:40+00') = '2026-11-24 00:00+00', "
            "driftmon.default_window_end('1 month', '2026-11-24 03:40+00') = '2026-11-24 03:40+00', "
            "driftmon.default_window_end('15 minutes', '2026-11-24 03:40+00') = '2026-11-24 03:30+00'")
    t.ok(r == (True, True, True), 'default_window_end: date_bin from 2000-01-01; months: at itself', r)

    # roles, as the Security bullet of Monitors lists them
    grants = {}
    for role, rel, privs in conn.execute(
            "SELECT r, c.relname, string_agg(p, ',' ORDER BY p) FROM pg_class c "
            "CROSS JOIN unnest(ARRAY['driftmon_reader', 'driftmon_admin']) r "
            "CROSS JOIN unnest(ARRAY['DELETE', 'INSERT', 'SELECT', 'TRUNCATE', 'UPDATE']) p "
            "WHERE c.relnamespace = 'driftmon'::regnamespace AND c.relkind IN ('r', 'v') "
            "AND has_table_privilege(r, c.oid, p) GROUP BY 1, 2").fetchall():
        grants[(role, rel)] = privs
    views = ['monitor_list', 'monitor_status', 'latest_results', 'drift_history', 'quality_history']
    want = {('driftmon_reader', v): 'SELECT' for v in
            views + ['results', 'run_profiles', 'baselines', 'baseline_profiles']}
    want.update({('driftmon_admin', v): 'DELETE,INSERT,SELECT,UPDATE' for v in
                 ['monitors', 'checks', 'baselines', 'baseline_profiles']})
    want.update({('driftmon_admin', v): 'DELETE,INSERT,SELECT' for v in ['runs', 'results', 'run_profiles']})
    want.update({('driftmon_admin', 'purge_log'): 'INSERT,SELECT'})
    want.update({('driftmon_admin', v): 'SELECT' for v in views})
    t.ok(grants == want, 'driftmon_reader / driftmon_admin privileges as the README lists them',
         f'installed {sorted(grants.items())}')


def check_links_and_paths():
    """Intra-document links resolve to a heading; every repository path the
    README names in backticks exists; every make target it names exists."""
    root = os.path.join(os.path.dirname(__file__), '..', '..')
    slugs = {re.sub(r'[^a-z0-9 _-]', '', h.lower()).strip().replace(' ', '-')
             for h in re.findall(r'^#+ (.*)$', text, re.M)}
    for anchor in sorted(set(re.findall(r'\]\(#([^)]+)\)', text))):
        t.ok(anchor in slugs, f'link #{anchor} resolves to a heading')
    paths = sorted({p for p in re.findall(r'`([A-Za-z0-9_.-]+/[A-Za-z0-9_./-]*)`', text)
                    if not p.startswith('/') and '.' in p.split('/')[-1] or p.endswith('/')})
    for p in paths:
        if 'NN_' in p:
            continue        # src/sql/NN_feature.sql names the pattern of the fragments
        t.ok(os.path.exists(os.path.join(root, p)), f'path {p} exists')
    with open(os.path.join(root, 'Makefile'), encoding='utf-8') as f:
        mk = f.read()
    for target in sorted(set(re.findall(r'`make ([a-z-]+)', text))):
        t.ok(re.search(rf'^{re.escape(target)}:', mk, re.M) is not None, f'make target {target} exists')


def check_comments(conn):
    """COMMENT ON texts agree with the README on the facts it states:
    ddof, log bases, smoothing, bin closure, window bounds."""
    comments = conn.execute(
        "SELECT d.objoid::regprocedure::text, d.description FROM pg_description d "
        "JOIN pg_proc p ON p.oid = d.objoid AND d.classoid = 'pg_proc'::regclass "
        "WHERE p.pronamespace = 'driftmon'::regnamespace "
        "UNION ALL SELECT t.typname::text, d.description FROM pg_description d "
        "JOIN pg_type t ON t.oid = d.objoid AND d.classoid = 'pg_type'::regclass "
        "WHERE t.typnamespace = 'driftmon'::regnamespace").fetchall()
    t.ok(len(comments) > 100, f'{len(comments)} comments read')
    for obj, c in comments:
        low = c.lower()
        bad = []
        if re.search(r'ddof\s*=\s*0|population (standard deviation|std)', low):
            bad.append('ddof 0 (README: ddof = 1)')
        if 'jensen' in low and re.search(r'natural log|base e\b|\bln\b', low):
            bad.append('JS in natural log (README: base 2)')
        if 'jensen' in low and 'distance' in low:
            bad.append('JS distance (README: divergence)')
        if re.search(r'\bpsi\b|population stability', low) and re.search(r'1e-6|1e-3|0\.001|renormali[sz]ed', low):
            bad.append('PSI smoothing other than 1e-4 without renormalising')
        if re.search(r'left-closed|\[e_i-1, e_i\)', low) and re.search(r'\bpsi\b', low):
            bad.append('left-closed PSI bins (README: right-closed)')
        if re.search(r'\(range_start, range_end\]|\[range_start, range_end\]', low):
            bad.append('closed backfill range (README: [range_start, range_end))')
        t.ok(not bad, f'COMMENT ON {obj} agrees with the README', f'{c}\n{bad}')
    r = dict(comments)
    for obj, needle in [('driftmon.stddev(driftmon.numeric_profile)', 'n - 1'),
                        ('numeric_drift_result', 'ddof=1'),
                        ('driftmon.js_divergence(double precision,boolean)', 'base 2'),
                        ('driftmon.psi_agg(double precision,boolean)', '1e-4'),
                        ('driftmon.log_loss(double precision,boolean)', 'eps'),
                        ('driftmon.backfill_monitor(text,timestamp with time zone,timestamp with time zone)',
                         '[range_start, range_end)')]:
        t.ok(needle in (r.get(obj) or ''), f'COMMENT ON {obj} states {needle!r} as the README does', r.get(obj))


t.run(check_links_and_paths)
t.run(run_sql_blocks)
t.run(check_signatures, dmtest.connect())
t.run(check_coverage, dmtest.connect())
t.run(check_fields, dmtest.connect())
t.run(check_claims, dmtest.connect())
t.run(check_comments, dmtest.connect())
t.done()
