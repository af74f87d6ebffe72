#!/usr/bin/env bash
# Builds hallq and runs a whole hall on this machine with the embedded default configuration:
# hallqd in the background, and in one tmux session the wall display, windows 1 and 2, and
# the reception kiosk, ready for keys and mouse clicks. On a terminal of 180x45 or more they
# share one tmux window, a pane each; on a smaller one (80x24, 120x40) each has a tmux window
# of its own, the whole terminal: Ctrl-b n / Ctrl-b p or a click on the status line switch.
# hallq-web serves the citizens' phones (the ticket's QR opens them) and the wall in a
# browser on port 8080 ($HALLQ_WEB_LISTEN=ADDR:PORT for another); the URL is printed.
#
#   ./scripts/run-hall.sh                 the hall, quiet until someone takes a ticket
#   ./scripts/run-hall.sh --simulate      a realistic day drives every screen by itself, on a
#                                         simulated clock, in a data folder of its own
#                                         (DIR/simulated, emptied at each start)
#   ./scripts/run-hall.sh --central       also a throwaway city database: a local PostgreSQL
#                                         on a Unix socket (no TCP), hallq-sync shipping the
#                                         hall's event log to it, removed when the hall stops;
#                                         the command for the city report is printed
#   options: --speed N (the simulated clock's speed, default 30: the day passes in 18 minutes),
#            --data DIR, --size COLSxROWS (lay out for that terminal, not this one),
#            --no-attach (leave the tmux session running in the background), --lang en
# Leave the hall: Ctrl-b d detaches (the hall keeps running; `tmux -L hallq attach`);
# `tmux -L hallq kill-session -t hall` stops everything, the daemon included.
set -euo pipefail
cd "$(dirname "$0")/.."
simulate= central= speed=30 data=hallq-data attach=1 lang=zh size=
socket=${HALLQ_TMUX_SOCKET:-hallq}
while [ $# -gt 0 ]; do
    case "$1" in
        --simulate) simulate=1 ;;
        --central) central=1 ;;
        --speed) speed=${2:?--speed needs a number}; shift ;;
        --data) data=${2:?--data needs a directory}; shift ;;
        --no-attach) attach=0 ;;
        --lang) lang=${2:?--lang needs zh or en}; shift ;;
        --size) size=${2:?--size needs COLSxROWS}; shift ;;
        -h|--help) sed -n '2,23p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-hall.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

# The terminal the hall is laid out for: --size, else the one this runs in, else a large one
# (the session is left in the background then).
if [ -z "$size" ] && [ -t 0 ]; then
    size=$(stty size 2>/dev/null | awk '{print $2 "x" $1}')
fi
size=${size:-200x60}
if ! [[ "$size" =~ ^([0-9]+)x([0-9]+)$ ]] || [ "${BASH_REMATCH[1]}" -lt 40 ] ||
    [ "${BASH_REMATCH[2]}" -lt 13 ]; then
    echo "run-hall.sh: --size takes COLSxROWS of at least 40x13, not '$size'" >&2
    exit 2
fi
cols=${BASH_REMATCH[1]} rows=${BASH_REMATCH[2]}

if [ -n "${HALLQ_BUILD_DIR:-}" ]; then
    B=$(cd "$HALLQ_BUILD_DIR" && pwd)   # an existing build (the tests use theirs)
else
    scripts/deps.sh --run-only ${central:+--central}
    cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build build -j"$(nproc)" >/dev/null
    B=$PWD/build
fi
mkdir -p "$data"
data=$(cd "$data" && pwd)
if [ -n "$simulate" ]; then
    # A simulated day is recorded on a simulated clock: never among the hall's real days (hallqd
    # refuses to mix them), and each simulation starts clean, at today's opening.
    data=$data/simulated
    mkdir -p "$data"
    rm -f "$data"/hallq.db "$data"/hallq.db-wal "$data"/hallq.db-shm "$data"/hallqd.log \
        "$data"/sim.log "$data"/hallq-web.log
fi
req=${HALLQ_ENDPOINT:-tcp://127.0.0.1:5570}
ev=${HALLQ_EVENTS:-tcp://127.0.0.1:5571}
export HALLQ_ENDPOINT=$req HALLQ_EVENTS=$ev LANG=C.UTF-8
# Every screen shows the hall's clock (the default configuration's time zone).
export TZ=${TZ:-Asia/Shanghai}
export TERM=${TERM:-xterm-256color}
[ "$TERM" = dumb ] && export TERM=xterm-256color

if tmux -L "$socket" has-session -t hall 2>/dev/null; then
    echo "a hall is already running: tmux -L $socket attach -t hall" >&2
    exit 1
fi
# Everything lives in one tmux session: window "web" (hallq-web and its log), window "daemon"
# (hallqd and its log), window "hall" (the four screens), window "sim" with --simulate. Ending
# the session ends the hall.
# hallq-web first: the port it got goes into the hall's configuration ([web] base_url), from
# which every kiosk learns what to put in the ticket's QR.
web_listen=${HALLQ_WEB_LISTEN:-0.0.0.0:8080}
touch "$data/hallq-web.log"
web_from=$(( $(wc -l < "$data/hallq-web.log") + 1 ))
tmux -L "$socket" new-session -d -s hall -x "$cols" -y "$rows" -n web \
    "$B/bin/hallq-web --listen '$web_listen' --lang $lang 2>&1 | tee -a '$data/hallq-web.log'"
tmux -L "$socket" set-option -t hall remain-on-exit on >/dev/null
web_url=
for _ in $(seq 1 50); do
    web_url=$(tail -n +"$web_from" "$data/hallq-web.log" |
        sed -n 's|.*listening on \(http://[^ ]*\)/ .*|\1|p' | head -n 1)
    [ -n "$web_url" ] && break
    sleep 0.1
done
if [ -z "$web_url" ]; then
    echo "hallq-web did not start (port taken? set HALLQ_WEB_LISTEN=ADDR:PORT): see $data/hallq-web.log" >&2
    tmux -L "$socket" kill-session -t hall
    exit 1
fi
# Listening on every address: phones reach it at this machine's own address on the network.
if [[ "$web_url" == http://0.0.0.0:* ]]; then
    host=$(hostname -I 2>/dev/null | awk '{print $1}')
    web_url=http://${host:-127.0.0.1}:${web_url##*:}
fi
printf '[web]\nbase_url = %s\n' "$web_url" > "$data/hall.conf"
config="--config '$data/hall.conf'"
if [ -n "$simulate" ]; then
    # The simulator sends a day's requests in minutes: a trusted tool, it runs unlimited. The
    # hall's clock starts a minute before the doors open, today.
    printf '[limits]\nlocal = unlimited\n' >> "$data/hall.conf"
    config="$config --simulate 08:29 --speed '$speed'"
fi
tmux -L "$socket" new-window -t hall: -n daemon \
    "$B/bin/hallqd --data '$data' $config --request '$req' --events '$ev' 2>&1 | tee -a '$data/hallqd.log'"
# A click reaches the screen under it (the clerk terminal takes clicks for its keys) and
# selects the pane, or on the status line the window.
tmux -L "$socket" set-option -t hall mouse on >/dev/null
for _ in $(seq 1 50); do "$B/bin/hallqctl" --timeout 200 version >/dev/null 2>&1 && break; sleep 0.1; done
if ! "$B/bin/hallqctl" version >/dev/null; then
    echo "hallqd did not start: see $data/hallqd.log" >&2
    tmux -L "$socket" kill-session -t hall
    exit 1
fi
central_url=
if [ -n "$central" ]; then
    # The city database: a cluster of its own in a temporary folder, reached only through a
    # Unix socket there (a socket path must fit in 107 bytes). PostgreSQL refuses to run as
    # root: then it runs as the postgres user its package made.
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ ! -x "$pg_bin/initdb" ]; then
        echo "--central needs a PostgreSQL server: scripts/deps.sh --run-only --central installs postgresql-15" >&2
        tmux -L "$socket" kill-session -t hall
        exit 1
    fi
    as_pg=()
    [ "$(id -u)" -ne 0 ] || as_pg=(runuser -u postgres --)
    pg_dir=$(mktemp -d /tmp/hallq-pg.XXXXXX)
    [ "$(id -u)" -ne 0 ] || chown postgres: "$pg_dir"
    pg_stop="${as_pg[*]} '$pg_bin/pg_ctl' -D '$pg_dir/data' -w -m fast stop >/dev/null; rm -rf '$pg_dir'"
    if ! "${as_pg[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U hallq -A trust -E UTF8 \
            --locale=C.UTF-8 > "$pg_dir/initdb.log" 2>&1 ||
        ! "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
            -o "-c listen_addresses='' -k $pg_dir" start > /dev/null ||
        ! "${as_pg[@]}" "$pg_bin/createdb" -h "$pg_dir" -U hallq city; then
        echo "the city database did not start: see $pg_dir/initdb.log and $pg_dir/server.log" >&2
        tmux -L "$socket" kill-session -t hall
        exit 1
    fi
    central_url="postgresql:///city?host=$pg_dir&user=hallq"
    "$B/bin/hallq-sync" --central "$central_url" --init --lang "$lang" >> "$data/hallq-sync.log" 2>&1 || {
        echo "the city database's schema could not be made: see $data/hallq-sync.log" >&2
        bash -c "$pg_stop"
        tmux -L "$socket" kill-session -t hall
        exit 1
    }
    # The shipper beside hallqd, in a window whose script stops the cluster and removes its
    # folder when the session ends (the window hangs up) or the shipper stops.
    hall_name=$([ "$lang" = en ] && echo "Demo hall" || echo 示范大厅)
    {
        echo "trap $(printf '%q' "$pg_stop") EXIT"
        echo "trap 'kill \$sync 2>/dev/null; exit' HUP TERM INT"
        printf '%q ' "$B/bin/hallq-sync" --central "$central_url" --data "$data" --hall demo \
            --name "$hall_name" --level town --lang "$lang"
        echo ">> $(printf '%q' "$data/hallq-sync.log") 2>&1 &"
        echo 'sync=$!'
        echo "tail -n 0 -f --pid=\$sync $(printf '%q' "$data/hallq-sync.log") &"
        echo 'wait $sync'
    } > "$data/central.sh"
    tmux -L "$socket" new-window -d -t hall: -n central "bash '$data/central.sh'"
fi
# The kiosk has no printer here: tickets go to a file, the screen shows them.
kiosk="$B/bin/hallq-ticket --lang $lang --out '$data/last-ticket.escpos' --state-dir '$data'"
display="$B/bin/hallq-display --mode hall --lang $lang --audio-file '$data/voice.wav'"
window1="$B/bin/hallq-counter --counter 1 --clerk 张敏 --lang $lang"
window2="$B/bin/hallq-counter --counter 2 --clerk 李强 --lang $lang"
if [ "$cols" -ge 180 ] && [ "$rows" -ge 45 ]; then
    # One tmux window: the wall display above, the two clerks and the kiosk below, each pane
    # at least 58x19 (the status line takes a row), where every screen has its full layout.
    layout=panes
    tmux -L "$socket" new-window -t hall: -n hall "$display"
    tmux -L "$socket" split-window -t hall:hall -v -p 45 "$window1"
    tmux -L "$socket" split-window -t hall:hall.1 -h -p 66 "$window2"
    tmux -L "$socket" split-window -t hall:hall.2 -h -p 50 "$kiosk"
    tmux -L "$socket" select-pane -t hall:hall.3
else
    # Smaller: a pane of a quarter of 80x24 is too small for any screen, so each screen gets
    # the whole terminal in a tmux window of its own.
    layout=windows
    tmux -L "$socket" new-window -t hall: -n hall "$display"
    tmux -L "$socket" new-window -t hall: -n window1 "$window1"
    tmux -L "$socket" new-window -t hall: -n window2 "$window2"
    tmux -L "$socket" new-window -t hall: -n kiosk "$kiosk"
fi
if [ -n "$simulate" ]; then
    tmux -L "$socket" new-window -d -t hall: -n sim \
        "$B/bin/hallq-sim --counters 1,2,3,4 --lang $lang 2>&1 | tee -a '$data/sim.log'"
fi
echo "hall running: data $data, daemon log $data/hallqd.log"
echo "phones: scan a ticket's QR (it opens $web_url/t/...); the wall in a browser: $web_url/wall"
if [ "$layout" = panes ]; then
    echo "tmux -L $socket attach -t hall    windows: daemon | hall (display, window 1, window 2, kiosk)${simulate:+ | sim}${central:+ | central}"
else
    echo "tmux -L $socket attach -t hall    windows: daemon | hall (display) | window1 | window2 | kiosk${simulate:+ | sim}${central:+ | central}"
    echo "laid out for ${cols}x${rows}: Ctrl-b n / Ctrl-b p, or a click on the status line, goes to another screen"
fi
if [ -n "$central" ]; then
    echo "city database: $central_url (hallq-sync log $data/hallq-sync.log; removed when the hall stops)"
    echo "the city report: $B/bin/hallqctl stats report --central '$central_url' --out city.html${lang:+ --lang $lang}"
fi
echo "stop everything: tmux -L $socket kill-session -t hall"
if [ "$attach" = 1 ] && [ -t 0 ]; then
    exec tmux -L "$socket" attach -t "hall:$([ "$layout" = panes ] && echo hall || echo kiosk)"
fi
