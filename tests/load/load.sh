#!/usr/bin/env bash
# Bounded load test: 100 counters, 300 displays and 20 kiosks for a compressed busy day.
# usage: load.sh HALLQD HALLQCTL LOAD [load options]; longer manual form:
#   load.sh ... --tickets 6000 --seconds 180
. "$(dirname "$0")/../e2e/lib.sh"
LOAD=${3:?load binary}
shift 3
{
    for i in $(seq 1 100); do echo "[counter $i]"; done
    printf "[limits]\nlocal = unlimited\n" # a compressed day: trusted, unlimited
} > "$WORK/hall.conf"
ulimit -n 8192 2>/dev/null
start_daemon --config "$WORK/hall.conf"
"$LOAD" "$HALLQ_ENDPOINT" "$HALLQ_EVENTS" "$DAEMON_PID" "$@" || fail "load"
kill -0 "$DAEMON_PID" || fail "daemon died under load"
dup=$(sql "SELECT count(*) FROM (SELECT seq FROM events GROUP BY seq HAVING count(*) > 1)")
expect_eq "$dup" 0 "duplicate events in the log"
pass "load held"
