#!/usr/bin/env bash
# The README's run command: the whole hall in one tmux session, every pane showing its
# program's first screen; --simulate makes the screens move; ending the session ends it all.
. "$(dirname "$0")/lib.sh"
BUILD=$(cd "${3:?build dir}" && pwd)
RUN_HALL=$(cd "$(dirname "$0")/../.." && pwd)/scripts/run-hall.sh
SOCK=hallq-test-$$
ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
set -- $ports
export HALLQ_ENDPOINT=tcp://127.0.0.1:$1 HALLQ_EVENTS=tcp://127.0.0.1:$2
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; cleanup' EXIT
HALLQ_BUILD_DIR=$BUILD HALLQ_TMUX_SOCKET=$SOCK HALLQ_WEB_LISTEN=127.0.0.1:0 "$RUN_HALL" \
    --no-attach --simulate --speed 600 --data "$DATA" > "$WORK/run.out" 2>&1 ||
    fail "run-hall: $(cat "$WORK/run.out")"
pane() { tmux -L "$SOCK" capture-pane -p -t "hall:hall.$1"; }
wait_for() {   # wait_for PANE TEXT
    for _ in $(seq 1 100); do pane "$1" | grep -q "$2" && return 0; sleep 0.1; done
    pane "$1" >&2
    fail "pane $1 never showed '$2'"
}
wait_for 0 "等候人数"
wait_for 0 "医保服务大厅"
wait_for 1 "1号窗口  柜员 张敏"
wait_for 2 "2号窗口  柜员 李强"
wait_for 3 "自助取号"
wait_for 3 "参保登记与变更"
pass "display, window 1, window 2 and the kiosk each show their first screen"
wait_for 0 "最近呼叫"
wait_for 0 "号到 [0-9] 号窗口办理"
ctl snapshot | grep -q "issued today [1-9]" || fail "the simulation issued nothing"
pass "--simulate: calls reach the wall display"
# The printed URL opens the wall in a browser, and the kiosks put it in the tickets' QR.
wall=$(sed -n 's|.*the wall in a browser: \(http://[^ ]*/wall\)$|\1|p' "$WORK/run.out")
[ -n "$wall" ] || fail "run-hall printed no wall URL: $(cat "$WORK/run.out")"
curl -sf "$wall/state" | grep -q '"live":true' || fail "$wall/state is not live"
ctl catalog --json | grep -q "\"base_url\":\"${wall%/wall}\"" ||
    fail "the hall's catalog lacks base_url ${wall%/wall}"
pass "hallq-web: $wall is live, and the kiosks' QR leads there"
tmux -L "$SOCK" kill-session -t hall
for _ in $(seq 1 50); do ctl --timeout 200 version >/dev/null 2>&1 || break; sleep 0.1; done
ctl --timeout 300 version >/dev/null 2>&1 && fail "hallqd still running after the session ended"
pass "ending the tmux session stopped the daemon"
