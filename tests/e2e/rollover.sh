#!/usr/bin/env bash
# A new business day: open tickets of earlier days expire (kept in history), numbering
# restarts at 001, a ticket being served stays with its counter.
. "$(dirname "$0")/lib.sh"
start_daemon
ctl login 1 wang >/dev/null; ctl login 2 li >/dev/null
for i in 1 2 3 4; do ctl issue A >/dev/null; done
expect_eq "$(ctl call 1 | head -1)" A001 "call"
expect_eq "$(ctl call 2 | head -1)" A002 "call"
ctl start 2 >/dev/null
stop_daemon
yesterday=$(TZ=Asia/Shanghai date -d yesterday +%F)
sql "UPDATE tickets SET day='$yesterday'"
start_daemon
grep -q "3 open ticket(s) of earlier days expired" "$LOG" || fail "expiry not logged"
expect_eq "$(sql "SELECT group_concat(label||':'||state, ' ') FROM tickets ORDER BY id")" \
    "A001:expired A002:serving A003:expired A004:expired" "states after rollover"
expect_eq "$(ctl issue A | head -1)" A001 "numbering restarts"
ctl --json snapshot | python3 -c '
import json, sys
s = json.load(sys.stdin)
c = {c["id"]: c for c in s["counters"]}
assert c[1]["state"] == "idle", c[1]
assert c[2]["state"] == "serving" and c[2]["current_label"] == "A002", c[2]
assert [t["label"] for t in s["tickets"] if t["state"] == "waiting"] == ["A001"]
' || fail "snapshot after rollover"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type='day'")" 1 "day event logged"
ctl finish 2 >/dev/null || fail "finish yesterday's ticket"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 5 "history kept"
pass "rollover: expired 3, served one kept, numbering restarted"
