#!/usr/bin/python3
"""Every ctest test carries at least one label, and only labels the README's test table
explains, so `ctest -L unit` and the other selections a newcomer runs stay complete.

usage: labels.py CTEST BUILD_DIR"""
import json
import subprocess
import sys

KNOWN = {"unit", "e2e", "terminal", "browser", "root", "network", "slow"}

ctest, build = sys.argv[1:3]
out = subprocess.run([ctest, "--show-only=json-v1"], cwd=build, capture_output=True,
                     check=True).stdout
problems = []
tests = json.loads(out)["tests"]
for t in tests:
    labels = set()
    for p in t.get("properties", []):
        if p["name"] == "LABELS":
            labels.update(p["value"])
    if not labels:
        problems.append("%s has no label" % t["name"])
    elif labels - KNOWN:
        problems.append("%s has unknown label(s) %s" % (t["name"], sorted(labels - KNOWN)))
for p in problems:
    print("FAIL: " + p, file=sys.stderr)
if problems:
    print("label every test with some of %s (tests/CMakeLists.txt, README 'Tests')"
          % " ".join(sorted(KNOWN)), file=sys.stderr)
    sys.exit(1)
print("ok - %d tests, each labelled with some of %s" % (len(tests), " ".join(sorted(KNOWN))))
