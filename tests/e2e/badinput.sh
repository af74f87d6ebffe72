#!/usr/bin/env bash
# Garbage, wrong types, huge frames, unknown counters and queues: error replies, and the
# daemon goes on serving. A bad configuration is refused with its line.
. "$(dirname "$0")/lib.sh"

# A time zone the C library cannot read would run the hall in UTC: refused, with its line.
printf '[hall]\nname = 测试\ntimezone = Asia/Shanghia\n' > "$WORK/tz.conf"
out=$("$HALLQD" --check-config --config "$WORK/tz.conf" 2>&1); expect_eq "$?" 2 "bad time zone exit"
grep -q "tz.conf:3: timezone 'Asia/Shanghia' is no zone" <<<"$out" || fail "bad time zone: $out"
out=$("$HALLQD" --config "$WORK/tz.conf" --data "$DATA" 2>&1); expect_eq "$?" 2 "start refused"
grep -q "tz.conf:3:" <<<"$out" || fail "start with a bad time zone: $out"
# The town hall offers the town list (20), not every row of the catalog (26).
out=$("$HALLQD" --check-config) || fail "check-config: $out"
grep -q "20 service(s) offered (town level)" <<<"$out" || fail "town count: $out"
printf '[hall]\nlevel = village\n' > "$WORK/village.conf"
out=$("$HALLQD" --check-config --config "$WORK/village.conf") || fail "village: $out"
grep -q "6 service(s) offered (village level)" <<<"$out" || fail "village count: $out"
pass "check-config: time zone line named, offered services counted"

start_daemon --log-level debug
/usr/bin/python3 "$(dirname "$0")/badinput.py" "$HALLQ_ENDPOINT" || fail "bad input"
kill -0 "$DAEMON_PID" || fail "daemon died"
expect_eq "$(ctl issue A | head -1)" A001 "daemon still serves"
grep -q "request refused" "$LOG" || fail "refusals are not logged"
! grep -q "110105" "$LOG" || fail "the log quotes an ID number: $(grep 110105 "$LOG" | head -3)"
pass "bad input refused, daemon alive, no ID number in the log"
