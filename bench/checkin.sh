#!/usr/bin/env bash
# bench/checkin.sh: durable check-in throughput and latency under wrk: 1,000 distinct signed-in caregivers checking
# in on the demo's plans (POST /api/v1/visits/checkin: a visit row and its audit row committed before the answer),
# against /healthz on the same server in the same run (ratio = check-ins/s / healthz requests/s). Every answered
# check-in is then counted in the database.
# Target (issue 6), SQLite: >= 5,000 durable check-ins/s with p99 < 50 ms on this 2-core machine.
#   bench/checkin.sh [BUILD_DIR] [sqlite|pgsql]   env: DURATION (s, default 10), CONNECTIONS (default 64),
#                                                  THREADS (server worker threads, default 64), CAREGIVERS (1000)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
engine=${2:-sqlite}
bin=$(realpath "$build/ltci")
duration=${DURATION:-10}
conns=${CONNECTIONS:-64}
threads=${THREADS:-64}
export CAREGIVERS=${CAREGIVERS:-1000}
command -v wrk >/dev/null || { echo "wrk is not installed (scripts/setup.sh installs it)"; exit 1; }

tmp=$(mktemp -d /tmp/ltci-bench-checkin.XXXXXX)
server_pid=""
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  if [[ $engine == pgsql ]]; then scripts/pgtest.sh stop "$tmp/pg" >/dev/null 2>&1 || true; fi
  [[ -n ${KEEP:-} ]] || rm -rf "$tmp"
}
trap cleanup EXIT

if [[ $engine == pgsql ]]; then
  db=$(scripts/pgtest.sh start "$tmp/pg")
  sql() { psql -X -q -t -A "$db" -v ON_ERROR_STOP=1 "$@"; }
else
  db="sqlite:$tmp/bench.db"
  sql() { sqlite3 "$tmp/bench.db" "$@"; }
fi
"$bin" demo --db "$db" >/dev/null 2>&1
python3 bench/checkin_setup.py "$CAREGIVERS" > "$tmp/setup.sql"
if [[ $engine == pgsql ]]; then sql -f "$tmp/setup.sql" >/dev/null; else sqlite3 "$tmp/bench.db" < "$tmp/setup.sql"; fi


LTCI_NOTIFY_INTERVAL=0 "$bin" serve --db "$db" --listen 127.0.0.1:0 --web web/dist --threads "$threads" \
  --scheme schemes/zhoushan.json > "$tmp/out" 2> "$tmp/server.log" &
server_pid=$!
for _ in $(seq 100); do grep -q listening "$tmp/out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$tmp/out")
[[ -n $port ]] || { cat "$tmp/server.log"; exit 1; }
url=http://127.0.0.1:$port
# the plans in force once the server has started (its maintenance closes plans whose last day has passed)
sleep 1
PLANS=$(sql -c "SELECT cp.id FROM care_plans cp JOIN providers p ON p.id = cp.provider_id WHERE p.code = 'P0001'
  AND cp.status = 'active' AND cp.mode = 'home' AND cp.ended_on IS NULL ORDER BY cp.id" 2>/dev/null \
  || sql "SELECT cp.id FROM care_plans cp JOIN providers p ON p.id = cp.provider_id WHERE p.code = 'P0001'
  AND cp.status = 'active' AND cp.mode = 'home' AND cp.ended_on IS NULL ORDER BY cp.id")
export PLANS=$(echo $PLANS)

before=$(sql -c "SELECT COUNT(*) FROM visits" 2>/dev/null || sql "SELECT COUNT(*) FROM visits")
run() { # prints "rps p50 p99 2xx"
  local out rps p50 p99 reqs non2xx
  out=$(wrk -t2 -c"$conns" -d"${duration}s" --latency "$@" 2>&1)
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  echo "$rps $p50 $p99 $((reqs - ${non2xx:-0})) ${non2xx:-0}"
}
wrk -t2 -c"$conns" -d2s "$url/healthz" >/dev/null
read -r h_rps h_p50 h_p99 _ _ <<<"$(run "$url/healthz")"
read -r c_rps c_p50 c_p99 c_ok c_bad <<<"$(run -s bench/checkin.lua "$url")"
after=$(sql -c "SELECT COUNT(*) FROM visits" 2>/dev/null || sql "SELECT COUNT(*) FROM visits")
rows=$((after - before))
printf 'Durable check-ins (%s, %s server threads, wrk -t2 -c%s, %ss, %s caregivers, %s cores)\n' "$engine" "$threads" \
  "$conns" "$duration" "$CAREGIVERS" "$(nproc)"
printf '  /healthz            %10s req/s   p50 %8s   p99 %8s\n' "$h_rps" "$h_p50" "$h_p99"
printf '  POST visits/checkin %10s req/s   p50 %8s   p99 %8s   (%s answered 200, %s not)\n' "$c_rps" "$c_p50" \
  "$c_p99" "$c_ok" "$c_bad"
printf '  ratio to /healthz   %.3f\n' "$(awk -v a="$c_rps" -v b="$h_rps" 'BEGIN{print a/b}')"
printf '  visit rows written  %s (the answered check-ins were all committed: %s)\n' "$rows" \
  "$([[ $rows -ge $c_ok ]] && echo yes || echo NO)"
[[ $c_bad -eq 0 ]] || { echo "errors in the server log:"; grep -v 'status=200' "$tmp/server.log" | tail -5; }
