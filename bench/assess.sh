#!/usr/bin/env bash
# bench/assess.sh: scoring N (default 1,000,000) random valid forms of the national standard with
# 'ltci assess score --jsonl' in one process, as a rate and as ratios to three passes over the same file in the same
# run: 'wc -l' (reading the bytes), Python's json.loads per line and jansson's json_loadb per line
# (bench/jansson_lines.c: parsing with the library ltci uses, no scoring, no output). Then the cost
# of assess_draw over a pool of 10,000 candidates (bench/assess_draw.c, linked with the core library), and the
# service-level draw (bench/assign_bench.c: application_assign over 10,000 assessors and 1,000 experts added to the
# demo, candidates loaded, conflicts and workload excluded, the draw and its audit row written) on SQLite and on
# PostgreSQL, as a ratio to a plain SELECT of the same pool rows in the same process.
#   bench/assess.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-1000000}
bin=$(realpath "$build/ltci")
lib=$(realpath "$build/libltcicore.a")
cc=${CC:-cc}
tmp=$(mktemp -d /tmp/ltci-bench-assess.XXXXXX)
trap 'scripts/pgtest.sh stop "$tmp/pg" >/dev/null 2>&1 || true; rm -rf "$tmp"' EXIT

secs() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }
rate() { awk -v n="$n" -v s="$1" 'BEGIN{printf "%.0f", n/s}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

"$cc" -O2 -o "$tmp/gen_forms" bench/gen_forms.c
echo "generating $n forms ..."
"$tmp/gen_forms" "$n" > "$tmp/forms.jsonl"
echo "forms.jsonl: $(du -m "$tmp/forms.jsonl" | cut -f1) MB"
cat "$tmp/forms.jsonl" > /dev/null # warm the page cache for all three passes

t0=$(secs)
wc -l < "$tmp/forms.jsonl" > /dev/null
t1=$(secs)
base_wc=$(elapsed "$t0" "$t1")

t0=$(secs)
python3 -c 'import sys, json
for line in sys.stdin: json.loads(line)' < "$tmp/forms.jsonl"
t1=$(secs)
base_py=$(elapsed "$t0" "$t1")

"$cc" -O2 -std=c17 -D_GNU_SOURCE $(pkg-config --cflags jansson) -o "$tmp/jansson_lines" bench/jansson_lines.c \
  $(pkg-config --libs jansson)
t0=$(secs)
parsed=$("$tmp/jansson_lines" < "$tmp/forms.jsonl")
t1=$(secs)
base_jansson=$(elapsed "$t0" "$t1")
[[ $parsed -eq $n ]] || { echo "jansson_lines parsed $parsed of $n lines" >&2; exit 1; }

t0=$(secs)
"$bin" assess score --jsonl --scheme schemes/zhoushan.json < "$tmp/forms.jsonl" > "$tmp/results.jsonl"
t1=$(secs)
ours=$(elapsed "$t0" "$t1")
lines=$(wc -l < "$tmp/results.jsonl")
errors=$(grep -c '"error"' "$tmp/results.jsonl" || true)
if [[ $lines -ne $n || $errors -ne 0 ]]; then
  echo "ltci assess score: $lines results for $n forms, $errors errors" >&2
  exit 1
fi

echo
echo "Scoring $n national-standard forms ($(nproc) cores; ratio = baseline time / ltci's time)"
printf '  wc -l                         %7ss (%s lines/s)\n' "$base_wc" "$(rate "$base_wc")"
printf '  python3 json.loads per line   %7ss (%s forms/s)\n' "$base_py" "$(rate "$base_py")"
printf '  jansson json_loadb per line   %7ss (%s forms/s)\n' "$base_jansson" "$(rate "$base_jansson")"
printf '  ltci assess score --jsonl     %7ss (%s forms/s)\n' "$ours" "$(rate "$ours")"
printf '  ratios: to wc %s, to python json.loads %s, to jansson parse only %s\n' \
  "$(ratio "$base_wc" "$ours")" "$(ratio "$base_py" "$ours")" "$(ratio "$base_jansson" "$ours")"

# ---- the draw ----
# shellcheck disable=SC2046
"$cc" -O2 -std=c17 -D_GNU_SOURCE -I src -I "$build/generated" $(pkg-config --cflags jansson) \
  -o "$tmp/assess_draw" bench/assess_draw.c "$lib" \
  $(pkg-config --libs jansson libmicrohttpd sqlite3 libpq libsodium) -lpthread -lm
echo
echo "assess_draw (the rule only)"
"$tmp/assess_draw" 10000 20000000

# shellcheck disable=SC2046
"$cc" -O2 -std=c17 -D_GNU_SOURCE -I src -I "$build/generated" $(pkg-config --cflags jansson) \
  -o "$tmp/assign_bench" bench/assign_bench.c "$lib" \
  $(pkg-config --libs jansson libmicrohttpd sqlite3 libpq libsodium libcurl) -lpthread -lm
echo
echo "application_assign (the service's draw) on SQLite"
"$bin" demo --db "sqlite:$tmp/assign.db" >/dev/null 2>&1
"$tmp/assign_bench" "sqlite:$tmp/assign.db" schemes/zhoushan.json 10000 200
url=$(scripts/pgtest.sh start "$tmp/pg")
"$bin" demo --db "$url" >/dev/null 2>&1
echo "application_assign (the service's draw) on PostgreSQL"
"$tmp/assign_bench" "$url" schemes/zhoushan.json 10000 200
