#!/usr/bin/env bash
# Garbage, wrong types, huge frames, unknown counters and queues: error replies, and the
# daemon goes on serving.
. "$(dirname "$0")/lib.sh"
start_daemon --log-level debug
/usr/bin/python3 "$(dirname "$0")/badinput.py" "$HALLQ_ENDPOINT" || fail "bad input"
kill -0 "$DAEMON_PID" || fail "daemon died"
expect_eq "$(ctl issue A | head -1)" A001 "daemon still serves"
grep -q "request refused" "$LOG" || fail "refusals are not logged"
! grep -q "110105" "$LOG" || fail "the log quotes an ID number: $(grep 110105 "$LOG" | head -3)"
pass "bad input refused, daemon alive, no ID number in the log"
