#!/usr/bin/env bash
# hallqctl snapshot and watch show times in the hall's time zone, not the zone of the
# machine hallqctl runs on: the hall here is in Tokyo (UTC+9, no daylight saving), hallqctl
# runs with TZ=UTC, and the times printed are Tokyo's.
. "$(dirname "$0")/lib.sh"
printf '[hall]\ntimezone = Asia/Tokyo\n' > "$WORK/hall.conf"
start_daemon --config "$WORK/hall.conf"
export TZ=UTC

# tokyo MS: HH:MM:SS of an epoch time in the hall's zone
tokyo() { TZ=Asia/Tokyo date -d "@$(( $1 / 1000 ))" +%T; }
# near A B: two clock times at most 2 s apart
near() {
    local a b
    a=$(TZ=UTC date -d "1970-01-01 $1" +%s) b=$(TZ=UTC date -d "1970-01-01 $2" +%s)
    [ $(( (a - b + 86400) % 86400 )) -le 2 ] || [ $(( (b - a + 86400) % 86400 )) -le 2 ]
}

ctl watch --count 1 > "$WORK/watch.out" 2> "$WORK/watch.err" &
watcher=$!
wait_until 10 "watch never started" grep -q "watching" "$WORK/watch.err"
ctl issue A > /dev/null || fail "issue"
wait_until 10 "watch printed no event" exited "$watcher"
issued_ms=$(ctl --json snapshot | python3 -c 'import json, sys
print(json.load(sys.stdin)["tickets"][0]["issued_ms"])')
expected=$(tokyo "$issued_ms")

shown=$(ctl snapshot | sed -n 's/^  A001 .* issued \([0-9:]*\).*/\1/p')
[ -n "$shown" ] || fail "snapshot shows no issue time: $(ctl snapshot)"
near "$shown" "$expected" || fail "snapshot shows A001 issued at $shown; the hall's clock said $expected"
pass "snapshot: A001 issued at $shown, the hall's time (Tokyo), with hallqctl in UTC"

watched=$(awk '{print $1; exit}' "$WORK/watch.out")
near "$watched" "$expected" || fail "watch printed $watched for the issue; the hall's clock said $expected: $(cat "$WORK/watch.out")"
pass "watch: the issue at $watched, the hall's time"
