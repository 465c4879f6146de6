#!/usr/bin/env bash
# bench/run.sh: every benchmark, each printing absolute figures and ratios to a baseline from the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bench/http.sh "$build" sqlite
bench/http.sh "$build" pgsql
bench/import.sh "$build"
bench/assess.sh "$build"
bench/verify.sh "$build"
bench/checkin.sh "$build" sqlite
bench/checkin.sh "$build" pgsql
bench/verify_month.sh "$build"
bench/settle.sh "$build"
