#!/usr/bin/env bash
# bench/settle.sh: 'ltci settle run --month' over a month of a Shanghai-size city on SQLite: by default 470,000
# beneficiaries, 47,000 caregivers of 2,000 providers and the 10 million visits of October 2026 their plans call for
# (bench/verify_month_gen.py), verified by 'ltci visits verify --month' and their exceptions decided by the bureau
# (of the undecided ones, two in three accepted and one in three rejected), so that the month can be settled.
# Runs, each timed by the command itself:
#   1. the first run of the month: every provider's draft statement, one item per beneficiary-month, its lines and a
#      link from each of the ten million visits to the item that paid (or deducted) it;
#   2. a re-run of the whole month (every statement still a draft: replaced);
#   3. a re-run of one provider (the usual correction after an exception is decided late).
# Baseline in the same run: one plain GROUP BY over the same visits in the sqlite3 shell (visits per provider and
# beneficiary by outcome, with their minutes), the floor a hand-written query sets; each run is printed with its
# ratio to it. Target (issue 7): the first run under 30 s for 10,000,000 visits on SQLite on this 2-core machine.
#   bench/settle.sh [BUILD_DIR]   env: PERSONS (470000), CAREGIVERS (47000), PROVIDERS (2000), KEEP=1 keeps the
#                                 database, DB=path reuses a database a previous KEEP=1 run left (generation skipped)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$(realpath "$build/ltci")
persons=${PERSONS:-470000}
caregivers=${CAREGIVERS:-47000}
providers=${PROVIDERS:-2000}
scheme=schemes/shanghai.json
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (scripts/setup.sh installs it)"; exit 1; }

tmp=$(mktemp -d /tmp/ltci-bench-settle.XXXXXX)
cleanup() { [[ -n ${KEEP:-} ]] && echo "kept $tmp" || rm -rf "$tmp"; }
trap cleanup EXIT

if [[ -n ${DB:-} ]]; then
  db=$DB
  sqlite3 "$db" "DELETE FROM settlement_visits; DELETE FROM settlement_lines; DELETE FROM settlement_items;
    DELETE FROM settlement_statements WHERE status = 'draft'" >/dev/null
else
  db=$tmp/month.db
  "$bin" migrate --db "sqlite:$db" >/dev/null 2>&1
  python3 bench/verify_month_gen.py "$db" "$persons" "$caregivers" "$providers"
  t0=$(date +%s.%N)
  "$bin" visits verify --month 2026-10 --db "sqlite:$db" --scheme "$scheme" 2>>"$tmp/log" | tail -1
  echo "month verified in $(echo "$(date +%s.%N) - $t0" | bc) s"
  # the bureau's decisions on the exceptions still open
  sqlite3 "$db" "UPDATE visits SET review_state = CASE WHEN id % 3 = 0 THEN 'rejected' ELSE 'accepted' END,
    decided_by = 'bench', decided_at = strftime('%s', 'now')
    WHERE verify_state = 'exception' AND (review_state IS NULL OR review_state <> 'accepted')"
  sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
fi
echo "database: $(du -h "$db" | cut -f1), $(sqlite3 "$db" "SELECT COUNT(*) FROM visits") visits," \
  "$(sqlite3 "$db" "SELECT COUNT(*) FROM providers") providers"

# October 2026 in Asia/Shanghai time, as the command reads it
lo=$((1790812800 - 8 * 3600))
hi=$((lo + 31 * 86400))
group_by() {
  local t0 t1
  t0=$(date +%s.%N)
  sqlite3 "$db" "PRAGMA cache_size=-65536; SELECT COUNT(*), SUM(n) FROM (SELECT provider_id, person_id,
    (reasons & 1) <> 0 AS unqualified, verify_state = 'verified' OR review_state = 'accepted' AS payable,
    COUNT(*) AS n, SUM(COALESCE(minutes, 0)) AS minutes FROM visits WHERE checkin_at >= $lo AND checkin_at < $hi
    AND status IN ('in_progress', 'done') GROUP BY 1, 2, 3, 4)" >"$tmp/groups"
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
settle() { # prints the command's seconds and keeps its output
  local s
  "$bin" settle run --month 2026-10 "$@" --db "sqlite:$db" --scheme "$scheme" 2>>"$tmp/log" >"$tmp/out"
  s=$(sed -n 's/^time \([0-9.]*\) s.*/\1/p' "$tmp/out")
  echo "$s"
}
ratio() { echo "scale=2; $1 / $2" | bc; }

group_by >/dev/null # warm the page cache like the runs after it
base=$(group_by)
echo
echo "plain GROUP BY over the month's visits (baseline): ${base} s ($(cut -d'|' -f1 "$tmp/groups") groups," \
  "$(cut -d'|' -f2 "$tmp/groups") visits)"
first=$(settle)
echo "settle run, first of the month:   ${first} s (ratio $(ratio "$first" "$base"))"
sed -n 's/^total/  total/p; s/^time/  time/p' "$tmp/out"
grep -c '^B' "$tmp/out" | sed 's/^/  statements listed: /'
second=$(settle)
echo "settle run, re-run of the month:  ${second} s (ratio $(ratio "$second" "$base"))"
sed -n 's/^time/  time/p' "$tmp/out"
one=$(settle --provider B0007)
echo "settle run, one provider again:   ${one} s (ratio $(ratio "$one" "$base"))"
sed -n 's/^total/  total/p' "$tmp/out"
