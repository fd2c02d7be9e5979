#!/usr/bin/env bash
# test_upgrade.sh: extension versions, upgrade chain, DROP / re-CREATE.
#
# Reads the versions from the repository: default_version in driftmon.control,
# install scripts sql/driftmon--V.sql and upgrade scripts sql/driftmon--A--B.sql.
#  1. Every upgrade script leads, through the chain, to the default version,
#     and every released version with an install script has a path to it.
#  2. For every earlier version: CREATE EXTENSION driftmon VERSION 'V', then
#     ALTER EXTENSION driftmon UPDATE reaches the default version with exactly
#     the objects of a fresh install of it (same signatures, same comments).
#     With a single version (0.1.0 today) there is none, and the test says so.
#  3. ALTER EXTENSION driftmon UPDATE on the default version is a no-op.
#  4. DROP EXTENSION driftmon CASCADE leaves no object behind (types,
#     functions, casts, operators, tables, views, sequences, dependencies)
#     except the empty schema driftmon (PostgreSQL's rule for the control
#     file's schema), and CREATE EXTENSION again gives the same objects.  Roles are cluster-wide
#     and survive DROP EXTENSION by design (see README, Security): the test
#     checks that the role list is the same after the DROP as before it.
# Runs against the live test cluster (PGHOST/PGPORT/PGUSER from test/run.sh).
# Speaks TAP.
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DB=driftmon_upgrade
n=0
failed=0

ok() {		# ok STATUS NAME [DETAIL]
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - upgrade: $2"
	else
		failed=$((failed + 1))
		echo "not ok $n - upgrade: $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /' | head -40
	fi
}

q() { psql -X -q -At -v ON_ERROR_STOP=1 -d "$DB" "$@"; }

# snapshot: every object of the extension and of schema driftmon, with its
# comment, one line each, sorted; plus the roles of the cluster (prefixed).
snapshot() {
	q <<'EOF'
SELECT 'member ' || pg_describe_object(d.classid, d.objid, d.objsubid) || ' | ' ||
       coalesce(obj_description(d.objid, c.relname::name), '')
FROM pg_depend d JOIN pg_class c ON c.oid = d.classid
JOIN pg_extension e ON e.oid = d.refobjid AND d.refclassid = 'pg_extension'::regclass
WHERE e.extname = 'driftmon' AND d.deptype = 'e'
UNION ALL
SELECT 'schema ' || nspname FROM pg_namespace WHERE nspname = 'driftmon'
UNION ALL
SELECT 'class ' || oid::regclass::text FROM pg_class WHERE relnamespace::regnamespace::text = 'driftmon'
UNION ALL
SELECT 'proc ' || oid::regprocedure::text FROM pg_proc WHERE pronamespace::regnamespace::text = 'driftmon'
UNION ALL
SELECT 'type ' || format_type(oid, NULL) FROM pg_type WHERE typnamespace::regnamespace::text = 'driftmon'
UNION ALL
SELECT 'operator ' || oid::regoperator::text FROM pg_operator WHERE oprnamespace::regnamespace::text = 'driftmon'
UNION ALL
SELECT 'cast ' || format_type(castsource, NULL) || ' -> ' || format_type(casttarget, NULL)
FROM pg_cast WHERE castsource::regtype::text LIKE 'driftmon.%' OR casttarget::regtype::text LIKE 'driftmon.%'
UNION ALL
SELECT 'extension ' || extname || ' ' || extversion FROM pg_extension WHERE extname = 'driftmon'
UNION ALL
SELECT 'event_trigger ' || evtname FROM pg_event_trigger
UNION ALL
SELECT 'role ' || rolname FROM pg_roles WHERE rolname !~ '^pg_'
ORDER BY 1;
EOF
}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1
ok $? "scratch database $DB created"

# ---- 1. the chain of scripts in sql/ ----
default=$(sed -n "s/^default_version *= *'\(.*\)'.*/\1/p" "$ROOT/driftmon.control")
[ -n "$default" ]
ok $? "default_version read from driftmon.control ($default)"
[ -f "$ROOT/sql/driftmon--$default.sql" ]
ok $? "install script of the default version exists (sql/driftmon--$default.sql)"

declare -A next=()
installs=()
upgrades=()
for f in "$ROOT"/sql/driftmon--*.sql; do
	b=$(basename "$f" .sql)
	rest=${b#driftmon--}
	if [[ $rest == *--* ]]; then
		upgrades+=("$rest")
		next[${rest%%--*}]+=" ${rest#*--}"
	else
		installs+=("$rest")
	fi
done
echo "# install scripts: ${installs[*]}; upgrade scripts: ${upgrades[*]:-none}"

# reaches FROM: 0 if the upgrade graph leads from FROM to the default version.
reaches() {
	local todo=("$1") seen=" " v w
	while [ ${#todo[@]} -gt 0 ]; do
		v=${todo[0]}
		todo=("${todo[@]:1}")
		[ "$v" = "$default" ] && return 0
		[[ $seen == *" $v "* ]] && continue
		seen+="$v "
		for w in ${next[$v]:-}; do todo+=("$w"); done
	done
	return 1
}

for u in "${upgrades[@]}"; do
	reaches "${u#*--}"
	ok $? "upgrade script driftmon--$u.sql leads to $default"
done
earlier=()
for v in "${installs[@]}"; do
	[ "$v" = "$default" ] && continue
	earlier+=("$v")
	reaches "$v"
	ok $? "released version $v has an upgrade path to $default"
done
# Every source version of an upgrade script is an earlier version too (its
# install script may have been dropped; then it is installed via the chain).
for u in "${upgrades[@]}"; do
	a=${u%%--*}
	[[ " ${earlier[*]} " == *" $a "* ]] || [ ! -f "$ROOT/sql/driftmon--$a.sql" ] || earlier+=("$a")
done
if [ ${#earlier[@]} -eq 0 ]; then
	ok 0 "no earlier version than $default in sql/: nothing to upgrade from (# ${#upgrades[@]} upgrade scripts)"
fi

# ---- reference: a fresh install of the default version ----
q -c "CREATE EXTENSION driftmon" >/dev/null
ok $? "CREATE EXTENSION driftmon (default $default)"
fresh=$(snapshot)
[ "$(q -c "SELECT extversion FROM pg_extension WHERE extname = 'driftmon'")" = "$default" ]
ok $? "fresh install is version $default"

# ---- 2. every earlier version upgrades to the default one ----
for v in "${earlier[@]}"; do
	q -c "DROP EXTENSION driftmon CASCADE" >/dev/null 2>&1
	if ! out=$(q -c "CREATE EXTENSION driftmon VERSION '$v'" 2>&1); then
		ok 1 "CREATE EXTENSION driftmon VERSION '$v'" "$out"
		continue
	fi
	ok 0 "CREATE EXTENSION driftmon VERSION '$v'"
	out=$(q -c "ALTER EXTENSION driftmon UPDATE" 2>&1)
	ok $? "ALTER EXTENSION driftmon UPDATE from $v" "$out"
	got=$(snapshot)
	[ "$got" = "$fresh" ]
	ok $? "$v updated to $default has exactly the objects of a fresh $default" "$(diff <(echo "$fresh") <(echo "$got"))"
done
if [ ${#earlier[@]} -gt 0 ]; then
	q -c "DROP EXTENSION driftmon CASCADE; CREATE EXTENSION driftmon" >/dev/null 2>&1
fi

# ---- 3. UPDATE on the default version is a no-op ----
out=$(q -c "ALTER EXTENSION driftmon UPDATE" 2>&1)
ok $? "ALTER EXTENSION driftmon UPDATE on $default succeeds" "$out"
echo "$out" | grep -q "version \"$default\" of extension \"driftmon\" is already installed"
ok $? "it reports that $default is already installed" "$out"
got=$(snapshot)
[ "$got" = "$fresh" ]
ok $? "ALTER EXTENSION driftmon UPDATE on $default changes no object" "$(diff <(echo "$fresh") <(echo "$got"))"
out=$(q -c "ALTER EXTENSION driftmon UPDATE TO '$default'" 2>&1)
ok $? "ALTER EXTENSION driftmon UPDATE TO '$default' succeeds" "$out"

# ---- 4. DROP EXTENSION CASCADE leaves nothing; CREATE again is identical ----
# A user object depending on the extension is dropped by CASCADE too.
q -c "CREATE TABLE public.uses_driftmon (c driftmon.confusion)" >/dev/null
ok $? "a user table with a driftmon.confusion column"
roles_before=$(snapshot | grep '^role ')
q -c "DROP EXTENSION driftmon CASCADE" >/dev/null 2>&1
ok $? "DROP EXTENSION driftmon CASCADE"
# PostgreSQL creates the control file's schema when it is missing but does not
# make it a member of the extension (and refuses ALTER EXTENSION ADD SCHEMA
# for the extension's own schema): an empty schema driftmon stays behind.
left=$(snapshot | grep -v '^role ' | grep -v '^event_trigger ' | grep -v '^schema driftmon$')
[ -z "$left" ]
ok $? "no object of driftmon is left after DROP EXTENSION (only the empty schema)" "$left"
ncols=$(q -c "SELECT count(*) FROM pg_attribute WHERE attrelid = 'public.uses_driftmon'::regclass AND attnum > 0 AND NOT attisdropped")
[ "$ncols" = "0" ]
ok $? "the dependent user column went with CASCADE" "$ncols columns left"
q -c "DROP TABLE public.uses_driftmon; DROP SCHEMA driftmon" >/dev/null 2>&1
ok $? "DROP SCHEMA driftmon (without CASCADE) succeeds: the schema is empty"
n_dep=$(q -c "SELECT count(*) FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND refobjid NOT IN (SELECT oid FROM pg_extension)")
[ "$n_dep" = "0" ]
ok $? "no dangling pg_depend entry on a dropped extension" "$n_dep"
roles_after=$(snapshot | grep '^role ')
[ "$roles_before" = "$roles_after" ]
ok $? "roles unchanged by DROP EXTENSION (roles are cluster-wide, kept by design)" \
	"$(diff <(echo "$roles_before") <(echo "$roles_after"))"
q -c "CREATE EXTENSION driftmon" >/dev/null 2>&1
ok $? "CREATE EXTENSION driftmon again"
got=$(snapshot)
[ "$got" = "$fresh" ]
ok $? "re-created extension has exactly the objects of the first install" "$(diff <(echo "$fresh") <(echo "$got"))"
q -c "SELECT driftmon.version()" >/dev/null
ok $? "re-created extension works"

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1
echo "1..$n"
[ "$failed" -eq 0 ]
