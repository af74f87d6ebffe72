#!/usr/bin/python3
"""stats_staffing_sim: Erlang C staffing checked against a simulated M/M/c hall.

A discrete-event simulation (written here, independent of the C code) runs half a year of a
hall with c windows, Poisson arrivals at a constant rate from 9:00 to 17:00 and exponential
window times, first come first served. Its tickets go into a database hallqd created, and
`hallqctl stats staffing` must (1) recover the arrival rate, the window time and the number
of windows from the history alone, (2) predict from them, with Erlang C, the mean wait the
simulation actually produced, and (3) recommend the fewest windows whose predicted wait meets
the target, as an independent implementation of the formula computes it.

usage: test_staffing_sim.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import datetime as dt
import math
import os
import random
import sqlite3
import zoneinfo

from statslib import check, eq, genhistory, json_doc, main, run, workdir

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
WINDOWS = 5
RATE = 35.0          # arrivals per hour
SERVICE_MIN = 6.0    # mean window time per ticket: load 3.5 Erlangs, occupancy 0.7
WEEKS = 26


def erlang_c(c, a):
    """P(wait) by the textbook sum, a second implementation to check the C one against."""
    if a >= c:
        return 1.0
    top = a ** c / math.factorial(c) * c / (c - a)
    return top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)


def mean_wait(c, a, service):
    return math.inf if a >= c else erlang_c(c, a) * service / (c - a)


def simulate(rng):
    """Tickets (tuples for genhistory.insert_tickets) and the waits per hour of the week."""
    rows, tid = [], 1
    day = dt.date(2024, 4, 1)  # a Monday
    for _ in range(WEEKS * 7):
        if day.weekday() < 5:
            nine = dt.datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
            open_ms = int(nine.timestamp() * 1000)
            close_ms = open_ms + 8 * 3600_000
            free_at = [open_ms] * WINDOWS
            t, number = open_ms, 0
            while True:
                t += rng.expovariate(RATE / 3600_000)
                if t >= close_ms:
                    break
                issued = int(t)
                k = min(range(WINDOWS), key=lambda j: free_at[j])
                called = max(issued, free_at[k])
                finished = called + max(1000, int(rng.expovariate(1 / (SERVICE_MIN * 60_000))))
                free_at[k] = finished
                number += 1
                rows.append((tid, day.isoformat(), "A", number, "A%03d" % number, "A", 3, 0, None,
                             "finished", issued, called, called, called, finished, None, 0, 1,
                             k + 1, "w%d" % (k + 1), "oldest", None, 0))
                tid += 1
        day += dt.timedelta(days=1)
    return rows


def test(argv):
    hallqd, hallqctl = argv
    work = workdir()
    data = os.path.join(work, "data")
    path = genhistory.create_db(data, hallqd)
    rows = simulate(random.Random(20240401))
    conn = sqlite3.connect(path)
    genhistory.insert_tickets(conn, rows)
    conn.commit()
    conn.close()

    _, out, _ = run(hallqctl, "staffing", "--format", "json", data=data)
    doc = json_doc(out)
    slots = doc["slots"]
    eq(sorted({(s["weekday"], s["hour"]) for s in slots}),
       sorted((d, h) for d in ("Mon", "Tue", "Wed", "Thu", "Fri") for h in range(9, 17)),
       "hours of the week with arrivals")
    arrivals = sum(s["arrivals"] for s in slots)
    eq(arrivals, len(rows), "every ticket counted once")

    # (1) The inputs, recovered from the history. 130 days x 8 hours x 35: about 36,000
    # tickets, so the overall rate and window time are within a few per cent.
    hours = sum(s["open_hours"] for s in slots)
    rate = arrivals / hours
    service = sum(s["service_min"] * s["arrivals"] for s in slots) / arrivals
    print("recovered: %.2f arrivals/h (simulated %.1f), %.3f min a ticket (%.1f), %.2f open hours"
          % (rate, RATE, service, SERVICE_MIN, hours))
    check(abs(rate - RATE) / RATE < 0.04, "arrival rate %.2f vs %.1f" % (rate, RATE))
    check(abs(service - SERVICE_MIN) / SERVICE_MIN < 0.04, "window time %.3f" % service)
    check(abs(hours - 130 * 8) / (130 * 8) < 0.005, "open hours %.2f of 1040" % hours)
    middle = [s for s in slots if 10 <= s["hour"] <= 15]
    eq({s["windows_used"] for s in middle}, {WINDOWS}, "windows seen in the middle of the day")

    # (2) The model against the simulation: the mean wait Erlang C predicts for the windows
    # seen, next to the wait the simulated citizens had. The hall opens empty at 9:00, so the
    # first hour is left out (its queue is still building up).
    later = [s for s in slots if s["hour"] >= 10]
    n = sum(s["observed_n"] for s in later)
    predicted = sum(s["predicted_wait_min"] * s["observed_n"] for s in later) / n
    observed = sum(s["observed_wait_min"] * s["observed_n"] for s in later) / n
    exact = mean_wait(WINDOWS, RATE * SERVICE_MIN / 60, SERVICE_MIN)
    print("mean wait 10:00-17:00: predicted %.3f min, observed %.3f min (Erlang C with the "
          "simulated inputs: %.3f)" % (predicted, observed, exact))
    # About 32,000 waits over 130 independent days: the day-to-day spread of the mean wait
    # puts the sampling error near 4 %; 15 % is well outside it, and far below what a wrong
    # formula or wrong inputs give (one window more or less changes the wait 3 to 4 times).
    # Each hour's prediction uses that hour's own estimated rate and window time, whose
    # noise the convex formula turns into a few per cent upward: hence 20 % there.
    check(abs(observed - exact) / exact < 0.15, "simulation vs Erlang C: %.3f vs %.3f"
          % (observed, exact))
    check(abs(predicted - observed) / observed < 0.2, "predicted %.3f vs observed %.3f"
          % (predicted, observed))
    check(abs(doc["observed_wait_mean_min"] - sum(
        s["observed_wait_min"] * s["observed_n"] for s in slots) / len(rows)) < 0.01,
        "overall observed wait")

    # (3) Every hour's advice is the fewest windows meeting the target, by a second
    # implementation of the formula, from the inputs the tool reports.
    for target, expect in ((15, 4), (1, 6)):
        _, out, _ = run(hallqctl, "staffing", "--format", "json", "--target-wait", str(target),
                        data=data)
        for s in json_doc(out)["slots"]:
            a = s["rate_per_hour"] * s["service_min"] / 60
            want = next(c for c in range(1, 100) if mean_wait(c, a, s["service_min"]) <= target)
            what = "%s %02d:00 target %d" % (s["weekday"], s["hour"], target)
            eq(s["windows_needed"], want, what)
            # The JSON carries the inputs to 4 decimals and the waits to 2: near capacity a
            # wait moves fast with the load, hence a relative bound.
            then = mean_wait(want, a, s["service_min"])
            check(abs(s["needed_wait_min"] - then) < 0.006 + 0.002 * then,
                  "%s: waits %s vs %s" % (what, s["needed_wait_min"], then))
            now = mean_wait(s["windows_used"], a, s["service_min"])
            check(now == s["predicted_wait_min"] if math.isinf(now)
                  else abs(s["predicted_wait_min"] - now) < 0.006 + 0.002 * now,
                  "%s: predicted %s vs %s" % (what, s["predicted_wait_min"], now))
        needed = [s["windows_needed"] for s in json_doc(out)["slots"] if s["hour"] >= 10]
        # At the simulated load of 3.5 Erlangs: 4 windows wait 9.1 min on average, 3 never
        # catch up; for a 1-minute target 6 windows (0.27 min; 5 give 1.51).
        check(needed.count(expect) >= len(needed) * 0.7, "target %d: mostly %d windows, got %s"
              % (target, expect, needed))

    # The text form says the same for people.
    _, out, _ = run(hallqctl, "staffing", data=data)
    text = out.decode()
    check("公式预测平均等候" in text and "周一 10:00" in text, "text output:\n" + text[:400])


main(test)
