#!/usr/bin/env bash
# A kiosk whose request outlives its timeout (daemon stalled) asks again with the same token:
# the citizen gets one ticket, never two.
. "$(dirname "$0")/lib.sh"
TICKET=${3:?hallq-ticket}
start_daemon
kill -STOP "$DAEMON_PID"
"$TICKET" --queue A --timeout 700 --out "$WORK/t.bin" --state-dir "$WORK/state" > "$WORK/kiosk.out" 2>&1 &
KIOSK=$!
sleep 1.0          # the first attempt has timed out by now
kill -CONT "$DAEMON_PID"
wait $KIOSK || fail "kiosk: $(cat "$WORK/kiosk.out")"
[ -s "$WORK/t.bin" ] || fail "nothing printed"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 1 "tickets issued for one press"
expect_eq "$(ctl issue A | head -1)" A002 "numbering"
pass "stalled daemon: the kiosk retried with its token and got exactly one ticket"
