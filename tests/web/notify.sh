#!/usr/bin/env bash
# hallq-web's notifier hook, with fake receivers: "tell me when 3 are ahead" asked on the page
# reaches an executable (as HOOK TICKET TEXT, the number in HALLQ_CONTACT) and an http:// URL
# (a JSON POST) once the ticket has 3 ahead, with nobody's page open; once, not again. The
# queue alert hallqd raises while the line waits, and its clear, reach both as well, as their
# own kind. The hall runs on a simulated clock at 60x (a minute of its time is a second).
# usage: notify.sh HALLQD HALLQCTL HALLQ-WEB
. "$(dirname "$0")/../e2e/lib.sh"
WEB=${3:?usage: notify.sh HALLQD HALLQCTL HALLQ-WEB}
printf '[alerts]\nwait_target_min = 2\nwait_clear_min = 1\nhold_s = 30\n' > "$WORK/hall.conf"
start_daemon --config "$WORK/hall.conf" --simulate "2026-11-23 09:00" --speed 60
# The fake SMS gateway as an executable: it writes what it got (alerts apart).
cat > "$WORK/hook" <<HOOK
#!/bin/sh
if [ "\$HALLQ_KIND" = queue_alert ]; then
    printf '%s|%s|%s\n' "\$1" "\$2" "\$HALLQ_ALERT" >> "$WORK/hook_alerts.out"
    exit 0
fi
[ "\$HALLQ_KIND" = ticket ] || exit 1
printf '%s|%s|%s|%s\n' "\$1" "\$2" "\$HALLQ_CONTACT" "\$HALLQ_LINK" >> "$WORK/hook.out"
HOOK
chmod +x "$WORK/hook"
# ... and as a URL: a small HTTP server that keeps each POST's body.
/usr/bin/python3 - "$WORK" > "$WORK/receiver.port" <<'PY' &
import http.server, sys, os
work = sys.argv[1]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        name = "alerts.jsonl" if b'"kind":"queue_alert"' in body else "posted.jsonl"
        with open(os.path.join(work, name), "ab") as f:
            f.write(body + b"\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(("127.0.0.1", 0), H)
print(s.server_address[1], flush=True)
s.serve_forever()
PY
receiver_up() { [ -s "$WORK/receiver.port" ]; }
wait_until 10 "the fake receiver did not start" receiver_up
RPORT=$(cat "$WORK/receiver.port")

start_web() {   # start_web NAME HOOK
    "$WEB" --listen 127.0.0.1:0 --notify-hook "$2" 2> "$WORK/$1.log" &
    eval "${1}_port() { sed -n 's/.*listening on http:\\/\\/127\\.0\\.0\\.1:\\([0-9]*\\)\\/.*/\\1/p' '$WORK/$1.log'; }"
    eval "${1}_up() { [ -n \"\$(${1}_port)\" ]; }"
    wait_until 10 "hallq-web ($1) did not start" "${1}_up"
}
start_web exe "$WORK/hook"
start_web url "http://127.0.0.1:$RPORT/sms"
# A bad hook is refused at the start, naming it.
out=$("$WEB" --listen 127.0.0.1:0 --notify-hook "$WORK/nothing" 2>&1) && fail "a missing hook was accepted"
grep -q "is neither an executable nor an http:// URL" <<<"$out" || fail "refusal: $out"

for _ in 1 2 3 4 5; do ctl issue A > /dev/null; done
token=$(ctl --json issue A | python3 -c 'import json,sys; print(json.load(sys.stdin)["web_token"])')
for web in exe url; do
    p=$(${web}_port)
    curl -sf "http://127.0.0.1:$p/t/$token" | grep -q "前面还有 5 人" || fail "$web: the page"
    curl -sf -XPOST -H 'Content-Type: application/json' -d '{"ahead":3,"contact":"13800000000"}' \
        "http://127.0.0.1:$p/t/$token/notify" | grep -q '"ahead":3' || fail "$web: subscribing"
done
# A bad subscription: refused.
code=$(curl -s -o /dev/null -w '%{http_code}' -XPOST -d '{"ahead":3,"contact":"<script>"}' \
    "http://127.0.0.1:$(exe_port)/t/$token/notify")
[ "$code" = 400 ] || fail "a contact that is no phone number: HTTP $code"
pass "subscribed on both (the pages are closed from here on)"

ctl login 1 wang > /dev/null
ctl call 1 > /dev/null                  # 4 ahead: nothing yet
seen_four() { curl -sf "http://127.0.0.1:$(exe_port)/t/$token/state" | grep -q '"ahead":4'; }
wait_until 10 "hallq-web did not see 4 ahead" seen_four
[ -s "$WORK/hook.out" ] && fail "the hook ran with 4 ahead: $(cat "$WORK/hook.out")"
ctl finish 1 > /dev/null; ctl call 1 > /dev/null   # 3 ahead
got_exe() { [ -s "$WORK/hook.out" ]; }
got_url() { [ -s "$WORK/posted.jsonl" ]; }
wait_until 10 "the executable hook was not run" got_exe
wait_until 10 "the URL hook got no POST" got_url
line=$(cat "$WORK/hook.out")
[[ "$line" == "A006|【医保服务大厅】您的 A006 号前面还有 3 人，请回到大厅留意叫号。|13800000000|"* ]] ||
    fail "the executable got: $line"
python3 - "$WORK/posted.jsonl" <<'PY' || fail "the URL hook got: $(cat "$WORK/posted.jsonl")"
import json, sys
m = json.loads(open(sys.argv[1], encoding="utf-8").readline())
assert m["kind"] == "ticket" and m["ticket"] == "A006" and "前面还有 3 人" in m["text"], m
assert m["contact"] == "13800000000", m
PY
pass "3 ahead: the executable ran (A006, the text, the number) and the URL got its POST"
ctl finish 1 > /dev/null; ctl call 1 > /dev/null   # 2 ahead: no second message
for web in exe url; do
    ping_state() { curl -sf "http://127.0.0.1:$(${web}_port)/t/$token/state" | grep -q '"ahead":2'; }
    wait_until 10 "$web did not see 2 ahead" ping_state
done
[ "$(wc -l < "$WORK/hook.out")" = 1 ] || fail "the hook ran again: $(cat "$WORK/hook.out")"
[ "$(wc -l < "$WORK/posted.jsonl")" = 1 ] || fail "the URL got a second POST"
grep -q 13800000000 "$WORK"/exe.log "$WORK"/url.log && fail "a contact reached the log"
pass "once only; the number is in no log"

# The queue alert: A's line has waited past 2 minutes of the hall's time by now (raised after
# 30 s more); emptying the line clears it. Both hooks hear both, as queue_alert.
raised_exe() { grep -q '^alert|.*"state":"raised"' "$WORK/hook_alerts.out" 2>/dev/null; }
raised_url() { grep -q '"state":"raised"' "$WORK/alerts.jsonl" 2>/dev/null; }
wait_until 20 "the executable hook heard no alert raised" raised_exe
wait_until 20 "the URL hook got no alert raised" raised_url
ctl finish 1 > /dev/null
for _ in 1 2 3; do ctl call 1 > /dev/null; ctl finish 1 > /dev/null; done
expect_eq "$(ctl call 1 | head -1)" none "the line of A after it was emptied"
cleared_exe() { grep -q '^alert|.*"state":"cleared"' "$WORK/hook_alerts.out" 2>/dev/null; }
cleared_url() { grep -q '"state":"cleared"' "$WORK/alerts.jsonl" 2>/dev/null; }
wait_until 20 "the executable hook heard no alert cleared" cleared_exe
wait_until 20 "the URL hook got no alert cleared" cleared_url
python3 - "$WORK/hook_alerts.out" "$WORK/alerts.jsonl" <<'PY' || fail "alerts: $(cat "$WORK/hook_alerts.out" "$WORK/alerts.jsonl")"
import json, sys
exe = [l.rstrip("\n").split("|", 2) for l in open(sys.argv[1], encoding="utf-8")]
url = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]
assert [a[0] for a in exe] == ["alert", "alert"], exe
for alerts, texts in (([json.loads(a[2]) for a in exe], [a[1] for a in exe]),
                      ([m["alert"] for m in url], [m["text"] for m in url])):
    assert [(a["queue"], a["kind"], a["state"]) for a in alerts] == \
        [("A", "wait", "raised"), ("A", "wait", "cleared")], alerts
    assert alerts[0]["advice"] == "open_window" and alerts[0]["target_ms"] == 120000, alerts[0]
    assert texts[0].startswith("【医保服务大厅】A 队最长等候 ") and "超过目标 2 分钟" in texts[0] \
        and texts[0].endswith("请增开服务该队的窗口"), texts[0]
    assert texts[1] == "【医保服务大厅】A 队等候时间已回到目标以内", texts[1]
assert all(m["kind"] == "queue_alert" and set(m) == {"kind", "alert", "text"} for m in url), url
print("   " + texts[0] + " / " + texts[1])
PY
pass "a queue alert raised and cleared reached both hooks as queue_alert, with what would help"
