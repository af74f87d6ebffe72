#!/usr/bin/env bash
# bench_smoke: the whole benchmark with tiny sample counts (every phase, every helper), then
# checks that the JSON is there, well-formed and complete. The figures themselves are not
# judged: a test machine is too noisy for that, and bench/run.sh exists to measure.
# usage: smoke.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: smoke.sh BUILD_DIR}
here=$(cd "$(dirname "$0")" && pwd)
out=$build/bench/smoke.json
rm -f "$out"
"$here/run.sh" "$build" --quick --no-history --no-stats --out "$out" \
    --samples 24 --fanout-samples 8 --displays 3 --per-process 2 --rounds 2 --seconds 0.3 \
    --kiosks 1,3 --flood-seconds 3
python=/usr/bin/python3
[ -x $python ] || python=python3
$python - "$out" <<'PY'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    d = json.load(f)
for key in ("schema", "version", "run", "sizes", "floors", "hallq", "estimates", "targets",
            "errors"):
    assert key in d, "missing " + key
assert not d["errors"], "phases failed: %r" % d["errors"]
for name in ("rtt", "pub_1", "pub_n", "sqlite_commit"):
    assert d["floors"][name]["n"] > 0 and d["floors"][name]["p50_us"] > 0, name
for name in ("issue", "call_display_1", "call_display_n"):
    assert d["hallq"][name]["n"] > 0, name
assert [l["kiosks"] for l in d["hallq"]["throughput"]] == [1, 3]
assert all(l["durable"] for l in d["hallq"]["throughput"]), "a reply came before its commit"
assert all(l["replies"] > 0 and l["errors"] == 0 for l in d["hallq"]["throughput"]), \
    "throughput: %r" % d["hallq"]["throughput"]
# The composite floors: a raw request with its commit inside, and the raw group commit with as
# many clients as each throughput level, every reply after its row was durable.
assert d["floors"]["request_commit"]["n"] > 0, "raw request with its commit"
g = d["floors"]["group_commit"]
assert [x["clients"] for x in g] == [1, 3], g
assert all(x["replies"] > 0 and x["durable"] for x in g), "raw group commit: %r" % g
assert d["hallq"]["busy_day"]["rss_kb"] > 0
assert all("met" in t for t in d["targets"])
assert [e["scenario"] for e in d["estimates"]] == ["mmc_0.6", "mmc_0.8", "mmc_0.9", "morning",
                                                   "burst"], "wait estimates: %r" % d["estimates"]
for e in d["estimates"]:
    assert e["tickets"] > 0 and e["days"] > 0, e["scenario"]
    for p in ("hallq", "oracle", "queue_length", "les", "les_lane"):
        assert all(k in e["predictors"][p] for k in ("mae_min", "bias_min", "within_5min")), p
    assert isinstance(e["met"], bool)
assert sum(t["name"].startswith("estimate_") for t in d["targets"]) == 5
f = d["flood"]
assert f["alone_n"] > 0 and f["flood_n"] > 0 and f["flood_sent"] > 0, "flood: %r" % f
assert isinstance(f["target_met"], bool) and f["p99_ratio"] > 0
print("ok - benchmark JSON well-formed: %d targets, %d of them measured"
      % (len(d["targets"]), sum(t["met"] is not None for t in d["targets"])))
PY
