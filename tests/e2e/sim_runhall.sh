#!/usr/bin/env bash
# run-hall.sh --simulate after real use the same day: the hall was used for real and every
# window still holds a ticket it was serving. The simulation runs in a folder of its own on a
# simulated clock (calls and finishes at once, nothing waits for those windows), leaves the
# real hall's records as they were, and a second simulation starts clean.
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "${3:?build dir}" && pwd)
RUN_HALL=$(cd "$(dirname "$0")/../.." && pwd)/scripts/run-hall.sh
SOCK=hallq-test-$$
ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
set -- $ports
export HALLQ_ENDPOINT=tcp://127.0.0.1:$1 HALLQ_EVENTS=tcp://127.0.0.1:$2
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; cleanup' EXIT
run_hall() {
    HALLQ_BUILD_DIR=$BUILD HALLQ_TMUX_SOCKET=$SOCK HALLQ_WEB_LISTEN=127.0.0.1:0 "$RUN_HALL" \
        --no-attach --data "$DATA" "$@" \
        > "$WORK/run.out" 2>&1 || fail "run-hall $*: $(cat "$WORK/run.out")"
}
stop_hall() {
    tmux -L "$SOCK" kill-session -t hall
    wait_until 20 "hallqd still running after the session ended" \
        eval '! ctl --timeout 200 version >/dev/null 2>&1'
}
# marked N TEXT: at least N of the hall's screens (tmux panes) show TEXT.
marked() {
    local n=0 pane
    for pane in $(tmux -L "$SOCK" list-panes -s -t hall -F '#{pane_id}'); do
        tmux -L "$SOCK" capture-pane -p -t "$pane" | grep -qF "$2" && n=$((n + 1))
    done
    [ "$n" -ge "$1" ]
}
open_windows() {
    [ "$(ctl --json snapshot | grep -o '"clerk":"[^"]*"' | sort -u | wc -l)" -ge 2 ]
}

# Real use: windows 1 and 2 opened by their clerk terminals, 3 and 4 by hallqctl; each calls
# a ticket and starts serving it; four more wait.
run_hall
wait_until 20 "the clerk terminals did not open windows 1 and 2" open_windows
ctl login 3 zhao > /dev/null && ctl login 4 qian > /dev/null || fail "login"
for i in $(seq 1 8); do ctl issue A > /dev/null || fail "issue"; done
for w in 1 2 3 4; do
    ctl call "$w" > /dev/null && ctl start "$w" > /dev/null || fail "window $w"
done
marked 1 "【模拟" && fail "a screen of the real hall says it is simulated"
stop_hall
real_before=$(sql "SELECT count(*), sum(state='serving') FROM tickets")
expect_eq "$real_before" "8|4" "the real day"

# The simulation: its own folder, its own clock; the windows it opens serve.
sim_log=$DATA/simulated/sim.log
finished() { grep -q "window [0-9] finished" "$sim_log" 2>/dev/null; }
run_hall --simulate --speed 600 --lang en
wait_until 60 "the simulation finished no ticket" finished
SIMDB=$DATA/simulated/hallq.db
expect_eq "$(sqlite3 "$SIMDB" "SELECT value FROM meta WHERE key='clock'")" simulated "the folder's mark"
[ "$(sqlite3 "$SIMDB" "SELECT count(*) FROM tickets WHERE state='finished'")" -ge 1 ] ||
    fail "no finished ticket in the simulated hall"
ctl --json snapshot | grep -q '"simulated":true' || fail "the running hall is not the simulated one"
# The wall display, both clerk terminals and the kiosk say so in their titles.
wait_until 10 "the screens do not say the hall is simulated" marked 4 "[SIMULATED 600x]"
stop_hall
expect_eq "$(sql "SELECT count(*), sum(state='serving') FROM tickets")" "$real_before" \
    "the real hall's tickets after a simulation"
expect_eq "$(sql "SELECT count(*) FROM meta WHERE key='clock'")" 0 "the real hall's folder"
pass "after real use the same day: the simulation serves at once in a folder of its own"

# Again: a clean start, not refused for the times the first one recorded.
run_hall --simulate --speed 600 --lang en
wait_until 60 "the second simulation finished no ticket" finished
expect_eq "$(grep -c "^hallq-sim: 4 windows" "$sim_log")" 1 "one simulation in the log"
expect_eq "$(sqlite3 "$SIMDB" "SELECT count(*) FROM config")" 1 "a new folder"
stop_hall
pass "a second simulation starts clean"
