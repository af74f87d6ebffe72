#!/usr/bin/python3
"""Compares the hall's event log with the central store's copy of one epoch, event by event
(the central body is jsonb: compared as JSON values, not as text).

usage: same.py HALLQ_DB PSQL_ROWS_FILE   (the file: seq|ts_ms|type|body per line)"""
import json
import sqlite3
import sys

db, rows = sys.argv[1:3]
con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
hall = {s: (t, ty, json.loads(b)) for s, t, ty, b in
        con.execute("SELECT seq, ts_ms, type, body FROM events")}
central = {}
doubled = 0
with open(rows, encoding="utf-8") as f:
    for line in f:
        s, t, ty, b = line.rstrip("\n").split("|", 3)
        if int(s) in central:
            doubled += 1
        central[int(s)] = (int(t), ty, json.loads(b))
missing = sorted(set(hall) - set(central))
extra = sorted(set(central) - set(hall))
differ = sorted(s for s in set(hall) & set(central) if hall[s] != central[s])
if missing or extra or differ or doubled:
    print("hall %d events, central %d: missing %s, extra %s, different %s, doubled %d"
          % (len(hall), len(central), missing[:5], extra[:5], differ[:5], doubled))
    sys.exit(1)
print(len(hall))
