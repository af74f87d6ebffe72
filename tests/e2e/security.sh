#!/usr/bin/env bash
# CURVE with per-device keys: each role does only its own job; unknown keys are refused at
# the handshake and logged; secret keys must be private; without keys, loopback only.
. "$(dirname "$0")/lib.sh"
K=$WORK/keys
D=$WORK/devices # what the devices hold: their key pairs, handed out by keys new --out
for dev in "kiosk1 kiosk" "win3 counter:3" "wall display" "boss manager"; do
    set -- $dev
    ctl keys new "$1" --role "$2" --keys "$K" --out "$D" >/dev/null || fail "keys new $1"
done
out=$(ctl keys new x --role janitor --keys "$K" --out "$D" 2>&1); expect_eq "$?" 1 "bad role exit"
grep -q "role must be kiosk, counter:N, display or manager" <<<"$out" || fail "bad role: $out"
expect_eq "$(stat -c %a "$D/kiosk1.key_secret")" 600 "device secret mode"
expect_eq "$(stat -c %a "$K/server.key_secret")" 600 "server secret mode"
expect_eq "$(ctl keys list --keys "$K" | wc -l)" 4 "allow-list size"
pass "keys created, secrets 0600"

# a secret key readable by others stops the daemon
chmod 644 "$K/server.key_secret"
out=$("$HALLQD" --data "$DATA" --keys "$K" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2>&1)
[ $? -ne 0 ] || fail "started with a world-readable secret key"
grep -q "server.key_secret is readable by others (mode 644): chmod 600 it" <<<"$out" || fail "message: $out"
chmod 600 "$K/server.key_secret"
# beyond loopback without keys: refused
out=$("$HALLQD" --data "$DATA" --request 'tcp://0.0.0.0:*' --events 'tcp://127.0.0.1:*' 2>&1)
[ $? -ne 0 ] || fail "listened on all interfaces without keys"
grep -q "refusing to listen beyond loopback without keys" <<<"$out" || fail "message: $out"
pass "private secret key and loopback rule enforced"

start_daemon --keys "$K"
export HALLQ_SERVER_KEY=$K/server.key
as() { local who=$1; shift; HALLQ_KEY=$D/$who.key "$HALLQCTL" --timeout 1500 "$@"; }
expect_eq "$(as kiosk1 issue A | head -1)" A001 "kiosk issues"
out=$(as kiosk1 call 3 2>&1); expect_eq "$?" 1 "kiosk call refused"
grep -q "a kiosk may only issue tickets" <<<"$out" || fail "kiosk call: $out"
as win3 login 3 wang >/dev/null || fail "window 3 logs itself in"
expect_eq "$(as win3 call 3 | head -1)" A001 "window 3 calls"
out=$(as win3 call 4 2>&1); expect_eq "$?" 1 "window 3 acting as 4"
grep -q "belongs to window 3, not window 4" <<<"$out" || fail "window 4: $out"
out=$(as wall issue B 2>&1); expect_eq "$?" 1 "display issue refused"
as wall snapshot >/dev/null || fail "display reads the snapshot"
as boss pause 3 --reason test 2>&1 | grep -q "still has A001" || fail "manager may act on any window"
pass "roles: kiosk, counter:3, display, manager"

# events reach an authenticated display
HALLQ_KEY=$D/wall.key "$HALLQCTL" watch --count 2 > "$WORK/watch.out" 2> "$WORK/watch.err" &
W=$!
wait_until 20 "the display's watch did not sync over CURVE" grep -q "watching" "$WORK/watch.err"
as boss issue G >/dev/null && as boss issue G >/dev/null || fail "manager issues G"
wait_until 20 "display saw no events over CURVE" exited $W
grep -q "issued      G0" "$WORK/watch.out" || fail "display events: $(cat "$WORK/watch.out")"
pass "display subscribes over CURVE"

# unknown keys and plain clients get nothing; zauth refuses, our own line says so (once per
# connection: a client that times out connects once more before it gives up)
refusals() { grep -c "refused a key not in $K/clients on the requests socket $HALLQ_ENDPOINT (ZAP 400)" "$LOG"; }
ctl keys new rogue --role manager --keys "$WORK/other" --out "$WORK/rogue" >/dev/null
out=$(HALLQ_KEY=$WORK/rogue/rogue.key "$HALLQCTL" --timeout 700 issue A 2>&1); expect_eq "$?" 3 "rogue key"
out=$(env -u HALLQ_SERVER_KEY "$HALLQCTL" --timeout 700 issue A 2>&1); expect_eq "$?" 3 "no key"
[ "$(refusals)" -ge 1 ] || fail "unknown key not logged"
grep -q "zauth" "$LOG" && fail "zauth speaks without being asked: $(grep zauth "$LOG")"
# a key registered while the daemon runs is accepted at its first connection
ctl keys new kiosk2 --role kiosk --keys "$K" --out "$D" >/dev/null
expect_eq "$(as kiosk2 issue A | head -1)" A002 "newly registered kiosk"
pass "unknown keys refused and logged; new keys take effect live"

# The allow-list is read at every handshake: the role comes from clients/NAME.key, not from
# the device, and reaches each request as ZeroMQ metadata; a removed key is refused next time.
sed -i 's/role = "kiosk"/role = "manager"/' "$K/clients/kiosk1.key"
as kiosk1 pause 3 --reason test 2>&1 | grep -q "still has A001" || fail "role from the allow-list"
sed -i 's/role = "manager"/role = "kiosk"/' "$K/clients/kiosk1.key"
out=$(as kiosk1 call 3 2>&1); expect_eq "$?" 1 "kiosk again"
grep -q "a kiosk may only issue tickets" <<<"$out" || fail "kiosk again: $out"
rm "$K/clients/kiosk2.key"
before=$(refusals)
out=$(as kiosk2 issue A 2>&1); expect_eq "$?" 3 "removed key"
[ "$(refusals)" -gt "$before" ] || fail "removed key not logged"
pass "role metadata from the allow-list; a removed key is refused at its next connection"

# A listed key whose role grants nothing connects (zauth checks the list only) but is refused
# every request; hallqd warns about it at start. Asked for debug, zauth names each refused key.
ctl keys new odd --role kiosk --keys "$K" --out "$D" >/dev/null
sed -i 's/role = "kiosk"/role = "janitor"/' "$K/clients/odd.key"
stop_daemon || fail "clean stop"
start_daemon --keys "$K" --log-level debug
grep -q "clients/odd.key: role 'janitor' is not kiosk, counter:N, display or manager: every request from this device is refused" "$LOG" ||
    fail "odd role not warned about at start"
out=$(as odd issue A 2>&1); expect_eq "$?" 1 "odd role issues"
grep -q "role 'janitor' may not issue" <<<"$out" || fail "odd role: $out"
out=$(as odd snapshot 2>&1); expect_eq "$?" 1 "odd role reads"
grep -q "role 'janitor' may not snapshot" <<<"$out" || fail "odd role snapshot: $out"
rogue=$(sed -n 's/.*public-key = "\(.*\)"/\1/p' "$WORK/rogue/rogue.key")
HALLQ_KEY=$WORK/rogue/rogue.key "$HALLQCTL" --timeout 700 issue A >/dev/null 2>&1
grep -qF "zauth: - denied (CURVE) client_key=$rogue" "$LOG" || fail "zauth at debug names no key"
pass "odd roles warned about and refused; zauth verbose at debug"
