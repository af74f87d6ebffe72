#!/usr/bin/env bash
# A backup taken while the daemon is busy restores to a database that passes its integrity
# check and holds every ticket issued before the backup; one daemon per data directory.
. "$(dirname "$0")/lib.sh"
start_daemon
out=$("$HALLQD" --data "$DATA" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2>&1)
[ $? -ne 0 ] || fail "a second daemon started on the same data"
grep -q "another hallqd (pid $DAEMON_PID) is using" <<<"$out" || fail "second daemon: $out"
ctl login 1 wang >/dev/null
for i in $(seq 1 50); do ctl issue A | head -1; done > "$WORK/before"
# keep the daemon busy during the backup
( for i in $(seq 1 200); do "$HALLQCTL" issue B >/dev/null 2>&1 || break; done ) &
BUSY=$!
ctl backup --data "$DATA" --out "$WORK/hall.bak" || fail "backup"
wait $BUSY
expect_eq "$(sqlite3 "$WORK/hall.bak" 'PRAGMA integrity_check')" ok "backup integrity"
out=$(ctl backup --data "$DATA" --out "$WORK/hall.bak" 2>&1); expect_eq "$?" 1 "backup over an existing file"
out=$(ctl restore "$WORK/hall.bak" --data "$DATA" 2>&1); expect_eq "$?" 1 "restore while running"
grep -q "hallqd is running on" <<<"$out" || fail "restore while running: $out"
stop_daemon
rm -rf "$DATA"
ctl restore "$WORK/hall.bak" --data "$DATA" | grep -q "integrity ok" || fail "restore"
expect_eq "$(sqlite3 "$DATA/hallq.db" 'PRAGMA integrity_check')" ok "restored integrity"
sqlite3 "$DATA/hallq.db" "SELECT label FROM tickets WHERE prefix='A' ORDER BY id" > "$WORK/after"
diff -q "$WORK/before" "$WORK/after" >/dev/null || fail "tickets issued before the backup missing"
start_daemon
expect_eq "$(ctl issue A | head -1)" A051 "numbering continues on the restored database"
printf 'not a database' > "$WORK/junk.bak"
stop_daemon
out=$(ctl restore "$WORK/junk.bak" --data "$DATA" 2>&1); expect_eq "$?" 1 "restore of junk"
pass "backup while busy: $(wc -l < "$WORK/after") A tickets restored, integrity ok"
