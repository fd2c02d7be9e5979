#!/usr/bin/env bash
# test/bench/run.sh: the benchmark command (`make bench BENCH_ARGS="..."`).
#
# Like test/run.sh: installs missing packages, builds driftmon with -Werror,
# installs it into a private server tree, starts a throwaway PostgreSQL 15
# cluster (Unix socket in a temporary directory, no TCP), then runs
# test/bench/bench.py, which generates the data in SQL and prints a markdown
# table of every case (median of K runs after a warm-up, ratio to sum() and
# to the user's way, peak backend memory).  The cluster is removed on exit,
# also on failure or Ctrl-C.
#
# Options (passed to bench.py; `--help` lists them all):
#   --rows N         rows in the table (default 10000000)
#   --runs K         timed runs per case after 1 warm-up (default 3)
#   --scaling        also run every case at 1M, 4M and 16M rows
#   --cases LIST     comma-separated case names or groups (floor, driftmon,
#                    sql, plpy, special); --list shows them
#   --output FILE    also write the markdown report to FILE
#   --keep           keep the temporary directory (and the cluster's data)
set -u
# bench.py resolves a relative --output against the caller's directory.
export DM_CALLER_PWD=$PWD
. "$(dirname "$0")/../lib/common.sh"
cd "$DM_ROOT" || exit 2

KEEP=0
ARGS=()
for a in "$@"; do
	case $a in
	--keep) KEEP=1 ;;
	-h | --help | --list)
		exec "$DM_PY" "$DM_ROOT/test/bench/bench.py" "$a" ;;
	*) ARGS+=("$a") ;;
	esac
done
# Reject bad flags before spending minutes on a build.
"$DM_PY" "$DM_ROOT/test/bench/bench.py" --list "${ARGS[@]}" >/dev/null || exit 2

TMP=$(mktemp -d /tmp/driftmon-bench.XXXXXX)
export DM_TMP=$TMP

cleanup() {
	trap '' INT TERM			# a second Ctrl-C must not abort the clean-up
	dm_cluster_stop "$TMP"
	if [ "$KEEP" -eq 1 ]; then
		dm_log "kept $TMP"
	else
		rm -rf "$TMP"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

dm_ensure_deps || exit 1
dm_log "building and installing into $TMP"
dm_build_install "$TMP" || exit 1
# Each case keeps its own connection for the whole run (one backend per case,
# so its peak RSS is its own): allow plenty of connections.
dm_cluster_start "$TMP" "max_parallel_workers = 8
max_connections = 200" || exit 1
dm_log "cluster on $PGHOST (port $PGPORT)"
"$DM_PY" "$DM_ROOT/test/bench/bench.py" "${ARGS[@]}"
