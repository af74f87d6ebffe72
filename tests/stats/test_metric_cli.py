#!/usr/bin/python3
"""stats_metric_cli: `hallqctl stats metric` replays the metric log of fixture.sql (every entry,
alerts marked) and the stats verbs refuse bad arguments and foreign files clearly.

usage: test_metric_cli.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import os
import sqlite3
import subprocess

from statslib import ENV, check, csv_rows, eq, fixture_work, json_doc, main, run


def test(argv):
    hallqd, hallqctl = argv
    work, data = fixture_work(hallqd)

    # Every entry of the day, in the order written; window 2 at 09:20 is the one alert.
    _, out, _ = run(hallqctl, "metric", "--date", "2024-03-04", "--format", "json", data=data)
    doc = json_doc(out)
    eq((doc["day"], doc["entries"], doc["alerts"]), ("2024-03-04", 8, 1), "metric summary")
    eq([(e["time"], e["scope"], e["key"]) for e in doc["log"][:4]],
       [("09:10:00", "hall", ""), ("09:10:00", "queue", "A"), ("09:10:00", "counter", "1"),
        ("09:10:00", "counter", "2")], "log order")
    last = doc["log"][-1]
    eq((last["key"], last["count"], last["avg_ms"], last["above"], last["within_pct"]),
       ("2", 1, 720000, True, 0.0), "the alert entry")
    eq(doc["log"][3]["within_pct"], None, "an empty window has no share")

    _, out, _ = run(hallqctl, "metric", "--date", "2024-03-04", data=data)
    text = out.decode()
    eq(text.count("告警：超过目标"), 1, "one alert marked in the text log")
    check("共 8 条记录，其中 1 条超过目标（10:00）。" in text, "text summary:\n" + text)
    check("全厅最后一次记录 09:20:00（件数 / 平均 / 最长）：4 / 7:30 / 12:00" in text,
          "last hall entry:\n" + text)
    alert_line = [l for l in text.splitlines() if "告警" in l][0]
    check(alert_line.startswith("09:20:00  2号窗口") and "12:00" in alert_line,
          "alert line: " + alert_line)

    _, out, _ = run(hallqctl, "metric", "--date", "2024-03-04", "--alerts", "--json", data=data)
    eq(json_doc(out)["entries"], 1, "--alerts")
    _, out, _ = run(hallqctl, "metric", "--date", "2024-03-04", "--scope", "counter", "--json",
                    data=data)
    eq(json_doc(out)["entries"], 4, "--scope counter")
    _, out, _ = run(hallqctl, "metric", "--date", "2024-03-04", "--format", "csv", "--lang", "en",
                    data=data)
    rows = csv_rows(out)
    eq(len(rows), 8, "CSV entries")
    eq(list(rows[-1].values()),
       ["2024-03-04", "09:20:00", "counter", "2", "1", "12.00", "0", "0.0", "12.00", "10.00", "1"],
       "CSV alert entry")
    _, out, _ = run(hallqctl, "metric", "--date", "2024-03-06", data=data)
    check("2024-03-06 没有指标记录" in out.decode(), "a day without entries")
    _, out, _ = run(hallqctl, "metric", "--date", "2024-03-06", "--lang", "en", data=data)
    check("no metric entries for 2024-03-06" in out.decode(), "English")

    # Flags given before `stats` go with it.
    p = subprocess.run([hallqctl, "--json", "stats", "metric", "--date", "2024-03-05", "--data",
                        data], capture_output=True, env=ENV)
    eq(p.returncode, 0, "hallqctl --json stats metric")
    eq(json_doc(p.stdout)["entries"], 1, "--json before stats")
    p = subprocess.run([hallqctl, "stats", "--help"], capture_output=True, env=ENV)
    check(p.returncode == 0 and b"export" in p.stdout and b"staffing" in p.stdout, "--help")

    # Bad arguments: exit 2 with one line that says what is wrong.
    bad = [
        (["export", "--from", "2024-02-30"], "--from takes a date like 2024-03-01, not '2024-02-30'"),
        (["export", "--from", "2024-03-05", "--to", "2024-03-04"], "is after --to"),
        (["export", "--by", "week"], "--by takes"),
        (["export", "--format", "text"], "export writes csv or json"),
        (["export", "--format", "json", "--encoding", "gbk"], "JSON is always UTF-8"),
        (["export", "--bom", "--encoding", "gbk"], "GBK has no byte order mark"),
        (["export", "--encoding", "latin1"], "--encoding is"),
        (["report"], "report needs --out"),
        (["staffing", "--target-wait", "0"], "--target-wait takes"),
        (["metric", "--scope", "room"], "--scope is"),
        (["frobnicate"], "unknown stats verb"),
        (["export", "--data", data, "--out"], "--out needs a value"),
    ]
    for args, message in bad:
        rc, out, err = run(hallqctl, *args, data=None if "--data" in args else data, ok=False)
        eq(rc, 2, "exit status of %s" % args)
        check(message in err and err.count("\n") == 1, "message of %s: %r" % (args, err))

    # Not there, or not ours: exit 1, and the file is left alone.
    rc, _, err = run(hallqctl, "export", data=os.path.join(work, "nowhere"), ok=False)
    check(rc == 4 and "no readable database" in err, "missing database: %r" % err)
    foreign = os.path.join(work, "foreign")
    os.makedirs(foreign)
    conn = sqlite3.connect(os.path.join(foreign, "hallq.db"))
    conn.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY, balance INTEGER)")
    conn.commit()
    conn.close()
    before = open(os.path.join(foreign, "hallq.db"), "rb").read()
    rc, _, err = run(hallqctl, "export", data=foreign, ok=False)
    check(rc == 4 and "is not a hallq database" in err, "foreign database: %r" % err)
    eq(open(os.path.join(foreign, "hallq.db"), "rb").read(), before, "foreign file untouched")
    rc, _, err = run(hallqctl, "export", "--out", os.path.join(work, "no", "such", "dir.csv"),
                     data=data, ok=False)
    check(rc == 4 and "cannot write" in err, "unwritable output: %r" % err)


main(test)
