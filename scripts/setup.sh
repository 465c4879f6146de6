#!/usr/bin/env bash
# setup.sh: install what the project needs and build it. Idempotent: installs only missing Debian packages
# (apt-get, as root), installs the web app's npm packages from the lock file when they changed, builds the web app
# when its sources changed, and builds the C code with CMake. Called by 'make run' and 'make test'.
#   scripts/setup.sh [--no-web] [--build-dir DIR] [--cmake-args "..."]
set -euo pipefail
cd "$(dirname "$0")/.."

build_dir=build
with_web=1
cmake_args=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --no-web) with_web=0 ;;
    --build-dir) build_dir=$2; shift ;;
    --cmake-args) cmake_args=$2; shift ;;
    *) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf 'setup: %s\n' "$*" >&2; }

# Debian packages: build tools and libraries (libxlsxwriter for the settlement exports), the PostgreSQL server for
# the test suite, Chromium and a CJK font for browser tests and screenshots, wrk for benchmarks.
packages=(
  build-essential cmake pkg-config git ca-certificates
  libmicrohttpd-dev libjansson-dev libsqlite3-dev sqlite3 libpq-dev libsodium-dev libcmocka-dev
  libcurl4-openssl-dev libxlsxwriter-dev
  postgresql postgresql-client
  python3
  chromium fonts-wqy-microhei
  wrk
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js: use the machine's if it has one (it may come from outside Debian, with npm built in).
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs)
  command -v npm >/dev/null 2>&1 || missing+=(npm)
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  if [[ $(id -u) -ne 0 ]]; then
    log "missing packages: ${missing[*]}; run this script as root (or install them) first"
    exit 1
  fi
  log "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ $with_web -eq 1 ]]; then
  node_major=$(node -p 'process.versions.node.split(".")[0]')
  node_minor=$(node -p 'process.versions.node.split(".")[1]')
  if (( node_major < 20 || (node_major == 20 && node_minor < 19) )); then
    log "Node.js $(node --version) is too old for the web build (Vite 7 needs 20.19 or later)"
    exit 1
  fi
  export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
  stamp=web/node_modules/.ltci-lock-stamp
  if [[ ! -f $stamp ]] || ! cmp -s web/package-lock.json "$stamp"; then
    log "installing npm packages (npm ci)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
    cp web/package-lock.json "$stamp"
  fi
  # Rebuild the web app when any of its sources is newer than the build.
  if [[ ! -f web/dist/index.html ]] || [[ -n $(find web/src web/index.html web/vite.config.js web/package.json \
        -newer web/dist/index.html -print -quit 2>/dev/null) ]]; then
    log "building the web app"
    (cd web && npm run build --silent)
  fi
fi

log "building the C code in $build_dir"
# shellcheck disable=SC2086
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo $cmake_args >/dev/null
cmake --build "$build_dir" -j "$(nproc)" -- --no-print-directory >/dev/null
log "ready: $build_dir/ltci"
