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
