#!/usr/bin/env bash
# The city-scale benchmark of the central store (bench/README.md, "A city"): a city of halls,
# each a real hall database with a year of history, shipped by hallq-sync into a throwaway
# PostgreSQL, beside the floors measured in the same run.
#
# usage: bench/city.sh BUILD_DIR [--halls 30] [--days 365] [--out FILE] [--catch-up-days 7]
#
# Prints the table (stdout) and writes the figures as JSON to bench/results/city.json (or
# --out). The city (bench/gencity.py) is generated once per size and kept in
# BUILD_DIR/bench-cache; the cluster and its databases (in BUILD_DIR/bench-cache/city-pg.*)
# and the scratch directory of the hall copies are removed at the end.
#   1. ingest: hallq-sync --once per hall, one after another, beside a raw COPY of the same
#      rows (psql \copy) into the same partitioned table with the same primary key and
#      ticket trigger in a second database ("floor"), and into a third whose trigger is
#      disabled ("bare": storage alone), interleaved hall by hall;
#   2. catch-up: one hall shipped without its last week first; then hallq-sync --once on the
#      whole hall, timed;
#   3. the city's monthly report per hall from the daily roll-ups, and the same figures from
#      the raw events, each run 3 times (median), their rows compared;
#   4. database size, partitions, events, bytes per event.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
usage() { sed -n '6p' "$0" | sed 's/^# //' >&2; exit 2; }
[ $# -ge 1 ] || usage
case $1 in -h|--help) usage ;; esac
build=$(cd "$1" && pwd) || usage
shift
halls=30 days=365 out=$here/results/city.json offline_days=7
while [ $# -gt 0 ]; do
    case $1 in
        --halls) halls=${2:?--halls N}; shift ;;
        --days) days=${2:?--days N}; shift ;;
        --out) out=${2:?--out FILE}; shift ;;
        --catch-up-days) offline_days=${2:?--catch-up-days N}; shift ;;
        *) echo "city.sh: unknown option '$1'" >&2; usage ;;
    esac
    shift
done
[[ $halls =~ ^[0-9]+$ && $halls -ge 2 ]] || { echo "city.sh: --halls is a number >= 2" >&2; exit 2; }
[[ $days =~ ^[0-9]+$ && $days -ge 1 ]] || { echo "city.sh: --days is a number >= 1" >&2; exit 2; }
[[ $offline_days =~ ^[0-9]+$ && $offline_days -ge 1 ]] ||
    { echo "city.sh: --catch-up-days is a number >= 1" >&2; exit 2; }
sync=$build/bin/hallq-sync hallqd=$build/bin/hallqd hallqctl=$build/bin/hallqctl
for f in "$sync" "$hallqd"; do
    [ -x "$f" ] || { echo "city.sh: $f is missing: cmake --build $build" >&2; exit 2; }
done
python=/usr/bin/python3
[ -x $python ] || python=python3
export LANG=C.UTF-8 LC_ALL=C.UTF-8

work=$(mktemp -d "${TMPDIR:-/tmp}/hallq-city.XXXXXX")
fail() { echo "city.sh: $*" >&2; exit 1; }
cleanup() { rm -rf "$work"; }
# The throwaway cluster of the central tests (socket only, no TCP); it sets the EXIT trap.
. "$here/../tests/central/pg.sh"
mkdir -p "$(dirname "$out")"
fig=$work/figures
: > "$fig"
put() { printf '%s\t%s\n' "$1" "$2" >> "$fig"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
load() { cut -d' ' -f1-3 /proc/loadavg; }
put load_before "$(load)"
put date "$(date -u +%FT%TZ)"

# ---- 1. the city: generated once per size (and generator), ending yesterday ----
stamp=$( (cat "$here/gencity.py" "$here/genhistory.py"; grep "define STORE_SCHEMA" \
    "$here/../lib/hallq/hq_db.h") | sha1sum | cut -c1-12)
city=$build/bench-cache/city-${halls}x$days
if [ ! -f "$city/city.tsv" ] || [ "$(cat "$city/stamp" 2>/dev/null)" != "$stamp" ] ||
    [ -n "$(find "$city/city.tsv" -mtime +7 2>/dev/null)" ]; then
    echo "city.sh: synthesising $halls halls x $days days, once..." >&2
    rm -rf "$city" "$city.new"
    t0=$(now_ms)
    $python "$here/gencity.py" --dir "$city.new" --hallqd "$hallqd" --halls "$halls" \
        --days "$days"
    echo "$stamp" > "$city.new/stamp"
    mv "$city.new" "$city"
    put generate_s "$(( ($(now_ms) - t0) / 1000 ))"
fi
mapfile -t plan < "$city/city.tsv"

# ---- the store: one cluster, three databases of the same schema ----
# pg.sh's pg_start, in a folder of the build's cache rather than /tmp (a /tmp swept while the
# run lasts its minutes takes the cluster with it) unless that path is too long for a socket.
mkdir -p "$build/bench-cache"
PG_DIR=$build/bench-cache
[ ${#PG_DIR} -le 60 ] || PG_DIR=${TMPDIR:-/tmp}
PG_DIR=$(mktemp -d "$PG_DIR/city-pg.XXXXXX")
[ "$(id -u)" -ne 0 ] || chown postgres: "$PG_DIR"
pg_as "$PG_BIN/initdb" -D "$PG_DIR/data" -U hallq -A trust -E UTF8 --locale=C.UTF-8 \
    > "$PG_DIR/initdb.log" 2>&1 || { cat "$PG_DIR/initdb.log" >&2; fail "initdb"; }
pg_up
export PGHOST=$PG_DIR PGUSER=hallq PGDATABASE=city
pg_as "$PG_BIN/createdb" -h "$PG_DIR" -U hallq city || fail "createdb city"
url_of() { echo "postgresql:///$1?host=$PG_DIR&user=hallq"; }
for db in floor bare; do pg_as "$PG_BIN/createdb" -h "$PG_DIR" -U hallq "$db"; done
for db in city floor bare; do
    "$sync" --central "$(url_of $db)" --init --lang en > /dev/null
done
psql_q -d bare -c "ALTER TABLE hallq.events DISABLE TRIGGER events_tickets"
# Every month of the year made beforehand in all three (hallq-sync would make them as it
# meets them; the floors cannot).
range=$(cat "$city"/*/events.copy | awk -F'\t' 'NR == 1 || $4 < lo {lo = $4}
    NR == 1 || $4 > hi {hi = $4} END {print lo, hi}')
read -r lo hi <<< "$range"
for db in city floor bare; do psql_q -d "$db" -c "SELECT hallq.ensure_months($lo, $hi)" > /dev/null; done

# The hall that goes offline: the first town, shipped without its last week first.
IFS=$'\t' read -r late_id _ <<< "${plan[0]}"
late_data=$work/offline/$late_id
mkdir -p "$late_data"
cp "$city/$late_id/hallq.db" "$late_data/"
cut_ms=$(sqlite3 "$late_data/hallq.db" "SELECT max(ts_ms) - $offline_days * 86400000 FROM events")
sqlite3 "$late_data/hallq.db" "DELETE FROM events WHERE ts_ms > $cut_ms"
late_week=$(sqlite3 "$city/$late_id/hallq.db" "SELECT count(*) FROM events WHERE ts_ms > $cut_ms")

# ---- 2. ingest, hall by hall: hallq-sync, then the raw COPY of the same rows, then bare ----
echo "city.sh: shipping $halls halls..." >&2
sync_ms=0 floor_ms=0 bare_ms=0 sync_ev=0 copy_ev=0
for line in "${plan[@]}"; do
    IFS=$'\t' read -r id name level parent epoch events tickets <<< "$line"
    data=$city/$id
    [ "$id" = "$late_id" ] && data=$late_data
    args=(--central "$(url_of city)" --data "$data" --hall "$id" --name "$name" --level "$level")
    [ "$parent" = - ] || args+=(--parent "$parent")
    before=$(psql_q -c "SELECT coalesce(sum(contiguous_seq), 0) FROM hallq.epochs")
    t0s=$(now_ms)
    "$sync" "${args[@]}" --once --log-level warn 2>> "$work/sync.log" ||
        { tail -n 5 "$work/sync.log" >&2; fail "hallq-sync of $id failed"; }
    t1s=$(now_ms)
    after=$(psql_q -c "SELECT coalesce(sum(contiguous_seq), 0) FROM hallq.epochs")
    sync_ms=$((sync_ms + t1s - t0s)) sync_ev=$((sync_ev + after - before))
    floor_was=$floor_ms bare_was=$bare_ms
    for db in floor bare; do
        t0=$(now_ms)
        psql_q -d "$db" -c "\\copy hallq.events (hall, epoch, seq, ts_ms, type, body) FROM '$city/$id/events.copy'"
        t1=$(now_ms)
        eval "${db}_ms=\$((${db}_ms + t1 - t0))"
    done
    copy_ev=$((copy_ev + events))
    echo "city.sh: $id: $((after - before)) events in $((t1s - t0s)) ms by hallq-sync;" \
        "$events by COPY in $((floor_ms - floor_was)) ms (trigger on), $((bare_ms - bare_was)) ms (off)" >&2
done
put ingest_events "$sync_ev"
put ingest_ms "$sync_ms"
put floor_events "$copy_ev"
put floor_ms "$floor_ms"
put bare_ms "$bare_ms"

# ---- 3. catch-up: the offline hall's week ----
IFS=$'\t' read -r id name level parent _ events _ <<< "${plan[0]}"
t0=$(now_ms)
"$sync" --central "$(url_of city)" --data "$city/$id" --hall "$id" --name "$name" \
    --level "$level" --once --log-level warn 2>> "$work/sync.log" || fail "catch-up of $id failed"
t1=$(now_ms)
put catchup_hall "$id"
put catchup_days "$offline_days"
put catchup_events "$late_week"
put catchup_ms "$((t1 - t0))"

# Everything arrived, once: every hall's epoch up to its last seq, and no more rows.
total=0
for line in "${plan[@]}"; do
    IFS=$'\t' read -r id _ _ _ epoch events _ <<< "$line"
    total=$((total + events))
    got=$(psql_q -c "SELECT contiguous_seq FROM hallq.epochs WHERE hall = '$id' AND epoch = '$epoch'")
    [ "$got" = "$events" ] || fail "hall $id: the store holds up to seq $got of $events"
done
rows=$(psql_q -c "SELECT count(*) FROM hallq.events")
[ "$rows" = "$total" ] || fail "the store has $rows events, the halls $total"
put events_total "$rows"
put tickets_total "$(psql_q -c "SELECT count(*) FROM hallq.tickets")"
[ "$(psql_q -c "SELECT count(*) FROM hallq.stale_days")" = 0 ] || fail "stale roll-ups left"
# The tickets the store derived from the events are the halls' own (the state aside: a ticket
# never called stays open in the store until the next day's event expires it).
cols="id, queue, issued_ms, coalesce(called_ms, 0), coalesce(started_ms, 0),
      coalesce(finished_ms, 0), coalesce(counter, 0), coalesce(rating, 0), park_total_ms"
for line in "${plan[@]}"; do
    IFS=$'\t' read -r id _ <<< "$line"
    sqlite3 "$city/$id/hallq.db" "SELECT $cols, green FROM tickets ORDER BY id" > "$work/hall.t"
    psql_q -c "SELECT $cols, green::int FROM hallq.tickets WHERE hall = '$id' ORDER BY id" > "$work/central.t"
    cmp -s "$work/hall.t" "$work/central.t" ||
        fail "hall $id: the store's tickets differ: $(diff "$work/hall.t" "$work/central.t" | head -n 3)"
done

# A server's autovacuum would have done this by the time anyone reads a report.
t0=$(now_ms)
psql_q -c "VACUUM (ANALYZE) hallq.events, hallq.tickets, hallq.daily_queues, hallq.daily_counters"
put vacuum_ms "$(( $(now_ms) - t0 ))"

# ---- 4. the city's monthly report: the last whole month of the history ----
read -r m0 m1 <<< "$(psql_q -c "
    WITH h AS (SELECT min(day) a, max(day) b FROM hallq.daily_queues),
         m AS (SELECT CASE WHEN b + 1 = date_trunc('month', b + 1)::date
                            THEN date_trunc('month', b)::date
                           WHEN date_trunc('month', b) - interval '1 month' >= date_trunc('month', a)
                            THEN (date_trunc('month', b) - interval '1 month')::date
                           ELSE date_trunc('month', a)::date END AS m0 FROM h)
    SELECT m0, (m0 + interval '1 month')::date FROM m" | tr '|' ' ')"
put month "${m0:0:7}"
# Instant items: the town catalog's (lib/hallq/services.tsv), and the queues all of whose
# services are instant (a ticket may name only its queue), as bench/genhistory.py has them.
read -r inst_svc inst_q <<< "$(awk -F'\t' 'NR > 1 && $2 == "town" {
        if ($9 == "1") s = s (s ? "," : "") $1
        all[$4] = ($4 in all ? all[$4] : 1) && $9 == "1" }
    END { for (q in all) if (all[q]) qs = qs (qs ? "," : "") q; print "{" s "}", "{" qs "}" }' \
    "$here/../lib/hallq/services.tsv")"
# The figures per hall: tickets, mean wait (min), share called within 10 min (%), mean
# handling of instant items (min), green share (%), ratings and their mean. The roll-ups have
# no instant split: that column reads the tickets table by its (hall, day) index.
figures="h.id, h.level, coalesce(h.parent, ''), q.issued,
    round(q.wait_ms / nullif(q.called, 0) / 60000.0, 2),
    round(100.0 * q.w10 / nullif(q.called, 0), 1),
    round(i.h / nullif(i.n, 0) / 60000.0, 2),
    round(100.0 * q.green / nullif(q.issued, 0), 1), q.rated,
    round(q.rating_sum::numeric / nullif(q.rated, 0), 2)"
instant="(k.service = ANY('$inst_svc'::int[]) OR (k.service IS NULL AND k.queue = ANY('$inst_q'::text[])))"
rollup_sql="
WITH q AS (SELECT hall, sum(issued) issued, sum(called) called, sum(wait_ms) wait_ms,
                  sum(within_10min) w10, sum(green) green, sum(rated) rated,
                  sum(rating_sum) rating_sum
             FROM hallq.daily_queues WHERE day >= '$m0' AND day < '$m1' GROUP BY hall),
     i AS (SELECT k.hall, count(*) n,
                  sum(k.finished_ms - coalesce(k.started_ms, k.last_called_ms) - k.park_total_ms) h
             FROM hallq.halls hh JOIN hallq.tickets k ON k.hall = hh.id
            WHERE k.day >= '$m0' AND k.day < '$m1' AND k.state = 'finished'
              AND k.counter IS NOT NULL AND $instant GROUP BY k.hall)
SELECT $figures FROM hallq.halls h JOIN q ON q.hall = h.id LEFT JOIN i ON i.hall = h.id
 ORDER BY 6 DESC, 1"
# The same figures from the raw events: each ticket as its newest event of the month left it.
raw_sql="
WITH last AS (
    SELECT DISTINCT ON (hall, epoch, (body -> 'ticket' ->> 'id')::bigint) hall, body -> 'ticket' AS t
      FROM hallq.events
     WHERE ts_ms >= extract(epoch FROM '$m0'::date - 1) * 1000
       AND ts_ms < extract(epoch FROM '$m1'::date + 1) * 1000 AND body ? 'ticket'
     ORDER BY hall, epoch, (body -> 'ticket' ->> 'id')::bigint, seq DESC),
k AS (SELECT hall, (t ->> 'day')::date AS day, t ->> 'queue' AS queue,
             (t ->> 'service')::int AS service, t ->> 'lane' = 'green' AS green,
             t ->> 'state' AS state, (t ->> 'issued_ms')::bigint AS issued_ms,
             (t ->> 'called_ms')::bigint AS called_ms,
             (t ->> 'last_called_ms')::bigint AS last_called_ms,
             (t ->> 'started_ms')::bigint AS started_ms,
             (t ->> 'finished_ms')::bigint AS finished_ms,
             (t ->> 'park_total_ms')::bigint AS park_total_ms,
             (t ->> 'counter')::int AS counter, (t ->> 'rating')::int AS rating
        FROM last),
q AS (SELECT hall, count(*) issued, count(called_ms) called,
             coalesce(sum(called_ms - issued_ms), 0) wait_ms,
             count(*) FILTER (WHERE called_ms - issued_ms <= 600000) w10,
             count(*) FILTER (WHERE green) green, count(rating) rated,
             coalesce(sum(rating), 0) rating_sum
        FROM k WHERE day >= '$m0' AND day < '$m1' GROUP BY hall),
i AS (SELECT hall, count(*) n,
             sum(finished_ms - coalesce(started_ms, last_called_ms) - park_total_ms) h
        FROM k WHERE day >= '$m0' AND day < '$m1' AND state = 'finished'
         AND counter IS NOT NULL AND $instant GROUP BY hall)
SELECT $figures FROM hallq.halls h JOIN q ON q.hall = h.id LEFT JOIN i ON i.hall = h.id
 ORDER BY 6 DESC, 1"
# Three runs each, interleaved; the median is the figure.
median() { sort -n | sed -n '2p'; }
: > "$work/rollup.ms"; : > "$work/raw.ms"
for _ in 1 2 3; do
    t0=$(now_ms); psql_q -c "$rollup_sql" > "$work/rollup.rows"; t1=$(now_ms)
    echo $((t1 - t0)) >> "$work/rollup.ms"
    t0=$(now_ms); psql_q -c "$raw_sql" > "$work/raw.rows"; t1=$(now_ms)
    echo $((t1 - t0)) >> "$work/raw.ms"
done
put report_rollup_ms "$(median < "$work/rollup.ms")"
put report_raw_ms "$(median < "$work/raw.ms")"
put report_halls "$(wc -l < "$work/rollup.rows")"
if cmp -s "$work/rollup.rows" "$work/raw.rows"; then put report_agree true; else
    put report_agree false
    diff "$work/rollup.rows" "$work/raw.rows" | head -n 6 >&2
fi
cp "$work/rollup.rows" "$work/report.rows"
# The city report of hallqctl, when this build has it.
if [ -x "$hallqctl" ] && "$hallqctl" stats report --help 2>&1 | grep -q -- "--central"; then
    : > "$work/ctl.ms"
    for _ in 1 2 3; do
        t0=$(now_ms)
        "$hallqctl" stats report --central "$(url_of city)" --from "$m0" \
            --to "$(date -d "$m1 - 1 day" +%F)" --out "$work/report.html" \
            > /dev/null 2>> "$work/ctl.log" ||
            { put ctl_report_error "$(tail -n 1 "$work/ctl.log")"; break; }
        echo $(($(now_ms) - t0)) >> "$work/ctl.ms"
    done
    [ "$(wc -l < "$work/ctl.ms")" = 3 ] && put ctl_report_ms "$(median < "$work/ctl.ms")"
fi

# ---- 5. size ----
put db_bytes "$(psql_q -c "SELECT pg_database_size('city')")"
put events_heap_bytes "$(psql_q -c "SELECT sum(pg_table_size(inhrelid)) FROM pg_inherits
    WHERE inhparent = 'hallq.events'::regclass")"
put events_index_bytes "$(psql_q -c "SELECT sum(pg_indexes_size(inhrelid)) FROM pg_inherits
    WHERE inhparent = 'hallq.events'::regclass")"
put tickets_bytes "$(psql_q -c "SELECT pg_total_relation_size('hallq.tickets')")"
put rollup_bytes "$(psql_q -c "SELECT pg_total_relation_size('hallq.daily_queues') +
    pg_total_relation_size('hallq.daily_counters')")"
put partitions "$(psql_q -c "SELECT count(*) FROM pg_inherits WHERE inhparent = 'hallq.events'::regclass")"
put halls "$halls"
put days "$days"
put load_after "$(load)"

$python - "$fig" "$out" "$work/report.rows" <<'PY'
import json, sys
f = dict(l.rstrip("\n").split("\t", 1) for l in open(sys.argv[1], encoding="utf-8"))
num = lambda k: float(f[k]) if k in f else None
rate = lambda ev, ms: ev / (ms / 1000.0) if ms else 0.0
sync = rate(num("ingest_events"), num("ingest_ms"))
floor = rate(num("floor_events"), num("floor_ms"))
bare = rate(num("floor_events"), num("bare_ms"))
ratio = sync / floor if floor else 0.0
ev = num("events_total")
ev_bytes = num("events_heap_bytes") + num("events_index_bytes")
rows = [l.rstrip("\n").split("|") for l in open(sys.argv[3], encoding="utf-8")]
d = {
    "schema": 1, "date": f["date"], "halls": int(num("halls")), "days": int(num("days")),
    "load": {"before": f["load_before"], "after": f["load_after"]},
    "generate_s": num("generate_s"),
    "ingest": {"events": int(num("ingest_events")), "ms": int(num("ingest_ms")),
               "events_per_s": round(sync), "floor_copy_events_per_s": round(floor),
               "floor_copy_ms": int(num("floor_ms")), "bare_copy_events_per_s": round(bare),
               "bare_copy_ms": int(num("bare_ms")), "ratio": round(ratio, 3),
               "met": ratio >= 0.5},
    "catch_up": {"hall": f["catchup_hall"], "days": int(num("catchup_days")),
                 "events": int(num("catchup_events")),
                 "ms": int(num("catchup_ms")), "met": num("catchup_ms") < 10000},
    "report": {"month": f["month"], "halls": int(num("report_halls")),
               "rollup_ms": int(num("report_rollup_ms")), "raw_ms": int(num("report_raw_ms")),
               "agree": f["report_agree"] == "true", "met": num("report_rollup_ms") <= 2000,
               "hallqctl_ms": num("ctl_report_ms"), "hallqctl_error": f.get("ctl_report_error"),
               "rows": rows},
    "vacuum_analyze_ms": int(num("vacuum_ms")),
    "size": {"database_bytes": int(num("db_bytes")), "partitions": int(num("partitions")),
             "events": int(ev), "tickets": int(num("tickets_total")),
             "events_heap_bytes": int(num("events_heap_bytes")),
             "events_index_bytes": int(num("events_index_bytes")),
             "tickets_bytes": int(num("tickets_bytes")), "rollup_bytes": int(num("rollup_bytes")),
             "bytes_per_event": round(ev_bytes / ev, 1) if ev else 0},
}
json.dump(d, open(sys.argv[2], "w"), indent=2, ensure_ascii=False)
i, c, r, s = d["ingest"], d["catch_up"], d["report"], d["size"]
mib = lambda b: "%.1f MiB" % (b / 1048576.0)
yes = lambda m: "yes" if m else "NO"
print("A city: %d halls x %d days, %s; load %s -> %s" % (d["halls"], d["days"], d["date"],
                                                         f["load_before"], f["load_after"]))
print("  %-44s %12s %10s %6s" % ("figure", "value", "ratio", "met"))
print("  %-44s %9d/s %10s" % ("floor: raw COPY, same table, trigger on", i["floor_copy_events_per_s"], ""))
print("  %-44s %9d/s %10s" % ("floor: raw COPY, trigger off (storage)", i["bare_copy_events_per_s"], ""))
print("  %-44s %9d/s %9.2fx %6s" % ("ingest: hallq-sync (target >= 0.5x COPY)", i["events_per_s"],
                                    i["ratio"], yes(i["met"])))
print("  %-44s %10.2f s %10s %6s" % ("catch-up: %s, %d events of %d days offline" %
                                     (c["hall"], c["events"], c["days"]), c["ms"] / 1000.0, "< 10 s",
                                     yes(c["met"])))
print("  %-44s %10.3f s %10s %6s" % ("monthly report %s, roll-ups (target <= 2 s)" % r["month"],
                                     r["rollup_ms"] / 1000.0, "", yes(r["met"])))
print("  %-44s %10.3f s %9.1fx" % ("monthly report, raw events", r["raw_ms"] / 1000.0,
                                   r["raw_ms"] / max(1, r["rollup_ms"])))
print("  %-44s %12s" % ("both reports give the same rows", "yes" if r["agree"] else "NO"))
if r["hallqctl_ms"] is not None:
    print("  %-44s %10.3f s" % ("hallqctl stats report --central", r["hallqctl_ms"] / 1000.0))
elif r["hallqctl_error"]:
    print("  %-44s %12s  %s" % ("hallqctl stats report --central", "failed", r["hallqctl_error"]))
print("  %-44s %12d" % ("events", s["events"]))
print("  %-44s %12d" % ("tickets", s["tickets"]))
print("  %-44s %12d" % ("partitions (months)", s["partitions"]))
print("  %-44s %12s" % ("database on disk", mib(s["database_bytes"])))
print("  %-44s %12s" % ("events: heap / indexes", "%s / %s" % (mib(s["events_heap_bytes"]),
                                                              mib(s["events_index_bytes"]))))
print("  %-44s %12.1f" % ("bytes per event (heap + index)", s["bytes_per_event"]))
print("  %-44s %12s" % ("tickets / roll-ups", "%s / %s" % (mib(s["tickets_bytes"]),
                                                          mib(s["rollup_bytes"]))))
print("  %-44s %10.1f s" % ("VACUUM ANALYZE after the load", d["vacuum_analyze_ms"] / 1000.0))
PY
