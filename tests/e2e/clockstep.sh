#!/usr/bin/env bash
# The system clock steps under a running hallqd (an NTP correction), made with libfaketime:
# the daemon's wall clock is the real one plus an offset read from a file on every reading
# (FAKETIME_TIMESTAMP_FILE, FAKETIME_NO_CACHE), its steady clocks are left alone
# (FAKETIME_DONT_FAKE_MONOTONIC), so the test steps the clock by rewriting the file.
#  (a) 90 s back across midnight: the business day stays, the ticket just called stays
#      called, issues go on with the next numbers; a restart with the clock before the stored
#      day keeps the day and carries on from the latest time recorded;
#  (b) an hour back inside a day: the earlier arrival is called first, and no wait, handling
#      or parked time is negative in the store or the statistics;
#  (c) each step is logged once, with its direction and size.
. "$(dirname "$0")/lib.sh"

FAKETIME_LIB=
for f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1 \
    /usr/local/lib/faketime/libfaketimeMT.so.1; do
    [ -f "$f" ] && FAKETIME_LIB=$f && break
done
[ -n "$FAKETIME_LIB" ] || fail "libfaketime is not installed (scripts/deps.sh installs faketime)"

export TZ=Asia/Shanghai # the default hall's time zone: the business day follows it
D1=2031-05-19
D2=2031-05-20
CLOCK=$WORK/faketime.rc
OFFSET=0
# Only the daemon runs on the faked clock; hallqctl, sqlite3 and this script on the real one.
# Under AddressSanitizer, its allocator reads the clock when it gives memory back to the system,
# from inside libfaketime's own reading: a deadlock at start. It keeps the memory instead.
REAL_HALLQD=$HALLQD
HALLQD=$WORK/hallqd-faketime
cat > "$HALLQD" <<EOF
#!/bin/sh
LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$CLOCK FAKETIME_NO_CACHE=1 \\
FAKETIME_DONT_FAKE_MONOTONIC=1 \\
ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}allocator_release_to_os_interval_ms=-1 \\
exec "$REAL_HALLQD" "\$@"
EOF
chmod +x "$HALLQD"

# libfaketime shares its state through /dev/shm, named by pid, and removes it at a clean
# exit only: a daemon killed on a failure leaves it behind.
DAEMON_PIDS=
trap 'cleanup; for p in $DAEMON_PIDS; do rm -f /dev/shm/faketime_shm_$p /dev/shm/sem.faketime_sem_$p; done' EXIT

write_clock() {
    printf '%+d\n' "$OFFSET" > "$CLOCK.new" && mv "$CLOCK.new" "$CLOCK"
}
# clock_at 'YYYY-MM-DD hh:mm:ss': the daemon's clock says that now, and runs on from there.
clock_at() {
    OFFSET=$(($(date -d "$1" +%s) - $(date +%s)))
    write_clock
}
# clock_step SECONDS: the daemon's clock steps by that much (negative: back).
clock_step() {
    OFFSET=$((OFFSET + $1))
    write_clock
}

start_faked() {
    start_daemon "$@"
    DAEMON_PIDS="$DAEMON_PIDS $DAEMON_PID"
    # hallqctl itself, not the ctl function: a function in the background is a subshell,
    # and killing that would leave the watch running.
    "$HALLQCTL" --json watch --heartbeats > "$WORK/watch.jsonl" 2> "$WORK/watch.err" &
    WATCH_PID=$!
    wait_until 10 "watch did not sync" grep -q watching "$WORK/watch.err"
}

stop_faked() {
    kill "$WATCH_PID" 2>/dev/null
    wait "$WATCH_PID" 2>/dev/null
    stop_daemon || fail "hallqd did not stop cleanly"
}

heartbeats() { grep -c '"type":"heartbeat"' "$WORK/watch.jsonl"; }
at_least() { [ "$(heartbeats)" -ge "$1" ]; }
# The daemon's timers after a step: its heartbeat and its day check run every second, so two
# heartbeats after the step have a day check between them.
after_step_timers() {
    local n
    n=$(heartbeats)
    wait_until 10 "two heartbeats after the step" at_least $((n + 2))
}
# The heartbeats' times (the daemon's clock) never went back.
heartbeats_in_order() {
    python3 - "$WORK/watch.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")[:-1]  # the last may be half written
ts = [json.loads(l)["ts_ms"] for l in lines if '"type":"heartbeat"' in l]
back = [(a, b) for a, b in zip(ts, ts[1:]) if b < a]
assert not back, f"heartbeat time went back: {back[:3]}"
PY
}
day() { sql "SELECT value FROM meta WHERE key='day'"; }
day_is() { [ "$(day)" = "$1" ]; }
logged() { grep -c -- "$1" "$LOG"; }
# No ticket's times go back: each step of a ticket at or after the one before, parked time
# never negative, and issue times in id (issue) order.
store_in_order() {
    expect_eq "$(sql "SELECT count(*) FROM tickets WHERE called_ms < issued_ms
        OR last_called_ms < called_ms OR started_ms < called_ms OR finished_ms < started_ms
        OR park_total_ms < 0")" 0 "$1: tickets whose times go back"
    expect_eq "$(sql "SELECT count(*) FROM tickets a JOIN tickets b ON b.id > a.id
        WHERE b.issued_ms < a.issued_ms")" 0 "$1: tickets issued later with an earlier time"
}

# ---- (a) 90 s back across midnight ----------------------------------------------------------
clock_at "$D1 23:59:50"
start_faked
ctl login 1 wang >/dev/null
expect_eq "$(ctl issue A | head -1)" A001 "issue on $D1"
expect_eq "$(ctl issue A | head -1)" A002 "issue on $D1"
clock_at "$D2 00:00:30" # midnight passes (a step forward)
wait_until 10 "the business day did not turn at midnight" day_is "$D2"
expect_eq "$(ctl issue A | head -1)" A001 "numbering restarts at midnight"
expect_eq "$(ctl call 1 | head -1)" A001 "the new day's first call"

clock_step -90 # back to 23:59:0x on $D1
after_step_timers
expect_eq "$(day)" "$D2" "the business day after the clock stepped back over midnight"
expect_eq "$(sql "SELECT state FROM tickets WHERE day='$D2' AND label='A001'")" called \
    "the ticket called just before the step"
expect_eq "$(sql "SELECT count(*) FROM events WHERE type='day'")" 1 "day events (midnight only)"
out=$(ctl issue A 2>&1) || fail "issue refused after the step: $out"
expect_eq "$(head -1 <<<"$out")" A002 "numbering after the step"
ctl finish 1 >/dev/null || fail "finish refused after the step"
expect_eq "$(ctl call 1 | head -1)" A002 "call after the step"
store_in_order "after the step over midnight"
heartbeats_in_order || fail "the daemon's time went back"
pass "90 s back over midnight: day $D2 kept, A001 still called, A002 issued and called"

# A restart with the clock before the stored day (still behind, or wrong at boot).
stop_faked
clock_at "$D1 23:58:00"
start_faked
grep -q "the clock says $D1, before the business day $D2 of .*: the day stays $D2" "$LOG" ||
    fail "keeping the stored day not logged"
grep -q "behind the latest time recorded" "$LOG" || fail "the clock behind the store not logged"
expect_eq "$(ctl issue A | head -1)" A003 "numbering after a restart with the clock behind"
expect_eq "$(sql "SELECT day FROM tickets WHERE label='A003'")" "$D2" "the day A003 is issued on"
expect_eq "$(ctl --json snapshot | python3 -c 'import json,sys; print(json.load(sys.stdin)["day"])')" \
    "$D2" "the day a restart with the clock behind serves"
store_in_order "after a restart with the clock behind"
stop_faked
pass "restart with the clock on $D1: day $D2 kept, A003 issued after the latest time recorded"

# (c) for (a): each step once, with its direction and size.
expect_eq "$(logged 'the system clock stepped back 90.0 s; ')" 1 "the step back logged once"
expect_eq "$(logged 'the system clock stepped back')" 1 "step back warnings"
expect_eq "$(logged 'warn: the system clock stepped forward')" 1 "the step forward at midnight"
grep -q "warn: the system clock stepped back 90.0 s; the daemon's time goes on from $D2 00:00:3" \
    "$LOG" || fail "the step's line does not say where the daemon's time goes on from"

# ---- (b) an hour back inside a day ----------------------------------------------------------
DATA=$WORK/data-b
: > "$LOG"
clock_at "$D2 10:00:00"
start_faked
ctl login 1 wang >/dev/null
ctl login 2 li >/dev/null
expect_eq "$(ctl issue A | head -1)" A001 "issue"
expect_eq "$(ctl issue A | head -1)" A002 "issue"
expect_eq "$(ctl call 1 | head -1)" A001 "call"
ctl start 1 >/dev/null && ctl park 1 >/dev/null || fail "start and park"

clock_step -3600
expect_eq "$(ctl issue B | head -1)" B001 "issue after the step"
expect_eq "$(ctl issue A | head -1)" A003 "issue after the step"
out=$(ctl --json call 2) || fail "call after the step"
expect_eq "$(python3 -c 'import json,sys; t=json.load(sys.stdin)["ticket"]; print(t["label"], t["reason_code"])' <<<"$out")" \
    "A002 oldest" "the earlier arrival goes first"
ctl unpark 1 A001 >/dev/null && ctl finish 1 >/dev/null || fail "unpark and finish after the step"
ctl start 2 >/dev/null && ctl finish 2 >/dev/null || fail "start and finish after the step"
expect_eq "$(ctl call 1 | head -1)" B001 "next"
ctl finish 1 >/dev/null || fail "finish"
expect_eq "$(ctl call 1 | head -1)" A003 "last"
ctl finish 1 >/dev/null || fail "finish"
store_in_order "after an hour back"
heartbeats_in_order || fail "the daemon's time went back"
ctl stats export --data "$DATA" --from "$D2" --to "$D2" --records --json > "$WORK/records.json" ||
    fail "stats export"
python3 - "$WORK/records.json" <<'PY' || fail "statistics after an hour back"
import json, sys
doc = json.load(open(sys.argv[1]))
records = doc["records"]
assert len(records) == 4, records
for r in records:
    for k in ("wait_min", "handling_min", "park_min"):
        assert r[k] is not None and r[k] >= 0, (r["label"], k, r[k])
def durations(node, path=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from durations(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from durations(v, f"{path}[{i}]")
    elif isinstance(node, (int, float)) and any(w in path for w in ("wait", "handling", "park")):
        yield path, node
found = list(durations(doc))
assert len(found) > 12, found
negative = [(p, v) for p, v in found if v < 0]
assert not negative, negative
PY
stop_faked
pass "an hour back: A002 called before B001 and A003, no time negative in the store or statistics"

# (c) for (b)
expect_eq "$(logged 'warn: the system clock stepped back 3600.0 s; the daemon')" 1 \
    "the hour back logged once"
expect_eq "$(logged 'stepped')" 1 "steps logged"
pass "each step logged once with its direction and size"
