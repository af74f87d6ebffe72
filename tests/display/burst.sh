#!/usr/bin/env bash
# The voice never falls far behind: eight calls at eight windows as fast as hallqctl makes
# them (well within 2 s), a recall of one of them before it was said and a transfer of
# another before it was said, with the voice
# written to a WAV file at a sound card's pace (--audio-realtime: second s of the file is what
# the hall heard s seconds after the display started). Measured on the file (wav_segments.py)
# and the test's own clock:
#   - every part the display says it played (its log) is a sound in the file, where and as
#     long as it says, and the file holds nothing else
#   - each call's announcement ends at most 15 s after the call was made; the worst is printed
#   - every call is announced (in words, or by the chime when words could not be in time), at
#     least three in words, none repeated; the recall joined its call: said once; the call
#     whose ticket was transferred away is not said
#   - a call that comes alone afterwards is said in full again: chime, sentence, sentence
#
# usage: burst.sh HALLQD HALLQCTL HALLQ_DISPLAY
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST=burst
. "$HERE/lib.sh"
export HOME="$W/home"
BOUND_MS=15000

use_free_ports
for c in 1 2 3 4 5 6 7 8; do printf '[counter %d]\n' "$c"; done >"$W/hallq.conf"
start_daemon
for c in 1 2 3 4 5 6 7 8; do
    ctl login "$c" "clerk$c"
    ctl issue A # A00c
done
ctl issue A # A009, for the lone call at the end

tmux_new "$SOCK" -d -s voice -x 80 -y 24 \
    "env TERM=xterm-256color LANG=C.UTF-8 HOME=$HOME $DISPLAY_BIN --audio-file $W/burst.wav --audio-realtime --log $W/voice.log; echo \$? >$W/voice.rc"
wait_until 15 grep -qs "link connecting -> live" "$W/voice.log" || die "display: no connection"
grep -q "audio file starts at" "$W/voice.log" || die "display: the file's start is not logged"

# The burst: each call's time is taken before hallqctl starts, so the lag counted includes
# hallqctl's own start-up and the daemon's commit.
: >"$W/calls.txt"
for c in 1 2 3 4 5 6 7 8; do
    echo "A00$c $(now_ms)" >>"$W/calls.txt"
    ctl call "$c"
done
ctl recall 5 # A005 again, before its turn
spread=$(( $(now_ms) - $(head -n1 "$W/calls.txt" | cut -d' ' -f2) ))
ctl transfer 8 B # A008 leaves window 8 before it is said: it is not said
sed -i '/^A008 /d' "$W/calls.txt"
[ "$spread" -le 2000 ] || die "the burst took $spread ms, not at most 2 s"
announced() { # announced LABEL: the log has a part of LABEL's announcement
    grep -q "announcing $1 at window" "$W/voice.log"
}
all_announced() {
    local c
    for c in 1 2 3 4 5 6 7; do announced "A00$c" || return 1; done
}
wait_until 25 all_announced || die "not every call of the burst was announced"
grep -q "A008 left window 8 before it was said: not said" "$W/voice.log" ||
    die "A008, transferred before it was said, was not dropped"
! announced A008 || die "A008 was announced after it left its window"
# The last part is in the log when it starts; the file holds it once it has been played.
wav_ms() { soxi -D "$W/burst.wav" | awk '{ printf "%d\n", $1 * 1000 }'; }
last_end() {
    "$PY" - "$W/voice.log" <<'EOF'
import re, sys
ends = [round(float(s) * 1000) + int(d) for d, s in
        re.findall(r"announcing \S+ at window \d+: [a-z ]+, (\d+) ms at ([\d.]+) s", open(sys.argv[1]).read())]
print(max(ends))
EOF
}
reaches() { [ "$(wav_ms)" -ge $(($1 - 20)) ]; } # ms are rounded down on both sides
wait_until 10 reaches "$(last_end)" || die "the file does not reach the end of the last part"

[ "$(grep -c "A005 called again before it was said" "$W/voice.log")" -eq 1 ] ||
    die "the recall of A005 did not join its call"
measured=$("$PY" - "$W/voice.log" "$W/calls.txt" "$("$PY" "$HERE/wav_segments.py" "$W/burst.wav")" \
    "$BOUND_MS" <<'EOF'
import json, re, sys
log = open(sys.argv[1]).read()
calls = dict(line.split() for line in open(sys.argv[2]))
wav = json.loads(sys.argv[3])
bound = int(sys.argv[4])
origin = int(re.search(r"audio file starts at (\d+) ms", log).group(1))
parts = re.findall(r"announcing (\S+) at window (\d+): ([a-z ]+), (\d+) ms at ([\d.]+) s", log)
# Each sound once: a chime for several calls is one sound.
sounds = sorted({(round(float(at) * 1000), int(ms)) for _, _, _, ms, at in parts})
segs = wav["segments"]
if len(segs) != len(sounds):
    sys.exit(f"the file has {len(segs)} sounds, the log {len(sounds)}: {segs} vs {sounds}")
for (at, ms), (s0, sl) in zip(sounds, segs):
    if abs(at - s0) > 60 or abs(ms - sl) > 60:
        sys.exit(f"logged {ms} ms at {at} ms, the file has {sl} ms at {s0} ms")
worst, how = 0, {}
for label, t in calls.items():
    mine = [(w, what, int(ms), round(float(at) * 1000)) for l, w, what, ms, at in parts if l == label]
    if not mine:
        sys.exit(f"{label} was never announced")
    end = origin + max(at + ms for _, _, ms, at in mine)
    lag = end - int(t)
    worst = max(worst, lag)
    how[label] = "+".join(what for _, what, _, _ in mine) + f" {lag} ms"
    if lag > bound:
        sys.exit(f"{label}: its announcement ended {lag} ms after the call")
    if sum(1 for _, what, _, _ in mine if what in ("sentence", "short")) > 1 or \
            any(what == "sentence again" for _, what, _, _ in mine):
        sys.exit(f"{label} said more than once in a burst: {mine}")
words = sum(1 for v in how.values() if "sentence" in v or "short" in v)
if words < 3:
    sys.exit(f"only {words} calls said in words: {how}")
print(f"worst lag {worst} ms; {words} of {len(calls)} in words; " +
      "; ".join(f"{k} {v}" for k, v in sorted(how.items())))
EOF
) || die "burst: $measured"
ok "8 calls in ${spread} ms, a recall and a transfer: every announcement within ${BOUND_MS} ms of its call: $measured"

# ---- alone again: in full ----------------------------------------------------------------
parts_before=$(grep -c "announcing" "$W/voice.log")
ctl finish 1
ctl call 1 A009 # by its number: A008, transferred, is older
wait_until 20 grep -q "announcing A009 at window 1: sentence again" "$W/voice.log" ||
    die "a lone call after the burst is not said in full"
[ "$(grep "announcing A009" "$W/voice.log" | sed 's/.*: \([a-z ]*\),.*/\1/' | paste -sd,)" = \
    "chime,sentence,sentence again" ] || die "A009: $(grep "announcing A009" "$W/voice.log")"
[ "$(( $(grep -c "announcing" "$W/voice.log") - parts_before ))" -eq 3 ] || die "A009: extra parts"
tmux -L "$SOCK" send-keys -t voice q
wait_until 10 test -s "$W/voice.rc" || die "the display did not quit"
[ "$(cat "$W/voice.rc")" = 0 ] || die "the display exited with $(cat "$W/voice.rc")"
! grep -E "Sanitizer|runtime error" "$W/voice.log" || die "sanitizer report"
ok "a call alone afterwards: chime, sentence, sentence"

echo "$passed passed, 0 failed"
