"""Sends malformed requests straight to hallqd's ROUTER and checks each error reply."""
import json
import random
import sys

import zmq

ENDPOINT = sys.argv[1]
ctx = zmq.Context()


def dealer():
    s = ctx.socket(zmq.DEALER)
    s.setsockopt(zmq.LINGER, 0)
    s.setsockopt(zmq.RCVTIMEO, 3000)
    s.connect(ENDPOINT)
    return s


sock = dealer()


def ask(frames):
    sock.send_multipart(frames)
    parts = sock.recv_multipart()
    return json.loads(parts[-1]), parts


def expect(frames, code, what):
    reply, parts = ask(frames)
    assert reply["ok"] is False, (what, reply)
    assert reply["error"]["code"] == code, (what, reply)
    assert reply["error"]["message"], (what, reply)
    print("ok -", what, "->", code, ":", reply["error"]["message"])
    return reply, parts


expect([b"", b"not json"], "malformed", "not JSON")
expect([b"", b"[1,2]"], "malformed", "JSON array")
expect([b"", b'{"type":"call","counter":"3"}'], "bad_field", "counter as string")
expect([b"", b'{"type":"call","counter":3.5}'], "bad_field", "counter as real")
expect([b"", b'{"type":"call"}'], "bad_field", "missing counter")
expect([b"", b'{"type":"call","counter":1,"colour":"red"}'], "bad_field", "unknown field")
expect([b"", b'{"type":"teleport"}'], "unknown_type", "unknown type")
expect([b"", b'{"type":"ping","v":9}'], "unsupported_version", "future version")
reply, _ = expect([b"", b'{"type":"call","counter":42,"id":"q1"}'], "unknown_counter",
                  "unknown counter")
assert reply["id"] == "q1" and reply["type"] == "call", reply
expect([b"", b'{"type":"issue","queue":"Q"}'], "unknown_queue", "unknown queue")
expect([b"", b'{"type":"reactivate","number":"A999"}'], "unknown_ticket", "unknown ticket")
expect([b"", b"{" + b" " * 10000 + b"}"], "too_large", "10 kB frame")
reply, _ = expect([b"", b"a", b"b"], "malformed", "extra frames")
assert "type" not in reply, ("a wrongly framed request claims no type", reply)
reply, parts = expect([b"\x00\xff garbage"], "malformed", "no delimiter, binary garbage")
assert len(parts) == 1, "reply framing follows the request's"
assert "type" not in reply, reply

# The version is read before anything else.
expect([b"", b'{"type":"teleport","v":9}'], "unsupported_version", "future version, unknown type")

# An ID number of the wrong length is a wrong ID number.
expect([b"", b'{"type":"issue","queue":"A","id_number":"11010519491231002"}'], "bad_id_number",
       "17-character ID number")
expect([b"", b'{"type":"issue","queue":"A","id_number":"1101051949123100200000"}'],
       "bad_id_number", "22-character ID number")

# An id comes back as it went: an integer as an integer.
reply, _ = ask([b"", b'{"type":"ping","id":42}'])
assert reply["ok"] and reply["id"] == 42 and isinstance(reply["id"], int), reply
reply, _ = expect([b"", b'{"type":"call","counter":42,"id":-7}'], "unknown_counter",
                  "integer id on a refusal")
assert reply["id"] == -7, reply
reply, _ = expect([b"", b'{"type":"call","counter":"x","id":8}'], "bad_field", "integer id, bad field")
assert reply["id"] == 8 and reply["type"] == "call", reply
reply, _ = ask([b"", b'{"type":"ping","id":"42"}'])
assert reply["id"] == "42", reply

# No reply repeats what a malformed request carried (here an ID number); the script around
# this one checks the log the same way.
ID = b"11010519491231002X"
for frame in [b'{"type":"issue","queue":"A","id_number":' + ID + b"}",
              b'{"type":"issue","queue":"A","' + ID + b'":true}',
              b'{"type":"' + ID + b'"}',
              b'{"type":"issue","queue":"' + ID + b'"}',
              b'{"type":"issue","queue":"A","id_number":"' + ID[:-1] + b'"}',
              b'{"type":"issue","queue":"A","token":"' + ID + b'","token":"' + ID + b'"}',
              ID]:
    reply, _ = ask([b"", frame])
    assert reply["ok"] is False, (frame, reply)
    assert b"110105" not in json.dumps(reply, ensure_ascii=False).encode(), (frame, reply)
print("ok - no refusal quotes the ID number it was sent")

# Free text is text: an escape sequence (here ESC [2J, clear screen) or a C1 control in a
# clerk name or a pause reason is refused as bad_field, and none of it reaches the hall.
for clerk in [b"\\u001b[2Jwang", b"wang\\u009b2J", b"\xc2\x9b2J", b"wa\\u007fng"]:
    reply, _ = expect([b"", b'{"type":"login","counter":2,"clerk":"' + clerk + b'"}'],
                      "bad_field", "clerk name " + repr(clerk))
    assert "clerk" in reply["error"]["message"] and "2J" not in reply["error"]["message"], reply
reply, _ = ask([b"", b'{"type":"login","counter":2,"clerk":"wang"}'])
assert reply["ok"] is True, reply
for reason in [b"\\u001b[2J", b"\\u001b]0;owned\\u0007", b"lunch\\r\\nbreak"]:
    reply, _ = expect([b"", b'{"type":"pause","counter":2,"reason":"' + reason + b'"}'],
                      "bad_field", "pause reason " + repr(reason))
    assert "reason" in reply["error"]["message"], reply
_, parts = ask([b"", b'{"type":"snapshot"}'])
snap = json.loads(parts[-1])
assert snap["ok"] is True, snap
text = parts[-1].decode()
for needle in ["\\u001b", "\x1b", "\\u009b", "\x9b", "[2J", "owned", "\\u007f", "\x7f"]:
    assert needle not in text, ("snapshot carries", needle, text[:300])
print("ok - nothing of the refused text reaches the snapshot")

rng = random.Random(7)
for i in range(300):
    blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
    reply, _ = ask([b"", blob])
    assert reply["ok"] is False, blob
print("ok - 300 random binary frames refused")

# A frame over 16 KiB makes ZeroMQ drop the connection; the daemon serves the next caller.
big = dealer()
big.send_multipart([b"", b"x" * (2 * 1024 * 1024)])
try:
    big.recv_multipart()
    raise AssertionError("a 2 MiB frame got a reply")
except zmq.Again:
    print("ok - 2 MiB frame: connection dropped, no reply")
sock = dealer()
reply, _ = ask([b"", b'{"type":"ping"}'])
assert reply["ok"] is True, reply
print("ok - daemon answers after all of it")
