#!/usr/bin/python3
"""Synthesises a city of hallq halls, each a real hall database with its own epoch and event log.

Used by bench/city.sh. The city has towns and village service points; a village names its
town as parent. Each hall's database is created by the real hallqd (bench/genhistory.py's
create_db: schema, indexes, application id and the hall's epoch are the daemon's own), its days
are simulated by genhistory.py's Hall (arrivals, staffing, waits, handling, ratings), and the
simulated tickets are written twice, as the daemon would have left them:
  * the tickets table, each ticket as its day ended;
  * the event log, in time order from seq 1 (the event hallqd logged while it created the
    database goes): per business day a `day` event (at 08:00; it names the tickets of the
    business day before that were never called, which it expires), the
    windows' `counter` events (login at the session's start, logout at its end), and per ticket
    `issued`, `called`, `recalled`, `started`, `no_show`, `finished` and `rated` as far as it
    went, each carrying the whole ticket as it stood then and the event's own main fields
    (counter, reason, handling_ms, instant; not the queue depths), plus the `metric` event the
    daemon logs every 10 minutes.
Besides DIR/HALL/hallq.db it writes DIR/HALL/events.copy: the same event rows in PostgreSQL's
COPY text format, as (hall, epoch, seq, ts_ms, type, body), for the raw COPY floor, and
DIR/city.tsv: one line per hall (id, name, level, parent or "-", epoch, events, tickets).

usage: gencity.py --dir DIR --hallqd HALLQD [--halls 30] [--days 365] [--from YYYY-MM-DD]
Deterministic for given arguments (except the epochs, drawn by hallqd).
"""
import argparse
import datetime as dt
import json
import math
import multiprocessing
import os
import random
import sys
import time

# genhistory is imported from the source tree: no __pycache__ left in it.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import genhistory  # noqa: E402

TOWNS = ["城关镇", "东坝镇", "西河镇", "南岗镇", "北湖镇", "白塔镇", "青山镇", "柳树镇"]
SEP = (",", ":")


def city_plan(halls, town_per_day, village_per_day):
    """(id, name, level, parent, per_day): one town for every 6 halls, villages shared out."""
    towns = max(1, (halls + 5) // 6)
    plan = []
    for i in range(towns):
        name = TOWNS[i % len(TOWNS)] + ("" if i < len(TOWNS) else str(i // len(TOWNS) + 1))
        plan.append(("t%02d" % (i + 1), name + "社保服务大厅", "town", None, town_per_day))
    for j in range(halls - towns):
        town = plan[j % towns]
        plan.append(("v%02d" % (j + 1), "%s第%d村服务点" % (town[1][:3], j // towns + 1),
                     "village", town[0], village_per_day))
    return plan


COLS = [c.strip() for c in genhistory.TICKET_COLUMNS.split(",")]


def ticket_obj(r, **state):
    """The ticket as the protocol writes it, from its row as the day ended; state sets the
    fields of the event's moment."""
    o = {"id": r["id"], "day": r["day"], "label": r["label"], "prefix": r["prefix"],
         "number": r["number"], "queue": r["queue"], "service": r["service"],
         "lane": "green" if r["green"] else "normal", "age_band": r["age_band"],
         "state": "waiting", "issued_ms": r["issued_ms"], "called_ms": None,
         "last_called_ms": None, "started_ms": None, "finished_ms": None, "parked_ms": None,
         "park_total_ms": 0, "calls": 0, "counter": None, "clerk": None, "reason": None,
         "reason_code": None, "rating": None, "transfers": 0, "extended": False,
         "slot_ms": None}
    o.update(state)
    return o


def counter_obj(c, state, clerk, current, label, since):
    return {"id": c, "queues": genhistory.QUEUES, "state": state, "clerk": clerk,
            "pause_reason": None, "current": current, "current_label": label, "since_ms": since}


REASON_CODE = {"green lane": "green_lane", "oldest": "oldest",
               "green streak limit": "green_streak_limit"}


def day_events(hall, day, rows, metrics, open_left):
    """The day's events as (ts_ms, order, type, body without seq and ts_ms), and (the day,
    how many of its tickets were never called: the next `day` event expires them)."""
    dstr = day.isoformat()
    ev = [(hall.epoch_ms(day, 8, 0), 0, "day",
           {"day": dstr, "previous_day": open_left[0], "expired": open_left[1]})]
    rows = [dict(zip(COLS, r)) for r in rows]
    for c in sorted({r["counter"] for r in rows if r["counter"]}):
        for (h, m), (h2, m2) in genhistory.SESSIONS:
            since = hall.epoch_ms(day, h, m) - 60_000
            ev.append((since, 1, "counter",
                       {"counter": counter_obj(c, "idle", hall.clerk_of[c], None, None, since)}))
            end = hall.epoch_ms(day, h2, m2) + 90 * 60_000
            ev.append((end, 9, "counter",
                       {"counter": counter_obj(c, "closed", None, None, None, end)}))
    never_called = 0
    for r in rows:
        tid, label, c, clerk = r["id"], r["label"], r["counter"], r["clerk"]
        ev.append((r["issued_ms"], 2, "issued",
                   {"ticket": ticket_obj(r), "ahead": 0, "est_wait_ms": 0}))
        if r["called_ms"] is None:
            never_called += 1
            continue
        reason = r["reason"]
        at = {"called_ms": r["called_ms"], "last_called_ms": r["called_ms"], "calls": 1,
              "counter": c, "clerk": clerk, "reason": reason,
              "reason_code": REASON_CODE.get(reason, "normal_waited")}
        ev.append((r["called_ms"], 3, "called",
                   {"ticket": ticket_obj(r, state="called", **at),
                    "counter": counter_obj(c, "calling", clerk, tid, label, r["called_ms"]),
                    "reason": reason}))
        if r["state"] == "no_show":
            at.update(last_called_ms=r["last_called_ms"], calls=r["calls"])
            ev.append((r["last_called_ms"], 3, "recalled",
                       {"ticket": ticket_obj(r, state="called", **at),
                        "counter": counter_obj(c, "calling", clerk, tid, label,
                                               r["called_ms"])}))
            gone = r["last_called_ms"] + 60_000
            ev.append((gone, 3, "no_show",
                       {"ticket": ticket_obj(r, state="no_show", **at),
                        "counter": counter_obj(c, "idle", clerk, None, None, gone)}))
            continue
        at.update(queue=r["queue"], transfers=r["transfers"], started_ms=r["started_ms"])
        if r["started_ms"] != r["called_ms"]:
            ev.append((r["started_ms"], 4, "started",
                       {"ticket": ticket_obj(r, state="serving", **at),
                        "counter": counter_obj(c, "serving", clerk, tid, label,
                                               r["started_ms"])}))
        at.update(finished_ms=r["finished_ms"], park_total_ms=r["park_total_ms"],
                  parked_ms=r["parked_ms"])
        ev.append((r["finished_ms"], 5, "finished",
                   {"ticket": ticket_obj(r, state="finished", **at),
                    "counter": counter_obj(c, "idle", clerk, None, None, r["finished_ms"]),
                    "handling_ms": max(0, r["finished_ms"] - r["started_ms"] -
                                       r["park_total_ms"]),
                    "instant": hall.instant(r["service"], r["queue"])}))
        if r["rating"] is not None:
            ev.append((r["finished_ms"] + 20_000, 6, "rated",
                       {"ticket": ticket_obj(r, state="finished", rating=r["rating"], **at)}))
    # The metric rows come per tick: the hall, then each queue, then each window.
    by_tick = {}
    for ts, _d, scope, key, count, avg, within, mx, target, _above in metrics:
        m = by_tick.setdefault(ts, {"target_ms": target, "day": dstr, "hall": None,
                                    "queues": [], "counters": []})
        v = {"count": count, "avg_ms": avg, "within": within, "max_ms": mx}
        if scope == "hall":
            m["hall"] = v
        elif scope == "queue":
            m["queues"].append(dict(v, queue=key))
        else:
            m["counters"].append(dict(v, counter=int(key)))
    for ts, m in by_tick.items():
        ev.append((ts, 8, "metric", m))
    ev.sort(key=lambda e: (e[0], e[1]))
    return ev, (dstr, never_called)


def copy_text(s):
    return (s.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
            .replace("\r", "\\r"))


def make_hall(job):
    (hid, name, level, parent, per_day), args, seed = job
    t0 = time.time()
    hdir = os.path.join(args.dir, hid)
    ns = argparse.Namespace(per_day=per_day, counters=0, green_share=0.18,
                            timezone="Asia/Shanghai", metrics=True)
    peak = per_day * 1.3 * 1.12 * 1.2 / 1.02 * 1.5 / sum(w for _, w in genhistory.SLOTS) * 2
    ns.counters = max(2, math.ceil(peak * 9.0 / 60 / 0.9))
    hall = genhistory.Hall(ns, random.Random(seed))
    path = genhistory.create_db(hdir, args.hallqd)
    conn = genhistory.open_db(path)
    epoch = conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
    # The log is the simulated year alone, from seq 1 in time order: the event the daemon
    # logged while it created the database (today, after the year) goes.
    conn.execute("DELETE FROM events")
    seq = 0
    tid = genhistory.next_ticket_id(conn)
    day = dt.date.fromisoformat(args.start)
    ntickets = nevents = 0
    open_left = (None, 0)
    copy = open(os.path.join(hdir, "events.copy"), "w", encoding="utf-8")
    prefix = "%s\t%s\t" % (copy_text(hid), epoch)
    conn.execute("BEGIN")
    for _ in range(args.days):
        if day.weekday() < 5:
            rows, metrics = hall.simulate_day(day, tid)
            genhistory.insert_tickets(conn, rows)
            ev, open_left = day_events(hall, day, rows, metrics, open_left)
            out = []
            for ts, _o, ty, body in ev:
                seq += 1
                body["seq"] = seq
                body["ts_ms"] = ts
                text = json.dumps(body, ensure_ascii=False, separators=SEP)
                out.append((seq, ts, ty, text))
                copy.write("%s%d\t%d\t%s\t%s\n" % (prefix, seq, ts, ty, copy_text(text)))
            conn.executemany("INSERT INTO events(seq, ts_ms, type, body) VALUES (?,?,?,?)", out)
            tid += len(rows)
            ntickets += len(rows)
            nevents += len(out)
        day += dt.timedelta(days=1)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    copy.close()
    lock = os.path.join(hdir, "hallqd.lock")
    if os.path.exists(lock):
        os.remove(lock)
    print("gencity: %s %s: %d tickets, %d events, %.1f s" % (hid, level, ntickets, nevents,
                                                            time.time() - t0), file=sys.stderr)
    return (hid, name, level, parent or "-", epoch, nevents, ntickets)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True, help="where the halls' data directories go")
    ap.add_argument("--hallqd", required=True, help="the hallqd that creates each database")
    ap.add_argument("--halls", type=int, default=30)
    ap.add_argument("--days", type=int, default=365, help="calendar days (weekends closed)")
    ap.add_argument("--from", dest="start", help="first day (default: DAYS days ago)")
    ap.add_argument("--town-per-day", type=float, default=150,
                    help="mean tickets per business day in a town hall")
    ap.add_argument("--village-per-day", type=float, default=40,
                    help="mean tickets per business day at a village point")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args()
    if args.halls < 1 or args.days < 1:
        ap.error("--halls and --days are at least 1")
    if not args.start:
        args.start = (dt.date.today() - dt.timedelta(days=args.days)).isoformat()
    os.makedirs(args.dir, exist_ok=True)
    plan = city_plan(args.halls, args.town_per_day, args.village_per_day)
    jobs = [(h, args, i + 1) for i, h in enumerate(plan)]
    with multiprocessing.Pool(max(1, args.jobs)) as pool:
        halls = pool.map(make_hall, jobs, chunksize=1)
    with open(os.path.join(args.dir, "city.tsv"), "w", encoding="utf-8") as f:
        for h in halls:
            f.write("\t".join(str(x) for x in h) + "\n")


if __name__ == "__main__":
    main()
