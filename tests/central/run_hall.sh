#!/usr/bin/env bash
# run-hall.sh --central: the demo hall ships to a throwaway local PostgreSQL with one flag. The
# simulated day's events reach the city database through hallq-sync, the printed command makes
# the city report, and when the hall stops the cluster stops and its folder is gone.
. "$(dirname "$0")/../e2e/lib.sh"
BUILD=$(cd "${3:?build dir}" && pwd)
RUN_HALL=$(cd "$(dirname "$0")/../.." && pwd)/scripts/run-hall.sh
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
SOCK=hallq-test-$$
ports=$(python3 -c 'import socket
s=[socket.socket() for _ in range(2)]
[x.bind(("127.0.0.1",0)) for x in s]
print(" ".join(str(x.getsockname()[1]) for x in s))')
set -- $ports
export HALLQ_ENDPOINT=tcp://127.0.0.1:$1 HALLQ_EVENTS=tcp://127.0.0.1:$2
pg_dir=
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; [ -z "$pg_dir" ] || rm -rf "$pg_dir"; cleanup' EXIT

HALLQ_BUILD_DIR=$BUILD HALLQ_TMUX_SOCKET=$SOCK HALLQ_WEB_LISTEN=127.0.0.1:0 "$RUN_HALL" \
    --no-attach --data "$DATA" --simulate --speed 600 --central --lang en > "$WORK/run.out" 2>&1 ||
    fail "run-hall --central: $(cat "$WORK/run.out")"
url=$(sed -n 's/^city database: \([^ ]*\) .*/\1/p' "$WORK/run.out")
report=$(sed -n 's/^the city report: //p' "$WORK/run.out")
[ -n "$url" ] && [ -n "$report" ] || fail "run-hall printed no city database: $(cat "$WORK/run.out")"
pg_dir=$(sed -n 's/.*host=\([^&]*\)&.*/\1/p' <<<"$url")
[ -d "$pg_dir" ] || fail "no cluster folder $pg_dir"
psql() { "$PG_BIN/psql" -X -q -At -d "$url" -c "$1"; }
expect_eq "$(psql 'SHOW listen_addresses')" "" "the city database's TCP listener"
shipped() { [ "$(psql "SELECT count(*) FROM hallq.tickets WHERE hall = 'demo' AND state = 'finished'" 2>/dev/null || echo 0)" -ge 3 ]; }
wait_until 90 "no finished ticket of the simulated day reached the city database" shipped
# The printed command, run as printed (in the test's folder).
(cd "$WORK" && eval "$report") > /dev/null || fail "the printed city report command: $report"
grep -q 'data-hall="demo"' "$WORK/city.html" || fail "the demo hall is not in the city report"
grep -q "Halls ranked" "$WORK/city.html" || fail "the report is not in the hall's language"
pid=$(head -n 1 "$pg_dir/data/postmaster.pid")
tmux -L "$SOCK" kill-session -t hall
gone() { [ ! -e "$pg_dir" ] && ! kill -0 "$pid" 2>/dev/null; }
# A postmaster left a zombie by its daemonised parent counts as gone too.
stopped() { gone || { [ ! -e "$pg_dir" ] && [[ "$(ps -o stat= -p "$pid")" == Z* ]]; }; }
wait_until 30 "the city database still runs after the hall stopped" stopped
pass "run-hall --central: the simulated day shipped to a socket-only cluster, the printed report made, the cluster removed when the hall stopped"
