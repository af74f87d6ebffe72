"""Attacks by a device that holds a valid key, or by any local program, against a running
hallqd; each prints the figures it measured. Driven by abuse.sh, which starts the daemon.

  abuse.py flood REQ SERVER_KEY FLOOD_KEY CALM_KEY
  abuse.py frames REQ PID [SERVER_KEY KEY]
  abuse.py revoke REQ EVENTS SERVER_KEY KEY WALL_KEY KEY_FILE HEARTBEAT_MS
  abuse.py stuck REQ EVENTS PID
"""
import json
import os
import re
import sys
import time

import zmq

ctx = zmq.Context()
# Set for a sanitizer build of the daemon (abuse.sh): memory and latency bounds are printed
# but not asserted, since its allocator keeps freed memory and it runs several times slower.
BOUNDED = not os.environ.get("HALLQ_UNBOUNDED")


def read_cert(path):
    """The keys of a certificate that hallqctl keys wrote (czmq's ZPL format)."""
    text = open(path).read()
    public = re.search(r'public-key = "([^"]+)"', text).group(1)
    secret = re.search(r'secret-key = "([^"]+)"', text)
    return public.encode(), secret.group(1).encode() if secret else None


def secure(sock, server_key, key):
    if not key:
        return sock
    server_public, _ = read_cert(server_key)
    public, secret = read_cert(key)
    if secret is None:
        _, secret = read_cert(key + "_secret")
    sock.curve_serverkey = server_public
    sock.curve_publickey = public
    sock.curve_secretkey = secret
    return sock


def dealer(endpoint, server_key=None, key=None, context=None):
    sock = secure((context or ctx).socket(zmq.DEALER), server_key, key)
    sock.setsockopt(zmq.LINGER, 0)
    sock.connect(endpoint)
    return sock


def ask(sock, body, timeout_ms=3000):
    sock.send_multipart([b"", json.dumps(body).encode()])
    if not sock.poll(timeout_ms):
        raise AssertionError("no reply to %s" % body)
    return json.loads(sock.recv_multipart()[-1])


def rss_kib(pid, field="VmRSS"):
    """The process's resident memory now (VmRSS), or the most it ever had (VmHWM)."""
    for line in open("/proc/%s/status" % pid):
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError("no %s for %s" % (field, pid))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def flood(req, server_key, flood_key, calm_key):
    """One kiosk key sends issues as fast as it can for 3 s, never waiting for a reply, while
    another kiosk issues once every 0.4 s. The flood gets its burst, then rate_limited for 100
    requests at once and 100 a second, and nothing for the rest; the other kiosk is never
    refused."""
    bad = dealer(req, server_key, flood_key)
    calm = dealer(req, server_key, calm_key)
    assert ask(calm, {"type": "ping"})["ok"]
    sent = ok = limited = 0
    retry = []
    calm_ms = []

    def drain():
        nonlocal ok, limited
        while bad.poll(0):
            r = json.loads(bad.recv_multipart()[-1])
            if r["ok"]:
                ok += 1
            else:
                assert r["error"]["code"] == "rate_limited", r
                assert "try again in" in r["error"]["message"], r
                limited += 1
                retry.append(r["error"]["retry_after_ms"])

    start = time.monotonic()
    next_calm = start
    while time.monotonic() - start < 3.0:
        now = time.monotonic()
        if now >= next_calm:
            t = time.monotonic()
            r = ask(calm, {"type": "issue", "queue": "B", "id": "calm"})
            calm_ms.append((time.monotonic() - t) * 1000)
            assert r["ok"], ("the calm kiosk was refused during the flood", r)
            next_calm += 0.4
        for _ in range(100):
            try:
                bad.send_multipart([b"", json.dumps({"type": "issue", "queue": "A",
                                                     "id": sent}).encode()], zmq.NOBLOCK)
                sent += 1
            except zmq.Again:  # its queue to the daemon is full: the flood runs at the
                break          # speed the daemon reads it
        drain()
    elapsed = time.monotonic() - start
    # The last replies, until half a second passes without one (the flood's own ping could not
    # tell: it would be over budget too, and perhaps unanswered), for 2 s at most: hallqd reads
    # what is left of the flood for seconds more, and the rest goes when the flooder hangs up.
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and bad.poll(500):
        drain()
    answered_by = time.monotonic() - start  # the refusals' budget refilled until then
    unanswered = sent - ok - limited
    # The default kiosk budget: 10 at once, then 20 a minute, refilling until the last reply
    # (hallqd reads a flood a few thousand requests a second: it reads on after the 3 s).
    allowed = 10 + int(20 * answered_by / 60) + 1
    print("flood: %d requests in %.1f s from one kiosk key: %d issued, %d rate_limited "
          "(retry_after_ms %d..%d), %d unanswered, the last reply after %.1f s: budget %d; the "
          "other kiosk issued %d, none refused, p99 %.2f ms"
          % (sent, elapsed, ok, limited, min(retry), max(retry), unanswered, answered_by,
             allowed, len(calm_ms), percentile(calm_ms, 0.99)))
    assert ok <= allowed, "the flood issued %d tickets, more than its budget of %d" % (ok, allowed)
    assert ok >= 10, "the flood's burst was not granted: %d" % ok
    # Refusals sent: 100 at once, then 100 a second (the daemon's S_REFUSALS_SENT).
    assert 100 <= limited <= 100 + 100 * answered_by + 1, (limited, answered_by)
    assert unanswered > 10 * limited, "the flood's excess was answered: %d of %d" % (limited, sent)
    assert all(0 < r <= 3000 for r in retry), retry[:5]
    assert len(calm_ms) >= 7


def frames(req, pid, server_key=None, key=None):
    """200 frames of 1 MiB as one message, and then more than the protocol's frames."""
    # The peak: memory taken for a message and given back after it still counts.
    before = rss_kib(pid, "VmHWM")
    sock = dealer(req, server_key, key)
    sock.setsockopt(zmq.SNDTIMEO, 5000)
    blob = b"x" * (1024 * 1024)
    for i in range(199):
        sock.send(blob, zmq.SNDMORE)
    sock.send(blob)
    # Nothing comes back: the first frame over the limit closed the connection.
    replied = sock.poll(3000)
    probe = dealer(req, server_key, key)
    assert ask(probe, {"type": "ping"})["ok"]
    after = rss_kib(pid, "VmHWM")
    print("frames: 200 x 1 MiB in one message: peak RSS %.1f MiB before, %.1f MiB after "
          "(+%.1f)%s"
          % (before / 1024, after / 1024, (after - before) / 1024,
             ", and a reply" if replied else ""))
    assert not replied, "the daemon read a 200 MiB message"
    assert after - before < 5 * 1024 or not BOUNDED, "RSS grew by %d KiB" % (after - before)
    # Small frames, but more of them than a request has: refused with a reply.
    probe.send_multipart([b"", b'{"type":"ping"}', b"more", b"more"])
    assert probe.poll(3000)
    r = json.loads(probe.recv_multipart()[-1])
    assert r["ok"] is False and r["error"]["code"] == "malformed", r
    # One frame just over the request limit: a too_large reply, the connection stays.
    r = ask(probe, {"type": "ping", "id": "x" * 9000})
    assert r["error"]["code"] == "too_large", r
    assert ask(probe, {"type": "ping"})["ok"]
    print("frames: 4 frames refused as malformed, 9 KB refused as too_large, daemon serving")


def heartbeats(sub, until):
    """Heartbeat times (monotonic) seen on sub until `until`."""
    seen = []
    while time.monotonic() < until:
        if sub.poll(20):
            topic = sub.recv_multipart()[0]
            if topic == b"heartbeat":
                seen.append(time.monotonic())
    return seen


def subscriber(events, server_key=None, key=None):
    sub = secure(ctx.socket(zmq.SUB), server_key, key)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.setsockopt(zmq.LINGER, 0)
    sub.connect(events)
    return sub


def revoke(req, events, server_key, key, wall_key, key_file, heartbeat_ms):
    """A connected kiosk loses its key while connected: its next request is refused, and its
    event stream stops; a display beside it keeps its stream."""
    beat = int(heartbeat_ms) / 1000.0
    sock = dealer(req, server_key, key)
    assert ask(sock, {"type": "ping"})["ok"]
    mine = subscriber(events, server_key, key)
    wall = subscriber(events, server_key, wall_key)
    got = heartbeats(mine, time.monotonic() + 3 * beat)
    assert got, "the kiosk's subscriber saw no heartbeat before the revocation"
    os.unlink(key_file)
    revoked = time.monotonic()
    r = ask(sock, {"type": "ping"})
    refused_ms = (time.monotonic() - revoked) * 1000
    assert r["ok"] is False and r["error"]["code"] == "forbidden", r
    assert "allow-list" in r["error"]["message"], r
    watch_until = time.monotonic() + 12 * beat
    # Both streams are read side by side: the wall must keep going, the kiosk must stop.
    mine_seen, wall_seen = [], []
    poller = zmq.Poller()
    poller.register(mine, zmq.POLLIN)
    poller.register(wall, zmq.POLLIN)
    while time.monotonic() < watch_until:
        ready = dict(poller.poll(50))
        for sub, seen in ((mine, mine_seen), (wall, wall_seen)):
            if sub in ready and sub.recv_multipart()[0] == b"heartbeat":
                seen.append(time.monotonic())
    last = max(mine_seen) - revoked if mine_seen else 0.0
    late_wall = [t for t in wall_seen if t > revoked + 4 * beat]
    print("revoke: next request refused %.1f ms after the key was removed; the kiosk's event "
          "stream ended %.2f s after (heartbeat %d ms), the display's went on (%d heartbeats "
          "after)" % (refused_ms, last, int(heartbeat_ms), len(late_wall)))
    assert last <= 3 * beat, "the revoked key still got heartbeats %.2f s later" % last
    assert len(late_wall) >= 4, "the display lost its stream: %d late heartbeats" % len(late_wall)


def stuck(req, events, pid):
    """50 subscribers that never read, while 15,000 tickets are issued."""
    subs = []
    for _ in range(int(os.environ.get("HALLQ_STUCK", "50"))):
        sub = ctx.socket(zmq.SUB)
        sub.setsockopt(zmq.RCVHWM, 1)
        sub.setsockopt(zmq.RCVBUF, 4096)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        sub.setsockopt(zmq.LINGER, 0)
        sub.connect(events)
        subs.append(sub)
    # Each takes one message (so it is surely connected and subscribed), then reads no more.
    for sub in subs:
        assert sub.poll(5000), "a subscriber got nothing"
        sub.recv_multipart()
    reader = subscriber(events)
    assert reader.poll(5000), "no heartbeat"
    sock = dealer(req)
    before = rss_kib(pid)
    sent = got = 0
    queues = "ABCDEFG"
    while got < 15000:
        while sent < 15000 and sent - got < 100:
            sock.send_multipart([b"", json.dumps({"type": "issue",
                                                 "queue": queues[sent % 7]}).encode()])
            sent += 1
        if not sock.poll(5000):
            raise AssertionError("no reply after %d issues" % got)
        r = json.loads(sock.recv_multipart()[-1])
        assert r["ok"], r
        got += 1
        while reader.poll(0):
            reader.recv_multipart()
    after = rss_kib(pid)
    print("stuck: 50 subscribers that never read, 15,000 issues: RSS %.1f MiB before, %.1f MiB "
          "after (+%.1f)" % (before / 1024, after / 1024, (after - before) / 1024))
    assert after - before <= 16 * 1024 or not BOUNDED, "RSS grew by %d KiB" % (after - before)


if __name__ == "__main__":
    what, args = sys.argv[1], sys.argv[2:]
    {"flood": flood, "frames": frames, "revoke": revoke, "stuck": stuck}[what](*args)
