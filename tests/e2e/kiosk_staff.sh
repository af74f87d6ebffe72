#!/usr/bin/env bash
# Staff mode at the kiosk, with real CURVE device keys and a clerk roster: the kiosk (in tmux,
# with a kiosk key) is driven by keys and taps. A kiosk key cannot put a no-show back in line
# by itself, nor with a wrong PIN; signed in with a clerk's PIN it does, and sets the green
# lane with a reason, reprints one of today's tickets, and leaves the program. hallqd logs who
# did what where, and never a PIN. The hall's exit keys leave the program too. Each page met
# is kept as text in CAPTURES (when given) as kiosk-NAME.txt.
#
# usage: kiosk_staff.sh HALLQD HALLQCTL HALLQ_TICKET [CAPTURES]
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../tmux_new.sh"
TICKET=${3:?hallq-ticket}
CAPTURES=${4:-}
PY=/usr/bin/python3
SOCK="hallq-staff-$$"
K=$WORK/keys
D=$WORK/devices

stop_all() {
    tmux -L "$SOCK" kill-server 2>/dev/null
    cleanup
}
trap stop_all EXIT

screen() { tmux -L "$SOCK" capture-pane -p -t kiosk 2>/dev/null; }
die() {
    echo "--- kiosk screen" >&2
    screen >&2
    fail "$*"
}
keys() { tmux -L "$SOCK" send-keys -t kiosk "$@"; }
on_screen() { screen | grep -qF -- "$1"; }
wait_screen() { wait_until 10 "the screen never showed '$1'" on_screen "$1"; }
logged() { grep -qF -- "$1" "$LOG"; }
capture() {
    [ -n "$CAPTURES" ] || return 0
    mkdir -p "$CAPTURES"
    screen >"$CAPTURES/kiosk-$1.txt"
}

# tap TEXT: the first mouse button pressed and released on TEXT as the screen shows it (see
# tests/ticket/e2e_kiosk.sh).
tap() {
    local pos c r
    pos=$(screen | "$PY" -c '
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

for dev in "kiosk1 kiosk" "win1 counter:1" "boss manager"; do
    set -- $dev
    ctl keys new "$1" --role "$2" --keys "$K" --out "$D" >/dev/null || fail "keys new $1"
done
echo 2468 | ctl clerk add wang --data "$DATA" >/dev/null || fail "clerk add wang"
echo 1357 | ctl clerk add li --data "$DATA" >/dev/null || fail "clerk add li"
printf '[kiosk]\nexit_keys = ctrl-x ctrl-q\n' >"$WORK/hall.conf"
start_daemon --keys "$K" --config "$WORK/hall.conf"
export HALLQ_SERVER_KEY=$K/server.key
as() { local who=$1; shift; HALLQ_KEY=$D/$who.key "$HALLQCTL" --timeout 3000 "$@"; }
field() { sql "SELECT $2 FROM tickets WHERE label='$1' AND day=(SELECT max(day) FROM tickets)"; }

# A no-show at window 1: A001 called twice, not come.
as boss issue A >/dev/null || fail "issue A001"
echo 1357 | as win1 login 1 li --pin >/dev/null || fail "li logs in at window 1"
as win1 call 1 >/dev/null && as win1 recall 1 >/dev/null && as win1 no-show 1 >/dev/null ||
    fail "A001 marked no-show"

# ---- 1. a kiosk key alone, or with a wrong PIN, cannot put it back ----------------------------
out=$(as kiosk1 reactivate A001 2>&1) && fail "a kiosk key reactivated without staff mode"
grep -qF "a kiosk may reactivate only in staff mode: with a clerk's name and PIN" <<<"$out" ||
    fail "kiosk without a PIN: $out"
out=$(echo 1111 | as kiosk1 reactivate A001 wang --pin 2>&1) && fail "a wrong PIN reactivated"
grep -qF "wrong PIN for clerk wang (forbidden)" <<<"$out" || fail "kiosk with a wrong PIN: $out"
out=$(echo 2468 | as kiosk1 staff mallory --pin 2>&1) && fail "an unlisted clerk unlocked"
grep -qF "clerk mallory is not on the hall's roster" <<<"$out" || fail "unlisted clerk: $out"
expect_eq "$(field A001 state)" no_show "A001 after the kiosk's tries"
logged "warn: putting a no-show back in line refused for clerk wang on device 'kiosk1': wrong PIN" ||
    fail "the wrong PIN is not logged as a warning"
pass "a kiosk key cannot reactivate alone or with a wrong PIN, nor unlock staff mode unlisted"

# ---- 2. the kiosk: sign in with the PIN, put the no-show back ---------------------------------
tmux_new "$SOCK" -d -s kiosk -x 100 -y 34 \
    "sh -c 'exec env HALLQ_KEY=$D/kiosk1.key $TICKET --endpoint $HALLQ_ENDPOINT \
     --out $WORK/k.bin --state-dir $WORK/state' 2>$WORK/kiosk.err; echo \$? > $WORK/kiosk.rc.new;
     mv $WORK/kiosk.rc.new $WORK/kiosk.rc; stty -a > $WORK/stty.new; mv $WORK/stty.new $WORK/stty.txt;
     sleep 60"
wait_screen "请选择业务类别"
tap "工作人员"
wait_screen "工作人员登录"
keys w a n g Enter 1 1 1 1 Enter
wait_screen "未能登录：密码不正确"
wait_until 5 "the wrong PIN at the kiosk is not logged" \
    logged "warn: staff mode refused for clerk wang on device 'kiosk1': wrong PIN for clerk wang"
capture staff-sign-in
# The PIN again, by touch on the screen's keyboard.
for d in 2 4 6 8; do tap " $d "; done
keys Enter
wait_screen "工作人员模式：wang"
capture staff-mode
logged "info: staff wang unlocked staff mode on device 'kiosk1'" || fail "staff mode not logged"
tap "过号重排"
wait_screen "过号重排：输入过号的号码"
keys a 0 0 1 Enter
wait_screen "A001 已按原顺序重新排队。"
expect_eq "$(field A001 state)" waiting "A001 after staff put it back"
wait_until 5 "the reactivate is not logged" \
    logged "info: A001 put back in line by staff wang at device 'kiosk1'"
pass "kiosk: signed in with the PIN (a wrong one refused), staff put A001 back in line"

# ---- 3. a green-lane ticket set by staff, with a reason; a reprint of today's -----------------
keys Escape
wait_screen "工作人员模式：wang"
tap "代为取绿色通道号"
wait_screen "工作人员代取绿色通道号"
keys 1
wait_screen "不指定具体事项"
keys 0
wait_screen "老年人绿色通道：是"
keys Enter
wait_screen "请选择设置绿色通道的原因"
tap "持老年人优待证"
wait_screen "A 0 0 2"
wait_screen "号票已打印"
expect_eq "$(field A002 green)" 1 "A002's lane"
wait_until 5 "the staff green lane is not logged" \
    logged "info: green lane set by staff wang at device 'kiosk1': 持老年人优待证 (A002)"
$PY -c 'import sys; sys.exit(0 if "【老年人绿色通道】".encode("gbk") in open(sys.argv[1],"rb").read() else 1)' \
    "$WORK/k.bin" || fail "A002's paper has no green-lane mark"
keys Enter
wait_screen "工作人员模式：wang"
tap "补打本机今日打印的号票"
wait_screen "选择要补打的号票"
tap "A002"
wait_screen "号票已补打"
$PY -c 'import sys; sys.exit(0 if "（补打）".encode("gbk") in open(sys.argv[1],"rb").read() else 1)' \
    "$WORK/k.bin" || fail "the reprint is not marked as one"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 2 "tickets after the staff's work"
pass "kiosk: staff issued A002 in the green lane with a reason (logged), and reprinted it"

# ---- 4. leaving: staff mode ends by key; the exit prompt; the program ends from staff mode ----
keys Enter
wait_screen "工作人员模式：wang"
keys Escape
wait_screen "请选择业务类别"
keys q
wait_screen "退出取号程序"
wait_screen "工作人员也可按本厅设定的退出组合键退出。"
capture exit-prompt
keys w a n g Enter 2 4 6 8 Enter
wait_screen "工作人员模式：wang"
tap "退出取号程序"
wait_until 10 "the kiosk did not end" test -s "$WORK/kiosk.rc"
expect_eq "$(cat "$WORK/kiosk.rc")" 0 "the kiosk's exit status"
wait_until 5 "no terminal modes" test -s "$WORK/stty.txt"
grep -qE '(^| )icanon( |$)' "$WORK/stty.txt" && grep -qE '(^| )isig( |$)' "$WORK/stty.txt" ||
    fail "terminal left in raw mode: $(cat "$WORK/stty.txt")"
[ ! -s "$WORK/kiosk.err" ] || fail "the kiosk wrote behind its screen: $(cat "$WORK/kiosk.err")"
pass "staff leave the program from staff mode; the terminal is given back"

# The hall's exit keys, pressed in turn, leave it too (after the catalog told them).
rm -f "$WORK/kiosk.rc" "$WORK/stty.txt"
tmux -L "$SOCK" kill-server 2>/dev/null
tmux_new "$SOCK" -d -s kiosk -x 100 -y 34 \
    "sh -c 'exec env HALLQ_KEY=$D/kiosk1.key $TICKET --endpoint $HALLQ_ENDPOINT \
     --out $WORK/k.bin --state-dir $WORK/state' 2>$WORK/kiosk.err; echo \$? > $WORK/kiosk.rc.new;
     mv $WORK/kiosk.rc.new $WORK/kiosk.rc; sleep 60"
wait_screen "请选择业务类别"
keys C-x C-c C-q
keys 2
wait_screen "参保查询与参保凭证" # a wrong key in between: still running
[ ! -e "$WORK/kiosk.rc" ] || fail "the kiosk ended on a wrong combination"
keys C-x C-q
wait_until 10 "the exit keys did not end the kiosk" test -s "$WORK/kiosk.rc"
expect_eq "$(cat "$WORK/kiosk.rc")" 0 "the kiosk's exit status after the exit keys"
pass "the hall's exit keys (ctrl-x ctrl-q) leave the program; a wrong key in between does not"

# (as a word: a time in milliseconds may hold the same digits)
for pin in 2468 1357 1111; do
    grep -qw "$pin" "$LOG" && fail "PIN $pin in the daemon's log"
    grep -rqw "$pin" "$WORK/state" && fail "PIN $pin in the kiosk's state"
done
pass "no PIN in the daemon's log or the kiosk's files"
