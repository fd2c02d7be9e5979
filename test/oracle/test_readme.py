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
    conn.rollback()
    conn.close()


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


t.run(run_sql_blocks)
t.run(check_signatures, dmtest.connect())
t.run(check_coverage, dmtest.connect())
t.run(check_fields, dmtest.connect())
t.done()
