#!/usr/bin/env bash
# A key store that cannot be edited around (as ssh's StrictModes): hallqd refuses to start,
# with one line naming the path and the problem, when the keys folder, its clients/ folder, a
# listed key or the server's secret is writable by group or others, or is owned by anyone but
# root or the daemon's own user; a refusal leaves the data directory untouched. A sound store
# starts. With a third argument "owner" (needs root): foreign owners, and a daemon running as
# another user with a store of its own.
. "$(dirname "$0")/lib.sh"
K=$WORK/keys
# made with the loosest umask, the store is still sound
(umask 000 && ctl keys new kiosk1 --role kiosk --keys "$K" >/dev/null) || fail "keys new"
expect_eq "$(stat -c %a "$K")" 700 "keys folder mode"
expect_eq "$(stat -c %a "$K/clients")" 755 "clients folder mode"
expect_eq "$(stat -c %a "$K/clients/kiosk1.key")" 644 "listed key mode"

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

start_daemon --keys "$K"
pass "a sound key store starts"
