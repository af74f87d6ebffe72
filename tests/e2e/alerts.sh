#!/usr/bin/env bash
# Queue alerts reach people: a queue's longest wait past [alerts] wait_target_min raises one
# queue_alert event (hallqctl watch --alerts prints it, the hook runs with its arguments and
# JSON), and the call that empties the queue clears it with its own event; the hook hears
# both, in order, once each. The hall runs on a simulated clock at 60x, so a minute of its
# time is a second of ours.
. "$(dirname "$0")/lib.sh"
cat > "$WORK/hook" <<EOF2
#!/bin/sh
echo "\$*" >> "$WORK/hook.out"
printf '%s\n' "\$HALLQ_ALERT" >> "$WORK/hook.json"
EOF2
chmod +x "$WORK/hook"
printf '[alerts]\nwait_target_min = 2\nwait_clear_min = 1\nhold_s = 30\nhook = %s\n' \
    "$WORK/hook" > "$WORK/hall.conf"
"$HALLQD" --check-config --config "$WORK/hall.conf" >/dev/null || fail "the test's config"
printf '[alerts]\nhook = relative/notify\n' > "$WORK/bad.conf"
out=$("$HALLQD" --check-config --config "$WORK/bad.conf" 2>&1) && fail "a relative hook passed"
grep -q "bad.conf:2: hook must be an absolute path" <<<"$out" || fail "relative hook: $out"
printf '[alerts]\nwait_target_min = 10\nwait_clear_min = 10\n' > "$WORK/bad.conf"
out=$("$HALLQD" --check-config --config "$WORK/bad.conf" 2>&1) && fail "clear = target passed"
grep -q "would flap" <<<"$out" || fail "clear at the target: $out"
pass "alerts config: a relative hook and a clear threshold at the target refused"

start_daemon --config "$WORK/hall.conf" --simulate "2026-10-12 09:00" --speed 60
ctl watch --alerts --count 2 > "$WORK/alerts" 2> "$WORK/watch.err" &
W=$!
wait_until 20 "watch did not sync" grep -q "watching" "$WORK/watch.err"
ctl issue A > /dev/null
# Above 2 minutes for 30 s of the hall's time: raised (every window is closed: open one).
wait_until 30 "no alert raised" grep -q "raised queue A longest wait" "$WORK/alerts"
grep -q "queue_alert raised queue A longest wait 2 min (target 2 min), advice open_window" \
    "$WORK/alerts" || fail "watch line: $(cat "$WORK/alerts")"
wait_until 10 "the hook did not run for the raise" grep -q "^raised A wait" "$WORK/hook.out"
ctl snapshot | grep -q "^  queue A longest wait [0-9]* min (target 2 min), advice open_window" ||
    fail "the snapshot does not list the alert: $(ctl snapshot)"
pass "raised after the hold: watch --alerts and the hook say it, with what would help"
ctl login 1 wang > /dev/null
expect_eq "$(ctl call 1 | head -1)" A001 "call"
wait_until 10 "no alert cleared" exited $W
grep -q "cleared queue A longest wait 0 min" "$WORK/alerts" || fail "clear: $(cat "$WORK/alerts")"
wait_until 10 "the hook did not run for the clear" grep -q "^cleared A wait" "$WORK/hook.out"
expect_eq "$(wc -l < "$WORK/hook.out")" 2 "hook runs"
expect_eq "$(cut -d' ' -f1-3,5- "$WORK/hook.out" | tr '\n' '|')" \
    "raised A wait 2 open_window|cleared A wait 2 open_window|" "hook arguments"
python3 - "$WORK/hook.json" <<'PY' || fail "the hook's JSON: $(cat "$WORK/hook.json")"
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1])]
assert [e["alert"]["state"] for e in evs] == ["raised", "cleared"], evs
assert evs[0]["alert"]["counters"] == [1, 2, 3, 4], evs[0]
assert evs[0]["seq"] < evs[1]["seq"], evs
PY
# The clear is its own event in the log, and nothing flapped meanwhile.
expect_eq "$(sql "SELECT count(*) FROM events WHERE type = 'queue_alert'")" 2 "queue_alert events"
pass "cleared by the call with its own event; hook and log hold one raise and one clear"
