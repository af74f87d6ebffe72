#!/usr/bin/python3
"""Compares the city's statistics from the central store with each hall's own, cell by cell.

usage: same_stats.py WORK HALL:LEVEL:PARENT ...

WORK holds, for each hall H and grouping BY, own_H_BY.json (hallqctl stats export --data) and
city_H_BY.json (--central --hall H), own_H_records.json and city_H_records.json (--records),
city_hall/level/parent.json and the
city report city.html. Prints the number of cells compared, or every difference (one line
each, naming the hall and grouping) and exits 1."""
import html
import json
import re
import sys

work, specs = sys.argv[1], sys.argv[2:]
halls = {}
for s in specs:
    hid, level, parent = s.split(":")
    halls[hid] = (level, parent or hid)
BYS = "all day hour weekday queue counter clerk service lane".split()
COUNTS = ["issued", "called", "served", "no_show", "expired", "transferred", "handling_n",
          "instant_n", "instant_within", "green", "rated", "extended"]
diffs = []
cells = 0


def load(name):
    with open(f"{work}/{name}.json", encoding="utf-8") as f:
        return json.load(f)


def leaves(where, own, city):
    """Compares two JSON values leaf by leaf; returns how many leaves."""
    if isinstance(own, dict) and isinstance(city, dict):
        n = 0
        for k in sorted(set(own) | set(city)):
            if k not in own or k not in city:
                diffs.append(f"{where}: {k} only in {'own' if k in own else 'city'}")
                continue
            n += leaves(f"{where}.{k}", own[k], city[k])
        return n
    if isinstance(own, list) and isinstance(city, list):
        if len(own) != len(city):
            diffs.append(f"{where}: {len(own)} own rows, {len(city)} in the city's")
        return sum(leaves(f"{where}[{i}]", a, b) for i, (a, b) in enumerate(zip(own, city)))
    if own != city:
        diffs.append(f"{where}: own {own!r}, city {city!r}")
    return 1


totals = {}
for h in halls:
    for by in BYS:
        own, city = load(f"own_{h}_{by}"), load(f"city_{h}_{by}")
        if not own["groups"]:
            diffs.append(f"{h} by {by}: the hall has no groups (nothing played?)")
        cells += leaves(f"{h} by {by}", own, city)
    totals[h] = load(f"own_{h}_all")["total"]
    # Ticket by ticket, every field, the call's reason among them.
    own, city = load(f"own_{h}_records"), load(f"city_{h}_records")
    reasons = sum(1 for r in own["records"] if r.get("reason_code"))
    if not reasons:
        diffs.append(f"{h} records: no ticket was called for a reason (nothing to compare)")
    cells += leaves(f"{h} records", own, city)

# Grouped by hall: each row is the hall's own total.
rows = {g["key"]: g for g in load("city_hall")["groups"]}
if sorted(rows) != sorted(halls):
    diffs.append(f"by hall: halls {sorted(rows)}, expected {sorted(halls)}")
for h in halls:
    row = {k: v for k, v in rows.get(h, {}).items() if k not in ("key", "name")}
    own = {k: v for k, v in totals[h].items() if k != "key"}
    cells += leaves(f"by hall {h}", own, row)
# By level and by town: the counts are the sums of their halls'.
for by, key_of in (("level", lambda h: halls[h][0]), ("parent", lambda h: halls[h][1])):
    rows = {g["key"]: g for g in load(f"city_{by}")["groups"]}
    for key in sorted(set(map(key_of, halls))):
        for c in COUNTS:
            want = sum(totals[h][c] for h in halls if key_of(h) == key)
            got = rows.get(key, {}).get(c)
            cells += 1
            if got != want:
                diffs.append(f"by {by} {key}: {c} {got}, the halls' own sum {want}")

# The report: the ranking's rows, in order, against the halls' own figures.
page = open(f"{work}/city.html", encoding="utf-8").read()
ranked = []
for hid, body in re.findall(r'<tr data-hall="([^"]+)">(.*?)</tr>', page):
    ranked.append(hid)
    td = [html.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", body)]
    t = totals[hid]
    recs = load(f"own_{hid}_records")["records"]
    called = [r for r in recs if r["called_ms"] is not None]
    within = sum(1 for r in called if r["called_ms"] - r["issued_ms"] <= 600000)

    def num(text):
        return None if text == "—" else float(text.rstrip("%").replace(",", ""))

    want = [("issued", 4, t["issued"], 0), ("instant_n", 5, t["instant_n"], 0),
            ("instant mean", 6, t["instant_mean_min"], 0.051),
            ("instant within", 7, t["instant_within_pct"], 0.051),
            ("wait mean", 9, t["wait_mean_min"], 0.051), ("wait p90", 10, t["wait_p90_min"], 0.051),
            ("called within 10 min", 11, round(100 * within / len(called), 1) if called else None, 0.051),
            ("green share", 12, t["green_pct"], 0.051),
            ("green wait", 13, t["green_wait_mean_min"], 0.051),
            ("rating", 14, t["rating_mean"], 0.0051), ("satisfied", 15, t["satisfied_pct"], 0.051)]
    for name, col, value, tol in want:
        got = num(td[col])
        cells += 1
        if (got is None) != (value is None) or (got is not None and abs(got - value) > tol):
            diffs.append(f"report {hid}: {name} {td[col]}, the hall's own {value}")
    if f'id="hall-{hid}"' not in page or f'href="#hall-{hid}"' not in page:
        diffs.append(f"report {hid}: no link to its section")


# The export rounds minutes to 0.01: two figures that close (or a mean that close to its
# target) may be ordered either way by the exact ones the report ranks on.
TOL = 0.0051


def rank_facts(h):
    t = totals[h]
    target = load(f"own_{h}_all")["target_min"]
    if not t["instant_n"]:
        classes = {2}
    elif abs(t["instant_mean_min"] - target) <= TOL:
        classes = {0, 1}
    else:
        classes = {0 if t["instant_mean_min"] <= target else 1}
    wait = t["wait_mean_min"] if t["wait_mean_min"] is not None else float("inf")
    return classes, t["instant_mean_min"], wait


def clearly_before(x, y):
    """Whether the halls' own figures put x before y whatever the rounding hides."""
    (cxs, mx, wx), (cys, my, wy) = rank_facts(x), rank_facts(y)
    for cx in cxs:
        for cy in cys:
            if cx != cy:
                before = cx < cy
            elif cx < 2 and abs(mx - my) > TOL:
                before = mx < my
            elif cx < 2:
                return False  # equal to the rounding: either order
            elif abs(wx - wy) > TOL:
                before = wx < wy
            else:
                return False
            if not before:
                return False
    return True


cells += len(ranked)
if sorted(ranked) != sorted(halls):
    diffs.append(f"report ranking {ranked}, halls {sorted(halls)}")
for i, early in enumerate(ranked):
    for late in ranked[i + 1:]:
        if clearly_before(late, early):
            diffs.append(f"report ranking {ranked}: {late} ranks after {early}, but the halls' "
                         f"own figures put it first ({rank_facts(late)} against "
                         f"{rank_facts(early)})")
if diffs:
    print("\n".join(diffs[:40]))
    sys.exit(1)
print(f"{cells} cells of {len(halls)} halls equal")
