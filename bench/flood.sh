#!/usr/bin/env bash
# A flooding kiosk key beside calm kiosks that each issue once a second: the calm kiosks' p99
# issue latency beside the flood against their p99 alone, in the same run (bench/flood.py).
# The target: at most 1.5x. Prints its section of the table on stdout, the figures as JSON in
# OUT_JSON. usage: flood.sh BUILD_DIR SECONDS OUT_JSON (FLOOD_PER_S: the flood's rate, 10000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?BUILD_DIR} seconds=${2:?SECONDS} out=${3:?OUT_JSON}
work=$(mktemp -d "${TMPDIR:-/tmp}/hallq-flood.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
calm=
# A hundred calm kiosks, once a second each: a p99 over 30 s rests on 3,000 issues, its 30
# slowest (with twenty, on its 6 slowest, and it moved 1.1-2.2x between quiet runs alone).
for dev in flood $(seq -f 'calm%g' 1 ${FLOOD_CALM_KIOSKS:-100}); do
    "$build/bin/hallqctl" keys new "$dev" --role kiosk --keys "$work/keys" --out "$work/dev" \
        >/dev/null
    [ "$dev" = flood ] || calm=${calm:+$calm,}$work/dev/$dev.key
done
# Once a second is far busier than a person at a kiosk: the kiosks' budget is raised to let the
# calm ones issue (the default, 20 a minute, would refuse them). The flood gets the same.
printf '[limits]\nkiosk = 60/min, burst 10\n' > "$work/hall.conf"
"$build/bin/hallqd" --data "$work/data" --keys "$work/keys" --config "$work/hall.conf" \
    --request 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' 2> "$work/log" &
pid=$!
for _ in $(seq 1 200); do
    grep -q 'listening requests=' "$work/log" && break
    kill -0 "$pid" || { cat "$work/log" >&2; exit 1; }
    sleep 0.05
done
req=$(sed -n 's/.*listening requests=\([^ ]*\).*/\1/p' "$work/log" | head -n1)
[ -n "$req" ] || { echo "flood.sh: hallqd did not start listening" >&2; exit 1; }
/usr/bin/python3 "$here/flood.py" "$req" "$work/keys/server.key" "$work/dev/flood.key" \
    "$calm" "$seconds" "$pid" > "$out"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
met = f["p99_ratio"] <= 1.5
f["target_met"] = met
json.dump(f, open(sys.argv[1], "w"))
print("-" * 112)
print("A FLOODING KIOSK KEY (%d issues/s, its budget 60/min) beside %d calm kiosks, once a second "
      "each" % (f["flood_sent"] / f["seconds_each"], f["calm_kiosks"]))
print("%-50s %10s %12s %7s" % ("", "p50", "p99", "n"))
print("%-50s %7.2f ms %9.2f ms %7d" % ("calm kiosks' issue, no flood", f["alone_p50_ms"],
                                       f["alone_p99_ms"], f["alone_n"]))
print("%-50s %7.2f ms %9.2f ms %7d" % ("calm kiosks' issue, beside the flood", f["flood_p50_ms"],
                                       f["flood_p99_ms"], f["flood_n"]))
print("%-50s %10s %12s %7.2fx  <= 1.5x    %s" % ("p99 beside the flood / p99 alone", "", "",
                                                f["p99_ratio"], "MET" if met else "NOT MET"))
print("  the flood sent %d in %d s and got %d tickets and %d refusals (the rest unanswered); "
      "hallqd's CPU %.0f%% alone, %.0f%% beside it; quiet again within %.1f s of a flood round"
      % (f["flood_sent"], f["seconds_each"], f["flood_issued"], f["flood_refusals"],
         f["daemon_cpu_alone_pct"], f["daemon_cpu_flood_pct"], f["drain_max_s"]))
PY
