#!/usr/bin/env bash
# A key store that cannot be edited around. keys new hands a device's secret out (--out DIR
# or - for standard output) and keeps only its public key, never writing inside the keys
# folder; the README's commands do so as written. As ssh's StrictModes, hallqd refuses to start,
# with one line naming the path and the problem, when the keys folder, its clients/ folder, a
# listed key or the server's secret is writable by group or others, or is owned by anyone but
# root or the daemon's own user; a refusal leaves the data directory untouched. A sound store
# starts. With a third argument "owner" (needs root): foreign owners, and a daemon running as
# another user with a store of its own.
. "$(dirname "$0")/lib.sh"
K=$WORK/keys
# made with the loosest umask, the store is still sound
(umask 000 && ctl keys new kiosk1 --role kiosk --keys "$K" --out "$WORK/dev" >/dev/null) ||
    fail "keys new"
expect_eq "$(stat -c %a "$K")" 700 "keys folder mode"
expect_eq "$(stat -c %a "$K/clients")" 755 "clients folder mode"
expect_eq "$(stat -c %a "$K/clients/kiosk1.key")" 644 "listed key mode"

# The device's secret is handed out, never kept: --out DIR (made private) or standard output.
expect_eq "$(stat -c %a "$WORK/dev")" 700 "--out folder mode"
expect_eq "$(stat -c %a "$WORK/dev/kiosk1.key_secret")" 600 "device secret mode"
grep -q 'secret-key' "$WORK/dev/kiosk1.key_secret" || fail "no secret in the device's file"
out=$(ctl keys new kiosk2 --role kiosk --keys "$K" 2>&1); expect_eq "$?" 2 "keys new without --out"
grep -qF "keys new needs --out DIR or --out -" <<<"$out" || fail "without --out: $out"
for inside in "$K" "$K/devices" "$K/clients" "$K/clients/sub"; do
    out=$(ctl keys new kiosk2 --role kiosk --keys "$K" --out "$inside" 2>&1)
    expect_eq "$?" 1 "--out $inside"
    grep -qF "is inside the keys folder" <<<"$out" || fail "--out $inside: $out"
done
[ ! -e "$K/devices" ] && [ ! -e "$K/clients/sub" ] && [ ! -e "$K/clients/kiosk2.key" ] ||
    fail "a refused --out left files: $(find "$K")"
mkdir -p "$WORK/wall"
(umask 077 && ctl keys new wall --role display --keys "$K" --out - > "$WORK/wall/wall.key_secret" \
    2> "$WORK/wall.err") || fail "keys new --out -: $(cat "$WORK/wall.err")"
grep -q 'secret-key' "$WORK/wall/wall.key_secret" || fail "standard output holds no secret"
grep -qF "registered wall as display" "$WORK/wall.err" || fail "--out - said: $(cat "$WORK/wall.err")"
! grep -rq 'secret-key' "$K/clients" || fail "a secret in clients/"
expect_eq "$(find "$K" -name '*_secret' | sed "s|$K/||")" server.key_secret "secrets kept in the keys folder"
pass "keys new hands the secret out (--out DIR or -), keeps the public key, never inside the keys folder"

# The README's key commands on the server as written, but for the user they run as and the
# folder (tests/package/deb.sh runs the whole block verbatim on the installed package).
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir "$WORK/readme"
sed -n '/^<!-- package-test: server /,/^```$/p' "$ROOT/README.md" | grep -E '^(umask|sudo -u hallq) ' |
    sed -e 's|^sudo -u hallq ||' \
        -e "s|/etc/hallq/keys|$WORK/readme-keys|g" -e 's|^hallqctl |"$HALLQCTL" |' \
        > "$WORK/readme/commands.sh"
expect_eq "$(grep -c 'keys new' "$WORK/readme/commands.sh")" 4 "README commands found"
(cd "$WORK/readme" && HALLQCTL=$HALLQCTL bash -e commands.sh 2> "$WORK/readme.err") ||
    fail "README commands: $(cat "$WORK/readme.err")"
expect_eq "$(stat -c %a "$WORK/readme/kiosk1.key_secret")" 600 "README: the secret handed out"
grep -q 'public-key' "$WORK/readme/server.key" || fail "README: server.key"
expect_eq "$(ls "$WORK/readme-keys/clients" | tr '\n' ' ')" "boss.key kiosk1.key tv1.key win3.key " \
    "README: listed keys"
expect_eq "$(find "$WORK/readme-keys" -name '*_secret' | wc -l)" 1 "README: secrets on the server"
pass "the README's device commands run as written"

# refused WHAT EXPECTED: one line on stderr, naming the path, and no data directory made. A
# daemon that starts instead is stopped as soon as it listens.
refused() {
    "$HALLQD" --data "$DATA" --keys "$K" --request 'tcp://127.0.0.1:*' \
        --events 'tcp://127.0.0.1:*' > "$WORK/refused.out" 2>&1 &
    local pid=$! out
    wait_until 20 "hallqd neither refused nor started ($1)" \
        eval "! kill -0 $pid 2>/dev/null || grep -q 'listening requests=' '$WORK/refused.out'"
    if ! exited "$pid"; then
        kill "$pid"
        wait "$pid"
        rm -rf "$DATA"
        fail "started with $1"
    fi
    wait "$pid" && fail "exit status 0 with $1"
    out=$(cat "$WORK/refused.out")
    expect_eq "$(wc -l <<<"$out")" 1 "lines for $1 ($out)"
    grep -qF "hallqd: $2" <<<"$out" || fail "$1: expected '$2', got: $out"
    [ ! -e "$DATA" ] || fail "$1: the data directory was made before the refusal"
}

if [ "${3:-}" = owner ]; then
    [ "$(id -u)" = 0 ] || fail "the owner cases need root"
    for path in "$K" "$K/clients" "$K/clients/kiosk1.key" "$K/server.key_secret"; do
        chown nobody "$path"
        refused "$path owned by nobody" "$path is owned by nobody, not by root or root (the user hallqd runs as): chown it"
        chown root "$path"
    done
    pass "foreign owners refused: keys, clients/, a listed key, the server's secret"
    # The daemon's own user may own the store (and root still may own parts of it).
    chown -R nobody "$K"
    chown root "$K/clients/kiosk1.key"
    chmod 711 "$WORK"
    mkdir "$DATA" && chown nobody "$DATA"
    touch "$LOG"
    setpriv --reuid=nobody --regid=nogroup --clear-groups "$HALLQD" --data "$DATA" --keys "$K" \
        --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2>> "$LOG" &
    DAEMON_PID=$!
    wait_until 20 "hallqd as nobody did not start with a store of its own" \
        grep -q 'listening requests=' "$LOG"
    stop_daemon || fail "clean stop"
    pass "a store owned by the daemon's user (and root) starts it"
    exit 0
fi

chmod 777 "$K"
refused "keys 777" "$K is writable by group or others (mode 777): chmod go-w it"
chmod 700 "$K"
chmod g+w "$K/clients"
refused "clients g+w" "$K/clients is writable by group or others (mode 775): chmod go-w it"
chmod 755 "$K/clients"
chmod 666 "$K/clients/kiosk1.key"
refused "a listed key 666" "$K/clients/kiosk1.key is writable by group or others (mode 666)"
chmod 644 "$K/clients/kiosk1.key"
mkdir -m 777 "$K/clients/more"
refused "a folder below clients/" "$K/clients/more is writable by group or others (mode 777)"
rmdir "$K/clients/more"
chmod 620 "$K/server.key_secret"
refused "secret g+w" "$K/server.key_secret is writable by group or others (mode 620): chmod 600 it"
chmod 640 "$K/server.key_secret"
refused "secret g+r" "$K/server.key_secret is readable by others (mode 640): chmod 600 it"
chmod 600 "$K/server.key_secret"
# --check-config may be run by another user than the daemon's: it does not judge the store.
"$HALLQD" --check-config --keys "$K" >/dev/null || fail "--check-config judged the key store"
pass "group- or world-writable keys, clients/, listed keys and secrets refused in one line"

# A keys folder from an older hallqctl still keeps device secrets in devices/: said once.
mkdir -m 700 "$K/devices"
cp "$WORK/dev/kiosk1.key" "$WORK/dev/kiosk1.key_secret" "$K/devices/"
start_daemon --keys "$K"
expect_eq "$(grep -c "$K/devices holds 1 device secret key(s)" "$LOG")" 1 "devices/ warnings"
pass "a sound key store starts; secrets left in devices/ are warned about once"

# Both ways of handing a key out work on the device: the pair from --out DIR, and the one
# certificate from --out - saved as NAME.key_secret (HALLQ_KEY names NAME.key beside it).
export HALLQ_SERVER_KEY=$K/server.key
expect_eq "$(HALLQ_KEY=$WORK/dev/kiosk1.key ctl issue A | head -1)" A001 "kiosk from --out DIR"
HALLQ_KEY=$WORK/wall/wall.key ctl snapshot >/dev/null || fail "display from --out -"
out=$(HALLQ_KEY=$WORK/wall/wall.key ctl issue A 2>&1); expect_eq "$?" 1 "display issues"
pass "devices use the keys handed out"
