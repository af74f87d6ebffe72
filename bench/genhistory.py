#!/usr/bin/python3
"""Writes a realistic history of a hallq service hall straight into DATA_DIR/hallq.db.

Used by the statistics benchmark (bench/stats_bench.sh), by the statistics tests and by
anyone who wants a year of data to look at. The database is created by the real hallqd
(started once on ephemeral loopback ports and stopped again), so the schema, its indexes and
the application id are exactly the daemon's; rows are then added with Python's sqlite3.

The hall is simulated day by day as a discrete-event queue, so waits follow from arrivals
and staffing rather than being drawn at random:
  * business days Monday to Friday; tickets are issued 08:30-11:30 and 13:30-16:30 and the
    windows work until the line is empty (morning and afternoon sessions);
  * arrivals are Poisson with a rate that varies by half hour (peaks after opening),
    weekday (Mondays busiest) and month (January and month ends busier);
  * services are drawn from the embedded catalog (lib/hallq/services.tsv, town level), some
    tickets name no service; handling times are log-normal per service, non-instant
    items take longer; about 80 % of clerks press "start", otherwise handling runs from
    the call;
  * the green lane (about 18 %) goes first, at most 3 in a row while normal tickets wait,
    and a normal ticket waiting 30 minutes goes first (the daemon's fair rule);
  * open windows per hour follow the expected load with some under- and over-staffing;
    each window has a clerk, some days a backup clerk takes it over;
  * a few no-shows, parked tickets, transfers, tickets left to expire; about 45 % of
    finished tickets are rated;
  * the metric table gets what the daemon would have logged every 10 minutes: the running
    mean of instant handling per hall, queue and window.

Deterministic for a given --seed.
"""
import argparse
import bisect
import datetime as dt
import heapq
import math
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zoneinfo
from collections import deque

HERE = os.path.dirname(os.path.abspath(__file__))
CATALOG = os.path.join(HERE, "..", "lib", "hallq", "services.tsv")
QUEUES = "ABCDEFG"
TARGET_MS = 10 * 60_000
CLERKS = ["王芳", "李娜", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴婷",
          "徐明", "孙丽", "马超", "朱琳", "胡斌", "郭燕", "何军", "高峰", "林霞", "罗勇"]

# Relative arrival rate per half hour of the issuing sessions (local time).
SLOTS = [((8, 30), 0.9), ((9, 0), 1.5), ((9, 30), 1.45), ((10, 0), 1.3), ((10, 30), 1.1),
         ((11, 0), 0.8), ((13, 30), 0.8), ((14, 0), 1.25), ((14, 30), 1.2), ((15, 0), 1.05),
         ((15, 30), 0.9), ((16, 0), 0.7)]
SESSIONS = [((8, 30), (11, 30)), ((13, 30), (16, 30))]
WEEKDAY = [1.2, 1.05, 1.0, 0.95, 0.9]
TICKET_COLUMNS = ("id, day, prefix, number, label, queue, service, green, age_band, state,"
                  " issued_ms, called_ms, last_called_ms, started_ms, finished_ms, parked_ms,"
                  " park_total_ms, calls, counter, clerk, reason, rating, transfers")


def load_catalog(path=CATALOG, level="town"):
    """Services offered at the level: (no, queue, instant)."""
    out = []
    with open(path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        col = {name: i for i, name in enumerate(header)}
        for line in f:
            cells = line.rstrip("\n").split("\t")
            if len(cells) < len(header) or cells[col["level"]] != level:
                continue
            out.append((int(cells[col["no"]]), cells[col["queue"]], cells[col["instant"]] == "1"))
    return out


def create_db(data_dir, hallqd):
    """Lets the real daemon create (or upgrade) DATA_DIR/hallq.db, then stops it."""
    os.makedirs(data_dir, exist_ok=True)
    proc = subprocess.Popen([hallqd, "--data", data_dir, "--request", "tcp://127.0.0.1:*",
                             "--events", "tcp://127.0.0.1:*"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    deadline = time.time() + 20
    try:
        for line in proc.stderr:
            if "listening requests=" in line:
                break
            if time.time() > deadline:
                break
        else:
            raise SystemExit("genhistory: hallqd exited before listening (%s)" % hallqd)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    path = os.path.join(data_dir, "hallq.db")
    if not os.path.exists(path):
        raise SystemExit("genhistory: hallqd did not create " + path)
    return path


def open_db(path):
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def insert_tickets(conn, rows):
    """rows: tuples in TICKET_COLUMNS order."""
    conn.executemany("INSERT INTO tickets(%s) VALUES (%s)" % (TICKET_COLUMNS, ",".join("?" * 23)),
                     rows)


def next_ticket_id(conn):
    return conn.execute("SELECT coalesce(max(id), 0) + 1 FROM tickets").fetchone()[0]


class Hall:
    def __init__(self, args, rng):
        self.args = args
        self.rng = rng
        self.tz = zoneinfo.ZoneInfo(args.timezone)
        catalog = load_catalog()
        self.services = catalog
        self.instant_service = {no: inst for no, _, inst in catalog}
        self.service_queue = {no: q for no, q, _ in catalog}
        # A queue without a named service is instant when all its services are.
        self.queue_instant = {q: all(inst for _, sq, inst in catalog if sq == q) and
                              any(sq == q for _, sq, _ in catalog) for q in QUEUES}
        weights = []
        for no, q, inst in catalog:
            w = {"A": 3.0, "B": 2.5, "C": 2.0, "D": 1.0, "E": 1.5, "F": 0.6, "G": 0.4}[q]
            weights.append(w * rng.uniform(0.6, 1.4))
        self.service_cum = []
        acc = 0.0
        for w in weights:
            acc += w
            self.service_cum.append(acc)
        # Mean handling (minutes) per service: instant items mostly well under 10 minutes.
        self.service_mean = {}
        for no, q, inst in catalog:
            self.service_mean[no] = rng.uniform(4.0, 8.5) if inst else rng.uniform(12.0, 22.0)
        self.queue_mean = {q: rng.uniform(4.5, 7.5) if self.queue_instant[q] else 15.0
                           for q in QUEUES}
        # Mean window occupancy per ticket, for staffing: walk-up plus handling.
        by_service = sum(w * self.service_mean[no] for w, (no, _, _) in zip(weights, catalog))
        by_queue = sum(w * self.queue_mean[q] for w, (_, q, _) in zip(weights, catalog))
        mean_hand = (0.85 * by_service + 0.15 * by_queue) / sum(weights)
        self.mean_occupancy_min = mean_hand + 20 / 60 + 52.5 / 60
        n = args.counters
        self.clerk_of = {c: "%s" % CLERKS[(c - 1) % len(CLERKS)] + ("" if c <= len(CLERKS) else
                                                                    str((c - 1) // len(CLERKS)))
                         for c in range(1, n + 1)}
        self.backup_of = {c: "b%02d" % c for c in range(1, n + 1)}

    def day_rate(self, day):
        """Expected tickets this day."""
        f = WEEKDAY[day.weekday()]
        if day.month == 1:
            f *= 1.3
        if day.day >= 25 or day.day <= 3:
            f *= 1.12
        return self.args.per_day * f / 1.02

    def epoch_ms(self, day, hour, minute, second=0.0):
        t = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.tz)
        return int(t.timestamp() * 1000 + second * 1000)

    def arrivals(self, day):
        total_w = sum(w for _, w in SLOTS)
        expected = self.day_rate(day)
        times = []
        for (h, m), w in SLOTS:
            start = self.epoch_ms(day, h, m)
            rate_per_ms = expected * w / total_w / (30 * 60_000)
            t = start + self.rng.expovariate(rate_per_ms)
            while t < start + 30 * 60_000:
                times.append(int(t))
                t += self.rng.expovariate(rate_per_ms)
        return times

    def staffing(self, day):
        """Open windows per hour of the day: expected load over a target occupancy."""
        total_w = sum(w for _, w in SLOTS)
        expected = self.day_rate(day)
        rate = {}   # tickets per hour, by hour of the day (mean of its half hours)
        for (h, m), w in SLOTS:
            rate.setdefault(h, []).append(expected * w / total_w * 2)
        open_n = {}
        for h in range(8, 18):
            lam = sum(rate[h]) / len(rate[h]) if h in rate else 0.0
            load = lam * self.mean_occupancy_min / 60.0
            k = math.ceil(load / 0.97 * self.rng.uniform(0.82, 1.06)) if load > 0 else 1
            open_n[h] = max(1, min(self.args.counters, k))
        return open_n

    def pick_service(self):
        r = self.rng.random() * self.service_cum[-1]
        no, q, inst = self.services[bisect.bisect_left(self.service_cum, r)]
        if self.rng.random() < 0.15:
            return None, q      # the receptionist chose only the queue
        return no, q

    def handling_ms(self, service, queue):
        mean = self.service_mean[service] if service else self.queue_mean[queue]
        sigma = 0.55
        mu = math.log(mean) - sigma * sigma / 2
        return int(self.rng.lognormvariate(mu, sigma) * 60_000) + 20_000

    def instant(self, service, queue):
        if service:
            return self.instant_service[service]
        return self.queue_instant[queue]

    def simulate_day(self, day, first_id):
        """Returns (ticket rows, metric rows) for one business day."""
        rng = self.rng
        dstr = day.isoformat()
        arrivals = self.arrivals(day)
        open_n = self.staffing(day)
        clerk = {c: (self.backup_of[c] if rng.random() < 0.08 else self.clerk_of[c])
                 for c in range(1, self.args.counters + 1)}
        numbers = {q: 0 for q in QUEUES}
        tickets = []
        for t in arrivals:
            service, q = self.pick_service()
            numbers[q] += 1
            green = rng.random() < self.args.green_share
            band = None
            if green:
                band = rng.choices(["60-69", "70-79", "80+"], [0.5, 0.35, 0.15])[0]
            tickets.append({"issued": t, "queue": q, "prefix": q, "number": numbers[q],
                            "service": service, "green": green, "band": band})
        # Sessions: tickets issued in a session are served by that session's windows.
        rows = []
        finished_instant = []   # (finished_ms, queue, counter, handling_ms)
        session_bounds = [(self.epoch_ms(day, *a), self.epoch_ms(day, *b)) for a, b in SESSIONS]
        tid = first_id
        for s_start, s_issue_end in session_bounds:
            part = [t for t in tickets if s_start <= t["issued"] < s_issue_end + 30 * 60_000]
            self.serve_session(day, part, open_n, s_start, clerk, finished_instant)
        for t in tickets:
            rows.append(self.row(tid, dstr, t))
            tid += 1
        metrics = self.metric_rows(day, dstr, finished_instant) if self.args.metrics else []
        return rows, metrics

    def serve_session(self, day, part, open_n, s_start, clerk, finished_instant):
        rng = self.rng
        green_q, normal_q = deque(), deque()
        idx = 0
        heap = []
        max_open = max(open_n.values())
        for c in range(1, max_open + 1):
            heapq.heappush(heap, (s_start + rng.randint(0, 90_000), c))
        streak = {c: 0 for c in range(1, max_open + 1)}
        waiting_left = len(part)
        while heap and waiting_left > 0:
            now, c = heapq.heappop(heap)
            hour = dt.datetime.fromtimestamp(now / 1000, self.tz).hour
            # Windows beyond this hour's staffing are closed; after issuing stops, every
            # window that was open stays until the line is empty.
            if c > open_n.get(hour, max_open) and idx < len(part):
                nxt = self.epoch_ms(day, hour, 0) + 3_600_000
                heapq.heappush(heap, (max(nxt, now + 60_000), c))
                continue
            while idx < len(part) and part[idx]["issued"] <= now:
                t = part[idx]
                (green_q if t["green"] else normal_q).append(t)
                idx += 1
            if not green_q and not normal_q:
                if idx < len(part):
                    heapq.heappush(heap, (part[idx]["issued"] + rng.randint(1_000, 20_000), c))
                continue
            if green_q and (not normal_q or (streak[c] < 3 and
                                             now - normal_q[0]["issued"] < 30 * 60_000)):
                t = green_q.popleft()
                streak[c] += 1
                t["reason"] = "green lane"
            else:
                t = normal_q.popleft()
                if green_q and streak[c] >= 3:
                    t["reason"] = "green streak limit"
                elif green_q:
                    t["reason"] = "normal waited %d min" % ((now - t["issued"]) // 60_000)
                else:
                    t["reason"] = "oldest"
                streak[c] = 0
            waiting_left -= 1
            busy = self.serve_ticket(t, now, c, clerk[c], finished_instant)
            heapq.heappush(heap, (now + busy, c))

    def serve_ticket(self, t, now, c, clerk_name, finished_instant):
        """Fills the ticket's times; returns how long the window is busy with it."""
        rng = self.rng
        t["called"] = now
        t["last_called"] = now
        t["counter"] = c
        t["clerk"] = clerk_name
        t["calls"] = 1
        t["park_total"] = 0
        t["transfers"] = 0
        t["rating"] = None
        r = rng.random()
        if r < 0.008:
            t["state"] = "expired"      # left the hall; nobody answered the call
            t["called"] = t["last_called"] = t["counter"] = t["clerk"] = None
            t["calls"] = 0
            return 5_000
        if r < 0.035:
            t["state"] = "no_show"
            t["calls"] = 2
            t["last_called"] = now + 60_000
            return 120_000
        walk = rng.randint(15_000, 90_000)
        handling = self.handling_ms(t["service"], t["queue"])
        if rng.random() < 0.02:
            others = [q for q in QUEUES if q != t["queue"]]
            t["queue"] = rng.choice(others)
            t["transfers"] = 1
        if rng.random() < 0.02:
            t["park_total"] = rng.randint(5, 25) * 60_000
            t["parked"] = now + walk + handling // 2
        t["started"] = now + walk if rng.random() < 0.8 else now
        t["finished"] = t["started"] + handling + t["park_total"]
        t["state"] = "finished"
        if rng.random() < 0.45:
            t["rating"] = rng.choices([5, 4, 3, 2, 1], [0.8, 0.13, 0.04, 0.02, 0.01])[0]
        if self.instant(t["service"], t["queue"]):
            from_ms = t["started"] if t["started"] else t["last_called"]
            finished_instant.append((t["finished"], t["queue"], c,
                                     max(0, t["finished"] - from_ms - t["park_total"])))
        return walk + handling

    def row(self, tid, dstr, t):
        label = "%s%03d" % (t["prefix"], t["number"])
        return (tid, dstr, t["prefix"], t["number"], label, t["queue"], t["service"],
                1 if t["green"] else 0, t["band"], t.get("state", "expired"), t["issued"],
                t.get("called"), t.get("last_called"), t.get("started"), t.get("finished"),
                t.get("parked"), t.get("park_total", 0), t.get("calls", 0), t.get("counter"),
                t.get("clerk"), t.get("reason"), t.get("rating"), t.get("transfers", 0))

    def metric_rows(self, day, dstr, finished):
        """The running day-to-date mean the daemon logs every 10 minutes."""
        finished.sort()
        acc = {}
        def add(key, ms):
            a = acc.setdefault(key, [0, 0, 0, 0])
            a[0] += 1
            a[1] += ms
            a[2] += ms <= TARGET_MS
            a[3] = max(a[3], ms)
        # The daemon logs every configured window; here the windows that worked that day.
        used = sorted({c for _, _, c, _ in finished})
        keys = [("hall", "")] + [("queue", q) for q in QUEUES] + \
               [("counter", str(c)) for c in used]
        rows = []
        i = 0
        tick = self.epoch_ms(day, 8, 40)
        end = self.epoch_ms(day, 18, 0)
        while tick <= end:
            while i < len(finished) and finished[i][0] <= tick:
                ts, q, c, ms = finished[i]
                add(("hall", ""), ms)
                add(("queue", q), ms)
                add(("counter", str(c)), ms)
                i += 1
            for scope, key in keys:
                a = acc.get((scope, key), [0, 0, 0, 0])
                avg = (a[1] + a[0] // 2) // a[0] if a[0] else 0
                rows.append((tick, dstr, scope, key, a[0], avg, a[2], a[3], TARGET_MS,
                             1 if a[0] and a[1] > TARGET_MS * a[0] else 0))
            tick += 600_000
        return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", required=True, help="data directory (DATA/hallq.db)")
    ap.add_argument("--hallqd", default=os.path.join(HERE, "..", "build", "bin", "hallqd"),
                    help="the hallqd that creates the database")
    ap.add_argument("--from", dest="start", default="2024-01-01", help="first day YYYY-MM-DD")
    ap.add_argument("--days", type=int, default=365, help="calendar days (weekends are closed)")
    ap.add_argument("--per-day", type=float, default=400, help="mean tickets per business day")
    ap.add_argument("--counters", type=int, default=0,
                    help="windows in the hall (default: enough for the peak)")
    ap.add_argument("--green-share", type=float, default=0.18)
    ap.add_argument("--timezone", default="Asia/Shanghai")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-metrics", dest="metrics", action="store_false",
                    help="leave the metric log empty")
    args = ap.parse_args()
    if args.counters <= 0:
        # The busiest half hour's rate (a January Monday at month end) times a generous
        # mean occupancy: the staffing plan never needs more windows than this.
        peak = args.per_day * 1.3 * 1.12 * 1.2 / 1.02 * 1.5 / sum(w for _, w in SLOTS) * 2
        args.counters = max(2, math.ceil(peak * 9.0 / 60 / 0.9))
    rng = random.Random(args.seed)
    hall = Hall(args, rng)
    path = create_db(args.data, args.hallqd)
    conn = open_db(path)
    tid = next_ticket_id(conn)
    day = dt.date.fromisoformat(args.start)
    ntickets = nmetrics = 0
    t0 = time.time()
    conn.execute("BEGIN")
    for _ in range(args.days):
        if day.weekday() < 5:
            rows, metrics = hall.simulate_day(day, tid)
            insert_tickets(conn, rows)
            if metrics:
                conn.executemany("INSERT INTO metrics(ts_ms, day, scope, key, count, avg_ms,"
                                 " within, max_ms, target_ms, above)"
                                 " VALUES (?,?,?,?,?,?,?,?,?,?)", metrics)
            tid += len(rows)
            ntickets += len(rows)
            nmetrics += len(metrics)
        day += dt.timedelta(days=1)
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    print("genhistory: %d tickets, %d metric rows, %d windows, %s to %s, %.1f s -> %s" %
          (ntickets, nmetrics, args.counters, args.start,
           (day - dt.timedelta(days=1)).isoformat(), time.time() - t0, path), file=sys.stderr)


if __name__ == "__main__":
    main()
