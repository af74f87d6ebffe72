"""A hallq client written from lib/hallq/PROTOCOL.md: REQ for requests, SUB for events,
Clone-style start (subscribe, snapshot, drop events at or below its sequence)."""
import json
import sys
import time

import zmq

REQ_EP, EV_EP = sys.argv[1], sys.argv[2]
ctx = zmq.Context()
sub = ctx.socket(zmq.SUB)
sub.setsockopt(zmq.SUBSCRIBE, b"")
sub.connect(EV_EP)
req = ctx.socket(zmq.REQ)
req.setsockopt(zmq.RCVTIMEO, 3000)
req.setsockopt(zmq.LINGER, 0)
req.connect(REQ_EP)


def call(body):
    body = dict(body, v=1, id="py-%d" % time.monotonic_ns())
    req.send(json.dumps(body).encode())
    reply = json.loads(req.recv())
    assert reply["id"] == body["id"], reply
    assert reply["type"] == body["type"], reply
    return reply


# heartbeats tell us the subscription is live before we ask for the snapshot
deadline = time.time() + 5
while True:
    assert time.time() < deadline, "no heartbeat"
    if sub.poll(200):
        topic, payload = sub.recv_multipart()
        if topic == b"heartbeat":
            hb = json.loads(payload)
            assert "seq" in hb and "ts_ms" in hb
            break
snap = call({"type": "snapshot"})
assert snap["ok"], snap
start = snap["seq"]
print("snapshot at", start, "queues", [q["prefix"] for q in snap["queues"]])

r = call({"type": "issue", "queue": "A", "service": 3})
assert r["ok"] and r["ticket"]["label"] == "A001", r
assert r["ahead"] == 0 and r["service_name"] == "城乡居民参保登记", r
assert call({"type": "login", "counter": 1, "clerk": "py"})["ok"]
r = call({"type": "call", "counter": 1})
assert r["ticket"]["label"] == "A001" and r["reason"] == "oldest", r
# why it was called, as a code to translate (the English "reason" is for logs and people)
assert r["ticket"]["reason_code"] == "oldest", r
assert r["ticket"]["calls"] == 1 and r["ticket"]["clerk"] == "py", r
# an integer id comes back as an integer
req.send(json.dumps({"type": "ping", "id": 7}).encode())
pong = json.loads(req.recv())
assert pong["id"] == 7 and pong["ok"], pong
# the same token twice: one ticket (a kiosk retrying after a lost reply)
t1 = call({"type": "issue", "queue": "B", "token": "kiosk-9-1"})
t2 = call({"type": "issue", "queue": "B", "token": "kiosk-9-1"})
assert t1["ticket"]["id"] == t2["ticket"]["id"] and t2.get("repeat") is True, (t1, t2)
assert "token" not in t2["ticket"], "tokens are not published"
bad = call({"type": "call", "counter": 1})
assert not bad["ok"] and bad["error"]["code"] == "bad_state", bad
cat = call({"type": "catalog"})
svc = [s for s in cat["services"] if s["no"] == 3][0]
assert svc["materials"] == ["有效身份证件"], svc

seen = []
deadline = time.time() + 5
while len([e for e in seen if e[0] == "called"]) < 1 and time.time() < deadline:
    if sub.poll(200):
        topic, payload = sub.recv_multipart()
        ev = json.loads(payload)
        if topic == b"heartbeat" or ev["seq"] <= start:
            continue
        seen.append((topic.decode(), ev))
seqs = [e["seq"] for _, e in seen]
assert seqs == list(range(start + 1, start + 1 + len(seqs))), seqs
types = [t for t, _ in seen]
assert types == ["issued", "counter", "called"], types
called = seen[-1][1]
assert {d["queue"]: d["waiting"] for d in called["depths"]}["A"] == 0, called
assert called["ticket"]["label"] == "A001" and called["counter"]["id"] == 1, called
assert called["counter"]["state"] == "calling", called
assert called["ticket"]["reason_code"] == "oldest", called
# the ticket objects the snapshot lists carry the code too
snap = call({"type": "snapshot"})
a001 = [t for t in snap["tickets"] if t["label"] == "A001"][0]
assert a001["reason_code"] == "oldest" and a001["state"] == "called", a001
print("events", seqs, types)

# a call by number is the clerk's choice
assert call({"type": "finish", "counter": 1})["ok"]
r = call({"type": "call", "counter": 1, "number": "B001"})
assert r["ticket"]["reason_code"] == "chosen" and r["ticket"]["reason"] == "chosen by clerk", r
print("reason codes", a001["reason_code"], r["ticket"]["reason_code"])
