#!/usr/bin/env bash
# The hall's epoch: made with the database, carried by a backup, and new on every history that
# may write seq numbers again (a restore, a recovery), which names the epoch it came from and
# the last seq the two share. A database of an earlier hallqd gets one at its first start.
. "$(dirname "$0")/lib.sh"
meta() { sqlite3 -batch -noheader "$1" "SELECT value FROM meta WHERE key = '$2'"; }
start_daemon
ctl login 1 wang >/dev/null
for i in $(seq 1 5); do ctl issue A >/dev/null || fail "issue"; done
e1=$(meta "$DATA/hallq.db" epoch)
[[ "$e1" =~ ^[0-9a-f]{32}$ ]] || fail "a new hall's epoch: '$e1'"
ctl db check --data "$DATA" | grep -qx "epoch $e1" || fail "db check shows no epoch $e1"
expect_eq "$(ctl db check --data "$DATA" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["epoch"])')" \
    "$e1" "db check --json epoch"
ctl backup --data "$DATA" --out "$WORK/hall.bak" >/dev/null || fail "backup"
expect_eq "$(meta "$WORK/hall.bak" epoch)" "$e1" "a backup keeps the epoch"
shared=$(sqlite3 "$WORK/hall.bak" "SELECT max(seq) FROM events")
for i in $(seq 1 5); do ctl issue A >/dev/null || fail "issue"; done
stop_daemon

# Another hall's database is another epoch.
first=$DATA; DATA=$WORK/data2
start_daemon; stop_daemon
e0=$(meta "$DATA/hallq.db" epoch)
[[ "$e0" =~ ^[0-9a-f]{32}$ && "$e0" != "$e1" ]] || fail "a second hall's epoch '$e0' (first $e1)"
DATA=$first

rm -rf "$DATA"
ctl restore "$WORK/hall.bak" --data "$DATA" >/dev/null || fail "restore"
e2=$(meta "$DATA/hallq.db" epoch)
[[ "$e2" =~ ^[0-9a-f]{32}$ && "$e2" != "$e1" ]] || fail "a restore's epoch '$e2' (was $e1)"
expect_eq "$(meta "$DATA/hallq.db" epoch_parent)" "$e1" "the restored epoch's parent"
expect_eq "$(meta "$DATA/hallq.db" epoch_fork_seq)" "$shared" "the last seq shared with the parent"
start_daemon
ctl issue A >/dev/null || fail "issue on the restored hall"
expect_eq "$(meta "$DATA/hallq.db" epoch)" "$e2" "the epoch stays over a restart"
stop_daemon

# Recovery: the history goes on under a new epoch whose parent is the recovered one.
ctl db recover --data "$DATA" --out "$WORK/rec.db" >/dev/null || fail "recover"
e3=$(meta "$WORK/rec.db" epoch)
[[ "$e3" =~ ^[0-9a-f]{32}$ && "$e3" != "$e2" ]] || fail "a recovery's epoch '$e3' (was $e2)"
expect_eq "$(meta "$WORK/rec.db" epoch_parent)" "$e2" "the recovered epoch's parent"

# A database of an earlier hallqd (no epoch) gets one at its first start, and keeps it.
sql "DELETE FROM meta WHERE key IN ('epoch', 'epoch_parent', 'epoch_fork_seq')"
ctl db check --data "$DATA" | grep -q "^epoch none yet" || fail "db check of a database without epoch"
start_daemon
e4=$(meta "$DATA/hallq.db" epoch)
[[ "$e4" =~ ^[0-9a-f]{32}$ && "$e4" != "$e2" ]] || fail "an older database's epoch: '$e4'"
stop_daemon
start_daemon
expect_eq "$(meta "$DATA/hallq.db" epoch)" "$e4" "the given epoch is kept"
pass "epoch: made, kept by backup and restart, new on restore ($e2) and recovery, given to old databases"
