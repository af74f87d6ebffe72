#!/usr/bin/env bash
# Attacks with real CURVE keys on what a device may reach: a window's key acting on another
# window's tickets, a login under a clerk's name without the clerk's PIN, a kiosk's token
# replayed by another kiosk. Each is refused with forbidden / bad_field, nothing changes, and
# the owner of the window, the clerk with the PIN and the kiosk with the token still succeed.
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

# ---- 2. the clerk roster: no login under a clerk's name without the clerk's PIN -------------
out=$(echo 2468 | ctl clerk add wang --data "$DATA") || fail "clerk add: $out"
grep -q "wang is on the roster $DATA/clerks (1 clerk(s))" <<<"$out" || fail "clerk add said: $out"
echo 9753 | ctl clerk add 李四 --data "$DATA" >/dev/null || fail "clerk add 李四"
expect_eq "$(stat -c %a "$DATA/clerks")" 600 "roster file mode"
grep -v '^#' "$DATA/clerks" | grep -qv '^[^:]*:\$y\$' && fail "a roster line is no NAME:HASH"
expect_eq "$(ctl clerk list --data "$DATA" | tr '\n' ' ')" "wang 李四 " "clerk list"
out=$(echo 12 | ctl clerk add zhao --data "$DATA" 2>&1); expect_eq "$?" 2 "a short PIN"
grep -q "a PIN is 4 to 12 digits" <<<"$out" || fail "short PIN: $out"
expect_eq "$(as win4 --json catalog | $PY -c 'import json,sys; print(json.load(sys.stdin)["roster"])')" \
    True "catalog says the hall has a roster"

refused win4 "a PIN is needed for clerk wang (the hall has a clerk roster)" login 4 wang
out=$(echo 1357 | as win4 login 4 wang --pin 2>&1) && fail "a wrong PIN logged in: $out"
grep -qF "wrong PIN for clerk wang (forbidden)" <<<"$out" || fail "wrong PIN: $out"
out=$(echo 2468 | as win3 login 3 mallory --pin 2>&1) && fail "an unlisted clerk logged in"
grep -qF "clerk mallory is not on the hall's roster" <<<"$out" || fail "unlisted clerk: $out"
# the clerk already at the window too, and the manager's key as well
out=$(echo 1357 | as boss login 4 wang --pin 2>&1) && fail "the manager logged in a wrong PIN"
expect_eq "$(sql "SELECT clerk FROM counters WHERE id=3")" zhang "window 3 after the tries"
echo 2468 | as win3 login 3 wang --pin >/dev/null || fail "wang with the PIN at window 3"
echo 9753 | as win4 login 4 李四 --pin >/dev/null || fail "李四 with the PIN at window 4"
expect_eq "$(sql "SELECT clerk FROM counters WHERE id=3")" wang "window 3 taken over by wang"
# (as a word: a time in milliseconds may hold the same digits)
for pin in 2468 9753 1357; do
    grep -qw "$pin" "$LOG" && fail "PIN $pin in the daemon's log"
    sqlite3 "$DATA/hallq.db" .dump | grep -qw "$pin" && fail "PIN $pin in the database"
done
pass "roster: wrong, missing and unlisted refused; the PIN logs in and is never kept"

# An unsafe roster refuses every login until fixed, and stops a start.
chmod 644 "$DATA/clerks"
refused win3 "the clerk roster cannot be used" login 3 wang
grep -q "$DATA/clerks is readable by others (mode 644): chmod 600 it: no clerk can log in" "$LOG" ||
    fail "the unsafe roster is not logged"
stop_daemon || fail "clean stop"
out=$("$HALLQD" --data "$DATA" --keys "$K" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2>&1) &&
    fail "started with a roster others may read"
grep -q "$DATA/clerks is readable by others (mode 644): chmod 600 it" <<<"$out" || fail "start: $out"
chmod 600 "$DATA/clerks"
start_daemon --keys "$K"
grep -q "clerk roster $DATA/clerks: 2 clerk(s), logins need their PIN" "$LOG" || fail "roster at start"
ctl clerk remove wang --data "$DATA" >/dev/null && ctl clerk remove 李四 --data "$DATA" >/dev/null ||
    fail "clerk remove"
as win3 login 3 anyone >/dev/null || fail "without clerks on the roster any clerk logs in"
pass "an unsafe roster refuses logins and a start; an empty one lets any clerk in"

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
