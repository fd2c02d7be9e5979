#!/usr/bin/env bash
# test/demo/run.sh: the main command (`make demo`); `--stop` stops it.
#
# Builds and installs driftmon into a private server tree, starts a cluster
# in /tmp/driftmon-demo-$UID that keeps running afterwards, loads a sample
# inference log (test/demo/data.sql) and prints what driftmon finds in it
# (test/demo/report.sql).
set -u
. "$(dirname "$0")/../lib/common.sh"
DIR=/tmp/driftmon-demo-$(id -u)
DB=driftmon_demo

if [ "${1:-}" = "--stop" ]; then
	dm_cluster_stop "$DIR"
	rm -rf "$DIR"
	echo "driftmon demo cluster stopped and removed."
	exit 0
fi

set -e
dm_ensure_deps
# A previous demo is replaced, never reused half-configured.
dm_cluster_stop "$DIR"
rm -rf "$DIR"
mkdir -p "$DIR"
dm_log "building and installing into $DIR/inst"
dm_build_install "$DIR"
dm_log "starting the demo cluster"
dm_cluster_start "$DIR"
dm_psql -q -c "CREATE DATABASE $DB" >/dev/null
export PGDATABASE=$DB
dm_psql -q -c "CREATE EXTENSION driftmon" >/dev/null
dm_log "generating 30 days of predictions (90,000 rows)"
dm_psql -q -f "$DM_ROOT/test/demo/data.sql" >/dev/null
dm_psql -q -P pager=off -f "$DM_ROOT/test/demo/report.sql"

cat <<EOT

The demo cluster is still running. Connect with:

    psql -h $DIR/sock -p $(cat "$DIR/port") -U postgres $DB

Stop and remove it with:  make demo-stop
EOT
