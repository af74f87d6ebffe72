#!/usr/bin/env bash
# Runs the independent npos check of ticket bytes (check.js), installing npos first when
# node_modules is missing. Arguments are passed to check.js (a directory of golden tickets,
# or --dump FILE).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v node >/dev/null || { echo "ticket_npos_decode: node is not installed" >&2; exit 1; }
if [ ! -f "$here/node_modules/npos/package.json" ]; then
    # One installer at a time when several tests start together.
    exec 9>"$here/.install.lock"
    flock 9
    if [ ! -f "$here/node_modules/npos/package.json" ]; then
        (cd "$here" && npm ci --omit=optional --ignore-scripts --no-audit --no-fund \
            --loglevel=error >&2) ||
            { echo "ticket_npos_decode: npm could not install npos@0.1.19" >&2; exit 1; }
    fi
    exec 9>&-
fi
exec node "$here/check.js" "$@"
