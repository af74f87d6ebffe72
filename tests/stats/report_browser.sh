#!/usr/bin/env bash
# stats_report_browser: the manager's report opened in a real headless browser (Debian's
# chromium). It must load from a file with no network, contain its charts as SVG in the DOM,
# log no console or loading errors, and render: the screenshots show the blue bars, the red
# target line and dark text. Without chromium the test fails (scripts/deps.sh installs it).
#
# usage: report_browser.sh HALLQD HALLQCTL SHOTS_DIR   (screenshots are kept in SHOTS_DIR)
set -u
HALLQD=${1:?usage: report_browser.sh HALLQD HALLQCTL SHOTS_DIR}
HALLQCTL=${2:?usage}
SHOTS=${3:?usage}
HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d /tmp/hallq-report.XXXXXX)
export LANG=C.UTF-8 LC_ALL=C.UTF-8
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { echo "ok - $*"; }

CHROMIUM=$(command -v chromium) || fail "chromium is not installed (apt-get install chromium; scripts/deps.sh does it)"
mkdir -p "$SHOTS" || fail "cannot create $SHOTS"

# Four weeks of a town hall, and the report of it in both languages.
/usr/bin/python3 "$HERE/../../bench/genhistory.py" --data "$WORK/data" --hallqd "$HALLQD" \
    --from 2024-04-01 --days 28 --per-day 260 --seed 3 2> "$WORK/gen.log" ||
    fail "genhistory: $(cat "$WORK/gen.log")"
"$HALLQCTL" stats report --data "$WORK/data" --out "$WORK/report.html" > /dev/null ||
    fail "stats report"
"$HALLQCTL" stats report --data "$WORK/data" --lang en --out "$WORK/report-en.html" > /dev/null ||
    fail "stats report --lang en"
pass "reports written ($(wc -c < "$WORK/report.html") bytes)"

# chromium FLAGS... : no sandbox (root in CI), no GPU, no network chatter, a throwaway profile.
browse() {
    local profile
    profile=$(mktemp -d "$WORK/profile.XXXXXX")
    timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
        --no-first-run --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
}

for lang in zh en; do
    page=$WORK/report.html
    [ "$lang" = en ] && page=$WORK/report-en.html
    browse --dump-dom "file://$page" > "$WORK/dom-$lang.html" 2> "$WORK/chromium-dom-$lang.log" ||
        fail "chromium --dump-dom ($lang) exited $?: $(tail -5 "$WORK/chromium-dom-$lang.log")"
    browse --screenshot="$SHOTS/report-$lang.png" --window-size=1280,2000 --hide-scrollbars \
        "file://$page" > /dev/null 2> "$WORK/chromium-shot-$lang.log" ||
        fail "chromium --screenshot ($lang) exited $?: $(tail -5 "$WORK/chromium-shot-$lang.log")"
    # The page has no script and loads nothing: any console message or failed load is a bug.
    if grep -E "CONSOLE|Uncaught|net::ERR_|Failed to load" "$WORK"/chromium-*-"$lang".log; then
        fail "the browser reported errors for the $lang report"
    fi
done
pass "chromium loaded both reports without errors"

# The DOM as the browser built it: the charts are there as SVG.
/usr/bin/python3 - "$WORK/dom-zh.html" "$WORK/dom-en.html" <<'EOF' || exit 1
import re, sys
zh, en = (open(p, encoding="utf-8").read() for p in sys.argv[1:3])
def need(cond, what):
    if not cond:
        sys.exit("FAIL: " + what)
need("<html" in zh[:100] and "</html>" in zh, "a whole document")
svgs = re.findall(r"<svg\b[^>]*>", zh)
need(len(svgs) >= 7, "at least 7 SVG charts, found %d" % len(svgs))
need(all('role="img"' in s and "aria-label=" in s for s in svgs), "charts are labelled images")
need(len(re.findall(r'<rect class="bar"', zh)) >= 40, "chart bars")
need(len(re.findall(r'class="target"', zh)) >= 3, "the 10-minute target line")
need("<polyline" in zh, "the day-by-day line chart")
need("办件统计报告" in zh and "各时段等候时间" in zh and "绿色通道" in zh, "Chinese headings")
need("即时办件平均办理时长" in zh and "窗口配置建议" in zh, "headline and staffing")
need('lang="en"' in en and "service report" in en and "办件统计报告" not in en, "English report")
need(len(re.findall(r"<svg\b", en)) == len(svgs), "same charts in English")
print("ok - %d SVG charts, %d bars in the DOM" % (len(svgs), len(re.findall(r'<rect class="bar"', zh))))
EOF

# The screenshots: decode the PNGs (no imaging library needed) and look for what a reader
# sees: the blue bars, the dashed red target line, dark text on white.
/usr/bin/python3 - "$SHOTS/report-zh.png" "$SHOTS/report-en.png" <<'EOF' || exit 1
import struct, sys, zlib

def decode(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("FAIL: %s is not a PNG" % path)
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            if depth != 8 or ctype not in (2, 6):
                sys.exit("FAIL: unexpected PNG format in %s" % path)
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw, stride, rows, prev = zlib.decompress(idat), width * bpp, [], bytearray(width * bpp)
    for y in range(height):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            if f == 1: line[i] = (line[i] + a) & 255
            elif f == 2: line[i] = (line[i] + b) & 255
            elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(line)
        prev = line
    return width, height, bpp, rows

for path in sys.argv[1:]:
    w, h, bpp, rows = decode(path)
    if (w, h) != (1280, 2000):
        sys.exit("FAIL: %s is %dx%d, not 1280x2000" % (path, w, h))
    blue = red = dark = white = 0
    for row in rows[::2]:
        for x in range(0, w * bpp, bpp * 2):
            r, g, b = row[x], row[x + 1], row[x + 2]
            if abs(r - 0x1f) < 12 and abs(g - 0x6f) < 12 and abs(b - 0xb2) < 12:
                blue += 1
            elif r > 170 and g < 80 and b < 80:
                red += 1
            elif r < 80 and g < 80 and b < 90:
                dark += 1
            elif r > 245 and g > 245 and b > 245:
                white += 1
    total = (h // 2) * (w // 2)
    print("%s: blue %d, red %d, dark %d, white %d of %d sampled pixels" % (path, blue, red, dark, white, total))
    if blue < 2000:
        sys.exit("FAIL: no blue chart bars in %s" % path)
    if red < 30:
        sys.exit("FAIL: no red target line or alert in %s" % path)
    if dark < 2000:
        sys.exit("FAIL: no text in %s" % path)
    if white < total // 3:
        sys.exit("FAIL: %s is not mostly a white page" % path)
print("ok - screenshots rendered: " + " ".join(sys.argv[1:]))
EOF
echo "ok"
