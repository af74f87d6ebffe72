#!/usr/bin/env bash
# scripts/run-hall.sh lays the hall out for the terminal it finds: started in a terminal of
# 80x24, 120x40 and 200x60 (an outer tmux pane of that size, run-hall.sh attaching in it as
# it does for a person), every clerk pane and the wall display get room for their screens:
# none says it is too small, each shows its first screen, and the clerk panes are at least
# 80x23 (a window each: the status line takes a row) or, side by side, at least 59x19.
#
#   run_hall.sh HALLQD HALLQCTL BUILD_DIR
set -u
HALLQD=${1:?usage: run_hall.sh HALLQD HALLQCTL BUILD_DIR}
HALLQCTL=${2:?usage: run_hall.sh HALLQD HALLQCTL BUILD_DIR}
BUILD=$(cd "${3:?usage: run_hall.sh HALLQD HALLQCTL BUILD_DIR}" && pwd)
WAIT=${HALLQ_TEST_WAIT:-10}
RUN_HALL=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/run-hall.sh
WORK=$(mktemp -d /tmp/hallq-run-hall.XXXXXX)
OUTER=hallq-outer-$$-$RANDOM # the terminal run-hall.sh is started in
INNER=hallq-inner-$$-$RANDOM # run-hall.sh's own tmux server
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TMUX
. "$(dirname "${BASH_SOURCE[0]}")/../tmux_new.sh"

cleanup() {
    tmux -L "$INNER" kill-server 2>/dev/null # ends the daemon with its session
    tmux -L "$OUTER" kill-server 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

inner() { tmux -L "$INNER" "$@"; }

fail() {
    echo "FAIL: $*" >&2
    local p
    for p in $(inner list-panes -s -t hall -F '#{window_name}.#{pane_index}' 2>/dev/null); do
        echo "--- pane $p:" >&2
        inner capture-pane -p -t "hall:$p" >&2
    done
    echo "--- the terminal:" >&2
    tmux -L "$OUTER" capture-pane -p -t term >&2 2>/dev/null
    exit 1
}

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# wait_pane TARGET PATTERN: polls the inner pane until an extended regex matches.
wait_pane() {
    local i
    for ((i = 0; i < WAIT * 20; i++)); do
        inner capture-pane -p -t "$1" 2>/dev/null | grep -qE -- "$2" && return 0
        sleep 0.05
    done
    fail "pane $1 never showed /$2/ within ${WAIT}s"
}

# hall COLS ROWS: run-hall.sh in a COLSxROWS terminal, attached there as for a person.
hall() {
    local cols=$1 rows=$2 i
    tmux -L "$INNER" kill-server 2>/dev/null
    tmux -L "$OUTER" kill-server 2>/dev/null
    local p1 p2
    p1=$(free_port)
    p2=$(free_port)
    while [ "$p2" = "$p1" ]; do p2=$(free_port); done
    printf 'set -g status off\n' > "$WORK/outer.conf" # the whole terminal is run-hall's
    rm -rf "$WORK/data"
    tmux_new "$OUTER" -d -s term -x "$cols" -y "$rows" \
        "env TERM=xterm-256color HALLQ_BUILD_DIR=$BUILD HALLQ_TMUX_SOCKET=$INNER HALLQ_ENDPOINT=tcp://127.0.0.1:$p1 HALLQ_EVENTS=tcp://127.0.0.1:$p2 HALLQ_WEB_LISTEN=127.0.0.1:0 $RUN_HALL --data $WORK/data > $WORK/run.out 2>&1; sleep 3600"
    tmux -L "$OUTER" source-file "$WORK/outer.conf"
    for ((i = 0; i < WAIT * 20; i++)); do
        [ "$(inner list-clients 2>/dev/null | wc -l)" -ge 1 ] && return 0
        sleep 0.05
    done
    fail "run-hall.sh did not attach in the ${cols}x${rows} terminal: $(cat "$WORK/run.out")"
}

# check_pane TARGET MIN_COLS MIN_ROWS FIRST_SCREEN: the pane is that large at least, shows
# its program's first screen and does not say it is too small.
check_pane() {
    local target=$1 min_cols=$2 min_rows=$3 first=$4 size
    wait_pane "$target" "$first"
    size=$(inner display -p -t "$target" '#{pane_width} #{pane_height}')
    set -- $size
    [ "$1" -ge "$min_cols" ] && [ "$2" -ge "$min_rows" ] ||
        fail "pane $target is $1x$2, less than ${min_cols}x$min_rows"
    inner capture-pane -p -t "$target" | grep -qE '终端太小|屏幕太小|too small' &&
        fail "pane $target says it is too small at $1x$2"
    return 0
}

for size in 80x24 120x40; do
    hall "${size%x*}" "${size#*x}"
    wait_pane hall:kiosk '自助取号'
    check_pane hall:window1 80 23 '^ 1号窗口  柜员 张敏'
    check_pane hall:window2 80 23 '^ 2号窗口  柜员 李强'
    check_pane hall:hall 80 23 '等候人数'
    check_pane hall:kiosk 80 23 '自助取号'
    wait_pane hall:window1 '状态：空闲'
    # The terminal shows one of them and a status line to go to the others.
    tmux -L "$OUTER" capture-pane -p -t term | tail -1 | grep -q 'window1' ||
        fail "the status line does not name the clerks' windows at $size"
    echo "ok - ${size}: a tmux window each, the clerks' and the display's screens fit"
done

hall 200 60
check_pane hall:hall.0 120 30 '等候人数'
check_pane hall:hall.1 59 19 '^ 1号窗口  柜员 张敏'
check_pane hall:hall.2 59 19 '^ 2号窗口  柜员 李强'
check_pane hall:hall.3 59 19 '自助取号'
echo "ok - 200x60: the four screens side by side, each with room"

# --size lays out for a terminal that is not this one; a size no screen fits is refused.
out=$(HALLQ_BUILD_DIR=$BUILD "$RUN_HALL" --size 30x10 --no-attach 2>&1)
[ $? = 2 ] || fail "--size 30x10 was not refused"
grep -q "^run-hall.sh: --size takes COLSxROWS of at least 40x13, not '30x10'" <<< "$out" ||
    fail "--size 30x10: $out"
echo "ok - --size below what a screen needs is refused in one line"
echo "all run-hall layout checks passed"
