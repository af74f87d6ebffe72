#!/usr/bin/env bash
# hallq-web's JSON API (web_api.h) against the real hallqd, every response checked against
# the OpenAPI document by independent validators from npm (installed into BUILD/web-node).
# usage: api.sh HALLQD HALLQCTL HALLQ-WEB BUILD_DIR
. "$(dirname "$0")/../e2e/lib.sh"
WEB=${3:?usage: api.sh HALLQD HALLQCTL HALLQ-WEB BUILD_DIR}
BUILD=${4:?usage}
MODULES=$(bash "$(dirname "$0")/node/setup.sh" "$BUILD/web-node") || fail "npm install"
# Queue A takes bookings 09:00-11:00 in half-hour slots of two, at least an hour ahead, one a
# person a day. The hall runs on a simulated clock from 08:00 of a Monday, so the day's slots
# are the same whenever the test runs: 09:00 is too soon, the others open.
printf '%s\n' '[appointments]' 'days_ahead = 3' 'lead_min = 60' 'per_person_day = 1' \
    'early_min = 30' 'late_min = 15' '[slots A]' 'weekdays = mon-sun' 'hours = 09:00-11:00' \
    'slot_min = 30' 'capacity = 2' > "$WORK/hall.conf"
start_daemon --config "$WORK/hall.conf" --simulate "2026-11-23 08:00"
kiosk=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
display=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
desk=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_')
( umask 077; printf '# hallq-web API keys\nmini kiosk %s\ntv display %s\ndesk manager %s\n' \
    "$kiosk" "$display" "$desk" > "$WORK/api.keys" )
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
NODE_PATH=$MODULES node "$(dirname "$0")/api.js" "http://127.0.0.1:$(port)" "$kiosk" "$display" \
    "$desk" 2026-11-23 ||
    { tail -n 20 "$WORK/web.log" >&2; fail "api.js"; }
# What the API booked is hallqd's: the booking it kept (and cancelled) is in its store.
expect_eq "$(sql "SELECT group_concat(state, ' ') FROM bookings ORDER BY id")" \
    "cancelled booked booked" "bookings in hallqd's store"
pass "hallq-web JSON API"
