# The kiosk in tmux against the real hallqd on a simulated clock, restarted at chosen times:
# sourced by the kiosk tests that need a given day and hour (e2e_kiosk_booking.sh,
# e2e_kiosk_calendar.sh). Before sourcing: HALLQD, TICKET, CAPTURES (may be empty), NAME (the
# test's name, for its temporary folder and tmux socket) and EACH_RUN: what each start gets of
# its own ("data" a new data folder, "paper" a new paper file for the kiosk's tickets,
# $W/paperN.bin, the hall keeping one data folder). Provides W (the test's folder, removed at
# exit), die, ok, start_hall, wait_screen, keys and capture.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/../tmux_new.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

W=$(mktemp -d "/tmp/hallq-$NAME.XXXXXX")
SOCK="hallq-$NAME-$$"
DAEMON_PID=
passed=0
run=0

stop_daemon() {
    [ -n "$DAEMON_PID" ] || return 0
    kill "$DAEMON_PID" 2>/dev/null || true
    wait "$DAEMON_PID" 2>/dev/null || true
    DAEMON_PID=
}
cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    stop_daemon
    rm -rf "$W"
}
trap cleanup EXIT

die() { tmux_fail "$SOCK" "$passed" "$*" "$W/hallqd.log" "$W"/*.err; }
ok() {
    echo "ok - $*"
    passed=$((passed + 1))
}

# start_hall "YYYY-MM-DD HH:MM": hallqd with $W/hall.conf on the simulated clock from then, on
# new loopback ports, and a new kiosk on it at its first page. Start N (1, 2, ...) has the
# kiosk state folder $W/stateN, and the data folder $W/dataN or $W/data (EACH_RUN).
start_hall() {
    local p1 p2 data=$W/data out=
    stop_daemon
    run=$((run + 1))
    case $EACH_RUN in
        data) data=$W/data$run ;;
        paper) out="--out $W/paper$run.bin" ;;
    esac
    read -r p1 p2 < <("$PY" -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
    export HALLQ_ENDPOINT="tcp://127.0.0.1:$p1"
    "$HALLQD" --data "$data" --config "$W/hall.conf" --simulate "$1" \
        --request "$HALLQ_ENDPOINT" --events "tcp://127.0.0.1:$p2" 2>>"$W/hallqd.log" &
    DAEMON_PID=$!
    for _ in $(seq 1 100); do
        grep -q "listening requests=$HALLQ_ENDPOINT" "$W/hallqd.log" && break
        sleep 0.1
    done
    grep -q "listening requests=$HALLQ_ENDPOINT" "$W/hallqd.log" || die "hallqd did not start"
    # The endpoint goes on the command line: a tmux server still exiting after the last
    # session's end would start the kiosk with the environment of the run before.
    tmux -L "$SOCK" kill-session -t kiosk 2>/dev/null || true
    tmux_new "$SOCK" -d -s kiosk -x 100 -y 34 \
        "exec $TICKET --endpoint $HALLQ_ENDPOINT --state-dir $W/state$run $out 2>$W/kiosk.err"
    wait_screen "请选择业务类别"
}
wait_screen() {
    for _ in $(seq 1 100); do
        tmux -L "$SOCK" capture-pane -p -t kiosk 2>/dev/null | grep -qF -- "$1" && return 0
        sleep 0.1
    done
    die "screen never showed '$1'"
}
keys() { tmux -L "$SOCK" send-keys -t kiosk "$@"; }
capture() {
    [ -n "$CAPTURES" ] || return 0
    mkdir -p "$CAPTURES"
    tmux -L "$SOCK" capture-pane -p -t kiosk >"$CAPTURES/kiosk-$1.txt"
}
