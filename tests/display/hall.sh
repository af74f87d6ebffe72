#!/usr/bin/env bash
# The wall display as the hall meets it, in tmux against the real daemon, at 80x24, in a
# 40x12 pane (run-hall.sh's 2x2 layout), on a 200x60 TV console and in English:
#   - the big call and its window are apart (an arrow between), never one run of glyphs
#   - a strip says what every window does (办理中, 呼叫中, 暂停服务, 等候叫号, 未开放)
#   - the big "now calling" line follows its ticket: E002 transferred and window 3 paused,
#     the line goes to the call still at its window, then to none when that one is parked
#   - offline is said in Chinese, in block letters only with --lang en
#   - mouse reports (a touch, a click) and other escape sequences are not keys: the display
#     keeps running, and q still quits
#   - no screen holds a character of ambiguous East Asian width (drawn one column wide in some
#     terminals and two in others)
# Each state is kept as a text capture (block digits as '#') in CAPTURES_DIR: display-*.txt.
#
# usage: hall.sh HALLQD HALLQCTL HALLQ_DISPLAY BIGFONT_FIND CAPTURES_DIR
set -euo pipefail

TEST=hall
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
CAPS=$5
mkdir -p "$CAPS"

no_big() { ! big "$1" "$2"; }
lacks() { ! shows "$1" "$2"; }
# capture NAME SESSION: keeps the screen as $CAPS/display-NAME.txt
capture() { keep "$2" "$CAPS/display-$1.txt"; }
# No character of ambiguous width on the screen (Python's unicodedata: East Asian Width A).
unambiguous() {
    cap "$1" | "$PY" -c '
import sys, unicodedata
bad = sorted({c for c in sys.stdin.read() if unicodedata.east_asian_width(c) == "A"})
if bad:
    print("ambiguous-width characters on the screen: " + " ".join("U+%04X" % ord(c) for c in bad))
    sys.exit(1)'
}

use_free_ports
cat >"$W/hallq.conf" <<'EOF'
[hall]
name = 测试区医保服务大厅
notice = 请按叫号顺序到窗口办理

[counter 1]
[counter 2]
[counter 3]
[counter 4]
EOF

# start_display SESSION COLS ROWS ARGS...
start_display() {
    local name=$1 cols=$2 rows=$3
    shift 3
    tmux_new "$SOCK" -d -s "$name" -x "$cols" -y "$rows" \
        "env TERM=xterm-256color LANG=C.UTF-8 HOME=$W/home $DISPLAY_BIN --mute --log $W/$name.log $*; echo \$? >$W/$name.rc"
}
running() { [ ! -s "$W/$1.rc" ]; }

start_daemon
ctl login 1 zhao
ctl login 2 qian
ctl login 3 sun # window 4 stays closed
for _ in 1 2 3 4; do ctl issue A; done
ctl issue E
ctl issue E
ctl call 1 # A001
ctl start 1
ctl call 2      # A002
ctl call 3 E002 # the clerk calls E002 by its number
start_display wall 80 24
start_display pane 40 12
start_display tv 200 60
start_display en 80 24 --lang en

# ---- calling: number, arrow, window; the strip ---------------------------------------------
wait_until 15 big wall E002 || die "calling: E002 not in block digits"
big wall "E002>3" || die "calling: E002, the arrow and window 3 are not one group"
no_big wall E0023 || die "calling: E002 and 3 run together"
shows wall "请 E002 号到 3 号窗口办理" || die "calling: sentence"
for cell in "1号窗口 A001 办理中" "2号窗口 A002 呼叫中" "3号窗口 E002 呼叫中" "4号窗口 未开放"; do
    shows wall "$cell" || die "strip: '$cell' missing"
done
shows wall "最近呼叫" || die "calling: the lists are gone at 80x24"
wait_until 15 big pane "E002>3" || die "40x12: the call is not in block digits"
shows pane "请 E002 号到 3 号窗口办理" || die "40x12: sentence"
shows pane "3号窗口 E002 呼叫中" || die "40x12: strip"
shows pane "4号窗口 未开放" || die "40x12: the strip does not hold every window"
wait_until 15 big tv "E002>3" || die "200x60: the call"
scale=$(cap_attr tv | "$FIND" E002 | cut -d' ' -f1)
[ "${scale#*x}" -ge 3 ] || die "200x60: digits only $scale"
shows tv "3号窗口 E002 呼叫中" || die "200x60: strip"
wait_until 15 big en "E002>3" || die "English: the call"
shows en "Number E002, please go to window 3" || die "English: sentence"
shows en "Window 1 A001 serving" || die "English: strip"
for s in wall pane tv en; do unambiguous "$s" || die "$s: $(unambiguous "$s")"; done
capture calling-80x24 wall
capture calling-40x12 pane
capture calling-200x60 tv
capture calling-en-80x24 en
ok "calling: E002 → 3 in block digits apart, the strip of windows, at 80x24, 40x12 ($(cap_attr pane | "$FIND" E002 | cut -d' ' -f1)), 200x60 ($scale) and in English; no ambiguous-width character"

# ---- the line follows its ticket ---------------------------------------------------------
ctl transfer 3 B
ctl pause 3 --reason 午休
wait_until 3 no_big wall E002 || die "transfer: E002 still in big digits"
wait_until 2 shows wall "3号窗口 暂停服务" || die "pause: strip"
big wall "A002>2" || die "transfer: the call still at its window (A002 at 2) is not on the line"
shows wall "请 A002 号到 2 号窗口办理" || die "transfer: sentence"
lacks wall "请 E002 号到 3 号窗口办理" || die "transfer: the old sentence is still shown"
wait_until 2 no_big pane E002 || die "40x12: E002 still in big digits"
wait_until 2 shows pane "3号窗口 暂停服务" || die "40x12: pause in the strip"
capture after-transfer-pause-80x24 wall
capture after-transfer-pause-40x12 pane
ok "E002 transferred and window 3 paused: the line goes to A002 at window 2, the strip says 暂停服务"

ctl park 2 # A002 set aside: no call left at its window
ctl finish 1
wait_until 3 shows wall "暂无呼叫" || die "park: the line does not clear"
no_big wall A002 || die "park: A002 still in big digits"
shows wall "1号窗口 等候叫号" || die "finish: strip"
shows wall "2号窗口 等候叫号" || die "park: strip"
capture no-call-80x24 wall
ctl call 1 # A003
wait_until 2 big wall "A003>1" || die "a new call is not shown after the line cleared"
ok "A002 parked, A001 finished: 暂无呼叫 and the strip says 等候叫号; the next call takes the line"

# ---- mouse reports and escape sequences are not keys -------------------------------------
# A legacy mouse report at column 81 and row 82 carries the bytes 'q' and 'r'; SGR reports,
# a function key and Alt-q around it. The display must take none of it for q.
tmux -L "$SOCK" send-keys -t wall -H 1b 5b 4d 20 71 72
tmux -L "$SOCK" send-keys -t wall -l $'\e[<0;81;5M\e[<0;81;5m\e[25~'
tmux -L "$SOCK" send-keys -t wall -H 1b 71
ctl finish 1
ctl call 1 # A004: drawn only after the keys before it were read
wait_until 3 big wall "A004>1" || die "mouse: the display no longer follows calls"
running wall || die "mouse: the display quit on a mouse report"
tmux -L "$SOCK" send-keys -t pane -H 1b 5b 4d 20 71 71
ctl finish 1
wait_until 3 shows pane "1号窗口 等候叫号" || die "mouse: the 40x12 display no longer follows"
running pane || die "mouse: the 40x12 display quit on a mouse report"
ok "mouse reports with q and r in them, SGR reports, a function key and Alt-q: no effect"

# ---- offline, in the screen's language -----------------------------------------------------
{
    kill -9 "$DAEMON_PID"
    wait "$DAEMON_PID"
} 2>/dev/null || true
DAEMON_PID=
wait_until 8 shows wall "本屏已离线" || die "offline: no Chinese banner"
no_big wall OFFLINE || die "offline: English block letters on the Chinese screen"
lacks wall "OFFLINE" || die "offline: English on the Chinese screen"
shows wall "请留意窗口叫号，或咨询工作人员" || die "offline: advice"
shows wall "离线，暂无数据" || die "offline: the strip still shows old states"
lacks wall "1号窗口 等候叫号" || die "offline: the strip still shows old states"
wait_until 3 big en OFFLINE || die "offline: no block letters in English"
shows en "Please listen for your number or ask the staff" || die "offline: English advice"
wait_until 3 shows pane "本屏已离线" || die "offline: 40x12"
wait_until 3 shows tv "本屏已离线" || die "offline: 200x60"
for s in wall pane tv en; do unambiguous "$s" || die "$s offline: $(unambiguous "$s")"; done
capture offline-zh-80x24 wall
capture offline-en-80x24 en
capture offline-zh-40x12 pane
capture offline-zh-200x60 tv
ok "offline: 本屏已离线 in Chinese at every size; OFFLINE in block letters only with --lang en"

# ---- q quits -------------------------------------------------------------------------------
for s in wall pane tv en; do
    tmux -L "$SOCK" send-keys -t "$s" q
done
for s in wall pane tv en; do
    wait_until 10 test -s "$W/$s.rc" || die "$s did not quit on q"
    [ "$(cat "$W/$s.rc")" = 0 ] || die "$s exited with $(cat "$W/$s.rc")"
    ! grep -E "Sanitizer|runtime error" "$W/$s.log" || die "$s: sanitizer report"
done
ok "q quits every display with status 0; captures in $CAPS: $(cd "$CAPS" && echo display-*.txt)"

echo "$passed passed, 0 failed"
