"""hallq-web's progress page, checked from outside: plain HTTP, server-sent events read by
hand, hallqctl for the clerk's side. Environment: HALLQ_WEB (the base URL), HALLQCTL,
DAEMON_PID (killed at the end to see the page go offline)."""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.parse

BASE = os.environ["HALLQ_WEB"]
CTL = os.environ["HALLQCTL"]
HOST = urllib.parse.urlparse(BASE)


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def ok(msg):
    print("ok - " + msg)


def ctl(*args):
    out = subprocess.run([CTL, *args], capture_output=True, text=True, timeout=10)
    if out.returncode != 0:
        fail("hallqctl %s: %s" % (" ".join(args), out.stderr.strip()))
    return out.stdout


def get(path):
    c = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read().decode("utf-8")
    c.close()
    return r.status, dict((k.lower(), v) for k, v in r.getheaders()), body


def issue(queue, *more):
    reply = json.loads(ctl("--json", "issue", queue, *more))
    token = reply.get("web_token", "")
    if not re.fullmatch(r"[A-Za-z0-9_-]{22}", token):
        fail("the issue reply's web_token is not 22 base64url characters: %r" % token)
    return reply["ticket"]["label"], token


class Stream:
    """A server-sent event stream, read line by line."""

    def __init__(self, path):
        self.conn = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=10)
        self.conn.request("GET", path, headers={"Accept": "text/event-stream"})
        self.sock = self.conn.sock  # the response takes it over: kept for the timeouts
        self.resp = self.conn.getresponse()
        if self.resp.status != 200:
            fail("%s: HTTP %d" % (path, self.resp.status))
        ctype = self.resp.getheader("Content-Type", "")
        if not ctype.startswith("text/event-stream"):
            fail("%s: Content-Type %s" % (path, ctype))

    def next_state(self, timeout):
        self.sock.settimeout(timeout)
        data = []
        while True:
            line = self.resp.readline().decode("utf-8")
            if not line:
                fail("the event stream ended")
            line = line.rstrip("\n")
            if line.startswith("data:"):
                data.append(line[5:].strip())
            elif line == "" and data:
                return json.loads("\n".join(data))

    def wait_for(self, what, cond, timeout):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                fail("the stream did not say %s within %.1f s" % (what, timeout))
            try:
                s = self.next_state(left)
            except OSError:
                fail("the stream did not say %s within %.1f s" % (what, timeout))
            if cond(s):
                return s

    def close(self):
        self.conn.close()


# Two citizens; the second follows their ticket.
first, first_token = issue("A")
label, token = issue("A", "--service", "1")
status, headers, page = get("/t/" + token)
if status != 200:
    fail("/t/TOKEN: HTTP %d" % status)
for want in (label, "单位参保登记", "前面还有 1 人", "预计等候约"):
    if want not in page:
        fail("the page lacks %r" % want)
if first in page:
    fail("the page names another citizen's ticket %s" % first)
ok("the page shows %s, its service, 前面还有 1 人 and the estimate" % label)

# Security headers; no cookie; no inline script or style.
csp = headers.get("content-security-policy", "")
if "script-src 'self'" not in csp or "unsafe-inline" in csp or "default-src 'none'" not in csp:
    fail("Content-Security-Policy: %r" % csp)
if "set-cookie" in headers:
    fail("the page sets a cookie")
if headers.get("referrer-policy") != "no-referrer" or headers.get("cache-control") != "no-store":
    fail("Referrer-Policy / Cache-Control: %r" % headers)
if re.search(r"<script(?![^>]*\bsrc=)", page) or re.search(r"\sstyle=|\son[a-z]+=", page):
    fail("the page has inline script or style")
for asset, ctype in (("/static/ticket.js", "text/javascript"), ("/static/style.css", "text/css")):
    s, h, _ = get(asset)
    if s != 200 or not h.get("content-type", "").startswith(ctype) or "set-cookie" in h:
        fail("%s: HTTP %d %r" % (asset, s, h))
ok("CSP without inline script, no referrer, no cookie; script and style from the binary")

s, _, page_en = get("/t/%s?lang=en" % token)
if s != 200 or "1 people ahead of you" not in page_en or 'lang="en"' not in page_en:
    fail("?lang=en: the page is not in English")
ok("?lang=en: English")

# The stream: its first state, then a call reaches it within a second.
stream = Stream("/t/%s/events" % token)
state = stream.next_state(5)
if state["state"] != "waiting" or state["ahead"] != 1 or state["label"] != label:
    fail("the stream's first state: %r" % state)
ctl("login", "1", "wang")
ctl("login", "2", "li")
ctl("call", "1")
state = stream.wait_for("nobody ahead", lambda s: s["ahead"] == 0, 3)
if state["ahead_text"] != "前面没有人了":
    fail("ahead 0 reads %r" % state["ahead_text"])
t0 = time.monotonic()
called = ctl("call", "2").split()[0]
if called != label:
    fail("window 2 called %s, not %s" % (called, label))
state = stream.wait_for("the call", lambda s: s["state"] == "called", 1.0)
lag = (time.monotonic() - t0) * 1000
if state["line"] != "请到 2 号窗口" or state["counter"] != 2 or not state["call_ms"]:
    fail("the called state: %r" % state)
ok("the call reached the stream in %.0f ms: %s" % (lag, state["line"]))

# The wall: the call on the big display, every window's state, the call to speak as a WAV.
s, h, body = get("/wall/state")
wall = json.loads(body)
if s != 200 or not wall["live"] or (wall["current"] or {}).get("label") != label:
    fail("/wall/state: %s" % body[:300])
if wall["current"]["sentence"] != "请 %s 号到 2 号窗口办理" % label:
    fail("the wall's sentence: %r" % wall["current"]["sentence"])
texts = [w["text"] for w in wall["windows"]]
if "2号窗口 %s 呼叫中" % label not in texts or "1号窗口 %s 呼叫中" % first not in texts:
    fail("the wall's windows: %r" % texts)
if not wall["notice"] or not any(q["prefix"] == "A" for q in wall["queues"]):
    fail("the wall's notice or waiting counts: %r" % body[:300])
said = wall["speak"][-1]
if said["label"] != label or said["counter"] != 2:
    fail("the wall's last call to speak: %r" % said)
s, h, wav = None, None, None
c = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=10)
c.request("GET", said["audio"])
r = c.getresponse()
wav = r.read()
if r.status != 200 or r.getheader("Content-Type") != "audio/wav" or wav[:4] != b"RIFF":
    fail("%s: HTTP %d %r" % (said["audio"], r.status, wav[:16]))
import io, wave
with wave.open(io.BytesIO(wav)) as w:
    seconds = w.getnframes() / w.getframerate()
if not 2 <= seconds <= 15:
    fail("the call's WAV lasts %.2f s" % seconds)
s2, _, body2 = get("/wall/state")
if json.loads(body2) != wall:
    fail("two walls opened at different times differ")
ok("wall: %s on the big display, windows %s, the call's WAV %.1f s" % (label, texts[:2], seconds))

# The rating tablet of window 2: paired by the clerk's code, it rates window 2's ticket once.
def post(path, body):
    c = http.client.HTTPConnection(HOST.hostname, HOST.port, timeout=10)
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse()
    out = json.loads(r.read().decode("utf-8"))
    c.close()
    return r.status, out


code = ctl("pair", "2").split()[0]
if not re.fullmatch(r"[0-9]{6}", code):
    fail("hallqctl pair 2: %r" % code)
wrong = "%06d" % ((int(code) + 1) % 1000000)
s, out = post("/tablet/pair", {"code": wrong})
if s != 403 or "配对码不对" not in out["error"]["message"]:
    fail("a wrong pairing code: %d %r" % (s, out))
s, out = post("/tablet/pair", {"code": code})
if s != 200 or out["counter"] != 2 or not re.fullmatch(r"[0-9a-f]{32}", out["tablet"]):
    fail("pairing: %d %r" % (s, out))
tablet = out["tablet"]
s, _ = post("/tablet/pair", {"code": code})
if s != 403:
    fail("a spent pairing code was accepted again: %d" % s)
# The hall's snapshot says window 2 has its tablet, and no other window one.
paired = [l.split()[0] for l in ctl("snapshot").splitlines() if l.endswith("rating tablet paired")]
if paired != ["2"]:
    fail("windows with a paired tablet in the snapshot: %r" % paired)
s, _, body = get("/tablet/state?counter=2")
tab = json.loads(body)
if tab["clerk"] != "经办人：li" or tab["doing"] != "请 %s 号到本窗口办理" % label:
    fail("the tablet's state: %r" % tab)
s, _, page = get("/tablet")
if s != 200 or "配对码" not in page:
    fail("/tablet: HTTP %d" % s)
ok("tablet paired with window 2 by its one-time code (a wrong or spent code: 403); shows %s, %s"
   % (tab["clerk"], tab["doing"]))

# Polling gives the same state.
s, h, body = get("/t/%s/state" % token)
polled = json.loads(body)
if s != 200 or polled["state"] != "called" or polled["line"] != "请到 2 号窗口":
    fail("/state: %r" % body)
ok("/state (the polling fallback) says the same")

ctl("start", "2")
ctl("finish", "2")
state = stream.wait_for("the finish", lambda s: s["state"] == "finished", 3)
if state["line"] != "已办结":
    fail("finished reads %r" % state["line"])
stream.close()
s, _, page = get("/t/" + token)
if s != 200 or "已办结" not in page:
    fail("the page of a finished ticket")
ok("finished: 已办结, also on a fresh load")


# After the finish the tablet asks for a rating of that ticket; it is recorded once.
def tablet_state():
    return json.loads(get("/tablet/state?counter=2")[2])


deadline = time.monotonic() + 3
while tablet_state()["rate_for"] != label:
    if time.monotonic() > deadline:
        fail("the tablet never asked to rate %s: %r" % (label, tablet_state()))
    time.sleep(0.05)
tab = tablet_state()
if tab["ask"] != "请您对 %s 号的本次服务进行评价" % label or [r["text"] for r in tab["ratings"]] != [
        "非常满意", "满意", "基本满意", "不满意", "非常不满意"]:
    fail("the tablet's question: %r" % tab)
ctl("finish", "1")
s, out = post("/tablet/rate", {"tablet": tablet, "number": first, "rating": 1})
if s != 403:
    fail("the tablet rated window 1's ticket: %d %r" % (s, out))
s, out = post("/tablet/rate", {"tablet": tablet, "number": label, "rating": 5})
if s != 200:
    fail("rating from the tablet: %d %r" % (s, out))
s, out = post("/tablet/rate", {"tablet": tablet, "number": label, "rating": 4})
if s != 409:
    fail("a second rating: %d %r" % (s, out))
deadline = time.monotonic() + 3
while tablet_state()["rated"] != 5:
    if time.monotonic() > deadline:
        fail("the tablet did not see its rating: %r" % tablet_state())
    time.sleep(0.05)
ok("tablet: 5 for %s (非常满意), once; another window's ticket refused" % label)

# Unknown links: a plain page naming nothing; guessing runs into the address's budget.
s, _, _ = get("/t/" + first_token)  # followed before the guesses (for the offline check)
if s != 200:
    fail("the first ticket's page: HTTP %d" % s)
s, h, page = get("/t/" + "A" * 22)
if s != 404 or "号票无效或已过期" not in page:
    fail("an unknown token: HTTP %d" % s)
if "A00" in page:
    fail("the unknown-ticket page names a ticket")
statuses = [get("/t/%s" % ("B%021d" % i))[0] for i in range(15)]
if 429 not in statuses or statuses[0] != 404:
    fail("guessing is not limited: %r" % statuses)
s, h, page = get("/t/" + "C" * 22)
if s != 429 or not h.get("retry-after") or "请求过于频繁" not in page:
    fail("a limited guess: HTTP %d %r" % (s, h))
# ... while a link already followed still opens from the same address.
s, _, _ = get("/t/" + token)
if s != 200:
    fail("a followed link after the guesses: HTTP %d" % s)
ok("unknown links: 404 plain page; guesses limited (%d of 15 answered 404, then 429 with "
   "Retry-After)" % statuses.count(404))

# The daemon gone: the page says it is offline.
os.kill(int(os.environ["DAEMON_PID"]), signal.SIGKILL)
deadline = time.monotonic() + 10
while True:
    s, _, body = get("/t/%s/state" % first_token)
    st = json.loads(body)
    if st["offline"] and "离线" in st["offline_text"]:
        break
    if time.monotonic() > deadline:
        fail("the page did not go offline: %r" % body)
    time.sleep(0.1)
wall = json.loads(get("/wall/state")[2])
if wall["live"] or "离线" not in wall["offline_text"]:
    fail("the wall did not go offline: %r" % wall["offline_text"])
ok("hallqd gone: %s; the wall: %s" % (st["offline_text"], wall["offline_text"]))
