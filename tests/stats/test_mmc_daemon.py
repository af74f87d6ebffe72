#!/usr/bin/python3
"""stats_mmc_daemon: an M/M/2 queue run through the real daemon, on a compressed clock.

hallqd keeps the wall clock, so the hall is made fast instead: two windows, Poisson arrivals
at 6 a second and exponential window times of 0.25 s (load 1.5 Erlangs, occupancy 0.75),
for 35 seconds, driven over the wire protocol (pyzmq, a REQ socket) exactly as kiosks and
clerks would: `issue`, then `call` when a window is free, `finish` when its time is up.

The arrival and service times come from a fixed seed, so a discrete-event simulation of the
same sequence says what every wait must be; the waits the daemon recorded (read back with
`hallqctl stats export --records`) must match it within the clock's jitter. Against Erlang C:
the mean wait of 200 customers spreads widely from run to run (a standard deviation near
60 % of the mean), so the same simulation is run for 400 other seeds; their average must
agree with the formula, and the daemon's run must lie inside their central 99 % for both the
mean wait and the share of citizens who waited at all. (The tight comparisons with the
formula are stats_erlang's and stats_staffing_sim's.)

usage: test_mmc_daemon.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import json
import os
import random
import time

import zmq

from statslib import Daemon, check, ctl, eq, json_doc, main, run, workdir

WINDOWS = 2
RATE = 6.0          # arrivals a second
SERVICE = 0.25      # mean window time, seconds
SECONDS = 35.0


def erlang_mean_wait(c, a, service):
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return c * b / (c - a * (1 - b)) * service / (c - a)


def replay(arrivals, services):
    """First come first served with WINDOWS servers: the wait of each ticket."""
    free = [0.0] * WINDOWS
    waits = []
    for a, s in zip(arrivals, services):
        k = min(range(WINDOWS), key=lambda j: free[j])
        start = max(a, free[k])
        free[k] = start + s
        waits.append(start - a)
    return waits


def sequence(seed):
    rng = random.Random(seed)
    arrivals, t = [], rng.expovariate(RATE)
    while t < SECONDS:
        arrivals.append(t)
        t += rng.expovariate(RATE)
    return arrivals, [rng.expovariate(1 / SERVICE) for _ in arrivals]


def quantiles(values):
    v = sorted(values)
    return v[int(0.005 * (len(v) - 1))], v[int(0.995 * (len(v) - 1))]


def test(argv):
    hallqd, hallqctl = argv
    work = workdir()
    data = os.path.join(work, "data")
    daemon = Daemon(hallqd, data)
    for w in range(1, WINDOWS + 1):
        ctl(hallqctl, daemon, "login", str(w), "sim%d" % w)

    arrivals, services = sequence(6)

    ctx = zmq.Context()
    req = ctx.socket(zmq.REQ)
    req.setsockopt(zmq.RCVTIMEO, 3000)
    req.setsockopt(zmq.LINGER, 0)
    req.connect(daemon.request)

    def ask(body):
        req.send(json.dumps(dict(body, v=1)).encode())
        reply = json.loads(req.recv())
        check(reply.get("ok"), "%s refused: %s" % (body, reply))
        return reply

    index = {}                  # ticket label -> arrival index
    busy = [None] * WINDOWS     # (finish time, label) per window, None when idle
    waiting = 0
    nxt = 0
    t0 = time.monotonic() + 0.2

    def call(k):
        nonlocal waiting
        r = ask({"type": "call", "counter": k + 1})
        label = r["ticket"]["label"]
        busy[k] = (time.monotonic() + services[index[label]], label)
        waiting -= 1

    while nxt < len(arrivals) or any(busy):
        finish = min((b[0], k) for k, b in enumerate(busy) if b) if any(busy) else (None, None)
        arrive = t0 + arrivals[nxt] if nxt < len(arrivals) else None
        if finish[0] is not None and (arrive is None or finish[0] <= arrive):
            delay = finish[0] - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            k = finish[1]
            ask({"type": "finish", "counter": k + 1})
            busy[k] = None
            if waiting:
                call(k)
        else:
            delay = arrive - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            r = ask({"type": "issue", "queue": "A", "service": 1})
            index[r["ticket"]["label"]] = nxt
            nxt += 1
            waiting += 1
            idle = [k for k in range(WINDOWS) if busy[k] is None]
            if idle:
                call(idle[0])
    elapsed = time.monotonic() - t0
    req.close()
    ctx.term()

    _, out, _ = run(hallqctl, "export", "--records", "--by", "counter", "--json", data=data)
    doc = json_doc(out)
    recs = {r["label"]: r for r in doc["records"]}
    eq(len(recs), len(arrivals), "tickets recorded")
    eq(doc["total"]["served"], len(arrivals), "all finished")
    eq(sorted(g["key"] for g in doc["groups"]), [str(w) for w in range(1, WINDOWS + 1)],
       "both windows worked")
    expected = replay(arrivals, services)
    got = [0.0] * len(arrivals)
    for label, r in recs.items():
        got[index[label]] = (r["called_ms"] - r["issued_ms"]) / 1000
    diffs = [abs(g - e) for g, e in zip(got, expected)]
    mean_got, mean_expected = sum(got) / len(got), sum(expected) / len(expected)
    formula = erlang_mean_wait(WINDOWS, RATE * SERVICE, SERVICE)
    print("%d tickets in %.1f s; mean wait: daemon %.3f s, replay %.3f s, Erlang C %.3f s; "
          "per-ticket difference: mean %.1f ms, largest %.1f ms"
          % (len(got), elapsed, mean_got, mean_expected, formula,
             1000 * sum(diffs) / len(diffs), 1000 * max(diffs)))
    # Each request takes a millisecond or so and sleeps overshoot a little; the differences
    # add up along a busy period, so tens of milliseconds stay well inside the bounds.
    check(sum(diffs) / len(diffs) < 0.03, "the daemon's waits follow the simulated sequence")
    check(abs(mean_got - mean_expected) < 0.03 + 0.1 * mean_expected,
          "mean wait %.3f vs replay %.3f" % (mean_got, mean_expected))

    # The formula, through the spread of runs this short.
    means, shares = [], []
    for seed in range(1000, 1400):
        w = replay(*sequence(seed))
        means.append(sum(w) / len(w))
        shares.append(sum(1 for x in w if x > 0) / len(w))
    a = RATE * SERVICE
    p_wait = 2 * (a / 2) ** 2 / (1 + a / 2)  # M/M/2: 2 rho^2 / (1 + rho)
    avg = sum(means) / len(means)
    # A hall opening empty waits a little less at first; 400 runs of 35 s put the average
    # within a few per cent of the steady state.
    check(abs(avg - formula) / formula < 0.1, "simulated runs average %.3f s vs Erlang C %.3f s"
          % (avg, formula))
    check(abs(sum(shares) / len(shares) - p_wait) < 0.03, "share waiting vs Erlang C %.3f" % p_wait)
    lo, hi = quantiles(means)
    check(lo <= mean_got <= hi, "daemon mean wait %.3f s outside the runs' 99 %% range %.3f-%.3f"
          % (mean_got, lo, hi))
    # Called within 20 ms of issue counts as not waiting: the round trip of the call.
    share = sum(1 for x in got if x > 0.02) / len(got)
    slo, shi = quantiles(shares)
    check(slo <= share <= shi, "daemon share waiting %.3f outside %.3f-%.3f" % (share, slo, shi))
    print("Erlang C: mean wait %.3f s, P(wait) %.3f; 400 simulated runs: %.3f s (99 %%: %.3f-%.3f),"
          " %.3f (99 %%: %.3f-%.3f); daemon: %.3f s, %.3f; replay of its sequence: %.3f"
          % (formula, p_wait, avg, lo, hi, sum(shares) / len(shares), slo, shi, mean_got, share,
             sum(1 for x in expected if x > 0) / len(expected)))
    # Start was never pressed, so handling runs from the call: the simulated window time.
    hand = [(r["finished_ms"] - r["called_ms"]) / 1000 for r in recs.values()]
    check(abs(sum(hand) / len(hand) - sum(services) / len(services)) < 0.01,
          "handling = the simulated window time")
    check(all(r["started_ms"] == r["called_ms"] for r in recs.values()),
          "start never pressed: the daemon records the call as the start")


main(test)
