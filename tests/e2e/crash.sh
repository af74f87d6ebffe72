#!/usr/bin/env bash
# kill -9 in the middle of a stream of requests, several times: every ticket that got a
# reply is there after the restart, in order; nothing is called twice; numbering continues.
# Each kill lands a random time after the round's first reply. The random numbers come from
# a seed printed first: HALLQ_SEED=N replays the same delays (the requests' own timing varies).
. "$(dirname "$0")/lib.sh"
ROUNDS=${CRASH_ROUNDS:-5}
SEED=${HALLQ_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
RANDOM=$SEED
echo "crash: seed $SEED (HALLQ_SEED=$SEED replays it)"
start_daemon
ctl login 1 wang >/dev/null || fail "login"
: > "$WORK/issued"; : > "$WORK/called"

stream() {
    local i label
    for i in $(seq 1 400); do
        label=$("$HALLQCTL" --timeout 400 issue A 2>/dev/null | head -1) || return 0
        [ -n "$label" ] || return 0
        echo "$label" >> "$WORK/issued"
        if [ $((i % 3)) -eq 0 ]; then
            label=$("$HALLQCTL" --timeout 400 call 1 2>/dev/null | head -1) || return 0
            [ "$label" != none ] && echo "$label" >> "$WORK/called"
            "$HALLQCTL" --timeout 400 finish 1 >/dev/null 2>&1 || return 0
        fi
    done
}

for round in $(seq 1 "$ROUNDS"); do
    before=$(wc -l < "$WORK/issued")
    stream &
    STREAM=$!
    replied() { [ "$(wc -l < "$WORK/issued")" -gt "$before" ]; }
    wait_until 30 "round $round: no reply to the first issue (seed $SEED)" replied
    delay_ms=$((RANDOM % 500))
    sleep "$(printf '%d.%03d' $((delay_ms / 1000)) $((delay_ms % 1000)))"
    kill9_daemon
    wait $STREAM
    got=$(( $(wc -l < "$WORK/issued") - before ))
    start_daemon
    # every replied ticket is in the database
    sql "SELECT label FROM tickets" | sort > "$WORK/stored"
    missing=$(sort "$WORK/issued" | comm -23 - "$WORK/stored")
    [ -z "$missing" ] || fail "round $round: replied tickets lost: $missing"
    # issue order is kept: ids and numbers rise together
    sql "SELECT number FROM tickets ORDER BY id" > "$WORK/numbers"
    sort -n -c "$WORK/numbers" 2>/dev/null || fail "round $round: order changed"
    expect_eq "$(sort -n -u "$WORK/numbers" | wc -l)" "$(wc -l < "$WORK/numbers")" "unique numbers"
    # nothing is called twice, neither by the replies nor in the event log
    expect_eq "$(sort "$WORK/called" | uniq -d)" "" "called twice (replies)"
    dup=$(sql "SELECT json_extract(body,'\$.ticket.label') l FROM events WHERE type='called' GROUP BY l HAVING count(*) > 1")
    expect_eq "$dup" "" "called twice (event log)"
    # numbering continues after the highest number ever issued
    max=$(sql "SELECT max(number) FROM tickets")
    next=$(ctl issue A | head -1)
    expect_eq "$next" "$(printf 'A%03d' $((max + 1)))" "numbering after restart"
    echo "$next" >> "$WORK/issued"
    # a ticket at the window stays with its counter
    at=$(sql "SELECT label FROM tickets WHERE state='called'")
    if [ -n "$at" ]; then
        ctl snapshot --json | grep -q "\"current_label\":\"$at\"" || fail "$at left counter 1"
        ctl finish 1 >/dev/null || fail "finish $at after restart"
    fi
    echo "round $round: killed ${delay_ms} ms after the first reply; $got replied tickets before the kill, all present"
done
total=$(wc -l < "$WORK/issued")
pass "crash: $ROUNDS kills (seed $SEED), $total replied tickets, none lost or duplicated"
