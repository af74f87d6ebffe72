#!/usr/bin/env bash
# A whole simulated day at 600x (08:30 to 17:30 in about a minute) through the real daemon,
# and the statistics it leaves checked against what the simulator played, as a manager reads
# them (hallqctl stats export):
#   - arrivals per hour: exactly the simulator's (it counts each ticket in the hour the hall
#     recorded, and sets the next arrival from that time);
#   - finished tickets: exactly the simulator's;
#   - mean handling: within 3 standard errors of the mean of the log-normal times the
#     simulator drew from (sampling error alone: the times are in simulated minutes), and
#     within 0.01 min of the times as the hall recorded them, seen by the simulator;
#   - the simulator's steps reached the hall on its time: the mean handling the hall recorded
#     is the drawn one plus at most 0.25 min of lag (25 ms of real time a finish);
#   - a metric entry every simulated 10 minutes (each at most 60 s of the hall's time late)
#     from the opening to the end of the day;
#   - every ticket of the day 2026-11-23, issued 08:30 to 17:30 in the hall's zone.
. "$(dirname "$0")/lib.sh"
SIM=${3:?hallq-sim}
printf '[limits]\nlocal = unlimited\n[rules]\nsync_full = 0\n' > "$WORK/sim.conf"
start_daemon --config "$WORK/sim.conf" --simulate "2026-11-23 08:29" --speed 600
"$SIM" --endpoint "$HALLQ_ENDPOINT" --seed 7 --lang en --summary "$WORK/summary.json" \
    > "$WORK/sim.out" || fail "sim: $(tail -3 "$WORK/sim.out")"
grep -q "business day 2026-11-23 is over" "$WORK/sim.out" || fail "the day did not end"
stop_daemon
ctl stats export --data "$DATA" --by hour --format json --lang en > "$WORK/hours.json" ||
    fail "export by hour"
ctl stats export --data "$DATA" --by day --format json --lang en > "$WORK/day.json" ||
    fail "export by day"
sql "SELECT ts_ms FROM metrics WHERE scope='hall' ORDER BY id" > "$WORK/metrics"
sql "SELECT day, issued_ms FROM tickets" > "$WORK/tickets"
/usr/bin/python3 - "$WORK" <<'PY' || fail "the day's statistics"
import datetime, json, sys

work = sys.argv[1]
summary = json.load(open(f"{work}/summary.json"))
hours = json.load(open(f"{work}/hours.json"))
day = json.load(open(f"{work}/day.json"))


def rows(export):
    """The groups of an export (not its total), by key."""
    groups = export["groups"] if isinstance(export, dict) else export
    return {str(g["key"]): g for g in groups if g["key"] not in ("total", "合计")}


played = summary["days"]
assert [d["day"] for d in played] == ["2026-11-23"], played
sim_hours = {int(h): n for h, n in played[0]["arrivals_by_hour"].items()}
hall_hours = {int(k): g["issued"] for k, g in rows(hours).items()}
assert hall_hours == sim_hours, (hall_hours, sim_hours)
assert sum(sim_hours.values()) >= 150, sim_hours
assert min(sim_hours) == 8 and max(sim_hours) == 17, sim_hours

(hall_day,) = rows(day).values()
h = summary["handling"]
assert hall_day["issued"] == played[0]["issued"], (hall_day["issued"], played[0])
assert hall_day["handling_n"] == h["finished"], (hall_day["handling_n"], h)
mean = hall_day["handling_mean_min"]
assert abs(mean - h["model_mean_min"]) <= 3 * h["model_se_min"], (mean, h)
assert abs(mean - h["recorded_mean_min"]) <= 0.01, (mean, h)
assert 0 <= h["recorded_mean_min"] - h["mean_min"] <= 0.25, h

metrics = [int(l) for l in open(f"{work}/metrics")]
# The k-th entry at k x 600 s of the hall's time from a common start, each late by no more
# than the daemon's loop was busy (60 s: 0.1 s of real time); the last is the stop's own.
offsets = sorted(t / 1000 - 600 * k for k, t in enumerate(metrics[:-1]))
start = offsets[len(offsets) // 2]
assert len(offsets) >= 50 and all(abs(o - start) <= 60 for o in offsets), offsets
shanghai = datetime.timezone(datetime.timedelta(hours=8))
local = lambda ms: datetime.datetime.fromtimestamp(ms / 1000, shanghai)
# The first comes 10 minutes after the loop starts, which the clock set at 08:29 reaches a few
# hall minutes later when the start is slow (a sanitizer build on a busy machine: 0.3 s of real
# time is 3 minutes of the hall's).
assert local(metrics[0]).strftime("%H:%M") <= "08:45", local(metrics[0])
assert local(metrics[-2]).strftime("%H:%M") >= "17:20", local(metrics[-2])

for line in open(f"{work}/tickets"):
    d, ms = line.strip().split("|")
    t = local(int(ms))
    assert d == "2026-11-23" and "08:30" <= t.strftime("%H:%M") < "17:30", (d, t)
print(f"{sum(sim_hours.values())} arrivals, hours {sorted(sim_hours.items())}; "
      f"{h['finished']} finished, mean {mean:.2f} min (model {h['model_mean_min']:.2f} "
      f"± {h['model_se_min']:.2f}, drawn {h['mean_min']:.3f}, recorded {h['recorded_mean_min']:.3f}, "
      f"lag max {summary['lag_max_s']} s); "
      f"{len(metrics)} metric entries")
PY
pass "a simulated day's statistics: arrivals by hour, finished and mean handling as played"
