#!/usr/bin/env bash
# A kiosk key flooding the hall (10,000 issues a second) beside a kiosk that issues twenty
# times a second, in alternating
# rounds of 3 s with and without the flood (SECONDS of each): the calm kiosk's p99 issue
# latency beside the flood stays within 1.5x of its p99 alone, and the flood
# gets no more tickets than its budget. usage: flood.sh HALLQD HALLQCTL [SECONDS]
. "$(dirname "$0")/../e2e/lib.sh"
SECONDS_EACH=${3:-30}
K=$WORK/keys
D=$WORK/devices
for dev in flood calm; do
    ctl keys new "$dev" --role kiosk --keys "$K" --out "$D" >/dev/null || fail "keys new $dev"
done
# The calm kiosk issues 1,200 a minute; each kiosk key gets 1,500, 30 at once.
printf '[limits]\nkiosk = 1500/min, burst 30\n' > "$WORK/hall.conf"
start_daemon --keys "$K" --config "$WORK/hall.conf"
sanitized && export HALLQ_UNBOUNDED=1 # measured, not held to the bound (e2e/lib.sh)
/usr/bin/python3 "$(dirname "$0")/../e2e/abuse.py" load "$HALLQ_ENDPOINT" "$K/server.key" \
    "$D/flood.key" "$D/calm.key" "$SECONDS_EACH" || fail "load beside a flood"
flooded=$(sql "SELECT count(*) FROM tickets WHERE queue='A'")
# The flood's budget refills over the whole run, alone rounds included (twice SECONDS_EACH).
budget=$((30 + 1500 * 2 * SECONDS_EACH / 60 + 15))
[ "$flooded" -le "$budget" ] || fail "the flood got $flooded tickets, budget $budget"
pass "flood held to $flooded tickets (budget $budget); the calm kiosk kept its latency"
