#!/usr/bin/env bash
# End-to-end: text with terminal escape sequences that is already in the hall's database (a
# database written before the daemon refused such text, or changed by anything else that
# can write it) reaches no screen as a sequence. The store holds a pause reason that would
# clear the screen, set the window title and colour the text, a clerk's name that would set
# the title and strike the text through, and a call's reason with a colour; then, against
# the real hallqd in tmux:
#   - hallq-display above that window shows the pause reason as its words
#   - hallq-counter at that window shows it too, and at the other window the call's reason
#   - hallqctl snapshot prints both as their words
#   - hallq-ticket --reprint --preview prints a kept ticket whose file holds names with
#     sequences (hallq-ticket keeps the daemon's reply in it) as their words
#   - hallqctl prints a refusal from a hostile stand-in for the daemon as its words
# and no pane has its title set, shows a "^[" of a sequence drawn as text, or holds a colour
# or attribute none of the programs uses (tmux capture-pane -e).
#
# usage: escapes.sh HALLQD HALLQCTL HALLQ_DISPLAY HALLQ_COUNTER HALLQ_TICKET
set -euo pipefail

TEST=escapes
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
COUNTER_BIN=${4:?usage: escapes.sh HALLQD HALLQCTL HALLQ_DISPLAY HALLQ_COUNTER HALLQ_TICKET}
KIOSK_BIN=${5:?usage: escapes.sh HALLQD HALLQCTL HALLQ_DISPLAY HALLQ_COUNTER HALLQ_TICKET}

# The marks of the planted sequences: the title they set, the colour (256-colour 201) and
# the strike-through (SGR 9) none of the programs draws with.
MARK=PWNED
foreign_sgr() { tmux -L "$SOCK" capture-pane -p -e -t "$1" | grep -qE $'\e\\[([0-9;]*;)?(38;5;201|9)(;[0-9;]*)?m'; }
titled() { tmux -L "$SOCK" display-message -p -t "$1" '#{pane_title}' | grep -q "$MARK"; }
# harmless SESSION: the pane shows no sequence's effect and no sequence drawn as text.
harmless() {
    ! shows "$1" "$MARK" || die "$1: a sequence's text is on the screen"
    ! shows "$1" "^[" || die "$1: a sequence is drawn as text (^[)"
    ! titled "$1" || die "$1: a sequence set the pane's title"
    ! foreign_sgr "$1" || die "$1: a sequence set a colour or attribute"
}

# start SESSION COLS ROWS COMMAND...: a program in a pane of its own.
start() {
    local name=$1 cols=$2 rows=$3
    shift 3
    tmux_new "$SOCK" -d -s "$name" -x "$cols" -y "$rows" \
        "env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 HOME=$W/home HALLQ_ENDPOINT=$HALLQ_ENDPOINT HALLQ_EVENTS=$HALLQ_EVENTS $*; echo \$? >$W/$name.rc; exec sleep 600"
}

# quit SESSION: the program quits with q, exits 0, and its log holds no sanitizer report. The
# clerk terminal asks first whether to log out: k quits and leaves the window as it is.
quit() {
    tmux -L "$SOCK" send-keys -t "$1" q
    case $1 in clerk*) tmux -L "$SOCK" send-keys -t "$1" k ;; esac
    wait_until 10 test -s "$W/$1.rc" || die "$1 did not quit on q"
    [ "$(cat "$W/$1.rc")" = 0 ] || die "$1 exited with $(cat "$W/$1.rc")"
    ! grep -E "Sanitizer|runtime error" "$W/$1.log" || die "$1: sanitizer report"
}

use_free_ports
cat >"$W/hallq.conf" <<EOF
[hall]
name = 测试区医保服务大厅
EOF

# ---- a hall's state, then sequences written into its store with the daemon stopped ----------
start_daemon
ctl login 2 zhao
ctl login 3 li
ctl pause 3 --reason 午休
ctl issue A
ctl call 2 # A001, "oldest"
kill "$DAEMON_PID"
wait "$DAEMON_PID" || true
DAEMON_PID=
sqlite3 "$W/data/hallq.db" <<'SQL'
UPDATE counters SET pause_reason = '午' || char(27) || '[2J' || char(27) || '[H'
    || char(27) || '[38;5;201m' || '休' || char(27) || ']2;PWNED' || char(7) WHERE id = 3;
UPDATE counters SET clerk = 'zhao' || char(27) || ']2;PWNED' || char(7) || char(27) || '[9m'
    WHERE id = 2;
UPDATE tickets SET reason = 'old' || char(27) || '[38;5;201m' || 'est', reason_code = NULL
    WHERE label = 'A001';
SQL
start_daemon
"$HALLQCTL" snapshot --json >"$W/snapshot.json"
grep -qi 'u001b]2;PWNED' "$W/snapshot.json" ||
    die "the daemon does not hand the planted text out: nothing to test"
ok "the store holds a pause reason, a clerk's name and a call's reason with escape sequences"

# ---- the wall display above window 3 ---------------------------------------------------------
start display 80 24 "$DISPLAY_BIN" --mode counter --counter 3 --mute --log "$W/display.log"
wait_until 15 shows display "午休" || die "display: the pause reason is not shown as its words"
harmless display
ok "hallq-display shows the pause reason without its sequences"

# ---- the clerk terminals -------------------------------------------------------------------
start clerk3 100 30 "$COUNTER_BIN" --counter 3 --clerk li --log "$W/clerk3.log"
wait_until 15 shows clerk3 "状态：暂停（午休）" || die "counter 3: the pause reason"
shows clerk3 "暂停服务：午休" || die "counter 3: the pause hint"
harmless clerk3
start clerk2 100 30 "$COUNTER_BIN" --counter 2 --clerk zhao --log "$W/clerk2.log"
wait_until 15 shows clerk2 "叫号依据：oldest" || die "counter 2: the call's reason"
harmless clerk2
ok "hallq-counter shows the pause reason and the call's reason without their sequences"

# ---- hallqctl's output for people, on a terminal ---------------------------------------------
start ctl 100 30 "$HALLQCTL" snapshot
wait_until 10 test -s "$W/ctl.rc" || die "hallqctl snapshot did not finish"
[ "$(cat "$W/ctl.rc")" = 0 ] || die "hallqctl snapshot exited with $(cat "$W/ctl.rc")"
shows ctl "(午休)" || die "hallqctl: the pause reason"
shows ctl "clerk zhao" || die "hallqctl: the clerk's name"
harmless ctl
ok "hallqctl snapshot prints the texts without their sequences"

# ---- the kiosk's kept ticket: a file with the daemon's reply in it ---------------------------
"$KIOSK_BIN" --queue A --out "$W/kiosk-issue.bin" --state-dir "$W/kiosk" >"$W/kiosk-issue.txt" \
    2>>"$W/kiosk.log" ||
    die "hallq-ticket did not issue a ticket"
"$PY" - "$W/kiosk/last-ticket.json" <<'PY'
import json, sys
path = sys.argv[1]
record = json.load(open(path))
record["reply"]["queue_name"] = "参保登记\x1b[2J\x1b[H与变更\x1b]2;PWNED\x07"
record["print"]["hall"] = "测试区\x1b[38;5;201m医保服务大厅"
record["print"]["footer"] = "当日有效\x1b[9m"
json.dump(record, open(path, "w"), ensure_ascii=False)
PY
start kiosk 100 40 "$KIOSK_BIN" --reprint --preview --state-dir "$W/kiosk"
wait_until 10 test -s "$W/kiosk.rc" || die "hallq-ticket --reprint did not finish"
[ "$(cat "$W/kiosk.rc")" = 0 ] || die "hallq-ticket --reprint exited with $(cat "$W/kiosk.rc")"
shows kiosk "参保登记与变更" || die "hallq-ticket: the queue's name"
shows kiosk "测试区医保服务大厅" || die "hallq-ticket: the hall's name"
shows kiosk "当日有效" || die "hallq-ticket: the footer"
! shows kiosk "?[" || die "hallq-ticket: a sequence printed as '?' and text"
harmless kiosk
ok "hallq-ticket prints a kept ticket's names without their sequences"

quit display
quit clerk3
quit clerk2
ok "the programs quit cleanly"

# ---- a hostile daemon's refusal ----------------------------------------------------------------
# A stand-in for hallqd on other ports answers one request with a refusal whose words carry
# sequences; hallqctl prints the refusal on its standard error, a terminal.
use_free_ports
"$PY" - "$HALLQ_ENDPOINT" "$W/hostile.ready" <<'PY' &
import json, sys, zmq
sock = zmq.Context().socket(zmq.ROUTER)
sock.setsockopt(zmq.RCVTIMEO, 10000)  # no request within 10 s: fail, do not hang
sock.setsockopt(zmq.LINGER, 2000)
sock.bind(sys.argv[1])
open(sys.argv[2], "w").write("ready")
frames = sock.recv_multipart()
req = json.loads(frames[-1])
words = "no\x1b]2;PWNED\x07\x1b[2J\x1b[38;5;201m such window"
reply = {"v": 1, "type": req["type"], "id": req["id"], "ok": False,
         "error": {"code": "unknown_counter", "message": words}}
sock.send_multipart(frames[:-1] + [json.dumps(reply).encode()])
PY
hostile=$!
wait_until 10 test -s "$W/hostile.ready" || die "the stand-in daemon did not start"
start refusal 100 10 "$HALLQCTL" call 9
wait_until 10 test -s "$W/refusal.rc" || die "hallqctl call did not finish"
wait "$hostile" || die "the stand-in daemon failed"
[ "$(cat "$W/refusal.rc")" = 1 ] || die "hallqctl call exited with $(cat "$W/refusal.rc"), not 1"
shows refusal "hallqctl: call refused: no such window (unknown_counter)" ||
    die "hallqctl: the refusal's words"
harmless refusal
ok "hallqctl prints a hostile daemon's refusal without its sequences"
echo "$passed passed"
