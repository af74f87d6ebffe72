#!/usr/bin/python3
"""stats_booking_day: a simulated morning in which bookings, walk-ins and a green ticket mix,
played through the real hallqd and hallqctl, then its statistics checked cell by cell against
the figures worked out by hand below.

The hall runs on a simulated clock at real speed, restarted at each minute of the plan (a
simulated hall restarts from a later START on its own folder), so every action happens within
a second of its minute: minute figures are checked to 0.02, counts exactly.

usage: test_booking_day.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import json
import os

from statslib import Daemon, check, csv_rows, ctl, eq, run, workdir, main

CONFIG = """\
[rules]
normal_max_wait_min = 60
[appointments]
lead_min = 0
early_min = 30
late_min = 15
max_in_row = 2
[slots A]
weekdays = mon-fri
hours = 09:00-10:00
slot_min = 30
capacity = 3
[limits]
local = unlimited
"""

IDS = ["11010519491231002X", "110105199003070017", "110105200001010016", "110105198001010016",
       "11010519700101002X", "110105197505050033"]

# The plan of Monday 2026-10-12, queue A, window 1 (the hall's time; see the working below).
#   08:30 bookings b1 b2 b5 for 09:00, b3 b4 b6 for 09:30; walk-in A001; window 1 opens
#   08:40 b1 checks in by code: A002 (slot 09:00); green walk-in A003
#   08:45 call: A003 (green lane: no slot has begun)
#   08:52 finish A003; b2 checks in by ID number: A004 (slot 09:00)
#   09:00 call: A002 (appointment, its slot began)
#   09:05 finish; call: A004 (appointment, 2nd in a row while A001 waits)
#   09:12 finish; b3 checks in: A005 (slot 09:30, not begun); call: A001 (oldest)
#   09:20 finish A001; b4 cancelled; b5, not checked in by 09:15, is a no-show
#   09:31 call: A005 (appointment)
#   09:40 finish
#   09:50 b6 comes 20 min after its slot: a walk-in A006 (late); call: A006 (oldest)
#   09:55 finish
# Working (minutes): waits A001 42, A002 20, A003 5, A004 13, A005 19, A006 0 -> 99/6 = 16.50;
#   handling (call to finish, start never pressed) 8 5 7 7 9 5 -> 41/6 = 6.83, all within 10;
#   green A003 1 of 6 = 16.7 %, its wait 5.00; the others 94/5 = 18.80.
#   Bookings: 6 booked, 3 checked in (b1 b2 b3), 1 late (b6), 1 no-show (b5), 1 cancelled (b4);
#   waits from slot start: A002 09:00 0, A004 09:05 5, A005 09:31 1 -> 2.00, 3 of 3 within 10.
#   Reasons: A003 green_lane, A002 appointment, A004 appointment, A001 oldest,
#   A005 appointment, A006 oldest.


def test(argv):
    hallqd, hallqctl = argv
    work = workdir()
    data = os.path.join(work, "data")
    conf = os.path.join(work, "hall.conf")
    with open(conf, "w", encoding="utf-8") as f:
        f.write(CONFIG)
    state = {"daemon": None}

    def at(hhmm, *steps):
        if state["daemon"]:
            state["daemon"].stop()
        state["daemon"] = Daemon(hallqd, data, "--config", conf, "--simulate",
                                 "2026-10-12 " + hhmm)
        return [ctl(hallqctl, state["daemon"], *s) for s in steps]

    def first_line(text):
        return text.splitlines()[0]

    codes = {}
    out = at("08:30",
             *[("book", "A", "2026-10-12", slot, "--id-number", IDS[i])
               for i, slot in [(0, "09:00"), (1, "09:00"), (4, "09:00"), (2, "09:30"),
                               (3, "09:30"), (5, "09:30")]],
             ("issue", "A"), ("login", "1", "wang"))
    for name, text in zip(["b1", "b2", "b5", "b3", "b4", "b6"], out):
        codes[name] = first_line(text)
    eq(first_line(out[6]), "A001", "walk-in A001")
    out = at("08:40", ("check-in", codes["b1"]), ("issue", "A", "--elderly"))
    eq(first_line(out[0]), "A002", "b1 checked in")
    eq(first_line(out[1]), "A003", "green A003")
    eq(first_line(at("08:45", ("call", "1"))[0]), "A003", "08:45 call")
    out = at("08:52", ("finish", "1"), ("check-in", "--id-number", IDS[1]))
    eq(first_line(out[1]), "A004", "b2 checked in by ID number")
    eq(first_line(at("09:00", ("call", "1"))[0]), "A002", "09:00 call")
    eq(first_line(at("09:05", ("finish", "1"), ("call", "1"))[1]), "A004", "09:05 call")
    out = at("09:12", ("finish", "1"), ("check-in", codes["b3"]), ("call", "1"))
    eq(first_line(out[1]), "A005", "b3 checked in")
    eq(first_line(out[2]), "A001", "09:12 call")
    at("09:20", ("finish", "1"), ("cancel", codes["b4"]))
    eq(first_line(at("09:31", ("call", "1"))[0]), "A005", "09:31 call")
    at("09:40", ("finish", "1"))
    out = at("09:50", ("check-in", codes["b6"]), ("call", "1"))
    check("after its window" in out[0], "b6 late: %s" % out[0])
    eq(first_line(out[0]), "A006", "b6's walk-in ticket")
    eq(first_line(out[1]), "A006", "09:50 call")
    at("09:55", ("finish", "1"))
    snap = json.loads(ctl(hallqctl, state["daemon"], "--json", "snapshot"))
    state["daemon"].stop()

    # Every call's reason, from the store through the per-ticket export.
    _, out, _ = run(hallqctl, "export", "--records", "--format", "json", data=data)
    recs = {r["label"]: r for r in json.loads(out)["records"]}
    eq({k: recs[k]["reason_code"] for k in sorted(recs)},
       {"A001": "oldest", "A002": "appointment", "A003": "green_lane", "A004": "appointment",
        "A005": "appointment", "A006": "oldest"}, "reason codes")
    eq(snap["tickets"], [], "nothing left open")

    def near(got, want, what):
        check(got != "" and abs(float(got) - want) <= 0.02, "%s: %s, want %.2f" % (what, got, want))

    # The day's export, cell by cell.
    _, out, _ = run(hallqctl, "export", "--by", "day", "--lang", "en", data=data)
    day = csv_rows(out)[0]
    for k, v in [("issued", "6"), ("called", "6"), ("served", "6"), ("no_show", "0"),
                 ("instant_n", "6"), ("instant_within", "6"), ("instant_within_pct", "100.0"),
                 ("green", "1"), ("green_pct", "16.7")]:
        eq(day[k], v, "export " + k)
    for k, v in [("wait_mean_min", 16.50), ("wait_max_min", 42.0), ("handling_mean_min", 6.83),
                 ("green_wait_mean_min", 5.0), ("normal_wait_mean_min", 18.80)]:
        near(day[k], v, "export " + k)

    # The bookings, cell by cell.
    _, out, _ = run(hallqctl, "bookings", "--by", "queue", "--lang", "en", data=data)
    a = csv_rows(out)[0]
    for k, v in [("queue", "A"), ("booked", "6"), ("checked_in", "3"), ("late", "1"),
                 ("no_show", "1"), ("cancelled", "1"), ("waiting", "0"), ("called", "3"),
                 ("called_within_10_pct", "100.0")]:
        eq(a[k], v, "bookings " + k)
    near(a["wait_from_slot_mean_min"], 2.0, "bookings wait from slot")


if __name__ == "__main__":
    main(test)
