#!/usr/bin/env bash
# hallq-sim drives a compressed morning: tickets arrive, windows serve them, about a quarter
# take the green lane, arrivals peak mid-morning.
. "$(dirname "$0")/lib.sh"
SIM=${3:?hallq-sim}
# At 1800x a morning's requests come in seconds: the simulator is a trusted tool, unlimited.
printf '[limits]\nlocal = unlimited\n' > "$WORK/sim.conf"
start_daemon --config "$WORK/sim.conf"
"$SIM" --endpoint "$HALLQ_ENDPOINT" --speed 1800 --seed 11 --lang en > "$WORK/sim.out" || fail "sim"
grep -q "hallq-sim: 4 windows, 20 services, 08:30 to 12:00 at 1800x" "$WORK/sim.out" || fail "banner"
issued=$(sql "SELECT count(*) FROM tickets")
finished=$(sql "SELECT count(*) FROM tickets WHERE state='finished'")
green=$(sql "SELECT 100 * sum(green) / count(*) FROM tickets")
[ "$issued" -ge 60 ] || fail "only $issued tickets in a simulated morning"
[ "$finished" -ge $((issued / 2)) ] || fail "only $finished of $issued served"
[ "$green" -ge 12 ] && [ "$green" -le 38 ] || fail "green share $green%"
expect_eq "$(ctl --json snapshot | grep -o '"clerk":"sim[1-4]"' | sort -u | wc -l)" 4 "four simulated clerks"
# arrivals per simulated hour peak mid-morning (ticket lines carry the simulated clock)
peak=$(grep -o '^[0-9][0-9]:[0-9][0-9] issued' "$WORK/sim.out" | cut -c1-2 | sort | uniq -c | sort -rn | head -1 | awk '{print $2}')
[ "$peak" = 09 ] || [ "$peak" = 10 ] || fail "busiest hour $peak"
pass "simulated morning: $issued issued, $finished finished, $green% green, busiest hour $peak:00"
