#!/usr/bin/env bash
# Attacks with real CURVE keys on what a device may reach: a window's key acting on another
# window's tickets, a kiosk's token replayed by another kiosk. Each is refused with forbidden
# / bad_field, nothing changes, and the owner of the window and the kiosk with the token still
# succeed.
. "$(dirname "$0")/lib.sh"
K=$WORK/keys
D=$WORK/devices
PY=/usr/bin/python3
for dev in "kiosk1 kiosk" "kiosk2 kiosk" "win3 counter:3" "win4 counter:4" "boss manager"; do
    set -- $dev
    ctl keys new "$1" --role "$2" --keys "$K" --out "$D" >/dev/null || fail "keys new $1"
done
start_daemon --keys "$K"
export HALLQ_SERVER_KEY=$K/server.key
as() { local who=$1; shift; HALLQ_KEY=$D/$who.key "$HALLQCTL" --timeout 3000 "$@"; }
# refused WHO EXPECTED-MESSAGE VERB...: the request is refused (exit 1) with that message.
refused() {
    local who=$1 want=$2 out
    shift 2
    out=$(as "$who" "$@" 2>&1) && fail "$who $*: allowed, expected refused: $out"
    grep -qF -- "$want" <<<"$out" || fail "$who $*: expected '$want', got: $out"
}
field() { sql "SELECT $2 FROM tickets WHERE label='$1' AND day=(SELECT max(day) FROM tickets)"; }

# ---- 1. a window's key acts on its own window's tickets only -------------------------------
for _ in 1 2 3 4 5; do as boss issue A >/dev/null || fail "manager issues"; done
as win3 login 3 zhang >/dev/null || fail "window 3 logs in"
as win4 login 4 wang >/dev/null || fail "window 4 logs in"
expect_eq "$(as win4 call 4 | head -1)" A001 "window 4 calls"
as win4 finish 4 >/dev/null || fail "window 4 finishes A001"
expect_eq "$(as win4 call 4 | head -1)" A002 "window 4 calls again"
as win4 recall 4 >/dev/null && as win4 no-show 4 >/dev/null || fail "window 4 marks A002 no-show"
expect_eq "$(as win4 call 4 | head -1)" A003 "window 4 calls a third"
as win4 park 4 >/dev/null || fail "window 4 parks A003"

refused win3 "A001 belongs to window 4: a key of window 3 may not rate it" rate A001 1
refused win3 "A002 belongs to window 4: a key of window 3 may not reactivate it" reactivate A002
refused win3 "A003 belongs to window 4: a key of window 3 may not unpark it" unpark 3 A003
refused win3 "this key belongs to window 3, not window 4" finish 4
refused win3 "this key belongs to window 3, not window 4" login 4 mallory
expect_eq "$(field A001 "coalesce(rating, 'none')")" none "A001's rating after window 3's try"
expect_eq "$(field A002 state)" no_show "A002 after window 3's try"
expect_eq "$(field A003 state)" parked "A003 after window 3's try"
expect_eq "$(sql "SELECT clerk FROM counters WHERE id=4")" wang "window 4's clerk"
grep -q "warn: rate refused: A001 belongs to window 4" "$LOG" || fail "the refusal is not logged"
pass "window 3's key may not rate, reactivate or take back window 4's tickets, nor act as 4"

as win4 rate A001 5 >/dev/null || fail "window 4 rates its own A001"
as win4 reactivate A002 >/dev/null || fail "window 4 reactivates its own A002"
as win4 unpark 4 A003 >/dev/null || fail "window 4 takes its own A003 back"
expect_eq "$(field A001 rating)" 5 "A001 rated by its window"
as win4 finish 4 >/dev/null || fail "window 4 finishes A003"
expect_eq "$(as win3 call 3 | head -1)" A002 "window 3 calls the reactivated A002"
as win3 finish 3 >/dev/null || fail "window 3 finishes A002"
as boss rate A002 4 >/dev/null || fail "the manager rates window 3's ticket"
as boss rate A003 3 >/dev/null || fail "the manager rates window 4's ticket"
pass "a window acts on its own tickets; a manager's key on any window's"

# ---- 3. an issue token is its kiosk's ------------------------------------------------------
issue() { # issue KIOSK TOKEN: the reply, one JSON line
    $PY "$(dirname "$0")/curve_request.py" "$HALLQ_ENDPOINT" "$K/server.key" "$D/$1.key_secret" \
        "{\"type\":\"issue\",\"queue\":\"B\",\"token\":\"$2\"}"
}
reply_of() { $PY -c 'import json,sys; r=json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1"; }
first=$(issue kiosk1 shared-1) || fail "kiosk1 issues"
expect_eq "$(reply_of 'r["ticket"]["label"]' <<<"$first")" B001 "kiosk1's ticket"
again=$(issue kiosk1 shared-1) || fail "kiosk1 repeats"
expect_eq "$(reply_of 'r.get("repeat"), r["ticket"]["label"]' <<<"$again")" "(True, 'B001')" \
    "kiosk1's repeat"
other=$(issue kiosk2 shared-1) || fail "kiosk2 got no reply"
expect_eq "$(reply_of 'r["ok"], r["error"]["code"]' <<<"$other")" "(False, 'bad_field')" \
    "kiosk2 with kiosk1's token"
grep -q "token already used today by another device" <<<"$other" || fail "kiosk2: $other"
grep -q "B001" <<<"$other" && fail "kiosk2 learned kiosk1's ticket: $other"
expect_eq "$(sql "SELECT count(*) FROM tickets WHERE queue='B'")" 1 "tickets in B"
expect_eq "$(sql "SELECT device FROM tickets WHERE token='shared-1'")" kiosk1 "the token's device"
own=$(issue kiosk2 own-1) || fail "kiosk2 issues with its own token"
expect_eq "$(reply_of 'r["ticket"]["label"]' <<<"$own")" B002 "kiosk2's own ticket"
# kept across a restart: the token is still kiosk1's
stop_daemon || fail "clean stop"
start_daemon --keys "$K"
other=$(issue kiosk2 shared-1) || fail "kiosk2 got no reply after the restart"
expect_eq "$(reply_of 'r["error"]["code"]' <<<"$other")" bad_field "kiosk2 after a restart"
again=$(issue kiosk1 shared-1) || fail "kiosk1 repeats after the restart"
expect_eq "$(reply_of 'r.get("repeat"), r["ticket"]["label"]' <<<"$again")" "(True, 'B001')" \
    "kiosk1's repeat after a restart"
pass "a token is its kiosk's: another kiosk is refused and learns nothing, also after a restart"
