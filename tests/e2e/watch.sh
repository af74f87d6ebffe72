#!/usr/bin/env bash
# hallqctl watch sees every event, in order, with no gap.
. "$(dirname "$0")/lib.sh"
start_daemon
ctl issue A >/dev/null
ctl --json watch --count 25 > "$WORK/watch.jsonl" 2> "$WORK/watch.err" &
WATCH=$!
for i in $(seq 1 50); do grep -q "watching" "$WORK/watch.err" && break; sleep 0.05; done
grep -q "watching" "$WORK/watch.err" || fail "watch did not sync"
ctl login 2 wang >/dev/null
for i in $(seq 1 8); do ctl issue B >/dev/null; ctl issue C --elderly >/dev/null; done
for i in $(seq 1 5); do ctl call 2 >/dev/null; ctl finish 2 >/dev/null; done
for i in $(seq 1 50); do kill -0 $WATCH 2>/dev/null || break; sleep 0.1; done
kill -0 $WATCH 2>/dev/null && fail "watch did not see 25 events"
python3 - "$WORK/watch.jsonl" <<'PY' || fail "event order"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
assert len(evs) == 25, len(evs)
seqs = [e["seq"] for e in evs]
assert seqs == list(range(seqs[0], seqs[0] + 25)), seqs
assert seqs[0] == 2, seqs[0]   # the snapshot ended at 1 (issued A001)
types = [e["type"] for e in evs]
assert types[0] == "counter", types[:3]
issued = [e["ticket"]["label"] for e in evs if e["type"] == "issued"]
assert issued[:4] == ["B001", "C001", "B002", "C002"], issued
called = [e["ticket"]["label"] for e in evs if e["type"] == "called"]
assert called and called[0] == "C001", called
# every issue and call carries the waiting counts it left, for all queues
last = [e for e in evs if e["type"] == "issued"][-1]
depths = {d["queue"]: d["waiting"] for d in last["depths"]}
assert depths["B"] == 8 and depths["C"] == 8 and depths["A"] == 1, depths
first_call = [e for e in evs if e["type"] == "called"][0]
assert {d["queue"]: d["waiting"] for d in first_call["depths"]}["C"] == 7, first_call
PY
# the event log in the database holds the same sequence
expect_eq "$(sql "SELECT count(*) FROM events WHERE seq BETWEEN 2 AND 26")" 25 "events persisted"
pass "watch: 25 events in order, no gap, waiting counts on each, same as the event log"
