#!/usr/bin/env bash
# Builds hallq and runs a whole hall on this machine with the embedded default configuration:
# hallqd in the background, and in one tmux session the wall display, windows 1 and 2, and
# the reception kiosk, each in its own pane, ready for keys.
#
#   ./scripts/run-hall.sh                 the hall, quiet until someone takes a ticket
#   ./scripts/run-hall.sh --simulate      a realistic day drives every screen by itself, on a
#                                         simulated clock, in a data folder of its own
#                                         (DIR/simulated, emptied at each start)
#   options: --speed N (the simulated clock's speed, default 30: the day passes in 18 minutes),
#            --data DIR,
#            --no-attach (leave the tmux session running in the background), --lang en
# Leave the hall: Ctrl-b d detaches (the hall keeps running; `tmux -L hallq attach`);
# `tmux -L hallq kill-session -t hall` stops everything, the daemon included.
set -euo pipefail
cd "$(dirname "$0")/.."
simulate= speed=30 data=hallq-data attach=1 lang=zh
socket=${HALLQ_TMUX_SOCKET:-hallq}
while [ $# -gt 0 ]; do
    case "$1" in
        --simulate) simulate=1 ;;
        --speed) speed=${2:?--speed needs a number}; shift ;;
        --data) data=${2:?--data needs a directory}; shift ;;
        --no-attach) attach=0 ;;
        --lang) lang=${2:?--lang needs zh or en}; shift ;;
        -h|--help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-hall.sh: unknown option '$1' (see --help)" >&2; exit 2 ;;
    esac
    shift
done

if [ -n "${HALLQ_BUILD_DIR:-}" ]; then
    B=$(cd "$HALLQ_BUILD_DIR" && pwd)   # an existing build (the tests use theirs)
else
    scripts/deps.sh --run-only
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
        "$data"/sim.log
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
# Everything lives in one tmux session: window "daemon" (hallqd and its log), window "hall"
# (the four screens), window "sim" with --simulate. Ending the session ends the hall.
config=
if [ -n "$simulate" ]; then
    # The simulator sends a day's requests in minutes: a trusted tool, it runs unlimited. The
    # hall's clock starts a minute before the doors open, today.
    printf '[limits]\nlocal = unlimited\n' > "$data/simulate.conf"
    config="--config '$data/simulate.conf' --simulate 08:29 --speed '$speed'"
fi
tmux -L "$socket" new-session -d -s hall -x 200 -y 60 -n daemon \
    "$B/bin/hallqd --data '$data' $config --request '$req' --events '$ev' 2>&1 | tee -a '$data/hallqd.log'"
tmux -L "$socket" set-option -t hall remain-on-exit on >/dev/null
for _ in $(seq 1 50); do "$B/bin/hallqctl" --timeout 200 version >/dev/null 2>&1 && break; sleep 0.1; done
if ! "$B/bin/hallqctl" version >/dev/null; then
    echo "hallqd did not start: see $data/hallqd.log" >&2
    tmux -L "$socket" kill-session -t hall
    exit 1
fi
# The kiosk has no printer here: tickets go to a file, the screen shows them.
kiosk="$B/bin/hallq-ticket --lang $lang --out '$data/last-ticket.escpos' --state-dir '$data'"
tmux -L "$socket" new-window -t hall: -n hall \
    "$B/bin/hallq-display --mode hall --lang $lang --audio-file '$data/voice.wav'"
tmux -L "$socket" split-window -t hall:hall -v -p 45 "$B/bin/hallq-counter --counter 1 --clerk 张敏 --lang $lang"
tmux -L "$socket" split-window -t hall:hall.1 -h -p 66 "$B/bin/hallq-counter --counter 2 --clerk 李强 --lang $lang"
tmux -L "$socket" split-window -t hall:hall.2 -h -p 50 "$kiosk"
tmux -L "$socket" select-pane -t hall:hall.3
if [ -n "$simulate" ]; then
    tmux -L "$socket" new-window -d -t hall: -n sim \
        "$B/bin/hallq-sim --counters 1,2,3,4 --lang $lang 2>&1 | tee -a '$data/sim.log'"
fi
echo "hall running: data $data, daemon log $data/hallqd.log"
echo "tmux -L $socket attach -t hall    windows: daemon | hall (display, window 1, window 2, kiosk)${simulate:+ | sim}"
echo "stop everything: tmux -L $socket kill-session -t hall"
if [ "$attach" = 1 ] && [ -t 0 ]; then
    exec tmux -L "$socket" attach -t hall:hall
fi
