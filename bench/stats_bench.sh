#!/usr/bin/env bash
# The statistics of a year of a busy hall: `hallqctl stats export --by day` and
# `hallqctl stats report`, timed against the same per-day aggregate written directly in the
# sqlite3 shell on the same database, and printed as ratios.
#
# usage: bench/stats_bench.sh BUILD_DIR [DATA_DIR]
#   DATA_DIR: an existing history (DATA_DIR/hallq.db, read only). Without it a year is
#   generated once with bench/genhistory.py (minutes) into a cache, $HALLQ_BENCH_CACHE or
#   ~/.cache/hallq/stats-bench, and read from there by later runs of any build, so timings
#   before and after a change read the same tickets; HALLQ_BENCH_PER_DAY sets its mean
#   tickets per business day (default 12000: about 3.3 million in 260 business days).
# The table goes to stderr, one JSON object to stdout (bench/run.sh includes it).
#
# Two sqlite3 floors: counts, means and maxima per day (what SQL does natively), and the
# same with the medians and 90th percentiles of wait, handling and instant handling, by
# window functions (row_number over each day). hallqctl computes both kinds in one scan.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ $# -ge 1 ] || { sed -n '6,11p' "$0" | sed 's/^# //' >&2; exit 2; }
build=$(cd "$1" && pwd)
hallqctl=$build/bin/hallqctl
hallqd=$build/bin/hallqd
for f in "$hallqctl" "$hallqd"; do
    [ -x "$f" ] || { echo "stats_bench.sh: $f is missing: cmake --build $build" >&2; exit 2; }
done
command -v sqlite3 > /dev/null || { echo "stats_bench.sh: the sqlite3 shell is missing" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/hallq-stats-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export LANG=C.UTF-8 LC_ALL=C.UTF-8

gen_s=null
if [ $# -ge 2 ]; then
    data=$(cd "$2" && pwd)
else
    per_day=${HALLQ_BENCH_PER_DAY:-12000}
    # Named after the generator and the schema hallqd creates: a change to either makes a
    # new history.
    stamp=$( (cat "$here/genhistory.py"; grep "define STORE_SCHEMA" "$here/../lib/hallq/hq_db.h") |
        sha1sum | cut -c1-12)
    data=${HALLQ_BENCH_CACHE:-${HOME:-/tmp}/.cache/hallq/stats-bench}/year-$per_day-$stamp
    if [ ! -f "$data/hallq.db" ]; then
        echo "stats_bench.sh: generating a year of history ($per_day tickets a business day)" \
             "into $data, once..." >&2
        rm -rf "$data.partial"
        mkdir -p "$(dirname "$data")"
        t0=$(date +%s%N)
        /usr/bin/python3 "$here/genhistory.py" --data "$data.partial" --hallqd "$hallqd" \
            --from "$(date -d '365 days ago' +%F)" --days 365 --per-day "$per_day" --seed 1 >&2
        gen_s=$(( ($(date +%s%N) - t0) / 1000000000 ))
        mv "$data.partial" "$data"
    fi
fi
db=$data/hallq.db
[ -f "$db" ] || { echo "stats_bench.sh: no $db" >&2; exit 2; }

# Instant items as the embedded catalog has them (town level): services marked 1, and the
# queues all of whose services are, for tickets that name no service.
tsv=$here/../lib/hallq/services.tsv
instant_services=$(awk -F'\t' 'NR > 1 && $2 == "town" && $9 == "1" { printf "%s%s", s, $1; s = "," }' "$tsv")
all_services=$(awk -F'\t' 'NR > 1 && $2 == "town" { printf "%s%s", s, $1; s = "," }' "$tsv")
instant_queues=$(awk -F'\t' 'NR > 1 && $2 == "town" { all[$4] = (($4 in all) ? all[$4] : 1) && $9 == "1" }
                 END { for (q in all) if (all[q]) printf "%s\x27%s\x27", (s++ ? "," : ""), q }' "$tsv")
rows="SELECT day, state, green, transfers, rating,
         CASE WHEN called_ms IS NOT NULL THEN max(called_ms - issued_ms, 0) END AS wait,
         CASE WHEN state = 'finished' THEN max(finished_ms - coalesce(started_ms, last_called_ms)
                                               - park_total_ms, 0) END AS hand,
         (service IN ($instant_services) OR (coalesce(service, 0) NOT IN ($all_services)
                                            AND queue IN ($instant_queues))) AS inst
      FROM tickets"
sql_plain="SELECT day, count(*), count(wait), sum(state = 'finished'), sum(state = 'no_show'),
       sum(state = 'expired'), sum(transfers > 0), avg(wait), max(wait), count(hand), avg(hand),
       sum(inst AND hand IS NOT NULL), avg(CASE WHEN inst THEN hand END),
       sum(inst AND hand <= 600000), sum(green), avg(CASE WHEN green THEN wait END),
       avg(CASE WHEN NOT green THEN wait END), count(rating), avg(rating), sum(rating >= 4)
FROM ($rows) GROUP BY day;"
# Median and p90 as hallqctl has them (linear between ranks): the two ranks around each.
pct() { # pct VALUE_COLUMN FILTER
    echo "SELECT day, $1 AS v, row_number() OVER (PARTITION BY day ORDER BY $1) - 1 AS r,
                 count(*) OVER (PARTITION BY day) AS n FROM ($rows) WHERE $2"
}
q() { # q NAME: median and p90 columns from the ranked set NAME
    echo "(SELECT avg(v) FROM $1 x WHERE x.day = d.day AND x.r IN ((x.n - 1) / 2, x.n / 2)),
          (SELECT min(v) + (max(v) - min(v)) * (0.9 * (n - 1) - (CAST(0.9 * (n - 1) AS INT)))
             FROM $1 x WHERE x.day = d.day AND x.r IN (CAST(0.9 * (x.n - 1) AS INT),
                                                         min(CAST(0.9 * (x.n - 1) AS INT) + 1, x.n - 1)))"
}
sql_pct="CREATE TEMP TABLE pw AS $(pct wait 'wait IS NOT NULL');
CREATE TEMP TABLE ph AS $(pct hand 'hand IS NOT NULL');
CREATE TEMP TABLE pi AS $(pct hand 'hand IS NOT NULL AND inst');
CREATE INDEX pw_i ON pw(day, r); CREATE INDEX ph_i ON ph(day, r); CREATE INDEX pi_i ON pi(day, r);
SELECT d.*, $(q pw), $(q ph), $(q pi) FROM (${sql_plain%;}) d;"

# Median of three wall-clock runs, in milliseconds; the database is read once first so every
# contender finds it in the page cache.
cat "$db" > /dev/null
time_ms() { # time_ms RUNS COMMAND...: the median of RUNS runs
    local i t0 n=$1 runs=()
    shift
    for i in $(seq "$n"); do
        t0=$(date +%s%N)
        "$@" > /dev/null || { echo "stats_bench.sh: failed: $*" >&2; exit 1; }
        runs+=($(( ($(date +%s%N) - t0) / 1000000 )))
    done
    printf '%s\n' "${runs[@]}" | sort -n | sed -n "$(( (n + 1) / 2 ))p"
}
tickets=$(sqlite3 -readonly "$db" "SELECT count(*) FROM tickets")
days=$(sqlite3 -readonly "$db" "SELECT count(DISTINCT day) FROM tickets")
bytes=$(stat -c %s "$db")
# The contenders three times each; the slow extras once (the percentile query alone takes
# half a minute on a year).
sql_ms=$(time_ms 3 sqlite3 -readonly "$db" "$sql_plain")
export_ms=$(time_ms 3 "$hallqctl" stats export --data "$data" --by day --out "$work/export.csv")
report_ms=$(time_ms 3 "$hallqctl" stats report --data "$data" --out "$work/report.html")
staffing_ms=$(time_ms 3 "$hallqctl" stats staffing --data "$data" --format json)
sql_pct_ms=$(time_ms 1 sqlite3 -readonly "$db" "$sql_pct")
records_ms=$(time_ms 1 "$hallqctl" stats export --data "$data" --records --out "$work/records.csv")
rss_kb=$(/usr/bin/python3 -c 'import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
    "$hallqctl" stats report --data "$data" --out "$work/r2.html")
[ "$(wc -l < "$work/export.csv")" -eq $((days + 2)) ] ||
    { echo "stats_bench.sh: the export has $(wc -l < "$work/export.csv") lines for $days days" >&2; exit 1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
{
    printf 'statistics of %s tickets over %s business days (%s MB)\n' "$tickets" "$days" $((bytes / 1000000))
    printf '  %-58s %8s ms\n' "sqlite3 shell: per-day counts, means, maxima" "$sql_ms"
    printf '  %-58s %8s ms\n' "sqlite3 shell: the same with medians and p90 (window fns)" "$sql_pct_ms"
    printf '  %-58s %8s ms   %sx the plain query, %sx the one with percentiles\n' \
        "hallqctl stats export --by day" "$export_ms" "$(ratio "$export_ms" "$sql_ms")" \
        "$(ratio "$export_ms" "$sql_pct_ms")"
    printf '  %-58s %8s ms   %sx the plain query (7 groupings, staffing, HTML)\n' \
        "hallqctl stats report" "$report_ms" "$(ratio "$report_ms" "$sql_ms")"
    printf '  %-58s %8s ms\n' "hallqctl stats staffing" "$staffing_ms"
    printf '  %-58s %8s ms   (%s MB of CSV)\n' "hallqctl stats export --records" "$records_ms" \
        $(( $(stat -c %s "$work/records.csv") / 1000000 ))
    printf '  %-58s %8s MB\n' "peak memory of stats report" $((rss_kb / 1024))
} >&2
printf '{"tickets": %s, "days": %s, "db_bytes": %s, "generate_s": %s, "sql_ms": %s, "sql_percentile_ms": %s, "export_ms": %s, "report_ms": %s, "staffing_ms": %s, "records_ms": %s, "report_rss_kb": %s, "export_ratio": %s, "export_ratio_percentile": %s, "report_ratio": %s}\n' \
    "$tickets" "$days" "$bytes" "$gen_s" "$sql_ms" "$sql_pct_ms" "$export_ms" "$report_ms" \
    "$staffing_ms" "$records_ms" "$rss_kb" "$(ratio "$export_ms" "$sql_ms")" \
    "$(ratio "$export_ms" "$sql_pct_ms")" "$(ratio "$report_ms" "$sql_ms")"
