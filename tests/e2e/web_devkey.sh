#!/usr/bin/env bash
# hallq-web's API keys against a hallqd that requires device keys: an API key with a device
# key of its own (api.keys' fourth column) speaks to hallqd as that device, so hallqd's role
# rules and revocation apply to it; an API key without one speaks with hallq-web's own `web`
# key, which may not issue, whatever role hallq-web grants the API key.
# usage: web_devkey.sh HALLQD HALLQCTL HALLQ-WEB
. "$(dirname "$0")/lib.sh"
WEB=${3:?usage: web_devkey.sh HALLQD HALLQCTL HALLQ-WEB}
K=$WORK/keys
D=$WORK/devices
for dev in "web1 web" "mini kiosk"; do
    set -- $dev
    ctl keys new "$1" --role "$2" --keys "$K" --out "$D" > /dev/null || fail "keys new $1"
done
start_daemon --keys "$K"
mini=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
bare=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
( umask 077; printf 'mini kiosk %s %s\nbare kiosk %s\n' "$mini" "$D/mini.key" "$bare" \
    > "$WORK/api.keys" )
HALLQ_KEY=$D/web1.key HALLQ_SERVER_KEY=$K/server.key \
    "$WEB" --listen 127.0.0.1:0 --api-keys "$WORK/api.keys" 2> "$WORK/web.log" &
WEB_PID=$!
port() { sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/web.log"; }
listening() { [ -n "$(port)" ]; }
wait_until 10 "hallq-web did not start listening" listening
live() { curl -sf "http://127.0.0.1:$(port)/wall/state" | grep -q '"live":true'; }
wait_until 10 "hallq-web did not follow hallqd with its web key" live

# issue SECRET: the HTTP status of an issue through the API; the body in $WORK/out.json.
issue() {
    curl -s -o "$WORK/out.json" -w '%{http_code}' -H "Authorization: Bearer $1" \
        -H 'Content-Type: application/json' -d '{"queue":"A","service":3}' \
        "http://127.0.0.1:$(port)/api/v1/tickets"
}
status=$(issue "$mini")
[ "$status" = 201 ] || [ "$status" = 200 ] || fail "issue as device mini: HTTP $status $(cat "$WORK/out.json")"
grep -q '"A001"' "$WORK/out.json" || fail "issue as device mini: $(cat "$WORK/out.json")"
expect_eq "$(sql "SELECT count(*) FROM tickets WHERE label='A001'")" 1 "A001 in hallqd's database"
pass "an API key with a kiosk device key issues A001 through hallqd as that kiosk"

status=$(issue "$bare")
expect_eq "$status" 403 "issue with an API key that has no device key (hallq-web's web key)"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 1 "tickets after the refused issue"
pass "without a device key the same role is refused by hallqd: the web key may not issue"

# Revoked in hallqd's key store: the API key's requests are refused at the next one, while
# hallq-web's own key goes on.
rm -f "$K/clients/mini.key"
status=$(issue "$mini")
[ "$status" != 201 ] && [ "$status" != 200 ] || fail "a revoked device key still issued"
grep -q "device 'mini' (kiosk) was removed" "$LOG" || fail "hallqd did not log mini's removal"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 1 "tickets after the revoked key's issue"
live || fail "hallq-web's own key stopped working"
pass "revoking the device key in hallqd stops the API key (HTTP $status); hallq-web goes on"

kill "$WEB_PID"
wait "$WEB_PID" || fail "hallq-web did not stop cleanly on SIGTERM"
