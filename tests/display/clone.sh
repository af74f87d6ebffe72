#!/usr/bin/env bash
# Two wall displays, one switched on before the day's actions (it follows the events) and one
# after them (it starts from a snapshot), must show the same calls: the same current call and
# the same recent-calls list, window by window. The actions are the ones that once made them
# differ: a recall, a parked ticket taken back at another window, a no-show taken back, a
# transfer. Against the real daemon, in tmux; every wait is for the screen, not a sleep.
#
# usage: clone.sh HALLQD HALLQCTL HALLQ_DISPLAY BIGFONT_FIND
set -euo pipefail

TEST=clone
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The call area: the current call (its block digits, window and sentence, between the title
# row with the clock and the list heading) and the recent-calls list (label and window at the
# start of each row; the waiting counts share those rows on the right).
call_area() {
    cap "$1" | sed -n '2,/最近呼叫/p' | grep -v 最近呼叫
    echo "--- list"
    cap "$1" | sed -n '/最近呼叫/,$p' | grep -oE '^ [A-Z][0-9]{3,4} +[0-9]+号窗口' || true
}
# both_show LABEL WINDOW: both screens have LABEL at WINDOW as the current call
both_show() {
    local s
    for s in early late; do
        big "$s" "$1" && shows "$s" "请 $1 号到 $2 号窗口办理" || return 1
    done
}
# A call whose label hallqctl prints first.
call_label() { "$HALLQCTL" call "$1" | head -1; }

use_free_ports
cat >"$W/hallq.conf" <<EOF
[hall]
name = 测试区医保服务大厅

[counter 1]
[counter 3]
[counter 12]
EOF

start_display() {
    tmux_new "$SOCK" -d -s "$1" -x 100 -y 30 \
        "env TERM=xterm-256color LANG=C.UTF-8 HOME=$W/home $DISPLAY_BIN --mute --log $W/$1.log"
}

start_daemon
start_display early
wait_until 15 shows early "测试区医保服务大厅" || die "the early display did not come up"
wait_until 5 shows early "等候人数" || die "the early display has no state"

ctl login 1 zhao
ctl login 3 wang
ctl login 12 li
for _ in 1 2 3 4 5; do ctl issue A; done
ctl issue B --elderly
ctl call 1      # B001 (green lane first)
ctl call 3      # A001
ctl call 12     # A002
ctl recall 3    # A001 again: on top, a second call
ctl park 12     # A002 set aside at window 12 ...
ctl finish 1
ctl unpark 1 A002 # ... and taken back at window 1: it was called to 12
ctl recall 3
ctl no-show 3   # A001 after two calls ...
ctl reactivate A001 # ... back in line
ctl call 12     # A001 (its place in line), a third call
ctl transfer 12 C # and sent to queue C
ctl finish 1
label=$(call_label 1) # A001 again, to a window it was never called to: shown by nothing yet
[ "$label" = A001 ] || die "the last call called '$label', not A001"
ok "a day of calls, a recall, an unpark at another window, a no-show taken back, a transfer"

# The late display starts from a snapshot; the early one has applied every event once it
# shows the last call.
start_display late
wait_until 15 both_show A001 1 || die "the displays do not both show A001 at window 1"
for s in early late; do
    ! shows "$s" "离线" || die "$s is offline"
done
ok "both displays show the last call, A001 at window 1"

call_area early >"$W/early.txt"
call_area late >"$W/late.txt"
grep -q -- "A002 *12号窗口" "$W/early.txt" || die "the early display lost A002's call to window 12"
if ! diff -u "$W/early.txt" "$W/late.txt" >"$W/diff.txt"; then
    cat "$W/diff.txt"
    die "the display started late shows other calls than the one that saw the events"
fi
ok "the display started late shows the same current call and list: $(grep -c 号窗口 "$W/late.txt") call rows"

# The current call itself: A001 (now in queue C) called, not showing up, taken back. The
# display that saw it stays with that call on top; one switched on now must too. (The early
# display showed queue C empty after the last call, so its count of 1 is the reactivate.)
ctl recall 1
ctl no-show 1
ctl reactivate A001
counted() { cap "$1" | grep -qE "C 异地就医备案 +1 人"; }
wait_until 5 counted early || die "the early display did not see A001 back in line"
start_display later
wait_until 15 counted later || die "the display started last has no state"
call_area early >"$W/early.txt"
call_area later >"$W/later.txt"
if ! diff -u "$W/early.txt" "$W/later.txt" >"$W/diff.txt"; then
    cat "$W/diff.txt"
    die "after a no-show taken back, the display started last shows another current call"
fi
ok "after a no-show taken back, a display started then shows the same current call"

for s in early late later; do
    tmux -L "$SOCK" send-keys -t "$s" q
done
for s in early late later; do
    ! grep -E "Sanitizer|runtime error" "$W/$s.log" || die "$s: sanitizer report"
done
no_english early late later
echo "$passed passed, 0 failed"
