#!/usr/bin/env bash
# What a device can do with a valid key, or any local program without keys, and the defences:
# request budgets (rate_limited), message limits, revocation at the next request, a bounded
# queue for subscribers that never read. Prints the figures each attack measured.
. "$(dirname "$0")/lib.sh"
PY="/usr/bin/python3 $(dirname "$0")/abuse.py"
K=$WORK/keys
D=$WORK/devices
for dev in "flood kiosk" "calm kiosk" "gone kiosk" "wall display" "boss manager"; do
    set -- $dev
    ctl keys new "$1" --role "$2" --keys "$K" --out "$D" >/dev/null || fail "keys new $1"
done
printf '[rules]\nheartbeat_ms = 250\n' > "$WORK/keyed.conf"
start_daemon --keys "$K" --config "$WORK/keyed.conf"
S=$K/server.key

out=$($PY flood "$HALLQ_ENDPOINT" "$S" "$D/flood.key" "$D/calm.key") || fail "flood"
echo "$out"
budget=$(printf '%s\n' "$out" | sed -n 's/.*: budget \([0-9]*\);.*/\1/p')
expect_eq "$(grep -c "device 'flood' (kiosk) is over its request budget" "$LOG")" 1 \
    "the flood is logged once, not once a request"
! grep -q "device 'calm'.*over its request budget" "$LOG" || fail "the calm kiosk was limited"
n=$(sql "SELECT count(*) FROM tickets WHERE queue='A'")
# One more at most: what hallqd still held of the flood when the flooder hung up (its queue,
# 1,000 requests at most, read within a quarter of a second) may find the budget refilled.
[ -n "$budget" ] && [ "$n" -le $((budget + 1)) ] ||
    fail "the flood left $n tickets (budget $budget)"
pass "a flooding kiosk key gets its budget and rate_limited; the other kiosk is not refused"

sanitized && export HALLQ_UNBOUNDED=1 # measured, not held to the bounds (lib.sh)
$PY frames "$HALLQ_ENDPOINT" "$DAEMON_PID" "$S" "$D/boss.key" || fail "frames"
pass "oversized and overlong messages cost nothing and are refused"

$PY revoke "$HALLQ_ENDPOINT" "$HALLQ_EVENTS" "$S" "$D/gone.key" "$D/wall.key" \
    "$K/clients/gone.key" 250 || fail "revoke"
grep -q "device 'gone' (kiosk) was removed from $K/clients" "$LOG" || fail "revocation not logged"
pass "a removed key is refused at its next request and its event stream ends"

# Without keys: each local connection has a budget too (600 a minute, 100 at once).
stop_daemon || fail "stop"
unset HALLQ_ENDPOINT HALLQ_EVENTS
start_daemon
out=$(/usr/bin/python3 - "$HALLQ_ENDPOINT" <<'PYEOF'
import json, sys, zmq
d = zmq.Context().socket(zmq.DEALER)
d.connect(sys.argv[1])
for i in range(1000):
    d.send_multipart([b"", json.dumps({"type": "issue", "queue": "C"}).encode()])
codes = []
while len(codes) < 1000 and d.poll(500):
    codes.append(json.loads(d.recv_multipart()[-1]).get("error", {}).get("code", "ok"))
ok, limited = codes.count("ok"), codes.count("rate_limited")
print(ok, limited, len(codes) - ok - limited, 1000 - len(codes))
PYEOF
)
read -r ok limited other unanswered <<<"$out"
[ "$ok" -ge 100 ] && [ "$ok" -le 110 ] || fail "a local flood issued $ok"
# 100 refusals at once, then 100 a second: the rest of the 1,000 sent at once go unanswered.
[ "$limited" -ge 100 ] && [ "$limited" -le 150 ] || fail "$limited refusals sent, not 100 to 150"
expect_eq "$other" 0 "replies other than a ticket or rate_limited"
[ "$unanswered" -ge 700 ] || fail "only $unanswered of the excess went unanswered"
pass "without keys, a flooding connection gets $ok of 1000, $limited refusals, $unanswered unanswered"

# A subscriber that never reads costs a bounded queue. Benchmarks and trusted tools may run
# unlimited: that is a [limits] line.
stop_daemon || fail "stop"
unset HALLQ_ENDPOINT HALLQ_EVENTS
printf '[rules]\nsync_full = 0\n[limits]\nlocal = unlimited\n' > "$WORK/open.conf"
start_daemon --config "$WORK/open.conf"
$PY stuck "$HALLQ_ENDPOINT" "$HALLQ_EVENTS" "$DAEMON_PID" || fail "stuck subscribers"
pass "50 stuck subscribers cost a bounded queue${HALLQ_UNBOUNDED:+ (measured only: a sanitizer build)}"
