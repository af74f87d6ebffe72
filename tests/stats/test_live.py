#!/usr/bin/python3
"""stats_live_daemon: the statistics read the live database while hallqd works on it. With
four months of a busy hall's history loaded, exports and reports run back to back while
tickets are issued, called and finished; every request is answered promptly (the reader
never makes the daemon wait), the export sees today's tickets, and nothing the stats verbs
do changes the file.

usage: test_live.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import datetime as dt
import hashlib
import os
import subprocess
import threading
import time
import zoneinfo

from statslib import ENV, Daemon, check, ctl, eq, genhistory, json_doc, main, run, workdir


def digest(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def test(argv):
    hallqd, hallqctl = argv
    work = workdir()
    data = os.path.join(work, "data")
    p = subprocess.run(["/usr/bin/python3", genhistory.__file__, "--data", data,
                        "--hallqd", hallqd, "--from", "2024-01-01", "--days", "120",
                        "--per-day", "1000", "--seed", "7"],
                       capture_output=True, text=True, env=ENV, timeout=120)
    eq(p.returncode, 0, "genhistory: " + p.stderr)
    daemon = Daemon(hallqd, data)
    ctl(hallqctl, daemon, "login", "1", "wang")

    stop = threading.Event()
    readers = {"runs": 0, "errors": []}

    def read_loop():
        while not stop.is_set():
            for args in (["export", "--by", "day"], ["export", "--records", "--format", "json"],
                         ["report", "--out", os.path.join(work, "live.html")],
                         ["staffing", "--format", "json"]):
                rc, _, err = run(hallqctl, *args, data=data, ok=False)
                if rc != 0:
                    readers["errors"].append(err)
                readers["runs"] += 1

    reader = threading.Thread(target=read_loop)
    reader.start()
    worst = 0.0
    try:
        # At least 30 tickets, and on until the readers went round twice.
        rounds = 0
        while rounds < 30 or (readers["runs"] < 8 and rounds < 400):
            rounds += 1
            for args in (["issue", "A", "--service", "1"], ["call", "1"], ["finish", "1"]):
                t0 = time.monotonic()
                ctl(hallqctl, daemon, *args)
                worst = max(worst, time.monotonic() - t0)
    finally:
        stop.set()
        reader.join()
    eq(readers["errors"], [], "stats runs while the daemon writes")
    check(readers["runs"] >= 4, "the readers ran (%d runs)" % readers["runs"])
    # hallqctl itself takes a few milliseconds; a blocked daemon would take its busy timeout.
    check(worst < 1.0, "slowest daemon request during the stats runs: %.3f s" % worst)
    print("%d stats runs alongside %d daemon requests; slowest request %.1f ms"
          % (readers["runs"], rounds * 3, worst * 1000))

    today = dt.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date().isoformat()
    _, out, _ = run(hallqctl, "export", "--from", today, "--json", data=data)
    total = json_doc(out)["total"]
    eq((total["issued"], total["served"], total["instant_n"]), (rounds,) * 3,
       "today's tickets, live")
    _, out, _ = run(hallqctl, "export", "--to", "2024-02-29", "--by", "all", "--json", data=data)
    check(json_doc(out)["total"]["issued"] > 40000, "history alongside")

    # Read only: with the daemon stopped, the stats verbs leave the file exactly as it was.
    daemon.stop()
    db = os.path.join(data, "hallq.db")
    before = digest(db)
    run(hallqctl, "export", "--records", data=data)
    run(hallqctl, "report", "--out", os.path.join(work, "after.html"), data=data)
    run(hallqctl, "metric", "--date", "2024-01-08", data=data)
    eq(digest(db), before, "database unchanged by the stats verbs")


main(test)
