#!/usr/bin/env bash
# hallqctl drives every action; output and exit codes are what scripts rely on.
. "$(dirname "$0")/lib.sh"

"$HALLQD" --help | grep -q -- '--data' || fail "hallqd --help"
"$HALLQCTL" --help | grep -q 'no-show COUNTER' || fail "hallqctl --help"
"$HALLQCTL" --help --lang en | grep -q '^usage: hallqctl' || fail "hallqctl --help --lang en"
"$HALLQD" --version | grep -q '^hallqd .* (protocol [0-9]*)$' || fail "hallqd --version"
out=$("$HALLQCTL" snapshot --timeout 0 2>&1); rc=$?
[ $rc -eq 2 ] && grep -q "^hallqctl: --timeout takes a whole number" <<<"$out" ||
    fail "hallqctl bad option after the verb: rc=$rc out=$out"
out=$("$HALLQD" --bogus 2>&1); rc=$?
[ $rc -ne 0 ] && [ "$(wc -l <<<"$out")" -eq 1 ] || fail "hallqd bad flag: rc=$rc out=$out"
printf '[rules]\nelderly_age = old\n' > "$WORK/bad.conf"
out=$("$HALLQD" --config "$WORK/bad.conf" --data "$DATA" 2>&1); rc=$?
[ $rc -ne 0 ] || fail "bad config accepted"
grep -q "bad.conf:2: elderly_age must be a whole number" <<<"$out" || fail "bad config message: $out"
pass "help and config errors"

# unreachable daemon: clear message, exit 3, no hang
start=$(date +%s%N)
out=$(HALLQ_ENDPOINT=tcp://127.0.0.1:9 "$HALLQCTL" --timeout 500 snapshot 2>&1); rc=$?
elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
expect_eq "$rc" 3 "exit code when unreachable"
grep -q "no reply from hallqd at tcp://127.0.0.1:9 within 500 ms" <<<"$out" || fail "unreachable: $out"
[ "$elapsed" -lt 3000 ] || fail "unreachable took $elapsed ms"
pass "unreachable daemon: exit 3 in ${elapsed} ms"

start_daemon --log-level debug # every action logged: the ID-number check below covers them
expect_eq "$(ctl issue A --service 3 | head -1)" A001 "first ticket"
expect_eq "$(ctl issue A | head -1)" A002 "second ticket"
expect_eq "$(ctl issue C --elderly | head -1)" C001 "green ticket"
out=$(ctl issue B --id-number 11010519491231002X); expect_eq "$(head -1 <<<"$out")" B001 "id ticket"
grep -q "green lane" <<<"$out" || fail "ID number of a 76-year-old gives green: $out"
out=$(ctl issue B --id-number 110105194912310021 2>&1); rc=$?
expect_eq "$rc" 1 "bad ID number exit code"
grep -q "check digit" <<<"$out" || fail "bad ID message: $out"
out=$(ctl issue Q 2>&1); expect_eq "$?" 1 "unknown queue exit code"
grep -q "no queue Q" <<<"$out" || fail "unknown queue message: $out"
out=$(ctl call 9 2>&1); expect_eq "$?" 1 "unknown counter exit code"
grep -q "no counter 9" <<<"$out" || fail "unknown counter message: $out"
out=$(ctl call x 2>&1); expect_eq "$?" 2 "bad argument exit code"
out=$(ctl rate A001 7 2>&1); expect_eq "$?" 2 "bad rating exit code"
pass "issue, numbering and refusals"

ctl login 1 wang >/dev/null || fail "login"
out=$(ctl call 1)
expect_eq "$out" "C001
to counter 1 (green lane)" "green first"
ctl recall 1 >/dev/null || fail "recall"
ctl start 1 >/dev/null || fail "start"
ctl finish 1 | grep -q "C001 finished at counter 1" || fail "finish"
ctl rate C001 5 >/dev/null || fail "rate"
expect_eq "$(ctl call 1 | head -1)" B001 "second green"
ctl park 1 | grep -q "B001 parked" || fail "park"
expect_eq "$(ctl call 1 | head -1)" A001 "oldest normal"
ctl transfer 1 C | grep -q "A001 waiting, now in queue C" || fail "transfer"
expect_eq "$(ctl call 1 | head -1)" A001 "transferred keeps its place"
ctl recall 1 >/dev/null; ctl no-show 1 | grep -q "A001 no_show" || fail "no-show"
ctl reactivate A001 | grep -q "A001 waiting" || fail "reactivate"
ctl unpark 1 B001 | grep -q "B001 serving at counter 1" || fail "unpark"
ctl finish 1 >/dev/null
ctl pause 1 --reason 午休 | grep -q "counter 1 paused, clerk wang (午休)" || fail "pause"
out=$(ctl call 1 2>&1); grep -q "paused: resume first" <<<"$out" || fail "call while paused: $out"
ctl login 1 li | grep -q "took over from wang" || fail "takeover"
ctl resume 1 >/dev/null || fail "resume"
expect_eq "$(ctl call 1 | head -1)" A001 "reactivated ticket at its original place"
ctl finish 1 >/dev/null; expect_eq "$(ctl call 1 | head -1)" A002 "next"
ctl finish 1 >/dev/null; expect_eq "$(ctl call 1)" none "nothing waiting"
ctl logout 1 | grep -q "counter 1 closed" || fail "logout"
pass "every counter action"

json=$(ctl --json snapshot)
python3 - "$json" <<'PY' || fail "snapshot --json"
import json, sys
s = json.loads(sys.argv[1])
assert s["ok"] and s["type"] == "snapshot"
assert [q["prefix"] for q in s["queues"]] == list("ABCDEFG")
c1 = [c for c in s["counters"] if c["id"] == 1][0]
assert c1["state"] == "closed" and c1["clerk"] is None
assert s["metric"]["count"] == 4, s["metric"]
assert s["tickets"] == [], s["tickets"]
PY
ctl --json call 2 2>/dev/null | grep -q '"ok":false' || fail "--json error reply"
ctl --json issue D | grep -q '"label":"D001"' || fail "--json issue"
ctl version | grep -q "hallqd 0" || fail "version"
pass "--json output"

# the ID number never reaches the disk or the log (which, at debug, has every action)
grep -q "issue A001" "$LOG" || fail "the debug log does not hold the actions"
grep -q 11010519491231002X "$LOG" && fail "ID number in the log"
stop_daemon || fail "clean stop"
grep -rq 11010519491231002X "$DATA" && fail "ID number in the data directory"
pass "ID numbers kept off disk and logs"
echo "cli: all passed"
