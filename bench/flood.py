"""A kiosk key flooding the hall beside calm kiosks that each issue once a second: the calm
kiosks' issue latency alone and beside the flood, in alternating rounds so that whatever else
the machine does weighs on both alike. Run by bench/flood.sh (the benchmark) and by
tests/load/flood.sh (the behaviour: no calm kiosk refused, the flood held to its budget).

  flood.py REQ SERVER_KEY FLOOD_KEY CALM_KEYS SECONDS DAEMON_PID

CALM_KEYS is a comma-separated list; SECONDS is the time alone and again beside the flood.
Prints one line of figures on stderr and a JSON object on stdout.
"""
import json
import multiprocessing
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "e2e"))
from abuse import ask, dealer, percentile  # noqa: E402  (the test's CURVE client)

import zmq  # noqa: E402

ROUND_S = 3
# The flood's rate: by default that of the flood that once used up a day's numbers in 7.5 s.
FLOOD_PER_S = int(os.environ.get("FLOOD_PER_S", 10000))


def _flood(req, server_key, key, go, stop, counts):
    """A kiosk key sending FLOOD_PER_S issues a second whenever `go` is set, never waiting for
    a reply (it reads those that come). Paced, and at the lowest CPU priority: the flooding
    device of a hall is a computer of its own, and a flooder spinning flat out on the two
    cores it shares with the daemon and the calm kiosks would measure this machine's
    scheduler, not the daemon. What the daemon spends on each flooded request still weighs
    fully on the calm kiosks. Between its rounds it is disconnected: what it sent and the
    daemon had not read yet goes with the connection, instead of into the next calm round."""
    os.nice(19)
    context = zmq.Context()  # a process of its own: its own context
    sock = None
    sent = ok = refused = 0
    due = time.monotonic()
    while not stop.is_set():
        if not go.is_set():
            if sock is not None:
                sock.close(linger=0)
                sock = None
            go.wait(0.1)
            due = time.monotonic()
            continue
        if sock is None:
            sock = dealer(req, server_key, key, context)
        now = time.monotonic()
        while due <= now:
            try:
                sock.send_multipart([b"", b'{"type":"issue","queue":"A"}'], zmq.NOBLOCK)
                sent += 1
            except zmq.Again:  # its queue to the daemon is full: the daemon sets the pace
                pass
            due += 1.0 / FLOOD_PER_S
        # A millisecond's tick at least: ten requests a tick at 10,000 a second. Polling until
        # the next request is due (a tenth of a millisecond) spun a core of its own.
        if sock.poll(max(1, int((due - time.monotonic()) * 1000))):
            while sock.poll(0):
                issued = b'"ok":true' in sock.recv_multipart()[-1]
                ok += issued
                refused += not issued
    counts.put((sent, ok, refused))


def _calm(socks, seconds, period, lat, turn):
    """Kiosks taking turns to issue, one every `period` seconds in all, for `seconds`: their
    latencies (ms) go to lat. turn[0] is whose turn it is, kept from round to round so that
    each kiosk issues exactly as often as the others. A refusal fails the run."""
    start = time.monotonic()
    due = start
    while time.monotonic() - start < seconds:
        # Paced by the clock, as people at kiosks are: the wait is the schedule, not a guess.
        pause = due - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        t = time.monotonic()
        r = ask(socks[turn[0] % len(socks)], {"type": "issue", "queue": "B"})
        lat.append((time.monotonic() - t) * 1000)
        assert r["ok"], ("a calm kiosk was refused", r)
        due += period
        turn[0] += 1


def _cpu_s(pid):
    """The daemon's CPU time so far, all threads, in seconds (to the nanosecond: schedstat)."""
    total = 0
    for task in os.listdir("/proc/%s/task" % pid):
        try:
            total += int(open("/proc/%s/task/%s/schedstat" % (pid, task)).read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended meanwhile
    return total / 1e9


def _quiet(pid, limit_s=30.0):
    """Waits until the daemon has nothing left of a flood round to read: less than 1 % of a
    core over 100 ms (it spends about 18 us on each flooded request it reads, so a backlog
    read at even 1,000 a second shows). The seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < limit_s:
        c = _cpu_s(pid)
        time.sleep(0.1)
        if _cpu_s(pid) - c < 0.001:
            break
    return time.monotonic() - start


def main(req, server_key, flood_key, calm_keys, seconds, pid):
    calm_keys = calm_keys.split(",")
    period = 1.0 / len(calm_keys)
    spawn = multiprocessing.get_context("spawn")  # not a fork of this process's ZeroMQ threads
    go, stop, counts = spawn.Event(), spawn.Event(), spawn.Queue()
    # A daemon process: should this one fail, it does not keep the run waiting for it.
    flooder = spawn.Process(target=_flood, args=(req, server_key, flood_key, go, stop, counts),
                            daemon=True)
    flooder.start()
    calm = [dealer(req, server_key, k) for k in calm_keys]
    alone, flooded = [], []
    cpu_alone = cpu_flood = 0.0
    rounds = max(1, int(float(seconds) / ROUND_S))
    turn = [0]
    drain_s = []
    try:
        for _ in range(rounds):
            go.clear()
            drain_s.append(_quiet(pid))
            c = _cpu_s(pid)
            _calm(calm, ROUND_S, period, alone, turn)
            cpu_alone += _cpu_s(pid) - c
            go.set()
            c = _cpu_s(pid)
            _calm(calm, ROUND_S, period, flooded, turn)
            cpu_flood += _cpu_s(pid) - c
    finally:
        go.clear()
        stop.set()
    sent, ok, refused = counts.get(timeout=10)
    flooder.join()
    out = {
        "calm_kiosks": len(calm_keys), "seconds_each": rounds * ROUND_S,
        "alone_n": len(alone), "alone_p50_ms": percentile(alone, 0.5),
        "alone_p99_ms": percentile(alone, 0.99),
        "flood_n": len(flooded), "flood_p50_ms": percentile(flooded, 0.5),
        "flood_p99_ms": percentile(flooded, 0.99),
        "flood_sent": sent, "flood_issued": ok, "flood_refusals": refused,
        "daemon_cpu_alone_pct": 100 * cpu_alone / (rounds * ROUND_S),
        "daemon_cpu_flood_pct": 100 * cpu_flood / (rounds * ROUND_S),
        "drain_max_s": max(drain_s),
    }
    out["p99_ratio"] = out["flood_p99_ms"] / out["alone_p99_ms"]
    print("flood: %d calm kiosks issuing once a second, %d issues alone: p50 %.2f ms, p99 %.2f "
          "ms; %d beside the flood: p50 %.2f ms, p99 %.2f ms (%.2fx); the flood sent %d in %d s "
          "and got %d tickets and %d refusals; the daemon's CPU %.0f%% alone, %.0f%% beside it; "
          "the daemon was quiet within %.1f s of each flood round"
          % (len(calm_keys), len(alone), out["alone_p50_ms"], out["alone_p99_ms"],
                        len(flooded), out["flood_p50_ms"], out["flood_p99_ms"], out["p99_ratio"],
                        sent, rounds * ROUND_S, ok, refused, out["daemon_cpu_alone_pct"],
                        out["daemon_cpu_flood_pct"], out["drain_max_s"]),
          file=sys.stderr)
    assert sent > 1000 * rounds * ROUND_S, "the flood did not flood: %d requests" % sent
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main(*sys.argv[1:])
