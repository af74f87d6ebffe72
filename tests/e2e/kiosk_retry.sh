#!/usr/bin/env bash
# A kiosk whose issue request gets no reply in time asks again with the same idempotency
# token, and the citizen gets one ticket, never two. The retry is made to happen and then
# seen happening, not assumed:
#
# 1. The kiosk (in tmux) sends its issue while hallqd is stopped, and is itself stopped
#    before its timeout. hallqd, continued, issues A001 and replies; the kiosk, continued
#    after its deadline, has abandoned that request and sends it again. hallqd must answer
#    the retry as a repeat of A001 (the kiosk keeps that reply: "repeat":true; a new token
#    would have made A002), the database hold one ticket, the printed file say A001.
#    Then, with hallqd stopped again, the page must move on to the second attempt (the
#    screen never waits) and to the ticket once hallqd continues.
# 2. The command line (--queue) against a stopped hallqd reports its retry on stderr
#    before hallqd is continued, then issues exactly one more ticket.
#
# usage: kiosk_retry.sh HALLQD HALLQCTL HALLQ_TICKET
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
. "$here/../tmux_new.sh"
TICKET=${3:?hallq-ticket}
# Long enough to see the first attempt under way on a loaded machine; the command line's
# retry is seen in its own words, so it can be quick.
TIMEOUT_MS=2000
CLI_TIMEOUT_MS=700
SOCK="hallq-retry-$$"
KIOSK_PID=

stop_all() {
    # Stopped processes ignore the hang-up that ends tmux: continue them first.
    [ -n "$KIOSK_PID" ] && kill -CONT "$KIOSK_PID" 2>/dev/null
    [ -n "$DAEMON_PID" ] && kill -CONT "$DAEMON_PID" 2>/dev/null
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

now_ms() { date +%s%3N; }

# wait_for WHAT COMMAND...: runs COMMAND until it succeeds, for up to 10 s.
wait_for() {
    local what=$1 end=$(($(now_ms) + 10000))
    shift
    until "$@"; do
        [ "$(now_ms)" -lt "$end" ] || die "never saw $what"
        sleep 0.05
    done
}

on_screen() { screen | grep -qF -- "$1"; }
issued_a001() { grep -q 'debug: issue A001' "$LOG"; }
past() { [ "$(now_ms)" -ge "$1" ]; }

start_daemon --log-level debug

# 1. The interactive kiosk.
tmux_new "$SOCK" -d -s kiosk -x 100 -y 34 \
    "sh -c 'echo \$\$ > $WORK/kiosk.pid; exec $TICKET --endpoint $HALLQ_ENDPOINT \
     --timeout $TIMEOUT_MS --out $WORK/k.bin --state-dir $WORK/state' 2>$WORK/kiosk.err; sleep 60"
wait_for "the start page" on_screen "请选择业务类别"
KIOSK_PID=$(cat "$WORK/kiosk.pid")
kill -STOP "$DAEMON_PID"
tmux -L "$SOCK" send-keys -t kiosk 1 0 Enter
wait_for "the issue under way" on_screen "正在取号"
# The request left before the screen said so: its reply is due by now + timeout.
due=$(($(now_ms) + TIMEOUT_MS))
kill -STOP "$KIOSK_PID"
kill -CONT "$DAEMON_PID"
wait_for "hallqd answering the first attempt" issued_a001
wait_for "the kiosk's deadline" past $((due + 100))
kill -CONT "$KIOSK_PID"
wait_for "the ticket printed" on_screen "号票已打印"
on_screen "A 0 0 1" || die "the kiosk shows another number"
# hallqd answers a known token with the ticket it already issued, marked "repeat"; the kiosk
# keeps that reply as it came. A retry with a new token would have made A002 instead.
grep -qF '"repeat":true' "$WORK/state/last-ticket.json" ||
    die "the kiosk's ticket is not hallqd's answer to a repeated token: no retry happened"
expect_eq "$(grep -c 'debug: issue ' "$LOG")" 1 "tickets hallqd logged for one press"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 1 "tickets issued for one press"
grep -qF A001 <(strings "$WORK/k.bin") || die "the printed ticket is not A001"
[ ! -s "$WORK/kiosk.err" ] || die "the kiosk wrote behind its screen: $(cat "$WORK/kiosk.err")"
pass "kiosk: no reply in time, asked again with the same token: answered as a repeat, one ticket"

# While hallqd does not answer, the kiosk keeps drawing: the page moves on to each retry,
# and then to the ticket once hallqd is back. One more press, one more ticket.
tmux -L "$SOCK" send-keys -t kiosk Enter
wait_for "the start page again" on_screen "请选择业务类别"
kill -STOP "$DAEMON_PID"
tmux -L "$SOCK" send-keys -t kiosk 2 0 Enter
wait_for "the second attempt on screen" on_screen "正在重试（第 2 次，共 3 次）"
kill -CONT "$DAEMON_PID"
wait_for "the second ticket printed" on_screen "B 0 0 1"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 2 "tickets after the second press"
pass "kiosk: the screen shows each retry while hallqd is stopped, then the ticket"

# 2. The command line, against a stopped hallqd.
kill -STOP "$DAEMON_PID"
"$TICKET" --queue A --timeout "$CLI_TIMEOUT_MS" --out "$WORK/t.bin" --state-dir "$WORK/cli" \
    >"$WORK/cli.out" 2>"$WORK/cli.err" &
CLI=$!
wait_for "the command line's retry" grep -q "asking again.*(2 of 3)" "$WORK/cli.err"
kill -CONT "$DAEMON_PID"
wait $CLI || fail "command line: $(cat "$WORK/cli.err")"
expect_eq "$(head -n 1 "$WORK/cli.out")" A002 "the command line's ticket"
expect_eq "$(sql "SELECT count(*) FROM tickets")" 3 "tickets after the command line's retry"
expect_eq "$(ctl issue A | head -1)" A003 "numbering"
pass "command line: retried while hallqd was stopped, then exactly one ticket"
