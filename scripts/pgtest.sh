#!/usr/bin/env bash
# pgtest.sh: a throw-away PostgreSQL cluster for the test suite, on a Unix socket in a temporary directory.
# DIR holds the handle (url, the cluster's location); the cluster itself lives in /tmp/ltci-pg.*.
#   pgtest.sh start DIR   initdb + start; prints the connection URL and writes it to DIR/url
#   pgtest.sh stop DIR    stop the cluster and remove DIR
# PostgreSQL refuses to run as root, so when run as root the cluster belongs to the 'postgres' user.
set -euo pipefail

cmd=${1:-}; dir=${2:-}
[[ -n "$cmd" && -n "$dir" ]] || { echo "usage: pgtest.sh start|stop DIR" >&2; exit 2; }

pgbin=""
for v in 17 16 15 14 13; do
  if [[ -x /usr/lib/postgresql/$v/bin/pg_ctl ]]; then pgbin=/usr/lib/postgresql/$v/bin; break; fi
done
if [[ -z "$pgbin" ]]; then
  pgbin=$(dirname "$(command -v pg_ctl 2>/dev/null || echo /nonexistent/pg_ctl)")
fi
[[ -x "$pgbin/pg_ctl" ]] || { echo "pgtest.sh: PostgreSQL server binaries not found (install 'postgresql')" >&2; exit 1; }

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
  if [[ -f "$dir/url" && -f "$dir/cluster" ]] &&
     as_owner "$pgbin/pg_ctl" -D "$(cat "$dir/cluster")/data" status >/dev/null 2>&1; then
    cat "$dir/url"; exit 0
  fi
  rm -rf "$dir"; mkdir -p "$dir"
  # The cluster lives in its own directory under /tmp: DIR's parents may not be open to the postgres user
  # (a fresh clone under a private mktemp directory, for instance).
  cluster=$(mktemp -d /tmp/ltci-pg.XXXXXX)
  echo "$cluster" > "$dir/cluster"
  if [[ $(id -u) -eq 0 ]]; then chown postgres:postgres "$cluster"; chmod 0755 "$cluster"; fi
  as_owner "$pgbin/initdb" -D "$cluster/data" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { rm -rf "$cluster/data"; as_owner "$pgbin/initdb" -D "$cluster/data" -A trust -U postgres -E UTF8 --locale=C \
         >"$dir/initdb.log" 2>&1; } \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # A port number names the socket file; no TCP listener is opened.
  port=$(( 20000 + RANDOM % 20000 ))
  as_owner "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w -t 60 \
    -o "-k $cluster -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null || { cat "$cluster/server.log" >&2; exit 1; }
  url="postgresql:///postgres?host=$cluster&port=$port&user=postgres"
  echo "$url" > "$dir/url"
  echo "$url"
  ;;
stop)
  cluster=$(cat "$dir/cluster" 2>/dev/null || true)
  if [[ -n "$cluster" && -d "$cluster/data" ]]; then
    as_owner "$pgbin/pg_ctl" -D "$cluster/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  [[ -n "$cluster" && "$cluster" == /tmp/ltci-pg.* ]] && rm -rf "$cluster"
  rm -rf "$dir"
  ;;
*)
  echo "usage: pgtest.sh start|stop DIR" >&2; exit 2 ;;
esac
