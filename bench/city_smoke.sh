#!/usr/bin/env bash
# bench_city_smoke: bench/city.sh on a tiny city (2 halls x 3 days, a day offline), then checks
# that its JSON is there, well-formed and complete, that every event arrived once (city.sh
# fails otherwise) and that the monthly report from the roll-ups equals the one from the raw
# events. The figures themselves are not judged: bench/city.sh exists to measure.
# usage: city_smoke.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: city_smoke.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench/city-smoke.json
rm -f "$out"
"$here/city.sh" "$build" --halls 2 --days 3 --catch-up-days 1 --out "$out"
python=/usr/bin/python3
[ -x $python ] || python=python3
$python - "$out" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
for key in ("date", "halls", "days", "load", "ingest", "catch_up", "report", "size"):
    assert key in d, "missing " + key
assert d["halls"] == 2 and d["days"] == 3
i = d["ingest"]
assert i["events"] > 0 and i["events_per_s"] > 0 and i["floor_copy_events_per_s"] > 0, i
assert i["bare_copy_events_per_s"] > 0 and i["ratio"] > 0 and isinstance(i["met"], bool), i
c = d["catch_up"]
assert c["events"] > 0 and c["ms"] >= 0 and isinstance(c["met"], bool), c
r = d["report"]
assert r["halls"] == 2 and len(r["rows"]) == 2, r
assert r["agree"], "the roll-ups' monthly report differs from the raw events'"
assert not r["hallqctl_error"], "hallqctl stats report --central: %s" % r["hallqctl_error"]
s = d["size"]
assert s["events"] == i["events"] + c["events"], (s, i, c)
assert s["partitions"] >= 1 and s["database_bytes"] > 0 and s["bytes_per_event"] > 0, s
print("ok - city smoke: %d events, %d tickets, %d partition(s)"
      % (s["events"], s["tickets"], s["partitions"]))
PY
