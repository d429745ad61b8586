#!/usr/bin/env bash
# PostgreSQL for tests and benchmarks, started here on loopback in a folder
# of our own; nothing touches a system cluster.
#
#   ensure-postgres.sh install                      Debian's postgresql when missing (as root)
#   ensure-postgres.sh start DIR PORT               initdb DIR/data, start on 127.0.0.1:PORT; prints the URL
#   ensure-postgres.sh standby DIR PRIMARY PORT     pg_basebackup of the primary on PRIMARY into DIR/standby,
#                                                   started as a hot standby (streaming replication) on PORT
#   ensure-postgres.sh stop DIR                     stops whatever of the above runs in DIR
#
# initdb and postgres refuse to run as root: as root they run as the
# `postgres` user the package creates, in a folder it owns.
set -euo pipefail

bindir() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then dirname "$(command -v pg_ctl)"; return 0; fi
  return 1
}

install() {
  if bindir >/dev/null; then return 0; fi
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    echo "ensure-postgres: installing Debian's postgresql" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    # The package starts a system cluster on 5432; the tests do not use it.
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      for v in /etc/postgresql/*; do pg_ctlcluster "$(basename "$v")" main stop >/dev/null 2>&1 || true; done
    fi
    bindir >/dev/null && return 0
  fi
  echo "ensure-postgres: no PostgreSQL found. Install it (Debian: sudo apt-get install postgresql) or put initdb and pg_ctl on PATH." >&2
  exit 1
}

# Runs a PostgreSQL binary as the user that may run it.
as_owner() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

own() {
  mkdir -p "$1"
  if [ "$(id -u)" = "0" ]; then chown -R postgres "$1"; fi
}

start() {
  local dir=$1 port=$2 bin
  install
  bin=$(bindir)
  own "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -A trust -U app --no-locale -E UTF8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    # Tests need no durability across power loss; replication still works (wal_level replica is the default).
    cat >>"$dir/data/postgresql.conf" <<EOF
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
EOF
    echo "host replication app 127.0.0.1/32 trust" >>"$dir/data/pg_hba.conf"
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/primary.log" -w start >/dev/null ||
    { cat "$dir/primary.log" >&2; exit 1; }
  echo "postgres://app@127.0.0.1:$port/postgres"
}

standby() {
  local dir=$1 primary=$2 port=$3 bin
  bin=$(bindir)
  own "$dir"
  rm -rf "$dir/standby"
  as_owner "$bin/pg_basebackup" -c fast -h 127.0.0.1 -p "$primary" -U app -R -D "$dir/standby" >"$dir/basebackup.log" 2>&1 ||
    { cat "$dir/basebackup.log" >&2; exit 1; }
  as_owner "$bin/pg_ctl" -D "$dir/standby" -o "-p $port -k $dir -c listen_addresses=127.0.0.1" -l "$dir/standby.log" -w start >/dev/null ||
    { cat "$dir/standby.log" >&2; exit 1; }
  echo "postgres://app@127.0.0.1:$port/postgres"
}

stop() {
  local dir=$1 bin d
  bin=$(bindir) || exit 0
  for d in "$dir/standby" "$dir/data"; do
    if [ -f "$d/postmaster.pid" ]; then as_owner "$bin/pg_ctl" -D "$d" -m immediate stop >/dev/null 2>&1 || true; fi
  done
}

case "${1:-}" in
  install) install ;;
  start) start "$2" "$3" ;;
  standby) standby "$2" "$3" "$4" ;;
  stop) stop "$2" ;;
  *) echo "usage: $0 install | start DIR PORT | standby DIR PRIMARY_PORT PORT | stop DIR" >&2; exit 2 ;;
esac
