#!/usr/bin/env bash
# Faults a hall meets: a full disk, a data directory turned read-only, a corrupt or foreign
# database. Each gives a clear one-line error, the daemon keeps serving, and every ticket
# that got a reply survives. Runs itself again in a private mount namespace so its small
# filesystems vanish with it.
if [ -z "${HALLQ_IN_NS:-}" ]; then
    exec unshare -m env HALLQ_IN_NS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
mkdir -p "$DATA"
mount -t tmpfs -o size=1m tmpfs "$DATA" || fail "cannot mount a small filesystem"
trap '{ [ -n "$DAEMON_PID" ] && kill -9 "$DAEMON_PID"; wait; } 2>/dev/null; umount "$DATA" 2>/dev/null; cleanup' EXIT

# ---- full disk --------------------------------------------------------------------------
start_daemon
ctl login 1 wang >/dev/null || fail "login"
: > "$WORK/issued"
# leave ~40 kB free, then issue until the disk is full
avail=$(df --output=avail -B1 "$DATA" | tail -1)
dd if=/dev/zero of="$DATA/filler" bs=1024 count=$(( avail / 1024 - 200 )) status=none 2>/dev/null
full=0
for i in $(seq 1 3000); do
    if out=$(ctl issue A 2>&1); then
        head -1 <<<"$out" >> "$WORK/issued"
    else
        full=1; break
    fi
done
expect_eq "$full" 1 "the disk filled up"
grep -q "store_failed" <<<"$out" || fail "full disk error: $out"
grep -qi "disk is full" <<<"$out" || fail "full disk message names the problem: $out"
expect_eq "$(wc -l <<<"$out")" 1 "one-line error"
kill -0 "$DAEMON_PID" || fail "daemon died on a full disk"
ctl version >/dev/null || fail "daemon stopped answering"
n=$(wc -l < "$WORK/issued")
rm -f "$DATA/filler"
next=$(ctl issue A | head -1) || fail "issue after space was freed"
expect_eq "$next" "$(printf 'A%03d' $((n + 1)))" "no number lost or reused"
echo "$next" >> "$WORK/issued"
expect_eq "$(ctl call 1 | head -1)" A001 "queue intact after the full disk"
sql "SELECT label FROM tickets ORDER BY id" > "$WORK/stored"
diff -q "$WORK/issued" "$WORK/stored" >/dev/null || fail "tickets differ after the full disk"
pass "full disk: refused with '$(sed 's/.*refused: //' <<<"$out")', $n tickets kept, numbering continued"

# ---- read-only data directory ------------------------------------------------------------
# (Linux refuses to make a filesystem read-only while the daemon has its database open for
# writing, so this is the case a hall meets: the daemon started on a read-only mount.)
stop_daemon || fail "clean stop"
mount -o remount,ro "$DATA" || fail "remount read-only"
out=$("$HALLQD" --data "$DATA" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2>&1)
[ $? -ne 0 ] || fail "started on a read-only data directory"
grep -q "is not writable: Read-only file system" <<<"$out" || fail "read-only start message: $out"
expect_eq "$(grep -c . <<<"$out")" 2 "log line plus one-line error"
mount -o remount,rw "$DATA"
sql "SELECT label FROM tickets ORDER BY id" | diff -q "$WORK/issued" - >/dev/null || fail "tickets after read-only start"
pass "read-only data directory: refused at start with '$(tail -1 <<<"$out")', nothing lost"

# ---- corrupt and foreign databases ------------------------------------------------------
cp "$DATA/hallq.db" "$WORK/good.db"
printf 'garbage%.0s' $(seq 1 700) > "$DATA/hallq.db"; rm -f "$DATA/hallq.db-wal" "$DATA/hallq.db-shm"
sum=$(md5sum < "$DATA/hallq.db")
out=$("$HALLQD" --data "$DATA" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2>&1)
[ $? -ne 0 ] || fail "started on a corrupt database"
grep -q "hallq.db" <<<"$out" || fail "corrupt message: $out"
expect_eq "$(md5sum < "$DATA/hallq.db")" "$sum" "corrupt file left untouched"
rm -f "$DATA/hallq.db"
sqlite3 "$DATA/hallq.db" "CREATE TABLE invoices(n); INSERT INTO invoices VALUES (1);"
out=$("$HALLQD" --data "$DATA" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2>&1)
[ $? -ne 0 ] || fail "started on a foreign database"
grep -q "is not a hallq database" <<<"$out" || fail "foreign message: $out"
expect_eq "$(sqlite3 "$DATA/hallq.db" 'SELECT n FROM invoices')" 1 "foreign database untouched"
pass "corrupt and foreign databases refused and left as they were"
umount "$DATA"
