#!/usr/bin/env bash
# hallq-sim drives a morning through a hall on a simulated clock (an hour of the hall's time a
# second): tickets arrive, windows serve them, about a quarter take the green lane, arrivals
# peak mid-morning, and every time the hall records is the simulated day's. A hall on the
# real clock is refused, and keeps nothing of it.
. "$(dirname "$0")/lib.sh"
SIM=${3:?hallq-sim}
# A morning's requests in seconds: the simulator is a trusted tool, unlimited; no fsync per
# commit keeps its steps on the hall's time.
printf '[limits]\nlocal = unlimited\n[rules]\nsync_full = 0\n' > "$WORK/sim.conf"
start_daemon --config "$WORK/sim.conf" --simulate "2026-11-23 08:29" --speed 3600
"$SIM" --endpoint "$HALLQ_ENDPOINT" --to 12:00 --seed 11 --lang en > "$WORK/sim.out" ||
    fail "sim: $(tail -3 "$WORK/sim.out")"
grep -q "hallq-sim: 4 windows, 20 services, arrivals 08:30 to 12:00, the hall's clock at 3600x" \
    "$WORK/sim.out" || fail "banner: $(head -1 "$WORK/sim.out")"
grep -q "^08:3[0-9] business day 2026-11-23 opens" "$WORK/sim.out" || fail "the day did not open"
issued=$(sql "SELECT count(*) FROM tickets")
finished=$(sql "SELECT count(*) FROM tickets WHERE state='finished'")
green=$(sql "SELECT 100 * sum(green) / count(*) FROM tickets")
[ "$issued" -ge 60 ] || fail "only $issued tickets in a simulated morning"
[ "$finished" -ge $((issued * 9 / 10)) ] || fail "only $finished of $issued served"
[ "$green" -ge 12 ] && [ "$green" -le 38 ] || fail "green share $green%"
expect_eq "$(ctl --json snapshot | grep -o '"clerk":"sim[1-4]"' | sort -u | wc -l)" 4 "four simulated clerks"
# Every time recorded is the simulated morning's, in the hall's zone: issued 08:30 to 12:00,
# the line served by 14:00, a metric entry every 10 minutes of it.
expect_eq "$(sql "SELECT DISTINCT day FROM tickets")" 2026-11-23 "business day"
span=$(sql "SELECT strftime('%H:%M', min(issued_ms)/1000, 'unixepoch', '+8 hours') || '-' ||
                   strftime('%H:%M', max(issued_ms)/1000, 'unixepoch', '+8 hours') || ' ' ||
                   strftime('%H:%M', max(finished_ms)/1000, 'unixepoch', '+8 hours') FROM tickets")
[[ "$span" =~ ^08:[3-5][0-9]-11:[0-5][0-9]\ 1[1-3]:[0-5][0-9]$ ]] || fail "times recorded: $span"
metrics=$(sql "SELECT count(*) FROM metrics WHERE scope='hall'")
[ "$metrics" -ge 20 ] || fail "$metrics metric entries in a simulated morning"
# Arrivals per hour peak mid-morning, as the hall's own statistics count them.
peak=$(ctl stats export --data "$DATA" --by hour --lang en | sed -n '2,5p' | sort -t, -k2 -rn |
       head -1 | cut -d, -f1)
[ "$peak" = 09 ] || [ "$peak" = 10 ] || fail "busiest hour $peak"
pass "simulated morning: $issued issued, $finished finished, $green% green, busiest hour $peak:00, recorded $span"

# A hall on the real clock: refused in one line, and nothing issued there.
stop_daemon
DATA=$WORK/real
start_daemon
"$SIM" --endpoint "$HALLQ_ENDPOINT" --lang en > "$WORK/real.out" 2> "$WORK/real.err"
expect_eq "$?" 1 "exit status on a real hall"
expect_eq "$(wc -l < "$WORK/real.err")" 1 "one line"
grep -q "hallq-sim: hallqd at $HALLQ_ENDPOINT keeps real time: a simulation there would be recorded as the hall's own days" \
    "$WORK/real.err" || fail "refusal: $(cat "$WORK/real.err")"
expect_eq "$(sql "SELECT count(*) FROM tickets") $(sql "SELECT count(*) FROM counters WHERE clerk IS NOT NULL")" \
    "0 0" "what the real hall recorded"
pass "a hall on the real clock: refused, nothing recorded"
