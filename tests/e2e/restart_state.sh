#!/usr/bin/env bash
# A restart keeps what the rules count: the appointment row (two appointments called in a row
# while a walk-in waits, so the next call is the walk-in's, also after a restart) and the queue
# alerts raised (a restart neither raises one again nor forgets it: it clears once, with its own
# event). The hall runs on a simulated clock at 60x, so a minute of its time is a second of ours.
. "$(dirname "$0")/lib.sh"
printf '%s\n' '[rules]' 'normal_max_wait_min = 600' '[alerts]' 'wait_target_min = 2' \
    'wait_clear_min = 1' 'hold_s = 30' '[appointments]' 'lead_min = 0' 'max_in_row = 2' \
    '[slots A]' 'hours = 08:30-12:00' 'capacity = 3' > "$WORK/hall.conf"
"$HALLQD" --check-config --config "$WORK/hall.conf" >/dev/null || fail "the test's config"

# sim_at HH:MM: the hall's clock has reached that time of 2026-10-12 (Asia/Shanghai).
sim_at() {
    ctl snapshot --json | python3 -c '
import json, sys, datetime, zoneinfo
ts = json.load(sys.stdin)["ts_ms"] / 1000
now = datetime.datetime.fromtimestamp(ts, zoneinfo.ZoneInfo("Asia/Shanghai"))
sys.exit(0 if now.strftime("%Y-%m-%d %H:%M") >= "2026-10-12 " + sys.argv[1] else 1)' "$1"
}
# alerts: the states of the queue_alert events logged, in order; has_alert STATE: one is.
alerts() {
    sql "SELECT json_extract(body, '\$.alert.state') FROM events WHERE type = 'queue_alert'
         ORDER BY seq" | tr '\n' ' '
}
has_alert() { alerts | grep -q "$1"; }

start_daemon --config "$WORK/hall.conf" --simulate "2026-10-12 08:28" --speed 60
for id in 11010519491231002X 110105199003070017 110105200001010016; do
    code=$(ctl book A 2026-10-12 08:30 --id-number "$id" | head -1) || fail "book: $code"
    ctl check-in "$code" > /dev/null || fail "check-in $code"
done
expect_eq "$(ctl issue A | head -1)" A004 "the walk-in"
ctl login 1 wang > /dev/null
wait_until 20 "the slot did not begin" sim_at 08:30
for want in A001 A002; do
    expect_eq "$(ctl call 1 | head -1)" "$want" "appointment call"
    ctl finish 1 > /dev/null
done
expect_eq "$(sql "SELECT value FROM meta WHERE key = 'appointment_streak'")" 2 "stored row"
# A004 has waited past 2 minutes for 30 s of the hall's time: its queue's wait alert.
wait_until 30 "no alert raised" has_alert raised
pass "two appointments in a row while a walk-in waits; the wait alert raised"

stop_daemon || fail "hallqd did not stop cleanly"
start_daemon --config "$WORK/hall.conf" --simulate "2026-10-12 09:00" --speed 60
ctl snapshot | grep -q "^  queue A longest wait [0-9]* min (target 2 min)" ||
    fail "the restarted daemon forgot the alert: $(ctl snapshot)"
# Past hold_s of the restarted hall's time and more: it would have been raised again by now.
wait_until 20 "the hall's clock did not move" sim_at 09:02
expect_eq "$(alerts)" "raised " "queue_alert events after the restart"
pass "the restart kept the alert without raising it again"

# The row of two holds across the restart: the walk-in's turn, then the clear.
expect_eq "$(ctl call 1 | head -1)" A004 "the call after the restart"
expect_eq "$(sql "SELECT reason_code FROM tickets WHERE label = 'A004'")" appointment_limit \
    "its reason"
wait_until 10 "no alert cleared" has_alert cleared
expect_eq "$(alerts)" "raised cleared " "queue_alert events"
ctl finish 1 > /dev/null
expect_eq "$(ctl call 1 | head -1)" A003 "the last appointment"
pass "the appointment row survived the restart; the alert cleared once, with its own event"
