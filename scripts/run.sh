#!/usr/bin/env bash
# run.sh: what 'make run' does after set-up: create var/ltci.db with the demo data if it is absent (else bring its
# schema up to date), print the URL and the demo logins, and serve in the foreground.
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
bin=$build/ltci
db=${LTCI_DB:-sqlite:var/ltci.db}
listen=${LTCI_LISTEN:-127.0.0.1:8080}
mkdir -p var
if [[ $db == sqlite:* && ! -f ${db#sqlite:} ]]; then
  "$bin" demo --db "$db" >/dev/null
else
  "$bin" migrate --db "$db" >/dev/null
fi
echo
echo "  ltci: http://$listen/"
echo
"$bin" demo --logins
echo
exec "$bin" serve --db "$db" --listen "$listen" --scheme "${LTCI_SCHEME:-schemes/zhoushan.json}" --web "${LTCI_WEB:-web/dist}"
