#!/usr/bin/env bash
# test_profile_dump.sh: stored profiles and baselines survive pg_dump /
# restore (config tables marked with pg_extension_config_dump; the types
# dump as text and are re-validated on restore).  Prints TAP.
set -u
. "$(dirname "$0")/../lib/common.sh"

n=0
fail=0
ok() { # ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - profile_dump: $2"; else echo "not ok $n - profile_dump: $2"; fail=$((fail + 1)); fi
}
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$1" -c "$2"; }

DUMP=${DM_TMP:-/tmp}/profile_dump.sql
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS dm_dump_src" -c "DROP DATABASE IF EXISTS dm_dump_dst" \
	-c "CREATE DATABASE dm_dump_src" -c "CREATE DATABASE dm_dump_dst" >/dev/null
q dm_dump_src "CREATE EXTENSION driftmon;
  CREATE TABLE public.log AS SELECT i, (i % 97) * 1.5 AS x, 'r' || (i % 5) AS region FROM generate_series(1, 50000) i;
  SELECT driftmon.save_baseline('b', 'SELECT x, region FROM public.log', description => 'dump test');
  CREATE TABLE public.daily AS SELECT i % 3 AS d, driftmon.profile_agg(x) p, driftmon.profile_agg(region) c
    FROM public.log GROUP BY 1;" >/dev/null
ok $? "source database with a baseline and stored profiles"

"${DM_BINDIR:-$(dirname "$(dm_pg_config)")}/pg_dump" -d dm_dump_src -f "$DUMP" 2>"$DUMP.err"
ok $? "pg_dump"
grep -q "COPY driftmon.baseline_profiles" "$DUMP"
ok $? "the dump contains the baseline profiles (extension config table)"
psql -X -q -v ON_ERROR_STOP=1 -d dm_dump_dst -f "$DUMP" >/dev/null 2>"$DUMP.restore.err"
ok $? "restore into an empty database"

src=$(q dm_dump_src "SELECT string_agg(baseline || feature || coalesce(numeric::text, categorical::text), '|' ORDER BY feature)
                      FROM driftmon.baseline_profiles")
dst=$(q dm_dump_dst "SELECT string_agg(baseline || feature || coalesce(numeric::text, categorical::text), '|' ORDER BY feature)
                      FROM driftmon.baseline_profiles")
[ -n "$src" ] && [ "$src" = "$dst" ]
ok $? "baseline profiles identical after restore"
src=$(q dm_dump_src "SELECT string_agg(p::text || c::text, '|' ORDER BY d) FROM public.daily")
dst=$(q dm_dump_dst "SELECT string_agg(p::text || c::text, '|' ORDER BY d) FROM public.daily")
[ -n "$src" ] && [ "$src" = "$dst" ]
ok $? "profiles in a user table identical after restore"
r=$(q dm_dump_dst "SELECT description = 'dump test' AND source_query LIKE 'SELECT x, region%' FROM driftmon.baselines WHERE name = 'b'")
[ "$r" = t ]
ok $? "baseline metadata restored"
r=$(q dm_dump_dst "SELECT driftmon.n(b) = driftmon.n(r) AND (driftmon.ks_test(b, r)).statistic <= driftmon.rank_error(b) + driftmon.rank_error(r)
                    FROM (SELECT driftmon.baseline_numeric('b', 'x') b, driftmon.rollup(p) r FROM public.daily) s")
[ "$r" = t ]
ok $? "restored baseline compares with the rolled-up daily profiles (same rows: KS within the bound)"

psql -X -q -d postgres -c "DROP DATABASE dm_dump_src" -c "DROP DATABASE dm_dump_dst" >/dev/null
echo "1..$n"
[ "$fail" -eq 0 ]
