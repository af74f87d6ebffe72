# Shared helpers for end-to-end tests: a real hallqd on ephemeral loopback ports with a
# temporary data directory, removed on exit. Source it after setting HALLQD and HALLQCTL.
set -u
HALLQD=${1:?usage: test.sh HALLQD HALLQCTL}
HALLQCTL=${2:?usage: test.sh HALLQD HALLQCTL}
WORK=$(mktemp -d /tmp/hallq-e2e.XXXXXX)
DATA=$WORK/data
LOG=$WORK/hallqd.log
DAEMON_PID=
export LANG=C.UTF-8 LC_ALL=C.UTF-8

cleanup() {
    {
        [ -n "$DAEMON_PID" ] && kill -9 "$DAEMON_PID"
        jobs -p | xargs -r kill -9
        wait
    } 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
    echo "FAIL: $*" >&2
    if [ -f "$LOG" ]; then echo "--- hallqd log (last 30 lines):" >&2; tail -n 30 "$LOG" >&2; fi
    exit 1
}

pass() { echo "ok - $*"; }

# start_daemon [hallqd args...]: binds the ports of the last run when there was one, so a
# restarted daemon is found by clients where they left it.
start_daemon() {
    local req=${HALLQ_ENDPOINT:-tcp://127.0.0.1:*} ev=${HALLQ_EVENTS:-tcp://127.0.0.1:*}
    touch "$LOG"
    local from=$(( $(wc -l < "$LOG") + 1 ))
    "$HALLQD" --data "$DATA" --request "$req" --events "$ev" "$@" 2>> "$LOG" &
    DAEMON_PID=$!
    local i line=
    for i in $(seq 1 200); do
        line=$(tail -n +"$from" "$LOG" | grep -m1 'listening requests=') && break
        kill -0 "$DAEMON_PID" 2>/dev/null || fail "hallqd exited at start"
        sleep 0.05
    done
    [ -n "$line" ] || fail "hallqd did not start listening"
    export HALLQ_ENDPOINT=$(sed -n 's/.*requests=\([^ ]*\).*/\1/p' <<<"$line")
    export HALLQ_EVENTS=$(sed -n 's/.*events=\([^ ]*\).*/\1/p' <<<"$line")
}

stop_daemon() {
    [ -n "$DAEMON_PID" ] || return 0
    kill -TERM "$DAEMON_PID"
    wait "$DAEMON_PID" 2>/dev/null
    local rc=$?
    DAEMON_PID=
    return $rc
}

kill9_daemon() {
    { kill -9 "$DAEMON_PID"; wait "$DAEMON_PID"; } 2>/dev/null
    DAEMON_PID=
    return 0
}

ctl() { "$HALLQCTL" "$@"; }

# wait_until SECONDS WHAT COMMAND...: runs COMMAND every 50 ms until it succeeds; fails the
# test with WHAT when SECONDS pass first. A test waits for what it needs, never a fixed time.
wait_until() {
    local limit=$1 what=$2
    local deadline=$((SECONDS + limit))
    shift 2
    until "$@"; do
        [ "$SECONDS" -lt "$deadline" ] || fail "$what (waited ${limit} s)"
        sleep 0.05
    done
}

# sanitized: hallqd is an AddressSanitizer build. Its allocator keeps freed memory in
# quarantine and it runs several times slower, so bounds on memory and on latency ratios are
# measured and printed, but only a plain build is held to them.
sanitized() { grep -qa __asan_init "$HALLQD"; }

# exited PID: the process is gone (for wait_until).
exited() { ! kill -0 "$1" 2>/dev/null; }

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"; }

# sql QUERY: runs against the live database (WAL lets readers in while hallqd writes)
sql() { sqlite3 -batch -noheader "$DATA/hallq.db" "$1"; }
