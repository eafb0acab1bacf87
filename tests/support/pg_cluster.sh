#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (CTest fixture `pg`, tests/CMakeLists.txt).
#
#   pg_cluster.sh start STATE_DIR   initdb in a new temp dir, start it on a free port of
#                                   127.0.0.1 (trust auth, socket in the temp dir), write
#                                   STATE_DIR/url = postgresql://postgres@127.0.0.1:PORT/
#                                   (append a database name; "postgres" always exists)
#   pg_cluster.sh stop STATE_DIR    stop it and remove the temp dir and STATE_DIR/url
#   pg_cluster.sh restart STATE_DIR [DOWN_SECONDS]
#                                   stop the server (fast: sessions are cut), stay down
#                                   DOWN_SECONDS (default 0), start it again on its port
#
# Without PostgreSQL installed, start writes no url and exits 0: the PostgreSQL cases then
# report themselves skipped, unless PJATS_TEST_PG_REQUIRED=1 (CI), which makes start fail.
# As root the server runs as the `postgres` user (initdb refuses root).
set -euo pipefail
action="${1:?start|stop|restart}"
state="${2:?state dir}"
mkdir -p "$state"

bindir=""
for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
    bindir="$dir"
    break
  fi
done

as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

stop() {
  if [ -f "$state/datadir" ]; then
    tmp="$(cat "$state/datadir")"
    if [ -n "$bindir" ] && [ -d "$tmp/data" ]; then
      as_server "$bindir/pg_ctl" -D "$tmp/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
  fi
  rm -f "$state/url" "$state/datadir"
}

case "$action" in
start)
  stop
  if [ -z "$bindir" ]; then
    echo "pg_cluster: PostgreSQL server not installed (Debian: postgresql); PostgreSQL tests will be skipped" >&2
    if [ "${PJATS_TEST_PG_REQUIRED:-0}" = 1 ]; then
      exit 1
    fi
    exit 0
  fi
  tmp="$(mktemp -d /tmp/pjats-pg.XXXXXX)"
  echo "$tmp" >"$state/datadir"
  chmod 0755 "$tmp"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$tmp"
  fi
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  as_server "$bindir/initdb" -D "$tmp/data" -U postgres --auth=trust --locale=C -E UTF8 \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; exit 1; }
  # Durability is not under test here: fsync off keeps CREATE DATABASE per test fast.
  as_server "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
    -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  echo "postgresql://postgres@127.0.0.1:$port/" >"$state/url"
  echo "pg_cluster: PostgreSQL ($bindir) on 127.0.0.1:$port" >&2
  ;;
stop)
  stop
  ;;
restart)
  tmp="$(cat "$state/datadir")"
  port="$(sed -e 's|.*:\([0-9]*\)/.*|\1|' "$state/url")"
  as_server "$bindir/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null
  sleep "${3:-0}"
  as_server "$bindir/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 60 \
    -o "-p $port -k $tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$tmp/server.log" >&2; exit 1; }
  ;;
*)
  echo "usage: pg_cluster.sh start|stop|restart STATE_DIR [DOWN_SECONDS]" >&2
  exit 2
  ;;
esac
