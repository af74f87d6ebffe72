#!/usr/bin/env bash
# hallq-web in Debian's chromium (browser.js, puppeteer-core from npm into BUILD/web-node):
# a ticket printed by hallq-ticket, its QR rendered by libqrencode (qr_pgm) and decoded by
# zbarimg, opens the phone page; the call reaches it within a second; the wall shows the call
# and fetches its audio; the tablet records a rating. Then the booking page (/book) against a
# hall on a simulated clock: a slot booked, its code checked in, a booking cancelled, a full
# slot not offered, guessing limited. Screenshots in BUILD/screenshots.
# usage: browser.sh HALLQD HALLQCTL HALLQ-WEB HALLQ-TICKET QR_PGM BUILD_DIR
. "$(dirname "$0")/../e2e/lib.sh"
WEB=${3:?usage: browser.sh HALLQD HALLQCTL HALLQ-WEB HALLQ-TICKET QR_PGM BUILD_DIR}
TICKET=${4:?usage}
QR_PGM=${5:?usage}
BUILD=${6:?usage}
command -v chromium >/dev/null || fail "chromium is not installed (scripts/deps.sh installs it)"
command -v zbarimg >/dev/null || fail "zbarimg is not installed (zbar-tools; scripts/deps.sh)"
MODULES=$(bash "$(dirname "$0")/node/setup.sh" "$BUILD/web-node") || fail "npm install"
SHOTS=$BUILD/screenshots
mkdir -p "$SHOTS"
# The daemon's ports first: hallq-web starts before it, so that its address can go into the
# hall's configuration ([web] base_url), from which the kiosk makes the QR.
ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
set -- $ports
export HALLQ_ENDPOINT=tcp://127.0.0.1:$1 HALLQ_EVENTS=tcp://127.0.0.1:$2
"$WEB" --listen 127.0.0.1:0 2> "$WORK/web.log" &
port() { sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/web.log"; }
listening() { [ -n "$(port)" ]; }
wait_until 10 "hallq-web did not start listening" listening
BASE=http://127.0.0.1:$(port)
printf '[web]\nbase_url = %s\n' "$BASE" > "$WORK/hall.conf"
start_daemon --config "$WORK/hall.conf"
live() { curl -sf "$BASE/wall/state" | grep -q '"live":true'; }
wait_until 10 "hallq-web did not follow hallqd" live

# A ticket from the kiosk, its ESC/POS bytes kept; the QR's data is what GS ( k stores.
"$TICKET" --queue A --service 1 --out "$WORK/ticket.escpos" --state-dir "$WORK/kiosk" \
    > "$WORK/ticket.out" 2>&1 || fail "hallq-ticket: $(cat "$WORK/ticket.out")"
label=$(ctl snapshot --json | python3 -c 'import json,sys
print([t["label"] for t in json.load(sys.stdin)["tickets"]][-1])')
payload=$(python3 - "$WORK/ticket.escpos" <<'PY'
import sys
b = open(sys.argv[1], "rb").read()
at = 0
while True:
    at = b.find(b"\x1d(k", at)
    if at < 0:
        sys.exit("no QR store command (GS ( k 49 80) in the ticket")
    n = b[at + 3] | b[at + 4] << 8
    if b[at + 5] == 49 and b[at + 6] == 80:
        print(b[at + 8:at + 5 + n].decode("ascii"))
        break
    at += 5 + n
PY
) || fail "the ticket's QR: $payload"
"$QR_PGM" "$payload" "$WORK/qr.pgm" || fail "qr_pgm"
cp "$WORK/qr.pgm" "$SHOTS/web-ticket-qr.pgm"
decoded=$(zbarimg --raw -q "$WORK/qr.pgm") || fail "zbarimg could not read the QR"
[[ "$decoded" == "$BASE/t/"* ]] || fail "the QR holds '$decoded', not a link to $BASE/t/..."
pass "the printed ticket $label's QR decodes (zbarimg) to $decoded"

NODE_PATH=$MODULES node "$(dirname "$0")/browser.js" "$BASE" "$HALLQCTL" "$SHOTS" "$decoded" \
    "$label" || { tail -n 20 "$WORK/web.log" >&2; fail "browser.js"; }
pass "hallq-web in chromium"

# The booking page (/book) against a hall of its own on a simulated clock from 08:00 of a
# Monday, so its slots are the same whenever the test runs: queue A's 09:00-11:00 in half
# hours of two places, bookable up to the slot (lead 0) and checked in from two hours before.
# 09:30 is full (two bookings from hallqctl), so the page does not offer it; 10:30 has one
# booking, which the page cancels.
stop_daemon
unset HALLQ_ENDPOINT HALLQ_EVENTS
DATA=$WORK/book-data
printf '%s\n' '[appointments]' 'days_ahead = 3' 'lead_min = 0' 'per_person_day = 1' \
    'early_min = 120' 'late_min = 15' '[slots A]' 'weekdays = mon-sun' 'hours = 09:00-11:00' \
    'slot_min = 30' 'capacity = 2' > "$WORK/book.conf"
start_daemon --config "$WORK/book.conf" --simulate "2026-11-23 08:00"
ctl book A 2026-11-23 09:30 --id-number 110105199003070017 > /dev/null || fail "book 09:30"
ctl book A 2026-11-23 09:30 --id-number 110105200001010016 > /dev/null || fail "book 09:30 again"
cancel_code=$(ctl book A 2026-11-23 10:30 --id-number 110105197506150028 | head -1) ||
    fail "book 10:30"
"$WEB" --listen 127.0.0.1:0 \
    2> "$WORK/book-web.log" &
book_port() { sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/book-web.log"; }
book_listening() { [ -n "$(book_port)" ]; }
wait_until 10 "hallq-web (bookings) did not start listening" book_listening
BOOK_BASE=http://127.0.0.1:$(book_port)
book_live() { curl -sf "$BOOK_BASE/wall/state" | grep -q '"live":true'; }
wait_until 10 "hallq-web (bookings) did not follow hallqd" book_live
NODE_PATH=$MODULES node "$(dirname "$0")/browser.js" --book "$BOOK_BASE" "$HALLQCTL" "$SHOTS" \
    2026-11-23 "$cancel_code" || { tail -n 20 "$WORK/book-web.log" >&2; fail "browser.js --book"; }
expect_eq "$(sql "SELECT group_concat(printf('%02d:%02d %s', slot / 60, slot % 60, state), ', ')
                  FROM (SELECT * FROM bookings ORDER BY id)")" \
    "09:30 booked, 09:30 booked, 10:30 cancelled, 09:00 checked_in" "bookings in hallqd's store"
pass "the booking page in chromium: booked, checked in, cancelled"
# Bookings and cancels cost the address a guess, as a ticket's token does: codes and ID
# numbers are not tried by the thousand from one address.
limited=
for i in $(seq 1 40); do
    code=$(curl -s -o "$WORK/guess.json" -D "$WORK/guess.head" -w '%{http_code}' -XPOST \
        -H 'Content-Type: application/json' -d '{"code":"KKKKKK","id_number":"110105198001010016"}' \
        "$BOOK_BASE/book/cancel")
    [ "$code" = 429 ] && { limited=$i; break; }
    [ "$code" = 404 ] || fail "a guessed code: HTTP $code $(cat "$WORK/guess.json")"
done
[ -n "$limited" ] || fail "40 guessed booking codes from one address were never limited"
grep -q '"code":"rate_limited","message":"操作过于频繁，请稍后再试"' "$WORK/guess.json" ||
    fail "the limit's answer: $(cat "$WORK/guess.json")"
grep -qi '^retry-after: [1-9]' "$WORK/guess.head" || fail "no Retry-After: $(cat "$WORK/guess.head")"
pass "guessing booking codes from one address: refused (429, Retry-After) at attempt $limited"
