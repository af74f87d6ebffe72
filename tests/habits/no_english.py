#!/usr/bin/python3
"""No English on a Chinese screen, ticket or export: every run of ASCII letters in the files
given must be a word of the allow-list below (ticket labels and queue letters, units,
program names, the names of formats and formulas), or one the caller allows for its own data
(--allow: the fixture's clerk ids, say). A Chinese screen that says `oldest` or `green lane`
fails here, with the file, the line and the word.

Text files are read as UTF-8 (a byte order mark is skipped) or, when that fails, as GB18030
(which holds GBK); an .html file is read for what a browser shows: tags, the style sheet,
commands in <code> and character references are left out, attribute text a person sees
(title, alt, aria-label) is kept. A directory stands for every file in it.

usage: no_english.py [--allow WORD,WORD...] FILE|DIR...
       no_english.py --self-test"""
import html
import html.parser
import os
import re
import sys

# Words a Chinese screen may hold. Single letters always pass: queue letters, ticket labels
# (A001, spelt "A 0 0 1" in block digits), P90, the C of Erlang C.
ALLOWED = {
    # programs and the hall's own words for them
    "hallq", "hallqd", "hallqctl", "hallq-counter", "hallq-display", "hallq-ticket", "hallq-sim",
    # formats, encodings, codes and formulas a manager or IT officer meets by these names
    "CSV", "JSON", "HTML", "UTF", "GBK", "GB", "BOM", "QR", "ID", "IT", "Erlang", "TV", "USB",
    "ESC", "POS", "CURVE", "SQLite", "WAL", "tmux", "tcp", "ipc", "zh", "en",
    # spreadsheet functions, which keep their names in Chinese spreadsheet programs
    "MEDIAN", "PERCENTILE",
    # units
    "mm", "ms", "min", "MiB", "KB", "MB", "GB", "Hz",
    # keys as their caps say
    "Esc", "Ctrl", "Alt", "Tab", "Shift", "PgUp", "PgDn", "Home", "End",
}

WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z][A-Za-z0-9]*)*")
# A file path or an address (/dev/usb/lp0, tcp://127.0.0.1:5570) is a name, not words.
PATH = re.compile(r"(?<![A-Za-z0-9])(?:[a-z][a-z0-9+.-]*://|/)[A-Za-z0-9._~/:@%+-]*")
# A ticket label (A001), a code such as P90, a time zone or version string: letters that
# belong to a number.
LABELLIKE = re.compile(r"^[A-Za-z][0-9]+$")


class _Visible(html.parser.HTMLParser):
    """The text of an HTML page a person sees, line by line as the source has it."""

    SEEN_ATTRS = ("title", "alt", "aria-label", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.out.append(" ")  # cells and chart labels are separate words on the page
        if tag in ("style", "script", "code"):
            self.skip += 1
        for name, value in attrs:
            if name in self.SEEN_ATTRS and value:
                self.out.append(" " + value + " ")

    def handle_endtag(self, tag):
        self.out.append(" ")
        if tag in ("style", "script", "code") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.out.append(data)


def read_text(path):
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030", errors="replace")
    if path.endswith((".html", ".htm")):
        p = _Visible()
        p.feed(text)
        p.close()
        text = html.unescape("".join(p.out))
    return text


def english_words(line, allowed):
    """The words of line that are English: not single letters, labels or allowed words."""
    found = []
    for m in WORD.finditer(PATH.sub(" ", line)):
        w = m.group(0)
        if len(w) == 1 or LABELLIKE.match(w) or w in allowed or w.lower() in allowed:
            continue
        # hyphenated words pass when every part does (hallq-display, UTF-8 is a label)
        parts = w.split("-")
        if len(parts) > 1 and all(len(p) == 1 or LABELLIKE.match(p) or p in allowed
                                  for p in parts):
            continue
        found.append(w)
    return found


def check_files(paths, allowed):
    """[(path, line number, word, line)] for every English word in the files."""
    problems = []
    files = []
    for p in paths:
        if os.path.isdir(p):
            files += sorted(os.path.join(p, f) for f in os.listdir(p)
                            if os.path.isfile(os.path.join(p, f)))
        else:
            files.append(p)
    for f in files:
        for no, line in enumerate(read_text(f).splitlines(), 1):
            for w in english_words(line, allowed):
                problems.append((f, no, w, line.strip()))
    return files, problems


def self_test():
    allowed = set(ALLOWED)
    cases = [
        ("请A001号到3号窗口办理", []),
        ("A 0 0 1  →  3号窗口", []),
        ("叫号原因：oldest", ["oldest"]),
        ("绿色通道,green lane,12", ["green", "lane"]),
        ("等候P90(分钟),负荷(Erlang),UTF-8,GBK", []),
        ("hallqd 无法连接 tcp://127.0.0.1:5570", []),
        ("3号窗口 ALERT", ["ALERT"]),
        ("平均 12 min", []),
        ("打印机 /dev/usb/lp0 写入失败：No space left on device",
         ["No", "space", "left", "on", "device"]),
        ("按 Esc 取消", []),
    ]
    bad = 0
    for line, expected in cases:
        got = english_words(line, allowed)
        if got != expected:
            print("FAIL: %r: expected %r, got %r" % (line, expected, got), file=sys.stderr)
            bad += 1
    p = _Visible()
    p.feed('<html><style>body{font-family:sans-serif}</style><p title="平均">合计 &amp; '
           'total</p><svg><text class="xlab">09:00</text></svg></html>')
    visible = "".join(p.out)
    if english_words(visible, allowed) != ["total"]:
        print("FAIL: HTML: expected only 'total', got %r in %r"
              % (english_words(visible, allowed), visible), file=sys.stderr)
        bad += 1
    if bad:
        sys.exit(1)
    print("ok - the checker finds English words and passes labels, units and allowed names")


def main(argv):
    if argv == ["--self-test"]:
        self_test()
        return
    allowed = set(ALLOWED)
    paths = []
    i = 0
    while i < len(argv):
        if argv[i] == "--allow" and i + 1 < len(argv):
            allowed.update(w for w in argv[i + 1].split(",") if w)
            i += 2
            continue
        paths.append(argv[i])
        i += 1
    if not paths:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    files, problems = check_files(paths, allowed)
    for f, no, w, line in problems:
        print("%s:%d: English word '%s' on a Chinese screen: %s" % (f, no, w, line[:120]),
              file=sys.stderr)
    if problems:
        print("FAIL: %d English word(s) in %d file(s) checked; translate them (or, for a "
              "name that is no English, add it to ALLOWED in tests/habits/no_english.py)"
              % (len(problems), len(files)), file=sys.stderr)
        sys.exit(1)
    print("ok - no English in %d file(s)" % len(files))


if __name__ == "__main__":
    main(sys.argv[1:])
