#!/usr/bin/env bash
# A kiosk key flooding the hall (10,000 issues a second) beside ten kiosks that each issue once
# a second, in alternating rounds of 3 s with and without the flood (SECONDS of each): no calm
# kiosk is ever refused and the flood gets no more tickets than its budget. The latencies are
# printed; their target is bench/flood.sh's. usage: flood.sh HALLQD HALLQCTL [SECONDS]
. "$(dirname "$0")/../e2e/lib.sh"
SECONDS_EACH=${3:-30}
K=$WORK/keys
D=$WORK/devices
calm=
for dev in flood calm0 calm1 calm2 calm3 calm4 calm5 calm6 calm7 calm8 calm9; do
    ctl keys new "$dev" --role kiosk --keys "$K" --out "$D" >/dev/null || fail "keys new $dev"
    [ "$dev" = flood ] || calm=${calm:+$calm,}$D/$dev.key
done
# A kiosk issuing once a second is far busier than any a person uses, so the kiosks' budget is
# raised to let it: 60 a minute, 10 at once. The flood gets the same, and no more.
printf '[limits]\nkiosk = 60/min, burst 10\n' > "$WORK/hall.conf"
start_daemon --keys "$K" --config "$WORK/hall.conf"
/usr/bin/python3 "$(dirname "$0")/../../bench/flood.py" "$HALLQ_ENDPOINT" "$K/server.key" \
    "$D/flood.key" "$calm" "$SECONDS_EACH" "$DAEMON_PID" > "$WORK/flood.json" ||
    fail "load beside a flood"
flooded=$(sql "SELECT count(*) FROM tickets WHERE queue='A'")
# The flood's budget refills over the whole run, alone rounds included (twice SECONDS_EACH).
budget=$((10 + 60 * 2 * SECONDS_EACH / 60 + 5))
[ "$flooded" -le "$budget" ] || fail "the flood got $flooded tickets, budget $budget"
pass "flood held to $flooded tickets (budget $budget); no calm kiosk refused"
