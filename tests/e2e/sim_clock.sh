#!/usr/bin/env bash
# hallqd's simulated clock (--simulate START --speed N), for simulation and training halls.
# Refused, in one line and before the data folder is touched, with keys, beyond loopback, and
# for a bad START or speed. On a hall that runs it: the log says so loudly, the snapshot and
# the catalog say "simulated", tickets carry the simulated time, the day turns at the
# simulated midnight and a metric entry comes every simulated 10 minutes. A data folder holds
# one kind of days: a simulated clock refuses a real hall's, a real hall a simulated one's.
. "$(dirname "$0")/lib.sh"

# refused ARGS...: hallqd exits 2 with one line and leaves no database.
refused() {
    local dir=$WORK/refused
    rm -rf "$dir"
    "$HALLQD" --data "$dir" "$@" > "$WORK/out" 2> "$WORK/err"
    local rc=$?
    [ "$rc" = 2 ] || fail "hallqd $*: exit status $rc, expected 2 ($(cat "$WORK/err"))"
    expect_eq "$(wc -l < "$WORK/err")" 1 "hallqd $*: lines on stderr"
    [ ! -e "$dir/hallq.db" ] || fail "hallqd $*: a database was made"
}
refused --simulate 08:30 --keys "$WORK/keys"
grep -q "^hallqd: --simulate is for simulation and training halls: refused with device keys" \
    "$WORK/err" || fail "keys: $(cat "$WORK/err")"
printf '[security]\nkeys = %s\n' "$WORK/keys" > "$WORK/keys.conf"
refused --simulate 08:30 --config "$WORK/keys.conf"
grep -q "refused with device keys (\[security\] keys or --keys)" "$WORK/err" || fail "[security] keys"
refused --simulate 08:30 --request 'tcp://0.0.0.0:*'
grep -q "^hallqd: --simulate is for simulation and training halls: refused on tcp://0.0.0.0:\*, beyond loopback" \
    "$WORK/err" || fail "beyond loopback: $(cat "$WORK/err")"
refused --simulate 08:30 --events 'tcp://eth0:*'
grep -q "refused on tcp://eth0:\*, beyond loopback" "$WORK/err" || fail "events beyond loopback"
refused --simulate 8:30
grep -q "^hallqd: --simulate takes the hall's time to start at, YYYY-MM-DD HH:MM or HH:MM (today), not '8:30'" \
    "$WORK/err" || fail "bad start: $(cat "$WORK/err")"
refused --simulate "2026-02-30 08:00"
refused --simulate 08:30 --speed 0
grep -q "^hallqd: --speed takes a number from 1 to 3600, not '0'" "$WORK/err" || fail "speed 0"
refused --simulate 08:30 --speed 5000
refused --speed 600
grep -q "^hallqd: --speed is the simulated clock's: it needs --simulate START" "$WORK/err" ||
    fail "speed alone: $(cat "$WORK/err")"
"$HALLQD" --check-config --simulate 08:30 --speed 60 > "$WORK/out" || fail "--check-config --simulate"
pass "refused with keys, beyond loopback, for a bad start or speed: one line, nothing made"

# A hall at 600x from 15 minutes before midnight (1.5 s of real time).
start_daemon --simulate "2026-11-23 23:45:00" --speed 600
started=$(date +%s%3N)
ticket=$(ctl --json issue A)
elapsed=$(( $(date +%s%3N) - started ))
issued=$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["ticket"]["issued_ms"])' "$ticket")
# 23:45:00 plus at most 600 times the real time since the start (with the start's own).
[ "$issued" -ge 1795448700000 ] && [ "$issued" -le $((1795448700000 + 600 * (elapsed + 1000))) ] ||
    fail "issued at $issued"
grep -q "warn: SIMULATED CLOCK: the hall's time started at 2026-11-23 23:45:00 and runs 600x as fast as real time; every time this hall records is simulated" \
    "$LOG" || fail "no loud line in the log"
for verb in snapshot catalog; do
    ctl --json $verb | python3 -c 'import json, sys
r = json.load(sys.stdin)
assert r["simulated"] is True and r["speed"] == 600, r.get("simulated")' || fail "$verb says nothing of the clock"
done
wait_until 20 "no rollover" grep -q "business day 2026-11-24: 1 open ticket(s) of earlier days expired" "$LOG"
turned=$(sql "SELECT ts_ms FROM events WHERE type='day'")
# Midnight in Shanghai, and at most a day check late (a millisecond of real time is 0.6 s).
[ "$turned" -ge 1795449600000 ] && [ "$turned" -le 1795449603000 ] || fail "day turned at $turned"
expect_eq "$(ctl issue A | head -1)" A001 "numbering restarts on the simulated day"
metric_entries() { [ "$(sql "SELECT count(*) FROM metrics WHERE scope='hall'")" -ge "$1" ]; }
wait_until 30 "fewer than 4 metric entries" metric_entries 4
# The k-th entry at k x 600 s of the hall's time from a common start, each late by no more
# than the daemon's loop was busy (60 s: 0.1 s of real time).
sql "SELECT ts_ms FROM metrics WHERE scope='hall' ORDER BY id" | python3 -c '
import sys
offsets = sorted(int(t) / 1000 - 600 * k for k, t in enumerate(sys.stdin))
start = offsets[len(offsets) // 2]
assert all(abs(o - start) <= 60 for o in offsets), offsets
' || fail "metric entries not every simulated 10 minutes"
pass "a simulated hall: logged, said in snapshot and catalog, rollover at its midnight ($turned), metric every 10 of its minutes"

# One kind of days a folder: the real clock refuses this one, a simulated clock a start before
# what it recorded, and a real hall's folder.
stop_daemon
latest=$(sql "SELECT max(ts_ms) FROM events")
"$HALLQD" --data "$DATA" 2> "$WORK/err" && fail "a real hall started on simulated days"
grep -q "hallq.db holds a simulated hall's days (hallqd --simulate): a real hall needs a data folder of its own" \
    "$WORK/err" || fail "real on simulated: $(cat "$WORK/err")"
"$HALLQD" --data "$DATA" --simulate "2026-11-23 09:00" 2> "$WORK/err" && fail "started before its records"
grep -q "the simulated clock would start at 2026-11-23 09:00:00, before the latest time .*: start after it, or in an empty data folder" \
    "$WORK/err" || fail "before the records: $(cat "$WORK/err")"
expect_eq "$(sql "SELECT max(ts_ms) FROM events")" "$latest" "the events after refusals"
start_daemon --simulate "2026-11-24 08:30" --speed 60
expect_eq "$(ctl issue A | head -1)" A002 "the simulated day goes on"
stop_daemon
DATA=$WORK/real
start_daemon
ctl issue B > /dev/null
stop_daemon
before=$(sql "SELECT count(*) FROM tickets")
"$HALLQD" --data "$DATA" --simulate 08:30 2> "$WORK/err" && fail "simulated on a real hall's days"
grep -q "hallq.db holds a real hall's days: a simulated clock needs a data folder of its own" \
    "$WORK/err" || fail "simulated on real: $(cat "$WORK/err")"
expect_eq "$before $(sql "SELECT count(*) FROM meta WHERE key='clock'")" "1 0" "the real hall's folder"
pass "a folder holds one kind of days: each refused on the other's, in one line"
