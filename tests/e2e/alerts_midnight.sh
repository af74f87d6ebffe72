#!/usr/bin/env bash
# A daemon stopped with alerts raised and started again after midnight clears each of them
# with its own event: the queue alerts (queue_alert, and the hook hears the clear) and the
# 10-minute alert (alert, "cleared"). Yesterday's queue is gone, so yesterday's alerts must not
# stay raised, silently or in the snapshot; nor when the daemon stopped right after the
# rollover, before the clear. The hall runs on a simulated clock at 600x, so ten minutes of its
# time is a second of ours.
. "$(dirname "$0")/lib.sh"
cat > "$WORK/hook" <<EOF2
#!/bin/sh
echo "\$1 \$2 \$3" >> "$WORK/hook.out"
EOF2
chmod +x "$WORK/hook"
: > "$WORK/hook.out"
printf '[rules]\nmetric_interval_s = 60\n[alerts]\nwait_target_min = 2\nwait_clear_min = 1\nhold_s = 30\nhook = %s\n' \
    "$WORK/hook" > "$WORK/hall.conf"
queue_alerts() {
    sql "SELECT group_concat(a, ' ') FROM (SELECT json_extract(body, '\$.alert.state') || ':' ||
         json_extract(body, '\$.alert.queue') || ':' || json_extract(body, '\$.alert.kind') AS a
         FROM events WHERE type = 'queue_alert' ORDER BY seq)"
}
metric_alerts() {
    sql "SELECT group_concat(s, ' ') FROM (SELECT json_extract(body, '\$.state') AS s
         FROM events WHERE type = 'alert' ORDER BY seq)"
}

start_daemon --config "$WORK/hall.conf" --simulate "2026-10-12 16:00" --speed 600
ctl login 1 wang > /dev/null
ctl issue A --service 3 > /dev/null
ctl issue A > /dev/null
expect_eq "$(ctl call 1 | head -1)" A001 "call"
ctl start 1 > /dev/null
# A002 waits past 2 minutes (a wait alert); A001 is handled for 11 minutes and more (a queue
# handling alert, and the 10-minute alert at the next metric entry).
wait_until 30 "no wait alert raised" grep -q "^raised A wait" "$WORK/hook.out"
started=$(ctl --json snapshot | python3 -c 'import json,sys; print(json.load(sys.stdin)["ts_ms"])')
handled_11_min() {
    local now
    now=$(ctl --json snapshot | python3 -c 'import json,sys; print(json.load(sys.stdin)["ts_ms"])')
    [ $((now - started)) -ge 660000 ]
}
wait_until 30 "the hall's clock did not pass 11 minutes of handling" handled_11_min
ctl finish 1 | grep -q "of handling" || fail "finish A001"
wait_until 30 "no handling alert raised" grep -q "^raised A handling" "$WORK/hook.out"
wait_until 30 "no 10-minute alert raised" sh -c "[ \"\$(sqlite3 '$DATA/hallq.db' \
    \"SELECT count(*) FROM events WHERE type = 'alert'\")\" = 1 ]"
expect_eq "$(metric_alerts)" "raised" "10-minute alert events before the stop"
stop_daemon || fail "hallqd did not stop cleanly"
pass "alerts raised on 2026-10-12 (queue A wait and handling, the 10-minute alert), then a stop"

start_daemon --config "$WORK/hall.conf" --simulate "2026-10-13 08:30" --speed 600
wait_until 20 "yesterday's wait alert was not cleared after the restart" \
    grep -q "^cleared A wait" "$WORK/hook.out"
wait_until 20 "yesterday's handling alert was not cleared after the restart" \
    grep -q "^cleared A handling" "$WORK/hook.out"
wait_until 20 "yesterday's 10-minute alert was not cleared after the restart" \
    sh -c "[ \"\$(sqlite3 '$DATA/hallq.db' \"SELECT count(*) FROM events WHERE type = 'alert'\")\" = 2 ]"
expect_eq "$(metric_alerts)" "raised cleared" "10-minute alert events after the restart"
expect_eq "$(queue_alerts)" \
    "raised:A:wait raised:A:handling cleared:A:wait cleared:A:handling" \
    "queue_alert events after the restart"
ctl snapshot | grep -Eq "^  queue [A-Z] (longest wait|mean handling)" && fail "the snapshot lists an alert: $(ctl snapshot)"
# The clears are kept: a second restart the same day neither raises nor clears again.
stop_daemon || fail "hallqd did not stop cleanly"
start_daemon --config "$WORK/hall.conf" --simulate "2026-10-13 08:40" --speed 600
ctl snapshot > /dev/null || fail "snapshot after the second restart"
ctl issue A > /dev/null # a tick of the new day's hall
expect_eq "$(metric_alerts)" "raised cleared" "10-minute alert events after a second restart"
expect_eq "$(wc -l < "$WORK/hook.out")" 4 "hook runs"
pass "restarted after midnight: yesterday's alerts cleared with their own events, once each"

# Stopped right after the rollover, before the alert tick cleared yesterday's queue alert (a
# power cut): the rollover's writes are there, the clear is not. The start clears it then.
stop_daemon || fail "hallqd did not stop cleanly"
unset HALLQ_ENDPOINT HALLQ_EVENTS
DATA=$WORK/cut-data
: > "$WORK/hook.out"
start_daemon --config "$WORK/hall.conf" --simulate "2026-10-19 16:00" --speed 600
ctl issue A > /dev/null
wait_until 30 "no wait alert raised on 2026-10-19" grep -q "^raised A wait" "$WORK/hook.out"
stop_daemon || fail "hallqd did not stop cleanly"
sql "UPDATE tickets SET state = 'expired' WHERE state = 'waiting';
     INSERT INTO events(seq, ts_ms, type, body) SELECT max(seq) + 1, max(ts_ms) + 1, 'day',
         json_object('day', '2026-10-20', 'previous_day', '2026-10-19', 'expired', 1,
                     'depths', json('[]'), 'avg_wait_ms', 0, 'seq', max(seq) + 1,
                     'ts_ms', max(ts_ms) + 1) FROM events;
     INSERT OR REPLACE INTO meta(key, value) VALUES ('day', '2026-10-20')"
start_daemon --config "$WORK/hall.conf" --simulate "2026-10-20 08:30" --speed 600
wait_until 20 "the alert raised before the rollover was not cleared after the restart" \
    grep -q "^cleared A wait" "$WORK/hook.out"
expect_eq "$(queue_alerts)" "raised:A:wait cleared:A:wait" "queue_alert events after the cut"
pass "stopped between the rollover and the clear: the start clears yesterday's alert"
