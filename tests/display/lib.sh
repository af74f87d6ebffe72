# Shared harness of the display's end-to-end tests. The caller sets TEST (its name) and
# sources this file with its arguments HALLQD HALLQCTL HALLQ_DISPLAY [BIGFONT_FIND]; this
# sets those, W (a temporary directory) and SOCK (the test's own tmux socket).
. "$(dirname "${BASH_SOURCE[0]}")/../tmux_new.sh"
HALLQD=$1
HALLQCTL=$2
DISPLAY_BIN=$3
FIND=${4:-}
W=$(mktemp -d "/tmp/hallq-display-$TEST.XXXXXX")
SOCK="hallq-display-$TEST-$$"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
DAEMON_PID=
passed=0
export LANG=C.UTF-8 LC_ALL=C.UTF-8

cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK"
    if [ -n "$DAEMON_PID" ]; then
        kill "$DAEMON_PID" 2>/dev/null || true
        wait "$DAEMON_PID" 2>/dev/null || true
    fi
    rm -rf "$W"
}
trap cleanup EXIT

die() { tmux_fail "$SOCK" "$passed" "$*" "$W"/*.log; }

# Every screen at each passed step is kept in $SCREENS (01-hall.txt ...): with
# DISPLAY_SCREENS_DIR=DIR set there, to compare the screens of two builds.
SCREENS=${DISPLAY_SCREENS_DIR:-$W/screens}
mkdir -p "$SCREENS"
ok() {
    echo "ok - $*"
    passed=$((passed + 1))
    local s
    for s in $(tmux -L "$SOCK" list-sessions -F '#{session_name}' 2>/dev/null); do
        tmux -L "$SOCK" capture-pane -p -t "$s" >"$SCREENS/$(printf %02d "$passed")-$s.txt"
    done
}

# no_english SESSION...: the kept screens of these Chinese sessions hold no English
# (tests/habits/no_english.py).
no_english() {
    local s files=()
    for s in "$@"; do
        files+=("$SCREENS"/*-"$s".txt)
    done
    "$PY" "$(dirname "${BASH_SOURCE[0]}")/../habits/no_english.py" "${files[@]}" ||
        die "English on a Chinese screen (above)"
}

now_ms() { date +%s%3N; }

# The screen of a session, as text.
cap() { tmux -L "$SOCK" capture-pane -p -t "$1"; }
# ... with its attributes and trailing blanks: the block digits are reverse-video blanks.
cap_attr() { tmux -L "$SOCK" capture-pane -p -e -N -t "$1"; }
# big SESSION TEXT: TEXT is on the screen in block digits
big() { cap_attr "$1" | "$FIND" "$2" >/dev/null; }
# keep SESSION FILE: the screen as text a person can read, block digits as '#'
keep() { cap_attr "$1" | "$FIND" --text >"$2"; }
# shows SESSION STRING: a line of the screen holds STRING
shows() { cap "$1" | grep -qF -- "$2"; }

# wait_until SECONDS COMMAND...: polls every 50 ms until COMMAND succeeds; 1 at the deadline.
wait_until() {
    local limit=$(( $(now_ms) + $1 * 1000 ))
    shift
    while ! "$@"; do
        [ "$(now_ms)" -lt "$limit" ] || return 1
        sleep 0.05
    done
}

# Sets HALLQ_ENDPOINT and HALLQ_EVENTS to two free loopback ports.
use_free_ports() {
    local p1 p2
    read -r p1 p2 < <("$PY" -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
    export HALLQ_ENDPOINT="tcp://127.0.0.1:$p1" HALLQ_EVENTS="tcp://127.0.0.1:$p2"
}

# start_daemon: hallqd with $W/hallq.conf on the chosen ports, logging to $W/hallqd.log.
start_daemon() {
    "$HALLQD" --config "$W/hallq.conf" --data "$W/data" --request "$HALLQ_ENDPOINT" \
        --events "$HALLQ_EVENTS" 2>>"$W/hallqd.log" &
    DAEMON_PID=$!
    wait_until 10 grep -q "listening requests=$HALLQ_ENDPOINT" "$W/hallqd.log" ||
        die "hallqd did not start"
}

ctl() { "$HALLQCTL" "$@" >>"$W/ctl.log" 2>&1 || die "hallqctl $* failed"; }

# The voice plays to libao's null driver: the display runs as it would in a hall with
# speakers, without one.
mkdir -p "$W/home"
printf 'default_driver=null\n' >"$W/home/.libao"
