#!/usr/bin/python3
"""stats_config_days: the statistics of a day count by the configuration the hall ran with
that day, which hallqd records in its database, with no --config given. The real daemon's
clock is set with libfaketime: on 2026-11-23 the hall runs with config A (hall 甲镇医保服务站,
a 1-minute handling target), the next day it restarts with config B (乙镇医保服务站, the
default 10 minutes). One instant item of day 1 took 30 s, the other 2 minutes: 50 % on time
by A's target (an export counting by today's configuration said 100 %). A restart with an
unchanged configuration records nothing new; --config overrides the records.

usage: test_config_days.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import glob
import os
import sqlite3

from statslib import ENV, Daemon, check, ctl, eq, json_doc, main, run, workdir

DAY1, DAY2 = "2026-11-23", "2026-11-24"
CONFIG_A = """[hall]
name = 甲镇医保服务站
[rules]
handling_target_min = 1
"""
CONFIG_B = """[hall]
name = 乙镇医保服务站
"""


def faketime_lib():
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketimeMT.so.1"))
    check(found, "libfaketime is missing (apt-get install faketime: scripts/deps.sh)")
    return found[0]


class Clock:
    """The daemon's wall clock, stopped at the time written last."""

    def __init__(self, work):
        self.path = os.path.join(work, "now")
        self.env = dict(ENV, TZ="Asia/Shanghai", LD_PRELOAD=faketime_lib(),
                        FAKETIME_TIMESTAMP_FILE=self.path, FAKETIME_NO_CACHE="1",
                        FAKETIME_DONT_FAKE_MONOTONIC="1")

    def set(self, when):
        with open(self.path + ".new", "w") as f:
            f.write(when + "\n")
        os.rename(self.path + ".new", self.path)


def serve(hallqctl, daemon, clock, day, minute, handling):
    """Calls the next ticket at window 1 at 09:MM and finishes it after `handling`
    ("M:SS")."""
    clock.set("%s 09:%02d:00" % (day, minute))
    ctl(hallqctl, daemon, "call", "1")
    ctl(hallqctl, daemon, "start", "1")
    m, s = handling.split(":")
    clock.set("%s 09:%02d:%s" % (day, minute + int(m), s))
    out = ctl(hallqctl, daemon, "finish", "1")
    check("after %s of handling" % handling in out, "finish: %s" % out)


def config_rows(data):
    db = sqlite3.connect(os.path.join(data, "hallq.db"))
    rows = db.execute("SELECT day, body FROM config ORDER BY id").fetchall()
    db.close()
    return rows


def test(argv):
    hallqd, hallqctl = argv
    work = workdir()
    data = os.path.join(work, "data")
    conf_a, conf_b = os.path.join(work, "a.conf"), os.path.join(work, "b.conf")
    with open(conf_a, "w") as f:
        f.write(CONFIG_A)
    with open(conf_b, "w") as f:
        f.write(CONFIG_B)
    clock = Clock(work)

    # Day 1 under config A: A001 handled in 30 s, A002 in 2 minutes.
    clock.set(DAY1 + " 09:00:00")
    d = Daemon(hallqd, data, "--config", conf_a, env=clock.env)
    ctl(hallqctl, d, "login", "1", "wang")
    ctl(hallqctl, d, "issue", "A")
    ctl(hallqctl, d, "issue", "A")
    serve(hallqctl, d, clock, DAY1, 1, "0:30")
    serve(hallqctl, d, clock, DAY1, 3, "2:00")
    d.stop()
    eq([day for day, _ in config_rows(data)], [DAY1], "config A recorded on day 1")

    # Day 2 under config B, and a restart with B unchanged: recorded once.
    clock.set(DAY2 + " 09:00:00")
    d = Daemon(hallqd, data, "--config", conf_b, env=clock.env)
    d.stop()
    d = Daemon(hallqd, data, "--config", conf_b, env=clock.env)
    ctl(hallqctl, d, "login", "1", "wang")
    ctl(hallqctl, d, "issue", "A")
    serve(hallqctl, d, clock, DAY2, 1, "3:00")
    rows = config_rows(data)
    eq([day for day, _ in rows], [DAY1, DAY2], "B recorded once, on day 2")
    check("乙镇医保服务站" in rows[1][1] and '"handling_target_min":10' in rows[1][1],
          "the record holds B: %s" % rows[1][1][:200])

    # Statistics, no --config, the daemon still running: each day by its own configuration.
    _, out, _ = run(hallqctl, "export", "--by", "day", "--json", data=data)
    days = {g["key"]: g for g in json_doc(out)["groups"]}
    eq(sorted(days), [DAY1, DAY2], "days")
    eq((days[DAY1]["instant_n"], days[DAY1]["instant_within"], days[DAY1]["instant_within_pct"]),
       (2, 1, 50.0), "day 1 against its 1-minute target")
    eq((days[DAY2]["instant_within"], days[DAY2]["instant_within_pct"]), (1, 100.0),
       "day 2 against 10 minutes")
    _, out, _ = run(hallqctl, "export", "--by", "day", "--json", "--to", DAY1, data=data)
    eq(json_doc(out)["target_min"], 1, "day 1 is labelled with its own target")

    report1 = os.path.join(work, "day1.html")
    run(hallqctl, "report", "--from", DAY1, "--to", DAY1, "--out", report1, data=data)
    page = open(report1, encoding="utf-8").read()
    check("<title>甲镇医保服务站 办件统计报告</title>" in page, "day 1's report names hall A")
    check("“平均不超过 1 分钟”" in page and "50.0%" in page, "day 1's report: 1 minute, 50 %")
    report2 = os.path.join(work, "day2.html")
    run(hallqctl, "report", "--from", DAY2, "--out", report2, data=data)
    check("<title>乙镇医保服务站 办件统计报告</title>" in open(report2, encoding="utf-8").read(),
          "day 2's report names hall B")

    # --config wins over the records: day 1 by B's 10 minutes.
    _, out, _ = run(hallqctl, "export", "--by", "day", "--json", "--config", conf_b, data=data)
    days = {g["key"]: g for g in json_doc(out)["groups"]}
    eq(days[DAY1]["instant_within_pct"], 100.0, "--config overrides the recorded target")
    d.stop()


main(test)
