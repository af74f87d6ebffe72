#!/usr/bin/env bash
# stats_group_read: a manager who may only read the hall's data (a member of its group, as
# the package sets /var/lib/hallq up) runs `hallqctl stats` with no --data: it finds the
# installed directory and reads it while hallqd writes, after hallqd was killed (its log
# and shared-memory files left behind) and after a clean stop; nothing is created in the
# directory. Needs root: a user of its own, and /var/lib/hallq in a private mount namespace
# (over a tmpfs), so the machine's own /var/lib is never touched.
#
# usage: group_read.sh HALLQD HALLQCTL
if [ -z "${HALLQ_IN_NS:-}" ]; then
    [ "$(id -u)" = 0 ] || { echo "FAIL: stats_group_read needs root (sudo ctest -L root)" >&2; exit 1; }
    exec unshare -m env HALLQ_IN_NS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/../e2e/lib.sh"
chmod 711 "$WORK" # the manager passes through to the data, and sees nothing else here
trap '{ [ -n "$DAEMON_PID" ] && kill -9 "$DAEMON_PID"; wait; } 2>/dev/null; cleanup' EXIT

# The data directory as the package leaves it: the daemon's, readable by a group (nogroup
# here, the manager's), closed to others. hallq.db's mode is what SQLite gives its -wal and
# -shm files.
mkdir -p "$DATA"
chgrp nogroup "$DATA"
chmod 2750 "$DATA"
start_daemon
stop_daemon
chgrp nogroup "$DATA"/*
chmod 640 "$DATA"/hallq.db* # the database only: the hall's web key stays its owner's (0600)
mount -t tmpfs -o size=1m tmpfs /var/lib || fail "cannot mount over /var/lib"
mkdir /var/lib/hallq
mount --bind "$DATA" /var/lib/hallq || fail "cannot bind the data directory"

MANAGER_HOME=$WORK/manager
mkdir -m 755 "$MANAGER_HOME"
chown nobody:nogroup "$MANAGER_HOME"
# manager ARGS...: hallqctl run by a user in the data's group only, from a folder without
# ./hallq-data, with no $HALLQ_DATA.
manager() {
    (cd "$MANAGER_HOME" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
        env -u HALLQ_DATA HOME="$MANAGER_HOME" "$HALLQCTL" "$@")
}
setpriv --reuid=nobody --regid=nogroup --clear-groups touch /var/lib/hallq/x 2>/dev/null &&
    fail "the manager can write the data directory: the test would prove nothing"
before=$(ls -A "$DATA" | sort | tr '\n' ' ')

issued() { # issued: the total the manager's export counts
    manager stats export --by all --lang en 2>"$WORK/manager.err" | sed -n 's/^total,\([0-9]*\),.*/\1/p'
}

# 1. While hallqd runs and writes.
start_daemon
ctl login 1 wang >/dev/null || fail "login"
for q in A A B; do ctl issue "$q" >/dev/null || fail "issue"; done
ctl call 1 >/dev/null && ctl finish 1 >/dev/null || fail "serve"
[ -e "$DATA/hallq.db-shm" ] || fail "no shared-memory file: hallqd is not in WAL mode"
expect_eq "$(issued)" 3 "tickets read while hallqd runs ($(cat "$WORK/manager.err"))"
ctl issue C >/dev/null || fail "issue"
expect_eq "$(issued)" 4 "a ticket issued since, seen at once"
pass "a member of the data's group reads the installed directory while hallqd writes"

# 2. hallqd killed: its -wal and -shm stay, readable only.
kill9_daemon
[ -s "$DATA/hallq.db-wal" ] || fail "kill -9 left no write-ahead log to read through"
expect_eq "$(issued)" 4 "tickets read after kill -9 ($(cat "$WORK/manager.err"))"
pass "after kill -9, the tickets in the write-ahead log are read without writing it"

# 3. Stopped cleanly: no -wal or -shm, and the manager may not make them.
start_daemon
stop_daemon || fail "hallqd did not stop cleanly"
[ ! -e "$DATA/hallq.db-wal" ] || fail "a clean stop left the write-ahead log"
expect_eq "$(issued)" 4 "tickets read with hallqd stopped ($(cat "$WORK/manager.err"))"
manager stats report --out "$MANAGER_HOME/report.html" >/dev/null 2>"$WORK/manager.err" ||
    fail "report: $(cat "$WORK/manager.err")"
grep -q "办件统计报告" "$MANAGER_HOME/report.html" || fail "the report is not the hall's"
expect_eq "$(ls -A "$DATA" | sort | tr '\n' ' ')" "$before" "files in the data directory"
pass "with hallqd stopped, stats reads the database as it is and leaves the directory as it was"
