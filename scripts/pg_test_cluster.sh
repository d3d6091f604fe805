#!/usr/bin/env bash
# A throw-away PostgreSQL 15 cluster for the tests: `start DIR` creates one in DIR (removing
# what DIR held) and starts it listening only on a unix socket in DIR; `stop DIR` stops it and
# removes DIR. No TCP port, no password: only processes that can reach DIR can connect, as the
# superuser "torikumi".
#
# initdb refuses to run as root, so when the tests run as root (a container, CI) the cluster
# runs as the unprivileged user "nobody"; DIR must then be in a directory "nobody" can reach
# (under /tmp, say).
set -euo pipefail

command=${1:?usage: pg_test_cluster.sh start|stop DIR}
dir=${2:?usage: pg_test_cluster.sh start|stop DIR}
bin=${TORIKUMI_PG_BIN:-/usr/lib/postgresql/15/bin}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u nobody -- "$@"; else "$@"; fi
}

stop() {
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$command" in
  start)
    stop  # a cluster a crashed run left behind
    mkdir -p "$dir"
    if [ "$(id -u)" -eq 0 ]; then chown nobody "$dir"; fi
    chmod 700 "$dir"
    # fsync off: the cluster is thrown away, and the tests should not wait for the disk.
    as_owner "$bin/initdb" -D "$dir/data" -U torikumi -A trust -E UTF8 --locale=C.UTF-8 \
      --no-sync >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off \
          -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
      start >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "pg_test_cluster: PostgreSQL running with its socket in $dir"
    ;;
  stop)
    stop
    ;;
  *)
    echo "usage: pg_test_cluster.sh start|stop DIR" >&2
    exit 2
    ;;
esac
