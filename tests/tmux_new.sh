# Sourced by the terminal tests. tmux_new SOCKET NEW-SESSION-ARGS...: starts a tmux session on
# SOCKET's server. When the last session has just ended, that server may still be exiting and
# the client then fails with "server exited unexpectedly"; the session is asked for again
# (a new server starts) for up to 3 s before the error is shown.
tmux_new() {
    local sock=$1 i
    shift
    for i in $(seq 1 30); do
        tmux -L "$sock" -f /dev/null new-session "$@" 2>/dev/null && return 0
        sleep 0.1
    done
    tmux -L "$sock" -f /dev/null new-session "$@"
}

# tmux_fail SOCKET PASSED WHY FILE...: a terminal test's failure report, then exit 1: WHY,
# every session's screen on SOCKET, the last lines of each FILE that is not empty (the logs)
# and the count of steps passed.
tmux_fail() {
    local sock=$1 passed=$2 s f
    echo "FAIL: $3"
    shift 3
    for s in $(tmux -L "$sock" list-sessions -F '#{session_name}' 2>/dev/null); do
        echo "--- screen '$s'"
        tmux -L "$sock" capture-pane -p -t "$s" 2>/dev/null || true
    done
    for f in "$@"; do
        [ -s "$f" ] && { echo "--- $f (tail)"; tail -n 25 "$f"; }
    done
    echo "$passed passed, 1 failed"
    exit 1
}
