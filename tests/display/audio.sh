#!/usr/bin/env bash
# The hall voice, checked without a sound card: announcements are written to WAV files
# (--audio-file) and measured with sox (soxi, stat) and a silence splitter
# (wav_segments.py).
#   - one announcement = a chime and the sentence twice, with the pauses between, at the
#     loudness set; --repeat, --volume, --rate, English and recorded clips change it as
#     they should
#   - a call made with hallqctl produces exactly that announcement
#   - three rapid calls produce three complete announcements, in the order called
#   - no sound device: the display runs on and says once that audio is off, without ALSA's
#     noise; libao's null driver plays
#
# usage: audio.sh HALLQD HALLQCTL HALLQ_DISPLAY
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST=audio
. "$HERE/lib.sh"
export HOME="$W/home"

# ms FILE: length in milliseconds (soxi)
ms() { soxi -D "$1" | awk '{ printf "%d\n", $1 * 1000 + 0.5 }'; }
# stat FILE KEY: a value of `sox FILE -n stat` ("Maximum amplitude", "RMS     amplitude")
stat_of() { sox "$1" -n stat 2>&1 | sed -n "s/^$2: *//p"; }
segs() { "$PY" "$HERE/wav_segments.py" "$1"; }
# check WHAT PYTHON-EXPRESSION: evaluated with a (segments of $A), b (of $B) ... as given
check() {
    local what=$1 expr=$2
    shift 2
    "$PY" - "$expr" "$@" <<'EOF' || die "$what"
import json, sys
expr, files = sys.argv[1], sys.argv[2:]
env = {}
for i, f in enumerate(files):
    env[chr(ord("a") + i)] = json.loads(f)
if not eval(expr, env):
    env.pop("__builtins__", None)
    print(f"  {expr}\n  with {env}")
    sys.exit(1)
EOF
}
near() { # near ACTUAL EXPECTED TOLERANCE_MS
    [ $(( $1 > $2 ? $1 - $2 : $2 - $1 )) -le "$3" ]
}

say() { # say OUT.wav ARGS...: one announcement with --say
    local out=$1
    shift
    "$DISPLAY_BIN" --audio-file "$out" "$@" >>"$W/say.log" 2>&1 || die "--say $*"
}

CHIME=1200 AFTER_CHIME=500 BETWEEN=700 TAIL=1000

# ---- one announcement, measured ----------------------------------------------------------
say "$W/a1.wav" --say A002:1
say "$W/a12.wav" --say A003:12
say "$W/a99.wav" --say A004:99
say "$W/a3.wav" --say A001:3
S1=$(segs "$W/a1.wav")
S12=$(segs "$W/a12.wav")
S99=$(segs "$W/a99.wav")
S3=$(segs "$W/a3.wav")
for s in "$S1" "$S12" "$S99" "$S3"; do
    check "announcement shape: chime, then the sentence twice" \
        "len(a['segments']) == 3 and abs(a['segments'][0][1] - $CHIME) <= 30 and \
         abs(a['segments'][1][0] - ($CHIME + $AFTER_CHIME)) <= 30 and \
         abs(a['segments'][1][1] - a['segments'][2][1]) <= 20 and \
         abs(a['segments'][2][0] - (a['segments'][1][0] + a['segments'][1][1] + $BETWEEN)) <= 60 and \
         abs(a['ms'] - (a['segments'][2][0] + a['segments'][2][1] + $TAIL)) <= 60 and \
         2500 <= a['segments'][1][1] <= 7000" "$s"
done
# 一 < 十二 < 九十九: the window is said as a number, each longer by its syllables.
check "window number read as 一 / 十二 / 九十九" \
    "a['segments'][1][1] + 150 < b['segments'][1][1] and b['segments'][1][1] + 150 < c['segments'][1][1]" \
    "$S1" "$S12" "$S99"
ONE_MS=$(ms "$W/a3.wav")
SENTENCE_MS=$("$PY" -c "import json,sys; print(json.loads(sys.argv[1])['segments'][1][1])" "$S3")
max80=$(stat_of "$W/a3.wav" "Maximum amplitude")
rms80=$(stat_of "$W/a3.wav" "RMS     amplitude")
"$PY" -c "import sys; m, r = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not (0.5 < m <= 0.85 and 0.04 < r < 0.3))" \
    "$max80" "$rms80" || die "loudness at volume 80: max $max80, rms $rms80"
ok "one announcement (A001 to window 3): ${ONE_MS} ms = chime + 2 x ${SENTENCE_MS} ms sentence + pauses; max $max80, rms $rms80"

say "$W/r3.wav" --say A001:3 --repeat 3
check "--repeat 3: chime and three sayings" "len(a['segments']) == 4" "$(segs "$W/r3.wav")"
near "$(ms "$W/r3.wav")" $(( ONE_MS + SENTENCE_MS + BETWEEN )) 60 || die "--repeat 3 length"
say "$W/v40.wav" --say A001:3 --volume 40
max40=$(stat_of "$W/v40.wav" "Maximum amplitude")
"$PY" -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not abs(a / b - 0.5) < 0.02)" \
    "$max40" "$max80" || die "--volume 40: max $max40 against $max80 at 80"
say "$W/slow.wav" --say A001:3 --rate 100
check "--rate 100 speaks slower" "a['segments'][1][1] > 1.25 * b['segments'][1][1]" \
    "$(segs "$W/slow.wav")" "$S3"
say "$W/en.wav" --say A001:3 --lang en
check "English: chime and two sayings" "len(a['segments']) == 3 and 2000 <= a['segments'][1][1] <= 6000" \
    "$(segs "$W/en.wav")"
grep -q "Number A 0 0 1, please go to window 3" "$W/say.log" || die "English sentence text"
ok "--repeat 3, --volume 40 (max $max40), --rate 100 and --lang en change the announcement"

# Recorded words: 0.25 s tones stand in for a hall's clips.
mkdir -p "$W/clips"
f=300
for word in qing hao dao chuangkou_banli 0 1 2 3 4 5 6 7 8 9 shi A; do
    sox -n -r 44100 -c 2 "$W/clips/$word.wav" synth 0.25 sine $f pad 0.1 0.1 vol 0.5
    f=$((f + 40))
done
say "$W/clips.wav" --say A001:3 --clips "$W/clips" --repeat 1
# qing A 0 0 1 hao dao 3 hao chuangkou_banli: 10 words of 250 ms (+20 ms margins), 60 ms apart.
check "clips: chime, then one sentence of ten recorded words" \
    "len(a['segments']) == 2 and abs(a['segments'][1][1] - (10 * 290 + 9 * 60)) <= 40" \
    "$(segs "$W/clips.wav")"
rm "$W/clips/qing.wav"
set +e
out=$("$DISPLAY_BIN" --say A001:3 --clips "$W/clips" --audio-file "$W/x.wav" 2>&1)
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q "qing.wav" <<<"$out" || die "missing clip: rc=$rc '$out'"
ok "--clips: the sentence from recorded words; a missing word is named"

# ---- the display: calls through hallqd ----------------------------------------------------
use_free_ports
cat >"$W/hallq.conf" <<'EOF'
[counter 1]
[counter 3]
[counter 12]
[counter 99]
EOF
start_daemon
for c in 1 3 12 99; do ctl login "$c" "clerk$c"; done

# start_display NAME ARGS...: the hall screen in tmux, logging to $W/NAME.log
start_display() {
    local name=$1
    shift
    tmux_new "$SOCK" -d -s "$name" -x 80 -y 24 \
        "env TERM=xterm-256color LANG=C.UTF-8 HOME=$HOME $* $DISPLAY_BIN --log $W/$name.log $DISPLAY_ARGS; echo \$? >$W/$name.rc"
    wait_until 15 grep -qs "link connecting -> live" "$W/$name.log" || die "$name: no connection"
}
stop_display() {
    tmux -L "$SOCK" send-keys -t "$1" q
    wait_until 10 test -s "$W/$1.rc" || die "$1 did not quit"
    [ "$(cat "$W/$1.rc")" = 0 ] || die "$1 exited with $(cat "$W/$1.rc")"
    ! grep -E "Sanitizer|runtime error" "$W/$1.log" || die "$1: sanitizer report"
}
length_reaches() { [ -f "$1" ] && [ "$(ms "$1")" -ge "$2" ]; }

# One call.
DISPLAY_ARGS="--audio-file $W/one.wav"
start_display one
ctl issue A # A001
ctl call 3
wait_until 5 length_reaches "$W/one.wav" $((ONE_MS - 100)) || die "one call: announcement not written"
sleep 0.5
stop_display one
near "$(ms "$W/one.wav")" "$ONE_MS" 60 || die "one call: $(ms "$W/one.wav") ms, expected $ONE_MS"
check "one call: a chime and two sayings as long as --say's" \
    "len(a['segments']) == 3 and all(abs(x[1] - y[1]) <= 40 for x, y in zip(a['segments'], b['segments']))" \
    "$(segs "$W/one.wav")" "$S3"
rms=$(stat_of "$W/one.wav" "RMS     amplitude")
"$PY" -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); sys.exit(not abs(a / b - 1) < 0.05)" \
    "$rms" "$rms80" || die "one call: rms $rms against $rms80"
ok "a call made with hallqctl: $(ms "$W/one.wav") ms, chime + 2 sayings, rms $rms"

# Three rapid calls, at windows whose names take 1, 2 and 3 syllables.
ctl finish 3
DISPLAY_ARGS="--audio-file $W/three.wav"
start_display three
for _ in 1 2 3; do ctl issue A; done # A002 A003 A004
t0=$(now_ms)
ctl call 1
ctl call 12
ctl call 99
spread=$(( $(now_ms) - t0 ))
A1_MS=$(ms "$W/a1.wav") A12_MS=$(ms "$W/a12.wav") A99_MS=$(ms "$W/a99.wav")
TOTAL=$((A1_MS + A12_MS + A99_MS))
wait_until 10 length_reaches "$W/three.wav" $((TOTAL - 150)) || die "three calls: not all written"
sleep 0.5
stop_display three
near "$(ms "$W/three.wav")" "$TOTAL" 120 || die "three calls: $(ms "$W/three.wav") ms, expected $TOTAL"
# Nine sounds: (chime, saying, saying) x 3; the sayings as long as A00x at 1, 12 and 99, in
# that order, each complete.
check "three calls: three complete announcements in the order called" \
    "len(a['segments']) == 9 and \
     all(abs(a['segments'][3 * k][1] - $CHIME) <= 30 for k in range(3)) and \
     all(abs(a['segments'][3 * k + 1 + j][1] - r['segments'][1][1]) <= 40 \
         for k, r in enumerate((b, c, d)) for j in range(2))" \
    "$(segs "$W/three.wav")" "$S1" "$S12" "$S99"
[ "$(grep -c "announcing" "$W/three.log")" -eq 3 ] || die "three calls: log"
ok "three calls within ${spread} ms: $(ms "$W/three.wav") ms = 3 complete announcements (1, 12, 99) in order"

# A recall is announced again.
DISPLAY_ARGS="--audio-file $W/recall.wav --repeat 1"
start_display recall
ctl recall 99
wait_until 5 length_reaches "$W/recall.wav" 1000 || die "recall: nothing written"
sleep 0.5
stop_display recall
check "recall: announced again" "len(a['segments']) == 2 and abs(a['segments'][1][1] - b['segments'][1][1]) <= 40" \
    "$(segs "$W/recall.wav")" "$S99"
ok "a recall is announced again"

# ---- no sound device ---------------------------------------------------------------------
# ALSA with an empty configuration has no PCM at all: what a box without a sound card sees.
mkdir -p "$W/alsa-home"
printf 'default_driver=alsa\n' >"$W/alsa-home/.libao"
: >"$W/empty-alsa.conf"
DISPLAY_ARGS=""
HOME="$W/alsa-home" start_display nocard ALSA_CONFIG_PATH="$W/empty-alsa.conf"
ctl issue A
ctl issue A
ctl finish 1
ctl call 1
ctl finish 12
ctl call 12
wait_until 5 bash -c "[ \$(grep -c announcing '$W/nocard.log') -ge 2 ]" || die "no card: calls not handled"
nocard_shows() { tmux -L "$SOCK" capture-pane -p -t nocard | grep -q "$1"; }
wait_until 3 nocard_shows "声音输出故障，请检查音箱" || die "no card: not said on screen"
! tmux -L "$SOCK" capture-pane -p -t nocard | grep -q "alsa" || die "no card: the driver's name on the wall"
wait_until 3 nocard_shows "无声音" || die "no card: no mark"
[ "$(grep -c "audio off" "$W/nocard.log")" -eq 1 ] || die "no card: 'audio off' not said exactly once"
! grep -q "ALSA lib" "$W/nocard.log" || die "no card: ALSA noise in the log"
! tmux -L "$SOCK" capture-pane -p -t nocard | grep -q "ALSA lib" || die "no card: ALSA noise on screen"
stop_display nocard
ok "no sound device: the display runs on and says once: $(grep -o 'audio off.*' "$W/nocard.log")"

# libao's null driver: a live device that works.
DISPLAY_ARGS=""
start_display nulldev
ctl issue A
ctl finish 1
ctl call 1
wait_until 5 grep -q announcing "$W/nulldev.log" || die "null driver: call not announced"
grep -q "audio to null" "$W/nulldev.log" || die "null driver: not used"
! grep -q "audio off" "$W/nulldev.log" || die "null driver: audio off"
stop_display nulldev
ok "live output through libao (null driver)"

echo "$passed passed, 0 failed"
