#!/usr/bin/env bash
# End-to-end: hallq-counter in tmux against the real hallqd on free loopback ports, with a
# temporary data directory. Screens are read with `tmux capture-pane -p` and checked with
# grep; every wait polls (no fixed sleeps), so a loaded machine only makes it slower.
#
#   tmux.sh HALLQD HALLQCTL HALLQ_COUNTER HALLQ_WEB
# With COUNTER_SCREENS_DIR=DIR set, the screen at each passed step is kept there
# (01-hq.txt, 02-hq.txt ...), to compare the screens of two builds.
set -u
HALLQD=${1:?usage: tmux.sh HALLQD HALLQCTL HALLQ_COUNTER}
HALLQCTL=${2:?usage: tmux.sh HALLQD HALLQCTL HALLQ_COUNTER}
COUNTER=${3:?usage: tmux.sh HALLQD HALLQCTL HALLQ_COUNTER HALLQ_WEB}
WEB=${4:?usage: tmux.sh HALLQD HALLQCTL HALLQ_COUNTER HALLQ_WEB}
WAIT=${HALLQ_TEST_WAIT:-10} # seconds any one expected screen may take

WORK=$(mktemp -d /tmp/hallq-counter-e2e.XXXXXX)
DATA=$WORK/data
SOCKET=hallq-counter-$$-$RANDOM
DAEMON_PID=
WEB_PID=
export LANG=C.UTF-8 LC_ALL=C.UTF-8
unset TMUX

tm() { tmux -L "$SOCKET" -f /dev/null "$@"; }
. "$(dirname "${BASH_SOURCE[0]}")/../tmux_new.sh"

cleanup() {
    tm kill-server 2>/dev/null
    if [ -n "$WEB_PID" ]; then
        kill "$WEB_PID" 2>/dev/null
        wait "$WEB_PID" 2>/dev/null
    fi
    if [ -n "$DAEMON_PID" ]; then
        kill -9 "$DAEMON_PID" 2>/dev/null
        wait "$DAEMON_PID" 2>/dev/null
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT

# ---- helpers -------------------------------------------------------------------------------
screen() { tm capture-pane -p -t "${1:-hq}"; }

fail() {
    echo "FAIL: $*" >&2
    local pane
    for pane in $(tm list-sessions -F '#{session_name}' 2>/dev/null); do
        echo "--- screen '$pane':" >&2
        screen "$pane" >&2
    done
    for log in "$WORK"/*.log; do
        [ -f "$log" ] && { echo "--- $(basename "$log") (last 20 lines):" >&2; tail -n 20 "$log" >&2; }
    done
    exit 1
}

STEP=0
pass() {
    echo "ok - $*"
    STEP=$((STEP + 1))
    local pane
    for pane in $(tm list-sessions -F '#{session_name}' 2>/dev/null); do
        screen "$pane" > "$SCREENS/$(printf %02d "$STEP")-$pane.txt"
    done
}
SCREENS=${COUNTER_SCREENS_DIR:-$WORK/screens} # every screen at each step, checked at the end
mkdir -p "$SCREENS"

# wait_for PATTERN [TARGET [SECONDS]]: polls the screen until an extended regex matches.
wait_for() {
    local pattern=$1 target=${2:-hq} limit=${3:-$WAIT} i
    for ((i = 0; i < limit * 20; i++)); do
        screen "$target" | grep -qE -- "$pattern" && return 0
        sleep 0.05
    done
    fail "screen '$target' never showed /$pattern/ within ${limit}s"
}

# wait_gone PATTERN [TARGET [SECONDS]]
wait_gone() {
    local pattern=$1 target=${2:-hq} limit=${3:-$WAIT} i
    for ((i = 0; i < limit * 20; i++)); do
        screen "$target" | grep -qE -- "$pattern" || return 0
        sleep 0.05
    done
    fail "screen '$target' still shows /$pattern/ after ${limit}s"
}

press() { tm send-keys -t hq "$@"; }

ctl() { "$HALLQCTL" --timeout 2000 "$@"; }

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start_daemon() {
    "$HALLQD" --data "$DATA" --request "$HALLQ_ENDPOINT" --events "$HALLQ_EVENTS" \
        2>> "$WORK/hallqd.log" &
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

# Every screen line fits the terminal's width (display width: Chinese counts two).
check_width() {
    local cols=$1 widest
    widest=$(screen | wc -L)
    [ "$widest" -le "$cols" ] || fail "a line is $widest columns wide on a $cols-column terminal"
}

# The value of a ticket field from a snapshot, e.g. field A002 queue
ticket_field() {
    ctl --json snapshot | /usr/bin/python3 -c '
import json, sys
snap = json.load(sys.stdin)
for t in snap["tickets"]:
    if t["label"] == sys.argv[1]:
        print(t[sys.argv[2]])' "$1" "$2"
}

mkdir -p "$DATA"
P1=$(free_port)
P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
export HALLQ_ENDPOINT=tcp://127.0.0.1:$P1 HALLQ_EVENTS=tcp://127.0.0.1:$P2
# Each program runs under a small wrapper that notes its pid and exit status and then keeps
# the pane open: tmux's own pane_dead_status is not always set when a pane's process exits.
cat > "$WORK/run.sh" <<'WRAP'
#!/usr/bin/env bash
# run.sh NAME CMD...: runs CMD in the foreground of this terminal as $WORK/NAME.pid, writes
# its exit status to $WORK/NAME.status, then keeps the pane (and its screen) around. bash,
# not sh: on Ctrl-C it waits for the program and goes on when the program exits normally.
work=$(dirname "$0")
name=$1
shift
sh -c 'echo $$ > "$0"; exec "$@"' "$work/$name.pid" "$@"
echo $? > "$work/$name.status"
exec sleep 3600
WRAP
run() {
    local name=$1
    shift
    echo "bash $WORK/run.sh $name env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HALLQ_ENDPOINT=$HALLQ_ENDPOINT HALLQ_EVENTS=$HALLQ_EVENTS $*"
}

# wait_exit NAME: the status the program NAME exited with (fails after the wait).
wait_exit() {
    local i
    for ((i = 0; i < WAIT * 20; i++)); do
        [ -s "$WORK/$1.status" ] && { cat "$WORK/$1.status"; return 0; }
        sleep 0.05
    done
    fail "$1 did not exit within ${WAIT}s"
}

# ---- 1. started before the daemon: keeps trying to log in ---------------------------------
tmux_new "$SOCKET" -d -s hq -x 80 -y 24 \
    "$(run hq TZ=America/New_York "$COUNTER" --counter 3 --clerk wang --log "$WORK/counter.log")"
wait_for '【连接中】正在连接叫号服务器 tcp://127\.0\.0\.1'
wait_for '状态：登录中'
press c
wait_for '正在登录，请稍候（q 退出）'
pass "no daemon at start: connecting banner, keys wait for the login"

start_daemon
wait_for '状态：空闲'
wait_for '已登录 3 号窗口'
wait_gone '【'
screen | grep -qE '^ 3号窗口  柜员 wang ' || fail "header lacks window and clerk"
[ "$(ctl --json snapshot | grep -o '"clerk": *"wang"' | head -1)" != "" ] ||
    fail "hallqd does not have wang at window 3"
pass "daemon started: logged in by itself, idle"

# The terminal runs in New York's time zone; the clock follows the hall's (Asia/Shanghai).
hall_clock() { TZ=Asia/Shanghai date -d "@$1" +%H:%M; }
t=$(date +%s)
wait_for "医保服务大厅  ($(hall_clock "$t")|$(hall_clock $((t + 60)))):[0-9]{2} *$"
pass "the clock shows the hall's time zone, not the terminal's"

# ---- 2. waiting counts, green lane, call with materials --------------------------------------
[ "$(ctl issue A --service 3 | head -1)" = A001 ] || fail "first ticket is not A001"
[ "$(ctl issue C --elderly --service 10 | head -1)" = C001 ] || fail "green ticket is not C001"
wait_for '等候中：C001 A001'
wait_for '合计 +2 人 绿色通道 1'
wait_for '^ C 异地就医备案 +1 人 绿色通道 1'
pass "issued tickets appear in the waiting counts, green counted apart"

press c
wait_for '当前号  C001  【绿色通道】  C 异地就医备案'
wait_for '事项 10：异地长期居住人员备案'
wait_for ' 1\. 医保电子凭证或有效身份证件或社保卡'
wait_for ' 2\. 居住证明或个人承诺书'
wait_for '请 C001 号到本窗口（绿色通道优先）'
wait_for '状态：叫号中  C001'
wait_for '办理计时 0:0[0-9] / 10:00'
tm capture-pane -p -e -t hq | grep '当前号' | grep -qF $'\e[42m【绿色通道】' ||
    fail "the green lane mark is not drawn on green"
check_width 80
pass "call: the green ticket with its mark and its materials"

# Another window calls: our waiting counts follow within a fraction of a second.
ctl login 1 li > /dev/null || fail "login 1 li"
wait_for '合计 +1 人'
start=$(date +%s%N)
[ "$(ctl call 1 | head -1)" = A001 ] || fail "window 1 did not call A001"
wait_for '合计 +0 人'
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$elapsed" -lt 2000 ] || fail "waiting counts took ${elapsed} ms to follow another window"
pass "another window's call updates the counts (${elapsed} ms)"

# ---- 3. refusals, recall, start, finish, rating ---------------------------------------------
press c
wait_for 'C001 还在窗口：先办结、挂起、转移或过号'
press x
wait_for 'C001 只叫了 1 次：先按 r 重呼（叫满 2 次可过号）'
[ "$(ticket_field C001 state)" = called ] || fail "a refused key reached hallqd"
press r
wait_for '已重呼 C001（第 2 次）'
wait_for '叫号 2 次'
press s
wait_for '状态：办理中  C001'
wait_for 'C001 开始办理'
press f
wait_for 'C001 已办结，用时 [0-9]+:[0-9]{2}；按 e 记录评价'
wait_for '办结 1 件'
wait_for '10 分钟内办结 100%'
wait_for '状态：空闲'
wait_for '上一位 C001 已办结：按 e 记录评价'
press e
wait_for 'C001 的市民评价：'
press 5
wait_for 'C001 评价已记录：非常满意'
press e
wait_for '没有待评价的号'
press f
wait_for '窗口没有叫到的号'
pass "refused keys say why; recall, start, finish update the figures; rating recorded"

# ---- 4. park and take back, transfer, pause, call a number, no-show ------------------------------
[ "$(ctl issue A --service 4 | head -1)" = A002 ] || fail "third ticket is not A002"
press c
wait_for '当前号  A002'
wait_for ' 1\. 单位申请：信息变更表'
press p
wait_for 'A002 已挂起：市民补齐材料后按 u 取回'
wait_for '挂起待取回：A002'
[ "$(ticket_field A002 state)" = parked ] || fail "A002 is not parked in hallqd"
press u
wait_for '取回哪个挂起的号？'
wait_for ' 1  A002   已挂起'
press 1
wait_for '已取回 A002，继续办理'
wait_for '状态：办理中  A002'
press t
wait_for 'A002 转到哪个队列？（保留原取号时间）'
press b
wait_for 'A002 已转到 B 队列'
[ "$(ticket_field A002 queue)" = B ] || fail "A002 is not in queue B in hallqd"
wait_for '等候中：A002'
press b
wait_for '暂停原因：'
press 1
wait_for '状态：暂停（午休）'
wait_for 'b恢复'
press c
wait_for '窗口暂停中：先按 b 恢复'
press b
wait_for '窗口已恢复服务'
wait_for '状态：空闲'
press n
wait_for '叫指定号码：_'
press a 2 Enter
wait_for '当前号  A002'
wait_for '由 A 队列转入'
press r
wait_for '叫号 2 次'
press x
wait_for 'A002 已过号'
wait_for '状态：空闲'
pass "park, take back, transfer, pause with a reason, resume, call a number, no-show"

# ---- 5. daemon killed: banner, greyed, keys refused; back: recovers -------------------------
[ "$(ctl issue C --elderly --service 9 | head -1)" = C002 ] || fail "fourth ticket is not C002"
press c
wait_for '当前号  C002  【绿色通道】'
kill9_daemon
wait_for '【离线】与叫号服务器失去连接，以下为 [0-9:]{8} 时的状态，正在重连'
wait_for '当前号  C002' # the last state stays on screen
tm capture-pane -p -e -t hq | grep '当前号' | grep -qE $'\e\\[([0-9;]*;)?2m' ||
    fail "the stale state is not drawn dim"
press f
wait_for '离线：服务器未连接，操作无法发送'
pass "daemon killed: offline banner, last state greyed, keys refused"

start_daemon
wait_gone '【离线】' hq 20
wait_for '状态：叫号中  C002'
wait_for '办结 1 件'
press f
wait_for 'C002 已办结'
pass "daemon back on the same ports and data: recovered by itself"

# ---- 6. resize ------------------------------------------------------------------------------------
# Each layout is waited for by its full-width rule: the lines checked next are in every
# layout, so they alone could pass on the screen from before the resize.
tm resize-window -t hq -x 120 -y 40
wait_for '^-{120}$'
wait_for '^ 窗口空闲：按 c 叫下一位 +本窗口等候人数'
[ "$(screen | wc -l)" -eq 40 ] || fail "the screen is not 40 rows after resizing"
screen | sed -n '40p' | grep -q 'q退出' || fail "the key legend is not on the last row"
check_width 120
tm resize-window -t hq -x 80 -y 24
wait_for '^-{80}$'
wait_for '^ 本窗口等候人数 +本窗口今日'
screen | sed -n '24p' | grep -q 'q退出' || fail "the key legend is not on the last row at 80x24"
check_width 80
tm resize-window -t hq -x 60 -y 18
wait_for '^-{60}$'
wait_for '^ 3号窗口'
wait_for '合计'
check_width 60
tm resize-window -t hq -x 80 -y 24
wait_for '^-{80}$'
wait_for '^ 本窗口等候人数 +本窗口今日'
pass "resize: wide layout at 120x40, back to 80x24, still right at 60x18"

# ---- 7. takeover by another clerk, log in again ------------------------------------------------
ctl login 3 li > /dev/null || fail "login 3 li"
wait_for '【已被接管】本窗口已由柜员 li 接管，按 l 重新登录'
press c
wait_for '本窗口不在您的登录下：先按 l 登录'
press l
wait_for '已接管 3 号窗口（原柜员 li）'
wait_gone '【已被接管】'
pass "A/B takeover shown; l takes the window back"

# ---- 7b. the rating tablet's pairing code, shown to the clerk and typed into the tablet -------
# d asks hallqd for the code; the screen shows it with the time it lapses; a tablet on
# hallq-web pairs with it (POST /tablet/pair, as the tablet page does), once.
"$WEB" --listen 127.0.0.1:0 2> "$WORK/web.log" &
WEB_PID=$!
web_port() { sed -n 's/.*listening on http:\/\/127\.0\.0\.1:\([0-9]*\)\/.*/\1/p' "$WORK/web.log"; }
for ((i = 0; i < WAIT * 20; i++)); do
    [ -n "$(web_port)" ] && break
    kill -0 "$WEB_PID" 2>/dev/null || fail "hallq-web exited at start"
    sleep 0.05
done
[ -n "$(web_port)" ] || fail "hallq-web did not start listening within ${WAIT}s"
press d
wait_for '已取得评价器配对码 [0-9]{6}，5 分钟内有效'
wait_for '评价器配对码：[0-9]{6}（[0-9]{2}:[0-9]{2}:[0-9]{2} 前有效，约 5 分钟）'
code=$(screen | sed -n 's/.*评价器配对码：\([0-9]\{6\}\)（.*/\1/p' | head -1)
until_clock=$(screen | sed -n 's/.*评价器配对码：[0-9]\{6\}（\([0-9:]*\) 前有效.*/\1/p' | head -1)
# The hall's clock (Asia/Shanghai), about five minutes from now.
t=$(date +%s)
case "$until_clock" in
"$(hall_clock $((t + 300)))":* | "$(hall_clock $((t + 240)))":* | "$(hall_clock $((t + 360)))":*) ;;
*) fail "the pairing code lapses at '$until_clock', not about five minutes from now" ;;
esac
check_width 80
pair() {
    curl -s -o "$WORK/pair.json" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data "{\"code\":\"$1\"}" "http://127.0.0.1:$(web_port)/tablet/pair"
}
status=$(pair "$code")
[ "$status" = 200 ] || fail "the tablet could not pair with the code on screen: HTTP $status $(cat "$WORK/pair.json")"
grep -qE '"counter": *3' "$WORK/pair.json" || fail "the tablet paired with another window: $(cat "$WORK/pair.json")"
grep -qE '"tablet": *"[0-9a-f]{32}"' "$WORK/pair.json" || fail "pairing gave the tablet no secret: $(cat "$WORK/pair.json")"
# The spent code leaves the clerk's screen at once, with a line saying the tablet is paired.
wait_for '评价器已配对，配对码已失效'
wait_gone '评价器配对码：'
status=$(pair "$code")
[ "$status" = 403 ] || fail "the spent code paired a second tablet: HTTP $status"
pass "d shows the tablet pairing code with its expiry; a tablet pairs with it through hallq-web, once, and the code leaves the screen"

# ---- 8. English, quit by key -----------------------------------------------------------------------
tmux_new "$SOCKET" -d -s en -x 80 -y 24 \
    "$(run en "$COUNTER" --counter 4 --clerk zhao --lang en --log "$WORK/counter-en.log")"
wait_for '^ Window 4  Clerk zhao' en
wait_for 'State: idle' en
wait_for 'c Call' en
tm send-keys -t en q
wait_for '^ Log out\?' en
wait_for '^    y  Log out: close window 4, stop its clock, quit' en
tm send-keys -t en y
[ "$(wait_exit en)" = 0 ] || fail "logging out did not exit with 0"
wait_gone 'Window 4' en # the terminal is given back as it was
wait_for '^hallq-counter: logged out: window 4 is closed' en
[ "$(ctl --json snapshot | grep -o '"clerk": *"zhao"')" = "" ] || fail "zhao is still at window 4"
pass "English screen; q asks, y logs out, closes the window and restores the terminal"

# Ctrl-C (SIGINT from the terminal) ends it as cleanly.
tmux_new "$SOCKET" -d -s int -x 80 -y 24 \
    "$(run int "$COUNTER" --counter 2 --clerk sun --log "$WORK/counter-int.log")"
wait_for '^ 2号窗口  柜员 sun' int
wait_for '状态：空闲' int
tm send-keys -t int C-c
[ "$(wait_exit int)" = 0 ] || fail "Ctrl-C did not exit with 0"
wait_gone '2号窗口' int
pass "Ctrl-C quits cleanly and restores the terminal"

# ---- 9. SIGTERM: clean exit ---------------------------------------------------------------------------
kill -TERM "$(cat "$WORK/hq.pid")"
[ "$(wait_exit hq)" = 0 ] || fail "SIGTERM exit status not 0"
wait_gone '3号窗口'
[ "$(ctl --json snapshot | grep -c '"clerk": *"wang"')" -ge 1 ] ||
    fail "quitting must not log the clerk out"
pass "SIGTERM: exits 0, terminal restored, window stays open"

# ---- 10. unknown terminal type: one line, no crash -------------------------------------------------
# ncurses' newterm keeps one allocation when it refuses a terminal type (libtinfo's
# new_prescr); under LeakSanitizer that library leak is suppressed, and only that one.
echo 'leak:new_prescr' > "$WORK/lsan.supp"
tmux_new "$SOCKET" -d -s bad -x 80 -y 24 \
    "bash $WORK/run.sh bad env TERM=x9999 LSAN_OPTIONS=suppressions=$WORK/lsan.supp:print_suppressions=0 $COUNTER --counter 2 --clerk x"
wait_for "hallq-counter: 本机不认识终端类型 'x9999'，请检查终端设置" bad # a type no terminfo has
[ "$(wait_exit bad)" = 2 ] || fail "unknown TERM did not exit with 2"
pass "unknown TERM: one line in the clerk's language, exit 2"

# ---- 11. a window the hall does not have: one line in the clerk's language, exit 1 -----------
tmux_new "$SOCKET" -d -s none -x 80 -y 24 "$(run none "$COUNTER" --counter 99 --clerk wang)"
wait_for '^hallq-counter: 本大厅没有 99 号窗口（本厅窗口：1、2、3、4），请检查窗口号设置$' none
[ "$(wait_exit none)" = 1 ] || fail "a window the hall lacks did not exit with 1"
pass "unknown window: one line naming the hall's windows, exit 1"

# ---- 12. a hall with a clerk roster: the PIN is asked, typed unseen, a wrong one refused ------
echo 2468 | ctl clerk add zhou --data "$DATA" > /dev/null || fail "clerk add zhou"
tmux_new "$SOCKET" -d -s pin -x 80 -y 24 \
    "$(run pin "$COUNTER" --counter 2 --clerk zhou --log "$WORK/counter-pin.log")"
wait_for '【输入密码】柜员 zhou 登录 2 号窗口须输入本人密码' pin
wait_for '^ 密码：_' pin
wait_for '输入密码（数字） +回车 登录' pin
tm send-keys -t pin 1 3 5 7
wait_for '^ 密码：\*\*\*\*_' pin
screen pin | grep -q 1357 && fail "the PIN is on the screen"
tm send-keys -t pin Enter
wait_for '密码错误，请重新输入' pin
wait_for '^ 密码：_' pin
[ "$(ctl --json snapshot | grep -c '"clerk": *"zhou"')" = 0 ] || fail "a wrong PIN logged zhou in"
tm send-keys -t pin 2 4 6 8 Enter
wait_for '已(登录|接管) 2 号窗口' pin
wait_for '状态：空闲' pin
wait_gone '【输入密码】' pin
[ "$(ctl --json snapshot | grep -c '"clerk": *"zhou"')" = 1 ] || fail "zhou is not at window 2"
grep -qwE '1357|2468' "$WORK/counter-pin.log" && fail "a PIN in the terminal's log"
pass "roster: the PIN is asked and shown as stars; a wrong one is refused, the right one logs in"

# Sanitizer builds report into the logs (stderr goes there while the screen is up).
if grep -lE 'AddressSanitizer|LeakSanitizer|runtime error' "$WORK"/counter*.log 2>/dev/null; then
    fail "sanitizer reports in the hallq-counter logs"
fi
# No English on a Chinese screen (the session 'en' runs --lang en; the clerk ids are data).
/usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/../habits/no_english.py" --allow wang,li,zhao,zhou,sun \
    $(ls "$SCREENS"/*.txt | grep -v -- '-en\.txt$') || fail "English on a Chinese screen (above)"
echo "all counter tmux checks passed"
