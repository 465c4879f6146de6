#!/usr/bin/env bash
# bench/verify.sh: the visit-verification rule alone (bench/verify_rule.c, linked with the core library):
# verify_visit over N (default 10,000,000) synthetic visits, a month of a Shanghai-size city, as a rate and as a
# ratio to a loop that only computes the same geo_distance_m calls for the same visits in the same run.
#   bench/verify.sh [BUILD_DIR] [N]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
n=${2:-10000000}
lib=$(realpath "$build/libltcicore.a")
cc=${CC:-cc}
tmp=$(mktemp -d /tmp/ltci-bench-verify.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# shellcheck disable=SC2046
"$cc" -O2 -std=c17 -D_GNU_SOURCE -I src -I "$build/generated" $(pkg-config --cflags jansson) \
  -o "$tmp/verify_rule" bench/verify_rule.c "$lib" \
  $(pkg-config --libs jansson libmicrohttpd sqlite3 libpq libsodium) -lpthread -lm
echo
echo "verify_visit (the rule only, $(nproc) cores, one thread)"
"$tmp/verify_rule" "$n"
