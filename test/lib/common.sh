# test/lib/common.sh: shared by the test, demo and bench commands.
#
# Provides: dm_ensure_deps, dm_build_install DIR, dm_cluster_start DIR,
# dm_cluster_stop DIR, dm_psql.  The cluster is private: a copy of the
# PostgreSQL 15 server tree with driftmon installed into it (make install
# DESTDIR=...), its own data directory, a Unix socket in its own directory and
# no TCP listener, so it never touches the system installation and never
# collides with another PostgreSQL on this machine.

DM_ROOT=${DM_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DM_PGVER=15
DM_PY=/usr/bin/python3

# Debian packages every suite needs.  postgresql-15 brings the server,
# -server-dev the PGXS headers, the rest are the oracles and integration tools.
DM_PACKAGES="postgresql-15 postgresql-server-dev-15 postgresql-15-cron \
postgresql-plpython3-15 postgresql-contrib python3-scipy python3-sklearn \
python3-psycopg python3-numpy gcc make clang libclang-rt-14-dev valgrind \
postgresql-15-plproxy"

# dm_log: a progress line on stderr, so stdout stays the test report.
dm_log() { printf '[driftmon] %s\n' "$*" >&2; }

# dm_ensure_deps: install missing packages as root; as anyone else, name the
# exact apt command and stop.
dm_ensure_deps() {
	local missing="" p
	for p in $DM_PACKAGES; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
			missing="$missing $p"
		fi
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "driftmon: missing packages:$missing" >&2
		echo "driftmon: install them with: sudo apt-get update && sudo apt-get install -y$missing" >&2
		return 1
	fi
	dm_log "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null || return 1
	# shellcheck disable=SC2086
	apt-get install -y -qq $missing >/dev/null || return 1
}

# dm_pg_config: the pg_config of PostgreSQL 15, whatever is first on PATH.
dm_pg_config() {
	if [ -x /usr/lib/postgresql/$DM_PGVER/bin/pg_config ]; then
		echo /usr/lib/postgresql/$DM_PGVER/bin/pg_config
	else
		command -v pg_config
	fi
}

# dm_build_install DIR: build driftmon (warnings are errors) and install it
# into a private copy of the server tree under DIR/inst.
dm_build_install() {
	local dir=$1 pgc bindir sharedir pkglibdir
	pgc=$(dm_pg_config)
	bindir=$($pgc --bindir)
	sharedir=$($pgc --sharedir)
	pkglibdir=$($pgc --pkglibdir)
	make -C "$DM_ROOT" -s PG_CONFIG="$pgc" WERROR=1 with_llvm=no >"$dir/build.log" 2>&1 || {
		cat "$dir/build.log" >&2
		return 1
	}
	mkdir -p "$dir/inst$(dirname "$bindir")" "$dir/inst$(dirname "$sharedir")"
	cp -a "$(dirname "$bindir")/." "$dir/inst$(dirname "$bindir")/"
	cp -a "$sharedir" "$dir/inst$(dirname "$sharedir")/"
	[ -d "$dir/inst$pkglibdir" ] || { echo "driftmon: unexpected layout: $pkglibdir" >&2; return 1; }
	make -C "$DM_ROOT" -s PG_CONFIG="$pgc" with_llvm=no DESTDIR="$dir/inst" install >>"$dir/build.log" 2>&1 || {
		cat "$dir/build.log" >&2
		return 1
	}
	DM_BINDIR="$dir/inst$bindir"
	export DM_BINDIR
	echo "$DM_BINDIR" >"$dir/bindir"
}

# dm_as_pg CMD...: run a server command as the postgres user when we are root
# (initdb refuses root), as ourselves otherwise.
dm_as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# dm_cluster_start DIR [EXTRA_POSTGRES_OPTIONS]: initdb and start a cluster
# in DIR (built by dm_build_install), then export PGHOST/PGPORT/PGUSER so
# psql, pg_regress and psycopg find it.  pg_cron is preloaded and schedules
# in database driftmon_cron, which is created here.
dm_cluster_start() {
	local dir=$1 extra=${2:-} port
	# The port only names the socket file in our private socket directory,
	# so any number works; a random one keeps logs of parallel runs apart.
	port=$((20000 + RANDOM % 20000))
	mkdir -p "$dir/sock"
	chmod 755 "$dir"
	if [ "$(id -u)" -eq 0 ]; then
		chown -R postgres "$dir/sock"
		chown postgres "$dir"
	fi
	dm_as_pg "$DM_BINDIR/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		return 1
	}
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = ''
port = $port
unix_socket_directories = '$dir/sock'
shared_preload_libraries = 'pg_cron'
cron.database_name = 'driftmon_cron'
cron.host = '$dir/sock'
max_worker_processes = 16
max_parallel_workers_per_gather = 2
fsync = off
synchronous_commit = off
full_page_writes = off
log_min_messages = warning
log_line_prefix = '%m [%p] %q%u@%d '
$extra
EOF
	dm_as_pg "$DM_BINDIR/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >/dev/null || {
		cat "$dir/server.log" >&2
		return 1
	}
	export PGHOST="$dir/sock" PGPORT="$port" PGUSER=postgres PGDATABASE=postgres
	psql -X -q -c "CREATE DATABASE driftmon_cron" >/dev/null || return 1
	echo "$port" >"$dir/port"
}

# dm_cluster_stop DIR: stop the cluster in DIR, fast, whatever state it is in.
dm_cluster_stop() {
	local dir=$1 bindir
	[ -f "$dir/data/postmaster.pid" ] || return 0
	bindir=${DM_BINDIR:-$(cat "$dir/bindir" 2>/dev/null)}
	dm_as_pg "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
}

# dm_psql ARGS...: psql with no .psqlrc and stop on the first error.
dm_psql() { psql -X -v ON_ERROR_STOP=1 "$@"; }

# dm_ok STATUS NAME [DETAIL]: one TAP line for a shell test, "ok N - PREFIX:
# NAME" (PREFIX from DM_TAP_PREFIX), with DETAIL as comment lines when the
# check failed.  dm_tap_done prints the plan and returns 1 if any failed.
dm_tap_n=0
dm_tap_failed=0
dm_ok() {
	dm_tap_n=$((dm_tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $dm_tap_n - ${DM_TAP_PREFIX:-test}: $2"
	else
		echo "not ok $dm_tap_n - ${DM_TAP_PREFIX:-test}: $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
		dm_tap_failed=$((dm_tap_failed + 1))
	fi
	return 0
}
dm_tap_done() {
	echo "1..$dm_tap_n"
	[ "$dm_tap_failed" -eq 0 ]
}
