#!/usr/bin/env bash
# The city's statistics from the central store equal each hall's own, cell by cell. Three
# halls play simulated days through real hallqd daemons (hallq-sim): a town, a village point
# under it, and a village point restored from a backup of its first day (two epochs whose
# events up to the fork repeat, and two different second days). Each ships with hallq-sync
# to a throwaway PostgreSQL; then for every hall and every grouping, `hallqctl stats export
# --central --hall` is compared with the hall's own `hallqctl stats export` over the same
# days, every cell; `--by hall|level|parent` with the halls' own totals; and the city report's
# ranking (its order and every figure) with the ranking the halls' own figures give. A row
# changed in the store afterwards makes the comparison fail, so it is seen to be able to.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/pg.sh"
SIM=${3:?hallq-sim}
SYNC=$(dirname "$HALLQD")/hallq-sync
SAME=$(dirname "$0")/same_stats.py
started=$(date +%s%N)
pg_start
# The schema made by hallqctl's verb (the migrations hallq-sync --init applies).
ctl central migrate --central "$PG_URL" --lang en | grep -qx "city store schema migrated from version 0 to 4" ||
    fail "central migrate on an empty database"
ctl central migrate --central "$PG_URL" --lang en | grep -qx "city store schema at version 4: already up to date" ||
    fail "central migrate again"
# The halls' configurations differ, and change: each ticket counts by the one its hall ran
# with that day (hallqd records them, hallq-sync ships the records).
for target in 10 7 6; do
    printf '[limits]\nlocal = unlimited\n[rules]\nsync_full = 0\nhandling_target_min = %d\n' \
        "$target" > "$WORK/target$target.conf"
done

# play HALL DAY SEED TARGET: one simulated morning of the hall in $WORK/HALL (arrivals
# 09:00-10:00) with a handling target of TARGET minutes.
play() {
    DATA=$WORK/$1
    unset HALLQ_ENDPOINT HALLQ_EVENTS
    start_daemon --config "$WORK/target$4.conf" --simulate "$2 08:59" --speed 3600
    "$SIM" --endpoint "$HALLQ_ENDPOINT" --from 09:00 --to 10:00 --counters 1,2 --seed "$3" \
        --lang en > "$WORK/sim.out" || fail "sim of $1 on $2: $(tail -3 "$WORK/sim.out")"
    stop_daemon || fail "hallqd of $1 did not stop cleanly"
}

# ship HALL NAME LEVEL [PARENT]
ship() {
    local parent=()
    [ -z "${4:-}" ] || parent=(--parent "$4")
    "$SYNC" --central "$PG_URL" --data "$WORK/$1" --hall "$1" --name "$2" --level "$3" \
        "${parent[@]}" --once 2>> "$WORK/sync.log" || fail "shipping $1: $(tail -n 3 "$WORK/sync.log")"
}

play t1 2026-11-23 1 10
play t1 2026-11-24 2 7
ship t1 城关镇便民服务中心 town
play v1 2026-11-23 3 6
play v1 2026-11-24 4 6
ship v1 东村服务点 village t1
# v2: its first day backed up; a second day shipped; then the backup restored and another
# second day played and shipped: the store holds both histories, the hall only the second.
play v2 2026-11-23 5 10
ctl backup --data "$WORK/v2" --out "$WORK/v2.bak" >/dev/null || fail "backup of v2"
play v2 2026-11-24 6 7
ship v2 西村服务点 village t1
rm -rf "$WORK/v2"
ctl restore "$WORK/v2.bak" --data "$WORK/v2" >/dev/null || fail "restore of v2"
play v2 2026-11-24 7 10
ship v2 西村服务点 village t1
expect_eq "$(psql_q -c "SELECT count(*) FROM hallq.epochs WHERE hall = 'v2'")" 2 "v2's epochs"
expect_eq "$(psql_q -c "SELECT string_agg(hall || ':' || n, ' ' ORDER BY hall) FROM
            (SELECT c.hall, count(*) n FROM hallq.configs c JOIN hallq.halls h
                 ON h.id = c.hall AND h.epoch = c.epoch GROUP BY c.hall) x")" "t1:2 v1:1 v2:1" \
    "the configurations shipped for the halls' present epochs"
# The status: each hall's epochs and its shipper's position, the hall's own last seq.
ctl central status --central "$PG_URL" --json > "$WORK/status.json" || fail "central status"
for h in t1 v1 v2; do
    last=$(sqlite3 -batch -noheader "$WORK/$h/hallq.db" "SELECT max(seq) FROM events")
    want="$h $([ "$h" = v2 ] && echo 2 || echo 1) $last $last"
    got=$(python3 -c 'import json,sys
for x in json.load(open(sys.argv[1]))["halls"]:
    if x["id"] == sys.argv[2]: print(x["id"], x["epochs"], x["position"], x["shipped"])' "$WORK/status.json" "$h")
    expect_eq "$got" "$want" "central status of $h"
done
ctl central status --central "$PG_URL" | grep -q "^v2 *村（社区） .*西村服务点$" || fail "the status table: $(ctl central status --central "$PG_URL")"
played=$(date +%s%N)

# The exports: the hall's own, and the store's of the same hall, same days.
BYS="all day hour weekday queue counter clerk service lane"
for h in t1 v1 v2; do
    for by in $BYS; do
        ctl stats export --data "$WORK/$h" --by "$by" --json --lang en \
            > "$WORK/own_${h}_$by.json" 2>/dev/null || fail "$h's own export by $by"
        ctl stats export --central "$PG_URL" --hall "$h" --by "$by" \
            --json --lang en > "$WORK/city_${h}_$by.json" || fail "central export of $h by $by"
    done
    ctl stats export --data "$WORK/$h" --records --json --lang en \
        > "$WORK/own_${h}_records.json" 2>/dev/null || fail "$h's own records"
    ctl stats export --central "$PG_URL" --hall "$h" --records --json --lang en \
        > "$WORK/city_${h}_records.json" || fail "central records of $h"
done
# The metric log, day by day: the same entries, the same page.
metrics=0
for h in t1 v1 v2; do
    for day in 2026-11-23 2026-11-24; do
        ctl stats metric --data "$WORK/$h" --date "$day" --format json --lang en \
            > "$WORK/own_metric.json" 2>/dev/null || fail "$h's own metric log of $day"
        ctl stats metric --central "$PG_URL" --hall "$h" --date "$day" --format json --lang en \
            > "$WORK/city_metric.json" || fail "central metric log of $h on $day"
        cmp -s "$WORK/own_metric.json" "$WORK/city_metric.json" ||
            fail "$h's metric log of $day differs: $(diff "$WORK/own_metric.json" "$WORK/city_metric.json" | head -5)"
        n=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["entries"])' "$WORK/own_metric.json") ||
            fail "reading $h's metric log"
        [ "$n" -ge 3 ] || fail "$h's metric log of $day has $n entries"
        metrics=$((metrics + n))
    done
done
ctl stats metric --central "$PG_URL" --hall v1 --date 2026-11-24 > "$WORK/metric.txt" ||
    fail "the metric log as text"
for by in hall level parent; do
    ctl stats export --central "$PG_URL" --by "$by" --json --lang en \
        > "$WORK/city_$by.json" || fail "central export by $by"
done
# The CSV of the city in Chinese, as an office opens it.
ctl stats export --central "$PG_URL" --by hall > "$WORK/city_hall.csv" ||
    fail "central CSV by hall"
head -n 1 "$WORK/city_hall.csv" | grep -q "^服务厅,名称,取号" || fail "CSV heading: $(head -n 1 "$WORK/city_hall.csv")"
t0=$(date +%s%N)
ctl stats report --central "$PG_URL" --out "$WORK/city.html" >/dev/null ||
    fail "city report"
t1=$(date +%s%N)
ctl stats report --central "$PG_URL" --lang en \
    --out "$WORK/city_en.html" >/dev/null || fail "city report in English"
grep -q "Halls ranked" "$WORK/city_en.html" || fail "the English report"
grep -q "服务厅排名" "$WORK/city.html" || fail "the Chinese report"

"$SAME" "$WORK" t1:town: v1:village:t1 v2:village:t1 > "$WORK/same.out" ||
    fail "the city's figures differ from the halls' own: $(cat "$WORK/same.out")"
cells=$(cat "$WORK/same.out")

# A figure changed in the store is seen: one finished ticket of v1 handled a minute longer.
psql_q -c "UPDATE hallq.tickets SET finished_ms = finished_ms + 60000
            WHERE hall = 'v1' AND id = (SELECT min(id) FROM hallq.tickets
                                          WHERE hall = 'v1' AND state = 'finished')" ||
    fail "perturbing a row"
ctl stats export --central "$PG_URL" --hall v1 --by day --json \
    --lang en > "$WORK/city_v1_day.json" || fail "central export of v1 after the change"
! "$SAME" "$WORK" t1:town: v1:village:t1 v2:village:t1 > "$WORK/same.out" ||
    fail "a changed row went unseen"
grep -q "v1 by day" "$WORK/same.out" || fail "the change was not named: $(cat "$WORK/same.out")"

ended=$(date +%s%N)
pass "city: $cells, $metrics metric entries equal; report $(( (t1 - t0) / 1000000 )) ms; days played and shipped in $(( (played - started) / 1000000 )) ms, exported and compared in $(( (ended - played) / 1000000 )) ms"
