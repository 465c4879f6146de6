#!/usr/bin/env bash
# bench/import.sh: 'ltci import persons' of N (default 1,000,000) generated persons, on SQLite and on PostgreSQL,
# each as a ratio to the engine's own bulk path in the same run into an equivalent table (same columns, a unique
# index on the ID number and the same secondary indexes): the sqlite3 shell's .import, and psql's \copy.
# Target (issue 3): >= 1/3 of the engine's bulk path while validating every row. Then 'ltci contributions run'
# for all of them (target: under 10 s on SQLite).
#   bench/import.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-1000000}
bin=$(realpath "$build/ltci")
tmp=$(mktemp -d /tmp/ltci-bench-import.XXXXXX)
trap 'scripts/pgtest.sh stop "$tmp/pg" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

secs() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", b-a}'; }

echo "generating $n persons ..."
python3 bench/gen_registry.py persons "$n" "$tmp/persons.csv"
python3 bench/gen_registry.py enrolments "$n" "$tmp/enrolments.csv"
size=$(du -m "$tmp/persons.csv" | cut -f1)
echo "persons.csv: ${size} MB"

baseline_ddl="CREATE TABLE persons (id_number TEXT NOT NULL UNIQUE, name TEXT NOT NULL, phone TEXT, address TEXT,
  area_code TEXT, lat TEXT, lon TEXT); CREATE INDEX b_name ON persons (name); CREATE INDEX b_phone ON persons (phone);
  CREATE INDEX b_area ON persons (area_code); CREATE INDEX b_last4 ON persons (substr(id_number, 15));"

# ---- SQLite ----
sqlite3 "$tmp/base.db" "PRAGMA journal_mode=WAL;" >/dev/null
sqlite3 "$tmp/base.db" "$baseline_ddl"
t0=$(secs)
sqlite3 "$tmp/base.db" ".mode csv" ".import --skip 1 $tmp/persons.csv persons" >/dev/null 2>&1
t1=$(secs)
base_sqlite=$(elapsed "$t0" "$t1")
"$bin" demo --db "sqlite:$tmp/ltci.db" >/dev/null 2>&1
t0=$(secs)
"$bin" import persons "$tmp/persons.csv" --db "sqlite:$tmp/ltci.db" >/dev/null 2>&1
t1=$(secs)
ours_sqlite=$(elapsed "$t0" "$t1")
"$bin" import enrolments "$tmp/enrolments.csv" --db "sqlite:$tmp/ltci.db" >/dev/null 2>&1
t0=$(secs)
"$bin" contributions run --year 2026 --db "sqlite:$tmp/ltci.db" --scheme schemes/zhoushan.json >/dev/null 2>&1
t1=$(secs)
contrib_sqlite=$(elapsed "$t0" "$t1")
t0=$(secs)
"$bin" contributions run --year 2026 --db "sqlite:$tmp/ltci.db" --scheme schemes/zhoushan.json >/dev/null 2>&1
t1=$(secs)
contrib_again=$(elapsed "$t0" "$t1")

# ---- PostgreSQL ----
url=$(scripts/pgtest.sh start "$tmp/pg")
psql -X -q "$url" -c "CREATE DATABASE base" -c "CREATE DATABASE ltci" >/dev/null
base_url=${url/\/postgres\?//base?}
ltci_url=${url/\/postgres\?//ltci?}
psql -X -q "$base_url" -c "${baseline_ddl//TEXT NOT NULL,/TEXT COLLATE \"C\" NOT NULL,}" >/dev/null
t0=$(secs)
psql -X -q "$base_url" -c "\\copy persons FROM '$tmp/persons.csv' WITH (FORMAT csv, HEADER true)" >/dev/null
t1=$(secs)
base_pg=$(elapsed "$t0" "$t1")
"$bin" demo --db "$ltci_url" >/dev/null 2>&1
t0=$(secs)
"$bin" import persons "$tmp/persons.csv" --db "$ltci_url" >/dev/null 2>&1
t1=$(secs)
ours_pg=$(elapsed "$t0" "$t1")

rate() { awk -v n="$n" -v s="$1" 'BEGIN{printf "%.0f", n/s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }
echo
echo "Import of $n persons ($(nproc) cores; ratio = engine's bulk path time / ltci's time, target >= 0.33)"
printf '  SQLite      sqlite3 .import %7ss (%s rows/s)   ltci import %7ss (%s rows/s)   ratio %s\n' \
  "$base_sqlite" "$(rate "$base_sqlite")" "$ours_sqlite" "$(rate "$ours_sqlite")" "$(ratio "$base_sqlite" "$ours_sqlite")"
printf '  PostgreSQL  psql \\copy       %7ss (%s rows/s)   ltci import %7ss (%s rows/s)   ratio %s\n' \
  "$base_pg" "$(rate "$base_pg")" "$ours_pg" "$(rate "$ours_pg")" "$(ratio "$base_pg" "$ours_pg")"
echo "Contributions run for $n persons on SQLite: ${contrib_sqlite}s (target < 10 s); again (no changes): ${contrib_again}s"
