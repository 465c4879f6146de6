#!/usr/bin/env bash
# bench/verify_month.sh: 'ltci visits verify --month' over a month of a Shanghai-size city on SQLite: by default
# 470,000 beneficiaries, 47,000 caregivers and the 10 million visits of October 2026 that their plans call for
# (bench/verify_month_gen.py; about 4 % exceptions of every kind). Three runs: the first writes every outcome (all
# visits still pending: the worst case), the second finds nothing to change (the usual monthly run, the outcomes
# having been written at each check-out), the third after the civil registry reports 1,000 deaths in the month.
# Baseline in the same run: one plain read of the month's visits through the same index (sqlite3 shell,
# the same columns), so the ratio shows what verification costs on top of reading.
# Target (issue 6): under 60 s for 10,000,000 visits on SQLite on this 2-core machine.
#   bench/verify_month.sh [BUILD_DIR]   env: PERSONS (470000), CAREGIVERS (47000), KEEP=1 keeps the database
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$(realpath "$build/ltci")
persons=${PERSONS:-470000}
caregivers=${CAREGIVERS:-47000}
command -v sqlite3 >/dev/null || { echo "sqlite3 is not installed (scripts/setup.sh installs it)"; exit 1; }

tmp=$(mktemp -d /tmp/ltci-bench-verify-month.XXXXXX)
cleanup() { [[ -n ${KEEP:-} ]] && echo "kept $tmp" || rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/month.db

"$bin" migrate --db "sqlite:$db" >/dev/null 2>&1
python3 bench/verify_month_gen.py "$db" "$persons" "$caregivers"
sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
n=$(sqlite3 "$db" "SELECT COUNT(*) FROM visits")
echo "database: $(du -h "$db" | cut -f1), $n visits"

# October 2026 in Asia/Shanghai time, as the command reads it
lo=$((1790812800 - 8 * 3600))
hi=$((lo + 31 * 86400))
scan() {
  local t0 t1
  t0=$(date +%s.%N)
  sqlite3 "$db" "PRAGMA cache_size=-65536; SELECT COUNT(*), SUM(plan_id + person_id + caregiver_id + provider_id),
    SUM(length(mode)), SUM(COALESCE(checkin_at, 0) + COALESCE(checkout_at, 0)), SUM(checkin_lat_e6 + checkin_lon_e6
    + checkin_accuracy_m), SUM(COALESCE(checkout_lat_e6 + checkout_lon_e6 + checkout_accuracy_m, 0)),
    SUM(length(items)), SUM(disputed), SUM(length(verify_state) + reasons + COALESCE(minutes, 0)),
    SUM(length(COALESCE(review_state, ''))) FROM visits WHERE checkin_at >= $lo AND checkin_at < $hi
    AND status IN ('in_progress', 'done')" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
verify() { # prints the command's seconds and writes its line to the log
  "$bin" visits verify --month 2026-10 --db "sqlite:$db" --scheme schemes/shanghai.json 2>>"$tmp/log" | tee -a "$tmp/out" \
    | sed -n 's/.* in \([0-9.]*\) s .*/\1/p'
}
scan >/dev/null # warm the page cache like the runs after it
base=$(scan)
echo
echo "plain read of the month's visits (baseline): ${base} s"
first=$(verify)
echo "verify, every outcome written:  ${first} s ($(tail -1 "$tmp/out"))"
second=$(verify)
echo "verify, nothing to change:      ${second} s"
sqlite3 "$db" "UPDATE persons SET death_date = '2026-10-25' WHERE id % 470 = 11 AND death_date IS NULL"
third=$(verify)
echo "verify after 1,000 deaths:      ${third} s"
grep -o 'written=[0-9]*' "$tmp/log" | tr '\n' ' '
echo
awk -v b="$base" -v a="$first" -v c="$second" -v d="$third" -v n="$n" 'BEGIN {
  printf "rates: %.0f / %.0f / %.0f visits/s; ratio to the plain read: %.1f / %.1f / %.1f\n",
         n / a, n / c, n / d, a / b, c / b, d / b }'
