#!/usr/bin/env bash
# hallq against the floors of ZeroMQ and SQLite, measured in one run on this machine.
#
# usage: bench/run.sh BUILD_DIR [--quick] [--out FILE] [--no-history] [--no-stats]
#                     [--flood-seconds S] [--city [--city-halls N] [--city-days D]]
#                     [hallq-bench options...]
#
# Prints the table (stdout) and writes the JSON to bench/results/latest.json (or --out). Ends
# with bench/flood.sh: a flooding kiosk key beside calm kiosks ("flood" in the JSON), and with
# --city, bench/city.sh: a city of halls shipped to a throwaway PostgreSQL ("city"; minutes).
# A year of history for the cold start is generated once by bench/genhistory.py and kept in
# BUILD_DIR/bench-cache; the statistics figure comes from bench/stats_bench.sh when present.
# Everything else happens in a scratch directory under ${TMPDIR:-/tmp}, removed at the end:
# the daemons' data and the SQLite floor's database share it, so they share the disk.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '4,6p' "$0" | sed 's/^# //' >&2; exit 2; }
[ $# -ge 1 ] || usage
case $1 in -h|--help) usage ;; esac
build=$(cd "$1" && pwd) || usage
shift
bench=$build/bin/hallq-bench
hallqd=$build/bin/hallqd
for f in "$bench" "$hallqd"; do
    [ -x "$f" ] || { echo "run.sh: $f is missing: cmake --build $build" >&2; exit 2; }
done

quick=0 history=1 stats=1 out=$here/results/latest.json flood_s= city=0 city_args=()
pass=()
while [ $# -gt 0 ]; do
    case $1 in
        --quick) quick=1; pass+=("$1") ;;
        --out) out=${2:?--out FILE}; shift ;;
        --no-history) history=0 ;;
        --no-stats) stats=0 ;;
        --flood-seconds) flood_s=${2:?--flood-seconds S}; shift ;;
        --city) city=1 ;;
        --city-halls) city_args+=(--halls "${2:?--city-halls N}"); shift ;;
        --city-days) city_args+=(--days "${2:?--city-days D}"); shift ;;
        *) pass+=("$1") ;;
    esac
    shift
done

# The run bounds itself (fixed sample counts, phase caps); this is the guard against a hang.
limit=300
[ $quick = 1 ] && limit=60
work=$(mktemp -d "${TMPDIR:-/tmp}/hallq-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$(dirname "$out")"
python=/usr/bin/python3
[ -x $python ] || python=python3
args=(--hallqd "$hallqd" --work "$work/run" --out "$out")

# ---- a year of history: several million tickets (a city hall's year), generated once ----
# HALLQ_BENCH_PER_DAY sets the mean tickets per business day (260 of them in a year).
per_day=${HALLQ_BENCH_PER_DAY:-12000}
if [ $history = 1 ] && [ -f "$here/genhistory.py" ]; then
    cache=$build/bench-cache/year-$per_day
    # The generator and the schema hallqd creates (a newer schema would be migrated inside
    # the cold start being measured).
    stamp=$( (cat "$here/genhistory.py"; grep "define STORE_SCHEMA" "$here/../lib/hallq/hq_db.h") |
        sha1sum | cut -c1-12)
    # Regenerate when the generator changed or the history is over a week old (it should end
    # about today, as a hall's history does when the daemon starts in the morning).
    if [ ! -f "$cache/hallq.db" ] || [ "$(cat "$cache/stamp" 2>/dev/null)" != "$stamp" ] ||
        [ -n "$(find "$cache/hallq.db" -mtime +7 2>/dev/null)" ]; then
        if [ $quick = 1 ]; then
            echo "run.sh: no year of history cached yet; a run without --quick makes it" >&2
        else
            echo "run.sh: generating a year of history ($per_day tickets a day), once..." >&2
            rm -rf "$cache" "$cache.new"
            mkdir -p "$(dirname "$cache")"
            t0=$(date +%s)
            $python "$here/genhistory.py" --data "$cache.new" --hallqd "$hallqd" \
                --from "$(date -d '365 days ago' +%F)" --days 365 --per-day "$per_day" --seed 1
            # What the daemon does at every midnight (hall_rollover): tickets of a past day
            # still open expire. Done here once, so every cold start finds the history as a
            # daemon that ran all year would have left it.
            $python - "$cache.new/hallq.db" <<'PY'
import datetime, sqlite3, sys, zoneinfo
today = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Shanghai")).date().isoformat()
con = sqlite3.connect(sys.argv[1])
n = con.execute("UPDATE tickets SET state = 'expired' WHERE day < ? AND state IN"
                " ('waiting', 'called', 'parked', 'no_show')", (today,)).rowcount
con.commit()
con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
con.close()
print("run.sh: %d tickets still open on their past day expired, as the daemon does" % n,
      file=sys.stderr)
PY
            echo "$stamp" > "$cache.new/stamp"
            rm -f "$cache.new/hallqd.lock"
            mv "$cache.new" "$cache"
            echo "run.sh: history generated in $(( $(date +%s) - t0 )) s: $cache" >&2
        fi
    fi
    [ -f "$cache/hallq.db" ] && [ -f "$cache/stamp" ] && args+=(--history "$cache")
fi

# ---- statistics export of a year: bench/stats_bench.sh, when it exists ----
if [ $stats = 0 ]; then
    args+=(--stats-note "not measured (--no-stats)")
elif [ ! -f "$here/stats_bench.sh" ]; then
    args+=(--stats-note "not yet available (bench/stats_bench.sh)")
elif [ $quick = 1 ]; then
    args+=(--stats-note "not measured with --quick (bench/stats_bench.sh takes minutes)")
elif [ -z "${cache:-}" ] || [ ! -f "$cache/hallq.db" ]; then
    args+=(--stats-note "not measured: no year of history")
else
    # Run by hallq-bench after its own measurements, which its queries would disturb.
    printf -v stats_cmd 'bash %q %q %q' "$here/stats_bench.sh" "$build" "$cache"
    args+=(--stats-cmd "$stats_cmd")
    limit=$(( limit + 180 ))
fi

ulimit -n 8192 2>/dev/null || true
timeout --kill-after=10 "$limit" "$bench" "${args[@]}" "${pass[@]}"

# ---- a flooding kiosk key beside calm kiosks: bench/flood.sh, its own daemon with keys ----
# Last, on a quiet machine: its figure is a tail latency. Its JSON joins the run's as "flood".
# S seconds alone and S beside the flood, in rounds of 3 s.
[ -n "$flood_s" ] || { flood_s=30; [ $quick = 1 ] && flood_s=6; }
timeout --kill-after=10 $((2 * flood_s + 60)) bash "$here/flood.sh" "$build" "$flood_s" \
    "$work/flood.json"
$python - "$out" "$work/flood.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
run["flood"] = json.load(open(sys.argv[2]))
json.dump(run, open(sys.argv[1], "w"), indent=2)
PY

# ---- a city of halls in a throwaway PostgreSQL: bench/city.sh, only when asked ----
# Last: it takes minutes (the first time also minutes to synthesise the city). Its JSON joins
# the run's as "city".
if [ $city = 1 ]; then
    bash "$here/city.sh" "$build" "${city_args[@]}" --out "$work/city.json"
    $python - "$out" "$work/city.json" <<'PY'
import json, sys
run = json.load(open(sys.argv[1]))
run["city"] = json.load(open(sys.argv[2]))
json.dump(run, open(sys.argv[1], "w"), indent=2)
PY
fi
