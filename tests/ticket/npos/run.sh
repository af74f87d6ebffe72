#!/usr/bin/env bash
# Runs the independent npos check of ticket bytes (check.js), installing npos first when
# node_modules is missing. Arguments are passed to check.js (a directory of golden tickets,
# or --dump FILE).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v node >/dev/null || { echo "ticket_npos_decode: node is not installed" >&2; exit 1; }
# The marker is written only after npm has finished: npos's own files appear before its
# dependencies do, so their presence says nothing about a complete install.
done_mark=$here/node_modules/.hallq-installed
if [ ! -f "$done_mark" ]; then
    # One installer at a time when several tests start together; the others wait here.
    exec 9>"$here/.install.lock"
    flock 9
    if [ ! -f "$done_mark" ]; then
        (cd "$here" && npm ci --omit=optional --ignore-scripts --no-audit --no-fund \
            --loglevel=error >&2) ||
            { echo "ticket_npos_decode: npm could not install npos@0.1.19" >&2; exit 1; }
        touch "$done_mark"
    fi
    exec 9>&-
fi
exec node "$here/check.js" "$@"
