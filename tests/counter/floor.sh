#!/usr/bin/env bash
# End-to-end: the clerk terminal as a clerk meets it on the hall floor, in tmux against the
# real hallqd, with keys and with mouse clicks (the SGR reports xterm and tmux send):
#   a PIN from the clerk roster; the idle window; a call clicked on the key legend; an instant
#   item against the 10-minute target, a non-instant one (零星报销) with its own time limit
#   from the catalog and no target; the window's 10-minute alert once its instant items
#   average above the target; pause; q asking whether to log out (with a ticket at the window:
#   finish, park, transfer or no-show first); a no-show put back in line from its list; a
#   refusal of hallqd's in the clerk's language; logging out by clicks, which closes the window.
# The daemon and the terminal share a clock moved with libfaketime (their wall clock only), so
# a handling time passes ten minutes in an instant.
#
# Every state is captured at 80x24 and at 120x40 into CAPTURES/counter-SIZE-NN-STATE.txt
# (plain text, as tmux shows it), and the Chinese captures are checked for English words.
#
#   floor.sh HALLQD HALLQCTL HALLQ_COUNTER CAPTURES
set -u
HALLQD=${1:?usage: floor.sh HALLQD HALLQCTL HALLQ_COUNTER CAPTURES}
HALLQCTL=${2:?usage: floor.sh HALLQD HALLQCTL HALLQ_COUNTER CAPTURES}
COUNTER=${3:?usage: floor.sh HALLQD HALLQCTL HALLQ_COUNTER CAPTURES}
CAPTURES=${4:?usage: floor.sh HALLQD HALLQCTL HALLQ_COUNTER CAPTURES}
WAIT=${HALLQ_TEST_WAIT:-10} # seconds any one expected screen may take
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

WORK=$(mktemp -d /tmp/hallq-counter-floor.XXXXXX)
DATA=$WORK/data
SOCKET=hallq-floor-$$-$RANDOM
DAEMON_PID=
export LANG=C.UTF-8 LC_ALL=C.UTF-8 TZ=Asia/Shanghai
unset TMUX

tm() { tmux -L "$SOCKET" -f /dev/null "$@"; }
. "$HERE/../tmux_new.sh"

FAKETIME_LIB=
for f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1 \
    /usr/local/lib/faketime/libfaketimeMT.so.1; do
    [ -f "$f" ] && FAKETIME_LIB=$f && break
done

cleanup() {
    tm kill-server 2>/dev/null
    if [ -n "$DAEMON_PID" ]; then
        kill -9 "$DAEMON_PID" 2>/dev/null
        wait "$DAEMON_PID" 2>/dev/null
    fi
    # libfaketime keeps its state in /dev/shm by pid; a process killed leaves it behind.
    for p in $(cat "$WORK"/*.pids 2>/dev/null); do
        rm -f "/dev/shm/faketime_shm_$p" "/dev/shm/sem.faketime_sem_$p"
    done
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    local s
    for s in $(tm list-sessions -F '#{session_name}' 2>/dev/null); do
        echo "--- screen '$s':" >&2
        tm capture-pane -p -t "$s" >&2
    done
    for log in "$WORK"/*.log; do
        [ -s "$log" ] && { echo "--- $(basename "$log") (last 20 lines):" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}
[ -n "$FAKETIME_LIB" ] || fail "libfaketime is not installed (scripts/deps.sh installs faketime)"

pass() { echo "ok - $*"; }

screen() { tm capture-pane -p -t "${1:-hq}"; }

# wait_for PATTERN [TARGET [SECONDS]]: polls the screen until an extended regex matches.
wait_for() {
    local pattern=$1 target=${2:-hq} limit=${3:-$WAIT} i
    for ((i = 0; i < limit * 20; i++)); do
        screen "$target" | grep -qE -- "$pattern" && return 0
        sleep 0.05
    done
    fail "screen '$target' never showed /$pattern/ within ${limit}s"
}

wait_gone() {
    local pattern=$1 target=${2:-hq} limit=${3:-$WAIT} i
    for ((i = 0; i < limit * 20; i++)); do
        screen "$target" | grep -qE -- "$pattern" || return 0
        sleep 0.05
    done
    fail "screen '$target' still shows /$pattern/ after ${limit}s"
}

press() { tm send-keys -t hq "$@"; }

# click TEXT [TARGET]: a press and a release of the first button on the first column of TEXT
# where the screen shows it, as the terminal reports them (SGR, 1-based column and row).
click() {
    local text=$1 target=${2:-hq} at
    at=$(screen "$target" | /usr/bin/python3 -c '
import sys, unicodedata
want = sys.argv[1]
for row, line in enumerate(sys.stdin.read().split("\n")):
    i = line.find(want)
    if i >= 0:
        col = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line[:i])
        print(col + 1, row + 1)
        break' "$text")
    [ -n "$at" ] || fail "nothing to click: '$text' is not on screen '$target'"
    set -- $at
    tm send-keys -t "$target" -l $'\e[<0;'"$1;$2M"
    tm send-keys -t "$target" -l $'\e[<0;'"$1;$2m"
}

ctl() { "$HALLQCTL" --timeout 2000 "$@"; }

# The value of a field of window N in a snapshot: counter_field 3 state
counter_field() {
    ctl --json snapshot | /usr/bin/python3 -c '
import json, sys
for c in json.load(sys.stdin)["counters"]:
    if c["id"] == int(sys.argv[1]):
        print(c[sys.argv[2]] or "")' "$1" "$2"
}

ticket_field() {
    ctl --json snapshot | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin)["tickets"]:
    if t["label"] == sys.argv[1]:
        print(t[sys.argv[2]])' "$1" "$2"
}

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# ---- the shared clock ------------------------------------------------------------------------
# The wall clock of hallqd and of the terminal is the real one plus the offset in this file,
# read at every reading; their steady clocks are left alone. Under AddressSanitizer, its
# allocator reads the clock from inside libfaketime's own reading: it keeps its memory instead.
CLOCK=$WORK/faketime.rc
OFFSET=$(($(date -d '2031-05-19 09:00:00' +%s) - $(date +%s))) # a Monday morning
write_clock() { printf '%+d\n' "$OFFSET" > "$CLOCK.new" && mv "$CLOCK.new" "$CLOCK"; }
clock_step() { OFFSET=$((OFFSET + $1)); write_clock; }
write_clock
cat > "$WORK/faked" <<EOF
#!/bin/sh
# faked NAME CMD...: CMD on the shared clock, its pid noted in NAME.pids
echo \$\$ >> "$WORK/\$1.pids"
shift
LD_PRELOAD=$FAKETIME_LIB FAKETIME_TIMESTAMP_FILE=$CLOCK FAKETIME_NO_CACHE=1 \\
FAKETIME_DONT_FAKE_MONOTONIC=1 \\
ASAN_OPTIONS=\${ASAN_OPTIONS:+\$ASAN_OPTIONS:}allocator_release_to_os_interval_ms=-1 \\
exec "\$@"
EOF
chmod +x "$WORK/faked"

mkdir -p "$DATA" "$CAPTURES"
rm -f "$CAPTURES"/counter-*.txt
P1=$(free_port)
P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
export HALLQ_ENDPOINT=tcp://127.0.0.1:$P1 HALLQ_EVENTS=tcp://127.0.0.1:$P2

# start_daemon [CONFIG]: hallqd on the shared clock, on the same ports and data every time.
start_daemon() {
    "$WORK/faked" hallqd "$HALLQD" --data "$DATA" --request "$HALLQ_ENDPOINT" \
        --events "$HALLQ_EVENTS" ${1:+--config "$1"} 2>> "$WORK/hallqd.log" &
    DAEMON_PID=$!
    local i
    for ((i = 0; i < WAIT * 20; i++)); do
        "$HALLQCTL" --timeout 300 version > /dev/null 2>&1 && return 0
        kill -0 "$DAEMON_PID" 2>/dev/null || fail "hallqd exited at start"
        sleep 0.05
    done
    fail "hallqd did not answer within ${WAIT}s"
}

kill9_daemon() {
    kill -9 "$DAEMON_PID" 2>/dev/null
    wait "$DAEMON_PID" 2>/dev/null
    DAEMON_PID=
}

# The terminal runs as $WORK/NAME.pid under a wrapper that writes its exit status to
# $WORK/NAME.status and keeps the pane (and what the program printed last) around.
cat > "$WORK/run.sh" <<'WRAP'
#!/usr/bin/env bash
work=$(dirname "$0")
name=$1
shift
"$@"
echo $? > "$work/$name.status"
exec sleep 3600
WRAP

wait_exit() {
    local i
    for ((i = 0; i < WAIT * 20; i++)); do
        [ -s "$WORK/$1.status" ] && { cat "$WORK/$1.status"; return 0; }
        sleep 0.05
    done
    fail "$1 did not exit within ${WAIT}s"
}

# ---- captures ----------------------------------------------------------------------------------
SIZES="80x24 120x40"
N=0
# capture NAME PATTERN: the state on screen at each size (the window resized to it, then back
# to 80x24), once PATTERN shows in that size's layout; every line fits the width.
capture() {
    local name=$1 pattern=$2 size cols rows widest
    N=$((N + 1))
    for size in $SIZES; do
        cols=${size%x*}
        rows=${size#*x}
        tm resize-window -t hq -x "$cols" -y "$rows"
        wait_for "^-{$cols}\$" # the state rule spans the width: this size's layout is drawn
        wait_for "$pattern"
        screen > "$CAPTURES/counter-$size-$(printf %02d $N)-$name.txt"
        widest=$(wc -L < "$CAPTURES/counter-$size-$(printf %02d $N)-$name.txt")
        [ "$widest" -le "$cols" ] || fail "$name: a line is $widest columns wide at $size"
        [ "$(screen | wc -l)" -eq "$rows" ] || fail "$name: the screen is not $rows rows at $size"
        screen | grep -q '终端太小' && fail "$name: 'terminal too small' at $size"
    done
    tm resize-window -t hq -x 80 -y 24
    wait_for '^-{80}$'
}

# ---- 1. the roster's PIN, typed unseen ----------------------------------------------------------
echo 2468 | ctl clerk add zhou --data "$DATA" > /dev/null || fail "clerk add zhou"
start_daemon
[ "$(ctl issue A --service 3 | head -1)" = A001 ] || fail "A001"   # 城乡居民参保登记: instant
[ "$(ctl issue E --service 14 | head -1)" = E001 ] || fail "E001"  # 门诊费用报销: 10 working days
[ "$(ctl issue A --service 4 | head -1)" = A002 ] || fail "A002"
[ "$(ctl issue A --service 5 | head -1)" = A003 ] || fail "A003"
tmux_new "$SOCKET" -d -s hq -x 80 -y 24 \
    "bash $WORK/run.sh hq env TERM=xterm-256color HALLQ_ENDPOINT=$HALLQ_ENDPOINT HALLQ_EVENTS=$HALLQ_EVENTS $WORK/faked counter $COUNTER --counter 3 --clerk zhou --log $WORK/counter.log"
wait_for '【输入密码】柜员 zhou 登录 3 号窗口须输入本人密码'
press 2 4
capture login-pin '^ 密码：\*\*_'
press 6 8 Enter
wait_for '状态：空闲'
wait_gone '【'
pass "the roster's PIN typed as stars, then logged in"

# ---- 2. idle, a call by a click on the key legend, an instant item ------------------------------
capture idle '等候中：A001 E001 A002 A003'
click 'c叫号'
wait_for '状态：叫号中  A001'
wait_for '请 A001 号到本窗口（先到先办）'
# The button's release, reported after the press, must not hold the program up (ncurses
# blocks for the next input after a report outside its mouse mask): the clock goes on.
second=$(screen | head -1 | grep -oE '[0-9]{2}:[0-9]{2}:[0-9]{2} *$')
wait_gone "$second" hq 3
capture calling '当前号  A001'
press s
wait_for '状态：办理中  A001'
capture serving-instant '办理计时 0:0[0-9] / 10:00'
pass "idle; a click on 'c叫号' calls A001; serving an instant item against 10:00"

# ---- 3. past the target: red, then the window's alert once its mean is above it --------------
clock_step 720
wait_for '办理计时 12:0[0-9] / 10:00  超时 2:0[0-9]'
press f
wait_for 'A001 已办结，用时 12:0[0-9]'
wait_for '^【超时提醒】本窗口今日即时办结事项平均办理 12:0[0-9]，超过 10 分钟目标'
pass "12 minutes on an instant item: over the target, then the window's 10-minute alert"

# ---- 4. a non-instant item: its own time limit, no 10-minute target --------------------------
press c
wait_for '当前号  E001'
press s
wait_for '状态：办理中  E001'
wait_for '办理计时 0:[0-9]{2}  非即时办结，不计入 10 分钟目标$'
wait_for '^   办结时限：10个工作日，特殊情况不超过20个工作日$'
clock_step 900
wait_for '办理计时 15:0[0-9]  非即时办结'
screen | grep '办理计时' | grep -qE '/ 10:00|超时' && fail "a non-instant item measured against 10:00"
capture serving-non-instant '办理计时 15:0[0-9]'
press f
wait_for 'E001 已办结'
wait_for '平均办理 12:0[0-9]，超过' # not counted in the window's instant figures
pass "零星报销 shows its own limit from the catalog, never the 10-minute target"

# ---- 5. over the limit with the alert; pause -------------------------------------------------
press c
wait_for '当前号  A002'
press s
wait_for '状态：办理中  A002'
clock_step 660
wait_for '超时 1:0[0-9]'
capture over-limit-alert '^【超时提醒】.*办理 12:0[0-9]'
press f
wait_for 'A002 已办结'
wait_for '^【超时提醒】本窗口今日即时办结事项平均办理 11:3[0-9]'
press b
wait_for '暂停原因：'
press 1
wait_for '状态：暂停（午休）'
capture paused '暂停服务：午休（按 b 恢复）'
click '暂停服务：午休'  # the hint names its key: a click on it resumes
wait_for '窗口已恢复服务'
wait_for '状态：空闲'
pass "over the limit with the window's alert; paused with a reason, resumed by a click"

# ---- 6. q asks first ------------------------------------------------------------------------------
press q
wait_for '^ 退出登录？'
wait_for '^    y  退出登录：关闭 3 号窗口，停止计时，退出终端'
wait_for '^    k  只退出终端：窗口保持登录'
capture quit-confirm '^    n  返回，不退出'
press Escape
wait_gone '退出登录？'
press c
wait_for '当前号  A003'
press q
wait_for '^ A003 还在窗口：先处理，再退出登录'
wait_for '^    f  办结 A003，然后退出登录'
wait_for '^    p  挂起 A003，然后退出登录'
wait_for '^    t  转移 A003 到其他队列，然后退出登录'
wait_for '^    k  只退出终端：A003 留在窗口，计时继续'
capture quit-with-ticket '^    n  返回，不退出'
screen | grep -q '^    y  ' && fail "logging out offered with a ticket at the window"
press n
wait_gone '还在窗口：先处理'
[ "$(counter_field 3 clerk)" = zhou ] || fail "the question alone changed the window"
pass "q asks whether to log out; with A003 at the window it offers to deal with it first"

# ---- 7. a no-show put back in line (过号重排) ------------------------------------------------------
press r
wait_for '叫号 2 次'
press x
wait_for 'A003 已过号'
wait_for '过号可重排：A003'
press a
wait_for '^ 过号重排：哪个号回到队列？（按原取号顺序等候）'
capture noshow-list '^    1  A003   末次叫号 [0-9:]{8}  参保登记与变更'
click '1  A003'
wait_for 'A003 已重新排队（按原取号顺序等候）'
wait_for '等候中：A003'
[ "$(ticket_field A003 state)" = waiting ] || fail "A003 is not waiting again in hallqd"
pass "a no-show's list from 'a'; a click on A003 puts it back in line"

# ---- 8. a refusal of hallqd's, in the clerk's language ------------------------------------------
# hallqd restarted with a small request budget for each connection: the terminal's clicks
# spend it, and hallqd's refusal (rate_limited, with retry_after_ms) reaches the clerk in
# Chinese. The terminal recovers by itself and logs in again as it was.
printf '[limits]\nlocal = 60/min, burst 4\n' > "$WORK/tight.conf"
kill9_daemon
wait_for '【离线】'
start_daemon "$WORK/tight.conf"
wait_gone '【离线】' hq 20
wait_for '状态：空闲'
for ((i = 0; i < 8; i++)); do
    press b
    wait_for '暂停原因：|操作太频繁'
    screen | grep -q '操作太频繁' && break
    press 2
    wait_for '窗口已暂停|操作太频繁'
    screen | grep -q '操作太频繁' && break
    press b
    wait_for '窗口已恢复服务|操作太频繁'
    screen | grep -q '操作太频繁' && break
done
capture refusal '操作太频繁，请 [0-9]+ 秒后再试'
screen | grep -q 'rate\|budget\|refused' && fail "hallqd's English reached the screen"
pass "hallqd's refusal (rate_limited) shown in Chinese"
kill9_daemon
start_daemon
wait_gone '【离线】' hq 20

# ---- 9. logging out with a ticket at the window, by clicks -------------------------------------
state=$(counter_field 3 state)
if [ "$state" = paused ]; then
    press b
    wait_for '窗口已恢复服务'
fi
wait_for '状态：空闲'
press c
wait_for '当前号  A003'
click 'q退出'
wait_for '^    f  办结 A003，然后退出登录'
click 'f  办结 A003'
[ "$(wait_exit hq)" = 0 ] || fail "logging out did not exit with 0"
wait_for '^hallq-counter: 已退出登录，3 号窗口已关闭'
[ "$(counter_field 3 state)" = closed ] || fail "window 3 is not closed after the logout"
[ "$(counter_field 3 clerk)" = "" ] || fail "window 3 still has a clerk"
[ -z "$(ticket_field A003 state)" ] || fail "A003 is still open: $(ticket_field A003 state)"
pass "a click on q, then on 'finish A003': finished, logged out, window 3 closed, exit 0"

# Sanitizer builds report into the log (stderr goes there while the screen is up).
grep -lE 'AddressSanitizer|LeakSanitizer|runtime error' "$WORK"/counter.log 2>/dev/null &&
    fail "sanitizer reports in the hallq-counter log"
# No English on a Chinese screen: a word of two letters or more is a key cap, the clerk's id
# (data) or a ticket number; anything else is a sentence that escaped translation.
/usr/bin/python3 - "$CAPTURES"/counter-*.txt <<'PY' || fail "English on a Chinese screen (above)"
import re, sys
allowed = {"zhou", "Esc"}
bad = 0
for path in sys.argv[1:]:
    for n, line in enumerate(open(path, encoding="utf-8"), 1):
        for w in re.findall(r"[A-Za-z][A-Za-z0-9]+", line):
            if w not in allowed and not re.fullmatch(r"[A-Z][0-9]+", w):
                print(f"{path}:{n}: '{w}' in: {line.rstrip()}")
                bad += 1
sys.exit(1 if bad else 0)
PY
echo "captures: $(ls "$CAPTURES"/counter-*.txt | wc -l) screens in $CAPTURES"
echo "all counter floor checks passed"
