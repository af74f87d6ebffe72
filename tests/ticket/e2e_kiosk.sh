#!/usr/bin/env bash
# End-to-end test of hallq-ticket against the real daemon: the kiosk runs in tmux and is
# driven by keys and by taps (xterm mouse reports written into the pane, as a touch screen's
# driver sends them); printed files are decoded independently (npos); counts come from
# `hallqctl snapshot --json`. Each kiosk page met is saved as text in CAPTURES (when given)
# as kiosk-NAME.txt.
#
# usage: e2e_kiosk.sh HALLQD HALLQCTL HALLQ_TICKET [CAPTURES]
set -euo pipefail

HALLQD=$1
HALLQCTL=$2
TICKET=$3
CAPTURES=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/../tmux_new.sh"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

W=$(mktemp -d /tmp/hallq-ticket-e2e.XXXXXX)
SOCK="hallq-ticket-e2e-$$"
DAEMON_PIDS=()
passed=0

cleanup() {
    tmux -L "$SOCK" kill-server 2>/dev/null || true
    for pid in "${DAEMON_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$W"
}
trap cleanup EXIT

die() { tmux_fail "$SOCK" "$passed" "$*" "$W/hallqd.log" "$W"/*.err; }

SCREENS="$W/screens" # the kiosk's screen at each passed step, checked at the end
mkdir -p "$SCREENS"
ok() {
    echo "ok - $*"
    passed=$((passed + 1))
    tmux -L "$SOCK" capture-pane -p -t kiosk >"$SCREENS/$(printf %02d "$passed").txt" 2>/dev/null ||
        true
}

# Two free loopback ports, printed as "P1 P2".
free_ports() {
    "$PY" -c 'import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])'
}

# Starts hallqd on free ports (or P1 P2 in PORTS), extra arguments going to it, and sets EP
# to its request endpoint, PORTS to its ports and DAEMON_PID to it.
start_daemon() {
    local data=$1 log=$2 p1 p2
    shift 2
    if [ -n "${PORTS:-}" ]; then read -r p1 p2 <<<"$PORTS"; else read -r p1 p2 < <(free_ports); fi
    PORTS="$p1 $p2"
    EP="tcp://127.0.0.1:$p1"
    "$HALLQD" --data "$data" --request "$EP" --events "tcp://127.0.0.1:$p2" "$@" 2>>"$log" &
    DAEMON_PID=$!
    DAEMON_PIDS+=($!)
    # Ready once it says where it listens (a CURVE daemon answers no keyless probe).
    for _ in $(seq 1 100); do
        [ "$(grep -c "listening requests=$EP" "$log" 2>/dev/null)" -ge "${STARTS:-1}" ] && return 0
        sleep 0.1
    done
    die "hallqd did not start"
}

start_daemon "$W/data" "$W/hallqd.log"
export HALLQ_ENDPOINT="$EP"
MAIN_PORTS=$PORTS

issued() { # issued today in queue $1
    "$HALLQCTL" --json snapshot |
        "$PY" -c "import json, sys
d = json.load(sys.stdin)
print(sum(q['issued_today'] for q in d['queues'] if q['prefix'] == '$1'))"
}

# Decodes a printed file with npos into $2 (lines as JSON), failing on anything invalid.
decode() {
    bash "$here/npos/run.sh" --dump "$1" --columns "${3:-32}" >"$2" 2>"$W/decode.err" ||
        die "$1 is not a valid ticket: $(cat "$W/decode.err")"
}

has() { grep -qF -- "$2" "$1" || die "$1 lacks $2"; }
lacks() { ! grep -qF -- "$2" "$1" || die "$1 holds $2"; }

# Starts the kiosk in a fresh tmux session; extra arguments go to hallq-ticket. The pane
# records the exit status and the terminal modes after the kiosk is gone.
start_kiosk() {
    tmux -L "$SOCK" kill-session -t kiosk 2>/dev/null || true
    rm -f "$W/kiosk.rc" "$W/stty.txt" "$W/kiosk.pid"
    # Each report is written aside and renamed, so a file that exists is a whole one.
    tmux_new "$SOCK" -d -s kiosk -x 100 -y 34 \
        "sh -c 'echo \$\$ > $W/kiosk.pid; exec $TICKET --state-dir $W/state $*' 2>$W/kiosk.err;
         echo \$? > $W/kiosk.rc.new; mv $W/kiosk.rc.new $W/kiosk.rc;
         stty -a > $W/stty.new; mv $W/stty.new $W/stty.txt; sleep 60"
    wait_screen "请选择业务类别"
}

keys() { tmux -L "$SOCK" send-keys -t kiosk "$@"; }

# wait_screen_for SECONDS TEXT: until the kiosk's screen shows TEXT.
wait_screen_for() {
    for _ in $(seq 1 $(($1 * 10))); do
        tmux -L "$SOCK" capture-pane -p -t kiosk 2>/dev/null | grep -qF -- "$2" && return 0
        sleep 0.1
    done
    die "screen never showed '$2'"
}

wait_screen() { wait_screen_for 10 "$1"; }

# capture NAME: the kiosk's screen as text, kept as CAPTURES/kiosk-NAME.txt.
capture() {
    [ -n "$CAPTURES" ] || return 0
    mkdir -p "$CAPTURES"
    tmux -L "$SOCK" capture-pane -p -t kiosk >"$CAPTURES/kiosk-$1.txt"
}

# tap TEXT: a press and a release of the first mouse button on the first character of TEXT
# as the screen shows it (a Chinese character takes two columns), written into the pane as
# the xterm reports a touch screen's driver sends: ESC [ M, then 32 + button (3: released),
# 33 + column, 33 + row.
tap() {
    local pos c r
    pos=$(tmux -L "$SOCK" capture-pane -p -t kiosk | "$PY" -c '
import sys, unicodedata
want = sys.argv[1]
for row, line in enumerate(sys.stdin.read().split("\n")):
    at = line.find(want)
    if at >= 0:
        print(sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line[:at]), row)
        break' "$1")
    [ -n "$pos" ] || die "no '$1' on the screen to tap"
    read -r c r <<<"$pos"
    c=$(printf '%02x' $((33 + c)))
    r=$(printf '%02x' $((33 + r)))
    tmux -L "$SOCK" send-keys -t kiosk -H 1b 5b 4d 20 "$c" "$r" 1b 5b 4d 23 "$c" "$r"
}

screen_has() { tmux -L "$SOCK" capture-pane -p -t kiosk 2>/dev/null | grep -qF -- "$1"; }

now_ms() { date +%s%3N; }

wait_file() {
    for _ in $(seq 1 100); do
        [ -s "$1" ] && return 0
        sleep 0.1
    done
    die "$1 never appeared"
}

# 1. A green ticket from the kiosk by touch: category A, service 3, the green-lane button,
#    the take button, each tapped where the screen shows it.
start_kiosk --out "$W/k1.bin" --timeout 1000
capture start-online
screen_has "退出" && die "the start page offers to quit"
tap "参保登记与变更"
wait_screen "城乡居民参保登记"
tap "城乡居民参保登记"
wait_screen "老年人绿色通道：否"
capture choosing
tap "绿色通道  G"
wait_screen "老年人绿色通道：是"
tap "医保服务大厅" # the title is no button: nothing happens
tap "取号  回车"
wait_screen "号票已打印"
wait_screen "A 0 0 1"
wait_screen "重新打印"
capture result-reprint
decode "$W/k1.bin" "$W/k1.json"
has "$W/k1.json" '{"text":"A001","align":"center","bold":true,"width":4,"height":4}'
has "$W/k1.json" '{"text":"【老年人绿色通道】","align":"center","bold":true}'
has "$W/k1.json" '{"text":"城乡居民参保登记","align":"center"}'
has "$W/k1.json" '{"text":"1. 有效身份证件"}'
has "$W/k1.json" '"qr":"hallq:'
has "$W/k1.json" ':A001:'
[ "$(issued A)" = 1 ] || die "queue A should have one ticket"
"$HALLQCTL" --json snapshot | grep -qF '"green":1' || die "the ticket is not green at hallqd"
ok "kiosk issues a green ticket by taps; the 4x number decodes with npos"

# 2. ID numbers decide the lane locally and never leave the kiosk.
keys Enter
wait_screen "请选择业务类别"
keys 1
wait_screen "不指定具体事项"
keys 0
wait_screen "老年人绿色通道：否"
keys i
wait_screen "请输入 18 位身份证号码"
keys 1 1 0 1 0 5 1 9 9 0 0 3 0 7 0 0 1 7
wait_screen "**************0017"
keys Enter
wait_screen "未满 60 周岁"
capture id-check-failed
# The check said no: the citizen cannot declare the green lane after all.
keys g
wait_screen "不能自选绿色通道"
screen_has "老年人绿色通道：否" || die "G set the green lane after the ID check failed"
keys Enter
wait_screen "A 0 0 2"
decode "$W/k1.bin" "$W/k2.json"
has "$W/k2.json" '"text":"A002"'
lacks "$W/k2.json" "绿色通道"
[ "$("$HALLQCTL" --json snapshot | grep -o '"green":[0-9]*' | head -1)" = '"green":1' ] ||
    die "hallqd counts another green ticket"
keys Enter
wait_screen "请选择业务类别"
keys 2 0 i 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 x Enter
wait_screen "年满 60 周岁"
keys Enter
wait_screen "B 0 0 1"
decode "$W/k1.bin" "$W/k3.json"
has "$W/k3.json" '"text":"B001"'
has "$W/k3.json" "【老年人绿色通道】"
# A mistyped number is refused with a reason and issues nothing.
keys Enter
wait_screen "请选择业务类别"
keys 2 0 i 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 1 Enter
wait_screen "校验位不符"
[ "$(issued B)" = 1 ] || die "a refused ID number issued a ticket"
if grep -rqs -e 19900307 -e 19491231 "$W/state" "$W/data" "$W/hallqd.log" "$W/kiosk.err"; then
    die "an ID number was stored or logged"
fi
ok "ID numbers decide the green lane locally and are never stored, sent or logged; a failed check locks it"

# 3. Nobody at the keyboard leaves the kiosk: Q asks for staff, and this hall has neither a
#    roster nor exit keys, which the page says how to set; Ctrl-C, Ctrl-\ and Ctrl-Z are keys.
keys Escape
wait_screen "老年人绿色通道：否"
keys Escape
wait_screen "不指定具体事项"
keys Escape
wait_screen "请选择业务类别"
keys q
wait_screen "退出取号程序"
wait_screen "exit_keys"
capture exit-prompt-unset
keys Escape
wait_screen "请选择业务类别"
keys C-c C-'\' C-z 1
wait_screen "城乡居民参保登记" # the key after them was read: the kiosk still runs
[ ! -e "$W/kiosk.rc" ] || die "a key stopped the kiosk: exit status $(cat "$W/kiosk.rc")"
keys Escape
wait_screen "请选择业务类别"
ok "Q opens the exit prompt (how a hall sets one), Ctrl-C/Ctrl-\\/Ctrl-Z do not stop the kiosk"

# 4. The next citizen cannot reprint the one before's ticket: R on the start page is no key.
before=$(cksum <"$W/k1.bin")
keys r R
keys 2
wait_screen "参保查询与参保凭证"
keys Escape
wait_screen "请选择业务类别"
[ "$(cksum <"$W/k1.bin")" = "$before" ] || die "R on the start page printed a ticket"
ok "R on the start page prints nothing: no reprint of someone else's ticket"

# 5. hallqd goes away: the start page says the kiosk is paused, by itself (an idle kiosk
#    pings hallqd after KIOSK_PING_MS of silence, here with a 1 s timeout), shows no address,
#    offers no choice, and comes back by itself when hallqd is back. (A citizen already
#    choosing is told at once: test_kiosk_session's test_choosing_is_told_at_once.)
t0=$(now_ms)
kill -TERM "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
wait_screen_for 15 "暂停取号"
paused=$(($(now_ms) - t0))
capture start-offline
screen_has "tcp://" && die "the paused page shows hallqd's address"
screen_has "参保登记与变更" && die "the paused page offers a choice"
keys 1
screen_has "城乡居民参保登记" && die "a choice was taken while paused"
PORTS=$MAIN_PORTS STARTS=2 start_daemon "$W/data" "$W/hallqd.log"
t0=$(now_ms)
wait_screen "请选择业务类别"
back=$(($(now_ms) - t0))
echo "# hallqd stopped: the start page paused after $paused ms; back $back ms after its restart"
ok "hallqd gone: the start page says the kiosk is paused ($paused ms), without an address, and comes back"

# 6. A failing printer: the ticket is issued once, the citizen reads plain words (no device),
#    and a later reprint prints it without issuing again.
start_kiosk --printer /dev/full
keys 3 0 Enter
wait_screen "打印机出了故障"
wait_screen "C 0 0 1"
screen_has "/dev/full" && die "the citizen's page names the printer's device"
[ "$(issued C)" = 1 ] || die "queue C should have one ticket"
tap "重新打印"
wait_screen "打印机出了故障"
[ "$(issued C)" = 1 ] || die "the reprint key issued another ticket"
ok "kiosk: failing printer told in plain words, the ticket exists once"

"$TICKET" --reprint --out "$W/reprint.bin" --state-dir "$W/state" >"$W/reprint.out" 2>"$W/reprint.err" ||
    die "reprint failed: $(cat "$W/reprint.err")"
[ "$(head -n 1 "$W/reprint.out")" = C001 ] || die "reprint printed $(head -n 1 "$W/reprint.out")"
decode "$W/reprint.bin" "$W/reprint.json"
has "$W/reprint.json" '"text":"C001"'
has "$W/reprint.json" '"text":"（补打）"'
[ "$(issued C)" = 1 ] || die "reprint issued a second ticket"
ok "a later --reprint prints C001 again without issuing"

# SIGTERM ends the kiosk cleanly too.
kill -TERM "$(cat "$W/kiosk.pid")"
wait_file "$W/kiosk.rc"
[ "$(cat "$W/kiosk.rc")" = 0 ] || die "kiosk exit status $(cat "$W/kiosk.rc") after SIGTERM"
wait_file "$W/stty.txt"
grep -qE '(^| )icanon( |$)' "$W/stty.txt" || die "terminal left in raw mode after SIGTERM"
[ ! -s "$W/kiosk.err" ] || die "the kiosk wrote to stderr behind its screen"
ok "SIGTERM ends the kiosk and restores the terminal"

# 5. The command line: a missing printer device, then a reprint to a file.
set +e
"$TICKET" --queue D --service 13 --printer "$W/nodir/lp0" --state-dir "$W/cli" >"$W/cli.out" 2>"$W/cli.err"
rc=$?
set -e
[ "$rc" = 4 ] || die "missing printer: exit status $rc, want 4"
[ "$(wc -l <"$W/cli.err")" = 1 ] || die "missing printer: want one line of error, got $(cat "$W/cli.err")"
grep -qF "$W/nodir/lp0" "$W/cli.err" || die "error does not name the printer: $(cat "$W/cli.err")"
label=$(head -n 1 "$W/cli.out")
[ "$(issued D)" = 1 ] || die "queue D should have one ticket"
"$TICKET" --reprint --paper 80 --out "$W/cli.bin" --state-dir "$W/cli" >/dev/null 2>"$W/cli2.err" ||
    die "reprint failed: $(cat "$W/cli2.err")"
decode "$W/cli.bin" "$W/cli.json" 48
has "$W/cli.json" "\"text\":\"$label\""
[ "$(issued D)" = 1 ] || die "reprint issued a second ticket in D"
ok "command line: missing device $W/nodir/lp0 -> exit 4 with one line; reprint works once"

# The ID number can come on standard input, out of sight of the process list. --preview
# shows a sample of the ticket and issues nothing.
echo 11010519491231002X | "$TICKET" --queue E --service 14 --id-number - --preview \
    --state-dir "$W/cli" >"$W/stdin.out" 2>"$W/stdin.err" || die "ID on stdin: $(cat "$W/stdin.err")"
grep -qF "【老年人绿色通道】" "$W/stdin.out" || die "ID on stdin: no green lane"
grep -qF "【样张：未取号，号码无效】" "$W/stdin.out" || die "the preview is not marked as a sample"
grep -qF "Ｅ　０　０　０" "$W/stdin.out" || die "the preview shows a number: $(cat "$W/stdin.out")"
[ "$(issued E)" = 0 ] || die "--preview issued a ticket"
if grep -rqs 19491231 "$W/cli" "$W/data" "$W/hallqd.log"; then
    die "an ID number was stored or logged"
fi
ok "command line: --preview with an ID number on standard input shows a green sample, issues nothing"

# 6. Without a terminal the kiosk refuses with one line.
set +e
env -u TERM "$TICKET" --state-dir "$W/state" </dev/null >"$W/noterm.out" 2>"$W/noterm.err"
rc=$?
set -e
[ "$rc" = 2 ] || die "TERM unset: exit status $rc, want 2"
[ "$(wc -l <"$W/noterm.err")" = 1 ] && grep -qF "TERM is not set" "$W/noterm.err" ||
    die "TERM unset: $(cat "$W/noterm.err")"
ok "TERM unset gives one clear line and exit status 2"

# 7. CURVE: a kiosk key issues; without keys hallqd gives no answer.
K="$W/keys"
"$HALLQCTL" keys new kiosk1 --role kiosk --keys "$K" --out "$W/kiosk-key" >/dev/null ||
    die "hallqctl keys new"
PORTS= start_daemon "$W/data-curve" "$W/hallqd-curve.log" --keys "$K"
"$TICKET" --endpoint "$EP" --key "$W/kiosk-key/kiosk1.key" --server-key "$K/server.key" \
    --queue A --out "$W/curve.bin" --state-dir "$W/curve" >"$W/curve.out" 2>"$W/curve.err" ||
    die "CURVE kiosk: $(cat "$W/curve.err")"
[ "$(head -n 1 "$W/curve.out")" = A001 ] || die "CURVE kiosk printed $(head -n 1 "$W/curve.out")"
set +e
env -u HALLQ_KEY -u HALLQ_SERVER_KEY "$TICKET" --endpoint "$EP" --timeout 700 --queue A \
    --out "$W/curve2.bin" --state-dir "$W/curve" >/dev/null 2>"$W/curve2.err"
rc=$?
set -e
[ "$rc" = 3 ] || die "no keys against a CURVE hallqd: exit status $rc, want 3"
ok "CURVE: --key/--server-key issue as a kiosk; no keys, no answer (exit 3)"

# Nothing was issued behind our back: A2 B1 C1 D1 (the preview issued nothing).
total=$("$HALLQCTL" --endpoint "$HALLQ_ENDPOINT" --json snapshot | "$PY" -c "import json, sys
print(sum(q['issued_today'] for q in json.load(sys.stdin)['queues']))")
[ "$total" = 5 ] || die "hallqd issued $total tickets, want 5"
ok "hallqd issued exactly the 5 tickets taken"

# No English on the kiosk's Chinese screens, nor on the tickets previewed as text.
"$PY" "$here/../habits/no_english.py" "$SCREENS" "$W/stdin.out" "$W/curve.out" ||
    die "English on a Chinese screen or ticket (above)"
ok "no English on the kiosk's screens and tickets"

echo "$passed passed, 0 failed"
