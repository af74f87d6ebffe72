#!/usr/bin/env bash
# The independent decoder's printer-width check (check.js) holds for enlarged text: a line
# printed N times as wide (GS !) takes N columns a byte, and one wider than the paper is
# refused. Tickets are built here byte by byte, not by hallq, so the check is tested on its
# own: the 4x number fits 58 mm paper, an 8x one does not, and undefined GS ! bits are
# refused.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
W=$(mktemp -d /tmp/hallq-npos-width.XXXXXX)
trap 'rm -rf "$W"' EXIT

# ticket FILE SIZE-BYTE TEXT: ESC @, FS &, GS ! SIZE, TEXT LF, GS ! 0, cut.
ticket() {
    printf '\x1b@\x1c&\x1d!%b%s\n\x1d!\x00\x1dVB\x00' "$2" "$3" >"$1"
}

ticket "$W/4x.bin" '\x33' A1000
bash "$here/run.sh" --dump "$W/4x.bin" --columns 32 >"$W/4x.json"
grep -qF '{"text":"A1000","width":4,"height":4}' "$W/4x.json" ||
    { echo "FAIL: the 4x number does not decode as such: $(cat "$W/4x.json")"; exit 1; }
echo "ok - A1000 four times as wide takes 20 of 32 columns"

ticket "$W/8x.bin" '\x77' A1000
if bash "$here/run.sh" --dump "$W/8x.bin" --columns 32 >/dev/null 2>"$W/8x.err"; then
    echo "FAIL: an 8x A1000 (40 columns) passed on 32-column paper"
    exit 1
fi
grep -qF 'is 40 columns, paper has 32' "$W/8x.err" ||
    { echo "FAIL: the refusal does not say why: $(cat "$W/8x.err")"; exit 1; }
echo "ok - A1000 eight times as wide (40 columns) is refused on 32-column paper"

ticket "$W/bad.bin" '\x08' A1000
if bash "$here/run.sh" --dump "$W/bad.bin" --columns 32 >/dev/null 2>"$W/bad.err"; then
    echo "FAIL: GS ! 0x08 (an undefined bit) passed"
    exit 1
fi
echo "ok - GS ! with an undefined bit is refused"
