#!/usr/bin/env bash
# hallq-sync beside a real hallqd issuing tickets, into a throwaway PostgreSQL: the central
# copy equals the hall's log event by event; the shipper killed with SIGKILL at random moments
# (a seed printed first: HALLQ_SEED=N replays the delays) loses and doubles nothing; the
# database stopped mid-stream while tickets go on being issued, then started again, is caught
# up; the tickets and roll-ups derived by SQL agree with the hall's own tables; the same hall
# id from another database is refused with the reason in the log.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/pg.sh"
SYNC=$(dirname "$HALLQD")/hallq-sync
# A failure shows the shippers' log too.
eval "lib_$(declare -f fail)"
fail() {
    if [ -f "$WORK/sync.log" ]; then echo "--- hallq-sync log (last 20 lines):" >&2; tail -n 20 "$WORK/sync.log" >&2; fi
    lib_fail "$@"
}
SAME=$(dirname "$0")/same.py
ROUNDS=${HALLQ_ROUNDS:-50}
SEED=${HALLQ_SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}
RANDOM=$SEED
echo "ship: seed $SEED (HALLQ_SEED=$SEED replays it)"
pg_start
"$SYNC" --central "$PG_URL" --init --lang en | grep -qx "city store schema at version 4 (created)" ||
    fail "--init on an empty database"
"$SYNC" --central "$PG_URL" --init --lang en | grep -q "already up to date" || fail "--init again"

start_daemon
ctl login 1 wang >/dev/null
ctl login 2 li >/dev/null
# The hall at work: tickets issued, called, served, rated, until told to stop.
work() {
    local i=0
    while [ ! -e "$WORK/stop" ]; do
        i=$((i + 1))
        ctl issue A >/dev/null 2>&1
        if [ $((i % 3)) -eq 0 ]; then
            ctl call 1 >/dev/null 2>&1 && ctl start 1 >/dev/null 2>&1 && ctl finish 1 >/dev/null 2>&1
        fi
        [ $((i % 7)) -ne 0 ] || ctl issue B --green >/dev/null 2>&1 || ctl issue B >/dev/null 2>&1
    done
}
work &
WORKER=$!
SHIP=(--central "$PG_URL" --data "$DATA" --hall t1 --name 城关镇 --level town)
central_rows() {
    psql_q -c "SELECT seq, ts_ms, type, body FROM hallq.events WHERE hall = 't1' ORDER BY seq" \
        > "$WORK/central.rows"
}
hall_max() { sql "SELECT coalesce(max(seq), 0) FROM events"; }
central_max() { psql_q -c "SELECT coalesce(max(contiguous_seq), 0) FROM hallq.epochs WHERE hall = 't1'"; }
caught_up() { [ "$(central_max)" -ge "$1" ]; }
grown() { [ "$(hall_max)" -gt "$1" ]; }

# SIGKILL at random moments, each round a new shipper that resumes where the store says.
kills=0
for round in $(seq 1 "$ROUNDS"); do
    "$SYNC" "${SHIP[@]}" --batch $((1 + RANDOM % 40)) 2>> "$WORK/sync.log" &
    pid=$!
    delay_ms=$((RANDOM % 120))
    sleep "$(printf '0.%03d' "$delay_ms")"
    kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
    wait "$pid" 2>/dev/null
done
[ "$(central_max)" -gt 0 ] || fail "nothing shipped in $ROUNDS rounds (seed $SEED)"

# The database stopped mid-stream while the hall goes on, then started again.
"$SYNC" "${SHIP[@]}" --batch 5 2>> "$WORK/sync.log" &
SYNCER=$!
wait_until 30 "the shipper did not start shipping" caught_up "$(( $(central_max) + 1 ))"
from=$(($(wc -l < "$WORK/sync.log") + 1))
pg_down fast
before=$(hall_max)
retried() { tail -n +"$from" "$WORK/sync.log" | grep -q "$1"; }
wait_until 30 "tickets are not issued while the city store is down" grown $((before + 20))
wait_until 30 "no retry logged while the store is down" retried "retrying"
pg_up
touch "$WORK/stop"
wait "$WORKER"
end=$(hall_max)
wait_until 60 "the central copy did not catch up after the store came back (seed $SEED)" caught_up "$end"
kill -TERM "$SYNCER"
wait "$SYNCER" || fail "hallq-sync did not stop cleanly on SIGTERM"
retried "the city store answers again" || fail "no recovery logged"

central_rows
n=$(python3 "$SAME" "$DATA/hallq.db" "$WORK/central.rows") || fail "the central copy differs (seed $SEED): $n"
expect_eq "$n" "$end" "events in the central copy"

# A shipper on a caught-up hall has nothing to do, and --once ends.
"$SYNC" "${SHIP[@]}" --once 2>> "$WORK/sync.log" || fail "--once on a caught-up hall"

# The tickets derived by SQL are the hall's tickets (state, times, counter, lane).
cols="id, label, queue, state, issued_ms, coalesce(called_ms, 0), coalesce(finished_ms, 0), coalesce(counter, 0)"
sql "SELECT $cols, green FROM tickets ORDER BY id" | tr '|' ' ' > "$WORK/hall.tickets"
psql_q -c "SELECT $cols, green::int FROM hallq.tickets WHERE hall = 't1' ORDER BY id" | tr '|' ' ' \
    > "$WORK/central.tickets"
diff "$WORK/hall.tickets" "$WORK/central.tickets" > "$WORK/tickets.diff" ||
    fail "tickets differ: $(head -n 4 "$WORK/tickets.diff")"
# The roll-ups count them: issued per queue, finished per counter.
sql "SELECT queue, count(*), count(called_ms) FROM tickets GROUP BY queue ORDER BY queue" > "$WORK/hall.q"
psql_q -c "SELECT queue, sum(issued), sum(called) FROM hallq.daily_queues WHERE hall = 't1'
           GROUP BY queue ORDER BY queue" > "$WORK/central.q"
diff "$WORK/hall.q" "$WORK/central.q" >/dev/null || fail "queue roll-ups: $(paste -d' ' "$WORK/hall.q" "$WORK/central.q")"
sql "SELECT counter, count(*) FROM tickets WHERE state = 'finished' GROUP BY counter ORDER BY counter" > "$WORK/hall.c"
psql_q -c "SELECT counter, sum(finished) FROM hallq.daily_counters WHERE hall = 't1'
           GROUP BY counter ORDER BY counter" > "$WORK/central.c"
diff "$WORK/hall.c" "$WORK/central.c" >/dev/null || fail "counter roll-ups: $(paste -d' ' "$WORK/hall.c" "$WORK/central.c")"
tickets=$(wc -l < "$WORK/hall.tickets")
stop_daemon

# A hall's appointments, on a simulated clock at 600x: one cancelled, two checked in (each
# with its ticket), one not come (a no-show once its check-in window closed at 08:45). The
# store's bookings equal the hall's, field by field, and no ID number reached the store.
DATA=$WORK/b1
unset HALLQ_ENDPOINT HALLQ_EVENTS
printf '%s\n' '[appointments]' 'lead_min = 0' 'early_min = 30' 'late_min = 15' '[slots A]' \
    'hours = 08:30-12:00' 'capacity = 4' > "$WORK/b1.conf"
start_daemon --config "$WORK/b1.conf" --simulate "2026-10-12 08:20" --speed 600
ids=(11010519491231002X 110105199003070017 110105200001010016 110105198506060019)
codes=()
for id in "${ids[@]}"; do
    code=$(ctl book A 2026-10-12 08:30 --id-number "$id" | head -1) || fail "book: $code"
    codes+=("$code")
done
ctl cancel "${codes[0]}" --id-number "${ids[0]}" >/dev/null || fail "cancel ${codes[0]}"
ctl check-in "${codes[1]}" >/dev/null || fail "check-in ${codes[1]}"
ctl check-in "${codes[2]}" >/dev/null || fail "check-in ${codes[2]}"
no_show() { [ "$(sql "SELECT state FROM bookings WHERE code = '${codes[3]}'")" = no_show ]; }
wait_until 30 "the booking not checked in did not become a no-show" no_show
stop_daemon
"$SYNC" --central "$PG_URL" --data "$DATA" --hall b1 --name 预约测试厅 --level town --once \
    2>> "$WORK/sync.log" || fail "shipping b1"
same_bookings() {
    sql "SELECT code, queue, day, printf('%02d:%02d', slot / 60, slot % 60), state, booked_ms,
         coalesce(changed_ms, ''), coalesce((SELECT label FROM tickets t WHERE t.id = b.ticket), '')
         FROM bookings b ORDER BY code" > "$WORK/hall.bookings"
    psql_q -c "SELECT code, queue, day, to_char(slot, 'HH24:MI'), state, booked_ms,
               coalesce(changed_ms::text, ''), coalesce(ticket, '')
               FROM hallq.bookings WHERE hall = 'b1' ORDER BY code" > "$WORK/central.bookings"
    diff "$WORK/hall.bookings" "$WORK/central.bookings" > "$WORK/bookings.diff" ||
        fail "$1: bookings differ: $(head -n 4 "$WORK/bookings.diff")"
}
same_bookings "shipped"
expect_eq "$(psql_q -c "SELECT string_agg(state || ':' || (ticket IS NOT NULL), ' ' ORDER BY state)
                       FROM hallq.bookings WHERE hall = 'b1'")" \
    "cancelled:false checked_in:true checked_in:true no_show:false" "the bookings' states"
expect_eq "$(psql_q -c "SELECT count(*) FROM hallq.events WHERE hall = 'b1'
                       AND body::text ~ '(11010519491231002X|110105199003070017)'")" 0 \
    "events of b1 carrying an ID number"

# A city store of schema 2, made before tickets kept why they were called and before it kept
# bookings: migration 3 adds the call's reason and fills it in for the tickets already shipped,
# from their events; migration 4 makes the bookings of the booking events already shipped. The
# store is taken back to schema 2 as it was (its columns and its two functions, no bookings).
func() { # FILE NAME: the CREATE FUNCTION statement of NAME in a migration file
    /usr/bin/python3 -c 'import sys; s = open(sys.argv[1]).read(); a = s.index("CREATE FUNCTION " + sys.argv[2])
print("CREATE OR REPLACE" + s[a + 6:s.index("END $$;", a) + 7])' "$1" "$2"
}
M=$(dirname "$0")/../../sync/migrations
{
    echo "DROP TRIGGER events_bookings ON hallq.events; DROP TABLE hallq.bookings;"
    echo "DROP FUNCTION hallq.apply_booking_event(); DROP FUNCTION hallq.apply_booking;"
    echo "ALTER TABLE hallq.tickets DROP COLUMN reason, DROP COLUMN reason_code;"
    func "$M/0001_central.sql" hallq.apply_event
    func "$M/0002_hall_tickets.sql" hallq.hall_tickets
    echo "DELETE FROM hallq.migrations WHERE version IN (3, 4);"
} > "$WORK/schema2.sql"
psql_q -f "$WORK/schema2.sql" >/dev/null || fail "taking the store back to schema 2"
ctl central migrate --central "$PG_URL" --lang en |
    grep -qx "city store schema migrated from version 2 to 4" || fail "migrating from schema 2"
same_bookings "after migration 4"
DATA=$WORK/data
why="id, coalesce(reason, ''), coalesce(reason_code, '')"
sql "SELECT $why FROM tickets ORDER BY id" > "$WORK/hall.why"
psql_q -c "SELECT $why FROM hallq.tickets WHERE hall = 't1' ORDER BY id" > "$WORK/central.why"
diff "$WORK/hall.why" "$WORK/central.why" > "$WORK/why.diff" ||
    fail "the calls' reasons after migration 3: $(head -n 4 "$WORK/why.diff")"
called=$(grep -c '|..*|..*$' "$WORK/hall.why")
[ "$called" -gt 0 ] || fail "no ticket of the hall was called for a reason"

# Another hall's database under the same id: refused, the reason logged, nothing shipped.
DATA=$WORK/other
start_daemon
ctl issue A >/dev/null
"$SYNC" --central "$PG_URL" --data "$DATA" --hall t1 --level town --once 2> "$WORK/refused.log"
expect_eq "$?" 1 "the same hall id from another database"
grep -q "refused by the city store: hall t1 is here with epoch" "$WORK/refused.log" ||
    fail "refusal: $(cat "$WORK/refused.log")"
expect_eq "$(psql_q -c "SELECT count(DISTINCT epoch) FROM hallq.events WHERE hall = 't1'")" 1 \
    "t1's epochs after a refusal"
pass "ship: $end events and $tickets tickets equal in the city store after $kills SIGKILLs and a" \
    "database stop (seed $SEED); roll-ups agree; a hall's 4 bookings equal, no ID number" \
    "shipped; migrations 3 and 4 gave $called called tickets their reasons and the bookings" \
    "back; another history under the same id refused"
