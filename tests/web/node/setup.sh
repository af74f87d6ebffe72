#!/usr/bin/env bash
# Installs the independent checkers of hallq-web (puppeteer-core, which drives Debian's
# chromium and downloads no browser; ajv and an OpenAPI document validator) into DIR, once:
# npm ci from the lock file kept here. Prints DIR/node_modules.
# usage: setup.sh DIR
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${1:?usage: setup.sh DIR}
command -v node >/dev/null || { echo "hallq-web tests: node is not installed" >&2; exit 1; }
mkdir -p "$dir"
# The marker is written only after npm has finished, and names the lock it installed.
mark=$dir/node_modules/.hallq-installed
want=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [ "$(cat "$mark" 2>/dev/null)" != "$want" ]; then
    exec 9>"$dir/.install.lock"   # one installer at a time; the others wait here
    flock 9
    if [ "$(cat "$mark" 2>/dev/null)" != "$want" ]; then
        cp "$here/package.json" "$here/package-lock.json" "$dir/"
        (cd "$dir" && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund \
            --loglevel=error >&2) ||
            { echo "hallq-web tests: npm could not install $dir/package-lock.json" >&2; exit 1; }
        echo "$want" > "$mark"
    fi
    exec 9>&-
fi
echo "$dir/node_modules"
