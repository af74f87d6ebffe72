#!/usr/bin/env bash
# A damaged database is refused and never written. For each kind of damage hallqd exits
# non-zero with one line naming the file and the problem, and leaves hallq.db (and its -wal)
# byte for byte as they were; `hallqctl db check` reports the damage; `hallqctl db recover`
# makes a new file hallqd starts on, with the tickets that could still be read. Then damage in
# old history, which the start does not read: hallqd starts, and once its background check
# finds the damage it refuses every change (reads go on) and writes nothing more to the file.
# Each case prints one line: what the daemon said, whether the file changed, what check and
# recover said.
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
FAILED=0
problem() { echo "  PROBLEM: $*" >&2; FAILED=1; }

# ---- the store: 1500 finished tickets of 30 earlier days written straight in (as a year of
# history would be), then a morning's work through the daemon: 60 tickets, some served, one
# called, and today's events.
start_daemon
stop_daemon
sqlite3 "$DATA/hallq.db" >/dev/null <<'SQL' || fail "writing the old history"
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 1499)
INSERT INTO tickets(day, prefix, number, label, queue, service, green, state, issued_ms,
                    called_ms, started_ms, finished_ms, calls, counter, clerk, reason)
SELECT date('now', '-' || (31 - i / 50) || ' days'), 'A', i % 50 + 1, printf('A%03d', i % 50 + 1),
       'A', 3, 0, 'finished', 1700000000000 + i * 60000, 1700000060000 + i * 60000,
       1700000120000 + i * 60000, 1700000300000 + i * 60000, 1, 1, 'wang',
       'oldest first ' || hex(randomblob(100))
FROM n;
SQL
start_daemon
ctl login 1 wang >/dev/null
ctl login 2 li >/dev/null
for i in $(seq 1 20); do ctl issue A >/dev/null; ctl issue B >/dev/null; ctl issue C --elderly >/dev/null; done
for i in 1 2 3 4 5; do ctl call 1 >/dev/null; ctl start 1 >/dev/null; ctl finish 1 >/dev/null; done
ctl call 2 >/dev/null
stop_daemon || fail "clean stop of the first daemon"
[ ! -e "$DATA/hallq.db-wal" ] || [ ! -s "$DATA/hallq.db-wal" ] || fail "a clean stop left a log"
BASE=$WORK/base
mv "$DATA" "$BASE"
rm -f "$BASE/hallq.db-wal" "$BASE/hallq.db-shm"
q() { sqlite3 -readonly -batch -noheader "$BASE/hallq.db" "$1"; }
TICKETS=$(q "SELECT count(*) FROM tickets")
EVENTS=$(q "SELECT count(*) FROM events")
PAGE_SIZE=$(q "PRAGMA page_size")
PAGES=$(q "PRAGMA page_count")
TODAY=$(q "SELECT max(day) FROM tickets")
# Pages by b-tree (dbstat; its paths sort in tree order): leaves in rowid order.
root() { q "SELECT rootpage FROM sqlite_master WHERE name = '$1'"; }
leaf() { q "SELECT pageno FROM dbstat WHERE name = '$1' AND pagetype = 'leaf' ORDER BY path $2 LIMIT 1"; }
P_COUNTERS=$(root counters)
P_OPEN=$(root tickets_open)
P_EVENTS_LAST=$(leaf events DESC)
P_TICKETS_LAST=$(leaf tickets DESC)
P_TICKETS_FIRST=$(leaf tickets ASC)
rm -f "$BASE/hallq.db-wal" "$BASE/hallq.db-shm"
[ "$(q "SELECT count(*) FROM dbstat WHERE name = 'tickets' AND pagetype = 'leaf'")" -gt 20 ] ||
    fail "the store is too small to damage one page of many"
[ "$(q "SELECT min(day) FROM tickets")" \< "$TODAY" ] || fail "no old history"
rm -f "$BASE/hallq.db-wal" "$BASE/hallq.db-shm"
echo "store: $TICKETS tickets ($((TICKETS - 1500)) of them on $TODAY), $EVENTS events, $PAGES pages of $PAGE_SIZE bytes"
out=$("$HALLQCTL" db check --data "$BASE" --json) || fail "db check of the sound store: $out"
$PY - "$out" "$TICKETS" <<'PY' || fail "db check --json of the sound store: $out"
import json, sys
r = json.loads(sys.argv[1])
assert r["sound"] is True and r["problems"] == [] and r["tickets"] == int(sys.argv[2]), r
PY
rm -f "$BASE/hallq.db-wal" "$BASE/hallq.db-shm"

# page FILE N zero|flip: zeroes page N, or inverts every byte of it.
page() {
    $PY - "$@" <<'EOF'
import sys
path, n, how = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "r+b") as f:
    size = int.from_bytes(f.read(18)[16:18], "big") or 65536
    f.seek((n - 1) * size)
    old = f.read(size)
    f.seek((n - 1) * size)
    f.write(bytes(size) if how == "zero" else bytes(b ^ 0xFF for b in old))
EOF
}

# sums DIR: sha256 of hallq.db and of its -wal, when there is one with something in it.
sums() {
    sha256sum "$1/hallq.db" | cut -d' ' -f1
    [ -s "$1/hallq.db-wal" ] && sha256sum "$1/hallq.db-wal" | cut -d' ' -f1
    return 0
}

# run_daemon DIR LOG: starts hallqd on DIR and waits until it exits or listens. STATE is
# then "exit N", or "listening" with the daemon running as RUN_PID.
run_daemon() {
    : > "$2"
    "$HALLQD" --data "$1" --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2> "$2" &
    RUN_PID=$!
    wait_until 30 "hallqd on $1 neither exited nor listened" \
        eval "! kill -0 $RUN_PID 2>/dev/null || grep -q 'listening requests=' '$2'"
    if grep -q 'listening requests=' "$2"; then
        STATE=listening
    else
        wait "$RUN_PID"
        STATE="exit $?"
        RUN_PID=
    fi
}

stop_run() {
    [ -n "${RUN_PID:-}" ] || return 0
    kill -TERM "$RUN_PID"
    wait "$RUN_PID" 2>/dev/null
    RUN_PID=
}

# case NAME KEYWORD FILE DAMAGE: a copy of the store in $D, damaged by the shell command
# DAMAGE; the refusal must name FILE (hallq.db or hallq.db-wal) and say KEYWORD.
NCASE=0
case_() {
    local name=$1 keyword=$2 file=$3
    NCASE=$((NCASE + 1))
    local d=$WORK/case-$NCASE log=$WORK/case-$NCASE.log out=$WORK/case-$NCASE.rec.db
    cp -a "$BASE" "$d"
    D=$d eval "$4" || fail "$name: damaging the copy"
    local before after said state changed check recover
    before=$(sums "$d")
    run_daemon "$d" "$log"
    state=$STATE
    [ "$state" = listening ] && stop_run
    after=$(sums "$d")
    said=$(grep '^hallqd: ' "$log")
    [ "$before" = "$after" ] && changed="unchanged" || changed="CHANGED"
    local files=hallq.db
    [ -s "$d/hallq.db-wal" ] && files="hallq.db and hallq.db-wal"
    echo "case $name:"
    echo "  hallqd: $state: ${said:-(nothing)}"
    echo "  files: $files $changed"
    [ "$state" != listening ] && [ "$state" != "exit 0" ] || problem "hallqd did not refuse"
    [ "$(grep -c '^hallqd: ' "$log")" = 1 ] || problem "not one line of refusal"
    grep -qF "$d/$file" <<<"$said" || problem "the refusal does not name $d/$file"
    grep -qF "$keyword" <<<"$said" || problem "the refusal does not say '$keyword'"
    [ "$changed" = unchanged ] || problem "the damaged file was written"
    check=$("$HALLQCTL" db check --data "$d" 2>&1)
    local rc=$?
    echo "  db check: exit $rc: $(head -1 <<<"$check")"
    [ $rc = 1 ] && grep -q "is damaged" <<<"$check" || problem "db check did not report the damage"
    recover=$("$HALLQCTL" db recover --data "$d" --out "$out" 2>&1)
    rc=$?
    echo "  db recover: exit $rc: $(grep -v '^hallqctl db: .*reading what can be read' <<<"$recover" | head -1)"
    if [ "$keyword" = "is empty" ]; then
        [ $rc = 1 ] && grep -q "nothing to recover" <<<"$recover" || problem "recover of an empty file"
        [ ! -e "$out" ] || problem "recover of an empty file made a file"
        return
    fi
    [ $rc = 0 ] && [ -f "$out" ] || { problem "recover failed"; return; }
    local r=$WORK/case-$NCASE.recovered n
    mkdir "$r"
    mv "$out" "$r/hallq.db"
    n=$(sqlite3 -readonly "$r/hallq.db" "SELECT count(*) FROM tickets")
    grep -q "^recovered $n tickets" <<<"$recover" || problem "recover's count is not the file's ($n)"
    "$HALLQCTL" db check --data "$r" | grep -q "is sound" || problem "the recovered file is not sound"
    run_daemon "$r" "$r.log"
    if [ "$STATE" = listening ]; then
        local ep
        ep=$(sed -n 's/.*requests=\([^ ]*\).*/\1/p' "$r.log")
        HALLQ_ENDPOINT=$ep "$HALLQCTL" issue B >/dev/null || problem "issuing on the recovered file"
        stop_run
        echo "  recovered: $n of $TICKETS tickets; hallqd started on the new file and issued"
    else
        problem "hallqd refused the recovered file: $(grep '^hallqd: ' "$r.log")"
    fi
}

case_ "zeroed page (counters, page $P_COUNTERS)" "is damaged" hallq.db \
    'page "$D/hallq.db" "$P_COUNTERS" zero'
case_ "flipped page of the open-ticket index (tickets_open, page $P_OPEN)" "is damaged" hallq.db \
    'page "$D/hallq.db" "$P_OPEN" flip'
case_ "flipped last page of the event log (events, page $P_EVENTS_LAST)" "is damaged" hallq.db \
    'page "$D/hallq.db" "$P_EVENTS_LAST" flip'
case_ "flipped page of today's tickets (tickets, page $P_TICKETS_LAST)" "is damaged" hallq.db \
    'page "$D/hallq.db" "$P_TICKETS_LAST" flip'
case_ "0-byte hallq.db" "is empty" hallq.db 'truncate -s 0 "$D/hallq.db"'
case_ "truncated hallq.db (cut to $((PAGES / 2)) of $PAGES pages)" "is truncated" hallq.db \
    'truncate -s $((PAGES / 2 * PAGE_SIZE)) "$D/hallq.db"'
case_ "garbage hallq.db-wal (8 KiB of random bytes)" "is damaged" hallq.db-wal \
    'head -c 8192 /dev/urandom > "$D/hallq.db-wal"'

# ---- damage the start does not read: found in the background, then every change refused.
d=$WORK/background
cp -a "$BASE" "$d"
page "$d/hallq.db" "$P_TICKETS_FIRST" flip
before=$(sums "$d")
DATA=$d
LOG=$WORK/background.log
start_daemon
wait_until 60 "the background check did not report the damage" grep -q "is damaged" "$LOG"
found=$(grep -m1 "is damaged" "$LOG" | sed 's/^.* error: //')
out=$(ctl issue A 2>&1)
rc=$?
snapshot_rc=0
ctl snapshot >/dev/null || snapshot_rc=$?
stop_daemon
after=$(sums "$d")
[ "$before" = "$after" ] && changed=unchanged || changed=CHANGED
echo "case damage in old history (tickets, page $P_TICKETS_FIRST), which the start does not read:"
echo "  hallqd started, then logged: $found"
echo "  issue: exit $rc: $out"
echo "  snapshot: exit $snapshot_rc; hallq.db $changed"
grep -qF "$d/hallq.db is damaged" <<<"$found" || problem "the log line does not name the file"
[ $rc = 1 ] && grep -q "store_failed" <<<"$out" && grep -qF "is damaged" <<<"$out" ||
    problem "an issue after the damage was found was not refused with the store error"
[ $snapshot_rc = 0 ] || problem "reads stopped working"
[ "$changed" = unchanged ] || problem "the daemon wrote to the file it found damaged"

[ $FAILED = 0 ] || fail "see the problems above"
pass "7 kinds of damage refused untouched, checked and recovered; old-history damage found in the background"
