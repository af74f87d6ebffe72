#!/usr/bin/env bash
# hallqctl watch sees every event, in order, with no gap.
. "$(dirname "$0")/lib.sh"
start_daemon
ctl issue A >/dev/null
ctl --json watch --count 40 > "$WORK/watch.jsonl" 2> "$WORK/watch.err" &
WATCH=$!
for i in $(seq 1 50); do grep -q "watching" "$WORK/watch.err" && break; sleep 0.05; done
grep -q "watching" "$WORK/watch.err" || fail "watch did not sync"
ctl login 2 wang >/dev/null
for i in $(seq 1 8); do ctl issue B >/dev/null; ctl issue C --elderly >/dev/null; done
for i in $(seq 1 5); do ctl call 2 >/dev/null; ctl finish 2 >/dev/null; done
for i in $(seq 1 50); do kill -0 $WATCH 2>/dev/null || break; sleep 0.1; done
kill -0 $WATCH 2>/dev/null && fail "watch did not see 40 events"
python3 - "$WORK/watch.jsonl" <<'PY' || fail "event order"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
assert len(evs) == 40, len(evs)
seqs = [e["seq"] for e in evs]
assert seqs == list(range(seqs[0], seqs[0] + 40)), seqs
assert seqs[0] == 3, seqs[0]   # the snapshot ended at 2 (issued A001 + depths)
types = [e["type"] for e in evs]
assert types[0] == "counter", types[:3]
issued = [e["ticket"]["label"] for e in evs if e["type"] == "issued"]
assert issued[:4] == ["B001", "C001", "B002", "C002"], issued
called = [e["ticket"]["label"] for e in evs if e["type"] == "called"]
assert called and called[0] == "C001", called
PY
# the event log in the database holds the same sequence
expect_eq "$(sql "SELECT count(*) FROM events WHERE seq BETWEEN 3 AND 42")" 40 "events persisted"
pass "watch: 40 events in order, no gap, same as the event log"
