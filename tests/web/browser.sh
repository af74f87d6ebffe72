#!/usr/bin/env bash
# hallq-web in Debian's chromium (browser.js, puppeteer-core from npm into BUILD/web-node):
# a ticket printed by hallq-ticket, its QR rendered by libqrencode (qr_pgm) and decoded by
# zbarimg, opens the phone page; the call reaches it within a second; the wall shows the call
# and fetches its audio; the tablet records a rating. Screenshots in BUILD/screenshots.
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
