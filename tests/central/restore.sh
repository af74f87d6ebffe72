#!/usr/bin/env bash
# A hall restored from an old backup ships under a new epoch: the city store keeps both
# histories apart, the restored epoch names its parent and the last seq both share, and its
# tickets up to that seq are not derived twice. The shipper also reads a stopped hall's
# database (no write-ahead log beside it) without changing it.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/pg.sh"
SYNC=$(dirname "$HALLQD")/hallq-sync
pg_start
"$SYNC" --central "$PG_URL" --init >/dev/null || fail "--init"
SHIP=(--central "$PG_URL" --data "$DATA" --hall v3 --name 张村服务点 --level village --parent t1 --once)
meta() { sql "SELECT value FROM meta WHERE key = '$1'"; }

start_daemon
ctl login 1 wang >/dev/null
for i in $(seq 1 10); do ctl issue A >/dev/null || fail "issue"; done
ctl backup --data "$DATA" --out "$WORK/hall.bak" >/dev/null || fail "backup"
for i in $(seq 1 5); do ctl issue A >/dev/null || fail "issue"; done
old=$(meta epoch)
stop_daemon
sum_before=$(md5sum < "$DATA/hallq.db")
"$SYNC" "${SHIP[@]}" 2>> "$WORK/sync.log" || fail "shipping a stopped hall: $(tail -n 3 "$WORK/sync.log")"
expect_eq "$(md5sum < "$DATA/hallq.db")" "$sum_before" "the hall's database after a read-only shipper"
old_max=$(sql "SELECT max(seq) FROM events")

rm -rf "$DATA"
ctl restore "$WORK/hall.bak" --data "$DATA" >/dev/null || fail "restore"
new=$(meta epoch)
fork=$(meta epoch_fork_seq)
start_daemon
for i in $(seq 1 3); do ctl issue A >/dev/null || fail "issue on the restored hall"; done
stop_daemon
"$SYNC" "${SHIP[@]}" 2>> "$WORK/sync.log" || fail "shipping the restored hall: $(tail -n 3 "$WORK/sync.log")"

expect_eq "$(psql_q -c "SELECT count(*) FROM hallq.epochs WHERE hall = 'v3'")" 2 "epochs of the hall"
expect_eq "$(psql_q -c "SELECT parent_epoch || ' ' || fork_seq FROM hallq.epochs WHERE epoch = '$new'")" \
    "$old $fork" "the restored epoch's lineage"
expect_eq "$(psql_q -c "SELECT epoch FROM hallq.halls WHERE id = 'v3'")" "$new" "the hall's current epoch"
expect_eq "$(psql_q -c "SELECT max(seq) FROM hallq.events WHERE epoch = '$old'")" "$old_max" \
    "the old epoch's events"
expect_eq "$(psql_q -c "SELECT max(seq) FROM hallq.events WHERE epoch = '$new'")" \
    "$(sql "SELECT max(seq) FROM events")" "the new epoch's events"
# Ticket A011-A015 of the old history and A011-A013 of the new one reuse seq numbers and
# ids: each history keeps its own; those both share (up to the fork) are derived once.
expect_eq "$(psql_q -c "SELECT count(*) FROM hallq.tickets WHERE epoch = '$old'")" 15 "old epoch's tickets"
expect_eq "$(psql_q -c "SELECT count(*) FROM hallq.tickets WHERE epoch = '$new'")" 3 \
    "new epoch's own tickets (those before the fork are the parent's)"
pass "restore: epochs $old and $new apart, fork at seq $fork, tickets derived once"
