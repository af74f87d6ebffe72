#!/usr/bin/env bash
# A clean restart (SIGTERM) rebuilds today's state exactly and flushes the metric log.
. "$(dirname "$0")/lib.sh"
start_daemon
ctl login 2 wang >/dev/null
ctl login 3 li >/dev/null
for q in A B A C; do ctl issue $q >/dev/null; done
ctl issue D --elderly >/dev/null
expect_eq "$(ctl call 2 | head -1)" D001 "green first"
ctl start 2 >/dev/null
expect_eq "$(ctl call 3 | head -1)" A001 "oldest"
ctl finish 3 >/dev/null
ctl pause 3 --reason 培训 >/dev/null
before=$(ctl --json snapshot | python3 -c 'import json,sys; s=json.load(sys.stdin); print(json.dumps([s["tickets"], s["counters"], s["queues"], s["seq"]], sort_keys=True))')
stop_daemon || fail "SIGTERM stop exit code"
grep -q "stopping on signal" "$LOG" || fail "no clean stop logged"
expect_eq "$(sql "SELECT count(*) > 0 FROM metrics WHERE scope='hall'")" 1 "metric flushed at shutdown"
start_daemon
after=$(ctl --json snapshot | python3 -c 'import json,sys; s=json.load(sys.stdin); print(json.dumps([s["tickets"], s["counters"], s["queues"], s["seq"]], sort_keys=True))')
# the shutdown metric entry adds events; compare everything but the sequence number
python3 - "$before" "$after" <<'PY' || fail "state after restart differs"
import json, sys
b, a = json.loads(sys.argv[1]), json.loads(sys.argv[2])
assert b[0] == a[0], "tickets differ"
strip = lambda cs: [{k: v for k, v in c.items() if k != "metric"} for c in cs]
assert strip(b[1]) == strip(a[1]), "counters differ"
assert b[2] == a[2], "queues differ"
assert a[3] > b[3], "sequence did not continue"
PY
ctl finish 2 | grep -q "D001 finished at counter 2" || fail "serving ticket stayed with counter 2"
expect_eq "$(ctl issue A | head -1)" A003 "numbering continues"
pass "restart: tickets, counters and queues identical; numbering and sequence continue"
