#!/usr/bin/env bash
# test_profile_fdw.sh: scale-out of drift profiles with postgres_fdw and
# PL/Proxy (the latter skipped when postgresql-15-plproxy is not installed).
#
# Starts two more private clusters (shards) next to the test cluster, loads
# part of a data set on each, and from the test cluster (the coordinator)
# computes per-shard profile_agg remotely (pushed down because driftmon is in
# the server's `extensions`), merges them with rollup, and compares with the
# profile of the whole data set computed locally.  Prints TAP.
set -u
. "$(dirname "$0")/../lib/common.sh"

n=0
fail=0
ok() { # ok COND_STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - profile_fdw: $2"; else echo "not ok $n - profile_fdw: $2"; fail=$((fail + 1)); fi
}
# q SQL: one value from the coordinator's test database
q() { psql -X -q -At -v ON_ERROR_STOP=1 -d dm_fdw -c "$1"; }

TMPD=${DM_TMP:-$(mktemp -d)}/fdw
rm -rf "$TMPD"
mkdir -p "$TMPD"
COORD_HOST=$PGHOST COORD_PORT=$PGPORT
cleanup() {
	for s in 1 2; do dm_cluster_stop "$TMPD/shard$s"; done
}
trap cleanup EXIT

# data: shard s holds id in its range; v a deterministic pseudo-random float
data_sql() {
	echo "SELECT id, (hashint4(id)::float8 / 2147483648.0) * 10 + (id % 7) AS v,
	             'cat' || (hashint4(id * 3) & 31)::text AS c
	      FROM generate_series($1, $2) id"
}

for s in 1 2; do
	mkdir -p "$TMPD/shard$s"
	(dm_cluster_start "$TMPD/shard$s" >/dev/null 2>&1) || { ok 1 "shard $s started"; exit 1; }
	sp=$(cat "$TMPD/shard$s/port")
	lo=$(((s - 1) * 150000 + 1)) hi=$((s * 150000))
	PGHOST="$TMPD/shard$s/sock" PGPORT=$sp psql -X -q -v ON_ERROR_STOP=1 -d postgres <<EOF >/dev/null || ok 1 "shard $s loaded"
CREATE DATABASE app;
\c app
CREATE EXTENSION driftmon;
CREATE TABLE predictions AS $(data_sql $lo $hi);
CREATE TABLE small AS $(data_sql $lo $((lo + 299)));
ANALYZE predictions;
EOF
done
ok 0 "two shard clusters started and loaded"

psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "DROP DATABASE IF EXISTS dm_fdw" -c "CREATE DATABASE dm_fdw" >/dev/null
q "CREATE EXTENSION driftmon; CREATE EXTENSION postgres_fdw;" >/dev/null
for s in 1 2; do
	sp=$(cat "$TMPD/shard$s/port")
	lo=$(((s - 1) * 150000 + 1)) hi=$((s * 150000))
	q "CREATE SERVER shard$s FOREIGN DATA WRAPPER postgres_fdw
	     OPTIONS (host '$TMPD/shard$s/sock', port '$sp', dbname 'app', extensions 'driftmon');
	   CREATE USER MAPPING FOR CURRENT_USER SERVER shard$s OPTIONS (user 'postgres');
	   CREATE FOREIGN TABLE predictions_s$s (id int, v float8, c text)
	     SERVER shard$s OPTIONS (table_name 'predictions');
	   CREATE FOREIGN TABLE small_s$s (id int, v float8, c text)
	     SERVER shard$s OPTIONS (table_name 'small');
	   CREATE TABLE local_s$s AS $(data_sql $lo $hi);
	   CREATE TABLE local_small_s$s AS $(data_sql $lo $((lo + 299)));" >/dev/null
done
q "CREATE VIEW local_all AS SELECT * FROM local_s1 UNION ALL SELECT * FROM local_s2;
   CREATE VIEW local_small AS SELECT * FROM local_small_s1 UNION ALL SELECT * FROM local_small_s2;" >/dev/null

# 1. the aggregate runs on the shard
plan=$(q "EXPLAIN (VERBOSE, COSTS OFF) SELECT driftmon.profile_agg(v) FROM predictions_s1")
echo "$plan" | grep -q "Remote SQL: SELECT driftmon.profile_agg(v)"
ok $? "profile_agg(float8) is pushed down to the shard"
plan=$(q "EXPLAIN (VERBOSE, COSTS OFF) SELECT driftmon.profile_agg(c) FROM predictions_s2")
echo "$plan" | grep -q "Remote SQL: SELECT driftmon.profile_agg(c)"
ok $? "profile_agg(text) is pushed down to the shard"

# 2. exact mode (600 rows): the merged remote profile equals the local one
r=$(q "WITH m AS (SELECT driftmon.rollup(p) p FROM (SELECT driftmon.profile_agg(v) p FROM small_s1
                   UNION ALL SELECT driftmon.profile_agg(v) FROM small_s2) s),
            l AS (SELECT driftmon.profile_agg(v) p FROM local_small)
       SELECT driftmon.is_exact(m.p) AND driftmon.n(m.p) = 600
              AND driftmon.quantile(m.p, ARRAY[0, .1, .5, .9, 1]::float8[]) = driftmon.quantile(l.p, ARRAY[0, .1, .5, .9, 1]::float8[])
              AND abs(driftmon.mean(m.p) - driftmon.mean(l.p)) <= 1e-12 * abs(driftmon.mean(l.p))
              AND abs(driftmon.stddev(m.p) - driftmon.stddev(l.p)) <= 1e-12 * driftmon.stddev(l.p)
              AND (driftmon.ks_test(m.p, l.p)).statistic = 0
       FROM m, l")
[ "$r" = t ]
ok $? "exact-mode profile merged from two shards equals the single-node profile"

# 3. sketch mode (300000 rows): counts, extremes and moments exact, the
# distributions within the rank-error bounds
r=$(q "WITH m AS (SELECT driftmon.rollup(p) p FROM (SELECT driftmon.profile_agg(v) p FROM predictions_s1
                   UNION ALL SELECT driftmon.profile_agg(v) FROM predictions_s2) s),
            l AS (SELECT driftmon.profile_agg(v) p FROM local_all)
       SELECT driftmon.n(m.p) = 300000 AND NOT driftmon.is_exact(m.p)
              AND driftmon.minimum(m.p) = driftmon.minimum(l.p) AND driftmon.maximum(m.p) = driftmon.maximum(l.p)
              AND abs(driftmon.mean(m.p) - driftmon.mean(l.p)) <= 1e-12 * abs(driftmon.mean(l.p))
              AND abs(driftmon.stddev(m.p) - driftmon.stddev(l.p)) <= 1e-11 * driftmon.stddev(l.p)
              AND (driftmon.ks_test(m.p, l.p)).statistic <= driftmon.rank_error(m.p) + driftmon.rank_error(l.p)
       FROM m, l")
[ "$r" = t ]
ok $? "sketch-mode profile merged from two shards matches the single-node one within the bound"

# and against the exact data: the merged cdf at the exact median is within its bound
r=$(q "WITH m AS (SELECT driftmon.rollup(p) p FROM (SELECT driftmon.profile_agg(v) p FROM predictions_s1
                   UNION ALL SELECT driftmon.profile_agg(v) FROM predictions_s2) s),
            e AS (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY v) med FROM local_all)
       SELECT abs(driftmon.cdf(m.p, e.med) - (SELECT count(*) FILTER (WHERE v <= e.med)::float8 / count(*) FROM local_all))
              <= driftmon.rank_error(m.p)
       FROM m, e")
[ "$r" = t ]
ok $? "merged sketch cdf at the exact median within rank_error"

# 4. categorical: exact counts, the merged profile is identical to the local one
r=$(q "SELECT (SELECT driftmon.rollup(p)::text FROM (SELECT driftmon.profile_agg(c) p FROM predictions_s1
                UNION ALL SELECT driftmon.profile_agg(c) FROM predictions_s2) s)
              = (SELECT driftmon.profile_agg(c)::text FROM local_all)")
[ "$r" = t ]
ok $? "categorical profile merged from two shards equals the single-node profile"

# 5. PL/Proxy: RUN ON ALL collects per-shard profiles as text, merged locally
if q "SELECT 1 FROM pg_available_extensions WHERE name = 'plproxy'" | grep -q 1; then
	p1=$(cat "$TMPD/shard1/port") p2=$(cat "$TMPD/shard2/port")
	q "CREATE EXTENSION plproxy;
	   CREATE SERVER proxy_shards FOREIGN DATA WRAPPER plproxy OPTIONS (
	     p0 'dbname=app host=$TMPD/shard1/sock port=$p1',
	     p1 'dbname=app host=$TMPD/shard2/sock port=$p2');
	   CREATE USER MAPPING FOR PUBLIC SERVER proxy_shards OPTIONS (user 'postgres');
	   CREATE FUNCTION shard_profiles() RETURNS SETOF text LANGUAGE plproxy AS \$\$
	     CLUSTER 'proxy_shards'; RUN ON ALL;
	     SELECT driftmon.profile_agg(v)::text FROM public.predictions;
	   \$\$;
	   CREATE FUNCTION shard_cat_profiles() RETURNS SETOF text LANGUAGE plproxy AS \$\$
	     CLUSTER 'proxy_shards'; RUN ON ALL;
	     SELECT driftmon.profile_agg(c)::text FROM public.predictions;
	   \$\$;" >/dev/null
	ok $? "PL/Proxy cluster over the two shards"
	r=$(q "WITH m AS (SELECT driftmon.rollup(p::driftmon.numeric_profile) p FROM shard_profiles() p),
	            l AS (SELECT driftmon.profile_agg(v) p FROM local_all)
	       SELECT (SELECT count(*) FROM shard_profiles()) = 2 AND driftmon.n(m.p) = 300000
	              AND driftmon.minimum(m.p) = driftmon.minimum(l.p) AND driftmon.maximum(m.p) = driftmon.maximum(l.p)
	              AND abs(driftmon.mean(m.p) - driftmon.mean(l.p)) <= 1e-12 * abs(driftmon.mean(l.p))
	              AND (driftmon.ks_test(m.p, l.p)).statistic <= driftmon.rank_error(m.p) + driftmon.rank_error(l.p)
	       FROM m, l")
	[ "$r" = t ]
	ok $? "PL/Proxy RUN ON ALL: merged numeric profile matches the single-node one within the bound"
	r=$(q "SELECT (SELECT driftmon.rollup(p::driftmon.categorical_profile)::text FROM shard_cat_profiles() p)
	              = (SELECT driftmon.profile_agg(c)::text FROM local_all)")
	[ "$r" = t ]
	ok $? "PL/Proxy RUN ON ALL: merged categorical profile equals the single-node one"
else
	n=$((n + 1))
	echo "ok $n - profile_fdw: PL/Proxy # SKIP postgresql-15-plproxy not installed"
fi

echo "1..$n"
[ "$fail" -eq 0 ]
