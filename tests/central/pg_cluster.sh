#!/usr/bin/env bash
# The throwaway cluster the central tests use: it starts, answers on its socket only (no TCP
# listener), stops and restarts with its data, and leaves nothing behind.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/pg.sh"
pg_start
expect_eq "$(psql_q -c 'SELECT 1')" 1 "a query on the socket"
expect_eq "$(psql_q -c 'SHOW listen_addresses')" "" "listen_addresses"
port=$(psql_q -c 'SHOW port')
! "$PG_BIN/psql" -X -h 127.0.0.1 -p "$port" -c 'SELECT 1' >/dev/null 2>&1 || fail "TCP answered"
psql_q -c 'CREATE TABLE t(x int); INSERT INTO t VALUES (7)'
pg_down
! psql_q -c 'SELECT 1' >/dev/null 2>&1 || fail "a query while the server is down"
pg_up
expect_eq "$(psql_q -c 'SELECT x FROM t')" 7 "data over a restart"
dir=$PG_DIR
pid=$(head -n 1 "$dir/data/postmaster.pid")
pg_stop
[ ! -e "$dir" ] || fail "$dir left behind"
# Gone, or a zombie its daemonised parent left to whichever process reaps orphans here.
state=$(ps -o stat= -p "$pid")
[ -z "$state" ] || [[ "$state" == Z* ]] || fail "postmaster $pid still running ($state)"
pass "throwaway PostgreSQL: socket only, restarts with its data, removed"
