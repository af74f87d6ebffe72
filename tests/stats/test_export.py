#!/usr/bin/python3
"""stats_export_fixture: `hallqctl stats export` on the 20 tickets of fixture.sql against
figures worked out by hand (below, with the working). Also per-ticket records, the byte
order mark, GBK, date ranges and the JSON form.

usage: test_export.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

import os
import subprocess

from statslib import check, csv_rows, eq, fixture_work, json_doc, main, run

# Working, in minutes (wait = first call - issue; handling = start, else last call, to
# finish, less parked time). Tickets 1-20 of fixture.sql:
#   waits   : 2 4 1 7 10 8 11 6 22 25 (day 1; 11, 12 never called)  1 1 7 10 14 16 1 4 (day 2)
#   handling: 6 12 8 4 8 - 12 20 15 5 (day 1, 6 a no-show)   12 6 9 10 25 - 7 12 (day 2)
#   instant : every finished ticket but 8, 9 (queue E) and 17 (queue F)
# Totals: 18 waits, sum 150, mean 8.33; sorted 1 1 1 1 2 4 4 6 7 7 8 10 10 11 14 16 22 25,
#   median = (7+7)/2 = 7; p90 at rank 0.9*17 = 15.3: 16 + 0.3*(22-16) = 17.8; max 25.
#   16 handled, sum 171, mean 10.69; sorted 4 5 6 6 7 8 8 9 10 12 12 12 12 15 20 25,
#   median (9+10)/2 = 9.5; p90 at 13.5: (15+20)/2 = 17.5.
#   13 instant, sum 111, mean 8.54; sorted 4 5 6 6 7 8 8 9 10 12 12 12 12: median 8,
#   p90 at 10.8: 12; within 10 minutes: 9 of 13 = 69.2 %.
#   green: tickets 3 5 9 14 19 = 5 of 20 (25 %), waits 1 10 22 1 1 = 7.00; normal 115/13 = 8.85
#   ratings: 5 4 5 3 2 5 4 5 5 1 4 = 11 rated, 43/11 = 3.91, 8 of 11 satisfied = 72.7 %.
#   extended hours (延时服务): tickets 17 (queue F) and 20 (queue A), both on day 2.
# Queue A (tickets 1 2 3 10 11 13 14 18 20; 10 was transferred in from D):
#   waits 2 4 1 25 1 1 16 4: mean 6.75, sorted 1 1 1 2 4 4 16 25, median 3, p90 at 6.3:
#   16 + 0.3*9 = 18.7; handling 6 12 8 5 12 6 12: mean 8.71, sorted 5 6 6 8 12 12 12,
#   median 8, p90 at 5.4: 12; within 10: 4 of 7 = 57.1 %; green 2 of 9, waits 1 1;
#   normal (54-2)/6 = 8.67; ratings 5 4 5 4 5 5: 4.67, all satisfied.
COLUMNS = ("key,name,issued,called,served,no_show,expired,transferred,wait_mean_min,"
           "wait_median_min,wait_p90_min,wait_max_min,handling_n,handling_mean_min,"
           "handling_median_min,handling_p90_min,instant_n,instant_mean_min,instant_median_min,"
           "instant_p90_min,instant_within,instant_within_pct,green,green_pct,"
           "green_wait_mean_min,normal_wait_mean_min,rated,rating_mean,satisfied_pct,extended").split(",")
BY_QUEUE = """\
A,参保登记与变更,9,8,7,1,1,1,6.75,3.00,18.70,25.00,7,8.71,8.00,12.00,7,8.71,8.00,12.00,4,57.1,2,22.2,1.00,8.67,6,4.67,100.0,1
B,参保查询与参保凭证,3,3,3,0,0,0,8.00,7.00,9.40,10.00,3,7.00,8.00,8.80,3,7.00,8.00,8.80,3,100.0,1,33.3,10.00,7.00,1,3.00,0.0,0
C,异地就医备案,3,3,2,1,0,0,9.67,10.00,10.80,11.00,2,11.00,11.00,11.80,2,11.00,11.00,11.80,1,50.0,0,0.0,,9.67,2,1.50,0.0,0
D,门诊慢特病认定,1,1,1,0,0,0,1.00,1.00,1.00,1.00,1,7.00,7.00,7.00,1,7.00,7.00,7.00,1,100.0,1,100.0,1.00,,1,4.00,100.0,0
E,零星报销,2,2,2,0,0,0,14.00,14.00,20.40,22.00,2,17.50,17.50,19.50,0,,,,0,,1,50.0,22.00,6.00,1,5.00,100.0,0
F,生育保险,1,1,1,0,0,0,14.00,14.00,14.00,14.00,1,25.00,25.00,25.00,0,,,,0,,0,0.0,,14.00,0,,,1
G,照护保险,1,0,0,0,1,0,,,,,0,,,,0,,,,0,,0,0.0,,,0,,,0
total,,20,18,16,2,2,1,8.33,7.00,17.80,25.00,16,10.69,9.50,17.50,13,8.54,8.00,12.00,9,69.2,5,25.0,7.00,8.85,11,3.91,72.7,2
"""

# By day. Day 1: waits 2 4 1 7 10 8 11 6 22 25 -> mean 9.6, sorted 1 2 4 6 7 8 10 11 22 25,
#   median 7.5, p90 at 8.1: 22.3; handling 6 12 8 4 8 12 20 15 5 -> 10.0, median 8,
#   p90 at 7.2: 15 + 0.2*5 = 16; instant 6 12 8 4 8 12 5 -> 7.86, median 8, p90 at 5.4: 12,
#   within 5/7; green waits 1 10 22 -> 11, normal 63/7 = 9; ratings 5 4 5 3 2 5 4 -> 4.0, 5/7.
# Day 2: waits 1 1 7 10 14 16 1 4 -> 6.75, sorted 1 1 1 4 7 10 14 16, median 5.5,
#   p90 at 6.3: 14.6; handling 12 6 9 10 25 7 12 -> 11.57, sorted 6 7 9 10 12 12 25,
#   median 10, p90 at 5.4: 12 + 0.4*13 = 17.2; instant 12 6 9 10 7 12 -> 9.33, median 9.5,
#   p90 at 4.5: 12, within 4/6; green 1 1 -> 1, normal 52/6 = 8.67; ratings 5 5 1 4 -> 3.75.
BY_DAY = {
    "2024-03-04": dict(issued=12, called=10, served=9, no_show=1, expired=2, transferred=1,
                       wait_mean_min=9.6, wait_median_min=7.5, wait_p90_min=22.3, wait_max_min=25,
                       handling_n=9, handling_mean_min=10, handling_median_min=8,
                       handling_p90_min=16, instant_n=7, instant_mean_min=7.86,
                       instant_median_min=8, instant_p90_min=12, instant_within=5,
                       instant_within_pct=71.4, green=3, green_pct=25, green_wait_mean_min=11,
                       normal_wait_mean_min=9, rated=7, rating_mean=4, satisfied_pct=71.4,
                       ratings_1_to_5=[0, 1, 1, 2, 3], extended=0),
    "2024-03-05": dict(issued=8, called=8, served=7, no_show=1, expired=0, transferred=0,
                       wait_mean_min=6.75, wait_median_min=5.5, wait_p90_min=14.6, wait_max_min=16,
                       handling_n=7, handling_mean_min=11.57, handling_median_min=10,
                       handling_p90_min=17.2, instant_n=6, instant_mean_min=9.33,
                       instant_median_min=9.5, instant_p90_min=12, instant_within=4,
                       instant_within_pct=66.7, green=2, green_pct=25, green_wait_mean_min=1,
                       normal_wait_mean_min=8.67, rated=4, rating_mean=3.75, satisfied_pct=75,
                       ratings_1_to_5=[1, 0, 0, 1, 2], extended=2),
}

# By window: 1 = tickets 1 4 5 13 16 19 20, 2 = 2 7 9 14 15 17 18, 3 = 3 6 8 10, none = 11 12.
#   1: waits 2 7 10 1 10 1 4 -> 5.0, median 4; handling 6 4 8 12 10 7 12 -> 8.43, all instant,
#      5 within 10.  2: waits 4 11 22 1 7 14 16 -> 10.71; handling 12 12 15 6 9 25 -> 13.17;
#      instant 12 12 6 9 -> 9.75, 2 within.  3: waits 1 8 6 25 -> 10; handling 8 20 5 -> 11;
#      instant 8 5 -> 6.5.
BY_COUNTER = [
    ("1", dict(issued=7, served=7, no_show=0, wait_mean_min=5, wait_median_min=4,
               handling_mean_min=8.43, instant_n=7, instant_mean_min=8.43, instant_within=5)),
    ("2", dict(issued=7, served=6, no_show=1, wait_mean_min=10.71, handling_mean_min=13.17,
               instant_n=4, instant_mean_min=9.75, instant_within=2, instant_within_pct=50)),
    ("3", dict(issued=4, served=3, no_show=1, wait_mean_min=10, handling_mean_min=11,
               instant_n=2, instant_mean_min=6.5, instant_within_pct=100)),
    (None, dict(issued=2, called=0, expired=2, wait_mean_min=None, handling_n=0)),
]

# Hour 10: tickets 19 (wait 1, handling 7, green, rated 4) and 20 (wait 4, handling 12):
#   waits mean 2.5, p90 at 0.9: 1 + 0.9*3 = 3.7; handling p90 7 + 0.9*5 = 11.5.
BY_HOUR_10 = dict(issued=2, wait_mean_min=2.5, wait_median_min=2.5, wait_p90_min=3.7,
                  wait_max_min=4, handling_mean_min=9.5, handling_p90_min=11.5,
                  instant_within=1, instant_within_pct=50, green=1, green_wait_mean_min=1,
                  normal_wait_mean_min=4, rated=1, rating_mean=4, extended=1)


def compare(group, expected, what):
    for k, v in expected.items():
        got = group.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and got is not None:
            check(isinstance(got, (int, float)) and abs(got - v) < 1e-9,
                  "%s %s: expected %r, got %r" % (what, k, v, got))
        else:
            eq(got, v, "%s %s" % (what, k))


def test(argv):
    hallqd, hallqctl = argv
    work, data = fixture_work(hallqd)

    # CSV by queue, English headers: every cell as worked out above.
    _, out, _ = run(hallqctl, "export", "--by", "queue", "--lang", "en", data=data)
    check(out.endswith(b"\r\n") and b"\r\n" in out, "CSV rows end in CRLF")
    check(not out.startswith(b"\xef\xbb\xbf"), "no byte order mark unless --bom")
    text = out.decode("utf-8").replace("\r\n", "\n")
    lines = text.splitlines()
    eq(lines[0], ",".join(["queue"] + COLUMNS[1:]), "CSV header")
    eq("\n".join(lines[1:]) + "\n", BY_QUEUE, "CSV by queue")

    # The same numbers in JSON, by day, and the total.
    _, out, _ = run(hallqctl, "export", "--by", "day", "--format", "json", data=data)
    doc = json_doc(out)
    eq(doc["by"], "day", "JSON by")
    eq(doc["target_min"], 10, "JSON target")
    eq((doc["from"], doc["to"]), ("2024-03-04", "2024-03-05"), "JSON period")
    eq([g["key"] for g in doc["groups"]], ["2024-03-04", "2024-03-05"], "JSON day keys")
    for g in doc["groups"]:
        compare(g, BY_DAY[g["key"]], "day " + g["key"])
    total = dict(zip(COLUMNS, BY_QUEUE.splitlines()[-1].split(",")))
    for k, v in total.items():
        if k in ("key", "name"):
            continue
        got = doc["total"][k]
        if v == "":
            eq(got, None, "total " + k)
        else:
            check(got is not None and abs(got - float(v)) < 1e-9,
                  "total %s: expected %s, got %r" % (k, v, got))
    eq(doc["total"]["ratings_1_to_5"], [1, 1, 1, 3, 5], "total ratings per level")

    _, out, _ = run(hallqctl, "export", "--by", "counter", "--json", data=data)
    groups = json_doc(out)["groups"]
    eq([g["key"] for g in groups], [k for k, _ in BY_COUNTER], "window keys (none last)")
    for g, (key, expected) in zip(groups, BY_COUNTER):
        compare(g, expected, "window %s" % key)

    _, out, _ = run(hallqctl, "export", "--by", "hour", "--json", data=data)
    groups = {g["key"]: g for g in json_doc(out)["groups"]}
    eq(sorted(groups), ["09", "10"], "hours")
    eq(groups["09"]["issued"], 18, "hour 09 issued")
    compare(groups["10"], BY_HOUR_10, "hour 10")

    _, out, _ = run(hallqctl, "export", "--by", "clerk", "--lang", "en", data=data)
    rows = csv_rows(out)
    eq([r["clerk"] for r in rows], ["li", "wang", "zhang", "zhao", "no clerk", "total"],
       "clerks by name, the tickets without one labelled")
    eq([r["issued"] for r in rows], ["7", "3", "4", "4", "2", "20"], "issued per clerk")

    _, out, _ = run(hallqctl, "export", "--by", "lane", "--lang", "en", data=data)
    rows = {r["lane"]: r for r in csv_rows(out)}
    eq((rows["green"]["issued"], rows["green"]["wait_mean_min"]), ("5", "7.00"), "green lane")
    eq((rows["normal"]["issued"], rows["normal"]["wait_mean_min"]), ("15", "8.85"), "normal")

    _, out, _ = run(hallqctl, "export", "--by", "service", "--lang", "en", data=data)
    rows = {r["service"]: r for r in csv_rows(out)}
    eq(rows["1"]["name"], "单位参保登记", "service name from the catalog")
    eq((rows["1"]["issued"], rows["1"]["handling_mean_min"]), ("3", "10.00"), "service 1")
    eq(rows["no service chosen"]["issued"], "1", "tickets without a service")

    # A date range: only the second day.
    _, out, _ = run(hallqctl, "export", "--from", "2024-03-05", "--to", "2024-03-05",
                    "--by", "all", "--lang", "en", data=data)
    rows = csv_rows(out)
    eq(len(rows), 1, "--by all: the total only")
    eq((rows[0]["scope"], rows[0]["issued"], rows[0]["wait_mean_min"]), ("total", "8", "6.75"),
       "second day only")
    _, out, _ = run(hallqctl, "export", "--from", "2025-01-01", "--lang", "en", data=data)
    eq(csv_rows(out), [], "a period without tickets")

    # Chinese headers by default; the byte order mark makes spreadsheets read UTF-8.
    _, out, _ = run(hallqctl, "export", "--bom", data=data)
    check(out.startswith(b"\xef\xbb\xbf" + "日期,取号,已叫号,办结".encode()), "BOM and Chinese header")
    eq(out.decode("utf-8-sig").splitlines()[-1].split(",")[:3], ["合计", "20", "18"], "total row")

    _, out, _ = run(hallqctl, "export", "--by", "lane", data=data)
    eq([l.split(",")[0] for l in out.decode().splitlines()], ["类别", "普通", "绿色通道", "合计"],
       "lanes in Chinese")
    _, out, _ = run(hallqctl, "export", "--by", "weekday", data=data)
    eq([l.split(",")[:2] for l in out.decode().splitlines()],
       [["星期", "取号"], ["周一", "12"], ["周二", "8"], ["合计", "20"]], "weekdays in Chinese")

    # GBK for older spreadsheet programs: the same text, converted.
    _, utf8, _ = run(hallqctl, "export", "--by", "queue", data=data)
    out_path = os.path.join(work, "gbk.csv")
    run(hallqctl, "export", "--by", "queue", "--encoding", "gbk", "--out", out_path, data=data)
    raw = open(out_path, "rb").read()
    check("取号".encode("gbk") in raw and "取号".encode("utf-8") not in raw, "GBK bytes")
    eq(raw.decode("gbk"), utf8.decode("utf-8"), "GBK export = UTF-8 export, converted")
    conv = subprocess.run(["iconv", "-f", "GBK", "-t", "UTF-8", out_path], capture_output=True)
    eq(conv.stdout, utf8, "iconv reads the GBK file back")

    # One row per ticket.
    _, out, _ = run(hallqctl, "export", "--records", "--lang", "en", data=data)
    rows = csv_rows(out)
    eq(len(rows), 20, "records")
    rec = {(r["day"], r["label"]): r for r in rows}
    a002 = rec[("2024-03-04", "A002")]
    eq((a002["issued"], a002["called"], a002["started"], a002["finished"]),
       ("2024-03-04 09:01:00", "2024-03-04 09:05:00", "", "2024-03-04 09:17:00"), "A002 times")
    eq((a002["wait_min"], a002["handling_min"], a002["instant"], a002["clerk"]),
       ("4.00", "12.00", "1", "li"), "A002 figures (handling from the call)")
    b002 = rec[("2024-03-04", "B002")]
    eq((b002["park_min"], b002["handling_min"], b002["lane"], b002["age_band"]),
       ("10.00", "8.00", "green", "70-79"), "B002 parked")
    d001 = rec[("2024-03-04", "D001")]
    eq((d001["queue"], d001["prefix"], d001["transfers"]), ("A", "D", "1"), "D001 transferred")
    eq((rec[("2024-03-04", "G001")]["state"], rec[("2024-03-04", "G001")]["wait_min"]),
       ("expired", ""), "G001 never called")
    eq(rec[("2024-03-04", "E001")]["instant"], "0", "E001 is not an instant item")
    _, out, _ = run(hallqctl, "export", "--records", "--to", "2024-03-04", data=data)
    rows = csv_rows(out)
    eq(len(rows), 12, "records of the first day")
    eq([(r["票号"], r["状态"], r["类别"]) for r in rows if r["票号"] in ("A002", "B002", "C001", "G001")],
       [("A002", "已办结", "普通"), ("B002", "已办结", "绿色通道"), ("C001", "过号", "普通"),
        ("G001", "过期未办", "普通")], "records in Chinese")
    _, out, _ = run(hallqctl, "export", "--records", "--from", "2024-03-05", "--json", data=data)
    doc = json_doc(out)
    eq(len(doc["records"]), 8, "JSON records of the second day")
    eq(doc["total"]["issued"], 8, "JSON total with records")
    c001 = [r for r in doc["records"] if r["label"] == "C001"][0]
    eq((c001["handling_min"], c001["wait_min"], c001["rating"]), (10, 10, 1), "C001 record")


main(test)
