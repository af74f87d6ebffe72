#!/usr/bin/python3
"""stats_bookings_fixture: `hallqctl stats bookings` on the appointments of fixture.sql against
figures worked out by hand (below), by day, queue and service, in CSV (both languages) and
JSON.

usage: test_bookings.py HALLQD HALLQCTL"""
import sys

sys.dont_write_bytecode = True  # keep the source tree clean of __pycache__

from statslib import check, csv_rows, eq, fixture_work, json_doc, main, run

# Waits from slot start (minutes) of the checked-in appointments that were called:
#   day 1: A001 09:02 - 09:00 = 2, B001 09:09 - 09:00 = 9 -> mean 5.50, both within 10: 100.0
#   day 2: A001 1, A002 3, D001 10:01 - 10:00 = 1, F001 20 -> 25/4 = 6.25, 3 of 4 within: 75.0
#   all: 2 9 1 3 1 20 = 36/6 = 6.00, 5 of 6 = 83.3
# Counts: day 1 booked 5 = 2 checked in + 1 late + 1 no-show + 1 cancelled;
#         day 2 booked 6 = 4 checked in + 1 no-show + 1 still waiting.
BY_DAY = """\
day,booked,checked_in,late,no_show,cancelled,waiting,called,wait_from_slot_mean_min,called_within_10_pct
2024-03-04,5,2,1,1,1,0,2,5.50,100.0
2024-03-05,6,4,0,1,0,1,4,6.25,75.0
total,11,6,1,2,1,1,6,6.00,83.3
"""
# By queue: A = bookings 1 (2 min) 4 5 6 (1) 7 (3) 11 -> 6 booked, 3 checked in, waits 6/3 = 2;
#   B = 2 (9) 10; C = 3 (late); D = 8 (1); F = 9 (20, not within 10 minutes).
BY_QUEUE = """\
队列,预约数,按时签到,迟到改现场号,爽约,取消,待签到,已叫号,自预约时段起平均等候(分钟),时段开始10分钟内叫号率(%)
A,6,3,0,1,1,1,3,2.00,100.0
B,2,1,0,1,0,0,1,9.00,100.0
C,1,0,1,0,0,0,0,,
D,1,1,0,0,0,0,1,1.00,100.0
F,1,1,0,0,0,0,1,20.00,0.0
合计,11,6,1,2,1,1,6,6.00,83.3
"""
# By service (the catalog item each booking named; the two no-shows and the waiting one named
#   none): 1 = bookings 1 (2 min) 5 (cancelled) 6 (1 min) -> 3 booked, 2 checked in, 1.50;
#   4 = 7 (3); 6 = 2 (9); 10 = 3 (late); 13 = 8 (1); 16 = 9 (20, not within 10 minutes).
BY_SERVICE = """\
事项编号,事项,预约数,按时签到,迟到改现场号,爽约,取消,待签到,已叫号,自预约时段起平均等候(分钟),时段开始10分钟内叫号率(%)
1,单位参保登记,3,2,0,0,1,0,2,1.50,100.0
4,职工参保信息变更登记,1,1,0,0,0,0,1,3.00,100.0
6,参保单位参保信息查询,1,1,0,0,0,0,1,9.00,100.0
10,异地长期居住人员备案,1,0,1,0,0,0,0,,
13,门诊慢特病病种待遇认定,1,1,0,0,0,0,1,1.00,100.0
16,产前检查费支付,1,1,0,0,0,0,1,20.00,0.0
,未选事项,3,0,0,2,0,1,0,,
合计,,11,6,1,2,1,1,6,6.00,83.3
"""


def test(argv):
    hallqd, hallqctl = argv
    work, data = fixture_work(hallqd)

    _, out, _ = run(hallqctl, "bookings", "--by", "day", "--lang", "en", data=data)
    eq(out.decode("utf-8").replace("\r\n", "\n"), BY_DAY, "bookings by day (CSV, English)")

    _, out, _ = run(hallqctl, "bookings", "--by", "queue", data=data)
    eq(out.decode("utf-8").replace("\r\n", "\n"), BY_QUEUE, "bookings by queue (CSV, Chinese)")

    _, out, _ = run(hallqctl, "bookings", "--by", "service", data=data)
    eq(out.decode("utf-8").replace("\r\n", "\n"), BY_SERVICE, "bookings by service (CSV, Chinese)")

    # The same figures in JSON; a figure nothing was measured for is null, never 0.
    _, out, _ = run(hallqctl, "bookings", "--by", "queue", "--format", "json", data=data)
    doc = json_doc(out)
    eq([g["key"] for g in doc["groups"]], ["A", "B", "C", "D", "F"], "JSON queue keys")
    c = doc["groups"][2]
    eq((c["late"], c["wait_from_slot_mean_min"], c["called_within_10_pct"]), (1, None, None),
       "queue C: late only, nothing measured")
    eq((doc["total"]["booked"], doc["total"]["wait_from_slot_mean_min"],
        doc["total"]["called_within_10_pct"]), (11, 6.0, 83.3), "JSON total")

    # A period: day 2 only.
    _, out, _ = run(hallqctl, "bookings", "--from", "2024-03-05", "--lang", "en", data=data)
    rows = csv_rows(out)
    eq([r["day"] for r in rows], ["2024-03-05", "total"], "--from keeps day 2")
    eq(rows[1]["booked"], "6", "day 2 total")

    # Other groupings are refused in one line.
    rc, _, err = run(hallqctl, "bookings", "--by", "counter", data=data, ok=False)
    check(rc == 2 and "--by queue or --by service" in err, "--by counter refused: %d %s" % (rc, err))


if __name__ == "__main__":
    main(test)
