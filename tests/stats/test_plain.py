#!/usr/bin/python3
"""stats_plain_exports: the exports and the report say plainly what they hold, checked as a
manager meets them, in the files written:
  - no English on a Chinese export: every export, the metric log, the staffing advice and
    the report pass tests/habits/no_english.py (why a ticket was called is 先到先办, not
    `oldest`; the metric log's scope is 全厅, not `hall`);
  - the group without a key is named (未叫号, 无经办人, 未选事项), not left empty;
  - an empty period shows — in the report, not 0.0% or 0.0 minutes;
  - a GBK export with characters GBK lacks fails, saying how many, the first one and its
    line, and leaves the file that was there; GB18030 writes them all (read back with
    Python's codec).

usage: test_plain.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import codecs
import csv
import io
import os
import sqlite3

from statslib import HERE, check, eq, fixture_work, main, run

sys.path.insert(0, os.path.join(HERE, "..", "habits"))
import no_english  # noqa: E402

CLERKS = "wang,li,zhang,zhao"  # the fixture's clerk ids: the hall's data, not our words


def rows_of(path, encoding="utf-8-sig"):
    with codecs.open(path, encoding=encoding) as f:
        return list(csv.reader(io.StringIO(f.read(), newline="")))


def test(argv):
    hallqd, hallqctl = argv
    work, data = fixture_work(hallqd)
    out = os.path.join(work, "out")
    os.makedirs(out)

    def write(name, *args):
        path = os.path.join(out, name)
        run(hallqctl, *args, "--out", path, data=data)
        return path

    # Every Chinese export, written to files the way a manager asks for them.
    for by in ("day", "hour", "weekday", "queue", "counter", "clerk", "service", "lane", "all"):
        write("by-%s.csv" % by, "export", "--by", by, "--bom")
    records = write("records.csv", "export", "--records", "--bom")
    write("by-queue-gbk.csv", "export", "--by", "queue", "--encoding", "gbk")
    write("metric.txt", "metric", "--date", "2024-03-04")
    write("metric.csv", "metric", "--date", "2024-03-04", "--format", "csv")
    write("staffing.txt", "staffing")
    write("staffing.csv", "staffing", "--format", "csv")
    write("report.html", "report")
    write("empty.html", "report", "--from", "2025-01-01")
    files, problems = no_english.check_files([out], set(no_english.ALLOWED) | set(CLERKS.split(",")))
    eq(len(files), 17, "exports written")
    check(not problems, "English on a Chinese export:\n  " +
          "\n  ".join("%s:%d: %s in: %s" % (os.path.basename(f), n, w, l[:90])
                      for f, n, w, l in problems))

    # Why each ticket was called, in Chinese.
    rec = rows_of(records)
    col = rec[0].index("叫号原因")
    eq(sorted({r[col] for r in rec[1:]}), ["", "先到先办", "绿色通道优先"], "reasons in Chinese")

    # The group without a key is named for what it holds.
    for by, label in (("counter", "未叫号"), ("clerk", "无经办人"), ("service", "未选事项")):
        rows = rows_of(os.path.join(out, "by-%s.csv" % by))
        eq(rows[-2][0], label, "the tickets without a %s" % by)
        check(all(r[0] for r in rows), "no empty key by %s" % by)
    metric = rows_of(os.path.join(out, "metric.csv"))
    eq(sorted({r[2] for r in metric[1:]}), ["全厅", "窗口", "队列"], "metric scopes in Chinese")

    # An empty period: dashes, not zeros that read as figures.
    page = no_english.read_text(os.path.join(out, "empty.html"))
    for shown in ("办结率 —", "即时办件平均办理时长  —", "即时办件按时办结率  —", "平均等候时间  —",
                  "全部事项；中位数 —，P90 —", "绿色通道占比  —", "至 —"):
        check(shown in " ".join(page.split("\n")), "the empty report shows '%s'" % shown)
    for zero in ("0.0%", "0.0 分钟"):
        check(zero not in page, "the empty report shows %s" % zero)

    # Characters GBK has no form for: two clerks' names, the first on the records' line 2.
    db = sqlite3.connect(os.path.join(data, "hallq.db"))
    db.execute("UPDATE tickets SET clerk = '王😀' WHERE id = 1001")
    db.execute("UPDATE tickets SET clerk = '𠀀' WHERE id = 1005")
    db.commit()
    db.close()
    gbk = os.path.join(out, "records-gbk.csv")
    with open(gbk, "w") as f:
        f.write("last month's export\n")
    rc, _, err = run(hallqctl, "export", "--records", "--encoding", "gbk", "--out", gbk,
                     data=data, ok=False)
    eq(rc, 4, "a GBK export that cannot be whole fails")
    check("2 character(s) have no GBK form, the first '😀' (U+1F600) on line 2" in err and
          "nothing written" in err and "gb18030" in err and err.count("\n") == 1,
          "the failure says how many, the first and where, in one line: %r" % err)
    eq(open(gbk).read(), "last month's export\n", "the file that was there stays")
    eq(sorted(os.listdir(out)).count("records-gbk.csv"), 1, "no partial file left")
    check(not [f for f in os.listdir(out) if f.endswith(".partial")], "no partial file left")
    rc, _, err = run(hallqctl, "export", "--records", "--encoding", "gbk", data=data, ok=False)
    check(rc == 4 and "the output lacks them" in err, "GBK to standard output: %r" % err)
    gb18030 = write("records-gb18030.csv", "export", "--records", "--encoding", "gb18030")
    _, utf8, _ = run(hallqctl, "export", "--records", data=data)
    with codecs.open(gb18030, encoding="gb18030") as f:
        eq(f.read(), utf8.decode("utf-8"), "GB18030 holds every character")
    check("王😀" in utf8.decode("utf-8"), "the names are in the export")


main(test)
