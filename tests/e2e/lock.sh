#!/usr/bin/env bash
# One daemon per data directory, whatever is deleted: with every file but the database gone
# from the directory (the lock file of older versions among them), a second hallqd on the
# same directory, also by another path to it, is refused with one line naming the first;
# the first keeps serving; hallqctl db check (read only) runs beside it, db recover is refused.
. "$(dirname "$0")/lib.sh"
start_daemon
ctl issue A >/dev/null || fail "first issue"
for f in "$DATA"/*; do
    case ${f##*/} in hallq.db | hallq.db-wal | hallq.db-shm) ;; *) rm -f "$f" ;; esac
done
ln -s "$DATA" "$WORK/alias"
for dir in "$DATA" "$WORK/alias"; do
    "$HALLQD" --data "$dir" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' \
        2> "$WORK/second.log" &
    second=$!
    wait_until 20 "the second daemon neither exited nor listened" \
        eval "! kill -0 $second 2>/dev/null || grep -q 'listening requests=' '$WORK/second.log'"
    if grep -q 'listening requests=' "$WORK/second.log"; then
        kill -9 "$second"
        fail "a second daemon started on $dir after the lock file was deleted"
    fi
    wait "$second"
    rc=$?
    [ $rc -ne 0 ] || fail "second daemon on $dir: exit 0"
    said=$(grep '^hallqd: ' "$WORK/second.log")
    expect_eq "$said" "hallqd: another hallqd (pid $DAEMON_PID) is using $dir" "second daemon on $dir"
    echo "second daemon on $dir: exit $rc: $said"
done
expect_eq "$(ctl issue A | head -1)" A002 "the first daemon keeps serving"
ctl db check --data "$DATA" | grep -q "is sound" || fail "db check (read only) while hallqd serves"
out=$(ctl db recover --data "$DATA" --out "$WORK/rec.db" 2>&1)
expect_eq "$?" 1 "db recover while hallqd runs"
grep -q "hallqd is running on $DATA" <<<"$out" || fail "db recover while running: $out"
[ ! -e "$WORK/rec.db" ] || fail "db recover wrote a file while hallqd runs"
stop_daemon || fail "first daemon's stop"
pass "the lock survives deleting the directory's files; the second daemon is refused, naming the first"
