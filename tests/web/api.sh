#!/usr/bin/env bash
# hallq-web's JSON API (web_api.h) against the real hallqd, every response checked against
# the OpenAPI document by independent validators from npm (installed into BUILD/web-node).
# usage: api.sh HALLQD HALLQCTL HALLQ-WEB BUILD_DIR
. "$(dirname "$0")/../e2e/lib.sh"
WEB=${3:?usage: api.sh HALLQD HALLQCTL HALLQ-WEB BUILD_DIR}
BUILD=${4:?usage}
MODULES=$(bash "$(dirname "$0")/node/setup.sh" "$BUILD/web-node") || fail "npm install"
start_daemon
kiosk=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
display=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
( umask 077; printf '# hallq-web API keys\nmini kiosk %s\ntv display %s\n' "$kiosk" "$display" \
    > "$WORK/api.keys" )
# A keys file others may read is refused, naming it.
cp "$WORK/api.keys" "$WORK/open.keys"; chmod 644 "$WORK/open.keys"
out=$("$WEB" --listen 127.0.0.1:0 --api-keys "$WORK/open.keys" 2>&1) && fail "an open keys file was accepted"
grep -q "open.keys may be read or written by others" <<<"$out" || fail "refusal: $out"
pass "an API keys file others may read is refused"
"$WEB" --listen 127.0.0.1:0 --api-keys "$WORK/api.keys" 2> "$WORK/web.log" &
port() { sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/web.log"; }
listening() { [ -n "$(port)" ]; }
wait_until 10 "hallq-web did not start listening" listening
live() { curl -sf "http://127.0.0.1:$(port)/wall/state" | grep -q '"live":true'; }
wait_until 10 "hallq-web did not follow hallqd" live
NODE_PATH=$MODULES node "$(dirname "$0")/api.js" "http://127.0.0.1:$(port)" "$kiosk" "$display" ||
    { tail -n 20 "$WORK/web.log" >&2; fail "api.js"; }
pass "hallq-web JSON API"
