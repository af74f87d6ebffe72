#!/usr/bin/env bash
# Garbage, wrong types, huge frames, unknown counters and queues: error replies, and the
# daemon goes on serving. A bad configuration is refused with its line.
. "$(dirname "$0")/lib.sh"

# A time zone the C library cannot read would run the hall in UTC: refused, with its line.
printf '[hall]\nname = 测试\ntimezone = Asia/Shanghia\n' > "$WORK/tz.conf"
out=$("$HALLQD" --check-config --config "$WORK/tz.conf" 2>&1); expect_eq "$?" 2 "bad time zone exit"
grep -q "tz.conf:3: timezone 'Asia/Shanghia' is no zone" <<<"$out" || fail "bad time zone: $out"
out=$("$HALLQD" --config "$WORK/tz.conf" --data "$DATA" 2>&1); expect_eq "$?" 2 "start refused"
grep -q "tz.conf:3:" <<<"$out" || fail "start with a bad time zone: $out"
# The town hall offers the town list (20), not every row of the catalog (26).
out=$("$HALLQD" --check-config) || fail "check-config: $out"
grep -q "20 service(s) offered (town level)" <<<"$out" || fail "town count: $out"
printf '[hall]\nlevel = village\n' > "$WORK/village.conf"
out=$("$HALLQD" --check-config --config "$WORK/village.conf") || fail "village: $out"
grep -q "6 service(s) offered (village level)" <<<"$out" || fail "village count: $out"
pass "check-config: time zone line named, offered services counted"

# What Windows Notepad saves is read: UTF-8 with a BOM, and GBK (惠平镇, read as GB18030).
printf '\xef\xbb\xbf[hall]\r\nname = 记事本\r\n' > "$WORK/bom.conf"
out=$("$HALLQD" --check-config --config "$WORK/bom.conf" 2>&1) || fail "BOM refused: $out"
printf '[hall]\nname = \xbb\xdd\xc6\xbd\xd5\xf2\nnotice = \xc7\xeb\xb0\xb4\xba\xc5\n[limits]\nlocal = unlimited\n' > "$WORK/gbk.conf"
out=$("$HALLQD" --check-config --config "$WORK/gbk.conf" 2>&1) || fail "GBK refused: $out"
# What it cannot use is refused as FILE:LINE: problem, by --check-config and at start alike.
refused() { # NAME CONTENT EXPECTED
    printf "$2" > "$WORK/$1"
    out=$("$HALLQD" --check-config --config "$WORK/$1" 2>&1) && fail "$1 passed --check-config"
    grep -qF "$1:$3" <<<"$out" || fail "$1: expected '$1:$3', got: $out"
    out=$("$HALLQD" --config "$WORK/$1" --data "$DATA" 2>&1) && fail "$1: the daemon started"
    grep -qF "$1:$3" <<<"$out" || fail "$1 at start: $out"
}
refused latin1.conf '[hall]\nname = caf\xe9\n' "2: not valid UTF-8"
refused dup.conf '[hall]\nname = a\nname = b\n' "3: 'name' is set twice in [hall] (first on line 2)"
refused nul.conf '[hall]\nname = a\0b\n' "2: contains a NUL byte"
refused esc.conf '[hall]\nnotice = \x1b[2J\n' "2: contains a control character"
refused z.conf '[counter 1]\nqueues = AZ\n' "2: counter 1 serves queue Z, which is not defined"
refused tz.conf '[hall]\ntimezone = Asia/Shanghia\n' "2: timezone 'Asia/Shanghia' is no zone"
refused foo.conf '[network]\nrequest = foo://bar\n' "2: request endpoint 'foo://bar' is not"
refused pub.conf '[network]\nrequest = tcp://0.0.0.0:5570\n' "2: request endpoint tcp://0.0.0.0:5570 is beyond loopback"
# The README's example and the packaged file with its settings uncommented are sound.
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
sed -n '/^## Configuration/,/^## /p' "$ROOT/README.md" | sed -n '/^```ini/,/^```/p' | sed '1d;$d' > "$WORK/readme.conf"
grep -q '^\[hall\]' "$WORK/readme.conf" || fail "no example in the README's Configuration section"
out=$("$HALLQD" --check-config --config "$WORK/readme.conf" 2>&1) || fail "README example: $out"
sed -E -e 's/^# ([a-z_]+ = )/\1/' -e "s|^catalog = .*|catalog = $ROOT/lib/hallq/services.tsv|" \
    -e "s|^holidays = .*|holidays = $ROOT/lib/hallq/holidays.example|" \
    "$ROOT/packaging/hallq.conf" | sed -n '1,/^# Queues/p' > "$WORK/packaged.conf"
grep -q '^level = town' "$WORK/packaged.conf" || fail "packaged file not uncommented"
out=$("$HALLQD" --check-config --config "$WORK/packaged.conf" 2>&1) || fail "packaged file: $out"
pass "check-config: BOM and GBK read; bad bytes, duplicates, queues, endpoints refused at their line"

# Unlimited ([limits] in gbk.conf): hundreds of bad requests come over one connection.
start_daemon --config "$WORK/gbk.conf" --log-level debug
/usr/bin/python3 "$(dirname "$0")/badinput.py" "$HALLQ_ENDPOINT" || fail "bad input"
kill -0 "$DAEMON_PID" || fail "daemon died"
ctl --json catalog | grep -q '"hall":{"name":"惠平镇"' || fail "GBK hall name: $(ctl --json catalog | head -c 300)"
expect_eq "$(ctl issue A | head -1)" A001 "daemon still serves"
grep -q "request refused" "$LOG" || fail "refusals are not logged"
! grep -q "110105" "$LOG" || fail "the log quotes an ID number: $(grep 110105 "$LOG" | head -3)"
pass "bad input refused, daemon alive, no ID number in the log"
